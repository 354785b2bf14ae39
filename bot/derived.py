"""Derived concepts answered: a formula from the catalogue over printed figures of one period.

The answer says the figure is computed, shows the formula and cites every operand; an operand
the release does not print for that period makes the answer 'not found', naming it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from bot.answer import Answer
from bot.catalogue import OPERAND_RE, Derived, FormulaError, catalogue
from bot.context import Context
from bot.metrics import MetricRow, canonical, expand
from bot.ops import Calculation, base, direction
from bot.ops.change import GROWTH_RE
from bot.phrase import ask_label, calc_answer, not_found
from bot.query import Query
from bot.resolve import Resolver
from bot.text import content_tokens, short_label
from index.facts import SCALES, Fact, format_value
from index.periods import Period, PeriodAsk, parse_date

RESULT_PLACES = {"percent": 2, "ratio": 2, "percentage points": 2}
YEAR_EARLIER = " a year earlier"
CHANGES = frozenset({"growth", "difference"})
LABEL_FIGURE_SCORE = 0.6  # a long label is named by a few of its words: its coverage is low
LABEL_FIGURE_RE = re.compile(r"(\d[\d,]*)\s+as of\s+([A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})")
COMPUTE_RE = re.compile(r"\b(?:comput|calculat|deriv|work(?:ed)? out)\w*", re.I)


def concept_named(name: str) -> Derived:
    return next(d for d in catalogue().derived if d.name == name)


def answer_derived(raw: str, q: Query, ctx: Context, resolver: Resolver) -> Answer:
    """The concept for each period asked (the latest when none is)."""
    concept = concept_named(q.concept or "")
    sentences: list[str] = []
    facts: list[Fact] = []
    calcs: list[Calculation] = []
    change = _asks_change(q)
    for ask in _asks(q, change):
        got = evaluate(concept, ask, q.basis, resolver)
        if isinstance(got, str):
            return not_found(raw, got + " " + ctx.holds(), q)
        calc, note = got
        sentences.append(_sentence(concept, calc, note))
        facts += [f for f in calc.operands if f not in facts]
        calcs.append(calc)
    moved = _moved(concept, calcs) if change else None
    if moved is not None:
        sentences.insert(0, moved[0])
        calcs.append(moved[1])
    text = " ".join(sentences)
    if not concept.computed_note:
        return calc_answer(raw, text, facts, calcs, q)
    # A measure no release line states (EBITDA) is not 'in the release': found is false, and
    # the figure an analyst would compute is shown with its operands, flagged as computed;
    # asked to compute it, the computation is the answer.
    answer = calc_answer(
        raw,
        f"The release does not print {concept.name}; {concept.computed_note}. {text}",
        facts,
        calcs,
        q,
    )
    return answer if COMPUTE_RE.search(q.text) else replace(answer, found=False)


def _asks(q: Query, change: bool) -> list[PeriodAsk | None]:
    """The periods asked; a change asked of one year is a change from the year before."""
    asks: list[PeriodAsk | None] = list(q.periods)[:4] or [None]
    one = asks[0]
    if change and len(asks) == 1 and one is not None and one.quarter is None:
        return [replace(one, fiscal_year=one.fiscal_year - 1, end=None), one]
    return asks


def _asks_change(q: Query) -> bool:
    """A change of the concept: the operation says so, or (the concept's own word having set
    it, 'the current ratio', 'operating margin') a moving word does."""
    return q.operation in CHANGES or bool(GROWTH_RE.search(q.text))


def _moved(concept: Derived, calcs: list[Calculation]) -> tuple[str, Calculation] | None:
    """How a computed figure moved between the first and last period asked, said first and
    carried as a calculation of its own (its operands are both computations' operands)."""
    if len(calcs) < 2:
        return None
    old, new = sorted((calcs[0], calcs[-1]), key=_when)
    if _when(old) == _when(new):
        return None
    change = replace(
        new,
        operation="difference",
        operands=tuple(dict.fromkeys(old.operands + new.operands)),
        result=new.result - old.result,
        unit="percentage points" if new.unit == "percent" else new.unit,
        formula=f"{concept.name} ({_when_label(new)}) - {concept.name} ({_when_label(old)})",
    )
    verb = direction(concept.name, new.result, old.result)
    amount = shown(replace(change, result=abs(change.result)))
    text = (
        f"{concept.name[0].upper()}{concept.name[1:]} {verb} by {amount}, from {shown(old)} "
        f"({_when_label(old)}) to {shown(new)} ({_when_label(new)})."
    )
    return text, change


def _when(calc: Calculation) -> tuple[int, int]:
    p = calc.operands[0].period
    return (p.fiscal_year, p.quarter or 5) if p is not None else (0, 0)


def _when_label(calc: Calculation) -> str:
    p = calc.operands[0].period
    return p.label if p is not None else ""


def evaluate(
    concept: Derived, ask: PeriodAsk | None, basis: str | None, resolver: Resolver
) -> tuple[Calculation, str] | str:
    """The calculation, and a note when no period was given; or why it cannot be computed."""
    values: dict[str, Decimal] = {}
    operands: list[Fact] = []
    anchor = ask
    for name in concept.operands:
        got = operand(name, anchor, basis, resolver)
        if isinstance(got, str):
            return f"I can't compute {concept.name} for {got} ({concept.name} = {concept.shown()})."
        if got:
            anchor = anchor or aligned(got[0].period)
        values[name] = sum((base(f) for f in got), Decimal(0))
        operands += [f for f in got if f not in operands]
    try:
        result = concept.evaluate(values)
    except FormulaError as exc:
        return f"I can't compute {concept.name}: {exc}."
    formula = f"{concept.name} = {concept.shown()}"
    note = "" if ask is not None else " (no period given, so I took the latest in the release)"
    return Calculation(concept.name, tuple(operands), result, concept.unit, formula), note


def operand(
    name: str, anchor: PeriodAsk | None, basis: str | None, resolver: Resolver
) -> list[Fact] | str:
    """An operand's printed figures (one line, or a group's lines); or the period and line the
    release lacks."""
    if name in catalogue().groups:
        return group(name, anchor, basis, resolver)
    if name in catalogue().label_figures and anchor is not None:
        return label_figure(name, anchor, resolver)
    phrase, at = operand_at(name, anchor)
    matches = resolver.rows(phrase)
    if not _named(matches, phrase):
        matches = _saying(matches, phrase)
    fact = resolver.resolve(matches, basis, at)[0] if _named(matches, phrase) else None
    if fact is None or fact.period is None:
        when = ask_label(at) if at else "any period"
        return f"{when}: the release does not give {name} there"
    return [fact]


def group(
    name: str, anchor: PeriodAsk | None, basis: str | None, resolver: Resolver
) -> list[Fact] | str:
    """The lines after one line and before another's section, for the first one's period."""
    after, until = catalogue().groups[name]
    first = operand(after, anchor, basis, resolver)
    if isinstance(first, str):
        return first
    last = operand(until, aligned(first[0].period), basis, resolver)
    if isinstance(last, str):
        return last
    start, stop = first[0], last[0]
    out = []
    for row in resolver.index.rows:
        lines = [f.line for f in row.facts]
        if row.table_index != start.table_index or not lines or row.row[:-1] == stop.row[:-1]:
            continue
        if start.line < min(lines) < stop.line:
            out += [f for f in row.facts if f.period == start.period]
    return out


def label_figure(name: str, anchor: PeriodAsk, resolver: Resolver) -> list[Fact] | str:
    """The figure a line's label states for the balance date asked ('... shares - 112,461 as
    of December 29, 2012'), as a fact of that line, its unit from the catalogue."""
    matches = resolver.rows(name)
    row = matches[0].row if matches and matches[0].score >= LABEL_FIGURE_SCORE else None
    fact = stated_in_label(row, anchor, catalogue().label_figures[name]) if row else None
    return [fact] if fact else f"{ask_label(anchor)}: the release does not state {name} there"


def stated_in_label(row: MetricRow, anchor: PeriodAsk, unit: str) -> Fact | None:
    """The figure the row's label states for the balance date asked, in `unit`, as a fact of
    the row at that date."""
    for fact in row.facts:
        if fact.period is None or not _at_anchor(fact.period, anchor):
            continue
        for m in LABEL_FIGURE_RE.finditer(" ".join(fact.row)):
            if parse_date(m.group(2)) == fact.period.end:
                value = Decimal(m.group(1).replace(",", ""))
                return replace(fact, value=value, raw=m.group(1), unit=unit)
    return None


def _at_anchor(p: Period, anchor: PeriodAsk) -> bool:
    if anchor.end is not None:
        return p.end == anchor.end
    return (
        p.kind == "instant"
        and p.fiscal_year == anchor.fiscal_year
        and (anchor.quarter in (None, p.quarter))
    )


def operand_at(name: str, anchor: PeriodAsk | None) -> tuple[str, PeriodAsk | None]:
    """An operand's line and period: '{X a year earlier}' is X at the same point a year before
    (the opening balance of an average)."""
    if not name.endswith(YEAR_EARLIER) or anchor is None:
        return name, anchor
    before = PeriodAsk(anchor.kind, anchor.fiscal_year - 1, anchor.quarter)
    return name.removesuffix(YEAR_EARLIER).strip(), before


def _named(matches: list, phrase: str) -> bool:  # noqa: ANN001
    """The line is the operand: it prints the operand's every word, or says it in other words
    the catalogue knows ('Operating income' is income from operations); 'Operating income' is
    no net income."""
    best = matches[0] if matches else None
    if best is None or best.score < 0.5:
        return False
    if _says(best.row.name, phrase):
        return True
    return best.label_coverage >= 0.5 and best.question_coverage >= 0.99


def _saying(matches: list, phrase: str, among: int = 5) -> list:  # noqa: ANN001
    """When the nearest line is not the operand, the first of the next nearest that says it in
    the catalogue's words, alone ('Operating income' for income from operations, where 'Net
    income' ranked first); none when none does."""
    return next(([m] for m in matches[1:among] if m.score >= 0.5 and _says(m.row.name, phrase)), [])


def _says(name: str, phrase: str) -> bool:
    said = set(canonical(content_tokens(expand(phrase))))
    return said <= set(canonical(content_tokens(expand(name))))


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
    if calc.unit == "USD per share":
        return format_value(calc.result.quantize(Decimal("0.01")), "USD per share")
    amounts = [f for f in calc.operands if f.unit == "USD"]
    if calc.unit == "USD" and amounts:
        scale = amounts[0].scale
        places = Decimal("0.1") if scale == "millions" else Decimal(1)
        return format_value((calc.result / SCALES[scale]).quantize(places), "USD", scale)
    counted = [f for f in calc.operands if f.unit == calc.unit]
    if counted:
        scale = counted[0].scale
        return format_value((calc.result / SCALES[scale]).quantize(Decimal(1)), calc.unit, scale)
    value = calc.result.quantize(Decimal(1))
    per = calc.unit.removeprefix("USD").strip()
    return format_value(value, "USD") + (f" {per}" if per else "")


def _sentence(concept: Derived, calc: Calculation, note: str) -> str:
    first = calc.operands[0]
    prep = "as of" if first.period.kind == "instant" else "in"
    dated = len({f.period for f in calc.operands}) > 1
    parts = "; ".join(
        f"{short_label(f.label)}{f' ({f.period.label})' if dated else ''} {f.display()}"
        for f in calc.operands
    )
    named = f"{concept.name[0].upper()}{concept.name[1:]} {prep} {first.period.label}{note}"
    if OPERAND_RE.fullmatch(concept.formula.strip()):
        return (
            f"{named}: {shown(calc)}, as the label of the release's "
            f"{short_label(first.label)} line states it."
        )
    return (
        f"{named} was {shown(calc)}, computed from the release's figures as {concept.shown()} "
        f"({parts})."
    )
