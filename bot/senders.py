"""Sending to LINE: `LineSender` through the Messaging API, `LocalSender` to the log.

Both have `reply(token, messages, kind, deadline=None)`, `push(to, messages, kind,
retry_key, deadline=None)` and `show_loading(chat_id)`; `messages` are LINE's JSON as dicts
(`bot.messages.line_json`). They return the final HTTP status: 200 on success (a push's 409,
"retry key already accepted", counts as success and is returned as 200), LINE's 4xx when it
refused the request, and the last 429, 5xx or 0 (LINE not reached) when retries ran out.

Retries follow LINE's guidance: a 429 or 5xx, a timeout or a refused connection is tried
again with exponential backoff and jitter (0.5 s doubling to 2 s) until `deadline`
(`time.monotonic()`; for a reply, while its token lives). A push reuses one
`X-Line-Retry-Key` across its retries, so LINE delivers it at most once. A reply cannot
carry a retry key: if a reply timed out after LINE got it, the retry is refused with
"Invalid reply token", and the log says the answer may have been delivered.

`LineSender` posts the JSON itself, byte for byte what line-bot-sdk's `MessagingApi` sends
(tests/test_senders.py compares the bodies and headers on the wire), without building and
validating SDK models for every event, over one kept-alive `http.client` connection per
thread (urllib3's pool, the SDK's transport, cost about 180 us of CPU more per call: a
quarter of what a reply costs the bot outside the engine). As urllib3 does, a kept
connection that the server closed meanwhile is noticed before it is reused (readable at
EOF) and replaced; a connection that fails during a call is dropped, and the call counts as
LINE not reached (status 0, retried by the rules above). LINE's errors are logged (status,
request id, LINE's short message; never the messages) and swallowed, never the request.
"""

from __future__ import annotations

import collections
import http.client
import json
import logging
import os
import random
import select
import ssl
import threading
import time
from urllib.parse import urlsplit

from linebot.__about__ import __version__ as SDK_VERSION

# The webhook's log lines keep the logger name they have always had, whichever module writes them.
logger = logging.getLogger("bot.webhook")

DEFAULT_HOST = "https://api.line.me"
REPLY_PATH = "/v2/bot/message/reply"
PUSH_PATH = "/v2/bot/message/push"
LOADING_PATH = "/v2/bot/chat/loading/start"
#: Backoff between tries: the first wait, and the longest (each drawn with jitter).
FIRST_BACKOFF = 0.5
MAX_BACKOFF = 2.0
#: An attempt is not started with less time than this left before the deadline.
MIN_ATTEMPT = 0.2
#: How long LINE shows the loading animation at most (a multiple of 5, 5 to 60).
LOADING_SECONDS = 20

_jitter = random.Random()


def retryable(status: int) -> bool:
    """True for a failure LINE says to retry: 429, 5xx, or LINE not reached (0)."""
    return status == 0 or status == 429 or status >= 500


def outcome_unknown(status: int) -> bool:
    """True when a failed try may still have reached LINE (a timeout, a 5xx): a reply
    retried after it can be refused because that try delivered it. A 429 was not taken."""
    return retryable(status) and status != 429


