"""Resolution: the rows a question's measure names, and the one printed figure for a period.

Pure over the release's `MetricIndex`; a `Resolver` is made per question (its `Preference`
holds what that question prefers: a table it names, counted units), so nothing is shared
between questions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from bot.intent import aliases_of
from bot.metrics import Match, MetricIndex, MetricRow, expand
from bot.text import content_tokens, tokens
from index.facts import Fact
from index.periods import Period, PeriodAsk

if TYPE_CHECKING:
    from bot.context import Context

Found = tuple[Fact | None, MetricRow | None, PeriodAsk | None]
COUNTING_RE = re.compile(r"\bhow many\b|\bcount\b", re.I)
COUNTED_UNITS = frozenset({"count", "shares", "days"})
SPACED_YEAR_RE = re.compile(r"\b(?:\d ){3}\d\b")
# Columns that print a move rather than a member's figure ('Change', '% Change', 'Variance').
MOVE_MEMBER_RE = re.compile(r"change|variance|%|increase|decrease|growth", re.I)
PERCENT_WORDS = frozenset({"percent", "percentage", "proportion", "share"})
# A column headed as a percentage ('% of total revenue', 'Percent of sales') holds one, whatever
# unit its bare cells ('34') were read in.
PERCENT_COLUMN_RE = re.compile(r"%|\bpercent(?:age)?\b", re.I)
# A question asking a figure in percent ('the percentage of sales', 'as a share of'), not a
# percentage change of an amount ('the percentage change in net sales').
PERCENT_ASKED_RE = re.compile(
    r"(?:\bpercent(?:age)?\b|%|\bproportion\b|\bshare of\b)"
    r"(?!\s*(?:change|increase|decrease|growth|decline|difference|rise|fall|drop|movement)\b)",
    re.I,
)


@dataclass(frozen=True)
class Preference:
    """What one question prefers among near-equal rows: a table it names, counted units."""

    table: re.Pattern[str] | None = None
    counting: bool = False
    words: frozenset[str] = frozenset()
    order: tuple[str, ...] = ()
    percent: bool | None = None

    @classmethod
    def of(cls, question: str, table: re.Pattern[str] | None = None) -> Preference:
        said = tokens(question)
        counting = bool(COUNTING_RE.search(question))
        percent = bool(PERCENT_ASKED_RE.search(question))
        return cls(table, counting, frozenset(said), tuple(said), percent)


@dataclass(frozen=True)
class Resolver:
    index: MetricIndex
    prefer: Preference = Preference()

    def rows(self, phrase: str) -> list[Match]:
        """The rows a phrase names, best first."""
        return self.index.match(
            content_tokens(expand(phrase, self.index.phrases, self.index.printed))
        )

    def same_concept(self, rows: list[MetricRow]) -> list[MetricRow]:
        """The rows and their twins in other tables (the same label and unit)."""
        out = list(rows)
        for r in self.index.rows:
            if r not in out and any(r.primary == x.primary and r.unit == x.unit for x in rows):
                out.append(r)
        return out

    def basis_variants(
        self, rows: list[MetricRow], basis: str, words: list[str] | None = None
    ) -> list[Match]:
        """The rows that restate a metric on the other basis ("and non-GAAP?"): the same label
        first; else the rows of that basis sharing most of its words, the question's own words
        ("diluted") breaking ties."""
        keys = {tuple(r.primary) for r in rows}
        exact = [
            Match(r, 1.0, 1.0, 1.0)
            for r in self.index.rows
            if r.basis == basis and tuple(r.primary) in keys
        ]
        if exact:
            return exact
        asked = set(words or [])
        scored: list[tuple[float, MetricRow]] = []
        for r in self.index.rows:
            if r.basis != basis or not r.primary:
                continue
            mine = set(r.primary)
            share = max(len(mine & set(k)) / len(mine | set(k)) for k in keys if k)
            if share >= 0.5:
                scored.append((share + 0.2 * len(mine & asked), r))
        scored.sort(key=lambda x: -x[0])
        return [Match(r, 1.0, 1.0, 1.0) for sc, r in scored if sc >= scored[0][0] - 1e-9]

    def candidates(
        self, matches: list[Match], basis: str | None, window: float = 0.12
    ) -> list[MetricRow]:
        """The near-best rows, in the order a figure is taken from them."""
        if not matches:
            return []
        top = matches[0].score
        near = self._near(matches, basis, top, window)
        core = _core(matches[0].row)
        rows = [m.row for m in sorted(near, key=lambda m: self._rank(m, basis, top, core))]
        rows = [r for r in rows if not self._part_named(r, rows)]
        return agreeing(rows)

    def _part_named(self, row: MetricRow, rows: list[MetricRow]) -> bool:
        """A row the question narrows to a line standing under it ('nonvested shares granted':
        the grants, not the nonvested balance): not the figure asked."""
        said = self.prefer.words
        return any(
            r.table_index == row.table_index
            and r.row[:-1] == row.row
            and all(t in said for t in r.primary)
            for r in rows
        )

    def _near(
        self, matches: list[Match], basis: str | None, top: float, window: float
    ) -> list[Match]:
        """Rows within `window` of the best; a little further for a table the question names,
        the basis it asks for, or a count when it asks how many ('how many shares ... EPS')."""
        near = [m for m in matches if m.score >= top - window]
        hint = self.prefer.table
        if hint is not None:
            near += _further(matches, near, top - 0.35, lambda r: bool(hint.search(r.table)))
        if basis and not any(m.row.basis == basis for m in near):
            near += _further(matches, near, top - 0.3, lambda r: r.basis == basis)
        if self.prefer.counting and not any(m.row.unit in COUNTED_UNITS for m in near):
            near += _further(matches, near, top - 0.2, lambda r: r.unit in COUNTED_UNITS)
        return near

    def _rank(self, m: Match, basis: str | None, top: float, core: str = "") -> tuple:
        return (
            0 if self.prefer.table is None or self.prefer.table.search(m.row.table) else 1,
            _basis_rank(m.row.basis, basis),
            0 if not self.prefer.counting or m.row.unit in COUNTED_UNITS else 1,
            m.row.precision,
            round((top - m.score) / 0.05),
            0 if _core(m.row) != core or _is_total(m.row) == self._says_total else 1,
            0 if "diluted" in " ".join(m.row.row).lower() else 1,
            m.row.table_index,
        )

    @property
    def _says_total(self) -> bool:
        return "total" in self.prefer.words

    def resolve(self, matches: list[Match], basis: str | None, ask: PeriodAsk | None) -> Found:
        """The one printed figure for the period asked: a balance first for a balance date, then
        the best row that prints exactly one figure, then a row printed under another name."""
        rows = self.candidates(matches, basis)
        found = (
            self._balance(matches, basis, ask, rows)
            or single(rows, ask, strict=True, words=self.prefer.words, percent=self.prefer.percent)
            or (self.member_fact(rows) if ask is None else None)
            or self._alias(rows, basis, ask)
            or single(rows, ask, strict=False, words=self.prefer.words, percent=self.prefer.percent)
        )
        return found or (None, (rows[0] if rows else None), ask)

    def _balance(
        self, matches: list[Match], basis: str | None, ask: PeriodAsk | None, rows: list[MetricRow]
    ) -> Found | None:
        """At a balance date (or a bare year of a balance), the one balance a row prints."""
        if ask is None or not (
            ask.kind == "instant" or (ask.kind == "bare_year" and rows and rows[0].is_stock)
        ):
            return None
        near = self.candidates(matches, basis, window=0.35)
        # The wide window lets in rows of another unit ('Net income per share' beside 'Net
        # income'): the best match's unit comes first.
        near.sort(key=lambda r: r.unit != matches[0].row.unit)
        for row in near:
            if ask.kind == "instant" or row.is_stock:
                facts = [
                    f
                    for f in facts_for(row, ask, True)
                    if f.period is not None and f.period.kind == "instant"
                ]
                if len(facts) == 1:
                    return facts[0], row, ask
        return None

    def _alias(
        self, rows: list[MetricRow], basis: str | None, ask: PeriodAsk | None
    ) -> Found | None:
        """The figure printed under another name for the same concept (capex, PP&E purchases)."""
        if not rows or ask is None:
            return None
        for alias in aliases_of(rows[0].name):
            for alt in self.candidates(self.rows(alias), basis)[:2]:
                facts = facts_for(alt, ask, True)
                if len(facts) == 1:
                    return facts[0], alt, ask
        return None

    def member_fact(self, rows: list[MetricRow]) -> Found | None:
        """A cell whose column is not a period ('Americas', 'Change'), when the question names
        its member."""
        for row in rows[:3]:
            named = [f for f in row.undated if _names_member(f, self.prefer.words)]
            if len(named) == 1:
                return named[0], row, None
        return None

    def members_named(
        self, matches: list[Match], basis: str | None, ask: PeriodAsk | None
    ) -> tuple[MetricRow, list[Fact]] | None:
        """Two or more columns of one row the question names by member ('the domestic and
        international discount rates'), in the order it names them, for the period asked."""
        for row in self.candidates(matches, basis)[:3]:
            a = ask or default_period(row)
            facts = list(dict.fromkeys((facts_for(row, a) if a else []) + list(row.undated)))
            named = [
                f
                for f in facts
                if f.member
                and not MOVE_MEMBER_RE.search(f.member)
                and _names_member(f, self.prefer.words)
            ]
            if len({f.member for f in named}) == len(named) >= 2:
                return row, sorted(named, key=lambda f: self._named_at(f))
        return None

    def _named_at(self, f: Fact) -> int:
        """Where the question first names a column's member."""
        parts = [t for t in tokens(f.member or "") if not t.isdigit()]
        at = [i for i, w in enumerate(self.prefer.order) if w in parts]
        return at[0] if at else len(self.prefer.order)

    def find_period(
        self,
        row: MetricRow,
        matches: list[Match],
        basis: str | None,
        period: Period,
        same_scale: Fact | None = None,
    ) -> Fact | None:
        """The figure of a row (or its near twins) for an exact period."""
        ask = PeriodAsk(period.kind, period.fiscal_year, period.quarter, period.end)
        for r in [row, *self.candidates(matches, basis)]:
            for f in facts_for(r, ask):
                if same_scale is None or f.scale == same_scale.scale:
                    return f
        return None

    def counterpart(self, row: MetricRow, fact: Fact, basis: str) -> Fact | None:
        """The same figure on the other basis, when the release prints it."""
        for r in self.index.rows:
            if r.basis == basis and r.primary == row.primary and r.unit == row.unit:
                for f in r.facts:
                    if f.period == fact.period:
                        return f
        return None


def _basis_rank(row_basis: str | None, asked: str | None) -> int:
    """Asked no basis, a reported figure (GAAP, or a line no basis applies to) comes before a
    non-GAAP one; asked a basis, its rows first."""
    if asked is None:
        return 2 if row_basis == "non-GAAP" else 0
    if asked == "non-GAAP" and row_basis is None:
        return 3
    want = asked or "GAAP"
    return 0 if row_basis == want else (1 if row_basis is None else 2)


def _further(
    matches: list[Match], near: list[Match], floor: float, wanted: Callable[[MetricRow], bool]
) -> list[Match]:
    """The matches not yet near, scoring at least `floor`, of rows `wanted`."""
    return [m for m in matches if m not in near and m.score >= floor and wanted(m.row)]


def agreeing(rows: list[MetricRow]) -> list[MetricRow]:
    """The first row, and the rows after it that do not print another figure where it prints
    one: a row the question may equally mean, in the same unit, that does (R&D expense, and the
    stock-based compensation within R&D in a table of its effects) is another measure, so it
    never stands in for the first row's missing periods. The same figure rounded to another
    scale agrees; a row printed on the other basis is told apart by its basis."""
    if not rows:
        return rows
    first = rows[0]
    printed = {(f.period, f.member): f for f in first.facts if f.period is not None}
    return [first] + [r for r in rows[1:] if not _contradicts(r, first, printed)]


def _contradicts(twin: MetricRow, row: MetricRow, printed: dict[tuple, Fact]) -> bool:
    if twin.unit != row.unit or (twin.basis and row.basis and twin.basis != row.basis):
        return False
    for f in twin.facts:
        other = printed.get((f.period, f.member))
        if other is not None and not _same_figure(f, other):
            return True
    return False


def _same_figure(a: Fact, b: Fact) -> bool:
    x, y = a.absolute, b.absolute
    return abs(x - y) <= max(abs(x), abs(y)) * Decimal("0.01")


def single(
    rows: list[MetricRow],
    ask: PeriodAsk | None,
    strict: bool,
    words: frozenset[str] = frozenset(),
    percent: bool | None = None,
) -> Found | None:
    """The first row that prints exactly one figure for the period asked (or its latest); of
    several columns for that period, the one whose member the question names."""
    for row in rows:
        a = ask or default_period(row)
        if a is None:
            continue
        facts = by_member(facts_for(row, a, strict), words, percent)
        if len(facts) == 1:
            return facts[0], row, a
    return None


def by_member(facts: list[Fact], words: frozenset[str], percent: bool | None = None) -> list[Fact]:
    """Of a period's cells in several columns, those whose member the question names, else
    those of no member; of an amount and its percentage both named ('net sales' and '% of
    total' by 'the percentage of total net sales'), the one in the unit asked. `percent`: the
    question asks a percentage (None: read from its words alone)."""
    if len(facts) <= 1:
        return facts
    named = [f for f in facts if _names_member(f, words)]
    if len(named) == 2 and len({percent_cell(f) for f in named}) == 2:
        return _in_unit_asked(named, words, percent) or named
    if named:
        return named
    plain = [f for f in facts if not f.member]
    if len({percent_cell(f) for f in plain}) > 1:
        return _in_unit_asked(plain, words, percent)
    return plain or _in_unit_asked(facts, words, percent)


def _in_unit_asked(
    facts: list[Fact], words: frozenset[str], percent: bool | None = None
) -> list[Fact]:
    """Of a period's amount and its percentage ('Amount' and '% of total revenue' under 2019),
    the one in the unit the question asks: the percentage when it says so, else the amount;
    nothing when that still leaves several."""
    if percent is None:
        percent = bool(PERCENT_WORDS & words)
    kept = [
        f for f in facts if percent_cell(f) == percent and not MOVE_MEMBER_RE.search(f.member or "")
    ]
    return kept if len(kept) == 1 else []


def percent_cell(f: Fact) -> bool:
    """A percentage: printed as one, or standing in a column headed as one."""
    return f.unit == "percent" or bool(PERCENT_COLUMN_RE.search(f.column))


def most_named(facts: list[Fact], words: frozenset[str]) -> list[Fact]:
    """Of the cells whose member the question names, those whose member has the most words
    ('Less Than 1 Year' over '2-5 Years', which the one word 'year' names)."""
    named = [(len(_member_words(f)), f) for f in facts if _names_member(f, words)]
    top = max((n for n, _ in named), default=0)
    return [f for n, f in named if n == top]


def _member_words(f: Fact) -> list[str]:
    return [t for t in tokens(f.member or "") if not t.isdigit()]


def _names_member(f: Fact, words: frozenset[str]) -> bool:
    """Every word of the column's member is the question's, a plural for a singular too
    ('revenue' names 'Revenues')."""
    parts = [_singular(t) for t in tokens(f.member or "") if not t.isdigit()]
    said = {_singular(w) for w in words}
    return bool(parts) and all(p in said for p in parts)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def default_period(row: MetricRow) -> PeriodAsk | None:
    """The latest quarter (or balance date) a row prints: the period of a question naming none."""
    periods = sorted(
        {f.period for f in row.facts if f.period is not None},
        key=lambda p: (p.fiscal_year, p.quarter or 5, p.kind),
    )
    if not periods:
        return None
    quarters = [p for p in periods if p.kind in {"quarter", "instant"}]
    p = quarters[-1] if quarters else periods[-1]
    return PeriodAsk(p.kind, p.fiscal_year, p.quarter, p.end, assumed_year=True, start=-1)


def facts_for(row: MetricRow, ask: PeriodAsk | None, strict: bool = False) -> list[Fact]:
    """The row's figures for a period asked; a bare year is the fiscal year for a flow and the
    year-end for a balance; failing that, the row's one figure for that year however dated."""
    facts = [f for f in row.facts if f.period is not None]
    if ask is None:
        return []
    balance = row.is_stock or any(f.period.kind == "instant" for f in facts)
    if strict and ask.kind == "instant" and not balance:
        return []
    kind = ("instant" if row.is_stock else "year") if ask.kind == "bare_year" else ask.kind
    if kind in IN_PART_OF_YEAR:
        return IN_PART_OF_YEAR[kind](facts, ask)
    if kind not in {"year", "instant"}:
        return []
    if kind == "year":
        hit = _in_year(facts, ask.fiscal_year, row.is_stock)
    else:
        hit = _at_instant(facts, ask)
    return hit or _otherwise_dated(row, facts, ask, strict)


def _in_ytd(facts: list[Fact], ask: PeriodAsk) -> list[Fact]:
    """The six- or nine-month column of the fiscal year asked."""
    want = ("ytd", ask.fiscal_year, ask.quarter)
    return [f for f in facts if (f.period.kind, f.period.fiscal_year, f.period.quarter) == want]


def _otherwise_dated(row: MetricRow, facts: list[Fact], ask: PeriodAsk, strict: bool) -> list[Fact]:
    """A year or a balance date asked of a row dated some other way: the year that ends in that
    date's year, the one date in that year, or (not strict) a column headed by that year."""
    if ask.kind == "instant" and ask.end is not None:
        return _year_ended(facts, ask.end)
    yearly = ask.kind in {"bare_year", "year"} or (
        ask.kind == "instant" and ask.quarter in {None, 4}
    )
    if not yearly or ask.end is not None:
        return []
    dated = _dated_in_year(facts, ask.fiscal_year) or _ending_early_in(facts, ask.fiscal_year)
    return dated or ([] if strict else _headed_by_year(row, ask.fiscal_year))


def _year_ended(facts: list[Fact], end: date) -> list[Fact]:
    """A balance date asked of a row printed by fiscal year ('as at December 31, 2019' of a
    '2019' column): the year that ends in that date's year, when the row prints no dates."""
    if any(f.period.end is not None for f in facts):
        return []
    hit = [f for f in facts if f.period.kind == "year" and f.period.fiscal_year == end.year]
    return hit if len({f.period for f in hit}) == 1 else []


def _headed_by_year(row: MetricRow, year: int) -> list[Fact]:
    """A column whose header prints the year though it was not read as a period ('2018
    Restated', 'December 31 2 0 1 8'): its figures, when one column of the row says that year."""
    said = re.compile(rf"(?<!\d){year}(?!\d)")
    hit = [
        f
        for f in [*row.facts, *row.undated]
        if said.search(SPACED_YEAR_RE.sub(lambda m: m.group(0).replace(" ", ""), f.column))
        and not (f.period is not None and f.period.fiscal_year != year)
    ]
    return hit if len({f.column for f in hit}) == 1 else []


def _dated_in_year(facts: list[Fact], year: int) -> list[Fact]:
    """A bare year of a row that prints one figure per year under another kind of date ('2019'
    of a row dated 'September 30, 2019'): that year's one period's figures."""
    hit = [f for f in facts if f.period.fiscal_year == year and f.period.kind != "quarter"]
    return hit if len({f.period for f in hit}) == 1 else []


def _ending_early_in(facts: list[Fact], year: int) -> list[Fact]:
    """A calendar year asked of a row whose 52/53-week fiscal year ends in that year's first days
    ('2020' of the year ended January 3, 2020, fiscal 2019), when no period is that fiscal year."""
    hit = [
        f
        for f in facts
        if f.period.kind != "quarter"
        and f.period.end is not None
        and f.period.end.year == year == f.period.fiscal_year + 1
    ]
    return hit if len({f.period for f in hit}) == 1 else []


def _in_year(facts: list[Fact], fy: int, stock: bool) -> list[Fact]:
    hit = [f for f in facts if f.period.kind == "year" and f.period.fiscal_year == fy]
    return hit or (year_end(facts, fy) if stock else [])


def _in_quarter(facts: list[Fact], ask: PeriodAsk) -> list[Fact]:
    def at(kind: str) -> list[Fact]:
        return [
            f
            for f in facts
            if f.period.kind == kind
            and f.period.fiscal_year == ask.fiscal_year
            and f.period.quarter == ask.quarter
        ]

    return at("quarter") or at("instant")


def _at_instant(facts: list[Fact], ask: PeriodAsk) -> list[Fact]:
    if ask.end is not None:
        for kind in ("instant", "quarter", "year"):
            hit = [f for f in facts if f.period.end == ask.end and f.period.kind == kind]
            if hit:
                return hit
        return []
    hit = year_end(facts, ask.fiscal_year)
    if not hit and ask.quarter is None:
        hit = [
            f for f in facts if f.period.kind == "year" and f.period.fiscal_year == ask.fiscal_year
        ]
    return hit


def year_end(facts: list[Fact], fy: int) -> list[Fact]:
    """The balance at a fiscal year's end: its Q4 balance date, else its Q4 figure."""
    for kind in ("instant", "quarter"):
        hit = [
            f
            for f in facts
            if f.period.kind == kind and f.period.fiscal_year == fy and f.period.quarter == 4
        ]
        if hit:
            return hit
    return []


@dataclass(frozen=True)
class Lookup:
    """What the release prints for a metric in the periods asked, and its corroboration (the
    same figure printed in another table)."""

    metric: str
    period: str | None
    facts: tuple[Fact, ...]
    corroboration: tuple[Fact, ...] = ()
    message: str = ""


def lookup(
    ctx: Context, metric: str, period: str | None = None, basis: str | None = None
) -> Lookup:
    """The public resolver: a metric phrase and a period phrase to the printed figures. The
    tools and the agent call this; the answering pipeline resolves through the same Resolver."""
    resolver = Resolver(ctx.index)
    matches = resolver.rows(metric)
    if not matches:
        return Lookup(metric, period, (), message=f"no table row matches '{metric}'")
    b = basis if basis in {"GAAP", "non-GAAP"} else None
    asks = _period_asks(ctx, period) or [None]
    found = [f for ask in asks if (f := resolver.resolve(matches, b, ask)[0]) is not None]
    if not found:
        row = matches[0].row
        have = sorted({f.period.label for f in row.facts})
        return Lookup(metric, period, (), message=f"'{row.name}' is given for: {', '.join(have)}")
    return Lookup(metric, period, tuple(found), _corroboration(ctx, matches[0].row, found))


def _period_asks(ctx: Context, period: str | None) -> list[PeriodAsk]:
    from bot.relative import anchored, made_explicit
    from index.periods import find_periods

    if not period:
        return []
    asks = list(find_periods(period, ctx.calendar, ctx.latest_year))
    return asks or made_explicit(anchored(period), [], ctx.latest_year, ctx.latest_quarter)


def _corroboration(ctx: Context, row: MetricRow, found: list[Fact]) -> tuple[Fact, ...]:
    """The same figures printed in other tables (the same label, period and basis)."""
    return tuple(
        f
        for r in ctx.index.rows
        if r.primary == row.primary
        for f in r.facts
        if f not in found and any(f.period == x.period and _same_basis(f, x) for x in found)
    )


def _same_basis(a: Fact, b: Fact) -> bool:
    """Corroboration restates the same figure: a GAAP value never corroborates a non-GAAP one."""
    return a.basis == b.basis or None in (a.basis, b.basis)


def _is_total(row: MetricRow) -> bool:
    """A line that totals others ('Total other operating expenses')."""
    return row.row[-1].strip().lower().startswith("total")


def _core(row: MetricRow) -> str:
    """A line's label without its 'Total': 'Other operating expenses' and 'Total other
    operating expenses' are look-alikes a question tells apart by saying 'total' or not."""
    return re.sub(r"^total\s+", "", row.row[-1].strip().lower())


IN_PART_OF_YEAR = {"quarter": _in_quarter, "ytd": _in_ytd}
