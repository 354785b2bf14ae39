"""Markdown: pipe tables (`| | 2019 | 2018 |` over a `|---|---:|` rule) and the prose around them.

Rows above the rule are the header; a header cell followed by empty ones spans them (a group
over its columns). The nearest `#` heading above a table is its title, and the short lines just
above it its notes ("(in millions)"). A body row whose cell count differs from the header's is
refused, naming its line: which cell is missing cannot be told.
"""

from __future__ import annotations

import re

from index.errors import MalformedRelease
from index.grid import Grid, GridCell
from index.readers import Reader, ReadRelease
from index.segment import Passage

RULE_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
NOTE_CHARS = 120


def sniff(text: str) -> bool:
    return any(RULE_RE.match(line) and "|" in line for line in text.splitlines()[:2000])


def _is_row(line: str) -> bool:
    return line.strip().startswith("|")


def _cells(line: str, n: int) -> tuple[GridCell, ...]:
    """The cells of one pipe row with their character spans; `\\|` is a pipe inside a cell."""
    bounds = [m.start() for m in re.finditer(r"(?<!\\)\|", line)]
    if line.strip() and not line.rstrip().endswith("|"):
        bounds.append(len(line.rstrip()))
    cells = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        raw = line[a + 1 : b]
        text = raw.strip().replace("\\|", "|")
        start = a + 1 + (len(raw) - len(raw.lstrip()))
        cells.append(GridCell(text, n, start, start + len(raw.strip())))
    return tuple(cells)


def _with_spans(row: tuple[GridCell, ...]) -> tuple[GridCell, ...]:
    """A group cell in an upper header row spans the empty cells after it."""
    out = list(row)
    for i, c in enumerate(row):
        if i == 0 or not c.text:
            continue
        k = i + 1
        while k < len(row) and not row[k].text:
            k += 1
        out[i] = GridCell(c.text, c.line, c.start, c.end, k - i)
    return tuple(out)


def _table(lines: list[str], start: int, title: str, notes: tuple[str, ...]) -> tuple[Grid, int]:
    """The grid of the pipe table starting at 0-based `start`, and the line after it."""
    end = start
    while end < len(lines) and _is_row(lines[end]):
        end += 1
    rule_at = next((k for k in range(start, end) if RULE_RE.match(lines[k])), None)
    if rule_at is None:
        raise MalformedRelease("a pipe table without a |---| rule under its header", start + 1)
    rows = [_cells(lines[k], k + 1) for k in range(start, end) if k != rule_at]
    header = rule_at - start
    width = len(rows[0])
    for k, row in zip([k for k in range(start, end) if k != rule_at], rows, strict=True):
        if len(row) != width:
            raise MalformedRelease(
                f"table row has {len(row)} cells for {width} columns; which one is missing "
                "cannot be told",
                k + 1,
            )
    rows = [_with_spans(r) if i < header - 1 else r for i, r in enumerate(rows)]
    grid = Grid(tuple(rows), title, notes, header, (start + 1, end))
    return grid, end


def read(text: str, release: str) -> ReadRelease:
    """Pure: Markdown text in; its pipe tables as grids and its paragraphs as passages out."""
    lines = text.splitlines()
    grids: list[Grid] = []
    passages: list[Passage] = []
    section, para = "Headline", []
    i = 0

    def flush() -> None:
        if para:
            body = " ".join(t.strip() for _, t in para)
            passages.append(Passage(body, para[0][0], para[-1][0], section))
            para.clear()

    while i < len(lines):
        line = lines[i]
        heading = HEADING_RE.match(line)
        if _is_row(line):
            flush()
            since = [p for p in passages if p.section == section and p.kind != "heading"]
            notes = tuple(p.text for p in since[-2:] if len(p.text) <= NOTE_CHARS)
            grid, i = _table(lines, i, section, notes)
            grids.append(grid)
            continue
        if heading:
            flush()
            section = heading.group(2)
            passages.append(Passage(section, i + 1, i + 1, section, "heading"))
        elif line.strip():
            para.append((i + 1, line))
        else:
            flush()
        i += 1
    flush()
    if not grids:
        raise MalformedRelease("no pipe tables found (| cells | separated by pipes |)")
    title = next((p.text for p in passages if p.kind == "heading"), release)
    return ReadRelease(release, title, tuple(lines), tuple(passages), tuple(grids))


READER = Reader("markdown", (".md", ".markdown"), sniff, read)
