"""Share: a part as a percentage (or a fraction) of its whole; the whole is what follows 'of'
when it names a line, else total revenue."""

from __future__ import annotations

import re
from decimal import Decimal

from bot.answer import Answer
from bot.metrics import Match, MetricRow
from bot.ops.lookup import lookup
from bot.ops.operands import answered, when
from bot.ops.ratio import (
    FRACTION_RE,
    PERCENT_WORD_RE,
    RATIO_WORD_RE,
    percent_or_fraction,
    ratio_answer,
    total_below,
)
from bot.ops.registry import (
    Calculation,
    CalculationError,
    Operation,
    Request,
    calculate,
    cue_pattern,
    register,
)
from bot.ops.total import TOTAL_RE
from bot.phrase import calc_answer
from bot.query import Query
from bot.resolve import Resolver, most_named, percent_cell
from bot.text import lower_first, short_label, tokens
from index.facts import Fact

CUES = (
    r"as a (?:percent(?:age)?|share|%) of",
    r"percent(?:age)? of",
    "share of",
    "% of",
    "proportion of",
    "fraction of",
    "portion of",
    r"percentage (?:of )?constitution of",
)
ASK_CUES = ("what share", r"what percent(?:age)? of", "intensity")
SHARE_RE = cue_pattern(CUES)
SHARE_ASK_RE = cue_pattern(ASK_CUES)
# A whole named after the share words at least this well is that line; a weaker match is no
# line of the table ('the total contractual obligations' of a table whose total says 'Total').
WHOLE_FLOOR = 0.8
# The words between a part and its whole after the share words ('X in the total Y').
PART_WHOLE_RE = re.compile(r"\bout of\b|\bamong\b|\bover\b|\bin(?= (?:the )?total\b)", re.I)
# The words after which a share's whole is named ('A and B over C', 'as a percentage of C').
WHOLE_SPLIT_RE = re.compile(
    r"\bover\b|\bas a (?:percent(?:age)?|share|%|proportion) of\b|\bdivided by\b|\bout of\b"
    r"|\bamong\b|\bin(?= (?:the )?total\b)",
    re.I,
)
# The verbs after which the part is named ('the share of revenue that came from X').
VERB_SPLIT_RE = re.compile(
    r"\bcame from\b|\bwas\b|\bwere\b|\bfrom\b|\bcomes from\b|\bis\b|\bare\b|\bdoes\b"
    r"|\bwent to\b|\bgoes to\b|\bspent on\b",
    re.I,
)
# 'the percentage constitution of X in Y' names the whole after 'in'; 'the percentage of
# revenue in Europe' does not, so only that wording splits there.
CONSTITUTION_RE = re.compile(r"\bconstitution\b", re.I)
# 'of X in Y': 'in' before the whole, not before a period ('in 2019', 'in fiscal 2019').
IN_SPLIT_RE = re.compile(
    r"\bin\b(?!\s+(?:fiscal|fy|f\d\d|the (?:year|period|quarter)|(?:19|20)\d\d|q[1-4]))", re.I
)
# A part's line named in full by the part's words (every word of its label).
FULL_LABEL = 0.99
# A column totalling the others of its line ('Total', 'Total payments').
TOTAL_MEMBER_RE = re.compile(r"^\s*total\b", re.I)
# Both sides of 'X and Y' matched at least this well name two lines, not one label with 'and'.
TWO_PARTS_FLOOR = 0.8
# 'as a percentage of' says where the whole begins, even after a leading 'the percentage of'.
AS_SHARE_RE = cue_pattern(CUES[:1])


def asks(q: Query, op_text: str) -> bool:
    return bool(SHARE_RE.search(q.text) or SHARE_ASK_RE.search(q.text))


def operate(req: Request) -> Answer:
    """A share of a whole: the whole is what follows 'of' when it names a row, else revenue;
    a line printed as a percentage is looked up, not divided again."""
    periods, matches = list(req.query.periods), list(req.query.matches)
    ask = periods[0] if periods else None
    q, basis = req.query.text, req.query.basis
    try:
        num_m, den_m = split_share(req.resolver, q)
    except TwoParts as two:
        return two_parts_share(req, two)
    printed = printed_share(req, num_m, matches, ask)
    if printed is not None:
        return lookup(req, printed, basis, periods)
    fraction = FRACTION_RE.search(q) and not PERCENT_WORD_RE.search(q)
    op = "ratio" if fraction else "margin"
    across = None if periods else across_columns(req, num_m, op)
    return across or ratio_answer(req, num_m, den_m, basis, ask, op, part_of_whole=True)


