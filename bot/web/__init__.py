"""The browser side of planbot: the chat page (`/chat`) and the admin console (`/admin`).

Both are server-rendered Flask blueprints with a little plain JavaScript; nothing is built.
`init_app` registers them with the session cookie they share: signed with a key derived from
the app's secrets, HttpOnly, SameSite=Strict, and Secure outside local mode.

- `bot.web.security`: the admin token, the session and the CSRF token of every form;
- `bot.web.chat`: `/chat`, which hands each message to the webhook's runtime as a LINE event;
- `bot.web.render`: the LINE message payloads the runtime produced, as HTML (as LINE shows them);
- `bot.web.admin`, `bot.web.plans`, `bot.web.report`: the console, the plans in the index and
  the upload, the report of unanswered questions.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Blueprint, Flask
from flask.sessions import SecureCookieSessionInterface

from bot.config import hash_key

#: Stylesheets and scripts of both pages, and their templates.
bp = Blueprint(
    "web",
    __name__,
    static_folder="static",
    static_url_path="/web/static",
    template_folder="templates",
)


def session_key(config) -> bytes:
    """The key that signs the session cookie, derived (never stored) from the app's secrets.

    The admin token is part of it, so a session cannot be forged by anyone who lacks the token,
    even in local mode where the webhook's development secret is public; every gunicorn worker
    derives the same key, so a session made by one is good in all.
    """
    material = (config.get("PLANBOT_ADMIN_TOKEN") or "").encode("utf-8")
    return hmac.new(hash_key(config), b"planbot-web-session-v1\0" + material, hashlib.sha256).digest()


def init_app(app: Flask) -> None:
    """Register the chat page and the admin console, and set up the session cookie."""
    from bot.web import admin, chat

    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = session_key(app.config)
    app.config.update(
        SESSION_COOKIE_NAME="planbot_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=not app.config["PLANBOT_LOCAL_MODE"],
    )
    app.session_interface = CookieSessions()
    app.register_blueprint(bp)
    app.register_blueprint(chat.bp)
    app.register_blueprint(admin.bp)


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building the cookie's signer for a request that
    carries no session cookie (every LINE webhook): Flask makes a new `URLSafeTimedSerializer`
    per request, which costs about 5% of the CPU of answering an event. A request with the
    cookie, and every cookie written, go through Flask's own code."""

    def open_session(self, app, request):
        if not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

