"""Ingest time of a release: `bot ingest` as a whole process into a fresh index (model loading
included), and inside one process, where only the first ingest loads the model (on a second
thread, while the release is parsed). Printed and appended to bench/results.md."""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.config import Settings  # noqa: E402
from index.ingest import ingest  # noqa: E402
from scripts.bench_common import child_env, measure, record  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("path", nargs="?", type=Path, default=Settings.from_env().release)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        env = child_env(index)
        whole = measure(
            [sys.executable, "-m", "bot", "ingest", str(args.path)],
            runs=max(args.runs, 5),
            env=env,
            prepare=lambda: shutil.rmtree(index, ignore_errors=True),
        )
    totals, parses, afters, models = [], [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            settings = replace(Settings.from_env(), index_dir=Path(tmp), chroma_host=None)
            t0 = time.perf_counter()
            report = ingest([args.path], settings)
            totals.append(time.perf_counter() - t0)
        parses.append(report.parse_seconds)
        afters.append(report.embed_seconds)
        models.append(report.model_seconds)
    later = totals[1:] or totals
    lines = [
        f"release: {args.path.name}; facts {report.facts}; passages {report.chunks}; runs {args.runs}",
        whole.line("`bot ingest` into a fresh index (whole process, model load included)"),
        f"in one process: first ingest {totals[0]:.2f} s (model load {models[0]:.2f} s of it on "
        f"a second thread, beside parsing); later ingests median {statistics.median(later):.2f} s "
        f"(min {min(later):.2f})",
        f"parse + audit: median {statistics.median(parses) * 1000:.0f} ms; then facts, passage "
        f"vectors and Chroma to the switch: median {statistics.median(afters) * 1000:.0f} ms",
    ]
    record("ingest", "python scripts/bench_ingest.py", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
