"""Ratio and margin: one figure over another, as a fraction ('the ratio of X to Y', the
current ratio) or as a percentage (a margin: a result over total revenue)."""

from __future__ import annotations

import re

from bot.ops.registry import Operation, base, cue_pattern, divide, register
from bot.query import Query

RATIO_CUES = ("ratio",)
MARGIN_CUES = (r"(operating|net|ebit|pre-?tax|loss from operations)\s+margins?",)
RATIO_WORD_RE = cue_pattern(RATIO_CUES)
MARGIN_RE = cue_pattern(MARGIN_CUES)
COMPUTE_MARGIN_RE = re.compile(r"\b(?:compute|calculate)\b.*\bmargin\b", re.I)
RATIO_DEFS = {
    "current ratio": ("total current assets", "total current liabilities", "ratio"),
}
MARGIN_DEFS = {
    "gross": "gross profit",
    "operating": "loss from operations",
    "net": "net loss",
    "pre-tax": "loss before income taxes",
    "pretax": "loss before income taxes",
}
# 'the proportion of X over Y' asks a fraction, unless it says percent; 'the ratio (in
# percentage) of X to Y' asks the ratio times a hundred.
FRACTION_RE = re.compile(r"\bproportion\b|\bfraction\b", re.I)
PERCENT_WORD_RE = re.compile(r"\bwhat percent|\bin percent|%|\bpercentage\b", re.I)
IN_PERCENT_RE = re.compile(r"\bin percent(?:age)?\b|\bas a percent(?:age)?\b", re.I)


def percent_or_fraction(op: str, question: str) -> str:
    """'margin' (a percentage) or 'ratio' (a fraction), as the question's words ask."""
    if op == "margin" and FRACTION_RE.search(question) and not PERCENT_WORD_RE.search(question):
        return "ratio"
    if op == "ratio" and IN_PERCENT_RE.search(question):
        return "margin"
    return op


def names_ratio(question: str) -> bool:
    """A ratio defined by name ('current ratio')."""
    return any(name in question.lower() for name in RATIO_DEFS)


register(
    Operation(
        "ratio",
        2,
        lambda fs: divide(base(fs[0]), base(fs[1])),
        lambda u: "ratio",
        lambda ls: " / ".join(ls),
        same_unit=False,
        cues=RATIO_CUES,
        asks=lambda q, op_text: bool(RATIO_WORD_RE.search(q.text)),
        rank=150,
        table_first=True,
        names_figure=names_ratio,
    )
)


def asks_margin(q: Query, op_text: str) -> bool:
    return bool(MARGIN_RE.search(q.text) or COMPUTE_MARGIN_RE.search(q.text))


register(
    Operation(
        "margin",
        2,
        lambda fs: divide(base(fs[0]), base(fs[1])) * 100,
        lambda u: "percent",
        lambda ls: f"{ls[0]} / {ls[1]} x 100",
        same_unit=False,
        cues=MARGIN_CUES,
        asks=asks_margin,
        rank=180,
        table_first=True,
        names_figure=lambda question: bool(MARGIN_RE.search(question)),
    )
)
