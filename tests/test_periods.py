"""Periods: a column header becomes a fiscal quarter, a fiscal year or a balance date."""

from __future__ import annotations

from datetime import date

import pytest

from index.periods import Calendar, Period, learn_calendar, parse_date, period_from_header

DECEMBER = Calendar(12)
JUNE = Calendar(6)
INFINERA = learn_calendar(
    [
        ("Three Months Ended", "December 29, 2012"),
        ("Three Months Ended", "September 29, 2012"),
        ("Three Months Ended", "December 31, 2011"),
        ("Twelve Months Ended", "December 29, 2012"),
        ("Twelve Months Ended", "December 31, 2011"),
    ]
)


# ---------------------------------------------------------------- column headers


def test_three_months_ended_december_is_the_fourth_quarter() -> None:
    p = period_from_header("Three Months Ended", "December 29, 2012", DECEMBER)

    assert p == Period("quarter", 2012, 4)
    assert p is not None and p.end == date(2012, 12, 29)


def test_three_months_ended_september_is_the_third_quarter() -> None:
    p = period_from_header("Three Months Ended", "September 29, 2012", DECEMBER)

    assert p == Period("quarter", 2012, 3)
    assert p is not None and p.end == date(2012, 9, 29)


def test_twelve_months_ended_is_the_fiscal_year() -> None:
    p = period_from_header("Twelve Months Ended", "December 29, 2012", DECEMBER)

    assert p == Period("year", 2012)
    assert p is not None and p.end == date(2012, 12, 29)


@pytest.mark.parametrize("group", ["Year Ended", "Fiscal Year Ended", "12 Months Ended"])
def test_other_words_for_a_year(group: str) -> None:
    assert period_from_header(group, "December 31, 2011", DECEMBER) == Period("year", 2011)


def test_quarter_ended_is_a_quarter() -> None:
    assert period_from_header("Quarter Ended", "March 31, 2012", DECEMBER) == Period(
        "quarter", 2012, 1
    )


def test_twelve_months_over_a_bare_year_is_the_fiscal_year() -> None:
    p = period_from_header("Twelve Months Ended", "2012", INFINERA)

    assert p == Period("year", 2012)
    assert p is not None and p.end == date(2012, 12, 29)


def test_date_without_a_span_is_a_balance_date() -> None:
    p = period_from_header("", "December 29, 2012", DECEMBER)

    assert p is not None
    assert (p.kind, p.fiscal_year, p.end) == ("instant", 2012, date(2012, 12, 29))
    assert p.label == "December 29, 2012"


def test_balance_date_in_a_june_year() -> None:
    p = period_from_header("", "June 30, 2023", JUNE)

    assert p is not None
    assert (p.kind, p.fiscal_year, p.end) == ("instant", 2023, date(2023, 6, 30))


def test_date_split_over_group_and_column_lines() -> None:
    p = period_from_header("Three Months Ended", "December 29, 2012", DECEMBER)
    q = period_from_header("Three Months Ended", "December  29,  2012", DECEMBER)

    assert p == q == Period("quarter", 2012, 4)


@pytest.mark.parametrize(
    ("header", "period"),
    [
        ("Q3'12", Period("quarter", 2012, 3)),
        ("Q3’12", Period("quarter", 2012, 3)),
        ("Q1'11", Period("quarter", 2011, 1)),
        ("Q4'12", Period("quarter", 2012, 4)),
        ("3Q12", Period("quarter", 2012, 3)),
        ("4Q11", Period("quarter", 2011, 4)),
        ("Q3 2012", Period("quarter", 2012, 3)),
        ("q2'24", Period("quarter", 2024, 2)),
    ],
)
def test_quarter_headers(header: str, period: Period) -> None:
    assert period_from_header("", header, DECEMBER) == period


def test_quarter_header_takes_its_end_date_from_the_calendar() -> None:
    p = period_from_header("", "Q3'12", INFINERA)
    q = period_from_header("", "3Q12", INFINERA)

    assert p is not None and q is not None
    assert p.end == q.end == date(2012, 9, 29)


