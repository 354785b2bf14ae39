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
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}
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
    """A span of time a figure belongs to: a fiscal quarter, a fiscal year, the fiscal year to
    date (six or nine months: `quarter` is the quarter it runs through), or a balance date."""

    kind: str  # "quarter" | "year" | "ytd" | "instant"
    fiscal_year: int
    quarter: int | None = None
    end: date | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return f"Q{self.quarter} {self.fiscal_year}"
        if self.kind == "year":
            return f"fiscal {self.fiscal_year}"
        if self.kind == "ytd":
            return f"{3 * (self.quarter or 0)}M {self.fiscal_year}"
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
YEAR_RE = re.compile(
    r"^(?:FY|F|Fiscal(?:\s+Year)?\s*)?['’]?(?:(?:19|20)\d\d\s*[/-]\s*)?(?P<y>(?:19|20)?\d\d)$",
    re.IGNORECASE,
)
WEEKS = {"13": 3, "12": 3, "14": 3, "26": 6, "39": 9, "52": 12, "53": 12}


DMY_RE = re.compile(
    r"\b(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?,?\s+(?P<year>\d{4})\b", re.IGNORECASE
)
ORDINAL_QUARTER_RE = re.compile(
    r"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\b", re.IGNORECASE
)


def parse_date(text: str) -> date | None:
    m = DATE_RE.search(text) or DMY_RE.search(text)
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


def impossible_date(text: str) -> str | None:
    """A date as printed that no calendar holds ('March 41, 2024'), else None."""
    m = DATE_RE.search(text)
    if m and m["month"].lower()[:3] in MONTH_ABBR and parse_date(m.group(0)) is None:
        return m.group(0)
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
    weeks = re.search(r"\b(\d\d)\s+weeks\b", g)
    if weeks and weeks.group(1) in WEEKS:
        return WEEKS[weeks.group(1)]
    if re.search(r"\b(fiscal\s+)?years?[\s-]+ended\b|\bfiscal\s+years?\b", g):
        return 12
    if re.search(r"\bquarter\s+ended\b", g):
        return 3
    return None


def column_date(group: str, column: str) -> date | None:
    """The end date of a column: its own, else its group's; a group naming several dates
    over year columns ("13 Weeks Ended July 3, 2004 and June 28, 2003" over 2004 and 2003)
    gives each year column the date of its year."""
    own = parse_date(column)
    if own is not None:
        return own
    year = re.fullmatch(r"(?:19|20)\d\d", column.strip())
    if year:
        dates = [d for m in DATE_RE.finditer(group) if (d := parse_date(m.group(0)))]
        same = [d for d in dates if d.year == int(year.group(0))]
        if len(dates) > 1 and same:
            return same[0]
    return parse_date(f"{group} {column}")


def period_from_header(group: str, column: str, calendar: Calendar) -> Period | None:
    """The period of a table column, from its group header and its own header."""
    col = " ".join(column.split())
    qm = QUARTER_HEADER_RE.match(col.replace(" ", ""))
    if qm:
        q = int(qm["q1"] or qm["q2"])
        fy = full_year(qm["y1"] or qm["y2"])
        return Period("quarter", fy, q, calendar.end_of("quarter", fy, q))
    end = column_date(group, col)
    if end is None:
        return _bare_year(group, col, calendar) or _ordinal_quarter(f"{group} {col}", calendar)
    fy, q = calendar.fiscal_position(end)
    months = months_in_group(group) or months_in_group(col)  # 'Year Ended December 31, 2018'
    if months == 3:
        return Period("quarter", fy, q, end)
    if months == 12:
        return Period("year", fy, None, end)
    if months in (6, 9) and months == 3 * q:
        return Period("ytd", fy, q, end)
    if months is None:
        return Period("instant", fy, q, end)
    return None


def _ordinal_quarter(text: str, calendar: Calendar) -> Period | None:
    """'Fiscal 2019 / Fourth Quarter': a quarter named in words beside its fiscal year."""
    q = ORDINAL_QUARTER_RE.search(text)
    y = re.search(r"\b((?:19|20)\d\d)\b", text)
    if q is None or y is None:
        return None
    fy, quarter = int(y.group(1)), ORDINALS[q["ord"].lower()]
    return Period("quarter", fy, quarter, calendar.end_of("quarter", fy, quarter))


