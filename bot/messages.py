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
a note asking the user to narrow the question.
"""

from __future__ import annotations

from linebot.v3.messaging import (
    FlexContainer,
    FlexMessage,
    MessageAction,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
)

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
    text = (reply.text or "").strip()
    if text and utf16_len(text) <= limit:
        return [text]
    units = [u for u in [reply.header, *map(render_block, reply.blocks), reply.footer] if u]
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
    return [*chunks[:-1], chunks[-1] + "\n" + TRUNCATED_NOTE]


def quick_reply(reply: Reply, address_prefix: str = "") -> QuickReply | None:
    """The reply's suggested taps as a LINE quick reply (≤13 items, labels ≤20), or None.

    In groups the bot answers only when addressed, so `address_prefix` (the bot's name)
    is put in front of each tap's text: tapping "พันธกิจ" sends "บอท พันธกิจ".
    """
    items = []
    for suggestion in reply.quick_replies:
        label = clip((suggestion.label or "").strip(), MAX_LABEL)
        text = (suggestion.text or "").strip()
        text = clip(address_prefix + text, MAX_ACTION_TEXT) if text else ""
        if label and suggestion.data:  # "ถัดไป": a postback, shown in the chat as its label
            action = PostbackAction(label=label, data=suggestion.data, display_text=label)
            items.append(QuickReplyItem(action=action))
        elif label and text:
            items.append(QuickReplyItem(action=MessageAction(label=label, text=text)))
        if len(items) == MAX_QUICK_REPLY_ITEMS:
            break
    return QuickReply(items=items) if items else None


def flex_bubble(reply: Reply) -> dict:
    """A Flex bubble (as LINE JSON) listing the reply's blocks under its header."""
    body = []
    for block in reply.blocks:
        if not block.text.strip():
            continue
        if block.label:
            body.append(
                {
                    "type": "box",
                    "layout": "horizontal",
                    "spacing": "sm",
                    "contents": [
                        {"type": "text", "text": block.label, "flex": 0, "weight": "bold",
                         "color": "#1E6E4E", "size": "sm"},
                        {"type": "text", "text": block.text, "wrap": True, "flex": 1,
                         "size": "sm"},
                    ],
                }
            )
        else:
            body.append({"type": "text", "text": block.text, "wrap": True, "size": "sm"})
    bubble: dict = {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": body},
    }
    if reply.header.strip():
        bubble["header"] = {
            "type": "box",
            "layout": "vertical",
            "contents": [{"type": "text", "text": reply.header.strip(), "wrap": True,
                          "weight": "bold"}],
        }
    if reply.footer.strip():
        bubble["footer"] = {
            "type": "box",
            "layout": "vertical",
            "contents": [{"type": "text", "text": reply.footer.strip(), "wrap": True,
                          "size": "xs", "color": "#888888"}],
        }
    return bubble


def wants_flex(reply: Reply) -> bool:
    """True when the reply is a list short enough (`FLEX_MAX_TEXT`) to send as a Flex."""
    text = (reply.text or "").strip()
    blocks = [b for b in reply.blocks if b.text.strip()]
    return len(blocks) >= 2 and 0 < utf16_len(text) <= FLEX_MAX_TEXT


def to_line_messages(reply: Reply, address_prefix: str = "") -> list:
    """The LINE messages for `reply`: a Flex or 1-5 texts, the quick reply on the last one."""
    if wants_flex(reply):
        messages = [
            FlexMessage(
                alt_text=reply.text.strip(),
                contents=FlexContainer.from_dict(flex_bubble(reply)),
            )
        ]
    else:
        messages = [TextMessage(text=chunk) for chunk in text_chunks(reply)]
    if not messages:
        return []
    suggestions = quick_reply(reply, address_prefix)
    if suggestions is not None:
        messages[-1].quick_reply = suggestions
    return messages


def text_messages(text: str) -> list:
    """A fixed text (a hint or an apology) as a one-message reply."""
    return [TextMessage(text=clip(text, MAX_TEXT))]


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
    """A unit longer than `limit` cut at line breaks, then hard at the limit."""
    if utf16_len(unit) <= limit:
        return [unit]
    parts: list[str] = []
    for line in unit.split("\n"):
        while utf16_len(line) > limit:
            head = clip(line, limit, ellipsis="")
            parts.append(head)
            line = line[len(head) :]
        if parts and utf16_len(parts[-1] + "\n" + line) <= limit:
            parts[-1] += "\n" + line
        elif line:
            parts.append(line)
    return parts
