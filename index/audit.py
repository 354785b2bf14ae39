"""The tie-out audit: every total foots, every statement agrees, every prose figure has a cell.

An investor-relations team ticks and ties a release before it goes out; the facts hold every
cell, so the same checks run here as pure functions over a `ParsedRelease`. Nothing is written
for one release: totals are found from the rule lines and headings the tables print, restated
figures from their normalized labels and periods, prose figures from the words around them.

Every `Check` puts the line of the figure under audit first in `lines`, so a failure says
where to look; `expected` is what the figure's sources say, `actual` what is printed there.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from index.facts import SCALES, Fact, places
from index.periods import DATE_RE, ORDINALS, Period
from index.release import ParsedRelease
from index.segment import Document, Passage, TableBlock, is_rule, trailing_cells
from index.tables import ROW_SCALE_RE

KINDS = (
    "footing",
    "reconciliation",
    "adjustment",
    "balance",
    "tie",
    "supplemental",
    "composition",
    "arithmetic",
    "prose",
)
PASSED, FAILED, SKIPPED, NO_SOURCE = "passed", "failed", "skipped", "no source"

Input = tuple[str, Decimal, int]
ZERO = Decimal(0)
HALF = Decimal("0.5")
PERCENT_TOLERANCE = Decimal(1)


@dataclass(frozen=True)
class Check:
    """One tick: a figure as printed (`actual`) against what its sources say (`expected`).

    `status` is passed, failed, skipped (the audit cannot tell what to compare, and says why in
    `note`) or "no source" (a prose figure that no cell restates: informational, not a failure).
    """

    kind: str
    name: str
    period: Period | None
    inputs: tuple[Input, ...]
    expected: Decimal | None
    actual: Decimal | None
    tolerance: Decimal
    passed: bool
    lines: tuple[int, ...]
    note: str = ""
    status: str = ""

    def __post_init__(self) -> None:
        if not self.status:
            object.__setattr__(self, "status", PASSED if self.passed else FAILED)

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "name": self.name,
            "period": self.period.label if self.period else None,
            "period_key": self.period.key if self.period else None,
            "inputs": [{"label": a, "value": str(v), "line": n} for a, v, n in self.inputs],
            "expected": None if self.expected is None else str(self.expected),
            "actual": None if self.actual is None else str(self.actual),
            "tolerance": str(self.tolerance),
            "passed": self.passed,
            "status": self.status,
            "lines": list(self.lines),
            "note": self.note,
        }


@dataclass(frozen=True)
class AuditSummary:
    checks: int
    passed: int
    failed: int
    skipped: int
    no_source: int
    by_kind: tuple[tuple[str, int, int], ...]  # (kind, checks, failed)

    def sentence(self) -> str:
        figures = "figure" if self.no_source == 1 else "figures"
        return (
            f"{self.checks} checks: {self.passed} passed, {self.failed} failed, "
            f"{self.skipped} skipped, {self.no_source} prose {figures} with no source in the tables"
        )


@dataclass(frozen=True)
class AuditReport:
    """Every check the release allowed, grouped the way a reader ticks them."""

    checks: tuple[Check, ...]
    release: str = ""

    def summary(self) -> AuditSummary:
        count: dict[str, int] = defaultdict(int)
        for c in self.checks:
            count[c.status] += 1
        kinds = tuple(
            (k, sum(c.kind == k for c in self.checks), sum(c.kind == k for c in self.failures))
            for k in KINDS
        )
        return AuditSummary(
            len(self.checks), count[PASSED], count[FAILED], count[SKIPPED], count[NO_SOURCE], kinds
        )

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.failed)

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_text(self) -> str:
        summary = self.summary()
        out = [f"Tie-out audit of {self.release or 'the release'}"]
        for kind, total, failed in summary.by_kind:
            if total:
                out += ["", f"== {kind}: {total} checks, {failed} failed =="]
                out += [_render(c) for c in self.checks if c.kind == kind]
        if self.failures:
            out += ["", "== failures =="]
            out += [_render(c) for c in self.failures]
        out += ["", f"Summary: {summary.sentence()}."]
        return "\n".join(out)

    def to_dict(self) -> dict[str, object]:
        s = self.summary()
        return {
            "release": self.release,
            "summary": {
                "checks": s.checks,
                "passed": s.passed,
                "failed": s.failed,
                "skipped": s.skipped,
                "no_source": s.no_source,
                "by_kind": {k: {"checks": n, "failed": f} for k, n, f in s.by_kind},
            },
            "checks": [c.to_dict() for c in self.checks],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict())


def audit(parsed: ParsedRelease) -> AuditReport:
    """Run every check the release's tables and prose allow."""
    # The checks compare periods; a column keyed by a dimension member has none to compare.
    facts = tuple(f for f in parsed.facts if f.period is not None)
    checks: list[Check] = []
    for block in parsed.document.tables:
        table_facts = [f for f in facts if f.table_index == block.index]
        if table_facts:
            checks += footing_checks(block, table_facts)
    from index.audit_sources import adjustment_checks, composition_checks, supplemental_checks

    checks += adjustment_checks(facts)
    checks += balance_checks(facts)
    checks += tie_checks(facts)
    checks += supplemental_checks(facts)
    checks += composition_checks(facts)
    checks += arithmetic_checks(facts)
    checks += prose_checks(parsed.document, facts)
    return AuditReport(tuple(checks), parsed.release)


# ---------------------------------------------------------------------------------- footing


@dataclass(frozen=True)
class _Row:
    """A table row as the footing reads it: where it sits, how deep, its cell in each column."""

    label: str
    path: tuple[str, ...]
    line: int
    indent: int
    unit: str
    scale: str
    cells: dict[str, Fact] = field(compare=False, hash=False)

    @property
    def is_total_label(self) -> bool:
        low = self.label.lower()
        return low == "total" or low.startswith("total ") or low == "subtotal"

    @property
    def basis(self) -> str | None:
        return next(iter(self.cells.values())).basis


@dataclass(frozen=True)
class _Item:
    """One step down a table: a row, a heading line, a rule or a blank."""

    kind: str  # "row" | "heading" | "rule" | "blank"
    line: int
    row: _Row | None = None
    rule: str = ""  # "-" or "=" for a rule under the figures; "" for a full-width row separator
    text: str = ""  # a heading's words


@dataclass(frozen=True)
class _Scope:
    """A candidate set of components, and the first table item it covers."""

    items: tuple[_Row, ...]
    start: int


MODES = ("sum", "difference")


@dataclass
class _Footing:
    """What footing one table learns as it goes down: totals found, the rows each one spans."""

    columns: list[str]
    label_col: int
    spans: dict[int, int] = field(default_factory=dict)
    totals: set[int] = field(default_factory=set)


def footing_checks(block: TableBlock, facts: Sequence[Fact]) -> list[Check]:
    """Foot every printed total of one table, in every column.

    A total is a row labelled "Total ..." or "Subtotal", or a row directly under a rule line.
    Its components are the rows above it back to a heading, an earlier total standing in for
    the rows it totals; when the nearest heading gives no tie, the next one out is tried. A
    running total (Gross profit, Net loss) may have no rule: a row at the headings' indentation
    that builds on an earlier total and ties in most columns is taken as one.
    """
    seq, columns = _sequence(block, facts)
    indents = [it.row.indent for it in seq if it.row is not None]
    indents += [_indent(_text(block, it.line)) for it in seq if it.kind == "heading"]
    state = _Footing(columns, min(indents))
    checks: list[Check] = []
    for i, item in enumerate(seq):
        if item.row is None:
            continue
        row = item.row
        under = seq[i - 1].rule if i > 0 and seq[i - 1].kind == "rule" else ""
        picked = _pick_scope(block, seq, i, under, state)
        if isinstance(picked, Check):
            checks.append(picked)
        elif picked is not None:
            scope, mode = picked
            state.spans[i] = scope.start
            unmarked = not under and not row.is_total_label
            checks += _foot(block, row, scope, mode, state.columns, state.totals, unmarked)
            state.totals.add(row.line)
    return checks


