"""The tie-out audit: totals foot, statements agree, prose figures restate their cells.

The bundled release must tie out; small releases written here show that a wrong total, a
broken tie between two statements and a wrong prose figure are each found at their line.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from releases import write_release

from bot.audit_cli import run_audit_command
from index.audit import (
    KINDS,
    NO_SOURCE,
    SKIPPED,
    AuditReport,
    Check,
    LatestPeriods,
    audit,
    read_figures,
)
from index.config import DEFAULT_RELEASE
from index.periods import Period
from index.release import parse_release, read_release
from index.segment import Passage

# The columns of the statement of operations and of the reconciliations: Q4 2024, Q4 2023, fiscal
# 2024 and fiscal 2023.
DECEMBER_2024_COLUMNS = """\
                         Three Months Ended          Twelve Months Ended
                     --------------------------  --------------------------
                     December 31,  December 31,  December 31,  December 31,
                         2024          2023          2024          2023
                     ------------  ------------  ------------  ------------"""

CLEAN = f"""\
Acme Widgets Reports Fourth Quarter and Fiscal Year 2024 Financial Results

SAN JOSE, CA -- Feb 10, 2025 -- Acme Widgets, Inc. (NASDAQ: ACME) today reported results for the \
fourth quarter and fiscal year ended December 31, 2024.

GAAP revenue for the quarter was $70.5 million compared to $64.3 million in the fourth quarter of \
2023. GAAP revenue for the year was $270.1 million compared to $240.0 million in 2023.

GAAP gross margin for the quarter was 46% compared to 45% in the fourth quarter of 2023. GAAP net \
loss for the quarter was $(2.1) million, or $(0.04) per share, compared to $(2.6) million, or \
$(0.05) per share, in the fourth quarter of 2023.

Non-GAAP net loss for the year was $(7.9) million compared to $(8.3) million in 2023.

"We added 12 new customers during the quarter," said the chief executive. Analysts may call \
1-800-555-0100 at 5:00 p.m. Eastern Time.



Acme Widgets, Inc.
Condensed Consolidated Statements of Operations
(In thousands, except per share data)
(Unaudited)
{DECEMBER_2024_COLUMNS}
Revenue:
  Product            $     60,000  $     55,000  $    230,000  $    205,000
  Services                 10,500         9,300        40,125        35,000
                     ------------  ------------  ------------  ------------
    Total revenue          70,500        64,300       270,125       240,000

Cost of revenue            38,000        35,400       146,000       130,000

Gross profit               32,500        28,900       124,125       110,000

Operating expenses:
  Research and
   development             20,000        18,000        80,000        70,000
  Sales and marketing      14,000        13,000        54,000        50,000
                     ------------  ------------  ------------  ------------
    Total operating
     expenses              34,000        31,000       134,000       120,000

Loss from operations       (1,500)       (2,100)       (9,875)      (10,000)
Provision for income
 taxes                        600           500         2,000         1,800
                     ------------  ------------  ------------  ------------
Net loss             $     (2,100) $     (2,600) $    (11,875) $    (11,800)
                     ============  ============  ============  ============

Net loss per share,
 basic and diluted   $      (0.04) $      (0.05) $      (0.24) $      (0.25)
                     ============  ============  ============  ============

Weighted average
 shares, basic and
 diluted                   50,000        49,000        49,500        48,000
                     ============  ============  ============  ============



Acme Widgets, Inc.
GAAP to Non-GAAP Reconciliations
(In thousands, except per share data)
(Unaudited)
{DECEMBER_2024_COLUMNS}
Reconciliation of
 Gross Margin:
U.S. GAAP as
 reported                    46%           45%           46%           46%
Stock-based
 compensation                 1%            1%            1%            1%
                     ------------  ------------  ------------  ------------
Non-GAAP as adjusted         47%           46%           47%           47%
                     ============  ============  ============  ============

Reconciliation of
 Net Loss:
U.S. GAAP as
 reported            $     (2,100) $     (2,600) $    (11,875) $    (11,800)
