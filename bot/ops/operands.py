"""The figures the arithmetic operations run over, picked once for all of them: the later and
the earlier figure of one measure, two measures of one period, the periods a sum or average
covers; and the phrasing they share. Registers no operation.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answer import Answer
from bot.metrics import MetricRow
from bot.ops.registry import Calculation, CalculationError, Request, calculate
from bot.phrase import ask_label, calc_answer, fmt_calc, previous_quarter, prior, row_key
from bot.query import Query
from bot.resolve import by_member, facts_for
from bot.text import lower_first
from index.facts import Fact
from index.periods import Period, PeriodAsk

# 'the percentage difference between A and B': how far A is from B, relative to B.
PERCENT_DIFFERENCE_RE = re.compile(r"\b(?:percent(?:age)?|%)\s+difference\b", re.I)
SEQUENTIAL_RE = re.compile(
    r"sequential|qoq|quarter[- ]over[- ]quarter|previous quarter|prior quarter|last quarter", re.I
)
YEAR_RANGE_RE = re.compile(
    r"\b(?:from|between)\s+(?:fiscal\s+)?\d{4}\s+(?:to|and|through)\s+(?:fiscal\s+)?\d{4}"
    r"|\b\d{4}\s*(?:-|–|to|through)\s*\d{4}\b",
    re.I,
)


def plan_of(q: Query) -> Query:
    """The query an arithmetic answer carries: a figure, its measures set by the answer."""
    return replace(q, intent="figure", matches=(), several=())


def answered(req: Request, text: str, facts: list[Fact], calcs: list[Calculation], row) -> Answer:  # noqa: ANN001
    """A computed answer carrying the row it was computed from as the query's measure."""
    plan = plan_of(req.query)
    return calc_answer(req.raw, text, facts, calcs, replace(plan, measures=(row_key(row),)))


# ------------------------------------------------------------------ one measure, two periods
def two(req: Request, matches, basis, periods) -> tuple[Fact, Fact, MetricRow]:  # noqa: ANN001
    """The later and the earlier figure of one metric, for growth and change questions."""
    if len(periods) >= 2:
        return two_named(req, matches, basis, periods)
    r = req.resolver
    a = periods[0] if periods else None
    fact, row, _ = r.resolve(matches, basis, a)
    if fact is None or fact.period is None:
        raise CalculationError(f"the release has no figure for {ask_label(a)}")
    sequential = SEQUENTIAL_RE.search(req.query.text)
    before = previous_quarter(fact.period) if sequential else prior(fact.period)
    other = r.find_period(row, matches, basis, before)
    if other is None:
        raise CalculationError(f"the release has no figure for {before.label}")
    if other.scale != fact.scale:
        fact = r.find_period(row, matches, basis, fact.period, same_scale=other) or fact
    return fact, other, row


def two_named(req: Request, matches, basis, periods) -> tuple[Fact, Fact, MetricRow]:  # noqa: ANN001
    """The figures of two named periods, later first, at one scale where the release can."""
    r = req.resolver
    f1, row1, _ = r.resolve(matches, basis, periods[0])
    f2, _, _ = r.resolve(matches, basis, periods[1])
    if f1 is None or f2 is None or row1 is None:
        missing = periods[0] if f1 is None else periods[1]
        raise CalculationError(f"the release has no figure for {ask_label(missing)}")
    if f1.period is None or f2.period is None:
        if periods[0].fiscal_year < periods[1].fiscal_year:
            f1, f2 = f2, f1
        return f1, f2, row1
    if earlier(f1.period, f2.period):
        f1, f2 = f2, f1
    if f1.scale != f2.scale:
        alt = r.find_period(row1, matches, basis, f2.period, same_scale=f1)
        if alt is not None:
            return f1, alt, row1
        alt = r.find_period(row1, matches, basis, f1.period, same_scale=f2)
        if alt is not None:
            return alt, f2, row1
    return f1, f2, row1


# ------------------------------------------------------------------ two measures, one period
def pair(req: Request, left: str, right: str, basis, ask):  # noqa: ANN001, ANN201
    """The two figures 'X plus Y' or 'X minus Y' name, for one period, with their rows."""
    r = req.resolver
    fa, ra, _ = r.resolve(r.rows(left), basis, ask)
    fb, rb, _ = r.resolve(r.rows(right), basis, ask)
    if fa is None or fb is None or ra is None or rb is None:
        raise CalculationError("the release does not give both figures for that period")
    return fa, ra, fb, rb


# ------------------------------------------------------------------ one row, its members
def across_members(req: Request, op: str) -> Answer | None:
    """Arithmetic between columns of one row the question names by member ('the difference
    between the domestic and international discount rates'), in the order it names them; None
    when the question names no two members of one row."""
    from bot.ops.change import CHANGE_WORD_RE, PERCENT_ASK_RE, moves
    from bot.ops.ratio import percent_or_fraction

    q = req.query
    ask = q.periods[0] if len(q.periods) == 1 else None
    if len(q.periods) > 1:
        return None
    named = req.resolver.members_named(list(q.matches), q.basis, ask)
    if named is None:
        return None
    row, facts = named
    relative = op in {"difference", "growth"} and bool(PERCENT_DIFFERENCE_RE.search(q.text))
    if relative:
        op = "growth"
    if op == "growth" and not PERCENT_ASK_RE.search(q.text):
        op = "difference"
    op = percent_or_fraction(op, q.text)
    if op in {"difference", "growth", "ratio", "margin"}:
        facts = facts[:2]
    moved = (op == "growth" and not relative) or (
        op == "difference" and (moves(q.text) or CHANGE_WORD_RE.search(q.text))
    )
    operands = facts[::-1] if moved else facts
    calc = calculate(op, operands)
    shown = ", ".join(f"{f.member} {f.display()}" for f in facts)
    text = (
        f"The {op} of {lower_first(row.name)} between {shown} {when(facts[0])} is "
        f"{fmt_calc(calc, facts[0], places=2)}, computed from the release's figures."
    )
    return answered(req, text, list(facts), [calc], row)


