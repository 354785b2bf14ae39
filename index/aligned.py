"""Tables found by alignment alone: fixed-width text tables without rule lines.

A table is a run of lines whose figures stand in right-aligned columns (the last digit of every
value of a column on one character position), with the header rows above it: captions centred
over several columns ("13 Weeks Ended", "For the 26 Weeks Ended July 3, 2004 and June 28,
2003"), stacked dates and years, a scale line ("(millions, except per share)") among them, and
the title lines above those. Column groups side by side (segment A 2004 2003, segment B 2004
2003) are columns like any other, under captions that span their pair. Pure: lines in, `Grid`s
with each cell's line and character span out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.grid import Grid, GridCell

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
FIGURE_RE = re.compile(
    rf"^(?:[<>]\s*)?\(?\s*(?:US\$|[A-Z]{{1,2}}\$|[$€£¥])?\s*\(?\s*[-–−+]?\s*(?:{_NUM})\s*\)?"
    r"\s*(?:%|pts?|bps|x)?\s*\)?(?:\s*\(\w{1,2}\)|\s*\*{1,3})?$",
    re.IGNORECASE,
)
DASH_RE = re.compile(r"^(?:[$€£¥]\s*)?[-–—−]+\s*%?$")
NOT_AVAILABLE_RE = re.compile(r"^(?:n/?a|nm|n\.m\.?)$", re.IGNORECASE)
BARE_YEAR_RE = re.compile(r"^(?:19|20)\d{2}$")
CURRENCY_RE = re.compile(r"^(?:US\$|[A-Z]{1,2}\$|[$€£¥])\s*\(?$")
CLOSER_RE = re.compile(r"^(?:\)|%|\)\s*%|%\s*\)|pts?|bps)$", re.IGNORECASE)
RULE_RE = re.compile(r"^[\s|]*[-=_]{3,}[-=_\s|]*$")
PERIOD_WORDS_RE = re.compile(
    r"\b(?:ended|ending|months|weeks|quarters?|years?|fiscal|as of|january|february|march|april"
    r"|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug"
    r"|sept?|oct|nov|dec|(?:19|20)\d{2}|Q[1-4])\b",
    re.IGNORECASE,
)
SCALE_RE = re.compile(
    r"\b(?:in\s+(?:thousands|millions|billions)|thousands|millions|billions|except|unaudited"
    r"|\$\s*'?000|dollars)\b",
    re.IGNORECASE,
)
FOOTNOTE_RE = re.compile(r"^\s*(?:\(\w{1,2}\)|\*{1,3}|[¹²³†‡])\s*[A-Za-z]")
WRAP_END_RE = re.compile(
    r"(?:\b(?:and|or|of|for|to|in|from|on|the|before|after|with|less|net|per|by|at)|[,&-])$",
    re.IGNORECASE,
)
LABEL_GAP = 2
PROSE_WIDTH = 100
HEADER_ZONE = 12
MIN_VALUE_ROWS = 2


def is_figure(text: str) -> bool:
    """A whole cell that is a value: a number in any printed form, a dash for zero, n/a."""
    return bool(
        (FIGURE_RE.match(text) and any(c.isdigit() for c in text))
        or DASH_RE.match(text)
        or NOT_AVAILABLE_RE.match(text)
    )


def is_strong_figure(text: str) -> bool:
    """A value no header could be: a number that is not a bare year, or a dash."""
    if DASH_RE.match(text):
        return True
    return (
        bool(FIGURE_RE.match(text))
        and any(c.isdigit() for c in text)
        and not (BARE_YEAR_RE.match(text))
    )


@dataclass(frozen=True)
class Token:
    """A figure on a line: its text, character span, and the column its last digit ends at."""

    text: str
    start: int
    end: int

    @property
    def anchor(self) -> int:
        """Where the last digit ends (a dash: where it ends), whatever hangs after it."""
        tail = len(self.text) - len(self.text.rstrip("%)*( abcdefghijklmnopqrstuvwxyz"))
        if not any(c.isdigit() for c in self.text):
            tail = len(self.text) - len(self.text.rstrip("%)"))
        return self.end - tail


@dataclass(frozen=True)
class Line:
    """One line as a table sees it: its label text and the figures at its right end."""

    number: int
    text: str
    label: str
    label_start: int
    tokens: tuple[Token, ...]
    label_end: int = 0

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _chunks(text: str) -> list[tuple[str, int, int]]:
    """Whitespace-separated pieces with `$` joined to what follows and `)`/`%` to what
    precedes, so `$ (1,234)` and `12.5 %` are one piece."""
    out: list[tuple[str, int, int]] = []
    for m in re.finditer(r"\S+", text.replace("|", " ").replace("│", " ")):
        piece = (m.group(), m.start(), m.end())
        if out and CURRENCY_RE.match(out[-1][0]):
            out[-1] = (f"{out[-1][0]} {piece[0]}", out[-1][1], piece[2])
        elif out and CLOSER_RE.match(piece[0]):
            out[-1] = (f"{out[-1][0]}{piece[0]}", out[-1][1], piece[2])
        else:
            out.append(piece)
    return out


def read_line(number: int, text: str) -> Line:
    """Split a line into its label and the figures at its right end: a figure belongs to the
    label unless at least two spaces part it from the label's words."""
    chunks = _chunks(text)
    k = len(chunks)
    while k > 0 and is_figure(chunks[k - 1][0]):
        k -= 1
    while k < len(chunks) and k > 0 and chunks[k][1] - chunks[k - 1][2] < LABEL_GAP:
        k += 1
    label_end = chunks[k - 1][2] if k else 0
    label_start = chunks[0][1] if k else 0
    tokens = tuple(Token(t, a, b) for t, a, b in chunks[k:])
    label = " ".join(text[:label_end].split())
    return Line(number, text, label, label_start, tokens, label_end)


