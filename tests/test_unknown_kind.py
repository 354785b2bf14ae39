"""A kind of a line the release never names ('cloud revenue', 'iPhone sales') is refused with
the line it does print, never answered with that line's total."""

from __future__ import annotations

import pytest

from bot.service import Service


@pytest.mark.parametrize(
    "question",
    [
        "What was cloud revenue in 2012?",
        "How much did subscription revenue grow in Q4 2012?",
        "What were iPhone sales in Q4 2012?",
    ],
)
def test_an_unknown_kind_of_a_line_is_refused_naming_the_line(
    service: Service, question: str
) -> None:
    answer = service.ask(question)
    assert not answer.found, answer.text
    assert "Total revenue" in answer.text and "another figure" in answer.text
    assert "438,437" not in answer.text and "128,064" not in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "What was the headline revenue in Q4 2012?",  # a word of emphasis, no kind of revenue
        "fin goods 3Q12",  # a shortened label word
        "Did Infinera generate cash from operations in Q4 2012, and how much?",
        "Stock-based compensation within research and development for fiscal 2011?",
    ],
)
def test_other_unknown_words_are_no_kind(service: Service, question: str) -> None:
    assert service.ask(question).found
