"""The corpus benchmark: N synthetic releases (eval/synthetic.py: other companies, shifted years,
scaled figures that still foot) ingested in one `bot ingest` command, then warm answer latency
with all of them loaded, through `bot.service.Service` as users reach it.

Measured: ingest wall time, throughput (releases/s, passages/s), the ingest's peak RSS, the
index's size on disk (facts SQLite and Chroma apart), the time and memory to open the service
over the whole index, the wall time and peak RSS of a cold `bot ask` naming one company (a new
process each), and p50/p95 of table questions naming a company and a period. Printed and
appended to bench/results.md. `--releases 50` runs it small.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.config import Settings  # noqa: E402
from scripts.bench_common import ROOT, child_env, record  # noqa: E402

# Table questions naming company and period; {q3}/{q4} are quarters the releases print.
TEMPLATES = (
    "What was {company}'s revenue in Q3 {year}?",
    "What was {company}'s revenue in Q4 {year}?",
    "What was {company}'s DSO in Q3 {year}?",
    "What was {company}'s gross margin in Q4 {year}?",
    "What was {company}'s GAAP net loss in fiscal {year}?",
    "What was {company}'s revenue in Q4 {prior}?",
)
SUMMARY = re.compile(r"(\d+) facts, (\d+) passages")


@dataclass(frozen=True)
class Corpus:
    folder: Path
    paths: tuple[Path, ...]
    companies: tuple[tuple[str, str, int], ...]  # (release id, company, fiscal year)


@dataclass(frozen=True)
class IngestRun:
    wall: float
    cpu: float
    peak_mib: float
    facts: int
    passages: int
    summary: str


def generate(folder: Path, count: int) -> Corpus:
    """Write `count` synthetic releases into `folder`, one file each."""
    from eval.synthetic import make_release, synthetic

    folder.mkdir(parents=True, exist_ok=True)
    paths, companies = [], []
    for i in range(count):
        spec = synthetic(i)
        release_id, text = make_release(i)
        path = folder / f"{release_id}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        companies.append((release_id, spec.company, spec.fiscal_year))
    return Corpus(folder, tuple(paths), tuple(companies))


def ingest_all(corpus: Corpus, index_dir: Path, progress: bool, lenient: bool) -> IngestRun:
    """`bot ingest` of every release in one command, a new process timed from outside."""
    env = child_env(index_dir)
    argv = [sys.executable, "-m", "bot", "ingest", "--progress" if progress else "--no-progress"]
    argv += ["--accept-audit-failures"] if lenient else []
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [*argv, *map(str, corpus.paths)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bot ingest failed: {out[-500:]}")
    found = SUMMARY.search(out)
    facts, passages = (int(found[1]), int(found[2])) if found else (0, 0)
    return IngestRun(
        wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        facts,
        passages,
        out.splitlines()[0] if out else "",
    )


def cold_asks(index_dir: Path, question: str, runs: int = 3) -> str:
    """`bot ask` in a new process each time, timed from outside: what a user waits for."""
    env = child_env(index_dir)
    walls, peaks = [], []
    for _ in range(runs):
        # /usr/bin/time reports the child's own peak: a forked child's ru_maxrss counts this
        # process's memory from before the exec
        t0 = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "bot", "ask", question],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        walls.append(time.perf_counter() - t0)
        if done.returncode != 0:
            raise SystemExit(f"bot ask failed on {question!r}: {done.stderr[-300:]}")
        peaks.append(int(done.stderr.split()[-1]) / 1024)
    runs_s = ", ".join(f"{w:.2f}" for w in walls)
    return (
        f"cold `bot ask {question!r}` (new process, {runs} runs): median"
        f" {statistics.median(walls):.2f} s wall (runs {runs_s}), peak RSS median"
        f" {statistics.median(peaks):.0f} MiB; load average {os.getloadavg()[0]:.1f}"
    )


def size_mib(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def questions(corpus: Corpus, count: int, seed: int = 15) -> list[tuple[str, str]]:
    """(release id, question) pairs over companies drawn at random from the corpus."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        release_id, company, year = rng.choice(corpus.companies)
        template = rng.choice(TEMPLATES)
        out.append((release_id, template.format(company=company, year=year, prior=year - 1)))
    return out


def cites(answer, release_id: str) -> bool:  # noqa: ANN001
    return answer.found and any(c.release == release_id for c in answer.citations)


