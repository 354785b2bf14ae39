"""Sum: a figure added up over the periods asked (a year's quarters, by default), or the
total of the two periods a question names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from bot.answer import Answer
from bot.ops.operands import across_members, answered, over_periods
from bot.ops.registry import CalculationError, Operation, Request, calculate, cue_pattern, register
from bot.phrase import fmt_calc, period_label, unit_word
from bot.query import Query
from index.facts import Fact

SUM_CUES = (
    r"add(?:ed)? up",
    "sum",
    "combined",
    r"in total(?!\s*[\w(])",
    "altogether",
    r"together(?=\s*[?.!]?\s*$)",
    "cumulative",
    "summ(?:ing|ed)",
)
SUM_RE = cue_pattern(SUM_CUES[:-1])
SUMMING_RE = cue_pattern(SUM_CUES[-1:])
PERIOD_WORD = (
    r"(?:q[1-4]|[1-4]q|(?:fy\s*|fiscal\s+)?(?:19|20)\d\d|(?:first|second|third|fourth) quarter)"
)
PERIODS_ADDED_RE = re.compile(rf"\b{PERIOD_WORD}\s+(?:plus|\+)\s+{PERIOD_WORD}\b", re.I)
# 'the total X in 2018 and 2019' (where 'total' is no word of X's label): the two added.
TOTAL_RE = cue_pattern(("total",))
# 'the total X in both 2019 and 2018', 'the total X between 2017 to 2019': 'total' asks the
# periods added even when it is a word of X's label.
TOTAL_OVER_RE = re.compile(r"\btotal\b.*\b(?:both|between)\b", re.I)


def total(facts: Sequence[Fact]) -> Decimal:
    return sum((f.value for f in facts), Decimal(0))


def asks(q: Query, op_text: str) -> bool:
    """'sum', 'combined', 'in total', 'summing', 'Q1 plus Q2'."""
    return bool(
        SUM_RE.search(q.text) or SUMMING_RE.search(q.text) or PERIODS_ADDED_RE.search(q.text)
    )


def asks_total(q: Query, op_text: str) -> bool:
    """'total' outside the measure's label, with two periods named."""
    return len(q.periods) >= 2 and bool(TOTAL_RE.search(op_text) or TOTAL_OVER_RE.search(q.text))


def operate(req: Request) -> Answer:
    """The sum of members of one row the question names, else of the periods asked."""
    return across_members(req, "sum") or combine(req, "sum")


def combine(req: Request, op: str) -> Answer:
    """The sum or average of a figure over the quarters asked (a year's, by default)."""
    q, r = req.query, req.resolver
    matches, basis, periods = list(q.matches), q.basis, list(q.periods)
    _, row, _ = r.resolve(matches, basis, None)
    row = row or (r.candidates(matches, basis) or [None])[0]
    if row is None:
        raise CalculationError("no figure to combine")
    rows = [row] + [c for c in r.candidates(matches, basis) if c is not row]
    row, chosen = over_periods(req, rows, periods)
    if len(chosen) < 2:
        raise CalculationError("the release does not give enough quarterly figures for that")
    calc = calculate(op, chosen)
    parts = ", ".join(f"{period_label(f)} {f.display()}" for f in chosen)
    text = (
        f"The {op} of {row.name} over {period_label(chosen[0])}–{period_label(chosen[-1])} is "
        f"{fmt_calc(calc, chosen[0], places=2)}{'' if calc.unit == 'percent' else unit_word(chosen[0])}"
        f" ({parts})."
    )
    return answered(req, text, chosen, [calc], row)


register(
    Operation(
        "sum",
        None,
        total,
        formula=lambda ls: " + ".join(ls),
        cues=SUM_CUES,
        asks=asks,
        rank=120,
        also=((240, asks_total),),
        operate=operate,
        table_first=True,
    )
)
