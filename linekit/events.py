"""Webhook event JSON shaped like LINE's: sources, events, messages, mentions and the body.

Shapes follow LINE's webhook reference and line-bot-sdk-python's own test payloads: every event
has `mode`, `timestamp`, `source`, a `webhookEventId` and a `deliveryContext`; events that can be
answered carry a `replyToken`. Builders take what a caller cares about and make up the rest
(fresh ids, like LINE's), so a test, the replay and the benchmark post the same shapes.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from linekit.limits import utf16_len

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_event_id() -> str:
    """A ULID-like webhookEventId: 10 characters of milliseconds, 16 random, Crockford base32."""
    value = (int(time.time() * 1000) << 80) | secrets.randbits(80)
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_message_id() -> str:
    """An 18-digit message id like LINE's."""
    return str(secrets.randbelow(9 * 10**17) + 10**17)


def new_reply_token() -> str:
    """A reply token: 32 hex characters, like LINE's."""
    return secrets.token_hex(16)


def new_quote_token() -> str:
    """A quote token, as LINE puts on quotable messages."""
    return secrets.token_urlsafe(32)


def source(kind: str, user_id: str | None, chat_id: str | None = None) -> dict:
    """LINE's `source` object: ``user`` (the user's id), ``group`` or ``room`` (`chat_id`, and
    the sender's `user_id` when known)."""
    if kind == "user":
        return {"type": "user", "userId": user_id}
    if kind not in ("group", "room"):
        raise ValueError(f"source kind must be user, group or room, not {kind!r}")
    data = {"type": kind, f"{kind}Id": chat_id}
    if user_id:
        data["userId"] = user_id
    return data


def event(
    event_type: str,
    src: dict,
    reply_token: str | None = None,
    event_id: str | None = None,
    **fields: Any,
) -> dict:
    """A complete webhook event of `event_type` from `src`; `fields` adds `message`, `postback`...

    `reply_token` None means no token (unfollow, leave, unsend, memberLeft have none).
    """
    data: dict[str, Any] = {
        "type": event_type,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": src,
        "webhookEventId": event_id or new_event_id(),
        "deliveryContext": {"isRedelivery": False},
    }
    if reply_token is not None:
        data["replyToken"] = reply_token
    data.update(fields)
    return data


def text_message(
    text: str,
    message_id: str | None = None,
    quote_token: str | None = None,
    mention: dict | None = None,
) -> dict:
    """A text `message` object (with a `mention` object, when given)."""
    message = {
        "id": message_id or new_message_id(),
        "type": "text",
        "quoteToken": quote_token or new_quote_token(),
        "text": text,
    }
    if mention is not None:
        message["mention"] = mention
    return message


def mention(index: int, length: int, user_id: str, is_self: bool = True) -> dict:
    """A `mention` object with one user mentionee at `index` for `length` (LINE's units)."""
    return {
        "mentionees": [
            {"index": index, "length": length, "userId": user_id, "type": "user",
             "isSelf": is_self}
        ]
    }


def mention_at(text: str, start: int, end: int, user_id: str, is_self: bool = True) -> dict:
    """The `mention` LINE sends for ``text[start:end]``: positions in UTF-16 code units, as LINE
    counts them (an emoji before the mention counts two)."""
    return mention(utf16_len(text[:start]), utf16_len(text[start:end]), user_id, is_self)


def media_message(kind: str, message_id: str | None = None) -> dict:
    """A non-text `message` object: sticker, image, video, audio, location or file."""
    message: dict[str, Any] = {"id": message_id or new_message_id(), "type": kind}
    if kind == "sticker":
        message.update(packageId="446", stickerId="1988", stickerResourceType="STATIC",
                       keywords=["Thanks", "OK"], quoteToken=new_quote_token())
    elif kind in ("image", "video", "audio"):
        message["contentProvider"] = {"type": "line"}
        if kind != "audio":
            message["quoteToken"] = new_quote_token()
        if kind in ("video", "audio"):
            message["duration"] = 6000
    elif kind == "location":
        message.update(title="สำนักงานเขตพื้นที่การศึกษา", address="แพร่", latitude=18.1445,
                       longitude=100.1403)
    elif kind == "file":
        message.update(fileName="แผน.pdf", fileSize=2138)
    else:
        raise ValueError(f"no media message of kind {kind!r}")
    return message


def webhook_body(events: list, destination: str) -> bytes:
    """The request body LINE posts: the bot's user id as `destination`, and the events.

    UTF-8 like LINE's; a lone surrogate (which UTF-8 cannot carry) is written as a \\u escape.
    """
    data = {"destination": destination, "events": list(events)}
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, separators=(",", ":")).encode("utf-8")
