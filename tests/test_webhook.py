"""The webhook, end to end: signed requests in, the JSON the SDK sent read back at a fake LINE.

The engine is `FakeEngine` here (so a handler can be made to raise); tests with the real
engine and a real index are in test_webhook_engine.py.
"""

from __future__ import annotations

import functools
import json
import logging
import sqlite3
import threading
import time

import pytest

from bot import create_app
from bot.config import DEFAULTS
from bot.reply import QuickReply
from tests.conftest import SHARED
from tests.webhook_support import (
    BOT_USER_ID,
    GROUP_ID,
    OTHER_USER_ID,
    SECRET,
    TOKEN,
    USER_ID,
    FakeEngine,
    done_entry,
    event,
    mention_of,
    message_event,
    payload,
    post,
    postback_event,
    runtime_of,
    sign,
    source,
    text_event,
)

SAMPLES = SHARED / "line-samples"


pytestmark = pytest.mark.usefixtures("clean_environment")


@pytest.fixture
def engine():
    return FakeEngine()


@pytest.fixture
def make_app(make_app, engine):
    """conftest's apps, answering with this module's FakeEngine unless a test passes ENGINE."""
    return functools.partial(make_app, ENGINE=engine)


@pytest.fixture
def app(make_app):
    return make_app()


def replies(fake_line, count: int = 1):
    """The reply requests LINE received (waiting until `count` have been answered)."""
    return fake_line.wait_for(count, path="/v2/bot/message/reply")


# -- signature, body, JSON -------------------------------------------------------------------


def test_signed_text_message_gets_a_reply(client, fake_line, engine):
    body = payload(text_event("วิสัยทัศน์คืออะไร"))
    response = post(client, body)
    assert response.status_code == 200
    [sent] = replies(fake_line)
    assert sent.status == 200
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert sent.messages[0]["text"] == "คำตอบ (answer): วิสัยทัศน์คืออะไร"
    assert engine.questions() == ["วิสัยทัศน์คืออะไร"]


@pytest.mark.parametrize(
    "signature",
    [
        None,  # header missing
        "",
        "not-base64!",
        sign(b"some other body"),
        sign(payload(text_event("x")), secret="another-secret"),
    ],
    ids=["missing", "empty", "garbage", "other-body", "other-secret"],
)
def test_bad_signature_gets_400_and_nothing_is_processed(client, fake_line, engine, signature):
    body = payload(text_event("วิสัยทัศน์คืออะไร"))
    if signature is None:
        response = post(client, body, secret=None)
    else:
        response = post(client, body, signature=signature)
    assert response.status_code == 400
    assert engine.calls == []
    assert fake_line.requests == []


def test_body_changed_after_signing_gets_400(client, fake_line, engine):
    body = payload(text_event("วิสัยทัศน์"))
    signature = sign(body)
    response = post(client, body.replace("วิสัยทัศน์".encode(), "พันธกิจ".encode()), signature=signature)
    assert response.status_code == 400
    assert engine.calls == [] and fake_line.requests == []


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"[]", b'{"events": {}}', b'{"destination": "x"}', b"\xff\xfe{}", b"[" * 100000],
    ids=["broken", "empty", "list", "events-not-list", "no-events", "not-utf8", "deep-nesting"],
)
def test_malformed_signed_body_gets_400(client, fake_line, engine, body):
    response = post(client, body)
    assert response.status_code == 400
    assert engine.calls == [] and fake_line.requests == []
    assert b"{not" not in response.data  # error pages never echo the request


