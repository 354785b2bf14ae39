"""The table model: one builder from a reader's `Grid` to a table and its facts, for every layout.

A table is its title and notes, its scale and unit (from the caption, a header cell, a row label
or the notes: "in millions", "$'000", "€m", "%"), a header of one or more levels, row label
paths and cells. Each value column gets a key: a `Period` when its header names one, else a
member of a named dimension (a segment, a region, a bucket, `Change`), so a table whose columns
are not periods is read, not refused. Every numeric cell (by `index.cells`) becomes one `Fact`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from index.cells import CURRENCY_SIGNS, CellValue, read_cell
from index.facts import CellPosition, Fact
from index.grid import Grid, GridCell
from index.periods import (
    MONTHS,
    ORDINAL_QUARTER_RE,
    YEAR_RE,
    Calendar,
    Period,
    learn_calendar,
    months_in_group,
    parse_date,
    period_from_header,
)

# Words that say how a period's figures were prepared, not which period: '2018 Restated3'.
RESTATED_RE = re.compile(r"(?<=\d)\s+(?:as\s+)?(?:restated|revised|unaudited|audited)\d?\b", re.I)
MARKER_RE = re.compile(r"\s*(?:\(\d{1,2}\)|\*{1,3})(?=\s|$|:)")
HEADER_MARK_RE = re.compile(r"\s*(?:\(\d{1,2}\)|\([a-z]\)|\*{1,3}|\[\d{1,2}\])(?=\s|$|,)")
SCALE_RE = re.compile(
    r"\bin\s*(thousands|millions|billions)\b|\(\s*(thousands|millions|billions)\b", re.IGNORECASE
)
_CUR = r"US\$|HK\$|S\$|A\$|C\$|\$|€|£|¥|RMB|EUR|GBP|USD|CHF|SEK"
UNIT_TOKEN_RE = re.compile(
    rf"\(?(?:(?P<cur>{_CUR})\s*(?:in\s+)?['’‘]?\s*"
    r"(?P<scale>000s?|thousands?|millions?|mn|mm|m|bn|billions?|k)?(?![A-Za-z0-9])"
    r"|['’‘](?P<k>000)s?|(?P<pct>%))\)?",
    re.IGNORECASE,
)
EXCEPT_RE = re.compile(r"\bexcept\b(?P<clause>[^)]*)", re.IGNORECASE)
SHARES_RE = re.compile(r"(?<!per )(?<!per-)\b(?:number\s+of\s+)?shares?\b", re.I)
SHARES_BEFORE_RE = re.compile(r"\bshares?\s*$", re.I)
ROW_SCALE_RE = re.compile(r"\(\s*\$\s*(mil|mm|millions?|k|thousands?)\s*\)", re.IGNORECASE)
CHANGE_RE = re.compile(
    r"\bchanges?\b|\bvariance\b|\bdifference\b|\bincrease\b|\bdecrease\b|\bvs\.?(?=\s)"
    r"|\bversus\b|\bgrowth\b|\bfav(?:orable)?\b|\bunfav|\binc\.?\s*\(dec|\bover\s+(?:19|20)\d\d",
    re.IGNORECASE,
)
PERCENT_CEILING = 100  # a bare figure beyond it in a percent-signed column is an amount
SCALE_WORDS = {"0": "thousands", "t": "thousands", "k": "thousands", "m": "millions"}
SCALE_WORDS |= {"b": "billions"}
NON_GAAP_NOTE_RE = re.compile(
    r"\breflects?\s+non-gaap\b|\b(?:is|are)\s+(?:an?\s+)?non-gaap\b|\bon\s+a\s+non-gaap\s+basis\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Hints:
    """What a caption, a header cell or a row label says about the figures under it."""

    scale: str | None = None
    currency: str | None = None
    percent: bool = False
    shares: str | None = None  # "(In millions, except shares, in thousands)": share counts' own

    def over(self, other: Hints) -> Hints:
        """These hints, falling back to `other` where these say nothing."""
        return Hints(
            self.scale or other.scale,
            self.currency or other.currency,
            self.percent or other.percent,
            self.shares or other.shares,
        )


@dataclass(frozen=True)
class ColumnKey:
    """What a value column is: its header as printed, and a period or a dimension member."""

    header: str
    period: Period | None
    dimension: str | None = None
    member: str | None = None
    hints: Hints = Hints()


@dataclass(frozen=True)
class ModelRow:
    """A body row: its label path (sections first), the grid row it came from, its cells."""

    path: tuple[str, ...]
    markers: tuple[str, ...]
    grid_row: int
    label_line: int | None
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class TableModel:
    index: int
    title: str
    caption: str
    hints: Hints
    header: tuple[tuple[str, ...], ...]
    columns: tuple[ColumnKey | None, ...]  # None for the label column
    rows: tuple[ModelRow, ...]
    notes: tuple[tuple[str, str], ...] = ()
    # A header repeated in the body starts a new block: (its first grid row, its columns).
    scopes: tuple[tuple[int, tuple[ColumnKey | None, ...]], ...] = ()

    def columns_of(self, grid_row: int) -> tuple[ColumnKey | None, ...]:
        """The columns of the block a grid row stands in."""
        return next((c for start, c in reversed(self.scopes) if start <= grid_row), self.columns)


# ---------------------------------------------------------------- hints


def text_hints(text: str) -> Hints:
    """Scale, currency and percent named anywhere in a caption or label."""
    scale, named_shares = _scales(text)
    shares = (share_scale(text) if scale else None) or named_shares
    currency = None
    percent = False
    for t in UNIT_TOKEN_RE.finditer(text):
        if t["pct"]:
            percent = percent or t.group(0).startswith("(") or text.strip() in {"%", "(%)"}
            continue
        if t["k"]:
            scale = scale or "thousands"
            continue
        currency = currency or CURRENCY_SIGNS.get((t["cur"] or "").upper(), _code(t["cur"]))
        if t["scale"]:
            scale = scale or SCALE_WORDS.get(t["scale"][0].lower())
    return Hints(scale, currency, percent, shares)


def _scales(text: str) -> tuple[str | None, str | None]:
    """The amounts' scale and the share counts' own: 'shares in thousands' scales the shares
    alone, so '(shares in thousands, except per share data) ... (amounts in millions)' is
    amounts in millions and shares in thousands."""
    amounts = shares = None
    for m in SCALE_RE.finditer(text):
        word = (m.group(1) or m.group(2)).lower()
        if SHARES_BEFORE_RE.search(text[: m.start()]):
            shares = shares or word
        else:
            amounts = amounts or word
    return amounts or shares, shares if amounts else None


def share_scale(text: str) -> str | None:
    """The scale an "except" clause gives share counts apart from the table's: "(In millions,
    except number of shares, which are reflected in thousands, ...)" -> thousands. A clause
    naming shares with no scale ("except share amounts") is too often loose wording for
    per-share amounts to read as whole shares: the table's scale stands."""
    for clause in EXCEPT_RE.finditer(text):
        named = SHARES_RE.search(clause["clause"])
        after = SCALE_RE.search(clause["clause"][named.end() :]) if named else None
        if after:
            return (after.group(1) or after.group(2)).lower()
    return None


