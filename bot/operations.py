"""The name older callers import the operations registry by; it lives in `bot.ops`."""

from __future__ import annotations

from bot.ops import REGISTRY, Calculation, CalculationError, Operation, base, calculate, direction

__all__ = [
    "REGISTRY",
    "Calculation",
    "CalculationError",
    "Operation",
    "base",
    "calculate",
    "direction",
]
