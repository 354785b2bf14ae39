"""Ratio and margin: one figure over another, as a fraction ('the ratio of X to Y', the
current ratio) or as a percentage (a margin: a result over total revenue)."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answer import Answer
from bot.metrics import Match, MetricRow
from bot.ops.operands import across_members, answered, ask_key, first_line, when
from bot.ops.registry import (
    CalculationError,
    Operation,
    Request,
    base,
    calculate,
    cue_pattern,
    divide,
    register,
)
from bot.ops.total import TOTAL_RE
from bot.query import Query
from bot.resolve import facts_for
from bot.text import lower_first
from index.facts import Fact
from index.periods import find_periods

RATIO_CUES = ("ratio",)
MARGIN_CUES = (r"(operating|net|ebit|pre-?tax|loss from operations)\s+margins?",)
RATIO_WORD_RE = cue_pattern(RATIO_CUES)
MARGIN_RE = cue_pattern(MARGIN_CUES)
COMPUTE_MARGIN_RE = re.compile(r"\b(?:compute|calculate)\b.*\bmargin\b", re.I)
RATIO_DEFS = {
    "current ratio": ("total current assets", "total current liabilities", "ratio"),
}
MARGIN_DEFS = {
    "gross": "gross profit",
    "operating": "loss from operations",
    "net": "net loss",
    "pre-tax": "loss before income taxes",
    "pretax": "loss before income taxes",
}
# 'the proportion of X over Y' asks a fraction, unless it says percent; 'the ratio (in
# percentage) of X to Y' asks the ratio times a hundred.
FRACTION_RE = re.compile(r"\bproportion\b|\bfraction\b", re.I)
PERCENT_WORD_RE = re.compile(r"\bwhat percent|\bin percent|%|\bpercentage\b", re.I)
# Lines whose sign is their meaning: a negative one is a loss or a fall, not a deduction.
SIGNED_LINE_RE = re.compile(
    r"\b(?:loss(?:es)?|deficit|income|profit|earnings|result|gains?|change|increase|decrease"
    r"|net|margin|cash flow)\b",
    re.I,
)
TOTAL_LABELS = frozenset({"total", "subtotal"})
COUNTED_UNITS = frozenset({"shares", "count"})
COUNT_COLUMN_RE = re.compile(r"\bshares\b|\bnumber\b|\bunits\b", re.I)
IN_PERCENT_RE = re.compile(r"\bin percent(?:age)?\b|\bas a percent(?:age)?\b", re.I)


def percent_or_fraction(op: str, question: str) -> str:
    """'margin' (a percentage) or 'ratio' (a fraction), as the question's words ask."""
    if op == "margin" and FRACTION_RE.search(question) and not PERCENT_WORD_RE.search(question):
        return "ratio"
    if op == "ratio" and IN_PERCENT_RE.search(question):
        return "margin"
    return op


def names_ratio(question: str) -> bool:
    """A ratio defined by name ('current ratio')."""
    return any(name in question.lower() for name in RATIO_DEFS)


def operate_ratio(req: Request) -> Answer:
    """A ratio between members of one row the question names, else the ratio it names."""
    return across_members(req, "ratio") or ratio_of(req)


def ratio_of(req: Request) -> Answer:
    """A ratio the question names ('ratio of X to Y', or a ratio defined by name)."""
    periods, r = list(req.query.periods), req.resolver
    ask = periods[0] if periods else None
    q, basis = req.query.text, req.query.basis
    for name, (num, den, _kind) in RATIO_DEFS.items():
        if name in q.lower():
            return ratio_answer(req, r.rows(num), r.rows(den), basis, ask, "ratio", name)
    parts = re.split(
        r"\bto\b|\bover\b|\bdivided by\b|/",
        re.sub(r".*\bratio of\b", "", q, flags=re.I),
        maxsplit=1,
    )
    if len(parts) == 2:
        return ratio_answer(req, r.rows(parts[0]), r.rows(parts[1]), basis, ask, "ratio")
    raise CalculationError("name the two figures of the ratio, e.g. 'ratio of X to Y'")


def margin(req: Request) -> Answer:
    """A margin: a result over total revenue."""
    periods, r = list(req.query.periods), req.resolver
    ask = periods[0] if periods else None
    q = req.query.text
    m = MARGIN_RE.search(q) or re.search(r"\b(gross)\s+margin", q, re.I)
    key = m.group(1).lower().replace(" ", "-") if m else ""
    num = MARGIN_DEFS.get(key, m.group(1) if m else "")
    return ratio_answer(
        req,
        r.rows(num),
        r.rows("total revenue"),
        req.query.basis,
        ask,
        "margin",
        f"{m.group(1).lower()} margin" if m else None,
    )


