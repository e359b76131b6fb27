"""Issue 7's limits and LINE faults, each shown through the webhook and the fake LINE platform.

Limits are set the way an admin sets them, through environment variables, and the real
answer engine is used where the limit is the engine's (the question length). Faults use the
fake platform's failure modes; the slow one is timed over real HTTP, as LINE would time it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request

import pytest
from werkzeug.serving import make_server

from bot import create_app
from linekit.fake import LOCAL_OPENER, PUSH_PATH, REPLY_PATH
from tests.webhook_support import (
    GROUP_ID,
    OTHER_USER_ID,
    SECRET,
    TOKEN,
    USER_ID,
    FakeEngine,
    event,
    message_event,
    payload,
    post,
    sign,
    source,
    text_event,
)

VISION_SPM13 = "เป็นผู้นำในการพัฒนาคุณภาพการศึกษาสู่ความเป็นเลิศ"
MISSION_SPM13 = "ส่งเสริม สนับสนุนให้โรงเรียนจัดการศึกษาอย่างมีคุณภาพ"
RATE_NOTICE_WORD = "ถี่เกินไป"
STICKER = {"type": "sticker", "packageId": "1", "stickerId": "1",
           "stickerResourceType": "STATIC", "quoteToken": "q"}


pytestmark = pytest.mark.usefixtures("clean_environment")


@pytest.fixture
def make_app(tmp_path, fake_line, monkeypatch):
    """An app configured from the environment (plus `env`), like gunicorn starts it."""
    apps = []

    def make(engine=None, **env):
        settings = {
            "LINE_CHANNEL_SECRET": SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
            "LINE_API_HOST": fake_line.url,
            "PLANBOT_STATE_DB": str(tmp_path / "state.db"),
            "PLANBOT_DB": str(tmp_path / "no-index.db"),
            "PLANBOT_REPLY_WAIT": "10",  # answers are sent before the test looks (conftest's way)
            **{key: str(value) for key, value in env.items()},
        }
        for key, value in settings.items():
            monkeypatch.setenv(key, value)
        config = {"TESTING": True}
        if engine is not None:
            config["ENGINE"] = engine
        apps.append(create_app(config))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["planbot"].close()


def shown(request) -> str:
    """Every text a reply showed (text messages and Flex alike)."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key != "quickReply":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(request.messages)
    return "\n".join(out)


def ask(client, fake_line, text: str, src: dict | None = None):
    """Send one question and return the reply LINE received for it."""
    before = len(fake_line.replies())
    assert post(client, payload(text_event(text, src))).status_code == 200
    return fake_line.wait_for(before + 1, path=REPLY_PATH, timeout=10)[-1]


# -- the question length: PLANBOT_MAX_QUESTION_CHARS reaches the engine --------------------------


def test_only_the_first_n_characters_are_read_and_the_reply_says_so(make_app, fake_line, index_db):
    client = make_app(PLANBOT_DB=index_db, PLANBOT_MAX_QUESTION_CHARS=40).test_client()
    head = "วิสัยทัศน์ สพม.13"
    question = head + " " * (40 - len(head)) + " พันธกิจ"  # "พันธกิจ" starts after character 40
    reply = shown(ask(client, fake_line, question))
    assert VISION_SPM13 in reply and MISSION_SPM13 not in reply
    assert "อ่านเฉพาะ 40 ตัวอักษรแรก" in reply

    short = shown(ask(client, fake_line, "พันธกิจ สพม.13"))
    assert MISSION_SPM13 in short and "อ่านเฉพาะ" not in short


def test_question_limit_defaults_to_500(make_app, fake_line, index_db):
    client = make_app(PLANBOT_DB=index_db).test_client()
    reply = shown(ask(client, fake_line, "วิสัยทัศน์ สพม.13 " + "ก" * 600))
    assert "อ่านเฉพาะ 500 ตัวอักษรแรก" in reply
    assert "อ่านเฉพาะ" not in shown(ask(client, fake_line, "วิสัยทัศน์ สพม.13 " + "ก" * 400))


# -- the rate limit: PLANBOT_RATE_LIMIT per PLANBOT_RATE_WINDOW, per sender ---------------------


