"""Several measures of one period side by side ('compare R&D, S&M and G&A in 2012'), or their
sum when the question asks them combined."""

from __future__ import annotations

from bot.answer import Answer, cite, value_of
from bot.intent import SUM_RE
from bot.ops.registry import Operation, Request, calculate, register
from bot.phrase import calc_answer, found, not_found
from bot.query import Query
from bot.text import lower_first, short_label
from index.facts import Fact, format_value
from index.periods import Period

# Words that list measures to set side by side even without a comma list.
CUES = ("compare", "comparison", "versus", r"vs\.?")


def at(period: Period) -> str:
    """'as of' a balance date, 'in' a quarter or year."""
    return "as of" if period.kind == "instant" else "in"


def answer(req: Request) -> Answer:
    q, raw = req.query, req.raw
    ask = q.periods[0] if q.periods else None
    parts: list[str] = []
    facts: list[Fact] = []
    for phrase, matches in q.several:
        fact, row, _ = req.resolver.resolve(list(matches), q.basis, ask)
        if fact is None or row is None:
            return not_found(raw, f"The release does not give {phrase.strip()} for that period.", q)
        facts.append(fact)
        parts.append(f"{short_label(row.name)} {fact.display()}")
    facts, parts = one_period(facts, parts)
    same_unit = len({(f.unit, f.scale) for f in facts}) == 1 and len(facts) >= 2
    if same_unit and SUM_RE.search(q.text):
        return sum_of(raw, q, facts, parts)
    when = facts[0].period
    text = f"{at(when).capitalize()} {when.label}: " + "; ".join(parts) + "."
    if same_unit:
        top = max(facts, key=lambda f: f.value)
        text += f" The largest is {lower_first(top.label)}."
    lines = "; ".join(f"{f.table}, line {f.line}" for f in facts)
    cites = [cite(f) for f in facts]
    return found(raw, f"{text} ({lines})", cites, [value_of(f) for f in facts], q)


def one_period(facts: list[Fact], parts: list[str]) -> tuple[list[Fact], list[str]]:
    """The measures read for the period most of them share: a flow read beside balances
    ('net change in cash' beside 'cash') is a part misread, left out."""
    keys = [f.period.key for f in facts]
    common = max(set(keys), key=keys.count)
    kept = [(f, p) for f, p in zip(facts, parts, strict=True) if f.period.key == common]
    if len(kept) < 2:
        return facts, parts
    return [f for f, _ in kept], [p for _, p in kept]


def sum_of(raw: str, q: Query, facts: list[Fact], parts: list[str]) -> Answer:
    """Listed measures asked together ('combined', 'add up to'): their sum, computed."""
    calc = calculate("sum", facts)
    when = facts[0].period
    total = format_value(calc.result, facts[0].unit, facts[0].scale)
    text = (
        f"Together {at(when)} {when.label} they come to {total}, computed from the release's "
        "figures as the sum of " + " + ".join(parts) + "."
    )
    return calc_answer(raw, text, facts, [calc], q)


register(
    Operation(
        "several",
        cues=CUES,
        asks=lambda q, op_text: len(q.several) >= 2,
        answer=answer,
        rank=20,
    )
)
