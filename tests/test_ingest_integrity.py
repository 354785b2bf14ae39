"""What goes into the index is right, or it does not go in.

Ingest is one transaction over the facts store and Chroma (a crash at any stage leaves the old
index or the new one), concurrent ingests lose nothing, and a release that is cut short, missing
a cell or failing its audit is refused with a line near the damage.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest
from releases import RELEASE_LINES
from test_vector_store import chroma_server  # noqa: F401  (a real `chroma run`)

from index import versions
from index.checks import check_release, check_replacement
from index.config import DEFAULT_RELEASE, Settings
from index.embeddings import shared_embedder
from index.errors import BotError, IndexBusy, MalformedRelease, ReleaseRefused
from index.facts_store import FactsStore
from index.ingest import CRASH_ENV, CRASH_EXIT, STAGES, IngestOptions, ingest
from index.release import parse_release
from index.segment import trailing_cells
from index.vector_store import PassageStore

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = "infinera-2012-q4"
BUNDLED_FACTS = 531
NEAR = 12  # how far from the damage the line a refusal names may be


class Stop(Exception):
    """Raised by the fault hook: ingest stopped at a stage, as a crash would stop it."""


def settings_for(index_dir: Path) -> Settings:
    return replace(Settings.from_env(), index_dir=index_dir, chroma_host=None, ingest_wait=600.0)


def copy_release(folder: Path, name: str) -> Path:
    """The bundled release under another name: another release, complete and tying out."""
    path = folder / f"{name}.txt"
    path.write_text(DEFAULT_RELEASE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def snapshot(index_dir: Path) -> dict[str, tuple[int, int, frozenset[str]]]:
    """Per release: facts, passages and passage ids, read the way readers read them."""
    facts = FactsStore.open(index_dir)
    out: dict[str, tuple[int, int, frozenset[str]]] = {}
    with PassageStore.open(settings_for(index_dir), shared_embedder()) as store:
        for info in facts.releases():
            hits = store._collection.get(where={"release": info.id}, include=[])["ids"]
            out[info.id] = (len(facts.facts(info.id)), len(hits), frozenset(hits))
    return out


RELEASE_NAMED = re.compile(r"Infinera Q4 2012 release \[[\w-]+\], ")


def answers(index_dir: Path) -> tuple[str, str]:
    from bot.service import Service

    s = replace(settings_for(index_dir), release=DEFAULT_RELEASE, model=None, base_url=None)
    service = Service.open(s, build=False)
    return (
        service.ask("what was Q3 DSO?").text,
        service.ask("where is the company based?").text,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index holding the bundled release, built once and copied by each test that writes."""
    index_dir = tmp_path_factory.mktemp("built")
    ingest([DEFAULT_RELEASE], settings_for(index_dir))
    return index_dir