def _pick_scope(
    block: TableBlock, seq: list[_Item], i: int, under: str, state: _Footing
) -> tuple[_Scope, str] | Check | None:
    """The components row i totals and how, a skipped check saying why not, or None when the
    row is no total."""
    row = seq[i].row
    assert row is not None
    if under == "=" and not row.is_total_label:
        return _skipped(block, row, seq[i - 1].line)
    marked = row.is_total_label or under == "-"
    scopes = _scopes(seq, i, row, state.spans, running=not marked)
    if marked:
        if not scopes:
            return _skipped(block, row, None)
        chosen = _choose(scopes, row, state.columns, state.totals, running=False)
        if chosen is None and not under:
            return _skipped(block, row, None, unclear=True)
        return chosen or (scopes[0], "sum")
    if row.indent <= state.label_col and scopes:
        return _choose(scopes, row, state.columns, state.totals, running=True)
    return None


def _text(block: TableBlock, line: int) -> str:
    return dict(block.lines).get(line, "")


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _sequence(block: TableBlock, facts: Sequence[Fact]) -> tuple[list[_Item], list[str]]:
    """The table body below its column rule as rows, headings, rules and blanks, in order."""
    by_line: dict[int, list[Fact]] = defaultdict(list)
    for f in facts:
        by_line[f.line].append(f)
    columns = list(dict.fromkeys(f.column for f in facts))
    first_label = min(f.label_line for f in facts)
    header_rule = max((n for n, t in block.lines if n < first_label and is_rule(t)), default=0)
    row_at = {cells[0].label_line: _row_of(block, line, cells) for line, cells in by_line.items()}
    row_lines = {n for r in row_at.values() for n in range(min(_label_line(r), r.line), r.line + 1)}
    value_start = min(_value_start(_text(block, n), len(cells)) for n, cells in by_line.items())
    seq: list[_Item] = []
    for n, text in block.lines:
        if n > header_rule and (n in row_at or n not in row_lines):
            seq.append(_item(n, text, row_at.get(n), value_start))
    return seq, columns


def _label_line(row: _Row) -> int:
    return next(iter(row.cells.values())).label_line


def _row_of(block: TableBlock, line: int, cells: list[Fact]) -> _Row:
    f = cells[0]
    unit = next((c.unit for c in cells if c.unit != "percent"), f.unit)
    scale = next((c.scale for c in cells if c.unit == unit), f.scale)
    indent = _indent(_text(block, f.label_line))
    return _Row(f.label, f.row, line, indent, unit, scale, {c.column: c for c in cells})


def _item(n: int, text: str, row: _Row | None, value_start: int) -> _Item:
    if row is not None:
        return _Item("row", n, row)
    if not text.strip():
        return _Item("blank", n)
    if is_rule(text):
        # A rule reaching into the label area separates rows; one under the figures sums.
        mark = "" if _indent(text) < value_start - 1 else ("=" if "=" in text else "-")
        return _Item("rule", n, rule=mark)
    return _Item("heading", n, text=text.strip())


def _value_start(text: str, count: int) -> int:
    """Where a row's figures begin (a footnote mark like "(1)" before them is no figure)."""
    cells = trailing_cells(text)[-count:]
    return cells[0].start() if cells else len(text)


def _scopes(
    seq: list[_Item], i: int, row: _Row, spans: dict[int, int], running: bool = False
) -> list[_Scope]:
    """Candidate components of row i, innermost first: each heading crossed widens the set.

    A closed section (a heading and the rows its total spans) counts as its total alone; a
    heading opens only the rows under it, so the headings above it are left for an outer total.
    A row with no total label stops at a heading that follows a total: that heading opens a
    new section, and a running total never reaches back across it.
    """
    items: list[tuple[int, _Row]] = []
    scopes: list[_Scope] = []
    j = i - 1
    while j >= 0:
        it = seq[j]
        if it.kind in ("blank", "rule"):
            if it.rule == "=" and j != i - 1:
                break  # a double rule closes the figure above it: nothing runs on past it
            j -= 1
        elif it.kind == "heading":
            top = j
            while top > 0 and _wraps(seq[top - 1], seq[top]):
                top -= 1
            _widen(scopes, items, top, spans)
            if running and _after_total(seq, top, spans):
                break
            j = top - 1
        else:
            r = it.row
            if r is None or (r.unit, r.scale) != (row.unit, row.scale):
                break
            items.insert(0, (j, r))
            j = spans.get(j, j) - 1
    _widen(scopes, items, j + 1, spans)
    return scopes


def _wraps(first: _Item, then: _Item) -> bool:
    """Does heading line `then` carry on the heading `first` began ("Cost of revenue" / "(1):")?"""
    opens = then.text[:1]
    return (
        first.kind == "heading"
        and not first.text.endswith(":")
        and (opens.islower() or opens == "(")
    )


def _after_total(seq: list[_Item], j: int, spans: dict[int, int]) -> bool:
    k = j - 1
    while k >= 0 and seq[k].kind in ("blank", "rule"):
        k -= 1
    return k >= 0 and k in spans


def _widen(
    scopes: list[_Scope], items: list[tuple[int, _Row]], start: int, spans: dict[int, int]
) -> None:
    """Add the rows walked so far as a candidate, then the rows since each earlier total in
    it (the components of a total that follows other totals of its section)."""
    rows = tuple(r for _, r in items)
    if not rows or any(s.items == rows for s in scopes):
        return
    scopes.append(_Scope(rows, start))
    for k, (j, _) in enumerate(items[1:-1], 1):
        if j in spans and not any(s.items == rows[k:] for s in scopes):
            scopes.append(_Scope(rows[k:], spans[j]))


def _computed(items: Sequence[_Row], column: str, mode: str) -> Decimal:
    values = [r.cells[column].value if column in r.cells else ZERO for r in items]
    if mode == "sum":
        return sum(values, ZERO)
    return values[0] - sum(values[1:], ZERO)


def _foot_tolerance(row: _Row, items: Sequence[_Row], column: str) -> Decimal:
    """Whole figures foot exactly (statements are force-footed); percents within a point;
    figures printed with decimals were rounded one by one, half a unit each."""
    cells = [r.cells[column] for r in (row, *items) if column in r.cells]
    if any(c.unit == "percent" for c in cells):
        return PERCENT_TOLERANCE
    shown = max((places(c.value) for c in cells), default=0)
    return HALF * Decimal(1).scaleb(-shown) * len(cells) if shown else ZERO


def _opens_with_total(scope: _Scope, totals: set[int]) -> bool:
    return len(scope.items) >= 2 and scope.items[0].line in totals


def _holds(row: _Row, scope: _Scope, column: str, mode: str) -> bool:
    got = _computed(scope.items, column, mode)
    return abs(got - row.cells[column].value) <= _foot_tolerance(row, scope.items, column)


