"""What a message wants besides a quote: a greeting, thanks, help, or the list of offices.

`INTENTS` is tried in order; the first rule whose pattern matches gives the intent. A new
intent is one new row here (its words in index.vocab) and one test.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.understand.align import ALIGN_QUESTION
from bot.understand.question import Question
from index.vocab import (
    CHOOSE_PATTERNS,
    FOLLOW_UP_PATTERNS,
    GREETING_PATTERNS,
    HELP_PATTERNS,
    LIST_OWNERS_PATTERNS,
    THANKS_PATTERNS,
)


def _either(patterns) -> re.Pattern:
    return re.compile("(" + "|".join(patterns) + ")")


FOLLOW_UP = _either(FOLLOW_UP_PATTERNS)


class Intent(NamedTuple):
    """One intent rule: its name, its words, whether it counts only when nothing else is asked."""

    name: str
    pattern: re.Pattern
    alone: bool  # only when the message names no owner, section or item
    example: str


INTENTS = (
    Intent("align", ALIGN_QUESTION, False, "โครงการรักการอ่านสอดคล้องกับกลยุทธ์ไหน"),
    Intent("choose_owner", _either(CHOOSE_PATTERNS), False, "เลือกเขต, เปลี่ยนเขต สพม.13"),
    Intent("list_owners", _either(LIST_OWNERS_PATTERNS), False, "มีเขตอะไรบ้าง"),
    Intent("help", _either(HELP_PATTERNS), True, "ช่วยเหลือ, ใช้ยังไง"),
    Intent("thanks", _either(THANKS_PATTERNS), True, "ขอบคุณค่ะ"),
    Intent("greeting", re.compile("^" + _either(GREETING_PATTERNS).pattern), True, "สวัสดีครับ"),
)


def intent_of(q: Question) -> str | None:
    """The first intent of `INTENTS` the question matches, or None for a question about plans."""
    stripped = q.text.strip(" ?!.,")
    asks_something = bool(q.owners or q.kind is not None or q.refs)
    for intent in INTENTS:
        if intent.alone and asks_something:
            continue
        if intent.pattern.search(stripped):
            return intent.name
    return None
