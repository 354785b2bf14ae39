"""What a question asks for, read from its words: the basis, the operation, a table it names,
and the cues that tell a follow-up, a prose question or an attempt to steer the bot.
"""

from __future__ import annotations

import re

from bot.metrics import PHRASES, Match
from index.periods import PeriodAsk

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
SERIES_RE = re.compile(
    r"\bby quarter\b|\beach quarter\b|\bper quarter\b|\bquarter[- ]by[- ]quarter\b|\btrend\b"
    r"|\bover time\b|\bplot\b|\bchart\b|\bgraph\b|\bhistory\b|\ball quarters\b|\bquarterly\b"
    r"|\bover (?:the )?(?:last|past) \w+ quarters\b|\bover 20\d\d and 20\d\d\b",
    re.I,
)
GROWTH_RE = re.compile(
    r"\bgr[eo]w(?:th|n)?\b|\bincrease[ds]?\b|\bdecrease[ds]?\b|\bchange[ds]?\b|\brise\b|\brose\b"
    r"|\bfell\b|\bfall\b|\bdecline[ds]?\b|\bdrop(?:ped)?\b|\byoy\b|\byear[- ]over[- ]year\b"
    r"|\bsequential(?:ly)?\b|\bqoq\b|\bquarter[- ]over[- ]quarter\b|\bimprove[ds]?\b"
    r"|\bmove[ds]?\b|\bshr[ae]nk\b|\bjump(?:ed)?\b|\bnarrow(?:ed)?\b|\bwiden(?:ed)?\b"
    r"|\b(?:go|went|gone|going) (?:up|down)\b|\bup or down\b",
    re.I,
)
PERCENT_ASK_RE = re.compile(r"\bpercent(?:age)?\b|%|\bgrowth rate\b|\brate\b", re.I)
POINTS_RE = re.compile(r"\bpoints?\b|\bpp\b|\bbasis points\b", re.I)
AVERAGE_RE = re.compile(
    r"(?<!weighted )(?<!weighted-)\baverage\b(?! shares)(?! share count)|\bmean\b|\bavg\b", re.I
)
SUM_RE = re.compile(
    r"\badd(?:ed)? up\b|\bsum\b|\bcombined\b|\bin total\b(?!\s*[\w(])|\baltogether\b"
    r"|\bcumulative\b",
    re.I,
)
SHARE_RE = re.compile(
    r"\bas a (?:percent(?:age)?|share|%) of\b|\bpercent(?:age)? of\b|\bshare of\b|\b% of\b"
    r"|\bproportion of\b|\bfraction of\b|\bportion of\b|\bpercentage (?:of )?constitution of\b",
    re.I,
)
MARGIN_RE = re.compile(r"\b(operating|net|ebit|pre-?tax|loss from operations)\s+margins?\b", re.I)
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
COMPARE_RE = re.compile(r"\b(?:larger|smaller|bigger|higher|lower|more|less)\b.*\bthan\b", re.I)
MINUS_RE = re.compile(r"\bminus\b|\bless\b|\bsubtract(?:ing)?\b", re.I)
GAP_RE = re.compile(
    r"\bgap\b|\bdifference\b|\bspread\b|\bhow (?:much|far) (?:apart|lower|higher)", re.I
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
NUMERIC_RE = re.compile(r"\bhow (?:much|many)\b|\bwhat (?:was|were)\b|\bvalue\b", re.I)
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


SUMMING_RE = re.compile(r"\bsumm(?:ing|ed)\b", re.I)
PLUS_RE = re.compile(r"\bplus\b", re.I)
PERIOD_WORD = (
    r"(?:q[1-4]|[1-4]q|(?:fy\s*|fiscal\s+)?(?:19|20)\d\d|(?:first|second|third|fourth) quarter)"
)
PERIODS_ADDED_RE = re.compile(rf"\b{PERIOD_WORD}\s+(?:plus|\+)\s+{PERIOD_WORD}\b", re.I)
RATIO_WORD_RE = re.compile(r"\bratio\b", re.I)
FCF_RE = re.compile(r"\bfree cash flow\b|\bfcf\b", re.I)
COMPUTE_MARGIN_RE = re.compile(r"\b(?:compute|calculate)\b.*\bmargin\b", re.I)
SHARE_ASK_RE = re.compile(r"\bwhat share\b|\bwhat percent(?:age)? of\b|\bintensity\b", re.I)
GAAP_WORD_RE = re.compile(r"\bgaap\b", re.I)
# 'the total X in 2018 and 2019' (where 'total' is no word of X's label): the two added.
TOTAL_RE = re.compile(r"\btotal\b", re.I)
# 'the total X in both 2019 and 2018', 'the total X between 2017 to 2019': 'total' asks the
# periods added even when it is a word of X's label.
TOTAL_OVER_RE = re.compile(r"\btotal\b.*\b(?:both|between)\b", re.I)
VERSUS_RE = re.compile(r"\bvs\.?\b|\bversus\b|\bcompare[ds]?\b", re.I)

# (operation, test over (question, words not of the measure's label, two periods named)),
# first match wins: the order is the precedence between cue words.
OPERATION_CUES = (
    ("average", lambda q, g, two: AVERAGE_RE.search(g)),
    (
        "sum",
        lambda q, g, two: SUM_RE.search(q) or SUMMING_RE.search(q) or PERIODS_ADDED_RE.search(q),
    ),
    ("series", lambda q, g, two: SERIES_RE.search(q) and not (two and GROWTH_RE.search(g))),
    ("plus", lambda q, g, two: PLUS_RE.search(q)),
    ("ratio", lambda q, g, two: RATIO_WORD_RE.search(q)),
    ("minus", lambda q, g, two: MINUS_RE.search(q) or FCF_RE.search(q)),
    ("growth", lambda q, g, two: two and (GROWTH_RE.search(g) or POINTS_RE.search(q))),
    ("margin", lambda q, g, two: MARGIN_RE.search(q) or COMPUTE_MARGIN_RE.search(q)),
    ("share", lambda q, g, two: SHARE_RE.search(q) or SHARE_ASK_RE.search(q)),
    (
        "gap",
        lambda q, g, two: GAP_RE.search(q) and GAAP_WORD_RE.search(q) and NON_GAAP_RE.search(q),
    ),
    ("difference", lambda q, g, two: COMPARE_RE.search(q) and (two or GROWTH_RE.search(g))),
    ("growth", lambda q, g, two: GROWTH_RE.search(g) or (two and VERSUS_RE.search(q))),
    ("difference", lambda q, g, two: GAP_RE.search(q) and two),
    ("sum", lambda q, g, two: two and (TOTAL_RE.search(g) or TOTAL_OVER_RE.search(q))),
)


def operation_of(question: str, periods: list[PeriodAsk], op_text: str | None = None) -> str | None:
    """The arithmetic a question asks for, or None for a plain lookup."""
    g = op_text if op_text is not None else question
    two = len(periods) >= 2
    return next((name for name, cue in OPERATION_CUES if cue(question, g, two)), None)


def names_ratio(question: str) -> bool:
    """A margin, a ratio or free cash flow: a figure computed from two rows."""
    named = any(name in question.lower() for name in RATIO_DEFS)
    return named or bool(MARGIN_RE.search(question) or FCF_RE.search(question))
