"""The fake LINE platform behaves like LINE: answers, validation, recording and faults."""

from __future__ import annotations

import contextlib
import json
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    ReplyMessageRequest,
    TextMessage,
)

from linekit.fake import LOCAL_OPENER, FakeLinePlatform

AUTH = {"Authorization": "Bearer test-token"}


def call(fake, method, path, body=None, headers=None, timeout=10):
    """One plain HTTP request to the fake; returns (status, headers, parsed JSON)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(fake.url + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for name, value in (AUTH if headers is None else headers).items():
        request.add_header(name, value)
    try:
        with LOCAL_OPENER.open(request, timeout=timeout) as response:
            return response.status, response.headers, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"null")


def text(t):
    return {"type": "text", "text": t}


@pytest.fixture
def fake():
    with FakeLinePlatform() as platform:
        yield platform


def test_url_is_loopback_and_free_port(fake):
    assert fake.url.startswith("http://127.0.0.1:")
    assert fake.port > 0


def test_reply_answers_sent_messages_one_per_message(fake):
    status, headers, body = call(
        fake,
        "POST",
        "/v2/bot/message/reply",
        {"replyToken": "r1", "messages": [text("a"), text("b")]},
    )
    assert status == 200
    assert headers["x-line-request-id"]
    assert len(body["sentMessages"]) == 2
    assert all(m["id"] and m["quoteToken"] for m in body["sentMessages"])
    [reply] = fake.replies()
    assert reply.json == {"replyToken": "r1", "messages": [text("a"), text("b")]}
    assert reply.reply_token == "r1"
    assert reply.headers["authorization"] == "Bearer test-token"
    assert reply.status == 200
    assert reply.received_at <= time.time()


def test_flex_gets_no_quote_token(fake):
    flex = {"type": "flex", "altText": "alt", "contents": {"type": "bubble"}}
    _, _, body = call(
        fake, "POST", "/v2/bot/message/reply", {"replyToken": "r", "messages": [flex]}
    )
    assert "quoteToken" not in body["sentMessages"][0]


def test_push_records_and_answers(fake):
    status, _, body = call(
        fake, "POST", "/v2/bot/message/push", {"to": "U1", "messages": [text("x")]}
    )
    assert status == 200 and len(body["sentMessages"]) == 1
    assert fake.pushes()[0].json["to"] == "U1"
    assert fake.requests_for("/v2/bot/message/push")[0].messages == [text("x")]


def test_push_retry_key_is_accepted_once(fake):
    key = str(uuid.uuid4())
    first = call(
        fake,
        "POST",
        "/v2/bot/message/push",
        {"to": "U1", "messages": [text("x")]},
        {**AUTH, "X-Line-Retry-Key": key},
    )
    second = call(
        fake,
        "POST",
        "/v2/bot/message/push",
        {"to": "U1", "messages": [text("x")]},
        {**AUTH, "X-Line-Retry-Key": key},
    )
    assert first[0] == 200
    assert second[0] == 409
    assert second[1]["x-line-accepted-request-id"] == first[1]["x-line-request-id"]
    assert second[2]["sentMessages"] == first[2]["sentMessages"]


def test_bot_info_profile_and_loading(fake):
    status, _, info = call(fake, "GET", "/v2/bot/info")
    assert status == 200 and info["userId"] == fake.bot_user_id
    assert {"basicId", "displayName", "chatMode", "markAsReadMode"} <= info.keys()
    status, _, profile = call(fake, "GET", "/v2/bot/profile/U123")
    assert status == 200 and profile["userId"] == "U123" and profile["displayName"]
    status, _, body = call(fake, "POST", "/v2/bot/chat/loading/start", {"chatId": "U123"})
    assert (status, body) == (202, {})


def test_unknown_path_is_404_json_and_recorded(fake):
    status, headers, body = call(fake, "GET", "/v2/bot/nothing")
    assert status == 404 and body["message"]
    assert headers["x-line-request-id"]
    assert fake.requests_for("/v2/bot/nothing")[0].status == 404


def test_missing_bearer_is_401(fake):
    status, _, body = call(
        fake,
        "POST",
        "/v2/bot/message/reply",
        {"replyToken": "r", "messages": [text("a")]},
        headers={},
    )
    assert status == 401 and "Authentication" in body["message"]


def test_more_than_five_messages_is_400_with_details(fake):
    status, _, body = call(
        fake, "POST", "/v2/bot/message/reply", {"replyToken": "r", "messages": [text("a")] * 6}
    )
    assert status == 400
    assert body["message"].startswith("The request body has")
    assert body["details"] == [{"message": "Size must be between 1 and 5", "property": "messages"}]


def test_five_messages_are_fine(fake):
    status, _, _ = call(
        fake, "POST", "/v2/bot/message/reply", {"replyToken": "r", "messages": [text("a")] * 5}
    )
    assert status == 200


def test_text_over_5000_chars_is_400(fake):
    ok = call(
        fake, "POST", "/v2/bot/message/reply", {"replyToken": "a", "messages": [text("ก" * 5000)]}
    )
    bad = call(
        fake,
        "POST",
        "/v2/bot/message/reply",
        {"replyToken": "b", "messages": [text("ok"), text("ก" * 5001)]},
    )
    assert ok[0] == 200
    assert bad[0] == 400
    assert bad[2]["details"][0]["property"] == "messages[1].text"


def test_quick_reply_limits(fake):
    def quick(labels):
        items = [
            {"type": "action", "action": {"type": "message", "label": lab, "text": lab}}
            for lab in labels
        ]
        return {**text("q"), "quickReply": {"items": items}}

    assert (
        call(
            fake,
            "POST",
            "/v2/bot/message/reply",
            {"replyToken": "a", "messages": [quick(["x"] * 13)]},
        )[0]
        == 200
    )
    assert (
        call(
            fake,
            "POST",
            "/v2/bot/message/reply",
            {"replyToken": "b", "messages": [quick(["x"] * 14)]},
        )[0]
        == 400
    )
    status, _, body = call(
        fake, "POST", "/v2/bot/message/reply", {"replyToken": "c", "messages": [quick(["ก" * 21])]}
    )
    assert status == 400
    assert body["details"][0]["property"] == "messages[0].quickReply.items[0].action.label"


def test_reply_token_used_twice_is_invalid(fake):
    body = {"replyToken": "once", "messages": [text("a")]}
    assert call(fake, "POST", "/v2/bot/message/reply", body)[0] == 200
    status, _, answer = call(fake, "POST", "/v2/bot/message/reply", body)
    assert (status, answer) == (400, {"message": "Invalid reply token"})


@pytest.mark.parametrize(
    ("mode", "status", "message"),
    [
        ("invalid_reply_token", 400, "Invalid reply token"),
        ("429", 429, "The API rate limit has been exceeded. Try again later."),
        ("500", 500, "An error occurred in the server"),
    ],
)
def test_fail_next_modes_then_recover(fake, mode, status, message):
    fake.fail_next(mode, times=2)
    for token in ("a", "b"):
        got = call(
            fake, "POST", "/v2/bot/message/reply", {"replyToken": token, "messages": [text("x")]}
        )
        assert got[0] == status and got[2]["message"] == message
        assert got[1]["x-line-request-id"]
    got = call(fake, "POST", "/v2/bot/message/reply", {"replyToken": "c", "messages": [text("x")]})
    assert got[0] == 200
    assert [r.status for r in fake.replies()] == [status, status, 200]


def test_fault_skips_other_paths_by_default(fake):
    fake.fail_next("500")
    assert call(fake, "GET", "/v2/bot/info")[0] == 200
    assert (
        call(fake, "POST", "/v2/bot/message/push", {"to": "U", "messages": [text("x")]})[0] == 500
    )


def test_fault_can_target_a_path(fake):
    fake.fail_next("429", path="/v2/bot/info")
    assert (
        call(fake, "POST", "/v2/bot/message/push", {"to": "U", "messages": [text("x")]})[0] == 200
    )
    assert call(fake, "GET", "/v2/bot/info")[0] == 429


def test_slow_answers_normally_after_delay(fake):
    fake.fail_next("slow", delay=0.5)
    started = time.monotonic()
    status, _, body = call(
        fake, "POST", "/v2/bot/message/reply", {"replyToken": "r", "messages": [text("x")]}
    )
    assert time.monotonic() - started >= 0.5
    assert status == 200 and body["sentMessages"]


def test_unknown_fault_mode_is_refused(fake):
    with pytest.raises(ValueError):
        fake.fail_next("teapot")


def test_clear_forgets_records_and_faults(fake):
    fake.fail_next("500")
    call(fake, "GET", "/v2/bot/info")
    fake.clear()
    assert fake.requests == []
    assert (
        call(fake, "POST", "/v2/bot/message/push", {"to": "U", "messages": [text("x")]})[0] == 200
    )


def test_wait_for_sees_requests_from_another_thread(fake):
    def later():
        time.sleep(0.2)
        call(fake, "POST", "/v2/bot/message/reply", {"replyToken": "late", "messages": [text("x")]})

    threading.Thread(target=later).start()
    got = fake.wait_for(1, timeout=5, path="/v2/bot/message/reply")
    assert got[0].reply_token == "late" and got[0].status == 200


def test_wait_for_times_out(fake):
    with pytest.raises(TimeoutError):
        fake.wait_for(1, timeout=0.2)


def test_concurrent_requests_are_all_recorded(fake):
    threads = [
        threading.Thread(
            target=call,
            args=(fake, "POST", "/v2/bot/message/push", {"to": f"U{i}", "messages": [text("x")]}),
        )
        for i in range(20)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.json["to"] for r in fake.pushes()) == sorted(f"U{i}" for i in range(20))


def test_given_port_is_used():
    with FakeLinePlatform() as first:
        port = first.port
    with FakeLinePlatform(port=port) as second:
        assert second.url == f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def sdk_api(fake):
    """line-bot-sdk's MessagingApi pointed at the fake by host, with the token "sdk-token"."""
    configuration = Configuration(host=fake.url, access_token="sdk-token")
    with ApiClient(configuration) as client:
        yield MessagingApi(client)


