"""The bot as one object: stores opened once, a brain chosen by settings, `ask` for everyone.

The CLI, the chat UI, the Slack app and the eval runner all call `Service.ask`; none of them
holds answering logic of its own.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.answer import Answer
from bot.brain import Brain, LazyAgent
from bot.context import Context
from bot.conversation import Conversation
from bot.pipeline import Pipeline
from bot.scope import (
    Holder,
    View,
    combined,
    holders,
    merge,
    route,
    short_company,
    source_names,
    with_restatements,
    with_sources,
)
from bot.text import clean_question, tokens
from index.config import Settings
from index.errors import BadQuestion, BotError, IndexMissing
from index.facts_store import FactsStore

if TYPE_CHECKING:
    import logging


def _log() -> logging.Logger:
    """Logging is imported with the first message: a cold `bot ask` usually writes none."""
    import logging

    return logging.getLogger(__name__)


MAX_DESKS = 64  # companies whose answering stacks are kept built (a thousand may be loaded)


class PassageOpener:
    """The narrative store, opened (and the embedding model loaded) once, on the first
    narrative question, and shared by every company's passages."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store = None
        self._lock = threading.Lock()
        self.unreachable: str | None = None  # why the passage store could not be used
        self.fallbacks = 0  # searches of any company answered by word match instead

    def store(self):  # noqa: ANN201
        with self._lock:
            if self._store is None and self.unreachable is None:
                from index.embeddings import shared_embedder
                from index.passage_reader import open_search

                try:
                    self._store = open_search(self.settings, shared_embedder())
                except IndexMissing as exc:
                    self.unreachable = str(exc)
            return self._store


class LazyPassages:
    """One company's passages: searched within its releases only (`release` the latest, `more`
    the older ones as (id, text)), so a passage of another company never answers."""

    def __init__(
        self,
        settings: Settings,
        release: str,
        text: str,
        more: Sequence[tuple[str, str]] = (),
        opener: PassageOpener | None = None,
    ) -> None:
        self.settings = settings
        self.release = release
        self._texts = ((release, text), *more)
        self._opener = opener or PassageOpener(settings)
        self._chunks: list | None = None
        self._candidates: list | None = None
        self.fallbacks = 0  # searches answered by word match instead

    @property
    def unreachable(self) -> str | None:
        return self._opener.unreachable

    @property
    def releases(self) -> tuple[str, ...]:
        return tuple(r for r, _ in self._texts)

    def chunks(self) -> list:
        """The releases' narrative chunks, rebuilt from their text (the same ids as in Chroma)."""
        if self._chunks is None:
            from index.chunks import chunk_passages
            from index.segment import segment

            self._chunks = [
                c
                for release, text in self._texts
                for c in chunk_passages(segment(text, release).passages, release)
            ]
        return self._chunks

    def candidates(self) -> list:
        if self._candidates is None:
            from bot.narrative import candidates

            self._candidates = candidates(self.chunks())
        return self._candidates

    def size(self) -> int:
        return len(self.chunks())

    def search(self, query: str, k: int = 4) -> list:
        """Nearest passages in meaning; by word match, with a note, when Chroma is out of reach."""
        store = self._opener.store()
        if store is not None:
            try:
                if len(self._texts) == 1:
                    return store.search(query, k=k, release=self.release)
                hits = [
                    (hit, rank)
                    for rank, release in enumerate(self.releases)
                    for hit in store.search(query, k=k, release=release)
                ]
                hits.sort(key=lambda hr: (-hr[0].score, hr[1]))
                return [hit for hit, _ in hits[:k]]
            except IndexMissing as exc:
                self._opener.unreachable = str(exc)
        from index.lexical import lexical_index

        self.fallbacks += 1
        self._opener.fallbacks += 1
        return lexical_index(self.chunks()).search(query, k)


@dataclass
class Desk:
    """One company's answering stack: the view of its releases, its pipeline and its brain."""

    holder: Holder
    view: View
    pipeline: Pipeline
    passages: LazyPassages
    brain: Brain


