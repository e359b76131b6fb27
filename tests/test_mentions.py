"""bot.mentions: mention spans of the bot cut out of a group question, whatever LINE sends."""

from __future__ import annotations

import pytest

from bot.mentions import _cut_spans


@pytest.mark.parametrize(
    ("text", "spans", "question"),
    [
        # The same mentionee listed twice (494c21c cut the question a second time).
        ("@planbot วิสัยทัศน์", [(0, 8), (0, 8)], "วิสัยทัศน์"),
        # A span inside another, and one overlapping its end: the union is cut, once.
        ("@planbot วิสัยทัศน์", [(0, 8), (1, 3)], "วิสัยทัศน์"),
        ("@planbot @planbot พันธกิจ", [(0, 8), (4, 13)], "พันธกิจ"),
        # Two mentions of the bot, given out of order.
        ("ถาม @planbot ข้อ 2 @planbot", [(19, 8), (4, 8)], "ถาม ข้อ 2"),
        # Emoji before the mentions: UTF-16 offsets, each span once.
        ("😀 @planbot @planbot เป้าประสงค์", [(3, 8), (3, 8), (12, 8)], "😀 เป้าประสงค์"),
    ],
)
def test_repeated_or_overlapping_spans_are_each_cut_once(text, spans, question):
    assert _cut_spans(text, spans).strip() == question
