"""The Slack app: mentions, DMs and `/ask` become questions; answers go back as Block Kit.

Thin by design: it turns Slack's events into a question and a `Conversation`, calls `Service.ask`,
and turns the `Answer` into blocks posted in the question's thread. Security stays with Bolt's
defaults (request signatures and timestamps are verified, the bot's own events are ignored); this
module adds what Bolt does not: one answer per event even when Slack retries, other bots ignored,
and no token ever written into a reply.
"""

from __future__ import annotations

import logging
import os
import re
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
from slack_sdk.errors import SlackApiError

from bot.answer import Answer
from bot.conversation import Conversation
from index.errors import BotError

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
DEFAULT_PORT = 3000
MAX_QUESTION_CHARS = 2000
SECTION_LIMIT = 3000  # Block Kit's limit for a section's text
CONTEXT_ELEMENTS_LIMIT = 10  # Block Kit's limit for a context block
SEEN_EVENTS_LIMIT = 10_000
THREADS_LIMIT = 1_000

HELP_TEXT = (
    "Ask me about the earnings release, for example `what was Q3 DSO?` — mention me in a "
    "channel, send me a direct message, or use `/ask`. Reply in the thread for a follow-up."
)
TOO_LONG_TEXT = "That question is too long ({n:,} characters); please keep it under {limit:,}."
FAILED_TEXT = "Sorry, something went wrong while answering that; the error has been logged."
NOT_FOUND_NOTE = ":information_source: The release does not hold this answer, so none was guessed."

_TOKEN_SHAPE = re.compile(r"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+")
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

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SlackSettings:
        e = os.environ if env is None else env
        bot_token = (e.get("SLACK_BOT_TOKEN") or "").strip()
        signing_secret = (e.get("SLACK_SIGNING_SECRET") or "").strip()
        app_token = (e.get("SLACK_APP_TOKEN") or "").strip() or None
        if not bot_token:
            raise SlackConfigError(
                "SLACK_BOT_TOKEN is not set: install the app from slack/manifest.yaml and "
                "export its Bot User OAuth Token (xoxb-...)."
            )
        if not bot_token.startswith("xoxb-"):
            raise SlackConfigError("SLACK_BOT_TOKEN does not look like a bot token (xoxb-...).")
        if app_token and not app_token.startswith("xapp-"):
            raise SlackConfigError(
                "SLACK_APP_TOKEN does not look like an app-level token (xapp-...)."
            )
        if not app_token and not signing_secret:
            raise SlackConfigError(
                "SLACK_SIGNING_SECRET is not set: copy it from the app's Basic Information page "
                "(the HTTP server needs it to verify Slack's requests), or set SLACK_APP_TOKEN "
                "for Socket Mode."
            )
        raw_port = (e.get("SLACK_PORT") or "").strip() or str(DEFAULT_PORT)
        if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
            raise SlackConfigError(f"SLACK_PORT must be a port number (1-65535), not {raw_port!r}.")
        return cls(bot_token, signing_secret, app_token, int(raw_port))


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


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove anything token-shaped and the given secrets: no reply may ever carry a credential."""
    for secret in secrets:
        if len(secret) >= 8:  # a real secret is long; a short one would mangle ordinary words
            text = text.replace(secret, "[redacted]")
    return _TOKEN_SHAPE.sub("[redacted]", text)


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
    """The listeners behind `build_app`: questions in, replies out, state bounded."""

    def __init__(self, service: Asker, secrets: tuple[str, ...] = ()) -> None:
        self.service = service
        self.secrets = secrets
        self.threads = Threads()
        self.seen = SeenEvents()

    # -- turning a question into a reply ------------------------------------------------

    def reply_to(self, raw_text: str, key: Hashable) -> Reply:
        """Clean, check, ask and format; every failure becomes a plain sentence, never a raise."""
        question = clean_question(raw_text or "")
        if not question:
            return self._note(HELP_TEXT)
        if len(question) > MAX_QUESTION_CHARS:
            return self._note(TOO_LONG_TEXT.format(n=len(question), limit=MAX_QUESTION_CHARS))
        conversation = self.threads.get(key)
        try:
            answer = self.service.ask(question, conversation)
        except BotError as exc:
            return self._note(str(exc) or FAILED_TEXT)
        except Exception as exc:
            # The traceback goes to the log redacted: an exception's message may quote a secret.
            trace = "".join(traceback.format_exception(exc))
            log.error("answering a Slack question failed:\n%s", redact(trace, self.secrets))
            return self._note(FAILED_TEXT)
        self.threads.put(key, conversation.add(answer))
        text = redact(answer.text, self.secrets)
        blocks = _scrub(answer_blocks(replace(answer, text=text)), self.secrets)
        return Reply(text, blocks, answered=True)

    def _note(self, text: str) -> Reply:
        text = redact(text, self.secrets)
        return Reply(text, _note_blocks(_mrkdwn(text)))

    def _post(self, client: WebClient, channel: str, thread_ts: str, reply: Reply) -> None:
        try:
            client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=reply.text,
                blocks=reply.blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
        except Exception as exc:  # a failed post must not take the listener down
            log.error("posting to Slack channel %s failed: %s", channel, _why(exc))

    # -- listeners ------------------------------------------------------------------------

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

    def on_mention(self, event: dict[str, Any], client: WebClient) -> None:
        if _from_a_bot(event):
            return
        self._answer_event(event, client)

    def on_message(self, event: dict[str, Any], client: WebClient) -> None:
        # Only plain messages a person typed in a DM; edits, joins and bots are not questions.
        if event.get("channel_type") != "im" or _from_a_bot(event):
            return
        if event.get("subtype") not in (None, "thread_broadcast"):
            return
        self._answer_event(event, client)

    def _answer_event(self, event: dict[str, Any], client: WebClient) -> None:
        channel = str(event.get("channel") or "")
        thread_ts = str(event.get("thread_ts") or event.get("ts") or "")
        if not channel or not thread_ts:
            return
        started = time.perf_counter()
        reply = self.reply_to(str(event.get("text") or ""), (channel, thread_ts))
        self._post(client, channel, thread_ts, reply)
        log.info(
            "replied in %s thread %s with %s in %.0f ms",
            channel,
            thread_ts,
            "an answer" if reply.answered else "a note",
            (time.perf_counter() - started) * 1000,
        )

    def on_ask_command(
        self,
        ack: Callable[..., Any],
        command: dict[str, Any],
        respond: Callable[..., Any],
        client: WebClient,
    ) -> None:
        """`/ask`: ack at once (Slack waits 3 s), then answer in the channel for everyone."""
        ack()
        channel = str(command.get("channel_id") or "")
        user = str(command.get("user_id") or "")
        # A slash command has no thread; the asker's slash turns in a channel form one conversation.
        reply = self.reply_to(str(command.get("text") or ""), (channel, f"/ask:{user}"))
        blocks = list(reply.blocks)
        if reply.answered:
            asked = _mrkdwn(redact(clean_question(str(command.get("text") or "")), self.secrets))
            blocks.append(
                {
                    "type": "context",
                    "elements": [
                        {"type": "mrkdwn", "text": _clip(f"<@{user}> asked: {asked}", 3000)}
                    ],
                }
            )
        response_type = "in_channel" if reply.answered else "ephemeral"
        try:
            if command.get("response_url"):
                sent = respond(text=reply.text, blocks=blocks, response_type=response_type)
                if getattr(sent, "status_code", 200) != 200:
                    log.error("answering /ask in %s failed: HTTP %s", channel, sent.status_code)
            elif channel:
                client.chat_postMessage(channel=channel, text=reply.text, blocks=blocks)
        except Exception as exc:
            log.error("answering /ask in %s failed: %s", channel, _why(exc))


def _from_a_bot(event: dict[str, Any]) -> bool:
    return bool(event.get("bot_id")) or event.get("subtype") == "bot_message"


def _why(exc: Exception) -> str:
    """A failure's name for the log: Slack's error code when it gave one, never the request."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or "slack_api_error")
    return type(exc).__name__


