"""Periods in questions: the ways people name a quarter, a year or a date become one `PeriodAsk`.

The fiscal calendar is the one the bundled release prints (Q3 2012 ends September 29, 2012;
fiscal 2012 ends December 29, 2012).
"""

from __future__ import annotations

from datetime import date

import pytest

from index.config import DEFAULT_RELEASE
from index.periods import Calendar, PeriodAsk, find_periods, relative_periods
from index.release import read_release

LATEST = 2012


@pytest.fixture(scope="module")
def calendar() -> Calendar:
    return read_release(DEFAULT_RELEASE).calendar


def one(text: str, calendar: Calendar) -> PeriodAsk:
    found = find_periods(text, calendar, LATEST)
    assert len(found) == 1, f"{text!r} gave {found}"
    return found[0]


def test_the_release_calendar_ends_its_year_in_december(calendar: Calendar) -> None:
    assert calendar.year_end_month == 12
    assert calendar.latest_year() == 2012
    assert calendar.end_of("quarter", 2012, 3) == date(2012, 9, 29)


# ---------------------------------------------------------------- quarters


@pytest.mark.parametrize(
    "text",
    [
        "Q3 2012",
        "q3 2012",
        "Q3'12",
        "Q3 '12",
        "Q3 FY12",
        "3Q12",
        "3Q 2012",
        "third quarter of 2012",
        "3rd quarter 2012",
        "the September 2012 quarter",
        "September quarter of 2012",
        "sept 2012",
        "Sep 2012",
    ],
)
def test_every_way_of_naming_the_third_quarter_of_2012_is_one_period(
    text: str, calendar: Calendar
) -> None:
    ask = one(f"What was DSO in {text}?", calendar)

    assert (ask.kind, ask.fiscal_year, ask.quarter) == ("quarter", 2012, 3)
    assert not ask.assumed_year


def test_three_months_ended_a_date_is_the_quarter_ending_then(calendar: Calendar) -> None:
    ask = one("revenue for the three months ended September 29, 2012", calendar)

    assert (ask.kind, ask.fiscal_year, ask.quarter) == ("quarter", 2012, 3)
    assert ask.end == date(2012, 9, 29)


def test_twelve_months_ended_a_date_is_the_fiscal_year(calendar: Calendar) -> None:
    ask = one("revenue for the twelve months ended December 31, 2011", calendar)

    assert (ask.kind, ask.fiscal_year) == ("year", 2011)


def test_a_two_digit_year_is_in_this_century(calendar: Calendar) -> None:
    ask = one("DSO in Q4'11", calendar)

    assert (ask.fiscal_year, ask.quarter) == (2011, 4)


@pytest.mark.parametrize(
    ("text", "quarter"),
    [("Q3", 3), ("third quarter", 3), ("September quarter", 3), ("Q2", 2), ("4Q", 4)],
)
def test_quarter_without_year_takes_latest_year_and_marks_it_assumed(
    text: str, quarter: int, calendar: Calendar
) -> None:
    ask = one(f"What was DSO in the {text}?", calendar)

    assert (ask.kind, ask.fiscal_year, ask.quarter) == ("quarter", LATEST, quarter)
    assert ask.assumed_year


def test_a_quarter_of_an_earlier_year_is_that_year(calendar: Calendar) -> None:
    ask = one("What was DSO in Q3 of 2011?", calendar)

    assert (ask.kind, ask.fiscal_year, ask.quarter) == ("quarter", 2011, 3)
    assert not ask.assumed_year


# ---------------------------------------------------------------- years and dates


@pytest.mark.parametrize("text", ["fiscal 2012", "fiscal year 2012", "FY12", "FY 2012", "FY2012"])
def test_fiscal_year_names_are_the_fiscal_year(text: str, calendar: Calendar) -> None:
    ask = one(f"revenue in {text}", calendar)

    assert (ask.kind, ask.fiscal_year, ask.quarter) == ("year", 2012, None)


def test_a_bare_year_waits_for_the_metric(calendar: Calendar) -> None:
    ask = one("What was revenue in 2012?", calendar)

    assert (ask.kind, ask.fiscal_year) == ("bare_year", 2012)


