"""The conversation replay: each conversation as a test, its report on failure, and a live server.

Every conversation in tests/conversations/*.yaml runs as its own test case against the app
in-process, with the LINE SDK pointed at the fake LINE platform.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from linebot.v3.webhook import WebhookParser
from linebot.v3.webhooks import MessageEvent, PostbackEvent, TextMessageContent

from linekit.events import webhook_body
from linekit.fake import FakeLinePlatform
from linekit.replay import (
    LOCAL_OPENER,
    PROJECT_ROOT,
    TEST_CHANNEL_SECRET,
    Conversation,
    ConversationError,
    InProcessTransport,
    Replayer,
    Turn,
    build_event,
    load_conversations,
    make_app,
    message_texts,
    parse_conversations,
    project_index,
)
from linekit.signing import sign

CONVERSATION_DIR = PROJECT_ROOT / "tests" / "conversations"
CONVERSATION_FILES = sorted(CONVERSATION_DIR.glob("*.yaml"))
CONVERSATIONS = load_conversations(CONVERSATION_FILES)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def index_db(tmp_path_factory):
    """The project's index ($PLANBOT_DB or instance/index.db), or one built from corpus/."""
    return project_index(tmp_path_factory.mktemp("index"))


@pytest.fixture(scope="module")
def replayer(index_db, tmp_path_factory):
    """One app and one fake LINE platform for all conversations (each has its own user)."""
    with FakeLinePlatform() as fake:
        app = make_app(fake, tmp_path_factory.mktemp("replay"), index_db)
        yield Replayer(fake, InProcessTransport(app), TEST_CHANNEL_SECRET)


# -- the conversations -----------------------------------------------------------------------


def test_there_are_enough_conversations():
    assert len(CONVERSATIONS) >= 15
    assert len({c.name for c in CONVERSATIONS}) == len(CONVERSATIONS), "names must be unique"


@pytest.mark.parametrize(
    "conversation", CONVERSATIONS, ids=[f"{Path(c.file).stem}: {c.name}" for c in CONVERSATIONS]
)
def test_conversation(replayer, conversation):
    results = replayer.run(conversation)
    failures = [r.report() for r in results if not r.passed]
    assert not failures, "\n\n".join(failures)


# -- the report on failure -------------------------------------------------------------------

SCRATCH = """
- name: scratch with wrong expectations
  turns:
    - say: วิสัยทัศน์ สพม.13
      expect: [ข้อความนี้ไม่มีในแผนใดเลย]
    - say: วิสัยทัศน์ สพม.13
      expect_not: [เป็นผู้นำในการพัฒนา]
    - say: พันธกิจ สพม.13
      expect: [ส่งเสริม สนับสนุนให้โรงเรียนจัดการศึกษาอย่างมีคุณภาพ]
    - say: เลือกเขต
      expect_quick_replies: [สพป.เชียงใหม่ เขต 1]
    - say: กลยุทธ์ สพม.13
      expect_no_reply: true
"""


