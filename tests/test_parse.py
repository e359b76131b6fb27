"""The parser: golden trees of the five seed plans, small documents in other shapes, and
property tests that any text either parses or raises PlanParseError.

Expected texts are the plans' own words (runs of spaces made single, as `clean` shows them),
checked by how each item starts and ends. Where a test fails, the parser is wrong: the
published text is the reference, not the parse.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.names import derive_names
from index.parse import PlanParseError, parse_file, parse_text
from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = SHARED / "seeds"

FRONT = "---\noffice: โรงเรียนทดสอบวิทยา\n---\n"
BODY_LINE = 4  # the first body line of a document that starts with FRONT


@functools.cache
def seed(owner: str):
    """The parsed plan of one corpus document (parsed once per test run)."""
    return parse_file(CORPUS / f"{owner}.txt")


def doc(body: str, front: str = FRONT):
    """Parse a small hand-written document."""
    return parse_text(front + textwrap.dedent(body).lstrip("\n"), "test.txt")


def kinds(plan) -> list[str]:
    return [s.kind for s in plan.sections]


def texts(items) -> list[str]:
    return [item.text for item in items]


def all_text(plan) -> str:
    """Every piece of text the parse keeps: headings, intros, items, bodies, preamble."""
    parts = list(plan.preamble)
    for section in plan.sections:
        parts += [section.heading, *section.intro]
        for item in section.walk():
            parts += [item.text, *item.body]
    return "\n".join(parts)


def check_items(items, spec, where: str) -> None:
    """Compare items with a spec: [(path, starts, ends, [child spec] | None), ...]."""
    assert [i.path for i in items] == [s[0] for s in spec], f"{where}: item paths"
    for item, (path, start, end, children) in zip(items, spec, strict=True):
        assert item.text.startswith(start), f"{where} {path}: starts {item.text[:40]!r}"
        assert item.text.endswith(end), f"{where} {path}: ends {item.text[-40:]!r}"
        check_items(item.children, children or [], f"{where} {path}")


# --- the corpus is the published text ------------------------------------------------------

SEED_FILES = {
    "000": "spp-phrae-1",
    "001": "unidentified-plan-1",
    "002": "unidentified-plan-2",
    "003": "spp-lampang-1",
    "004": "spm-13",
}


@pytest.mark.parametrize(("number", "owner"), SEED_FILES.items())
def test_corpus_text_below_front_matter_is_the_seed_unchanged(number, owner):
    seed_path = next(SEEDS.glob(f"{number}_*.txt"), None)
    if seed_path is None:
        pytest.skip("the shared seeds are not on this machine")
    text = (CORPUS / f"{owner}.txt").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    body = text.split("\n---\n", 1)[1]
    assert body == seed_path.read_text(encoding="utf-8")


# --- golden trees of the seeds --------------------------------------------------------------

PHRAE = {
    "mission": [
        ("1", "สร้างโอกาส ความเสมอภาค ลดความเหลื่อมล้ำ", "และมีขีดความสามารถในการแข่งขัน", None),
        ("2", "ส่งเสริม สนับสนุน ให้ผู้บริหาร", "เพื่อบูรณาการสู่คุณภาพการศึกษา", None),
    ],
    "goal": [
        ("1", "ผู้เรียนเป็นบุคคลแห่งการเรียนรู้", "สร้างความสามารถในการแข่งขันของประเทศ", None),
        ("2", "ผู้บริหาร ครู และบุคลากรทางการศึกษาเป็นบุคคลแห่งการเรียนรู้",
         "รวมทั้งมีจรรยาบรรณตามมาตรฐานวิชาชีพ", None),
        ("3", "สำนักงานเขตพื้นที่การศึกษา กลุ่มเครือข่ายการศึกษา",
         "มีส่วนร่วมของภาคีเครือข่าย ทุกภาคส่วน", None),
    ],
    "strategy": [
        ("1", "การพัฒนาคุณภาพผู้เรียนในระดับการศึกษาขั้นพื้นฐาน", "ให้ได้รับโอกาสในการพัฒนาเต็มศักยภาพ",
         None),
        ("2", "การพัฒนาคุณภาพครูและบุคลากรทางการศึกษา", "ในระดับรายสาระวิชาและกลุ่มเครือข่ายการศึกษา",
         None),
        ("3", "การพัฒนาสถานศึกษา ตามบริบทของพื้นที่", "ขนาดใหญ่และขนาดใหญ่พิเศษ", None),
        ("4", "การพัฒนาสำนักงานเขตพื้นที่การศึกษา", "ทุกภาคส่วน ตามหลักธรรมาภิบาล", None),
    ],
    "focus": [
        ("1", "ผู้เรียนทุกคนมีผลสัมฤทธิ์ทางการเรียน", "อยู่ระดับดีขึ้นไป ไม่น้อยกว่าร้อยละ 80", None),
        ("2", "ครูและบุคลากรทางการศึกษา มีสัมฤทธิผล", "อยู่ในระดับดีขึ้นไป ไม่น้อยกว่าร้อยละ 80", None),
        ("3", "สถานศึกษาทุกแห่ง มีระบบการประกันคุณภาพภายใน",
         "อยู่ระดับดีขึ้นไป ไม่น้อยกว่าร้อยละ 80", None),
        ("4", "สำนักงานเขตพื้นที่การศึกษา มีผลการประเมินมาตรฐาน",
         "ในภาพรวมอยู่ในระดับดีขึ้นไป ไม่น้อยกว่าร้อยละ 80", None),
        ("5", "ผู้เรียน ครู บุคลากรทางการศึกษา สถานศึกษา", "ความพึงพอใจ อยู่ในระดับดีขึ้นไป ไม่น้อยกว่าร้อยละ 80",
         None),
    ],
}


def test_seed_000_phrae_sections_in_order():
    plan = seed("spp-phrae-1")
    assert kinds(plan) == ["vision", "mission", "goal", "strategy", "focus"]
    assert plan.meta["office"] == "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 1"


def test_seed_000_phrae_vision_is_one_paragraph():
    vision = seed("spp-phrae-1").section("vision")
    assert vision.intro == [
        "ส่งเสริมการเรียนรู้ตลอดชีวิต โดยใช้เทคโนโลยี และวิธีการที่หลากหลาย "
        "เพื่อพัฒนาคุณภาพการศึกษาที่ยั่งยืน"
    ]
    assert vision.items == []


@pytest.mark.parametrize("kind", PHRAE)
def test_seed_000_phrae_items(kind):
    section = seed("spp-phrae-1").section(kind)
    check_items(section.items, PHRAE[kind], f"spp-phrae-1 {kind}")


def test_seed_000_phrae_wrapped_strategies_are_joined_whole():
    """Strategies 1 and 2 are hard-wrapped over a blank line on the page; each is one item."""
    strategies = seed("spp-phrae-1").section("strategy").items
    assert strategies[0].text == (
        "การพัฒนาคุณภาพผู้เรียนในระดับการศึกษาขั้นพื้นฐานเพิ่มโอกาสเข้าถึงบริการการศึกษาให้"
        "ทั่วถึงครอบคลุมให้ได้รับโอกาสในการพัฒนาเต็มศักยภาพ"
    )
    assert strategies[1].text == (
        "การพัฒนาคุณภาพครูและบุคลากรทางการศึกษาในระดับรายสาระวิชาและกลุ่มเครือข่ายการศึกษา"
    )


def test_seed_000_phrae_focus_heading_also_names_indicators():
    focus = seed("spp-phrae-1").section("focus")
    assert "ตัวชี้วัดความสำเร็จ" in focus.heading
    assert len(focus.items) == 5


def test_seed_000_phrae_repeated_list_numbers_are_repaired_with_warnings():
    plan = seed("spp-phrae-1")
    assert [i.number for i in plan.section("strategy").items] == ["1", "2", "3", "4"]
    assert [i.number for i in plan.section("mission").items] == ["1", "2"]
    repaired = [w for w in plan.warnings if "repaired" in w]
    assert len(repaired) == 4
    assert any("line 31" in w for w in repaired)


LAMPANG = [
    ("1", "การพัฒนาคุณภาพผู้เรียนในระดับการศึกษาขั้นพื้นฐาน", "ในระดับการศึกษาขั้นพื้นฐาน", [
        ("ยุทธศาสตร์ 1 / เป้าประสงค์ 1", "นักเรียนระดับก่อนประถมศึกษา", "มีพัฒนาการเหมาะสมตามช่วงวัยและมีคุณภาพ",
         None),
        ("ยุทธศาสตร์ 1 / กลยุทธ์ 1", "เสริมสร้างความเข้มแข็ง", "การพัฒนาผู้เรียนอย่างมีคุณภาพ", None),
        ("ยุทธศาสตร์ 1 / กลยุทธ์ 2", "สร้างแนวร่วมการกำกับดูแล", "พัฒนาคุณภาพนักเรียน", None),
    ]),
    ("2", "การเพิ่มโอกาสการเข้าถึงบริการการศึกษาขั้นพื้นฐาน", "เต็มตามศักยภาพและมีคุณภาพ", [
        ("ยุทธศาสตร์ 2 / เป้าประสงค์ 2", "ประชากรวัยเรียนทุกคน", "อย่างทั่วถึง มีคุณภาพ และเสมอภาค", None),
        ("ยุทธศาสตร์ 2 / เป้าประสงค์ 6", "พื้นที่พิเศษ ได้รับการพัฒนา", "ที่เหมาะสมตามบริบทของพื้นที่", None),
        ("ยุทธศาสตร์ 2 / กลยุทธ์ 1", "เพิ่มโอกาสการเข้าถึง", "การจัดการศึกษาที่มีคุณภาพ", None),
        ("ยุทธศาสตร์ 2 / กลยุทธ์ 2", "เสริมสร้างความเข้มแข็งของระบบ", "ไม่อยู่ในทะเบียนราษฎร์อย่างเหมาะสม", None),
    ]),
    ("3", "การพัฒนาคุณภาพครูและบุคลากรทางการศึกษา", "ครูและบุคลากรทางการศึกษา", [
        ("ยุทธศาสตร์ 3 / เป้าประสงค์ 3", "ครู ผู้บริหารสถานศึกษา", "มีวัฒนธรรมการทำงานที่มุ่งผลสัมฤทธิ์", None),
        ("ยุทธศาสตร์ 3 / เป้าประสงค์ 6", "พื้นที่พิเศษ ได้รับการพัฒนา", "ที่เหมาะสมตามบริบทของพื้นที่", None),
        ("ยุทธศาสตร์ 3 / กลยุทธ์ 1", "ลดภาระงานอื่น", "ที่เกี่ยวข้องกับการจัดการเรียนรู้ของครู", None),
        ("ยุทธศาสตร์ 3 / กลยุทธ์ 2", "ส่งเสริม สนับสนุนการพัฒนาองค์ความรู้", "ในการสอนอย่างมีประสิทธิภาพ", None),
        ("ยุทธศาสตร์ 3 / กลยุทธ์ 3", "ส่งเสริม สนับสนุนการพัฒนาผู้บริหารสถานศึกษา",
         "โดยมุ่งเน้นผลสัมฤทธิ์ของนักเรียน", None),
        ("ยุทธศาสตร์ 3 / กลยุทธ์ 4", "เสริมสร้างระบบแรงจูงใจ", "มีขวัญกำลังใจในการทำงาน", None),
        ("ยุทธศาสตร์ 3 / กลยุทธ์ 5", "สนับสนุนกิจกรรมที่ส่งเสริม", "และยึดมั่นในจรรยาบรรณของวิชาชีพ", None),
        ("ยุทธศาสตร์ 3 / กลยุทธ์ 6", "ส่งเสริมและสนับสนุนให้องค์กร", "ความต้องการและจำเป็นของโรงเรียนและสังคม",
         None),
    ]),
    ("4", "การพัฒนาระบบการบริหารจัดการ", "การพัฒนาระบบการบริหารจัดการ", [
        ("ยุทธศาสตร์ 4 / เป้าประสงค์ 4", "สำนักงานเขตพื้นที่การศึกษาและสถานศึกษามีประสิทธิภาพ",
         "สู่คุณภาพระดับมาตรฐานสากล", None),
        ("ยุทธศาสตร์ 4 / เป้าประสงค์ 5", "สำนักงานเขตพื้นที่การศึกษาบูรณาการทำงาน",
         "กระจายอำนาจและความรับผิดชอบสู่สถานศึกษา", None),
        ("ยุทธศาสตร์ 4 / เป้าประสงค์ 6", "พื้นที่พิเศษ ได้รับการพัฒนา", "ที่เหมาะสมตามบริบทของพื้นที่", None),
        ("ยุทธศาสตร์ 4 / กลยุทธ์ 1", "กระจายอำนาจความรับผิดชอบ", "กระจายอำนาจความรับผิดชอบ", None),
        ("ยุทธศาสตร์ 4 / กลยุทธ์ 2", "ส่งเสริมการมีส่วนร่วม", "ส่งเสริมการมีส่วนร่วม", None),
        ("ยุทธศาสตร์ 4 / กลยุทธ์ 3", "ส่งเสริมการใช้การวิจัยเป็นฐาน", "ของเขตพื้นที่การศึกษาและสถานศึกษา", None),
        ("ยุทธศาสตร์ 4 / กลยุทธ์ 4", "ส่งเสริมให้สถานศึกษาและสำนักงานเขตพื้นที่การศึกษา",
         "มีความรับผิดชอบต่อผลการดำเนินงาน", None),
    ]),
]


def test_seed_003_lampang_is_one_strategic_issue_section():
    plan = seed("spp-lampang-1")
    assert kinds(plan) == ["strategic_issue"]
    assert "ยุทธศาสตร์" in plan.sections[0].heading


def test_seed_003_lampang_issues_with_nested_goals_and_strategies():
    items = seed("spp-lampang-1").section("strategic_issue").items
    check_items(items, LAMPANG, "spp-lampang-1")
    assert all(i.kind == "strategic_issue" for i in items)


@pytest.mark.parametrize(
    ("issue", "goals", "strategies"),
    [(1, ["1"], 2), (2, ["2", "6"], 2), (3, ["3", "6"], 6), (4, ["4", "5", "6"], 4)],
)
def test_seed_003_lampang_goal_numbers_and_strategy_counts(issue, goals, strategies):
    item = seed("spp-lampang-1").section("strategic_issue").items[issue - 1]
    assert item.number == str(issue)
    assert [c.number for c in item.children if c.kind == "goal"] == goals
    numbers = [c.number for c in item.children if c.kind == "strategy"]
    assert numbers == [str(n) for n in range(1, strategies + 1)]


def test_seed_003_lampang_goal_6_is_split_off_the_line_of_goal_5():
    """Goals 5 and 6 of issue 4 share one line on the page; they are two items."""
    goals = [c for c in seed("spp-lampang-1").sections[0].items[3].children if c.kind == "goal"]
    five, six = goals[1], goals[2]
    assert five.text.endswith("กระจายอำนาจและความรับผิดชอบสู่สถานศึกษา")
    assert "เป้าประสงค์ที่ 6" not in five.text
    assert six.text.startswith("พื้นที่พิเศษ ได้รับการพัฒนาคุณภาพการศึกษา")
    assert five.line == six.line == 40


SPM13 = {
    "mission": [
        ("1", "พัฒนา ส่งเสริม และสนับสนุน", "โดยเน้นผู้เรียนเป็นสำคัญ", None),
        ("2", "ส่งเสริม สนับสนุนให้โรงเรียน", "และเป็นคนดีของสังคม", None),
        ("3", "พัฒนาและส่งเสริม สนับสนุน", "ด้วยมาตรฐานการปฏิบัติงานที่ดี", None),
    ],
    "goal": [
        ("1", "ผู้เรียนทุกคนมีคุณภาพ", "และพัฒนาสู่ความเป็นเลิศ", None),
        ("2", "ประชากรวัยเรียนทุกคน", "อย่างมีคุณภาพทั่วถึง และเสมอภาค", None),
        ("3", "ครูจัดการศึกษาเต็มศักยภาพ", "ตามมาตรฐานการศึกษาขั้นพื้นฐาน", None),
        ("4", "สถานศึกษามีระบบการประกันคุณภาพภายใน", "ได้รับการรับรองการประเมินภายนอก", None),
        ("5", "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา เขต 13", "อย่างมีประสิทธิภาพและเกิดประสิทธิผล", None),
        ("6", "องค์คณะบุคคลมีความเข้มแข็ง", "ในการส่งเสริมสนับสนุนการจัดการศึกษา", None),
        ("7", "สถานศึกษามีคุณภาพ", "ผ่านเกณฑ์โรงเรียนมาตรฐานสากล", None),
        ("8", "ครูและบุคลากรทางการศึกษามีทักษะ", "ในการปฏิบัติงานอย่างมืออาชีพ", None),
    ],
    "strategy": [
        ("1", "พัฒนาคุณภาพผู้เรียน", "ทุกระดับทุกประเภท", None),
        ("2", "ขยายโอกาสเข้าถึงบริการการศึกษา", "ที่มีคุณภาพและเสมอภาค", None),
        ("3", "พัฒนาคุณภาพครู", "และบุคลากรทางการศึกษา", None),
        ("4", "พัฒนาระบบการสนับสนุน", "การจัดการศึกษา", None),
    ],
    "focus": [
        ("1", "จุดเน้นด้านผู้เรียน", "จุดเน้นด้านผู้เรียน", [
            ("1.1", "นักเรียนมีสมรรถนะ", "สู่มาตรฐานสากล", None),
            ("1.2", "นักเรียนมีคุณธรรม จริยธรรม", "มีคุณลักษณะและทักษะทางสังคมที่เหมาะสม", None),
            ("1.3", "นักเรียนที่มีความต้องการพิเศษ", "ได้รับการส่งเสริมและพัฒนาเต็มศักยภาพ", None),
        ]),
        ("2", "จุดเน้นด้านครู", "จุดเน้นด้านครูและบุคลากรทางการศึกษา", [
            ("2.1", "ครูได้รับการพัฒนาองค์ความรู้", "และการช่วยเหลืออย่างต่อเนื่อง", None),
            ("2.2", "พัฒนาผู้บริหารสถานศึกษา", "ต้องได้รับการพัฒนาเร่งด่วน", None),
            ("2.3", "ครูและบุคลากรทางการศึกษาที่เป็นมืออาชีพ", "ได้รับการยกย่องเชิดชูเกียรติอย่างเหมาะสม",
             None),
            ("2.4", "องค์กรและคณะบุคคล", "ความต้องการของโรงเรียนชุมชนและสังคม", None),
            ("2.5", "ครูและบุคลากรทางการศึกษาสามารถจัดกิจกรรม", "สร้างเครือข่ายตามความเหมาะสม", None),
        ]),
        ("3", "จุดเน้นด้านการบริหารจัดการ", "จุดเน้นด้านการบริหารจัดการ", [
            ("3.1", "สถานศึกษาและสำนักงานเขตพื้นที่การศึกษาบริหารจัดการ",
             "และมีความรับผิดชอบต่อผลการดำเนินงาน", None),
            ("3.2", "สถานศึกษาและสำนักงานเขตพื้นที่การศึกษาจัดการศึกษา", "อย่างมีคุณภาพตามมาตรฐาน", None),
        ]),
    ],
}


def test_seed_004_spm13_sections_in_order():
    plan = seed("spm-13")
    assert kinds(plan) == [
        "vision", "mission", "identity", "goal", "strategy", "focus", "signature"
    ]


def test_seed_004_spm13_misspelt_headings_are_recognised():
    plan = seed("spm-13")
    assert plan.section("identity").heading == "อัตลักษณ์ (DENTITY)"
    assert plan.section("identity").intro == ["สำนักงานมาตรฐาน บริการดี มีความโปร่งใส ใส่ใจคุณภาพ"]
    assert plan.section("goal").heading == "ป้าประสงค์ (GOALS)"


def test_seed_004_spm13_vision():
    (vision,) = seed("spm-13").section("vision").intro
    assert vision.startswith("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา เขต 13 เป็นผู้นำ")
    assert vision.endswith("บนพื้นฐานของความเป็นไทยสู่มาตรฐานสากล")


@pytest.mark.parametrize("kind", SPM13)
def test_seed_004_spm13_items(kind):
    check_items(seed("spm-13").section(kind).items, SPM13[kind], f"spm-13 {kind}")


def test_seed_004_spm13_signature_block():
    signature = seed("spm-13").section("signature")
    assert signature.intro == ["นางลัดดาวรรณ ชุณหพิมล", "ผู้อำนวยการกลุ่มนโยบายและแผน"]


def test_seed_004_spm13_google_calendar_is_in_no_parsed_text():
    plan = seed("spm-13")
    assert "Google" not in all_text(plan)
    assert any("Google Calendar" in w and "noise" in w for w in plan.warnings)


def test_no_passage_of_the_index_holds_page_noise(index_db):
    db = sqlite_utils.Database(index_db)
    assert db["passages"].count > 0
    rows = list(db.query("select owner_id, text from passages where text like '%Google%'"))
    assert rows == []
    rows = list(db.query("select * from passages where text like '%Calendar%'"))
    assert rows == []


UNIDENTIFIED_1 = {
    "mission": [
        ("1", "จัดการศึกษาอย่างมีคุณภาพ ได้ตามมาตรฐาน", "ทักษะและคุณลักษณะเด็กไทยในศตวรรษที่ 21", None),
        ("2", "นักเรียนได้รับโอกาสทางการศึกษา", "ทั่วถึง เท่าเทียม มีความปลอดภัย", None),
        ("3", "พัฒนาผู้บริหาร ครูและบุคลากรทางการศึกษา", "นวัตกรรม ในการบริหารจัดการศึกษา", None),
        ("4", "พัฒนาเขตพื้นที่การศึกษา สถานศึกษา", "มาใช้ในการบริหารจัดการอย่างคุ้มค่า", None),
        ("5", "พัฒนาหน่วยงาน องค์กร", "มาปรับใช้ในการทำงานและการดำรงชีวิต", None),
    ],
    "goal": [
        ("1", "นักเรียน ครูและบุคลากรทางการศึกษา มีความรักและศรัทธา", "มีวินัย ภูมิใจในความเป็นชาติไทย", None),
        ("2", "นักเรียนมีคุณภาพตามมาตรฐาน", "และคุณลักษณะเด็กไทยในศตวรรษที่ 21", None),
        ("3", "นักเรียนได้รับโอกาสทางการศึกษาอย่างทั่วถึง", "เท่าทียม มีความปลอดภัย", None),
        ("4", "ผู้บริหาร ครู และบุคลากรทางการศึกษา ได้รับการพัฒนา", "ได้รับการยกย่อง เชิดชูเกียรติ", None),
        ("5", "สำนักงานเขตพื้นที่ และสถานศึกษา", "สร้างภาคีเครือข่าย ความร่วมมือทุกภาคส่วน", None),
    ],
    "strategy": [
        ("1", "ส่งเสริมการจัดการศึกษาให้ผู้เรียนมีความปลอดภัย", "จากภัยทุกรูปแบบ", None),
        ("2", "เพิ่มโอกาสและความเสมอภาคทางการศึกษา", "ให้กับประชากรวัยเรียนทุกคน", None),
        ("3", "ยกระดับคุณภาพการศึกษา", "ให้สอดคล้องกับการเปลี่ยนแปลงในศตวรรษที่ 21", None),
        ("4", "เพิ่มประสิทธิภาพ", "การบริหารจัดการศึกษา", None),
    ],
}


def test_seed_001_sections_in_order():
    plan = seed("unidentified-plan-1")
    assert kinds(plan) == ["vision", "mission", "goal", "strategy"]
    (vision,) = plan.section("vision").intro
    assert vision.startswith("คนไทยทุกคนได้รับการศึกษาและเรียนรู้ตลอดชีวิต")
    assert vision.endswith("และการเปลี่ยนแปลงของโลกศตวรรษที่ 21")


@pytest.mark.parametrize("kind", UNIDENTIFIED_1)
def test_seed_001_items(kind):
    section = seed("unidentified-plan-1").section(kind)
    check_items(section.items, UNIDENTIFIED_1[kind], f"unidentified-plan-1 {kind}")


def test_seed_001_wrapped_bullet_is_one_item():
    first = seed("unidentified-plan-1").section("mission").items[0]
    assert first.text == "จัดการศึกษาอย่างมีคุณภาพ ได้ตามมาตรฐาน มีสมรรถนะ ทักษะและคุณลักษณะเด็กไทยในศตวรรษที่ 21"
    goal_4 = seed("unidentified-plan-1").section("goal").items[3]
    assert "ได้เต็มศักยภาพมีความสามารถในการใช้เทคโนโลยีดิจิทัล" in goal_4.text


def test_seed_001_titled_strategies_keep_their_body_paragraphs():
    strategies = seed("unidentified-plan-1").section("strategy").items
    assert [len(s.body) for s in strategies] == [1, 1, 4, 1]
    assert strategies[0].body[0].startswith("พัฒนาสถานศึกษาให้เป็นพื้นที่ปลอดภัย")
    assert strategies[1].body[0].endswith("แห่งพระราชบัญญัติการศึกษาแห่งชาติ พ.ศ. 2542")
    third = strategies[2].body
    assert third[0] == "คุณภาพผู้เรียน"
    assert "พระบาทสมเด็จพระวชิรเกล้าเจ้าอยู่หัวสู่การปฏิบัติ" in third[1]  # wrapped line joined
    assert third[1].endswith("บนฐานมโนทัศน์ที่หลากหลาย")
    assert third[2] == "คุณภาพครูและบุคลากร"
    assert "อย่างต่อเนื่องมีจรรยาบรรณ" in third[3]
    assert strategies[3].body[0].endswith("โดยนำเทคโนโลยีเข้ามาสนับสนุน")


UNIDENTIFIED_2 = {
    "guideline": [
        ("1", "พัฒนาระบบบริหารการจัดการศึกษา", "ระดับพื้นที่และระดับนโยบาย", None),
        ("2", "จัดระบบประกันคุณภาพภายใน", "แนวทางการพัฒนาสำนักงานเขตพื้นที่การศึกษา", None),
        ("3", "ส่งเสริมการพัฒนาองค์กรและคุณภาพครู", "ความรับผิดชอบและการบริการที่ดี", None),
        ("4", "เสริมสร้างความซื่อสัตย์สุจริต", "เป็นแบบอย่างที่ดีด้านความซื่อสัตย์สุจริต", None),
        ("5", "จัดทำและทบทวนแผนพัฒนาคุณภาพการศึกษา", "20 ปี เป็นเป้าหมายความสำเร็จที่สำคัญ", None),
        ("6", "จัดทำแผนปฏิบัติการประจำปี", "นโยบายและ ITA", None),
        ("7", "จัดทำแผนพัฒนาคุณภาพการเรียนรู้ของผู้เรียน", "และความเข้มแข็งในการจัดการเรียนรู้ของครู", None),
        ("8", "นำนโยบายที่สำคัญของรัฐบาล", "ประเมิลผลและรายงานผลการปฏิบัติอย่างต่อเนื่อง", None),
        ("9", "ประยุกต์ใช้หลักการบริหารคุณภาพองค์กร (PDCA)", "เพื่อให้การปฏิบัติงานบรรลุเป้าหมายอย่างมีคุณภาพ",
         None),
        ("10", "จัดให้มีการติดตาม ตรวจสอบ", "ปรับปรุงการดำเนินงาน และรายงานผลการดำเนินงาน", None),
        ("11", "ศึกษา เรียนรู้และนำศาสตร์พระราชา", "มาใช้ในการบริหารจัดการศึกษาการเรียนรู้และการบริการ", None),
    ],
    "indicator": [
        ("1", "สำนักงานเขตพื้นที่การศึกษามีการบริหารจัดการ", "กิจการบ้านเมืองที่ดี โดย", [
            ("1.1", "มีคะแนนการประเมินมาตรฐานเขตพื้นที่การศึกษา", "โดยรวมไม่ต่ำกว่าระดับดีเยี่ยม", None),
            ("1.2", "มีคะแนนการประเมินคุณธรรมและความโปร่งใส", "โดยรวมไม่ต่ำกว่าระดับสูงมาก", None),
        ]),
        ("2", "โรงเรียนมีความเข้มแข็งในการจัดการศึกษา", "ในการจัดการศึกษา โดย", [
            ("2.1", "มีคะแนนผลการประเมินคุณภาพการจัดการศึกษา", "โดยรวมไม่ต่ำกว่าระดับดีมาก", None),
            ("2.2", "มีคะแนนผลการทดสอบ O-Net หรือ NT", "โดยรวมไม่ต่ำกว่าร้อยละ 50", None),
        ]),
        ("3", "ครูมีความเข้มแข็งในการจัดการเรียนรู้", "ในการจัดการเรียนรู้ โดย", [
            ("3.1", "มีคะแนนผลการทดสอบ O-Net หรือ NT ของนักเรียน", "ในความรับผิดชอบไม่น้อยกว่าร้อยละ 50", None),
            ("3.2", "นักเรียนในความรับผิดชอบผ่านเกณฑ์", "ที่ทางราชการกำหนดไม่น้อยกว่าร้อยละ 80", None),
        ]),
        ("4", "ประชาชนและผู้รับบริการมีความพึงพอใจ", "และของโรงเรียนไม่น้อยกว่าร้อยละ 85", None),
        ("5", "ประเทศชาติมีความมั่นคง", "ตามยุทธศาสตร์ชาติ 20 ปี", None),
    ],
}


def test_seed_002_title_line_is_not_a_section():
    plan = seed("unidentified-plan-2")
    assert kinds(plan) == ["guideline", "indicator"]
    assert plan.section("vision") is None
    assert plan.section("indicator").heading == "เป้าหมายความสำเร็จ"


@pytest.mark.parametrize("kind", UNIDENTIFIED_2)
def test_seed_002_items(kind):
    section = seed("unidentified-plan-2").section(kind)
    check_items(section.items, UNIDENTIFIED_2[kind], f"unidentified-plan-2 {kind}")


def test_seed_002_sub_item_wrapped_over_a_blank_line_is_joined():
    sub = seed("unidentified-plan-2").section("indicator").items[2].children[0]
    assert sub.path == "3.1"
    assert sub.text == "มีคะแนนผลการทดสอบ O-Net หรือ NT ของนักเรียนในความรับผิดชอบไม่น้อยกว่าร้อยละ 50"


@pytest.mark.parametrize("owner", SEED_FILES.values())
def test_every_seed_item_has_text_and_a_unique_path(owner):
    plan = seed(owner)
    for section in plan.sections:
        paths = [item.path for item in section.walk()]
        assert len(paths) == len(set(paths)), f"{owner} {section.kind}: repeated paths"
        for item in section.walk():
            assert item.text.strip() == item.text and item.text, f"{owner} {item.path}"
            assert "\u200b" not in item.text and "  " not in item.text


# --- small documents in other shapes --------------------------------------------------------


def outline(plan) -> list[tuple[str, list[str], list[tuple[str, str]]]]:
    """(kind, intro, [(path, text), ...]) for every section, depth first."""
    return [
        (s.kind, s.intro, [(item.path, item.text) for item in s.walk()]) for s in plan.sections
    ]


SHAPES = [
    pytest.param(
        """
        พันธกิจ
        1) พัฒนาผู้เรียน
        2) พัฒนาครู
        3) พัฒนาระบบบริหาร
        """,
        [("mission", [], [("1", "พัฒนาผู้เรียน"), ("2", "พัฒนาครู"), ("3", "พัฒนาระบบบริหาร")])],
        id="numbered-1)",
    ),
    pytest.param(
        """
        พันธกิจ
        (1) พัฒนาผู้เรียน
        (2) พัฒนาครู
        """,
        [("mission", [], [("1", "พัฒนาผู้เรียน"), ("2", "พัฒนาครู")])],
        id="numbered-(1)",
    ),
    pytest.param(
        """
        เป้าประสงค์
        ๑. ผู้เรียนมีคุณภาพ
        ๒. ครูมีคุณภาพ
        ๓. โรงเรียนมีคุณภาพ
        """,
        [("goal", [], [("1", "ผู้เรียนมีคุณภาพ"), ("2", "ครูมีคุณภาพ"), ("3", "โรงเรียนมีคุณภาพ")])],
        id="thai-digits",
    ),
    pytest.param(
        """
        กลยุทธ์
        1.พัฒนาผู้เรียน
        2.พัฒนาครู
        """,
        [("strategy", [], [("1", "พัฒนาผู้เรียน"), ("2", "พัฒนาครู")])],
        id="no-space-after-number",
    ),
    pytest.param(
        """
        1. วิสัยทัศน์ (Vision)
        โรงเรียนคุณภาพ ก้าวไกล
        2. พันธกิจ (Mission)
        1) พัฒนาผู้เรียน
        2) พัฒนาครู
        3. เป้าประสงค์ (Goal)
        1. นักเรียนดี
        2. ครูดี
        """,
        [
            ("vision", ["โรงเรียนคุณภาพ ก้าวไกล"], []),
            ("mission", [], [("1", "พัฒนาผู้เรียน"), ("2", "พัฒนาครู")]),
            ("goal", [], [("1", "นักเรียนดี"), ("2", "ครูดี")]),
        ],
        id="numbered-headings",
    ),
    pytest.param(
        """
        1) วิสัยทัศน์
        โรงเรียนดี
        2) พันธกิจ
        1. สอนดี
        2. เรียนดี
        """,
        [
            ("vision", ["โรงเรียนดี"], []),
            ("mission", [], [("1", "สอนดี"), ("2", "เรียนดี")]),
        ],
        id="numbered-headings-1)",
    ),
    pytest.param(
        """
        พันธกิจ
        1. พัฒนาผู้เรียนให้มีความรู้
        คู่คุณธรรม
        2. พัฒนาครูให้มี
           สมรรถนะ (Competency) สูง
        3. ส่งเสริม Active
        Learning ในห้องเรียน
        """,
        [("mission", [], [
            ("1", "พัฒนาผู้เรียนให้มีความรู้คู่คุณธรรม"),
            ("2", "พัฒนาครูให้มีสมรรถนะ (Competency) สูง"),
            ("3", "ส่งเสริม Active Learning ในห้องเรียน"),
        ])],
        id="wrapped-lines",
    ),
    pytest.param(
        """
        เป้าหมาย
        1. นักเรียนร้อยละ
        80 อ่านออกเขียนได้
        2. ครูดี
        """,
        [("goal", [], [("1", "นักเรียนร้อยละ 80 อ่านออกเขียนได้"), ("2", "ครูดี")])],
        id="wrapped-line-starting-with-a-number",
    ),
    pytest.param(
        """
        เป้าประสงค์
        เป้าประสงค์ที่ 1 ผู้เรียนมีคุณภาพ เป้าประสงค์ที่ 2 ครูมีคุณภาพ
        """,
        [("goal", [], [("1", "ผู้เรียนมีคุณภาพ"), ("2", "ครูมีคุณภาพ")])],
        id="two-items-on-one-line",
    ),
    pytest.param(
        """
        กลยุทธ์
        กลยุทธ์ที่ 1 พัฒนาผู้เรียน กลยุทธ์ที่ 2 พัฒนาครู กลยุทธ์ที่ 3 พัฒนาระบบ
        """,
        [("strategy", [], [("1", "พัฒนาผู้เรียน"), ("2", "พัฒนาครู"), ("3", "พัฒนาระบบ")])],
        id="three-items-on-one-line",
    ),
    pytest.param(
        """
        จุดเน้น
        1. ด้านผู้เรียน
        1.1 อ่านออก
        1.2 เขียนได้
        2. ด้านครู
        2.1 สอนดี
        """,
        [("focus", [], [
            ("1", "ด้านผู้เรียน"), ("1.1", "อ่านออก"), ("1.2", "เขียนได้"),
            ("2", "ด้านครู"), ("2.1", "สอนดี"),
        ])],
        id="sub-items",
    ),
    pytest.param(
        """
        พันธกิจ
        ๑. พัฒนาผู้เรียน
        ๑.๑ อ่านออก
        ๑.๒ เขียนได้
        ๒. พัฒนาครู
        """,
        [("mission", [], [
            ("1", "พัฒนาผู้เรียน"), ("1.1", "อ่านออก"), ("1.2", "เขียนได้"), ("2", "พัฒนาครู"),
        ])],
        id="thai-digit-sub-items",
    ),
    pytest.param(
        """
        พันธกิจ
        • พัฒนาผู้เรียน
        • พัฒนาครู
        เป้าประสงค์
        - นักเรียนดี
        - ครูดี
        - โรงเรียนดี
        """,
        [
            ("mission", [], [("1", "พัฒนาผู้เรียน"), ("2", "พัฒนาครู")]),
            ("goal", [], [("1", "นักเรียนดี"), ("2", "ครูดี"), ("3", "โรงเรียนดี")]),
        ],
        id="bullets",
    ),
    pytest.param(
        """
        พันธกิจ
        • พัฒนาผู้เรียนให้มี
          ความรู้
        • พัฒนาครู
        """,
        [("mission", [], [("1", "พัฒนาผู้เรียนให้มีความรู้"), ("2", "พัฒนาครู")])],
        id="wrapped-bullet",
    ),
    pytest.param(
        """
        จุดเน้น
        1. ด้านผู้เรียน
         - อ่านออก
         - เขียนได้
        2. ด้านครู
         • สอนดี
        """,
        [("focus", [], [
            ("1", "ด้านผู้เรียน"), ("1.1", "อ่านออก"), ("1.2", "เขียนได้"),
            ("2", "ด้านครู"), ("2.1", "สอนดี"),
        ])],
        id="bullets-under-numbered-items",
    ),
    pytest.param(
        """
        วิสัยทัศน์ : โรงเรียนคุณภาพ นักเรียนเป็นเลิศ
        พันธกิจ :
        1. พัฒนาผู้เรียน
        """,
        [
            ("vision", ["โรงเรียนคุณภาพ นักเรียนเป็นเลิศ"], []),
            ("mission", [], [("1", "พัฒนาผู้เรียน")]),
        ],
        id="label-value",
    ),
    pytest.param(
        """
        วิสัยทัศน์: โรงเรียนคุณภาพ นักเรียนเป็นเลิศ
        """,
        [("vision", ["โรงเรียนคุณภาพ นักเรียนเป็นเลิศ"], [])],
        id="label-value-no-space",
    ),
    pytest.param(
        """
        วิสัยทัศน์ (Vision) : โรงเรียนคุณภาพ นักเรียนเป็นเลิศ
        พันธกิจ (Mission)
        1. พัฒนาผู้เรียน
        """,
        [
            ("vision", ["โรงเรียนคุณภาพ นักเรียนเป็นเลิศ"], []),
            ("mission", [], [("1", "พัฒนาผู้เรียน")]),
        ],
        id="label-with-english-tag-value",
    ),
    pytest.param(
        """
        วิสัยทัศน์(Vision): โรงเรียนคุณภาพ นักเรียนเป็นเลิศ
        """,
        [("vision", ["โรงเรียนคุณภาพ นักเรียนเป็นเลิศ"], [])],
        id="label-with-english-tag-value-no-spaces",
    ),
    pytest.param(
        """
        Vision: A school of quality
        Mission:
        1. Teach well
        """,
        [("vision", ["A school of quality"], []), ("mission", [], [("1", "Teach well")])],
        id="english-label-value",
    ),
    pytest.param(
        """
        VISION
        A school of quality
        MISSION
        1. Teach well
        2. Learn well
        """,
        [
            ("vision", ["A school of quality"], []),
            ("mission", [], [("1", "Teach well"), ("2", "Learn well")]),
        ],
        id="english-headings",
    ),
    pytest.param(
        """
        วิสัยทัศ
        ดีมาก
        พันธกิจ (MISION)
        1. สอน
        เป้าประสงค (GOAL)
        1. ดี
        """,
        [
            ("vision", ["ดีมาก"], []),
            ("mission", [], [("1", "สอน")]),
            ("goal", [], [("1", "ดี")]),
        ],
        id="misspelt-headings",
    ),
    pytest.param(
        """
        กลยุทธ์
        มี 2 กลยุทธ์ ดังนี้
        1. ส่งเสริมการอ่าน
        2. ส่งเสริมการเขียน
        """,
        [("strategy", ["มี 2 กลยุทธ์ ดังนี้"], [("1", "ส่งเสริมการอ่าน"), ("2", "ส่งเสริมการเขียน")])],
        id="intro-then-items",
    ),
    pytest.param(
        """
        ตัวชี้วัด
        1. ร้อยละ 80 ของนักเรียนอ่านออก
        2. ร้อยละ 90 ของครูผ่านการอบรม
        """,
        [("indicator", [], [
            ("1", "ร้อยละ 80 ของนักเรียนอ่านออก"), ("2", "ร้อยละ 90 ของครูผ่านการอบรม"),
        ])],
        id="indicators",
    ),
    pytest.param(
        """
        วิสัยทัศน์
        ดีมาก
        Share
        พันธกิจ
        1. สอน
        Google Calendar
        2. เรียน
        Facebook
        """,
        [("vision", ["ดีมาก"], []), ("mission", [], [("1", "สอน"), ("2", "เรียน")])],
        id="page-noise",
    ),
    pytest.param(
        """
        ประเด็นยุทธศาสตร์ที่ 1 พัฒนาผู้เรียน
        เป้าประสงค์
        1. ผู้เรียนดี
        กลยุทธ์
        1. ส่งเสริมการอ่าน
        2. ส่งเสริมการเขียน
        ประเด็นยุทธศาสตร์ที่ 2 พัฒนาครู
        กลยุทธ์
        1. อบรมครู
        """,
        [("strategic_issue", [], [
            ("1", "พัฒนาผู้เรียน"),
            ("ยุทธศาสตร์ 1 / เป้าประสงค์ 1", "ผู้เรียนดี"),
            ("ยุทธศาสตร์ 1 / กลยุทธ์ 1", "ส่งเสริมการอ่าน"),
            ("ยุทธศาสตร์ 1 / กลยุทธ์ 2", "ส่งเสริมการเขียน"),
            ("2", "พัฒนาครู"),
            ("ยุทธศาสตร์ 2 / กลยุทธ์ 1", "อบรมครู"),
        ])],
        id="strategic-issues-nest-goals-and-strategies",
    ),
    pytest.param(
        """
        พันธกิจ\r
        1. พัฒนาผู้เรียน\r
        2. พัฒนาครู\r
        """,
        [("mission", [], [("1", "พัฒนาผู้เรียน"), ("2", "พัฒนาครู")])],
        id="crlf-line-ends",
    ),
    pytest.param(
        "พันธกิจ\n1.\tพัฒนา\u00a0ผู้เรียน\n2.\u00a0พัฒนาครู\n",
        [("mission", [], [("1", "พัฒนา ผู้เรียน"), ("2", "พัฒนาครู")])],
        id="tabs-and-no-break-spaces",
    ),
]


@pytest.mark.parametrize(("body", "expected"), SHAPES)
def test_document_shapes(body, expected):
    assert outline(doc(body)) == expected


def test_numbered_heading_with_decimal_items_keeps_items_flat():
    """'2. พันธกิจ' then '2.1', '2.2': the items of section 2, not item 1 and its child 1.2."""
    plan = doc(
        """
        1. วิสัยทัศน์ (Vision)
        โรงเรียนคุณภาพ
        2. พันธกิจ (Mission)
        2.1 จัดการศึกษาอย่างมีคุณภาพ
        2.2 พัฒนาครู
        3. เป้าประสงค์ (Goals)
        3.1 นักเรียนดี
        3.2 ครูดี
        """
    )
    assert kinds(plan) == ["vision", "mission", "goal"]
    mission, goal = plan.section("mission"), plan.section("goal")
    assert texts(mission.items) == ["จัดการศึกษาอย่างมีคุณภาพ", "พัฒนาครู"]
    assert texts(goal.items) == ["นักเรียนดี", "ครูดี"]
    assert len({i.path for i in mission.walk()}) == 2


def test_numbered_thai_heading_with_thai_decimal_items_keeps_items_flat():
    plan = doc(
        """
        ๑. วิสัยทัศน์
        โรงเรียนดี
        ๒. พันธกิจ
        ๒.๑ พัฒนาผู้เรียน
        ๒.๒ พัฒนาครู
        """
    )
    assert texts(plan.section("mission").items) == ["พัฒนาผู้เรียน", "พัฒนาครู"]


WRAPPED_ON_A_HEADING_WORD = [
    pytest.param("พันธกิจ", "ส่งเสริมให้ผู้เรียนมีคุณภาพตาม", "เป้าหมายของหลักสูตร", id="goal-word"),
    pytest.param("เป้าประสงค์", "ผู้เรียนมีสมรรถนะตาม", "ตัวชี้วัดของหลักสูตร", id="indicator-word"),
    pytest.param("เป้าประสงค์", "สถานศึกษาดำเนินงานตาม", "กลยุทธ์ของเขตพื้นที่", id="strategy-word"),
    pytest.param("พันธกิจ", "ประสานความร่วมมือกับ", "นายกเทศมนตรี และผู้นำชุมชน", id="honorific-like-word"),
    pytest.param("เป้าประสงค์", "นักเรียนมีทักษะการ", "ติดต่อสื่อสารได้ดี", id="contact-word"),
    pytest.param("พันธกิจ", "พัฒนาคุณภาพ", "ที่อยู่อาศัยของนักเรียน", id="address-word"),
    pytest.param("พันธกิจ", "ส่งเสริมการใช้", "โทรศัพท์เคลื่อนที่เพื่อการเรียนรู้", id="phone-word"),
]


@pytest.mark.parametrize(("heading", "first", "wrapped"), WRAPPED_ON_A_HEADING_WORD)
def test_a_wrapped_line_that_starts_with_a_heading_word_stays_in_its_item(
    heading, first, wrapped
):
    """Item 1 wraps onto a line that happens to begin with a heading or signature word, and
    the list goes on with item 2: the line is a continuation, not a new section."""
    plan = doc(f"{heading}\n1. {first}\n{wrapped}\n2. พัฒนาครู\nค่านิยม\n1. ซื่อสัตย์\n")
    assert [s.kind for s in plan.sections][0] != "signature"
    section = plan.sections[0]
    assert texts(section.items) == [first + wrapped, "พัฒนาครู"]  # Thai joins Thai: no space
    assert texts(plan.section("values").items) == ["ซื่อสัตย์"]


def test_a_signature_block_ends_at_the_next_section_heading():
    """A school page may show its director's name between sections; the plan goes on."""
    plan = doc(
        """
        วิสัยทัศน์
        โรงเรียนดี
        นายสมชาย ใจดี
        ผู้อำนวยการโรงเรียน
        พันธกิจ
        1. สอนดี
        2. เรียนดี
        """
    )
    assert kinds(plan) == ["vision", "signature", "mission"]
    assert texts(plan.section("mission").items) == ["สอนดี", "เรียนดี"]
    assert "พันธกิจ" not in plan.section("signature").intro


