"""Turn an engine `Reply` into LINE Messaging API v3 message objects, within LINE's limits.

LINE's limits are `linekit.limits` (checked against LINE's reference there): at most 5
messages per reply, 5000 characters per text message, 13 quick-reply items with labels of
at most 20 characters, message-action text of at most 300. Lengths are counted in UTF-16
code units, which is what LINE's clients count; Thai is one unit per character, an emoji
outside the BMP is two.

Flex or text? A Flex bubble shows a list of numbered items better than text, but its
`altText` is all that notifications, the chat list and older clients show, and it must
carry the answer. So a reply becomes a Flex bubble only when it has at least two blocks
(a list) and its whole text fits in `FLEX_MAX_TEXT` (400) characters. Longer answers are
sent as plain text only: a Flex plus the same text would show the answer twice in the
chat, and a Flex with a cut-down `altText` would hide part of the answer.

Long text is split at Block boundaries (header, each item, footer), never inside an item.
Only an item longer than one whole message (5000) is split, at its line breaks, and
failing those at the limit. If even that needs more than 5 messages, the fifth ends with
a note asking the user to narrow the question. Every Unicode line or paragraph separator
(U+2028, U+2029, NEL, CR, VT, FF, the information separators) counts as a line break
before splitting, and every cut makes progress, so splitting ends on any text.

The messages are LINE's JSON as plain dicts (`line_json`), in the exact shape and key order
line-bot-sdk would send (tests/test_messages.py compares the bytes on the wire), so a reply
costs no SDK model building per event. `to_line_messages` gives the same messages as SDK
models, for code that wants them.
"""

from __future__ import annotations

import re

from linebot.v3.messaging import Message

from bot.reply import Block, Reply
from bot.reply import render_block as reply_render_block
from linekit.limits import (
    MAX_ACTION_TEXT,
    MAX_LABEL,
    MAX_MESSAGES,
    MAX_QUICK_REPLY_ITEMS,
    MAX_TEXT,
    utf16_len,
)

#: The longest answer sent as a Flex list. Not LINE's altText limit (MAX_ALT_TEXT, 1500): 400
#: is the figure this bot has always used (once thought to be LINE's limit); raising it would
#: send lists of up to 1500 characters as Flex, a change of behaviour for its own commit.
FLEX_MAX_TEXT = 400

TRUNCATED_NOTE = "… (คำตอบยาวเกินกว่าที่แสดงได้ในครั้งเดียว ลองถามเจาะจงเฉพาะข้อที่ต้องการ)"
NOT_TEXT_HINT = (
    "ขออภัย บอทอ่านได้เฉพาะข้อความตัวอักษร 🙏\n"
    "ลองพิมพ์คำถามเกี่ยวกับแผนกลยุทธ์ เช่น “วิสัยทัศน์คืออะไร” หรือ “เลือกเขต”"
)
APOLOGY = "ขออภัย ระบบขัดข้องชั่วคราว กรุณาลองถามใหม่อีกครั้ง"

#: Everything `str.splitlines` breaks at, as one line break (CR LF first: one break, not two).
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def normalise_breaks(text: str) -> str:
    """`text` with every Unicode line or paragraph separator as "\\n"."""
    return _LINE_BREAKS.sub("\n", text)


def clip(text: str, limit: int, ellipsis: str = "…") -> str:
    """`text` cut to at most `limit` UTF-16 units, ending with `ellipsis` if it was cut."""
    if utf16_len(text) <= limit:
        return text
    room = limit - utf16_len(ellipsis)
    out, used = [], 0
    for char in text:
        size = utf16_len(char)
        if used + size > room:
            break
        out.append(char)
        used += size
    return "".join(out).rstrip() + ellipsis


def render_block(block: Block) -> str:
    """One block as the engine's reply text shows it (bot.reply.render_block: one renderer)."""
    return reply_render_block(block)


def text_chunks(reply: Reply, limit: int = MAX_TEXT, max_messages: int = MAX_MESSAGES) -> list[str]:
    """The reply's text in at most `max_messages` pieces of at most `limit`, cut between blocks."""
    text = normalise_breaks(reply.text or "").strip()
    if text and utf16_len(text) <= limit:
        return [text]
    units = [
        normalise_breaks(u)
        for u in [reply.header, *map(render_block, reply.blocks), reply.footer]
        if u
    ]
    if not reply.blocks:
        units = [u for u in text.split("\n\n") if u.strip()]  # no structure: paragraphs
    if not units:
        return []
    chunks = _pack(units, [limit])
    if len(chunks) <= max_messages:
        return chunks
    # Too long for one reply: keep what fits and say so at the end of the last message.
    last = limit - utf16_len(TRUNCATED_NOTE) - 1
    chunks = _pack(units, [limit] * (max_messages - 1) + [last])[:max_messages]
    # The piece that ends the reply was not always packed with the shorter limit (fewer
    # pieces this time): cut it so that the note still fits.
    tail = _head(chunks[-1], last)
    if utf16_len(tail) > last:  # one wide character over a tiny limit: the note alone
        return [*chunks[:-1], TRUNCATED_NOTE]
    return [*chunks[:-1], tail + "\n" + TRUNCATED_NOTE]


