"""What a plan says its own project serves (`bot.stated`) and how alignment answers with it:
a school's blocks of labelled lines naming its own strategy and its area office's, a
provincial plan's running text naming a strategic issue, a line naming an office after the
number. The plans are in `tests/fixtures/stated-corpus/`."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import stated, tables
from bot.answer import Engine
from bot.reply import State
from index.build import build
from index.parse import parse_text

CORPUS = Path(__file__).resolve().parent / "fixtures" / "stated-corpus"


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    db = tmp_path_factory.mktemp("stated") / "index.db"
    build(CORPUS, db)
    return Engine(db)


def _links(engine: Engine, owner: str, name: str) -> list[tuple[str, str, tuple[str, ...]]]:
    catalog = engine.catalog
    row = next(r for r in tables.projects(catalog, owner) if name in r.item.text)
    return [(link.owner, link.kind, link.numbers) for link in stated.links(catalog, row)]


def test_a_project_block_names_its_own_plan_and_the_plan_above(engine):
    """"กลยุทธ์ สพฐ. ข้อ 3" names a plan that is not loaded: left out; "กลยุทธ์โรงเรียน" is
    the school's own plan; "สพป.ทดสอบ เขต 1" is found by its name."""
    assert _links(engine, "school-link", "ค่ายนักประดิษฐ์น้อย") == [
        ("spp-test-1", "strategy", ("4",)), ("school-link", "strategy", ("3",))]


def test_an_office_named_after_the_number_and_a_level_word_alone(engine):
    assert _links(engine, "school-link", "ห้องสมุดมีชีวิต") == [
        ("spp-test-1", "strategy", ("2",)), ("school-link", "strategy", ("2",))]


def test_running_text_names_an_issue_and_words_that_only_agree_name_nothing(engine):
    """"…งบประมาณ 50,000 บาท สอดคล้องกับประเด็นยุทธศาสตร์ที่ 2 ผู้รับผิดชอบ …" is issue 2;
    "ให้สอดคล้องกับความต้องการของครู ข้อ 2 ของระเบียบพัสดุ" names no item of a plan."""
    assert _links(engine, "moe-test", "รักการอ่านบนดอย") == [("moe-test", "strategic_issue", ("2",))]
    assert _links(engine, "school-link", "วัสดุสำนักงาน") == []


def test_the_strategies_a_project_block_names_are_the_answer_at_each_level(engine):
    """No plan named or discussed: the school that lists the project and the office above
    it, each with the item the school's plan names, though words alone would pick the
    school's science strategy 1; the plan's line is quoted; the line to paste cites both."""
    reply = engine.answer("โครงการค่ายนักประดิษฐ์น้อย สอดคล้องกับกลยุทธ์ไหน", State())
    assert [(s["owner"], s["item"]) for s in reply.sources] == [
        ("school-link", "3"), ("spp-test-1", "4")]
    assert "รร.บ้านทดสอบลิงก์ · กลยุทธ์ ข้อ 3 · ตามที่แผนระบุ" in reply.text
    assert ("แผนของ รร.บ้านทดสอบลิงก์ ระบุไว้เอง: ค่ายนักประดิษฐ์น้อย · สอดคล้องกับกลยุทธ์ "
            "สพฐ. ข้อ 3, กลยุทธ์ สพป.ทดสอบ เขต 1 ข้อ 4, กลยุทธ์โรงเรียน ข้อ 3") in reply.text
    assert ("พร้อมคัดลอก: สนองกลยุทธ์ รร.บ้านทดสอบลิงก์ ข้อ 3, กลยุทธ์ สพป.ทดสอบ เขต 1 ข้อ 4"
            in reply.text)


def test_the_office_above_alone_gets_the_item_the_school_names(engine):
    """In a conversation about the school, the area office's strategy asked by name."""
    state = engine.answer("กลยุทธ์ รร.บ้านทดสอบลิงก์", State()).state
    reply = engine.answer("โครงการปรับปรุงห้องสมุดมีชีวิต สนองกลยุทธ์ สพป.ทดสอบ เขต 1 ข้อไหน",
                          state)
    assert [(s["owner"], s["item"]) for s in reply.sources] == [("spp-test-1", "2")]
    assert "ตามที่แผนระบุ" in reply.text


def test_an_issue_named_in_running_text_is_the_answer_and_its_name_stops_at_the_budget(engine):
    reply = engine.answer("โครงการรักการอ่านบนดอย สอดคล้องกับยุทธศาสตร์ไหน", State())
    assert [(s["owner"], s["item"]) for s in reply.sources] == [("moe-test", "2")]
    assert ("แผนของ ศธจ.ทดสอบ ระบุไว้เอง: โครงการรักการอ่านบนดอย ส่งเสริมการอ่านออกเขียนได้"
            "ในพื้นที่สูง · สอดคล้องกับประเด็นยุทธศาสตร์ที่ 2\n") in reply.text


def test_a_strategy_is_looked_for_under_the_issue_the_plan_names(engine):
    """The reading strategies are issue 1's; the plan says the project serves issue 2, so
    the strategy offered is one of issue 2's, not the closer-worded one of issue 1."""
    reply = engine.answer("โครงการรักการอ่านบนดอย สอดคล้องกับกลยุทธ์ไหน", State())
    assert reply.sources and all(s["item"].startswith("ยุทธศาสตร์ 2 /") for s in reply.sources)
    assert "ประเด็นยุทธศาสตร์ที่ 2" in reply.text
    # pasted with the plan's own word for its issues, not "ยุทธศาสตร์ที่ 2 ข้อ 1"
    assert "พร้อมคัดลอก: สนองกลยุทธ์ ศธจ.ทดสอบ ประเด็นยุทธศาสตร์ที่ 2 ข้อ 1" in reply.text


def test_when_nothing_under_the_issue_fits_the_plans_words_are_still_quoted(engine):
    reply = engine.answer("โครงการประเมินคุณธรรมและความโปร่งใส สอดคล้องกับกลยุทธ์ไหน", State())
    assert reply.kind == "dont_know"
    assert reply.text.count("แผนของ ศธจ.ทดสอบ ระบุไว้เอง: โครงการประเมินคุณธรรมและความโปร่งใส "
                            "ไม่ใช้งบประมาณ · สอดคล้องกับประเด็นยุทธศาสตร์ที่ 1") == 1


def test_a_project_whose_plan_names_nothing_is_weighed_as_before(engine):
    reply = engine.answer("โครงการจัดซื้อวัสดุสำนักงาน สอดคล้องกับกลยุทธ์ไหน", State())
    assert "ตามที่แผนระบุ" not in reply.text and "ระบุไว้เอง" not in reply.text


def test_the_school_named_gets_the_office_its_project_names_too(engine):
    reply = engine.answer("โครงการค่ายนักประดิษฐ์น้อย รร.บ้านทดสอบลิงก์ สอดคล้องกับกลยุทธ์ไหน",
                          State())
    assert [(s["owner"], s["item"]) for s in reply.sources] == [
        ("school-link", "3"), ("spp-test-1", "4")]


