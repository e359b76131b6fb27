"""The webhook's event runtime: each event journaled, then answered from the journal.

The flow, for every signed delivery `dispatch` receives:

1. Each event is written to the event journal (`StateBackend.journal_add`, in the state
   store: SQLite or Redis) before LINE gets its 200, already leased to this process (one
   write, not an add and then a take). A redelivery of an event already answered is
   ignored; a redelivery of one not yet answered replaces its payload (the newer reply
   token) and is answered by whoever takes it next (`journal_take`). A one-to-one message
   or postback is counted against its sender's rate limit in the same write (`_rate_count`),
   and its chat's saved state is read with that count (by the add itself on Redis, by the
   count's read on SQLite): the answer's update starts from it instead of reading again.
2. `/callback` answers LINE at once (PLANBOT_REPLY_WAIT, 0 by default, lets tests wait).
   Its time never depends on LINE's or the engine's.
3. The request's own thread answers the events once the 200 is written (`dispatch`'s
   `defer`, Werkzeug's `call_on_close`), while fewer than PLANBOT_INLINE threads of this
   process are doing so and LINE's API has been answering promptly: no hand-off to another
   thread, which cost about 0.5 ms of CPU per event. Such a thread tries the reply once; a
   reply LINE did not take (or took over INLINE_SLOW seconds) hands its retries to the pool
   and sends every event to the pool for INLINE_PAUSE seconds, so a slow LINE ties up at
   most PLANBOT_INLINE of gunicorn's threads per process, once, and never the others.
   Otherwise a thread pool (PLANBOT_THREADS) answers the events (one task per conversation
   so a chat's events run in order, each event under its lease): parses each into the SDK's
   models (`bot.events.parse_event`; one event the SDK cannot read does not cost the others
   their answers), asks the engine (`handle_<event>`, thin: they leave the messages on the
   `Turn`), and replies (`_send`: retried within the reply token's life, see `bot.senders`).
4. The event is marked done (`journal_done`) only when LINE accepted the reply or definitively
   refused it, or retries ran out with the token; until then it stays leased.
5. A sweeper thread in each process takes up events whose worker died: freed by gunicorn's
   `child_exit` hook (`bot.gunicorn_conf`, `journal_release`) or by their lease running out.
   Leases are short (LEASE_SECONDS) and renewed by the sweeper's heartbeat while this
   process is still answering, so a whole host that dies loses its events to another host
   within seconds, while their reply tokens still work.

`handle_event` does steps 1, 3 and 4 in the calling thread, for one event (the chat page,
with a sender that captures the messages instead of sending them).

While an answer is not ready within LOADING_AFTER (about a second), a one-to-one chat gets
LINE's loading animation (a watchdog thread). In groups, context is kept per member (one
teacher's follow-up uses their own office) and per group (a member's first question goes on
from the group's last answer).

Counts of every outcome (`Runtime.counts`, shown at /metrics) and one INFO summary a minute
replace per-event INFO lines; a reply accepted by LINE is logged `replied` at DEBUG, a refused
or given-up one at WARNING. Nothing secret or personal is logged at INFO: no token, no
secret, no LINE id, no message text. DEBUG adds message lengths.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import heapq
import hmac
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
from bot.events import parse_event
from bot.mentions import addressed_text
from bot.questionlog import QuestionLog
from bot.reload import IndexUnavailable
from bot.reply import State
from bot.senders import Counts, LineSender, LocalSender, outcome_unknown, retryable
from bot.state import (
    ADDED,
    DONE,
    PENDING,
    JournalEntry,
    RateCount,
    StateLocked,
    open_state,
    rate_verdict,
    worker_name,
)

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
#: The raw message types a one-to-one chat's handler counts against the sender's rate limit
#: (text and MEDIA_CONTENT's): counted already when journaled (`_rate_count`).
RATE_COUNTED_MESSAGES = frozenset({"text", "sticker", "image", "video", "audio", "file",
                                   "location"})
#: Reply kinds not worth a push when the reply itself fails (issue 7).
UNIMPORTANT_KINDS = frozenset({"greeting", "help", "thanks", "ack", "hint", "rate_limited",
                               "error"})
RATE_LIMIT_NOTICE = "ขออภัย ส่งข้อความถี่เกินไป กรุณารอสักครู่แล้วค่อยถามใหม่ 🙏"
#: Seconds an event's lease lasts unless renewed. A live worker renews the leases of the
#: events it is still answering every LEASE_SECONDS / 3 (the sweeper's heartbeat), so a
#: whole host that dies holding events loses them to another host within about
#: LEASE_SECONDS + SWEEP_GRACE, while LINE's reply tokens (about a minute) still work.
LEASE_SECONDS = 10.0
#: Seconds past the reply deadline after which an event still in hand is no longer renewed
#: (retries end at the deadline; a thread still holding it is hung, and another takes over).
LEASE_MARGIN = 10.0
#: How often each process looks for events nobody holds, and how long an event must have
#: been free before the sweeper takes it (the request that journaled it goes first).
SWEEP_INTERVAL = 1.0
SWEEP_GRACE = 3.0
#: Seconds between the INFO summaries of outcomes.
SUMMARY_INTERVAL = 60
#: A reply try slower than this (seconds), or one LINE did not take, sends events to the pool
#: instead of the request threads for INLINE_PAUSE seconds.
INLINE_SLOW = 1.0
INLINE_PAUSE = 30.0
#: Done marks waiting while other events are in hand are written together once this many
#: wait, or once the oldest has waited DONE_WAIT seconds (see `Runtime._mark_done`).
DONE_BATCH = 16
DONE_WAIT = 0.05
#: An answer not ready this many seconds after LINE delivered the event gets the loading
#: animation (one-to-one chats only: LINE shows it nowhere else).
LOADING_AFTER = 1.0


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
    messages: list = field(default_factory=list)  # LINE's JSON (`bot.messages.line_json`)
    received: float = 0.0  # time.time() when the delivery carrying its reply token arrived
    ready: bool = False  # the answer is ready (or none is coming): no loading animation
    question: str | None = None  # the text the engine was asked, for the question log
    event_type: str = "?"  # for logs (`_safe_type`)
    started: float = 0.0  # time.monotonic() when its handling started
    unsure: bool = False  # a reply try handed to the pool may have reached LINE (a timeout)
    # The journal entry whose add counted its message against the rate limit (`_rate_count`),
    # or None (counted when handled). Its `rate_count` is None where the backend kept the count
    # in the entry only (SQLite): read then.
    counted: JournalEntry | None = None
    # The chat's saved state, read along with that count (`RateCount.row`, `journal_count`):
    # `_answer`'s update takes it as its first read instead of reading again.
    chat_row: tuple | None = None

    @property
    def is_group(self) -> bool:
        """True in group chats and multi-person rooms."""
        return self.kind in ("group", "room")


class Runtime:
    """Per-process webhook machinery: state store and journal, LINE sender, threads."""

    def __init__(self, config):
        self.config = config
        self.validator = SignatureValidator(signing_secret(config))
        self.bot_name = str(config["PLANBOT_BOT_NAME"]).strip()
        self.store = open_state(config)
        self.counts = Counts()
        if config["LINE_CHANNEL_ACCESS_TOKEN"]:
            self.sender = LineSender(
                config["LINE_CHANNEL_ACCESS_TOKEN"],
                host=config["LINE_API_HOST"],
                timeout=config["PLANBOT_LINE_TIMEOUT"],
                counts=self.counts,
            )
        else:
            self.sender = LocalSender()
        self.questions = QuestionLog.from_config(config)  # None when PLANBOT_LOG_DAYS=0
        self.reply_deadline = float(config["PLANBOT_REPLY_DEADLINE"])
        self.lease_seconds = LEASE_SECONDS
        self.push_fallback = bool(config["PLANBOT_PUSH_FALLBACK"])
        self._journal_key = hmac.new(hash_key(config), b"planbot-journal-v1", "sha256").digest()
        self._engine_cache = None
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._executor_pid: int | None = None
        self._busy = 0  # events taken and not yet finished in this process
        self._done: list[tuple[str, str, float]] = []  # done marks not yet written
        self._done_since = 0.0  # time.monotonic() when the oldest of them was made
        self._in_hand: dict[str, float] = {}  # event id -> time.monotonic() when taken
        self.inline_limit = int(config["PLANBOT_INLINE"])  # see `fit_inline_to`
        self._inline = 0  # request threads answering after their 200 (see `dispatch`)
        self._inline_paused_until = 0.0  # time.monotonic() until which LINE was slow
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []  # the sweeper and the loading watchdog
        self._loading = _LoadingWatchdog(self)

    # -- plumbing --

    def engine(self, fresh: bool = False):
        """The answer engine: an injected `ENGINE`, else the index now on disk (the last good
        one when the file is gone or damaged; `bot.reload.IndexUnavailable` when none ever
        loaded). The file is looked at once a second (`bot.reload.CHECK_EVERY`), or now when
        `fresh`."""
        injected = self.config.get("ENGINE")
        if injected is not None:
            return injected
        return self.engine_cache().get(fresh=fresh)

    def engine_cache(self):
        """The `bot.reload.EngineCache` on PLANBOT_DB, made once; None with an injected
        `ENGINE`."""
        if self.config.get("ENGINE") is not None:
            return None
        if self._engine_cache is None:
            with self._lock:
                if self._engine_cache is None:
                    from bot.answer import EngineCache

                    self._engine_cache = EngineCache(
                        self.config["PLANBOT_DB"],
                        max_question_chars=self.config["PLANBOT_MAX_QUESTION_CHARS"],
                        answer_cache=self.config["PLANBOT_ANSWER_CACHE"],
                    )
        return self._engine_cache

    def answer_cache_figures(self) -> dict | None:
        """The engine's remembered replies: size, entries, hits, misses (None before an index
        has loaded, or for an injected engine without the cache)."""
        cache = self.engine_cache()
        engine = self.config.get("ENGINE") if cache is None else cache.loaded()
        replies = getattr(engine, "replies", None)
        if replies is None:
            return None
        return {"size": replies.size, "entries": len(replies), "hits": replies.hits,
                "misses": replies.misses}

    @property
    def worker(self) -> str:
        """This process's name in the journal (`worker_name`), what `child_exit` releases."""
        return worker_name(os.getpid())

    def executor(self) -> ThreadPoolExecutor:
        """The thread pool, made in this process (a pool inherited through fork has no
        threads), with the sweeper and the loading watchdog beside it."""
        with self._lock:
            if self._executor is None or self._executor_pid != os.getpid():
                self._executor = ThreadPoolExecutor(
                    max_workers=self.config["PLANBOT_THREADS"], thread_name_prefix="planbot"
                )
                self._executor_pid = os.getpid()
                self._busy = 0
                self._in_hand = {}
                self._done = []  # a parent's marks are the parent's to write
                self._stop = threading.Event()
                self._threads = [
                    threading.Thread(target=self._sweep, args=(self._stop,),
                                     name="planbot-sweeper", daemon=True),
                    self._loading.start(self._stop),
                ]
                self._threads[0].start()
            return self._executor

    def start(self) -> None:
        """Start this process's threads now (gunicorn's `post_worker_init`), so events left
        by a dead worker are taken up even before this one receives a webhook."""
        self.executor()

    def close(self) -> None:
        """Finish queued events and release threads and connections (tests, shutdown)."""
        with self._lock:
            executor, self._executor = self._executor, None
        self._stop.set()
        if executor is not None and self._executor_pid == os.getpid():
            executor.shutdown(wait=True)
            for thread in self._threads:  # they see the stop within a second
                thread.join(timeout=5)
        self._write_done()
        self.store.close()
        if self.questions is not None:
            self.questions.close()

    # -- a delivery --

    def dispatch(self, payload: dict, received: float | None = None, defer=None) -> None:
        """Journal the payload's events, then answer them: through `defer(job)` (a function
        that runs `job()` in this thread once the response is written) while a request thread
        may (`_take_inline`), else in the pool. With PLANBOT_REPLY_WAIT, everything goes to
        the pool and is waited for up to that long after `received` (time.monotonic() when
        the request arrived)."""
        destination = payload.get("destination")
        destination = destination if isinstance(destination, str) else None
        stamp = time.time()
        conversations: dict[str, list] = {}
        for raw in payload["events"]:
            item = self._journal(raw, destination, stamp, lease=True)
            if item is not None:
                conversations.setdefault(_conversation_of(raw), []).append(item)
        if not conversations:
            return
        wait = self.config["PLANBOT_REPLY_WAIT"]
        if wait > 0:
            defer = None
        futures = []
        try:
            pool = self.executor()
            for items in conversations.values():
                if defer is not None and self._take_inline():
                    defer(functools.partial(self._handle_inline, items))
                else:
                    futures.append(pool.submit(self.handle_events, items))
        except BaseException:  # not in hand after all: let the leases run out for the sweeper
            with self._lock:
                for items in conversations.values():
                    for event_id, _job in items:
                        self._in_hand.pop(event_id, None)
            raise
        if wait > 0:
            received = time.monotonic() if received is None else received
            left = wait - (time.monotonic() - received)
            wait_for_futures(futures, timeout=max(0.0, left))

    def _journal(self, raw, destination: str | None, stamp: float, lease: bool = False):
        """Journal one event: (event_id, None) to take it from the journal, (None, job) to
        answer without the journal, or None to ignore it (a redelivery already answered).

        With `lease`, a new event is journaled already leased to this process, in the same
        write, and comes back as (event_id, its JournalEntry), to be answered without a
        take; it counts as in hand from now, so the heartbeat renews its lease while it
        waits for a thread."""
        event_id = _event_id(raw)
        entry = self._seal(json.dumps({"destination": destination, "received": stamp,
                                       "event": raw}))
        worker = self.worker if lease else None
        rate = self._rate_count(raw)
        try:
            added = self.store.journal_add(event_id, entry, worker=worker,
                                           lease_seconds=self.lease_seconds, rate=rate)
        except Exception as error:
            return self._unjournaled(event_id, raw, destination, stamp, error)
        if added == DONE:
            self.counts.add("redeliveries_ignored")
            logger.info("event %s: redelivery of an event already answered; ignored",
                        _safe_type(raw))
            return None
        self.counts.add("events" if added == ADDED else "redeliveries")
        if added != ADDED or worker is None:
            return (event_id, None)
        with self._lock:
            self._in_hand[event_id] = time.monotonic()
        leased = JournalEntry(event_id, entry, PENDING, 1, worker, stamp + self.lease_seconds,
                              rate_count=None if rate is None else rate.count,
                              chat_row=None if rate is None else rate.row)
        return (event_id, _Leased(leased, (raw, destination, stamp), counted=rate is not None))

    def _rate_count(self, raw) -> RateCount | None:
        """What the journal add counts against the rate limit for this event: a message or
        postback from a user in a one-to-one chat, which its handler counts in any case
        (in groups only what addresses the bot counts, so those are counted when handled).
        The count then costs no write of its own (`StateBackend.journal_add`)."""
        if not isinstance(raw, dict) or raw.get("mode") == "standby":
            return None
        source, kind = raw.get("source"), raw.get("type")
        if not (isinstance(source, dict) and source.get("type") == "user"):
            return None
        user, message = source.get("userId"), raw.get("message")
        counts = kind == "postback" or (
            kind == "message" and isinstance(message, dict)
            and message.get("type") in RATE_COUNTED_MESSAGES
        )
        if not counts or not isinstance(user, str) or not user:
            return None
        return RateCount(self.store.key("rate", user), self.config["PLANBOT_RATE_WINDOW"],
                         chat=self.store.key("user", user))

    def _unjournaled(self, event_id, raw, destination, stamp, error):
        """The journal could not be written (a held lock, a broken store): answer anyway,
        with de-duplication still in force through the journal's read and `claim_event`."""
        if isinstance(error, StateLocked):
            logger.warning("journal: state store locked; answering without the journal")
        else:
            logger.error("journal: could not journal an event (%s); answering without it",
                         type(error).__name__)
        self.counts.add("unjournaled")
        try:
            if self.store.journal_get(event_id) is not None or not self.store.claim_event(
                event_id
            ):
                logger.info("event %s: redelivery of an event already handled; ignored",
                            _safe_type(raw))
                return None
        except Exception:
            logger.exception("state: could not check for a redelivery; answering anyway")
        return (None, (raw, destination, stamp))

    def _take_inline(self) -> bool:
        """True (and one more request thread counted as answering) when this request's thread
        may answer its events after the 200: fewer than PLANBOT_INLINE do, and LINE has not
        been slow in the last INLINE_PAUSE seconds."""
        with self._lock:
            if (self._inline >= self.inline_limit
                    or time.monotonic() < self._inline_paused_until):
                return False
            self._inline += 1
            return True

    def fit_inline_to(self, server_threads: int) -> None:
        """Let all but one of the server's request threads answer their own events (unless
        PLANBOT_INLINE says otherwise): one is always free to take the next webhook, and
        under load fewer events pay the hand-off to the pool. Measured at 600 events/s on
        2 cores (gunicorn 2 x 8 threads): p99 36-58 ms with 7, 173-578 ms with 4, where
        most events went to the pool and its threads fought the request threads for the GIL."""
        if not self.config.get("PLANBOT_INLINE_SET"):
            self.inline_limit = max(0, int(server_threads) - 1)

    def _handle_inline(self, items: list) -> None:
        """`handle_events` in a request thread after its 200 (never raises: it runs from the
        server's close of the response)."""
        try:
            self.counts.add("inline")
            self.handle_events(items, inline=True)
        except Exception:
            logger.exception("webhook: answering after the response failed")
        finally:
            with self._lock:
                self._inline -= 1

    def _pause_inline(self) -> None:
        """LINE was slow: new events go to the pool for INLINE_PAUSE seconds."""
        with self._lock:
            self._inline_paused_until = time.monotonic() + INLINE_PAUSE

    def handle_events(self, items: list, inline: bool = False) -> None:
        """Handle one conversation's events in order: take each from the journal, answer it,
        mark it done. `inline`: in a request thread (one reply try each, see `_process`)."""
        for event_id, job in items:
            if event_id is None:
                self._process(*job)
                continue
            if isinstance(job, _Leased):  # journaled already leased to this process
                self._run_entry(job.entry, inline=inline, job=job.job, counted=job.counted)
                continue
            try:
                entry = self.store.journal_take(
                    self.worker, self.lease_seconds, event_id=event_id
                )
            except Exception:
                logger.exception("journal: could not take an event; the sweeper will retry")
                continue
            if entry is not None:  # None: leased by a live worker, which will answer it
                self._run_entry(entry)

    def _run_entry(self, entry, sender=None, inline: bool = False, job=None,
                   counted: bool | None = None) -> str:
        """Answer one journal entry and mark it done with the outcome; returns it ("later"
        when its reply's retries were handed to the pool, which marks it done). `job`: the
        entry's (event, destination, received) when this process journaled it just now, and
        `counted` whether that add counted its message (else the entry's count says)."""
        with self._lock:
            self._busy += 1
            self._in_hand[entry.event_id] = time.monotonic()
        handed = False
        try:
            try:
                if job is None:
                    job = json.loads(self._unseal(entry.payload))
                    job = (job["event"], job["destination"], job["received"])
                raw, destination, stamp = job
            except (ValueError, TypeError, KeyError):
                logger.warning("journal: an entry could not be read (another hash key?)")
                raw, destination, stamp = None, None, time.time()
            if counted is None:
                counted = entry.rate_count is not None
            outcome = self._process(raw, destination, stamp, sender, inline,
                                    counted=entry if counted else None)
            if isinstance(outcome, Turn):  # the one try failed: the pool retries
                self.counts.add("handed_to_pool")
                self.executor().submit(self._finish_entry, entry, outcome)
                handed = True
                return "later"
            self._mark_done(entry, outcome)
            return outcome
        finally:
            if not handed:
                self._release(entry)

    def _finish_entry(self, entry, turn: Turn) -> None:
        """The pool's part of an event a request thread answered: the reply's retries."""
        try:
            self._mark_done(entry, self._deliver(turn, self.sender))
        finally:
            self._release(entry)

    def _mark_done(self, entry, outcome: str) -> None:
        """Mark the event done: at once when no other event is in hand here (`_release`), else
        together with theirs, by the last of them to finish, or once DONE_BATCH are waiting
        or the oldest has waited DONE_WAIT: one write for many when busy, none delayed when
        not. Until written the event stays leased to this live process, so nobody else
        answers it (a lease outlasts DONE_WAIT many times over)."""
        now = time.monotonic()
        with self._lock:
            if not self._done:
                self._done_since = now
            self._done.append((entry.event_id, outcome, time.time()))
            due = len(self._done) >= DONE_BATCH or now - self._done_since >= DONE_WAIT
        if due:
            self._write_done()

    def _write_done(self) -> None:
        """Write the done marks waiting in this process (the sweeper's backstop too)."""
        with self._lock:
            marks, self._done = self._done, []
        if not marks:
            return
        try:
            self.store.journal_done_many(marks)
        except Exception:
            logger.exception("journal: could not mark %d event(s) done", len(marks))

    def _release(self, entry) -> None:
        with self._lock:
            self._busy -= 1
            self._in_hand.pop(entry.event_id, None)
            last = self._busy == 0 and bool(self._done)
        if last:
            self._write_done()

    def _seal(self, text: str) -> str:
        """A journal payload as stored: XOR'd with a SHAKE-256 stream keyed by a key derived
        from PLANBOT_HASH_KEY and a random nonce, so the state store (a file, a Redis dump)
        never holds a LINE id or a message in clear, even in freed pages."""
        data = text.encode("utf-8", "surrogatepass")
        nonce = os.urandom(16)
        return base64.b64encode(nonce + _xor(data, self._stream(nonce, len(data)))).decode()

    def _unseal(self, stored: str) -> str:
        """The inverse of `_seal`."""
        sealed = base64.b64decode(stored)
        nonce, data = sealed[:16], sealed[16:]
        return _xor(data, self._stream(nonce, len(data))).decode("utf-8", "surrogatepass")

    def _stream(self, nonce: bytes, size: int) -> bytes:
        return hashlib.shake_256(self._journal_key + nonce).digest(size)

    def _sweep(self, stop: threading.Event) -> None:
        """Take up events nobody holds: left by a dead worker (released, or lease expired),
        or journaled while no thread could take them. Also logs the minute's summary."""
        reported, last, renewed = time.monotonic(), {}, time.monotonic()
        while not stop.wait(SWEEP_INTERVAL):
            if time.monotonic() - renewed >= self.lease_seconds / 3:
                self._renew_leases()
                renewed = time.monotonic()
            self._write_done()  # marks left waiting by events that finished together
            self._checkpoint()
            try:
                while self._busy < self.config["PLANBOT_THREADS"] and not stop.is_set():
                    # Only entries free for SWEEP_GRACE: the request that journaled an event
                    # a moment ago takes it itself, in its conversation's order.
                    entry = self.store.journal_take(
                        self.worker,
                        self.lease_seconds + SWEEP_GRACE,
                        now=time.time() - SWEEP_GRACE,
                    )
                    if entry is None:
                        break
                    self.counts.add("recovered")
                    logger.info("journal: took up an event left unanswered (try %d)",
                                entry.attempts)
                    executor = self._executor
                    if executor is None:
                        return
                    executor.submit(self._run_entry, entry)
            except Exception:
                logger.exception("journal: sweeping for unanswered events failed")
            if time.monotonic() - reported >= SUMMARY_INTERVAL:
                now_counts = self.counts.snapshot()
                changed = {k: v - last.get(k, 0) for k, v in now_counts.items()
                           if v != last.get(k, 0)}
                if changed:
                    logger.info("events in the last %d s: %s", SUMMARY_INTERVAL,
                                " ".join(f"{k}={v}" for k, v in changed.items()))
                reported, last = time.monotonic(), now_counts

    def _checkpoint(self) -> None:
        """The stores' housekeeping (SQLite's write-ahead logs), here rather than in answers."""
        for store in (self.store, self.questions):
            if store is None:
                continue
            try:
                store.checkpoint()
            except Exception:
                logger.exception("state: checkpoint failed")

    def _renew_leases(self) -> None:
        """The heartbeat: extend the leases of the events this process is still answering,
        except those held past the reply deadline (a hung thread's: let another take over)."""
        oldest = time.monotonic() - (self.reply_deadline + LEASE_MARGIN)
        with self._lock:
            ids = [event_id for event_id, taken in self._in_hand.items() if taken > oldest]
        if not ids:
            return
        try:
            self.store.journal_renew(self.worker, ids, self.lease_seconds)
        except Exception:
            logger.exception("journal: could not renew this worker's leases")

    # -- one event --

    def handle_event(self, raw, destination: str | None, sender=None) -> str:
        """Answer one event now, in this thread (the chat page, tests), journaled as a
        webhook's are, so a redelivery is not answered twice. `sender` replaces the
        runtime's own for this event (the chat page captures the messages instead).
        Returns the outcome (see `_process`); never raises."""
        item = self._journal(raw, destination, time.time())
        if item is None:
            return "ignored"
        event_id, job = item
        if event_id is None:
            return self._process(*job, sender)
        try:
            entry = self.store.journal_take(self.worker, self.lease_seconds, event_id=event_id)
        except Exception:
            logger.exception("journal: could not take an event; the sweeper will retry")
            return "ignored"
        return "ignored" if entry is None else self._run_entry(entry, sender)

    def _process(self, raw, destination: str | None, received: float, sender=None,
                 inline: bool = False, counted: JournalEntry | None = None):
        """Parse and answer one event; never raises. Returns the outcome for the journal:
        "sent", "pushed", "refused", "gave_up", "no_reply" or "ignored". `inline` (a request
        thread, the runtime's own sender): the reply is tried once, and when LINE did not
        take it the turn is returned instead, for the pool to retry (`_finish_entry`).
        `counted`: the journal entry whose add counted the message (see `Turn.counted`)."""
        started = time.monotonic()
        event_type = _safe_type(raw)
        try:
            event = parse_event(raw) if isinstance(raw, dict) else None
        except Exception:  # unknown type or a shape the SDK rejects (pydantic errors)
            event = None
        if event is None:
            logger.info("event %s: ignored (not a webhook event this SDK can read)", event_type)
            self.counts.add("ignored")
            return "ignored"
        turn = _turn_for(event, destination)
        turn.received = received
        turn.started = started
        turn.event_type = event_type
        turn.counted = counted
        if sender is None:  # a capturing sender (the chat page) has no LINE chat to animate
            self._loading.watch(turn)
        try:
            handler = self._handler_for(event)
            if handler is not None:
                handler(turn)
        except Exception as error:
            if isinstance(error, IndexUnavailable):  # the cache logged why; no traceback each time
                logger.warning("event %s: no index to answer from (%s)", event_type, error)
            else:
                logger.exception("event %s: handler failed", event_type)
            if turn.addressed and not turn.messages:
                turn.reply_kind = "error"
                turn.messages = line_messages.text_json(line_messages.APOLOGY)
        finally:
            self._loading.done(turn)
        if inline:
            tried = time.monotonic()
            try:
                outcome = self._send(turn, self.sender, once=True)
            except Exception:
                logger.exception("event %s: sending the reply failed", event_type)
                outcome = None
            if outcome is None or time.monotonic() - tried > INLINE_SLOW:
                self._pause_inline()
            return turn if outcome is None else self._settle(turn, outcome)
        return self._deliver(turn, sender or self.sender)

    def _deliver(self, turn: Turn, sender) -> str:
        """Send the turn's reply (with its retries) and settle it; the outcome."""
        try:
            outcome = self._send(turn, sender)
        except Exception:
            logger.exception("event %s: sending the reply failed", turn.event_type)
            outcome = "gave_up"
        return self._settle(turn, outcome)

    def _settle(self, turn: Turn, outcome: str) -> str:
        """Log the question, count the outcome and log it; the outcome."""
        event_type = turn.event_type
        self._log_question(turn)
        self.counts.add(outcome)
        took = (time.monotonic() - turn.started) * 1000
        if outcome == "sent":
            logger.debug("event %s from %s: replied kind=%s messages=%d in %.0f ms",
                         event_type, turn.kind, turn.reply_kind, len(turn.messages), took)
        elif outcome == "no_reply":
            logger.debug("event %s from %s: no reply in %.0f ms", event_type, turn.kind, took)
        else:
            logger.warning("event %s from %s: not answered (%s) kind=%s in %.0f ms",
                           event_type, turn.kind, outcome, turn.reply_kind, took)
        return outcome

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
        turn.messages = line_messages.text_json(line_messages.NOT_TEXT_HINT)

    def _answer(self, turn: Turn, ask) -> None:
        """Ask the engine with the conversation's state, saving the new state; prepare messages.

        The state is updated with a compare-and-swap (`StateStore.update`): when another
        worker answered the same chat meanwhile, the engine is asked again on the newer state.
        In a group or room each member has a state of their own; a member with none yet goes
        on from the group's, and every answer also becomes the group's.
        """
        engine = self.engine()
        key, shared = self._state_keys(turn)

        def compute(state):
            if shared is not None and state == State():
                state = shared_state
            try:
                reply = ask(engine, state)
            except Exception as error:
                raise _EngineFailed() from error
            return reply, reply.state

        if key is None:
            reply = ask(engine, State())
        else:
            try:
                shared_state = self.store.load(shared) if shared is not None else None
                reply = self.store.update(key, compute,
                                          first=turn.chat_row if shared is None else None)
                if shared is not None:
                    self.store.save(shared, reply.state)
            except _EngineFailed as failed:
                raise failed.__cause__ from None
            except Exception:  # a broken state DB must not silence the bot
                logger.exception("state: could not load or save; answering without context")
                reply = ask(engine, State())
        prefix = f"{self.bot_name} " if turn.is_group else ""
        turn.reply_kind = reply.kind
        turn.messages = line_messages.line_json(reply, address_prefix=prefix)

    def _state_keys(self, turn: Turn) -> tuple[str | None, str | None]:
        """The state key of this turn's speaker, and of their group (None outside groups)."""
        if not turn.line_id:
            return None, None
        chat = self.store.key(turn.kind, turn.line_id)
        if not turn.is_group or not turn.sender_id:
            return chat, None
        member = self.store.key(f"{turn.kind}-member", f"{turn.line_id}:{turn.sender_id}")
        return member, chat

    def _within_rate(self, turn: Turn) -> bool:
        """Count the message against the sender's rate limit (unless its journal add did);
        at the first excess, a notice."""
        who = turn.sender_id or turn.line_id
        if not who:
            return True
        limit = self.config["PLANBOT_RATE_LIMIT"]
        try:
            if turn.counted is not None:
                verdict = rate_verdict(self._count_of(turn), limit)
            else:
                verdict = self.store.hit_rate(self.store.key("rate", who), limit,
                                              self.config["PLANBOT_RATE_WINDOW"])
        except Exception:
            logger.exception("state: rate limit unavailable; answering anyway")
            return True
        if verdict == "ok":
            return True
        logger.info("event: rate limit reached (%s)", verdict)
        if verdict == "notice":
            turn.reply_kind = "rate_limited"
            turn.messages = line_messages.text_json(RATE_LIMIT_NOTICE)
        return False

    def _count_of(self, turn: Turn) -> int | None:
        """A counted message's number in its window: as the add returned it, else read from
        its journal entry (one read, no write); None if the entry is gone. Its chat's saved
        state comes with it where the backend read that too (`Turn.chat_row`)."""
        entry = turn.counted
        if entry.rate_count is not None:
            turn.chat_row = entry.chat_row
            return entry.rate_count
        count, turn.chat_row = self.store.journal_count(entry.event_id,
                                                        chat=self._state_keys(turn)[0])
        return count

    def _log_question(self, turn: Turn) -> None:
        """Hand an answered question's text and reply kind to the question log (never an id)."""
        if self.questions is None or not turn.question or not turn.reply_kind:
            return
        try:
            self.questions.record(turn.question, turn.reply_kind)
        except Exception:  # the log is for the admin's report; it must not cost an answer
            logger.exception("question log: could not record a question")

    def _send(self, turn: Turn, sender, once: bool = False) -> str | None:
        """Reply, retried while the reply token lives; the outcome for the journal.

        "sent" when LINE accepted it, "refused" when LINE refused it (4xx), "gave_up" when
        LINE kept failing until the token's end. With PLANBOT_PUSH_FALLBACK on, an important
        answer given up is pushed instead ("pushed"), with one retry key for all its tries.
        `once` (a request thread): one try, and None when LINE did not take it, for the
        caller to hand the retries to the pool.
        """
        token = getattr(turn.event, "reply_token", None)
        if not turn.messages or not token:
            return "no_reply"
        left = turn.received + self.reply_deadline - time.time()
        extra = {"tries": 1} if once else ({"unsure": True} if turn.unsure else {})
        status = sender.reply(
            token, turn.messages, turn.reply_kind, deadline=time.monotonic() + max(left, 0.0),
            **extra,
        )
        if status == 200:
            return "sent"
        if not retryable(status):
            return "refused"
        if once:
            turn.unsure = outcome_unknown(status)  # the pool's refusal may then be our delivery
            return None
        if not self.push_fallback or turn.reply_kind in UNIMPORTANT_KINDS or not turn.line_id:
            return "gave_up"
        logger.warning("event: reply given up (last status %s); pushing the answer instead",
                       status)
        status = sender.push(
            turn.line_id, turn.messages, turn.reply_kind, str(uuid.uuid4()),
            deadline=time.monotonic() + self.reply_deadline,
        )
        return "pushed" if status == 200 else ("gave_up" if retryable(status) else "refused")


