"""A question naming no company goes to the one company whose releases use a name it writes
with a capital ('iPhone', 'DTN-X'); a question using only common words is answered for each."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_releases import APPLE, settings_for

from bot.service import Service
from index.config import DEFAULT_RELEASE
from index.ingest import IngestOptions, ingest


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Service:
    index_dir: Path = tmp_path_factory.mktemp("two")
    settings = settings_for(index_dir)
    ingest([DEFAULT_RELEASE, APPLE], settings, IngestOptions(accept_audit_failures=True))
    return Service.open(settings, build=False)


@pytest.mark.parametrize(
    ("question", "release", "word"),
    [
        ("How much did iPhone sales grow year over year?", "AAPL-Q1FY2024", "iPhone"),
        ("How many DTN-X customers are there?", "infinera-2012-q4", "DTN-X"),
    ],
)
def test_a_name_only_one_company_uses_routes_the_question(
    two: Service, question: str, release: str, word: str
) -> None:
    answer = two.ask(question)
    assert answer.found, answer.text
    assert {c.release for c in answer.citations if c.release} == {release}
    assert f"mention {word}" in answer.text


def test_common_words_are_answered_for_each_company(two: Service) -> None:
    answer = two.ask("What were total operating expenses?")
    assert "for each of the 2 loaded" in answer.text


def test_what_did_a_line_total_is_the_figure(service: Service) -> None:
    answer = service.ask("What did GAAP operating expenses total in Q4 2012?")
    assert answer.found and "58,781" in answer.text
    assert service.ask("What did operating expenses total?").citations[0].kind == "table"


@pytest.mark.parametrize(
    "question", ["What was Apple's revenue in Q1 2024?", "How much did Apple's revenue grow?"]
)
def test_revenue_of_a_release_printing_net_sales_is_that_line(two: Service, question: str) -> None:
    """'Total net sales' is Apple's revenue; its 'Deferred revenue' is a balance, another line."""
    answer = two.ask(question)
    assert answer.found, answer.text
    assert "Total net sales" in answer.text and "Deferred" not in answer.text