def test_body_over_the_limit_gets_413(make_app, fake_line, engine):
    client = make_app().test_client()  # default PLANBOT_MAX_BODY: 1 MiB
    text = "ก" * (1024 * 1024 // 3 + 10)  # Thai is 3 bytes in UTF-8: just over 1 MiB
    body = payload(text_event(text))
    assert len(body) > 1024 * 1024
    response = post(client, body)
    assert response.status_code == 413
    assert engine.calls == [] and fake_line.requests == []


def test_body_limit_is_configurable(make_app, fake_line, engine):
    client = make_app(PLANBOT_MAX_BODY=2000).test_client()
    small = payload(text_event("สั้น"))
    assert post(client, small).status_code == 200
    large = payload(text_event("ย" * 1000))
    assert len(large) > 2000
    assert post(client, large).status_code == 413
    assert engine.questions() == ["สั้น"]


def test_verify_request_with_no_events_gets_200(client, fake_line):
    body = json.dumps({"destination": BOT_USER_ID, "events": []}).encode()
    response = post(client, body)
    assert response.status_code == 200
    assert fake_line.requests == []


def test_get_on_callback_is_405_not_500(client):
    assert client.get("/callback").status_code == 405


# -- redelivery ------------------------------------------------------------------------------


def test_redelivered_event_is_answered_once(client, fake_line, engine):
    first = text_event("วิสัยทัศน์คืออะไร")
    again = dict(first, deliveryContext={"isRedelivery": True})
    assert post(client, payload(first)).status_code == 200
    assert post(client, payload(again)).status_code == 200
    assert post(client, payload(first, first)).status_code == 200
    assert len(replies(fake_line)) == 1
    assert len(fake_line.replies()) == 1
    assert engine.questions() == ["วิสัยทัศน์คืออะไร"]


def test_redelivery_to_another_worker_is_answered_once(make_app, fake_line, engine):
    """Two apps over one state DB stand in for two gunicorn workers."""
    first_worker, second_worker = make_app().test_client(), make_app().test_client()
    sent = text_event("พันธกิจ")
    assert post(first_worker, payload(sent)).status_code == 200
    assert post(second_worker, payload(dict(sent, deliveryContext={"isRedelivery": True}))).status_code == 200
    assert len(fake_line.replies()) == 1


# -- groups and rooms ------------------------------------------------------------------------


def test_group_message_without_mention_gets_no_reply(client, fake_line, engine):
    response = post(client, payload(text_event("วันนี้ประชุมกี่โมง", source("group"))))
    assert response.status_code == 200
    assert fake_line.requests == [] and engine.calls == []


def test_group_message_mentioning_the_bot_gets_a_reply_without_the_mention(
    client, fake_line, engine
):
    text = "@planbot แล้วพันธกิจล่ะ"
    sent = text_event(text, source("group"), mention=mention_of(text, "planbot"))
    assert post(client, payload(sent)).status_code == 200
    [reply] = replies(fake_line)
    assert reply.messages[0]["text"] == "คำตอบ (answer): แล้วพันธกิจล่ะ"
    assert engine.questions() == ["แล้วพันธกิจล่ะ"]


def test_mention_in_the_middle_is_cut_out(client, fake_line, engine):
    text = "ขอถามหน่อย @planbot วิสัยทัศน์คืออะไร"
    sent = text_event(text, source("room"), mention=mention_of(text, "planbot"))
    post(client, payload(sent))
    replies(fake_line)
    assert engine.questions() == ["ขอถามหน่อย วิสัยทัศน์คืออะไร"]


def test_mention_by_bot_user_id_without_is_self_counts(client, fake_line, engine):
    text = "@planbot เป้าประสงค์"
    mention = mention_of(text, "planbot", user_id=BOT_USER_ID, is_self=False)
    post(client, payload(text_event(text, source("group"), mention=mention)))
    replies(fake_line)
    assert engine.questions() == ["เป้าประสงค์"]


def test_mention_of_someone_else_gets_no_reply(client, fake_line, engine):
    text = "@somchai ส่งงานยัง"
    mention = mention_of(text, "somchai", user_id=OTHER_USER_ID, is_self=False)
    post(client, payload(text_event(text, source("group"), mention=mention)))
    assert fake_line.requests == [] and engine.calls == []


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("บอท วิสัยทัศน์คืออะไร", "วิสัยทัศน์คืออะไร"),
        ("บอท, พันธกิจ", "พันธกิจ"),
        ("@บอท กลยุทธ์", "กลยุทธ์"),
    ],
)
def test_group_message_addressed_by_name_gets_a_reply(client, fake_line, engine, text, question):
    post(client, payload(text_event(text, source("group"))))
    replies(fake_line)
    assert engine.questions() == [question]


