"""The conversation state store: hashing, expiry, redelivery ids, rate windows, WAL, repair."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from bot.reply import State
from bot.state import StateStore, conversation_key

KEY = b"test-hash-key"
USER = "U4af4980629aaaaaaaaaaaaaaaaaaaaaa"


@pytest.fixture
def store(tmp_path):
    return StateStore(tmp_path / "state.db", KEY, ttl=3600)


def test_missing_db_is_created_in_wal_mode(tmp_path):
    path = tmp_path / "sub" / "state.db"
    StateStore(path, KEY)
    assert path.exists()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_save_then_load_round_trips(store):
    key = store.key("user", USER)
    state = State(owner="spm-13", section="mission", items=["mission/1", "mission/2"])
    store.save(key, state)
    assert store.load(key) == state


def test_unknown_key_loads_a_fresh_state(store):
    assert store.load(store.key("user", "nobody")) == State()


def test_keys_are_keyed_hashes_not_ids(store):
    key = store.key("user", USER)
    assert USER not in key and len(key) == 64
    assert key == conversation_key(KEY, "user", USER)
    assert key != conversation_key(b"another key", "user", USER)
    assert key != store.key("group", USER)  # a group and a user never share state


def test_state_expires_after_idle_ttl(tmp_path):
    store = StateStore(tmp_path / "s.db", KEY, ttl=60)
    key = store.key("user", USER)
    store.save(key, State(owner="spm-13"), now=1000.0)
    assert store.load(key, now=1059.0).owner == "spm-13"
    assert store.load(key, now=1061.0) == State()


def test_purge_deletes_expired_rows(tmp_path):
    store = StateStore(tmp_path / "s.db", KEY, ttl=60)
    store.save(store.key("user", "old"), State(owner="a"), now=1000.0)
    store.save(store.key("user", "new"), State(owner="b"), now=2000.0)
    store.purge(now=2001.0)
    with sqlite3.connect(tmp_path / "s.db") as db:
        assert db.execute("SELECT count(*) FROM conversation").fetchone()[0] == 1


def test_forget_deletes_the_state(store):
    key = store.key("user", USER)
    store.save(key, State(owner="x"))
    store.forget(key)
    assert store.load(key) == State()


def test_event_ids_are_claimed_once(store):
    assert store.claim_event("01HEVENT") is True
    assert store.claim_event("01HEVENT") is False
    assert store.claim_event("01HOTHER") is True


def test_odd_strings_are_storable(store):
    odd = "\ud800 lone surrogate \x00 nul"
    assert store.claim_event(odd) is True
    key = store.key("user", odd)
    store.save(key, State(owner=odd))
    assert store.load(key).owner == odd


def test_rate_window_notice_once_then_silent_then_resets(store):
    verdicts = [store.hit_rate("k", limit=2, window=60, now=100.0 + i) for i in range(5)]
    assert verdicts == ["ok", "ok", "notice", "silent", "silent"]
    assert store.hit_rate("k", limit=2, window=60, now=161.0) == "ok"


def test_broken_row_loads_fresh(store, tmp_path):
    key = store.key("user", USER)
    store.save(key, State(owner="x"))
    with sqlite3.connect(tmp_path / "state.db") as db:
        db.execute("UPDATE conversation SET data = '{broken'")
    assert store.load(key) == State()


def test_corrupt_db_is_moved_aside_and_recreated_with_a_warning(tmp_path, caplog):
    path = tmp_path / "state.db"
    path.write_bytes(b"this is not a database at all" * 100)
    with caplog.at_level(logging.WARNING, logger="bot.state"):
        store = StateStore(path, KEY)
    key = store.key("user", USER)
    store.save(key, State(owner="x"))
    assert store.load(key).owner == "x"
    assert any("unusable" in r.getMessage() for r in caplog.records)
    assert list(tmp_path.glob("state.db.corrupt-*"))


def test_db_deleted_while_running_is_recreated(store, tmp_path, caplog):
    key = store.key("user", USER)
    store.save(key, State(owner="x"))
    for path in tmp_path.glob("state.db*"):
        path.unlink()
    with caplog.at_level(logging.WARNING, logger="bot.state"):
        assert store.load(key) == State()
        store.load(key)
    warnings = [r.getMessage() for r in caplog.records if "disappeared" in r.getMessage()]
    assert len(warnings) == 1
    store.save(key, State(owner="y"))
    assert store.load(key).owner == "y"


def test_db_corrupted_while_running_is_recreated(store, tmp_path, caplog):
    key = store.key("user", USER)
    store.save(key, State(owner="x"))
    for path in tmp_path.glob("state.db*"):
        path.unlink()
    (tmp_path / "state.db").write_bytes(b"\x00garbage" * 1000)
    with caplog.at_level(logging.WARNING, logger="bot.state"):
        store.save(key, State(owner="z"))
    assert store.load(key).owner == "z"
    assert any("unusable" in r.getMessage() for r in caplog.records)


# -- several processes at once ----------------------------------------------------------------


def _worker(path: str, worker: int, rounds: int, shared_event_ids: list[str], results) -> None:
    store = StateStore(path, KEY)
    claimed = 0
    for i in range(rounds):
        own = store.key("user", f"worker-{worker}-user-{i % 5}")
        store.save(own, State(owner=f"w{worker}", items=[str(i)]))
        shared = store.key("group", "everyone")
        store.save(shared, State(owner=f"w{worker}", items=[str(i)]))
        store.hit_rate("shared-rate", limit=10**9)
    for event_id in shared_event_ids:
        if store.claim_event(event_id):
            claimed += 1
    results.put((worker, claimed))


@pytest.mark.slow
def test_concurrent_processes_keep_the_db_consistent(tmp_path):
    path = str(tmp_path / "state.db")
    StateStore(path, KEY)
    workers, rounds = 6, 60
    event_ids = [f"01HSHARED{i:04d}" for i in range(100)]
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [
        context.Process(target=_worker, args=(path, w, rounds, event_ids, results))
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    claimed = dict(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    # Each shared event id was claimed by exactly one process: redeliveries answered once.
    assert sum(claimed.values()) == len(event_ids)
    store = StateStore(path, KEY)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM conversation").fetchone()[0] == workers * 5 + 1
        count = db.execute("SELECT count FROM rate WHERE key = 'shared-rate'").fetchone()[0]
    assert count == workers * rounds  # no increment lost between processes
    for w in range(workers):
        last = store.load(store.key("user", f"worker-{w}-user-{(rounds - 1) % 5}"))
        assert last == State(owner=f"w{w}", items=[str(rounds - 1)])
    assert store.load(store.key("group", "everyone")).owner.startswith("w")


@pytest.mark.slow
def test_state_survives_kill_9_mid_write(tmp_path):
    """A worker killed while writing leaves a readable DB with every committed row."""
    path = tmp_path / "state.db"
    script = textwrap.dedent(
        f"""
        import sys
        from bot.reply import State
        from bot.state import StateStore
        store = StateStore({str(path)!r}, {KEY!r})
        i = 0
        while True:
            store.save(store.key("user", f"u{{i}}"), State(owner="x" * 500, items=[str(i)]))
            if i == 50:
                print("writing", flush=True)
            i += 1
        """
    )
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, env=env, text=True
    )
    try:
        assert child.stdout.readline().strip() == "writing"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    store = StateStore(path, KEY)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT count(*) FROM conversation").fetchone()[0]
    assert rows >= 51
    assert store.load(store.key("user", "u50")).items == ["50"]
    store.save(store.key("user", "after"), State(owner="ok"))
    assert store.load(store.key("user", "after")).owner == "ok"


# -- one conversation updated by several workers at once --------------------------------------


def _appender(path: str, worker: int, rounds: int, results) -> None:
    """Append this worker's items to one shared conversation, the way the webhook does."""
    import time

    store = StateStore(path, KEY)
    key = store.key("group", "shared-chat")

    def add(item):
        def compute(state):
            time.sleep(0.002)  # an engine takes a moment: other workers get in between
            return item, State(owner="o", items=[*state.items, item])

        return compute

    for i in range(rounds):
        store.update(key, add(f"w{worker}-{i}"))
    results.put(worker)


