"""Scoring one gold question against one `Answer`: pure, so every rule is a unit test.

Strict about numbers: the expected figure must stand in the answer text (as printed, or a
correct rounding of it with its scale word), with its sign and qualifier, and the text must
not be a dump of many figures that would contain it by luck. Items that expect several
figures ("values"), a summary's key figures ("summary": true) or a derived figure (a
"formula": every operand line cited, and "computed": the answer says it is computed) are
held to those rules too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from bot.answer import Answer

MAX_FIGURES = 6
# Outcomes of one question, as the report counts them.
OUTCOMES = ("correct", "wrong", "refused", "false_answer", "error")
# A derived figure's answer must say it is not printed but computed.
COMPUTED_RE = re.compile(r"\b(?:comput|calculat|deriv)", re.IGNORECASE)
ORDINALS = ("first", "second", "third", "fourth")
# The words that say which way a figure moved; an item's `direction` asks for its own words and
# forbids the other way's ("Net loss rose by $3,262 thousand" for a loss that narrowed is wrong).
DIRECTION_WORDS: dict[str, str] = {
    "narrowed": r"narrow|smaller|shr[ai]nk|decreas|improv|fell|declin|lower|reduc",
    "widened": r"widen|larger|bigger|grew|increas|deepen|worse",
    "rose": r"rose|grew|increas|improv|higher|up\b",
    "fell": r"fell|decreas|declin|lower|dropped|down\b",
}
OPPOSITE = {"narrowed": "widened", "widened": "narrowed", "rose": "fell", "fell": "rose"}

SCALES: dict[str, Decimal] = {
    "units": Decimal(1),
    "thousands": Decimal(1_000),
    "millions": Decimal(1_000_000),
    "billions": Decimal(1_000_000_000),
}
SCALE_WORDS: dict[str, Decimal] = {
    "thousand": SCALES["thousands"],
    "thousands": SCALES["thousands"],
    "k": SCALES["thousands"],
    "million": SCALES["millions"],
    "millions": SCALES["millions"],
    "mil": SCALES["millions"],
    "mn": SCALES["millions"],
    "mm": SCALES["millions"],
    "m": SCALES["millions"],
    "billion": SCALES["billions"],
    "billions": SCALES["billions"],
    "bn": SCALES["billions"],
    "b": SCALES["billions"],
}
# A rounding must keep this many significant digits (or all the printed ones), so that
# "$0.1 billion" does not pass for 128,064 thousand.
MIN_SIGNIFICANT = 3

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# Text that holds digits but no figure: citations, dates, period labels, times, phones, forms.
NOT_FIGURES_RE = re.compile(
    "|".join(
        [
            r"\blines?\s+\d+(?:\s*(?:[-–—,]|and|to)\s*\d+)*",
            rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*,\s*\d{{4}})?\b",
            rf"\b\d{{1,2}}\s+{_MONTH}(?:\s*,?\s*\d{{4}})?\b",
            r"\b[1-4]Q(?:\s*'?\s*\d{2}\b|\s*(?:19|20)\d{2}\b)?",
            r"\bQ[1-4](?:\s*'\s*\d{2}\b|\s*-?\s*(?:19|20)\d{2}\b)?",
            r"\bFY\s*'?\d{2,4}\b",
            r"\bH[12](?:\s*'?\d{2,4})?\b",
            r"\b\d{1,2}:\d{2}\b",
            r"\b(?:1-)?\d{3}-\d{3}-\d{4}\b",
            r"\b(?:10|8)-[KQ]\b",
            r"(?<![\d$.,])(?:19|20)\d{2}(?![\d%]|[.,]\d|\s*(?:%|percent))",
        ]
    ),
    re.IGNORECASE,
)
NUMBER_RE = re.compile(
    r"(?P<qualifier>(?:<|≤|less\s+than|below|under|fewer\s+than)\s*)?"
    r"(?P<open>\(\s*)?(?P<pre>(?:[-−–](?=[$\d(]))?(?:\$\s*)?(?:[-−–](?=\d))?)(?P<open2>\(\s*)?"
    r"(?P<digits>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)"
    r"(?P<close>\s*\))?"
    r"(?P<suffix>\s*(?:%|percent(?:age)?(?:\s+points?)?|pts?\b|pp\b)"
    r"|\s*(?:thousands?|millions?|billions?|mil|mn|mm|bn|[kmb])\b)?",
    re.IGNORECASE,
)
# "fell 7.5%" states -7.5%: a fall word before a percent change is its sign.
FALL_BEFORE_RE = re.compile(
    r"\b(?:fell|decreased|declined|dropped|shrank|contracted|narrowed|down|(?:a\s+)?(?:decrease|"
    r"decline|drop|fall|narrowing)\s+of)\s+(?:by\s+)?(?:about\s+|approximately\s+|some\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class GoldItem:
    """One question of the gold set, as read from `eval/gold.yaml`."""

    id: str
    category: str
    question: str
    expected: Mapping[str, Any]
    lines: tuple[int, ...] = ()
    conversation: tuple[str, ...] = ()
    operands_lines: tuple[int, ...] = ()
    note: str = ""
    release: str | None = None  # asked with this release loaded alone; None: the default index

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], release: str | None = None) -> GoldItem:
        """`release` is the gold file's own release, which an item's `release` overrides."""
        return cls(
            id=str(d["id"]),
            category=str(d["category"]),
            question=str(d["question"]),
            expected=dict(d["expected"]),
            lines=tuple(int(n) for n in d.get("lines") or ()),
            conversation=tuple(str(t) for t in d.get("conversation") or ()),
            operands_lines=tuple(int(n) for n in d.get("operands_lines") or ()),
            note=str(d.get("note") or ""),
            release=str(d.get("release") or release or "") or None,
        )

    @property
    def kind(self) -> str:
        """'not_found', 'phrases', 'summary', 'values' or 'value': which rule scores the item."""
        if self.expected.get("not_found"):
            return "not_found"
        if "phrases" in self.expected:
            return "phrases"
        if self.expected.get("summary"):
            return "summary"
        if "values" in self.expected:
            return "values"
        return "value"

    @property
    def expected_values(self) -> tuple[Mapping[str, Any], ...]:
        """Every figure the answer must hold: one for 'value', the list for the others."""
        if self.kind == "value":
            return (self.expected,)
        return tuple(dict(v) for v in self.expected.get("values") or ())

    def expected_text(self) -> str:
        """The expected answer in one line, for reports."""
        e = self.expected
        if self.kind == "not_found":
            return "not in the release (found: false)"
        if self.kind == "phrases":
            return "phrases: " + "; ".join(str(p) for p in e["phrases"])
        if self.kind in ("values", "summary"):
            head = "summary holding" if self.kind == "summary" else "all of"
            return f"{head}: " + "; ".join(_value_text(v) for v in self.expected_values)
        text = _value_text(e)
        if e.get("computed"):
            text += ", said to be computed"
        if e.get("formula"):
            text += f" [{e['formula']}; operands cited: lines {_lines(self.operands_lines)}]"
        return text


def _value_text(e: Mapping[str, Any]) -> str:
    """One expected figure in words: '128,064 thousands USD Q4 2012 (GAAP)'."""
    parts = [f"{e['label']}:"] if e.get("label") else []
    parts.append(str(e["value"]))
    if e.get("scale") and e["scale"] != "units":
        parts.append(str(e["scale"]))
    if e.get("unit"):
        parts.append(str(e["unit"]))
    if e.get("period"):
        parts.append(str(e["period"]))
    if e.get("basis"):
        parts.append(f"({e['basis']})")
    if e.get("tolerance") is not None:
        parts.append(f"± {e['tolerance']}")
    return " ".join(parts)


@dataclass(frozen=True)
class Verdict:
    """Whether an answer is right and cites the right line; `reason` says why when it is not."""

    correct: bool
    citation_ok: bool | None
    reason: str


@dataclass(frozen=True)
class Figure:
    """A number as it stands in a text: signed value, its scale word, and what surrounds it."""

    value: Decimal
    exponent: int  # of the last printed digit: 0 for "128", -1 for "128.1"
    significant: int
    scale: Decimal | None  # None: no scale word, read in the expected figure's own scale
    percent: bool
    qualified: bool  # preceded by "<", "less than", "below", ...
    text: str
    fall_word: bool = False  # preceded by "fell", "decreased by", ... (signs a percent always)


@dataclass(frozen=True)
class ExpectedFigure:
    value: Decimal
    exponent: int
    significant: int
    scale: Decimal
    percent: bool
    qualified: bool
    tolerance: Decimal | None
    signed: bool = False  # a fall word before an amount is its sign ("fell by $734 thousand")


def score(item: GoldItem | Mapping[str, Any], answer: Answer) -> Verdict:
    """Judge `answer` against `item`'s expectation, and its citations against `item.lines`."""
    gold = item if isinstance(item, GoldItem) else GoldItem.from_dict(item)
    cited = citation_ok(gold, answer)
    correct, reason = _judge(gold, answer)
    if correct and cited is False:
        reason = f"right answer, but no citation covers line(s) {_lines(gold.lines)}"
    return Verdict(correct, cited, reason)


