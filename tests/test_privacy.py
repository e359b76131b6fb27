"""Privacy and secrets (PDPA): what the bot logs, shows and stores carries no one's identity.

The main test replays every conversation in tests/conversations/*.yaml through the real app
(in-process, the real engine, the fake LINE platform), captures every log record of every
logger at INFO and above (tracebacks included), and looks in them for the channel secret,
the access token, every user, group and room id, every reply and quote token and every
message text the replay sent. It finds none.
"""

from __future__ import annotations

import json
import logging

import pytest

from linekit.fake import FakeLinePlatform
from linekit.replay import (
    PROJECT_ROOT,
    TEST_ACCESS_TOKEN,
    TEST_CHANNEL_SECRET,
    InProcessTransport,
    Replayer,
    load_conversations,
    make_app,
    run_all,
)
from tests.webhook_support import SECRET, TOKEN, USER_ID, payload, post, sign, text_event

CONVERSATION_FILES = sorted((PROJECT_ROOT / "tests" / "conversations").glob("*.yaml"))
ID_KEYS = ("userId", "groupId", "roomId")
TOKEN_KEYS = ("replyToken", "quoteToken")


def telling(text: str) -> bool:
    """A message text worth looking for: not a short English word the log lines use anyway
    ("help" is also the reply kind in "replied kind=help")."""
    return not text.isascii() or len(text) >= 6


class RecordingTransport(InProcessTransport):
    """The replay's in-process transport, keeping every body it posted."""

    def __init__(self, app):
        super().__init__(app)
        self.bodies: list[bytes] = []

    def post(self, body: bytes, headers: dict[str, str]) -> int:
        self.bodies.append(body)
        return super().post(body, headers)


class Everything(logging.Handler):
    """Keeps each record fully formatted: message, logger name and any traceback."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


pytestmark = pytest.mark.usefixtures("clean_environment")


@pytest.fixture
def all_logs():
    """Every logger's records at DEBUG and up, through a handler on the root logger (the
    bot logs a reply LINE accepted at DEBUG; INFO has no line per event)."""
    handler = Everything()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)


def _collect(node, keys: tuple[str, ...], out: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in keys and isinstance(value, str) and value:
                out.add(value)
            _collect(value, keys, out)
    elif isinstance(node, list):
        for value in node:
            _collect(value, keys, out)


def private_values(bodies: list[bytes]) -> dict[str, set[str]]:
    """Ids, tokens, postback data and message texts in the bodies the replay sent."""
    found: dict[str, set[str]] = {"ids": set(), "tokens": set(), "texts": set()}
    for body in bodies:
        data = json.loads(body)
        _collect(data["events"], ID_KEYS, found["ids"])
        _collect(data["events"], TOKEN_KEYS, found["tokens"])
        for event in data["events"]:
            message = event.get("message") or {}
            text = message.get("text") or (event.get("postback") or {}).get("data")
            if isinstance(text, str) and telling(text.strip()):
                found["texts"].add(text.strip())
    return found


def test_logs_of_a_full_replay_hold_no_secret_token_id_or_message_text(
    tmp_path, index_db, all_logs, monkeypatch
):
    monkeypatch.setenv("PLANBOT_LOG_LEVEL", "DEBUG")
    conversations = load_conversations(CONVERSATION_FILES)
    with FakeLinePlatform() as fake:
        app = make_app(fake, tmp_path, index_db)
        transport = RecordingTransport(app)
        failed = run_all(Replayer(fake, transport, TEST_CHANNEL_SECRET), conversations,
                         out=open(tmp_path / "replay.txt", "w"))  # noqa: SIM115
        app.extensions["planbot"].close()
    assert failed == 0, (tmp_path / "replay.txt").read_text()

    found = private_values(transport.bodies)
    users = {value for value in found["ids"] if value.startswith("U")}
    chats = found["ids"] - users
    assert len(users) >= 10 and chats, "the replay must exercise users and group/room chats"
    assert len(found["texts"]) >= 30 and len(found["tokens"]) >= 50

    logged = "\n".join(all_logs.lines)
    assert "replied kind=" in logged, "the app's own log lines must have been captured"
    secrets = {"channel secret": TEST_CHANNEL_SECRET, "access token": TEST_ACCESS_TOKEN}
    for name, value in secrets.items():
        assert value not in logged, f"the {name} is in the logs"
    for kind in ("ids", "tokens", "texts"):
        leaked = sorted(value for value in found[kind] if value in logged)
        assert not leaked, f"{kind} in the logs: {leaked[:5]}"


def test_the_log_check_would_catch_a_leak(tmp_path, all_logs):
    """The handler above sees the app's records: a planted leak is found."""
    logging.getLogger("bot.webhook").info("leak %s %s", USER_ID, TEST_ACCESS_TOKEN)
    logged = "\n".join(all_logs.lines)
    assert USER_ID in logged and TEST_ACCESS_TOKEN in logged
    assert private_values([payload(text_event("คำถามลับ"))])["texts"] == {"คำถามลับ"}


# -- what the bot shows -----------------------------------------------------------------------------


@pytest.fixture
def app(make_app, tmp_path, index_db):
    return make_app(
        PLANBOT_HASH_KEY="hash-key-that-must-stay-private",
        PLANBOT_DB=str(index_db),
        PLANBOT_STATE_DB=str(tmp_path / "private-state-dir" / "state.db"),
    )


def test_healthz_shows_the_index_figures_and_nothing_else(client, index_db, tmp_path):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) == {"status", "mode", "index"}
    assert set(data["index"]) == {"built_at", "owners", "passages", "sha256", "bytes"}
    text = response.get_data(as_text=True)
    for private in (SECRET, TOKEN, "hash-key-that-must-stay-private", str(index_db.parent),
                    "private-state-dir", str(tmp_path)):
        assert private not in text


MARKER = "ECHO-ME-9f3b"


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status"),
    [
        ("POST", "/callback", f'{{"events": [], "x": "{MARKER}"}}', {"X-Line-Signature": "bad"},
         400),
        ("POST", "/callback", f"{MARKER} not json", "sign", 400),
        ("POST", "/callback", f'{{"destination": "{MARKER}"}}', "sign", 400),
        ("GET", f"/{MARKER}?q={MARKER}", "", {}, 404),
        ("GET", f"/callback?q={MARKER}", "", {}, 405),
        ("POST", "/callback", MARKER * 200_000, {"X-Line-Signature": MARKER}, 413),
    ],
    ids=["bad-signature", "signed-not-json", "signed-no-events", "404", "405", "413"],
)
def test_error_pages_do_not_echo_the_request(client, method, path, body, headers, status):
    if headers == "sign":
        headers = {"X-Line-Signature": sign(body.encode())}
    response = client.open(path, method=method, data=body.encode(), headers=headers)
    assert response.status_code == status
    assert MARKER not in response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("text/plain")
    assert all(MARKER not in value for _, value in response.headers)


def test_state_db_holds_keyed_hashes_not_ids(client, tmp_path):
    body = payload(text_event("วิสัยทัศน์ สพม.13"))
    assert post(client, body).status_code == 200
    client.application.extensions["planbot"].close()
    stored = b"".join(path.read_bytes() for path in (tmp_path / "private-state-dir").glob("*"))
    assert USER_ID.encode() not in stored
    assert "วิสัยทัศน์".encode() not in stored
    from bot.state import conversation_key

    key = conversation_key(b"hash-key-that-must-stay-private", "user", USER_ID)
    assert key.encode() in stored  # HMAC-SHA256 with PLANBOT_HASH_KEY, not a plain hash
    assert conversation_key(b"another-key", "user", USER_ID).encode() not in stored

