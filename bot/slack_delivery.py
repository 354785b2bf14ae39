"""Posting to Slack, retried the way Slack asks: on 429 after its Retry-After, on a 5xx or a
dropped connection after a short backoff, a bounded number of times. A permanent refusal
(`not_in_channel`, `invalid_blocks`) is not retried; the caller decides what to tell the user."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: `attempts` in all, waits doubling from `backoff_s`, Retry-After capped."""

    attempts: int = 4
    backoff_s: float = 0.5
    max_wait_s: float = 30.0
    timeout_s: int = 10  # per HTTP call


@dataclass(frozen=True)
class Outcome:
    """What became of a post: `error` is Slack's error code or the exception's name."""

    ok: bool
    error: str = ""
    attempts: int = 1


@dataclass(frozen=True)
class _Try:
    ok: bool
    error: str = ""
    retry_after: float | None = None  # None: permanent; 0: back off; >0: the server's wait


class Delivery:
    """Sends messages and `response_url` replies with `policy`'s retries."""

    def __init__(
        self,
        client: WebClient,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.policy = policy or RetryPolicy()
        self.sleep = sleep

    def post_message(
        self,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]] | None = None,
        thread_ts: str | None = None,
        *,
        attempts: int | None = None,
    ) -> Outcome:
        def once() -> None:
            self.client.chat_postMessage(
                channel=channel,
                text=text,
                blocks=blocks,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
            )

        return self._retry(lambda: _api_try(once), attempts)

    def post_ephemeral(self, channel: str, user: str, text: str) -> Outcome:
        def once() -> None:
            self.client.chat_postEphemeral(channel=channel, user=user, text=text)

        return self._retry(lambda: _api_try(once), None)

    def respond(self, url: str, payload: Mapping[str, Any]) -> Outcome:
        """A slash command's reply through its `response_url`."""
        hook = WebhookClient(url, timeout=self.policy.timeout_s, retry_handlers=[])

        def once() -> _Try:
            try:
                sent = hook.send_dict(dict(payload))
            except (OSError, HTTPException) as exc:
                return _Try(False, type(exc).__name__, 0.0)
            if sent.status_code == 200:
                return _Try(True)
            return _http_try(sent.status_code, sent.headers or {}, f"HTTP {sent.status_code}")

        return self._retry(once, None)

    def _retry(self, attempt: Callable[[], _Try], attempts: int | None) -> Outcome:
        limit = max(1, attempts or self.policy.attempts)
        n = 0
        while True:
            n += 1
            tried = attempt()
            if tried.ok or tried.retry_after is None or n >= limit:
                return Outcome(tried.ok, tried.error, n)
            wait = tried.retry_after or self.policy.backoff_s * 2 ** (n - 1)
            log.info("Slack post failed (%s); retry %d in %.1f s", tried.error, n, wait)
            self.sleep(min(wait, self.policy.max_wait_s))


def _api_try(call: Callable[[], None]) -> _Try:
    try:
        call()
    except SlackApiError as exc:
        response = exc.response
        data = response.data if isinstance(response.data, dict) else {}
        error = str(data.get("error") or f"HTTP {response.status_code}")
        if error in TRANSIENT_ERRORS and response.status_code < 500:
            return _Try(False, error, _retry_after(response.headers or {}) or 0.0)
        return _http_try(response.status_code, response.headers or {}, error)
    except (OSError, HTTPException) as exc:  # refused, reset, timed out: worth another try
        return _Try(False, type(exc).__name__, 0.0)
    return _Try(True)


def _http_try(status: int, headers: Mapping[str, Any], error: str) -> _Try:
    if status == 429:
        return _Try(False, error, _retry_after(headers) or 0.0)
    if status >= 500:
        return _Try(False, error, 0.0)
    return _Try(False, error, None)


def _retry_after(headers: Mapping[str, Any]) -> float | None:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                return None
    return None