def _bare_year(group: str, col: str, calendar: Calendar) -> Period | None:
    """A year with no date: the fiscal year, unless its group names a shorter span."""
    ym = YEAR_RE.match(col)
    if ym is None or (len(ym["y"]) == 2 and not re.match(r"(?i)f|\d{4}", col)):
        return None
    months = months_in_group(group)
    if months not in (None, 12):
        return None
    fy = full_year(ym["y"])
    if months is None and re.search(r"(?i)\b(?:as\s+(?:of|at)|at|balance)\b", group):
        return Period("instant", fy, 4, calendar.end_of("year", fy, None))
    return Period("year", fy, None, calendar.end_of("year", fy, None))


def learn_calendar(headers: list[tuple[str, str]], year_end_month: int | None = None) -> Calendar:
    """Learn the year-end month and period end dates from every (group, column) header pair;
    `year_end_month` is what the document's text says (index.identity), used when no header
    shows a year or year-to-date span."""
    dated = [
        (end, months_in_group(group))
        for group, column in headers
        if (end := column_date(group, column))
    ]
    cal = Calendar(_year_end_month(dated, year_end_month))
    ends: dict[str, date] = {}
    for end, months in dated:
        for key in _period_keys(cal, end, months):
            ends.setdefault(key, end)
    return Calendar(cal.year_end_month, tuple(sorted(ends.items())))


def _year_end_month(dated: list[tuple[date, int | None]], stated: int | None = None) -> int:
    """A year column ends the fiscal year; without one, six or nine months to date end that many
    months into it; with neither, the month the text states, else December."""
    spans = [(end, m) for end, m in dated if m == 12] or [
        (end, m) for end, m in dated if m in (6, 9)
    ]
    if not spans:
        return stated or 12
    end, months = spans[0]
    month = end.month if end.day > 7 else (end.month - 2) % 12 + 1
    return (month + 12 - (months or 12) - 1) % 12 + 1


def _period_keys(cal: Calendar, end: date, months: int | None) -> list[str]:
    """The periods a column ending on `end` closes: a year closes its fourth quarter too."""
    fy, q = cal.fiscal_position(end)
    if months == 12:
        return [Period("year", fy).key, Period("quarter", fy, 4).key]
    if months in (6, 9) and months == 3 * q:
        return [Period("ytd", fy, q).key, Period("quarter", fy, q).key]
    return [Period("quarter", fy, q).key]


@dataclass(frozen=True)
class PeriodAsk:
    """A period a question names. `kind` 'bare_year' waits for the metric: flows take the
    fiscal year, balances the year-end. 'ytd' is the first half (`quarter` 2) or the first nine
    months (3) of the fiscal year; 'second_half' its last six months, which releases print
    only as quarters. `assumed_year` marks a period given without a year."""

    kind: str  # "quarter" | "year" | "instant" | "bare_year" | "ytd" | "second_half"
    fiscal_year: int
    quarter: int | None = None
    end: date | None = None
    assumed_year: bool = False
    start: int = 0


