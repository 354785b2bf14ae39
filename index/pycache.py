"""Data kept beside the bytecode, in `__pycache__`, as Python keeps compiled modules.

Each file holds its data with a stamp saying what it was made from (an interpreter's version,
a source file's size and time); it is read back only under the same stamp, and replaced whole,
so a reader sees the old file or the new one. A file that cannot be read or written is no
cache. Whether to write at all is the caller's: not under PYTHONDONTWRITEBYTECODE, like
bytecode.
"""

from __future__ import annotations

import marshal
import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import Any


def path_for(folder: Path, name: str) -> Path:
    """Where `name` is kept for the modules or files of `folder`, for this interpreter."""
    return folder / "__pycache__" / f"{name}.{sys.implementation.cache_tag or 'python'}.marshal"


def read(path: Path, stamp: object) -> Any | None:
    """The data kept at `path` under `stamp`; None when there is none, or it is another's."""
    try:
        kept_stamp, data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return data if kept_stamp == stamp else None


def write(path: Path, stamp: object, data: object) -> None:
    """Keep `data` under `stamp`: written to a temporary name, then moved into place."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        blob = marshal.dumps((stamp, data))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(blob)
        os.replace(tmp, path)
    except (OSError, ValueError):
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
