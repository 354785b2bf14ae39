"""A long-running process (chat UI, Slack app) answers from a release another process added."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_cli import run
from test_releases import OTHER, other_company, settings_for

from bot import live_service
from bot.live_service import LiveService
from bot.service import Service
from index.config import DEFAULT_RELEASE
from index.ingest import ingest
from index.versions import CURRENT

QUESTION = "What was Lumora's revenue in Q4 2022?"


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[LiveService, Path]:
    monkeypatch.setattr(live_service, "CHECK_SECONDS", 0.0)
    index_dir = tmp_path / "index"
    ingest([DEFAULT_RELEASE], settings_for(index_dir))
    return LiveService.of(Service.open(settings_for(index_dir), build=False)), index_dir


def test_a_release_ingested_by_another_process_is_answered_without_a_restart(
    live: tuple[LiveService, Path], tmp_path: Path
) -> None:
    service, index_dir = live
    before = service.ask(QUESTION)
    assert not before.found and "Lumora" in before.text  # not loaded: said so
    done = run(index_dir, "ingest", str(other_company(tmp_path)))
    assert done.returncode == 0, done.stderr
    after = service.ask(QUESTION)
    assert after.found, after.text
    assert {c.release for c in after.citations} == {OTHER}
    assert OTHER in {r.id for r in service.facts.releases()}


def test_a_damaged_pointer_keeps_the_version_it_answers_from(
    live: tuple[LiveService, Path],
) -> None:
    service, index_dir = live
    want = service.ask("What was Q3 DSO?").text
    (index_dir / CURRENT).write_text("../elsewhere\n")
    assert service.ask("What was Q3 DSO?").text == want
    (index_dir / CURRENT).write_text("no-such-version\n")
    assert service.ask("What was Q3 DSO?").text == want


def test_the_pointer_is_read_at_most_once_a_second(
    live: tuple[LiveService, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    service, index_dir = live
    monkeypatch.setattr(live_service, "CHECK_SECONDS", 3600.0)
    reads: list[Path] = []
    real = live_service.current_name
    monkeypatch.setattr(live_service, "current_name", lambda d: reads.append(d) or real(d))
    service.follow()  # the last look was just now, at the first question
    for _ in range(5):
        service.ask("What was Q3 DSO?")
    assert reads == []
    shutil.rmtree(index_dir / "versions", ignore_errors=True)
    assert service.ask("What was Q3 DSO?").found  # a folder gone from under it: still answers
