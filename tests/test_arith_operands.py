"""Arithmetic over tables whose operands are easy to pick wrongly: an amount beside its share
of a total under one year, a part and a whole both named with share words, a line that was
nil the year before. Asked of hand-written contexts in the TAT-QA layout through the context's
own answering stack."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from bot.answer import Answer
from bot.service import Service
from eval.tatqa import ask_own, context_files, ingest_all
from index.config import Settings

MIX = {
    "table": {
        "uid": "mix",
        "table": [
            ["", "2021", "", "2020", ""],
            ["", "Amount", "% of total revenue", "Amount", "% of total revenue"],
            ["(In thousands)", "", "", "", ""],
            ["Subscriptions", "120,000", "40", "100,000", "38"],
            ["Hardware", "180,000", "60", "163,000", "62"],
            ["Total revenue", "300,000", "100", "263,000", "100"],
        ],
    },
    "paragraphs": [{"text": "Revenue by line of business was as follows:"}],
}

REGIONS = {
    "table": {
        "uid": "regions",
        "table": [
            ["", "Fiscal Year 2021", "", "Fiscal Year 2020", ""],
            ["", "Net Sales", "% of Total", "Net Sales", "% of Total"],
            ["Americas", "$300,000", "50.0%", "$240,000", "48.0%"],
            ["Europe", "180,000", "30.0%", "160,000", "32.0%"],
            ["Asia", "120,000", "20.0%", "100,000", "20.0%"],
            ["Total", "$600,000", "100.0%", "$500,000", "100.0%"],
        ],
    },
    "paragraphs": [{"text": "Net sales by region were as follows (in thousands):"}],
}

AWARDS = {
    "table": {
        "uid": "awards",
        "table": [
            ["", "Shares", "Weighted-average grant date fair value"],
            ["Nonvested at January 1, 2021", "900,000", "$20.10"],
            ["Granted", "300,000", "$25.00"],
            ["Released", "(200,000)", "$19.00"],
            ["Forfeited", "(50,000)", "$21.00"],
            ["Nonvested at December 31, 2021", "950,000", "$22.00"],
        ],
    },
    "paragraphs": [{"text": "Restricted stock unit activity for the year was as follows:"}],
}

DEBT = {
    "table": {
        "uid": "debt",
        "table": [
            ["(In millions)", "December 31, 2021", "December 31, 2020"],
            ["Term loan", "400.0", "420.0"],
            ["Foreign borrowings", "20.0", "15.0"],
            ["Domestic borrowings", "80.0", "65.0"],
            ["Total debt", "500.0", "500.0"],
        ],
    },
    "paragraphs": [{"text": "Debt outstanding was as follows:"}],
}

FAIR = {
    "table": {
        "uid": "fair",
        "table": [
            ["", "December 31, 2021", "", "December 31, 2020", ""],
            ["(In millions)", "Carrying Amount", "Fair Value", "Carrying Amount", "Fair Value"],
            ["Senior notes due 2027", "$ 500.0", "$ 520.0", "$ 500.0", "$ 490.0"],
            ["Term loan", "250.0", "250.0", "300.0", "300.0"],
            ["Total debt", "$ 750.0", "$ 770.0", "$ 800.0", "$ 790.0"],
        ],
    },
    "paragraphs": [{"text": "The carrying amounts and fair values of debt were as follows:"}],
}

QUARTERS = {
    "table": {
        "uid": "quarters",
        "table": [
            ["Quarters Ended", "June 30, 2021", "March 31, 2021", "December 31, 2020"],
            ["Revenue", "$1,300", "$1,250", "$1,200"],
            ["Net income", "$210", "$190", "$170"],
            ["Net income per share - diluted", "$0.52", "$0.47", "$0.42"],
        ],
    },
    "paragraphs": [{"text": "Quarterly results were as follows (in millions, except per share):"}],
}

MATURITIES = {
    "table": {
        "uid": "maturities",
        "table": [
            ["", "", "Payments due by period", "", "", ""],
            [
                "(In thousands)",
                "Total",
                "Less Than 1 Year",
                "1-3 Years",
                "3-5 Years",
                "More Than 5 Years",
            ],
            ["Operating leases", "$10,000", "$4,000", "$3,000", "$2,000", "$1,000"],
            ["Purchase obligations", "5,000", "2,500", "1,500", "500", "500"],
            ["Total", "$15,000", "$6,500", "$4,500", "$2,500", "$1,500"],
        ],
    },
    "paragraphs": [{"text": "Our contractual obligations were as follows:"}],
}

ACCRUED = {
    "table": {
        "uid": "accrued",
        "table": [
            ["", "2021", "2020"],
            ["Vacation and other compensation", "$1,600", "$1,400"],
            ["Warranty reserve", "500", "520"],
            ["Other", "400", "480"],
            ["", "$2,500", "$2,400"],
        ],
    },
    "paragraphs": [{"text": "Accrued liabilities consisted of the following (in thousands):"}],
}

SEGMENTS = {
    "table": {
        "uid": "segments",
        "table": [
            ["($ in millions)", "Fiscal 2021 Net Sales", "Fiscal 2020 Net Sales"],
            ["Snacks", "$1,200.0", "$1,100.0"],
            ["Frozen", "800.0", "700.0"],
            ["International", "500.0", "450.0"],
            ["Total", "$2,500.0", "$2,250.0"],
        ],
    },
    "paragraphs": [{"text": "Net sales by reporting segment were as follows:"}],
}

GEOGRAPHY = {
    "table": {
        "uid": "geography",
        "table": [
            ["For the year ended", "2021", "2020"],
            ["United States", "$5,000", "$4,000"],
            ["Taiwan", "1,500", "1,200"],
            ["Japan", "500", "800"],
            ["", "$7,000", "$6,000"],
        ],
    },
    "paragraphs": [{"text": "Revenue by the location of the customer was as follows:"}],
}

PROPERTY = {
    "table": {
        "uid": "property",
        "table": [
            ["(in thousands)", "March 31, 2021", "March 31, 2020"],
            ["Land", "$600", "$600"],
            ["Buildings", "5,000", "4,800"],
            ["Leasehold improvements", "400", "300"],
            ["Land, property and equipment, gross", "$6,000", "$5,700"],
        ],
    },
    "paragraphs": [{"text": "Land, property and equipment consisted of the following:"}],
}

SCHEMES = {
    "table": {
        "uid": "schemes",
        "table": [
            ["", "2021 €m", "2020 €m", "2019 €m"],
            ["Defined contribution schemes", "160", "170", "180"],
            ["Defined benefit schemes", "50", "40", "20"],
            ["Free cash flow", "4,400", "4,000", "3,300"],
            ["Total amount charged", "210", "210", "200"],
        ],
    },
    "paragraphs": [{"text": "Amounts charged to the income statement were as follows:"}],
}

RECEIVABLES = {
    "table": {
        "uid": "receivables",
        "table": [
            ["£m", "2021", "2020"],
            ["Up to three months", "30.0", "32.0"],
            ["Three to six months", "10.0", "4.0"],
            ["Trade receivables", "40.0", "36.0"],
        ],
    },
    "paragraphs": [{"text": "The ageing of trade receivables was as follows:"}],
}

EARNINGS = {
    "table": {
        "uid": "earnings",
        "table": [
            ["$ MILLION", "F21", "F20"],
            ["Sales", "1,700", "1,600"],
            ["EBITDA", "400", "360"],
            ["Depreciation and amortisation", "(100)", "(90)"],
            ["EBIT", "300", "270"],
        ],
    },
    "paragraphs": [{"text": "Earnings were as follows:"}],
}

LOSSES = {
    "table": {
        "uid": "losses",
        "table": [
            ["(In thousands)", "2021", "2020"],
            ["Revenue", "$5,000", "$4,000"],
            ["Cost of revenue", "(3,000)", "(2,600)"],
            ["Operating expenses", "(2,500)", "(2,000)"],
            ["Net loss", "$(500)", "$(600)"],
        ],
    },
    "paragraphs": [{"text": "Results of operations were as follows:"}],
}

REGIONS_TOTAL = {
    "table": {
        "uid": "regions_total",
        "table": [
            ["", "2021", "2020"],
            ["Americas", "600", "500"],
            ["Europe", "300", "250"],
            ["Asia", "100", "50"],
            ["Total revenue", "1,000", "800"],
        ],
    },
    "paragraphs": [{"text": "Revenue by region was as follows (in millions):"}],
}

CHARGES = {
    "table": {
        "uid": "charges",
        "table": [
            ["($ in millions)", "2021", "2020"],
            ["Interest expense", "$900", "$700"],
            ["Restructuring charges", "(150)", "—"],
            ["Adjusted interest expense", "$750", "$700"],
        ],
    },
    "paragraphs": [{"text": "Interest expense and its adjustments were as follows:"}],
}


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Service]:
    folder = tmp_path_factory.mktemp("arith")
    settings = replace(
        Settings.from_env({}), index_dir=folder / "index", chroma_host=None, model=None
    )
    contexts = {
        "mix": MIX,
        "regions": REGIONS,
        "awards": AWARDS,
        "debt": DEBT,
        "fair": FAIR,
        "quarters": QUARTERS,
        "maturities": MATURITIES,
        "accrued": ACCRUED,
        "segments": SEGMENTS,
        "geography": GEOGRAPHY,
        "property": PROPERTY,
        "schemes": SCHEMES,
        "receivables": RECEIVABLES,
        "earnings": EARNINGS,
        "losses": LOSSES,
        "regions_total": REGIONS_TOTAL,
        "charges": CHARGES,
    }
    paths = context_files(list(contexts.values()), folder)
    good, refused = ingest_all(paths, settings)
    assert len(good) == len(contexts) and not refused
    return {
        name: Service.open(replace(settings, release=Path(p.name)), build=False)
        for name, p in zip(contexts, paths, strict=True)
    }


def _computed(answer: Answer) -> Decimal:
    """The value the answer's calculation gives."""
    main = next(c.value for c in answer.citations if c.kind == "calculation")
    return Decimal(str(main))


