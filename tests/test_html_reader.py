"""The HTML reader: SEC exhibits and newsroom pages read into narrative and table grids."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from index.config import DEFAULT_RELEASE
from index.errors import MalformedRelease
from index.periods import Period
from index.readers import choose
from index.readers.html import read, repair_text
from index.release import parse_read, parse_release, read_release
from tests.render_html import render_release

APPLE = Path(__file__).resolve().parent.parent / "data" / "releases" / "AAPL-Q1FY2024.htm"
APPLE_TEXT = APPLE.read_text(encoding="utf-8")
FIGURE_TD_RE = re.compile(r"\(?[\d,.]*\d\)?|\(?\d[\d,.]*|—")


def _apple():
    return read(APPLE_TEXT, "AAPL-Q1FY2024")


def _td_figures(table) -> list[str]:
    """An independent count: the digits of every `<td>` whose whole text is a figure."""
    out = []
    for td in table.iter("td"):
        text = td.text_content().replace("\xa0", " ").strip()
        if FIGURE_TD_RE.fullmatch(text):
            out.append(re.sub(r"\D", "", text) or "—")
    return sorted(out)


def _grid_figures(grid) -> list[str]:
    body = grid.rows[grid.header_rows or 0 :]
    return sorted(re.sub(r"\D", "", c.text) or c.text for row in body for c in row[1:] if c.text)


def test_apple_exhibit_yields_its_three_tables_with_every_figure():
    import lxml.html

    tables = list(lxml.html.document_fromstring(APPLE_TEXT.encode()).iter("table"))
    grids = _apple().grids
    assert len(grids) == 3
    for table, grid in zip(tables, grids, strict=True):
        expected = _td_figures(table)
        assert expected, "the exhibit's table holds figures"
        assert _grid_figures(grid) == expected
    assert [len(_grid_figures(g)) for g in grids] == [62, 54, 56]


def test_apple_tables_take_their_title_and_scale_from_the_lines_above():
    grids = _apple().grids
    assert [g.title for g in grids] == [
        "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS (Unaudited)",
        "CONDENSED CONSOLIDATED BALANCE SHEETS (Unaudited)",
        "CONDENSED CONSOLIDATED STATEMENTS OF CASH FLOWS (Unaudited)",
    ]
    assert grids[0].notes[0].startswith("(In millions, except number of shares")
    assert grids[2].notes == ("(In millions)",)


def test_dollar_cells_and_spacer_columns_make_one_value_column_per_period():
    ops = _apple().grids[0]
    assert ops.width == 3
    assert ops.header_rows == 2
    caption, dates = ops.rows[0], ops.rows[1]
    assert (caption[1].text, caption[1].span) == ("Three Months Ended", 2)
    assert [c.text for c in dates[1:]] == ["December 30, 2023", "December 31, 2022"]
    products = next(r for r in ops.rows if r[0].text == "Products")
    assert [c.text for c in products] == ["Products", "$ 96,458", "$ 96,388"]
    repayments = next(r for r in _apple().grids[2].rows if r[0].text == "Repayments of term debt")
    assert [c.text for c in repayments[1:]] == ["—", "(1,401)"]


def test_every_cell_stands_on_its_line_at_its_characters():
    release = _apple()
    for grid in release.grids:
        first, last = grid.lines
        for row in grid.rows:
            for cell in row:
                if cell.text:
                    assert first <= cell.line <= last
                    assert release.lines[cell.line - 1][cell.start : cell.end] == cell.text


def test_apple_narrative_holds_the_release_and_not_its_tables():
    release = _apple()
    texts = [p.text for p in release.passages]
    assert release.title == "Apple reports first quarter results"
    assert any(t.startswith("CUPERTINO, CALIFORNIA — Apple® today announced") for t in texts)
    assert not any("96,458" in t or "CONDENSED CONSOLIDATED" in t for t in texts)
    for p in release.passages:
        assert release.lines[p.first_line - 1].strip() in p.text


def test_apple_periods_follow_its_fiscal_calendar():
    parsed = read_release(APPLE)
    assert len(parsed.facts) == 172
    ops = [f for f in parsed.facts if f.table_index == 0]
    assert {f.period for f in ops} == {Period("quarter", 2024, 1), Period("quarter", 2023, 1)}
    latest = next(f for f in ops if f.row[-1] == "Products" and f.period.fiscal_year == 2024)
    assert (latest.value, latest.scale, latest.period.end) == (
        Decimal(96458),
        "millions",
        date(2023, 12, 30),
    )
    balance = [f for f in parsed.facts if f.table_index == 1]
    assert {(f.period.kind, f.period.end) for f in balance} == {
        ("instant", date(2023, 12, 30)),
        ("instant", date(2023, 9, 30)),
    }
    zero = next(f for f in parsed.facts if f.row[-1] == "Repayments of term debt")
    assert zero.value == 0
    china = [f for f in ops if f.row[-1] == "Greater China"]
    assert sorted(f.value for f in china) == [Decimal(20819), Decimal(23905)]


EDGAR_TABLE = """<html><body>
<div style="text-align:center"><b>ACME WIDGETS, INC.</b></div>
<div style="text-align:center"><b>CONDENSED STATEMENTS OF OPERATIONS</b></div>
<div style="text-align:center">(In thousands, except per-share amounts)</div>
<table style="border-collapse:collapse">
<tr><td style="width:40%"></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td></tr>
<tr><td rowspan="2" style="font-weight:bold">&#160;</td>
    <td colspan="7" style="text-align:center">Three Months Ended<sup>1</sup></td></tr>