def printed_share(req: Request, num_m: list[Match], matches: list[Match], ask) -> list | None:  # noqa: ANN001
    """The rows to look the share up in when the release prints it: a line printed as a
    percentage, or the part's cell in a column headed as one ('% of total sales'); None when
    it has to be divided."""
    if num_m and num_m[0].row.unit == "percent" or (matches and matches[0].row.unit == "percent"):
        return matches
    part = req.resolver.resolve(num_m, req.query.basis, ask)[0] if num_m else None
    return num_m if part is not None and percent_cell(part) else None


def two_parts_share(req: Request, two: TwoParts) -> Answer:
    """'X and Y as a percentage of Z': the two parts' figures added, over the whole."""
    ask = req.query.periods[0] if req.query.periods else None
    facts = [req.resolver.resolve(side, req.query.basis, ask)[0] for side in two.sides]
    both = [f for f in facts if f is not None]
    shared = parts_of_whole(req, both) if len(both) == 2 else None
    if shared is None:
        raise two
    return shared


def across_columns(req: Request, num_m: list[Match], op: str) -> Answer | None:
    """A share in a table whose columns are no periods (maturities, segments): the part is the
    column its own words name ('due in less than one year'); the whole is that column of the
    line the share words name, of the 'Total' line below the part when they name none, or the
    part's own line's 'Total' column when they name that line again. None when the part names
    no one such column."""
    text = req.query.text
    cue = share_cue(text)
    if cue is None:
        return None
    part_whole = PART_WHOLE_RE.split(text[cue.end() :], maxsplit=1)
    if len(part_whole) != 2:
        part_whole = [text[: cue.start()], text[cue.end() :]]
    num_m = req.resolver.rows(part_whole[0]) or num_m
    if not num_m:
        return None
    row = num_m[0].row
    named = most_named(row.undated, frozenset(tokens(part_whole[0])) - set(row.primary))
    if len(named) != 1:
        return None
    part_fact = named[0]
    whole_row, whole = whole_of(req, req.resolver.rows(part_whole[1]), row, part_fact)
    if whole_row is None or whole is None or whole is part_fact:
        return None
    calc = calculate(op, [part_fact, whole])
    shown = calc.display(2) if op == "ratio" else calc.display(1)
    text = (
        f"{row.name} {when(part_fact)} as a share of {lower_first(whole_row.name)} "
        f"{when(whole)} was {shown}, computed from the release's figures as "
        f"{part_fact.display()} / {whole.display()}."
    )
    return answered(req, text, [part_fact, whole], [calc], row)


def whole_of(
    req: Request, den_m: list[Match], row: MetricRow, part: Fact
) -> tuple[MetricRow | None, Fact | None]:
    """The whole of a part standing in a column that is no period (see `across_columns`)."""
    if not den_m or den_m[0].score < WHOLE_FLOOR:
        return total_below(req, part) if TOTAL_RE.search(req.query.text) else (None, None)
    whole_row = den_m[0].row
    if whole_row is row:
        whole = [f for f in row.undated if TOTAL_MEMBER_RE.match(f.member or "")]
    else:
        whole = [f for f in whole_row.undated if f.column == part.column]
    return (whole_row, whole[0]) if len(whole) == 1 else (None, None)


def split_share(r: Resolver, q: str) -> tuple[list[Match], list[Match]]:
    """The part and the whole a share question names, read around its share words: 'X in
    the total Y' (or 'out of', 'over', 'among'), 'of Y was X', and last 'of X in Y'."""
    m = share_cue(q)
    if m:
        before, after = q[: m.start()], q[m.end() :]
        part_whole = PART_WHOLE_RE.split(after, maxsplit=1)
        if len(part_whole) == 2:
            got = part_and_whole(r, part_whole[0], part_whole[1])
            if got is not None:
                return got
            num_m = r.rows(part_whole[0])
            if num_m and not r.rows(part_whole[1]) and TOTAL_RE.search(part_whole[1]):
                return one_part(r, part_whole[0], num_m), []  # the total below the part
        after_parts = VERB_SPLIT_RE.split(after, maxsplit=1)
        num_phrase = before + " " + (after_parts[1] if len(after_parts) > 1 else "")
        got = part_and_whole(r, num_phrase, after_parts[0])
        within = IN_SPLIT_RE.split(after, maxsplit=1) if CONSTITUTION_RE.search(m.group(0)) else []
        if got is None and len(within) == 2:
            got = part_and_whole(r, within[0], within[1])
        if got is not None:
            return got
    return r.rows(q), r.rows("total revenue")


def part_and_whole(r: Resolver, part: str, whole: str) -> tuple[list[Match], list[Match]] | None:
    """The rows of a part and of its whole, two lines; when the part's words name the whole's
    line first ('the trade receivables that are three to six months of age'), the next line
    they name in full is the part."""
    num_m, den_m = r.rows(part), r.rows(whole)
    if not num_m or not den_m:
        return None
    if num_m[0].row is den_m[0].row:
        num_m = [
            m for m in num_m[1:] if m.row is not den_m[0].row and m.label_coverage >= FULL_LABEL
        ]
        if not num_m:
            return None
    return one_part(r, part, num_m), den_m