def kind(line: Line) -> str:
    """blank, rule, value (a row of figures), years (a header of bare years), prose, footnote,
    or text (a label or a header)."""
    if line.blank:
        return "blank"
    if RULE_RE.match(line.text):
        return "rule"
    if line.tokens and (line.label or any(is_strong_figure(t.text) for t in line.tokens)):
        return "value"
    if line.tokens and not line.label:
        return "years"
    if FOOTNOTE_RE.match(line.text):
        return "footnote"
    if _is_prose(line.text):
        return "prose"
    return "text"


def _is_prose(text: str) -> bool:
    t = text.strip()
    return len(t) > PROSE_WIDTH or (t.endswith(".") and len(t.split()) >= 10)


# --- where the tables are --------------------------------------------------------------------


def _body_runs(lines: list[Line], kinds: list[str]) -> list[tuple[int, int]]:
    """[first value row, last value row] index pairs of runs of figures that may hold labels,
    rules and single blank lines between them."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(lines)
    while i < n:
        if kinds[i] != "value":
            i += 1
            continue
        last = j = i
        blanks = 0
        while j + 1 < n and blanks < 2 and kinds[j + 1] in {"value", "text", "rule", "blank"}:
            j += 1
            blanks = blanks + 1 if kinds[j] == "blank" else 0
            if kinds[j] == "value":
                last = j
        runs.append((i, last))
        i = last + 1
    return runs


@dataclass(frozen=True)
class Column:
    """A value column: where its figures stand, and the position their last digits end at."""

    anchor: int
    start: int
    end: int
    support: int


def find_columns(rows: list[Line]) -> list[Column]:
    """Columns from the right edges of the figures: anchors one character apart are one
    column (a hanging `)` or `%` does not move the last digit)."""
    tokens = sorted((t for r in rows for t in r.tokens), key=lambda t: t.anchor)
    groups: list[list[Token]] = []
    for t in tokens:
        if groups and t.anchor - groups[-1][-1].anchor <= 1:
            groups[-1].append(t)
        else:
            groups.append([t])
    columns = [
        Column(g[-1].anchor, min(t.start for t in g), max(t.end for t in g), len(g)) for g in groups
    ]
    return _merge_overlapping(columns)


def _weak_left(columns: list[Column], rows: int) -> int:
    """How many leftmost columns hold a single figure while the table has several rows: a
    number that ends a label ("Notes due  2010"), not a column."""
    if rows < 3:
        return 0
    k = 0
    while k < len(columns) - 1 and columns[k].support == 1:
        k += 1
    return k


def _fold_into_label(line: Line, edge: int) -> Line:
    """The line with its figures left of `edge` read as part of its label."""
    moved = [t for t in line.tokens if t.end <= edge]
    if not moved:
        return line
    label = " ".join(line.text[: moved[-1].end].split())
    kept = tuple(t for t in line.tokens if t.end > edge)
    start = line.label_start if line.label else moved[0].start
    return Line(line.number, line.text, label, start, kept, moved[-1].end)


def _merge_overlapping(columns: list[Column]) -> list[Column]:
    """A dash for zero set a little off its column's digits belongs to that column."""
    out: list[Column] = []
    for c in columns:
        if out and c.start < out[-1].end and min(c.support, out[-1].support) <= 1:
            p = out[-1]
            keep = p if p.support >= c.support else c
            out[-1] = Column(
                keep.anchor, min(p.start, c.start), max(p.end, c.end), p.support + c.support
            )
        else:
            out.append(c)
    return out


