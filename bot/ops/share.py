"""Share: a part as a percentage (or a fraction) of its whole; the whole is what follows 'of'
when it names a line, else total revenue."""

from __future__ import annotations

from bot.ops.registry import Operation, cue_pattern, register
from bot.query import Query

CUES = (
    r"as a (?:percent(?:age)?|share|%) of",
    r"percent(?:age)? of",
    "share of",
    "% of",
    "proportion of",
    "fraction of",
    "portion of",
)
ASK_CUES = ("what share", r"what percent(?:age)? of", "intensity")
SHARE_RE = cue_pattern(CUES)
SHARE_ASK_RE = cue_pattern(ASK_CUES)


def asks(q: Query, op_text: str) -> bool:
    return bool(SHARE_RE.search(q.text) or SHARE_ASK_RE.search(q.text))


register(Operation("share", cues=CUES + ASK_CUES, asks=asks, rank=190, table_first=True))
