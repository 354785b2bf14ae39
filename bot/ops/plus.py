"""Plus: two figures of one period added ('X plus Y')."""

from __future__ import annotations

import re

from bot.answer import Answer
from bot.ops.operands import answered, pair, when
from bot.ops.registry import CalculationError, Operation, Request, calculate, cue_pattern, register
from bot.phrase import fmt_calc
from bot.query import Query
from bot.text import lower_first

CUES = ("plus",)
PLUS_RE = cue_pattern(CUES)


def asks(q: Query, op_text: str) -> bool:
    return bool(PLUS_RE.search(q.text))


def operate(req: Request) -> Answer:
    """Two figures added ('X plus Y')."""
    periods = list(req.query.periods)
    ask = periods[0] if periods else None
    left, right = re.split(r"\bplus\b", req.query.text, maxsplit=1, flags=re.I)
    fa, ra, fb, rb = pair(req, left, right, req.query.basis, ask)
    calc = calculate("sum", [fa, fb]) if fa.scale == fb.scale else None
    if calc is None:
        raise CalculationError("the two figures are printed at different scales")
    text = (
        f"{ra.name} ({fa.display()}) plus {lower_first(rb.name)} ({fb.display()}) "
        f"{when(fa)} is {fmt_calc(calc, fa)}."
    )
    return answered(req, text, [fa, fb], [calc], ra)


register(Operation("plus", cues=CUES, asks=asks, rank=140, operate=operate, table_first=True))
