"""The store Chroma's engine writes is the store chromadb's client writes: the same collection,
the same records, the same nearest passages through chromadb's PersistentClient and through
EngineReader. An ingest into a fresh embedded index writes it without importing chromadb, and
leaves the store to chromadb's client when the engine refuses."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import index.passage_writer
from eval.synthetic import make_release
from index.chroma_engine import COLLECTION_CONFIGURATION
from index.chunks import Chunk, chunk_passages
from index.config import DEFAULT_RELEASE, PROJECT_ROOT, Settings
from index.embeddings import shared_embedder
from index.ingest import ingest
from index.passage_reader import EngineReader
from index.passage_writer import write_store
from index.segment import segment
from index.vector_store import COLLECTION, SPACE, SQLITE_FILE, PassageStore
from index.versions import current_folder

RELEASE = "infinera-2012-q4"
QUESTIONS = (
    "Who leads the company?",
    "Where are the headquarters?",
    "How can investors listen to the call?",
    "What risks could make results differ?",
    "Which measures are not prepared under GAAP?",
    "What is the company's business?",
)


@pytest.fixture(scope="module")
def chunks() -> list[Chunk]:
    text = DEFAULT_RELEASE.read_text(encoding="utf-8")
    return chunk_passages(segment(text, RELEASE).passages, RELEASE)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, chunks: list[Chunk]) -> tuple[Path, Path]:
    """The bundled release's passages written by the engine, and by chromadb's client."""
    root = tmp_path_factory.mktemp("stores")
    embedder = shared_embedder()
    vectors = dict(zip(*_texts_and_vectors(chunks), strict=True))
    write_store(root / "engine" / "chroma", chunks, vectors)
    settings = Settings.from_env({"BOT_INDEX_DIR": str(root / "client")})
    with PassageStore.open(settings, embedder) as store:
        store.add(chunks, vectors)
    return root / "engine" / "chroma", root / "client" / "chroma"


def _texts_and_vectors(chunks: list[Chunk]) -> tuple[list[str], list[list[float]]]:
    texts = list(dict.fromkeys(c.text for c in chunks))
    return texts, shared_embedder().embed_documents(texts)


def _client(folder: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(
        path=str(folder), settings=ChromaSettings(anonymized_telemetry=False)
    )


def _collection_row(folder: Path) -> tuple[int, Any, Any, str]:
    with sqlite3.connect(folder / SQLITE_FILE) as db:
        dimension, configuration, schema, name = db.execute(
            "SELECT dimension, config_json_str, schema_str, name FROM collections"
        ).fetchone()
    return dimension, json.loads(configuration), json.loads(schema), name


def test_the_collection_configuration_is_the_one_chromadbs_client_sends() -> None:
    from chromadb.api.collection_configuration import (
        create_collection_configuration_to_json_str,
    )

    sent = create_collection_configuration_to_json_str({"hnsw": {"space": SPACE}}, None)

    assert json.loads(COLLECTION_CONFIGURATION) == json.loads(sent)


def test_the_engine_writes_the_collection_chromadbs_client_writes(
    stores: tuple[Path, Path],
) -> None:
    engine, client = stores

    assert _collection_row(engine) == _collection_row(client)
    assert _collection_row(engine)[3] == COLLECTION


def test_chromadb_reads_the_same_records_from_either_store(stores: tuple[Path, Path]) -> None:
    got = {}
    for name, folder in zip(("engine", "client"), stores, strict=True):
        client = _client(folder)
        try:
            records = client.get_collection(COLLECTION).get(
                include=["embeddings", "documents", "metadatas"]
            )
        finally:
            client.close()
        order = np.argsort(records["ids"])
        got[name] = (
            [records["ids"][i] for i in order],
            [records["documents"][i] for i in order],
            [records["metadatas"][i] for i in order],
            np.asarray(records["embeddings"])[order],
        )

    assert got["engine"][:3] == got["client"][:3]
    assert np.array_equal(got["engine"][3], got["client"][3])


def test_chromadb_finds_the_same_top_passages_in_either_store(stores: tuple[Path, Path]) -> None:
    vectors = shared_embedder().embed_documents(list(QUESTIONS))
    found = {}
    for name, folder in zip(("engine", "client"), stores, strict=True):
        client = _client(folder)
        try:
            found[name] = client.get_collection(COLLECTION).query(
                query_embeddings=vectors, n_results=4, include=["documents", "distances"]
            )
        finally:
            client.close()

    # Chunks of the same text (a sentence printed twice) tie exactly, in either order.
    assert found["engine"]["documents"] == found["client"]["documents"]
    assert np.allclose(found["engine"]["distances"], found["client"]["distances"], atol=1e-6)


def test_the_engine_reader_finds_in_an_engine_written_index_what_chromadb_finds(
    tmp_path: Path, chunks: list[Chunk]
) -> None:
    settings = replace(Settings.from_env(), index_dir=tmp_path / "index", chroma_host=None)
    ingest([DEFAULT_RELEASE], settings)
    reader = EngineReader.open(settings, shared_embedder())
    with PassageStore.open(settings, shared_embedder()) as store:
        for question in QUESTIONS:
            got = reader.search(question, k=4)
            want = store.search(question, k=4)

            assert [h.chunk.text for h in got] == [h.chunk.text for h in want], question
            assert [h.score for h in got] == pytest.approx([h.score for h in want], abs=1e-6)
        assert store.count() == len(chunks)


def test_two_chunks_with_one_id_are_refused(tmp_path: Path, chunks: list[Chunk]) -> None:
    vectors = dict(zip(*_texts_and_vectors(chunks[:1]), strict=True))

    with pytest.raises(ValueError, match="share an id"):
        write_store(tmp_path / "chroma", [chunks[0], chunks[0]], vectors)


FRESH = """
import json, sys
from bot.cli import main
codes = [main(["ingest"]), main(["ingest", *sys.argv[1:]])]
print(json.dumps({"codes": codes, "chromadb": "chromadb" in sys.modules}))
"""


def test_ingests_into_an_embedded_index_do_not_import_chromadb(
    tmp_path: Path, chunks: list[Chunk]
) -> None:
    """The first builds a new store; the second copies it into the next version."""
    (other,) = _releases(tmp_path, 1)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "HF_HUB_OFFLINE": "1"}
    env["BOT_INDEX_DIR"] = str(tmp_path / "index")
    env.pop("CHROMA_HOST", None)
    done = subprocess.run(
        [sys.executable, "-c", FRESH, str(other)],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {"codes": [0, 0], "chromadb": False}
    settings = replace(Settings.from_env(), index_dir=tmp_path / "index", chroma_host=None)
    with PassageStore.open(settings, shared_embedder()) as store:
        assert store.count(RELEASE) == len(chunks)
        assert store.count() > len(chunks)


def test_a_version_built_on_another_holds_what_chromadbs_client_would_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three releases, then two more (one of them replacing one held): the engine copies the
    records held into the new version as the client does, in the same order."""
    paths = _releases(tmp_path, 4)
    got = {}
    for name in ("engine", "client"):
        settings = replace(Settings.from_env(), index_dir=tmp_path / name, chroma_host=None)
        with monkeypatch.context() as patched:
            if name == "client":
                patched.setattr(index.passage_writer, "open_engine", _refuse)
            ingest(paths[:3], settings)
            ingest([paths[1], paths[3]], settings)
        client = _client(current_folder(settings.index_dir) / "chroma")
        try:
            records = client.get_collection(COLLECTION).get(
                include=["embeddings", "documents", "metadatas"]
            )
        finally:
            client.close()
        got[name] = records

    assert got["engine"]["ids"] == got["client"]["ids"]
    assert got["engine"]["documents"] == got["client"]["documents"]
    assert got["engine"]["metadatas"] == got["client"]["metadatas"]
    assert np.array_equal(got["engine"]["embeddings"], got["client"]["embeddings"])


def _releases(folder: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        rid, text = make_release(i)
        paths.append(folder / f"{rid}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    return paths


def _refuse(folder: Path) -> Any:
    raise RuntimeError("refused")


def test_when_the_engine_refuses_chromadbs_client_writes_the_store(
    tmp_path: Path, chunks: list[Chunk], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []

    def refusing(folder: Path) -> Any:
        opened.append(folder)
        (folder / "half-written").write_text("")
        raise RuntimeError("refused")

    monkeypatch.setattr(index.passage_writer, "open_engine", refusing)
    settings = replace(Settings.from_env(), index_dir=tmp_path / "index", chroma_host=None)
    report = ingest([DEFAULT_RELEASE], settings)

    folder = current_folder(settings.index_dir) / "chroma"
    assert opened == [folder]
    assert not (folder / "half-written").exists()
    assert report.chunks == len(chunks)
    with PassageStore.open(settings, shared_embedder()) as store:
        assert store.count(RELEASE) == len(chunks)
        assert store.search(QUESTIONS[0], k=1)
