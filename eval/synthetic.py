"""Synthetic releases made from the bundled one: another company, later years, scaled figures.

A generated release must still pass the tie-out audit, so its figures are not random: every
dollar amount and share count is multiplied by one integer `k` (totals stay exact; margins,
percentages, per-share figures, turns and DSO stay true, so those cells are kept as printed), and
every year is shifted by the same number of years. Pure text in, text out: the bundled release
is parsed once to learn where its amounts stand, and each release is a few string edits, fast
enough to make a thousand for a benchmark.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from index.config import DEFAULT_RELEASE

if TYPE_CHECKING:
    from index.facts import Fact
    from index.release import ParsedRelease

BASE_COMPANY = ("Infinera", "INFN")
BASE_YEAR = 2012
SCALED_UNITS = frozenset({"USD", "shares"})

# Company names are a prefix and a suffix: 30 x 40 = 1,200 distinct names.
PREFIXES = (
    "Lum Vor Kest Tal Brin Cor Dax Fen Gal Hal Jor Kal Lev Mar Nor "
    "Pel Quin Ros Sel Tor Ul Ven Wex Yar Zel Ard Bel Cal Del Ost"
).split()
SUFFIXES = (
    "ora ex ium ara on is ent ica ova yx ana eon ix ond ura ello ant iro "
    "esa ido ux era ima ost ari una eth ovo ade ine olt ava emi orn "
    "iva esk ulo ath ire"
).split()
MAX_SHIFT = 12
# Every figure doubled: three times no longer ties the rounded `$ Mil` quarters to the cash
# flow statement, four times no longer fits the narrowest columns of the bundled release.
FACTORS = (2,)
_MONEY_IN_PROSE = re.compile(r"\$(\()?(\d[\d,]*(?:\.\d+)?)(\))? (million|billion)")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_SHORT_YEAR = re.compile(r"\b(Q[1-4])'(\d\d)\b")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Synthetic:
    """What one generated release is: who, which years, and how its figures were scaled."""

    index: int
    company: str
    ticker: str
    shift: int
    factor: int

    @property
    def release_id(self) -> str:
        return f"{self.company.lower()}-{BASE_YEAR + self.shift}-q4"

    @property
    def fiscal_year(self) -> int:
        return BASE_YEAR + self.shift


@dataclass(frozen=True)
class _Cell:
    line: int  # 0-based
    start: int
    end: int
    raw: str
    exact: Decimal | None = None  # a rounded figure's unrounded value, where a table prints it


@dataclass(frozen=True)
class _Plan:
    """What parsing the base release once tells: its amount cells, and for figures rounded to
    millions (in prose or in a `$ Mil` row) the figures in thousands they round."""

    cells: tuple[_Cell, ...]
    prose: dict[tuple[int, str], Decimal]  # (0-based line, "$128.1 million") -> 128.064


def synthetic(index: int) -> Synthetic:
    """The `index`-th generated release's parameters; distinct names for 0..1199."""
    if index < 0:
        raise ValueError(f"a synthetic release index is not negative, not {index}")
    company = PREFIXES[index % len(PREFIXES)] + SUFFIXES[index // len(PREFIXES) % len(SUFFIXES)]
    ticker = company[0].upper() + _letters(index, 3)
    shift = 1 + index % MAX_SHIFT
    factor = FACTORS[index % len(FACTORS)]
    return Synthetic(index, company, ticker, shift, factor)


def make_release(index: int, base: str | None = None) -> tuple[str, str]:
    """(release id, text) of the `index`-th synthetic release of `base` (the bundled one)."""
    spec = synthetic(index)
    return spec.release_id, render(spec, base)


def render(spec: Synthetic, base: str | None = None) -> str:
    text = base if base is not None else _bundled()
    lines = text.split("\n")
    plan = _plan(text)
    by_line: dict[int, list[_Cell]] = {}
    for cell in plan.cells:
        by_line.setdefault(cell.line, []).append(cell)
    for number, cells in by_line.items():
        lines[number] = _scaled_line(lines[number], cells, spec.factor)
    table_lines = set(by_line)
    for i, line in enumerate(lines):
        if i not in table_lines:
            lines[i] = _MONEY_IN_PROSE.sub(
                lambda m, i=i: _prose_money(m, spec.factor, plan.prose.get((i, m[0]))), line
            )
    out = "\n".join(lines)
    out = _YEAR.sub(lambda m: str(int(m[1]) + spec.shift), out)
    out = _SHORT_YEAR.sub(lambda m: f"{m[1]}'{(int(m[2]) + spec.shift) % 100:02d}", out)
    name, ticker = BASE_COMPANY
    for old, new in ((name, spec.company), (name.upper(), spec.company.upper())):
        out = out.replace(old, new)
    out = out.replace(name.lower(), spec.company.lower())
    return out.replace(ticker, spec.ticker)


@lru_cache(maxsize=1)
def _bundled() -> str:
    return DEFAULT_RELEASE.read_text(encoding="utf-8")


@lru_cache(maxsize=4)
def _plan(text: str) -> _Plan:
    """Where the dollar amounts and share counts of `text` stand, learned by parsing it once."""
    from index.release import parse_release

    parsed = parse_release(text, "base")
    exact = _exact_millions(parsed.facts)
    return _Plan(_scaled_cells(parsed.facts, exact), _prose_figures(parsed))


def _exact_millions(facts: Sequence[Fact]) -> dict[tuple[object, Decimal], Decimal]:
    """Figures printed in thousands, in millions unrounded, by (period, millions to one
    decimal): a millions cell showing the rounded figure scales from the exact one."""
    exact: dict[tuple[object, Decimal], Decimal] = {}
    for fact in facts:
        if fact.unit == "USD" and fact.scale == "thousands":
            millions = _round(abs(fact.value) / 1000, 1)
            exact.setdefault((fact.period, millions), abs(fact.value) / 1000)
    return exact


def _prose_figures(parsed: ParsedRelease) -> dict[tuple[int, str], Decimal]:
    """The figure every sentence quoting a table states, by (line index, quoted words), as the
    audit's prose checks find it."""
    from index.audit import audit

    prose: dict[tuple[int, str], Decimal] = {}
    for check in audit(parsed).checks:
        quoted = re.match(r'"([^"]+)"', check.name)
        if check.kind == "prose" and quoted and check.expected is not None and check.lines:
            prose[(check.lines[0] - 1, quoted[1])] = abs(check.expected)
    return prose


def _scaled_cells(
    facts: Sequence[Fact], exact: dict[tuple[object, Decimal], Decimal]
) -> tuple[_Cell, ...]:
    """Each printed cell of an amount or share count, once, with its unrounded figure when a
    millions cell rounds one printed in thousands."""
    cells = {}
    for fact in facts:
        pos = fact.position
        if fact.unit not in SCALED_UNITS or pos is None or pos.line is None or pos.start is None:
            continue
        unrounded = None
        if fact.scale == "millions":
            unrounded = exact.get((fact.period, abs(fact.value)))
        cells[(pos.line, pos.start)] = _Cell(
            pos.line - 1, pos.start, pos.end or pos.start, fact.raw, unrounded
        )
    return tuple(cells.values())


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _scaled_line(line: str, cells: list[_Cell], factor: int) -> str:
    """The line with each cell's number times `factor`, right edges kept where they were; a
    longer number first takes the blanks inside its cell (`$    1,234`), then those to its left
    (one is kept between cells)."""
    for cell in sorted(cells, key=lambda c: -c.start):
        printed = line[cell.start : cell.end]
        match = _NUMBER.search(printed)
        if match is None:
            continue
        head, tail = printed[: match.start()], printed[match.end() :]
        number = _times(match[0], factor, cell.exact)
        grow = len(number) - len(match[0])
        if grow > 0:
            inner = len(head) - len(head.replace(" ", ""))
            cut = min(grow, inner)
            head = head.replace(" ", "", cut) if head.startswith("$") else head[cut:]
            grow -= cut
        new = head + number + tail
        start = cell.start
        if grow > 0:
            before = line[:start]
            free = len(before) - len(before.rstrip())
            spare = free if free == len(before) else free - 1
            if spare < grow:
                raise ValueError(f"no room to scale {printed!r} on line {cell.line + 1}")
            start -= grow
        elif grow < 0:
            new = (
                head[:1] + " " * -grow + head[1:] + number + tail
                if head.startswith("$")
                else (" " * -grow + new)
            )
        line = line[:start] + new + line[cell.end :]
    return line


def _times(number: str, factor: int, exact: Decimal | None = None) -> str:
    """`number` as printed times `factor`, with as many decimals and thousands separators; a
    rounded figure whose unrounded value is known is that value times `factor`, rounded."""
    places = len(number.partition(".")[2])
    value = Decimal(number.replace(",", "")) * factor
    if exact is not None:
        value = _round(exact * factor, places)
    return f"{value:,.{places}f}" if "," in number or value >= 1000 else f"{value:.{places}f}"


def _prose_money(match: re.Match[str], factor: int, exact: Decimal | None) -> str:
    """A `$128.1 million` of the prose, scaled through the figure the audit ties it to."""
    number = _times(match[2], factor, exact)
    if "," not in match[2]:
        number = number.replace(",", "")
    return f"${match[1] or ''}{number}{match[3] or ''} {match[4]}"


def _letters(index: int, width: int) -> str:
    out = ""
    for _ in range(width):
        index, rest = divmod(index, 26)
        out = chr(ord("A") + rest) + out
    return out
