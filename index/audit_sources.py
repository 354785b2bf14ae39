"""Audit checks that tie a figure to where it comes from in another table.

- adjustment: every adjustment of a "Reconciliation of X" equals its source: the statement row
  above X it names ("Restructuring and other costs"), or the note table whose total it names
  ("Total stock-based compensation expense"), restricted to the note's rows that fall above X
  in the statement (cost of revenue rows for gross profit).
- supplemental: a quarterly figure restates a statement line it names in other words (or, from
  a data file of general finance usage, under another name): a balance at the quarter's end
  equals the balance sheet; the four quarters of a flow add up to the year.
- composition: percentages that share a section and add up to 100 in most columns must do so
  in every one.

Nothing here knows a release: the links come from labels, sections and periods.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from index.audit import HALF, ZERO, Check, _base, _precision, _raw, _short, _trim, concept_of
from index.facts import SCALES, Fact
from index.periods import Period
from index.tables import ROW_SCALE_RE

EQUIVALENTS_FILE = Path(__file__).with_name("equivalent_lines.txt")
STOP_WORDS = frozenset(
    {"and", "of", "the", "to", "from", "in", "on", "for", "by", "net", "total", "a", "an"}
)
# Words every cash-flow label shares: a line is named by the others.
FLOW_WORDS = frozenset({"cash", "used", "provided", "activities", "flow", "flows"})
ONE_HUNDRED = Decimal(100)
# A row under such a heading (or so named) is a movement over the period, never a balance.
CHANGE_RE = re.compile(
    r"^\W*(?:net\s+)?(?:changes?|increases?|decreases?)\b|^\W*\(?increase\)?\s*/", re.IGNORECASE
)
CASH_FLOW_TITLE_RE = re.compile(r"\bcash\s+flows?\b", re.IGNORECASE)
BALANCE_LABEL_RE = re.compile(r"\b(?:balances?|beginning|end)\b", re.IGNORECASE)


def stems(text: str) -> frozenset[str]:
    """The words of a label that name it, each cut to its first six letters."""
    text = ROW_SCALE_RE.sub(" ", text.lower()).replace("&", " and ")
    words = re.findall(r"[a-z]+", text)
    return frozenset(w.removesuffix("s")[:6] for w in words if w not in STOP_WORDS)


# ------------------------------------------------------------------------------ adjustments


def adjustment_checks(facts: Sequence[Fact]) -> list[Check]:
    """Each adjustment of a reconciliation against its source, in every column."""
    checks: list[Check] = []
    for adj in facts:
        concept = concept_of(adj)
        if not concept.context.startswith("adjustment to ") or adj.unit != "USD":
            continue
        subject = concept.context.removeprefix("adjustment to ")
        target = _statement_row(facts, subject, adj)
        if target is None:
            continue
        above = [f for f in facts if f.table_index == target.table_index and f.line < target.line]
        sources, how = _direct(adj, [f for f in above if f.period == adj.period])
        if not sources:
            sources, how = _from_note(adj, above, facts)
        if sources:
            checks.append(_adjustment_check(adj, subject, target, sources, how))
    return checks


def _statement_row(facts: Sequence[Fact], subject: str, adj: Fact) -> Fact | None:
    """The GAAP line the reconciliation starts from, in the table where it has the most rows
    above it (the statement that builds it, not a statement that only restates it)."""
    found = [
        f
        for f in facts
        if f.table_index != adj.table_index
        and f.unit == "USD"
        and concept_of(f).name == subject
        and not concept_of(f).context
        and (f.basis or "GAAP") == "GAAP"
    ]

    def rows_above(f: Fact) -> int:
        return sum(g.table_index == f.table_index and g.line < f.line for g in facts)

    # The same period's row first; a column the statement does not print (a prior quarter)
    # still learns from the statement which lines fall above the target.
    return max(found, key=lambda f: (f.period == adj.period, rows_above(f)), default=None)


def _labels(fact: Fact) -> list[frozenset[str]]:
    return [s for s in (stems(t) for t in fact.row) if s]


def _direct(adj: Fact, above: Sequence[Fact]) -> tuple[list[Fact], str]:
    """Statement rows above the target that the adjustment names (most of its words)."""
    words = stems(adj.label)
    found = [
        f
        for f in above
        if (label := stems(f.label)) and label <= words and len(label) * 2 >= len(words)
    ]
    return found, "the statement row it names"


def _is_total(fact: Fact) -> bool:
    low = fact.label.lower()
    return low.startswith("total") or low == "subtotal"


def _from_note(adj: Fact, above: Sequence[Fact], facts: Sequence[Fact]) -> tuple[list[Fact], str]:
    """The note table whose total names the adjustment: its rows that fall above the target in
    the statement, or its total when all of them do."""
    words = stems(adj.label)
    if not words:
        return [], ""
    statement = [s for f in above for s in _labels(f)]
    for table in _note_tables(adj, words, facts):
        rows = [f for f in facts if f.table_index == table and f.period == adj.period]
        found = _note_sources(rows, words, statement)
        if found:
            return found
    return [], ""


def _names_total(fact: Fact, words: frozenset[str]) -> bool:
    return _is_total(fact) and words <= stems(fact.label)


def _note_tables(adj: Fact, words: frozenset[str], facts: Sequence[Fact]) -> list[int]:
    """Tables with a total that names the adjustment in its period, nearest first."""
    tables = {f.table_index for f in facts if f.period == adj.period and _names_total(f, words)}
    return sorted(tables, key=lambda t: abs(t - adj.table_index))


def _note_sources(
    rows: list[Fact], words: frozenset[str], statement: list[frozenset[str]]
) -> tuple[list[Fact], str] | None:
    total = next(f for f in rows if _names_total(f, words))
    parts = [f for f in rows if not _is_total(f) and f.label != "Subtotal"]
    inside = [f for f in parts if any(s <= stems(f.label) for s in statement)]
    if not inside:
        return None
    if len(inside) == len(parts):
        return [total], f"the note's total ({_short(total.table)})"
    return inside, "the note's rows that fall within it"


def _adjustment_check(
    adj: Fact, subject: str, target: Fact, sources: list[Fact], how: str
) -> Check:
    expected = sum((f.absolute for f in sources), ZERO)
    unit = min(SCALES[f.scale] for f in (adj, *sources))
    coarse = max(_precision(f) for f in (adj, *sources))
    tol = ZERO if len({_precision(f) for f in (adj, *sources)}) == 1 else coarse / 2
    ok = abs(expected - adj.absolute) <= tol
    parts = " + ".join(f"{_raw(f)} (line {f.line})" for f in sources)
    note = f"{how}: {parts}"
    if not ok:
        note = (
            f"the adjustment prints {_raw(adj)} but {how} gives {_trim(expected / unit):,}: {parts}"
        )
    return Check(
        "adjustment",
        f"{_short(adj.table)}: {adj.label} (adjustment to {subject}, line {adj.line}) ="
        f" {how} (line {sources[0].line})",
        adj.period,
        tuple((f"{_short(f.table)} > {f.row_text}", f.value, f.line) for f in sources),
        _trim(expected / unit),
        _trim(adj.absolute / unit),
        _trim(tol / unit),
        ok,
        (adj.line, *(f.line for f in sources), target.line),
        note,
    )


# ----------------------------------------------------------------------------- supplemental


@lru_cache(maxsize=1)
def _equivalents() -> dict[frozenset[str], frozenset[str]]:
    """Names of one line item in different words, one group a line, separated by ' = '."""
    out: dict[frozenset[str], frozenset[str]] = {}
    for line in EQUIVALENTS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            names = [stems(n) - FLOW_WORDS for n in line.split(" = ")]
            for n in names:
                out[n] = names[0]
    return out


def line_key(fact: Fact) -> frozenset[str]:
    words = stems(concept_of(fact).name) - FLOW_WORDS
    return _equivalents().get(words, words)


def supplemental_checks(facts: Sequence[Fact]) -> list[Check]:
    """Quarterly figures against the statements' balances and years, where the names differ
    or the periods do (what the same-name ties do not cover)."""
    by_key: dict[frozenset[str], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.unit == "USD" and not concept_of(f).context:
            by_key[line_key(f)].append(f)
    checks: list[Check] = []
    for key, members in by_key.items():
        if not key:
            continue
        balances = [f for f in members if f.period.kind == "instant"]
        quarters = [f for f in members if f.period.kind == "quarter"]
        if balances:
            checks += _balance_ties([q for q in quarters if not measures_flow(q)], balances)
        else:
            years = [f for f in members if f.period.kind == "year"]
            checks += _year_ties(quarters, years)
    return checks


def measures_flow(fact: Fact) -> bool:
    """A cell that counts a movement over its period: a cash-flow line other than the opening
    and closing balances, or a row of a "Changes in ..." section. It never equals a balance."""
    if any(CHANGE_RE.match(part) for part in fact.row):
        return True
    return bool(CASH_FLOW_TITLE_RE.search(fact.table)) and not BALANCE_LABEL_RE.search(fact.label)


def _balance_ties(quarters: Iterable[Fact], balances: Sequence[Fact]) -> list[Check]:
    """A balance printed for a quarter is the balance at that quarter's end."""
    checks: list[Check] = []
    for q in quarters:
        for b in balances:
            same_end = (b.period.fiscal_year, b.period.quarter) == (
                q.period.fiscal_year,
                q.period.quarter,
            )
            if same_end and b.table_index != q.table_index:
                checks.append(_pair(q, b, "the balance at the quarter's end"))
    return checks


