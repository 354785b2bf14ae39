"""The operations registry: what an operation is, where it is registered, how it is run.

An operation is one `Operation` record declared in its own module of `bot/ops/` (its cue words,
arity, computation, phrasing and, for the operations that answer a whole question, how it is
recognised and answered). Modules register themselves on import; `bot.ops` imports every
module of the package, so a new operation is one new module plus its tests.
Values are compared in base units (dollars, not thousands) unless all share one scale.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import TYPE_CHECKING

from index.facts import Fact

if TYPE_CHECKING:
    from bot.answer import Answer
    from bot.context import Context
    from bot.query import Query
    from bot.resolve import Resolver

Compute = Callable[[Sequence[Fact]], Decimal]
NUMBER_WORDS = {1: "one", 2: "two", 3: "three"}
BASE_UNITS = frozenset({"USD", "shares"})


class CalculationError(ValueError):
    """The operands cannot be combined as asked (division by zero, mixed units)."""


@dataclass(frozen=True)
class Request:
    """One question handed to an operation that answers it whole: the raw text, the query, the
    release and a resolver made for that question."""

    raw: str
    query: Query
    ctx: Context
    resolver: Resolver
    op_text: str = ""


Asks = Callable[["Query", str], bool]
Answers = Callable[[Request], "Answer | None"]


@dataclass(frozen=True)
class Operation:
    """One named operation.

    `arity` is the operand count (None: two or more); `compute` the arithmetic over facts;
    `unit` maps the operands' unit to the result's; `formula` writes it over the operands'
    labels; `phrase` the sentence pattern. `cues` are the words that ask for it (regular
    expression fragments, matched on word boundaries) and `words` their plain words, which a
    question may use though no release prints them; `asks` tells from a query and its words
    outside the measure's label whether the question asks for it, tried in `rank` order, and
    `also` holds further such tests at their own ranks (a cue that yields to another
    operation's in one wording and not in another); `declines` turns the operation down for a
    query asking it in words only where the release prints the figure itself. `answer`
    answers a question whole, before the release's text is tried; `operate` answers the
    arithmetic of a figure question once the text is ruled out. `table_first`: a measure named
    with this operation is answered from the tables before the text is searched;
    `names_figure` tells whether a question names a figure the operation computes from two
    rows by its name (a margin, a ratio, free cash flow).
    """

    name: str
    arity: int | None = None
    compute: Compute | None = None
    unit: Callable[[str], str] = lambda u: u
    formula: Callable[[list[str]], str] = lambda labels: ", ".join(labels)
    phrase: str = ""
    same_unit: bool = True
    cues: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    asks: Asks | None = None
    answer: Answers | None = None
    rank: int = 100
    internal: bool = False
    also: tuple[tuple[int, Asks], ...] = ()
    declines: Callable[[Query], bool] | None = None
    operate: Answers | None = None
    table_first: bool = False
    names_figure: Callable[[str], bool] | None = None

    @property
    def cue_re(self) -> re.Pattern[str] | None:
        return cue_pattern(self.cues) if self.cues else None


@cache
def cue_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Cue words as one case-insensitive pattern, each on word boundaries."""
    return re.compile("|".join(rf"\b(?:{w})\b" for w in words), re.I)


REGISTRY: dict[str, Operation] = {}


def register(op: Operation) -> Operation:
    REGISTRY[op.name] = op
    return op


def operation(name: str) -> Operation:
    """A calculation by name; 'points' is chosen by `calculate`, never asked for."""
    from bot.ops import load

    op = load().get(name)
    if op is None or op.compute is None or op.internal:
        names = ", ".join(calculations())
        raise CalculationError(f"unknown operation '{name}'; use one of {names}")
    return op


def calculations() -> tuple[str, ...]:
    """The names of the operations that compute over facts (the tools' `calculate`), in
    alphabetical order: modules register in the order they import each other."""
    from bot.ops import load

    return tuple(
        sorted(n for n, op in load().items() if op.compute is not None and not op.internal)
    )


def base(f: Fact) -> Decimal:
    """A value in base units: dollars for amounts, shares for share counts, the printed
    figure for anything else."""
    return f.absolute if f.unit in BASE_UNITS else f.value


def same_scale_pair(facts: Sequence[Fact]) -> tuple[Decimal, Decimal]:
    a, b = facts
    if a.scale == b.scale:
        return a.value, b.value
    return base(a), base(b)


def divide(a: Decimal, b: Decimal) -> Decimal:
    if b == 0:
        raise CalculationError("division by zero")
    return a / b


@dataclass(frozen=True)
class Calculation:
    operation: str
    operands: tuple[Fact, ...]
    result: Decimal
    unit: str
    formula: str

    def display(self, places: int = 1) -> str:
        value = self.result.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if self.unit == "percent":
            return f"{value:,}%"
        if self.unit == "percentage points":
            return f"{value:,} percentage points"
        return f"{value:,}"


def calculate(name: str, operands: list[Fact], relative: bool = False) -> Calculation:
    """Run a registered operation over facts: `growth(new, old)`, `ratio(part, whole)`, ...
    The growth of a rate is in percentage points unless `relative` (a 'percentage change' of
    a rate asked for in so many words)."""
    op = operation(name)
    _check_operands(op, operands)
    if op.name == "growth" and not relative and {f.unit for f in operands} == {"percent"}:
        op = REGISTRY["points"]
    labels = [f"{f.label} {f.period.label if f.period else f.member} ({f.raw})" for f in operands]
    assert op.compute is not None
    return Calculation(
        op.name,
        tuple(operands),
        op.compute(operands),
        op.unit(operands[0].unit),
        op.formula(labels),
    )


def _check_operands(op: Operation, operands: list[Fact]) -> None:
    if not operands:
        raise CalculationError("no operands")
    if op.arity is not None and len(operands) != op.arity:
        count = NUMBER_WORDS.get(op.arity, str(op.arity))
        raise CalculationError(f"{op.name} takes {count} operands, got {len(operands)}")
    units = {f.unit for f in operands}
    if op.arity is None and len({(f.unit, f.scale) for f in operands}) > 1:
        raise CalculationError("operands have different units")
    if op.same_unit and len(units) > 1:
        raise CalculationError(f"cannot compare {' with '.join(sorted(units))}")
    if op.arity == 2 and operands[1].unit == "percent" and operands[0].unit != "percent":
        raise CalculationError("an amount is never divided by a percentage")


LOSS_RE = re.compile(r"\bloss|deficit\b", re.I)


def direction(name: str, new: Decimal, old: Decimal) -> str:
    """The verb for a move, following the sign of what moved: a loss that shrinks 'narrowed'."""
    if new == old:
        return "was unchanged"
    loss = bool(LOSS_RE.search(name))
    if loss and new <= 0 and old <= 0:
        return "narrowed" if abs(new) < abs(old) else "widened"
    result = loss or "income" in name.lower()
    if old > 0 > new:
        return "swung to a loss" if result else "fell"
    if old < 0 < new:
        return "swung to a profit" if result else "rose"
    return "rose" if new > old else "fell"