def _judge(gold: GoldItem, answer: Answer) -> tuple[bool, str]:
    if gold.kind == "not_found":
        if answer.found:
            return False, "should have said the release does not hold this (found is true)"
        return True, "refused as expected"
    if not answer.found:
        return False, "refused (found is false) but the release holds the answer"
    if gold.kind == "phrases":
        text = _fold(answer.text)
        missing = [str(p) for p in gold.expected["phrases"] if _fold(str(p)) not in text]
        if missing:
            return False, "missing phrase(s): " + "; ".join(missing)
        return True, "all phrases present"
    if gold.kind in ("values", "summary"):
        return _judge_values(gold, answer.text)
    correct, reason = _judge_value(gold, answer.text)
    if correct:
        return _judge_derivation(gold, answer)
    return correct, reason


def _judge_value(gold: GoldItem, text: str) -> tuple[bool, str]:
    expected = expected_figure(gold.expected)
    figures = figures_in(text)
    distinct = {abs(f.value).normalize() for f in figures}
    if len(distinct) > MAX_FIGURES:
        return False, f"a dump of {len(distinct)} figures (more than {MAX_FIGURES})"
    if any(matches(f, expected) for f in figures):
        return True, "expected figure present"
    if expected.qualified and any(matches(replace(f, qualified=True), expected) for f in figures):
        return False, f"gives {gold.expected['value']} without its qualifier"
    return False, f"expected {gold.expected_text()}; not in the answer"


