"""Prose answers: the phrase that answers first ('Tom Fallon, president and CEO'), then the
sentence it stands in, quoted with its lines; 'not in the release' when no passage answers.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from typing import Any

from bot.answer import Answer, Citation
from bot.catalogue import catalogue
from bot.context import Context
from bot.intent import NUMERIC_RE
from bot.narrative import (
    CAUSE_RE,
    DATE_ASK_RE,
    DATE_IN_DATELINE_RE,
    DATELINE_RE,
    DEFINE_ASK_RE,
    DEFINE_HOW_RE,
    REASON_ASK_RE,
    TICKER_ASK_RE,
    TICKER_RE,
    WHERE_BASED_RE,
    Quote,
    dateline_answer,
    prose_knowledge,
    rank,
)
from bot.phrase import found, not_found
from bot.query import Query
from bot.text import STOPWORDS, content_tokens, similar, stem, tokens
from bot.understand import threshold, unknown_terms

NAME = r"[A-Z][a-z]+(?: [A-Z]\.)? [A-Z][a-z]+"
TITLED_NAME_RE = re.compile(rf"(?P<name>{NAME}),\s+(?P<title>[a-z][a-z ,&]+?)(?=[.\"”;]|$)")
PHONE_RE = re.compile(r"(?:\+?1-)?\(?\d{3}\)?[ -]\d{3}-\d{4}")
TIME_RE = re.compile(
    r"\d{1,2}:\d{2}\s*[ap]\.m\.(?:\s*(?:Eastern|Pacific|Central|Mountain)\s+Time|\s*[A-Z]{2,3}\b)?"
)
URL_RE = re.compile(r"\b(?:https?://)?www\.[\w.-]+(?:/[\w./-]*)?", re.I)
# Words of a question that say what kind of answer it wants, not what the sentence restates.
PROSE_NEUTRAL = frozenset(
    {"company", "companys", "much", "many", "often", "long", "when", "what", "which", "why", "how"}
)
# Words that join a restated question to its answer ('... was determined | by ...'); a
# preposition opening the answer ('in Greece and Turkey') is left out with them.
LINKING = frozenset(
    {"is", "was", "are", "were", "be", "been", "being", "in", "for", "of", "on", "at", "based"}
    | {"to", "which", "that", "effective", "as", "approximately", "about", "also", "can"}
    | {"from", "into"}
)
LEADING_FIGURE_RE = re.compile(
    r"(?:US\$|\$|€|£|RMB|INR|HK\$|S\$|A\$)?\s?\d[\d,]*(?:\.\d+)?"
    r"(?:\s?(?:%|per cent|percent|million|billion|thousand|m|bn)\b|%)?(?=\s*(?:\(|,|$))"
)
# Where a second clause starts after the answering one ('..., while long-lived assets are ...').
TAIL_RE = re.compile(
    r",\s+(?:which|while|whereas|of which|providing|valuing|thereby)\b|;\s|\s+but\s"
    r"|,?\s+(?:compared (?:to|with)|as compared)\b"
)
# Words that join a clause to the one before it ('..., the United States | and the Group ...').
CLAUSE_JOINS = frozenset({"and", "or", "while", "whereas", "but"})
DETERMINERS = frozenset({"the", "its", "our", "their", "a", "an", "this", "these"})
PERIOD_WORDS = frozenset(
    "january february march april may june july august september october november december"
    " ended ending during period periods date year fiscal".split()
)
# Words a run cannot end on: it breaks off inside a phrase ('... and certain | expense ...').
DANGLING = frozenset(
    {"of", "in", "for", "with", "certain", "includes", "include", "including", "providing"}
)
BE = frozenset({"is", "was", "are", "were", "be", "been"})
PASSIVE_TAIL = frozenset({"as", "by", "with"})
# Verbs a release uses for the question's own ('is comprised of' answers 'consist of').
SAME_SENSE = (
    ("consist", "compris", "compos", "includ", "made up"),
    ("determin", "calculat", "comput", "measur", "estimat"),
)
# Words that join an answer to the restatement after it ('... sales taxes, | are excluded').
TRAILING_LINKS = frozenset({"then", "would", "will", "be", "has", "have", "had", "been", "the"})
AMOUNT_ASK_RE = re.compile(
    r"^\s*how much\b|^\s*what (?:was|is|were|are) the (?:amount|value|total|cost|balance)\b", re.I
)
AMOUNT_RE = re.compile(
    r"(?:US\$|\$|€|£)\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|thousand|m|bn)\b)?"
    r"|\b\d[\d,]*(?:\.\d+)?\s?(?:million|billion|thousand)\b"
)
# A question that asks for a figure, whatever it names ('What is the hurdle rate?').
FIGURE_ASK_RE = re.compile(
    r"^\s*(?:by )?how much\b|^\s*what (?:percentage|percent|share)\b"
    r"|^\s*what (?:is|was|were|are) (?:the )?(?:[\w'’-]+ ){0,3}?(?:amount|value|number|price|rate"
    r"|percentage|proportion|size|balance|cost|total)s?\b",
    re.I,
)
# A figure as printed, with its unit and a qualifier that changes it ('over 50'; not
# 'approximately'): '13%', 'AU 18 cents', 'INR19', '445.0p'.
QUANTITY_RE = re.compile(
    r"(?:\b(?:over|nearly|almost|more than|less than|up to)\s+)?(?<![\w.])"
    r"(?:(?:US|AU|A|S|HK|NZ|C)?\$|€|£|¥|\b(?:RMB|INR|USD|EUR|GBP|AUD|AU|CHF|SEK|DKK|NOK)\s?)?"
    r"\d(?:[\d,]*\d)?(?:\.\d+)?(?![\d,]*\d)"
    r"(?:\s?(?:%|p\b)|\s(?:per ?cent|percent|percentage points?|cents?|million|billion|thousand"
    r"|m|bn)\b)?",
    re.I,
)
TIME_UNIT_RE = re.compile(r"\s?(?:years?|months?|weeks?|days?)\b", re.I)
# '(2018: £12.4 million)': the figure the sentence gives for another year, in brackets.
BRACKET_YEAR_RE = re.compile(
    r"\((?:[^():]*?\b)?(?P<year>(?:19|20)\d\d)\s?:\s*(?P<figure>[^();]+?)\s*[);]"
)
MONTH_NAME_RE = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\.?\s*$"
)
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty".split()
)
FIGURE_YEAR_RE = re.compile(
    r"(?P<figure>(?:US\$|\$|€|£)\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|thousand)\b)?"
    r"|\b\d[\d,]*(?:\.\d+)?(?:%|\s?(?:million|billion|thousand)\b))"
    r"\s+(?:in|for|during|at)\s+(?:fiscal\s+(?:year\s+)?)?(?P<year>(?:19|20)\d\d)\b"
)
TABLE_ASK_RE = re.compile(
    r"^\s*what\b.*\bthe tables?\b.*\b(?:show|shows|represent|present|summari[sz]e|illustrate"
    r"|depict|detail|provide|set out|list|contain|display)\b",
    re.I,
)
TABLE_INTRO_RE = re.compile(
    r"\b(?:(?:following|below|above|accompanying) tables?|tables? (?:below|above))\b[^.:]*?"
    r"\b(?P<verb>shows?|sets? (?:forth|out)"
    r"|summari[sz]es|presents?|represents?|provides?|reflects?|details?|illustrates?|lists?"
    r"|displays?|contains?|includes?)\b\s*(?P<what>.+)",
    re.I,
)
# 'Maturities of lease liabilities were as follows:': a sentence leading into a table, naming
# what it holds without the word 'table'.
LEAD_IN_RE = re.compile(
    r"^(?:(?:As of|As at|At|For|In|During) [^,]{3,40}(?:,\s*\d{4})?,\s*)?"
    r"(?P<what>[A-Za-z].{5,200}?)\s+"
    r"(?:is|are|was|were|have been|has been) (?:as follows|(?:shown|presented|set out|summari[sz]ed"
    r"|detailed|provided|reconciled) (?:below|as follows|in the (?:following )?table(?: below)?))"
    r"\s*[:.]?\s*$",
    re.I,
)
SYMBOL_RE = re.compile(r"\bsymbols?\s+[“\"']?(?P<ticker>[A-Z][A-Z.]{0,6}?)\.?[”\"']")
MARKET_ASK_RE = re.compile(r"\b(?:which|what) (?:stock )?(?:market|exchange)\b", re.I)
MARKET_RE = re.compile(
    r"\b(?:on|in) the (?P<market>(?:[A-Z][\w&.]*\s)+(?:Market|Exchange)(?: of [A-Z]\w+)?)"
)
WHAT_WAS_RE = re.compile(r"^\s*what (?:is|was|were|are) (?:the |a |an )?(?!reasons?\b)", re.I)
HOW_RE = re.compile(r"^\s*how\b(?! (?:much|many|long|often)\b)", re.I)
# A sentence about the one before it ('The increase was ...', 'This reflects ...').
ANAPHOR_RE = re.compile(
    r"^(?:The|This|These|That|Such|Those) (?:\w+ )?(?:increases?|decreases?|changes?|growth"
    r"|declines?|improvements?|rises?|falls?|reductions?|movements?|variances?|differences?)\b"
    r"|^(?:This|These|It) (?:was|were|is|are|reflects?|resulted)\b",
    re.I,
)
DEFINING_RE = re.compile(r"represents?|refers|means|presents|denotes", re.I)
RESPECTIVELY_RE = re.compile(r"\brespectively\b", re.I)
_AMOUNT = (
    r"(?:US\$|\$|€|£)\s?\d[\d,]*(?:\.\d+)?(?:\s(?:million|billion|thousand))?|\d[\d,]*(?:\.\d+)?%"
)
LISTED_FIGURES_RE = re.compile(
    rf"(?:{_AMOUNT})(?:,\s*(?:and\s+)?(?:{_AMOUNT}))*,?\s+and\s+(?:{_AMOUNT})"
)
WHICH_RE = re.compile(r"^\s*which\b", re.I)
DATE_TAIL_RE = re.compile(
    r",?\s+(?:on|in|at|as of|during|from|after|before|since)\s+(?:\d{1,2}\s+)?(?:January|February"
    r"|March|April|May|June|July|August|September|October|November|December|(?:19|20)\d\d\b)"
)
# A question ending on the words that join a change to its cause ('... driven by?').
CONNECTIVE_END_RE = re.compile(
    r"\b(?:due to|attributable to|driven by|influenced by|caused by|impacted by|affected by"
    r"|related to|result of)\s*\??\s*$",
    re.I,
)
LEADING_CONNECTIVE_RE = re.compile(
    r"^(?:(?:primarily|mainly|largely|partly|principally|mostly)\s+)?"
    r"(?:due to|attributable to|driven by|influenced by|caused by|impacted by|affected by"
    r"|related to|(?:as )?a result of|to|by)\s+",
    re.I,
)
WHICH_KIND_RE = re.compile(
    r"^\s*(?:which|what) (?P<kind>[a-z]+(?: [a-z]+)?) (?:is|are|was|were|will|has|have|did|does)\b",
    re.I,
)
NAME_RUN_RE = re.compile(r"(?:[A-Z][\w&.-]*(?:[’']s)?\s)+[A-Z][\w&.-]*")
WHEN_RE = re.compile(r"^\s*when\b", re.I)
YES_NO_RE = re.compile(
    r"^\s*(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would)\b(?!.*\b(?:or)\b)",
    re.I,
)
NOTE_MARK_RE = re.compile(r"^\s*\(\w{1,3}\)\s+")
NONE_RE = re.compile(r"\b(?:no|not|none|nil|neither|nor)\b", re.I)
PURPOSE_RE = re.compile(r"^(?:In order )?(?P<purpose>to [a-z]+\b[^,;]*)", re.I)
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
# The most exact date a sentence gives, first: a day, a month, a quarter or half of a year, a
# fiscal year, a bare year ('During the fourth quarter of fiscal year 2018' is that quarter).
WHEN_DATE_RE = re.compile(
    rf"\b{_MONTHS}\s+\d{{1,2}},\s+\d{{4}}|\b\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}"
    rf"|\b{_MONTHS},?\s+(?:19|20)\d\d\b"
    r"|\b(?:the\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?(?:quarter|half)"
    r"\s+of\s+(?:fiscal\s+(?:year\s+)?)?(?:19|20)\d\d\b"
    r"|\b(?:fiscal\s+(?:year\s+)?|FY\s?)(?:19|20)\d\d\b|\b(?:19|20)\d\d\b",
    re.I,
)
COUNT_ASK_RE = re.compile(r"\bhow many\s+([a-z]+)", re.I)
NUMBER_RE = re.compile(r"(?<![\w.])\$?\d(?:[\d,]*\d)?(?:\.\d+)?%?")
YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
DAY_RE = re.compile(
    r"\b(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)(?:\s+\d{1,2},?)?\s+(?P<year>(?:19|20)\d\d)\b"
)
FIGURE_RE = re.compile(
    r"\(?(?:US\$|\$|€|£)\s?\d[\d,]*(?:\.\d+)?\)?(?:\s?(?:million|billion|thousand)\b)?"
    r"|(?<![\w$.,])\d[\d,]*(?:\.\d+)?(?:%|\s?(?:million|billion|thousand)\b)?"
)
WHO_RE = re.compile(r"^\s*who\b", re.I)
STRICT_OVERLAP = 0.5
NEGATING_PREFIXES = ("in", "un", "non-", "non", "dis", "im", "ir", "il")
KIN_PREFIX = 5
KIN_SHARE = 0.7
HYPHENATED_RE = re.compile(r"\w+(?:-\w+)+")
PHONE_ASK_RE = re.compile(r"\bphone\b|\bnumber\b|\bdial\b|\bcall\b", re.I)
TIME_ASK_RE = re.compile(r"\bwhat time\b|\bwhen is\b|\bat what time\b", re.I)
WEB_ASK_RE = re.compile(r"\bwebcast\b|\bwebsite\b|\bonline\b|\blisten\b", re.I)


def answer_prose(
    raw: str, question: str, ctx: Context, passages: Any, strict: bool = False
) -> Answer:
    """The sentence of the release that answers, or 'not in the release'."""
    q = Query("prose", text=question)
    question = rephrased(question)
    quote = _quote(question, ctx, passages, strict) if passages is not None else None
    unknown = unknown_terms(question, ctx)
    deferred = _outlook_instead(question, passages, quote, bool(unknown))
    if deferred is not None:
        return _outlook_elsewhere(raw, question, deferred, q)
    if unknown and not _answered_despite(unknown, quote):
        what = ", ".join(f"'{u}'" for u in unknown)
        return not_found(
            raw,
            f"The release does not mention {what}, so I can't answer that from it. {ctx.holds()}",
            q,
        )
    if quote is None:
        return not_found(raw, f"That is not in the release. {ctx.holds()}", q)
    chunk = quote.chunk
    span = _lines(chunk)
    lead = answering_phrase(question, quote.sentence)
    said = (
        f'The table is headed ({span}): "{quote.sentence}"'
        if getattr(chunk, "kind", "") == "title"
        else f'The release says ({chunk.section}, {span}): "{quote.sentence}"'
    )
    text = f"{lead.rstrip('.')}. {said}" if lead else said
    c = Citation(
        "text",
        chunk.release,
        (chunk.first_line, chunk.last_line),
        quote.sentence,
        section=chunk.section,
    )
    return found(raw, text, [c], [], q)


def _words_re(key: str) -> re.Pattern[str]:
    words = sorted(prose_knowledge()[key], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


def _forward_ask(question: str) -> bool:
    """'What guidance did the company give for Q1?', 'What is the outlook for 2013?'."""
    return bool(_words_re("forward_asks").search(question))


def _outlook_instead(
    question: str, passages: Any, quote: Quote | None, unknown: bool
) -> Quote | None:
    """For a question asking guidance, the sentence sending the outlook to the conference call,
    when the release prints no forecast and nothing else answers as closely."""
    if passages is None or not _forward_ask(question) or _forecasts(quote):
        return None
    deferred = _deferred_outlook(question, passages.candidates())
    if deferred is None:
        return None
    if (
        quote is None
        or unknown
        or _defers(quote.sentence)
        or _names(question, deferred) > _names(question, quote)
    ):
        return deferred
    return None


def _forecasts(quote: Quote | None) -> bool:
    """A quoted sentence that speaks of the period to come and gives a figure for it."""
    if quote is None or not _words_re("forward_said").search(quote.sentence):
        return False
    return bool(AMOUNT_RE.search(quote.sentence) or re.search(r"\d\s?%", quote.sentence))


def _deferred_outlook(question: str, cands: list[Any]) -> Quote | None:
    """The sentence saying where the outlook will be given instead (a conference call), with no
    figure of its own; of several, the one naming the period asked."""
    best: tuple[int, int, Any] | None = None
    for at, cand in enumerate(cands):
        text = cand.text
        if not _defers(text):
            continue
        named = _names(question, Quote(text, cand.chunk, 0.0))
        if best is None or named > best[0]:
            best = (named, -at, cand)
    if best is None:
        return None
    return Quote(best[2].text, best[2].chunk, 1.0)


def _defers(text: str) -> bool:
    """A sentence speaking of the outlook and where it will be given, with no figure of it."""
    said, venue = _words_re("forward_said"), _words_re("outlook_venues")
    return bool(said.search(text) and venue.search(text)) and not AMOUNT_RE.search(text)


def _names(question: str, quote: Quote) -> int:
    """How many of the words naming the asked period the sentence uses."""
    asked = _period_words(question)
    return sum(1 for w in asked if re.search(rf"\b{re.escape(w)}\b", quote.sentence, re.I))


QUARTER_WORDS = {"1": "first", "2": "second", "3": "third", "4": "fourth"}


def _period_words(question: str) -> list[str]:
    """The words a sentence names the asked period by: 'Q1 2013' is 'first quarter', '2013'."""
    out = list(YEAR_RE.findall(question))
    for m in re.finditer(r"\bQ([1-4])\b|\b(first|second|third|fourth) quarter\b", question, re.I):
        word = QUARTER_WORDS[m.group(1)] if m.group(1) else m.group(2).lower()
        out += [f"{word} quarter", f"Q{m.group(1) or list(QUARTER_WORDS.values()).index(word) + 1}"]
    return out


PERIOD_ASKED_RE = re.compile(
    r"\b(?:for|in|of)\s+(?P<period>(?:the\s+)?(?:Q[1-4]|(?:first|second|third|fourth)\s+quarter)"
    r"(?:\s+of)?(?:\s+(?:fiscal\s+)?'?\d{2,4})?|(?:fiscal\s+)?(?:19|20)\d\d)\b",
    re.I,
)


def _outlook_elsewhere(raw: str, question: str, quote: Quote, q: Query) -> Answer:
    """'What guidance did they give?' of a release that leaves its outlook to the conference
    call: no figures, said plainly, and the sentence saying where they will be given, cited."""
    chunk = quote.chunk
    venue = _words_re("outlook_venues").search(quote.sentence)
    period = PERIOD_ASKED_RE.search(question)
    wanted = f" for {period['period']}" if period else ""
    text = (
        f"The release gives no guidance figures{wanted}: it says the outlook will be given on "
        f"the {venue.group(0).lower() if venue else 'conference call'}. "
        f'The release says ({chunk.section}, {_lines(chunk)}): "{quote.sentence}"'
    )
    c = Citation(
        "text",
        chunk.release,
        (chunk.first_line, chunk.last_line),
        quote.sentence,
        section=chunk.section,
    )
    return Answer(raw, text, False, (c,), (), brain="planner", query=q)


def _lines(chunk: Any) -> str:
    if chunk.first_line == chunk.last_line:
        return f"line {chunk.first_line}"
    return f"lines {chunk.first_line}-{chunk.last_line}"


def _answered_despite(unknown: list[str], quote: Quote | None) -> bool:
    """A sentence holding nearly every other word of the question answers it though one plain
    word of it is not the release's ('What does reserving imply?'); a name the release never
    uses (a company, a person, a currency) is never explained away."""
    plain = len(unknown) == 1 and unknown[0].islower()
    if not plain or quote is None or _negated_in(unknown[0].lower(), quote.sentence):
        return False
    if quote.overlap >= threshold("prose_unknown_overlap"):
        return True
    return quote.overlap >= STRICT_OVERLAP and _kin_in(unknown[0].lower(), quote.sentence)


def _negated_in(word: str, sentence: str) -> bool:
    """The sentence uses the word's opposite ('intangible' for 'tangible', 'non-current' for
    'current'): it speaks of the other thing."""
    said = set(re.findall(r"[a-z][a-z-]*", sentence.lower()))
    return any(f"{p}{word}" in said for p in NEGATING_PREFIXES)


def _kin_in(word: str, sentence: str) -> bool:
    """The sentence uses a word of the same root ('assumptions' and 'assumed', 'classification'
    and 'classified'): a long shared opening, most of the shorter word; a word inside another
    ('tangible' in 'intangible') is not its kin."""
    for other in set(tokens(sentence)):
        shared = len(os.path.commonprefix([word, other]))
        if shared >= KIN_PREFIX and shared >= KIN_SHARE * min(len(word), len(other)):
            return True
    return False


def rephrased(question: str) -> str:
    """The question in the catalogue's words ('outside the US' is 'international')."""
    out = question
    for phrase, full in catalogue().phrases.items():
        out = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", full, out, flags=re.I)
    return out


