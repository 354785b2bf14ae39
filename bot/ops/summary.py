"""Summaries: a period at a glance (revenue, margin, operating and net result, EPS on both
bases, cash), or a part of the release a question names (the balance sheet, cash flows,
operating expenses ...), each line against the prior quarter and the prior year, all cited.

What each summary holds is data: `summaries` in bot/knowledge/vocabulary.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer import Answer, cite, value_of
from bot.metrics import MetricRow
from bot.ops.registry import Operation, Request, base, direction, register
from bot.phrase import found, not_found
from bot.query import Query
from bot.resolve import Resolver, facts_for
from bot.text import content_tokens
from index.facts import Fact
from index.periods import Period, PeriodAsk

CUES = (
    "summar(?:y|ise|ize)",
    "overview",
    "recap",
    "highlights",
    "headline (?:numbers|figures|results)",
    "at a glance",
    "how did (?:the )?(?:company|quarter|year) (?:do|go)",
)
QUARTER_ONLY_RE = re.compile(
    r"\b(?:prior|previous|last|preceding) quarter\b|\bsequential(?:ly)?\b|\bqoq\b", re.I
)
YEAR_ONLY_RE = re.compile(
    r"\b(?:prior|previous|last|same quarter (?:of )?(?:the )?(?:prior|previous|last)) year\b"
    r"|\byear[- ]over[- ]year\b|\byoy\b|\ba year (?:earlier|before|ago)\b",
    re.I,
)
MIN_SCORE = 0.5
# A summary's lines are named as statements print them: rows further from the name than this
# are other lines ('cash' is not 'net change in cash').
NAME_WINDOW = 0.04


@dataclass(frozen=True)
class Section:
    """What one kind of summary holds: its name, the words asking for it, its lines."""

    name: str
    words: tuple[str, ...]
    lines: tuple[tuple[str, str, str | None], ...]


def sections() -> list[Section]:
    from bot.understand import settings

    return [
        Section(name, tuple(s.get("words") or ()), tuple(tuple(line) for line in s["lines"]))
        for name, s in settings()["summaries"].items()
    ]


def section_of(text: str) -> Section:
    """The section a question names ('summarize the balance sheet'), by its longest phrase;
    a period's results when it names none."""
    low = " " + " ".join(content_tokens(text.replace("-", " "))) + " "
    best: tuple[int, Section | None] = (0, None)
    for section in sections():
        for word in section.words:
            plain = " ".join(content_tokens(word.replace("-", " ")))
            if plain and f" {plain} " in low and len(plain) > best[0]:
                best = (len(plain), section)
    return best[1] or sections()[0]


def subject_left(text: str, section: Section, company: str) -> str:
    """The words of a summary request that name neither a period nor the section asked: empty
    for 'summarise Q4 2012' or 'summarize the balance sheet at December 29, 2012'."""
    from bot.understand import _period_word, settings

    plain = {str(w) for w in settings()["summary_words"]} | set(content_tokens(company))
    plain |= {t for w in section.words for t in content_tokens(w.replace("-", " "))}
    left = [
        w
        for w in content_tokens(text.replace("-", " "))
        if w not in plain
        and not _period_word(w)
        and not re.fullmatch(r"\d{1,4}s?|'s", w)
        and w.rstrip("'s") not in plain
    ]
    return " ".join(left)


def answer(req: Request) -> Answer:
    q, ctx = req.query, req.ctx
    section = section_of(q.text)
    subject = subject_left(q.text, section, ctx.company)
    if subject:
        named = ", ".join(s.name for s in sections()[1:])
        return not_found(
            req.raw,
            f"I can summarise a period as a whole (revenue, gross margin, operating and net "
            f"result, EPS, cash) or its {named}, not a summary of '{subject}'; ask for its "
            "lines by name. " + ctx.holds(),
            q,
        )
    lq = ctx.latest_quarter
    ask = q.periods[0] if q.periods else PeriodAsk("quarter", lq[0], lq[1], assumed_year=True)
    lines, facts = _lines(section, ask, q, req.resolver)
    if not facts:
        return not_found(req.raw, "The release gives no figures for that period. " + ctx.holds(), q)
    when = facts[0].period.label
    title = "at a glance" if section.name == sections()[0].name else section.name
    text = f"{when} {title}: " + "; ".join(lines) + "."
    text += " (" + "; ".join(sorted({f"{f.table}, line {f.line}" for f in facts})) + ")"
    return found(req.raw, text, [cite(f) for f in facts], [value_of(f) for f in facts], q)


