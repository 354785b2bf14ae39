"""Operations over several figures at once: extremes, several measures side by side, a summary
of a period, the compound growth rate. Each reads the Query and the Resolver, and every figure it
states is cited.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.answer import Answer, cite, value_of
from bot.context import Context
from bot.intent import SUM_RE
from bot.metrics import MetricRow
from bot.operations import CalculationError, base, calculate, direction
from bot.phrase import calc_answer, found, not_found
from bot.query import Query
from bot.resolve import Resolver, facts_for
from bot.text import content_tokens, lower_first, short_label
from index.facts import SCALES, Fact, format_value
from index.periods import Period, PeriodAsk

LISTED_MAX = 4
SUMMARY_LINES = (
    ("Revenue", "total revenue", None),
    ("Gross margin", "gross margin", "GAAP"),
    ("Operating result", "income from operations", "GAAP"),
    ("Net result", "net income", "GAAP"),
    ("Diluted EPS (GAAP)", "net income per share diluted", "GAAP"),
    ("Diluted EPS (non-GAAP)", "net income per share diluted", "non-GAAP"),
    ("Cash and cash equivalents", "cash and cash equivalents", None),
    ("Cash from operations", "cash from operations", None),
    ("DSO", "days sales outstanding", None),
)


def extreme(raw: str, q: Query, resolver: Resolver, which: str) -> Answer:
    """'In which quarter was DSO highest?': the period with the highest (lowest) figure among
    those the release prints, the others listed."""
    rows = resolver.candidates(list(q.matches), q.basis)
    low = q.text.lower()
    yearly = ("year", "instant")
    kinds = yearly if "year" in low and "quarter" not in low else ("quarter",)
    row, facts = _series(rows, kinds, q.periods)
    if row is None:
        row, facts = _series(rows, ("quarter",) if kinds == yearly else yearly, q.periods)
    if row is None:
        return not_found(raw, "The release does not print that figure for several periods.", q)
    pick = max if which == "highest" else min
    top = pick(facts, key=base)
    ties = [f for f in facts if f.value == top.value]
    when = " and ".join(f.period.label for f in ties)
    text = (
        f"{row.name} was {which} in {when}, at {top.display()} ({_among(facts, which)}; "
        f"{row.table}, line {top.line})."
    )
    return found(raw, text, [cite(f) for f in facts], [value_of(f, row.name) for f in ties], q)


def _among(facts: list[Fact], which: str) -> str:
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


def _series(
    rows: list[MetricRow], kinds: tuple[str, ...], periods: tuple[PeriodAsk, ...]
) -> tuple[MetricRow | None, list[Fact]]:
    """The candidate row printing the longest series of that kind of period (a quarterly table
    beats a statement printing only the fourth quarters); the best-matching row among equals."""
    years = {p.fiscal_year for p in periods}
    best: tuple[MetricRow | None, list[Fact]] = (None, [])
    for row in rows:
        facts = [
            f
            for f in row.facts
            if f.period.kind in kinds and (not years or f.period.fiscal_year in years)
        ]
        if len(facts) >= 2 and len(facts) > len(best[1]):
            best = (row, sorted(facts, key=lambda f: (f.period.fiscal_year, f.period.quarter or 0)))
    return best


def several(raw: str, q: Query, resolver: Resolver) -> Answer:
    """Several measures for one period, side by side: 'compare R&D, S&M and G&A in 2012'."""
    ask = q.periods[0] if q.periods else None
    parts: list[str] = []
    facts: list[Fact] = []
    for phrase, matches in q.several:
        fact, row, _ = resolver.resolve(list(matches), q.basis, ask)
        if fact is None or row is None:
            return not_found(raw, f"The release does not give {phrase.strip()} for that period.", q)
        facts.append(fact)
        parts.append(f"{short_label(row.name)} {fact.display()}")
    facts, parts = _one_period(facts, parts)
    same_unit = len({(f.unit, f.scale) for f in facts}) == 1 and len(facts) >= 2
    if same_unit and SUM_RE.search(q.text):
        return _sum_of(raw, q, facts, parts)
    combined = _combined(raw, q, facts, parts)
    if combined is not None:
        return combined
    text = f"{_at_label(facts[0]).capitalize()}: " + "; ".join(parts) + "."
    if same_unit:
        top = max(facts, key=lambda f: f.value)
        text += f" The largest is {lower_first(top.label)}."
    lines = "; ".join(f"{f.table}, line {f.line}" for f in facts)
    return found(
        raw, f"{text} ({lines})", [cite(f) for f in facts], [value_of(f) for f in facts], q
    )


def count_periods(raw: str, q: Query, resolver: Resolver) -> Answer:
    """'In how many quarters was DSO above 65 days?': the periods of the longest series the
    release prints that meet the condition, counted and named, every figure cited."""
    from bot.understand import condition_of

    condition = condition_of(q.text)
    rows = resolver.candidates(list(q.matches), q.basis)
    kinds = ("year", "instant") if re.search(r"\byears?\b", q.text, re.I) else ("quarter",)
    row, facts = _series(rows, kinds, q.periods)
    if row is None or condition is None:
        return not_found(raw, "The release does not print that figure for several periods.", q)
    which, limit, scale = condition
    bound = limit * SCALES[scale] if scale else limit

    def measured(f: Fact) -> Decimal:
        return f.absolute if scale else f.value

    met = [f for f in facts if (measured(f) > bound if which == "above" else measured(f) < bound)]
    named = ", ".join(f.period.label for f in met) or "none"
    text = (
        f"{row.name} was {which} {_bound_text(limit, scale, facts[0])} in {len(met)} of the "
        f"{len(facts)} {'year' if 'year' in kinds else 'quarter'}s from {facts[0].period.label} to {facts[-1].period.label} "
        f"({named}; {row.table}, line {facts[0].line})."
    )
    return found(raw, text, [cite(f) for f in facts], [value_of(f, row.name) for f in met], q)


def _bound_text(limit: Decimal, scale: str | None, fact: Fact) -> str:
    if scale:
        return format_value(limit, fact.unit, scale)
    return "zero" if limit == 0 else format_value(limit, fact.unit)


def _combined(raw: str, q: Query, facts: list[Fact], parts: list[str]) -> Answer | None:
    """Two listed measures combined as the question's words ask: their difference, ratio,
    share or average."""
    from bot.intent import AVERAGE_RE, GAP_RE, RATIO_WORD_RE, SHARE_ASK_RE, SHARE_RE

    asked = (
        ("average", AVERAGE_RE),
        ("margin", SHARE_RE),
        ("margin", SHARE_ASK_RE),
        ("ratio", RATIO_WORD_RE),
        ("difference", GAP_RE),
    )
    name = next((n for n, cue in asked if cue.search(q.text)), None)
    if name is None or (name != "average" and len(facts) != 2):
        return None
    try:
        calc = calculate(name, facts)
    except CalculationError:
        return None
    shown = calc.display(2) if name == "ratio" else fmt_calc_plain(calc, facts[0])
    text = (
        f"The {name} of " + " and ".join(parts) + f" {_at_label(facts[0])} is {shown}, computed "
        "from the release's figures."
    )
    return calc_answer(raw, text, facts, [calc], q)


def fmt_calc_plain(calc, fact: Fact) -> str:  # noqa: ANN001
    if calc.unit in {"percent", "percentage points", "ratio"}:
        return calc.display(2)
    return format_value(calc.result, fact.unit, fact.scale)


def _at_label(f: Fact) -> str:
    """'as of December 31, 2019', 'in fiscal 2019', or the column a figure stands in."""
    if f.period is None:
        return f"in {f.member or f.column}"
    return f"{at(f.period)} {f.period.label}"


def _one_period(facts: list[Fact], parts: list[str]) -> tuple[list[Fact], list[str]]:
    """The measures read for the period most of them share: a flow read beside balances
    ('net change in cash' beside 'cash') is a part misread, left out."""
    keys = [f.period.key if f.period is not None else f.column for f in facts]
    common = max(set(keys), key=keys.count)
    kept = [(f, p) for f, p, k in zip(facts, parts, keys, strict=True) if k == common]
    if len(kept) < 2:
        return facts, parts
    return [f for f, _ in kept], [p for _, p in kept]


def _sum_of(raw: str, q: Query, facts: list[Fact], parts: list[str]) -> Answer:
    """Listed measures asked together ('combined', 'add up to'): their sum, computed."""
    calc = calculate("sum", facts)
    text = (
        f"Together {_at_label(facts[0])} they come to {format_value(calc.result, facts[0].unit, facts[0].scale)}, computed from the "
        f"release's figures as the sum of " + " + ".join(parts) + "."
    )
    return calc_answer(raw, text, facts, [calc], q)


def at(period: Period) -> str:
    """'as of' a balance date, 'in' a quarter or year."""
    return "as of" if period.kind == "instant" else "in"


def cagr(raw: str, q: Query, resolver: Resolver) -> Answer:
    """The compound annual growth rate between the first and last period asked."""
    if len(q.periods) < 2:
        return not_found(
            raw, "A compound growth rate needs two periods, e.g. 'from 2011 to 2012'.", q
        )
    asks = sorted(q.periods, key=lambda p: (p.fiscal_year, p.quarter or 0))
    first = resolver.resolve(list(q.matches), q.basis, asks[0])
    last = resolver.resolve(list(q.matches), q.basis, asks[-1])
    if first[0] is None or last[0] is None or last[1] is None:
        return not_found(raw, "The release does not give that figure for both periods.", q)
    try:
        calc = calculate("cagr", [last[0], first[0]])
    except CalculationError as exc:
        return not_found(raw, f"I couldn't compute that: {exc}.", q)
    name = last[1].name
    text = (
        f"The compound annual growth rate of {lower_first(name)} from "
        f"{first[0].period.label} ({first[0].display()}) to {last[0].period.label} "
        f"({last[0].display()}) was {calc.display(2)}, computed as "
        f"((last / first) ^ (1 / years) - 1) x 100."
    )
    return calc_answer(raw, text, [last[0], first[0]], [calc], q)


def summary(raw: str, q: Query, ctx: Context, resolver: Resolver) -> Answer:
    """A period at a glance: revenue, margin, operating and net result, EPS on both bases and
    cash, each against the prior quarter and the prior year, all cited."""
    subject = summary_subject(q.text, ctx)
    if subject:
        return not_found(
            raw,
            "I can summarise a period as a whole (revenue, gross margin, operating and net "
            f"result, EPS, cash), not a summary of '{subject}'; ask for its lines by name. "
            + ctx.holds(),
            q,
        )
    lq = ctx.latest_quarter
    ask = q.periods[0] if q.periods else PeriodAsk("quarter", lq[0], lq[1], assumed_year=True)
    lines: list[str] = []
    facts: list[Fact] = []
    for title, phrase, basis in SUMMARY_LINES:
        fact, row, _ = resolver.resolve(resolver.rows(phrase), basis, ask)
        if fact is None or row is None or fact.period is None or _narrower(fact, ask):
            continue
        facts.append(fact)
        lines.append(f"{title} {fact.display()}{_against(fact, row, resolver, facts)}")
    if not facts:
        return not_found(raw, "The release gives no figures for that period. " + ctx.holds(), q)
    when = facts[0].period.label
    cites = [cite(f) for f in facts]
    text = f"{when} at a glance: " + "; ".join(lines) + "."
    text += " (" + "; ".join(sorted({f"{f.table}, line {f.line}" for f in facts})) + ")"
    return found(raw, text, cites, [value_of(f) for f in facts], q)


def _narrower(fact: Fact, ask: PeriodAsk) -> bool:
    """A quarter's figure standing in for a year the summary is of."""
    return ask.kind == "year" and fact.period is not None and fact.period.kind == "quarter"


