"""Conversation state is data: each turn carries its query, and a follow-up transforms it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.answer import Answer
from bot.conversation import Conversation
from bot.service import Service


def chat(service: Service, *turns: str) -> list[Answer]:
    conversation = Conversation()
    out = []
    for question in turns:
        answer = service.ask(question, conversation)
        conversation = conversation.add(answer)
        out.append(answer)
    return out


def test_each_turn_holds_the_query_it_answered(service: Service) -> None:
    conversation = Conversation()
    answer = service.ask("What was DSO in Q3 2012?", conversation)
    conversation = conversation.add(answer)
    turn = conversation.turns[-1]
    assert turn.answer is conversation.last
    assert turn.query is not None and turn.query.intent == "figure"
    assert [(p.fiscal_year, p.quarter) for p in turn.query.periods] == [(2012, 3)]


def test_the_year_before_moves_the_period_back_a_year(service: Service) -> None:
    *_, answer = chat(service, "What was total revenue in fiscal 2012?", "and the year before?")
    assert answer.found and "fiscal 2011" in answer.text and "404,877" in answer.text


def test_the_prior_quarter_moves_the_period_back_a_quarter(service: Service) -> None:
    *_, answer = chat(service, "What was DSO in Q3 2012?", "and the prior quarter?")
    assert answer.found and "Q2 2012" in answer.text


def test_a_stand_alone_metric_does_not_inherit_the_period(service: Service) -> None:
    *_, answer = chat(service, "What was total revenue in fiscal 2011?", "total assets")
    assert answer.found and "2011" not in answer.text


def test_gibberish_mid_conversation_does_not_re_answer_the_previous_question(
    service: Service,
) -> None:
    *_, answer = chat(service, "What was DSO in Q3 2012?", "blorft zanqy wibble")
    assert not answer.found and "74" not in answer.text


def test_a_who_question_after_a_figure_is_a_prose_question(service: Service) -> None:
    *_, answer = chat(service, "What was DSO in Q3 2012?", "Who is the CEO?")
    assert answer.found and "Fallon" in answer.text and "74 days" not in answer.text


def test_a_follow_up_after_a_refused_turn_builds_on_the_figure_before_it(
    service: Service,
) -> None:
    *_, answer = chat(service, "What was DSO in Q3 2012?", "hello", "and in Q2?")
    assert answer.found and "Q2 2012" in answer.text and "days" in answer.text


CONVERSATIONS = [
    (("What was DSO in Q3 2012?", "and in Q2?"), ("Q2 2012", "days")),
    (
        ("What was total revenue in fiscal 2012?", "and the year before?"),
        ("fiscal 2011", "404,877"),
    ),
    (("What was worldwide headcount in Q1 2011?", "same for Q2 2011"), ("Q2 2011", "1,136")),
    (("What was GAAP net loss in Q4 2012?", "and non-GAAP?"), ("Q4 2012", "(5,953)")),
]


@pytest.mark.parametrize("rounds", [8])
def test_many_conversations_at_once_never_see_each_others_turns(
    service: Service, rounds: int
) -> None:
    jobs = [c for c in CONVERSATIONS for _ in range(rounds)]

    def run(job: tuple[tuple[str, ...], tuple[str, ...]]) -> tuple[str, ...] | None:
        turns, expected = job
        answer = chat(service, *turns)[-1]
        return None if all(e in answer.text for e in expected) else (*turns, answer.text)

    with ThreadPoolExecutor(max_workers=8) as pool:
        wrong = [r for r in pool.map(run, jobs) if r is not None]
    assert wrong == []


def test_a_shifted_follow_up_does_not_say_no_year_was_given(service: Service) -> None:
    *_, answer = chat(service, "What was total revenue in Q4?", "and the year before?")
    assert answer.found and "Q4 2011" in answer.text
    assert "no year given" not in answer.text


def test_two_quarters_before_that_moves_back_two_quarters(service: Service) -> None:
    *_, answer = chat(service, "What was capex in Q4 2012?", "and two quarters before that?")
    assert answer.found and "Q2 2012" in answer.text and "6.1" in answer.text


def test_the_same_quarter_last_year_moves_back_a_year(service: Service) -> None:
    *_, answer = chat(
        service, "What were inventory turns in Q3 2012?", "and in the same quarter last year?"
    )
    assert answer.found and "Q3 2011" in answer.text and "3.5" in answer.text


def test_the_next_quarter_past_the_release_is_refused(service: Service) -> None:
    *_, answer = chat(service, "What was DSO in Q4 2012?", "and the next quarter?")
    assert not answer.found and "Q1 2013" in answer.text


def test_a_shift_with_no_question_before_it_is_not_answered(service: Service) -> None:
    answer = service.ask("and the year before?")
    assert not answer.found
    assert "earlier question" in answer.text and "before income" not in answer.text
