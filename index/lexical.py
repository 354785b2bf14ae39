"""A small lexical ranker over passage chunks: what prose questions use when Chroma is out of
reach. The passage text comes from the facts store (each release keeps its text), so the
fallback needs neither the server nor the embedding model.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from index.chunks import Chunk
from index.vector_store import Hit

K1 = 1.2
B = 0.75
WORD_RE = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


@dataclass(frozen=True)
class LexicalIndex:
    """BM25 over the chunks' words; scores scaled to [0, 1] so they read like similarities."""

    chunks: tuple[Chunk, ...]

    def search(self, query: str, k: int = 4) -> list[Hit]:
        terms = set(words(query))
        if k < 1 or not terms or not self.chunks:
            return []
        docs = [Counter(words(c.text)) for c in self.chunks]
        avg = sum(sum(d.values()) for d in docs) / len(docs) or 1.0
        n = len(docs)
        df = {t: sum(t in d for d in docs) for t in terms}
        scores = [_bm25(d, terms, df, n, avg) for d in docs]
        top = max(scores) or 1.0
        ranked = sorted(range(n), key=lambda i: -scores[i])[:k]
        return [Hit(self.chunks[i], scores[i] / top) for i in ranked if scores[i] > 0]


def _bm25(doc: Counter[str], terms: set[str], df: dict[str, int], n: int, avg: float) -> float:
    length = sum(doc.values())
    score = 0.0
    for t in terms:
        tf = doc.get(t, 0)
        if tf:
            idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg))
    return score


def lexical_index(chunks: Sequence[Chunk]) -> LexicalIndex:
    return LexicalIndex(tuple(chunks))
