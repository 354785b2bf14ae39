"""Compiled regular expressions kept between processes, as Python keeps compiled modules.

A cold `bot ask` used to spend a third of its time compiling the few hundred patterns the
question words, periods, operations and row labels are read with. The regex engine's compiled
form of a pattern (its code) is saved once, beside the bytecode in `__pycache__`, and handed
back to the engine by later processes, which then find each pattern in `re`'s own cache.

Only the interpreter that wrote the file reads it (its exact version and the engine's magic
number head the file); a pattern read back is the one `re.compile` makes, as `Pattern` equality
compares flags, text and code, and `save` checks that before it writes an entry. Anything
unexpected (an unreadable file, another Python, a changed `re` module) means no cache: the
patterns then compile as they always do. Like bytecode, nothing is written under
PYTHONDONTWRITEBYTECODE.
"""

from __future__ import annotations

import _sre
import re
import sys
from pathlib import Path

from index import pycache

CACHE_FILE = pycache.path_for(Path(__file__).resolve().parent, "regex")
MOST_ENTRIES = 1024
"""Patterns built from a release's row labels make the set grow with what is asked: it stops
here, a few times what one question uses."""

Entry = tuple[str, int, int, list[int], int, dict[str, int], tuple[str | None, ...]]
_loaded: set[tuple[str, int]] = set()


def _header() -> tuple[str, int, int]:
    return (sys.version, _sre.MAGIC, _sre.CODESIZE)


def _usable() -> bool:
    """The `re` internals this module relies on are the ones it was written against."""
    return (
        isinstance(getattr(re, "_cache", None), dict)
        and hasattr(re, "_compiler")
        and hasattr(re._compiler, "_code")
        and hasattr(re, "_parser")
    )


def _read(path: Path) -> list[Entry]:
    entries = pycache.read(path, _header())
    return entries if isinstance(entries, list) else []


def load(path: Path = CACHE_FILE) -> int:
    """Put every saved pattern into `re`'s cache; how many. On the way out, the patterns this
    process compiled anew are saved (when bytecode may be written)."""
    if not _usable():
        return 0
    loaded = 0
    for entry in _read(path):
        try:
            text, flags, final_flags, code, groups, groupindex, indexgroup = entry
            pattern = _sre.compile(text, final_flags, code, groups, groupindex, indexgroup)
        except (TypeError, ValueError, RuntimeError):
            return loaded
        re._cache[str, text, flags] = pattern
        _loaded.add((text, flags))
        loaded += 1
    if not sys.dont_write_bytecode:
        import atexit

        atexit.register(save, path)
    return loaded


def entry_of(text: str, flags: int, compiled: re.Pattern[str]) -> Entry | None:
    """What the engine needs to rebuild `compiled`, or None when rebuilding it would not give
    the very same pattern."""
    parsed = re._parser.parse(text, flags)
    code = [int(op) for op in re._compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    entry: Entry = (
        text,
        flags,
        flags | parsed.state.flags,
        code,
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )
    rebuilt = _sre.compile(*entry[:1], *entry[2:])
    return entry if rebuilt == compiled else None


def save(path: Path = CACHE_FILE) -> int:
    """Add the patterns in `re`'s cache that the file lacks; how many were added. Written to a
    temporary name and moved into place, so a reader sees the old file or the new one."""
    if not _usable() or not _has_new():
        return 0
    old = _read(path)
    known = {(e[0], e[1]) for e in old}
    room = MOST_ENTRIES - len(old)
    new: list[Entry] = []
    for key, compiled in list(re._cache.items()):
        if len(new) >= room:
            break
        kind, text, flags = key
        if kind is not str or (text, flags) in known or flags & re.DEBUG:
            continue
        try:
            entry = entry_of(text, flags, compiled)
        except (re.error, TypeError, ValueError, RecursionError):
            continue
        if entry is not None:
            new.append(entry)
    if new:
        pycache.write(path, _header(), old + new)
    return len(new)


def _has_new() -> bool:
    """Whether `re`'s cache holds a pattern this process did not read from the file; the file
    is read again only then."""
    return any(
        kind is str and (text, flags) not in _loaded for kind, text, flags in list(re._cache)
    )
