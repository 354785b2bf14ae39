"""The parser is general: releases of other companies, calendars and layouts parse the same way.

Every release here is built inside the test; none of them is the bundled Infinera release.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from releases import (
    FY23,
    FY24,
    HEADLINE,
    JUNE_2024_COLUMNS,
    Q3_FY24,
    Q4_FY24,
    acme_release,
    income_statement,
    parse_acme,
)

from index.facts import Fact
from index.periods import Period
from index.release import ParsedRelease, parse_release

INCOME = income_statement(
    """\
Revenue:
  Hardware           $     50,000  $     45,000  $    190,000  $    170,000
  Subscription and
   support                 20,500        19,250        80,125        70,000
                     ------------  ------------  ------------  ------------
    Total revenue          70,500        64,250       270,125       240,000
Cost of revenue            38,000        35,000       146,000       130,000
                     ------------  ------------  ------------  ------------
Gross profit               32,500        29,250       124,125       110,000
Operating expenses
 (1)                       20,000        19,000        80,000        72,000
                     ------------  ------------  ------------  ------------
Net income           $     12,500  $     10,250  $     44,125  $     38,000
                     ============  ============  ============  ============
Net income per share $       0.12  $       0.10  $       0.44  $       0.38
""",
    heading="(In thousands, except per share data)\n(Unaudited)",
)

NOTE = f"""\
(1) The following table summarizes stock-based compensation expense by function
    for the three and twelve months ended June 30, 2024 and 2023:

{JUNE_2024_COLUMNS}
Research and
 development                1,000           900         3,800         3,500
Sales and marketing           500           450         1,900         1,700
                     ------------  ------------  ------------  ------------
                            1,500         1,350         5,700         5,200
                     ============  ============  ============  ============
"""

BALANCE = """\
Acme Widgets, Inc.
Condensed Consolidated Balance Sheets
(In thousands)
                                                   June 30,      June 30,
                                                     2024          2023
                                                 ------------  ------------
Current assets:
  Cash and cash equivalents                      $     60,000  $     50,000
  Accounts receivable                                  40,000        35,000
                                                 ------------  ------------
      Total current assets                            100,000        85,000
"""

SEGMENTS = """\
Acme Widgets, Inc.
Revenue by Segment
(In millions)
(Unaudited)
                         Three Months Ended
                     --------------------------
                       June 30,     March 31,
                         2024          2024
                     ------------  ------------
Industrial           $       40.5  $       38.0
Consumer                     30.0          26.3
                     ------------  ------------
  Total              $       70.5  $       64.3