class Service:
    """Answers over every release in the index. One company loaded: it is implied. Several: a
    question is routed by `bot/scope.py` to the companies it addresses, each answered over the
    one view of its releases, and every citation names its release."""

    def __init__(self, settings: Settings, facts: FactsStore, release: str) -> None:
        self.settings = settings
        self.facts = facts
        self.release = release
        infos = facts.releases()
        self.names = source_names(infos)
        self.holders = holders(infos)
        self._lock = threading.Lock()
        self._building = threading.Lock()
        self._opener = PassageOpener(settings)
        self._vocabulary: set[str] | None = None
        self._words: dict[str, set[str]] = {}
        self.default = next(h for h in self.holders if release in h.ids)
        self._desks: dict[str, Desk] = {}

    @property
    def passages(self) -> LazyPassages:
        """The default company's passages (its desk, like every company's, built on first use:
        a question naming another company reads none of the default's facts)."""
        return self.desk(self.default).passages

    @property
    def pipeline(self) -> Pipeline:
        return self.desk(self.default).pipeline

    @property
    def planner(self) -> Pipeline:
        """The offline brain, so named by `--brain planner`."""
        return self.pipeline

    @property
    def brain(self) -> Brain:
        return self.desk(self.default).brain

    @brain.setter
    def brain(self, brain: Brain) -> None:
        self.desk(self.default).brain = brain

    def desk(self, holder: Holder) -> Desk:
        """The company's answering stack, built on its first question."""
        with self._building:
            desk = self._desks.pop(holder.key, None) or self._build(holder)
            self._desks[holder.key] = desk  # the most recently used last
            while len(self._desks) > MAX_DESKS:
                oldest = next(k for k in self._desks if k != self.default.key)
                del self._desks[oldest]
            return desk

    def _build(self, holder: Holder) -> Desk:
        view = merge([(info, self.facts.facts(info.id)) for info in holder.releases])
        latest = holder.latest
        vocab = {t for info in holder.releases for t in tokens("\n".join(info.lines))}
        company = short_company(latest) or _company(latest.title)
        if company == "the company" and len(self.holders) > 1:
            company = holder.name
        aliases = tuple(n for n in (latest.identity.company, latest.identity.ticker) if n)
        ctx = Context(latest.id, company, list(view.facts), view.calendar, vocab, aliases)
        older = [(i.id, "\n".join(i.lines)) for i in reversed(holder.releases[:-1])]
        text = "\n".join(latest.lines)
        passages = LazyPassages(self.settings, latest.id, text, older, self._opener)
        pipeline = Pipeline(
            ctx, passages, lambda: _audit(text, latest.id), labels=_label_search(ctx)
        )
        s = self.settings
        agent = LazyAgent(s, pipeline) if s.model or s.base_url else None
        brain = Brain(pipeline, agent, lock=self._lock)
        return Desk(holder, view, pipeline, passages, brain)

    @classmethod
    def open(cls, settings: Settings | None = None, build: bool = True) -> Service:
        """Open the index, building it from the bundled release when it is missing."""
        s = settings or Settings.from_env()
        try:
            store = FactsStore.open(s.index_dir)
        except IndexMissing:
            if not build:
                raise
            from index.ingest import ingest

            ingest([s.release], s)
            store = FactsStore.open(s.index_dir)
        wanted = s.release.stem
        ids = [r.id for r in store.releases()]
        release = wanted if wanted in ids else ids[-1]
        return cls(s, store, release)

    def example_questions(self) -> tuple[str, ...]:
        """Questions to click, written from the release's own periods and rows."""
        facts = [f for f in self.facts.facts(self.release) if f.period is not None]
        quarters = sorted(
            {(f.period.fiscal_year, f.period.quarter) for f in facts if f.period.kind == "quarter"}
        )
        years = sorted({f.period.fiscal_year for f in facts if f.period.kind == "year"})
        rows = self.pipeline.ctx.index.rows
        series = [r for r in rows if sum(f.period.kind == "quarter" for f in r.facts) >= 4]
        return tuple(_examples(quarters, years, series)[:6])

    def warm_up(self) -> None:
        """Load the embedding model and open the narrative store now (`bot serve` at start), so
        the first prose question does not wait seconds for them; with several companies
        loaded, read every release's words too (which names a company that is not loaded)."""
        self.passages.search("warm up", k=1)
        if len(self.holders) > 1:
            self.vocabulary()

    def excerpt(
        self, release: str, first: int, last: int, context: int = 2
    ) -> list[tuple[int, str]]:
        """The release's own lines around a citation, numbered, for showing a source as printed."""
        lines = self.facts.release(release).lines
        lo, hi = max(1, first - context), min(len(lines), last + context)
        return [(n, lines[n - 1]) for n in range(lo, hi + 1)]

    def ask(
        self,
        question: str,
        conversation: Conversation | None = None,
        brain: str | None = None,
    ) -> Answer:
        """Answer one question; bad input becomes a plain not-found answer, never a traceback."""
        t0 = time.perf_counter()
        fallbacks = self._opener.fallbacks
        try:
            answer = self._answer(question, conversation, brain)
        except BadQuestion as exc:
            answer = Answer(question=str(question)[:200], text=str(exc), found=False)
        except BotError as exc:
            answer = Answer(question=str(question)[:200], text=str(exc), found=False)
        except Exception:
            _log().exception("answering failed on %r", str(question)[:200])
            answer = Answer(
                question=str(question)[:200],
                text="Sorry, something went wrong while answering that. Please rephrase the question.",
                found=False,
            )
        if self._opener.fallbacks != fallbacks and answer.found:
            note = f"(Passages found by word match: {self._opener.unreachable}.)"
            answer = replace(answer, text=f"{answer.text}\n{note}")
        elapsed = (time.perf_counter() - t0) * 1000
        return replace(answer, latency_ms=elapsed)

    def _answer(
        self, question: str, conversation: Conversation | None, brain: str | None
    ) -> Answer:
        """The one company's answer, or each addressed company's, every release named."""
        several = len(self.names) > 1
        if len(self.holders) == 1:
            answer = with_sources(
                self.brain.answer(question, conversation, brain), self.names, several
            )
            return with_restatements(answer, self.desk(self.default).view, self.names)
        cleaned = clean_question(question)
        way = route(
            cleaned, self.holders, self.vocabulary, self._previous(conversation), self.words_of
        )
        if not way.holders:
            return Answer(question=str(question)[:200], text=way.note, found=False)
        answers = []
        for holder in way.holders:
            desk = self.desk(holder)
            one = with_sources(
                desk.brain.answer(way.question, conversation, brain), self.names, True
            )
            answers.append((holder, with_restatements(one, desk.view, self.names)))
        if len(answers) == 1:
            one = answers[0][1]
            text = f"{one.text} {way.note}" if way.note else one.text
            answer = replace(one, question=question, text=text)
        else:
            answer = combined(question, way, answers)
        return answer

    def vocabulary(self) -> set[str]:
        """Every word of every loaded release (recorded at ingest, so no release's text or facts
        is read): a capitalised word outside it names a company that is not loaded."""
        if self._vocabulary is None:
            self._vocabulary = set(tokens(self.facts.words()))
        return self._vocabulary

    def words_of(self, holder: Holder) -> set[str]:
        """Every word of one company's releases, as recorded at ingest; read once per company
        (a question naming no company asks it of each)."""
        words = self._words.get(holder.key)
        if words is None:
            words = {t for rid in holder.ids for t in tokens(self.facts.words(rid))}
            self._words[holder.key] = words
        return words

    def _previous(self, conversation: Conversation | None) -> list[Holder]:
        """The companies the conversation's last answer stood on, for a follow-up."""
        last = conversation.last if conversation is not None else None
        if last is None:
            return []
        cited = {c.release for c in last.citations}
        return [h for h in self.holders if cited & set(h.ids)]


