"""Change: how one figure moved between two periods, as a percentage change (signed, relative
to the old value), a change in its own unit (a difference), or in percentage points for a
rate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from bot.answer import Answer, cite, value_of
from bot.metrics import MetricRow
from bot.ops.lookup import lookup
from bot.ops.operands import across_members, answered, at, plan_of, two
from bot.ops.ratio import PERCENT_WORD_RE
from bot.ops.registry import (
    Calculation,
    CalculationError,
    Operation,
    Request,
    base,
    calculate,
    cue_pattern,
    direction,
    register,
    same_scale_pair,
)
from bot.phrase import fmt_calc, found, period_label, row_key
from bot.query import Query
from bot.resolve import MOVE_MEMBER_RE
from bot.text import lower_first
from index.facts import Fact

GROWTH_CUES = (
    r"gr[eo]w(?:th|n)?",
    "increase[ds]?",
    "decrease[ds]?",
    "change[ds]?",
    "rise",
    "rose",
    "fell",
    "fall",
    "decline[ds]?",
    "drop(?:ped)?",
    "yoy",
    "year[- ]over[- ]year",
    "sequential(?:ly)?",
    "qoq",
    "quarter[- ]over[- ]quarter",
    "improve[ds]?",
    "move[ds]?",
    "shr[aiu]nk(?:s|ing)?",
    "jump(?:ed)?",
    r"climb(?:s|ed|ing)?",
    r"dip(?:s|ped|ping)?",
    "narrow(?:ed)?",
    "widen(?:ed)?",
    "(?:go|went|gone|going) (?:up|down)",
    "up or down",
)
# 'Did X shrink ...?': a question whether a figure went one way, answered yes or no first.
YES_NO_ASK_RE = re.compile(r"^\s*(?:did|does|has|have|had|was|were|is|are)\b", re.I)
UP_ASK_RE = re.compile(
    r"\b(?:gr[eo]w(?:n|s|ing)?|increas\w*|ris(?:e|en|es|ing)|rose|higher|larger|bigger|more"
    r"|jump\w*|climb\w*|expand\w*|widen\w*|wider|(?<!-)up)\b",
    re.I,
)
DOWN_ASK_RE = re.compile(
    r"\b(?:shr[aiu]nk\w*|f[ae]ll(?:s|en|ing)?|declin\w*|decreas\w*|drop\w*|lower|smaller|less"
    r"|fewer|narrow\w*|contract\w*|reduc\w*|dip(?:s|ped|ping)?|down)\b",
    re.I,
)
POINTS_CUES = ("points?", "pp", "basis points")
VERSUS_CUES = (r"vs\.?", "versus", "compare[ds]?")
# 'how much lower' asks a gap whatever word it runs into ('how much lowered').
GAP_CUES = ("gap", "difference", "spread", r"how (?:much|far) (?:apart|lower|higher)\w*")
GROWTH_RE = cue_pattern(GROWTH_CUES)
POINTS_RE = cue_pattern(POINTS_CUES)
VERSUS_RE = cue_pattern(VERSUS_CUES)
GAP_RE = cue_pattern(GAP_CUES)
PERCENT_ASK_RE = re.compile(r"\bpercent(?:age)?\b|%|\bgrowth rate\b|\brate\b", re.I)
COMPARE_RE = re.compile(r"\b(?:larger|smaller|bigger|higher|lower|more|less)\b.*\bthan\b", re.I)
CHANGE_WORD_RE = re.compile(
    r"\b(?:the|what|net) (?:change|increase|decrease|rise|decline)\b|\bchange in\b"
    r"|\bincrease\s*/\s*\(?decrease\)?",
    re.I,
)
ABSOLUTE_ASK_RE = re.compile(r"\bhow much\b|\bin dollars\b|\bhow many\b", re.I)
ABSOLUTE_WORD_RE = re.compile(r"\babsolute\b", re.I)
RELATIVE_CHANGE_RE = re.compile(
    r"\b(?:percent(?:age)?|%)\s+(?:change|increase|decrease|growth|decline|rise|fall)\b"
    r"|\bgrowth rate\b",
    re.I,
)
DECIMALS_RE = re.compile(r"\d\.(\d+)")
# A line whose label says it is a change ('Net change in cash') answers a change asked of it.
CHANGE_ROW_RE = re.compile(r"\bchange|increase|decrease", re.I)


def two_periods(q: Query) -> bool:
    return len(q.periods) >= 2


def percent_change(facts: Sequence[Fact]) -> Decimal:
    """(new - old) / old x 100: the finance convention, so a fall from a profit to a loss is
    negative, and a change from a loss is read with its direction word, not its sign."""
    new, old = (base(f) for f in facts)
    if old == 0:
        raise CalculationError("growth from zero is undefined")
    return (new - old) / old * 100


def difference(facts: Sequence[Fact]) -> Decimal:
    a, b = same_scale_pair(facts)
    return a - b


def moves(text: str) -> bool:
    """'from A to B' names the old column first: the move is B against A."""
    return bool(re.search(r"\bfrom\b.+\bto\b", text, re.I))


def joined(sep: str):  # noqa: ANN201
    return lambda labels: sep.join(labels)


def asks_growth(q: Query, op_text: str) -> bool:
    """A change between two periods named, in moving words or in points."""
    return two_periods(q) and bool(GROWTH_RE.search(op_text) or POINTS_RE.search(q.text))


def asks_growth_later(q: Query, op_text: str) -> bool:
    """Moving words outside the measure's label, or two periods set against each other."""
    return bool(GROWTH_RE.search(op_text)) or (two_periods(q) and bool(VERSUS_RE.search(q.text)))