def test_wrong_expectation_fails_with_a_readable_report(tmp_path, index_db):
    scratch = tmp_path / "scratch.yaml"
    scratch.write_text(SCRATCH, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tests.replay", str(scratch)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PLANBOT_DB": str(index_db)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert out.strip().splitlines()[-1] == "1 passed, 4 failed"
    first, second, third, fourth = out.split("FAIL ")[1:]
    # The turn, what was said, what was expected, and the reply actually sent.
    assert "scratch with wrong expectations :: turn 1 of 5" in first
    assert "say: วิสัยทัศน์ สพม.13" in first
    assert "expected 'ข้อความนี้ไม่มีในแผนใดเลย': not found" in first
    assert "the bot sent:" in first
    assert "เป็นผู้นำในการพัฒนาคุณภาพการศึกษาสู่ความเป็นเลิศ" in first
    assert "turn 2 of 5" in second
    assert "expected no 'เป็นผู้นำในการพัฒนา': found" in second
    assert "turn 4 of 5" in third and "say: เลือกเขต" in third
    assert "expected a quick reply 'สพป.เชียงใหม่ เขต 1': not offered" in third
    assert "quick replies: " in third and "สพม.13" in third
    assert "turn 5 of 5" in fourth
    assert "expected no reply, but the bot sent one" in fourth
    assert "พัฒนาคุณภาพผู้เรียนทุกระดับทุกประเภท" in fourth


def test_missing_reply_is_reported(tmp_path, index_db, capsys):
    """A turn that must get a reply fails when the bot sends nothing (a group, no mention)."""
    conversations = parse_conversations(
        yaml.safe_load(
            """
- name: no mention, yet a reply is expected
  source: group
  turns:
    - say: วิสัยทัศน์ สพม.13
      expect: [เป็นผู้นำ]
"""
        ),
        "inline.yaml",
    )
    with FakeLinePlatform() as fake:
        app = make_app(fake, tmp_path, index_db)
        replayer = Replayer(fake, InProcessTransport(app), TEST_CHANNEL_SECRET, reply_timeout=1)
        [result] = replayer.run(conversations[0])
    assert not result.passed
    assert "expected a reply, but none came" in result.report()
    assert "(nothing was sent)" in result.report()


class ScriptedBot:
    """A stand-in webhook: answers each event by sending `messages` to the fake, then `status`."""

    def __init__(self, fake, messages, status=200):
        self.fake, self.messages, self.status = fake, messages, status

    def post(self, body, headers):
        token = json.loads(body)["events"][0].get("replyToken")
        if token and self.messages:
            request = urllib.request.Request(
                self.fake.url + "/v2/bot/message/reply",
                data=json.dumps({"replyToken": token, "messages": self.messages}).encode(),
                headers={"Authorization": "Bearer t", "Content-Type": "application/json"},
            )
            with contextlib.suppress(urllib.error.HTTPError):  # a refusal is recorded anyway
                LOCAL_OPENER.open(request, timeout=5).read()
        return self.status


def _one_turn(**turn):
    [conversation] = parse_conversations([{"name": "scripted", "turns": [turn]}], "s.yaml")
    return conversation


def test_a_reply_line_refuses_fails_the_turn():
    with FakeLinePlatform() as fake:
        bot = ScriptedBot(fake, [{"type": "text", "text": "ok"}] * 6)
        [result] = Replayer(fake, bot, "s").run(_one_turn(say="x", expect_reply=True))
    assert not result.passed
    report = result.report()
    assert "LINE refused the bot's reply with 400" in report
    assert "Size must be between 1 and 5" in report
    assert "6 message(s), LINE answered 400" in report


def test_a_webhook_error_status_fails_the_turn():
    with FakeLinePlatform() as fake:
        bot = ScriptedBot(fake, [{"type": "text", "text": "ok"}], status=500)
        [result] = Replayer(fake, bot, "s").run(_one_turn(say="x", expect=["ok"]))
    assert "the webhook answered HTTP 500, expected 200" in result.report()


def test_matching_ignores_whitespace_and_reads_flex():
    flex = {
        "type": "flex",
        "altText": "พันธกิจ",
        "contents": {
            "type": "bubble",
            "body": {
                "type": "box",
                "layout": "vertical",
                "contents": [{"type": "text", "text": "ส่งเสริม  สนับสนุน\nให้โรงเรียน"}],
            },
        },
    }
    with FakeLinePlatform() as fake:
        bot = ScriptedBot(fake, [flex])
        [result] = Replayer(fake, bot, "s").run(
            _one_turn(say="x", expect=["ส่งเสริม สนับสนุนให้ โรงเรียน", "พันธกิจ"])
        )
    assert result.passed, result.report()


# -- the webhook JSON is what LINE sends -----------------------------------------------------


def _conversation(**turn) -> tuple[Conversation, Turn]:
    [conversation] = parse_conversations(
        [{"name": "x", "source": turn.pop("source", "user"), "turns": [turn]}], "x.yaml"
    )
    return conversation, conversation.turns[0]


def test_text_event_is_signed_and_parsed_by_the_sdk():
    conversation, turn = _conversation(say="วิสัยทัศน์ สพม.13")
    event = build_event(turn, conversation, "Ubot", None)
    body = webhook_body([event], "Ubot")
    parser = WebhookParser("secret")
    [parsed] = parser.parse(body.decode(), sign(body, "secret"))
    assert isinstance(parsed, MessageEvent)
    assert isinstance(parsed.message, TextMessageContent)
    assert parsed.message.text == "วิสัยทัศน์ สพม.13"
    assert parsed.message.quote_token and parsed.reply_token
    assert parsed.delivery_context.is_redelivery is False
    assert len(event["webhookEventId"]) == 26
    with pytest.raises(Exception):  # noqa: B017 - the SDK's InvalidSignatureError
        parser.parse(body.decode(), sign(body, "other secret"))


def test_events_get_fresh_ids():
    conversation, turn = _conversation(say="x")
    a = build_event(turn, conversation, "Ubot", None)
    b = build_event(turn, conversation, "Ubot", None)
    assert a["webhookEventId"] != b["webhookEventId"]
    assert a["replyToken"] != b["replyToken"]
    assert a["message"]["id"] != b["message"]["id"]


def test_group_mention_points_at_the_bot():
    conversation, turn = _conversation(source="group", say="@planbot พันธกิจ", mention_bot=True)
    event = build_event(turn, conversation, "Ubot", None)
    assert event["source"]["type"] == "group"
    assert event["source"]["groupId"].startswith("C") and event["source"]["userId"]
    [mentionee] = event["message"]["mention"]["mentionees"]
    assert mentionee == {
        "index": 0,
        "length": len("@planbot"),
        "userId": "Ubot",
        "type": "user",
        "isSelf": True,
    }
    body = webhook_body([event], "Ubot")
    [parsed] = WebhookParser("s").parse(body.decode(), sign(body, "s"))
    assert parsed.message.mention.mentionees[0].is_self is True


@pytest.mark.parametrize(
    ("kind", "has_token"),
    [
        ("follow", True),
        ("join", True),
        ("memberJoined", True),
        ("sticker", True),
        ("image", True),
        ("location", True),
        ("video", True),
        ("audio", True),
        ("file", True),
        ("unfollow", False),
        ("leave", False),
        ("memberLeft", False),
        ("unsend", False),
    ],
)
def test_other_events_parse_and_carry_a_reply_token_only_where_line_does(kind, has_token):
    source = "group" if kind in ("join", "leave", "memberJoined", "memberLeft") else "user"
    conversation, turn = _conversation(event=kind, source=source)
    event = build_event(turn, conversation, "Ubot", "123")
    assert ("replyToken" in event) is has_token
    body = webhook_body([event], "Ubot")
    [parsed] = WebhookParser("s").parse(body.decode(), sign(body, "s"))
    media = ("sticker", "image", "location", "video", "audio", "file")
    assert parsed.type == ("message" if kind in media else kind)
    if kind in media:
        assert parsed.message.type == kind


def test_mention_after_an_emoji_counts_utf16_units():
    conversation, turn = _conversation(source="room", say="🙏 @planbot กลยุทธ์", mention_bot=True)
    [mentionee] = build_event(turn, conversation, "Ubot", None)["message"]["mention"]["mentionees"]
    assert (mentionee["index"], mentionee["length"]) == (3, 8)


def test_postback_event():
    conversation, turn = _conversation(postback="section=goal")
    body = webhook_body([build_event(turn, conversation, "Ubot", None)], "Ubot")
    [parsed] = WebhookParser("s").parse(body.decode(), sign(body, "s"))
    assert isinstance(parsed, PostbackEvent) and parsed.postback.data == "section=goal"


def test_flex_texts_are_all_searched():
    flex = {
        "type": "flex",
        "altText": "alt",
        "contents": {
            "type": "bubble",
            "body": {
                "type": "box",
                "contents": [
                    {"type": "text", "text": "inner"},
                    {"type": "button", "action": {"type": "message", "label": "tap", "text": "t"}},
                ],
            },
        },
        "quickReply": {"items": [{"action": {"label": "quick"}}]},
    }
    assert message_texts(flex) == ["alt", "inner", "tap", "t"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "x"}, "turns must be a non-empty list"),
        ([{"name": "x", "turns": [{"sya": "hi"}]}], "unknown key(s) ['sya']"),
        ([{"name": "x", "turns": [{"say": "a", "event": "follow"}]}], "exactly one of"),
        ([{"name": "x", "turns": [{"event": "dance"}]}], "event must be one of"),
        ([{"name": "x", "source": "channel", "turns": [{"say": "a"}]}], "source must be"),
        ([{"name": "x", "turns": [{"redeliver": True}]}], "nothing to redeliver"),
        ([{"name": "x", "turns": [{"say": "hi", "mention_bot": True}]}], "with an @name"),
        ([{"name": "x", "turns": [{"event": "join"}]}], "only in a group or room"),
        (
            [{"name": "x", "turns": [{"say": "a", "expect": ["b"], "expect_no_reply": True}]}],
            "contradicts",
        ),
    ],
)
def test_file_mistakes_are_named(data, message):
    data = data if isinstance(data, list) else [data]
    with pytest.raises(ConversationError) as raised:
        parse_conversations(data, "f.yaml")
    assert message in str(raised.value)
    assert "f.yaml" in str(raised.value)


