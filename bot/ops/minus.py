"""Minus: one figure of a period less another ('X minus Y'), and free cash flow, operating cash
flow less capital expenditure, where the release prints no line by that name."""

from __future__ import annotations

from bot.ops.registry import Operation, cue_pattern, register
from bot.query import Query

CUES = ("minus", "less", "subtract(?:ing)?")
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


register(
    Operation(
        "minus",
        cues=CUES + FCF_CUES,
        asks=asks,
        rank=160,
        declines=declines,
        table_first=True,
        names_figure=lambda question: bool(FCF_RE.search(question)),
    )
)
