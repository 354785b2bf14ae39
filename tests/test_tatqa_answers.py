"""Answers over a hand-written context in the TAT-QA layout, through the context's own answering
stack (what `Service.ask` uses when one company is loaded): which line a question names, and
which way a difference reads."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from bot.answer import Answer
from bot.service import Service
from eval.tatqa import ask_own, context_files, ingest_all
from index.config import Settings

CONTEXT = {
    "table": {
        "uid": "t",
        "table": [
            ["", "2021", "2020"],
            ["Impairment charges", "$61.5", "$12.0"],
            ["Other operating expenses", "18.2", "20.9"],
            ["Total other operating expenses", "$79.7", "$32.9"],
            ["Gains on sale of stores", "2,310", "7,840"],
            ["Store weeks (1)", "5,120", "4,980"],
        ],
    },
    "paragraphs": [
        {"text": "Other operating expenses were as follows (in millions):"},
        {"text": "(1) Store weeks are the number of weeks each store was open in the year."},
    ],
}


FEES = {
    "table": {
        "uid": "f",
        "table": [
            ["", "2021", "2020"],
            ["Audit fees", "$42,000", "$40,000"],
            ["Tax fees", "$14,000", "$9,000"],
            ["Total fees", "$56,000", "$49,000"],
        ],
    },
    "paragraphs": [{"text": "Fees billed by the auditor were as follows:"}],
}


CAPITAL = {
    "table": {
        "uid": "c",
        "table": [
            ["(In millions)", "2021", "2020"],
            ["Operating income after tax", "$118.4", "$97.0"],
            ["Average invested capital", "$880.0", "$800.0"],
            ["Charter revenue", "$512.0", "$474.0"],
            ["Less charter expenses", "(131.0)", "(126.0)"],
        ],
    },
    "paragraphs": [{"text": "Return on invested capital was computed as follows:"}],
}


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> list[Service]:
    folder = tmp_path_factory.mktemp("tatqa")
    settings = replace(
        Settings.from_env({}), index_dir=folder / "index", chroma_host=None, model=None
    )
    paths = context_files([CONTEXT, FEES, CAPITAL], folder)
    good, refused = ingest_all(paths, settings)
    assert len(good) == 3 and not refused
    return [Service.open(replace(settings, release=Path(p.name)), build=False) for p in paths]


@pytest.fixture(scope="module")
def service(services: list[Service]) -> Service:
    return services[0]


def _rows(answer: Answer) -> set[str | None]:
    return {c.row for c in answer.citations if c.kind == "table"}


def test_a_question_saying_total_names_the_total_line(service: Service) -> None:
    answer = ask_own(service, "What was the total other operating expenses in 2021?")

    assert _rows(answer) == {"Total other operating expenses"}


def test_a_question_not_saying_total_names_the_line_itself(service: Service) -> None:
    answer = ask_own(service, "What were the other operating expenses in 2021?")

    assert _rows(answer) == {"Other operating expenses"}


def test_the_difference_between_two_years_is_how_far_apart_they_are(service: Service) -> None:
    answer = ask_own(
        service, "What is the difference in gains on sale of stores between 2020 and 2021?"
    )

    assert answer.found
    assert Decimal("5530") in {v.value for v in answer.values}
    assert "5,530" in answer.text


def test_a_change_from_one_year_to_the_next_keeps_its_sign(service: Service) -> None:
    answer = ask_own(service, "What was the change in gains on sale of stores from 2020 to 2021?")

    assert Decimal("-5530") in {v.value for v in answer.values}


@pytest.mark.parametrize(
    "question",
    [
        "What is the percentage of audit fees in total fees in 2021?",
        "What is the percentage constitution of audit fees among the total fees in 2021?",
        "What percentage of total fees were audit fees in 2021?",
    ],
)
def test_a_part_of_a_whole_is_its_share_however_it_is_worded(
    services: list[Service], question: str
) -> None:
    answer = ask_own(services[1], question)

    assert {c.row for c in answer.citations if c.kind == "table"} == {"Audit fees", "Total fees"}
    assert round(answer.values[-1].value, 2) == Decimal("75.00")


def test_a_total_over_both_years_adds_them_though_the_line_says_total(service: Service) -> None:
    answer = ask_own(service, "What is the total other operating expenses in both 2021 and 2020?")

    assert Decimal("112.6") in {v.value for v in answer.values}


def test_average_in_a_line_label_asks_no_average(services: list[Service]) -> None:
    question = "What was the percentage change in the average invested capital from 2020 to 2021?"
    answer = ask_own(services[2], question)

    assert round(answer.values[-1].value, 1) == Decimal("10.0")
    assert "average of" not in answer.text.lower()


@pytest.mark.parametrize(
    "question", ["What does store weeks refer to?", "How is store weeks calculated?"]
)
def test_a_definition_is_never_answered_with_a_figure(service: Service, question: str) -> None:
    answer = ask_own(service, question)

    assert not any(c.kind == "table" for c in answer.citations)


def test_a_sign_printed_before_a_label_is_no_word_of_its_name(services: list[Service]) -> None:
    answer = ask_own(services[2], "What were the charter expenses in 2021?")

    assert _rows(answer) == {"Less charter expenses"}