def test_group_quick_replies_address_the_bot(client, fake_line, engine):
    """A tap in a group sends the bot's name first, so the bot hears it."""
    text = "@planbot วิสัยทัศน์"
    post(client, payload(text_event(text, source("group"), mention=mention_of(text, "planbot"))))
    [reply] = replies(fake_line)
    items = reply.messages[-1]["quickReply"]["items"]
    assert items[0]["action"]["text"] == "บอท พันธกิจ"
    assert items[0]["action"]["label"] == "พันธกิจ"


def test_bot_name_is_configurable(make_app, fake_line, engine):
    client = make_app(PLANBOT_BOT_NAME="น้องแผน").test_client()
    post(client, payload(text_event("บอท วิสัยทัศน์", source("group"))))
    post(client, payload(text_event("น้องแผน วิสัยทัศน์", source("group"))))
    replies(fake_line)
    assert engine.questions() == ["วิสัยทัศน์"]
    assert len(fake_line.replies()) == 1


# -- handlers that fail, LINE that fails -----------------------------------------------------


def test_handler_that_raises_still_returns_200_and_apologises(client, fake_line, engine, caplog):
    engine.error = RuntimeError("engine exploded")
    with caplog.at_level(logging.ERROR, logger="bot"):
        response = post(client, payload(text_event("วิสัยทัศน์")))
    assert response.status_code == 200
    [reply] = replies(fake_line)
    assert "ขออภัย" in reply.messages[0]["text"]
    failures = [r for r in caplog.records if r.exc_info]
    assert failures and "engine exploded" in str(failures[0].exc_info[1])


def test_handler_that_raises_in_a_group_chat_line_stays_silent(client, fake_line, engine):
    engine.error = RuntimeError("boom")
    assert post(client, payload(text_event("คุยกันเอง", source("group")))).status_code == 200
    assert fake_line.requests == []


def test_invalid_reply_token_is_logged_with_request_id_and_dropped(client, fake_line, caplog):
    fake_line.fail_next("invalid_reply_token")
    with caplog.at_level(logging.INFO, logger="bot"):
        response = post(client, payload(text_event("วิสัยทัศน์")))
    assert response.status_code == 200
    [reply] = replies(fake_line)
    assert reply.status == 400
    assert fake_line.pushes() == []
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("status=400" in m and "request_id=" in m and "Invalid reply token" in m for m in errors)
    request_ids = [m.split("request_id=")[1].split()[0] for m in errors if "request_id=" in m]
    assert request_ids[0] not in ("None", "")


@pytest.mark.parametrize("failure", ["429", "500"])
def test_failed_reply_of_an_answer_is_retried_not_pushed(client, fake_line, failure):
    """LINE's guidance: a 429 or 5xx is retried (a reply token may be used until accepted);
    no push, which would cost quota, while the reply can still go through."""
    fake_line.fail_next(failure)
    assert post(client, payload(text_event("วิสัยทัศน์"))).status_code == 200
    first, second = fake_line.wait_for(2, path="/v2/bot/message/reply", timeout=5)
    assert (first.status, second.status) == (int(failure), 200)
    assert first.reply_token == second.reply_token
    assert second.messages[0]["text"] == "คำตอบ (answer): วิสัยทัศน์"
    assert fake_line.pushes() == []