def summary_subject(text: str, ctx: Context) -> str:
    """The words of a summary request that name a subject rather than a period ('the balance
    sheet', 'cash flows'): empty for 'summarise Q4 2012'."""
    import re

    from bot.understand import settings

    plain = {str(w) for w in settings()["summary_words"]}
    plain |= set(content_tokens(ctx.company))
    left = [
        w
        for w in content_tokens(text)
        if w not in plain and not re.fullmatch(r"\d{2,4}s?|'s", w) and w.rstrip("'s") not in plain
    ]
    return " ".join(left)


def _against(fact: Fact, row: MetricRow, resolver: Resolver, used: list[Fact]) -> str:
    out = []
    for word, other in (
        ("prior quarter", _prior_quarter(fact.period)),
        ("prior year", _prior_year(fact.period)),
    ):
        if other is None:
            continue
        ask = PeriodAsk(other.kind, other.fiscal_year, other.quarter)
        then = [f for f in facts_for(row, ask) if f.scale == fact.scale]
        if len(then) == 1:
            used.append(then[0])
            out.append(
                f"{direction(row.name, fact.value, then[0].value)} from {then[0].display()} ({word})"
            )
    return f" ({', '.join(out)})" if out else ""


def _prior_quarter(p: Period) -> Period | None:
    if p.kind != "quarter" or p.quarter is None:
        return None
    if p.quarter == 1:
        return Period("quarter", p.fiscal_year - 1, 4)
    return Period("quarter", p.fiscal_year, p.quarter - 1)


def _prior_year(p: Period) -> Period:
    return Period(p.kind, p.fiscal_year - 1, p.quarter)
