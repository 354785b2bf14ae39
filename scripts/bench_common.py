"""Where benchmark results are recorded (bench/results.md, appended per benchmark), and how a
command is measured as a whole process from outside: new processes, a warm-up, the median."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"


def child_env(index_dir: Path | None = None) -> dict[str, str]:
    """The environment a measured process runs in: this checkout first on the path, offline,
    the embedded Chroma, and bytecode written as on any installed machine (this sandbox sets
    PYTHONDONTWRITEBYTECODE, which would make every cold process compile our modules anew; the
    warm-up run writes them once)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("CHROMA_HOST", None)
    if index_dir is not None:
        env["BOT_INDEX_DIR"] = str(index_dir)
    return env


def record(name: str, command: str, lines: list[str]) -> None:
    """Print the results and append them, stamped with the command and machine."""
    print("\n".join(lines))
    RESULTS.parent.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = [
        f"## {name} — {stamp}",
        f"command: `{command}`; machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "",
        *[f"- {line}" for line in lines],
        "",
    ]
    old = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    RESULTS.write_text(old + "\n".join(block) + "\n")


@dataclass(frozen=True)
class ProcessRuns:
    """Whole-process figures of one command over several runs: wall seconds and peak RSS."""

    walls: tuple[float, ...]
    cpus: tuple[float, ...]
    peaks_mib: tuple[float, ...]
    load: float

    def line(self, what: str) -> str:
        walls = ", ".join(f"{w:.2f}" for w in self.walls)
        return (
            f"{what}: median {statistics.median(self.walls):.2f} s wall "
            f"(min {min(self.walls):.2f}, max {max(self.walls):.2f}; runs {walls}), "
            f"{statistics.median(self.cpus):.2f} s CPU (user+sys), "
            f"peak RSS median {statistics.median(self.peaks_mib):.0f} MiB "
            f"(max {max(self.peaks_mib):.0f}); {len(self.walls)} runs after a warm-up, "
            f"load average {self.load:.1f} on {os.cpu_count()} cores"
        )


def measure(
    argv: list[str],
    runs: int = 5,
    warmup: int = 1,
    env: dict[str, str] | None = None,
    prepare: Callable[[], None] | None = None,
    cwd: Path = ROOT,
) -> ProcessRuns:
    """Run `argv` as a new process `warmup + runs` times, timing each from outside and reading
    its peak memory from the kernel's accounting of the finished child (wait4)."""
    walls: list[float] = []
    cpus: list[float] = []
    peaks: list[float] = []
    load = os.getloadavg()[0]
    for i in range(warmup + runs):
        if prepare is not None:
            prepare()
        t0 = time.perf_counter()
        child = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        assert child.stderr is not None
        err = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}): {err.decode()[-500:]}")
        if i >= warmup:
            walls.append(elapsed)
            cpus.append(usage.ru_utime + usage.ru_stime)
            peaks.append(usage.ru_maxrss / 1024)
    return ProcessRuns(tuple(walls), tuple(cpus), tuple(peaks), load)
