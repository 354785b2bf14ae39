"""Answerability: what the release cannot answer, said plainly with what it does hold.

A currency it does not report in, a period no calendar has ('Q9'), a basis it does not print a
measure on: each is refused by name, never answered with the nearest figure.
"""

from __future__ import annotations

import re

from bot.answer import Answer, cite, value_of
from bot.context import Context
from bot.metrics import MetricRow, expand
from bot.phrase import found, not_found
from bot.query import Query
from bot.text import STOPWORDS, lower_first, short_label, similar, tokens
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
    return restated_basis(raw, q, ctx) or unknown_kind(raw, q, ctx) or look_alike(raw, q, ctx)


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


def unknown_kind(raw: str, q: Query, ctx: Context) -> Answer | None:
    """'cloud revenue', 'iPhone sales', 'subscription revenue': a word the release never uses,
    standing right before a word of the line matched, asks for a kind of that line the release
    does not print. Its total is another figure: refused, naming the line it does print."""
    if q.best is None or not q.unknown or q.several or q.concept:
        return None
    name = re.sub(r"\([^)]*\)", " ", q.best.row.row[-1])
    words = [w for w in tokens(name) if w not in STOPWORDS]
    if not words:
        return None
    for word in q.unknown:
        noun = _qualified(q.text, word, words)
        if noun is not None:
            return not_found(
                raw,
                f"The release does not mention '{word}', so it gives no {word} {noun}; the "
                f"nearest line it prints is {q.best.row.name}, which is another figure. "
                + ctx.holds(),
                q,
            )
    return None


def _qualified(text: str, word: str, label: list[str]) -> str | None:
    """The question's word for the line's head noun (its label's last word: 'revenue' of
    'Total revenue') when `word` stands right before it as its qualifier; None when it stands
    elsewhere, or shortens a word of the label ('fin goods')."""
    low = word.lower()
    if any(w.startswith(low) for w in label):
        return None
    m = re.search(rf"(?<![\w-]){re.escape(word)}\s+([A-Za-z][\w&-]*)", text)
    if m is None or m.group(1).lower() in STOPWORDS:
        return None
    after = tokens(expand(m.group(1)))
    head = tokens(expand(label[-1]))
    return m.group(1) if after and head and similar(after[0], head[-1]) else None


def look_alike(raw: str, q: Query, ctx: Context) -> Answer | None:
    """A question naming a line the release does not print, matched to a neighbour of the
    opposite name ('interest expense' to 'Interest income', 'long-term debt' to 'Long-term
    investments'): refused, naming what is printed."""
    if q.best is None or q.several or q.concept:
        return None
    label = set(tokens(q.best.row.row[-1]))
    said = tokens(expand(q.text))
    if _counts_money(q, ctx):
        stated = stated_count(raw, q)
        if stated is not None:
            return stated
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
    names what is counted, or when the line's own label names it ('... outstanding shares')."""
    from bot.understand import settings

    if q.best is None or q.operation is not None:
        return False
    cfg = settings()
    m = re.search(rf"\b{cfg['counted_ask']}\b(.*)", q.text, re.I)
    after = tokens(expand(m.group(1))) if m else []
    if not after or set(after) & set(cfg["counted_not"]):
        return False
    noun = after[0]
    named_by_line = any(similar(noun, w) for w in tokens(q.best.row.row[-1]))
    counted_named = noun in ctx.vocabulary and not named_by_line
    return not counted_named and all(f.unit == "USD" for f in q.best.row.facts)


def stated_count(raw: str, q: Query) -> Answer | None:
    """'How many shares were outstanding at the end of 2012?' matched to the common stock line,
    an amount whose label states the share count at each balance date: that count, cited."""
    from bot.derived import stated_in_label

    if q.best is None or len(q.periods) != 1 or "shares" not in tokens(q.text):
        return None
    row = q.best.row
    fact = stated_in_label(row, q.periods[0], "shares")
    if fact is None or fact.period is None:
        return None
    text = (
        f"The label of the release's {short_label(row.name)} line states {fact.display()} as "
        f"of {fact.period.label} ({row.table}, line {fact.line})."
    )
    return found(raw, text, [cite(fact)], [value_of(fact, "shares")], q)


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
