"""The answer engine: a Thai question and a conversation state in, a `Reply` out.

It quotes the plan's own words and names the owner and the section. When an item is named the
answer is an exact lookup in the parsed tree; otherwise the section is quoted whole, or, for a
question about a topic, BM25 picks the passages. When the plan does not say, the reply says so.
Nothing here imports Flask or LINE.

Where things are: `bot.understand` reads the question, `bot.dialogue` holds the rules that
decide the reply, `bot.quote` and `bot.wording` write it, `bot.lookup` finds items and ranks
passages, `bot.memory` changes what the conversation remembers, `index.store` loads the index.
"""

from __future__ import annotations

import copy
import json
import pickle
import threading
from collections import OrderedDict
from pathlib import Path
from urllib.parse import parse_qs

from bot import dialogue, memory, quote, wording
from bot.catalog import Catalog
from bot.config import DEFAULT_ANSWER_CACHE, DEFAULT_MAX_QUESTION_CHARS
from bot.reply import Reply, State
from bot.understand import Question, understand
from index.headings import KINDS
from index.store import Store
from index.text import fold
from index.tokenize import tokenize


class Engine:
    """Answers questions from one loaded index. Build once, call `answer` many times."""

    def __init__(self, db_path: str | Path, max_question_chars: int = DEFAULT_MAX_QUESTION_CHARS,
                 answer_cache: int = DEFAULT_ANSWER_CACHE):
        self.db_path = Path(db_path)
        self.max_question_chars = max_question_chars
        self.replies = ReplyCache(answer_cache)
        self.store = Store(self.db_path)
        self.catalog = Catalog(self.store)
        self.meta = self.store.meta
        self.owners = self.store.owners
        self.passages = self.store.passages
        self.matcher = self.catalog.matcher  # one per index, shared with the tables
        tokenize("วิสัยทัศน์")  # load the tokenizer's dictionary now, not at the first question

    @property
    def info(self) -> dict:
        """Index metadata for /healthz: built_at, owners, passages, schema, tokenizer."""
        return {
            "built_at": self.meta.get("built_at"),
            "owners": len(self.owners),
            "passages": len(self.passages.passages),
            "schema_version": self.meta.get("schema_version"),
            "tokenizer": self.meta.get("tokenizer"),
        }

    def answer(self, question: str, state: State | None = None) -> Reply:
        """Answer one question in the context of `state`; the new state is `reply.state`.

        The answer depends on nothing but the question, the state and this engine's index, so
        a question asked again in the same state is answered from `replies` (a fresh copy).
        """
        key = None
        if isinstance(question, str) and self.replies.size:
            key = (question, "" if state is None else json.dumps(state.to_dict()))
            cached = self.replies.get(key)
            if cached is not None:
                return cached
        reply = self._answer(question, state)
        if key is not None:
            self.replies.put(key, reply)
        return reply

    def _answer(self, question: str, state: State | None) -> Reply:
        state = memory.current(state, self.owners)
        text = question if isinstance(question, str) else ""
        truncated = len(text) > self.max_question_chars
        text = text[: self.max_question_chars]
        folded = fold(text)  # once: PyThaiNLP's normalize is a good part of a short answer
        if not folded.strip(" ?!.,"):
            reply = wording.dont_know(self.catalog, state)
        else:
            reply = dialogue.route(self.catalog, understand(text, self.matcher, folded), state)
        if truncated:
            note = wording.truncated_note(self.max_question_chars)
            reply.footer = f"{reply.footer}\n{note}".strip()
            reply.text = f"{reply.text}\n{note}"
        return reply

    def postback(self, data: str, state: State | None = None) -> Reply:
        """Answer a postback (`section=goal`, `owner=ID&section=vision`, `action=choose_owner`,
        `action=next_page`)."""
        state = memory.current(state, self.owners)
        fields = {k: v[0] for k, v in parse_qs(data or "").items() if v}
        if fields.get("action") == "choose_owner":
            return wording.owner_list(self.catalog, state, "choose")
        if fields.get("action") == "next_page":  # the "ถัดไป" tap under a long list
            return dialogue.route(self.catalog, Question("", intent="more"), state)
        owner, kind = fields.get("owner"), fields.get("section")
        if (owner is not None and owner not in self.owners) or (
                kind is not None and kind not in KINDS):
            return wording.dont_know(self.catalog, state)
        owner = owner or state.owner
        if owner is None:
            if kind:
                return wording.which_owner(self.catalog, state, kind, [])
            return wording.owner_list(self.catalog, state, "choose")
        if kind is None:
            return wording.overview(self.catalog, state, owner)
        return quote.section(self.catalog, state, owner, kind, [])

    def welcome(self, state: State | None = None) -> Reply:
        """The greeting for follow and join events, with quick replies to start."""
        state = copy.deepcopy(state) if state is not None else State()
        return wording.welcome(self.catalog, state)


class ReplyCache:
    """The most recently asked questions' replies, at most `size` (0: none), thread-safe.

    Teachers ask the same few things over and over ("วิสัยทัศน์ สพม.13", "กลยุทธ์ที่ 3"), and
    every conversation starts from the same empty state, so most questions are answered
    from here after the first time. Replies are kept pickled: each caller gets its own copy
    to change, and a kept reply never changes. `hits` and `misses` count since the engine
    loaded. An engine is never changed after it loads (a rebuild loads a new one), so
    nothing here goes stale.
    """

    def __init__(self, size: int):
        self.size = max(0, int(size))
        self.hits = 0
        self.misses = 0
        self._replies: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Reply | None:
        """A copy of the reply kept for `key`, or None."""
        with self._lock:
            data = self._replies.get(key)
            if data is None:
                self.misses += 1
                return None
            self._replies.move_to_end(key)
            self.hits += 1
        return pickle.loads(data)

    def put(self, key: tuple, reply: Reply) -> None:
        """Keep `reply` for `key`, forgetting the least recently asked one when full."""
        data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._replies[key] = data
            self._replies.move_to_end(key)
            while len(self._replies) > self.size:
                self._replies.popitem(last=False)

    def __len__(self) -> int:
        return len(self._replies)
