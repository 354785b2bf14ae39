"""The tie-out audit: every total foots, every statement agrees, every prose figure has a cell.

An investor-relations team ticks and ties a release before it goes out; the facts hold every
cell, so the same checks run here as pure functions over a `ParsedRelease`. Nothing is written
for one release: totals are found from the rule lines and headings the tables print, restated
figures from their normalized labels and periods, prose figures from the words around them.

Every `Check` names the line it is about first in `lines`, so a failure says where to look.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from index.facts import SCALES, Fact
from index.periods import DATE_RE, ORDINALS, Period
from index.release import ParsedRelease
from index.segment import Passage, TableBlock, is_rule
from index.tables import ROW_SCALE_RE

KINDS = ("footing", "reconciliation", "balance", "tie", "prose", "arithmetic")
PASSED, FAILED, SKIPPED, NO_SOURCE = "passed", "failed", "skipped", "no source"

Input = tuple[str, Decimal, int]
ZERO = Decimal(0)
HALF = Decimal("0.5")
PERCENT_TOLERANCE = Decimal(1)


@dataclass(frozen=True)
class Check:
    """One tick: a figure as printed (`actual`) against what its sources say (`expected`).

    `lines` starts with the line of the figure under audit; `status` is passed, failed,
    skipped (the audit cannot tell what to compare) or "no source" (a prose figure no cell
    restates: informational, not a failure).
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
            "expected": _str(self.expected),
            "actual": _str(self.actual),
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
        return (
            f"{self.checks} checks: {self.passed} passed, {self.failed} failed, "
            f"{self.skipped} skipped, {self.no_source} prose figures with no source in the tables"
        )


