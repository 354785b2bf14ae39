"""The Slack app, tested for real without Slack: requests are signed the way Slack signs them, and
the Web API is a local stand-in that records every call and can be told to fail.

Two ways in. `bot slack` itself, started as the README says (`python -m bot slack` with its
environment, SLACK_API_URL pointing at the stand-in), for what only the real server can show:
concurrency, idle connections, refused requests, retries, and what reaches the log. And the same
server in this process over a recording service, to see the question and the conversation each
answer was asked with.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from slack_bolt import App

from bot import slack
from bot.answer import Answer, Citation, Value
from bot.conversation import Conversation
from bot.redact import MASK, RedactingFormatter, Redactor, looks_secret
from bot.service import Service
from bot.slack_delivery import Delivery, RetryPolicy
from bot.slack_server import Replays, SlackHttp, bind, make_server
from bot.workers import Workers
from index.errors import BadQuestion
from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
BOT_TOKEN = "xoxb-1234-test-bot-token-do-not-echo"
SIGNING_SECRET = "test-signing-secret-5f1c0e9d"
VERIFICATION_TOKEN = "legacy-verification-token-77"
BOT_USER = "UBOT0001"
BOT_ID = "BBOT0001"
REJECTED_TOKEN = "xoxb-rejected-by-the-fake-api"
WAIT_S = 120.0  # every request and wait is bounded; generous for a cold index and a busy machine
SETTLE_S = 2.0  # how long to watch for a duplicate that should not come
REQUEST_TIMEOUT_S = 3  # the served bot's SLACK_REQUEST_TIMEOUT
FAST_RETRY = RetryPolicy(attempts=3, backoff_s=0.05, max_wait_s=2.0, timeout_s=10)
MANIFEST = ROOT / "slack" / "manifest.yaml"
DSO_QUESTION = "what was Q3 DSO?"


# -- a local stand-in for Slack's Web API ---------------------------------------------------

Scripted = tuple[int, dict[str, str], dict[str, Any]] | None  # None: drop the connection


@dataclass
class Call:
    path: str
    payload: dict[str, Any]
    raw: str
    ok: bool
    at: float


@dataclass
class FakeSlackApi:
    """Answers auth.test, chat.postMessage, chat.postEphemeral and response_url posts, records
    each call, and plays scripted failures first for a channel (or a response_url path)."""

    calls: list[Call] = field(default_factory=list)
    cond: threading.Condition = field(default_factory=threading.Condition)
    script: dict[str, list[Scripted]] = field(default_factory=dict)
    base: str = ""

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def fail(self, key: str, *responses: Scripted) -> None:
        """The next calls for `key` (a channel, or a `/respond/...` path) get `responses`."""
        with self.cond:
            self.script.setdefault(key, []).extend(responses)

    def scripted(self, key: str) -> tuple[bool, Scripted]:
        with self.cond:
            queue = self.script.get(key)
            return (True, queue.pop(0)) if queue else (False, None)

    def record(self, call: Call) -> None:
        with self.cond:
            self.calls.append(call)
            self.cond.notify_all()

    def posts(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Every reply that reached Slack: chat.postMessage, postEphemeral and response_url."""
        with self.cond:
            return [
                c.payload
                for c in self.calls
                if c.ok and _is_reply(c.path) and channel in (None, c.payload.get("channel"))
            ]

    def attempts(self, key: str) -> list[Call]:
        """Every post tried for a channel or a response_url path, failed ones included."""
        with self.cond:
            return [
                c
                for c in self.calls
                if _is_reply(c.path) and key in (c.path, c.payload.get("channel"))
            ]

    def raw_bodies(self) -> list[str]:
        with self.cond:
            return [c.raw for c in self.calls]

    def wait_for_posts(
        self, n: int, channel: str | None = None, timeout: float = WAIT_S
    ) -> list[dict[str, Any]]:
        """The replies (to `channel`) once there are `n`, or whatever came before the deadline."""
        with self.cond:
            self.cond.wait_for(lambda: len(self.posts(channel)) >= n, timeout=timeout)
        return self.posts(channel)


def _is_reply(path: str) -> bool:
    return path.endswith(("/chat.postMessage", "/chat.postEphemeral")) or path.startswith(
        "/respond/"
    )


def _handler_for(api: FakeSlackApi) -> type[BaseHTTPRequestHandler]:
    counter = itertools.count(1)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            if "json" in (self.headers.get("Content-Type") or ""):
                payload = json.loads(raw or "{}")
            else:
                payload = {k: v[-1] for k, v in urllib.parse.parse_qs(raw).items()}
                if isinstance(payload.get("blocks"), str):
                    payload["blocks"] = json.loads(payload["blocks"])
            key = self.path if self.path.startswith("/respond/") else str(payload.get("channel"))
            has_script, scripted = api.scripted(key) if _is_reply(self.path) else (False, None)
            if has_script:
                api.record(Call(self.path, payload, raw, False, time.monotonic()))
                if scripted is None:
                    self.close_connection = True
                    return
                status, headers, body = scripted
                self._send(status, json.dumps(body), headers=headers)
                return
            api.record(Call(self.path, payload, raw, True, time.monotonic()))
            if self.path.startswith("/respond/"):
                self._send(200, "ok", ctype="text/plain")
            elif self.path.endswith("/auth.test"):
                if self.headers.get("Authorization") == f"Bearer {REJECTED_TOKEN}":
                    self._send(200, json.dumps({"ok": False, "error": "invalid_auth"}))
                else:
                    body = {
                        "ok": True,
                        "url": "https://example.slack.com/",
                        "team": "Test",
                        "user": "earnings-bot",
                        "team_id": "T0001",
                        "user_id": BOT_USER,
                        "bot_id": BOT_ID,
                    }
                    self._send(200, json.dumps(body))
            elif _is_reply(self.path):
                ts = f"1800000000.{next(counter):06d}"
                self._send(200, json.dumps({"ok": True, "ts": ts, "channel": payload["channel"]}))
            else:
                self._send(200, json.dumps({"ok": False, "error": "unknown_method"}))

        def _send(
            self,
            status: int,
            body: str,
            ctype: str = "application/json",
            headers: dict[str, str] | None = None,
        ) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def fake_slack_api() -> Iterator[FakeSlackApi]:
    fake = FakeSlackApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(fake))
    server.daemon_threads = True
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def api() -> Iterator[FakeSlackApi]:
    with fake_slack_api() as fake:
        yield fake


