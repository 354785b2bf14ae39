"""What a question asks for, read from its words: the basis, a table it names, and the cues
that tell a follow-up, a prose question or an attempt to steer the bot. The words asking for an
operation are that operation's own, in its module of `bot/ops`.
"""

from __future__ import annotations

import re

from bot.metrics import PHRASES, Match

AUDIT_RE = re.compile(
    r"\btie[sd]? out\b|\btick and tie\b|\baudit\b(?![- ](?:fees?|related|services?|committee))"
    r"|\b(?:totals?|numbers?) foot\b"
    r"|\binternally consistent\b",
    re.I,
)
GREETING_RE = re.compile(
    r"^\s*(?:hi|hello|hey|thanks|thank you|thx|good (?:morning|afternoon|evening)|help|"
    r"what can you do|who are you)\b[\s!.?,]*(?:there|bot|again|a lot|so much)?[\s!.?]*$",
    re.I,
)
STEERING_RE = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instruction|prompt|rules|previous|above)"
    r"|\bsystem prompt\b|\byou are now\b|\bpretend (to be|you)\b|\bjailbreak\b|\bact as\b",
    re.I,
)
BOTH_BASES_RE = re.compile(
    r"(?<!non-)(?<!non )\bgaap\s+(?:and|vs\.?|versus|or|&)\s+(?:the\s+)?non[- ]?gaap\b"
    r"|\bnon[- ]?gaap\s+(?:and|vs\.?|versus|or|&)\s+(?:the\s+)?gaap\b",
    re.I,
)
NON_GAAP_RE = re.compile(
    r"\bnon[- ]?gaap\b|\badjusted\b|\bexcluding\b|\bbefore (?:stock|sbc)|\bex[- ]sbc\b|\bpro[- ]forma\b|\bexcl\.?\b"
    r"|\bwithout stock",
    re.I,
)
GAAP_RE = re.compile(r"(?<!non-)(?<!non )(?<!non)\bgaap\b|\bas reported\b|\breported\b", re.I)
# Abbreviations a question uses for words the release's text spells out ('CEO').
ABBREVIATIONS = {
    "ceo": "chief executive officer",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cto": "chief technology officer",
    "ir": "investor relations",
    "hq": "headquarters",
}
# A question asking why, or what caused a figure: read one way by the router and the prose.
REASON_ASK_RE = re.compile(
    r"^\s*(?:(?:in|for|during) [\w ]{1,20}, )?(?:why\b"
    r"|what (?:caused|drove|led to|contributed to|impacted|affected|influenced)\b"
    r"|what (?:is|was|were|are) the (?:main |primary |key )?(?:reasons?|causes?|drivers?|rationale)\b"
    r"|what (?:factors|drivers) (?:caused|drove|led to|contributed)\b"
    r"|what (?:is|was|were|are|do|does|did) .*\b(?:(?:due|attributable) to"
    r"|(?:influenced|driven|caused|impacted|affected) by)\s*\??$)",
    re.I,
)
FOLLOW_UP_RE = re.compile(
    r"^\s*(?:and|also|what about|how about|same (?:for|thing)|now|then|ok(?:ay)?,?\s*(?:and)?)\b",
    re.I,
)
NARRATIVE_RE = re.compile(
    r"^\s*(?:who|where|when|why|how (?:does|do|did|is|are|will|can|long)|what (?:does|do|did|is|are|"
    r"will|was said|kind)|which|is there|are there|does|did|describe|explain|tell me about)\b",
    re.I,
)
NUMERIC_RE = re.compile(
    r"\bhow (?:much|many)\b|\bwhat (?:was|were)\b|\bvalue\b"
    r"|\bwhat (?:did|does|do) .+\b(?:total|amount to|come to|come in at|add up to)\b",
    re.I,
)
GENERIC_WORDS = frozenset(
    """say said says think feel felt sell sells sold listen call called mean means describe
    explain happen happened look looks find located location based headquartered headquarters
    where big large small high higher low lower gap difference spend spent pay paid make made
    company firm business release press report statement table main key latest recent current
    compare compared comparison versus help deck preparing need know want like tell give show
    percentage percent share rate growth grow grew change changed increase increased decrease
    add sum average mean quarter quarters year years annual full both each every per kind type
    much many long short time date day days expect expects expected plan plans future outlook
    who whom whose when why which what how long trending trend management mr plot chart graph
    draw visualize visualise list quarterly compute calculate trajectory evolution evolve
    evolved over across since until between number figures numbers value values ratio margin free fcf
    margins intensity larger smaller bigger narrow narrowed widen widened summing sum summed
    plus minus less subtract compute computed calculate calculated decimal decimals places
    umm uh hmm lose lost losing burn burned burnt pile whole ye ops dollars ticker symbol
    exchange traded trade listed hq issued published dated january february march april may
    june july august september october november december jan feb mar apr jun jul aug sep sept
    oct nov dec whats according serving serve serves driving drive drives stay stays remain
    remains last phone telephone dial dialing callers caller contact contacts email website
    site online listen watch mention mentioned discuss discussed comment comments note notes
    reach available find found went go goes going raise raised raising repurchasing issuing
    building hit recognized recognised""".split()
)


