"""Gap: how far apart the GAAP and the non-GAAP figure of one period are."""

from __future__ import annotations

from bot.intent import NON_GAAP_RE
from bot.ops.change import GAP_CUES, GAP_RE
from bot.ops.registry import Operation, cue_pattern, register
from bot.query import Query

GAAP_WORD_RE = cue_pattern(("gaap",))


def asks(q: Query, op_text: str) -> bool:
    """A gap, difference or spread between a GAAP and a non-GAAP figure."""
    return bool(
        GAP_RE.search(q.text) and GAAP_WORD_RE.search(q.text) and NON_GAAP_RE.search(q.text)
    )


register(Operation("gap", cues=GAP_CUES, asks=asks, rank=200, table_first=True))
