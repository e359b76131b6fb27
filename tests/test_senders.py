"""bot.senders: what goes over the wire to LINE, and how failures are retried.

The bodies are compared byte for byte with what line-bot-sdk's own `MessagingApi` sends for
the same messages built with the SDK's models, through the same fake LINE platform.
"""

from __future__ import annotations

import socketserver
import threading
import time
import uuid

import pytest
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    FlexContainer,
    FlexMessage,
    MessageAction,
    MessagingApi,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
)

from bot import messages
from bot.reply import Block, Reply, State
from bot.reply import QuickReply as Suggestion
from bot.senders import LOADING_PATH, PUSH_PATH, REPLY_PATH, LineSender
from tests.webhook_support import TOKEN, USER_ID


def sdk_models(reply: Reply, prefix: str = "") -> list:
    """The messages built the way the SDK's models build them (the reference)."""
    items = [
        QuickReplyItem(action=PostbackAction(label=s.label, data=s.data, display_text=s.label))
        if s.data else
        QuickReplyItem(action=MessageAction(label=messages.clip(s.label, 20),
                                            text=messages.clip(prefix + s.text, 300)))
        for s in reply.quick_replies
    ]
    quick = QuickReply(items=items) if items else None
    if messages.wants_flex(reply):
        return [FlexMessage(alt_text=reply.text.strip(), quick_reply=quick,
                            contents=FlexContainer.from_dict(messages.flex_bubble(reply)))]
    texts = [TextMessage(text=chunk) for chunk in messages.text_chunks(reply)]
    texts[-1].quick_reply = quick
    return texts


REPLIES = {
    "text": Reply(text="วิสัยทัศน์ของ สพม.13 😀 \"quoted\" \\ back", kind="answer", state=State()),
    "text with taps": Reply(text="เลือกเขต", kind="which_owner", state=State(),
                            quick_replies=[Suggestion("สพม.13", "สพม.13"),
                                           Suggestion("ยาวเกินยี่สิบตัวอักษรแน่นอนเลยนะ", "x"),
                                           Suggestion("ถัดไป", "", data="action=next_page")]),
    "flex": Reply(text="พันธกิจ\n1. หนึ่ง\n2. สอง\nที่มา", kind="answer", state=State(),
                  header="พันธกิจ", blocks=[Block("1", "หนึ่ง"), Block("", "สอง")],
                  footer="ที่มา", quick_replies=[Suggestion("ต่อ", "ต่อ")]),
    "several texts": Reply(text="ก" * 6000, kind="answer", state=State(),
                           blocks=[Block(str(i), "ข" * 1500) for i in range(1, 6)],
                           quick_replies=[Suggestion("ต่อ", "ต่อ")]),
}


@pytest.fixture
def sdk(fake_line):
    return MessagingApi(ApiClient(Configuration(access_token=TOKEN, host=fake_line.url)))


@pytest.fixture
def sender(fake_line):
    return LineSender(TOKEN, host=fake_line.url, timeout=2.0)


@pytest.mark.parametrize("name", sorted(REPLIES))
@pytest.mark.parametrize("prefix", ["", "บอท "], ids=["chat", "group"])
def test_reply_and_push_bodies_are_byte_for_byte_what_the_sdk_sends(
    fake_line, sdk, sender, name, prefix
):
    reply = REPLIES[name]
    sdk.reply_message(ReplyMessageRequest(reply_token="t1", messages=sdk_models(reply, prefix)))
    assert sender.reply("t2", messages.line_json(reply, prefix), "answer") == 200
    key = str(uuid.uuid4())
    sdk.push_message(PushMessageRequest(to=USER_ID, messages=sdk_models(reply, prefix)),
                     x_line_retry_key=key)
    assert sender.push(USER_ID, messages.line_json(reply, prefix), "answer",
                       str(uuid.uuid4())) == 200
    theirs, ours = fake_line.replies()
    assert ours.body == theirs.body.replace(b'"t1"', b'"t2"')
    theirs, ours = fake_line.pushes()
    assert ours.body == theirs.body
    for header in ("authorization", "content-type", "user-agent", "accept"):
        assert ours.headers[header] == theirs.headers[header]


