"""Answers from plans' tables (bot/tables.py, bot/understand/tables.py): an indicator's target
for a year, a project's budget and who is responsible, a group's projects, the project list
(cut to LINE's size, "ต่อ" for the rest), the total the plan prints and never a computed one;
the same answers from the .docx, .pdf, .odt and .html of one plan; alignment untouched."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bot.answer import Engine
from bot.cli import cli as bot_cli
from bot.reply import State
from bot.understand import understand
from bot.understand.tables import read
from index.build import build
from linekit.fake import FakeLinePlatform
from linekit.replay import (
    TEST_CHANNEL_SECRET,
    InProcessTransport,
    Replayer,
    load_conversations,
    make_app,
)
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
TABLES_CORPUS = ROOT / "tests" / "corpus-tables"
QUESTIONS = ROOT / "tests" / "questions-tables.yaml"
CONVERSATIONS = sorted((ROOT / "tests" / "conversations-tables").glob("*.yaml"))
FORMATS = ("docx", "pdf", "odt", "html")


def _engine(tmp_path_factory, name: str, files: dict[str, Path | str]) -> Engine:
    """An engine over a corpus of these files (a Path is copied, a str written)."""
    folder = tmp_path_factory.mktemp(name)
    corpus = folder / "corpus"
    corpus.mkdir()
    for target, source in files.items():
        if isinstance(source, Path):
            shutil.copy(source, corpus / target)
        else:
            (corpus / target).write_text(source, encoding="utf-8")
    build(corpus, folder / "index.db")
    return Engine(folder / "index.db")


@pytest.fixture(scope="module")
def tables_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tables") / "index.db"
    build(TABLES_CORPUS, path)
    return path


@pytest.fixture(scope="module")
def tables(tables_db) -> Engine:
    """Two plans whose tables are written differently (tests/corpus-tables)."""
    return Engine(tables_db)


@pytest.fixture(scope="module")
def formats(tmp_path_factory) -> dict[str, Engine]:
    """The generated plan (tests/fixtures/documents), alone in an index, once per format."""
    return {fmt: _engine(tmp_path_factory, fmt, {f"spm-13.{fmt}": FIXTURES / "documents" /
                                                 f"plan.{fmt}"}) for fmt in FORMATS}


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> dict[str, Engine]:
    """The whole plan (nested strategies, Thai digits, a total row) as text and as Word."""
    return {fmt: _engine(tmp_path_factory, f"whole-{fmt}", {
        f"plan.{fmt}": FIXTURES / "whole-plan" / f"plan.{fmt}",
        **({"plan.docx.yaml": "office: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาสุขใจ เขต 2\n"
                              "short: สพป.สุขใจ เขต 2\n"} if fmt == "docx" else {}),
    }) for fmt in ("md", "docx")}


def ask(engine: Engine, *questions: str):
    """The replies to questions asked in turn in one conversation."""
    state, replies = State(), []
    for question in questions:
        replies.append(engine.answer(question, state))
        state = replies[-1].state
    return replies


# --- reading the question --------------------------------------------------------------------


@pytest.mark.parametrize("question, ask_, years, every, name", [
    ("ค่าเป้าหมายปี 2568 ของตัวชี้วัดข้อ 1", "target", [2568], False, ""),
    ("ตัวชี้วัดที่ 2 ปี ๒๕๖๙ เป้าหมายเท่าไร", "target", [2569], False, ""),
    ("ค่าเป้าหมายทุกปีของตัวชี้วัดข้อ 1", "target", [], True, ""),
    # the figures asked for with no year: every year's
    ("ตัวชี้วัดเรื่องการอ่านมีค่าเป้าหมายเท่าไหร่คะ", "target", [], True, ""),
    ("ตัวชี้วัดข้อ 2 ตั้งเป้าไว้กี่คน", "target", [], True, ""),
    ("KPI ปี 2569", "target", [2569], False, ""),
    # a figure asked of เป้าหมาย, with no indicator word
    ("เป้าหมายปี 2568 กี่คน", "target", [2568], False, ""),
    ("เป้าหมายปี 68 ครูกี่คน", "target", [2568], False, ""),
    ("เป้าหมายร้อยละเท่าไร", "target", [], True, ""),
    ("เป้าหมายของตัวชี้วัดข้อ 2 กี่คน", "target", [], True, ""),  # the figure far from เป้า
    ("ค่าเป้าหมายปี 2567-2569 ของตัวชี้วัดข้อ 2", "target", [2567, 2568, 2569], False, ""),
    ("งบประมาณโครงการห้องสมุดมีชีวิตเท่าไร", "budget", [], False, "ห้องสมุดมีชีวิต"),
    ("โครงการห้องสมุดมีชีวิต ใช้งบเท่าไร", "budget", [], False, "ห้องสมุดมีชีวิต"),
    ("งบ PLC เท่าไหร่", "budget", [], False, "plc"),  # no โครงการ word
    ("โครงการโรงเรียนปลอดภัยใครรับผิดชอบ", "responsible", [], False, "โรงเรียนปลอดภัย"),
    ("ผู้รับผิดชอบโครงการค่ายทักษะชีวิต", "responsible", [], False, "ค่ายทักษะชีวิต"),
    ("กลุ่มนโยบายและแผนมีโครงการอะไร", "group", [], False, "กลุ่มนโยบายและแผน"),
    ("โครงการของกลุ่มนิเทศ ติดตามและประเมินผล มีอะไรบ้าง", "group", [], False,
     "กลุ่มนิเทศ ติดตามและประเมินผล"),
    ("ฝ่ายวิชาการรับผิดชอบโครงการอะไรบ้าง", "group", [], False, "ฝ่ายวิชาการ"),
    ("โครงการของกลุ่มนโยบายและแผน", "group", [], False, "กลุ่มนโยบายและแผน"),  # no asking word
    ("มีโครงการอะไรบ้าง", "projects", [], False, ""),
    ("โครงการไหนงบเยอะที่สุด", "most", [], False, ""),
    ("งบน้อยที่สุด", "least", [], False, ""),
    ("งบประมาณรวม", "total", [], False, ""),
    ("งบประมาณรวมทุกโครงการ", "total", [], False, ""),
    ("ขอรายละเอียดโครงการทั้งหมดพร้อมงบ", "budgets", [], False, ""),
    ("งบประมาณของแต่ละโครงการ", "budgets", [], False, ""),
    ("ขอรายละเอียดงบโครงการห้องสมุดมีชีวิต", "budget", [], False, "ห้องสมุดมีชีวิต"),
    ("รวมงบประมาณทั้งสิ้นเท่าไร", "total", [], False, ""),
    # where the money comes from is no project's name and no total
    ("ได้รับงบจาก อบต. เท่าไหร่", "source", [], False, "อบต."),
    ("มีงบประมาณจากสมาคมศิษย์เก่าไหม", "source", [], False, "สมาคมศิษย์เก่า"),
    ("โครงการไหนใช้เงินสนับสนุนจากองค์การบริหารส่วนตำบล", "source", [], False,
     "องค์การบริหารส่วนตำบล"),
])
def test_a_table_question_is_read(engine, question, ask_, years, every, name):
    q = understand(question, engine.matcher)
    assert q.intent == "table"
    asked = read(q)
    assert (asked.ask, asked.years, asked.every_year, asked.name) == (ask_, years, every, name)


@pytest.mark.parametrize("question, intent", [
    ("โครงการรักการอ่านสอดคล้องกับกลยุทธ์ไหน", "align"),
    ("โครงการโรงเรียนปลอดภัย สนองกลยุทธ์ข้อใด", "align"),
    ("เป้าหมายปีหน้าเท่าไร", None),  # no year named: not a target question
    ("เป้าหมายมีกี่ข้อ", "count"),  # how many goals, not a figure
    ("เป้าหมายมีกี่ประการ", "count"),
    ("ตัวชี้วัดของ สพม.13", None),
    ("โครงการนี้มีกลุ่มเป้าหมายเป็นใคร", None),
    ("โครงการของกลุ่มเป้าหมาย", None),  # whom projects are for, not a working group
    ("แผนนี้ปีไหน", "year"),
])
def test_other_questions_are_not_table_questions(engine, question, intent):
    assert understand(question, engine.matcher).intent == intent


# --- indicators ------------------------------------------------------------------------------


def test_a_years_target_is_the_cell_as_printed_with_its_unit(tables):
    reply = tables.answer("ค่าเป้าหมายปี ๒๕๖๘ ของตัวชี้วัดข้อ 1 สพป.ลำธาร เขต 3", State())
    assert reply.kind == "answer" and reply.section == "indicator"
    assert "ร้อยละของนักเรียนชั้น ป.3 ที่ผ่านการประเมินการอ่าน (RT) ระดับดีขึ้นไป" in reply.text
    assert "หน่วยนับ: ร้อยละ" in reply.text
    assert "ปี 2568 (ปีงบประมาณ ๒๕๖๘): ๘๐" in reply.text  # the column and value as printed
    assert "๗๕" not in reply.text and "๘๕" not in reply.text
    assert reply.items == ["1"]


def test_a_figure_asked_of_a_target_without_an_indicator_word(tables):
    reply = tables.answer("รร.บ้านหนองน้ำใสวิทยา เป้าหมายปี 2568 ครูกี่คน", State())
    assert reply.kind == "answer" and reply.section == "indicator"
    assert "จำนวนครูที่จัดการเรียนรู้เชิงรุกทุกรายวิชา" in reply.text and "๑๘" in reply.text
    assert "๑๕" not in reply.text  # 2567's figure is not 2568's


def test_a_year_the_table_lacks_is_said_with_the_years_it_has(tables):
    reply = tables.answer("ค่าเป้าหมายปี 2571 ของตัวชี้วัดข้อ 1 สพป.ลำธาร เขต 3", State())
    assert reply.kind == "item_absent" and not reply.answered
    assert "ตัวชี้วัดนี้ไม่มีค่าเป้าหมายของปี 2571 ในแผน (มีปี 2567–2569)" in reply.text


def test_every_year_of_an_indicator(tables):
    text = tables.answer("ค่าเป้าหมายทุกปีของตัวชี้วัดข้อ 2 สพป.ลำธาร เขต 3", State()).text
    assert [line for line in text.splitlines() if line.startswith("ปี ")] == [
        "ปี 2567 (ปีงบประมาณ ๒๕๖๗): ๕๐", "ปี 2568 (ปีงบประมาณ ๒๕๖๘): ๗๐",
        "ปี 2569 (ปีงบประมาณ ๒๕๖๙): ๑๐๐"]


def test_an_indicator_nested_in_a_strategy_is_found_among_those_with_targets(whole):
    for fmt, engine in whole.items():
        reply = engine.answer("ตัวชี้วัดที่ 2 ปี ๒๕๖๙ เป้าหมายเท่าไร", State())
        assert "ยุทธศาสตร์ 2 / ตัวชี้วัด 2" in reply.text, fmt
        assert "ร้อยละของนักเรียนที่มีผลการทดสอบระดับชาติผ่านเกณฑ์" in reply.text
        assert reply.text.rstrip().endswith(": ๖๕"), fmt


def test_an_indicator_named_by_its_words(tables):
    reply = tables.answer("ค่าเป้าหมายปี 2568 ตัวชี้วัดร้อยละของโรงเรียนที่ใช้แพลตฟอร์มดิจิทัล "
                          "สพป.ลำธาร เขต 3", State())
    assert "ร้อยละของโรงเรียนที่ใช้แพลตฟอร์มการเรียนรู้ดิจิทัล" in reply.text
    assert ": ๗๐" in reply.text and "ผ่านการประเมินการอ่าน" not in reply.text


# --- projects --------------------------------------------------------------------------------


def test_a_projects_budget_by_a_shortened_or_misspelt_name(tables):
    for question in ("งบประมาณโครงการโรงเรียนดิจิทัลเท่าไร", "โครงการโรงเรียนดิจิตอล ใช้งบเท่าไร",
                     "งบโครงการ รร ดิจิทัล"):
        reply = tables.answer(question, State())
        assert "โครงการโรงเรียนดิจิทัล\nงบประมาณ (บาท): 350,000" in reply.text, question
        assert reply.owner == "area-office"


def test_a_project_that_no_plan_lists_is_said_not_found(tables):
    reply = tables.answer("โครงการค่ายพักแรมริมทะเล ใช้งบเท่าไร", State())
    assert reply.kind == "item_absent"
    assert "ไม่พบโครงการ “ค่ายพักแรมริมทะเล”" in reply.text


def test_who_is_responsible_and_a_missing_budget_is_not_made_up(tables):
    reply = tables.answer("โครงการเยี่ยมบ้านนักเรียนใครรับผิดชอบ", State())
    assert "ผู้รับผิดชอบ: ครูประจำชั้นทุกคน" in reply.text
    budget = tables.answer("งบประมาณโครงการเยี่ยมบ้านนักเรียน", State())
    assert "งบประมาณ (บาท): -" in budget.text  # printed as a dash: quoted as a dash


def test_a_groups_projects_and_nothing_else(tables):
    reply = tables.answer("โครงการของฝ่ายวิชาการ รร.บ้านหนองน้ำใสวิทยา มีอะไรบ้าง", State())
    assert "(2 โครงการ)" in reply.text
    assert "โครงการห้องสมุดมีชีวิต" in reply.text and "โครงการนิเทศภายในแบบกัลยาณมิตร" in reply.text
    assert "ค่ายทักษะชีวิต" not in reply.text and "ภูมิทัศน์" not in reply.text


def test_the_total_is_the_plans_own_row_and_never_a_computed_sum(tables):
    school = tables.answer("งบประมาณรวม รร.บ้านหนองน้ำใสวิทยา", State())
    assert "รวมทั้งสิ้น 203,500" in school.text and school.answered
    area = tables.answer("งบประมาณรวมทั้งหมดของ สพป.ลำธาร เขต 3 เท่าไร", State())
    assert not area.answered and "ไม่ได้ระบุยอดรวมงบประมาณ" in area.text
    assert "721,400" not in area.text  # the sum of its rows, which the plan does not print


def test_without_an_office_several_plans_with_projects_ask_which(tables):
    reply = tables.answer("มีโครงการอะไรบ้าง", State())
    assert reply.kind == "which_owner"
    # each tap asks the same question of one office
    assert {r.text for r in reply.quick_replies} >= {
        "มีโครงการอะไรบ้าง สพป.ลำธาร เขต 3", "มีโครงการอะไรบ้าง รร.บ้านหนองน้ำใสวิทยา"}
    answered = tables.answer(reply.quick_replies[0].text, State())
    assert answered.section == "project" and answered.kind == "answer"


@pytest.mark.parametrize("office", ["สพป.ลำธาร เขต 3", "ของ สพป.ลำธาร เขต 3 ครับ"])
def test_the_office_named_after_which_office_gets_the_table_question(tables, office):
    which, listed = ask(tables, "มีโครงการอะไรบ้าง", office)
    assert which.kind == "which_owner"
    assert listed.kind == "answer" and listed.section == "project"
    assert listed.owner == "area-office"
    assert "5. โครงการติดตามการใช้จ่ายงบประมาณ" in listed.text


def test_the_office_picked_by_number_after_which_office_gets_the_table_question(tables):
    which = tables.answer("มีโครงการอะไรบ้าง", State())
    assert which.kind == "which_owner"
    number = next(n for n, r in enumerate(which.quick_replies, start=1)
                  if r.text.endswith("สพป.ลำธาร เขต 3"))
    listed = tables.answer(str(number), which.state)
    assert listed.section == "project" and "5. โครงการติดตามการใช้จ่ายงบประมาณ" in listed.text
    # asked once: it waits no more
    assert listed.state.pending_intent is None and listed.state.pending_question is None


def test_a_table_question_waiting_for_its_office_survives_the_state_store():
    from bot.reply import State as Saved

    state = Saved(pending_intent="table", pending_question="มีโครงการอะไรบ้าง")
    assert Saved.from_dict(state.to_dict()) == state
    # a broken one is dropped whole: no intent without its question
    assert Saved.from_dict({"pending_intent": "table"}).pending_intent is None
    assert Saved.from_dict({"pending_question": "x"}).pending_question is None


def test_the_table_question_answered_survives_the_state_store(tables):
    """A webhook saves the state between turns: "ของ … ล่ะ" next still asks the question
    again of that plan."""
    from bot.reply import State as Saved

    largest = tables.answer("โครงการไหนงบเยอะที่สุด รร.บ้านหนองน้ำใสวิทยา", Saved())
    saved = Saved.from_dict(json.loads(json.dumps(largest.state.to_dict())))
    assert saved.table_question and saved == largest.state
    again = tables.answer("ของ สพป.ลำธาร เขต 3 ล่ะ", saved)
    assert "โครงการโรงเรียนดิจิทัล" in again.text and "มากที่สุด" in again.text


def test_every_projects_budget_as_printed_then_the_plans_own_total(tables):
    reply = tables.answer("ขอรายละเอียดโครงการทั้งหมดพร้อมงบ รร.บ้านหนองน้ำใสวิทยา", State())
    assert reply.kind == "answer" and reply.section == "project"
    text = reply.text
    assert "โครงการค่ายทักษะชีวิตและลูกเสือ\nงบประมาณ (บาท): 30,000" in text
    assert "โครงการเยี่ยมบ้านนักเรียน\nงบประมาณ (บาท): -" in text  # as printed, not 0
    assert text.rstrip().endswith("รวมทั้งสิ้น 203,500")
    assert reply.items == ["1", "2", "3", "4", "5"]


def test_follow_ups_on_a_project_list(tables):
    listed, second, budget = ask(tables, "สพป.ลำธาร เขต 3 มีโครงการอะไรบ้าง", "ข้อ 2",
                                 "ใช้งบเท่าไร")
    assert "5. โครงการติดตามการใช้จ่ายงบประมาณ" in listed.text
    assert second.items == ["2"] and "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)" in second.text
    assert "งบประมาณ (บาท): 96,400" in budget.text


LONG_PLAN = """---
office: โรงเรียนทดสอบตารางยาววิทยา
---
โครงการตามแผน
| ที่ | โครงการ | งบประมาณ (บาท) | ผู้รับผิดชอบ |
|---|---|---|---|
{rows}
"""


@pytest.fixture(scope="module")
def long_list(tmp_path_factory) -> Engine:
    rows = "\n".join(
        f"| {n} | โครงการพัฒนาการเรียนรู้ตามแนวทางสะเต็มศึกษาและทักษะอาชีพ รุ่นที่ {n} | "
        f"{n},500 | {'ฝ่ายวิชาการ' if n % 2 else 'ฝ่ายบริหารทั่วไป'} |" for n in range(1, 121))
    return _engine(tmp_path_factory, "long", {"long.md": LONG_PLAN.format(rows=rows)})


def test_a_long_project_list_is_cut_to_lines_limit_and_continues(long_list):
    first, rest = ask(long_list, "มีโครงการอะไรบ้าง", "ต่อ")
    assert len(first.text) < 5000 and "รุ่นที่ 1\n" in first.text + "\n"
    assert "ต่อ" in [r.label for r in first.quick_replies]
    assert "รุ่นที่ 120" not in first.text
    assert "รุ่นที่ 120" in rest.text or "ต่อ" in [r.label for r in rest.quick_replies]
    whole = ask(long_list, "มีโครงการอะไรบ้าง", "ขอทั้งหมด")[1]
    assert whole.kind == "answer" and "รุ่นที่" in whole.text


def test_every_projects_budget_of_a_plan_that_lists_none_says_so(tmp_path_factory):
    mixed = _engine(tmp_path_factory, "mixed", {
        "area-office.md": TABLES_CORPUS / "area-office.md",
        "spm-13.txt": ROOT / "corpus" / "spm-13.txt",
    })
    for question in ("งบประมาณของแต่ละโครงการ สพม.13", "งบประมาณรวม สพม.13"):
        reply = mixed.answer(question, State())
        assert reply.owner == "spm-13" and reply.section == "project"
        assert "แผนของ สพม.13 ไม่มีรายการโครงการและงบประมาณค่ะ" in reply.text


ISSUES_TABLE = """---
office: สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาดอยสูง
short: สพม.ดอยสูง
---
วิสัยทัศน์
ผู้เรียนมีคุณภาพ ครูมีสมรรถนะ

