"""A table as its reader saw it: rows of cell strings with where each stands, before any meaning.

Every reader (fixed-width text, HTML, TAT-QA JSON, Markdown) turns its tables into `Grid`s, and
one builder turns a grid into a table model and facts, so the readers share one cell grammar and
one set of header, period and scale rules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GridCell:
    """One logical cell: `$`, `(704` and `)` printed in separate HTML cells arrive here as one.

    `line` is the 1-based line of the release text the cell stands on (for HTML, of the text the
    reader renders), `start`/`end` its character span there; `span` is how many grid columns a
    header cell covers (the covered positions that follow it hold empty cells).
    """

    text: str
    line: int | None = None
    start: int | None = None
    end: int | None = None
    span: int = 1


@dataclass(frozen=True)
class Grid:
    """A rectangular table: every row as wide as the widest, header rows first.

    `title` is the heading printed above the table, `notes` the nearby text that can carry its
    scale or unit ("in millions, except per-share amounts"), `header_rows` how many leading rows
    the reader knows to be header (None: the builder decides), `lines` the table's first and
    last line in the release text. `paths` are the body rows' label paths when the reader
    knows them (a text layout reads sections from indentation and rules), one per row after
    the header, markers still in; `inherits` marks a table printed without a title of its own,
    which takes its scale from the table before it.
    """

    rows: tuple[tuple[GridCell, ...], ...]
    title: str = ""
    notes: tuple[str, ...] = ()
    header_rows: int | None = None
    lines: tuple[int, int] | None = None
    paths: tuple[tuple[str, ...], ...] | None = None
    inherits: bool = False

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    @classmethod
    def of(cls, rows: list[list[str]], **kw: object) -> Grid:
        """A grid from plain strings (TAT-QA, tests), padded to a rectangle."""
        width = max((len(r) for r in rows), default=0)
        cells = tuple(tuple(GridCell(t) for t in [*r, *[""] * (width - len(r))]) for r in rows)
        return cls(cells, **kw)  # type: ignore[arg-type]
