"""Two hosts, one conversation (issue 15 item 3), short form; the benchmark runs it under load.

Two web processes, each the Procfile's web line on its own port, share one real Redis
(`tests.redis_support`) and one index file, and answer through one fake LINE platform. One
teacher's turns go to the hosts in turn, as a load balancer sends them; every event is also
redelivered to the other host at the same moment (LINE redelivers when it doubts a delivery);
then one host is killed and the next turn, refused by the dead host, is redelivered to the live
one. Every turn must be answered exactly once, with the conversation's context.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.compare import CONVERSATION, answers_to, at_once, deliver, redelivery, shown_text
from bench.load import WebHost
from linekit import events
from linekit.fake import REPLY_PATH
from tests.webhook_support import BOT_USER_ID, SECRET, TOKEN, USER_ID

pytest_plugins = ["tests.redis_support"]

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


def the_one_answer(fake_line, token: str):
    """The reply to `token`, which must be the only one."""
    answered = answers_to(fake_line, token, REPLY_TIMEOUT, SETTLE)
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
            zip(CONVERSATION, plan, strict=True), start=1):
        event = turn_event(question)
        body = events.webhook_body([event], BOT_USER_ID)
        again = events.webhook_body([redelivery(event)], BOT_USER_ID)
        if number == len(CONVERSATION):
            # The host this turn goes to dies mid-conversation: LINE's delivery is refused,
            # and LINE redelivers it, which the load balancer sends to the live host.
            first.kill()
            assert deliver(first.url, body, SECRET) == 0
            assert deliver(other.url, again, SECRET) == 200
        else:
            assert at_once((first.url, body), (other.url, again), secret=SECRET) == [200, 200]
        reply = the_one_answer(fake_line, event["replyToken"])
        text = shown_text(reply)
        assert expected in text, f"turn {number} ({question}): {text[:300]}"
        if unexpected:
            assert unexpected not in text, f"turn {number} ({question}) lost its context"
    assert len(fake_line.requests_for(REPLY_PATH)) == len(CONVERSATION)
    assert b.health()["status"] == "ok"