def _choose(
    scopes: list[_Scope], row: _Row, columns: list[str], totals: set[int], running: bool
) -> tuple[_Scope, str] | None:
    """The innermost scope and mode tying in every column, else the one tying in most.

    "difference" (the previous total minus the rows after it) is tried only when the scope
    opens with a total. A row with no rule and no "Total" label is a total when two or more
    rows of its section tie to it in every non-zero column; one that builds on an earlier
    total is a running total when it ties in at least half of them.
    """
    cols = _footed_columns(row, columns, running)
    if not cols:
        return None
    tried = [
        (_tied(row, scope, mode, cols), scope, mode)
        for scope, mode in _tries(scopes, totals, running)
    ]
    full = next(((scope, mode) for n, scope, mode in tried if n == len(cols)), None)
    if full is not None:
        return full
    if running:
        tried = [t for t in tried if _builds(t[1], totals)]
    tied, scope, mode = max(tried, key=lambda t: t[0], default=(0, None, ""))
    enough = tied * 2 >= len(cols) if running else tied > 0
    return (scope, mode) if scope is not None and enough else None


def _footed_columns(row: _Row, columns: list[str], running: bool) -> list[str]:
    """The columns a total is footed in; a running total is judged on its non-zero ones."""
    return [c for c in columns if c in row.cells and (not running or row.cells[c].value != 0)]


def _tied(row: _Row, scope: _Scope, mode: str, cols: list[str]) -> int:
    return sum(_holds(row, scope, c, mode) for c in cols)


def _builds(scope: _Scope, totals: set[int]) -> bool:
    return any(r.line in totals for r in scope.items)


def _tries(scopes: list[_Scope], totals: set[int], running: bool) -> list[tuple[_Scope, str]]:
    """Scope and mode pairs in the order they are tried; a running total sums two rows or more."""
    return [
        (scope, m)
        for scope in scopes
        if not running or len(scope.items) >= 2
        for m in MODES
        if m == "sum" or _opens_with_total(scope, totals)
    ]


def _mode_text(scope: _Scope, mode: str, totals: set[int]) -> str:
    first = scope.items[0].label
    if mode == "difference":
        return f"{first} minus the rows after it (running total)"
    if any(r.line in totals for r in scope.items):
        return f"{first} plus the rows after it (running total)"
    n = len(scope.items)
    return f"sum of the {n} rows above" if n > 1 else "the one row above"


def _foot(
    block: TableBlock,
    row: _Row,
    scope: _Scope,
    mode: str,
    columns: list[str],
    totals: set[int],
    unmarked: bool,
) -> list[Check]:
    parts = scope.items
    reconciles = row.basis == "non-GAAP" and any(r.basis == "GAAP" for r in parts)
    kind = "reconciliation" if reconciles else "footing"
    name = f"{block.title}: {' > '.join(row.path)} = {_mode_text(scope, mode, totals)}"
    checks: list[Check] = []
    for column in columns:
        if column not in row.cells:
            continue
        cell = row.cells[column]
        got = _computed(parts, column, mode)
        tol = _foot_tolerance(row, parts, column)
        ok = abs(got - cell.value) <= tol
        if ok:
            note = "no rule or 'Total' label marks this row; the rows above tie to it" * unmarked
        else:
            tried = [m for m in MODES if m == "sum" or _opens_with_total(scope, totals)]
            note = (
                f"does not foot: the rows above give {_num(got)}, the printed total is off by "
                f"{_num(cell.value - got)} (tried "
                + ", ".join(f"{m} {_num(_computed(parts, column, m))}" for m in tried)
                + ")"
            )
        inputs = tuple(
            (r.label, r.cells[column].value if column in r.cells else ZERO, r.line) for r in parts
        )
        lines = (row.line, *(r.line for r in parts))
        checks.append(Check(kind, name, cell.period, inputs, got, cell.value, tol, ok, lines, note))
    return checks


def _skipped(block: TableBlock, row: _Row, rule_line: int | None, unclear: bool = False) -> Check:
    if unclear:
        why = (
            "it is labelled a total, but no set of the rows of its section ties to it in any"
            " column: the table does not show which rows make it up"
        )
        lines: tuple[int, ...] = (row.line,)
    elif rule_line is not None:
        why = (
            f"a double rule (line {rule_line}) stands above this row, and a double rule closes "
            "the figure above it: the rows that make up this one are not printed"
        )
        lines = (row.line, rule_line)
    else:
        why = "it is marked as a total, but no rows in its unit stand above it to sum"
        lines = (row.line,)
    return Check(
        "footing",
        f"{block.title}: {' > '.join(row.path)}",
        None,
        (),
        None,
        None,
        ZERO,
        False,
        lines,
        f"skipped: {why}",
        SKIPPED,
    )


# ---------------------------------------------------------------------------------- balance


_BOTH_SIDES_RE = re.compile(r"total liabilities and (?:\w+ )?equity")
_ONE_SIDE_RE = re.compile(r"total liabilities|total (?:\w+ )?equity")


def balance_checks(facts: Sequence[Fact]) -> list[Check]:
    """Total assets equal total liabilities and equity, in every balance-sheet column."""
    named = [(f, " ".join(re.sub(r"[^a-z]+", " ", f.label.lower()).split())) for f in facts]
    both = _named(named, _BOTH_SIDES_RE)
    parts = _named(named, _ONE_SIDE_RE)
    checks: list[Check] = []
    for assets in (f for f, n in named if n == "total assets"):
        same = [f for f in both or parts if _place_of(f) == _place_of(assets)]
        if same and (both or len(same) >= 2):
            checks.append(_balance(assets, same[:1] if both else same))
    return checks


def _named(named: list[tuple[Fact, str]], pattern: re.Pattern[str]) -> list[Fact]:
    return [f for f, n in named if pattern.fullmatch(n)]


def _place_of(fact: Fact) -> tuple[int, str]:
    return fact.table_index, fact.column


def _balance(assets: Fact, sides: list[Fact]) -> Check:
    got = sum((f.value for f in sides), ZERO)
    ok = got == assets.value
    return Check(
        "balance",
        f"{assets.table}: total assets = " + " + ".join(f.label for f in sides),
        assets.period,
        ((assets.label, assets.value, assets.line),)
        + tuple((f.label, f.value, f.line) for f in sides),
        assets.value,
        got,
        ZERO,
        ok,
        (sides[-1].line, assets.line, *(f.line for f in sides[:-1])),
        "" if ok else f"does not balance: off by {_num(got - assets.value)}",
    )


# ------------------------------------------------------------------------------------ ties


@dataclass(frozen=True)
class Concept:
    """What a cell measures, read from its label and section: the key restated figures share.

    `context` keeps apart cells whose label alone would collide: the rows of a note table
    ("effects of stock based compensation") and the adjustments of a reconciliation.
    """

    name: str
    context: str
    basis: str
    unit: str
    period: Period
    qualifiers: frozenset[str]


_QUALIFIER_RE = re.compile(r"\b(?:basic and diluted|basic|diluted)\b")
_ANCHOR_RE = re.compile(r"\bat (end|beginning) of (?:the )?(?:period|year|quarter)\b")
_AS_PRINTED_RE = re.compile(r"^(?:as )?(?:reported|adjusted)$")


def _norm(text: str) -> str:
    """A label as a key: lower case, no scale marks, no basis words, no punctuation, no 'total'."""
    t = text.lower().replace("&", " and ").replace("commonshare", "common share")
    t = ROW_SCALE_RE.sub(" ", t)
    t = re.sub(r"\bu\.s\.", " ", t)
    t = re.sub(r"\bnon-gaap\b|\bgaap\b", " ", t)
    t = re.sub(r"['’]s\b", "", t)
    t = re.sub(r"[^a-z0-9]+", " ", t)
    t = re.sub(r"^\s*total\s+", "", t)
    return " ".join(t.split())


