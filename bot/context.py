"""One release as the answering stages see it: its facts, calendar, words and metric index."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from bot.metrics import MetricIndex
from bot.text import tokens
from index import legal_names
from index.facts import Fact
from index.periods import Calendar


@dataclass
class Context:
    release: str
    company: str
    facts: list[Fact]
    calendar: Calendar
    vocabulary: set[str]
    aliases: tuple[str, ...] = ()  # the company's other names: 'Infinera Corporation', 'INFN'
    index: MetricIndex = field(init=False)
    years: tuple[int, ...] = field(init=False)
    latest_year: int = field(init=False)
    latest_quarter: tuple[int, int] = field(init=False)

    def __post_init__(self) -> None:
        self.index = MetricIndex(self.facts)
        dated = [f.period for f in self.facts if f.period is not None]
        self.years = tuple(sorted({p.fiscal_year for p in dated}))
        self.latest_year = self.years[-1] if self.years else 0
        quarters = {(p.fiscal_year, p.quarter) for p in dated if p.quarter}
        self.latest_quarter = max(quarters) if quarters else (self.latest_year, 4)

    @cached_property
    def company_words(self) -> frozenset[str]:
        """Words that name the company, however the question spells it ('Infinera Corporation's
        revenue' narrows nothing by 'Corporation')."""
        named = {t for name in (self.company, *self.aliases) for t in tokens(name)}
        return frozenset(named | legal_names.question_words())

    @cached_property
    def label_words(self) -> frozenset[str]:
        """Every word the row labels print, unit notes included ('Revenue ($ Mil)'): a question
        quoting a label narrows its figure by none of them."""
        parts = {part for row in self.index.rows for part in row.row}
        return frozenset(t for part in parts for t in tokens(part))

    @cached_property
    def plain_names(self) -> frozenset[str]:
        """The rows' names without their basis words or '%': what a derived concept's name is
        compared with to tell whether the release prints it."""
        return frozenset(plain_name(r.name) for r in self.index.rows)

    @cached_property
    def column_words(self) -> frozenset[str]:
        """Every word the column headers print ('Americas', 'As reported', 'Fiscal Year Ended
        April 27, 2019'): a question naming a column narrows its figure by a printed member."""
        printed = {f.column for f in self.facts} | {f.member or "" for f in self.facts}
        return frozenset(t for text in printed for t in tokens(text))

    def holds(self) -> str:
        """What the release covers, said when a question asks for something it does not hold."""
        if not self.years:
            return f"The release covers {self.company}'s results."
        first, last = self.years[0], self.years[-1]
        lq = self.latest_quarter
        return (
            f"The release covers {self.company}'s results for fiscal {first}–{last} "
            f"(quarters Q1 {first} to Q{lq[1]} {lq[0]})."
        )


def plain_name(name: str) -> str:
    low = re.sub(r"\b(?:non-gaap|gaap)\b|%", " ", name.lower())
    return " ".join(low.split())
