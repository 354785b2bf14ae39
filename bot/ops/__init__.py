"""Operations, each one small named unit in its own module of this package, found by name.

Every module here but `registry` declares one operation family and registers it on import;
`load()` imports them all, so the package's files are its list of operations (the way
simonw/llm registers its built-in plugins like any other). Adding an operation is one module
and its tests: nothing else names it.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from bot.ops.registry import (
    REGISTRY,
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

__all__ = [
    "REGISTRY",
    "Calculation",
    "CalculationError",
    "Operation",
    "Request",
    "answering",
    "asked",
    "base",
    "calculate",
    "calculations",
    "cue_words",
    "direction",
    "load",
    "register",
]


@cache
def load() -> dict[str, Operation]:
    """Every operation of the package, registered."""
    for info in pkgutil.iter_modules(__path__):
        if info.name != "registry":
            importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY


def asked(query, op_text: str) -> str | None:  # noqa: ANN001
    """The operation a question asks for whole (a summary, a compound rate, an extreme ...),
    trying each operation's own test in rank order; None when none does."""
    ops = sorted((op for op in load().values() if op.asks is not None), key=lambda o: o.rank)
    return next((op.name for op in ops if op.asks(query, op_text)), None)


def answering(name: str | None) -> Operation | None:
    """The registered operation that answers a question whole, by name."""
    op = load().get(name or "")
    return op if op is not None and op.answer is not None else None


def cue_words() -> frozenset[str]:
    """Every plain word of every operation's cues: a question using one is understood."""
    import re

    plain = (
        word
        for op in load().values()
        for cue in op.cues
        if re.fullmatch(r"[a-z ]+", cue)
        for word in cue.split()
    )
    return frozenset(plain) | frozenset(w for op in load().values() for w in op.words)
