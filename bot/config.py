"""Configuration for the LINE webhook: defaults, then the environment, then a test dict.

Config keys are the environment variable names (see `.env.example`). Nothing here runs
at import time; `load_config` is called by `create_app`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from pathlib import Path

from index.paths import DEFAULT_DB as INDEX_DB

#: Used to verify signatures when LINE_CHANNEL_SECRET is not set (local mode). It is not a
#: secret: it is printed at startup so an admin can sign a `curl` request with it.
DEFAULT_DEV_SECRET = "planbot-local-development-secret"

DEFAULT_BOT_NAME = "บอท"
DEFAULT_DB = str(INDEX_DB)  # one meaning with `python -m index` (index.paths)
DEFAULT_STATE_DB = "instance/state.db"
DEFAULT_STATE_TTL = 3600  # seconds idle before a conversation is forgotten
DEFAULT_MAX_QUESTION_CHARS = 500
DEFAULT_RATE_LIMIT = 20  # messages per window per user (issue 7)
DEFAULT_RATE_WINDOW = 60.0  # seconds: the rate limit's window, one minute
DEFAULT_MAX_BODY = 1024 * 1024  # bytes; LINE's own bodies are far smaller
#: Seconds /callback waits for the answers before LINE gets its 200: none (events are
#: journaled first, and answered from the journal); tests set it to see replies in order.
DEFAULT_REPLY_WAIT = 0.0
DEFAULT_LINE_TIMEOUT = 5.0  # seconds for one LINE API call (connect and read)
DEFAULT_LOG_DAYS = 30  # days the question log keeps an unanswered question; 0 turns it off
LOG_DB_NAME = "questions.db"  # the question log's file, beside the state DB unless set
MIN_ADMIN_TOKEN_CHARS = 16
#: Seconds after a delivery during which its reply is retried (LINE's reply tokens last
#: about a minute).
DEFAULT_REPLY_DEADLINE = 50.0
#: Event-handling threads per process. Mostly waiting on LINE: when LINE answers in 4 s,
#: 32 threads in each of 2 workers keep up with 16 events/s.
DEFAULT_THREADS = 32
#: Request threads per process that may answer their events themselves once LINE has its
#: 200 (no hand-off to the pool). Under gunicorn, unless PLANBOT_INLINE is set, one fewer
#: than its --threads (7 with the Procfile's 8; `bot.gunicorn_conf.post_worker_init`), so
#: webhooks always find a free thread; this default is for other servers. 0: every event
#: goes to the pool.
DEFAULT_INLINE = 4
#: Replies each worker's engine remembers for questions asked again in the same state
#: (`bot.engine.ReplyCache`), about 4 KB each, so some 8 MB; 0 turns it off.
DEFAULT_ANSWER_CACHE = 2048

DEFAULTS: dict[str, object] = {
    "LINE_CHANNEL_SECRET": None,
    "LINE_CHANNEL_ACCESS_TOKEN": None,
    "LINE_API_HOST": None,
    "PLANBOT_DB": DEFAULT_DB,
    "PLANBOT_STATE_DB": DEFAULT_STATE_DB,
    "PLANBOT_STATE_URL": None,  # sqlite:///path or redis://host:port/db; unset: PLANBOT_STATE_DB
    "PLANBOT_STATE_TTL": DEFAULT_STATE_TTL,
    "PLANBOT_MAX_QUESTION_CHARS": DEFAULT_MAX_QUESTION_CHARS,
    "PLANBOT_RATE_LIMIT": DEFAULT_RATE_LIMIT,
    "PLANBOT_RATE_WINDOW": DEFAULT_RATE_WINDOW,
    "PLANBOT_MAX_BODY": DEFAULT_MAX_BODY,
    "PLANBOT_BOT_NAME": DEFAULT_BOT_NAME,
    "PLANBOT_HASH_KEY": None,
    "PLANBOT_DEV_SECRET": DEFAULT_DEV_SECRET,
    "PLANBOT_REPLY_WAIT": DEFAULT_REPLY_WAIT,
    "PLANBOT_LINE_TIMEOUT": DEFAULT_LINE_TIMEOUT,
    "PLANBOT_REPLY_DEADLINE": DEFAULT_REPLY_DEADLINE,
    # Push an important answer whose reply LINE kept failing. Off: pushes count against the
    # channel's monthly quota (per member in a group).
    "PLANBOT_PUSH_FALLBACK": False,
    "PLANBOT_THREADS": DEFAULT_THREADS,
    "PLANBOT_INLINE": DEFAULT_INLINE,
    "PLANBOT_ANSWER_CACHE": DEFAULT_ANSWER_CACHE,
    "PLANBOT_LOG_LEVEL": "INFO",
    "PLANBOT_ADMIN_TOKEN": None,
    "PLANBOT_LOG_DAYS": DEFAULT_LOG_DAYS,
    "PLANBOT_LOG_DB": None,
    "PLANBOT_PROXY_HOPS": 0,  # reverse proxies in front of gunicorn whose X-Forwarded-* to trust
    # The web process (the Procfile's gunicorn) refuses to start without an index at PLANBOT_DB;
    # on, it builds one from the corpus first (python -m index rebuild) instead.
    "PLANBOT_BUILD_INDEX": False,
}

INT_KEYS = (
    "PLANBOT_STATE_TTL",
    "PLANBOT_MAX_QUESTION_CHARS",
    "PLANBOT_RATE_LIMIT",
    "PLANBOT_MAX_BODY",
    "PLANBOT_THREADS",
    "PLANBOT_ANSWER_CACHE",
    "PLANBOT_INLINE",
)
FLOAT_KEYS = (
    "PLANBOT_REPLY_WAIT",
    "PLANBOT_LINE_TIMEOUT",
    "PLANBOT_RATE_WINDOW",
    "PLANBOT_REPLY_DEADLINE",
)
#: Keys that may be 0.
ZERO_ALLOWED = ("PLANBOT_REPLY_WAIT", "PLANBOT_ANSWER_CACHE", "PLANBOT_INLINE")
BOOL_KEYS = ("PLANBOT_PUSH_FALLBACK", "PLANBOT_BUILD_INDEX")


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message names the key."""


