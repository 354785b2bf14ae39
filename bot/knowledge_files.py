"""The knowledge files (bot/knowledge/*.yaml): YAML as people write and review it, kept parsed.

Importing a YAML parser and parsing the files took a tenth of a cold `bot ask`. The parsed
data is kept beside the bytecode, in `bot/knowledge/__pycache__`, stamped with the source's
size and modification time as Python stamps its own bytecode; an edited file is parsed again.
Nothing is written under PYTHONDONTWRITEBYTECODE, and a kept copy that cannot be read is
ignored.
"""

from __future__ import annotations

import marshal
import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import Any

KNOWLEDGE = Path(__file__).resolve().parent / "knowledge"


def load_knowledge(path: Path) -> dict[str, Any]:
    """A knowledge file's data, from the kept copy when it is the source's."""
    stamp = _stamp(path)
    kept = _kept_path(path)
    try:
        kept_stamp, data = marshal.loads(kept.read_bytes())
        if kept_stamp == stamp:
            return data
    except (OSError, EOFError, ValueError, TypeError):
        pass
    data = parse_yaml(path)
    if not sys.dont_write_bytecode:
        _keep(kept, stamp, data)
    return data


def parse_yaml(path: Path) -> dict[str, Any]:
    """The file parsed, with libyaml's loader where installed."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_size, st.st_mtime_ns)


def _kept_path(path: Path) -> Path:
    tag = sys.implementation.cache_tag or "python"
    return path.parent / "__pycache__" / f"{path.name}.{tag}.marshal"


def _keep(kept: Path, stamp: tuple[int, int], data: dict[str, Any]) -> None:
    tmp = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
    try:
        blob = marshal.dumps((stamp, data))
        kept.parent.mkdir(exist_ok=True)
        tmp.write_bytes(blob)
        os.replace(tmp, kept)
    except (OSError, ValueError):
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
