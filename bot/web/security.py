"""The admin token, the admin's session and the CSRF token, shared by the chat page and console.

- The console is on only when PLANBOT_ADMIN_TOKEN is set (404 otherwise). The token typed on
  the login page is compared with `hmac.compare_digest`, in constant time.
- A logged-in session holds a keyed hash of the token, not a flag: changing the token logs
  every session out, and a session cookie is worth nothing without the token.
- Every form carries a CSRF token kept in the session (`secrets.token_urlsafe`), checked in
  constant time on every POST. Hand-written rather than Flask-WTF: the forms are few and
  plain, and 20 lines here cost less than two more dependencies (Flask-WTF and WTForms) whose
  form classes nothing else would use. SameSite=Strict on the cookie is a second guard.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import abort, current_app, request, session

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def admin_token() -> str | None:
    """PLANBOT_ADMIN_TOKEN, or None when the console is off."""
    return current_app.config.get("PLANBOT_ADMIN_TOKEN") or None


def token_matches(given: str) -> bool:
    """True when `given` is the admin token (compared in constant time)."""
    token = admin_token()
    if not token or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def _session_mark(token: str) -> str:
    return hmac.new(token.encode("utf-8"), b"planbot-admin-session-v1", hashlib.sha256).hexdigest()


def log_in() -> None:
    """Mark this session as the admin's (after `token_matches`); a fresh session and CSRF token."""
    session.clear()
    session["admin"] = _session_mark(admin_token())
    session[CSRF_FIELD] = secrets.token_urlsafe(32)


def is_admin() -> bool:
    """True when this request's session was logged in with the current admin token."""
    token = admin_token()
    mark = session.get("admin")
    if not token or not isinstance(mark, str):
        return False
    return hmac.compare_digest(mark.encode("ascii", "replace"), _session_mark(token).encode())


def csrf_token() -> str:
    """This session's CSRF token (made on first use); every form puts it in a hidden field."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    """Refuse (400) a POST whose form field or header does not carry the session's CSRF token."""
    if request.method != "POST":
        return
    expected = session.get(CSRF_FIELD)
    given = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not isinstance(expected, str) or not hmac.compare_digest(
        given.encode("utf-8"), expected.encode("utf-8")
    ):
        abort(400, description="the form has expired or did not come from this site")
