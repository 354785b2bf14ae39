"""A question asking for guidance, over releases of my own ingested for real (TAT-QA reader,
Chroma in a temporary folder, the MiniLM model): a release that leaves its outlook to the
conference call says so plainly and cites the sentence; one that prints its outlook quotes it."""

from __future__ import annotations

import pytest
from releases import context_services

from bot.service import Service
from eval.tatqa import ask_own

TABLE = {
    "uid": "t",
    "table": [["", "2021", "2020"], ["Revenue", "412", "388"], ["Gross profit", "160", "149"]],
}
DEFERRED = {
    "table": TABLE,
    "paragraphs": [
        {
            "order": 1,
            "text": "Revenue for the fourth quarter rose on strong demand for our harbour "
            "radar systems.",
        },
        {
            "order": 2,
            "text": "We are confident about the outlook for 2022, as our order backlog "
            "reached a record.",
        },
        {
            "order": 3,
            "text": "Management will host a conference call today at 4:30 p.m. Eastern Time to "
            "discuss the results and the outlook for the first quarter of 2022.",
        },
    ],
    "questions": [],
}
PRINTED = {
    "table": TABLE,
    "paragraphs": [
        {
            "order": 1,
            "text": "For the first quarter of 2022, our outlook is revenue of $105 million to "
            "$110 million.",
        },
        {
            "order": 2,
            "text": "Management will host a conference call today at 4:30 p.m. Eastern Time to "
            "discuss the results.",
        },
    ],
    "questions": [],
}


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Service]:
    built = context_services(tmp_path_factory.mktemp("prose-outlook"), [DEFERRED, PRINTED])
    return dict(zip(("deferred", "printed"), built, strict=True))


def test_guidance_left_to_the_call_is_said_plainly_and_cited(
    services: dict[str, Service],
) -> None:
    answer = ask_own(services["deferred"], "What guidance did the company give for Q1 2022?")
    assert not answer.found
    assert answer.text.startswith("The release gives no guidance figures for Q1 2022")
    assert "conference call" in answer.text.split("The release says")[0]
    quoted = [c for c in answer.citations if c.kind == "text"]
    assert quoted and "outlook for the first quarter of 2022" in quoted[0].quote


def test_an_outlook_the_release_gives_in_words_is_quoted(services: dict[str, Service]) -> None:
    answer = ask_own(services["deferred"], "How does management feel about the outlook for 2022?")
    assert answer.found, answer.text
    assert "confident" in answer.text


def test_a_printed_outlook_is_quoted_not_sent_to_the_call(services: dict[str, Service]) -> None:
    answer = ask_own(services["printed"], "What is the outlook for the first quarter of 2022?")
    assert answer.found, answer.text
    assert "$105 million to $110 million" in answer.text


def test_an_outlook_asked_of_the_sentence_sending_it_to_the_call_gets_no_figures(
    services: dict[str, Service],
) -> None:
    answer = ask_own(services["deferred"], "What is the outlook for the first quarter?")
    assert not answer.found
    assert answer.text.startswith("The release gives no guidance figures for the first quarter")
