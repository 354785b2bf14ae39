"""Metric resolution: a phrase in a question becomes the table rows it names.

Rows are matched by their own words (typos and inflections forgiven) after common finance
abbreviations and everyday words are spelled out; embedding similarity over the labels is the
fallback when no row matches lexically.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from bot.catalogue import catalogue
from bot.text import NEUTRAL, STOPWORDS, content_tokens, similar, tokens
from index.facts import Fact

SYNONYMS: dict[str, str] = catalogue().abbreviations
PHRASES: dict[str, str] = catalogue().phrases
RESULT_WORDS = catalogue().result_words
RESULT = "result"
REMEMBERED = 4096  # question phrases and words whose matches an index keeps
GLUE, COMMA = "_", "\ue000"  # a printed name's spaces and commas while a list is split
BASIS_PART_RE = re.compile(r"^(?:u\.?s\.? )?gaap as reported$|^non-gaap as adjusted$", re.I)
# 'Less voyage expenses', 'Add: depreciation': the sign a statement prints before a line is no
# word of its name.
OPERATOR_WORD_RE = re.compile(r"^\s*(?:less|add|plus|deduct)\b\s*:?\s*", re.I)
HEADING_NOISE_RE = re.compile(
    r"^reconciliation of\s+|\s*-\s*(?:u\.?s\.?\s*)?(?:non-)?gaap$|\(\s*\$\s*mil\s*\)|%", re.I
)
QUESTION_NEUTRAL = frozenset(
    {
        "count",
        "number",
        "level",
        "amount",
        "figure",
        "balance",
        "metric",
        "line",
        "item",
        "much",
        "many",
        "basis",
        "gaap",
        "non",
        "adjusted",
        "reported",
        "quarter",
        "year",
        "fiscal",
        "q1",
        "q2",
        "q3",
        "q4",
        "fy",
        "months",
        "ended",
        "end",
        "period",
        "three",
        "twelve",
        "first",
        "second",
        "third",
        "fourth",
        "full",
        "sept",
        "september",
        "december",
        "march",
        "june",
        "change",
        "changed",
        "changes",
        "grow",
        "grew",
        "growth",
        "increase",
        "increased",
        "decrease",
        "decreased",
        "average",
        "percentage",
        "percent",
        "rise",
        "rose",
        "fell",
        "plot",
        "chart",
        "trend",
        "compare",
        "compared",
        "sequential",
        "sequentially",
        "yoy",
        "qoq",
        "quarterly",
        "over",
        "versus",
        "vs",
        "sum",
        "add",
        "up",
        "combined",
        "ratio",
        "proportion",
        "points",
        "what",
        "by",
        "each",
    }
)
STOCK_WORDS = re.compile(
    r"inventory|headcount|dso|materials|process|goods|turns|cash and cash equivalents", re.I
)


@dataclass
class MetricRow:
    """One printed row of one table, with the words that name it and its facts by period."""

    table: str
    table_index: int
    row: tuple[str, ...]
    name: str
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    unit: str
    scale: str
    basis: str | None
    facts: list[Fact] = field(default_factory=list)
    undated: list[Fact] = field(default_factory=list)

    @property
    def is_stock(self) -> bool:
        if any(f.period.kind == "instant" for f in self.facts):
            return True
        return bool(STOCK_WORDS.search(self.name)) and self.unit != "USD per share"

    @property
    def precision(self) -> int:
        return {"units": 0, "thousands": 0, "millions": 1}.get(self.scale, 0)


@dataclass(frozen=True)
class Match:
    row: MetricRow
    score: float
    label_coverage: float
    question_coverage: float


@dataclass(frozen=True)
class Printed:
    """What a release's labels say: their words and their names, so a question's word is only
    rewritten toward words the labels use, never away from a label's own wording."""

    words: frozenset[str]
    names: frozenset[str]

    def rewrites(self, said: str, meant: str) -> bool:
        """Rewrite `said` as `meant` unless a label prints `said` itself and none prints
        `meant`'s words."""
        wanted = canonical(content_tokens(meant))
        if wanted and not any(w in self.words for w in wanted):
            return False
        return not any(_says(n, said) for n in self.names) or all(
            any(_says(n, w) for n in self.names) for w in content_tokens(meant)
        )

    def in_phrase(self, words: list[str], i: int) -> bool:
        """`words[i]` is one of two words a label prints together ('net sales' of 'Total net
        sales'): the question uses the label's own wording, which a synonym would break."""
        pairs = [words[j : j + 2] for j in (i - 1, i) if j >= 0 and j + 2 <= len(words)]
        return any(
            any(_says(n, " ".join(p)) for n in self.names)
            for p in pairs
            if all(w and w not in STOPWORDS for w in p)
        )


