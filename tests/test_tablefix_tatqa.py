"""How answers over TAT-QA-style contexts (tables written here) reach the scorer, and figures
that must never be computed: a period named by a fiscal span ('2020/2021') is the year the
answer names; an amount is never divided by a percentage."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from bot.calculate import CalculationError, calculate
from bot.service import Service
from eval.tatqa import ask_own, context_files, ingest_all, prediction
from index.config import Settings
from index.facts import Fact
from index.periods import Period

SPANS = {
    "table": {
        "uid": "s",
        "table": [
            ["€ million", "2019/2020", "2020/2021"],
            ["Operating profit", "512", "430"],
            ["Income taxes", "(140)", "(122)"],
            ["Profit for the period", "372", "308"],
        ],
    },
    "paragraphs": [{"text": "The group's results for the two fiscal years were as follows:"}],
}

MIX = {
    "table": {
        "uid": "m",
        "table": [
            ["", "2021", "2020"],
            ["Hardware", "$3,200", "$2,900"],
            ["Percentage of revenue", "64.0%", "61.7%"],
            ["Services", "1,800", "1,800"],
            ["Percentage of revenue", "36.0%", "38.3%"],
            ["Total revenue", "$5,000", "$4,700"],
        ],
    },
    "paragraphs": [{"text": "Revenue by type was as follows (in millions):"}],
}

CHANGES = {
    "table": {
        "uid": "c",
        "table": [
            ["", "2021", "2020", "% Change"],
            ["Net sales", "$1,460", "$502", "191%"],
            ["Gross profit", "360", "82", "339%"],
            ["Operating expenses", "210", "190", "12%"],
        ],
    },
    "paragraphs": [{"text": "Results were as follows (in thousands):"}],
}

MARGINS = {
    "table": {
        "uid": "o",
        "table": [
            ["", "Fiscal Year", "", "Variance in", ""],
            ["(In millions, except for percentages)", "2021", "2020", "Dollar", "Percent"],
            ["Net revenues", "$2,400", "$1,600", "$800", "50%"],
            ["Operating income", "$1,150", "$820", "$330", "40%"],
            ["Operating margin", "48%", "51%", "", ""],
        ],
    },
    "paragraphs": [{"text": "Segment results"}],
}


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> list[Service]:
    folder = tmp_path_factory.mktemp("tablefix-tatqa")
    settings = replace(
        Settings.from_env({}), index_dir=folder / "index", chroma_host=None, model=None
    )
    paths = context_files([SPANS, MIX, CHANGES, MARGINS], folder)
    good, refused = ingest_all(paths, settings)
    assert len(good) == 4 and not refused
    return [Service.open(replace(settings, release=Path(p.name)), build=False) for p in paths]


def test_a_year_named_by_a_fiscal_span_is_the_year_the_answer_names(
    services: list[Service],
) -> None:
    service = services[0]
    answer = ask_own(service, "In which year was operating profit larger?")
    facts = service.facts.facts("tatqa-000")

    assert answer.found and "fiscal 2020" in answer.text, answer.text
    assert prediction(answer, facts) == (["2020"], "")


def test_an_amount_is_never_divided_by_a_percentage(services: list[Service]) -> None:
    answer = ask_own(services[1], "What was the hardware percentage of revenue in 2021?")

    assert not any(c.kind == "calculation" and "%" in (c.quote or "") for c in answer.citations)
    assert "64.0%" in answer.text or not answer.found, answer.text


def _fact(label: str, value: str, unit: str) -> Fact:
    return Fact(
        release="t",
        table="Revenue",
        table_index=0,
        row=(label,),
        column="2021",
        period=Period("year", 2021),
        basis=None,
        value=Decimal(value),
        raw=value,
        unit=unit,
        scale="millions" if unit == "USD" else "units",
        line=1,
        label_line=1,
    )


@pytest.mark.parametrize("name", ["margin", "ratio"])
def test_an_amount_over_a_percentage_is_refused(name: str) -> None:
    with pytest.raises(CalculationError):
        calculate(name, [_fact("Hardware", "3200", "USD"), _fact("Percentage", "64.0", "percent")])


def test_a_ratio_of_two_percentages_is_still_computed() -> None:
    calc = calculate(
        "ratio", [_fact("Margin", "64.0", "percent"), _fact("Margin", "32.0", "percent")]
    )

    assert calc.result == 2


def test_a_percentage_change_the_row_prints_is_given_as_printed(services: list[Service]) -> None:
    service = services[2]
    answer = ask_own(service, "By what percentage did net sales grow from 2020 to 2021?")
    facts = service.facts.facts("tatqa-002")

    assert answer.found and "rose 191%" in answer.text, answer.text
    assert answer.citations[0].raw == "191%"
    assert prediction(answer, facts) == ("191%", "percent")


def test_a_printed_change_that_disagrees_with_its_figures_is_not_given(
    services: list[Service],
) -> None:
    answer = ask_own(services[2], "What was the percentage change in operating expenses in 2021?")

    assert answer.found and "10.5%" in answer.text and "12%" not in answer.text, answer.text


def test_a_margin_the_release_prints_is_given_as_printed(services: list[Service]) -> None:
    answer = ask_own(services[3], "What is the operating margin for fiscal 2021?")

    assert answer.found and "48%" in answer.text and "computed" not in answer.text, answer.text


def test_a_margin_asked_to_be_computed_is_computed(services: list[Service]) -> None:
    answer = ask_own(services[3], "Calculate the operating margin for 2021")

    assert answer.found and "47.92%" in answer.text, answer.text


def test_an_operand_is_never_a_line_naming_only_part_of_it(services: list[Service]) -> None:
    """'net income' is not 'Operating income': the net margin cannot be computed here."""
    answer = ask_own(services[3], "What was the net margin in 2021?")

    assert not answer.found, answer.text
    assert "1,150" not in answer.text