def test_a_signers_name_on_the_sign_words_line_is_the_signatures_text():
    """"ลงชื่อ นายวิชัย คำปัน" kept the name in the heading only: "ใครเป็น ผอ." got the
    position without the name."""
    plan = doc(
        """
        วิสัยทัศน์
        นักเรียนมีคุณภาพ

        ลงชื่อ นายวิชัย  คำปัน
        ผู้อำนวยการโรงเรียนบ้านทดสอบ
        """
    )
    assert plan.section("signature").intro == ["นายวิชัย คำปัน", "ผู้อำนวยการโรงเรียนบ้านทดสอบ"]
    dotted = doc("วิสัยทัศน์\nนักเรียนมีคุณภาพ\nลงชื่อ ..............................\nผู้อำนวยการ\n")
    assert dotted.section("signature").intro == ["ผู้อำนวยการ"]  # a line to sign on, no name


def test_a_signers_name_in_brackets_after_a_list_is_no_part_of_its_last_item():
    """"(นายธนพล วงศ์สวัสดิ์)" / "ศึกษาธิการจังหวัดแพร่" after a numbered list: the position
    was glued onto the last item and the name kept as the section's text."""
    plan = doc(
        """
        ปัจจัยแห่งความสำเร็จ
        1. การมีส่วนร่วมของภาคีเครือข่าย
        2. การกำกับ ติดตามอย่างต่อเนื่อง

        (นายธนพล วงศ์สวัสดิ์)
        ศึกษาธิการจังหวัดแพร่
        """
    )
    part = plan.sections[0]
    assert texts(part.items)[-1] == "การกำกับ ติดตามอย่างต่อเนื่อง" and part.intro == []
    assert plan.section("signature").intro == ["(นายธนพล วงศ์สวัสดิ์)", "ศึกษาธิการจังหวัดแพร่"]


