"""Conversation state and seen webhook events, in a small SQLite database of their own.

The state database is separate from the rebuildable index: rebuilding the index never
forgets who was talking about which plan. LINE user, group and room ids are never
stored: rows are keyed by HMAC-SHA256(PLANBOT_HASH_KEY, "<kind>:<id>").

Several gunicorn workers (processes) and the threads inside each share the file, so it
runs in WAL mode, each thread keeps its own connection (reopened after a fork), and every
transaction is one statement or one short BEGIN IMMEDIATE. A conversation's state is
updated with a compare-and-swap (`update`), so two workers answering the same chat at
once never lose each other's update. This module uses the standard
`sqlite3` module rather than sqlite-utils because it needs explicit `BEGIN IMMEDIATE`
transactions and `INSERT OR IGNORE` row counts.

A missing database is created; a corrupt one is moved aside with a warning and
recreated, so the bot keeps answering (it only forgets conversations).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import random
import sqlite3
import threading
import time
from pathlib import Path

from bot.reply import State

logger = logging.getLogger(__name__)

DEFAULT_TTL = 3600
#: LINE redelivers a failed webhook for a while; remember event ids for a day.
SEEN_EVENT_TTL = 24 * 3600
#: Fraction of writes that also delete expired rows, so no separate cleaner is needed.
PURGE_PROBABILITY = 0.01
BUSY_TIMEOUT_MS = 5000
#: Our own generator: drawing from the global `random` would disturb anyone seeding it.
_purge_random = random.Random()
#: Compare-and-swap tries in `update` before it takes the write lock instead.
UPDATE_TRIES = 3

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
"""


def conversation_key(hash_key: bytes, kind: str, line_id: str) -> str:
    """The stored key for a LINE user, group or room id: a keyed hash, never the id."""
    message = f"{kind}:{line_id}".encode("utf-8", "surrogatepass")
    return hmac.new(hash_key, message, hashlib.sha256).hexdigest()


