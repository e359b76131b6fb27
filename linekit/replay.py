"""Replay whole LINE conversations against the real webhook and check what the bot sent to LINE.

Usage::

    python -m linekit.replay tests/conversations/*.yaml                  # app in-process
    python -m linekit.replay --url http://127.0.0.1:8000 --secret S --fake-port 8099 FILE...

(``python -m tests.replay`` is the same command under its older name.)

By default the app is created in-process with ``bot.create_app`` (a temporary state database,
the project's index: ``$PLANBOT_DB``, else ``instance/index.db``, else one built into a temporary
folder from ``corpus/``) and the LINE SDK pointed at a fake LINE platform (`linekit.fake`)
through ``LINE_API_HOST``. With ``--url`` the script posts real HTTP requests to a running
server instead (``URL`` is its base address or its full ``/callback`` address); that server must
have been started with ``LINE_API_HOST`` pointing at the fake, so the script prints the fake's
address, and ``--fake-port`` fixes it. ``--secret`` defaults to ``$LINE_CHANNEL_SECRET``.

Each turn becomes one webhook request, signed with HMAC-SHA256 in ``X-Line-Signature`` and
carrying LINE's event JSON: a fresh ``webhookEventId``, ``deliveryContext``, ``replyToken``,
message id and ``quoteToken``, ``mode: active``, and a user, group or room source.

Conversation files (YAML) are lists of conversations::

    - name: office carries over              # a list of conversations
      user: U0001                            # optional; default: one fixed test user per conversation
      source: user                           # optional: user | group | room
      turns:
        - event: follow                      # follow | unfollow | join | leave | sticker | image | location | unsend
          expect: [วิสัยทัศน์]
        - say: วิสัยทัศน์ สพม.13              # a text message
          expect: [เป็นผู้นำในการพัฒนา]        # all must appear in the reply
          expect_not: [ส่งเสริมการเรียนรู้]      # none may appear
        - say: "@bot แล้วพันธกิจล่ะ"
          mention_bot: true                  # optional: the message mentions the bot (for groups)
          expect_quick_replies: [กลยุทธ์]      # these labels must be offered
        - postback: "section=goal"            # a postback with this data
          expect_reply: true                 # some reply must come
        - event: unfollow
          expect_no_reply: true

Events also accepted: video, audio, file, memberJoined, memberLeft. The default user, and the
group or room id, are fixed for the whole conversation and new for each run, so replaying twice
against the same live server starts from a fresh conversation state.

Extension: ``redeliver: true`` resends the previous turn's event body unchanged (same
``webhookEventId``, same reply token) but with ``deliveryContext.isRedelivery`` true, as LINE does
when it redelivers. The bot answers an event once, so such a turn usually says
``expect_no_reply: true``.

Matching ignores all whitespace and looks through everything the bot sent for the turn (the reply
for the turn's reply token, and any push to the chat): text messages, Flex ``altText`` and every
text and label inside Flex contents. ``expect_quick_replies`` fragments must each appear in a
quick-reply label of the last message (the only one whose quick reply LINE shows). A reply that
LINE refuses (more than 5 messages, text over 5000 characters, ...) or a webhook status other than
200 fails the turn.

Output: every failing turn with its conversation, turn number, what was said, what was expected
and the reply actually sent; then one line ``N passed, N failed`` (counting turns). The exit
status is 1 on any failure, 2 on a file that can't be read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from linekit import events
from linekit.fake import (
    LOCAL_OPENER,
    PUSH_PATH,
    REPLY_PATH,
    FakeLinePlatform,
    RecordedRequest,
)
from linekit.signing import signed_headers

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INDEX = PROJECT_ROOT / "instance" / "index.db"
TEST_CHANNEL_SECRET = "replay-channel-secret-0123456789"
TEST_ACCESS_TOKEN = "replay-access-token"
DEFAULT_REPLY_TIMEOUT = 5.0  # seconds to wait for a reply that must come
DEFAULT_GRACE = 0.3  # seconds to watch for a reply that must not come

EVENT_TYPES = (
    "follow",
    "unfollow",
    "join",
    "leave",
    "sticker",
    "image",
    "location",
    "unsend",
    "video",
    "audio",
    "file",
    "memberJoined",
    "memberLeft",
)
MESSAGE_EVENTS = frozenset({"sticker", "image", "location", "video", "audio", "file"})
# Events LINE sends only in groups and rooms.
GROUP_EVENTS = frozenset({"join", "leave", "memberJoined", "memberLeft"})
# Events LINE sends without a reply token.
NO_REPLY_TOKEN = frozenset({"unfollow", "leave", "unsend", "memberLeft"})
SOURCES = ("user", "group", "room")
CONVERSATION_KEYS = frozenset({"name", "user", "source", "turns"})
ACTION_KEYS = ("say", "event", "postback", "redeliver")
TURN_KEYS = frozenset(
    {
        *ACTION_KEYS,
        "expect",
        "expect_not",
        "mention_bot",
        "expect_quick_replies",
        "expect_reply",
        "expect_no_reply",
        "note",
    }
)
_SPACE = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")
RUN_SALT = secrets.token_hex(8)


class ConversationError(Exception):
    """A conversation file that can't be replayed, with where and why."""


