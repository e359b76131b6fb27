"""bot.runtime: events journaled before the 200, answered from the journal with a lease,
taken up again when their worker died; loading animations; context per group member.

Two apps over one state database stand in for two gunicorn workers (the fault suite,
tests/test_faults.py, does it with real processes and kill -9).
"""

from __future__ import annotations

import json
import threading
import time

import pytest

from bot.state import DONE, PENDING
from linekit.fake import REPLY_PATH
from tests.webhook_support import (
    GROUP_ID,
    OTHER_USER_ID,
    USER_ID,
    FakeEngine,
    done_entry,
    mention_of,
    payload,
    post,
    runtime_of,
    source,
    text_event,
)

LOADING_PATH = "/v2/bot/chat/loading/start"
DEAD = "another-host:4242"  # a worker that took an event and then died

pytestmark = pytest.mark.usefixtures("clean_environment")


def journal_as_a_dead_worker(app, raw: dict, lease: float = 60.0) -> str:
    """Journal `raw` as /callback does, and lease it to a worker that then dies."""
    runtime = runtime_of(app)
    event_id, _ = runtime._journal(raw, None, time.time())
    assert runtime.store.journal_take(DEAD, lease, event_id=event_id) is not None
    return event_id


def test_an_event_is_journaled_before_the_200_and_done_once_line_accepted_it(
    make_app, fake_line
):
    app = make_app(ENGINE=FakeEngine())
    sent = text_event("วิสัยทัศน์")
    assert post(app.test_client(), payload(sent)).status_code == 200
    fake_line.wait_for(1, path=REPLY_PATH)
    entry = done_entry(app, sent["webhookEventId"])
    assert entry.status == DONE and entry.outcome == "sent" and entry.payload is None


def test_the_webhook_journals_and_leases_an_event_in_one_write(make_app, fake_line):
    """No separate take: the event is leased to the process that journaled it, as it is
    journaled, and answered under that lease (its first and only attempt)."""
    app = make_app(ENGINE=FakeEngine())
    store = runtime_of(app).store
    takes = []
    take = store.journal_take
    store.journal_take = lambda *args, **kwargs: takes.append(kwargs) or take(*args, **kwargs)
    sent = text_event("วิสัยทัศน์")
    assert post(app.test_client(), payload(sent)).status_code == 200
    fake_line.wait_for(1, path=REPLY_PATH)
    entry = done_entry(app, sent["webhookEventId"])
    assert entry.status == DONE and entry.outcome == "sent" and entry.attempts == 1
    assert [t for t in takes if t.get("event_id")] == []


def test_a_refused_reply_is_done_as_refused(make_app, fake_line):
    app = make_app(ENGINE=FakeEngine())
    fake_line.fail_next("invalid_reply_token")
    sent = text_event("วิสัยทัศน์")
    post(app.test_client(), payload(sent))
    entry = done_entry(app, sent["webhookEventId"])
    assert entry.status == DONE and entry.outcome == "refused"


def test_callback_answers_at_once_whatever_line_and_the_engine_do(make_app, fake_line):
    """PLANBOT_REPLY_WAIT's default, 0: the 200 does not wait for the engine or LINE. The
    request thread answers after its response is written (here: when the test client's
    response is closed); a slow LINE sends the next events to the pool."""
    engine = FakeEngine()
    app = make_app(ENGINE=engine, PLANBOT_REPLY_WAIT=0)
    fake_line.fail_next("slow", delay=2.0)
    client = app.test_client()
    timings, closings = [], []
    for n in range(5):
        started = time.monotonic()
        response = post(client, payload(text_event(f"คำถาม {n}")), close=False)
        assert response.status_code == 200
        timings.append(time.monotonic() - started)
        started = time.monotonic()
        response.close()  # the request thread's answer: the first meets the slow LINE
        closings.append(time.monotonic() - started)
    assert max(timings) < 0.3, timings
    assert closings[0] > 1.5, closings
    assert max(closings[1:]) < 0.3, closings  # LINE was slow: the pool answers the rest
    assert len(fake_line.wait_for(5, path=REPLY_PATH, timeout=10)) == 5
    deadline = time.monotonic() + 5  # counted just after LINE took each reply
    while runtime_of(app).counts.snapshot().get("sent", 0) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    counts = runtime_of(app).counts.snapshot()
    assert counts["inline"] == 1 and counts["sent"] == 5