def _says(name: str, phrase: str) -> bool:
    return f" {phrase} " in f" {name} "


OUTSIDE_US_RE = re.compile(
    r"\b(?:outside (?:of )?(?:the )?|non-?)(?:U\.?S\.?|United States)(?=\s|$|[,?])", re.I
)


@lru_cache(maxsize=8192)
def whole_words(phrase: str) -> re.Pattern[str]:
    """The phrase as whole words, compiled once."""
    return re.compile(rf"\b{re.escape(phrase)}\b")


def expand(
    question: str, protected: frozenset[str] = frozenset(), printed: Printed | None = None
) -> str:
    """Spell out abbreviations and everyday words so they meet the labels' own words.

    Words inside a phrase that is itself a row label ("sales and marketing", a release's own
    "operating income") stay as they are, and so does a word a label prints when no label uses
    the word it would become.
    """
    text = OUTSIDE_US_RE.sub(" international ", question)
    text = re.sub(r"\bU\.?S\.?(?=\s|$|[,?])", " domestic ", text).lower()
    for phrase, full in PHRASES.items():
        if phrase not in text or phrase in protected:
            continue
        if printed is not None and not printed.rewrites(phrase, full):
            continue
        text = whole_words(phrase).sub(f" {full} ", text)
    keep: set[int] = set()
    for label in protected:
        if label in text:
            for m in whole_words(label).finditer(text):
                keep.update(range(m.start(), m.end()))
    return _with_synonyms(text, keep, printed)


def _with_synonyms(text: str, keep: set[int], printed: Printed | None) -> str:
    """Each everyday word as the labels' word, outside the kept spans and the label wording."""
    out = []
    found = list(re.finditer(r"[a-z0-9&'.-]+|\S", text))
    keys = [m.group().strip(".,?!'").replace("'", "") for m in found]
    for i, m in enumerate(found):
        key = keys[i]
        if (
            key in SYNONYMS
            and m.start() not in keep
            and (printed is None or printed.rewrites(key, SYNONYMS[key]))
            and not (printed is not None and printed.in_phrase(keys, i))
        ):
            out.append(SYNONYMS[key])
        else:
            out.append(m.group())
    return " ".join(out)


def _lower(text: str) -> str:
    """Sentence case that keeps acronyms: 'Net Loss per Common Share' -> 'net loss per common share'."""
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in text.split())


GLUED_RE = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z])")


def unglued(text: str) -> str:
    """Words a layout glued together split again ('CommonShare'), names spelled in camel case
    kept whole ('iPhone', 'iPad', 'McKinsey')."""
    return GLUED_RE.sub(" ", text)


@lru_cache(maxsize=65536)
def display_name(row: tuple[str, ...], basis: str | None) -> str:
    label = unglued(row[-1])
    if BASIS_PART_RE.match(label) and len(row) > 1:
        concept = _lower(HEADING_NOISE_RE.sub("", unglued(row[-2])))
        return f"{'Non-GAAP' if basis == 'non-GAAP' else 'GAAP'} {concept.strip()}"
    if label in {"Basic", "Diluted"} and len(row) > 1:
        return f"{label} {_lower(HEADING_NOISE_RE.sub('', row[-2]).strip())}"
    label = re.sub(r"\s*\(\s*\$\s*Mil\s*\)", "", label).strip()
    label = re.sub(r"^([A-Z]{2,})'s\b", r"\1", label)
    return (
        label[0] + _lower(label[1:]) if label[:1].isupper() and not label[:2].isupper() else label
    )


