"""The embedded state backend: a small SQLite database of its own (the default).

The state database is separate from the rebuildable index: rebuilding the index never
forgets who was talking about which plan.

Several gunicorn workers (processes) and the threads inside each share the file, so it
runs in WAL mode, each thread keeps its own connection (reopened after a fork), and every
transaction is one statement or one short BEGIN IMMEDIATE. This module uses the standard
`sqlite3` module rather than sqlite-utils because it needs explicit `BEGIN IMMEDIATE`
transactions, `INSERT OR IGNORE` row counts and per-connection busy timeouts.

A missing database is created; a corrupt one is moved aside with a warning and
recreated, so the bot keeps answering (it only forgets conversations).

Another connection holding the write lock (an admin's `sqlite3` session in BEGIN
IMMEDIATE, a long backup) costs at most one bounded wait (`lock_wait`, 1 s) per process:
after a write gave up, the store is "locked out" and later writes try only briefly
(QUICK_WAIT) until one gets through again. Meanwhile nothing that protects LINE is
skipped: in WAL mode readers are never blocked by a writer, so conversations are still
read and answered in context (their new state is not saved), and event ids and rate
windows go to an overflow database beside this one (`<path>.overflow`), see `claim_event`.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import sqlite3
import threading
import time
from pathlib import Path

from bot.reply import State
from bot.state.base import (
    ABANDONED,
    ADDED,
    DEFAULT_TTL,
    DONE,
    MAX_ATTEMPTS,
    PENDING,
    RATE_ROW_TTL,
    SEEN_EVENT_TTL,
    UPDATE_TRIES,
    JournalEntry,
    RateCount,
    StateBackend,
    StateLocked,
    decode_payload,
    encode_payload,
    event_digest,
    logger,
)

#: Fraction of writes that also delete expired rows, so no separate cleaner is needed.
PURGE_PROBABILITY = 0.01
#: Our own generator: drawing from the global `random` would disturb anyone seeding it.
_purge_random = random.Random()
#: Seconds a write waits for another connection's write lock before giving up (once).
LOCK_WAIT = 1.0
#: Seconds a write waits while the store is locked out (see the module docstring).
QUICK_WAIT = 0.05
#: Write-ahead log pages past which a committing connection checkpoints the log itself (the
#: backstop: the runtime's sweeper checkpoints every second, see `checkpoint`). At SQLite's
#: default of 1,000, under load every commit tried a checkpoint that readers kept from
#: finishing, each with an fsync in the middle of an answer: 670 in 6 s at 300 events/s.
AUTO_CHECKPOINT_PAGES = 10_000
#: Done marks written by one statement at most (three parameters each); also the leases
#: one statement renews.
DONE_CHUNK = 200
#: Free events a take reads and finds leased by another taker first before it gives up
#: (until the next sweep).
TAKE_TRIES = 5
#: Seconds a thread's connection is used before the file is looked at again (`_connection`):
#: a deleted or replaced state file is noticed within this long. `os.stat` gives up the GIL,
#: and under load each give-up waits behind the busy threads: once per statement, it cost
#: as many waits as the statements themselves.
STAT_EVERY = 1.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversation (
    key TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS conversation_updated ON conversation (updated);
CREATE TABLE IF NOT EXISTS seen_event (
    id TEXT PRIMARY KEY,
    seen REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS seen_event_seen ON seen_event (seen);
CREATE TABLE IF NOT EXISTS rate (
    key TEXT PRIMARY KEY,
    window_start REAL NOT NULL,
    count INTEGER NOT NULL,
    noticed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS journal (
    id TEXT PRIMARY KEY,          -- event_digest(event_id)
    event_id BLOB NOT NULL,
    payload BLOB,                 -- erased when done
    status TEXT NOT NULL,         -- pending | done
    added REAL NOT NULL,
    available REAL NOT NULL,      -- when it may be taken: when added, released, or lease end
    worker TEXT,                  -- the lease holder
    attempts INTEGER NOT NULL DEFAULT 0,
    outcome TEXT,
    finished REAL                 -- and JOURNAL_COLUMNS_SINCE, added by `_upgrade`
);
CREATE INDEX IF NOT EXISTS journal_ready ON journal (status, available);
CREATE INDEX IF NOT EXISTS journal_worker ON journal (worker) WHERE worker IS NOT NULL;
"""

