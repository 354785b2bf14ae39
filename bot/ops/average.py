"""Average: the mean of a figure over the periods or items asked."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bot.answer import Answer
from bot.ops.operands import across_members
from bot.ops.registry import Operation, Request, cue_pattern, register
from bot.ops.total import combine
from bot.query import Query
from index.facts import Fact

# 'weighted average shares' is a line's name, not an average asked for.
CUES = ("(?<!weighted )(?<!weighted-)average(?! shares)(?! share count)", "mean", "avg")
AVERAGE_RE = cue_pattern(CUES)


def average(facts: Sequence[Fact]) -> Decimal:
    return sum((f.value for f in facts), Decimal(0)) / len(facts)


def asks(q: Query, op_text: str) -> bool:
    """'average' outside the measure's label ('Average invested capital' is a line's name)."""
    return bool(AVERAGE_RE.search(op_text))


def operate(req: Request) -> Answer:
    """The average of members of one row the question names, else over the periods asked."""
    return across_members(req, "average") or combine(req, "average")


register(
    Operation(
        "average",
        None,
        average,
        formula=lambda ls: f"({' + '.join(ls)}) / {len(ls)}",
        cues=CUES,
        asks=asks,
        rank=110,
        operate=operate,
        table_first=True,
    )
)