def _cited(answer: Answer) -> set[str]:
    return {c.raw for c in answer.citations if c.kind == "table"}


def test_an_average_over_years_takes_the_amount_beside_its_share_column(
    services: dict[str, Service],
) -> None:
    a = ask_own(services["mix"], "What was the average Hardware for 2020 and 2021?")
    assert a.found, a.text
    assert _computed(a) == Decimal("171500")
    assert _cited(a) == {"180,000", "163,000"}


def test_a_sum_over_years_takes_the_amount_beside_its_share_column(
    services: dict[str, Service],
) -> None:
    a = ask_own(services["mix"], "What is the total Subscriptions in 2020 and 2021?")
    assert a.found, a.text
    assert _computed(a) == Decimal("220000")


def test_a_percentage_change_of_an_amount_beside_its_share_column_moves_the_amount(
    services: dict[str, Service],
) -> None:
    a = ask_own(services["mix"], "What is the percentage change in Hardware from 2020 to 2021?")
    assert a.found, a.text
    assert _cited(a) == {"180,000", "163,000"}
    assert round(_computed(a), 2) == Decimal("10.43")


def test_the_percentage_of_total_sales_is_read_from_its_own_column(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["regions"],
        "What was the change in the percentage of sales from Europe to total net sales between "
        "2020 and 2021?",
    )
    assert a.found, a.text
    assert _cited(a) == {"30.0%", "32.0%"}
    assert _computed(a) == Decimal("-2.0")


