"""The conversation state store: hashing, expiry, redelivery ids, rate windows, WAL, repair.

Every test that is not about SQLite's file runs against both backends: the embedded SQLite
file and a real Redis server (tests/redis_support.py starts Debian's redis-server).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.reply import State
from bot.state import (
    SqliteStateStore,
    StateStore,
    conversation_key,
    open_state,
    store_for_url,
)
from bot.state import sqlite as sqlite_backend

pytest_plugins = ["tests.redis_support"]

KEY = b"test-hash-key"

USER = "U4af4980629aaaaaaaaaaaaaaaaaaaaaa"


@pytest.fixture
def store(backend):
    return backend.open(ttl=3600)


@pytest.fixture
def sqlite_store(tmp_path):
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


def test_state_expires_after_idle_ttl(backend):
    store = backend.open(ttl=60)
    key = store.key("user", USER)
    store.save(key, State(owner="spm-13"), now=1000.0)
    assert store.load(key, now=1059.0).owner == "spm-13"
    assert store.load(key, now=1061.0) == State()


def test_purge_deletes_expired_rows(backend):
    store = backend.open(ttl=60)
    store.save(store.key("user", "old"), State(owner="a"), now=1000.0)
    store.save(store.key("user", "new"), State(owner="b"), now=2000.0)
    store.purge(now=2001.0)
    assert backend.conversation_count() == 1


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


def test_rate_window_counts_every_concurrent_hit_and_notices_once(store):
    """Threads hitting one sender's window at once: every hit counted, one notice."""
    verdicts: list[str] = []
    start = threading.Barrier(8)

    def hit():
        start.wait()
        for _ in range(10):
            verdicts.append(store.hit_rate("busy", limit=30, window=60))

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(verdicts) == sorted(["ok"] * 30 + ["notice"] + ["silent"] * 49)


def test_a_limit_of_zero_notices_the_first_message_then_is_silent(store):
    verdicts = [store.hit_rate("none", limit=0, window=60, now=100.0 + i) for i in range(3)]
    assert verdicts == ["notice", "silent", "silent"]
    assert store.hit_rate("none", limit=0, window=60, now=170.0) == "notice"


def test_every_sqlite_write_of_an_event_commits_in_one_step(tmp_path):
    """No BEGIN and no RETURNING on an event's path: each write commits inside the one
    sqlite3 step that runs it, so the write lock is never held while the thread is back in
    Python waiting for the GIL (other workers' writes would sleep in SQLite's backoff)."""
    store = SqliteStateStore(tmp_path / "state.db", KEY)
    statements: list[str] = []
    store._connection().set_trace_callback(statements.append)
    store.journal_add("01HSTEP", "p", worker="host:1", lease_seconds=30)
    for n in range(4):
        store.hit_rate("k", limit=2, now=100.0 + n)
    store.hit_rate("k", limit=2, now=200.0)
    store.update("k", lambda state: ("answer", State(owner="spm-13")))
    store.journal_add("01HSWEPT", "p", now=1.0)
    store.journal_take("host:1", 30)
    store.journal_renew("host:1", ["01HSTEP", "01HSWEPT"], 30)
    store.journal_done_many([("01HSTEP", "sent", time.time())])
    writes = [s for s in statements if not s.lstrip().upper().startswith(("SELECT", "PRAGMA"))]
    assert len(writes) >= 10
    assert not [s for s in statements if "BEGIN" in s.upper() or "RETURNING" in s.upper()]


def test_answers_leave_the_checkpoint_to_the_sweeper(tmp_path):
    """Commits do not checkpoint the write-ahead log below AUTO_CHECKPOINT_PAGES (under load
    each such try cost an fsync in an answer); `checkpoint` moves it into the database."""
    path = tmp_path / "state.db"
    store = sqlite_backend.SqliteStateStore(path, b"k" * 32)
    reader = sqlite3.connect(path)  # another worker's connection
    assert reader.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    for n in range(1500):  # well past SQLite's default 1,000 pages
        store.save(f"key-{n}", State(owner="x" * 2000))
    wal = Path(f"{path}-wal")
    assert wal.stat().st_size // (4096 + 24) > 1000  # the log holds every page...
    assert path.stat().st_size < 200_000  # ...and no commit moved them into the database
    store.checkpoint()
    assert path.stat().st_size > 1500 * 2000  # moved, by the sweeper's call
    reader.close()
    store.close()


def test_broken_row_loads_fresh(store, backend):
    key = store.key("user", USER)
    store.save(key, State(owner="x"))
    backend.break_conversations()
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


