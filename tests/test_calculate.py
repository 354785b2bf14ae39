"""Arithmetic over facts: exact Decimal results, formulas that name their operands, plain errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.calculate import CalculationError, calculate
from bot.operations import direction
from bot.ops.ratio import percent_or_fraction
from index.facts import Fact
from index.periods import Period

Q4_12 = Period("quarter", 2012, 4)
Q3_12 = Period("quarter", 2012, 3)
Q4_11 = Period("quarter", 2011, 4)


def fact(
    label: str,
    period: Period,
    value: str,
    raw: str,
    unit: str = "USD",
    scale: str = "thousands",
    line: int = 67,
) -> Fact:
    return Fact(
        release="test",
        table="Statements of Operations",
        table_index=0,
        row=(label,),
        column=period.label,
        period=period,
        basis="GAAP" if unit == "USD" else None,
        value=Decimal(value),
        raw=raw,
        unit=unit,
        scale=scale,
        line=line,
        label_line=line,
    )


REV_Q4_12 = fact("Total revenue", Q4_12, "128064", "128,064")
REV_Q4_11 = fact("Total revenue", Q4_11, "112009", "112,009")
REV_Q4_11_MIL = fact("Revenue ($ Mil)", Q4_11, "112.0", "$112.0", scale="millions", line=460)
OP_LOSS = fact("Loss from operations", Q4_12, "-15513", "(15,513)", line=98)
NET_LOSS_Q4_12 = fact("Net loss", Q4_12, "-16088", "(16,088)", line=115)
NET_LOSS_Q4_11 = fact("Net loss", Q4_11, "-19350", "(19,350)", line=115)
CURRENT_ASSETS = fact("Total current assets", Q4_12, "429497", "429,497", line=322)
CURRENT_LIABILITIES = fact("Total current liabilities", Q4_12, "144047", "144,047", line=345)
MARGIN_Q4 = fact("Gross margin", Q4_12, "34", "34%", unit="percent", scale="units", line=182)
MARGIN_Q3 = fact("Gross margin", Q3_12, "37", "37%", unit="percent", scale="units", line=182)
DSO_Q4 = fact("DSO's", Q4_12, "76", "76", unit="days", scale="units", line=493)


def dso(quarter: int, value: str) -> Fact:
    return fact("DSO's", Period("quarter", 2012, quarter), value, value, "days", "units", 493)


def capex(quarter: int, value: str) -> Fact:
    return fact(
        "Capital Expenditures ($ Mil)",
        Period("quarter", 2012, quarter),
        value,
        f"${value}",
        scale="millions",
        line=487,
    )


ZERO = fact("Restructuring and other costs", Q4_12, "0", "-", line=93)


# ---------------------------------------------------------------- growth


def test_growth_is_the_exact_percent_change_from_the_old_value() -> None:
    calc = calculate("growth", [REV_Q4_12, REV_Q4_11])

    assert calc.result == Decimal(128064 - 112009) / Decimal(112009) * 100
    assert calc.unit == "percent"
    assert calc.display() == "14.3%"


def test_growth_formula_names_both_operands_with_their_periods_and_printed_values() -> None:
    formula = calculate("growth", [REV_Q4_12, REV_Q4_11]).formula

    assert "Total revenue Q4 2012 (128,064)" in formula
    assert "Total revenue Q4 2011 (112,009)" in formula
    assert formula.index("Q4 2012") < formula.index("Q4 2011")


def test_growth_from_a_negative_base_follows_the_finance_convention() -> None:
    calc = calculate("growth", [NET_LOSS_Q4_12, NET_LOSS_Q4_11])

    # (new - old) / old, as TAT-QA and analysts compute it; the direction word says what moved.
    assert calc.result == Decimal(-16088 + 19350) / Decimal(-19350) * 100
    assert direction("Net loss", NET_LOSS_Q4_12.value, NET_LOSS_Q4_11.value) == "narrowed"


def test_a_fall_from_profit_to_loss_is_not_a_rise() -> None:
    profit = fact("Net income", Q4_11, "5000", "5,000")
    loss = fact("Net income", Q4_12, "-2000", "(2,000)")
    assert calculate("growth", [loss, profit]).result == Decimal(-140)
    assert direction("Net income", loss.value, profit.value) == "swung to a loss"


def test_a_widening_loss_is_said_so() -> None:
    assert direction("Net loss", Decimal(-20), Decimal(-10)) == "widened"
    assert direction("Revenue", Decimal(20), Decimal(10)) == "rose"


def test_growth_across_scales_compares_values_in_dollars() -> None:
    calc = calculate("growth", [REV_Q4_12, REV_Q4_11_MIL])

    assert calc.result == (Decimal(128_064_000) - Decimal(112_000_000)) / 112_000_000 * 100


def test_growth_of_percentages_is_a_change_in_percentage_points() -> None:
    calc = calculate("growth", [MARGIN_Q4, MARGIN_Q3])

    assert calc.result == Decimal(-3)
    assert calc.unit == "percentage points"
    assert calc.display() == "-3.0 percentage points"


def test_growth_of_percentages_asked_relative_is_a_percent_of_the_old_rate() -> None:
    calc = calculate("growth", [MARGIN_Q4, MARGIN_Q3], relative=True)

    assert calc.unit == "percent"
    assert round(calc.result, 4) == Decimal("-8.1081")


def test_a_proportion_is_a_fraction_and_a_ratio_in_percentage_a_percent() -> None:
    assert percent_or_fraction("margin", "What is the proportion of X over Y in 2018?") == "ratio"
    assert percent_or_fraction("margin", "What proportion of X, in percentage, is Y?") == "margin"
    assert percent_or_fraction("ratio", "What is the ratio (in percentage) of X to Y?") == "margin"
    assert percent_or_fraction("ratio", "What is the ratio of X to Y?") == "ratio"


def test_growth_from_zero_is_refused() -> None:
    with pytest.raises(CalculationError, match="zero"):
        calculate("growth", [REV_Q4_12, ZERO])


# ---------------------------------------------------------------- difference


def test_difference_of_the_same_scale_is_in_printed_units() -> None:
    calc = calculate("difference", [REV_Q4_12, REV_Q4_11])

    assert calc.result == Decimal(16055)
    assert calc.unit == "USD"
    assert calc.formula == "Total revenue Q4 2012 (128,064) - Total revenue Q4 2011 (112,009)"


def test_difference_across_scales_is_in_dollars() -> None:
    calc = calculate("difference", [REV_Q4_12, REV_Q4_11_MIL])

    assert calc.result == Decimal(16_064_000)


def test_difference_of_percentages_is_in_percentage_points() -> None:
    calc = calculate("difference", [MARGIN_Q4, MARGIN_Q3])

    assert calc.result == Decimal(-3)
    assert calc.unit == "percentage points"


# ---------------------------------------------------------------- ratio and margin


def test_ratio_is_exact_and_unitless() -> None:
    calc = calculate("ratio", [CURRENT_ASSETS, CURRENT_LIABILITIES])

    assert calc.result == Decimal(429497) / Decimal(144047)
    assert calc.unit == "ratio"
    assert calc.display(2) == "2.98"
    assert calc.formula == (
        "Total current assets Q4 2012 (429,497) / Total current liabilities Q4 2012 (144,047)"
    )


def test_margin_is_part_over_whole_in_percent_keeping_the_sign() -> None:
    calc = calculate("margin", [OP_LOSS, REV_Q4_12])

    assert calc.result == Decimal(-15513) / Decimal(128064) * 100
    assert calc.unit == "percent"
    assert calc.display() == "-12.1%"
    assert "Loss from operations Q4 2012 ((15,513))" in calc.formula
    assert "Total revenue Q4 2012 (128,064)" in calc.formula


@pytest.mark.parametrize("operation", ["ratio", "margin"])
def test_division_by_zero_is_refused(operation: str) -> None:
    with pytest.raises(CalculationError, match="division by zero"):
        calculate(operation, [REV_Q4_12, ZERO])


# ---------------------------------------------------------------- sum and average


def test_sum_of_quarters_is_exact() -> None:
    quarters = [capex(1, "13.6"), capex(2, "6.1"), capex(3, "2.5"), capex(4, "3.2")]

    calc = calculate("sum", quarters)

    assert calc.result == Decimal("25.4")
    assert calc.unit == "USD"
    assert calc.formula.count(" + ") == 3
    for q, raw in [(1, "$13.6"), (2, "$6.1"), (3, "$2.5"), (4, "$3.2")]:
        assert f"Q{q} 2012 ({raw})" in calc.formula


def test_average_of_quarters_is_exact() -> None:
    calc = calculate("average", [dso(1, "57"), dso(2, "55"), dso(3, "74"), dso(4, "76")])

    assert calc.result == Decimal("65.5")
    assert calc.unit == "days"
    assert calc.formula.endswith("/ 4")
    assert "DSO's Q3 2012 (74)" in calc.formula


def test_average_that_does_not_terminate_keeps_decimal_precision() -> None:
    calc = calculate("average", [dso(1, "57"), dso(2, "55"), dso(3, "74")])

    assert calc.result == Decimal(186) / Decimal(3)
    assert calc.display(2) == "62.00"


# ---------------------------------------------------------------- mixed units and bad calls


@pytest.mark.parametrize("operation", ["sum", "average"])
def test_combining_days_and_dollars_is_refused(operation: str) -> None:
    with pytest.raises(CalculationError, match="different units"):
        calculate(operation, [DSO_Q4, REV_Q4_12])


@pytest.mark.parametrize("operation", ["sum", "average"])
def test_combining_thousands_and_millions_is_refused(operation: str) -> None:
    with pytest.raises(CalculationError, match="different units"):
        calculate(operation, [REV_Q4_12, REV_Q4_11_MIL])


@pytest.mark.parametrize("operation", ["difference", "growth"])
def test_comparing_days_with_dollars_is_refused(operation: str) -> None:
    with pytest.raises(CalculationError):
        calculate(operation, [DSO_Q4, REV_Q4_12])


def test_an_unknown_operation_is_refused_with_the_list_of_operations() -> None:
    with pytest.raises(
        CalculationError, match="average, cagr, difference, growth, margin, ratio, sum"
    ):
        calculate("median", [REV_Q4_12, REV_Q4_11])


def test_no_operands_is_refused() -> None:
    with pytest.raises(CalculationError, match="no operands"):
        calculate("sum", [])


@pytest.mark.parametrize("operation", ["growth", "difference", "ratio", "margin"])
def test_two_operand_operations_refuse_any_other_count(operation: str) -> None:
    with pytest.raises(CalculationError, match="takes two operands, got 3"):
        calculate(operation, [REV_Q4_12, REV_Q4_11, REV_Q4_11_MIL])


def test_calculations_keep_their_operands_for_citation() -> None:
    calc = calculate("margin", [OP_LOSS, REV_Q4_12])

    assert calc.operands == (OP_LOSS, REV_Q4_12)
    assert calc.operation == "margin"
