"""Malformed input: refused with `MalformedRelease` naming the file and line at fault, or parsed
with a warning naming the line; never a fact silently put in the wrong place."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from index.errors import MalformedRelease
from index.periods import Period
from index.release import MAX_BYTES, ParsedRelease, parse_release, read_release

HEADLINE = """\
Acme Widgets Reports Fourth Quarter and Fiscal 2024 Results

SAN JOSE, CA -- Acme Widgets, Inc. (NASDAQ: ACME) today reported financial results for its fourth \
quarter and fiscal year ended June 30, 2024. Revenue for the year grew 12.5% to $270.1 million.



"""

TABLE = """\
Acme Widgets, Inc.
Condensed Consolidated Statements of Income
(In thousands)
                         Three Months Ended          Twelve Months Ended
                     --------------------------  --------------------------
                       June 30,     March 31,      June 30,      June 30,
                         2024          2024          2024          2023
                     ------------  ------------  ------------  ------------
Revenue              $     70,500  $     64,250  $    270,125  $    240,000
Cost of revenue            38,000        35,000       146,000       130,000
"""

Q4_FY24 = Period("quarter", 2024, 4)
Q3_FY24 = Period("quarter", 2024, 3)
FY24 = Period("year", 2024)
FY23 = Period("year", 2023)
COLUMNS = [Q4_FY24, Q3_FY24, FY24, FY23]
# Where each column's values end (exclusive): the ends of the dash runs of the rule.
ENDS = [33, 47, 61, 75]


def write(tmp_path: Path, text: str | bytes, name: str = "acme-2024-q4.txt") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


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
    path = write(tmp_path, text)
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
    parsed = read_release(write(tmp_path, HEADLINE + TABLE))

    assert len(parsed.facts) == 8
    assert parsed.warnings == ()
    assert parsed.release == "acme-2024-q4"


# ---------------------------------------------------------------- truncated tables


def test_file_cut_after_a_label_line_names_that_line(tmp_path: Path) -> None:
    text = HEADLINE + TABLE + "Operating expenses\n"
    error = refused(tmp_path, text)
    line = line_of(text, "Operating expenses")

    assert names_line(error, line)
    assert refused_text(text).line == line
    assert "Operating expenses" in str(error)
    assert "truncated" in str(error)


def test_file_cut_inside_a_wrapped_label_names_its_last_line(tmp_path: Path) -> None:
    text = HEADLINE + TABLE + "Research and\n development"
    error = refused(tmp_path, text)
    line = line_of(text, " development")

    assert names_line(error, line)
    assert refused_text(text).line == line
    assert "Research and development" in str(error)


def test_file_cut_in_the_middle_of_a_row_keeps_its_values_in_their_columns(tmp_path: Path) -> None:
    row = place("Gross profit", {0: "32,500", 1: "29,250"})
    text = HEADLINE + TABLE + row
    line = line_of(text, "Gross profit")
    outcome = parsed_or_refused(text)

    assert_names_line(outcome, line)
    if isinstance(outcome, ParsedRelease):
        placed = [(f.period, f.value) for f in outcome.facts if f.line == line]
        assert placed == [(Q4_FY24, Decimal(32500)), (Q3_FY24, Decimal(29250))]


# ---------------------------------------------------------------- rows with the wrong cell count


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


def test_row_with_two_missing_cells_names_its_line_and_misplaces_nothing() -> None:
    row = place("Other income", {1: "(250)", 3: "1,050"})
    text = HEADLINE + TABLE + row + "\n"
    line = line_of(text, "Other income")
    outcome = parsed_or_refused(text)

    assert_names_line(outcome, line)
    if isinstance(outcome, ParsedRelease):
        placed = [(f.period, f.value) for f in outcome.facts if f.line == line]
        assert placed == [(Q3_FY24, Decimal(-250)), (FY23, Decimal(1050))]


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


def test_row_with_too_many_cells_is_refused_with_its_line(tmp_path: Path) -> None:
    row = "Gross profit         32,500        29,250       124,125       110,000       99,000"
    text = HEADLINE + TABLE + row + "\n"
    error = refused(tmp_path, text)
    line = line_of(text, "Gross profit")

    assert names_line(error, line)
    assert refused_text(text).line == line
    assert "5 values for 4 columns" in str(error)


def test_read_release_keeps_the_line_number_of_the_error(tmp_path: Path) -> None:
    text = HEADLINE + TABLE + "Operating expenses\n"
    error = refused(tmp_path, text)

    assert error.line == line_of(text, "Operating expenses")


# ---------------------------------------------------------------- files that are not releases


def test_empty_file_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, "")

    assert "empty" in str(error)


def test_file_of_blank_lines_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, "\n   \n\t\n")

    assert "empty" in str(error)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")

    assert "binary" in str(error) or "UTF-8" in str(error)


def test_text_with_nul_bytes_is_refused_as_binary(tmp_path: Path) -> None:
    error = refused(tmp_path, (HEADLINE + TABLE).encode() + b"\x00\x00")

    assert "binary" in str(error)


def test_file_in_another_encoding_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, (HEADLINE + TABLE).encode("utf-16"))

    assert "binary" in str(error) or "UTF-8" in str(error)


def test_file_without_tables_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, HEADLINE + "Revenue was $70.5 million, up 12% from last year.\n")

    assert "no tables" in str(error)


def test_missing_file_is_refused_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.txt"

    with pytest.raises(MalformedRelease) as info:
        read_release(path)

    assert str(path) in str(info.value)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, (HEADLINE + TABLE) * (MAX_BYTES // len(HEADLINE + TABLE) + 1))

    assert "bytes" in str(error)


# ---------------------------------------------------------------- headers


def test_column_header_without_a_period_is_refused_naming_the_header(tmp_path: Path) -> None:
    text = HEADLINE + TABLE.replace(
        "  June 30,     March 31,      June 30,      June 30,",
        "  Actual        Budget        Actual        Budget  ",
    ).replace(
        "    2024          2024          2024          2023",
        "                                                  ",
    )
    error = refused(tmp_path, text)
    header_lines = range(line_of(text, "                         Three"), line_of(text, "Revenue"))

    line = refused_text(text).line

    assert line in header_lines
    assert names_line(error, line)
    assert "Actual" in str(error)
    assert "period" in str(error)


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
