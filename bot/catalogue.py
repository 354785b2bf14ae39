"""The concept catalogue (bot/knowledge/concepts.yaml), loaded once: printed concepts' words and
derived concepts' formulas. Knowledge lives in the file; this module only reads and evaluates it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import cache
from pathlib import Path

from bot.knowledge_files import KNOWLEDGE, load_knowledge

OPERAND_RE = re.compile(r"\{([^}]+)\}")


class FormulaError(ValueError):
    """A formula cannot be evaluated over the operands given (a zero divisor, a missing one)."""


@dataclass(frozen=True)
class Derived:
    """A figure computed from printed ones: its names, its formula and its unit."""

    name: str
    names: tuple[str, ...]
    formula: str
    unit: str
    computed_note: str = ""

    @property
    def operands(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(OPERAND_RE.findall(self.formula)))

    def shown(self) -> str:
        """The formula as a reader reads it: 'total current assets / total current liabilities'."""
        plain = OPERAND_RE.sub(lambda m: m.group(1), self.formula)
        return f"{plain}, as a percentage" if self.unit == "percent" else plain

    def evaluate(self, values: dict[str, Decimal]) -> Decimal:
        """The formula over operand values (in base units), with exact decimal arithmetic."""
        names = self.operands
        expr = OPERAND_RE.sub(lambda m: f"v{names.index(m.group(1))}", self.formula)
        env = {f"v{i}": values[n] for i, n in enumerate(names) if n in values}
        try:
            value = _eval(ast.parse(expr, mode="eval").body, env)
            return value * 100 if self.unit == "percent" else value
        except (DivisionByZero, InvalidOperation, ZeroDivisionError) as exc:
            raise FormulaError("a divisor is zero") from exc


@dataclass(frozen=True)
class Catalogue:
    result_words: frozenset[str]
    abbreviations: dict[str, str]
    phrases: dict[str, str]
    derived: tuple[Derived, ...]
    groups: dict[str, tuple[str, str]] = field(default_factory=dict)
    label_figures: dict[str, str] = field(default_factory=dict)

    def derived_named(self, question: str) -> Derived | None:
        """The derived concept the question names, the longest name first ('EBITDA margin'
        before 'EBITDA'); a name it qualifies elsewhere in the question is that qualified
        concept ('what gross margin did services earn' is the services gross margin)."""
        low = question.lower()
        hits = [
            (len(n), n, d)
            for d in self.derived
            for n in d.names
            if n in low and re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", low)
        ]
        if not hits:
            return None
        _, name, best = max(hits, key=lambda h: h[0])
        return self._qualified(name, set(re.findall(r"[a-z&]+", low))) or best

    def _qualified(self, name: str, words: set[str]) -> Derived | None:
        """A concept whose name is `name` with words added, every one of them in the question."""
        found = [
            (len(n), d)
            for d in self.derived
            for n in d.names
            if n != name and f" {name} " in f" {n} " and set(n.split()) <= words
        ]
        return max(found, key=lambda h: h[0])[1] if found else None


@cache
def catalogue(path: Path = KNOWLEDGE / "concepts.yaml") -> Catalogue:
    data = load_knowledge(path)
    return Catalogue(
        frozenset(data.get("result_words") or ()),
        {str(k): str(v or "") for k, v in (data.get("abbreviations") or {}).items()},
        {str(k): str(v) for k, v in (data.get("phrases") or {}).items()},
        tuple(
            Derived(
                d["name"],
                tuple(n.lower() for n in d.get("names") or [d["name"]]),
                d["formula"],
                d["unit"],
                d.get("computed_note", ""),
            )
            for d in data.get("derived") or ()
        ),
        {str(k): (str(g["after"]), str(g["until"])) for k, g in (data.get("groups") or {}).items()},
        {str(k): str(v) for k, v in (data.get("label_figures") or {}).items()},
    )


def _eval(node: ast.expr, env: dict[str, Decimal]) -> Decimal:
    if isinstance(node, ast.Name):
        if node.id not in env:
            raise FormulaError(f"no value for operand {node.id}")
        return env[node.id]
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return Decimal(str(node.value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, env)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "abs":
        return abs(_eval(node.args[0], env))
    if isinstance(node, ast.BinOp):
        a, b = _eval(node.left, env), _eval(node.right, env)
        ops = {ast.Add: a.__add__, ast.Sub: a.__sub__, ast.Mult: a.__mul__, ast.Div: a.__truediv__}
        fn = ops.get(type(node.op))
        if fn is not None:
            return fn(b)
    raise FormulaError(f"unsupported formula element {ast.dump(node)[:40]}")
