"""Part of a year asked: the first half, the first nine months, the second half. Answered from
a six- or nine-month column where the release prints one; otherwise said to be missing, never
answered with the full year's figure."""

from __future__ import annotations

from decimal import Decimal

import pytest
from releases import table_services

from bot.service import Service
from index.periods import Calendar, find_periods

MID_YEAR = [
    ["", "Three Months Ended", "", "Six Months Ended", ""],
    ["(In thousands)", "June 30, 2031", "June 30, 2030", "June 30, 2031", "June 30, 2030"],
    ["Net sales", "$510", "$480", "$990", "$950"],
    ["Net income", "40", "35", "75", "70"],
]
QUARTERLY = [
    ["", "Q1 2031", "Q2 2031", "Q3 2031", "Q4 2031"],
    ["Net sales ($ Mil)", "10.5", "11.0", "12.25", "13.0"],
    ["Days sales outstanding", "60", "55", "58", "61"],
    ["Gross margin %", "40%", "41%", "39%", "42%"],
]
FULL_YEAR = [
    ["", "Three Months Ended", "", "Twelve Months Ended", ""],
    [
        "(In thousands)",
        "December 31, 2031",
        "December 31, 2030",
        "December 31, 2031",
        "December 31, 2030",
    ],
    ["Net sales", "$530", "$500", "$2,040", "$1,900"],
]


def asks(text: str) -> list[tuple[str, int, int | None, bool]]:
    found = find_periods(text, Calendar(), 2031)
    return [(a.kind, a.fiscal_year, a.quarter, a.assumed_year) for a in found]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("net income in the first half of 2031", ("ytd", 2031, 2, False)),
        ("H1 2031 sales", ("ytd", 2031, 2, False)),
        ("sales in 1H31", ("ytd", 2031, 2, False)),
        ("2031 first half sales", ("ytd", 2031, 2, False)),
        ("the first half of the year 2031", ("ytd", 2031, 2, False)),
        ("the first two quarters of fiscal 2031", ("ytd", 2031, 2, False)),
        ("sales for the six months ended June 30, 2031", ("ytd", 2031, 2, False)),
        ("the first nine months of 2031", ("ytd", 2031, 3, False)),
        ("the first three quarters of FY31", ("ytd", 2031, 3, False)),
        ("sales in the first half", ("ytd", 2031, 2, True)),
        ("the second half of 2031", ("second_half", 2031, 4, False)),
        ("H2 sales", ("second_half", 2031, 4, True)),
    ],
)
def test_a_part_of_a_year_is_one_period(text: str, want: tuple) -> None:
    assert asks(text) == [want]


@pytest.mark.parametrize(
    "text",
    ["half of sales in 2031", "sales in Q1 and Q2 2031", "twelve months ended June 30, 2031"],
)
def test_other_words_stay_what_they_were(text: str) -> None:
    assert all(kind != "ytd" for kind, *_ in asks(text))


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Service]:
    tables = {"midyear": MID_YEAR, "fullyear": FULL_YEAR, "quarterly": QUARTERLY}
    return table_services(tmp_path_factory.mktemp("part-year"), tables)


def test_the_first_half_is_the_six_month_column(services: dict[str, Service]) -> None:
    answer = services["midyear"].brain.answer("What was net income in the first half of 2031?")
    assert answer.found, answer.text
    assert [v.value for v in answer.values] == [Decimal(75)]


def test_a_first_half_not_printed_is_said_missing_not_the_year(
    services: dict[str, Service],
) -> None:
    answer = services["fullyear"].brain.answer("What were net sales in the first half of 2031?")
    assert not answer.found
    assert "first half of fiscal 2031" in answer.text
    assert "2,040" not in answer.text and "2040" not in answer.text
    second = services["fullyear"].brain.answer("What were net sales in the second half of 2031?")
    assert not second.found and "second half" in second.text


@pytest.mark.parametrize(
    ("question", "want", "quarters"),
    [
        ("What were net sales in the first half of 2031?", "21.5", 2),
        ("Net sales for the first nine months of 2031?", "33.75", 3),
        ("What were net sales in H2 2031?", "25.25", 2),
    ],
)
def test_a_part_of_a_year_printed_only_as_quarters_adds_them(
    services: dict[str, Service], question: str, want: str, quarters: int
) -> None:
    answer = services["quarterly"].brain.answer(question)
    assert answer.found, answer.text
    assert f"${want} million" in answer.text and "adding its quarters" in answer.text
    assert len([c for c in answer.citations if c.kind == "table"]) == quarters


@pytest.mark.parametrize("measure", ["days sales outstanding", "gross margin %"])
def test_days_and_percentages_are_never_added(services: dict[str, Service], measure: str) -> None:
    answer = services["quarterly"].brain.answer(f"What was {measure} in the first half of 2031?")
    assert not answer.found, answer.text
