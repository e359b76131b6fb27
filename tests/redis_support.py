"""State backends under test, and a real Redis server: Debian's redis-server on 127.0.0.1.

Test modules load these fixtures with ``pytest_plugins = ["tests.redis_support"]``.
`backend` runs a test once per state backend (a fresh SQLite file; an emptied Redis).
`redis_server` starts one server per test session on a free port (no persistence: --save ''
and no appendonly) and stops it at the end; `redis_url` empties it before each test. No mock
of Redis stands in for it. `make test` installs the package when /usr/bin/redis-server is
missing (the `test-deps` target).
"""

from __future__ import annotations

import sqlite3

import pytest

from bench.redis_server import RedisProcess
from bot.state import store_for_url


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One real redis-server for the test session."""
    server = RedisProcess(tmp_path_factory.mktemp("redis"), persist=False).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server) -> str:
    """The URL of an empty Redis database for one test."""
    redis_server.flush()
    return redis_server.url


class Backend:
    """One state backend under test: opens stores on it and looks inside it."""

    def __init__(self, name: str, url: str, hash_key: bytes, path=None):
        self.name, self.url, self.hash_key, self.path = name, url, hash_key, path

    def open(self, ttl: float = 3600):
        """A store on this backend, as another worker would open it."""
        return store_for_url(self.url, self.hash_key, ttl=ttl)

    def _redis(self):
        import redis

        return redis.Redis.from_url(self.url)

    def conversation_count(self) -> int:
        """How many conversations are stored."""
        if self.name == "sqlite":
            with sqlite3.connect(self.path) as db:
                return db.execute("SELECT count(*) FROM conversation").fetchone()[0]
        return len(list(self._redis().scan_iter(match="planbot:conv:*")))

    def rate_count(self, key: str) -> int:
        """The message count in `key`'s rate window."""
        if self.name == "sqlite":
            with sqlite3.connect(self.path) as db:
                return db.execute("SELECT count FROM rate WHERE key = ?", (key,)).fetchone()[0]
        return int(self._redis().hget(f"planbot:rate:{key}", "count"))

    def break_conversations(self) -> None:
        """Overwrite every stored conversation with text that is not JSON."""
        if self.name == "sqlite":
            with sqlite3.connect(self.path) as db:
                db.execute("UPDATE conversation SET data = '{broken'")
            return
        client = self._redis()
        for name in client.scan_iter(match="planbot:conv:*"):
            client.hset(name, "data", "{broken")

    def assert_intact(self) -> None:
        """The storage itself is consistent (SQLite's integrity check; Redis answers)."""
        if self.name == "sqlite":
            with sqlite3.connect(self.path) as db:
                assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        else:
            assert self._redis().ping()


@pytest.fixture(params=["sqlite", "redis"])
def backend(request, tmp_path):
    """Each backend in turn: a fresh SQLite file, or an emptied real Redis server.

    Stores are opened with the test module's KEY (its hash key for LINE ids).
    """
    key = request.module.KEY
    if request.param == "sqlite":
        path = tmp_path / "state.db"
        return Backend("sqlite", f"sqlite:///{path}", key, path)
    return Backend("redis", request.getfixturevalue("redis_url"), key)