def clone(built: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "index"
    shutil.copytree(built, target)
    return target


# ------------------------------------------------------------------------------ transaction


def test_an_index_version_holds_both_stores_and_current_names_it(built: Path) -> None:
    name = versions.current_name(built)
    assert name is not None
    folder = built / versions.VERSIONS / name
    assert (folder / "facts.sqlite").is_file()
    assert (folder / "chroma").is_dir()
    facts, passages, _ = snapshot(built)[BUNDLED]
    assert facts == BUNDLED_FACTS
    assert passages > 0


@pytest.mark.parametrize("stage", STAGES)
def test_a_crash_at_any_stage_leaves_the_old_index_or_the_new_one(
    built: Path, tmp_path: Path, stage: str
) -> None:
    index_dir = clone(built, tmp_path)
    before = snapshot(index_dir)
    before_answers = answers(index_dir)
    other = copy_release(tmp_path, "other-2012-q4")

    def fault(at: str) -> None:
        if at == stage:
            raise Stop(at)

    with pytest.raises(Stop):
        ingest([other], settings_for(index_dir), fault=fault)

    after = snapshot(index_dir)
    if STAGES.index(stage) < STAGES.index("switched"):
        assert after == before, f"a crash at {stage} changed the index"
        # The half-built version is gone with the crash's clean-up.
        assert sorted(p.name for p in (index_dir / versions.VERSIONS).iterdir()) == sorted(
            p.name for p in (built / versions.VERSIONS).iterdir()
        )
    else:
        assert after[BUNDLED] == before[BUNDLED]
        assert after["other-2012-q4"][:2] == before[BUNDLED][:2], f"{stage}: new one incomplete"
    # With two releases loaded, an answer names the release it stands on.
    assert tuple(RELEASE_NAMED.sub("", a) for a in answers(index_dir)) == before_answers


def test_a_killed_ingest_leaves_the_old_index_and_the_next_one_clears_its_leftovers(
    built: Path, tmp_path: Path
) -> None:
    index_dir = clone(built, tmp_path)
    before = snapshot(index_dir)
    other = copy_release(tmp_path, "other-2012-q4")
    env = {**_env(index_dir), CRASH_ENV: "passages_written"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(other)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == CRASH_EXIT, done.stderr
    assert snapshot(index_dir) == before
    leftovers = {p.name for p in (index_dir / versions.VERSIONS).iterdir()}
    assert len(leftovers) == 2  # the current version and the half-built one
    ingest([other], settings_for(index_dir))
    after = snapshot(index_dir)
    assert after[BUNDLED] == before[BUNDLED]
    assert after["other-2012-q4"][:2] == before[BUNDLED][:2]
    kept = {p.name for p in (index_dir / versions.VERSIONS).iterdir()}
    assert kept == {versions.current_name(index_dir), versions.current_name(built)}


def test_ingesting_b_after_a_keeps_a_and_old_versions_are_collected(
    built: Path, tmp_path: Path
) -> None:
    index_dir = clone(built, tmp_path)
    first = versions.current_name(index_dir)
    b = copy_release(tmp_path, "b-2012-q4")
    c = copy_release(tmp_path, "c-2012-q4")
    ingest([b], settings_for(index_dir))
    ingest([c], settings_for(index_dir))
    got = snapshot(index_dir)
    assert set(got) == {BUNDLED, "b-2012-q4", "c-2012-q4"}
    assert {v[:2] for v in got.values()} == {got[BUNDLED][:2]}
    names = {p.name for p in (index_dir / versions.VERSIONS).iterdir()}
    assert first not in names and len(names) == 2  # the current one and the one before it


def test_two_paths_of_one_release_are_refused(tmp_path: Path) -> None:
    a = tmp_path / "a"
    a.mkdir()
    with pytest.raises(ReleaseRefused, match="both release"):
        ingest([DEFAULT_RELEASE, copy_release(a, BUNDLED)], settings_for(tmp_path / "index"))


def take_lock(index_dir: Path, wait: float) -> None:
    with versions.ingest_lock(index_dir, wait):
        pass


def test_a_second_ingest_waits_for_the_lock_and_fails_in_one_line_when_it_times_out(
    tmp_path: Path,
) -> None:
    index_dir = tmp_path / "index"
    with versions.ingest_lock(index_dir, 1.0):
        with pytest.raises(IndexBusy, match="another ingest") as info:
            take_lock(index_dir, 0.3)
        assert "\n" not in str(info.value)
    take_lock(index_dir, 0.3)  # released: the next one gets it


def _env(index_dir: Path) -> dict[str, str]:
    env = {**os.environ, "BOT_INDEX_DIR": str(index_dir), "HF_HUB_OFFLINE": "1"}
    env.pop("CHROMA_HOST", None)
    env.pop(CRASH_ENV, None)
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_eight_ingests_at_once_lose_no_release(built: Path, tmp_path: Path) -> None:
    index_dir = clone(built, tmp_path)
    names = [f"concurrent-{k}" for k in range(5)]
    paths = [copy_release(tmp_path, n) for n in names]
    # Five different releases, and the bundled one three times over.
    jobs = [str(p) for p in paths] + [str(DEFAULT_RELEASE)] * 3
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "ingest", job],
            env=_env(index_dir),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for job in jobs
    ]
    results = [(p.wait(timeout=900), p.stderr.read() if p.stderr else "") for p in procs]
    assert [code for code, _ in results] == [0] * len(jobs), results
    got = snapshot(index_dir)
    assert set(got) == {BUNDLED, *names}
    for name, (facts, passages, _) in got.items():
        assert (facts, passages) == got[BUNDLED][:2], f"{name} is incomplete: {facts}, {passages}"


