"""The passage store as one question sees it: a search asked again by a later stage (a strict
try, then a lenient one) is answered from the first, not embedded and searched twice."""

from __future__ import annotations

from typing import Any


class SearchedOnce:
    """Made per question and dropped with it, so no search result outlives the question; every
    other attribute (`candidates`, `size`, `unreachable`) is the store's own."""

    def __init__(self, passages: Any) -> None:
        self._passages = passages
        self._hits: dict[tuple[str, int], list[Any]] = {}

    def search(self, query: str, k: int = 4) -> list[Any]:
        key = (query, k)
        if key not in self._hits:
            self._hits[key] = self._passages.search(query, k)
        return list(self._hits[key])

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 - the store's own attributes
        return getattr(self._passages, name)


def searched_once(passages: Any) -> SearchedOnce | None:  # noqa: ANN401
    return None if passages is None else SearchedOnce(passages)