<tr><td colspan="3" style="text-align:center">June 30,<br/>2024</td><td>&#160;</td>
    <td colspan="3" style="text-align:center">June 30,<br>2023</td></tr>
<tr><td>Revenue</td><td>$</td><td>1,250</td><td></td><td></td><td>$</td><td>1,100</td><td></td></tr>
<tr><td>Restructuring<sup>(2)</sup></td><td></td><td>&#151;</td><td></td><td></td><td></td><td>&mdash;</td><td></td></tr>
<tr><td>Operating loss</td><td>$</td><td>(704</td><td>)</td><td></td><td>$</td><td>(12</td><td>)</td></tr>
<tr><td>Gross margin</td><td></td><td>41.5</td><td>%</td><td></td><td></td><td>38.0</td><td>%</td></tr>
</table>
<p>(1) Unaudited. (2) Includes severance.</p>
</body></html>"""


def test_edgar_cells_are_joined_into_logical_cells():
    release = read(EDGAR_TABLE, "acme")
    (grid,) = release.grids
    assert grid.title == "CONDENSED STATEMENTS OF OPERATIONS"
    assert grid.notes == (
        "(In thousands, except per-share amounts)",
        "(1) Unaudited. (2) Includes severance.",
    )
    assert grid.width == 3
    assert (grid.rows[0][1].text, grid.rows[0][1].span) == ("Three Months Ended (1)", 2)
    assert [c.text for c in grid.rows[1][1:]] == ["June 30, 2024", "June 30, 2023"]
    body = {r[0].text: [c.text for c in r[1:]] for r in grid.rows[grid.header_rows :]}
    assert body == {
        "Revenue": ["$ 1,250", "$ 1,100"],
        "Restructuring (2)": ["—", "—"],
        "Operating loss": ["$ (704)", "$ (12)"],
        "Gross margin": ["41.5%", "38.0%"],
    }
    assert release.passages[-1].kind == "footnote"


def test_edgar_cells_give_facts_with_zero_dashes_and_split_negatives():
    parsed = parse_read(read(EDGAR_TABLE, "acme"))
    values = {(f.row[-1], f.period.fiscal_year): f for f in parsed.facts}
    assert len(parsed.facts) == 8
    assert values[("Operating loss", 2024)].value == Decimal(-704)
    assert values[("Restructuring", 2023)].value == 0
    assert values[("Gross margin", 2024)].unit == "percent"
    assert values[("Revenue", 2024)].scale == "thousands"


def test_apple_share_counts_take_the_thousands_the_caption_excepts_them_to():
    ops = [f for f in read_release(APPLE).facts if f.table_index == 0]
    diluted = next(
        f
        for f in ops
        if f.row[-2:] == ("Shares used in computing earnings per share", "Diluted")
        and f.period.fiscal_year == 2024
    )
    assert (diluted.value, diluted.unit, diluted.scale) == (
        Decimal(15576641),
        "shares",
        "thousands",
    )
    sales = next(f for f in ops if f.row[-1] == "Products" and f.period.fiscal_year == 2024)
    assert (sales.unit, sales.scale) == ("USD", "millions")


def _share_table(caption: str) -> str:
    return f"""<html><body>
