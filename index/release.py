"""A release read end to end: segmented, its calendar learned, every table parsed into facts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.errors import MalformedRelease
from index.facts import Fact
from index.periods import Calendar, learn_calendar
from index.segment import Document, segment
from index.tables import header_pairs, parse_table, table_scale

MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class ParsedRelease:
    release: str
    document: Document
    calendar: Calendar
    facts: tuple[Fact, ...]
    warnings: tuple[str, ...]


def release_id(path: Path) -> str:
    return path.stem


def parse_release(text: str, release: str) -> ParsedRelease:
    """Pure: the text of a release in, every fact and passage out."""
    document = segment(text, release)
    if not document.tables:
        raise MalformedRelease(
            "no tables found: expected fixed-width tables with rule lines (----) "
            "under their headers",
            len(document.lines),
        )
    pairs = [p for block in document.tables for p in header_pairs(block)]
    calendar = learn_calendar(pairs)
    facts: list[Fact] = []
    warnings: list[str] = []
    scales: dict[int, str] = {}
    for block in document.tables:
        parent = scales.get(block.index - 1)
        parsed = parse_table(block, calendar, release, parent_scale=parent)
        scales[block.index] = table_scale(block) if block.title_lines else (parent or "units")
        facts.extend(parsed.facts)
        warnings.extend(parsed.warnings)
    return ParsedRelease(release, document, calendar, tuple(facts), tuple(warnings))


def read_release(path: Path) -> ParsedRelease:
    """Read a release file; refuse what is not a plain-text release with a clear message."""
    if not path.exists():
        raise MalformedRelease("no such file", path=str(path))
    if not path.is_file():
        raise MalformedRelease("not a file (a release is one .txt file)", path=str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MalformedRelease(f"cannot be read ({exc.strerror})", path=str(path)) from exc
    if len(data) > MAX_BYTES:
        raise MalformedRelease(
            f"the file is {len(data):,} bytes; a release is at most {MAX_BYTES:,}", path=str(path)
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRelease("the file is not UTF-8 text", path=str(path)) from exc
    try:
        return parse_release(text.expandtabs(), release_id(path))
    except MalformedRelease as exc:
        if exc.path is None:
            raise MalformedRelease(_bare_message(exc), exc.line, str(path)) from exc
        raise


def _bare_message(exc: MalformedRelease) -> str:
    """The message without its `line N: ` prefix, so the path and line are written once."""
    text = str(exc)
    prefix = f"line {exc.line}: "
    return text[len(prefix) :] if exc.line is not None and text.startswith(prefix) else text
