"""Local servers for the tests: a free port, and the web UI launched on one."""

from __future__ import annotations

import socket
from typing import Any


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: bound once, closed again on return."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch_ui(service: Any) -> tuple[Any, str]:
    """The web UI over `service`, serving on a free local port; the app and its address."""
    from bot.ui import build_app  # imported here: only the tests that serve the UI load Gradio

    app = build_app(service)
    port = free_port()
    app.launch(server_port=port, prevent_thread_lock=True, quiet=True)
    return app, f"http://127.0.0.1:{port}/"
