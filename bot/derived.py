"""Derived concepts answered: a formula from the catalogue over printed figures of one period.

The answer says the figure is computed, shows the formula and cites every operand; an operand
the release does not print for that period makes the answer 'not found', naming it.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from bot.answer import Answer
from bot.catalogue import Derived, FormulaError, catalogue
from bot.context import Context
from bot.ops import Calculation, base
from bot.phrase import ask_label, calc_answer, not_found
from bot.query import Query
from bot.resolve import Resolver
from bot.text import short_label
from index.facts import SCALES, Fact, format_value
from index.periods import Period, PeriodAsk

RESULT_PLACES = {"percent": 2, "ratio": 2}


def concept_named(name: str) -> Derived:
    return next(d for d in catalogue().derived if d.name == name)


def answer_derived(raw: str, q: Query, ctx: Context, resolver: Resolver) -> Answer:
    """The concept for each period asked (the latest when none is)."""
    concept = concept_named(q.concept or "")
    sentences: list[str] = []
    facts: list[Fact] = []
    calcs: list[Calculation] = []
    for ask in list(q.periods)[:4] or [None]:
        got = evaluate(concept, ask, q.basis, resolver)
        if isinstance(got, str):
            return not_found(raw, got + " " + ctx.holds(), q)
        calc, note = got
        sentences.append(_sentence(concept, calc, note))
        facts += [f for f in calc.operands if f not in facts]
        calcs.append(calc)
    text = " ".join(sentences)
    if not concept.computed_note:
        return calc_answer(raw, text, facts, calcs, q)
    # A measure no release line states (EBITDA) is not 'in the release': found is false, and
    # the figure an analyst would compute is shown with its operands, flagged as computed.
    answer = calc_answer(
        raw,
        f"The release does not print {concept.name}; {concept.computed_note}. {text}",
        facts,
        calcs,
        q,
    )
    return replace(answer, found=False)


def evaluate(
    concept: Derived, ask: PeriodAsk | None, basis: str | None, resolver: Resolver
) -> tuple[Calculation, str] | str:
    """The calculation, and a note when no period was given; or why it cannot be computed."""
    values: dict[str, Decimal] = {}
    operands: list[Fact] = []
    anchor = ask
    for name in concept.operands:
        matches = resolver.rows(name)
        fact = resolver.resolve(matches, basis, anchor)[0] if _named(matches) else None
        if fact is None or fact.period is None:
            when = ask_label(anchor) if anchor else "any period"
            return (
                f"I can't compute {concept.name} for {when}: the release does not give {name} "
                f"there ({concept.name} = {concept.shown()})."
            )
        anchor = anchor or aligned(fact.period)
        values[name] = base(fact)
        operands.append(fact)
    try:
        result = concept.evaluate(values)
    except FormulaError as exc:
        return f"I can't compute {concept.name}: {exc}."
    formula = f"{concept.name} = {concept.shown()}"
    note = "" if ask is not None else " (no period given, so I took the latest in the release)"
    return Calculation(concept.name, tuple(operands), result, concept.unit, formula), note


def _named(matches: list) -> bool:  # noqa: ANN001
    return bool(matches) and matches[0].score >= 0.5 and matches[0].label_coverage >= 0.5


def aligned(p: Period) -> PeriodAsk:
    """The period the other operands are read for: a year's flows, a balance at its end."""
    if p.kind == "year":
        return PeriodAsk("bare_year", p.fiscal_year)
    return PeriodAsk(p.kind, p.fiscal_year, p.quarter, p.end)


def shown(calc: Calculation) -> str:
    """The result in the concept's unit: a percent or ratio to two places, an amount at the
    operands' own scale, a per-head figure in dollars."""
    places = RESULT_PLACES.get(calc.unit)
    if places is not None:
        return calc.display(places)
    amounts = [f for f in calc.operands if f.unit == "USD"]
    if calc.unit == "USD" and amounts:
        scale = amounts[0].scale
        places = Decimal("0.1") if scale == "millions" else Decimal(1)
        return format_value((calc.result / SCALES[scale]).quantize(places), "USD", scale)
    value = calc.result.quantize(Decimal(1))
    per = calc.unit.removeprefix("USD").strip()
    return format_value(value, "USD") + (f" {per}" if per else "")


def _sentence(concept: Derived, calc: Calculation, note: str) -> str:
    first = calc.operands[0]
    prep = "as of" if first.period.kind == "instant" else "in"
    parts = "; ".join(f"{short_label(f.label)} {f.display()}" for f in calc.operands)
    return (
        f"{concept.name[0].upper()}{concept.name[1:]} {prep} {first.period.label}{note} was "
        f"{shown(calc)}, computed from the release's figures as {concept.shown()} ({parts})."
    )
