"""The Slack app, tested for real without Slack: the Bolt app serves HTTP on 127.0.0.1, requests
are signed the way Slack signs them, and the Web API is a local server that records every call."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import BaseServer
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import yaml
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot import slack
from bot.answer import Answer, Citation, Value
from bot.conversation import Conversation
from bot.service import Service
from index.errors import BadQuestion

BOT_TOKEN = "xoxb-1234-test-bot-token-do-not-echo"
SIGNING_SECRET = "test-signing-secret-5f1c0e9d"
VERIFICATION_TOKEN = "legacy-verification-token-77"
BOT_USER = "UBOT0001"
BOT_ID = "BBOT0001"
REJECTED_TOKEN = "xoxb-rejected-by-the-fake-api"
WAIT_S = 120.0  # every request and wait is bounded; generous for a cold index
MANIFEST = Path(__file__).resolve().parent.parent / "slack" / "manifest.yaml"


# -- a local stand-in for Slack's Web API ---------------------------------------------------


@dataclass
class Call:
    path: str
    payload: dict[str, Any]
    raw: str


@dataclass
class FakeSlackApi:
    """Records chat.postMessage and response_url posts; answers auth.test with a fake bot user."""

    calls: list[Call] = field(default_factory=list)
    cond: threading.Condition = field(default_factory=threading.Condition)
    base: str = ""

    def record(self, call: Call) -> None:
        with self.cond:
            self.calls.append(call)
            self.cond.notify_all()

    def posts(self) -> list[dict[str, Any]]:
        """Every reply the bot sent: chat.postMessage and response_url posts alike."""
        with self.cond:
            return [c.payload for c in self.calls if _is_reply(c.path)]

    def raw_bodies(self) -> list[str]:
        with self.cond:
            return [c.raw for c in self.calls]

    def wait_for_posts(self, n: int, timeout: float = WAIT_S) -> list[dict[str, Any]]:
        """The replies once there are `n` of them, or whatever came before the deadline."""
        deadline = time.monotonic() + timeout
        with self.cond:
            self.cond.wait_for(
                lambda: sum(_is_reply(c.path) for c in self.calls) >= n,
                timeout=max(0.0, deadline - time.monotonic()),
            )
        return self.posts()


def _is_reply(path: str) -> bool:
    return path.endswith("/chat.postMessage") or path.startswith("/respond/")


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
            api.record(Call(self.path, payload, raw))
            if self.path.startswith("/respond/"):
                self._send(200, "ok", "text/plain")
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
            elif self.path.endswith("/chat.postMessage"):
                ts = f"1800000000.{next(counter):06d}"
                self._send(200, json.dumps({"ok": True, "ts": ts, "channel": payload["channel"]}))
            else:
                self._send(200, json.dumps({"ok": False, "error": "unknown_method"}))

        def _send(self, status: int, body: str, ctype: str = "application/json") -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def running(server: BaseServer) -> Iterator[None]:
    """`server` answering on a thread of its own until the block ends."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def api() -> Iterator[FakeSlackApi]:
    fake = FakeSlackApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(fake))
    server.daemon_threads = True
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    with running(server):
        yield fake


def web_client(api: FakeSlackApi, token: str = BOT_TOKEN) -> WebClient:
    return WebClient(token=token, base_url=f"{api.base}/api/", timeout=30)


# -- the bot's HTTP endpoint, served the way Slack reaches it -------------------------------


