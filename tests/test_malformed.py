"""Malformed input: refused with `MalformedRelease` naming the file and line at fault, or parsed
with a warning naming the line; never a fact silently put in the wrong place."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from releases import (
    FY23,
    FY24,
    HEADLINE,
    Q3_FY24,
    Q4_FY24,
    income_statement,
    write_release,
)

from index.errors import MalformedRelease
from index.periods import Period
from index.release import MAX_BYTES, ParsedRelease, parse_release, read_release

TABLE = income_statement(
    """\
Revenue              $     70,500  $     64,250  $    270,125  $    240,000
Cost of revenue            38,000        35,000       146,000       130,000
"""
)

COLUMNS = [Q4_FY24, Q3_FY24, FY24, FY23]
# Where each column's values end (exclusive): the ends of the dash runs of the rule.
ENDS = [33, 47, 61, 75]


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the first line of `text` that starts with `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(needle))


def place(label: str, cells: dict[int, str]) -> str:
    """A row holding `cells[i]` right-aligned under column i; other columns left empty."""
    text = label
    for i, value in sorted(cells.items()):
        text = text.ljust(ENDS[i] - len(value)) + value
    return text


def refused(tmp_path: Path, text: str | bytes) -> MalformedRelease:
    path = write_release(tmp_path, text)
    with pytest.raises(MalformedRelease) as info:
        read_release(path)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)
    return info.value


def refused_text(text: str) -> MalformedRelease:
    with pytest.raises(MalformedRelease) as info:
        parse_release(text, "acme-2024-q4")
    return info.value


def names_line(error: MalformedRelease, line: int) -> bool:
    """The message names the line, as `path:12: ...` or `line 12: ...`."""
    return re.search(rf"(?::|\bline ){line}:", str(error)) is not None


def parsed_or_refused(text: str) -> ParsedRelease | MalformedRelease:
    try:
        return parse_release(text, "acme-2024-q4")
    except MalformedRelease as exc:
        return exc


def assert_names_line(outcome: ParsedRelease | MalformedRelease, line: int) -> None:
    """Refused naming the line, or parsed with a warning that names it."""
    if isinstance(outcome, MalformedRelease):
        assert outcome.line == line
        assert names_line(outcome, line)
    else:
        assert any(f"line {line}" in w for w in outcome.warnings), outcome.warnings


# ---------------------------------------------------------------- a sound table, for contrast


def test_the_sound_table_parses_without_warnings(tmp_path: Path) -> None:
    parsed = read_release(write_release(tmp_path, HEADLINE + TABLE))

    assert len(parsed.facts) == 8
    assert parsed.warnings == ()
    assert parsed.release == "acme-2024-q4"


# ---------------------------------------------------------------- refused at the line at fault


@pytest.mark.parametrize(
    ("tail", "line_starts", "says"),
    [
        pytest.param(
            "Operating expenses\n",
            "Operating expenses",
            ("Operating expenses", "truncated"),
            id="file_cut_after_a_label_line_names_that_line",
        ),
        pytest.param(
            "Research and\n development",
            " development",
            ("Research and development",),
            id="file_cut_inside_a_wrapped_label_names_its_last_line",
        ),
        pytest.param(
            "Gross profit         32,500        29,250       124,125       110,000       99,000\n",
            "Gross profit",
            ("5 values for 4 columns",),
            id="row_with_too_many_cells",
        ),
    ],
)
def test_a_refused_table_names_the_line_at_fault(
    tmp_path: Path, tail: str, line_starts: str, says: tuple[str, ...]
) -> None:
    text = HEADLINE + TABLE + tail
    error = refused(tmp_path, text)
    line = line_of(text, line_starts)

    assert names_line(error, line)
    assert refused_text(text).line == line
    for words in says:
        assert words in str(error)


def test_read_release_keeps_the_line_number_of_the_error(tmp_path: Path) -> None:
    text = HEADLINE + TABLE + "Operating expenses\n"
    error = refused(tmp_path, text)

    assert error.line == line_of(text, "Operating expenses")


# ---------------------------------------------------------------- rows with cells missing


@pytest.mark.parametrize(
    ("label", "cells", "after", "expected"),
    [
        pytest.param(
            "Gross profit",
            {0: "32,500", 1: "29,250"},
            "",
            [(Q4_FY24, Decimal(32500)), (Q3_FY24, Decimal(29250))],
            id="file_cut_in_the_middle_of_a_row",
        ),
        pytest.param(
            "Other income",
            {1: "(250)", 3: "1,050"},
            "\n",
            [(Q3_FY24, Decimal(-250)), (FY23, Decimal(1050))],
            id="row_with_two_missing_cells",
        ),
    ],
)
def test_a_row_with_cells_missing_names_its_line_and_keeps_its_values_in_their_columns(
    label: str, cells: dict[int, str], after: str, expected: list[tuple[Period, Decimal]]
) -> None:
    text = HEADLINE + TABLE + place(label, cells) + after
    line = line_of(text, label)
    outcome = parsed_or_refused(text)

    assert_names_line(outcome, line)
    if isinstance(outcome, ParsedRelease):
        placed = [(f.period, f.value) for f in outcome.facts if f.line == line]
        assert placed == expected


@pytest.mark.parametrize("missing", [0, 1, 2, 3])
def test_row_with_a_missing_cell_names_its_line_and_misplaces_nothing(missing: int) -> None:
    values = ["32,500", "29,250", "124,125", "110,000"]
    row = place("Gross profit", {i: v for i, v in enumerate(values) if i != missing})
    text = HEADLINE + TABLE + row + "\n"
    line = line_of(text, "Gross profit")
    outcome = parsed_or_refused(text)

    assert_names_line(outcome, line)
    if isinstance(outcome, ParsedRelease):
        placed = [(f.period, f.raw) for f in outcome.facts if f.line == line]
        expected = [(COLUMNS[i], v) for i, v in enumerate(values) if i != missing]
        assert placed == expected
        assert len(outcome.facts) == 8 + 3


def test_missing_cell_warning_names_the_empty_column() -> None:
    row = place("Gross profit", {0: "32,500", 2: "124,125", 3: "110,000"})
    parsed = parse_release(HEADLINE + TABLE + row + "\n", "acme")

    assert len(parsed.warnings) == 1
    assert "March 31, 2024" in parsed.warnings[0]
    assert "Gross profit" in parsed.warnings[0]


def test_value_halfway_between_two_columns_is_not_guessed_into_either() -> None:
    row = "Gross profit".ljust(48) + "32,500"  # ends at 54: 7 past one column, 7 short of the next
    text = HEADLINE + TABLE + row + "\n"
    outcome = parsed_or_refused(text)
    line = line_of(text, "Gross profit")

    assert_names_line(outcome, line)
    if isinstance(outcome, ParsedRelease):
        assert [f for f in outcome.facts if f.line == line] == []


# ---------------------------------------------------------------- files that are not releases


@pytest.mark.parametrize(
    ("content", "says_one_of"),
    [
        pytest.param("", ("empty",), id="empty_file"),
        pytest.param("\n   \n\t\n", ("empty",), id="file_of_blank_lines"),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
            ("binary", "UTF-8"),
            id="binary_file",
        ),
        pytest.param(
            (HEADLINE + TABLE).encode() + b"\x00\x00",
            ("binary",),
            id="text_with_nul_bytes_as_binary",
        ),
        pytest.param(
            (HEADLINE + TABLE).encode("utf-16"), ("binary", "UTF-8"), id="file_in_another_encoding"
        ),
        pytest.param(
            HEADLINE + "Revenue was $70.5 million, up 12% from last year.\n",
            ("no tables",),
            id="file_without_tables",
        ),
        pytest.param(
            (HEADLINE + TABLE) * (MAX_BYTES // len(HEADLINE + TABLE) + 1),
            ("bytes",),
            id="oversized_file",
        ),
    ],
)
def test_a_file_that_is_not_a_release_is_refused_saying_why(
    tmp_path: Path, content: str | bytes, says_one_of: tuple[str, ...]
) -> None:
    error = refused(tmp_path, content)

    assert any(words in str(error) for words in says_one_of)


def test_missing_file_is_refused_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.txt"

    with pytest.raises(MalformedRelease) as info:
        read_release(path)

    assert str(path) in str(info.value)


# ---------------------------------------------------------------- headers


def test_column_header_without_a_period_is_read_as_a_dimension_member(tmp_path: Path) -> None:
    """Was refused before issue 11; a column that is not a period is now a member, not an error."""
    text = HEADLINE + TABLE.replace(
        "  June 30,     March 31,      June 30,      June 30,",
        "  Actual        Budget        Actual        Budget  ",
    ).replace(
        "    2024          2024          2024          2023",
        "                                                  ",
    )
    parsed = read_release(write_release(tmp_path, text))

    assert parsed.facts
    assert {f.member for f in parsed.facts} == {"Actual", "Budget"}
    assert {f.period for f in parsed.facts} == {None}


def test_column_header_with_a_date_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    text = HEADLINE + TABLE.replace("March 31,", "March 41,")
    error = refused(tmp_path, text)
    line = refused_text(text).line

    assert line is not None and names_line(error, line)
    assert "March 41" in str(error)


def test_table_without_a_rule_under_its_header_is_not_read_as_a_table(tmp_path: Path) -> None:
    lines = [line for line in TABLE.splitlines() if set(line.strip()) - {"-", " "}]
    error = refused(tmp_path, HEADLINE + "\n".join(lines) + "\n")

    assert "no tables" in str(error)
