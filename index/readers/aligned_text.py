"""Plain-text releases whose tables have no rule lines: tables found by alignment alone.

Registered after the rule-line text reader: a text file goes there when its tables have
`----` rules under their headers, and here when its figures stand in aligned columns without.
"""

from __future__ import annotations

from index.aligned import FOOTNOTE_RE, find_tables
from index.errors import MalformedRelease
from index.grid import Grid
from index.readers import Reader, ReadRelease
from index.segment import Passage, segment

HEADING_WIDTH = 60


def passages_around(
    lines: tuple[str, ...], grids: tuple[Grid, ...], offset: int = 0
) -> tuple[Passage, ...]:
    """Paragraphs of the lines no table holds (numbered from `offset` + 1); a short line alone
    is a heading, a marked paragraph under a table is that table's footnote."""
    owner: dict[int, str] = {}
    for grid in grids:
        if grid.lines:
            for n in range(grid.lines[0], grid.lines[1] + 1):
                owner[n] = grid.title
    passages: list[Passage] = []
    section, last_table = "Headline", ""
    para: list[tuple[int, str]] = []
    for n, text in enumerate((*lines, ""), start=offset + 1):
        if n in owner or not text.strip():
            if para:
                passage = _passage(para, section, last_table)
                section = passage.section if passage.kind == "heading" else section
                passages.append(passage)
                para = []
            last_table = owner.get(n, last_table)
            continue
        para.append((n, text))
    return tuple(passages)


def _passage(para: list[tuple[int, str]], section: str, last_table: str) -> Passage:
    text = " ".join(t.strip() for _, t in para)
    first, last = para[0][0], para[-1][0]
    if last_table and FOOTNOTE_RE.match(para[0][1]):
        return Passage(text, first, last, f"Notes to {last_table}", "footnote")
    if first == last and len(text) <= HEADING_WIDTH and not text.endswith(".") and first > 1:
        return Passage(text, first, last, text.rstrip(":"), "heading")
    return Passage(text, first, last, section)


def read(text: str, release: str) -> ReadRelease:
    """Pure: the text of a release in, its passages and aligned tables out."""
    if "\x00" in text:
        raise MalformedRelease("the file is binary, not a plain-text release")
    lines = tuple(text.splitlines())
    if not any(line.strip() for line in lines):
        raise MalformedRelease("the release is empty")
    grids = find_tables(lines)
    title = next((line.strip() for line in lines if line.strip()), "")
    return ReadRelease(release, title, lines, passages_around(lines, grids), grids)


def sniff(text: str) -> bool:
    """Text whose figures stand in aligned columns, and no table with rule lines."""
    if "\x00" in text or "<table" in text[:20_000].lower():
        return False
    try:
        ruled = segment(text).tables
    except MalformedRelease:
        return False
    return not ruled and bool(find_tables(text.splitlines()))


READER = Reader("aligned_text", (".txt",), sniff, read)
