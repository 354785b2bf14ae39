"""The LangChain agent: a configured chat model calling the planner's three tools.

It widens what the bot can take (free phrasing, several steps) without loosening exactness:
its final text goes through the number guard, and the `Answer` it builds cites the facts and
passages the tools returned. Imported only when a model is configured, so `bot ask` stays fast.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from string import Template
from typing import Any, TypeVar

from langchain.agents import create_agent
from langchain.agents.middleware import (
    AgentMiddleware,
    ModelRefusalMiddleware,
    ToolErrorMiddleware,
    hook_config,
)
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AnyMessage, BaseMessage, HumanMessage, ToolMessage

from bot.answer import Answer, Citation, Value, cite, value_of
from bot.conversation import Conversation
from bot.guard import Verdict, check
from bot.pipeline import Pipeline
from bot.text import content_tokens, tokens
from bot.tools import Toolbox, TurnRecord, langchain_tools, prompt
from index.chunks import sentences
from index.config import Settings
from index.errors import BotError
from index.facts import Fact

log = logging.getLogger(__name__)
T = TypeVar("T")

# Provider prefix of BOT_MODEL -> the extra of this package that installs its integration.
EXTRAS = {
    "openai": "openai",
    "azure_openai": "openai",
    "ollama": "ollama",
    "anthropic": "anthropic",
}
PROVIDERS = frozenset(
    """openai azure_openai anthropic ollama groq mistralai deepseek together fireworks xai
    google_genai google_vertexai bedrock bedrock_converse huggingface openrouter litellm
    perplexity cohere nvidia ibm upstage""".split()
)
NOT_FOUND_RE = re.compile(
    r"\b(?:the )?release (?:does not|doesn't|did not|didn't) (?:\w+ ){0,2}"
    r"(?:hold|contain|include|give|provide|mention|report|disclose|break|say|state|have|list)"
    r"|\b(?:could not|couldn't|cannot|can't|unable to) (?:find|look|locate|answer|verify|get)"
    r"|\bnot (?:given|reported|disclosed|mentioned|available) in the release\b"
    r"|\bno (?:figure|data|information|mention) (?:for|on|about|of)\b",
    re.I,
)
THINK_RE = re.compile(r"<think>.*?</think>\s*", re.S | re.I)
LINE_REF_RE = re.compile(r"\blines?\s+(\d+)(?:\s*[-–]\s*(\d+))?", re.I)


class AgentUnavailable(BotError):
    """The configured model cannot be set up (its package is missing, BOT_MODEL is malformed)."""


class AgentFailed(BotError):
    """The model failed during a turn: timed out, refused, unreachable, looped, sent bad calls."""


@dataclass(frozen=True)
class AgentLimits:
    """Bounds on one turn, so a slow or looping model ends in an answer, not a hang."""

    max_model_calls: int = 8
    timeout_s: float = 60.0
    history_turns: int = 6


@dataclass(frozen=True)
class AgentTurn:
    """One agent turn: the answer to show if it holds, the draft, and what the guard found."""

    answer: Answer
    draft: str = ""
    verdict: Verdict | None = None
    error: str | None = None
    steps: tuple[str, ...] = field(default=(), compare=False)

    @property
    def verified(self) -> bool:
        return self.error is None and self.verdict is not None and self.verdict.ok


def system_prompt(planner: Pipeline) -> str:
    """The system prompt and the answer style, from prompts/, filled with the release's scope."""
    ctx = planner.ctx
    years = list(ctx.years) or [0]
    lq = ctx.latest_quarter
    coverage = f"fiscal {years[0]}–{years[-1]}, quarters Q1 {years[0]} to Q{lq[1]} {lq[0]}"
    text = prompt("system.md") + "\n\n" + prompt("answer_style.md")
    return Template(text).safe_substitute(company=ctx.company, coverage=coverage)


