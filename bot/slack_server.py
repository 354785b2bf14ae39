"""The HTTP front of the Slack app: Bolt's request handling behind uvicorn, with the checks
Bolt does too late or not at all.

Order matters. The size is checked from Content-Length before the body is read, and counted
while it streams; the body must arrive within the request timeout; the signature and its
timestamp are checked on the raw bytes before anything parses them; a signed request seen
before (a replay) is acked and dropped; only then is the body parsed (400 when it is not what
Slack sends) and handed to Bolt on a thread, so that the event loop keeps accepting requests.
A refused request costs one log line, never a traceback.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
import socket
import threading
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltRequest

from index.errors import BotError

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

_TIMESTAMP = re.compile(r"\d{1,12}")


class PortInUse(BotError):
    """The HTTP port cannot be bound; one line naming the port and the setting."""


@dataclass(frozen=True)
class ServerLimits:
    """The HTTP server's bounds, in one place; README's Slack section lists them."""

    max_body_bytes: int = 1_048_576  # Slack's payloads are a few KB; 1 MiB leaves room
    request_timeout_s: float = 10.0  # for the headers, and again for the body
    keep_alive_s: int = 5
    max_age_s: int = 300  # Slack's own window for a request's timestamp
    max_header_bytes: int = 16_384
    dispatch_threads: int = 8  # Bolt's per-request work: quick, since answering is queued
    shutdown_grace_s: float = 10.0  # answers still queued get this long at shutdown


class _Refusal(Exception):
    """A request refused before Bolt sees it: its status and a reason for the log line."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class _TooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


class Replays:
    """Signed requests seen within Slack's timestamp window. A captured request replayed inside
    the window carries the same signature; outside it the timestamp check refuses it anyway, so
    entries older than the window are forgotten (and at most `limit` are kept)."""

    def __init__(self, window_s: float, limit: int = 100_000) -> None:
        self.window_s = window_s
        self.limit = limit
        self._seen: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, signature: str, stamp: int, now: float) -> bool:
        with self._lock:
            while self._seen and (
                len(self._seen) >= self.limit
                or next(iter(self._seen.values())) < now - 2 * self.window_s
            ):
                self._seen.popitem(last=False)
            if signature in self._seen:
                return False
            self._seen[signature] = stamp
            return True