def column_of(start: int, end: int, columns: list[Column]) -> tuple[int, int] | None:
    """(first column, how many) a piece of text covers; a piece over a gap goes to the
    nearest column when it is close; None when it stands in no column's way."""
    hit = [k for k, c in enumerate(columns) if start < c.end and c.start < end]
    if hit:
        return hit[0], hit[-1] - hit[0] + 1
    middle = (start + end) / 2
    k = min(
        range(len(columns)), key=lambda k: abs((columns[k].start + columns[k].end) / 2 - middle)
    )
    gap = max(columns[k].start - end, start - columns[k].end)
    return (k, 1) if gap <= 3 else None


# --- the header above the figures ------------------------------------------------------------


def _pieces(text: str) -> list[tuple[str, int, int]]:
    """The header's words in groups parted by two spaces or more."""
    return [
        (m.group(), m.start(), m.end())
        for m in re.finditer(r"\S+(?: \S+)*", text.replace("|", " ").replace("│", " "))
    ]


def _is_header_line(line: Line, columns: list[Column]) -> bool:
    """Names a period, or sets words over the value columns and none across the label's edge."""
    if PERIOD_WORDS_RE.search(line.text) and not SCALE_RE.search(line.text):
        return True
    left = columns[0].start
    pieces = _pieces(line.text)
    over = [p for p in pieces if p[1] >= left - LABEL_GAP]
    across = [p for p in pieces if p[1] < left - LABEL_GAP < p[2]]
    return bool(over) and not across


def _header_zone(lines: list[Line], kinds: list[str], first: int, floor: int) -> list[int]:
    """Indices of the lines above a run of figures that belong to its table, nearest first:
    up to two blank lines, prose, a footnote or the previous table."""
    zone: list[int] = []
    blanks = 0
    k = first - 1
    while k >= floor and first - k <= HEADER_ZONE:
        if kinds[k] in {"prose", "footnote", "value"}:
            break
        blanks = blanks + 1 if kinds[k] == "blank" else 0
        if blanks >= 2:
            break
        if kinds[k] not in {"blank", "rule"}:
            zone.append(k)
        k -= 1
    return zone


@dataclass(frozen=True)
class _Head:
    """The lines above a table's figures, sorted by what they are."""

    header: tuple[Line, ...]
    titles: tuple[Line, ...]
    notes: tuple[Line, ...]
    body: tuple[Line, ...]


