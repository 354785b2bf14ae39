"""Routing between the two brains: the offline planner first, the agent where it helps.

The planner answers what it is confident about (a found answer resting on a table cell, a
calculation or a quote); the agent, when a model is configured, takes the rest. An agent answer
is shown only when the number guard passed; otherwise the planner's found answer is, or a plain
"could not verify". Every path ends in an `Answer`, so the interfaces never see the difference.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Protocol

from bot.answer import Answer
from bot.conversation import Conversation
from bot.pipeline import Pipeline
from index.config import Settings
from index.errors import BadQuestion, BotError

if TYPE_CHECKING:
    import logging

    from bot.agent import AgentTurn


def _log() -> logging.Logger:
    """Logging is imported with the first message: a cold `bot ask` usually writes none."""
    import logging

    return logging.getLogger(__name__)


BRAINS = ("planner", "agent")


class Agent(Protocol):
    def run(self, question: str, conversation: Conversation | None = None) -> AgentTurn: ...


class LazyAgent:
    """The agent for BOT_MODEL / BOT_BASE_URL, built on its first question (LangChain is slow
    to import), or the one-line reason it cannot be built, kept so it is not retried per turn."""

    def __init__(self, settings: Settings, planner: Pipeline) -> None:
        self.settings = settings
        self.planner = planner
        self._agent: Agent | None = None
        self._unavailable: str | None = None
        self._lock = threading.Lock()

    def run(self, question: str, conversation: Conversation | None = None) -> AgentTurn:
        from bot.agent import AgentBrain, AgentTurn, AgentUnavailable, chat_model_from_settings

        with self._lock:
            if self._agent is None and self._unavailable is None:
                try:
                    model = chat_model_from_settings(self.settings)
                    self._agent = AgentBrain(self.planner, model)
                except AgentUnavailable as exc:
                    self._unavailable = str(exc)
            agent, reason = self._agent, self._unavailable
        if agent is None:
            text = f"The language model is not available: {reason}."
            return AgentTurn(Answer(question, text, False, brain="agent"), error=reason)
        return agent.run(question, conversation)


class Brain:
    """Chooses who answers. `agent` is anything with `run` (an AgentBrain, a LazyAgent) or None."""

    def __init__(
        self,
        planner: Pipeline,
        agent: Agent | None = None,
        lock: AbstractContextManager[object] | None = None,
    ) -> None:
        self.planner = planner
        self.agent = agent
        self._lock = lock or nullcontext()

    def answer(
        self, question: str, conversation: Conversation | None = None, brain: str | None = None
    ) -> Answer:
        if brain is not None and brain not in BRAINS:
            raise BadQuestion(f"Unknown brain '{brain}'; use one of: {', '.join(BRAINS)}.")
        if brain == "planner":
            return self._plan(question, conversation)
        if self.agent is None:
            if brain == "agent":
                text = (
                    "No language model is configured, so the agent cannot answer. Set BOT_MODEL "
                    "(e.g. openai:gpt-4o-mini) or BOT_BASE_URL to switch it on."
                )
                return Answer(question, text, False, brain="agent")
            return self._plan(question, conversation)
        planned = self._plan_or_none(question, conversation)
        if brain is None and planned is not None and confident(planned):
            return planned
        return self._with_agent(question, conversation, planned)

    def _with_agent(
        self, question: str, conversation: Conversation | None, planned: Answer | None
    ) -> Answer:
        """The agent's answer when the guard passed it; else the planner's found one."""
        if self.agent is None:
            return planned or Answer(question, "No brain could answer that.", False)
        turn = self.agent.run(question, conversation)
        if turn.verified and turn.answer.found:
            return turn.answer
        if not turn.verified:
            _log().info(
                "agent answer not shown (%s): %r",
                turn.error or (turn.verdict.explain() if turn.verdict else "no verdict"),
                turn.draft[:300],
            )
        if planned is not None and planned.found:
            return planned
        return turn.answer

    def _plan(self, question: str, conversation: Conversation | None) -> Answer:
        with self._lock:
            return self.planner.answer(question, conversation)

    def _plan_or_none(self, question: str, conversation: Conversation | None) -> Answer | None:
        """The planner's answer; a planner bug must not keep the agent from answering."""
        try:
            return self._plan(question, conversation)
        except BotError:
            raise
        except Exception:
            _log().exception("planner failed on %r; the agent takes it", question[:200])
            return None


def confident(answer: Answer) -> bool:
    """A found answer that rests on a table cell, a calculation or a quoted passage."""
    return answer.found and any(
        c.kind in {"table", "calculation", "text"} for c in answer.citations
    )