class RecordingService:
    """The real service, with each question and the conversation it came with written down."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[tuple[str, Conversation | None]] = []

    def ask(self, question: str, conversation: Conversation | None = None) -> Answer:
        self.calls.append((question, conversation))
        return self.inner.ask(question, conversation)


@pytest.fixture(scope="module")
def service() -> Service:
    return Service.open()


@dataclass
class BotEndpoint:
    url: str
    service: Any

    def post(
        self,
        body: str,
        *,
        content_type: str = "application/json",
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        """POST as Slack does: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}` with the secret."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        sig = (
            signature
            or "v0="
            + hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
        )
        request = urllib.request.Request(
            self.url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sig,
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=WAIT_S) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def event(self, event: dict[str, Any], event_id: str | None = None, **kw: Any) -> int:
        envelope = {
            "token": VERIFICATION_TOKEN,
            "team_id": "T0001",
            "api_app_id": "A0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0001", "user_id": BOT_USER, "is_bot": True}],
        }
        status, _ = self.post(json.dumps(envelope), **kw)
        return status

    def slash(self, text: str, response_url: str, user: str = "UASKER1") -> tuple[int, str]:
        form = {
            "token": VERIFICATION_TOKEN,
            "team_id": "T0001",
            "channel_id": "C0001",
            "channel_name": "finance",
            "user_id": user,
            "user_name": "asker",
            "command": "/ask",
            "text": text,
            "api_app_id": "A0001",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
        return self.post(
            urllib.parse.urlencode(form), content_type="application/x-www-form-urlencoded"
        )


_ids = itertools.count(1)
_stamps = itertools.count(100)


def new_ts() -> str:
    return f"1700000000.{next(_stamps):06d}"


class _QuietWsgi(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(app: App, service: Any) -> Iterator[BotEndpoint]:
    """The app behind a WSGI server on 127.0.0.1, as Slack's Events API would reach it."""
    server: WSGIServer = make_server(
        "127.0.0.1", 0, SlackRequestHandler(app), handler_class=_QuietWsgi
    )
    with running(server):
        yield BotEndpoint(f"http://127.0.0.1:{server.server_port}/slack/events", service)


@pytest.fixture
def bot(api: FakeSlackApi, service: Service) -> Iterator[BotEndpoint]:
    """The real service behind the real Bolt app, answering before the HTTP response."""
    recording = RecordingService(service)
    app = slack.build_app(
        recording, BOT_TOKEN, SIGNING_SECRET, client=web_client(api), process_before_response=True
    )
    with serve(app, recording) as endpoint:
        yield endpoint


def mention(text: str, ts: str | None = None, thread_ts: str | None = None) -> dict[str, Any]:
    ts = ts or new_ts()
    event = {
        "type": "app_mention",
        "user": "UASKER1",
        "text": text,
        "ts": ts,
        "channel": "C0001",
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


# -- security: only Slack's signed, fresh requests reach the bot ----------------------------


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
    assert bot.event(mention(f"<@{BOT_USER}> what was Q3 DSO?"), secret="not-the-secret") == 401
    assert bot.event(mention(f"<@{BOT_USER}> what was Q3 DSO?"), signature="v0=" + "0" * 64) == 401
    assert api.posts() == []
    assert bot.service.calls == []


@pytest.mark.server
def test_stale_timestamp_is_refused_with_401(bot: BotEndpoint, api: FakeSlackApi) -> None:
    stale = int(time.time()) - 10 * 60
    assert bot.event(mention(f"<@{BOT_USER}> what was Q3 DSO?"), timestamp=stale) == 401
    assert api.posts() == []


@pytest.mark.server
def test_unsigned_url_verification_is_refused(bot: BotEndpoint) -> None:
    body = json.dumps({"challenge": "c-9", "type": "url_verification"})
    status, text = bot.post(body, signature="v0=forged")
    assert status == 401
    assert "c-9" not in text


# -- mentions, threads and conversations ----------------------------------------------------


@pytest.mark.server
def test_mention_is_answered_once_in_its_thread_as_blocks(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    ts = new_ts()
    assert bot.event(mention(f"<@{BOT_USER}> what was Q3 DSO?", ts=ts)) == 200
    (post,) = api.posts()
    assert post["channel"] == "C0001"
    assert post["thread_ts"] == ts
    assert post["text"]
    first = post["blocks"][0]
    assert first["type"] == "section" and first["text"]["type"] == "mrkdwn"
    assert bot.service.calls[0][0] == "what was Q3 DSO?"


@pytest.mark.server
def test_mention_answer_gives_q3_dso_with_its_table_source(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    bot.event(mention(f"<@{BOT_USER}> what was Q3 DSO?"))
    (post,) = api.posts()
    assert "74 days" in post["text"]
    assert "74 days" in post["blocks"][0]["text"]["text"]
    contexts = [b for b in post["blocks"][1:] if b["type"] == "context"]
    sources = " ".join(e["text"] for b in contexts for e in b["elements"])
    assert "Supplemental Financial Information" in sources
    assert "line 493" in sources


@pytest.mark.server
def test_retried_event_is_answered_once(bot: BotEndpoint, api: FakeSlackApi) -> None:
    event = mention(f"<@{BOT_USER}> what was Q3 DSO?")
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
    bot.event(mention(f"<@{BOT_USER}> what was Q3 DSO?", ts=root))
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
    assert [t.question for t in follow_up.turns] == ["what was Q3 DSO?"]
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
def test_direct_message_is_answered_in_its_thread(bot: BotEndpoint, api: FakeSlackApi) -> None:
    event = dm("what was Q3 DSO?")
    assert bot.event(event) == 200
    (post,) = api.posts()
    assert post["channel"] == "D0001"
    assert post["thread_ts"] == event["ts"]
    assert bot.service.calls[0][0] == "what was Q3 DSO?"


@pytest.mark.server
def test_own_and_other_bots_messages_and_non_questions_are_ignored(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    ignored = [
        dm("DSO was 74 days in Q3 2012", user=BOT_USER, bot_id=BOT_ID),  # the bot itself
        dm("what was Q3 DSO?", subtype="bot_message", bot_id="BOTHER01", user=None),
        dm("what was Q3 DSO?", bot_id="BOTHER01", user="UOTHERBOT"),
        {**mention(f"<@{BOT_USER}> what was Q3 DSO?"), "bot_id": "BOTHER01"},
        dm("what was Q3 DSO?", subtype="message_changed"),
        {**dm("what was Q3 DSO?"), "channel_type": "channel", "channel": "C0001"},
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


# -- /ask ------------------------------------------------------------------------------------


@pytest.mark.server
def test_slash_command_acks_then_answers_in_the_channel(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    status, _ = bot.slash("what was Q3 DSO?", f"{api.base}/respond/1")
    assert status == 200
    (post,) = api.posts()
    assert post["response_type"] == "in_channel"
    assert post["blocks"][0]["type"] == "section"
    assert "what was Q3 DSO?" in all_text(post["blocks"][-1])
    assert bot.service.calls[0][0] == "what was Q3 DSO?"


@pytest.mark.server
def test_slash_command_answers_q3_dso(bot: BotEndpoint, api: FakeSlackApi) -> None:
    bot.slash("what was Q3 DSO?", f"{api.base}/respond/2")
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


# -- failures and secrets ---------------------------------------------------------------------


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
    app = slack.build_app(
        FailingService(error),
        BOT_TOKEN,
        SIGNING_SECRET,
        client=web_client(api),
        process_before_response=True,
    )
    with serve(app, None) as endpoint:
        assert endpoint.event(mention(f"<@{BOT_USER}> what was Q3 DSO?")) == 200
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
    bot.event(mention(f"<@{BOT_USER}> what was Q3 DSO?", ts=root))
    bot.event(mention(f"<@{BOT_USER}> and in Q2?", thread_ts=root))
    bot.event(dm("what was Q3 DSO?"))
    bot.event(mention(f"<@{BOT_USER}>"))
    bot.slash("what was Q3 DSO?", f"{api.base}/respond/4")
    assert len(api.posts()) == 5
    for secret in (BOT_TOKEN, SIGNING_SECRET, VERIFICATION_TOKEN):
        assert all(secret not in raw for raw in api.raw_bodies())
    for secret in (BOT_TOKEN, SIGNING_SECRET):
        assert secret not in caplog.text


@pytest.mark.server
def test_a_token_pasted_into_a_question_is_never_echoed(
    bot: BotEndpoint, api: FakeSlackApi
) -> None:
    bot.event(mention(f"<@{BOT_USER}> what was Q3 DSO? {BOT_TOKEN}"))
    bot.event(mention(f"<@{BOT_USER}> {BOT_TOKEN} " + "x" * 2100))
    bot.slash(f"what was Q3 DSO? {BOT_TOKEN}", f"{api.base}/respond/6")
    assert len(api.posts()) == 3
    assert all(BOT_TOKEN not in raw for raw in api.raw_bodies())


@pytest.mark.server
def test_production_mode_acks_first_and_answers_after(api: FakeSlackApi, service: Service) -> None:
    recording = RecordingService(service)
    app = slack.build_app(recording, BOT_TOKEN, SIGNING_SECRET, client=web_client(api))
    with serve(app, recording) as endpoint:
        ts = new_ts()
        assert endpoint.event(mention(f"<@{BOT_USER}> what was Q3 DSO?", ts=ts)) == 200
        posts = api.wait_for_posts(1)
        assert [p["thread_ts"] for p in posts] == [ts]
        status, _ = endpoint.slash("what was Q3 DSO?", f"{api.base}/respond/5")
        assert status == 200
        assert len(api.wait_for_posts(2)) == 2


# -- pure parts: cleaning, formatting, bounded state ------------------------------------------


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


def test_redact_removes_token_shaped_strings_and_given_secrets() -> None:
    text = f"a {BOT_TOKEN} b xapp-1-A0-123-abc c {SIGNING_SECRET}"
    assert slack.redact(text, (SIGNING_SECRET,)) == "a [redacted] b [redacted] c [redacted]"


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
    ],
)
def test_bad_settings_are_one_clear_line_without_the_token(env: dict[str, str], names: str) -> None:
    with pytest.raises(slack.SlackConfigError) as caught:
        slack.SlackSettings.from_env(env)
    message = str(caught.value)
    assert names in message
    assert "\n" not in message
    assert BOT_TOKEN not in message and "wrong-kind" not in message


@pytest.mark.server
def test_build_app_refuses_an_empty_signing_secret(api: FakeSlackApi) -> None:
    with pytest.raises(slack.SlackConfigError):
        slack.build_app(FailingService(RuntimeError()), BOT_TOKEN, "", client=web_client(api))


def test_settings_never_show_tokens_in_repr() -> None:
    settings = slack.SlackSettings.from_env(
        {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
    )
    assert settings.port == 3000 and not settings.socket_mode
    assert BOT_TOKEN not in repr(settings) and SIGNING_SECRET not in repr(settings)


@pytest.mark.server
def test_run_serves_http_on_slack_port(api: FakeSlackApi, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(App, "start", lambda self, **kw: started.append(kw))
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_PORT": "3999",
    }
    slack.run(FailingService(RuntimeError()), env, client=web_client(api))
    assert started == [{"port": 3999, "path": "/slack/events"}]


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
    slack.run(FailingService(RuntimeError()), env, client=web_client(api))
    ((app, app_token),) = handlers
    assert isinstance(app, App) and app_token == "xapp-1-A0-1-abc"


@pytest.mark.server
def test_run_reports_a_token_slack_rejects_in_one_line(api: FakeSlackApi) -> None:
    env = {"SLACK_BOT_TOKEN": REJECTED_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
    with pytest.raises(slack.SlackConfigError) as caught:
        slack.run(FailingService(RuntimeError()), env, client=web_client(api, REJECTED_TOKEN))
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