def _qualifiers(text: str) -> tuple[str, frozenset[str]]:
    found = {w for m in _QUALIFIER_RE.finditer(text) for w in m.group().split() if w != "and"}
    return " ".join(_QUALIFIER_RE.sub(" ", text).split()), frozenset(found)


@lru_cache(maxsize=1 << 16)
def concept_of(fact: Fact) -> Concept:
    """The concept a cell restates (cached: ties and adjustments ask it of every cell often).

    Rows named only "as reported" or "Basic" take their name from their section; other rows
    of a "Reconciliation of X" are adjustments to X; the rows of a note table keep the note's
    subject as context, while its total names itself. "... at end of period" is a balance.
    """
    label, quals = _qualifiers(_norm(fact.label))
    anchor = _ANCHOR_RE.search(label)
    if anchor:
        label = " ".join(_ANCHOR_RE.sub(" ", label).split())
    heading, heading_quals = _qualifiers(_norm(fact.row[-2]) if len(fact.row) > 1 else "")
    subject = heading.removeprefix("reconciliation of ").strip()
    context = ""
    if heading and (not label or _AS_PRINTED_RE.match(label)):
        name = subject
        quals |= heading_quals
    elif heading.startswith("reconciliation of "):
        name, context = label, f"adjustment to {subject}"
    else:
        name = label
    if ": " in fact.table and not fact.label.lower().startswith("total"):
        context = _norm(fact.table.rsplit(": ", 1)[1])
    period = _instant(fact.period, anchor.group(1)) if anchor else fact.period
    return Concept(name, context, fact.basis or "GAAP", fact.unit, period, quals)


def _instant(period: Period, which: str) -> Period:
    """The balance date at the end (or the start) of a flow period."""
    quarter = period.quarter or 4
    if which == "end":
        return Period("instant", period.fiscal_year, quarter, period.end)
    if period.kind == "year" or quarter == 1:
        return Period("instant", period.fiscal_year - 1, 4)
    return Period("instant", period.fiscal_year, quarter - 1)


def _compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or bool(a & b)


def _precision(fact: Fact) -> Decimal:
    """One unit of the last printed digit, in base units (dollars, shares, points)."""
    return Decimal(1).scaleb(-places(fact.value)) * SCALES[fact.scale]


def _base(fact: Fact) -> Decimal:
    return fact.value if fact.unit == "percent" else fact.absolute


def tie_checks(facts: Sequence[Fact]) -> list[Check]:
    """The same concept printed in two tables for one period agrees, within its rounding; the
    quarters one table prints sum to the year another prints."""
    groups: dict[tuple[str, str, str, str, Period], list[tuple[Fact, Concept]]] = defaultdict(list)
    for f in facts:
        c = concept_of(f)
        groups[(c.name, c.context, c.basis, c.unit, c.period)].append((f, c))
    checks: list[Check] = []
    for members in groups.values():
        members.sort(key=lambda fc: (fc[0].table_index, fc[0].line))
        for k, (f, c) in enumerate(members):
            ref = next(
                (
                    g
                    for g, d in members[:k]
                    if g.table_index != f.table_index and _compatible(c.qualifiers, d.qualifiers)
                ),
                None,
            )
            if ref is not None:
                checks.append(_tie(ref, f, c))
    return checks + _quarter_sums(facts)


def _tie(ref: Fact, other: Fact, concept: Concept) -> Check:
    unit = min(SCALES[ref.scale], SCALES[other.scale])
    coarse = max(_precision(ref), _precision(other))
    tol = ZERO if _precision(ref) == _precision(other) else coarse / 2
    expected, actual = _base(ref), _base(other)
    ok = abs(expected - actual) <= tol
    what = f"{concept.name} ({concept.basis}, {concept.period.label})"
    if not ok:
        note = (
            f"the tables disagree on {what}: {_short(ref.table)} prints {_raw(ref)} "
            f"(line {ref.line}), {_short(other.table)} prints {_raw(other)} (line {other.line})"
        )
    else:
        coarser = max((ref, other), key=_precision)
        note = f"{what} restated" + (f", rounded to {_step(coarser)}" if tol else " exactly")
    return Check(
        "tie",
        f"{concept.name}: {_short(ref.table)} (line {ref.line}) = "
        f"{_short(other.table)} (line {other.line})",
        ref.period if ref.period.kind == concept.period.kind else other.period,
        (
            (f"{_short(ref.table)} > {ref.row_text}", ref.value, ref.line),
            (f"{_short(other.table)} > {other.row_text}", other.value, other.line),
        ),
        _trim(expected / unit),
        _trim(actual / unit),
        _trim(tol / unit),
        ok,
        (other.line, ref.line),
        note,
    )


def _quarter_sums(facts: Sequence[Fact]) -> list[Check]:
    """Flows only: a balance at each quarter end does not add up to anything."""
    by_key: dict[tuple[str, str, str], list[tuple[Fact, Period]]] = defaultdict(list)
    for f in facts:
        c = concept_of(f)
        if f.unit == "USD" and c.period.kind in ("quarter", "year"):
            by_key[(c.name, c.context, c.basis)].append((f, c.period))
    checks: list[Check] = []
    for (name, _, basis), members in by_key.items():
        for year, period in members:
            if period.kind == "year":
                checks += [
                    _quarter_sum(name, basis, year, parts)
                    for parts in _four_quarters(members, year, period)
                ]
    return checks


def _four_quarters(
    members: list[tuple[Fact, Period]], year: Fact, period: Period
) -> list[list[Fact]]:
    """Each other table's four quarters of `period`'s fiscal year, where it prints all four."""
    out: list[list[Fact]] = []
    for t in sorted({f.table_index for f, _ in members} - {year.table_index}):
        quarters = {
            p.quarter: f
            for f, p in members
            if (f.table_index, p.kind, p.fiscal_year) == (t, "quarter", period.fiscal_year)
        }
        if sorted(q for q in quarters if q) == [1, 2, 3, 4]:
            out.append([quarters[q] for q in (1, 2, 3, 4)])
    return out


def _quarter_sum(name: str, basis: str, year: Fact, parts: list[Fact]) -> Check:
    unit = min(SCALES[f.scale] for f in (year, *parts))
    total = sum((p.absolute for p in parts), ZERO)
    precisions = [_precision(f) for f in (year, *parts)]
    tol = ZERO if len(set(precisions)) == 1 else sum(precisions, ZERO) / 2
    ok = abs(total - year.absolute) <= tol
    where = f"the four quarters in {_short(parts[0].table)} (line {parts[0].line})"
    if ok:
        note = f"{where} add up to the year in {_short(year.table)} ({basis})"
    else:
        note = f"{where} add up to {_num(total / unit)}, not {_raw(year)} (line {year.line})"
    return Check(
        "tie",
        f"{name}: the quarters of fiscal {year.period.fiscal_year} sum to the year",
        year.period,
        tuple((f"{p.column} > {p.row_text}", p.value, p.line) for p in parts)
        + ((f"{_short(year.table)} > {year.row_text}", year.value, year.line),),
        _trim(year.absolute / unit),
        _trim(total / unit),
        _trim(tol / unit),
        ok,
        (parts[0].line, year.line),
        note,
    )


# ------------------------------------------------------------------------------ arithmetic


def arithmetic_checks(facts: Sequence[Fact]) -> list[Check]:
    """What a reader recomputes: per-share figures and margins from the amounts they divide."""
    concepts = [(f, concept_of(f)) for f in facts]
    checks: list[Check] = []
    for f, c in concepts:
        check = None
        if f.unit == "USD per share" and " per " in c.name:
            check = _per_share(f, c, concepts)
        elif f.unit == "percent" and c.name.endswith(" margin"):
            check = _margin(f, c, concepts)
        if check is not None:
            checks.append(check)
    return checks