def test_the_mission_word_and_its_sentence_after_the_vision_is_the_mission():
    """"พันธกิจ จัดการศึกษา…" right under the vision's long line was read as the vision's
    wrapped rest ("…คู่คุณธรรมพันธกิจ จัดการศึกษา…")."""
    plan = doc(
        """
        วิสัยทัศน์
        โรงเรียนคุณภาพ มุ่งพัฒนาผู้เรียนให้มีความรู้คู่คุณธรรม
        พันธกิจ จัดการศึกษาให้มีคุณภาพตามมาตรฐาน
        """
    )
    assert plan.section("vision").intro == ["โรงเรียนคุณภาพ มุ่งพัฒนาผู้เรียนให้มีความรู้คู่คุณธรรม"]
    assert plan.section("mission").intro == ["จัดการศึกษาให้มีคุณภาพตามมาตรฐาน"]
    kept = doc("วิสัยทัศน์\nโรงเรียนคุณภาพ\nพันธกิจของโรงเรียน\n1. สอนดี\n")
    assert texts(kept.section("mission").items) == ["สอนดี"]  # "พันธกิจของ…" titles the list


def test_a_paragraph_that_starts_with_a_contact_word_is_not_a_signature():
    plan = doc("วิสัยทัศน์\nติดต่อประสานงานอย่างมีประสิทธิภาพ\nพันธกิจ\n1. สอน\n")
    assert outline(plan) == [
        ("vision", ["ติดต่อประสานงานอย่างมีประสิทธิภาพ"], []),
        ("mission", [], [("1", "สอน")]),
    ]


