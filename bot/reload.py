"""Hot reload: one Engine per process, swapped for a new one when the index file changes, and
kept when the new file cannot be loaded.

A rebuild renames a new index into place (`index.build`), but a file can also change under the
bot in ways no rebuild makes: a non-atomic `cp` over it, a truncated copy, a file that is not
SQLite or not a planbot index, a deleted file. None of these takes the answers away: the engine
holds everything it answers from in memory (`index.store.Store` reads the tables once and closes
its connection; plans stay JSON strings until asked for), so the last good engine keeps
answering, and `EngineCache.health()` says so for /healthz: "ok", "degraded" with a reason and
since when, or "unavailable" when no engine could ever be loaded.

A load that fails is logged once, as one warning naming the file and the reason; it is tried
again only when the file changes again (its stat signature: inode, modification time, size).
"""

from __future__ import annotations

import gc
import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.engine import Engine

logger = logging.getLogger(__name__)

BACKGROUND_RELOAD_BYTES = 64 * 1024 * 1024  # larger indexes reload without blocking a message

#: From this many passages on, a loaded engine is frozen out of the garbage collector's full
#: collections (`_settle_heap`). Below it a full collection walks little (under 10 ms), and
#: the freeze's own collection is not worth paying at every load.
FREEZE_FROM_PASSAGES = 10_000

#: Seconds an engine whose file was just found unchanged is served without looking at the file
#: again (`EngineCache.get`): a rebuilt index is answered from within this long. `os.stat`
#: gives up the GIL, and under load each give-up waits behind the busy threads: one per
#: message was one more wait per message than the answer itself needs.
CHECK_EVERY = 1.0

MISSING = "index file missing"
UNREADABLE = "index file unreadable"


class IndexUnavailable(Exception):
    """No engine could be loaded from the index file (yet); the message says why."""


@dataclass(frozen=True)
class Health:
    """What /healthz says about the index a process answers from."""

    status: str  # ok | degraded | unavailable
    reason: str | None = None  # "index file missing", "index file unreadable: ..."
    since: float | None = None  # time.time() when the problem was first seen

    @property
    def since_text(self) -> str | None:
        """`since` as an ISO 8601 time in UTC, or None."""
        if self.since is None:
            return None
        return datetime.fromtimestamp(self.since, UTC).isoformat(timespec="seconds")


def startup_problem(db_path: str | Path) -> str | None:
    """Why a web process cannot start serving the index at `db_path` (None when it can try):
    no file there, not a regular file, or a file this process may not read. Only the file's
    stat and permissions are checked (cheap enough for gunicorn's master); a damaged file is
    found by the workers' first load."""
    path = Path(db_path)
    if not path.exists():
        return f"no index at {path}"
    if not path.is_file():
        return f"{path} is not an index file (not a regular file)"
    if not os.access(path, os.R_OK):
        mode = oct(path.stat().st_mode & 0o777)[2:]
        return f"{path} cannot be read by this process (mode {mode})"
    return None


def _settle_heap() -> None:
    """Take the engine just loaded out of the garbage collector's sight (`gc.freeze`).

    An engine is hundreds of thousands of long-lived objects at national scale (540k tracked
    at L), and every full collection walks them all: 180 ms at L, landing on whichever
    message happens to allocate at that moment (the webhook's p99 at 50 events/s was 257 ms
    at L for that alone). Frozen objects are never walked; reference counting still frees
    them. Before each freeze the previous one is undone and a full collection runs, so an
    engine replaced by a reload (and its reference cycles) is freed, not kept forever."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _why(error: BaseException) -> str:
    """A short reason for a failed load, without the file's path (it is shown on /healthz)."""
    if isinstance(error, FileNotFoundError):
        return MISSING
    if isinstance(error, OSError):
        return f"{UNREADABLE}: {error.strerror or type(error).__name__}"
    if isinstance(error, sqlite3.Error | IndexUnavailable):
        return f"{UNREADABLE}: {error}"
    return f"{UNREADABLE}: {type(error).__name__}: {error}"


