"""The answering pipeline: understand -> answerability -> resolve -> operate -> phrase.

`Pipeline` is shared and holds no state of a question: `understand` turns the question (and
the conversation's previous Query) into a Query; small stages refuse what the release cannot
answer, send prose questions to the text, and hand the rest to a `Figures` made for that one
question, which resolves, operates and phrases. When it cannot find the figure, it says so and
`found` is false.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from bot.answer import Answer, Citation, Value, cite, value_of
from bot.answerability import basis_missing, unanswerable
from bot.calculate import Calculation, CalculationError, calculate
from bot.context import Context
from bot.conversation import Conversation
from bot.derived import answer_derived
from bot.intent import (
    AUDIT_RE,
    COMPARE_RE,
    GAP_RE,
    GREETING_RE,
    MARGIN_DEFS,
    MARGIN_RE,
    MINUS_RE,
    NARRATIVE_RE,
    NUMERIC_RE,
    PERCENT_ASK_RE,
    RATIO_DEFS,
    SERIES_RE,
    SHARE_RE,
    STEERING_RE,
    names_ratio,
)
from bot.metrics import Match, MetricRow
from bot.ops import Request, answering, base, direction
from bot.ops.arithmetic import percent_or_fraction
from bot.phrase import (
    ask_label,
    calc_answer,
    fmt_calc,
    found,
    not_found,
    period_label,
    previous_quarter,
    prior,
    row_key,
    sentence,
    unit_word,
)
from bot.prose import answer_prose
from bot.query import Query
from bot.relative import shift_of
from bot.resolve import Preference, Resolver, by_member, facts_for
from bot.text import clean_question, content_tokens, lower_first
from bot.understand import PROSE_OPENER_RE, entities, understand, unexplained
from index.facts import Fact, format_value
from index.periods import Period, PeriodAsk, find_periods

CALCULATIONS = frozenset(
    {"growth", "difference", "average", "sum", "share", "margin", "gap", "ratio", "minus", "plus"}
)
SEQUENTIAL_RE = re.compile(
    r"sequential|qoq|quarter[- ]over[- ]quarter|previous quarter|prior quarter|last quarter", re.I
)
CHANGE_WORD_RE = re.compile(
    r"\b(?:the|what|net) (?:change|increase|decrease|rise|decline)\b|\bchange in\b"
    r"|\bincrease\s*/\s*\(?decrease\)?",
    re.I,
)
ABSOLUTE_ASK_RE = re.compile(r"\bhow much\b|\bin dollars\b|\bhow many\b", re.I)
TOTAL_RE = re.compile(r"\btotal\b", re.I)
PERCENT_WORD_RE = re.compile(r"\bwhat percent|\bin percent|%|\bpercentage\b", re.I)
ABSOLUTE_WORD_RE = re.compile(r"\babsolute\b", re.I)
RELATIVE_CHANGE_RE = re.compile(
    r"\b(?:percent(?:age)?|%)\s+(?:change|increase|decrease|growth|decline|rise|fall)\b"
    r"|\bgrowth rate\b",
    re.I,
)
YEAR_RANGE_RE = re.compile(
    r"\b(?:from|between)\s+(?:fiscal\s+)?\d{4}\s+(?:to|and|through)\s+(?:fiscal\s+)?\d{4}"
    r"|\b\d{4}\s*(?:-|–|to|through)\s*\d{4}\b",
    re.I,
)
# A calculation over a row matched at least this well is answered from the table, not the text.
NAMED_FLOOR = 0.45
REASON_RE = re.compile(
    r"^\s*(?:in [^,?]{1,40},\s*)?"  # 'In 2019, why did ...'
    r"(?:why\b|what (?:caused|drove|led to|impacted|affected)\b|what (?:is|was|were) the reasons? for\b"
    r"|what (?:factors|drivers) (?:caused|drove|led to|contributed)\b)",
    re.I,
)
MEMBER_OPERATIONS = frozenset({"difference", "growth", "sum", "average", "ratio"})
# 'the proportion of X over Y' asks a fraction, not a percentage (unless it says percent).
FRACTION_RE = re.compile(r"\bproportion\b|\bfraction\b", re.I)
CHANGE_ROW_RE = re.compile(r"\bchange|increase|decrease", re.I)


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
        if names_ratio(question):
            q = replace(q, confident=True)
        fig = Figures(self.ctx, self.passages, q)
        if names_ratio(question) and q.best is None:
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
        if named and q.operation in CALCULATIONS | {"highest", "lowest"} and not reason:
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
        if not found_entities or names_ratio(q.text):
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
    """The answering stages for one question: made per question, so nothing it prefers (a
    table the question names, counted units) is shared with another."""

    def __init__(self, ctx: Context, passages: PassageSearch | None, q: Query) -> None:
        self.ctx = ctx
        self.passages = passages
        self._q_text = q.text
        self._table_hint = re.compile(q.table, re.I) if q.table else None

    def operate(self, raw: str, q: Query) -> Answer:
        """The arithmetic the query names, over its measure and periods."""
        matches, basis, periods = list(q.matches), q.basis, list(q.periods)
        plan = replace(q, intent="figure", matches=(), several=())
        try:
            across = self._members(raw, q, plan)
            if across is not None:
                return across
            if q.operation == "series":
                return self._series(raw, q.text, matches, basis, periods, plan)
            if q.operation in CALCULATIONS:
                return self._calculation(raw, q.text, q.operation, matches, basis, periods, plan)
        except CalculationError as exc:
            changed = [m for m in matches if CHANGE_ROW_RE.search(m.row.name)]
            if q.operation in {"growth", "difference"} and changed:
                return self._lookup(raw, q.text, changed, basis, periods, plan)
            return not_found(raw, f"I couldn't compute that: {exc}.", plan)
        return self._lookup(raw, q.text, matches, basis, periods, plan)

    def _members(self, raw: str, q: Query, plan: Query) -> Answer | None:
        """Arithmetic between columns of one row the question names by member ('the difference
        between the domestic and international discount rates'), in the order it names them."""
        op = q.operation or ("difference" if GAP_RE.search(q.text) else None)
        if op not in MEMBER_OPERATIONS:
            return None
        ask = q.periods[0] if len(q.periods) == 1 else None
        if len(q.periods) > 1:
            return None
        named = self._r().members_named(list(q.matches), q.basis, ask)
        if named is None:
            return None
        row, facts = named
        if op == "growth" and not PERCENT_ASK_RE.search(q.text):
            op = "difference"
        op = percent_or_fraction(op, q.text)
        if op in {"difference", "growth", "ratio", "margin"}:
            facts = facts[:2]
        moved = op == "growth" or (
            op == "difference" and (_moves(q.text) or CHANGE_WORD_RE.search(q.text))
        )
        operands = facts[::-1] if moved else facts
        calc = calculate(op, operands)
        shown = ", ".join(f"{f.member} {f.display()}" for f in facts)
        text = (
            f"The {op} of {lower_first(row.name)} between {shown} {_when(facts[0])} is "
            f"{fmt_calc(calc, facts[0], places=2)}, computed from the release's figures."
        )
        return self._calc_answer(raw, text, list(facts), [calc], plan, row)

    # ------------------------------------------------------------------ resolution
    def _r(self) -> Resolver:
        return Resolver(self.ctx.index, Preference.of(self._q_text, self._table_hint))

    def _resolve(self, matches, basis, ask):  # noqa: ANN001, ANN202
        return self._r().resolve(matches, basis, ask)

    def _candidates(self, matches, basis, window: float = 0.12):  # noqa: ANN001, ANN202
        return self._r().candidates(matches, basis, window)

    def _find_period(self, row, matches, basis, period, same_scale=None):  # noqa: ANN001, ANN202
        return self._r().find_period(row, matches, basis, period, same_scale)

    def _counterpart(self, row, fact, basis):  # noqa: ANN001, ANN202
        return self._r().counterpart(row, fact, basis)

    def _metric(self, phrase: str) -> list[Match]:
        return self._r().rows(phrase)

    # ------------------------------------------------------------------ answers
    def _lookup(self, raw, question, matches, basis, periods, plan) -> Answer:
        asks = periods or [None]
        lines: list[str] = []
        citations: list[Citation] = []
        values: list[Value] = []
        used_rows = []
        for ask in asks[:4]:
            fact, row, a = self._resolve(matches, basis, ask)
            if fact is None:
                return self._missing_period(raw, row, ask, plan)
            if PERCENT_WORD_RE.search(question) and fact.unit != "percent":
                return not_found(
                    raw,
                    f"The release prints {lower_first(row.name)} as an amount, not a "
                    "percentage, and the question names no whole I can divide it by. "
                    + self.ctx.holds(),
                    Query("refuse", text=question),
                )
            missing = basis_missing(raw, replace(plan, basis=basis), self.ctx, row, fact)
            if missing is not None:
                return missing
            used_rows.append(row)
            lines.append(self._sentence(fact, row, a, basis))
            citations.append(cite(fact))
            values.append(value_of(fact, row.name))
            if basis is None and fact.basis == "GAAP" and len(asks) == 1:
                other = self._counterpart(row, fact, "non-GAAP")
                if other is not None:
                    lines.append(
                        f"On a non-GAAP basis it was {other.display()} ({other.table}, line {other.line})."
                    )
                    citations.append(cite(other))
                    values.append(value_of(other))
            elif fact.basis == "non-GAAP" and basis is None:
                lines.append("The release gives this figure on a non-GAAP basis only.")
        plan = replace(plan, measures=tuple((r.table_index, r.row) for r in used_rows[:1]))
        return self._found(raw, " ".join(lines), citations, values, plan)

    def _sentence(
        self, fact: Fact, row: MetricRow, ask: PeriodAsk | None, basis: str | None
    ) -> str:
        return sentence(fact, row, ask, scale_asked(self._q_text))

    def _missing_period(self, raw, row: MetricRow | None, ask: PeriodAsk | None, plan) -> Answer:
        if row is None:
            return self._not_found(
                raw, "I couldn't find that figure in the release. " + self._holds_hint(), plan
            )
        have = sorted({f.period for f in row.facts}, key=lambda p: (p.fiscal_year, p.quarter or 5))
        listed = ", ".join(p.label for p in have)
        asked = ask_label(ask) if ask else "that period"
        return self._not_found(
            raw,
            f"The release does not give {row.name} for {asked}. It gives it for {listed} "
            f"({row.table}).",
            plan,
        )

    def _series(self, raw, question, matches, basis, periods, plan) -> Answer:
        """A figure quarter by quarter, as chart points, every point cited."""
        rows = self._candidates(matches, basis)
        rows.sort(key=lambda r: -_quarter_count(r))
        row = next((r for r in rows if _quarter_count(r) >= 3), None)
        if row is None:
            return self._lookup(raw, question, matches, basis, periods, plan)
        years = {p.fiscal_year for p in periods if p.kind in {"bare_year", "year"}}
        facts = sorted(
            (
                f
                for f in row.facts
                if f.period.kind == "quarter" and (not years or f.period.fiscal_year in years)
            ),
            key=lambda f: (f.period.fiscal_year, f.period.quarter),
        )
        points = ", ".join(f"{f.period.label} {f.display()}" for f in facts)
        change, extra = _moved(facts[0], facts[-1])
        text = f"{row.name} by quarter: {points} ({row.table}, line {facts[0].line}).{change}"
        return Answer(
            raw,
            text,
            True,
            tuple(cite(f) for f in facts),
            tuple(value_of(f, row.name) for f in facts) + extra,
            brain="planner",
            chart=tuple((f.period.label, f.value) for f in facts),
            chart_title=f"{row.name} by quarter ({row.table})",
            query=replace(plan, measures=(row_key(row),)),
        )

    def _two(self, question, matches, basis, periods) -> tuple[Fact, Fact, MetricRow]:
        """The later and the earlier figure of one metric, for growth and change questions."""
        if len(periods) >= 2:
            return self._two_named(matches, basis, periods)
        a = periods[0] if periods else None
        fact, row, _ = self._resolve(matches, basis, a)
        if fact is None or fact.period is None:
            raise CalculationError(f"the release has no figure for {ask_label(a)}")
        sequential = SEQUENTIAL_RE.search(question)
        before = previous_quarter(fact.period) if sequential else prior(fact.period)
        other = self._find_period(row, matches, basis, before)
        if other is None:
            raise CalculationError(f"the release has no figure for {before.label}")
        if other.scale != fact.scale:
            fact = self._find_period(row, matches, basis, fact.period, same_scale=other) or fact
        return fact, other, row

    def _two_named(self, matches, basis, periods) -> tuple[Fact, Fact, MetricRow]:
        """The figures of two named periods, later first, at one scale where the release can."""
        f1, row1, _ = self._resolve(matches, basis, periods[0])
        f2, _, _ = self._resolve(matches, basis, periods[1])
        if f1 is None or f2 is None or row1 is None:
            missing = periods[0] if f1 is None else periods[1]
            raise CalculationError(f"the release has no figure for {ask_label(missing)}")
        if f1.period is None or f2.period is None:
            if periods[0].fiscal_year < periods[1].fiscal_year:
                f1, f2 = f2, f1
            return f1, f2, row1
        if _earlier(f1.period, f2.period):
            f1, f2 = f2, f1
        if f1.scale != f2.scale:
            alt = self._find_period(row1, matches, basis, f2.period, same_scale=f1)
            if alt is not None:
                return f1, alt, row1
            alt = self._find_period(row1, matches, basis, f1.period, same_scale=f2)
            if alt is not None:
                return alt, f2, row1
        return f1, f2, row1

    def _calculation(self, raw, question, op, matches, basis, periods, plan) -> Answer:
        if op in {"growth", "difference"}:
            return self._change(raw, question, op, matches, basis, periods, plan)
        if op in {"average", "sum"}:
            return self._combine(raw, op, matches, basis, periods, plan)
        if op in {"share", "margin", "ratio", "minus", "gap", "plus"}:
            return self._two_metrics(raw, question, op, matches, basis, periods, plan)
        raise CalculationError(f"unsupported operation {op}")

    def _change(self, raw, question, op, matches, basis, periods, plan) -> Answer:
        """How a figure moved between two periods: in its unit, in percent or in points."""
        new, old, row = self._two(question, matches, basis, periods)
        relative = new.unit == "percent" and bool(
            RELATIVE_CHANGE_RE.search(question) and not ABSOLUTE_WORD_RE.search(question)
        )
        pct = calculate("growth", [new, old], relative=relative)
        diff = calculate("difference", [new, old])
        wants_points = new.unit == "percent" and not relative
        main = diff if _absolute_asked(question, op, wants_points) else pct
        if COMPARE_RE.search(question) and not wants_points and main is diff:
            word = "larger" if abs(new.value) >= abs(old.value) else "smaller"
            gap = replace(diff, result=abs(diff.result))
            text = (
                f"The {period_label(new)} {lower_first(row.name)} ({new.display()}) was "
                f"{fmt_calc(gap, new)} {word} in magnitude than the {period_label(old)} figure "
                f"({old.display()})."
            )
            return self._calc_answer(raw, text, [new, old], [main], plan, row)
        moved = direction(row.name, base(new), base(old))
        span = (
            f"from {old.display()} {_at(old)} {period_label(old)} to {new.display()} "
            f"{_at(new)} {period_label(new)}."
        )
        if main is pct:
            text = f"{row.name} {moved} {pct.display().lstrip('-')}, {span}"
            if moved.startswith("swung"):
                text += f" As a signed percentage change, that is {pct.display()}."
            return self._calc_answer(raw, text, [new, old], [main], plan, row)
        amount = fmt_calc(replace(diff, result=abs(diff.result)), new)
        text = f"{_moved_by(row.name, moved, amount, new, old)}, {span}"
        if not wants_points and old.value > 0:
            text += f" That is a change of {pct.display()}."
            return self._calc_answer(raw, text, [new, old], [diff, pct], plan, row)
        return self._calc_answer(raw, text, [new, old], [main], plan, row)

    def _combine(self, raw, op, matches, basis, periods, plan) -> Answer:
        """The sum or average of a figure over the quarters asked (a year's, by default)."""
        _, row, _ = self._resolve(matches, basis, None)
        row = row or (self._candidates(matches, basis) or [None])[0]
        if row is None:
            raise CalculationError("no figure to combine")
        rows = [row] + [r for r in self._candidates(matches, basis) if r is not row]
        row, chosen = self._quarters_of(rows, periods)
        if len(chosen) < 2 and not self._quarterly():
            row, chosen = self._years_of(rows, periods)
        if len(chosen) < 2:
            raise CalculationError("the release does not give enough quarterly figures for that")
        calc = calculate(op, chosen)
        parts = ", ".join(f"{period_label(f)} {f.display()}" for f in chosen)
        text = (
            f"The {op} of {row.name} over {period_label(chosen[0])}–{period_label(chosen[-1])} is "
            f"{fmt_calc(calc, chosen[0], places=2)}{unit_word(chosen[0])} ({parts})."
        )
        return self._calc_answer(raw, text, chosen, [calc], plan, row)

    def _quarters_of(self, rows: list[MetricRow], periods) -> tuple[MetricRow, list[Fact]]:
        """The first row printing two or more of the periods asked: the quarters named, the
        years listed, or else the quarters of the years named (the latest year by default)."""
        asks = _combined(periods)
        years = _years_asked(self._q_text, periods)
        if len(years) > 2 and all(a.kind != "quarter" for a in asks):
            asks = [PeriodAsk("bare_year", y) for y in years]
        years = {p.fiscal_year for p in periods if p.kind in {"bare_year", "year"}}
        years = years or {self.ctx.latest_year}
        chosen: list[Fact] = []
        words = self._r().prefer.words
        for r in rows:
            chosen = _one_each(r, asks, words) if asks else _quarters_in(r, years)
            if len(chosen) >= 2:
                return r, sorted(chosen, key=_chronological)
        return rows[0], chosen

    def _quarterly(self) -> bool:
        """The release prints quarters: a sum or average runs over them, never over years."""
        return any(f.period.kind == "quarter" for r in self.ctx.index.rows for f in r.facts)

    def _years_of(self, rows: list[MetricRow], periods) -> tuple[MetricRow, list[Fact]]:
        """For a release without quarters: the years named (a range filled in), one year with
        the year before (an average balance), or every year the row prints."""
        words = self._r().prefer.words
        years = _years_asked(self._q_text, periods)
        if len(years) == 1:
            years = [years[0] - 1, years[0]]
        for r in rows:
            if years:
                chosen = _one_each(r, [PeriodAsk("bare_year", y) for y in years], words)
                if len(chosen) < len(years):
                    continue
            else:
                chosen = _one_per_period(r, words)
            if len(chosen) >= 2:
                return r, chosen if years else sorted(chosen, key=_chronological)
        return rows[0], []

    def _two_metrics(self, raw, question, op, matches, basis, periods, plan) -> Answer:
        ways = {
            "gap": self._gap,
            "ratio": self._ratio_of,
            "margin": self._margin,
            "plus": self._plus,
            "minus": self._minus,
            "share": self._share,
        }
        way = ways.get(op, self._share)
        return way(raw, question, matches, basis, periods, plan)

    def _gap(self, raw, question, matches, basis, periods, plan) -> Answer:
        """The gap between the GAAP and the non-GAAP figure of one period."""
        ask = periods[0] if periods else None
        fact, row, a = self._resolve(matches, "GAAP", ask)
        other = self._counterpart(row, fact, "non-GAAP") if fact and row else None
        if fact is None or other is None:
            raise CalculationError(
                "the release does not give both GAAP and non-GAAP figures for that"
            )
        calc = calculate("difference", [fact, other])
        calc = replace(calc, result=abs(calc.result))
        text = (
            f"The gap between GAAP {lower_first(row.name)} ({fact.display()}) and non-GAAP "
            f"({other.display()}) in {fact.period.label} is {fmt_calc(calc, fact)}."
        )
        return self._calc_answer(raw, text, [fact, other], [calc], plan, row)

    def _ratio_of(self, raw, question, matches, basis, periods, plan) -> Answer:
        """A ratio the question names ('ratio of X to Y', or a ratio defined by name)."""
        ask = periods[0] if periods else None
        q = question
        for name, (num, den, _kind) in RATIO_DEFS.items():
            if name in q.lower():
                return self._ratio(
                    raw, self._metric(num), self._metric(den), basis, ask, "ratio", plan, name
                )
        parts = re.split(
            r"\bto\b|\bover\b|\bdivided by\b|/",
            re.sub(r".*\bratio of\b", "", q, flags=re.I),
            maxsplit=1,
        )
        if len(parts) == 2:
            return self._ratio(
                raw, self._metric(parts[0]), self._metric(parts[1]), basis, ask, "ratio", plan
            )
        raise CalculationError("name the two figures of the ratio, e.g. 'ratio of X to Y'")

    def _margin(self, raw, question, matches, basis, periods, plan) -> Answer:
        """A margin: a result over total revenue."""
        ask = periods[0] if periods else None
        q = question
        m = MARGIN_RE.search(q) or re.search(r"\b(gross)\s+margin", q, re.I)
        key = m.group(1).lower().replace(" ", "-") if m else ""
        num = MARGIN_DEFS.get(key, m.group(1) if m else "")
        return self._ratio(
            raw,
            self._metric(num),
            self._metric("total revenue"),
            basis,
            ask,
            "margin",
            plan,
            f"{m.group(1).lower()} margin" if m else None,
        )

    def _plus(self, raw, question, matches, basis, periods, plan) -> Answer:
        """Two figures added ('X plus Y')."""
        ask = periods[0] if periods else None
        q = question
        left, right = re.split(r"\bplus\b", q, maxsplit=1, flags=re.I)
        fa, ra, fb, rb = self._pair(left, right, basis, ask)
        calc = calculate("sum", [fa, fb]) if fa.scale == fb.scale else None
        if calc is None:
            raise CalculationError("the two figures are printed at different scales")
        text = (
            f"{ra.name} ({fa.display()}) plus {lower_first(rb.name)} ({fb.display()}) "
            f"{_when(fa)} is {fmt_calc(calc, fa)}."
        )
        return self._calc_answer(raw, text, [fa, fb], [calc], plan, ra)

    def _minus(self, raw, question, matches, basis, periods, plan) -> Answer:
        """One figure less another ('X minus Y'; free cash flow)."""
        ask = periods[0] if periods else None
        q = question
        if not MINUS_RE.search(q):
            q = "operating cash flow minus purchase of property and equipment"
        left, right = MINUS_RE.split(q, maxsplit=1)
        left = re.sub(r".*\bas\b", "", left, flags=re.I)
        fa, ra, fb, rb = self._pair(left, right, basis, ask)
        b_val = abs(fb.value) if fb.value < 0 and fa.unit == fb.unit else fb.value
        fb_pos = replace(fb, value=b_val)
        calc = calculate("difference", [fa, fb_pos])
        text = (
            f"{ra.name} ({fa.display()}) minus {lower_first(rb.name)} ({format_value(b_val, fb.unit, fb.scale)}) "
            f"{_when(fa)} is {fmt_calc(calc, fa)}."
        )
        return self._calc_answer(raw, text, [fa, fb], [calc], plan, ra)

    def _pair(self, left: str, right: str, basis, ask):  # noqa: ANN001, ANN202
        """The two figures 'X plus Y' or 'X minus Y' name, for one period, with their rows."""
        fa, ra, _ = self._resolve(self._metric(left), basis, ask)
        fb, rb, _ = self._resolve(self._metric(right), basis, ask)
        if fa is None or fb is None or ra is None or rb is None:
            raise CalculationError("the release does not give both figures for that period")
        return fa, ra, fb, rb

    def _share(self, raw, question, matches, basis, periods, plan) -> Answer:
        """A share of a whole: the whole is what follows 'of' when it names a row, else revenue."""
        ask = periods[0] if periods else None
        q = question
        # share of a whole: the whole is what follows "of" when it names a row, else revenue
        num_m, den_m = self._split_share(q)
        if (
            num_m
            and num_m[0].row.unit == "percent"
            or (matches and matches[0].row.unit == "percent")
        ):
            return self._lookup(raw, question, matches, basis, periods, plan)
        fraction = FRACTION_RE.search(q) and not PERCENT_WORD_RE.search(q)
        return self._ratio(raw, num_m, den_m, basis, ask, "ratio" if fraction else "margin", plan)

    def _split_share(self, q: str) -> tuple[list[Match], list[Match]]:
        m = SHARE_RE.search(q)
        if m:
            before, after = q[: m.start()], q[m.end() :]
            part_whole = re.split(
                r"\bout of\b|\bamong\b|\bin (?=(?:the )?total\b)|\bover\b", after, maxsplit=1
            )
            if len(part_whole) == 2:
                num_m, den_m = self._metric(part_whole[0]), self._metric(part_whole[1])
                if num_m and den_m and num_m[0].row is not den_m[0].row:
                    return num_m, den_m
            after_parts = re.split(
                r"\bcame from\b|\bwas\b|\bwere\b|\bfrom\b|\bcomes from\b|\bis\b|\bare\b|\bdoes\b"
                r"|\bwent to\b|\bgoes to\b|\bspent on\b",
                after,
                maxsplit=1,
            )
            den_phrase = after_parts[0]
            num_phrase = before + " " + (after_parts[1] if len(after_parts) > 1 else "")
            num_m = self._metric(num_phrase)
            den_m = self._metric(den_phrase)
            if num_m and den_m and num_m[0].row is not den_m[0].row:
                return num_m, den_m
        return self._metric(q), self._metric("total revenue")

    def _ratio(self, raw, num_m, den_m, basis, ask, op, plan, name: str | None = None) -> Answer:
        fa, ra, a = self._resolve(num_m, basis, ask)
        if fa is None:
            raise CalculationError("the release has no figure for the numerator in that period")
        fb = self._denominator(den_m, basis, fa)
        rb = den_m[0].row if den_m else None
        if fb is None and TOTAL_RE.search(self._q_text):
            rb, fb = self._total_below(fa)
        if ra is not None and (rb is None or rb is ra):
            rb, fb = self._same_line_later(ra, rb, fb)
        if fb is None or ra is None or rb is None:
            raise CalculationError("the release has no figure for the denominator in that period")
        if fb == fa:
            raise CalculationError("the part and the whole it names are the same figure")
        op = percent_or_fraction(op, self._q_text)
        calc = calculate(op, [fa, fb])
        label = name or f"{ra.name} as a share of {lower_first(rb.name)}"
        shown = calc.display(2) if op == "ratio" else calc.display(1)
        text = (
            f"{label[0].upper()}{label[1:]} {_when(fa)} was {shown}, computed from "
            f"the release's figures as {fa.display()} / {fb.display()}."
        )
        return self._calc_answer(raw, text, [fa, fb], [calc], plan, ra)

    def _denominator(self, den_m: list[Match], basis, fa: Fact) -> Fact | None:  # noqa: ANN001
        """The whole's figure for the part's period, or for its column when that is no period."""
        if not den_m:
            return None
        if fa.period is not None:
            return self._find_period(den_m[0].row, den_m, basis, fa.period)
        return next((f for f in den_m[0].row.undated if f.column == fa.column), None)

    def _same_line_later(self, ra: MetricRow, rb, fb):  # noqa: ANN001, ANN202
        """'X in 2019 to 2018', '2019 X as a percentage of 2018 X': one line over two periods,
        the second period named being the denominator's."""
        asks = find_periods(self._q_text, self.ctx.calendar, self.ctx.latest_year)
        if len(asks) != 2 or _ask_key(asks[0]) == _ask_key(asks[1]):
            return rb, fb
        later = facts_for(ra, asks[1])
        return (ra, later[0]) if later else (rb, fb)

    def _total_below(self, fa: Fact) -> tuple[MetricRow | None, Fact | None]:
        """The whole a part adds up to when the question's 'total' names no line: the nearest
        line labelled just 'Total' below the part in its table, in the part's column."""
        below = [
            m.row
            for m in self.ctx.index.totals()
            if m.row.table_index == fa.table_index and _first_line(m.row) > fa.line
        ]
        for row in sorted(below, key=_first_line):
            hit = next((f for f in row.facts + row.undated if f.column == fa.column), None)
            if hit is not None:
                return row, hit
        return None, None

    def _calc_answer(
        self, raw, text, facts: list[Fact], calcs: list[Calculation], plan, row
    ) -> Answer:
        return calc_answer(raw, text, facts, calcs, replace(plan, measures=(row_key(row),)))

    def _narrative(self, raw: str, question: str, periods, strict: bool = False) -> Answer:
        return answer_prose(raw, question, self.ctx, self.passages, strict)

    def _holds_hint(self) -> str:
        return self.ctx.holds()

    def _found(self, raw, text, citations, values, plan) -> Answer:
        return found(raw, text, citations, values, plan)

    def _not_found(self, raw, text, plan) -> Answer:
        return not_found(raw, text, plan)

    _refuse = _not_found
    _table_hint: re.Pattern[str] | None = None
    _q_text = ""


FIGURE_RE = re.compile(r"\(?\$?\s*\d[\d,]*(?:\.\d+)?\)?")
FIGURE_RUN = 6


def figure_run(text: str) -> bool:
    """More figures than a sentence holds: a table's text."""
    return len(FIGURE_RE.findall(text)) > FIGURE_RUN


def scale_asked(text: str) -> str | None:
    """The scale a question asks an amount in ('in billions of dollars'), or None."""
    m = re.search(r"\bin (thousands|millions|billions)\b", text, re.I)
    return m.group(1).lower() if m else None


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
    if not q.confident or q.periods or best is None or SERIES_RE.search(q.text):
        return False
    return best.question_coverage < 0.8 or bool(NARRATIVE_RE.match(q.text))


def _vague(q: Query) -> tuple[bool, bool] | None:
    best, periods = q.best, q.periods
    numeric = bool(NUMERIC_RE.search(q.text)) or bool(periods)
    wordy = NARRATIVE_RE.match(q.text) and not numeric and best is not None and best.score < 0.8
    if (q.confident and not wordy) or (q.confident and numeric):
        return None
    return numeric and bool(periods), not (periods and best is not None and best.score >= 0.4)


def _combined(periods: list[PeriodAsk]) -> list[PeriodAsk]:
    """The periods a sum or average runs over when named: quarters, or two or more years."""
    qs = [p for p in periods if p.kind == "quarter"]
    listed = [p for p in periods if p.kind in {"bare_year", "year"}]
    return qs or (listed if len(listed) >= 2 else [])


def _years_asked(text: str, periods: list[PeriodAsk]) -> list[int]:
    """The years a question names, a range ('from 2015 to 2019', '2017-2019') filled in."""
    if any(p.kind not in {"bare_year", "year", "instant"} for p in periods):
        return []
    years = sorted({p.fiscal_year for p in periods})
    if len(years) == 2 and YEAR_RANGE_RE.search(text):
        return list(range(years[0], years[1] + 1))
    return years


def _one_per_period(row: MetricRow, words: frozenset[str]) -> list[Fact]:
    """A row's one figure for each year or balance date it prints, when it prints one."""
    periods = {f.period for f in row.facts if f.period is not None and f.period.kind != "quarter"}
    out = []
    for p in periods:
        facts = by_member([f for f in row.facts if f.period == p], words)
        if len(facts) != 1:
            return []
        out.append(facts[0])
    return out


def _one_each(row: MetricRow, asks: list[PeriodAsk], words: frozenset[str]) -> list[Fact]:
    """A row's one figure for each period asked, the column the question names among several
    ('Widgets' of a row printed for each segment); nothing when a period has several."""
    said = words - set(row.primary) - set(row.secondary)  # a label's words name no column
    found = [by_member(facts_for(row, a), said) for a in asks]
    return [] if any(len(fs) > 1 for fs in found) else [f for fs in found for f in fs]


def _quarters_in(row: MetricRow, years: set[int]) -> list[Fact]:
    return [f for f in row.facts if f.period.kind == "quarter" and f.period.fiscal_year in years]


def _quarter_count(row: MetricRow) -> int:
    return sum(1 for f in row.facts if f.period.kind == "quarter")


def _moved(first: Fact, last: Fact) -> tuple[str, tuple[Value, ...]]:
    """How a series moved from its first point to its last, in percent."""
    if first.value == 0 or first.unit == "percent":
        return "", ()
    calc = calculate("growth", [last, first])
    value = Value("growth", calc.result, calc.display(), calc.unit, last.period.label)
    return (
        f" From {first.period.label} to {last.period.label} it moved from {first.display()} "
        f"to {last.display()} ({calc.display()}).",
        (value,),
    )


def _at(f: Fact) -> str:
    return "as of" if f.period is not None and f.period.kind == "instant" else "in"


def _moved_by(name: str, moved: str, amount: str, new: Fact, old: Fact) -> str:
    """'X fell by N', or across zero 'X fell by N and swung to a loss': the amount moves with
    the sign, the swing is said beside it."""
    if not moved.startswith("swung"):
        return f"{name} {moved} by {amount}"
    verb = "rose" if base(new) > base(old) else "fell"
    return f"{name} {verb} by {amount} and {moved}"


def _moves(text: str) -> bool:
    """'from A to B' names the old column first: the move is B against A."""
    return bool(re.search(r"\bfrom\b.+\bto\b", text, re.I))


def _chronological(f: Fact) -> tuple[int, int, str]:
    p = f.period
    return (p.fiscal_year, p.quarter or 0, p.kind) if p is not None else (0, 0, f.column)


def _when(f: Fact) -> str:
    """'as of' a balance date, 'in' a period, or 'in' the column a figure stands in."""
    if f.period is None:
        return f"in {f.member or f.column}"
    return f"{'as of' if f.period.kind == 'instant' else 'in'} {f.period.label}"


def _earlier(a: Period, b: Period) -> bool:
    if a.end and b.end and a.end < b.end:
        return True
    return (a.fiscal_year, a.quarter or 5) < (b.fiscal_year, b.quarter or 5)


def _ask_key(ask: PeriodAsk) -> tuple[int, int | None]:
    return ask.fiscal_year, ask.quarter


def _first_line(row: MetricRow) -> int:
    return min((f.line for f in row.facts + row.undated), default=0)


def _absolute_asked(question: str, op: str, wants_points: bool) -> bool:
    """A change in the figure's own unit (dollars, days, points) rather than in percent."""
    asked = ABSOLUTE_ASK_RE.search(question) or CHANGE_WORD_RE.search(question)
    absolute = bool(asked) and not PERCENT_WORD_RE.search(question)
    if wants_points or absolute or (op == "difference" and not PERCENT_ASK_RE.search(question)):
        return True
    return not (PERCENT_ASK_RE.search(question) or op == "growth")
