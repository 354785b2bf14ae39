"""The TAT-QA JSON reader: all 278 development contexts ingest, one fact per numeric cell, each
with its column key. The data is read from the shared benchmark folder, never copied."""

from __future__ import annotations

import json
import re

import pytest

from index.config import TATQA_DIR
from index.errors import MalformedRelease
from index.readers import choose
from index.readers.tatqa import read
from index.release import parse_read

DEV = TATQA_DIR / "tatqa_dataset_dev.json"
needs_dev = pytest.mark.skipif(not DEV.exists(), reason=f"TAT-QA dev split not at {DEV}")

# Independent of index.cells: a figure is digits with optional $, parentheses, sign, % or a
# dash; a row whose value cells are all bare years is a header row (a header repeated in the body
# too).
FIGURE = re.compile(
    r"^[<>]?\s*(?:[$€£]|US\$|RMB)?\s*\(?\s*(?:[$€£])?\s*[-−]?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"\s*%?\s*\)?\s*(?:%|bps)?(?:\s*\(\d\))?$|^(?:\$\s*)?[-—–](?:\s*[-—–])*\s*%?$"
)
YEAR = re.compile(r"^(?:19|20)\d\d(?:\s*\(\d\))?$")


def expected_count(table: list[list[str]]) -> int:
    """Figures in the value columns, from the first row holding one that is not a bare year."""
    count, body = 0, False
    for row in table:
        values = [c.strip() for c in row[1:] if c.strip()]
        if values and all(YEAR.match(v) for v in values):
            continue
        body = body or any(FIGURE.match(v) and not YEAR.match(v) for v in values)
        if body:
            count += sum(1 for v in values if FIGURE.match(v) and v.count("(") == v.count(")"))
    return count


@pytest.fixture(scope="module")
def contexts() -> list[dict]:
    return json.loads(DEV.read_text(encoding="utf-8"))


def parsed_context(context: dict, i: int):  # noqa: ANN201
    return parse_read(read(json.dumps(context), f"tatqa-{i}"))


@needs_dev
def test_all_dev_contexts_ingest_with_one_fact_per_numeric_cell(contexts: list[dict]) -> None:
    mismatched = []
    for i, c in enumerate(contexts):
        facts = parsed_context(c, i).facts
        if len(facts) != expected_count(c["table"]["table"]):
            mismatched.append((i, len(facts), expected_count(c["table"]["table"])))
    assert len(contexts) == 278
    assert mismatched == []


@needs_dev
def test_every_fact_has_a_column_key_and_a_position(contexts: list[dict]) -> None:
    for i, c in enumerate(contexts):
        p = parsed_context(c, i)
        for f in p.facts:
            assert f.period is not None or (f.dimension and f.member), (i, f.column)
            assert f.position is not None and f.position.line == f.line
            assert f.raw in p.document.line(f.line), (i, f.raw)
            table = c["table"]["table"]
            assert " ".join(table[f.position.row][f.position.col].split()) == f.raw


@needs_dev
def test_spot_checks(contexts: list[dict]) -> None:
    first = parsed_context(contexts[0], 0).facts
    assert [(f.row[-1], f.period.label if f.period else None, str(f.value)) for f in first[:2]] == [
        ("Fixed Price", "fiscal 2019", "1452.4"),
        ("Fixed Price", "fiscal 2018", "1146.2"),
    ]


def test_the_json_reader_is_chosen_for_a_context() -> None:
    reader = choose(".json", '{"table": {"table": [["", "2019"], ["Sales", "1"]]}}')

    assert reader is not None and reader.name == "tatqa"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"table": [["a", "1"],', "line 1"),
        ('{"table": "x"}', "2-D array"),
        ('{"table": [["a", "1"], 5]}', "row 2"),
        ('{"paragraphs": []}', "'table'"),
    ],
)
def test_malformed_json_is_refused_with_one_line(text: str, words: str) -> None:
    with pytest.raises(MalformedRelease) as exc:
        read(text, "bad")
    assert words in str(exc.value)
    assert "\n" not in str(exc.value)


def _notes(table: list[list[str]], paragraphs: list[str]) -> tuple[str, ...]:
    return read(json.dumps({"table": table, "paragraphs": paragraphs}), "t").grids[0].notes


TABLE = [["", "2019", "2018"], ["Net income", "$24,193", "$20,402"], ["Charges", "$47,625", "1"]]


def test_a_table_without_scale_takes_the_one_its_paragraphs_quote_it_in() -> None:
    prose = ["Cash came from $24.2 million of net income and $47.6 million of charges."]

    notes = _notes(TABLE, prose)

    assert any("in thousands" in n for n in notes)
    facts = parse_read(read(json.dumps({"table": TABLE, "paragraphs": prose}), "t")).facts
    assert {f.scale for f in facts if f.value > 100} == {"thousands"}