def _quote(question: str, ctx: Context, passages: Any, strict: bool) -> Quote | None:
    hits = passages.search(question, k=max(8, passages.size()))
    quote = (
        _conventional(question, passages, hits)
        or _table_title(question, ctx)
        or _colon_intro(question, passages.candidates())
    )
    if quote is not None:
        return quote
    quote = _ranked(question, ctx, passages, {h.chunk.id: h.score for h in hits})
    if quote is None or _figure_asked_loosely(question, quote):
        return None
    if not strict:
        return quote
    return quote if _strictly_answers(question, quote) else None


def _ranked(question: str, ctx: Context, passages: Any, semantic: dict[str, float]) -> Quote | None:
    """The best sentence; past one leading into a table (a figure asked of it is refused); a
    reason's sentence with the one after it when that one gives the cause."""
    quote = rank(question, passages.candidates(), semantic, ctx.company)
    if quote is not None and _leads_into_table(quote.sentence):
        if _asks_a_figure(question):
            return None  # its figure is in the table that follows, which did not answer
        said = [c for c in passages.candidates() if not _leads_into_table(c.text)]
        quote = rank(question, said, semantic, ctx.company)
    if quote is not None and REASON_ASK_RE.search(question) and not CAUSE_RE.search(quote.sentence):
        quote = _cause_after(quote, passages.candidates()) or quote
    return quote