# -- requests as Slack sends them -------------------------------------------------------------

_ids = itertools.count(1)
_stamps = itertools.count(100)
_channels = itertools.count(1)


def new_ts() -> str:
    return f"1700000000.{next(_stamps):06d}"


def new_channel() -> str:
    """A channel of its own for a test: the served bot is shared across a module's tests."""
    return f"C{next(_channels):04d}{os.getpid() % 10_000:04d}"


def sign(body: bytes, ts: str, secret: str = SIGNING_SECRET) -> str:
    return (
        "v0="
        + hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    )


@dataclass
class BotEndpoint:
    url: str
    service: Any = None
    bot: slack.SlackBot | None = None

    def post(
        self,
        body: str | bytes,
        *,
        content_type: str = "application/json",
        timestamp: int | str | None = None,
        secret: str = SIGNING_SECRET,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = WAIT_S,
    ) -> tuple[int, str]:
        """POST as Slack does: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}` with the secret."""
        data = body.encode() if isinstance(body, str) else body
        ts = str(int(time.time()) if timestamp is None else timestamp)
        request = urllib.request.Request(
            self.url,
            data=data,
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature or sign(data, ts, secret),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def drain(self) -> None:
        """Wait until every queued question has been answered and posted (in-process only)."""
        if self.bot is not None:
            assert self.bot.workers.wait_idle(WAIT_S)

    def event(self, event: dict[str, Any], event_id: str | None = None, **kw: Any) -> int:
        status, _ = self.post(json.dumps(envelope(event, event_id)), **kw)
        self.drain()
        return status

    def slash(
        self, text: str, response_url: str, user: str = "UASKER1", channel: str = "C0001"
    ) -> tuple[int, str]:
        answer = self.post(slash_form(text, response_url, user, channel), content_type=FORM)
        self.drain()
        return answer


FORM = "application/x-www-form-urlencoded"


def envelope(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": "T0001",
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": "T0001", "user_id": BOT_USER, "is_bot": True}],
    }


def slash_form(text: str, response_url: str, user: str = "UASKER1", channel: str = "C0001") -> str:
    return urllib.parse.urlencode(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": "T0001",
            "channel_id": channel,
            "channel_name": "finance",
            "user_id": user,
            "user_name": "asker",
            "command": "/ask",
            "text": text,
            "api_app_id": "A0001",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    )


def mention(
    text: str, ts: str | None = None, thread_ts: str | None = None, channel: str = "C0001"
) -> dict[str, Any]:
    ts = ts or new_ts()
    event = {
        "type": "app_mention",
        "user": "UASKER1",
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def dm(text: str, **extra: Any) -> dict[str, Any]:
    ts = new_ts()
    return {
        "type": "message",
        "channel_type": "im",
        "channel": "D0001",
        "user": "UASKER1",
        "text": text,
        "ts": ts,
        "event_ts": ts,
        **extra,
    }


def all_text(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False)


# -- `bot slack`, started as the README says ---------------------------------------------------


@dataclass
class ServedBot:
    endpoint: BotEndpoint
    api: FakeSlackApi
    log_path: Path
    process: subprocess.Popen[bytes]
    port: int

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def bot_env(api: FakeSlackApi, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    return {
        **env,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_PORT": str(port),
        "SLACK_HOST": "127.0.0.1",
        "SLACK_API_URL": api.api_url,
        "SLACK_REQUEST_TIMEOUT": str(REQUEST_TIMEOUT_S),
        "PYTHONPATH": os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]),
        **extra,
    }


def wait_until_serving(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"bot slack exited ({process.returncode}): {log_path.read_text()}")
        try:
            urllib.request.urlopen(url, timeout=2).close()  # a GET: 405 once it serves
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("bot slack did not start serving in time")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedBot]:
    """`python -m bot slack` on a free port behind the stand-in Web API, shared by the module."""
    with fake_slack_api() as api:
        port = free_port()
        log_path = tmp_path_factory.mktemp("slack") / "bot-slack.log"
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "slack"],
                cwd=ROOT,
                env=bot_env(api, port),
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}/slack/events"
        try:
            wait_until_serving(url, process, log_path)
            served = ServedBot(BotEndpoint(url), api, log_path, process, port)
            warm_up(served)
            yield served
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def wait_for(condition: Callable[[], Any], timeout: float = WAIT_S) -> None:
    """Poll `condition` until it holds; fail the test at the deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the bot")
        time.sleep(0.05)


def warm_up(served: ServedBot) -> None:
    """One question answered end to end before the tests measure anything, as after a deploy."""
    channel = new_channel()
    event = mention(f"<@{BOT_USER}> {DSO_QUESTION}", channel=channel)
    assert served.endpoint.post(json.dumps(envelope(event)))[0] == 200
    assert served.api.wait_for_posts(1, channel)


def raw_request(port: int, head: bytes, body: bytes = b"", timeout: float = WAIT_S) -> int:
    """Send bytes as they are; the status line's code, or 0 when the server answered nothing."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(head + body)
        data = b""
        while b"\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    parts = data.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def signed_head(
    port: int, body: bytes, content_type: str = "application/json", **extra: str
) -> bytes:
    ts = str(int(time.time()))
    lines = [
        "POST /slack/events HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Content-Type: {content_type}",
        f"X-Slack-Request-Timestamp: {ts}",
        f"X-Slack-Signature: {sign(body, ts)}",
        *(f"{k}: {v}" for k, v in extra.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


# -- what only the real server shows -------------------------------------------------------------


@pytest.mark.server
def test_fifty_concurrent_signed_events_are_all_acked_within_3_s_and_answered_once(
    served: ServedBot,
) -> None:
    channel = new_channel()
    events = [mention(f"<@{BOT_USER}> {DSO_QUESTION}", channel=channel) for _ in range(50)]
    start = threading.Barrier(len(events))

    def send(event: dict[str, Any]) -> tuple[int, float]:
        body = json.dumps(envelope(event))
        start.wait(timeout=WAIT_S)
        began = time.monotonic()
        status, _ = served.endpoint.post(body)
        return status, time.monotonic() - began

    with ThreadPoolExecutor(len(events)) as pool:
        results = list(pool.map(send, events))
    assert [status for status, _ in results] == [200] * 50
    slowest = max(seconds for _, seconds in results)
    assert slowest < 3.0, f"slowest ack took {slowest:.2f} s"
    posts = served.api.wait_for_posts(50, channel)
    time.sleep(SETTLE_S)
    posts = served.api.posts(channel)
    assert sorted(p["thread_ts"] for p in posts) == sorted(e["ts"] for e in events)
    assert all("74 days" in p["text"] for p in posts)


@pytest.mark.server
def test_idle_and_trickling_connections_do_not_delay_a_signed_request(served: ServedBot) -> None:
    port = served.port
    idle = socket.create_connection(("127.0.0.1", port), timeout=WAIT_S)
    trickling = socket.create_connection(("127.0.0.1", port), timeout=WAIT_S)
    trickling.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")  # headers never finish
    half_body = socket.create_connection(("127.0.0.1", port), timeout=WAIT_S)
    body = json.dumps(envelope(mention(f"<@{BOT_USER}> {DSO_QUESTION}"))).encode()
    half_body.sendall(signed_head(port, body, **{"Content-Length": str(len(body))}) + body[:10])
    try:
        channel = new_channel()
        event = mention(f"<@{BOT_USER}> {DSO_QUESTION}", channel=channel)
        began = time.monotonic()
        status, _ = served.endpoint.post(json.dumps(envelope(event)))
        took = time.monotonic() - began
        assert status == 200
        assert took < 1.0, f"the signed request waited {took:.2f} s"
        (post,) = served.api.wait_for_posts(1, channel)
        assert post["thread_ts"] == event["ts"]
        # The server closes connections that send no complete request within its timeout.
        idle.settimeout(REQUEST_TIMEOUT_S * 10)
        assert idle.recv(1) == b""
    finally:
        for conn in (idle, trickling, half_body):
            conn.close()


@pytest.mark.server
def test_bad_requests_get_401_413_or_400_and_no_traceback(served: ServedBot) -> None:
    channel = new_channel()
    body = json.dumps(envelope(mention(f"<@{BOT_USER}> {DSO_QUESTION}", channel=channel)))
    endpoint, port = served.endpoint, served.port
    assert endpoint.post(body, secret="not-the-secret")[0] == 401
    assert endpoint.post(body, signature="v0=" + "0" * 64)[0] == 401
    assert endpoint.post(body, timestamp=int(time.time()) - 10 * 60)[0] == 401
    assert endpoint.post(body, timestamp="soon")[0] == 401
    assert endpoint.post(body, timestamp="1e9")[0] == 401
    assert endpoint.post(body, timestamp="")[0] == 401
    # Too big: refused from Content-Length before a byte of the body is read ...
    head = signed_head(port, b"", **{"Content-Length": str(100 * 1024 * 1024)})
    assert raw_request(port, head) == 413
    # ... and when the body streams without a length, once the count passes the limit.
    chunk = b"x" * 65_536
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(40)) + b"0\r\n\r\n"
    head = signed_head(port, b"", **{"Transfer-Encoding": "chunked"})
    assert raw_request(port, head, chunked) == 413
    # Signed but not what Slack sends.
    assert endpoint.post("{not json")[0] == 400
    assert endpoint.post("[1, 2]")[0] == 400
    assert endpoint.post(b"{\xff\xfe}")[0] == 400
    assert endpoint.post("payload=%7Bbroken", content_type=FORM)[0] == 400
    assert endpoint.post("a=1&&=", content_type=FORM)[0] == 400
    assert raw_request(port, b"NOT HTTP AT ALL\r\n\r\n") == 400
    # Still serving, and none of it was answered or left a traceback.
    ok_channel = new_channel()
    status = endpoint.post(
        json.dumps(envelope(mention(f"<@{BOT_USER}> {DSO_QUESTION}", channel=ok_channel)))
    )[0]
    assert status == 200
    served.api.wait_for_posts(1, ok_channel)
    assert served.api.attempts(channel) == []
    log = served.log()
    assert "Traceback" not in log
    refusals = [line for line in log.splitlines() if "refused a request" in line]
    assert len(refusals) >= 13
    assert all(line.strip().endswith(("(401)", "(413)", "(400)", "(408)")) for line in refusals)


@pytest.mark.server
def test_a_replayed_ask_is_answered_once(served: ServedBot) -> None:
    url = f"{served.api.base}/respond/replay-{new_channel()}"
    body = slash_form(DSO_QUESTION, url)
    ts = str(int(time.time()))
    signature = sign(body.encode(), ts)
    for _ in range(3):
        status, _ = served.endpoint.post(body, content_type=FORM, timestamp=ts, signature=signature)
        assert status == 200
    path = url.removeprefix(served.api.base)
    wait_for(lambda: served.api.attempts(path))
    time.sleep(SETTLE_S)
    replies = served.api.attempts(path)
    assert len(replies) == 1
    assert "74 days" in replies[0].payload["text"]


PASTED = (
    BOT_TOKEN,
    "xoxp-2222-3333-FAKEuser-token-abcdef",
    "xapp-1-A0-4444-FAKEapptoken",
    "FAKEtoken1234567890abcdef",
    "0f8e3c2a9b7d6e5f4a3b2c1d0e9f8a7b",
    "dGhpc0lzQVNlY3JldEtleUZvclRlc3Rz",
)
FRAGMENTS = ("FAKEtoken", "FAKEuser", "FAKEapptoken", "do-not-echo", "0f8e3c2a9b", "dGhpc0lz")


@pytest.mark.server
def test_a_pasted_token_never_comes_back_in_a_reply_or_the_log(served: ServedBot) -> None:
    channel = new_channel()
    url = f"/respond/tokens-{channel}"
    for pasted in PASTED:
        event = mention(f"<@{BOT_USER}> {DSO_QUESTION} {pasted}", channel=channel)
        assert served.endpoint.post(json.dumps(envelope(event)))[0] == 200
    # The answering layer quotes a word it does not know ("does not mention 'FAKEtoken'").
    unknown = mention(f"<@{BOT_USER}> what was the {PASTED[3]} margin?", channel=channel)
    assert served.endpoint.post(json.dumps(envelope(unknown)))[0] == 200
    form = slash_form(f"{DSO_QUESTION} {PASTED[3]}", served.api.base + url, channel=channel)
    assert served.endpoint.post(form, content_type=FORM)[0] == 200
    posts = served.api.wait_for_posts(len(PASTED) + 1, channel)
    wait_for(lambda: served.api.attempts(url))
    assert len(posts) == len(PASTED) + 1
    answered = [p for p in posts if "74 days" in p["text"]]
    assert len(answered) == len(PASTED)
    assert all(slack.SECRET_NOTE in all_text(p) for p in posts)
    (ask,) = served.api.attempts(url)
    assert "74 days" in ask.payload["text"]
    for text in [*served.api.raw_bodies(), served.log()]:
        for secret in (*PASTED, *FRAGMENTS, SIGNING_SECRET):
            assert secret not in text


@pytest.mark.server
def test_a_429_with_retry_after_is_retried_after_the_wait_and_posted_once(
    served: ServedBot,
) -> None:
    channel = new_channel()
    served.api.fail(channel, (429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"}))
    event = mention(f"<@{BOT_USER}> {DSO_QUESTION}", channel=channel)
    assert served.endpoint.post(json.dumps(envelope(event)))[0] == 200
    (post,) = served.api.wait_for_posts(1, channel)
    time.sleep(SETTLE_S)
    first, second = served.api.attempts(channel)
    assert not first.ok and second.ok
    assert second.at - first.at >= 1.0  # Retry-After honoured
    assert served.api.posts(channel) == [post]
    assert "74 days" in post["text"]


@pytest.mark.server
def test_a_5xx_and_a_dropped_connection_are_retried(served: ServedBot) -> None:
    channel = new_channel()
    served.api.fail(channel, (503, {}, {"ok": False, "error": "service_unavailable"}), None)
    event = mention(f"<@{BOT_USER}> {DSO_QUESTION}", channel=channel)
    assert served.endpoint.post(json.dumps(envelope(event)))[0] == 200
    (post,) = served.api.wait_for_posts(1, channel)
    assert [c.ok for c in served.api.attempts(channel)] == [False, False, True]
    assert "74 days" in post["text"]


@pytest.mark.server
def test_a_permanent_failure_posts_the_failure_note_in_the_thread(served: ServedBot) -> None:
    channel = new_channel()
    served.api.fail(channel, (200, {}, {"ok": False, "error": "invalid_blocks"}))
    event = mention(f"<@{BOT_USER}> {DSO_QUESTION}", channel=channel)
    assert served.endpoint.post(json.dumps(envelope(event)))[0] == 200
    (note,) = served.api.wait_for_posts(1, channel)
    assert note["thread_ts"] == event["ts"]
    assert "could not post my answer" in note["text"] and "invalid_blocks" in note["text"]
    assert len(served.api.attempts(channel)) == 2  # a permanent error is not retried


@pytest.mark.server
def test_when_the_failure_note_fails_too_it_is_logged(served: ServedBot) -> None:
    channel = new_channel()
    refused = (200, {}, {"ok": False, "error": "not_in_channel"})
    served.api.fail(channel, refused, refused, refused)
    event = mention(f"<@{BOT_USER}> {DSO_QUESTION}", channel=channel)
    assert served.endpoint.post(json.dumps(envelope(event)))[0] == 200
    wait_for(lambda: f"could not tell {channel}" in served.log())
    assert f"could not tell {channel} thread {event['ts']}" in served.log()
    assert served.api.posts(channel) == []


@pytest.mark.server
def test_each_answered_event_is_one_log_line_with_its_latency(served: ServedBot) -> None:
    channel = new_channel()
    event = mention(f"<@{BOT_USER}> {DSO_QUESTION}", channel=channel)
    assert served.endpoint.post(json.dumps(envelope(event)))[0] == 200
    served.api.wait_for_posts(1, channel)
    wait_for(lambda: f"{channel} thread" in served.log())
    (line,) = [line for line in served.log().splitlines() if f"{channel} thread" in line]
    assert "replied in" in line and "with an answer in" in line and line.endswith(" ms")


@pytest.mark.server
def test_a_port_in_use_is_one_line_and_a_failing_exit(tmp_path: Path) -> None:
    with fake_slack_api() as api, socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "bot", "slack"],
            cwd=ROOT,
            env=bot_env(api, port),
            capture_output=True,
            text=True,
            timeout=WAIT_S,
        )
    assert done.returncode != 0
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert str(port) in lines[0] and "SLACK_PORT" in lines[0]


# -- the same server in this process, over a recording service -----------------------------------


class RecordingService:
    """The real service, with each question and the conversation it came with written down."""

    def __init__(self, inner: Any, gate: threading.Event | None = None) -> None:
        self.inner = inner
        self.gate = gate
        self.calls: list[tuple[str, Conversation | None]] = []

    def ask(self, question: str, conversation: Conversation | None = None) -> Answer:
        if self.gate is not None:
            assert self.gate.wait(WAIT_S)
        self.calls.append((question, conversation))
        return self.inner.ask(question, conversation)


@pytest.fixture(scope="module")
def service() -> Service:
    return Service.open()


@contextmanager
def serve_in_process(bot: slack.SlackBot, service: Any) -> Iterator[BotEndpoint]:
    """`bot` behind the real HTTP front and uvicorn on 127.0.0.1, on a thread of this process."""
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    http = SlackHttp(bot.app, SIGNING_SECRET)
    server = make_server(http)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        yield BotEndpoint(url, service, bot)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
        bot.close(WAIT_S)


def in_process_bot(service: Any, api: FakeSlackApi, **kw: Any) -> slack.SlackBot:
    client = slack.web_client(BOT_TOKEN, api.api_url, FAST_RETRY)
    return slack.SlackBot(service, client, SIGNING_SECRET, retry=FAST_RETRY, **kw)


@pytest.fixture
def bot(api: FakeSlackApi, service: Service) -> Iterator[BotEndpoint]:
    """The real service behind the real Bolt app and HTTP front; `event` waits for the answer."""
    recording = RecordingService(service)
    with serve_in_process(in_process_bot(recording, api), recording) as endpoint:
        yield endpoint


@pytest.mark.server
def test_url_verification_echoes_the_challenge(bot: BotEndpoint) -> None:
    body = json.dumps(
        {"token": VERIFICATION_TOKEN, "challenge": "c-123", "type": "url_verification"}
    )
    status, text = bot.post(body)
    assert status == 200
    assert "c-123" in text


@pytest.mark.server
def test_forged_signature_is_refused_with_401_and_never_answered(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    assert bot.event(mention(f"<@{BOT_USER}> {DSO_QUESTION}"), secret="not-the-secret") == 401
    assert bot.event(mention(f"<@{BOT_USER}> {DSO_QUESTION}"), signature="v0=" + "0" * 64) == 401
    assert api.posts() == []
    assert bot.service.calls == []


@pytest.mark.server
def test_stale_timestamp_is_refused_with_401(bot: BotEndpoint, api: FakeSlackApi) -> None:
    stale = int(time.time()) - 10 * 60
    assert bot.event(mention(f"<@{BOT_USER}> {DSO_QUESTION}"), timestamp=stale) == 401
    assert api.posts() == []


@pytest.mark.server
def test_unsigned_url_verification_is_refused(bot: BotEndpoint) -> None:
    body = json.dumps({"challenge": "c-9", "type": "url_verification"})
    status, text = bot.post(body, signature="v0=forged")
    assert status == 401
    assert "c-9" not in text


@pytest.mark.server
def test_other_paths_and_methods_are_refused(bot: BotEndpoint) -> None:
    with pytest.raises(urllib.error.HTTPError) as get:
        urllib.request.urlopen(bot.url, timeout=WAIT_S)
    assert get.value.code == 405
    with pytest.raises(urllib.error.HTTPError) as other:
        urllib.request.urlopen(bot.url.replace("/slack/events", "/admin"), timeout=WAIT_S)
    assert other.value.code == 404


@pytest.mark.server
def test_events_are_acked_before_they_are_answered(api: FakeSlackApi, service: Service) -> None:
    gate = threading.Event()
    recording = RecordingService(service, gate)
    with serve_in_process(in_process_bot(recording, api), recording) as endpoint:
        ts = new_ts()
        status, _ = endpoint.post(
            json.dumps(envelope(mention(f"<@{BOT_USER}> {DSO_QUESTION}", ts)))
        )
        assert status == 200
        status, _ = endpoint.post(
            slash_form(DSO_QUESTION, f"{api.base}/respond/gated"), content_type=FORM
        )
        assert status == 200
        assert api.posts() == []  # acked while the answers wait behind the gate
        gate.set()
        endpoint.drain()
        posts = api.posts()
        assert len(posts) == 2
        assert [p["thread_ts"] for p in posts if "thread_ts" in p] == [ts]


@pytest.mark.server
def test_mention_is_answered_once_in_its_thread_as_blocks(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    ts = new_ts()
    assert bot.event(mention(f"<@{BOT_USER}> {DSO_QUESTION}", ts=ts)) == 200
    (post,) = api.posts()
    assert post["channel"] == "C0001"
    assert post["thread_ts"] == ts
    assert post["text"]
    first = post["blocks"][0]
    assert first["type"] == "section" and first["text"]["type"] == "mrkdwn"
    assert bot.service.calls[0][0] == DSO_QUESTION


@pytest.mark.server
def test_mention_answer_gives_q3_dso_with_its_table_source(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    bot.event(mention(f"<@{BOT_USER}> {DSO_QUESTION}"))
    (post,) = api.posts()
    assert "74 days" in post["text"]
    assert "74 days" in post["blocks"][0]["text"]["text"]
    contexts = [b for b in post["blocks"][1:] if b["type"] == "context"]
    sources = " ".join(e["text"] for b in contexts for e in b["elements"])
    assert "Supplemental Financial Information" in sources
    assert "line 493" in sources


@pytest.mark.server
def test_retried_event_is_answered_once(bot: BotEndpoint, api: FakeSlackApi) -> None:
    event = mention(f"<@{BOT_USER}> {DSO_QUESTION}")
    assert bot.event(event, event_id="EvRETRY1") == 200
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert bot.event(event, event_id="EvRETRY1", headers=retry) == 200
    assert bot.event(event, event_id="EvRETRY1") == 200  # a plain duplicate too
    assert len(api.posts()) == 1
    assert len(bot.service.calls) == 1


def follow_up_in_and_out_of_the_thread(bot: BotEndpoint) -> str:
    """Ask Q3 DSO in a new thread, "and in Q2?" in that thread, then "and in Q2?" in a new thread
    of its own; the first thread's ts."""
    root = new_ts()
    bot.event(mention(f"<@{BOT_USER}> {DSO_QUESTION}", ts=root))
    bot.event(mention(f"<@{BOT_USER}> and in Q2?", thread_ts=root))
    bot.event(mention(f"<@{BOT_USER}> and in Q2?"))  # a new thread starts afresh
    return root


@pytest.mark.server
def test_follow_up_in_the_same_thread_carries_the_conversation(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    root = follow_up_in_and_out_of_the_thread(bot)
    (_, first), (_, follow_up), (_, elsewhere) = bot.service.calls
    assert first is not None and first.turns == ()
    assert follow_up is not None
    assert [t.question for t in follow_up.turns] == [DSO_QUESTION]
    assert elsewhere is not None and elsewhere.turns == ()
    posts = api.posts()
    assert [p["thread_ts"] for p in posts[:2]] == [root, root]
    assert posts[2]["thread_ts"] != root


@pytest.mark.server
def test_follow_up_and_in_q2_answers_55_only_in_the_same_thread(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    follow_up_in_and_out_of_the_thread(bot)
    first, follow_up, elsewhere = api.posts()
    assert "74 days" in first["text"]
    assert "55" in follow_up["text"]
    assert "55 days" not in elsewhere["text"]


@pytest.mark.server
def test_a_follow_up_sent_at_once_waits_for_the_question_it_follows(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    root = new_ts()
    for event in (
        mention(f"<@{BOT_USER}> {DSO_QUESTION}", ts=root),
        mention(f"<@{BOT_USER}> and in Q2?", thread_ts=root),
    ):
        assert bot.post(json.dumps(envelope(event)))[0] == 200
    bot.drain()
    first, follow_up = api.posts()
    assert "74 days" in first["text"]
    assert "55" in follow_up["text"]


@pytest.mark.server
def test_direct_message_is_answered_in_its_thread(bot: BotEndpoint, api: FakeSlackApi) -> None:
    event = dm(DSO_QUESTION)
    assert bot.event(event) == 200
    (post,) = api.posts()
    assert post["channel"] == "D0001"
    assert post["thread_ts"] == event["ts"]
    assert bot.service.calls[0][0] == DSO_QUESTION


@pytest.mark.server
def test_own_and_other_bots_messages_and_non_questions_are_ignored(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    ignored = [
        dm("DSO was 74 days in Q3 2012", user=BOT_USER, bot_id=BOT_ID),  # the bot itself
        dm(DSO_QUESTION, subtype="bot_message", bot_id="BOTHER01", user=None),
        dm(DSO_QUESTION, bot_id="BOTHER01", user="UOTHERBOT"),
        {**mention(f"<@{BOT_USER}> {DSO_QUESTION}"), "bot_id": "BOTHER01"},
        dm(DSO_QUESTION, subtype="message_changed"),
        {**dm(DSO_QUESTION), "channel_type": "channel", "channel": "C0001"},
    ]
    for event in ignored:
        assert bot.event(event) == 200
    assert api.posts() == []
    assert bot.service.calls == []


@pytest.mark.server
def test_empty_mention_gets_a_short_help_reply(bot: BotEndpoint, api: FakeSlackApi) -> None:
    bot.event(mention(f"<@{BOT_USER}>  "))
    (post,) = api.posts()
    assert post["text"] == slack.HELP_TEXT
    assert len(post["text"]) < 300
    assert bot.service.calls == []


@pytest.mark.server
def test_huge_message_gets_a_short_too_long_reply(bot: BotEndpoint, api: FakeSlackApi) -> None:
    bot.event(mention(f"<@{BOT_USER}> what was " + "very " * 600 + "Q3 DSO?"))
    (post,) = api.posts()
    assert "too long" in post["text"]
    assert len(post["text"]) < 300
    assert bot.service.calls == []


@pytest.mark.server
def test_slack_markup_is_stripped_before_asking(bot: BotEndpoint) -> None:
    text = (
        f"<@{BOT_USER}> <!here> per <https://ir.example.com/q3|the release> in <#C0002|finance>, "
        "what was Q3 DSO &amp; revenue?"
    )
    bot.event(mention(text))
    assert bot.service.calls[0][0] == ("per the release in #finance, what was Q3 DSO & revenue?")


@pytest.mark.server
def test_slash_command_acks_then_answers_in_the_channel(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    status, _ = bot.slash(DSO_QUESTION, f"{api.base}/respond/1")
    assert status == 200
    (post,) = api.posts()
    assert post["response_type"] == "in_channel"
    assert post["blocks"][0]["type"] == "section"
    assert DSO_QUESTION in all_text(post["blocks"][-1])
    assert bot.service.calls[0][0] == DSO_QUESTION


@pytest.mark.server
def test_slash_command_answers_q3_dso(bot: BotEndpoint, api: FakeSlackApi) -> None:
    bot.slash(DSO_QUESTION, f"{api.base}/respond/2")
    (post,) = api.posts()
    assert "74 days" in post["text"]
    assert "line 493" in all_text(post["blocks"])


@pytest.mark.server
def test_empty_slash_command_gets_help_only_for_the_asker(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    bot.slash("   ", f"{api.base}/respond/3")
    (post,) = api.posts()
    assert post["text"] == slack.HELP_TEXT
    assert post["response_type"] == "ephemeral"


@pytest.mark.server
def test_a_failed_slash_reply_tells_the_asker_privately(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    api.fail("/respond/gone", (404, {}, {"ok": False, "error": "expired_url"}))
    bot.slash(DSO_QUESTION, f"{api.base}/respond/gone", user="UASKER9")
    (note,) = api.posts()
    assert note["user"] == "UASKER9" and "could not post my answer" in note["text"]


class FailingService:
    """A service whose every answer fails, to show what the person sees when it does."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def ask(self, question: str, conversation: Conversation | None = None) -> Answer:
        raise self.error


@pytest.mark.server
@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (BadQuestion("That question has no words in it."), "That question has no words in it."),
        (RuntimeError(f"boom with {BOT_TOKEN}"), slack.FAILED_TEXT),
    ],
)
def test_service_errors_become_one_plain_sentence(
    api: FakeSlackApi, error: Exception, expected: str, caplog: pytest.LogCaptureFixture
) -> None:
    with serve_in_process(in_process_bot(FailingService(error), api), None) as endpoint:
        assert endpoint.event(mention(f"<@{BOT_USER}> {DSO_QUESTION}")) == 200
    (post,) = api.posts()
    assert post["text"] == expected
    assert BOT_TOKEN not in all_text(post)
    assert BOT_TOKEN not in caplog.text


@pytest.mark.server
def test_no_token_or_secret_in_any_payload_or_log(
    bot: BotEndpoint, api: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    root = new_ts()
    bot.event(mention(f"<@{BOT_USER}> {DSO_QUESTION}", ts=root))
    bot.event(mention(f"<@{BOT_USER}> and in Q2?", thread_ts=root))
    bot.event(dm(DSO_QUESTION))
    bot.event(mention(f"<@{BOT_USER}>"))
    bot.slash(DSO_QUESTION, f"{api.base}/respond/4")
    assert len(api.posts()) == 5
    for secret in (BOT_TOKEN, SIGNING_SECRET, VERIFICATION_TOKEN):
        assert all(secret not in raw for raw in api.raw_bodies())
    for secret in (BOT_TOKEN, SIGNING_SECRET):
        assert secret not in caplog.text


@pytest.mark.server
def test_a_pasted_token_is_left_out_of_the_question(bot: BotEndpoint, api: FakeSlackApi) -> None:
    bot.event(mention(f"<@{BOT_USER}> {DSO_QUESTION} {BOT_TOKEN}"))
    bot.event(mention(f"<@{BOT_USER}> {BOT_TOKEN} " + "x" * 2100))
    bot.event(mention(f"<@{BOT_USER}> {PASTED[3]}"))
    bot.slash(f"{DSO_QUESTION} {BOT_TOKEN}", f"{api.base}/respond/6")
    asked = [q for q, _ in bot.service.calls]
    assert asked == [DSO_QUESTION, DSO_QUESTION]
    posts = api.posts()
    assert len(posts) == 4
    assert posts[2]["text"] == slack.SECRET_ONLY_TEXT
    assert all(BOT_TOKEN not in raw for raw in api.raw_bodies())


# -- pure parts: cleaning, formatting, redaction, bounded state ----------------------------------


@pytest.mark.parametrize(
    ("raw", "question"),
    [
        ("<@UBOT0001> what was Q3 DSO?", "what was Q3 DSO?"),
        ("<@UBOT0001|earnings-bot>: what was Q3 DSO?", "what was Q3 DSO?"),
        ("<!here> <!channel> what was revenue?", "what was revenue?"),
        ("see <http://x.example/a?b=1|the table> now", "see the table now"),
        ("see <https://x.example/a>", "see https://x.example/a"),
        ("in <#C123|finance> and <#C456>", "in #finance and"),
        ("<!subteam^S1|@team> margin &lt; 10% &amp; rising", "margin < 10% & rising"),
        ("due <!date^1392734382^{date}|Feb 18, 2014>", "due Feb 18, 2014"),
        ("<@UBOT0001>", ""),
    ],
)
def test_clean_question_strips_slack_markup(raw: str, question: str) -> None:
    assert slack.clean_question(raw) == question


def test_answer_blocks_put_the_text_first_then_sources_then_the_not_found_note() -> None:
    cite = Citation(
        kind="table",
        release="infinera-2012-q4",
        lines=(493, 493),
        quote="DSO's 60 70 60 65 57 55 74 76",
        table="Supplemental Financial Information",
        row="DSO's",
        column="Q3'12",
        period="Q3 2012",
        value="74",
        raw="74",
    )
    answer = Answer(
        question="q",
        text="Largest customer was < 10% in Q3 2011",
        found=False,
        citations=(cite, cite),
        values=(Value("DSO", Decimal(74), "74", "days", "Q3 2012"),),
    )
    section, sources, note = slack.answer_blocks(answer)
    assert section["type"] == "section"
    assert section["text"]["text"] == "Largest customer was &lt; 10% in Q3 2011"
    assert sources["type"] == "context"
    assert len(sources["elements"]) == 1  # the same source is shown once
    assert (
        "Supplemental Financial Information, DSO's, Q3 2012, line 493"
        in (sources["elements"][0]["text"])
    )
    assert note == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": slack.NOT_FOUND_NOTE}],
    }


def test_answer_blocks_without_sources_and_found_are_just_the_text() -> None:
    blocks = slack.answer_blocks(Answer(question="q", text="x" * 5000, found=True))
    assert len(blocks) == 1
    assert len(blocks[0]["text"]["text"]) <= slack.SECTION_LIMIT


def test_seen_events_answer_once_and_stay_bounded() -> None:
    seen = slack.SeenEvents(limit=3)
    assert seen.first_time("a") and not seen.first_time("a")
    for key in "bcd":
        assert seen.first_time(key)
    assert seen.first_time("a")  # forgotten once past the limit


def test_threads_keep_the_latest_conversations_only() -> None:
    threads = slack.Threads(limit=2)
    turn = Conversation().add(Answer(question="q", text="t", found=True))
    for key in ("a", "b", "c"):
        threads.put(("C1", key), turn)
    assert len(threads) == 2
    assert threads.get(("C1", "a")).turns == ()
    assert threads.get(("C1", "c")).turns == turn.turns


def test_redact_removes_token_shaped_strings_and_known_secrets() -> None:
    redactor = Redactor((SIGNING_SECRET,))
    text = f"a {BOT_TOKEN} b xapp-1-A0-123-abc c {SIGNING_SECRET} d XOXP-9"
    assert redactor.text(text) == f"a {MASK} b {MASK} c {MASK} d {MASK}"


def test_redact_catches_pieces_of_known_secrets_and_secret_shapes() -> None:
    redactor = Redactor((BOT_TOKEN, SIGNING_SECRET))
    assert redactor.text("it said test-bot-token-do here") == f"it said {MASK} here"
    assert redactor.text("signing-secret-5f1c") == MASK
    for pasted in PASTED[3:]:
        assert redactor.text(f"key {pasted}.") == f"key {MASK}."


def test_a_replayed_signature_is_caught_within_the_window_and_then_forgotten() -> None:
    replays = Replays(window_s=300)
    assert replays.first_time("v0=aa", 1_000, now=1_000)
    assert not replays.first_time("v0=aa", 1_000, now=1_100)
    assert replays.first_time("v0=bb", 1_700, now=1_700)  # "v0=aa" is past the window now
    assert replays.first_time("v0=aa", 1_000, now=1_700)


@pytest.mark.parametrize(
    "word",
    [
        "127.0.0.1:3000/slack/events",
        "Q3-2012-vs-Q2-2012",
        "year-over-year",
        "non-GAAP",
        "December",
        "2012",
        "FY2012Q3",
        "Q3'12",
    ],
)
def test_ordinary_words_do_not_look_secret(word: str) -> None:
    assert not looks_secret(word)
    assert Redactor().text(f"DSO {word} was 74 days") == f"DSO {word} was 74 days"


def test_an_answer_never_quotes_a_part_of_a_suspect() -> None:
    redactor = Redactor()
    question, suspects = redactor.take_out("what is the FAKEtoken1234567890abcdef ratio?")
    assert question == "what is the ratio?"
    refusal = "The release does not mention 'FAKEtoken', so I can't answer that."
    assert "FAKEtoken" not in redactor.answer(refusal, suspects)
    assert "release does not mention" in redactor.answer(refusal, suspects)


def test_log_lines_are_redacted_and_other_libraries_keep_to_one_line() -> None:
    formatter = RedactingFormatter(Redactor((SIGNING_SECRET,)), "%(message)s")
    try:
        raise ValueError(f"bad {BOT_TOKEN}")
    except ValueError:
        exc_info = sys.exc_info()
    theirs = logging.LogRecord("uvicorn.error", logging.ERROR, "f", 1, "oops\nmore", None, exc_info)
    assert formatter.format(theirs) == "oops (ValueError)"
    ours = logging.LogRecord(
        "bot.slack", logging.ERROR, "f", 1, "boom %s", (SIGNING_SECRET,), exc_info
    )
    text = formatter.format(ours)
    assert "Traceback" in text and BOT_TOKEN not in text and SIGNING_SECRET not in text


def test_workers_keep_order_within_a_key_and_refuse_beyond_the_bound() -> None:
    release = threading.Event()
    done: list[str] = []
    workers = Workers(size=2, max_pending=3)
    assert workers.submit("t1", lambda: (release.wait(WAIT_S), done.append("t1-a")))
    assert workers.submit("t1", lambda: done.append("t1-b"))
    assert workers.submit("t2", lambda: (release.wait(WAIT_S), done.append("t2-a")))
    assert not workers.submit("t3", lambda: done.append("t3-a"))  # full
    release.set()
    assert workers.close(WAIT_S)
    assert done.index("t1-a") < done.index("t1-b")
    assert sorted(done) == ["t1-a", "t1-b", "t2-a"]


def test_delivery_waits_as_told_and_stops_at_the_attempt_bound(api: FakeSlackApi) -> None:
    waits: list[float] = []
    client = slack.web_client(BOT_TOKEN, api.api_url, FAST_RETRY)
    delivery = Delivery(client, RetryPolicy(attempts=3, backoff_s=0.25), sleep=waits.append)
    api.fail("C9", (429, {"Retry-After": "7"}, {"ok": False, "error": "ratelimited"}))
    assert delivery.post_message("C9", "hi").ok
    assert waits == [7.0]
    waits.clear()
    api.fail("C8", *[(500, {}, {"ok": False, "error": "internal_error"})] * 5)
    sent = delivery.post_message("C8", "hi")
    assert not sent.ok and sent.attempts == 3 and waits == [0.25, 0.5]
    waits.clear()
    api.fail("C7", (200, {}, {"ok": False, "error": "channel_not_found"}))
    sent = delivery.post_message("C7", "hi")
    assert (sent.ok, sent.error, sent.attempts, waits) == (False, "channel_not_found", 1, [])


# -- configuration and start-up ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xapp-wrong-kind"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xoxb-wrong-kind"}, "SLACK_APP_TOKEN"),
        (
            {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "s", "SLACK_PORT": "x"},
            "SLACK_PORT",
        ),
        (
            {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "slack"},
            "SLACK_API_URL",
        ),
        (
            {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": "s",
                "SLACK_REQUEST_TIMEOUT": "x",
            },
            "SLACK_REQUEST_TIMEOUT",
        ),
        (
            {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "s", "SLACK_WORKERS": "0"},
            "SLACK_WORKERS",
        ),
    ],
)
def test_bad_settings_are_one_clear_line_without_the_token(env: dict[str, str], names: str) -> None:
    with pytest.raises(slack.SlackConfigError) as caught:
        slack.SlackSettings.from_env(env)
    message = str(caught.value)
    assert names in message
    assert "\n" not in message
    assert BOT_TOKEN not in message and "wrong-kind" not in message


def test_settings_never_show_tokens_in_repr() -> None:
    settings = slack.SlackSettings.from_env(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": "http://127.0.0.1:9/api",
        }
    )
    assert settings.port == 3000 and not settings.socket_mode
    assert settings.api_url == "http://127.0.0.1:9/api/"
    assert BOT_TOKEN not in repr(settings) and SIGNING_SECRET not in repr(settings)


@pytest.mark.server
def test_slack_bot_refuses_an_empty_signing_secret(api: FakeSlackApi) -> None:
    with pytest.raises(slack.SlackConfigError):
        slack.SlackBot(FailingService(RuntimeError()), slack.web_client(BOT_TOKEN, api.api_url), "")


@pytest.mark.server
def test_run_uses_socket_mode_when_an_app_token_is_set(
    api: FakeSlackApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    handlers: list[tuple[App, str]] = []

    class FakeSocketMode:
        def __init__(self, app: App, app_token: str) -> None:
            handlers.append((app, app_token))

        def start(self) -> None:
            pass

    monkeypatch.setattr(slack, "SocketModeHandler", FakeSocketMode)
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-1-A0-1-abc"}
    slack.run(FailingService(RuntimeError()), {**env, "SLACK_API_URL": api.api_url})
    ((app, app_token),) = handlers
    assert isinstance(app, App) and app_token == "xapp-1-A0-1-abc"
    assert [c.path for c in api.calls] == ["/api/auth.test"]  # SLACK_API_URL was used


@pytest.mark.server
def test_run_reports_a_token_slack_rejects_in_one_line(api: FakeSlackApi) -> None:
    env = {
        "SLACK_BOT_TOKEN": REJECTED_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api.api_url,
    }
    with pytest.raises(slack.SlackConfigError) as caught:
        slack.run(FailingService(RuntimeError()), env)
    assert "SLACK_BOT_TOKEN" in str(caught.value)
    assert REJECTED_TOKEN not in str(caught.value)


# -- the manifest -------------------------------------------------------------------------------


def test_manifest_declares_the_events_scopes_and_ask_command() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert manifest["features"]["bot_user"]["display_name"]
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read",
        "chat:write",
        "im:history",
        "im:read",
        "commands",
    }
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    assert settings["event_subscriptions"]["request_url"].endswith("/slack/events")
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/ask" and command["url"].endswith("/slack/events")
    assert settings["socket_mode_enabled"] is False
