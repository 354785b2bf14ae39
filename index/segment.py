"""Split a release into narrative passages and table blocks, keeping 1-based line numbers.

A table is a run of short lines holding at least one rule line (---, ===) and one row of
figures; two blank lines, a footnote (`(1) ...`, `* ...`) or a prose line end it. What is
not a table is narrative, footnotes included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.cells import CELL_PATTERN
from index.errors import MalformedRelease

RULE_RE = re.compile(r"^\s*[-=]{4,}(?:\s+[-=]{4,})*\s*$")
FOOTNOTE_RE = re.compile(r"^(?:\(\d{1,2}\)|\*{1,3})\s*[A-Za-z]")
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
CELL_RE = re.compile(CELL_PATTERN)
HEADER_WORDS_RE = re.compile(
    r"months\s+ended|year\s+ended|quarter\s+ended|weeks\s+ended|\bQ[1-4]\s*['’]\s*\d{2}\b"
    r"|\b[1-4]Q\d{2}\b|\b(?:january|february|march|april|may|june|july|august|september"
    r"|october|november|december)\b",
    re.IGNORECASE,
)
PROSE_WIDTH = 100
COLUMN_GAP_RE = re.compile(r"\S {3,}(?=\S)")


@dataclass(frozen=True)
class Passage:
    """A narrative paragraph (or footnote) with its place in the release."""

    text: str
    first_line: int
    last_line: int
    section: str
    kind: str = "paragraph"  # "paragraph" | "footnote" | "heading"


@dataclass(frozen=True)
class TableBlock:
    """The raw lines of one table, before any cell is read."""

    index: int
    title: str
    title_lines: tuple[tuple[int, str], ...]
    lines: tuple[tuple[int, str], ...]
    preamble: tuple[tuple[int, str], ...] = ()
    notes: tuple[tuple[str, str], ...] = ()

    @property
    def first_line(self) -> int:
        return (self.title_lines or self.lines)[0][0]

    @property
    def last_line(self) -> int:
        return self.lines[-1][0]


@dataclass(frozen=True)
class Document:
    release: str
    lines: tuple[str, ...]
    passages: tuple[Passage, ...]
    tables: tuple[TableBlock, ...]

    def line(self, number: int) -> str:
        return self.lines[number - 1]


def is_rule(text: str) -> bool:
    return bool(RULE_RE.match(text))


def trailing_cells(text: str) -> list[re.Match[str]]:
    """The cells at the right end of a line: figures separated only by spaces."""
    cells = list(CELL_RE.finditer(text))
    tail: list[re.Match[str]] = []
    end = len(text.rstrip())
    for m in reversed(cells):
        if text[m.end() : end].strip():
            break
        tail.insert(0, m)
        end = m.start()
    return tail


def is_value_row(text: str) -> bool:
    cells = trailing_cells(text)
    return (
        bool(cells)
        and cells[-1].end() > 12
        and any(any(ch.isdigit() for ch in c.group()) for c in cells)
    )


def _is_prose(text: str) -> bool:
    """A long line is prose, unless it is set in columns (a rule, or words apart by wide gaps);
    the indent before a header's words does not make it long."""
    if len(text.strip()) <= PROSE_WIDTH:
        return False
    return not (is_rule(text) or len(COLUMN_GAP_RE.findall(text.strip())) >= 2)


def segment(text: str, release: str = "release") -> Document:
    """Find every table block and every narrative passage of a release."""
    if "\x00" in text:
        raise MalformedRelease("the file is binary, not a plain-text release")
    lines = tuple(text.splitlines())
    if not any(line.strip() for line in lines):
        raise MalformedRelease("the release is empty")
    runs = _table_runs(lines)
    table_line_set: set[int] = set()
    tables: list[TableBlock] = []
    for start, end in runs:
        block = _table_block(lines, start, end, len(tables), tables)
        if block is None:
            continue
        tables.append(block)
        table_line_set.update(n for n, _ in block.title_lines)
        table_line_set.update(n for n, _ in block.lines)
    passages = _passages(lines, table_line_set, tables)
    tables = [_with_notes(t, passages) for t in tables]
    return Document(release, lines, tuple(passages), tuple(tables))


