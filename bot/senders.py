"""Sending to LINE: `LineSender` through the Messaging API, `LocalSender` to the log.

Both have `reply(token, messages, kind)` and `push(to, messages, kind, retry_key)` and return
the HTTP status (200 on success, 0 when LINE could not be reached); LINE's errors are logged
(status, request id, LINE's short message) and swallowed, never the request.
"""

from __future__ import annotations

import json
import logging

from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    PushMessageRequest,
    ReplyMessageRequest,
)

# The webhook's log lines keep the logger name they have always had, whichever module writes them.
logger = logging.getLogger("bot.webhook")


class LineSender:
    """Sends replies and pushes through the Messaging API; logs and swallows LINE's errors."""

    def __init__(self, access_token: str, host: str | None = None, timeout: float = 5.0):
        configuration = Configuration(access_token=access_token, host=host or None)
        self.api = MessagingApi(ApiClient(configuration))
        self.timeout = timeout

    def reply(self, reply_token: str, messages: list, kind: str) -> int:
        """Reply; returns the HTTP status (200 on success, 0 when LINE could not be reached)."""
        request_body = ReplyMessageRequest(reply_token=reply_token, messages=messages)
        return self._call(
            "reply",
            lambda: self.api.reply_message(request_body, _request_timeout=self.timeout),
        )

    def push(self, to: str, messages: list, kind: str, retry_key: str) -> int:
        """Push (the fallback when a reply failed); `retry_key` makes LINE deliver it once."""
        request_body = PushMessageRequest(to=to, messages=messages)
        return self._call(
            "push",
            lambda: self.api.push_message(
                request_body, x_line_retry_key=retry_key, _request_timeout=self.timeout
            ),
        )

    @staticmethod
    def _call(operation: str, send) -> int:
        try:
            send()
        except ApiException as error:
            logger.error(
                "LINE %s failed: status=%s request_id=%s message=%s",
                operation,
                error.status,
                _header(error.headers, "x-line-request-id"),
                _line_error_message(error.body),
            )
            return int(error.status or 0)
        except Exception as error:  # timeouts, refused connections: urllib3's own classes
            logger.error("LINE %s failed: %s", operation, type(error).__name__)
            return 0
        return 200


class LocalSender:
    """Local mode: logs each reply (the bot's own words, not the user's) instead of sending it."""

    def reply(self, reply_token: str, messages: list, kind: str) -> int:
        """Log the reply that would have been sent."""
        body = [message.to_dict() for message in messages]
        logger.info(
            "local mode, not sent: reply kind=%s %s",
            kind,
            json.dumps(body, ensure_ascii=False),
        )
        return 200

    def push(self, to: str, messages: list, kind: str, retry_key: str) -> int:
        """Log the push that would have been sent."""
        return self.reply("", messages, kind)


def _header(headers, name: str) -> str | None:
    if not headers:
        return None
    try:
        return headers.get(name) or headers.get(name.title())
    except AttributeError:
        return None


def _line_error_message(body) -> str | None:
    """LINE's error `message` field (e.g. "Invalid reply token"), short; never the request."""
    try:
        message = json.loads(body).get("message")
    except Exception:
        return None
    return str(message)[:200] if message else None
