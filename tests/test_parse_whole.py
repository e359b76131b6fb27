"""Whole plans and loosely made text pages: chapters, strategies titled by name with their own
goals, indicators and sub-strategies to three levels, prose and SWOT chapters, headingless
lists, English headings, and headings glued onto other text."""

from __future__ import annotations

import textwrap
from dataclasses import asdict

import pytest

from index.parse import PlanParseError, parse_document, parse_file, parse_text
from index.readers import html
from tests.conftest import ROOT

WHOLE = ROOT / "tests" / "fixtures" / "whole-plan"
FRONT = "---\noffice: โรงเรียนทดสอบวิทยา\n---\n"


def doc(body: str):
    return parse_text(FRONT + textwrap.dedent(body).lstrip("\n"), "test.md")


@pytest.fixture(scope="module", params=["plan.md", "plan.docx"])
def whole(request):
    return parse_file(WHOLE / request.param)


def outline(items) -> list[tuple[str, str, str]]:
    return [(i.path, i.kind, i.text) for i in items]


# --- the whole plan, as text and as Word ---------------------------------------------------


def test_chapters_hold_their_sections(whole):
    chapters = {s.heading: s.chapter for s in whole.sections}
    assert chapters["ความเป็นมา"] == "ส่วนที่ 1 บทนำ"
    assert chapters["จุดแข็ง (Strengths)"] == "ส่วนที่ 2 ผลการวิเคราะห์สภาพแวดล้อม (SWOT)"
    assert chapters["พันธกิจ (Mission)"] == "ส่วนที่ 3 ทิศทางการพัฒนาการศึกษา"
    assert chapters["โครงการตามแผน"] == "ส่วนที่ 4 การนำแผนสู่การปฏิบัติ"
    assert [s.kind for s in whole.sections] == [
        "other", "other", "other", "other", "other", "other", "vision", "mission", "goal",
        "strategic_issue", "project", "other",
    ]
    assert not whole.warnings


def test_strategies_titled_by_name_are_numbered_in_order_with_their_goals_and_indicators(whole):
    issues = whole.section("strategic_issue").items
    assert [(i.number, i.text) for i in issues] == [
        ("1", "ยุทธศาสตร์ชาติด้านความมั่นคง"),
        ("2", "ยุทธศาสตร์ชาติด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์"),
        ("3", "ยุทธศาสตร์ชาติด้านการสร้างโอกาสและความเสมอภาคทางสังคม"),
        ("4", "ยุทธศาสตร์ชาติด้านการปรับสมดุลและพัฒนาระบบการบริหารจัดการภาครัฐ"),
    ]
    assert whole.strategic_issue("3") is issues[2]
    third = [c for c in issues[2].children if c.kind == "goal"]
    assert outline(third) == [("ยุทธศาสตร์ 3 / เป้าประสงค์ 1", "goal",
                               "เด็กในพื้นที่ห่างไกลได้รับการศึกษาที่มีคุณภาพเท่าเทียมกับเด็กในเมือง")]
    second_indicators = [c for c in issues[1].children if c.kind == "indicator"]
    assert [c.path for c in second_indicators] == [
        "ยุทธศาสตร์ 2 / ตัวชี้วัด 1", "ยุทธศาสตร์ 2 / ตัวชี้วัด 2", "ยุทธศาสตร์ 2 / ตัวชี้วัด 3"]
    assert second_indicators[0].text == "ร้อยละของนักเรียนชั้น ป.1 ที่อ่านออกเขียนได้"
    assert second_indicators[0].yearly()[2568] == ("ค่าเป้าหมาย ๒๕๖๘", "๙๐")


def test_sub_strategies_nest_to_three_levels(whole):
    fourth = whole.strategic_issue("4")
    guidelines = [c for c in fourth.children if c.kind == "guideline"]
    assert [(g.path, g.text) for g in guidelines] == [
        ("ยุทธศาสตร์ 4 / แนวทางการพัฒนา 1", "พัฒนาระบบข้อมูลสารสนเทศกลางของเขตพื้นที่"),
        ("ยุทธศาสตร์ 4 / แนวทางการพัฒนา 2", "ส่งเสริมการบริหารงานแบบมีส่วนร่วมของสถานศึกษา"),
        ("ยุทธศาสตร์ 4 / แนวทางการพัฒนา 3", "พัฒนาสมรรถนะบุคลากรในสำนักงาน"),
    ]
    assert outline(guidelines[2].children) == [
        ("ยุทธศาสตร์ 4 / แนวทางการพัฒนา 3.1", "guideline", "อบรมการใช้ระบบสำนักงานอิเล็กทรอนิกส์"),
        ("ยุทธศาสตร์ 4 / แนวทางการพัฒนา 3.2", "guideline",
         "จัดชุมชนการเรียนรู้ทางวิชาชีพของบุคลากรทุกกลุ่ม"),
    ]
    strategy = [c for c in whole.strategic_issue("2").children if c.kind == "strategy"]
    assert [(s.path, [c.path for c in s.children]) for s in strategy] == [
        ("ยุทธศาสตร์ 2 / กลยุทธ์ 1", ["ยุทธศาสตร์ 2 / กลยุทธ์ 1.1", "ยุทธศาสตร์ 2 / กลยุทธ์ 1.2"]),
        ("ยุทธศาสตร์ 2 / กลยุทธ์ 2", []),
    ]