@pytest.mark.parametrize(
    "prose",
    [
        ["Net income was $24.2 million."],  # one quoted amount can be chance
        ["Net income was $24.2 million and revenue $20.4 billion."],  # two scales disagree
        ["The table below is in millions. Net income was $24.2 million and $47.6 million."],
    ],
)
def test_no_scale_is_inferred_from_one_amount_or_disagreeing_ones(prose: list[str]) -> None:
    assert not any("as the paragraphs quote" in n for n in _notes(TABLE, prose))


def test_a_scale_note_cut_before_its_closing_parenthesis_still_counts() -> None:
    prose = ["Notes (Continued) (All amounts expressed in thousands of U.S."]

    assert any("expressed in thousands" in n for n in _notes(TABLE, prose))


def test_a_header_cell_giving_the_scale_in_the_singular_scales_the_table() -> None:
    table = [["(in million)", "2019", "2018"], ["Goodwill", "$1,769.4", "$1,710.3"]]
    facts = parse_read(read(json.dumps({"table": table, "paragraphs": []}), "t")).facts

    assert {f.scale for f in facts} == {"millions"}


def test_a_per_share_row_with_a_footnote_digit_glued_to_its_label_is_per_share() -> None:
    table = [["$ million", "2019", "2018"], ["Final dividend per share7 (cents)", "3.45", "2.73"]]
    facts = parse_read(read(json.dumps({"table": table, "paragraphs": []}), "t")).facts

    assert {(f.unit, f.scale) for f in facts} == {("USD per share", "units")}


def _facts(table: list[list[str]], paragraphs: list[str] | None = None) -> list:
    text = json.dumps({"table": table, "paragraphs": paragraphs or []})
    return list(parse_read(read(text, "t")).facts)


def test_a_header_row_of_percent_signs_makes_every_figure_a_percent() -> None:
    table = [["", "2021", "2020"], ["", "%", "%"], ["Discount rate", "4.1", "3.6"]]

    assert {f.unit for f in _facts(table)} == {"percent"}


def test_a_rate_column_signed_only_on_its_first_line_is_percent_throughout() -> None:
    table = [
        ["", "2021", "2020"],
        ["Statutory rate", "25.0%", "25.0%"],
        ["Regional taxes", "2.2", "(1.4)"],
        ["Effective rate", "27.2%", "23.6%"],
    ]

    assert {f.unit for f in _facts(table)} == {"percent"}


@pytest.mark.parametrize(
    "rows",
    [
        [["Gross margin", "41%", "40%"], ["Revenue", "$310", "$290"]],  # a currency in the column
        [["Gross margin", "41%", "40%"], ["Units sold", "4,120", "3,870"]],  # beyond a hundred
    ],
)
def test_a_column_of_amounts_with_a_percent_first_line_keeps_its_amounts(rows: list) -> None:
    facts = _facts([["", "2021", "2020"], *rows])

    assert {f.unit for f in facts if f.label != "Gross margin"} != {"percent"}


def test_thousands_written_as_digits_scale_the_table() -> None:
    header_cell = [["Number of options (1,000)", "2021", "2020"], ["Granted", "412.5", "398.0"]]
    sentence = ["Comparison of the years ended December 31, 2021 and 2020 (in 000’s)"]
    bare = [["", "2021", "2020"], ["Net sales", "$ 51,200", "$ 48,900"]]

    assert {f.scale for f in _facts(header_cell)} == {"thousands"}
    assert {f.scale for f in _facts(bare, sentence)} == {"thousands"}


def test_figures_below_a_hundred_with_a_decimal_count_toward_the_quoted_scale() -> None:
    table = [["", "2021", "2020"], ["Selling expenses", "$31.7", "$28.4"], ["Other", "0.2", "0.3"]]
    prose = ["Selling expenses rose to $31.7 million from $28.4 million."]

    assert {f.scale for f in _facts(table, prose)} == {"millions"}


def test_shares_in_thousands_scales_the_shares_not_the_amounts() -> None:
    table = [
        ["", "2021", "2020"],
        ["Net income", "$412.6", "$388.1"],
        ["Weighted average shares outstanding", "51,204", "50,877"],
    ]
    prose = [
        "Notes to the financial statements (Tabular amounts in millions, unless otherwise noted)",
        "The following table sets forth the computation of earnings per share (shares in "
        "thousands, except per share data):",
    ]

    scales = {f.label: (f.unit, f.scale) for f in _facts(table, prose)}

    assert scales["Net income"] == ("USD", "millions")
    assert scales["Weighted average shares outstanding"] == ("shares", "thousands")