# -- conversation files --------------------------------------------------------------------


@dataclass
class Turn:
    """One step of a conversation, as written in the file."""

    number: int  # 1-based
    action: str  # say | event | postback | redeliver
    value: Any
    expect: list[str] = field(default_factory=list)
    expect_not: list[str] = field(default_factory=list)
    expect_quick_replies: list[str] = field(default_factory=list)
    expect_reply: bool = False
    expect_no_reply: bool = False
    mention_bot: bool = False

    @property
    def wants_reply(self) -> bool:
        """True when the turn fails without a reply."""
        return bool(self.expect or self.expect_quick_replies or self.expect_reply)

    def describe(self) -> str:
        """What the user did, for reports."""
        if self.action == "say":
            return f"say: {self.value}"
        if self.action == "postback":
            return f"postback: {self.value}"
        if self.action == "redeliver":
            return "redeliver the previous event"
        return f"event: {self.value}"


@dataclass
class Conversation:
    """A named list of turns from one user, group or room."""

    name: str
    file: str
    user: str
    source: str
    turns: list[Turn]
    key: str = ""  # unique per conversation and run; group and room ids derive from it

    @property
    def chat_id(self) -> str:
        """The id LINE uses for the chat: the user, group or room id."""
        return source_json(self)[
            {"user": "userId", "group": "groupId", "room": "roomId"}[self.source]
        ]


def _fragments(value: Any, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str | int | float):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v) for v in value]
    raise ConversationError(f"{where}: {key} must be a list of strings")


def parse_conversations(data: Any, file: str) -> list[Conversation]:
    """Check and convert the YAML data of one file; raises ConversationError on mistakes."""
    if not isinstance(data, list):
        raise ConversationError(f"{file}: expected a list of conversations")
    conversations = []
    for c_index, raw in enumerate(data, 1):
        where = f"{file}: conversation {c_index}"
        if not isinstance(raw, dict):
            raise ConversationError(f"{where}: expected a mapping with name and turns")
        unknown = set(raw) - CONVERSATION_KEYS
        if unknown:
            raise ConversationError(f"{where}: unknown key(s) {sorted(unknown)}")
        name = str(raw.get("name") or f"conversation {c_index}")
        where = f"{file}: {name!r}"
        source = raw.get("source", "user")
        if source not in SOURCES:
            raise ConversationError(f"{where}: source must be one of {SOURCES}")
        # Ids of their own per conversation and per run: a rerun against a live server
        # must not find the state the last run left behind.
        key = hashlib.md5(f"{RUN_SALT}:{file}:{name}".encode()).hexdigest()
        user = raw.get("user") or "U" + key
        raw_turns = raw.get("turns")
        if not isinstance(raw_turns, list) or not raw_turns:
            raise ConversationError(f"{where}: turns must be a non-empty list")
        turns = []
        for t_index, raw_turn in enumerate(raw_turns, 1):
            turns.append(_parse_turn(raw_turn, t_index, f"{where} turn {t_index}", source))
        if turns[0].action == "redeliver":
            raise ConversationError(f"{where} turn 1: nothing to redeliver yet")
        conversations.append(Conversation(name, file, str(user), source, turns, key))
    return conversations