def split_head(zone: list[Line], columns: list[Column], label_indent: int) -> _Head:
    """Nearest first: labels at the body's margin over the first row, then header lines (a
    scale line may sit among them), then the title lines above the topmost header line."""
    body: list[Line] = []
    header: list[Line] = []
    titles: list[Line] = []
    notes: list[Line] = []
    for line in zone:
        if SCALE_RE.search(line.text) and line.text.strip().startswith("("):
            notes.insert(0, line)
        elif not titles and _is_header_line(line, columns):
            header.insert(0, line)
        elif not header and not titles and line.label_start <= label_indent + 4:
            body.insert(0, line)
        else:
            titles.insert(0, line)
    return _Head(tuple(header), tuple(titles), tuple(notes), tuple(body))


def header_row(line: Line, columns: list[Column]) -> tuple[GridCell, ...]:
    """A header line as a grid row: each group of words over the run of columns it is
    centred on; a caption naming a period that stands over no column spans them all."""
    cells: list[GridCell] = [GridCell("", line.number)] * (len(columns) + 1)
    pieces = _pieces(line.text)
    label = [p for p in pieces if p[2] <= columns[0].start - LABEL_GAP]
    over = [p for p in pieces if p not in label]
    hits = [_overlapped(start, end, columns) for _, start, end in over]
    for i, (text, start, end) in enumerate(over):
        others = {k for j, h in enumerate(hits) if j != i for k in h}
        at = centred_run(start, end, hits[i], others, columns)
        if at is None and PERIOD_WORDS_RE.search(text):
            at = (0, len(columns))
        if at is None:
            label.append((text, start, end))
        else:
            _put(cells, at, GridCell(text, line.number, start, end))
    if label:
        text = " ".join(t for t, _, _ in label)
        cells[0] = GridCell(text, line.number, label[0][1], label[-1][2])
    return tuple(cells)


def _put(cells: list[GridCell], at: tuple[int, int], cell: GridCell) -> None:
    """Set a header piece over its columns, after any piece already there."""
    k, span = at
    old = cells[k + 1]
    text = f"{old.text} {cell.text}".strip()
    start = old.start if old.text else cell.start
    cells[k + 1] = GridCell(text, cell.line, start, cell.end, max(span, old.span))


def _overlapped(start: int, end: int, columns: list[Column]) -> set[int]:
    return {k for k, c in enumerate(columns) if start < c.end and c.start < end}


def centred_run(
    start: int, end: int, hit: set[int], others: set[int], columns: list[Column]
) -> tuple[int, int] | None:
    """(first column, how many) of the run of columns a header piece is centred over: the
    columns it overlaps, widened over neighbours no other piece claims while that brings the
    run's middle nearer the piece's middle ("Total" centred over its pair of columns)."""
    if not hit:
        near = column_of(start, end, columns)
        if near is None:
            return None
        hit = {near[0]}
    first, last = min(hit), max(hit)
    middle = (start + end) / 2

    def off(a: int, b: int) -> float:
        return abs((columns[a].start + columns[b].end) / 2 - middle)

    while True:
        options = [(first - 1, last), (first, last + 1)]
        options = [
            (a, b)
            for a, b in options
            if a >= 0 and b < len(columns) and a not in others and b not in others
        ]
        best = min(options, key=lambda ab: off(*ab), default=None)
        if best is None or off(*best) >= off(first, last):
            return first, last - first + 1
        first, last = best


def _wraps(line: Line, after: Line | None) -> bool:
    """A label-only line whose label goes on in the next line: it ends on a joining word, or
    the next line's label goes on in lower case or with a footnote mark."""
    if line.tokens or after is None or not after.label or not line.label:
        return False
    if WRAP_END_RE.search(line.label):
        return True
    return after.label[0].islower() or bool(re.match(r"^\(\w{1,2}\)", after.label))


