"""planbot: a LINE bot that answers Thai teachers' questions about education offices' plans.

`create_app()` builds the Flask app (gunicorn runs `bot:create_app()`); the answer engine
itself (`bot.answer`, `bot.reply`) knows nothing of Flask or LINE.
"""

from __future__ import annotations

import logging
import os
import sys

from flask import Flask

from bot.config import load_config

logger = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    """The webhook app: defaults, then the environment, then `config` (tests)."""
    app = Flask(__name__, static_folder=None)
    settings = load_config(config)
    app.config.update(settings)
    # Werkzeug refuses larger bodies with 413 before we read them.
    app.config["MAX_CONTENT_LENGTH"] = settings["PLANBOT_MAX_BODY"]
    _configure_logging(settings["PLANBOT_LOG_LEVEL"])
    if settings["PLANBOT_LOCAL_MODE"]:
        _warn_local_mode(settings)

    from bot import webhook

    webhook.init_app(app)
    app.register_blueprint(webhook.bp)

    from bot import web

    web.init_app(app)  # /chat and /admin

    from index.cli import cli as index_cli

    app.cli.add_command(index_cli, "index")
    if settings["PLANBOT_PROXY_HOPS"]:
        # Behind N reverse proxies the client's address and scheme are in X-Forwarded-For and
        # -Proto, each proxy appending one; the last N are trusted, anything before is the
        # client's own (forgeable) text. Without this every client has the proxy's address.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = settings["PLANBOT_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    return app


def _configure_logging(level: str) -> None:
    """Give the `bot` loggers a stderr handler unless the host (pytest, gunicorn) set one up."""
    bot_logger = logging.getLogger("bot")
    bot_logger.setLevel(str(level).upper())
    if not bot_logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        bot_logger.addHandler(handler)


def _warn_local_mode(settings: dict) -> None:
    """Say loudly that replies are not sent, and how to sign a request by hand."""
    missing = [
        key
        for key in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN")
        if not settings[key]
    ]
    if settings["LINE_CHANNEL_SECRET"]:
        secret_note = "webhook signatures are checked with LINE_CHANNEL_SECRET"
    else:
        secret_note = (
            "webhook signatures are checked with the development secret "
            f"{settings['PLANBOT_DEV_SECRET']!r} (PLANBOT_DEV_SECRET)"
        )
    logger.warning(
        "LOCAL MODE: %s not set. Replies are logged, not sent to LINE; %s. "
        "Chat with the bot in a browser: http://localhost:%s/chat",
        " and ".join(missing),
        secret_note,
        os.environ.get("PORT") or "8000",  # gunicorn's port (Procfile, make run)
    )
