"""HTML releases (SEC exhibits, company newsroom pages): narrative passages and table grids.

The page is parsed with lxml, never with patterns. What surrounds a release on a web page
(navigation, scripts, styles, cookie banners, "More News" lists) is dropped; layout tables (no
figures) are read as text; data tables become `Grid`s whose logical cells join what EDGAR prints
in cells of their own (`$`, `(704` + `)`, `%`). The document is rendered to plain-text lines,
each table as aligned fixed-width text, so every passage and cell has a line to cite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from index.aligned import (
    CLOSER_RE,
    CURRENCY_RE,
    DASH_RE,
    PERIOD_WORDS_RE,
    SCALE_RE,
    find_tables,
    is_figure,
    is_strong_figure,
)
from index.errors import MalformedRelease
from index.grid import Grid, GridCell
from index.readers import Reader, ReadRelease
from index.segment import Passage

SKIP_TAGS = frozenset(
    "head script style noscript nav header footer aside form iframe svg button select "
    "template object embed canvas map input textarea dialog menu".split()
)
BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol blockquote pre section article main center dd dt dl "
    "tr hr address figure figcaption caption body html".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
SURROUNDING_WORDS = frozenset(
    "nav navbar navigation menu megamenu breadcrumb breadcrumbs footer cookie cookies consent "
    "gdpr banner share sharing social related sidebar subscribe newsletter promo advert ads "
    "skip masthead toolbar pagination modal popup overlay sitemap search".split()
)
SURROUNDING_ROLES = frozenset("navigation banner contentinfo complementary search dialog".split())
RELATED_HEADING_RE = re.compile(
    r"^(?:more|related|recent|latest|other|top)\s+(?:news|stories|articles|releases|"
    r"press releases|posts|links)\b|^you (?:may|might) also like|^read (?:more|next)$|^share this",
    re.IGNORECASE,
)
BOLD_STYLE_RE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)

FOOTNOTE_START_RE = re.compile(r"^(?:\(\w{1,2}\)|\*{1,3}|[¹²³⁴⁵⁶⁷⁸⁹†‡])\s*\S")
GENERIC_TITLES = frozenset({"", "document", "untitled", "press release", "exhibit"})
MAX_TITLE_BLOCKS = 4
MAX_TITLE_CHARS = 160
MAX_SPAN = 200
MOST_OF_PAGE = 0.5
LENGTH_RE = re.compile(r"^(?P<n>-?\d*\.?\d+)\s*(?P<unit>pt|px|em|rem|in|cm|mm|%)?$", re.IGNORECASE)
UNIT_POINTS = {"pt": 1.0, "px": 0.75, "em": 10.0, "rem": 10.0, "in": 72.0, "cm": 28.35, "mm": 2.835}
NBSP_POINTS = 3.0
INDENT_TOLERANCE = 1.0


def repair_text(text: str) -> str:
    """Undo mojibake where it is unambiguous: UTF-8 bytes read as cp1252 or latin-1
    ("â€™" for "’", "Ã©" for "é"); then C1 control characters read as their cp1252 letters."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        fixed, used = _utf8_at(text, i)
        out.append(fixed)
        i += used
    return "".join(_c1(c) for c in "".join(out))


def _byte(ch: str) -> int | None:
    if 0x80 <= ord(ch) <= 0xFF:
        return ord(ch)
    try:
        b = ch.encode("cp1252")
    except UnicodeEncodeError:
        return None
    return b[0] if len(b) == 1 and b[0] >= 0x80 else None


def _utf8_at(text: str, i: int) -> tuple[str, int]:
    """The character at i, or the one a UTF-8 sequence starting there spells."""
    lead = _byte(text[i])
    if lead is None or lead < 0xC2 or lead > 0xF4:
        return text[i], 1
    length = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
    raw = [_byte(c) for c in text[i : i + length]]
    if len(raw) < length or any(b is None or not 0x80 <= b <= 0xBF for b in raw[1:]):
        return text[i], 1
    try:
        return bytes(b for b in raw if b is not None).decode("utf-8"), length
    except UnicodeDecodeError:
        return text[i], 1


def _c1(ch: str) -> str:
    if 0x80 <= ord(ch) <= 0x9F:
        try:
            return bytes([ord(ch)]).decode("cp1252")
        except UnicodeDecodeError:
            return ""
    return ch


