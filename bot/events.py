"""Webhook events from their JSON, as line-bot-sdk's models.

`parse_event` is the SDK's `Event.from_dict`, except for the event a bot receives most: a
plain text message from one user. The SDK validates such an event field by field through
pydantic (seven models' validators, about 7% of the CPU of answering it); here its shape
is checked first, strictly, against what the SDK itself would accept, and the same SDK
models are then built without validating again (pydantic's `construct`). Anything else,
or anything unusual about a text event (a mention, emojis, a quoted message, a group, a
field of the wrong type, a field this code does not know), goes to the SDK as before, so
the SDK stays the judge of what an event is. tests/test_events.py checks that both give
equal models for LINE's sample payloads and that the odd shapes go to the SDK.
"""

from __future__ import annotations

from linebot.v3.webhooks import (
    DeliveryContext,
    Event,
    EventMode,
    MessageEvent,
    TextMessageContent,
    UserSource,
)

#: The keys a plain text message event from a user must have, and those it may have besides.
_EVENT_NEEDS = frozenset({"type", "source", "timestamp", "mode", "webhookEventId",
                          "deliveryContext", "message"})
_EVENT_KEYS = _EVENT_NEEDS | {"replyToken"}
_MESSAGE_NEEDS = frozenset({"type", "id", "text", "quoteToken"})
_MESSAGE_KEYS = _MESSAGE_NEEDS | {"markAsReadToken"}
_SOURCE_KEYS = frozenset({"type", "userId"})
_CONTEXT_KEYS = frozenset({"isRedelivery"})
_MODES = {mode.value: mode for mode in EventMode}


def parse_event(raw) -> Event:
    """The SDK's model of one webhook event (`Event.from_dict`'s result, and its errors)."""
    event = plain_text_event(raw)
    return event if event is not None else Event.from_dict(raw)


def plain_text_event(raw) -> MessageEvent | None:
    """A plain one-to-one text message event as the SDK's `MessageEvent`, or None when `raw`
    is anything else (for `Event.from_dict`)."""
    if not isinstance(raw, dict) or raw.get("type") != "message":
        return None
    message, source, context = raw.get("message"), raw.get("source"), raw.get("deliveryContext")
    if not (_has_keys(raw, _EVENT_KEYS, _EVENT_NEEDS)
            and _has_keys(message, _MESSAGE_KEYS, _MESSAGE_NEEDS)
            and message["type"] == "text"
            and _has_keys(source, _SOURCE_KEYS, frozenset({"type"}))
            and source["type"] == "user"
            and _has_keys(context, _CONTEXT_KEYS, _CONTEXT_KEYS)
            and type(context["isRedelivery"]) is bool
            and type(raw["timestamp"]) is int
            and raw["mode"] in _MODES):
        return None
    strings = (raw["webhookEventId"], message["id"], message["text"], message["quoteToken"],
               source.get("userId", ""), raw.get("replyToken", ""),
               message.get("markAsReadToken", ""))
    if not all(type(value) is str for value in strings):
        return None
    return MessageEvent.construct(
        type="message",
        source=UserSource.construct(type="user", user_id=source.get("userId")),
        timestamp=raw["timestamp"],
        mode=_MODES[raw["mode"]],
        webhook_event_id=raw["webhookEventId"],
        delivery_context=DeliveryContext.construct(is_redelivery=context["isRedelivery"]),
        reply_token=raw.get("replyToken"),
        message=TextMessageContent.construct(
            type="text", id=message["id"], text=message["text"], emojis=None, mention=None,
            quote_token=message["quoteToken"], quoted_message_id=None,
            mark_as_read_token=message.get("markAsReadToken")),
    )


def _has_keys(value, allowed: frozenset, needed: frozenset) -> bool:
    return isinstance(value, dict) and needed <= value.keys() <= allowed