def test_rate_limit_one_notice_then_silence_until_the_window_passes(make_app, fake_line):
    engine = FakeEngine()
    client = make_app(engine, PLANBOT_RATE_LIMIT=3, PLANBOT_RATE_WINDOW=1.5).test_client()
    started = time.monotonic()
    for n in range(6):
        assert post(client, payload(text_event(f"คำถาม {n}"))).status_code == 200
    assert time.monotonic() - started < 1.2, "the burst must fit in one window"
    sent = fake_line.replies()
    assert engine.questions() == ["คำถาม 0", "คำถาม 1", "คำถาม 2"]
    assert len(sent) == 4  # three answers, one notice, then silence
    assert RATE_NOTICE_WORD in shown(sent[3])
    assert all(RATE_NOTICE_WORD not in shown(r) for r in sent[:3])

    time.sleep(max(0.0, 1.6 - (time.monotonic() - started)))  # the window passes
    assert "คำถามใหม่" in shown(ask(client, fake_line, "คำถามใหม่"))
    assert engine.questions()[-1] == "คำถามใหม่"


def test_rate_limit_defaults_to_20_a_minute(make_app, fake_line):
    engine = FakeEngine()
    client = make_app(engine).test_client()
    for n in range(22):
        post(client, payload(text_event(f"q{n}")))
    assert len(engine.questions()) == 20
    assert len(fake_line.replies()) == 21 and RATE_NOTICE_WORD in shown(fake_line.replies()[-1])


def test_rate_limit_counts_each_sender_not_the_chat(make_app, fake_line):
    engine = FakeEngine()
    client = make_app(engine, PLANBOT_RATE_LIMIT=2, PLANBOT_BOT_NAME="บอท").test_client()
    for n in range(4):
        post(client, payload(text_event(f"บอท ถามรอบ {n}", source("group", USER_ID))))
    assert len(fake_line.replies()) == 3  # two answers and the notice for this sender
    other = ask(client, fake_line, "บอท คนอื่นถาม", source("group", OTHER_USER_ID))
    assert "คนอื่นถาม" in shown(other)
    third = ask(client, fake_line, "คนที่สามถาม", source("user", "U" + "3" * 32))
    assert "คนที่สามถาม" in shown(third)


def test_postbacks_and_stickers_count_against_the_rate_limit(make_app, fake_line):
    engine = FakeEngine()
    client = make_app(engine, PLANBOT_RATE_LIMIT=2).test_client()
    post(client, payload(event("postback", postback={"data": "section=goal"})))
    post(client, payload(message_event(STICKER)))
    post(client, payload(text_event("เกินแล้ว")))
    assert engine.questions() == []
    assert RATE_NOTICE_WORD in shown(fake_line.replies()[-1])


# -- the body size: PLANBOT_MAX_BODY --------------------------------------------------------------


def test_body_limit_from_the_environment_is_exact(make_app, fake_line):
    engine = FakeEngine()
    client = make_app(engine, PLANBOT_MAX_BODY=3000).test_client()
    question = text_event("x")
    pad = 3000 - len(payload(question))
    question["message"]["text"] = "x" + "y" * pad
    at_limit = payload(question)
    assert len(at_limit) == 3000
    assert post(client, at_limit).status_code == 200
    question["message"]["text"] += "y"
    over = payload(question)
    assert post(client, over).status_code == 413
    assert len(engine.questions()) == 1 and len(fake_line.replies()) == 1


# -- over real HTTP, as LINE and gunicorn see it ---------------------------------------------------


@pytest.fixture
def serve():
    """Serve an app on 127.0.0.1 over real HTTP in a thread; yields its base URL."""
    servers = []

    def start(app) -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def http_post(url: str, body, headers: dict) -> tuple[int, bytes, float]:
    """POST over HTTP; (status, body, seconds until the response was read)."""
    request = urllib.request.Request(f"{url}/callback", data=body, method="POST", headers=headers)
    started = time.monotonic()
    try:
        with LOCAL_OPENER.open(request, timeout=30) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - started


def test_chunked_body_over_the_limit_is_refused_over_http(make_app, fake_line, serve):
    engine = FakeEngine()
    url = serve(make_app(engine, PLANBOT_MAX_BODY=2000))
    body = payload(text_event("ย" * 1000))

    def chunks():  # no Content-Length: the limit must hold while reading
        for start in range(0, len(body), 500):
            yield body[start : start + 500]

    headers = {"X-Line-Signature": sign(body), "Content-Type": "application/json",
               "Transfer-Encoding": "chunked"}
    status, _, _ = http_post(url, chunks(), headers)
    assert status == 413
    assert engine.calls == [] and fake_line.requests == []
    small = payload(text_event("สั้น"))
    headers["X-Line-Signature"] = sign(small)
    status, _, _ = http_post(url, iter([small[:100], small[100:]]), headers)
    assert status == 200 and engine.questions() == ["สั้น"]


