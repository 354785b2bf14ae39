"""Turn narrative passages into retrieval chunks that an answer can quote and cite.

A chunk's text is an exact slice of its paragraph (whole sentences where they fit), so a
quote taken from it is verbatim; its line range and section come from the paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from index.segment import Passage

SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[$]?[A-Z0-9])")
CLAUSE_END_RE = re.compile(r"[;:](?=\s)")
PHRASE_END_RE = re.compile(r",(?=\s)")
WORD_END_RE = re.compile(r"\S(?=\s)")
ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "inc", "corp", "co", "ltd", "llc", "no", "nos", "vs"}
    | {"etc", "approx", "est", "dept", "fig", "st", "ave", "a.m", "p.m", "e.g", "i.e", "u.s"}
    | {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
)
WORD_BEFORE_RE = re.compile(r"([\w.]+)\.$")


@dataclass(frozen=True)
class Chunk:
    """A window of one narrative paragraph, as stored in and returned from the vector store."""

    id: str
    release: str
    text: str
    first_line: int
    last_line: int
    section: str
    kind: str


def chunk_passages(passages: Iterable[Passage], release: str, max_chars: int = 700) -> list[Chunk]:
    """Every paragraph and footnote as one or more chunks of at most `max_chars` characters.

    Headings become the `section` of the passages under them, not chunks of their own.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be positive, not {max_chars}")
    chunks: list[Chunk] = []
    for passage in passages:
        if passage.kind == "heading":
            continue
        for window, (start, end) in enumerate(windows(passage.text, max_chars)):
            chunks.append(
                Chunk(
                    id=chunk_id(release, passage.first_line, passage.last_line, window),
                    release=release,
                    text=passage.text[start:end],
                    first_line=passage.first_line,
                    last_line=passage.last_line,
                    section=passage.section,
                    kind=passage.kind,
                )
            )
    return chunks


def chunk_id(release: str, first_line: int, last_line: int, window: int) -> str:
    """Stable across re-ingests of the same file, so replacing a release is idempotent."""
    return f"{release}:{first_line}-{last_line}:{window}"


def windows(text: str, max_chars: int) -> list[tuple[int, int]]:
    """[start, end) spans of `text`, each at most `max_chars` long, cut at sentence ends.

    A sentence longer than `max_chars` is cut at clauses, then commas, then words.
    """
    spans = _pieces(text, 0, len(text), max_chars, 0)
    return _pack(text, spans, max_chars)


_CUTS = (SENTENCE_END_RE, CLAUSE_END_RE, PHRASE_END_RE, WORD_END_RE)


def _pieces(text: str, start: int, end: int, max_chars: int, level: int) -> list[tuple[int, int]]:
    """Split text[start:end] at the `level` cut, recursing into pieces still too long."""
    start, end = _strip(text, start, end)
    if start >= end:
        return []
    if level == len(_CUTS):
        return [(i, min(i + max_chars, end)) for i in range(start, end, max_chars)]
    spans: list[tuple[int, int]] = []
    piece_start = start
    for m in _CUTS[level].finditer(text, start, end):
        if level == 0 and _is_abbreviation(text, m.start()):
            continue
        spans.append((piece_start, m.end()))
        piece_start = m.end()
    spans.append((piece_start, end))
    pieces: list[tuple[int, int]] = []
    for a, b in spans:
        a, b = _strip(text, a, b)
        if b - a > max_chars:
            pieces.extend(_pieces(text, a, b, max_chars, level + 1))
        elif a < b:
            pieces.append((a, b))
    return pieces


def _pack(text: str, pieces: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Join neighbouring pieces greedily while the joined slice still fits."""
    packed: list[tuple[int, int]] = []
    for a, b in pieces:
        if packed and b - packed[-1][0] <= max_chars:
            packed[-1] = (packed[-1][0], b)
        else:
            packed.append((a, b))
    return packed


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at `dot` closes "Mr.", "p.m.", "U.S." or an initial."""
    if text[dot] != ".":
        return False
    m = WORD_BEFORE_RE.search(text, max(0, dot - 12), dot + 1)
    if not m:
        return False
    word = m.group(1).lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentences(text: str) -> list[str]:
    """The sentences of a passage, not cut at "p.m.", "Mr." or "U.S."."""
    out, start = [], 0
    for m in SENTENCE_END_RE.finditer(text):
        if _is_abbreviation(text, m.start()):
            continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]
