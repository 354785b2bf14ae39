"""Build both stores from release files: facts into SQLite, narrative into Chroma.

Every file is parsed before anything is written, so a malformed release is refused with the
previous index left as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from index.config import Settings
from index.facts_store import FILENAME, FactsStore
from index.release import ParsedRelease, read_release


@dataclass(frozen=True)
class IngestReport:
    releases: tuple[str, ...]
    facts: int
    chunks: int
    warnings: tuple[str, ...]
    parse_seconds: float
    model_seconds: float
    embed_seconds: float

    def summary(self) -> str:
        lines = [
            f"Ingested {', '.join(self.releases)}: {self.facts} facts, {self.chunks} passages "
            f"(parse {self.parse_seconds * 1000:.0f} ms, model load {self.model_seconds:.1f} s, "
            f"embed+store {self.embed_seconds:.1f} s)."
        ]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def index_ready(settings: Settings) -> bool:
    return (settings.index_dir / FILENAME).exists()


def ingest(paths: list[Path], settings: Settings) -> IngestReport:
    """Parse every path first, then replace those releases in both stores."""
    from index.chunks import chunk_passages
    from index.embeddings import shared_embedder
    from index.vector_store import PassageStore

    t0 = time.perf_counter()
    parsed: list[tuple[ParsedRelease, Path]] = [(read_release(p), p) for p in paths]
    parse_s = time.perf_counter() - t0

    t1 = time.perf_counter()
    embedder = shared_embedder()
    embedder.embed_query("warm up")
    model_s = time.perf_counter() - t1

    t2 = time.perf_counter()
    store = PassageStore.open(settings, embedder)
    chunks = 0
    for rel, _ in parsed:
        chunks += store.replace(rel.release, chunk_passages(rel.document.passages, rel.release))
    embed_s = time.perf_counter() - t2

    FactsStore.write(settings.index_dir, parsed, datetime.now(UTC).isoformat(timespec="seconds"))
    return IngestReport(
        releases=tuple(r.release for r, _ in parsed),
        facts=sum(len(r.facts) for r, _ in parsed),
        chunks=chunks,
        warnings=tuple(w for r, _ in parsed for w in r.warnings),
        parse_seconds=parse_s,
        model_seconds=model_s,
        embed_seconds=embed_s,
    )
