"""Lookup: the printed figure of a measure for each period asked, with its other basis beside
it; the answer to a figure question that names no operation."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answer import Answer, Citation, Value, cite, value_of
from bot.answerability import asks_both_bases, basis_missing, one_basis_only
from bot.metrics import MetricRow
from bot.ops.operands import across_members, plan_of
from bot.ops.part_year import quarters_added
from bot.ops.ratio import PERCENT_WORD_RE
from bot.ops.registry import Operation, Request, register
from bot.phrase import ask_label, found, not_found, sentence
from bot.query import Query
from bot.text import content_tokens, lower_first
from index.facts import Fact
from index.periods import PeriodAsk


def answer(req: Request) -> Answer:
    """'the difference between the domestic and international rates' names no operation but
    sets two members of one row against each other; anything else is looked up."""
    from bot.ops.change import GAP_RE  # the difference's words; a change falls back on lookup

    q = req.query
    if q.operation is None and GAP_RE.search(q.text):
        across = across_members(req, "difference")
        if across is not None:
            return across
    return lookup(req, list(q.matches), q.basis, list(q.periods))


def lookup(req: Request, matches, basis, periods) -> Answer:  # noqa: ANN001
    raw, plan = req.raw, plan_of(req.query)
    asks = periods or [None]
    lines: list[str] = []
    citations: list[Citation] = []
    values: list[Value] = []
    used_rows = []
    for ask in asks[:4]:
        fact, row, a = req.resolver.resolve(matches, basis, ask)
        if fact is None:
            return quarters_added(req, ask) or missing_period(req, row, ask)
        if PERCENT_WORD_RE.search(req.query.text) and fact.unit != "percent":
            return not_found(
                raw,
                f"The release prints {lower_first(row.name)} as an amount, not a percentage, and "
                f"the question names no whole I can divide it by. {req.ctx.holds()}",
                Query("refuse", text=req.query.text),
            )
        missing = basis_missing(raw, replace(plan, basis=basis), req.ctx, row, fact)
        if missing is not None:
            return missing
        used_rows.append(row)
        lines.append(sentence(fact, in_its_part(row), a, scale_asked(req.query.text)))
        citations.append(cite(fact))
        values.append(value_of(fact, row.name))
        said, other = other_basis(req, row, fact, basis, len(asks) == 1)
        lines += [said] if said else []
        if other is not None:
            citations.append(cite(other))
            values.append(value_of(other))
    plan = replace(plan, measures=tuple((r.table_index, r.row) for r in used_rows[:1]))
    return found(raw, " ".join(lines), citations, values, plan)


def in_its_part(row: MetricRow) -> MetricRow:
    """A line of a table's named part ('...: Effects of stock-based compensation') said with
    that part: its figure is the part's amount within the line, not the line's own
    ('Research and development (effects of stock-based compensation)')."""
    part = row.table.split(":", 1)[1].strip() if ":" in row.table else ""
    if not part or set(content_tokens(part)) <= set(content_tokens(row.name)):
        return row
    return replace(row, name=f"{row.name} ({lower_first(part)})")


def other_basis(
    req: Request, row: MetricRow, fact: Fact, basis: str | None, alone: bool
) -> tuple[str, Fact | None]:
    """What a lookup says of the other basis: the non-GAAP figure beside a GAAP one, that
    the release prints none when both were asked, or that a figure is non-GAAP only."""
    if basis is not None:
        return "", None
    both = alone and asks_both_bases(req.query.text)
    if alone and (fact.basis == "GAAP" or (both and not fact.basis)):
        other = req.resolver.counterpart(row, fact, "non-GAAP")
        if other is not None:
            where = f"{other.table}, line {other.line}"
            return f"On a non-GAAP basis it was {other.display()} ({where}).", other
        return (one_basis_only(row) if both else ""), None
    if fact.basis == "non-GAAP":
        return "The release gives this figure on a non-GAAP basis only.", None
    return "", None


def missing_period(req: Request, row: MetricRow | None, ask: PeriodAsk | None) -> Answer:
    raw, plan = req.raw, plan_of(req.query)
    if row is None:
        return not_found(
            raw, "I couldn't find that figure in the release. " + req.ctx.holds(), plan
        )
    have = sorted({f.period for f in row.facts}, key=lambda p: (p.fiscal_year, p.quarter or 5))
    listed = ", ".join(p.label for p in have)
    asked = ask_label(ask) if ask else "that period"
    return not_found(
        raw,
        f"The release does not give {row.name} for {asked}. It gives it for {listed} "
        f"({row.table}).",
        plan,
    )


def scale_asked(text: str) -> str | None:
    """The scale a question asks an amount in ('in billions of dollars'), or None."""
    m = re.search(r"\bin (thousands|millions|billions)\b", text, re.I)
    return m.group(1).lower() if m else None


register(Operation("lookup", operate=answer))
