"""Arithmetic over two or more cited figures: change, percentage change, points, difference,
ratio, margin, sum and average."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from bot.ops.registry import (
    CalculationError,
    Operation,
    base,
    divide,
    register,
    same_scale_pair,
)
from index.facts import Fact

# 'the proportion of X over Y' asks a fraction, unless it says percent; 'the ratio (in
# percentage) of X to Y' asks the ratio times a hundred.
FRACTION_RE = re.compile(r"\bproportion\b|\bfraction\b", re.I)
PERCENT_WORD_RE = re.compile(r"\bwhat percent|\bin percent|%|\bpercentage\b", re.I)
IN_PERCENT_RE = re.compile(r"\bin percent(?:age)?\b|\bas a percent(?:age)?\b", re.I)


def percent_or_fraction(op: str, question: str) -> str:
    """'margin' (a percentage) or 'ratio' (a fraction), as the question's words ask."""
    if op == "margin" and FRACTION_RE.search(question) and not PERCENT_WORD_RE.search(question):
        return "ratio"
    if op == "ratio" and IN_PERCENT_RE.search(question):
        return "margin"
    return op


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


def average(facts: Sequence[Fact]) -> Decimal:
    return sum((f.value for f in facts), Decimal(0)) / len(facts)


def total(facts: Sequence[Fact]) -> Decimal:
    return sum((f.value for f in facts), Decimal(0))


def joined(sep: str):  # noqa: ANN201
    return lambda labels: sep.join(labels)


register(
    Operation(
        "growth",
        2,
        percent_change,
        lambda u: "percent",
        lambda ls: f"({ls[0]} - {ls[1]}) / {ls[1]} x 100",
        "{name} {direction} {amount}, from {old} in {old_period} to {new} in {new_period}",
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
    )
)
register(
    Operation(
        "ratio",
        2,
        lambda fs: divide(base(fs[0]), base(fs[1])),
        lambda u: "ratio",
        joined(" / "),
        same_unit=False,
    )
)
register(
    Operation(
        "margin",
        2,
        lambda fs: divide(base(fs[0]), base(fs[1])) * 100,
        lambda u: "percent",
        lambda ls: f"{ls[0]} / {ls[1]} x 100",
        same_unit=False,
    )
)
register(Operation("sum", None, total, formula=joined(" + ")))
register(Operation("average", None, average, formula=lambda ls: f"({' + '.join(ls)}) / {len(ls)}"))
