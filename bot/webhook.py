"""The LINE webhook: `POST /callback` and `GET /healthz`, as the blueprint `bp`.

The request thread only checks the size, the signature (line-bot-sdk's
`SignatureValidator`, on the raw body) and the JSON, then hands the events to a small
thread pool and waits up to PLANBOT_REPLY_WAIT (1.5 s) for them. Replies are normally
sent before LINE gets its 200 (which keeps tests deterministic); anything slower goes on
in the background, so LINE always hears back within its 2 seconds.

Each event is parsed on its own with the SDK's `Event.from_dict`, so one event the SDK
cannot read does not cost the others their answers (`WebhookParser.parse` fails the whole
batch). Events from one conversation are handled in order, in one task.

Nothing secret or personal is logged at INFO: no token, no secret, no LINE id, no
message text. DEBUG adds message lengths.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from dataclasses import dataclass, field

from flask import Blueprint, abort, current_app, jsonify, request
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    PushMessageRequest,
    ReplyMessageRequest,
)
from linebot.v3.webhook import SignatureValidator
from linebot.v3.webhooks import (
    AudioMessageContent,
    Event,
    FileMessageContent,
    FollowEvent,
    GroupSource,
    ImageMessageContent,
    JoinEvent,
    LeaveEvent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    RoomSource,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
    VideoMessageContent,
)

from bot import messages as line_messages
from bot.config import hash_key, signing_secret
from bot.reply import State
from bot.state import StateStore

logger = logging.getLogger(__name__)

bp = Blueprint("webhook", __name__)

EXTENSION = "planbot"
MEDIA_CONTENT = (
    StickerMessageContent,
    ImageMessageContent,
    VideoMessageContent,
    AudioMessageContent,
    FileMessageContent,
    LocationMessageContent,
)
#: Reply kinds not worth a push when the reply itself fails (issue 7).
UNIMPORTANT_KINDS = frozenset({"greeting", "help", "thanks", "hint", "rate_limited", "error"})
RATE_LIMIT_NOTICE = "ขออภัย ส่งข้อความถี่เกินไป กรุณารอสักครู่แล้วค่อยถามใหม่ 🙏"
#: Characters allowed between the bot's name and the question ("บอท, วิสัยทัศน์คืออะไร").
_NAME_SEPARATORS = " \t\u3000,:;、，：-–—"


# -- routes ------------------------------------------------------------------------------------


@bp.post("/callback")
def callback():
    """Verify and accept one webhook delivery from LINE; reply to its events."""
    received = time.monotonic()  # LINE's 2 seconds count from here, not from the parse
    runtime: Runtime = current_app.extensions[EXTENSION]
    limit = current_app.config["PLANBOT_MAX_BODY"]
    if request.content_length is not None and request.content_length > limit:
        abort(413)
    if request.content_length is None and request.environ.get("wsgi.input_terminated"):
        # Chunked upload: Werkzeug would silently cut it at MAX_CONTENT_LENGTH; read one
        # byte past the limit ourselves so an oversized body is refused, not truncated.
        body = _read_at_most(request.environ["wsgi.input"], limit + 1)
    else:
        body = request.get_data(cache=False)  # Werkzeug refuses more than MAX_CONTENT_LENGTH
    if len(body) > limit:
        abort(413)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        abort(400)
    signature = request.headers.get("X-Line-Signature", "")
    if not signature or not runtime.validator.validate(text, signature):
        logger.warning("webhook: rejected a request with a missing or wrong signature")
        abort(400)
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        logger.warning("webhook: rejected a signed request whose body is not JSON")
        abort(400)
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        logger.warning("webhook: rejected a signed request without an events list")
        abort(400)
    try:
        runtime.dispatch(payload, received)
    except Exception:  # never a 500: LINE would retry, and the user would get nothing better
        logger.exception("webhook: dispatching events failed")
    return "OK"


@bp.get("/healthz")
def healthz():
    """Liveness and the index being served: build time, owners, passages. Nothing secret."""
    runtime: Runtime = current_app.extensions[EXTENSION]
    mode = "local" if current_app.config["PLANBOT_LOCAL_MODE"] else "line"
    try:
        info = runtime.engine().info
    except Exception:
        logger.exception("healthz: the answer engine is not available")
        return jsonify(status="unavailable", mode=mode, index=None), 503
    index = {key: info.get(key) for key in ("built_at", "owners", "passages")}
    return jsonify(status="ok", mode=mode, index=index)


def _read_at_most(stream, size: int) -> bytes:
    """Up to `size` bytes of a WSGI input stream (reads may return less than asked)."""
    parts, total = [], 0
    while total < size:
        chunk = stream.read(min(64 * 1024, size - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def _plain_error(error):
    """Short error pages that never echo the request."""
    return f"{error.code} {error.name}\n", error.code, {"Content-Type": "text/plain"}


def init_app(app) -> None:
    """Attach the webhook runtime (state store, LINE client, thread pool) to `app`."""
    app.extensions[EXTENSION] = Runtime(app.config)
    for code in (400, 404, 405, 413):
        app.register_error_handler(code, _plain_error)


# -- sending -----------------------------------------------------------------------------------


class LineSender:
    """Sends replies and pushes through the Messaging API; logs and swallows LINE's errors."""

    def __init__(self, access_token: str, host: str | None = None, timeout: float = 5.0):
        configuration = Configuration(access_token=access_token, host=host or None)
        self.api = MessagingApi(ApiClient(configuration))
        self.timeout = timeout

    def reply(self, reply_token: str, messages: list, kind: str) -> int:
        """Reply; returns the HTTP status (200 on success, 0 when LINE could not be reached)."""
        request_body = ReplyMessageRequest(reply_token=reply_token, messages=messages)
        return self._call(
            "reply",
            lambda: self.api.reply_message(request_body, _request_timeout=self.timeout),
        )

    def push(self, to: str, messages: list, kind: str, retry_key: str) -> int:
        """Push (the fallback when a reply failed); `retry_key` makes LINE deliver it once."""
        request_body = PushMessageRequest(to=to, messages=messages)
        return self._call(
            "push",
            lambda: self.api.push_message(
                request_body, x_line_retry_key=retry_key, _request_timeout=self.timeout
            ),
        )

    @staticmethod
    def _call(operation: str, send) -> int:
        try:
            send()
        except ApiException as error:
            logger.error(
                "LINE %s failed: status=%s request_id=%s message=%s",
                operation,
                error.status,
                _header(error.headers, "x-line-request-id"),
                _line_error_message(error.body),
            )
            return int(error.status or 0)
        except Exception as error:  # timeouts, refused connections: urllib3's own classes
            logger.error("LINE %s failed: %s", operation, type(error).__name__)
            return 0
        return 200


