"""The number guard: an agent's answer is shown only when every figure in it is backed.

A figure is backed when it matches, within the rounding it is written with, a fact a tool
returned this turn, the result of a `calculate` call, or a number in a passage `search_text`
returned. Years, quarter labels, dates, times, line references and counts of months are not
figures. Where a figure is followed by a period ("41 days in Q3 2024"), the matching fact must
belong to that period; where it carries a unit ("%", "$", "days"), the fact must have that unit.
Pure: text and a `TurnRecord` in, a `Verdict` out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from bot.tools import TurnRecord
from index.facts import SCALES, Fact
from index.periods import MONTH_ABBR, MONTHS, ORDINALS

_MONTH = r"(?:" + "|".join(sorted((*MONTHS, *MONTH_ABBR), key=len, reverse=True)) + r")\.?"
_ORDINAL_Q = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
_YEAR = r"(?:19|20)\d{2}"

# Spans that hold digits but are not figures; blanked out (positions kept) before reading figures.
NOT_FIGURES = [
    re.compile(r"\blines?\s+\d+(?:\s*(?:-|–|—|to|and|,)\s*\d+)*", re.I),
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?\b", re.I),
    re.compile(rf"\b\d{{1,2}}\s+{_MONTH}(?:,?\s+{_YEAR})?\b", re.I),
    re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    re.compile(r"\b\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.m\.", re.I),
    re.compile(r"\b[Qq][1-4](?:\s*['’]\s*\d{2}|\s*-\s*\d{2}\b|\s+(?:FY\s*)?\d{4})?\b"),
    re.compile(r"\b[1-4]Q\s*['’]?\s*\d{2,4}\b|\b[1-4]Q\b"),
    re.compile(r"\bFY\s*['’]?\s*\d{2,4}\b|['’]\d{2}\b", re.I),
    re.compile(rf"\bfiscal(?:\s+year)?\s+{_YEAR}\b", re.I),
    re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.I),
    re.compile(r"\b\d+[\s-](?:months?|weeks?|quarters?|years?)\b", re.I),
    re.compile(r"\b\d+-[A-Z]\b"),
    re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.I),
    re.compile(r"(?<!\$)\(\d\)"),
]
PHONE_RE = re.compile(r"(?:\+?1[-.\s])?\(?\b\d{3}\)?[-.\s]\d{3}[-.\s]\d{4}\b")
NUMBER_RE = re.compile(
    r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,]\d)|(?<![\w.,])\.\d+"
)
SCALE_WORDS = {
    "thousand": Decimal(1000),
    "k": Decimal(1000),
    "million": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "mm": Decimal(1_000_000),
    "m": Decimal(1_000_000),
    "billion": Decimal(1_000_000_000),
    "bn": Decimal(1_000_000_000),
    "b": Decimal(1_000_000_000),
}
# Product and form codes (100G, 10-K) are names; 128.1M and 5bn are amounts.
CODE_RE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?P<letters>[A-Za-z]+)\d*\b")
LEAD_RE = re.compile(
    r"(?P<minus>(?:^|(?<=[\s(]))[-−]\s*)?\s*(?P<cur>US\$|USD\s*|\$)?\s*(?P<open>\(\s*)?(?:\$\s*)?$"
)
RIGHT_RE = re.compile(
    r"(?P<close>\s*\))?"
    r"(?:\s*(?P<pct>%|percent\b|per\s+cent\b))?"
    r"(?:\s*(?P<scale>thousand|million|billion|mn|bn|mm|k|m|b)\b)?"
    r"(?:\s*(?P<unit>percentage\s+points?|points?\b|pp\b|bps\b|basis\s+points|days?\b|"
    r"shares\b|per\s+share\b|dollars\b))?",
    re.I,
)
PERIOD_AFTER_RE = re.compile(
    r"\s*\)?,?\s*(?:in|for|during|as\s+of|at|at\s+the\s+end\s+of|by\s+the\s+end\s+of|on|of)\s+"
    r"(?:the\s+)?(?P<period>"
    rf"[Qq](?P<q1>[1-4])(?:\s*['’]\s*(?P<y1>\d{{2}})|\s+(?:FY\s*)?(?P<y2>{_YEAR}))?"
    rf"|(?P<q2>[1-4])Q\s*['’]?\s*(?P<y3>{_YEAR}|\d{{2}})"
    rf"|(?P<q3>{_ORDINAL_Q})\s+(?:fiscal\s+)?quarter(?:\s+of)?(?:\s+(?:fiscal\s+)?(?P<y4>{_YEAR}))?"
    rf"|(?:fiscal\s+(?:year\s+)?|FY\s*['’]?)(?P<y5>{_YEAR}|\d{{2}})"
    rf"|(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<y6>{_YEAR})"
    rf"|(?P<y7>{_YEAR})\b)",
    re.I,
)
ORDINAL_NUMBER = ORDINALS


@dataclass(frozen=True)
class PeriodWord:
    """The period a figure is said to belong to: 'in Q3 2024', 'for fiscal 2023'."""

    text: str
    kind: str  # "quarter" | "year" | "date" | "bare_year"
    fiscal_year: int | None = None
    quarter: int | None = None
    end: date | None = None

    def admits(self, f: Fact) -> bool:
        p = f.period
        if self.kind == "quarter":
            return p.quarter == self.quarter and self.fiscal_year in (None, p.fiscal_year)
        if self.kind == "year":
            return p.fiscal_year == self.fiscal_year and p.kind in {"year", "instant"}
        if self.kind == "date":
            return p.end == self.end if p.end is not None else p.fiscal_year == self.fiscal_year
        return p.fiscal_year == self.fiscal_year


@dataclass(frozen=True)
class Figure:
    """A number as the answer writes it: '$128.1 million' is 128,100,000 give or take 50,000."""

    text: str
    start: int
    value: Decimal  # signed, in units: "$(16.1) million" is -16,100,000
    tolerance: Decimal  # half the last digit shown, in units
    unit: str | None  # "USD" | "percent" | "points" | "days" | "shares" | None
    negative: bool = False
    period: PeriodWord | None = None
    digits: str = ""


@dataclass(frozen=True)
class Check:
    """One figure and what backs it, or why nothing does."""

    figure: Figure
    supported: bool
    reason: str
    facts: tuple[Fact, ...] = ()
    result: Decimal | None = None


@dataclass(frozen=True)
class Verdict:
    """The guard's finding over one answer: every figure, backed or not."""

    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(c.supported for c in self.checks)

    @property
    def unsupported(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.supported)

    @property
    def facts(self) -> tuple[Fact, ...]:
        """The facts the answer used, in the order it used them, each once."""
        seen: dict[Fact, None] = {}
        for c in self.checks:
            for f in c.facts:
                seen.setdefault(f, None)
        return tuple(seen)

    @property
    def results(self) -> tuple[Decimal, ...]:
        return tuple(c.result for c in self.checks if c.result is not None)

    def explain(self) -> str:
        """One sentence naming each unsupported figure and why: for the user and the logs."""
        return "; ".join(f"'{c.figure.text}' {c.reason}" for c in self.unsupported)


