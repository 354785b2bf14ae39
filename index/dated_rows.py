"""Rows that carry the period: a table whose columns are not periods may date its rows instead.

A roll-forward prints its balances as rows ('Balance at December 31, 2018', 'Granted', ...,
'Balance at December 31, 2019') under columns that are segments or measures; a schedule of
payments prints a year per row ('2021', '2022', 'Thereafter') under 'Operating leases' and
'Finance leases'; a table may head blocks of rows with a date or a year ('December 31, 2019',
'2019') over columns that are measures or quarters ('First' ... 'Fourth'). Read as printed,
every such figure is undated and a question naming a date finds nothing. Here, for a table none
of whose figures has a period, a dated label becomes the label without its date plus that
balance date; the rows between two balance dates a year apart are that year's movements; a year
label turns its row around (each column is the line, the year its period); a heading that only
says when dates the rows under it. Every reader's facts pass through here, so a table reads the
same whatever its layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from index.facts import Fact
from index.periods import (
    DATE_RE,
    DMY_RE,
    ORDINALS,
    Calendar,
    Period,
    parse_date,
    period_from_header,
)
from index.table_model import group_member

# The words that tie a date to a label: 'Balance at', 'Outstanding as of', 'Nonvested, on'.
DATE_TIE_RE = re.compile(
    r"[\s,:-]*(?:\b(?:as\s+(?:of|at)|at|on|of|ended|ending)\b)?[\s,:-]*$", re.I
)
YEAR_LABEL_RE = re.compile(r"^(?:19|20)\d\d$")
# A column named by a quarter alone ('Third', 'Fourth Quarter') under a year the rows name.
ORDINAL_COLUMN_RE = re.compile(r"(first|second|third|fourth)(?:\s+quarter)?", re.I)
MIN_DATED_ROWS = 2  # one dated label among undated ones may be a note; two are a roll-forward
YEAR_DAYS = range(350, 381)  # two balance dates a fiscal year apart, 52/53-week years included


@dataclass(frozen=True)
class RowPeriod:
    """What a row says of time: its label path without the date, the period, and whether the
    label was only a year (the row then holds one figure per line named by its columns)."""

    path: tuple[str, ...]
    period: Period
    by_year: bool = False


def dated_label(label: str, calendar: Calendar) -> tuple[str, Period] | None:
    """A label that names a balance date ('Net balances at September 30, 2018'), as the label
    without it and the instant it names."""
    m = DATE_RE.search(label) or DMY_RE.search(label)
    end = parse_date(m.group(0)) if m else None
    if m is None or end is None or label[m.end() :].strip(" .,:;()"):
        return None
    bare = DATE_TIE_RE.sub("", label[: m.start()]).strip(" ,:;-")
    if not bare:
        return None
    fy, q = calendar.fiscal_position(end)
    return bare, Period("instant", fy, q, end)


def year_label(label: str) -> Period | None:
    """A label that is a year and nothing else ('2021')."""
    text = label.strip()
    return Period("year", int(text)) if YEAR_LABEL_RE.match(text) else None


def date_rows(facts: list[Fact], calendar: Calendar) -> list[Fact]:
    """Every table's facts, those of a table whose columns name no period dated by its rows."""
    tables: dict[int, list[Fact]] = {}
    for f in facts:
        tables.setdefault(f.table_index, []).append(f)
    out: list[Fact] = []
    for table in tables.values():
        out.extend(table if any(f.period for f in table) else _dated_table(table, calendar))
    return out


def _dated_table(facts: list[Fact], calendar: Calendar) -> list[Fact]:
    rows = sorted({_at(f) for f in facts})
    found = dict(zip(rows, row_periods([path for _, path in rows], calendar), strict=True))
    return [_placed(f, found[_at(f)]) for f in facts]


def _at(f: Fact) -> tuple[tuple[int, int], tuple[str, ...]]:
    """Where a fact's row stands in its table, and its label path: one key per printed row."""
    return (f.position.row if f.position else 0, f.label_line), f.row


def row_periods(paths: list[tuple[str, ...]], calendar: Calendar) -> list[RowPeriod | None]:
    """The period each row (in table order) names by its section headings, else by its label,
    when at least two rows name one the same way; movements between balances a year apart
    included. None for a row naming none."""
    sections = [_section_period(p, calendar) for p in paths]
    if len({s.period for s in sections if s}) >= MIN_DATED_ROWS:
        return sections
    if sum(dated_label(p[-1], calendar) is not None for p in paths) >= MIN_DATED_ROWS:
        return _movements(paths, calendar)
    yearly = [RowPeriod(p, y, by_year=True) if (y := year_label(p[-1])) else None for p in paths]
    return yearly if sum(y is not None for y in yearly) >= MIN_DATED_ROWS else [None] * len(paths)


def _section_period(path: tuple[str, ...], calendar: Calendar) -> RowPeriod | None:
    """A heading above the label of nothing but time words ('December 31, 2019', '2019')."""
    for i, text in enumerate(path[:-1]):
        if group_member(text) is None and (p := period_from_header("", text, calendar)):
            return RowPeriod(path[:i] + path[i + 1 :], p)
    return None


def _movements(paths: list[tuple[str, ...]], calendar: Calendar) -> list[RowPeriod | None]:
    """Balances by their date; the rows between two balance dates a year apart ('Granted',
    'Vested') are that year's movements, standing under the balance they move (a question
    naming both means the movement). Rows outside such a pair stay undated."""
    out: list[RowPeriod | None] = [None] * len(paths)
    marks: list[tuple[int, str, Period]] = []
    for i, p in enumerate(paths):
        if (d := dated_label(p[-1], calendar)) is not None:
            out[i] = RowPeriod((*p[:-1], d[0]), d[1])
            marks.append((i, d[0], d[1]))
    for (a, label, start), (b, _, end) in zip(marks, marks[1:], strict=False):
        if start.end is None or end.end is None or (end.end - start.end).days not in YEAR_DAYS:
            continue
        year = Period("year", end.fiscal_year, None, end.end)
        for i in range(a + 1, b):
            out[i] = RowPeriod((*paths[i][:-1], label, paths[i][-1]), year)
    return out


def _placed(f: Fact, d: RowPeriod | None) -> Fact:
    """A fact with its row's period: a year row turns around (the column names the line); a
    quarter column under a year is that quarter; a change column keeps no period."""
    if d is None or f.dimension == "change":
        return f
    if d.by_year:
        if not f.member or f.member == "value":
            return replace(f, period=d.period)
        return replace(
            f, row=(*d.path[:-1], f.member), period=d.period, dimension=None, member=None
        )
    quarter = ORDINAL_COLUMN_RE.fullmatch(f.member or "")
    if quarter and d.period.kind == "year":
        q = ORDINALS[quarter.group(1).lower()]
        return replace(f, row=d.path, period=Period("quarter", d.period.fiscal_year, q))
    return replace(f, row=d.path, period=d.period)