def test_line_bot_sdk_talks_to_the_fake(fake):
    """The installed SDK, pointed at the fake by host, sends what the fake records."""
    from linebot.v3.messaging.exceptions import ApiException

    with sdk_api(fake) as api:
        response = api.reply_message(
            ReplyMessageRequest(reply_token="tok", messages=[TextMessage(text="สวัสดี")])
        )
        assert response.sent_messages[0].id
        assert api.get_bot_info().user_id == fake.bot_user_id
        fake.fail_next("invalid_reply_token")
        with pytest.raises(ApiException) as raised:
            api.reply_message(
                ReplyMessageRequest(reply_token="tok2", messages=[TextMessage(text="x")])
            )
        assert raised.value.status == 400
        assert raised.value.headers["x-line-request-id"]
    [first, second] = fake.replies()
    assert first.headers["authorization"] == "Bearer sdk-token"
    assert first.messages[0]["text"] == "สวัสดี"
    assert second.status == 400


def test_a_reply_round_trip_takes_milliseconds_not_a_delayed_ack(fake):
    """Replies through the SDK's keep-alive connection come back at once (issue 15).

    A response written in two sends (headers, then body) without TCP_NODELAY makes the body wait
    for the client's delayed ACK, about 40 ms on Linux, and every benchmark and replay then
    measured that stall. The median of 20 calls on loopback must stay far below it.
    """
    with sdk_api(fake) as api:
        seconds = []
        for n in range(21):
            request = ReplyMessageRequest(reply_token=f"t{n}", messages=[TextMessage(text="ก")])
            started = time.perf_counter()
            api.reply_message(request)
            seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds[1:])  # the first call opens the connection
    assert median < 0.020, f"median reply round trip {median * 1000:.1f} ms"