def check(text: str, record: TurnRecord) -> Verdict:
    """Every figure in `text` against what the tools returned in this turn."""
    passage_numbers = {n for p in record.passages for n in _plain_numbers(p)}
    passage_digits = "|".join(re.sub(r"\D", "", p) for p in record.passages)
    checks = []
    for fig in figures(text):
        if fig.unit == "phone":
            ok = bool(fig.digits) and fig.digits in passage_digits
            reason = (
                "is in a passage the search returned" if ok else "is not in any passage returned"
            )
            checks.append(Check(fig, ok, reason))
            continue
        checks.append(_check_one(fig, record, passage_numbers))
    return Verdict(tuple(checks))


def figures(text: str) -> list[Figure]:
    """The figures in an answer, with what is not a figure (years, dates, Q3, lines) left out."""
    masked = text
    out: list[Figure] = []
    for m in PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        out.append(Figure(m.group(), m.start(), Decimal(0), Decimal(0), "phone", digits=digits))
        masked = _blank(masked, m.start(), m.end())
    for pattern in NOT_FIGURES:
        for m in pattern.finditer(masked):
            masked = _blank(masked, m.start(), m.end())
    for m in CODE_RE.finditer(masked):
        if m.group("letters").lower() not in SCALE_WORDS:
            masked = _blank(masked, m.start(), m.end())
    for m in NUMBER_RE.finditer(masked):
        fig = _figure(text, masked, m)
        if fig is not None:
            out.append(fig)
    return sorted(out, key=lambda f: f.start)


