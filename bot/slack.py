"""The Slack app: mentions, DMs and `/ask` become questions; answers go back as Block Kit.

Thin by design: it turns Slack's events into a question and a `Conversation`, calls `Service.ask`,
and turns the `Answer` into blocks posted in the question's thread. Listeners only queue the
work, so Slack gets its ack at once; a bounded pool answers and posts (`bot/workers.py`), with
retries (`bot/slack_delivery.py`). Over HTTP, `bot/slack_server.py` checks every request before
Bolt sees it. This module adds what Bolt does not: one answer per event even when Slack retries,
other bots ignored, and no token or secret-looking word ever written into a reply or a log line
(`bot/redact.py`).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, replace
from secrets import token_hex
from typing import Any, Protocol

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.error import BoltError
from slack_sdk import WebClient

from bot.answer import Answer
from bot.conversation import Conversation
from bot.redact import RedactingFormatter, Redactor
from bot.slack_delivery import Delivery, Outcome, RetryPolicy
from bot.slack_server import ServerLimits
from bot.workers import Workers
from index.errors import BotError

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
DEFAULT_PORT = 3000
DEFAULT_HOST = "0.0.0.0"
MAX_QUESTION_CHARS = 2000
SECTION_LIMIT = 3000  # Block Kit's limit for a section's text
CONTEXT_ELEMENTS_LIMIT = 10  # Block Kit's limit for a context block
SEEN_EVENTS_LIMIT = 10_000
THREADS_LIMIT = 1_000
ANSWER_WORKERS = 2  # table answers are CPU-bound Python: more threads only slow the acks
MAX_PENDING = 500  # questions queued or being answered; beyond it people are told to retry

HELP_TEXT = (
    "Ask me about the earnings release, for example `what was Q3 DSO?` — mention me in a "
    "channel, send me a direct message, or use `/ask`. Reply in the thread for a follow-up."
)
TOO_LONG_TEXT = "That question is too long ({n:,} characters); please keep it under {limit:,}."
FAILED_TEXT = "Sorry, something went wrong while answering that; the error has been logged."
NOT_FOUND_NOTE = ":information_source: The release does not hold this answer, so none was guessed."
SECRET_NOTE = (
    ":warning: Part of your message looked like a token or secret, so I left it out and will "
    "not repeat it. If it was a real one, revoke it."
)
SECRET_ONLY_TEXT = "That message looked like a token or secret, so I left it out. " + HELP_TEXT
POST_FAILED_TEXT = (
    "Sorry, I could not post my answer here (Slack said `{error}`). Please ask again in a moment."
)
BUSY_TEXT = "I am answering many questions right now; please ask again in a minute."

_MARKUP = re.compile(r"<([^<>]*)>")


class SlackConfigError(BotError):
    """The Slack settings are missing or wrong; says which variable to set, never its value."""


class Asker(Protocol):
    """What the Slack app needs from the bot: `Service` satisfies it."""

    def ask(self, question: str, conversation: Conversation | None = None) -> Answer: ...


@dataclass(frozen=True)
class SlackSettings:
    """The Slack app's environment, checked once so a mistake is one clear line at start-up."""

    bot_token: str = field(repr=False)
    signing_secret: str = field(repr=False)
    app_token: str | None = field(repr=False)
    port: int
    host: str = DEFAULT_HOST
    api_url: str | None = None
    limits: ServerLimits = ServerLimits()
    workers: int = ANSWER_WORKERS

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SlackSettings:
        e = os.environ if env is None else env

        def get(name: str) -> str:
            return (e.get(name) or "").strip()

        bot_token, app_token = _tokens(get("SLACK_BOT_TOKEN"), get("SLACK_APP_TOKEN") or None)
        signing_secret = get("SLACK_SIGNING_SECRET")
        if not app_token and not signing_secret:
            raise SlackConfigError(
                "SLACK_SIGNING_SECRET is not set: copy it from the app's Basic Information page "
                "(the HTTP server needs it to verify Slack's requests), or set SLACK_APP_TOKEN "
                "for Socket Mode."
            )
        return cls(
            bot_token,
            signing_secret,
            app_token,
            _whole("SLACK_PORT", get("SLACK_PORT") or str(DEFAULT_PORT), 65535, "a port number"),
            get("SLACK_HOST") or DEFAULT_HOST,
            _api_url(get("SLACK_API_URL")),
            _limits(get("SLACK_REQUEST_TIMEOUT")),
            _whole("SLACK_WORKERS", get("SLACK_WORKERS") or str(ANSWER_WORKERS), 64, "a number"),
        )