ส่วนที่ 4 ยุทธศาสตร์ เป้าประสงค์ ตัวชี้วัด และค่าเป้าหมาย
| ยุทธศาสตร์ | เป้าประสงค์ | ตัวชี้วัด | ค่าเป้าหมาย 2568 |
|---|---|---|---|
| ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน | 1.1 ผู้เรียนมีผลสัมฤทธิ์สูงขึ้น | 1. ร้อยละของนักเรียนที่ผ่าน O-NET | 25 |
| | 1.2 ผู้เรียนห่างไกลยาเสพติด | 2. ร้อยละของสถานศึกษาสีขาว | 90 |
| ยุทธศาสตร์ที่ 2 สร้างโอกาสทางการศึกษา | 2.1 ประชากรวัยเรียนได้เรียนทั่วถึง | 3. อัตราการออกกลางคัน | 0.50 |
"""


def test_the_goals_a_plan_gives_only_in_its_issues_table_are_quoted(tmp_path_factory):
    engine = _engine(tmp_path_factory, "issues-table", {"doisung.md": ISSUES_TABLE})
    goals = engine.answer("เป้าประสงค์ของ สพม.ดอยสูง", State())
    assert goals.kind == "answer" and goals.section == "goal"
    for text in ("ผู้เรียนมีผลสัมฤทธิ์สูงขึ้น", "ผู้เรียนห่างไกลยาเสพติด",
                 "ประชากรวัยเรียนได้เรียนทั่วถึง"):
        assert text in goals.text
    second = engine.answer("เป้าประสงค์ที่ 1.2 ของ สพม.ดอยสูง", State())
    assert "ผู้เรียนห่างไกลยาเสพติด" in second.text
    assert "ผู้เรียนมีผลสัมฤทธิ์สูงขึ้น" not in second.text


def test_a_number_after_an_issues_indicator_is_the_plans_when_the_issue_has_none(
        tmp_path_factory):
    """Indicators numbered 1 to 3 across the plan's issues: "ข้อ 3" after indicator 1 (of
    issue 1) is indicator 3, of issue 2; it had been "issue 1 has no item 3"."""
    engine = _engine(tmp_path_factory, "issues-numbers", {"doisung.md": ISSUES_TABLE})
    first = engine.answer("ตัวชี้วัดข้อ 1 สพม.ดอยสูง", State())
    assert "ร้อยละของนักเรียนที่ผ่าน O-NET" in first.text
    third = engine.answer("ข้อ 3", first.state)
    assert "อัตราการออกกลางคัน" in third.text and third.kind == "answer"
    second = engine.answer("ข้อ 2", first.state)
    assert "ร้อยละของสถานศึกษาสีขาว" in second.text


PRINTED_NUMBERS = """---
office: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเลขพิมพ์ เขต 1
short: สพป.เลขพิมพ์ เขต 1
---
ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน
ยุทธศาสตร์ที่ 2 สร้างโอกาสทางการศึกษา

