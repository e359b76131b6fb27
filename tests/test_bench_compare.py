"""The webhook comparison's parts: the SDK echo anchor, one gunicorn line for every app, and
the load generator's round robin over several hosts."""

from __future__ import annotations

import shlex

import pytest

from bench.load import procfile_command
from linekit import events
from linekit.signing import signed_headers
from tests.webhook_support import BOT_USER_ID, SECRET, TOKEN, USER_ID


@pytest.fixture
def echo_client(fake_line):
    from bench.echo_app import create_app

    app = create_app({"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
                      "LINE_API_HOST": fake_line.url})
    return app.test_client()


def test_echo_anchor_replies_with_the_text_through_the_sdk(echo_client, fake_line):
    event = events.event("message", events.source("user", USER_ID), events.new_reply_token(),
                         message=events.text_message("วิสัยทัศน์ สพม.13"))
    body = events.webhook_body([event], BOT_USER_ID)
    response = echo_client.post("/callback", data=body, headers=signed_headers(body, SECRET))
    assert response.status_code == 200
    [reply] = fake_line.wait_for(1, path="/v2/bot/message/reply")
    assert reply.reply_token == event["replyToken"]
    assert reply.messages == [{"type": "text", "text": "วิสัยทัศน์ สพม.13"}]
    assert reply.headers["authorization"] == f"Bearer {TOKEN}"


def test_echo_anchor_refuses_a_bad_signature(echo_client, fake_line):
    body = events.webhook_body([], BOT_USER_ID)
    response = echo_client.post("/callback", data=body, headers=signed_headers(body, "other"))
    assert response.status_code == 400
    assert fake_line.requests == []


def test_echo_anchor_needs_its_secrets(monkeypatch):
    from bench.echo_app import create_app

    monkeypatch.delenv("LINE_CHANNEL_SECRET", raising=False)
    with pytest.raises(RuntimeError, match="LINE_CHANNEL_SECRET"):
        create_app({"LINE_CHANNEL_ACCESS_TOKEN": TOKEN})


def test_every_app_runs_under_the_procfiles_gunicorn_line():
    """The anchor differs from the project in the app named, nothing else."""
    project = procfile_command(8123)
    anchor = procfile_command(8123, app="bench.echo_app:create_app()")
    assert shlex.split(anchor) == [
        "bench.echo_app:create_app()" if word == "bot:create_app()" else word
        for word in shlex.split(project)
    ]
    assert "bot:create_app()" in shlex.split(project)