def clean(text: str) -> str:
    """One line of text as a reader sees it: repaired, spaces collapsed."""
    text = repair_text(text).replace("\xa0", " ").replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


# --- the page: surroundings out, blocks in reading order -------------------------------------


@dataclass
class _Paragraph:
    lines: list[str]
    heading: bool = False
    role: str = "text"  # "text" | "title" | "note"


@dataclass
class _TableBlock:
    element: Any
    title: str = ""
    notes: list[str] = field(default_factory=list)
    headed: bool = False


@dataclass
class _Preformatted:
    """A `<pre>` block: fixed-width text whose tables are found by alignment."""

    lines: list[str]


def _tag(el: Any) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _is_surrounding(el: Any, page_chars: int) -> bool:
    """Navigation, scripts, hidden parts, banners; an element named like one ("nav-offset")
    that holds most of the page's text is the page, and stays."""
    tag = _tag(el)
    if tag == "header" and any(_tag(a) in {"article", "main"} for a in el.iterancestors()):
        return False
    if tag in SKIP_TAGS or _hidden(el):
        return True
    if tag in {"html", "body", "main", "article"}:
        return False
    words = re.split(r"[-_\s]+", f"{el.get('id') or ''} {el.get('class') or ''}".lower())
    if not any(w in SURROUNDING_WORDS for w in words):
        return False
    return len(clean(el.text_content())) < MOST_OF_PAGE * page_chars


def _hidden(el: Any) -> bool:
    """Not shown, or shown as a page's frame (its role says navigation, banner ...)."""
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    if (el.get("role") or "").lower() in SURROUNDING_ROLES:
        return True
    return el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true"


def _drop_related(root: Any) -> None:
    """A "More News" heading and what follows it in its container are not the release."""
    for el in list(root.iter()):
        tag = _tag(el)
        if tag not in HEADING_TAGS and tag not in {"p", "div", "strong", "b", "span"}:
            continue
        if len(el) > 2 or not RELATED_HEADING_RE.match(clean(el.text_content())):
            continue
        parent = el.getparent()
        if parent is None:
            continue
        for sibling in list(el.itersiblings()):
            sibling.drop_tree()
        el.drop_tree()


def _link_list(el: Any) -> bool:
    """A list whose text is almost all links: navigation, not narrative."""
    if _tag(el) not in {"ul", "ol"}:
        return False
    total = len(clean(el.text_content()))
    links = sum(len(clean(a.text_content())) for a in el.iter("a"))
    return total > 0 and links / total > 0.8


def strip_surroundings(root: Any) -> Any:
    """The part of the page that is the release: its `<main>`/`<article>` when it has one,
    without navigation, scripts, styles, banners and lists of links."""
    page_chars = len(clean(root.text_content()))
    for el in list(root.iter()):
        if el.getparent() is not None and (_is_surrounding(el, page_chars) or _link_list(el)):
            el.drop_tree()
    _drop_related(root)
    mains = [
        el
        for el in root.iter()
        if _tag(el) in {"main", "article"} or (el.get("role") or "").lower() == "main"
    ]
    mains = [m for m in mains if len(clean(m.text_content())) >= 200]
    return max(mains, key=lambda m: len(m.text_content())) if mains else root


class _Blocks:
    """Walks the page, gathering inline text into paragraphs and data tables as they come."""

    def __init__(self) -> None:
        self.out: list[_Paragraph | _TableBlock | _Preformatted] = []
        self.lines: list[str] = [""]
        self.bold = 0
        self.plain = 0

    def text(self, text: str | None, bold: bool) -> None:
        if not text:
            return
        self.lines[-1] += text
        count = len(text.strip())
        if bold:
            self.bold += count
        else:
            self.plain += count

    def newline(self) -> None:
        self.lines.append("")

    def flush(self, heading: bool = False) -> None:
        lines = [c for c in (clean(x) for x in self.lines) if c]
        if lines:
            text = " ".join(lines)
            bold = self.bold > 0 and self.plain == 0
            looks_heading = (heading or bold) and len(text) <= 120 and not text.endswith(".")
            self.out.append(_Paragraph(lines, looks_heading))
        self.lines, self.bold, self.plain = [""], 0, 0

    def table(self, element: Any) -> None:
        self.flush()
        self.out.append(_TableBlock(element))

    def preformatted(self, text: str) -> None:
        self.flush()
        lines = [repair_text(x).replace("\xa0", " ").rstrip() for x in text.splitlines()]
        self.out.append(_Preformatted(lines))


