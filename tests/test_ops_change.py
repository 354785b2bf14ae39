"""Change questions asked as yes or no: the answer says yes or no first, by the way the figure
went as the answer's own verb says (a loss that shrinks narrowed, so it did not rise)."""

from __future__ import annotations

import pytest

from bot.ops.change import verdict
from bot.service import Service


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Did operating expenses shrink from 2011 to 2012?", "Yes. "),
        ("Did operating expenses grow from 2011 to 2012?", "No. "),
        ("Was gross margin higher in 2012 than in 2011?", "No. "),
        ("Did the net loss narrow in Q4 2012 from Q4 2011?", "Yes. "),
        ("Did the net loss increase in Q4 2012 from Q4 2011?", "No. "),
        ("Did quarterly sales climb between the third and fourth quarters of 2012?", "Yes. "),
        ("Did revenue dip from Q1 2012 to Q2 2012?", "Yes. "),
    ],
)
def test_a_yes_or_no_change_question_is_answered_yes_or_no_first(
    service: Service, question: str, said: str
) -> None:
    answer = service.ask(question)
    assert answer.found and answer.text.startswith(said), answer.text
    assert len(answer.citations) >= 2


def test_a_question_that_asks_no_direction_gets_no_verdict(service: Service) -> None:
    answer = service.ask("How much did revenue grow from 2011 to 2012?")
    assert answer.found and not answer.text.startswith(("Yes", "No")), answer.text


def test_a_question_naming_both_directions_gets_no_verdict() -> None:
    assert verdict("Did revenue go up or down in 2012?", "rose") == ""