def _figure_asked_loosely(question: str, quote: Quote) -> bool:
    """A figure asked of a sentence sharing under half the question's words: its figure would
    be another one's (a wrong figure with a real citation), so no sentence answers."""
    return _asks_a_figure(question) and quote.overlap < STRICT_OVERLAP


def _asks_a_figure(question: str) -> bool:
    """'How much ...', 'How many ...', 'What was the amount of ...'; not a reason."""
    if REASON_ASK_RE.search(question) or METHOD_ASK_RE.search(question):
        return False
    return bool(
        _asks_figure(question) or FIGURE_ASK_RE.search(question) or COUNT_ASK_RE.search(question)
    )


def _conventional(question: str, passages: Any, hits: list[Any]) -> Quote | None:
    """A question a release answers by convention: the dateline (home city, ticker, date), the
    sentence introducing a table."""
    if (
        WHERE_BASED_RE.search(question)
        or TICKER_ASK_RE.search(question)
        or DATE_ASK_RE.search(question)
    ):
        quote = dateline_answer(question, hits)
        if quote is not None:
            return quote
    return _table_intro(passages.candidates()) if TABLE_ASK_RE.search(question) else None


def _table_title(question: str, ctx: Context) -> Quote | None:
    """'What does the table show?' of a release with one table and no sentence introducing
    it: the table's own title, the words the release heads it with."""
    if not TABLE_ASK_RE.search(question):
        return None
    from index.chunks import Chunk

    tables = {f.table_index for f in ctx.facts}
    if len(tables) != 1 or not ctx.facts:
        return None
    title = ctx.facts[0].table.strip()
    if not title or re.fullmatch(r"(?:Table\s*)?\d*", title, re.I):
        return None
    first = min(min(f.label_line, f.line) for f in ctx.facts)
    last = max(f.line for f in ctx.facts)
    chunk = Chunk(f"{ctx.release}:title", ctx.release, title, first, last, title, "title")
    return Quote(title, chunk, 1.0)


