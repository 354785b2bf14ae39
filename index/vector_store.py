"""The narrative passages of every release, embedded and stored in Chroma.

An embedded store in the current index version's folder by default; a Chroma server when
CHROMA_HOST is set, with one collection per index version.
Vectors always come from our Embedder, never from Chroma's default embedding function
(which would download a model). chromadb is imported on open, not at module import, so
table-only commands do not pay for it; and an ingest into an embedded index writes its new
store through Chroma's engine instead (`index/passage_writer.py`), coming here only when the
engine refuses.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.chunks import Chunk
from index.closing import Closing
from index.config import Settings
from index.embeddings import Embedder
from index.errors import IndexCorrupt, IndexMissing
from index.versions import current_folder

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

COLLECTION = "passages"
SPACE = "cosine"
SQLITE_FILE = "chroma.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"
REBUILD = "rebuild it with `bot ingest`"


@dataclass(frozen=True)
class Hit:
    """A stored chunk and its cosine similarity to the query (1 is identical)."""

    chunk: Chunk
    score: float


class PassageStore(Closing):
    """Chroma behind four verbs: replace a release's chunks, search, count, close."""

    def __init__(
        self, client: ClientAPI, collection: Collection, embedder: Embedder, where: str
    ) -> None:
        self._client = client
        self._collection = collection
        self._embedder = embedder
        self.where = where

    @classmethod
    def open(
        cls, settings: Settings, embedder: Embedder, folder: Path | None = None
    ) -> PassageStore:
        """Connect to the store of index version `folder` (default: the current one), creating
        the folder and collection if needed."""
        folder = current_folder(settings.index_dir) if folder is None else folder
        if settings.chroma_host:
            client, where = _server_client(settings)
        else:
            client, where = _persistent_client(folder / "chroma")
        try:
            with _translated_errors(where):
                collection = client.get_or_create_collection(
                    _collection_name(settings, folder),
                    configuration={"hnsw": {"space": SPACE}},
                    embedding_function=None,
                )
            _check_space(collection, where)
        except BaseException:
            client.close()
            raise
        return cls(client, collection, embedder, where)

    def replace(
        self,
        release: str,
        chunks: Sequence[Chunk],
        known: Mapping[str, list[float]] | None = None,
    ) -> int:
        """Make `chunks` the only stored chunks of `release`; safe to run again.

        A text whose vector is `known` (from the version this one replaces, built by the same
        model) is not embedded again, so re-ingesting an unchanged release loads no model.
        """
        strays = sorted({c.release for c in chunks} - {release})
        if strays:
            raise ValueError(f"chunks of {', '.join(strays)} passed to replace({release!r})")
        known = known or {}
        missing = list(dict.fromkeys(c.text for c in chunks if c.text not in known))
        fresh = dict(zip(missing, self._embedder.embed_documents(missing), strict=True))
        vectors = [known[c.text] if c.text in known else fresh[c.text] for c in chunks]
        with _translated_errors(self.where):
            self._collection.delete(where={"release": release})
            step = self._client.get_max_batch_size()
            for i in range(0, len(chunks), step):
                batch = chunks[i : i + step]
                self._collection.upsert(
                    ids=[c.id for c in batch],
                    embeddings=vectors[i : i + step],
                    documents=[c.text for c in batch],
                    metadatas=[_metadata(c) for c in batch],
                )
        return len(chunks)

    def add(
        self,
        chunks: Sequence[Chunk],
        vectors: Mapping[str, list[float]],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Store `chunks` of any number of releases, each with the vector of its text, in
        batches as large as the store takes (a batch ingest's one write); `progress` hears
        how many are stored so far."""
        step = self._client.get_max_batch_size()
        with _translated_errors(self.where):
            for i in range(0, len(chunks), step):
                batch = chunks[i : i + step]
                self._collection.upsert(
                    ids=[c.id for c in batch],
                    embeddings=[vectors[c.text] for c in batch],
                    documents=[c.text for c in batch],
                    metadatas=[_metadata(c) for c in batch],
                )
                if progress is not None:
                    progress(i + len(batch))
        return len(chunks)

    def copy_from(self, other: PassageStore, skip: set[str]) -> dict[str, list[float]]:
        """Copy every chunk of `other` (vectors included) whose release is not in `skip`;
        return the vector of every text `other` holds."""
        step = self._client.get_max_batch_size()
        vectors: dict[str, list[float]] = {}
        offset = 0
        while True:
            # A page at a time: a server caps what one request may carry.
            with _translated_errors(other.where):
                got = other._collection.get(
                    include=["embeddings", "documents", "metadatas"], limit=step, offset=offset
                )
            ids = got["ids"]
            if not ids:
                break
            offset += len(ids)
            metadatas = got["metadatas"] or []
            embeddings = got["embeddings"] if got["embeddings"] is not None else []
            documents = got["documents"] or []
            kept = [
                k for k, meta in enumerate(metadatas) if str(meta.get("release", "")) not in skip
            ]
            with _translated_errors(self.where):
                if kept:
                    self._collection.upsert(
                        ids=[ids[k] for k in kept],
                        embeddings=[list(embeddings[k]) for k in kept],
                        documents=[documents[k] for k in kept],
                        metadatas=[metadatas[k] for k in kept],
                    )
            vectors.update((text, list(embeddings[k])) for k, text in enumerate(documents) if text)
        return vectors

    @staticmethod
    def drop(settings: Settings, folder: Path) -> None:
        """Forget the server collection of a removed index version (an embedded store goes
        with its folder)."""
        if not settings.chroma_host:
            return
        client, where = _server_client(settings)
        try:
            with _translated_errors(where):
                client.delete_collection(_collection_name(settings, folder))
        except (ValueError, IndexCorrupt, IndexMissing):
            pass
        finally:
            client.close()

    def search(self, query: str, k: int = 4, release: str | None = None) -> list[Hit]:
        """The `k` chunks nearest in meaning to `query`, best first."""
        if k < 1 or not query.strip():
            return []
        vector = self._embedder.embed_query(query)
        with _translated_errors(self.where):
            result = self._collection.query(
                query_embeddings=[vector],
                n_results=k,
                where={"release": release} if release else None,
                include=["documents", "metadatas", "distances"],
            )
        ids = result["ids"][0]
        documents = (result["documents"] or [[]])[0]
        metadatas = (result["metadatas"] or [[]])[0]
        distances = (result["distances"] or [[]])[0]
        return [
            Hit(_chunk(id_, text, meta), 1.0 - float(distance))
            for id_, text, meta, distance in zip(ids, documents, metadatas, distances, strict=True)
        ]

    def count(self, release: str | None = None) -> int:
        with _translated_errors(self.where):
            if release is None:
                return self._collection.count()
            return len(self._collection.get(where={"release": release}, include=[])["ids"])

    def close(self) -> None:
        """Release the store; an embedded store keeps its SQLite file open until then."""
        self._client.close()


def _collection_name(settings: Settings, folder: Path) -> str:
    """One collection per index version on a server; the embedded store has a folder each."""
    if settings.chroma_host and folder != settings.index_dir:
        return f"{COLLECTION}-{folder.name}"
    return COLLECTION


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


def _persistent_client(folder: Path) -> tuple[ClientAPI, str]:
    where = f"the passage index folder {folder}"
    _check_sqlite_header(folder, where)
    import chromadb

    try:
        return chromadb.PersistentClient(path=str(folder), settings=_chroma_settings()), where
    except Exception as e:
        _forget_failed_system(str(folder))
        raise IndexCorrupt(f"{where} cannot be opened ({e}); delete it and {REBUILD}") from e


def _server_client(settings: Settings) -> tuple[ClientAPI, str]:
    where = f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}"
    import chromadb

    try:
        client = chromadb.HttpClient(
            host=settings.chroma_host or "localhost",
            port=settings.chroma_port,
            settings=_chroma_settings(),
        )
    except Exception as e:
        raise IndexMissing(f"cannot reach {where} ({e}); start it or unset CHROMA_HOST") from e
    return client, where


def _check_sqlite_header(folder: Path, where: str) -> None:
    """Catch a clobbered file before chromadb does: its failure leaves the process unable to
    open that folder again, even after the file is repaired."""
    path = folder / SQLITE_FILE
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as e:
        raise IndexCorrupt(f"{where} cannot be read ({e}); delete it and {REBUILD}") from e
    if head and head != SQLITE_HEADER:
        raise IndexCorrupt(
            f"{where} holds a damaged {SQLITE_FILE}; delete the folder and {REBUILD}"
        )


def _forget_failed_system(identifier: str) -> None:
    """chromadb caches a system per path before starting it and keeps it when the start fails;
    drop it so that a later open of the repaired folder starts afresh."""
    from chromadb.api.shared_system_client import SharedSystemClient

    systems = getattr(SharedSystemClient, "_identifier_to_system", {})
    refcounts = getattr(SharedSystemClient, "_identifier_to_refcount", {})
    if identifier not in refcounts:
        systems.pop(identifier, None)


@contextmanager
def _translated_errors(where: str) -> Iterator[None]:
    """Chroma and SQLite failures as one plain sentence naming the store at fault."""
    import httpx
    from chromadb.errors import ChromaError, InvalidDimensionException

    try:
        yield
    except InvalidDimensionException as e:
        raise IndexCorrupt(f"{where} was built with another embedding model; {REBUILD}") from e
    except (ChromaError, sqlite3.DatabaseError) as e:
        raise IndexCorrupt(f"{where} cannot be read ({e}); delete it and {REBUILD}") from e
    except httpx.TransportError as e:
        raise IndexMissing(f"lost the connection to {where} ({e})") from e


def _check_space(collection: Collection, where: str) -> None:
    """Scores are cosine similarities only if the collection was built for cosine distance."""
    config = collection.configuration_json or {}
    index_config = config.get("hnsw") or config.get("spann") or {}
    space = index_config.get("space", SPACE)
    if space != SPACE:
        raise IndexCorrupt(
            f"{where} holds a {COLLECTION!r} collection built for {space} distance;"
            f" delete it and {REBUILD}"
        )


def _metadata(chunk: Chunk) -> dict[str, str | int]:
    return {
        "release": chunk.release,
        "section": chunk.section,
        "first_line": chunk.first_line,
        "last_line": chunk.last_line,
        "kind": chunk.kind,
    }


def _chunk(id_: str, text: str | None, meta: Any) -> Chunk:
    return Chunk(
        id=id_,
        release=str(meta["release"]),
        text=text or "",
        first_line=int(meta["first_line"]),
        last_line=int(meta["last_line"]),
        section=str(meta["section"]),
        kind=str(meta["kind"]),
    )
