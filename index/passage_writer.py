"""A new embedded passage store written through Chroma's Rust engine, without the chromadb package.

An ingest into an embedded index has one store to write, into a new version folder no one else
opens: the current version's records (those of the releases it replaces left out), then the new
chunks and their vectors, in one collection. chromadb's client would cost that ingest most of a
second to import (`index/chroma_engine.py`); the engine writes the same store, record for record
and in the same order, which chromadb's PersistentClient, `PassageStore` and `EngineReader` then
open like any other. Anything else (a Chroma server, an engine that refuses, a store it cannot
read) stays with `PassageStore`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from index.chroma_engine import (
    COLLECTION_CONFIGURATION,
    DATABASE,
    TENANT,
    open_engine,
    sound_store,
)
from index.chunks import Chunk
from index.closing import Closing
from index.vector_store import COLLECTION, SPACE, _metadata

RECORD = ["embeddings", "documents", "metadatas"]


class EngineRefused(Exception):
    """The engine could not write the store; the caller writes it with `PassageStore`."""


class EngineStore(Closing):
    """The store of a new version being written: copy the current one's records, add chunks,
    close. Every failure of the engine is an EngineRefused."""

    def __init__(self, engine: Any, collection: str, folder: Path) -> None:
        self._engine = engine
        self._collection = collection
        self.folder = folder

    @classmethod
    def create(cls, folder: Path) -> EngineStore:
        """The store in `folder`, which must hold none, with its empty collection."""
        engine = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            engine = open_engine(folder)
            collection = engine.create_collection(
                COLLECTION, COLLECTION_CONFIGURATION, None, None, False, TENANT, DATABASE
            )
        except Exception as e:
            engine = None  # its files closed before the caller removes the folder
            raise EngineRefused(f"the Chroma engine cannot create a store in {folder} ({e})") from e
        return cls(engine, str(collection.id), folder)

    def copy_from(self, source: Path, skip: set[str]) -> dict[str, list[float]]:
        """Copy every record of the store in `source` whose release is not in `skip`, a page at a
        time as chromadb's client pages it; return the vector of every text `source` holds."""
        if not sound_store(source):
            raise EngineRefused(f"no readable store in {source}")
        vectors: dict[str, list[float]] = {}
        try:
            old = open_engine(source)
            for page in _pages(old, _cosine_collection(old, source), self._page()):
                self._keep(page, skip)
                vectors.update(
                    (text, list(page.embeddings[k]))
                    for k, text in enumerate(page.documents)
                    if text
                )
        except EngineRefused:
            raise
        except Exception as e:
            raise EngineRefused(f"the Chroma engine cannot copy {source} ({e})") from e
        finally:
            old = None  # closes its files now, even while a traceback holds this frame
        return vectors

    def _keep(self, page: Any, skip: set[str]) -> None:
        """Store the records of `page` whose release is not in `skip`."""
        kept = [
            k for k, meta in enumerate(page.metadatas) if str(meta.get("release", "")) not in skip
        ]
        if kept:
            self._upsert(
                [page.ids[k] for k in kept],
                [page.embeddings[k] for k in kept],
                [page.metadatas[k] for k in kept],
                [page.documents[k] for k in kept],
            )

    def add(
        self,
        chunks: Sequence[Chunk],
        vectors: Mapping[str, list[float]],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Store `chunks`, each with the vector of its text, in batches as large as the engine
        takes; `progress` hears how many are stored so far."""
        ids = [c.id for c in chunks]
        if len(set(ids)) != len(ids):
            raise ValueError("two chunks share an id")
        embeddings = [vectors[c.text] for c in chunks]
        step = self._page()
        for i in range(0, len(chunks), step):
            batch = chunks[i : i + step]
            self._upsert(
                ids[i : i + step],
                embeddings[i : i + step],
                [_metadata(c) for c in batch],
                [c.text for c in batch],
            )
            if progress is not None:
                progress(i + len(batch))
        return len(chunks)

    def _page(self) -> int:
        """As many records as one call may carry."""
        return int(self._engine.get_max_batch_size())

    def count(self) -> int:
        try:
            return int(self._engine.count(self._collection, TENANT, DATABASE))
        except Exception as e:
            raise EngineRefused(f"the Chroma engine cannot count {self.folder} ({e})") from e

    def _upsert(
        self,
        ids: list[str],
        embeddings: list[list[float]],
        metadatas: list[Any],
        documents: list[str],
    ) -> None:
        try:
            self._engine.upsert(
                self._collection, ids, embeddings, metadatas, documents, None, TENANT, DATABASE
            )
        except Exception as e:
            raise EngineRefused(f"the Chroma engine cannot write {self.folder} ({e})") from e

    def close(self) -> None:
        """Let the engine go, which closes its files: the store is then complete on disk."""
        self._engine = None


def _cosine_collection(engine: Any, source: Path) -> str:
    """The id of the passage collection in `source`, which must be built for cosine distance."""
    collection = engine.get_collection(COLLECTION, TENANT, DATABASE)
    space = ((collection.configuration or {}).get("hnsw") or {}).get("space")
    if space != SPACE:
        raise EngineRefused(f"the store in {source} was built for {space} distance")
    return str(collection.id)


def _pages(engine: Any, collection: str, step: int) -> Iterator[Any]:
    """Every record of `collection` with its vector, document and metadata, `step` at a time."""
    offset = 0
    while True:
        page = engine.get(collection, None, None, step, offset, None, RECORD, TENANT, DATABASE)
        if not page.ids:
            return
        offset += len(page.ids)
        yield page


def write_store(
    folder: Path,
    chunks: Sequence[Chunk],
    vectors: Mapping[str, list[float]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """A new store in `folder` holding `chunks` alone; how many it holds."""
    with EngineStore.create(folder) as store:
        store.add(chunks, vectors, progress)
        return store.count()
