"""Gap: how far apart the GAAP and the non-GAAP figure of one period are."""

from __future__ import annotations

from dataclasses import replace

from bot.answer import Answer
from bot.intent import NON_GAAP_RE
from bot.ops.change import GAP_CUES, GAP_RE
from bot.ops.operands import answered
from bot.ops.registry import CalculationError, Operation, Request, calculate, cue_pattern, register
from bot.phrase import fmt_calc
from bot.query import Query
from bot.text import lower_first

GAAP_WORD_RE = cue_pattern(("gaap",))


def asks(q: Query, op_text: str) -> bool:
    """A gap, difference or spread between a GAAP and a non-GAAP figure."""
    return bool(
        GAP_RE.search(q.text) and GAAP_WORD_RE.search(q.text) and NON_GAAP_RE.search(q.text)
    )


def operate(req: Request) -> Answer:
    """The gap between the GAAP and the non-GAAP figure of one period."""
    periods = list(req.query.periods)
    ask = periods[0] if periods else None
    fact, row, a = req.resolver.resolve(list(req.query.matches), "GAAP", ask)
    other = req.resolver.counterpart(row, fact, "non-GAAP") if fact and row else None
    if fact is None or other is None:
        raise CalculationError("the release does not give both GAAP and non-GAAP figures for that")
    calc = calculate("difference", [fact, other])
    calc = replace(calc, result=abs(calc.result))
    text = (
        f"The gap between GAAP {lower_first(row.name)} ({fact.display()}) and non-GAAP "
        f"({other.display()}) in {fact.period.label} is {fmt_calc(calc, fact)}."
    )
    return answered(req, text, [fact, other], [calc], row)


register(Operation("gap", cues=GAP_CUES, asks=asks, rank=200, operate=operate, table_first=True))
