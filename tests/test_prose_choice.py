"""Which sentence a prose answer quotes, over a context of my own ingested for real (TAT-QA
reader, Chroma in a temporary folder, the MiniLM model): the one giving the cause, the
definition, the year and the direction asked, and a reason is the text's, not a table's."""

from __future__ import annotations

import json

import pytest
from releases import context_services

from bot.service import Service
from eval.tatqa import ask_own

CONTEXT = {
    "table": {
        "uid": "t",
        "table": [
            ["", "2021", "2020"],
            ["Other income", "88", "41"],
            ["Valuation allowance", "(212)", "(190)"],
            ["Operating cash flow", "1,204", "1,022"],
        ],
    },
    "paragraphs": [
        {
            "order": 1,
            "text": "In 2020 we recorded other income of $41 million, falling from $47 "
            "million in 2019, mainly due to fewer export subsidies. In 2021 we recorded other income "
            "of $88 million, growing from $41 million in 2020, mainly benefitting from research "
            "grants awarded in Norway.",
        },
        {
            "order": 2,
            "text": "The valuation allowance grew by $22 million in 2021. This was "
            "mainly attributable to tax losses in the Chilean subsidiary that we do not expect "
            "to use.",
        },
        {
            "order": 3,
            "text": "Other issuers may not define or compute ROCE the same way. We "
            "define ROCE as operating profit divided by average capital employed over four "
            "quarters.",
        },
        {
            "order": 4,
            "text": "In March 2021, we acquired Zentrix, a maker of marine sonar "
            "sensors. Zentrix's results were included in our Marine segment from that date.",
        },
        {
            "order": 5,
            "text": "Our operating cash flow was significantly influenced by the timing "
            "of customer prepayments and by inventory builds ahead of the sailing season.",
        },
    ],
    "questions": [],
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Service:
    (service,) = context_services(tmp_path_factory.mktemp("prose-choice"), [CONTEXT])
    return service


def _quoted(service: Service, question: str) -> str:
    answer = ask_own(service, question)
    assert answer.found, answer.text
    return answer.text


def test_a_why_takes_the_next_sentence_when_it_gives_the_cause(service: Service) -> None:
    text = _quoted(service, "Why did the valuation allowance increase in 2021?")
    assert text.startswith("mainly attributable to tax losses in the Chilean subsidiary")


def test_the_sentence_of_the_year_and_direction_asked(service: Service) -> None:
    text = _quoted(service, "What led to the increase in other income in 2021?")
    assert "research grants awarded in Norway" in text.split("The release says")[0]


def test_how_a_term_is_defined_is_the_defining_sentence(service: Service) -> None:
    text = _quoted(service, "How does the company define ROCE?")
    assert text.startswith("operating profit divided by average capital employed")


def test_what_a_name_is_comes_from_the_sentence_defining_it(service: Service) -> None:
    text = _quoted(service, "What is Zentrix?")
    assert text.startswith("a maker of marine sonar sensors")


def test_a_question_ending_influenced_by_is_answered_from_the_text(service: Service) -> None:
    text = _quoted(service, "What was the operating cash flow influenced by?")
    assert text.startswith("the timing of customer prepayments"), text
    assert json.dumps(text)  # the quoted source follows the phrase
    assert "The release says" in text
