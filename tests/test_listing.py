"""Questions about which periods and which lines a table gives, over an annual table read from a
TAT-QA-style context: the periods a line is printed for, those meeting a condition, the lines
under a heading, and a bare year of a row dated by balance date."""

from __future__ import annotations

import json

import pytest

from bot.metrics import MetricIndex
from bot.ops.listing import components, periods_listed
from bot.query import Query
from bot.resolve import Resolver, facts_for
from index.periods import PeriodAsk
from index.readers.tatqa import read
from index.release import parse_read

CONTEXT = {
    "table": {
        "uid": "t",
        "table": [
            ["", "September 30, 2019", "September 30, 2018"],
            ["Deferred tax assets:", "", ""],
            ["Net operating losses", "$ 1,200", "$ 900"],
            ["Accrued expenses", "300", "450"],
            ["Total deferred tax assets", "1,500", "1,350"],
        ],
    },
    "paragraphs": [{"text": "Deferred taxes are as follows (in thousands):"}],
}


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    facts = list(parse_read(read(json.dumps(CONTEXT), "t")).facts)
    return Resolver(MetricIndex(facts))


def _query(resolver: Resolver, text: str, phrase: str) -> Query:
    return Query("figure", text=text, matches=tuple(resolver.rows(phrase)), confident=True)


def test_a_bare_year_finds_the_one_balance_dated_in_that_year(resolver: Resolver) -> None:
    row = resolver.rows("accrued expenses")[0].row
    (fact,) = facts_for(row, PeriodAsk("bare_year", 2018))
    assert fact.raw == "450"


def test_which_years_a_line_is_given_for_are_its_periods_latest_first(resolver: Resolver) -> None:
    q = _query(resolver, "In which years were accrued expenses given?", "accrued expenses")
    answer = periods_listed(q.text, q, resolver)
    assert [v.period for v in answer.values] == ["September 30, 2019", "September 30, 2018"]


def test_a_condition_keeps_the_periods_that_meet_it_at_the_scale_it_states(
    resolver: Resolver,
) -> None:
    text = "Which years did net operating losses exceed $1,000 thousand?"
    q = _query(resolver, text, "net operating losses")
    answer = periods_listed(text, q, resolver)
    assert [v.period for v in answer.values] == ["September 30, 2019"]


def test_the_components_of_a_heading_are_its_lines_without_the_total(resolver: Resolver) -> None:
    q = Query("figure", text="What are the components of deferred tax assets?")
    answer = components(q.text, q, resolver)
    assert answer is not None
    assert [c.row for c in answer.citations] == ["Net operating losses", "Accrued expenses"]


def test_no_heading_named_gives_no_components(resolver: Resolver) -> None:
    q = Query("figure", text="What are the components of goodwill?")
    assert components(q.text, q, resolver) is None
