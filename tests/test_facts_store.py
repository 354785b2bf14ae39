"""The facts store: a SQLite file that gives back exactly the facts it was given."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from releases import income_statement, parse_acme

import index.facts_store as facts_store
from index.config import DEFAULT_RELEASE
from index.errors import IndexCorrupt, IndexMissing
from index.facts import Fact
from index.facts_store import FILENAME, FactsStore
from index.release import ParsedRelease, read_release

NOW = "2024-01-01T00:00:00+00:00"
LATER = "2024-01-02T00:00:00+00:00"

OTHER = income_statement(
    """\
Revenue              $     70,500  $     64,250  $    270,125  $    240,000
Net income           $     10,000  $      9,000  $     40,000  $     35,000
"""
)


@pytest.fixture(scope="module")
def infinera() -> ParsedRelease:
    return read_release(DEFAULT_RELEASE)


@pytest.fixture(scope="module")
def acme() -> ParsedRelease:
    return parse_acme(OTHER)


def exact(f: Fact) -> tuple[object, ...]:
    """Everything a fact holds, including what dataclass equality leaves out."""
    return (
        f.release,
        f.table,
        f.table_index,
        f.row,
        f.column,
        f.period.kind,
        f.period.fiscal_year,
        f.period.quarter,
        f.period.end,
        f.basis,
        str(f.value),
        type(f.value),
        f.raw,
        f.unit,
        f.scale,
        f.line,
        f.label_line,
        f.qualifier,
    )


def temp_files(index_dir: Path) -> list[Path]:
    return [p for p in index_dir.iterdir() if p.name != FILENAME]


def test_write_then_open_gives_back_every_fact_exactly(
    tmp_path: Path, infinera: ParsedRelease
) -> None:
    FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE)], NOW)
    store = FactsStore.open(tmp_path)

    assert len(store.facts()) == 531
    assert [exact(f) for f in store.facts()] == [exact(f) for f in infinera.facts]
    assert store.facts() == list(infinera.facts)


def test_round_trip_keeps_decimals_qualifiers_and_periods(
    tmp_path: Path, infinera: ParsedRelease
) -> None:
    FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE)], NOW)
    by_line = {}
    for f in FactsStore.open(tmp_path).facts():
        by_line.setdefault(f.line, []).append(f)

    assert [str(f.value) for f in by_line[460]][:2] == ["92.9", "96.0"]
    assert by_line[475][2].qualifier == "<"
    assert by_line[120][0].value == Decimal("-0.14")
    assert by_line[312][0].period.label == "December 29, 2012"
    assert by_line[172][1].period.label == "Q3 2012"
    assert by_line[172][3].period.label == "fiscal 2012"
    assert by_line[460][0].period.end is None
    assert by_line[206][0].row == ("Reconciliation of Net Loss", "U.S. GAAP as reported")


def test_release_information_is_stored(tmp_path: Path, infinera: ParsedRelease) -> None:
    FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE)], NOW)
    info = FactsStore.open(tmp_path).release("infinera-2012-q4")

    assert info.fact_count == 531
    assert info.path == str(DEFAULT_RELEASE)
    assert info.ingested_at == NOW
    assert info.lines == infinera.document.lines
    assert info.calendar == infinera.calendar
    assert [t[1] for t in info.tables] == [t.title for t in infinera.document.tables]
    assert [(t[2], t[3]) for t in info.tables] == [
        (t.first_line, t.last_line) for t in infinera.document.tables
    ]


def test_store_is_readable_with_plain_sqlite(tmp_path: Path, infinera: ParsedRelease) -> None:
    path = FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE)], NOW)
    con = sqlite3.connect(path)
    try:
        (count,) = con.execute("SELECT count(*) FROM facts").fetchone()
        (value,) = con.execute(
            "SELECT value FROM facts WHERE line = 115 AND period_label = 'Q4 2012'"
        ).fetchone()
    finally:
        con.close()

    assert path == tmp_path / FILENAME
    assert (count, value) == (531, "-16088")


def test_open_on_a_missing_folder_raises_index_missing(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing):
        FactsStore.open(tmp_path / "no-such-index")


def test_open_on_an_empty_folder_raises_index_missing(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing):
        FactsStore.open(tmp_path)


def test_open_on_garbage_bytes_raises_index_corrupt_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    path.write_bytes(b"\x00\xffthis is not a database\x13\x37" * 100)

    with pytest.raises(IndexCorrupt) as info:
        FactsStore.open(tmp_path)

    assert str(path) in str(info.value)


def test_open_on_a_database_without_the_schema_raises_index_corrupt(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE unrelated (x INTEGER)")
    con.commit()
    con.close()

    with pytest.raises(IndexCorrupt) as info:
        FactsStore.open(tmp_path)

    assert str(path) in str(info.value)


def test_second_write_of_the_same_release_replaces_it(
    tmp_path: Path, infinera: ParsedRelease
) -> None:
    FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE)], NOW)
    FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE)], LATER)
    store = FactsStore.open(tmp_path)

    assert len(store.facts()) == 531
    assert [r.id for r in store.releases()] == ["infinera-2012-q4"]
    assert store.release("infinera-2012-q4").ingested_at == LATER


def test_writing_one_release_keeps_the_others(
    tmp_path: Path, infinera: ParsedRelease, acme: ParsedRelease
) -> None:
    FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE)], NOW)
    FactsStore.write(tmp_path, [(acme, Path("acme-2024-q4.txt"))], LATER)
    FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE)], LATER)
    store = FactsStore.open(tmp_path)

    assert sorted(r.id for r in store.releases()) == ["acme-2024-q4", "infinera-2012-q4"]
    assert len(store.facts("infinera-2012-q4")) == 531
    assert len(store.facts("acme-2024-q4")) == len(acme.facts) == 8
    assert [exact(f) for f in store.facts("acme-2024-q4")] == [exact(f) for f in acme.facts]
    assert store.release("acme-2024-q4").ingested_at == LATER
    assert store.release("acme-2024-q4").calendar.year_end_month == 6


def test_a_failed_write_leaves_the_old_store_intact_and_no_temp_file(
    tmp_path: Path, infinera: ParsedRelease, acme: ParsedRelease, monkeypatch: pytest.MonkeyPatch
) -> None:
    FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE)], NOW)
    before = (tmp_path / FILENAME).read_bytes()

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(facts_store, "_insert_facts", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        FactsStore.write(tmp_path, [(acme, Path("acme.txt"))], LATER)
    monkeypatch.undo()

    assert (tmp_path / FILENAME).read_bytes() == before
    assert temp_files(tmp_path) == []
    store = FactsStore.open(tmp_path)
    assert [r.id for r in store.releases()] == ["infinera-2012-q4"]
    assert len(store.facts()) == 531


def test_a_failed_first_write_leaves_no_store(
    tmp_path: Path, infinera: ParsedRelease, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(facts_store, "_insert_facts", fail)
    with pytest.raises(RuntimeError):
        FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE)], NOW)

    assert list(tmp_path.iterdir()) == []
    with pytest.raises(IndexMissing):
        FactsStore.open(tmp_path)


def test_write_over_a_corrupt_store_rebuilds_it(tmp_path: Path, infinera: ParsedRelease) -> None:
    (tmp_path / FILENAME).write_bytes(b"garbage" * 1000)

    FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE)], NOW)

    assert len(FactsStore.open(tmp_path).facts()) == 531
    assert temp_files(tmp_path) == []


def test_write_creates_the_index_folder(tmp_path: Path, acme: ParsedRelease) -> None:
    index_dir = tmp_path / "var" / "index"

    FactsStore.write(index_dir, [(acme, Path("acme.txt"))], NOW)

    assert len(FactsStore.open(index_dir).facts()) == 8


def drop(index_dir: Path, sql: str) -> None:
    con = sqlite3.connect(index_dir / FILENAME)
    con.execute(sql)
    con.commit()
    con.close()


def test_open_reads_the_releases_and_a_release_facts_on_first_use(
    tmp_path: Path, infinera: ParsedRelease, acme: ParsedRelease
) -> None:
    FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE), (acme, Path("acme.txt"))], NOW)
    drop(tmp_path, "DELETE FROM facts WHERE release = 'infinera-2012-q4'")
    store = FactsStore.open(tmp_path)

    assert store.release("infinera-2012-q4").fact_count == 531
    assert store.facts("infinera-2012-q4") == []
    assert store.facts("acme-2024-q4") == list(acme.facts)


def test_a_release_facts_unreadable_after_open_is_one_line(
    tmp_path: Path, infinera: ParsedRelease
) -> None:
    FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE)], NOW)
    drop(tmp_path, "DROP TABLE facts")
    store = FactsStore.open(tmp_path)

    with pytest.raises(IndexCorrupt, match="rebuild it with `bot ingest`"):
        store.facts("infinera-2012-q4")


def test_the_words_of_each_release_are_recorded_and_read_from_text_when_not(
    tmp_path: Path, infinera: ParsedRelease, acme: ParsedRelease
) -> None:
    FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE), (acme, Path("acme.txt"))], NOW)
    recorded = FactsStore.open(tmp_path)
    words = set(recorded.words().split())

    assert "infinera" in words and "acme" in words
    assert set(recorded.words("acme-2024-q4").split()) < words
    drop(tmp_path, "DROP TABLE words")
    assert set(FactsStore.open(tmp_path).words().split()) == words


def test_a_rewrite_copies_the_kept_releases_words_and_facts(
    tmp_path: Path, infinera: ParsedRelease, acme: ParsedRelease
) -> None:
    FactsStore.write(tmp_path, [(infinera, DEFAULT_RELEASE)], NOW)
    FactsStore.write(tmp_path, [(acme, Path("acme.txt"))], LATER)
    store = FactsStore.open(tmp_path)

    assert store.facts("infinera-2012-q4") == list(infinera.facts)
    assert "infinera" in store.words("infinera-2012-q4").split()
    assert store.release("infinera-2012-q4").lines == infinera.document.lines
