"""Questions over small JSON tables whose rows or columns are dated in less common ways: a
roll-forward, a year per row, 'F31' columns, quarters named in words, a 53-week year ending in
January, segment columns. Each table is written here; the real Chroma and embedding model answer
through the service, as for any release."""

from __future__ import annotations

from decimal import Decimal

import pytest
from releases import table_services

from bot.service import Service

TABLES = {
    "roll": [
        ["", "Widgets", "Gadgets", "Total"],
        ["Unvested at March 31, 2030", "100", "40", "140"],
        ["Granted", "12", "3", "15"],
        ["Unvested at March 31, 2031", "112", "43", "155"],
        ["Granted", "5", "7", "12"],
        ["Unvested at March 31, 2032", "117", "50", "167"],
    ],
    "schedule": [
        ["(In millions)", "Rent", "Loans"],
        ["2031", "$90", "$7"],
        ["2032", "80", "7"],
        ["2033", "75", "5"],
        ["Total", "$245", "$19"],
    ],
    "weeks": [
        ["$ MILLION", "F31", "F30"],
        ["Sales", "1,200", "1,100"],
        ["Rent expense", "60", "55"],
    ],
    "words": [
        ["", "", "Fiscal 2031", ""],
        ["", "First", "Second", "Third"],
        ["(In thousands)", "Quarter", "Quarter", "Quarter"],
        ["Net sales", "$410", "$420", "$430"],
    ],
    "mix": [
        ["", "2031", "", "2030", ""],
        ["(In thousands)", "Amount", "% of total sales", "Amount", "% of total sales"],
        ["Hardware", "$300", "60%", "$200", "50%"],
        ["Services", "200", "40", "200", "50"],
        ["Total sales", "$500", "100%", "$400", "100%"],
    ],
    "quarters": [
        ["", "First", "Second", "Third", "Fourth"],
        ["2031", "", "", "", ""],
        ["Net sales", "$10", "$11", "$12", "$13"],
        ["2030", "", "", "", ""],
        ["Net sales", "$8", "$9", "$9", "$10"],
    ],
    "fees": [
        ["", "2031", "2030"],
        ["Audit fees", "$60", "$50"],
        ["Tax fees", "20", "30"],
        ["Other fees", "20", "20"],
        ["Total fees", "$100", "$100"],
    ],
    "regions": [
        ["", "Revenues", "", "Income", ""],
        ["(In thousands)", "2031", "2030", "2031", "2030"],
        ["North", "500", "400", "50", "40"],
        ["South", "300", "200", "30", "20"],
    ],
    "rates": [
        ["", "2031", "2030"],
        ["Statutory federal rate", "21.0%", "21.0%"],
        ["State taxes, net", "3.0", "2.0"],
        ["Effective income tax rate", "24.0%", "23.0%"],
    ],
    "january": [
        ["(In millions)", "January 2, 2031", "December 27, 2029"],
        ["Royalty income", "$31", "$29"],
    ],
}

PARAGRAPHS = {
    "rates": [
        "The effective income tax rate rose in 2031 mainly because of a one-time charge on the "
        "transfer of patents between subsidiaries."
    ]
}


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Service]:
    return table_services(tmp_path_factory.mktemp("tables"), TABLES, PARAGRAPHS)


def ask(services: dict[str, Service], name: str, question: str):  # noqa: ANN201
    return services[name].brain.answer(question)


def values(answer) -> list[Decimal]:  # noqa: ANN001
    return [v.value for v in answer.values]


def test_a_balance_named_by_its_date_and_column(services: dict[str, Service]) -> None:
    answer = ask(services, "roll", "What were the unvested Gadgets at March 31, 2031?")

    assert answer.found
    assert Decimal(43) in values(answer)


def test_a_movement_named_with_its_balance_is_the_movement(services: dict[str, Service]) -> None:
    answer = ask(services, "roll", "How many unvested Widgets were granted in 2032?")

    assert answer.found
    assert values(answer)[-1] == Decimal(5)


def test_the_difference_between_two_segment_columns_at_a_date(
    services: dict[str, Service],
) -> None:
    answer = ask(
        services,
        "roll",
        "What is the difference between unvested Widgets and Gadgets at March 31, 2032?",
    )

    assert answer.found
    assert Decimal(67) in {abs(v) for v in values(answer)}


def test_a_year_row_is_a_period_of_each_column(services: dict[str, Service]) -> None:
    answer = ask(services, "schedule", "What is the change in rent from 2031 to 2032?")

    assert answer.found
    assert Decimal(-10) in values(answer)


def test_f_and_two_digits_names_a_fiscal_year(services: dict[str, Service]) -> None:
    answer = ask(services, "weeks", "What is the average rent expense for F31 and F30?")

    assert answer.found
    assert Decimal("57.5") in values(answer)


def test_a_quarter_named_after_its_fiscal_year(services: dict[str, Service]) -> None:
    answer = ask(services, "words", "What were net sales in the fiscal 2031 second quarter?")

    assert answer.found
    assert values(answer) == [Decimal(420)]


def test_a_calendar_year_names_the_53_week_year_ending_in_its_first_days(
    services: dict[str, Service],
) -> None:
    answer = ask(services, "january", "What was the royalty income in 2031?")

    assert answer.found
    assert values(answer) == [Decimal(31)]


def test_an_amount_is_taken_over_its_percentage_of_total_unless_asked(
    services: dict[str, Service],
) -> None:
    amount = ask(services, "mix", "What is the average hardware for 2030 and 2031?")
    share = ask(services, "mix", "What percentage of total sales was hardware in 2031?")

    assert amount.found and Decimal(250) in values(amount)
    assert share.found and Decimal(60) in values(share)


def test_a_percentage_asked_of_an_amount_is_not_answered_with_the_amount(
    services: dict[str, Service],
) -> None:
    answer = ask(services, "january", "What is the percentage weight of royalty income in 2031?")

    assert not answer.found


def test_two_ordinals_sharing_one_quarter_noun_are_two_quarters(
    services: dict[str, Service],
) -> None:
    answer = ask(
        services,
        "quarters",
        "What was the change in net sales between the second and third quarter?",
    )

    assert answer.found
    assert Decimal(1) in values(answer)


def test_a_count_over_years_takes_the_column_the_question_names(
    services: dict[str, Service],
) -> None:
    answer = ask(services, "mix", "How many years did the amount of hardware exceed $250 thousand?")

    assert answer.found
    assert "1 of the 2 years" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "What is the percentage of audit fees in total fees in 2031?",
        "What percentage of total fees were audit fees in 2031?",
        "What percentage of the total fees does audit fees form a part of in 2031?",
    ],
)
def test_a_share_names_its_part_and_its_whole_in_either_order(
    services: dict[str, Service], question: str
) -> None:
    answer = ask(services, "fees", question)

    assert answer.found
    assert Decimal(60) in values(answer)


def test_a_singular_word_names_a_plural_column_group(services: dict[str, Service]) -> None:
    answer = ask(services, "regions", "What was the North revenue in 2031?")

    assert answer.found
    assert values(answer) == [Decimal(500)]


def test_a_derived_concept_printed_with_one_more_word_is_read_not_computed(
    services: dict[str, Service],
) -> None:
    answer = ask(services, "rates", "What was the effective tax rate in 2031?")

    assert answer.found
    assert values(answer) == [Decimal("24.0")]


def test_what_impacted_a_printed_rate_is_answered_from_the_text_not_the_table(
    services: dict[str, Service],
) -> None:
    answer = ask(services, "rates", "In 2031, what impacted the effective tax rate?")

    assert Decimal("24.0") not in values(answer)