def _pick(
    candidates: Iterable[tuple[Fact, Concept]], near: Fact, quals: frozenset[str] | None = None
) -> Fact | None:
    """The best source: same table first, then matching qualifiers, then the finest figure."""

    def rank(fc: tuple[Fact, Concept]) -> tuple[bool, bool, Decimal, int, int]:
        g, d = fc
        return (
            g.table_index != near.table_index,
            quals is not None and d.qualifiers != quals,
            _precision(g),
            g.table_index,
            g.line,
        )

    found = sorted(candidates, key=rank)
    return found[0][0] if found else None


def _per_share(f: Fact, c: Concept, concepts: list[tuple[Fact, Concept]]) -> Check | None:
    numerator = _pick(
        (
            (g, d)
            for g, d in concepts
            if d.name == c.name.split(" per ")[0]
            and not d.context
            and (d.basis, d.period, g.unit) == (c.basis, c.period, "USD")
        ),
        f,
    )
    shares = _pick(
        (
            (g, d)
            for g, d in concepts
            if (g.unit, d.basis, d.period) == ("shares", c.basis, c.period)
            and _compatible(c.qualifiers, d.qualifiers)
        ),
        f,
        c.qualifiers,
    )
    if numerator is None or shares is None or shares.value == 0:
        return None
    ratio = numerator.absolute / shares.absolute
    step = Decimal(1).scaleb(-max(places(f.value), 2))
    tol = HALF * step
    ok = abs(ratio - f.value) <= tol
    note = f"{_raw(numerator)} / {_raw(shares)} shares = {_num(ratio.quantize(Decimal('0.0001')))}"
    if not ok:
        note += f", which rounds to {_num(ratio.quantize(step, ROUND_HALF_UP))}, not {_raw(f)}"
    status, note = _verdict(ok, _unscaled(ratio, f.value, tol), note)
    return Check(
        "arithmetic",
        f"{_short(f.table)} line {f.line}: {c.name} ({c.basis}"
        + (f", {'/'.join(sorted(c.qualifiers))}" if c.qualifiers else "")
        + f") = {c.name.split(' per ')[0]} / weighted shares",
        f.period,
        (
            (f"{_short(numerator.table)} > {numerator.row_text}", numerator.value, numerator.line),
            (f"{_short(shares.table)} > {shares.row_text}", shares.value, shares.line),
        ),
        ratio.quantize(Decimal("0.0001")),
        f.value,
        tol,
        ok,
        (f.line, numerator.line, shares.line),
        note,
        status,
    )


REVENUE_NAMES = frozenset({"revenue", "revenues", "net revenue", "net revenues", "net sales"})


def _verdict(ok: bool, unscaled: str, note: str) -> tuple[str, str]:
    if ok:
        return PASSED, note
    if unscaled:
        return SKIPPED, f"skipped: {unscaled}; {note}"
    return FAILED, note


def _unscaled(ratio: Decimal, printed: Decimal, tol: Decimal) -> str:
    """Why a per-share figure cannot be recomputed: the amounts agree once one of them is scaled
    by a power of a thousand, so the table's one scale note ("shares in thousands") does not
    hold for both; a misprint does not move a figure by exactly a power of a thousand."""
    for power in (3, 6, 9, -3, -6, -9):
        if abs(ratio.scaleb(power) - printed) <= tol:
            return f"the amounts agree at another scale (x 10^{power}): the table's scale note does not hold for both"
    return ""


def _margin(f: Fact, c: Concept, concepts: list[tuple[Fact, Concept]]) -> Check | None:
    base = c.name.removesuffix(" margin")

    def source(names: Iterable[str], basis: str) -> Fact | None:
        wanted = set(names)
        return _pick(
            (
                (g, d)
                for g, d in concepts
                if d.name in wanted
                and not d.context
                and (d.basis, d.period, g.unit) == (basis, c.period, "USD")
            ),
            f,
        )

    profit = source({f"{base} profit", f"{base} income"}, c.basis)
    # Revenue carries no non-GAAP adjustment: a non-GAAP margin divides by GAAP revenue.
    revenue = source(REVENUE_NAMES, c.basis) or source(REVENUE_NAMES, "GAAP")
    if profit is None or revenue is None or revenue.value == 0 or profit.value == 0:
        return None
    ratio = profit.absolute / revenue.absolute * 100
    # A margin from rounded amounts is only as exact as they are.
    spread = ratio * (_precision(profit) / 2 / abs(profit.absolute))
    spread += ratio * (_precision(revenue) / 2 / abs(revenue.absolute))
    tol = (HALF * Decimal(1).scaleb(-places(f.value)) + abs(spread)).quantize(Decimal("0.001"))
    ok = abs(ratio - f.value) <= tol
    note = f"{_raw(profit)} / {_raw(revenue)} = {_num(ratio.quantize(Decimal('0.01')))}%"
    if not ok:
        note += f", not the printed {_raw(f)}"
    return Check(
        "arithmetic",
        f"{_short(f.table)} line {f.line}: {c.name} ({c.basis}) = "
        f"{concept_of(profit).name} / {concept_of(revenue).name}",
        f.period,
        (
            (f"{_short(profit.table)} > {profit.row_text}", profit.value, profit.line),
            (f"{_short(revenue.table)} > {revenue.row_text}", revenue.value, revenue.line),
        ),
        ratio.quantize(Decimal("0.01")),
        f.value,
        tol,
        ok,
        (f.line, profit.line, revenue.line),
        note,
    )


# ------------------------------------------------------------------------------------ prose