def _is_bold(el: Any) -> bool:
    return _tag(el) in {"b", "strong"} | HEADING_TAGS or bool(
        BOLD_STYLE_RE.search(el.get("style") or "")
    )


def _walk(el: Any, acc: _Blocks, bold: bool) -> None:
    tag = _tag(el)
    if tag == "table":
        if is_data_table(el):
            acc.table(el)
        else:
            _walk_children(el, acc, bold)
            acc.flush()
        return
    if tag == "br":
        acc.newline()
        return
    if tag == "pre":
        acc.preformatted(el.text_content())
        return
    block = tag in BLOCK_TAGS
    if block:
        acc.flush()
    inner = bold or _is_bold(el)
    if tag == "sup":
        acc.text(_marker(clean(el.text_content())), inner)
        return
    if tag in {"td", "th"}:
        acc.text(" ", inner)
    acc.text(el.text, inner)
    _walk_children(el, acc, inner)
    if block:
        acc.flush(heading=tag in HEADING_TAGS)


def _walk_children(el: Any, acc: _Blocks, bold: bool) -> None:
    for child in el:
        _walk(child, acc, bold)
        acc.text(child.tail, bold)


def _marker(text: str) -> str:
    """A superscript as printed inline: a footnote mark becomes ' (1)', a symbol stays."""
    if not text:
        return ""
    if len(text) <= 2 and text.isalnum():
        return f" ({text})"
    if text.startswith("(") and text.endswith(")") and len(text) <= 4:
        return f" {text}"
    return text


# --- tables: physical cells, then logical cells ----------------------------------------------


@dataclass(frozen=True)
class _Cell:
    """One HTML cell where it stands: first physical column, how many it covers."""

    text: str
    col: int
    span: int
    marker: bool = False
    indent: float = 0.0


def is_data_table(table: Any) -> bool:
    """A table of figures: at least two rows holding a value beside their first cell, and no
    table inside it (a table of tables is a page layout)."""
    if any(True for _ in table.iterdescendants("table")):
        return False
    rows = 0
    for tr in table.iter("tr"):
        texts = [clean(td.text_content()) for td in tr if _tag(td) in {"td", "th"}]
        texts = [t for t in texts if t]
        if any(is_strong_figure(t) or DASH_RE.match(t) for t in texts[1:]):
            rows += 1
    return rows >= 2


def _int_attr(el: Any, name: str) -> int:
    digits = "".join(c for c in (el.get(name) or "1") if c.isdigit())
    return max(1, min(MAX_SPAN, int(digits))) if digits else 1


def _cell_text(td: Any) -> tuple[str, bool]:
    """The cell's text with line breaks as spaces and superscripts as footnote marks; and
    whether the cell holds nothing but a mark."""
    parts: list[str] = []
    marks: list[str] = []

    def visit(el: Any) -> None:
        parts.append(el.text or "")
        for child in el:
            tag = _tag(child)
            if tag == "br":
                parts.append(" ")
            elif tag == "sup":
                mark = _marker(clean(child.text_content()))
                parts.append(mark)
                marks.append(mark)
            elif tag not in SKIP_TAGS:
                visit(child)
            parts.append(child.tail or "")

    visit(td)
    text = clean("".join(parts))
    marker_only = bool(marks) and clean("".join(marks)) == text
    return text, marker_only


def _length(value: str) -> float:
    """A CSS length in points (0 when it cannot be read)."""
    m = LENGTH_RE.match(value.strip())
    if not m:
        return 0.0
    return float(m["n"]) * UNIT_POINTS.get((m["unit"] or "px").lower(), 0.0)


def _style_indent(el: Any) -> float:
    """How far an element's own style moves its first line right: left padding and margin,
    plus text-indent (negative for hanging indents)."""
    total = 0.0
    for decl in (el.get("style") or "").split(";"):
        name, _, value = decl.partition(":")
        name = name.strip().lower()
        if name in {"padding-left", "margin-left", "text-indent"}:
            total += _length(value)
        elif name in {"padding", "margin"}:
            parts = value.split()
            left = parts[{1: 0, 2: 1, 3: 1}.get(len(parts), 3)] if parts else "0"
            total += _length(left)
    return total