def test_a_number_several_items_have_is_quoted_but_no_item_is_cited_for_it(engine):
    """ศธจ.ทดสอบ has a กลยุทธ์ 1 under each issue: "กลยุทธ์ที่ 1 ของ ศธจ.ทดสอบ" names no one
    item, so none is marked as the plan's; the plan's words are still quoted."""
    reply = engine.answer("โครงการห้องเรียนสาขาบนดอย รร.บ้านทดสอบลิงก์ สอดคล้องกับกลยุทธ์ไหน",
                          State())
    assert "ตามที่แผนระบุ" not in reply.text
    assert ("แผนของ รร.บ้านทดสอบลิงก์ ระบุไว้เอง: ห้องเรียนสาขาบนดอย · สอดคล้องกับกลยุทธ์ที่ 1 "
            "ของ ศธจ.ทดสอบ") in reply.text


def test_another_plan_after_an_item_nested_in_an_issue_is_that_items_number_there(engine):
    """"แล้วของ สพป.… ล่ะ" after ศธจ.'s "ยุทธศาสตร์ 1 / กลยุทธ์ 2" said the office had no
    item "ยุทธศาสตร์ 1 / กลยุทธ์ 2" (its strategies are a flat list): it is its strategy 2."""
    first = engine.answer("กลยุทธ์ที่ 2 ของยุทธศาสตร์ที่ 1 ศธจ.ทดสอบ", State())
    assert first.items == ["ยุทธศาสตร์ 1 / กลยุทธ์ 2"]
    reply = engine.answer("แล้วของ สพป.ทดสอบ เขต 1 ล่ะ", first.state)
    assert reply.kind == "answer" and reply.items == ["2"]
    assert "ไม่มีข้อ" not in reply.text and "ส่งเสริมนิสัยรักการอ่าน" in reply.text


@pytest.mark.parametrize(("asked", "project", "not_listed"), [
    ("ภายใต้กลยุทธ์ที่ 2", "ปรับปรุงห้องสมุดมีชีวิต", "ค่ายนักประดิษฐ์น้อย"),
    ("ภายใต้กลยุทธ์ที่ 3", "ค่ายนักประดิษฐ์น้อย", "ปรับปรุงห้องสมุดมีชีวิต"),
    ("ที่สนองกลยุทธ์ที่ 2", "ปรับปรุงห้องสมุดมีชีวิต", "ค่ายนักประดิษฐ์น้อย"),
])
def test_the_projects_under_a_strategy_are_those_whose_lines_say_they_serve_it(
        engine, asked, project, not_listed):
    """The school lists its projects apart from its strategies; each project's own lines say
    which strategy it serves: "มีโครงการอะไรบ้างภายใต้กลยุทธ์ที่ 2" said the plan names none
    ("…ที่สนองกลยุทธ์ที่ 2" asked what the project was about)."""
    reply = engine.answer(f"มีโครงการอะไรบ้าง{asked} ของ รร.บ้านทดสอบลิงก์", State())
    assert project in reply.text and not_listed not in reply.text


@pytest.mark.parametrize(("question", "said"), [
    ("รร.บ้านทดสอบลิงก์ สังกัดเขตไหน", "แผนของ รร.บ้านทดสอบลิงก์ อยู่ภายใต้แผนของ สพป.ทดสอบ เขต 1"),
    ("ศธจ.ทดสอบ สังกัดหน่วยงานไหน", "ไม่ได้ระบุแผนหรือหน่วยงานที่อยู่เหนือขึ้นไป"),
    ("รร.บ้านทดสอบสอง สังกัดใคร", "แผนของ รร.บ้านทดสอบสอง อยู่ภายใต้แผนของ สพป.ทดสอบ เขต 1"),
])
def test_which_office_a_plan_is_under_is_its_parent_as_recorded(engine, question, said):
    """"สังกัดเขตไหน" found nothing, though the school's record names its area office."""
    reply = engine.answer(question, State())
    assert said in reply.text


def test_schools_under_an_office_are_no_question_of_its_parent(engine):
    from bot.understand import understand

    assert understand("โรงเรียนในสังกัด สพป.ทดสอบ เขต 1 มีกี่โรง", engine.matcher).intent != "parent"
    assert understand("สังกัดเขตไหนคะ", engine.matcher).intent == "parent"


def test_an_item_number_no_nested_item_has_is_its_place_in_the_list_shown(engine):
    """After the four strategies of two issues (numbered 1, 2 in each), "ข้อ 3" said there
    was no item 3: it is the third shown."""
    listed = engine.answer("กลยุทธ์ ศธจ.ทดสอบ", State())
    assert listed.text.count("ยุทธศาสตร์ ") >= 4
    reply = engine.answer("ข้อ 3", listed.state)
    assert reply.items == ["ยุทธศาสตร์ 2 / กลยุทธ์ 1"] and "ไม่มีข้อ" not in reply.text


def test_which_strategy_right_after_a_project_was_shown_is_about_that_project(engine):
    """"สนองกลยุทธ์ไหน" after "โครงการที่ 2 ของ รร.…" asked what the project was about."""
    shown = engine.answer("โครงการที่ 2 ของ รร.บ้านทดสอบลิงก์", State())
    assert "ปรับปรุงห้องสมุดมีชีวิต" in shown.text
    reply = engine.answer("สนองกลยุทธ์ไหน", shown.state)
    assert [(s["owner"], s["item"]) for s in reply.sources] == [
        ("school-link", "2"), ("spp-test-1", "2")]


def test_a_project_by_number_after_an_alignment_answer_is_that_project(engine):
    """"โครงการที่ 1 ล่ะ" after an alignment answer was weighed as a project about nothing
    ("เรื่อง “”"), then looked for as a project named "1 ล่ะ"."""
    aligned = engine.answer("โครงการปรับปรุงห้องสมุดมีชีวิต รร.บ้านทดสอบลิงก์ สนองกลยุทธ์ไหน",
                            State())
    reply = engine.answer("โครงการที่ 1 ล่ะ", aligned.state)
    assert "ค่ายนักประดิษฐ์น้อย" in reply.text and "“”" not in reply.text


def test_an_offices_name_carries_no_intent(engine):
    """A school named "…ลิงก์" asked for its strategy 2 got "the source of this answer"
    ("ขอลิงก์ต้นฉบับ" is the source intent): intents are read without the offices' names."""
    reply = engine.answer("กลยุทธ์ที่ 2 รร.บ้านทดสอบลิงก์", State())
    assert reply.kind == "answer" and reply.items == ["2"]
    assert engine.answer("ขอลิงก์ต้นฉบับ รร.บ้านทดสอบลิงก์", State()).kind == "plan_source"