@dataclass(frozen=True)
class AuditReport:
    """Every check the release allowed, in the order a reader would tick them."""

    checks: tuple[Check, ...]
    release: str = ""

    def summary(self) -> AuditSummary:
        count = defaultdict(int)
        for c in self.checks:
            count[c.status] += 1
        kinds = tuple(
            (k, sum(c.kind == k for c in self.checks), sum(c.kind == k and c.failed for c in self.checks))
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
        out = [f"Tie-out audit of {self.release or 'the release'}"]
        summary = self.summary()
        for kind, total, failed in summary.by_kind:
            if not total:
                continue
            out += ["", f"== {kind}: {total} checks, {failed} failed =="]
            out += [_render(c) for c in self.checks if c.kind == kind]
        if self.failures:
            out += ["", "== failures =="]
            out += [
                f"FAIL line {c.lines[0]}: {c.kind}: {c.name}"
                + (f" [{c.period.label}]" if c.period else "")
                + f": expected {_num(c.expected)}, printed {_num(c.actual)}"
                + (f" ({c.note})" if c.note else "")
                for c in self.failures
            ]
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
    facts = parsed.facts
    checks: list[Check] = []
    for block in parsed.document.tables:
        table_facts = [f for f in facts if f.table_index == block.index]
        if table_facts:
            checks += footing_checks(block, table_facts)
    checks += balance_checks(facts)
    checks += tie_checks(facts)
    checks += arithmetic_checks(facts)
    checks += prose_checks(parsed.document.passages, facts)
    return AuditReport(tuple(checks), parsed.release)


# ---------------------------------------------------------------------------------- footing


@dataclass(frozen=True)
class _Row:
    """A table row as the footing sees it: where it sits, how deep, its cell per column."""

    label: str
    path: tuple[str, ...]
    first: int
    line: int
    indent: int
    unit: str
    scale: str
    cells: dict[str, Fact] = field(hash=False, compare=False)

    @property
    def is_total_label(self) -> bool:
        low = self.label.lower()
        return low.startswith("total ") or low == "total" or low == "subtotal"


@dataclass(frozen=True)
class _Item:
    """One step of a table read top to bottom: a row, a heading line, a rule or a blank."""

    kind: str  # "row" | "heading" | "rule" | "blank"
    line: int
    row: _Row | None = None
    rule: str = ""  # "-" or "=" for a rule under figures; "" for a row separator


@dataclass(frozen=True)
class _Scope:
    items: tuple[_Row, ...]
    start: int  # index of the first sequence item this scope covers


def footing_checks(block: TableBlock, facts: Sequence[Fact]) -> list[Check]:
    """Foot every printed total of one table, in every column.

    A total is a row labelled "Total ..." or "Subtotal", or a row standing directly under a
    rule line; a running total (Gross profit, Net loss) is a row at the headings' indentation
    that ties to the totals above it in most columns. Components are the rows above, back to a
    heading, with earlier totals standing in for the rows they total.
    """
    seq, columns = _sequence(block, facts)
    label_col = min(
        [it.row.indent for it in seq if it.row is not None]
        + [_indent(_text(block, it.line)) for it in seq if it.kind == "heading"]
    )
    spans: dict[int, int] = {}
    checks: list[Check] = []
    for i, item in enumerate(seq):
        row = item.row
        if row is None:
            continue
        above = seq[i - 1] if i > 0 else None
        under = above.rule if above is not None and above.kind == "rule" else ""
        if under == "=" and not row.is_total_label:
            checks.append(_skipped_under_double_rule(block, row, above.line if above else 0))
            continue
        scopes = _scopes(seq, i, row, spans)
        if row.is_total_label or under == "-":
            if not scopes:
                checks.append(_skipped_no_components(block, row, under))
                continue
            scope, mode = _choose(scopes, row, columns, running=False)
            spans[i] = scope.start
            checks += _foot(block, row, scope, mode, columns)
        elif row.indent <= label_col and scopes:
            chosen = _choose(scopes, row, columns, running=True)
            if chosen is not None:
                scope, mode = chosen
                spans[i] = scope.start
                checks += _foot(block, row, scope, mode, columns, running=True)
    return checks


def _text(block: TableBlock, line: int) -> str:
    return dict(block.lines).get(line, "")


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _sequence(block: TableBlock, facts: Sequence[Fact]) -> tuple[list[_Item], list[str]]:
    """The table body below its column rule as rows, headings, rules and blanks."""
    by_line: dict[int, list[Fact]] = defaultdict(list)
    columns: list[str] = []
    for f in facts:
        by_line[f.line].append(f)
        if f.column not in columns:
            columns.append(f.column)
    first_label = min(f.label_line for f in facts)
    header_rule = max(
        (n for n, t in block.lines if n < first_label and is_rule(t)), default=block.lines[0][0]
    )
    row_at: dict[int, _Row] = {}
    row_lines: set[int] = set()
    for line, cells in by_line.items():
        f = cells[0]
        text = _text(block, f.label_line)
        unit = next((c.unit for c in cells if c.unit != "percent"), f.unit)
        scale = next((c.scale for c in cells if c.unit == unit), f.scale)
        row = _Row(
            f.label, f.row, f.label_line, line, _indent(text), unit, scale,
            {c.column: c for c in cells},
        )  # fmt: skip
        row_at[f.label_line] = row
        row_lines.update(range(min(f.label_line, line), line + 1))
    value_start = min(_value_start(_text(block, n)) for n in by_line)
    seq: list[_Item] = []
    for n, text in block.lines:
        if n <= header_rule:
            continue
        if n in row_at:
            seq.append(_Item("row", n, row_at[n]))
        elif n in row_lines:
            continue
        elif not text.strip():
            seq.append(_Item("blank", n))
        elif is_rule(text):
            separator = _indent(text) < value_start - 1
            seq.append(_Item("rule", n, rule="" if separator else ("=" if "=" in text else "-")))
        else:
            seq.append(_Item("heading", n))
    return seq, columns


def _value_start(text: str) -> int:
    """Where the figures of a row begin: a rule starting left of this spans the labels too."""
    from index.segment import trailing_cells

    cells = trailing_cells(text)
    return cells[0].start() if cells else len(text)


def _scopes(seq: list[_Item], i: int, row: _Row, spans: dict[int, int]) -> list[_Scope]:
    """Candidate component sets for row i, innermost first: one more heading crossed each."""
    items: list[_Row] = []
    scopes: list[_Scope] = []
    j = i - 1
    while j >= 0:
        it = seq[j]
        if it.kind == "blank" or (it.kind == "rule" and (not it.rule or j == i - 1)):
            j -= 1
            continue
        if it.kind == "rule":
            if it.rule == "=":
                break  # a double rule closes the figure above it; nothing runs past it
            j -= 1
            continue
        if it.kind == "heading":
            top = j
            while top > 0 and seq[top - 1].kind == "heading":
                top -= 1
            if items and (not scopes or scopes[-1].items != tuple(items)):
                scopes.append(_Scope(tuple(items), top))
            j = top - 1
            continue
        r = it.row
        assert r is not None
        if (r.unit, r.scale) != (row.unit, row.scale):
            break
        items.insert(0, r)
        j = spans.get(j, j) - 1
    if items and (not scopes or scopes[-1].items != tuple(items)):
        scopes.append(_Scope(tuple(items), j + 1))
    return scopes


MODES = ("sum", "difference")


def _computed(items: Sequence[_Row], column: str, mode: str) -> Decimal:
    values = [r.cells[column].value if column in r.cells else ZERO for r in items]
    if mode == "sum":
        return sum(values, ZERO)
    return values[0] - sum(values[1:], ZERO)


def _foot_tolerance(row: _Row, items: Sequence[_Row], column: str) -> Decimal:
    """Whole figures foot exactly (statements are force-footed); percents within a point;
    figures printed with decimals are rounded one by one, half a unit each."""
    cells = [r.cells[column] for r in (row, *items) if column in r.cells]
    if any(c.unit == "percent" for c in cells):
        return PERCENT_TOLERANCE
    places = max((_places(c.value) for c in cells), default=0)
    if places == 0:
        return ZERO
    return HALF * Decimal(1).scaleb(-places) * len(cells)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _holds(row: _Row, scope: _Scope, column: str, mode: str) -> bool:
    if mode == "difference" and not _starts_with_total(scope):
        return False
    got = _computed(scope.items, column, mode)
    return abs(got - row.cells[column].value) <= _foot_tolerance(row, scope.items, column)


def _starts_with_total(scope: _Scope) -> bool:
    return len(scope.items) >= 2 and scope.items[0].line in {
        r.line for r in scope.items[:1]
    } and _was_total(scope.items[0])


def _was_total(row: _Row) -> bool:
    return row.is_total_label or row.path == (row.label,) or row.indent <= 0


def _choose(
    scopes: list[_Scope], row: _Row, columns: list[str], running: bool
) -> tuple[_Scope, str] | None:
    """The innermost scope and mode that tie in every column; else the one tying in most.

    A running total (no rule, no "Total" label) is only taken as one when it builds on an
    earlier total and ties in at least half of its non-zero columns: otherwise it is a line item.
    """
    cols = [c for c in columns if c in row.cells]
    best: tuple[int, _Scope, str] | None = None
    for scope in scopes:
        if running and (len(scope.items) < 2 or not any(_is_total(r) for r in scope.items)):
            continue
        for mode in MODES:
            if mode == "difference" and not _starts_with_total(scope):
                continue
            tied = sum(_holds(row, scope, c, mode) for c in cols)
            if tied == len(cols) and (not running or tied):
                return scope, mode
            if best is None or tied > best[0]:
                best = (tied, scope, mode)
    if running:
        live = [c for c in cols if row.cells[c].value != 0]
        if best is None or best[0] == 0 or best[0] * 2 < max(len(live), 1):
            return None
        return best[1], best[2]
    if best is None or best[0] == 0:
        return scopes[0], "sum"
    return best[1], best[2]


_TOTAL_LINES: set[tuple[str, int]] = set()


def _is_total(row: _Row) -> bool:
    return row.is_total_label or (row.label, row.line) in _TOTAL_LINES


def _mode_text(scope: _Scope, mode: str) -> str:
    first = scope.items[0].label
    if mode == "difference":
        return f"running difference: {first} minus the rows after it"
    if any(_is_total(r) for r in scope.items):
        return f"running sum: {first} plus the rows after it"
    return f"sum of the {len(scope.items)} rows above"


def _foot(
    block: TableBlock,
    row: _Row,
    scope: _Scope,
    mode: str,
    columns: list[str],
    running: bool = False,
) -> list[Check]:
    _TOTAL_LINES.add((row.label, row.line))
    total_cell = next(iter(row.cells.values()))
    parts = [r for r in scope.items]
    kind = (
        "reconciliation"
        if total_cell.basis == "non-GAAP"
        and any(next(iter(r.cells.values())).basis == "GAAP" for r in parts)
        else "footing"
    )
    name = f"{block.title}: {' > '.join(row.path)} = {_mode_text(scope, mode)}"
    checks: list[Check] = []
    for column in columns:
        if column not in row.cells:
            continue
        cell = row.cells[column]
        got = _computed(parts, column, mode)
        tol = _foot_tolerance(row, parts, column)
        ok = abs(got - cell.value) <= tol
        inputs = tuple(
            (r.label, r.cells[column].value if column in r.cells else ZERO, r.line) for r in parts
        )
        note = "" if ok else _foot_failure(scope, mode, row, column)
        if running and ok:
            note = "a running total: no rule or 'Total' label marks it, the rows above tie to it"
        checks.append(
            Check(
                kind, name, cell.period, inputs, got, cell.value, tol, ok,
                (row.line, *(r.line for r in parts)), note,
            )  # fmt: skip
        )
    return checks


def _foot_failure(scope: _Scope, mode: str, row: _Row, column: str) -> str:
    tries = [f"{m}: {_num(_computed(scope.items, column, m))}" for m in MODES if m == "sum" or (
        _starts_with_total(scope)
    )]
    diff = row.cells[column].value - _computed(scope.items, column, mode)
    return (
        f"does not foot: printed {_num(row.cells[column].value)} is off by {_num(diff)}; "
        f"tried {', '.join(tries)}"
    )


def _skipped_under_double_rule(block: TableBlock, row: _Row, rule_line: int) -> Check:
    return Check(
        "footing",
        f"{block.title}: {' > '.join(row.path)}",
        None,
        (),
        None,
        None,
        ZERO,
        False,
        (row.line, rule_line),
        f"skipped: a double rule (line {rule_line}) stands above this row, and a double rule "
        "closes the figure above it; which rows make up this one is not printed",
        SKIPPED,
    )


def _skipped_no_components(block: TableBlock, row: _Row, under: str) -> Check:
    why = "a rule stands above it" if under else "its label says it is a total"
    return Check(
        "footing",
        f"{block.title}: {' > '.join(row.path)}",
        None,
        (),
        None,
        None,
        ZERO,
        False,
        (row.line,),
        f"skipped: {why}, but no rows in its unit stand above it to sum",
        SKIPPED,
    )


# ---------------------------------------------------------------------------------- balance


def balance_checks(facts: Sequence[Fact]) -> list[Check]:
    """Total assets equal total liabilities and equity, in every balance-sheet column."""
    assets = [f for f in facts if _norm(f.label) == "total assets"]
    both = [
        f for f in facts if re.fullmatch(r"total liabilities and (?:\w+ )?equity", _norm(f.label))
    ]
    liabilities = [f for f in facts if _norm(f.label) == "total liabilities"]
    equity = [f for f in facts if re.fullmatch(r"total (?:\w+ )?equity", _norm(f.label))]
    checks: list[Check] = []
    for a in assets:
        same = [f for f in both if f.table_index == a.table_index and f.column == a.column]
        if same:
            sides = same[:1]
        else:
            sides = [
                f
                for f in (*liabilities, *equity)
                if f.table_index == a.table_index and f.column == a.column
            ]
        if not sides:
            continue
        got = sum((f.value for f in sides), ZERO)
        ok = got == a.value
        checks.append(
            Check(
                "balance",
                f"{a.table}: total assets = " + " + ".join(f.label for f in sides),
                a.period,
                ((a.label, a.value, a.line), *((f.label, f.value, f.line) for f in sides)),
                a.value,
                got,
                ZERO,
                ok,
                (sides[-1].line, a.line, *(f.line for f in sides[:-1])),
                "" if ok else f"the balance sheet does not balance: off by {_num(got - a.value)}",
            )
        )
    return checks


# ------------------------------------------------------------------------------------ ties


@dataclass(frozen=True)
class Concept:
    """What a cell measures, read from its label and section: the key restated figures share."""

    name: str
    basis: str
    unit: str
    period: Period
    qualifiers: frozenset[str]


_QUALIFIER_RE = re.compile(r"\b(?:basic and diluted|basic|diluted)\b")
_ANCHOR_RE = re.compile(r"\bat (end|beginning) of (?:the )?(?:period|year|quarter)\b")
_PLAIN_ROW = re.compile(r"^(?:u s )?(?:as reported|as adjusted|reported|adjusted)$")


def _norm(text: str) -> str:
    """A label as a key: lower case, no scale marks, no basis words, no punctuation, no 'total'."""
    t = text.lower().replace("&", " and ").replace("commonshare", "common share")
    t = ROW_SCALE_RE.sub(" ", t)
    t = re.sub(r"\bu\.s\.", " ", t)
    t = re.sub(r"\bnon-gaap\b|\bgaap\b", " ", t)
    t = re.sub(r"['’]s\b", "", t)
    t = re.sub(r"[^a-z0-9|]+", " ", t)
    t = re.sub(r"^\s*total\s+", "", t)
    return " ".join(t.split())


def _qualifiers(text: str) -> tuple[str, frozenset[str]]:
    found: set[str] = set()
    for m in _QUALIFIER_RE.finditer(text):
        found.update(w for w in m.group().split() if w != "and")
    return " ".join(_QUALIFIER_RE.sub(" ", text).split()), frozenset(found)


def concept_of(fact: Fact) -> Concept:
    """The concept a cell restates. Rows named only 'as reported' or 'Basic' take their name
    from their section; adjustments inside a reconciliation stay tied to it; the rows of a note
    table keep the note's subject, while its total names itself."""
    label, quals = _qualifiers(_norm(fact.label))
    anchor = _ANCHOR_RE.search(label)
    if anchor:
        label = " ".join(_ANCHOR_RE.sub(" ", label).split())
    heading = _norm(fact.row[-2]) if len(fact.row) > 1 else ""
    heading, heading_quals = _qualifiers(heading)
    recon = heading.startswith("reconciliation of ")
    subject = heading.removeprefix("reconciliation of ").strip()
    if heading and (not label or _PLAIN_ROW.match(label)):
        name = subject
        quals |= heading_quals
    elif recon:
        name = f"{label} in {subject}"
    else:
        name = label
    if ": " in fact.table and not fact.label.lower().startswith("total"):
        name = f"{_norm(fact.table.rsplit(': ', 1)[1])} | {name}"
    period = fact.period
    if anchor:
        period = _instant(period, anchor.group(1))
    return Concept(name, fact.basis or "GAAP", fact.unit, period, quals)


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
    return Decimal(1).scaleb(-_places(fact.value)) * SCALES[fact.scale]


def tie_checks(facts: Sequence[Fact]) -> list[Check]:
    """The same concept in two tables, same period: the figures agree within their rounding.
    Quarters printed in one table sum to the year printed in another."""
    groups: dict[tuple[str, str, str, Period], list[tuple[Fact, Concept]]] = defaultdict(list)
    for f in facts:
        c = concept_of(f)
        groups[(c.name, c.basis, c.unit, c.period)].append((f, c))
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
    checks += _quarter_sums(facts)
    return checks


def _scale_of(a: Fact, b: Fact) -> str:
    return min((a.scale, b.scale), key=lambda s: SCALES[s])


def _tie(ref: Fact, other: Fact, concept: Concept) -> Check:
    scale = _scale_of(ref, other)
    unit = SCALES[scale]
    pa, pb = _precision(ref), _precision(other)
    tol = ZERO if pa == pb else max(pa, pb) / 2 / unit
    expected, actual = ref.absolute / unit, other.absolute / unit
    if ref.unit == "percent":
        expected, actual = ref.value, other.value
        tol = ZERO if pa == pb else max(pa, pb) / 2
    ok = abs(expected - actual) <= tol
    where = (
        f"{_short(ref.table)} line {ref.line} vs {_short(other.table)} line {other.line}"
    )
    note = f"{concept.name} ({concept.basis}, {concept.period.label}) printed in two tables"
    if tol:
        note += f"; allowing for rounding to {_num(max(pa, pb) / (SCALES[scale] if ref.unit != 'percent' else 1))}"
    if not ok:
        note = (
            f"the tables disagree: {_short(ref.table)} prints {ref.raw} (line {ref.line}), "
            f"{_short(other.table)} prints {other.raw} (line {other.line})"
        )
    return Check(
        "tie",
        f"{concept.name}: {where}",
        concept.period,
        (
            (f"{_short(ref.table)} > {ref.row_text}", ref.value, ref.line),
            (f"{_short(other.table)} > {other.row_text}", other.value, other.line),
        ),
        _trim(expected),
        _trim(actual),
        _trim(tol),
        ok,
        (other.line, ref.line),
        note,
    )


def _quarter_sums(facts: Sequence[Fact]) -> list[Check]:
    by_key: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.unit != "USD":
            continue
        c = concept_of(f)
        by_key[(c.name, c.basis, c.unit)].append(f)
    checks: list[Check] = []
    for (name, basis, _), members in by_key.items():
        for year in (f for f in members if f.period.kind == "year"):
            fy = year.period.fiscal_year
            tables = {f.table_index for f in members} - {year.table_index}
            for t in sorted(tables):
                quarters = {
                    f.period.quarter: f
                    for f in members
                    if f.table_index == t
                    and f.period.kind == "quarter"
                    and f.period.fiscal_year == fy
                }
                if sorted(quarters) != [1, 2, 3, 4]:
                    continue
                parts = [quarters[q] for q in (1, 2, 3, 4)]
                checks.append(_quarter_sum(name, basis, year, parts))
    return checks


def _quarter_sum(name: str, basis: str, year: Fact, parts: list[Fact]) -> Check:
    scale = min((year.scale, *(p.scale for p in parts)), key=lambda s: SCALES[s])
    unit = SCALES[scale]
    total = sum((p.absolute for p in parts), ZERO) / unit
    precisions = [_precision(p) for p in (year, *parts)]
    tol = ZERO if len(set(precisions)) == 1 else sum(precisions, ZERO) / 2 / unit
    ok = abs(total - year.absolute / unit) <= tol
    quarter_table = _short(parts[0].table)
    note = f"the four quarters in {quarter_table} against the year in {_short(year.table)}"
    if not ok:
        note = f"the quarters in {quarter_table} do not add up to the year printed on line {year.line}"
    return Check(
        "tie",
        f"{name}: quarters of fiscal {year.period.fiscal_year} sum to the year",
        year.period,
        tuple((f"{p.column} > {p.row_text}", p.value, p.line) for p in parts)
        + ((f"{_short(year.table)} > {year.row_text}", year.value, year.line),),
        _trim(year.absolute / unit),
        _trim(total),
        _trim(tol),
        ok,
        (parts[0].line, year.line),
        note + f" ({basis})",
    )


# ------------------------------------------------------------------------------ arithmetic


def arithmetic_checks(facts: Sequence[Fact]) -> list[Check]:
    """What a reader recomputes: per-share figures and margins from the amounts they divide."""
    concepts = [(f, concept_of(f)) for f in facts]
    checks: list[Check] = []
    for f, c in concepts:
        if f.unit == "USD per share" and " per " in c.name:
            check = _per_share(f, c, concepts)
            if check is not None:
                checks.append(check)
        elif f.unit == "percent" and c.name.endswith(" margin"):
            check = _margin(f, c, concepts)
            if check is not None:
                checks.append(check)
    return checks


def _pick(
    candidates: Iterable[tuple[Fact, Concept]], near: Fact, quals: frozenset[str] | None = None
) -> Fact | None:
    """The best source: same table first, matching qualifiers, the finest printed figure."""
    found = list(candidates)
    if not found:
        return None

    def rank(fc: tuple[Fact, Concept]) -> tuple[int, int, Decimal, int, int]:
        g, d = fc
        exact = 0 if quals is None or d.qualifiers == quals else 1
        return (g.table_index != near.table_index, exact, _precision(g), g.table_index, g.line)

    return min(found, key=rank)[0]


def _per_share(f: Fact, c: Concept, concepts: list[tuple[Fact, Concept]]) -> Check | None:
    numerator_name = c.name.split(" per ")[0].split(" | ")[-1]
    numerator = _pick(
        (
            (g, d)
            for g, d in concepts
            if d.name == numerator_name and d.basis == c.basis and d.period == c.period
            and g.unit == "USD"
        ),
        f,
    )  # fmt: skip
    shares = _pick(
        (
            (g, d)
            for g, d in concepts
            if g.unit == "shares" and d.basis == c.basis and d.period == c.period
            and _compatible(c.qualifiers, d.qualifiers)
        ),
        f,
        c.qualifiers,
    )  # fmt: skip
    if numerator is None or shares is None or shares.value == 0:
        return None
    ratio = numerator.absolute / shares.absolute
    tol = HALF * Decimal(1).scaleb(-max(_places(f.value), 2))
    ok = abs(ratio - f.value) <= tol
    note = f"{numerator.raw} / {shares.raw} shares = {_num(ratio.quantize(Decimal('0.0001')))}"
    if not ok:
        printed = ratio.quantize(Decimal(1).scaleb(-max(_places(f.value), 2)), ROUND_HALF_UP)
        note += f", which rounds to {_num(printed)}, not the printed {f.raw}"
    return Check(
        "arithmetic",
        f"{_short(f.table)}: {f.row_text} = {numerator.label} / {shares.row_text}",
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
    )


def _margin(f: Fact, c: Concept, concepts: list[tuple[Fact, Concept]]) -> Check | None:
    base = c.name.split(" | ")[-1].removesuffix(" margin")
    wanted = {f"{base} profit", f"{base} income"}

    def source(names: set[str], basis: str) -> Fact | None:
        return _pick(
            (
                (g, d)
                for g, d in concepts
                if d.name in names and d.basis == basis and d.period == c.period
                and g.unit == "USD"
            ),
            f,
        )  # fmt: skip

    profit = source(wanted, c.basis)
    revenue = source({"revenue", "revenues", "net revenue", "net revenues"}, c.basis) or source(
        {"revenue", "revenues", "net revenue", "net revenues"}, "GAAP"
    )
    if profit is None or revenue is None or revenue.value == 0:
        return None
    ratio = profit.absolute / revenue.absolute * 100
    spread = ratio * (_precision(profit) / 2 / abs(profit.absolute or 1)) + ratio * (
        _precision(revenue) / 2 / abs(revenue.absolute)
    )
    tol = (HALF * Decimal(1).scaleb(-_places(f.value)) + abs(spread)).quantize(Decimal("0.001"))
    ok = abs(ratio - f.value) <= tol
    note = f"{profit.raw} / {revenue.raw} = {_num(ratio.quantize(Decimal('0.01')))}%"
    if not ok:
        note += f", not the printed {f.raw}"
    return Check(
        "arithmetic",
        f"{_short(f.table)}: {f.row_text} = {profit.label} / {revenue.label} ({c.basis})",
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
    """A figure as the narrative prints it, with the reading of its context."""

    text: str
    line: int
    value: Decimal
    unit: str  # "USD" | "USD per share" | "percent" | "count"
    half_unit: Decimal  # in base units: how far the printed rounding may be from the cell
    multiplier: Decimal  # base units per printed unit (1e6 for "million")
    metric: str | None
    basis: str
    period: Period | None
    qualifiers: frozenset[str] = frozenset()


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
MONEY_RE = re.compile(
    rf"(?P<minus>-\s?)?\$\s?(?P<open>\()?\s?(?P<num>{_NUM})\s?(?P<close>\))?"
    r"(?:\s?(?P<scale>million|billion|thousand|mm|bn|m|b|k)\b)?"
    r"(?P<share>,?\s+(?:per|a)\s+(?:(?P<qual>diluted|basic)\s+)?(?:common\s+)?share\b)?",
    re.IGNORECASE,
)
PERCENT_RE = re.compile(rf"(?<![\w.$])(?P<open>\()?(?P<num>{_NUM})\)?\s?(?:%|percent\b)")
COUNT_RE = re.compile(
    rf"(?<![\w$.,/:(%-])(?P<num>{_NUM})(?![\w,%:/-]|\.\d)\s+(?P<noun>[a-z][a-z-]*)"
)
NOT_NOUNS = {"million", "billion", "thousand", "percent", "per", "and", "or", "to", "of", "a.m"}
PHONE_RE = re.compile(r"(?<!\d)(?:\+?1[-. ])?\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}(?!\d)")
TIME_RE = re.compile(r"\b\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)
URL_RE = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
COMPARE_RE = re.compile(
    r"\bcompared (?:to|with)\b|\bversus\b|\bvs\.?(?=\s)|\b(?:up|down|increased|decreased) from\b",
    re.IGNORECASE,
)
SCALE_WORDS = {
    "million": Decimal(10) ** 6,
    "mm": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
    "thousand": Decimal(10) ** 3,
    "k": Decimal(10) ** 3,
}


def prose_checks(passages: Sequence[Passage], facts: Sequence[Fact]) -> list[Check]:
    """Every figure of the narrative against the cell it restates, within the prose's rounding."""
    concepts = [(f, concept_of(f)) for f in facts]
    metrics = _metric_pattern({c.name.split(" | ")[-1] for _, c in concepts})
    calendar = _Latest.of(facts)
    checks: list[Check] = []
    for passage in passages:
        if passage.kind == "heading":
            continue
        for figure in read_figures(passage, metrics, calendar):
            checks.append(_prose_check(figure, concepts))
    return checks


@dataclass(frozen=True)
class _Latest:
    """The periods 'the quarter' and 'the year' mean in this release."""

    quarter: Period | None
    year: int | None

    @classmethod
    def of(cls, facts: Sequence[Fact]) -> _Latest:
        quarters = [f.period for f in facts if f.period.kind == "quarter"]
        years = [f.period.fiscal_year for f in facts if f.period.kind == "year"]
        q = max(quarters, key=lambda p: (p.fiscal_year, p.quarter or 0)) if quarters else None
        y = max(years) if years else (q.fiscal_year if q else None)
        return cls(q, y)


def _metric_pattern(names: set[str]) -> re.Pattern[str] | None:
    usable = sorted(
        (n for n in names if n and " in " not in n and not n.isdigit()), key=len, reverse=True
    )
    if not usable:
        return None
    alts = [r"[\s-]+".join(re.escape(w) for w in n.split()) + r"(?:s|es)?" for n in usable]
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.IGNORECASE)


def _mask(text: str) -> str:
    """Blank out what holds digits but is no figure: dates, times, phone numbers, addresses."""
    for pattern in (URL_RE, DATE_RE, TIME_RE, PHONE_RE):
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def _line_of(passage: Passage, offset: int, lines: list[str]) -> int:
    pos = 0
    for k, line in enumerate(lines):
        pos += len(line.strip()) + 1
        if offset < pos:
            return passage.first_line + k
    return passage.last_line


def read_figures(
    passage: Passage, metrics: re.Pattern[str] | None, latest: _Latest
) -> list[ProseFigure]:
    """The figures of one passage, each with its metric, basis and period read from its sentence."""
    text = passage.text
    masked = _mask(text)
    source_lines = _passage_lines(passage)
    figures: list[ProseFigure] = []
    for start, end in _sentences(masked):
        sentence = masked[start:end]
        found = _figures_in(sentence)
        if not found:
            continue
        periods = _periods_in(sentence, latest)
        segments = [0] + [m.start() for m in COMPARE_RE.finditer(sentence)] + [len(sentence)]
        mentions = list(metrics.finditer(sentence)) if metrics else []
        for fstart, fend, value, unit, half, mult, quals in found:
            metric = _metric_at(mentions, fstart)
            basis = _basis_at(sentence, fstart)
            seg = max(k for k in range(len(segments) - 1) if segments[k] <= fstart)
            period = _period_at(periods, fstart, segments[seg], segments[seg + 1], seg == 0)
            figures.append(
                ProseFigure(
                    text[start + fstart : start + fend].strip(),
                    _line_of(passage, start + fstart, source_lines),
                    value, unit, half, mult, metric, basis, period, quals,
                )  # fmt: skip
            )
    return figures


def _passage_lines(passage: Passage) -> list[str]:
    """The passage's own lines, recovered from its text by the widths the segmenter joined."""
    # Passages are joined with single spaces; without the document, one line is a fair split.
    return [passage.text] if passage.first_line == passage.last_line else passage.text.split("\n")


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z])", text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def _figures_in(
    sentence: str,
) -> list[tuple[int, int, Decimal, str, Decimal, Decimal, frozenset[str]]]:
    found: list[tuple[int, int, Decimal, str, Decimal, Decimal, frozenset[str]]] = []
    taken: list[tuple[int, int]] = []
    for m in MONEY_RE.finditer(sentence):
        number = Decimal(m["num"].replace(",", ""))
        negative = bool(m["minus"]) or (bool(m["open"]) and bool(m["close"]))
        mult = SCALE_WORDS.get((m["scale"] or "").lower(), Decimal(1))
        unit = "USD per share" if m["share"] else "USD"
        if unit == "USD per share":
            mult = Decimal(1)
        quals = frozenset({m["qual"].lower()}) if m["qual"] else frozenset()
        half = HALF * Decimal(1).scaleb(-_places(number)) * mult
        value = -number * mult if negative else number * mult
        end = m.end("share") if m["share"] else m.end()
        found.append((m.start(), end, value, unit, half, mult, quals))
        taken.append((m.start(), end))
    for m in PERCENT_RE.finditer(sentence):
        if _overlaps(taken, m.start(), m.end()):
            continue
        number = Decimal(m["num"].replace(",", ""))
        half = HALF * Decimal(1).scaleb(-_places(number))
        value = -number if m["open"] and sentence[m.start() :].find(")") >= 0 else number
        found.append((m.start(), m.end(), value, "percent", half, Decimal(1), frozenset()))
        taken.append((m.start(), m.end()))
    for m in COUNT_RE.finditer(sentence):
        if _overlaps(taken, m.start(), m.end()) or m["noun"].lower() in NOT_NOUNS:
            continue
        digits = m["num"].replace(",", "")
        if re.fullmatch(r"(?:19|20)\d\d", digits):
            continue  # a year is a period, not a figure
        before = sentence[: m.start()].split()
        if before and before[-1][:1].isupper() and len(before) > 1:
            continue  # "Tier 1", "Topic 718": a number inside a name
        number = Decimal(digits)
        end = m.start() + len(m["num"])
        found.append((m.start(), end, number, "count", ZERO, Decimal(1), frozenset()))
        taken.append((m.start(), end))
    return sorted(found, key=lambda x: x[0])


