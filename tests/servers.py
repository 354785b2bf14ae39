"""Local servers for the tests: a free port, and the web UI started on one."""

from __future__ import annotations

import socket
from typing import Any


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: bound once, closed again on return."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch_ui(service: Any) -> tuple[Any, str]:
    """The web UI over `service`, served as `bot serve` serves it (model loaded first, then chat
    and release pages) on a free local port; the running server (`close()` stops it) and its
    address."""
    from bot.ui import start, warm_up  # imported here: only the tests that serve the UI load Gradio

    warm_up(service)
    running = start(service, port=free_port())
    return running, running.url