def test_an_item_named_by_its_words_in_a_plan_with_issues_is_that_one_item(engine):
    """"กลยุทธ์เรื่องห้องสมุด" found issue 1's strategy 2, then showed strategy 2 of every
    issue: the item's own number was looked up instead of its path."""
    reply = engine.answer("กลยุทธ์เรื่องห้องสมุด ศธจ.ทดสอบ", State())
    assert reply.items == ["ยุทธศาสตร์ 1 / กลยุทธ์ 2"]
    assert "กลุ่มชาติพันธุ์" not in reply.text


@pytest.mark.parametrize(("question", "owners"), [
    ("กลยุทธ์ของทุกเขต", {"spp-test-1", "moe-test"}),  # not the school's
    ("กลยุทธ์ของทุก สพป.", {"spp-test-1"}),
    ("กลยุทธ์ทุกโรงเรียน", {"school-link"}),
    ("กลยุทธ์ทุกแผน", {"spp-test-1", "school-link", "moe-test"}),
])
def test_every_office_of_a_level_is_that_levels_plans(engine, question, owners):
    """"กลยุทธ์ของทุกเขต" put the schools' strategies beside the offices'."""
    reply = engine.answer(question, State())
    shown = {o for o in ("spp-test-1", "school-link", "moe-test")
             if engine.catalog.display(o) in reply.text}
    assert shown == owners


def test_a_schools_project_asked_of_the_office_above_is_what_the_school_says(engine):
    """Asked of the area office by name, with no conversation: the project is the school's,
    not the office's, and the school's plan names the office's strategy 4."""
    reply = engine.answer("โครงการค่ายนักประดิษฐ์น้อย สอดคล้องกับกลยุทธ์ไหนของ สพป.ทดสอบ เขต 1",
                          State())
    assert [(s["owner"], s["item"]) for s in reply.sources] == [("spp-test-1", "4")]
    assert "ตามที่แผนระบุ" in reply.text


def test_the_office_of_a_level_word_is_the_one_the_schools_project_names(engine):
    """"…ของเขต" means every area office when no conversation says which; the school's plan
    names สพป.ทดสอบ เขต 1, so สพม.ทดสอบ's closer-worded strategy is not offered."""
    reply = engine.answer("โครงการค่ายนักประดิษฐ์น้อย สอดคล้องกับกลยุทธ์ของเขตข้อไหน", State())
    assert [(s["owner"], s["item"]) for s in reply.sources] == [("spp-test-1", "4")]
    assert "สพม.ทดสอบ" not in reply.text


def test_item_2_after_an_alignment_answer_inside_one_issue_is_that_issues_item_2(engine):
    """"ข้อ 2" after a strategy of issue 2 was offered showed strategy 2 of every issue."""
    aligned = engine.answer("โครงการรักการอ่านบนดอย สอดคล้องกับกลยุทธ์ไหน", State())
    assert [s["item"] for s in aligned.sources] == ["ยุทธศาสตร์ 2 / กลยุทธ์ 1"]
    reply = engine.answer("ข้อ 2", aligned.state)
    assert reply.items == ["ยุทธศาสตร์ 2 / กลยุทธ์ 2"]
    assert "พัฒนาห้องสมุดโรงเรียน" not in reply.text  # issue 1's strategy 2


def test_another_plan_after_a_section_this_plan_lacks_is_that_section_there(engine):
    """"จุดเน้นล่ะ" of a school without one, then "ของ สพป.… ล่ะ", quoted the office's
    section shown before (the absent one was forgotten)."""
    first = engine.answer("กลยุทธ์ รร.บ้านทดสอบลิงก์", State())
    absent = engine.answer("วิสัยทัศน์ล่ะ", first.state)
    assert absent.kind == "section_absent"
    reply = engine.answer("แล้วของ ศธจ.ทดสอบ ล่ะ", absent.state)
    assert reply.kind == "section_absent" and "วิสัยทัศน์" in reply.text


def test_which_issue_an_item_sits_in_is_the_item_quoted_where_it_sits(engine):
    """"กลยุทธ์ข้อ 2 … อยู่ในยุทธศาสตร์ไหน" was read as a project to align, with no topic."""
    reply = engine.answer("กลยุทธ์ข้อ 2 ของ ศธจ.ทดสอบ อยู่ในยุทธศาสตร์ไหน", State())
    assert reply.kind == "answer" and "ยุทธศาสตร์ 1 / กลยุทธ์ 2" in reply.text
    assert "เกี่ยวกับเรื่องอะไร" not in reply.text
    # "กลยุทธ์นี้" after one was quoted: that one
    shown = engine.answer("กลยุทธ์ที่ 2 ของยุทธศาสตร์ที่ 1 ของ ศธจ.ทดสอบ", State())
    this = engine.answer("กลยุทธ์นี้อยู่ในยุทธศาสตร์ไหน", shown.state)
    assert this.kind == "answer" and "ยุทธศาสตร์ 1 / กลยุทธ์ 2" in this.text
    assert "เกี่ยวกับเรื่องอะไร" not in this.text
    where = engine.answer("อยู่ในยุทธศาสตร์ไหน", shown.state)  # with no word for the item
    assert where.kind == "answer" and "ยุทธศาสตร์ 1 / กลยุทธ์ 2" in where.text
    # an item of a flat list sits in no issue: not the item said again as the answer
    flat = engine.answer("กลยุทธ์ข้อ 2 ของ รร.บ้านทดสอบลิงก์", State())
    assert engine.answer("อยู่ในยุทธศาสตร์ไหน", flat.state).kind != "answer"


def test_a_project_two_schools_list_asks_whose_then_answers_by_that_schools_plan(engine):
    """Both schools list "ปรับปรุงห้องสมุดมีชีวิต", each saying which strategies it serves:
    with no school named the answer mixed both schools and their statements in one copy
    block. It asks whose, and the school picked gets its own plan's word."""
    which = engine.answer("โครงการปรับปรุงห้องสมุดมีชีวิต สอดคล้องกับกลยุทธ์ไหน", State())
    assert "ต้องการตามแผนของหน่วยงานไหน" in which.text and "【" not in which.text
    assert "รร.บ้านทดสอบลิงก์" in which.text and "รร.บ้านทดสอบสอง" in which.text
    reply = engine.answer("2", which.state)
    assert [(s["owner"], s["item"]) for s in reply.sources] == [
        ("school-two", "1"), ("spp-test-1", "2")]


def test_the_line_to_paste_again_alone(engine):
    """"ขอพร้อมคัดลอก" after an alignment answer was not understood."""
    aligned = engine.answer("โครงการค่ายนักประดิษฐ์น้อย สอดคล้องกับกลยุทธ์ไหน", State())
    reply = engine.answer("ขอแบบพร้อมคัดลอกอีกทีครับ", aligned.state)
    assert reply.text == "สนองกลยุทธ์ รร.บ้านทดสอบลิงก์ ข้อ 3, กลยุทธ์ สพป.ทดสอบ เขต 1 ข้อ 4"


