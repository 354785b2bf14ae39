"""A new embedded passage store written through Chroma's Rust engine, without the chromadb package.

An ingest into a fresh embedded index has one store to write, into a new version folder no one
else opens: the chunks and their vectors, in one collection. chromadb's client would cost that
ingest most of a second to import (`index/chroma_engine.py`); the engine writes the same store,
record for record, which chromadb's PersistentClient, `PassageStore` and `EngineReader` then
open like any other. Anything else (a Chroma server, a store to copy, an engine that refuses)
stays with `PassageStore`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from index.chroma_engine import COLLECTION_CONFIGURATION, DATABASE, TENANT, open_engine
from index.chunks import Chunk
from index.vector_store import COLLECTION, _metadata


class EngineRefused(Exception):
    """The engine could not write the store; the caller writes it with `PassageStore`."""


def write_store(
    folder: Path,
    chunks: Sequence[Chunk],
    vectors: Mapping[str, list[float]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create the store in `folder` (which must hold none) with `chunks`, each with the vector
    of its text, in batches as large as the engine takes; `progress` hears how many are stored
    so far. The engine is let go before this returns, so its files are closed and complete."""
    ids = [c.id for c in chunks]
    if len(set(ids)) != len(ids):
        raise ValueError("two chunks share an id")
    embeddings = [vectors[c.text] for c in chunks]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        engine = open_engine(folder)
        collection = str(
            engine.create_collection(
                COLLECTION, COLLECTION_CONFIGURATION, None, None, False, TENANT, DATABASE
            ).id
        )
        step = engine.get_max_batch_size()
        for i in range(0, len(chunks), step):
            batch = chunks[i : i + step]
            engine.upsert(
                collection,
                ids[i : i + step],
                embeddings[i : i + step],
                [_metadata(c) for c in batch],
                [c.text for c in batch],
                None,
                TENANT,
                DATABASE,
            )
            if progress is not None:
                progress(i + len(batch))
        stored = engine.count(collection, TENANT, DATABASE)
    except Exception as e:
        raise EngineRefused(f"the Chroma engine could not write {folder} ({e})") from e
    finally:
        engine = None  # closes its files now, even while a traceback holds this frame
    if stored != len(chunks):
        raise EngineRefused(f"the Chroma engine stored {stored} of {len(chunks)} passages")
    return stored
