"""The fixed-width table parser: every numeric cell of a table block becomes one `Fact`.

Columns come from the rule line under the header (its runs of dashes) or, where that rule is
one long line, from the header words themselves. Row labels wrap over several lines and the
value sits on the last one; a label block ending in ':' (or standing alone before a blank or
a rule) is a section heading, and a "Total ..." row closes the section it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.cells import read_cell
from index.errors import MalformedRelease
from index.facts import CellPosition, Fact
from index.periods import Calendar, Period, impossible_date
from index.segment import HEADER_WORDS_RE, TableBlock, is_rule, trailing_cells
from index.table_model import ColumnKey, Hints, cell_unit, column_key, is_percent_row

MARKER_RE = re.compile(r"\s*(?:\(\d{1,2}\)|\*{1,3})(?=\s|$|:)")
SCALE_RE = re.compile(r"\bin\s+(thousands|millions|billions)\b", re.IGNORECASE)
ROW_SCALE_RE = re.compile(r"\(\s*\$\s*(mil|mm|millions?|k|thousands?)\s*\)", re.IGNORECASE)
# A note makes its rows non-GAAP only when it says their amounts are; a note that merely
# mentions non-GAAP results (an adjustment "in arriving at our non-GAAP results") does not.
NON_GAAP_NOTE_RE = re.compile(
    r"\breflects?\s+non-gaap\b|\b(?:is|are)\s+(?:an?\s+)?non-gaap\b|\bon\s+a\s+non-gaap\s+basis\b",
    re.IGNORECASE,
)
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
    header, rule_at = _split_header(block)
    spans = _column_spans(block, header, rule_at)
    return [(g, h) for g, h in _column_texts(header, spans)]


def parse_table(
    block: TableBlock, calendar: Calendar, release: str, parent_scale: str | None = None
) -> TableParse:
    """Turn one table block into facts; raise `MalformedRelease` naming the line at fault."""
    header, rule_at = _split_header(block)
    spans = _column_spans(block, header, rule_at)
    columns: list[Column] = []
    for i, (span, (group, text)) in enumerate(
        zip(spans, _column_texts(header, spans), strict=True), start=1
    ):
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
    body = [(n, t) for n, t in block.lines if n > rule_at]
    return _parse_body(block, body, columns, scale, release)


def _split_header(block: TableBlock) -> tuple[list[tuple[int, str]], int]:
    """Header lines (above the column rule) and the column rule's line number."""
    lines = block.lines
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


def _is_header_line(text: str) -> bool:
    """Column headers: period words, or a line of bare years under them."""
    if HEADER_WORDS_RE.search(text):
        return True
    words = text.split()
    return bool(words) and all(re.fullmatch(r"(?:19|20)\d\d|\d{1,2},", w) for w in words)


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
    groups = [""] * len(spans)
    for text, runs in group_rows:
        for span_run in runs:
            words = [
                w for s, w in _words(text) if span_run.start - 2 <= s.center <= span_run.end + 2
            ]
            for i, col in enumerate(spans):
                if col.center >= span_run.start - 1 and col.center <= span_run.end + 1 and words:
                    groups[i] = " ".join(filter(None, [groups[i], *words]))
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


