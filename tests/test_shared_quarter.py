"""A bare year listed right after a quarter is read as that quarter of the year."""

from __future__ import annotations

from dataclasses import dataclass

from bot.understand import shared_quarter
from index.periods import Calendar, find_periods


@dataclass(frozen=True)
class _Ctx:
    calendar: Calendar
    latest_year: int


CTX = _Ctx(Calendar(), 2019)


def asks(question: str) -> list[tuple[str, int, int | None]]:
    found = find_periods(question, CTX.calendar, CTX.latest_year)
    return [(a.kind, a.fiscal_year, a.quarter) for a in shared_quarter(question, found, CTX)]


def test_a_bare_year_after_a_quarter_shares_the_quarter() -> None:
    got = asks("What is the sum of revenues in Q4 2019 and 2018?")

    assert [(y, q) for _, y, q in got] == [(2019, 4), (2018, 4)]


def test_a_fiscal_year_after_a_quarter_stays_a_year() -> None:
    got = asks("Non-GAAP EPS for Q4 2012, Q3 2012 and fiscal 2012, respectively?")

    assert got[-1][2] is None


def test_a_year_apart_from_the_quarter_stays_a_year() -> None:
    got = asks("Revenue in Q4 2019 compared with the whole of 2018?")

    assert got[-1][2] is None
