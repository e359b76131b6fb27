"""Tables as data: indicator and project tables become items that keep their columns, in every
format, in text pages ('| a | b |' rows) as in Word, PDF, OpenDocument and web pages; and the
same plan in every format gives the same plan tree."""

from __future__ import annotations

import textwrap
from dataclasses import asdict

import pytest

from index.parse import parse_document, parse_text
from index.readers import formats
from index.readers.base import Document, Line, Table
from index.tables import column_names, read_table
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "documents"
FORMATS = ("docx", "pdf", "odt", "html")
FRONT = "---\noffice: โรงเรียนทดสอบวิทยา\n---\n"


@pytest.fixture(scope="module")
def plans():
    return {fmt: parse_document(formats.read_binary(FIXTURES / f"plan.{fmt}")) for fmt in FORMATS}


def doc(body: str):
    return parse_text(FRONT + textwrap.dedent(body).lstrip("\n"), "test.md")


# --- the generated plan's tables, in every format ------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_indicator_table_rows_become_indicators_with_yearly_targets(plans, fmt):
    section = plans[fmt].section("indicator")
    assert section.heading == "ตัวชี้วัดและค่าเป้าหมาย"
    first, second, third = section.items
    assert (first.number, first.kind, first.path) == ("1", "indicator", "1")
    assert first.text == "ร้อยละของนักเรียนที่มีผลสัมฤทธิ์ทางการเรียนระดับดีขึ้นไป"
    assert first.cells == {
        "ตัวชี้วัด": "ร้อยละของนักเรียนที่มีผลสัมฤทธิ์ทางการเรียนระดับดีขึ้นไป",
        "หน่วยนับ": "ร้อยละ",
        "ค่าเป้าหมาย 2566": "70", "ค่าเป้าหมาย 2567": "72", "ค่าเป้าหมาย 2568": "75",
        "ค่าเป้าหมาย 2569": "78", "ค่าเป้าหมาย 2570": "80",
    }
    assert first.yearly()[2568] == ("ค่าเป้าหมาย 2568", "75")
    assert second.cell("หน่วย") == "โรง" and second.yearly()[2570][1] == "12"
    # Thai digits stay as printed; the year they stand under is understood
    assert third.yearly()[2570] == ("ค่าเป้าหมาย 2570", "๑๐๐")


@pytest.mark.parametrize("fmt", FORMATS)
def test_project_table_rows_become_projects_with_budget_and_owner(plans, fmt):
    section = plans[fmt].section("project")
    assert section.heading == "โครงการตามแผน"
    assert [(i.number, i.text, i.cell("งบประมาณ"), i.cell("ผู้รับผิดชอบ")) for i in section.items] == [
        ("1", "โครงการพัฒนาคุณภาพผู้เรียนสู่ความเป็นเลิศ", "250,000",
         "กลุ่มนิเทศ ติดตามและประเมินผล"),
        ("2", "โครงการส่งเสริมการเรียนรู้ด้วยเทคโนโลยีดิจิทัล", "180,000",
         "กลุ่มส่งเสริมการจัดการศึกษา"),
        ("3", "โครงการพัฒนาครูและบุคลากรทางการศึกษา", "๓๒๐,๐๐๐",
         "กลุ่มพัฒนาครูและบุคลากรทางการศึกษา"),
    ]
    assert not any("table" in w for w in plans[fmt].warnings)


def test_a_table_rows_cells_are_searchable_text(plans):
    project = plans["docx"].section("project").items[2]
    assert project.full_text().split("\n") == [
        "โครงการพัฒนาครูและบุคลากรทางการศึกษา",
        "งบประมาณ (บาท): ๓๒๐,๐๐๐",
        "ผู้รับผิดชอบ: กลุ่มพัฒนาครูและบุคลากรทางการศึกษา",
    ]


