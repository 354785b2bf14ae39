"""CAGR, the operation declared whole in bot/ops/cagr.py: its words, arithmetic and answer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.ops import CalculationError, calculate, load
from bot.service import Service
from bot.understand import understand
from index.facts import Fact
from index.periods import Period


def fact(period: Period, value: str, label: str = "Total revenue") -> Fact:
    return Fact(
        release="test",
        table="Statements of Operations",
        table_index=0,
        row=(label,),
        column=period.label,
        period=period,
        basis="GAAP",
        value=Decimal(value),
        raw=value,
        unit="USD",
        scale="thousands",
        line=67,
        label_line=67,
    )


def test_cagr_compounds_over_the_years_between_the_periods() -> None:
    last, first = fact(Period("year", 2012), "121"), fact(Period("year", 2010), "100")
    calc = calculate("cagr", [last, first])
    assert calc.unit == "percent" and calc.display(2) == "10.00%"


def test_cagr_of_a_negative_value_is_refused() -> None:
    loss = [fact(Period("year", 2012), "-5", "Net loss"), fact(Period("year", 2011), "-4")]
    with pytest.raises(CalculationError, match="positive"):
        calculate("cagr", loss)


def test_cagr_of_one_period_is_refused() -> None:
    same = fact(Period("year", 2012), "121")
    with pytest.raises(CalculationError, match="two different periods"):
        calculate("cagr", [same, same])


def test_cagr_is_registered_with_its_cue_words() -> None:
    op = load()["cagr"]
    assert op.arity == 2 and op.answer is not None
    assert op.cue_re is not None and op.cue_re.search("the compound annual growth rate")


@pytest.mark.parametrize(
    "question",
    [
        "What was the CAGR of revenue from 2011 to 2012?",
        "Compound annual growth rate of total revenue between 2011 and 2012?",
    ],
)
def test_a_question_naming_cagr_asks_for_it(service: Service, question: str) -> None:
    q = understand(question, None, service.pipeline.ctx)
    assert q.operation == "cagr"


def test_cagr_is_computed_and_cited(service: Service) -> None:
    answer = service.ask("What was the CAGR of revenue from 2011 to 2012?")
    assert answer.found and "8.29%" in answer.text
    assert any(c.kind == "calculation" for c in answer.citations)


def test_cagr_over_one_period_says_it_needs_two(service: Service) -> None:
    answer = service.ask("What was the CAGR of revenue in 2012?")
    assert not answer.found and "two periods" in answer.text


def test_cagrs_own_words_are_understood_words(service: Service) -> None:
    answer = service.ask("What was the annualised compounded growth of revenue from 2011 to 2012?")
    assert answer.found and "compound annual growth rate" in answer.text