#: The journal's columns since its first version, added to new and older files alike by
#: `_upgrade` (so each is defined here only): (name, type).
JOURNAL_COLUMNS_SINCE = (
    ("rate_key", "TEXT"),  # the sender's hashed rate key, when counted (erased when done)
    ("rate_window", "REAL"),  # its window's length
    ("rate_count", "INTEGER"),  # the message's number in its sender's window
)

#: A message counted against its sender's rate window inside the journal add itself: an
#: event newly added with a rate key (`journal_add(rate=...)`) counts in `rate` (a new window
#: once the old one is over) and keeps its number there in `rate_count`. A redelivery is
#: ignored by the add, so it is not counted again. One statement where the rate window took
#: one or two of its own, each giving up the GIL and taking the write lock.
TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS journal_counts_rate AFTER INSERT ON journal
WHEN NEW.rate_key IS NOT NULL
BEGIN
    INSERT INTO rate (key, window_start, count, noticed)
    VALUES (NEW.rate_key, NEW.added, 1, 0)
    ON CONFLICT(key) DO UPDATE SET
        count = CASE WHEN NEW.added - window_start < NEW.rate_window THEN count + 1 ELSE 1 END,
        noticed = CASE WHEN NEW.added - window_start < NEW.rate_window THEN noticed ELSE 0 END,
        window_start = CASE WHEN NEW.added - window_start < NEW.rate_window
                            THEN window_start ELSE NEW.added END;
    UPDATE journal SET rate_count = (SELECT count FROM rate WHERE key = NEW.rate_key)
    WHERE id = NEW.id;