def _tokens(bot_token: str, app_token: str | None) -> tuple[str, str | None]:
    if not bot_token:
        raise SlackConfigError(
            "SLACK_BOT_TOKEN is not set: install the app from slack/manifest.yaml and "
            "export its Bot User OAuth Token (xoxb-...)."
        )
    if not bot_token.startswith("xoxb-"):
        raise SlackConfigError("SLACK_BOT_TOKEN does not look like a bot token (xoxb-...).")
    if app_token and not app_token.startswith("xapp-"):
        raise SlackConfigError("SLACK_APP_TOKEN does not look like an app-level token (xapp-...).")
    return bot_token, app_token


def _whole(name: str, raw: str, most: int, what: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) <= most:
        raise SlackConfigError(f"{name} must be {what} (1-{most}), not {raw!r}.")
    return int(raw)


def _api_url(raw: str) -> str | None:
    if not raw:
        return None
    if not raw.startswith(("http://", "https://")):
        raise SlackConfigError(
            "SLACK_API_URL must be an http(s) URL such as https://slack.com/api/."
        )
    return raw.rstrip("/") + "/"


def _limits(raw_timeout: str) -> ServerLimits:
    limits = ServerLimits()
    if not raw_timeout:
        return limits
    try:
        seconds = float(raw_timeout)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 300:
        raise SlackConfigError(
            f"SLACK_REQUEST_TIMEOUT must be seconds (0-300], not {raw_timeout!r}."
        )
    return replace(limits, request_timeout_s=seconds)


class SeenEvents:
    """A bounded, thread-safe set of event ids: Slack retries an event it thinks we missed."""

    def __init__(self, limit: int = SEEN_EVENTS_LIMIT) -> None:
        self._limit = limit
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        """True once per id; the oldest ids are forgotten past the limit."""
        with self._lock:
            if event_id in self._seen:
                return False
            self._seen[event_id] = None
            while len(self._seen) > self._limit:
                self._seen.popitem(last=False)
            return True


class Threads:
    """Conversations by (channel, thread_ts), bounded and thread-safe: follow-ups keep context."""

    def __init__(self, limit: int = THREADS_LIMIT) -> None:
        self._limit = limit
        self._conversations: OrderedDict[Hashable, Conversation] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Conversation:
        with self._lock:
            conversation = self._conversations.get(key)
            if conversation is None:
                return Conversation()
            self._conversations.move_to_end(key)
            return conversation

    def put(self, key: Hashable, conversation: Conversation) -> None:
        with self._lock:
            self._conversations[key] = conversation
            self._conversations.move_to_end(key)
            while len(self._conversations) > self._limit:
                self._conversations.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._conversations)


def clean_question(text: str) -> str:
    """The question as typed: mentions and broadcasts gone, links and channels as their labels."""

    def plain(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith("@") or target.startswith("!"):
            # Mentions and <!here>-style broadcasts carry no meaning for a question;
            # only <!date^...|fallback> has a readable label worth keeping.
            return label if target.startswith("!date") else " "
        if target.startswith("#"):
            return f"#{label}" if label else " "
        return label or target

    text = _MARKUP.sub(plain, text)
    # Slack escapes exactly these three; &amp; last so "&amp;lt;" stays "&lt;" as typed.
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split()).lstrip(":,; ").strip()