ENTITY_OK = frozenset(
    "gaap non us u s eps dso sbc capex opex ar ap what how total net other".split()
)
PHRASE_WORDS = frozenset(w for k, v in PHRASES.items() for w in (k + " " + v).split())
SYN_KEYS = frozenset(
    {
        "dso",
        "eps",
        "capex",
        "opex",
        "sbc",
        "cogs",
        "wip",
        "staff",
        "employees",
        "yoy",
        "qoq",
        "headcount",
        "gaap",
        "non-gaap",
        "fy",
        "ebit",
    }
)
COMMON_QUESTION_OPENERS = frozenset(
    {
        "what",
        "how",
        "who",
        "where",
        "when",
        "which",
        "give",
        "tell",
        "show",
        "can",
        "could",
        "please",
        "plot",
        "list",
        "compute",
        "calculate",
    }
)


ALIASES = (
    ("capital expenditures", "purchase of property and equipment"),
    ("cash from operations", "net cash used in operating activities"),
    ("depreciation & amortization", "depreciation and amortization"),
)


def aliases_of(name: str) -> list[str]:
    """Other names a statement prints the same concept under (capex is 'purchase of PP&E')."""
    low = re.sub(r"\s*\(.*?\)\s*", " ", name.lower()).strip()
    low = " ".join(low.split())
    out = []
    for a, b in ALIASES:
        if a in low:
            out.append(b)
        elif b in low:
            out.append(a)
    return out


TABLE_HINTS = (
    (r"\bsupplemental\b", r"supplemental"),
    (r"\bbalance[- ]sheet\b", r"balance sheet"),
    (r"\bcash[- ]flows? statement\b|\bstatement of cash flows\b", r"cash flows"),
    (r"\bincome statement\b|\bstatement of operations\b|\bP&L\b", r"statements of operations$"),
    (r"\breconciliation\b", r"reconciliation"),
)


HINT_CONTEXT = r"(?:\b(?:per|in|on|according to|from) (?:the )?(?:{t})\b(?:\s+(?:table|statement))?|\b(?:{t})\s+(?:table|statement)\b)"


def table_hint(question: str) -> re.Pattern[str] | None:
    """A table the question names ("per the cash flow statement") is preferred for its rows."""
    for ask, title in TABLE_HINTS:
        m = re.search(HINT_CONTEXT.format(t=ask), question, re.I)
        if m and not re.search(r"\bfrom (?:the )?balance sheet$", m.group(0), re.I):
            return re.compile(title, re.I)
    return None


EXCLUDING_RE = re.compile(
    r"\b(?:excluding|excl\.?|ex-|without|before)\s+(?:the\s+)?(?:non-cash\s+)?"
    r"(?:stock[- ](?:based\s+)?comp(?:ensation)?|sbc|restructuring)"
    r"(?:\s+(?:and|or)\s+(?:stock[- ](?:based\s+)?comp(?:ensation)?|sbc|restructuring))?"
    r"(?:\s+(?:expenses?|costs?|charges?))?",
    re.I,
)


def strip_basis_clause(question: str) -> str:
    """'net loss excluding stock comp' asks for non-GAAP net loss, not for stock comp."""
    return EXCLUDING_RE.sub(" ", question)


def strip_table_hint(question: str) -> str:
    out = question
    for ask, _ in TABLE_HINTS:
        for m in re.finditer(HINT_CONTEXT.format(t=ask), question, re.I):
            if not re.search(r"\bfrom (?:the )?balance sheet$", m.group(0), re.I):
                out = out.replace(m.group(0), " ")
    return out


def names_new_metric(question: str, best: Match | None) -> bool:
    return best is not None and best.label_coverage >= 0.99 and best.question_coverage >= 0.5


def basis_of(question: str) -> str | None:
    """GAAP, non-GAAP, or None when the question does not say (GAAP is then the default)."""
    if re.search(r"\bnot (?:the )?(?:adjusted|non[- ]?gaap)\b", question, re.I):
        return "GAAP"
    if re.search(r"\badjustments?\b", question, re.I) and not re.search(
        r"\bas adjusted\b", question, re.I
    ):
        return None
    if BOTH_BASES_RE.search(question):
        return None
    if NON_GAAP_RE.search(question):
        return "non-GAAP"
    if GAAP_RE.search(question):
        return "GAAP"
    return None