class LocalSender:
    """Local mode: logs each reply (the bot's own words, not the user's) instead of sending it."""

    def reply(self, reply_token: str, messages: list, kind: str) -> int:
        """Log the reply that would have been sent."""
        body = [message.to_dict() for message in messages]
        logger.info(
            "local mode, not sent: reply kind=%s %s",
            kind,
            json.dumps(body, ensure_ascii=False),
        )
        return 200

    def push(self, to: str, messages: list, kind: str, retry_key: str) -> int:
        """Log the push that would have been sent."""
        return self.reply("", messages, kind)


def _header(headers, name: str) -> str | None:
    if not headers:
        return None
    try:
        return headers.get(name) or headers.get(name.title())
    except AttributeError:
        return None


def _line_error_message(body) -> str | None:
    """LINE's error `message` field (e.g. "Invalid reply token"), short; never the request."""
    try:
        message = json.loads(body).get("message")
    except Exception:
        return None
    return str(message)[:200] if message else None


# -- event handling ----------------------------------------------------------------------------


@dataclass
class Turn:
    """One event being handled: who it is from and what we will send."""

    event: Event
    destination: str | None
    kind: str  # user | group | room | none
    line_id: str | None  # the raw user/group/room id; kept in memory only
    sender_id: str | None  # the user who sent it (None in some group events)
    addressed: bool = False  # set once we decide the event deserves an answer
    reply_kind: str = ""
    messages: list = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        """True in group chats and multi-person rooms."""
        return self.kind in ("group", "room")