def test_prose_is_kept_as_paragraphs_never_as_a_list(whole):
    background = next(s for s in whole.sections if s.heading == "ความเป็นมา")
    assert not background.items
    assert len(background.intro) == 1
    assert background.intro[0].startswith("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาสุขใจ เขต 2 มีหน้าที่")
    assert background.intro[0].endswith("และนโยบายของกระทรวงศึกษาธิการ")
    assert "กำกับดูแลการจัดการศึกษาขั้นพื้นฐาน" in background.intro[0]  # wrapped lines joined
    current = next(s for s in whole.sections if s.heading == "สภาพปัจจุบันของการจัดการศึกษา")
    assert not current.items and "ปี 2564" in current.intro[0]


def test_swot_parts_are_sections_of_their_own(whole):
    swot = {s.heading: [i.text for i in s.items] for s in whole.sections
            if s.chapter.startswith("ส่วนที่ 2")}
    assert list(swot) == ["จุดแข็ง (Strengths)", "จุดอ่อน (Weaknesses)", "โอกาส (Opportunities)",
                          "อุปสรรค (Threats)"]
    assert swot["อุปสรรค (Threats)"][1] == "ภัยธรรมชาติในฤดูฝนทำให้การเดินทางไปโรงเรียนลำบาก"


def test_the_project_table_and_its_total(whole):
    projects = whole.section("project")
    assert [(p.text, p.cell("งบประมาณ")) for p in projects.items] == [
        ("โครงการอ่านออกเขียนได้ทุกคน", "๓๕๐,๐๐๐"),
        ("โครงการโรงเรียนปลอดภัย", "120,000"),
        ("โครงการพัฒนาระบบสารสนเทศกลาง", "480,000"),
    ]
    assert projects.items[2].cell("ผู้รับผิดชอบ") == "กลุ่มนโยบายและแผน"
    assert projects.intro == ["รวม ๙๕๐,๐๐๐"]


def test_the_whole_plan_as_text_and_as_word_gives_one_tree():
    def tree(plan):
        return [{k: v for k, v in asdict(s).items() if k != "line"} | {"items": [
            _no_lines(asdict(i)) for i in s.items]} for s in plan.sections]

    assert tree(parse_file(WHOLE / "plan.md")) == tree(parse_file(WHOLE / "plan.docx"))


def _no_lines(item: dict) -> dict:
    return {k: ([_no_lines(c) for c in v] if k == "children" else v)
            for k, v in item.items() if k != "line"}


def test_the_word_plan_names_its_owner_on_its_first_page():
    plan = parse_file(WHOLE / "plan.docx")
    assert plan.meta["office"] == "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาสุขใจ เขต 2"


# --- text pages without headings ----------------------------------------------------------


def test_a_headingless_page_is_an_untitled_list_with_a_warning():
    plan = doc("""
        สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 1
        1. ผู้เรียนมีคุณภาพตามมาตรฐาน
        2. ครูมีสมรรถนะตามมาตรฐานวิชาชีพ
        """)
    assert [(s.kind, s.heading) for s in plan.sections] == [("other", "")]
    assert [i.text for i in plan.sections[0].items] == ["ผู้เรียนมีคุณภาพตามมาตรฐาน",
                                                       "ครูมีสมรรถนะตามมาตรฐานวิชาชีพ"]
    assert plan.warnings == ["test.md line 5: no heading found: read as an untitled list of 2 "
                             "items"]


