"""The LangChain agent, end to end: the real `create_agent` graph and the real tools over the
bundled release, with a fake chat model scripted to call them. Each case checks the answer a
user would see, including when the model errs, invents a number, or never answers."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from pydantic import Field
from servers import free_port

from bot.agent import (
    AgentBrain,
    AgentLimits,
    AgentTurn,
    AgentUnavailable,
    chat_model_from_settings,
)
from bot.answer import Answer
from bot.brain import Brain, LazyAgent
from bot.conversation import Conversation
from bot.service import Service
from index.config import Settings

Q3_DSO = "What was DSO in Q3 2012?"
GROWTH = "How much did revenue grow in Q4 2012 vs Q4 2011?"
WEBCAST = "Where can I watch the webcast?"
NOT_IN_RELEASE = "What was DSO in Q3 2010?"


class ScriptedChatModel(GenericFakeChatModel):
    """GenericFakeChatModel that accepts tools (the script decides the calls) and keeps every
    message list it was shown, so a test can see what went back to the model."""

    seen: list[list[BaseMessage]] = Field(default_factory=list)

    def bind_tools(self, tools: Any, **kwargs: Any) -> ScriptedChatModel:
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.seen.append(list(messages))
        return super()._generate(messages, *args, **kwargs)


class FailingChatModel(ScriptedChatModel):
    """A model whose every call raises, as a server that is down or a broken client would."""

    error: Exception

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.seen.append(list(messages))
        raise self.error


class SlowChatModel(ScriptedChatModel):
    delay_s: float = 3.0

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        time.sleep(self.delay_s)
        return super()._generate(messages, *args, **kwargs)


@dataclass
class RecordingAgent:
    """The real AgentBrain, keeping its last turn so a test can show the transcript."""

    inner: AgentBrain
    last: AgentTurn | None = None

    def run(self, question: str, conversation: Conversation | None = None) -> AgentTurn:
        self.last = self.inner.run(question, conversation)
        return self.last


def call(name: str, args: dict[str, Any], call_id: str = "call-1") -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": call_id}])


def script(*steps: AIMessage | str) -> ScriptedChatModel:
    return ScriptedChatModel(messages=iter(steps))


@pytest.fixture(scope="module")
def service(service: Service) -> Iterator[Service]:
    """The offline service (no model, whatever the environment says), its brain put back after
    the tests that route it through an agent."""
    original = service.brain
    yield service
    service.brain = original


def use(
    service: Service, model: Any, limits: AgentLimits | None = None
) -> tuple[RecordingAgent, Any]:
    """Route the service through an agent over `model`, as BOT_MODEL would."""
    agent = RecordingAgent(AgentBrain(service.pipeline, model, limits))
    service.brain = Brain(service.pipeline, agent)
    return agent, model


def transcript(question: str, agent: RecordingAgent, answer: Answer) -> str:
    """What happened and what the user saw, for the closing note (pytest -s prints it)."""
    lines = [f"user: {question}"]
    if agent.last is not None:
        lines += [f"  {s[:400]}" for s in agent.last.steps]
        if agent.last.verdict is not None:
            lines += [f"  guard: {c.figure.text!r} {c.reason}" for c in agent.last.verdict.checks]
        if agent.last.error:
            lines.append(f"  error: {agent.last.error}")
    lines.append(f"bot [{answer.brain}, found={answer.found}]: {answer.text}")
    lines += [f"  source: {c.short()}" for c in answer.citations]
    return "\n".join(lines)


def ask_scripted(
    service: Service, question: str, *steps: AIMessage | str
) -> tuple[RecordingAgent, ScriptedChatModel, Answer]:
    """Ask `question` of the agent, the model scripted to take `steps`; the transcript is printed."""
    agent, model = use(service, script(*steps))
    answer = service.ask(question, brain="agent")
    print(transcript(question, agent, answer))
    return agent, model, answer


# -- the scripted cases --------------------------------------------------------------------


def test_a_lookup_answer_is_shown_with_its_citation(service: Service) -> None:
    agent, _, answer = ask_scripted(
        service,
        Q3_DSO,
        call("lookup_table", {"metric": "DSO", "period": "Q3 2012"}),
        "DSO was 74 days in Q3 2012 (Supplemental Financial Information, line 493).",
    )
    assert answer.brain == "agent" and answer.found
    assert "74 days" in answer.text
    table = [c for c in answer.citations if c.kind == "table"]
    assert [(c.lines, c.value, c.period) for c in table] == [((493, 493), "74", "Q3 2012")]


def test_a_calculation_over_two_lookups_cites_both_operands(service: Service) -> None:
    operands = [
        {"metric": "total revenue", "period": "Q4 2012"},
        {"metric": "total revenue", "period": "Q4 2011"},
    ]
    agent, _, answer = ask_scripted(
        service,
        GROWTH,
        call("lookup_table", {"metric": "total revenue", "period": "Q4 2012"}, "call-1"),
        call("lookup_table", {"metric": "total revenue", "period": "Q4 2011"}, "call-2"),
        call("calculate", {"operation": "growth", "operands": operands}, "call-3"),
        "Total revenue grew 14.3%, from $112,009 thousand in Q4 2011 to $128,064 thousand "
        "in Q4 2012 (GAAP Condensed Consolidated Statements of Operations, line 67).",
    )
    assert answer.brain == "agent" and answer.found
    assert "14.3%" in answer.text
    kinds = [c.kind for c in answer.citations]
    assert "calculation" in kinds
    calc = next(c for c in answer.citations if c.kind == "calculation")
    assert calc.value == "14.3337" and calc.lines == (67, 67)
    periods = {c.period for c in answer.citations if c.kind == "table" and c.lines == (67, 67)}
    assert periods == {"Q4 2012", "Q4 2011"}
    assert any(v.name == "growth" and f"{v.value:.1f}" == "14.3" for v in answer.values)


def test_a_narrative_search_is_cited_by_its_lines(service: Service) -> None:
    agent, _, answer = ask_scripted(
        service,
        WEBCAST,
        call("search_text", {"query": "webcast conference call"}),
        'The live webcast is available from the "Investor Relations" section of the '
        "company's website at www.infinera.com (Conference Call Information, line 29).",
    )
    assert answer.brain == "agent" and answer.found
    assert "Investor Relations" in answer.text
    text = [c for c in answer.citations if c.kind == "text"]
    assert [c.lines for c in text] == [(29, 29)]
    assert "Investor Relations" in text[0].quote


def test_bad_tool_arguments_go_back_to_the_model_which_recovers(service: Service) -> None:
    question = "By how much did revenue grow year over year in Q4 2012?"
    agent, model, answer = ask_scripted(
        service,
        question,
        call("calculate", {"operation": "growth", "operands": "revenue Q4 2012 vs 2011"}),
        AIMessage(
            content="",
            invalid_tool_calls=[
                {
                    "type": "invalid_tool_call",
                    "name": "lookup_table",
                    "args": '{"metric": "revenue", "period": ',
                    "id": "call-2",
                    "error": "unterminated JSON",
                }
            ],
        ),
        call(
            "calculate",
            {
                "operation": "growth",
                "operands": [
                    {"metric": "total revenue", "period": "Q4 2012"},
                    {"metric": "total revenue", "period": "Q4 2011"},
                ],
            },
            "call-3",
        ),
        "Total revenue grew 14.3% in Q4 2012 over Q4 2011, from $112,009 thousand to "
        "$128,064 thousand (GAAP Condensed Consolidated Statements of Operations, line 67).",
    )
    errors = [m for m in model.seen[-1] if isinstance(m, ToolMessage) and m.status == "error"]
    assert len(errors) == 2
    assert "operands" in errors[0].text  # the validation error names the bad argument
    assert "malformed" in errors[1].text
    assert answer.brain == "agent" and answer.found and "14.3%" in answer.text


def test_a_model_that_gives_up_after_a_tool_error_says_so(service: Service) -> None:
    agent, model, answer = ask_scripted(
        service,
        NOT_IN_RELEASE,
        call("lookup_table", {"period": "Q3 2012"}),
        "I could not look the figure up: the lookup tool rejected my arguments.",
    )
    assert agent.last is not None and agent.last.verified
    assert not answer.found
    assert "could not look the figure up" in answer.text  # the planner found nothing either
    assert any(isinstance(m, ToolMessage) and m.status == "error" for m in model.seen[-1])


def test_an_invented_number_is_caught_and_the_planner_answers(service: Service) -> None:
    agent, _, answer = ask_scripted(
        service,
        Q3_DSO,
        call("lookup_table", {"metric": "DSO", "period": "Q3 2012"}),
        "DSO was 81 days in Q3 2012 (Supplemental Financial Information, line 493).",
    )
    assert agent.last is not None and not agent.last.verified
    assert agent.last.verdict is not None
    assert [c.figure.text for c in agent.last.verdict.unsupported] == ["81 days"]
    assert answer.brain == "planner" and answer.found
    assert "81" not in answer.text and "74 days" in answer.text


def test_an_invented_number_with_no_planner_answer_is_not_shown(service: Service) -> None:
    agent, _, answer = ask_scripted(
        service,
        NOT_IN_RELEASE,
        call("lookup_table", {"metric": "DSO", "period": "Q3 2010"}),
        "DSO was 81 days in Q3 2010.",
    )
    assert not answer.found and answer.brain == "agent"
    assert answer.text.startswith("I couldn't verify the language model's answer")
    assert "'81 days' does not match any figure the tools returned" in answer.text
    assert "DSO was 81 days" not in answer.text


def test_a_model_error_ends_in_a_clear_answer_and_the_conversation_goes_on(
    service: Service,
) -> None:
    import httpx
    import openai

    down = openai.APIConnectionError(request=httpx.Request("POST", "http://127.0.0.1:1/v1"))
    agent, _ = use(service, FailingChatModel(messages=iter([]), error=down))
    answer = service.ask(NOT_IN_RELEASE)
    print(transcript(NOT_IN_RELEASE, agent, answer))
    assert not answer.found and answer.brain == "agent"
    assert answer.text.startswith(
        "I couldn't get an answer from the language model: the model server could not be reached."
    )
    conversation = Conversation().add(answer)
    follow = service.ask(Q3_DSO, conversation)
    assert follow.found and "74 days" in follow.text  # the planner is confident: no model call


def test_a_model_error_on_a_question_the_planner_knows_shows_the_planner(
    service: Service,
) -> None:
    use(service, FailingChatModel(messages=iter([]), error=RuntimeError("boom")))
    answer = service.ask(Q3_DSO, brain="agent")
    assert answer.brain == "planner" and answer.found and "74 days" in answer.text


# -- the limits around a model --------------------------------------------------------------


def test_a_model_server_that_is_down_is_reported_plainly(service: Service) -> None:
    port = free_port()  # nothing listens there
    settings = replace(service.settings, base_url=f"http://127.0.0.1:{port}/v1", model=None)
    model = chat_model_from_settings(settings, timeout_s=5)
    agent, _ = use(service, model)
    answer = service.ask(NOT_IN_RELEASE, brain="agent")
    print(transcript(NOT_IN_RELEASE, agent, answer))
    assert not answer.found
    assert "the model server could not be reached" in answer.text


def test_a_slow_model_times_out(service: Service) -> None:
    slow = SlowChatModel(messages=iter(["DSO was 74 days in Q3 2012."]), delay_s=2.0)
    agent, _ = use(service, slow, AgentLimits(timeout_s=0.3))
    t0 = time.monotonic()
    answer = service.ask(NOT_IN_RELEASE, brain="agent")
    assert time.monotonic() - t0 < 1.5
    assert not answer.found
    assert "it did not answer within 0.3 seconds" in answer.text


def test_a_model_that_never_stops_calling_tools_is_cut_off(service: Service) -> None:
    calls = (call("lookup_table", {"metric": "DSO"}, f"call-{i}") for i in range(100))
    agent, _ = use(service, ScriptedChatModel(messages=calls), AgentLimits(max_model_calls=3))
    answer = service.ask(NOT_IN_RELEASE, brain="agent")
    assert not answer.found
    assert "it did not finish within 3 steps" in answer.text


def test_a_refusal_is_a_clear_answer(service: Service) -> None:
    refusal = AIMessage(content=[{"type": "refusal", "refusal": "I can't help with that."}])
    agent, _ = use(service, script(refusal))
    answer = service.ask(NOT_IN_RELEASE, brain="agent")
    assert not answer.found
    assert "the model declined to answer" in answer.text


# -- routing ----------------------------------------------------------------------------------


def test_the_planner_answers_what_it_is_sure_of_without_the_model(service: Service) -> None:
    agent, model = use(service, script())
    answer = service.ask(Q3_DSO)
    assert answer.brain == "planner" and "74 days" in answer.text
    assert model.seen == []


def test_the_agent_takes_what_the_planner_cannot_answer(service: Service) -> None:
    agent, model = use(
        service,
        script(
            call("lookup_table", {"metric": "DSO", "period": "Q3 2010"}),
            "The release does not give DSO for Q3 2010; it gives DSO for Q1 2011 to Q4 2012.",
        ),
    )
    answer = service.ask(NOT_IN_RELEASE)
    assert len(model.seen) == 2
    assert answer.brain == "agent" and not answer.found
    assert answer.citations == ()


def test_brain_planner_never_calls_the_model(service: Service) -> None:
    agent, model = use(service, script())
    answer = service.ask(NOT_IN_RELEASE, brain="planner")
    assert answer.brain == "planner" and model.seen == []


def test_brain_agent_without_a_model_says_how_to_configure_one(service: Service) -> None:
    service.brain = Brain(service.pipeline, None)
    answer = service.ask(NOT_IN_RELEASE, brain="agent")
    assert not answer.found and "BOT_MODEL" in answer.text


def test_earlier_turns_reach_the_model_as_messages(service: Service) -> None:
    first = service.ask(Q3_DSO, brain="planner")
    agent, model = use(
        service,
        script(
            call("lookup_table", {"metric": "DSO", "period": "Q2 2012"}),
            "DSO was 80 days in Q2 2012.",
        ),
    )
    service.ask("and the quarter before?", Conversation().add(first), brain="agent")
    shown = model.seen[0]
    humans = [m.text for m in shown if isinstance(m, HumanMessage)]
    assert humans == [Q3_DSO, "and the quarter before?"]
    assert any(isinstance(m, AIMessage) and "74 days" in m.text for m in shown)
    assert shown[0].type == "system" and "lookup_table" in shown[0].text


# -- configuration -------------------------------------------------------------------------


def test_the_service_builds_the_agent_only_on_first_use(service: Service) -> None:
    settings = replace(service.settings, model="anthropic:claude-test", base_url=None)
    svc = Service(settings, service.facts, service.release)
    assert isinstance(svc.brain.agent, LazyAgent) and svc.brain.agent._agent is None
    assert svc.ask(Q3_DSO).brain == "planner"
    assert svc.brain.agent._agent is None
    answer = svc.ask(NOT_IN_RELEASE)
    assert not answer.found
    assert "pip install 'earnings-bot[anthropic]'" in answer.text


def test_no_model_configured_means_no_agent(service: Service) -> None:
    svc = Service(service.settings, service.facts, service.release)
    assert svc.brain.agent is None


def test_a_missing_provider_package_names_the_extra() -> None:
    for spec, extra in [("anthropic:claude-x", "anthropic"), ("ollama:qwen3", "ollama")]:
        settings = Settings.from_env({"BOT_MODEL": spec})
        with pytest.raises(AgentUnavailable) as err:
            chat_model_from_settings(settings)
        message = str(err.value)
        assert f"pip install 'earnings-bot[{extra}]'" in message and "\n" not in message


def test_a_malformed_bot_model_is_explained() -> None:
    with pytest.raises(AgentUnavailable, match="provider:model"):
        chat_model_from_settings(Settings.from_env({"BOT_MODEL": "gpt4"}))


def test_a_base_url_means_an_openai_compatible_server() -> None:
    from langchain_openai import ChatOpenAI

    env = {"BOT_BASE_URL": "http://127.0.0.1:8080/v1", "BOT_MODEL": "openai:qwen2.5-7b"}
    model = chat_model_from_settings(Settings.from_env(env))
    assert isinstance(model, ChatOpenAI)
    assert model.model_name == "qwen2.5-7b" and model.openai_api_base == env["BOT_BASE_URL"]
    bare = chat_model_from_settings(Settings.from_env({"BOT_BASE_URL": env["BOT_BASE_URL"]}))
    assert isinstance(bare, ChatOpenAI) and bare.model_name == "local"
    tagged = Settings.from_env({**env, "BOT_MODEL": "qwen3:8b"})
    assert chat_model_from_settings(tagged).model_name == "qwen3:8b"  # an Ollama tag, kept


# -- a live server, when there is one ------------------------------------------------------


@pytest.mark.skipif(
    not os.environ.get("BOT_TEST_BASE_URL"),
    reason="BOT_TEST_BASE_URL is not set: no live OpenAI-compatible server to test against",
)
def test_a_live_model_answers_a_lookup(service: Service) -> None:
    settings = replace(
        service.settings,
        base_url=os.environ["BOT_TEST_BASE_URL"],
        model=os.environ.get("BOT_TEST_MODEL"),
        api_key=os.environ.get("BOT_TEST_API_KEY"),
    )
    agent, _ = use(service, chat_model_from_settings(settings, timeout_s=120))
    answer = service.ask(Q3_DSO, brain="agent")
    print(transcript(Q3_DSO, agent, answer))
    assert answer.found and "74" in answer.text  # the agent's, or the planner's after the guard
