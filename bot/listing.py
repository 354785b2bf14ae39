"""'Which years does the table give X for?': the periods a line is printed for, each cited; with
a condition ('in which years did X exceed $20,000 thousand?'), the periods that meet it."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from bot.answer import Answer, cite, value_of
from bot.phrase import found, not_found
from bot.query import Query
from bot.resolve import Resolver
from index.facts import SCALES, Fact


def periods_listed(raw: str, q: Query, resolver: Resolver) -> Answer:
    """The periods the question's line is printed for (the release's, when it names no line),
    latest first, filtered by the condition the question states."""
    from bot.understand import condition_of

    rows = resolver.candidates(list(q.matches), q.basis) if q.confident else []
    facts = _one_per_period([f for r in rows[:1] for f in r.facts])
    name = rows[0].name if rows else "its tables"
    if not facts:
        facts = _one_per_period([f for r in resolver.index.rows for f in r.facts])
    if not facts:
        return not_found(raw, "The release prints no dated figures for that.", q)
    condition = condition_of(q.text)
    if condition is not None:
        facts = [f for f in facts if _meets(f, *condition)]
    shown = ", ".join(f.period.label for f in facts) or "none of its periods"
    text = f"The release gives {name} for {shown}."
    if condition is not None:
        text = f"{name} meets the condition in {shown}."
    return found(raw, text, [cite(f) for f in facts], [value_of(f, name) for f in facts], q)


def _one_per_period(facts: list[Fact]) -> list[Fact]:
    """The first figure of each period, latest first."""
    seen: dict[object, Fact] = {}
    for f in facts:
        seen.setdefault(f.period, f)
    return sorted(seen.values(), key=lambda f: (f.period.fiscal_year, f.period.quarter or 5))[::-1]


def _meets(f: Fact, which: str, limit: Decimal, scale: str | None) -> bool:
    """A bound stated with a scale ('$20,000 thousand') is compared at that scale, whatever
    unit the row is in."""
    value = f.absolute if scale else f.value
    bound = limit * SCALES[scale] if scale else limit
    return value > bound if which == "above" else value < bound


def components(raw: str, q: Query, resolver: Resolver) -> Answer | None:
    """'What are the components of Continuing Operations?': the lines printed under the heading
    the question names, each cited; None when no heading matches."""
    from bot.text import content_tokens, similar

    asked = [t for t in content_tokens(q.text) if t not in COMPONENT_WORDS]
    best: tuple[float, tuple[str, ...]] = (0.0, ())
    for heading in {r.row[:-1] for r in resolver.index.rows if len(r.row) > 1}:
        words = content_tokens(" ".join(heading))
        if not words:
            continue
        hit = sum(1 for w in words if any(similar(w, a) for a in asked)) / len(words)
        if hit > best[0]:
            best = (hit, heading)
    if best[0] < 0.6:
        if not WHOLE_TABLE_RE.search(q.text):
            return None
        best = (1.0, ())
    rows = [r for r in resolver.index.rows if r.row[:-1] == best[1] or not best[1]]
    rows = [r for r in rows if not TOTAL_RE.match(r.row[-1])] or rows
    if len(rows) > LISTED_MAX:
        return None
    facts = [f for r in rows for f in (r.facts or r.undated)[:1]]
    if not facts:
        return None
    names = ", ".join(r.row[-1] for r in rows)
    text = f"Under {' > '.join(best[1]) or 'its table'} the release lists {names}."
    if HOW_MANY_RE.search(q.text):
        text = f"{len(rows)}. {text}"
        q = replace(q, form="count")
    return found(raw, text, [cite(f) for f in facts], [value_of(f) for f in facts], q)


COMPONENT_WORDS = frozenset(
    {"components", "component", "types", "type", "items", "item", "categories", "category"}
)
TOTAL_RE = re.compile(r"\s*(?:total|subtotal)\b", re.I)
LISTED_MAX = 15
WHOLE_TABLE_RE = re.compile(r"\b(?:in|on|of) the table\b|\blisted\b", re.I)
HOW_MANY_RE = re.compile(r"\bhow many\b", re.I)
