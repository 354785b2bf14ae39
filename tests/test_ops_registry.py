"""The operations registry: every module of bot/ops registers its operations, and the pipeline
finds each by name."""

from __future__ import annotations

import pkgutil

import pytest

import bot.ops
from bot.ops import answering, asked, calculations, load
from bot.query import Query


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
