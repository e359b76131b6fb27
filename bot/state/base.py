"""What every state backend offers, and the pieces of it that do not depend on the storage.

`StateBackend` is the interface the webhook programs against (`bot.state.open_state` picks
the implementation from PLANBOT_STATE_URL): conversation state with a compare-and-swap
update, seen webhook event ids, per-sender rate windows, and the event journal with leases.
Both implementations pass the same test suite (tests/test_state.py, test_state_journal.py).

Privacy, the same in every backend: LINE user, group and room ids are never stored; keys are
HMAC-SHA256(PLANBOT_HASH_KEY, "<kind>:<id>") (`conversation_key`) and event ids are stored
by their SHA-256 (`event_digest`). A journal entry's payload is the caller's (for the webhook,
the event it must answer, which holds a user id and the message); it is kept only while the
event is pending and erased when the event is marked done.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.reply import State

logger = logging.getLogger("bot.state")

DEFAULT_TTL = 3600
#: LINE redelivers a failed webhook for a while; remember event ids for a day.
SEEN_EVENT_TTL = 24 * 3600
#: Rate windows are dropped an hour after they start (windows are a minute long).
RATE_ROW_TTL = 3600
#: Compare-and-swap tries in `update` before it takes a lock instead.
UPDATE_TRIES = 3
#: Takes of one journal entry before it is given up as poison (it crashed every worker).
MAX_ATTEMPTS = 5

#: `journal_add` results and journal entry statuses.
ADDED, PENDING, DONE = "added", "pending", "done"
#: The outcome `journal_take` records for an entry that used up MAX_ATTEMPTS.
ABANDONED = "abandoned"


def conversation_key(hash_key: bytes, kind: str, line_id: str) -> str:
    """The stored key for a LINE user, group or room id: a keyed hash, never the id."""
    message = f"{kind}:{line_id}".encode("utf-8", "surrogatepass")
    return hmac.new(hash_key, message, hashlib.sha256).hexdigest()


def event_digest(event_id: str) -> str:
    """An event id's stored form: hashed (unkeyed), so any string LINE or a fuzzer sends is
    a valid, bounded key."""
    return hashlib.sha256(event_id.encode("utf-8", "surrogatepass")).hexdigest()


def worker_name(pid: int) -> str:
    """The journal worker name of process `pid` on this host: what `journal_release` takes
    when a supervisor (gunicorn's master) sees that worker die."""
    return f"{socket.gethostname()}:{pid}"


def encode_payload(payload: str) -> bytes:
    """A payload as stored: UTF-8, lone surrogates kept (a fuzzer's text must survive)."""
    return payload.encode("utf-8", "surrogatepass")


def decode_payload(stored: bytes) -> str:
    """The inverse of `encode_payload`."""
    return bytes(stored).decode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class JournalEntry:
    """One journaled event as `journal_take` hands it out or `journal_get` shows it."""

    event_id: str
    payload: str | None  # None once done
    status: str  # pending | done
    attempts: int  # how many times it was taken
    worker: str | None  # the lease holder (pending), or None when free
    lease_until: float | None  # when the holder's lease ends (pending and taken)
    outcome: str | None = None  # set by journal_done (done)
    rate_count: int | None = None  # its message's number in the sender's window, if counted
    # Its chat's saved state as the add read it (`RateCount.row`), for `update(first=...)`;
    # never stored.
    chat_row: tuple | None = field(default=None, compare=False, repr=False)


@dataclass
class RateCount:
    """A message to count against its sender's rate window when its event is journaled
    (`journal_add(rate=...)`): the count costs no statement or round trip of its own.
    `key` is the hashed rate key, `window` the window's length in seconds. `count`, the
    message's number in its window, is set by a backend that learns it with the add
    (Redis); otherwise it stays None, and the entry's `rate_count` has it (`journal_count`).
    `chat`, the state key of the message's chat: such a backend also reads that chat's
    saved state with the add, into `row`, which `update(first=row)` takes as its first read
    (a round trip less per message)."""

    key: str
    window: float
    count: int | None = None
    chat: str | None = None
    row: tuple | None = None


def rate_verdict(count: int | None, limit: int) -> str:
    """The verdict for the `count`-th message of a window: "ok" within `limit`, "notice" for
    the first past it, "silent" after (as `hit_rate`); "ok" when it was not counted."""
    if count is None or count <= limit:
        return "ok"
    return "notice" if count == max(limit, 0) + 1 else "silent"


class StateLocked(Exception):
    """The store could not write within its bounded wait (another connection holds the lock)."""


class StateBackend(ABC):
    """Everything the bot must share between threads, processes and hosts.

    Every method is safe to call from many threads and processes at once. `now` arguments
    (seconds since the epoch) exist for tests; callers leave them out.
    """

    hash_key: bytes
    ttl: float

    def key(self, kind: str, line_id: str) -> str:
        """The hashed key for a conversation (`kind` is user, group or room)."""
        return conversation_key(self.hash_key, kind, line_id)

    # -- conversation state --

    @abstractmethod
    def load(self, key: str, now: float | None = None) -> State:
        """The state saved for `key`, or a fresh one if none or idle longer than the TTL."""

    @abstractmethod
    def save(self, key: str, state: State, now: float | None = None) -> None:
        """Store `state` for `key`, stamped with the current time."""

    @abstractmethod
    def update(self, key: str, compute: Callable, now: float | None = None,
               first: tuple | None = None):
        """Load `key`'s state, `compute(state) -> (result, new_state)`, save; return `result`.

        `first`, a row this backend read for `key` just before (`RateCount.row`,
        `journal_count`), stands for the first try's read: the compare-and-swap checks it
        like any read, so a row that is stale by then costs a second try, never a lost update.

        Several workers may answer the same conversation at once. The save is a
        compare-and-swap on what was read: if another worker saved in between, `compute`
        runs again on the newer state (the engine is a pure function of question and state,
        so asking again is safe). No lock is held while `compute` runs, except after
        UPDATE_TRIES lost races, when one locked read-compute-write makes sure it gets in.
        """

    @abstractmethod
    def forget(self, key: str) -> None:
        """Delete the state for `key` (unfollow, leave)."""

    # -- webhook events and senders --

    @abstractmethod
    def claim_event(self, event_id: str, now: float | None = None) -> bool:
        """True the first time `event_id` is seen by any process, False for a redelivery.

        Ids are remembered for SEEN_EVENT_TTL.
        """

    @abstractmethod
    def hit_rate(
        self, key: str, limit: int, window: float = 60.0, now: float | None = None
    ) -> str:
        """Count one message for `key`: "ok", "notice" (first over the limit) or "silent".

        A fixed window per key, counted atomically so concurrent workers agree on the count.
        """

    # -- the event journal --

    @abstractmethod
    def journal_add(self, event_id: str, payload: str, now: float | None = None,
                    worker: str | None = None, lease_seconds: float = 0.0,
                    rate: RateCount | None = None) -> str:
        """Journal an accepted event so that it is answered at least once; idempotent.

        Returns ADDED for a new event; PENDING when `event_id` is already journaled and not
        done (a redelivery: it is not added twice, its payload is replaced by this newer one,
        so whoever takes it next answers with the latest reply token; it stays answerable,
        see `journal_take` and `journal_release`); DONE when it was already answered or
        given up (the caller ignores it). Done entries are remembered for SEEN_EVENT_TTL.

        With `worker`, a new event is added already leased to `worker` for `lease_seconds`
        (its first attempt), as if `journal_take` had taken it at once: the webhook answering
        what it just journaled writes once instead of twice. A redelivery is never leased.

        With `rate`, a new event's message is counted in `rate.key`'s window (as `hit_rate`
        counts, atomically, in the same write) and its number kept with the entry
        (`JournalEntry.rate_count`, and `rate.count` where the backend learns it at once).
        A redelivery is not counted again.
        """

    @abstractmethod
    def journal_take(
        self,
        worker: str,
        lease_seconds: float,
        now: float | None = None,
        event_id: str | None = None,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> JournalEntry | None:
        """Lease the oldest pending event that is free, or None if there is none.

        Free means never taken, released, or its lease expired (its worker died or hung):
        such an event is taken up again. The lease lasts `lease_seconds`; `worker` names the
        taker (`worker_name(pid)` for a process, so it can be released when it dies). With
        `event_id`, only that event is taken (the webhook answering what it just journaled).
        An event already taken `max_attempts` times is not handed out again: it is marked
        done with the outcome ABANDONED (it crashed or outlived every worker that took it).
        """

    @abstractmethod
    def journal_done(self, event_id: str, outcome: str, now: float | None = None) -> bool:
        """Mark an event done with `outcome` (e.g. "sent", "refused"); its payload is erased.

        Call it only once LINE accepted the reply or definitively refused it. True if the
        event was pending; False if it was unknown or already done (nothing changes).
        """

    def journal_done_many(self, marks: list[tuple[str, str, float]]) -> int:
        """`journal_done` for several events at once: (event_id, outcome, now) each, in one
        write where the backend can (a busy process marks its finished events together).
        Returns how many were pending."""
        return sum(self.journal_done(event_id, outcome, now) for event_id, outcome, now in marks)

    @abstractmethod
    def journal_renew(self, worker: str, event_ids: list[str], lease_seconds: float,
                      now: float | None = None) -> int:
        """Extend the leases `worker` holds on `event_ids` to `now + lease_seconds`.

        The heartbeat of a live worker still answering (a slow LINE, retries with backoff):
        leases stay short, so a whole host that dies holding events loses them to another
        host within seconds, while the reply tokens still work. Entries leased by another
        worker, released or done are left alone. Returns how many were extended.
        """

    @abstractmethod
    def journal_release(self, worker: str, now: float | None = None) -> int:
        """Free every pending event leased by `worker`, for the next `journal_take`.

        For a supervisor that saw `worker` die (gunicorn's `child_exit` hook with
        `worker_name(worker.pid)`), so its events need not wait for their leases to expire.
        Returns how many were released.
        """

    @abstractmethod
    def journal_get(self, event_id: str) -> JournalEntry | None:
        """The journal entry for `event_id`, or None if it was never journaled (or expired)."""

    def journal_count(self, event_id: str,
                      chat: str | None = None) -> tuple[int | None, tuple | None]:
        """The rate count its add gave `event_id`'s message (None when not counted, or the
        entry is gone), and `chat`'s saved state where the backend reads it in the same step
        (for `update(first=...)`), else None."""
        found = self.journal_get(event_id)
        return (None if found is None else found.rate_count), None

    # -- housekeeping --

    @abstractmethod
    def purge(self, now: float | None = None) -> None:
        """Delete expired conversations, old event ids, stale rate windows and old done
        journal entries."""

    @abstractmethod
    def checkpoint(self) -> None:
        """Housekeeping a background thread does once a second, off the answer path (the
        SQLite backend moves its write-ahead log into the database)."""

    @abstractmethod
    def close(self) -> None:
        """Release this thread's (or this process's) connections."""

    # -- shared helpers --

    def _state_of(self, data: str | None, updated: float | None, now: float) -> State:
        """The State stored as `data` at `updated`; fresh if none, expired or unreadable."""
        if data is None or updated is None or now - updated > self.ttl:
            return State()
        try:
            return State.from_dict(json.loads(data))
        except ValueError:
            logger.warning("state: unreadable conversation row replaced with a fresh state")
            return State()
