"""A part of a year the release prints only as quarters ('net sales in the first half of 2012'
from a release printing each quarter but no six-month column): its quarters added, each cited,
and said to be computed. Only figures that add up over time are added: amounts, counts, shares
issued in a period, never balances, percentages, days or per-share figures."""

from __future__ import annotations

from decimal import Decimal

from bot.answer import Answer
from bot.metrics import MetricRow
from bot.ops.operands import answered, chronological, one_each
from bot.ops.registry import Request, calculate
from bot.phrase import ask_label, period_label
from index.facts import Fact, format_value, places
from index.periods import PeriodAsk

ADDED_UNITS = frozenset({"USD", "count"})
QUARTERS = {("ytd", 2): (1, 2), ("ytd", 3): (1, 2, 3), ("second_half", 4): (3, 4)}


def quarters_added(req: Request, ask: PeriodAsk | None) -> Answer | None:
    """The sum of the quarters making up the part of the year asked, from the first candidate
    row printing every one of them; None when none does or the row's figures do not add."""
    if ask is None or (ask.kind, ask.quarter) not in QUARTERS:
        return None
    asks = [PeriodAsk("quarter", ask.fiscal_year, n) for n in QUARTERS[ask.kind, ask.quarter]]
    q, r = req.query, req.resolver
    for row in r.candidates(list(q.matches), q.basis):
        chosen = one_each(row, asks, r.prefer.words)
        if len(chosen) == len(asks) and _adds(row, chosen):
            return _said(req, row, ask, sorted(chosen, key=chronological))
    return None


def _adds(row: MetricRow, facts: list[Fact]) -> bool:
    return not row.is_stock and {f.unit for f in facts} <= ADDED_UNITS


def _said(req: Request, row: MetricRow, ask: PeriodAsk, facts: list[Fact]) -> Answer:
    calc = calculate("sum", facts)
    shown = max(places(f.value) for f in facts)
    total = format_value(
        calc.result.quantize(Decimal(1).scaleb(-shown)), facts[0].unit, facts[0].scale
    )
    parts = ", ".join(f"{period_label(f)} {f.display()}" for f in facts)
    text = (
        f"The release prints no figure for {ask_label(ask)}; adding its quarters, {row.name} "
        f"was {total} ({parts})."
    )
    return answered(req, text, facts, [calc], row)