class Runtime:
    """Per-process webhook machinery: the state store, the LINE sender, the thread pool."""

    def __init__(self, config):
        self.config = config
        self.validator = SignatureValidator(signing_secret(config))
        self.bot_name = str(config["PLANBOT_BOT_NAME"]).strip()
        self.store = StateStore(
            config["PLANBOT_STATE_DB"], hash_key(config), ttl=config["PLANBOT_STATE_TTL"]
        )
        if config["LINE_CHANNEL_ACCESS_TOKEN"]:
            self.sender = LineSender(
                config["LINE_CHANNEL_ACCESS_TOKEN"],
                host=config["LINE_API_HOST"],
                timeout=config["PLANBOT_LINE_TIMEOUT"],
            )
        else:
            self.sender = LocalSender()
        self._engine_cache = None
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._executor_pid: int | None = None

    # -- plumbing --

    def engine(self):
        """The answer engine: an injected `ENGINE`, else the index now on disk."""
        injected = self.config.get("ENGINE")
        if injected is not None:
            return injected
        if self._engine_cache is None:
            with self._lock:
                if self._engine_cache is None:
                    from bot.answer import EngineCache

                    self._engine_cache = EngineCache(
                        self.config["PLANBOT_DB"],
                        max_question_chars=self.config["PLANBOT_MAX_QUESTION_CHARS"],
                    )
        return self._engine_cache.get()

    def executor(self) -> ThreadPoolExecutor:
        """The thread pool, made in this process (a pool inherited through fork has no threads)."""
        with self._lock:
            if self._executor is None or self._executor_pid != os.getpid():
                self._executor = ThreadPoolExecutor(
                    max_workers=self.config["PLANBOT_THREADS"], thread_name_prefix="planbot"
                )
                self._executor_pid = os.getpid()
            return self._executor

    def close(self) -> None:
        """Finish queued events and release threads and connections (tests, shutdown)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None and self._executor_pid == os.getpid():
            executor.shutdown(wait=True)
        self.store.close()

    def dispatch(self, payload: dict, received: float | None = None) -> None:
        """Handle the payload's events in the pool; wait for them until PLANBOT_REPLY_WAIT
        after `received` (time.monotonic() when the request arrived), then let LINE have OK."""
        destination = payload.get("destination")
        destination = destination if isinstance(destination, str) else None
        conversations: dict[str, list] = {}
        for raw in payload["events"]:
            conversations.setdefault(_conversation_of(raw), []).append(raw)
        if not conversations:
            return
        pool = self.executor()
        futures = [
            pool.submit(self.handle_events, events, destination)
            for events in conversations.values()
        ]
        received = time.monotonic() if received is None else received
        left = self.config["PLANBOT_REPLY_WAIT"] - (time.monotonic() - received)
        done, pending = wait_for_futures(futures, timeout=max(0.0, left))
        if pending:
            logger.info("webhook: %d conversation(s) still being answered after OK", len(pending))

    def handle_events(self, events: list, destination: str | None) -> None:
        """Handle one conversation's events in order."""
        for raw in events:
            self.handle_event(raw, destination)

    # -- one event --

    def handle_event(self, raw, destination: str | None) -> None:
        """Parse, de-duplicate and answer one event; never raises."""
        started = time.monotonic()
        event_type = _safe_type(raw)
        try:
            event = Event.from_dict(raw) if isinstance(raw, dict) else None
        except Exception:  # unknown type or a shape the SDK rejects (pydantic errors)
            event = None
        if event is None:
            logger.info("event %s: ignored (not a webhook event this SDK can read)", event_type)
            return
        turn = _turn_for(event, destination)
        try:
            if not self._first_delivery(event):
                logger.info("event %s: redelivery of an event already handled; ignored", event_type)
                return
            handler = self._handler_for(event)
            if handler is None:
                logger.info("event %s: no reply needed", event_type)
                return
            handler(turn)
        except Exception:
            logger.exception("event %s: handler failed", event_type)
            if turn.addressed and not turn.messages:
                turn.reply_kind = "error"
                turn.messages = line_messages.text_messages(line_messages.APOLOGY)
        try:
            self._send(turn)
        except Exception:
            logger.exception("event %s: sending the reply failed", event_type)
        logger.info(
            "event %s from %s: %s in %.0f ms",
            event_type,
            turn.kind,
            f"replied kind={turn.reply_kind} messages={len(turn.messages)}"
            if turn.messages
            else "no reply",
            (time.monotonic() - started) * 1000,
        )

    def _first_delivery(self, event) -> bool:
        event_id = getattr(event, "webhook_event_id", None)
        if not event_id:
            return True
        try:
            return self.store.claim_event(event_id)
        except Exception:  # a broken state DB must not silence the bot
            logger.exception("state: could not record the event id; answering anyway")
            return True

    def _handler_for(self, event):
        if getattr(event, "mode", None) == "standby":
            return None  # another channel owns this chat right now
        if isinstance(event, (FollowEvent, JoinEvent)):
            return self.handle_follow
        if isinstance(event, (UnfollowEvent, LeaveEvent)):
            return self.handle_unfollow
        if isinstance(event, PostbackEvent):
            return self.handle_postback
        if isinstance(event, MessageEvent):
            if isinstance(event.message, TextMessageContent):
                return self.handle_text_message
            if isinstance(event.message, MEDIA_CONTENT):
                return self.handle_media_message
        return None

    def handle_follow(self, turn: Turn) -> None:
        """follow / join: the greeting with starting quick replies."""
        turn.addressed = True
        self._answer(turn, lambda engine, state: engine.welcome(state))

    def handle_unfollow(self, turn: Turn) -> None:
        """unfollow / leave: forget the conversation (no reply is possible)."""
        if turn.line_id:
            self.store.forget(self.store.key(turn.kind, turn.line_id))

    def handle_text_message(self, turn: Turn) -> None:
        """A text: the answer. In groups and rooms only when the bot is mentioned or named."""
        message = turn.event.message
        text = message.text
        if turn.is_group:
            text = addressed_text(text, message.mention, turn.destination, self.bot_name)
            if text is None:
                return
        turn.addressed = True
        text = without_lone_surrogates(text)
        logger.debug("event message: question of %d characters", len(text))
        if not self._within_rate(turn):
            return
        if not text.strip():
            self._answer(turn, lambda engine, state: engine.welcome(state))
        else:
            self._answer(turn, lambda engine, state: engine.answer(text, state))

    def handle_postback(self, turn: Turn) -> None:
        """A tap on a postback action: the engine decodes `data`."""
        turn.addressed = True
        if not self._within_rate(turn):
            return
        data = without_lone_surrogates(turn.event.postback.data or "")
        self._answer(turn, lambda engine, state: engine.postback(data, state))

    def handle_media_message(self, turn: Turn) -> None:
        """Stickers, images and the like: a short hint that the bot reads text (1:1 chats only)."""
        if turn.is_group:
            return  # nobody addressed the bot; a hint would be noise in a group
        turn.addressed = True
        if not self._within_rate(turn):
            return
        turn.reply_kind = "hint"
        turn.messages = line_messages.text_messages(line_messages.NOT_TEXT_HINT)

    def _answer(self, turn: Turn, ask) -> None:
        """Ask the engine with the conversation's state, saving the new state; prepare messages.

        The state is updated with a compare-and-swap (`StateStore.update`): when another
        worker answered the same chat meanwhile, the engine is asked again on the newer state.
        """
        engine = self.engine()
        key = self.store.key(turn.kind, turn.line_id) if turn.line_id else None

        def compute(state):
            try:
                reply = ask(engine, state)
            except Exception as error:
                raise _EngineFailed() from error
            return reply, reply.state

        if key is None:
            reply = ask(engine, State())
        else:
            try:
                reply = self.store.update(key, compute)
            except _EngineFailed as failed:
                raise failed.__cause__ from None
            except Exception:  # a broken state DB must not silence the bot
                logger.exception("state: could not load or save; answering without context")
                reply = ask(engine, State())
        prefix = f"{self.bot_name} " if turn.is_group else ""
        turn.reply_kind = reply.kind
        turn.messages = line_messages.to_line_messages(reply, address_prefix=prefix)

    def _within_rate(self, turn: Turn) -> bool:
        """Count the message against the sender's rate limit; at the first excess, a notice."""
        who = turn.sender_id or turn.line_id
        if not who:
            return True
        try:
            verdict = self.store.hit_rate(
                self.store.key("rate", who),
                self.config["PLANBOT_RATE_LIMIT"],
                self.config["PLANBOT_RATE_WINDOW"],
            )
        except Exception:
            logger.exception("state: rate limit unavailable; answering anyway")
            return True
        if verdict == "ok":
            return True
        logger.info("event: rate limit reached (%s)", verdict)
        if verdict == "notice":
            turn.reply_kind = "rate_limited"
            turn.messages = line_messages.text_messages(RATE_LIMIT_NOTICE)
        return False

    def _send(self, turn: Turn) -> None:
        """Reply; if LINE is overloaded or failing (429, 5xx), push an important answer once."""
        token = getattr(turn.event, "reply_token", None)
        if not turn.messages or not token:
            return
        status = self.sender.reply(token, turn.messages, turn.reply_kind)
        if status == 429 or status >= 500:
            if turn.reply_kind in UNIMPORTANT_KINDS or not turn.line_id:
                return
            logger.info("event: reply failed with %s; pushing the answer once instead", status)
            self.sender.push(turn.line_id, turn.messages, turn.reply_kind, str(uuid.uuid4()))