def _parse_turn(raw: Any, number: int, where: str, source: str = "user") -> Turn:
    if not isinstance(raw, dict):
        raise ConversationError(f"{where}: expected a mapping such as {{say: ...}}")
    unknown = set(raw) - TURN_KEYS
    if unknown:
        raise ConversationError(f"{where}: unknown key(s) {sorted(unknown)}")
    actions = [key for key in ACTION_KEYS if key in raw]
    if len(actions) != 1:
        raise ConversationError(f"{where}: give exactly one of say, event, postback, redeliver")
    action = actions[0]
    value = raw[action]
    if action == "event" and value not in EVENT_TYPES:
        raise ConversationError(f"{where}: event must be one of {', '.join(EVENT_TYPES)}")
    if action in ("say", "postback") and (value is None or isinstance(value, dict | list)):
        raise ConversationError(f"{where}: {action} needs a text")
    if action == "redeliver" and value is not True:
        raise ConversationError(f"{where}: write redeliver: true")
    turn = Turn(
        number=number,
        action=action,
        value=str(value) if action in ("say", "postback") else value,
        expect=_fragments(raw.get("expect"), where, "expect"),
        expect_not=_fragments(raw.get("expect_not"), where, "expect_not"),
        expect_quick_replies=_fragments(
            raw.get("expect_quick_replies"), where, "expect_quick_replies"
        ),
        expect_reply=bool(raw.get("expect_reply")),
        expect_no_reply=bool(raw.get("expect_no_reply")),
        mention_bot=bool(raw.get("mention_bot")),
    )
    if turn.expect_no_reply and turn.wants_reply:
        raise ConversationError(f"{where}: expect_no_reply contradicts the other expectations")
    if action == "event" and value in GROUP_EVENTS and source == "user":
        raise ConversationError(f"{where}: LINE sends {value} only in a group or room (set source)")
    if turn.mention_bot and (action != "say" or not _bot_mention(turn.value)):
        raise ConversationError(f"{where}: mention_bot needs a text with an @name in it")
    return turn


def load_conversations(paths: Iterable[str | Path]) -> list[Conversation]:
    """Every conversation in the given YAML files, in order."""
    conversations = []
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise ConversationError(f"{path}: {error.strerror}") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise ConversationError(f"{path}: not valid YAML: {error}") from None
        conversations.extend(parse_conversations(data, str(path)))
    return conversations


# -- LINE webhook JSON ---------------------------------------------------------------------


def source_json(conversation: Conversation) -> dict:
    """LINE's `source` object for the conversation's chat."""
    if conversation.source == "user":
        return events.source("user", conversation.user)
    digest = hashlib.md5(f"{conversation.source}:{conversation.key}".encode()).hexdigest()
    prefix = "C" if conversation.source == "group" else "R"
    return events.source(conversation.source, conversation.user, prefix + digest)


def _bot_mention(text: str) -> re.Match | None:
    """The "@name" that mentions the bot: the first word starting with @."""
    return re.search(r"@\S+", text or "")


def build_event(
    turn: Turn, conversation: Conversation, bot_user_id: str, last_message_id: str | None
) -> dict:
    """The LINE webhook event for one turn (not for redeliver turns)."""
    kind = turn.value if turn.action == "event" else turn.action
    token = None if kind in NO_REPLY_TOKEN else events.new_reply_token()
    src = source_json(conversation)
    if turn.action == "say":
        mention = None
        if turn.mention_bot:
            found = _bot_mention(turn.value)
            mention = events.mention_at(turn.value, found.start(), found.end(), bot_user_id)
        message = events.text_message(turn.value, mention=mention)
        return events.event("message", src, token, message=message)
    if turn.action == "postback":
        return events.event("postback", src, token, postback={"data": turn.value})
    if kind in MESSAGE_EVENTS:
        return events.event("message", src, token, message=events.media_message(kind))
    fields: dict[str, Any] = {}
    if kind == "follow":
        fields["follow"] = {"isUnblocked": False}
    elif kind == "unsend":
        fields["unsend"] = {"messageId": last_message_id or events.new_message_id()}
    elif kind in ("memberJoined", "memberLeft"):
        member = {"type": "user", "userId": conversation.user}
        fields["joined" if kind == "memberJoined" else "left"] = {"members": [member]}
    return events.event(kind, src, token, **fields)


