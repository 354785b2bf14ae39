"""Whose release it is and what it reports: company, ticker, reporting period, fiscal calendar.

Read from the document itself (headline, dateline, "(NASDAQ: AAPL)", the sentence that says
which quarter ended when, table captions), never assumed to be calendar quarters: "fiscal 2024
first quarter ended December 30, 2023" is Q1 of a year that ends in September. Pure: lines of
text in, an `Identity` out, or `UnknownIdentity` saying what could not be told.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from index.errors import BotError
from index.legal_names import legal_pattern
from index.periods import DATE_RE, ORDINALS, Period, parse_date

SCAN_LINES = 60
_DATE = r"[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}"
TICKER_RE = re.compile(
    r"\(?\s*(?P<exchange>NASDAQ|Nasdaq|NYSE American|NYSE MKT|NYSE|AMEX|TSX|LSE|OTCQX|OTC)"
    r"(?:\s*(?:GS|GM|CM|Global Select Market|Global Market|Capital Market))?\s*[:：]\s*"
    r"(?P<ticker>[A-Z][A-Z0-9.\-]{0,6})\b"
)
ANNOUNCE_RE = re.compile(
    r"\btoday\s+(?:announced|reported|released|posted)|\b(?:announced|reported)\s+(?:today\s+)?"
    r"(?:its\s+)?(?:financial\s+)?results",
    re.IGNORECASE,
)
DATELINE_SPLIT_RE = re.compile(r"\s(?:--|—|–|-)\s|\)\s*(?:--|—|–)\s*")
LEGAL_NAME_RE = re.compile(
    rf"^(?:©\s*\d{{4}}\s+)?(?P<name>[A-Z][\w&.,'’ -]{{1,60}}?\s(?:{legal_pattern()}))(?=$|\s|,)"
)
QUARTER_ENDED_RE = re.compile(
    r"(?:fiscal\s+(?:year\s+)?(?P<fy1>(?:19|20)\d{2})\s+)?"
    r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal\s+)?quarter"
    r"(?:\s+(?:of\s+)?(?:fiscal\s+)?(?:year\s+)?(?P<fy2>(?:19|20)\d{2}))?"
    r"(?P<between>[^.;]{0,80}?)\b(?:ended|ending)\s+(?P<date>" + _DATE + ")",
    re.IGNORECASE,
)
YEAR_ENDED_RE = re.compile(
    r"(?:fiscal\s+)?year\s+(?P<fy>(?:19|20)\d{2}\s+)?(?:ended|ending)\s+(?P<date>" + _DATE + ")",
    re.IGNORECASE,
)
QUARTER_NAMED_RE = re.compile(
    r"\b(?:(?P<ord>first|second|third|fourth)[\s-]+(?:fiscal\s+)?quarter|Q(?P<q>[1-4]))"
    r"(?:\s+(?:of\s+)?(?:fiscal\s+|FY\s*)?(?P<fy>(?:19|20)\d{2}))?",
    re.IGNORECASE,
)
FISCAL_YEAR_RE = re.compile(r"\bfiscal\s+(?:year\s+)?(?P<fy>(?:19|20)\d{2})\b", re.IGNORECASE)
THREE_MONTHS_RE = re.compile(
    r"\b(?:three\s+months|13\s+weeks|14\s+weeks|quarter)\s+ended\b", re.IGNORECASE
)
WEEKS_RE = re.compile(r"\b(?:13|14|26|27|39|40|52|53)[\s-]+weeks?\b|\b52/53[\s-]+week", re.I)
TRADEMARKS = "®™℠"
EXHIBIT_LABEL_RE = re.compile(r"^\s*(?:exhibit|ex)[\s.-]*\d+(?:\.\d+)?\s*$", re.IGNORECASE)
APPOSITIVE_RE = re.compile(
    r"\s*,\s*(?:a|an|the|one|which|who|whose|headquartered|based|parent|maker|provider)\b",
    re.IGNORECASE,
)


class UnknownIdentity(BotError):
    """The document does not say whose release it is or which period it reports."""


@dataclass(frozen=True)
class Identity:
    """A release's company, its ticker when printed, the period it reports and its fiscal
    calendar: the month the fiscal year ends, and whether periods are counted in weeks."""

    company: str
    ticker: str | None
    exchange: str | None
    period: Period
    year_end_month: int
    weeks: bool = False


def identify(lines: Sequence[str], captions: Sequence[str] = ()) -> Identity:
    """The identity of a release from its text lines (and its tables' column captions)."""
    head = [" ".join(x.split()) for x in lines[:SCAN_LINES] if x.strip()]
    text = " ".join(head)
    company = company_name(head, lines)
    if company is None:
        raise UnknownIdentity("cannot tell the company: no dateline, ticker or legal name")
    ticker = TICKER_RE.search(text)
    period, year_end_month = reporting_period(text, captions)
    weeks = bool(WEEKS_RE.search(" ".join([text, *captions])))
    return Identity(
        company,
        ticker["ticker"] if ticker else None,
        ticker["exchange"].upper() if ticker else None,
        period,
        year_end_month,
        weeks,
    )


def headline(lines: Sequence[str]) -> str | None:
    """The release's first printed line that is not a filing's exhibit label ("Exhibit 99.1",
    "EX-99.1"): its title."""
    return next((t for x in lines if (t := x.strip()) and not EXHIBIT_LABEL_RE.match(t)), None)


# --- the company -------------------------------------------------------------------------


def company_name(head: Sequence[str], lines: Sequence[str]) -> str | None:
    """The name the dateline gives ("Apple® today announced"), in its legal form when the
    document prints one that starts with it ("Apple Inc.")."""
    short = _dateline_name(head)
    legal = _legal_names(lines)
    if short:
        longer = [n for n in legal if n.startswith(short)]
        return longer[0] if longer else short
    return legal[0] if legal else None


def _dateline_name(head: Sequence[str]) -> str | None:
    for line in head:
        m = ANNOUNCE_RE.search(line) or TICKER_RE.search(line)
        if m is None:
            continue
        subject = DATELINE_SPLIT_RE.split(line[: m.start()])[-1]
        subject = TICKER_RE.sub("", subject)
        subject = APPOSITIVE_RE.split(re.sub(r"\(\s*\)", "", subject))[0]
        subject = "".join(c for c in subject if c not in TRADEMARKS).strip(" ,()")
        if subject and subject[0].isupper() and len(subject.split()) <= 6:
            return subject
    return None


def _legal_names(lines: Sequence[str]) -> list[str]:
    """Lines that are a company's legal name and nothing else, most printed first."""
    found: Counter[str] = Counter()
    for line in lines:
        t = " ".join(line.split())
        m = LEGAL_NAME_RE.match(t)
        if m and (len(t) <= len(m["name"]) + 1 or t.startswith("©")):
            found[m["name"].rstrip(",")] += 1
    return [n for n, _ in found.most_common()]


# --- the period and the calendar ---------------------------------------------------------


def reporting_period(text: str, captions: Sequence[str] = ()) -> tuple[Period, int]:
    """The period the release reports and the month its fiscal year ends: from the sentence
    that says which quarter (or year) ended when, else from a quarter it names and the latest
    three-month column of its tables."""
    m = QUARTER_ENDED_RE.search(text)
    if m:
        end = parse_date(m["date"])
        quarter = ORDINALS[m["ord"].lower()]
        fy = m["fy1"] or m["fy2"] or _fiscal_near(m["between"])
        if end is not None:
            return _quarter(quarter, end, int(fy) if fy else None)
    y = YEAR_ENDED_RE.search(text)
    if y and (end := parse_date(y["date"])):
        month = _month_of(end)
        return Period("year", _year_ending(end), None, end), month
    named = QUARTER_NAMED_RE.search(text)
    end = _latest_quarter_end(captions)
    if named and end is not None:
        quarter = int(named["q"] or ORDINALS[named["ord"].lower()])
        fy = named["fy"] or _fiscal_near(text)
        return _quarter(quarter, end, int(fy) if fy else None)
    raise UnknownIdentity("cannot tell the reporting period: no 'quarter ended DATE' or caption")


def _fiscal_near(text: str | None) -> str | None:
    m = FISCAL_YEAR_RE.search(text or "")
    return m["fy"] if m else None


def _month_of(end: date) -> int:
    """The month a period ends in: a 52/53-week period ending in a month's first days
    belongs to the month before."""
    return end.month if end.day > 7 else (end.month - 2) % 12 + 1


def _year_ending(end: date) -> int:
    return end.year - 1 if end.month == 1 and end.day <= 7 else end.year


def _quarter(quarter: int, end: date, fiscal_year: int | None) -> tuple[Period, int]:
    """Quarter `quarter` ends on `end`: the fiscal year ends 3 x (4 - quarter) months later."""
    month = _month_of(end)
    ahead = 3 * (4 - quarter)
    year_end_month = (month + ahead - 1) % 12 + 1
    year = end.year if end.month >= month else end.year - 1
    fy = fiscal_year or (year + (month + ahead - 1) // 12)
    return Period("quarter", fy, quarter, end), year_end_month


def _latest_quarter_end(captions: Sequence[str]) -> date | None:
    ends = [
        d
        for c in captions
        if THREE_MONTHS_RE.search(c)
        for m in DATE_RE.finditer(c)
        if (d := parse_date(m.group(0)))
    ]
    return max(ends) if ends else None
