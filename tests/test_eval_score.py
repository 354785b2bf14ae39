"""Scoring rules of the eval, shown with hand-made answers."""

from __future__ import annotations

import ast
import operator
import re
from decimal import Decimal
from typing import Any

import pytest

from bot.answer import Answer, Citation
from eval.run import DEFAULT_GOLD, DEFAULT_GOLDS, load_gold
from eval.score import GoldItem, figures_in, outcome, period_forms, retrieval_hit, score
from index.config import DEFAULT_RELEASE


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


def answered_as_printed(gold: GoldItem) -> Answer:
    """The answer a perfect bot would give to `gold`: its figures, period, word and citations."""
    if gold.kind == "phrases":
        return answer("; ".join(gold.expected["phrases"]), cited=[(n, n) for n in gold.lines[:1]])
    e = gold.expected
    figures = "; ".join(f"{v['value']} ({v.get('period')})" for v in gold.expected_values)
    text = f"The figure is {figures}."
    if e.get("computed"):
        text = f"Computed: {text}"
    if e.get("period_named"):
        text += f" It was in {e['period']}."
    if e.get("direction"):
        text += f" It {e['direction']}."
    lines = [*gold.lines[:1], *gold.operands_lines] if e.get("computed") else gold.lines[:1]
    return answer(text, cited=[(n, n) for n in lines])


def test_every_gold_value_scores_correct_when_answered_as_printed() -> None:
    """The scorer can read every expected value in every gold file, and accepts it as printed."""
    for gold in load_gold(DEFAULT_GOLDS):
        if gold.kind == "not_found":
            continue
        verdict = score(gold, answered_as_printed(gold))
        assert verdict.correct, (gold.id, verdict.reason)
        assert verdict.citation_ok in (None, True), gold.id


RELEASE_LINES = DEFAULT_RELEASE.read_text(encoding="utf-8").split("\n")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
CONSTANTS = {"1", "2", "3", "4", "100", "1000000"}  # counts, divisors, percent, scale


def printed_numbers(line: int) -> set[Decimal]:
    """The numbers on a line of the bundled release, without sign: '$ (16,088)' gives 16088."""
    return {Decimal(n.replace(",", "")) for n in NUMBER.findall(RELEASE_LINES[line - 1])}


def printed_on(value: str, lines: tuple[int, ...] | list[int]) -> bool:
    """`value` stands as printed (sign, qualifier and all) on one of `lines`."""
    want = re.sub(r"[\s$%]", "", value)
    for line in lines:
        text = RELEASE_LINES[line - 1].replace("$", " ").replace("< ", "<")
        if want in {re.sub(r"[\s$%]", "", t) for t in text.split()}:
            return True
    return False


BUNDLED = [g for g in load_gold(DEFAULT_GOLD) if g.release is None]


@pytest.mark.parametrize(
    "gold",
    [
        g
        for g in BUNDLED
        if g.kind in ("value", "values", "summary") and g.lines and "compute" not in g.expected
    ],
    ids=lambda g: g.id,
)
def test_every_printed_gold_value_stands_on_its_line_of_the_release(gold: GoldItem) -> None:
    for e in gold.expected_values:
        lines = e.get("lines") or gold.lines
        assert lines, f"{gold.id}: no lines"
        assert printed_on(str(e["value"]), lines), (gold.id, e["value"], lines)


_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def evaluate(expression: str) -> Decimal:
    """Arithmetic over printed figures ('(58,402 - 21,431) / 58,402 * 100') in Decimal."""

    def walk(node: ast.AST) -> Decimal:
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return Decimal(node.value)
        raise ValueError(f"not arithmetic: {ast.dump(node)}")

    quoted = NUMBER.sub(lambda m: repr(m.group().replace(",", "")), expression)
    return walk(ast.parse(quoted, mode="eval").body)