def parts_of_whole(req: Request, facts: list[Fact]) -> Answer | None:
    """'The proportion of A and B over C', 'the percentage of revenue from A and B over total
    revenue': the listed parts added, over the whole named after the last dividing words, of
    the parts' period; None unless two or more parts and one whole line, all in one unit."""
    text = req.query.text
    asked = any(cue.search(text) for cue in (SHARE_RE, SHARE_ASK_RE, RATIO_WORD_RE, FRACTION_RE))
    cuts = list(WHOLE_SPLIT_RE.finditer(text))
    if not asked or not cuts:
        return None
    row, whole, parts = whole_for(req, text[cuts[-1].end() :], facts)
    if len(parts) < 2 or row is None or whole is None or whole.value == 0:
        return None
    if not one_unit([*parts, whole]):
        return None
    calc = parts_over(parts, whole, percent_or_fraction("margin", text))
    names = " + ".join(f"{short_label(f.label)} ({f.display()})" for f in parts)
    shown = calc.display(2) if calc.operation == "ratio" else calc.display(1)
    said = (
        f"{names} {when(parts[0])} as a share of {lower_first(row.name)} ({whole.display()}) "
        f"is {shown}, computed from the release's figures."
    )
    return calc_answer(req.raw, said, [*parts, whole], [calc], req.query)


def parts_over(parts: list[Fact], whole: Fact, op: str) -> Calculation:
    """(A + B + ...) / W, as a fraction ('ratio') or a percentage ('margin')."""
    result = sum((f.value for f in parts), Decimal(0)) / whole.value
    percent = op == "margin"
    formula = f"({' + '.join(f.raw for f in parts)}) / {whole.raw}" + (" x 100" if percent else "")
    return Calculation(
        op,
        (*parts, whole),
        result * 100 if percent else result,
        "percent" if percent else "ratio",
        formula,
    )


def one_unit(facts: list[Fact]) -> bool:
    """The figures are in one unit and scale; a column printing '$' only on its first and
    total lines ('$12,451', '2,703', ... '$23,406') is in dollars throughout."""
    if len({f.scale for f in facts}) > 1:
        return False
    units = {f.unit for f in facts}
    one_column = len({(f.table_index, f.column) for f in facts}) == 1
    return len(units) == 1 or (one_column and units == {"USD", "count"})


def whole_for(
    req: Request, said: str, facts: list[Fact]
) -> tuple[MetricRow | None, Fact | None, list[Fact]]:
    """The whole's line and figure for the parts' period (or their column when it is no
    period), and the parts: the listed figures not on the whole's line. A whole naming no line
    but 'total' is the total line below the parts."""
    whole_m = req.resolver.rows(said)
    if not whole_m or whole_m[0].score < WHOLE_FLOOR:
        if not (TOTAL_RE.search(said) and facts):
            return None, None, []
        row, whole = total_below(req, facts[0])
        return row, whole, list(facts)
    row = whole_m[0].row
    parts = [f for f in facts if f not in row.facts and f not in row.undated]
    if not parts:
        return row, None, []
    if parts[0].period is not None:
        whole = req.resolver.find_period(row, whole_m, req.query.basis, parts[0].period)
    else:
        whole = next((f for f in row.undated if f.column == parts[0].column), None)
    return row, whole, parts


class TwoParts(CalculationError):
    """A share's part names two lines ('X and Y as a percentage of Z'): their rows."""

    def __init__(self, sides: list[list[Match]]) -> None:
        super().__init__("the part names two lines; ask for the share of each")
        self.sides = sides


def one_part(r: Resolver, phrase: str, matches: list[Match]) -> list[Match]:
    """The part's rows, when its words name one line: 'X and Y as a percentage of Z' names two
    parts, and one of them alone over the whole would be a wrong share."""
    sides = re.split(r"\band\b|&", phrase)
    if len(sides) == 2:
        tops = [r.rows(side) for side in sides]
        strong = all(t and t[0].score >= TWO_PARTS_FLOOR for t in tops)
        if strong and tops[0][0].row is not tops[1][0].row:
            raise TwoParts(tops)
    return matches


def share_cue(q: str) -> re.Match[str] | None:
    """The share words that split part from whole: the last 'as a percentage of' when the
    question says one ('the percentage of X as a percentage of Y'), else the first cue."""
    said = list(AS_SHARE_RE.finditer(q))
    return said[-1] if said else SHARE_RE.search(q)


register(
    Operation("share", cues=CUES + ASK_CUES, asks=asks, rank=190, operate=operate, table_first=True)
)
