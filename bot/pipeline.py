"""The answering pipeline: understand -> answerability -> resolve -> operate -> phrase.

`Pipeline` is shared and holds no state of a question: `understand` turns the question (and
the conversation's previous Query) into a Query; small stages refuse what the release cannot
answer, send prose questions to the text, and hand the rest to a `Figures` made for that one
question, which hands the query to its operation in the registry of `bot/ops` (a lookup when
it names none): that module resolves, computes and phrases. When it cannot find the figure, it
says so and `found` is false.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from bot.answer import Answer, Citation
from bot.answerability import unanswerable
from bot.context import Context
from bot.conversation import Conversation
from bot.derived import answer_derived
from bot.intent import (
    AUDIT_RE,
    GREETING_RE,
    NARRATIVE_RE,
    NUMERIC_RE,
    REASON_ASK_RE,
    STEERING_RE,
)
from bot.metrics import Match
from bot.ops import Request, answering, cued, names_computed, operate, table_first
from bot.passages import searched_once
from bot.phrase import not_found
from bot.query import Query
from bot.relative import shift_of
from bot.resolve import Preference, Resolver
from bot.text import clean_question, content_tokens, lower_first
from bot.understand import PROSE_OPENER_RE, entities, understand, unexplained
from index.periods import find_periods

# A calculation over a row matched at least this well is answered from the table, not the text.
NAMED_FLOOR = 0.45
# A reason (read as the prose reads it), a definition or a method ('how is X calculated?',
# 'what does X refer to?') is the text's to give, never a table's figure.
REASON_RE = re.compile(
    rf"{REASON_ASK_RE.pattern}"
    r"|^\s*(?:how (?:is|are|was|were) .+ (?:derived|calculated|computed|determined|defined"
    r"|measured|recogni[sz]ed|stated|accounted for|amorti[sz]ed|classified|valued)\b"
    r"|what (?:does|do|did) .+ (?:refer to|represent|mean|relate to|include|consist of"
    r"|comprise)\b)",
    re.I,
)


class PassageSearch(Protocol):
    def search(self, query: str, k: int = 4) -> list[object]: ...


class Pipeline:
    def __init__(
        self,
        context: Context,
        passages: PassageSearch | None = None,
        auditor: Callable[[], Any] | None = None,
        labels: Callable[[str], list[Match]] | None = None,
    ) -> None:
        self.ctx = context
        self.passages = passages
        self.auditor = auditor
        self.labels = labels

    def answer(self, raw: str, conversation: Conversation | None = None) -> Answer:
        question = clean_question(raw)
        conv = conversation or Conversation()
        previous = conv.previous_query()
        if GREETING_RE.match(question):
            return not_found(
                raw,
                "Hello! Ask me about a figure or a statement in the release, for example "
                f"revenue, DSO or headcount in a quarter. {self.ctx.holds()}",
                Query("refuse"),
            )
        if STEERING_RE.search(question):
            return not_found(
                raw,
                "I answer questions about the release from its own tables and text, and I can't "
                "change how I work. Ask me about a figure or a statement in the release.",
                Query("refuse"),
            )
        if AUDIT_RE.search(question) and self.auditor is not None:
            return self._audit(raw)
        return self._answer(raw, question, previous)

    def _audit(self, raw: str) -> Answer:
        """'Does the release tie out?': the audit's verdict, with the failing lines cited."""
        report = self.auditor()
        summary = report.summary()
        failures = report.failures
        if not failures:
            text = (
                f"Yes: the release ties out. I ran {summary.sentence()}. Totals foot, the "
                "statements agree with each other, and the figures in the text match their cells."
            )
        else:
            shown = "; ".join(f"line {c.lines[0]}: {c.name}" for c in failures[:3])
            text = f"No: {len(failures)} of {summary.checks} checks fail ({shown}). Run `bot audit` for the full report."
        cites = tuple(
            Citation("calculation", self.ctx.release, (c.lines[0], c.lines[0]), quote=c.name)
            for c in failures[:3]
        )
        ans = Answer(raw, text, True, cites, (), brain="planner")
        return self._remember(ans, Query("audit"))

    @staticmethod
    def _remember(answer: Answer, query: Query) -> Answer:
        """The answer carrying the query it answered, for the conversation's next turn."""
        return replace(answer, query=query)

    # ------------------------------------------------------------------ stages
    def _answer(self, raw: str, question: str, previous: Query | None) -> Answer:
        q = understand(question, previous, self.ctx, self.labels)
        if names_computed(question):
            q = replace(q, confident=True)
        fig = Figures(self.ctx, self.passages, q)
        if names_computed(question) and q.best is None:
            q = replace(q, matches=tuple(fig._metric("total revenue")))
            fig = Figures(self.ctx, self.passages, q)
        building = previous is not None and q.follow
        stages = (
            self._orphan_shift,
            self._unknown,
            self._registered,
            self._prose_first,
            self._entity,
            self._text_words,
        )
        for stage in stages:
            out = stage(raw, q, fig, building)
            if out is not None:
                return out
        return fig.operate(raw, q)

    def _orphan_shift(self, raw: str, q: Query, fig: Figures, building: bool) -> Answer | None:
        """'and the year before?' with no question before it to move: nothing to answer."""
        shift = shift_of(q.text)
        if building or not shift or content_tokens(q.text.replace(shift.words, " ")):
            return None
        return not_found(
            raw,
            f"'{shift.words}' moves the period of an earlier question, and there is none here: "
            "say which figure and which period you mean. " + self.ctx.holds(),
            Query("refuse", text=q.text),
        )

    def _unknown(self, raw: str, q: Query, fig: Figures, building: bool) -> Answer | None:
        """Words the release never uses (a company, a metric), a currency, an impossible period;
        a question about the table's own layout (its years, its lines) is never refused so."""
        if q.operation in {"periods", "components"}:
            return None
        words = q.text.split()
        first = words[0].strip(".,?!:;'\"").replace("'s", "") if words else ""
        proper = [u for u in q.unknown if u.isupper() or (u[:1].isupper() and u != first)]
        weak = q.best is None or q.best.score < 0.45
        if proper or (q.unknown and weak and NUMERIC_RE.search(q.text)):
            what = ", ".join(f"'{u}'" for u in proper or q.unknown)
            return not_found(
                raw,
                f"The release does not mention {what}, so I can't answer that from it. "
                + self.ctx.holds(),
                Query("refuse", text=q.text),
            )
        return unanswerable(raw, q, self.ctx)

    def _registered(self, raw: str, q: Query, fig: Figures, building: bool) -> Answer | None:
        """A derived concept, or an operation of the registry that answers a question whole (a
        summary, several measures, a count, an extreme, a compound rate): by its own module."""
        if not building and REASON_RE.match(q.text):
            return None  # a reason is the text's, never an operation's figure
        if q.concept and not PROSE_OPENER_RE.match(q.text):
            return answer_derived(raw, q, self.ctx, fig._r())
        op = answering(q.operation)
        if op is None or op.answer is None:
            return None
        return op.answer(Request(raw, q, self.ctx, fig._r()))

    def _prose_first(self, raw: str, q: Query, fig: Figures, building: bool) -> Answer:
        """A question the text answers better than a table: who/where, or no figure named;
        never one asking which period a line peaks in."""
        named = q.confident or (q.best is not None and q.best.score >= NAMED_FLOOR)
        reason = not building and REASON_RE.match(q.text)
        if named and table_first(q.operation) and not reason:
            return None
        for strict, final in prose_tries(q, building):
            prose = fig._narrative(raw, q.text, list(q.periods), strict=strict)
            if prose.found and q.confident and self._table_text(prose):
                return None
            if prose.found or final:
                return prose
        return None

    def _table_text(self, prose: Answer) -> bool:
        """A passage quoted from a table the facts were read from, a run of its figures: the
        table's row answers, not its text."""
        tables = {f.table for f in self.ctx.facts}
        quoted = any(c.table in tables or c.section in tables for c in prose.citations)
        return quoted and figure_run(prose.text)

    def _entity(self, raw: str, q: Query, fig: Figures, building: bool) -> Answer | None:
        """A name the question narrows a figure by that no table breaks it down by."""
        best = q.best
        found_entities = (
            entities(q.text, best, self.ctx) if best is not None and not building else []
        )
        if not found_entities or names_computed(q.text):
            return None
        prose = fig._narrative(raw, q.text, list(q.periods), strict=True)
        if prose.found:
            return prose
        return not_found(
            raw,
            f"The release's tables do not break {lower_first(best.row.name)} down by "
            f"{', '.join(found_entities)}, and its text gives no figure for it. "
            + self.ctx.holds(),
            Query("refuse", text=q.text),
        )

    def _text_words(self, raw: str, q: Query, fig: Figures, building: bool) -> Answer | None:
        """Release-text words no row carries ('replay'): the text answers, when it can."""
        if building or find_periods(q.text, self.ctx.calendar, self.ctx.latest_year):
            return None
        if not unexplained(q, self.ctx):
            return None
        prose = fig._narrative(raw, q.text, list(q.periods), strict=True)
        return prose if prose.found else None


