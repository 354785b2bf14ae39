"""The fixed-width table parser: every numeric cell of every table becomes exactly one fact.

Each hard case is shown twice: on the bundled Infinera release (end to end) and on a small
table built inside the test.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from textwrap import dedent

import pytest
from releases import RELEASE_LINES

from index.cells import parse_cell
from index.config import DEFAULT_RELEASE
from index.facts import Fact
from index.periods import Period
from index.release import ParsedRelease, parse_release, read_release

TITLES = [
    "GAAP Condensed Consolidated Statements of Operations",
    "GAAP Condensed Consolidated Statements of Operations: Effects of stock-based compensation",
    "GAAP to Non-GAAP Reconciliations",
    "GAAP to Non-GAAP Reconciliations: Effects of stock-based compensation",
    "Condensed Consolidated Balance Sheets",
    "Condensed Consolidated Statements of Cash Flows",
    "Supplemental Financial Information",
]
INCOME, SBC_NOTE, RECON, RECON_SBC_NOTE, BALANCE, CASH_FLOWS, SUPPLEMENTAL = TITLES

Q4_2012 = Period("quarter", 2012, 4)
Q3_2012 = Period("quarter", 2012, 3)
Q4_2011 = Period("quarter", 2011, 4)
FY_2012 = Period("year", 2012)
FY_2011 = Period("year", 2011)
DEC_29_2012 = Period("instant", 2012, 4)

HEADLINE = (
    "Acme Widgets Reports Fourth Quarter 2012 Results\n\n"
    "SAN JOSE, CA -- Acme Widgets, Inc. today reported financial results for its fourth quarter "
    "ended December 29, 2012, and for the fiscal year then ended.\n\n\n\n"
)


# ---------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def parsed() -> ParsedRelease:
    return read_release(DEFAULT_RELEASE)


def synthetic(body: str) -> ParsedRelease:
    """A release made of a headline paragraph and the tables in `body` (dedented)."""
    return parse_release(HEADLINE + dedent(body).strip("\n") + "\n", "acme-test")


# The columns of a small table of the latest two quarters.
TWO_QUARTERS = [
    "                         Three Months Ended",
    "                     --------------------------",
    "                     December 29,  September 29,",
    "                         2012          2012",
    "                     ------------  ------------",
]


def two_quarter_table(title: str, rows: str, heading: str = "(In thousands)") -> ParsedRelease:
    """A release of one table of the latest two quarters: the company, `title`, the `heading`
    lines, the columns, then `rows` (dedented)."""
    top = ["Acme Widgets, Inc.", title, heading, *TWO_QUARTERS]
    return synthetic("\n".join(top) + "\n" + dedent(rows).strip("\n"))


# The columns of a small supplemental table: a quarter each, Q1'12 to Q4'12.
QUARTERS_OF_2012 = [
    "------------------------------------------------",
    "               Q1'12   Q2'12   Q3'12   Q4'12",
    "------------------------------------------------",
]


def quarters_of_2012_table(rows: str) -> ParsedRelease:
    """A release of one supplemental table with a column per quarter of 2012, then `rows`."""
    top = ["Acme Widgets, Inc.", "Supplemental Financial Information", *QUARTERS_OF_2012]
    return synthetic("\n".join(top) + "\n" + dedent(rows).strip("\n"))


def cells(facts: tuple[Fact, ...] | list[Fact], table: str, *row: str) -> list[Fact]:
    """The facts of one row, found by the end of its label path, in column order."""
    return [f for f in facts if f.table == table and f.row[-len(row) :] == row]


def cell(facts: tuple[Fact, ...] | list[Fact], table: str, *row: str, period: Period) -> Fact:
    found = [f for f in cells(facts, table, *row) if f.period == period]
    assert len(found) == 1, f"{table} / {row} / {period.label}: {len(found)} facts"
    return found[0]


def row_at(facts: tuple[Fact, ...] | list[Fact], line: int) -> list[Fact]:
    return [f for f in facts if f.line == line]


def place(label: str, ends: list[int], values: list[str]) -> str:
    """A table row whose i-th value ends (exclusive) at column ends[i]."""
    text = label
    for end, value in zip(ends, values, strict=True):
        text = text.ljust(end - len(value)) + value
    return text


# ---------------------------------------------------------------- counts and titles


def test_every_numeric_cell_of_the_bundled_release_becomes_one_fact(parsed: ParsedRelease) -> None:
    assert len(parsed.facts) == 531
    assert parsed.warnings == ()


def test_fact_count_of_each_table(parsed: ParsedRelease) -> None:
    counts = Counter(f.table_index for f in parsed.facts)

    assert [counts[i] for i in range(7)] == [92, 28, 110, 35, 66, 80, 120]


def test_seven_tables_with_their_titles(parsed: ParsedRelease) -> None:
    assert [t.title for t in parsed.document.tables] == TITLES
    assert [t.index for t in parsed.document.tables] == list(range(7))
    assert {(f.table_index, f.table) for f in parsed.facts} == set(enumerate(TITLES))


def test_each_table_block_spans_its_title_through_its_last_row(parsed: ParsedRelease) -> None:
    spans = [(t.first_line, t.last_line) for t in parsed.document.tables]

    assert spans == [
        (50, 128),
        (134, 152),
        (159, 254),
        (264, 284),
        (301, 368),
        (372, 448),
        (452, 517),
    ]
    for t in parsed.document.tables:
        facts = [f for f in parsed.facts if f.table_index == t.index]
        assert t.first_line < min(f.label_line for f in facts)
        assert max(f.line for f in facts) <= t.last_line


def test_no_two_facts_share_a_cell(parsed: ParsedRelease) -> None:
    by_place = Counter((f.line, f.column) for f in parsed.facts)
    by_meaning = Counter((f.table_index, f.row, f.column) for f in parsed.facts)

    assert max(by_place.values()) == 1
    assert max(by_meaning.values()) == 1


def test_every_fact_line_holds_its_raw_text(parsed: ParsedRelease) -> None:
    for f in parsed.facts:
        assert f.raw, f
        assert f.raw in RELEASE_LINES[f.line - 1], (f.line, f.raw)
        assert f.label_line <= f.line
        assert f.lines == (f.label_line, f.line)


def test_every_fact_value_is_its_raw_text_read(parsed: ParsedRelease) -> None:
    for f in parsed.facts:
        assert (f.value, f.qualifier) == parse_cell(f.raw), (f.line, f.raw)


def test_every_fact_carries_the_release_id(parsed: ParsedRelease) -> None:
    assert {f.release for f in parsed.facts} == {"infinera-2012-q4"}


# ---------------------------------------------------------------- wrapped labels


def test_wrapped_label_takes_value_from_last_line(parsed: ParsedRelease) -> None:
    f = cell(
        parsed.facts,
        INCOME,
        "Revenue",
        "Ratable product and related support and services",
        period=Q4_2012,
    )

    assert (f.value, f.line, f.label_line) == (Decimal(393), 64, 61)


def test_wrapped_total_label_is_joined_into_one_label(parsed: ParsedRelease) -> None:
    f = cell(parsed.facts, INCOME, "Total other income (expense), net", period=FY_2012)

    assert (f.value, f.line, f.label_line) == (Decimal(-139), 108, 106)


def test_wrapped_label_in_a_small_table() -> None:
    p = two_quarter_table(
        "Condensed Consolidated Statements of Operations",
        """
        Revenue:
          Hardware           $     50,000  $     45,000
          Subscription
           and related
           support services         2,500         2,250
                             ------------  ------------
            Total revenue          52,500        47,250
        """,
    )
    row = cells(
        p.facts,
        "Condensed Consolidated Statements of Operations",
        "Revenue",
        "Subscription and related support services",
    )

    assert [f.value for f in row] == [Decimal(2500), Decimal(2250)]
    first = p.document.lines.index("  Subscription") + 1
    assert {(f.label_line, f.line) for f in row} == {(first, first + 2)}
    assert len(p.facts) == 6


# ---------------------------------------------------------------- labels holding numbers


def test_common_stock_label_numbers_are_label_text(parsed: ParsedRelease) -> None:
    row = row_at(parsed.facts, 360)

    assert [x.value for x in row] == [Decimal(112), Decimal(107)]
    assert "112,461 as of December 29, 2012" in row[0].label
    assert "106,976 as of December 31, 2011" in row[0].label
    assert row[0].label_line == 357
    assert row[0].row[-2] == "Stockholders' equity"
    assert [x.period for x in row] == [DEC_29_2012, Period("instant", 2011, 4)]


def test_accounts_receivable_allowance_is_label_text(parsed: ParsedRelease) -> None:
    row = row_at(parsed.facts, 316)

    assert [x.value for x in row] == [Decimal(107039), Decimal(80616)]
    assert row[0].label == (
        "Accounts receivable, net of allowance for doubtful accounts of $94 in 2012 and $0 in 2011"
    )
    assert row[0].label_line == 314
    assert not row_at(parsed.facts, 314) and not row_at(parsed.facts, 315)


def test_no_fact_comes_from_a_label_line(parsed: ParsedRelease) -> None:
    lines_with_numbers_in_labels = {314, 315, 354, 355, 357, 358, 359}

    assert not {f.line for f in parsed.facts} & lines_with_numbers_in_labels


def test_numbers_inside_a_wrapped_label_in_a_small_table() -> None:
    p = synthetic(
        """
        Acme Widgets, Inc.
        Condensed Consolidated Balance Sheets
        (In thousands)
                                                         December 29,  December 31,
                                                             2012          2011
                                                         ------------  ------------
        Stockholders' equity:
            Common stock, $0.001 par value; 500,000
             shares authorized; 120,500 and 118,250
             shares issued as of 2012 and 2011                    121           118
            Accumulated deficit                              (10,250)       (9,000)
        """
    )

    assert [(f.label, f.value) for f in p.facts] == [
        (
            "Common stock, $0.001 par value; 500,000 shares authorized; 120,500 and 118,250 "
            "shares issued as of 2012 and 2011",
            Decimal(121),
        ),
        (
            "Common stock, $0.001 par value; 500,000 shares authorized; 120,500 and 118,250 "
            "shares issued as of 2012 and 2011",
            Decimal(118),
        ),
        ("Accumulated deficit", Decimal(-10250)),
        ("Accumulated deficit", Decimal(-9000)),
    ]


# ---------------------------------------------------------------- unlabeled subtotal


def test_unlabeled_subtotal_row_is_called_subtotal(parsed: ParsedRelease) -> None:
    f = cell(parsed.facts, SBC_NOTE, "Subtotal", period=Q4_2012)
    g = cell(parsed.facts, RECON_SBC_NOTE, "Subtotal", period=Q3_2012)

    assert (f.value, f.line, f.label_line, f.row) == (Decimal(8186), 145, 145, ("Subtotal",))
    assert (g.value, g.line) == (Decimal(9611), 277)


def test_unlabeled_subtotal_in_a_small_table() -> None:
    p = two_quarter_table(
        "Stock-based Compensation",
        """
        Cost of revenue      $        700  $        650
        Research                    2,800         2,700
                             ------------  ------------
                                    3,500         3,350
        Amortization                  100            90
                             ------------  ------------
        Total                $      3,600  $      3,440
        """,
    )

    assert [(f.label, f.value) for f in p.facts if f.period == Q4_2012] == [
        ("Cost of revenue", Decimal(700)),
        ("Research", Decimal(2800)),
        ("Subtotal", Decimal(3500)),
        ("Amortization", Decimal(100)),
        ("Total", Decimal(3600)),
    ]


# ---------------------------------------------------------------- headers over several lines


def test_reconciliation_header_over_two_lines(parsed: ParsedRelease) -> None:
    row = row_at(parsed.facts, 172)

    assert [f.period for f in row] == [Q4_2012, Q3_2012, Q4_2011, FY_2012, FY_2011]
    assert [f.period.end for f in row] == [
        date(2012, 12, 29),
        date(2012, 9, 29),
        date(2011, 12, 31),
        date(2012, 12, 29),
        date(2011, 12, 31),
    ]
    assert row[1].column == "Three Months Ended September 29, 2012"
    assert row[3].column == "Twelve Months Ended December 29, 2012"


def test_note_table_header_over_three_lines(parsed: ParsedRelease) -> None:
    row = row_at(parsed.facts, 270)

    assert [f.period for f in row] == [Q4_2012, Q3_2012, Q4_2011, FY_2012, FY_2011]
    assert row[1].period.end == date(2012, 9, 29)
    assert [f.column for f in row] == [
        "Three Months Ended December 29, 2012",
        "Three Months Ended September 29, 2012",
        "Three Months Ended December 31, 2011",
        "Twelve Months Ended December 29, 2012",
        "Twelve Months Ended December 31, 2011",
    ]


def test_balance_sheet_columns_are_balance_dates(parsed: ParsedRelease) -> None:
    row = row_at(parsed.facts, 312)

    assert [(f.period.kind, f.period.end) for f in row] == [
        ("instant", date(2012, 12, 29)),
        ("instant", date(2011, 12, 31)),
    ]
    assert [f.period.label for f in row] == ["December 29, 2012", "December 31, 2011"]


def test_header_over_three_lines_in_a_small_table() -> None:
    p = synthetic(
        """
        Acme Widgets, Inc.
        Condensed Consolidated Statements of Operations
        (In thousands)
                                Three Months Ended      Twelve Months Ended
                             ------------------------  --------------------
                              December    September     December   December
                                 29,         29,           29,        31,
                                2012        2012          2012       2011
                             ----------  ----------  ---------- ----------
        Revenue              $   50,000  $   45,000  $  190,000 $  170,000
        """
    )

    assert [(f.period, f.period.end, f.value) for f in p.facts] == [
        (Q4_2012, date(2012, 12, 29), Decimal(50000)),
        (Q3_2012, date(2012, 9, 29), Decimal(45000)),
        (FY_2012, date(2012, 12, 29), Decimal(190000)),
        (FY_2011, date(2011, 12, 31), Decimal(170000)),
    ]


def test_quarter_headers_become_fiscal_quarters(parsed: ParsedRelease) -> None:
    row = row_at(parsed.facts, 460)

    assert [f.column for f in row] == [
        "Q1'11",
        "Q2'11",
        "Q3'11",
        "Q4'11",
        "Q1'12",
        "Q2'12",
        "Q3'12",
        "Q4'12",
    ]
    assert [f.period for f in row] == [
        Period("quarter", year, q) for year in (2011, 2012) for q in (1, 2, 3, 4)
    ]
    assert row[-1].period.end == date(2012, 12, 29)
    assert row[6].period.end == date(2012, 9, 29)


def test_quarter_headers_in_a_small_table() -> None:
    p = synthetic(
        """
        Acme Widgets, Inc.
        Supplemental Financial Information
        ------------------------------------------------
                        1Q12    2Q12    3Q12    4Q12
        ------------------------------------------------
        Headcount      1,210   1,228   1,235   1,242
        ------------------------------------------------
        """
    )

    assert [(f.period, f.value) for f in p.facts] == [
        (Period("quarter", 2012, 1), Decimal(1210)),
        (Period("quarter", 2012, 2), Decimal(1228)),
        (Period("quarter", 2012, 3), Decimal(1235)),
        (Period("quarter", 2012, 4), Decimal(1242)),
    ]


# ---------------------------------------------------------------- cells


@pytest.mark.parametrize(
    ("raw", "value", "qualifier"),
    [
        ("$ (16,088)", Decimal(-16088), None),
        ("$    (16,088)", Decimal(-16088), None),
        ("(0.14)", Decimal("-0.14"), None),
        ("$      (0.14)", Decimal("-0.14"), None),
        ("-", Decimal(0), None),
        ("$          -", Decimal(0), None),
        ("48%", Decimal(48), None),
        ("< 10%", Decimal(10), "<"),
        ("$(0.9)", Decimal("-0.9"), None),
        ("$128.1", Decimal("128.1"), None),
        ("1,242", Decimal(1242), None),
        ("112", Decimal(112), None),
        ("-5", Decimal(-5), None),
    ],
)
def test_cell_is_read_as_printed(raw: str, value: Decimal, qualifier: str | None) -> None:
    assert parse_cell(raw) == (value, qualifier)


def test_cell_keeps_its_printed_decimals() -> None:
    assert str(parse_cell("$96.0")[0]) == "96.0"
    assert str(parse_cell("$ (0.10)")[0]) == "-0.10"


def test_negative_dollar_cell_in_the_release(parsed: ParsedRelease) -> None:
    f = cell(parsed.facts, INCOME, "Net loss", period=Q4_2012)

    assert (f.value, f.raw, f.line, f.unit, f.scale) == (
        Decimal(-16088),
        "$    (16,088)",
        115,
        "USD",
        "thousands",
    )
    assert f.absolute == Decimal(-16088000)


def test_parenthesised_per_share_cell_in_the_release(parsed: ParsedRelease) -> None:
    f = cell(parsed.facts, INCOME, "Net loss per common share, basic and diluted", period=Q4_2012)

    assert (f.value, f.line, f.unit, f.scale) == (Decimal("-0.14"), 120, "USD per share", "units")


def test_dash_cell_is_zero(parsed: ParsedRelease) -> None:
    row = row_at(parsed.facts, 93)

    assert [(f.raw, f.value) for f in row] == [
        ("-", Decimal(0)),
        ("(129)", Decimal(-129)),
        ("-", Decimal(0)),
        ("(129)", Decimal(-129)),
    ]


def test_percent_cell(parsed: ParsedRelease) -> None:
    f = cell(parsed.facts, SUPPLEMENTAL, "Gross Margin %", period=Period("quarter", 2011, 1))

    assert (f.value, f.raw, f.unit, f.scale, f.line) == (
        Decimal(48),
        "48%",
        "percent",
        "units",
        463,
    )


def test_less_than_cell_keeps_its_qualifier(parsed: ParsedRelease) -> None:
    row = row_at(parsed.facts, 475)
    q3_11 = row[2]

    assert q3_11.period == Period("quarter", 2011, 3)
    assert (q3_11.value, q3_11.qualifier, q3_11.raw, q3_11.unit) == (
        Decimal(10),
        "<",
        "< 10%",
        "percent",
    )
    assert [f.qualifier for f in row] == [None, None, "<", None, None, None, None, None]
    assert row[1].value == Decimal(10) and row[1].raw == "10%"


def test_dollar_parenthesis_millions_cell(parsed: ParsedRelease) -> None:
    f = row_at(parsed.facts, 483)[0]

    assert f.period == Period("quarter", 2011, 1)
    assert (f.value, f.raw, f.unit, f.scale) == (Decimal("-0.9"), "$(0.9)", "USD", "millions")
    assert f.absolute == Decimal(-900000)


def test_every_cell_shape_in_a_small_table() -> None:
    p = quarters_of_2012_table(
        """
        Cash from
         Operations
         ($ Mil)      $(0.9)   $4.1  $(22.7)   $8.3
        ------------------------------------------------
        Largest
         Customer %      14%  < 10%      13%     9%
        ------------------------------------------------
        """
    )
    values = [(f.label, f.value, f.qualifier, f.unit, f.scale) for f in p.facts]

    assert values == [
        ("Cash from Operations ($ Mil)", Decimal("-0.9"), None, "USD", "millions"),
        ("Cash from Operations ($ Mil)", Decimal("4.1"), None, "USD", "millions"),
        ("Cash from Operations ($ Mil)", Decimal("-22.7"), None, "USD", "millions"),
        ("Cash from Operations ($ Mil)", Decimal("8.3"), None, "USD", "millions"),
        ("Largest Customer %", Decimal(14), None, "percent", "units"),
        ("Largest Customer %", Decimal(10), "<", "percent", "units"),
        ("Largest Customer %", Decimal(13), None, "percent", "units"),
        ("Largest Customer %", Decimal(9), None, "percent", "units"),
    ]


def test_dash_in_a_percent_row_is_a_zero_percent() -> None:
    p = quarters_of_2012_table(
        """
        Largest
         Customer %      14%     12%      -      13%
        ------------------------------------------------
        """
    )
    q3 = [f for f in p.facts if f.period == Period("quarter", 2012, 3)]

    assert [(f.value, f.raw) for f in q3] == [(Decimal(0), "-")]
    assert {f.unit for f in p.facts} == {"percent"}


# ---------------------------------------------------------------- drifting columns

HEADER = [
    "Acme Widgets, Inc.",
    "Condensed Consolidated Statements of Operations",
    "(In thousands)",
    "                         Three Months Ended        Twelve Months Ended",
    "                     --------------------------  ----------------------",
    "                     December 29,  September 29, December 29,",
    "                         2012          2012          2012",
    "                     ------------  ------------  ------------",
]
ENDS = [33, 47, 61]  # where each dash run of the last rule ends (exclusive)
REVENUE_ROW = place("Revenue", ENDS, ["$     50,000", "$     45,000", "$    190,000"])


def test_cells_that_drift_from_the_rule_are_still_parsed_right() -> None:
    drifting = {
        "Services": ([31, 48, 63], ["2,500", "2,250", "9,000"]),
        "Restructuring": ([35, 46, 59], ["-", "(129)", "-"]),
        "Other gain": ([32, 49, 60], ["(158)", "-", "1,050"]),
        "Taxes": ([34, 45, 62], ["650", "546", "2,190"]),
    }
    for ends, _ in drifting.values():
        assert all(1 <= abs(end - rule_end) <= 2 for end, rule_end in zip(ends, ENDS, strict=True))
    rows = [REVENUE_ROW]
    rows += [place(label, ends, values) for label, (ends, values) in drifting.items()]
    p = synthetic("\n".join(HEADER + rows))
    by_label = {
        label: [(f.period, f.value) for f in p.facts if f.label == label]
        for label in ("Revenue", *drifting)
    }

    assert p.warnings == ()
    assert by_label == {
        "Revenue": [
            (Q4_2012, Decimal(50000)),
            (Q3_2012, Decimal(45000)),
            (FY_2012, Decimal(190000)),
        ],
        "Services": [(Q4_2012, Decimal(2500)), (Q3_2012, Decimal(2250)), (FY_2012, Decimal(9000))],
        "Restructuring": [(Q4_2012, Decimal(0)), (Q3_2012, Decimal(-129)), (FY_2012, Decimal(0))],
        "Other gain": [(Q4_2012, Decimal(-158)), (Q3_2012, Decimal(0)), (FY_2012, Decimal(1050))],
        "Taxes": [(Q4_2012, Decimal(650)), (Q3_2012, Decimal(546)), (FY_2012, Decimal(2190))],
    }


def test_a_drifting_row_with_a_missing_cell_puts_its_values_under_the_right_columns() -> None:
    licenses_row = place("Licenses", [31, 63], ["700", "2,900"])
    rows = [REVENUE_ROW, licenses_row]
    p = synthetic("\n".join(HEADER + rows))
    licenses = [(f.period, f.value) for f in p.facts if f.label == "Licenses"]
    line = p.document.lines.index(licenses_row) + 1

    assert licenses == [(Q4_2012, Decimal(700)), (FY_2012, Decimal(2900))]
    assert len(p.warnings) == 1
    assert f"line {line}" in p.warnings[0]
    assert "September 29, 2012" in p.warnings[0]


# ---------------------------------------------------------------- scale


def test_scale_comes_from_the_table_heading(parsed: ParsedRelease) -> None:
    for title in (INCOME, RECON, BALANCE, CASH_FLOWS):
        money = [f for f in parsed.facts if f.table == title and f.unit == "USD"]
        assert money and {f.scale for f in money} == {"thousands"}, title


def test_note_table_without_heading_takes_its_parents_scale(parsed: ParsedRelease) -> None:
    for title in (SBC_NOTE, RECON_SBC_NOTE):
        facts = [f for f in parsed.facts if f.table == title]
        assert {(f.unit, f.scale) for f in facts} == {("USD", "thousands")}, title


def test_scale_comes_from_the_row_label_when_the_table_has_none(parsed: ParsedRelease) -> None:
    mil = [f for f in parsed.facts if f.table == SUPPLEMENTAL and "($ Mil)" in f.label]

    assert {f.label for f in mil} == {
        "Revenue ($ Mil)",
        "Cash from (used in) Operations ($ Mil)",
        "Capital Expenditures ($ Mil)",
        "Depreciation & Amortization ($ Mil)",
        "Raw Materials ($ Mil)",
        "Work in Process ($ Mil)",
        "Finished Goods ($ Mil)",
        "Total Inventory ($ Mil)",
    }
    assert {(f.unit, f.scale) for f in mil} == {("USD", "millions")}
    assert len(mil) == 64


def test_per_share_and_percent_cells_are_never_scaled(parsed: ParsedRelease) -> None:
    for f in parsed.facts:
        if f.unit in {"USD per share", "percent", "days", "ratio", "count"}:
            assert f.scale == "units", (f.line, f.label)


def test_scale_from_heading_and_row_label_in_a_small_table() -> None:
    p = two_quarter_table(
        "Segment Results",
        """
        Revenue              $       70.5  $       64.3
        Earnings per share   $       0.12  $       0.10
        Backlog ($K)              125,000       118,000
        """,
        heading="(In millions, except per share data)",
    )
    scales = {f.label: (f.unit, f.scale) for f in p.facts}

    assert scales == {
        "Revenue": ("USD", "millions"),
        "Earnings per share": ("USD per share", "units"),
        "Backlog ($K)": ("USD", "thousands"),
    }


# ---------------------------------------------------------------- row paths


def test_same_label_under_different_sections_has_distinct_rows(parsed: ParsedRelease) -> None:
    gross = cell(
        parsed.facts,
        RECON,
        "Reconciliation of Gross Profit",
        "U.S. GAAP as reported",
        period=Q4_2012,
    )
    net = cell(
        parsed.facts,
        RECON,
        "Reconciliation of Net Loss",
        "U.S. GAAP as reported",
        period=Q4_2012,
    )

    assert gross.row == ("Reconciliation of Gross Profit", "U.S. GAAP as reported")
    assert net.row == ("Reconciliation of Net Loss", "U.S. GAAP as reported")
    assert (gross.value, gross.line) == (Decimal(43268), 172)
    assert (net.value, net.line) == (Decimal(-16088), 206)


def test_every_reconciliation_section_has_its_own_non_gaap_row(parsed: ParsedRelease) -> None:
    sections = {f.row[0] for f in cells(parsed.facts, RECON, "Non-GAAP as adjusted")}

    assert sections == {
        "Reconciliation of Gross Profit",
        "Reconciliation of Gross Margin",
        "Reconciliation of Loss from Operations",
        "Reconciliation of Net Loss",
        "Reconciliation of Net Loss per Common Share - Basic",
        "Reconciliation of Net Loss per CommonShare - Diluted",
    }


def test_sections_nest_and_totals_close_them(parsed: ParsedRelease) -> None:
    rows = {f.line: f.row for f in parsed.facts}

    assert rows[60] == ("Revenue", "Product")
    assert rows[67] == ("Revenue", "Total revenue")
    assert rows[71] == ("Cost of revenue", "Cost of product")
    assert rows[81] == ("Gross profit",)
    assert rows[98] == ("Loss from operations",)
    assert rows[115] == ("Net loss",)
    assert rows[312] == ("ASSETS", "Current assets", "Cash and cash equivalents")
    assert rows[324] == ("ASSETS", "Property, plant and equipment, net")
    assert rows[338][-2:] == ("Current liabilities", "Accounts payable")
    assert rows[365][-2:] == ("Stockholders' equity", "Total stockholders' equity")
    assert rows[469] == ("Invoiced Shipment Composition", "Domestic %")


def test_operating_cash_total_is_not_inside_the_working_capital_subsection(
    parsed: ParsedRelease,
) -> None:
    total = row_at(parsed.facts, 406)[0]

    assert total.label == "Net cash used in operating activities"
    assert "Changes in assets and liabilities" not in total.row, total.row


def test_cash_flow_rows_after_the_financing_total_are_not_financing_rows(
    parsed: ParsedRelease,
) -> None:
    for line in (433, 435, 436, 438):
        f = row_at(parsed.facts, line)[0]
        assert "Cash Flows from Financing Activities" not in f.row, (line, f.row)


def test_sections_in_a_small_table() -> None:
    p = two_quarter_table(
        "Condensed Consolidated Statements of Operations",
        """
        Revenue:
          Product            $     50,000  $     45,000
          Services                  2,500         2,250
                             ------------  ------------
            Total revenue          52,500        47,250

        Operating expenses:
          Research                 20,000        19,000
          Sales                    10,000         9,500
                             ------------  ------------
            Total operating
             expenses              30,000        28,500

        Operating income           22,500        18,750
        """,
    )
    rows = [f.row for f in p.facts if f.period == Q4_2012]

    assert rows == [
        ("Revenue", "Product"),
        ("Revenue", "Services"),
        ("Revenue", "Total revenue"),
        ("Operating expenses", "Research"),
        ("Operating expenses", "Sales"),
        ("Operating expenses", "Total operating expenses"),
        ("Operating income",),
    ]


# ---------------------------------------------------------------- units


def test_units_of_the_bundled_release(parsed: ParsedRelease) -> None:
    unit = {f.line: f.unit for f in parsed.facts}

    assert unit[60] == "USD"  # product revenue
    assert unit[120] == "USD per share"  # net loss per share
    assert unit[220] == "USD per share"  # reconciliation, basic
    assert unit[233] == "USD per share"  # reconciliation, diluted non-GAAP
    assert unit[127] == "shares"  # weighted average shares
    assert unit[241] == unit[253] == "shares"
    assert unit[182] == "percent"  # gross margin
    assert unit[493] == "days"  # DSO's
    assert unit[516] == "count"  # headcount
    assert unit[513] == "ratio"  # inventory turns
    assert unit[460] == "USD"  # revenue ($ Mil)


def test_every_unit_is_a_known_unit(parsed: ParsedRelease) -> None:
    assert {f.unit for f in parsed.facts} == {
        "USD",
        "USD per share",
        "shares",
        "percent",
        "days",
        "count",
        "ratio",
    }


def test_share_counts_keep_the_table_scale(parsed: ParsedRelease) -> None:
    f = row_at(parsed.facts, 127)[0]

    assert (f.unit, f.scale, f.value) == ("shares", "thousands", Decimal(112311))


def test_units_in_a_small_table() -> None:
    p = two_quarter_table(
        "Key Metrics",
        """
        Revenue              $     50,000  $     45,000
        Net income per share $       0.12  $       0.10
        Weighted average
         shares outstanding       112,311       111,579
        Days sales
         outstanding (DSO)             74            57
        Inventory turns               2.6           2.3
        Employees                   1,242         1,235
        Gross margin                  36%           39%
        """,
        heading="(In thousands, except per share data)",
    )
    units = {f.label: f.unit for f in p.facts}

    assert units == {
        "Revenue": "USD",
        "Net income per share": "USD per share",
        "Weighted average shares outstanding": "shares",
        "Days sales outstanding (DSO)": "days",
        "Inventory turns": "ratio",
        "Employees": "count",
        "Gross margin": "percent",
    }


# ---------------------------------------------------------------- basis


@pytest.mark.parametrize(
    ("label", "basis"),
    [
        pytest.param("U.S. GAAP as reported", "GAAP", id="gaap_as_reported_rows_are_gaap"),
        pytest.param(
            "Non-GAAP as adjusted", "non-GAAP", id="non_gaap_as_adjusted_rows_are_non_gaap"
        ),
    ],
)
def test_reconciliation_rows_have_the_basis_their_label_names(
    parsed: ParsedRelease, label: str, basis: str
) -> None:
    rows = cells(parsed.facts, RECON, label)

    assert len(rows) == 30
    assert {f.basis for f in rows} == {basis}


def test_non_gaap_share_counts_are_non_gaap(parsed: ParsedRelease) -> None:
    assert {f.basis for f in row_at(parsed.facts, 253)} == {"non-GAAP"}
    assert {f.basis for f in row_at(parsed.facts, 241)} == {"GAAP"}


def test_supplemental_rows_marked_by_a_non_gaap_footnote_are_non_gaap(
    parsed: ParsedRelease,
) -> None:
    basis = {f.label: f.basis for f in parsed.facts if f.table == SUPPLEMENTAL}

    assert basis["Gross Margin %"] == "non-GAAP"
    assert basis["Inventory Turns"] == "non-GAAP"
    assert basis["Revenue ($ Mil)"] is None
    assert basis["Worldwide Headcount"] is None


def test_statement_titled_gaap_is_gaap(parsed: ParsedRelease) -> None:
    assert {f.basis for f in parsed.facts if f.table == INCOME} == {"GAAP"}


def test_basis_in_a_small_table() -> None:
    p = two_quarter_table(
        "Supplemental Financial Information",
        """
        Revenue              $     50,000  $     45,000
        Adjusted EBITDA (1)         9,000         8,000
        GAAP net income             4,000         3,500
        Non-GAAP net income         6,000         5,500

        (1) Adjusted EBITDA is a non-GAAP measure; see the reconciliation below.
        """,
    )
    basis = {f.label: f.basis for f in p.facts}

    assert basis == {
        "Revenue": None,
        "Adjusted EBITDA": "non-GAAP",
        "GAAP net income": "GAAP",
        "Non-GAAP net income": "non-GAAP",
    }


# ---------------------------------------------------------------- titles


def test_note_table_title_names_its_parent_and_subject(parsed: ParsedRelease) -> None:
    note = parsed.document.tables[1]

    assert note.title_lines == ()
    assert note.title == SBC_NOTE
    assert note.preamble[0][0] == 130


def test_table_title_skips_company_and_parenthesised_lines() -> None:
    p = two_quarter_table(
        "Condensed Consolidated Statements of Cash Flows",
        """
        Net income           $      4,000  $      3,500
        """,
        heading="(In thousands)\n(Unaudited)",
    )

    assert [t.title for t in p.document.tables] == [
        "Condensed Consolidated Statements of Cash Flows"
    ]
    assert {f.table for f in p.facts} == {"Condensed Consolidated Statements of Cash Flows"}
