"""The conversation so far: what a follow-up question inherits."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answer import Answer


@dataclass(frozen=True)
class Conversation:
    """An immutable history of answered turns; `add` returns a new one."""

    turns: tuple[Answer, ...] = ()
    limit: int = 20

    def add(self, answer: Answer) -> Conversation:
        return Conversation((*self.turns, answer)[-self.limit :], self.limit)

    @property
    def last(self) -> Answer | None:
        return self.turns[-1] if self.turns else None
