"""The fixed-width table parser: every numeric cell of a table block becomes one `Fact`.

Columns come from the rule line under the header (its runs of dashes) or, where that rule is
one long line, from the header words themselves. Row labels wrap over several lines and the
value sits on the last one; a label block ending in ':' (or standing alone before a blank or
a rule) is a section heading, and a "Total ..." row closes the section it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.cells import DASHES, read_cell
from index.errors import MalformedRelease
from index.facts import CellPosition, Fact
from index.periods import Calendar, Period, impossible_date
from index.segment import CELL_RE, HEADER_WORDS_RE, TableBlock, is_rule, trailing_cells
from index.table_model import (
    ColumnKey,
    Hints,
    basis_of,
    cell_unit,
    column_key,
    is_figure,
    is_percent_row,
    names_period,
    repeats_header,
    text_hints,
)

MARKER_RE = re.compile(r"\s*(?:\(\d{1,2}\)|\*{1,3})(?=\s|$|:)")
SCALE_RE = re.compile(r"\bin\s+(thousands|millions|billions)\b", re.IGNORECASE)
RANGE_RE = re.compile(r"^[$€£]?\d[\d,.]*\s*[-–—]\s*[$€£]?\d[\d,.]*%?$")  # '5 - 40' years
ROW_SCALE_RE = re.compile(r"\(\s*\$\s*(mil|mm|millions?|k|thousands?)\s*\)", re.IGNORECASE)
# Words every cash-flow or total label shares; a total names its section by the others.
GENERIC_WORDS = frozenset(
    {"total", "net", "cash", "flow", "flows", "from", "provided", "used", "by", "in", "of"}
    | {"to", "and", "the", "for"}
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int  # exclusive

    @property
    def center(self) -> float:
        return (self.start + self.end) / 2


@dataclass(frozen=True)
class Column:
    span: Span
    group: str
    header: str
    key: ColumnKey
    index: int = 0

    @property
    def label(self) -> str:
        return f"{self.group} {self.header}".strip()

    @property
    def period(self) -> Period | None:
        return self.key.period


@dataclass
class TableParse:
    """The facts of one table, and what the parser noticed but could still read."""

    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def table_scale(block: TableBlock) -> str:
    text = " ".join(t for _, t in block.title_lines) + " " + " ".join(t for _, t in block.preamble)
    m = SCALE_RE.search(text)
    return (
        {"thousands": "thousands", "millions": "millions"}.get(m.group(1).lower(), "units")
        if m
        else "units"
    )


def header_pairs(block: TableBlock) -> list[tuple[str, str]]:
    """(group, column header) of every column, before periods are known: feeds the calendar."""
    _, header, rule_at = _captions(block, *_split_header(block))
    spans = _column_spans(block, header, rule_at)
    return [(g, h) for g, h in _column_texts(header, spans)]


def parse_table(
    block: TableBlock, calendar: Calendar, release: str, parent_scale: str | None = None
) -> TableParse:
    """Turn one table block into facts; raise `MalformedRelease` naming the line at fault."""
    captions, header, rule_at = _captions(block, *_split_header(block))
    spans = _column_spans(block, header, rule_at)
    columns: list[Column] = []
    context = " ".join(t.strip() for _, t in (*block.title_lines, *captions) if names_period(t))
    for i, (span, (own_group, text)) in enumerate(
        zip(spans, _column_texts(header, spans), strict=True), start=1
    ):
        group = " ".join(filter(None, [context, own_group]))
        wrong = impossible_date(f"{group} {text}")
        if wrong:
            line = header[-1][0] if header else block.first_line
            raise MalformedRelease(
                f"table '{block.title}': column '{group} {text}' has a date that does not exist "
                f"('{wrong}')",
                line,
            )
        columns.append(Column(span, group, text, column_key(group, text, calendar), i))
    scale = table_scale(block)
    if scale == "units" and parent_scale and not block.title_lines:
        scale = parent_scale
    said = text_hints(" ".join(t.strip() for _, t in (*block.title_lines, *captions)))
    percent = said.percent or any(t.strip() in {"%", "(%)"} for _, t in block.title_lines)
    table = Hints(scale if scale != "units" else said.scale, said.currency, percent, said.shares)
    body = [(n, t) for n, t in block.lines if n > rule_at]
    return _parse_body(block, body, columns, table, release, calendar)


def _split_header(block: TableBlock) -> tuple[list[tuple[int, str]], int]:
    """Header lines (above the column rule) and the column rule's line number."""
    lines = block.lines
    rule_idx = _column_rule(lines)
    if rule_idx is None:
        first_rule = next((i for i, (_, t) in enumerate(lines) if is_rule(t)), len(lines))
        first_row = next(
            (
                i
                for i, (_, t) in enumerate(lines)
                if i > first_rule and _row_cells(t, None) and not _is_header_line(t)
            ),
            None,
        )
        if first_row is None:
            raise MalformedRelease(f"table '{block.title}' has a header but no rows", lines[0][0])
        rule_idx = max((i for i in range(first_row) if is_rule(lines[i][1])), default=None)
    if rule_idx is None:
        raise MalformedRelease(
            f"table '{block.title}': no rule line under its column headers", lines[0][0]
        )
    return list(lines[:rule_idx]), lines[rule_idx][0]