def quick_reply(reply: Reply, address_prefix: str = "") -> dict | None:
    """The reply's suggested taps as a LINE quick reply (≤13 items, labels ≤20), or None.

    In groups the bot answers only when addressed, so `address_prefix` (the bot's name)
    is put in front of each tap's text: tapping "พันธกิจ" sends "บอท พันธกิจ".
    """
    items = []
    for suggestion in reply.quick_replies:
        label = clip((suggestion.label or "").strip(), MAX_LABEL)
        text = (suggestion.text or "").strip()
        text = clip(address_prefix + text, MAX_ACTION_TEXT) if text else ""
        # Key order as the SDK's models serialise: action before type.
        if label and suggestion.data:  # "ถัดไป": a postback, shown in the chat as its label
            action = {"type": "postback", "label": label, "data": suggestion.data,
                      "displayText": label}
            items.append({"action": action, "type": "action"})
        elif label and text:
            action = {"type": "message", "label": label, "text": text}
            items.append({"action": action, "type": "action"})
        if len(items) == MAX_QUICK_REPLY_ITEMS:
            break
    return {"items": items} if items else None


def _flex_text(text: str, size: str | None, flex: int | None = None, color: str | None = None,
               weight: str | None = None, wrap: bool = True) -> dict:
    """A Flex text component, keys in the order the SDK's FlexText serialises them."""
    node: dict = {"type": "text"}
    if flex is not None:
        node["flex"] = flex
    node["text"] = text
    if size is not None:
        node["size"] = size
    if color is not None:
        node["color"] = color
    if weight is not None:
        node["weight"] = weight
    if wrap:
        node["wrap"] = True
    return node


def _flex_box(layout: str, contents: list, spacing: str | None = None) -> dict:
    """A Flex box, keys in the order the SDK's FlexBox serialises them."""
    box = {"type": "box", "layout": layout, "contents": contents}
    if spacing is not None:
        box["spacing"] = spacing
    return box


def flex_bubble(reply: Reply) -> dict:
    """A Flex bubble (as LINE JSON) listing the reply's blocks under its header."""
    body = []
    for block in reply.blocks:
        if not block.text.strip():
            continue
        if block.label:
            label = _flex_text(block.label, "sm", flex=0, color="#1E6E4E", weight="bold",
                               wrap=False)
            body.append(_flex_box(
                "horizontal", [label, _flex_text(block.text, "sm", flex=1)], spacing="sm"
            ))
        else:
            body.append(_flex_text(block.text, "sm"))
    bubble: dict = {"type": "bubble"}
    if reply.header.strip():
        header = _flex_text(reply.header.strip(), None, weight="bold")
        bubble["header"] = _flex_box("vertical", [header])
    bubble["body"] = _flex_box("vertical", body, spacing="md")
    if reply.footer.strip():
        footer = _flex_text(reply.footer.strip(), "xs", color="#888888")
        bubble["footer"] = _flex_box("vertical", [footer])
    return bubble


def wants_flex(reply: Reply) -> bool:
    """True when the reply is a list short enough (`FLEX_MAX_TEXT`) to send as a Flex."""
    text = (reply.text or "").strip()
    blocks = [b for b in reply.blocks if b.text.strip()]
    return len(blocks) >= 2 and 0 < utf16_len(text) <= FLEX_MAX_TEXT


def line_json(reply: Reply, address_prefix: str = "") -> list[dict]:
    """The LINE messages for `reply` as JSON-ready dicts: a Flex or 1-5 texts, the quick
    reply on the last one. Byte for byte what the SDK would send for the same messages."""
    if wants_flex(reply):
        messages = [{"type": "flex", "altText": reply.text.strip(), "contents": flex_bubble(reply)}]
    else:
        messages = [{"type": "text", "text": chunk} for chunk in text_chunks(reply)]
    if not messages:
        return []
    suggestions = quick_reply(reply, address_prefix)
    if suggestions is not None:
        # The SDK puts quickReply right after type.
        last = messages[-1]
        messages[-1] = {"type": last.pop("type"), "quickReply": suggestions, **last}
    return messages


def to_line_messages(reply: Reply, address_prefix: str = "") -> list:
    """`line_json`'s messages as line-bot-sdk models (TextMessage, FlexMessage)."""
    return [Message.from_dict(message) for message in line_json(reply, address_prefix)]


def text_json(text: str) -> list[dict]:
    """A fixed text (a hint or an apology) as a one-message reply, LINE's JSON."""
    return [{"type": "text", "text": clip(text, MAX_TEXT)}]


def text_messages(text: str) -> list:
    """`text_json` as line-bot-sdk models."""
    return [Message.from_dict(message) for message in text_json(text)]


def _pack(units: list[str], limits: list[int]) -> list[str]:
    """Join units with newlines into pieces, piece i at most `limits[i]` (the last limit
    repeats); only a unit longer than its piece's limit is split."""
    pieces: list[str] = []
    current = ""

    def limit() -> int:
        return limits[min(len(pieces), len(limits) - 1)]

    for unit in units:
        for part in _split_unit(unit.strip(), min(limits)):
            candidate = f"{current}\n{part}" if current else part
            if utf16_len(candidate) <= limit():
                current = candidate
            else:
                if current:
                    pieces.append(current)
                current = part
    if current:
        pieces.append(current)
    return pieces


def _split_unit(unit: str, limit: int) -> list[str]:
    """A unit longer than `limit` cut at line breaks, then hard at the limit.

    Every piece holds at least one character (a character wider than `limit` makes a piece
    of its own), so each turn of the loop consumes input and the split always ends.
    """
    if utf16_len(unit) <= limit:
        return [unit]
    parts: list[str] = []
    for line in unit.split("\n"):
        while utf16_len(line) > limit:
            head = _head(line, limit)
            parts.append(head)
            line = line[len(head) :]
        if parts and utf16_len(parts[-1] + "\n" + line) <= limit:
            parts[-1] += "\n" + line
        elif line:
            parts.append(line)
    return parts


def _head(text: str, limit: int) -> str:
    """The longest prefix of `text` within `limit` UTF-16 units, and never empty."""
    used = 0
    for position, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return text[: max(position, 1)]
    return text
