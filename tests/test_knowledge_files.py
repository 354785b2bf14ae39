"""Knowledge files are read as YAML and kept parsed, and an edited file is read again."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bot.knowledge_files import KNOWLEDGE, _kept_path, load_knowledge, parse_yaml


@pytest.fixture
def writable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def test_the_shipped_files_read_the_same_kept_or_parsed(tmp_path: Path, writable: None) -> None:
    for source in sorted(KNOWLEDGE.glob("*.yaml")):
        copy = tmp_path / source.name
        copy.write_bytes(source.read_bytes())
        first = load_knowledge(copy)
        assert _kept_path(copy).exists()
        assert load_knowledge(copy) == first == parse_yaml(source)


def test_an_edited_file_is_parsed_again(tmp_path: Path, writable: None) -> None:
    path = tmp_path / "words.yaml"
    path.write_text("words: [revenue]\n")
    assert load_knowledge(path) == {"words": ["revenue"]}
    path.write_text("words: [revenue, sales]\n")
    assert load_knowledge(path) == {"words": ["revenue", "sales"]}
    stat = path.stat()
    path.write_text("words: [income, costs]\n")  # same size: the time tells it apart
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_knowledge(path) == {"words": ["income", "costs"]}


def test_a_damaged_kept_copy_is_ignored(tmp_path: Path, writable: None) -> None:
    path = tmp_path / "words.yaml"
    path.write_text("words: [revenue]\n")
    load_knowledge(path)
    _kept_path(path).write_bytes(b"\x00\x01broken")
    assert load_knowledge(path) == {"words": ["revenue"]}


def test_nothing_is_kept_when_bytecode_may_not_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    path = tmp_path / "words.yaml"
    path.write_text("words: [revenue]\n")
    assert load_knowledge(path) == {"words": ["revenue"]}
    assert not _kept_path(path).parent.exists()