def test_a_short_line_ending_in_an_english_tag_is_text_not_a_heading():
    """Plans gloss Thai terms in English; a vision of a few words with a gloss is still the
    vision, and a wrapped '(Active Learning)' still belongs to its item."""
    plan = doc("วิสัยทัศน์\nโรงเรียนแห่งการเรียนรู้ (Learning School)\nพันธกิจ\n1. สอน\n")
    assert outline(plan) == [
        ("vision", ["โรงเรียนแห่งการเรียนรู้ (Learning School)"], []),
        ("mission", [], [("1", "สอน")]),
    ]
    plan = doc("พันธกิจ\n1. ส่งเสริมการเรียนรู้เชิงรุก\n(Active Learning)\n2. สอน\n")
    assert outline(plan) == [
        ("mission", [], [("1", "ส่งเสริมการเรียนรู้เชิงรุก (Active Learning)"), ("2", "สอน")]),
    ]
    plan = doc("วิสัยทัศน์\nโรงเรียนดี\n\nมุ่งสู่สากล (World Class)\nพันธกิจ\n1. สอน\n")
    assert plan.section("vision").intro == ["โรงเรียนดี", "มุ่งสู่สากล (World Class)"]


def test_strategic_issues_called_prasen_klayut():
    """Many area offices title their strategic issues 'ประเด็นกลยุทธ์ที่ N'."""
    plan = doc(
        """
        วิสัยทัศน์
        องค์กรแห่งคุณภาพ
        ประเด็นกลยุทธ์ที่ 1 พัฒนาคุณภาพผู้เรียน
        เป้าประสงค์
        1. ผู้เรียนมีคุณภาพ
        ตัวชี้วัด
        1. ร้อยละของผู้เรียนที่อ่านออก
        ประเด็นกลยุทธ์ที่ 2 พัฒนาครู
        เป้าประสงค์
        1. ครูมีสมรรถนะ
        """
    )
    assert kinds(plan) == ["vision", "strategic_issue"]
    assert [(i.path, i.text) for i in plan.section("strategic_issue").walk()] == [
        ("1", "พัฒนาคุณภาพผู้เรียน"),
        ("ยุทธศาสตร์ 1 / เป้าประสงค์ 1", "ผู้เรียนมีคุณภาพ"),
        ("ยุทธศาสตร์ 1 / ตัวชี้วัด 1", "ร้อยละของผู้เรียนที่อ่านออก"),
        ("2", "พัฒนาครู"),
        ("ยุทธศาสตร์ 2 / เป้าประสงค์ 1", "ครูมีสมรรถนะ"),
    ]