def test_update_gives_compute_the_saved_state_and_returns_its_result(store):
    key = store.key("user", USER)
    assert store.update(key, lambda s: ("first", State(items=[*s.items, "a"]))) == "first"
    assert store.update(key, lambda s: (list(s.items), State(items=[*s.items, "b"]))) == ["a"]
    assert store.load(key).items == ["a", "b"]


def test_update_recomputes_when_another_worker_saved_in_between(store, tmp_path):
    key = store.key("user", USER)
    store.save(key, State(items=["start"]))
    other = StateStore(tmp_path / "state.db", KEY)  # another worker on the same file
    seen = []

    def compute(state):
        seen.append(list(state.items))
        if len(seen) == 1:  # the other worker answers while this one is thinking
            other.update(key, lambda s: (None, State(items=[*s.items, "other"])))
        return None, State(items=[*state.items, "mine"])

    store.update(key, compute)
    assert seen == [["start"], ["start", "other"]]
    assert store.load(key).items == ["start", "other", "mine"]


@pytest.mark.slow
def test_concurrent_workers_do_not_lose_updates_to_one_conversation(tmp_path):
    path = str(tmp_path / "state.db")
    StateStore(path, KEY)
    workers, rounds = 4, 25
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [
        context.Process(target=_appender, args=(path, w, rounds, results)) for w in range(workers)
    ]
    for process in processes:
        process.start()
    finished = {results.get(timeout=120) for _ in processes}
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert finished == set(range(workers))
    items = StateStore(path, KEY).load(StateStore(path, KEY).key("group", "shared-chat")).items
    expected = {f"w{w}-{i}" for w in range(workers) for i in range(rounds)}
    assert len(items) == len(expected) and set(items) == expected  # nothing lost, nothing twice
    for w in range(workers):  # and each worker's own updates stay in its order
        own = [item for item in items if item.startswith(f"w{w}-")]
        assert own == [f"w{w}-{i}" for i in range(rounds)]
