"""The tie-out audit reads every layout's tables by their structure, not by how they print.

The bundled text release rendered to HTML audits like the text itself; in markup (Markdown,
TAT-QA JSON) a total foots over the rows of its own section, a line of a section is never taken
for a running total built on the section before it, and a total no rows tie to is skipped with
its reason rather than failed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal

import pytest
from render_html import render_release

from index.audit import SKIPPED, AuditReport, Check, audit
from index.checks import row_problems
from index.config import DEFAULT_RELEASE
from index.release import ParsedRelease, parse_text

# Two sections of one table that both total net sales: the second's last line equals the
# first section's total minus the lines before it, which is no reason to call it a total.
SECTIONS = [
    ["", "2019", "2018"],
    ["Net sales by region:", "", ""],
    ["Americas", "10,000", "8,000"],
    ["Europe", "5,000", "4,000"],
    ["Total net sales", "15,000", "12,000"],
    ["Net sales by category:", "", ""],
    ["Products", "9,000", "7,000"],
    ["Services", "6,000", "5,000"],
    ["Total net sales", "15,000", "12,000"],
]


def markdown(rows: list[list[str]]) -> str:
    lines = ["# Net sales (in thousands)", "", "| " + " | ".join(rows[0]) + " |"]
    lines.append("|" + "---|" * len(rows[0]))
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines) + "\n\nNet sales grew in both regions.\n"


def tatqa(rows: list[list[str]]) -> str:
    return json.dumps(
        {
            "table": {"uid": "t", "table": rows},
            "paragraphs": [{"uid": "p", "order": 1, "text": "Sales (in thousands) grew."}],
        }
    )


LAYOUTS = {"markdown": (markdown, ".md"), "tatqa": (tatqa, ".json")}


def parsed_as(layout: str, rows: list[list[str]]) -> ParsedRelease:
    render, suffix = LAYOUTS[layout]
    parsed = parse_text(render(rows), "sections", suffix)
    assert parsed.layout == layout
    return parsed


def footings(report: AuditReport) -> list[Check]:
    return [c for c in report.checks if c.kind == "footing"]


def key(check: Check) -> tuple[str, str, str | None, str]:
    """A check as the reader ticks it, without the line numbers each layout prints."""
    row = re.sub(r",? ?\(?line \d+\)?", "", check.name.split(" = ")[0].split(": ", 1)[-1])
    return (check.kind, row, check.period.label if check.period else None, check.status)


@pytest.fixture(scope="module")
def text_and_html() -> tuple[AuditReport, AuditReport]:
    text = parse_text(DEFAULT_RELEASE.read_text(encoding="utf-8"), "infinera")
    page = parse_text(render_release(text), "infinera", ".htm")
    assert page.layout == "html"
    return audit(text), audit(page)


def test_the_html_rendering_audits_like_the_text(
    text_and_html: tuple[AuditReport, AuditReport],
) -> None:
    text, page = text_and_html

    assert text.ok and page.ok, [c.name for c in page.failures]
    assert page.summary().skipped == 0
    by_kind = {k: n for k, n, _ in page.summary().by_kind}
    assert by_kind == {k: n for k, n, _ in text.summary().by_kind} | {"footing": 78}
    missing = Counter(map(key, text.checks)) - Counter(map(key, page.checks))
    # HTML prints no rule lines: the rows under a double rule are simply no totals there.
    assert missing
    assert all(
        c.status == SKIPPED and "double rule" in c.note for c in text.checks if key(c) in missing
    )
    assert not Counter(map(key, page.checks)) - Counter(map(key, text.checks))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_total_foots_over_its_own_section(layout: str) -> None:
    report = audit(parsed_as(layout, SECTIONS))

    checks = footings(report)
    assert report.ok
    assert [(c.status, [label for label, _, _ in c.inputs]) for c in checks] == [
        ("passed", ["Americas", "Europe"]),
        ("passed", ["Americas", "Europe"]),
        ("passed", ["Products", "Services"]),
        ("passed", ["Products", "Services"]),
    ]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_wrong_line_of_a_section_fails_its_own_total_only(layout: str) -> None:
    rows = [list(r) for r in SECTIONS]
    rows[6][1] = "9,100"  # Products, 2019

    report = audit(parsed_as(layout, rows))

    [failed] = report.failures
    assert [label for label, _, _ in failed.inputs] == ["Products", "Services"]
    assert (failed.expected, failed.actual) == (Decimal(15100), Decimal(15000))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_total_no_rows_tie_to_is_skipped_with_its_reason(layout: str) -> None:
    rows = [
        ["", "2019", "2018"],
        ["Backlog", "4,000", "3,000"],
        ["Orders received", "2,500", "2,100"],
        ["Total shipments", "7,700", "6,300"],
    ]

    report = audit(parsed_as(layout, rows))

    [check] = footings(report)
    assert check.status == SKIPPED and report.ok
    assert "no set of the rows of its section ties to it" in check.note


def test_a_markup_row_with_an_empty_cell_is_no_missing_figure() -> None:
    rows = [["", "2019", "2018"], ["Revenue", "10,000", ""], ["Cost", "4,000", "3,000"]]

    assert row_problems(parsed_as("tatqa", rows)) == []


def test_a_wrong_total_in_the_html_rendering_fails_as_in_the_text() -> None:
    released = DEFAULT_RELEASE.read_text(encoding="utf-8")
    assert released.count("128,064") == 1  # total revenue, fourth quarter of 2012
    text = parse_text(released.replace("128,064", "128,164"), "infinera")
    page = parse_text(render_release(text), "infinera", ".htm")

    text_failures, page_failures = audit(text).failures, audit(page).failures

    assert text_failures
    assert sorted(map(key, page_failures)) == sorted(map(key, text_failures))
    assert any(c.actual == Decimal(128164) and c.expected == Decimal(128064) for c in page_failures)