# -- what the bot sent ---------------------------------------------------------------------


def normalise(text: str) -> str:
    """Text with all whitespace (and zero-width characters) removed, for matching."""
    return _SPACE.sub("", text)


def _texts_in(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "altText", "label") and isinstance(value, str):
                out.append(value)
            elif key != "quickReply":
                _texts_in(value, out)
    elif isinstance(node, list):
        for value in node:
            _texts_in(value, out)


def message_texts(message: dict) -> list[str]:
    """Every visible text of one LINE message: text, altText, texts and labels in Flex."""
    out: list[str] = []
    _texts_in(message, out)
    return out


def quick_reply_labels(message: dict) -> list[str]:
    """Labels of the message's quick-reply buttons."""
    quick = message.get("quickReply") if isinstance(message, dict) else None
    items = quick.get("items") if isinstance(quick, dict) else None
    labels = []
    for item in items or []:
        action = item.get("action") if isinstance(item, dict) else None
        if isinstance(action, dict) and isinstance(action.get("label"), str):
            labels.append(action["label"])
    return labels


def describe_sent(requests: list[RecordedRequest]) -> list[str]:
    """A readable listing of what the bot sent to LINE."""
    if not requests:
        return ["(nothing was sent)"]
    lines = []
    for request in requests:
        what = "reply" if request.path == REPLY_PATH else "push"
        verdict = f"LINE answered {request.status}"
        if request.status != 200 and isinstance(request.response, dict):
            verdict += f" {json.dumps(request.response, ensure_ascii=False)}"
        lines.append(f"{what}, {len(request.messages)} message(s), {verdict}:")
        for n, message in enumerate(request.messages, 1):
            kind = message.get("type", "?") if isinstance(message, dict) else "?"
            if kind == "text":
                body = message.get("text", "")
            elif kind == "flex":
                body = "altText: " + str(message.get("altText", ""))
                inner = message_texts(message.get("contents", {}))
                if inner:
                    body += "\ncontents: " + " | ".join(inner)
            else:
                body = json.dumps(message, ensure_ascii=False)
            text_lines = str(body).splitlines() or [""]
            lines.append(f"  [{n}] {kind}: {text_lines[0]}")
            lines.extend(f"      {line}" for line in text_lines[1:])
            labels = quick_reply_labels(message)
            if labels:
                lines.append(f"      quick replies: {' | '.join(labels)}")
    return lines


# -- running turns -------------------------------------------------------------------------


@dataclass
class TurnResult:
    """The outcome of one turn."""

    conversation: Conversation
    turn: Turn
    problems: list[str]
    sent: list[RecordedRequest]
    status: int | None  # webhook HTTP status

    @property
    def passed(self) -> bool:
        return not self.problems

    def report(self) -> str:
        """A readable, diff-like account of a failed turn."""
        c, t = self.conversation, self.turn
        lines = [
            f"FAIL {c.file} :: {c.name} :: turn {t.number} of {len(c.turns)}",
            f"  {t.describe()}",
        ]
        lines.extend(f"  - {problem}" for problem in self.problems)
        lines.append("  + the bot sent:")
        lines.extend(f"  +   {line}" for line in describe_sent(self.sent))
        return "\n".join(lines)


class InProcessTransport:
    """Posts webhook bodies to a Flask app through its test client."""

    def __init__(self, app):
        self.client = app.test_client()

    def post(self, body: bytes, headers: dict[str, str]) -> int:
        response = self.client.post("/callback", data=body, headers=headers)
        # Read and close it as a WSGI server does: the app may answer after its response.
        response.get_data()
        response.close()
        return response.status_code