def _captions(
    block: TableBlock, header: list[tuple[int, str]], rule_at: int
) -> tuple[list[tuple[int, str]], list[tuple[int, str]], int]:
    """(captions, header, column rule): lines above a rule drawn across the label column too
    (the table's top border) are captions of the whole table, not column headers."""
    left = _runs(dict(block.lines)[rule_at])[0].start
    top = max(
        (i for i, (_, t) in enumerate(header) if is_rule(t) and _runs(t)[0].start < left - 2),
        default=None,
    )
    if top is None:
        return [], header, rule_at
    captions = [(n, t) for n, t in header[:top] if t.strip() and not is_rule(t)]
    return captions, header[top + 1 :], rule_at


def _column_rule(lines: tuple[tuple[int, str], ...]) -> int | None:
    """The first rule with header text above it whose next line starts left of its columns, at
    the label margin: header lines, stacked or grouped under rules of their own, stand over the
    columns; the body's labels do not. None when no rule tells it."""
    seen_text = False
    for i, (_, text) in enumerate(lines):
        if not is_rule(text):
            seen_text = seen_text or bool(text.strip())
            continue
        after = next((t for _, t in lines[i + 1 :] if t.strip()), None)
        if not seen_text or after is None or is_rule(after):
            continue
        left = _runs(text)[0].start
        if _indent(after) < left - 2 and not _is_header_line(after):
            return i
    return None


def _is_header_line(text: str) -> bool:
    """Column headers: period words, or a line of bare years under them."""
    if HEADER_WORDS_RE.search(text):
        return True
    words = text.split()
    if words and all(re.fullmatch(r"(?:19|20)\d\d|\d{1,2},", w) for w in words):
        return True
    cells = trailing_cells(text)
    marks = [c.group().strip() for c in cells]
    return any(re.match(r"(?:19|20)\d\d\b", m) for m in marks) and all(
        re.fullmatch(r"(?:19|20)\d\d(?: ?\(\d\))?|\(\d\)", m) for m in marks
    )


def _runs(text: str) -> list[Span]:
    return [Span(m.start(), m.end()) for m in re.finditer(r"[-=]+", text)]


def _words(text: str) -> list[tuple[Span, str]]:
    return [(Span(m.start(), m.end()), m.group()) for m in re.finditer(r"\S+", text)]


def _column_spans(block: TableBlock, header: list[tuple[int, str]], rule_line: int) -> list[Span]:
    rule = dict(block.lines)[rule_line]
    runs = _runs(rule)
    if len(runs) >= 2:
        return runs
    texts = [t for _, t in header if t.strip() and not is_rule(t)]
    if not texts:
        raise MalformedRelease(f"table '{block.title}' has no column headers", rule_line)
    last = texts[-1]
    return [Span(m.start(), m.end()) for m in re.finditer(r"\S+(?: \S+)*", last)]


def _nearest(spans: list[Span], word: Span) -> int:
    for i, s in enumerate(spans):
        if s.start <= word.center <= s.end:
            return i
    return min(range(len(spans)), key=lambda i: abs(spans[i].center - word.center))


