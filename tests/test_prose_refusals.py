"""What a prose question is refused for, over a context of my own ingested for real (TAT-QA
reader, Chroma in a temporary folder, the MiniLM model): not for a word of the question's own
that only looks like a figure ('loan-to-value'), nor for a word whose kin the answering sentence
uses ('assumptions', 'assumed'); still for a word the release never uses ('tangible' where it
speaks of intangible assets). And a sentence of another month, or of the other side of a pair
('domestic' for 'international'), than the one asked is not quoted."""

from __future__ import annotations

import pytest
from releases import context_services

from bot.narrative import candidates, rank
from bot.service import Service
from eval.tatqa import ask_own
from index.chunks import Chunk

CONTEXT = {
    "table": {
        "uid": "t",
        "table": [
            ["", "2021", "2020"],
            ["Net debt", "1,410", "1,388"],
            ["Share-based payment expense", "12", "9"],
        ],
    },
    "paragraphs": [
        {
            "order": 1,
            "text": "Debt-to-fleet (DTF): Norfleet defines debt-to-fleet (DTF) ratio as net debt "
            "divided by the market value of the fleet.",
        },
        {
            "order": 2,
            "text": "The Group has assumed that staff turnover will stay at 4% per annum over the "
            "vesting period.",
        },
        {
            "order": 3,
            "text": "Goodwill and intangible assets are reviewed for impairment every year, or more "
            "often when there is a sign of impairment.",
        },
        {"order": 4, "text": "In March 2021, we granted 120,500 options under the harbour plan."},
        {
            "order": 5,
            "text": "In November 2021, following the appointment of the new harbour management "
            "team and the approval of the board, we granted 85,250 options, which vest over four "
            "years subject to continued service.",
        },
    ],
    "questions": [],
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Service:
    (service,) = context_services(tmp_path_factory.mktemp("prose-refusals"), [CONTEXT])
    return service


def test_a_hyphenated_term_holding_value_asks_no_figure(service: Service) -> None:
    answer = ask_own(service, "How does Norfleet define debt-to-value (DTV)?")
    assert not answer.found  # the release defines another ratio
    answer = ask_own(service, "How does Norfleet define debt-to-fleet (DTF)?")
    assert answer.found, answer.text
    assert answer.text.startswith("net debt divided by the market value of the fleet")


def test_a_word_whose_kin_the_sentence_uses_is_explained(service: Service) -> None:
    answer = ask_own(service, "What are the assumptions on staff turnover?")
    assert answer.found, answer.text
    assert "4% per annum" in answer.text


def test_a_word_inside_another_is_not_its_kin(service: Service) -> None:
    answer = ask_own(service, "When are goodwill and tangible assets reviewed for impairment?")
    assert not answer.found
    assert "'tangible'" in answer.text


def test_the_sentence_of_the_month_asked(service: Service) -> None:
    answer = ask_own(service, "How many options were granted in November 2021?")
    assert answer.found, answer.text
    assert answer.text.startswith("85,250"), answer.text


def test_the_sentence_of_the_side_asked() -> None:
    domestic = "For domestic plans, the discount rate was determined by reference to a AA index."
    international = (
        "The international discount rates were determined by reference to country specific "
        "government yield curves."
    )
    chunks = [
        Chunk(f"r:{i}", "r", text, 10 * i, 10 * i, "Pensions", "paragraph")
        for i, text in enumerate((domestic, international), start=1)
    ]
    cands = candidates(chunks)
    semantic = {"r:1": 0.7, "r:2": 0.6}  # retrieval likes the domestic one better
    quote = rank(
        "How is the discount rate for international plans determined?", cands, semantic, "Acme"
    )
    assert quote is not None and quote.sentence == international