def test_short_unnumbered_lines_under_a_list_heading_are_not_glued_together():
    """Each line is a whole statement; gluing them ('...มาตรฐานพัฒนาครู...') would misquote."""
    lines = [
        "จัดการศึกษาให้ผู้เรียนมีคุณภาพตามมาตรฐาน",
        "พัฒนาครูและบุคลากรให้มีสมรรถนะ",
        "ส่งเสริมการมีส่วนร่วมของชุมชน",
    ]
    section = doc("พันธกิจ\n" + "\n".join(lines) + "\n").section("mission")
    kept = section.intro + texts(section.walk())
    assert all(line in kept for line in lines), kept


def test_three_level_numbering_keeps_unique_paths():
    plan = doc(
        """
        จุดเน้น
        1. ด้านผู้เรียน
        1.1 ด้านการอ่าน
        1.1.1 อ่านออก
        1.1.2 อ่านคล่อง
        1.2 ด้านการเขียน
        """
    )
    assert [(i.path, i.text) for i in plan.section("focus").walk()] == [
        ("1", "ด้านผู้เรียน"),
        ("1.1", "ด้านการอ่าน"),
        ("1.1.1", "อ่านออก"),
        ("1.1.2", "อ่านคล่อง"),
        ("1.2", "ด้านการเขียน"),
    ]


