"""Several measures of one period side by side ('compare R&D, S&M and G&A in 2012'), or their
sum when the question asks them combined."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answer import Answer, cite, value_of
from bot.answerability import asks_both_bases
from bot.ops.average import AVERAGE_RE
from bot.ops.change import GAP_RE
from bot.ops.ratio import RATIO_WORD_RE, percent_or_fraction
from bot.ops.registry import (
    Calculation,
    CalculationError,
    Operation,
    Request,
    calculate,
    register,
)
from bot.ops.share import SHARE_ASK_RE, SHARE_RE, WHOLE_FLOOR, parts_of_whole, share_cue
from bot.ops.total import SUM_RE
from bot.phrase import calc_answer, found, not_found
from bot.query import Query
from bot.resolve import facts_for
from bot.text import content_tokens, lower_first, short_label
from index.facts import Fact, format_value
from index.periods import Period, PeriodAsk

if TYPE_CHECKING:
    from bot.context import Context

# Words that list measures to set side by side even without a comma list.
CUES = ("compare", "comparison", "versus", r"vs\.?")


def at(period: Period) -> str:
    """'as of' a balance date, 'in' a quarter or year."""
    return "as of" if period.kind == "instant" else "in"


def at_label(f: Fact) -> str:
    """'as of December 31, 2019', 'in fiscal 2019', or the column a figure stands in."""
    if f.period is None:
        return f"in {f.member or f.column}"
    return f"{at(f.period)} {f.period.label}"


def answer(req: Request) -> Answer:
    q, raw = req.query, req.raw
    gap = gap_of_averages(req)
    if gap is not None:
        return gap
    got = read_parts(req)
    if isinstance(got, str):
        return not_found(raw, f"The release does not give {got.strip()} for that period.", q)
    named = one_period(got)
    facts = [f for f, _ in named]
    parts = [f"{name} {f.display()}" for f, name in named]
    same_unit = len({(f.unit, f.scale) for f in facts}) == 1 and len(facts) >= 2
    share = parts_of_whole(req, facts)
    if share is not None:
        return share
    if same_unit and SUM_RE.search(q.text):
        return sum_of(raw, q, facts, parts)
    return side_by_side(req, named, facts, parts, same_unit)


def side_by_side(
    req: Request, named: list[tuple[Fact, str]], facts: list[Fact], parts: list[str], same: bool
) -> Answer:
    """The measures combined as the question's words ask, else listed side by side; refused
    when their whole is a line of its own (see `whole_elsewhere`)."""
    q, raw = req.query, req.raw
    if whole_elsewhere(req, facts):
        return not_found(
            raw,
            "The question sets several lines against a whole of another line; I can't tell "
            "which to divide by which. Ask for the share of each line.",
            q,
        )
    combined = combined_as_asked(raw, q, facts, parts)
    if combined is not None:
        return combined
    return listed(req, named, parts, same)


def listed(
    req: Request, named: list[tuple[Fact, str]], parts: list[str], same_unit: bool
) -> Answer:
    """The measures of one period listed, each on both bases when both are asked."""
    q = req.query
    facts = [f for f, _ in named]
    bases = on_both_bases(req, named) if q.basis is None and asks_both_bases(q.text) else None
    shown = list(facts)
    if bases is not None:
        parts = [p + bases.beside(f, p) for p, (f, _) in zip(parts, named, strict=True)]
        shown += list(bases.others.values())
    when = at_label(facts[0])
    text = f"{when[:1].upper()}{when[1:]}: " + "; ".join(parts) + "."
    text += largest(named) if same_unit else ""
    lines = "; ".join(f"{f.table}, line {f.line}" for f in shown)
    text = f"{text} ({lines})" + (bases.note(req.ctx) if bases is not None else "")
    cites = [cite(f) for f in shown]
    return found(req.raw, text, cites, [value_of(f) for f in shown], q)


@dataclass(frozen=True)
class Bases:
    """Measures asked 'GAAP vs non-GAAP' side by side: each one's figure on the other basis
    where the release prints it, and the names of those it prints on one basis only."""

    others: dict[Fact, Fact]
    reported_only: tuple[str, ...]
    non_gaap_only: tuple[str, ...]

    def beside(self, fact: Fact, said: str) -> str:
        """What follows a measure's figure: its basis, and its non-GAAP figure if printed."""
        basis = " (GAAP)" if fact.basis == "GAAP" and not said.startswith("GAAP ") else ""
        other = self.others.get(fact)
        return basis if other is None else f"{basis}, {other.display()} (non-GAAP)"

    def note(self, ctx: Context) -> str:
        out = ""
        if self.reported_only:
            names = self.reported_only
            it = "them" if len(names) > 1 else "it"
            restated = non_gaap_measures(ctx)
            holds = (
                f" Its non-GAAP figures are for: {', '.join(restated)}."
                if restated
                else " It gives no non-GAAP figures."
            )
            out += (
                f" The release gives no non-GAAP {joined(names)}; it prints {it} as reported "
                f"only.{holds}"
            )
        if self.non_gaap_only:
            out += f" The release gives {joined(self.non_gaap_only)} on a non-GAAP basis only."
        return out