def _row_cells(text: str, boundary: int | None) -> list[re.Match[str]]:
    cells = trailing_cells(text)
    if boundary is not None:
        cells = [c for c in cells if c.start() >= boundary]
    if cells and not any(ch.isdigit() or ch == "-" for c in cells for ch in c.group()):
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
    scale: str,
    release: str,
) -> TableParse:
    result = TableParse()
    boundary = min(c.span.start for c in columns) - 3
    stack: list[_Heading] = []
    opened: list[_Heading] = []  # every heading in the order it appeared, closed ones included
    closed_by_total: list[_Heading] = []  # sections whose total has been printed
    pending: list[tuple[int, str]] = []
    notes = dict(block.notes)
    under_rule = after_blank = False  # what stands right above the line being read
    label_under_rule = False  # a rule stands right above the first line of the row's label
    row_indent: int | None = None  # the label indent of the last row with values

    def push_heading(lines: list[tuple[int, str]]) -> None:
        raw = " ".join(t.strip() for _, t in lines)
        text, markers = _clean(raw)
        if not text:
            return
        first = lines[0][1]
        level = -1 if text.isupper() else _indent(first)
        while stack and stack[-1].level >= level:
            stack.pop()
        heading = _Heading(level, text, markers)
        stack.append(heading)
        opened.append(heading)

    def flush_headings() -> None:
        nonlocal pending
        cut = max((i for i, (_, t) in enumerate(pending) if t.rstrip().endswith(":")), default=-1)
        if cut >= 0:
            push_heading(pending[: cut + 1])
            pending = pending[cut + 1 :]

    for number, text in body:
        if not text.strip() or is_rule(text):
            flush_headings()
            if pending:
                push_heading(pending)
                pending = []
            under_rule, after_blank = is_rule(text), after_blank or not text.strip()
            continue
        cells = _row_cells(text, boundary)
        while cells and cells[0].group().strip() == "-" and not _within(cells[0], columns):
            cells = cells[1:]
        label_part = text[: cells[0].start()] if cells else text
        if label_part.strip():
            flush_headings()
            if pending and _indent(text) >= _indent(pending[0][1]) + 2:
                push_heading(pending)
                pending = []
            if not pending:
                label_under_rule = under_rule
                if after_blank:
                    _leave_closed_sections(stack, closed_by_total, _indent(text))
            pending.append((number, label_part))
        elif not pending:
            label_under_rule = under_rule
        under_rule = after_blank = False
        if not cells:
            continue
        flush_headings()
        label_lines = pending or [(number, "")]
        pending = []
        raw_label = " ".join(t.strip() for _, t in label_lines)
        label, markers = _clean(raw_label)
        if not label:
            label = "Subtotal"
        indent = _indent(label_lines[0][1]) if raw_label.strip() else None
        if label_under_rule:
            section = _close_for_total(stack, opened, closed_by_total, label, indent, row_indent)
            if section is not None:
                closed_by_total.append(section)
        row_indent = indent if indent is not None else row_indent
        path = tuple(h.text for h in stack) + (label,)
        all_markers = markers + tuple(m for h in stack for m in h.markers)
        basis = _basis(block.title, path, all_markers, notes)
        placed = _place(cells, columns, number, label, block.title, result)
        values = [read_cell(cell.group()) for _, cell in placed]
        if any(v is None for v in values):
            raise MalformedRelease(
                f"table '{block.title}': row '{label}' has an unreadable figure", number
            )
        read = [v for v in values if v is not None]
        percent_row = is_percent_row(read)
        row_currency = next((v.currency for v in read if v.currency), None)
        for (col, cell), value_of in zip(placed, read, strict=True):
            raw = cell.group().strip()
            value, qualifier = value_of.value, value_of.qualifier
            unit, cell_scale = cell_unit(
                path, value_of, col.key.hints, Hints(scale=scale), percent_row, row_currency
            )
            result.facts.append(
                Fact(
                    release=release,
                    table=block.title,
                    table_index=block.index,
                    row=path,
                    column=col.label,
                    period=col.period,
                    basis=basis,
                    value=value,
                    raw=raw,
                    unit=unit,
                    scale=cell_scale,
                    line=number,
                    label_line=label_lines[0][0],
                    qualifier=qualifier,
                    dimension=col.key.dimension,
                    member=col.key.member,
                    position=CellPosition(
                        number - block.first_line, col.index, number, cell.start(), cell.end()
                    ),
                )
            )
        _close_sections(stack, label)
    flush_headings()
    if pending:
        label = " ".join(t.strip() for _, t in pending)
        if not pending[-1][1].rstrip().endswith(":"):
            raise MalformedRelease(
                f"table '{block.title}' ends before its row '{label}' has any values "
                "(is the table truncated?)",
                pending[-1][0],
            )
    return result


def _is_dash(raw: str) -> bool:
    return raw.replace("$", "").strip() == "-"


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
    if not re.match(r"(?:total|net)\b", label, re.IGNORECASE):
        return None
    words = _distinctive(label)
    named = [h for h in opened if _distinctive(h.text) and _distinctive(h.text) <= words]
    # The innermost open section it names; else the latest one a sibling heading replaced.
    section = next((h for h in reversed(stack) if any(h is x for x in named)), None)
    section = section or (named[-1] if named else None)
    if section is None:
        return None
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


def _basis(
    title: str, path: tuple[str, ...], markers: tuple[str, ...], notes: dict[str, str]
) -> str | None:
    text = " ".join(path).lower()
    if "non-gaap" in text:
        return "non-GAAP"
    if any(NON_GAAP_NOTE_RE.search(notes.get(m, "")) for m in markers):
        return "non-GAAP"
    if "gaap" in text:
        return "GAAP"
    t = title.lower()
    if "gaap" in t and "non-gaap" not in t:
        return "GAAP"
    return None
