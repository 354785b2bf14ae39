"""Many releases in one index: each listed with whose it is and what it reports, one forgotten
or replaced without touching a byte of the others.

The index holds the bundled Infinera release, a release the tests build from it (another
company, every year ten later) and Apple's HTML release.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from releases import JUNE_2024_COLUMNS, write_release
from test_cli import run

from index.config import DEFAULT_RELEASE, Settings
from index.embeddings import shared_embedder
from index.facts_store import FILENAME, FactsStore
from index.ingest import IngestOptions, forget, ingest
from index.vector_store import PassageStore
from index.versions import CURRENT, current_folder

ROOT = Path(__file__).resolve().parents[1]
APPLE = ROOT / "data" / "releases" / "AAPL-Q1FY2024.htm"
BUNDLED, OTHER, APPLE_ID = "infinera-2012-q4", "lumora-2022-q4", "AAPL-Q1FY2024"
YEARS_LATER = 10


def settings_for(index_dir: Path) -> Settings:
    return replace(Settings.from_env(), index_dir=index_dir, chroma_host=None, ingest_wait=600.0)


def other_company(folder: Path, extra: str = "") -> Path:
    """The bundled release as another company's, every year of it ten years later."""
    text = DEFAULT_RELEASE.read_text(encoding="utf-8")
    for old, new in (("Infinera", "Lumora"), ("INFINERA", "LUMORA"), ("infinera", "lumora")):
        text = text.replace(old, new)
    text = text.replace("INFN", "LUMR")
    text = re.sub(r"\b20(0\d|1[0-4])\b", lambda m: str(int(m[0]) + YEARS_LATER), text)
    text = text.replace("today reported", f"today reported{extra}", 1)
    return write_release(folder, text, f"{OTHER}.txt")


def checksums(index_dir: Path) -> dict[str, str]:
    """Per release, a digest of everything stored for it: its releases, identities, tables and
    words rows and its facts rows (all but the row number) in the facts store, and its passages'
    ids, texts and metadata in Chroma (their vectors are compared by `vectors`)."""
    import sqlite3

    digests: dict[str, hashlib._Hash] = {}
    con = sqlite3.connect(current_folder(index_dir) / FILENAME)
    try:
        queries = {
            "releases": "SELECT * FROM releases WHERE id = ?",
            "identities": "SELECT * FROM identities WHERE release = ?",
            "tables": "SELECT * FROM tables WHERE release = ? ORDER BY idx",
            "words": "SELECT * FROM words WHERE release = ?",
            "facts": "SELECT * FROM facts WHERE release = ? ORDER BY id",
        }
        ids = [r for (r,) in con.execute("SELECT id FROM releases")]
        for rid in ids:
            h = digests.setdefault(rid, hashlib.sha256())
            for name, sql in queries.items():
                rows = con.execute(sql, (rid,)).fetchall()
                rows = [r[1:] for r in rows] if name == "facts" else rows
                h.update(f"{name}:{json.dumps(rows)}".encode())
    finally:
        con.close()
    with PassageStore.open(settings_for(index_dir), shared_embedder()) as store:
        for rid in ids:
            got = store._collection.get(where={"release": rid}, include=["documents", "metadatas"])
            rows = sorted(
                zip(
                    got["ids"],
                    got["documents"],
                    [json.dumps(m, sort_keys=True) for m in got["metadatas"]],
                    strict=True,
                )
            )
            digests[rid].update(json.dumps(rows).encode())
    return {rid: h.hexdigest() for rid, h in digests.items()}


def vectors(index_dir: Path) -> dict[str, list[float]]:
    """Every stored passage's vector, by passage id."""
    with PassageStore.open(settings_for(index_dir), shared_embedder()) as store:
        got = store._collection.get(include=["embeddings"])
    return {i: [float(x) for x in v] for i, v in zip(got["ids"], got["embeddings"], strict=True)}