def _mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as markup, so "< 10%" shows as printed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def answer_blocks(answer: Answer) -> list[dict[str, Any]]:
    """Block Kit for an answer: the text first, then its sources, then a note when not found."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": _clip(_mrkdwn(answer.text), SECTION_LIMIT)},
        }
    ]
    sources = list(dict.fromkeys(c.short() for c in answer.citations))
    if sources:
        shown = sources[: CONTEXT_ELEMENTS_LIMIT - 1]
        elements = [
            {"type": "mrkdwn", "text": _clip(f":page_facing_up: {_mrkdwn(s)}", SECTION_LIMIT)}
            for s in shown
        ]
        if len(sources) > len(shown):
            elements.append({"type": "mrkdwn", "text": f"and {len(sources) - len(shown)} more"})
        blocks.append({"type": "context", "elements": elements})
    if not answer.found:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": NOT_FOUND_NOTE}]})
    return blocks


def _note_blocks(text: str) -> list[dict[str, Any]]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, SECTION_LIMIT)}}]


@dataclass(frozen=True)
class Reply:
    """What goes back to Slack: a plain `text` for notifications and the blocks to show."""

    text: str
    blocks: list[dict[str, Any]]
    answered: bool = False


class SlackBot:
    """The Bolt app and its listeners: questions in, queued answers out, state bounded."""

    def __init__(
        self,
        service: Asker,
        client: WebClient,
        signing_secret: str,
        *,
        secrets: tuple[str, ...] = (),
        workers: Workers | None = None,
        retry: RetryPolicy | None = None,
        token_verification_enabled: bool = True,
    ) -> None:
        if not signing_secret:
            # Bolt would verify against an empty key, which anyone can forge.
            raise SlackConfigError("A signing secret is required to verify Slack's requests.")
        self.service = service
        self.redactor = Redactor(tuple(s for s in (*secrets, client.token, signing_secret) if s))
        self.delivery = Delivery(client, retry)
        self.workers = workers or Workers(ANSWER_WORKERS, MAX_PENDING, "slack-answer")
        self.threads = Threads()
        self.seen = SeenEvents()
        # Bolt's own logger speaks from WARNING up; quiet while it is built, since Bolt also
        # reads SLACK_BOT_TOKEN itself and warns that the client's (same) token wins.
        bolt_log = logging.getLogger("slack_bolt.earnings-bot")
        bolt_log.setLevel(logging.ERROR)
        try:
            self.app = App(
                name="earnings-bot",
                logger=bolt_log,
                client=client,
                signing_secret=signing_secret,
                # Listeners only queue work, so running them before the response costs nothing.
                process_before_response=True,
                token_verification_enabled=token_verification_enabled,
            )
        finally:
            bolt_log.setLevel(logging.WARNING)
        self.app.use(self.dedupe)
        self.app.event("app_mention")(self.on_mention)
        self.app.event("message")(self.on_message)
        self.app.command("/ask")(self.on_ask_command)

    def close(self, timeout: float) -> None:
        """Let queued answers finish (up to `timeout` seconds), then stop the workers."""
        pending = self.workers.pending
        if not self.workers.close(timeout) and pending:
            log.warning("stopped with %d question(s) still unanswered", self.workers.pending)

    # -- turning a question into a reply ------------------------------------------------

    def reply_to(self, raw_text: str, key: Hashable) -> Reply:
        """Clean, check, ask and format; every failure becomes a plain sentence, never a raise."""
        question, suspects = self.redactor.take_out(clean_question(raw_text or ""))
        if not question:
            return self._note(SECRET_ONLY_TEXT if suspects else HELP_TEXT)
        if len(question) > MAX_QUESTION_CHARS:
            return self._note(TOO_LONG_TEXT.format(n=len(question), limit=MAX_QUESTION_CHARS))
        conversation = self.threads.get(key)
        try:
            answer = self.service.ask(question, conversation)
        except BotError as exc:
            return self._note(str(exc) or FAILED_TEXT, suspects)
        except Exception as exc:
            # The traceback goes to the log redacted: an exception's message may quote a secret.
            trace = "".join(traceback.format_exception(exc))
            log.error(
                "answering a Slack question failed:\n%s", self.redactor.answer(trace, suspects)
            )
            return self._note(FAILED_TEXT)
        self.threads.put(key, conversation.add(answer))
        text = self.redactor.answer(answer.text, suspects)
        blocks = self._scrub(answer_blocks(replace(answer, text=text)), suspects)
        if suspects:
            blocks.append(_context(SECRET_NOTE))
        return Reply(text, blocks, answered=True)

    def _note(self, text: str, suspects: tuple[str, ...] = ()) -> Reply:
        text = self.redactor.answer(text, suspects)
        return Reply(text, _note_blocks(_mrkdwn(text)))

    def _scrub(
        self, blocks: list[dict[str, Any]], suspects: tuple[str, ...]
    ) -> list[dict[str, Any]]:
        """Redact every text inside the blocks: sources and quotes come from outside our control."""

        def walk(node: Any) -> Any:
            if isinstance(node, dict):
                return {k: walk(v) for k, v in node.items()}
            if isinstance(node, list):
                return [walk(v) for v in node]
            return self.redactor.answer(node, suspects) if isinstance(node, str) else node

        return walk(blocks)

    # -- listeners: quick, they only queue -----------------------------------------------

    def dedupe(self, req: BoltRequest, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        """Answer each event once: Slack resends it (X-Slack-Retry-Num) when our ack was slow."""
        retry = (req.headers.get("x-slack-retry-num") or [None])[0]
        event_id = req.body.get("event_id") if isinstance(req.body, dict) else None
        if event_id and not self.seen.first_time(str(event_id)):
            log.info("skipping repeated event %s (retry %s)", event_id, retry or "none")
            return BoltResponse(status=200, body="")
        if retry and not event_id:
            log.info("skipping a retried request without an event id (retry %s)", retry)
            return BoltResponse(status=200, body="")
        next()
        return None

    def on_mention(self, event: dict[str, Any]) -> None:
        if _from_a_bot(event):
            return
        self._queue_event(event)

    def on_message(self, event: dict[str, Any]) -> None:
        # Only plain messages a person typed in a DM; edits, joins and bots are not questions.
        if event.get("channel_type") != "im" or _from_a_bot(event):
            return
        if event.get("subtype") not in (None, "thread_broadcast"):
            return
        self._queue_event(event)

    def on_ask_command(self, ack: Callable[..., Any], command: dict[str, Any]) -> None:
        """`/ask`: queue the question and ack at once (Slack waits 3 s); answered in the channel."""
        channel = str(command.get("channel_id") or "")
        user = str(command.get("user_id") or "")
        text = str(command.get("text") or "")
        url = str(command.get("response_url") or "")
        received = time.perf_counter()
        # A slash command has no thread; the asker's slash turns in a channel form one conversation.
        key = (channel, f"/ask:{user}")
        queued = self.workers.submit(
            key, lambda: self._answer_command(channel, user, text, url, received)
        )
        if queued:
            ack()
        else:
            log.warning("too busy: refused /ask in %s", channel)
            ack(text=BUSY_TEXT)

    def _queue_event(self, event: dict[str, Any]) -> None:
        channel = str(event.get("channel") or "")
        thread_ts = str(event.get("thread_ts") or event.get("ts") or "")
        if not channel or not thread_ts:
            return
        text = str(event.get("text") or "")
        received = time.perf_counter()
        job = lambda: self._answer_event(channel, thread_ts, text, received)  # noqa: E731
        if not self.workers.submit((channel, thread_ts), job):
            log.warning("too busy: refused a question in %s thread %s", channel, thread_ts)
            self.delivery.post_message(channel, BUSY_TEXT, thread_ts=thread_ts, attempts=1)

    # -- the queued work: answer, post, log one line ------------------------------------

    def _answer_event(self, channel: str, thread_ts: str, text: str, received: float) -> None:
        reply = self.reply_to(text, (channel, thread_ts))
        sent = self.delivery.post_message(channel, reply.text, reply.blocks, thread_ts)
        if not sent.ok:
            note = self.delivery.post_message(
                channel, POST_FAILED_TEXT.format(error=sent.error), thread_ts=thread_ts, attempts=2
            )
            if not note.ok:
                log.error(
                    "could not tell %s thread %s that posting failed (%s): %s",
                    channel,
                    thread_ts,
                    sent.error,
                    note.error,
                )
        _log_answered(f"{channel} thread {thread_ts}", reply, sent, received)

    def _answer_command(
        self, channel: str, user: str, text: str, url: str, received: float
    ) -> None:
        reply = self.reply_to(text, (channel, f"/ask:{user}"))
        blocks = list(reply.blocks)
        if reply.answered:
            asked, _ = self.redactor.take_out(clean_question(text))
            blocks.append(_context(f"<@{user}> asked: {_mrkdwn(asked)}"))
        payload = {
            "text": reply.text,
            "blocks": blocks,
            "response_type": "in_channel" if reply.answered else "ephemeral",
        }
        if url:
            sent = self.delivery.respond(url, payload)
        else:
            sent = self.delivery.post_message(channel, reply.text, blocks)
        if not sent.ok and channel and user:
            note = self.delivery.post_ephemeral(
                channel, user, POST_FAILED_TEXT.format(error=sent.error)
            )
            if not note.ok:
                log.error(
                    "could not tell %s in %s that /ask failed (%s): %s",
                    user,
                    channel,
                    sent.error,
                    note.error,
                )
        _log_answered(f"/ask in {channel}", reply, sent, received)


def _log_answered(where: str, reply: Reply, sent: Outcome, received: float) -> None:
    """The one line per answered question: where, what, how long, whether it reached Slack."""
    ms = (time.perf_counter() - received) * 1000
    kind = "an answer" if reply.answered else "a note"
    if sent.ok:
        log.info("replied in %s with %s in %.0f ms", where, kind, ms)
    else:
        log.warning(
            "could not reply in %s with %s after %d attempt(s) (%s), %.0f ms",
            where,
            kind,
            sent.attempts,
            sent.error,
            ms,
        )


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(text, SECTION_LIMIT)}]}


def _from_a_bot(event: dict[str, Any]) -> bool:
    return bool(event.get("bot_id")) or event.get("subtype") == "bot_message"


def web_client(
    token: str, api_url: str | None = None, retry: RetryPolicy | None = None
) -> WebClient:
    """The Web API client: `api_url` for a stand-in; retries are `Delivery`'s, not the SDK's."""
    kwargs: dict[str, Any] = {"base_url": api_url} if api_url else {}
    timeout = (retry or RetryPolicy()).timeout_s
    return WebClient(token=token, timeout=timeout, retry_handlers=[], **kwargs)


def configure_logging(redactor: Redactor, level: int = logging.INFO) -> None:
    """Redacted lines on stderr: the bot's from `level` up, other libraries' from WARNING up."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(redactor))
    handler._bot_slack = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_bot_slack", False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("bot").setLevel(level)