def test_numbered_heading_with_a_trailing_colon():
    plan = doc(
        """
        1. วิสัยทัศน์ :
        โรงเรียนดี
        2. พันธกิจ :
        1) สอนดี
        2) เรียนดี
        """
    )
    assert outline(plan) == [
        ("vision", ["โรงเรียนดี"], []),
        ("mission", [], [("1", "สอนดี"), ("2", "เรียนดี")]),
    ]


def test_numbered_headings_with_a_qualifier():
    """School plans write '1. วิสัยทัศน์โรงเรียน', '2. พันธกิจของโรงเรียน': headings, not items."""
    plan = doc(
        """
        1. วิสัยทัศน์โรงเรียน
        โรงเรียนดี
        2. พันธกิจของโรงเรียน
        1) สอนดี
        3. จุดเน้นการดำเนินงาน
        1) อ่านออก
        """
    )
    assert outline(plan) == [
        ("vision", ["โรงเรียนดี"], []),
        ("mission", [], [("1", "สอนดี")]),
        ("focus", [], [("1", "อ่านออก")]),
    ]


def test_heading_and_its_numbered_items_on_one_line():
    plan = doc("พันธกิจ 1. สอนดี 2. เรียนดี 3. มีคุณธรรม\n")
    assert texts(plan.section("mission").items) == ["สอนดี", "เรียนดี", "มีคุณธรรม"]


def test_list_numbers_alone_on_their_lines():
    """A broken renderer puts '1.' on one line and the item's text on the next."""
    plan = doc("พันธกิจ\n1.\nพัฒนาผู้เรียน\n2.\nพัฒนาครู\n")
    assert outline(plan) == [("mission", [], [("1", "พัฒนาผู้เรียน"), ("2", "พัฒนาครู")])]