def asks_difference(q: Query, op_text: str) -> bool:
    """'larger than' between two periods, or with a moving word."""
    return bool(COMPARE_RE.search(q.text)) and (two_periods(q) or bool(GROWTH_RE.search(op_text)))


def asks_difference_later(q: Query, op_text: str) -> bool:
    """'the gap' between two periods."""
    return bool(GAP_RE.search(q.text)) and two_periods(q)


def operate(req: Request) -> Answer:
    """A change between two members of one row the question names, else between two periods;
    a line whose label says it is a change is looked up when the change cannot be computed."""
    q = req.query
    try:
        across = across_members(req, q.operation)
        if across is not None:
            return across
        return change(req, q.operation)
    except CalculationError:
        changed = [m for m in q.matches if CHANGE_ROW_RE.search(m.row.name)]
        if not changed:
            raise
        return lookup(req, changed, q.basis, list(q.periods))


def change(req: Request, op: str) -> Answer:
    """How a figure moved between two periods: in its unit, in percent or in points; a
    percentage change the row prints itself is given as printed."""
    q = req.query
    new, old, row = two(req, list(q.matches), q.basis, list(q.periods))
    kinds = {f.period.kind for f in (new, old) if f.period is not None}
    if kinds == {"quarter", "year"}:
        return lookup(req, list(q.matches), q.basis, list(q.periods))  # no move between them
    moved = direction(row.name, base(new), base(old))
    text, calcs = told(q.text, op, row.name, new, old, moved)
    shown = printed_change(row, new, old, calcs[0])
    if shown is not None:
        return as_printed(req, verdict(q.text, moved), row, moved, shown, new, old)
    return answered(req, verdict(q.text, moved) + text, [new, old], calcs, row)


def printed_change(row: MetricRow, new: Fact, old: Fact, calc: Calculation) -> Fact | None:
    """The percentage change the row prints in a column of its own ('% Change', 'Change'),
    when the row prints figures for just the two periods compared and the printed change
    agrees with the computed one to the places it prints."""
    if calc.operation != "growth" or {f.period for f in row.facts} != {new.period, old.period}:
        return None
    if len(row.facts) != 2:
        return None
    printed = [
        f
        for f in row.undated
        if f.unit == "percent" and MOVE_MEMBER_RE.search(f.member or f.column)
    ]
    if len(printed) != 1:
        return None
    places = len(m.group(1)) if (m := DECIMALS_RE.search(printed[0].raw)) else 0
    if abs(printed[0].value - calc.result) > Decimal(5) / Decimal(10) ** (places + 1):
        return None
    return printed[0]


def as_printed(
    req: Request, yes_no: str, row: MetricRow, moved: str, shown: Fact, new: Fact, old: Fact
) -> Answer:
    """A move given by the change the release prints, its two figures cited beside it."""
    amount = shown.display().lstrip("-").strip("()")
    where = shown.member or shown.column
    text = (
        f"{yes_no}{row.name} {moved} {amount} (as printed in its {where} column), from "
        f"{old.display()} {at(old)} {period_label(old)} to {new.display()} {at(new)} "
        f"{period_label(new)}. ({shown.table}, line {shown.line})"
    )
    plan = replace(plan_of(req.query), measures=(row_key(row),))
    facts = [shown, new, old]
    return found(req.raw, text, [cite(f) for f in facts], [value_of(f) for f in facts], plan)


def told(
    question: str, op: str, name: str, new: Fact, old: Fact, moved: str
) -> tuple[str, list[Calculation]]:
    """The sentence of a move (`moved`, its verb) and the calculations it shows: in percent,
    in the figure's own unit, in points, or how far apart the two figures are."""
    relative = new.unit == "percent" and bool(
        RELATIVE_CHANGE_RE.search(question) and not ABSOLUTE_WORD_RE.search(question)
    )
    diff = calculate("difference", [new, old])
    wants_points = new.unit == "percent" and not relative
    absolute = absolute_asked(question, op, wants_points)
    pct = growth_beside(new, old, relative, absolute)
    main = diff if absolute else pct
    if main is diff and not wants_points:
        gap = apart(question, name, new, old, diff)
        if gap is not None:
            return gap[0], [gap[1]]
    span = (
        f"from {old.display()} {at(old)} {period_label(old)} to {new.display()} "
        f"{at(new)} {period_label(new)}."
    )
    if main is pct and pct is not None:
        text = f"{name} {moved} {pct.display().lstrip('-')}, {span}"
        if moved.startswith("swung"):
            text += f" As a signed percentage change, that is {pct.display()}."
        return text, [main]
    amount = fmt_calc(replace(diff, result=abs(diff.result)), new)
    text = f"{moved_by(name, moved, amount, new, old)}, {span}"
    if not wants_points and old.value > 0 and pct is not None:
        return f"{text} That is a change of {pct.display()}.", [diff, pct]
    return text, [main]


