"""EngineCache: a rebuilt index is picked up without a restart, large ones in the background."""

from __future__ import annotations

import os
import shutil
import time

from bot.answer import EngineCache
from index.build import build
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


def test_small_index_swaps_at_the_next_call(tmp_path):
    old, new = _corpora(tmp_path)
    db = tmp_path / "index.db"
    build(old, db)
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
