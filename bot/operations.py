"""Operations as a registry: each one small named function with its cue words, arity,
computation and phrasing, found by name.

Adding an operation is one `register(Operation(...))` here (its cue words in
bot/knowledge/vocabulary.yaml) and its tests; `calculate` and the answering stages find it by
name. Values are compared in base units (dollars, not thousands) unless all share one scale.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from bot.catalogue import KNOWLEDGE
from index.facts import Fact

Compute = Callable[[Sequence[Fact]], Decimal]


class CalculationError(ValueError):
    """The operands cannot be combined as asked (division by zero, mixed units)."""


@dataclass(frozen=True)
class Operation:
    """One named operation. `arity` is the operand count (None: two or more); `unit` maps the
    operands' unit to the result's; `formula` writes it over the operands' labels."""

    name: str
    arity: int | None
    compute: Compute
    unit: Callable[[str], str]
    formula: Callable[[list[str]], str]
    phrase: str = ""
    same_unit: bool = True

    @property
    def cues(self) -> re.Pattern[str] | None:
        return cue_words().get(self.name)


REGISTRY: dict[str, Operation] = {}


def register(op: Operation) -> Operation:
    REGISTRY[op.name] = op
    return op


NUMBER_WORDS = {1: "one", 2: "two", 3: "three"}


def operation(name: str) -> Operation:
    if name not in REGISTRY or name == "points":
        names = ", ".join(n for n in REGISTRY if n != "points")
        raise CalculationError(f"unknown operation '{name}'; use one of {names}")
    return REGISTRY[name]


@cache
def cue_words() -> dict[str, re.Pattern[str]]:
    """Each operation's cue words, from bot/knowledge/vocabulary.yaml."""
    import yaml

    data = yaml.safe_load((KNOWLEDGE / "vocabulary.yaml").read_text(encoding="utf-8"))
    return {
        name: re.compile("|".join(rf"\b{w}\b" for w in words), re.I)
        for name, words in (data.get("operations") or {}).items()
    }


def base(f: Fact) -> Decimal:
    """A value in base units: dollars for amounts, the printed figure for anything else."""
    return f.absolute if f.unit == "USD" else f.value


def _pair(facts: Sequence[Fact]) -> tuple[Decimal, Decimal]:
    a, b = facts
    if a.scale == b.scale:
        return a.value, b.value
    return base(a), base(b)


def _divide(a: Decimal, b: Decimal) -> Decimal:
    if b == 0:
        raise CalculationError("division by zero")
    return a / b


def _percent_change(facts: Sequence[Fact]) -> Decimal:
    """(new - old) / old x 100: the finance convention, so a fall from a profit to a loss is
    negative, and a change from a loss is read with its direction word, not its sign."""
    new, old = (base(f) for f in facts)
    if old == 0:
        raise CalculationError("growth from zero is undefined")
    return (new - old) / old * 100


def _cagr(facts: Sequence[Fact]) -> Decimal:
    """((last / first) ^ (1 / years) - 1) x 100 over the years between the two periods."""
    last, first = facts
    years = _years_between(first, last)
    a, b = base(first), base(last)
    if years <= 0:
        raise CalculationError("a compound rate needs two different periods")
    if a <= 0 or b <= 0:
        raise CalculationError("a compound rate needs two positive values")
    rate = math.pow(float(b / a), 1 / years) - 1
    return Decimal(str(round(rate * 100, 10)))


def _years_between(first: Fact, last: Fact) -> float:
    if first.period is None or last.period is None:
        raise CalculationError("a compound rate needs two periods")
    f, t = first.period, last.period
    return (t.fiscal_year - f.fiscal_year) + ((t.quarter or 4) - (f.quarter or 4)) / 4


def _average(facts: Sequence[Fact]) -> Decimal:
    return sum((f.value for f in facts), Decimal(0)) / len(facts)


def _labels_joined(sep: str) -> Callable[[list[str]], str]:
    return lambda labels: sep.join(labels)


def _same(unit: str) -> str:
    return unit


