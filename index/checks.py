"""What ingest checks before it commits a release: every row complete, every table closed, the
tie-out audit clean, and no release replaced by a much smaller one unless a person says so.

The checks read the segmented document and the parsed facts, so they hold for any table the
parser reads; each problem names the line nearest the damage.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from index.errors import MalformedRelease, ReleaseRefused
from index.release import ParsedRelease
from index.segment import Document, TableBlock, is_rule, trailing_cells

MARKER_RE = re.compile(r"(\(\d{1,2}\)|\*{1,3})(?=\s|$|:)")
LEADING_MARK_RE = re.compile(
    r"\s*(\(\d{1,2}\)|\*{1,3})\s+[^\W\d_]"
)  # a mark before words, not figures
BLANK_CELL_RE = re.compile(r"(?<!\S)[—–](?!\S)")
INTRODUCES_TABLE_RE = re.compile(r"\bthe following table\b", re.IGNORECASE)
FREE_LAYOUTS = ("text", "aligned_text")  # layouts where only the figures tell where a table ends
NOTE_GAP = 3  # lines between a note that introduces a table and the table's header


@dataclass(frozen=True)
class IngestPolicy:
    """When ingest asks a person before it replaces what the index holds."""

    min_kept_share: float = 0.9  # a new version with fewer facts than this share needs --replace


POLICY = IngestPolicy()


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


def check_release(parsed: ParsedRelease) -> None:
    """Refuse the release at its first problem (by line) with the line named."""
    problems = row_problems(parsed) + closure_problems(parsed)
    if problems:
        first = min(problems, key=lambda p: p.line)
        rest = sorted({p.line for p in problems} - {first.line})
        more = f" (more at line {', '.join(map(str, rest))})" if rest else ""
        raise MalformedRelease(first.message + more, first.line)


def row_problems(parsed: ParsedRelease) -> list[Problem]:
    """A row with fewer cells than its table has value columns: in a fixed-width layout it
    cannot be told which one is missing, so a blank column must be printed as '-' or '—'.
    Markup (HTML, Markdown, TAT-QA) puts every cell in its column, so an empty one is no gap."""
    if parsed.layout not in FREE_LAYOUTS:
        return []
    problems: list[Problem] = []
    for block in parsed.document.tables:
        facts = [f for f in parsed.facts if f.table_index == block.index]
        columns = list(dict.fromkeys(f.column for f in facts))
        cells: dict[int, list[str]] = defaultdict(list)
        for f in facts:
            cells[f.line].append(f.label)
        for line, labels in sorted(cells.items()):
            count = len(labels) + len(BLANK_CELL_RE.findall(parsed.document.line(line)))
            if count < len(columns):
                problems.append(
                    Problem(
                        line,
                        f"table '{block.title}': row '{labels[0]}' has {count} values for"
                        f" {len(columns)} columns; print '-' or '—' where a column is blank",
                    )
                )
    return problems


def closure_problems(parsed: ParsedRelease) -> list[Problem]:
    """Tables that stop before their structure says they end. Only a free text layout can be
    cut inside a table unnoticed; markup and TAT-QA contexts print excerpts whose notes and
    introduced tables may stand elsewhere in the filing."""
    document = parsed.document
    problems: list[Problem] = []
    if parsed.layout not in FREE_LAYOUTS:
        return problems
    for block in document.tables:
        problems += _missing_notes(block, parsed)
        problems += _open_rule(block)
    problems += _tables_not_printed(document)
    problems += _ends_inside_table(parsed)
    return problems


def _label_part(text: str, values: int) -> str:
    """The line left of its `values` figures (a note mark like "(1)" reads as a figure too)."""
    cells = trailing_cells(text)[-values:] if values else []
    return text[: cells[0].start()] if cells else text


def _missing_notes(block: TableBlock, parsed: ParsedRelease) -> list[Problem]:
    """A row that refers to a note (1) or * the release never prints; named at the end of the
    notes it does print under the table, where the missing one should stand."""
    printed = {marker for marker, _ in block.notes} | _heading_marks(block)
    notes_end = max(
        [block.last_line]
        + [
            p.last_line
            for p in parsed.document.passages
            if p.kind == "footnote" and p.section == f"Notes to {block.title}"
        ]
    )
    values: dict[int, int] = defaultdict(int)
    for f in parsed.facts:
        if f.table_index == block.index:
            values[f.line] += 1
    out: list[Problem] = []
    for n, text in block.lines:
        if is_rule(text) or (not values.get(n) and trailing_cells(text)):
            continue  # a header line: its years read as figures
        for m in MARKER_RE.finditer(_label_part(text, values.get(n, 0))):
            if m.group(1) not in printed:
                printed.add(m.group(1))
                out.append(
                    Problem(
                        notes_end,
                        f"table '{block.title}' and its notes end here without the note"
                        f" {m.group(1)} its line {n} refers to (is the release truncated?)",
                    )
                )
    return out


def _heading_marks(block: TableBlock) -> set[str]:
    """Marks that open a row of the table itself ("(1) Net sales by category:"): the note is
    printed as a section of the table."""
    return {
        m.group(1)
        for _, text in block.lines
        if (m := LEADING_MARK_RE.match(text)) and not trailing_cells(text)
    }


def _last_printed(block: TableBlock) -> tuple[int, str]:
    return next((n, t) for n, t in reversed(block.lines) if t.strip())


def _open_rule(block: TableBlock) -> list[Problem]:
    """A single rule under the figures announces a total; the table must not end on it."""
    n, text = _last_printed(block)
    if is_rule(text) and "=" not in text and text[:1].isspace():
        return [
            Problem(n, f"table '{block.title}' ends on a rule with no total under it (truncated?)")
        ]
    return []


def _tables_not_printed(document: Document) -> list[Problem]:
    """A note that says "the following table" with no table right after it."""
    starts = {t.first_line for t in document.tables}
    out: list[Problem] = []
    for p in document.passages:
        if INTRODUCES_TABLE_RE.search(p.text) and not any(
            p.last_line < s <= p.last_line + NOTE_GAP for s in starts
        ):
            out.append(
                Problem(p.last_line, "this note introduces a table that is not printed after it")
            )
    return out


def _ends_inside_table(parsed: ParsedRelease) -> list[Problem]:
    """The release's last line is a row of a table that no total (a row under a rule that
    stands below other rows) or closing rule ends."""
    document = parsed.document
    if not document.tables:
        return []
    block = document.tables[-1]
    last = max((k for k, t in enumerate(document.lines, 1) if t.strip()), default=0)
    n, text = _last_printed(block)
    if n != last or is_rule(text):
        return []
    first_row = min((f.line for f in parsed.facts if f.table_index == block.index), default=n)
    above = [(k, t) for k, t in block.lines if k < n and t.strip()]
    if _total_under_rule(above, first_row):
        return []
    return [
        Problem(
            n,
            f"the release ends inside table '{block.title}' before a total closes it"
            " (is it truncated?)",
        )
    ]


def _total_under_rule(above: list[tuple[int, str]], first_row: int) -> bool:
    """Does a rule below the first row stand right above the last row (so it is a total)?"""
    for k, t in reversed(above):
        if is_rule(t):
            return k > first_row
        if trailing_cells(t):
            return False
    return False


def check_replacement(
    parsed: ParsedRelease, old_facts: int | None, policy: IngestPolicy = POLICY
) -> None:
    """Refuse to replace a release with one holding far fewer facts, unless told to."""
    if old_facts is None or old_facts == 0:
        return
    new = len(parsed.facts)
    if new < old_facts * policy.min_kept_share:
        last = max((k for k, t in enumerate(parsed.document.lines, 1) if t.strip()), default=0)
        raise ReleaseRefused(
            f"{parsed.release} ends at line {last} with {new} facts where the index holds"
            f" {old_facts} for it; pass --replace to replace it anyway"
        )