class MetricIndex:
    """Every row of a release, ready to be matched against a question's words."""

    def __init__(self, facts: list[Fact]) -> None:
        self.rows = _rows(facts)
        df: dict[str, int] = defaultdict(int)
        for r in self.rows:
            for t in set(r.primary) | set(r.secondary):
                df[t] += 1
        n = len(self.rows) or 1
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.vocabulary = set(df) | (set(RESULT_WORDS) if RESULT in df else set())
        self.phrases = frozenset(
            " ".join(r.name.lower().split()) for r in self.rows if len(r.name.split()) >= 2
        )
        self.printed = Printed(
            frozenset(df), frozenset(" ".join(tokens(r.name)) for r in self.rows)
        )
        self._matched: dict[tuple[tuple[str, ...], int], list[Match]] = {}
        self._shared: dict[tuple[str, ...], int] = defaultdict(int)
        for r in self.rows:
            self._shared[tuple(r.primary)] += 1
        self._for_matching(df)

    def _for_matching(self, words: dict[str, int]) -> None:
        """What `match` reads instead of recomputing per row: each row's label words and their
        weight, the rows each label word names, the index's words by first letter."""
        self._prim = [
            [t for t in r.primary if t not in NEUTRAL] or list(r.primary) for r in self.rows
        ]
        self._prim_weight = [sum(self.weight(t) for t in prim) for prim in self._prim]
        self._heads = [frozenset(t for t in r.secondary if not _neutral(t)) for r in self.rows]
        self._word_sets = [(frozenset(r.primary), frozenset(r.secondary)) for r in self.rows]
        self._rows_naming: dict[str, list[int]] = defaultdict(list)
        for i, prim in enumerate(self._prim):
            for t in dict.fromkeys(prim):
                self._rows_naming[t].append(i)
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for t in words:
            self._by_initial[t[:1]].append(t)
        self._nears: dict[str, Near] = {}

    @cached_property
    def _gluing(self) -> tuple[tuple[str, re.Pattern[str], str], ...]:
        """Each printed name of two or more words, longest first, with its glued form."""
        return tuple(
            (p, whole_words(p), p.replace(" ", GLUE).replace(",", COMMA))
            for p in sorted(self.phrases, key=len, reverse=True)
        )

    def glued(self, text: str) -> str:
        """The (lower-case) text with every printed name glued into one word, so a list split
        at its commas and 'and's never splits a name ('Inventories, net', 'Sales and
        marketing'); `unglued_phrases` undoes it."""
        text = text.replace(" ,", ",")
        for phrase, pattern, glued in self._gluing:
            if phrase in text:
                text = pattern.sub(glued, text)
        return text

    def weight(self, token: str) -> float:
        return self.idf.get(token, 1.0)

    def match(self, question_tokens: list[str], limit: int = 8) -> list[Match]:
        """Rows whose words the question uses, best first (remembered: the rows never change)."""
        key = (tuple(question_tokens), limit)
        got = self._matched.get(key)
        if got is None:
            got = self._match(canonical(question_tokens), limit)
            if len(self._matched) > REMEMBERED:
                self._matched.clear()
            self._matched[key] = got
        return list(got)

    def totals(self) -> list[Match]:
        """The lines labelled just 'Total': what 'the total' names when no other line is."""
        bare = [r for r in self.rows if r.row[-1].strip(" :").lower() == "total"]
        return [Match(r, 0.6, 1.0, 0.6) for r in bare]

    def _match(self, q: list[str], limit: int) -> list[Match]:
        """Scored over the rows whose label holds a word the question uses, the only rows that
        can score: each question word is compared once with the index's words, not per row."""
        if not [t for t in q if not _neutral(t)]:
            return []
        near = [self._near(x) for x in q]
        hits = frozenset().union(*(n.label for n in near))
        rows = sorted({i for t in hits for i in self._rows_naming.get(t, ())})
        out = [m for i in rows if (m := self._score(i, q, near, hits)) is not None]
        out.sort(key=lambda m: (-m.score, m.row.precision, m.row.table_index))
        return out[:limit]

    def _near(self, word: str) -> Near:
        """The index's words `word` is taken for (remembered: the words never change)."""
        got = self._nears.get(word)
        if got is None:
            pool = self._by_initial.get(word[:1], ())  # `similar` words share their first letter
            got = Near(
                frozenset(t for t in pool if similar(t, word)),
                frozenset(t for t in pool if similar(word, t)),
            )
            if len(self._nears) > REMEMBERED:
                self._nears.clear()
            self._nears[word] = got
        return got

    def _score(self, i: int, q: list[str], near: list[Near], hits: frozenset[str]) -> Match | None:
        """How much of the label the question covers, and of the question the label explains;
        a label printed in several sections loses a little when its section is not named."""
        r = self.rows[i]
        cov = self._label_coverage(i, hits)
        if cov <= 0:
            return None
        if cov < 1 and self._heads[i] and self._heads[i] <= hits and self._narrows(i, q, near):
            cov = 1.0
        qcov = self._question_coverage(i, q, near)
        score = 0.5 * cov + 0.5 * qcov
        if r.secondary and self._shared[tuple(r.primary)] > 1:
            ctx = sum(1 for t in r.secondary if t in hits)
            score -= 0.1 * (1 - ctx / len(r.secondary))
        return Match(r, score, cov, qcov)

    def _label_coverage(self, i: int, hits: frozenset[str]) -> float:
        prim, pw = self._prim[i], self._prim_weight[i]
        hit = sum(self.weight(t) for t in prim if t in hits)
        return hit / pw if pw else 0.0

    def _narrows(self, i: int, q: list[str], near: list[Near]) -> bool:
        """The question names a word of the row's own label that its headings do not hold. With
        every word of its headings ('the restructuring adjustment to net loss') it asks for
        this line under them: the row is named in full, and a row printing the headings' words
        as its own label ('Net loss') does not outrank it."""
        primary, secondary = self._word_sets[i]
        return any(
            not _neutral(x)
            and not n.question.isdisjoint(primary)
            and n.question.isdisjoint(secondary)
            for x, n in zip(q, near, strict=True)
        )

    def _question_coverage(self, i: int, q: list[str], near: list[Near]) -> float:
        primary, secondary = self._word_sets[i]
        explained = total = 0.0
        for x, n in zip(q, near, strict=True):
            in_prim = not n.question.isdisjoint(primary)
            if _neutral(x):
                explained += 0.3 if in_prim else 0.0
                continue
            w = self.weight(x)
            total += w
            if in_prim:
                explained += w
            elif not n.question.isdisjoint(secondary):
                explained += 0.6 * w
        return min(1.0, explained / total) if total else 0.0