def _leads_into_table(text: str) -> bool:
    """A sentence whose content is the table after it ('Accrued expenses consisted of the
    following:', '... were as follows:'): it answers what the table shows, and nothing else."""
    plain = text.strip()
    follows = FOLLOWS_RE.search(plain)
    lead = plain[: follows.end()] if follows else plain
    if AMOUNT_RE.search(lead) or re.search(r"\d\s?%", lead):
        return False  # '... increased to $299.3 million in 2019, primarily as a result of:'
    return bool(
        plain.endswith(":")
        or follows
        or LEAD_IN_RE.search(plain)
        or TABLE_INTRO_RE.search(plain)
        or FOLLOWING_RE.search(plain)
    )


# 'What is fair value based on?': a question asking how a figure is arrived at, not the figure.
METHOD_ASK_RE = re.compile(
    r"\b(?:based (?:on|upon)|derived|determined|calculated|computed|measured|estimated|defined"
    r"|mean|represent|refer to|made up of|consist of|comprised? of|include)\s*\??\s*$",
    re.I,
)
# A lead-in joined to the short paragraphs after it ('... as follows: As at 31 December ...').
FOLLOWS_RE = re.compile(r"\b(?:as follows|the following|below)\s*:", re.I)
FOLLOWING_RE = re.compile(r"\b(?:consist(?:s|ed)?|compris(?:es|ed)) of the following\b", re.I)


def _colon_intro(question: str, cands: list[Any]) -> Quote | None:
    """'What does the table show?' of a release whose table is led into by a sentence ending in
    a colon ('Cash provided by operating activities for 2021 as compared to 2020:')."""
    if not TABLE_ASK_RE.search(question):
        return None
    for cand in cands:
        text = cand.text.strip()
        if text.endswith(":") and not AMOUNT_RE.search(text) and len(text.split()) >= 3:
            return Quote(text, cand.chunk, 1.0)
    return None


def _strictly_answers(question: str, quote: Quote) -> bool:
    if quote.overlap < STRICT_OVERLAP:
        return False
    return not (_asks_figure(question) and not re.search(r"\d", quote.sentence))


def _asks_figure(question: str) -> bool:
    """A question asking a figure; a word inside a compound ('loan-to-value') asks none."""
    return bool(NUMERIC_RE.search(HYPHENATED_RE.sub(" ", question)))


def _cause_after(quote: Quote, cands: list[Any]) -> Quote | None:
    """'Why did X rise?' matched by 'X rose by $14 million.', whose next sentence gives the cause
    ('The increase is mainly attributable to ...'): both sentences, quoted together."""
    at = next(
        (
            i
            for i, c in enumerate(cands)
            if c.chunk.id == quote.chunk.id and c.text == quote.sentence
        ),
        None,
    )
    if at is None or at + 1 >= len(cands):
        return None
    after = cands[at + 1]
    if after.chunk.id != quote.chunk.id or not (
        ANAPHOR_RE.match(after.text) and CAUSE_RE.search(after.text)
    ):
        return None
    return replace(quote, sentence=f"{quote.sentence} {after.text}")


def _table_intro(cands: list[Any]) -> Quote | None:
    """'What does the table show?': the sentence that introduces a table ('The following table
    sets forth ...'), the release's own words for what it holds."""
    for pattern in (TABLE_INTRO_RE, LEAD_IN_RE):
        for cand in cands:
            if pattern.search(cand.text):
                return Quote(cand.text, cand.chunk, 1.0)
    return None


