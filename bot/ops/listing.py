"""Listings of a table's own layout. 'Periods': which years does the table give X for? (the
periods a line is printed for, each cited; with a condition, 'in which years did X exceed
$20,000 thousand?', the periods that meet it). 'Components': what are the components of X? (the
lines printed under the heading X)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.answer import Answer, cite, value_of
from bot.ops.count import condition_of, meets
from bot.ops.extreme import HIGH, HIGHER, LOW, LOWER
from bot.ops.registry import Operation, cue_pattern, register
from bot.phrase import found, not_found
from bot.query import Query
from index.facts import Fact

if TYPE_CHECKING:
    from bot.resolve import Resolver

# A bound the question states ('above $20,000', 'exceeded 5'): with it, a singular 'which year'
# asks for the periods meeting it, and 'how many items' counts periods, not lines.
_BOUND = (
    r"\b(?:above|over|more than|greater than|exceed\w*|higher than|below|under|less than"
    r"|lower than)\s+\$?\d"
)
# 'In which years was X given?'. A singular 'which year' asks this only with a condition.
PERIODS_CUES = (
    "(?:which|what) (?:fiscal )?years",
    rf"(?:which|what) (?:fiscal )?year(?= .*{_BOUND})",
)
# 'What are the components of X?': the lines printed under the heading X.
COMPONENTS_CUES = (
    "components of",
    "types of",
    "what (?:financial )?items",
    "which (?:financial )?items",
    rf"how many (?:major )?(?:components|categories|types|items)(?! .*{_BOUND})",
)
COMPONENTS_WORDS = ("components", "component", "types", "items", "categories")


def periods_listed(raw: str, q: Query, resolver: Resolver) -> Answer:
    """The periods the question's line is printed for (the release's, when it names no line),
    latest first, filtered by the condition the question states."""
    name, facts = _dated(q, resolver)
    if not facts:
        return not_found(raw, "The release prints no dated figures for that.", q)
    condition = condition_of(q.text)
    if condition is not None:
        facts = [f for f in facts if meets(f, condition)]
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


def components(raw: str, q: Query, resolver: Resolver) -> Answer | None:
    """'What are the components of Continuing Operations?': the lines printed under the heading
    the question names, each cited; None when no heading matches."""
    heading = heading_named(q.text, resolver)
    if heading is None:
        return None
    rows = lines_under(heading, resolver)
    facts = [f for r in rows for f in (r.facts or r.undated)[:1]]
    if not facts:
        return None
    names = ", ".join(r.row[-1] for r in rows)
    text = f"Under {' > '.join(heading) or 'its table'} the release lists {names}."
    if HOW_MANY_RE.search(q.text):
        text = f"{len(rows)}. {text}"
        q = replace(q, form="count")
    return found(raw, text, [cite(f) for f in facts], [value_of(f) for f in facts], q)


def heading_named(text: str, resolver: Resolver) -> tuple[str, ...] | None:
    """The heading whose words the question uses most (at least 60% of them); the whole table
    (an empty heading) for 'the items listed in the table'; else None."""
    from bot.text import content_tokens

    asked = [t for t in content_tokens(text) if t not in COMPONENT_WORDS]
    best: tuple[float, tuple[str, ...]] = (0.0, ())
    for heading in headings(resolver):
        share = _share_named(content_tokens(" ".join(heading)), asked)
        if share > best[0]:
            best = (share, heading)
    if best[0] >= 0.6:
        return best[1]
    return () if WHOLE_TABLE_RE.search(text) else None


def headings(resolver: Resolver) -> list[tuple[str, ...]]:
    """Every heading lines are printed under, in the tables' order."""
    return list(dict.fromkeys(r.row[:-1] for r in resolver.index.rows if len(r.row) > 1))


def _share_named(words: list[str], asked: list[str]) -> float:
    from bot.text import similar

    if not words:
        return 0.0
    return sum(1 for w in words if any(similar(w, a) for a in asked)) / len(words)


def lines_under(heading: tuple[str, ...], resolver: Resolver) -> list:
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


def _asks_periods(q: Query, op_text: str) -> bool:
    """'Which years ...' asks for periods unless it asks which year was highest (an extreme)
    without stating a condition."""
    if not cue_pattern(PERIODS_CUES).search(q.text):
        return False
    extreme = cue_pattern(HIGH + HIGHER + LOW + LOWER).search(op_text)
    return condition_of(q.text) is not None or not extreme


register(
    Operation(
        "components",
        cues=COMPONENTS_CUES,
        words=COMPONENTS_WORDS,
        asks=lambda q, op_text: bool(cue_pattern(COMPONENTS_CUES).search(q.text)),
        answer=lambda req: components(req.raw, req.query, req.resolver),
        rank=44,
    )
)
register(
    Operation(
        "periods",
        cues=PERIODS_CUES,
        asks=_asks_periods,
        answer=lambda req: periods_listed(req.raw, req.query, req.resolver),
        rank=46,
    )
)