def notice_loss_within(monkeypatch, seconds: float = 0.05) -> float:
    """Make a store look at its file every `seconds` (STAT_EVERY); what to wait after damage."""
    monkeypatch.setattr("bot.state.sqlite.STAT_EVERY", seconds)
    return 2 * seconds


def test_db_deleted_while_running_is_recreated(tmp_path, caplog, monkeypatch):
    wait = notice_loss_within(monkeypatch)
    store = StateStore(tmp_path / "state.db", KEY, ttl=3600)
    key = store.key("user", USER)
    store.save(key, State(owner="x"))
    for path in tmp_path.glob("state.db*"):
        path.unlink()
    assert store.load(key).owner == "x"  # within STAT_EVERY: the open file is still read
    time.sleep(wait)  # past it, the loss is noticed
    with caplog.at_level(logging.WARNING, logger="bot.state"):
        assert store.load(key) == State()
        store.load(key)
    warnings = [r.getMessage() for r in caplog.records if "disappeared" in r.getMessage()]
    assert len(warnings) == 1
    store.save(key, State(owner="y"))
    assert store.load(key).owner == "y"


def test_db_corrupted_while_running_is_recreated(tmp_path, caplog, monkeypatch):
    wait = notice_loss_within(monkeypatch)
    store = StateStore(tmp_path / "state.db", KEY, ttl=3600)
    key = store.key("user", USER)
    store.save(key, State(owner="x"))
    for path in tmp_path.glob("state.db*"):
        path.unlink()
    (tmp_path / "state.db").write_bytes(b"\x00garbage" * 1000)
    time.sleep(wait)
    with caplog.at_level(logging.WARNING, logger="bot.state"):
        store.save(key, State(owner="z"))
    assert store.load(key).owner == "z"
    assert any("unusable" in r.getMessage() for r in caplog.records)


# -- several processes at once ----------------------------------------------------------------


