"""Sum: a figure added up over the periods asked (a year's quarters, by default), or the
total of the two periods a question names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from bot.ops.registry import Operation, cue_pattern, register
from bot.query import Query
from index.facts import Fact

SUM_CUES = (
    r"add(?:ed)? up",
    "sum",
    "combined",
    r"in total(?!\s*[\w(])",
    "altogether",
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


def total(facts: Sequence[Fact]) -> Decimal:
    return sum((f.value for f in facts), Decimal(0))


def asks(q: Query, op_text: str) -> bool:
    """'sum', 'combined', 'in total', 'summing', 'Q1 plus Q2'."""
    return bool(
        SUM_RE.search(q.text) or SUMMING_RE.search(q.text) or PERIODS_ADDED_RE.search(q.text)
    )


def asks_total(q: Query, op_text: str) -> bool:
    """'total' outside the measure's label, with two periods named."""
    return len(q.periods) >= 2 and bool(TOTAL_RE.search(op_text))


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
        table_first=True,
    )
)