NESTED_PLAN = """---
office: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบซ้อน เขต 2
short: สพป.ทดสอบซ้อน เขต 2
---
กลยุทธ์
ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน
กลยุทธ์ที่ 1.1 ส่งเสริมการอ่านออกเขียนได้
กลยุทธ์ที่ 1.2 พัฒนาการจัดการเรียนรู้เชิงรุก
ยุทธศาสตร์ที่ 2 สร้างโอกาสทางการศึกษา
กลยุทธ์ที่ 2.1 ติดตามเด็กตกหล่นและเด็กออกกลางคัน
กลยุทธ์ที่ 2.2 ช่วยเหลือนักเรียนยากจนพิเศษ

โครงการตามแผน
| ที่ | ชื่อโครงการ | งบประมาณ (บาท) | สนองกลยุทธ์ |
|---|---|---|---|
| 1 | โครงการยกระดับการอ่านออกเขียนได้ | 180,000 | 1.1 |
| 2 | โครงการพาน้องกลับมาเรียน | 60,000 | 2.1 |
| 3 | โครงการห้องเรียนเชิงรุก | 90,000 | 1.2 |
"""


NESTED_SCHOOL = """---
office: โรงเรียนบ้านทดสอบซ้อนวิทยา
short: รร.บ้านทดสอบซ้อนวิทยา
parent: สพป.ทดสอบซ้อน เขต 2
---
กลยุทธ์
1. ยกระดับผลสัมฤทธิ์ทางการเรียน
2. ดูแลช่วยเหลือนักเรียนทุกคน

โครงการ
| ที่ | โครงการ/กิจกรรม | งบประมาณ (บาท) | ความสอดคล้องกับกลยุทธ์ |
|---|---|---|---|
| 1 | โครงการเยี่ยมบ้านนักเรียน | 5,000 | โรงเรียน: กลยุทธ์ที่ 2 สพป.ทดสอบซ้อน เขต 2: กลยุทธ์ที่ 2.1 สพฐ.: ยุทธศาสตร์ที่ 3 |
"""


def _engine_of(tmp_path_factory, name: str, plans: dict[str, str]) -> Engine:
    """An engine over a corpus of these plans (file name: text)."""
    folder = tmp_path_factory.mktemp(name)
    (folder / "corpus").mkdir()
    for file, text in plans.items():
        (folder / "corpus" / file).write_text(text, encoding="utf-8")
    build(folder / "corpus", folder / "index.db")
    return Engine(folder / "index.db")


@pytest.fixture(scope="module")
def nested(tmp_path_factory) -> Engine:
    return _engine_of(tmp_path_factory, "nested", {"spp-nested.txt": NESTED_PLAN,
                                                   "school-nested.txt": NESTED_SCHOOL})


def test_a_column_citing_strategy_2_1_is_issue_2s_strategy_1(nested):
    """"สนองกลยุทธ์ | 2.1" in a plan whose strategies are nested in its issues: strategy 1 of
    issue 2, as the plan says; a dotted number had cited nothing, and words alone were
    weighed instead ("ยังไม่พบ…อย่างชัดเจน")."""
    reply = nested.answer("โครงการพาน้องกลับมาเรียน สนองกลยุทธ์ไหน", State())
    assert [(s["owner"], s["item"]) for s in reply.sources][:1] == [
        ("spp-nested", "ยุทธศาสตร์ 2 / กลยุทธ์ 1")]
    assert "ตามที่แผนระบุ" in reply.text and "ติดตามเด็กตกหล่นและเด็กออกกลางคัน" in reply.text


def test_the_projects_under_a_nested_strategy_and_under_its_issue(nested):
    under = nested.answer("มีโครงการอะไรบ้างที่สนองกลยุทธ์ที่ 1.2 สพป.ทดสอบซ้อน เขต 2", State())
    assert "โครงการห้องเรียนเชิงรุก" in under.text
    assert "โครงการยกระดับการอ่านออกเขียนได้" not in under.text
    issue = nested.answer("มีโครงการอะไรบ้างภายใต้ยุทธศาสตร์ที่ 1 สพป.ทดสอบซ้อน เขต 2", State())
    assert "โครงการยกระดับการอ่านออกเขียนได้" in issue.text
    assert "โครงการห้องเรียนเชิงรุก" in issue.text
    assert "โครงการพาน้องกลับมาเรียน" not in issue.text


def test_a_cell_naming_each_plan_as_a_label_is_the_plans_word_at_each_level(nested):
    """"โรงเรียน: กลยุทธ์ที่ 2 สพป.…: กลยุทธ์ที่ 2.1 สพฐ.: ยุทธศาสตร์ที่ 3" under a column that
    names the kind: the cell is not numbers only, and it had been dropped whole (the reply
    weighed words for five plans); สพฐ. is not loaded and is left out."""
    assert _links(nested, "school-nested", "เยี่ยมบ้าน") == [
        ("school-nested", "strategy", ("2",)), ("spp-nested", "strategy", ("2.1",))]
    reply = nested.answer("โครงการเยี่ยมบ้านนักเรียน สอดคล้องกับกลยุทธ์ไหน", State())
    assert [(s["owner"], s["item"]) for s in reply.sources] == [
        ("school-nested", "2"), ("spp-nested", "ยุทธศาสตร์ 2 / กลยุทธ์ 1")]
    assert reply.text.count("ตามที่แผนระบุ") == 2


def test_a_level_word_beside_the_school_named_is_the_plan_of_that_level_above_it(nested):
    """"…ของ รร.X สอดคล้องกับกลยุทธ์ สพป. ข้อไหน": "สพป." beside the school is the school's
    area office, not an office "สพป." that is not loaded (the bot had listed the school's
    strategies under that note)."""
    reply = nested.answer("โครงการเยี่ยมบ้านนักเรียน ของ รร.บ้านทดสอบซ้อนวิทยา "
                          "สอดคล้องกับกลยุทธ์ สพป. ข้อไหน", State())
    assert ("spp-nested", "ยุทธศาสตร์ 2 / กลยุทธ์ 1") in [(s["owner"], s["item"])
                                                        for s in reply.sources]
    assert "ยังไม่มีแผน" not in reply.text
    both = nested.answer("กลยุทธ์ของ รร.บ้านทดสอบซ้อนวิทยา และของ สพป. มีอะไรบ้าง", State())
    assert "ดูแลช่วยเหลือนักเรียนทุกคน" in both.text
    assert "ติดตามเด็กตกหล่นและเด็กออกกลางคัน" in both.text and "ยังไม่มีแผน" not in both.text


def test_what_a_project_says_of_a_plan_that_is_not_loaded_is_quoted_as_its_plans_word(nested):
    """สพฐ.'s plan is not loaded, but the school's row names its item: that line, under a
    plain note that the plan itself is not here (the bot had only said it has no สพฐ. plan).
    A project whose lines say nothing of สพฐ. still gets that plain answer."""
    reply = nested.answer("โครงการเยี่ยมบ้านนักเรียน สอดคล้องกับกลยุทธ์ไหนของ สพฐ.", State())
    assert "ยังไม่มี “สพฐ.”" in reply.text and "สพฐ.: ยุทธศาสตร์ที่ 3" in reply.text
    assert [(s["owner"], s["item"]) for s in reply.sources] == [("school-nested", "1")]
    silent = nested.answer("โครงการพาน้องกลับมาเรียน สอดคล้องกับกลยุทธ์ไหนของ สพฐ.", State())
    assert silent.kind == "not_in_corpus"