@dataclass(frozen=True)
class ProseFigure:
    """A figure as the narrative prints it, with what its sentence says it measures."""

    text: str
    line: int
    value: Decimal  # in base units: dollars, points, a count
    unit: str  # "USD" | "USD per share" | "percent" | "count"
    half_unit: Decimal  # how far from the cell the prose's rounding may put it, in base units
    multiplier: Decimal  # base units per printed unit: 1e6 for "million"
    metric: str | None
    basis: str
    period: Period | None
    qualifiers: frozenset[str] = frozenset()
    sign_word: str = ""  # a word before the figure that carries its sign: "used", "deficit"


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
MONEY_RE = re.compile(
    rf"(?P<minus>-\s?)?\$\s?(?:\(\s?(?P<neg>{_NUM})\s?\)|(?P<num>{_NUM}))"
    r"(?:\s?(?P<scale>million|billion|thousand|mm|bn|m|b|k)\b)?"
    r"(?P<share>,?\s+(?:per|a)\s+(?:(?P<qual>diluted|basic)\s+)?(?:common\s+)?share\b)?",
    re.IGNORECASE,
)
PERCENT_RE = re.compile(
    rf"(?<![\w.$])(?:\((?P<neg>{_NUM})\)|(?P<num>{_NUM}))\s?(?:%|percent\b)", re.IGNORECASE
)
COUNT_RE = re.compile(
    rf"(?<![\w$.,/:(%-])(?P<num>{_NUM})(?![\w,%:/-]|\.\d)\s+(?P<noun>[A-Za-z][a-z-]*)"
)
NOT_NOUNS = frozenset({"million", "billion", "thousand", "percent", "per", "and", "or", "to", "of"})
PHONE_RE = re.compile(r"(?<!\d)(?:\+?1[-. ])?\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}(?!\d)")
TIME_RE = re.compile(r"\b\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)
URL_RE = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
COMPARE_RE = re.compile(
    r"\bcompared (?:to|with)\b|\bversus\b|\bvs\.?(?=\s)|\b(?:up|down|increased|decreased) from\b",
    re.IGNORECASE,
)
SCALE_WORDS = {
    "thousand": Decimal(10) ** 3,
    "k": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "mm": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
}


def prose_checks(document: Document, facts: Sequence[Fact]) -> list[Check]:
    """Every figure of the narrative against the cell it restates, within the prose's rounding."""
    concepts = [(f, concept_of(f)) for f in facts]
    names = {c.name for _, c in concepts if not c.context and c.name}
    latest = LatestPeriods.of(facts)
    checks: list[Check] = []
    for passage in document.passages:
        if passage.kind != "heading":
            lines = [document.line(n) for n in range(passage.first_line, passage.last_line + 1)]
            for figure in read_figures(passage, lines, names, latest):
                checks.append(_prose_check(figure, concepts))
    return checks


@dataclass(frozen=True)
class LatestPeriods:
    """What "the quarter" and "the year" mean in a release's prose: its latest ones."""

    quarter: Period | None
    year: int | None

    @classmethod
    def of(cls, facts: Sequence[Fact]) -> LatestPeriods:
        quarters = [f.period for f in facts if f.period.kind == "quarter"]
        years = [f.period.fiscal_year for f in facts if f.period.kind == "year"]
        q = max(quarters, key=lambda p: (p.fiscal_year, p.quarter or 0)) if quarters else None
        return cls(
            Period("quarter", q.fiscal_year, q.quarter) if q else None,
            max(years) if years else (q.fiscal_year if q else None),
        )


@lru_cache(maxsize=8)
def _metric_pattern(names: frozenset[str]) -> re.Pattern[str] | None:
    """One pattern for every row label a sentence may name, longest first, plurals allowed."""
    usable = sorted((n for n in names if not n.isdigit()), key=len, reverse=True)
    if not usable:
        return None
    alts = [r"[\s-]+".join(re.escape(w) for w in n.split()) + r"(?:s|es)?" for n in usable]
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.IGNORECASE)


def _mask(text: str) -> str:
    """Blank out what holds digits but is no figure: addresses, dates, times, phone numbers."""
    for pattern in (URL_RE, DATE_RE, TIME_RE, PHONE_RE):
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def _line_at(first_line: int, lines: Sequence[str], offset: int) -> int:
    """The release line of a character of a passage (its lines joined by single spaces)."""
    pos = 0
    kept = [(first_line + k, t.strip()) for k, t in enumerate(lines) if t.strip()]
    for number, text in kept:
        pos += len(text) + 1
        if offset < pos:
            return number
    return kept[-1][0] if kept else first_line


def read_figures(
    passage: Passage, lines: Sequence[str], names: Iterable[str], latest: LatestPeriods
) -> list[ProseFigure]:
    """The figures of one passage, each with its metric, basis and period read from its sentence.

    A figure's period is the first one named after it in its clause (clauses split at
    "compared to"), else the last one before it; its metric the nearest row label before it.
    """
    known = frozenset(names)
    metrics = _metric_pattern(known)
    text = passage.text
    masked = _mask(text)
    figures: list[ProseFigure] = []
    for start, end in _sentences(masked):
        sentence = masked[start:end]
        found = _figures_in(sentence)
        if not found:
            continue
        periods = _periods_in(sentence, latest)
        cuts = [0] + [m.start() for m in COMPARE_RE.finditer(sentence)] + [len(sentence)]
        mentions = list(metrics.finditer(sentence)) if metrics else []
        for raw in found:
            seg = max(k for k in range(len(cuts) - 1) if cuts[k] <= raw.start)
            unit, quals = _per_share_wording(sentence, mentions, raw)
            figures.append(
                ProseFigure(
                    text[start + raw.start : start + raw.end].strip(),
                    _line_at(passage.first_line, lines, start + raw.start),
                    raw.value,
                    unit,
                    raw.half_unit,
                    raw.multiplier,
                    _metric_at(mentions, raw, known, _owner(sentence, found, raw, mentions)),
                    _basis_at(sentence, raw.start),
                    _period_at(periods, raw.start, cuts[seg], cuts[seg + 1]),
                    quals,
                    _sign_word(sentence[cuts[seg] : raw.start]),
                )
            )
    return figures


# A figure right after these words, or right before the second, is a change, not a level.
CHANGE_BEFORE_RE = re.compile(
    r"\b(?:(?:increase|decrease|decline|grew|rose|fell|climbed|dropped|improve|change)[ds]?"
    r"(?:ment)?(?:\s+(?:by|of))?|up|down)\s+(?:approximately\s+|about\s+)?\(?$",
    re.IGNORECASE,
)
CHANGE_AFTER_RE = re.compile(
    r"\s*(?:million|billion|thousand)?\s*(?:,\s*or\s+\S+\s*,?\s*)?"
    r"(?:increase|decrease|decline|improvement|reduction|change|growth)\b",
    re.IGNORECASE,
)
# "write-offs of $64 million": the word before "of" names what the figure is, and unless a
# row's name ends there, it is no row's figure.
OWNED_RE = re.compile(r"([\w-]+)\s+of\s+(?:approximately\s+|about\s+|a\s+)?\(?$", re.IGNORECASE)
# Between two figures of one list: "in personnel expenses, ", " and ".
LISTED_RE = re.compile(r"(?:\s+(?:in|for|from)\s+[\w\s-]{1,40})?\s*,?\s*(?:and\s+)?", re.IGNORECASE)
# Words that may stand before a row's name without narrowing what it measures.
LEAD_WORDS = frozenset(
    """a an the our its their his her this that these those total net and or of for in on at to
    from by with was were is are as than quarterly annual fiscal full-year year-end reported
    adjusted consolidated overall gaap non-gaap""".split()
)
AFTER_FIGURE_CHARS = 24  # a row named after its figure: "$12.3 million in revenue"
PER_SHARE_AFTER_RE = re.compile(
    r"\s+per\s+(?:(?P<qual>diluted|basic)\s+)?(?:common\s+)?share\b", re.IGNORECASE
)
# Words that carry a figure's sign, so the prose prints it without one.
SIGN_WORDS_RE = re.compile(
    r"\b(?:used|deficit|loss(?:es)?|outflows?|decrease[sd]?|declined?|negative)\b", re.IGNORECASE
)


def _per_share_wording(
    sentence: str, mentions: list[re.Match[str]], raw: _Raw
) -> tuple[str, frozenset[str]]:
    """ "net loss per diluted share was $0.05": the per-share words follow the metric, not the
    figure; a figure without a scale word is then an amount per share."""
    if raw.unit != "USD" or raw.multiplier != 1:
        return raw.unit, raw.qualifiers
    before = [m for m in mentions if m.end() <= raw.start]
    if before:
        m = PER_SHARE_AFTER_RE.match(sentence, before[-1].end())
        if m and not re.search(r"\$", sentence[m.end() : raw.start].replace(" ", "")[:-1]):
            quals = frozenset({m["qual"].lower()}) if m["qual"] else raw.qualifiers
            return "USD per share", quals
    return raw.unit, raw.qualifiers


def _sign_word(clause: str) -> str:
    found = SIGN_WORDS_RE.findall(clause)
    return found[-1].lower() if found else ""


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z])", text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


@dataclass(frozen=True)
class _Raw:
    start: int
    end: int
    value: Decimal
    unit: str
    half_unit: Decimal
    multiplier: Decimal
    qualifiers: frozenset[str] = frozenset()


