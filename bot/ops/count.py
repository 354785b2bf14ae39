"""Counts: in how many periods a figure met a condition ('in how many quarters was DSO above 65
days?'), the periods counted and named, every figure cited."""

from __future__ import annotations

import re
from decimal import Decimal

from bot.answer import Answer, cite, value_of
from bot.ops.extreme import QUARTERLY, YEARLY, named_periods, series
from bot.ops.registry import Operation, Request, register
from bot.phrase import found, not_found
from bot.query import Query
from index.facts import SCALES, Fact, format_value

CUES = (
    r"how many (?:of the \w+ )?(?:quarters|years|periods|items|components|rows|lines)",
    "number of (?:quarters|years|periods)",
)
Condition = tuple[str, Decimal, str | None]


def condition_of(text: str) -> Condition | None:
    """The condition a count of periods asks: ('above', 65, None), ('above', 100, 'millions'),
    ('above', 0, None) for 'positive'; None when the question states none. The comparison's
    words are in bot/knowledge/vocabulary.yaml (`count_conditions`)."""
    from bot.understand import settings

    for name, words in settings()["count_conditions"].items():
        cue = "|".join(re.escape(w) for w in words)
        if name in {"positive", "negative"}:
            if re.search(rf"\b(?:{cue})\b", text, re.I):
                return ("above" if name == "positive" else "below", Decimal(0), None)
            continue
        m = re.search(
            rf"\b(?:{cue})\s+\$?(-?\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion)?", text, re.I
        )
        if m:
            scale = f"{m.group(2).lower()}s" if m.group(2) else None
            return (name, Decimal(m.group(1).replace(",", "")), scale)
    return None


def asks(q: Query, op_text: str) -> bool:
    return bool(OPERATION.cue_re.search(q.text)) and condition_of(q.text) is not None


def answer(req: Request) -> Answer:
    q = req.query
    condition = condition_of(q.text)
    rows = req.resolver.candidates(list(q.matches), q.basis)
    yearly = bool(re.search(r"\byears?\b", q.text, re.I))
    kind = "year" if yearly else "quarter"
    kinds = YEARLY if yearly else QUARTERLY
    row, facts = series(rows, kinds, named_periods(req), req.resolver.prefer.words)
    if row is None or condition is None:
        return not_found(req.raw, "The release does not print that figure for several periods.", q)
    which, limit, scale = condition
    met = [f for f in facts if meets(f, condition)]
    named = ", ".join(f.period.label for f in met) or "none"
    text = (
        f"{row.name} was {which} {bound_text(limit, scale, facts[0])} in {len(met)} of the "
        f"{len(facts)} {kind}s from {facts[0].period.label} to {facts[-1].period.label} "
        f"({named}; {row.table}, line {facts[0].line})."
    )
    return found(req.raw, text, [cite(f) for f in facts], [value_of(f, row.name) for f in met], q)


def meets(f: Fact, condition: Condition) -> bool:
    """A bound stated with a scale ('$20,000 thousand') is compared at that scale, whatever
    unit the figure is in."""
    which, limit, scale = condition
    bound = limit * SCALES[scale] if scale else limit
    value = f.absolute if scale else f.value
    return value > bound if which == "above" else value < bound


def bound_text(limit: Decimal, scale: str | None, fact: Fact) -> str:
    if scale:
        return format_value(limit, fact.unit, scale)
    return "zero" if limit == 0 else format_value(limit, fact.unit)


OPERATION = register(Operation("count", cues=CUES, asks=asks, answer=answer, rank=40))