def _table_runs(lines: tuple[str, ...]) -> list[tuple[int, int]]:
    """0-based [start, end) runs of table-shaped lines that hold a rule and a row of figures."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(lines)
    while i < n:
        if not lines[i].strip() or _is_prose(lines[i]) or FOOTNOTE_RE.match(lines[i]):
            i = _skip_footnote(lines, i) if FOOTNOTE_RE.match(lines[i]) else i + 1
            continue
        j = _run_end(lines, i)
        end = j
        while end > i and not lines[end - 1].strip():
            end -= 1
        body = lines[i:end]
        if any(is_rule(x) for x in body) and any(
            is_value_row(x) or _figure_in_columns(x) for x in body
        ):
            runs.append(_without_prose(lines, i, end))
        i = max(j, i + 1)
    return runs


def _run_end(lines: tuple[str, ...], i: int) -> int:
    """Where a run of short lines starting at `i` ends: two blank lines, prose or a footnote."""
    j, blanks = i, 0
    while j < len(lines):
        line = lines[j]
        if not line.strip():
            blanks += 1
            if blanks >= 2:
                break
        elif _is_prose(line) or (FOOTNOTE_RE.match(line) and not _marked_row(lines, j)):
            break
        else:
            blanks = 0
        j += 1
    return j


def _marked_row(lines: tuple[str, ...], j: int) -> bool:
    """A line opening with a mark ('* Includes ...') whose label runs on to figures set in
    columns is a row of the table, not a footnote under it."""
    for line in lines[j : j + 4]:
        if not line.strip():
            return False
        cells = trailing_cells(line)
        if len(cells) >= 2 and re.search(r"\S {3,}$", line[: cells[0].start()]):
            return True
    return False


def _figure_in_columns(text: str) -> bool:
    """A figure standing apart in a column between words ('Leigh R Fox    47    President')."""
    return any(
        m.end() > 12
        and re.search(r"\S {2,}$", text[: m.start()])
        and re.match(r" {2,}\S", text[m.end() :])
        for m in CELL_RE.finditer(text)
    )


def _without_prose(lines: tuple[str, ...], start: int, end: int) -> tuple[int, int]:
    """Give back to the narrative a sentence standing one blank line above the title block, and
    one standing under the table's last row: neither is part of the table."""
    header_at = next(
        (k for k in range(start, end) if HEADER_WORDS_RE.search(lines[k]) or is_rule(lines[k])),
        end,
    )
    first = _first_after_sentences(lines, start, header_at)
    return first, _end_before_prose(lines, first, end)


def _first_after_sentences(lines: tuple[str, ...], first: int, header_at: int) -> int:
    """A sentence set apart by a blank line is narrative: the title block is what follows."""
    while True:
        para_end = first
        while para_end < header_at and lines[para_end].strip():
            para_end += 1
        following = para_end
        while following < header_at and not lines[following].strip():
            following += 1
        if following == para_end or not _is_sentence(lines[para_end - 1]):
            return first
        first = following


def _end_before_prose(lines: tuple[str, ...], first: int, end: int) -> int:
    """The table's end, less label-only lines under its last row that read as prose."""
    last_row = max((k for k in range(first, end) if is_value_row(lines[k])), default=end - 1)
    k = last_row + 1
    while k < end:
        if not lines[k].strip() or is_rule(lines[k]):
            k += 1
            continue
        para_end = k
        while para_end < end and lines[para_end].strip() and not is_rule(lines[para_end]):
            para_end += 1
        after_blank = not lines[k - 1].strip()
        if _reads_like_prose(
            lines[k:para_end], after_blank, para_end >= end or not lines[para_end].strip()
        ):
            while k > first and not lines[k - 1].strip():
                k -= 1
            return k
        k = para_end
    return end


_ABBREVIATION_END_RE = re.compile(r"(?:\b[A-Z][A-Za-z]{0,3}|(?:\b[A-Za-z]\.){1,}[A-Za-z])\.$")


def _is_sentence(text: str) -> bool:
    """Ends like a sentence: a full stop after a word that is not an abbreviation ('Inc.')."""
    t = text.strip()
    return t.endswith(".") and len(t.split()) >= 2 and not _ABBREVIATION_END_RE.search(t)


def _reads_like_prose(para: tuple[str, ...], after_blank: bool, then_blank: bool) -> bool:
    """Label-only lines under a table's last row that are a sentence, not a truncated row."""
    text = " ".join(x.strip() for x in para)
    if any(is_value_row(x) for x in para) or text.endswith((":", ",")):
        return False
    if _is_sentence(para[-1]):
        return True
    return after_blank and then_blank and len(para) == 1 and len(text.split()) >= 4


def _skip_footnote(lines: tuple[str, ...], i: int) -> int:
    while i < len(lines) and lines[i].strip():
        i += 1
    return i