def _overlaps(taken: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(a < y and x < b for x, y in taken)


@dataclass(frozen=True)
class _PeriodMention:
    start: int
    period: Period


_Q_ORD = r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)"
_YEAR = r"(?P<y>(?:19|20)\d{2})"
PERIOD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "quarter",
        re.compile(
            rf"\b{_Q_ORD}[\s-]+(?:fiscal\s+)?quarter(?:\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?)?{_YEAR})?",
            re.I,
        ),
    ),
    ("quarter", re.compile(rf"\bQ(?P<q>[1-4])\s*(?:['’]|FY)?\s*(?P<yy>\d{{4}}|\d{{2}})\b", re.I)),
    ("year_ago_quarter", re.compile(r"\b(?:year[- ]ago|prior[- ]year|same)\s+quarter\b", re.I)),
    ("prior_quarter", re.compile(r"\b(?:prior|previous|preceding|last|sequential)\s+quarter\b", re.I)),
    ("latest_quarter", re.compile(r"\b(?:the|this|current)\s+quarter\b", re.I)),
    ("prior_year", re.compile(r"\b(?:prior|previous|last)\s+(?:fiscal\s+)?year\b|\ba year ago\b", re.I)),
    ("latest_year", re.compile(r"\b(?:the|this|current)\s+(?:full\s+)?(?:fiscal\s+)?year\b", re.I)),
    ("year", re.compile(rf"\b(?:fiscal\s+(?:year\s+)?|FY\s*)?{_YEAR}\b", re.I)),
)


