"""The engine's remembered replies (`bot.engine.ReplyCache`): a question asked again in the
same state is answered from memory, exactly as it was the first time, and never in another
conversation's context."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.answer import Engine
from bot.config import ConfigError, load_config
from bot.engine import ReplyCache
from bot.reply import Block, Reply, State
from tests.webhook_support import payload, post, source, text_event

QUESTIONS = Path(__file__).parent / "questions.yaml"


@pytest.fixture(scope="module")
def cached(index_db):
    return Engine(index_db)


@pytest.fixture(scope="module")
def uncached(index_db):
    return Engine(index_db, answer_cache=0)


def _same(a: Reply, b: Reply) -> None:
    assert a.text == b.text
    assert a.kind == b.kind
    assert a.state == b.state
    assert a.sources == b.sources
    assert a.quick_replies == b.quick_replies


def test_every_evaluated_question_is_answered_the_same_from_memory(cached, uncached):
    cases = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    questions = [case["q"] if isinstance(case, dict) else case for case in cases]
    questions = [q for q in questions if isinstance(q, str)]
    assert len(questions) > 100
    hits = cached.replies.hits
    for question in questions:
        first = cached.answer(question, State())
        again = cached.answer(question, State())
        _same(again, first)
        _same(again, uncached.answer(question, State()))
    assert cached.replies.hits - hits >= len(questions)
    assert uncached.replies.hits == 0 and len(uncached.replies) == 0


def test_the_state_is_part_of_the_question(cached):
    thirteen = cached.answer("วิสัยทัศน์ สพม.13", State())
    other = next(o for o in cached.owners if o != thirteen.state.owner)
    here = cached.answer("พันธกิจ", thirteen.state)
    there = cached.answer("พันธกิจ", State(owner=other))
    fresh = cached.answer("พันธกิจ", State())
    assert here.owner == thirteen.state.owner
    assert there.owner == other
    assert fresh.kind == "which_owner"
    # Asked again, each context still gets its own answer.
    assert cached.answer("พันธกิจ", State(owner=other)).owner == other
    assert cached.answer("พันธกิจ", thirteen.state).owner == thirteen.state.owner
    assert cached.answer("พันธกิจ", State()).kind == "which_owner"


def test_a_remembered_reply_is_a_fresh_copy_each_time(cached):
    first = cached.answer("กลยุทธ์ สพม.13", State())
    first.text = "changed"
    first.blocks.append(Block("9", "added"))
    first.state.items.append("9")
    again = cached.answer("กลยุทธ์ สพม.13", State())
    assert again.text != "changed"
    assert Block("9", "added") not in again.blocks
    assert "9" not in again.state.items


def test_the_least_recently_asked_reply_is_forgotten_first():
    cache = ReplyCache(2)
    reply = Reply(text="a", kind="answer", state=State())
    cache.put(("a", ""), reply)
    cache.put(("b", ""), Reply(text="b", kind="answer", state=State()))
    assert cache.get(("a", "")).text == "a"  # "a" is now the most recent
    cache.put(("c", ""), Reply(text="c", kind="answer", state=State()))
    assert cache.get(("b", "")) is None
    assert cache.get(("a", "")).text == "a" and cache.get(("c", "")).text == "c"
    assert len(cache) == 2
    assert (cache.hits, cache.misses) == (3, 1)


def test_size_zero_remembers_nothing():
    cache = ReplyCache(0)
    cache.put(("a", ""), Reply(text="a", kind="answer", state=State()))
    assert len(cache) == 0 and cache.get(("a", "")) is None


def test_the_setting_is_checked():
    assert load_config({"PLANBOT_ANSWER_CACHE": "0"}, environ={})["PLANBOT_ANSWER_CACHE"] == 0
    assert load_config({}, environ={})["PLANBOT_ANSWER_CACHE"] == 2048
    with pytest.raises(ConfigError, match="PLANBOT_ANSWER_CACHE"):
        load_config({"PLANBOT_ANSWER_CACHE": "-1"}, environ={})
    with pytest.raises(ConfigError, match="PLANBOT_ANSWER_CACHE"):
        load_config({"PLANBOT_ANSWER_CACHE": "many"}, environ={})


def test_metrics_show_the_cache_and_the_setting_reaches_the_engine(make_app, index_db):
    teachers = [source("user", f"U{n:032x}") for n in range(3)]
    on = make_app(PLANBOT_DB=str(index_db)).test_client()
    for teacher in teachers:  # three teachers' first question: the same words, the same state
        post(on, payload(text_event("วิสัยทัศน์ สพม.13", teacher)))
    figures = on.get("/metrics").get_json()["answer_cache"]
    assert figures["size"] == 2048
    assert figures["hits"] == 2 and figures["entries"] == 1
    off = make_app(PLANBOT_DB=str(index_db), PLANBOT_ANSWER_CACHE=0).test_client()
    for teacher in teachers:
        post(off, payload(text_event("วิสัยทัศน์ สพม.13", teacher)))
    figures = off.get("/metrics").get_json()["answer_cache"]
    assert figures == {"size": 0, "entries": 0, "hits": 0, "misses": 0}
