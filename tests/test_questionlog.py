"""The question log (bot/questionlog.py): only unanswered questions, no LINE id, gone after
PLANBOT_LOG_DAYS, nothing at all with PLANBOT_LOG_DAYS=0; and the runtime's hook that fills it."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.questionlog import DAY, LOGGED_KINDS, QuestionLog, masked
from bot.reply import UNANSWERED_KINDS
from tests.webhook_support import (
    GROUP_ID,
    OTHER_USER_ID,
    ROOM_ID,
    USER_ID,
    payload,
    post,
    source,
    text_event,
)

#: Questions the bundled corpus cannot answer, each with the kind the engine gives it.
UNANSWERABLE = ["แผนของ สพป.น่าน เขต 2", "ยุทธศาสตร์ที่ 9 สพป.แพร่ เขต 1"]
ANSWERABLE = "วิสัยทัศน์ สพม.13"


def rows(path) -> list[tuple]:
    """Every row of every table in the log's database."""
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [row for table in tables for row in db.execute(f"SELECT * FROM {table}")]


def test_only_unanswered_kinds_are_kept(tmp_path):
    log = QuestionLog(tmp_path / "q.db", days=30)
    assert {*UNANSWERED_KINDS} - {"ack"} == LOGGED_KINDS
    for kind in sorted(LOGGED_KINDS):
        assert log.record(f"คำถาม {kind}", kind)
    # "โอเคครับ", "555" (ack) asked nothing: not a gap in the plans for the admin's report
    for kind in ("answer", "greeting", "help", "owner_list", "rate_limited", "error", "ack"):
        assert not log.record(f"คำถาม {kind}", kind)
    kept = log.entries(since=0)
    assert sorted(e.kind for e in kept) == sorted(LOGGED_KINDS)
    assert all(e.text == f"คำถาม {e.kind}" for e in kept)


def test_entries_older_than_the_retention_are_gone_after_the_purge(tmp_path, monkeypatch):
    # record() purges now and then by chance (bot.questionlog.PURGE_PROBABILITY): not here,
    # so that this purge is the one that deletes (the test failed about once in a hundred runs)
    monkeypatch.setattr("bot.questionlog.PURGE_PROBABILITY", 0.0)
    path = tmp_path / "q.db"
    log = QuestionLog(path, days=30)
    now = time.time()
    log.record("เก่ามาก", "dont_know", now=now - 31 * DAY)
    log.record("เก่าพอดี", "dont_know", now=now - 30 * DAY - 60)
    log.record("ยังอยู่", "dont_know", now=now - 29 * DAY)
    log.record("วันนี้", "not_in_corpus", now=now)
    assert log.purge(now) == 2
    assert sorted(r[1] for r in rows(path)) == ["ยังอยู่", "วันนี้"]  # gone from the file
    assert [e.text for e in log.entries(since=0, until=now)] == ["ยังอยู่", "วันนี้"]


def test_a_shorter_retention_purges_when_the_log_is_opened(tmp_path):
    path = tmp_path / "q.db"
    QuestionLog(path, days=30).record("สิบวันก่อน", "dont_know", now=time.time() - 10 * DAY)
    QuestionLog(path, days=7)  # the admin shortened PLANBOT_LOG_DAYS and restarted
    assert rows(path) == []


def test_the_report_reads_a_period(tmp_path):
    log = QuestionLog(tmp_path / "q.db", days=30)
    now = time.time()
    log.record("สองวันก่อน", "dont_know", now=now - 2 * DAY)
    log.record("เมื่อครู่", "dont_know", now=now - 60)
    assert [e.text for e in log.entries(since=now - DAY, until=now)] == ["เมื่อครู่"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("ติดต่อ somchai.k@obec.go.th ได้ไหม", "ติดต่อ <อีเมล> ได้ไหม"),
        ("โทร 081-234-5678 เรื่องแผน", "โทร <โทรศัพท์> เรื่องแผน"),
        ("โทร 0812345678", "โทร <โทรศัพท์>"),
        (f"ของ{USER_ID}คืออะไร", "ของ<id>คืออะไร"),
        (f"กลุ่ม {GROUP_ID} ห้อง {ROOM_ID}", "กลุ่ม <id> ห้อง <id>"),
        ("แผนปี 2566-2570 ข้อ 3", "แผนปี 2566-2570 ข้อ 3"),  # years are not phone numbers
    ],
)
def test_identifying_strings_in_a_question_are_masked(question, expected):
    assert masked(question) == expected


def test_log_days_zero_is_off_and_negative_is_refused(tmp_path):
    config = load_config({"PLANBOT_LOG_DAYS": "0", "PLANBOT_STATE_DB": str(tmp_path / "s.db")},
                         environ={})
    assert QuestionLog.from_config(config) is None
    with pytest.raises(ConfigError, match="PLANBOT_LOG_DAYS"):
        load_config({"PLANBOT_LOG_DAYS": "-1"}, environ={})
    with pytest.raises(ConfigError, match="PLANBOT_LOG_DAYS"):
        load_config({"PLANBOT_LOG_DAYS": "a month"}, environ={})


