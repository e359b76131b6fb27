"""What only the Redis backend does: retries, slow answers, the conversation lock.

Against Debian's redis-server (tests/redis_support.py); a slow answer is a real TCP relay in
front of it that stops passing the server's replies on the connections open at that moment.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest
import redis

from bot.reply import State
from bot.state import store_for_url
from bot.state.base import UPDATE_TRIES
from bot.state.redis import RedisStateStore

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


# -- update: bounded tries, a bounded wait for the lock ---------------------------------------


def _finishes(call, seconds: float):
    """Run `call` in a thread; its result, or a failure if it is still running after `seconds`
    (an update that loops or waits without bound must fail the test, not hang it)."""
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except BaseException as error:  # noqa: BLE001 - handed to the test below
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def test_update_gives_up_saving_when_every_swap_is_refused(redis_url, caplog):
    """Another worker saves between every read and swap, even the locked one: the answer
    still goes out (computed a bounded number of times) and its state is not saved."""
    store, other = store_for_url(redis_url, KEY), store_for_url(redis_url, KEY)
    key = store.key("user", USER)
    computed = []

    def compute(state):
        computed.append(list(state.items))
        other.save(key, State(items=[f"other-{len(computed)}"]))
        return "answer", State(items=["mine"])

    assert _finishes(lambda: store.update(key, compute), 10) == "answer"
    assert len(computed) == UPDATE_TRIES + 1
    assert store.load(key).items == [f"other-{len(computed)}"]  # the other worker's save stands
    assert "not saved" in caplog.text


def test_update_waits_a_bounded_time_for_a_lock_held_elsewhere(redis_url, caplog):
    """A lock taken by an updater that is slow (or died) with a long expiry: the swaps are
    refused, the wait for the lock is bounded, and the answer goes out unsaved."""
    store = RedisStateStore(redis_url, KEY, lock_wait=0.5)
    key = store.key("user", USER)
    store.save(key, State(owner="spm-13"))
    redis.Redis.from_url(redis_url).set(f"planbot:lock:{key}", "someone-else", px=60_000)
    started = time.monotonic()
    result = _finishes(lambda: store.update(key, lambda s: (s.owner, State(owner="new"))), 10)
    assert result == "spm-13"
    assert time.monotonic() - started < 5
    assert store.load(key).owner == "spm-13"
    assert "not saved" in caplog.text


def test_update_under_the_lock_gets_in_after_lost_races(redis_url):
    """The lock still does its job: after UPDATE_TRIES lost races the locked try is saved even
    though the other worker keeps updating (its swaps are refused while the lock is held)."""
    store, other = store_for_url(redis_url, KEY), store_for_url(redis_url, KEY)
    key = store.key("user", USER)
    store.save(key, State(items=["start"]))
    refused = []

    def compute(state):
        data, updated = other._read_conversation(key)
        stolen = other._swap_script(  # what another worker's compare-and-swap does
            keys=[f"planbot:conv:{key}", f"planbot:lock:{key}"],
            args=[data, updated, '{"items": ["other"]}', repr(time.time()), 60, ""],
        )
        refused.append(not stolen)
        return "answer", State(items=["mine"])

    assert _finishes(lambda: store.update(key, compute), 10) == "answer"
    assert refused == [False] * UPDATE_TRIES + [True]
    assert store.load(key).items == ["mine"]
