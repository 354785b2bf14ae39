"""Arithmetic over cited facts: every result carries its formula and its operands.

The operations themselves live in the registry in bot/operations.py; this module is the name
the tools and older callers import.
"""

from __future__ import annotations

from bot.operations import REGISTRY, Calculation, CalculationError, calculate

OPERATIONS = tuple(n for n in REGISTRY if n != "points")

__all__ = ["OPERATIONS", "Calculation", "CalculationError", "calculate"]