"""

TITLE = "Condensed Consolidated Statements of Income"


def of(facts: tuple[Fact, ...], label: str) -> list[Fact]:
    return [f for f in facts if f.label == label]


def shape(facts: tuple[Fact, ...]) -> list[tuple[object, ...]]:
    """What a fact says, leaving out where it sits in the file."""
    return [(f.table, f.row, f.column, f.period, f.value, f.unit, f.scale) for f in facts]


def assert_raw_text_on_its_line(parsed: ParsedRelease) -> None:
    for f in parsed.facts:
        assert f.raw in parsed.document.line(f.line), (f.line, f.raw)


# ---------------------------------------------------------------- another company, calendar


def test_another_company_and_a_june_fiscal_year() -> None:
    p = parse_acme(INCOME)
    hardware = of(p.facts, "Hardware")

    assert p.calendar.year_end_month == 6
    assert [f.period for f in hardware] == [Q4_FY24, Q3_FY24, FY24, FY23]
    assert [f.period.end for f in hardware] == [
        date(2024, 6, 30),
        date(2024, 3, 31),
        date(2024, 6, 30),
        date(2023, 6, 30),
    ]
    assert [f.period.label for f in hardware] == [
        "Q4 2024",
        "Q3 2024",
        "fiscal 2024",
        "fiscal 2023",
    ]
    assert [f.value for f in hardware] == [
        Decimal(50000),
        Decimal(45000),
        Decimal(190000),
        Decimal(170000),
    ]
    assert {f.release for f in p.facts} == {"acme-2024-q4"}
    assert {f.table for f in p.facts} == {TITLE}
    assert len(p.facts) == 8 * 4
    assert p.warnings == ()
    assert_raw_text_on_its_line(p)


def test_another_company_wrapped_labels_units_and_scale() -> None:
    p = parse_acme(INCOME)
    support = of(p.facts, "Subscription and support")
    eps = of(p.facts, "Net income per share")

    assert [f.row for f in support] == [("Revenue", "Subscription and support")] * 4
    assert [f.value for f in support] == [
        Decimal(20500),
        Decimal(19250),
        Decimal(80125),
        Decimal(70000),
    ]
    assert {(f.unit, f.scale) for f in support} == {("USD", "thousands")}
    assert {(f.unit, f.scale) for f in eps} == {("USD per share", "units")}
    assert [f.value for f in eps] == [
        Decimal("0.12"),
        Decimal("0.10"),
        Decimal("0.44"),
        Decimal("0.38"),
    ]


def test_another_company_totals_foot() -> None:
    p = parse_acme(INCOME)
    for period in (Q4_FY24, Q3_FY24, FY24, FY23):
        value = {f.label: f.value for f in p.facts if f.period == period}
        assert value["Hardware"] + value["Subscription and support"] == value["Total revenue"]
        assert value["Total revenue"] - value["Cost of revenue"] == value["Gross profit"]
        assert value["Gross profit"] - value["Operating expenses"] == value["Net income"]


def test_balance_sheet_of_a_june_year_holds_year_end_balances() -> None:
    p = parse_acme(INCOME, BALANCE)
    cash = of(p.facts, "Cash and cash equivalents")

    assert [(f.period.kind, f.period.fiscal_year, f.period.end) for f in cash] == [
        ("instant", 2024, date(2024, 6, 30)),
        ("instant", 2023, date(2023, 6, 30)),
    ]
    assert [f.period.label for f in cash] == ["June 30, 2024", "June 30, 2023"]
    assert cash[0].row == ("Current assets", "Cash and cash equivalents")


def test_a_52_53_week_year_ending_january_1_is_the_previous_fiscal_year() -> None:
    text = INCOME.replace(
        "                       June 30,     March 31,      June 30,      June 30,\n"
        "                         2024          2024          2024          2023\n",
        "                      January 1,   October 1,    January 1,    January 2,\n"
        "                         2012          2011          2012          2011\n",
    )
    assert text != INCOME
    p = parse_acme(text)
    hardware = of(p.facts, "Hardware")

    assert p.calendar.year_end_month == 12
    assert [f.period for f in hardware] == [
        Period("quarter", 2011, 4),
        Period("quarter", 2011, 3),
        Period("year", 2011),
        Period("year", 2010),
    ]
    assert hardware[0].period.end == date(2012, 1, 1)


def test_quarter_headers_of_another_company() -> None:
    table = """\
Acme Widgets, Inc.
Supplemental Financial Information
(Unaudited)

--------------------------------------------------------
                 1Q24     2Q24     3Q24     4Q24
--------------------------------------------------------
Bookings
 ($ Mil)        $61.5    $70.0    $66.2    $80.1
