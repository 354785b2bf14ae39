"""Answers from the release's prose: the sentence that answers, quoted with its lines.

Retrieval ranks passages; a sentence is only quoted when it shares the question's key words,
so a question the release does not speak to gets "not in the release", not the nearest text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import cache, cached_property
from typing import Any

from bot.intent import ABBREVIATIONS, REASON_ASK_RE
from bot.text import content_tokens, similar, stem, tokens
from index.chunks import sentences

DATELINE_RE = re.compile(r"^(?P<city>[A-Z][A-Z .'-]+),\s+(?P<region>[A-Z][A-Za-z.]+)\s+--")
TICKER_RE = re.compile(
    r"\((?P<exchange>NASDAQ|NYSE|AMEX|Nasdaq|NYSE American|TSX|LSE):\s*(?P<ticker>[A-Z.]+)\)"
)
DATE_IN_DATELINE_RE = re.compile(r"--\s*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})\s*--")
WHERE_BASED_RE = re.compile(
    r"\bheadquarter(?:s|ed)?\b|\bbased\b|\blocated\b|\bhq\b|\bwhere is (?:the company|\w+)\b\??$",
    re.I,
)
TICKER_ASK_RE = re.compile(
    r"\bticker\b|\bstock exchange\b|\bexchange\b.*\btrade|\bsymbol\b|\btraded on\b|\blisted on\b",
    re.I,
)
DATE_ASK_RE = re.compile(
    r"\bwhen was (?:this|the) (?:press )?release\b|\brelease date\b|\b(?:issued|published|dated)\b",
    re.I,
)
MONTH_WORDS = frozenset(
    "january february march april may june july august september october november december"
    " quarter quarters quarterly year years fiscal".split()
)
GENERIC = frozenset(
    [
        "say",
        "said",
        "says",
        "think",
        "feel",
        "describe",
        "explain",
        "tell",
        "company",
        "release",
        "press",
        "according",
        "management",
        "definition",
        "meaning",
        "information",
    ]
)


@dataclass(frozen=True)
class Quote:
    sentence: str
    chunk: Any
    score: float
    overlap: float = 1.0


def dateline_answer(question: str, hits: list[Any]) -> Quote | None:
    """Press-release conventions: the dateline names the home city, the ticker and the date."""
    for hit in hits:
        text = hit.chunk.text
        first = sentences(text)[0] if text else ""
        if WHERE_BASED_RE.search(question) and DATELINE_RE.match(text):
            return Quote(first, hit.chunk, 1.0)
        if TICKER_ASK_RE.search(question) and TICKER_RE.search(text):
            return Quote(first, hit.chunk, 1.0)
        if DATE_ASK_RE.search(question) and DATE_IN_DATELINE_RE.search(text):
            return Quote(first, hit.chunk, 1.0)
    return None


SELL_WORDS = {
    "sell": "provides products systems",
    "sells": "provides products systems",
    "make": "provides",
    "makes": "provides",
    "offer": "provides",
    "offers": "provides",
    "do": "provides",
    "does": "provides",
}
# 'do' and 'does' ask what a company sells only as the question's verb ('What does Acme do?'),
# never as the auxiliary opening it ('What does the table show?').
AUXILIARIES = frozenset({"do", "does"})
CAUSE_RE = re.compile(
    r"(?:\b(?:primarily|mainly|largely|partly|partially|principally|mostly)\s+)?"
    r"(?:\bdue to\b|\bdriven by\b|\bas a result of\b|\bbecause\b|\battributable to\b"
    r"|\bresult(?:ed|ing)? from\b|\bowing to\b|\breflect(?:s|ed|ing)\b|\bthanks to\b"
    r"|\bbenefit(?:t?ing|t?ed) from\b)",
    re.I,
)
SHAPES = [
    (REASON_ASK_RE, CAUSE_RE),
    (
        re.compile(r"\bphone\b|\bnumber\b|\bdial\b|\bcall\b.*\bnumber\b", re.I),
        re.compile(r"\d{3}-\d{3}-\d{4}"),
    ),
    (
        re.compile(r"\bwhat time\b|\bwhen is\b|\bat what time\b", re.I),
        re.compile(r"\d{1,2}:\d{2}\s*[ap]\.m\.", re.I),
    ),
    (
        re.compile(r"\bhow many\b|\bhow much\b|\bhow long\b", re.I),
        re.compile(r"\b\d+\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I),
    ),
    (
        re.compile(r"\b(?:what|which) date\b|\bwhen did\b|\bwhen was\b", re.I),
        re.compile(r"\b[A-Z][a-z]+\.? \d{1,2}, \d{4}\b"),
    ),
    (re.compile(r"\bwho\b", re.I), re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")),
    (
        re.compile(
            r"^\s*how (?:is|are|was|were|does|do|did|should)\b(?!.*\b(?:much|many)\b)", re.I
        ),
        re.compile(
            r"\b(?:using|by (?:\w+ing|comparison|reference)|based (?:on|upon)|in accordance with)\b",
            re.I,
        ),
    ),
    (
        re.compile(
            r"^\s*what (?:is|was|were|are) the (?:[\w'’-]+ ){0,3}?(?:amount|value|price|percentage"
            r"|proportion|balance|cost)\b|^\s*what percentage\b",
            re.I,
        ),
        re.compile(
            r"[$€£¥]\s?\d|\d\s?%|\d\s?(?:million|billion|thousand|per cent|percent)\b", re.I
        ),
    ),
    (
        re.compile(r"\bwhere\b.*\b(?:webcast|website|find|listen|found)\b", re.I),
        re.compile(r"www\.|\bsection\b|https?://", re.I),
    ),
]


DEFINE_ASK_RE = re.compile(
    r"^\s*(?:according to [^,]+,\s*)?(?:(?:what|who) (?:is|are) (?:an? |the )?"
    r"|what is the (?:definition|meaning) of (?:the )?(?:term )?)(?P<term>[^?,]{2,60}?)\s*\??\s*$",
    re.I,
)
DEFINE_VERB_ASK_RE = re.compile(
    r"^\s*what (?:does|do|did) (?:the )?(?P<term>[^?]{2,60}?) (?:represent|mean|refer to|include"
    r"|consist of|comprise(?: of)?)\s*\??\s*$",
    re.I,
)
DEFINE_HOW_RE = re.compile(r"^\s*how (?:does|do|did|is|are) .*\bdefined?\b", re.I)
YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
OTHER_YEAR_PENALTY = 0.1
MONTH_RE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b"
)
UP_RE = re.compile(
    r"\b(?:increas\w*|rose|rise[sn]?|rising|grew|grow(?:s|n|th|ing)?|higher|improv\w*)\b", re.I
)
DOWN_RE = re.compile(
    r"\b(?:decreas\w*|declin\w*|fell|fall(?:s|en|ing)?|lower|drop\w*|reduc\w*|shr[aiu]nk\w*)\b",
    re.I,
)
DEFINING_VERBS = (
    r"(?:is|are|represents?|refers? to|means|presents|comprises?|consists? of|includes?)"
)


@dataclass(frozen=True)
class Candidate:
    """A sentence (or a run of short lines, such as a contact block) that could be quoted."""

    text: str
    chunk: Any

    @cached_property
    def words(self) -> frozenset[str]:
        return frozenset(tokens(self.text))

    @cached_property
    def stems(self) -> frozenset[str]:
        return frozenset(stem(w) for w in tokens(self.text))


def candidates(chunks: list[Any]) -> list[Candidate]:
    """Every sentence of every chunk, plus short consecutive paragraphs of a section joined."""
    out = [Candidate(s, c) for c in chunks for s in sentences(c.text)]
    run: list[Any] = []

    def flush() -> None:
        if len(run) > 1:
            joined = " ".join(c.text for c in run)
            first, last = run[0], run[-1]
            merged = type(first)(
                **{
                    **first.__dict__,
                    "text": joined,
                    "last_line": last.last_line,
                    "id": f"{first.id}+",
                }
            )
            out.append(Candidate(joined, merged))

    for c in chunks:
        if (
            len(c.text) <= 160
            and run
            and run[-1].section == c.section
            and c.first_line - run[-1].last_line <= 3
        ):
            run.append(c)
            continue
        flush()
        run = [c] if len(c.text) <= 160 else []
    flush()
    return out


def key_terms(question: str, company: str) -> list[str]:
    skip = set(tokens(company)) | GENERIC
    return [
        t
        for t in content_tokens(question)
        if len(t) > 2 and t not in skip and not t.isdigit() and t not in MONTH_WORDS
    ]


def rank(
    question: str, cands: list[Candidate], semantic: dict[str, float], company: str
) -> Quote | None:
    """Lexical overlap with the question's key words, the passage's retrieval score, and the
    shape of answer the question asks for (a phone number, a time, a date, a name)."""
    required = [
        full for abbr, full in ABBREVIATIONS.items() if re.search(rf"\b{abbr}\b", question, re.I)
    ]
    terms = key_terms(_spelled_out(question), company)
    shapes = [shape for ask, shape in SHAPES if ask.search(question)] + _defining(question)
    weights = _rarity(terms, cands)
    near = _near(terms, cands)
    years = set(YEAR_RE.findall(question))
    months = set(MONTH_RE.findall(question))
    way = _direction(question)
    scored = [
        _opposed(
            _other_direction(
                _other_months(
                    _other_years(_scored(cand, terms, shapes, semantic, weights, near), years),
                    months,
                ),
                way,
            ),
            question,
        )
        for cand in cands
        if not required or all(r in cand.text.lower() for r in required)
    ]
    best = max(scored, key=lambda q: q.score, default=None)
    if best is None or (best.overlap < 0.34 and best.score < 0.4):
        return None
    return best


def _other_years(quote: Quote, years: set[str]) -> Quote:
    """A sentence about other years than the one asked ('In 2018 ...' for a question about
    2019) scores less: it answers the same question of another period."""
    said = set(YEAR_RE.findall(quote.sentence))
    if years and said and not years & said:
        return replace(quote, score=quote.score - OTHER_YEAR_PENALTY)
    return quote


@cache
def prose_knowledge() -> dict[str, Any]:
    """How a release speaks, from bot/knowledge/prose.yaml."""
    from bot.knowledge_files import KNOWLEDGE, load_knowledge

    return load_knowledge(KNOWLEDGE / "prose.yaml")


def _opposed(quote: Quote, question: str) -> Quote:
    """A sentence about the opposite of what is asked ('For domestic plans, ...' for a question
    about international plans) scores less, unless it speaks of both."""
    asked = set(tokens(question))
    said = set(tokens(quote.sentence))
    for pair in prose_knowledge()["opposites"]:
        a, b = (frozenset(tokens(w)) for w in pair)
        for mine, other in ((a, b), (b, a)):
            if mine <= asked and not other <= asked and other <= said and not mine <= said:
                return replace(quote, score=quote.score - OTHER_YEAR_PENALTY)
    return quote


def _other_months(quote: Quote, months: set[str]) -> Quote:
    """A sentence dated in other months than the one asked ('In April 2019, we granted ...'
    for a question about December 2019) scores less: it tells of another event."""
    said = set(MONTH_RE.findall(quote.sentence))
    if months and said and not months & said:
        return replace(quote, score=quote.score - OTHER_YEAR_PENALTY)
    return quote


def _direction(text: str) -> str | None:
    """'up' or 'down' when the text moves one way only ('What led to the increase ...')."""
    up, down = bool(UP_RE.search(text)), bool(DOWN_RE.search(text))
    return "up" if up and not down else "down" if down and not up else None


def _other_direction(quote: Quote, way: str | None) -> Quote:
    """A sentence about a fall scores less for a question about a rise, and the other way."""
    said = _direction(quote.sentence)
    if way and said and said != way:
        return replace(quote, score=quote.score - OTHER_YEAR_PENALTY)
    return quote


def _defining(question: str) -> list[re.Pattern[str]]:
    """'What is Deltenna?', 'the definition of X', 'What do X represent?': a sentence defining
    the term, the term followed by a verb that defines ('X represents ...') or by what it is
    ('X, a ...'); 'How does the company define X?': a sentence that defines something as."""
    if DEFINE_HOW_RE.match(question):
        return [re.compile(r"\bdefine[sd]?\b[^.]{0,80}?\bas\b", re.I)]
    m = DEFINE_ASK_RE.match(question) or DEFINE_VERB_ASK_RE.match(question)
    if not m:
        return []
    term = re.escape(m["term"].strip(" \"'“”‘’")).replace(r"\ ", r"[\s-]+")
    return [re.compile(rf"\b{term}(?:['’]s)?(?:,\s+(?:an?|the)\s|\s+{DEFINING_VERBS}\b)", re.I)]


def _spelled_out(question: str) -> str:
    """The question with abbreviations spelled out and what 'sell' means in a release."""
    expanded = re.sub(r"\bU\.?S\.?(?=\W|$)", "United States", question)
    for abbr, full in ABBREVIATIONS.items():
        expanded = re.sub(rf"\b{abbr}\b", full, expanded, flags=re.I)
    for word, extra in SELL_WORDS.items():
        opening = "" if word in AUXILIARIES else rf"^what {word}\b|"
        if re.search(rf"{opening}\b{word}\?$|\bwhat does \w+ {word}\b", question, re.I):
            expanded += " " + extra
    return expanded


def _rarity(terms: list[str], cands: list[Candidate]) -> dict[str, float]:
    """How much each key word tells sentences apart: a word most sentences use counts less."""
    texts = [c.stems for c in cands]
    n = len(texts) or 1
    out = {}
    for t in set(terms):
        st = stem(t)
        df = sum(1 for words in texts if st in words)
        out[t] = math.log(1 + n / (1 + df))
    return out


def _near(terms: list[str], cands: list[Candidate]) -> dict[str, frozenset[str]]:
    """The candidates' words each key word is taken for, found once per question rather than
    per sentence (a word is only ever `similar` to one with its first letter)."""
    vocabulary = frozenset().union(*(c.words for c in cands))
    return {
        t: frozenset(w for w in vocabulary if w[:1] == t[:1] and similar(t, w)) for t in set(terms)
    }


def _scored(
    cand: Candidate,
    terms: list[str],
    shapes: list[re.Pattern[str]],
    semantic: dict[str, float],
    weights: dict[str, float] | None = None,
    near: dict[str, frozenset[str]] | None = None,
) -> Quote:
    words = cand.words
    if near is None:
        near = _near(terms, [cand])
    hit = [t for t in terms if not words.isdisjoint(near[t])]
    frac = len(hit) / len(terms) if terms else 0.0
    if weights:
        total = sum(weights[t] for t in terms)
        frac = max(frac, sum(weights[t] for t in hit) / total if total else 0.0)
    shape = 0.15 if shapes and any(sh.search(cand.text) for sh in shapes) else 0.0
    sem = semantic.get(cand.chunk.id.rstrip("+"), 0.2)
    score = 0.6 * frac + 0.4 * sem + shape - 0.0003 * len(cand.text)
    return Quote(cand.text, cand.chunk, score, frac)