# -- helpers -----------------------------------------------------------------------------------


class _EngineFailed(Exception):
    """Carries an engine error out of `StateStore.update` (it is not a state failure)."""


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """`text` with unpaired surrogates ("\\ud800" escapes in the JSON) as U+FFFD.

    JSON allows them, Python keeps them, but they are not text: UTF-8 encoders (the
    tokenizer's, the LINE client's) refuse them. A valid pair is already one character.
    """
    return _LONE_SURROGATE.sub("\ufffd", text)


def _turn_for(event, destination: str | None) -> Turn:
    source = getattr(event, "source", None)
    sender_id = getattr(source, "user_id", None)
    if isinstance(source, GroupSource):
        return Turn(event, destination, "group", source.group_id, sender_id)
    if isinstance(source, RoomSource):
        return Turn(event, destination, "room", source.room_id, sender_id)
    if isinstance(source, UserSource):
        return Turn(event, destination, "user", sender_id, sender_id)
    return Turn(event, destination, "none", None, None)


def _conversation_of(raw) -> str:
    """A grouping key for a raw event (so one chat's events run in order); never stored."""
    source = raw.get("source") if isinstance(raw, dict) else None
    if not isinstance(source, dict):
        return "none"
    for name in ("groupId", "roomId", "userId"):
        value = source.get(name)
        if isinstance(value, str):
            return f"{name}:{value}"
    return "none"