def answering_phrase(question: str, sentence: str) -> str | None:
    """The words of the sentence that answer the question, when its shape says which: a person
    and title, a place, a ticker, a date, a phone number, a time, a web address; else what the
    sentence says after restating the question. A yes-or-no question is answered by the whole
    sentence, as is one a sentence answers by saying there is none."""
    if YES_NO_RE.match(question):
        return None
    phrase = _shaped_phrase(question, NOTE_MARK_RE.sub("", sentence))
    if phrase and CONNECTIVE_END_RE.search(question):
        return LEADING_CONNECTIVE_RE.sub("", phrase) or phrase  # 'driven by?' '| lower capex'
    return phrase


def _shaped_phrase(question: str, sentence: str) -> str | None:
    for ask, find in SHAPES:
        if ask(question):
            phrase = find(sentence)
            if phrase:
                return phrase
    for find in (
        _defined_as,
        _definition,
        _when_phrase,
        _named_which,
        _respective_phrase,
        _count_phrase,
        _figure_phrase,
    ):
        phrase = find(question, sentence)
        if phrase:
            return phrase
    rest = after_restatement(question, sentence)
    if AMOUNT_ASK_RE.search(question):
        amount = AMOUNT_RE.search(rest or sentence)
        if amount:
            return amount.group(0)
    if rest is None:
        return None
    rest = _closed(sentence, _without_cut_word(rest))
    if _fragment(rest):
        return None
    return _by_form(question, rest)


# How a method is said ('using the Black-Scholes model', 'by dividing ...', 'based on ...').
METHOD_RE = re.compile(
    r"\b(?:using|by (?:\w+ing|comparison|reference)|based (?:on|upon)|in accordance with)\b",
    re.I,
)
DURATION_RE = re.compile(
    r"(?:\b\d+(?:\.\d+)?\s*(?:to|-|–)\s*)?(?:\b\d+(?:\.\d+)?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|fifteen|twenty|thirty|forty|fifty))\s+(?:years?|months?|weeks?|days?)\b",
    re.I,
)
DURATION_ASK_RE = re.compile(
    r"^\s*(?:how long\b|over (?:what|which|how many) (?:period|duration|term|years?)\b)", re.I
)


def _by_form(question: str, phrase: str) -> str | None:
    """The part of a phrase the question's form asks: 'how is X estimated?' a phrase opening
    on the method ('using the Black-Scholes model'), else the whole sentence when the method
    comes later (the cut fell inside what the method is applied to); 'how long?' the one
    duration it gives ('seven years, | expected volatility of 22%')."""
    if HOW_RE.match(question) and not METHOD_RE.match(phrase) and METHOD_RE.search(phrase):
        return None
    if DURATION_ASK_RE.match(question):
        durations = DURATION_RE.findall(phrase)
        if len(durations) == 1:
            return durations[0]
    return phrase


CLAUSE_OPENERS = DETERMINERS | {"if", "when", "we", "it", "they", "as", "because", "since"}


def _without_cut_word(phrase: str) -> str:
    """A phrase opening on the last word of a clause the cut broke ('reversed, the special
    reserve ...', 'example, if ...'): the clause after it."""
    m = re.match(r"^[a-z][\w-]*,\s+(?P<next>[a-z]+)\b", phrase)
    if m and m["next"] in CLAUSE_OPENERS:
        return phrase[m.start("next") :]
    return phrase


ENUMERATION_RE = re.compile(r"^\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)\s")
PAIRS = (("(", ")"), ("[", "]"), ("“", "”"))


def _closed(sentence: str, phrase: str) -> str:
    """A phrase cut inside a quotation ('accrued liabilities"') taken back to where the
    quotation opens ('"Accounts payable and accrued liabilities"')."""
    at = sentence.find(phrase)
    if at < 0:
        return phrase
    if phrase.count('"') % 2 == 1 and phrase.rstrip(" .,;").endswith('"'):
        opened = sentence.rfind('"', 0, at)
        if opened >= 0:
            return sentence[opened : at + len(phrase)]
    if phrase.count("“") < phrase.count("”"):
        opened = sentence.rfind("“", 0, at)
        if opened >= 0:
            return sentence[opened : at + len(phrase)]
    return phrase


def _fragment(phrase: str) -> bool:
    """A cut that breaks a phrase of the sentence: it opens on a joining word ('and 2018 by
    ...') or inside a bracket ('(the "Act")'), or leaves a bracket or quotation unclosed. The
    whole sentence answers instead."""
    first = phrase.split(maxsplit=1)[0] if phrase.strip() else ""
    if first.lower() in CLAUSE_JOINS:
        return True
    if first[:1] in "()[]”’" and not ENUMERATION_RE.match(phrase):
        return True
    unclosed = any(phrase.count(a) != phrase.count(b) for a, b in PAIRS)
    return unclosed or phrase.count('"') % 2 == 1


DEFINED_AS_RE = re.compile(r"\bdefine[sd]?\b[^.;]{0,80}?\bas\s+", re.I)
# A term and the verb defining it ('Tax fees include ...', 'OEM (“OEM”) are ...').
DEFINING_VERB_RE = re.compile(
    r"\s*(?:\([^()]{1,40}\)\s*)?,?\s+(?:(?:primarily|principally|also|generally|mainly)\s+)?"
    r"(?P<verb>is|are|includes?|consists? of|comprises?|refers? to|represents?|means|presents"
    r"|denotes)\s+",
    re.I,
)
COPULA = frozenset({"is", "are"})


def _defined_as(question: str, sentence: str) -> str | None:
    """'How does the company define X?': what the sentence defines it as."""
    if not DEFINE_HOW_RE.match(question):
        return None
    m = DEFINED_AS_RE.search(sentence)
    if not m:
        return None
    return TAIL_RE.split(sentence[m.end() :], maxsplit=1)[0].strip().rstrip(".") or None


def _definition(question: str, sentence: str) -> str | None:
    """'What is X?', 'What are X?', 'the definition of X' of a sentence defining X: after 'is'
    or 'are', what X is; after another defining verb ('X includes ...', 'X refers to ...'),
    the clause itself, which would not read as an answer without its subject."""
    m = DEFINE_ASK_RE.match(question)
    if not m or re.match(
        r"^\s*(?:what|who) (?:is|are) (?:the|an?) (?!definition|meaning)", question, re.I
    ):
        return None
    words = re.findall(r"[\w’'-]+", m["term"].strip(" \"'“”‘’"))
    if not words:
        return None
    term = r"[\s\-–]+".join(re.escape(w) for w in words)
    for found_term in re.finditer(rf"(?<![\w-]){term}(?![\w-])", sentence, re.I):
        verb = DEFINING_VERB_RE.match(sentence, found_term.end())
        if not verb:
            continue
        start = verb.end() if verb["verb"].lower() in COPULA else found_term.start()
        clause = TAIL_RE.split(sentence[start:], maxsplit=1)[0].strip().rstrip(".")
        return clause or None
    return None