def _figures_in(sentence: str) -> list[_Raw]:
    found = [_money(m) for m in MONEY_RE.finditer(sentence)]
    for m in PERCENT_RE.finditer(sentence):
        if not _overlaps(found, m.start(), m.end()):
            found.append(_percent(m))
    for m in COUNT_RE.finditer(sentence):
        if _is_count(sentence, m, found):
            digits = m["num"].replace(",", "")
            found.append(_Raw(m.start(), m.end(), Decimal(digits), "count", ZERO, Decimal(1)))
    return sorted(found, key=lambda r: r.start)


def _money(m: re.Match[str]) -> _Raw:
    number = Decimal((m["neg"] or m["num"]).replace(",", ""))
    per_share = bool(m["share"])
    mult = Decimal(1) if per_share else SCALE_WORDS.get((m["scale"] or "").lower(), Decimal(1))
    sign = -1 if (m["minus"] or m["neg"]) else 1
    quals = frozenset({m["qual"].lower()}) if m["qual"] else frozenset()
    return _Raw(
        m.start(),
        m.end(),
        sign * number * mult,
        "USD per share" if per_share else "USD",
        HALF * Decimal(1).scaleb(-places(number)) * mult,
        mult,
        quals,
    )


def _percent(m: re.Match[str]) -> _Raw:
    number = Decimal((m["neg"] or m["num"]).replace(",", ""))
    half = HALF * Decimal(1).scaleb(-places(number))
    value = -number if m["neg"] else number
    return _Raw(m.start(), m.end(), value, "percent", half, Decimal(1))


def _is_count(sentence: str, m: re.Match[str], found: Sequence[_Raw]) -> bool:
    """A number before a noun that is a count, not a year, a name or part of another figure."""
    digits = m["num"].replace(",", "")
    end = m.start() + len(m["num"])
    if _overlaps(found, m.start(), end) or m["noun"].lower() in NOT_NOUNS:
        return False
    if re.fullmatch(r"(?:19|20)\d\d", digits) or m["noun"][:1].isupper():
        return False  # a year is a period; "2 Gbps", "3 DTN" name things
    before = sentence[: m.start()].split()
    return not (len(before) > 1 and before[-1][:1].isupper())  # "Tier 1", "Topic 718"


def _overlaps(found: Sequence[_Raw], a: int, b: int) -> bool:
    return any(a < r.end and r.start < b for r in found)


_Q_ORD = r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)"
_YEAR = r"(?P<y>(?:19|20)\d{2})"
PERIOD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "quarter",
        re.compile(
            rf"\b{_Q_ORD}[\s-]+(?:fiscal\s+)?quarter"
            rf"(?:\s+(?:of\s+)?(?:fiscal\s+)?(?:year\s+)?{_YEAR})?",
            re.IGNORECASE,
        ),
    ),
    ("quarter", re.compile(r"\bQ(?P<q>[1-4])\s*(?:['’]|FY)?\s*(?P<yy>\d{4}|\d{2})\b", re.I)),
    ("year_ago_quarter", re.compile(r"\b(?:year[- ]ago|prior[- ]year|same)\s+quarter\b", re.I)),
    ("prior_quarter", re.compile(r"\b(?:prior|previous|preceding|sequential)\s+quarter\b", re.I)),
    ("latest_quarter", re.compile(r"\b(?:the|this|current)\s+quarter\b", re.I)),
    ("year_end", re.compile(r"\b(?:at|as of)\s+(?:the\s+)?(?:fiscal\s+)?year[- ]end\b", re.I)),
    ("prior_year", re.compile(r"\b(?:prior|previous|last)\s+(?:fiscal\s+)?year\b", re.I)),
    ("latest_year", re.compile(r"\b(?:the|this|current)\s+(?:full\s+)?(?:fiscal\s+)?year\b", re.I)),
    ("year", re.compile(rf"\b(?:fiscal\s+(?:year\s+)?|FY\s*)?{_YEAR}\b", re.I)),
)


@dataclass(frozen=True)
class _PeriodMention:
    start: int
    end: int
    period: Period


def _periods_in(sentence: str, latest: LatestPeriods) -> list[_PeriodMention]:
    found: list[_PeriodMention] = []
    for kind, pattern in PERIOD_PATTERNS:
        for m in pattern.finditer(sentence):
            if any(m.start() < p.end and p.start < m.end() for p in found):
                continue
            period = _period_of(kind, m, latest)
            if period is not None:
                found.append(_PeriodMention(m.start(), m.end(), period))
    return sorted(found, key=lambda p: p.start)


def _period_of(kind: str, m: re.Match[str], latest: LatestPeriods) -> Period | None:
    gd = m.groupdict()
    ly = latest.year
    if kind == "quarter":
        q = int(gd["q"]) if gd.get("q") else ORDINALS[gd["ord"].lower()]
        year = gd.get("y") or gd.get("yy")
        fy = (int(year) if len(year) == 4 else 2000 + int(year)) if year else ly
        return Period("quarter", fy, q) if fy else None
    if kind == "year":
        return Period("year", int(gd["y"]))
    if ly is None:
        return _relative_quarter(kind, latest.quarter)
    return {
        "latest_year": Period("year", ly),
        "year_end": Period("instant", ly, 4),
        "prior_year": Period("year", ly - 1),
    }.get(kind) or _relative_quarter(kind, latest.quarter)


def _relative_quarter(kind: str, lq: Period | None) -> Period | None:
    """The quarter, the one before it, or the same quarter a year ago."""
    if lq is None or lq.quarter is None or kind in ("latest_year", "year_end", "prior_year"):
        return None
    if kind == "latest_quarter":
        return lq
    if kind == "year_ago_quarter":
        return Period("quarter", lq.fiscal_year - 1, lq.quarter)
    if lq.quarter == 1:
        return Period("quarter", lq.fiscal_year - 1, 4)
    return Period("quarter", lq.fiscal_year, lq.quarter - 1)


def _period_at(
    periods: list[_PeriodMention], at: int, clause_start: int, clause_end: int
) -> Period | None:
    after = [p for p in periods if at < p.start < clause_end]
    if after:
        return after[0].period
    before = [p for p in periods if clause_start <= p.start < at]
    return before[-1].period if before else None


def _metric_at(
    mentions: list[re.Match[str]], raw: _Raw, known: frozenset[str], owner: str
) -> str | None:
    """The row label the sentence names nearest before the figure (else right after it).

    A figure that is a change ("increased by $60.1 million") or that another noun owns ("a net
    loss of $3.8 million" after the row's own figure) measures no row; neither does one whose
    row is named only several words after it ("$1.1 billion of unrecognized cost for RSUs").
    """
    if owner:
        return None
    before = [m for m in mentions if m.end() <= raw.start]
    after = [m for m in mentions if m.start() >= raw.end]
    if before:
        chosen = before[-1]
        if _qualified(chosen):
            return None
    elif after and after[0].start() - raw.end <= AFTER_FIGURE_CHARS:
        chosen = after[0]
    else:
        return None
    words = " ".join(re.split(r"[\s-]+", chosen.group().lower()))
    for name in (words, words.removesuffix("s"), words.removesuffix("es")):
        if name in known:
            return name
    return words


def _qualified(mention: re.Match[str]) -> bool:
    """ "direct services revenue was $2.9 million": a word before the row's name that is no
    article, basis or connective narrows it to a measure the table does not print."""
    words = re.findall(
        r"[A-Za-z][\w-]*|\S", mention.string[max(0, mention.start() - 30) : mention.start()]
    )
    return bool(words) and words[-1][0].islower() and words[-1] not in LEAD_WORDS