def _periods_in(sentence: str, latest: _Latest) -> list[_PeriodMention]:
    found: list[_PeriodMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PERIOD_PATTERNS:
        for m in pattern.finditer(sentence):
            if _overlaps(taken, m.start(), m.end()):
                continue
            period = _period_of(kind, m, latest)
            if period is not None:
                found.append(_PeriodMention(m.start(), period))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda p: p.start)


def _period_of(kind: str, m: re.Match[str], latest: _Latest) -> Period | None:
    gd = m.groupdict()
    lq, ly = latest.quarter, latest.year
    if kind == "quarter":
        q = int(gd["q"]) if gd.get("q") else ORDINALS[gd["ord"].lower()]
        year = gd.get("y") or gd.get("yy")
        fy = (int(year) if len(year) == 4 else 2000 + int(year)) if year else ly
        return Period("quarter", fy, q) if fy else None
    if kind == "latest_quarter":
        return lq
    if kind == "year_ago_quarter" and lq is not None:
        return Period("quarter", lq.fiscal_year - 1, lq.quarter)
    if kind == "prior_quarter" and lq is not None and lq.quarter:
        if lq.quarter == 1:
            return Period("quarter", lq.fiscal_year - 1, 4)
        return Period("quarter", lq.fiscal_year, lq.quarter - 1)
    if kind == "latest_year" and ly:
        return Period("year", ly)
    if kind == "prior_year" and ly:
        return Period("year", ly - 1)
    if kind == "year":
        return Period("year", int(gd["y"]))
    return None