def ratio_answer(
    req: Request,
    num_m: list[Match],
    den_m: list[Match],
    basis,  # noqa: ANN001
    ask,  # noqa: ANN001
    op: str,
    name: str | None = None,
    part_of_whole: bool = False,
) -> Answer:
    """One figure over another of the same period, as a ratio or a percentage as the
    question's words ask, both operands cited. `part_of_whole`: the first is a part of the
    second (see `as_part`)."""
    fa, ra, a = req.resolver.resolve(num_m, basis, ask)
    if fa is None:
        raise CalculationError("the release has no figure for the numerator in that period")
    fb = denominator(req, den_m, basis, fa)
    rb = den_m[0].row if den_m else None
    if fb is None and TOTAL_RE.search(req.query.text):
        rb, fb = total_below(req, fa)
    if ra is not None and (rb is None or rb is ra):
        rb, fb = same_line_later(req, ra, rb, fb)
    if fb is None or ra is None or rb is None:
        raise CalculationError("the release has no figure for the denominator in that period")
    if fb == fa:
        raise CalculationError("the part and the whole it names are the same figure")
    op = percent_or_fraction(op, req.query.text)
    if part_of_whole:
        fa = as_part(fa, fb)
    calc = calculate(op, [fa, fb])
    label = name or f"{ra.name} as a share of {lower_first(rb.name)}"
    shown = calc.display(2) if op == "ratio" else calc.display(1)
    text = (
        f"{label[0].upper()}{label[1:]} {when(fa)} was {shown}, computed from "
        f"the release's figures as {fa.display()} / {fb.display()}."
    )
    return answered(req, text, [fa, fb], [calc], ra)


def as_part(part: Fact, whole: Fact) -> Fact:
    """A part of a whole is in the whole's unit (a per-share figure is no part of a share
    count), save a column printing '$' only on some lines; a part printed as a deduction
    (shares forfeited in a roll-forward, depreciation under EBITDA) is taken on its
    magnitude, unless its line is a result whose sign is its meaning (a loss, a change)."""
    units = {part.unit, whole.unit}
    if len(units) > 1 and units != {"USD", "count"}:
        raise CalculationError(f"{part.unit} is no part of {whole.unit}")
    deducted = (counted(part) and counted(whole)) or not SIGNED_LINE_RE.search(part.label)
    if deducted and part.value < 0 < whole.value:
        return replace(part, value=-part.value)
    return part


def counted(f: Fact) -> bool:
    """A count of things (shares, units, people): never negative, whatever its parentheses."""
    return f.unit in COUNTED_UNITS or bool(COUNT_COLUMN_RE.search(f.column))


def denominator(req: Request, den_m: list[Match], basis, fa: Fact) -> Fact | None:  # noqa: ANN001
    """The whole's figure for the part's period, or for its column when that is no period."""
    if not den_m:
        return None
    if fa.period is not None:
        return req.resolver.find_period(den_m[0].row, den_m, basis, fa.period)
    return next((f for f in den_m[0].row.undated if f.column == fa.column), None)


def same_line_later(req: Request, ra: MetricRow, rb, fb):  # noqa: ANN001, ANN201
    """'X in 2019 to 2018', '2019 X as a percentage of 2018 X': one line over two periods,
    the second period named being the denominator's."""
    asks = find_periods(req.query.text, req.ctx.calendar, req.ctx.latest_year)
    if len(asks) != 2 or ask_key(asks[0]) == ask_key(asks[1]):
        return rb, fb
    later = facts_for(ra, asks[1])
    return (ra, later[0]) if later else (rb, fb)


def total_below(req: Request, fa: Fact) -> tuple[MetricRow | None, Fact | None]:
    """The whole a part adds up to when the question's 'total' names no line: the nearest
    line labelled just 'Total' (or the unlabelled total, read as 'Subtotal') below the part in
    its table, in the part's column."""
    below = [
        r
        for r in req.ctx.index.rows
        if r.row[-1].strip(" :").lower() in TOTAL_LABELS
        and r.table_index == fa.table_index
        and first_line(r) > fa.line
    ]
    for row in sorted(below, key=first_line):
        hit = next((f for f in row.facts + row.undated if f.column == fa.column), None)
        if hit is not None:
            return row, hit
    return None, None


register(
    Operation(
        "ratio",
        2,
        lambda fs: divide(base(fs[0]), base(fs[1])),
        lambda u: "ratio",
        lambda ls: " / ".join(ls),
        same_unit=False,
        cues=RATIO_CUES,
        asks=lambda q, op_text: bool(RATIO_WORD_RE.search(q.text)),
        rank=150,
        operate=operate_ratio,
        table_first=True,
        names_figure=names_ratio,
    )
)


def asks_margin(q: Query, op_text: str) -> bool:
    return bool(MARGIN_RE.search(q.text) or COMPUTE_MARGIN_RE.search(q.text))


def declines_margin(q: Query) -> bool:
    """A margin the release prints as a line of its own ('Operating margin 48%'), not asked to
    be computed: the printed line answers."""
    best = q.best
    printed = (
        best is not None
        and best.label_coverage >= 0.99
        and best.row.unit == "percent"
        and bool(MARGIN_RE.search(best.row.name))
    )
    return printed and not COMPUTE_MARGIN_RE.search(q.text)


register(
    Operation(
        "margin",
        2,
        lambda fs: divide(base(fs[0]), base(fs[1])) * 100,
        lambda u: "percent",
        lambda ls: f"{ls[0]} / {ls[1]} x 100",
        same_unit=False,
        cues=MARGIN_CUES,
        asks=asks_margin,
        rank=180,
        operate=margin,
        table_first=True,
        names_figure=lambda question: bool(MARGIN_RE.search(question)),
        declines=declines_margin,
    )
)
