"""Extremes: the period in which a figure was highest or lowest ('which quarter had the lowest
DSO?', 'when did gross margin peak?'), among those the release prints, the others listed."""

from __future__ import annotations

import re

from bot.answer import Answer, cite, value_of
from bot.metrics import MetricRow, expand
from bot.ops.registry import Operation, Request, base, cue_pattern, register
from bot.phrase import found, not_found
from bot.query import Query
from bot.resolve import by_member
from bot.text import tokens
from index.facts import Fact
from index.periods import PeriodAsk, find_periods

LISTED_MAX = 4
HIGH = (
    "highest",
    "largest",
    "biggest",
    "peak(?:ed)?",
    "maximum",
    "max",
    "most",
    "best",
    "strongest",
    "high point",
)
LOW = (
    "lowest",
    "smallest",
    "minimum",
    "min",
    "least",
    "worst",
    "trough",
    "weakest",
    "low point",
    "fewest",
)
# The superlatives that ask for an extreme by themselves, standing as 'the lowest X' ('the
# lowest DSO'); 'minimum', 'maximum' and 'most' also name terms ('minimum lease payments',
# 'maximum exposure', 'the ten largest customers') and ask only with 'which' or 'when'.
PLAIN_HIGH = ("highest", "largest", "biggest", "greatest")
PLAIN_LOW = ("lowest", "smallest")
# The comparatives ('in which year was X larger?') ask the same of two periods; they count as
# an extreme only where the question asks for a period ('which year', 'when').
HIGHER = ("higher", "larger", "greater", "bigger", "more")
LOWER = ("lower", "smaller", "less", "fewer")
# Extreme words that name a moment themselves: 'when did X peak' asks for a period without
# saying 'which quarter'.
MOMENT = ("peak(?:ed)?", "trough", "high point", "low point")
WHICH_RE = re.compile(r"\bwhich\b|\bwhat (?:quarter|year|period)\b|\bwhen\b|\bin what\b", re.I)
PERIOD_NOUN = r"(?:quarter|year|period)s?\b"


def asks_period(text: str, op_text: str, cue: re.Pattern[str]) -> bool:
    """An extreme word asks for a period ('which quarter', 'when', 'the weakest quarter', 'the
    low point'), not for the largest figure of one period; 'more than 5 years' is a bound (a
    maturity column), no extreme."""
    if WHICH_RE.search(text) or cue_pattern(MOMENT).search(op_text):
        return True
    return bool(
        re.search(
            rf"(?:{cue.pattern})(?!\s+than\b)(?:\s+[\w'-]+){{0,2}}\s+{PERIOD_NOUN}", op_text, re.I
        )
    )


def _asks(words: tuple[str, ...], superlatives: tuple[str, ...]):  # noqa: ANN202
    def asks(q: Query, op_text: str) -> bool:
        cue = cue_pattern(words)
        if not cue.search(op_text):
            return False
        return asks_period(q.text, op_text, cue) or (
            _plainly(q, superlatives) and not _one_period(q)
        )

    return asks


def _plainly(q: Query, superlatives: tuple[str, ...]) -> bool:
    """'the lowest DSO': a plain superlative right after 'the', before a word of the line."""
    m = re.search(rf"\bthe\s+(?:{'|'.join(superlatives)})\s+([\w&-]+)", q.text, re.I)
    if m is None or q.best is None:
        return False
    return m.group(1).lower() in tokens(expand(" ".join(q.best.row.row)))


def _one_period(q: Query) -> bool:
    """A question naming a quarter, a date or a part of a year asks that period's figure ('the
    highest DSO in Q3' is Q3's); one naming none, or only years, asks the extreme among the
    periods printed ('the lowest DSO', 'the highest revenue in 2012')."""
    return any(p.kind not in {"bare_year", "year"} for p in q.periods)


YEARLY = ("year", "instant")
QUARTERLY = ("quarter",)


def period_kinds(text: str) -> tuple[str, ...]:
    """The kinds of period asked: a year's are its fiscal years or its year-end balance dates
    (a release without quarters prints either)."""
    low = text.lower()
    return YEARLY if "year" in low and "quarter" not in low else QUARTERLY


