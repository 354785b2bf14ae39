"""Fixed-width text, as earnings releases print it: tables under rule lines, prose around them.

The text layout keeps its own parser (`index.tables`), which reads wrapped labels, sections and
totals from indentation and rules; it shares the cell grammar (`index.cells`) and the column-key
rules (`index.table_model.column_key`) with every other reader, so its facts are made the same
way. `read` gives the lines, passages and table blocks; `index.release` turns the blocks into
facts.
"""

from __future__ import annotations

from index.readers import Reader, ReadRelease
from index.segment import segment


def sniff(text: str) -> bool:
    return "\x00" not in text[:2000]


def read(text: str, release: str) -> ReadRelease:
    document = segment(text, release)
    return ReadRelease(
        release,
        next((line.strip() for line in document.lines if line.strip()), release),
        document.lines,
        document.passages,
        (),
        document.tables,
    )


READER = Reader("text", (".txt", ".text", ""), sniff, read)
