"""A quarter and a year are no two points of one series: 'Q4 versus the year' gives both
figures, never a percentage move from one to the other."""

from __future__ import annotations

from bot.service import Service


def test_a_quarter_against_a_year_gives_both_figures_and_no_move(service: Service) -> None:
    answer = service.ask("What were sales in the fourth quarter of 2012 versus fiscal 2011?")

    assert answer.found, answer.text
    assert "128,064" in answer.text and "404,877" in answer.text
    assert "%" not in answer.text and not any(c.kind == "calculation" for c in answer.citations)


def test_two_quarters_still_give_the_move(service: Service) -> None:
    answer = service.ask("How did sales move from the third to the fourth quarter of 2012?")

    assert answer.found and "14.2%" in answer.text, answer.text
