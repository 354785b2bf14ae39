"""Change: how one figure moved between two periods, as a percentage change (signed, relative
to the old value), a change in its own unit (a difference), or in percentage points for a
rate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from bot.ops.registry import (
    CalculationError,
    Operation,
    base,
    cue_pattern,
    register,
    same_scale_pair,
)
from bot.query import Query
from index.facts import Fact

GROWTH_CUES = (
    r"gr[eo]w(?:th|n)?",
    "increase[ds]?",
    "decrease[ds]?",
    "change[ds]?",
    "rise",
    "rose",
    "fell",
    "fall",
    "decline[ds]?",
    "drop(?:ped)?",
    "yoy",
    "year[- ]over[- ]year",
    "sequential(?:ly)?",
    "qoq",
    "quarter[- ]over[- ]quarter",
    "improve[ds]?",
    "move[ds]?",
    "shr[ae]nk",
    "jump(?:ed)?",
    "narrow(?:ed)?",
    "widen(?:ed)?",
    "(?:go|went|gone|going) (?:up|down)",
    "up or down",
)
POINTS_CUES = ("points?", "pp", "basis points")
VERSUS_CUES = (r"vs\.?", "versus", "compare[ds]?")
# 'how much lower' asks a gap whatever word it runs into ('how much lowered').
GAP_CUES = ("gap", "difference", "spread", r"how (?:much|far) (?:apart|lower|higher)\w*")
GROWTH_RE = cue_pattern(GROWTH_CUES)
POINTS_RE = cue_pattern(POINTS_CUES)
VERSUS_RE = cue_pattern(VERSUS_CUES)
GAP_RE = cue_pattern(GAP_CUES)
PERCENT_ASK_RE = re.compile(r"\bpercent(?:age)?\b|%|\bgrowth rate\b|\brate\b", re.I)
COMPARE_RE = re.compile(r"\b(?:larger|smaller|bigger|higher|lower|more|less)\b.*\bthan\b", re.I)
CHANGE_WORD_RE = re.compile(
    r"\b(?:the|what|net) (?:change|increase|decrease|rise|decline)\b|\bchange in\b"
    r"|\bincrease\s*/\s*\(?decrease\)?",
    re.I,
)


def two_periods(q: Query) -> bool:
    return len(q.periods) >= 2


def percent_change(facts: Sequence[Fact]) -> Decimal:
    """(new - old) / old x 100: the finance convention, so a fall from a profit to a loss is
    negative, and a change from a loss is read with its direction word, not its sign."""
    new, old = (base(f) for f in facts)
    if old == 0:
        raise CalculationError("growth from zero is undefined")
    return (new - old) / old * 100


def difference(facts: Sequence[Fact]) -> Decimal:
    a, b = same_scale_pair(facts)
    return a - b


def moves(text: str) -> bool:
    """'from A to B' names the old column first: the move is B against A."""
    return bool(re.search(r"\bfrom\b.+\bto\b", text, re.I))


def joined(sep: str):  # noqa: ANN201
    return lambda labels: sep.join(labels)


def asks_growth(q: Query, op_text: str) -> bool:
    """A change between two periods named, in moving words or in points."""
    return two_periods(q) and bool(GROWTH_RE.search(op_text) or POINTS_RE.search(q.text))


def asks_growth_later(q: Query, op_text: str) -> bool:
    """Moving words outside the measure's label, or two periods set against each other."""
    return bool(GROWTH_RE.search(op_text)) or (two_periods(q) and bool(VERSUS_RE.search(q.text)))


def asks_difference(q: Query, op_text: str) -> bool:
    """'larger than' between two periods, or with a moving word."""
    return bool(COMPARE_RE.search(q.text)) and (two_periods(q) or bool(GROWTH_RE.search(op_text)))


def asks_difference_later(q: Query, op_text: str) -> bool:
    """'the gap' between two periods."""
    return bool(GAP_RE.search(q.text)) and two_periods(q)


register(
    Operation(
        "growth",
        2,
        percent_change,
        lambda u: "percent",
        lambda ls: f"({ls[0]} - {ls[1]}) / {ls[1]} x 100",
        "{name} {direction} {amount}, from {old} in {old_period} to {new} in {new_period}",
        cues=GROWTH_CUES + POINTS_CUES + VERSUS_CUES,
        asks=asks_growth,
        rank=170,
        also=((220, asks_growth_later),),
        table_first=True,
    )
)
register(
    Operation(
        "points",
        2,
        lambda fs: fs[0].value - fs[1].value,
        lambda u: "percentage points",
        joined(" - "),
        "{name} moved {amount}, from {old} in {old_period} to {new} in {new_period}",
        internal=True,
    )
)
register(
    Operation(
        "difference",
        2,
        difference,
        lambda u: "percentage points" if u == "percent" else u,
        joined(" - "),
        "{name} {direction} by {amount}, from {old} in {old_period} to {new} in {new_period}",
        cues=GAP_CUES,
        asks=asks_difference,
        rank=210,
        also=((230, asks_difference_later),),
        table_first=True,
    )
)