def _named_which(question: str, sentence: str) -> str | None:
    """'Which ethical standard ...?': the name in the sentence that ends in the kind asked
    ('the FRC's Revised Ethical Standard')."""
    m = WHICH_KIND_RE.match(question)
    if not m:
        return None
    kind = m["kind"].lower().split()
    for name in NAME_RUN_RE.finditer(sentence):
        words = [re.sub(r"[’']s$", "", w.lower()) for w in name.group(0).split()]
        if len(words) > len(kind) and [stem(w) for w in words[-len(kind) :]] == [
            stem(k) for k in kind
        ]:
            return name.group(0)
    return None


def _when_phrase(question: str, sentence: str) -> str | None:
    return _dated_in(question, sentence) if WHEN_RE.match(question) else None


def _respective_phrase(question: str, sentence: str) -> str | None:
    return _respective(question, sentence) or _of_year(question, sentence)


def _count_phrase(question: str, sentence: str) -> str | None:
    return _counted(question, sentence) if COUNT_ASK_RE.search(question) else None


def _figure_phrase(question: str, sentence: str) -> str | None:
    if FIGURE_ASK_RE.search(question):
        return _figure_asked(question, sentence)
    if WHAT_WAS_RE.match(question):
        return _figure_asked(question, sentence, threshold("prose_implied_figure"))
    return None


def _figure_asked(question: str, sentence: str, least: float = 0.0) -> str | None:
    """The figure a question asks for: the one printed for the year it names in brackets
    ('(2018: £12.4 million)'), else the one standing closest to the words it restates
    ('borrowed | $72.3 million | under our credit facilities, of which $18.5 million ...'),
    when more than `least` of them stand around it ('What was the reserve?' asks no figure
    in so many words: one only answers it standing right by the words asked)."""
    years = set(YEAR_RE.findall(question))
    bracketed = _bracket_year(sentence, years)
    if bracketed:
        return bracketed
    asked = {t for t in content_tokens(question) if not t.isdigit()} - PROSE_NEUTRAL
    said = {n.strip("$%,") for n in NUMBER_RE.findall(question)}
    words = _bracketed_words(sentence)
    scored = [
        (_nearness(words, *_span(words, m), asked, years), _with_unit(m, sentence))
        for m in QUANTITY_RE.finditer(sentence)
        if _a_figure(m, sentence, said)
    ]
    best = max(scored, key=lambda s: s[0], default=None)
    return best[1] if best and best[0] > least else None


def _bracket_year(sentence: str, years: set[str]) -> str | None:
    for m in BRACKET_YEAR_RE.finditer(sentence):
        if years == {m["year"]} and QUANTITY_RE.fullmatch(m["figure"]):
            return m["figure"]
    return None


def _span(words: list[_Word], m: re.Match[str]) -> tuple[int, int]:
    first = next(i for i, w in enumerate(words) if w.end > m.start())
    last = next(i for i, w in enumerate(words) if w.end >= m.end())
    return first, last


def _with_unit(m: re.Match[str], sentence: str) -> str:
    unit = TIME_UNIT_RE.match(sentence, m.end())
    return (m.group(0) + (unit.group(0) if unit else "")).strip()


@dataclass(frozen=True)
class _Word:
    """A word of a sentence with the bracket it stands in (0: none), so a figure is read with
    the words of its own bracket or of the sentence around it, not of another one."""

    tokens: tuple[str, ...]
    end: int
    bracket: int


def _bracketed_words(sentence: str) -> list[_Word]:
    out, bracket, opened = [], 0, 0
    for m in re.finditer(r"\S+", sentence):
        w = m.group(0)
        if w.startswith("(") and not re.fullmatch(r"\(\d+\)", w):
            opened += 1
            bracket = opened
        out.append(_Word(tuple(tokens(w)), m.end(), bracket))
        if w.rstrip(".,;:").endswith(")"):
            bracket = 0
    return out


def _a_figure(m: re.Match[str], sentence: str, said: set[str]) -> bool:
    """A quantity, not a year, a day of a date, a note marker or a figure the question gives."""
    text = m.group(0).strip()
    number = re.sub(r"[^\d.,]", "", text).strip(",.")
    if number.replace(",", "") in {s.replace(",", "") for s in said}:
        return False
    if YEAR_RE.fullmatch(text) or MONTH_NAME_RE.search(sentence[: m.start()]):
        return False
    if re.match(r",?\s*(?:19|20)\d\d\b", sentence[m.end() :]) and len(number) <= 2:
        return False  # the day of 'December 31, 2019'
    return not (
        sentence[m.start() - 1 : m.start()] == "(" and sentence[m.end() : m.end() + 1] == ")"
    )


def _nearness(words: list[_Word], first: int, last: int, asked: set[str], years: set[str]) -> float:
    """How closely the question's words stand around a figure (its words first to last): each
    asked word counts by its distance in words, within six, inside the same bracket (or outside
    all)."""
    same = [i for i, w in enumerate(words) if w.bracket == words[first].bracket]
    lo, hi = same.index(first), same.index(last) if last in same else same.index(first)

    def gap(k: int) -> int:
        return lo - k if k < lo else k - hi if k > hi else 0

    score = 0.0
    for a in asked:
        dist = [
            gap(k)
            for k, i in enumerate(same)
            if 0 < gap(k) <= 6 and any(similar(t, a) for t in words[i].tokens)
        ]
        score += 1 / (1 + min(dist)) if dist else 0.0
    for k, i in enumerate(same):
        if 0 < gap(k) <= 4 and years & set(words[i].tokens):
            score += 0.5 / (1 + gap(k))
    return score


def _respective(question: str, sentence: str) -> str | None:
    """'In 2019, 2018 and 2017 ... were $131 million, $117 million and $180 million,
    respectively': the figure of each year the question asks, in its order ('; ' between)."""
    plain = DAY_RE.sub(lambda m: m.group("year"), sentence)
    asked = list(dict.fromkeys(YEAR_RE.findall(question)))
    for part in re.split(r"(?<=respectively)", plain, flags=re.I)[:-1]:
        years = list(dict.fromkeys(YEAR_RE.findall(part)))
        found = [m.group(0).strip(" ,.") for m in FIGURE_RE.finditer(part)]
        figures = [f for f in found if not YEAR_RE.fullmatch(f)]
        wanted = [y for y in asked if y in years]
        if len(years) >= 2 and len(figures) == len(years) and wanted:
            by_year = dict(zip(years, figures, strict=True))
            return "; ".join(by_year[y] for y in wanted)
        if RESPECTIVELY_RE.search(question) and len(years) < 2:
            listed = LISTED_FIGURES_RE.search(part)
            if listed:  # 'What were the federal, state and foreign credits, respectively?'
                return "; ".join(
                    f.strip() for f in re.split(r",\s*(?:and\s+)?|\s+and\s+", listed[0])
                )
    return None


