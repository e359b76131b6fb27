"""Hot reload: one Engine per process, swapped for a new one when the index file changes."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from bot.engine import Engine

logger = logging.getLogger(__name__)

BACKGROUND_RELOAD_BYTES = 64 * 1024 * 1024  # larger indexes reload without blocking a message


class EngineCache:
    """Keeps one Engine per process and swaps in a new one when the index file changes.

    The check is one `os.stat` per call (microseconds); the index is reopened only when
    `python -m index rebuild` has renamed a new file into place. A small index is loaded at
    once, so the next message is answered from it. A large one (national scale takes
    seconds to load) is loaded in a background thread while the old engine keeps answering,
    so no message waits past LINE's two seconds for it.
    """

    def __init__(self, db_path: str | Path, background_bytes: int = BACKGROUND_RELOAD_BYTES,
                 **engine_options):
        self.db_path = Path(db_path)
        self.options = engine_options
        self.background_bytes = background_bytes
        self._engine: Engine | None = None
        self._signature: tuple | None = None
        self._loading: tuple | None = None
        self._lock = threading.Lock()

    def _stat(self) -> tuple:
        st = os.stat(self.db_path)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def get(self) -> Engine:
        """The engine for the index now on disk (the last good one if the file vanished)."""
        try:
            signature = self._stat()
        except OSError:
            if self._engine is not None:
                return self._engine
            raise
        if signature == self._signature:
            return self._engine
        if self._engine is not None and signature[2] >= self.background_bytes:
            with self._lock:
                if self._loading != signature:
                    self._loading = signature
                    threading.Thread(
                        target=self._load, args=(signature,), name="index-reload", daemon=True
                    ).start()
            return self._engine
        with self._lock:
            if signature != self._signature:
                self._engine = Engine(self.db_path, **self.options)
                self._signature = signature
        return self._engine

    def _load(self, signature: tuple) -> None:
        try:
            engine = Engine(self.db_path, **self.options)
        except Exception:  # a half-replaced or vanished file: keep answering from the old one
            logger.exception("index: reload failed; still answering from the previous index")
            with self._lock:
                self._loading = None
            return
        with self._lock:
            self._engine, self._signature, self._loading = engine, signature, None
        logger.info("index: new index loaded in the background")