class Figures:
    """The figure stages of one question: made per question, so nothing it prefers (a table
    the question names, counted units) is shared with another. The arithmetic is the
    registered operations' own (`bot/ops`); this hands them the question."""

    def __init__(self, ctx: Context, passages: PassageSearch | None, q: Query) -> None:
        self.ctx = ctx
        self.passages = searched_once(passages)
        self._q_text = q.text
        self._table_hint = re.compile(q.table, re.I) if q.table else None

    def operate(self, raw: str, q: Query) -> Answer:
        """The arithmetic the query names, by its operation's module; a lookup when none."""
        return operate(Request(raw, q, self.ctx, self._r()))

    def _r(self) -> Resolver:
        return Resolver(self.ctx.index, Preference.of(self._q_text, self._table_hint))

    def _metric(self, phrase: str) -> list[Match]:
        return self._r().rows(phrase)

    def _narrative(self, raw: str, question: str, periods, strict: bool = False) -> Answer:
        from bot.prose import answer_prose  # the prose modules load on a text question only

        return answer_prose(raw, question, self.ctx, self.passages, strict)


FIGURE_RE = re.compile(r"\(?\$?\s*\d[\d,]*(?:\.\d+)?\)?")
FIGURE_RUN = 6


def figure_run(text: str) -> bool:
    """More figures than a sentence holds: a table's text."""
    return len(FIGURE_RE.findall(text)) > FIGURE_RUN


def prose_tries(q: Query, building: bool) -> list[tuple[bool, bool]]:
    """When to look in the text first, as (strict, final) tries: a who/where question; a figure
    named without a period in words a label only partly covers; no figure named at all."""
    if not building and REASON_RE.match(q.text):
        return [(False, True)]  # a reason is never a table's figure
    tries = []
    if not building and (PROSE_OPENER_RE.match(q.text) or _partly_named(q)):
        tries.append((True, False))
    vague = _vague(q)
    if vague is not None:
        tries.append(vague)
    return tries


def _partly_named(q: Query) -> bool:
    best = q.best
    if not q.confident or q.periods or best is None or cued("series", q.text):
        return False
    return best.question_coverage < 0.8 or bool(NARRATIVE_RE.match(q.text))


def _vague(q: Query) -> tuple[bool, bool] | None:
    best, periods = q.best, q.periods
    numeric = bool(NUMERIC_RE.search(q.text)) or bool(periods)
    wordy = NARRATIVE_RE.match(q.text) and not numeric and best is not None and best.score < 0.8
    if (q.confident and not wordy) or (q.confident and numeric):
        return None
    return numeric and bool(periods), not (periods and best is not None and best.score >= 0.4)
