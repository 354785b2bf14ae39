"""Totals foot: every identity is computed from the parsed facts, in every column.

Only the choice of which rows are the components of a total is written here; every value is
looked up among the facts by table, row label and period.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from index.config import DEFAULT_RELEASE
from index.facts import Fact
from index.periods import Period
from index.release import ParsedRelease, read_release

INCOME = "GAAP Condensed Consolidated Statements of Operations"
SBC_NOTE = (
    "GAAP Condensed Consolidated Statements of Operations: Effects of stock-based compensation"
)
RECON = "GAAP to Non-GAAP Reconciliations"
RECON_SBC_NOTE = "GAAP to Non-GAAP Reconciliations: Effects of stock-based compensation"
BALANCE = "Condensed Consolidated Balance Sheets"
CASH_FLOWS = "Condensed Consolidated Statements of Cash Flows"
SUPPLEMENTAL = "Supplemental Financial Information"

MILLION = Decimal(1_000_000)


@pytest.fixture(scope="module")
def facts() -> tuple[Fact, ...]:
    parsed: ParsedRelease = read_release(DEFAULT_RELEASE)
    return parsed.facts


def columns(facts: tuple[Fact, ...], table: str) -> list[Period]:
    """The periods of a table's columns, in printed order."""
    seen: list[Period] = []
    for f in facts:
        if f.table == table and f.period not in seen:
            seen.append(f.period)
    return seen


def fact(facts: tuple[Fact, ...], table: str, *row: str, period: Period) -> Fact:
    """The one fact of `table` whose label path ends with `row`, in the column of `period`."""
    found = [
        f for f in facts if f.table == table and f.row[-len(row) :] == row and f.period == period
    ]
    assert len(found) == 1, f"{table} / {' > '.join(row)} / {period.label}: {len(found)} facts"
    return found[0]


def v(facts: tuple[Fact, ...], table: str, *row: str, period: Period) -> Decimal:
    return fact(facts, table, *row, period=period).value


def total(facts: tuple[Fact, ...], table: str, labels: list[str], period: Period) -> Decimal:
    return sum((v(facts, table, label, period=period) for label in labels), Decimal(0))


def millions(f: Fact) -> Decimal:
    return f.absolute / MILLION


def test_every_table_has_columns(facts: tuple[Fact, ...]) -> None:
    assert [len(columns(facts, t)) for t in (INCOME, SBC_NOTE, RECON, RECON_SBC_NOTE)] == [
        4,
        4,
        5,
        5,
    ]
    assert [len(columns(facts, t)) for t in (BALANCE, CASH_FLOWS, SUPPLEMENTAL)] == [2, 2, 8]


# ---------------------------------------------------------------- statement of operations

REVENUE_LINES = ["Product", "Ratable product and related support and services", "Services"]
COST_LINES = [
    "Cost of product",
    "Cost of ratable product and related support and services",
    "Cost of services",
]
OPEX_LINES = [
    "Research and development",
    "Sales and marketing",
    "General and administrative",
    "Restructuring and other costs (credit)",
]
OTHER_INCOME_LINES = ["Interest income", "Other gain (loss), net"]


def test_revenue_less_cost_is_gross_profit(facts: tuple[Fact, ...]) -> None:
    for p in columns(facts, INCOME):
        revenue = v(facts, INCOME, "Total revenue", period=p)
        cost = v(facts, INCOME, "Total cost of revenue", period=p)
        assert revenue - cost == v(facts, INCOME, "Gross profit", period=p), p.label


def test_gross_profit_less_operating_expenses_is_loss_from_operations(
    facts: tuple[Fact, ...],
) -> None:
    for p in columns(facts, INCOME):
        gross = v(facts, INCOME, "Gross profit", period=p)
        opex = v(facts, INCOME, "Total operating expenses", period=p)
        assert gross - opex == v(facts, INCOME, "Loss from operations", period=p), p.label


def test_operating_loss_and_other_income_make_loss_before_taxes(
    facts: tuple[Fact, ...],
) -> None:
    for p in columns(facts, INCOME):
        ops = v(facts, INCOME, "Loss from operations", period=p)
        other = v(facts, INCOME, "Total other income (expense), net", period=p)
        assert ops + other == v(facts, INCOME, "Loss before income taxes", period=p), p.label