@pytest.mark.parametrize("failure", ["429", "500"])
def test_failed_reply_of_an_answer_falls_back_to_one_push(make_app, fake_line, failure):
    """With PLANBOT_PUSH_FALLBACK on, a reply that keeps failing for its token's life is
    pushed, retried with one X-Line-Retry-Key."""
    client = make_app(PLANBOT_PUSH_FALLBACK=True, PLANBOT_REPLY_DEADLINE=1).test_client()
    fake_line.fail_next(failure, times=100, path="/v2/bot/message/reply")
    fake_line.fail_next(failure, path="/v2/bot/message/push")
    assert post(client, payload(text_event("วิสัยทัศน์"))).status_code == 200
    first, push = fake_line.wait_for(2, path="/v2/bot/message/push", timeout=5)
    assert (first.status, push.status) == (int(failure), 200)
    assert push.json["to"] == USER_ID
    assert push.headers.get("x-line-retry-key")
    assert push.headers["x-line-retry-key"] == first.headers["x-line-retry-key"]
    assert push.messages[0]["text"] == "คำตอบ (answer): วิสัยทัศน์"


def test_failed_reply_of_a_greeting_is_not_pushed(make_app, fake_line):
    client = make_app(PLANBOT_PUSH_FALLBACK=True, PLANBOT_REPLY_DEADLINE=1).test_client()
    fake_line.fail_next("500", times=100)
    assert post(client, payload(event("follow", follow={"isUnblocked": True}))).status_code == 200
    replies(fake_line)
    assert fake_line.pushes() == []


def test_slow_line_api_does_not_hold_the_webhook(make_app, fake_line):
    client = make_app(PLANBOT_REPLY_WAIT=1.5).test_client()
    fake_line.fail_next("slow", delay=3.0)
    started = time.monotonic()
    response = post(client, payload(text_event("วิสัยทัศน์")))
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed < 2.0
    # ...and the reply still arrives afterwards, from the background.
    assert replies(fake_line)[0].status == 200


# -- event types ------------------------------------------------------------------------------


@pytest.mark.parametrize("event_type", ["follow", "join"])
def test_follow_and_join_get_the_welcome(client, fake_line, engine, event_type):
    src = source("user") if event_type == "follow" else source("group", user_id=None)
    extra = {"follow": {"isUnblocked": False}} if event_type == "follow" else {}
    post(client, payload(event(event_type, src, **extra)))
    replies(fake_line)
    assert [method for method, _, _ in engine.calls] == ["welcome"]


def test_postback_goes_to_the_engine(client, fake_line, engine):
    post(client, payload(postback_event("owner=spm-13&section=vision")))
    [reply] = replies(fake_line)
    assert engine.calls[0][:2] == ("postback", "owner=spm-13&section=vision")
    assert reply.messages[0]["text"].endswith("owner=spm-13&section=vision")


@pytest.mark.parametrize(
    "content",
    [
        {"type": "sticker", "packageId": "1", "stickerId": "1", "stickerResourceType": "STATIC",
         "quoteToken": "q"},
        {"type": "image", "contentProvider": {"type": "line"}, "quoteToken": "q"},
        {"type": "video", "duration": 1000, "contentProvider": {"type": "line"}, "quoteToken": "q"},
        {"type": "audio", "duration": 1000, "contentProvider": {"type": "line"}},
        {"type": "file", "fileName": "plan.pdf", "fileSize": 10},
        {"type": "location", "title": "สพม.13", "address": "x", "latitude": 13.7, "longitude": 100.5},
    ],
    ids=lambda c: c["type"],
)
def test_non_text_messages_get_a_hint(client, fake_line, engine, content):
    post(client, payload(message_event(content)))
    [reply] = replies(fake_line)
    assert "ข้อความ" in reply.messages[0]["text"]
    assert engine.calls == []


def test_sticker_in_a_group_gets_no_hint(client, fake_line):
    content = {"type": "sticker", "packageId": "1", "stickerId": "1",
               "stickerResourceType": "STATIC", "quoteToken": "q"}
    post(client, payload(message_event(content, source("group"))))
    assert fake_line.requests == []


