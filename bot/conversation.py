"""The conversation so far, as data: a tuple of turns, each its typed `Query` and `Answer`.

Nothing about a conversation is kept on a shared object: two users' conversations are two
values, and a follow-up reads only the turns it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answer import Answer
from bot.query import Query


@dataclass(frozen=True)
class Turn:
    """One answered question: what was understood and what was said."""

    answer: Answer
    query: Query | None = None

    @property
    def question(self) -> str:
        return self.answer.question

    @property
    def text(self) -> str:
        return self.answer.text

    @property
    def found(self) -> bool:
        return self.answer.found


@dataclass(frozen=True)
class Conversation:
    """An immutable history of answered turns; `add` returns a new one."""

    turns: tuple[Turn, ...] = ()
    limit: int = 20

    def add(self, answer: Answer, query: Query | None = None) -> Conversation:
        """The conversation with one more turn; the query defaults to the one the answer carries."""
        turn = Turn(answer, query if query is not None else answer.query)
        return Conversation((*self.turns, turn)[-self.limit :], self.limit)

    @property
    def last(self) -> Answer | None:
        return self.turns[-1].answer if self.turns else None

    @property
    def answers(self) -> tuple[Answer, ...]:
        return tuple(t.answer for t in self.turns)

    def previous_query(self) -> Query | None:
        """The latest turn a follow-up can build on: the last one that named a figure. A refused
        turn (a greeting, gibberish) is passed over; a prose question since ends the thread."""
        for turn in reversed(self.turns):
            q = turn.query
            if q is None or q.intent == "refuse":
                continue
            return q if q.answerable_follow_up else None
        return None