_Q = r"(?P<q>[1-4])"
_Y = r"(?P<y>(?:19|20)\d{2}|'?\d{2})"
# The first half, the first nine months, the second half of a fiscal year, however written.
_PART = (
    r"\b(?:(?P<h1>(?:first|1st)\s+half|h1|1h)|(?P<h2>(?:second|2nd|back)\s+half|h2|2h)"
    r"|first\s+(?P<m>six|6|nine|9)[\s-]+months?(?!\s+end)"
    r"|(?P<m2>six|6|nine|9)[\s-]+months?(?=\s+(?:of\s+)?(?:the\s+)?(?:fiscal\s+|fy\s*)?(?:year\b|['’]?\d{2}))"
    r"|first\s+(?:(?P<two>two|2)|(?P<three>three|3))\s+quarters)\b"
)
_FY = rf"(?:fiscal\s+(?:year\s+)?|fy\s*)?['’]?{_Y}\b"
QUESTION_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "range",
        re.compile(
            r"\b(?:(?:three|3|six|6|nine|9|twelve|12)\s+months|(?:fiscal\s+)?year|quarter)\s+ended\s+"
            + DATE_RE.pattern,
            re.I,
        ),
    ),
    ("part_year", re.compile(rf"\b{_FY}\s+{_PART}", re.I)),
    ("part_year", re.compile(r"\b(?P<h1>1h|h1)\s*(?:fy\s*)?['’]?(?P<y>(?:19|20)?\d{2})\b", re.I)),
    ("part_year", re.compile(rf"{_PART}(?:\s+(?:of\s+)?(?:the\s+)?(?:year\s+)?{_FY})?", re.I)),
    (
        "quarter",  # 'the third and fourth quarter': the first ordinal shares the noun
        re.compile(
            r"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)(?=\s+(?:and|to|&|or|vs\.?)\s+"
            r"(?:the\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarters?\b)",
            re.I,
        ),
    ),
    ("quarter", re.compile(rf"\bq{_Q}\s*(?:of\s+)?(?:fy\s*|fiscal\s*)?['’]?\s*{_Y}\b", re.I)),
    ("quarter", re.compile(rf"\b{_Q}q\s*(?:fy)?['’]?{_Y}\b", re.I)),
    (
        "quarter",
        re.compile(
            r"\b(?:fiscal\s+(?:year\s+)?|fy\s*)?(?P<y>(?:19|20)\d{2})\s+"
            r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter\b",
            re.I,
        ),
    ),
    (
        "quarter",
        re.compile(
            r"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal\s+)?quarter"
            rf"(?:\s+(?:of\s+)?(?:fiscal\s+|fy\s*)?{_Y})?",
            re.I,
        ),
    ),
    (
        "quarter",  # 'quarter 3 of 2012', 'quarter three'
        re.compile(
            r"\bquarter\s+(?:(?P<q>[1-4])|(?P<num>one|two|three|four))\b"
            rf"(?:\s+(?:of\s+)?(?:fiscal\s+|fy\s*)?{_Y}\b)?",
            re.I,
        ),
    ),
    ("quarter", re.compile(rf"\bq{_Q}\b(?!\s*['’]?\d)", re.I)),
    ("quarter", re.compile(rf"\b{_Q}q\b", re.I)),
    (
        "month_quarter",
        re.compile(
            r"\b(?P<month>march|june|september|sept|december|dec|sep|mar|jun)\s+quarter"
            rf"(?:\s+(?:of\s+)?{_Y})?",
            re.I,
        ),
    ),
    (
        "month_quarter",
        re.compile(
            r"\b(?P<month>march|june|september|sept|december|dec|sep|mar|jun)\s+"
            r"(?P<y>(?:19|20)\d{2})\s+quarter\b",
            re.I,
        ),
    ),
    (
        "shared_date",  # 'June 30 and December 31, 2019': the first date shares the year
        re.compile(
            r"\b(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?=\s+(?:and|to|&|or|vs\.?|through)"
            r"\s+[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+(?P<year>\d{4})\b)",
            re.I,
        ),
    ),
    ("date", DATE_RE),
    (
        "month_quarter",
        re.compile(
            r"\b(?P<month>march|june|september|sept|december|dec|sep|mar|jun)\.?\s+"
            r"(?P<y>(?:19|20)\d{2})\b(?!\s*quarter)",
            re.I,
        ),
    ),
    ("fiscal", re.compile(rf"\b(?:fiscal(?:\s+year)?|fy)\s*['’]?{_Y}\b", re.I)),
    ("fiscal", re.compile(r"\bF(?P<y>\d{2})\b")),  # 'F19': upper case, as reports print it
    ("bare", re.compile(r"(?<![\d$.,'])(?P<y>(?:19|20)\d{2})(?![\d%]|[,.]\d)")),
    ("bare", re.compile(r"(?<![\w$])['’](?P<y>\d{2})\b")),
]
RELATIVE = [
    (
        "latest_quarter",
        re.compile(
            r"\b(?:this|the|latest|last|most recent|current|recent)\s+quarter\b|\bthe quarter\b|\bquarterly\b(?!\s+trend)",
            re.I,
        ),
    ),
    (
        "prior_year",
        re.compile(
            r"\b(?:last|prior|previous)\s+(?:fiscal\s+)?year\b|\ba year (?:ago|earlier)\b", re.I
        ),
    ),
    (
        "latest_year",
        re.compile(
            r"\b(?:this|the|latest|current|full|whole)\s+(?:fiscal\s+)?year\b|\bfull[- ]year\b|\bannual(?:ly)?\b|\byear[- ]to[- ]date\b|\bytd\b",
            re.I,
        ),
    ),
    (
        "year_end",
        re.compile(
            r"\byear[- ]end\b|\bend of (?:the )?(?:fiscal )?year\b|\bYE\b|\bend of (?:fiscal )?(?=(?:19|20)\d\d\b)",
            re.I,
        ),
    ),
]