def indentation(td: Any) -> float:
    """The indent of a label cell, in points: leading non-breaking spaces and the left
    padding, margin and text-indent of the cell and of the elements around its text."""
    total = _style_indent(td)
    el = td
    while len(el) and not (el.text or "").strip():
        el = el[0]
        total += _style_indent(el)
    raw = td.text_content()
    lead = raw[: len(raw) - len(raw.lstrip(" \xa0\u3000\t\r\n"))]
    return total + NBSP_POINTS * sum(1 for c in lead if c in "\xa0\u3000")


def physical_rows(table: Any) -> list[list[_Cell]]:
    """Every row of the table as cells at their physical columns, row spans carried down."""
    rows: list[list[_Cell]] = []
    carried: dict[int, tuple[int, int]] = {}  # column -> (rows left, width)
    for tr in table.iter("tr"):
        row: list[_Cell] = []
        col = 0
        for td in (c for c in tr if _tag(c) in {"td", "th"}):
            col = _skip_carried(carried, col)
            text, marker = _cell_text(td)
            span = _int_attr(td, "colspan")
            row.append(_Cell(text, col, span, marker, indentation(td)))
            if _int_attr(td, "rowspan") > 1:
                carried[col] = (_int_attr(td, "rowspan") - 1, span)
            col += span
        for c in [c for c in carried if c >= col]:
            _skip_carried(carried, c)
        rows.append(row)
    return rows


def _skip_carried(carried: dict[int, tuple[int, int]], col: int) -> int:
    """The next free column: a cell spanning down from a row above holds this one."""
    while col in carried:
        left, width = carried[col]
        if left <= 1:
            del carried[col]
        else:
            carried[col] = (left - 1, width)
        col += width
    return col


@dataclass(frozen=True)
class _Span:
    """A logical cell of one row: its text and the physical columns [start, end) it covers."""

    text: str
    start: int
    end: int
    indent: float = 0.0


def logical_spans(row: list[_Cell]) -> list[_Span]:
    """The row's non-empty cells with `$` joined to the value after it and `)`, `%` and
    footnote marks joined to the value before it."""
    out: list[_Span] = []
    for cell in row:
        if not cell.text:
            continue
        here = _Span(cell.text, cell.col, cell.col + cell.span, cell.indent)
        prev = out[-1] if out else None
        if prev is not None and CURRENCY_RE.match(prev.text):
            out[-1] = _Span(f"{prev.text} {here.text}", prev.start, here.end, prev.indent)
        elif prev is not None and (CLOSER_RE.match(here.text) or cell.marker):
            glue = " " if cell.marker else ""
            out[-1] = _Span(f"{prev.text}{glue}{here.text}", prev.start, here.end, prev.indent)
        else:
            out.append(here)
    return out


@dataclass(frozen=True)
class _Shape:
    """A data table as logical rows: label text, then one (text, span) per value column."""

    rows: tuple[tuple[tuple[str, int], ...], ...]
    header_rows: int
    title: str
    notes: tuple[str, ...]
    paths: tuple[tuple[str, ...], ...] | None = None


def _is_body(spans: list[_Span], label_start: int) -> bool:
    if any(is_strong_figure(s.text) or DASH_RE.match(s.text) for s in spans):
        return True
    if not spans or spans[0].start != label_start:
        return False
    label = spans[0].text
    if len(spans) > 1:
        return False
    return not (PERIOD_WORDS_RE.search(label) or SCALE_RE.search(label))


def _clusters(body: list[list[_Span]], label_start: int) -> list[tuple[int, int]]:
    """The value columns: physical column ranges that overlapping value cells of the body rows
    fill, in order (spacer columns fall between them)."""
    ranges = sorted(
        (s.start, s.end)
        for row in body
        for s in row
        if s.start != label_start and is_figure(s.text)
    )
    merged: list[list[int]] = []
    for a, b in ranges:
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _columns_of(span: _Span, clusters: list[tuple[int, int]]) -> tuple[int, int]:
    """(first value column, how many) that a cell covers; a cell over spacers only goes to
    the nearest value column."""
    hit = [k for k, (a, b) in enumerate(clusters) if span.start < b and a < span.end]
    if hit:
        return hit[0], hit[-1] - hit[0] + 1
    middle = (span.start + span.end) / 2
    nearest = min(range(len(clusters)), key=lambda k: abs(sum(clusters[k]) / 2 - middle))
    return nearest, 1


