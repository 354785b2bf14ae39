"""What a question asks, as data: the record every stage after `understand` reads.

A follow-up transforms the previous turn's `Query`; nothing about a conversation lives anywhere
but in its turns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from index.periods import PeriodAsk

if TYPE_CHECKING:
    from bot.metrics import Match

RowKey = tuple[int, tuple[str, ...]]


@dataclass(frozen=True)
class Query:
    """One question understood.

    `intent` is what kind of answer it wants (`figure`, `prose`, `audit`, `refuse`); `measures`
    the table rows it resolved to (`matches` the candidates behind them, best first; `concept` a
    derived concept from the catalogue; `several` the measures of a question naming more than
    one); `periods` as asked, relative ones made explicit; `form` the shape wanted (`value`,
    `list`, `series`, `summary`); `currency` a currency the question asks for; `impossible`
    periods no release can have ('Q9'); `unknown` words the release never uses; `words` which
    words each part came from.
    """

    intent: str
    measures: tuple[RowKey, ...] = ()
    periods: tuple[PeriodAsk, ...] = ()
    basis: str | None = None
    operation: str | None = None
    text: str = ""
    form: str = "value"
    currency: str | None = None
    words: tuple[tuple[str, str], ...] = ()
    concept: str | None = None
    impossible: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    follow: bool = False
    confident: bool = False
    table: str | None = None
    tokens: tuple[str, ...] = ()
    matches: tuple[Match, ...] = field(default=(), compare=False, repr=False)
    several: tuple[tuple[str, tuple[Match, ...]], ...] = field(
        default=(), compare=False, repr=False
    )

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    @property
    def answerable_follow_up(self) -> bool:
        """A turn a later follow-up may build on: it named a figure."""
        return self.intent == "figure" and bool(self.measures or self.concept)
