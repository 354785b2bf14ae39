"""Arithmetic over cited facts: every result carries its formula and its operands.

The operations themselves live in the registry of `bot.ops`; this module is the name the
tools and older callers import.
"""

from __future__ import annotations

from bot.ops import Calculation, CalculationError, calculate, calculations, load

load()
OPERATIONS = calculations()

__all__ = ["OPERATIONS", "Calculation", "CalculationError", "calculate"]