def test_a_percentage_change_in_total_net_sales_moves_the_amount(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["regions"],
        "What was the percentage change in Europe total net sales between 2020 and 2021?",
    )
    assert a.found, a.text
    assert _cited(a) == {"180,000", "160,000"}
    assert _computed(a) == Decimal("12.5")


def test_the_whole_follows_the_last_as_a_percentage_of(services: dict[str, Service]) -> None:
    a = ask_own(
        services["awards"],
        "What is the percentage of shares granted in 2021 as a percentage of the total "
        "nonvested shares at December 31, 2021?",
    )
    assert a.found, a.text
    assert _cited(a) == {"300,000", "950,000"}
    assert round(_computed(a), 2) == Decimal("31.58")


def test_a_count_deducted_in_a_roll_forward_is_a_share_of_its_magnitude(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["awards"],
        "What is the percentage of shares forfeited in 2021 as a percentage of the total "
        "nonvested shares at December 31, 2021?",
    )
    assert a.found, a.text
    assert _cited(a) == {"(50,000)", "950,000"}
    assert round(_computed(a), 2) == Decimal("5.26")


def test_a_share_whose_part_names_two_lines_adds_them(services: dict[str, Service]) -> None:
    a = ask_own(
        services["debt"],
        "What is the percentage of foreign borrowings and domestic borrowings as a percentage "
        "of total debt as of December 31, 2021?",
    )
    assert a.found, a.text
    assert _cited(a) == {"20.0", "80.0", "500.0"}
    assert _computed(a) == Decimal("20")