def test_after_the_line_of_a_plan_not_loaded_the_same_project_goes_on(nested):
    """"แล้วของ สพฐ. ล่ะ" after an alignment answer: the school's line naming สพฐ.; then
    "แล้วของเขตล่ะ" is the same project's strategy in the area office's plan, as the school
    states it (not the office's projects: the line shown was a project's)."""
    first = nested.answer("โครงการเยี่ยมบ้านนักเรียน สอดคล้องกับกลยุทธ์ไหน", State())
    national = nested.answer("แล้วของ สพฐ. ล่ะ", first.state)
    assert "สพฐ.: ยุทธศาสตร์ที่ 3" in national.text
    area = nested.answer("แล้วของเขตล่ะ", national.state)
    assert [(s["owner"], s["item"]) for s in area.sources][:1] == [
        ("spp-nested", "ยุทธศาสตร์ 2 / กลยุทธ์ 1")]


def test_a_parent_recorded_but_not_loaded_is_named_as_recorded(tmp_path_factory):
    """`parent: สพฐ.` when OBEC's plan is not loaded: the name the record gives, said to be
    not loaded; the bot had said the record names no plan above."""
    folder = tmp_path_factory.mktemp("parent")
    (folder / "corpus").mkdir()
    (folder / "corpus" / "spp.txt").write_text(NESTED_PLAN.replace(
        "short: สพป.ทดสอบซ้อน เขต 2\n", "short: สพป.ทดสอบซ้อน เขต 2\nparent: สพฐ.\n"),
        encoding="utf-8")
    build(folder / "corpus", folder / "index.db")
    reply = Engine(folder / "index.db").answer("สพป.ทดสอบซ้อน เขต 2 สังกัดใคร", State())
    assert "ระบุว่าอยู่ภายใต้ “สพฐ.”" in reply.text and "ยังไม่มีแผนนั้นในคลัง" in reply.text


def test_the_budget_and_who_is_responsible_right_after_an_alignment_answer(nested):
    """"งบเท่าไหร่" and "ใครรับผิดชอบ" right after the alignment of a project a plan lists
    are that project's: the budget had been the plan's total and "ใครรับผิดชอบ" its signer.
    "ขอพร้อมคัดลอก" after the line of a plan not loaded gives no other plan's line to paste
    (a teacher would paste it as สพฐ.'s)."""
    aligned = nested.answer("โครงการเยี่ยมบ้านนักเรียน สอดคล้องกับกลยุทธ์ไหน", State())
    budget = nested.answer("งบเท่าไหร่", aligned.state)
    assert "โครงการเยี่ยมบ้านนักเรียน" in budget.text and "5,000" in budget.text
    who = nested.answer("ใครรับผิดชอบ", aligned.state)
    assert "โครงการเยี่ยมบ้านนักเรียน" in who.text and "ไม่ได้ระบุผู้รับผิดชอบ" in who.text
    national = nested.answer("แล้วของ สพฐ. ล่ะ", aligned.state)
    paste = nested.answer("ขอพร้อมคัดลอก", national.state)
    assert "พร้อมคัดลอก: สนอง" not in paste.text


def test_a_level_asked_that_no_plan_answered_is_said_with_how_to_name_one(engine):
    """"…ของโรงเรียน และของ สพม.ทดสอบ" with no school named: สพม.'s item, and a word that the
    school level was not weighed, with a school to name; it had answered as if complete."""
    both = engine.answer("โครงการนวัตกรรมของผู้เรียน ต้องเขียนความสอดคล้องกับกลยุทธ์ของโรงเรียน "
                         "และของ สพม.ทดสอบ ข้อไหน", State())
    assert [s["owner"] for s in both.sources] == ["spm-test"]
    assert "ยังไม่ทราบว่าเป็นโรงเรียนไหน" in both.text and "แล้วของ รร." in both.text
    one = engine.answer("โครงการนวัตกรรมของผู้เรียน สอดคล้องกับกลยุทธ์ของ สพม.ทดสอบ ข้อไหน", State())
    assert "ยังไม่ทราบ" not in one.text


def test_a_strategy_the_plan_numbers_under_its_issue_is_quoted_and_cited_by_that_number(nested):
    """"กลยุทธ์ที่ 1.2" is shown "1.2 …" and pasted "ข้อ 2.1", as the plan prints them; they
    had been "ยุทธศาสตร์ 1 / กลยุทธ์ 2: …" and "ยุทธศาสตร์ที่ 2 ข้อ 1". The item is still
    known by its path."""
    quoted = nested.answer("กลยุทธ์ที่ 1.2 ของ สพป.ทดสอบซ้อน เขต 2", State())
    assert "1.2 พัฒนาการจัดการเรียนรู้เชิงรุก" in quoted.text
    assert [s["item"] for s in quoted.sources] == ["ยุทธศาสตร์ 1 / กลยุทธ์ 2"]
    aligned = nested.answer("โครงการพาน้องกลับมาเรียน สนองกลยุทธ์ไหน", State())
    assert "สพป.ทดสอบซ้อน เขต 2 ข้อ 2.1" in aligned.text and "ยุทธศาสตร์ที่ 2 ข้อ 1" not in aligned.text


def test_the_projects_under_this_strategy_are_those_of_the_one_just_quoted(nested):
    """"โครงการภายใต้กลยุทธ์นี้" after strategy 2.1: its project only; "กลยุทธ์" named had
    made it every strategy's projects."""
    quoted = nested.answer("กลยุทธ์ที่ 2.1 ของ สพป.ทดสอบซ้อน เขต 2", State())
    under = nested.answer("โครงการภายใต้กลยุทธ์นี้", quoted.state)
    assert "โครงการพาน้องกลับมาเรียน" in under.text
    assert "โครงการยกระดับการอ่านออกเขียนได้" not in under.text
    assert "ภายใต้กลยุทธ์ ข้อ 2.1:" in under.text


@pytest.mark.parametrize("asked", ["สพฐ. ข้อไหน", "สอดคล้องกับยุทธศาสตร์ สพฐ. ข้อไหน"])
def test_a_plan_not_loaded_asked_which_item_after_a_project_is_that_projects_line(nested, asked):
    """"ยุทธศาสตร์ชาติข้อไหน" right after a project (no "แล้ว…ล่ะ"): the project's own line
    naming that plan; the bot had quoted whatever any plan said of it and forgotten the
    project, so "งบเท่าไหร่" next gave the plan's total, not the project's budget."""
    first = nested.answer("โครงการเยี่ยมบ้านนักเรียน สอดคล้องกับกลยุทธ์ไหน", State())
    national = nested.answer(asked, first.state)
    assert "ยังไม่มี “สพฐ.”" in national.text and "สพฐ.: ยุทธศาสตร์ที่ 3" in national.text
    budget = nested.answer("งบเท่าไหร่", national.state)
    assert "5,000" in budget.text


