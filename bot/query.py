"""What a question asks, as data: the record every stage after `understand` reads.

A follow-up transforms the previous turn's `Query`; nothing about a conversation lives anywhere
but in its turns.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.periods import PeriodAsk

RowKey = tuple[int, tuple[str, ...]]


@dataclass(frozen=True)
class Query:
    """One question understood.

    `intent` is what kind of answer it wants (`figure`, `prose`, `audit`, `refuse`); `measures`
    the table rows it resolved to; `periods` as asked (relative ones already made explicit);
    `form` the shape wanted (`value`, `list`, `series`, `summary`); `currency` a currency the
    question asks for; `words` which words of the question each part came from.
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

    @property
    def answerable_follow_up(self) -> bool:
        """A turn a later follow-up may build on: it named a figure."""
        return self.intent == "figure" and bool(self.measures)