def series(
    rows: list[MetricRow],
    kinds: tuple[str, ...],
    periods: tuple[PeriodAsk, ...],
    words: frozenset[str] = frozenset(),
) -> tuple[MetricRow | None, list[Fact]]:
    """The candidate row printing the longest series of that kind of period (a quarterly table
    beats a statement printing only the fourth quarters); the best-matching row among equals.
    Years named limit the series to them; a period printed in several columns gives the one the
    question names, else none."""
    years = {p.fiscal_year for p in periods}
    best: tuple[MetricRow | None, list[Fact]] = (None, [])
    for row in rows:
        facts = one_per_period(
            [
                f
                for f in row.facts
                if f.period is not None
                and f.period.kind in kinds
                and (not years or f.period.fiscal_year in years)
            ],
            words - set(row.primary) - set(row.secondary),
        )
        if len(facts) >= 2 and len(facts) > len(best[1]):
            best = (row, sorted(facts, key=lambda f: (f.period.fiscal_year, f.period.quarter or 0)))
    return best


def one_per_period(facts: list[Fact], words: frozenset[str]) -> list[Fact]:
    """Each period's one figure: the column the question names when a period has several."""
    by_period: dict[object, list[Fact]] = {}
    for f in facts:
        by_period.setdefault(f.period, []).append(f)
    chosen = [by_member(fs, words) for fs in by_period.values()]
    return [fs[0] for fs in chosen if len(fs) == 1]


def named_periods(req: Request) -> tuple[PeriodAsk, ...]:
    """The periods the question itself names: an extreme runs over every period the release
    prints unless the question limits it ('in 2012'); 'quarterly' names no quarter."""
    ctx = req.ctx
    return tuple(find_periods(req.query.text, ctx.calendar, ctx.latest_year))


def _answer(which: str):  # noqa: ANN202
    def answer(req: Request) -> Answer:
        q = req.query
        rows = req.resolver.candidates(list(q.matches), q.basis)
        kinds = period_kinds(q.text)
        row, facts = series(rows, kinds, named_periods(req), req.resolver.prefer.words)
        if row is None:
            other = QUARTERLY if kinds == YEARLY else YEARLY
            row, facts = series(rows, other, named_periods(req), req.resolver.prefer.words)
        if row is None:
            return not_found(
                req.raw, "The release does not print that figure for several periods.", q
            )
        pick = max if which == "highest" else min
        top = pick(facts, key=base)
        ties = [f for f in facts if f.value == top.value]
        when = " and ".join(f.period.label for f in ties)
        text = (
            f"{row.name} was {which} in {when}, at {top.display()} ({among(facts, which)}; "
            f"{row.table}, line {top.line})."
        )
        cites = [cite(f) for f in facts]
        return found(req.raw, text, cites, [value_of(f, row.name) for f in ties], q)

    return answer


def among(facts: list[Fact], which: str) -> str:
    """The other figures the extreme was picked from: listed when few, otherwise the span and
    the opposite end, so the answer stays a reading rather than a dump of the series."""
    if len(facts) <= LISTED_MAX:
        return "of " + ", ".join(f"{f.period.label} {f.display()}" for f in facts)
    other = (min if which == "highest" else max)(facts, key=base)
    opposite = "lowest" if which == "highest" else "highest"
    return (
        f"among the {len(facts)} periods from {facts[0].period.label} to "
        f"{facts[-1].period.label}; the {opposite} was {other.period.label}, {other.display()}"
    )


register(
    Operation(
        "highest",
        cues=HIGH + HIGHER,
        words=("peak", "peaked"),
        asks=_asks(HIGH + HIGHER, PLAIN_HIGH),
        answer=_answer("highest"),
        rank=50,
        table_first=True,
    )
)
register(
    Operation(
        "lowest",
        cues=LOW + LOWER,
        asks=_asks(LOW + LOWER, PLAIN_LOW),
        answer=_answer("lowest"),
        rank=60,
        table_first=True,
    )
)
