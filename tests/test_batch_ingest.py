"""Many releases in one `bot ingest`: one new index version for the batch, each distinct
passage text embedded once across the releases, progress told step by step."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from test_cli import run

import index.embeddings
from eval.synthetic import make_release
from index.config import Settings
from index.embeddings import Embedder, shared_embedder
from index.facts_store import FactsStore
from index.ingest import ingest
from index.vector_store import PassageStore
from index.versions import VERSIONS

BATCH = 4


class CountingEmbedder(Embedder):
    """The real model, counting the texts it is given to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts += texts
        return shared_embedder().embed_documents(texts)

    @property
    def loaded(self) -> bool:
        return shared_embedder().loaded


def releases(folder: Path, count: int, first: int = 0) -> list[Path]:
    paths = []
    for i in range(first, first + count):
        rid, text = make_release(i)
        path = folder / f"{rid}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def settings_for(index_dir: Path) -> Settings:
    return replace(Settings.from_env(), index_dir=index_dir, chroma_host=None)


def test_a_batch_is_one_version_with_each_distinct_passage_embedded_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = CountingEmbedder()
    monkeypatch.setattr(index.embeddings, "shared_embedder", lambda: spy)
    settings = settings_for(tmp_path / "index")
    steps: list[tuple[str, int, int]] = []
    report = ingest(releases(tmp_path, BATCH), settings, progress=lambda *s: steps.append(s))
    assert len(list((settings.index_dir / VERSIONS).iterdir())) == 1
    with PassageStore.open(settings, shared_embedder()) as store:
        stored = store._collection.get(include=["documents"])["documents"]
    assert len(stored) == report.chunks
    embedded = sorted(t for t in spy.texts if t != "warm up")  # the model load, timed apart
    assert embedded == sorted(set(stored))  # shared texts embedded once, not per release
    assert len(set(stored)) < len(stored)  # the releases do share passages
    assert [s for s in steps if s[0] == "read"][-1] == ("read", BATCH, BATCH)
    assert steps[-1] == ("store", report.chunks, report.chunks)
    facts = FactsStore.open(settings.index_dir)
    assert len(facts.release_ids()) == BATCH
    assert sum(len(facts.facts(r)) for r in facts.release_ids()) == len(facts.facts())


def test_a_second_batch_embeds_only_what_the_index_does_not_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path / "index")
    ingest(releases(tmp_path, 2), settings)
    with PassageStore.open(settings, shared_embedder()) as store:
        held = set(store._collection.get(include=["documents"])["documents"])
    spy = CountingEmbedder()
    monkeypatch.setattr(index.embeddings, "shared_embedder", lambda: spy)
    ingest(releases(tmp_path, 2, first=2), settings)
    embedded = {t for t in spy.texts if t != "warm up"}
    assert embedded and not embedded & held
    assert len(FactsStore.open(settings.index_dir).release_ids()) == 4


def test_bot_ingest_of_many_files_shows_progress_on_stderr_and_one_summary(
    tmp_path: Path,
) -> None:
    paths = releases(tmp_path, 6)
    done = run(tmp_path / "index", "ingest", "--progress", *map(str, paths))
    assert done.returncode == 0, done.stderr
    assert "read+check" in done.stderr and "6/6" in done.stderr
    assert "embed" in done.stderr and "store" in done.stderr
    (summary,) = done.stdout.splitlines()
    assert summary.startswith("Ingested 6 releases (") and "passages" in summary
    quiet = run(tmp_path / "index2", "ingest", "--no-progress", str(paths[0]))
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_the_stored_passages_are_copied_page_by_page_into_the_next_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server caps what one request carries: with pages of 50, every passage of the releases
    already held reaches the new version, with its vector, whether Chroma's engine or chromadb's
    client copies them."""
    from chromadb.api.client import Client

    from index.passage_writer import EngineStore

    settings = settings_for(tmp_path / "index")
    ingest(releases(tmp_path, 3), settings)
    with PassageStore.open(settings, shared_embedder()) as store:
        before = store._collection.get(include=["embeddings"])
    monkeypatch.setattr(Client, "get_max_batch_size", lambda self: 50)
    monkeypatch.setattr(EngineStore, "_page", lambda self: 50)
    report = ingest(releases(tmp_path, 1, first=3), settings)
    with PassageStore.open(settings, shared_embedder()) as store:
        after = store._collection.get(include=["embeddings"])
    assert len(before["ids"]) > 50
    assert len(after["ids"]) == len(before["ids"]) + report.chunks
    vectors = dict(zip(after["ids"], after["embeddings"], strict=True))
    for pid, vec in zip(before["ids"], before["embeddings"], strict=True):
        assert max(abs(a - b) for a, b in zip(vectors[pid], vec, strict=True)) < 1e-6
