"""Group chats: is a message addressed to the bot, and what is the question without the mention.

LINE gives a mention's position as an index and length in UTF-16 code units; Python indexes
code points, so the spans are mapped before they are cut.
"""

from __future__ import annotations

import re

#: Characters allowed between the bot's name and the question ("บอท, วิสัยทัศน์คืออะไร").
_NAME_SEPARATORS = " \t\u3000,:;、，：-–—"


def addressed_text(text: str, mention, bot_user_id: str | None, bot_name: str) -> str | None:
    """The question in a group message addressed to the bot, or None if it isn't.

    Addressed means a mention of the bot (`isSelf`, or the bot's user id, which LINE sends
    as the payload's `destination`) or a message starting with the bot's name ("บอท ...",
    "@บอท ..."). The mention text is cut out using its index and length, so
    "@planbot แล้วพันธกิจล่ะ" becomes "แล้วพันธกิจล่ะ".
    """
    spans = []
    for mentionee in getattr(mention, "mentionees", None) or []:
        is_self = getattr(mentionee, "is_self", None) is True
        is_bot_id = bool(bot_user_id) and getattr(mentionee, "user_id", None) == bot_user_id
        if is_self or is_bot_id:
            spans.append((mentionee.index, mentionee.length))
    if spans:
        return _cut_spans(text, spans).strip()
    stripped = text.lstrip()
    for prefix in (f"@{bot_name}", bot_name):
        if prefix and stripped.startswith(prefix):
            return stripped[len(prefix) :].lstrip(_NAME_SEPARATORS).strip()
    return None


def _cut_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Remove mention spans given as LINE's index and length.

    LINE counts in UTF-16 units (equal to Python's code points unless the text has emoji
    outside the BMP before the mention). If a UTF-16 reading doesn't land on the "@" but a
    code-point reading does, the code-point reading is used. Spans that repeat or overlap
    are merged first, so each character is cut once and no piece of a mention is left.
    """
    offsets = _utf16_to_index(text)
    total = max(offsets)
    cuts = []
    for index, length in spans:
        if index < 0 or length <= 0:
            continue
        start, end = offsets.get(index), offsets.get(min(index + length, total))
        if (start is None or text[start : start + 1] != "@") and text[index : index + 1] == "@":
            start, end = index, min(index + length, len(text))
        if start is not None and end is not None and start < end:
            cuts.append((start, end))
    merged: list[list[int]] = []
    for start, end in sorted(cuts):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + " " + text[end:]
    return re.sub(r"\s+", " ", text)


def _utf16_to_index(text: str) -> dict[int, int]:
    """Map each UTF-16 offset that starts a character (and the end) to a code-point index."""
    offsets, units = {}, 0
    for position, char in enumerate(text):
        offsets[units] = position
        units += 2 if ord(char) > 0xFFFF else 1
    offsets[units] = len(text)
    return offsets
