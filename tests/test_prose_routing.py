"""A question about how a figure is recognised or stated, or what it includes, is the text's to
answer even when a table row carries the figure's name (bot/pipeline.py REASON_RE), over a
context of my own ingested for real (TAT-QA reader, Chroma in a temporary folder, MiniLM)."""

from __future__ import annotations

import pytest
from releases import context_services

from bot.service import Service
from eval.tatqa import ask_own

CONTEXT = {
    "table": {
        "uid": "t",
        "table": [
            ["", "2021", "2020"],
            ["Realized losses on swaps", "(4,210)", "(3,980)"],
            ["Unrealized losses on swaps", "(1,115)", "(2,040)"],
            ["Land", "672", "672"],
            ["Land, docks and equipment, gross", "8,400", "8,150"],
            ["Recorded investment (1)", "12,300", "11,870"],
        ],
    },
    "paragraphs": [
        {
            "order": 1,
            "text": "Realized and unrealized losses on swaps are recognized in earnings and "
            "reported in other finance costs in the statement of profit or loss.",
        },
        {
            "order": 2,
            "text": "Land, docks and equipment are stated at cost, net of accumulated "
            "depreciation and impairment.",
        },
        {
            "order": 3,
            "text": "(1) Includes deferred harbour fees which are eliminated on consolidation.",
        },
    ],
    "questions": [],
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Service:
    (service,) = context_services(tmp_path_factory.mktemp("prose-routing"), [CONTEXT])
    return service


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("How are the realized and unrealized losses on swaps recognized?", "in earnings"),
        ("How are land, docks and equipment stated in the report?", "at cost"),
    ],
)
def test_how_a_figure_is_recognised_or_stated_is_quoted(
    service: Service, question: str, said: str
) -> None:
    answer = ask_own(service, question)
    assert answer.found, answer.text
    assert "The release says" in answer.text and said in answer.text, answer.text
    assert all(c.kind == "text" for c in answer.citations)


def test_what_a_figure_includes_is_never_answered_with_the_figure(service: Service) -> None:
    answer = ask_own(service, "What does the recorded investment include?")
    assert "12,300" not in answer.text, answer.text
    assert all(c.kind == "text" for c in answer.citations)