Stock-based
 compensation               1,000           900         4,000         3,500
                     ------------  ------------  ------------  ------------
Non-GAAP as adjusted $     (1,100) $     (1,700) $     (7,875) $     (8,300)
                     ============  ============  ============  ============



Acme Widgets, Inc.
Condensed Consolidated Balance Sheets
(In thousands)
(Unaudited)

                                                 December 31,  December 31,
                                                     2024          2023
                                                 ------------  ------------
ASSETS

Current assets:
  Cash and cash equivalents                      $     50,000  $     45,000
  Accounts receivable                                  30,000        28,000
                                                 ------------  ------------
      Total current assets                             80,000        73,000

  Property and equipment, net                          20,000        22,000
                                                 ------------  ------------
      Total assets                               $    100,000  $     95,000
                                                 ============  ============

LIABILITIES AND STOCKHOLDERS' EQUITY

Current liabilities:
  Accounts payable                               $     15,000  $     12,000
  Accrued expenses                                     10,000         9,000
                                                 ------------  ------------
      Total current liabilities                        25,000        21,000

Stockholders' equity:
  Common stock                                        120,000       107,000
  Accumulated deficit                                 (45,000)      (33,000)
                                                 ------------  ------------
      Total stockholders' equity                       75,000        74,000
                                                 ------------  ------------
      Total liabilities and stockholders' equity $    100,000  $     95,000
                                                 ============  ============



Acme Widgets, Inc.
Condensed Consolidated Statements of Cash Flows
(In thousands)
(Unaudited)

                                                     Twelve Months Ended
                                                 --------------------------
                                                 December 31,  December 31,
                                                     2024          2023
                                                 ------------  ------------
Cash Flows from Operating Activities:
Net loss                                         $    (11,875) $    (11,800)
Adjustments to reconcile net loss to net cash
 provided by operating activities:
  Stock-based compensation                              4,000         3,500
  Depreciation and amortization                         6,000         5,500
  Changes in assets and liabilities                     9,875         8,800
                                                 ------------  ------------
      Net cash provided by operating activities         8,000         6,000

Cash Flows from Investing Activities:
  Purchase of property and equipment                   (4,000)       (5,000)
                                                 ------------  ------------
      Net cash used in investing activities            (4,000)       (5,000)

Cash Flows from Financing Activities:
  Proceeds from issuance of common stock                1,000         2,000
                                                 ------------  ------------
      Net cash provided by financing activities         1,000         2,000

Net change in cash and cash equivalents                 5,000         3,000
Cash and cash equivalents at beginning of period       45,000        42,000
                                                 ------------  ------------
Cash and cash equivalents at end of period       $     50,000  $     45,000
                                                 ============  ============