def test_an_event_released_by_its_dead_worker_is_answered_by_another(make_app, fake_line):
    dying, other = make_app(ENGINE=FakeEngine()), make_app(ENGINE=FakeEngine())
    sent = text_event("พันธกิจ")
    event_id = journal_as_a_dead_worker(dying, sent)
    # gunicorn's master calls child_exit: bot.gunicorn_conf releases the dead worker's leases.
    assert runtime_of(dying).store.journal_release(DEAD) == 1
    runtime_of(other).start()  # the new worker's sweeper
    [reply] = fake_line.wait_for(1, path=REPLY_PATH, timeout=10)
    assert reply.reply_token == sent["replyToken"]
    assert reply.messages[0]["text"] == "คำตอบ (answer): พันธกิจ"
    entry = done_entry(other, event_id)
    assert entry.status == DONE and entry.outcome == "sent" and entry.attempts == 2
    assert runtime_of(other).counts.snapshot()["recovered"] == 1


def test_an_event_whose_lease_ran_out_is_answered_by_another(make_app, fake_line):
    """The backstop when no supervisor saw the worker die (a whole host gone)."""
    dying, other = make_app(ENGINE=FakeEngine()), make_app(ENGINE=FakeEngine())
    sent = text_event("เป้าประสงค์")
    journal_as_a_dead_worker(dying, sent, lease=0.5)
    runtime_of(other).start()
    [reply] = fake_line.wait_for(1, path=REPLY_PATH, timeout=15)
    assert reply.reply_token == sent["replyToken"]


def test_a_whole_host_dying_with_an_event_loses_it_to_another_within_seconds(
    make_app, fake_line
):
    """No supervisor frees a dead host's leases: they must be short enough that another host
    answers while LINE's reply token (about a minute) still works."""
    dying, other = make_app(ENGINE=FakeEngine()), make_app(ENGINE=FakeEngine())
    sent = text_event("กลยุทธ์")
    started = time.monotonic()
    journal_as_a_dead_worker(dying, sent, lease=runtime_of(dying).lease_seconds)
    runtime_of(other).start()
    [reply] = fake_line.wait_for(1, path=REPLY_PATH, timeout=20)
    assert reply.reply_token == sent["replyToken"]
    assert time.monotonic() - started < 20


def test_a_live_worker_answering_slowly_keeps_its_lease_and_answers_once(
    make_app, fake_line, monkeypatch
):
    """The heartbeat: leases are short, so a worker still answering (a slow LINE) renews
    its own; another worker's sweeper must not take the event and answer it again."""
    monkeypatch.setattr("bot.runtime.LEASE_SECONDS", 1.0)
    monkeypatch.setattr("bot.runtime.SWEEP_GRACE", 0.5)  # without renewal: taken at ~1.5 s
    first = make_app(ENGINE=FakeEngine(), PLANBOT_LINE_TIMEOUT=10)
    second = make_app(ENGINE=FakeEngine(), PLANBOT_LINE_TIMEOUT=10)
    runtime_of(second).start()
    fake_line.fail_next("slow", times=1, delay=4.0)
    sent = text_event("พันธกิจ")
    assert post(first.test_client(), payload(sent)).status_code == 200
    entry = done_entry(first, sent["webhookEventId"], timeout=15)
    assert (entry.status, entry.attempts) == (DONE, 1)
    time.sleep(0.5)  # room for a second, wrong answer to arrive
    assert [r.reply_token for r in fake_line.replies()] == [sent["replyToken"]]
    assert "recovered" not in runtime_of(second).counts.snapshot()