def answer_latency(settings: Settings, asked: list[tuple[str, str]]) -> tuple[list[str], float]:
    """Latency of each question through `Service.ask`, one service answering every company: a
    company's first question (its answering stack is built then: its facts read, its metric
    index made) apart from questions to a company asked before (warm). The warm pass asks
    again of companies the service keeps built (`MAX_DESKS`)."""
    from bot.service import MAX_DESKS, Service

    t0 = time.perf_counter()
    service = Service.open(settings, build=False)
    open_s = time.perf_counter() - t0
    service.ask(asked[0][1])  # the process's first answer: imports, the default company
    first, warm, right = [], [], 0
    seen: set[str] = set()
    for rid, q in asked:
        answer = service.ask(q)
        (warm if rid in seen else first).append(answer.latency_ms)
        seen.add(rid)
        right += cites(answer, rid)
    recent = set(list(dict.fromkeys(rid for rid, _ in reversed(asked)))[: MAX_DESKS // 2])
    again = [(rid, q) for rid, q in asked if rid in recent]
    for rid, q in (again * (1 + len(asked) // max(1, len(again))))[: len(asked)]:
        answer = service.ask(q)
        warm.append(answer.latency_ms)
        right += cites(answer, rid)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores after answering",
        f"open the service over the whole index (`Service.open`): "
        f"{open_s:.1f} s; this process's peak RSS after answering {peak:.0f} MiB",
        f"table questions naming company and period, one `Service.open` answering every "
        f"company: a company's first question ({len(first)}) {_spread(first)}; warm, the "
        f"company asked before ({len(warm)}) {_spread(warm)}; "
        f"{right}/{len(first) + len(warm)} found and cite the named company's release",
    ], _p95(warm)


def _p95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def _spread(latencies: list[float]) -> str:
    if not latencies:
        return "none"
    return (
        f"p50 {statistics.median(latencies):.1f} ms, p95 {_p95(latencies):.1f} ms, "
        f"max {max(latencies):.1f} ms"
    )


def answers_only(args: argparse.Namespace) -> int:
    """Warm answer latency over an index already built by a run with --keep."""
    if args.keep is None or not (args.keep / "index").is_dir():
        raise SystemExit("--answers-only needs --keep FOLDER holding a former run's index")
    corpus = generate(args.keep / "releases", args.releases)
    settings = replace(
        Settings.from_env(),
        index_dir=args.keep / "index",
        chroma_host=None,
        release=corpus.paths[0],
    )
    asked = questions(corpus, args.questions)
    lines, _ = answer_latency(settings, asked)
    lines.append(cold_asks(settings.index_dir, asked[0][1]))
    n = len(corpus.paths)
    if args.record:
        record(
            f"corpus answers ({n} releases)",
            f"python scripts/bench_corpus.py --releases {n} --questions {args.questions}"
            " --keep DIR --answers-only",
            lines,
        )
    else:
        print("\n".join(lines))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--releases", type=int, default=1000)
    ap.add_argument("--questions", type=int, default=200)
    ap.add_argument("--progress", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--accept-audit-failures", action="store_true", help="passed to bot ingest")
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it")
    ap.add_argument(
        "--answers-only",
        action="store_true",
        help="measure answers over the index a former run left in --keep, without ingesting",
    )
    ap.add_argument(
        "--record", action=argparse.BooleanOptionalAction, default=True, help="bench/results.md"
    )
    args = ap.parse_args()
    if args.answers_only:
        return answers_only(args)
    tmp = tempfile.mkdtemp(prefix="bench-corpus-") if args.keep is None else None
    work = args.keep or Path(tmp or ".")
    try:
        t0 = time.perf_counter()
        corpus = generate(work / "releases", args.releases)
        gen_s = time.perf_counter() - t0
        index_dir = work / "index"
        shutil.rmtree(index_dir, ignore_errors=True)
        load = os.getloadavg()[0]
        run = ingest_all(corpus, index_dir, args.progress, args.accept_audit_failures)
        from index.versions import current_folder

        current = current_folder(index_dir)
        settings = replace(
            Settings.from_env(), index_dir=index_dir, chroma_host=None, release=corpus.paths[0]
        )
        asked = questions(corpus, args.questions)
        asked_lines, _ = answer_latency(settings, asked)
        asked_lines.append(cold_asks(index_dir, asked[0][1]))
        n = len(corpus.paths)
        lines = [
            f"corpus: {n} synthetic releases (eval/synthetic.py), generated in {gen_s:.1f} s;"
            f" {run.facts} facts, {run.passages} passages",
            f"`bot ingest` of all {n} in one command (new process, model load included): "
            f"{run.wall:.1f} s wall, {run.cpu:.1f} s CPU, peak RSS {run.peak_mib:.0f} MiB; "
            f"load average {load:.1f} on {os.cpu_count()} cores at the start",
            f"throughput: {n / run.wall:.2f} releases/s, {run.passages / run.wall:.1f} passages/s,"
            f" {run.facts / run.wall:.0f} facts/s",
            f"ingest report: {run.summary}",
            f"index on disk: facts SQLite {size_mib(current / 'facts.sqlite'):.1f} MiB, "
            f"Chroma {size_mib(current / 'chroma'):.1f} MiB",
            *asked_lines,
        ]
        if not args.record:
            print("\n".join(lines))
            return 0
        record(
            f"corpus ({n} releases)",
            f"python scripts/bench_corpus.py --releases {n} --questions {args.questions}",
            lines,
        )
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