def _safe_type(raw) -> str:
    """The event type for logs: a short identifier, or "?" (never arbitrary input)."""
    value = raw.get("type") if isinstance(raw, dict) else None
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{1,32}", value):
        return value
    return "?"


def addressed_text(text: str, mention, bot_user_id: str | None, bot_name: str) -> str | None:
    """The question in a group message addressed to the bot, or None if it isn't.

    Addressed means a mention of the bot (`isSelf`, or the bot's user id, which LINE sends
    as the payload's `destination`) or a message starting with the bot's name ("บอท ...",
    "@บอท ..."). The mention text is cut out using its index and length, so
    "@planbot แล้วพันธกิจล่ะ" becomes "แล้วพันธกิจล่ะ".
    """
    spans = []
    for mentionee in getattr(mention, "mentionees", None) or []:
        is_self = getattr(mentionee, "is_self", None) is True
        is_bot_id = bool(bot_user_id) and getattr(mentionee, "user_id", None) == bot_user_id
        if is_self or is_bot_id:
            spans.append((mentionee.index, mentionee.length))
    if spans:
        return _cut_spans(text, spans).strip()
    stripped = text.lstrip()
    for prefix in (f"@{bot_name}", bot_name):
        if prefix and stripped.startswith(prefix):
            return stripped[len(prefix) :].lstrip(_NAME_SEPARATORS).strip()
    return None


def _cut_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Remove mention spans given as LINE's index and length.

    LINE counts in UTF-16 units (equal to Python's code points unless the text has emoji
    outside the BMP before the mention). If a UTF-16 reading doesn't land on the "@" but a
    code-point reading does, the code-point reading is used.
    """
    offsets = _utf16_to_index(text)
    total = max(offsets)
    cuts = []
    for index, length in spans:
        if index < 0 or length <= 0:
            continue
        start, end = offsets.get(index), offsets.get(min(index + length, total))
        if (start is None or text[start : start + 1] != "@") and text[index : index + 1] == "@":
            start, end = index, min(index + length, len(text))
        if start is not None and end is not None and start < end:
            cuts.append((start, end))
    for start, end in sorted(cuts, reverse=True):
        text = text[:start] + " " + text[end:]
    return re.sub(r"\s+", " ", text)


def _utf16_to_index(text: str) -> dict[int, int]:
    """Map each UTF-16 offset that starts a character (and the end) to a code-point index."""
    offsets, units = {}, 0
    for position, char in enumerate(text):
        offsets[units] = position
        units += 2 if ord(char) > 0xFFFF else 1
    offsets[units] = len(text)
    return offsets
