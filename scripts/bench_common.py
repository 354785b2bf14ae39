"""Where benchmark results are recorded: bench/results.md, newest first per benchmark."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "bench" / "results.md"


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
