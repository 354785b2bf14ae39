"""The progress a batch ingest shows on stderr: a bar per step, or one plain line per step."""

from __future__ import annotations

import io

from bot.progress import ProgressBar


def feed(bar: ProgressBar) -> None:
    for done in range(4):
        bar("read", done, 3)
    for done in (0, 256, 300):
        bar("embed", done, 300)
    bar.close()


def test_without_tqdm_each_step_ends_on_its_own_line_with_its_final_count() -> None:
    out = io.StringIO()
    feed(ProgressBar(out, use_tqdm=False))
    lines = [line.split("\r")[-1] for line in out.getvalue().split("\n") if line]
    assert lines == ["read+check: 3/3 releases", "embed: 300/300 passages"]


def test_with_tqdm_each_step_has_a_bar_that_reaches_its_total() -> None:
    out = io.StringIO()
    feed(ProgressBar(out))
    text = out.getvalue()
    assert "read+check: 100%" in text and "3/3" in text
    assert "embed: 100%" in text and "300/300" in text


def test_closing_a_bar_that_never_started_writes_nothing() -> None:
    out = io.StringIO()
    ProgressBar(out, use_tqdm=False).close()
    assert out.getvalue() == ""
