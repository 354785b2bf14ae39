"""A question's passage searches, over the bundled release's real passage store: each stage
that tries the text (a strict try, then a lenient one) reads one search, and nothing of it is
kept for the next question."""

from __future__ import annotations

import pytest

from bot.passages import SearchedOnce
from bot.service import Service


@pytest.fixture
def searches(service: Service, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The queries the store is searched with (the real search runs)."""
    store = service.passages
    real = store.search
    asked: list[str] = []

    def search(query: str, k: int = 4) -> list:
        asked.append(query)
        return real(query, k)

    monkeypatch.setattr(store, "search", search)
    return asked


def test_a_search_asked_again_is_read_from_the_first(service: Service, searches: list[str]) -> None:
    once = SearchedOnce(service.passages)
    first = once.search("Where can I find the webcast?", k=8)
    again = once.search("Where can I find the webcast?", k=8)
    assert first and again == first
    assert searches == ["Where can I find the webcast?"]
    assert once.size() == service.passages.size()


def test_each_question_searches_afresh(service: Service, searches: list[str]) -> None:
    for _ in range(2):
        SearchedOnce(service.passages).search("Who is the CEO?", k=8)
    assert searches == ["Who is the CEO?", "Who is the CEO?"]


@pytest.mark.parametrize(
    "question", ["Where can I find the webcast?", "Who is the CEO?", "Basic December 31, 2011"]
)
def test_a_question_searches_the_store_at_most_once(
    service: Service, searches: list[str], question: str
) -> None:
    service.ask(question)
    assert len(searches) <= 1, searches