<div style="text-align:center"><b>CONDENSED STATEMENTS OF OPERATIONS</b></div>
<div style="text-align:center">{caption}</div>
<table>
<tr><td></td><td colspan="2">Three Months Ended June 30, 2024</td></tr>
<tr><td>Net income</td><td>$</td><td>1,250</td></tr>
<tr><td>Net income per share, diluted</td><td>$</td><td>0.52</td></tr>
<tr><td>Weighted average shares outstanding, diluted</td><td></td><td>2,404</td></tr>
</table></body></html>"""


@pytest.mark.parametrize(
    ("caption", "shares"),
    [
        ("(In millions, except number of shares, which are reflected in thousands)", "thousands"),
        ("(in millions, except per share amounts and shares in thousands)", "thousands"),
        ("(In thousands, except share amounts)", "thousands"),
        ("(In millions, except per-share amounts)", "millions"),
    ],
)
def test_an_except_clause_gives_share_counts_their_own_scale(caption, shares):
    facts = parse_read(read(_share_table(caption), "acme")).facts
    by_row = {f.row[-1]: f for f in facts}
    assert by_row["Weighted average shares outstanding, diluted"].scale == shares
    assert by_row["Weighted average shares outstanding, diluted"].unit == "shares"
    assert by_row["Net income"].scale == caption.split()[1].rstrip(",").lower()
    assert (
        by_row["Net income per share, diluted"].unit,
        by_row["Net income per share, diluted"].scale,
    ) == ("USD per share", "units")


LAYOUT_PAGE = """<html><body>
<table><tr><td><img src="logo.gif"></td><td>Acme Widgets</td></tr></table>
<p>SAN JOSE, CA -- Acme Widgets, Inc. (NASDAQ: ACME) today reported results for its fourth quarter ended June 30, 2024.</p>
<table>
<tr><td>&#8226;</td><td>Revenue grew 12.5% to $270.1 million, a record for the year.</td></tr>
<tr><td>&#8226;</td><td>Gross margin was 41% in the quarter.</td></tr>
</table>
</body></html>"""


def test_layout_tables_without_figures_are_read_as_text():
    release = read(LAYOUT_PAGE, "acme")
    assert release.grids == ()
    texts = [p.text for p in release.passages]
    assert "• Revenue grew 12.5% to $270.1 million, a record for the year." in texts
    assert "• Gross margin was 41% in the quarter." in texts


NEWSROOM = """<!DOCTYPE html><html><head><title>Acme Widgets Reports Record Fourth Quarter</title>
<style>.nav { color: red }</style><script>var tracking = "Buy now";</script></head>
<body>
<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<header class="site-header"><a href="/">Home</a> <a href="/news">Newsroom</a></header>
<nav><ul><li><a href="/products">Products</a></li><li><a href="/investors">Investors</a></li></ul></nav>
<main>
<article>
<header><h1>Acme Widgets Reports Record Fourth Quarter</h1></header>
<p>SAN JOSE, CA -- Acme Widgets, Inc. (NASDAQ: ACME) today reported financial results for its
fourth quarter ended June 30, 2024. Revenue for the quarter was $70.2 million.</p>
<p>&#8220;We had a strong finish to the year,&#8221; said the chief executive officer.</p>
<div class="social-share"><a href="#">Share on LinkedIn</a></div>
<section><h2>More News</h2><ul><li><a href="/n/1">Acme opens a plant</a></li>
<li><a href="/n/2">Acme names a new CFO</a></li></ul></section>
</article>
</main>
<aside><h3>Related releases</h3><p>Acme third quarter results</p></aside>
<footer><p>Â© 2025 Acme Widgets, Inc. All rights reserved. Privacy | Terms</p></footer>
<script>document.write("tracking pixel")</script>
</body></html>"""


def test_a_newsroom_page_gives_only_the_release_narrative():
    release = read(NEWSROOM, "acme")
    texts = [p.text for p in release.passages]
    assert release.title == "Acme Widgets Reports Record Fourth Quarter"
    assert texts[0] == "Acme Widgets Reports Record Fourth Quarter"
    assert texts[1].startswith("SAN JOSE, CA -- Acme Widgets, Inc. (NASDAQ: ACME) today reported")
    assert texts[2] == "“We had a strong finish to the year,” said the chief executive officer."
    assert len(texts) == 3
    rendered = "\n".join(release.lines)
    for left_out in (
        "cookies",
        "Newsroom",
        "Investors",
        "More News",
        "Acme opens a plant",
        "Share on",
        "Related",
        "tracking",
        "color: red",
        "All rights reserved",
    ):
        assert left_out not in rendered


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("Appleâ€™s CEO", "Apple’s CEO"),
        ("â€œRecordâ€\x9d quarter", "“Record” quarter"),
        ("Â© 2025 Acme", "© 2025 Acme"),
        ("cafÃ© sales", "café sales"),
        ("zero \x97 dash", "zero — dash"),
        ("café and naïve stay", "café and naïve stay"),
        ("Ã alone", "Ã alone"),
    ],
)
def test_mojibake_is_repaired_only_where_unambiguous(broken, fixed):
    assert repair_text(broken) == fixed


def test_html_files_go_to_the_html_reader():
    assert choose(".htm", APPLE_TEXT).name == "html"
    assert choose(".html", NEWSROOM).name == "html"


@pytest.mark.parametrize("text", ["", "   \n", "<html>\x00</html>"])
def test_empty_or_binary_html_is_refused_in_one_line(text):
    with pytest.raises(MalformedRelease) as err:
        read(text, "x")
    assert "\n" not in str(err.value)


def _key(f):
    return (f.table, f.row, f.column, f.period, f.value, f.unit, f.scale, f.basis)


def test_html_rendering_of_the_bundled_release_gives_the_same_531_facts():
    text = DEFAULT_RELEASE.read_text(encoding="utf-8")
    from_text = parse_release(text, "infinera")
    page = render_release(from_text)
    assert page.count("<table>") == 7 and "&#151;" in page and "<td>)</td>" in page
    from_html = parse_read(read(page, "infinera"))
    assert len(from_text.facts) == len(from_html.facts) == 531
    assert sorted(map(_key, from_html.facts), key=str) == sorted(
        map(_key, from_text.facts), key=str
    )
    for fact in from_html.facts:
        pos = fact.position
        assert from_html.document.lines[pos.line - 1][pos.start : pos.end].strip()


PRE_PAGE = """<html><body><p>XYZ Foods Inc. (NYSE: XYZ) today reported results for its second quarter
ended July 3, 2004.</p>
<pre>
                     Consolidated Statements of Income
           For the 13 Weeks Ended July 3, 2004 and June 28, 2003
               (millions, except earnings per common share)

                                                    2004         2003