def test_a_project_goes_on_after_passages_that_only_mention_a_plan_not_loaded(nested):
    """The project's lines say nothing of สพฐ. (not loaded): that is said, not another
    project's line that names สพฐ. ("โครงการเยี่ยมบ้านนักเรียน"); and the project being
    weighed stays the one it was ("งบเท่าไหร่" is still its budget)."""
    first = nested.answer("โครงการพาน้องกลับมาเรียน สนองกลยุทธ์ไหน", State())
    for asked in ("สพฐ. ข้อไหน", "แล้วของ สพฐ. ล่ะ"):
        national = nested.answer(asked, first.state)
        assert "ไม่ได้ระบุว่าโครงการนี้สอดคล้องกับข้อใดของ “สพฐ.”" in national.text
        assert "เยี่ยมบ้าน" not in national.text
    budget = nested.answer("งบเท่าไหร่", national.state)
    assert "60,000" in budget.text, (national.text, budget.text)


LINKED_OFFICE = """---
office: สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาทดสอบเชื่อม
short: สพม.ทดสอบเชื่อม
---
กลยุทธ์
กลยุทธ์ที่ 1 พัฒนาคุณภาพผู้เรียนให้มีสมรรถนะที่จำเป็นในศตวรรษที่ 21
กลยุทธ์ที่ 2 พัฒนาครูด้วยกระบวนการชุมชนแห่งการเรียนรู้ทางวิชาชีพ
กลยุทธ์ที่ 3 พัฒนาระบบบริหารจัดการด้วยเทคโนโลยีดิจิทัล
กลยุทธ์ที่ 4 เสริมสร้างระบบดูแลช่วยเหลือนักเรียนและความปลอดภัยในสถานศึกษา

ความสอดคล้องกับแผนระดับเหนือขึ้นไป
กลยุทธ์ที่ 3 ของ สพม.ทดสอบเชื่อม สอดคล้องกับกลยุทธ์ที่ 1 ของ สพฐ.ทดสอบเชื่อม
"""

LINKED_OBEC = """---
office: สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐานทดสอบเชื่อม
short: สพฐ.ทดสอบเชื่อม
---
กลยุทธ์
1. พัฒนาโรงเรียนให้ทันสมัย
2. พัฒนาระบบบริหารจัดการด้วยเทคโนโลยีดิจิทัลทั่วทั้งองค์กร
"""

LINKED_SCHOOL = """---
office: โรงเรียนทดสอบเชื่อมวิทยา
short: รร.ทดสอบเชื่อมวิทยา
parent: สพม.ทดสอบเชื่อม
---
กลยุทธ์
กลยุทธ์ที่ 1 พัฒนาคุณภาพผู้เรียนให้มีผลสัมฤทธิ์ทางการเรียนสูงขึ้น
กลยุทธ์ที่ 2 ส่งเสริมคุณธรรม จริยธรรม และระบบดูแลช่วยเหลือนักเรียน
กลยุทธ์ที่ 3 พัฒนาครูให้จัดการเรียนรู้เชิงรุกด้วยกระบวนการ PLC

ความสอดคล้องของกลยุทธ์โรงเรียนกับแผนระดับเหนือขึ้นไป
| กลยุทธ์โรงเรียน | กลยุทธ์ สพม.ทดสอบเชื่อม | ยุทธศาสตร์ สพฐ. |
| กลยุทธ์ที่ 1 | กลยุทธ์ที่ 1 | ยุทธศาสตร์ที่ 2 |
| กลยุทธ์ที่ 2 | กลยุทธ์ที่ 4 | ยุทธศาสตร์ที่ 1, 3 |

โครงการ
1. โครงการพัฒนาครูด้วยกระบวนการ PLC สนองกลยุทธ์ที่ 3 ของโรงเรียน
2. โครงการวันเด็ก
"""


@pytest.fixture(scope="module")
def linked(tmp_path_factory) -> Engine:
    return _engine_of(tmp_path_factory, "linked", {
        "spm.txt": LINKED_OFFICE, "school.txt": LINKED_SCHOOL, "obec.txt": LINKED_OBEC})


def test_a_linkage_table_is_what_the_schools_strategies_say_they_serve(linked):
    """"กลยุทธ์โรงเรียน | กลยุทธ์ สพม.X | ยุทธศาสตร์ สพฐ.": each row belongs to the school's
    strategy its first cell names. It had become four strategic issues holding the last
    column, and "กลยุทธ์ที่ 2 … สอดคล้องกับกลยุทธ์ไหนของ สพม." quoted the school's item."""
    plan = parse_text(LINKED_SCHOOL, "school.txt")
    strategies = plan.section("strategy").items
    assert [i.cells.get("กลยุทธ์ สพม.ทดสอบเชื่อม") for i in strategies] == [
        "กลยุทธ์ที่ 1", "กลยุทธ์ที่ 4", None]
    assert [s.kind for s in plan.sections] == ["strategy", "project"] and not plan.warnings
    reply = linked.answer("กลยุทธ์ที่ 2 ของ รร.ทดสอบเชื่อมวิทยา สอดคล้องกับกลยุทธ์ไหนของ "
                          "สพม.ทดสอบเชื่อม", State())
    assert [(s["owner"], s["item"]) for s in reply.sources] == [("spm", "4")]
    assert "ตามที่แผนระบุ" in reply.text and "กลยุทธ์ที่ 2 ของ รร.ทดสอบเชื่อมวิทยา" in reply.text
    shown = linked.answer("กลยุทธ์ รร.ทดสอบเชื่อมวิทยา", State())
    again = linked.answer("ข้อ 2 สอดคล้องกับกลยุทธ์เขตข้อไหน", shown.state)
    assert [(s["owner"], s["item"]) for s in again.sources] == [("spm", "4")]


def test_an_item_no_table_links_is_weighed_by_its_words_and_said_to_be_so(linked):
    """Strategy 3 has no row: the office's items its words fit, under a plain word that the
    plan does not say so (no "ตามที่แผนระบุ")."""
    reply = linked.answer("กลยุทธ์ที่ 3 ของ รร.ทดสอบเชื่อมวิทยา สอดคล้องกับกลยุทธ์ไหนของ "
                          "สพม.ทดสอบเชื่อม", State())
    assert [(s["owner"], s["item"]) for s in reply.sources][:1] == [("spm", "2")]
    assert "แผนไม่ได้ระบุว่า" in reply.text and "ตามที่แผนระบุ" not in reply.text


