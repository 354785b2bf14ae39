"""The operations registry: every module of bot/ops registers its operations, and the pipeline
finds each by name."""

from __future__ import annotations

import pkgutil
import re

import pytest

import bot.intent
import bot.ops
from bot.answer import Answer, cite
from bot.ops import REGISTRY, Operation, Request, answering, asked, calculations, load, readings
from bot.ops.registry import cue_pattern, register
from bot.phrase import found
from bot.query import Query
from bot.service import Service
from bot.understand import understand
from index.periods import PeriodAsk


def test_every_module_of_the_package_registers_an_operation() -> None:
    modules = {f"bot.ops.{m.name}" for m in pkgutil.iter_modules(bot.ops.__path__)}
    declared = {
        fn.__module__
        for op in load().values()
        for fn in (op.compute, op.asks, op.answer, op.operate)
        if fn is not None
    }
    assert modules - {f"bot.ops.{name}" for name in bot.ops.HELPERS} <= declared


def test_the_calculations_are_the_operations_with_arithmetic() -> None:
    names = calculations()
    assert {"growth", "difference", "ratio", "sum", "average", "cagr"} <= set(names)
    assert "points" not in names and "summary" not in names


@pytest.mark.parametrize("name", ["summary", "several", "count", "highest", "lowest", "cagr"])
def test_operations_that_answer_a_question_whole_are_found_by_name(name: str) -> None:
    op = answering(name)
    assert op is not None and op.asks is not None and op.answer is not None


def test_a_lookup_is_answered_by_no_registered_operation() -> None:
    assert answering(None) is None and answering("growth") is None


def test_an_operation_is_asked_by_its_own_cue_words_in_rank_order() -> None:
    q = Query("figure", text="Give me a summary of the highest quarter")
    assert asked(q, q.text) == "summary"
    assert asked(Query("figure", text="revenue in Q4 2012"), "revenue in Q4 2012") is None


def test_every_operation_understanding_can_name_is_registered_with_its_cue_words() -> None:
    for _, name, _ in readings():
        op = load()[name]
        assert op.cues, f"{name} is asked for by no cue word of its own"
        assert op.answer is not None or op.operate is not None, f"{name} answers nothing"


def test_the_arithmetic_operations_answer_from_their_own_modules() -> None:
    for name in ("growth", "difference", "sum", "average", "ratio", "margin", "share", "gap"):
        op = load()[name]
        assert op.operate is not None and op.operate.__module__.startswith("bot.ops.")
    for name in ("plus", "minus", "series", "lookup"):
        assert load()[name].operate is not None


def test_bot_intent_holds_no_operation_cue_word() -> None:
    """No regular expression of the question-reading module finds an operation's plain cue:
    the words asking for an operation are that operation's own."""
    patterns = [v for v in vars(bot.intent).values() if isinstance(v, re.Pattern)]
    plain = [c for op in load().values() for c in op.cues if re.fullmatch(r"[a-z ]+", c)]
    assert patterns and plain
    found = [(p.pattern[:30], c) for p in patterns for c in plain if p.search(f"the {c} of it")]
    assert not found
    assert not hasattr(bot.intent, "operation_of")


@pytest.mark.parametrize(
    ("text", "periods", "name"),
    [
        ("average revenue", 0, "average"),
        ("revenue added up", 0, "sum"),
        ("revenue by quarter", 0, "series"),
        ("revenue growth", 2, "growth"),
        ("revenue larger than", 2, "difference"),
        ("the gap between GAAP and non-GAAP net loss", 0, "gap"),
        ("R&D as a percentage of revenue", 0, "share"),
        ("operating margin", 0, "margin"),
        ("ratio of X to Y", 0, "ratio"),
        ("X plus Y", 0, "plus"),
        ("X minus Y", 0, "minus"),
    ],
)
def test_an_arithmetic_operation_is_asked_by_its_own_cue_words(
    text: str, periods: int, name: str
) -> None:
    asks = tuple(PeriodAsk("bare_year", 2011 + i) for i in range(periods))
    assert asked(Query("figure", text=text, periods=asks), text) == name


def test_a_new_operation_registered_alone_is_understood_and_answered(service: Service) -> None:
    """Adding an operation is one registration: understanding names it by its cue words and
    the pipeline answers with its own code, nothing else edited."""

    def halve(req: Request) -> Answer:
        fact, row, _ = req.resolver.resolve(list(req.query.matches), None, req.query.periods[0])
        assert fact is not None and row is not None
        return found(
            req.raw, f"Half of {row.name} is {fact.value / 2}.", [cite(fact)], [], req.query
        )

    op = Operation(
        "halve",
        cues=("half of",),
        asks=lambda q, op_text: bool(cue_pattern(("half of",)).search(q.text)),
        operate=halve,
        rank=5,
        table_first=True,
    )
    register(op)
    try:
        question = "What is half of total revenue in Q4 2012?"
        assert understand(question, None, service.pipeline.ctx).operation == "halve"
        answer = service.ask(question)
        assert answer.found and answer.text.startswith("Half of ")
        assert answer.citations and answer.citations[0].kind != "calculation"
    finally:
        del REGISTRY["halve"]
    assert asked(Query("figure", text=question), question) is None
