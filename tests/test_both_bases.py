"""One measure asked on both bases ('X in fiscal 2012, GAAP vs non-GAAP?'), over the bundled
release: the measure the question names is the one answered, on both bases when the release
restates it, else as reported with a word that no non-GAAP figure is printed. 'GAAP' and
'non-GAAP' name bases, never two more measures.
"""

from __future__ import annotations

import pytest

from bot.answer import Answer
from bot.service import Service
from bot.text import tokens


def table_rows(answer: Answer) -> list[set[str]]:
    """The words of each table row the answer cites."""
    return [set(tokens(c.row or "")) for c in answer.citations if c.kind == "table"]


@pytest.mark.parametrize(
    ("question", "words"),
    [
        (
            "and Net cash provided by (used in) investing activities in fiscal 2012, "
            "GAAP vs non-GAAP?",
            {"investing"},
        ),
        (
            "Net cash provided by (used in) investing activities in 2011, GAAP vs non-GAAP?",
            {"investing"},
        ),
        ("and Inventories, net in fiscal 2012, GAAP vs non-GAAP?", {"inventories"}),
        ("Cash paid for income taxes in fiscal 2012, GAAP vs non-GAAP?", {"income", "taxes"}),
        ("Revenue in Q3 2012, non-GAAP vs GAAP?", {"revenue"}),
    ],
)
def test_a_line_printed_on_one_basis_is_answered_as_reported_and_says_so(
    service: Service, question: str, words: set[str]
) -> None:
    answer = service.ask(question)
    rows = table_rows(answer)
    assert answer.found, answer.text
    assert rows and all(words <= row for row in rows), answer.citations
    assert not any("loss" in row for row in rows), answer.text
    assert "no non-GAAP" in answer.text


def test_a_period_the_line_lacks_is_said_of_that_line_not_answered_by_another(
    service: Service,
) -> None:
    answer = service.ask(
        "and Net cash provided by (used in) investing activities in Q3 2012, GAAP vs non-GAAP?"
    )
    assert not answer.found
    assert "investing activities" in answer.text and "Q3 2012" in answer.text
    assert "net loss" not in answer.text.lower()


def test_a_line_restated_on_a_non_gaap_basis_is_given_on_both(service: Service) -> None:
    answer = service.ask("Net loss in fiscal 2012, GAAP vs non-GAAP?")
    bases = {v.display for v in answer.values}
    assert answer.found and len(bases) == 2, answer.text
    assert answer.text.startswith("GAAP net loss was")
    assert "non-GAAP basis" in answer.text
