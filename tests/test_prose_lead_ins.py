"""A sentence leading into a table ('... were as follows:') answers what the table shows and
nothing else, and a figure is not taken from a sentence sharing under half the question's
words, over a context of my own ingested for real (TAT-QA reader, Chroma in a temporary
folder, the MiniLM model)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from releases import context_services

from bot.narrative import Quote
from bot.prose import _figure_asked_loosely
from bot.service import Service
from eval.tatqa import ask_own

CONTEXT = {
    "table": {
        "uid": "t",
        "table": [
            ["", "2021", "2020"],
            ["Level 1 inputs", "1,200", "1,150"],
            ["Level 2 inputs", "640", "610"],
        ],
    },
    "paragraphs": [
        {
            "order": 1,
            "text": "The loss allowance provision for current harbour receivables as at 30 June "
            "2021 is determined as follows:",
        },
        {
            "order": 2,
            "text": "Fair value is determined based upon the exit price that would be received to "
            "sell an asset or paid to transfer a liability in an orderly transaction between "
            "market participants, as determined by either the principal market or the most "
            "advantageous market for the vessel concerned.",
        },
        {
            "order": 3,
            "text": "As at 31 December 2021, the Group's equity interests in this investee "
            "company are approximately 9% on an outstanding basis.",
        },
        {
            "order": 4,
            "text": "The retail ferry business opened four new routes in the year, two of them "
            "to the northern islands, and it now carries passengers and freight on eleven "
            "routes across the region in every season.",
        },
    ],
    "questions": [],
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Service:
    (service,) = context_services(tmp_path_factory.mktemp("prose-lead-ins"), [CONTEXT])
    return service


def test_a_sentence_leading_into_a_table_does_not_answer_a_question_about_words(
    service: Service,
) -> None:
    answer = ask_own(
        service, "What is the loss allowance provision for current harbour receivables?"
    )
    assert "is determined as follows" not in answer.text, answer.text


def test_a_figure_whose_sentence_leads_into_a_table_is_not_quoted(service: Service) -> None:
    answer = ask_own(service, "What was the loss allowance provision for current receivables?")
    assert "The release says" not in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "loose"),
    [
        ("How much was invested in the retail company?", True),
        ("What was the amount of the harbour dues?", True),
        ("How many routes were opened?", True),
        ("Why did the harbour dues rise?", False),
        ("What is fair value based on?", False),
        ("What does the recorded value include?", False),
    ],
)
def test_a_figure_is_not_taken_from_a_sentence_sharing_few_words_asked(
    question: str, loose: bool
) -> None:
    quote = Quote("The Group's equity interest is approximately 9%.", None, 0.7, overlap=0.4)
    assert _figure_asked_loosely(question, quote) is loose
    assert not _figure_asked_loosely(question, replace(quote, overlap=0.6))
