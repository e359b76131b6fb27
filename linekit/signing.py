"""The `X-Line-Signature` of a webhook request, as LINE computes it."""

from __future__ import annotations

import base64
import hashlib
import hmac


def sign(body: bytes, secret: str) -> str:
    """Base64 of HMAC-SHA256 over the raw request body, keyed with the channel secret."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signed_headers(body: bytes, secret: str) -> dict[str, str]:
    """The headers LINE's webhook request carries: JSON, its user agent and the signature."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "LineBotWebhook/2.0",
        "X-Line-Signature": sign(body, secret),
    }
