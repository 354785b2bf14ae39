"""What every brain returns and every interface shows: an `Answer` with its `Citation`s."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from index.facts import Fact

if TYPE_CHECKING:
    from bot.query import Query


@dataclass(frozen=True)
class Citation:
    """Where a value or a passage stands in its release. `lines` is [first, last], 1-based;
    `release` the release's id, `source` how answers name it."""

    kind: str  # "table" | "text" | "calculation"
    release: str
    lines: tuple[int, int]
    quote: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    period: str | None = None
    value: str | None = None
    raw: str | None = None
    section: str | None = None
    source: str | None = None  # the release as a person names it: 'Infinera Q4 2012 release'

    def short(self) -> str:
        """One line for a footer: 'Acme Q4 2024 release, Balance Sheets, Inventory, December
        31, 2024, line 88'."""
        span = (
            f"line {self.lines[0]}"
            if self.lines[0] == self.lines[1]
            else f"lines {self.lines[0]}-{self.lines[1]}"
        )
        whose = f"{self.source}, " if self.source else ""
        if self.kind == "table":
            return f"{whose}{self.table}, {self.row}, {self.period}, {span}"
        if self.kind == "text":
            return f"{whose}{self.section or 'release text'}, {span}"
        return f"{self.quote}"


@dataclass(frozen=True)
class Value:
    """A figure the answer used: the number, how it was shown, and what it is."""

    name: str
    value: Decimal
    display: str
    unit: str
    period: str | None = None


@dataclass(frozen=True)
class Answer:
    """The one shape every brain returns; interfaces only format it."""

    question: str
    text: str
    found: bool
    citations: tuple[Citation, ...] = ()
    values: tuple[Value, ...] = ()
    latency_ms: float = 0.0
    brain: str = "planner"
    chart: tuple[tuple[str, Decimal], ...] = field(default=(), compare=False)
    chart_title: str | None = None
    query: Query | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The command-line contract's JSON object."""
        return {
            "question": self.question,
            "answer": self.text,
            "found": self.found,
            "citations": [
                {k: (list(v) if k == "lines" else v) for k, v in asdict(c).items()}
                for c in self.citations
            ],
            "values": [{**asdict(v), "value": str(v.value)} for v in self.values],
            "latency_ms": round(self.latency_ms, 2),
            "brain": self.brain,
        }

    def to_json_line(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)


def cite(f: Fact, rows: tuple[int, int] | None = None) -> Citation:
    """Where a table cell stands: its table, row, column, period and lines."""
    return Citation(
        kind="table",
        release=f.release,
        lines=rows or f.lines,
        quote=f"{f.row_text}: {f.raw}",
        table=f.table,
        row=f.label,
        column=f.column,
        period=f.period.label if f.period is not None else f.member or f.column,
        value=str(f.value),
        raw=f.raw,
    )


def value_of(f: Fact, name: str | None = None) -> Value:
    """A fact as a value an answer used, under the name the answer gives it."""
    when = f.period.label if f.period is not None else f.member or f.column
    return Value(name or f.label, f.value, f.display(), f.unit, when)