@dataclass(frozen=True)
class Near:
    """The index's words a question's word is taken for, both ways round (`similar` is not
    symmetric): `label` holds each w with similar(w, word), `question` each with similar(word, w)."""

    label: frozenset[str]
    question: frozenset[str]


class LabelSearch:
    """Embedding similarity between a question and the rows' names: the fallback for a metric
    the question names in words no label uses. The model loads on first use only."""

    def __init__(self, index: MetricIndex, embed_documents: Any, embed_query: Any) -> None:
        self.index = index
        self._embed_documents = embed_documents
        self._embed_query = embed_query
        self._vectors: list[list[float]] | None = None

    def __call__(self, question: str, limit: int = 5) -> list[Match]:
        if self._vectors is None:
            self._vectors = self._embed_documents([describe(r) for r in self.index.rows])
        q = self._embed_query(question)
        scored = [
            (sum(a * b for a, b in zip(q, v, strict=True)), r)
            for v, r in zip(self._vectors, self.index.rows, strict=True)
        ]
        scored.sort(key=lambda x: -x[0])
        return [Match(r, s, s, s) for s, r in scored[:limit]]


def unglued_phrases(text: str) -> str:
    return text.replace(GLUE, " ").replace(COMMA, ",")


def describe(row: MetricRow) -> str:
    """A row as a phrase: its name, its section and its table."""
    return f"{row.name} ({', '.join(row.row[:-1]) or row.table})"


def _rows(facts: list[Fact]) -> list[MetricRow]:
    """One `MetricRow` per printed row of each table, holding its facts."""
    rows: dict[tuple[int, tuple[str, ...]], MetricRow] = {}
    for f in facts:
        key = (f.table_index, f.row)
        if key not in rows:
            primary, secondary = _row_words(f.row)
            if ":" in f.table:
                secondary += tuple(content_tokens(f.table.split(":", 1)[1]))
            rows[key] = MetricRow(
                f.table,
                f.table_index,
                f.row,
                display_name(f.row, f.basis),
                primary,
                secondary,
                f.unit,
                f.scale,
                f.basis,
            )
        (rows[key].facts if f.period is not None else rows[key].undated).append(f)
    return list(rows.values())


@lru_cache(maxsize=65536)
def _row_words(row: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A label's own words and its headings' (remembered: releases repeat their labels)."""
    parts = list(row)
    label = parts[-1]
    headings = parts[:-1]
    if BASIS_PART_RE.match(label) and headings:
        label = headings[-1]
        headings = headings[:-1]
    elif label in {"Basic", "Diluted"} and headings:
        label = f"{headings[-1]} {label}"
        headings = headings[:-1]
    label = OPERATOR_WORD_RE.sub("", HEADING_NOISE_RE.sub(" ", unglued(label)))
    primary = canonical([t for t in content_tokens(label) if not t.isdigit()])
    secondary: list[str] = []
    for h in headings:
        secondary += canonical(content_tokens(HEADING_NOISE_RE.sub(" ", h)))
    return tuple(primary), tuple(secondary)


def _neutral(token: str) -> bool:
    return token in NEUTRAL or token in QUESTION_NEUTRAL or token.isdigit()


def canonical(words: list[str]) -> list[str]:
    """Profit and loss worded alike: 'net income' and 'net loss' name the same line; and the top
    line too: 'net sales' and 'revenue' (a release printing 'Total net sales' calls its
    revenue so, and its 'Deferred revenue' is another line)."""
    return [RESULT if w in RESULT_WORDS else TOP_LINE.get(w, w) for w in words]


# The catalogue's everyday words for revenue ('sales', 'turnover'), read as revenue on both sides.
TOP_LINE = {word: full for word, full in SYNONYMS.items() if full == "revenue"}