def test_loading_animation_body_is_the_sdks(fake_line, sdk, sender):
    sdk.show_loading_animation(ShowLoadingAnimationRequest(chat_id=USER_ID, loading_seconds=20))
    assert sender.show_loading(USER_ID) == 202
    theirs, ours = fake_line.requests_for(LOADING_PATH)
    assert ours.body == theirs.body


def test_a_push_whose_retry_key_was_already_accepted_counts_as_delivered(fake_line, sender):
    """LINE answers 409 when a retry key was already accepted: the push did go out."""
    key = str(uuid.uuid4())
    text = messages.text_json("ทดสอบ")
    assert sender.push(USER_ID, text, "answer", key) == 200
    assert sender.push(USER_ID, text, "answer", key) == 200
    assert [r.status for r in fake_line.pushes()] == [200, 409]


def test_retries_stop_at_the_deadline(fake_line, sender):
    fake_line.fail_next("500", times=100)
    started = time.monotonic()
    status = sender.reply("t", messages.text_json("ก"), "answer", deadline=started + 1.5)
    took = time.monotonic() - started
    assert status == 500 and took < 1.6
    tries = fake_line.replies()
    assert 2 <= len(tries) <= 6  # backoff: 0.25-0.5, 0.5-1, ... not a hammering
    gaps = [b.received_at - a.received_at for a, b in zip(tries, tries[1:], strict=False)]
    assert min(gaps) >= 0.25
    assert sender.counts.snapshot()["line_retries"] == len(tries) - 1


def test_line_unreachable_is_retried_until_it_is_back(fake_line, sender):
    port = fake_line.port
    fake_line.stop()
    try:
        result = {}

        def send():
            result["status"] = sender.reply("t", messages.text_json("ก"), "answer",
                                            deadline=time.monotonic() + 10)

        import threading

        thread = threading.Thread(target=send)
        thread.start()
        time.sleep(1.5)
        assert "status" not in result  # still trying
    finally:
        fake_line.port = port
        fake_line.start()
    thread.join(timeout=10)
    assert result["status"] == 200
    assert [r.path for r in fake_line.requests] == [REPLY_PATH]


def test_a_refusal_is_not_retried(fake_line, sender):
    fake_line.fail_next("invalid_reply_token")
    assert sender.reply("t", messages.text_json("ก"), "answer",
                        deadline=time.monotonic() + 10) == 400
    assert len(fake_line.replies()) == 1
    assert PUSH_PATH not in [r.path for r in fake_line.requests]



class _ClosingServer(socketserver.ThreadingTCPServer):
    """An HTTP server that answers 200 "{}" and then closes the connection without saying so
    (no `Connection: close`), as a server closes an idle kept-alive connection."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.connections = 0

        class Handler(socketserver.StreamRequestHandler):
            def handle(handler):
                self.connections += 1
                length = 0
                while (line := handler.rfile.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                handler.rfile.read(length)
                handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                    b"Content-Length: 2\r\n\r\n{}")

        super().__init__(("127.0.0.1", 0), Handler)


def test_a_kept_connection_the_server_closed_meanwhile_is_replaced_before_it_is_used():
    """When LINE closed a kept connection between two calls (an idle timeout), the next call
    opens a new one instead of failing on the old one and waiting for a retry."""
    with _ClosingServer() as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sender = LineSender(TOKEN, host=f"http://127.0.0.1:{server.server_address[1]}")
        assert sender.reply("first", messages.text_json("ก"), "answer") == 200
        time.sleep(0.1)  # the server's FIN reaches the client's socket
        assert sender.reply("second", messages.text_json("ข"), "answer") == 200
        server.shutdown()
    assert server.connections == 2
    assert "line_retries" not in sender.counts.snapshot()  # the first try went through