def _period_at(
    periods: list[_PeriodMention], at: int, seg_start: int, seg_end: int, first: bool
) -> Period | None:
    """The first period named after the figure in its clause, else the last one before it;
    the clause before 'compared to' may take the sentence's opening period."""
    after = [p for p in periods if at < p.start < seg_end]
    if after:
        return after[0].period
    before = [p for p in periods if seg_start <= p.start < at]
    if before:
        return before[-1].period
    return None


def _metric_at(mentions: list[re.Match[str]], at: int) -> str | None:
    before = [m for m in mentions if m.end() <= at]
    chosen = before[-1] if before else next((m for m in mentions if m.start() > at), None)
    if chosen is None:
        return None
    return _singular(" ".join(re.split(r"[\s-]+", chosen.group().lower())))


def _singular(text: str) -> str:
    return text


def _basis_at(sentence: str, at: int) -> str:
    marks = [
        (m.start(), "non-GAAP" if m.group().lower().startswith("non") else "GAAP")
        for m in re.finditer(r"\bnon-gaap\b|(?<!non-)\bgaap\b", sentence[:at], re.IGNORECASE)
    ]
    return marks[-1][1] if marks else "GAAP"


def _prose_matches(figure: ProseFigure, concepts: list[tuple[Fact, Concept]]) -> list[Fact]:
    if figure.metric is None:
        return []
    out: list[Fact] = []
    for f, c in concepts:
        name = c.name.split(" | ")[-1]
        if figure.unit == "USD per share":
            if f.unit != "USD per share" or not _compatible(figure.qualifiers, c.qualifiers):
                continue
            if not (name.startswith(figure.metric + " per") or _same_metric(name, figure.metric)):
                continue
        elif figure.unit == "count":
            if f.unit not in ("count", "days") or not _same_metric(name, figure.metric):
                continue
        elif f.unit != figure.unit or not _same_metric(name, figure.metric):
            continue
        out.append(f)
    return out