def _pair(q: Fact, b: Fact, what: str) -> Check:
    unit = min(SCALES[q.scale], SCALES[b.scale])
    tol = max(_precision(q), _precision(b)) / 2
    ok = abs(abs(_base(q)) - abs(_base(b))) <= tol
    note = (
        f"{_short(q.table)} prints {_raw(q)} (line {q.line}), {_short(b.table)} prints"
        f" {_raw(b)} (line {b.line}): {what}" + ("" if ok else ", beyond rounding")
    )
    return Check(
        "supplemental",
        f"{q.row_text} (line {q.line}) = {_short(b.table)} > {b.row_text} (line {b.line})",
        q.period,
        (
            (f"{_short(q.table)} > {q.row_text}", q.value, q.line),
            (f"{_short(b.table)} > {b.row_text}", b.value, b.line),
        ),
        _trim(abs(_base(b)) / unit),
        _trim(abs(_base(q)) / unit),
        _trim(tol / unit),
        ok,
        (q.line, b.line),
        note,
    )


def _year_ties(quarters: Sequence[Fact], years: Sequence[Fact]) -> list[Check]:
    """The four quarters of a flow add up to the year a statement prints under another name
    (a year under the same name is a tie already)."""
    checks: list[Check] = []
    for year in years:
        for table in {q.table_index for q in quarters} - {year.table_index}:
            four = {
                q.period.quarter: q
                for q in quarters
                if q.table_index == table and q.period.fiscal_year == year.period.fiscal_year
            }
            if sorted(k for k in four if k) != [1, 2, 3, 4]:
                continue
            parts = [four[k] for k in (1, 2, 3, 4)]
            if concept_of(parts[0]).name != concept_of(year).name:
                checks.append(_year_sum(parts, year))
    return checks


