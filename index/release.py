"""A release read end to end: segmented, its calendar learned, every table parsed into facts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from index.dated_rows import date_rows
from index.errors import MalformedRelease
from index.facts import Fact
from index.grid import Grid
from index.periods import Calendar, learn_calendar
from index.readers import ReadRelease, choose
from index.segment import Document, TableBlock, segment
from index.table_model import grids_facts, percent_columns
from index.tables import header_pairs, parse_table, table_scale

MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class ParsedRelease:
    release: str
    document: Document
    calendar: Calendar
    facts: tuple[Fact, ...]
    warnings: tuple[str, ...]
    layout: str = "text"  # the reader's name; markup layouts mark where each table ends


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
        facts.extend(date_rows(percent_columns(list(parsed.facts)), calendar))
        warnings.extend(parsed.warnings)
    return ParsedRelease(release, document, calendar, tuple(facts), tuple(warnings))


def parse_read(read: ReadRelease) -> ParsedRelease:
    """Pure: what a reader made of a document in, its facts by the one table model out."""
    calendar, facts = grids_facts(read.grids, read.release, _year_end_month(read))
    facts = date_rows(facts, calendar)
    tables = read.tables or tuple(
        _block(i, g, read.lines) for i, g in enumerate(read.grids) if g.lines
    )
    document = Document(read.release, read.lines, read.passages, tables)
    return ParsedRelease(read.release, document, calendar, tuple(facts), read.warnings)


def _year_end_month(read: ReadRelease) -> int | None:
    """The month the release's fiscal year ends, as its text says ("fiscal 2024 first quarter
    ended December 30, 2023"), when it says."""
    from index.identity import UnknownIdentity, identify

    captions = [c.text for g in read.grids for row in g.rows[: g.header_rows or 0] for c in row]
    try:
        return identify(read.lines, captions).year_end_month
    except UnknownIdentity:
        return None


def _block(index: int, grid: Grid, lines: tuple[str, ...]) -> TableBlock:
    first, last = grid.lines or (1, 1)
    body = tuple((n, lines[n - 1]) for n in range(first, last + 1) if n <= len(lines))
    return TableBlock(index, grid.title or f"Table {index + 1}", (), body)


def parse_text(text: str, release: str, suffix: str = ".txt") -> ParsedRelease:
    """Pure: any layout's text in, read by the reader its suffix or content calls for."""
    reader = choose(suffix, text)
    if reader is None or reader.name == "text":
        return parse_release(text, release)
    return replace(parse_read(reader.read(text, release)), layout=reader.name)


def read_release(path: Path) -> ParsedRelease:
    """Read a release file in any registered layout; refuse what no reader can read with a
    clear message naming the place."""
    if not path.exists():
        raise MalformedRelease("no such file", path=str(path))
    if not path.is_file():
        raise MalformedRelease(
            "not a file (a release is one document: .txt, .htm, .json, .md)", path=str(path)
        )
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
        if path.suffix.lower() not in {".htm", ".html"} or b"\x00" in data:
            raise MalformedRelease("the file is not UTF-8 text", path=str(path)) from exc
        text = data.decode("cp1252", errors="replace")  # EDGAR HTML is often windows-1252
    text = text.expandtabs()  # columns as a terminal shows them
    try:
        return parse_text(text, release_id(path), path.suffix)
    except MalformedRelease as exc:
        if exc.path is None:
            raise MalformedRelease(_bare_message(exc), exc.line, str(path)) from exc
        raise


def _bare_message(exc: MalformedRelease) -> str:
    """The message without its `line N: ` prefix, so the path and line are written once."""
    text = str(exc)
    prefix = f"line {exc.line}: "
    return text[len(prefix) :] if exc.line is not None and text.startswith(prefix) else text