def _owner(sentence: str, found: Sequence[_Raw], raw: _Raw, mentions: list[re.Match[str]]) -> str:
    """Why the figure is not its row's level: "change" or "other noun", else "".

    A figure listed right after another ("increases of $14.9 million in personnel, $8.6
    million in hosting") is what the one before it is.
    """
    lead = sentence[max(0, raw.start - 40) : raw.start]
    if CHANGE_BEFORE_RE.search(lead) or CHANGE_AFTER_RE.match(sentence, raw.end):
        return "change"
    owned = OWNED_RE.search(sentence, max(0, raw.start - 60), raw.start)
    if owned and not any(m.end() == owned.end(1) for m in mentions):
        return "other noun"
    previous = [r for r in found if r.end <= raw.start]
    if previous and LISTED_RE.fullmatch(sentence, previous[-1].end, raw.start):
        return _owner(sentence, found, previous[-1], mentions)
    return ""


def _basis_at(sentence: str, at: int) -> str:
    marks = re.findall(r"\bnon-gaap\b|(?<!non-)\bgaap\b", sentence[:at], re.IGNORECASE)
    return "non-GAAP" if marks and marks[-1].lower().startswith("non") else "GAAP"


def _restates(figure: ProseFigure, fact: Fact, concept: Concept) -> bool:
    """Could this cell be the one the figure restates: same metric, unit and share class?"""
    if concept.context or figure.metric is None:
        return False
    if figure.unit == "USD per share":
        return (
            fact.unit == "USD per share"
            and (concept.name.startswith(figure.metric + " per") or concept.name == figure.metric)
            and _compatible(figure.qualifiers, concept.qualifiers)
        )
    if figure.unit == "count":
        return fact.unit in ("count", "days") and concept.name == figure.metric
    return fact.unit == figure.unit and concept.name == figure.metric


def _prose_check(figure: ProseFigure, concepts: list[tuple[Fact, Concept]]) -> Check:
    """The figure against the cell its sentence reads; a figure whose row the tables print
    but no cell of its basis and period restates fails, naming the nearest cell."""
    same = [(f, c) for f, c in concepts if _restates(figure, f, c)]
    candidates = _candidates(figure, same)
    reading = _reading(figure)
    name = f'"{figure.text}" ({reading})'
    # With no cell of its basis, the figure answers to its row's cells of its period in
    # another basis; a period the tables do not print leaves it unsourced, as before.
    pool = candidates or [f for f, c in same if figure.period in (None, c.period)]
    if not pool:
        return _no_source(figure, name)
    pool.sort(key=lambda f: (_precision(f), f.table_index, f.line))
    tries = [(f, *_prose_compare(figure, f)) for f in pool]
    cell, ok, expected, tol, note = next((t for t in tries if t[1]), tries[0])
    if not ok:
        note = _mismatch(figure, cell, same, pool)
    elif not candidates:
        note = f"the tables print it as {cell.basis or 'GAAP'}, not {figure.basis}; {note}"
    elif figure.period is None:
        note += f"; the sentence names no period, the cell is {cell.period.label}"
    return Check(
        "prose",
        name,
        figure.period or cell.period,
        ((f"{_short(cell.table)} > {cell.row_text}", cell.value, cell.line),),
        expected,
        _trim(figure.value / figure.multiplier),
        tol,
        ok,
        (figure.line, cell.line),
        note,
    )


def _reading(figure: ProseFigure) -> str:
    """What the sentence says the figure is: its row, basis and period."""
    period = figure.period.label if figure.period else "no period named"
    return ", ".join([figure.metric or "no row named", figure.basis, period])


def _no_source(figure: ProseFigure, name: str) -> Check:
    return Check(
        "prose",
        name,
        figure.period,
        (),
        None,
        _trim(figure.value / figure.multiplier),
        ZERO,
        False,
        (figure.line,),
        "no source in the tables",
        NO_SOURCE,
    )


def _candidates(figure: ProseFigure, same: list[tuple[Fact, Concept]]) -> list[Fact]:
    """The cells of the figure's row in the basis and period its sentence names; with no
    period named, those of the latest period (the one the release is about)."""
    found = [
        f
        for f, c in same
        if c.basis == figure.basis and (figure.period is None or c.period == figure.period)
    ]
    if figure.period is None and found:
        latest = max(_period_end(f.period) for f in found)
        found = [f for f in found if _period_end(f.period) == latest]
    return found


def _mismatch(
    figure: ProseFigure, cell: Fact, same: list[tuple[Fact, Concept]], candidates: list[Fact]
) -> str:
    note = (
        f"the prose says {figure.text} but {_short(cell.table)} prints {_raw(cell)} "
        f"on line {cell.line}"
    )
    elsewhere = [(f, c) for f, c in same if f not in candidates and _prose_compare(figure, f)[0]]
    if elsewhere:
        f, c = elsewhere[0]
        note += f"; it matches {f.row_text} ({c.basis}, {c.period.label}, line {f.line})"
    return note


def _period_end(period: Period) -> tuple[int, int]:
    return period.fiscal_year, period.quarter or 4


def _prose_compare(figure: ProseFigure, cell: Fact) -> tuple[bool, Decimal, Decimal, str]:
    """Does the prose figure restate the cell, rounded the way the prose rounds it?"""
    value, prose = _base(cell), figure.value
    note = ""
    if prose * value < 0 and (figure.sign_word or "loss" in (figure.metric or "")):
        value, prose = abs(value), abs(prose)
        note = f"written without its sign, which '{figure.sign_word or 'loss'}' carries; "
    cell_half = ZERO if cell.unit == "percent" else _precision(cell) / 2
    half = max(figure.half_unit, cell_half)
    ok = abs(prose - value) <= half
    note += f"restates {cell.row_text} ({_short(cell.table)}, line {cell.line}: {_raw(cell)})"
    if figure.half_unit > cell_half and cell.unit != "percent":
        step = _trim(figure.half_unit * 2 / figure.multiplier)
        word = next((w for w, v in SCALE_WORDS.items() if v == figure.multiplier), "")
        note += f" rounded to {step} {word}".rstrip()
    scale = figure.multiplier
    return ok, _trim(value / scale), _trim(half / scale), note


# ---------------------------------------------------------------------------------- helpers


def _step(fact: Fact) -> str:
    """The rounding a printed figure carries, as a reader says it: "0.1 million", "1 thousand"."""
    word = {"units": "", "thousands": " thousand", "millions": " million"}[fact.scale]
    return f"{Decimal(1).scaleb(-places(fact.value))}{word}"


def _raw(fact: Fact) -> str:
    return "".join(fact.raw.split())


def _short(title: str) -> str:
    return title.replace("Condensed Consolidated ", "").replace("GAAP Statements", "Statements")


def _trim(value: Decimal) -> Decimal:
    """No trailing zeros from a division; whole numbers stay whole."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _num(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:,}"


def _render(c: Check) -> str:
    mark = {PASSED: "PASS", FAILED: "FAIL", SKIPPED: "SKIP", NO_SOURCE: "INFO"}[c.status]
    period = f" [{c.period.label}]" if c.period else ""
    out = [f"{mark} line {c.lines[0]}{period}: {c.name}"]
    if c.expected is not None or c.actual is not None:
        out.append(
            f"     expected {_num(c.expected)}, printed {_num(c.actual)}, "
            f"tolerance {_num(c.tolerance)}; lines {', '.join(str(n) for n in c.lines)}"
        )
    if c.inputs:
        out.append("     from: " + "; ".join(f"{a} = {_num(v)} (line {n})" for a, v, n in c.inputs))
    if c.note:
        out.append(f"     {c.note}")
    return "\n".join(out)