def _place(spans: list[_Span], clusters: list[tuple[int, int]]) -> tuple[tuple[str, int], ...]:
    label = " ".join(s.text for s in spans if _is_label(s, clusters))
    cells: list[tuple[str, int]] = [("", 1)] * len(clusters)
    for s in spans:
        if _is_label(s, clusters):
            continue
        k, n = _columns_of(s, clusters)
        text = f"{cells[k][0]} {s.text}".strip()
        cells[k] = (text, max(n, cells[k][1]))
    return ((label, 1), *cells)


def _is_label(span: _Span, clusters: list[tuple[int, int]]) -> bool:
    """Left of the value columns, or a text spanning into them from there ("ASSETS:")."""
    first = clusters[0][0]
    return span.start < first and (span.end <= first or not is_figure(span.text))


def _title_rows(rows: list[list[_Span]], first_body: int) -> tuple[int, list[str]]:
    """Leading rows holding one text and no period: the table's own title and scale lines."""
    taken: list[str] = []
    k = 0
    while k < first_body and len(rows[k]) == 1 and not PERIOD_WORDS_RE.search(rows[k][0].text):
        taken.append(rows[k][0].text)
        k += 1
    return k, taken


def table_shape(table: Any) -> _Shape | None:
    """The logical table of a `<table>`: None when it holds no value column."""
    rows = [r for r in (logical_spans(x) for x in physical_rows(table)) if r]
    first_body, clusters = _body_and_columns(rows)
    if not clusters:
        return None
    skip, own = _title_rows(rows, first_body)
    placed = [_place(r, clusters) for r in rows[skip:]]
    notes = tuple(t for t in own if SCALE_RE.search(t))
    title = next((t for t in reversed(own) if not SCALE_RE.search(t)), "")
    outline = [
        (p[0][0], _label_indent(r, clusters), any(t for t, _ in p[1:]))
        for p, r in zip(placed[first_body - skip :], rows[first_body:], strict=True)
    ]
    return _Shape(tuple(placed), first_body - skip, title, notes, indent_paths(outline))


def _body_and_columns(rows: list[list[_Span]]) -> tuple[int, list[tuple[int, int]]]:
    """Where the body starts (the first row of figures or of a row label) and its value
    columns."""
    if not rows:
        return 0, []
    label_start = min(r[0].start for r in rows)
    first_body = next((i for i, r in enumerate(rows) if _is_body(r, label_start)), len(rows))
    return first_body, _clusters(rows[first_body:], label_start)


def _label_indent(spans: list[_Span], clusters: list[tuple[int, int]]) -> float | None:
    labels = [s for s in spans if _is_label(s, clusters)]
    return labels[0].indent if labels else None


Outline = list[tuple[str, float | None, bool]]


def _indents_by_level(rows: Outline) -> bool:
    """A row sits deeper than the one before only under a heading (a label without
    figures), and at least one heading has deeper rows under it."""
    labelled = [(indent, values) for label, indent, values in rows if label and indent is not None]
    deeper = False
    for (before, had_values), (after, _) in zip(labelled, labelled[1:], strict=False):
        if after > before + INDENT_TOLERANCE:
            if had_values:
                return False
            deeper = True
    return deeper


def indent_paths(rows: Outline) -> tuple[tuple[str, ...], ...] | None:
    """Label paths from indentation, when the table indents by level (each heading over the
    rows set deeper than it); else None, and the builder reads sections its own way."""
    if not _indents_by_level(rows):
        return None
    paths: list[tuple[str, ...]] = []
    stack: list[tuple[float, str]] = []
    for label, indent, values in rows:
        placed = bool(label) and indent is not None
        while placed and stack and stack[-1][0] >= (indent or 0.0) - INDENT_TOLERANCE:
            stack.pop()
        paths.append((*(t for _, t in stack), label))
        if placed and not values:
            stack.append((indent or 0.0, label))
    return tuple(paths)


# --- titles and notes from the paragraphs above a table --------------------------------------


def _caption(table: Any) -> str:
    caption = next((c for c in table if _tag(c) == "caption"), None)
    return clean(caption.text_content()) if caption is not None else ""


