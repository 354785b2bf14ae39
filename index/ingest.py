"""Build the index from release files as one transaction over both stores.

Every file is parsed and checked (index/checks.py, the tie-out audit) before anything is
written. Under the index's lock, the new version is built beside the current one: the current
version's releases, with these added or replaced, into a new facts store and a new Chroma store;
then one atomic rename makes it current (index/versions.py). A crash at any stage leaves the old
index or the new one, never a mix; concurrent ingests wait for each other and each builds on
the version the one before it committed.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index import versions
from index.checks import check_release, check_replacement
from index.config import Settings
from index.errors import (
    IndexCorrupt,
    IndexMissing,
    MalformedRelease,
    ReleaseRefused,
    UnknownRelease,
)
from index.facts_store import FILENAME, FactsStore
from index.release import ParsedRelease, read_release

if TYPE_CHECKING:
    from concurrent.futures import Future

    from index.chunks import Chunk
    from index.embeddings import Embedder
    from index.passage_writer import EngineStore
    from index.vector_store import PassageStore

STAGES = (
    "checked",
    "locked",
    "facts_written",
    "passages_written",
    "before_switch",
    "switched",
    "collected",
)
CRASH_ENV = "BOT_INGEST_CRASH_AT"
CRASH_EXIT = 75

Fault = Callable[[str], None]
Progress = Callable[[str, int, int], None]
"""Told (step, done, total) as a batch goes: "read" per release checked, "embed" per passage
embedded, "store" per passage stored."""
EMBED_SLICE = 256  # passages embedded between two progress reports


def _quiet(step: str, done: int, total: int) -> None:
    return None


def crash_from_env(stage: str) -> None:
    """The one place the fault-injection variable is read: end the process at that stage, as
    a power cut would, with nothing cleaned up."""
    if os.environ.get(CRASH_ENV) == stage:
        os._exit(CRASH_EXIT)


@dataclass(frozen=True)
class IngestOptions:
    """What a person allows an ingest to take that it would otherwise refuse."""

    replace: bool = False  # replace a release with one holding far fewer facts
    accept_audit_failures: bool = False  # take a release whose tie-out audit fails


@dataclass(frozen=True)
class IngestReport:
    releases: tuple[str, ...]
    facts: int
    chunks: int
    warnings: tuple[str, ...]
    parse_seconds: float
    model_seconds: float
    embed_seconds: float
    version: str = ""

    def summary(self) -> str:
        lines = [
            f"Ingested {_named(self.releases)}: {self.facts} facts, {self.chunks} passages "
            f"(parse {self.parse_seconds * 1000:.0f} ms, model load {self.model_seconds:.1f} s, "
            f"embed+store {self.embed_seconds:.1f} s)."
        ]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _named(releases: tuple[str, ...], shown: int = 5) -> str:
    """The releases by name, or a count with the first and last when there are many."""
    if len(releases) <= shown:
        return ", ".join(releases)
    return f"{len(releases)} releases ({releases[0]} … {releases[-1]})"


def index_ready(settings: Settings) -> bool:
    try:
        return (versions.current_folder(settings.index_dir) / FILENAME).exists()
    except IndexCorrupt:
        return False


def prepare(
    paths: list[Path],
    options: IngestOptions,
    progress: Progress = _quiet,
    checked: Callable[[ParsedRelease], None] | None = None,
) -> tuple[list[ParsedRelease], list[str]]:
    """Parse and check every path; refuse the lot at the first release that fails. `checked`
    hears each release once its structure is checked, before its audit."""
    from index.audit import audit

    parsed: list[ParsedRelease] = []
    warnings: list[str] = []
    seen: dict[str, Path] = {}
    progress("read", 0, len(paths))
    for path in paths:
        rel = read_release(path)
        if rel.release in seen:
            raise ReleaseRefused(
                f"{seen[rel.release]} and {path} are both release {rel.release}; ingest one"
            )
        seen[rel.release] = path
        try:
            check_release(rel)
        except MalformedRelease as exc:
            raise MalformedRelease(_bare(exc), exc.line, str(path)) from exc
        if checked is not None:
            checked(rel)
        failures = audit(rel).failures
        if failures and not options.accept_audit_failures:
            first = failures[0]
            raise ReleaseRefused(
                f"{path}:{first.lines[0]}: the tie-out audit fails {len(failures)} check(s),"
                f" first {first.name} ({first.note}); see `bot audit {path}`, or pass"
                " --accept-audit-failures to take it anyway"
            )
        if failures:
            warnings.append(
                f"{rel.release} taken with {len(failures)} failed audit check(s)"
                " (--accept-audit-failures)"
            )
        parsed.append(rel)
        warnings += list(rel.warnings)
        progress("read", len(parsed), len(paths))
    return parsed, warnings


def _bare(exc: MalformedRelease) -> str:
    text = str(exc)
    prefix = f"line {exc.line}: "
    return text[len(prefix) :] if exc.line is not None and text.startswith(prefix) else text


def ingest(
    paths: list[Path],
    settings: Settings,
    options: IngestOptions | None = None,
    fault: Fault = crash_from_env,
    progress: Progress = _quiet,
) -> IngestReport:
    """Check every path, then build a new index version holding them and switch to it.

    However many paths, that is one version: the store is copied once and the passages of
    every release are embedded together. `fault` is called at each of STAGES; tests pass one
    that raises to stop the ingest there. `progress` hears each step as it goes.
    """
    from index.chunks import chunk_passages
    from index.embeddings import shared_embedder

    options = options or IngestOptions()
    t0 = time.perf_counter()
    with _Embedding(shared_embedder()) as ahead:
        fresh_index = not index_ready(settings)
        if fresh_index:
            ahead.load()
        chunked: dict[str, list[Chunk]] = {}

        def checked(rel: ParsedRelease) -> None:
            """Into a new index, one release's passages start embedding while it is audited."""
            chunked[rel.release] = chunk_passages(rel.document.passages, rel.release)
            if fresh_index and len(paths) == 1:
                ahead.embed(c.text for c in chunked[rel.release])

        parsed, warnings = prepare(paths, options, progress, checked)
        if fresh_index:
            ahead.embed(c.text for r in parsed for c in chunked[r.release])
        parse_s = time.perf_counter() - t0
        fault("checked")

        t2 = time.perf_counter()
        with versions.ingest_lock(settings.index_dir, settings.ingest_wait):
            fault("locked")
            base = _current_facts(settings.index_dir)
            held = {r.id: r.fact_count for r in base.releases()} if base is not None else {}
            if base is not None and not options.replace:
                for rel in parsed:
                    check_replacement(rel, held.get(rel.release))
            previous = versions.current_name(settings.index_dir)
            folder = versions.new_version(settings.index_dir)
            with _committing(settings, folder, previous, fault):
                chunks, model_s = _build(
                    folder, parsed, paths, chunked, base, settings, ahead, fault, progress
                )
    return IngestReport(
        releases=tuple(r.release for r in parsed),
        facts=sum(len(r.facts) for r in parsed),
        chunks=chunks,
        warnings=tuple(warnings),
        parse_seconds=parse_s,
        model_seconds=model_s,
        embed_seconds=time.perf_counter() - t2,
        version=folder.name,
    )