def on_both_bases(req: Request, named: list[tuple[Fact, str]]) -> Bases:
    """Each measure's non-GAAP counterpart of the same period, or that the release has none."""
    rows = {(r.table_index, r.row): r for r in req.ctx.index.rows}
    others: dict[Fact, Fact] = {}
    reported: list[str] = []
    adjusted: list[str] = []
    for f, name in named:
        row = rows.get((f.table_index, f.row))
        if f.basis == "non-GAAP" or row is None:
            adjusted += [lower_first(name)] if f.basis == "non-GAAP" else []
            continue
        other = req.resolver.counterpart(row, f, "non-GAAP")
        if other is None:
            reported.append(lower_first(name))
        else:
            others[f] = other
    return Bases(others, tuple(reported), tuple(adjusted))


def non_gaap_measures(ctx: Context) -> list[str]:
    """The measures the release restates on a non-GAAP basis, by name."""
    return sorted(
        {r.name.removeprefix("Non-GAAP ").lower() for r in ctx.index.rows if r.basis == "non-GAAP"}
    )


def joined(names: tuple[str, ...]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def whole_elsewhere(req: Request, facts: list[Fact]) -> bool:
    """'X and Y as a percentage of Z': the whole after the share words is a line of its own,
    not one of the listed figures, so no share of one listed figure in another answers it."""
    cue = share_cue(req.query.text)
    if cue is None or len(facts) < 2:
        return False
    whole = req.resolver.rows(req.query.text[cue.end() :])
    if not whole or whole[0].score < WHOLE_FLOOR:
        return False
    row = whole[0].row
    return not any(f in row.facts or f in row.undated for f in facts)


def read_parts(req: Request) -> list[tuple[Fact, str]] | str:
    """Each listed measure's figure with its short name; or the part the release lacks."""
    q = req.query
    ask = q.periods[0] if q.periods else None
    named: list[tuple[Fact, str]] = []
    for phrase, matches in q.several:
        fact, row = on_basis(req, phrase, list(matches), ask)
        if fact is None or row is None:
            return phrase
        named.append((fact, short_label(row.name)))
    return named


def gap_of_averages(req: Request) -> Answer | None:
    """'The difference between the average X and the average Y': each measure averaged over
    the periods asked (every period its row prints, when none is named), then the first less
    the second. None unless two measures and both words are asked."""
    q = req.query
    if len(q.several) != 2 or not (AVERAGE_RE.search(q.text) and GAP_RE.search(q.text)):
        return None
    asks = year_and_before(q.periods)
    series = [averaged_facts(req, list(matches), asks) for _, matches in q.several]
    if (
        any(len(fs) < 2 for fs in series)
        or len({(f.unit, f.scale) for fs in series for f in fs}) > 1
    ):
        return None
    first, second = (calculate("average", fs) for fs in series)
    facts = series[0] + series[1]
    gap = Calculation(
        "difference",
        tuple(facts),
        first.result - second.result,
        first.unit,
        f"{first.formula} - {second.formula}",
    )
    shown = format_value(gap.result, facts[0].unit, facts[0].scale)
    names = [short_label(fs[0].label) for fs in series]
    text = (
        f"The average {lower_first(names[0])} ({first.display(2)}) less the average "
        f"{lower_first(names[1])} ({second.display(2)}) is {shown}, computed from the release's "
        "figures."
    )
    return calc_answer(req.raw, text, facts, [gap, first, second], q)


def year_and_before(asks: tuple[PeriodAsk, ...]) -> tuple[PeriodAsk, ...]:
    """'The 2019 average' (one year named, for each measure or once): that year and the year
    before, as an average over one year is read for a single measure."""
    years = {a.fiscal_year for a in asks}
    if len(years) != 1 or any(a.kind not in {"bare_year", "year"} for a in asks):
        return asks
    year = years.pop()
    return (PeriodAsk("bare_year", year - 1), PeriodAsk("bare_year", year))


def averaged_facts(req: Request, matches: list, asks: tuple) -> list[Fact]:  # noqa: ANN001
    """A measure's figures for each period asked, or every dated figure of its row; none
    when one period is named, or one twice (`year_and_before` reads 'the 2019 average')."""
    _, row, _ = req.resolver.resolve(matches, req.query.basis, asks[0] if asks else None)
    if (
        row is None
        or len({(a.fiscal_year, a.quarter) for a in asks}) != len(asks)
        or len(asks) == 1
    ):
        return []
    if len(asks) >= 2:
        hits = [facts_for(row, a) for a in asks]
        return [h[0] for h in hits if h] if all(hits) else []
    dated = sorted((f for f in row.facts if f.period is not None), key=lambda f: f.period.key)
    return dated if len({f.period.key for f in dated}) == len(dated) else []


def largest(named: list[tuple[Fact, str]]) -> str:
    """Which of several amounts is the largest; nothing for losses or per-share figures, where
    'largest' reads both ways."""
    if any(f.value < 0 for f, _ in named) or named[0][0].unit != "USD":
        return ""
    _, name = max(named, key=lambda n: n[0].value)
    return f" The largest is {lower_first(name)}."


def on_basis(req: Request, phrase: str, matches: list, ask):  # noqa: ANN001, ANN201
    """A part's figure on the basis the question asks ('non-GAAP ..., basic and diluted': the
    basic part is the non-GAAP basic line, not the GAAP one its word alone names)."""
    basis = req.query.basis
    fact, row, _ = req.resolver.resolve(matches, basis, ask)
    if basis is None or fact is None or row is None or fact.basis in (basis, None):
        return fact, row
    variants = req.resolver.basis_variants([row], basis, content_tokens(phrase))
    other, other_row, _ = req.resolver.resolve(variants, basis, ask)
    return (other, other_row) if other is not None else (fact, row)


def one_period(named: list[tuple[Fact, str]]) -> list[tuple[Fact, str]]:
    """The measures read for the period most of them share: a flow read beside balances
    ('net change in cash' beside 'cash') is a part misread, left out."""
    keys = [f.period.key if f.period is not None else f.column for f, _ in named]
    common = max(set(keys), key=keys.count)
    kept = [n for n, k in zip(named, keys, strict=True) if k == common]
    return kept if len(kept) >= 2 else named


def sum_of(raw: str, q: Query, facts: list[Fact], parts: list[str]) -> Answer:
    """Listed measures asked together ('combined', 'add up to'): their sum, computed."""
    calc = calculate("sum", facts)
    total = format_value(calc.result, facts[0].unit, facts[0].scale)
    text = (
        f"Together {at_label(facts[0])} they come to {total}, computed from the release's "
        "figures as the sum of " + " + ".join(parts) + "."
    )
    return calc_answer(raw, text, facts, [calc], q)


# How listed measures are combined, by the words asking it, first match wins.
COMBINED = (
    ("average", AVERAGE_RE),
    ("margin", SHARE_RE),
    ("margin", SHARE_ASK_RE),
    ("ratio", RATIO_WORD_RE),
    ("difference", GAP_RE),
)


def combined_as_asked(raw: str, q: Query, facts: list[Fact], parts: list[str]) -> Answer | None:
    """Listed measures combined as the question's words ask: the difference, ratio or share of
    two, the average of any number; None when it asks none of these."""
    name = next((n for n, cue in COMBINED if cue.search(q.text)), None)
    if name is None or (name != "average" and len(facts) != 2):
        return None
    if name == "average" and GAP_RE.search(q.text):
        return None
    name = percent_or_fraction(name, q.text)
    try:
        calc = calculate(name, facts)
    except CalculationError:
        return None
    plain = name == "ratio" or calc.unit in {"percent", "percentage points", "ratio"}
    shown = calc.display(2) if plain else format_value(calc.result, facts[0].unit, facts[0].scale)
    text = (
        f"The {name} of " + " and ".join(parts) + f" {at_label(facts[0])} is {shown}, computed "
        "from the release's figures."
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
