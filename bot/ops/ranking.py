"""Which line under a heading is largest or smallest ('which operating expense was largest in
2012?', 'the biggest component of opex in Q4 2012'): the lines the release prints under the
heading the question names, compared for one period, each cited. A question asking which
period ('which quarter', 'when') is an extreme over periods (`bot/ops/extreme.py`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.answer import Answer, cite, value_of
from bot.metrics import MetricRow
from bot.ops.extreme import HIGH, LOW, MOMENT, PLAIN_HIGH, PLAIN_LOW
from bot.ops.listing import heading_named, headings, lines_under
from bot.ops.registry import Operation, Request, base, cue_pattern, register
from bot.phrase import ask_label, found, not_found
from bot.query import Query
from bot.resolve import Resolver, facts_for
from bot.text import content_tokens, similar, tokens
from index.facts import Fact
from index.periods import Period, PeriodAsk

LISTED = 8
PERIOD_NOUNS = r"(?:quarters?|years?|periods?|months?|times?|dates?)\b"
# 'which operating expense', 'what line item': a line asked for, not a period.
WHICH_LINE_RE = re.compile(
    rf"\b(?:which|what)\s+(?!{PERIOD_NOUNS}|(?:was|is|were|are|did|does|do|had|has)\b)[a-z]",
    re.I,
)
WHICH_KIND_RE = re.compile(
    r"\b(?:which|what)\s+((?:[a-z&-]+\s+){0,3}?[a-z&-]+)\s+"
    r"(?:was|were|is|are|had|has|have|did|does|do|made|brought|earned|generated|saw|showed)\b",
    re.I,
)
WHEN_RE = re.compile(rf"\bwhen\b|\b(?:which|what|in what)\s+{PERIOD_NOUNS}", re.I)
# 'the largest component of', 'the biggest expense', 'the smallest line item'.
LINE_NOUN_RE = re.compile(
    r"\b(?:components?|items?|lines?|expenses?|costs?|categor(?:y|ies)|parts?|drivers?)\b", re.I
)


def _asks(words: tuple[str, ...]) -> Callable[[Query, str], bool]:
    def asks(q: Query, op_text: str) -> bool:
        text = q.text
        cue = cue_pattern(words).search(text)
        if cue is None or WHEN_RE.search(text) or cue_pattern(MOMENT).search(text):
            return False
        if re.search(r"\d\s*$|\b(?:ten|five|three|two)\s*$", text[: cue.start()]):
            return False
        if _in_label(q, text[cue.end() :]):
            return False
        return bool(WHICH_LINE_RE.search(text) or LINE_NOUN_RE.search(text))

    return asks


def _in_label(q: Query, after: str) -> bool:
    """The measure's label holds an extreme word and the word after the question's ('the single
    biggest customer' is the line 'Largest customer %'): a line named, no lines compared."""
    following = tokens(after)[:1]
    if q.best is None or not following:
        return False
    label = " ".join(q.best.row.row)
    extreme_named = cue_pattern(HIGH + LOW).search(label)
    return bool(extreme_named) and any(similar(following[0], w) for w in tokens(label))


def _answer(which: str) -> Callable[[Request], Answer | None]:
    def answer(req: Request) -> Answer | None:
        q = req.query
        heading = _heading(_without(q.text), req.resolver)
        if not heading:
            return not_found(req.raw, _no_heading(req.resolver, _kinds_asked(q.text)), q)
        rows = [r for r in lines_under(heading, req.resolver) if r.unit not in {"percent"}]
        ask = q.periods[0] if q.periods else None
        picked = _figures(rows, ask)
        if len(picked) < 2:
            when = ask_label(ask) if ask is not None else "any one period"
            return not_found(
                req.raw,
                f"The release does not print the lines under {heading[-1]} for {when} "
                "side by side, so I can't say which is "
                f"{'largest' if which == 'highest' else 'smallest'}.",
                q,
            )
        return _said(req.raw, q, heading, picked, which, ask is None)

    return answer


def _heading(text: str, resolver: Resolver) -> tuple[str, ...] | None:
    """The heading the question names; else the one heading ending in the question's line noun
    ('the largest expense': the lines under 'Operating expenses'), else the one holding it.
    'Which region ...' needs a heading or lines that say region: a heading of other lines
    ('Net sales', by product) is no answer to it."""
    kinds = _kinds_asked(text)
    if kinds:
        return _heading_of_kind(text, kinds, resolver)
    return heading_named(text, resolver) or _heading_by_noun(text, resolver)


def _heading_of_kind(text: str, kinds: list[str], resolver: Resolver) -> tuple[str, ...] | None:
    """Among the headings saying the kind asked, the one using most of the question's words;
    none when two tie."""
    asked = content_tokens(text)
    scored = sorted(
        (
            (sum(any(similar(a, w) for w in tokens(" ".join(h))) for a in asked), h)
            for h in headings(resolver)
            if _says(h, kinds, resolver)
        ),
        reverse=True,
    )
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]


