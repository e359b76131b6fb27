"""The webhook's event runtime: each event parsed, de-duplicated, answered and sent.

`Runtime` holds the per-process machinery (state store, LINE sender, thread pool) and
hands the events of one delivery to the pool, one task per conversation so a chat's events
run in order. Each event is parsed on its own with the SDK's `Event.from_dict`, so one event
the SDK cannot read does not cost the others their answers (`WebhookParser.parse` fails the
whole batch). The handlers (`handle_<event>`) are thin: they ask the engine with the
conversation's state and leave the messages on the `Turn`; `_send` replies.

Nothing secret or personal is logged at INFO: no token, no secret, no LINE id, no
message text. DEBUG adds message lengths.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from dataclasses import dataclass, field

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
from bot.config import signing_secret
from bot.mentions import addressed_text
from bot.questionlog import QuestionLog
from bot.reply import State
from bot.senders import LineSender, LocalSender
from bot.state import open_state

# The webhook's log lines keep the logger name they have always had, whichever module writes them.
logger = logging.getLogger("bot.webhook")

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
    question: str | None = None  # the text the engine was asked, for the question log

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
        self.store = open_state(config)
        if config["LINE_CHANNEL_ACCESS_TOKEN"]:
            self.sender = LineSender(
                config["LINE_CHANNEL_ACCESS_TOKEN"],
                host=config["LINE_API_HOST"],
                timeout=config["PLANBOT_LINE_TIMEOUT"],
            )
        else:
            self.sender = LocalSender()
        self.questions = QuestionLog.from_config(config)  # None when PLANBOT_LOG_DAYS=0
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

    def handle_event(self, raw, destination: str | None, sender=None) -> None:
        """Parse, de-duplicate and answer one event; never raises. `sender` replaces the
        runtime's own for this event (the chat page captures the messages instead)."""
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
            self._send(turn, sender or self.sender)
        except Exception:
            logger.exception("event %s: sending the reply failed", event_type)
        self._log_question(turn)
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
            turn.question = text
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

    def _log_question(self, turn: Turn) -> None:
        """Hand an answered question's text and reply kind to the question log (never an id)."""
        if self.questions is None or not turn.question or not turn.reply_kind:
            return
        try:
            self.questions.record(turn.question, turn.reply_kind)
        except Exception:  # the log is for the admin's report; it must not cost an answer
            logger.exception("question log: could not record a question")

    def _send(self, turn: Turn, sender) -> None:
        """Reply; if LINE is overloaded or failing (429, 5xx), push an important answer once."""
        token = getattr(turn.event, "reply_token", None)
        if not turn.messages or not token:
            return
        status = sender.reply(token, turn.messages, turn.reply_kind)
        if status == 429 or status >= 500:
            if turn.reply_kind in UNIMPORTANT_KINDS or not turn.line_id:
                return
            logger.info("event: reply failed with %s; pushing the answer once instead", status)
            sender.push(turn.line_id, turn.messages, turn.reply_kind, str(uuid.uuid4()))


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
