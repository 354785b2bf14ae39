"""A question naming a section heading and a line under it asks for that line: the row whose
own label is the heading's words ('Net income') does not outrank it."""

from __future__ import annotations

import pytest
from releases import JUNE_2024_COLUMNS, income_statement, parse_acme

from bot.metrics import MetricIndex, MetricRow, expand
from bot.text import content_tokens

INCOME = income_statement(
    """\
Revenue              $     70,500  $     64,250  $    270,125  $    240,000
Cost of revenue            38,000        35,000       146,000       130,000
                     ------------  ------------  ------------  ------------
Gross profit               32,500        29,250       124,125       110,000
Operating expenses:
  Other operating
   costs                    4,000         3,500        16,000        14,000
  Integration and
   other acquisition
   costs (benefit)            300          (50)        1,000           200
  Total operating
   expenses                16,000        15,000        64,000        58,000
                     ------------  ------------  ------------  ------------
Net income           $     12,500  $     10,250  $     44,125  $     38,000
                     ============  ============  ============  ============
"""
)

RECONCILIATION = f"""\
Acme Widgets, Inc.
GAAP to Non-GAAP Reconciliations
(In thousands)

{JUNE_2024_COLUMNS}
Reconciliation of
 Net Income:
GAAP as reported     $     12,500  $     10,250  $     44,125  $     38,000
Integration and
 other acquisition
 costs (benefit)(1)           300           (50)        1,000           200
                     ------------  ------------  ------------  ------------
Non-GAAP as adjusted $     12,800  $     10,200  $     45,125  $     38,200
                     ============  ============  ============  ============
"""


@pytest.fixture(scope="module")
def index() -> MetricIndex:
    return MetricIndex(list(parse_acme(INCOME, RECONCILIATION).facts))


def best(index: MetricIndex, phrase: str) -> MetricRow:
    matches = index.match(content_tokens(expand(phrase, index.phrases, index.printed)))
    assert matches, f"nothing matched {phrase!r}"
    return matches[0].row


def test_a_line_named_with_its_heading_outranks_the_row_printing_the_heading(
    index: MetricIndex,
) -> None:
    row = best(index, "integration adjustment made to get from GAAP to non-GAAP net income")

    assert row.row == (
        "Reconciliation of Net Income",
        "Integration and other acquisition costs (benefit)",
    )


def test_the_line_named_with_its_heading_is_as_confident_as_the_heading(
    index: MetricIndex,
) -> None:
    phrase = "integration adjustment in the net income reconciliation"
    matches = index.match(content_tokens(expand(phrase, index.phrases, index.printed)))

    assert matches[0].row.row[0] == "Reconciliation of Net Income"
    assert matches[0].label_coverage == pytest.approx(1.0)
    assert matches[0].score > matches[1].score


def test_the_heading_alone_still_names_its_own_row(index: MetricIndex) -> None:
    assert best(index, "net income").row == ("Net income",)


def test_a_word_the_heading_also_holds_does_not_lift_a_line_under_it(index: MetricIndex) -> None:
    """'Other operating costs' under 'Operating expenses' holds 'operating', a word of its
    heading: 'operating expenses' names the total, not that line."""
    row = best(index, "operating expenses")

    assert row.row[-1] == "Total operating expenses"