def test_school_plan():
    plan = doc(
        """
        โรงเรียนบ้านทดสอบ
        ปรัชญา
        การศึกษาคือชีวิต
        วิสัยทัศน์
        ภายในปี 2570 โรงเรียนบ้านทดสอบจัดการศึกษาให้นักเรียนมีคุณภาพ
        พันธกิจ
        1. จัดการศึกษาให้มีคุณภาพ
        2. พัฒนาครู
        เป้าประสงค์
        1. นักเรียนมีคุณภาพ
        2. ครูมีคุณภาพ
        อัตลักษณ์
        ยิ้ม ไหว้ ทักทาย
        คำขวัญ
        เรียนดี มีวินัย
        ค่านิยม
        1. ซื่อสัตย์
        2. รับผิดชอบ
        """,
        front="---\noffice: โรงเรียนบ้านทดสอบ\n---\n",
    )
    assert kinds(plan) == [
        "philosophy", "vision", "mission", "goal", "identity", "motto", "values"
    ]
    assert plan.section("identity").intro == ["ยิ้ม ไหว้ ทักทาย"]
    assert plan.section("motto").intro == ["เรียนดี มีวินัย"]
    assert texts(plan.section("values").items) == ["ซื่อสัตย์", "รับผิดชอบ"]
    assert plan.preamble == ["โรงเรียนบ้านทดสอบ"]
    names = derive_names(plan.meta["office"])
    assert names.kind == "school" and "บ้านทดสอบ" in names.names


def test_school_plan_label_value_lines():
    plan = doc(
        """
        คำขวัญ : เรียนดี กีฬาเด่น เน้นคุณธรรม
        ค่านิยม : ซื่อสัตย์ รับผิดชอบ
        อัตลักษณ์ : ยิ้มไหว้ทักทาย
        """
    )
    assert outline(plan) == [
        ("motto", ["เรียนดี กีฬาเด่น เน้นคุณธรรม"], []),
        ("values", ["ซื่อสัตย์ รับผิดชอบ"], []),
        ("identity", ["ยิ้มไหว้ทักทาย"], []),
    ]


def test_repeated_list_numbers_become_1_to_4_with_warnings():
    plan = doc(
        """
        กลยุทธ์
        1. หนึ่ง
        1. สอง
        1. สาม
        2. สี่
        """
    )
    items = plan.section("strategy").items
    assert [(i.number, i.text) for i in items] == [
        ("1", "หนึ่ง"), ("2", "สอง"), ("3", "สาม"), ("4", "สี่")
    ]
    repaired = [w for w in plan.warnings if "repaired" in w]
    assert len(repaired) == 3
    assert repaired[0].startswith("test.txt line 6:")


def test_decomposed_sara_am_and_zero_width_spaces_are_cleaned():
    plan = doc(
        "วิสัย\u200bทัศน์\n"
        "น\u0e4d\u0e32ความรู้สู่\u200bการปฏิบัติ\n"
        "พันธกิจ\n"
        "1. ส\u0e4d\u0e32รวจ\u200dความต้องการ\ufeff\n"
        "2. ท\u0e4d\u0e32แผน\u200b\n"
    )
    assert plan.section("vision").intro == ["นำความรู้สู่การปฏิบัติ"]
    assert texts(plan.section("mission").items) == ["สำรวจความต้องการ", "ทำแผน"]


def test_document_with_one_section_only():
    plan = doc("วิสัยทัศน์\nเป็นโรงเรียนดี\n")
    assert outline(plan) == [("vision", ["เป็นโรงเรียนดี"], [])]
    plan = doc("กลยุทธ์\n1. หนึ่ง\n2. สอง\n")
    assert outline(plan) == [("strategy", [], [("1", "หนึ่ง"), ("2", "สอง")])]


def test_byte_order_mark_before_front_matter_is_accepted():
    plan = parse_text("\ufeff" + FRONT + "วิสัยทัศน์\nดี\n", "bom.txt")
    assert kinds(plan) == ["vision"]


def test_front_matter_names_and_line_numbers():
    plan = parse_text(
        "---\noffice: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 1\nshort: สพป.แพร่ 1\n"
        "aliases: [แพร่หนึ่ง]\n---\nวิสัยทัศน์\nดี\n",
        "x.txt",
    )
    assert plan.meta["short"] == "สพป.แพร่ 1"
    assert plan.meta["aliases"] == ["แพร่หนึ่ง"]
    assert plan.sections[0].line == 6


# --- documents that cannot be parsed --------------------------------------------------------

BROKEN = [
    pytest.param("", 1, "the file is empty", id="empty"),
    pytest.param("วิสัยทัศน์\nดี\n", 1, "front matter", id="no-front-matter"),
    pytest.param("---\noffice: a\nวิสัยทัศน์\nดี\n", 1, "never closed", id="front-matter-not-closed"),
    pytest.param("---\nshort: สพป.\n---\nวิสัยทัศน์\nดี\n", 2, "office", id="no-office"),
    pytest.param("---\noffice: ''\n---\nวิสัยทัศน์\nดี\n", 2, "office", id="empty-office"),
    pytest.param("---\noffice: [a, b]\n---\nวิสัยทัศน์\nดี\n", 2, "office", id="office-not-text"),
    pytest.param("---\noffice: a\nshort: [unclosed\n---\nวิสัยทัศน์\n", 3, "YAML", id="bad-yaml"),
    pytest.param("---\noffice: a\n  bad: : :\n---\nวิสัยทัศน์\n", 3, "YAML", id="bad-yaml-indent"),
    pytest.param("---\njust text\n---\nวิสัยทัศน์\n", 2, "key: value", id="yaml-not-mapping"),
    pytest.param("---\noffice: a\naliases: {x: 1}\n---\nวิสัยทัศน์\n", 3, "aliases",
                 id="aliases-not-list"),
    pytest.param("---\noffice: a\n---\n", 4, "no plan sections", id="front-matter-only"),
    pytest.param("---\noffice: a\n---\n\nสวัสดีครับ\nไม่มีหัวข้อ\n", 4, "no plan sections",
                 id="no-sections"),
    pytest.param("---\noffice: a\n---\nวิสัยทัศน์\nดี\x00มาก\n", 5, "NUL", id="nul-byte"),
]


@pytest.mark.parametrize(("text", "line", "words"), BROKEN)
def test_broken_documents_raise_with_file_and_line(text, line, words):
    with pytest.raises(PlanParseError) as caught:
        parse_text(text, "corpus/broken.txt")
    error = caught.value
    assert error.source == "corpus/broken.txt"
    assert error.line == line
    assert str(error).startswith(f"corpus/broken.txt line {line}: ")
    assert words in str(error)


def test_file_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes((FRONT + "วิสัยทัศน์\n").encode("utf-8") + "caf\xe9\n".encode("latin-1"))
    with pytest.raises(PlanParseError) as caught:
        parse_file(path)
    assert caught.value.line == 5
    assert "UTF-8" in str(caught.value)
    assert str(caught.value).startswith(f"{path} line 5:")