@pytest.mark.parametrize("asked", ["ข้อ 1 สอดคล้องกับกลยุทธ์ไหน", "โครงการที่ 1 สนองกลยุทธ์ไหน"])
def test_a_project_by_its_number_in_the_list_shown_is_aligned(nested, asked):
    """A plan's projects listed, then "ข้อ 1 สอดคล้องกับกลยุทธ์ไหน": project 1, as its row
    says (the bot had quoted the school's strategy 1, and the next questions went astray)."""
    listed = nested.answer("โครงการ รร.บ้านทดสอบซ้อนวิทยา", State())
    reply = nested.answer(asked, listed.state)
    assert ("spp-nested", "ยุทธศาสตร์ 2 / กลยุทธ์ 1") in [(s["owner"], s["item"])
                                                          for s in reply.sources]
    assert "ตามที่แผนระบุ" in reply.text
    budget = nested.answer("งบเท่าไหร่", reply.state)
    assert "5,000" in budget.text


def test_the_askers_own_project_is_not_another_schools_project_of_the_same_name(nested):
    """"ผมจะทำโครงการเยี่ยมบ้านนักเรียน…" with no school said: another school's project of
    that name is not the asker's, so what that school's plan says it serves is no "ตามที่แผน
    ระบุ" for it (the fit decides); from a teacher of that school, it is."""
    own = nested.answer("ผมจะทำโครงการเยี่ยมบ้านนักเรียน ควรอ้างกลยุทธ์ไหนของ สพป.ทดสอบซ้อน เขต 2",
                        State())
    assert own.kind == "answer" and "ตามที่แผนระบุ" not in own.text
    assert "ระบุไว้เอง" not in own.text
    theirs = nested.answer("ผมเป็นครู รร.บ้านทดสอบซ้อนวิทยา จะทำโครงการเยี่ยมบ้านนักเรียน "
                           "ควรอ้างกลยุทธ์ไหนของ สพป.ทดสอบซ้อน เขต 2", State())
    assert "ตามที่แผนระบุ" in theirs.text


@pytest.mark.parametrize("asked, project", [
    ("มีโครงการอะไรบ้างภายใต้ประเด็นยุทธศาสตร์ที่ 2 สพป.ทดสอบซ้อน เขต 2", "โครงการพาน้องกลับมาเรียน"),
    ("โครงการไหนสนองกลยุทธ์ที่ 1.2 ของ สพป.ทดสอบซ้อน เขต 2", "โครงการห้องเรียนเชิงรุก"),
])
def test_which_projects_serve_an_item_asked_in_other_words(nested, asked, project):
    """"ภายใต้ประเด็นยุทธศาสตร์ที่ 2" and "โครงการไหนสนองกลยุทธ์ที่ 1.2": the projects the plan
    lists under that item; the first had listed every project, the second asked what the
    teacher's project was about."""
    reply = nested.answer(asked, State())
    assert project in reply.text
    others = {"โครงการยกระดับการอ่านออกเขียนได้", "โครงการพาน้องกลับมาเรียน",
              "โครงการห้องเรียนเชิงรุก"} - {project}
    assert not any(other in reply.text for other in others)


def test_a_strategy_typed_after_a_project_list_is_the_strategy_not_the_project(linked):
    """"กลยุทธ์ที่ 2 สอดคล้องกับ…" right after the school's projects: its strategy 2 (the
    section on screen had made it project 2)."""
    listed = linked.answer("โครงการ รร.ทดสอบเชื่อมวิทยา", State())
    reply = linked.answer("กลยุทธ์ที่ 2 สอดคล้องกับกลยุทธ์ไหนของ สพม.ทดสอบเชื่อม", listed.state)
    assert [(s["owner"], s["item"]) for s in reply.sources] == [("spm", "4")]
    assert "กลยุทธ์ที่ 2 ของ รร.ทดสอบเชื่อมวิทยา" in reply.text


def test_a_line_of_the_plan_saying_what_its_strategy_serves_is_its_word(linked):
    """"กลยุทธ์ที่ 3 ของ สพม.X สอดคล้องกับกลยุทธ์ที่ 1 ของ สพฐ.X", a line of text: the answer
    for strategy 3, marked "ตามที่แผนระบุ" (the words alone fit strategy 2 better); it had
    said the plan does not say."""
    reply = linked.answer("กลยุทธ์ที่ 3 ของ สพม.ทดสอบเชื่อม สอดคล้องกับกลยุทธ์ไหนของ "
                          "สพฐ.ทดสอบเชื่อม", State())
    assert [(s["owner"], s["item"]) for s in reply.sources][:1] == [("obec", "1")]
    assert "ตามที่แผนระบุ" in reply.text and "แผนไม่ได้ระบุ" not in reply.text


def test_a_plan_not_loaded_asked_after_a_project_picked_from_a_list(nested):
    """A project picked from the list ("ข้อ 2"), then "แล้วของ สพฐ. ล่ะ": its lines say
    nothing of สพฐ. (not loaded), and that is said; the bot had quoted other projects'
    lines naming สพฐ., and "ข้อ 6" next picked among them."""
    listed = nested.answer("โครงการ สพป.ทดสอบซ้อน เขต 2", State())
    picked = nested.answer("ข้อ 2", listed.state)
    national = nested.answer("แล้วของ สพฐ. ล่ะ", picked.state)
    assert "ไม่ได้ระบุว่าโครงการนี้สอดคล้องกับข้อใดของ “สพฐ.”" in national.text
    assert "เยี่ยมบ้าน" not in national.text


def test_beside_an_item_a_plan_states_the_others_are_marked_as_weighed_by_words(linked):
    """The school's plan states its strategy 3 for the PLC project, and says nothing of the
    office's: that one is the bot's weighing, and marked so beside the stated one."""
    reply = linked.answer("โครงการพัฒนาครูด้วยกระบวนการ PLC สอดคล้องกับกลยุทธ์ไหน", State())
    assert "รร.ทดสอบเชื่อมวิทยา · กลยุทธ์ ข้อ 3 · ตามที่แผนระบุ" in reply.text
    assert "สพม.ทดสอบเชื่อม · กลยุทธ์ ข้อ 2 · เทียบจากถ้อยคำ" in reply.text


ISSUE_OBEC = """---
office: สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐานทดสอบประเด็น
short: สพฐ.ทดสอบประเด็น
---
ยุทธศาสตร์ที่ 1 ความปลอดภัยของผู้เรียน
กลยุทธ์ที่ 1.1 พัฒนาสถานศึกษาให้เป็นพื้นที่ปลอดภัย
กลยุทธ์ที่ 1.2 ป้องกันยาเสพติดในสถานศึกษา
ยุทธศาสตร์ที่ 2 คุณภาพผู้เรียน
กลยุทธ์ที่ 2.1 ส่งเสริมการอ่านออกเขียนได้
"""

ISSUE_OFFICE = """---
office: สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาทดสอบประเด็น
short: สพม.ทดสอบประเด็น
---
กลยุทธ์
กลยุทธ์ที่ 1 ป้องกันยาเสพติดและอบายมุขในสถานศึกษา

ความสอดคล้องกับแผนระดับเหนือขึ้นไป
กลยุทธ์ที่ 1 ของ สพม.ทดสอบประเด็น สอดคล้องกับยุทธศาสตร์ที่ 1 ของ สพฐ.ทดสอบประเด็น
"""


