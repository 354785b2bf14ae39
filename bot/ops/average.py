"""Average: the mean of a figure over the periods or items asked; and the change between two
years' averages ('the change between 2018 and 2019 average free cash flow', each year's average
over it and the year before)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from bot.answer import Answer
from bot.metrics import MetricRow
from bot.ops.operands import across_members, answered
from bot.ops.registry import Calculation, Operation, Request, cue_pattern, register
from bot.ops.total import combine
from bot.phrase import fmt_calc, period_label
from bot.query import Query
from bot.resolve import facts_for
from index.facts import Fact
from index.periods import PeriodAsk

# 'weighted average shares' is a line's name, not an average asked for.
CUES = ("(?<!weighted )(?<!weighted-)average(?! shares)(?! share count)", "mean", "avg")
AVERAGE_RE = cue_pattern(CUES)
# A change asked of an average ('the change between 2018 and 2019 average X'); 'the average
# change' asks something else.
AVERAGE_CHANGE_RE = re.compile(
    r"\b(?:change|difference|increase|decrease)\b.*\baverage\b(?!\s+(?:change|increase))", re.I
)
# Two years written as a pair ('2017-2018'): the years one average runs over.
YEAR_PAIR_RE = re.compile(r"\b((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\b")


def average(facts: Sequence[Fact]) -> Decimal:
    return sum((f.value for f in facts), Decimal(0)) / len(facts)


def asks(q: Query, op_text: str) -> bool:
    """'average' outside the measure's label ('Average invested capital' is a line's name)."""
    return bool(AVERAGE_RE.search(op_text))


def operate(req: Request) -> Answer:
    """The change between two years' averages when asked; the average of members of one row
    the question names; else over the periods asked."""
    return change_of_averages(req) or across_members(req, "average") or combine(req, "average")


def pairs_asked(req: Request) -> list[tuple[int, int]]:
    """The two pairs of years whose averages a change compares, earlier first: written as pairs
    ('between 2017-2018, and 2018-2019'), or two years each averaged with the year before."""
    text = req.query.text
    written = [(int(a), int(b)) for a, b in YEAR_PAIR_RE.findall(text)]
    if len(written) == 2:
        return sorted(written)
    if written or any(p.kind not in {"bare_year", "year"} for p in req.query.periods):
        return []
    years = sorted({p.fiscal_year for p in req.query.periods})
    return [(y - 1, y) for y in years] if len(years) == 2 else []


def change_of_averages(req: Request) -> Answer | None:
    """'The change between 2018 and 2019 average X': the later year's average less the earlier
    one's, each over its two years; None unless a change of two such averages is asked and
    the row prints all their years."""
    if not AVERAGE_CHANGE_RE.search(req.query.text):
        return None
    pairs = pairs_asked(req)
    _, row, _ = req.resolver.resolve(list(req.query.matches), req.query.basis, None)
    if len(pairs) != 2 or row is None:
        return None
    got = pair_figures(row, pairs)
    if got is None:
        return None
    earlier, later = got
    result = average(later) - average(earlier)
    calc = Calculation(
        "difference",
        tuple(later + earlier),
        result,
        later[0].unit,
        f"({' + '.join(f.raw for f in later)}) / 2 - ({' + '.join(f.raw for f in earlier)}) / 2",
    )
    shown = [", ".join(f"{period_label(f)} {f.display()}" for f in fs) for fs in (later, earlier)]
    text = (
        f"The average of {row.name} over {pairs[1][0]}–{pairs[1][1]} ({shown[0]}) less its "
        f"average over {pairs[0][0]}–{pairs[0][1]} ({shown[1]}) is "
        f"{fmt_calc(calc, later[0], places=2)}, computed from the release's figures."
    )
    return answered(req, text, later + earlier, [calc], row)


def pair_figures(row: MetricRow, pairs: list[tuple[int, int]]) -> tuple[list[Fact], ...] | None:
    """The row's one figure for each year of each pair, in one unit; None when one is missing."""
    sets = [[facts_for(row, PeriodAsk("bare_year", y)) for y in pair] for pair in pairs]
    if any(len(hit) != 1 for pair in sets for hit in pair):
        return None
    figures = tuple([hit[0] for hit in pair] for pair in sets)
    if len({(f.unit, f.scale) for fs in figures for f in fs}) > 1:
        return None
    return figures


register(
    Operation(
        "average",
        None,
        average,
        formula=lambda ls: f"({' + '.join(ls)}) / {len(ls)}",
        cues=CUES,
        asks=asks,
        rank=110,
        operate=operate,
        table_first=True,
    )
)