def _worker(url: str, worker: int, rounds: int, shared_event_ids: list[str], results) -> None:
    store = store_for_url(url, KEY)
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
def test_concurrent_processes_keep_the_db_consistent(backend):
    backend.open()
    workers, rounds = 6, 60
    event_ids = [f"01HSHARED{i:04d}" for i in range(100)]
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [
        context.Process(target=_worker, args=(backend.url, w, rounds, event_ids, results))
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
    store = backend.open()
    backend.assert_intact()
    assert backend.conversation_count() == workers * 5 + 1
    count = backend.rate_count("shared-rate")
    assert count == workers * rounds  # no increment lost between processes
    for w in range(workers):
        last = store.load(store.key("user", f"worker-{w}-user-{(rounds - 1) % 5}"))
        assert last == State(owner=f"w{w}", items=[str(rounds - 1)])
    assert store.load(store.key("group", "everyone")).owner.startswith("w")


@pytest.mark.slow
def test_state_survives_kill_9_mid_write(backend):
    """A worker killed while writing leaves a readable store with every committed row."""
    script = textwrap.dedent(
        f"""
        import sys
        from bot.reply import State
        from bot.state import store_for_url
        store = store_for_url({backend.url!r}, {KEY!r})
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
    store = backend.open()
    backend.assert_intact()
    rows = backend.conversation_count()
    assert rows >= 51
    assert store.load(store.key("user", "u50")).items == ["50"]
    store.save(store.key("user", "after"), State(owner="ok"))
    assert store.load(store.key("user", "after")).owner == "ok"


# -- one conversation updated by several workers at once --------------------------------------


def _appender(url: str, worker: int, rounds: int, results) -> None:
    """Append this worker's items to one shared conversation, the way the webhook does."""
    store = store_for_url(url, KEY)
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


def test_update_recomputes_when_another_worker_saved_in_between(store, backend):
    key = store.key("user", USER)
    store.save(key, State(items=["start"]))
    other = backend.open()  # another worker on the same store
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
def test_concurrent_workers_do_not_lose_updates_to_one_conversation(backend):
    backend.open()
    workers, rounds = 4, 25
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [
        context.Process(target=_appender, args=(backend.url, w, rounds, results)) for w in range(workers)
    ]
    for process in processes:
        process.start()
    finished = {results.get(timeout=120) for _ in processes}
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert finished == set(range(workers))
    items = backend.open().load(backend.open().key("group", "shared-chat")).items
    expected = {f"w{w}-{i}" for w in range(workers) for i in range(rounds)}
    assert len(items) == len(expected) and set(items) == expected  # nothing lost, nothing twice
    for w in range(workers):  # and each worker's own updates stay in its order
        own = [item for item in items if item.startswith(f"w{w}-")]
        assert own == [f"w{w}-{i}" for i in range(rounds)]


# -- choosing the backend ---------------------------------------------------------------------


def test_open_state_uses_planbot_state_db_when_no_url_is_set(tmp_path, clean_environment):
    config = load_config({"PLANBOT_STATE_DB": str(tmp_path / "old.db")})
    store = open_state(config)
    assert isinstance(store, SqliteStateStore) and store.path == tmp_path / "old.db"
    assert store.ttl == config["PLANBOT_STATE_TTL"]


def test_open_state_follows_a_sqlite_url(tmp_path, clean_environment):
    config = load_config(
        {"PLANBOT_STATE_DB": str(tmp_path / "old.db"), "PLANBOT_STATE_URL": f"sqlite:///{tmp_path}/new.db"}
    )
    store = open_state(config)
    assert isinstance(store, SqliteStateStore) and store.path == tmp_path / "new.db"


def test_open_state_follows_a_redis_url_with_the_same_hashed_keys(redis_url, clean_environment):
    from bot.config import hash_key
    from bot.state.redis import RedisStateStore

    config = load_config({"PLANBOT_STATE_URL": redis_url, "PLANBOT_HASH_KEY": "k"})
    store = open_state(config)
    assert isinstance(store, RedisStateStore)
    key = store.key("user", USER)
    assert key == conversation_key(hash_key(config), "user", USER)
    store.save(key, State(owner="spm-13"))
    assert store_for_url(redis_url, hash_key(config)).load(key).owner == "spm-13"


@pytest.mark.parametrize("url", ["postgres://db/state", "sqlite:///", "state.db", "redis:/x"])
def test_a_state_url_of_no_known_backend_is_a_config_error(url, clean_environment):
    with pytest.raises(ConfigError, match="PLANBOT_STATE_URL"):
        load_config({"PLANBOT_STATE_URL": url})


def test_nothing_personal_is_stored_in_redis_in_clear(redis_url):
    import redis

    store = store_for_url(redis_url, KEY)
    key = store.key("user", USER)
    store.save(key, State(owner="spm-13"))
    store.claim_event("01HEVENTID")
    store.hit_rate(store.key("rate", USER), limit=5)
    client = redis.Redis.from_url(redis_url)
    names = [name.decode() for name in client.scan_iter()]
    assert len(names) == 3
    for name in names:
        assert USER not in name and "01HEVENTID" not in name
        assert USER.encode() not in client.dump(name)


def test_redis_restarted_empty_while_running_is_survived(redis_url, redis_server):
    """A Redis restart drops every connection and, without persistence, every key."""
    import redis

    store = store_for_url(redis_url, KEY)
    key = store.key("user", USER)
    store.save(key, State(owner="x"))
    client = redis.Redis.from_url(redis_url)
    client.flushall()
    client.client_kill_filter(_type="normal", skipme=True)
    assert store.load(key) == State()
    assert store.claim_event("01HAFTERRESTART") is True
    store.save(key, State(owner="y"))
    assert store.load(key).owner == "y"


# -- a write lock held by someone else (issue 12, item 7) -------------------------------------


def _hold_write_lock(path) -> sqlite3.Connection:
    """What an admin's `sqlite3 state.db` session does with BEGIN IMMEDIATE: hold the lock."""
    admin = sqlite3.connect(path, isolation_level=None)
    admin.execute("BEGIN IMMEDIATE")
    return admin


def _one_answer(store, event_id: str, key: str):
    """The state calls the webhook makes for one message: claim, count, answer in context."""
    claimed = store.claim_event(event_id)
    verdict = store.hit_rate(store.key("rate", USER), limit=20)
    owner = store.update(key, lambda state: (state.owner, State(owner=state.owner, section="x")))
    return claimed, verdict, owner


def test_a_held_write_lock_costs_an_answer_one_bounded_wait(tmp_path):
    path = tmp_path / "state.db"
    store = StateStore(path, KEY)
    key = store.key("user", USER)
    store.save(key, State(owner="spm-13", section="vision"))
    admin = _hold_write_lock(path)
    try:
        started = time.monotonic()
        first = _one_answer(store, "01HLOCKED1", key)
        first_took = time.monotonic() - started
        started = time.monotonic()
        second = _one_answer(store, "01HLOCKED2", key)
        second_took = time.monotonic() - started
    finally:
        admin.rollback()
        admin.close()
    # Answered, in context (WAL readers are not blocked), within one bounded wait: not three
    # 5 s busy timeouts in a row. Later answers do not wait again while the lock is held.
    assert first == second == (True, "ok", "spm-13")
    assert first_took < sqlite_backend.LOCK_WAIT + 0.7
    assert second_took < 0.7
    # Once the lock is gone, writes go through again.
    store.update(key, lambda state: (None, State(owner="spm-13", section="mission")))
    assert store.load(key).section == "mission"


def test_deduplication_and_rate_limits_stay_in_force_while_locked(tmp_path):
    path = tmp_path / "state.db"
    store = StateStore(path, KEY, lock_wait=0.2)
    other = StateStore(path, KEY, lock_wait=0.2)  # another worker process's store
    assert store.claim_event("01HBEFORE") is True
    admin = _hold_write_lock(path)
    try:
        assert store.claim_event("01HBEFORE") is False  # claimed before the lock
        assert other.claim_event("01HBEFORE") is False
        assert store.claim_event("01HDURING") is True
        assert store.claim_event("01HDURING") is False  # a redelivery to the same worker
        assert other.claim_event("01HDURING") is False  # and to another one
        verdicts = [other.hit_rate("k", limit=2, window=60, now=100.0 + i) for i in range(4)]
        assert verdicts == ["ok", "ok", "notice", "silent"]
    finally:
        admin.rollback()
        admin.close()
    assert other.claim_event("01HDURING") is False  # still a redelivery after the lock
    assert store.claim_event("01HDURING") is False
    assert StateStore(path, KEY).claim_event("01HDURING") is False  # a worker started later
    assert store.claim_event("01HAFTER") is True


def test_webhook_answers_once_within_one_wait_while_the_state_db_is_locked(
    tmp_path, fake_line, make_app
):
    from tests.webhook_support import FakeEngine, payload, post, text_event

    engine = FakeEngine()
    first_worker = make_app(ENGINE=engine).test_client()
    second_worker = make_app(ENGINE=engine).test_client()
    sent = text_event("วิสัยทัศน์")
    redelivered = dict(sent, deliveryContext={"isRedelivery": True})
    StateStore(tmp_path / "state.db", KEY)  # the file exists before the admin opens it
    admin = _hold_write_lock(tmp_path / "state.db")
    try:
        started = time.monotonic()
        assert post(first_worker, payload(sent)).status_code == 200
        took = time.monotonic() - started
        assert post(first_worker, payload(redelivered)).status_code == 200
        assert post(second_worker, payload(redelivered)).status_code == 200
    finally:
        admin.rollback()
        admin.close()
    assert took < sqlite_backend.LOCK_WAIT + 1.0
    assert len(fake_line.replies()) == 1
    assert [call[1] for call in engine.calls] == ["วิสัยทัศน์"]


def test_threads_waiting_on_one_lock_each_wait_once(tmp_path):
    """Eight threads of one worker hit the lock together: none waits past one bounded wait."""
    path = tmp_path / "state.db"
    store = StateStore(path, KEY, lock_wait=0.3)
    key = store.key("user", USER)
    admin = _hold_write_lock(path)
    took: list[float] = []

    def answer(n: int) -> None:
        started = time.monotonic()
        _one_answer(store, f"01HTHREAD{n}", key)
        took.append(time.monotonic() - started)

    try:
        threads = [threading.Thread(target=answer, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        admin.rollback()
        admin.close()
    assert len(took) == 8 and max(took) < 0.3 + 0.7


def _start_store(path, barrier, results):
    barrier.wait()
    try:
        SqliteStateStore(path, b"k")
        results.put("ok")
    except Exception as error:  # the test counts what went wrong
        results.put(type(error).__name__)


def test_workers_starting_together_on_a_new_state_file_all_start(tmp_path):
    """Eight processes opening one new state database at the same instant (gunicorn's
    workers at a first start): SQLite's deadlock between a WAL switch and a schema creation
    made some of them fail at once, and gunicorn shut down. 40 new files, 320 starts."""
    # Not "fork": the test process has threads (other tests' sweepers, the logging lock), and
    # a child forked while one of them held a lock can hang. The fork server is one clean
    # process that forks the children.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["bot.state.sqlite", "tests.test_state"])
    outcomes = []
    for round_ in range(40):
        path = tmp_path / f"state-{round_}.db"
        barrier, results = context.Barrier(8), context.Queue()
        processes = [context.Process(target=_start_store, args=(path, barrier, results))
                     for _ in range(8)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
        for _ in processes:
            try:
                outcomes.append(results.get(timeout=5))
            except queue.Empty:
                outcomes.append("no answer")
    assert outcomes.count("ok") == 320, {o: outcomes.count(o) for o in set(outcomes)}