"""

Q4_24 = Period("quarter", 2024, 4)
FY24 = Period("year", 2024)
Q4_12 = Period("quarter", 2012, 4)

# Three planted mistakes, each a one-line edit of the clean release.
WRONG_TOTAL = (
    "     expenses              34,000        31,000",
    "     expenses              34,100        31,000",
)
# The cash-flow statement still foots (its net loss and working capital both moved by 90),
# but its net loss no longer agrees with the statement of operations.
BROKEN_TIE = [
    (
        "Net loss                                         $    (11,875)",
        "Net loss                                         $    (11,785)",
    ),
    (
        "  Changes in assets and liabilities                     9,875",
        "  Changes in assets and liabilities                     9,785",
    ),
]
WRONG_PROSE = ("was $270.1 million", "was $271.1 million")


def edited(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the first line of `text` holding `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def audited(text: str) -> AuditReport:
    return audit(parse_release(text, "acme-2024-q4"))


def at(report: AuditReport, kind: str, line: int) -> list[Check]:
    return [c for c in report.checks if c.kind == kind and c.lines[0] == line]


@pytest.fixture(scope="module")
def bundled() -> AuditReport:
    return audit(read_release(DEFAULT_RELEASE))


MISTAKES = edited(CLEAN, WRONG_TOTAL, *BROKEN_TIE, WRONG_PROSE)


# ------------------------------------------------------------------------ bundled release


def test_bundled_release_ties_out_with_every_kind_of_check(bundled: AuditReport) -> None:
    summary = bundled.summary()

    assert bundled.ok, "\n".join(f"line {c.lines[0]}: {c.name}: {c.note}" for c in bundled.failures)
    assert summary.failed == 0
    assert {kind for kind, count, _ in summary.by_kind if count} == set(KINDS)
    assert summary.passed + summary.skipped + summary.no_source == summary.checks


def test_bundled_footing_covers_every_total_in_every_column(bundled: AuditReport) -> None:
    footed = {c.lines[0] for c in bundled.checks if c.kind == "footing" and c.status == "passed"}

    statement_totals = {67, 79, 96, 108, 322, 332, 345, 365, 367, 406, 423, 431, 438}
    running_totals = {81, 98, 111, 115, 435}  # gross profit ... net loss, net change in cash
    note_totals = {145, 151, 277, 283, 510}  # the unlabelled subtotals, total inventory
    assert statement_totals | running_totals | note_totals <= footed
    assert len(at(bundled, "footing", 67)) == 4  # one check per column
    assert 433 not in footed  # "Effect of exchange rate changes" is a line item, not a total


def test_running_totals_report_how_they_tie(bundled: AuditReport) -> None:
    gross_profit = at(bundled, "footing", 81)[0]
    net_loss = at(bundled, "footing", 115)[0]
    total_assets = at(bundled, "footing", 332)[0]

    assert "Total revenue minus the rows after it" in gross_profit.name
    assert gross_profit.lines == (81, 67, 79)
    assert "Loss before income taxes minus the rows after it" in net_loss.name
    assert "Total current assets plus the rows after it" in total_assets.name


def test_operating_cash_flow_foots_across_its_subsections(bundled: AuditReport) -> None:
    check = at(bundled, "footing", 406)[0]

    assert check.inputs[0] == ("Net loss", Decimal(-85330), 383)
    assert len(check.inputs) == 18
    assert check.expected == check.actual == Decimal(-49466)


def test_rows_under_a_double_rule_are_skipped_with_the_reason(bundled: AuditReport) -> None:
    skipped = [c for c in bundled.checks if c.status == SKIPPED]

    assert sorted(c.lines[0] for c in skipped) == [222, 233, 243, 253]
    assert all("double rule" in c.note for c in skipped)


def test_reconciliations_add_adjustments_to_gaap(bundled: AuditReport) -> None:
    recon = [c for c in bundled.checks if c.kind == "reconciliation"]

    assert {c.lines[0] for c in recon} == {176, 186, 200, 213}
    margin = at(bundled, "reconciliation", 186)[0]
    assert margin.tolerance == Decimal(1)  # percents within a point


def test_balance_sheet_balances(bundled: AuditReport) -> None:
    checks = [c for c in bundled.checks if c.kind == "balance"]

    assert [(c.expected, c.actual) for c in checks] == [
        (Decimal(528170), Decimal(528170)),
        (Decimal(531704), Decimal(531704)),
    ]


def test_statements_agree_with_each_other(bundled: AuditReport) -> None:
    ties = {(c.lines[0], c.lines[1], c.period.label) for c in bundled.checks if c.kind == "tie"}

    assert (383, 115, "fiscal 2012") in ties  # net loss: cash flows vs operations
    assert (206, 115, "Q4 2012") in ties  # net loss: reconciliation GAAP vs operations
    assert (438, 312, "December 29, 2012") in ties  # cash at end of period vs balance sheet
    assert (436, 312, "December 31, 2011") in ties  # cash at beginning vs last year's balance
    assert (392, 151, "fiscal 2012") in ties  # stock-based compensation: cash flows vs note
    assert (283, 151, "Q4 2012") in ties  # the two stock-based compensation notes
    assert {(172, 81), (193, 98), (220, 120), (230, 120)} <= {(a, b) for a, b, _ in ties}
    assert (460, 67, "Q4 2012") in ties  # supplemental revenue, rounded to $0.1 million


def test_supplemental_gross_margin_ties_to_the_non_gaap_margin(bundled: AuditReport) -> None:
    margin = [c for c in bundled.checks if c.kind == "tie" and c.lines[0] == 463]

    assert {c.period.label for c in margin} == {"Q4 2012", "Q3 2012", "Q4 2011"}
    assert all(c.lines[1] == 186 for c in margin)  # non-GAAP (line 186), not GAAP (line 182)


def test_per_share_and_margin_arithmetic(bundled: AuditReport) -> None:
    eps = [c for c in bundled.checks if c.kind == "arithmetic" and c.lines[0] == 120]
    q4 = next(c for c in eps if c.period.label == "Q4 2012")

    assert len(eps) == 4
    assert q4.expected == Decimal("-0.1432") and q4.actual == Decimal("-0.14")
    lines = {c.lines[0] for c in bundled.checks if c.kind == "arithmetic"}
    assert {120, 182, 186, 220, 222, 230, 233, 463} <= lines


def test_prose_figures_restate_their_cells(bundled: AuditReport) -> None:
    prose = [c for c in bundled.checks if c.kind == "prose"]
    by_text = {(c.lines[0], c.name.split('"')[1], c.period.label): c for c in prose if c.period}

    assert by_text[(7, "$128.1 million", "Q4 2012")].lines == (7, 67)
    assert by_text[(9, "$(19.4) million", "Q4 2011")].expected == Decimal("-19.35")
    assert by_text[(9, "$(0.17) per share", "Q3 2012")].lines[1] == 220
    assert by_text[(11, "36%", "Q4 2012")].lines[1] == 186  # non-GAAP margin
    assert by_text[(17, "$(0.29) per diluted share", "fiscal 2011")].lines[1] == 233


def test_figures_without_a_cell_are_listed_not_failed(bundled: AuditReport) -> None:
    unsourced = [c for c in bundled.checks if c.status == NO_SOURCE]

    assert [(c.lines[0], c.name.split('"')[1]) for c in unsourced] == [
        (21, "22 customers"),
        (23, "111 customers"),
        (29, "90 days"),
    ]


def test_phone_numbers_dates_times_and_years_are_not_figures() -> None:
    text = (
        "Infinera will host a call on Feb 05, 2013 at 5:00 p.m. Eastern Time for fiscal year "
        "2012; call 1-888-566-0401 or 408-543-8139/408-543-8140 before March 6, 2012."
    )
    passage = Passage(text, 1, 1, "Headline")

    assert read_figures(passage, [text], set(), LatestPeriods(None, 2012)) == []


def test_each_figure_takes_the_period_named_after_it() -> None:
    text = (
        "GAAP net loss for the quarter was $(16.1) million, or $(0.14) per share, compared to "
        "net loss of $(19.1) million, or $(0.17) per share, in the third quarter of 2012 and a "
        "net loss of $(19.4) million in the fourth quarter of 2011."
    )
    latest = LatestPeriods(Period("quarter", 2012, 4), 2012)

    figures = read_figures(Passage(text, 9, 9, "Headline"), [text], {"net loss"}, latest)

    assert [(f.value, f.unit, f.period.label) for f in figures] == [
        (Decimal("-16.1E+6"), "USD", "Q4 2012"),
        (Decimal("-0.14"), "USD per share", "Q4 2012"),
        (Decimal("-19.1E+6"), "USD", "Q3 2012"),
        (Decimal("-0.17"), "USD per share", "Q3 2012"),
        (Decimal("-19.4E+6"), "USD", "Q4 2011"),
    ]
    assert {f.metric for f in figures} == {"net loss"}
    assert figures[0].half_unit == Decimal(50000)


def test_a_figure_in_a_wrapped_paragraph_names_its_own_line() -> None:
    lines = [
        "Revenue for the quarter was",
        "$128.1 million, up from $112.0 million in",
        "the fourth quarter of 2011.",
    ]
    text = " ".join(lines)
    latest = LatestPeriods(Period("quarter", 2012, 4), 2012)

    figures = read_figures(Passage(text, 40, 42, "Headline"), lines, {"revenue"}, latest)

    assert [(f.text, f.line, f.period.label) for f in figures] == [
        ("$128.1 million", 41, "Q4 2012"),
        ("$112.0 million", 41, "Q4 2011"),
    ]


# ------------------------------------------------------------------------ built releases


def test_a_release_without_mistakes_passes_fully() -> None:
    report = audited(CLEAN)
    summary = report.summary()

    assert report.ok
    assert summary.failed == summary.skipped == 0
    # The release has no note table, supplemental table or composition to tie.
    assert {kind for kind, count, _ in summary.by_kind if count} == set(KINDS) - {
        "adjustment",
        "supplemental",
        "composition",
    }
    assert [c.name for c in report.checks if c.status == NO_SOURCE] == [
        '"12 new" (no row named, GAAP, Q4 2024)'
    ]


def test_a_wrong_total_is_found_at_its_line() -> None:
    report = audited(edited(CLEAN, WRONG_TOTAL))
    total_line = line_of(CLEAN, "     expenses              34,000")
    running_line = line_of(CLEAN, "Loss from operations")

    wrong = [c for c in report.failures if c.lines[0] == total_line]
    assert [(c.kind, c.period, c.expected, c.actual) for c in wrong] == [
        ("footing", Q4_24, Decimal(34000), Decimal(34100))
    ]
    assert "off by 100" in wrong[0].note
    # The running total built on it stops tying too, in that column only.
    assert {(c.lines[0], c.period) for c in report.failures} == {
        (total_line, Q4_24),
        (running_line, Q4_24),
    }


def test_a_broken_tie_between_statements_is_found_at_its_line() -> None:
    report = audited(edited(CLEAN, *BROKEN_TIE))
    cash_flow_line = line_of(CLEAN, "Net loss                                         $")
    operations_line = line_of(CLEAN, "Net loss             $")

    [broken] = report.failures
    assert broken.kind == "tie"
    assert broken.period == FY24
    assert broken.lines == (cash_flow_line, operations_line)
    assert (broken.expected, broken.actual) == (Decimal(-11875), Decimal(-11785))
    assert "(11,785)" in broken.note and "(11,875)" in broken.note


def test_a_wrong_prose_figure_is_found_at_its_line() -> None:
    report = audited(edited(CLEAN, WRONG_PROSE))

    [wrong] = report.failures
    assert wrong.kind == "prose"
    assert wrong.period == FY24
    assert wrong.lines == (line_of(CLEAN, "GAAP revenue for the year"), line_of(CLEAN, "Total rev"))
    assert (wrong.expected, wrong.actual) == (Decimal("270.125"), Decimal("271.1"))
    assert "$271.1 million" in wrong.note


def test_all_three_mistakes_are_found_in_one_release() -> None:
    report = audited(MISTAKES)

    kinds = {(c.kind, c.lines[0]) for c in report.failures}
    assert ("footing", line_of(CLEAN, "     expenses              34,000")) in kinds
    assert ("tie", line_of(CLEAN, "Net loss                                         $")) in kinds
    assert ("prose", line_of(CLEAN, "GAAP revenue for the year")) in kinds
    assert report.summary().failed == len(report.failures) == 4


def test_a_gaap_figure_matching_only_the_non_gaap_cell_says_where_it_came_from() -> None:
    text = edited(CLEAN, ("loss for the quarter was $(2.1)", "loss for the quarter was $(1.1)"))

    [wrong] = audited(text).failures
    assert wrong.kind == "prose"
    assert "matches Reconciliation of Net Loss > Non-GAAP as adjusted (non-GAAP, Q4" in wrong.note


# ------------------------------------------------------------------------ command line


def test_cli_exits_zero_when_the_release_ties_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_audit_command(write_release(tmp_path, CLEAN), as_json=False) == 0

    out = capsys.readouterr().out
    assert out.startswith("Tie-out audit of acme-2024-q4")
    assert "Summary: 80 checks: 79 passed, 0 failed" in out


def test_cli_audits_the_bundled_release_by_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("BOT_RELEASE", raising=False)

    assert run_audit_command(None, as_json=False) == 0

    assert "Tie-out audit of infinera-2012-q4" in capsys.readouterr().out


def test_cli_exits_one_and_names_the_lines_of_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_audit_command(write_release(tmp_path, MISTAKES), as_json=False) == 1

    out = capsys.readouterr().out
    failures = out.split("== failures ==")[1]
    assert f"FAIL line {line_of(CLEAN, '     expenses              34,000')} [Q4 2024]" in failures
    assert "4 failed" in out


def test_cli_json_is_one_object_with_every_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_audit_command(write_release(tmp_path, MISTAKES), as_json=True) == 1

    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["failed"] == 4
    assert len(data["checks"]) == data["summary"]["checks"]
    failed = [c for c in data["checks"] if c["status"] == "failed"]
    assert {c["kind"] for c in failed} == {"footing", "tie", "prose"}
    assert all(isinstance(c["lines"][0], int) for c in failed)


def test_cli_reports_a_malformed_release_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_release(tmp_path, "Just words, no tables.\n")

    assert run_audit_command(path, as_json=False) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(path) in captured.err and "no tables found" in captured.err


# ------------------------------------------------------------- planted in the bundled release

BUNDLED_LINES = DEFAULT_RELEASE.read_text(encoding="utf-8").splitlines()


def bundled_with(*edits: tuple[int, str, str]) -> AuditReport:
    """The bundled release with `old` replaced by `new` (same width) on each line given."""
    lines = list(BUNDLED_LINES)
    for number, old, new in edits:
        assert old in lines[number - 1] and len(old) == len(new), (number, old)
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
    return audit(parse_release("\n".join(lines), "infinera-2012-q4"))


def failed_at(report: AuditReport, kind: str) -> set[int]:
    return {c.lines[0] for c in report.failures if c.kind == kind}


def test_bundled_release_ties_every_adjustment_to_its_source(bundled: AuditReport) -> None:
    adjustments = [c for c in bundled.checks if c.kind == "adjustment"]
    assert {c.lines[0] for c in adjustments} == {174, 196, 198, 209, 211}
    assert all(c.status == "passed" for c in adjustments)
    gross = next(c for c in adjustments if c.lines[0] == 174 and c.period == Q4_12)
    # The gross-profit adjustment is the note's cost-of-revenue rows, not its total.
    assert gross.lines[1:3] == (139, 148) and gross.expected == Decimal(2684)
    operating = next(c for c in adjustments if c.lines[0] == 198 and c.period == Q4_12)
    assert 151 in operating.lines and "total" in operating.name


def test_a_wrong_stock_compensation_adjustment_refooted_is_found() -> None:
    report = bundled_with(
        (198, "10,135", "10,235"),
        (200, "(5,378)", "(5,278)"),
    )
    assert 198 in failed_at(report, "adjustment")
    [wrong] = [c for c in report.failures if c.lines[0] == 198]
    assert 151 in wrong.lines or 283 in wrong.lines


def test_a_wrong_restructuring_adjustment_refooted_is_found() -> None:
    report = bundled_with(
        (196, "(129)         -", "(139)         -"),
        (200, "(6,259)", "(6,269)"),
    )
    [wrong] = [c for c in report.failures if c.kind == "adjustment"]
    assert wrong.lines[:2] == (196, 93)
    assert "(129)" in wrong.note


def test_a_wrong_gross_profit_adjustment_refooted_is_found() -> None:
    report = bundled_with(
        (174, "2,684", "2,784"),
        (176, "45,952", "46,052"),
    )
    [wrong] = [c for c in report.failures if c.kind == "adjustment"]
    assert wrong.lines[:3] == (174, 139, 148)
    assert wrong.expected == Decimal(2684) and wrong.actual == Decimal(2784)


def test_supplemental_capex_and_operating_cash_tie_to_the_cash_flow_statement(
    bundled: AuditReport,
) -> None:
    ties = {c.lines for c in bundled.checks if c.kind == "supplemental"}
    assert {(483, 406), (487, 416), (510, 318)} <= ties


@pytest.mark.parametrize(
    ("line", "old", "new"),
    [
        (487, "$13.6", "$14.6"),  # capital expenditures, Q1 2012
        (483, "$8.3", "$9.3"),  # cash from operations, Q4 2012
        (510, "$127.8", "$126.8"),  # total inventory, Q4 2012
    ],
)
def test_a_wrong_supplemental_figure_is_found_at_its_line(line: int, old: str, new: str) -> None:
    assert line in failed_at(bundled_with((line, old, new)), "supplemental")


def test_shipment_composition_adds_to_one_hundred(bundled: AuditReport) -> None:
    composition = [c for c in bundled.checks if c.kind == "composition"]
    assert len(composition) == 8
    assert all(c.lines == (469, 472) for c in composition)


def test_a_composition_that_does_not_add_to_one_hundred_is_found() -> None:
    report = bundled_with((469, "63%", "65%"))
    [wrong] = [c for c in report.failures if c.kind == "composition"]
    assert wrong.period == Q4_12 and wrong.actual == Decimal(102)


def with_sentence(sentence: str) -> list[Check]:
    lines = [*BUNDLED_LINES[:18], sentence, "", *BUNDLED_LINES[18:]]
    report = audit(parse_release("\n".join(lines), "infinera-2012-q4"))
    return [c for c in report.checks if c.kind == "prose" and c.lines[0] == 19]


@pytest.mark.parametrize(
    "sentence",
    [
        "Net cash used in operating activities for the year was $49.5 million.",
        "The accumulated deficit was $572.4 million at year end.",
        "Non-GAAP net loss per diluted share was $0.05.",
    ],
)
def test_true_sentences_with_sign_words_and_per_share_units_pass(sentence: str) -> None:
    [check] = with_sentence(sentence)
    assert check.status == "passed", check.note


@pytest.mark.parametrize(
    "sentence",
    [
        "Net cash used in operating activities for the year was $59.5 million.",
        "The accumulated deficit was $582.4 million at year end.",
        "Non-GAAP net loss per diluted share was $0.06.",
        "Non-GAAP revenue for the quarter was $138.1 million.",
    ],
)
def test_a_wrong_prose_figure_that_maps_to_a_row_fails(sentence: str) -> None:
    [check] = with_sentence(sentence)
    assert check.status == "failed"
    assert len(check.lines) == 2  # the sentence's line and the cell's


@pytest.mark.parametrize(
    ("sentence", "figure"),
    [
        ("GAAP revenue for the year increased by $33.5 million.", "$33.5 million"),
        ("GAAP revenue for the year increased $33.5 million.", "$33.5 million"),
        (
            "GAAP revenue for the year rose on a $16.1 million increase in services.",
            "$16.1 million",
        ),
        (
            "Net loss for the year included write-offs of $3.1 million and $1.2 million.",
            "$1.2 million",
        ),
        ("Direct services revenue for the year was $58.4 million.", "$58.4 million"),
    ],
)
def test_a_change_or_another_nouns_figure_measures_no_row(sentence: str, figure: str) -> None:
    checks = [c for c in with_sentence(sentence) if c.name.startswith(f'"{figure}"')]

    assert [(c.status, "no row named" in c.name) for c in checks] == [(NO_SOURCE, True)]


# ---------------------------------------------------------------------- Apple's HTML exhibit

APPLE = Path(__file__).resolve().parents[1] / "data" / "releases" / "AAPL-Q1FY2024.htm"
Q1_24 = Period("quarter", 2024, 1)


def apple_audit(tmp_path: Path, *edits: tuple[str, str]) -> AuditReport:
    """The exhibit's audit, after editing a copy of its HTML in a temporary folder."""
    page = edited(APPLE.read_text(encoding="utf-8"), *edits)
    copy = tmp_path / APPLE.name
    copy.write_text(page, encoding="utf-8")
    return audit(read_release(copy))