class HttpTransport:
    """Posts webhook bodies to a running server over HTTP."""

    def __init__(self, url: str, timeout: float = 10.0):
        parts = urllib.parse.urlsplit(url)
        if parts.path in ("", "/"):
            url = url.rstrip("/") + "/callback"
        self.url = url
        self.timeout = timeout

    def post(self, body: bytes, headers: dict[str, str]) -> int:
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with LOCAL_OPENER.open(request, timeout=self.timeout) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class Replayer:
    """Plays conversations through a transport and judges what reached the fake LINE platform."""

    def __init__(
        self,
        fake: FakeLinePlatform,
        transport,
        secret: str,
        reply_timeout: float = DEFAULT_REPLY_TIMEOUT,
        grace: float = DEFAULT_GRACE,
    ):
        self.fake = fake
        self.transport = transport
        self.secret = secret
        self.reply_timeout = reply_timeout
        self.grace = grace

    def run(self, conversation: Conversation) -> list[TurnResult]:
        """Play every turn of one conversation, in order."""
        results = []
        previous: dict | None = None
        last_message_id: str | None = None
        for turn in conversation.turns:
            if turn.action == "redeliver":
                event = json.loads(json.dumps(previous))
                event["deliveryContext"] = {"isRedelivery": True}
            else:
                event = build_event(turn, conversation, self.fake.bot_user_id, last_message_id)
            if isinstance(event.get("message"), dict):
                last_message_id = event["message"].get("id", last_message_id)
            results.append(self.play(conversation, turn, event))
            previous = event
        return results

    def play(self, conversation: Conversation, turn: Turn, event: dict) -> TurnResult:
        """Send one event and check the turn's expectations against what the bot sent."""
        body = events.webhook_body([event], self.fake.bot_user_id)
        headers = signed_headers(body, self.secret)
        start = len(self.fake.requests)
        problems: list[str] = []
        try:
            status = self.transport.post(body, headers)
        except Exception as error:  # an unreachable server, or the in-process app raising
            status = None
            problems.append(f"the webhook failed: {type(error).__name__}: {error}")
        if status is not None and status != 200:
            problems.append(f"the webhook answered HTTP {status}, expected 200")

        token = event.get("replyToken")
        chat = conversation.chat_id

        def ours(request: RecordedRequest) -> bool:
            if request.path == REPLY_PATH:
                return turn.expect_no_reply or request.reply_token == token
            if request.path == PUSH_PATH:
                return turn.expect_no_reply or (
                    isinstance(request.json, dict) and request.json.get("to") == chat
                )
            return False

        def sent_now(records: list[RecordedRequest]) -> list[RecordedRequest]:
            return [r for r in records[start:] if r.status and ours(r)]

        if turn.wants_reply:
            wait = self.reply_timeout
        elif turn.expect_no_reply or not token:
            wait = self.grace
        else:
            wait = max(self.grace, 1.0)
        if turn.expect_no_reply:
            # Nothing to wait for: watch for a while to see that nothing comes.
            time.sleep(wait)
        else:
            self.fake.wait_until(lambda records: bool(sent_now(records)), timeout=wait)
        sent = sent_now(self.fake.requests)
        problems.extend(self.judge(turn, sent))
        return TurnResult(conversation, turn, problems, sent, status)

    def judge(self, turn: Turn, sent: list[RecordedRequest]) -> list[str]:
        """The turn's unmet expectations, as readable lines."""
        problems = []
        if turn.expect_no_reply:
            if sent:
                problems.append("expected no reply, but the bot sent one")
            return problems
        for request in sent:
            if request.status != 200:
                problems.append(
                    f"LINE refused the bot's {request.path.rsplit('/', 1)[-1]} "
                    f"with {request.status}: {json.dumps(request.response, ensure_ascii=False)}"
                )
        delivered = [r for r in sent if r.status == 200]
        messages = [m for r in delivered for m in r.messages if isinstance(m, dict)]
        if turn.wants_reply and not messages:
            problems.append("expected a reply, but none came")
            wanted = [*turn.expect, *(f"quick reply {q}" for q in turn.expect_quick_replies)]
            if wanted:
                problems.append("expected: " + " / ".join(wanted))
            return problems
        haystack = normalise("\n".join(t for m in messages for t in message_texts(m)))
        for fragment in turn.expect:
            if normalise(fragment) not in haystack:
                problems.append(f"expected {fragment!r}: not found")
        for fragment in turn.expect_not:
            if normalise(fragment) and normalise(fragment) in haystack:
                problems.append(f"expected no {fragment!r}: found")
        labels = (
            [normalise(label) for label in quick_reply_labels(messages[-1])] if messages else []
        )
        for fragment in turn.expect_quick_replies:
            if not any(normalise(fragment) in label for label in labels):
                problems.append(f"expected a quick reply {fragment!r}: not offered")
        return problems