class EngineCache:
    """Keeps one Engine per process and swaps in a new one when the index file changes.

    The check is one `os.stat` per CHECK_EVERY seconds while the file is the one loaded (per
    call while it is not, or when asked `fresh`); the index is reopened only when its
    signature changed. A small index is loaded at once, so the next message is answered
    from it. A large one (national scale takes seconds to load) is loaded in a background
    thread while the old engine keeps answering, so no message waits past LINE's two seconds
    for it. One load runs at a time: a message arriving meanwhile waits for it rather than
    loading the same file again.
    """

    def __init__(self, db_path: str | Path, background_bytes: int = BACKGROUND_RELOAD_BYTES,
                 **engine_options):
        self.db_path = Path(db_path)
        self.options = engine_options
        self.background_bytes = background_bytes
        self._engine: Engine | None = None
        self._signature: tuple | None = None  # of the file the engine was loaded from
        self._failed: tuple | None = None  # of the file whose load failed (tried again on change)
        self._failed_reason = ""
        self._problem: tuple[str, float] | None = None  # (reason, since)
        self._loading: tuple | None = None  # a background load's signature
        self._load_lock = threading.Lock()  # held for the whole of a load
        self._guard = threading.Lock()  # guards the fields above (held for microseconds)
        self._checked_until = 0.0  # monotonic time until which the file need not be looked at

    def _stat(self) -> tuple:
        st = os.stat(self.db_path)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def get(self, fresh: bool = False) -> Engine:
        """The engine for the index now on disk, or the last good one when the file is gone or
        cannot be loaded; IndexUnavailable when no engine could ever be loaded. While the
        first load runs (a worker starting), callers wait for it. The file is looked at once
        per CHECK_EVERY while it is the one loaded; `fresh` looks at it now (/healthz)."""
        now = time.monotonic()
        if not fresh and now < self._checked_until:
            return self._served()
        try:
            signature = self._stat()
        except OSError as error:
            self._checked_until = 0.0
            self._trouble(_why(error))
            return self._served()
        if signature == self._signature:
            self._recovered()
            self._checked_until = now + CHECK_EVERY
            return self._served()
        self._checked_until = 0.0
        if signature == self._failed:
            self._trouble(self._failed_reason)  # the same bad file, back after a deletion
        elif self._engine is not None and signature[2] >= self.background_bytes:
            self._load_in_background(signature)
        else:
            self._load_once(signature)
        return self._served()

    def warm(self) -> None:
        """Load the index now, as a worker starts, rather than at its first message: at once
        when it is small, in a background thread when it is large (so gunicorn's worker keeps
        its heartbeat while it loads). A failure is logged and shown by `health()`."""
        try:
            signature = self._stat()
        except OSError as error:
            self._trouble(_why(error))
            return
        if signature[2] >= self.background_bytes:
            self._load_in_background(signature)
        else:
            self._load_once(signature)

    def loaded(self) -> Engine | None:
        """The engine being served now, or None; never loads one."""
        return self._engine

    def health(self) -> Health:
        """ok, degraded (answering from the last good index; the reason and since when) or
        unavailable (no engine loaded, and why)."""
        with self._guard:
            engine, problem = self._engine, self._problem
        reason, since = problem if problem else (None, None)
        if engine is None:
            return Health("unavailable", reason or "index not loaded", since)
        if reason is not None:
            return Health("degraded", reason, since)
        return Health("ok")

    # -- loading -------------------------------------------------------------------------------

    def _served(self) -> Engine:
        engine = self._engine
        if engine is None:
            problem = self._problem
            raise IndexUnavailable(problem[0] if problem else "index not loaded")
        return engine

    def _load_in_background(self, signature: tuple) -> None:
        with self._guard:
            if self._loading == signature:
                return
            self._loading = signature
        threading.Thread(target=self._load_once, args=(signature, True), name="index-reload",
                         daemon=True).start()

    def _load_once(self, signature: tuple, background: bool = False) -> None:
        """Load the file whose signature is `signature`, unless it was loaded or tried already
        (by the load this call waited for)."""
        with self._load_lock:
            try:
                if signature not in (self._signature, self._failed):
                    self._load(signature, background)
            finally:
                if background:
                    with self._guard:
                        if self._loading == signature:
                            self._loading = None

    def _load(self, signature: tuple, background: bool) -> None:
        # Imported here: gunicorn's master imports this module for `startup_problem` and needs
        # none of the engine's modules (the tokenizer and the rest load in each worker).
        from bot.engine import Engine

        started = time.perf_counter()
        try:
            engine = Engine(self.db_path, **self.options)
            if not engine.meta.get("schema_version"):
                raise IndexUnavailable("not a planbot index (no schema_version in its meta)")
        except Exception as error:  # a damaged, truncated or foreign file: keep the last one
            self._failure(signature, error)
            return
        with self._guard:
            had_problem = self._problem is not None
            old, self._engine, self._signature = self._engine, engine, signature
            self._failed = self._problem = None
        del old  # the replaced engine goes with the next collection, before the freeze
        if len(engine.passages.passages) >= FREEZE_FROM_PASSAGES:
            _settle_heap()
        log = logger.warning if had_problem else logger.info
        log("index: loaded %s (%d owners, %d passages) in %.1f s%s%s", self.db_path,
            len(engine.owners), len(engine.passages.passages), time.perf_counter() - started,
            " in the background" if background else "",
            "; answering from it again" if had_problem else "")

    def _failure(self, signature: tuple, error: Exception) -> None:
        """Remember a load that failed (not tried again until the file changes); say so once."""
        reason = _why(error)
        with self._guard:
            self._failed, self._failed_reason = signature, reason
        self._trouble(reason, always=True, note="; tried again when the file changes")

    def _trouble(self, reason: str, always: bool = False, note: str = "") -> None:
        """Record what is wrong with the file (since when: the first problem since the engine
        last matched the file) and log it when it is news: a new reason, or a load that failed
        (`always`: a load is tried once per version of the file)."""
        with self._guard:
            if self._problem is not None and self._problem[0] == reason and not always:
                return
            since = self._problem[1] if self._problem is not None else time.time()
            self._problem = (reason, since)
            old = self._engine is not None
        logger.warning("index: %s: %s; %s%s", self.db_path, reason,
                       "still answering from the index loaded before" if old
                       else "no index to answer from", note)

    def _recovered(self) -> None:
        """The file is again the one the engine was loaded from (put back after a deletion)."""
        if self._problem is None:
            return
        with self._guard:
            if self._problem is None:
                return
            self._problem, self._failed = None, None
        logger.warning("index: %s is back; answering from it", self.db_path)
