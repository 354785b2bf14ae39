"""The ONNX embedder against its reference, sentence-transformers, on the bundled release; the
graph cache rebuilt when damaged and built once by processes that start together; the search
path of a cold process free of torch and of the chromadb package."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from index.chunks import Chunk, chunk_passages
from index.config import DEFAULT_RELEASE, PROJECT_ROOT, Settings
from index.embeddings import Embedder, shared_embedder
from index.errors import IndexCorrupt
from index.onnx_model import (
    GRAPH,
    PROBE,
    WEIGHTS,
    EmbeddingModelUnavailable,
    cache_key,
    load_encoder,
    packaged_model_dir,
)
from index.passage_reader import EngineReader, open_search
from index.release import read_release
from index.segment import segment
from index.vector_store import PassageStore

RELEASE = "infinera-2012-q4"
MIN_COSINE = 0.9999
TEMPLATES = ("What was {label} in {period}?", "How did {label} change over the year?")
PROSE = (
    "Who is the chief executive?",
    "Where is the company based?",
    "Where can I find the webcast?",
    "How long is the replay archived?",
    "What did management say about the outlook?",
    "What does the company sell?",
    "What do the non-GAAP measures exclude?",
    "Who should investors contact?",
    "When is the conference call?",
    "What are the forward-looking statements about?",
)


class Reference:
    """The packaged model as sentence-transformers runs it: what the graph must reproduce.
    Each text is encoded once, in batches, since several tests embed the same questions."""

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(packaged_model_dir()), device="cpu")
        self._seen: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        new = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if new:
            vectors = self.model.encode(new, normalize_embeddings=True, batch_size=32)
            self._seen.update(zip(new, vectors.tolist(), strict=True))
        return [self._seen[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


@cache
def reference() -> Reference:
    return Reference()


@pytest.fixture(scope="module")
def chunks() -> list[Chunk]:
    text = DEFAULT_RELEASE.read_text(encoding="utf-8")
    return chunk_passages(segment(text, RELEASE).passages, RELEASE)


@pytest.fixture(scope="module")
def passages() -> list[str]:
    """Every narrative window at three sizes, every worded line of the release, and runs of
    paragraphs longer than the model reads (truncated at 256 tokens either way)."""
    text = DEFAULT_RELEASE.read_text(encoding="utf-8")
    found = segment(text, RELEASE).passages
    windows = [c.text for size in (700, 250, 120) for c in chunk_passages(found, RELEASE, size)]
    lines = [line.strip() for line in text.splitlines() if len(line.split()) >= 3]
    paragraphs = [p.text for p in found]
    runs = [" ".join(paragraphs[i : i + 6]) for i in range(0, len(paragraphs), 6)]
    return list(dict.fromkeys(windows + lines + runs))


@pytest.fixture(scope="module")
def questions() -> list[str]:
    """Questions a user would ask, written from the release's own rows and periods."""
    facts = read_release(DEFAULT_RELEASE).facts
    labels = sorted({f.label for f in facts})
    periods = sorted({f.period.label for f in facts if f.period is not None})
    asked = [
        template.format(label=label, period=periods[i % len(periods)])
        for i, label in enumerate(labels)
        for template in TEMPLATES
    ]
    return list(dict.fromkeys(asked)) + list(PROSE)


def cosines(a: list[list[float]], b: list[list[float]]) -> np.ndarray:
    return (np.asarray(a) * np.asarray(b)).sum(axis=1)


def test_passages_embed_as_sentence_transformers_embeds_them(passages: list[str]) -> None:
    assert len(passages) >= 300
    got = shared_embedder().embed_documents(passages)
    low = cosines(got, reference().embed_documents(passages))

    assert low.min() >= MIN_COSINE, passages[int(low.argmin())]


def test_questions_embed_as_sentence_transformers_embeds_them(questions: list[str]) -> None:
    assert len(questions) >= 200
    got = [shared_embedder().embed_query(q) for q in questions]
    low = cosines(got, reference().embed_documents(questions))

    assert low.min() >= MIN_COSINE, questions[int(low.argmin())]


def test_the_store_returns_the_same_top_passages_either_way(
    tmp_path: Path, chunks: list[Chunk], questions: list[str]
) -> None:
    ours = PassageStore.open(Settings.from_env({"BOT_INDEX_DIR": str(tmp_path / "a")}), Embedder())
    theirs = PassageStore.open(
        Settings.from_env({"BOT_INDEX_DIR": str(tmp_path / "b")}),
        reference(),  # type: ignore[arg-type]
    )
    reference().embed_documents(questions)
    with ours, theirs:
        ours.replace(RELEASE, chunks)
        theirs.replace(RELEASE, chunks)
        for question in questions:
            got = ours.search(question, k=4, release=RELEASE)
            want = theirs.search(question, k=4, release=RELEASE)

            # Chunks of the same text (a sentence printed twice) tie exactly, in either order.
            assert [h.chunk.text for h in got] == [h.chunk.text for h in want], question
            assert [h.score for h in got] == pytest.approx([h.score for h in want], abs=1e-4)


def test_the_engine_reader_finds_what_the_store_finds(
    tmp_path: Path, chunks: list[Chunk], questions: list[str]
) -> None:
    settings = Settings.from_env({"BOT_INDEX_DIR": str(tmp_path)})
    with PassageStore.open(settings, shared_embedder()) as store:
        store.replace(RELEASE, chunks)
        store.replace("another-release", [_other(c) for c in chunks[:3]])
        reader = EngineReader.open(settings, shared_embedder())
        for question in questions[::10]:
            for release in (RELEASE, "another-release", None):
                got = reader.search(question, k=4, release=release)
                want = store.search(question, k=4, release=release)

                assert [(h.chunk.text, h.score) for h in got] == [
                    (h.chunk.text, h.score) for h in want
                ], (question, release)


