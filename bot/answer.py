"""The answer engine's public face: `Engine` (bot.engine) and `EngineCache` (bot.reload).

`from bot.answer import Engine, EngineCache` is what the webhook, the CLI, the benchmark and
the tests use; the engine's parts live in their own modules (see bot.engine's docstring).
"""

from __future__ import annotations

from bot.engine import DEFAULT_MAX_QUESTION_CHARS, Engine
from bot.reload import BACKGROUND_RELOAD_BYTES, EngineCache

__all__ = ["BACKGROUND_RELOAD_BYTES", "DEFAULT_MAX_QUESTION_CHARS", "Engine", "EngineCache"]