class _Embedding:
    """The new passages embedded on a second thread, in one job: a single release's as soon as
    it is read, a batch's once all are read (the texts of one job are embedded together, and
    a vector differs in its last bits with the texts it is padded beside). ONNX Runtime lets go
    of the GIL while it loads and runs the model, so that work takes the other core while this
    thread audits the release and writes the facts. More than EMBED_SLICE texts are left to
    this thread, which embeds them a slice at a time, telling its progress. The second thread
    imports nothing: what it needs is imported here first, and a model whose graph must first
    be built (with torch) is left to this thread, as `_vectors` loads it."""

    def __init__(self, embedder: Embedder) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.embedder = embedder
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="ingest-embed")
        self._load: Future[float] | None = None
        self._job: tuple[list[str], Future[list[list[float]]]] | None = None

    def load(self) -> None:
        """Start loading the model, unless it is loaded or loading already."""
        if self._load is None and not self.embedder.loaded and self.embedder.import_runtime():
            self._load = self._pool.submit(self._timed_load)

    def _timed_load(self) -> float:
        """Any failure is left for this thread to meet again, and report, when it loads the
        model itself."""
        t = time.perf_counter()
        try:
            self.embedder.load_cached()
        except Exception:
            return 0.0
        return time.perf_counter() - t

    def embed(self, texts: Iterable[str]) -> None:
        """Start embedding `texts`, each once, unless a job is started already or there are
        more than EMBED_SLICE."""
        new = list(dict.fromkeys(texts))
        if self._job is not None or len(new) > EMBED_SLICE:
            return
        self.load()
        if self._load is not None or self.embedder.loaded:
            self._job = (new, self._pool.submit(self._embedded, new))

    def _embedded(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts) if self.embedder.loaded else []

    def vectors(self) -> dict[str, list[float]]:
        """The vectors of the texts passed to `embed`: none if no job started, or the model
        could not load on the second thread."""
        if self._job is None:
            return {}
        texts, job = self._job
        vectors = job.result()
        return dict(zip(texts, vectors, strict=True)) if vectors else {}

    @property
    def model_seconds(self) -> float:
        """How long the model took to load on the second thread (0 when it did not)."""
        return self._load.result() if self._load is not None else 0.0

    def __enter__(self) -> _Embedding:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class ForgetReport:
    release: str
    facts: int
    passages: int
    kept: tuple[str, ...]
    version: str

    def summary(self) -> str:
        return (
            f"Forgot {self.release}: {self.facts} facts, {self.passages} passages;"
            f" {len(self.kept)} release(s) kept ({', '.join(self.kept)})."
        )