def _examples(quarters: list, years: list[int], series: list) -> list[str]:  # noqa: ANN001
    """Clickable questions: a quarter's day count, revenue, a chart, a change over the years."""
    by_unit = {r.unit: r for r in reversed(series)}
    out: list[str] = []
    if len(quarters) > 1 and "days" in by_unit:
        out.append(f"What was Q{quarters[-2][1]} {by_unit['days'].name}?")
    if quarters:
        out.append(f"What was GAAP revenue in Q{quarters[-1][1]} {quarters[-1][0]}?")
    if series:
        out.append(f"Plot {(by_unit.get('days') or series[0]).name} by quarter")
    if "count" in by_unit and len(years) >= 2:
        out.append(
            f"How did {by_unit['count'].name.lower()} change over {years[0]} and {years[-1]}?"
        )
    out.append("Where is the company based?")
    if years:
        out.append(f"What was non-GAAP EPS for fiscal {years[-1]}?")
    return out


def _label_search(ctx: Context):  # noqa: ANN202
    """Embedding search over row names, with the shared model loaded on first use."""
    from bot.metrics import LabelSearch

    def model():  # noqa: ANN202
        from index.embeddings import shared_embedder

        return shared_embedder()

    return LabelSearch(
        ctx.index,
        lambda texts: model().embed_documents(texts),
        lambda text: model().embed_query(text),
    )


def _audit(text: str, release: str):  # noqa: ANN202
    """The tie-out audit of the release, run when someone asks whether it ties out."""
    from index.audit import audit
    from index.release import parse_release

    return audit(parse_release(text, release))


def _company(title: str) -> str:
    m = re.match(r"^(.*?)\s+(?:Corporation|Corp\.?|Inc\.?|Ltd\.?|Reports|Announces)\b", title)
    return m.group(1) if m else "the company"


def default_paths(settings: Settings) -> list[Path]:
    return [settings.release]
