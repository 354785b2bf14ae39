"""The saved compiled patterns: what a later process reads back is what `re.compile` makes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from index import regex_cache

SAMPLES = [
    (r"\b(?P<quarter>Q[1-4])\s*(?:FY)?(?P<year>\d{4})?\b", re.I),
    (r"(?<![\w-])net (?:loss|income)(?![\w-])", 0),
    (r"^\s*\$?\(?[\d,]+(?:\.\d+)?\)?%?\s*$", re.M),
    (r"[^\x00-\x7f]+|é|ü", re.U),
    (r"(a)(b)?(?(2)c|d)", 0),
    (r"\bcost\ of\ revenue\ \-\ amortization\b", re.I | re.X),
]
TEXTS = [
    "Q3 2012 net loss",
    "Q4FY2011",
    "  $(1,234.5)%  ",
    "café über",
    "abc ad",
    "Cost of revenue - amortization",
]


def _fresh(text: str, flags: int) -> re.Pattern[str]:
    return re._compiler.compile(text, flags)


def _saved_then_read(path: Path, samples: list[tuple[str, int]]) -> int:
    re.purge()
    for text, flags in samples:
        re.compile(text, flags)
    regex_cache._loaded.clear()
    regex_cache.save(path)
    re.purge()
    return regex_cache.load(path)


def test_a_pattern_read_back_is_the_pattern_re_compiles(tmp_path: Path) -> None:
    path = tmp_path / "regex.marshal"
    assert _saved_then_read(path, SAMPLES) >= len(SAMPLES)
    for text, flags in SAMPLES:
        got = re.compile(text, flags)
        assert got is re._cache[str, text, flags], "re.compile did not find the saved pattern"
        want = _fresh(text, flags)
        assert got == want  # equality compares flags, text and the engine's code
        assert got.groupindex == want.groupindex and got.groups == want.groups
        for sample in TEXTS:
            assert [m.span() for m in got.finditer(sample)] == [
                m.span() for m in want.finditer(sample)
            ]


def test_every_pattern_a_question_compiles_reads_back_equal(tmp_path: Path) -> None:
    """A new process answers a question and saves what it compiled; each pattern read back
    here equals the one `re` compiles anew."""
    path = tmp_path / "regex.marshal"
    script = (
        "import sys; from pathlib import Path; from index import regex_cache\n"
        "from bot.cli import main\n"
        "main(['ask', 'What was revenue in Q4 2012 and how did it change from Q3?'])\n"
        "regex_cache._loaded.clear()\n"  # save every pattern, those read from the file too
        "print(regex_cache.save(Path(sys.argv[1])))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    saved = regex_cache._read(path)
    assert int(out.stdout.split()[-1]) == len(saved) > 100
    re.purge()
    assert regex_cache.load(path) == len(saved)
    for text, flags, *_ in saved:
        assert re._cache[str, text, flags] == _fresh(text, flags), text[:80]


def test_a_damaged_or_foreign_file_is_no_cache(tmp_path: Path) -> None:
    path = tmp_path / "regex.marshal"
    path.write_bytes(b"\x00not marshal at all")
    assert regex_cache.load(path) == 0
    import marshal

    path.write_bytes(marshal.dumps((("2.7.18", 1, 4), [(r"x", 0, 32, [1, 2], 0, {}, (None,))])))
    assert regex_cache.load(path) == 0
    path.write_bytes(
        marshal.dumps((regex_cache._header(), [("x", 0, 32, [999999], 0, {}, (None,))]))
    )
    assert regex_cache.load(path) == 0  # code the engine refuses: nothing is put in re's cache
    assert re.compile("x").fullmatch("x")


def test_the_file_stops_growing_at_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(regex_cache, "MOST_ENTRIES", 3)
    path = tmp_path / "regex.marshal"
    _saved_then_read(path, SAMPLES)
    assert len(regex_cache._read(path)) == 3


def test_nothing_is_saved_when_bytecode_may_not_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registered: list[object] = []
    monkeypatch.setattr("atexit.register", lambda fn, *a: registered.append((fn, a)))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    regex_cache.load(tmp_path / "absent.marshal")
    assert registered == []
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    regex_cache.load(tmp_path / "absent.marshal")
    assert registered == [(regex_cache.save, (tmp_path / "absent.marshal",))]


def test_an_unwritable_place_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    re.compile(r"unwritable-\d+")
    regex_cache._loaded.clear()
    assert regex_cache.save(blocker / "sub" / "regex.marshal") >= 1  # counted, not written
    assert not (blocker / "sub").exists()
