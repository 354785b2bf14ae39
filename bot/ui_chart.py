"""A series answer as a chart a reader can trust: the axis starts at zero, says its unit, the
title says the basis, and the data behind it downloads as CSV.

`ChartSpec` is plain data (it rides in the browser's storage across a reload); drawing it is
left to Gradio's native plot, which follows the page's light or dark theme.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.answer import Answer, Citation


@dataclass(frozen=True)
class ChartSpec:
    title: str
    labels: tuple[str, ...]
    values: tuple[Decimal, ...]
    unit: str | None  # as an axis reads it: "$ millions", "days", "%"
    basis: str | None  # "GAAP", "non-GAAP", or None where the table does not say
    source: str | None  # "Supplemental Financial Information, line 493"

    @property
    def heading(self) -> str:
        """The title with its basis, unless the title already names it; the table it came from
        is left to the caption, where the source line is."""
        title = self.title
        table = (self.source or "").rsplit(", line ", 1)[0]
        if table and title.endswith(f" ({table})"):
            title = title[: -len(table) - 3]
        if self.basis and self.basis.lower() not in title.lower():
            return f"{title} ({self.basis})"
        return title

    @property
    def y_title(self) -> str:
        return self.unit or "value"

    @property
    def y_range(self) -> tuple[float, float]:
        """Zero always inside the axis, so a bar's height or a line's fall is never exaggerated."""
        lo, hi = min(self.values), max(self.values)
        room = Decimal("1.1")  # a little headroom, so the highest point is not on the frame
        return float(min(lo * room, Decimal(0))), float(max(hi * room, Decimal(0)))

    @property
    def caption(self) -> str:
        parts = [f"Unit: {self.unit}" if self.unit else None, self.basis, self.source]
        return " · ".join(p for p in parts if p) + " · axis from zero"

    def csv(self) -> str:
        """The chart's data as a spreadsheet reads it, unit and basis in every row."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["period", "value", "unit", "basis", "source"])
        for label, value in zip(self.labels, self.values, strict=True):
            writer.writerow(
                [label, str(value), self.unit or "", self.basis or "", self.source or ""]
            )
        return out.getvalue()

    def file_name(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.heading.lower()).strip("-")[:60]
        return f"{slug or 'chart'}.csv"

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "points": [[label, str(v)] for label, v in zip(self.labels, self.values, strict=True)],
            "unit": self.unit,
            "basis": self.basis,
            "source": self.source,
        }

    @classmethod
    def from_json(cls, data: Any) -> ChartSpec | None:
        """A spec back from storage, or None for anything that is not one."""
        try:
            points = [(str(label), Decimal(str(v))) for label, v in data["points"]]
            if not points:
                return None
            return cls(
                str(data["title"]),
                tuple(label for label, _ in points),
                tuple(v for _, v in points),
                _optional_str(data.get("unit")),
                _optional_str(data.get("basis")),
                _optional_str(data.get("source")),
            )
        except (KeyError, TypeError, ValueError, InvalidOperation):
            return None


def _optional_str(value: Any) -> str | None:
    return str(value) if value is not None else None


def axis_unit(answer: Answer) -> str | None:
    """The series' unit as an axis reads it ("$ millions", "days"), when its points agree on one.

    Only the values standing for the chart's points count: a change or ratio the answer adds
    in words ("up 26.7%") is not on the axis.
    """
    points = {(label, Decimal(value)) for label, value in answer.chart}
    values = [v for v in answer.values if (v.period, v.value) in points] or list(answer.values)
    units = {v.unit for v in values}
    if len(units) != 1:
        return None
    unit = units.pop()
    scale = next((w for w in ("million", "thousand") if w in values[0].display), None)
    if unit == "USD":
        return f"$ {scale}s" if scale else "$"
    return {"percent": "percent", "USD per share": "$ per share", "count": "count"}.get(unit, unit)


def chart_spec(
    answer: Answer | None, basis_of: Callable[[Citation], str | None] = lambda c: None
) -> ChartSpec | None:
    """The chart for an answer that holds a series; None for any other answer."""
    if answer is None or not answer.chart:
        return None
    cells = [c for c in answer.citations if c.kind == "table"]
    bases = {basis_of(c) for c in cells} - {None}
    return ChartSpec(
        title=answer.chart_title or "Series",
        labels=tuple(label for label, _ in answer.chart),
        values=tuple(Decimal(v) for _, v in answer.chart),
        unit=axis_unit(answer),
        basis=bases.pop() if len(bases) == 1 else None,
        source=_source(cells),
    )


def _source(cells: Sequence[Citation]) -> str | None:
    tables = {(c.table, c.lines[-1]) for c in cells}
    if len(tables) != 1:
        return None
    ((table, line),) = tables
    return f"{table}, line {line}"