def chat_model_from_settings(settings: Settings, timeout_s: float = 60.0) -> BaseChatModel:
    """The chat model BOT_MODEL / BOT_BASE_URL name; a missing package is one clear sentence."""
    if settings.base_url:
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise AgentUnavailable(
                "BOT_BASE_URL needs the OpenAI-compatible client: pip install 'earnings-bot[openai]'"
            ) from exc
        name = settings.model or "local"
        provider, _, rest = name.partition(":")
        if rest and provider in PROVIDERS:
            name = rest
        return ChatOpenAI(
            model=name,
            base_url=settings.base_url,
            api_key=settings.api_key or "not-needed",  # type: ignore[arg-type]
            temperature=0,
            timeout=timeout_s,
            max_retries=1,
        )
    spec = settings.model or ""
    provider, _, name = spec.partition(":")
    if not name or provider not in PROVIDERS:
        raise AgentUnavailable(
            f"BOT_MODEL must read provider:model, e.g. openai:gpt-4o-mini or ollama:qwen3 "
            f"(got '{spec}'); for a local OpenAI-compatible server set BOT_BASE_URL instead"
        )
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, Any] = {"temperature": 0}
    if provider == "ollama":
        kwargs["client_kwargs"] = {"timeout": timeout_s}
    else:
        kwargs |= {"timeout": timeout_s, "max_retries": 1}
        if settings.api_key:
            kwargs["api_key"] = settings.api_key
    try:
        return init_chat_model(spec, **kwargs)
    except ImportError as exc:
        extra = EXTRAS.get(provider)
        how = (
            f"pip install 'earnings-bot[{extra}]'"
            if extra
            else f"pip install langchain-{provider.replace('_', '-')}"
        )
        raise AgentUnavailable(f"BOT_MODEL={spec} needs the {provider} integration: {how}") from exc
    except Exception as exc:  # a provider's own set-up error: missing key, bad option
        raise AgentUnavailable(f"could not set up BOT_MODEL={spec}: {_first_line(exc)}") from exc


def build_agent(
    model: BaseChatModel,
    tools: Sequence[Any],
    system_prompt: str,
    middleware: Sequence[AgentMiddleware] = (),
) -> Any:
    """The LangChain 1.x agent graph: the model, the tools, and error handling around both."""
    return create_agent(
        model,
        list(tools),
        system_prompt=system_prompt,
        middleware=[
            ToolErrorMiddleware(on_error=_tool_error),
            RetryUnreadableCalls(),
            ModelRefusalMiddleware(),  # a refusal block is an error, not an answer
            *middleware,
        ],
    )


def _tool_error(exc: Exception, request: Any) -> str:
    """A tool that raised becomes an error result the model can read and act on."""
    name = request.tool_call.get("name", "tool")
    return f"Error: {name} failed: {type(exc).__name__}: {_first_line(exc)}"


class RetryUnreadableCalls(AgentMiddleware):
    """A reply holding only unparseable tool calls goes back to the model, not to the user.

    create_agent ends the loop when a reply has no valid tool call; its next model call would
    tell the model its arguments were malformed, so jump there instead.
    """

    @hook_config(can_jump_to=["model"])
    def after_model(self, state: Any, runtime: Any) -> dict[str, Any] | None:
        last = state["messages"][-1]
        if isinstance(last, AIMessage) and last.invalid_tool_calls and not last.tool_calls:
            return {"jump_to": "model"}
        return None


