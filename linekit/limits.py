"""LINE's Messaging API limits, in one place, and the way LINE counts a text's length.

Checked against LINE's Messaging API reference (https://developers.line.biz/en/reference/
messaging-api/) and line-bot-sdk v3's models (which enforce the list sizes):

- reply and push requests carry 1 to 5 messages (`#send-reply-message`, `#send-push-message`;
  `ReplyMessageRequest.messages: conlist(max_items=5)`);
- a text message's `text`: at most 5000 characters (`#text-message`);
- a Flex message's `altText`: at most 1500 characters (`#flex-message`; the same for template
  and imagemap messages). It was 400 until LINE raised it; the old figure lives on in many
  third-party SDK docstrings;
- a Flex bubble's JSON at most 30 KB, a carousel's 50 KB and 12 bubbles (`#bubble`,
  `#f-carousel`);
- a quick reply: at most 13 items (`#quick-reply`; `QuickReply.items: conlist(max_items=13)`),
  each action's `label` at most 20 characters (`#message-action`, "required for quick reply
  buttons"), a message action's `text` at most 300 (`#message-action`).

LINE counts characters in UTF-16 code units (docs/messaging-api/text-character-count): Thai is
one unit per character, an emoji outside the BMP two. Action labels are counted in grapheme
clusters instead, which is never more than the UTF-16 count, so a label within the limit in
UTF-16 units is within LINE's limit too.

No imports: the bot, the fake LINE platform and the tests all read these.
"""

MAX_MESSAGES = 5  # per reply or push request
MAX_TEXT = 5000  # text message `text`
MAX_ALT_TEXT = 1500  # Flex (and template, imagemap) `altText`
MAX_QUICK_REPLY_ITEMS = 13
MAX_LABEL = 20  # action `label` on a quick reply button
MAX_ACTION_TEXT = 300  # message action `text`
MAX_BUBBLE_BYTES = 30 * 1024  # JSON of one Flex bubble
MAX_CAROUSEL_BYTES = 50 * 1024  # JSON of one Flex carousel
MAX_CAROUSEL_BUBBLES = 12


def utf16_len(text: str) -> int:
    """Length as LINE counts it: UTF-16 code units (an emoji outside the BMP counts two)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2
