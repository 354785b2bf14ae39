"""Fixed-width tables without rule lines, found by the alignment of their figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from index.aligned import find_tables
from index.config import DEFAULT_RELEASE
from index.periods import Period
from index.readers import choose
from index.readers.aligned_text import read
from index.release import parse_read

HEADLINE = """\
XYZ Foods Reports Second Quarter Results

CHICAGO, July 22, 2004 -- XYZ Foods Inc. (NYSE: XYZ) today reported results for its second
quarter ended July 3, 2004. Net sales rose 5.9 percent to $1,024.6 million.

"""

INCOME = """\
                              XYZ FOODS INC.
                     Consolidated Statements of Income
           For the 13 Weeks Ended July 3, 2004 and June 28, 2003
               (millions, except earnings per common share)

                                                    2004         2003
Net sales                                       $ 1,024.6    $   967.3
Cost of sales                                       612.4        580.1
Restructuring charge                                    -         (4.2)
Interest on senior notes due 2010                    12.0         11.5
Notes maturing in  2012                               3.0          3.1
Income before income taxes and
  cumulative effect of accounting change            167.2        159.5
Net income                                      $   105.3    $   102.0

Earnings per common share
  Basic                                         $    0.81    $    0.74
  Diluted                                       $    0.80    $    0.73
"""

WEEKS = """\
                                   13 Weeks Ended             26 Weeks Ended
                               July 3,     June 28,       July 3,      June 28,
                                 2004        2003           2004         2003
Net sales                   $ 1,024.6   $   967.3      $ 2,050.1    $ 1,925.5
Operating profit                167.2       159.5          330.4        301.2
"""

SEGMENTS = """\
                   For the 13 Weeks Ended July 3, 2004 and June 28, 2003
                      Snacks              Beverages               Total
                    2004      2003       2004      2003        2004       2003
Net sales        $ 600.1   $ 560.2    $ 424.5   $ 407.1   $ 1,024.6    $ 967.3
Operating profit    90.2      85.1       77.0      74.4       167.2      159.5
"""

FOOTER = """