@pytest.mark.parametrize(
    "extra",
    [
        {"type": "unfollow"},
        {"type": "leave", "source": {"type": "group", "groupId": GROUP_ID}},
        {"type": "unsend", "unsend": {"messageId": "1"}},
        {"type": "memberJoined", "joined": {"members": [{"type": "user", "userId": OTHER_USER_ID}]}},
        {"type": "memberLeft", "left": {"members": [{"type": "user", "userId": OTHER_USER_ID}]}},
        {"type": "somethingNew", "somethingNew": {"x": 1}},
        {"type": "message", "message": {"id": "1", "type": "text", "text": "no quoteToken"}},
        {"type": 42},
        {"source": "not an object"},
    ],
    ids=["unfollow", "leave", "unsend", "memberJoined", "memberLeft", "unknown",
         "unreadable-message", "numeric-type", "odd-source"],
)
def test_events_that_need_no_reply_get_none_and_no_error(client, fake_line, engine, extra, caplog):
    raw = event("follow")
    raw.update(extra)
    with caplog.at_level(logging.INFO, logger="bot"):
        assert post(client, payload(raw)).status_code == 200
    assert fake_line.requests == [] and engine.calls == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_event_list_with_junk_entries_still_answers_the_good_one(client, fake_line, engine):
    body = json.dumps(
        {"destination": BOT_USER_ID, "events": [None, 1, "x", [], text_event("พันธกิจ")]}
    ).encode()
    assert post(client, body).status_code == 200
    replies(fake_line)
    assert engine.questions() == ["พันธกิจ"]


def test_standby_mode_events_get_no_reply(client, fake_line, engine):
    post(client, payload(text_event("วิสัยทัศน์", mode="standby")))
    assert fake_line.requests == []


# -- state ------------------------------------------------------------------------------------


def test_state_is_loaded_before_and_saved_after_each_answer(client, fake_line, engine):
    post(client, payload(text_event("เลือกเขต")))
    post(client, payload(text_event("สพม.13")))
    post(client, payload(text_event("วิสัยทัศน์", source("user", OTHER_USER_ID))))
    replies(fake_line, 3)
    states = [state for _, _, state in engine.calls]
    assert states[0].items == []
    assert states[1].items == ["เลือกเขต"]
    assert states[1].owner == "owner-1"
    assert states[2].items == []  # another user, another conversation


def test_group_shares_one_state(client, fake_line, engine):
    first = "@planbot เลือกเขต"
    second = "@planbot วิสัยทัศน์"
    post(client, payload(text_event(first, source("group", USER_ID), mention=mention_of(first, "planbot"))))
    post(client, payload(text_event(second, source("group", OTHER_USER_ID), mention=mention_of(second, "planbot"))))
    replies(fake_line, 2)
    assert engine.calls[1][2].items == ["เลือกเขต"]


def test_state_db_never_holds_raw_line_ids_or_text(client, fake_line, tmp_path):
    post(client, payload(text_event("วิสัยทัศน์")))
    text = "@planbot พันธกิจ"
    post(client, payload(text_event(text, source("group"), mention=mention_of(text, "planbot"))))
    replies(fake_line, 2)
    with sqlite3.connect(tmp_path / "state.db") as db:
        db.execute("PRAGMA wal_checkpoint(FULL)")
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("state.db*"))
    assert len(raw) > 0
    for secret in (USER_ID, GROUP_ID, SECRET, TOKEN):
        assert secret.encode() not in raw