def test_file_with_nul_bytes_names_the_line(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(FRONT.encode() + "วิสัยทัศน์\nดี\n".encode() + b"\x00\x01\x02")
    with pytest.raises(PlanParseError) as caught:
        parse_file(path)
    assert caught.value.line == 6


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(FRONT.encode() + b"x" * (5 * 1024 * 1024))
    with pytest.raises(PlanParseError) as caught:
        parse_file(path)
    assert caught.value.line == 1


def test_line_numbers_count_crlf_and_cr_line_ends():
    plan = parse_text("---\roffice: a\r---\rพันธกิจ\r1. ก\r1. ข\r", "x.txt")
    assert plan.sections[0].line == 4
    assert plan.warnings == ["x.txt line 6: list number 1 repaired to 2"]
    with pytest.raises(PlanParseError) as caught:
        parse_text("---\r\noffice: a\r\n---\r\n\r\nสวัสดี\r\n", "x.txt")
    assert caught.value.line == 4


# --- property tests: any text parses or raises PlanParseError, quickly ----------------------

EXAMPLES: dict[str, int] = {}

ANY_CHAR = st.characters(blacklist_categories=("Cs",))  # every code point but surrogates
PLAN_PIECES = st.sampled_from([
    "วิสัยทัศน์", "พันธกิจ (Mission)", "เป้าประสงค์ที่ 1", "กลยุทธ์ที่ ๒ :", "ยุทธศาสตร์ที่ 3",
    "ประเด็นยุทธศาสตร์", "จุดเน้น", "ตัวชี้วัด", "อัตลักษณ์ (DENTITY)", "ป้าประสงค์", "ค่านิยม",
    "คำขวัญ :", "แนวทางการพัฒนา", "ลงชื่อ", "นางสาว ก ข", "โทร 0 5400 0000", "Google Calendar",
    "1.", "1)", "(1)", "๑.", "2.1", "1 .", "10.", "1.1.1", "•", "-", "–", "*", ":", "：",
    "(Vision)", "[GOALS]", "ร้อยละ 80", "O-Net", "ที่", "และ", "\u200b", "\u0e4d\u0e32", "\ufeff",
    "\t", "\u00a0", "\x0b", "\x1b", "\r", "\r\n", "\n", "\n\n", "  ", "---", "office: x",
])
PLAN_LIKE = st.lists(st.one_of(PLAN_PIECES, st.text(ANY_CHAR, max_size=8)), max_size=60).map(
    " ".join
)
PROPERTY = settings(
    max_examples=200,
    deadline=timedelta(seconds=2),
    suppress_health_check=[
        HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture
    ],
    derandomize=True,
)


def parses_or_raises(text: str, counter: str) -> None:
    """The contract: a Plan with at least one section, or PlanParseError with a line."""
    EXAMPLES[counter] = EXAMPLES.get(counter, 0) + 1
    try:
        plan = parse_text(text, "fuzz.txt")
    except PlanParseError as error:
        assert error.source == "fuzz.txt"
        assert 1 <= error.line <= text.count("\n") + text.count("\r") + 2
        return
    assert plan.sections
    for section in plan.sections:
        for item in section.walk():
            assert isinstance(item.text, str) and isinstance(item.path, str)


@PROPERTY
@given(st.text(ANY_CHAR, max_size=300))
def test_any_text_parses_or_raises_plan_parse_error(text):
    parses_or_raises(text, "any text")


@PROPERTY
@given(st.text(ANY_CHAR, max_size=300))
def test_any_text_after_a_valid_front_matter(text):
    parses_or_raises(FRONT + text, "front matter + any text")


@PROPERTY
@given(PLAN_LIKE)
def test_plan_like_text_after_a_valid_front_matter(text):
    parses_or_raises(FRONT + text, "front matter + plan-like text")


@PROPERTY
@given(st.text(ANY_CHAR, max_size=200), PLAN_LIKE)
def test_junk_front_matter(front, body):
    parses_or_raises("---\n" + front + "\n---\n" + body, "junk front matter")


@PROPERTY
@given(st.binary(max_size=400), st.booleans())
def test_any_bytes_in_a_file(tmp_path_factory, data, with_front):
    path = tmp_path_factory.getbasetemp() / "fuzz-bytes.txt"
    path.write_bytes((FRONT.encode() if with_front else b"") + data)
    EXAMPLES["file of any bytes"] = EXAMPLES.get("file of any bytes", 0) + 1
    try:
        plan = parse_file(path)
    except PlanParseError as error:
        assert error.source == str(path) and error.line >= 1
        return
    assert plan.sections


@settings(max_examples=20, deadline=timedelta(seconds=5), derandomize=True)
@given(st.sampled_from(["ก", "1. ", "วิสัยทัศน์ ", "•", "(", ":", "\n", "1.1.", " "]),
       st.integers(min_value=20_000, max_value=60_000))
def test_very_long_single_line_text(piece, size):
    text = FRONT + "วิสัยทัศน์\n" + piece * (size // len(piece))
    parses_or_raises(text, "very long single line")


HEADINGS = {
    "vision": ["วิสัยทัศน์", "วิสัยทัศน์ (Vision)", "VISION"],
    "mission": ["พันธกิจ", "พันธกิจ (Mission)", "MISSION"],
    "goal": ["เป้าประสงค์", "เป้าประสงค์ (Goals)", "เป้าหมาย"],
    "strategy": ["กลยุทธ์", "กลยุทธ์ (Strategy)"],
    "focus": ["จุดเน้น", "จุดเน้นการดำเนินงาน"],
    "indicator": ["ตัวชี้วัด", "ตัวชี้วัดความสำเร็จ"],
    "values": ["ค่านิยม", "ค่านิยม (Core Values)"],
    "guideline": ["แนวทางการพัฒนา"],
}
WORDS = ["พัฒนา", "ผู้เรียน", "คุณภาพ", "ครู", "ส่งเสริม", "สนับสนุน", "การศึกษา", "ระบบ", "บริหาร",
         "จัดการ", "อย่าง", "มี", "ประสิทธิภาพ", "O-NET", "ร้อยละ 80", "ICT", "(Active Learning)"]
MARKERS = ["{n}. ", "{n}) ", "{t}. ", "{n}.", "  {n}. ", "• ", "- "]
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@st.composite
def plans(draw):
    """A plan drawn as (document body, expected outline)."""
    chosen = draw(st.lists(st.sampled_from(sorted(HEADINGS)), min_size=1, max_size=5,
                           unique=True))
    lines, expected = [], []
    sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(
        lambda words: "ครู" + " ".join(words)
    )
    for kind in chosen:
        lines.append(draw(st.sampled_from(HEADINGS[kind])))
        if draw(st.booleans()):
            lines.append("")
        if kind == "vision":
            paragraph = draw(sentence)
            lines.append(paragraph)
            expected.append((kind, [paragraph], []))
            continue
        marker = draw(st.sampled_from(MARKERS))
        items = draw(st.lists(sentence, min_size=1, max_size=6))
        gap = draw(st.booleans())
        for n, text in enumerate(items, 1):
            lines.append(marker.format(n=n, t=str(n).translate(THAI_DIGITS)) + text)
            if gap:
                lines.append("")
        expected.append((kind, [], [(str(n), text) for n, text in enumerate(items, 1)]))
    return "\n".join(lines) + "\n", expected


@PROPERTY
@given(plans())
def test_generated_plans_parse_back_to_their_outline(drawn):
    body, expected = drawn
    EXAMPLES["generated plans"] = EXAMPLES.get("generated plans", 0) + 1
    assert outline(parse_text(FRONT + body, "generated.txt")) == expected


def test_report_examples_tried(capsys):
    """Runs last in this file: prints how many examples each property test tried."""
    with capsys.disabled():
        total = sum(EXAMPLES.values())
        print(f"\nhypothesis examples tried: {total} {EXAMPLES}")


LONG_PLAN = """
import sys, time
from index.parse import parse_text
items = "".join(f"{i % 9 + 1}. ข้อที่ {i} ส่งเสริมคุณภาพผู้เรียน\\n" for i in range(5000))
text = "---\\noffice: x\\n---\\nพันธกิจ\\n" + items
start = time.perf_counter()
plan = parse_text(text, "long.txt")
print(len(plan.sections[0].items), round(time.perf_counter() - start, 2))
"""


def test_long_plan_parses_in_linear_time():
    """A 5,000-item list (about 300 KB, well under the 5 MB limit) parses in seconds.

    Run in a child process with a hard timeout, so a slow parser fails this test instead of
    holding up the suite.
    """
    try:
        done = subprocess.run(
            [sys.executable, "-c", LONG_PLAN], cwd=ROOT, capture_output=True, text=True,
            timeout=10,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("parsing a 5,000-item plan took more than 10 s")
    assert done.returncode == 0, done.stderr
    count, seconds = done.stdout.split()
    assert int(count) == 5000
    assert float(seconds) < 5.0, f"parsing a 5,000-item plan took {seconds} s"


def test_a_thai_line_saying_when_the_page_was_updated_is_page_noise():
    """A school page's "ข้อมูล ณ วันที่ … | ผู้ดูแลหน้า: …" under its project table was
    listed above project 1."""
    plan = doc(
        """
        โครงการ
        1. โครงการส่งเสริมนิสัยรักการอ่าน
        2. โครงการห้องเรียนดิจิทัล
        ข้อมูล ณ วันที่ 15 พฤษภาคม 2567 | ผู้ดูแลหน้า: นายสมชาย ทองคำ
        จำนวนผู้เข้าชม 1,234 ครั้ง
        """
    )
    projects = plan.section("project")
    assert projects.intro == [] and texts(projects.items) == [
        "โครงการส่งเสริมนิสัยรักการอ่าน", "โครงการห้องเรียนดิจิทัล"]
    assert sum("page noise dropped" in w for w in plan.warnings) == 2


def test_a_pdfs_warnings_name_the_page_beside_the_reader_line():
    """A PDF's line numbers are the reader's own count: the page they are on is what an admin
    can find in the file."""
    from index.parse import _parse_blocks
    from index.readers.base import Line

    plan = _parse_blocks([Line("วิสัยทัศน์", 1, 1), Line("ผู้เรียนมีคุณภาพ", 2, 1),
                          Line("วิสัยทัศน์ พันธกิจ", 3, 2), Line("พันธกิจ", 4, 2),
                          Line("1. จัดการศึกษาให้ทั่วถึง", 5, 2)], "plan.pdf")
    assert any(w.startswith("plan.pdf line 3 (page 2): ") for w in plan.warnings), plan.warnings
    text = _parse_blocks([Line("วิสัยทัศน์ พันธกิจ", 3)], "plan.txt")
    assert all("(page" not in w for w in text.warnings)


def test_a_summary_after_the_last_block_of_labelled_lines_is_not_that_projects():
    """"สรุปงบประมาณ…" and its total after the last project block: the list's, not the last
    project's body (a person's projects were shown with the plan's total under the last)."""
    from index.parse import parse_text

    plan = parse_text("""---
office: โรงเรียนทดสอบสรุป
---
โครงการและกิจกรรม

โครงการที่ 1
ชื่อโครงการ  ส่งเสริมการอ่าน
ผู้รับผิดชอบ  นายสมชาย ใจดี
งบประมาณ  8,000 บาท

สรุปงบประมาณตามแผนปฏิบัติการ
     เงินอุดหนุนรายหัว  8,000  บาท
     รวมทั้งสิ้น  8,000  บาท
""")
    projects = plan.section("project")
    assert projects.items[0].body == ["ผู้รับผิดชอบ นายสมชาย ใจดี", "งบประมาณ 8,000 บาท"]
    assert projects.intro[0] == "สรุปงบประมาณตามแผนปฏิบัติการ"
    assert "รวมทั้งสิ้น 8,000 บาท" in projects.intro