ตัวชี้วัดและค่าเป้าหมาย
| ยุทธศาสตร์ | ตัวชี้วัด | 2568 | 2569 |
|---|---|---|---|
| ยุทธศาสตร์ที่ 1 | ตัวชี้วัดที่ 1.1.1 ร้อยละของนักเรียนที่อ่านออกเขียนได้ | 85 | 90 |
| | ตัวชี้วัดที่ 1.1.2 ร้อยละของนักเรียนที่ผ่านการประเมินการอ่าน | 60 | 65 |
| ยุทธศาสตร์ที่ 2 | ตัวชี้วัดที่ 2.1.1 จำนวนนักเรียนที่ออกกลางคัน | ไม่เกิน 15 | ไม่เกิน 10 |
"""


def test_an_indicator_by_the_number_printed_in_its_words(tmp_path_factory):
    """"ตัวชี้วัดที่ 1.1.2" when the plan numbers its rows in their words: the tree numbers
    them 1, 2 within each issue, and the bot had said the plan has no item 1.1.2."""
    engine = _engine(tmp_path_factory, "printed", {"spp.txt": PRINTED_NUMBERS})
    quoted = engine.answer("ตัวชี้วัดที่ 1.1.2 สพป.เลขพิมพ์ เขต 1 คืออะไร", State())
    assert quoted.kind == "answer" and "ผ่านการประเมินการอ่าน" in quoted.text
    assert "อ่านออกเขียนได้" not in quoted.text
    target = engine.answer("ตัวชี้วัดที่ 2.1.1 ค่าเป้าหมายปี 2569 สพป.เลขพิมพ์ เขต 1", State())
    assert "ปี 2569: ไม่เกิน 10" in target.text and "อ่านออกเขียนได้" not in target.text


def test_a_years_figure_asked_without_a_target_word_is_the_indicators_target(tmp_path_factory):
    """"เด็กออกกลางคันกี่คนในปี 69" names neither a target nor an indicator: the indicator
    its words fit (เด็ก is นักเรียน), with that year's target; it had been "ไม่พบข้อความ".
    Words that fit every indicator ("นักเรียนกี่คน") are not read as one of them."""
    engine = _engine(tmp_path_factory, "figure-of-year", {"spp.txt": PRINTED_NUMBERS})
    reply = engine.answer("สพป.เลขพิมพ์ เขต 1 เด็กออกกลางคันกี่คนในปี 69", State())
    assert reply.kind == "answer" and "ปี 2569: ไม่เกิน 10" in reply.text
    assert "อ่านออกเขียนได้" not in reply.text
    vague = engine.answer("ปี 2568 มีนักเรียนกี่คน สพป.เลขพิมพ์ เขต 1", State())
    assert "ค่าเป้าหมายของตัวชี้วัด" not in vague.text


LEVEL_OFFICE = """---
office: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาระดับชั้น เขต 1
short: สพป.ระดับชั้น เขต 1
---
โครงการ
| ที่ | โครงการ | งบประมาณ (บาท) | ผู้รับผิดชอบ |
|---|---|---|---|
| 1 | โครงการพัฒนาครูด้วย PLC | 120,000 | กลุ่มนิเทศ |
"""
LEVEL_SCHOOL = """---
office: โรงเรียนบ้านระดับชั้น
short: รร.บ้านระดับชั้น
parent: สพป.ระดับชั้น เขต 1
---
โครงการ
| ที่ | โครงการ | งบประมาณ (บาท) | ผู้รับผิดชอบ |
|---|---|---|---|
| 1 | โครงการพัฒนาครูด้วย PLC | 15,000 | ฝ่ายวิชาการ |
"""


def test_a_project_of_the_plan_named_by_its_level_alone(tmp_path_factory):
    """"โครงการ PLC ของเขตงบเท่าไร" while a school is discussed: the area office's project of
    that name, not the school's (which was the one quoted, "ของเขต" read as its name)."""
    engine = _engine(tmp_path_factory, "of-level", {"spp.md": LEVEL_OFFICE,
                                                     "school.md": LEVEL_SCHOOL})
    school = engine.answer("รร.บ้านระดับชั้น", State())
    office = engine.answer("โครงการ PLC ของเขตงบเท่าไร", school.state)
    assert "120,000" in office.text and "15,000" not in office.text
    own = engine.answer("โครงการ PLC ของโรงเรียนงบเท่าไร", office.state)
    assert "15,000" in own.text and "120,000" not in own.text


PEOPLE = """---
office: โรงเรียนบ้านคนรับผิดชอบ
short: รร.บ้านคนรับผิดชอบ
---
โครงการ
| ที่ | โครงการ | งบประมาณ (บาท) | ผู้รับผิดชอบ |
|---|---|---|---|
| 1 | โครงการรักการอ่าน | 5,000 | นายประเสริฐ บุญมา |
| 2 | โครงการค่ายคณิตศาสตร์ | 8,000 | นางสาวกมลวรรณ ศรีสุข |
| 3 | โครงการพัฒนาครู PLC | 3,000 | นายประเสริฐ บุญมา (ฝ่ายวิชาการ) |
| 4 | โครงการสวนพฤกษศาสตร์ | 2,000 | นางบุษบา จันทร์หอม |
"""


def test_the_projects_a_person_named_is_responsible_for(tmp_path_factory):
    """"นายประเสริฐ บุญมา รับผิดชอบโครงการอะไรบ้าง": the rows naming that person, as a
    group's are found; it had said no project is called "นายประเสริฐ บุญมา"."""
    engine = _engine(tmp_path_factory, "people", {"school.md": PEOPLE})
    reply = engine.answer("นายประเสริฐ บุญมา รับผิดชอบโครงการอะไรบ้าง", State())
    assert "โครงการรักการอ่าน" in reply.text and "โครงการพัฒนาครู PLC" in reply.text
    assert "โครงการค่ายคณิตศาสตร์" not in reply.text
    # a name holding "งบ" (นางบุษบา) is no budget question
    her = engine.answer("นางบุษบา จันทร์หอม รับผิดชอบโครงการอะไรบ้าง", State())
    assert "โครงการสวนพฤกษศาสตร์" in her.text and "ไม่พบโครงการ" not in her.text


BY_STRATEGY = """---
office: สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาคอลัมน์
short: สพม.คอลัมน์
---
ตัวชี้วัดและค่าเป้าหมาย
| ที่ | กลยุทธ์ | ตัวชี้วัด | 2568 |
|---|---|---|---|
| 1 | 1.1 | ร้อยละของนักเรียนที่อ่านคล่อง | 80 |
| 2 | 2.1 | อัตราการออกกลางคันของนักเรียน | 0.50 |
| 3 | 2.1 | จำนวนเด็กตกหล่นที่ได้รับการติดตาม | 120 |
| 4 | 2.2 | ร้อยละของนักเรียนที่ได้รับทุน | 100 |
"""


def test_the_indicators_a_strategy_column_gives_to_a_strategy(tmp_path_factory):
    """"ตัวชี้วัดของกลยุทธ์ 2.1" when the indicator table has a กลยุทธ์ column: the rows it
    gives to 2.1; the bot had said the plan does not sort its indicators by strategy."""
    engine = _engine(tmp_path_factory, "by-strategy", {"spm.md": BY_STRATEGY})
    reply = engine.answer("ตัวชี้วัดของกลยุทธ์ 2.1 สพม.คอลัมน์", State())
    assert "อัตราการออกกลางคัน" in reply.text and "จำนวนเด็กตกหล่น" in reply.text
    assert "อ่านคล่อง" not in reply.text and "ได้รับทุน" not in reply.text
    assert "ไม่ได้ระบุ" not in reply.text