Contact: Investor Relations, 312-555-0100.
"""


def _release() -> str:
    return HEADLINE + INCOME + "\n\n" + WEEKS + "\n\n" + SEGMENTS + FOOTER


def _texts(row) -> list[object]:
    return [(c.text, c.span) if c.span > 1 else c.text for c in row]


def test_a_caption_over_a_pair_of_year_columns_heads_both():
    (grid,) = find_tables(INCOME.splitlines())
    assert grid.title == "Consolidated Statements of Income"
    assert grid.notes == ("(millions, except earnings per common share)",)
    assert grid.header_rows == 2
    assert _texts(grid.rows[0]) == [
        "",
        ("For the 13 Weeks Ended July 3, 2004 and June 28, 2003", 2),
        "",
    ]
    assert _texts(grid.rows[1]) == ["", "2004", "2003"]
    assert _texts(grid.rows[2]) == ["Net sales", "$ 1,024.6", "$ 967.3"]


def test_a_number_inside_a_label_stays_in_the_label_and_sections_stay_rows():
    (grid,) = find_tables(INCOME.splitlines())
    labels = [r[0].text for r in grid.rows[grid.header_rows :]]
    assert "Interest on senior notes due 2010" in labels
    assert "Notes maturing in 2012" in labels
    assert _texts(grid.rows[labels.index("Earnings per common share") + grid.header_rows]) == [
        "Earnings per common share",
        "",
        "",
    ]


def test_a_label_wrapped_over_two_lines_is_one_row_on_its_first_line():
    (grid,) = find_tables(INCOME.splitlines())
    row = next(r for r in grid.rows if r[0].text.startswith("Income before"))
    assert _texts(row) == [
        "Income before income taxes and cumulative effect of accounting change",
        "167.2",
        "159.5",
    ]
    assert row[0].line == row[1].line - 1


def test_a_zero_dash_and_a_negative_stay_in_their_columns():
    (grid,) = find_tables(INCOME.splitlines())
    row = next(r for r in grid.rows if r[0].text == "Restructuring charge")
    assert _texts(row) == ["Restructuring charge", "-", "(4.2)"]


def test_week_captions_span_their_pairs_over_stacked_dates():
    (grid,) = find_tables(WEEKS.splitlines())
    assert grid.header_rows == 3
    assert _texts(grid.rows[0]) == ["", ("13 Weeks Ended", 2), "", ("26 Weeks Ended", 2), ""]
    assert _texts(grid.rows[1]) == ["", "July 3,", "June 28,", "July 3,", "June 28,"]
    assert _texts(grid.rows[2]) == ["", "2004", "2003", "2004", "2003"]


def test_side_by_side_groups_take_the_captions_centred_over_them():
    (grid,) = find_tables(SEGMENTS.splitlines())
    assert grid.width == 7
    assert _texts(grid.rows[1]) == [
        "",
        ("Snacks", 2),
        "",
        ("Beverages", 2),
        "",
        ("Total", 2),
        "",
    ]
    assert _texts(grid.rows[0])[1] == ("For the 13 Weeks Ended July 3, 2004 and June 28, 2003", 6)
    assert _texts(grid.rows[3])[5:] == ["$ 1,024.6", "$ 967.3"]


def test_every_cell_carries_its_line_and_characters():
    lines = _release().splitlines()
    grids = find_tables(lines)
    assert len(grids) == 3
    for grid in grids:
        first, last = grid.lines
        for row in grid.rows:
            for cell in row:
                if cell.text:
                    assert first <= cell.line <= last
                    printed = " ".join(lines[cell.line - 1][cell.start : cell.end].split())
                    assert cell.text.startswith(printed) and printed


def test_rule_less_text_goes_to_the_aligned_reader_and_ruled_text_to_the_text_reader():
    assert choose(".txt", _release()).name == "aligned_text"
    assert choose(".txt", DEFAULT_RELEASE.read_text(encoding="utf-8")).name == "text"


def test_narrative_leaves_the_tables_out():
    release = read(_release(), "xyz")
    texts = [p.text for p in release.passages]
    assert texts[0] == "XYZ Foods Reports Second Quarter Results"
    assert texts[1].startswith("CHICAGO, July 22, 2004 -- XYZ Foods Inc. (NYSE: XYZ)")
    assert texts[-1] == "Contact: Investor Relations, 312-555-0100."
    assert not any("Weeks Ended" in t or "Operating profit" in t for t in texts)
    table_lines = {n for g in release.grids for n in range(g.lines[0], g.lines[1] + 1)}
    assert not any(p.first_line in table_lines for p in release.passages)


def _facts():
    return parse_read(read(_release(), "xyz")).facts


def test_thirteen_week_columns_are_the_quarters_they_end():
    facts = [f for f in _facts() if f.table_index == 0]
    assert len(facts) == 18
    wrapped = next(f for f in facts if f.row[-1].startswith("Income before"))
    assert wrapped.row == ("Income before income taxes and cumulative effect of accounting change",)
    assert wrapped.lines[1] == wrapped.lines[0] + 1
    sales = {f.period: f for f in facts if f.row == ("Net sales",)}
    assert set(sales) == {Period("quarter", 2004, 2), Period("quarter", 2003, 2)}
    assert sales[Period("quarter", 2004, 2)].period.end == date(2004, 7, 3)
    assert sales[Period("quarter", 2003, 2)].period.end == date(2003, 6, 28)
    assert (sales[Period("quarter", 2004, 2)].value, sales[Period("quarter", 2004, 2)].scale) == (
        Decimal("1024.6"),
        "millions",
    )
    eps = next(f for f in facts if f.row == ("Earnings per common share", "Diluted"))
    assert (eps.unit, eps.scale) == ("USD per share", "units")
    zero = next(f for f in facts if f.row == ("Restructuring charge",) and f.value == 0)
    assert zero.period == Period("quarter", 2004, 2)


def test_twenty_six_weeks_are_the_half_year_to_date():
    facts = [f for f in _facts() if f.table_index == 1]
    assert {f.period for f in facts} == {
        Period("quarter", 2004, 2),
        Period("quarter", 2003, 2),
        Period("ytd", 2004, 2),
        Period("ytd", 2003, 2),
    }
    half = next(f for f in facts if f.period == Period("ytd", 2004, 2) and f.row == ("Net sales",))
    assert (half.value, half.scale, half.unit) == (Decimal("2050.1"), "millions", "USD")


def test_segment_columns_keep_their_segment_and_period():
    facts = [f for f in _facts() if f.table_index == 2]
    assert len(facts) == 12
    snacks = [f for f in facts if "Snacks" in f.column and f.row == ("Net sales",)]
    assert {(f.period, f.value) for f in snacks} == {
        (Period("quarter", 2004, 2), Decimal("600.1")),
        (Period("quarter", 2003, 2), Decimal("560.2")),
    }


def test_segment_columns_are_members_of_a_dimension():
    facts = [f for f in _facts() if f.table_index == 2]
    assert {f.member for f in facts} == {"Snacks", "Beverages", "Total"}
    keys = [(f.row, f.period, f.member) for f in facts]
    assert len(set(keys)) == len(keys) == 12
