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

    name, facts = _dated(q, resolver)
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


def _dated(q: Query, resolver: Resolver) -> tuple[str, list[Fact]]:
    """The question's line and one figure per period it prints; else the release's periods."""
    rows = resolver.candidates(list(q.matches), q.basis) if q.confident else []
    if rows:
        facts = _one_per_period(list(rows[0].facts))
        if facts:
            return rows[0].name, facts
    return "its tables", _one_per_period([f for r in resolver.index.rows for f in r.facts])


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
    heading = _heading_named(q.text, resolver)
    if heading is None:
        return None
    rows = _lines_under(heading, resolver)
    facts = [f for r in rows for f in (r.facts or r.undated)[:1]]
    if not facts:
        return None
    names = ", ".join(r.row[-1] for r in rows)
    text = f"Under {' > '.join(heading) or 'its table'} the release lists {names}."
    if HOW_MANY_RE.search(q.text):
        text = f"{len(rows)}. {text}"
        q = replace(q, form="count")
    return found(raw, text, [cite(f) for f in facts], [value_of(f) for f in facts], q)


def _heading_named(text: str, resolver: Resolver) -> tuple[str, ...] | None:
    """The heading whose words the question uses most (at least 60% of them); the whole table
    (an empty heading) for 'the items listed in the table'; else None."""
    from bot.text import content_tokens

    asked = [t for t in content_tokens(text) if t not in COMPONENT_WORDS]
    best: tuple[float, tuple[str, ...]] = (0.0, ())
    for heading in {r.row[:-1] for r in resolver.index.rows if len(r.row) > 1}:
        share = _share_named(content_tokens(" ".join(heading)), asked)
        if share > best[0]:
            best = (share, heading)
    if best[0] >= 0.6:
        return best[1]
    return () if WHOLE_TABLE_RE.search(text) else None


def _share_named(words: list[str], asked: list[str]) -> float:
    from bot.text import similar

    if not words:
        return 0.0
    return sum(1 for w in words if any(similar(w, a) for a in asked)) / len(words)


def _lines_under(heading: tuple[str, ...], resolver: Resolver) -> list:
    """The lines under a heading (every line for the whole table), totals left out, at most
    LISTED_MAX of them."""
    rows = [r for r in resolver.index.rows if r.row[:-1] == heading or not heading]
    rows = [r for r in rows if not TOTAL_RE.match(r.row[-1])] or rows
    return rows if len(rows) <= LISTED_MAX else []


COMPONENT_WORDS = frozenset(
    {"components", "component", "types", "type", "items", "item", "categories", "category"}
)
TOTAL_RE = re.compile(r"\s*(?:total|subtotal)\b", re.I)
LISTED_MAX = 15
WHOLE_TABLE_RE = re.compile(r"\b(?:in|on|of) the table\b|\blisted\b", re.I)
HOW_MANY_RE = re.compile(r"\bhow many\b", re.I)