PEOPLE_IN_BLOCKS = """---
office: โรงเรียนบ้านบล็อกโครงการ
short: รร.บ้านบล็อกโครงการ
---
โครงการและกิจกรรม

โครงการที่ 1
ชื่อโครงการ  ส่งเสริมนิสัยรักการอ่าน
ผู้รับผิดชอบ  นางสาวพิมพ์ชนก แก้วมณี (กลุ่มสาระภาษาไทย)
งบประมาณ  35,000 บาท

โครงการที่ 2
ชื่อโครงการ  ยกระดับผลสัมฤทธิ์ O-NET
ผู้รับผิดชอบ  นายวีระพงษ์ ทองดี (กลุ่มบริหารวิชาการ)
งบประมาณ  48,000 บาท
"""


def test_the_projects_of_a_person_named_in_the_projects_own_lines(tmp_path_factory):
    """Projects written as blocks of labelled lines name who is responsible in a line of their
    own: "นายวีระพงษ์ รับผิดชอบโครงการอะไรบ้าง" finds them there, with that line."""
    engine = _engine(tmp_path_factory, "people-blocks", {"school.txt": PEOPLE_IN_BLOCKS})
    reply = engine.answer("นายวีระพงษ์ รับผิดชอบโครงการอะไรบ้าง", State())
    assert reply.text.startswith("โครงการที่ นายวีระพงษ์ รับผิดชอบ ตามแผนของ รร.บ้านบล็อกโครงการ")
    assert "ยกระดับผลสัมฤทธิ์ O-NET" in reply.text and "นายวีระพงษ์ ทองดี" in reply.text
    assert "ส่งเสริมนิสัยรักการอ่าน" not in reply.text


def test_a_figure_asked_of_no_plan_leaves_no_question_waiting(tmp_path_factory):
    """"ปี 2568 มีนักเรียนกี่คน" with no office named, two plans with targets and no indicator
    its words fit: no table answer, and no table question left waiting for "which office?"
    (an office named next had been given this unanswered question)."""
    engine = _engine(tmp_path_factory, "figure-no-plan", {"spp.txt": PRINTED_NUMBERS,
                                                          "spm.md": ISSUES_TABLE})
    reply = engine.answer("ปี 2568 มีนักเรียนกี่คน", State())
    assert reply.kind != "which_owner"
    assert reply.state.pending_intent is None and reply.state.pending_question is None


INDICATORS_IN_TEXT = """---
office: สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา เขต 2
short: สพม.2
---
ตัวชี้วัดความสำเร็จ
1. ร้อยละของโรงเรียนที่ผ่านการประเมินโรงเรียนปลอดภัย ค่าเป้าหมาย ปี 2567 ร้อยละ 100
2. ร้อยละของครูที่ได้รับการพัฒนาตามแผนพัฒนาตนเอง ร้อยละ 100 ทุกปี
"""


@pytest.fixture(scope="module")
def discussed(tmp_path_factory) -> Engine:
    """Plans with tables (tests/corpus-tables) beside two without: สพม.13 (no indicators, no
    projects) and สพม.2 (indicators whose targets are in their own words)."""
    return _engine(tmp_path_factory, "discussed", {
        "area-office.md": TABLES_CORPUS / "area-office.md",
        "school-plan.md": TABLES_CORPUS / "school-plan.md",
        "spm-13.txt": ROOT / "corpus" / "spm-13.txt",
        "spm-2.txt": INDICATORS_IN_TEXT,
    })


@pytest.mark.parametrize("follow_up, said", [
    ("ค่าเป้าหมายปี 2568 ล่ะ", "ไม่มีตารางค่าเป้าหมายรายปีของตัวชี้วัด"),
    ("มีโครงการอะไรบ้าง", "ไม่มีหัวข้อ “โครงการ”"),
    ("โครงการไหนงบเยอะที่สุด", "ไม่มีรายการโครงการและงบประมาณ"),
    ("งบประมาณรวม", "ไม่มีรายการโครงการและงบประมาณ"),
])
def test_a_follow_up_the_plan_discussed_lacks_is_said_of_that_plan(discussed, follow_up, said):
    """Never another office's figures unasked: a teacher would quote them as this office's."""
    reply = ask(discussed, "วิสัยทัศน์ สพม.13", follow_up)[1]
    assert reply.owner == "spm-13" and reply.kind in ("item_absent", "section_absent")
    assert said in reply.text and "ลำธาร" not in reply.text and "หนองน้ำใส" not in reply.text


def test_a_years_target_in_the_indicators_own_words_is_quoted_from_the_plan_discussed(
        discussed):
    reply = ask(discussed, "ตัวชี้วัด สพม.2", "ค่าเป้าหมายปี 2567 ล่ะ")[1]
    assert reply.owner == "spm-2"
    assert "ค่าเป้าหมาย ปี 2567 ร้อยละ 100" in reply.text and "ลำธาร" not in reply.text


LISTED_IN_WORDS = """---
office: สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา เขต 2
short: สพม.2
---
ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน
ตัวชี้วัดและค่าเป้าหมาย
| ตัวชี้วัด | หน่วยนับ | 2567 | 2568 |
|---|---|---|---|
| 1.1 ร้อยละของนักเรียนที่อ่านออกเขียนได้ | ร้อยละ | 80 | 85 |

ยุทธศาสตร์ที่ 2 พัฒนาครู
ตัวชี้วัดและค่าเป้าหมาย
| ตัวชี้วัด | หน่วยนับ | 2567 | 2568 |
|---|---|---|---|
| 2.1 ร้อยละของครูที่ได้รับการพัฒนา | ร้อยละ | 90 | 100 |

โครงการสำคัญ
• โครงการแนะแนวสัญจร งบประมาณ 85,000 บาท ผู้รับผิดชอบ กลุ่มส่งเสริมการจัดการศึกษา
• โครงการพัฒนาระบบสำนักงานอิเล็กทรอนิกส์
• โครงการอาหารกลางวัน งบประมาณ ๑๒๐,๐๐๐ บาท (งบจาก อบต.)
"""


@pytest.fixture(scope="module")
def in_words(tmp_path_factory) -> Engine:
    return _engine(tmp_path_factory, "in-words", {"spm-2.txt": LISTED_IN_WORDS})


@pytest.mark.parametrize("question", ["โครงการแนะแนวสัญจร งบเท่าไหร่",
                                      "โครงการแนะแนวสัญจร ใครรับผิดชอบ"])
def test_a_budget_in_a_listed_projects_own_words_is_not_said_missing(in_words, question):
    reply = in_words.answer(question, State())
    assert reply.kind == "answer" and "85,000 บาท" in reply.text
    assert "แผนไม่ได้ระบุ" not in reply.text


def test_a_listed_project_without_a_budget_is_said_so(in_words):
    reply = in_words.answer("โครงการพัฒนาระบบสำนักงานอิเล็กทรอนิกส์ งบเท่าไหร่", State())
    assert "(แผนไม่ได้ระบุงบประมาณของโครงการนี้)" in reply.text


@pytest.mark.parametrize("question, picked, left_out", [
    ("โครงการไหนใช้งบมากที่สุด", "โครงการอาหารกลางวัน", "โครงการแนะแนวสัญจร"),
    ("โครงการไหนใช้งบน้อยที่สุด", "โครงการแนะแนวสัญจร", "โครงการอาหารกลางวัน"),
])
def test_budgets_in_projects_own_words_are_compared(in_words, question, picked, left_out):
    reply = in_words.answer(question, State())
    assert reply.kind == "answer" and picked in reply.text and left_out not in reply.text
    assert "เทียบจากงบประมาณที่แผนระบุไว้ 2 โครงการ" in reply.text
    assert "อีก 1 โครงการไม่ได้ระบุงบประมาณ" in reply.text


def test_every_projects_budget_in_its_own_words_is_not_said_missing(in_words):
    reply = in_words.answer("งบประมาณของแต่ละโครงการ", State())
    assert "โครงการแนะแนวสัญจร งบประมาณ 85,000 บาท" in reply.text
    assert reply.text.count("(แผนไม่ได้ระบุงบประมาณของโครงการนี้)") == 1


def test_money_from_a_source_is_the_rows_that_name_it_never_the_total(in_words):
    reply = in_words.answer("ได้รับงบจาก อบต. เท่าไหร่", State())
    assert reply.kind == "answer" and "โครงการอาหารกลางวัน" in reply.text
    assert "๑๒๐,๐๐๐ บาท (งบจาก อบต.)" in reply.text and "แนะแนวสัญจร" not in reply.text
    reply = in_words.answer("มีงบประมาณจากสมาคมศิษย์เก่าไหม", State())
    assert "ไม่ได้ระบุงบประมาณจาก “สมาคมศิษย์เก่า”" in reply.text
    assert "โครงการ" not in reply.text.split("ค่ะ")[0].replace("งบประมาณ", "")


def test_targets_nested_in_issues_are_not_labelled_with_the_first_issues_heading(in_words):
    """The section the first issue's line opened holds every issue: its heading is no
    heading of indicator 2.1's; the block's path says where each is."""
    reply = in_words.answer("ค่าเป้าหมายปี 2568 ของตัวชี้วัด", State())
    assert "ยุทธศาสตร์ 2 / ตัวชี้วัด 2.1" in reply.text and "100" in reply.text
    assert "หัวข้อในแผน" not in reply.text


def test_every_projects_budget_in_a_long_list_is_cut_and_continues(long_list):
    first, rest = ask(long_list, "งบประมาณของแต่ละโครงการ", "ต่อ")
    assert len(first.text) < 5000 and "ต่อ" in [r.label for r in first.quick_replies]
    assert "รุ่นที่ 120" not in first.text
    shown = {line for line in first.text.splitlines() if "รุ่นที่" in line}
    assert rest.kind == "answer" and not shown & set(rest.text.splitlines())


def test_a_number_in_a_projects_name_tells_it_from_its_namesakes(long_list):
    reply = long_list.answer("งบประมาณโครงการพัฒนาการเรียนรู้ตามแนวทางสะเต็มศึกษา รุ่นที่ 7", State())
    assert reply.items == ["7"] and "งบประมาณ (บาท): 7,500" in reply.text


def test_a_long_group_list_is_cut_and_continues(long_list):
    first, more = ask(long_list, "ฝ่ายวิชาการมีโครงการอะไรบ้าง", "ต่อ")
    assert "(60 โครงการ)" in first.text and len(first.text) < 5000
    assert "ที่: 1\n" not in first.text  # the list-number column is not a cell to quote
    assert "รุ่นที่ 2\n" not in first.text + "\n"  # ฝ่ายบริหารทั่วไป's
    shown = first.text.count("【")
    assert 0 < shown < 60
    assert f"รุ่นที่ {2 * shown + 1}\n" in more.text + "\n"  # the next of the group's rows