def same_vectors(before: dict[str, list[float]], after: dict[str, list[float]]) -> None:
    """Chroma moves a copied vector by at most one float32 step (it keeps cosine vectors
    normalised in its own arithmetic); anything more is a changed passage."""
    for pid, vec in after.items():
        assert max(abs(a - b) for a, b in zip(before[pid], vec, strict=True)) < 1e-7, pid


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of three releases, built once; tests that write work on a copy."""
    index_dir = tmp_path_factory.mktemp("three")
    files = tmp_path_factory.mktemp("files")
    settings = settings_for(index_dir)
    ingest([DEFAULT_RELEASE, other_company(files)], settings)
    ingest([APPLE], settings, IngestOptions(accept_audit_failures=True))
    return index_dir


def listing(index_dir: Path) -> dict[str, dict]:
    result = run(index_dir, "releases", "--json")
    assert result.returncode == 0, result.stderr
    return {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}


def copy_of(built: Path, tmp_path: Path) -> Path:
    index_dir = tmp_path / "index"
    shutil.copytree(built, index_dir)
    return index_dir


def test_releases_lists_every_release_with_its_identity(built: Path) -> None:
    result = run(built, "releases", "--json")
    assert result.returncode == 0, result.stderr
    rows = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert set(rows) == {BUNDLED, OTHER, APPLE_ID}
    want = {
        BUNDLED: ("Infinera Corporation", "INFN", "Q4 2012", "2012-12-29", 12),
        OTHER: ("Lumora Corporation", "LUMR", "Q4 2022", "2022-12-29", 12),
        APPLE_ID: ("Apple Inc.", None, "Q1 2024", "2023-12-30", 9),
    }
    for rid, (company, ticker, period, end, year_end) in want.items():
        row = rows[rid]
        got = (row["company"], row["ticker"], row["period"], row["period_end"])
        assert got == (company, ticker, period, end), rid
        assert row["fiscal_year_end_month"] == year_end
    store = FactsStore.open(built)
    with PassageStore.open(settings_for(built), shared_embedder()) as passages:
        for rid, row in rows.items():
            assert row["facts"] == len(store.facts(rid)) > 0
            assert row["passages"] == passages.count(rid) > 0
    assert rows[APPLE_ID]["source"].endswith("AAPL-Q1FY2024.htm")
    titles = {info.id: info.title for info in store.releases()}
    assert titles[APPLE_ID] == "Apple reports first quarter results"  # not "Exhibit 99.1"
    assert rows[OTHER]["source"].endswith(f"{OTHER}.txt")

    text = run(built, "releases")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0].split()[:4] == ["release", "company", "ticker", "period"]
    apple = next(line for line in lines if line.startswith(APPLE_ID))
    assert "Apple Inc." in apple and "unknown" in apple and "Q1 2024" in apple


def test_forget_and_reingest_leave_the_other_releases_byte_identical(
    built: Path, tmp_path: Path
) -> None:
    index_dir = copy_of(built, tmp_path)
    before, before_vectors = checksums(index_dir), vectors(index_dir)
    assert set(before) == {BUNDLED, OTHER, APPLE_ID}

    result = run(index_dir, "forget", APPLE_ID)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Forgot {APPLE_ID}: 172 facts")
    after_forget = checksums(index_dir)
    assert after_forget == {r: before[r] for r in (BUNDLED, OTHER)}
    after_vectors = vectors(index_dir)
    assert not any(pid.startswith(APPLE_ID) for pid in after_vectors)
    same_vectors(before_vectors, after_vectors)
    with PassageStore.open(settings_for(index_dir), shared_embedder()) as store:
        assert store.count(APPLE_ID) == 0

    files = tmp_path / "files"
    files.mkdir()
    changed = other_company(files, " (restated)")
    result = run(index_dir, "ingest", str(changed))
    assert result.returncode == 0, result.stderr
    after_ingest = checksums(index_dir)
    assert set(after_ingest) == {BUNDLED, OTHER}
    assert after_ingest[BUNDLED] == before[BUNDLED]
    assert after_ingest[OTHER] != before[OTHER]
    same_vectors(
        before_vectors, {p: v for p, v in vectors(index_dir).items() if p.startswith(BUNDLED)}
    )
    listed = listing(index_dir)
    assert listed[OTHER]["company"] == "Lumora Corporation"
    assert listed[OTHER]["source"] == str(changed)


def test_forgetting_an_unknown_release_is_one_line_and_changes_nothing(
    built: Path, tmp_path: Path
) -> None:
    index_dir = copy_of(built, tmp_path)
    pointer = (index_dir / CURRENT).read_bytes()
    before = checksums(index_dir)
    result = run(index_dir, "forget", "no-such-release")
    assert result.returncode != 0
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "no-such-release" in result.stderr
    for rid in (BUNDLED, OTHER, APPLE_ID):
        assert rid in result.stderr
    assert (index_dir / CURRENT).read_bytes() == pointer
    assert checksums(index_dir) == before


def test_the_only_release_is_not_forgotten(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    ingest([DEFAULT_RELEASE], settings_for(index_dir))
    result = run(index_dir, "forget", BUNDLED)
    assert result.returncode != 0
    assert len(result.stderr.splitlines()) == 1 and "only release" in result.stderr
    assert [r.id for r in FactsStore.open(index_dir).releases()] == [BUNDLED]


def test_a_release_that_does_not_say_whose_it_is_is_taken_and_listed_unknown(
    built: Path, tmp_path: Path
) -> None:
    """No dateline, no legal name, no sentence naming its quarter: ingest takes it and the
    listing says what it cannot tell."""
    index_dir = copy_of(built, tmp_path)
    text = "\n".join(
        [
            "Condensed Statements of Income",
            "(In thousands)",
            JUNE_2024_COLUMNS,
            "Product revenue      $     70,500  $     64,250  $    270,125  $    240,000",
            "Service revenue            38,000        35,000       146,000       130,000",
            "                     ------------  ------------  ------------  ------------",
            "Total revenue        $    108,500  $     99,250  $    416,125  $    370,000",
            "                     ============  ============  ============  ============",
            "",
            "",
            "",
            "Revenue rose on higher volumes.",
            "",
        ]
    )
    path = write_release(tmp_path, text, "anonymous.txt")
    before = checksums(index_dir)
    result = run(index_dir, "ingest", str(path))
    assert result.returncode == 0, result.stderr
    rows = listing(index_dir)
    assert (rows["anonymous"]["company"], rows["anonymous"]["period"]) == (None, None)
    assert rows["anonymous"]["facts"] == 12
    line = next(
        x for x in run(index_dir, "releases").stdout.splitlines() if x.startswith("anonymous")
    )
    assert line.split()[1:4] == ["unknown", "unknown", "unknown"]
    after = checksums(index_dir)
    assert {r: after[r] for r in before} == before


class Stop(Exception):
    """Raised by the fault hook: forget stopped at a stage, as a crash would stop it."""


@pytest.mark.parametrize("stage", ["facts_written", "passages_written", "before_switch"])
def test_a_forget_stopped_before_the_switch_leaves_every_release(
    built: Path, tmp_path: Path, stage: str
) -> None:
    index_dir = copy_of(built, tmp_path)
    before = checksums(index_dir)
    folders = sorted((index_dir / "versions").iterdir())

    def fault(at: str) -> None:
        if at == stage:
            raise Stop(at)

    with pytest.raises(Stop):
        forget(APPLE_ID, settings_for(index_dir), fault)
    assert checksums(index_dir) == before
    assert sorted((index_dir / "versions").iterdir()) == folders


def test_a_store_written_before_identities_reads_them_from_its_text(
    built: Path, tmp_path: Path
) -> None:
    import sqlite3

    index_dir = copy_of(built, tmp_path)
    con = sqlite3.connect(current_folder(index_dir) / FILENAME)
    con.execute("DROP TABLE identities")
    con.commit()
    con.close()
    rows = listing(index_dir)
    assert rows[BUNDLED]["company"] == "Infinera Corporation"
    assert rows[BUNDLED]["period"] == "Q4 2012"
    assert rows[BUNDLED]["passages"] is None
    line = next(x for x in run(index_dir, "releases").stdout.splitlines() if x.startswith(BUNDLED))
    assert "unknown" in line