def test_quarter_header_outside_the_calendar_has_no_end_date() -> None:
    p = period_from_header("", "Q1'11", INFINERA)

    assert p == Period("quarter", 2011, 1)
    assert p is not None and p.end is None


@pytest.mark.parametrize(
    ("group", "column"),
    [
        ("", "Actual"),
        ("Three Months Ended", "Foo bar"),
        ("Three Months Ended", "2012"),
        ("Segment A", "Total"),
        ("", ""),
    ],
)
def test_header_without_a_period_is_none(group: str, column: str) -> None:
    assert period_from_header(group, column, DECEMBER) is None


@pytest.mark.parametrize(
    ("group", "column", "period"),
    [
        ("", "2012", Period("year", 2012)),
        ("", "Fiscal 2019", Period("year", 2019)),
        ("", "FY2019", Period("year", 2019)),
        ("", "2018/2019", Period("year", 2019)),
        ("Years Ended September 30,", "2019", Period("year", 2019)),
        ("Years Ended", "December 31, 2018", Period("year", 2018)),
        ("As of", "2019", Period("instant", 2019, 4)),
        ("As of December 31,", "2019", Period("instant", 2019, 4)),
        ("", "30 June 2019", Period("instant", 2019, 2)),
        ("Year-ended", "31 March 2019", Period("year", 2019)),
        ("13 Weeks Ended", "July 3, 2004", Period("quarter", 2004, 2)),
        ("52 weeks ended", "30 Mar 2019", Period("year", 2019)),
        ("Fiscal 2019", "Fourth Quarter", Period("quarter", 2019, 4)),
    ],
)
def test_headers_of_other_companies(group: str, column: str, period: Period) -> None:
    assert period_from_header(group, column, DECEMBER) == period


def test_december_quarter_of_a_june_year_is_its_second() -> None:
    cal = learn_calendar(
        [("Twelve Months Ended", "June 30, 2023"), ("Three Months Ended", "December 30, 2023")]
    )

    assert cal.year_end_month == 6
    assert period_from_header("Three Months Ended", "December 30, 2023", cal) == Period(
        "quarter", 2024, 2
    )


# ---------------------------------------------------------------- the fiscal calendar


@pytest.mark.parametrize(
    ("end", "position"),
    [
        (date(2012, 12, 29), (2012, 4)),
        (date(2012, 9, 29), (2012, 3)),
        (date(2012, 6, 30), (2012, 2)),
        (date(2012, 3, 31), (2012, 1)),
        (date(2011, 12, 31), (2011, 4)),
    ],
)
def test_december_year_positions(end: date, position: tuple[int, int]) -> None:
    assert DECEMBER.fiscal_position(end) == position


@pytest.mark.parametrize(
    ("end", "position"),
    [
        (date(2024, 6, 30), (2024, 4)),
        (date(2024, 3, 31), (2024, 3)),
        (date(2023, 12, 31), (2024, 2)),
        (date(2023, 9, 30), (2024, 1)),
        (date(2023, 6, 30), (2023, 4)),
    ],
)
def test_june_year_positions(end: date, position: tuple[int, int]) -> None:
    assert JUNE.fiscal_position(end) == position


def test_june_year_headers() -> None:
    assert period_from_header("Three Months Ended", "June 30, 2024", JUNE) == Period(
        "quarter", 2024, 4
    )
    assert period_from_header("Three Months Ended", "March 31, 2024", JUNE) == Period(
        "quarter", 2024, 3
    )
    assert period_from_header("Twelve Months Ended", "June 30, 2024", JUNE) == Period("year", 2024)


