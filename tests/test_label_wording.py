"""A question using a label's own two-word wording keeps it: 'net sales' is the 'Total net
sales' line, not 'Deferred revenue' (the everyday synonym sales -> revenue would break it)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from releases import table_services

from bot.metrics import Printed, expand
from bot.service import Service

TABLE = [
    ["(In millions)", "2031", "2030"],
    ["Products", "$900", "$800"],
    ["Services", "300", "250"],
    ["Total net sales", "$1,200", "$1,050"],
    ["Deferred revenue", "80", "75"],
]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Service:
    return table_services(tmp_path_factory.mktemp("wording"), {"sales": TABLE})["sales"]


@pytest.mark.parametrize(
    "question", ["What were net sales in 2031?", "What was net sales in 2031?", "net sales 2031"]
)
def test_net_sales_is_the_net_sales_line(service: Service, question: str) -> None:
    answer = service.brain.answer(question)
    assert answer.found, answer.text
    assert [v.value for v in answer.values] == [Decimal(1200)]


def test_a_word_outside_a_printed_pair_is_still_rewritten() -> None:
    printed = Printed(
        frozenset({"total", "net", "sales", "deferred", "revenue"}),
        frozenset({"total net sales", "deferred revenue"}),
    )
    assert expand("net sales in 2031", printed=printed).split()[:2] == ["net", "sales"]
    assert "revenue" in expand("sales growth", printed=printed)
