"""The answer engine: a Thai question and a conversation state in, a `Reply` out.

(Interface stub: the implementation lands next. Signatures are final.)
"""

from __future__ import annotations

from pathlib import Path

from bot.reply import Reply, State

DEFAULT_MAX_QUESTION_CHARS = 500


class Engine:
    """Answers questions from one loaded index. Build once, call `answer` many times."""

    def __init__(self, db_path: str | Path, max_question_chars: int = DEFAULT_MAX_QUESTION_CHARS):
        raise NotImplementedError

    def answer(self, question: str, state: State | None = None) -> Reply:
        """Answer one question in the context of `state`; the new state is `reply.state`."""
        raise NotImplementedError

    def postback(self, data: str, state: State | None = None) -> Reply:
        """Answer a postback (`section=goal`, `owner=ID&section=vision`, `action=choose_owner`)."""
        raise NotImplementedError

    def welcome(self, state: State | None = None) -> Reply:
        """The greeting for follow and join events, with quick replies to start."""
        raise NotImplementedError

    @property
    def info(self) -> dict:
        """Index metadata for /healthz: built_at, owners, passages, schema, tokenizer."""
        raise NotImplementedError


class EngineCache:
    """Keeps one Engine per process and swaps in a new one when the index file changes.

    The check is one `os.stat` per call (microseconds); the index is reopened only when
    `python -m index rebuild` has renamed a new file into place.
    """

    def __init__(self, db_path: str | Path, **engine_options):
        raise NotImplementedError

    def get(self) -> Engine:
        """The engine for the index now on disk."""
        raise NotImplementedError