class StateStore:
    """Loads and saves `State` per conversation, and remembers webhook event ids."""

    def __init__(self, path: str | Path, hash_key: bytes, ttl: float = DEFAULT_TTL):
        self.path = Path(path)
        self.hash_key = hash_key
        self.ttl = ttl
        self._recreate_lock = threading.Lock()
        self._missing_inode: int | None = None  # the file whose loss was last announced
        self._local = threading.local()
        self._run(lambda db: None, setup=True)  # create or repair the file now

    def key(self, kind: str, line_id: str) -> str:
        """The hashed key for a conversation (`kind` is user, group or room)."""
        return conversation_key(self.hash_key, kind, line_id)

    def load(self, key: str, now: float | None = None) -> State:
        """The state saved for `key`, or a fresh one if none or idle longer than the TTL."""
        now = time.time() if now is None else now

        def read(db):
            return db.execute(
                "SELECT data, updated FROM conversation WHERE key = ?", (key,)
            ).fetchone()

        return self._state_of(self._run(read), now)

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

    def update(self, key: str, compute, now: float | None = None):
        """Load `key`'s state, `compute(state) -> (result, new_state)`, save; return `result`.

        Several workers may answer the same conversation at once (LINE delivers to any of
        them). A plain load-then-save would let the later save silently drop the earlier
        one, so the save is a compare-and-swap on the row that was read: if another worker
        saved in between, `compute` runs again on the newer state (the engine is a pure
        function of question and state, so asking again is safe). Each try is two short
        statements; no lock is held while `compute` runs, except after UPDATE_TRIES lost
        races, when one locked read-compute-write makes sure the update still gets in.
        """
        for _attempt in range(UPDATE_TRIES):
            stamp = time.time() if now is None else now
            row = self._run(
                lambda db: db.execute(
                    "SELECT data, updated FROM conversation WHERE key = ?", (key,)
                ).fetchone()
            )
            result, new_state = compute(self._state_of(row, stamp))
            if self._swap(key, row, new_state, stamp):
                self._maybe_purge(stamp)
                return result
            logger.info("state: another worker updated this conversation; answering again")
        # Still contended: take the write lock for one read-compute-write, so it cannot starve.
        return self._locked_update(key, compute, time.time() if now is None else now)

    def _locked_update(self, key: str, compute, now: float):
        def locked(db):
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(
                    "SELECT data, updated FROM conversation WHERE key = ?", (key,)
                ).fetchone()
                result, new_state = compute(self._state_of(row, now))
                db.execute(
                    "INSERT OR REPLACE INTO conversation (key, data, updated) VALUES (?, ?, ?)",
                    (key, json.dumps(new_state.to_dict()), now),
                )
                db.execute("COMMIT")
                return result
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

        return self._run(locked)

    def forget(self, key: str) -> None:
        """Delete the state for `key` (unfollow, leave)."""

        def delete(db):
            db.execute("DELETE FROM conversation WHERE key = ?", (key,))

        self._run(delete)

    def _state_of(self, row, now: float) -> State:
        if row is None or now - row[1] > self.ttl:
            return State()
        try:
            return State.from_dict(json.loads(row[0]))
        except ValueError:
            logger.warning("state: unreadable conversation row replaced with a fresh state")
            return State()

    def _swap(self, key: str, row, state: State, now: float) -> bool:
        """Write `state` only if the row is still the one read (`row`, None if absent)."""
        data = json.dumps(state.to_dict())

        def write(db):
            if row is None:
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

    def claim_event(self, event_id: str, now: float | None = None) -> bool:
        """True the first time `event_id` is seen by any process, False for a redelivery."""
        now = time.time() if now is None else now
        # Hashed (unkeyed) so any string LINE or a fuzzer sends is a valid, bounded key.
        digest = hashlib.sha256(event_id.encode("utf-8", "surrogatepass")).hexdigest()

        def insert(db):
            cursor = db.execute(
                "INSERT OR IGNORE INTO seen_event (id, seen) VALUES (?, ?)", (digest, now)
            )
            return cursor.rowcount == 1

        claimed = self._run(insert)
        self._maybe_purge(now)
        return claimed

    def hit_rate(
        self, key: str, limit: int, window: float = 60.0, now: float | None = None
    ) -> str:
        """Count one message for `key`: "ok", "notice" (first over the limit) or "silent".

        A fixed window per key, counted in one IMMEDIATE transaction so concurrent workers
        agree on the count.
        """
        now = time.time() if now is None else now

        def count(db):
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(
                    "SELECT window_start, count, noticed FROM rate WHERE key = ?", (key,)
                ).fetchone()
                if row is None or now - row[0] >= window:
                    start, hits, noticed = now, 1, 0
                else:
                    start, hits, noticed = row[0], row[1] + 1, row[2]
                verdict = "ok"
                if hits > limit:
                    verdict = "silent" if noticed else "notice"
                    noticed = 1
                db.execute(
                    "INSERT OR REPLACE INTO rate (key, window_start, count, noticed) "
                    "VALUES (?, ?, ?, ?)",
                    (key, start, hits, noticed),
                )
                db.execute("COMMIT")
                return verdict
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

        return self._run(count)

    def purge(self, now: float | None = None) -> None:
        """Delete expired conversations, old event ids and stale rate windows."""
        now = time.time() if now is None else now

        def delete(db):
            db.execute("DELETE FROM conversation WHERE updated < ?", (now - self.ttl,))
            db.execute("DELETE FROM seen_event WHERE seen < ?", (now - SEEN_EVENT_TTL,))
            db.execute("DELETE FROM rate WHERE window_start < ?", (now - 3600,))

        self._run(delete)

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        self._drop_connection()

    def _maybe_purge(self, now: float) -> None:
        if _purge_random.random() < PURGE_PROBABILITY:
            self.purge(now)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: each statement is its own short transaction; hit_rate opens BEGIN IMMEDIATE.
        db = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
            check_same_thread=False,
        )
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: survives a process kill
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.executescript(SCHEMA)
        except BaseException:
            db.close()
            raise
        return db

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, reopened after a fork or when the file was replaced.

        Connections are kept (one per thread) because closing the last connection to a WAL
        database checkpoints and fsyncs it, which made every message cost milliseconds.
        One `os.stat` per call notices a deleted or replaced file.
        """
        local = self._local
        try:
            inode = os.stat(self.path).st_ino
        except FileNotFoundError:
            inode = None
        db = getattr(local, "db", None)
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
        return db

    def _drop_connection(self) -> None:
        db = getattr(self._local, "db", None)
        self._local.db = None
        if db is not None and self._local.pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                db.close()

    def _run(self, operation, setup: bool = False):
        """Run `operation(db)`; on a missing table or a corrupt file, repair and retry once."""
        for attempt in (1, 2):
            try:
                if setup:
                    self._drop_connection()  # a fresh connection runs the schema
                db = self._connection()
            except sqlite3.DatabaseError as error:
                self._drop_connection()
                if attempt == 2:
                    raise
                self._recreate(error)
                continue
            try:
                return operation(db)
            except sqlite3.OperationalError as error:
                self._drop_connection()
                if attempt == 2 or "no such table" not in str(error):
                    raise
            except sqlite3.DatabaseError as error:
                self._drop_connection()
                if attempt == 2:
                    raise
                self._recreate(error)
        raise AssertionError("unreachable")

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