def _code(cur: str | None) -> str | None:
    if not cur:
        return None
    return cur.upper() if cur.isalpha() else CURRENCY_SIGNS.get(cur)


def strip_units(text: str) -> tuple[str, Hints]:
    """A header without its unit words ('2019 €m' -> '2019'), and what they said."""
    hints = text_hints(text)
    if hints.percent is False and text.strip() in {"%", "(%)"}:
        hints = Hints(hints.scale, hints.currency, True)
    bare = re.sub(r"\([^()]*\bin\s*(?:thousands|millions|billions)\b[^()]*\)", "", text, flags=re.I)
    bare = SCALE_RE.sub("", bare)
    bare = re.sub(r"\(\s*(?:dollars|amounts|shares)?\s*\)", "", bare, flags=re.IGNORECASE)
    bare = UNIT_TOKEN_RE.sub(" ", bare)
    bare = re.sub(r"\(\s*\)", "", bare)
    return " ".join(bare.split()), hints


def clean_header(text: str) -> str:
    bare = RESTATED_RE.sub("", HEADER_MARK_RE.sub("", text))
    return " ".join(bare.replace("`", " ").split())


# ---------------------------------------------------------------- column keys

# Caption words that only say when or how: 'Fiscal', 'Unaudited', 'Quarter', 'Years', 'Ended'.
TIME_WORDS = frozenset(
    "fiscal year years quarter quarters ended ending months month weeks week three six nine"
    " twelve thirteen fourteen unaudited audited for the and of in periods period to date"
    " full first second third fourth ytd fy q as at".split()
)
MONTH_STEMS = frozenset("jan feb mar apr may jun jul aug sep oct nov dec".split())