def _figure(text: str, masked: str, m: re.Match[str]) -> Figure | None:
    raw = m.group()
    number = Decimal(raw.replace(",", ""))
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    left = masked[max(0, m.start() - 8) : m.start()]
    lead = LEAD_RE.search(left)
    right = RIGHT_RE.match(masked, m.end())
    assert lead is not None and right is not None  # every part of both is optional
    currency = bool(lead.group("cur"))
    negative = bool(lead.group("minus")) or (
        bool(lead.group("open")) and bool(right.group("close"))
    )
    scale_word = _scale_word(right.group("scale"), currency)
    scale = SCALE_WORDS.get(scale_word, Decimal(1))
    unit_word = re.sub(r"\s+", " ", (right.group("unit") or "").lower())
    unit = "percent" if right.group("pct") else _unit_of(unit_word, currency)
    if unit_word in {"bps", "basis points"}:
        number, places = number / 100, places + 2
    if unit is None and not scale_word and _looks_like_year(raw, number, places):
        return None
    start = m.start() - (len(left) - lead.start())
    end = right.end()
    return Figure(
        text=text[start:end].strip(),
        start=m.start(),
        value=(-number if negative else number) * scale,
        tolerance=Decimal(5).scaleb(-places - 1) * scale,
        unit=unit,
        negative=negative,
        period=_period_after(text, end),
        digits=raw.replace(",", ""),
    )


UNIT_WORDS = {
    "percentage point": "points",
    "percentage points": "points",
    "point": "points",
    "points": "points",
    "pp": "points",
    "bps": "points",
    "basis points": "points",
    "shares": "shares",
    "per share": "USD",
    "dollars": "USD",
}


def _scale_word(word: str | None, currency: bool) -> str:
    w = (word or "").lower()
    # "5 m" is more often metres or a stray letter than millions
    return "" if w in {"m", "b", "k"} and not currency else w


def _unit_of(unit_word: str, currency: bool) -> str | None:
    """The unit a figure's own words give it ('74 days', '$1.2', '3 points'), if any."""
    if unit_word in UNIT_WORDS:
        return UNIT_WORDS[unit_word]
    if unit_word.startswith("day"):
        return "days"
    return "USD" if currency else None


def _looks_like_year(raw: str, number: Decimal, places: int) -> bool:
    return places == 0 and "," not in raw and 1900 <= number <= 2100


def _check_one(fig: Figure, record: TurnRecord, passage_numbers: set[str]) -> Check:
    magnitude = abs(fig.value)
    by_value = [f for f in record.facts if _near(magnitude, f, fig)]
    facts = [f for f in by_value if _unit_fits(fig.unit, f.unit)]
    if facts and fig.period is not None:
        in_period = [f for f in facts if fig.period.admits(f)]
        if not in_period:
            return _other_period(fig, facts, record)
        facts = in_period
    if facts:
        return Check(fig, True, "matches a looked-up fact", facts=tuple(_best(facts, fig)))
    result = _result_match(fig, record)
    if result is not None:
        return Check(fig, True, "is a calculated result", result=result)
    if _plain(fig.digits) in passage_numbers:
        return Check(fig, True, "is in a passage the search returned")
    if by_value:
        units = ", ".join(sorted({f.unit for f in by_value}))
        return Check(fig, False, f"matches a value in {units}, not in {fig.unit}")
    return Check(fig, False, "does not match any figure the tools returned")