def _year_sum(parts: list[Fact], year: Fact) -> Check:
    unit = min(SCALES[f.scale] for f in (year, *parts))
    total = sum((p.absolute for p in parts), ZERO)
    tol = sum((_precision(f) for f in (year, *parts)), ZERO) / 2
    # An outflow may be printed as a positive amount ("Capital expenditures") in one table
    # and negative ("Purchase of ...") in the other.
    flipped = total * year.absolute < 0
    ok = abs(abs(total) - abs(year.absolute)) <= tol
    note = (
        f"the four quarters on line {parts[0].line} add up to {_trim(total / unit):,};"
        f" {_short(year.table)} prints {_raw(year)} on line {year.line}"
        + (" (printed with the opposite sign)" if flipped else "")
    )
    return Check(
        "supplemental",
        f"{parts[0].row_text}: the quarters of fiscal {year.period.fiscal_year} (line"
        f" {parts[0].line}) = {_short(year.table)} > {year.row_text} (line {year.line})",
        year.period,
        tuple((f"{p.column} > {p.row_text}", p.value, p.line) for p in parts)
        + ((f"{_short(year.table)} > {year.row_text}", year.value, year.line),),
        _trim(abs(year.absolute) / unit),
        _trim(abs(total) / unit),
        _trim(tol / unit),
        ok,
        (parts[0].line, year.line),
        note,
    )


# ------------------------------------------------------------------------------ composition


def composition_checks(facts: Sequence[Fact]) -> list[Check]:
    """Percent rows of one section that add up to 100: the leading run of rows whose sum is
    100 (within their rounding) in at least half of the columns must be 100 in all of them."""
    sections: dict[tuple[int, tuple[str, ...]], dict[int, list[Fact]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for f in facts:
        if f.unit == "percent" and len(f.row) > 1 and f.qualifier is None:
            sections[(f.table_index, f.row[:-1])][f.line].append(f)
    checks: list[Check] = []
    for rows in sections.values():
        lines = sorted(rows)
        for n in range(len(lines), 1, -1):
            run = [rows[k] for k in lines[:n]]
            if _mostly_whole(run):
                checks += [_composition(run, period) for period in _periods(run)]
                break
    return checks


def _periods(run: list[list[Fact]]) -> list[Period]:
    return list(dict.fromkeys(f.period for row in run for f in row))


def _cell(row: list[Fact], period: Period) -> Fact | None:
    return next((f for f in row if f.period == period), None)


def _sum(run: list[list[Fact]], period: Period) -> tuple[Decimal, Decimal, list[Fact]]:
    cells = [c for row in run if (c := _cell(row, period)) is not None]
    tol = sum((HALF * _precision(c) for c in cells), ZERO)
    return sum((c.value for c in cells), ZERO), tol, cells


def _mostly_whole(run: list[list[Fact]]) -> bool:
    periods = _periods(run)
    whole = 0
    for p in periods:
        total, tol, cells = _sum(run, p)
        whole += len(cells) == len(run) and abs(total - ONE_HUNDRED) <= tol
    return whole * 2 >= len(periods) and whole > 0


def _composition(run: list[list[Fact]], period: Period) -> Check:
    total, tol, cells = _sum(run, period)
    ok = len(cells) == len(run) and abs(total - ONE_HUNDRED) <= tol
    names = " + ".join(row[0].label for row in run)
    note = " + ".join(f"{_raw(c)} (line {c.line})" for c in cells) + f" = {_trim(total)}%"
    if not ok:
        note += ", not 100%; the same rows add up to 100% in most other columns"
    return Check(
        "composition",
        f"{_short(run[0][0].table)}: {names} = 100%",
        period,
        tuple((c.row_text, c.value, c.line) for c in cells),
        ONE_HUNDRED,
        _trim(total),
        _trim(tol),
        ok,
        tuple(c.line for c in cells),
        note,
    )