@pytest.mark.parametrize(
    "gold", [g for g in BUNDLED if "compute" in g.expected], ids=lambda g: g.id
)
def test_every_computed_gold_value_follows_from_printed_operands(gold: GoldItem) -> None:
    """The stated arithmetic gives the expected value, and every operand is printed on one of
    the item's operand lines."""
    e = gold.expected
    assert e.get("formula"), gold.id
    result = evaluate(str(e["compute"]))
    expected = Decimal(str(e["value"]).replace(",", ""))
    places = -expected.as_tuple().exponent
    assert round(result, places) == expected, (gold.id, result)
    printed = set().union(*(printed_numbers(n) for n in gold.operands_lines))
    for operand in NUMBER.findall(str(e["compute"])):
        if operand not in CONSTANTS:
            assert Decimal(operand.replace(",", "")) in printed, (gold.id, operand)


def test_retrieval_baseline_needs_the_printed_digits() -> None:
    assert retrieval_hit(NET_LOSS, "Net loss | $ (16,088) | $ (19,191)")
    assert not retrieval_hit(NET_LOSS, "Net loss | $ (116,088)")
    assert not retrieval_hit(REVENUE, "GAAP revenues for the quarter were $128.1 million")
    assert retrieval_hit(LARGEST_CUSTOMER, "Largest customer  < 10%  11%")
    assert retrieval_hit(PHRASES, "Contacts: Jenifer Kirtland ... Bob Jones")
    assert not retrieval_hit(PHRASES, "Contacts: Jenifer Kirtland")
    assert not retrieval_hit(NOT_FOUND, "anything at all")


OPEX = item(
    {
        "values": [
            {"label": "R&D", "value": "117,233", "unit": "USD", "scale": "thousands"},
            {"label": "S&M", "value": "75,862", "unit": "USD", "scale": "thousands"},
            {"label": "G&A", "value": "47,475", "unit": "USD", "scale": "thousands"},
        ]
    },
    category="multi_measure",
)


def test_several_values_must_all_be_in_the_answer() -> None:
    assert correct(OPEX, "R&D $117.2 million, S&M $75.9 million and G&A $47.5 million in 2012.")
    verdict = score(OPEX, answer("G&A was $47,475 thousand in fiscal 2012."))
    assert not verdict.correct
    assert "R&D: 117,233" in verdict.reason and "S&M: 75,862" in verdict.reason


def test_several_values_allow_a_few_more_figures_but_not_a_dump() -> None:
    text = "R&D 117,233, S&M 75,862, G&A 47,475; in 2011 127,120, 64,773, 54,375; total 240,570."
    assert correct(OPEX, text)
    dump = text + " Also 1, 2, 3, 5, 8, 13 and 21."
    assert "dump" in score(OPEX, answer(dump)).reason


SUMMARY = item(
    {
        "summary": True,
        "values": [
            {"value": "128,064", "unit": "USD", "scale": "thousands"},
            {"value": "34", "unit": "percent"},
            {"value": "(0.14)", "unit": "USD per share"},
        ],
    },
    category="summary",
)


def test_a_summary_holds_its_key_figures_however_many_others_it_gives() -> None:
    text = (
        "Q4 2012: revenue $128.1 million (Q3 $112.2 million, Q4 2011 $112.0 million), GAAP gross "
        "margin 34% (37%, 40%), net loss $(16.1) million ($(19.1), $(19.4)), loss per share "
        "$(0.14) ($(0.17), $(0.18)); non-GAAP $(0.05)."
    )
    assert correct(SUMMARY, text)
    verdict = score(SUMMARY, answer("Revenue was $128.1 million and gross margin 34%."))
    assert not verdict.correct and "(0.14)" in verdict.reason


EBITDA = item(
    {
        "value": "-59,340",
        "unit": "USD",
        "scale": "thousands",
        "tolerance": 1,
        "computed": True,
        "formula": "loss from operations + depreciation and amortization",
    },
    operands_lines=[98, 386],
    category="derived",
)


def test_a_computed_figure_says_so_and_cites_every_operand() -> None:
    text = "EBITDA, computed: $(83,001) + $23,661 = $(59,340) thousand."
    assert score(EBITDA, answer(text, cited=[(98, 98), (385, 386)])).correct
    missing = score(EBITDA, answer(text, cited=[(98, 98)]))
    assert not missing.correct and "386" in missing.reason
    unsaid = score(EBITDA, answer("EBITDA was $(59,340) thousand.", cited=[(98, 98), (386, 386)]))
    assert not unsaid.correct and "computed" in unsaid.reason


