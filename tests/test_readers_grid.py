"""The table model: a grid of strings becomes keyed columns and one fact per numeric cell."""

from __future__ import annotations

from decimal import Decimal

from index.grid import Grid
from index.periods import Period
from index.table_model import grids_facts


def facts_of(rows: list[list[str]], **kw: object):  # noqa: ANN201
    return grids_facts((Grid.of(rows, **kw),), "t")[1]


def test_bare_years_under_years_ended_are_fiscal_years() -> None:
    facts = facts_of(
        [
            ["", "", "Years Ended September 30,", ""],
            ["", "2019", "2018", "2017"],
            ["Fixed Price", "$  1,452.4", "$  1,146.2", "$  1,036.9"],
            ["Other", "44.1", "56.7", "—"],
        ]
    )

    assert [f.period for f in facts[:3]] == [Period("year", y) for y in (2019, 2018, 2017)]
    assert facts[-1].value == 0 and facts[-1].raw == "—"
    assert facts[0].column == "Years Ended September 30, 2019"


def test_columns_that_are_not_periods_are_dimension_members() -> None:
    facts = facts_of(
        [
            ["", "Total Expected Charges", "Cumulative Charges Incurred"],
            ["", "", "(in millions)"],
            ["Transportation Solutions", "$  160", "$  144"],
        ]
    )

    assert [(f.period, f.member) for f in facts] == [
        (None, "Total Expected Charges"),
        (None, "Cumulative Charges Incurred"),
    ]
    assert {(f.unit, f.scale) for f in facts} == {("USD", "millions")}


def test_a_change_column_beside_years() -> None:
    facts = facts_of(
        [
            ["(Dollars in millions)", "2019", "Change", "2018"],
            ["Net cash provided by operating activities", "$14,551", "-5%", "$15,386"],
        ]
    )

    assert [(f.period, f.dimension) for f in facts] == [
        (Period("year", 2019), None),
        (None, "change"),
        (Period("year", 2018), None),
    ]
    assert [(f.unit, f.scale) for f in facts] == [
        ("USD", "millions"),
        ("percent", "units"),
        ("USD", "millions"),
    ]


def test_unit_in_the_header_and_other_currencies() -> None:
    facts = facts_of([["", "2019 €m", "2018 €m"], ["Revenue", "1,234", "1,100"]])

    assert {(f.unit, f.scale) for f in facts} == {("EUR", "millions")}
    assert [f.period for f in facts] == [Period("year", 2019), Period("year", 2018)]


def test_a_label_only_row_heads_the_rows_under_it() -> None:
    facts = facts_of(
        [["", "December 31,", ""], ["", "2019", "2018"], ["Assets:", "", ""], ["Cash", "5", "6"]]
    )

    assert facts[0].row == ("Assets", "Cash")
    assert facts[0].period == Period("instant", 2019, 4)
    assert facts[0].position is not None and (facts[0].position.row, facts[0].position.col) == (
        3,
        1,
    )


def test_footnote_marks_in_headers_are_stripped() -> None:
    facts = facts_of([["", "2018 (4)", "2017 (4)"], ["Sales", "1", "2"]])

    assert [f.period for f in facts] == [Period("year", 2018), Period("year", 2017)]
    assert facts[0].value == Decimal(1)