def test_slow_line_api_never_holds_the_webhook_past_two_seconds(make_app, fake_line, serve):
    engine = FakeEngine()
    url = serve(make_app(engine, PLANBOT_REPLY_WAIT=0))  # the default: LINE hears back at once
    fake_line.fail_next("slow", times=3, delay=4.0)
    timings = []
    for text in ("วิสัยทัศน์", "พันธกิจ", "เป้าประสงค์"):
        body = payload(text_event(text, source("user", f"U{len(timings)}" + "a" * 32)))
        headers = {"X-Line-Signature": sign(body), "Content-Type": "application/json"}
        status, answer, seconds = http_post(url, body, headers)
        assert status == 200 and answer == b"OK"
        timings.append(seconds)
    print(f"\n[slow LINE] webhook response times: {[round(t, 2) for t in timings]} s")
    assert max(timings) < 2.0
    # The answers still reach LINE once it has caught up, from the background.
    sent = fake_line.wait_for(3, path=REPLY_PATH, timeout=15)
    assert sorted(r.json["messages"][0]["text"] for r in sent) == sorted(
        f"คำตอบ (answer): {t}" for t in ("วิสัยทัศน์", "พันธกิจ", "เป้าประสงค์")
    )


# -- faults on reply --------------------------------------------------------------------------------


def _errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def test_invalid_reply_token_is_logged_dropped_and_never_retried(make_app, fake_line, caplog):
    app = make_app(FakeEngine())
    fake_line.fail_next("invalid_reply_token")
    with caplog.at_level(logging.INFO, logger="bot"):
        assert post(app.test_client(), payload(text_event("วิสัยทัศน์"))).status_code == 200
        app.extensions["planbot"].close()  # everything in the background has finished
    [reply] = fake_line.requests
    assert reply.path == REPLY_PATH and reply.status == 400
    assert reply.response["message"] == "Invalid reply token"
    assert any("reply failed" in m and "Invalid reply token" in m for m in _errors(caplog))


@pytest.mark.parametrize("failure", ["429", "500"])
def test_reply_failing_once_is_retried_with_backoff_and_not_pushed(make_app, fake_line, caplog,
                                                                   failure):
    app = make_app(FakeEngine())
    fake_line.fail_next(failure)
    with caplog.at_level(logging.INFO, logger="bot"):
        assert post(app.test_client(), payload(text_event("วิสัยทัศน์"))).status_code == 200
        app.extensions["planbot"].close()
    first, second = fake_line.requests
    assert [(r.path, r.status) for r in (first, second)] == [
        (REPLY_PATH, int(failure)), (REPLY_PATH, 200)
    ]
    assert second.received_at - first.received_at >= 0.25  # a backoff, not a hammering
    assert any(f"status={failure}" in m for m in _errors(caplog))
    assert app.extensions["planbot"].counts.snapshot()["sent"] == 1


def test_reply_failing_past_its_token_is_given_up_and_not_pushed_by_default(
    make_app, fake_line, caplog
):
    app = make_app(FakeEngine(), PLANBOT_REPLY_DEADLINE=4)
    fake_line.fail_next("500", times=100)
    with caplog.at_level(logging.INFO, logger="bot"):
        assert post(app.test_client(), payload(text_event("วิสัยทัศน์"))).status_code == 200
        app.extensions["planbot"].close()
    tries = fake_line.requests
    assert len(tries) >= 3 and {(r.path, r.status) for r in tries} == {(REPLY_PATH, 500)}
    assert tries[-1].received_at - tries[0].received_at < 4
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("given up" in m for m in warnings), warnings
    assert app.extensions["planbot"].counts.snapshot()["gave_up"] == 1