class SlackHttp:
    """The ASGI app: `POST {path}` for Slack, 404/405 for anything else."""

    def __init__(
        self,
        app: App,
        signing_secret: str,
        limits: ServerLimits | None = None,
        path: str = "/slack/events",
        on_shutdown: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.secret = signing_secret.encode()
        self.limits = limits or ServerLimits()
        self.replays = Replays(self.limits.max_age_s)
        self.path = path
        self.on_shutdown = on_shutdown
        self.clock = clock
        self._pool = ThreadPoolExecutor(self.limits.dispatch_threads, thread_name_prefix="bolt")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        try:
            status, headers, body = await self._handle(scope, receive)
        except _Disconnected:
            return
        raw_headers = [(k.encode(), v.encode()) for k, v in headers]
        raw_headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": body})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.on_shutdown is not None:
                    await asyncio.get_running_loop().run_in_executor(None, self.on_shutdown)
                self._pool.shutdown(wait=False)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _handle(
        self, scope: Scope, receive: Receive
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        if scope["path"] != self.path:
            return _plain(404, "not found")
        if scope["method"] != "POST":
            return _plain(405, "method not allowed")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            raw = await self._body(headers, receive)
            signature, stamp = self._verify(headers, raw)
            if not self.replays.first_time(signature, stamp, self.clock()):
                log.info("ignored a replayed request (same signature and timestamp)")
                return _plain(200, "")
            text = _parsable(raw, headers.get("content-type", ""))
        except _Refusal as refusal:
            client = scope.get("client") or ("?", 0)
            log.warning(
                "refused a request from %s: %s (%d)", client[0], refusal.reason, refusal.status
            )
            return _plain(refusal.status, refusal.reason)
        request = BoltRequest(
            body=text, query=scope.get("query_string", b"").decode("latin-1"), headers=headers
        )
        loop = asyncio.get_running_loop()
        try:
            response = await loop.run_in_executor(self._pool, self.app.dispatch, request)
        except Exception as exc:
            log.error("handling a Slack request failed (%s)", type(exc).__name__)
            return _plain(500, "internal error")
        out = [(k, v) for k, values in response.headers.items() for v in values]
        out = [(k, v) for k, v in out if k.lower() != "content-length"]
        return response.status, out, response.body.encode()

    async def _body(self, headers: dict[str, str], receive: Receive) -> bytes:
        limit = self.limits.max_body_bytes
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                raise _Refusal(400, "bad Content-Length")
            if int(length) > limit:
                raise _Refusal(413, f"body over {limit} bytes")
        try:
            return await asyncio.wait_for(_read(receive, limit), self.limits.request_timeout_s)
        except _TooLarge:
            raise _Refusal(413, f"body over {limit} bytes") from None
        except TimeoutError:
            raise _Refusal(408, "body too slow") from None

    def _verify(self, headers: dict[str, str], raw: bytes) -> tuple[str, int]:
        """The request's signature and timestamp when it is Slack's and fresh; else a 401."""
        stamp = headers.get("x-slack-request-timestamp", "").strip()
        signature = headers.get("x-slack-signature", "").strip()
        if not _TIMESTAMP.fullmatch(stamp):
            raise _Refusal(401, "missing or non-numeric timestamp")
        if abs(self.clock() - int(stamp)) > self.limits.max_age_s:
            raise _Refusal(401, "stale timestamp")
        base = b"v0:" + stamp.encode() + b":" + raw
        expected = "v0=" + hmac.new(self.secret, base, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
            raise _Refusal(401, "bad signature")
        return signature, int(stamp)


async def _read(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _parsable(raw: bytes, content_type: str) -> str:
    """The body as text when it is what Slack sends: a JSON object, or a form whose `payload`
    (when present) is a JSON object. Mirrors how Bolt will parse it, so Bolt cannot fail."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refusal(400, "body is not UTF-8") from None
    try:
        if content_type.startswith("application/json") or text.startswith("{"):
            if not isinstance(json.loads(text), dict):
                raise ValueError("not an object")
        else:
            form = urllib.parse.parse_qs(text, strict_parsing=bool(text))
            if "payload" in form and not isinstance(json.loads(form["payload"][0]), dict):
                raise ValueError("payload is not an object")
    except ValueError:
        raise _Refusal(400, "malformed body") from None
    return text


def _plain(status: int, text: str) -> tuple[int, list[tuple[str, str]], bytes]:
    return status, [("content-type", "text/plain; charset=utf-8")], text.encode()


def bind(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """The listening socket, bound before anything is served: a port in use is one line."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    if os.name != "nt":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError as exc:
        sock.close()
        raise PortInUse(
            f"cannot listen on {host}:{port} ({exc.strerror or type(exc).__name__}); "
            "set SLACK_PORT to a free port or stop what holds it."
        ) from None
    sock.setblocking(False)
    return sock


def serve(http: SlackHttp, sock: socket.socket) -> None:
    """Serve `http` on `sock` until SIGINT/SIGTERM; queued answers finish at shutdown."""
    make_server(http).run(sockets=[sock])


def make_server(http: SlackHttp) -> Any:
    """A uvicorn server for `http` (its `run(sockets=[...])` blocks; set `should_exit` to stop)."""
    import uvicorn
    from uvicorn.protocols.http.h11_impl import H11Protocol

    limits = http.limits

    class DeadlineH11(H11Protocol):
        """h11 with a deadline for a request's headers: an idle or trickling connection is
        closed after the request timeout (uvicorn only times out idle keep-alives)."""

        _deadline: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(
                limits.request_timeout_s, self.timeout_keep_alive_handler
            )

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def handle_events(self) -> None:
            super().handle_events()
            if self.cycle is not None and not self.cycle.response_complete:
                self._disarm()

        def on_response_complete(self) -> None:
            self._arm()
            super().on_response_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    config = uvicorn.Config(
        http,
        http=DeadlineH11,
        lifespan="on",
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_keep_alive=limits.keep_alive_s,
        timeout_graceful_shutdown=int(limits.shutdown_grace_s),
        h11_max_incomplete_event_size=limits.max_header_bytes,
    )
    return uvicorn.Server(config)
