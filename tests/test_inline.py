"""Events answered in the request's own thread once its 200 is written (bot.runtime, issue 15):
through a real WSGI server, the handing back of a reply LINE did not take, the cap, and the
pause after LINE was slow."""

from __future__ import annotations

import threading
import time
import urllib.request

import pytest
from werkzeug.serving import make_server

from bot.state import DONE
from linekit.fake import LOCAL_OPENER, REPLY_PATH
from tests.webhook_support import (
    FakeEngine,
    done_entry,
    payload,
    post,
    runtime_of,
    sign,
    source,
    text_event,
)

pytestmark = pytest.mark.usefixtures("clean_environment")


def counts_of(app, name: str, at_least: int, timeout: float = 5.0) -> int:
    """The count `name` once it reaches `at_least` (counted just after the work it counts)."""
    deadline = time.monotonic() + timeout
    while runtime_of(app).counts.snapshot().get(name, 0) < at_least:
        if time.monotonic() > deadline:
            break
        time.sleep(0.01)  # polling for another thread, not an assertion
    return runtime_of(app).counts.snapshot().get(name, 0)


def teacher(n: int) -> dict:
    return source("user", f"U{n:032x}")


def test_a_real_server_writes_the_200_first_then_its_thread_answers(make_app, fake_line):
    """Werkzeug's threaded server, as gunicorn, closes the response after writing it: the
    client has its 200 while LINE is still being slow about the reply."""
    app = make_app(ENGINE=FakeEngine(), PLANBOT_REPLY_WAIT=0)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        fake_line.fail_next("slow", delay=1.5)
        body = payload(text_event("วิสัยทัศน์"))
        request = urllib.request.Request(
            f"http://127.0.0.1:{server.server_port}/callback", data=body, method="POST",
            headers={"Content-Type": "application/json", "X-Line-Signature": sign(body)})
        started = time.monotonic()
        with LOCAL_OPENER.open(request, timeout=10) as response:
            assert response.status == 200 and response.read() == b"OK"
        assert time.monotonic() - started < 1.0
        # LINE is still sitting on the reply: not sent yet, or received and not answered (the
        # fake records a request as it arrives; on a busy machine it may have arrived already)
        assert [r.status for r in fake_line.replies()] in ([], [0])
        assert len(fake_line.wait_for(1, path=REPLY_PATH, timeout=10)) == 1
        assert counts_of(app, "sent", 1) == 1
        assert runtime_of(app).counts.snapshot()["inline"] == 1
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_a_reply_line_did_not_take_is_retried_by_the_pool_and_done_once(make_app, fake_line):
    app = make_app(ENGINE=FakeEngine(), PLANBOT_REPLY_WAIT=0)
    fake_line.fail_next("500")
    sent = text_event("วิสัยทัศน์")
    started = time.monotonic()
    post(app.test_client(), payload(sent))  # closed: the request thread tries once
    assert time.monotonic() - started < 1.0  # no backoff in the request thread
    entry = done_entry(app, sent["webhookEventId"])
    assert entry.status == DONE and entry.outcome == "sent"
    assert [r.status for r in fake_line.replies()] == [500, 200]  # tried once, retried once
    counts = runtime_of(app).counts.snapshot()
    assert counts["inline"] == 1 and counts["handed_to_pool"] == 1
    assert counts_of(app, "sent", 1) == 1
    # LINE failed: the next event goes straight to the pool.
    post(app.test_client(), payload(text_event("พันธกิจ", teacher(2))))
    assert len(fake_line.wait_for(3, path=REPLY_PATH, timeout=10)) == 3
    assert runtime_of(app).counts.snapshot()["inline"] == 1


def test_a_refused_reply_is_done_as_refused_in_the_request_thread(make_app, fake_line):
    app = make_app(ENGINE=FakeEngine(), PLANBOT_REPLY_WAIT=0)
    fake_line.fail_next("invalid_reply_token")
    sent = text_event("วิสัยทัศน์")
    post(app.test_client(), payload(sent))
    entry = done_entry(app, sent["webhookEventId"])
    assert entry.outcome == "refused"
    counts = runtime_of(app).counts.snapshot()
    assert counts["inline"] == 1 and "handed_to_pool" not in counts