def find_periods(text: str, calendar: Calendar, latest_year: int) -> list[PeriodAsk]:
    """Every period a question names, in the order it names them."""
    found: list[tuple[PeriodAsk, int, str]] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in taken)

    for kind, pattern in QUESTION_PATTERNS:
        for m in pattern.finditer(text):
            if not free(m):
                continue
            ask = _ask_from(kind, m, calendar, latest_year)
            if ask is None:
                continue
            taken.append((m.start(), m.end()))
            found.append((ask, m.end(), kind))
    return _with_years_given(text, sorted(found, key=lambda a: a[0].start), calendar)


# What may stand between a quarter named without its year and the year that is its own:
# 'Q3-2012', 'Q3/2012', 'Q3, 2012', 'Q3 (2012)', 'Q3 in 2012', 'the third quarter of the 2012
# fiscal year'; before it: '2012 Q3', 'FY2012 Q3', '2012's third quarter'.
# A comma joins them only when they are the only periods named ('Q3, 2012', '2012, third
# quarter'), not in a list ('Q3, 2012 and 2011').
YEAR_AFTER_RE = re.compile(
    r"\s*(?P<sep>[-/(]|,)?\s*(?:(?:of|in)\s+)?(?:the\s+)?(?:(?:fiscal\s+)?year\s+)?", re.I
)
YEAR_BEFORE_RE = re.compile(r"\s*(?P<sep>[-/,]|['’]s)?\s*(?:the\s+)?", re.I)
# 'In 2012, what was DSO in Q3?': a year opening the question frames its quarters.
YEAR_FRAME_RE = re.compile(
    r"\s*(?:in|for|during)\s+(?:the\s+)?(?:(?:fiscal\s+)?year\s+|fy\s*|fiscal\s+)?"
    r"(?:19|20)\d{2}\s*,",
    re.I,
)


@dataclass
class _Named:
    """A period as the question names it: where its words end, whether it is a quarter whose
    year may be written apart from it ('Q3', 'third quarter', 'the September quarter'), and
    the month that names it, if one does."""

    ask: PeriodAsk
    end: int
    quarter: bool
    month: int | None = None
    dropped: bool = False

    @property
    def yearless(self) -> bool:
        return self.quarter and self.ask.assumed_year and not self.dropped

    @property
    def year(self) -> bool:
        return self.ask.kind in ("bare_year", "year") and not self.dropped


def _with_years_given(
    text: str, found: list[tuple[PeriodAsk, int, str]], calendar: Calendar
) -> list[PeriodAsk]:
    """A quarter named without its year takes the year named right beside it (or opening the
    question), which is then no period of its own: 'Q3, 2012' is one quarter of 2012; 'the
    September quarter, 2012' is the fiscal quarter holding September 2012."""
    named = [
        _Named(a, end, kind in ("quarter", "month_quarter"), _month(text[a.start : end], kind))
        for a, end, kind in found
    ]
    for i, n in enumerate(named):
        if n.yearless:
            _join_beside(text, named, i, calendar)
    _join_framed(text, named, calendar)
    return [n.ask for n in named if not n.dropped]


def _month(words: str, kind: str) -> int | None:
    m = re.match(r"[a-z]+", words.lower()) if kind == "month_quarter" else None
    return (MONTHS.get(m.group(0)) or MONTH_ABBR.get(m.group(0)[:3])) if m else None


def _join_beside(text: str, named: list[_Named], i: int, calendar: Calendar) -> None:
    n = named[i]
    for j in (i + 1, i - 1):
        if not 0 <= j < len(named) or not named[j].year:
            continue
        y = named[j]
        after = j > i
        gap = text[n.end : y.ask.start] if after else text[y.end : n.ask.start]
        m = (YEAR_AFTER_RE if after else YEAR_BEFORE_RE).fullmatch(gap)
        if m and (m["sep"] != "," or len(named) == 2):
            n.ask = _quarter_of(n, y.ask.fiscal_year, calendar)
            y.dropped = True
            return


def _join_framed(text: str, named: list[_Named], calendar: Calendar) -> None:
    """'In 2012, how did DSO move from Q3 to Q4?': both quarters are 2012's."""
    frame = YEAR_FRAME_RE.match(text)
    if frame is None or not named or not named[0].year or named[0].ask.start >= frame.end():
        return
    rest = [n for n in named[1:] if not n.dropped]
    if not any(n.yearless for n in rest) or any(n.ask.kind != "quarter" for n in rest):
        return
    for n in rest:
        if n.yearless:
            n.ask = _quarter_of(n, named[0].ask.fiscal_year, calendar)
    named[0].dropped = True