# ------------------------------------------------------------------ one measure, many periods
def over_periods(req: Request, rows: list[MetricRow], periods) -> tuple[MetricRow, list[Fact]]:  # noqa: ANN001
    """The periods a sum or average runs over: the quarters asked, or for a release without
    quarters the years asked."""
    row, chosen = quarters_of(req, rows, periods)
    if len(chosen) < 2 and not quarterly(req):
        row, chosen = years_of(req, rows, periods)
    return row, chosen


def quarters_of(req: Request, rows: list[MetricRow], periods) -> tuple[MetricRow, list[Fact]]:  # noqa: ANN001
    """The first row printing two or more of the periods asked: the quarters named, the
    years listed, or else the quarters of the years named (the latest year by default)."""
    asks = combined(periods)
    years = years_asked(req.query.text, periods)
    if len(years) > 2 and all(a.kind != "quarter" for a in asks):
        asks = [PeriodAsk("bare_year", y) for y in years]
    years = {p.fiscal_year for p in periods if p.kind in {"bare_year", "year"}}
    years = years or {req.ctx.latest_year}
    chosen: list[Fact] = []
    words, percent = req.resolver.prefer.words, req.resolver.prefer.percent
    for r in rows:
        chosen = one_each(r, asks, words, percent) if asks else quarters_in(r, years)
        if len(chosen) >= 2:
            return r, sorted(chosen, key=chronological)
    return rows[0], chosen


def quarterly(req: Request) -> bool:
    """The release prints quarters: a sum or average runs over them, never over years."""
    return any(f.period.kind == "quarter" for r in req.ctx.index.rows for f in r.facts)


def years_of(req: Request, rows: list[MetricRow], periods) -> tuple[MetricRow, list[Fact]]:  # noqa: ANN001
    """For a release without quarters: the years named (a range filled in), one year with
    the year before (an average balance), or every year the row prints."""
    words, percent = req.resolver.prefer.words, req.resolver.prefer.percent
    years = years_asked(req.query.text, periods)
    if len(years) == 1:
        years = [years[0] - 1, years[0]]
    for r in rows:
        if years:
            chosen = one_each(r, [PeriodAsk("bare_year", y) for y in years], words, percent)
            if len(chosen) < len(years):
                continue
        else:
            chosen = one_per_period(r, words, percent)
        if len(chosen) >= 2:
            return r, chosen if years else sorted(chosen, key=chronological)
    return rows[0], []


def combined(periods: list[PeriodAsk]) -> list[PeriodAsk]:
    """The periods a sum or average runs over when named: quarters, or two or more years."""
    qs = [p for p in periods if p.kind == "quarter"]
    listed = [p for p in periods if p.kind in {"bare_year", "year"}]
    return qs or (listed if len(listed) >= 2 else [])


def years_asked(text: str, periods: list[PeriodAsk]) -> list[int]:
    """The years a question names, a range ('from 2015 to 2019', '2017-2019') filled in."""
    if any(p.kind not in {"bare_year", "year", "instant"} for p in periods):
        return []
    years = sorted({p.fiscal_year for p in periods})
    if len(years) == 2 and YEAR_RANGE_RE.search(text):
        return list(range(years[0], years[1] + 1))
    return years


def one_per_period(
    row: MetricRow, words: frozenset[str], percent: bool | None = None
) -> list[Fact]:
    """A row's one figure for each year or balance date it prints, when it prints one."""
    periods = {f.period for f in row.facts if f.period is not None and f.period.kind != "quarter"}
    out = []
    for p in periods:
        facts = by_member([f for f in row.facts if f.period == p], words, percent)
        if len(facts) != 1:
            return []
        out.append(facts[0])
    return out


def one_each(
    row: MetricRow, asks: list[PeriodAsk], words: frozenset[str], percent: bool | None = None
) -> list[Fact]:
    """A row's one figure for each period asked, the column the question names among several
    ('Widgets' of a row printed for each segment); nothing when a period has several."""
    said = words - set(row.primary) - set(row.secondary)  # a label's words name no column
    found = [by_member(facts_for(row, a), said, percent) for a in asks]
    return [] if any(len(fs) > 1 for fs in found) else [f for fs in found for f in fs]


def quarters_in(row: MetricRow, years: set[int]) -> list[Fact]:
    return [f for f in row.facts if f.period.kind == "quarter" and f.period.fiscal_year in years]


# ------------------------------------------------------------------ order and phrasing
def chronological(f: Fact) -> tuple[int, int, str]:
    p = f.period
    return (p.fiscal_year, p.quarter or 0, p.kind) if p is not None else (0, 0, f.column)


def earlier(a: Period, b: Period) -> bool:
    if a.end and b.end and a.end < b.end:
        return True
    return (a.fiscal_year, a.quarter or 5) < (b.fiscal_year, b.quarter or 5)


def ask_key(ask: PeriodAsk) -> tuple[int, int | None]:
    return ask.fiscal_year, ask.quarter


def first_line(row: MetricRow) -> int:
    return min((f.line for f in row.facts + row.undated), default=0)


def at(f: Fact) -> str:
    return "as of" if f.period is not None and f.period.kind == "instant" else "in"


def when(f: Fact) -> str:
    """'as of' a balance date, 'in' a period, or 'in' the column a figure stands in."""
    if f.period is None:
        return f"in {f.member or f.column}"
    return f"{'as of' if f.period.kind == 'instant' else 'in'} {f.period.label}"