def _judge_values(gold: GoldItem, text: str) -> tuple[bool, str]:
    """Every expected figure present; a list may hold a few more, a summary as many as it needs."""
    figures = figures_in(text)
    if gold.kind == "values":
        limit = MAX_FIGURES + len(gold.expected_values)
        distinct = {abs(f.value).normalize() for f in figures}
        if len(distinct) > limit:
            return False, f"a dump of {len(distinct)} figures (more than {limit})"
    missing = [
        _value_text(e)
        for e in gold.expected_values
        if not any(matches(f, expected_figure(e)) for f in figures)
    ]
    if missing:
        return False, "missing figure(s): " + "; ".join(missing)
    return True, f"all {len(gold.expected_values)} expected figures present"


def _judge_derivation(gold: GoldItem, answer: Answer) -> tuple[bool, str]:
    """A figure the release does not print (`computed`) must say it is computed and cite every
    operand; a figure asked with its period (`period_named`, "which quarter ...") must name it.
    A right number on its own does not show where it came from."""
    e = gold.expected
    if e.get("computed"):
        if not COMPUTED_RE.search(answer.text):
            return False, "right figure, but the answer does not say it is computed"
        uncited = [n for n in gold.operands_lines if not _covered(n, answer)]
        if uncited:
            return False, f"right figure, but operand line(s) {_lines(tuple(uncited))} not cited"
    if e.get("period_named") and not names_period(answer.text, str(e.get("period") or "")):
        return False, f"right figure, but the answer does not name the period {e.get('period')}"
    if e.get("direction") and not says_direction(answer.text, str(e["direction"])):
        return False, f"right figure, but the answer does not say it {e['direction']}"
    return True, "expected figure present"


def says_direction(text: str, direction: str) -> bool:
    """The text moves the figure `direction`'s way, and never the other way."""
    right = re.search(rf"\b(?:{DIRECTION_WORDS[direction]})", text, re.IGNORECASE)
    wrong = re.search(rf"\b(?:{DIRECTION_WORDS[OPPOSITE[direction]]})", text, re.IGNORECASE)
    return right is not None and wrong is None