def test_no_more_than_planbot_inline_request_threads_answer(make_app, fake_line):
    engine = FakeEngine()
    gate = threading.Event()
    answer = engine.answer
    engine.answer = lambda question, state=None: (gate.wait(10), answer(question, state))[1]
    app = make_app(ENGINE=engine, PLANBOT_REPLY_WAIT=0, PLANBOT_INLINE=2)
    client = app.test_client()
    responses = [post(client, payload(text_event(f"คำถาม {n}", teacher(n))), close=False)
                 for n in range(4)]
    closers = [threading.Thread(target=r.close) for r in responses]  # four request threads
    for closer in closers:
        closer.start()
    time.sleep(0.3)
    assert runtime_of(app)._inline == 2  # two answering; the other two went to the pool
    gate.set()
    for closer in closers:
        closer.join(timeout=10)
    assert len(fake_line.wait_for(4, path=REPLY_PATH, timeout=10)) == 4
    assert runtime_of(app).counts.snapshot()["inline"] == 2
    assert runtime_of(app)._inline == 0


def test_planbot_inline_0_sends_everything_to_the_pool(make_app, fake_line):
    app = make_app(ENGINE=FakeEngine(), PLANBOT_REPLY_WAIT=0, PLANBOT_INLINE=0)
    post(app.test_client(), payload(text_event("วิสัยทัศน์")))
    assert len(fake_line.wait_for(1, path=REPLY_PATH, timeout=10)) == 1
    assert counts_of(app, "sent", 1) == 1
    assert "inline" not in runtime_of(app).counts.snapshot()


def test_a_slow_reply_pauses_answering_in_request_threads(make_app, fake_line, monkeypatch):
    from bot import runtime

    monkeypatch.setattr(runtime, "INLINE_SLOW", 0.2)
    app = make_app(ENGINE=FakeEngine(), PLANBOT_REPLY_WAIT=0)
    fake_line.fail_next("slow", delay=0.5)
    post(app.test_client(), payload(text_event("วิสัยทัศน์")))  # slow, but taken
    post(app.test_client(), payload(text_event("พันธกิจ", teacher(2))))
    assert len(fake_line.wait_for(2, path=REPLY_PATH, timeout=10)) == 2
    counts = runtime_of(app).counts
    assert counts_of(app, "sent", 2) == 2
    assert counts.snapshot()["inline"] == 1 and "handed_to_pool" not in counts.snapshot()


@pytest.mark.parametrize(("first", "unsure"), [("500", True), ("429", False)])
def test_a_refusal_after_a_handed_over_try_says_whether_it_may_have_arrived(
        make_app, fake_line, caplog, first, unsure):
    """The request thread's try failed and the pool's retry is refused as a used token. After
    a 5xx (LINE may have delivered it) the log says the answer may have arrived, as a sender's
    own retries would; a 429 was not taken by LINE, so the refusal is a plain one."""
    app = make_app(ENGINE=FakeEngine(), PLANBOT_REPLY_WAIT=0)
    fake_line.fail_next(first)
    fake_line.fail_next("invalid_reply_token")
    sent = text_event("วิสัยทัศน์")
    with caplog.at_level("WARNING", logger="bot.webhook"):
        post(app.test_client(), payload(sent))
        assert done_entry(app, sent["webhookEventId"]).outcome == "refused"
    assert [r.status for r in fake_line.replies()] == [int(first), 400]
    said = any("may have been delivered" in r.getMessage() for r in caplog.records)
    assert said is unsure


def test_under_gunicorn_all_request_threads_but_one_answer_unless_planbot_inline_is_set(
    make_app, fake_line
):
    """gunicorn's post_worker_init fits the limit to the worker's threads; a chosen
    PLANBOT_INLINE stays."""
    from types import SimpleNamespace

    from bot import gunicorn_conf

    unchosen, chosen = make_app(ENGINE=FakeEngine()), make_app(ENGINE=FakeEngine())
    chosen.config["PLANBOT_INLINE_SET"] = True  # as load_config marks PLANBOT_INLINE=4
    for app in (unchosen, chosen):
        assert runtime_of(app).inline_limit == 4  # the default outside gunicorn
        gunicorn_conf.post_worker_init(SimpleNamespace(wsgi=app, cfg=SimpleNamespace(threads=8)))
    assert runtime_of(unchosen).inline_limit == 7
    assert runtime_of(chosen).inline_limit == 4
    assert unchosen.test_client().get("/metrics").get_json()["inline_limit"] == 7
    gunicorn_conf.post_worker_init(SimpleNamespace(wsgi=unchosen, cfg=SimpleNamespace(threads=1)))
    assert runtime_of(unchosen).inline_limit == 0  # a single thread keeps itself free
