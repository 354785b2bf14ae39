"""The cell grammar every reader shares: what a printed table cell says as a number.

`read_cell` takes one cell's text as printed and gives its value with the hints the cell itself
carries (a percent sign, a currency, a `<` qualifier, a footnote mark), or None when the cell is
not a number (`n/a`, `nm`, `*`, words, a label holding figures of its own). Dashes of every kind
are zero. `CELL_PATTERN` finds such cells inside a line of fixed-width text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from index.errors import MalformedRelease

DASHES = "-\u2013\u2014\u2212"  # hyphen, en dash, em dash, minus sign
CURRENCY_SIGNS = {
    "US$": "USD",
    "HK$": "HKD",
    "S$": "SGD",
    "A$": "AUD",
    "C$": "CAD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "RMB": "CNY",
}
NOT_A_NUMBER = frozenset({"n/a", "na", "nm", "n.m.", "*", "**", "none", "nil", "n/m"})
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_CURRENCY = "|".join(re.escape(c) for c in sorted(CURRENCY_SIGNS, key=len, reverse=True))
_DASH = f"[{DASHES}]"
_CELL_RE = re.compile(
    rf"^(?P<qual>[<>~≈]\s*)?"
    rf"(?P<cur1>{_CURRENCY})?\s*"
    rf"(?P<open>\()?\s*(?P<cur2>{_CURRENCY})?\s*"
    rf"(?P<sign>{_DASH})?\s*(?P<cur3>{_CURRENCY})?\s*"
    rf"(?P<num>{NUMBER})\s*"
    rf"(?P<pct1>%)?\s*(?P<close>\))?\s*(?P<pct2>%|bps|x)?"
    rf"(?P<mark>\s*\(\d{{1,2}}\)|\s*\*{{1,3}}|\s*\([a-z]\))?$",
    re.IGNORECASE,
)
_ZERO_RE = re.compile(rf"^(?:{_CURRENCY})?\s*{_DASH}(?:\s*{_DASH})*\s*%?$")

# A cell inside a line of fixed-width text: a figure (with its currency, parentheses, sign, `%`
# or `bps`, and a footnote mark one space after it), a dash, `< 10%`, or a placeholder such as `n/a` that holds a column's place.
_SIGN = r"(?:US\$|\$|€|£|¥|RMB)"
_FIGURE = (
    rf"(?<![\w(.,])(?:{_SIGN}\s*)?(?:\(\s*{_SIGN}?\s*(?:{NUMBER})\s*%?\s*\)|[-\u2212]?{_SIGN}?(?:{NUMBER})"
    rf"(?![\d,]))(?:\s?%|\s+bps\b)?(?:\s?\(\d{{1,2}}\)(?!\S))?"
)
CELL_PATTERN = (
    rf"{_FIGURE}"
    rf"|(?<!\S)[<>]\s*(?:{NUMBER})%?"
    rf"|(?<!\S)(?:{_SIGN}\s*)?[-\u2013\u2014](?:\s[-\u2013\u2014])*\s?%?(?!\S)"
    r"|(?<!\S)(?:n/a|N/A|nm|NM|n\.m\.|\*)(?!\S)"
)


@dataclass(frozen=True)
class CellValue:
    """A cell read as a number: the value as printed (scale not applied), and what the cell
    itself says about it."""

    value: Decimal
    qualifier: str | None = None
    percent: bool = False
    currency: str | None = None
    unit: str | None = None  # "basis points", "ratio" when the cell says so (`bps`, `2.5x`)
    footnote: str | None = None
    dash: bool = False


def read_cell(text: str) -> CellValue | None:
    """The number a printed cell holds, or None when the cell is not a number."""
    t = " ".join(text.replace("\u00a0", " ").split())
    if not t or t.lower() in NOT_A_NUMBER:
        return None
    if _ZERO_RE.match(t):
        return CellValue(Decimal(0), percent=t.endswith("%"), currency=_currency(t), dash=True)
    m = _CELL_RE.match(t)
    if m is None or bool(m["open"]) != bool(m["close"]):
        return None
    return _figure(m)


def _figure(m: re.Match[str]) -> CellValue | None:
    try:
        number = Decimal(m["num"].replace(",", ""))
    except InvalidOperation:
        return None
    negative = bool(m["open"]) or bool(m["sign"])
    tail = (m["pct2"] or "").lower()
    return CellValue(
        -number if negative else number,
        qualifier=(m["qual"] or "").strip() or None,
        percent=bool(m["pct1"]) or tail == "%",
        currency=_currency("".join(m[g] or "" for g in ("cur1", "cur2", "cur3"))),
        unit={"bps": "basis points", "x": "ratio"}.get(tail),
        footnote=(m["mark"] or "").strip() or None,
    )


def is_number(text: str) -> bool:
    return read_cell(text) is not None


def parse_cell(raw: str, line: int = 0) -> tuple[Decimal, str | None]:
    """'$ (16,088)' -> -16088; '-' -> 0; '< 10%' -> 10 with qualifier '<'; else refused."""
    cell = read_cell(raw)
    if cell is None:
        raise MalformedRelease(f"cannot read the figure '{raw}'", line or None)
    return cell.value, cell.qualifier


def _currency(text: str) -> str | None:
    for sign, code in CURRENCY_SIGNS.items():
        if sign in text:
            return code
    return None
