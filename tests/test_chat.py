"""The chat page (bot/web/chat.py, bot/web/render.py): LINE's path, LINE's look, and who may use it."""

from __future__ import annotations

import html
import re

import pytest
from flask import render_template

from bot.reply import QuickReply
from bot.web import render
from bot.web.chat import DESTINATION, CaptureSender
from linekit import events
from tests.webhook_support import FakeEngine, payload, post, text_event

ADMIN_TOKEN = "admin-token-for-the-tests-0123456789"
VISION_13 = "เป็นผู้นำในการพัฒนาคุณภาพการศึกษาสู่ความเป็นเลิศ"


@pytest.fixture
def local_app(make_app, index_db):
    """Local mode (no LINE credentials), the bundled corpus."""
    return make_app(LINE_CHANNEL_SECRET=None, LINE_CHANNEL_ACCESS_TOKEN=None,
                    PLANBOT_DB=str(index_db))


class Chat:
    """A browser on the chat page: its session cookie and CSRF token."""

    def __init__(self, client):
        self.client = client
        page = client.get("/chat")
        assert page.status_code == 200
        self.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def send(self, **fields):
        return self.client.post("/chat/send", data={"csrf_token": self.csrf, **fields})

    def say(self, text: str) -> str:
        response = self.send(text=text)
        assert response.status_code == 200
        return response.text


def texts(fragment: str) -> list[str]:
    """The text bubbles of a reply fragment, unescaped."""
    return [html.unescape(t) for t in re.findall(r'<p class="bubble text">(.*?)</p>', fragment,
                                                 re.S)]


def chips(fragment: str) -> list[str]:
    """The texts the quick-reply chips would send."""
    return [html.unescape(t) for t in re.findall(r'class="chip" data-kind="message" '
                                                 r'data-text="([^"]*)"', fragment)]


def test_a_question_gets_the_plans_quote_and_quick_replies(local_app):
    chat = Chat(local_app.test_client())
    reply = chat.say("วิสัยทัศน์ สพม.13")
    assert 'data-kind="answer"' in reply
    assert any(VISION_13 in text for text in texts(reply))
    assert "พันธกิจ สพม.13" in chips(reply)


def test_the_page_is_phone_width_thai_and_needs_no_build(local_app):
    client = local_app.test_client()
    page = client.get("/chat").text
    assert '<html lang="th">' in page and 'name="viewport"' in page
    css = client.get("/web/static/web.css").text
    assert re.search(r'"Sarabun", "Noto Sans Thai".*"Leelawadee UI".*"Thonburi".*sans-serif', css,
                     re.S)
    assert "max-width: 420px" in css
    assert "@font-face" not in css and "@import" not in css  # no font is downloaded
    script = client.get("/web/static/chat.js").text
    assert "fetch(" in script and "import " not in script


def test_a_tapped_chip_sends_its_text_and_the_conversation_goes_on(local_app):
    chat = Chat(local_app.test_client())
    greeting = chat.send(event="follow")
    assert greeting.status_code == 200 and 'data-kind="greeting"' in greeting.text
    assert chips(greeting.text)  # the starting quick replies
    first = chat.say("วิสัยทัศน์ สพม.13")
    follow_up = chat.say(chips(first)[0])  # "พันธกิจ สพม.13"
    assert "พันธกิจ" in html.unescape(follow_up) and "สพม.13" in html.unescape(follow_up)
    # the state is the conversation's: "แล้วเป้าประสงค์ล่ะ" needs no office
    goals = html.unescape(chat.say("แล้วเป้าประสงค์ล่ะ"))
    assert "เป้าประสงค์" in goals and "สพม.13" in goals and "ผู้เรียนทุกคนมีคุณภาพ" in goals