def _tree(plan) -> list[dict]:
    """The plan tree without line numbers (a PDF counts its lines otherwise than Word)."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "line"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip([asdict(section) for section in plan.sections])


def test_the_same_plan_gives_the_same_tree_in_every_format(plans):
    """Item texts compared exactly. The normalisation the formats force, all of it done by the
    parser for every format alike: list numbers as numbers (Word's Thai-digit list numbers
    print as Arabic ones in LibreOffice's PDF), lines a PDF wrapped joined again, and line
    numbers (not compared: a PDF counts printed lines)."""
    docx = _tree(plans["docx"])
    assert [s["kind"] for s in docx] == ["vision", "mission", "goal", "strategy", "indicator",
                                         "project"]
    assert sum(1 for s in plans["docx"].sections for _ in s.walk()) == 26
    for fmt in ("pdf", "odt", "html"):
        assert _tree(plans[fmt]) == docx, fmt


# --- tables in text pages --------------------------------------------------------------------


def test_a_markdown_table_in_a_text_page_is_read_as_data():
    plan = doc("""
        ตัวชี้วัด
        | ที่ | ตัวชี้วัด | หน่วยนับ | ค่าเป้าหมาย ๒๕๖๗ | ค่าเป้าหมาย ๒๕๖๘ |
        |---|---|:---:|---:|---:|
        | ๑ | ร้อยละของนักเรียนที่อ่านออกเขียนได้ | ร้อยละ | ๙๐ | ๙๕ |
        | ๒ | จำนวนครูที่ผ่านการอบรม | คน | 120 | 150 |
        """)
    items = plan.section("indicator").items
    assert [(i.number, i.text) for i in items] == [
        ("1", "ร้อยละของนักเรียนที่อ่านออกเขียนได้"), ("2", "จำนวนครูที่ผ่านการอบรม"),
    ]
    assert items[0].yearly() == {2567: ("ค่าเป้าหมาย ๒๕๖๗", "๙๐"),
                                 2568: ("ค่าเป้าหมาย ๒๕๖๘", "๙๕")}
    assert items[1].cell("หน่วยนับ") == "คน"
    assert (items[0].line, items[1].line) == (5, 5)  # the table's first line


def test_pipe_rows_of_one_cell_are_plain_lines():
    plan = doc("""
        | พันธกิจ |
        | 1. จัดการศึกษาให้มีคุณภาพ |
        | 2. พัฒนาครู |
        """)
    assert [(i.number, i.text, i.cells) for i in plan.section("mission").items] == [
        ("1", "จัดการศึกษาให้มีคุณภาพ", {}), ("2", "พัฒนาครู", {}),
    ]


def test_a_row_across_the_table_is_a_heading_its_rows_belong_to():
    rows = [["โครงการ", "งบประมาณ", "ผู้รับผิดชอบ"],
            ["ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน"],
            ["โครงการรักการอ่าน", "20,000", "กลุ่มบริหารวิชาการ"],
            ["ยุทธศาสตร์ที่ 2 พัฒนาครู"],
            ["โครงการครูมืออาชีพ", "35,000", "กลุ่มบริหารงานบุคคล"],
            ["รวม", "55,000", ""]]
    plan = parse_document(Document("p.docx", "docx", {"office": "x"},
                                   [Line("แผนงาน/โครงการ", 1), Table(rows, 2)]))
    issues = plan.section("strategic_issue").items
    assert [(i.number, i.text) for i in issues] == [("1", "พัฒนาคุณภาพผู้เรียน"), ("2", "พัฒนาครู")]
    assert [(c.kind, c.path, c.text, c.cell("งบ")) for c in issues[1].children] == [
        ("project", "ยุทธศาสตร์ 2 / โครงการ 1", "โครงการครูมืออาชีพ", "35,000"),
    ]
    assert plan.section("strategic_issue").intro == ["รวม 55,000"]


def test_a_row_that_crosses_a_page_joins_its_row():
    table = read_table([["ตัวชี้วัด", "หน่วยนับ", "ค่าเป้าหมาย"],
                        ["ร้อยละของผู้เรียนที่มีทักษะการคิด", "ร้อยละ", "80"],
                        ["", "", "(ทุกระดับชั้น)"],
                        ["จำนวนโรงเรียนคุณภาพ", "โรง", "12"]])
    assert [r.text for r in table.rows] == ["ร้อยละของผู้เรียนที่มีทักษะการคิด",
                                            "จำนวนโรงเรียนคุณภาพ"]
    assert table.rows[0].cells["ค่าเป้าหมาย"] == "80 (ทุกระดับชั้น)"


def test_a_table_without_a_header_keeps_its_cells_by_position():
    table = read_table([["1.", "ส่งเสริมการอ่าน", "กลุ่มวิชาการ"],
                        ["2.", "พัฒนาครู", "กลุ่มบุคคล"]])
    assert table.kind is None
    assert [(r.number, r.text, r.cells.get("คอลัมน์ 3")) for r in table.rows] == [
        ("1", "ส่งเสริมการอ่าน", "กลุ่มวิชาการ"), ("2", "พัฒนาครู", "กลุ่มบุคคล"),
    ]


def test_a_heading_naming_an_office_by_its_area_number_is_still_a_heading():
    """"สนองกลยุทธ์ สพป.ลำปาง เขต 1": its "1" made the row data, so the header became
    project 1 and every budget, responsible person and stated strategy was lost."""
    table = read_table([
        ["ที่", "ชื่อโครงการ", "งบประมาณ (บาท)", "สนองกลยุทธ์ สพป.ลำปาง เขต 1", "ไตรมาส 2"],
        ["1", "โครงการส่งเสริมนิสัยรักการอ่าน", "12,000", "2", "6,000"],
        ["2", "โครงการห้องเรียนดิจิทัล", "45,000", "1", "-"]])
    assert [(r.number, r.text, r.cells.get("สนองกลยุทธ์ สพป.ลำปาง เขต 1"), r.cells.get("ไตรมาส 2"))
            for r in table.rows] == [("1", "โครงการส่งเสริมนิสัยรักการอ่าน", "2", "6,000"),
                                     ("2", "โครงการห้องเรียนดิจิทัล", "1", "-")]
    data = read_table([["1", "โครงการ ก", "เขต 1"], ["2", "โครงการ ข", "เขต 2"]])
    assert [r.text for r in data.rows] == ["โครงการ ก", "โครงการ ข"]  # a data row stays data


def test_a_table_under_a_titled_goal_holds_its_indicators():
    plan = parse_document(Document("p.pdf", "pdf", {"office": "x"}, [
        Line("เป้าประสงค์ที่ 1 ผู้เรียนมีคุณภาพ", 1),
        Table([["ตัวชี้วัด", "ค่าเป้าหมาย"], ["ร้อยละของผู้เรียนที่อ่านคล่อง", "85"]], 2),
    ]))
    goal = plan.section("goal").items[0]
    assert [(c.kind, c.path, c.cells) for c in goal.children] == [
        ("indicator", "เป้าประสงค์ 1 / ตัวชี้วัด 1",
         {"ตัวชี้วัด": "ร้อยละของผู้เรียนที่อ่านคล่อง", "ค่าเป้าหมาย": "85"}),
    ]


def test_a_plans_indicator_table_after_its_last_issue_puts_each_row_under_its_issue():
    """"ยุทธศาสตร์ ⇥ ตัวชี้วัด ⇥ หน่วยนับ ⇥ 2567" after "ยุทธศาสตร์ที่ 2": every row was filed
    under issue 2 and numbered by its issue column (two "ข้อ 1"), and "ตัวชี้วัดของ
    ยุทธศาสตร์ที่ 1" said there were none."""
    plan = doc("""
        ยุทธศาสตร์ที่ 1 การจัดการศึกษาเพื่อความปลอดภัย
        ยุทธศาสตร์ที่ 2 การพัฒนาคุณภาพผู้เรียน

        ตัวชี้วัดและค่าเป้าหมาย
        ยุทธศาสตร์\tตัวชี้วัด\tหน่วยนับ\t2567\t2568
        1\tร้อยละของสถานศึกษาที่ผ่านเกณฑ์สถานศึกษาปลอดภัย\tร้อยละ\t70\t80
        1\tจำนวนสถานศึกษาที่มีนักเรียนเกี่ยวข้องกับยาเสพติด\tแห่ง\t50\t40
        2\tร้อยละของนักเรียนชั้น ป.1 ที่อ่านออกเขียนได้\tร้อยละ\t85\t88
        """)
    issues = plan.section("strategic_issue").items
    assert [[(c.path, c.cells["หน่วยนับ"]) for c in issue.children] for issue in issues] == [
        [("ยุทธศาสตร์ 1 / ตัวชี้วัด 1", "ร้อยละ"), ("ยุทธศาสตร์ 1 / ตัวชี้วัด 2", "แห่ง")],
        [("ยุทธศาสตร์ 2 / ตัวชี้วัด 1", "ร้อยละ")]]


def test_an_issue_column_that_writes_ยุทธศาสตร์ที่_puts_each_row_under_that_issue():
    """The same table after the issues' own lines, its issue column saying "ยุทธศาสตร์ที่ 1"
    once per issue (merged down): every row had gone under the last issue opened, and
    "ตัวชี้วัดข้อ 3 อยู่ในยุทธศาสตร์ไหน" answered issue 2 for issue 1's indicator."""
    plan = doc("""
        ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน
        กลยุทธ์ที่ 1.1 ส่งเสริมการอ่าน
        ยุทธศาสตร์ที่ 2 สร้างโอกาสทางการศึกษา
        กลยุทธ์ที่ 2.1 ติดตามเด็กออกกลางคัน

        ตัวชี้วัดและค่าเป้าหมาย
        | ยุทธศาสตร์ | ตัวชี้วัด | 2568 |
        |---|---|---|
        | ยุทธศาสตร์ที่ 1 | ร้อยละของนักเรียนที่อ่านออกเขียนได้ | 85 |
        | | คะแนนเฉลี่ย O-NET | 35 |
        | ยุทธศาสตร์ที่ 2 | จำนวนนักเรียนที่ออกกลางคัน | 15 |
        """)
    issues = plan.section("strategic_issue").items
    assert [[c.path for c in i.children if c.kind == "indicator"] for i in issues] == [
        ["ยุทธศาสตร์ 1 / ตัวชี้วัด 1", "ยุทธศาสตร์ 1 / ตัวชี้วัด 2"],
        ["ยุทธศาสตร์ 2 / ตัวชี้วัด 1"]]


def test_a_table_that_writes_its_issues_out_makes_them_the_plans_issues():
    """"ยุทธศาสตร์ | เป้าประสงค์ | ตัวชี้วัด | ค่าเป้าหมาย …" with the issue cell merged down
    over its rows (read as empty below the first): the rows were indicators alone, two of
    them without their issue, and "ยุทธศาสตร์ที่ 2" was answered with indicator 2."""
    plan = doc("""
        ส่วนที่ 4 ยุทธศาสตร์ เป้าประสงค์ ตัวชี้วัด และค่าเป้าหมาย
        | ยุทธศาสตร์ | เป้าประสงค์ | ตัวชี้วัด | ค่าเป้าหมาย 2568 | ค่าเป้าหมาย 2569 |
        |---|---|---|---|---|
        | ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน | 1.1 ผู้เรียนมีผลสัมฤทธิ์สูงขึ้น | 1. ร้อยละของนักเรียนที่ผ่าน O-NET | 25 | 28 |
        | | | 2. ร้อยละของนักเรียนที่อ่านคล่อง | 80 | 85 |
        | ยุทธศาสตร์ที่ 2 สร้างโอกาสทางการศึกษา | 2.1 ประชากรวัยเรียนได้เรียน | 3. อัตราการออกกลางคัน | 0.50 | 0.40 |
        """)
    issues = plan.section("strategic_issue").items
    assert [(i.number, i.text) for i in issues] == [
        ("1", "พัฒนาคุณภาพผู้เรียน"), ("2", "สร้างโอกาสทางการศึกษา")]
    assert [[(c.path, c.cells.get("เป้าประสงค์")) for c in i.children if c.kind == "indicator"]
            for i in issues] == [
        [("ยุทธศาสตร์ 1 / ตัวชี้วัด 1", "1.1 ผู้เรียนมีผลสัมฤทธิ์สูงขึ้น"),
         ("ยุทธศาสตร์ 1 / ตัวชี้วัด 2", "1.1 ผู้เรียนมีผลสัมฤทธิ์สูงขึ้น")],
        [("ยุทธศาสตร์ 2 / ตัวชี้วัด 3", "2.1 ประชากรวัยเรียนได้เรียน")]]


def test_the_goals_of_an_issues_table_are_the_issues_goals():
    """The goal column of "ยุทธศาสตร์ | เป้าประสงค์ | ตัวชี้วัด …": each goal, merged over the
    rows it heads, is one goal of its issue, before those rows; it had stayed a cell only, and
    "เป้าประสงค์ของ สพม.X" said the plan had none."""
    plan = doc("""
        ส่วนที่ 4 ยุทธศาสตร์ เป้าประสงค์ ตัวชี้วัด และค่าเป้าหมาย
        | ยุทธศาสตร์ | เป้าประสงค์ | ตัวชี้วัด | ค่าเป้าหมาย 2568 |
        |---|---|---|---|
        | ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน | 1.1 ผู้เรียนมีผลสัมฤทธิ์สูงขึ้น | 1. ร้อยละของนักเรียนที่ผ่าน O-NET | 25 |
        | | | 2. ร้อยละของนักเรียนที่อ่านคล่อง | 80 |
        | | 1.2 ผู้เรียนห่างไกลยาเสพติด | 3. ร้อยละของสถานศึกษาสีขาว | 90 |
        | ยุทธศาสตร์ที่ 2 สร้างโอกาสทางการศึกษา | ประชากรวัยเรียนได้เรียนทั่วถึง | 4. อัตราการออกกลางคัน | 0.50 |
        """)
    issues = plan.section("strategic_issue").items
    assert [[(c.kind, c.path, c.text) for c in i.children] for i in issues] == [
        [("goal", "ยุทธศาสตร์ 1 / เป้าประสงค์ 1", "ผู้เรียนมีผลสัมฤทธิ์สูงขึ้น"),
         ("indicator", "ยุทธศาสตร์ 1 / ตัวชี้วัด 1", "ร้อยละของนักเรียนที่ผ่าน O-NET"),
         ("indicator", "ยุทธศาสตร์ 1 / ตัวชี้วัด 2", "ร้อยละของนักเรียนที่อ่านคล่อง"),
         ("goal", "ยุทธศาสตร์ 1 / เป้าประสงค์ 2", "ผู้เรียนห่างไกลยาเสพติด"),
         ("indicator", "ยุทธศาสตร์ 1 / ตัวชี้วัด 3", "ร้อยละของสถานศึกษาสีขาว")],
        [("goal", "ยุทธศาสตร์ 2 / เป้าประสงค์ 1", "ประชากรวัยเรียนได้เรียนทั่วถึง"),
         ("indicator", "ยุทธศาสตร์ 2 / ตัวชี้วัด 4", "อัตราการออกกลางคัน")]]


def test_an_empty_strategy_cell_of_a_project_row_says_nothing_and_a_total_takes_nothing():
    """A project table's strategy columns say what each row serves: an empty cell is the plan
    saying nothing, not the row above's strategy (the bot had cited "ตามที่แผนระบุ" a link
    no plan made), and the total row was given the last project's numbers ("รวม 73,000 2 2")."""
    plan = doc("""
        โครงการ
        | ที่ | โครงการ | งบประมาณ (บาท) | กลยุทธ์โรงเรียน | กลยุทธ์ สพม.ทดสอบ | ผู้รับผิดชอบ |
        |---|---|---|---|---|---|
        | 1 | โครงการห้องสมุดมีชีวิต | 20,000 | 1 | 1 | งานห้องสมุด |
        | 2 | โครงการอบรมครูด้านการวัดผล | 15,000 | 2 | 2 | งานวัดผล |
        | 3 | โครงการจัดงานวันเด็ก | 8,000 | | | งานกิจการนักเรียน |
        | | รวม | 43,000 | | | |
        """)
    section = plan.section("project")
    assert [(i.text, i.cells.get("กลยุทธ์โรงเรียน")) for i in section.items] == [
        ("โครงการห้องสมุดมีชีวิต", "1"), ("โครงการอบรมครูด้านการวัดผล", "2"),
        ("โครงการจัดงานวันเด็ก", None)]
    assert section.intro == ["รวม 43,000"]


def test_a_heading_naming_an_office_by_its_abbreviation_and_number_is_a_heading():
    """"สนองประเด็นกลยุทธ์ สพป.ชม.๓": the office's number is part of its name, not a figure;
    the row had been read as data, every project moved down one under a project "โครงการ",
    and no budget could be found by its column."""
    plan = doc("""
        โครงการ
        | ที่ | โครงการ | งบประมาณ (บาท) | สนองประเด็นกลยุทธ์ สพป.ชม.๓ |
        |---|---|---|---|
        | ๑ | โครงการยกระดับการอ่าน | ๑๒๕,๐๐๐ | ๑ |
        | ๒ | โครงการพัฒนาครู | ๘๐,๐๐๐ | ๒ |
        """)
    items = plan.section("project").items
    assert [(i.text, i.cell("งบประมาณ")) for i in items] == [
        ("โครงการยกระดับการอ่าน", "๑๒๕,๐๐๐"), ("โครงการพัฒนาครู", "๘๐,๐๐๐")]
    assert not plan.warnings


def test_a_table_whose_heading_row_is_not_read_is_said_in_a_warning():
    """A heading row with a figure in it is read as data: the admin is told, at its line."""
    plan = doc("""
        โครงการ
        | ที่ | โครงการ | งบประมาณ 3 ปี |
        | 1 | โครงการยกระดับการอ่าน | 125,000 |
        | 2 | โครงการพัฒนาครู | 80,000 |
        """)
    table_line = FRONT.count("\n") + 2  # under the section's heading
    assert any("without a heading row" in w and f"line {table_line}:" in w for w in plan.warnings)


def test_a_heading_merged_over_year_columns_names_each_of_them():
    """"ค่าเป้าหมาย" over ๒๕๖๘ | ๒๕๖๙ | ๒๕๗๐, read as a full row with empty cells: every year
    column is "ค่าเป้าหมาย …" (it had been the first only, so answers read "ปี 2568
    (ค่าเป้าหมาย ๒๕๖๘): ๘๕" but "ปี 2569: ๙๐"); a heading naming the items is not spread."""
    assert column_names([["ตัวชี้วัด", "หน่วยนับ", "ค่าเป้าหมาย", "", ""],
                         ["", "", "๒๕๖๘", "๒๕๖๙", "๒๕๗๐"]], 5) == [
        "ตัวชี้วัด", "หน่วยนับ", "ค่าเป้าหมาย ๒๕๖๘", "ค่าเป้าหมาย ๒๕๖๙", "ค่าเป้าหมาย ๒๕๗๐"]
    assert column_names([["ที่", "ตัวชี้วัด", "", ""], ["", "", "2568", "2569"]], 4) == [
        "ที่", "ตัวชี้วัด", "2568", "2569"]