def _column_texts(header: list[tuple[int, str]], spans: list[Span]) -> list[tuple[str, str]]:
    """Group label and header text of each column, read word by word down the header."""
    group_rows: list[tuple[str, list[Span]]] = []
    column_rows: list[str] = []
    pending: list[str] = []
    for _, text in header:
        if is_rule(text):
            if pending:
                group_rows.extend((p, _runs(text)) for p in pending)
                pending = []
            continue
        if text.strip():
            pending.append(text)
    column_rows = pending
    groups = _groups(group_rows, spans)
    if not group_rows:
        column_rows = []
        for text in pending:
            if re.search(r"\b(months|weeks|year|quarter)s?\s+ended\b", text, re.IGNORECASE):
                phrase = " ".join(text.split())
                groups = [" ".join(filter(None, [g, phrase])) for g in groups]
            else:
                column_rows.append(text)
    heads: list[list[str]] = [[] for _ in spans]
    for text in column_rows:
        for s, w in _words(text):
            heads[_nearest(spans, s)].append(w)
    return [(g, " ".join(h)) for g, h in zip(groups, heads, strict=True)]


def _groups(group_rows: list[tuple[str, list[Span]]], spans: list[Span]) -> list[str]:
    """Each column's group text: the words over the rule run that spans it."""
    groups = [""] * len(spans)
    for text, runs in group_rows:
        for run in runs:
            words = [w for s, w in _words(text) if run.start - 2 <= s.center <= run.end + 2]
            if not words:
                continue
            for i, col in enumerate(spans):
                if run.start - 1 <= col.center <= run.end + 1:
                    groups[i] = " ".join(filter(None, [groups[i], *words]))
    return groups


def _row_cells(text: str, boundary: int | None) -> list[re.Match[str]]:
    cells = trailing_cells(text)
    if boundary is not None:
        cells = [c for c in cells if c.start() >= boundary]
    if cells and not any(ch.isdigit() or ch in DASHES for c in cells for ch in c.group()):
        return []
    if boundary is None and cells and cells[-1].end() <= 12:
        return []
    return cells


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _clean(label: str) -> tuple[str, tuple[str, ...]]:
    """Label without footnote markers, and the markers it carried."""
    markers = tuple(m.strip() for m in MARKER_RE.findall(label))
    text = MARKER_RE.sub("", label)
    text = re.sub(r"\s+", " ", text).strip().rstrip(":").strip()
    return text, markers


@dataclass
class _Heading:
    level: int
    text: str
    markers: tuple[str, ...]


def _parse_body(
    block: TableBlock,
    body: list[tuple[int, str]],
    columns: list[Column],
    table: Hints,
    release: str,
    calendar: Calendar,
) -> TableParse:
    reader = _BodyReader(block, columns, table, release, calendar)
    for number, text in body:
        reader.line(number, text)
    reader.finish()
    return reader.result