class Counts:
    """Thread-safe counters of what happened to LINE calls and events (for /metrics)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: collections.Counter = collections.Counter()

    def add(self, name: str, amount: int = 1) -> None:
        """Count `amount` more of `name`."""
        with self._lock:
            self._counts[name] += amount

    def snapshot(self) -> dict[str, int]:
        """The counts so far, sorted by name."""
        with self._lock:
            return dict(sorted(self._counts.items()))


class LineSender:
    """Sends replies, pushes and loading animations through the Messaging API, with retries."""

    def __init__(
        self,
        access_token: str,
        host: str | None = None,
        timeout: float = 5.0,
        counts: Counts | None = None,
        sleep=time.sleep,
    ):
        self.base = (host or DEFAULT_HOST).rstrip("/")
        self.timeout = timeout
        self.counts = counts or Counts()
        self._sleep = sleep
        self._connections = _Connections(self.base)
        # The headers line-bot-sdk sends (its ApiClient's defaults and its bearer token).
        self._headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Authorization": f"Bearer {access_token}",
            "User-Agent": f"line-bot-sdk-python/{SDK_VERSION}",
        }

    def reply(self, reply_token: str, messages: list, kind: str,
              deadline: float | None = None, tries: int | None = None,
              unsure: bool = False) -> int:
        """Reply, retrying until `deadline`; the final status (see the module docstring).
        With `tries`, at most that many tries: the caller retries a retryable status later,
        passing `unsure` when that earlier try may have reached LINE (`outcome_unknown`)."""
        body = {"replyToken": reply_token, "messages": messages, "notificationDisabled": False}
        return self._send("reply", REPLY_PATH, body, {}, deadline, tries, unsure)

    def push(self, to: str, messages: list, kind: str, retry_key: str,
             deadline: float | None = None) -> int:
        """Push with `retry_key` (one for all tries: LINE delivers it once); 409 is success."""
        body = {"to": to, "messages": messages, "notificationDisabled": False}
        status = self._send("push", PUSH_PATH, body, {"X-Line-Retry-Key": retry_key}, deadline)
        return 200 if status == 409 else status

    def show_loading(self, chat_id: str, seconds: int = LOADING_SECONDS) -> int:
        """Show the loading animation in a one-to-one chat (one try, short timeout)."""
        body = {"chatId": chat_id, "loadingSeconds": seconds}
        return self._attempt("loading", LOADING_PATH, body, {}, min(self.timeout, 2.0))

    def _send(self, operation: str, path: str, body: dict, headers: dict,
              deadline: float | None, max_tries: int | None = None,
              unsure: bool = False) -> int:
        """Try, and retry retryable failures with backoff while `deadline` allows (and at
        most `max_tries` times). `unsure`: a try before this call may have reached LINE."""
        payload_headers = headers
        backoff = FIRST_BACKOFF
        tries = 0
        first_unsure = unsure  # an earlier try may have reached LINE (timeout, 5xx)
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            timeout = self.timeout if left is None else max(min(self.timeout, left), MIN_ATTEMPT)
            status = self._attempt(operation, path, body, payload_headers, timeout)
            tries += 1
            if status in (200, 202) or (operation == "push" and status == 409):
                if tries > 1:
                    logger.warning("LINE %s went through on try %d", operation, tries)
                return status
            if not retryable(status):
                if first_unsure and operation == "reply" and status == 400:
                    logger.warning(
                        "LINE reply refused on try %d after a try whose outcome is unknown; "
                        "the answer may have been delivered by that try", tries
                    )
                return status
            if max_tries is not None and tries >= max_tries:
                return status  # the caller carries on (bot.runtime hands it to its pool)
            first_unsure = first_unsure or outcome_unknown(status)
            wait = _jitter.uniform(backoff / 2, backoff)
            if deadline is None or time.monotonic() + wait + MIN_ATTEMPT > deadline:
                logger.warning("LINE %s given up after %d tries (last status %s)",
                               operation, tries, status)
                return status
            self.counts.add("line_retries")
            self._sleep(wait)
            backoff = min(backoff * 2, MAX_BACKOFF)

    def _attempt(self, operation: str, path: str, body: dict, headers: dict,
                 timeout: float) -> int:
        """One request; its HTTP status, or 0 when LINE could not be reached."""
        data = json.dumps(body).encode("utf-8")  # the SDK's serialisation (ASCII escapes)
        try:
            status, response_headers, answer = self._connections.post(
                path, data, {**self._headers, **headers},
                connect_timeout=min(timeout, 2.0), read_timeout=timeout,
            )
        except (OSError, http.client.HTTPException) as error:  # timeouts, refusals, resets
            logger.error("LINE %s failed: %s", operation, type(error).__name__)
            return 0
        if status >= 300 and not (operation == "push" and status == 409):
            logger.error(
                "LINE %s failed: status=%s request_id=%s message=%s",
                operation,
                status,
                response_headers.get("x-line-request-id"),
                _line_error_message(answer),
            )
        return status


class _Connections:
    """Kept-alive HTTP(S) connections to one base URL, one per thread (and per process: a
    connection from before a fork is never used again)."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"LINE_API_HOST must be an http(s) URL, got {base!r}")
        self.https = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port
        self.prefix = parts.path.rstrip("/")
        self._local = threading.local()
        self._context = ssl.create_default_context() if self.https else None

    def post(self, path: str, data: bytes, headers: dict, connect_timeout: float,
             read_timeout: float) -> tuple[int, http.client.HTTPMessage, bytes]:
        """POST `data`; (status, response headers, response body). Raises OSError or
        http.client.HTTPException when the server was not reached or the call broke off."""
        connection = self._connection(connect_timeout)
        try:
            connection.sock.settimeout(read_timeout)
            connection.request("POST", self.prefix + path, body=data, headers=headers)
            response = connection.getresponse()
            answer = response.read()
        except BaseException:
            self._drop()
            raise
        if response.will_close:
            self._drop()
        return response.status, response.headers, answer

    def _connection(self, connect_timeout: float) -> http.client.HTTPConnection:
        """This thread's open connection, or a new one (connected within `connect_timeout`)."""
        local = self._local
        connection = getattr(local, "connection", None)
        if connection is not None and (local.pid != os.getpid() or _dropped(connection.sock)):
            self._drop()
            connection = None
        if connection is None:
            if self.https:
                connection = http.client.HTTPSConnection(
                    self.host, self.port, timeout=connect_timeout, context=self._context)
            else:
                connection = http.client.HTTPConnection(self.host, self.port,
                                                        timeout=connect_timeout)
            connection.connect()
            local.connection, local.pid = connection, os.getpid()
        return connection

    def _drop(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None and self._local.pid == os.getpid():
            connection.close()


def _dropped(sock) -> bool:
    """True when a kept connection's socket is gone, or readable while no request is in
    flight (the server closed it, or sent something unasked): it must not be reused."""
    if sock is None:
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class LocalSender:
    """Local mode: logs each reply (the bot's own words, not the user's) instead of sending it."""

    def reply(self, reply_token: str, messages: list, kind: str,
              deadline: float | None = None, tries: int | None = None,
              unsure: bool = False) -> int:
        """Log the reply that would have been sent."""
        logger.info(
            "local mode, not sent: reply kind=%s %s",
            kind,
            json.dumps(messages, ensure_ascii=False),
        )
        return 200

    def push(self, to: str, messages: list, kind: str, retry_key: str,
             deadline: float | None = None) -> int:
        """Log the push that would have been sent."""
        return self.reply("", messages, kind)

    def show_loading(self, chat_id: str, seconds: int = LOADING_SECONDS) -> int:
        """Nothing to show in local mode."""
        return 202


def _line_error_message(body) -> str | None:
    """LINE's error `message` field (e.g. "Invalid reply token"), short; never the request."""
    try:
        message = json.loads(body).get("message")
    except Exception:
        return None
    return str(message)[:200] if message else None
