"""Minus: one figure of a period less another ('X minus Y'), and free cash flow, operating cash
flow less capital expenditure, where the release prints no line by that name."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answer import Answer
from bot.ops.operands import answered, pair, when
from bot.ops.registry import Operation, Request, calculate, cue_pattern, register
from bot.phrase import fmt_calc
from bot.query import Query
from bot.text import lower_first
from index.facts import format_value

# "less than one year" bounds a column (a maturity), it subtracts nothing.
CUES = ("minus", "less(?! than)", "subtract(?:ing)?")
FCF_CUES = ("free cash flow", "fcf")
MINUS_RE = cue_pattern(CUES)
FCF_RE = cue_pattern(FCF_CUES)


def asks(q: Query, op_text: str) -> bool:
    return bool(MINUS_RE.search(q.text) or FCF_RE.search(q.text))


def declines(q: Query) -> bool:
    """Free cash flow where the release prints a line by that name: the line answers."""
    best = q.best
    printed = best is not None and best.label_coverage >= 0.99 and FCF_RE.search(best.row.name)
    return bool(printed) and not MINUS_RE.search(q.text)


def operate(req: Request) -> Answer:
    """One figure less another ('X minus Y'; free cash flow)."""
    periods = list(req.query.periods)
    ask = periods[0] if periods else None
    q = req.query.text
    if not MINUS_RE.search(q):
        q = "operating cash flow minus purchase of property and equipment"
    left, right = MINUS_RE.split(q, maxsplit=1)
    left = re.sub(r".*\bas\b", "", left, flags=re.I)
    fa, ra, fb, rb = pair(req, left, right, req.query.basis, ask)
    b_val = abs(fb.value) if fb.value < 0 and fa.unit == fb.unit else fb.value
    fb_pos = replace(fb, value=b_val)
    calc = calculate("difference", [fa, fb_pos])
    text = (
        f"{ra.name} ({fa.display()}) minus {lower_first(rb.name)} ({format_value(b_val, fb.unit, fb.scale)}) "
        f"{when(fa)} is {fmt_calc(calc, fa)}."
    )
    return answered(req, text, [fa, fb], [calc], ra)


register(
    Operation(
        "minus",
        cues=CUES + FCF_CUES,
        asks=asks,
        rank=160,
        declines=declines,
        operate=operate,
        table_first=True,
        names_figure=lambda question: bool(FCF_RE.search(question)),
    )
)
