"""Answerability: what the release cannot answer, said plainly with what it does hold.

A currency it does not report in, a period no calendar has ('Q9'), a basis it does not print a
measure on: each is refused by name, never answered with the nearest figure.
"""

from __future__ import annotations

import re

from bot.answer import Answer
from bot.context import Context
from bot.metrics import MetricRow, expand
from bot.phrase import not_found
from bot.query import Query
from bot.text import lower_first, tokens
from index.facts import Fact

CURRENCY_NAMES = {
    "EUR": "euros",
    "GBP": "pounds sterling",
    "JPY": "yen",
    "CNY": "renminbi",
    "INR": "rupees",
    "CHF": "Swiss francs",
    "CAD": "Canadian dollars",
    "AUD": "Australian dollars",
}


def unanswerable(raw: str, q: Query, ctx: Context) -> Answer | None:
    """A refusal for what no figure of the release can answer, or None."""
    if q.impossible:
        what = ", ".join(f"'{w}'" for w in q.impossible)
        return not_found(
            raw,
            f"{what} is not a period a release can have: a fiscal year has four quarters, "
            f"Q1 to Q4. {ctx.holds()}",
            q,
        )
    if q.currency and q.currency not in reported_currencies(ctx):
        name = CURRENCY_NAMES.get(q.currency, q.currency)
        return not_found(
            raw,
            f"The release reports its figures in US dollars only; it gives nothing in {name}, "
            f"and I do not convert currencies. Ask without the currency for the dollar figure.",
            q,
        )
    return restated_basis(raw, q, ctx) or look_alike(raw, q, ctx)


def restated_basis(raw: str, q: Query, ctx: Context) -> Answer | None:
    """'revenue growth in constant currency' from a release that never restates on that basis."""
    from bot.understand import settings

    for phrase in settings()["restated_bases"]:
        if re.search(rf"\b{re.escape(phrase)}\b", q.text, re.I) and not all(
            w in ctx.vocabulary for w in tokens(phrase)
        ):
            return not_found(
                raw,
                f"The release gives no figures on a {phrase} basis, and I cannot restate them. "
                "Ask without it for the reported figure.",
                q,
            )
    return None


def look_alike(raw: str, q: Query, ctx: Context) -> Answer | None:
    """A question naming a line the release does not print, matched to a neighbour of the
    opposite name ('interest expense' to 'Interest income', 'long-term debt' to 'Long-term
    investments'): refused, naming what is printed."""
    if q.best is None or q.several or q.concept:
        return None
    label = set(tokens(q.best.row.row[-1]))
    said = tokens(expand(q.text))
    if _counts_money(q, ctx):
        return not_found(
            raw,
            f"That asks to count something, and the nearest line the release prints, "
            f"{q.best.row.name}, is an amount of money, not a count. {ctx.holds()}",
            q,
        )
    for word in _conflicting(said, label):
        return not_found(
            raw,
            f"The release does not print '{word}' for that; the nearest line it prints is "
            f"{q.best.row.name}, which is another figure. {ctx.holds()}",
            q,
        )
    return None


def _counts_money(q: Query, ctx: Context) -> bool:
    """'How many engineers' matched to an amount of money (R&D expense), when the release never
    names what is counted."""
    from bot.understand import settings

    if q.best is None or q.operation is not None:
        return False
    cfg = settings()
    m = re.search(rf"\b{cfg['counted_ask']}\b(.*)", q.text, re.I)
    after = tokens(expand(m.group(1))) if m else []
    if not after or set(after) & set(cfg["counted_not"]):
        return False
    noun = next((w for w in after if w not in tokens(q.best.row.row[-1])), after[0])
    counted_named = noun in ctx.vocabulary
    return not counted_named and all(f.unit == "USD" for f in q.best.row.facts)


def _conflicting(said: list[str], label: set[str]) -> list[str]:
    from bot.understand import settings

    out = []
    for pair in settings()["contrasts"]:
        for word, other in (pair, pair[::-1]):
            if word in said and other not in said and other in label and word not in label:
                out.append(word)
    return out


def asks_both_bases(question: str) -> bool:
    """'GAAP vs non-GAAP': one measure asked on both bases."""
    from bot.intent import BOTH_BASES_RE

    return bool(BOTH_BASES_RE.search(question))


def one_basis_only(row: MetricRow) -> str:
    """Said beside a figure asked on both bases when the release restates it on no other."""
    return f"The release gives no non-GAAP {lower_first(row.name)}; it prints it as reported only."


def reported_currencies(ctx: Context) -> set[str]:
    return {"USD"} if any(f.unit in {"USD", "USD per share"} for f in ctx.facts) else set()


def basis_missing(raw: str, q: Query, ctx: Context, row: MetricRow, fact: Fact) -> Answer | None:
    """'non-GAAP R&D' where the release prints R&D on a GAAP basis only: say so, and name the
    measures it does restate on a non-GAAP basis."""
    if q.basis != "non-GAAP" or fact.basis == "non-GAAP":
        return None
    restated = sorted(
        {r.name.removeprefix("Non-GAAP ").lower() for r in ctx.index.rows if r.basis == "non-GAAP"}
    )
    holds = (
        f" Its non-GAAP figures are for: {', '.join(restated)}."
        if restated
        else " It gives no non-GAAP figures."
    )
    return not_found(
        raw,
        f"The release gives no non-GAAP {lower_first(row.name)}; it prints "
        f"{lower_first(row.name)} as reported only ({fact.display()} in "
        f"{fact.period.label}, {fact.table}, line {fact.line}).{holds}",
        q,
    )
