"""/healthz and the answers when the index file is damaged in place, deleted or never there
(issue 12, item 4): the last good index keeps answering, /healthz says "degraded" (200) with a
reason and since when, and 503 "unavailable" only when no index could ever be loaded."""

from __future__ import annotations

import logging
import os
import shutil
from datetime import datetime

from bot.indexinfo import file_checksum
from bot.messages import APOLOGY
from index.build import build
from tests.conftest import CORPUS
from tests.webhook_support import payload, post, text_event

VISION_SPM13 = "เป็นผู้นำในการพัฒนาคุณภาพการศึกษาสู่ความเป็นเลิศ"


def ask(client, fake_line, text: str) -> str:
    """Send one message; the text of the reply LINE received (a Flex's altText)."""
    before = len(fake_line.replies())
    assert post(client, payload(text_event(text))).status_code == 200
    reply = fake_line.wait_for(before + 1, path="/v2/bot/message/reply")[-1]
    return "\n".join(m.get("text") or m.get("altText", "") for m in reply.messages)


def served_copy(index_db, tmp_path):
    db = tmp_path / "served" / "index.db"
    db.parent.mkdir()
    shutil.copyfile(index_db, db)
    return db


def test_a_file_damaged_in_place_keeps_answering_and_is_degraded(make_app, fake_line, index_db,
                                                                   tmp_path, caplog):
    db = served_copy(index_db, tmp_path)
    client = make_app(PLANBOT_DB=str(db)).test_client()
    assert VISION_SPM13 in ask(client, fake_line, "วิสัยทัศน์ สพม.13")
    healthy = client.get("/healthz").get_json()
    assert healthy["status"] == "ok" and healthy["index"]["sha256"]
    with open(db, "r+b") as f:  # `cp` of a broken file over it: the same inode, new bytes
        f.write(b"not an index at all " * 64)
    with caplog.at_level(logging.INFO):
        answers = [ask(client, fake_line, "วิสัยทัศน์ สพม.13") for _ in range(3)]
        responses = [client.get("/healthz") for _ in range(3)]
    assert all(VISION_SPM13 in a and APOLOGY not in a for a in answers)
    for response in responses:
        assert response.status_code == 200
        data = response.get_json()
        assert data["status"] == "degraded"
        assert data["reason"] == "index file unreadable: file is not a database"
        assert datetime.fromisoformat(data["since"]).tzinfo is not None
        assert data["index"]["owners"] == healthy["index"]["owners"]
        assert data["index"]["sha256"] is None  # the file on disk is not what is served
        assert str(db.parent) not in response.text
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]  # once, not per message
    assert str(db) in warnings[0].getMessage() and not warnings[0].exc_info
    # Put a good index back the same way: answered from it, and ok again.
    with open(db, "r+b") as f:
        f.truncate(0)
        f.write(index_db.read_bytes())
    assert VISION_SPM13 in ask(client, fake_line, "วิสัยทัศน์ สพม.13")
    again = client.get("/healthz").get_json()
    assert again["status"] == "ok" and again["index"] == healthy["index"]
    assert "reason" not in again


def test_a_deleted_index_keeps_answering_and_is_degraded(make_app, fake_line, index_db,
                                                         tmp_path):
    db = served_copy(index_db, tmp_path)
    client = make_app(PLANBOT_DB=str(db)).test_client()
    assert client.get("/healthz").get_json()["status"] == "ok"
    db.unlink()
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.get_json()
    assert (data["status"], data["reason"]) == ("degraded", "index file missing")
    assert data["index"]["owners"] >= 1
    assert VISION_SPM13 in ask(client, fake_line, "วิสัยทัศน์ สพม.13")
    assert not db.exists()


def test_no_index_ever_is_503_with_the_reason(make_app, fake_line, tmp_path, caplog):
    client = make_app(PLANBOT_DB=str(tmp_path / "none.db")).test_client()
    with caplog.at_level(logging.INFO):
        response = client.get("/healthz")
        assert ask(client, fake_line, "วิสัยทัศน์") == APOLOGY
        assert ask(client, fake_line, "พันธกิจ") == APOLOGY
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
    assert response.get_json()["reason"] == "index file missing"
    assert not (tmp_path / "none.db").exists()
    assert not any(r.exc_info for r in caplog.records)  # no traceback per message


def test_a_damaged_index_at_start_is_503_unreadable(make_app, tmp_path):
    db = tmp_path / "index.db"
    db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    response = make_app(PLANBOT_DB=str(db)).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["reason"].startswith("index file unreadable: ")


def test_a_shipped_index_shows_on_healthz_at_once(make_app, fake_line, index_db, tmp_path,
                                                  monkeypatch):
    """Answers look at the file once per CHECK_EVERY; /healthz looks now, so an operator who
    ships a new index sees its checksum and its counts together, never the old index's counts
    beside the new file's checksum."""
    monkeypatch.setattr("bot.reload.CHECK_EVERY", 3600)
    db = served_copy(index_db, tmp_path)
    client = make_app(PLANBOT_DB=str(db)).test_client()
    assert VISION_SPM13 in ask(client, fake_line, "วิสัยทัศน์ สพม.13")
    before = client.get("/healthz").get_json()["index"]
    corpus = tmp_path / "one-plan"
    corpus.mkdir()
    shutil.copyfile(CORPUS / "spm-13.txt", corpus / "spm-13.txt")
    shipped = tmp_path / "shipped.db"
    build(corpus, shipped)
    os.replace(shipped, db)  # shipped with an atomic rename
    after = client.get("/healthz").get_json()
    assert after["status"] == "ok"
    assert after["index"]["sha256"] == file_checksum(db)["sha256"] != before["sha256"]
    assert after["index"]["owners"] == 1 < before["owners"]
