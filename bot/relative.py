"""Relative periods in a question's words: "the year before", "the prior quarter".

A follow-up that names one moves the previous turn's periods; index.periods reads the absolute
ones ("Q3 2012", "fiscal 2011") and the anchored ones ("last year", "this quarter").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from index.periods import PeriodAsk, relative_periods

BACK_YEAR_RE = re.compile(
    r"\b(?:the|a|one)\s+(?:fiscal\s+)?year\s+(?:before|earlier|prior)\b|\byear[- ]ago\b"
    r"|\b(?:the\s+)?(?:previous|prior|preceding)\s+(?:fiscal\s+)?year\b",
    re.I,
)
SAME_QUARTER_YEAR_BACK_RE = re.compile(
    r"\bsame\s+(?:quarter|period)\s+(?:of\s+)?(?:(?:last|the\s+prior|the\s+previous)\s+year"
    r"|a\s+year\s+(?:earlier|ago|before))\b",
    re.I,
)
QUARTERS_BACK_RE = re.compile(
    r"\b(two|three|four|2|3|4)\s+quarters\s+(?:before|earlier|prior|back|ago)\b", re.I
)
FORWARD_RE = re.compile(
    r"\b(?:the\s+)?(?:next|following|subsequent)\s+(quarter|(?:fiscal\s+)?year)\b"
    r"|\bthe\s+(quarter|year)\s+after\b",
    re.I,
)
COUNTS = {"two": 2, "three": 3, "four": 4}
# 'the same quarter of 2011', 'the same period in 2011' (a year back is a shift, above).
SAME_QUARTER_RE = re.compile(r"\bsame\s+(?:fiscal\s+)?(?:quarter|period|three months)\b", re.I)
BACK_QUARTER_RE = re.compile(
    r"\b(?:the|a|one)\s+quarter\s+(?:before|earlier|prior)\b"
    r"|\b(?:the\s+)?(?:previous|prior|preceding)\s+quarter\b",
    re.I,
)


@dataclass(frozen=True)
class Shift:
    """How far a follow-up moves the periods it inherits, and the words that said so."""

    years: int = 0
    quarters: int = 0
    words: str = ""

    def __bool__(self) -> bool:
        return bool(self.years or self.quarters)


def shift_of(question: str) -> Shift:
    """'and the year before?' moves back a year; 'and the prior quarter?' back a quarter, 'two
    quarters before that' two; 'the next quarter' forward one."""
    if m := SAME_QUARTER_YEAR_BACK_RE.search(question) or BACK_YEAR_RE.search(question):
        return Shift(years=1, words=m.group(0))
    if m := QUARTERS_BACK_RE.search(question):
        n = m.group(1).lower()
        return Shift(quarters=COUNTS.get(n) or int(n), words=m.group(0))
    if m := BACK_QUARTER_RE.search(question):
        return Shift(quarters=1, words=m.group(0))
    if m := FORWARD_RE.search(question):
        unit = (m.group(1) or m.group(2)).lower()
        return (
            Shift(quarters=-1, words=m.group(0))
            if unit == "quarter"
            else Shift(years=-1, words=m.group(0))
        )
    return Shift()


def shifted(asks: tuple[PeriodAsk, ...] | list[PeriodAsk], shift: Shift) -> list[PeriodAsk]:
    """The periods moved back by `shift`; a balance date loses its day, kept only as the year-end."""
    out = []
    for a in asks:
        if shift.years:
            out.append(
                replace(a, fiscal_year=a.fiscal_year - shift.years, end=None, assumed_year=False)
            )
        elif a.kind == "quarter" or a.quarter:
            q = (a.quarter or 4) - shift.quarters
            fy = a.fiscal_year + (q - 1) // 4
            out.append(
                replace(a, fiscal_year=fy, quarter=(q - 1) % 4 + 1, end=None, assumed_year=False)
            )
        else:
            out.append(a)
    return out


def anchored(question: str) -> list[str]:
    """The anchored relative periods ('last year', 'this quarter'), not counting a shift's words
    ('the year before' is not 'the year')."""
    shift = shift_of(question)
    text = question.replace(shift.words, " ") if shift else question
    names = relative_periods(text)
    return ["prior_year", *names] if shift.years > 0 and "prior_year" not in names else names


def made_explicit(
    rel: list[str], periods: list[PeriodAsk], latest_year: int, latest_quarter: tuple[int, int]
) -> list[PeriodAsk]:
    """Anchored relative periods as explicit ones: 'this quarter' is the latest quarter the
    release has, 'last year' the year before its latest, 'year-end' a balance date."""
    out = list(periods)
    if "latest_quarter" in rel and not out:
        out.append(PeriodAsk("quarter", latest_quarter[0], latest_quarter[1]))
    if "prior_year" in rel:
        base = out[0] if out else None
        if base and base.kind == "quarter":
            out.append(PeriodAsk("quarter", base.fiscal_year - 1, base.quarter))
        elif not out:
            out.append(PeriodAsk("bare_year", latest_year - 1))
    if "latest_year" in rel and not out:
        out.append(PeriodAsk("year", latest_year))
    if "year_end" in rel:
        out = _year_ends(out, latest_year)
    return out


def _year_ends(periods: list[PeriodAsk], latest_year: int) -> list[PeriodAsk]:
    """'the end of 2011 to the end of 2012': every bare year named is its closing balance date;
    a fiscal year named as such stays the year ('fiscal 2012 revenue per employee, based on
    year-end headcount'), its balances read at its end."""
    if not periods:
        return [PeriodAsk("instant", latest_year, 4)]
    return [PeriodAsk("instant", p.fiscal_year, 4) if p.kind == "bare_year" else p for p in periods]


def with_previous_year(
    question: str, periods: list[PeriodAsk], previous: tuple[PeriodAsk, ...]
) -> list[PeriodAsk]:
    """A follow-up's periods read with the year the turn before named: 'What was DSO in Q3
    2011?' 'and in Q2?' asks Q2 2011, and 'the same quarter of 2010' that turn's quarter in
    2010. A turn before that named no year, or several, leaves them as they are."""
    same = _same_quarter(question, periods, previous)
    if same is not None:
        return same
    years = {p.fiscal_year for p in previous}
    if len(years) != 1 or any(p.assumed_year for p in previous):
        return periods
    year = years.pop()
    return [
        replace(p, fiscal_year=year, end=None, assumed_year=False)
        if p.kind == "quarter" and p.assumed_year
        else p
        for p in periods
    ]


def _same_quarter(
    question: str, periods: list[PeriodAsk], previous: tuple[PeriodAsk, ...]
) -> list[PeriodAsk] | None:
    """'the same quarter of 2010': the one quarter the turn before asked, in each year named."""
    quarters = {p.quarter for p in previous if p.kind == "quarter" and p.quarter}
    if not SAME_QUARTER_RE.search(question) or SAME_QUARTER_YEAR_BACK_RE.search(question):
        return None
    if (
        len(quarters) != 1
        or not periods
        or any(p.kind not in ("bare_year", "year") for p in periods)
    ):
        return None
    quarter = quarters.pop()
    return [PeriodAsk("quarter", p.fiscal_year, quarter, None, start=p.start) for p in periods]
