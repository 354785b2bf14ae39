"""Periods a question names by dates that share one year ('June 30 and December 31, 2019')."""

from __future__ import annotations

from datetime import date

from index.periods import Calendar, find_periods

DECEMBER = Calendar(12)


def _ends(text: str) -> list[tuple[str, date | None]]:
    return [(a.kind, a.end) for a in find_periods(text, DECEMBER, 2019)]


def test_a_date_listed_before_another_shares_its_year() -> None:
    assert _ends("the change in cash between June 30 and December 31, 2019") == [
        ("instant", date(2019, 6, 30)),
        ("instant", date(2019, 12, 31)),
    ]


def test_dates_with_their_own_years_keep_them() -> None:
    assert _ends("between June 30, 2018 and December 31, 2019") == [
        ("instant", date(2018, 6, 30)),
        ("instant", date(2019, 12, 31)),
    ]


def test_a_day_and_month_without_a_following_dated_one_is_no_period() -> None:
    assert _ends("the balance at June 30 and in 2019") == [("bare_year", None)]
