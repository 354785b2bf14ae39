"""TAT-QA-style JSON: one table as a 2-D array of strings, and the paragraphs around it.

The file is one context, `{"table": {"uid": ..., "table": [[...], ...]}, "paragraphs":
[{"text": ...}, ...]}` (a bare 2-D array for `table`, or strings for paragraphs, are taken too).
Citations need lines, so the release's text is a plain-text layout: the table in fixed-width
columns under a rule, then each paragraph on a line of its own.
"""

from __future__ import annotations

import json
import re

from index.errors import MalformedRelease
from index.grid import Grid, GridCell
from index.readers import Reader, ReadRelease
from index.segment import Passage
from index.table_model import SCALE_RE, header_count

GAP = 3  # spaces between rendered columns
HEADING_CHARS = 80
TABLE_REF_RE = re.compile(
    r"\b(?:following|below|above|this|accompanying)\s+(?:\w+\s+){0,2}tables?\b"
    r"|\btables?\s+(?:below|above)\b",
    re.IGNORECASE,
)

# A scale stated in parentheses anywhere in the text ('(in thousands, except per share data)',
# '(Tabular amounts in millions)'): the amounts' scale when no sentence introducing the table says.
# The parenthesis may be left open when the paragraph is cut ('(All amounts expressed in thousands
# of U.S. Dollars, except share and per').
SCALE_NOTE_RE = re.compile(
    r"\([^()]*\bin\s+(?:thousands|millions|billions)\b[^()]*(?:\)|$)"
    r"|\bamounts\s+(?:are\s+)?(?:expressed|stated|presented|shown)\s+in\s+"
    r"(?:thousands|millions|billions)\b",
    re.I,
)
SINGULAR_SCALE_RE = re.compile(r"\(\s*in\s+(thousand|million|billion)\b(?!s)", re.I)
# Thousands written as digits: '(in 000's)' in a sentence, 'Number of shares (1,000)' or
# 'Amount (000)' in a header cell.
THOUSANDS_NOTE_RE = re.compile(r"\(\s*in\s+['’‘]?000['’‘]?s?\s*\)", re.I)
THOUSANDS_LABEL_RE = re.compile(r"[A-Za-z].*\(\s*(?:1,000|['’‘]?000['’‘]?s?)\s*\)\s*$")
# Any word or sign of a scale in a table: when there is none, the paragraphs may tell it.
STATED_SCALE_RE = re.compile(
    r"thousand|million|billion|['’‘]000|\$\s*(?:m|mn|bn|k)\b|\b(?:m|mn|bn)\$", re.I
)
PROSE_AMOUNT_RE = re.compile(r"[$€£]\s?(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion)\b", re.I)
CELL_NUMBER_RE = re.compile(r"^\(?-?[$€£]?\s*\(?(\d[\d,]*(?:\.\d+)?)\)?%?$")
SCALE_FACTORS = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
MIN_SCALED_CELL = 100  # a smaller cell matches a prose amount by chance too easily
MIN_DECIMAL_CELL = 10  # '24.9' has the three digits a quote needs; '0.1' does not
MIN_QUOTED_DIGITS = 3  # '$36 million' fits too many cells; '$36.1 million' fits few
MIN_QUOTES = 2  # one matching amount can be chance; two distinct ones are the table quoted
YEAR_RE = re.compile(r"^(?:19|20)\d\d$")


def sniff(text: str) -> bool:
    head = text.lstrip()[:2000]
    return head.startswith("{") and '"table"' in head


