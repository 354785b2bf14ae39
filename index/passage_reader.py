"""Nearest-passage search over the embedded Chroma store, without importing the chromadb package.

`import chromadb` alone takes most of a second (its API types, telemetry and the client of every
embedding provider), more than a whole prose answer may take from a cold start. The store is
Chroma's Rust engine, which chromadb's PersistentClient wraps (chromadb/api/rust.py); answering
only needs its query, so a cold process asks the engine directly, opened the way that client
opens it (`index/chroma_engine.py`; a fresh store is written the same way, by
`index/passage_writer.py`). The search goes through `PassageStore` instead for a Chroma server,
when chromadb is already loaded in this process (an ingest ran here: two engines over one
folder do not see each other's writes), and whenever the engine refuses anything, so that
errors read the same whichever path ran.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Protocol

from index.chroma_engine import DATABASE, TENANT, open_engine, sound_store
from index.config import Settings
from index.embeddings import Embedder
from index.vector_store import COLLECTION, SPACE, Hit, _chunk
from index.versions import current_folder

INCLUDE = ["documents", "metadatas", "distances"]


class PassageSearch(Protocol):
    def search(self, query: str, k: int = 4, release: str | None = None) -> list[Hit]: ...


class EngineReader:
    """Read-only search through the Chroma engine of one persistent folder."""

    def __init__(
        self, bindings: Any, collection_id: str, settings: Settings, embedder: Embedder
    ) -> None:
        self._bindings = bindings
        self._collection_id = collection_id
        self._settings = settings
        self._embedder = embedder
        self._fallback: PassageSearch | None = None

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder) -> EngineReader:
        """Raises when the folder holds no readable cosine collection; the caller falls back."""
        bindings = open_engine(current_folder(settings.index_dir) / "chroma")
        collection = bindings.get_collection(COLLECTION, TENANT, DATABASE)
        space = ((collection.configuration or {}).get("hnsw") or {}).get("space")
        if space != SPACE:
            raise ValueError(f"collection built for {space} distance")
        return cls(bindings, str(collection.id), settings, embedder)

    def search(self, query: str, k: int = 4, release: str | None = None) -> list[Hit]:
        """The `k` chunks nearest in meaning to `query`, best first."""
        if k < 1 or not query.strip():
            return []
        if self._fallback is not None:
            return self._fallback.search(query, k=k, release=release)
        vector = self._embedder.embed_query(query)
        try:
            result = self._bindings.query(
                self._collection_id,
                None,
                [vector],
                k,
                json.dumps({"release": release}) if release else None,
                None,
                INCLUDE,
                TENANT,
                DATABASE,
            )
            rows = zip(
                result.ids[0],
                result.documents[0],
                result.metadatas[0],
                result.distances[0],
                strict=True,
            )
            return [Hit(_chunk(id_, text, meta), 1.0 - float(d)) for id_, text, meta, d in rows]
        except Exception:
            self._fallback = _store(self._settings, self._embedder)
            return self._fallback.search(query, k=k, release=release)


def open_search(settings: Settings, embedder: Embedder) -> PassageSearch:
    """The fastest way to search the configured store from this process."""
    folder = current_folder(settings.index_dir) / "chroma"
    if settings.chroma_host or "chromadb.api" in sys.modules or not sound_store(folder):
        return _store(settings, embedder)
    try:
        return EngineReader.open(settings, embedder)
    except Exception:
        return _store(settings, embedder)


def _store(settings: Settings, embedder: Embedder) -> PassageSearch:
    from index.vector_store import PassageStore

    return PassageStore.open(settings, embedder)
