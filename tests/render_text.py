"""Render a table given as a 2-D array of strings into a fixed-width text release, the way
earnings releases print them: a headline, the title, a rule, the header (a group header centred
over a rule spanning its columns), a rule, then the rows with figures right-aligned in their
columns. Rows under a label-only heading are indented under it until the next heading or the
total that closes it. Used by the round-trip test: the same table read from JSON and from this
text must give the same facts.

A TAT-QA context says its scale and currency in the paragraphs around the table ("in
thousands"); a release prints them as a caption over the table ("(In thousands)", "(€ in
millions)"), so `render_context` writes the caption for what the JSON reader found there.
"""

from __future__ import annotations

import json

from index.cells import CURRENCY_SIGNS
from index.grid import Grid
from index.periods import learn_calendar
from index.readers.tatqa import read
from index.table_model import (
    Hints,
    _spread,
    build,
    header_count,
    header_pairs,
    header_scopes,
    is_unit_row,
    text_hints,
)

GAP = 3
LABEL_MIN = 20
LABEL_MAX = 44
HEADLINE = "Example Company Reports Results\n\n\n"


def _place(text: str, at: int, value: str) -> str:
    return text.ljust(at) + value


def render_context(context: dict, title: str = "Financial Table") -> str:
    """The text of a release holding a TAT-QA context's table, under the caption a release
    prints for the scale and currency the context's paragraphs give it."""
    grid = read(json.dumps(context), "context").grids[0]
    said = text_hints(" ".join([grid.title, *grid.notes]))
    return render_table(context["table"]["table"], title, caption_of(said))


def caption_of(hints: Hints) -> str:
    """The caption a release prints over a table for its scale and currency: '(In thousands)',
    '($ in millions)', '(In millions, except shares in thousands)', '(RMB)'; empty when they
    say neither."""
    signs = {code: sign for sign, code in CURRENCY_SIGNS.items()}
    currency = signs.get(hints.currency, hints.currency) if hints.currency else ""
    shares = f", except shares in {hints.shares}" if hints.shares else ""
    if hints.scale:
        said = f"{currency} in {hints.scale}" if currency else f"In {hints.scale}"
        return f"({said}{shares})"
    return f"({currency})" if currency else ""


def render_table(table: list[list[str]], title: str = "Financial Table", said: str = "") -> str:
    """The text of a release holding one table, `said` printed as a caption under its title."""
    width = max(len(r) for r in table)
    rows = [[" ".join(c.split()) for c in [*r, *[""] * (width - len(r))]] for r in table]
    grid = Grid.of(rows)
    count = header_count(grid)
    caption = [r[0] for r in rows[:count] if r[0]]
    units, levels = _header_rows(grid.rows[:count], width)
    calendar = learn_calendar(header_pairs(grid))
    top = list(build(grid, calendar, 0).columns[1:])
    # A header repeated in the body is printed as a header over the block of rows under it.
    heads = [(count, count, [], "")] + [
        (a, b, _header_rows(grid.rows[a:b], width)[1], rows[a][0])
        for a, b, _ in header_scopes(grid, count, top, calendar)
    ]
    stops = [a for a, *_ in heads[1:]] + [len(rows)]
    blocks = [
        (lvs, label, rows[b:stop]) for (_, b, lvs, label), stop in zip(heads, stops, strict=True)
    ]
    body = [r for *_, rs in blocks for r in rs]
    starts, ends = _columns(body, [*levels, *(lv for lvs, _, _ in blocks for lv in lvs)], width)
    lines = [title, *filter(None, [said]), *caption, *units, "-" * ends[-1]]
    lines += _header(levels, starts, ends)
    for block_levels, label, block_rows in blocks:
        if block_levels:
            head = _header(block_levels, starts, ends)
            lines += [label + head[0][len(label) :], *head[1:]]
        lines += _body(block_rows, ends)
    return HEADLINE + "\n".join(line.rstrip() for line in lines) + "\n"


