"""The event journal with leases, on both backends (SQLite and a real Redis server).

An event journaled is answered at least once: a redelivery is not added twice, an event whose
worker died (kill -9 mid-lease) is taken up again by another process, and a done event is
never handed out again.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from bot.reply import State
from bot.state import (
    ABANDONED,
    ADDED,
    DONE,
    PENDING,
    RateCount,
    rate_verdict,
    store_for_url,
    worker_name,
)

pytest_plugins = ["tests.redis_support"]

KEY = b"test-hash-key"

LEASE = 30.0


@pytest.fixture
def store(backend):
    return backend.open()


def test_a_redelivery_is_not_added_twice_and_carries_the_newest_payload(store):
    assert store.journal_add("01HEVENT", '{"replyToken": "first"}', now=100.0) == ADDED
    assert store.journal_add("01HEVENT", '{"replyToken": "again"}', now=101.0) == PENDING
    taken = store.journal_take("host:1", LEASE, now=102.0)
    assert (taken.event_id, taken.payload, taken.attempts) == ("01HEVENT", '{"replyToken": "again"}', 1)
    assert store.journal_take("host:2", LEASE, now=103.0) is None  # one event, one taker
    assert store.journal_add("01HEVENT", "{}", now=104.0) == PENDING  # still answerable


def test_an_add_counts_a_new_events_message_in_its_senders_window_once(store):
    """The journal add counts the message (no write of its own for the rate window): each
    new event gets its number in the window, kept with the entry; a redelivery is not
    counted again; a window that is over starts afresh; `hit_rate` shares the window."""
    counts = []
    for n in range(3):
        rate = RateCount("sender-key", 60.0)
        assert store.journal_add(f"01HCOUNT{n}", "p", now=100.0 + n, worker="host:1",
                                 lease_seconds=LEASE, rate=rate) == ADDED
        counts.append(store.journal_get(f"01HCOUNT{n}").rate_count)
        assert rate.count in (None, counts[-1])  # learnt with the add where the backend can
    assert counts == [1, 2, 3]
    again = RateCount("sender-key", 60.0)
    assert store.journal_add("01HCOUNT1", "newer", now=104.0, rate=again) == PENDING
    assert again.count is None and store.journal_get("01HCOUNT1").rate_count == 2
    assert store.hit_rate("sender-key", limit=4, window=60.0, now=105.0) == "ok"  # the 4th
    store.journal_add("01HCOUNT3", "p", now=106.0, rate=RateCount("sender-key", 60.0))
    assert rate_verdict(store.journal_get("01HCOUNT3").rate_count, 4) == "notice"
    store.journal_add("01HCOUNT4", "p", now=161.0, rate=RateCount("sender-key", 60.0))
    assert store.journal_get("01HCOUNT4").rate_count == 1  # the window from 100 is over
    store.journal_add("01HNOTCOUNTED", "p", now=162.0)
    assert store.journal_get("01HNOTCOUNTED").rate_count is None
    assert store.journal_take("host:2", LEASE, now=200.0, event_id="01HCOUNT1").rate_count == 2


def count_and_row(store, event_id: str, rate: RateCount):
    """What the runtime does: the count (and the chat's row) as the add returned them, else
    read in one step (`journal_count`)."""
    if rate.count is not None:
        return rate.count, rate.row
    return store.journal_count(event_id, chat=rate.chat)


def test_the_count_comes_with_the_chats_saved_state_for_its_updates_first_read(store):
    """With the chat's key the backend reads that chat's saved state along with the count
    (SQLite: one statement; Redis: the add itself), and `update(first=...)` takes it as
    its read: no read of its own."""
    chat = store.key("user", "U-count")
    store.save(chat, State(items=["before"]), now=100.0)
    rate = RateCount("sender-key", 60.0, chat=chat)
    store.journal_add("01HROW", "p", now=101.0, worker="host:1", lease_seconds=LEASE, rate=rate)
    count, row = count_and_row(store, "01HROW", rate)
    assert count == 1 and row is not None
    assert store.journal_count("01HROW") == (1, None)  # the count alone
    read = store._read_conversation
    store._read_conversation = lambda key: pytest.fail("the state was read again")
    seen = []
    store.update(chat, lambda s: (seen.append(list(s.items)), State(items=[*s.items, "mine"])),
                 now=102.0, first=row)
    store._read_conversation = read
    assert seen == [["before"]] and store.load(chat, now=103.0).items == ["before", "mine"]
    fresh = RateCount("other-sender", 60.0, chat=store.key("user", "U-new"))
    store.journal_add("01HNEWCHAT", "p", now=104.0, worker="host:1", lease_seconds=LEASE,
                      rate=fresh)
    assert store._state_of(*count_and_row(store, "01HNEWCHAT", fresh)[1], 104.0) == State()
    assert store.journal_count("01HGONE", chat=chat)[0] is None


def test_an_update_whose_first_read_went_stale_tries_again(store):
    """The row read with the count is checked by the swap like any read: another worker's
    save in between costs a second try, not a lost update."""
    chat = store.key("user", "U-stale")
    store.save(chat, State(items=["before"]), now=100.0)
    rate = RateCount("sender-key", 60.0, chat=chat)
    store.journal_add("01HSTALE", "p", now=101.0, worker="host:1", lease_seconds=LEASE,
                      rate=rate)
    _, row = count_and_row(store, "01HSTALE", rate)
    store.update(chat, lambda s: (None, State(items=[*s.items, "other"])), now=102.0)
    seen = []
    store.update(chat, lambda s: (seen.append(list(s.items)), State(items=[*s.items, "mine"])),
                 now=103.0, first=row)
    assert seen == [["before"], ["before", "other"]]
    assert store.load(chat, now=104.0).items == ["before", "other", "mine"]


def test_the_verdict_of_a_messages_number_in_its_window():
    assert [rate_verdict(n, 3) for n in (None, 1, 3, 4, 5, 9)] == [
        "ok", "ok", "ok", "notice", "silent", "silent"]
    assert [rate_verdict(n, 0) for n in (1, 2)] == ["notice", "silent"]  # as hit_rate's


def test_a_done_event_is_never_handed_out_again_and_its_payload_is_erased(store):
    store.journal_add("01HDONE", "secret message text", now=100.0)
    store.journal_take("host:1", LEASE, now=100.0)
    assert store.journal_done("01HDONE", "sent", now=101.0) is True
    assert store.journal_done("01HDONE", "sent", now=102.0) is False
    assert store.journal_add("01HDONE", "secret message text", now=103.0) == DONE
    assert store.journal_take("host:2", LEASE, now=10_000.0) is None
    entry = store.journal_get("01HDONE")
    assert (entry.status, entry.outcome, entry.payload, entry.worker) == (DONE, "sent", None, None)
    assert store.journal_done("01HNEVERSEEN", "sent") is False
    assert store.journal_get("01HNEVERSEEN") is None


def test_events_are_taken_oldest_first_and_an_expired_lease_is_taken_up_again(store):
    store.journal_add("01HB", "b", now=101.0)
    store.journal_add("01HA", "a", now=100.0)
    first = store.journal_take("host:1", 10, now=200.0)
    second = store.journal_take("host:1", 10, now=201.0)
    assert (first.event_id, second.event_id) == ("01HA", "01HB")
    assert store.journal_take("host:2", 10, now=209.0) is None  # both leases still run
    again = store.journal_take("host:2", 10, now=210.5)
    assert (again.event_id, again.attempts, again.worker) == ("01HA", 2, "host:2")
    entry = store.journal_get("01HA")
    assert (entry.status, entry.worker, entry.lease_until) == (PENDING, "host:2", 220.5)


def test_a_renewed_lease_holds_and_only_its_holders_pending_events_are_renewed(store):
    for name in ("01HMINE", "01HOTHER", "01HDONE"):
        store.journal_add(name, name, now=100.0)
    assert store.journal_take("host:1", 10, now=100.0, event_id="01HMINE").event_id == "01HMINE"
    assert store.journal_take("host:2", 10, now=100.0, event_id="01HOTHER").worker == "host:2"
    store.journal_take("host:1", 10, now=100.0, event_id="01HDONE")
    store.journal_done("01HDONE", "sent", now=101.0)
    renewed = store.journal_renew("host:1", ["01HMINE", "01HOTHER", "01HDONE", "01HNONE"], 10,
                                  now=108.0)
    assert renewed == 1  # another worker's lease, a done event and an unknown id: untouched
    assert store.journal_get("01HMINE").lease_until == 118.0
    assert store.journal_renew("host:1", [], 10, now=108.0) == 0
    # At 112 the unrenewed lease has run out and is taken up; the renewed one still holds.
    taken = store.journal_take("host:3", 10, now=112.0)
    assert (taken.event_id, taken.worker) == ("01HOTHER", "host:3")
    assert store.journal_take("host:3", 10, now=112.0) is None
    assert store.journal_take("host:3", 10, now=118.5).event_id == "01HMINE"


def test_an_event_added_with_a_lease_is_its_adders_like_a_taken_one(store):
    """The webhook journals and leases in one write: nobody else takes the event while the
    lease holds; renewal, release (the adder died) and expiry work as after a take; a
    redelivery is never leased by its add."""
    assert store.journal_add("01HLEASED", "p1", now=100.0, worker="host:1",
                             lease_seconds=10) == ADDED
    entry = store.journal_get("01HLEASED")
    assert (entry.status, entry.worker, entry.attempts, entry.lease_until) == (
        PENDING, "host:1", 1, 110.0)
    assert store.journal_add("01HLEASED", "p2", now=101.0, worker="host:2",
                             lease_seconds=10) == PENDING
    assert store.journal_get("01HLEASED").worker == "host:1"
    assert store.journal_take("host:2", LEASE, now=105.0) is None
    assert store.journal_take("host:2", LEASE, now=105.0, event_id="01HLEASED") is None
    assert store.journal_renew("host:1", ["01HLEASED"], 10, now=108.0) == 1
    assert store.journal_take("host:2", LEASE, now=112.0) is None  # renewed to 118
    assert store.journal_release("host:1", now=113.0) == 1
    taken = store.journal_take("host:2", LEASE, now=113.0)
    assert (taken.event_id, taken.payload, taken.attempts) == ("01HLEASED", "p2", 2)
    assert store.journal_done("01HLEASED", "sent", now=114.0) is True
    store.journal_add("01HEXPIRES", "p", now=200.0, worker="host:1", lease_seconds=10)
    assert store.journal_take("host:3", LEASE, now=209.0) is None
    assert store.journal_take("host:3", LEASE, now=210.5).event_id == "01HEXPIRES"
    assert store.journal_done("01HEXPIRES", "sent", now=211.0) is True


def test_taking_one_given_event(store):
    store.journal_add("01HOLD", "old", now=100.0)
    store.journal_add("01HMINE", "mine", now=101.0)
    assert store.journal_take("host:1", LEASE, now=102.0, event_id="01HMINE").payload == "mine"
    assert store.journal_take("host:2", LEASE, now=103.0, event_id="01HMINE") is None  # leased
    assert store.journal_take("host:2", LEASE, now=103.0, event_id="01HNOTHERE") is None
    assert store.journal_take("host:2", LEASE, now=103.0).event_id == "01HOLD"


def test_release_frees_only_the_dead_workers_events(store):
    for n in range(3):
        store.journal_add(f"01HE{n}", str(n), now=100.0 + n)
    store.journal_take("host:dead", LEASE, now=110.0)
    store.journal_take("host:dead", LEASE, now=110.0)
    store.journal_take("host:alive", LEASE, now=110.0)
    assert store.journal_release("host:dead", now=111.0) == 2
    assert store.journal_release("host:dead", now=111.0) == 0
    taken = [store.journal_take("host:new", LEASE, now=112.0) for _ in range(3)]
    assert [t and t.event_id for t in taken] == ["01HE0", "01HE1", None]
    assert store.journal_get("01HE2").worker == "host:alive"


def test_an_event_that_outlives_every_worker_is_given_up(store, caplog):
    store.journal_add("01HPOISON", "p", now=0.0)
    for attempt in range(1, 4):
        taken = store.journal_take("host:1", 1, now=attempt * 10.0, max_attempts=3)
        assert taken.attempts == attempt
    assert store.journal_take("host:1", 1, now=100.0, max_attempts=3) is None
    entry = store.journal_get("01HPOISON")
    assert (entry.status, entry.outcome, entry.payload) == (DONE, ABANDONED, None)
    assert any("given up" in r.getMessage() for r in caplog.records)


def test_odd_event_ids_and_payloads_survive(store):
    odd = "\ud800 lone surrogate \x00 nul ไทย"
    assert store.journal_add(odd, odd) == ADDED
    taken = store.journal_take("host:1", LEASE)
    assert (taken.event_id, taken.payload) == (odd, odd)
    assert store.journal_done(odd, "sent") is True


def test_redis_keeps_no_id_or_message_of_a_done_event(redis_url):
    import redis

    store = store_for_url(redis_url, KEY)
    store.journal_add("01HPRIVATE", '{"userId": "U4af4980629aaaa", "text": "ความลับ"}')
    store.journal_take("host:1", LEASE)
    store.journal_done("01HPRIVATE", "sent")
    client = redis.Redis.from_url(redis_url)
    for name in client.scan_iter():
        assert b"01HPRIVATE" not in name
        assert b"U4af4980629aaaa" not in client.dump(name)


# -- several processes ------------------------------------------------------------------------


def _taker(url: str, worker: str, results) -> None:
    store = store_for_url(url, KEY)
    taken = []
    while (entry := store.journal_take(worker, LEASE)) is not None:
        taken.append(entry.event_id)
        store.journal_done(entry.event_id, "sent")
    results.put(taken)


@pytest.mark.slow
def test_concurrent_workers_take_each_event_exactly_once(backend):
    store = backend.open()
    event_ids = [f"01HMANY{i:04d}" for i in range(150)]
    for event_id in event_ids:
        store.journal_add(event_id, event_id)
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [
        context.Process(target=_taker, args=(backend.url, f"host:{n}", results)) for n in range(4)
    ]
    for process in processes:
        process.start()
    taken = [event_id for _ in processes for event_id in results.get(timeout=120)]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert sorted(taken) == event_ids  # none lost, none twice
    assert all(store.journal_get(event_id).outcome == "sent" for event_id in event_ids)


def _take_in_a_process_then_kill_it(url: str, lease: float) -> tuple[int, str]:
    """A worker process takes one event with `lease`, then dies by SIGKILL mid-answer.

    Returns the dead worker's pid and the event id it had taken.
    """
    script = textwrap.dedent(
        f"""
        import os, time
        from bot.state import store_for_url, worker_name
        store = store_for_url({url!r}, {KEY!r})
        entry = store.journal_take(worker_name(os.getpid()), {lease!r})
        print(entry.event_id if entry else "none", flush=True)
        time.sleep(600)
        """
    )
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, env=env, text=True
    )
    try:
        taken = child.stdout.readline().strip()
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return child.pid, taken


@pytest.mark.slow
def test_an_event_of_a_worker_killed_mid_lease_is_taken_up_by_another_process(backend):
    store = backend.open()
    assert store.journal_add("01HKILLED", "answer me") == ADDED
    _pid, taken_by_the_dead = _take_in_a_process_then_kill_it(backend.url, lease=5.0)
    assert taken_by_the_dead == "01HKILLED"
    assert store.journal_take("host:other", LEASE) is None  # its lease still runs
    assert store.journal_add("01HKILLED", "answer me") == PENDING  # LINE's redelivery
    taken = store.journal_take("host:other", LEASE, now=time.time() + 5.5)
    assert (taken.event_id, taken.payload, taken.attempts) == ("01HKILLED", "answer me", 2)
    assert store.journal_done("01HKILLED", "sent") is True


@pytest.mark.slow
def test_a_killed_workers_events_are_released_at_once(backend):
    store = backend.open()
    store.journal_add("01HRELEASED", "answer me")
    pid, taken_by_the_dead = _take_in_a_process_then_kill_it(backend.url, lease=600.0)
    assert taken_by_the_dead == "01HRELEASED"
    # What gunicorn's master does in its child_exit hook with the dead worker's pid.
    assert store.journal_release(worker_name(pid)) == 1
    taken = store.journal_take("host:other", LEASE)
    assert (taken.event_id, taken.attempts) == ("01HRELEASED", 2)


def test_several_events_are_marked_done_in_one_call_and_a_done_one_is_left_alone(store):
    for n, event_id in enumerate(("01HMANY1", "01HMANY2", "01HMANY3")):
        store.journal_add(event_id, "payload", now=100.0 + n)
        store.journal_take("host:1", LEASE, now=110.0)
    store.journal_done("01HMANY3", "refused", now=111.0)
    marks = [("01HMANY1", "sent", 120.0), ("01HMANY2", "gave_up", 121.0),
             ("01HMANY3", "sent", 122.0), ("01HNEVERSEEN", "sent", 123.0)]
    assert store.journal_done_many(marks) == 2
    assert store.journal_done_many([]) == 0
    entries = [store.journal_get(e) for e in ("01HMANY1", "01HMANY2", "01HMANY3")]
    assert [(e.status, e.outcome, e.payload, e.worker) for e in entries] == [
        (DONE, "sent", None, None), (DONE, "gave_up", None, None), (DONE, "refused", None, None)]
    assert store.journal_take("host:2", LEASE, now=10_000.0) is None
    assert store.journal_add("01HMANY2", "payload", now=130.0) == DONE


def test_an_sqlite_take_that_loses_the_race_for_an_event_takes_the_next(tmp_path):
    """Two takers read the same free event; the one whose lease write comes second takes
    the next event instead (the write compares the attempts it read), not the same one."""
    from bot.state.sqlite import SqliteStateStore

    path = tmp_path / "state.db"
    mine, other = SqliteStateStore(path, KEY), SqliteStateStore(path, KEY)
    mine.journal_add("01HRACE1", "first", now=1.0)
    mine.journal_add("01HRACE2", "second", now=2.0)
    run, raced = mine._run, []

    def other_takes_after_my_read(operation, setup=False, write=True):
        result = run(operation, setup, write)
        if not write and not raced and isinstance(result, tuple) and len(result) == 5:
            raced.append(other.journal_take("host:other", LEASE, now=10.0))
        return result

    mine._run = other_takes_after_my_read
    taken = mine.journal_take("host:mine", LEASE, now=10.0)
    assert raced[0].event_id == "01HRACE1"
    assert taken.event_id == "01HRACE2"
    assert (taken.attempts, taken.worker) == (1, "host:mine")
    assert mine.journal_get("01HRACE1").worker == "host:other"
    assert mine.journal_take("host:mine", LEASE, now=11.0) is None  # both leased now


def test_renewing_many_leases_at_once_renews_only_the_holders(store):
    event_ids = [f"01HRENEW{i:03d}" for i in range(250)]  # more than one statement's worth
    for event_id in event_ids:
        store.journal_add(event_id, "p", now=1.0)
    for _ in event_ids:
        store.journal_take("host:1", LEASE, now=2.0)
    store.journal_add("01HOTHER", "p", now=1.0)
    store.journal_take("host:2", LEASE, now=2.0)
    assert store.journal_renew("host:1", [*event_ids, "01HOTHER"], 100.0, now=50.0) == 250
    assert store.journal_take("host:3", 1000.0, now=100.0).event_id == "01HOTHER"
    assert store.journal_take("host:3", LEASE, now=140.0) is None  # renewed until 150
    assert store.journal_take("host:3", LEASE, now=151.0).event_id in event_ids


def test_a_state_file_from_before_the_counted_add_is_upgraded_in_place(tmp_path):
    """A journal without the rate columns (an older version's file) gets them and the
    trigger when opened; its entries stay as they were."""
    import sqlite3

    from bot.state.sqlite import SqliteStateStore

    path = tmp_path / "state.db"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE journal (id TEXT PRIMARY KEY, event_id BLOB NOT NULL, payload BLOB, "
        "status TEXT NOT NULL, added REAL NOT NULL, available REAL NOT NULL, worker TEXT, "
        "attempts INTEGER NOT NULL DEFAULT 0, outcome TEXT, finished REAL);"
    )
    old.close()
    before = SqliteStateStore(path, KEY)
    assert before.journal_add("01HOLD", "p", now=1.0) == ADDED
    # a second process opening the same file at once finds the columns already there
    store = SqliteStateStore(path, KEY)
    store.journal_add("01HNEW", "p", now=2.0, rate=RateCount("k", 60.0))
    assert store.journal_get("01HNEW").rate_count == 1
    assert store.journal_get("01HOLD").payload == "p"