def test_a_list_is_a_flex_bubble_laid_out_as_line_does(local_app):
    reply = Chat(local_app.test_client()).say("พันธกิจ สพม.13")
    bubble = re.search(r'<div class="fx-bubble.*?</div></div></div>\s*<div class="quick-reply">',
                       reply, re.S).group(0)
    header = bubble.index('class="fx-block fx-header"')
    body = bubble.index('class="fx-block fx-body"')
    assert header < body
    rows = re.findall(r'<div class="fx-box fx-horizontal"[^>]*><p class="fx-text" style="flex:0 0 '
                      r'auto;[^"]*font-weight:700[^"]*">(\d+)</p><p class="fx-text fx-wrap" '
                      r'style="flex:1 1 0;', bubble)
    assert rows == ["1", "2", "3"]  # numbered rows: the label its own width, the text the rest
    assert "altText: พันธกิจ ของ สพม.13" in html.unescape(bubble)


def test_several_messages_and_the_quick_reply_on_the_last(make_app):
    long = "\n\n".join(f"ย่อหน้าที่ {n} " + "ก" * 1500 for n in range(8))  # > 5000 characters
    engine = FakeEngine(text=long, quick_replies=[QuickReply("ต่อไป", "ต่อไป")])
    app = make_app(LINE_CHANNEL_SECRET=None, LINE_CHANNEL_ACCESS_TOKEN=None, ENGINE=engine)
    reply = Chat(app.test_client()).say("ยาว")
    bubbles = texts(reply)
    assert len(bubbles) == 3 and all(len(b) <= 5000 for b in bubbles)
    assert "\n".join(bubbles).replace("\n", "") == long.replace("\n", "")
    assert chips(reply) == ["ต่อไป"]


def test_a_postback_chip_sends_its_data(make_app):
    engine = FakeEngine()
    app = make_app(LINE_CHANNEL_SECRET=None, LINE_CHANNEL_ACCESS_TOKEN=None, ENGINE=engine)
    response = Chat(app.test_client()).send(postback="section=goal")
    assert response.status_code == 200
    assert engine.calls[-1][:2] == ("postback", "section=goal")
    assert "คำตอบ (postback): section=goal" in texts(response.text)


def test_the_rate_limit_applies_as_for_line(make_app, index_db):
    app = make_app(LINE_CHANNEL_SECRET=None, LINE_CHANNEL_ACCESS_TOKEN=None,
                   PLANBOT_DB=str(index_db), PLANBOT_RATE_LIMIT=2)
    chat = Chat(app.test_client())
    assert 'data-kind="answer"' in chat.say("วิสัยทัศน์ สพม.13")
    assert 'data-kind="answer"' in chat.say("พันธกิจ สพม.13")
    assert 'data-kind="rate_limited"' in chat.say("เป้าประสงค์ สพม.13")
    assert texts(chat.say("กลยุทธ์ สพม.13")) == []  # silence until the minute passes
    other = Chat(app.test_client())  # another browser is another user
    assert 'data-kind="answer"' in other.say("วิสัยทัศน์ สพม.13")


def test_a_redelivered_event_is_not_answered_twice(local_app):
    runtime = local_app.extensions["planbot"]
    raw = events.event("message", events.source("user", "U" + "1" * 32), "token-1",
                       message=events.text_message("วิสัยทัศน์ สพม.13"))
    first, again = CaptureSender(), CaptureSender()
    runtime.handle_event(raw, DESTINATION, sender=first)
    runtime.handle_event(raw, DESTINATION, sender=again)
    assert first.kind == "answer" and first.messages
    assert again.messages == []


def test_the_page_shows_what_line_receives(make_app, index_db, fake_line):
    """The same question through LINE's webhook and through the page: LINE gets the same
    messages the page draws (line mode, so the admin logs in to use the page)."""
    app = make_app(PLANBOT_DB=str(index_db), PLANBOT_ADMIN_TOKEN=ADMIN_TOKEN)
    client = app.test_client()
    assert post(client, payload(text_event("พันธกิจ สพม.13"))).status_code == 200
    sent_to_line = fake_line.replies()[0].messages
    login(client)
    page_reply = Chat(client).say("พันธกิจ สพม.13")
    with app.test_request_context():
        drawn = render_template("chat/reply.html", reply=render.view(sent_to_line), kind="answer")
    assert page_reply == drawn
    assert len(fake_line.replies()) == 1  # the page sent nothing to LINE


