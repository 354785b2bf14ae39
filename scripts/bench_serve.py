"""Time from `bot serve` starting to its first answered prose question, over several runs.

Each run starts a new `python -m bot serve` on a free local port, waits for the page, then asks
one narrative question through the API as any client would (gradio_client). The embedding
model is loaded at start-up, so the answer itself should take milliseconds, not seconds.
Printed and recorded in bench/results.md.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_common import child_env, record  # noqa: E402

RUNS = 3
QUESTION = "Where is the company based?"
START_TIMEOUT_S = 180


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_run() -> tuple[float, float, float]:
    """(seconds to the page, seconds to the first prose answer, the answer's own latency in ms)."""
    import gradio_client
    import httpx

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**child_env(), "GRADIO_ANALYTICS_ENABLED": "False"}
    t0 = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            if server.poll() is not None:
                raise SystemExit(f"bot serve exited with {server.returncode}")
            if time.perf_counter() - t0 > START_TIMEOUT_S:
                raise SystemExit(f"bot serve did not answer on {url} in {START_TIMEOUT_S} s")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        page = time.perf_counter() - t0
        reply = gradio_client.Client(url, verbose=False, download_files=False).predict(
            QUESTION, api_name="/ask"
        )
        answered = time.perf_counter() - t0
        if not reply["found"]:
            raise SystemExit(f"the prose question was not answered: {reply['answer']}")
        return page, answered, float(reply["latency_ms"])
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> int:
    load = os.getloadavg()[0]
    runs = [one_run() for _ in range(RUNS)]
    pages, answers, latencies = zip(*runs, strict=True)
    record(
        "serve",
        "python scripts/bench_serve.py",
        [
            f"`bot serve` start to first prose answer ('{QUESTION}', via gradio_client): "
            f"median {statistics.median(answers):.2f} s "
            f"(runs: {', '.join(f'{a:.2f}' for a in answers)})",
            f"start to page served (embedding model loaded before listening): median "
            f"{statistics.median(pages):.2f} s (runs: {', '.join(f'{p:.2f}' for p in pages)})",
            f"that first prose answer's own latency in the service: median "
            f"{statistics.median(latencies):.0f} ms "
            f"(runs: {', '.join(f'{ms:.0f}' for ms in latencies)})",
            f"machine load average when the runs began: {load:.1f} on {os.cpu_count()} cores",
        ],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