END;
"""


class SqliteStateStore(StateBackend):
    """Conversation state, seen event ids, rate windows and the journal in one SQLite file."""

    def __init__(
        self,
        path: str | Path,
        hash_key: bytes,
        ttl: float = DEFAULT_TTL,
        lock_wait: float = LOCK_WAIT,
        overflow: bool = True,
    ):
        self.path = Path(path)
        self.hash_key = hash_key
        self.ttl = ttl
        self.lock_wait = lock_wait
        self._locked_out = False  # a write gave up on the lock; the next success clears it
        self._overflow_path = Path(f"{self.path}.overflow") if overflow else None
        self._overflow_store: SqliteStateStore | None = None
        self._recreate_lock = threading.Lock()
        self._missing_inode: int | None = None  # the file whose loss was last announced
        self._local = threading.local()
        self._run(lambda db: None, setup=True)  # create or repair the file now

    # -- conversation state --

    def load(self, key: str, now: float | None = None) -> State:
        """The state saved for `key`, or a fresh one if none or idle longer than the TTL."""
        now = time.time() if now is None else now
        return self._state_of(*self._read_conversation(key), now)

    def save(self, key: str, state: State, now: float | None = None) -> None:
        """Store `state` for `key`, stamped with the current time."""
        now = time.time() if now is None else now
        data = json.dumps(state.to_dict())  # ASCII escapes: lone surrogates stay storable

        def write(db):
            db.execute(
                "INSERT INTO conversation (key, data, updated) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET data = excluded.data, "
                "updated = excluded.updated",
                (key, data, now),
            )

        self._run(write)
        self._maybe_purge(now)

    def update(self, key: str, compute, now: float | None = None,
               first: tuple | None = None):
        """Load, `compute(state) -> (result, new_state)`, compare-and-swap; return `result`.

        See `StateBackend.update`. Each try is two short statements (one, when `first` is
        the read). When the database is locked by another connection past the bounded wait,
        the answer is still computed on the state read (reads are not blocked in WAL mode),
        and that turn's new state is not saved: a warning says so.
        """
        for _attempt in range(UPDATE_TRIES):
            stamp = time.time() if now is None else now
            row, first = (first if first is not None else self._read_conversation(key)), None
            result, new_state = compute(self._state_of(*row, stamp))
            try:
                swapped = self._swap(key, row, new_state, stamp)
            except StateLocked:
                logger.warning("state: database locked; this answer's new state is not saved")
                return result
            if swapped:
                self._maybe_purge(stamp)
                return result
            logger.info("state: another worker updated this conversation; answering again")
        # Still contended: take the write lock for one read-compute-write, so it cannot starve.
        return self._locked_update(key, compute, time.time() if now is None else now)

    def _read_conversation(self, key: str) -> tuple[str | None, float | None]:
        row = self._run(
            lambda db: db.execute(
                "SELECT data, updated FROM conversation WHERE key = ?", (key,)
            ).fetchone(),
            write=False,
        )
        return (None, None) if row is None else row

    def _locked_update(self, key: str, compute, now: float):
        def locked(db):
            with _immediate(db):
                row = db.execute(
                    "SELECT data, updated FROM conversation WHERE key = ?", (key,)
                ).fetchone()
                result, new_state = compute(self._state_of(*(row or (None, None)), now))
                db.execute(
                    "INSERT OR REPLACE INTO conversation (key, data, updated) VALUES (?, ?, ?)",
                    (key, json.dumps(new_state.to_dict()), now),
                )
                return result

        try:
            return self._run(locked)
        except StateLocked:
            logger.warning("state: database locked; this answer's new state is not saved")
            return compute(self._state_of(*self._read_conversation(key), now))[0]

    def forget(self, key: str) -> None:
        """Delete the state for `key` (unfollow, leave)."""

        def delete(db):
            db.execute("DELETE FROM conversation WHERE key = ?", (key,))

        self._run(delete)

    def _swap(self, key: str, row, state: State, now: float) -> bool:
        """Write `state` only if the row is still the one read (`row`, (None, None) if absent)."""
        data = json.dumps(state.to_dict())

        def write(db):
            if row[0] is None:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO conversation (key, data, updated) VALUES (?, ?, ?)",
                    (key, data, now),
                )
            else:
                cursor = db.execute(
                    "UPDATE conversation SET data = ?, updated = ? "
                    "WHERE key = ? AND data = ? AND updated = ?",
                    (data, now, key, row[0], row[1]),
                )
            return cursor.rowcount == 1

        return self._run(write)

    # -- webhook events and senders --

    def claim_event(self, event_id: str, now: float | None = None) -> bool:
        """True the first time `event_id` is seen by any process, False for a redelivery.

        While another connection holds the write lock, the id is claimed in the overflow
        database instead, and de-duplication stays in force across processes because every
        claim writes its own database first and then reads the other one: the overflow claim
        `O` inserts there, then reads this database; a claim `M` here inserts here, then
        reads the overflow (only when the overflow file exists). Whichever inserted second
        reads the other's row and answers False, so two deliveries of one event are never
        both answered. (Both could read each other's row if they raced exactly as the lock
        is released; then neither answers; there is no such window while the lock is held.)
        """
        now = time.time() if now is None else now
        digest = event_digest(event_id)
        try:
            claimed = self._claim_digest(digest, now)
        except StateLocked:
            if self._overflow_path is None:
                raise
            if not self._overflow().claim_digest(digest, now):
                return False
            return not self._has_seen(digest)
        if claimed and self._overflow_path is not None and self._overflow_path.exists():
            claimed = not self._overflow()._has_seen(digest)
        self._maybe_purge(now)
        return claimed

    def claim_digest(self, digest: str, now: float) -> bool:
        """`claim_event` for an already hashed id, without the overflow (the overflow's own)."""
        return self._claim_digest(digest, now)

    def _claim_digest(self, digest: str, now: float) -> bool:
        def insert(db):
            cursor = db.execute(
                "INSERT OR IGNORE INTO seen_event (id, seen) VALUES (?, ?)", (digest, now)
            )
            return cursor.rowcount == 1

        return self._run(insert)

    def _has_seen(self, digest: str) -> bool:
        row = self._run(
            lambda db: db.execute("SELECT 1 FROM seen_event WHERE id = ?", (digest,)).fetchone(),
            write=False,
        )
        return row is not None

    def hit_rate(
        self, key: str, limit: int, window: float = 60.0, now: float | None = None
    ) -> str:
        """Count one message for `key`: "ok", "notice" (first over the limit) or "silent".

        A fixed window per key, from its first message. Each step is one statement whose row
        count is the verdict, so concurrent workers agree and the write lock is never held
        while this thread waits for the GIL (an upsert RETURNING the count held it from its
        first step to its last, across one): a message within the limit counts itself only
        while the count is below it; else one starts a window when the old one is over
        (then the first count is tried again: another message may have started it); else the
        first message past the limit claims the notice (`noticed`), and the rest are silent.
        While the database is locked the count goes on in the overflow database (a window
        that starts afresh there), so the limit stays in force.
        """
        now = time.time() if now is None else now
        params = {"key": key, "now": now, "window": window, "limit": limit,
                  "over": 1 if limit < 1 else 0}

        def count(db):
            for _try in range(2):
                if db.execute(
                    "UPDATE rate SET count = count + 1 WHERE key = :key "
                    "AND :now - window_start < :window AND count < :limit",
                    params,
                ).rowcount:
                    return "ok"
                if db.execute(
                    "INSERT INTO rate (key, window_start, count, noticed) "
                    "VALUES (:key, :now, 1, :over) ON CONFLICT(key) DO UPDATE SET "
                    "window_start = :now, count = 1, noticed = :over "
                    "WHERE :now - rate.window_start >= :window",
                    params,
                ).rowcount:
                    return "notice" if limit < 1 else "ok"
            noticed = db.execute(
                "UPDATE rate SET noticed = 1 WHERE key = :key AND noticed = 0 "
                "AND :now - window_start < :window",
                params,
            ).rowcount
            return "notice" if noticed else "silent"

        try:
            return self._run(count)
        except StateLocked:
            if self._overflow_path is None:
                raise
            return self._overflow().hit_rate(key, limit, window, now)

    # -- the event journal --

    def journal_add(self, event_id: str, payload: str, now: float | None = None,
                    worker: str | None = None, lease_seconds: float = 0.0,
                    rate: RateCount | None = None) -> str:
        """See `StateBackend.journal_add`. The rate count is the TRIGGERS' (`rate.count`
        stays None: learning it here would hold the write lock across a GIL hand-back)."""
        now = time.time() if now is None else now
        digest = event_digest(event_id)
        stored = encode_payload(payload)
        available, attempts = (now, 0) if worker is None else (now + lease_seconds, 1)
        rate_key, rate_window = (None, None) if rate is None else (rate.key, rate.window)

        def add(db):
            cursor = db.execute(
                "INSERT OR IGNORE INTO journal (id, event_id, payload, status, added, available, "
                "worker, attempts, rate_key, rate_window) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (digest, event_id.encode("utf-8", "surrogatepass"), stored, PENDING, now,
                 available, worker, attempts, rate_key, rate_window),
            )
            if cursor.rowcount == 1:
                return ADDED
            cursor = db.execute(
                "UPDATE journal SET payload = ? WHERE id = ? AND status = ?",
                (stored, digest, PENDING),
            )
            return PENDING if cursor.rowcount == 1 else DONE

        return self._run(add)

    def journal_count(self, event_id: str,
                      chat: str | None = None) -> tuple[int | None, tuple | None]:
        """See `StateBackend.journal_count`: one statement reads the count and, with `chat`,
        that chat's saved state, which the turn's `update` would otherwise read next on its
        own (each statement gives up the GIL twice, and under load each give-up waits)."""
        if chat is None:
            return super().journal_count(event_id)
        digest = event_digest(event_id)
        count, data, updated = self._run(
            lambda db: db.execute(
                "SELECT (SELECT rate_count FROM journal WHERE id = ?), data, updated "
                "FROM (SELECT 1) LEFT JOIN conversation ON key = ?",
                (digest, chat),
            ).fetchone(),
            write=False,
        )
        return count, (data, updated)

    def journal_take(
        self,
        worker: str,
        lease_seconds: float,
        now: float | None = None,
        event_id: str | None = None,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> JournalEntry | None:
        """See `StateBackend.journal_take`: read a free event, then lease it by one
        compare-and-set statement (its attempts as read); one taker per event.

        Every write is one statement, so the write lock is never held while this thread
        waits for the GIL (a BEGIN IMMEDIATE around the read held it between statements, and
        the sweeper takes every second while busy threads hold the GIL). With nothing to give
        up or take, nothing is written at all."""
        now = time.time() if now is None else now
        only = "" if event_id is None else " AND id = :id"
        params = {
            "now": now,
            "id": None if event_id is None else event_digest(event_id),
            "max": max_attempts,
            "worker": worker,
            "until": now + lease_seconds,
            "pending": PENDING,
            "done": DONE,
            "abandoned": ABANDONED,
        }
        self._give_up(params, only, max_attempts)
        for _try in range(TAKE_TRIES):
            row = self._run(
                lambda db: db.execute(
                    "SELECT id, event_id, payload, attempts, rate_count FROM journal "
                    "WHERE status = :pending AND available <= :now AND attempts < :max" + only
                    + " ORDER BY available, added LIMIT 1",
                    params,
                ).fetchone(),
                write=False,
            )
            if row is None:
                return None
            taken = {**params, "taken": row[0], "seen": row[3]}
            if self._run(
                lambda db, taken=taken: db.execute(
                    "UPDATE journal SET worker = :worker, available = :until, "
                    "attempts = attempts + 1 WHERE id = :taken AND status = :pending "
                    "AND available <= :now AND attempts = :seen",
                    taken,
                ).rowcount == 1
            ):
                break
        else:
            return None  # others took each one read first; the next sweep looks again
        return JournalEntry(decode_payload(row[1]), decode_payload(row[2]), PENDING,
                            attempts=row[3] + 1, worker=worker, lease_until=now + lease_seconds,
                            rate_count=row[4])

    def _give_up(self, params: dict, only: str, max_attempts: int) -> None:
        """Mark done (abandoned) the free events tried `max_attempts` times: written only
        when a read finds one."""
        poisoned = "status = :pending AND available <= :now AND attempts >= :max" + only
        if self._run(
            lambda db: db.execute(f"SELECT 1 FROM journal WHERE {poisoned} LIMIT 1",
                                  params).fetchone(),
            write=False,
        ) is None:
            return
        abandoned = self._run(
            lambda db: db.execute(
                "UPDATE journal SET status = :done, outcome = :abandoned, payload = NULL, "
                f"worker = NULL, rate_key = NULL, finished = :now WHERE {poisoned}",
                params,
            ).rowcount
        )
        if abandoned:
            logger.warning("journal: %d event(s) given up after %d attempts", abandoned,
                           max_attempts)

    def journal_done(self, event_id: str, outcome: str, now: float | None = None) -> bool:
        """See `StateBackend.journal_done`."""
        now = time.time() if now is None else now
        return self.journal_done_many([(event_id, outcome, now)]) == 1

    def journal_done_many(self, marks: list[tuple[str, str, float]]) -> int:
        """See `StateBackend.journal_done_many`: one statement for up to DONE_CHUNK of them.

        One statement, so the write lock is held inside SQLite only (see `_connection`):
        executemany, or statements between BEGIN and COMMIT, would hold it while this thread
        waits for the GIL between rows, and put the other workers' writes to sleep."""
        if not marks:
            return 0
        if len(marks) > DONE_CHUNK:
            return sum(map(self.journal_done_many, _chunks(marks)))
        values = [value for event_id, outcome, now in marks
                  for value in (event_digest(event_id), outcome, now)]
        rows = ", ".join(["(?, ?, ?)"] * len(marks))

        def done(db):
            return db.execute(
                "UPDATE journal SET status = ?, outcome = mark.column2, payload = NULL, "
                "worker = NULL, rate_key = NULL, finished = mark.column3 "
                f"FROM (VALUES {rows}) AS mark "
                "WHERE journal.id = mark.column1 AND journal.status = ?",
                [DONE, *values, PENDING],
            ).rowcount

        finished = self._run(done)
        self._maybe_purge(max(now for _, _, now in marks))
        return finished

    def journal_renew(self, worker: str, event_ids: list[str], lease_seconds: float,
                      now: float | None = None) -> int:
        """See `StateBackend.journal_renew`: one statement per DONE_CHUNK events."""
        now = time.time() if now is None else now
        renewed = 0
        for chunk in _chunks([event_digest(event_id) for event_id in event_ids]):

            def renew(db, chunk=chunk):
                return db.execute(
                    "UPDATE journal SET available = ? WHERE worker = ? AND status = ? "
                    f"AND id IN ({', '.join('?' * len(chunk))})",
                    [now + lease_seconds, worker, PENDING, *chunk],
                ).rowcount

            renewed += self._run(renew)
        return renewed

    def journal_release(self, worker: str, now: float | None = None) -> int:
        """See `StateBackend.journal_release`."""
        now = time.time() if now is None else now

        def release(db):
            return db.execute(
                "UPDATE journal SET worker = NULL, available = ? WHERE worker = ? AND status = ?",
                (now, worker, PENDING),
            ).rowcount

        return self._run(release)

    def journal_get(self, event_id: str) -> JournalEntry | None:
        """See `StateBackend.journal_get`."""
        row = self._run(
            lambda db: db.execute(
                "SELECT event_id, payload, status, attempts, worker, available, outcome, "
                "rate_count FROM journal WHERE id = ?",
                (event_digest(event_id),),
            ).fetchone(),
            write=False,
        )
        if row is None:
            return None
        event, payload, status, attempts, worker, available, outcome, rate_count = row
        return JournalEntry(
            event_id=decode_payload(event),
            payload=None if payload is None else decode_payload(payload),
            status=status,
            attempts=attempts,
            worker=worker,
            lease_until=available if worker is not None else None,
            outcome=outcome,
            rate_count=rate_count,
        )

    # -- housekeeping --

    def purge(self, now: float | None = None) -> None:
        """Delete expired conversations, old event ids, stale rate windows, old done entries."""
        now = time.time() if now is None else now

        def delete(db):
            db.execute("DELETE FROM conversation WHERE updated < ?", (now - self.ttl,))
            db.execute("DELETE FROM seen_event WHERE seen < ?", (now - SEEN_EVENT_TTL,))
            db.execute("DELETE FROM rate WHERE window_start < ?", (now - RATE_ROW_TTL,))
            db.execute(
                "DELETE FROM journal WHERE status = ? AND finished < ?",
                (DONE, now - SEEN_EVENT_TTL),
            )

        self._run(delete)
        if self._overflow_path is not None and self._overflow_path.exists():
            self._overflow().purge(now)

    def checkpoint(self) -> None:
        """Copy the write-ahead log's committed pages into the database without waiting for
        anyone (PASSIVE), so the log stays short and no answer pays for it. A locked or busy
        database is left for the next second."""
        with contextlib.suppress(StateLocked, sqlite3.Error):
            self._run(lambda db: db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone(),
                      write=False)

    def close(self) -> None:
        """Close this thread's connections (others close when their threads end)."""
        self._drop_connection()
        if self._overflow_store is not None:
            self._overflow_store.close()

    def _maybe_purge(self, now: float) -> None:
        if _purge_random.random() < PURGE_PROBABILITY:
            with contextlib.suppress(StateLocked):  # housekeeping can wait for a free moment
                self.purge(now)

    def _overflow(self) -> SqliteStateStore:
        """The overflow database used while this one is locked (created on first use)."""
        with self._recreate_lock:
            if self._overflow_store is None:
                self._overflow_store = SqliteStateStore(
                    self._overflow_path, self.hash_key, self.ttl, self.lock_wait, overflow=False
                )
            return self._overflow_store

    # -- connections --

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: each statement is its own short transaction; some open BEGIN IMMEDIATE.
        db = sqlite3.connect(
            self.path, timeout=self.lock_wait, isolation_level=None, check_same_thread=False
        )
        try:
            db.execute(f"PRAGMA busy_timeout = {int(self.lock_wait * 1000)}")
            db.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: survives a process kill
            db.execute(f"PRAGMA wal_autocheckpoint = {AUTO_CHECKPOINT_PAGES}")
            setup_wal(db, SCHEMA, self.lock_wait, upgrade=_upgrade)
        except BaseException:
            db.close()
            raise
        return db

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, reopened after a fork or when the file was replaced.

        Connections are kept (one per thread) because closing the last connection to a WAL
        database checkpoints and fsyncs it, which made every message cost milliseconds.
        One `os.stat` per STAT_EVERY seconds notices a deleted or replaced file.
        """
        local = self._local
        db = getattr(local, "db", None)
        if db is not None and time.monotonic() < local.next_stat and local.pid == os.getpid():
            return db
        try:
            inode = os.stat(self.path).st_ino
        except FileNotFoundError:
            inode = None
        if db is not None and inode is None and local.pid == os.getpid():
            with self._recreate_lock:  # one warning per lost file, not one per thread
                if self._missing_inode != local.inode:
                    self._missing_inode = local.inode
                    logger.warning(
                        "state: database %s disappeared while running; starting a new one "
                        "(conversations so far are forgotten)",
                        self.path,
                    )
        if db is not None and (local.pid != os.getpid() or local.inode != inode):
            if local.pid == os.getpid():
                db.close()
            db = local.db = None  # a connection from before a fork is never touched again
        if db is None:
            db = self._connect()
            local.db, local.pid, local.inode = db, os.getpid(), os.stat(self.path).st_ino
            local.wait = self.lock_wait
        local.next_stat = time.monotonic() + STAT_EVERY
        return db

    def _drop_connection(self) -> None:
        db = getattr(self._local, "db", None)
        self._local.db = None
        if db is not None and self._local.pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                db.close()

    def _set_wait(self, db: sqlite3.Connection) -> None:
        """The busy timeout for the next statement: the bounded wait, or a brief one while
        locked out, so one held lock costs an answer one wait, not one per statement."""
        wait = QUICK_WAIT if self._locked_out else self.lock_wait
        if self._local.wait != wait:
            db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            self._local.wait = wait

    def _run(self, operation, setup: bool = False, write: bool = True):
        """Run `operation(db)`; on a missing table or a corrupt file, repair and retry once.

        A write that times out on another connection's lock raises StateLocked and locks
        the store out (brief waits) until a write gets through again.
        """
        for attempt in (1, 2):
            try:
                if setup:
                    self._drop_connection()  # a fresh connection runs the schema
                db = self._connection()
                self._set_wait(db)
            except sqlite3.DatabaseError as error:
                self._drop_connection()
                if _is_busy(error):  # a new schema object while another connection writes
                    self._lock_out()
                    raise StateLocked(f"state database {self.path} is locked") from error
                if attempt == 2:
                    raise
                self._recreate(error)
                continue
            try:
                result = operation(db)
            except sqlite3.OperationalError as error:
                if _is_busy(error):
                    self._lock_out()
                    raise StateLocked(f"state database {self.path} is locked") from error
                self._drop_connection()
                if attempt == 2 or "no such table" not in str(error):
                    raise
            except sqlite3.DatabaseError as error:
                self._drop_connection()
                if attempt == 2:
                    raise
                self._recreate(error)
            else:
                if write and self._locked_out:
                    self._locked_out = False
                    logger.warning("state: database %s is writable again", self.path)
                return result
        raise AssertionError("unreachable")

    def _lock_out(self) -> None:
        if not self._locked_out:
            self._locked_out = True
            logger.warning(
                "state: database %s stayed locked by another connection for %.1f s (an admin "
                "session, a backup?); answering without waiting, de-duplication and rate "
                "limits go on in %s",
                self.path,
                self.lock_wait,
                self._overflow_path,
            )

    def _recreate(self, error: Exception) -> None:
        """Move a corrupt state database aside and start an empty one."""
        with self._recreate_lock:
            logger.warning(
                "state: database %s is unusable (%s); moving it aside and starting a new one",
                self.path,
                error,
            )
            stamp = time.strftime("%Y%m%dT%H%M%S")
            for suffix in ("", "-wal", "-shm"):
                old = Path(f"{self.path}{suffix}")
                if old.exists():
                    try:
                        os.replace(old, f"{self.path}.corrupt-{stamp}{suffix}")
                    except OSError:
                        old.unlink(missing_ok=True)


def _chunks(items: list) -> list[list]:
    """`items` in slices of DONE_CHUNK, the most one statement takes."""
    return [items[n:n + DONE_CHUNK] for n in range(0, len(items), DONE_CHUNK)]


@contextlib.contextmanager
def _immediate(db: sqlite3.Connection):
    """One BEGIN IMMEDIATE transaction: committed when the block ends, rolled back on error."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _upgrade(db: sqlite3.Connection) -> None:
    """Bring a state file made by an older version up to SCHEMA (the journal's newer
    columns; another process adding one first is fine), then create the TRIGGERS."""
    have = {row[1] for row in db.execute("PRAGMA table_info(journal)")}
    for name, kind in JOURNAL_COLUMNS_SINCE:
        if name not in have:
            try:
                db.execute(f"ALTER TABLE journal ADD COLUMN {name} {kind}")
            except sqlite3.OperationalError as error:
                if "duplicate column" not in str(error):
                    raise
    db.executescript(TRIGGERS)


def setup_wal(db: sqlite3.Connection, schema: str, wait: float, upgrade=None) -> None:
    """WAL mode, `schema` (idempotent statements) and then `upgrade(db)` on a new connection.

    Processes starting together on a new file can deadlock here (one switching to WAL while
    another creates the tables): SQLite then answers one of them "locked" at once, without
    its busy wait, and a gunicorn worker failing so at boot shut the whole server down. The
    statements are tried again, for up to `wait` seconds, after the other connection's."""
    deadline = time.monotonic() + wait
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.executescript(schema)
            if upgrade is not None:
                upgrade(db)
            return
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or time.monotonic() >= deadline:
                raise
            if db.in_transaction:
                db.rollback()
            time.sleep(random.uniform(0.005, 0.03))


def _is_busy(error: sqlite3.Error) -> bool:
    """True for SQLITE_BUSY (and its extended codes): another connection holds the lock."""
    return getattr(error, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY


#: The name the webhook and older callers know.
StateStore = SqliteStateStore
