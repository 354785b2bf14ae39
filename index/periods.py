"""Periods: a column header, or a phrase in a question, becomes a `Period`.

The fiscal calendar is learned from the document itself (the end dates its headers print),
never assumed: Q3 is whatever three months the release says end in its third fiscal quarter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
MONTH_ABBR = {m[:3]: n for m, n in MONTHS.items()} | {"sept": 9}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}


@dataclass(frozen=True, order=True)
class Period:
    """A span of time a figure belongs to: a fiscal quarter, a fiscal year, or a balance date."""

    kind: str  # "quarter" | "year" | "instant"
    fiscal_year: int
    quarter: int | None = None
    end: date | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return f"Q{self.quarter} {self.fiscal_year}"
        if self.kind == "year":
            return f"fiscal {self.fiscal_year}"
        if self.end is not None:
            return f"{self.end:%B} {self.end.day}, {self.end.year}"
        return f"end of fiscal {self.fiscal_year}"

    @property
    def key(self) -> str:
        """A stable identifier, used in storage and in tests."""
        q = f"Q{self.quarter}" if self.quarter else ""
        return f"{self.kind}:{self.fiscal_year}{q}"


@dataclass(frozen=True)
class Calendar:
    """The fiscal calendar a release prints: its year-end month and the end date of each period."""

    year_end_month: int = 12
    ends: tuple[tuple[str, date], ...] = ()

    def end_of(self, kind: str, fiscal_year: int, quarter: int | None) -> date | None:
        key = Period(kind, fiscal_year, quarter).key
        return dict(self.ends).get(key)

    def fiscal_position(self, end: date) -> tuple[int, int]:
        """(fiscal year, quarter) of a period that ends on `end`."""
        month = end.month
        if end.day <= 7:
            # 52/53-week years end in the first days of the next month.
            month = 12 if month == 1 else month - 1
            year = end.year - 1 if end.month == 1 else end.year
        else:
            year = end.year
        offset = (month - self.year_end_month) % 12 or 12
        quarter = max(1, min(4, round(offset / 3)))
        fiscal_year = year if month <= self.year_end_month else year + 1
        return fiscal_year, quarter

    def latest_year(self) -> int | None:
        years = [int(k.split(":")[1][:4]) for k, _ in self.ends]
        return max(years) if years else None


DATE_RE = re.compile(
    r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})", re.IGNORECASE
)
QUARTER_HEADER_RE = re.compile(
    r"^(?:Q(?P<q1>[1-4])\s*['’]?\s*(?P<y1>\d{2}|\d{4})|(?P<q2>[1-4])Q\s*['’]?(?P<y2>\d{2}|\d{4}))$",
    re.IGNORECASE,
)
YEAR_RE = re.compile(r"^(?:FY|Fiscal\s*)?['’]?(?P<y>\d{4})$", re.IGNORECASE)


def parse_date(text: str) -> date | None:
    m = DATE_RE.search(text)
    if not m:
        return None
    month = (
        MONTHS.get(m["month"].lower())
        or MONTH_ABBR.get(m["month"].lower()[:4])
        or (MONTH_ABBR.get(m["month"].lower()[:3]))
    )
    if not month:
        return None
    try:
        return date(int(m["year"]), month, int(m["day"]))
    except ValueError:
        return None


def full_year(two_or_four: str) -> int:
    y = int(two_or_four)
    return y if y >= 100 else 2000 + y if y < 70 else 1900 + y


def months_in_group(group: str) -> int | None:
    """How many months a column group covers: 'Three Months Ended' is 3, 'Twelve...' 12."""
    g = group.lower()
    words = {"three": 3, "3": 3, "six": 6, "6": 6, "nine": 9, "9": 9, "twelve": 12, "12": 12}
    for word, months in words.items():
        if re.search(rf"\b{word}\s+months\b", g):
            return months
    if re.search(r"\b(fiscal\s+)?year\s+ended\b", g):
        return 12
    if re.search(r"\bquarter\s+ended\b", g):
        return 3
    return None


def period_from_header(group: str, column: str, calendar: Calendar) -> Period | None:
    """The period of a table column, from its group header and its own header."""
    col = " ".join(column.split())
    qm = QUARTER_HEADER_RE.match(col.replace(" ", ""))
    if qm:
        q = int(qm["q1"] or qm["q2"])
        fy = full_year(qm["y1"] or qm["y2"])
        return Period("quarter", fy, q, calendar.end_of("quarter", fy, q))
    end = parse_date(col) or parse_date(f"{group} {col}")
    if end is None:
        ym = YEAR_RE.match(col)
        if ym and months_in_group(group) == 12:
            fy = int(ym["y"])
            return Period("year", fy, None, calendar.end_of("year", fy, None))
        return None
    fy, q = calendar.fiscal_position(end)
    months = months_in_group(group)
    if months == 3:
        return Period("quarter", fy, q, end)
    if months == 12:
        return Period("year", fy, None, end)
    if months is None:
        return Period("instant", fy, q, end)
    return None


def learn_calendar(headers: list[tuple[str, str]]) -> Calendar:
    """Learn the year-end month and period end dates from every (group, column) header pair."""
    year_end_month = 12
    for group, column in headers:
        end = parse_date(column) or parse_date(f"{group} {column}")
        if end and months_in_group(group) == 12:
            year_end_month = end.month if end.day > 7 else (end.month - 2) % 12 + 1
            break
    cal = Calendar(year_end_month)
    ends: dict[str, date] = {}
    for group, column in headers:
        end = parse_date(column) or parse_date(f"{group} {column}")
        if end is None:
            continue
        fy, q = cal.fiscal_position(end)
        months = months_in_group(group)
        if months == 12:
            ends.setdefault(Period("year", fy).key, end)
            ends.setdefault(Period("quarter", fy, 4).key, end)
        elif months == 3:
            ends.setdefault(Period("quarter", fy, q).key, end)
        else:
            ends.setdefault(Period("quarter", fy, q).key, end)
    return Calendar(year_end_month, tuple(sorted(ends.items())))
