"""The bot as one object: stores opened once, a brain chosen by settings, `ask` for everyone.

The CLI, the chat UI, the Slack app and the eval runner all call `Service.ask`; none of them
holds answering logic of its own.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import replace
from pathlib import Path

from bot.answer import Answer
from bot.brain import Brain, LazyAgent
from bot.context import Context
from bot.conversation import Conversation
from bot.pipeline import Pipeline
from bot.text import tokens
from index.config import Settings
from index.errors import BadQuestion, BotError, IndexMissing
from index.facts_store import FactsStore

log = logging.getLogger(__name__)


class LazyPassages:
    """The narrative store, opened (and the embedding model loaded) on the first narrative question."""

    def __init__(self, settings: Settings, release: str, text: str) -> None:
        self.settings = settings
        self.release = release
        self._text = text
        self._store = None
        self._chunks: list | None = None
        self._candidates: list | None = None
        self._lock = threading.Lock()
        self.unreachable: str | None = None  # why the passage store could not be used
        self.fallbacks = 0  # searches answered by word match instead

    def chunks(self) -> list:
        """The release's narrative chunks, rebuilt from its text (the same ids as in Chroma)."""
        if self._chunks is None:
            from index.chunks import chunk_passages
            from index.segment import segment

            self._chunks = chunk_passages(segment(self._text, self.release).passages, self.release)
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
        with self._lock:
            if self._store is None and self.unreachable is None:
                from index.embeddings import shared_embedder
                from index.passage_reader import open_search

                try:
                    self._store = open_search(self.settings, shared_embedder())
                except IndexMissing as exc:
                    self.unreachable = str(exc)
        if self._store is not None:
            try:
                return self._store.search(query, k=k, release=self.release)
            except IndexMissing as exc:
                self.unreachable = str(exc)
        from index.lexical import lexical_index

        self.fallbacks += 1
        return lexical_index(self.chunks()).search(query, k)


class Service:
    def __init__(self, settings: Settings, facts: FactsStore, release: str) -> None:
        self.settings = settings
        self.facts = facts
        self.release = release
        info = facts.release(release)
        vocab = {t for line in info.lines for t in tokens(line)}
        company = _company(info.title)
        ctx = Context(release, company, facts.facts(release), info.calendar, vocab)
        self.passages = LazyPassages(settings, release, "\n".join(info.lines))
        text = "\n".join(info.lines)
        self.pipeline = Pipeline(
            ctx, self.passages, lambda: _audit(text, release), labels=_label_search(ctx)
        )
        self._lock = threading.Lock()
        self.planner = self.pipeline  # the offline brain, so named by `--brain planner`
        agent = LazyAgent(settings, self.pipeline) if settings.model or settings.base_url else None
        self.brain = Brain(self.pipeline, agent, lock=self._lock)

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
        the first prose question does not wait seconds for them."""
        self.passages.search("warm up", k=1)

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
        fallbacks = self.passages.fallbacks
        try:
            answer = self.brain.answer(question, conversation, brain)
        except BadQuestion as exc:
            answer = Answer(question=str(question)[:200], text=str(exc), found=False)
        except BotError as exc:
            answer = Answer(question=str(question)[:200], text=str(exc), found=False)
        except Exception:
            log.exception("answering failed on %r", str(question)[:200])
            answer = Answer(
                question=str(question)[:200],
                text="Sorry, something went wrong while answering that. Please rephrase the question.",
                found=False,
            )
        if self.passages.fallbacks != fallbacks and answer.found:
            note = f"(Passages found by word match: {self.passages.unreachable}.)"
            answer = replace(answer, text=f"{answer.text}\n{note}")
        elapsed = (time.perf_counter() - t0) * 1000
        return replace(answer, latency_ms=elapsed)


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