# --- the same plan in every format -----------------------------------------------------------


@pytest.mark.parametrize("question, expected", [
    ("ค่าเป้าหมายปี 2568 ของตัวชี้วัดข้อ 1 ของ สพม.13", "ปี 2568 (ค่าเป้าหมาย 2568): 75"),
    ("ตัวชี้วัดที่ 3 ปี ๒๕๗๐ เป้าหมายเท่าไร", "ปี 2570 (ค่าเป้าหมาย 2570): ๑๐๐"),
    ("งบประมาณโครงการพัฒนาครูและบุคลากรทางการศึกษาเท่าไร", "งบประมาณ (บาท): ๓๒๐,๐๐๐"),
    ("โครงการส่งเสริมการเรียนรู้ด้วยเทคโนโลยีดิจิทัลใครรับผิดชอบ",
     "ผู้รับผิดชอบ: กลุ่มส่งเสริมการจัดการศึกษา"),
    ("กลุ่มนิเทศ ติดตามและประเมินผล มีโครงการอะไรบ้าง", "โครงการพัฒนาคุณภาพผู้เรียนสู่ความเป็นเลิศ"),
    ("มีโครงการอะไรบ้าง", "3. โครงการพัฒนาครูและบุคลากรทางการศึกษา"),
])
def test_the_same_answer_from_the_docx_pdf_odt_and_html(formats, question, expected):
    answers = {fmt: formats[fmt].answer(question, State()).text for fmt in FORMATS}
    assert expected in answers["docx"], answers["docx"]
    for fmt in ("pdf", "odt", "html"):
        assert answers[fmt] == answers["docx"], fmt


@pytest.mark.parametrize("question", [
    "ค่าเป้าหมายทุกปีของตัวชี้วัดข้อ 1", "โครงการโรงเรียนปลอดภัยใช้งบเท่าไร", "งบประมาณรวม",
    "กลุ่มนโยบายและแผนมีโครงการอะไร",
])
def test_the_whole_plan_as_text_and_as_word_answers_alike(whole, question):
    md, docx = (whole[f].answer(question, State()) for f in ("md", "docx"))
    assert md.answered and md.text == docx.text


def test_the_whole_plans_total_row(whole):
    assert "รวม ๙๕๐,๐๐๐" in whole["md"].answer("งบประมาณรวม", State()).text


# --- what stays as it was --------------------------------------------------------------------


def test_alignment_stays_alignment_where_plans_have_projects(tables):
    reply = tables.answer("โครงการรักการอ่านสอดคล้องกับกลยุทธ์ไหนของ สพป.ลำธาร เขต 3", State())
    assert "พร้อมคัดลอก" in reply.text and reply.section == "strategy"


def test_plans_without_tables_answer_as_before(engine):
    """The bundled plans have no tables: a table question goes on to the other rules."""
    reply = engine.answer("งบประมาณโครงการพัฒนาครูเท่าไร", State())
    assert reply.section != "project"
    assert engine.answer("ค่าเป้าหมายปี 2568 ของตัวชี้วัดข้อ 1 สพม.13", State()).section == (
        "indicator")


# --- the eval file and the conversations -----------------------------------------------------


def test_the_tables_question_file_is_well_formed():
    cases = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    assert len(cases) >= 10 and sum(1 for c in cases if c.get("unanswered")) >= 3
    for case in cases:
        assert set(case) <= {"q", "expect", "expect_any", "forbid", "unanswered"}
        assert set(case) - {"q"}, case["q"]
        for fragment in [*(case.get("expect") or []), *(case.get("forbid") or [])]:
            assert isinstance(fragment, str), (case["q"], fragment)  # "45,000" stays one


def test_the_tables_question_file_scores_100_percent(tables_db):
    result = CliRunner().invoke(bot_cli, ["eval", str(QUESTIONS), "--db", str(tables_db)])
    assert "accuracy: 100.0%" in result.output, result.output
    assert result.exit_code == 0


@pytest.mark.parametrize("conversation", load_conversations(CONVERSATIONS),
                         ids=lambda c: c.name)
def test_table_conversations_replay(tables_db, tmp_path, conversation):
    with FakeLinePlatform() as fake:
        app = make_app(fake, tmp_path, tables_db)
        try:
            results = Replayer(fake, InProcessTransport(app), TEST_CHANNEL_SECRET).run(
                conversation)
        finally:
            app.extensions["planbot"].close()
    failures = [r.report() for r in results if not r.passed]
    assert not failures, "\n\n".join(failures)


def test_no_question_builds_an_owner_matcher_of_its_own(index_db, monkeypatch):
    """The owner matcher is built with the index: at national scale it takes 0.3 s, which the
    first table-like question in every worker used to pay (a p99 of 260 ms at 50 events/s)."""
    import bot.understand.owners as owners

    engine = Engine(index_db)
    assert engine.matcher is engine.catalog.matcher

    def built_at_a_question(*args, **kwargs):
        raise AssertionError("an OwnerMatcher was built while answering")

    monkeypatch.setattr(owners.OwnerMatcher, "__init__", built_at_a_question)
    for question in ("ตั๋วเครื่องบินไปเชียงใหม่ราคาเท่าไร", "มีโครงการอะไรบ้าง สพม.13",
                     "งบประมาณโครงการทั้งหมด"):
        assert engine.answer(question).text


def test_a_catalog_knows_whether_any_plan_lists_projects(tables, engine):
    assert tables.catalog.lists_any("project") and not engine.catalog.lists_any("project")


def test_projects_under_an_item_with_no_office_go_to_the_one_plan_with_that_section(tables):
    """Only the office's plan has strategies: its projects under strategy 2 at once, not
    "which office?" among one (found in review)."""
    assert tables.catalog.owners_with("strategy") == ["area-office"]
    reply = tables.answer("มีโครงการอะไรบ้างภายใต้กลยุทธ์ที่ 2")
    assert reply.owner == "area-office" and reply.kind != "which_owner"
    direct = tables.answer("มีโครงการอะไรบ้างภายใต้กลยุทธ์ที่ 2 สพป.ลำธาร เขต 3")
    assert reply.text == direct.text


def test_a_project_not_found_keeps_the_plan_being_discussed(tables):
    """Asked of the office's plan, a project it does not list must not move the conversation to
    the school (the first plan listing projects): "งบรวม" next is still the office's."""
    state = tables.answer("งบโครงการ PLC").state
    assert state.owner == "area-office"
    missing = tables.answer("โครงการอบรมลูกเสือ งบเท่าไหร่", state)
    assert missing.kind == "item_absent" and missing.state.owner == "area-office"
    total = tables.answer("งบรวม", missing.state)
    assert total.owner == "area-office" and "รร.บ้านหนองน้ำใส" not in total.text


@pytest.mark.parametrize(("text", "full"), [
    ("ค่าเป้าหมายปี 68", "ค่าเป้าหมายปี 2568"),
    ("ปีงบ 67-69", "ปีงบ 2567-2569"),
    ("พ.ศ. 66", "พ.ศ. 2566"),
    ("ปีงบประมาณ 70", "ปีงบประมาณ 2570"),
    ("ปีที่ 2", "ปีที่ 2"),  # not a year
    ("อายุ 12 ปี", "อายุ 12 ปี"),
    ("ปี 2568", "ปี 2568"),
])
def test_two_digit_years_are_read_as_the_plans_print_them(text, full):
    from bot.understand.tables import full_years

    assert full_years(text) == full


def test_a_target_asked_with_a_two_digit_year_is_the_same_as_with_four(tables):
    short = tables.answer("ค่าเป้าหมายปี 68 ของ สพป.ลำธาร เขต 3")
    long = tables.answer("ค่าเป้าหมายปี 2568 ของ สพป.ลำธาร เขต 3")
    assert short.kind == "answer" and short.text == long.text


@pytest.mark.parametrize("question", ["รร.หนองน้ำใส มีโครงการอะไรบ้างคะ",
                                      "โรงเรียนหนองน้ำใส มีโครงการอะไรบ้าง"])
def test_a_school_named_before_the_project_word_is_the_plan_not_a_project(tables, question):
    reply = tables.answer(question)
    assert reply.kind == "answer" and reply.owner == "school-plan"
    assert "โครงการห้องสมุดมีชีวิต" in reply.text and "ไม่พบโครงการ" not in reply.text


def test_follow_ups_about_the_projects_shown(tables):
    """After the project list: "ข้อ 5 งบเท่าไหร่" is project 5's budget, "ใครรับผิดชอบ" that
    project's responsible group, "ข้อ 1 ใครรับผิดชอบ" project 1's; "ใครเป็นคนทำแผนนี้" is still
    about the plan's signer."""
    replies, state = [], None
    for question in ("มีโครงการอะไรบ้าง สพป.ลำธาร เขต 3", "ข้อ 5 งบเท่าไหร่", "ใครรับผิดชอบ",
                     "ข้อ 1 ใครรับผิดชอบ", "ใครเป็นคนทำแผนนี้"):
        reply = tables.answer(question, state)
        replies.append(reply)
        state = reply.state
    assert replies[1].items == ["5"] and "18,000" in replies[1].text
    assert replies[2].items == ["5"] and "กลุ่มนโยบายและแผน" in replies[2].text
    assert replies[3].items == ["1"] and "หน่วยงานที่รับผิดชอบ" in replies[3].text
    assert "ผู้ลงนาม" in replies[4].text and "หน่วยงานที่รับผิดชอบ" not in replies[4].text


@pytest.mark.parametrize("question", ["รร.หนองน้ำใส", "โรงเรียนหนองน้ำใส"])
def test_a_school_named_by_its_own_words_and_level_word_is_chosen(tables, question):
    """The level word typed before the school's own words is part of the name, not a topic
    word left over (which made "รร.หนองน้ำใส" alone a search that found nothing)."""
    reply = tables.answer(question)
    assert reply.kind == "owner_chosen" and reply.owner == "school-plan"
    # A plan's project table is one of its headings, listed and offered like the others.
    assert "โครงการ" in reply.text and "โครงการ" in [q.label for q in reply.quick_replies]


