"""Readers: one module per document layout, each registered here, all returning a `ReadRelease`.

A new layout is one new module with a `READER` and one line in `_BUILT_IN`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from index.grid import Grid
from index.segment import Passage, TableBlock


@dataclass(frozen=True)
class ReadRelease:
    """What a reader makes of a document: its text lines, narrative passages and table grids.

    `lines` is the text citations point into: the file itself for text layouts, a plain-text
    rendering for HTML and JSON. Passages and grids carry line numbers into it. `tables` are the
    reader's own table blocks when it has them (text layouts), else they are made from the
    grids' line spans; `warnings` what the reader noticed but could still read.
    """

    release: str
    title: str
    lines: tuple[str, ...]
    passages: tuple[Passage, ...]
    grids: tuple[Grid, ...]
    tables: tuple[TableBlock, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reader:
    """A layout: the file suffixes it claims, a sniff for content without a telling suffix, and
    the pure function from text to `ReadRelease`."""

    name: str
    suffixes: tuple[str, ...]
    sniff: Callable[[str], bool]
    read: Callable[[str, str], ReadRelease]


_BUILT_IN: tuple[str, ...] = ("tatqa", "markdown", "text")


def readers() -> tuple[Reader, ...]:
    return tuple(importlib.import_module(f"index.readers.{m}").READER for m in _BUILT_IN)


def choose(suffix: str, text: str) -> Reader | None:
    """The reader for a file: among those claiming its suffix, the first whose sniff accepts the
    text (else the first of them); with no claimant, the first reader whose sniff accepts it."""
    found = readers()
    by_suffix = [r for r in found if suffix.lower() in r.suffixes]
    sniffed = [r for r in (by_suffix or found) if r.sniff(text)]
    return (sniffed or by_suffix or [None])[0]