def test_unusable_state_db_does_not_stop_answers(make_app, fake_line, engine, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    client = make_app(PLANBOT_STATE_DB=str(tmp_path / "state.db")).test_client()
    # Break the state DB's folder after start-up: every state call now fails.
    client.application.extensions["planbot"].store.path = blocker / "state.db"
    assert post(client, payload(text_event("วิสัยทัศน์"))).status_code == 200
    assert replies(fake_line)[0].status == 200


# -- limits on what LINE receives -------------------------------------------------------------


def test_sdk_json_at_the_fake_stays_within_line_limits(make_app, fake_line):
    long_answer = "\n".join(f"{i}. " + "การพัฒนาคุณภาพการศึกษา" * 40 for i in range(1, 60))
    suggestions = [QuickReply(f"หัวข้อที่ยาวมากเกินยี่สิบตัวอักษร {i}", f"ถาม {i}") for i in range(20)]
    engine = FakeEngine(quick_replies=suggestions, text=long_answer)
    client = make_app(ENGINE=engine).test_client()
    assert post(client, payload(text_event("ขอทั้งหมด"))).status_code == 200
    [reply] = replies(fake_line)
    assert reply.status == 200, reply.response  # the fake applies LINE's own validation too
    messages = reply.json["messages"]
    assert 1 <= len(messages) <= 5
    for message in messages:
        assert message["type"] == "text"
        assert len(message["text"].encode("utf-16-le")) // 2 <= 5000
    items = messages[-1]["quickReply"]["items"]
    assert len(items) <= 13
    assert all(len(item["action"]["label"]) <= 20 for item in items)
    assert all("quickReply" not in m for m in messages[:-1])


def test_rate_limit_sends_one_notice_then_silence(make_app, fake_line, engine):
    client = make_app(PLANBOT_RATE_LIMIT=2).test_client()
    for question in ["หนึ่ง", "สอง", "สาม", "สี่"]:
        post(client, payload(text_event(question)))
    sent = replies(fake_line, 3)
    assert engine.questions() == ["หนึ่ง", "สอง"]
    assert "ถี่เกินไป" in sent[2].messages[0]["text"]
    assert len(fake_line.replies()) == 3


def test_a_one_to_one_message_is_counted_by_its_journal_add(make_app, fake_line, engine):
    """In a one-to-one chat every message and postback counts, so the journal add counts it
    (no rate write of its own): the limit, one notice and silence hold as before, across
    text, a postback and a sticker. In a group only what addresses the bot counts, when
    it is handled (`hit_rate`)."""
    app = make_app(PLANBOT_RATE_LIMIT=2)
    store = runtime_of(app).store
    counted_apart = []
    hit_rate = store.hit_rate
    store.hit_rate = lambda *args, **kwargs: counted_apart.append(args) or hit_rate(*args, **kwargs)
    client = app.test_client()
    sticker = {"type": "sticker", "packageId": "1", "stickerId": "2",
               "stickerResourceType": "STATIC", "quoteToken": "q"}
    sent = [text_event("หนึ่ง"), postback_event("สอง"), message_event(sticker), text_event("สี่")]
    for item in sent:
        post(client, payload(item))
    replied = replies(fake_line, 3)
    assert [c[1] for c in engine.calls] == ["หนึ่ง", "สอง"]
    assert "ถี่เกินไป" in replied[2].messages[0]["text"]
    assert [done_entry(app, e["webhookEventId"]).rate_count for e in sent] == [1, 2, 3, 4]
    assert counted_apart == []
    group = source("group", OTHER_USER_ID)
    post(client, payload(text_event("คุยกันเองในกลุ่ม", group)))  # not addressed: not counted
    text = "@planbot วิสัยทัศน์"
    post(client, payload(text_event(text, group, mention=mention_of(text, "planbot"))))
    replies(fake_line, 4)
    assert len(counted_apart) == 1 and engine.questions()[-1] == "วิสัยทัศน์"


def test_a_one_to_one_turn_reads_its_chats_state_along_with_its_rate_count(make_app, fake_line,
                                                                            engine):
    """The turn reads its chat's saved state with its rate count (one statement on SQLite;
    the journal add itself on Redis), and its update takes that as its first read: no read
    of its own, and the next message still goes on from the one before."""
    app = make_app()
    store = runtime_of(app).store
    store._read_conversation = lambda key: pytest.fail("the state was read apart")
    client = app.test_client()
    for n, question in enumerate(["ก1", "ก2", "ก3"]):
        post(client, payload(text_event(question)))
        replies(fake_line, n + 1)
    assert [call[2].items for call in engine.calls] == [[], ["ก1"], ["ก1", "ก2"]]


# -- local mode, health, logs ------------------------------------------------------------------


def test_local_mode_starts_without_credentials_and_logs_replies(tmp_path, engine, caplog):
    with caplog.at_level(logging.INFO, logger="bot"):
        app = create_app({"PLANBOT_STATE_DB": str(tmp_path / "s.db"), "ENGINE": engine})
        body = payload(text_event("วิสัยทัศน์"))
        response = post(app.test_client(), body, secret=DEFAULTS["PLANBOT_DEV_SECRET"])
        app.extensions["planbot"].close()  # the answer is logged from the journal's thread
    assert response.status_code == 200
    messages = [r.getMessage() for r in caplog.records]
    assert any("LOCAL MODE" in m and DEFAULTS["PLANBOT_DEV_SECRET"] in m for m in messages)
    assert any("not sent" in m and "คำตอบ (answer)" in m for m in messages)


def test_healthz_reports_the_index_and_nothing_secret(client, engine):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] == "ok"
    assert data["index"] == {"built_at": "2026-11-29T00:00:00Z", "owners": 2, "passages": 10}
    assert SECRET not in response.text and TOKEN not in response.text