def test_loss_before_taxes_less_provision_is_net_loss(facts: tuple[Fact, ...]) -> None:
    for p in columns(facts, INCOME):
        before = v(facts, INCOME, "Loss before income taxes", period=p)
        tax = v(facts, INCOME, "Provision for income taxes", period=p)
        assert before - tax == v(facts, INCOME, "Net loss", period=p), p.label


def test_net_loss_over_shares_is_the_printed_loss_per_share(facts: tuple[Fact, ...]) -> None:
    for p in columns(facts, INCOME):
        loss = fact(facts, INCOME, "Net loss", period=p).absolute
        shares = fact(
            facts,
            INCOME,
            "Weighted average shares used in computing basic and diluted net loss per common share",
            period=p,
        ).absolute
        eps = v(facts, INCOME, "Net loss per common share, basic and diluted", period=p)
        assert abs(loss / shares - eps) <= Decimal("0.005"), p.label


# ---------------------------------------------------------------- stock-based compensation

SBC_LINES = [
    "Cost of revenue",
    "Research and development",
    "Sales and marketing",
    "General and administration",
]


@pytest.mark.parametrize("table", [SBC_NOTE, RECON_SBC_NOTE])
def test_compensation_by_function_sums_to_the_unlabeled_subtotal(
    facts: tuple[Fact, ...], table: str
) -> None:
    for p in columns(facts, table):
        assert total(facts, table, SBC_LINES, p) == v(facts, table, "Subtotal", period=p), p.label


@pytest.mark.parametrize("table", [SBC_NOTE, RECON_SBC_NOTE])
def test_subtotal_and_amortization_sum_to_total_compensation(
    facts: tuple[Fact, ...], table: str
) -> None:
    for p in columns(facts, table):
        subtotal = v(facts, table, "Subtotal", period=p)
        amortization = v(
            facts, table, "Cost of revenue - amortization from balance sheet", period=p
        )
        assert subtotal + amortization == v(
            facts, table, "Total stock-based compensation expense", period=p
        ), p.label


# ---------------------------------------------------------------- reconciliation

ADJUSTMENTS = {
    "Reconciliation of Gross Profit": ["Stock-based compensation"],
    "Reconciliation of Loss from Operations": [
        "Restructuring and other related costs (credit)",
        "Stock-based compensation",
    ],
    "Reconciliation of Net Loss": [
        "Restructuring and other related costs (credit)",
        "Stock-based compensation",
    ],
}


@pytest.mark.parametrize("section", list(ADJUSTMENTS))
def test_gaap_plus_adjustments_is_non_gaap(facts: tuple[Fact, ...], section: str) -> None:
    for p in columns(facts, RECON):
        gaap = v(facts, RECON, section, "U.S. GAAP as reported", period=p)
        adjustments = sum(
            (v(facts, RECON, section, a, period=p) for a in ADJUSTMENTS[section]), Decimal(0)
        )
        assert gaap + adjustments == v(facts, RECON, section, "Non-GAAP as adjusted", period=p), (
            section,
            p.label,
        )


def test_gaap_margin_plus_adjustment_is_non_gaap_margin_within_a_point(
    facts: tuple[Fact, ...],
) -> None:
    section = "Reconciliation of Gross Margin"
    for p in columns(facts, RECON):
        gaap = v(facts, RECON, section, "U.S. GAAP as reported", period=p)
        sbc = v(facts, RECON, section, "Stock-based compensation", period=p)
        non_gaap = v(facts, RECON, section, "Non-GAAP as adjusted", period=p)
        assert abs(gaap + sbc - non_gaap) <= 1, p.label


def test_gross_margin_is_gross_profit_over_revenue(facts: tuple[Fact, ...]) -> None:
    for p in columns(facts, INCOME):
        gross = v(facts, INCOME, "Gross profit", period=p)
        revenue = v(facts, INCOME, "Total revenue", period=p)
        margin = v(
            facts, RECON, "Reconciliation of Gross Margin", "U.S. GAAP as reported", period=p
        )
        assert abs(gross / revenue * 100 - margin) <= Decimal("0.5"), p.label