@dataclass(frozen=True)
class _Leased:
    """An event this process journaled already leased to itself, with what it journaled
    (so it need not read it back)."""

    entry: JournalEntry
    job: tuple  # (raw event, destination, received)
    counted: bool = False  # its add counted its message against the rate limit


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


def _xor(data: bytes, stream: bytes) -> bytes:
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(len(data), "big")


def _event_id(raw) -> str:
    """The event's webhookEventId, or a made-up one (a payload without ids: no redelivery
    can be recognised, but the event is still journaled and answered)."""
    value = raw.get("webhookEventId") if isinstance(raw, dict) else None
    if isinstance(value, str) and value:
        return value
    return f"local-{uuid.uuid4()}"


class _LoadingWatchdog:
    """Shows LINE's loading animation in one-to-one chats whose answer is not ready within
    LOADING_AFTER of the delivery: one thread per process, watching the turns in progress."""

    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self._cond = threading.Condition()
        self._due: list = []  # heap of (due time, sequence, turn)
        self._count = 0

    def start(self, stop: threading.Event) -> threading.Thread:
        """Run the watchdog thread until `stop` is set; returns the thread."""
        thread = threading.Thread(target=self._run, args=(stop,), name="planbot-loading",
                                  daemon=True)
        thread.start()
        return thread

    def watch(self, turn: Turn) -> None:
        """Start watching a turn (only one-to-one chats can show the animation)."""
        if turn.kind != "user" or not turn.line_id:
            return
        if not hasattr(self.runtime.sender, "show_loading"):
            return
        with self._cond:
            self._count += 1
            heapq.heappush(self._due, (turn.received + LOADING_AFTER, self._count, turn))
            # The thread sleeps until the earliest due time at most, so only a new earliest
            # needs to wake it (waking it for every event cost a thread switch per event).
            if self._due[0][2] is turn:
                self._cond.notify()

    @staticmethod
    def done(turn: Turn) -> None:
        """The turn's answer is ready: no animation for it."""
        turn.ready = True

    def _run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            with self._cond:
                while self._due and self._due[0][2].ready:
                    heapq.heappop(self._due)
                if not self._due:
                    self._cond.wait(0.5)
                    continue
                due, _, turn = self._due[0]
                wait = due - time.time()
                if wait > 0:
                    self._cond.wait(min(wait, 0.5))
                    continue
                heapq.heappop(self._due)
            try:
                status = self.runtime.sender.show_loading(turn.line_id)
            except Exception:
                logger.exception("LINE loading animation failed")
                continue
            self.runtime.counts.add("loading_shown" if status in (200, 202) else "loading_failed")
