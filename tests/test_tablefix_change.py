"""Printed forms of table answers: a quarter and a year are no two points of one series
('Q4 versus the year' gives both figures, never a move); a line of a table's named part is
said with that part."""

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


def test_a_line_of_a_tables_named_part_is_said_with_that_part(service: Service) -> None:
    """The stock-based compensation within R&D is not R&D: its sentence names the part."""
    answer = service.ask("How much stock comp sat in R&D in fiscal 2011?")

    assert answer.found and "14,990" in answer.text, answer.text
    assert "research and development (effects of stock-based compensation) was" in answer.text


def test_a_line_of_the_statement_itself_is_said_plainly(service: Service) -> None:
    answer = service.ask("What was R&D in fiscal 2011?")

    assert "research and development was $127,120 thousand" in answer.text, answer.text