def _attach_titles(blocks: list[_Paragraph | _TableBlock | _Preformatted]) -> None:
    """Give each table the heading and scale lines printed just above it (each line of a
    paragraph broken by `<br>` on its own), and mark those paragraphs as the table's."""
    for i, block in enumerate(blocks):
        if not isinstance(block, _TableBlock):
            continue
        above: list[_Paragraph] = []
        for prev in reversed(blocks[max(0, i - MAX_TITLE_BLOCKS) : i]):
            if not isinstance(prev, _Paragraph) or not _title_like(prev):
                break
            above.insert(0, prev)
        lines = [line for p in above for line in p.lines]
        for p in above:
            p.role = "title"
        titles = [line for line in lines if not _note_like(line)]
        block.title = _caption(block.element) or (titles[-1] if titles else "")
        block.notes = [line for line in lines if _note_like(line)]
        block.headed = bool(above)


def _title_like(p: _Paragraph) -> bool:
    """Short lines that do not read as a sentence: a heading, a company name, a scale note."""
    if p.role != "text" or FOOTNOTE_START_RE.match(p.lines[0]):
        return False
    return all(
        len(line) <= MAX_TITLE_CHARS
        and (_note_like(line) or not line.endswith(".") or len(line.split()) <= 4)
        for line in p.lines
    )


def _note_like(text: str) -> bool:
    return text.startswith("(") and bool(SCALE_RE.search(text))


# --- rendering to lines ----------------------------------------------------------------------