register(
    Operation(
        "growth",
        2,
        _percent_change,
        lambda u: "percent",
        lambda ls: f"({ls[0]} - {ls[1]}) / {ls[1]} x 100",
        "{name} {direction} {amount}, from {old} in {old_period} to {new} in {new_period}",
    )
)
register(
    Operation(
        "points",
        2,
        lambda fs: fs[0].value - fs[1].value,
        lambda u: "percentage points",
        _labels_joined(" - "),
        "{name} moved {amount}, from {old} in {old_period} to {new} in {new_period}",
    )
)
register(
    Operation(
        "difference",
        2,
        lambda fs: (lambda a, b: a - b)(*_pair(fs)),
        lambda u: "percentage points" if u == "percent" else u,
        _labels_joined(" - "),
        "{name} {direction} by {amount}, from {old} in {old_period} to {new} in {new_period}",
    )
)
register(
    Operation(
        "ratio",
        2,
        lambda fs: _divide(base(fs[0]), base(fs[1])),
        lambda u: "ratio",
        _labels_joined(" / "),
        same_unit=False,
    )
)
register(
    Operation(
        "margin",
        2,
        lambda fs: _divide(base(fs[0]), base(fs[1])) * 100,
        lambda u: "percent",
        lambda ls: f"{ls[0]} / {ls[1]} x 100",
        same_unit=False,
    )
)
register(
    Operation(
        "sum",
        None,
        lambda fs: sum((f.value for f in fs), Decimal(0)),
        _same,
        _labels_joined(" + "),
    )
)
register(Operation("average", None, _average, _same, lambda ls: f"({' + '.join(ls)}) / {len(ls)}"))
register(
    Operation(
        "cagr",
        2,
        _cagr,
        lambda u: "percent",
        lambda ls: f"(({ls[0]} / {ls[1]}) ^ (1 / years) - 1) x 100",
        "The compound annual growth rate of {name} from {old_period} to {new_period} was {amount}",
    )
)


@dataclass(frozen=True)
class Calculation:
    operation: str
    operands: tuple[Fact, ...]
    result: Decimal
    unit: str
    formula: str

    def display(self, places: int = 1) -> str:
        from decimal import ROUND_HALF_UP

        value = self.result.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if self.unit == "percent":
            return f"{value:,}%"
        if self.unit == "percentage points":
            return f"{value:,} percentage points"
        return f"{value:,}"


def calculate(name: str, operands: list[Fact]) -> Calculation:
    """Run a registered operation over facts: `growth(new, old)`, `ratio(part, whole)`, ..."""
    op = operation(name)
    if not operands:
        raise CalculationError("no operands")
    if op.arity is not None and len(operands) != op.arity:
        count = NUMBER_WORDS.get(op.arity, str(op.arity))
        raise CalculationError(f"{name} takes {count} operands, got {len(operands)}")
    units = {f.unit for f in operands}
    if op.arity is None and len({(f.unit, f.scale) for f in operands}) > 1:
        raise CalculationError("operands have different units")
    if op.same_unit and len(units) > 1:
        raise CalculationError(f"cannot compare {' with '.join(sorted(units))}")
    if name == "growth" and units == {"percent"}:
        name, op = "points", REGISTRY["points"]
    labels = [f"{f.label} {f.period.label if f.period else f.member} ({f.raw})" for f in operands]
    return Calculation(
        name, tuple(operands), op.compute(operands), op.unit(operands[0].unit), op.formula(labels)
    )


def direction(name: str, new: Decimal, old: Decimal) -> str:
    """The verb for a move, following the sign of what moved: a loss that shrinks 'narrowed'."""
    if new == old:
        return "was unchanged"
    loss = bool(re.search(r"\bloss|deficit\b", name, re.I))
    if loss and new <= 0 and old <= 0:
        return "narrowed" if abs(new) < abs(old) else "widened"
    if old > 0 > new:
        return "swung to a loss" if loss or "income" in name.lower() else "fell"
    if old < 0 < new:
        return "swung to a profit" if loss or "income" in name.lower() else "rose"
    return "rose" if new > old else "fell"