def read(text: str, release: str) -> ReadRelease:
    """Pure: the JSON text of one context in, its grid, paragraphs and rendered lines out."""
    table, paragraphs = _load(text)
    title = _title(paragraphs)
    lines: list[str] = [title, ""] if title else []
    top = len(lines) + 1
    rows = _layout(table, lines)
    notes = (
        tuple(p for p in paragraphs if _is_heading(p))
        + _table_sentences(paragraphs)
        + _scale_cells(table)
    )
    notes += _prose_scale(table, paragraphs, notes)
    grid = Grid(rows, title=title, notes=notes, lines=(top, len(lines)))
    lines.append("")
    passages: list[Passage] = []
    section = title or "Notes"
    for p in paragraphs:
        if p == title:
            continue
        lines.append(p)
        n = len(lines)
        kind = "heading" if _is_heading(p) else "paragraph"
        passages.append(Passage(p, n, n, section, kind))
        lines.append("")
    return ReadRelease(release, title or release, tuple(lines), tuple(passages), (grid,))


def _load(text: str) -> tuple[list[list[str]], list[str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedRelease(f"not valid JSON ({exc.msg})", exc.lineno) from exc
    if not isinstance(data, dict) or "table" not in data:
        raise MalformedRelease("a TAT-QA context is a JSON object with a 'table'")
    return _table(data["table"]), _paragraphs(data.get("paragraphs") or [])


def _table(table: object) -> list[list[str]]:
    if isinstance(table, dict):
        table = table.get("table")
    if not isinstance(table, list) or not table:
        raise MalformedRelease("'table' must be a non-empty 2-D array of strings")
    for i, row in enumerate(table, start=1):
        if not isinstance(row, list) or not all(isinstance(c, str | int | float) for c in row):
            raise MalformedRelease(f"table row {i} is not an array of strings")
    return [[" ".join(str(c).split()) for c in row] for row in table]


def _paragraphs(paragraphs: object) -> list[str]:
    if not isinstance(paragraphs, list):
        raise MalformedRelease("'paragraphs' must be an array")
    texts = []
    for i, p in enumerate(paragraphs, start=1):
        t = p.get("text") if isinstance(p, dict) else p
        if not isinstance(t, str):
            raise MalformedRelease(f"paragraph {i} has no text")
        texts.append(" ".join(t.split()))
    return [t for t in texts if t]


def _table_sentences(paragraphs: list[str]) -> tuple[str, ...]:
    """Sentences that introduce the table and say its scale: 'The following table ... (in
    millions):'."""
    found, noted = [], []
    for p in paragraphs:
        for sentence in re.split(r"(?<=[.:;])\s+", p):
            if TABLE_REF_RE.search(sentence) and SCALE_RE.search(sentence):
                found.append(sentence)
            elif SCALE_NOTE_RE.search(sentence):
                noted.append(sentence)
            elif THOUSANDS_NOTE_RE.search(sentence):
                noted.append(f"{sentence} (in thousands)")
    return tuple(found + noted)


def _scale_cells(table: list[list[str]]) -> tuple[str, ...]:
    """A row that only says the scale ('(In thousands)', '$ in millions'): a note on the table.
    A header cell that says it in the singular ('(in million)', '(in thousand NT dollars)')
    gives the note in the words the table model reads."""
    out = []
    for row in table:
        filled = [c for c in row if c.strip()]
        if len(filled) == 1 and SCALE_RE.search(filled[0]) and len(filled[0]) <= 40:
            out.append(filled[0])
        elif not any(_cell_number(c) is not None for c in row):
            words = {m.group(1).lower() for c in filled if (m := SINGULAR_SCALE_RE.search(c))}
            words |= {"thousand" for c in filled if THOUSANDS_LABEL_RE.search(c)}
            out += [f"(in {w}s)" for w in sorted(words)][:1] if len(words) == 1 else []
    return tuple(out)


def _prose_scale(
    table: list[list[str]], paragraphs: list[str], notes: tuple[str, ...]
) -> tuple[str, ...]:
    """The scale of a table that states none, from the paragraphs that quote its figures: a cell
    of 24,193 that a paragraph gives as '$24.2 million' is in thousands. One scale must explain
    two or more distinct quoted amounts and no other scale any; a note saying so, else nothing."""
    if _states_scale(table, notes):
        return ()
    hits = _quoted_scales(_scalable_cells(table), paragraphs)
    found = [s for s, n in hits.items() if n]
    if len(found) != 1 or hits[found[0]] < MIN_QUOTES:
        return ()
    return (f"(Amounts in {found[0]}s, as the paragraphs quote them)",)


def _states_scale(table: list[list[str]], notes: tuple[str, ...]) -> bool:
    """The table or a note on it already says its scale: the prose is not asked."""
    in_rows = any(STATED_SCALE_RE.search(" ".join(r)) for r in table)
    return in_rows or any(SCALE_RE.search(n) for n in notes)


def _scalable_cells(table: list[list[str]]) -> set[float]:
    """The figures a paragraph might quote at another scale: no years, percentages or small
    counts; a figure below a hundred only with a decimal ('24.9'), which chance matches
    rarely."""
    cells = {(_cell_number(c), "." in c) for r in table for c in r[1:]}
    return {
        v
        for v, decimal in cells
        if v is not None and (v >= MIN_SCALED_CELL or (decimal and v >= MIN_DECIMAL_CELL))
    }


def _quoted_scales(cells: set[float], paragraphs: list[str]) -> dict[str, int]:
    """For each scale, how many distinct prose amounts some cell read at that scale explains."""
    amounts = [
        (m.group(1).replace(",", ""), m.group(2).lower())
        for p in paragraphs
        for m in PROSE_AMOUNT_RE.finditer(p)
    ]
    return {
        scale: len({(a, said) for a, said in amounts if _quotes(cells, factor, a, said)})
        for scale, factor in SCALE_FACTORS.items()
    }


def _quotes(cells: set[float], factor: float, amount: str, said: str) -> bool:
    """Whether some cell, read at `factor`, is the prose amount rounded as the prose prints it."""
    places = len(amount.partition(".")[2])
    stated = float(amount)
    unit = SCALE_FACTORS[said]
    if factor > unit or len(amount.replace(".", "").lstrip("0")) < MIN_QUOTED_DIGITS:
        return False
    return any(round(v * factor / unit, places) == stated for v in cells)


def _cell_number(text: str) -> float | None:
    text = text.replace(" ", "")
    if "%" in text or YEAR_RE.match(text):
        return None
    m = CELL_NUMBER_RE.match(text)
    return float(m.group(1).replace(",", "")) if m else None


def _is_heading(text: str) -> bool:
    return len(text) <= HEADING_CHARS and not text.rstrip().endswith(".")


def _title(paragraphs: list[str]) -> str:
    return paragraphs[0] if paragraphs and _is_heading(paragraphs[0]) else ""


def _layout(table: list[list[str]], lines: list[str]) -> tuple[tuple[GridCell, ...], ...]:
    """Render the table into `lines` (labels left, figures right-aligned in their columns) and
    give every cell the line and characters it stands on."""
    width = max(len(r) for r in table)
    rows = [[*r, *[""] * (width - len(r))] for r in table]
    widths = [max(len(r[j]) for r in rows) for j in range(width)]
    starts = [0]
    for j in range(1, width):
        starts.append(starts[-1] + widths[j - 1] + GAP)
    header = header_count(Grid.of(rows))
    out: list[tuple[GridCell, ...]] = []
    for i, r in enumerate(rows):
        if i == header and header:
            lines.append(_rule(starts, widths))
        n = len(lines) + 1
        text = ""
        cells: list[GridCell] = []
        for j, cell in enumerate(r):
            start = starts[j] if j == 0 else starts[j] + widths[j] - len(cell)
            text = text.ljust(start) + cell
            cells.append(GridCell(cell, n, start, start + len(cell)) if cell else GridCell(""))
        lines.append(text.rstrip())
        out.append(tuple(cells))
    return tuple(out)


def _rule(starts: list[int], widths: list[int]) -> str:
    text = ""
    for start, w in zip(starts[1:], widths[1:], strict=True):
        text = text.ljust(start) + "-" * max(w, 4)
    return text


READER = Reader("tatqa", (".json",), sniff, read)