@pytest.mark.parametrize(
    ("body", "kind", "why"),
    [
        ("1. ร้อยละของนักเรียนที่อ่านออกเขียนได้\n2. จำนวนครูที่ผ่านการอบรม\n"
         "3. ระดับความพึงพอใจของผู้ปกครอง\n", "indicator", "measures"),
        ("1. กลยุทธ์ที่ 1 พัฒนาคุณภาพผู้เรียน\n2. กลยุทธ์ที่ 2 พัฒนาครู\n", "strategy",
         "start with กลยุทธ์"),
        ("แผนกลยุทธ์ โรงเรียนทดสอบวิทยา\n1. พัฒนาคุณภาพผู้เรียน\n2. พัฒนาครู\n", "strategy",
         "title names it"),
    ],
)
def test_an_untitled_list_is_classified_by_its_content(body, kind, why):
    plan = doc(body)
    assert [s.kind for s in plan.sections] == [kind]
    assert all(i.kind == kind for i in plan.sections[0].walk())
    assert "no heading found" in plan.warnings[-1] and why in plan.warnings[-1]


def test_a_page_of_verbs_is_not_classified():
    plan = doc("1. พัฒนาคุณภาพผู้เรียน\n2. ส่งเสริมการอ่าน\n")
    assert plan.sections[0].kind == "other"


def test_text_without_heading_or_list_cannot_be_read():
    with pytest.raises(PlanParseError, match="no plan sections found"):
        doc("สวัสดีครับ ยินดีต้อนรับสู่เว็บไซต์\n")


# --- English headings and glued headings ---------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "kind"),
    [("VISION", "vision"), ("Our Mission", "mission"), ("Vision Statement", "vision"),
     ("OUR CORE VALUES", "values"), ("School Goals", "goal"), ("Strategies:", "strategy")],
)
def test_english_headings_in_common_forms(heading, kind):
    plan = doc(f"{heading}\n1. ข้อความแรก\n2. ข้อความที่สอง\n")
    assert [s.kind for s in plan.sections] == [kind]


def test_the_alt_text_of_a_heading_image_is_a_heading(tmp_path):
    page = tmp_path / "plan.html"
    page.write_text(
        "<html><body><h1>โรงเรียนบ้านทุ่งวิทยา</h1><h2><img src='v.png' alt='Our Vision'></h2>"
        "<p>นักเรียนเป็นคนดี มีความรู้</p><h2><img src='m.png' alt='พันธกิจ'></h2>"
        "<ol><li>จัดการเรียนรู้ที่เน้นผู้เรียน</li><li>พัฒนาครู</li></ol></body></html>",
        encoding="utf-8")
    plan = parse_document(html.read(page))
    assert [(s.kind, s.intro, [i.text for i in s.items]) for s in plan.sections] == [
        ("vision", ["นักเรียนเป็นคนดี มีความรู้"], []),
        ("mission", [], ["จัดการเรียนรู้ที่เน้นผู้เรียน", "พัฒนาครู"]),
    ]


def test_a_heading_glued_to_the_end_of_the_previous_line():
    plan = doc("""
        วิสัยทัศน์
        โรงเรียนคุณภาพ ผู้เรียนเป็นคนดี พันธกิจ
        1. จัดการเรียนรู้ที่เน้นผู้เรียน
        2. พัฒนาครู
        """)
    assert [(s.kind, s.intro, [i.text for i in s.items]) for s in plan.sections] == [
        ("vision", ["โรงเรียนคุณภาพ ผู้เรียนเป็นคนดี"], []),
        ("mission", [], ["จัดการเรียนรู้ที่เน้นผู้เรียน", "พัฒนาครู"]),
    ]


def test_a_sub_heading_glued_into_a_sentence():
    plan = doc("""
        วิสัยทัศน์ (Vision)
        โรงเรียนคุณภาพ ก้าวทันโลก พันธกิจ (Mission) 1. จัดการเรียนรู้ 2. พัฒนาครู เป้าประสงค์ 1. นักเรียนดี
        """)
    assert [(s.kind, s.intro, [i.text for i in s.items]) for s in plan.sections] == [
        ("vision", ["โรงเรียนคุณภาพ ก้าวทันโลก"], []),
        ("mission", [], ["จัดการเรียนรู้", "พัฒนาครู"]),
        ("goal", [], ["นักเรียนดี"]),
    ]


def test_a_heading_word_inside_a_sentence_is_not_cut_out():
    plan = doc("""
        พันธกิจ
        1. ส่งเสริมให้ครูจัดทำแผนตามวิสัยทัศน์ของโรงเรียน และพัฒนาพันธกิจร่วมกับชุมชน
        """)
    assert [i.text for i in plan.section("mission").items] == [
        "ส่งเสริมให้ครูจัดทำแผนตามวิสัยทัศน์ของโรงเรียน และพัฒนาพันธกิจร่วมกับชุมชน"]