def _quarter_of(n: _Named, year: int, calendar: Calendar) -> PeriodAsk:
    fy, quarter = (year, n.ask.quarter)
    if n.month is not None:
        fy, quarter = calendar.fiscal_position(date(year, n.month, 28))
    return PeriodAsk("quarter", fy, quarter, None, assumed_year=False, start=n.ask.start)


def relative_periods(text: str) -> list[str]:
    return [name for name, pattern in RELATIVE if pattern.search(text)]


def _year(text: str | None) -> int | None:
    if not text:
        return None
    return full_year(text.strip("'’"))


def _ask_from(kind: str, m: re.Match[str], cal: Calendar, latest: int) -> PeriodAsk | None:
    return _ASKS[kind](m, cal, latest) if kind in _ASKS else None


def _ask_range(m: re.Match[str], cal: Calendar, latest: int) -> PeriodAsk | None:
    end = parse_date(m.group(0))
    if end is None:
        return None
    fy, q = cal.fiscal_position(end)
    months = months_in_group(m.group(0))
    if months == 12:
        return PeriodAsk("year", fy, None, end, start=m.start())
    if months in (6, 9):
        return PeriodAsk("ytd", fy, months // 3, end, start=m.start())
    return PeriodAsk("quarter", fy, q, end, start=m.start())


def _ask_part_year(m: re.Match[str], cal: Calendar, latest: int) -> PeriodAsk | None:
    """'the first half of 2012', 'H1 FY12', 'the nine months of fiscal 2019', '2012 first half'."""
    gd = m.groupdict()
    y = _year(gd.get("y"))
    if gd.get("h2"):
        kind, quarter = "second_half", 4
    else:
        nine = (gd.get("m") or gd.get("m2")) in ("nine", "9")
        kind, quarter = "ytd", 3 if gd.get("three") or nine else 2
    return PeriodAsk(kind, y or latest, quarter, None, assumed_year=y is None, start=m.start())


def _ask_quarter(m: re.Match[str], cal: Calendar, latest: int) -> PeriodAsk | None:
    gd = m.groupdict()
    q = int(
        gd.get("q")
        or NUMBER_WORDS.get((gd.get("num") or "").lower())
        or ORDINALS[gd["ord"].lower()]
    )
    y = _year(gd.get("y"))
    return PeriodAsk("quarter", y or latest, q, None, assumed_year=y is None, start=m.start())


def _ask_month_quarter(m: re.Match[str], cal: Calendar, latest: int) -> PeriodAsk | None:
    gd = m.groupdict()
    month = MONTHS.get(gd["month"].lower()) or MONTH_ABBR.get(gd["month"].lower()[:3], 0)
    given = _year(gd.get("y"))
    fy, q = cal.fiscal_position(date(given or latest, month, 28))
    if given is None and fy > latest:
        fy, q = cal.fiscal_position(date(latest - 1, month, 28))  # the latest such quarter
    return PeriodAsk("quarter", fy, q, None, assumed_year=given is None, start=m.start())


def _ask_date(m: re.Match[str], cal: Calendar, latest: int) -> PeriodAsk | None:
    end = parse_date(m.group(0))
    if end is None:
        return None
    fy, q = cal.fiscal_position(end)
    return PeriodAsk("instant", fy, q, end, start=m.start())


def _ask_shared_date(m: re.Match[str], cal: Calendar, latest: int) -> PeriodAsk | None:
    end = parse_date(f"{m['month']} {m['day']}, {m['year']}")
    if end is None:
        return None
    fy, q = cal.fiscal_position(end)
    return PeriodAsk("instant", fy, q, end, start=m.start())


def _ask_fiscal(m: re.Match[str], cal: Calendar, latest: int) -> PeriodAsk | None:
    y = _year(m.groupdict().get("y"))
    return PeriodAsk("year", y, None, None, start=m.start()) if y else None


def _ask_bare(m: re.Match[str], cal: Calendar, latest: int) -> PeriodAsk | None:
    y = _year(m.groupdict().get("y"))
    if y is None or not 1990 <= y <= 2100:
        return None
    return PeriodAsk("bare_year", y, None, None, start=m.start())


_ASKS = {
    "range": _ask_range,
    "part_year": _ask_part_year,
    "quarter": _ask_quarter,
    "month_quarter": _ask_month_quarter,
    "date": _ask_date,
    "shared_date": _ask_shared_date,
    "fiscal": _ask_fiscal,
    "bare": _ask_bare,
}
