"""EngineCache: a rebuilt index is picked up without a restart, large ones in the background;
a file that cannot be loaded (damaged in place, truncated, foreign, deleted) keeps the last good
engine answering, says so once in the log, and shows as degraded in `health()`."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time

import pytest

import bot.engine
from bot.answer import Engine, EngineCache
from bot.reload import IndexUnavailable
from index.build import build
from index.headings import KINDS
from tests.conftest import CORPUS

NEW_VISION = "มุ่งสู่ดัชนีใหม่ที่สลับได้โดยไม่ต้องเริ่มระบบใหม่"


def _corpora(tmp_path):
    old = tmp_path / "old"
    shutil.copytree(CORPUS, old)
    new = tmp_path / "new"
    shutil.copytree(CORPUS, new)
    plan = new / "spm-13.txt"
    text = plan.read_text(encoding="utf-8")
    start = text.index("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา เขต 13 เป็นผู้นำ")
    plan.write_text(text[:start] + NEW_VISION + "\n" + text[text.index("พันธกิจ (MISSION)"):],
                    encoding="utf-8")
    return old, new


def _vision(engine) -> str:
    return engine.answer("วิสัยทัศน์ สพม.13").text


def test_small_index_swaps_at_the_next_call(tmp_path, monkeypatch):
    old, new = _corpora(tmp_path)
    db = tmp_path / "index.db"
    build(old, db)
    monkeypatch.setattr("bot.reload.CHECK_EVERY", 0)  # every call looks (the interval: below)
    cache = EngineCache(db)
    first = cache.get()
    assert NEW_VISION not in _vision(first)
    assert cache.get() is first  # nothing changed: same engine, no reload
    build(new, db)
    assert NEW_VISION in _vision(cache.get())


def test_large_index_loads_in_the_background_while_the_old_one_answers(tmp_path):
    old, new = _corpora(tmp_path)
    db = tmp_path / "index.db"
    build(old, db)
    cache = EngineCache(db, background_bytes=0)  # every index counts as large here
    first = cache.get()
    build(new, db)
    started = time.perf_counter()
    assert cache.get() is first  # answers at once, from the old index
    assert time.perf_counter() - started < 0.5
    deadline = time.monotonic() + 30
    while cache.get() is first and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cache.get() is not first
    assert NEW_VISION in _vision(cache.get())


def test_a_vanished_index_keeps_the_last_engine(tmp_path):
    db = tmp_path / "index.db"
    build(CORPUS, db)
    cache = EngineCache(db)
    engine = cache.get()
    db.unlink()
    assert cache.get() is engine


def test_rebuild_sweeps_temporaries_a_killed_rebuild_left(tmp_path):
    db = tmp_path / "index.db"
    stale = tmp_path / ".index-killed.db"
    fresh = tmp_path / ".index-running.db"
    stale.write_bytes(b"half an index")
    fresh.write_bytes(b"another rebuild, right now")
    hours_ago = time.time() - 7 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    build(CORPUS, db)
    assert not stale.exists()
    assert fresh.exists()


# -- a file that cannot be loaded never takes the answers away (issue 12, item 4) -------------

VISION_SPM13 = "เป็นผู้นำในการพัฒนาคุณภาพการศึกษาสู่ความเป็นเลิศ"


def _garbage(db):
    """A non-atomic copy of something that is not SQLite, over the file (same inode)."""
    with open(db, "r+b") as f:
        f.write(b"this is not a database " * 100)


def _truncated(db):
    """A copy cut short: the file's first half only (same inode)."""
    os.truncate(db, db.stat().st_size // 2)


def _foreign(db):
    """Another program's SQLite database copied over the index (same inode)."""
    other = db.parent / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table notes (id integer primary key, body text)")
        conn.execute("insert into notes (body) values ('hello')")
    conn.close()
    with open(db, "r+b") as f:
        f.truncate(0)
        f.write(other.read_bytes())


def _empty(db):
    os.truncate(db, 0)


DAMAGES = {"not-sqlite": _garbage, "truncated": _truncated, "another-program": _foreign,
           "empty": _empty}


def _warnings(caplog, db) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "bot.reload" and r.levelno == logging.WARNING and str(db) in r.getMessage()]


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_file_damaged_in_place_keeps_the_last_engine(tmp_path, caplog, damage):
    db = tmp_path / "index.db"
    build(CORPUS, db)
    cache = EngineCache(db)
    engine = cache.get()
    inode = db.stat().st_ino
    damage(db)
    assert db.stat().st_ino == inode  # damaged in place, as `cp` over it does
    with caplog.at_level(logging.INFO, logger="bot.reload"):
        for _ in range(5):
            assert cache.get() is engine
            assert VISION_SPM13 in _vision(cache.get())
    health = cache.health()
    assert health.status == "degraded"
    assert health.reason.startswith("index file unreadable: ")
    assert health.since is not None and abs(health.since - time.time()) < 60
    [warning] = _warnings(caplog, db)  # one line for five messages; no traceback
    assert "unreadable" in warning and "still answering" in warning
    assert not any(r.exc_info for r in caplog.records)


