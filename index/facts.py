"""The fact: one numeric table cell, exactly as printed, with everything needed to cite it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from index.periods import Period

UNITS = ("USD", "percent", "days", "count", "shares", "USD per share", "ratio", "basis points")
# Other currencies keep their ISO code as the unit ("EUR", "GBP per share"); printed with a sign.
CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "RMB ", "SGD": "S$"}
SCALES = {
    "units": Decimal(1),
    "thousands": Decimal(1000),
    "millions": Decimal(1_000_000),
    "billions": Decimal(1_000_000_000),
}


@dataclass(frozen=True)
class CellPosition:
    """Where the cell stands in its table (0-based row and column of the grid) and, for text
    layouts, on which line and at which characters, so the UI and the audit need not re-read."""

    row: int
    col: int
    line: int | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Fact:
    """One table cell. `row` is the label path, section headings first.

    A column is keyed by its `period`, or, when its header is not a period (a segment, a region,
    a maturity bucket, `Change`, `% Change`), by `member` of a named `dimension`; such a fact's
    period is the table's own when the caption gives one, else None.
    """

    release: str
    table: str
    table_index: int
    row: tuple[str, ...]
    column: str
    period: Period | None
    basis: str | None
    value: Decimal
    raw: str
    unit: str
    scale: str
    line: int
    label_line: int
    qualifier: str | None = None
    dimension: str | None = None
    member: str | None = None
    position: CellPosition | None = None

    @property
    def label(self) -> str:
        return self.row[-1]

    @property
    def row_text(self) -> str:
        return " > ".join(self.row)

    @property
    def lines(self) -> tuple[int, int]:
        """The label's first line through the value's line: the span a reader looks at."""
        return (min(self.label_line, self.line), self.line)

    @property
    def absolute(self) -> Decimal:
        """The value in base units (dollars, not thousands)."""
        return self.value * SCALES[self.scale]

    def display(self) -> str:
        """The value as a person reads it: printed digits, unit and scale."""
        return format_value(self.value, self.unit, self.scale, self.qualifier)


def places(value: Decimal) -> int:
    """The decimal places a figure is printed with ('104.0' has one)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def format_value(
    value: Decimal, unit: str, scale: str = "units", qualifier: str | None = None
) -> str:
    """Write a value with its unit the way the release would: $(16,088) thousand, 36%, 74 days."""
    q = f"{qualifier} " if qualifier else ""
    digits = _digits(abs(value))
    neg = value < 0
    scale_word = {"thousands": " thousand", "millions": " million", "billions": " billion"}.get(
        scale, ""
    )
    currency = unit.removesuffix(" per share")
    if currency in CURRENCY_SIGNS or (len(currency) == 3 and currency.isupper()):
        sign = CURRENCY_SIGNS.get(currency, f"{currency} ")
        body = f"{sign}{'(' + digits + ')' if neg else digits}"
        suffix = " per share" if unit.endswith(" per share") else scale_word
        return f"{q}{body}{suffix}"
    sign = "-" if neg else ""
    if unit == "percent":
        return f"{q}{sign}{digits}%"
    if unit == "days":
        return f"{q}{sign}{digits} days"
    if unit == "shares":
        return f"{q}{sign}{digits}{scale_word} shares"
    if unit == "count":
        return f"{q}{sign}{digits}{scale_word}"
    if unit == "ratio":
        return f"{q}{sign}{digits}"
    if unit == "basis points":
        return f"{q}{sign}{digits} bps"
    return f"{q}{sign}{digits}{scale_word}"


def _digits(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return f"{value:,.{places}f}"
