"""The cell grammar every reader shares: what a printed cell says as a number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from index.cells import read_cell


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("—", 0),
        ("–", 0),
        ("-", 0),
        ("$—", 0),
        ("$ -", 0),
        ("7.2 %", Decimal("7.2")),
        ("$ (1,234)", -1234),
        ("(1.2)%", Decimal("-1.2")),
        ("1,234 (1)", 1234),
        ("$(0.9)", Decimal("-0.9")),
        ("−1", -1),
        ("(13.9%)", Decimal("-13.9")),
        ("$  1,452.4", Decimal("1452.4")),
        ("€1,234", 1234),
    ],
)
def test_figures_as_printed(text: str, value: Decimal | int) -> None:
    cell = read_cell(text)

    assert cell is not None
    assert cell.value == Decimal(value)


@pytest.mark.parametrize(
    "text", ["n/a", "N/A", "nm", "NM", "*", "", "Total revenue", "1:1", "112,461 shares as of"]
)
def test_what_is_not_a_number(text: str) -> None:
    assert read_cell(text) is None


def test_less_than_keeps_its_qualifier_and_percent() -> None:
    cell = read_cell("< 10%")

    assert cell is not None
    assert (cell.value, cell.qualifier, cell.percent) == (Decimal(10), "<", True)


def test_a_footnote_mark_is_not_part_of_the_value() -> None:
    cell = read_cell("1,234 (1)")

    assert cell is not None
    assert (cell.value, cell.footnote) == (Decimal(1234), "(1)")


def test_currency_signs_are_hints() -> None:
    assert [read_cell(t).currency for t in ("$5", "€5", "£5", "RMB 5", "5")] == [  # type: ignore[union-attr]
        "USD",
        "EUR",
        "GBP",
        "CNY",
        None,
    ]


def test_a_dash_is_zero_and_says_so() -> None:
    cell = read_cell("—")

    assert cell is not None and cell.dash and cell.value == 0
