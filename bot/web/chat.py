"""`/chat`: try the bot in a browser, seeing what LINE would show on a phone.

Each typed message, tapped chip or opened page becomes a real webhook event (built with
`linekit.events`, as LINE would send it) and goes to the same `Runtime.handle_event` a LINE
delivery reaches: de-duplication, the rate limit, the conversation state, the engine and
`bot.messages`' rendering all run as for LINE. Only the sender differs: `CaptureSender` keeps the
LINE message payloads instead of calling LINE, and `bot.web.render` draws them.

The page's user is a made-up LINE user id kept in the session cookie, so each browser is one
conversation (hashed in the state DB like any other). On in local mode; in line mode only for a
logged-in admin (and 404 when PLANBOT_ADMIN_TOKEN is not set), since it answers from the live
index and shares the live state DB.
"""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from bot.web import render
from bot.web.security import admin_token, check_csrf, csrf_token, is_admin
from bot.webhook import EXTENSION
from linekit import events
from linekit.limits import MAX_TEXT

bp = Blueprint("chat", __name__, url_prefix="/chat")

#: The bot's own user id in the events the page makes (LINE's `destination`).
DESTINATION = "U" + "0" * 32


class CaptureSender:
    """A sender for one event: keeps the LINE message payloads instead of sending them."""

    def __init__(self):
        self.messages: list[dict] = []
        self.kind = ""

    def reply(self, reply_token: str, messages: list, kind: str, deadline=None) -> int:
        """Keep the reply's messages: already the JSON a reply request carries."""
        self.messages.extend(messages)
        self.kind = kind
        return 200

    def push(self, to: str, messages: list, kind: str, retry_key: str, deadline=None) -> int:
        """Keep a push the same way (the runtime pushes only after a failed reply)."""
        return self.reply("", messages, kind)


@bp.before_request
def only_where_allowed():
    """Local mode: open. Line mode: the admin's page (login first), and off without a token."""
    if current_app.config["PLANBOT_LOCAL_MODE"] or is_admin():
        check_csrf()
        return None
    if not admin_token():
        abort(404)
    if request.method == "GET":
        return redirect(url_for("admin.login", next=request.path))
    abort(403)


@bp.get("")
def page():
    """The chat page: an empty conversation; the script asks for the greeting."""
    _chat_user()  # one conversation per browser, from the first page view
    return render_template("chat/page.html", csrf_token=csrf_token(),
                           bot_name=current_app.config["PLANBOT_BOT_NAME"])


@bp.post("/send")
def send():
    """One message, tap or greeting through the webhook's runtime; the reply as HTML."""
    source = events.source("user", _chat_user())
    token = events.new_reply_token()
    text = request.form.get("text")
    data = request.form.get("postback")
    if text is not None:
        if not text.strip() or len(text) > MAX_TEXT:
            abort(400, description=f"a message is 1 to {MAX_TEXT} characters")
        raw = events.event("message", source, token, message=events.text_message(text))
    elif data is not None:
        raw = events.event("postback", source, token, postback={"data": data[:MAX_TEXT]})
    elif request.form.get("event") == "follow":
        raw = events.event("follow", source, token, follow={"isUnblocked": False})
    else:
        abort(400, description="nothing to send")
    sender = CaptureSender()
    current_app.extensions[EXTENSION].handle_event(raw, DESTINATION, sender=sender)
    return render_template("chat/reply.html", reply=render.view(sender.messages),
                           kind=sender.kind)


def _chat_user() -> str:
    """This browser's made-up LINE user id ("U" and 32 hex digits, as LINE's are)."""
    user = session.get("chat_user")
    if not isinstance(user, str):
        user = session["chat_user"] = "U" + secrets.token_hex(16)
    return user
