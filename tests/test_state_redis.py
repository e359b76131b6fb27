"""What only the Redis backend does: retries, slow answers, the conversation lock.

Against Debian's redis-server (tests/redis_support.py); a slow answer is a real TCP relay in
front of it that stops passing the server's replies on the connections open at that moment.
"""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest
import redis

from bot.state import store_for_url

pytest_plugins = ["tests.redis_support"]

KEY = b"test-hash-key"

USER = "U4af4980629aaaaaaaaaaaaaaaaaaaaaa"


class HoldingRelay:
    """A TCP relay to 127.0.0.1:`port`. `hold()` stops passing the server's answers on the
    connections open now (the commands still reach the server and run); connections made
    afterwards pass everything, as after a reconnect to a server that recovered."""

    def __init__(self, port: int):
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.held: list[threading.Event] = []
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, query: str = "") -> str:
        return f"redis://127.0.0.1:{self.port}/0{query}"

    def hold(self) -> None:
        with self.lock:
            for held in self.held:
                held.set()

    def close(self) -> None:
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            held = threading.Event()
            with self.lock:
                self.held.append(held)
                self.sockets += [client, server]
            threading.Thread(target=self._pipe, args=(client, server, None), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, held), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket, held: threading.Event | None) -> None:
        try:
            while chunk := source.recv(65536):
                if held is None or not held.is_set():
                    sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def relay(redis_url, redis_server):
    relay = HoldingRelay(redis_server.port)
    try:
        yield relay
    finally:
        relay.close()


def test_a_slow_answer_is_not_run_again(relay, redis_url):
    """A script that ran but whose answer came late fails the call; it is not sent twice."""
    store = store_for_url(relay.url("?socket_timeout=0.3"), KEY)
    key = store.key("rate", USER)
    assert store.hit_rate(key, limit=20) == "ok"  # connected, the script loaded
    relay.hold()
    with pytest.raises(redis.TimeoutError):
        store.hit_rate(key, limit=20)
    counted = redis.Redis.from_url(redis_url).hget(f"planbot:rate:{key}", "count")
    assert int(counted) == 2  # the slow one ran once, on the server, and only once
    assert store.hit_rate(key, limit=2) == "notice"  # a new connection, its own answer
    store.close()


def test_a_slow_journal_take_leases_one_event_not_two(relay, redis_url):
    store = store_for_url(relay.url("?socket_timeout=0.3"), KEY)
    assert store.journal_take("warmup", lease_seconds=30, now=1.0) is None
    store.journal_add("01HFIRST", "one", now=1.0)
    store.journal_add("01HSECOND", "two", now=2.0)
    relay.hold()
    with pytest.raises(redis.TimeoutError):
        store.journal_take("w1", lease_seconds=30, now=3.0)
    direct = store_for_url(redis_url, KEY)
    assert direct.journal_get("01HFIRST").worker == "w1"
    assert direct.journal_get("01HSECOND").worker is None  # still free for another worker
    store.close()


def test_a_dropped_connection_is_still_retried_once(redis_url):
    """The one retry that is kept: a reconnect after the server closed the connection."""
    store = store_for_url(redis_url, KEY)
    key = store.key("rate", USER)
    store.hit_rate(key, limit=20)
    redis.Redis.from_url(redis_url).client_kill_filter(_type="normal", skipme=True)
    assert store.hit_rate(key, limit=20) == "ok"
    assert int(redis.Redis.from_url(redis_url).hget(f"planbot:rate:{key}", "count")) == 2