def growth_beside(new: Fact, old: Fact, relative: bool, absolute: bool) -> Calculation | None:
    """The percentage change; beside a change in the figure's own unit, none from zero, where
    only the amount the figure moved by can be said ('—' in 2018 to (228) in 2019). From zero
    to zero nothing moved, and that is refused as before."""
    try:
        return calculate("growth", [new, old], relative=relative)
    except CalculationError:
        if not absolute or new.value == old.value:
            raise
        return None


def verdict(question: str, moved: str) -> str:
    """'Yes. ' or 'No. ' before the move when the question asks whether a figure went one way
    ('Did operating expenses shrink ...?', 'Was the net loss wider ...?'); the way it went is
    the way the answer's own verb says (a loss that shrinks 'narrowed', so it did not rise)."""
    if not YES_NO_ASK_RE.match(question):
        return ""
    up, down = bool(UP_ASK_RE.search(question)), bool(DOWN_ASK_RE.search(question))
    if up == down:
        return ""
    went_up = moved in {"rose", "widened", "swung to a profit"}
    return "Yes. " if went_up == up and moved != "was unchanged" else "No. "


def apart(
    question: str, name: str, new: Fact, old: Fact, diff: Calculation
) -> tuple[str, Calculation] | None:
    """How far apart two figures are, when that is what was asked: 'larger than' says which is
    larger; 'the difference between 2018 and 2019' is unsigned, unless it also says 'change',
    'increase' or 'from ... to'."""
    gap = replace(diff, result=abs(diff.result))
    if COMPARE_RE.search(question):
        word = "larger" if abs(new.value) >= abs(old.value) else "smaller"
        text = (
            f"The {period_label(new)} {lower_first(name)} ({new.display()}) was "
            f"{fmt_calc(gap, new)} {word} in magnitude than the {period_label(old)} figure "
            f"({old.display()})."
        )
        return text, diff
    if GAP_RE.search(question) and not (GROWTH_RE.search(question) or moves(question)):
        text = (
            f"The difference in {lower_first(name)} between {period_label(old)} "
            f"({old.display()}) and {period_label(new)} ({new.display()}) is "
            f"{fmt_calc(gap, new)}."
        )
        return text, gap
    return None


def moved_by(name: str, moved: str, amount: str, new: Fact, old: Fact) -> str:
    """'X fell by N', or across zero 'X fell by N and swung to a loss': the amount moves with
    the sign, the swing is said beside it."""
    if not moved.startswith("swung"):
        return f"{name} {moved} by {amount}"
    verb = "rose" if base(new) > base(old) else "fell"
    return f"{name} {verb} by {amount} and {moved}"


def absolute_asked(question: str, op: str, wants_points: bool) -> bool:
    """A change in the figure's own unit (dollars, days, points) rather than in percent."""
    asked = ABSOLUTE_ASK_RE.search(question) or CHANGE_WORD_RE.search(question)
    absolute = bool(asked) and not PERCENT_WORD_RE.search(question)
    if wants_points or absolute or (op == "difference" and not PERCENT_ASK_RE.search(question)):
        return True
    return not (PERCENT_ASK_RE.search(question) or op == "growth")


register(
    Operation(
        "growth",
        2,
        percent_change,
        lambda u: "percent",
        lambda ls: f"({ls[0]} - {ls[1]}) / {ls[1]} x 100",
        "{name} {direction} {amount}, from {old} in {old_period} to {new} in {new_period}",
        cues=GROWTH_CUES + POINTS_CUES + VERSUS_CUES,
        asks=asks_growth,
        rank=170,
        also=((220, asks_growth_later),),
        operate=operate,
        table_first=True,
    )
)
register(
    Operation(
        "points",
        2,
        lambda fs: fs[0].value - fs[1].value,
        lambda u: "percentage points",
        joined(" - "),
        "{name} moved {amount}, from {old} in {old_period} to {new} in {new_period}",
        internal=True,
    )
)
register(
    Operation(
        "difference",
        2,
        difference,
        lambda u: "percentage points" if u == "percent" else u,
        joined(" - "),
        "{name} {direction} by {amount}, from {old} in {old_period} to {new} in {new_period}",
        cues=GAP_CUES,
        asks=asks_difference,
        rank=210,
        also=((230, asks_difference_later),),
        operate=operate,
        table_first=True,
    )
)