def test_metrics_count_every_outcome(client, fake_line):
    post(client, payload(text_event("วิสัยทัศน์")))
    fake_line.fail_next("invalid_reply_token")
    post(client, payload(text_event("พันธกิจ")))
    post(client, payload(text_event("วันนี้ประชุมกี่โมง", source("group"))))  # not addressed
    sent = text_event("เป้าประสงค์")
    post(client, payload(sent))
    post(client, payload(dict(sent, deliveryContext={"isRedelivery": True})))
    events = client.get("/metrics").get_json()["events"]
    assert events["events"] == 4
    assert events["sent"] == 2 and events["refused"] == 1 and events["no_reply"] == 1
    assert events["redeliveries_ignored"] == 1


def test_healthz_without_an_index_is_503_not_500(make_app):
    client = make_app(ENGINE=None).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_info_logs_carry_no_ids_text_tokens_or_secrets(make_app, fake_line, caplog):
    """At DEBUG too: a reply LINE accepted is logged `replied` at DEBUG (no INFO line per
    event), and even DEBUG carries only kinds, counts and lengths."""
    client = make_app(PLANBOT_LOG_LEVEL="DEBUG").test_client()
    text = "@planbot ความลับของครูสมศรี"
    with caplog.at_level(logging.DEBUG):
        post(client, payload(text_event("คำถามส่วนตัวของครู")))
        post(client, payload(text_event(text, source("group"), mention=mention_of(text, "planbot"))))
        fake_line.fail_next("invalid_reply_token")
        post(client, payload(text_event("อีกคำถาม")))
        replies(fake_line, 3)
    client.application.extensions["planbot"].close()
    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.DEBUG)
    assert "replied" in logged
    for private in (USER_ID, GROUP_ID, SECRET, TOKEN, "คำถามส่วนตัว", "ความลับ", "อีกคำถาม"):
        assert private not in logged


# -- LINE's own sample payloads ---------------------------------------------------------------


def _sample_files():
    return sorted(SAMPLES.rglob("*.json"))


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared LINE samples not present")
@pytest.mark.parametrize("path", _sample_files(), ids=lambda p: str(p.relative_to(SAMPLES)))
def test_every_line_sample_goes_through_the_webhook(make_app, fake_line, path):
    client = make_app(PLANBOT_RATE_LIMIT=1000).test_client()
    body = path.read_bytes()
    data = json.loads(body)
    tokens = {e.get("replyToken") for e in data["events"] if e.get("replyToken")}
    response = post(client, body)
    assert response.status_code == 200
    # One at a time too, so a bad neighbour can't hide a good event's failure.
    for raw in data["events"]:
        single = json.dumps({"destination": data.get("destination"), "events": [raw]}).encode()
        assert post(client, single).status_code < 500
    for reply in fake_line.replies():
        assert reply.reply_token in tokens