def test_a_redelivery_of_an_event_not_yet_answered_is_answered_with_its_token(
    make_app, fake_line
):
    dying, other = make_app(ENGINE=FakeEngine()), make_app(ENGINE=FakeEngine())
    sent = text_event("วิสัยทัศน์")
    journal_as_a_dead_worker(dying, sent)
    runtime_of(dying).store.journal_release(DEAD)
    again = dict(sent, replyToken="redelivered" + "0" * 21,
                 deliveryContext={"isRedelivery": True})
    assert post(other.test_client(), payload(again)).status_code == 200
    [reply] = fake_line.wait_for(1, path=REPLY_PATH)
    assert reply.reply_token == again["replyToken"]
    time.sleep(0.2)
    assert len(fake_line.replies()) == 1
    assert runtime_of(other).counts.snapshot()["redeliveries"] == 1


def test_a_redelivery_while_its_first_delivery_is_being_answered_is_not_answered_twice(
    make_app, fake_line
):
    engine = FakeEngine()
    gate = threading.Event()
    answer = engine.answer
    engine.answer = lambda question, state=None: (gate.wait(10), answer(question, state))[1]
    first, second = make_app(ENGINE=engine, PLANBOT_REPLY_WAIT=0), make_app(ENGINE=engine)
    sent = text_event("วิสัยทัศน์")
    response = post(first.test_client(), payload(sent), close=False)
    # The request's thread answers once its response is written and closed (a server's).
    request_thread = threading.Thread(target=response.close)
    request_thread.start()
    deadline = time.monotonic() + 5
    while runtime_of(first).store.journal_get(sent["webhookEventId"]).worker is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)  # polling for the lease to be taken, not an assertion
    post(second.test_client(), payload(dict(sent, deliveryContext={"isRedelivery": True})))
    assert runtime_of(second).store.journal_get(sent["webhookEventId"]).status == PENDING
    gate.set()
    fake_line.wait_for(1, path=REPLY_PATH)
    request_thread.join(timeout=10)
    runtime_of(first).close()
    assert len(fake_line.replies()) == 1
    assert engine.questions() == ["วิสัยทัศน์"]
    assert runtime_of(first).counts.snapshot()["inline"] == 1


def test_the_journal_holds_no_line_id_or_message_in_clear(make_app, tmp_path):
    app = make_app(ENGINE=FakeEngine())
    sent = text_event("คำถามส่วนตัวของครู", source("group", USER_ID))
    journal_as_a_dead_worker(app, sent)
    runtime = runtime_of(app)
    entry = runtime.store.journal_get(sent["webhookEventId"])
    assert json.loads(runtime._unseal(entry.payload))["event"] == sent
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("state.db*"))
    for private in (USER_ID, GROUP_ID, "คำถามส่วนตัว", sent["replyToken"]):
        assert private.encode() not in raw


# -- the loading animation ---------------------------------------------------------------------


class SlowEngine(FakeEngine):
    def __init__(self, seconds: float):
        super().__init__()
        self.seconds = seconds

    def answer(self, question, state=None):
        time.sleep(self.seconds)
        return super().answer(question, state)


def test_a_slow_answer_in_a_one_to_one_chat_shows_the_loading_animation_first(
    make_app, fake_line
):
    app = make_app(ENGINE=SlowEngine(1.8))
    post(app.test_client(), payload(text_event("วิสัยทัศน์")))
    fake_line.wait_for(1, path=REPLY_PATH, timeout=10)
    loading, reply = fake_line.requests
    assert loading.path == LOADING_PATH and loading.status == 202
    assert loading.json == {"chatId": USER_ID, "loadingSeconds": 20}
    assert 0.8 <= loading.received_at - (reply.received_at - 1.8) <= 1.6
    assert reply.path == REPLY_PATH


def test_a_quick_answer_shows_no_loading_animation(make_app, fake_line):
    app = make_app(ENGINE=SlowEngine(0.1))
    post(app.test_client(), payload(text_event("วิสัยทัศน์")))
    fake_line.wait_for(1, path=REPLY_PATH)
    time.sleep(1.2)
    assert [r.path for r in fake_line.requests] == [REPLY_PATH]


