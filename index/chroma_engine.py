"""Chroma's Rust engine over one embedded store folder, opened as chromadb's PersistentClient
opens it (chromadb/api/rust.py), without importing the chromadb package.

`import chromadb` takes most of a second and holds the GIL; the engine it wraps is a separate
extension module that loads in a tenth of that. What the client adds on top of the engine for
our one collection is a configuration string, written here as the client writes it (a test
holds the two equal), and some validation of what is passed in, which the callers of this module
do themselves. The engine raises chromadb's own exception classes, so a failure imports chromadb
after all: the callers then fall back to `PassageStore`, whose errors name the store at fault.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from index.vector_store import SPACE, SQLITE_FILE, SQLITE_HEADER

TENANT = "default_tenant"
DATABASE = "default_database"
# What chromadb's client sends for configuration={"hnsw": {"space": SPACE}} with
# embedding_function=None (create_collection_configuration_to_json_str).
COLLECTION_CONFIGURATION = json.dumps(
    {"hnsw": {"space": SPACE}, "spann": None, "embedding_function": {"type": "legacy"}}
)


def open_engine(folder: Path) -> Any:
    """The engine over the store in `folder` (created when missing), with the client's default
    settings: MD5 migration hashes, migrations applied, no reset, its HNSW cache size."""
    import resource

    import chromadb_rust_bindings as rust

    sqlite = rust.SqliteDBConfig(
        hash_type=rust.MigrationHash.MD5,
        migration_mode=rust.MigrationMode.Apply,
        url=str(folder / SQLITE_FILE),
    )
    return rust.Bindings(
        allow_reset=False,
        sqlite_db_config=sqlite,
        persist_path=str(folder),
        hnsw_cache_size=resource.getrlimit(resource.RLIMIT_NOFILE)[0] // 5,
    )


def sound_store(folder: Path) -> bool:
    """A store to open: an SQLite file (a damaged one is PassageStore's to report)."""
    try:
        with (folder / SQLITE_FILE).open("rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False