def test_a_formula_alone_does_not_ask_for_operand_citations() -> None:
    gold = item({"value": "14.33", "unit": "percent", "tolerance": 0.1, "formula": "growth"})
    assert correct(gold, "Revenue grew 14.3%.")


PEAK = item(
    {"value": "59.8", "unit": "USD", "scale": "millions", "period": "Q3 2012", "period_named": True}
)


@pytest.mark.parametrize(
    "text",
    [
        "Work in process peaked at $59.8 million in Q3 2012.",
        "It peaked in Q3'12 at $59.8 million.",
        "The peak was $59.8 million, in the third quarter of 2012.",
        "3Q12: $59.8 million.",
    ],
)
def test_an_extreme_names_its_period_in_any_usual_form(text: str) -> None:
    assert correct(PEAK, text)


def test_an_extreme_without_its_period_fails() -> None:
    verdict = score(PEAK, answer("Work in process peaked at $59.8 million."))
    assert not verdict.correct and "Q3 2012" in verdict.reason
    assert not correct(PEAK, "Work in process peaked at $59.8 million in Q3 2011.")


def test_period_forms_leave_other_labels_alone() -> None:
    assert period_forms("fiscal 2012") == ("fiscal 2012",)
    assert "fourth quarter of 2011" in period_forms("Q4 2011")


SWING = value("-734", "thousands", signed=True, tolerance=1)


@pytest.mark.parametrize(
    "text",
    [
        "It fell by $734 thousand.",
        "It decreased by 734 thousand.",
        "The change was $(734) thousand.",
    ],
)
def test_a_signed_amount_takes_its_sign_from_a_fall_word(text: str) -> None:
    assert correct(SWING, text)


def test_a_signed_amount_without_a_sign_or_with_a_rise_word_fails() -> None:
    assert not correct(SWING, "It rose by $734 thousand.")
    assert not correct(SWING, "The change was $734 thousand.")


def test_a_loss_that_narrowed_is_a_negative_percent_change() -> None:
    narrowed = value("-16.86", unit="percent", tolerance=0.1)
    assert correct(narrowed, "The GAAP net loss narrowed 16.9% from Q4 2011.")
    assert not correct(narrowed, "Net loss rose 16.9%.")


@pytest.mark.parametrize(
    ("kind", "found", "right", "expected"),
    [
        ("value", True, True, "correct"),
        ("value", True, False, "wrong"),
        ("values", False, False, "refused"),
        ("not_found", True, False, "false_answer"),
        ("not_found", False, True, "correct"),
        ("value", None, False, "error"),
    ],
)
def test_outcome_tells_wrong_answers_from_refusals_and_false_answers(
    kind: str, found: bool | None, right: bool, expected: str
) -> None:
    assert outcome(kind, found, right) == expected


def test_a_gold_file_release_goes_to_its_items_unless_an_item_names_its_own() -> None:
    raw = {"id": "a", "category": "c", "question": "?", "expected": {"value": "1"}}
    assert GoldItem.from_dict(raw, "data/releases/x.htm").release == "data/releases/x.htm"
    assert GoldItem.from_dict({**raw, "release": "y.txt"}, "x.htm").release == "y.txt"
    assert GoldItem.from_dict(raw).release is None


NARROWED = value("3,262", "thousands", tolerance=1, direction="narrowed")


@pytest.mark.parametrize(
    "text",
    [
        "The net loss narrowed by $3,262 thousand.",
        "The Q4 2012 net loss was $3,262 thousand smaller than a year earlier.",
    ],
)
def test_a_direction_is_said_with_its_own_words(text: str) -> None:
    assert correct(NARROWED, text)


def test_a_loss_that_narrowed_does_not_rise() -> None:
    verdict = score(NARROWED, answer("Net loss rose by $3,262 thousand, from $(19,350) thousand."))
    assert not verdict.correct and "narrowed" in verdict.reason
    assert not correct(NARROWED, "The net loss changed by $3,262 thousand.")


def test_a_figure_rounded_to_zero_states_nothing() -> None:
    cent = value("0.01", unit="USD per share", tolerance=0.001)
    assert not correct(cent, "Loss per share changed by 0.0.")
    assert correct(cent, "Loss per share narrowed by $0.01.")
