"""How far a batch ingest has gone, on stderr: a tqdm bar per step when tqdm is installed, one
line rewritten in place when it is not. Steps and counts come from index/ingest.py's Progress."""

from __future__ import annotations

import sys
import time
from typing import IO, Any

from index.closing import Closing

STEP_NAMES = {"read": "read+check", "embed": "embed", "store": "store"}
UNITS = {"read": "release", "embed": "passage", "store": "passage"}
LINE_EVERY = 0.5  # seconds between two rewrites of the plain line


class ProgressBar(Closing):
    """Call it with (step, done, total); close it (or leave its `with`) when the ingest ends."""

    def __init__(self, stream: IO[str] | None = None, use_tqdm: bool = True) -> None:
        self._stream = stream or sys.stderr
        self._tqdm = _tqdm() if use_tqdm else None
        self._bar: Any = None
        self._step = ""
        self._last = 0.0

    def __call__(self, step: str, done: int, total: int) -> None:
        if step != self._step:
            self._finish()
            self._step = step
            if self._tqdm is not None:
                self._bar = self._tqdm(
                    total=total,
                    desc=STEP_NAMES.get(step, step),
                    unit=UNITS.get(step, "item"),
                    file=self._stream,
                    dynamic_ncols=True,
                    leave=True,
                )
        if self._bar is not None:
            self._bar.update(done - self._bar.n)
            return
        now = time.monotonic()
        if done == total or now - self._last >= LINE_EVERY:
            self._last = now
            name = STEP_NAMES.get(step, step)
            self._stream.write(f"\r{name}: {done}/{total} {UNITS.get(step, 'item')}s")
            self._stream.flush()

    def _finish(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self._step:
            self._stream.write("\n")
            self._stream.flush()

    def close(self) -> None:
        self._finish()
        self._step = ""


def _tqdm() -> Any:
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm
