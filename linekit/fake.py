"""A fake LINE Messaging API platform: a real HTTP server on 127.0.0.1 for tests and benchmarks.

The bot's line-bot-sdk v3 client builds every URL as ``configuration.host + resource_path``
(``linebot/v3/messaging/api_client.py``), so pointing ``LINE_API_HOST`` at ``FakeLinePlatform.url``
sends all Messaging API calls here. Each response leaves in one write, so a reply takes the
fake well under a millisecond, not a delayed-ACK stall. The fake answers the way LINE does:

- ``POST /v2/bot/message/reply`` and ``/v2/bot/message/push`` -> 200
  ``{"sentMessages": [{"id": ..., "quoteToken": ...}, ...]}``, one entry per message;
- ``GET /v2/bot/info`` -> the bot's info (its ``userId`` is ``bot_user_id``);
- ``GET /v2/bot/profile/{userId}`` (and group/room member profiles) -> a profile;
- ``POST /v2/bot/chat/loading/start`` -> 202 ``{}``;
- anything else -> 404 ``{"message": "Not found"}`` (still recorded).

Every response carries an ``x-line-request-id`` header. Validation follows LINE where it is cheap:
a missing ``Authorization: Bearer`` header gets 401; more than 5 messages, a text over 5000
characters, an ``altText`` over 1500, more than 13 quick-reply items or a label over 20 characters
(`linekit.limits`, counted in UTF-16 units as LINE counts them) get 400 with LINE's error shape ``{"message": ..., "details": [{"message", "property"}]}``; a
reply token used twice gets 400 ``Invalid reply token``; a push repeating an accepted
``X-Line-Retry-Key`` gets 409 with ``x-line-accepted-request-id``.

Faults for the reliability tests: ``fail_next(mode, times=1, delay=...)`` with modes
``invalid_reply_token``, ``429``, ``500``, ``slow`` (sleep ``delay`` seconds, then answer
normally) and ``hang`` (never answer: wait until the client goes away, at most ``delay``
seconds, and take nothing from it, as when a request dies on the way with its sender).
By default a fault hits the next requests to ``/v2/bot/message/...``; pass ``path`` to aim it
elsewhere. A sequence of statuses is a sequence of ``fail_next`` calls. For the fault suite
(tests/test_faults.py): ``latency`` (seconds every message request waits before its answer,
as a slow LINE) and ``down()`` / ``up()`` (LINE unreachable: the port refuses connections,
and requests on connections already open are dropped unanswered).

Standalone, for ``python -m linekit.replay --url`` (the benchmark runs `bench.fakehost`)::

    python -m linekit.fake --port 8099    # prints its URL, serves until killed
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import secrets
import select
import signal
import socket
import sys
import threading
import time
import urllib.request
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from linekit.limits import (
    MAX_ALT_TEXT,
    MAX_LABEL,
    MAX_MESSAGES,
    MAX_QUICK_REPLY_ITEMS,
    MAX_TEXT,
    utf16_len,
)


class _Server(ThreadingHTTPServer):
    """The standard threading server with a listen backlog fit for a load test.

    Its default backlog of 5 makes the kernel reset connections when many clients connect at
    once on a busy machine; LINE's platform never refuses a burst like that.
    """

    request_queue_size = 128
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client that vanished (a killed worker, a closed pool) is normal, not a traceback."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


DEFAULT_BOT_USER_ID = "U0b07fa4e0b07fa4e0b07fa4e0b07fa4e"
DEFAULT_BOT_NAME = "planbot"
DEFAULT_SLOW_DELAY = 3.0
FAULT_MODES = ("invalid_reply_token", "429", "500", "slow", "hang")

REPLY_PATH = "/v2/bot/message/reply"
PUSH_PATH = "/v2/bot/message/push"
MESSAGE_PREFIX = "/v2/bot/message/"

# Message types LINE returns a quoteToken for (flex, template, location... cannot be quoted).
QUOTABLE_TYPES = frozenset({"text", "sticker", "image", "video"})

#: For clients of the fake: straight to 127.0.0.1, never through a proxy named in the environment.
LOCAL_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

PROFILE_PATH = re.compile(
    r"^/v2/bot/(?:profile/(?P<user>[^/]+)|(?:group|room)/[^/]+/member/(?P<member>[^/]+))$"
)


@dataclass
class RecordedRequest:
    """One request the fake received, and how it answered."""

    method: str
    path: str  # without the query string
    headers: dict[str, str]  # header names lower-cased
    body: bytes
    json: Any  # parsed body, or None when empty or not JSON
    received_at: float  # time.time() when the request arrived
    status: int = 0  # status the fake answered with
    response: Any = None  # JSON the fake answered with
    query: str = ""

    @property
    def messages(self) -> list[dict]:
        """The `messages` of a reply or push body (empty for other requests)."""
        if isinstance(self.json, dict) and isinstance(self.json.get("messages"), list):
            return self.json["messages"]
        return []

    @property
    def reply_token(self) -> str | None:
        """The `replyToken` of a reply body."""
        if isinstance(self.json, dict):
            token = self.json.get("replyToken")
            return token if isinstance(token, str) else None
        return None


@dataclass
class _Fault:
    mode: str
    remaining: int
    delay: float
    path: str | None  # exact path, or None for any /v2/bot/message/ request

    def applies_to(self, path: str) -> bool:
        if self.path is None:
            return path.startswith(MESSAGE_PREFIX)
        return path == self.path


@dataclass
class _Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class LineApiError(Exception):
    """A request LINE would refuse; becomes LINE's error JSON."""

    def __init__(self, status: int, message: str, details: list[dict] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []

    def to_json(self) -> dict:
        body: dict[str, Any] = {"message": self.message}
        if self.details:
            body["details"] = self.details
        return body


def _validation_error(details: list[dict]) -> LineApiError:
    return LineApiError(400, f"The request body has {len(details)} error(s)", details)


#: The text each message type must carry, and LINE's limit on its length.
REQUIRED_TEXT = {
    "text": ("text", MAX_TEXT),
    "flex": ("altText", MAX_ALT_TEXT),
    "template": ("altText", MAX_ALT_TEXT),
    "imagemap": ("altText", MAX_ALT_TEXT),
}


def _too_long(limit: int, prop: str) -> dict:
    return {"message": f"Length must be between 0 and {limit}", "property": prop}


def validate_messages(messages: Any) -> list[dict]:
    """LINE's checks on a `messages` array, as error details (empty when valid)."""
    if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
        return [{"message": f"Size must be between 1 and {MAX_MESSAGES}", "property": "messages"}]
    details = []
    for i, message in enumerate(messages):
        where = f"messages[{i}]"
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            details.append({"message": "must be specified", "property": f"{where}.type"})
            continue
        if message["type"] in REQUIRED_TEXT:
            key, limit = REQUIRED_TEXT[message["type"]]
            value = message.get(key)
            if not isinstance(value, str) or not value:
                details.append({"message": "must be specified", "property": f"{where}.{key}"})
            elif utf16_len(value) > limit:
                details.append(_too_long(limit, f"{where}.{key}"))
        quick = message.get("quickReply")
        if quick is not None:
            details.extend(_quick_reply_errors(quick, f"{where}.quickReply"))
    return details


def _quick_reply_errors(quick: Any, where: str) -> list[dict]:
    items = quick.get("items") if isinstance(quick, dict) else None
    if not isinstance(items, list) or len(items) > MAX_QUICK_REPLY_ITEMS:
        return [
            {
                "message": f"Size must be between 0 and {MAX_QUICK_REPLY_ITEMS}",
                "property": f"{where}.items",
            }
        ]
    details = []
    for j, item in enumerate(items):
        action = item.get("action") if isinstance(item, dict) else None
        label = action.get("label") if isinstance(action, dict) else None
        if isinstance(label, str) and utf16_len(label) > MAX_LABEL:
            details.append(_too_long(MAX_LABEL, f"{where}.items[{j}].action.label"))
    return details


class FakeLinePlatform:
    """A real HTTP server on 127.0.0.1 that plays the LINE Messaging API.

    Use it as a context manager, or call `start()` and `stop()`::

        with FakeLinePlatform() as fake:
            app = create_app({"LINE_API_HOST": fake.url, ...})
            ...
            assert fake.replies()[0].messages[0]["text"]
    """

    def __init__(
        self,
        port: int = 0,
        host: str = "127.0.0.1",
        bot_user_id: str = DEFAULT_BOT_USER_ID,
        bot_name: str = DEFAULT_BOT_NAME,
    ):
        self.host = host
        self.port = port
        self.bot_user_id = bot_user_id
        self.bot_name = bot_name
        self._records: list[RecordedRequest] = []
        self._faults: deque[_Fault] = deque()
        self._used_reply_tokens: set[str] = set()
        self._accepted_retry_keys: dict[str, tuple[str, list[dict]]] = {}
        self._message_ids = itertools.count(100000000000000001)
        self._cond = threading.Condition()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        #: Seconds every message request waits before it is answered (a slow LINE).
        self.latency = 0.0
        self._down = False

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL to give the bot as LINE_API_HOST, e.g. ``http://127.0.0.1:40123``."""
        if self._server is None:
            raise RuntimeError("FakeLinePlatform is not started")
        return f"http://{self.host}:{self.port}"

    def start(self) -> FakeLinePlatform:
        """Bind the port (a free one unless given) and serve in a background thread."""
        if self._server is not None:
            return self
        handler = type("BoundHandler", (_Handler,), {"platform": self})
        self._server = _Server((self.host, self.port), handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-line-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeLinePlatform:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def down(self) -> None:
        """LINE unreachable: refuse connections on the port, drop requests on open ones."""
        with self._cond:
            self._down = True
        self.stop()

    def up(self) -> None:
        """LINE back, on the same port."""
        with self._cond:
            self._down = False
        self.start()

    @property
    def is_down(self) -> bool:
        """True between `down()` and `up()`."""
        return self._down

    # -- inspection --------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._cond:
            return list(self._records)

    def requests_for(self, path: str, method: str | None = None) -> list[RecordedRequest]:
        """Requests to exactly `path` (query string ignored), optionally of one method."""
        with self._cond:
            return [
                r
                for r in self._records
                if r.path == path and (method is None or r.method == method.upper())
            ]

    def replies(self) -> list[RecordedRequest]:
        """Requests to POST /v2/bot/message/reply, answered or refused, oldest first."""
        return self.requests_for(REPLY_PATH, "POST")

    def pushes(self) -> list[RecordedRequest]:
        """Requests to POST /v2/bot/message/push, oldest first."""
        return self.requests_for(PUSH_PATH, "POST")

    def clear(self) -> None:
        """Forget recorded requests, pending faults, used reply tokens and retry keys."""
        with self._cond:
            self._records.clear()
            self._faults.clear()
            self._used_reply_tokens.clear()
            self._accepted_retry_keys.clear()

    def wait_until(self, predicate, timeout: float = 2.0) -> bool:
        """Wait until `predicate(list_of_requests)` is true; False if `timeout` passes first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self._records):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
            return True

    def wait_for(
        self, count: int, timeout: float = 2.0, path: str | None = None
    ) -> list[RecordedRequest]:
        """Wait until at least `count` requests (to `path`, if given) are recorded and answered.

        Returns those requests; raises TimeoutError naming what did arrive.
        """

        def matching(records):
            return [r for r in records if r.status and (path is None or r.path == path)]

        if not self.wait_until(lambda records: len(matching(records)) >= count, timeout):
            got = [f"{r.method} {r.path} -> {r.status}" for r in matching(self.requests)]
            raise TimeoutError(
                f"expected {count} request(s){' to ' + path if path else ''} within "
                f"{timeout}s, got {len(got)}: {got}"
            )
        with self._cond:
            return matching(self._records)

    # -- faults ------------------------------------------------------------------------------

    def fail_next(
        self,
        mode: str,
        times: int = 1,
        delay: float = DEFAULT_SLOW_DELAY,
        path: str | None = None,
    ) -> None:
        """Make the next `times` message requests (or requests to `path`) fail in `mode`.

        Modes: ``invalid_reply_token`` (400), ``429``, ``500``, ``slow`` (wait `delay` seconds,
        then answer normally), ``hang`` (no answer; the request is dropped when its client
        goes away or after `delay` seconds). Faults queue up in the order given.
        """
        mode = str(mode)
        if mode not in FAULT_MODES:
            raise ValueError(f"unknown fault mode {mode!r}; choose one of {FAULT_MODES}")
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._cond:
            self._faults.append(_Fault(mode, times, delay, path))

    def _take_fault(self, path: str) -> _Fault | None:
        with self._cond:
            for fault in self._faults:
                if fault.applies_to(path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    # -- request handling (called from server threads) ---------------------------------------

    def _record(self, record: RecordedRequest) -> None:
        with self._cond:
            self._records.append(record)
            self._cond.notify_all()

    def _answered(self, record: RecordedRequest, answer: _Answer) -> None:
        with self._cond:
            record.status = answer.status
            record.response = answer.body
            self._cond.notify_all()

    def _handle(self, record: RecordedRequest, gone=None) -> _Answer | None:
        """Decide LINE's answer to one request (None: no answer at all). `gone(timeout)`
        tells whether the client went away (for ``hang``)."""
        if self.latency and record.path.startswith(MESSAGE_PREFIX):
            time.sleep(self.latency)
        fault = self._take_fault(record.path)
        if fault is not None:
            if fault.mode == "hang":
                deadline = time.monotonic() + fault.delay
                while time.monotonic() < deadline:
                    if gone is None:
                        time.sleep(0.2)
                    elif gone(0.2):
                        break
                return None
            if fault.mode == "slow":
                time.sleep(fault.delay)
            elif fault.mode == "invalid_reply_token":
                return _Answer(400, {"message": "Invalid reply token"})
            elif fault.mode == "429":
                return _Answer(
                    429, {"message": "The API rate limit has been exceeded. Try again later."}
                )
            elif fault.mode == "500":
                return _Answer(500, {"message": "An error occurred in the server"})
        try:
            return self._route(record)
        except LineApiError as error:
            return _Answer(error.status, error.to_json())

    def _route(self, record: RecordedRequest) -> _Answer:
        auth = record.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or not auth[len("Bearer ") :].strip():
            raise LineApiError(
                401,
                "Authentication failed. Confirm that the access token in the authorization "
                "header is valid.",
            )
        method, path = record.method, record.path
        if method == "POST" and path == REPLY_PATH:
            return self._reply(record)
        if method == "POST" and path == PUSH_PATH:
            return self._push(record)
        if method == "GET" and path == "/v2/bot/info":
            return _Answer(
                200,
                {
                    "userId": self.bot_user_id,
                    "basicId": "@000fake",
                    "displayName": self.bot_name,
                    "chatMode": "bot",
                    "markAsReadMode": "auto",
                },
            )
        match = PROFILE_PATH.match(path)
        if method == "GET" and match:
            user_id = match.group("user") or match.group("member")
            return _Answer(200, {"displayName": "ครูทดสอบ", "userId": user_id, "language": "th"})
        if method == "POST" and path == "/v2/bot/chat/loading/start":
            body = record.json if isinstance(record.json, dict) else {}
            if not isinstance(body.get("chatId"), str):
                raise _validation_error([{"message": "must be specified", "property": "chatId"}])
            return _Answer(202, {})
        return _Answer(404, {"message": "Not found"})

    def _parsed_body(self, record: RecordedRequest) -> dict:
        if not isinstance(record.json, dict):
            raise LineApiError(400, "The request body could not be parsed as JSON")
        return record.json

    def _sent_messages(self, messages: list[dict]) -> list[dict]:
        sent = []
        for message in messages:
            entry = {"id": str(next(self._message_ids))}
            if message.get("type") in QUOTABLE_TYPES:
                entry["quoteToken"] = secrets.token_urlsafe(24)
            sent.append(entry)
        return sent

    def _reply(self, record: RecordedRequest) -> _Answer:
        body = self._parsed_body(record)
        token = body.get("replyToken")
        if not isinstance(token, str) or not token:
            raise _validation_error([{"message": "must be specified", "property": "replyToken"}])
        details = validate_messages(body.get("messages"))
        if details:
            raise _validation_error(details)
        with self._cond:
            # LINE accepts each reply token once.
            if token in self._used_reply_tokens:
                raise LineApiError(400, "Invalid reply token")
            self._used_reply_tokens.add(token)
        return _Answer(200, {"sentMessages": self._sent_messages(body["messages"])})

    def _push(self, record: RecordedRequest) -> _Answer:
        body = self._parsed_body(record)
        if not isinstance(body.get("to"), str) or not body["to"]:
            raise _validation_error([{"message": "must be specified", "property": "to"}])
        details = validate_messages(body.get("messages"))
        if details:
            raise _validation_error(details)
        retry_key = record.headers.get("x-line-retry-key")
        if retry_key is not None:
            try:
                uuid.UUID(retry_key)
            except ValueError:
                raise LineApiError(400, "The retry key is invalid") from None
        with self._cond:
            if retry_key is not None and retry_key in self._accepted_retry_keys:
                request_id, sent = self._accepted_retry_keys[retry_key]
                return _Answer(
                    409,
                    {"message": "The retry key is already accepted", "sentMessages": sent},
                    {"x-line-accepted-request-id": request_id},
                )
            sent = self._sent_messages(body["messages"])
            if retry_key is not None:
                self._accepted_retry_keys[retry_key] = (record.headers["x-line-request-id"], sent)
        return _Answer(200, {"sentMessages": sent})


class _Handler(BaseHTTPRequestHandler):
    """Turns HTTP requests into `RecordedRequest`s and the platform's answers into responses."""

    platform: FakeLinePlatform  # set on the subclass made by FakeLinePlatform.start
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's urllib3 pool expects
    server_version = "FakeLINE/1.0"
    # One write per response: headers and body go into the buffer, and `handle_one_request`
    # flushes it once the handler returns. Unbuffered (the default), the headers and the body
    # left in two sends, and Nagle's algorithm held the body back until the client's delayed
    # ACK of the headers, about 40 ms on Linux: every reply looked 40 ms slower than it was.
    wbufsize = 64 * 1024
    # And no Nagle delay for a response larger than the buffer (written in several sends).
    disable_nagle_algorithm = True

    def _serve(self) -> None:
        if self.platform.is_down:
            self.close_connection = True  # LINE unreachable: the connection just ends
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        path, _, query = self.path.partition("?")
        headers = {name.lower(): value for name, value in self.headers.items()}
        request_id = uuid.uuid4().hex
        # Kept with the request so a 409 can name the request that first used a retry key.
        headers["x-line-request-id"] = request_id
        record = RecordedRequest(
            method=self.command,
            path=path,
            headers=headers,
            body=body,
            json=parsed,
            received_at=time.time(),
            query=query,
        )
        self.platform._record(record)
        answer = self.platform._handle(record, self._client_gone)
        if answer is None or self.platform.is_down:
            self.close_connection = True
            return
        payload = json.dumps(answer.body, ensure_ascii=False).encode("utf-8")
        # Record the answer before sending it, so a client that has its response can
        # already read the status back.
        self.platform._answered(record, answer)
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-line-request-id", request_id)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def _client_gone(self, timeout: float) -> bool:
        """True once the client closed its end (a read returns nothing)."""
        ready, _, _ = select.select([self.connection], [], [], timeout)
        if not ready:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        """Stay quiet: tests read the records, not the log."""


def main(argv: list[str] | None = None) -> int:
    """Serve a fake LINE platform until killed; print its URL first."""
    parser = argparse.ArgumentParser(
        prog="python -m linekit.fake",
        description="Fake LINE Messaging API on 127.0.0.1. Example: python -m linekit.fake "
        "--port 8099, then start the bot with LINE_API_HOST=http://127.0.0.1:8099",
    )
    parser.add_argument("--port", type=int, default=0, help="port to bind (default: a free one)")
    parser.add_argument("--verbose", action="store_true", help="print each request to stderr")
    args = parser.parse_args(argv)

    fake = FakeLinePlatform(port=args.port).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(fake.url, flush=True)
    seen = 0
    try:
        while not stop.wait(0.2):
            if args.verbose:
                records = fake.requests
                while seen < len(records) and records[seen].status:  # answered ones, in order
                    r = records[seen]
                    print(f"{r.method} {r.path} -> {r.status}", file=sys.stderr, flush=True)
                    seen += 1
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