def test_bad_file_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- name: x\n  turns: [{say: hi, expectt: [a]}]\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tests.replay", str(bad)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "expectt" in result.stderr


# -- against a live gunicorn, as the Procfile starts it ----------------------------------------


def _procfile_web_command() -> str:
    for line in (PROJECT_ROOT / "Procfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("web:"):
            # Tests touch nothing but the loopback interface.
            return line[len("web:") :].strip().replace("0.0.0.0", "127.0.0.1")
    raise AssertionError("Procfile has no web: line")


def _wait_for_health(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        try:
            with LOCAL_OPENER.open(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url}/healthz did not answer within {timeout}s")


@pytest.mark.slow
def test_conversations_pass_against_live_gunicorn(tmp_path, index_db):
    port, fake_port = _free_port(), _free_port()
    secret = "live-test-secret-0123456789abcdef"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PORT": str(port),
        "LINE_API_HOST": f"http://127.0.0.1:{fake_port}",
        "LINE_CHANNEL_SECRET": secret,
        "LINE_CHANNEL_ACCESS_TOKEN": "live-test-token",
        "PLANBOT_DB": str(index_db),
        "PLANBOT_STATE_DB": str(tmp_path / "state.db"),
    }
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        ["sh", "-c", _procfile_web_command()],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so the workers stop with it
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_for_health(url, server)
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.replay",
                "--url",
                url,
                "--secret",
                secret,
                "--fake-port",
                str(fake_port),
                *map(str, CONVERSATION_FILES),
            ],
            cwd=PROJECT_ROOT,
            env={k: v for k, v in env.items() if k != "LINE_CHANNEL_SECRET"},
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    out = result.stdout
    assert f"fake LINE platform: http://127.0.0.1:{fake_port}" in out
    turns = sum(len(c.turns) for c in CONVERSATIONS)
    server_log = (tmp_path / "gunicorn.log").read_text().splitlines()[-40:]
    assert result.returncode == 0, "\n".join([out, result.stderr, "gunicorn:", *server_log])
    assert out.strip().splitlines()[-1] == f"{turns} passed, 0 failed"
