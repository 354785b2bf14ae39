"""A row the question may mean, in another table, stands in for a missing period only when it prints
the same figures where both print one: the stock-based compensation within R&D is not R&D."""

from __future__ import annotations

from bot.conversation import Conversation
from bot.service import Service


def test_a_twin_printing_other_figures_does_not_stand_in_for_a_missing_quarter(
    service: Service,
) -> None:
    answer = service.ask("What was R&D in Q3 2012?")
    assert not answer.found, answer.text
    assert "does not give" in answer.text and "Q4 2012" in answer.text
    assert "3,439" not in answer.text


def test_a_change_never_mixes_a_measure_with_its_twin(service: Service) -> None:
    answer = service.ask("How did R&D change from Q3 2012 to Q4 2012?")
    assert not answer.found, answer.text
    assert "Q3 2012" in answer.text


def test_a_twin_printing_the_same_figures_fills_the_missing_quarter(service: Service) -> None:
    answer = service.ask("What was revenue in Q3 2012?")
    assert answer.found and "Q3 2012" in answer.text
    assert answer.citations[0].table == "Supplemental Financial Information"


def test_a_follow_up_keeps_the_row_the_previous_answer_came_from(service: Service) -> None:
    conversation = Conversation()
    first = service.ask("What was stock-based compensation in R&D in Q4 2012?", conversation)
    assert first.found and "2,852" in first.text
    answer = service.ask("and in Q3 2012?", conversation.add(first))
    assert answer.found and "3,439" in answer.text, answer.text


def test_a_look_alike_label_printing_other_figures_does_not_stand_in(service: Service) -> None:
    answer = service.ask("What was G&A in Q3 2012?")
    assert not answer.found and "2,804" not in answer.text, answer.text


def test_how_many_shares_is_answered_with_a_share_count_not_a_per_share_figure(
    service: Service,
) -> None:
    answer = service.ask("How many shares were used to compute diluted EPS in Q4 2012?")
    assert answer.found and "shares" in answer.text and "per share in" not in answer.text
    assert answer.values[0].unit == "shares", answer.text
