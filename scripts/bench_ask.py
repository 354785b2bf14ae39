"""Answer latency: cold `bot ask` of a table and of a prose question (whole processes, timed from
outside, peak memory from the kernel), warm p50/p95 over varied questions (table and narrative
apart) and the peak memory of a warm process. Printed and recorded in bench/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench_common import ROOT, child_env, measure, record  # noqa: E402

TABLE_TEMPLATES = [
    "what was {m} in {p}?",
    "{m} {p}",
    "How much was {m} for {p}?",
    "and {m} in {p}, GAAP vs non-GAAP?",
]
NARRATIVE = [
    "Where is the company based?",
    "Who is the CEO?",
    "Where can I find the webcast?",
    "What did management say about 2013?",
    "What does the company sell?",
    "How long is the replay archived?",
    "What do the non-GAAP measures exclude?",
    "How many DTN customers are there?",
]
COLD_TABLE = "What was Q3 DSO?"
COLD_PROSE = "Who is the chief executive?"


def quantile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def spread(ms: list[float]) -> str:
    """Min and median beside the tail: on a shared machine the min shows the code's own cost."""
    return (
        f"min {min(ms):.1f} ms, p50 {quantile(ms, 0.5):.1f} ms, "
        f"p95 {quantile(ms, 0.95):.1f} ms, max {max(ms):.1f} ms"
    )


def ask_argv(question: str) -> list[str]:
    return [sys.executable, "-m", "bot", "ask", question, "--json"]


def cold_env() -> dict[str, str]:
    return child_env()


def check_found(question: str) -> None:
    out = subprocess.run(
        ask_argv(question), capture_output=True, text=True, cwd=ROOT, env=cold_env(), check=True
    )
    assert json.loads(out.stdout)["found"], out.stdout


def side_by_side(other: Path, runs: int) -> str:
    """The cold table question here and in another checkout (each with its own index, built
    there if missing), run in turns so that both meet the same machine: a figure measured on
    another day compares only this way."""
    other = other.resolve()
    env = {**cold_env(), "PYTHONPATH": str(other), "BOT_INDEX_DIR": str(other / "var" / "index")}
    if not (other / "var" / "index").exists():
        subprocess.run(
            [sys.executable, "-m", "bot", "ingest"],
            cwd=other,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    here_runs, there_runs = [], []
    for i in range(runs + 1):
        here = measure(ask_argv(COLD_TABLE), runs=1, warmup=0, env=cold_env())
        there = measure(ask_argv(COLD_TABLE), runs=1, warmup=0, env=env, cwd=other)
        if i:
            here_runs.append(here)
            there_runs.append(there)

    def med(xs: list[float]) -> str:
        return f"{statistics.median(xs):.3f} s"

    here_wall = [r.walls[0] for r in here_runs]
    there_wall = [r.walls[0] for r in there_runs]
    return (
        f"cold `bot ask {COLD_TABLE!r}` side by side, {runs} turns after a warm-up: this checkout "
        f"median {med(here_wall)} wall (min {min(here_wall):.3f}), CPU "
        f"{med([r.cpus[0] for r in here_runs])}; {other.name} median {med(there_wall)} wall "
        f"(min {min(there_wall):.3f}), CPU {med([r.cpus[0] for r in there_runs])}; ratio of "
        f"medians {statistics.median(here_wall) / statistics.median(there_wall):.2f}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


def main() -> int:
    from bot.service import Service

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5, help="counted runs of each cold command")
    ap.add_argument(
        "--against",
        type=Path,
        help="another checkout (`git worktree add ../before REV`) to time the cold table "
        "question beside this one",
    )
    args = ap.parse_args()
    if args.against is not None:
        line = side_by_side(args.against, max(args.runs, 10))
        record("ask, side by side", f"python scripts/bench_ask.py --against {args.against}", [line])
        return 0
    colds = {}
    for what, question in (("table", COLD_TABLE), ("prose", COLD_PROSE)):
        check_found(question)
        runs = measure(ask_argv(question), runs=args.runs, env=cold_env())
        colds[what] = runs.line(f"cold `bot ask {question!r}` ({what}, whole process)")
    service = Service.open()
    facts = service.facts.facts(service.release)
    metrics = sorted({f.label for f in facts})[:60]
    periods = sorted({f.period.label for f in facts if f.period is not None})
    table_qs = [
        TABLE_TEMPLATES[i % len(TABLE_TEMPLATES)].format(m=m, p=periods[i % len(periods)])
        for i, m in enumerate(metrics * 4)
    ][:240]
    service.ask(NARRATIVE[0])
    table_ms, prose_ms = [], []
    for q in table_qs:
        table_ms.append(service.ask(q).latency_ms)
    for _ in range(8):
        for q in NARRATIVE:
            prose_ms.append(service.ask(q).latency_ms)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    lines = [
        colds["table"],
        colds["prose"],
        f"warm table questions ({len(table_ms)}): {spread(table_ms)}, {load}",
        f"warm narrative questions ({len(prose_ms)}): {spread(prose_ms)}, {load}",
        f"peak memory (RSS) with the embedding model loaded: {peak_mb:.0f} MiB",
    ]
    record("ask", "python scripts/bench_ask.py", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
