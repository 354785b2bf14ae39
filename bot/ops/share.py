"""Share: a part as a percentage (or a fraction) of its whole; the whole is what follows 'of'
when it names a line, else total revenue."""

from __future__ import annotations

import re

from bot.answer import Answer
from bot.metrics import Match, MetricRow
from bot.ops.lookup import lookup
from bot.ops.operands import answered, when
from bot.ops.ratio import FRACTION_RE, PERCENT_WORD_RE, ratio_answer, total_below
from bot.ops.registry import (
    CalculationError,
    Operation,
    Request,
    calculate,
    cue_pattern,
    register,
)
from bot.ops.total import TOTAL_RE
from bot.query import Query
from bot.resolve import Resolver, most_named
from bot.text import lower_first, tokens
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
    num_m, den_m = split_share(req.resolver, q)
    if num_m and num_m[0].row.unit == "percent" or (matches and matches[0].row.unit == "percent"):
        return lookup(req, matches, basis, periods)
    fraction = FRACTION_RE.search(q) and not PERCENT_WORD_RE.search(q)
    op = "ratio" if fraction else "margin"
    across = None if periods else across_columns(req, num_m, op)
    return across or ratio_answer(req, num_m, den_m, basis, ask, op, counts_unsigned=True)


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
    """The part and the whole a share question names, read around its share words."""
    m = share_cue(q)
    if m:
        before, after = q[: m.start()], q[m.end() :]
        part_whole = PART_WHOLE_RE.split(after, maxsplit=1)
        if len(part_whole) == 2:
            num_m, den_m = r.rows(part_whole[0]), r.rows(part_whole[1])
            if num_m and den_m and num_m[0].row is not den_m[0].row:
                return one_part(r, part_whole[0], num_m), den_m
            if num_m and not den_m and TOTAL_RE.search(part_whole[1]):
                return one_part(r, part_whole[0], num_m), []  # the total below the part
        after_parts = re.split(
            r"\bcame from\b|\bwas\b|\bwere\b|\bfrom\b|\bcomes from\b|\bis\b|\bare\b|\bdoes\b"
            r"|\bwent to\b|\bgoes to\b|\bspent on\b",
            after,
            maxsplit=1,
        )
        den_phrase = after_parts[0]
        num_phrase = before + " " + (after_parts[1] if len(after_parts) > 1 else "")
        num_m = r.rows(num_phrase)
        den_m = r.rows(den_phrase)
        if num_m and den_m and num_m[0].row is not den_m[0].row:
            return one_part(r, num_phrase, num_m), den_m
    return r.rows(q), r.rows("total revenue")


def one_part(r: Resolver, phrase: str, matches: list[Match]) -> list[Match]:
    """The part's rows, when its words name one line: 'X and Y as a percentage of Z' names two
    parts, and one of them alone over the whole would be a wrong share."""
    sides = re.split(r"\band\b|&", phrase)
    if len(sides) == 2:
        tops = [r.rows(side) for side in sides]
        strong = all(t and t[0].score >= TWO_PARTS_FLOOR for t in tops)
        if strong and tops[0][0].row is not tops[1][0].row:
            raise CalculationError("the part names two lines; ask for the share of each")
    return matches


def share_cue(q: str) -> re.Match[str] | None:
    """The share words that split part from whole: the last 'as a percentage of' when the
    question says one ('the percentage of X as a percentage of Y'), else the first cue."""
    said = list(AS_SHARE_RE.finditer(q))
    return said[-1] if said else SHARE_RE.search(q)


register(
    Operation("share", cues=CUES + ASK_CUES, asks=asks, rank=190, operate=operate, table_first=True)
)
