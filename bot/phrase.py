"""Phrasing: how figures, periods and calculations are written, and the Answer shapes.

Every figure in an answer comes from a fact or a calculation whose operands are cited.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.answer import Answer, Citation, Value, cite, value_of
from bot.metrics import MetricRow
from bot.ops.registry import Calculation
from bot.query import Query, RowKey
from bot.text import lower_first
from index.facts import SCALES, Fact, format_value
from index.periods import Period, PeriodAsk


def found(raw: str, text: str, citations, values, query: Query) -> Answer:  # noqa: ANN001
    return Answer(raw, text, True, tuple(citations), tuple(values), brain="planner", query=query)


def not_found(raw: str, text: str, query: Query) -> Answer:
    return Answer(raw, text, False, (), (), brain="planner", query=query)


def row_key(row: MetricRow) -> RowKey:
    return (row.table_index, row.row)


def calc_answer(
    raw: str, text: str, facts: list[Fact], calcs: list[Calculation], query: Query
) -> Answer:
    """A computed answer: its operands cited, the formula as a calculation citation."""
    cites = [cite(f) for f in facts]
    cites.append(
        Citation(
            "calculation",
            facts[0].release,
            (min(f.line for f in facts), max(f.line for f in facts)),
            quote=calcs[0].formula,
            value=str(calcs[0].result),
        )
    )
    vals = [value_of(f) for f in facts] + [
        Value(c.operation, c.result, c.display(2), c.unit, period_label(facts[0])) for c in calcs
    ]
    text += " " + "; ".join(f"{f.table}, line {f.line}" for f in unique_lines(facts)).join(
        ["(", ")."]
    )
    return found(raw, text, cites, vals, query)


def period_label(f: Fact) -> str:
    return f.period.label if f.period is not None else (f.member or f.column)


def prior(p: Period) -> Period:
    return Period(p.kind, p.fiscal_year - 1, p.quarter, None)


def previous_quarter(p: Period) -> Period:
    if p.quarter == 1:
        return Period("quarter", p.fiscal_year - 1, 4, None)
    return Period("quarter", p.fiscal_year, (p.quarter or 4) - 1, None)


def plural(name: str) -> bool:
    """'Total operating expenses were', but 'Loss from operations was' and 'Net cash ... was'."""
    head = re.split(
        r"\s+(?:from|of|in|used|for|to|on|at|per)\s+|\s+-\s+|\s*[(,]", name.strip(), maxsplit=1
    )[0]
    last = head.lower().split()[-1] if head.split() else ""
    return (
        last.endswith("s") and not last.endswith(("ss", "'s", "us")) and last not in {"dso", "gaap"}
    )


PART_OF_YEAR = {
    "ytd": {2: "the first half", 3: "the first nine months"},
    "second_half": {4: "the second half"},
}


def ask_label(ask: PeriodAsk | None) -> str:
    if ask is None:
        return "that period"
    if ask.kind == "quarter":
        return f"Q{ask.quarter} {ask.fiscal_year}"
    if ask.kind in PART_OF_YEAR:
        return f"{PART_OF_YEAR[ask.kind][ask.quarter or 2]} of fiscal {ask.fiscal_year}"
    if ask.kind == "instant" and ask.end:
        return f"{ask.end:%B} {ask.end.day}, {ask.end.year}"
    return (
        f"fiscal {ask.fiscal_year}"
        if ask.kind != "instant"
        else f"the end of fiscal {ask.fiscal_year}"
    )


def unit_word(f: Fact) -> str:
    return {"days": " days", "percent": "%"}.get(f.unit, "")


def fmt_calc(calc: Calculation, like: Fact, places: int = 1) -> str:
    if calc.unit in {"percent", "percentage points"}:
        return calc.display(places)
    if calc.unit == "USD":
        value = calc.result
        if value == value.to_integral_value():
            return format_value(value.quantize(Decimal(1)), "USD", like.scale)
        return format_value(value.quantize(Decimal(1).scaleb(-places)), "USD", like.scale)
    if calc.unit == "USD per share":
        return format_value(calc.result.quantize(Decimal("0.01")), calc.unit)
    return f"{calc.result.quantize(Decimal(1).scaleb(-places)):,}"


def unique_lines(facts: list[Fact]) -> list[Fact]:
    """One fact per printed line (of its own release: two releases share line numbers)."""
    seen, out = set(), []
    for f in facts:
        if (f.release, f.line) not in seen:
            seen.add((f.release, f.line))
            out.append(f)
    return out


def sentence(fact: Fact, row: MetricRow, ask: PeriodAsk | None, scale: str | None = None) -> str:
    """'DSO was 74 days in Q3 2012 (Supplemental Financial Information, line 493).'"""
    name = _with_basis(row.name, fact.basis)
    verb = "were" if plural(name) else "was"
    where = f"({fact.table}, line {fact.line})."
    if fact.period is None:
        return f"{name} ({fact.member or fact.column}) {verb} {fact.display()} {where}"
    prep = "as of" if fact.period.kind == "instant" else "in"
    note = interpretation(ask, row, fact)
    restated = in_scale(fact, scale) or in_millions(fact)
    return f"{name} {verb} {fact.display()}{restated} {prep} {fact.period.label}{note} {where}"


def _with_basis(name: str, basis: str | None) -> str:
    if basis and basis.lower() not in name.lower():
        name = f"{basis} {name}" if name.isupper() else f"{basis} {lower_first(name)}"
    return name[0].upper() + name[1:]


def interpretation(ask: PeriodAsk | None, row: MetricRow, fact: Fact) -> str:
    """Said once, only where it matters: no period given, or a quarter given without its year
    when the release prints that quarter in more than one year."""
    if ask is None or not ask.assumed_year:
        return ""
    if ask.start < 0:
        return " (no period given, so I took the latest in the release)"
    if fact.period.kind == "year":
        return ""
    years = {f.period.fiscal_year for f in row.facts if f.period.quarter == fact.period.quarter}
    if len(years) > 1:
        return f" (no year given, so I took {fact.period.fiscal_year}, the latest in the release)"
    return ""


def in_scale(fact: Fact, scale: str | None) -> str:
    """An amount restated in the scale a question asks for ('in billions'), computed from the
    printed figure."""
    if scale in {None, "millions"} or fact.unit != "USD" or scale == fact.scale:
        return ""
    value = fact.value * SCALES[fact.scale] / SCALES[scale]
    places = Decimal("0.001") if abs(value) < 1000 else Decimal(1)
    return f" ({format_value(value.quantize(places), 'USD', scale)}, computed)"


def in_millions(fact: Fact) -> str:
    """A thousands figure restated in millions, as people say it."""
    if fact.unit == "USD" and fact.scale == "thousands" and abs(fact.value) >= 1000:
        millions = (fact.value / 1000).quantize(Decimal("0.1"))
        return f" ({format_value(millions, 'USD', 'millions')})"
    return ""
