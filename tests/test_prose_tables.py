"""'What does the table show?' over releases of my own ingested for real (TAT-QA reader, Chroma
in a temporary folder, the MiniLM model): the sentence leading into the table, else the table's
own heading; and 'What does X consist of?' is read for X, not for what a company sells."""

from __future__ import annotations

import pytest
from releases import context_services

from bot.narrative import _spelled_out
from bot.service import Service
from eval.tatqa import ask_own

ROWS = [["", "2021", "2020"], ["Accrued wages", "310", "288"], ["Accrued rent", "95", "90"]]
HEADED = {
    "table": {"uid": "t", "table": [["7. Harbour Fees and Other Accruals", "", ""], *ROWS]},
    "paragraphs": [
        {"order": 1, "text": "7. Harbour Fees and Other Accruals"},
        {
            "order": 2,
            "text": "The Firm's investments consist of money market funds, harbour bonds and "
            "term deposits.",
        },
    ],
    "questions": [],
}
LED_IN = {
    "table": {"uid": "t", "table": ROWS},
    "paragraphs": [
        {
            "order": 1,
            "text": "Accrued costs at the end of the year ended June 30, 2021 as compared to the "
            "year ended June 30, 2020:",
        },
        {"order": 2, "text": "Accrued wages rose with the new dock crews hired in the spring."},
    ],
    "questions": [],
}


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Service]:
    built = context_services(tmp_path_factory.mktemp("prose-tables"), [HEADED, LED_IN])
    return dict(zip(("headed", "led_in"), built, strict=True))


def test_a_table_with_no_sentence_leading_into_it_is_what_its_heading_says(
    services: dict[str, Service],
) -> None:
    answer = ask_own(services["headed"], "What does the table show?")
    assert answer.found, answer.text
    assert answer.text.startswith("Harbour Fees and Other Accruals. The table is headed")


def test_a_sentence_ending_in_a_colon_leads_into_the_table(
    services: dict[str, Service],
) -> None:
    answer = ask_own(services["led_in"], "What does the table show?")
    assert answer.found, answer.text
    assert "Accrued costs at the end of the year ended June 30, 2021" in answer.text


def test_what_something_consists_of_is_not_read_as_what_a_company_sells(
    services: dict[str, Service],
) -> None:
    answer = ask_own(services["headed"], "What does the Firm's investments consist of?")
    assert answer.found, answer.text
    assert answer.text.startswith("money market funds, harbour bonds and term deposits")


@pytest.mark.parametrize(
    "question",
    ["What does the Firm's investments consist of?", "What does the table show?"],
)
def test_does_opening_a_question_adds_no_words_of_selling(question: str) -> None:
    assert _spelled_out(question) == question


def test_what_a_company_does_is_read_as_what_it_provides() -> None:
    assert "provides" in _spelled_out("What does Norfleet do?")
