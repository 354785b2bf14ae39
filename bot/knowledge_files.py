"""The knowledge files (bot/knowledge/*.yaml): YAML as people write and review it, kept parsed.

Importing a YAML parser and parsing the files took a tenth of a cold `bot ask`. The parsed
data is kept beside the bytecode (`index/pycache.py`, in `bot/knowledge/__pycache__`), stamped
with the source's size and modification time as Python stamps its own bytecode; an edited file
is parsed again. Nothing is written under PYTHONDONTWRITEBYTECODE.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from index import pycache

KNOWLEDGE = Path(__file__).resolve().parent / "knowledge"


def load_knowledge(path: Path) -> dict[str, Any]:
    """A knowledge file's data, from the kept copy when it is the source's."""
    stamp = _stamp(path)
    kept = _kept_path(path)
    data = pycache.read(kept, stamp)
    if data is not None:
        return data
    data = parse_yaml(path)
    if not sys.dont_write_bytecode:
        pycache.write(kept, stamp, data)
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
    return pycache.path_for(path.parent, path.name)
