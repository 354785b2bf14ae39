"""The number guard on small hand-made turns: what counts as a figure, and what backs one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.guard import check, figures
from bot.tools import TurnRecord
from index.facts import Fact
from index.periods import Period

Q3_12 = Period("quarter", 2012, 3, date(2012, 9, 29))
Q4_12 = Period("quarter", 2012, 4, date(2012, 12, 29))
Q4_11 = Period("quarter", 2011, 4, date(2011, 12, 31))
FY12 = Period("year", 2012, None, date(2012, 12, 29))


def fact(
    value: str, raw: str, unit: str, scale: str = "units", period: Period = Q4_12, line: int = 67
) -> Fact:
    return Fact(
        release="r",
        table="GAAP Condensed Consolidated Statements of Operations",
        table_index=0,
        row=("Revenue", "Total revenue"),
        column="December 29, 2012",
        period=period,
        basis="GAAP",
        value=Decimal(value),
        raw=raw,
        unit=unit,
        scale=scale,
        line=line,
        label_line=line,
    )


REVENUE = fact("128064", "128,064", "USD", "thousands")
REVENUE_LY = fact("112009", "112,009", "USD", "thousands", Q4_11)
NET_LOSS = fact("-16088", "(16,088)", "USD", "thousands")
DSO_Q3 = fact("74", "74", "days", period=Q3_12, line=493)
GROSS_MARGIN = fact("40.2", "40.2%", "percent", line=470)
EPS = fact("-0.14", "(0.14)", "USD per share", line=80)


def record(
    *facts: Fact, results: tuple[str, ...] = (), passages: tuple[str, ...] = ()
) -> TurnRecord:
    return TurnRecord(list(facts), [Decimal(r) for r in results], list(passages))


def test_rounded_millions_match_a_fact_printed_in_thousands() -> None:
    assert check("Revenue was $128.1 million in Q4 2012.", record(REVENUE)).ok
    assert check("Revenue was $128 million.", record(REVENUE)).ok
    assert check("Revenue was $128,064 thousand.", record(REVENUE)).ok


def test_a_rounding_the_figure_does_not_allow_is_rejected() -> None:
    verdict = check("Revenue was $128.2 million.", record(REVENUE))
    assert not verdict.ok
    assert "'$128.2 million'" in verdict.explain()


def test_percent_matches_a_calculated_result_within_the_places_shown() -> None:
    turn = record(REVENUE, REVENUE_LY, results=("14.33366961583444187520645662", "14.33"))
    assert check("Revenue grew 14.3%.", turn).ok
    assert check("Revenue grew 14.33%.", turn).ok
    assert check("Revenue grew 14%.", turn).ok
    assert not check("Revenue grew 14.4%.", turn).ok


def test_a_difference_in_thousands_reads_as_millions() -> None:
    turn = record(REVENUE, REVENUE_LY, results=("16055",))
    assert check("Revenue rose by $16.1 million.", turn).ok
    assert check("Revenue rose by $16,055 thousand.", turn).ok


def test_parentheses_and_minus_signs_match_a_loss() -> None:
    turn = record(NET_LOSS, EPS)
    assert check("Net loss was (16,088).", turn).ok
    assert check("Net loss was $(16.1) million, or $(0.14) per share.", turn).ok
    assert check("Net loss was -16,088 thousand dollars.", turn).ok
    verdict = check("Net loss was (16,088).", turn)
    assert verdict.checks[0].figure.value == Decimal(-16088)


def test_years_quarters_dates_lines_and_counts_are_not_figures() -> None:
    text = (
        "In the three months ended December 29, 2012 (Q4'12, 4Q12, Q4 2012, fiscal 2012, FY12), "
        "compared with 2011, see lines 67-70 and line 493; over 12 months and 3 quarters; the call "
        "was at 5:00 p.m. on Feb 05, 2013, in the 4th quarter, per the 10-K, for 100G and Tier 1."
    )
    assert [f.text for f in figures(text)] == ["1"]
    cited = "DSO was 74 days in Q3 2012 (Supplemental Financial Information, line 493)."
    assert [f.text for f in figures(cited)] == ["74 days"]


def test_an_invented_number_is_unsupported() -> None:
    verdict = check("DSO was 81 days in Q3 2012.", record(DSO_Q3))
    assert not verdict.ok
    assert verdict.explain() == "'81 days' does not match any figure the tools returned"


def test_a_figure_said_of_another_period_is_unsupported() -> None:
    verdict = check("DSO was 74 days in Q4 2012.", record(DSO_Q3))
    assert not verdict.ok
    assert "is the Q3 2012 figure, not Q4 2012" in verdict.explain()
    assert check("DSO was 74 days in the third quarter of 2012.", record(DSO_Q3)).ok
    assert check("DSO was 74 days in Q3'12.", record(DSO_Q3)).ok


def test_a_quarter_figure_is_not_a_fiscal_year_figure() -> None:
    assert not check("Revenue was $128.1 million in fiscal 2012.", record(REVENUE)).ok
    full_year = fact("438400", "438,400", "USD", "thousands", FY12)
    assert check("Revenue was $438.4 million in fiscal 2012.", record(full_year)).ok


def test_a_unit_word_must_fit_the_fact() -> None:
    verdict = check("DSO was 74% in Q3 2012.", record(DSO_Q3))
    assert not verdict.ok
    assert "not in percent" in verdict.explain()
    assert check("Gross margin was 40.2%.", record(GROSS_MARGIN)).ok
    assert check("DSO was 74.", record(DSO_Q3)).ok


def test_numbers_in_returned_passages_back_a_narrative_answer() -> None:
    passage = (
        "Following the webcast, an archived version will be available on the website for 90 "
        "days. To hear the replay, parties in the United States and Canada should call "
        "1-888-566-0401. We added four new DTN customers for a total of 111 customers."
    )
    turn = record(passages=(passage,))
    assert check("The archive stays up for 90 days; call 1-888-566-0401.", turn).ok
    assert check("It has 111 customers.", turn).ok
    assert not check("Call 1-888-566-0402 for the replay.", turn).ok
    assert not check("It has 112 customers.", turn).ok


def test_an_answer_without_figures_passes() -> None:
    verdict = check("The release does not break revenue down by customer.", record())
    assert verdict.ok
    assert verdict.checks == ()


def test_the_verdict_names_the_facts_the_answer_used() -> None:
    turn = record(REVENUE, REVENUE_LY, DSO_Q3)
    verdict = check("Revenue was $128.1 million in Q4 2012 and $112.0 million in Q4 2011.", turn)
    assert verdict.ok
    assert verdict.facts == (REVENUE, REVENUE_LY)