def _other_period(fig: Figure, facts: list[Fact], record: TurnRecord) -> Check:
    """A figure written with a period its matching facts do not have: a calculated result, or
    the figure of another period."""
    result = _result_match(fig, record)
    if result is not None:
        return Check(fig, True, "is a calculated result", result=result)
    have = ", ".join(sorted({f.period.label for f in facts if f.period is not None}))
    return Check(fig, False, f"is the {have} figure, not {fig.period.text if fig.period else ''}")


def _near(magnitude: Decimal, f: Fact, fig: Figure) -> bool:
    slack = fig.tolerance + Decimal("1e-9")
    value = abs(f.value)
    return abs(magnitude - value) <= slack or abs(magnitude - value * SCALES[f.scale]) <= slack


def _unit_fits(written: str | None, fact_unit: str) -> bool:
    if written is None:
        return True
    return {
        "USD": fact_unit in {"USD", "USD per share"},
        "percent": fact_unit == "percent",
        "points": False,
        "days": fact_unit == "days",
        "shares": fact_unit in {"shares", "count"},
    }.get(written, False)


def _result_match(fig: Figure, record: TurnRecord) -> Decimal | None:
    """A calculate result, read at the scale of the facts it came from, or as a percentage."""
    scales = {SCALES[f.scale] for f in record.facts if f.unit == "USD"} | {Decimal(1)}
    slack = fig.tolerance + Decimal("1e-9")
    for r in record.results:
        candidates = [abs(r) * s for s in scales] if fig.unit in {None, "USD"} else [abs(r)]
        if fig.unit == "percent":
            candidates.append(abs(r) * 100)
        if any(abs(abs(fig.value) - c) <= slack for c in candidates):
            return r
    return None


def _best(facts: list[Fact], fig: Figure) -> list[Fact]:
    """The facts a figure most likely shows: the exact printed value first, then all matches."""
    exact = [
        f for f in facts if abs(f.value) == abs(fig.value) or f.raw.strip("$() ") == fig.digits
    ]
    return exact or facts


def _period_after(text: str, end: int) -> PeriodWord | None:
    m = PERIOD_AFTER_RE.match(text, end)
    if m is None:
        return None
    words = m.group("period")
    q = m.group("q1") or m.group("q2") or m.group("q3")
    year_text = next(
        (m.group(g) for g in ("y1", "y2", "y3", "y4", "y5", "y6", "y7") if m.group(g)), None
    )
    year = _full_year(year_text) if year_text else None
    if q:
        quarter = int(q) if q.isdigit() else ORDINAL_NUMBER[q.lower()]
        return PeriodWord(words, "quarter", year, quarter)
    if m.group("month"):
        month = MONTHS.get(m.group("month").lower().rstrip(".")) or MONTH_ABBR.get(
            m.group("month").lower().rstrip(".")[:3]
        )
        if month and year:
            try:
                return PeriodWord(words, "date", year, end=date(year, month, int(m.group("day"))))
            except ValueError:
                return None
        return None
    if m.group("y5"):
        return PeriodWord(words, "year", year)
    return PeriodWord(words, "bare_year", year)


def _full_year(text: str) -> int:
    n = int(text)
    return 2000 + n if n < 100 else n


def _plain_numbers(text: str) -> set[str]:
    return {_plain(m.group()) for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", text)}


def _plain(digits: str) -> str:
    """'52,310', '52310.0' and '052310' are one number."""
    try:
        return format(Decimal(digits.replace(",", "").rstrip(".")).normalize(), "f")
    except InvalidOperation:
        return digits


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]