# ------------------------------------------------------------------------- checks: refusals


def refusal(text: str) -> BotError | None:
    """Parse and check as ingest does, over the bundled release already in the index."""
    try:
        parsed = parse_release(text, BUNDLED)
        check_release(parsed)
        check_replacement(parsed, BUNDLED_FACTS)
        from index.audit import audit

        report = audit(parsed)
        if not report.ok:
            return ReleaseRefused(f"line {report.failures[0].lines[0]}: audit fails")
    except BotError as exc:
        return exc
    return None


def lines_named(error: BotError) -> list[int]:
    return [int(n) for n in re.findall(r"(?:\bline |:)(\d+)\b", str(error))]


def test_the_bundled_release_passes_every_check() -> None:
    assert refusal("\n".join(RELEASE_LINES) + "\n") is None


def test_cut_point_sweep_every_cut_is_refused_near_the_cut() -> None:
    """Every tenth line as the last one: refused naming a line near the cut, until the last
    table's last note is whole (what follows, the contacts, holds no figure)."""
    document = parse_release("\n".join(RELEASE_LINES), BUNDLED).document
    whole = max(p.last_line for p in document.passages if p.kind == "footnote")
    assert whole > document.tables[-1].last_line
    silent: list[int] = []
    far: list[str] = []
    for cut in range(10, len(RELEASE_LINES) + 1, 10):
        if cut >= whole:
            assert refusal("\n".join(RELEASE_LINES[:cut]) + "\n") is None, f"cut at {cut}"
            continue
        error = refusal("\n".join(RELEASE_LINES[:cut]) + "\n")
        if error is None:
            silent.append(cut)
        elif not any(abs(n - cut) <= NEAR for n in lines_named(error)):
            far.append(f"cut at {cut}: {error}")
    assert not silent, f"cut releases accepted silently at lines {silent}"
    assert not far, "refusals naming no line near the cut:\n" + "\n".join(far)


def _cells() -> list[tuple[int, int, int]]:
    """(line, start, end) of every value cell of the bundled release."""
    parsed = parse_release("\n".join(RELEASE_LINES), BUNDLED)
    count: dict[int, int] = defaultdict(int)
    for f in parsed.facts:
        count[f.line] += 1
    out = []
    for line, n in sorted(count.items()):
        cells = trailing_cells(RELEASE_LINES[line - 1])[-n:]
        assert len(cells) == n, f"line {line}: {n} facts, {len(cells)} cells"
        out += [(line, m.start(), m.end()) for m in cells]
    assert len(out) == BUNDLED_FACTS
    return out


def _removed(line: int, start: int, end: int, blank: bool) -> str:
    text = RELEASE_LINES[line - 1]
    edited = text[:start] + (" " * (end - start) if blank else "") + text[end:]
    return "\n".join([*RELEASE_LINES[: line - 1], edited, *RELEASE_LINES[line:]])