class _BodyReader:
    """Reads a table body line by line: wrapped labels, section headings, totals, value rows.

    `under_rule`/`after_blank` say what stands right above the line being read,
    `label_under_rule` whether a rule stands right above the first line of the row's label,
    `row_indent` the label indent of the last row with values. `header_lines` are the lines of
    words (and rules) over the columns since the last row: a header repeated in the body.
    """

    def __init__(
        self,
        block: TableBlock,
        columns: list[Column],
        table: Hints,
        release: str,
        calendar: Calendar,
    ) -> None:
        self.block, self.columns, self.table, self.release = block, columns, table, release
        self.calendar, self.top = calendar, [c.key for c in columns]
        self.header_lines: list[tuple[int, str]] = []
        self.figures_seen = False
        self.result = TableParse()
        self.boundary = min(c.span.start for c in columns) - 3
        self.stack: list[_Heading] = []
        self.opened: list[_Heading] = []  # every heading in order, closed ones included
        self.closed_by_total: list[_Heading] = []  # sections whose total has been printed
        self.pending: list[tuple[int, str]] = []
        self.notes = dict(block.notes)
        self.under_rule = self.after_blank = self.label_under_rule = False
        self.row_indent: int | None = None

    def push_heading(self, lines: list[tuple[int, str]]) -> None:
        text, markers = _clean(" ".join(t.strip() for _, t in lines))
        if not text:
            return
        level = -1 if text.isupper() else _indent(lines[0][1])
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        heading = _Heading(level, text, markers)
        self.stack.append(heading)
        self.opened.append(heading)

    def flush_headings(self, own: int | None = None) -> None:
        """Push the label lines ending in ':' as headings, but for those of line `own`: a
        label with figures on its line ('Operating lease obligations:  $773') is the row's."""
        pending = self.pending
        cut = max(
            (i for i, (n, _) in enumerate(pending) if n != own and _ends_heading(pending[: i + 1])),
            default=-1,
        )
        if cut >= 0:
            self.push_heading(pending[: cut + 1])
            self.pending = pending[cut + 1 :]

    def line(self, number: int, text: str) -> None:
        """Read one body line: a blank or rule ends the label above it, a line of words over
        the columns is a header line, any other line a label, a value row or both."""
        if is_rule(text) and self.header_lines:
            self.header_lines.append((number, text))
        if not text.strip() or is_rule(text):
            self.end_labels()
            self.under_rule = is_rule(text)
            self.after_blank = self.after_blank or not text.strip()
            return
        printed = text
        text, words = _without_text_cells(text, self.boundary)
        cells = _row_cells(text, self.boundary)
        if _header_in_body(text, words, cells):
            self.header_lines.append((number, printed))
        elif self.header_lines:
            self.new_header()
        if not cells and words:
            # A row of words over the columns (a header repeated in the body): no figures.
            self.end_labels()
            self.under_rule = False
            return
        self.label_and_row(number, text, _past_dashes(cells, self.columns))

    def end_labels(self) -> None:
        """Push every pending label line as a heading: a label cut off by a blank, a rule or a
        header line has no figures to come."""
        self.flush_headings()
        if self.pending:
            self.push_heading(self.pending)
            self.pending = []

    def label_and_row(self, number: int, text: str, cells: list[re.Match[str]]) -> None:
        """The label part of a line (the text before its first cell) and its value row."""
        label_part = text[: cells[0].start()] if cells else text
        if label_part.strip():
            self.label(number, text, label_part)
        elif not self.pending:
            self.label_under_rule = self.under_rule
        self.under_rule = self.after_blank = False
        if cells:
            self.row(number, cells)

    def new_header(self) -> None:
        """The lines of words over the columns just read start a new block of the table when
        they are a header repeated in the body (`repeats_header`): its rows are keyed by it."""
        lines = self.header_lines
        self.header_lines = []
        while lines and is_rule(lines[-1][1]):
            lines.pop()
        if not self.figures_seen or not lines:
            return
        labels = [t[: self.boundary].strip() for _, t in lines if not is_rule(t)]
        keys = self.header_keys(lines, labels)
        if repeats_header(labels, keys, self.top):
            self.start_block(keys, {n for n, _ in lines})

    def header_keys(self, lines: list[tuple[int, str]], labels: list[str]) -> list[ColumnKey]:
        """The key of every column under header lines read in the body: their words over the
        columns, dated by a label that names a period ('As of December 31,')."""
        cut = self.boundary
        context = " ".join(t for t in labels if names_period(t))
        words = [(n, t if is_rule(t) else " " * cut + t[cut:]) for n, t in lines]
        spans = [c.span for c in self.columns]
        return [
            column_key(" ".join(filter(None, [context, g])), o, self.calendar)
            for g, o in _column_texts(words, spans)
        ]

    def start_block(self, keys: list[ColumnKey], numbers: set[int]) -> None:
        """Key the rows that follow by a repeated header: headings start afresh, and no fact
        is kept from the header's own lines (`numbers`)."""
        self.columns = [
            Column(c.span, k.header, "", k, c.index)
            for c, k in zip(self.columns, keys, strict=True)
        ]
        self.stack, self.pending = [], []
        self.result.facts = [f for f in self.result.facts if f.line not in numbers]

    def label(self, number: int, text: str, label_part: str) -> None:
        self.flush_headings()
        if self.pending and _indent(text) >= _indent(self.pending[0][1]) + 2:
            self.push_heading(self.pending)
            self.pending = []
        if not self.pending:
            self.label_under_rule = self.under_rule
            if self.after_blank:
                _leave_closed_sections(self.stack, self.closed_by_total, _indent(text))
        self.pending.append((number, label_part))

    def row(self, number: int, cells: list[re.Match[str]]) -> None:
        self.flush_headings(number)
        label_lines = self.pending or [(number, "")]
        self.pending = []
        raw_label = " ".join(t.strip() for _, t in label_lines)
        label, markers = _clean(raw_label)
        label = label or "Subtotal"
        indent = _indent(label_lines[0][1]) if raw_label.strip() else None
        if self.label_under_rule:
            section = _close_for_total(
                self.stack, self.opened, self.closed_by_total, label, indent, self.row_indent
            )
            if section is not None:
                self.closed_by_total.append(section)
        self.row_indent = indent if indent is not None else self.row_indent
        path = tuple(h.text for h in self.stack) + (label,)
        all_markers = markers + tuple(m for h in self.stack for m in h.markers)
        basis = basis_of(self.block.title, path, all_markers, self.notes)
        self.figures_seen = self.figures_seen or any(is_figure(c.group()) for c in cells)
        placed = _place(cells, self.columns, number, label, self.block.title, self.result)
        self.result.facts.extend(self.facts(placed, path, basis, number, label_lines[0][0]))
        _close_sections(self.stack, label)

    def facts(
        self,
        placed: list[tuple[Column, re.Match[str]]],
        path: tuple[str, ...],
        basis: str | None,
        number: int,
        label_line: int,
    ) -> list[Fact]:
        # A placeholder ('n/a', 'nm') holds its column's place but is not a figure.
        read = [(c, m, v) for c, m in placed if (v := read_cell(m.group())) is not None]
        values = [v for _, _, v in read]
        percent_row = is_percent_row(values)
        row_currency = next((v.currency for v in values if v.currency), None)
        out = []
        for col, cell, value in read:
            unit, cell_scale = cell_unit(
                path, value, col.key.hints, self.table, percent_row, row_currency
            )
            out.append(
                Fact(
                    release=self.release,
                    table=self.block.title,
                    table_index=self.block.index,
                    row=path,
                    column=col.label,
                    period=col.period,
                    basis=basis,
                    value=value.value,
                    raw=cell.group().strip(),
                    unit=unit,
                    scale=cell_scale,
                    line=number,
                    label_line=label_line,
                    qualifier=value.qualifier,
                    dimension=col.key.dimension,
                    member=col.key.member,
                    position=CellPosition(
                        number - self.block.first_line, col.index, number, cell.start(), cell.end()
                    ),
                )
            )
        return out

    def finish(self) -> None:
        self.flush_headings()
        pending = self.pending
        if pending and not pending[-1][1].rstrip().endswith(":"):
            label = " ".join(t.strip() for _, t in pending)
            raise MalformedRelease(
                f"table '{self.block.title}' ends before its row '{label}' has any values "
                "(is the table truncated?)",
                pending[-1][0],
            )


