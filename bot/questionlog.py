"""The question log: what teachers asked that the bot could not answer, for the admin's report.

Its own small SQLite file (PLANBOT_LOG_DB, by default `questions.db` beside the state DB), one
row per question: the question's text, the reply's kind and the time. Nothing else: no LINE
user, group or room id, hashed or not, so a row cannot be traced back to a person or a chat.
Only the kinds the report needs are kept (`LOGGED_KINDS`, the replies that did not answer:
`bot.reply.UNANSWERED_KINDS`); answered questions are not logged at all. E-mail addresses,
phone numbers and anything shaped like a LINE id inside a question are masked before it is
written.

Rows older than PLANBOT_LOG_DAYS (default 30) are deleted: when the log is opened, when the
report reads it, and now and then on a write. PLANBOT_LOG_DAYS=0 turns the log off: nothing is
written and no file is created.

Several gunicorn workers share the file, so it runs in WAL mode, and each thread keeps one
connection (reopened after a fork or when the file was replaced), as the state database does:
opening a connection for each question, and closing the last one (which checkpoints, syncs
and deletes the WAL), cost each logged question almost a millisecond of CPU, as much as the
answer itself. Commits are not synced to disk (synchronous=NORMAL, as in the state database).
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import re
import sqlite3
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.reply import UNANSWERED_KINDS
from bot.state.sqlite import AUTO_CHECKPOINT_PAGES, setup_wal

logger = logging.getLogger(__name__)

DAY = 24 * 3600
#: Reply kinds whose question is kept: the bot declined, or could not tell what was meant.
LOGGED_KINDS = UNANSWERED_KINDS - {"ack"}  # "โอเคครับ", "555": nothing was asked
#: Longest question kept, in characters (the engine reads no more than 500 by default).
MAX_TEXT = 1000
#: Fraction of writes that also delete expired rows, as the state DB does.
PURGE_PROBABILITY = 0.02
BUSY_TIMEOUT_S = 5.0
_purge_random = random.Random()

SCHEMA = """
CREATE TABLE IF NOT EXISTS question (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    asked REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS question_asked ON question (asked);
"""

#: What a teacher might paste into a question that identifies someone: masked before writing.
_MASKS = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "<อีเมล>"),
    (re.compile(r"(?<![0-9A-Za-z])[UCR][0-9a-f]{32,40}(?![0-9a-f])"), "<id>"),  # LINE user, group and room ids
    (re.compile(r"(?<![\d])(?:\+66|0)\d{1,2}[-\s]?\d{3}[-\s]?\d{3,4}(?![\d])"), "<โทรศัพท์>"),
)


@dataclass(frozen=True)
class Entry:
    """One logged question."""

    text: str
    kind: str
    asked: float  # seconds since the epoch


def masked(text: str) -> str:
    """`text` with e-mail addresses, phone numbers and LINE-id-shaped strings replaced."""
    for pattern, placeholder in _MASKS:
        text = pattern.sub(placeholder, text)
    return text


class QuestionLog:
    """Append unanswered questions; read them back by period; forget them after `days`."""

    def __init__(self, path: str | Path, days: int):
        if days <= 0:
            raise ValueError("a question log keeps questions for at least one day")
        self.path = Path(path)
        self.days = days
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.purge()  # the first connection creates the schema

    @classmethod
    def from_config(cls, config: Mapping) -> QuestionLog | None:
        """The log PLANBOT_LOG_DB and PLANBOT_LOG_DAYS ask for, or None when the log is off."""
        days = int(config.get("PLANBOT_LOG_DAYS") or 0)
        if days <= 0:
            return None
        return cls(config["PLANBOT_LOG_DB"], days)

    def record(self, text: str, kind: str, now: float | None = None) -> bool:
        """Keep `text` if `kind` is one the report is about; True when a row was written."""
        text = masked((text or "").strip())[:MAX_TEXT]
        if kind not in LOGGED_KINDS or not text:
            return False
        now = time.time() if now is None else now
        self._connection().execute(  # autocommit: see `_connection`
            "INSERT INTO question (text, kind, asked) VALUES (?, ?, ?)", (text, kind, now)
        )
        if _purge_random.random() < PURGE_PROBABILITY:
            self.purge(now)
        return True

    def entries(
        self, since: float, until: float | None = None, limit: int | None = None
    ) -> list[Entry]:
        """Questions asked from `since` to `until` (now), oldest first; expired ones purged.
        With `limit`, only the latest `limit` of them."""
        until = time.time() if until is None else until
        self.purge(until)
        rows = self._connection().execute(
            "SELECT text, kind, asked FROM question WHERE asked >= ? AND asked <= ? "
            "ORDER BY asked DESC, id DESC LIMIT ?",
            (since, until, -1 if limit is None else limit),
        ).fetchall()
        return [Entry(*row) for row in reversed(rows)]

    def count(self, since: float, until: float) -> int:
        """How many questions were asked from `since` to `until`."""
        return self._connection().execute(
            "SELECT count(*) FROM question WHERE asked >= ? AND asked <= ?", (since, until)
        ).fetchone()[0]

    def purge(self, now: float | None = None) -> int:
        """Delete questions older than `days`; the number deleted."""
        now = time.time() if now is None else now
        cursor = self._connection().execute(
            "DELETE FROM question WHERE asked < ?", (now - self.days * DAY,)
        )
        return cursor.rowcount

    def checkpoint(self) -> None:
        """As the state store's (`SqliteStateStore.checkpoint`): the log's pages into the
        database, from the runtime's sweeper, never from an answer."""
        with contextlib.suppress(sqlite3.Error):
            self._connection().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        db = getattr(self._local, "db", None)
        self._local.db = None
        if db is not None and self._local.pid == os.getpid():
            db.close()

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection; a new one after a fork, or when the file was deleted or
        replaced (one `os.stat` per call notices), which also (re)creates the schema.

        Autocommit: each statement is its own transaction, so the write lock is held inside
        SQLite only, never while this thread waits for the GIL between a statement and its
        COMMIT (under load that held the other workers' writes off long enough for SQLite's
        busy handler to put them to sleep)."""
        local = self._local
        try:
            inode = os.stat(self.path).st_ino
        except FileNotFoundError:
            inode = None
        db = getattr(local, "db", None)
        if db is not None and (local.pid != os.getpid() or local.inode != inode):
            if local.pid == os.getpid():
                db.close()
            db = local.db = None  # a connection from before a fork is never touched again
        if db is None:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, check_same_thread=False,
                                 isolation_level=None)
            try:
                # No fsync per question: in WAL mode a process kill loses nothing, a power
                # cut at most the last questions (the state database makes the same choice).
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(f"PRAGMA wal_autocheckpoint = {AUTO_CHECKPOINT_PAGES}")
                setup_wal(db, SCHEMA, BUSY_TIMEOUT_S)
            except BaseException:
                db.close()
                raise
            local.db, local.pid, local.inode = db, os.getpid(), os.stat(self.path).st_ino
        return db
