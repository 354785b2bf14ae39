"""Extremes: which line under a heading is largest or smallest for a period, and the highest or
lowest figure of a line over the periods printed, asked without 'which quarter'."""

from __future__ import annotations

from decimal import Decimal

import pytest
from releases import table_services

from bot.service import Service

TABLES = {
    "statement": [
        ["(In thousands)", "2031", "2030"],
        ["Revenue", "$900", "$800"],
        ["Operating expenses:", "", ""],
        ["Research and development", "210", "190"],
        ["Sales and marketing", "260", "150"],
        ["General and administrative", "90", "95"],
        ["Total operating expenses", "560", "435"],
        ["Other income (expense), net", "(12)", "4"],
        ["Largest customer %", "18%", "21%"],
    ],
    "sales": [
        ["(In millions)", "Q1 2031", "Q1 2030"],
        ["Net sales:", "", ""],
        ["Products", "$900", "$800"],
        ["Services", "300", "250"],
        ["Net sales by reportable segment:", "", ""],
        ["Americas", "$500", "$450"],
        ["Europe", "400", "380"],
        ["Asia", "300", "220"],
        ["Net sales by category:", "", ""],
        ["Phones", "$600", "$520"],
        ["Laptops", "200", "210"],
        ["Wearables and accessories", "100", "70"],
        ["Services", "300", "250"],
    ],
    "quarters": [
        ["", "Q1 2031", "Q2 2031", "Q3 2031", "Q4 2031"],
        ["Days sales outstanding", "61", "48", "70", "66"],
        ["Revenue ($ Mil)", "21.0", "25.5", "19.5", "24.0"],
        ["Minimum lease payments", "5", "5", "6", "6"],
    ],
}


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Service]:
    return table_services(tmp_path_factory.mktemp("ranking"), TABLES)


def ask(services: dict[str, Service], name: str, question: str):  # noqa: ANN201
    return services[name].brain.answer(question)


@pytest.mark.parametrize(
    ("question", "want"),
    [
        ("Which operating expense was largest in 2031?", Decimal(260)),
        ("What was the biggest operating expense in 2030?", Decimal(190)),
        ("What was the largest expense in 2031?", Decimal(260)),
        ("What was the smallest operating expense in 2031?", Decimal(90)),
        ("Which component of operating expenses was smallest in 2030?", Decimal(95)),
    ],
)
def test_the_largest_or_smallest_line_under_a_heading(
    services: dict[str, Service], question: str, want: Decimal
) -> None:
    answer = ask(services, "statement", question)
    assert answer.found, answer.text
    assert [v.value for v in answer.values] == [want]
    assert len(answer.citations) == 3  # every line compared is cited
    assert "560" not in answer.text and "435" not in answer.text  # never the total


def test_a_line_named_with_an_extreme_word_is_that_line(services: dict[str, Service]) -> None:
    answer = ask(
        services, "statement", "What share of 2031 revenue came from the largest customer?"
    )
    assert answer.found, answer.text
    assert [v.value for v in answer.values] == [Decimal(18)]


def test_no_heading_to_compare_is_said_with_the_headings_there_are(
    services: dict[str, Service],
) -> None:
    answer = ask(services, "statement", "Which line item of the cash flow statement was largest?")
    assert not answer.found
    assert "Operating expenses" in answer.text


@pytest.mark.parametrize(
    ("question", "want"),
    [
        ("What was the lowest days sales outstanding?", Decimal(48)),
        ("What was the highest days sales outstanding in 2031?", Decimal(70)),
        ("What was the lowest quarterly revenue?", Decimal("19.5")),
    ],
)
def test_an_extreme_without_which_quarter_is_over_the_periods(
    services: dict[str, Service], question: str, want: Decimal
) -> None:
    answer = ask(services, "quarters", question)
    assert answer.found, answer.text
    assert want in [v.value for v in answer.values]


def test_an_extreme_word_with_one_quarter_named_is_that_quarter(
    services: dict[str, Service],
) -> None:
    answer = ask(services, "quarters", "What was the highest days sales outstanding in Q4 2031?")
    assert [v.value for v in answer.values] == [Decimal(66)]


def test_the_kind_of_line_asked_picks_the_heading(services: dict[str, Service]) -> None:
    answer = ask(services, "sales", "Which product category had the highest sales in Q1 2031?")
    assert answer.found, answer.text
    assert [v.value for v in answer.values] == [Decimal(600)]
    segment = ask(services, "sales", "Which segment had the lowest net sales in Q1 2030?")
    assert [v.value for v in segment.values] == [Decimal(220)]


def test_a_kind_of_line_the_release_does_not_name_is_said(services: dict[str, Service]) -> None:
    answer = ask(services, "sales", "Which region had the lowest net sales in Q1 2031?")
    assert not answer.found
    assert "region" in answer.text and "Net sales by reportable segment" in answer.text


def test_a_term_holding_an_extreme_word_is_no_extreme(services: dict[str, Service]) -> None:
    """'minimum lease payments' names a line; only 'the lowest X' asks an extreme by itself."""
    answer = ask(services, "quarters", "What were minimum lease payments?")
    assert answer.found, answer.text
    assert "lowest" not in answer.text and [v.value for v in answer.values] == [Decimal(6)]


def test_a_kind_of_line_of_several_words_is_read_whole(service: Service) -> None:
    """'Which cost of revenue line': the lines under Cost of revenue, not those under Revenue
    (both headings are named in full by the question's words)."""
    answer = service.ask("Which cost of revenue line was biggest in Q4 2012?")
    assert answer.found, answer.text
    assert [v.value for v in answer.values] == [Decimal(77023)]


def test_two_quarters_asked_together_are_added(services: dict[str, Service]) -> None:
    """'Q1 and Q2 together' asks their sum, not each figure on its own."""
    answer = ask(services, "quarters", "Give me revenue for Q1 and Q2 of 2031 together.")
    assert answer.found, answer.text
    assert "$46.50 million" in answer.text and "sum" in answer.text
