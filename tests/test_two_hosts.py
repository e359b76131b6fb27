"""Two hosts, one conversation (issue 15 item 3), short form; the benchmark runs it under load.

Two web processes, each the Procfile's web line on its own port, share one real Redis
(`tests.redis_support`) and one index file, and answer through one fake LINE platform. One
teacher's turns go to the hosts in turn, as a load balancer sends them; every event is also
redelivered to the other host at the same moment (LINE redelivers when it doubts a delivery);
then one host is killed and the next turn, refused by the dead host, is redelivered to the live
one. Every turn must be answered exactly once, with the conversation's context.
"""

from __future__ import annotations

import copy
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.load import WebHost
from linekit import events
from linekit.fake import LOCAL_OPENER, REPLY_PATH
from linekit.signing import signed_headers
from tests.webhook_support import BOT_USER_ID, SECRET, TOKEN, USER_ID

pytest_plugins = ["tests.redis_support"]

#: (question, text the answer must quote, text it must not): the follow-ups only make sense
#: with the first turn's office and the second turn's section.
TURNS = [
    ("วิสัยทัศน์ สพม.13", "เป็นผู้นำในการพัฒนาคุณภาพการศึกษาสู่ความเป็นเลิศ", None),
    ("แล้วพันธกิจล่ะ", "ส่งเสริม สนับสนุนให้โรงเรียนจัดการศึกษาอย่างมีคุณภาพ",
     "เป็นผู้นำในการพัฒนาคุณภาพการศึกษาสู่ความเป็นเลิศ"),
    ("ข้อ 2", "นักเรียนมีความรู้ มีคุณธรรม มีจริยธรรม และเป็นคนดีของสังคม",
     "ระบบบริหารจัดการศึกษาแบบการมีส่วนร่วมจากภาคีเครือข่าย"),
]
REPLY_TIMEOUT = 20.0
SETTLE = 1.0  # seconds to let a second (wrong) answer arrive before counting


@pytest.fixture
def two_hosts(redis_url, index_db, fake_line, tmp_path):
    """Two hosts on one Redis and one index file, one gunicorn worker each (a fast start)."""
    env = {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
           "LINE_API_HOST": fake_line.url, "PLANBOT_DB": str(index_db),
           "PLANBOT_STATE_URL": redis_url, "WEB_CONCURRENCY": "1"}
    hosts = [WebHost(env, tmp_path, f"host-{name}") for name in "ab"]
    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda host: host.start(timeout=120), hosts))
        yield hosts
    finally:
        for host in hosts:
            host.stop()


def deliver(host: WebHost, body: bytes) -> int:
    """POST a signed webhook body to `host`, as LINE does; the status, or 0 if unreachable."""
    request = urllib.request.Request(host.url + "/callback", data=body, method="POST",
                                     headers=signed_headers(body, SECRET))
    try:
        with LOCAL_OPENER.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def redelivery(event: dict) -> dict:
    """The same event as LINE redelivers it: same webhookEventId, isRedelivery true."""
    again = copy.deepcopy(event)
    again["deliveryContext"]["isRedelivery"] = True
    return again


def both_at_once(first: tuple[WebHost, bytes], second: tuple[WebHost, bytes]) -> list[int]:
    """Deliver two bodies to two hosts at the same moment; their statuses."""
    gate = threading.Barrier(2)

    def go(pair):
        gate.wait()
        return deliver(*pair)

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(go, [first, second]))


def replies_to(fake_line, token: str) -> list:
    return [r for r in fake_line.requests_for(REPLY_PATH) if r.reply_token == token]


def shown_text(record) -> str:
    return "\n".join(m.get("text") or m.get("altText") or "" for m in record.messages)


def wait_for_reply(fake_line, token: str):
    """The one reply to `token`, after a settle time in which a second one could arrive."""
    assert fake_line.wait_until(lambda _: replies_to(fake_line, token), timeout=REPLY_TIMEOUT), \
        "no reply within the timeout"
    fake_line.wait_until(lambda _: len(replies_to(fake_line, token)) > 1, timeout=SETTLE)
    answered = replies_to(fake_line, token)
    assert len(answered) == 1, f"answered {len(answered)} times"
    return answered[0]


def turn_event(text: str) -> dict:
    return events.event("message", events.source("user", USER_ID), events.new_reply_token(),
                        message=events.text_message(text))


@pytest.mark.slow
def test_one_conversation_across_two_hosts_with_redeliveries_and_a_host_killed(
        two_hosts, fake_line):
    a, b = two_hosts
    assert a.health()["index"]["sha256"] == b.health()["index"]["sha256"]
    plan = [(a, b), (b, a), (a, b)]  # who LINE delivers each turn to, and who gets the redelivery
    for number, ((question, expected, unexpected), (first, other)) in enumerate(
            zip(TURNS, plan, strict=True), start=1):
        event = turn_event(question)
        body = events.webhook_body([event], BOT_USER_ID)
        again = events.webhook_body([redelivery(event)], BOT_USER_ID)
        if number == len(TURNS):
            # The host this turn goes to dies mid-conversation: LINE's delivery is refused,
            # and LINE redelivers it, which the load balancer sends to the live host.
            first.kill()
            assert deliver(first, body) == 0
            assert deliver(other, again) == 200
        else:
            assert both_at_once((first, body), (other, again)) == [200, 200]
        reply = wait_for_reply(fake_line, event["replyToken"])
        text = shown_text(reply)
        assert expected in text, f"turn {number} ({question}): {text[:300]}"
        if unexpected:
            assert unexpected not in text, f"turn {number} ({question}) lost its context"
    assert len(fake_line.requests_for(REPLY_PATH)) == len(TURNS)
    assert b.health()["status"] == "ok"