@dataclass
class _Page:
    """The plain-text rendering under construction: lines, passages and grids."""

    lines: list[str] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    section: str = "Headline"
    last_table: str = ""
    heading_from: int | None = None

    def gap(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def paragraph(self, p: _Paragraph) -> None:
        self.gap()
        first = len(self.lines) + 1
        self.lines.extend(p.lines)
        last = len(self.lines)
        if p.role != "text":
            self.heading_from = self.heading_from or first
            return
        self.heading_from = None
        self.passages.append(self._passage(" ".join(p.lines), first, last, p.heading))

    def _passage(self, text: str, first: int, last: int, heading: bool) -> Passage:
        if self.last_table and FOOTNOTE_START_RE.match(text):
            if self.grids and self.grids[-1].title == self.last_table:
                grid = self.grids[-1]
                self.grids[-1] = replace(grid, notes=(*grid.notes, text))
            return Passage(text, first, last, f"Notes to {self.last_table}", "footnote")
        if heading:
            self.section = text.rstrip(":")
            self.last_table = ""
            return Passage(text, first, last, self.section, "heading")
        return Passage(text, first, last, self.section)

    def preformatted(self, lines: list[str]) -> None:
        """Fixed-width text as printed: its aligned tables become grids, the rest passages."""
        from index.readers.aligned_text import passages_around

        self.gap()
        offset = len(self.lines)
        self.lines.extend(lines)
        grids = [shift_grid(g, offset) for g in find_tables(lines)]
        self.grids.extend(grids)
        for p in passages_around(tuple(lines), tuple(grids), offset):
            self.passages.append(p)
        self.heading_from = None
        self.last_table = grids[-1].title if grids else self.last_table

    def table(self, block: _TableBlock, shape: _Shape) -> None:
        self.gap()
        first = self.heading_from or len(self.lines) + 1
        self.heading_from = None
        self.lines.extend(t for t in (shape.title, *shape.notes) if t)
        rows, texts = render_rows(shape.rows, len(self.lines) + 1)
        self.lines.extend(texts)
        title = block.title or shape.title or self.last_table or "Table"
        notes = (*block.notes, *shape.notes)
        if not (block.headed or shape.title or notes) and self.grids:
            notes = scale_notes(self.grids[-1])
        self.grids.append(
            Grid(
                rows,
                title=title,
                notes=notes,
                header_rows=shape.header_rows,
                lines=(first, len(self.lines)),
                paths=shape.paths,
            )
        )
        self.last_table = title


def scale_notes(grid: Grid) -> tuple[str, ...]:
    """The notes of a table that give its scale: what a table printed without a heading of
    its own, under it, takes over."""
    return tuple(n for n in grid.notes if n.startswith("(") and SCALE_RE.search(n))


def shift_grid(grid: Grid, offset: int) -> Grid:
    """A grid found in a block of lines, its line numbers moved to where the block stands."""
    rows = tuple(
        tuple(replace(c, line=c.line + offset) if c.line is not None else c for c in row)
        for row in grid.rows
    )
    lines = (grid.lines[0] + offset, grid.lines[1] + offset) if grid.lines else None
    return replace(grid, rows=rows, lines=lines)


Rows = tuple[tuple[tuple[str, int], ...], ...]


def render_rows(rows: Rows, first_line: int) -> tuple[tuple[tuple[GridCell, ...], ...], list[str]]:
    """Each logical row as one fixed-width line (label left, values right-aligned, spanning
    headers centred), and the grid cells with their line and character span there."""
    widths = _widths(rows)
    rendered = [_render_row(row, widths, first_line + r) for r, row in enumerate(rows)]
    return tuple(cells for _, cells in rendered), [text.rstrip() for text, _ in rendered]


def _widths(rows: Rows) -> list[int]:
    width = max(len(r) for r in rows)
    widths = [1] * width
    for row in rows:
        for k, (text, span) in enumerate(row):
            if span == 1:
                widths[k] = max(widths[k], len(text))
    for row in rows:
        for k, (text, span) in enumerate(row):
            if span > 1:
                covered = sum(widths[k : k + span]) + 2 * (span - 1)
                widths[min(k + span, width) - 1] += max(0, len(text) - covered)
    return widths


def _render_row(
    row: tuple[tuple[str, int], ...], widths: list[int], line_no: int
) -> tuple[str, tuple[GridCell, ...]]:
    text = ""
    cells: list[GridCell] = []
    k = 0
    while k < len(widths):
        value, span = row[k] if k < len(row) else ("", 1)
        span = max(1, min(span, len(widths) - k))
        width = sum(widths[k : k + span]) + 2 * (span - 1)
        text += "  " if k else ""
        placed = _align(value, width, k == 0, span > 1)
        start = len(text) + len(placed) - len(placed.lstrip())
        cells.append(
            GridCell(value, line_no, start, start + len(value), span)
            if value
            else GridCell("", line_no)
        )
        cells.extend(GridCell("", line_no) for _ in range(span - 1))
        text += placed
        k += span
    return text, tuple(cells)


def _align(value: str, width: int, label: bool, spanning: bool) -> str:
    if label:
        return value.ljust(width)
    return value.center(width) if spanning else value.rjust(width)


# --- the reader ------------------------------------------------------------------------------


def _parse(text: str) -> Any:
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise MalformedRelease(f"the HTML cannot be parsed ({exc})") from exc


def _document_title(root: Any, blocks: list[_Paragraph | _TableBlock]) -> str:
    """The page's `<title>` unless generic ("Document"); else its first real paragraph."""
    found = root.find(".//title")
    title = clean(found.text_content()) if found is not None else ""
    if title.lower() not in GENERIC_TITLES and not title.lower().startswith("exhibit"):
        return title
    for b in blocks:
        if isinstance(b, _Paragraph) and b.role == "text":
            text = " ".join(b.lines)
            if not text.lower().startswith("exhibit") and len(text) > 8:
                return text[:200]
    return ""


def read(text: str, release: str) -> ReadRelease:
    """Pure: an HTML document in, its rendered lines, passages and table grids out."""
    if "\x00" in text:
        raise MalformedRelease("the file is binary, not an HTML release")
    if not text.strip():
        raise MalformedRelease("the release is empty")
    root = _parse(text)
    acc = _Blocks()
    _walk(strip_surroundings(root), acc, False)
    acc.flush()
    blocks = acc.out
    _attach_titles(blocks)
    page = _Page()
    for block in blocks:
        if isinstance(block, _Paragraph):
            page.paragraph(block)
        elif isinstance(block, _Preformatted):
            page.preformatted(block.lines)
        elif (shape := table_shape(block.element)) is not None:
            page.table(block, shape)
    return ReadRelease(
        release,
        _document_title(root, blocks),
        tuple(page.lines),
        tuple(page.passages),
        tuple(page.grids),
    )


def sniff(text: str) -> bool:
    head = text[:20_000].lower()
    return "<html" in head or "<table" in head or "<body" in head or "<!doctype html" in head


READER = Reader("html", (".htm", ".html"), sniff, read)