def _lines(
    section: Section, ask: PeriodAsk, q: Query, resolver: Resolver
) -> tuple[list[str], list[Fact]]:
    lines: list[str] = []
    facts: list[Fact] = []
    for title, phrase, basis in section.lines:
        matches = resolver.rows(phrase)
        if not matches or matches[0].score < MIN_SCORE:
            continue
        matches = [m for m in matches if m.score >= matches[0].score - NAME_WINDOW]
        fact, row, _ = resolver.resolve(matches, basis, ask)
        if fact is None or row is None or fact.period is None or _narrower(fact, ask):
            continue
        facts.append(fact)
        lines.append(f"{title} {fact.display()}{_against(fact, row, resolver, facts, q.text)}")
    return lines, facts


def _narrower(fact: Fact, ask: PeriodAsk) -> bool:
    """A quarter's figure standing in for a year the summary is of."""
    return ask.kind == "year" and fact.period is not None and fact.period.kind == "quarter"


def comparisons(text: str, p: Period) -> list[tuple[str, Period]]:
    """The periods each line is set against: the prior quarter and the prior year, or only the
    one the question names."""
    quarter = ("prior quarter", _prior_quarter(p))
    year = ("prior year", Period(p.kind, p.fiscal_year - 1, p.quarter))
    if QUARTER_ONLY_RE.search(text) and not YEAR_ONLY_RE.search(text):
        pairs = [quarter]
    elif YEAR_ONLY_RE.search(text) and not QUARTER_ONLY_RE.search(text):
        pairs = [year]
    else:
        pairs = [quarter, year]
    return [(word, other) for word, other in pairs if other is not None]


def _against(fact: Fact, row: MetricRow, resolver: Resolver, used: list[Fact], text: str) -> str:
    out = []
    for word, other in comparisons(text, fact.period):
        pair = _pair(fact, row, resolver, other)
        if pair is None:
            continue
        now, then, table = pair
        used.extend(f for f in (now, then) if f not in used)
        moved = direction(row.name, base(now), base(then))
        shown = f"; {table} gives {now.display()} for {now.period.label}"
        shown = "" if now.display() == fact.display() else shown
        out.append(f"{moved} from {then.display()} ({word}{shown})")
    return f" ({', '.join(out)})" if out else ""


def _pair(
    fact: Fact, row: MetricRow, resolver: Resolver, other: Period
) -> tuple[Fact, Fact, str] | None:
    """The figure of the other period, from the fact's own row when it prints it at the same
    scale, else from a twin row printing both periods (the pair then read from that row)."""
    ask = PeriodAsk(other.kind, other.fiscal_year, other.quarter)
    mine = PeriodAsk(
        fact.period.kind, fact.period.fiscal_year, fact.period.quarter, fact.period.end
    )
    for r in resolver.same_concept([row]):
        then = [f for f in facts_for(r, ask) if f.basis == fact.basis or f.basis is None]
        now = [fact] if r is row else facts_for(r, mine)
        if len(then) == 1 and len(now) == 1 and now[0].scale == then[0].scale:
            return now[0], then[0], r.table
    return None


def _prior_quarter(p: Period) -> Period | None:
    if p.kind != "quarter" or p.quarter is None:
        return None
    if p.quarter == 1:
        return Period("quarter", p.fiscal_year - 1, 4)
    return Period("quarter", p.fiscal_year, p.quarter - 1)


def asks(q: Query, op_text: str) -> bool:
    return bool(OPERATION.cue_re.search(q.text))


OPERATION = register(Operation("summary", cues=CUES, asks=asks, answer=answer, rank=10))