def _ends_heading(lines: list[tuple[int, str]]) -> bool:
    """Label lines that end in ':' outside any open parenthesis ('(2017/18:' goes on)."""
    text = " ".join(t for _, t in lines).rstrip()
    return text.endswith(":") and text.count("(") <= text.count(")")


def _words_in_columns(text: str, boundary: int) -> bool:
    """Words set apart in the value columns: the line starts there, or a gap of two spaces
    parts them from the label."""
    pieces = [m.start() for m in re.finditer(r"\S+(?: \S+)*", text)]
    return bool(pieces) and (pieces[0] >= boundary or any(p >= boundary for p in pieces[1:]))


def _without_text_cells(text: str, boundary: int) -> tuple[str, bool]:
    """The line with the words standing in the value columns blanked out ('3-5', 'Indefinite',
    a header repeated in the body, 'Fiscal 2018' centred), and whether it had any: they are
    cells that hold no figure, neither figures nor a part of the row's label."""
    figures = [m.span() for m in CELL_RE.finditer(text)]
    out, words = text, False
    for piece in re.finditer(r"\S+(?: \S+)*", text):
        if piece.start() < boundary:
            continue
        tokens = [
            (piece.start() + m.start(), piece.start() + m.end())
            for m in re.finditer(r"\S+", piece.group())
        ]
        covered = all(any(a <= s and e <= b for a, b in figures) for s, e in tokens)
        if covered and not RANGE_RE.match(piece.group()):
            continue
        out = out[: piece.start()] + " " * len(piece.group()) + out[piece.end() :]
        words = True
    return out, words


def _header_in_body(text: str, words: bool, cells: list[re.Match[str]]) -> bool:
    """Words over the columns with no figures, or years alone with no label before them: a
    line of a header (repeated in the body), not a row."""
    if not cells:
        return words
    years_only = not any(is_figure(c.group()) for c in cells)
    return years_only and not text[: cells[0].start()].strip()


def _past_dashes(cells: list[re.Match[str]], columns: list[Column]) -> list[re.Match[str]]:
    """The cells without the leading lone dashes that stand outside every column: a dash
    leader after a label, not an empty cell."""
    while cells and cells[0].group().strip() == "-" and not _within(cells[0], columns):
        cells = cells[1:]
    return cells


