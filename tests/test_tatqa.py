"""The TAT-QA runner: predictions in the official format from the bot's answers, scored by the
official scorer run as a program, and a report."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from bot.answer import Answer, Citation, Value, cite
from eval.tatqa import DEFAULT_DATA, prediction, run
from index.readers.tatqa import read
from index.release import parse_read

CONTEXT = {
    "table": {
        "uid": "t",
        "table": [
            ["", "", "Years Ended September 30,", ""],
            ["", "2019", "2018", "2017"],
            ["Fixed Price", "$  1,452.4", "$  1,146.2", "$  1,036.9"],
            ["Other", "44.1", "56.7", "70.8"],
        ],
    },
    "paragraphs": [{"text": "The table below presents net sales by contract type (in millions):"}],
}


@pytest.fixture(scope="module")
def facts() -> list:
    return list(parse_read(read(json.dumps(CONTEXT), "t")).facts)


def test_a_cited_cell_is_its_printed_figure_with_the_table_scale(facts: list) -> None:
    f = facts[0]
    answer = Answer("q", "Fixed price sales were $1,452.4 million.", True, (cite(f),))

    assert prediction(answer, facts) == ("$ 1,452.4", "million")


def test_a_cell_in_parentheses_is_predicted_as_printed_not_as_its_signed_number() -> None:
    table = [["", "2019", "2018"], ["Interest expense", "(2,085)", "(1,917)"]]
    facts = list(parse_read(read(json.dumps({"table": table, "paragraphs": []}), "t")).facts)
    answer = Answer("What was the interest expense in 2019?", "...", True, (cite(facts[0]),))

    assert prediction(answer, facts) == ("(2,085)", "")


def test_a_computed_value_is_the_answer_and_a_percentage_says_percent(facts: list) -> None:
    a, b = facts[0], facts[1]
    growth = Value("growth", Decimal("26.72"), "26.72%", "percent", "fiscal 2019")
    answer = Answer("q", "Up 26.72%.", True, (cite(a), cite(b)), (growth,))

    assert prediction(answer, facts) == (26.72, "percent")


def test_several_cited_cells_are_a_list_of_spans(facts: list) -> None:
    answer = Answer("q", "...", True, (cite(facts[0]), cite(facts[3])))

    assert prediction(answer, facts) == (["$ 1,452.4", "44.1"], "million")


def test_a_text_answer_is_the_quoted_span(facts: list) -> None:
    quote = Citation("text", "t", (8, 8), "net sales by contract type")
    answer = Answer("q", "The release says: net sales by contract type.", True, (quote,))

    assert prediction(answer, facts) == ("net sales by contract type", "")


def test_a_refusal_is_an_empty_prediction(facts: list) -> None:
    assert prediction(Answer("q", "Not in the release.", False), facts) == ("", "")


@pytest.mark.skipif(not DEFAULT_DATA.exists(), reason=f"TAT-QA dev split not at {DEFAULT_DATA}")
def test_one_context_end_to_end_writes_predictions_and_a_scored_report(tmp_path: Path) -> None:
    out = tmp_path / "predictions.json"
    result = run(DEFAULT_DATA, out, 1, tmp_path / "report")

    preds = json.loads(out.read_text())
    questions = json.loads(DEFAULT_DATA.read_text())[0]["questions"]
    assert set(preds) == {q["uid"] for q in questions}
    assert all(isinstance(v, list) and len(v) == 2 for v in preds.values())
    assert result["refused"] == {} and result["ingested"] == 1
    assert "em" in result["official"] and "f1" in result["official"]
    assert (tmp_path / "report" / "report.md").read_text().startswith("# TAT-QA")
    assert (tmp_path / "report" / "report.png").stat().st_size > 0


def test_a_change_answer_predicts_the_figure_its_calculation_leads_with(facts: list) -> None:
    a, b = facts[0], facts[1]
    diff = Value("difference", Decimal("306.2"), "306.2", "USD", "fiscal 2019")
    pct = Value("growth", Decimal("26.72"), "26.72%", "percent", "fiscal 2019")
    calc = Citation("calculation", "t", (1, 1), "a - b", value="306.2")
    answer = Answer("q", "Up $306.2 million.", True, (cite(a), cite(b), calc), (diff, pct))

    assert prediction(answer, facts) == (306.2, "million")


def test_a_text_list_of_short_items_is_a_list_of_spans(facts: list) -> None:
    sentence = "We sell the products in the United States, China, Europe and Japan."
    quote = Citation("text", "t", (8, 8), sentence)
    answer = Answer("Which countries do we sell the products in?", "...", True, (quote,))

    assert prediction(answer, facts)[0] == ["the United States", "China", "Europe", "Japan"]


def test_a_ratio_of_two_amounts_has_no_scale(facts: list) -> None:
    a, b = facts[0], facts[3]
    ratio = Value("ratio", Decimal("32.9342"), "32.93", "ratio", "fiscal 2019")
    answer = Answer(
        "What is the ratio of fixed price to other?", "...", True, (cite(a), cite(b)), (ratio,)
    )

    assert prediction(answer, facts) == (32.9342, "")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is the proportion of other over fixed price in 2019?", (0.0304, "")),
        ("What is the proportion (in percentage) of other over fixed price?", (3.04, "percent")),
        ("What percentage of fixed price is other?", (3.04, "percent")),
    ],
)
def test_a_proportion_is_a_fraction_unless_the_question_says_percent(
    facts: list, question: str, expected: tuple
) -> None:
    a, b = facts[3], facts[0]
    share = Value("share", Decimal("3.04"), "3.04%", "percent", "fiscal 2019")
    answer = Answer(question, "...", True, (cite(a), cite(b)), (share,))

    assert prediction(answer, facts) == expected
