"""bot.events: a plain one-to-one text event is built without re-validating, and equals what
line-bot-sdk's `Event.from_dict` makes of it; every other shape is the SDK's to judge."""

from __future__ import annotations

import copy
import json

import pytest
from linebot.v3.webhooks import Event

from bot.events import parse_event, plain_text_event
from linekit import events
from tests.conftest import SHARED

SAMPLES = SHARED / "line-samples"


def text_event(text: str = "วิสัยทัศน์ สพม.13", **fields) -> dict:
    raw = events.event("message", events.source("user", "U" + "4" * 32), "r" * 32,
                       message=events.text_message(text))
    raw.update(fields)
    return raw


def same_model(ours, sdk) -> None:
    """Equal models, class for class, down to the nested ones, and the same JSON."""
    assert type(ours) is type(sdk)
    assert ours == sdk
    for name in ("source", "message", "delivery_context"):
        assert type(getattr(ours, name)) is type(getattr(sdk, name))
    assert ours.to_dict() == sdk.to_dict()
    assert ours.mode == sdk.mode and type(ours.mode) is type(sdk.mode)


def sample_events() -> list[dict]:
    found = []
    for path in sorted(SAMPLES.rglob("*.json")) if SAMPLES.is_dir() else []:
        data = json.loads(path.read_text(encoding="utf-8"))
        found += [raw for raw in data.get("events", []) if isinstance(raw, dict)]
    return found


@pytest.mark.parametrize("raw", [
    text_event(),
    text_event("ข้อ 2", replyToken="x" * 32, mode="standby"),
    text_event("😀 \ud800 odd", deliveryContext={"isRedelivery": True}),
    {key: value for key, value in text_event().items() if key != "replyToken"},
    dict(text_event(), message=dict(text_event()["message"], markAsReadToken="m" * 20)),
], ids=["plain", "standby", "redelivery-odd-text", "no-reply-token", "mark-as-read"])
def test_a_plain_text_event_is_the_sdks_model(raw):
    ours = plain_text_event(copy.deepcopy(raw))
    assert ours is not None
    same_model(ours, Event.from_dict(raw))


def test_lines_own_sample_text_events_are_the_sdks_models():
    """Every sample the fast path takes is equal to the SDK's model; the rest go to the SDK."""
    taken = 0
    for raw in sample_events():
        ours = plain_text_event(copy.deepcopy(raw))
        if ours is None:
            continue
        taken += 1
        same_model(ours, Event.from_dict(raw))
    if SAMPLES.is_dir():
        assert taken >= 2  # the v3 samples' two one-to-one texts (older ones lack quoteToken)


def _with(raw: dict, path: tuple, value) -> dict:
    raw = copy.deepcopy(raw)
    target = raw
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return raw


ODD = {
    "mention": (("message", "mention"), {"mentionees": []}),
    "emojis": (("message", "emojis"), []),
    "quoted": (("message", "quotedMessageId"), "123"),
    "unknown-message-key": (("message", "newField"), 1),
    "unknown-event-key": (("newField",), 1),
    "group": (("source",), events.source("group", "U" + "1" * 32, "C" + "2" * 32)),
    "no-user-id": (("source", "userId"), None),
    "bool-timestamp": (("timestamp",), True),
    "float-timestamp": (("timestamp",), 1.5),
    "text-number": (("message", "text"), 7),
    "id-number": (("message", "id"), 7),
    "no-quote-token": (("message", "quoteToken"), KeyError),
    "no-event-id": (("webhookEventId",), KeyError),
    "no-mode": (("mode",), KeyError),
    "odd-mode": (("mode",), "paused"),
    "redelivery-string": (("deliveryContext", "isRedelivery"), "false"),
    "reply-token-null": (("replyToken",), None),
    "image": (("message", "type"), "image"),
    "not-a-message": (("type",), "postback"),
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_any_other_shape_is_left_to_the_sdk(name):
    path, value = ODD[name]
    raw = _with(text_event(), path, value)
    assert plain_text_event(raw) is None
    try:
        expected = Event.from_dict(raw)
    except Exception as error:  # the SDK refuses it: so does parse_event, the same way
        with pytest.raises(type(error)):
            parse_event(raw)
    else:
        same_model(parse_event(raw), expected)


@pytest.mark.parametrize("raw", [None, [], "text", {"type": "message"}, {}])
def test_what_is_not_an_event_object_is_left_to_the_sdk(raw):
    assert plain_text_event(raw) is None