def test_one_cell_removed_sweep_every_removal_is_refused_at_its_row() -> None:
    """Every value cell deleted in turn (the cells right of it slide left); every 31st also
    blanked in place. Parse and row checks only, so the sweep stays fast."""
    wrong: list[str] = []
    for k, (line, start, end) in enumerate(_cells()):
        for blank in (False, True) if k % 31 == 0 else (False,):
            try:
                check_release(parse_release(_removed(line, start, end, blank), BUNDLED))
                wrong.append(f"line {line} col {start}: accepted ({'blanked' if blank else 'cut'})")
            except MalformedRelease as exc:
                if exc.line is None or abs(exc.line - line) > 3:
                    wrong.append(f"line {line} col {start}: refused at {exc.line}: {exc}")
    assert not wrong, "\n".join(wrong)


def test_a_really_blank_cell_printed_as_a_dash_is_accepted() -> None:
    text = "\n".join(RELEASE_LINES).replace(
        "  Interest income             233", "  Interest income               —"
    )
    assert "Interest income               —" in text
    parsed = parse_release(text, BUNDLED)
    from index.checks import row_problems

    assert not [p for p in row_problems(parsed) if p.line == 102]


def test_a_failed_audit_refuses_the_release_unless_a_person_accepts_it(tmp_path: Path) -> None:
    text = "\n".join(RELEASE_LINES).replace(
        "Gross profit               43,268", "Gross profit               43,286"
    )
    path = tmp_path / "broken-2012-q4.txt"
    path.write_text(text, encoding="utf-8")
    index_dir = tmp_path / "index"
    with pytest.raises(ReleaseRefused, match=r"broken-2012-q4.txt:81: the tie-out audit fails"):
        ingest([path], settings_for(index_dir))
    assert not (index_dir / versions.CURRENT).exists()
    report = ingest([path], settings_for(index_dir), IngestOptions(accept_audit_failures=True))
    assert any("--accept-audit-failures" in w for w in report.warnings)


def test_a_much_smaller_release_asks_for_replace(built: Path, tmp_path: Path) -> None:
    index_dir = clone(built, tmp_path)
    cut = tmp_path / f"{BUNDLED}.txt"
    cut.write_text("\n".join(RELEASE_LINES[:300]) + "\n", encoding="utf-8")
    with pytest.raises(ReleaseRefused, match="--replace"):
        ingest([cut], settings_for(index_dir))
    assert snapshot(index_dir)[BUNDLED][0] == BUNDLED_FACTS
    ingest([cut], settings_for(index_dir), IngestOptions(replace=True))
    assert snapshot(index_dir)[BUNDLED][0] < BUNDLED_FACTS


def test_a_tab_indented_release_reads_as_a_terminal_shows_it(tmp_path: Path) -> None:
    from index.release import read_release

    tabbed = [re.sub(r"^( {8})+", lambda m: "\t" * (len(m.group()) // 8), t) for t in RELEASE_LINES]
    assert any("\t" in t for t in tabbed)
    path = tmp_path / "tabbed.txt"
    path.write_text("\n".join(tabbed) + "\n", encoding="utf-8")
    parsed = read_release(path)
    assert len(parsed.facts) == BUNDLED_FACTS
    check_release(parsed)


# --------------------------------------------------------------------------- a Chroma server


@pytest.mark.server
def test_with_a_chroma_server_each_version_has_its_collection_and_old_ones_are_dropped(
    chroma_server: Settings,  # noqa: F811  (the fixture imported above)
    tmp_path: Path,
) -> None:
    settings = replace(chroma_server, index_dir=tmp_path / "index")
    ingest([DEFAULT_RELEASE], settings)
    first = versions.current_name(settings.index_dir)
    ingest([copy_release(tmp_path, "b-2012-q4")], settings)
    ingest([copy_release(tmp_path, "c-2012-q4")], settings)
    with PassageStore.open(settings, shared_embedder()) as store:
        counts = {r: store.count(r) for r in (BUNDLED, "b-2012-q4", "c-2012-q4")}
        names = {c.name for c in store._client.list_collections()}
    assert len(set(counts.values())) == 1 and counts[BUNDLED] > 0
    assert f"passages-{versions.current_name(settings.index_dir)}" in names
    assert f"passages-{first}" not in names