def _heading_by_noun(text: str, resolver: Resolver) -> tuple[str, ...] | None:
    nouns = [m.group(0).lower() for m in LINE_NOUN_RE.finditer(text)]
    headed = [h for h in headings(resolver) if tokens(h[-1])]
    for words in (lambda h: tokens(h[-1])[-1:], lambda h: tokens(" ".join(h))):
        holding = [h for h in headed if any(similar(n, w) for n in nouns for w in words(h))]
        if len({h[-1].lower() for h in holding}) == 1:
            return min(holding, key=len)
    return None


def _kinds_asked(text: str) -> list[str]:
    """The words naming the kind of line asked, between 'which' and its verb ('which product
    category had', 'which region'); none when they could name any line ('which item')."""
    m = WHICH_KIND_RE.search(text)
    if m is None:
        return []
    words = [w for w in tokens(m.group(1)) if w not in {"of", "the", "one", "ones"}]
    return [] if all(LINE_NOUN_RE.fullmatch(w) for w in words) else words


def _says(heading: tuple[str, ...], kinds: list[str], resolver: Resolver) -> bool:
    """The heading, or a line under it, uses one of the kind words."""
    words = tokens(" ".join(heading)) + [
        w for r in lines_under(heading, resolver) for w in tokens(r.row[-1])
    ]
    return any(similar(k, w) for k in kinds for w in words)


def _no_heading(resolver: Resolver, kinds: list[str]) -> str:
    names = list(dict.fromkeys(h[-1] for h in headings(resolver)))
    listed = ", ".join(names[:LISTED]) + (", ..." if len(names) > LISTED else "")
    missing = (
        f"no heading or line of the release says {' '.join(kinds)!r}"
        if kinds
        else "the release prints no heading named like that"
    )
    return f"I can't tell which lines to compare: {missing}. It groups lines under {listed}."


def _without(text: str) -> str:
    """The question without its extreme words, which would otherwise count as heading words."""
    return cue_pattern(HIGH + LOW).sub(" ", text)


def _figures(rows: list[MetricRow], ask: PeriodAsk | None) -> list[tuple[MetricRow, Fact]]:
    """Each line's one figure for the period asked (the latest period every line prints when
    none is asked), in one unit."""
    if ask is None:
        latest = _latest_common(rows)
        if latest is None:
            return []
        picked = [(r, next(f for f in r.facts if f.period == latest)) for r in rows]
    else:
        picked = [(r, fs[0]) for r in rows if len(fs := facts_for(r, ask, strict=True)) == 1]
    units = {f.unit for _, f in picked}
    return picked if len(units) == 1 else []


def _latest_common(rows: list[MetricRow]) -> Period | None:
    """The latest period every line prints, a year before a quarter of it."""
    common = set.intersection(*[{f.period for f in r.facts} for r in rows]) if rows else set()
    dated = [p for p in common if p is not None]
    if not dated:
        return None
    return max(dated, key=lambda p: (p.kind == "year", p.fiscal_year, p.quarter or 0))


def _said(
    raw: str,
    q: Query,
    heading: tuple[str, ...],
    picked: list[tuple[MetricRow, Fact]],
    which: str,
    assumed: bool,
) -> Answer:
    pick = max if which == "highest" else min
    top_row, top = pick(picked, key=lambda rf: base(rf[1]))
    others = "; ".join(f"{r.name} {f.display()}" for r, f in picked if r is not top_row)
    word = "largest" if which == "highest" else "smallest"
    note = " (no period given, so I took the latest the release prints for all of them)"
    text = (
        f"{top_row.name} was the {word} of the lines under {heading[-1]} in "
        f"{top.period.label}{note if assumed else ''}, at {top.display()} (the others: {others}; "
        f"{top_row.table}, lines {min(f.line for _, f in picked)}-{max(f.line for _, f in picked)})."
    )
    cites = [cite(f) for _, f in picked]
    return found(raw, text, cites, [value_of(top, top_row.name)], q)


register(
    Operation(
        "largest line",
        cues=PLAIN_HIGH,
        asks=_asks(PLAIN_HIGH),
        answer=_answer("highest"),
        rank=48,
        table_first=True,
    )
)
register(
    Operation(
        "smallest line",
        cues=PLAIN_LOW,
        asks=_asks(PLAIN_LOW),
        answer=_answer("lowest"),
        rank=48,
        table_first=True,
    )
)
