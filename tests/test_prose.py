"""Prose answers: the answering phrase first, then the quoted sentence as the source."""

from __future__ import annotations

import pytest

from bot.prose import answering_phrase
from bot.service import Service


@pytest.mark.parametrize(
    ("question", "sentence", "phrase"),
    [
        (
            "Who is the CEO?",
            '"Good," said Tom Fallon, president and chief executive officer.',
            "Tom Fallon, president and chief executive officer",
        ),
        ("What number do I call?", "parties should call 1-888-566-0401.", "1-888-566-0401"),
        (
            "What time is the call?",
            "today at 5:00 p.m. Eastern Time (2:00 p.m.)",
            "5:00 p.m. Eastern Time",
        ),
        ("What is the ticker?", "Acme Corp (NASDAQ: ACME), a maker", "NASDAQ: ACME"),
    ],
)
def test_the_answering_phrase_is_cut_from_the_sentence(
    question: str, sentence: str, phrase: str
) -> None:
    assert answering_phrase(question, sentence) == phrase


def test_no_shape_no_phrase() -> None:
    assert answering_phrase("What did management say about 2013?", "We are optimistic.") is None


def test_who_is_the_ceo_names_the_person_first(service: Service) -> None:
    answer = service.ask("Who is the CEO?")
    assert answer.found and answer.text.startswith(
        "Tom Fallon, president and chief executive officer."
    )
    assert answer.citations[0].kind == "text"


def test_a_replay_number_from_abroad_is_the_international_one(service: Service) -> None:
    answer = service.ask("replay number from outside the US")
    assert answer.found and answer.text.startswith("1-203-369-3040")


def test_no_passage_answers_is_not_in_the_release(service: Service) -> None:
    answer = service.ask("What is the company's dividend policy?")
    assert not answer.found and answer.citations == ()


@pytest.mark.parametrize(
    ("name", "inside"),
    [("Revenue", "revenue"), ("DSO", "DSO"), ("DSO's", "DSO's"), ("R&D expense", "R&D expense")],
)
def test_a_name_inside_a_sentence_keeps_an_abbreviation_s_capitals(name: str, inside: str) -> None:
    from bot.text import lower_first

    assert lower_first(name) == inside


def test_a_label_quoted_in_a_sentence_drops_its_own_figures() -> None:
    from bot.text import short_label

    assert short_label("Accounts receivable, net of allowance of $94 in 2012") == (
        "Accounts receivable"
    )
    assert short_label("Net loss per common share, basic and diluted") == (
        "Net loss per common share, basic and diluted"
    )


def test_an_amount_asked_in_billions_is_restated_and_said_computed(service: Service) -> None:
    answer = service.ask("Express fiscal 2012 total revenue in billions of dollars.")
    assert answer.found and "$0.438 billion, computed" in answer.text


@pytest.mark.parametrize(
    ("question", "sentence", "phrase"),
    [
        (
            "How is the discount rate for domestic plans determined?",
            "For domestic plans, the discount rate was determined by comparison against an index.",
            "by comparison against an index",
        ),
        (
            "Which countries does the group operate indemnity plans in?",
            "The Group operates indemnity plans in Greece and Turkey.",
            "Greece and Turkey",
        ),
        (
            "How many PSUs were granted in 2016?",
            "In February 2016, we granted 547,000 PSUs.",
            "547,000",
        ),
    ],
)
def test_what_a_sentence_says_after_restating_the_question_answers_it(
    question: str, sentence: str, phrase: str
) -> None:
    assert answering_phrase(question, sentence) == phrase


def test_a_sentence_restating_too_little_of_the_question_gives_no_phrase() -> None:
    assert (
        answering_phrase("What does the report cover?", "The following table sets out data.")
        is None
    )


def test_respectively_pairs_each_year_asked_with_its_figure() -> None:
    sentence = (
        "Benefits for the years ended 31 December 2019, 2018 and 2017 were $131 million, "
        "$117 million and $180 million, respectively."
    )
    assert answering_phrase("What were the benefits in 2018?", sentence) == "$117 million"
    assert answering_phrase("And in 2019 and 2017?", sentence) == "$131 million; $180 million"


def test_how_much_answers_with_the_amount_stated() -> None:
    sentence = "As of 2019, unrecognized compensation expense was $2.0 million, to be recognized."
    question = "How much was the unrecognized compensation expense in 2019?"
    assert answering_phrase(question, sentence) == "$2.0 million"


def test_a_phrase_ends_where_a_second_clause_starts() -> None:
    sentence = (
        "Freight revenue is allocated to the region in which the goods are delivered, while "
        "warehouses are allocated to the region where they stand."
    )
    phrase = answering_phrase("How is freight revenue allocated?", sentence)
    assert phrase == "the region in which the goods are delivered"


def test_a_sentence_restating_the_question_at_its_end_answers_with_its_opening() -> None:
    sentence = "Rebates granted to wholesale partners, net of returns, are deducted from sales."
    phrase = answering_phrase("What is deducted from sales?", sentence)
    assert phrase == "Rebates granted to wholesale partners, net of returns"


def test_the_figure_of_the_year_asked_when_a_sentence_gives_two() -> None:
    sentence = "Hosting costs rose to $41.2 million in 2021 compared to $37.9 million in 2020."
    assert answering_phrase("What were the hosting costs in 2020?", sentence) == "$37.9 million"


def test_a_reason_is_answered_from_its_cause() -> None:
    sentence = "Freight margins fell in the second half, primarily due to higher fuel prices."
    phrase = answering_phrase("Why did freight margins fall?", sentence)
    assert phrase == "primarily due to higher fuel prices"


def test_a_when_question_keeps_the_condition_word() -> None:
    sentence = "The company books a rebate liability when a customer reaches its volume tier."
    phrase = answering_phrase("When does the company book a rebate liability?", sentence)
    assert phrase == "when a customer reaches its volume tier"


def test_what_the_table_shows_is_what_its_introducing_sentence_says() -> None:
    sentence = (
        "The following table summarizes the fair value of plan assets by category (in thousands):"
    )
    phrase = answering_phrase("What does the table show?", sentence)
    assert phrase == "the fair value of plan assets by category"