# -- the app and the index -----------------------------------------------------------------


def project_index(workdir: str | Path) -> Path:
    """The index to answer from: $PLANBOT_DB, else instance/index.db; built in workdir if missing.

    An index older than a corpus document would test yesterday's plans, so that one is not used
    either: a fresh one is built in workdir and the script says so.
    """
    configured = os.environ.get("PLANBOT_DB")
    path = Path(configured) if configured else DEFAULT_INDEX
    corpus = [*(PROJECT_ROOT / "corpus").glob("*.txt"), *(PROJECT_ROOT / "corpus").glob("*.md")]
    newest = max((p.stat().st_mtime for p in corpus), default=0.0)
    if path.exists() and path.stat().st_mtime >= newest:
        return path
    if path.exists():
        print(f"replay: {path} is older than corpus/; using a fresh index", file=sys.stderr)
    built = Path(workdir) / "index.db"
    subprocess.run(
        [sys.executable, "-m", "index", "rebuild", "--corpus", "corpus", "--db", str(built)],
        cwd=PROJECT_ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return built


def make_app(fake: FakeLinePlatform, workdir: str | Path, index: str | Path | None = None):
    """The bot app, in-process, answering from the project's index and talking to `fake`."""
    from bot import create_app

    return create_app(
        {
            "LINE_CHANNEL_SECRET": TEST_CHANNEL_SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": TEST_ACCESS_TOKEN,
            "LINE_API_HOST": fake.url,
            "PLANBOT_DB": str(index or project_index(workdir)),
            "PLANBOT_STATE_DB": str(Path(workdir) / "state.db"),
        }
    )


def run_all(replayer: Replayer, conversations: list[Conversation], out=sys.stdout) -> int:
    """Replay the conversations, print failures and the summary line; return the failed count."""
    passed = failed = 0
    for conversation in conversations:
        results = replayer.run(conversation)
        for result in results:
            if result.passed:
                passed += 1
            else:
                failed += 1
                print(result.report(), file=out)
                print(file=out)
    print(f"{passed} passed, {failed} failed", file=out)
    return failed


def main(argv: list[str] | None = None, prog: str = "python -m linekit.replay") -> int:
    """Replay conversation files; exit 1 if any turn fails."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Replay LINE conversations against the webhook and check the replies. "
        f"Example: {prog} tests/conversations/*.yaml",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="conversation YAML files")
    parser.add_argument("--url", help="post to this running server instead of an in-process app")
    parser.add_argument(
        "--secret",
        default=os.environ.get("LINE_CHANNEL_SECRET"),
        help="the server's channel secret (with --url; default $LINE_CHANNEL_SECRET)",
    )
    parser.add_argument("--fake-port", type=int, default=0, help="port for the fake LINE platform")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_REPLY_TIMEOUT,
        help=f"seconds to wait for a reply (default {DEFAULT_REPLY_TIMEOUT})",
    )
    args = parser.parse_args(argv)

    try:
        conversations = load_conversations(args.files)
    except ConversationError as error:
        print(f"replay: {error}", file=sys.stderr)
        return 2
    if args.url and not args.secret:
        parser.error("--url needs --secret (or $LINE_CHANNEL_SECRET)")

    with FakeLinePlatform(port=args.fake_port) as fake, tempfile.TemporaryDirectory() as workdir:
        if args.url:
            print(f"fake LINE platform: {fake.url}", flush=True)
            replayer = Replayer(fake, HttpTransport(args.url), args.secret, args.timeout)
        else:
            app = make_app(fake, workdir)
            replayer = Replayer(fake, InProcessTransport(app), TEST_CHANNEL_SECRET, args.timeout)
        failed = run_all(replayer, conversations)
        if not args.url:  # its threads and state files go before the work folder does
            app.extensions["planbot"].close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
