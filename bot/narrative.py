"""Answers from the release's prose: the sentence that answers, quoted with its lines.

Retrieval ranks passages; a sentence is only quoted when it shares the question's key words,
so a question the release does not speak to gets "not in the release", not the nearest text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.text import content_tokens, similar, tokens
from index.chunks import sentences

ABBREVIATIONS = {
    "ceo": "chief executive officer",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cto": "chief technology officer",
    "ir": "investor relations",
    "hq": "headquarters",
}
DATELINE_RE = re.compile(r"^(?P<city>[A-Z][A-Z .'-]+),\s+(?P<region>[A-Z][A-Za-z.]+)\s+--")
TICKER_RE = re.compile(r"\((?P<exchange>NASDAQ|NYSE|AMEX|Nasdaq|NYSE American|TSX|LSE):\s*(?P<ticker>[A-Z.]+)\)")
DATE_IN_DATELINE_RE = re.compile(r"--\s*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})\s*--")
WHERE_BASED_RE = re.compile(
    r"\bheadquarter(?:s|ed)?\b|\bbased\b|\blocated\b|\bhq\b|\bwhere is (?:the company|\w+)\b\??$", re.I
)
TICKER_ASK_RE = re.compile(r"\bticker\b|\bexchange\b|\bsymbol\b|\btraded?\b|\blisted\b", re.I)
DATE_ASK_RE = re.compile(
    r"\bwhen was (?:this|the) (?:press )?release\b|\brelease date\b|\b(?:issued|published|dated)\b", re.I
)
GENERIC = frozenset(
    "say said says think feel describe explain tell company release press according management".split()
)


@dataclass(frozen=True)
class Quote:
    sentence: str
    chunk: Any
    score: float


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


def key_terms(question: str, company: str) -> list[str]:
    skip = set(tokens(company)) | GENERIC
    return [t for t in content_tokens(question) if len(t) > 2 and t not in skip]


def best_quote(question: str, hits: list[Any], company: str, strict: bool = False) -> Quote | None:
    """The sentence of the retrieved passages that best answers, or None when none does."""
    required = [full for abbr, full in ABBREVIATIONS.items() if re.search(rf"\b{abbr}\b", question, re.I)]
    expanded = question
    for abbr, full in ABBREVIATIONS.items():
        expanded = re.sub(rf"\b{abbr}\b", full, expanded, flags=re.I)
    terms = key_terms(expanded, company)
    best: Quote | None = None
    best_overlap = 0.0
    for rank, hit in enumerate(hits):
        for s in sentences(hit.chunk.text):
            low = s.lower()
            if required and not all(r in low for r in required):
                continue
            words = set(tokens(s))
            overlap = sum(1 for t in terms if any(similar(t, w) for w in words))
            frac = overlap / len(terms) if terms else 0.0
            score = hit.score + 0.5 * frac - 0.01 * rank
            if best is None or score > best.score:
                best, best_overlap = Quote(s, hit.chunk, score), frac
    if best is None:
        return None
    if strict:
        return best if best_overlap >= 0.5 else None
    if best_overlap < 0.34 and best.score - 0.5 * best_overlap < 0.45:
        return None
    return best