@pytest.mark.parametrize(
    ("end", "position"),
    [
        (date(2012, 1, 1), (2011, 4)),
        (date(2016, 1, 2), (2015, 4)),
        (date(2011, 4, 2), (2011, 1)),
        (date(2011, 7, 2), (2011, 2)),
        (date(2011, 10, 1), (2011, 3)),
    ],
)
def test_52_53_week_year_ending_in_the_first_days_of_january(
    end: date, position: tuple[int, int]
) -> None:
    assert DECEMBER.fiscal_position(end) == position


def test_year_ended_january_1_is_the_previous_fiscal_year() -> None:
    calendar = learn_calendar(
        [("Twelve Months Ended", "January 1, 2012"), ("Twelve Months Ended", "January 2, 2011")]
    )

    assert calendar.year_end_month == 12
    assert period_from_header("Twelve Months Ended", "January 1, 2012", calendar) == Period(
        "year", 2011
    )
    assert period_from_header("Three Months Ended", "January 1, 2012", calendar) == Period(
        "quarter", 2011, 4
    )
    assert period_from_header("Three Months Ended", "October 1, 2011", calendar) == Period(
        "quarter", 2011, 3
    )


def test_52_53_week_june_year() -> None:
    calendar = learn_calendar([("Twelve Months Ended", "July 1, 2023")])

    assert calendar.year_end_month == 6
    assert calendar.fiscal_position(date(2023, 7, 1)) == (2023, 4)
    assert calendar.fiscal_position(date(2023, 9, 30)) == (2024, 1)


def test_calendar_is_learned_from_the_headers() -> None:
    assert INFINERA.year_end_month == 12
    assert dict(INFINERA.ends) == {
        "quarter:2012Q4": date(2012, 12, 29),
        "quarter:2012Q3": date(2012, 9, 29),
        "quarter:2011Q4": date(2011, 12, 31),
        "year:2012": date(2012, 12, 29),
        "year:2011": date(2011, 12, 31),
    }
    assert INFINERA.end_of("quarter", 2012, 3) == date(2012, 9, 29)
    assert INFINERA.end_of("quarter", 2010, 1) is None
    assert INFINERA.latest_year() == 2012


def test_june_calendar_is_learned_from_a_twelve_month_column() -> None:
    calendar = learn_calendar(
        [
            ("Three Months Ended", "June 30, 2024"),
            ("Three Months Ended", "March 31, 2024"),
            ("Twelve Months Ended", "June 30, 2024"),
            ("Twelve Months Ended", "June 30, 2023"),
        ]
    )

    assert calendar.year_end_month == 6
    assert calendar.end_of("quarter", 2024, 3) == date(2024, 3, 31)
    assert calendar.end_of("year", 2023, None) == date(2023, 6, 30)


# ---------------------------------------------------------------- labels and dates


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (Period("quarter", 2012, 3, date(2012, 9, 29)), "Q3 2012"),
        (Period("year", 2012, None, date(2012, 12, 29)), "fiscal 2012"),
        (Period("instant", 2012, 4, date(2012, 12, 29)), "December 29, 2012"),
        (Period("instant", 2012), "end of fiscal 2012"),
    ],
)
def test_period_label_as_a_person_says_it(period: Period, label: str) -> None:
    assert period.label == label


def test_period_key_is_stable() -> None:
    assert Period("quarter", 2012, 3).key == "quarter:2012Q3"
    assert Period("year", 2012).key == "year:2012"


def test_periods_are_equal_whatever_end_date_they_carry() -> None:
    assert Period("quarter", 2012, 3, date(2012, 9, 29)) == Period("quarter", 2012, 3)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("December 29, 2012", date(2012, 12, 29)),
        ("September 29 2012", date(2012, 9, 29)),
        ("Sept. 29, 2012", date(2012, 9, 29)),
        ("Dec 31, 2011", date(2011, 12, 31)),
        ("Three Months Ended June 30, 2024", date(2024, 6, 30)),
    ],
)
def test_parse_date(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["February 30, 2012", "Foo 12, 2012", "2012", ""])
def test_parse_date_refuses_what_is_not_a_date(text: str) -> None:
    assert parse_date(text) is None
