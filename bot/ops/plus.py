"""Plus: two figures of one period added ('X plus Y')."""

from __future__ import annotations

from bot.ops.registry import Operation, cue_pattern, register
from bot.query import Query

CUES = ("plus",)
PLUS_RE = cue_pattern(CUES)


def asks(q: Query, op_text: str) -> bool:
    return bool(PLUS_RE.search(q.text))


register(Operation("plus", cues=CUES, asks=asks, rank=140, table_first=True))
