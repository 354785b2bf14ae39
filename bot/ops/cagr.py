"""CAGR: the compound annual growth rate of one figure between two periods.

Everything about it is here: the words that ask for it, its arithmetic, its phrasing, and how
a question naming it is answered.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from bot.answer import Answer
from bot.ops.registry import CalculationError, Operation, Request, base, calculate, register
from bot.phrase import calc_answer, not_found
from bot.text import lower_first
from index.facts import Fact

CUES = (
    "cagr",
    r"(?:annuali[sz]ed )?compound(?:ed)?(?: annual(?:i[sz]ed)?)? growth(?: rate)?",
    "annuali[sz]ed growth(?: rate)?",
)
WORDS = ("cagr", "compound", "compounded", "annual", "annualized", "annualised", "growth", "rate")
FORMULA = "((last / first) ^ (1 / years) - 1) x 100"


def compound_rate(facts: Sequence[Fact]) -> Decimal:
    """((last / first) ^ (1 / years) - 1) x 100 over the years between the two periods."""
    last, first = facts
    years = years_between(first, last)
    a, b = base(first), base(last)
    if years <= 0:
        raise CalculationError("a compound rate needs two different periods")
    if a <= 0 or b <= 0:
        raise CalculationError("a compound rate needs two positive values")
    rate = math.pow(float(b / a), 1 / years) - 1
    return Decimal(str(round(rate * 100, 10)))


def years_between(first: Fact, last: Fact) -> float:
    if first.period is None or last.period is None:
        raise CalculationError("a compound rate needs two periods")
    f, t = first.period, last.period
    return (t.fiscal_year - f.fiscal_year) + ((t.quarter or 4) - (f.quarter or 4)) / 4


def answer(req: Request) -> Answer:
    """The compound annual growth rate between the first and last period asked."""
    q, raw = req.query, req.raw
    if len(q.periods) < 2:
        return not_found(
            raw, "A compound growth rate needs two periods, e.g. 'from 2011 to 2012'.", q
        )
    asks = sorted(q.periods, key=lambda p: (p.fiscal_year, p.quarter or 0))
    first, _, _ = req.resolver.resolve(list(q.matches), q.basis, asks[0])
    last, row, _ = req.resolver.resolve(list(q.matches), q.basis, asks[-1])
    if first is None or last is None or row is None:
        return not_found(raw, "The release does not give that figure for both periods.", q)
    try:
        calc = calculate("cagr", [last, first])
    except CalculationError as exc:
        return not_found(raw, f"I couldn't compute that: {exc}.", q)
    text = (
        f"The compound annual growth rate of {lower_first(row.name)} from "
        f"{first.period.label} ({first.display()}) to {last.period.label} "
        f"({last.display()}) was {calc.display(2)}, computed as {FORMULA}."
    )
    return calc_answer(raw, text, [last, first], [calc], q)


OPERATION = register(
    Operation(
        "cagr",
        2,
        compound_rate,
        lambda u: "percent",
        lambda ls: f"(({ls[0]} / {ls[1]}) ^ (1 / years) - 1) x 100",
        "The compound annual growth rate of {name} from {old_period} to {new_period} was {amount}",
        cues=CUES,
        words=WORDS,
        asks=lambda q, op_text: bool(OPERATION.cue_re.search(op_text)),
        answer=answer,
        rank=30,
    )
)
