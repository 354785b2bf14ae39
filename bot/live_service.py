"""The service a long-running process answers with (the chat UI, the Slack app).

It follows the index's current version: a release added by another process (`bot ingest`, an
upload in the chat UI of a separate `bot serve`) is answered on the next question, without a
restart. Everything else is the wrapped service's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from index.errors import BotError
from index.versions import current_name

CHECK_SECONDS = 1.0  # how often a question looks at the index's pointer (one small file read)


class LiveService:
    """A `Service` reopened when the index's current version changes, or when told to."""

    def __init__(
        self,
        service: Any,
        reopen: Callable[[], Any],
        version: Callable[[], str | None] | None = None,
    ) -> None:
        self._service = service
        self._reopen = reopen
        self._version = version
        self._lock = threading.Lock()
        self._seen = self._read_version()
        self._checked = time.monotonic()

    @classmethod
    def of(cls, service: Any) -> Any:
        """A live wrapper for a real `Service` (one that knows its settings); fakes as they are."""
        from bot.service import Service

        if isinstance(service, LiveService) or not isinstance(service, Service):
            return service
        settings = service.settings
        return cls(
            service,
            lambda: Service.open(settings, build=False),
            lambda: current_name(settings.index_dir),
        )

    @property
    def current(self) -> Any:
        self.follow()
        return self._service

    def reload(self) -> None:
        fresh = self._reopen()
        with self._lock:
            self._service = fresh
            self._seen = self._read_version()

    def follow(self) -> None:
        """Reopen when another process switched the index to a new version since the last look
        (at most one look per `CHECK_SECONDS`); a pointer that cannot be read keeps the service
        answering from the version it has."""
        now = time.monotonic()
        with self._lock:
            if now - self._checked < CHECK_SECONDS:
                return
            self._checked = now
        version = self._read_version()
        if version is not None and version != self._seen:
            try:
                self.reload()
            except BotError:
                with self._lock:
                    self._seen = version  # a broken version is not retried on every question

    def _read_version(self) -> str | None:
        if self._version is None:
            return None
        try:
            return self._version()
        except BotError:
            return None

    def __getattr__(self, name: str) -> Any:
        """`ask`, `facts` and the rest: the service's, after a look at the index's pointer."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.current, name)
