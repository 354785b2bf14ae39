"""understand(): the question as a typed Query, and what makes it unanswerable."""

from __future__ import annotations

import pytest

from bot.conversation import Conversation
from bot.query import Query
from bot.service import Service
from bot.understand import understand


def query(service: Service, question: str, previous: Query | None = None) -> Query:
    return understand(question, previous, service.pipeline.ctx)


def test_a_question_becomes_a_frozen_query_with_its_measure_and_period(service: Service) -> None:
    q = query(service, "What was DSO in Q3 2012?")
    assert q.intent == "figure" and q.measures and q.best is not None
    assert "DSO" in q.best.row.name
    assert [(p.kind, p.fiscal_year, p.quarter) for p in q.periods] == [("quarter", 2012, 3)]
    with pytest.raises(AttributeError):
        q.basis = "GAAP"  # type: ignore[misc]


def test_basis_currency_and_impossible_periods_are_read(service: Service) -> None:
    assert query(service, "non-GAAP gross profit in Q4 2012").basis == "non-GAAP"
    assert query(service, "2012 revenue in euros").currency == "EUR"
    assert query(service, "DSO in Q9 2012").impossible == ("Q9",)


def test_a_follow_up_shifts_the_previous_period_back_a_year(service: Service) -> None:
    first = query(service, "What was total revenue in fiscal 2012?")
    follow = query(service, "and the year before?", first)
    assert follow.measures == first.measures
    assert [p.fiscal_year for p in follow.periods] == [2011]


def test_a_follow_up_swaps_the_measure(service: Service) -> None:
    first = query(service, "How much was spent on sales and marketing in Q4 2012?")
    follow = query(service, "and G&A?", first)
    assert "administrative" in follow.best.row.name.lower()
    assert follow.periods == first.periods


@pytest.mark.parametrize(
    ("question", "operation"),
    [
        ("In which quarter was DSO highest?", "highest"),
        ("Which quarter had the lowest revenue in 2012?", "lowest"),
        ("Give me a summary of Q4 2012", "summary"),
        ("compare R&D, S&M and G&A in 2012", "several"),
        ("What was the average DSO across the four quarters of 2012?", "average"),
    ],
)
def test_the_operation_comes_from_its_cue_words(
    service: Service, question: str, operation: str
) -> None:
    assert query(service, question).operation == operation


def test_sales_and_marketing_alone_is_one_measure(service: Service) -> None:
    assert query(service, "compare sales and marketing in Q4 2012 and Q4 2011").several == ()


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("What was 2012 revenue in euros?", "US dollars only"),
        ("What was DSO in Q9 2012?", "'Q9' is not a period"),
        ("What was non-GAAP R&D in Q4 2012?", "no non-GAAP research and development"),
        ("What was Cisco's revenue in 2012?", "does not mention 'Cisco'"),
    ],
)
def test_what_the_release_cannot_answer_is_named(
    service: Service, question: str, said: str
) -> None:
    answer = service.ask(question)
    assert not answer.found and said in answer.text


def test_several_measures_are_answered_side_by_side(service: Service) -> None:
    answer = service.ask("compare R&D, S&M and G&A in 2012")
    assert answer.found
    for figure in ("117,233", "75,862", "47,475"):
        assert figure in answer.text
    assert len([c for c in answer.citations if c.kind == "table"]) == 3


def test_the_quarter_with_the_highest_figure_is_named(service: Service) -> None:
    answer = service.ask("In which quarter was DSO highest?")
    assert answer.found and "highest in Q4 2012" in answer.text and "76 days" in answer.text


def test_a_narrowing_loss_says_narrowed(service: Service) -> None:
    answer = service.ask("net loss Q4'12 vs Q4'11")
    assert answer.found and "narrowed" in answer.text and "rose" not in answer.text


def test_year_over_year_without_a_period_takes_the_latest(service: Service) -> None:
    answer = service.ask("revenue growth year over year")
    assert answer.found and "Q4 2011" in answer.text and "Q4 2012" in answer.text


def test_a_summary_cites_every_figure_it_states(service: Service) -> None:
    answer = service.ask("Give me a summary of Q4 2012")
    assert answer.found and "Revenue" in answer.text and "EPS" in answer.text
    assert len([c for c in answer.citations if c.kind == "table"]) >= 7


def test_the_latest_quarter_asked_in_words_needs_no_note(service: Service) -> None:
    answer = service.ask("What was the revenue of the most recent quarter?")
    assert answer.found and "no year given" not in answer.text


def test_conversation_turns_carry_queries(service: Service) -> None:
    conv = Conversation().add(service.ask("What was DSO in Q3 2012?"))
    assert conv.turns[0].query is not None and conv.previous_query() is conv.turns[0].query


def test_the_change_in_a_figure_is_absolute(service: Service) -> None:
    answer = service.ask("What was the change in total revenue from 2011 to 2012?")
    assert answer.found and "rose by $33,560 thousand" in answer.text


def test_the_percentage_change_is_relative_to_the_old_value(service: Service) -> None:
    answer = service.ask("What was the percentage change in total revenue from 2011 to 2012?")
    assert answer.found and "8.3%" in answer.text and "33,560" not in answer.text


def test_an_average_over_listed_years_averages_those_years(service: Service) -> None:
    answer = service.ask("What was the average total revenue for 2011 and 2012?")
    assert answer.found and "$421,657 thousand" in answer.text


def test_function_words_and_operation_cue_words_are_never_unknown(service) -> None:
    """'had' (a stop word) and 'fewest' (a cue word of the lowest-value operation) are not
    content words the release must hold."""
    from bot.understand import known

    ctx = service.pipeline.ctx
    assert known("had", ctx) and known("fewest", ctx)
    assert not known("dividend", ctx)
