"""Series: a figure quarter by quarter, as chart points, every point cited, with how it moved
from the first to the last."""

from __future__ import annotations

from dataclasses import replace

from bot.answer import Answer, Value, cite, value_of
from bot.metrics import MetricRow
from bot.ops.change import GROWTH_RE
from bot.ops.lookup import lookup
from bot.ops.operands import plan_of
from bot.ops.registry import Operation, Request, calculate, cue_pattern, register
from bot.phrase import row_key
from bot.query import Query
from index.facts import Fact

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


def operate(req: Request) -> Answer:
    """A figure quarter by quarter, as chart points, every point cited; a row printing fewer
    than three quarters is looked up."""
    q = req.query
    matches, basis, periods = list(q.matches), q.basis, list(q.periods)
    rows = req.resolver.candidates(matches, basis)
    rows.sort(key=lambda r: -quarter_count(r))
    row = next((r for r in rows if quarter_count(r) >= 3), None)
    if row is None:
        return lookup(req, matches, basis, periods)
    years = {p.fiscal_year for p in periods if p.kind in {"bare_year", "year"}}
    facts = sorted(
        (
            f
            for f in row.facts
            if f.period.kind == "quarter" and (not years or f.period.fiscal_year in years)
        ),
        key=lambda f: (f.period.fiscal_year, f.period.quarter),
    )
    points = ", ".join(f"{f.period.label} {f.display()}" for f in facts)
    change, extra = moved(facts[0], facts[-1])
    text = f"{row.name} by quarter: {points} ({row.table}, line {facts[0].line}).{change}"
    return Answer(
        req.raw,
        text,
        True,
        tuple(cite(f) for f in facts),
        tuple(value_of(f, row.name) for f in facts) + extra,
        brain="planner",
        chart=tuple((f.period.label, f.value) for f in facts),
        chart_title=f"{row.name} by quarter ({row.table})",
        query=replace(plan_of(q), measures=(row_key(row),)),
    )


def quarter_count(row: MetricRow) -> int:
    return sum(1 for f in row.facts if f.period.kind == "quarter")


def moved(first: Fact, last: Fact) -> tuple[str, tuple[Value, ...]]:
    """How a series moved from its first point to its last, in percent."""
    if first.value == 0 or first.unit == "percent":
        return "", ()
    calc = calculate("growth", [last, first])
    value = Value("growth", calc.result, calc.display(), calc.unit, last.period.label)
    return (
        f" From {first.period.label} to {last.period.label} it moved from {first.display()} "
        f"to {last.display()} ({calc.display()}).",
        (value,),
    )


register(Operation("series", cues=CUES, asks=asks, rank=130, operate=operate))