def test_a_full_date_is_a_balance_date(calendar: Calendar) -> None:
    ask = one("cash at December 29, 2012", calendar)

    assert ask.kind == "instant"
    assert ask.end == date(2012, 12, 29)
    assert (ask.fiscal_year, ask.quarter) == (2012, 4)


def test_an_abbreviated_month_is_a_date_too(calendar: Calendar) -> None:
    assert one("cash as of Dec 29, 2012", calendar).end == date(2012, 12, 29)


def test_the_year_ended_a_date_is_the_fiscal_year(calendar: Calendar) -> None:
    ask = one("revenue for the year ended December 31, 2011", calendar)

    assert (ask.kind, ask.fiscal_year) == ("year", 2011)


def test_numbers_that_are_amounts_are_not_years(calendar: Calendar) -> None:
    assert find_periods("was revenue above $2012.5 million or 2,012 units?", calendar, LATEST) == []


# ---------------------------------------------------------------- several periods


def test_two_periods_come_back_in_the_order_they_are_named(calendar: Calendar) -> None:
    found = find_periods("revenue Q4 2012 vs Q4 2011", calendar, LATEST)

    assert [(a.kind, a.fiscal_year, a.quarter) for a in found] == [
        ("quarter", 2012, 4),
        ("quarter", 2011, 4),
    ]


def test_from_to_keeps_the_question_order(calendar: Calendar) -> None:
    found = find_periods("from Q3 2012 to Q4 2012", calendar, LATEST)

    assert [a.quarter for a in found] == [3, 4]
    assert found[0].start < found[1].start


def test_a_year_inside_a_quarter_name_is_not_a_second_period(calendar: Calendar) -> None:
    found = find_periods("Q3'12 and third quarter of 2011", calendar, LATEST)

    assert [(a.kind, a.fiscal_year, a.quarter) for a in found] == [
        ("quarter", 2012, 3),
        ("quarter", 2011, 3),
    ]


# ---------------------------------------------------------------- relative words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What was revenue last year?", "prior_year"),
        ("revenue a year ago", "prior_year"),
        ("full year revenue", "latest_year"),
        ("full-year revenue", "latest_year"),
        ("inventory at year-end", "year_end"),
        ("cash at the end of the year", "year_end"),
        ("DSO this quarter", "latest_quarter"),
    ],
)
def test_relative_period_words(text: str, expected: str) -> None:
    assert expected in relative_periods(text)


def test_a_named_quarter_is_not_a_relative_period() -> None:
    assert relative_periods("What was revenue in Q3 2012?") == []


@pytest.mark.parametrize("text", ["cash at YE 2012", "cash at the end of 2012"])
def test_year_end_of_a_named_year_is_that_year_end(text: str, calendar: Calendar) -> None:
    assert "year_end" in relative_periods(text)
    ask = one(text, calendar)
    assert (ask.kind, ask.fiscal_year) == ("bare_year", 2012)


def test_a_year_before_a_comma_is_still_a_year(calendar: Calendar) -> None:
    found = find_periods("How did it change from 2011 to 2012, in dollars?", calendar, 2012)
    assert [p.fiscal_year for p in found] == [2011, 2012]


def test_a_number_with_thousands_separators_is_not_a_year(calendar: Calendar) -> None:
    assert find_periods("was it 2,012,345 or 2012.5?", calendar, 2012) == []


def test_a_month_quarter_without_a_year_is_the_latest_one_not_a_later_fiscal_year() -> None:
    """A September year-end: 'the December quarter' of a release whose latest fiscal year is
    2024 is Q1 of fiscal 2024 (December 2023), not Q1 of fiscal 2025."""
    september = Calendar(year_end_month=9)
    (ask,) = find_periods("services in the December quarter", september, 2024)
    assert (ask.kind, ask.fiscal_year, ask.quarter, ask.assumed_year) == ("quarter", 2024, 1, True)
    (given,) = find_periods("the December 2024 quarter", september, 2024)
    assert (given.fiscal_year, given.quarter) == (2025, 1)
