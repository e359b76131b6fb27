"""The benchmark's anchor: a minimal Flask + line-bot-sdk v3 echo webhook.

What the SDK's own Flask example does, without its flaws (no secrets read at import, no body
logged): `WebhookParser` checks the signature and parses the events, and every text message is
echoed as one `TextMessage` through `MessagingApi.reply_message`. The Messaging API client is
made once per worker process (as the bot's is), not once per request, so the anchor is the
SDK at its best, not a strawman. It reads the bot's settings (LINE_CHANNEL_SECRET,
LINE_CHANNEL_ACCESS_TOKEN, LINE_API_HOST) and is served by the Procfile's own gunicorn line:

    gunicorn ... 'bench.echo_app:create_app()'

so the benchmark compares the project with the SDK on one server setup, the app alone differing.
"""

from __future__ import annotations

import os
import threading

from flask import Flask, abort, request
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    ReplyMessageRequest,
    TextMessage,
)
from linebot.v3.webhook import WebhookParser
from linebot.v3.webhooks import MessageEvent, TextMessageContent


def create_app(config: dict | None = None) -> Flask:
    """The echo webhook; `config` overrides the environment (tests)."""
    settings = {key: os.environ.get(key) for key in
                ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "LINE_API_HOST")}
    settings.update(config or {})
    if not settings["LINE_CHANNEL_SECRET"] or not settings["LINE_CHANNEL_ACCESS_TOKEN"]:
        raise RuntimeError("the echo app needs LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN")
    app = Flask(__name__)
    parser = WebhookParser(settings["LINE_CHANNEL_SECRET"])
    configuration = Configuration(access_token=settings["LINE_CHANNEL_ACCESS_TOKEN"],
                                  host=settings["LINE_API_HOST"] or None)
    clients: dict[int, MessagingApi] = {}
    lock = threading.Lock()

    def messaging_api() -> MessagingApi:
        # One client per process, made after gunicorn forks (a pool must not cross a fork).
        pid = os.getpid()
        with lock:
            if pid not in clients:
                clients[pid] = MessagingApi(ApiClient(configuration))
            return clients[pid]

    @app.post("/callback")
    def callback():
        signature = request.headers.get("X-Line-Signature", "")
        body = request.get_data(as_text=True)
        try:
            events = parser.parse(body, signature)
        except InvalidSignatureError:
            abort(400)
        for event in events:
            if isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
                messaging_api().reply_message(ReplyMessageRequest(
                    reply_token=event.reply_token,
                    messages=[TextMessage(text=event.message.text)]))
        return "OK"

    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "app": "echo"}

    return app