Net sales                                       $ 1,024.6    $   967.3
Net income                                      $   105.3    $   102.0

Net income rose on higher volume.
</pre></body></html>"""


def test_fixed_width_text_in_a_pre_block_has_its_tables_found_by_alignment():
    release = read(PRE_PAGE, "xyz")
    (grid,) = release.grids
    assert grid.title == "Consolidated Statements of Income"
    row = grid.rows[grid.header_rows]
    assert [c.text for c in row] == ["Net sales", "$ 1,024.6", "$ 967.3"]
    assert release.lines[row[1].line - 1][row[1].start : row[1].end] == "$ 1,024.6"
    assert [p.text for p in release.passages][-1] == "Net income rose on higher volume."
    facts = parse_read(release).facts
    assert {(f.period.fiscal_year, f.period.quarter, f.scale) for f in facts} == {
        (2004, 2, "millions"),
        (2003, 2, "millions"),
    }


def test_a_container_named_like_navigation_that_holds_the_release_is_kept():
    page = NEWSROOM.replace("<main>", '<div class="page nav-offset"><main>').replace(
        "</main>", "</main></div>"
    )
    texts = [p.text for p in read(page, "acme").passages]
    assert texts[1].startswith("SAN JOSE, CA -- Acme Widgets, Inc.")
    assert not any("More News" in t or "cookies" in t for t in texts)


OLDER_EXHIBIT = """<html><body>
<p align=center><b>FABRIKAM, INC.<br>CONSOLIDATED STATEMENTS OF INCOME<br>
(in thousands, except per share data)<br>(unaudited)</b></p>
<table width=100% cellpadding=0 cellspacing=0>
<tr><td></td><td colspan=7 align=center><b>Three Months Ended<br>September 30,</b></td><td></td>
<td colspan=7 align=center><b>Nine Months Ended<br>September 30,</b></td></tr>
<tr><td></td><td colspan=2><b>2010</b></td><td></td><td colspan=2><b>2009</b></td><td></td>
<td><b>% Change</b></td><td></td><td colspan=2><b>2010</b></td><td></td><td colspan=2><b>2009</b></td>
<td></td><td><b>% Change</b></td></tr>
<tr><td>Net revenues</td><td>$</td><td align=right>52,310</td><td></td><td>$</td>
<td align=right>48,002</td><td></td><td align=right>9.0%</td><td></td><td>$</td>
<td align=right>150,220</td><td></td><td>$</td><td align=right>139,881</td><td></td><td>7.4%</td></tr>
<tr><td>Net income (loss)</td><td>$</td><td align=right>(1,204</td><td>)</td><td>$</td>
<td align=right>2,511</td><td></td><td align=right>n/m</td><td></td><td>$</td>
<td align=right>3,010</td><td></td><td>$</td><td align=right>(2,000</td><td>)</td><td>n/m</td></tr>
</table></body></html>"""


def test_an_older_exhibit_with_change_columns_and_a_title_broken_by_line_breaks():
    release = read(OLDER_EXHIBIT, "fabrikam")
    (grid,) = release.grids
    assert grid.title == "CONSOLIDATED STATEMENTS OF INCOME"
    assert grid.notes == ("(in thousands, except per share data)", "(unaudited)")
    assert [c.text for c in grid.rows[1][1:]] == ["2010", "2009", "% Change"] * 2
    assert [c.text for c in grid.rows[3][1:]] == [
        "$ (1,204)",
        "$ 2,511",
        "n/m",
        "$ 3,010",
        "$ (2,000)",
        "n/m",
    ]
    facts = parse_read(release).facts
    assert len(facts) == 10
    change = [f for f in facts if f.dimension == "change"]
    assert sorted(f.value for f in change) == [Decimal("7.4"), Decimal("9.0")]
    nine = next(f for f in facts if f.period == Period("ytd", 2010, 3))
    assert (nine.value, nine.scale) == (Decimal(150220), "thousands")


def test_a_windows_1252_exhibit_is_read_with_its_dashes_and_quotes(tmp_path):
    page = EDGAR_TABLE.replace("&#151;", "\x97").replace(
        "Restructuring", "Apple\x92s restructuring"
    )
    path = tmp_path / "acme-q4.htm"
    path.write_bytes(page.encode("latin-1"))
    parsed = read_release(path)
    assert len(parsed.facts) == 8
    row = next(f for f in parsed.facts if f.row[-1].startswith("Apple"))
    assert row.row[-1] == "Apple’s restructuring" and row.value == 0
