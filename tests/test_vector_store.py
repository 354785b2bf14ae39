"""The passage store: real Chroma, the real MiniLM model, the bundled release."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import free_port

from index.chunks import Chunk, chunk_passages
from index.config import DEFAULT_RELEASE, PROJECT_ROOT, Settings
from index.embeddings import Embedder, shared_embedder
from index.errors import IndexCorrupt, IndexMissing
from index.segment import Passage, segment
from index.vector_store import PassageStore

RELEASE = "infinera-2012-q4"
CHROMA = Path(sys.executable).parent / "chroma"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    embedder = shared_embedder()
    embedder.model()
    return embedder


@pytest.fixture(scope="module")
def release_chunks() -> list[Chunk]:
    text = DEFAULT_RELEASE.read_text(encoding="utf-8")
    return chunk_passages(segment(text, RELEASE).passages, RELEASE)


def local_settings(index_dir: Path) -> Settings:
    return Settings.from_env({"BOT_INDEX_DIR": str(index_dir)})


@pytest.fixture(scope="module")
def store(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, release_chunks: list[Chunk]
) -> Iterator[PassageStore]:
    with PassageStore.open(local_settings(tmp_path_factory.mktemp("index")), embedder) as store:
        store.replace(RELEASE, release_chunks)
        yield store


def other_release_chunks() -> list[Chunk]:
    passages = [
        Passage("Acme Corp is headquartered in Springfield, Illinois.", 4, 4, "Headline"),
        Passage("Acme expects revenue to grow in 2013.", 8, 9, "Outlook"),
    ]
    return chunk_passages(passages, "acme-2012-q4")


@pytest.mark.parametrize(
    ("question", "line", "phrase"),
    [
        ("where is the company headquartered", 5, "SUNNYVALE"),
        ("where can I find the webcast", 29, "live webcast"),
        ("outlook for 2013", 25, "outlook for 2013"),
    ],
)
def test_question_finds_the_passage_that_answers_it(
    store: PassageStore, question: str, line: int, phrase: str
) -> None:
    best = store.search(question)[0]

    assert (best.chunk.first_line, best.chunk.last_line) == (line, line)
    assert phrase in best.chunk.text


def test_hit_returns_the_stored_chunk_unchanged(
    store: PassageStore, release_chunks: list[Chunk]
) -> None:
    by_id = {c.id: c for c in release_chunks}

    hits = store.search("webcast of the conference call", k=4)

    assert len(hits) == 4
    assert all(hit.chunk == by_id[hit.chunk.id] for hit in hits)
    assert hits[0].chunk.section == "Conference Call Information"


def test_scores_are_cosine_similarities_best_first(store: PassageStore, embedder: Embedder) -> None:
    hits = store.search("outlook for 2013", k=5)
    query = embedder.embed_query("outlook for 2013")
    (passage,) = embedder.embed_documents([hits[0].chunk.text])
    cosine = sum(a * b for a, b in zip(query, passage, strict=True))

    assert hits[0].score == pytest.approx(cosine, abs=1e-4)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(-1.0 <= h.score <= 1.0 for h in hits)


def test_count_and_search_by_release(
    tmp_path: Path, embedder: Embedder, release_chunks: list[Chunk]
) -> None:
    with PassageStore.open(local_settings(tmp_path), embedder) as store:
        store.replace(RELEASE, release_chunks)
        store.replace("acme-2012-q4", other_release_chunks())

        hits = store.search("where is the company headquartered", release="acme-2012-q4")

        assert store.count() == len(release_chunks) + 2
        assert store.count(RELEASE) == len(release_chunks)
        assert store.count("nobody-2012-q4") == 0
        assert {h.chunk.release for h in hits} == {"acme-2012-q4"}
        assert hits[0].chunk.first_line == 4


def test_replace_twice_keeps_the_same_count(
    tmp_path: Path, embedder: Embedder, release_chunks: list[Chunk]
) -> None:
    with PassageStore.open(local_settings(tmp_path), embedder) as store:
        first = store.replace(RELEASE, release_chunks)
        second = store.replace(RELEASE, release_chunks)

        assert first == second == len(release_chunks) == store.count()


def test_replace_drops_chunks_the_new_version_no_longer_has(
    tmp_path: Path, embedder: Embedder, release_chunks: list[Chunk]
) -> None:
    with PassageStore.open(local_settings(tmp_path), embedder) as store:
        store.replace("acme-2012-q4", other_release_chunks())
        store.replace(RELEASE, release_chunks)
        store.replace(RELEASE, release_chunks[:3])

        assert store.count(RELEASE) == 3
        assert store.count("acme-2012-q4") == 2


def test_replace_refuses_chunks_of_another_release(tmp_path: Path, embedder: Embedder) -> None:
    with (
        PassageStore.open(local_settings(tmp_path), embedder) as store,
        pytest.raises(ValueError, match="acme-2012-q4"),
    ):
        store.replace(RELEASE, other_release_chunks())


def test_index_survives_reopening(tmp_path: Path, embedder: Embedder) -> None:
    with PassageStore.open(local_settings(tmp_path), embedder) as store:
        store.replace("acme-2012-q4", other_release_chunks())

    with PassageStore.open(local_settings(tmp_path), embedder) as store:
        assert store.count() == 2
        assert store.search("Springfield")[0].chunk.text.startswith("Acme Corp")


def test_empty_store_and_empty_query_find_nothing(tmp_path: Path, embedder: Embedder) -> None:
    with PassageStore.open(local_settings(tmp_path), embedder) as store:
        assert store.search("outlook for 2013") == []
        store.replace("acme-2012-q4", other_release_chunks())
        assert store.search("   ") == []
        assert store.search("outlook", k=0) == []


@pytest.mark.parametrize("damage", ["header", "pages"])
def test_corrupt_index_folder_raises_index_corrupt_naming_it(
    tmp_path: Path, embedder: Embedder, damage: str
) -> None:
    with PassageStore.open(local_settings(tmp_path), embedder) as store:
        store.replace("acme-2012-q4", other_release_chunks())
    sqlite_file = tmp_path / "chroma" / "chroma.sqlite3"
    size = sqlite_file.stat().st_size
    with sqlite_file.open("r+b") as f:
        f.seek(0 if damage == "header" else 4096)
        f.write(b"not a database " * ((size - 4096) // 15))

    for _ in range(2):
        with pytest.raises(IndexCorrupt, match=str(tmp_path / "chroma")):
            PassageStore.open(local_settings(tmp_path), embedder)


def test_unreachable_server_raises_index_missing(embedder: Embedder) -> None:
    settings = Settings.from_env({"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(free_port())})

    with pytest.raises(IndexMissing, match=f"127.0.0.1:{settings.chroma_port}"):
        PassageStore.open(settings, embedder)


def test_importing_the_index_modules_loads_neither_torch_nor_chromadb() -> None:
    code = (
        "import sys, index.chunks, index.embeddings, index.vector_store\n"
        "heavy = {'torch', 'sentence_transformers', 'chromadb'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )

    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True)


def test_embedder_gives_normalized_vectors_of_its_dimension(embedder: Embedder) -> None:
    vectors = embedder.embed_documents(["Revenue grew.", "Gross margin fell."])

    assert embedder.dimension == 384
    assert [len(v) for v in vectors] == [384, 384]
    assert all(sum(x * x for x in v) == pytest.approx(1.0, abs=1e-5) for v in vectors)
    assert embedder.embed_query("Revenue grew.") == pytest.approx(vectors[0], abs=1e-5)
    assert embedder.embed_documents([]) == []


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[Settings]:
    """A real `chroma run` on a free local port, stopped when the test ends."""
    port = free_port()
    log = (tmp_path / "chroma-server.log").open("wb")
    server = subprocess.Popen(
        [CHROMA, "run", "--path", tmp_path / "server", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    try:
        wait_for_heartbeat(f"http://127.0.0.1:{port}/api/v2/heartbeat", server)
        yield Settings.from_env({"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(port)})
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def wait_for_heartbeat(url: str, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"chroma run exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"no heartbeat from {url} within {timeout} s")


@pytest.mark.server
def test_chroma_server_stores_and_searches_passages(
    chroma_server: Settings, embedder: Embedder, release_chunks: list[Chunk]
) -> None:
    with PassageStore.open(chroma_server, embedder) as store:
        assert store.replace(RELEASE, release_chunks) == len(release_chunks)
        assert store.replace(RELEASE, release_chunks) == store.count(RELEASE)

        best = store.search("where can I find the webcast", release=RELEASE)[0]

    assert store.where == f"the Chroma server at 127.0.0.1:{chroma_server.chroma_port}"
    assert best.chunk.first_line == 29
    assert best.score > 0.3
