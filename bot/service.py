"""The bot as one object: stores opened once, a brain chosen by settings, `ask` for everyone.

The CLI, the chat UI, the Slack app and the eval runner all call `Service.ask`; none of them
holds answering logic of its own.
"""

from __future__ import annotations

from bot.answer import Answer
from bot.conversation import Conversation
from index.config import Settings


class Service:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @classmethod
    def open(cls, settings: Settings | None = None) -> Service:
        """Open the index (building it from the bundled release when missing)."""
        return cls(settings or Settings.from_env())

    def excerpt(self, release: str, first: int, last: int, context: int = 2) -> list[tuple[int, str]]:
        """The release's own lines around a citation, numbered, for showing a source as printed."""
        lines = self.settings.release.read_text(encoding="utf-8").splitlines()
        lo, hi = max(1, first - context), min(len(lines), last + context)
        return [(n, lines[n - 1]) for n in range(lo, hi + 1)]

    def ask(
        self,
        question: str,
        conversation: Conversation | None = None,
        brain: str | None = None,
    ) -> Answer:
        return Answer(question=question, text="The planner is not built yet.", found=False)