def test_a_year_alone_after_a_target_asks_the_same_indicators_target_that_year(tables):
    replies, state = [], None
    for question in ("ค่าเป้าหมายปี 2568 ของตัวชี้วัดข้อ 1 สพป.ลำธาร เขต 3", "ปี 2567 ล่ะ",
                     "แล้วปี 69 ล่ะ", "ปี 2570 ล่ะ"):
        reply = tables.answer(question, state)
        replies.append(reply)
        state = reply.state
    assert [r.items for r in replies] == [["1"]] * 4
    assert "ปี 2567" in replies[1].text and "ปี 2568" not in replies[1].text
    assert "ปี 2569" in replies[2].text
    assert replies[3].kind == "item_absent" and "ไม่มีค่าเป้าหมายของปี 2570" in replies[3].text


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Engine:
    """The bundled plans (strategies, no project lists) with the tables corpus's area office
    (strategies and a project table): several plans have strategies."""
    files = {p.name: p for p in (ROOT / "corpus").iterdir() if p.suffix == ".txt"}
    files["area-office.md"] = TABLES_CORPUS / "area-office.md"
    return _engine(tmp_path_factory, "mixed", files)


def test_the_office_chosen_after_which_office_gets_what_was_asked(mixed):
    """"มีโครงการอะไรบ้างภายใต้กลยุทธ์ที่ 2", then an office picked from "which office?": that
    office's projects under its strategy 2, not strategy 2 quoted; "สรุปกลยุทธ์", then an
    office: the summary, not the whole section."""
    asked = mixed.answer("มีโครงการอะไรบ้างภายใต้กลยุทธ์ที่ 2")
    assert asked.kind == "which_owner" and "สพป.ลำธาร เขต 3" in asked.text
    by_name = mixed.answer("สพป.ลำธาร เขต 3", asked.state)
    assert by_name.state.owner == "area-office"
    assert "ไม่ได้ระบุโครงการภายใต้กลยุทธ์ ข้อ 2" in by_name.text
    assert by_name.kind == mixed.answer("มีโครงการอะไรบ้างภายใต้กลยุทธ์ที่ 2 สพป.ลำธาร เขต 3").kind
    summary = mixed.answer("สรุปกลยุทธ์")
    number = next(line.split(".")[0] for line in summary.text.splitlines()
                  if line.endswith("สพป.ลำธาร เขต 3"))
    picked = mixed.answer(number, summary.state)
    assert picked.text.startswith("สรุปสั้นๆ: กลยุทธ์ ของ สพป.ลำธาร เขต 3")
    again = mixed.answer("1", picked.state)  # answered: nothing waits for an office any more
    assert not again.text.startswith("สรุปสั้นๆ")


def test_a_stored_intent_without_its_section_is_not_resumed(mixed):
    """A state from an older release (or edited) holding what was asked but no section: an
    office named is chosen as usual, never re-asked in a loop."""
    from bot.reply import State

    state = State.from_dict({"pending_intent": "count"})
    assert state.pending_intent is None
    state = State.from_dict({"pending_intent": "no-such-intent", "pending_section": "strategy"})
    assert state.pending_intent is None
    reply = mixed.answer("สพม.13", State(pending_section="vision", pending_intent="count"))
    assert reply.state.owner == "spm-13" and reply.state.pending_intent is None


def test_a_plan_with_only_an_untitled_list_says_so_rather_than_an_empty_list(tmp_path_factory):
    """A weak document (no heading the bot knows): its sections are not listed as nothing."""
    weak = _engine(tmp_path_factory, "weak", {"w.txt": "---\noffice: วิทยาลัยเทคนิคทดสอบ\n"
                                                       "short: วท.ทดสอบ\n---\n1. ข้อแรก\n2. ข้อสอง\n"})
    for question in ("ทุกหัวข้อของ วท.ทดสอบ", "วิสัยทัศน์ วท.ทดสอบ"):
        text = weak.answer(question).text
        assert "แผนนี้ไม่มีหัวข้อที่บอทรู้จัก" in text, text
        assert not re.search(r"หัวข้อที่มีในแผนนี้:\s*($|\n)", text), text


def test_several_sections_asked_at_once_are_quoted_together(engine):
    """A teacher filling a PA asks for four sections in one line: each, in order, under its
    name; "ข้อ 2" next is of the last one shown."""
    reply = engine.answer("ขอวิสัยทัศน์ พันธกิจ เป้าประสงค์ กลยุทธ์ ของแพร่ เขต 1 ทีเดียวเลยค่ะ "
                          "จะเอาไปทำ PA")
    heads = [f"【สพป.แพร่ เขต 1 · {name}】" for name in ("วิสัยทัศน์", "พันธกิจ", "เป้าประสงค์", "กลยุทธ์")]
    assert all(head in reply.text for head in heads), reply.text
    assert [reply.text.index(h) for h in heads] == sorted(reply.text.index(h) for h in heads)
    nxt = engine.answer("ข้อ 2", reply.state)
    assert nxt.section == "strategy" and nxt.items == ["2"]
    two = engine.answer("ขอพันธกิจกับเป้าประสงค์ สพม.13 ด้วยค่ะ")
    assert "【สพม.13 · พันธกิจ】" in two.text and "【สพม.13 · เป้าประสงค์】" in two.text
    lacking = engine.answer("วิสัยทัศน์และกลยุทธ์ สพป.ลำปาง เขต 1")
    assert "【สพป.ลำปาง เขต 1 · กลยุทธ์】" in lacking.text
    assert "แผนของ สพป.ลำปาง เขต 1 ไม่มีหัวข้อ “วิสัยทัศน์”" in lacking.text


def test_sections_that_do_not_fit_one_message_are_offered_as_taps(tmp_path_factory):
    long_item = "ส่งเสริมการจัดการศึกษาให้มีคุณภาพ " * 20
    body = "".join(f"{name}\n" + "".join(f"{n}. {long_item}\n" for n in range(1, 5))
                   for name in ("พันธกิจ", "เป้าประสงค์", "กลยุทธ์"))
    big = _engine(tmp_path_factory, "big", {"big.txt": "---\noffice: สพป.ทดสอบ เขต 1\n---\n" + body})
    reply = big.answer("ขอพันธกิจ เป้าประสงค์ และกลยุทธ์ สพป.ทดสอบ เขต 1")
    assert len(reply.text) <= 5000
    assert "【สพป.ทดสอบ เขต 1 · พันธกิจ】" in reply.text
    assert "ยังไม่ได้แสดง:" in reply.text and "กลยุทธ์" in reply.text.split("ยังไม่ได้แสดง:")[1]
    assert "กลยุทธ์" in [tap.label for tap in reply.quick_replies]


def test_an_office_named_without_its_area_is_the_loaded_one_of_that_place(tables):
    """"สพป.ลำธาร" (a place the name tables do not know) with only สพป.ลำธาร เขต 3 loaded is
    that office, even while another plan is being discussed."""
    school = tables.answer("วิสัยทัศน์ รร.บ้านหนองน้ำใสวิทยา")
    reply = tables.answer("ตัวชี้วัดการอ่านปี 67 ของ สพป.ลำธาร", school.state)
    assert reply.owner == "area-office" and "ปี 2567 (ปีงบประมาณ ๒๕๖๗): ๗๕" in reply.text
    assert tables.answer("วิสัยทัศน์ของ สพป.ลำธาร").owner == "area-office"


def test_a_table_question_about_an_office_not_loaded_is_not_answered_from_the_current_plan(tables):
    school = tables.answer("วิสัยทัศน์ รร.บ้านหนองน้ำใสวิทยา")
    for question in ("ตัวชี้วัดการอ่านปี 67 ของ สพป.แอตแลนติส", "งบโครงการห้องสมุดของ สพม.แอตแลนติส"):
        reply = tables.answer(question, school.state)
        assert reply.kind == "not_in_corpus" and "แอตแลนติส" in reply.text
        assert "หนองน้ำใส" not in reply.text.split("แผนที่มีตอนนี้")[0]


def test_a_project_asked_by_its_number_in_the_plans_list(tables):
    """"โครงการที่ 3 งบเท่าไหร่", "โครงการข้อ 3", "โครงการ 2 ใครรับผิดชอบ": the project with that
    number in the plan asked about or being discussed; a number the list lacks is said so."""
    third = tables.answer("สพป.ลำธาร เขต 3 โครงการที่ 3 งบเท่าไหร่")
    assert "โครงการโรงเรียนดิจิทัล" in third.text and "350,000" in third.text
    second = tables.answer("โครงการ 2 ใครรับผิดชอบ", third.state)
    assert "【โครงการ ข้อ 2】" in second.text and "กลุ่มพัฒนาครูและบุคลากรทางการศึกษา" in second.text
    school = tables.answer("รร.บ้านหนองน้ำใสวิทยา โครงการข้อ 3 งบเท่าไหร่")
    assert "โครงการนิเทศภายในแบบกัลยาณมิตร" in school.text and "8,500" in school.text
    none = tables.answer("โครงการที่ 9 งบเท่าไหร่", school.state)
    assert none.text.startswith("แผนของ รร.บ้านหนองน้ำใสวิทยา มีโครงการ 5 โครงการ ไม่มีโครงการที่ 9")


def test_who_is_responsible_with_no_project_named_points_to_the_projects(tables, engine):
    """"ใครรับผิดชอบ" about a plan with a project table and no signature: the plan names no
    signer, and each project's responsible unit is in its list (how to ask is shown); a plan
    without projects gets the signer line alone."""
    area = tables.answer("วิสัยทัศน์ สพป.ลำธาร เขต 3")
    reply = tables.answer("ใครรับผิดชอบ", area.state)
    assert "ไม่ได้ระบุผู้จัดทำหรือผู้ลงนาม" in reply.text
    assert "“โครงการที่ 1 ใครรับผิดชอบ”" in reply.text
    plain = engine.answer("ใครเป็นคนทำแผน สพป.แพร่ เขต 1")
    assert "ไม่ได้ระบุผู้จัดทำหรือผู้ลงนาม" in plain.text and "โครงการ" not in plain.text


def test_an_indicators_target_asked_without_a_year_is_every_years(tables):
    reply = tables.answer("ตัวชี้วัดเรื่องการอ่านของ สพป.ลำธาร เขต 3 มีค่าเป้าหมายเท่าไหร่คะ")
    assert "【ตัวชี้วัด ข้อ 1】" in reply.text and "【ตัวชี้วัด ข้อ 2】" not in reply.text
    assert all(f"ปี {y} (ปีงบประมาณ {t}): {v}" in reply.text for y, t, v in (
        (2567, "๒๕๖๗", "๗๕"), (2568, "๒๕๖๘", "๘๐"), (2569, "๒๕๖๙", "๘๕")))


