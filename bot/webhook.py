"""The LINE webhook's routes: `POST /callback`, `GET /healthz` and `GET /metrics`, as the blueprint `bp`.

The request thread only checks the size, the signature (line-bot-sdk's
`SignatureValidator`, on the raw body) and the JSON, then hands the events to the
`bot.runtime.Runtime`, which writes them to the event journal and returns: LINE gets its
200 within milliseconds, whatever LINE's API or the engine is doing. The answers follow
from the journal, in this thread once the 200 is written or in the runtime's pool (see
`bot.runtime`). PLANBOT_REPLY_WAIT (0 by default) lets tests wait
for them before the 200.

`GET /metrics` shows this worker's counts of what happened to events and LINE calls
(sent, refused, gave_up, line_retries, recovered...) since the worker started.

Nothing secret or personal is logged at INFO: no token, no secret, no LINE id, no
message text.
"""

from __future__ import annotations

import json
import logging
import os
import time

from flask import Blueprint, abort, current_app, jsonify, request

from bot.indexinfo import file_checksum
from bot.reload import IndexUnavailable
from bot.runtime import Runtime

logger = logging.getLogger(__name__)

bp = Blueprint("webhook", __name__)

EXTENSION = "planbot"


# -- routes ------------------------------------------------------------------------------------


@bp.post("/callback")
def callback():
    """Verify and accept one webhook delivery from LINE; reply to its events."""
    received = time.monotonic()  # LINE's 2 seconds count from here, not from the parse
    runtime: Runtime = current_app.extensions[EXTENSION]
    limit = current_app.config["PLANBOT_MAX_BODY"]
    if request.content_length is not None and request.content_length > limit:
        abort(413)
    if request.content_length is None and request.environ.get("wsgi.input_terminated"):
        # Chunked upload: Werkzeug would silently cut it at MAX_CONTENT_LENGTH; read one
        # byte past the limit ourselves so an oversized body is refused, not truncated.
        body = _read_at_most(request.environ["wsgi.input"], limit + 1)
    else:
        body = request.get_data(cache=False)  # Werkzeug refuses more than MAX_CONTENT_LENGTH
    if len(body) > limit:
        abort(413)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        abort(400)
    signature = request.headers.get("X-Line-Signature", "")
    if not signature or not runtime.validator.validate(text, signature):
        logger.warning("webhook: rejected a request with a missing or wrong signature")
        abort(400)
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        logger.warning("webhook: rejected a signed request whose body is not JSON")
        abort(400)
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        logger.warning("webhook: rejected a signed request without an events list")
        abort(400)
    response = current_app.response_class("OK")
    try:
        # The events are answered after the 200 is written, in this thread where it may.
        runtime.dispatch(payload, received, defer=response.call_on_close)
    except Exception:  # never a 500: LINE would retry, and the user would get nothing better
        logger.exception("webhook: dispatching events failed")
    return response


@bp.get("/healthz")
def healthz():
    """The index being served: build time, owners, passages, and the index file's SHA-256 and
    size, so an operator sees that every host serves the same index. Nothing secret.

    `status` is "ok" (200) when the engine answers from the index file now on disk;
    "degraded" (200, with `reason` and `since`) when it answers from the last good index
    because the file is missing or cannot be loaded; "unavailable" (503, with `reason`) when
    no index could ever be loaded. A worker still loading its index answers when it has.
    """
    runtime: Runtime = current_app.extensions[EXTENSION]
    mode = "local" if current_app.config["PLANBOT_LOCAL_MODE"] else "line"
    cache = runtime.engine_cache()
    try:
        info = runtime.engine(fresh=True).info
    except IndexUnavailable as error:  # logged once by the cache, not at every poll
        return jsonify(status="unavailable", mode=mode, index=None, reason=str(error),
                       since=cache.health().since_text), 503
    except Exception:
        logger.exception("healthz: the answer engine is not available")
        return jsonify(status="unavailable", mode=mode, index=None), 503
    index = {key: info.get(key) for key in ("built_at", "owners", "passages")}
    if cache is None:  # an injected engine has no file of its own
        return jsonify(status="ok", mode=mode, index=index)
    health = cache.health()
    if health.status != "ok":  # the file on disk is not the index being served
        index.update(sha256=None, bytes=None)
        return jsonify(status=health.status, mode=mode, index=index, reason=health.reason,
                       since=health.since_text)
    try:
        index.update(file_checksum(cache.db_path))
    except OSError:  # gone since the engine loaded it: say so rather than fail the check
        logger.warning("healthz: the index file cannot be read for its checksum")
        index.update(sha256=None, bytes=None)
    return jsonify(status="ok", mode=mode, index=index)


@bp.get("/metrics")
def metrics():
    """This worker's counts of events and LINE calls since it started, and of its engine's
    remembered replies since the index loaded (`answer_cache`, null before it has), and how
    many of its request threads may answer their own events (`inline_limit`), as JSON.
    No ids, no questions."""
    runtime: Runtime = current_app.extensions[EXTENSION]
    return jsonify(worker=os.getpid(), events=runtime.counts.snapshot(),
                   answer_cache=runtime.answer_cache_figures(),
                   inline_limit=runtime.inline_limit)


def _read_at_most(stream, size: int) -> bytes:
    """Up to `size` bytes of a WSGI input stream (reads may return less than asked)."""
    parts, total = [], 0
    while total < size:
        chunk = stream.read(min(64 * 1024, size - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def _plain_error(error):
    """Short error pages that never echo the request."""
    return f"{error.code} {error.name}\n", error.code, {"Content-Type": "text/plain"}


def init_app(app) -> None:
    """Attach the webhook runtime (state store, LINE client, thread pool) to `app`."""
    app.extensions[EXTENSION] = Runtime(app.config)
    for code in (400, 404, 405, 413):
        app.register_error_handler(code, _plain_error)