def _of_year(question: str, sentence: str) -> str | None:
    """'... increased to $299.3 million in 2019 compared to $148.6 million in 2018': the figure
    printed for the one year the question asks, when the sentence gives figures for several."""
    asked = set(YEAR_RE.findall(question))
    if len(asked) != 1 or not NUMERIC_RE.search(question):
        return None
    pairs = [(m.group("figure"), m.group("year")) for m in FIGURE_YEAR_RE.finditer(sentence)]
    years = {y for _, y in pairs}
    hits = [f for f, y in pairs if y in asked]
    return hits[0] if len(years) >= 2 and len(hits) == 1 else None


def _dated_in(question: str, sentence: str) -> str | None:
    """'When did ...?': the first date (or year) the sentence gives that the question does not."""
    for m in WHEN_DATE_RE.finditer(sentence):
        if m.group(0) not in question:
            return m.group(0)
    return None


def _counted(question: str, sentence: str) -> str | None:
    """'How many PSUs were granted ...?': the figure printed just before the thing counted (a
    time unit kept: '2.5 years'), a number spelled before it ('four cash dividends'), else the
    only figure the question does not itself give."""
    said = set(NUMBER_RE.findall(question))
    numbers = [m for m in NUMBER_RE.finditer(sentence) if m.group(0) not in said]
    numbers = [m for m in numbers if not YEAR_RE.fullmatch(m.group(0))]
    m = COUNT_ASK_RE.search(question)
    noun = m.group(1).lower() if m and m.group(1) else ""
    for n in numbers:
        after = tokens(sentence[n.end() : n.end() + 40])
        if noun and after and similar(after[0], noun):
            unit = TIME_UNIT_RE.match(sentence, n.end())
            timed = unit and similar(noun, unit.group(0).strip())
            return n.group(0) + (unit.group(0) if timed else "")
    spelled = _spelled_count(noun, sentence)
    if spelled:
        return spelled
    return numbers[0].group(0) if len(numbers) == 1 else None


def _spelled_count(noun: str, sentence: str) -> str | None:
    if not noun:
        return None
    words = "|".join(NUMBER_WORDS)
    m = re.search(rf"\b({words})\s+(?:\w+\s+)?{re.escape(noun[:4])}", sentence, re.I)
    return m.group(1) if m else None


def after_restatement(question: str, sentence: str) -> str | None:
    """The rest of a sentence once it has restated the question ('For domestic plans, the
    discount rate was determined | by comparison against ...'): the shortest opening holding
    every question word the sentence uses, and a linking verb after it, are left out."""
    words = list(re.finditer(r"\S+", sentence))
    cut = _restated_up_to(question, words)
    if cut is None:
        return None
    rest = _unlinked(question, words[cut + 1 :])
    if len(rest) < 2:
        return _before_restatement(question, sentence, words) or _between_restatements(
            question, sentence, words
        )
    phrase = sentence[rest[0].start() :].strip().rstrip(".")
    figure = LEADING_FIGURE_RE.match(phrase)
    if figure:
        return figure.group(0).strip()  # 'RMB77 million (2018: RMB229 million) within ...'
    phrase = _restated_again(question, TAIL_RE.split(phrase, maxsplit=1)[0])
    if WHO_RE.search(question) or WHICH_RE.search(question):
        phrase = DATE_TAIL_RE.split(phrase, maxsplit=1)[0]  # 'the Board | on 6 June 2019 and ...'
    return phrase


def _restated_again(question: str, phrase: str) -> str:
    """The phrase up to where it restates the question a second time, which starts a clause of
    its own ('Germany, Ghana and the UK | and the Group operates defined benefit plans in ...')."""
    asked = _asked(question)
    words = list(re.finditer(r"\S+", phrase))
    content = [(i, m) for i, m in enumerate(words) if content_tokens(m.group(0))]
    for (i, a), (_, b) in zip(content, content[1:], strict=False):
        if i >= 2 and _restate_both(a, b, asked):
            front = _clause_before(words[:i])
            if front:
                return phrase[: front[-1].end()].strip(" ,;:")
    return phrase


def _restate_both(a: re.Match[str], b: re.Match[str], asked: set[str]) -> bool:
    """Two words in a row that restate two different words of the question."""
    pair = [content_tokens(m.group(0)) for m in (a, b)]
    hit = {x for toks in pair for t in toks for x in asked if _restates(t, x)}
    return len(hit) >= 2 and all(_asked_in(toks, asked) for toks in pair)


def _clause_before(front: list[re.Match[str]]) -> list[re.Match[str]]:
    """The words before a restatement when a clause join ('and', a comma) separates them from
    it, without the join; nothing when none does."""
    while front and front[-1].group(0).lower() in DETERMINERS:
        front = front[:-1]
    if not front or not (
        front[-1].group(0).lower() in CLAUSE_JOINS or front[-1].group(0)[-1] in ",;"
    ):
        return []
    while front and front[-1].group(0).lower().strip(",;:") in CLAUSE_JOINS:
        front = front[:-1]
    return front


def _between_restatements(question: str, sentence: str, words: list[re.Match[str]]) -> str | None:
    """A sentence whose restatement of the question surrounds the answer ('The Company relies on
    | royalty reports received from third party licensees | to record its revenue'): the longest
    run of words the question does not use, without the words joining it to the restatement."""
    if NONE_RE.search(sentence) and not NONE_RE.search(question):
        return None
    asked = _asked(question)
    said = set(NUMBER_RE.findall(question))
    marked = [
        _asked_in(content_tokens(m.group(0)), asked) or m.group(0).strip(",.;:") in said
        for m in words
    ]
    runs: list[list[re.Match[str]]] = [[]]
    for m, hit in zip(words, marked, strict=True):
        if hit:
            runs.append([])
        else:
            runs[-1].append(m)
    runs = [r for r in runs if not all(_dated_word(t) for t in _content(_trimmed(r)))]
    whole = max(runs, key=lambda r: len(_content(_trimmed(r))), default=[])
    best = _trimmed(whole)
    if not _content(best) or re.fullmatch(r"\(\d+\)", best[0].group(0)) and len(best) == 1:
        return None
    end = best[-1].end()
    if whole[-1].group(0).lower() in DANGLING | CLAUSE_JOINS:
        end = _phrase_end(sentence, whole[-1].end())  # '... and certain | expense allocations'
    return sentence[best[0].start() : end].strip(" ,;:.")


def _phrase_end(sentence: str, start: int) -> int:
    """Where the phrase a run broke off in ends: the next comma, semicolon or full stop."""
    m = re.compile(r"[,;:.](?:\s|$)|$").search(sentence, start)
    return m.start() if m else len(sentence)


def _dated_word(token: str) -> bool:
    return token.isdigit() or token in PERIOD_WORDS


def _content(run: list[re.Match[str]]) -> list[str]:
    return [t for m in run for t in content_tokens(m.group(0))]


def _trimmed(run: list[re.Match[str]]) -> list[re.Match[str]]:
    """A run of words without the linking words, note marker or passive verb at its ends ('to
    be', 'was recorded as')."""
    edge = LINKING | TRAILING_LINKS | CLAUSE_JOINS | DETERMINERS
    while run and (
        run[0].group(0).lower().strip(",;:") in edge or re.fullmatch(r"\(\d+\)", run[0].group(0))
    ):
        run = run[1:]
    while run and run[-1].group(0).lower().strip(",;:") in edge | PASSIVE_TAIL | DANGLING:
        run = run[:-1]
    if len(run) >= 2 and run[-2].group(0).lower() in BE and run[-1].group(0).lower().endswith("ed"):
        run = run[:-2]
    return run


