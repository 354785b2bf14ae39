"""Operations, each one small named unit in its own module of this package, found by name.

Every module here but the helpers (`registry`, and `operands`: the figures the arithmetic
operations share) declares one operation family and registers it on import; `load()` imports
them all, so the package's files are its list of operations (the way
simonw/llm registers its built-in plugins like any other). Adding an operation is one module
and its tests: nothing else names it.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import TYPE_CHECKING

from bot.ops.registry import (
    REGISTRY,
    Asks,
    Calculation,
    CalculationError,
    Operation,
    Request,
    base,
    calculate,
    calculations,
    direction,
    register,
)

if TYPE_CHECKING:
    from bot.answer import Answer

__all__ = [
    "REGISTRY",
    "Calculation",
    "CalculationError",
    "HELPERS",
    "Operation",
    "Request",
    "answering",
    "asked",
    "cued",
    "base",
    "calculate",
    "calculations",
    "cue_words",
    "declined",
    "direction",
    "load",
    "names_computed",
    "operate",
    "readings",
    "register",
    "table_first",
]


HELPERS = frozenset({"registry", "operands", "part_year"})


@cache
def load() -> dict[str, Operation]:
    """Every operation of the package, registered."""
    for info in pkgutil.iter_modules(__path__):
        if info.name not in HELPERS:
            importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY


def operate(req: Request) -> Answer:
    """The arithmetic a figure question names, by its operation's own module; a lookup when it
    names none, or one that only answers questions whole. What cannot be computed is said."""
    from bot.ops.operands import plan_of
    from bot.phrase import not_found

    op = load().get(req.query.operation or "")
    run = op.operate if op is not None and op.operate is not None else load()["lookup"].operate
    try:
        return run(req)
    except CalculationError as exc:
        return not_found(req.raw, f"I couldn't compute that: {exc}.", plan_of(req.query))


def asked(query, op_text: str) -> str | None:  # noqa: ANN001
    """The operation a question asks for (a summary, a compound rate, an extreme, a change, an
    average ...), trying every operation's own tests in rank order; None when none does."""
    return next((name for _, name, asks in readings() if asks(query, op_text)), None)


def readings() -> list[tuple[int, str, Asks]]:
    """Every operation's tests of a question's words, as (rank, name, test), in rank order."""
    ops = load().values()
    tests = [(op.rank, op.name, op.asks) for op in ops if op.asks is not None]
    tests += [(rank, op.name, asks) for op in ops for rank, asks in op.also]
    return sorted(tests, key=lambda t: t[0])


def declined(name: str | None, query) -> bool:  # noqa: ANN001
    """The operation turns down a query asking it in words only (free cash flow where the
    release prints a line by that name)."""
    op = load().get(name or "")
    return op is not None and op.declines is not None and bool(op.declines(query))


def names_computed(question: str) -> bool:
    """The question names a figure an operation computes from two rows by its name: a margin,
    a ratio, free cash flow."""
    return any(op.names_figure(question) for op in load().values() if op.names_figure)


def table_first(name: str | None) -> bool:
    """A measure named with this operation is answered from the tables before the text."""
    op = load().get(name or "")
    return op is not None and op.table_first


def cued(name: str, text: str) -> bool:
    """The text uses one of the operation's cue words."""
    pattern = load()[name].cue_re
    return pattern is not None and bool(pattern.search(text))


def answering(name: str | None) -> Operation | None:
    """The registered operation that answers a question whole, by name."""
    op = load().get(name or "")
    return op if op is not None and op.answer is not None else None


def cue_words() -> frozenset[str]:
    """Every plain word of the cues of every operation that answers a question whole: a
    question using one is understood."""
    import re

    plain = (
        word
        for op in load().values()
        if op.answer is not None
        for cue in op.cues
        if re.fullmatch(r"[a-z ]+", cue)
        for word in cue.split()
    )
    return frozenset(plain) | frozenset(w for op in load().values() for w in op.words)
