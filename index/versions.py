"""Index versions: every ingest builds a complete folder (facts and passages together) beside
the current one, then switches one pointer file atomically.

    BOT_INDEX_DIR/
        CURRENT              the name of the version readers open (replaced with os.replace)
        versions/<name>/     facts.sqlite and chroma/ of one version
        ingest.lock          held (flock) by the ingest that is building a version

A crash before the switch leaves CURRENT on the old version; after it, on the new one. Folders
that CURRENT does not name are garbage, removed by the next ingest under the lock. An index
built before versions existed (facts.sqlite and chroma/ in the index folder itself) is read as
the current version until the first versioned ingest replaces it.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from index.errors import IndexBusy, IndexCorrupt

CURRENT = "CURRENT"
VERSIONS = "versions"
LOCK = "ingest.lock"
LEGACY = ("facts.sqlite", "chroma")
POLL_SECONDS = 0.1


def current_name(index_dir: Path) -> str | None:
    """The version CURRENT names, or None when the index has no versions yet."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise IndexCorrupt(f"the index pointer {index_dir / CURRENT} cannot be read ({e})") from e
    if not name or "/" in name or name.startswith("."):
        raise IndexCorrupt(
            f"the index pointer {index_dir / CURRENT} is damaged; rebuild with `bot ingest`"
        )
    return name


def current_folder(index_dir: Path) -> Path:
    """The folder holding the stores readers should open: the current version, or the index
    folder itself for an index built before versions (or none built yet)."""
    name = current_name(index_dir)
    if name is None:
        return index_dir
    folder = index_dir / VERSIONS / name
    if not folder.is_dir():
        raise IndexCorrupt(
            f"the index pointer {index_dir / CURRENT} names {name}, which is missing;"
            " rebuild with `bot ingest`"
        )
    return folder


def new_version(index_dir: Path) -> Path:
    """A fresh, empty folder for the version being built; its name sorts by creation time."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    folder = index_dir / VERSIONS / f"v{stamp}-{os.getpid()}-{os.urandom(3).hex()}"
    folder.mkdir(parents=True)
    return folder


def sync_tree(folder: Path) -> None:
    """Flush every file of a built version to disk before the pointer names it."""
    for root, _, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _sync_dir(Path(root))


def switch(index_dir: Path, folder: Path) -> None:
    """Point CURRENT at `folder` in one atomic rename."""
    tmp = index_dir / f".{CURRENT}.{os.getpid()}"
    with tmp.open("w", encoding="utf-8") as f:
        f.write(folder.name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _sync_dir(index_dir)


def garbage(index_dir: Path, keep: set[str]) -> list[Path]:
    """Version folders not in `keep` (old versions, builds a crash left behind), and the stores
    of an index built before versions once CURRENT exists."""
    out: list[Path] = []
    versions = index_dir / VERSIONS
    if versions.is_dir():
        out += sorted(p for p in versions.iterdir() if p.name not in keep)
    if (index_dir / CURRENT).exists():
        out += [index_dir / n for n in LEGACY if (index_dir / n).exists()]
    return out


def remove(path: Path) -> None:
    if path.is_dir():
        import shutil

        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def ingest_lock(index_dir: Path, wait_seconds: float) -> Iterator[None]:
    """Hold the index's ingest lock; wait for another ingest at most `wait_seconds`."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / LOCK).open("a") as f:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        f"another ingest into {index_dir} has held the lock for more than"
                        f" {wait_seconds:g} s; try again when it is done"
                    ) from None
                time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