def test_a_failed_load_is_tried_again_only_when_the_file_changes(tmp_path, caplog, monkeypatch):
    db = tmp_path / "index.db"
    build(CORPUS, db)
    cache = EngineCache(db)
    engine = cache.get()
    loads = []
    original = bot.engine.Engine

    def counting(*args, **kwargs):  # the real engine, counted: how often the file is read
        loads.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(bot.engine, "Engine", counting)
    _garbage(db)
    with caplog.at_level(logging.INFO, logger="bot.reload"):
        for _ in range(5):
            assert cache.get() is engine
        assert len(loads) == 1
        with open(db, "r+b") as f:  # changed again (another size), still not an index
            f.write(b"still not a database " * 300)
            f.truncate(5000)
        assert cache.get() is engine
        assert len(loads) == 2
        assert len(_warnings(caplog, db)) == 2
        # A good index copied over it in place: loaded, and the state is ok again.
        good = tmp_path / "good.db"
        build(CORPUS, good)
        with open(db, "r+b") as f:
            f.truncate(0)
            f.write(good.read_bytes())
        fresh = cache.get()
    assert fresh is not engine and len(loads) == 3
    assert VISION_SPM13 in _vision(fresh)
    assert cache.health().status == "ok" and cache.health().reason is None


def test_a_vanished_index_is_degraded_and_comes_back(tmp_path, caplog):
    db = tmp_path / "index.db"
    build(CORPUS, db)
    cache = EngineCache(db)
    engine = cache.get()
    assert cache.health().status == "ok"
    kept = tmp_path / "kept.db"
    os.link(db, kept)
    db.unlink()
    with caplog.at_level(logging.INFO, logger="bot.reload"):
        assert cache.get() is engine and cache.get() is engine
        health = cache.health()
        assert (health.status, health.reason) == ("degraded", "index file missing")
        assert health.since_text.endswith("+00:00")
        assert not db.exists()  # looking for it never creates an empty file there
        os.link(kept, db)  # the same file put back
        assert cache.get() is engine
    assert cache.health().status == "ok"
    assert len(_warnings(caplog, db)) == 2  # gone, then back


def test_no_engine_ever_loaded_is_unavailable(tmp_path):
    db = tmp_path / "index.db"
    cache = EngineCache(db)
    with pytest.raises(IndexUnavailable, match="index file missing"):
        cache.get()
    assert cache.health().status == "unavailable"
    assert cache.health().reason == "index file missing"
    db.write_bytes(b"not a database")
    with pytest.raises(IndexUnavailable, match="index file unreadable"):
        cache.get()
    assert cache.health().reason.startswith("index file unreadable: ")
    assert db.read_bytes() == b"not a database"
    build(CORPUS, db)  # an index at last: answered from at once
    assert VISION_SPM13 in _vision(cache.get())
    assert cache.health().status == "ok"


def test_a_large_index_that_fails_in_the_background_keeps_the_old_one(tmp_path):
    db = tmp_path / "index.db"
    build(CORPUS, db)
    cache = EngineCache(db, background_bytes=0)
    engine = cache.get()
    _garbage(db)
    assert cache.get() is engine  # at once: the load runs in a thread
    deadline = time.monotonic() + 30
    while cache.health().status == "ok" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cache.health().status == "degraded"
    assert cache.get() is engine


def test_warm_loads_the_index_before_any_message(tmp_path):
    db = tmp_path / "index.db"
    build(CORPUS, db)
    cache = EngineCache(db)
    assert cache.health().status == "unavailable"  # nothing loaded yet
    cache.warm()
    assert cache.health().status == "ok"
    assert cache.get().info["owners"] == 5