def _asked(question: str) -> set[str]:
    return {t for t in content_tokens(question) if not t.isdigit()} - PROSE_NEUTRAL


def _restates(word: str, asked: str) -> bool:
    """The same word, or a verb the release uses for the question's ('comprised' for
    'consist')."""
    if similar(word, asked):
        return True
    return any(
        any(word.startswith(v) for v in group) and any(asked.startswith(v) for v in group)
        for group in SAME_SENSE
    )


def _before_restatement(question: str, sentence: str, words: list[re.Match[str]]) -> str | None:
    """The opening of a sentence that restates the question at its end ('Taxes collected ...
    | are excluded from revenue'): the words before the restatement, without the verb."""
    asked = {t for t in content_tokens(question) if not t.isdigit()} - PROSE_NEUTRAL
    hits = [i for i, m in enumerate(words) if _asked_in(content_tokens(m.group(0)), asked)]
    if len(hits) < 2 or hits[0] < 3:
        return None
    tail = [t for m in words[hits[0] :] for t in content_tokens(m.group(0))]
    if len(tail) - sum(_asked_in([t], asked) for t in tail) > 1:
        return None  # the sentence goes on past the restatement: the answer is not before it
    front = words[: hits[0]]
    while front and front[-1].group(0).lower().strip(",;:") in LINKING | TRAILING_LINKS:
        front = front[:-1]
    if len(front) < 3:
        return None
    return sentence[front[0].start() : front[-1].end()].strip(" ,;:")


def _asked_in(words: list[str], asked: set[str]) -> bool:
    return any(_restates(t, a) for t in words for a in asked)


def _restated_up_to(question: str, words: list[re.Match[str]]) -> int | None:
    """The index of the word that completes the sentence's restatement of the question, when
    it restates at least two of its words and half of them."""
    asked = _asked(question)
    seen: set[str] = set()
    cut = None
    for i, m in enumerate(words):
        hit = {a for t in tokens(m.group(0)) for a in asked if _restates(t, a)}
        if hit - seen:
            seen |= hit
            cut = i
    return cut if len(seen) >= min(len(asked), max(2, len(asked) // 2)) and seen else None


def _unlinked(question: str, rest: list[re.Match[str]]) -> list[re.Match[str]]:
    """The words after a restatement without the verb or preposition joining them to it; 'to'
    stays when it opens the purpose a 'why' question asks for."""
    if REASON_ASK_RE.search(question) and rest and rest[0].group(0).lower() == "to":
        return rest
    rest = _past_defining_verb(question, rest)
    said = set(NUMBER_RE.findall(question))
    while rest and (
        rest[0].group(0).lower().strip(",;:") in LINKING
        or rest[0].group(0) in {",", "-", "–"}
        or rest[0].group(0).strip(",;:") in said
    ):
        rest = rest[1:]
    if rest and not HOW_RE.match(question) and rest[0].group(0).lower() == "by":
        rest = rest[1:]  # 'approved by | the Board of Directors'; 'how?' is answered 'by ...'
    return rest


def _past_defining_verb(question: str, rest: list[re.Match[str]]) -> list[re.Match[str]]:
    """'Aggregate intrinsic | value represents | the value of ...': a plain word the question
    uses ('value') and the verb defining the term are not the answer."""
    own = set(tokens(question)) & STOPWORDS - {"the", "a", "an"}
    while rest and (toks := tokens(rest[0].group(0))) and set(toks) <= own:
        rest = rest[1:]
    if rest and DEFINING_RE.fullmatch(rest[0].group(0)):
        rest = rest[1:]
    return rest


def _titled_name(sentence: str) -> str | None:
    m = TITLED_NAME_RE.search(sentence)
    return f"{m['name']}, {m['title'].strip(' ,')}" if m else None


def _place(sentence: str) -> str | None:
    m = DATELINE_RE.match(sentence)
    return f"{m['city'].strip().title()}, {m['region']}" if m else None


def _ticker(sentence: str) -> str | None:
    m = TICKER_RE.search(sentence)
    if m:
        return f"{m['exchange']}: {m['ticker']}"
    symbol = SYMBOL_RE.search(sentence)
    return symbol["ticker"] if symbol else None


def _market(sentence: str) -> str | None:
    m = MARKET_RE.search(sentence)
    return m["market"] if m else None


def _cause(sentence: str) -> str | None:
    """'... increased in all businesses due to a higher volume from large orders': the cause;
    'To assess the size of net debt, we ...': the purpose a sentence opens with."""
    m = CAUSE_RE.search(sentence)
    if m:
        return sentence[m.start() :].strip().rstrip(".:;")
    purpose = PURPOSE_RE.match(sentence)
    return purpose["purpose"].strip() if purpose else None


def _introduced(sentence: str) -> str | None:
    m = TABLE_INTRO_RE.search(sentence)
    if not m:
        lead = LEAD_IN_RE.search(sentence)
        return lead["what"].strip() if lead else _heading(sentence)
    what = m["what"] if not m["what"].startswith(",") else f"{m['verb']}{m['what']}"
    return re.sub(r"\s*\([^)]*\bin [^)]*\)\s*$", "", what.strip().rstrip(".:;")) or None


HEADING_NUMBER_RE = re.compile(r"^\s*(?:\(\w{1,3}\)|\w{1,3}[.)])\s+")


def _heading(text: str) -> str | None:
    """A table's heading ('9. Accrued Expenses and Other Liabilities') without its number:
    a title, not a sentence."""
    if text.rstrip().endswith(".") or len(text.split()) > 14:
        return None
    heading = HEADING_NUMBER_RE.sub("", text).strip().rstrip(":").strip()
    return heading if heading and heading[:1].isupper() else None


def _dated(sentence: str) -> str | None:
    m = DATE_IN_DATELINE_RE.search(sentence)
    return m["date"] if m else None


def _first(pattern: re.Pattern[str]) -> Any:
    return lambda sentence: m.group(0) if (m := pattern.search(sentence)) else None


SHAPES = (
    (lambda q: bool(TABLE_ASK_RE.search(q)), _introduced),
    (lambda q: bool(REASON_ASK_RE.search(q)), _cause),
    (lambda q: bool(WHO_RE.search(q)), _titled_name),
    (lambda q: bool(WHERE_BASED_RE.search(q)), _place),
    (lambda q: bool(MARKET_ASK_RE.search(q)), _market),
    (lambda q: bool(TICKER_ASK_RE.search(q)), _ticker),
    (lambda q: bool(DATE_ASK_RE.search(q)), _dated),
    (lambda q: bool(PHONE_ASK_RE.search(q)), _first(PHONE_RE)),
    (lambda q: bool(TIME_ASK_RE.search(q)), _first(TIME_RE)),
    (lambda q: bool(WEB_ASK_RE.search(q)), _first(URL_RE)),
)