@contextmanager
def _committing(
    settings: Settings, folder: Path, previous: str | None, fault: Fault
) -> Iterator[None]:
    """The body builds the new version in `folder`; then it is synced and switched to in one
    step, and old versions are collected. Any failure before the switch discards `folder`."""
    try:
        yield
        versions.sync_tree(folder)
        fault("before_switch")
    except BaseException:
        _discard(settings, folder)
        raise
    versions.switch(settings.index_dir, folder)
    fault("switched")
    for old in versions.garbage(settings.index_dir, {folder.name, previous or ""}):
        _discard(settings, old)
    fault("collected")


def forget(release: str, settings: Settings, fault: Fault = crash_from_env) -> ForgetReport:
    """Remove one release from both stores the way ingest adds one: under the lock, a new
    version holding every other release exactly as stored, then one atomic switch."""
    from index.embeddings import shared_embedder
    from index.vector_store import PassageStore

    embedder = shared_embedder()
    with versions.ingest_lock(settings.index_dir, settings.ingest_wait):
        fault("locked")
        base = FactsStore.open(settings.index_dir)
        known = base.release_ids()
        if release not in known:
            raise UnknownRelease(
                f"no release {release!r} in the index; known: {', '.join(known) or 'none'}"
            )
        if known == [release]:
            raise ReleaseRefused(
                f"{release} is the index's only release; ingest another first, or delete"
                f" {settings.index_dir} to start over"
            )
        info = base.release(release)
        previous = versions.current_name(settings.index_dir)
        folder = versions.new_version(settings.index_dir)
        with _committing(settings, folder, previous, fault):
            now = datetime.now(UTC).isoformat(timespec="seconds")
            FactsStore.write(folder, [], now, base, drop=frozenset({release}))
            fault("facts_written")
            with (
                PassageStore.open(settings, embedder, folder) as store,
                PassageStore.open(settings, embedder) as old,
            ):
                passages = old.count(release)
                store.copy_from(old, {release})
            fault("passages_written")
    return ForgetReport(
        release, info.fact_count, passages, tuple(r for r in known if r != release), folder.name
    )


def _current_facts(index_dir: Path) -> FactsStore | None:
    """The committed facts the new version builds on; none (a fresh build) when there is no
    index or it cannot be read."""
    try:
        return FactsStore.open(index_dir)
    except (IndexMissing, IndexCorrupt):
        return None


