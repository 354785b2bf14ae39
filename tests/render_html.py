"""Render a fixed-width text release to HTML the way SEC exhibits print it, for the tests.

Each table becomes a `<table>` whose value columns are three cells wide (`$`, the figure, a
closing `)` or `%`) with a spacer column between them, negative figures split over two cells
(`(16,088` and `)`), `&#151;` for a zero dash, group headers spanning their columns, dates
broken over two lines, and row labels indented by level with non-breaking spaces. The title
lines above the table become centred `<div>`s; a table without a title of its own gets a
`<caption>`. Paragraphs become `<p>`s, in the order the text prints them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from index.facts import Fact
from index.release import ParsedRelease
from index.segment import TableBlock
from index.tables import header_pairs

NBSP = "&#160;" * 3
MARK_RE = re.compile(r"\(\d{1,2}\)|(?<!\*)\*{1,3}(?!\*)")


def render_release(parsed: ParsedRelease) -> str:
    """The whole release as one HTML page: paragraphs and tables by their line in the text."""
    doc = parsed.document
    items: list[tuple[int, str]] = []
    for p in doc.passages:
        tag = "h3" if p.kind == "heading" else "p"
        items.append((p.first_line, f"<{tag}>{html.escape(p.text)}</{tag}>"))
    for block in doc.tables:
        facts = [f for f in parsed.facts if f.table_index == block.index]
        marks = {n: _marks(doc.lines, n, f.line) for f in facts for n in [f.label_line]}
        items.append((block.first_line, render_table(block, facts, marks)))
    body = "\n".join(text for _, text in sorted(items, key=lambda x: x[0]))
    return f"<html><head><title>Document</title></head><body>\n{body}\n</body></html>\n"


def _marks(lines: tuple[str, ...], first: int, last: int) -> str:
    """The footnote marks a row label prints over its lines ("Gross Margin % (1)")."""
    label = " ".join(
        re.split(r"\s{2,}(?=[$(<\d-])", lines[n - 1].strip())[0] for n in range(first, last + 1)
    )
    return "".join(f" {m}" for m in MARK_RE.findall(label))


def render_table(block: TableBlock, facts: list[Fact], marks: dict[int, str]) -> str:
    pairs = header_pairs(block)
    headers = [" ".join(filter(None, pair)) for pair in pairs]
    titles = "".join(
        f'<div style="text-align:center"><font>{html.escape(t.strip())}</font></div>\n'
        for _, t in block.title_lines
    )
    caption = "" if block.title_lines else f"<caption>{html.escape(block.title)}</caption>"
    rows = [*_header_rows(pairs), *_body_rows(facts, headers, marks)]
    return f"{titles}<table>{caption}\n" + "\n".join(rows) + "\n</table>"


def _header_rows(pairs: list[tuple[str, str]]) -> list[str]:
    groups: list[tuple[str, int]] = []
    for group, _ in pairs:
        if groups and groups[-1][0] == group:
            groups[-1] = (group, groups[-1][1] + 1)
        else:
            groups.append((group, 1))
    out: list[str] = []
    if any(g for g, _ in groups):
        cells = "".join(
            f'<td colspan="{4 * n - 1}">{html.escape(g)}</td><td></td>' for g, n in groups
        )
        out.append(f'<tr><td colspan="3"></td><td></td>{cells}</tr>')
    own = "".join(
        f'<td colspan="3" style="text-align:center">{_two_lines(c)}</td><td></td>' for _, c in pairs
    )
    out.append(f'<tr><td colspan="3"></td><td></td>{own}</tr>')
    return out


def _two_lines(text: str) -> str:
    head, sep, tail = text.rpartition(", ")
    if sep and tail.isdigit():
        return f"{html.escape(head)},<br>{html.escape(tail)}"
    return html.escape(text)


def _body_rows(facts: list[Fact], headers: list[str], marks: dict[int, str]) -> Iterable[str]:
    """Rows in print order; a heading row wherever a row's sections differ from the last."""
    order: dict[tuple[tuple[str, ...], int, int], dict[int, str]] = {}
    for f in sorted(facts, key=lambda f: (f.label_line, f.line)):
        order.setdefault((f.row, f.label_line, f.line), {})[headers.index(f.column)] = f.raw
    previous: tuple[str, ...] = ()
    for (path, label_line, _), cells in order.items():
        sections = path[:-1]
        for depth, name in enumerate(sections):
            if previous[: depth + 1] != sections[: depth + 1]:
                yield _row(depth, name, {}, len(headers))
        label = "" if path[-1] == "Subtotal" else path[-1] + marks.get(label_line, "")
        yield _row(len(sections), label, cells, len(headers))
        previous = sections


def _row(depth: int, label: str, cells: dict[int, str], width: int) -> str:
    tds = [f'<td colspan="3">{NBSP * depth}{html.escape(label)}</td>', "<td></td>"]
    for k in range(width):
        tds.extend(_value_cells(cells.get(k, "")))
        tds.append("<td></td>")
    return "<tr>" + "".join(tds) + "</tr>"


def _value_cells(raw: str) -> list[str]:
    """`$`, the figure and its closer in cells of their own, as EDGAR prints them."""
    text = " ".join(raw.split())
    dollar = text.startswith("$")
    text = text.lstrip("$ ")
    closer = ""
    if text.endswith("%"):
        text, closer = text[:-1].rstrip(), "%"
    if text.startswith("(") and text.endswith(")"):
        text, closer = text[:-1], ")" + closer
    text = "&#151;" if text == "-" else html.escape(text)
    return [
        f"<td>{'$' if dollar else ''}</td>",
        f'<td style="text-align:right">{text}</td>',
        f"<td>{html.escape(closer)}</td>",
    ]