def _table_block(
    lines: tuple[str, ...], start: int, end: int, index: int, earlier: list[TableBlock]
) -> TableBlock | None:
    header_at = next(
        (k for k in range(start, end) if HEADER_WORDS_RE.search(lines[k]) or is_rule(lines[k])),
        None,
    )
    if header_at is None:
        return None
    title_lines = tuple(
        (k + 1, lines[k].rstrip()) for k in range(start, header_at) if lines[k].strip()
    )
    body = tuple((k + 1, lines[k].rstrip()) for k in range(header_at, end))
    preamble = _preamble(lines, start)
    title = _title(title_lines, preamble, earlier)
    return TableBlock(index, title, title_lines, body, preamble)


def _preamble(lines: tuple[str, ...], start: int) -> tuple[tuple[int, str], ...]:
    """The paragraph just above a table without a title: the note that introduces it."""
    k = start - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k < 0 or start - k > 3:
        return ()
    first = k
    while first > 0 and lines[first - 1].strip():
        first -= 1
    return tuple((j + 1, lines[j].rstrip()) for j in range(first, k + 1))


def _title(
    title_lines: tuple[tuple[int, str], ...],
    preamble: tuple[tuple[int, str], ...],
    earlier: list[TableBlock],
) -> str:
    texts = [t.strip() for _, t in title_lines]
    candidates = [t for t in texts if not t.startswith("(") and t.lower() not in {"unaudited"}]
    if len(candidates) >= 2:
        return candidates[1]
    if candidates:
        return candidates[0]
    parent = earlier[-1].title if earlier else "Table"
    note = " ".join(t.strip() for _, t in preamble)
    m = re.search(r"table summarizes (?:the )?(.+?)(?:\s+for the|\s*:|\.|$)", note, re.IGNORECASE)
    subject = m.group(1).strip() if m else "note"
    subject = re.sub(r"\s+related to .*$", "", subject)
    return f"{parent}: {subject[0].upper()}{subject[1:]}"


def _passages(
    lines: tuple[str, ...], table_lines: set[int], tables: list[TableBlock]
) -> list[Passage]:
    passages: list[Passage] = []
    section = "Headline"
    para: list[tuple[int, str]] = []

    def flush() -> None:
        nonlocal section, para
        if not para:
            return
        text = " ".join(t.strip() for _, t in para).strip()
        first, last = para[0][0], para[-1][0]
        para = []
        if not text:
            return
        prior = [t for t in tables if t.last_line < first]
        footnote = bool(FOOTNOTE_RE.match(text)) and bool(prior)
        if footnote:
            owner = _note_owner(text, prior).title
            passages.append(Passage(text, first, last, f"Notes to {owner}", "footnote"))
            return
        if _is_heading(text, first, last):
            section = text.rstrip(":")
            passages.append(Passage(text, first, last, section, "heading"))
            return
        passages.append(Passage(text, first, last, section))

    for n, line in enumerate(lines, start=1):
        if n in table_lines or not line.strip():
            flush()
            continue
        para.append((n, line))
    flush()
    return passages


def _note_owner(text: str, prior: list[TableBlock]) -> TableBlock:
    """The nearest earlier table whose row labels carry the note's marker; else the last one."""
    m = re.match(r"^(\(\d{1,2}\)|\*{1,3})", text)
    if m:
        marker = re.compile(re.escape(m.group(1)) + r"(?!\*)")
        for table in reversed(prior):
            width = _label_width(table)
            if any(marker.search(t[:width]) for _, t in table.lines):
                return table
    return prior[-1]


def _label_width(table: TableBlock) -> int:
    """Where the value columns begin: the first dash run of a column rule, or else the first
    column header; a marker left of it is in a row label, not a figure like '(2)'."""
    starts = [
        min(m.start() for m in re.finditer(r"[-=]+", t))
        for _, t in table.lines
        if is_rule(t) and len(re.findall(r"[-=]+", t)) >= 2
    ]
    if not starts:
        starts = [len(t) - len(t.lstrip()) for _, t in table.lines if HEADER_WORDS_RE.search(t)]
    return max(0, min(starts) - 2) if starts else PROSE_WIDTH


def _is_heading(text: str, first: int, last: int) -> bool:
    return first == last and len(text) <= 60 and not text.endswith(".") and first > 3


def _with_notes(table: TableBlock, passages: list[Passage]) -> TableBlock:
    """Attach the footnotes printed under a table, keyed by their marker."""
    notes: list[tuple[str, str]] = []
    for p in passages:
        if p.kind == "footnote" and p.section == f"Notes to {table.title}":
            m = re.match(r"^(\(\d{1,2}\)|\*{1,3})", p.text)
            if m:
                notes.append((m.group(1), p.text))
    return TableBlock(
        table.index, table.title, table.title_lines, table.lines, table.preamble, tuple(notes)
    )
