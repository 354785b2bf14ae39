"""Arithmetic over cited facts: every result carries its formula and its operands."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from index.facts import Fact

OPERATIONS = ("growth", "difference", "ratio", "margin", "sum", "average")


@dataclass(frozen=True)
class Calculation:
    operation: str
    operands: tuple[Fact, ...]
    result: Decimal
    unit: str
    formula: str

    def display(self, places: int = 1) -> str:
        q = Decimal(1).scaleb(-places)
        value = self.result.quantize(q, rounding=ROUND_HALF_UP)
        if self.unit == "percent":
            return f"{value:,}%"
        if self.unit == "percentage points":
            return f"{value:,} percentage points"
        return f"{value:,}"


class CalculationError(ValueError):
    """The operands cannot be combined as asked (division by zero, mixed units)."""


def _base(f: Fact) -> Decimal:
    return f.absolute if f.unit == "USD" else f.value


def calculate(operation: str, operands: list[Fact]) -> Calculation:
    """growth(new, old) | difference(a, b) | ratio(a, b) | margin(part, whole) | sum | average."""
    if operation not in OPERATIONS:
        raise CalculationError(
            f"unknown operation '{operation}'; use one of {', '.join(OPERATIONS)}"
        )
    if not operands:
        raise CalculationError("no operands")
    labels = [f"{f.label} {f.period.label} ({f.raw})" for f in operands]
    if operation in {"growth", "difference", "ratio", "margin"} and len(operands) != 2:
        raise CalculationError(f"{operation} takes two operands, got {len(operands)}")
    if operation in {"growth", "difference"} and operands[0].unit != operands[1].unit:
        raise CalculationError(f"cannot compare {operands[0].unit} with {operands[1].unit}")
    if operation == "growth":
        new, old = operands
        if new.unit == "percent" and old.unit == "percent":
            result = new.value - old.value
            return Calculation(
                operation,
                tuple(operands),
                result,
                "percentage points",
                f"{labels[0]} - {labels[1]}",
            )
        if _base(old) == 0:
            raise CalculationError("growth from zero is undefined")
        result = (_base(new) - _base(old)) / abs(_base(old)) * 100
        return Calculation(
            operation,
            tuple(operands),
            result,
            "percent",
            f"({labels[0]} - {labels[1]}) / |{labels[1]}| x 100",
        )
    if operation == "difference":
        a, b = operands
        unit = "percentage points" if a.unit == "percent" else a.unit
        result = a.value - b.value if a.scale == b.scale else _base(a) - _base(b)
        return Calculation(operation, tuple(operands), result, unit, f"{labels[0]} - {labels[1]}")
    if operation in {"ratio", "margin"}:
        a, b = operands
        if _base(b) == 0:
            raise CalculationError("division by zero")
        result = _base(a) / _base(b)
        if operation == "margin":
            return Calculation(
                operation,
                tuple(operands),
                result * 100,
                "percent",
                f"{labels[0]} / {labels[1]} x 100",
            )
        return Calculation(
            operation, tuple(operands), result, "ratio", f"{labels[0]} / {labels[1]}"
        )
    values = [f.value for f in operands]
    if len({(f.unit, f.scale) for f in operands}) != 1:
        raise CalculationError("operands have different units")
    total = sum(values, Decimal(0))
    if operation == "sum":
        return Calculation(operation, tuple(operands), total, operands[0].unit, " + ".join(labels))
    return Calculation(
        operation,
        tuple(operands),
        total / len(values),
        operands[0].unit,
        f"({' + '.join(labels)}) / {len(values)}",
    )