def period_forms(label: str) -> tuple[str, ...]:
    """The ways a person writes a quarter label such as 'Q3 2012' (else the label itself)."""
    m = re.fullmatch(r"Q([1-4]) (\d{4})", label.strip())
    if not m:
        return (label,)
    q, year = m.group(1), m.group(2)
    ordinal = ORDINALS[int(q) - 1]
    return (
        f"q{q} {year}",
        f"q{q}'{year[2:]}",
        f"q{q} '{year[2:]}",
        f"q{q} fy{year}",
        f"q{q} of {year}",
        f"{q}q{year[2:]}",
        f"{q}q {year}",
        f"{ordinal} quarter of {year}",
        f"{ordinal} quarter {year}",
        f"{ordinal} quarter of fiscal {year}",
    )


def names_period(text: str, label: str) -> bool:
    folded = _fold(text)
    return any(_fold(form) in folded for form in period_forms(label))


def _covered(line: int, answer: Answer) -> bool:
    return any(c.lines[0] <= line <= c.lines[-1] for c in answer.citations)


def outcome(kind: str, found: bool | None, correct: bool) -> str:
    """Which of OUTCOMES a result is: a wrong answer, a refusal and a false answer apart."""
    if found is None:
        return "error"
    if correct:
        return "correct"
    if kind == "not_found":
        return "false_answer"
    return "wrong" if found else "refused"


def citation_ok(item: GoldItem, answer: Answer) -> bool | None:
    """Some citation's [first, last] contains one of the item's lines; None when it has none."""
    if not item.lines:
        return None
    return any(_covered(line, answer) for line in item.lines)


def expected_figure(expected: Mapping[str, Any]) -> ExpectedFigure:
    """The gold value as a number: '(16,088)' is -16088, '< 10%' keeps its qualifier."""
    raw = str(expected["value"]).strip()
    figures = figures_in(raw, mask=False)
    if len(figures) != 1:
        raise ValueError(f"cannot read the expected value {raw!r}")
    f = figures[0]
    tolerance = expected.get("tolerance")
    return ExpectedFigure(
        value=f.value,
        exponent=f.exponent,
        significant=f.significant,
        scale=SCALES[str(expected.get("scale") or "units")],
        percent=expected.get("unit") == "percent" or f.percent,
        qualified=f.qualified,
        tolerance=None if tolerance is None else Decimal(str(tolerance)),
        signed=bool(expected.get("signed")),
    )


def figures_in(text: str, mask: bool = True) -> list[Figure]:
    """Every figure in `text`; with `mask`, digits in citations, dates and periods are not."""
    if mask:
        text = NOT_FIGURES_RE.sub(lambda m: " " * len(m.group()), text)
    found: list[Figure] = []
    for m in NUMBER_RE.finditer(text):
        start = m.start("digits")
        if start > 0 and (text[start - 1].isalpha() or text[start - 1] == "_"):
            continue  # part of a word: "DTN-X", "100G" keeps its digits, "B2B" does not
        end = m.end("digits")
        if _glued_to_word(text, end) and not m.group("suffix"):
            continue  # "100G", "3rd": a name or ordinal, not a figure
        found.append(_figure(m, text))
    return found


def _figure(m: re.Match[str], text: str) -> Figure:
    digits = m.group("digits").replace(",", "")
    value = Decimal(digits)
    suffix = (m.group("suffix") or "").strip().lower()
    percent = suffix.startswith(("%", "percent", "pt", "pp"))
    scale = SCALE_WORDS.get(suffix) if suffix and not percent else None
    fall_word = FALL_BEFORE_RE.search(text[: m.start()]) is not None
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return Figure(
        value=-value if _negative(m, text, percent, fall_word) else value,
        exponent=exponent,
        significant=len(digits.replace(".", "").lstrip("0")) or 1,
        scale=scale,
        percent=percent,
        qualified=bool(m.group("qualifier")),
        text=m.group().strip(),
        fall_word=fall_word,
    )


def _negative(m: re.Match[str], text: str, percent: bool, fall_word: bool) -> bool:
    """A figure is negative when a minus sign or accounting parentheses mark it, or when it is
    a percent after a word of falling ('declined 3%')."""
    dashed = any(c in (m.group("pre") or "") for c in "-−–") and _is_sign(text, m.start("pre"))
    # Accounting parentheses wrap the number, or the number and its % sign: "(12.1)%", "(12.1%)".
    closed = bool(m.group("close")) or (percent and re.match(r"\s*\)", text[m.end() :]) is not None)
    bracketed = bool(m.group("open") or m.group("open2")) and closed
    fallen = percent and fall_word
    return bool(dashed or bracketed or fallen)