def test_the_log_db_defaults_to_beside_the_state_db(tmp_path):
    config = load_config({"PLANBOT_STATE_DB": str(tmp_path / "x" / "state.db")}, environ={})
    assert config["PLANBOT_LOG_DB"] == str(tmp_path / "x" / "questions.db")
    assert config["PLANBOT_LOG_DAYS"] == 30


def _ask_everywhere(client, questions):
    """Each question from a user, in a group and in a room (addressed to the bot by name)."""
    for question in questions:
        for src, text in (
            (source("user"), question),
            (source("user", OTHER_USER_ID), question),
            (source("group"), f"บอท {question}"),
            (source("room"), f"บอท {question}"),
        ):
            assert post(client, payload(text_event(text, src))).status_code == 200


def test_the_webhook_logs_unanswered_questions_without_any_line_id(make_app, index_db, tmp_path):
    log_db = tmp_path / "log" / "questions.db"
    app = make_app(PLANBOT_DB=str(index_db), PLANBOT_LOG_DB=str(log_db), PLANBOT_RATE_LIMIT=100)
    _ask_everywhere(app.test_client(), [*UNANSWERABLE, ANSWERABLE])

    texts = sorted(e.text for e in app.extensions["planbot"].questions.entries(since=0))
    assert texts == sorted(UNANSWERABLE * 4)  # the answered question is not kept
    store = app.extensions["planbot"].store
    ids = {USER_ID: "user", OTHER_USER_ID: "user", GROUP_ID: "group", ROOM_ID: "room"}
    forbidden = set(ids)
    for line_id, kind in ids.items():
        forbidden |= {
            store.key(kind, line_id),  # the state DB's keyed hash
            store.key("rate", line_id),
            hashlib.sha256(line_id.encode()).hexdigest(),
            hashlib.md5(line_id.encode()).hexdigest(),
        }
    stored = "\n".join(str(value) for row in rows(log_db) for value in row)
    raw = b"".join(p.read_bytes() for p in log_db.parent.iterdir())  # the file, WAL included
    for value in forbidden:
        assert value not in stored
        assert value.encode() not in raw
    assert [len(row) for row in rows(log_db)] == [4] * 8  # id, text, kind, time: nothing else


def test_log_days_zero_logs_nothing_through_the_webhook(make_app, index_db, tmp_path):
    log_db = tmp_path / "log" / "questions.db"
    app = make_app(PLANBOT_DB=str(index_db), PLANBOT_LOG_DB=str(log_db), PLANBOT_LOG_DAYS=0)
    assert app.extensions["planbot"].questions is None
    _ask_everywhere(app.test_client(), UNANSWERABLE)
    assert not log_db.exists()
    assert not log_db.parent.exists()


def test_a_limited_read_keeps_the_latest_questions_oldest_first(tmp_path):
    log = QuestionLog(tmp_path / "q.db", days=30)
    now = time.time()
    for minutes, text in enumerate(["หนึ่ง", "สอง", "สาม", "สี่"]):
        log.record(text, "dont_know", now=now - 60 * (4 - minutes))
    assert [e.text for e in log.entries(since=0, until=now, limit=2)] == ["สาม", "สี่"]
    assert [e.text for e in log.entries(since=0, until=now)] == ["หนึ่ง", "สอง", "สาม", "สี่"]
    assert log.count(0, now) == 4 and log.count(now - 150, now) == 2


def test_each_thread_keeps_one_connection_instead_of_one_per_question(tmp_path, monkeypatch):
    """Opening a connection per question (and closing the last one, which checkpoints and
    syncs the WAL) cost each logged question as much CPU as its answer."""
    opened = []
    connect = sqlite3.connect
    monkeypatch.setattr("bot.questionlog.sqlite3.connect",
                        lambda *args, **kwargs: opened.append(args) or connect(*args, **kwargs))
    log = QuestionLog(tmp_path / "q.db", days=30)
    for n in range(20):
        assert log.record(f"คำถาม {n}", "dont_know")
    assert len(opened) == 1
    other = threading.Thread(target=lambda: [log.record(f"อีก {n}", "dont_know") for n in range(5)])
    other.start()
    other.join()
    assert len(opened) == 2
    assert log.count(0, time.time()) == 25


def test_a_log_deleted_while_running_is_started_again(tmp_path):
    path = tmp_path / "q.db"
    log = QuestionLog(path, days=30)
    assert log.record("ก่อนลบ", "dont_know")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    assert log.record("หลังลบ", "dont_know")
    assert [e.text for e in log.entries(since=0)] == ["หลังลบ"]
    assert [r[1] for r in rows(path)] == ["หลังลบ"]  # in the file at the path, not a lost inode