--------------------------------------------------------
Customers         410      432      455      480
--------------------------------------------------------
"""
    p = parse_acme(INCOME, table)
    bookings = of(p.facts, "Bookings ($ Mil)")

    assert [f.period for f in bookings] == [Period("quarter", 2024, q) for q in (1, 2, 3, 4)]
    assert bookings[3].period.end == date(2024, 6, 30)
    assert bookings[2].period.end == date(2024, 3, 31)
    assert {(f.unit, f.scale) for f in bookings} == {("USD", "millions")}
    assert [f.value for f in of(p.facts, "Customers")] == [
        Decimal(410),
        Decimal(432),
        Decimal(455),
        Decimal(480),
    ]
    assert {f.unit for f in of(p.facts, "Customers")} == {"count"}


# ---------------------------------------------------------------- layout


def shift_columns(table: str, width: int) -> str:
    """Move everything right of the label area (column 21 on) by `width` characters."""
    lines = table.splitlines()
    first = next(i for i, line in enumerate(lines) if "Months Ended" in line)
    for i in range(first, len(lines)):
        if len(lines[i]) > 21:
            lines[i] = lines[i][:21] + " " * width + lines[i][21:]
    return "\n".join(lines) + "\n"


def test_columns_shifted_right_by_several_characters_parse_the_same() -> None:
    plain = parse_acme(INCOME)
    for width in (3, 8, 15):
        shifted = parse_acme(shift_columns(INCOME, width))
        assert shape(shifted.facts) == shape(plain.facts), width
        assert shifted.warnings == ()
        assert_raw_text_on_its_line(shifted)


def test_a_table_indented_as_a_whole_parses_the_same() -> None:
    plain = parse_acme(INCOME)
    indented = parse_acme(
        "\n".join("    " + line if line else line for line in INCOME.splitlines())
    )

    assert shape(indented.facts) == shape(plain.facts)


def test_an_extra_segment_table_is_parsed_with_its_own_title_and_scale() -> None:
    p = parse_acme(INCOME, SEGMENTS)
    segment = [f for f in p.facts if f.table == "Revenue by Segment"]

    assert [t.title for t in p.document.tables] == [TITLE, "Revenue by Segment"]
    assert len(segment) == 6
    assert {(f.unit, f.scale) for f in segment} == {("USD", "millions")}
    assert {f.table_index for f in segment} == {1}
    for period in (Q4_FY24, Q3_FY24):
        value = {f.label: f.value for f in segment if f.period == period}
        assert value["Industrial"] + value["Consumer"] == value["Total"]
    q4_total = [f for f in segment if f.label == "Total" and f.period == Q4_FY24][0]
    statement = [f for f in of(p.facts, "Total revenue") if f.period == Q4_FY24][0]
    assert q4_total.absolute == statement.absolute


def test_a_note_table_without_a_title_is_named_after_its_footnote() -> None:
    p = parse_acme(INCOME + "\n" + NOTE)
    note = p.document.tables[1]
    facts = [f for f in p.facts if f.table_index == 1]

    assert note.title_lines == ()
    assert note.title == f"{TITLE}: Stock-based compensation expense by function"
    assert len(facts) == 12
    assert {(f.unit, f.scale) for f in facts} == {("USD", "thousands")}
    assert [f.value for f in facts if f.label == "Subtotal"] == [
        Decimal(1500),
        Decimal(1350),
        Decimal(5700),
        Decimal(5200),
    ]
    assert [f.period for f in facts if f.label == "Research and development"] == [
        Q4_FY24,
        Q3_FY24,
        FY24,
        FY23,
    ]


def test_the_footnote_above_a_note_table_stays_narrative() -> None:
    p = parse_acme(INCOME + "\n" + NOTE)
    footnotes = [x for x in p.document.passages if x.kind == "footnote"]

    assert len(footnotes) == 1
    assert footnotes[0].text.startswith("(1) The following table summarizes")
    assert footnotes[0].section == f"Notes to {TITLE}"


def test_every_table_of_a_full_release_parses() -> None:
    p = parse_acme(INCOME + "\n" + NOTE, BALANCE, SEGMENTS)

    assert [len([f for f in p.facts if f.table_index == i]) for i in range(4)] == [32, 12, 6, 6]
    assert p.warnings == ()
    assert_raw_text_on_its_line(p)


def test_parsing_is_a_pure_function_of_the_text() -> None:
    text = acme_release(INCOME, SEGMENTS)

    assert parse_release(text, "a").facts == parse_release(text, "a").facts


def test_a_short_sentence_after_a_table_is_narrative_not_a_truncated_row() -> None:
    p = parse_acme(SEGMENTS + "\nSegment revenue excludes intercompany sales.\n")

    assert len(p.facts) == 6
    assert any(
        "Segment revenue excludes intercompany sales." in x.text for x in p.document.passages
    )


def test_a_short_line_one_blank_line_above_a_table_does_not_become_its_title() -> None:
    p = parse_release(HEADLINE + "Financial tables follow.\n\n" + INCOME, "acme")

    assert [t.title for t in p.document.tables] == [TITLE]


def test_a_third_quarter_release_with_nine_month_columns_parses() -> None:
    q3 = """\
Acme Widgets, Inc.
Condensed Consolidated Statements of Income
(In thousands)
(Unaudited)
                         Three Months Ended          Nine Months Ended
                     --------------------------  --------------------------
                      March 31,     March 31,     March 31,     March 31,
                         2024          2023          2024          2023
                     ------------  ------------  ------------  ------------
Revenue              $     64,250  $     58,000  $    199,625  $    178,000
Cost of revenue            35,000        31,500       108,000        96,000
                     ------------  ------------  ------------  ------------
Gross profit         $     29,250  $     26,500  $     91,625  $     82,000
"""
    p = parse_acme(q3, release_id="acme-2024-q3")
    revenue = of(p.facts, "Revenue")
    nine_months = Period("ytd", 2024, 3)

    assert len(p.facts) == 12
    assert p.calendar.year_end_month == 6
    assert [f.period for f in revenue] == [
        Q3_FY24,
        Period("quarter", 2023, 3),
        nine_months,
        Period("ytd", 2023, 3),
    ]
    assert [f.period.label for f in revenue] == ["Q3 2024", "Q3 2023", "9M 2024", "9M 2023"]
    assert revenue[2].period.end == date(2024, 3, 31)
    assert p.calendar.end_of("ytd", 2024, 3) == date(2024, 3, 31)
    assert [f.value for f in of(p.facts, "Gross profit") if f.period == nine_months] == [
        Decimal(91625)
    ]