def test_no_loading_animation_in_groups(make_app, fake_line):
    app = make_app(ENGINE=SlowEngine(1.5))
    text = "@planbot วิสัยทัศน์"
    post(app.test_client(),
         payload(text_event(text, source("group"), mention=mention_of(text, "planbot"))))
    fake_line.wait_for(1, path=REPLY_PATH, timeout=10)
    assert [r.path for r in fake_line.requests] == [REPLY_PATH]


def test_the_loading_watchdog_is_woken_only_by_a_new_earliest_turn():
    """It sleeps until the earliest due time at most; waking it for every event cost a
    thread switch per event."""
    from bot.runtime import Turn, _LoadingWatchdog

    class Sender:
        def show_loading(self, chat_id):
            return 202

    class Runtime:
        sender = Sender()

    watchdog = _LoadingWatchdog(Runtime())
    wakes = []
    notify = watchdog._cond.notify
    watchdog._cond.notify = lambda *args: (wakes.append(1), notify(*args))
    now = time.time()
    turns = [Turn(None, None, "user", USER_ID, USER_ID, received=now + n * 0.01) for n in range(10)]
    for turn in turns:
        watchdog.watch(turn)
    assert len(wakes) == 1  # the first: the thread had nothing to wait for
    watchdog.watch(Turn(None, None, "user", USER_ID, USER_ID, received=now - 1))
    assert len(wakes) == 2  # due before every other one: the thread must wake for it


# -- context per group member ------------------------------------------------------------------


def ask_in_group(client, fake_line, user: str, text: str):
    said = f"@planbot {text}"
    before = len(fake_line.replies())
    post(client, payload(text_event(said, source("group", user),
                                    mention=mention_of(said, "planbot"))))
    return fake_line.wait_for(before + 1, path=REPLY_PATH, timeout=20)[-1]


def test_each_member_of_a_group_goes_on_from_their_own_question(make_app, fake_line):
    engine = FakeEngine()
    client = make_app(ENGINE=engine).test_client()
    ask_in_group(client, fake_line, USER_ID, "ก1")
    ask_in_group(client, fake_line, OTHER_USER_ID, "ข1")  # no state of their own: the group's
    ask_in_group(client, fake_line, USER_ID, "ก2")
    assert [call[2].items for call in engine.calls] == [[], ["ก1"], ["ก1"]]


def test_one_teachers_follow_up_uses_their_own_office(app, fake_line):
    """Two teachers in one group ask about two offices; each "and the mission?" follows
    their own (494c21c answered with whichever office was asked last)."""
    client = app.test_client()
    ask_in_group(client, fake_line, USER_ID, "วิสัยทัศน์ สพม.13")
    ask_in_group(client, fake_line, OTHER_USER_ID, "วิสัยทัศน์ สพป.ลำปาง เขต 1")
    mission = json.dumps(ask_in_group(client, fake_line, USER_ID, "แล้วพันธกิจล่ะ").messages,
                         ensure_ascii=False)
    assert "ส่งเสริม สนับสนุนให้โรงเรียนจัดการศึกษาอย่างมีคุณภาพ" in mission


def _gated(engine: FakeEngine, gate: threading.Event, started: list) -> FakeEngine:
    """`engine` answering a question starting with "รอ" only once `gate` is set."""
    answer = engine.answer

    def gated(question, state=None):
        if question.startswith("รอ"):
            started.append(question)
            gate.wait(10)
        return answer(question, state)

    engine.answer = gated
    return engine


def _counting_done_writes(app) -> list:
    """Every `journal_done_many` call of the app's store: the marks written together."""
    store, writes = runtime_of(app).store, []
    write = store.journal_done_many
    store.journal_done_many = lambda marks: writes.append(list(marks)) or write(marks)
    return writes