def column_key(group: str, own: str, calendar: Calendar) -> ColumnKey:
    """The key of one value column from its group header and its own header."""
    printed = " ".join(filter(None, [group, own]))
    own_bare, own_hints = strip_units(own)
    group_bare, group_hints = strip_units(group)
    hints = own_hints.over(group_hints)
    own_bare, group_bare = clean_header(own_bare), clean_header(group_bare)
    if CHANGE_RE.search(printed):
        # As printed: '$ Change' and '% Change' are two members.
        return ColumnKey(printed, None, "change", clean_header(own or group), hints)
    if not own_bare:
        period = period_from_header("", group_bare, calendar) if group_bare else None
        return (
            ColumnKey(printed, period, None, None, hints)
            if period
            else (ColumnKey(printed, None, "column", "value", hints))
        )
    return _keyed(printed, group_bare, own_bare, hints, calendar)


def _keyed(
    printed: str, group_bare: str, own_bare: str, hints: Hints, calendar: Calendar
) -> ColumnKey:
    """The key of a column with a header of its own: its period, or a member of its group."""
    # A header without a figure ('As reported' under 'As of May 31, 2019') is no period itself.
    own_dated = any(ch.isdigit() for ch in own_bare) or ORDINAL_QUARTER_RE.search(
        f"{group_bare} {own_bare}"
    )
    period = period_from_header(group_bare, own_bare, calendar) if own_dated else None
    if period is not None:
        # Side-by-side groups ('Snacks 2004 2003 | Beverages 2004 2003'): period and member.
        member = group_member(group_bare)
        return ColumnKey(printed, period, "group" if member else None, member, hints)
    # A measure under a period ('2019' over 'Number'): the group's period, the column a member.
    table_period = None
    if group_bare:
        table_period = period_from_header(own_bare, group_bare, calendar) or period_from_header(
            "", group_bare, calendar
        )
    named = group_bare and table_period is None
    return ColumnKey(printed, table_period, group_bare if named else "column", own_bare, hints)


# ---------------------------------------------------------------- header


def _is_year_token(text: str) -> bool:
    bare = clean_header(strip_units(text)[0])
    return bool(YEAR_RE.match(bare)) and len(bare) >= 4


def is_figure(text: str) -> bool:
    """A cell that holds a figure, not a year heading a column."""
    return read_cell(text) is not None and not _is_year_token(text)


def header_count(grid: Grid) -> int:
    """How many leading rows are header: those above the first row holding a figure, less a
    label-only row under the column headers (a section heading of the body)."""
    if grid.header_rows is not None:
        return grid.header_rows
    seen_columns = False
    for i, row in enumerate(grid.rows):
        values = [c.text.strip() for c in row[1:]]
        if any(is_figure(v) for v in values):
            return i
        if not any(values) and row and row[0].text.strip() and seen_columns:
            return i
        seen_columns = seen_columns or any(v and not _unit_only(v) for v in values)
    return len(grid.rows)


def _unit_only(text: str) -> bool:
    return bool(text.strip()) and not strip_units(text)[0]


def _spread(row: tuple[GridCell, ...], width: int, explicit: bool) -> list[str]:
    """Each value column's text in one header row; a group cell covers the columns under it."""
    if explicit or any(c.span > 1 for c in row):
        texts = [""] * width
        for i, c in enumerate(row):
            for j in range(i, min(width, i + max(1, c.span))):
                texts[j] = texts[j] or c.text.strip()
        return texts
    filled = [i for i in range(1, width) if row[i].text.strip()]
    if not filled or len(filled) == width - 1:
        return [c.text.strip() for c in row]
    owners = _owners(filled, width - 1)
    return [row[0].text.strip(), *(row[o].text.strip() for o in owners)]


