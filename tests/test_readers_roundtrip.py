"""The same 278 TAT-QA tables, rendered to fixed-width text (tests/render_text.py), ingest through
the text reader to the same facts as through the JSON reader: row label path, column key (period,
or dimension and member), value, unit and scale, each as many times. The scale and currency a
context's paragraphs give are printed as the caption a release carries over its table. Strict:
any table that differs fails the test, which prints the table, its text and the difference.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from render_text import render_context, render_table

from index.config import TATQA_DIR
from index.errors import MalformedRelease
from index.facts import Fact
from index.readers.tatqa import read
from index.release import parse_read, parse_release

DEV = TATQA_DIR / "tatqa_dataset_dev.json"


FactKey = tuple[tuple[str, ...], str | None, str | None, str | None, str, str, str]


def key(f: Fact) -> FactKey:
    period = f.period.key if f.period else None
    return (f.row, period, f.dimension, f.member, str(f.value), f.unit, f.scale)


def round_trip(context: dict, i: int) -> str | None:
    """None when both readers give the same facts, else the table, its text and the difference."""
    table = context["table"]["table"]
    from_json = Counter(map(key, parse_read(read(json.dumps(context), f"c{i}")).facts))
    text = render_context(context)
    try:
        from_text = Counter(map(key, parse_release(text, f"c{i}").facts))
    except MalformedRelease as exc:
        difference = f"text refused: {exc}"
    else:
        if from_json == from_text:
            return None
        difference = "\n".join(
            [
                *(f"  json only: {k} x{n}" for k, n in (from_json - from_text).items()),
                *(f"  text only: {k} x{n}" for k, n in (from_text - from_json).items()),
            ]
        )
    rows = "\n".join(f"  {r}" for r in table)
    return f"context {i}:\n{rows}\n{text}{difference}"


@pytest.mark.skipif(not DEV.exists(), reason=f"TAT-QA dev split not at {DEV}")
def test_tables_rendered_as_text_give_the_same_facts_as_json() -> None:
    contexts = json.loads(DEV.read_text(encoding="utf-8"))
    failures = [r for i, c in enumerate(contexts) if (r := round_trip(c, i)) is not None]

    assert len(contexts) == 278
    assert not failures, f"{len(failures)} of 278 tables differ:\n\n" + "\n\n".join(failures)


def test_a_small_table_round_trips() -> None:
    table = [
        ["", "", "Years Ended December 31,", ""],
        ["(In thousands)", "2019", "2018", "% Change"],
        ["Revenue:", "", "", ""],
        ["Product", "$ 1,200", "$ 1,000", "20%"],
        ["Services", "300", "—", "n/a"],
        ["Total revenue", "$ 1,500", "$ 1,000", "50%"],
    ]
    context = {"table": {"table": table}, "paragraphs": []}

    assert round_trip(context, 0) is None
    facts = parse_release(render_table(table), "c").facts
    assert len(facts) == 8
    assert {f.row for f in facts if f.label == "Product"} == {("Revenue", "Product")}


def test_the_scale_and_currency_the_paragraphs_give_are_printed_as_a_caption() -> None:
    table = [["", "2019", "2018"], ["Revenue", "1,200", "1,000"], ["Employees", "12", "10"]]
    paragraphs = [{"text": "The following table shows revenue by year (€ in millions):"}]
    context = {"table": {"table": table}, "paragraphs": paragraphs}

    assert round_trip(context, 0) is None
    text = render_context(context)
    assert "(€ in millions)" in text
    facts = parse_release(text, "c").facts
    assert {(f.label, f.unit, f.scale) for f in facts} == {
        ("Revenue", "EUR", "millions"),
        ("Employees", "count", "units"),
    }


def test_words_in_the_value_columns_are_cells_without_a_figure() -> None:
    table = [
        ["", "Useful life", "2019", "2018"],
        ["Computer equipment", "3-5", "14,689", "14,058"],
        ["Land", "Indefinite", "$117.2", "$117.2"],
        ["Buildings", "5 - 40", "315.4", "305.2 (1)"],
    ]
    context = {"table": {"table": table}, "paragraphs": []}

    assert round_trip(context, 0) is None
    facts = parse_release(render_table(table), "c").facts
    assert {f.row for f in facts} == {("Computer equipment",), ("Land",), ("Buildings",)}
    assert len(facts) == 6


def test_a_header_repeated_in_the_body_starts_a_block_keyed_by_it() -> None:
    table = [
        ["", "", "Fiscal 2019", ""],
        ["", "First Quarter", "Second Quarter", "Total"],
        ["Revenues", "$ 94,888", "$ 96,037", "$ 190,925"],
        ["", "", "Fiscal 2018", ""],
        ["", "First Quarter", "Second Quarter", "Total"],
        ["Revenues", "$88,081", "$89,767", "$177,848"],
    ]
    context = {"table": {"table": table}, "paragraphs": []}

    assert round_trip(context, 0) is None
    text = render_table(table)
    for facts in (parse_read(read(json.dumps(context), "c")).facts, parse_release(text, "c").facts):
        assert [f.row for f in facts] == [("Revenues",)] * 6
        years = {f.raw.replace(" ", ""): f.period.fiscal_year for f in facts if f.period}
        assert years["$94,888"] == years["$96,037"] == 2019
        assert years["$88,081"] == years["$89,767"] == 2018


def test_a_second_block_with_its_own_dates_and_a_caption_as_its_label() -> None:
    table = [
        ["(In millions)", "Dec 29, 2018", "Additions", "Dec 28, 2019"],
        ["Segment A", "$5,424", "$1,758", "$7,182"],
        ["Total", "$5,424", "$1,758", "$7,182"],
        ["(In millions)", "Dec 30, 2017", "Additions", "Dec 29, 2018"],
        ["Segment A", "$5,421", "$3", "$5,424"],
        ["Total", "$5,421", "$3", "$5,424"],
    ]
    context = {"table": {"table": table}, "paragraphs": []}

    assert round_trip(context, 0) is None
    for facts in (
        parse_read(read(json.dumps(context), "c")).facts,
        parse_release(render_table(table), "c").facts,
    ):
        dated = {(f.label, f.value, f.period.end.year) for f in facts if f.period}
        assert ("Segment A", 5421, 2017) in dated
        assert ("Segment A", 5424, 2018) in dated
        assert ("Segment A", 7182, 2019) in dated
        assert len(facts) == 12


def test_words_in_a_row_after_figures_are_no_header_without_a_period() -> None:
    table = [
        ["", "2019", "2018"],
        ["Notional amount", "29,423", "77,630"],
        ["Maturity date", "2021 to 2024", "2019 to 2023"],
        ["Hedge ratio", "one to one", "one to one"],
        ["Hedged rate", "2.10%", "1.60%"],
    ]
    context = {"table": {"table": table}, "paragraphs": []}

    assert round_trip(context, 0) is None
    facts = parse_release(render_table(table), "c").facts
    assert {(f.label, f.period.fiscal_year) for f in facts if f.label == "Hedged rate"} == {
        ("Hedged rate", 2019),
        ("Hedged rate", 2018),
    }


def test_a_label_with_a_colon_and_figures_on_its_line_is_a_row() -> None:
    table = [
        ["Contractual Obligations", "Less Than 1 Year", "2-5 Years", "Total"],
        ["Operating Lease Obligations:", "$773", "$2,055", "$2,828"],
        ["Other Long-Term Liabilities:", "", "", ""],
        ["Finjan Mobile future commitment", "650", "—", "650"],
    ]
    context = {"table": {"table": table}, "paragraphs": []}

    assert round_trip(context, 0) is None
    rows = {f.row for f in parse_release(render_table(table), "c").facts}
    assert rows == {
        ("Operating Lease Obligations",),
        ("Other Long-Term Liabilities", "Finjan Mobile future commitment"),
    }
