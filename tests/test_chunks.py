"""Chunking narrative passages: exact text, line ranges and sections survive the split."""

from __future__ import annotations

import pytest

from index.chunks import Chunk, chunk_passages
from index.config import DEFAULT_RELEASE
from index.segment import Passage, segment

RELEASE = "infinera-2012-q4"


@pytest.fixture(scope="module")
def passages() -> tuple[Passage, ...]:
    return segment(DEFAULT_RELEASE.read_text(encoding="utf-8"), RELEASE).passages


@pytest.fixture(scope="module")
def chunks(passages: tuple[Passage, ...]) -> list[Chunk]:
    return chunk_passages(passages, RELEASE)


def at_line(chunks: list[Chunk], line: int) -> list[Chunk]:
    return [c for c in chunks if c.first_line == line]


def test_short_paragraph_is_one_chunk_with_its_lines_and_section() -> None:
    passages = [
        Passage("Conference Call Information:", 27, 27, "Conference Call Information", "heading"),
        Passage("Infinera will host a call.", 29, 30, "Conference Call Information"),
    ]

    assert chunk_passages(passages, "r") == [
        Chunk(
            id="r:29-30:0",
            release="r",
            text="Infinera will host a call.",
            first_line=29,
            last_line=30,
            section="Conference Call Information",
            kind="paragraph",
        )
    ]


def test_headings_are_sections_not_chunks(
    passages: tuple[Passage, ...], chunks: list[Chunk]
) -> None:
    headings = [p for p in passages if p.kind == "heading"]

    assert headings
    assert not {p.first_line for p in headings} & {c.first_line for c in chunks}
    assert all(c.kind != "heading" for c in chunks)
    assert at_line(chunks, 29)[0].section == "Conference Call Information"
    assert at_line(chunks, 25)[0].section == "Management Commentary"


def test_every_paragraph_and_footnote_becomes_chunks(
    passages: tuple[Passage, ...], chunks: list[Chunk]
) -> None:
    expected = {(p.first_line, p.last_line) for p in passages if p.kind != "heading"}

    assert {(c.first_line, c.last_line) for c in chunks} == expected


def test_footnotes_are_chunks_with_their_table_section(chunks: list[Chunk]) -> None:
    (note,) = at_line(chunks, 257)

    assert note.kind == "footnote"
    assert (note.first_line, note.last_line) == (257, 262)
    assert note.section.startswith("Notes to GAAP to Non-GAAP Reconciliations")
    assert note.text.startswith("(1) Stock-based compensation expense is calculated")


def test_long_paragraph_splits_into_windows_within_max_chars(
    passages: tuple[Passage, ...], chunks: list[Chunk]
) -> None:
    (statement,) = [p for p in passages if p.first_line == 37]
    windows = at_line(chunks, 37)

    assert len(statement.text) > 2000
    assert len(windows) >= 4
    assert all(len(w.text) <= 700 for w in windows)
    assert " ".join(w.text for w in windows) == statement.text
    assert {(w.first_line, w.last_line, w.section) for w in windows} == {
        (37, 37, "Forward-Looking Statements")
    }


def test_windows_end_at_sentence_ends_when_sentences_fit(chunks: list[Chunk]) -> None:
    windows = at_line(chunks, 41)

    assert len(windows) >= 2
    assert all(w.text.endswith((".", '."')) for w in windows)
    assert windows[1].text.startswith("The presentation of this additional information")


def test_sentence_longer_than_max_chars_is_cut_at_clauses() -> None:
    text = "Risks include delays; weak demand; price pressure; and supply shortages. Done."
    (passage,) = [Passage(text, 3, 3, "Risks")]

    windows = [c.text for c in chunk_passages([passage], "r", max_chars=40)]

    assert windows == [
        "Risks include delays; weak demand;",
        "price pressure; and supply shortages.",
        "Done.",
    ]


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = (
        "The call starts at 5:00 p.m. Eastern Time. Results follow U.S. GAAP rules. "
        "Growth was strong, said Mr. Fallon."
    )

    windows = [c.text for c in chunk_passages([Passage(text, 1, 1, "S")], "r", max_chars=45)]

    assert windows == [
        "The call starts at 5:00 p.m. Eastern Time.",
        "Results follow U.S. GAAP rules.",
        "Growth was strong, said Mr. Fallon.",
    ]


def test_word_longer_than_max_chars_is_cut_hard() -> None:
    windows = [c.text for c in chunk_passages([Passage("x" * 25, 1, 1, "S")], "r", max_chars=10)]

    assert windows == ["x" * 10, "x" * 10, "x" * 5]


@pytest.mark.parametrize("max_chars", [60, 200, 700, 5000])
def test_every_window_is_an_exact_slice_within_max_chars(
    passages: tuple[Passage, ...], max_chars: int
) -> None:
    by_lines = {(p.first_line, p.last_line): p.text for p in passages}

    for chunk in chunk_passages(passages, RELEASE, max_chars=max_chars):
        assert 0 < len(chunk.text) <= max_chars
        assert chunk.text in by_lines[(chunk.first_line, chunk.last_line)]
        assert chunk.text == chunk.text.strip()


def test_ids_are_stable_unique_and_name_release_and_lines(
    passages: tuple[Passage, ...], chunks: list[Chunk]
) -> None:
    again = chunk_passages(
        segment(DEFAULT_RELEASE.read_text(encoding="utf-8"), RELEASE).passages, RELEASE
    )

    assert [c.id for c in again] == [c.id for c in chunks]
    assert len({c.id for c in chunks}) == len(chunks)
    assert [c.id for c in at_line(chunks, 37)][:2] == [f"{RELEASE}:37-37:0", f"{RELEASE}:37-37:1"]
    assert all(c.release == RELEASE for c in chunks)


def test_max_chars_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        chunk_passages([Passage("Text.", 1, 1, "S")], "r", max_chars=0)