def _scrub(blocks: list[dict[str, Any]], secrets: tuple[str, ...]) -> list[dict[str, Any]]:
    """Redact every text inside the blocks: sources and quotes come from outside our control."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return redact(node, secrets) if isinstance(node, str) else node

    return walk(blocks)


def build_app(
    service: Asker,
    token: str,
    signing_secret: str,
    client: WebClient | None = None,
    *,
    process_before_response: bool = False,
    token_verification_enabled: bool = True,
) -> App:
    """The Bolt app answering mentions, DMs and `/ask`.

    `client` replaces the Web API client (tests point it at a local server; its token wins).
    `process_before_response=True` answers before the HTTP response, so tests can assert at once;
    in production leave it False so Slack gets its ack within 3 seconds.
    """
    if not signing_secret:
        # Bolt would verify against an empty key, which anyone can forge.
        raise SlackConfigError("A signing secret is required to verify Slack's requests.")
    web = client if client is not None else WebClient(token=token)
    app = App(
        name="earnings-bot",
        client=web,
        signing_secret=signing_secret,
        process_before_response=process_before_response,
        token_verification_enabled=token_verification_enabled,
    )
    bot = SlackBot(service, secrets=tuple(s for s in (token, web.token, signing_secret) if s))
    app.use(bot.dedupe)
    app.event("app_mention")(bot.on_mention)
    app.event("message")(bot.on_message)
    app.command("/ask")(bot.on_ask_command)
    return app


def run(
    service: Asker,
    settings_env: Mapping[str, str] | None = None,
    *,
    client: WebClient | None = None,
) -> None:
    """`bot slack`: Socket Mode when SLACK_APP_TOKEN is set, else an HTTP server on SLACK_PORT.

    Raises `SlackConfigError` (one plain line) when a token is missing or Slack rejects it.
    """
    settings = SlackSettings.from_env(settings_env)
    # Socket Mode needs no signing secret; a random one keeps the unused HTTP path unforgeable.
    secret = settings.signing_secret or token_hex(32)
    try:
        app = build_app(service, settings.bot_token, secret, client=client)
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
        SocketModeHandler(app, settings.app_token).start()
    else:
        log.info("Slack app listening on port %d, path %s", settings.port, EVENTS_PATH)
        app.start(port=settings.port, path=EVENTS_PATH)
