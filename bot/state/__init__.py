"""Everything the bot must share between workers and hosts, behind one interface.

`open_state(config)` returns the backend PLANBOT_STATE_URL names:

- ``sqlite:///instance/state.db`` (the default; ``sqlite:////abs/path.db`` for an absolute
  path): an embedded SQLite file, for one host (`bot.state.sqlite`). Without
  PLANBOT_STATE_URL, PLANBOT_STATE_DB names the file, as before.
- ``redis://host:port/db`` (or ``rediss://`` for TLS, ``unix:///path.sock?db=N``): a Redis
  server shared by many hosts (`bot.state.redis`), through redis-py.

The interface (`StateBackend`, in `bot.state.base`): `key`, `load`, `save`, `update` (a
compare-and-swap), `forget`, `claim_event`, `hit_rate`, the event journal (`journal_add`,
`journal_take`, `journal_done`, `journal_release`, `journal_get`, `journal_count`), `purge`
and `close`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot.state.base import (
    ABANDONED,
    ADDED,
    DEFAULT_TTL,
    DONE,
    PENDING,
    SEEN_EVENT_TTL,
    JournalEntry,
    RateCount,
    StateBackend,
    StateLocked,
    conversation_key,
    event_digest,
    rate_verdict,
    worker_name,
)
from bot.state.sqlite import SqliteStateStore, StateStore

__all__ = [
    "ABANDONED",
    "ADDED",
    "DEFAULT_TTL",
    "DONE",
    "PENDING",
    "SEEN_EVENT_TTL",
    "JournalEntry",
    "RateCount",
    "SqliteStateStore",
    "StateBackend",
    "StateLocked",
    "StateStore",
    "StateURLError",
    "conversation_key",
    "event_digest",
    "open_state",
    "rate_verdict",
    "store_for_url",
    "worker_name",
]

SQLITE_PREFIX = "sqlite:///"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class StateURLError(ValueError):
    """PLANBOT_STATE_URL names no backend this bot has; the message says what it accepts."""


def check_state_url(url: str) -> None:
    """Raise StateURLError unless `url` is a SQLite or Redis URL this module can open."""
    if url.startswith(SQLITE_PREFIX) and len(url) > len(SQLITE_PREFIX):
        return
    if url.startswith(REDIS_SCHEMES):
        return
    raise StateURLError(
        "PLANBOT_STATE_URL must be sqlite:///relative/path.db, sqlite:////absolute/path.db "
        f"or redis://host:port/db, got {url!r}"
    )


def store_for_url(url: str, hash_key: bytes, ttl: float = DEFAULT_TTL) -> StateBackend:
    """The state backend at `url` (see the module docstring for the forms)."""
    check_state_url(url)
    if url.startswith(SQLITE_PREFIX):
        return SqliteStateStore(Path(url[len(SQLITE_PREFIX) :]), hash_key, ttl=ttl)
    from bot.state.redis import RedisStateStore  # redis-py is imported only when used

    return RedisStateStore(url, hash_key, ttl=ttl)


def state_url(config: Mapping) -> str:
    """PLANBOT_STATE_URL, or the SQLite URL of PLANBOT_STATE_DB when it is not set."""
    url = config.get("PLANBOT_STATE_URL")
    if url:
        return str(url)
    return SQLITE_PREFIX + str(config["PLANBOT_STATE_DB"])


def open_state(config: Mapping) -> StateBackend:
    """The state backend a loaded config names (PLANBOT_STATE_URL, else PLANBOT_STATE_DB)."""
    from bot.config import hash_key

    return store_for_url(state_url(config), hash_key(config), ttl=config["PLANBOT_STATE_TTL"])