def named(report: AuditReport, kind: str, row: str) -> list[Check]:
    """The checks of one kind whose figure under audit is the row ending in `row`."""
    return [c for c in report.checks if c.kind == kind and c.name.split(" = ")[0].endswith(row)]


@pytest.fixture(scope="module")
def apple() -> AuditReport:
    return audit(read_release(APPLE))


def test_apple_ties_out_with_no_failure(apple: AuditReport) -> None:
    assert apple.ok, "\n".join(f"line {c.lines[0]}: {c.name}: {c.note}" for c in apple.failures)
    assert apple.summary().skipped == 0


@pytest.mark.parametrize(
    ("total", "parts"),
    [
        ("Net sales > Total net sales", 2),  # products and services
        ("Net sales by reportable segment > Total net sales", 5),
        ("Net sales by category > Total net sales", 5),  # iPhone ... Services, all five
        ("Total current assets", 6),
        (" Total assets", 2),
        ("Total current liabilities", 5),
        (" Total liabilities", 2),  # current and non-current, never the assets above
        ("Total liabilities and shareholders’ equity", 2),
        ("Cash generated by operating activities", 10),
        ("Cash generated by/(used in) investing activities", 5),
        ("Cash used in financing activities", 6),
        (
            "Increase/(Decrease) in cash, cash equivalents and restricted cash",
            3,
        ),  # the three activities
        ("ending balances", 2),  # the beginning balance and the change
    ],
)
def test_apple_totals_foot_over_their_own_section(
    apple: AuditReport, total: str, parts: int
) -> None:
    checks = named(apple, "footing", total)

    assert len(checks) == 2, [c.name for c in checks]  # one per column
    assert all(c.status == "passed" and len(c.inputs) == parts for c in checks)