def _same_metric(name: str, metric: str) -> bool:
    return name == metric or name + "s" == metric or name + "es" == metric


def _prose_check(figure: ProseFigure, concepts: list[tuple[Fact, Concept]]) -> Check:
    same = _prose_matches(figure, concepts)
    bases = {f: concept_of(f) for f in same}
    candidates = [
        f
        for f in same
        if bases[f].basis == figure.basis and (figure.period is None or bases[f].period == figure.period)
    ]
    reading = (
        f"{figure.metric or 'no metric named'}, {figure.basis}, "
        f"{figure.period.label if figure.period else 'no period named'}"
    )
    name = f'"{figure.text}" ({reading})'
    if not candidates:
        return Check(
            "prose", name, figure.period, (), None, _trim(figure.value / figure.multiplier), ZERO,
            False, (figure.line,), "no source in the tables", NO_SOURCE,
        )  # fmt: skip
    candidates.sort(key=lambda f: (_precision(f), f.table_index, f.line))
    tries = [(f, *_prose_compare(figure, f)) for f in candidates]
    passing = [t for t in tries if t[1]]
    cell, ok, expected, tol, note = (passing or tries)[0]
    if figure.period is None:
        note += f"; no period named, matched {cell.period.label}"
    if not ok:
        elsewhere = [
            f
            for f in same
            if f not in candidates and _prose_compare(figure, f)[0]
        ]
        note = (
            f"the prose says {figure.text} but {_short(cell.table)} prints {cell.raw} "
            f"(line {cell.line})"
        )
        if elsewhere:
            e = elsewhere[0]
            note += (
                f"; the figure matches {e.row_text} ({concept_of(e).basis}, {e.period.label}, "
                f"line {e.line}) instead"
            )
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


