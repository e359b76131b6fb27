"""The parser's named rules: each line shape is taken by the rule named for it, in order.

A new line shape is one new rule in index/rules.py (or a heading rule in index/lines.py) and
one row here; what the rule does to the tree is checked in tests/test_parse.py.
"""

from __future__ import annotations

import pytest

from index.headings import kind_at_start
from index.lines import HEADING_RULES, Candidate, classify_heading
from index.rules import LINE_RULES, Seen, take_line
from index.text import fold_clean
from index.tree import Builder


def rule_taking(lines: list[str], at: int = -1) -> str:
    """The name of the rule that takes lines[at] after the lines before it were read."""
    at = at % len(lines)
    builder = Builder("t.txt")
    for index in range(at + 1):
        upcoming = lines[index + 1] if index + 1 < len(lines) else ""
        if index < at:
            take_line(builder, lines[index], index + 1, upcoming)
    seen = Seen(builder, lines[at], at + 1, upcoming)
    return next(rule.__name__ for rule in LINE_RULES if rule(seen))


@pytest.mark.parametrize(
    ("lines", "rule", "at"),
    [
        (["วิสัยทัศน์", "ดี", "Google Calendar"], "page_noise", -1),
        (["พันธกิจ", "1."], "number_alone", -1),
        (["พันธกิจ", "1. สอนดี", "ส่วนที่ 2 ผลการวิเคราะห์สภาพแวดล้อม"], "chapter_heading", -1),
        (["พันธกิจ", "1. สอนดี", "ลงชื่อ", "ผู้อำนวยการโรงเรียน"], "inside_signature", -1),
        (["พันธกิจ", "1. สอนดี", "โทร 0 5451 1234"], "signer", -1),
        (["วิสัยทัศน์ พันธกิจ เป้าประสงค์"], "title_line", -1),
        (["พันธกิจ", "1. สอนดี", "ลงชื่อ"], "signature_heading", -1),
        (["พันธกิจ (Mission)"], "section_heading", -1),
        (["ส่วนที่ 2 การวิเคราะห์", "จุดแข็ง (Strengths)"], "part_heading", -1),
        (["พันธกิจ", "1. สอนดี"], "numbered_item", -1),
        (["พันธกิจ", "• สอนดี"], "bulleted_item", -1),
        (["พันธกิจ", "1. สอนดี", "2 เรียนดี"], "bare_number_item", -1),
        (["พันธกิจ", "1.", "สอนดี"], "text_after_number", -1),
        (["วิสัยทัศน์", "เรียนดี มีสุข", "สีประจำโรงเรียน : ฟ้า-ขาว"], "label_heading", -1),
        (["พันธกิจ", "1. สอนดี", "2. เรียนดี", "3. มีสุข", "งานเร่งด่วน", "1. ลดภาระครู"],
         "unknown_heading", 4),
        (["ส่วนที่ 1 บทนำ", "แนวคิดในการจัดทำแผน",
          "สำนักงานเขตพื้นที่การศึกษาจัดทำแผนให้สอดคล้องกับนโยบายของกระทรวงศึกษาธิการทุกประการ"],
         "chapter_prose_heading", 1),
        (["ยุทธศาสตร์ที่ 1 พัฒนาผู้เรียน", "", "ความเชื่อมโยงกับยุทธศาสตร์ชาติ",
          "ยุทธศาสตร์ที่ 1 ของ สพม.ทดสอบ เชื่อมโยงกับยุทธศาสตร์ชาติด้านที่ 1"], "part_heading", 2),
        (["วิสัยทัศน์ พันธกิจ", "ทิศทางการพัฒนาการศึกษา"], "preamble", -1),
        (["วิสัยทัศน์", "มุ่งพัฒนาผู้เรียนให้มีคุณภาพ"], "paragraph", -1),
    ],
)
def test_each_line_shape_is_taken_by_its_rule(lines, rule, at):
    assert rule_taking(lines, at) == rule


@pytest.mark.parametrize(
    ("text", "numbered", "rule"),
    [
        ("ยุทธศาสตร์ที่ 1 : การพัฒนาคุณภาพผู้เรียน", False, "numbered_title"),
        ("ยุทธศาสตร์ชาติด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์", False, "named_title"),
        ("วิสัยทัศน์ : โรงเรียนคุณภาพ", False, "label_and_value"),
        ("พันธกิจ (Mission)", False, "word_alone"),
        ("ติดต่อสื่อสารได้ดี", False, "signature_in_a_sentence"),
        ("พันธกิจ 1. สอนดี 2. เรียนดี", False, "items_on_the_heading_line"),
        ("พันธกิจของโรงเรียน", True, "numbered_heading_line"),
        ("วิสัยทัศน์ พันธกิจ เป้าประสงค์", False, "page_title"),
        ("จุดเน้นการดำเนินงาน", False, "qualified_heading"),
        ("วิสัยทัศน์ มุ่งพัฒนาผู้เรียนให้มีคุณภาพตามมาตรฐานการศึกษาของชาติ", False,
         "paragraph_after_the_word"),
    ],
)
def test_each_heading_shape_is_decided_by_its_rule(text, numbered, rule):
    folded = fold_clean(text)
    kind, word = kind_at_start(folded)
    candidate = Candidate(text, numbered, kind, word, folded[len(word):].strip())
    deciding = next(r for r in HEADING_RULES if r(candidate) is not None)
    assert deciding.__name__ == rule
    assert (deciding(candidate) or None) == classify_heading(text, numbered)


@pytest.mark.parametrize("rule", [*LINE_RULES, *HEADING_RULES], ids=lambda r: r.__name__)
def test_every_rule_says_what_it_takes_with_a_thai_example(rule):
    doc = rule.__doc__ or ""
    assert doc.strip(), rule.__name__
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in doc), rule.__name__


def test_rules_are_tried_once_each():
    assert len(set(LINE_RULES)) == len(LINE_RULES)
    assert len(set(HEADING_RULES)) == len(HEADING_RULES)
    assert LINE_RULES[-1].__name__ == "paragraph"  # the last rule takes any line