def load_config(overrides: Mapping | None = None, environ: Mapping | None = None) -> dict:
    """Defaults, then environment variables, then `overrides`; values checked and typed."""
    environ = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    for key in DEFAULTS:
        value = environ.get(key)
        if value not in (None, ""):
            config[key] = value
    if overrides:
        config.update(overrides)
    for key in INT_KEYS:
        config[key] = _number(key, config[key], int, zero=key in ZERO_ALLOWED)
    for key in FLOAT_KEYS:
        config[key] = _number(key, config[key], float, zero=key in ZERO_ALLOWED)
    for key in BOOL_KEYS:
        config[key] = _flag(key, config[key])
    if config["PLANBOT_STATE_URL"]:
        from bot.state import StateURLError, check_state_url

        try:
            check_state_url(str(config["PLANBOT_STATE_URL"]))
        except StateURLError as error:
            raise ConfigError(str(error)) from None
    if not str(config["PLANBOT_BOT_NAME"] or "").strip():
        config["PLANBOT_BOT_NAME"] = DEFAULT_BOT_NAME
    config["PLANBOT_LOG_DAYS"] = _whole("PLANBOT_LOG_DAYS", config["PLANBOT_LOG_DAYS"], "off")
    config["PLANBOT_PROXY_HOPS"] = _whole("PLANBOT_PROXY_HOPS", config["PLANBOT_PROXY_HOPS"],
                                          "no proxy")
    if not config["PLANBOT_LOG_DB"]:
        config["PLANBOT_LOG_DB"] = str(Path(config["PLANBOT_STATE_DB"]).parent / LOG_DB_NAME)
    token = config["PLANBOT_ADMIN_TOKEN"]
    if token and len(str(token)) < MIN_ADMIN_TOKEN_CHARS:
        # It guards uploads that replace plans: a short one could be guessed.
        raise ConfigError(
            f"PLANBOT_ADMIN_TOKEN must be at least {MIN_ADMIN_TOKEN_CHARS} characters "
            "(try: python -c 'import secrets; print(secrets.token_urlsafe(24))')"
        )
    config["PLANBOT_ADMIN_TOKEN"] = str(token) if token else None
    # Whether PLANBOT_INLINE was chosen, or is the default that gunicorn's threads replace.
    config["PLANBOT_INLINE_SET"] = (environ.get("PLANBOT_INLINE") not in (None, "")
                                    or "PLANBOT_INLINE" in (overrides or {}))
    config["PLANBOT_LOCAL_MODE"] = not (
        config["LINE_CHANNEL_SECRET"] and config["LINE_CHANNEL_ACCESS_TOKEN"]
    )
    return config


def signing_secret(config: Mapping) -> str:
    """The secret webhook signatures are checked against (the dev secret in local mode)."""
    return config["LINE_CHANNEL_SECRET"] or config["PLANBOT_DEV_SECRET"]


def hash_key(config: Mapping) -> bytes:
    """The key for hashing LINE ids: PLANBOT_HASH_KEY, else derived from the signing secret."""
    if config.get("PLANBOT_HASH_KEY"):
        return str(config["PLANBOT_HASH_KEY"]).encode("utf-8")
    # Derived, not the secret itself, so the state DB never holds anything that signs requests.
    return hmac.new(
        signing_secret(config).encode("utf-8"), b"planbot-state-hash-v1", hashlib.sha256
    ).digest()


def _whole(key: str, value, zero: str) -> int:
    """A whole number, 0 (which means `zero`) or more: PLANBOT_LOG_DAYS, PLANBOT_PROXY_HOPS."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key} must be a whole number, got {value!r}") from None
    if number < 0:
        raise ConfigError(f"{key} must be 0 ({zero}) or more, got {value!r}")
    return number


def _number(key: str, value, kind, zero: bool = False):
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key} must be a number, got {value!r}") from None
    if number < 0 or (number == 0 and not zero):
        raise ConfigError(f"{key} must be greater than 0, got {value!r}")
    return number


def _flag(key: str, value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{key} must be on or off (1/0, true/false), got {value!r}")