def test_the_sum_of_two_lines_over_the_total_line(services: dict[str, Service]) -> None:
    a = ask_own(
        services["segments"],
        "What is the proportion (in percentage) of the sum of Snacks and Frozen net sales over "
        "total net sales in fiscal year 2020?",
    )
    assert a.found, a.text
    assert _cited(a) == {"$1,100.0", "700.0", "$2,250.0"}
    assert _computed(a) == Decimal("80")


def test_two_lines_over_an_unlabelled_total_in_a_column_printing_dollars_once(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["geography"],
        "What is the total percentage of revenue from Taiwan and Japan over total revenue in 2021?",
    )
    assert a.found, a.text
    assert _cited(a) == {"1,500", "500", "$7,000"}
    assert round(_computed(a), 2) == Decimal("28.57")


def test_a_proportion_of_two_lines_over_a_named_whole_is_a_fraction(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["property"],
        "What is the proportion of land and leasehold improvements over the gross cost of land, "
        "property, and equipment in 2021?",
    )
    assert a.found, a.text
    assert _cited(a) == {"$600", "400", "$6,000"}
    assert round(_computed(a), 4) == Decimal("0.1667")


def test_a_percentage_difference_between_two_columns_is_relative_to_the_second(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["fair"],
        "What is the percentage difference between fair value and carrying amount of total "
        "debt as of December 31, 2021?",
    )
    assert a.found, a.text
    assert _cited(a) == {"$ 770.0", "$ 750.0"}
    assert round(_computed(a), 2) == Decimal("2.67")


def test_the_difference_between_two_columns_stays_an_amount(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["fair"],
        "What is the difference between fair value and carrying amount of total debt as of "
        "December 31, 2021?",
    )
    assert a.found, a.text
    assert _computed(a) == Decimal("20.0")


def test_a_change_between_two_quarter_end_dates_sharing_a_year(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["quarters"],
        "What was the change in net income between quarters ended March 31 and June 30, 2021?",
    )
    assert a.found, a.text
    assert _cited(a) == {"$210", "$190"}
    assert _computed(a) == Decimal("20")


def test_a_maturity_column_as_a_share_of_its_lines_total(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["maturities"],
        "What is the percentage of the operating leases of more than 5 years in the total "
        "operating leases?",
    )
    assert a.found, a.text
    assert _cited(a) == {"$1,000", "$10,000"}
    assert _computed(a) == Decimal("10")


def test_a_maturity_column_as_a_share_of_the_total_line_in_that_column(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["maturities"],
        "What is the value of purchase obligations that are due in less than one year as a "
        "percentage of the total contractual obligations?",
    )
    assert a.found, a.text
    assert _cited(a) == {"2,500", "$6,500"}
    assert round(_computed(a), 2) == Decimal("38.46")


def test_the_total_of_a_table_is_its_unlabelled_total_line(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["accrued"],
        "What is the difference in the total accrued liabilities between 2020 and 2021?",
    )
    assert a.found, a.text
    assert _cited(a) == {"$2,500", "$2,400"}
    assert _computed(a) == Decimal("100")


def test_the_total_of_something_the_table_is_not_about_is_not_its_total_line(
    services: dict[str, Service],
) -> None:
    a = ask_own(services["accrued"], "What is the total headcount in 2021?")
    assert "$2,500" not in _cited(a), a.text


def test_a_share_of_the_total_is_of_the_unlabelled_total_line(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["accrued"],
        "In 2021, what is the percentage constitution of warranty reserve among the total "
        "accrued liabilities?",
    )
    assert a.found, a.text
    assert _cited(a) == {"500", "$2,500"}
    assert _computed(a) == Decimal("20")