def _within(cell: re.Match[str], columns: list[Column]) -> bool:
    """A lone dash is a cell only inside a column; elsewhere it belongs to the label."""
    return any(c.span.start - 1 <= cell.start() and cell.end() <= c.span.end + 2 for c in columns)


def _distinctive(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9']+", text.lower())) - GENERIC_WORDS


def _close_for_total(
    stack: list[_Heading],
    opened: list[_Heading],
    totalled: list[_Heading],
    label: str,
    indent: int | None,
    above: int | None,
) -> _Heading | None:
    """A total standing right under a rule closes the sections nested inside the one it totals,
    before it takes its place; returns the section it totals, which closes once rows move out.

    Less indented than the rows above it, it closes the sections opened deeper than itself. A
    'Total ...'/'Net ...' label that repeats a section's distinctive words ('Net cash used in
    operating activities' for 'Cash Flows from Operating Activities') totals that section: the
    sections opened after it close, and it opens again for the total even when a same-level
    heading ('Adjustments to reconcile ...') already took its place.
    """
    if indent is not None and above is not None and indent < above:
        while stack and stack[-1].level > indent:
            stack.pop()
    section = _totalled_section(stack, opened, label)
    if section is None:
        return None
    return _reopen(stack, opened, totalled, section)


def _reopen(
    stack: list[_Heading], opened: list[_Heading], totalled: list[_Heading], section: _Heading
) -> _Heading | None:
    """Put the total in the section it totals: close what was opened inside or after it."""
    if any(h is section for h in stack):
        at = next(i for i, h in enumerate(stack) if h is section)
        del stack[at + 1 :]
        return section
    if any(h is section for h in totalled):
        return None  # a section already totalled and left is not opened again
    later = opened[next(i for i, h in enumerate(opened) if h is section) + 1 :]
    stack[:] = [h for h in stack if not any(h is x for x in later)]
    stack.append(section)  # the total sits in the section it totals, as it does when still open
    return section


def _totalled_section(stack: list[_Heading], opened: list[_Heading], label: str) -> _Heading | None:
    """The section a 'Total ...'/'Net ...' label names: the innermost open one, else the latest
    one a sibling heading replaced."""
    if not re.match(r"(?:total|net)\b", label, re.IGNORECASE):
        return None
    words = _distinctive(label)
    named = [h for h in opened if _distinctive(h.text) and _distinctive(h.text) <= words]
    section = next((h for h in reversed(stack) if any(h is x for x in named)), None)
    return section or (named[-1] if named else None)


def _leave_closed_sections(stack: list[_Heading], closed: list[_Heading], indent: int) -> None:
    """After a blank line, a row no deeper than a totalled section's heading is outside it."""
    for section in closed:
        at = next((i for i, h in enumerate(stack) if h is section), None)
        if at is not None and indent <= section.level:
            del stack[at:]


def _close_sections(stack: list[_Heading], label: str) -> None:
    """A 'Total X' row closes the section headed 'X' (and anything nested in it)."""
    low = label.lower()
    if not low.startswith("total "):
        return
    for i in range(len(stack) - 1, -1, -1):
        name = stack[i].text.lower()
        if name and name in low:
            del stack[i:]
            return


def _place(
    cells: list[re.Match[str]],
    columns: list[Column],
    line: int,
    label: str,
    table: str,
    result: TableParse,
) -> list[tuple[Column, re.Match[str]]]:
    """Match cells to columns: in order when the counts agree, by position when one is missing."""
    if len(cells) == len(columns):
        return list(zip(columns, cells, strict=True))
    if len(cells) > len(columns):
        raise MalformedRelease(
            f"table '{table}': row '{label}' has {len(cells)} values for {len(columns)} columns",
            line,
        )
    placed: list[tuple[Column, re.Match[str]]] = []
    used: list[int] = []
    for cell in cells:
        right = cell.end()
        best = min(range(len(columns)), key=lambda i: abs(columns[i].span.end - right))
        if abs(columns[best].span.end - right) > 3 or (used and best <= used[-1]):
            raise MalformedRelease(
                f"table '{table}': row '{label}' has {len(cells)} values for {len(columns)} "
                f"columns and the value '{cell.group().strip()}' lines up with no column",
                line,
            )
        used.append(best)
        placed.append((columns[best], cell))
    missing = [columns[i].label for i in range(len(columns)) if i not in used]
    result.warnings.append(
        f"line {line}: table '{table}': row '{label}' has no value under "
        + ", ".join(f"'{m}'" for m in missing)
    )
    return placed
