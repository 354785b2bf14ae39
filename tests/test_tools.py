"""The tools every brain calls: exact lookups with corroboration, arithmetic, passage search."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from releases import RELEASE_LINES

from bot.service import Service
from bot.tools import Toolbox, lookup_json
from index.facts import SCALES, Fact


@pytest.fixture
def box(service: Service) -> Toolbox:
    """A fresh toolbox per test, so each test sees its own turn record."""
    return Toolbox(service.pipeline)


def printed_on_its_line(f: Fact) -> bool:
    return f.raw.strip() in RELEASE_LINES[f.line - 1]


# ---------------------------------------------------------------- lookup_table


def test_lookup_returns_the_precise_figure_first_and_the_rounded_one_as_corroboration(
    box: Toolbox,
) -> None:
    res = box.lookup_table("revenue", "Q4 2012")

    first = res.facts[0]
    assert (first.value, first.scale, first.line) == (Decimal(128064), "thousands", 67)
    assert first.period.label == "Q4 2012"
    supplemental = [f for f in res.corroboration if f.scale == "millions"]
    assert [(f.value, f.line) for f in supplemental] == [(Decimal("128.1"), 460)]
    assert supplemental[0].table == "Supplemental Financial Information"


@pytest.mark.parametrize(
    ("metric", "basis"), [("revenue", None), ("net loss", None), ("net loss", "non-GAAP")]
)
def test_corroboration_is_the_same_figure_printed_elsewhere(
    box: Toolbox, metric: str, basis: str | None
) -> None:
    res = box.lookup_table(metric, "Q4 2012", basis)

    first = res.facts[0]
    for f in res.corroboration:
        assert f.period == first.period
        assert f.basis in (first.basis, None), (f.row, f.basis)
        # Equal within the rounding of the scale it is printed in.
        assert abs(f.absolute - first.absolute) <= SCALES[f.scale] / 2, (f.row, f.raw)


def test_lookup_records_every_fact_it_returned_in_the_turn_record(box: Toolbox) -> None:
    record = box.new_turn()

    res = box.lookup_table("revenue", "Q4 2012")

    assert record.facts == [*res.facts, *res.corroboration]
    allowed = record.allowed_numbers()
    assert Decimal(128064) in allowed
    assert Decimal(128_064_000) in allowed
    assert Decimal("128.1") in allowed


def test_a_new_turn_starts_with_an_empty_record(box: Toolbox) -> None:
    box.lookup_table("DSO", "Q3 2012")

    record = box.new_turn()

    assert record.facts == [] and record.results == [] and record.passages == []
    assert box.record is record


@pytest.mark.parametrize(
    ("metric", "period", "basis", "value", "line"),
    [
        ("DSO", "Q3 2012", None, Decimal(74), 493),
        ("net loss", "Q4 2012", None, Decimal(-16088), 115),
        ("net loss", "Q4 2012", "non-GAAP", Decimal(-5953), 213),
        ("cash", "December 29, 2012", None, Decimal(104666), 312),
        ("revenue", "fiscal 2012", None, Decimal(438437), 67),
        ("headcount", "year-end", None, Decimal(1242), 516),
    ],
)
def test_lookup_finds_the_cell_for_metric_period_and_basis(
    box: Toolbox, metric: str, period: str, basis: str | None, value: Decimal, line: int
) -> None:
    first = box.lookup_table(metric, period, basis).facts[0]

    assert (first.value, first.line) == (value, line)
    assert printed_on_its_line(first)


def test_lookup_of_two_periods_returns_both_in_order(box: Toolbox) -> None:
    res = box.lookup_table("revenue", "Q4 2012 vs Q4 2011")

    assert [(f.period.label, f.value) for f in res.facts] == [
        ("Q4 2012", Decimal(128064)),
        ("Q4 2011", Decimal(112009)),
    ]


def test_lookup_of_an_unknown_metric_says_no_row_matches(box: Toolbox) -> None:
    record = box.new_turn()

    res = box.lookup_table("EBITDA", "Q4 2012")

    assert res.facts == () and res.corroboration == ()
    assert "EBITDA" in res.message
    assert record.facts == []


def test_lookup_of_a_missing_period_lists_the_periods_the_row_has(box: Toolbox) -> None:
    res = box.lookup_table("DSO", "Q1 2010")

    assert res.facts == ()
    for held in ("Q1 2011", "Q4 2012"):
        assert held in res.message


def test_lookup_json_carries_values_lines_and_corroboration(box: Toolbox) -> None:
    data = json.loads(lookup_json(box.lookup_table("revenue", "Q4 2012")))

    assert data["facts"][0]["value"] == "128064"
    assert data["facts"][0]["lines"] == [67, 67]
    assert data["facts"][0]["display"] == "$128,064 thousand"
    assert any(c["value"] == "128.1" for c in data["corroboration"])


# ---------------------------------------------------------------- calculate


def test_calculate_growth_over_looked_up_operands(box: Toolbox) -> None:
    record = box.new_turn()

    out = box.calculate(
        "growth",
        [{"metric": "revenue", "period": "Q4 2012"}, {"metric": "revenue", "period": "Q4 2011"}],
    )

    assert out["unit"] == "percent"
    assert out["result"] == "14.3337"
    assert out["display"] == "14.33%"
    assert [o["value"] for o in out["operands"]] == ["128064", "112009"]
    assert [o["lines"] for o in out["operands"]] == [[67, 67], [67, 67]]
    assert "(128,064)" in out["formula"] and "(112,009)" in out["formula"]
    exact = Decimal(128064 - 112009) / Decimal(112009) * 100
    assert exact in record.results


def test_calculate_margin_over_looked_up_operands(box: Toolbox) -> None:
    out = box.calculate(
        "margin",
        [
            {"metric": "loss from operations", "period": "Q4 2012"},
            {"metric": "revenue", "period": "Q4 2012"},
        ],
    )

    assert out["result"] == "-12.1135"
    assert [o["lines"][1] for o in out["operands"]] == [98, 67]


def test_calculate_average_uses_the_first_fact_of_each_lookup(box: Toolbox) -> None:
    out = box.calculate(
        "average",
        [{"metric": "DSO", "period": f"Q{q} 2012"} for q in (1, 2, 3, 4)],
    )

    assert Decimal(out["result"]) == Decimal("65.5")
    assert out["unit"] == "days"


def test_calculate_reports_an_unknown_operation_as_an_error(box: Toolbox) -> None:
    out = box.calculate("median", [{"metric": "DSO", "period": "Q3 2012"}])

    assert "error" in out and "growth" in out["error"]


def test_calculate_reports_a_missing_operand_as_an_error(box: Toolbox) -> None:
    out = box.calculate(
        "sum",
        [{"metric": "EBITDA", "period": "Q4 2012"}, {"metric": "revenue", "period": "Q4 2012"}],
    )

    assert "error" in out and "EBITDA" in out["error"]


def test_calculate_reports_mixed_units_as_an_error(box: Toolbox) -> None:
    record = box.new_turn()

    out = box.calculate(
        "sum",
        [{"metric": "DSO", "period": "Q4 2012"}, {"metric": "revenue", "period": "Q4 2012"}],
    )

    assert out == {"error": "operands have different units"}
    assert record.results == []


# ---------------------------------------------------------------- search_text


def test_search_text_returns_passages_with_the_lines_they_stand_on(box: Toolbox) -> None:
    record = box.new_turn()

    hits = box.search_text("webcast of the conference call investor relations website", k=4)

    assert 1 <= len(hits) <= 4
    for h in hits:
        first, last = h["lines"]
        assert 1 <= first <= last <= len(RELEASE_LINES)
        passage = " ".join(" ".join(RELEASE_LINES[first - 1 : last]).split())
        assert " ".join(h["text"].split()) in passage
        assert h["section"]
    assert any(h["lines"][0] <= 29 <= h["lines"][1] for h in hits)
    assert record.passages == [h["text"] for h in hits]


def test_search_text_ranks_passages_best_first(box: Toolbox) -> None:
    hits = box.search_text("Where is the company headquartered?", k=4)

    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