def _other(chunk: Chunk) -> Chunk:
    return Chunk(
        id=chunk.id.replace(RELEASE, "another-release"),
        release="another-release",
        text=chunk.text,
        first_line=chunk.first_line,
        last_line=chunk.last_line,
        section=chunk.section,
        kind=chunk.kind,
    )


COLD = """
import json, sys
from bot.service import Service
answer = Service.open(build=False).ask(sys.argv[1])
heavy = {"torch", "sentence_transformers", "transformers", "chromadb"}
runtime = {"onnxruntime", "tokenizers", "chromadb_rust_bindings"}
print(json.dumps({"found": answer.found, "heavy": sorted(heavy & set(sys.modules)),
                  "runtime": sorted(runtime & set(sys.modules))}))
"""


@pytest.fixture(scope="module")
def cold_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a user whose index was built by `bot ingest`."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env["BOT_INDEX_DIR"] = str(tmp_path_factory.mktemp("index"))
    env.pop("CHROMA_HOST", None)
    build = [sys.executable, "-m", "bot", "ingest"]
    subprocess.run(build, cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
    return env


def cold(env: dict[str, str], question: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", COLD, question],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_a_cold_prose_answer_loads_neither_torch_nor_the_chromadb_package(
    cold_env: dict[str, str],
) -> None:
    assert cold(cold_env, "Who is the chief executive?") == {
        "found": True,
        "heavy": [],
        "runtime": ["chromadb_rust_bindings", "onnxruntime", "tokenizers"],
    }


def test_a_cold_table_answer_loads_no_embedding_runtime_or_store(
    cold_env: dict[str, str],
) -> None:
    assert cold(cold_env, "What was Q3 DSO?") == {"found": True, "heavy": [], "runtime": []}


def build_in(root: Path, processes: int) -> list[subprocess.CompletedProcess[str]]:
    """Start `processes` loaders of the graph at once over `root`; wait for all."""
    code = (
        "import sys, logging; from pathlib import Path\n"
        "logging.basicConfig(level=logging.WARNING, format='%(message)s')\n"
        "from index.onnx_model import load_encoder\n"
        "e = load_encoder(root=Path(sys.argv[1]))\n"
        "print(e.encode(['Revenue grew.'])[0][:4].tolist())\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    running = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(root)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    done = []
    for p in running:
        stdout, stderr = p.communicate(timeout=600)
        done.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return done


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A cache folder built by two processes started together, and what each printed."""
    root = tmp_path_factory.mktemp("graphs")
    runs = build_in(root, 2)
    assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
    builds = sum(r.stderr.count("building the ONNX graph") for r in runs)
    return root, [r.stdout for r in runs] + [str(builds)]


def test_processes_starting_together_build_the_graph_once(built: tuple[Path, list[str]]) -> None:
    root, (first, second, builds) = built
    folder = root / cache_key(packaged_model_dir())

    assert builds == "1"
    assert first == second
    assert {p.name for p in root.iterdir() if not p.name.startswith(".")} == {folder.name}
    assert {p.name for p in folder.iterdir()} == {GRAPH, WEIGHTS, PROBE}


@pytest.mark.parametrize("damage", ["zeroed weights", "truncated graph", "missing weights"])
def test_a_damaged_graph_is_rebuilt(
    tmp_path: Path, built: tuple[Path, list[str]], damage: str
) -> None:
    root, _ = built
    name = cache_key(packaged_model_dir())
    shutil.copytree(root / name, tmp_path / name)
    folder = tmp_path / name
    if damage == "zeroed weights":
        with (folder / WEIGHTS).open("r+b") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(size // 2)
            f.write(bytes(size - size // 2))
    elif damage == "truncated graph":
        graph = folder / GRAPH
        graph.write_bytes(graph.read_bytes()[:1000])
    else:
        (folder / WEIGHTS).unlink()

    encoder = load_encoder(root=tmp_path)
    got = encoder.encode(["Revenue grew."]).tolist()

    assert cosines(got, reference().embed_documents(["Revenue grew."]))[0] >= MIN_COSINE
    assert filecmp.cmp(folder / WEIGHTS, root / name / WEIGHTS, shallow=False)


def test_a_graph_that_cannot_be_built_is_one_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")

    with pytest.raises(EmbeddingModelUnavailable, match="cannot be built in .*not-a-folder"):
        load_encoder(root=blocker)


def test_the_engine_reader_refuses_a_collection_of_another_distance(tmp_path: Path) -> None:
    import chromadb

    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"))
    client.create_collection("passages", configuration={"hnsw": {"space": "l2"}})
    settings = Settings.from_env({"BOT_INDEX_DIR": str(tmp_path)})

    with pytest.raises(ValueError, match="l2"):
        EngineReader.open(settings, shared_embedder())


def test_a_damaged_store_reads_as_the_passage_store_reports_it(tmp_path: Path) -> None:
    (tmp_path / "chroma").mkdir()
    (tmp_path / "chroma" / "chroma.sqlite3").write_bytes(b"not a database" * 10)
    settings = Settings.from_env({"BOT_INDEX_DIR": str(tmp_path)})

    with pytest.raises(IndexCorrupt, match="damaged chroma.sqlite3"):
        open_search(settings, shared_embedder())
