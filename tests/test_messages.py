"""Reply -> LINE messages: LINE's limits, splitting between items, Flex only when it fits."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from linebot.v3.messaging import FlexMessage, ReplyMessageRequest, TextMessage

from bot.messages import (
    FLEX_MAX_TEXT,
    TRUNCATED_NOTE,
    clip,
    render_block,
    text_chunks,
    to_line_messages,
    utf16_len,
)
from bot.reply import Block, QuickReply, Reply, State


def make_reply(blocks, header="วิสัยทัศน์ของ สพม.13", footer="ที่มา: แผนปฏิบัติการ", quick=()):
    text = "\n".join([header, *(render_block(b) for b in blocks), footer])
    return Reply(
        text=text,
        kind="answer",
        state=State(),
        header=header,
        blocks=list(blocks),
        footer=footer,
        quick_replies=list(quick),
    )


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("สั้น", 20, "สั้น"),
        ("ก" * 25, 20, "ก" * 19 + "…"),
        ("😀" * 15, 20, "😀" * 9 + "…"),  # emoji count two UTF-16 units each
    ],
)
def test_clip(text, limit, expected):
    assert clip(text, limit) == expected
    assert utf16_len(clip(text, limit)) <= limit


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (Block("1", "พัฒนาคุณภาพ"), "1. พัฒนาคุณภาพ"),
        (Block("2.1", "ส่งเสริม"), "2.1 ส่งเสริม"),
        (Block("ยุทธศาสตร์ 3 / กลยุทธ์ 4", "ข้อความ"), "ยุทธศาสตร์ 3 / กลยุทธ์ 4: ข้อความ"),
        (Block("", "ย่อหน้า"), "ย่อหน้า"),
    ],
)
def test_render_block(block, expected):
    assert render_block(block) == expected


def test_short_answer_is_one_text_with_the_engine_words():
    reply = Reply(text="สวัสดี ถามเรื่องแผนได้เลย", kind="greeting", state=State())
    [message] = to_line_messages(reply)
    assert isinstance(message, TextMessage)
    assert message.text == reply.text


def test_long_answer_is_split_between_items_never_inside_one():
    items = [Block(str(i), f"ข้อที่ {i} " + "การพัฒนาคุณภาพการศึกษา" * 30) for i in range(1, 30)]
    reply = make_reply(items)
    assert utf16_len(reply.text) > 5000
    chunks = text_chunks(reply)
    assert 2 <= len(chunks) <= 5
    assert all(utf16_len(c) <= 5000 for c in chunks)
    lines = [line for chunk in chunks for line in chunk.split("\n")]
    rendered = [render_block(b) for b in items]
    assert [line for line in lines if line in rendered] == rendered  # every item whole, in order
    assert chunks[0].startswith(reply.header) and chunks[-1].endswith(reply.footer)


def test_answer_too_long_for_five_messages_is_cut_with_a_note():
    items = [Block(str(i), "ก" * 1500) for i in range(1, 40)]
    chunks = text_chunks(make_reply(items))
    assert len(chunks) == 5
    assert all(utf16_len(c) <= 5000 for c in chunks)
    assert chunks[-1].endswith(TRUNCATED_NOTE)
    # Still only whole items: every numbered line is a complete item.
    for chunk in chunks:
        for line in chunk.split("\n")[:-1] if chunk is chunks[-1] else chunk.split("\n"):
            if line[:1].isdigit():
                assert line.endswith("ก" * 1500)


def test_single_item_longer_than_a_message_is_split_at_its_lines():
    sub_items = "\n".join(f"({i}) " + "ข" * 900 for i in range(1, 12))
    reply = make_reply([Block("1", sub_items)], header="", footer="")
    chunks = text_chunks(reply)
    assert len(chunks) >= 2
    assert all(utf16_len(c) <= 5000 for c in chunks)
    assert all(line.startswith(("1. (", "(")) for c in chunks for line in c.split("\n"))


def test_unstructured_long_text_is_split_at_paragraphs():
    text = "\n\n".join("ย่อหน้า " + "ค" * 1000 for _ in range(8))
    chunks = text_chunks(Reply(text=text, kind="answer", state=State()))
    assert all(utf16_len(c) <= 5000 for c in chunks) and len(chunks) >= 2
    assert "".join(chunks).count("ย่อหน้า") == 8


def test_short_list_becomes_flex_with_the_whole_answer_as_alt_text():
    reply = make_reply([Block("1", "พัฒนาผู้เรียน"), Block("2", "พัฒนาครู")])
    [message] = to_line_messages(reply)
    assert isinstance(message, FlexMessage)
    assert message.alt_text == reply.text
    flex = message.to_dict()
    texts = str(flex["contents"])
    assert "พัฒนาผู้เรียน" in texts and "พัฒนาครู" in texts and reply.header in texts


def test_list_too_long_for_alt_text_is_sent_as_text_only():
    reply = make_reply([Block(str(i), "พัฒนาคุณภาพการศึกษาให้ทั่วถึง" * 3) for i in range(1, 8)])
    assert utf16_len(reply.text) > FLEX_MAX_TEXT
    messages = to_line_messages(reply)
    assert all(isinstance(m, TextMessage) for m in messages)
    assert messages[0].text == reply.text


def test_single_block_is_not_a_flex():
    reply = make_reply([Block("", "เป็นผู้นำในการพัฒนาคุณภาพการศึกษา")])
    assert isinstance(to_line_messages(reply)[0], TextMessage)


def test_quick_replies_capped_and_clipped_on_the_last_message_only():
    quick = [QuickReply(f"ตัวเลือกที่ยาวเกินยี่สิบตัวอักษรแน่นอน {i}", f"ถาม {i}") for i in range(20)]
    items = [Block(str(i), "ง" * 1500) for i in range(1, 8)]
    messages = to_line_messages(make_reply(items, quick=quick))
    assert len(messages) >= 2
    assert all(m.quick_reply is None for m in messages[:-1])
    buttons = messages[-1].quick_reply.items
    assert len(buttons) == 13
    assert all(utf16_len(b.action.label) <= 20 for b in buttons)
    assert buttons[0].action.text == "ถาม 0"


def test_quick_replies_in_groups_carry_the_bot_name():
    reply = make_reply([], quick=[QuickReply("พันธกิจ", "พันธกิจ")])
    [message] = to_line_messages(reply, address_prefix="บอท ")
    assert message.quick_reply.items[0].action.text == "บอท พันธกิจ"
    assert message.quick_reply.items[0].action.label == "พันธกิจ"


def test_empty_quick_replies_are_dropped():
    reply = make_reply([], quick=[QuickReply("", "x"), QuickReply("y", "")])
    assert to_line_messages(reply)[0].quick_reply is None


def test_messages_build_a_valid_reply_request():
    items = [Block(str(i), "จ" * 2000) for i in range(1, 20)]
    messages = to_line_messages(make_reply(items, quick=[QuickReply("ต่อ", "ต่อ")]))
    request = ReplyMessageRequest(reply_token="t", messages=messages)  # the SDK checks ≤5
    assert len(request.to_dict()["messages"]) <= 5


def test_empty_reply_gives_no_messages():
    assert to_line_messages(Reply(text="", kind="answer", state=State())) == []


# -- line and paragraph separators; splitting ends on any text (issue 12) ----------------------

SEPARATORS = ["\u2028", "\u2029", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"]


@pytest.mark.parametrize("separator", SEPARATORS, ids=lambda s: f"U+{ord(s[-1]):04X}")
def test_every_unicode_line_separator_is_a_line_break(separator):
    reply = Reply(text=f"หนึ่ง{separator}สอง", kind="answer", state=State())
    [message] = to_line_messages(reply)
    assert message.text == "หนึ่ง\nสอง"


def within(seconds: float, work):
    """`work()`'s result, failing the test if it takes longer than `seconds` (a thread, so
    a loop that never ends is caught rather than hanging the suite)."""
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("value", work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert "value" in result, f"still running after {seconds} s"
    return result["value"]


def test_a_long_run_of_paragraph_separators_is_split_and_ends():
    """494c21c looped forever here: an item of separators clipped to an empty head."""
    block = Block("1", "ก" + "\u2029" * 20000 + "ข" + "\u2028" * 12000)
    chunks = within(10, lambda: text_chunks(make_reply([block] * 3)))
    assert 1 <= len(chunks) <= 5 and all(utf16_len(c) <= 5000 for c in chunks)
    assert "\u2028" not in "".join(chunks) and "\u2029" not in "".join(chunks)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(max_size=3000),
    blocks=st.lists(st.tuples(st.text(max_size=12), st.text(max_size=2500)), max_size=6),
    limit=st.integers(min_value=utf16_len(TRUNCATED_NOTE) + 2, max_value=600),
    max_messages=st.integers(min_value=1, max_value=5),
)
def test_splitting_ends_within_the_limits_on_any_text(text, blocks, limit, max_messages):
    """Any text, any blocks, any limit: done within 5 s, a bounded number of pieces, each
    within the limit."""
    reply = Reply(text=text, kind="answer", state=State(),
                  blocks=[Block(label, body) for label, body in blocks])
    chunks = within(5, lambda: text_chunks(reply, limit=limit, max_messages=max_messages))
    assert len(chunks) <= max_messages
    assert all(utf16_len(chunk) <= limit for chunk in chunks)
    for message in within(5, lambda: to_line_messages(reply)):
        assert message.to_dict()  # the SDK accepts every message


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=400), limit=st.integers(min_value=1, max_value=12))
def test_a_unit_is_cut_into_pieces_within_any_limit_keeping_every_character(text, limit):
    """Even a limit of 1 with emoji (two UTF-16 units): progress every turn, nothing lost."""
    from bot.messages import _split_unit

    unit = text.replace("\n", " ")
    parts = within(5, lambda: _split_unit(unit, limit))
    assert "".join(parts) == unit if utf16_len(unit) > limit else parts == [unit]
    assert all(utf16_len(p) <= limit or len(p) == 1 for p in parts)