def body_rows(lines: Sequence[Line], columns: list[Column]) -> list[tuple[GridCell, ...]]:
    """One row per line, a label wrapped over several lines joined into the row that holds
    its figures (the label cell then stands on the label's first line)."""
    rows: list[tuple[GridCell, ...]] = []
    pending: list[Line] = []
    for i, line in enumerate(lines):
        after = lines[i + 1] if i + 1 < len(lines) else None
        if _wraps(line, after):
            pending.append(line)
            continue
        rows.append(body_row(line, columns, tuple(pending)))
        pending = []
    return rows


def body_row(
    line: Line, columns: list[Column], wrapped: tuple[Line, ...] = ()
) -> tuple[GridCell, ...]:
    cells: list[GridCell] = [GridCell("", line.number)] * (len(columns) + 1)
    if wrapped:
        text = " ".join([*(w.label for w in wrapped), line.label])
        first = wrapped[0]
        cells[0] = GridCell(text, first.number, first.label_start, first.label_end)
    elif line.label:
        cells[0] = GridCell(line.label, line.number, line.label_start, line.label_end)
    for t in line.tokens:
        at = column_of(t.start, t.end, columns)
        k = at[0] if at else len(columns) - 1
        old = cells[k + 1]
        text = f"{old.text} {t.text}".strip()
        cells[k + 1] = GridCell(text, line.number, old.start if old.text else t.start, t.end)
    return tuple(cells)


def _title(titles: tuple[Line, ...], previous: Grid | None) -> str:
    texts = [t.text.strip() for t in titles if not SCALE_RE.search(t.text)]
    return texts[-1] if texts else previous.title if previous else "Table"


def _notes(head: _Head, previous: Grid | None) -> tuple[str, ...]:
    """The scale lines over a table; a table with no heading of its own takes those of the
    table before it."""
    if head.titles or head.notes or previous is None:
        return tuple(x.text.strip() for x in head.notes)
    return tuple(n for n in previous.notes if n.startswith("(") and SCALE_RE.search(n))


def _figures(body: list[Line], values: list[Line]) -> tuple[list[Line], list[Column]]:
    """The body's lines and value columns, a lone figure at the left folded into its label."""
    columns = find_columns(values)
    weak = _weak_left(columns, len(values))
    if not weak:
        return body, columns
    return [_fold_into_label(x, columns[weak - 1].end) for x in body], columns[weak:]


def _table(
    lines: list[Line], kinds: list[str], run: tuple[int, int], floor: int, previous: Grid | None
) -> Grid | None:
    """The grid of one run of figures, with the header, title and notes above it."""
    first, last = run
    body = [x for x in lines[first : last + 1] if kinds[x.number - 1] not in {"blank", "rule"}]
    values = [x for x in body if kinds[x.number - 1] == "value"]
    if len(values) < MIN_VALUE_ROWS:
        return None
    body, columns = _figures(body, values)
    zone = [lines[k] for k in _header_zone(lines, kinds, first, floor)]
    indent = min((x.label_start for x in body if x.label and x.tokens), default=0)
    head = split_head(zone, columns, indent)
    rows = [header_row(x, columns) for x in head.header]
    rows += body_rows((*head.body, *body), columns)
    above = (*head.titles, *head.notes, *head.header, *head.body)
    return Grid(
        tuple(rows),
        title=_title(head.titles, previous),
        notes=_notes(head, previous),
        header_rows=len(head.header),
        lines=(min((x.number for x in above), default=first + 1), last + 1),
    )


def find_tables(texts: Sequence[str]) -> tuple[Grid, ...]:
    """Every rule-less fixed-width table of a document, as grids with 1-based line numbers."""
    lines = [read_line(n, t.rstrip()) for n, t in enumerate(texts, start=1)]
    kinds = [kind(x) for x in lines]
    grids: list[Grid] = []
    floor = 0
    for run in _body_runs(lines, kinds):
        grid = _table(lines, kinds, run, floor, grids[-1] if grids else None)
        if grid is None:
            continue
        grids.append(grid)
        floor = run[1] + 1
    return tuple(grids)