def test_the_largest_and_smallest_budget_as_the_plan_prints_them(tables):
    """Read from the table, the figure as printed; a project without one number is said to be
    left out of the comparison, not guessed."""
    most = tables.answer("สพป.ลำธาร เขต 3 โครงการไหนงบเยอะที่สุด")
    assert "โครงการโรงเรียนดิจิทัล\nงบประมาณ (บาท): 350,000" in most.text
    least = tables.answer("โครงการที่งบน้อยที่สุด", most.state)
    assert "โครงการติดตามการใช้จ่ายงบประมาณ\nงบประมาณ (บาท): 18,000" in least.text
    school = tables.answer("รร.บ้านหนองน้ำใสวิทยา งบน้อยที่สุด")
    assert "8,500" in school.text and "อีก 1 โครงการไม่ได้ระบุงบประมาณเป็นตัวเลขเดียว" in school.text


def test_the_school_being_discussed_is_not_a_projects_name(tables):
    """"โรงเรียนเรามีโครงการอะไรบ้าง", "รวมงบทุกโครงการของโรงเรียน" while the school's plan is
    discussed: that plan's projects and printed total, not the area office's
    "โครงการโรงเรียนดิจิทัล" matched by the word โรงเรียน."""
    school = tables.answer("วิสัยทัศน์ รร.บ้านหนองน้ำใสวิทยา")
    ours = tables.answer("โรงเรียนเรามีโครงการอะไรบ้าง", school.state)
    assert ours.owner == "school-plan" and "5. โครงการเยี่ยมบ้านนักเรียน" in ours.text
    total = tables.answer("รวมงบทุกโครงการของโรงเรียน", school.state)
    assert total.owner == "school-plan" and "รวมทั้งสิ้น 203,500" in total.text
    assert "ดิจิทัล" not in ours.text + total.text


def test_a_project_named_after_the_budget_word_alone(tables):
    reply = tables.answer("สพป.ลำธาร เขต 3 งบ PLC เท่าไหร่")
    assert "โครงการพัฒนาครูด้วยชุมชนการเรียนรู้" in reply.text and "96,400" in reply.text


def test_a_project_by_its_number_with_no_plan_meant_asks_which_then_answers(tables):
    which, answered = ask(tables, "โครงการที่ 2 งบเท่าไหร่", "สพป.ลำธาร เขต 3")
    assert which.kind == "which_owner" and "แผนที่มีอยู่" not in which.text
    assert answered.owner == "area-office" and answered.kind == "answer"
    assert "โครงการ ข้อ 2" in answered.text


NO_UNIT_COLUMN = """---
office: สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาตาก
short: สพม.ตาก
---
วิสัยทัศน์
สพม.ตาก เป็นองค์กรแห่งคุณภาพ
ตัวชี้วัดความสำเร็จ
| ที่ | ตัวชี้วัด | ค่าเป้าหมาย ปี 2568 | กลยุทธ์ที่ |
|---|---|---|---|
| 1 | ร้อยละของสถานศึกษาที่ผ่านเกณฑ์มาตรฐานความปลอดภัย | ร้อยละ 100 | 1 |
| 2 | อัตราการออกกลางคันของนักเรียน | ไม่เกินร้อยละ 0.30 | 2 |
"""


@pytest.fixture(scope="module")
def no_unit(tmp_path_factory) -> Engine:
    return _engine(tmp_path_factory, "no-unit", {"spm-tak.txt": NO_UNIT_COLUMN})


@pytest.mark.parametrize("question", [
    "ค่าเป้าหมายปี 2568 ของตัวชี้วัดเรื่องออกกลางคัน สพม.ตาก",  # the indicator word is no name
    "ค่าเป้าหมายของตัวชี้วัดข้อ 2 สพม.ตาก",  # the target named, no year: every year's
    "ตัวชี้วัดเรื่องออกกลางคันมีค่าเป้าหมายเท่าไหร่",
])
def test_a_target_table_without_a_unit_column_answers_the_one_asked(no_unit, question):
    reply = no_unit.answer(question, State())
    assert reply.kind == "answer" and reply.items == ["2"]
    assert "ปี 2568 (ค่าเป้าหมาย ปี 2568): ไม่เกินร้อยละ 0.30" in reply.text
    assert "ร้อยละ 100" not in reply.text


@pytest.fixture(scope="module")
def blocks(tmp_path_factory) -> Engine:
    from tests.test_parse_outline import PROJECT_BLOCKS

    school = "---\noffice: โรงเรียนบ้านสวนวิทยาคม\n---\n" + PROJECT_BLOCKS
    return _engine(tmp_path_factory, "blocks", {"school.txt": school})


@pytest.mark.parametrize("question, shown", [
    ("โครงการที่ 1 งบเท่าไหร่", "งบประมาณ 95,000 บาท"),
    ("โครงการส่งเสริมนิสัยรักการอ่าน ใครรับผิดชอบ", "ผู้รับผิดชอบ นางสาวพิมพ์ชนก แก้วมณี"),
    ("โครงการไหนงบเยอะที่สุด", "งบประมาณ 95,000 บาท"),
])
def test_a_project_block_answers_with_its_own_lines(blocks, question, shown):
    reply = blocks.answer(question, State())
    assert reply.kind == "answer" and "ส่งเสริมนิสัยรักการอ่าน" in reply.text
    assert shown in reply.text and "แผนไม่ได้ระบุ" not in reply.text


def test_a_project_that_uses_no_budget_is_not_said_to_lack_one(tmp_path_factory):
    from tests.test_parse_outline import AREA_FRONT

    plan = AREA_FRONT + ("โครงการสำคัญ\n1. โครงการน่านอ่านได้ งบประมาณ 450,000 บาท\n"
                         "2. โครงการประเมินคุณธรรมและความโปร่งใส (ITA) ไม่ใช้งบประมาณ\n"
                         "รวมงบประมาณทั้งสิ้น 450,000 บาท\n")
    engine = _engine(tmp_path_factory, "no-budget", {"spp.txt": plan})
    reply = engine.answer("โครงการ ITA งบเท่าไหร่", State())
    assert "ไม่ใช้งบประมาณ" in reply.text and "แผนไม่ได้ระบุ" not in reply.text
    total = engine.answer("งบประมาณรวมทั้งหมด", State())
    assert "รวมงบประมาณทั้งสิ้น 450,000 บาท" in total.text


def test_a_lists_total_is_shown_after_the_list_not_above_item_1(tmp_path_factory):
    from tests.test_parse_outline import AREA_FRONT

    plan = AREA_FRONT + ("โครงการสำคัญ\nดำเนินการในปีงบประมาณ พ.ศ. 2568 ตามแผนปฏิบัติราชการของสำนักงาน\n"
                         "1. โครงการน่านอ่านได้ งบประมาณ 450,000 บาท\n"
                         "2. โครงการพาน้องกลับมาเรียน งบประมาณ 50,000 บาท\n"
                         "รวมงบประมาณทั้งสิ้น 500,000 บาท\n")
    engine = _engine(tmp_path_factory, "total-last", {"spp.txt": plan})
    text = engine.answer("มีโครงการอะไรบ้าง สพป.ทดสอบ เขต 2", State()).text
    assert (text.index("ตามแผนปฏิบัติราชการ") < text.index("โครงการน่านอ่านได้")
            < text.index("โครงการพาน้องกลับมาเรียน") < text.index("รวมงบประมาณทั้งสิ้น 500,000 บาท"))


@pytest.mark.parametrize(("question", "shown", "absent"), [
    ("โครงการ สพป.ทดสอบ เขต 2", "2. โครงการพาน้องกลับมาเรียน", "ข้อความในแผนที่ตรงกับ"),
    ("โครงการที่ 2 ของ สพป.ทดสอบ เขต 2", "งบประมาณ (บาท): 50,000", "โครงการน่านอ่านได้"),
    ("ขอดูโครงการที่ 1 สพป.ทดสอบ เขต 2 หน่อยค่ะ", "โครงการน่านอ่านได้", "พาน้อง"),
])
def test_the_project_word_and_an_office_are_its_projects_not_a_search(tmp_path_factory,
                                                                       question, shown, absent):
    """"โครงการ รร.X" and "โครงการที่ 1 ของ รร.X" answered with the passages nearest the word
    "โครงการ" (project 8 first), not the list or the project asked for."""
    from tests.test_parse_outline import AREA_FRONT

    plan = AREA_FRONT + ("วิสัยทัศน์\nผู้เรียนมีคุณภาพ\n\nโครงการสำคัญ\n"
                         "| ที่ | ชื่อโครงการ | งบประมาณ (บาท) |\n|---|---|---|\n"
                         "| 1 | โครงการน่านอ่านได้ | 450,000 |\n"
                         "| 2 | โครงการพาน้องกลับมาเรียน | 50,000 |\n")
    engine = _engine(tmp_path_factory, "project-word", {"spp.txt": plan})
    reply = engine.answer(question, State())
    assert reply.kind == "answer" and shown in reply.text and absent not in reply.text


SPREADSHEET_TARGETS = """---
office: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 3
---
ตัวชี้วัดและค่าเป้าหมาย
ที่\tตัวชี้วัด\tหน่วยนับ\t2569\t2570
1\tร้อยละของนักเรียนชั้น ป.1 ที่อ่านออกเขียนได้\tร้อยละ\t90\t95
2\tคะแนนเฉลี่ย O-NET ชั้น ม.3 วิชาคณิตศาสตร์\tคะแนน\t30.00\t32.00
3\tคะแนนการประเมิน ITA ของสำนักงานเขตพื้นที่การศึกษา\tคะแนน\t90\t92
"""


@pytest.mark.parametrize(("question", "shown", "absent"), [
    # a piece of a word of the indicator ("คณิต" of "วิชาคณิตศาสตร์") names it
    ("ตั้งเป้า O-NET คณิต ม.3 ปี 2570 ไว้เท่าไหร่ สพป.ทดสอบ เขต 3", "ปี 2570: 32.00",
     "อ่านออกเขียนได้"),
    # its unit asked for: the unit, with its targets
    ("หน่วยนับของตัวชี้วัด ITA สพป.ทดสอบ เขต 3", "หน่วยนับ: คะแนน", "O-NET"),
])
def test_an_indicator_named_by_part_of_its_words_and_its_unit(tmp_path_factory, question,
                                                               shown, absent):
    engine = _engine(tmp_path_factory, "spreadsheet-targets", {"spp.txt": SPREADSHEET_TARGETS})
    reply = engine.answer(question, State())
    assert shown in reply.text and absent not in reply.text