def _owners(filled: list[int], columns: int) -> list[int]:
    """The group cell over each value column when the reader gave no spans: equal blocks when
    each group cell stands inside its own block (centred groups), else the nearest to the left."""
    size = columns // len(filled)
    blocks = columns % len(filled) == 0 and all(
        1 + k * size <= p < 1 + (k + 1) * size for k, p in enumerate(filled)
    )
    if blocks:
        return [filled[(j - 1) // size] for j in range(1, columns + 1)]
    return [max([p for p in filled if p <= j] or [filled[0]]) for j in range(1, columns + 1)]


def header_texts(grid: Grid, count: int | None = None) -> tuple[list[tuple[str, str]], Hints, str]:
    """(group, own) header of every grid column, the hints of unit-only header cells, and the
    caption made of the header rows' label cells (the first `count` rows, else the header)."""
    count = header_count(grid) if count is None else count
    caption = [r[0].text.strip() for r in grid.rows[:count] if r and r[0].text.strip()]
    levels, hints = _header_levels(grid, count)
    context = " ".join(t for t in caption if names_period(t))
    return _column_headers(levels, grid.width, context), hints, " ".join(caption)


def _header_levels(grid: Grid, count: int) -> tuple[list[list[str]], Hints]:
    """The first `count` rows spread over the grid's columns, one level per row naming
    columns; a row naming only the unit gives hints instead of a level."""
    explicit = grid.header_rows is not None
    levels: list[list[str]] = []
    hints = Hints()
    for row in grid.rows[:count]:
        values = [c.text.strip() for c in row[1:] if c.text.strip()]
        if is_unit_row(values):
            hints = hints.over(text_hints(values[0]))
        elif values:
            levels.append(_spread(row, grid.width, explicit))
    return levels, hints


def _column_headers(levels: list[list[str]], width: int, context: str) -> list[tuple[str, str]]:
    """(group, own) per column: the lowest level naming it is its own header, the levels above
    it (after the dating caption `context`) its group; the label column has none."""
    pairs: list[tuple[str, str]] = [("", "")]
    for j in range(1, width):
        texts = [lv[j] for lv in levels if lv[j]]
        own = texts[-1] if texts else ""
        group = " ".join([context, *_dedupe(texts[:-1])]).strip()
        pairs.append((group, own))
    return pairs


def is_unit_row(values: list[str]) -> bool:
    """A header row that only names the unit over every column ('(in millions)', '$'000')."""
    return bool(values) and all(_unit_only(v) for v in values) and len(set(values)) == 1


def _dedupe(texts: list[str]) -> list[str]:
    out: list[str] = []
    for t in texts:
        if t not in out:
            out.append(t)
    return out


def group_member(text: str) -> str | None:
    """What a caption over period columns names besides time ('For the 13 Weeks Ended July 3,
    2004 ... Snacks' -> 'Snacks'), or None when it only says when."""
    words = [
        w
        for w in re.findall(r"[A-Za-z][A-Za-z&'.-]*", text)
        if w.lower().rstrip(".") not in TIME_WORDS and w.lower()[:3] not in MONTH_STEMS
    ]
    return " ".join(words) or None


def names_period(text: str) -> bool:
    """A caption that dates the columns under it: 'As of', 'At December 31:', 'Years ended'."""
    return bool(
        parse_date(text)
        or months_in_group(text)
        or re.search(r"(?i)\b(?:as\s+(?:of|at)|at)\b", text)
        or re.search(rf"(?i)\b(?:{'|'.join(MONTHS)})\s+\d{{1,2}}\b", text)
    )


def repeats_header(labels: list[str], keys: list[ColumnKey], top: list[ColumnKey | None]) -> bool:
    """Rows of words over the value columns, standing after rows of figures, are the header of
    a new block of the table (a 2018 block under a 2019 one) when only their first row has a
    label (a caption: '(In millions)') and they name the period of a column or print the
    table's own column headers again."""
    if any(label.strip() for label in labels[1:]):
        return False
    return any(k.period for k in keys) or [k.member for k in keys] == [
        k.member if k else None for k in top
    ]


def header_scopes(
    grid: Grid, start: int, top: list[ColumnKey | None], calendar: Calendar
) -> list[tuple[int, int, list[ColumnKey]]]:
    """The headers repeated in the body of a grid whose body starts at row `start` under the
    columns `top`: (first row, row after the header, column keys) of each."""
    scopes = []
    figures_seen = False
    i = start
    while i < len(grid.rows):
        end = i
        while end < len(grid.rows) and _words_only(grid.rows[end]):
            end += 1
        if end == i:
            figures_seen = figures_seen or any(is_figure(c.text) for c in grid.rows[i][1:])
            i += 1
            continue
        if figures_seen and end < len(grid.rows):
            pairs, _, _ = header_texts(Grid(grid.rows[i:end]), end - i)
            keys = [column_key(g, o, calendar) for g, o in pairs[1:]]
            if repeats_header([r[0].text if r else "" for r in grid.rows[i:end]], keys, top):
                scopes.append((i, end, keys))
        i = end
    return scopes


def _words_only(row: tuple[GridCell, ...]) -> bool:
    """A row with words but no figure in its value columns."""
    values = [c.text.strip() for c in row[1:] if c.text.strip()]
    return bool(values) and not any(is_figure(v) for v in values)


def header_pairs(grid: Grid) -> list[tuple[str, str]]:
    """(group, header) of every value column: what the fiscal calendar is learned from."""
    pairs, _, _ = header_texts(grid)
    return [
        (clean_header(strip_units(g)[0]), clean_header(strip_units(o)[0])) for g, o in pairs[1:]
    ]


# ---------------------------------------------------------------- body


def clean_label(label: str) -> tuple[str, tuple[str, ...]]:
    """A label without its footnote markers, and the markers it carried."""
    markers = tuple(m.strip() for m in MARKER_RE.findall(label))
    text = MARKER_RE.sub("", label)
    text = re.sub(r"\s+", " ", text).strip().rstrip(":").strip()
    return text, markers


def _body(grid: Grid, start: int, repeated: dict[int, int] | None = None) -> list[ModelRow]:
    """Rows with label paths: a reader's own paths when it knows them, else a label-only row
    heads the rows under it until the next such row or the total that closes it. A header
    repeated in the body (`repeated`: its first row to the row after it) is no row and closes
    every section."""
    if grid.paths is not None:
        return [_known_path(grid, i, grid.paths[i - start]) for i in range(start, len(grid.rows))]
    repeated = repeated or {}
    sections = _Sections()
    rows: list[ModelRow] = []
    skip_to = start
    for i in range(start, len(grid.rows)):
        if i in repeated:
            skip_to = repeated[i]
            sections = _Sections()
        if i < skip_to:
            continue
        row = sections.read(grid.rows[i], i)
        if row is not None:
            rows.append(row)
    return rows


_Label = tuple[str, tuple[str, ...]]


class _Sections:
    """The label-only rows open above the body row being read: grids without a reader's own
    paths say a row's section only by the rows printed above it."""

    def __init__(self) -> None:
        self.heading: _Label | None = None
        self.section: _Label | None = None  # an upper-case heading holds the others

    def read(self, row: tuple[GridCell, ...], i: int) -> ModelRow | None:
        """The model row of grid row `i`, or None when the row is a heading (label, no values)."""
        label_cell = row[0] if row else GridCell("")
        cells = tuple(row[1:])
        text, markers = clean_label(label_cell.text)
        if text and not any(c.text.strip() for c in cells):
            self._open((text, markers))
            return None
        path, marks = self._under((text, markers))
        self._close(text)
        return ModelRow(path, marks, i, label_cell.line, cells)

    def _under(self, label: _Label) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The label path and markers of a row: the open headings' first, so a row keeps
        the footnotes of the headings it stands under."""
        above = [h for h in (self.section, self.heading) if h]
        path = tuple(h[0] for h in above) + (label[0] or "Subtotal",)
        return path, label[1] + tuple(m for h in above for m in h[1])

    def _open(self, label: _Label) -> None:
        """An upper-case heading starts a new section, any other heading one under it."""
        if label[0].isupper():
            self.section, self.heading = label, None
        else:
            self.heading = label

    def _close(self, text: str) -> None:
        """A total naming the open heading (else the section) ends it: rows after it are not
        its parts."""
        if not text.lower().startswith("total"):
            return
        if self.heading and self.heading[0].lower() in text.lower():
            self.heading = None
        elif self.section and self.section[0].lower() in text.lower():
            self.section = None


def _known_path(grid: Grid, i: int, raw_path: tuple[str, ...]) -> ModelRow:
    """A body row whose label path the reader read itself (markers still in)."""
    row = grid.rows[i]
    cleaned = [clean_label(p) for p in raw_path]
    path = tuple(t for t, _ in cleaned[:-1] if t) + (cleaned[-1][0] or "Subtotal",)
    markers = tuple(m for _, ms in cleaned for m in ms)
    return ModelRow(path, markers, i, row[0].line if row else None, tuple(row[1:]))


def build(grid: Grid, calendar: Calendar, index: int, parent: Hints | None = None) -> TableModel:
    """The table model of one grid, its columns keyed by the release's fiscal calendar."""
    count = header_count(grid)
    pairs, header_hints, caption = header_texts(grid)
    notes_text = " ".join([grid.title, *grid.notes])
    hints = text_hints(f"{notes_text} {caption}").over(header_hints)
    if parent is not None and not hints.scale:
        hints = hints.over(parent)
    columns: list[ColumnKey | None] = [None]
    columns += [column_key(g, o, calendar) for g, o in pairs[1:]]
    scopes = header_scopes(grid, count, columns[1:], calendar) if grid.paths is None else []
    notes = tuple(
        (m.group(1), n) for n in grid.notes if (m := re.match(r"^(\(\d{1,2}\)|\*{1,3})", n))
    )
    rows = _body(grid, count, {a: b for a, b, _ in scopes})
    return TableModel(
        index,
        grid.title or f"Table {index + 1}",
        caption,
        hints,
        tuple(tuple(c.text for c in r) for r in grid.rows[:count]),
        tuple(columns),
        tuple(rows),
        notes,
        tuple((a, (None, *keys)) for a, _, keys in scopes),
    )


# ---------------------------------------------------------------- facts


def model_facts(model: TableModel, release: str, first_line: int = 0) -> list[Fact]:
    """One fact per numeric cell of the table."""
    facts: list[Fact] = []
    notes = dict(model.notes)
    for row in model.rows:
        columns = model.columns_of(row.grid_row)
        read = [(j + 1, c, read_cell(c.text)) for j, c in enumerate(row.cells)]
        read = [(j, c, v) for j, c, v in read if v is not None and j < len(columns)]
        percent_row = is_percent_row([v for _, _, v in read])
        row_currency = next((v.currency for _, _, v in read if v.currency), None)
        basis = basis_of(model.title, row.path, row.markers, notes)
        for j, cell, value in read:
            key = columns[j]
            if key is None:
                continue
            path = row.path
            unit, scale = cell_unit(path, value, key.hints, model.hints, percent_row, row_currency)
            line = cell.line if cell.line is not None else first_line
            facts.append(
                Fact(
                    release=release,
                    table=model.title,
                    table_index=model.index,
                    row=path,
                    column=key.header,
                    period=key.period,
                    basis=basis,
                    value=value.value,
                    raw=" ".join(cell.text.split()) if cell.line is None else cell.text.strip(),
                    unit=unit,
                    scale=scale,
                    line=line,
                    label_line=row.label_line if row.label_line is not None else line,
                    qualifier=value.qualifier,
                    dimension=key.dimension,
                    member=key.member,
                    position=CellPosition(row.grid_row, j, cell.line, cell.start, cell.end),
                )
            )
    return facts


def percent_columns(facts: list[Fact]) -> list[Fact]:
    """Bare figures of a column whose first and last figures print the percent sign, the way a
    rate table signs only its first and total lines ('21.0%', then '3.7', '(0.4)', then
    '13.0%'): percents. A column printing an amount anywhere, or a bare figure beyond a
    hundred, is left as it reads. Pure over one release's facts, whichever reader made them."""
    by_column: dict[tuple[int, int], list[Fact]] = {}
    for f in facts:
        if f.position is not None:
            by_column.setdefault((f.table_index, f.position.col), []).append(f)
    bare: set[int] = set()
    for column in by_column.values():
        column.sort(key=lambda f: f.position.row if f.position is not None else 0)
        if _signed_percent(column):
            bare |= {id(f) for f in column if f.unit == "count"}
    return [replace(f, unit="percent", scale="units") if id(f) in bare else f for f in facts]


def _signed_percent(column: list[Fact]) -> bool:
    ends = (column[0], column[-1])
    signed = len(column) > 2 and all(f.unit == "percent" and "%" in f.raw for f in ends)
    counts = [f for f in column if f.unit == "count"]
    return (
        signed
        and bool(counts)
        and all(f.unit in {"count", "percent"} for f in column)
        and all(abs(f.value) <= PERCENT_CEILING for f in counts)
    )


def is_percent_row(values: list[CellValue]) -> bool:
    """A dash among percents is a zero percent, not a count."""
    return any(v.percent for v in values) and all(v.percent or v.dash for v in values)


def cell_unit(
    path: tuple[str, ...],
    cell: CellValue,
    column: Hints,
    table: Hints,
    percent_row: bool,
    row_currency: str | None = None,
) -> tuple[str, str]:
    """Unit and scale of one cell: what the cell says, then its column, its row, its table."""
    row = text_hints(path[-1])
    stated = _stated_unit(cell, column, row, table, percent_row)
    if stated is not None:
        return stated
    scale = row.scale or column.scale or table.scale or "units"
    currency = _first(cell.currency, row_currency, row.currency, column.currency, table.currency)
    unit, scale = row_unit(path, currency is not None, scale)
    if unit == "shares" and not row.scale:
        scale = column.shares or table.shares or scale
    return _in_currency(unit, currency), scale


def _stated_unit(
    cell: CellValue, column: Hints, row: Hints, table: Hints, percent_row: bool
) -> tuple[str, str] | None:
    """A unit the cell states itself, or a percent its row, column or table states (a header
    row of '%' alone over every column); a percent yields to a row or column naming a currency
    or scale. None when it must be worked out."""
    if cell.percent or (percent_row and cell.dash):
        return "percent", "units"
    if cell.unit:
        return cell.unit, "units"
    if row.percent or (column.percent and not row.currency and not row.scale):
        return "percent", "units"
    said = (row.currency, row.scale, column.currency, column.scale, table.currency, table.scale)
    if table.percent and not any(said):
        return "percent", "units"
    return None


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v), None)


