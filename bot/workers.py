"""A bounded pool for work that must not hold up a request: Slack wants its ack within 3 s.

Jobs with the same key (a Slack thread) run one after another in the order they came, so a
follow-up never overtakes the question it follows; different keys run side by side.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)


class Workers:
    """`size` threads, at most `max_pending` jobs queued or running; `submit` refuses beyond."""

    def __init__(self, size: int = 4, max_pending: int = 500, name: str = "worker") -> None:
        self.size = size
        self.max_pending = max_pending
        self._pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix=name)
        self._queues: dict[Hashable, deque[Callable[[], None]]] = {}
        self._pending = 0
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)

    def submit(self, key: Hashable, job: Callable[[], None]) -> bool:
        """Queue `job` behind the others of `key`; False (and nothing queued) when full."""
        with self._lock:
            if self._pending >= self.max_pending:
                return False
            self._pending += 1
            queue = self._queues.get(key)
            if queue is not None:
                queue.append(job)
                return True
            self._queues[key] = deque([job])
        self._pool.submit(self._run, key)
        return True

    def _run(self, key: Hashable) -> None:
        while True:
            with self._lock:
                job = self._queues[key][0]
            try:
                job()
            except Exception:  # a job handles its own failures; this keeps the key's queue moving
                log.exception("a background job failed")
            with self._lock:
                queue = self._queues[key]
                queue.popleft()
                self._pending -= 1
                if not queue:
                    del self._queues[key]
                    self._idle.notify_all()
                    return

    @property
    def pending(self) -> int:
        with self._lock:
            return self._pending

    def wait_idle(self, timeout: float) -> bool:
        """Block until every queued job has run, or `timeout` seconds; True when idle."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def close(self, timeout: float) -> bool:
        """Finish what is queued (up to `timeout` seconds), then stop the threads."""
        idle = self.wait_idle(timeout)
        self._pool.shutdown(wait=False, cancel_futures=True)
        return idle