def _glued_to_word(text: str, end: int) -> bool:
    """Letters right after the digits make a name ('100G'); a ratio's 'x' ('2.98x') does not."""
    rest = text[end : end + 2]
    if not rest or not rest[0].isalpha():
        return False
    return not (rest[0] in "xX" and (len(rest) == 1 or not rest[1].isalpha()))


def _is_sign(text: str, at: int) -> bool:
    """A dash is a minus sign unless it stands between two figures ('128,064 - 112,056')."""
    before = text[:at].rstrip()
    return not before or not (before[-1].isdigit() or before[-1] in ")%")


def matches(f: Figure, e: ExpectedFigure) -> bool:
    """`f` states `e`: same sign and qualifier, and equal, within tolerance or a fair rounding."""
    if not _comparable(f, e):
        return False
    if e.signed and f.fall_word and not f.percent and f.value > 0:
        f = replace(f, value=-f.value)
    return any(_states_in(f, scale, e) for scale in _readings(f, e))


def _comparable(f: Figure, e: ExpectedFigure) -> bool:
    """Same qualifier, and a percent only for a percent, never a scaled one ('10 million%')."""
    if e.qualified != f.qualified:
        return False  # "< 10%" and "10%" are different facts
    if f.percent and not e.percent:
        return False
    return not (e.percent and f.scale is not None)


def _states_in(f: Figure, scale: Decimal, e: ExpectedFigure) -> bool:
    """`f` read in `scale` states `e`: same sign (a zero has none), and equal, within
    tolerance or a fair rounding."""
    given_units = f.value * scale
    expected_units = e.value * e.scale
    if (given_units < 0) != (expected_units < 0) and given_units != 0:
        return False
    if e.tolerance is not None and abs(given_units - expected_units) <= e.tolerance * e.scale:
        return True
    return given_units == expected_units or _fair_rounding(f, scale, e)


def _readings(f: Figure, e: ExpectedFigure) -> tuple[Decimal, ...]:
    """A bare number is read in the expected figure's scale, or as whole units."""
    if f.scale is not None:
        return (f.scale,)
    return (e.scale,) if e.scale == 1 else (e.scale, Decimal(1))


def _fair_rounding(f: Figure, scale: Decimal, e: ExpectedFigure) -> bool:
    """'$128.1 million' for 128,064 thousand: the expected value rounded to the given digits;
    a figure rounded to nothing ('0.0' for 0.01) states no value."""
    if f.value == 0 or f.significant < min(MIN_SIGNIFICANT, e.significant):
        return False
    quantum = Decimal(1).scaleb(f.exponent) * scale
    if quantum <= Decimal(1).scaleb(e.exponent) * e.scale:
        return False  # as precise as printed, so it had to be equal
    expected_units = e.value * e.scale
    return abs(f.value * scale - expected_units) * 2 <= quantum


FOLD = str.maketrans({"–": "-", "—": "-", "−": "-", "’": "'", "‘": "'", "“": '"', "”": '"'})


def _fold(text: str) -> str:
    """Case, dashes, quotes and spacing do not make a phrase different."""
    return re.sub(r"\s+", " ", text.casefold().translate(FOLD))


def _lines(lines: tuple[int, ...]) -> str:
    return ", ".join(str(n) for n in lines)


def retrieval_hit(item: GoldItem, retrieved: str) -> bool:
    """Whether a plain RAG bot's retrieved text holds the answer: the figure's digits as
    printed, or every phrase. It never refuses, so a not_found item is never a hit."""
    if item.kind == "not_found":
        return False
    if item.kind == "phrases":
        text = _fold(retrieved)
        return all(_fold(str(p)) in text for p in item.expected["phrases"])
    return all(_printed_in(str(e["value"]), retrieved) for e in item.expected_values)


def _printed_in(value: str, retrieved: str) -> bool:
    digits = re.sub(r"[^\d.,]", "", value).strip(".,")
    return re.search(rf"(?<![\d.,]){re.escape(digits)}(?![\d]|[.,]\d)", retrieved) is not None