# ---------------------------------------------------------------- balance sheet

CURRENT_ASSETS = [
    "Cash and cash equivalents",
    "Short-term investments",
    "Accounts receivable, net of allowance for doubtful accounts of $94 in 2012 and $0 in 2011",
    "Other receivables",
    "Inventory",
    "Deferred inventory costs",
    "Prepaid expenses and other current assets",
]
NON_CURRENT_ASSETS = [
    "Property, plant and equipment, net",
    "Deferred inventory costs, non-current",
    "Long-term investments",
    "Cost-method investment",
    "Long-term restricted cash",
    "Deferred tax asset",
    "Other non-current assets",
]
CURRENT_LIABILITIES = [
    "Accounts payable",
    "Accrued expenses",
    "Accrued compensation and related benefits",
    "Accrued warranty",
    "Deferred revenue",
    "Deferred tax liability",
]
NON_CURRENT_LIABILITIES = [
    "Accrued warranty, non-current",
    "Deferred revenue, non-current",
    "Other long-term liabilities",
]
EQUITY = [
    "Preferred stock, $0.001 par value Authorized shares - 25,000 and no shares issued and "
    "outstanding",
    "Common stock, $0.001 par value Issued and outstanding shares - 112,461 as of December 29, "
    "2012 and 106,976 as of December 31, 2011",
    "Additional paid-in capital",
    "Accumulated other comprehensive loss",
    "Accumulated deficit",
]


def test_current_and_non_current_assets_sum_to_total_assets(facts: tuple[Fact, ...]) -> None:
    for p in columns(facts, BALANCE):
        current = v(facts, BALANCE, "Total current assets", period=p)
        assert current + total(facts, BALANCE, NON_CURRENT_ASSETS, p) == v(
            facts, BALANCE, "Total assets", period=p
        ), p.label


def test_liabilities_and_equity_sum_to_their_total(facts: tuple[Fact, ...]) -> None:
    for p in columns(facts, BALANCE):
        parts = (
            v(facts, BALANCE, "Total current liabilities", period=p)
            + total(facts, BALANCE, NON_CURRENT_LIABILITIES, p)
            + v(facts, BALANCE, "Total stockholders' equity", period=p)
        )
        assert parts == v(facts, BALANCE, "Total liabilities and stockholders' equity", period=p)


def test_total_liabilities_and_equity_equals_total_assets(facts: tuple[Fact, ...]) -> None:
    for p in columns(facts, BALANCE):
        assert v(facts, BALANCE, "Total liabilities and stockholders' equity", period=p) == v(
            facts, BALANCE, "Total assets", period=p
        ), p.label


# ---------------------------------------------------------------- cash flows

OPERATING = [
    "Net loss",
    "Depreciation and amortization",
    "Provision for doubtful accounts",
    "Provision for other receivables",
    "Non-cash restructuring and other costs (credit)",
    "Amortization of premium on investments",
    "Stock-based compensation expense",
    "Non-cash tax benefit",
    "Other gain",
    "Accounts receivable",
    "Other receivables",
    "Inventories, net",
    "Prepaid expenses and other assets",
    "Deferred inventory costs",
    "Accounts payable",
    "Accrued liabilities and other expenses",
    "Deferred revenue",
    "Accrued warranty",
]
INVESTING = [
    "Purchase of available-for-sale investments",
    "Purchase of cost-method investment",
    "Proceeds from sale of available-for-sale investments",
    "Proceeds from maturities and calls of investments",
    "Proceeds from disposal of assets",
    "Purchase of property and equipment",
    "Advance to secure manufacturing capacity",
    "Reimbursement of manufacturing capacity advance",
    "Change in restricted cash",
]
FINANCING = [
    "Proceeds from issuance of common stock",
    "Repurchase of common stock",
    "Payments for purchase of assets under financing arrangement",
]
NET_OPERATING = "Net cash used in operating activities"
NET_INVESTING = "Net cash provided by (used in) investing activities"
NET_FINANCING = "Net cash provided by financing activities"
ACTIVITIES = [
    NET_OPERATING,
    NET_INVESTING,
    NET_FINANCING,
    "Effect of exchange rate changes on cash",
]