def test_standalone_prints_url_and_serves():
    process = subprocess.Popen(
        [sys.executable, "-m", "linekit.fake"], stdout=subprocess.PIPE, text=True
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        request = urllib.request.Request(url + "/v2/bot/info", headers=AUTH)
        with LOCAL_OPENER.open(request, timeout=5) as response:
            assert json.loads(response.read())["userId"]
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


# -- the fault suite's controls: latency, down/up, hang ------------------------------------------


def reply_body(token: str) -> dict:
    return {"replyToken": token, "messages": [text("ก")]}


def test_latency_delays_every_message_request_and_nothing_else(fake):
    fake.latency = 0.4
    started = time.monotonic()
    assert call(fake, "POST", "/v2/bot/message/reply", reply_body("t1"))[0] == 200
    assert time.monotonic() - started >= 0.4
    started = time.monotonic()
    assert call(fake, "GET", "/v2/bot/info")[0] == 200
    assert time.monotonic() - started < 0.3


def test_down_refuses_connections_and_up_serves_again_on_the_same_port(fake):
    url = fake.url
    fake.down()
    assert fake.is_down
    with pytest.raises(urllib.error.URLError):
        LOCAL_OPENER.open(url + "/v2/bot/info", timeout=2)
    fake.up()
    assert fake.url == url and not fake.is_down
    assert call(fake, "POST", "/v2/bot/message/reply", reply_body("t2"))[0] == 200


def test_down_drops_requests_on_connections_already_open(fake):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    connection.request("GET", "/v2/bot/info", headers=AUTH)
    assert connection.getresponse().read()  # a kept-alive connection, as the bot's pool has
    fake.down()
    try:
        connection.request("GET", "/v2/bot/info", headers=AUTH)
        with pytest.raises((http.client.HTTPException, OSError)):
            connection.getresponse()
    finally:
        connection.close()
        fake.up()


def test_hang_never_answers_and_takes_nothing_from_a_client_that_went_away(fake):
    fake.fail_next("hang", delay=30, path="/v2/bot/message/reply")
    started = time.monotonic()
    with pytest.raises(OSError):  # a timeout: the client gives up (or dies)
        call(fake, "POST", "/v2/bot/message/reply", reply_body("t3"), timeout=0.5)
    assert fake.wait_until(lambda records: len(records) == 1, timeout=2)
    time.sleep(0.5)
    [hung] = fake.requests
    assert hung.status == 0  # never answered
    # The token was not used: LINE never took that request.
    assert call(fake, "POST", "/v2/bot/message/reply", reply_body("t3"))[0] == 200
    assert time.monotonic() - started < 5