def _header(levels: list[list[str]], starts: list[int], ends: list[int]) -> list[str]:
    """The header levels, then the rule under the columns."""
    lines = []
    for k, level in enumerate(levels):
        lines += _header_level(level, starts, ends, k == len(levels) - 1)
    return [*lines, _rule(starts, ends)]


def _header_rows(rows: tuple, width: int) -> tuple[list[str], list[list[str]]]:
    """The unit-only header rows (printed as captions) and the header levels, spread."""
    units, levels = [], []
    for g in rows:
        values = [c.text for c in g[1:] if c.text]
        if is_unit_row(values):
            units.append(values[0])
        elif values:
            levels.append(_spread(g, width, False))
    return units, levels


def _columns(body: list[list[str]], levels: list[list[str]], width: int) -> tuple[list, list]:
    """Where each value column starts and ends: wide enough for its figures and header words."""
    label_w = min(LABEL_MAX, max([LABEL_MIN, *(len(r[0]) + 4 for r in body)]))
    col_w = [0] + [
        max([8, *(len(r[j]) for r in body), *(_longest_word(lv[j]) for lv in levels)])
        for j in range(1, width)
    ]
    ends = []
    at = label_w
    for j in range(1, width):
        at += col_w[j] + (GAP if j > 1 else 0)
        ends.append(at)
    starts = [e - col_w[j] for j, e in zip(range(1, width), ends, strict=True)]
    return starts, ends


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def _header_level(level: list[str], starts: list[int], ends: list[int], last: bool) -> list[str]:
    """One header row, each text wrapped to the columns it covers (over several lines, as
    releases print 'December' over '29, 2012'); an upper row gets a rule under each group."""
    cells: list[tuple[int, int, list[str]]] = []
    j = 1
    while j < len(level):
        k = j
        while not last and k + 1 < len(level) and level[k + 1] == level[j]:
            k += 1
        a, b = starts[j - 1], ends[k - 1]
        if level[j]:
            cells.append((a, b, _wrap(level[j], b - a)))
        j = k + 1
    height = max((len(w) for _, _, w in cells), default=1)
    lines = []
    for n in range(height):
        text = ""
        for a, b, wrapped in cells:
            pad = height - len(wrapped)
            if n < pad:
                continue
            words = wrapped[n - pad]
            pos = a + max(0, (b - a - len(words)) // 2) if not last else b - len(words)
            text = _place(text, max(pos, len(text) + 1 if text else pos), words)
        lines.append(text)
    rule = ""
    for a, b, _ in cells:
        rule = _place(rule, a, "-" * (b - a))
    return lines if last else [*lines, rule]


def _rule(starts: list[int], ends: list[int]) -> str:
    text = ""
    for a, b in zip(starts, ends, strict=True):
        text = _place(text, a, "-" * (b - a))
    return text


def _wrap(label: str, width: int) -> list[str]:
    """A long label over several lines, the value on the last, as releases print them."""
    words, lines = label.split(), [""]
    for w in words:
        if lines[-1] and len(lines[-1]) + 1 + len(w) > width:
            lines.append(w)
        else:
            lines[-1] = f"{lines[-1]} {w}".strip()
    return lines


def _body(body: list[list[str]], ends: list[int]) -> list[str]:
    out = []
    heading = None
    for r in body:
        label, values = r[0], r[1:]
        if label and not any(values):
            heading = label.rstrip(":")
            out += _wrap(label if label.endswith(":") else label + ":", LABEL_MAX - 4)
            continue
        indent = "  " if heading else ""
        pieces = _wrap(label, LABEL_MAX - len(indent) - 4)
        out += [indent + p for p in pieces[:-1]]
        text = indent + pieces[-1]
        for end, v in zip(ends, values, strict=True):
            if v:
                text = _place(text, max(end - len(v), len(text) + 2), v)
        out.append(text)
        if heading and label.lower().startswith("total") and heading.lower() in label.lower():
            heading = None
    return out
