"""Derived concepts: computed from printed figures, said to be computed, every operand cited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.catalogue import FormulaError, catalogue
from bot.service import Service


def test_the_catalogue_holds_at_least_twenty_derived_concepts() -> None:
    derived = catalogue().derived
    assert len(derived) >= 20
    assert all(d.operands for d in derived)


def test_a_formula_evaluates_exactly_over_its_operands() -> None:
    quick = next(d for d in catalogue().derived if d.name == "quick ratio")
    values = dict(zip(quick.operands, map(Decimal, ["10", "20", "30", "40"]), strict=True))
    assert quick.evaluate(values) == Decimal("1.5")


def test_a_zero_divisor_is_a_formula_error() -> None:
    ratio = next(d for d in catalogue().derived if d.name == "current ratio")
    with pytest.raises(FormulaError):
        ratio.evaluate(
            {"total current assets": Decimal(1), "total current liabilities": Decimal(0)}
        )


def test_the_longest_name_wins() -> None:
    assert catalogue().derived_named("what was the EBITDA margin?").name == "EBITDA margin"


def test_revenue_per_employee_divides_revenue_by_headcount(service: Service) -> None:
    answer = service.ask("What was revenue per employee in Q4 2012?")
    assert answer.found and "computed" in answer.text
    assert "total revenue / worldwide headcount" in answer.text
    assert {c.kind for c in answer.citations} == {"table", "calculation"}
    assert len([c for c in answer.citations if c.kind == "table"]) == 2


def test_quick_ratio_cites_every_operand(service: Service) -> None:
    answer = service.ask("What was the quick ratio at year-end 2012?")
    assert answer.found and "2.00" in answer.text
    assert len([c for c in answer.citations if c.kind == "table"]) == 4


def test_ebitda_is_flagged_as_not_printed_but_computed(service: Service) -> None:
    answer = service.ask("What was EBITDA in fiscal 2012?")
    assert not answer.found
    assert "does not print EBITDA" in answer.text and "(59,340)" in answer.text


def test_an_operand_missing_for_the_period_is_named(service: Service) -> None:
    answer = service.ask("What was the quick ratio in Q2 2012?")
    assert not answer.found and "can't compute quick ratio" in answer.text


def test_a_segment_gross_margin_is_computed_from_its_own_lines(service: Service) -> None:
    answer = service.ask("Compute the product gross margin for fiscal 2011.")
    assert answer.found and "37.13%" in answer.text and "computed" in answer.text
    assert "Gross profit" not in answer.text


def test_a_name_qualified_elsewhere_in_the_question_is_the_qualified_concept() -> None:
    named = catalogue().derived_named("what gross margin did services earn in fiscal 2012?")
    assert named is not None and named.name == "services gross margin"


def test_ebitda_asked_to_be_computed_is_answered(service: Service) -> None:
    answer = service.ask("Compute fiscal 2011 EBITDA from operating loss and D&A.")
    assert answer.found and "(62,789)" in answer.text and "does not print EBITDA" in answer.text


def test_total_liabilities_cite_every_liability_line(service: Service) -> None:
    answer = service.ask("What were total liabilities at December 29, 2012?")
    assert answer.found and "172,034" in answer.text
    cited = {c.lines[1] for c in answer.citations if c.kind == "table"}
    assert {345, 347, 348, 349} <= cited


def test_an_average_balance_reads_the_opening_balance_a_year_earlier(service: Service) -> None:
    answer = service.ask("What was return on average equity in fiscal 2012?")
    assert answer.found and "-22.94%" in answer.text and "December 31, 2011" in answer.text


def test_a_fiscal_year_ratio_to_year_end_headcount_uses_the_years_revenue(
    service: Service,
) -> None:
    answer = service.ask("What was fiscal 2012 revenue per employee, based on year-end headcount?")
    assert answer.found and "438,437" in answer.text and "1,242" in answer.text


def test_a_figure_stated_in_a_label_is_an_operand_for_its_balance_date(service: Service) -> None:
    answer = service.ask("What was book value per share at the end of 2011?")
    assert answer.found and "$3.63 per share" in answer.text and "106,976" in answer.text


def test_a_change_of_a_computed_figure_says_how_it_moved_first(service: Service) -> None:
    answer = service.ask("How much did cash and investments change during 2012?")
    assert answer.found, answer.text
    first = answer.text.split(". ")[0]
    assert "fell by" in first or "rose by" in first, answer.text
    assert len({c.period for c in answer.citations if c.kind == "table"}) >= 2


def test_a_change_of_a_computed_percentage_is_in_points(service: Service) -> None:
    answer = service.ask("What was the change in operating margin in 2012?")
    assert answer.found and "percentage points, from" in answer.text, answer.text