def test_beginning_cash_plus_change_is_ending_cash(facts: tuple[Fact, ...]) -> None:
    for p in columns(facts, CASH_FLOWS):
        begin = v(facts, CASH_FLOWS, "Cash and cash equivalents at beginning of period", period=p)
        change = v(facts, CASH_FLOWS, "Net change in cash and cash equivalents", period=p)
        end = v(facts, CASH_FLOWS, "Cash and cash equivalents at end of period", period=p)
        assert begin + change == end, p.label


# ---------------------------------------------------------------- lines that sum to a printed total


# Each identity: the table, the lines that sum to its total, and the label of the total.
PRINTED_TOTALS = {
    "revenue_lines_sum_to_total_revenue": (INCOME, REVENUE_LINES, "Total revenue"),
    "cost_lines_sum_to_total_cost_of_revenue": (INCOME, COST_LINES, "Total cost of revenue"),
    "operating_expense_lines_sum_to_total_operating_expenses": (
        INCOME,
        OPEX_LINES,
        "Total operating expenses",
    ),
    "other_income_lines_sum_to_total_other_income": (
        INCOME,
        OTHER_INCOME_LINES,
        "Total other income (expense), net",
    ),
    "current_assets_sum_to_total_current_assets": (BALANCE, CURRENT_ASSETS, "Total current assets"),
    "current_liabilities_sum_to_total_current_liabilities": (
        BALANCE,
        CURRENT_LIABILITIES,
        "Total current liabilities",
    ),
    "equity_lines_sum_to_total_equity": (BALANCE, EQUITY, "Total stockholders' equity"),
    "operating_items_sum_to_net_cash_used_in_operations": (CASH_FLOWS, OPERATING, NET_OPERATING),
    "investing_items_sum_to_net_cash_from_investing": (CASH_FLOWS, INVESTING, NET_INVESTING),
    "financing_items_sum_to_net_cash_from_financing": (CASH_FLOWS, FINANCING, NET_FINANCING),
    "three_activities_and_exchange_rates_make_the_net_change": (
        CASH_FLOWS,
        ACTIVITIES,
        "Net change in cash and cash equivalents",
    ),
}


@pytest.mark.parametrize(
    ("table", "lines", "total_label"), list(PRINTED_TOTALS.values()), ids=list(PRINTED_TOTALS)
)
def test_lines_sum_to_their_printed_total(
    facts: tuple[Fact, ...], table: str, lines: list[str], total_label: str
) -> None:
    for p in columns(facts, table):
        assert total(facts, table, lines, p) == v(facts, table, total_label, period=p), p.label


# ---------------------------------------------------------------- supplemental information


def test_inventory_components_sum_to_total_inventory_within_a_tenth(
    facts: tuple[Fact, ...],
) -> None:
    parts = ["Raw Materials ($ Mil)", "Work in Process ($ Mil)", "Finished Goods ($ Mil)"]
    for p in columns(facts, SUPPLEMENTAL):
        inventory = v(facts, SUPPLEMENTAL, "Total Inventory ($ Mil)", period=p)
        assert abs(total(facts, SUPPLEMENTAL, parts, p) - inventory) <= Decimal("0.1"), p.label


def test_domestic_and_international_shipments_make_a_hundred_percent(
    facts: tuple[Fact, ...],
) -> None:
    for p in columns(facts, SUPPLEMENTAL):
        assert total(facts, SUPPLEMENTAL, ["Domestic %", "International %"], p) == 100, p.label


# ---------------------------------------------------------------- ties between tables


def test_net_loss_is_the_same_in_statement_cash_flows_and_reconciliation(
    facts: tuple[Fact, ...],
) -> None:
    for p in columns(facts, INCOME):
        net = v(facts, INCOME, "Net loss", period=p)
        gaap = v(facts, RECON, "Reconciliation of Net Loss", "U.S. GAAP as reported", period=p)
        assert net == gaap, p.label
    fiscal_years = columns(facts, CASH_FLOWS)
    assert [p.kind for p in fiscal_years] == ["year", "year"]
    for p in fiscal_years:
        assert v(facts, CASH_FLOWS, "Net loss", period=p) == v(
            facts, INCOME, "Net loss", period=p
        ), p.label


