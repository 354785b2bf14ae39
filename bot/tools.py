"""The tools every brain uses: exact table lookups, narrative search, arithmetic, the audit.

`Toolbox` holds the plain functions (typed, returning dataclasses); `langchain_tools` wraps them
as LangChain tools whose descriptions are read from `prompts/tools/`. Each call is recorded so
the number guard can check an agent's figures against what the tools returned in this turn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.answer import cite
from bot.calculate import OPERATIONS, CalculationError, calculate
from bot.pipeline import Pipeline
from bot.resolve import Lookup, lookup
from index.facts import Fact

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"


LookupResult = Lookup


@dataclass
class TurnRecord:
    """Everything the tools returned during one turn: the numbers an answer may use."""

    facts: list[Fact] = field(default_factory=list)
    results: list[Decimal] = field(default_factory=list)
    passages: list[str] = field(default_factory=list)

    def allowed_numbers(self) -> list[Decimal]:
        out = [f.value for f in self.facts] + list(self.results)
        out += [f.absolute for f in self.facts if f.unit == "USD"]
        return out


class Toolbox:
    def __init__(self, planner: Pipeline) -> None:
        self.planner = planner
        self.record = TurnRecord()

    def new_turn(self) -> TurnRecord:
        self.record = TurnRecord()
        return self.record

    def lookup_table(
        self, metric: str, period: str | None = None, basis: str | None = None
    ) -> Lookup:
        """Exact values of a metric for a period, most precise table first."""
        res = lookup(self.planner.ctx, metric, period, basis)
        self.record.facts.extend(res.facts)
        self.record.facts.extend(res.corroboration)
        return res

    def search_text(self, query: str, k: int = 4) -> list[dict[str, Any]]:
        """Narrative passages with their line ranges."""
        if self.planner.passages is None:
            return []
        hits = self.planner.passages.search(query, k=k)
        out = []
        for h in hits:
            c = h.chunk
            self.record.passages.append(c.text)
            out.append(
                {
                    "text": c.text,
                    "lines": [c.first_line, c.last_line],
                    "section": c.section,
                    "score": round(h.score, 3),
                }
            )
        return out

    def audit_release(self) -> dict[str, Any]:
        """The tie-out audit: how many checks ran and which failed, with their lines."""
        if self.planner.auditor is None:
            return {"error": "the audit is not available here"}
        report = self.planner.auditor()
        s = report.summary()
        self.record.results.extend(
            Decimal(n) for n in (s.checks, s.passed, s.failed, s.skipped, s.no_source)
        )
        return {
            "summary": s.sentence(),
            "checks": s.checks,
            "passed": s.passed,
            "failed": s.failed,
            "failures": [{"check": c.name, "lines": list(c.lines)} for c in report.failures[:10]],
        }

    def calculate(self, operation: str, operands: list[dict[str, str]]) -> dict[str, Any]:
        """growth | difference | ratio | margin | sum | average over looked-up facts."""
        if operation not in OPERATIONS:
            return {"error": f"operation must be one of {', '.join(OPERATIONS)}"}
        facts: list[Fact] = []
        for op in operands:
            res = self.lookup_table(op.get("metric", ""), op.get("period"), op.get("basis"))
            if not res.facts:
                return {"error": f"no value for {op}: {res.message}"}
            facts.append(res.facts[0])
        try:
            calc = calculate(operation, facts)
        except CalculationError as exc:
            return {"error": str(exc)}
        self.record.results.append(calc.result)
        self.record.results.append(calc.result.quantize(Decimal("0.01")))
        return {
            "operation": operation,
            "formula": calc.formula,
            "result": str(calc.result.quantize(Decimal("0.0001"))),
            "display": calc.display(2),
            "unit": calc.unit,
            "operands": [fact_json(f) for f in facts],
        }


def fact_json(f: Fact) -> dict[str, Any]:
    c = cite(f)
    return {
        "value": str(f.value),
        "display": f.display(),
        "raw": f.raw,
        "unit": f.unit,
        "scale": f.scale,
        "basis": f.basis,
        "period": f.period.label,
        "table": f.table,
        "row": f.row_text,
        "lines": list(c.lines),
    }


def lookup_json(res: LookupResult) -> str:
    return json.dumps(
        {
            "metric": res.metric,
            "facts": [fact_json(f) for f in res.facts],
            "corroboration": [fact_json(f) for f in res.corroboration],
            "message": res.message,
        }
    )


def prompt(name: str) -> str:
    return (PROMPTS / name).read_text(encoding="utf-8").strip()


def langchain_tools(box: Toolbox) -> list[Any]:
    """The toolbox as LangChain tools, described by the texts in prompts/tools/."""
    from langchain_core.tools import StructuredTool

    def lookup_table(metric: str, period: str = "", basis: str = "") -> str:
        return lookup_json(box.lookup_table(metric, period or None, basis or None))

    def search_text(query: str) -> str:
        return json.dumps(box.search_text(query))

    def calculate_tool(operation: str, operands: list[dict[str, str]]) -> str:
        return json.dumps(box.calculate(operation, operands))

    def audit_release() -> str:
        return json.dumps(box.audit_release())

    return [
        StructuredTool.from_function(
            lookup_table, name="lookup_table", description=prompt("tools/lookup_table.md")
        ),
        StructuredTool.from_function(
            search_text, name="search_text", description=prompt("tools/search_text.md")
        ),
        StructuredTool.from_function(
            calculate_tool, name="calculate", description=prompt("tools/calculate.md")
        ),
        StructuredTool.from_function(
            audit_release, name="audit_release", description=prompt("tools/audit_release.md")
        ),
    ]