def test_warm_loads_a_large_index_in_the_background_and_messages_wait_for_it(
        tmp_path, monkeypatch):
    db = tmp_path / "index.db"
    build(CORPUS, db)
    cache = EngineCache(db, background_bytes=0)
    original, loads = bot.engine.Engine, []

    def slow(*args, **kwargs):  # the real engine, loading slowly as a national index does
        loads.append(args)
        time.sleep(1.0)
        return original(*args, **kwargs)

    monkeypatch.setattr(bot.engine, "Engine", slow)
    started = time.perf_counter()
    cache.warm()
    assert time.perf_counter() - started < 0.5  # the worker goes on booting meanwhile
    assert VISION_SPM13 in _vision(cache.get())  # waits for that load, not a second one
    assert len(loads) == 1 and cache.health().status == "ok"


def test_the_engine_never_reads_the_file_after_loading(tmp_path, index_db):
    """Everything is in memory once loaded: plans are parsed from stored JSON on first use,
    so a file damaged in place (or deleted) after the load changes no answer."""
    db = tmp_path / "index.db"
    shutil.copyfile(index_db, db)
    reference = Engine(index_db)
    engine = Engine(db)  # nothing parsed yet: every plan is asked for after the damage
    _garbage(db)
    questions = [f"owner={owner}&section={kind}" for owner in reference.owners for kind in KINDS]
    db.unlink()
    answers = [engine.postback(q).text for q in questions]
    assert answers == [reference.postback(q).text for q in questions]
    assert any(VISION_SPM13 in a for a in answers)


def test_a_loaded_engine_is_frozen_out_of_full_collections_and_a_replaced_one_is_freed(
        tmp_path, monkeypatch):
    """A full collection must not walk the engine (180 ms at national scale, on whichever
    message is unlucky), and freezing must not keep a replaced engine alive."""
    import gc
    import weakref

    monkeypatch.setattr("bot.reload.FREEZE_FROM_PASSAGES", 100)  # the bundled corpus: 109
    old, new = _corpora(tmp_path)
    db = tmp_path / "index.db"
    build(old, db)
    cache = EngineCache(db)
    try:
        first = cache.get()
        tracked = {id(o) for o in gc.get_objects(generation=2)}
        engine_dicts = [first.__dict__, first.owners]
        assert gc.get_freeze_count() > 0
        assert not any(id(o) in tracked for o in engine_dicts)  # frozen, not in generation 2
        gone = weakref.ref(first)
        del first, engine_dicts, tracked
        build(new, db)
        assert NEW_VISION in _vision(cache.get())
        assert gone() is None  # the replaced engine was collected before the new freeze
    finally:
        gc.unfreeze()


def test_a_small_engine_is_not_frozen(tmp_path):
    """Below FREEZE_FROM_PASSAGES the freeze's own full collection is not paid at each load."""
    import gc

    db = tmp_path / "index.db"
    build(CORPUS, db)
    gc.unfreeze()
    EngineCache(db).get()
    assert gc.get_freeze_count() == 0


def test_the_file_is_looked_at_once_per_check_interval(tmp_path, monkeypatch):
    """Under load every message asked `get`, and each `os.stat` gave up the GIL: the file is
    looked at once per CHECK_EVERY while unchanged, and a rebuild is answered from after it."""
    old, new = _corpora(tmp_path)
    db = tmp_path / "index.db"
    build(old, db)
    monkeypatch.setattr("bot.reload.CHECK_EVERY", 0.3)
    cache = EngineCache(db)
    looked = []
    real_stat = cache._stat
    monkeypatch.setattr(cache, "_stat", lambda: looked.append(1) or real_stat())
    first = cache.get()
    assert cache.get() is first
    for _ in range(50):
        cache.get()
    assert len(looked) == 2  # the load's look, then the one that found it unchanged
    build(new, db)
    assert cache.get() is first  # within the interval: not looked at yet
    assert NEW_VISION in _vision(cache.get(fresh=True))  # /healthz looks now
    time.sleep(0.35)
    assert cache.get() is not first


def test_a_rebuild_is_answered_after_the_check_interval(tmp_path, monkeypatch):
    old, new = _corpora(tmp_path)
    db = tmp_path / "index.db"
    build(old, db)
    monkeypatch.setattr("bot.reload.CHECK_EVERY", 0.2)
    cache = EngineCache(db)
    first = cache.get()
    cache.get()  # unchanged: not looked at again for 0.2 s
    build(new, db)
    assert cache.get() is first
    time.sleep(0.25)
    assert NEW_VISION in _vision(cache.get())