def test_statement_lines_tie_to_the_reconciliation(facts: tuple[Fact, ...]) -> None:
    for p in columns(facts, INCOME):
        for statement, section in [
            ("Gross profit", "Reconciliation of Gross Profit"),
            ("Loss from operations", "Reconciliation of Loss from Operations"),
        ]:
            assert v(facts, INCOME, statement, period=p) == v(
                facts, RECON, section, "U.S. GAAP as reported", period=p
            ), (statement, p.label)


def test_ending_cash_equals_balance_sheet_cash(facts: tuple[Fact, ...]) -> None:
    for p in columns(facts, CASH_FLOWS):
        (balance_date,) = [q for q in columns(facts, BALANCE) if q.end == p.end]
        assert v(facts, CASH_FLOWS, "Cash and cash equivalents at end of period", period=p) == v(
            facts, BALANCE, "Cash and cash equivalents", period=balance_date
        ), p.label


def test_compensation_note_total_equals_cash_flow_compensation(facts: tuple[Fact, ...]) -> None:
    for p in columns(facts, CASH_FLOWS):
        cash_flow = v(facts, CASH_FLOWS, "Stock-based compensation expense", period=p)
        for note in (SBC_NOTE, RECON_SBC_NOTE):
            assert v(facts, note, "Total stock-based compensation expense", period=p) == cash_flow


def test_compensation_note_total_equals_the_reconciliation_adjustment(
    facts: tuple[Fact, ...],
) -> None:
    for p in columns(facts, RECON_SBC_NOTE):
        note = v(facts, RECON_SBC_NOTE, "Total stock-based compensation expense", period=p)
        adjustment = v(
            facts, RECON, "Reconciliation of Net Loss", "Stock-based compensation", period=p
        )
        assert note == adjustment, p.label


def test_statement_revenue_matches_supplemental_revenue_in_millions(
    facts: tuple[Fact, ...],
) -> None:
    for p in (Period("quarter", 2011, 4), Period("quarter", 2012, 4)):
        statement = millions(fact(facts, INCOME, "Total revenue", period=p))
        supplemental = millions(fact(facts, SUPPLEMENTAL, "Revenue ($ Mil)", period=p))
        assert abs(statement - supplemental) <= Decimal("0.05"), p.label


def test_balance_sheet_inventory_matches_supplemental_inventory_in_millions(
    facts: tuple[Fact, ...],
) -> None:
    for p in columns(facts, BALANCE):
        (quarter,) = [q for q in columns(facts, SUPPLEMENTAL) if q.end == p.end]
        balance = millions(fact(facts, BALANCE, "Inventory", period=p))
        supplemental = millions(
            fact(facts, SUPPLEMENTAL, "Total Inventory ($ Mil)", period=quarter)
        )
        assert abs(balance - supplemental) <= Decimal("0.05"), p.label


@pytest.mark.parametrize(
    ("supplemental", "annual", "table"),
    [
        ("Revenue ($ Mil)", "Total revenue", INCOME),
        ("Cash from (used in) Operations ($ Mil)", NET_OPERATING, CASH_FLOWS),
        ("Capital Expenditures ($ Mil)", "Purchase of property and equipment", CASH_FLOWS),
        ("Depreciation & Amortization ($ Mil)", "Depreciation and amortization", CASH_FLOWS),
    ],
)
def test_four_quarters_add_up_to_the_fiscal_year(
    facts: tuple[Fact, ...], supplemental: str, annual: str, table: str
) -> None:
    for year in (2011, 2012):
        quarters = sum(
            (
                millions(fact(facts, SUPPLEMENTAL, supplemental, period=Period("quarter", year, q)))
                for q in (1, 2, 3, 4)
            ),
            Decimal(0),
        )
        whole = millions(fact(facts, table, annual, period=Period("year", year)))
        # Capital expenditures are printed as positive outflows in the supplemental table.
        if annual == "Purchase of property and equipment":
            whole = -whole
        assert abs(quarters - whole) <= Decimal("0.2"), (supplemental, year)