def test_an_item_stated_at_the_issue_level_is_weighed_within_it_and_said_so(tmp_path_factory):
    """The office's line says its strategy 1 serves สพฐ.'s issue 1, not which strategy: the
    strategy shown is the bot's weighing inside that issue, marked so, under a header that
    does not claim the plan said it (it had read "กลยุทธ์ที่สอดคล้องกับ…" unmarked)."""
    engine = _engine_of(tmp_path_factory, "issue", {"obec.txt": ISSUE_OBEC,
                                                    "spm.txt": ISSUE_OFFICE})
    reply = engine.answer("กลยุทธ์ที่ 1 ของ สพม.ทดสอบประเด็น สอดคล้องกับกลยุทธ์ไหนของ "
                          "สพฐ.ทดสอบประเด็น", State())
    assert [s["item"] for s in reply.sources][:1] == ["ยุทธศาสตร์ 1 / กลยุทธ์ 2"]
    assert "ข้อ 1.2 · เทียบจากถ้อยคำ" in reply.text and "ตามที่แผนระบุ" not in reply.text
    assert reply.text.startswith("กลยุทธ์ที่เนื้อหาใกล้เคียงกับกลยุทธ์ที่ 1 ของ สพม.ทดสอบประเด็น")
    assert "แผนของ สพม.ทดสอบประเด็น ระบุไว้เอง" in reply.text


THIS_ISSUE_PLAN = """---
office: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบประเด็นนี้ เขต 1
short: สพป.ทดสอบประเด็นนี้ เขต 1
---
กลยุทธ์
ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน
กลยุทธ์ที่ 1.1 ส่งเสริมการอ่านออกเขียนได้
กลยุทธ์ที่ 1.2 พัฒนาการจัดการเรียนรู้เชิงรุก
ยุทธศาสตร์ที่ 2 พัฒนาครู
กลยุทธ์ที่ 2.1 พัฒนาครูด้วย PLC

โครงการ
| ที่ | ชื่อโครงการ | งบประมาณ (บาท) | สนองกลยุทธ์ |
|---|---|---|---|
| 1 | โครงการอ่านคล่อง | 10,000 | 1.1 |
| 2 | โครงการห้องเรียนเชิงรุก | 20,000 | 1.2 |
| 3 | โครงการครู PLC | 30,000 | 2.1 |
"""


def test_the_projects_under_this_issue_after_one_of_its_strategies(tmp_path_factory):
    """Strategy 1.1 quoted, then "มีโครงการอะไรบ้างภายใต้ยุทธศาสตร์นี้": the projects of issue 1,
    under each of its strategies; it had taken the strategy on screen for the issue."""
    engine = _engine_of(tmp_path_factory, "this-issue", {"spp.txt": THIS_ISSUE_PLAN})
    quoted = engine.answer("กลยุทธ์ที่ 1.1 ของ สพป.ทดสอบประเด็นนี้ เขต 1", State())
    under = engine.answer("มีโครงการอะไรบ้างภายใต้ยุทธศาสตร์นี้", quoted.state)
    assert "โครงการอ่านคล่อง" in under.text and "โครงการห้องเรียนเชิงรุก" in under.text
    assert "โครงการครู PLC" not in under.text


ORPHAN_SCHOOL = """---
office: โรงเรียนบ้านทดสอบกำพร้า
short: รร.บ้านทดสอบกำพร้า
parent: สพป.ทดสอบไม่มีแผน เขต 9
---
กลยุทธ์
1. ยกระดับผลสัมฤทธิ์ทางการเรียน
"""


def test_the_level_above_a_school_whose_office_is_not_loaded_is_said_not_loaded(
        tmp_path_factory):
    """"แล้วของเขตล่ะ" from a school whose recorded area office is not loaded: that office is
    named as not loaded; the bot had offered the area offices that are, which are not the
    school's."""
    engine = _engine_of(tmp_path_factory, "orphan", {"school.txt": ORPHAN_SCHOOL,
                                                     "spp.txt": NESTED_PLAN})
    school = engine.answer("กลยุทธ์ รร.บ้านทดสอบกำพร้า", State())
    above = engine.answer("แล้วของเขตล่ะ", school.state)
    assert above.kind == "not_in_corpus" and "“สพป.ทดสอบไม่มีแผน เขต 9”" in above.text


@pytest.mark.parametrize("turns", [
    ("โครงการ รร.บ้านทดสอบซ้อนวิทยา", "ข้อ 1 สอดคล้องกับยุทธศาสตร์ สพฐ. ข้อไหน"),
    ("โครงการ รร.บ้านทดสอบซ้อนวิทยา", "ข้อ 1", "สอดคล้องกับยุทธศาสตร์ สพฐ. ข้อไหน"),
])
def test_a_plan_not_loaded_asked_of_a_project_on_screen_is_its_line(nested, turns):
    """A project picked from the list (or just shown), then "…สอดคล้องกับยุทธศาสตร์ สพฐ.
    ข้อไหน" with สพฐ. not loaded: the project's own line naming สพฐ.; the bot had only said
    that สพฐ.'s plan is not loaded."""
    state = State()
    for turn in turns:
        reply = nested.answer(turn, state)
        state = reply.state
    assert "สพฐ.: ยุทธศาสตร์ที่ 3" in reply.text


def test_which_projects_right_after_one_strategy_are_that_strategys(nested):
    """"มีโครงการอะไรบ้าง" right after strategy 2.1: the projects the plan lists under it (all
    three had been listed); "โครงการทั้งหมด" still lists every one."""
    quoted = nested.answer("กลยุทธ์ที่ 2.1 ของ สพป.ทดสอบซ้อน เขต 2", State())
    under = nested.answer("มีโครงการอะไรบ้าง", quoted.state)
    assert "โครงการพาน้องกลับมาเรียน" in under.text
    assert "โครงการห้องเรียนเชิงรุก" not in under.text
    every = nested.answer("โครงการทั้งหมด", quoted.state)
    assert "โครงการห้องเรียนเชิงรุก" in every.text and "โครงการพาน้องกลับมาเรียน" in every.text


def test_the_source_of_a_project_line_quoted_for_a_plan_not_loaded_is_that_project(nested):
    """"ที่มาของข้อมูลนี้" after the project's line naming สพฐ. (not loaded) was quoted: that
    project of that plan; the bot had said the answer quoted no plan."""
    first = nested.answer("โครงการเยี่ยมบ้านนักเรียน สอดคล้องกับกลยุทธ์ไหนของ สพฐ.", State())
    source = nested.answer("ที่มาของข้อมูลนี้", first.state)
    assert "รร.บ้านทดสอบซ้อนวิทยา" in source.text and "โครงการ ข้อ 1" in source.text