class Deadline(AgentMiddleware):
    """Stops the loop before another model call once the turn has used its time."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.started = time.monotonic()

    def before_model(self, state: Any, runtime: Any) -> dict[str, Any] | None:
        if time.monotonic() - self.started > self.seconds:
            raise TimeoutError(f"the turn took longer than {self.seconds:g} seconds")
        return None


class AgentBrain:
    """Answers with a chat model over the tools; every answer carries a guard verdict."""

    def __init__(
        self, planner: Pipeline, model: BaseChatModel, limits: AgentLimits | None = None
    ) -> None:
        self.planner = planner
        self.model = model
        self.limits = limits or AgentLimits()
        self.system_prompt = system_prompt(planner)

    def answer(self, question: str, conversation: Conversation | None = None) -> Answer:
        return self.run(question, conversation).answer

    def run(self, question: str, conversation: Conversation | None = None) -> AgentTurn:
        """One turn: a fresh toolbox (its record is this turn's evidence), the graph, the guard."""
        box = Toolbox(self.planner)
        record = box.new_turn()
        graph = build_agent(
            self.model, langchain_tools(box), self.system_prompt, [Deadline(self.limits.timeout_s)]
        )
        history = _history(conversation, self.limits.history_turns)
        messages: list[BaseMessage] = [*history, HumanMessage(question)]
        try:
            out = _within(
                self.limits.timeout_s,
                lambda: graph.invoke(
                    {"messages": messages},
                    {"recursion_limit": 2 * self.limits.max_model_calls + 1},
                ),
            )
        except Exception as exc:  # every model or graph failure ends in an answer
            reason = _failure(exc, self.limits)
            # The answer says why; the trace is for whoever turns debug logging on.
            log.info("agent failed on %r: %s", question[:200], reason)
            log.debug("agent failure", exc_info=exc)
            return self._failed(question, reason)
        produced: list[AnyMessage] = out["messages"][len(messages) :]
        steps = tuple(_step(m) for m in produced)
        final = produced[-1] if produced else None
        if not isinstance(final, AIMessage) or final.tool_calls:
            return self._failed(question, "it stopped without a final answer", steps)
        if final.invalid_tool_calls:
            return self._failed(
                question, "it kept sending tool calls the bot could not read", steps
            )
        draft = THINK_RE.sub("", final.text).strip()
        if not draft:
            return self._failed(question, "it returned an empty answer", steps)
        verdict = check(draft, record)
        if not verdict.ok:
            text = (
                "I couldn't verify the language model's answer against the release, so I'm not "
                f"showing it: {verdict.explain()}."
            )
            answer = Answer(question, text, False, brain="agent")
            return AgentTurn(answer, draft, verdict, None, steps)
        citations, values = self._evidence(draft, verdict, record, produced)
        found = _says_found(draft, bool(citations))
        kept = (tuple(citations), tuple(values)) if found else ((), ())
        answer = Answer(question, draft, found, *kept, brain="agent")
        return AgentTurn(answer, draft, verdict, None, steps)

    def _failed(self, question: str, reason: str, steps: tuple[str, ...] = ()) -> AgentTurn:
        text = (
            f"I couldn't get an answer from the language model: {reason}. "
            "Please try again, or ask about a single figure in the release."
        )
        return AgentTurn(Answer(question, text, False, brain="agent"), error=reason, steps=steps)

    def _evidence(
        self, draft: str, verdict: Verdict, record: TurnRecord, produced: list[AnyMessage]
    ) -> tuple[list[Citation], list[Value]]:
        """Citations for what the answer used: table cells, calculations, passages."""
        release = self.planner.ctx.release
        citations: list[Citation] = []
        values: list[Value] = []
        for f in verdict.facts:
            citations.append(cite(f))
            values.append(value_of(f))
        for result in verdict.results:
            calc = _calculation_for(result, produced)
            if calc is not None:
                _cite_calculation(calc, record, release, citations, values)
        passage_numbers = {
            c.figure.digits for c in verdict.checks if not c.facts and c.result is None
        }
        for p in _passages_used(draft, _passages(produced), passage_numbers):
            first, last = p["lines"]
            citations.append(
                Citation(
                    "text",
                    release,
                    (first, last),
                    _best_sentence(draft, p["text"]),
                    section=p.get("section"),
                )
            )
        return citations, values


def _cite_calculation(
    calc: dict[str, Any],
    record: TurnRecord,
    release: str,
    citations: list[Citation],
    values: list[Value],
) -> None:
    """A calculate result the answer used: its operands' cells, then the formula over them."""
    facts = [f for f in (_fact_at(record, o) for o in calc.get("operands", [])) if f is not None]
    for f in facts:
        if cite(f) not in citations:
            citations.append(cite(f))
    lines = [f.line for f in facts] or [0]
    citations.append(
        Citation(
            "calculation",
            release,
            (min(lines), max(lines)),
            quote=calc.get("formula", ""),
            value=calc.get("result"),
        )
    )
    period = facts[0].period if facts else None
    values.append(
        Value(
            calc.get("operation", "calculation"),
            Decimal(calc["result"]),
            calc.get("display", calc["result"]),
            calc.get("unit", ""),
            period.label if period is not None else None,
        )
    )


def _says_found(draft: str, has_evidence: bool) -> bool:
    """False when the model says the release lacks the answer: up front (as the system prompt
    asks), or anywhere in an answer that cites nothing."""
    first = sentences(draft)[:1] or [draft]
    return not NOT_FOUND_RE.search(first[0]) and (has_evidence or not NOT_FOUND_RE.search(draft))


def _within(seconds: float, work: Callable[[], T]) -> T:
    """`work()` or a TimeoutError after `seconds`; the abandoned run stops at its next model
    call (the Deadline middleware), and its thread is a daemon, so exit never waits on it."""
    done: dict[str, Any] = {}
    context = contextvars.copy_context()

    def target() -> None:
        try:
            done["value"] = context.run(work)
        except BaseException as exc:  # handed to the caller's thread
            done["error"] = exc

    thread = threading.Thread(target=target, name="agent-turn", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TimeoutError(f"the turn took longer than {seconds:g} seconds")
    if "error" in done:
        raise done["error"]
    return done["value"]


def _history(conversation: Conversation | None, turns: int) -> list[BaseMessage]:
    """The previous turns as chat messages, so a follow-up reads in context."""
    if conversation is None or turns <= 0:
        return []
    out: list[BaseMessage] = []
    for a in conversation.answers[-turns:]:
        out += [HumanMessage(a.question), AIMessage(a.text)]
    return out


def _failure(exc: BaseException, limits: AgentLimits) -> str:
    """One plain clause for why the model gave no answer."""
    from langgraph.errors import GraphRecursionError

    name = type(exc).__name__
    if isinstance(exc, GraphRecursionError):
        return f"it did not finish within {limits.max_model_calls} steps"
    if isinstance(exc, TimeoutError) or "Timeout" in name:
        return f"it did not answer within {limits.timeout_s:g} seconds"
    if "Connection" in name or isinstance(exc, ConnectionError):
        return "the model server could not be reached"
    if "Refusal" in name:
        return "the model declined to answer"
    if "Authentication" in name or "PermissionDenied" in name:
        return "the model server rejected the API key (check BOT_API_KEY)"
    if "NotFound" in name:
        return "the model server does not know that model (check BOT_MODEL)"
    if isinstance(exc, StopIteration):
        return "the model stopped responding"
    return f"the model call failed ({name}: {_first_line(exc)})"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


def _step(m: AnyMessage) -> str:
    """A one-line trace of a message the agent produced, for logs and test transcripts."""
    if isinstance(m, AIMessage):
        calls = [f"{c['name']}({json.dumps(c['args'])})" for c in m.tool_calls]
        calls += [f"{c.get('name')}<unreadable: {c.get('args')}>" for c in m.invalid_tool_calls]
        return "model: " + ("; ".join(calls) if calls else m.text)
    if isinstance(m, ToolMessage):
        flag = " [error]" if m.status == "error" else ""
        return f"tool {m.name}{flag}: {m.text}"
    return f"{m.type}: {m.text}"


def _tool_json(m: AnyMessage, name: str) -> Any:
    if not isinstance(m, ToolMessage) or m.name != name or m.status == "error":
        return None
    try:
        return json.loads(m.text)
    except ValueError:
        return None


def _calculation_for(result: Decimal, produced: list[AnyMessage]) -> dict[str, Any] | None:
    for m in produced:
        data = _tool_json(m, "calculate")
        if (
            isinstance(data, dict)
            and "result" in data
            and abs(Decimal(data["result"]) - result) < Decimal("0.01")
        ):
            return data
    return None


def _fact_at(record: TurnRecord, operand: dict[str, Any]) -> Fact | None:
    """The recorded fact a calculate operand (as JSON) stands for."""
    for f in record.facts:
        if list(f.lines) == operand.get("lines") and f.period.label == operand.get("period"):
            return f
    return None


def _passages(produced: list[AnyMessage]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for m in produced:
        data = _tool_json(m, "search_text")
        if isinstance(data, list):
            out += [p for p in data if isinstance(p, dict) and "text" in p and "lines" in p]
    return out


def _passages_used(
    draft: str, passages: list[dict[str, Any]], numbers: set[str]
) -> list[dict[str, Any]]:
    """The passages an answer rests on: quoted, cited by line, or the source of its numbers."""
    words = tokens(draft)
    refs = [(int(a), int(b or a)) for a, b in LINE_REF_RE.findall(draft)]
    used, seen = [], set()
    for p in passages:
        key = tuple(p["lines"])
        if key in seen:
            continue
        ptoks = tokens(p["text"])
        cited = any(lo <= key[1] and key[0] <= hi for lo, hi in refs)
        quoted = _shares_run(words, ptoks, 6)
        counted = any(n and n in re.sub(r",", "", p["text"]) for n in numbers)
        if cited or quoted or counted:
            used.append(p)
            seen.add(key)
    return used or _closest_passage(draft, passages)


def _closest_passage(draft: str, passages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The passage that shares most of the answer's words, when it shares at least 60%."""
    mine = set(content_tokens(draft))
    if not passages or not mine:
        return []
    best = max(passages, key=lambda p: len(mine & set(content_tokens(p["text"]))))
    return [best] if len(mine & set(content_tokens(best["text"]))) >= 0.6 * len(mine) else []


def _shares_run(a: list[str], b: list[str], n: int) -> bool:
    grams = {tuple(b[i : i + n]) for i in range(len(b) - n + 1)}
    return any(tuple(a[i : i + n]) in grams for i in range(len(a) - n + 1))


def _best_sentence(draft: str, text: str) -> str:
    mine = set(content_tokens(draft))
    parts = sentences(text) or [text]
    best = max(parts, key=lambda s: len(mine & set(content_tokens(s))))
    return best[:300]
