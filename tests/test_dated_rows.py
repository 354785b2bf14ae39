"""Tables whose rows carry the period: a roll-forward's dated balances and the movements
between them, a schedule with a year per row, and column headers that date a column in other
ways (a quarter named in words over two header rows)."""

from __future__ import annotations

import json
from datetime import date

from index.dated_rows import dated_label, row_periods, year_label
from index.periods import Calendar, Period
from index.readers.tatqa import read
from index.release import parse_read

ROLL_FORWARD = [
    ["", "Widgets", "Gadgets", "Total"],
    ["Balance at March 31, 2020", "100", "40", "140"],
    ["Additions", "12", "3", "15"],
    ["Balance at March 31, 2021", "112", "43", "155"],
    ["Additions", "5", "7", "12"],
    ["Balance at March 31, 2022", "117", "50", "167"],
]

SCHEDULE = [
    ["", "Rent", "Loans"],
    ["2031", "$90", "$7"],
    ["2032", "80", "7"],
    ["2033", "75", "5"],
    ["Total", "$245", "$19"],
]


def facts_of(table: list[list[str]]) -> list:
    return parse_read(read(json.dumps({"table": table, "paragraphs": []}), "t")).facts


def test_a_dated_label_is_its_words_and_a_balance_date() -> None:
    got = dated_label("Outstanding as of June 30, 2021", Calendar())

    assert got is not None
    label, period = got
    assert label == "Outstanding"
    assert period.kind == "instant" and period.end == date(2021, 6, 30)


def test_a_label_with_words_after_its_date_is_not_dated() -> None:
    assert dated_label("Notes due June 30, 2021 and thereafter", Calendar()) is None


def test_one_dated_label_alone_dates_nothing() -> None:
    assert row_periods([("Balance at June 30, 2021",), ("Additions",)], Calendar()) == [None, None]


def test_only_a_bare_year_is_a_year_label() -> None:
    assert year_label("2031") is not None
    assert year_label("2031 and after") is None


def test_roll_forward_balances_take_their_date_and_keep_their_column_member() -> None:
    facts = facts_of(ROLL_FORWARD)
    balance = {
        (f.member, f.period.end): f.value
        for f in facts
        if f.row == ("Balance",) and f.period is not None
    }

    assert balance[("Gadgets", date(2021, 3, 31))] == 43
    assert balance[("Total", date(2022, 3, 31))] == 167


def test_movements_between_two_balances_a_year_apart_are_that_years_flow() -> None:
    facts = facts_of(ROLL_FORWARD)
    additions = {
        (f.member, f.period.fiscal_year): f.value for f in facts if f.row[-1] == "Additions"
    }

    assert {f.row for f in facts if f.row[-1] == "Additions"} == {("Balance", "Additions")}
    assert {f.period.kind for f in facts if f.row[-1] == "Additions"} == {"year"}
    assert additions[("Widgets", 2021)] == 12
    assert additions[("Gadgets", 2022)] == 7


def test_year_rows_turn_around_the_column_is_the_line_and_the_row_its_year() -> None:
    facts = facts_of(SCHEDULE)
    rent = {f.period.fiscal_year: f.value for f in facts if f.row == ("Rent",)}

    assert rent == {2031: 90, 2032: 80, 2033: 75}
    assert {f.member for f in facts if f.row == ("Total",)} == {"Rent", "Loans"}


def test_a_table_dated_by_its_columns_keeps_its_row_labels() -> None:
    table = [["", "2021", "2020"], ["Balance at March 31, 2020", "5", "4"], ["2019", "1", "2"]]
    facts = facts_of(table)

    assert ("Balance at March 31, 2020",) in {f.row for f in facts}
    assert {f.period for f in facts} == {Period("year", 2021), Period("year", 2020)}


def test_a_quarter_named_in_words_under_its_fiscal_year_is_that_quarter() -> None:
    table = [
        ["", "", "Fiscal 2031", ""],
        ["", "First", "Second", "Third"],
        ["", "Quarter", "Quarter", "Quarter"],
        ["Sales", "$10", "$11", "$12"],
    ]
    periods = {f.value: f.period for f in facts_of(table)}

    assert (periods[11].kind, periods[11].fiscal_year, periods[11].quarter) == ("quarter", 2031, 2)


def test_a_section_heading_that_only_dates_the_rows_under_it_is_their_period() -> None:
    table = [
        ["", "Gross", "Allowance", "Net"],
        ["March 31, 2031", "", "", ""],
        ["Trade", "$50", "$(5)", "$45"],
        ["Total", "$80", "$(6)", "$74"],
        ["March 31, 2030", "", "", ""],
        ["Trade", "$40", "$(4)", "$36"],
        ["Total", "$70", "$(5)", "$65"],
    ]
    facts = facts_of(table)
    net = {f.period.end: f.value for f in facts if f.row == ("Total",) and f.member == "Net"}

    assert net == {date(2031, 3, 31): 74, date(2030, 3, 31): 65}


def test_quarter_columns_under_a_year_heading_are_that_years_quarters() -> None:
    table = [
        ["", "First", "Second", "Third", "Fourth"],
        ["2031", "", "", "", ""],
        ["Net sales", "$10", "$11", "$12", "$13"],
        ["2030", "", "", "", ""],
        ["Net sales", "$8", "$9", "$9", "$10"],
    ]
    periods = {f.period for f in facts_of(table) if f.value == 12}

    assert periods == {Period("quarter", 2031, 3)}


def test_a_year_column_marked_restated_is_still_that_year() -> None:
    table = [["", "2031 $'000", "2030 $'000 RESTATED2"], ["Revenue", "120", "100"]]
    periods = {f.value: f.period for f in facts_of(table)}

    assert periods[100] == Period("year", 2030)
