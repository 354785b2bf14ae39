"""Scoring rules of the eval, shown with hand-made answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bot.answer import Answer, Citation
from eval.run import DEFAULT_GOLD, load_gold
from eval.score import GoldItem, figures_in, retrieval_hit, score


def item(expected: dict[str, Any], lines: list[int] | None = None, **extra: Any) -> GoldItem:
    return GoldItem.from_dict(
        {
            "id": extra.pop("id", "q"),
            "category": extra.pop("category", "lookup"),
            "question": "?",
            "expected": expected,
            "lines": lines,
            **extra,
        }
    )


def value(v: str, scale: str = "units", unit: str = "USD", **more: Any) -> GoldItem:
    return item({"value": v, "unit": unit, "scale": scale, "period": "Q4 2012", **more})


def answer(text: str, found: bool = True, cited: list[tuple[int, int]] | None = None) -> Answer:
    citations = tuple(Citation("table", "r", lines, "quote") for lines in cited or [])
    return Answer(question="?", text=text, found=found, citations=citations)


def correct(gold: GoldItem, text: str) -> bool:
    return score(gold, answer(text)).correct


REVENUE = value("128,064", "thousands")
NET_LOSS = value("(16,088)", "thousands")


@pytest.mark.parametrize(
    "text",
    [
        "Revenue was $128,064 thousand in Q4 2012.",
        "Revenue was 128,064 (in thousands).",
        "Revenue was $128.1 million in Q4 2012.",
        "Revenue was $128 million.",
        "Revenue was $128,064,000.",
        "Revenue was $128.06M.",
    ],
)
def test_value_as_printed_or_a_fair_rounding_with_its_scale_passes(text: str) -> None:
    assert correct(REVENUE, text)


@pytest.mark.parametrize(
    "text",
    [
        "Revenue was $128.2 million.",  # wrong rounding
        "Revenue was $130 million.",  # too coarse: two significant digits
        "Revenue was $0.1 billion.",
        "Revenue was 128,065 thousand.",
        "Revenue was 128.1 thousand.",  # wrong scale word
        "Revenue was 128,064%.",
    ],
)
def test_wrong_or_too_rough_figure_fails(text: str) -> None:
    assert not correct(REVENUE, text)


@pytest.mark.parametrize(
    "text",
    [
        "Net loss was (16,088) thousand.",
        "Net loss was -16,088 thousand.",
        "Net loss was $(16,088) thousand.",
        "Net loss was $ (16,088).",
        "Net loss was ($16,088).",
        "Net loss was $(16.1) million.",
        "Net loss was −$16.1 million.",
    ],
)
def test_negative_figure_in_any_accounting_form_passes(text: str) -> None:
    assert correct(NET_LOSS, text)


@pytest.mark.parametrize("text", ["Net loss was 16,088 thousand.", "Net loss was $16.1 million."])
def test_negative_figure_without_its_sign_fails(text: str) -> None:
    assert not correct(NET_LOSS, text)


def test_a_dash_between_figures_is_not_a_minus_sign() -> None:
    gold = value("112,056", "thousands")
    assert correct(gold, "Growth = 128,064 - 112,056 = 16,008 thousand.")


def test_percent_as_printed_passes() -> None:
    margin = value("34", unit="percent")
    assert correct(margin, "GAAP gross margin was 34% in Q4 2012.")
    assert correct(margin, "GAAP gross margin was 34 percent.")
    assert not correct(margin, "GAAP gross margin was 36%.")


def test_a_percent_does_not_pass_for_a_dollar_figure() -> None:
    assert not correct(value("48", "millions"), "Margin was 48%.")


def test_per_share_and_ratio_figures() -> None:
    assert correct(value("(0.14)", unit="USD per share"), "Net loss per share was $(0.14).")
    assert not correct(value("(0.14)", unit="USD per share"), "Net loss per share was $0.14.")
    assert correct(value("2.98", unit="ratio", tolerance=0.01), "The current ratio was 2.98x.")


LARGEST_CUSTOMER = value("< 10%", unit="percent")


@pytest.mark.parametrize("text", ["It was < 10%.", "It was <10%.", "Less than 10% of shipments."])
def test_qualified_value_keeps_its_qualifier(text: str) -> None:
    assert correct(LARGEST_CUSTOMER, text)


def test_qualified_value_without_its_qualifier_fails_and_says_so() -> None:
    verdict = score(LARGEST_CUSTOMER, answer("The largest customer was 10% of shipments."))
    assert not verdict.correct
    assert "qualifier" in verdict.reason


def test_a_qualifier_does_not_pass_for_an_exact_value() -> None:
    assert not correct(value("10", unit="percent"), "The largest customer was < 10%.")


GROWTH = value("14.33", unit="percent", tolerance=0.1)
MARGIN = value("-12.11", unit="percent", tolerance=0.1)


@pytest.mark.parametrize("text", ["Revenue grew 14.3%.", "Revenue grew 14.33%.", "grew 14.4 %"])
def test_calculation_within_tolerance_passes(text: str) -> None:
    assert correct(GROWTH, text)


@pytest.mark.parametrize("text", ["Revenue grew 14%.", "Revenue grew 14.2%.", "grew 15.33%"])
def test_calculation_outside_tolerance_fails(text: str) -> None:
    assert not correct(GROWTH, text)


def test_negative_calculation_needs_its_sign() -> None:
    assert correct(MARGIN, "Operating margin was -12.1%.")
    assert correct(MARGIN, "Operating margin was (12.1)%.")
    assert correct(MARGIN, "Operating margin was (12.1%).")
    assert not correct(MARGIN, "Operating margin was 12.1%.")


def test_a_fall_word_is_the_sign_of_a_percent_change() -> None:
    change = value("-7.50", unit="percent", tolerance=0.1)
    assert correct(change, "Total operating expenses fell 7.5% from Q4 2011.")
    assert correct(change, "Operating expenses decreased by 7.5%.")
    assert correct(change, "a decline of 7.5 percent")
    assert not correct(change, "Total operating expenses rose 7.5%.")
    assert not correct(GROWTH, "Revenue fell 14.3%.")


def test_a_fall_word_does_not_sign_a_dollar_amount() -> None:
    narrowed = value("1,811", "thousands", tolerance=1)
    assert correct(narrowed, "The non-GAAP net loss decreased by $1,811 thousand.")


def test_calculation_tolerance_is_in_the_expected_scale() -> None:
    change = value("3,586", "thousands", tolerance=1)
    assert correct(change, "The net loss grew by $3,586 thousand.")
    assert correct(change, "The net loss grew by $3,587 thousand.")
    assert correct(change, "The net loss grew by $3.59 million.")
    assert not correct(change, "The net loss grew by $3,590 thousand.")


def test_calculation_shows_its_operands_and_still_passes() -> None:
    text = (
        "Revenue grew 14.33% from $112,056 thousand in Q4 2011 to $128,064 thousand in Q4 2012 "
        "(GAAP Condensed Consolidated Statements of Operations, line 67)."
    )
    assert correct(GROWTH, text)


def test_dump_of_more_than_six_figures_fails_even_with_the_right_one() -> None:
    dump = "Figures: 128,064; 112,056; 438,437; 404,877; 84,796; 95,041; 43,268."
    verdict = score(REVENUE, answer(dump))
    assert not verdict.correct
    assert "7 figures" in verdict.reason


def test_six_figures_are_not_a_dump() -> None:
    assert correct(REVENUE, "Figures: 128,064; 112,056; 438,437; 404,877; 84,796; 95,041.")


def test_dates_periods_and_line_numbers_are_not_figures() -> None:
    text = (
        "DSO was 74 days in Q3 2012 (three months ended September 29, 2012), versus Q3'11, "
        "4Q12, FY2011 and fiscal 2011 (Supplemental Financial Information, lines 493-495; "
        "line 12). Released Feb 05, 2013; see the Form 10-K."
    )
    assert [f.value for f in figures_in(text)] == [Decimal(74)]


def test_many_dates_and_citations_do_not_make_a_dump() -> None:
    text = (
        "Revenue was $128,064 thousand in Q4 2012 (December 29, 2012), Q3 2012, Q2 2012, "
        "Q1 2012, fiscal 2012, 2011 and 2010 (lines 67, 69, 71, 73, 75 and 77)."
    )
    assert correct(REVENUE, text)


def test_value_and_phrase_answers_must_be_found() -> None:
    verdict = score(REVENUE, answer("Revenue was $128,064 thousand.", found=False))
    assert not verdict.correct
    assert "found is false" in verdict.reason
    assert not score(item({"phrases": ["Sunnyvale"]}), answer("Sunnyvale", found=False)).correct


NOT_FOUND = item({"not_found": True}, category="not_in_release")


def test_not_found_item_is_right_only_when_the_bot_refuses() -> None:
    refusal = answer("The release does not give revenue for 2010; it covers 2011 and 2012.", False)
    assert score(NOT_FOUND, refusal).correct
    assert not score(NOT_FOUND, answer("Revenue in 2010 was $404.9 million.")).correct


def test_not_found_item_without_lines_has_no_citation_verdict() -> None:
    assert score(NOT_FOUND, answer("Not in the release.", False)).citation_ok is None


PHRASES = item({"phrases": ["Jenifer Kirtland", "Bob Jones"]}, lines=[532])


def test_phrases_are_matched_case_insensitively_and_all_are_needed() -> None:
    assert correct(PHRASES, "Contact JENIFER KIRTLAND or bob jones.")
    verdict = score(PHRASES, answer("Contact Jenifer Kirtland."))
    assert not verdict.correct
    assert "Bob Jones" in verdict.reason


def test_phrases_ignore_spacing_and_dash_style() -> None:
    assert correct(item({"phrases": ["5:00 p.m.", "Eastern"]}), "At 5:00  p.m. eastern time.")
    assert correct(item({"phrases": ["1-888-566-0401"]}), "Dial 1–888–566–0401.")


def test_phrase_items_are_not_held_to_the_figure_limit() -> None:
    text = "Dial 1-888-566-0401 or 1-203-369-3040, passcode 12345, 1, 2, 3, 4, 5, 6, 7."
    assert correct(item({"phrases": ["1-888-566-0401"]}), text)


def test_citation_counts_when_its_range_contains_a_gold_line() -> None:
    gold = value("92.9", "millions", lines=None)
    gold = item(dict(gold.expected), lines=[460, 470])
    assert score(gold, answer("$92.9 million", cited=[(455, 462)])).citation_ok is True
    assert score(gold, answer("$92.9 million", cited=[(470, 470)])).citation_ok is True
    assert score(gold, answer("$92.9 million", cited=[(461, 469), (1, 5)])).citation_ok is False
    assert score(gold, answer("$92.9 million")).citation_ok is False


def test_right_answer_with_wrong_citation_is_still_correct_but_flagged() -> None:
    gold = item(dict(REVENUE.expected), lines=[67])
    verdict = score(gold, answer("Revenue was $128,064 thousand.", cited=[(460, 460)]))
    assert verdict.correct
    assert verdict.citation_ok is False
    assert "citation" in verdict.reason


def test_score_accepts_a_plain_gold_dict() -> None:
    raw = {"id": "x", "category": "lookup", "question": "?", "expected": {"value": "74"}}
    assert score(raw, answer("DSO was 74 days.")).correct


def test_every_gold_value_scores_correct_when_answered_as_printed() -> None:
    """The scorer can read every expected value in the gold set, and accepts it as printed."""
    for gold in load_gold(DEFAULT_GOLD):
        if gold.kind == "not_found":
            continue
        if gold.kind == "phrases":
            text = "; ".join(gold.expected["phrases"])
        else:
            text = f"The figure is {gold.expected['value']} ({gold.expected.get('period')})."
        cited = [(n, n) for n in gold.lines[:1]]
        verdict = score(gold, answer(text, cited=cited))
        assert verdict.correct, (gold.id, text, verdict.reason)
        assert verdict.citation_ok in (None, True), gold.id


def test_retrieval_baseline_needs_the_printed_digits() -> None:
    assert retrieval_hit(NET_LOSS, "Net loss | $ (16,088) | $ (19,191)")
    assert not retrieval_hit(NET_LOSS, "Net loss | $ (116,088)")
    assert not retrieval_hit(REVENUE, "GAAP revenues for the quarter were $128.1 million")
    assert retrieval_hit(LARGEST_CUSTOMER, "Largest customer  < 10%  11%")
    assert retrieval_hit(PHRASES, "Contacts: Jenifer Kirtland ... Bob Jones")
    assert not retrieval_hit(PHRASES, "Contacts: Jenifer Kirtland")
    assert not retrieval_hit(NOT_FOUND, "anything at all")