ISSUE_TARGETS = """---
office: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 4
---
ยุทธศาสตร์ที่ 1 การจัดการศึกษาเพื่อความปลอดภัย
ยุทธศาสตร์ที่ 2 การพัฒนาคุณภาพผู้เรียน

ตัวชี้วัดและค่าเป้าหมาย
ยุทธศาสตร์\tตัวชี้วัด\tหน่วยนับ\t2569\t2570
1\tร้อยละของสถานศึกษาที่ผ่านเกณฑ์สถานศึกษาปลอดภัย\tร้อยละ\t90\t100
2\tคะแนนการประเมิน ITA ของสำนักงานเขตพื้นที่การศึกษา\tคะแนน\t90\t92
"""


def test_another_year_after_an_issues_indicator_is_that_indicators(tmp_path_factory):
    """"ปี 2570 ล่ะ" after issue 2's indicator 1 gave every indicator's 2570 target."""
    engine = _engine(tmp_path_factory, "issue-targets", {"spp.txt": ISSUE_TARGETS})
    first = engine.answer("ค่าเป้าหมายปี 2569 ตัวชี้วัดเรื่อง ITA สพป.ทดสอบ เขต 4", State())
    assert "ปี 2569: 90" in first.text and "ปลอดภัย" not in first.text
    assert "(2569)" not in first.text  # a column named by the year alone is not said twice
    reply = engine.answer("ปี 2570 ล่ะ", first.state)
    assert "ปี 2570: 92" in reply.text and "ปลอดภัย" not in reply.text


@pytest.mark.parametrize(("question", "shown", "absent"), [
    ("มีงบพัฒนาครูเท่าไหร่ สพป.ทดสอบ เขต 2", "25,000", "207,500"),
    ("มีงบค่าอาหารกลางวันเท่าไหร่ สพป.ทดสอบ เขต 2", "ไม่พบโครงการ “ค่าอาหารกลางวัน”", "207,500"),
    ("งบประมาณรวมเท่าไหร่ สพป.ทดสอบ เขต 2", "207,500", "ไม่พบ"),
])
def test_money_for_something_named_is_not_the_plans_total(tmp_path_factory, question, shown,
                                                          absent):
    """"มีงบพัฒนาครูเท่าไหร่" (no โครงการ word) was answered with the plan's total, as if the
    plan said that much goes to it."""
    from tests.test_parse_outline import AREA_FRONT

    plan = AREA_FRONT + ("โครงการ\n| ที่ | ชื่อโครงการ | งบประมาณ (บาท) |\n|---|---|---|\n"
                         "| 1 | โครงการพัฒนาครูสู่มืออาชีพ (PLC) | 25,000 |\n"
                         "| 2 | โครงการห้องสมุดมีชีวิต | 182,500 |\n| | รวม | 207,500 |\n")
    engine = _engine(tmp_path_factory, "money-for", {"spp.txt": plan})
    reply = engine.answer(question, State())
    assert shown in reply.text and absent not in reply.text


def test_every_indicator_of_an_issue_with_its_targets(tmp_path_factory):
    """"ยุทธศาสตร์ที่ 2 … พร้อมตัวชี้วัดและค่าเป้าหมาย" said "ไม่พบตัวชี้วัดข้อ *"."""
    engine = _engine(tmp_path_factory, "issue-targets-all", {"spp.txt": ISSUE_TARGETS})
    reply = engine.answer("ยุทธศาสตร์ที่ 2 ของ สพป.ทดสอบ เขต 4 พร้อมตัวชี้วัดและค่าเป้าหมาย",
                          State())
    assert "ITA" in reply.text and "ปี 2570: 92" in reply.text
    assert "*" not in reply.text and "ปลอดภัย" not in reply.text


def test_a_dash_for_a_budget_is_said_to_give_no_figure(tmp_path_factory):
    from tests.test_parse_outline import AREA_FRONT

    plan = AREA_FRONT + ("โครงการ\n| ที่ | ชื่อโครงการ | งบประมาณ (บาท) |\n|---|---|---|\n"
                         "| 1 | โครงการเยี่ยมบ้านนักเรียน | - |\n| 2 | โครงการห้องสมุด | 5,000 |\n")
    engine = _engine(tmp_path_factory, "dash-budget", {"spp.txt": plan})
    reply = engine.answer("โครงการเยี่ยมบ้านนักเรียนใช้งบเท่าไหร่ สพป.ทดสอบ เขต 2", State())
    assert "งบประมาณ (บาท): - (แผนไม่ได้ระบุตัวเลข)" in reply.text


def test_a_years_target_after_one_indicator_was_quoted_is_that_ones(tmp_path_factory):
    """"ตัวชี้วัด …", "ข้อ 2", then "ค่าเป้าหมายปี 2569 ล่ะ" gave every indicator's target."""
    engine = _engine(tmp_path_factory, "issue-targets-follow", {"spp.txt": ISSUE_TARGETS})
    listed = engine.answer("ตัวชี้วัด สพป.ทดสอบ เขต 4", State())
    one = engine.answer("ข้อ 2", listed.state)
    assert one.items == ["ยุทธศาสตร์ 2 / ตัวชี้วัด 1"]
    reply = engine.answer("ค่าเป้าหมายปี 2569 ล่ะ", one.state)
    assert "ITA" in reply.text and "ปลอดภัย" not in reply.text


@pytest.mark.parametrize("asked", ["ค่าเป้าหมายปี 2569 เท่าไหร่", "ปี 69 เท่าไหร่",
                                   "ปี 2569 ตั้งเป้าเท่าไร"])
def test_a_years_target_right_after_an_indicator_is_that_indicators(tables, asked):
    """Indicator 2 quoted, then a year's target with no "ล่ะ": indicator 2's, not every
    indicator's (or the first's)."""
    shown = tables.answer("ตัวชี้วัดข้อ 2 สพป.ลำธาร เขต 3")
    reply = tables.answer(asked, shown.state)
    assert shown.items == ["2"] and reply.items == ["2"]
    assert "ปี 2569" in reply.text


BLOCKS_PLAN = """---
office: โรงเรียนบ้านทดสอบยอดรวม
short: รร.บ้านทดสอบยอดรวม
---
โครงการ/กิจกรรม ตามแผนปฏิบัติการ

1. โครงการค่ายคุณธรรม
ผู้รับผิดชอบ นายอนุชา ดอยแก้ว
งบประมาณ เงินอุดหนุนรายหัว 12,000 บาท เงินกิจกรรมพัฒนาคุณภาพผู้เรียน 18,000 บาท รวม 30,000 บาท

2. โครงการห้องสมุดมีชีวิต
ผู้รับผิดชอบ นางสาวพิมพ์ใจ แสงคำ
งบประมาณ 15,000 บาท

สรุปงบประมาณตามแผนปฏิบัติการ รวมทั้งสิ้น 45,000 บาท
"""


def test_a_budget_from_several_sources_is_their_total_and_a_summary_line_is_the_plans(
        tmp_path_factory):
    """"งบประมาณ เงินอุดหนุน… 12,000 บาท เงินกิจกรรม… 18,000 บาท รวม 30,000 บาท": the bot
    had said the plan gives no budget for it, under the very line; and "สรุปงบประมาณ…
    รวมทั้งสิ้น 45,000 บาท" is the plan's total (it had said the plan gives none)."""
    engine = _engine(tmp_path_factory, "blocks", {"school.txt": BLOCKS_PLAN})
    budget = engine.answer("โครงการค่ายคุณธรรม รร.บ้านทดสอบยอดรวม ใช้งบเท่าไหร่")
    assert "รวม 30,000 บาท" in budget.text and "ไม่ได้ระบุงบประมาณ" not in budget.text
    total = engine.answer("งบรวมทั้งหมดของ รร.บ้านทดสอบยอดรวม เท่าไหร่")
    assert "สรุปงบประมาณตามแผนปฏิบัติการ รวมทั้งสิ้น 45,000 บาท" in total.text
    largest = engine.answer("โครงการไหนงบเยอะที่สุด ของ รร.บ้านทดสอบยอดรวม")
    assert "โครงการค่ายคุณธรรม" in largest.text and "ห้องสมุด" not in largest.text


@pytest.mark.parametrize("asked", ["ITA สพป.ลำธาร เขต 3 ตั้งเป้ากี่คะแนน",
                                   "ITA ปี 2568 สพป.ลำธาร เขต 3 ตั้งเป้าไว้กี่คะแนน"])
def test_an_indicator_named_by_its_words_with_the_unit_asked_is_that_one(tables, asked):
    """"…ตั้งเป้ากี่คะแนน": คะแนน is the unit asked in, not a topic word; counted as one, no
    indicator held enough of the question's words and all of them were shown."""
    reply = tables.answer(asked)
    assert reply.items == ["3"] and "๙๒" in reply.text


def test_every_year_after_a_years_target_is_that_indicators_every_year(tables):
    """"ทุกปีเลย" right after a year's target: the same indicator's targets of every year; the
    bot had found nothing to answer."""
    first = tables.answer("ค่าเป้าหมายปี 2568 ของตัวชี้วัดข้อ 1 สพป.ลำธาร เขต 3")
    every = tables.answer("ทุกปีเลย", first.state)
    assert every.items == ["1"]
    assert all(f"ปี {year}" in every.text for year in (2567, 2568, 2569))


@pytest.mark.parametrize("asked", ["รวมทั้งหมดเท่าไหร่", "รวมทั้งสิ้นเท่าไหร่คะ"])
def test_a_sum_asked_right_after_the_projects_is_the_plans_total(tmp_path_factory, asked):
    """"รวมทั้งหมดเท่าไหร่" right after the largest project's budget: the plan's total (no
    money word in the question, so it had found nothing); "นักเรียนทั้งหมดกี่คน" is not."""
    engine = _engine(tmp_path_factory, "sum", {"school.txt": BLOCKS_PLAN})
    most = engine.answer("โครงการไหนงบเยอะที่สุด ของ รร.บ้านทดสอบยอดรวม")
    total = engine.answer(asked, most.state)
    assert "รวมทั้งสิ้น 45,000 บาท" in total.text
    other = engine.answer("นักเรียนทั้งหมดกี่คน", most.state)
    assert "45,000" not in other.text
