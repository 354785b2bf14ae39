"""A quarter whose year the question gives, however it is written beside it, is that year's
quarter: the answer never says 'no year given', and the year is no second period of its own.
The note stays for a quarter asked without any year."""

from __future__ import annotations

import pytest

from bot.service import Service
from index.config import DEFAULT_RELEASE
from index.periods import Calendar, find_periods
from index.release import read_release

LATEST = 2013  # later than the years asked, so an assumed year would show


@pytest.fixture(scope="module")
def calendar() -> Calendar:
    return read_release(DEFAULT_RELEASE).calendar


def asked(text: str, calendar: Calendar) -> list[tuple[str, int, int | None, bool]]:
    return [
        (a.kind, a.fiscal_year, a.quarter, a.assumed_year)
        for a in find_periods(text, calendar, LATEST)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "DSO in Q3-2011?",
        "DSO in Q3/2011?",
        "DSO in Q3, 2011?",
        "DSO in Q3 (2011)?",
        "DSO in Q3 in 2011?",
        "DSO in Q3 of year 2011?",
        "DSO in Q3 of the 2011 fiscal year?",
        "DSO in the third quarter, 2011?",
        "DSO in the third quarter in 2011?",
        "DSO in the third quarter of fiscal year 2011?",
        "DSO in 2011 Q3?",
        "DSO in 2011-Q3?",
        "DSO in FY2011 Q3?",
        "DSO in fiscal 2011 Q3?",
        "DSO in 2011's third quarter?",
        "DSO in 2011, third quarter?",
        "DSO in quarter 3 of 2011?",
        "DSO in quarter three of 2011?",
        "DSO in the September quarter, 2011?",
        "DSO in 2011's September quarter?",
        "In 2011, what was DSO in Q3?",
        "For fiscal 2011, what was DSO in the third quarter?",
    ],
)
def test_a_year_written_beside_a_quarter_is_its_year(text: str, calendar: Calendar) -> None:
    assert asked(text, calendar) == [("quarter", 2011, 3, False)]


def test_a_year_framing_the_question_dates_each_quarter_it_names(calendar: Calendar) -> None:
    got = asked("In 2011, how did DSO move from Q3 to Q4?", calendar)

    assert got == [("quarter", 2011, 3, False), ("quarter", 2011, 4, False)]


def test_a_month_named_quarter_takes_its_year_in_the_companys_calendar() -> None:
    """Acme's fiscal year ends in June: September 2023 is the first quarter of fiscal 2024."""
    from releases import income_statement, parse_acme

    rows = "Revenue              $     70,500  $     64,250  $    270,125  $    240,000\n"
    acme = parse_acme(income_statement(rows)).calendar

    assert asked("Revenue in the September quarter, 2023?", acme) == [("quarter", 2024, 1, False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DSO in Q3 and 2011?", [("quarter", 2013, 3, True), ("bare_year", 2011, None, False)]),
        ("Q4 versus fiscal 2011", [("quarter", 2013, 4, True), ("year", 2011, None, False)]),
        (
            "revenue in Q4, 2011 and 2012",
            [
                ("quarter", 2013, 4, True),
                ("bare_year", 2011, None, False),
                ("bare_year", 2012, None, False),
            ],
        ),
        ("DSO in quarter 3", [("quarter", 2013, 3, True)]),
    ],
)
def test_a_year_not_written_as_the_quarters_own_stays_a_period(
    text: str, expected: list, calendar: Calendar
) -> None:
    assert asked(text, calendar) == expected


@pytest.mark.parametrize(
    "question",
    [
        "What was DSO in the third quarter of 2012?",
        "What was DSO in Q3 of 2012?",
        "What was DSO in Q3, 2012?",
        "What was DSO in 2012's third quarter?",
        "In 2012, what was DSO in Q3?",
    ],
)
def test_the_no_year_note_is_not_said_when_the_year_is_given(
    service: Service, question: str
) -> None:
    answer = service.ask(question)

    assert answer.found and "74 days in Q3 2012" in answer.text, answer.text
    assert "no year given" not in answer.text
    assert "Q4 2012" not in answer.text


def test_a_quarter_numbered_in_words_is_that_quarter_not_the_year_end(service: Service) -> None:
    answer = service.ask("What was DSO in quarter 3 of 2011?")

    assert answer.found and "Q3 2011" in answer.text and "Q4" not in answer.text, answer.text


def test_the_no_year_note_stays_when_no_year_is_given(service: Service) -> None:
    answer = service.ask("What was DSO in the third quarter?")

    assert "no year given, so I took 2012" in answer.text, answer.text


def _follow(service: Service, first: str, then: str) -> str:
    from bot.conversation import Conversation

    conversation = Conversation()
    before = service.ask(first, conversation)
    return service.ask(then, conversation.add(before)).text


def test_a_follow_up_quarter_takes_the_year_the_turn_before_named(service: Service) -> None:
    text = _follow(service, "How many days of sales were outstanding in Q3 2011?", "and Q2?")

    assert "70 days in Q2 2011" in text and "no year given" not in text, text


def test_the_same_quarter_of_a_year_is_the_previous_turns_quarter_not_the_year_end(
    service: Service,
) -> None:
    text = _follow(service, "What was DSO in Q3?", "what about the same quarter of 2011?")

    assert "60 days in Q3 2011" in text and "Q4" not in text, text


def test_a_follow_up_after_a_turn_that_named_no_year_keeps_the_latest(service: Service) -> None:
    text = _follow(service, "What was DSO in Q3?", "and Q2?")

    assert "Q2 2012" in text, text