def test_events_finishing_together_are_marked_done_in_one_write(make_app, fake_line,
                                                                  monkeypatch):
    """The last event out writes the done marks of those that finished beside it."""
    monkeypatch.setattr("bot.runtime.DONE_WAIT", 30.0)
    monkeypatch.setattr("bot.runtime.SWEEP_INTERVAL", 30.0)  # no backstop write meanwhile
    gate, started = threading.Event(), []
    app = make_app(ENGINE=_gated(FakeEngine(), gate, started), PLANBOT_REPLY_WAIT=0,
                   PLANBOT_INLINE=0)  # the pool answers: the test thread is free
    writes = _counting_done_writes(app)
    sent = [text_event(f"รอ {n}", source("user", f"U{n:032x}")) for n in range(4)]
    for raw in sent:
        assert post(app.test_client(), payload(raw)).status_code == 200
    deadline = time.monotonic() + 5
    while len(started) < 4:
        assert time.monotonic() < deadline, started
        time.sleep(0.02)  # polling for the four to be in hand, not an assertion
    gate.set()
    fake_line.wait_for(4, path=REPLY_PATH)
    entries = [done_entry(app, raw["webhookEventId"]) for raw in sent]
    assert [e.status for e in entries] == [DONE] * 4
    assert len(writes) < 4 and sum(len(marks) for marks in writes) == 4, (writes, runtime_of(app).counts.snapshot())


def test_a_lone_event_is_marked_done_at_once(make_app, fake_line, monkeypatch):
    monkeypatch.setattr("bot.runtime.DONE_WAIT", 30.0)
    monkeypatch.setattr("bot.runtime.SWEEP_INTERVAL", 30.0)
    app = make_app(ENGINE=FakeEngine())
    sent = text_event("วิสัยทัศน์")
    assert post(app.test_client(), payload(sent)).status_code == 200
    entry = runtime_of(app).store.journal_get(sent["webhookEventId"])
    assert (entry.status, entry.outcome) == (DONE, "sent")  # PLANBOT_REPLY_WAIT waited for it


def test_a_mark_left_waiting_beside_a_slow_event_is_written_by_the_sweeper(
    make_app, fake_line, monkeypatch
):
    monkeypatch.setattr("bot.runtime.DONE_WAIT", 30.0)
    monkeypatch.setattr("bot.runtime.SWEEP_INTERVAL", 0.2)
    gate, started = threading.Event(), []
    app = make_app(ENGINE=_gated(FakeEngine(), gate, started), PLANBOT_REPLY_WAIT=0,
                   PLANBOT_INLINE=0)  # the pool answers: the test thread is free
    slow, quick = text_event("รอ นาน"), text_event("วิสัยทัศน์", source("user", "U" + "9" * 32))
    try:
        post(app.test_client(), payload(slow))
        deadline = time.monotonic() + 5
        while not started:
            assert time.monotonic() < deadline
            time.sleep(0.02)  # polling for the slow one to be in hand, not an assertion
        post(app.test_client(), payload(quick))
        fake_line.wait_for(1, path=REPLY_PATH)
        entry = done_entry(app, quick["webhookEventId"], timeout=3)
        assert (entry.status, entry.outcome) == (DONE, "sent")
        assert runtime_of(app).store.journal_get(slow["webhookEventId"]).status == PENDING
    finally:
        gate.set()


def test_the_messages_counted_when_journaled_are_those_the_handlers_count():
    """A one-to-one message is counted by its journal add (`_rate_count`) only when its
    handler would count it (text and MEDIA_CONTENT): the raw types match the SDK's classes."""
    from linebot.v3.webhooks import MessageContent, TextMessageContent

    from bot.runtime import MEDIA_CONTENT, RATE_COUNTED_MESSAGES

    by_type = MessageContent._MessageContent__discriminator_value_class_map  # the SDK's own
    handled = {cls.__name__ for cls in (TextMessageContent, *MEDIA_CONTENT)}
    assert {kind for kind, name in by_type.items() if name in handled} == RATE_COUNTED_MESSAGES