def _in_currency(unit: str, currency: str | None) -> str:
    """'USD' as the row rules say it, in the currency the table prints."""
    if not currency or currency == "USD" or not unit.startswith("USD"):
        return unit
    return currency + unit[3:]


def row_unit(path: tuple[str, ...], has_currency: bool, scale: str) -> tuple[str, str]:
    """Unit and scale a row label gives its figures: per share, shares, days, ratios, counts."""
    label = path[-1].lower()
    context = " ".join(path).lower()
    m = ROW_SCALE_RE.search(label)
    if m:
        word = m.group(1).lower()
        return "USD", "millions" if word.startswith("m") else "thousands"
    if re.search(
        r"\bper (common )?share(?![a-z])|per common\s*share|\beps\b", context
    ) and not re.search(r"shares used|weighted average", context):
        return "USD per share", "units"
    if re.search(r"shares used|weighted average|shares outstanding", context):
        return "shares", scale
    if re.search(r"\bdso|days sales", label):
        return "days", "units"
    if re.search(r"\bturns?\b|\bratio\b", label):
        return "ratio", "units"
    if re.search(r"headcount|employees|customers\b", label):
        return "count", "units"
    if scale != "units" or has_currency:
        return "USD", scale
    return "count", "units"


def basis_of(
    title: str, path: tuple[str, ...], markers: tuple[str, ...], notes: dict[str, str]
) -> str | None:
    """GAAP or non-GAAP, as the row, its footnote or the table's title says; else None."""
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


# ---------------------------------------------------------------- a release's grids


def grids_facts(
    grids: tuple[Grid, ...], release: str, year_end_month: int | None = None
) -> tuple[Calendar, list[Fact]]:
    """The fiscal calendar every grid's headers print (else the year-end month the text
    gives), and the facts of every grid."""
    calendar = learn_calendar([p for g in grids for p in header_pairs(g)], year_end_month)
    facts: list[Fact] = []
    for i, grid in enumerate(grids):
        model = build(grid, calendar, i)
        first = grid.lines[0] if grid.lines else 0
        facts.extend(percent_columns(model_facts(model, release, first)))
    return calendar, facts
