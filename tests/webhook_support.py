"""Helpers for webhook tests: fixed test ids, short event builders, a fake engine.

Signing and the event shapes are linekit's (`linekit.signing`, `linekit.events`); these
wrappers only fill in the tests' fixed ids and numbered tokens. The LINE side is the real fake
platform (`linekit.fake.FakeLinePlatform`); the engine side is `FakeEngine` where a test needs
to control it (make it raise, count its calls), or the real `bot.answer.Engine` over an index
built into a temporary folder.
"""

from __future__ import annotations

import itertools
import time

from bot.reply import QuickReply, Reply, State
from bot.state import DONE
from linekit import events, signing
from linekit.fake import DEFAULT_BOT_USER_ID

SECRET = "test-channel-secret-0123456789abcdef"
TOKEN = "test-channel-access-token-ABCDEFGHIJKLMNOP"
BOT_USER_ID = DEFAULT_BOT_USER_ID
USER_ID = "U4af4980629aaaaaaaaaaaaaaaaaaaaaa"
OTHER_USER_ID = "U4af4980629bbbbbbbbbbbbbbbbbbbbbb"
GROUP_ID = "Ca56f94637cccccccccccccccccccccccc"
ROOM_ID = "Ra8dbf4673cdddddddddddddddddddddd"

_counter = itertools.count(1)


def sign(body: bytes, secret: str = SECRET) -> str:
    """The X-Line-Signature LINE would send: base64(HMAC-SHA256(secret, body))."""
    return signing.sign(body, secret)


def payload(*events_: dict, destination: str = BOT_USER_ID) -> bytes:
    """A webhook body holding `events_`: UTF-8 like LINE's, with \\u escapes for lone surrogates."""
    return events.webhook_body(list(events_), destination)


def post(client, body: bytes, secret: str | None = SECRET, signature: str | None = None,
         close: bool = True):
    """POST `body` to /callback signed with `secret` (or with an explicit `signature`); with
    `close`, the response is read and closed before it is returned, as a server does."""
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Line-Signature"] = signature
    elif secret is not None:
        headers["X-Line-Signature"] = sign(body, secret)
    response = client.post("/callback", data=body, headers=headers)
    # As a server does: the body is written, then the response closed, which runs what the
    # app left until after it (the runtime answers events in the request's thread then).
    response.get_data()
    if close:
        response.close()
    return response


def source(kind: str = "user", user_id: str | None = USER_ID) -> dict:
    """A webhook `source` object: user, group or room."""
    return events.source(kind, user_id, {"group": GROUP_ID, "room": ROOM_ID}.get(kind))


def event(event_type: str, src: dict | None = None, reply: bool = True, **fields) -> dict:
    """A complete v3 webhook event (webhookEventId, deliveryContext, mode, timestamp)."""
    n = next(_counter)
    token = f"replytoken{n:022d}" if reply else None
    return events.event(event_type, src or source(), token, f"01TESTEVENT{n:015d}", **fields)


def text_event(text: str, src: dict | None = None, mention: dict | None = None, **fields):
    """A text message event."""
    n = next(_counter)
    message = events.text_message(text, f"{n}", f"q{n}", mention)
    return event("message", src, message=message, **fields)


def mention_of(text: str, name: str, user_id: str = BOT_USER_ID, is_self: bool = True) -> dict:
    """A `mention` object for "@name" as it appears in `text` (code-point positions)."""
    token = f"@{name}"
    return events.mention(text.index(token), len(token), user_id, is_self)


def message_event(content: dict, src: dict | None = None, **fields) -> dict:
    """A message event with non-text content (sticker, image, location...)."""
    n = next(_counter)
    return event("message", src, message={"id": f"{n}", **content}, **fields)


def postback_event(data: str, src: dict | None = None, **fields) -> dict:
    """A postback event."""
    return event("postback", src, postback={"data": data}, **fields)


class FakeEngine:
    """The Engine API with canned replies; records calls; can be told to raise.

    Its state remembers every question in `items`, so a test can see state carried over.
    """

    def __init__(self, quick_replies: list[QuickReply] | None = None, text: str | None = None):
        self.calls: list[tuple[str, str, State]] = []
        self.error: Exception | None = None
        self.quick_replies = quick_replies or [QuickReply("พันธกิจ", "พันธกิจ")]
        self.text = text
        self.info = {
            "built_at": "2026-11-29T00:00:00Z",
            "owners": 2,
            "passages": 10,
            "schema": 1,
            "tokenizer": "fake",
        }

    def _reply(self, method: str, arg: str, state: State | None, kind: str) -> Reply:
        state = state or State()
        self.calls.append((method, arg, state))
        if self.error is not None:
            raise self.error
        new_state = State(owner="owner-1", section="vision", items=[*state.items, arg])
        return Reply(
            text=self.text or f"คำตอบ ({method}): {arg}",
            kind=kind,
            state=new_state,
            quick_replies=list(self.quick_replies),
        )

    def answer(self, question: str, state: State | None = None) -> Reply:
        """Echo the question as the answer."""
        return self._reply("answer", question, state, "answer")

    def postback(self, data: str, state: State | None = None) -> Reply:
        """Echo the postback data."""
        return self._reply("postback", data, state, "answer")

    def welcome(self, state: State | None = None) -> Reply:
        """A greeting."""
        return self._reply("welcome", "", state, "greeting")

    def questions(self) -> list[str]:
        """The questions `answer` was asked, in order."""
        return [arg for method, arg, _ in self.calls if method == "answer"]


def runtime_of(app):
    """The webhook app's `bot.runtime.Runtime`."""
    return app.extensions["planbot"]


def done_entry(app, event_id: str, timeout: float = 10.0):
    """The journal entry once it is done (the reply reaches LINE just before it is marked)."""
    deadline = time.monotonic() + timeout
    while True:
        entry = runtime_of(app).store.journal_get(event_id)
        if entry.status == DONE or time.monotonic() > deadline:
            return entry
        time.sleep(0.02)  # polling for the answering thread, not an assertion
