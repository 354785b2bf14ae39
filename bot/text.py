"""Question text: cleaned of chat noise, split into comparable tokens, matched despite typos."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from index.errors import BadQuestion

MAX_QUESTION_CHARS = 2000
CHAT_PREFIX_RE = re.compile(
    r"^\s*(?:(?:hey|hi|hello|yo|ok|okay|so|please|pls|quick question|question)\b[\s,:!-]*)*"
    r"(?:@?[\w.-]*bot\b[\s,:!-]*)?",
    re.IGNORECASE,
)
MENTION_RE = re.compile(r"<@[\w|.-]+>|(?<!\w)@[\w.-]+")
STOPWORDS = frozenset(
    """a an the of in on at for to from by with and or is was were be been being are what whats
    what's which who how much many did does do can could would should tell me us give show please
    i we you it its it's this that these those as about was were their there our your my please
    report reported value figure number amount total company's company
    pls hey hi bot quick need know want like was were over during versus vs than then also
    any some get got have has had whats""".split()
)
NEUTRAL = frozenset(
    {"total", "u", "s", "as", "reported", "mil", "000", "expense", "expenses", "used", "provided"}
)


def clean_question(raw: str) -> str:
    """The question a person meant: no mentions, chat greetings, markup or control characters."""
    if not isinstance(raw, str):
        raise BadQuestion("The question must be text.")
    if "\x00" in raw:
        raise BadQuestion("That looks like binary data, not a question.")
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in raw)
    text = MENTION_RE.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise BadQuestion("Please type a question, for example: What was Q3 DSO?")
    if len(text) > MAX_QUESTION_CHARS:
        raise BadQuestion(
            f"That message is {len(text):,} characters long; please ask one question "
            f"in at most {MAX_QUESTION_CHARS:,} characters."
        )
    stripped = CHAT_PREFIX_RE.sub("", text).strip()
    if not any(ch.isalnum() for ch in stripped):
        if any(ch.isalnum() for ch in text):
            return text
        raise BadQuestion("Please type a question, for example: What was Q3 DSO?")
    return stripped


POSSESSIVE_RE = re.compile(r"'s\b")
NONCURRENT_RE = re.compile(r"\bnon[- ]current\b")
TOKEN_RE = re.compile(r"[a-z0-9]+(?:&[a-z0-9]+)*")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; '&' joins abbreviations (R&D), apostrophes fold away."""
    t = text.lower().replace("’", "'")
    t = POSSESSIVE_RE.sub("", t)
    t = NONCURRENT_RE.sub("noncurrent", t)
    return TOKEN_RE.findall(t.replace("'", ""))


def content_tokens(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in STOPWORDS]


@lru_cache(maxsize=65536)
def similar(a: str, b: str) -> bool:
    """Same word despite a typo or an inflection ('reveune'~'revenue', 'inventories'~'inventory'),
    but not a different word that shares a stem ('operating' vs 'operations')."""
    if a == b:
        return True
    if len(a) < 4 or len(b) < 4:
        return stem(a) == stem(b)
    if stem(a) == stem(b):
        return True
    if a[0] != b[0] or 2 * min(len(a), len(b)) < 0.85 * (len(a) + len(b)):
        return False  # the ratio is at most 2*min/(len a + len b): no match can reach it
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b).ratio() >= 0.85


def stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ies", "es", "s", "ed", "y"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def lower_first(name: str) -> str:
    """A row name inside a sentence: its first letter lowered, unless its first word is an
    abbreviation ('DSO', 'R&D', 'EPS') that keeps its capitals."""
    first = name.split(" ", 1)[0]
    if len(first) > 1 and first[1:2].isupper() or (first[:1].isupper() and "&" in first):
        return name
    return name[:1].lower() + name[1:]


def short_label(name: str) -> str:
    """A label without a clause of figures of its own ('Accounts receivable, net of allowance
    of $94 in 2012'), so a sentence quoting it states only the figures it means to."""
    return re.sub(r",[^,]*\d.*$", "", name).strip() or name