def _prose_compare(figure: ProseFigure, cell: Fact) -> tuple[bool, Decimal, Decimal, str]:
    """Does the prose figure restate the cell, rounded the way the prose rounds?"""
    cell_value = cell.value if cell.unit == "percent" else cell.absolute
    prose = figure.value
    note = ""
    if prose * cell_value < 0 and "loss" in (figure.metric or ""):
        prose, cell_value = abs(prose), abs(cell_value)
        note = "a loss written without its sign; "
    half = max(figure.half_unit, _precision(cell) / 2 if cell.unit != "percent" else ZERO)
    ok = abs(prose - cell_value) <= half
    scale = figure.multiplier
    note += f"restates {cell.row_text} ({_short(cell.table)}, line {cell.line}: {cell.raw})"
    if figure.half_unit > _precision(cell) / 2 and cell.unit != "percent":
        note += f" rounded to {_num(figure.half_unit * 2 / scale)}"
    return ok, _trim(cell_value / scale), _trim(half / scale), note


# ---------------------------------------------------------------------------------- helpers


def _short(title: str) -> str:
    return title.replace("Condensed Consolidated ", "").replace("GAAP Statements", "Statements")


def _trim(value: Decimal) -> Decimal:
    """Drop trailing zeros a division left, keep the digits that mean something."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _num(value: Decimal | None) -> str:
    if value is None:
        return "-"
    return f"{value:,}"


def _render(c: Check) -> str:
    mark = {PASSED: "PASS", FAILED: "FAIL", SKIPPED: "SKIP", NO_SOURCE: "INFO"}[c.status]
    period = f" [{c.period.label}]" if c.period else ""
    head = f"{mark} line {c.lines[0]}{period}: {c.name}"
    out = [head]
    if c.expected is not None or c.actual is not None:
        out.append(
            f"     expected {_num(c.expected)}, printed {_num(c.actual)}, "
            f"tolerance {_num(c.tolerance)}; lines {', '.join(str(n) for n in c.lines)}"
        )
    if c.inputs:
        out.append(
            "     from: " + "; ".join(f"{a} = {_num(v)} (line {n})" for a, v, n in c.inputs)
        )
    if c.note:
        out.append(f"     {c.note}")
    return "\n".join(out)