def _build(
    folder: Path,
    parsed: list[ParsedRelease],
    paths: list[Path],
    chunked: dict[str, list[Chunk]],
    base: FactsStore | None,
    settings: Settings,
    ahead: _Embedding,
    fault: Fault,
    progress: Progress = _quiet,
) -> tuple[int, float]:
    """Fill a new version folder: facts, then passages (the current version's, with the new
    releases' replacing theirs). Returns the number of new passages and the seconds spent
    loading the embedding model (none when every text's vector is already stored)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    counts = {rid: len(chunks) for rid, chunks in chunked.items()}
    FactsStore.write(folder, list(zip(parsed, paths, strict=True)), now, base, counts)
    fault("facts_written")
    fresh = [c for r in parsed for c in chunked[r.release]]
    kept = base is not None
    written: tuple[int, float] | None = None
    if not settings.chroma_host:
        written = _write_engine_store(folder, fresh, kept, parsed, settings, ahead, progress)
    if written is None:
        written = _write_store(folder, fresh, kept, parsed, settings, ahead, progress)
    fault("passages_written")
    return written[0], written[1] + ahead.model_seconds


def _write_engine_store(
    folder: Path,
    fresh: list[Chunk],
    kept: bool,
    parsed: list[ParsedRelease],
    settings: Settings,
    ahead: _Embedding,
    progress: Progress,
) -> tuple[int, float] | None:
    """`_write_store` through Chroma's engine, without importing chromadb; None when the engine
    refuses (its partial store removed, for `_write_store` to write)."""
    from index.passage_writer import EngineRefused, EngineStore

    old = versions.current_folder(settings.index_dir) / "chroma" if kept else None
    try:
        with EngineStore.create(folder / "chroma") as store:
            return _fill(store, old, fresh, parsed, ahead, progress)
    except EngineRefused:
        shutil.rmtree(folder / "chroma", ignore_errors=True)
        return None


def _write_store(
    folder: Path,
    fresh: list[Chunk],
    kept: bool,
    parsed: list[ParsedRelease],
    settings: Settings,
    ahead: _Embedding,
    progress: Progress,
) -> tuple[int, float]:
    """The passages through chromadb's client: when `kept`, the current version's (those of
    the releases in `parsed` left out), then `fresh`; the seconds spent loading the model."""
    from index.vector_store import PassageStore

    with PassageStore.open(settings, ahead.embedder, folder) as store:
        current = PassageStore.open(settings, ahead.embedder) if kept else nullcontext()
        with current as old:
            return _fill(store, old, fresh, parsed, ahead, progress)


def _fill(
    store: EngineStore | PassageStore,
    old: Any,
    fresh: list[Chunk],
    parsed: list[ParsedRelease],
    ahead: _Embedding,
    progress: Progress,
) -> tuple[int, float]:
    """Either store filled the same way: the passages of `old` (the current version's store,
    when there is one) but those of the releases in `parsed`, then `fresh`, every text embedded
    once; the passages added and the seconds spent loading the model."""
    known = store.copy_from(old, {r.release for r in parsed}) if old is not None else {}
    known, model_s = _vectors(ahead, fresh, {**ahead.vectors(), **known}, progress)
    progress("store", 0, len(fresh))
    return store.add(fresh, known, lambda done: progress("store", done, len(fresh))), model_s


def _vectors(
    ahead: _Embedding, chunks: list[Chunk], known: dict[str, list[float]], progress: Progress
) -> tuple[dict[str, list[float]], float]:
    """The vector of every chunk's text, `known` ones reused; and the seconds spent loading the
    model on this thread to embed the others."""
    embedder = ahead.embedder
    missing = list(dict.fromkeys(c.text for c in chunks if c.text not in known))
    model_s = 0.0
    if missing and not embedder.loaded:
        t = time.perf_counter()
        embedder.embed_query("warm up")
        model_s = time.perf_counter() - t
    return {**known, **_embedded(embedder, missing, progress)}, model_s


def _embedded(
    embedder: Embedder, texts: list[str], progress: Progress = _quiet
) -> dict[str, list[float]]:
    """The vector of each text, embedded a slice at a time so that progress can be told."""
    out: dict[str, list[float]] = {}
    progress("embed", 0, len(texts))
    for i in range(0, len(texts), EMBED_SLICE):
        part = texts[i : i + EMBED_SLICE]
        out.update(zip(part, embedder.embed_documents(part), strict=True))
        progress("embed", len(out), len(texts))
    return out


def _discard(settings: Settings, path: Path) -> None:
    """Remove a version that is not current (a failed build, an old version) from disk and,
    with a Chroma server, its collection."""
    from index.vector_store import PassageStore

    if path.parent.name == versions.VERSIONS:
        PassageStore.drop(settings, path)
    versions.remove(path)