def run(
    service: Asker,
    settings_env: Mapping[str, str] | None = None,
    *,
    client: WebClient | None = None,
) -> None:
    """`bot slack`: Socket Mode when SLACK_APP_TOKEN is set, else an HTTP server on SLACK_PORT.

    Raises `SlackConfigError` (one plain line) when a token is missing or Slack rejects it, and
    `PortInUse` when the port is taken.
    """
    settings = SlackSettings.from_env(settings_env)
    known = tuple(s for s in (settings.bot_token, settings.signing_secret, settings.app_token) if s)
    configure_logging(Redactor(known))
    # Socket Mode needs no signing secret; a random one keeps the unused HTTP path unforgeable.
    secret = settings.signing_secret or token_hex(32)
    web = client or web_client(settings.bot_token, settings.api_url)
    try:
        workers = Workers(settings.workers, MAX_PENDING, "slack-answer")
        bot = SlackBot(service, web, secret, secrets=known, workers=workers)
    except BoltError:
        raise SlackConfigError(
            "Slack rejected SLACK_BOT_TOKEN (auth.test failed): check the token and that the "
            "app is installed in the workspace."
        ) from None
    except OSError as exc:
        raise SlackConfigError(
            f"Could not reach Slack to check SLACK_BOT_TOKEN ({type(exc).__name__})."
        ) from None
    if settings.socket_mode:
        log.info("Slack app connecting in Socket Mode")
        try:
            SocketModeHandler(bot.app, settings.app_token).start()
        finally:
            bot.close(settings.limits.shutdown_grace_s)
        return
    from bot.slack_server import SlackHttp, bind, serve

    sock = bind(settings.host, settings.port)
    http = SlackHttp(
        bot.app,
        secret,
        limits=settings.limits,
        path=EVENTS_PATH,
        on_shutdown=lambda: bot.close(settings.limits.shutdown_grace_s),
    )
    log.info(
        "Slack app listening on http://%s:%d%s (%d answer workers)",
        settings.host,
        settings.port,
        EVENTS_PATH,
        bot.workers.size,
    )
    serve(http, sock)
