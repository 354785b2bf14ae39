"""Rows that carry the period: a table whose columns are not periods may date its rows instead.

A roll-forward prints its balances as rows ('Balance at December 31, 2018', 'Granted', ...,
'Balance at December 31, 2019') under columns that are segments or measures; a schedule of
payments prints a year per row ('2021', '2022', 'Thereafter') under 'Operating leases' and
'Finance leases'. Read as printed, every such figure is undated and a question naming a date
finds nothing. Here a dated label becomes the label without its date plus the date as the row's
period (a balance date), and a year label turns its row around: each column is the line, the
year its period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.periods import DATE_RE, DMY_RE, Calendar, Period, parse_date

# The words that tie a date to a label: 'Balance at', 'Outstanding as of', 'Nonvested, on'.
DATE_TIE_RE = re.compile(
    r"[\s,:-]*(?:\b(?:as\s+(?:of|at)|at|on|of|ended|ending)\b)?[\s,:-]*$", re.I
)
YEAR_LABEL_RE = re.compile(r"^(?:19|20)\d\d$")
MIN_DATED_ROWS = 2  # one dated label among undated ones may be a note; two are a roll-forward
YEAR_DAYS = range(350, 381)  # two balance dates a fiscal year apart, 52/53-week years included


@dataclass(frozen=True)
class RowPeriod:
    """What a row label says of time: the label without its date, the period, and whether the
    label was only a year (the row then holds one figure per line named by its columns)."""

    label: str
    period: Period
    by_year: bool = False
    under: str = ""  # a movement's balance ('Granted' under 'Nonvested'): its section


def dated_label(label: str, calendar: Calendar) -> RowPeriod | None:
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
    return RowPeriod(bare, Period("instant", fy, q, end))


def year_label(label: str) -> RowPeriod | None:
    """A label that is a year and nothing else ('2021')."""
    if not YEAR_LABEL_RE.match(label.strip()):
        return None
    fy = int(label.strip())
    return RowPeriod(label.strip(), Period("year", fy), by_year=True)


def row_periods(labels: list[str], calendar: Calendar) -> list[RowPeriod | None]:
    """The period each row label names, when at least two labels name one the same way (all by
    date or all by year); None for every row otherwise."""
    dated = [dated_label(label, calendar) for label in labels]
    if sum(d is not None for d in dated) >= MIN_DATED_ROWS:
        return _movements(labels, dated)
    yearly = [year_label(label) for label in labels]
    if sum(y is not None for y in yearly) >= MIN_DATED_ROWS:
        return yearly
    return [None] * len(labels)


def _movements(labels: list[str], dated: list[RowPeriod | None]) -> list[RowPeriod | None]:
    """The rows between two balance dates a year apart ('Granted', 'Vested') are that year's
    movements: each gets the fiscal year that ends on the later date, and stands under the
    balance it moves (a question naming both means the movement). Rows outside such a pair stay
    undated."""
    out = list(dated)
    marks = [i for i, d in enumerate(dated) if d is not None]
    for a, b in zip(marks, marks[1:], strict=False):
        start, end = dated[a].period.end, dated[b].period.end
        if start is None or end is None or (end - start).days not in YEAR_DAYS:
            continue
        year = Period("year", dated[b].period.fiscal_year, None, end)
        for i in range(a + 1, b):
            out[i] = RowPeriod(labels[i], year, under=dated[a].label)
    return out