@pytest.mark.parametrize("failure", ["429", "500"])
@pytest.mark.parametrize(
    ("src", "to"), [(source("user"), USER_ID), (source("group"), GROUP_ID)], ids=["user", "group"]
)
def test_failed_reply_of_an_answer_is_logged_and_pushed_exactly_once(
    make_app, fake_line, caplog, failure, src, to
):
    app = make_app(FakeEngine(), PLANBOT_BOT_NAME="บอท", PLANBOT_PUSH_FALLBACK="on",
                   PLANBOT_REPLY_DEADLINE=1)
    fake_line.fail_next(failure, times=100, path=REPLY_PATH)
    with caplog.at_level(logging.INFO, logger="bot"):
        assert post(app.test_client(), payload(text_event("บอท วิสัยทัศน์", src))).status_code == 200
        app.extensions["planbot"].close()
    assert {(r.path, r.status) for r in fake_line.replies()} == {(REPLY_PATH, int(failure))}
    assert [(r.path, r.status) for r in fake_line.pushes()] == [(PUSH_PATH, 200)]
    push = fake_line.pushes()[0]
    assert push.json["to"] == to
    retry_key = push.headers.get("x-line-retry-key")
    assert retry_key and len(retry_key) == 36  # a UUID, as LINE requires
    assert "วิสัยทัศน์" in json.dumps(push.json["messages"], ensure_ascii=False)
    assert any(f"status={failure}" in m for m in _errors(caplog))


@pytest.mark.parametrize("answer", ["500", "429"])
def test_a_push_keeps_its_retry_key_across_retries(make_app, fake_line, answer):
    app = make_app(FakeEngine(), PLANBOT_PUSH_FALLBACK="1", PLANBOT_REPLY_DEADLINE=1)
    fake_line.fail_next("500", times=100, path=REPLY_PATH)
    fake_line.fail_next(answer, path=PUSH_PATH)
    assert post(app.test_client(), payload(text_event("วิสัยทัศน์"))).status_code == 200
    app.extensions["planbot"].close()
    pushes = fake_line.pushes()
    assert [r.status for r in pushes] == [int(answer), 200]
    assert pushes[0].headers["x-line-retry-key"] == pushes[1].headers["x-line-retry-key"]
    assert app.extensions["planbot"].counts.snapshot()["pushed"] == 1


@pytest.mark.parametrize(
    "unimportant",
    [
        event("follow", follow={"isUnblocked": False}),
        message_event(STICKER),
    ],
    ids=["greeting", "sticker-hint"],
)
def test_failed_reply_of_a_greeting_or_hint_is_logged_and_not_pushed(
    make_app, fake_line, caplog, unimportant
):
    app = make_app(FakeEngine(), PLANBOT_PUSH_FALLBACK="1", PLANBOT_REPLY_DEADLINE=1)
    fake_line.fail_next("429", times=100)
    with caplog.at_level(logging.INFO, logger="bot"):
        assert post(app.test_client(), payload(unimportant)).status_code == 200
        app.extensions["planbot"].close()
    assert {(r.path, r.status) for r in fake_line.requests} == {(REPLY_PATH, 429)}
    assert any("status=429" in m for m in _errors(caplog))


def test_each_failed_answer_gets_its_own_retry_key(make_app, fake_line):
    app = make_app(FakeEngine(), PLANBOT_PUSH_FALLBACK="1", PLANBOT_REPLY_DEADLINE=1)
    client = app.test_client()
    fake_line.fail_next("500", times=100, path=REPLY_PATH)  # replies fail, pushes go through
    for text in ("หนึ่ง", "สอง"):
        post(client, payload(text_event(text)))
    app.extensions["planbot"].close()
    keys = [r.headers["x-line-retry-key"] for r in fake_line.pushes()]
    assert len(keys) == 2 and len(set(keys)) == 2


# -- the state database lost or broken while the bot runs ------------------------------------------


@pytest.mark.parametrize("damage", ["deleted", "corrupted"])
def test_state_db_lost_while_running_is_recreated_with_a_warning_and_answers_go_on(
    make_app, fake_line, tmp_path, caplog, damage, monkeypatch
):
    monkeypatch.setattr("bot.state.sqlite.STAT_EVERY", 0.05)  # noticed within 50 ms
    engine = FakeEngine()
    client = make_app(engine).test_client()
    ask(client, fake_line, "เลือกเขต")
    for path in tmp_path.glob("state.db*"):
        path.unlink()
    if damage == "corrupted":
        (tmp_path / "state.db").write_bytes(b"not a database " * 400)
    time.sleep(0.1)
    with caplog.at_level(logging.WARNING, logger="bot"):
        assert "วิสัยทัศน์" in shown(ask(client, fake_line, "วิสัยทัศน์"))
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("disappeared" in m or "unusable" in m for m in warnings), warnings
    assert engine.calls[1][2].items == []  # the conversation is forgotten, not the bot
    ask(client, fake_line, "พันธกิจ")
    assert engine.calls[2][2].items == ["วิสัยทัศน์"]  # and the new database remembers