def test_apple_services_is_a_line_of_its_section_not_a_running_total(apple: AuditReport) -> None:
    assert not [c for c in apple.checks if c.kind == "footing" and "> Services =" in c.name]
    category = named(apple, "footing", "Net sales by category > Total net sales")[0]
    assert [label for label, _, _ in category.inputs] == [
        "iPhone",
        "Mac",
        "iPad",
        "Wearables, Home and Accessories",
        "Services",
    ]


def test_apple_changes_in_working_capital_are_not_tied_to_balances(apple: AuditReport) -> None:
    assert not [c for c in apple.checks if c.kind == "supplemental"]


def test_a_changed_segment_figure_in_apple_is_found(tmp_path: Path) -> None:
    report = apple_audit(tmp_path, ("50,430", "50,530"))

    assert [
        (c.name.split(": ", 1)[1], c.period, c.expected, c.actual) for c in report.failures
    ] == [
        (
            "Net sales by reportable segment > Total net sales = sum of the 5 rows above",
            Q1_24,
            Decimal(119675),
            Decimal(119575),
        )
    ]


def test_a_changed_total_in_apple_is_found(tmp_path: Path) -> None:
    report = apple_audit(tmp_path, ("279,414", "279,514"))

    wrong = [c for c in report.failures if c.kind == "footing" and c.actual == Decimal(279514)]
    assert len(wrong) == 1 and wrong[0].expected == Decimal(279414)
    assert wrong[0].name.split(" = ")[0].endswith(" Total liabilities")
    assert "off by 100" in wrong[0].note
    # The total built on it stops tying too, in the December column only.
    assert {
        c.name.split(" = ")[0].rsplit(": ", 1)[1].split(" > ")[-1] for c in report.failures
    } == {
        "Total liabilities",
        "Total liabilities and shareholders’ equity",
    }
    assert {c.period for c in report.failures} == {wrong[0].period}