# -- LINE's 2 seconds, whatever happens inside --------------------------------------------------


class BlockedEngine(FakeEngine):
    """An engine that does not answer until the test releases it."""

    def __init__(self):
        super().__init__()
        self.release = threading.Event()

    def answer(self, question, state=None):
        assert self.release.wait(timeout=30)
        return super().answer(question, state)


def test_slow_engine_does_not_hold_the_webhook(make_app, fake_line):
    engine = BlockedEngine()
    client = make_app(ENGINE=engine, PLANBOT_REPLY_WAIT=1.5).test_client()
    started = time.monotonic()
    response = post(client, payload(text_event("วิสัยทัศน์")))
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed < 2.0
    assert fake_line.replies() == []  # the engine is still thinking
    engine.release.set()
    assert replies(fake_line)[0].messages[0]["text"] == "คำตอบ (answer): วิสัยทัศน์"


def test_thousands_of_events_in_one_body_answer_within_two_seconds(make_app, fake_line, engine):
    app = make_app(PLANBOT_REPLY_WAIT=1.5)
    events = [text_event(f"คุยกัน {i}", source("group")) for i in range(2000)]
    events.append(text_event("วิสัยทัศน์"))
    started = time.monotonic()
    response = post(app.test_client(), payload(*events))
    assert response.status_code == 200
    assert time.monotonic() - started < 2.0
    app.extensions["planbot"].close()  # let the background finish
    assert engine.questions() == ["วิสัยทัศน์"]
    assert len(fake_line.replies()) == 1


def test_state_db_corrupted_while_running_is_recreated_and_answers_continue(
    make_app, fake_line, engine, tmp_path, caplog, monkeypatch
):
    monkeypatch.setattr("bot.state.sqlite.STAT_EVERY", 0.05)  # the file is looked at so often
    client = make_app().test_client()
    post(client, payload(text_event("เลือกเขต")))
    replies(fake_line)
    for path in tmp_path.glob("state.db*"):
        path.unlink()
    (tmp_path / "state.db").write_bytes(b"garbage, not SQLite" * 500)
    time.sleep(0.1)  # past STAT_EVERY: the loss is noticed
    with caplog.at_level(logging.WARNING, logger="bot"):
        assert post(client, payload(text_event("วิสัยทัศน์"))).status_code == 200
    assert replies(fake_line, 2)[1].status == 200
    assert any("unusable" in r.getMessage() for r in caplog.records)
    assert engine.calls[1][2].items == []  # the conversation was forgotten, not the bot
    post(client, payload(text_event("พันธกิจ")))
    replies(fake_line, 3)
    assert engine.calls[2][2].items == ["วิสัยทัศน์"]  # and the new DB remembers again


@pytest.mark.parametrize(
    ("text", "index", "length", "question"),
    [
        ("@planbot วิสัยทัศน์", 0, 8, "วิสัยทัศน์"),
        ("😀 @planbot พันธกิจ", 3, 8, "😀 พันธกิจ"),  # UTF-16 offsets, as LINE counts
        ("😀 @planbot พันธกิจ", 2, 8, "😀 พันธกิจ"),  # code-point offsets also understood
        ("@planbot", 0, 8, ""),
        ("ถาม @planbot", 4, 500, "ถาม"),  # a length past the end is clipped
    ],
)
def test_mention_spans_are_cut_out(text, index, length, question):
    from bot.mentions import _cut_spans

    assert _cut_spans(text, [(index, length)]).strip() == question


def test_bare_mention_gets_the_welcome(client, fake_line, engine):
    text = "@planbot"
    post(client, payload(text_event(text, source("group"), mention=mention_of(text, "planbot"))))
    replies(fake_line)
    assert [method for method, _, _ in engine.calls] == ["welcome"]