def test_the_difference_of_two_measures_averaged_over_a_year_and_the_one_before(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["schemes"],
        "What is the difference between 2021 average defined contribution schemes and 2021 "
        "average defined benefit schemes?",
    )
    assert a.found, a.text
    assert _computed(a) == Decimal("120")


def test_the_change_between_two_years_averages(services: dict[str, Service]) -> None:
    a = ask_own(
        services["schemes"], "What is the change between 2020 and 2021 average free cash flow?"
    )
    assert a.found, a.text
    assert _cited(a) == {"4,400", "4,000", "3,300"}
    assert _computed(a) == Decimal("550")


def test_the_change_between_averages_of_pairs_of_years(services: dict[str, Service]) -> None:
    a = ask_own(
        services["schemes"],
        "What is the change in the average free cash flow between 2019-2020, and 2020-2021?",
    )
    assert a.found, a.text
    assert _computed(a) == Decimal("550")


def test_an_average_of_two_years_stays_their_average(services: dict[str, Service]) -> None:
    a = ask_own(services["schemes"], "What is the average free cash flow for 2020 and 2021?")
    assert a.found, a.text
    assert _computed(a) == Decimal("4200")


def test_a_part_named_under_its_whole_is_the_line_named_in_full(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["receivables"],
        "What is the percentage of the trade receivables that are three to six months of age "
        "in the total trade receivables in 2021?",
    )
    assert a.found, a.text
    assert _cited(a) == {"10.0", "40.0"}
    assert _computed(a) == Decimal("25")


def test_a_percentage_constitution_of_a_line_in_another(services: dict[str, Service]) -> None:
    a = ask_own(
        services["earnings"], "What is the percentage constitution of EBIT in EBITDA in F21?"
    )
    assert a.found, a.text
    assert _cited(a) == {"300", "400"}
    assert _computed(a) == Decimal("75")


def test_the_percentage_of_the_total_in_a_region_is_never_the_total_over_the_region(
    services: dict[str, Service],
) -> None:
    a = ask_own(
        services["regions_total"], "What is the percentage of total revenue in Europe in 2021?"
    )
    computed = [c for c in a.citations if c.kind == "calculation"]
    assert not computed or _computed(a) <= 100, a.text


def test_a_deduction_is_a_share_of_its_magnitude(services: dict[str, Service]) -> None:
    a = ask_own(
        services["earnings"],
        "What is the percentage constitution of Depreciation and Amortisation in EBITDA in F21?",
    )
    assert a.found, a.text
    assert _cited(a) == {"(100)", "400"}
    assert _computed(a) == Decimal("25")


def test_a_loss_keeps_its_sign_as_a_share(services: dict[str, Service]) -> None:
    a = ask_own(services["losses"], "What is the net loss as a percentage of revenue in 2021?")
    assert a.found, a.text
    assert _computed(a) == Decimal("-10")


def test_a_share_printed_in_a_percentage_column_is_read_not_divided(
    services: dict[str, Service],
) -> None:
    a = ask_own(services["regions"], "What percentage of total net sales was Europe in 2021?")
    assert a.found, a.text
    assert [v.value for v in a.values] == [Decimal("30.0")]
    assert not any(c.kind == "calculation" for c in a.citations)


def test_a_share_column_printed_without_its_sign_is_never_divided_again(
    services: dict[str, Service],
) -> None:
    a = ask_own(services["mix"], "What percentage of total revenue was Hardware in 2021?")
    assert not any(c.kind == "calculation" for c in a.citations), a.text


def test_a_change_from_nil_is_the_amount_it_moved_by(services: dict[str, Service]) -> None:
    a = ask_own(
        services["charges"],
        "What is the increase / (decrease) in restructuring charges from 2020 to 2021?",
    )
    assert a.found, a.text
    assert _computed(a) == Decimal("-150")


def test_a_percentage_change_from_nil_is_still_refused(services: dict[str, Service]) -> None:
    a = ask_own(
        services["charges"],
        "What is the percentage change in restructuring charges from 2020 to 2021?",
    )
    assert not a.found
    assert "zero" in a.text