def login(client) -> None:
    page = client.get("/admin/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/admin/login", data={"csrf_token": token, "token": ADMIN_TOKEN})
    assert response.status_code == 302


def test_the_page_is_off_in_line_mode_without_the_admin_token(make_app, index_db):
    app = make_app(PLANBOT_DB=str(index_db))  # LINE credentials, no PLANBOT_ADMIN_TOKEN
    client = app.test_client()
    assert client.get("/chat").status_code == 404
    assert client.post("/chat/send", data={"text": "วิสัยทัศน์ สพม.13"}).status_code == 404


def test_in_line_mode_the_page_is_the_admins(make_app, index_db):
    app = make_app(PLANBOT_DB=str(index_db), PLANBOT_ADMIN_TOKEN=ADMIN_TOKEN)
    client = app.test_client()
    response = client.get("/chat")
    assert response.status_code == 302 and response.location.startswith("/admin/login")
    assert client.post("/chat/send", data={"text": "วิสัยทัศน์ สพม.13"}).status_code == 403
    login(client)
    assert any(VISION_13 in t for t in texts(Chat(client).say("วิสัยทัศน์ สพม.13")))


def test_a_send_without_the_csrf_token_is_refused(local_app):
    client = local_app.test_client()
    Chat(client)
    assert client.post("/chat/send", data={"text": "วิสัยทัศน์ สพม.13"}).status_code == 400
    assert client.post("/chat/send", data={"text": "x", "csrf_token": "forged"}).status_code == 400


def test_empty_and_overlong_messages_are_refused(local_app):
    chat = Chat(local_app.test_client())
    assert chat.send(text="   ").status_code == 400
    assert chat.send(text="ก" * 5001).status_code == 400
    assert chat.send().status_code == 400


def test_flex_styles_take_only_values_line_allows():
    box = {"type": "box", "layout": "horizontal", "spacing": "md;background:url(x)",
           "backgroundColor": "red;position:fixed", "paddingAll": "12px",
           "contents": [
               {"type": "text", "text": "<b>1</b>", "color": "#1E6E4E", "size": "sm", "flex": 0},
               {"type": "text", "text": "x", "color": "expression(alert(1))", "size": "999px"},
               {"type": "icon", "url": "https://example.invalid/x.png"},
           ]}
    view = render.component(box, parent="vertical")
    assert view["style"] == "padding:12px"
    first, second, third = view["contents"]
    assert first["style"] == "flex:0 0 auto;font-size:14px;color:#1E6E4E"
    assert first["text"] == "<b>1</b>"  # escaped by the template, not here
    assert second["style"] == "flex:1 1 0;font-size:16px"
    assert third == {"type": "other", "text": "[icon]", "style": "flex:1 1 0"}


def test_quick_reply_actions_become_chips():
    reply = render.view([
        {"type": "text", "text": "ก่อน", "quickReply": {"items": [
            {"type": "action", "action": {"type": "message", "label": "ไม่ใช่อันสุดท้าย",
                                          "text": "x"}}]}},
        {"type": "text", "text": "สุดท้าย", "quickReply": {"items": [
            {"type": "action", "action": {"type": "message", "label": "พันธกิจ",
                                          "text": "พันธกิจ สพม.13"}},
            {"type": "action", "action": {"type": "postback", "label": "เป้าประสงค์",
                                          "data": "section=goal", "displayText": "เป้าประสงค์"}},
            {"type": "action", "action": {"type": "uri", "label": "เว็บ",
                                          "uri": "https://example.invalid"}},
        ]}},
    ])
    assert [m["text"] for m in reply["messages"]] == ["ก่อน", "สุดท้าย"]
    assert reply["chips"] == [  # LINE shows only the last message's quick reply
        {"kind": "message", "label": "พันธกิจ", "text": "พันธกิจ สพม.13"},
        {"kind": "postback", "label": "เป้าประสงค์", "data": "section=goal",
         "display": "เป้าประสงค์"},
        {"kind": "other", "label": "เว็บ"},
    ]
