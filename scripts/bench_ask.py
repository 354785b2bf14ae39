"""Answer latency: cold start (process start to first answer), warm p50/p95 over varied
questions (table and narrative apart), and peak memory. Printed and recorded in bench/results.md.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_common import record  # noqa: E402

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


def quantile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def cold_start() -> float:
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "what was Q3 DSO?", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    elapsed = time.perf_counter() - t0
    assert json.loads(out.stdout)["found"], out.stdout
    return elapsed


def main() -> int:
    from bot.service import Service

    colds = [cold_start() for _ in range(3)]
    service = Service.open()
    facts = service.facts.facts(service.release)
    metrics = sorted({f.label for f in facts})[:60]
    periods = sorted({f.period.label for f in facts})
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
    lines = [
        f"cold start to first table answer (`bot ask`, new process): median {statistics.median(colds):.2f} s "
        f"(runs: {', '.join(f'{c:.2f}' for c in colds)})",
        f"warm table questions ({len(table_ms)}): p50 {quantile(table_ms, 0.5):.1f} ms, "
        f"p95 {quantile(table_ms, 0.95):.1f} ms, max {max(table_ms):.1f} ms",
        f"warm narrative questions ({len(prose_ms)}): p50 {quantile(prose_ms, 0.5):.1f} ms, "
        f"p95 {quantile(prose_ms, 0.95):.1f} ms, max {max(prose_ms):.1f} ms",
        f"peak memory (RSS) with the embedding model loaded: {peak_mb:.0f} MiB",
    ]
    record("ask", "python scripts/bench_ask.py", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
