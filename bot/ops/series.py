"""Series: a figure quarter by quarter, as chart points, every point cited, with how it moved
from the first to the last."""

from __future__ import annotations

from bot.ops.change import GROWTH_RE
from bot.ops.registry import Operation, cue_pattern, register
from bot.query import Query

CUES = (
    "by quarter",
    "each quarter",
    "per quarter",
    "quarter[- ]by[- ]quarter",
    "trend",
    "over time",
    "plot",
    "chart",
    "graph",
    "history",
    "all quarters",
    "quarterly",
    r"over (?:the )?(?:last|past) \w+ quarters",
    r"over 20\d\d and 20\d\d",
)
SERIES_RE = cue_pattern(CUES)


def asks(q: Query, op_text: str) -> bool:
    """Series words, unless two periods are named with a moving word (a change between them)."""
    return bool(SERIES_RE.search(q.text)) and not (
        len(q.periods) >= 2 and GROWTH_RE.search(op_text)
    )


register(Operation("series", cues=CUES, asks=asks, rank=130))
