"""A count asked of a line printed as money: the count its label states for the date asked, or
a refusal, never the line's dollar amount (the common stock line prints its par value)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.service import Service


@pytest.mark.parametrize(
    ("question", "want", "date"),
    [
        (
            "How many shares were outstanding at the end of 2012?",
            Decimal(112461),
            "December 29, 2012",
        ),
        (
            "How many shares were outstanding at December 31, 2011?",
            Decimal(106976),
            "December 31, 2011",
        ),
    ],
)
def test_the_count_a_label_states_for_the_date(
    service: Service, question: str, want: Decimal, date: str
) -> None:
    answer = service.ask(question)
    assert answer.found, answer.text
    assert [v.value for v in answer.values] == [want]
    assert "shares" in answer.text and date in answer.text and "$" not in answer.text
    assert answer.citations[0].lines[-1] == 360


def test_a_date_the_label_gives_no_count_for_is_refused_not_the_amount(service: Service) -> None:
    answer = service.ask("How many shares were outstanding at the end of Q3 2012?")
    assert not answer.found
    assert "$112" not in answer.text


def test_a_count_the_text_gives_is_still_quoted(service: Service) -> None:
    answer = service.ask("How many customers have made purchase commitments for the DTN-X?")
    assert answer.found and answer.text.startswith("22")
