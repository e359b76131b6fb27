"""Plans whose own outline numbers their parts ("๑. วิสัยทัศน์" ... "๗. โครงการ"), chapters
titled as sections, "ข้อ 1" items, page numbers pasted with their page, and project tables
that say which strategy each project serves.

Each shape was met in a plan the parser had not seen, where it made up strategies (a focus
list after the last strategic issue read as that issue's strategies), hid a school's projects
(a chapter heading "ส่วนที่ 3 โครงการ...") or read a page number as an item.
"""

from __future__ import annotations

import pytest

from tests.test_parse import doc, kinds, texts

AREA_FRONT = "---\noffice: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 2\n---\n"

OUTLINED = """
๔. ค่านิยมองค์กร
"ทำงานเป็นทีม ยิ้มแย้มบริการ"

๕. ยุทธศาสตร์ เป้าประสงค์ ตัวชี้วัด และกลยุทธ์

ยุทธศาสตร์ที่ ๑ พัฒนาคุณภาพผู้เรียน
กลยุทธ์
๑.๑ ส่งเสริมการจัดการเรียนรู้เชิงรุก
๑.๒ ยกระดับการอ่านออกเขียนได้

ยุทธศาสตร์ที่ ๒ พัฒนาระบบบริหารจัดการ
กลยุทธ์
๒.๑ พัฒนาระบบข้อมูลสารสนเทศ
๒.๒ ส่งเสริมการบริหารแบบมีส่วนร่วม

๖. จุดเน้นการดำเนินงาน ปีงบประมาณ ๒๕๖๘
1. ยกระดับผลสัมฤทธิ์ทางการเรียน O-NET
2. ลดภาระครู คืนครูสู่ห้องเรียน

๗. โครงการตามแผน ปีงบประมาณ ๒๕๖๘
| ที่ | ชื่อโครงการ | ยุทธศาสตร์ | งบประมาณ (บาท) | กลุ่มที่รับผิดชอบ |
| ๑ | โครงการยกระดับผลการทดสอบระดับชาติ | ๑ | ๒๕๐,๐๐๐ | กลุ่มนิเทศ |
| ๒ | โครงการจัดทำแผนปฏิบัติการประจำปี | ๒ | ๔๘,๕๐๐ | กลุ่มนโยบายและแผน |
"""


def _section(plan, kind):
    found = [s for s in plan.sections if s.kind == kind]
    assert len(found) == 1, [(s.kind, s.heading) for s in plan.sections]
    return found[0]


def test_the_plans_next_numbered_part_leaves_the_last_strategic_issue():
    plan = doc(OUTLINED, AREA_FRONT)
    issues = _section(plan, "strategic_issue")
    assert [len(issue.children) for issue in issues.items] == [2, 2]  # no strategy made up
    focus = _section(plan, "focus")
    assert focus.heading == "๖. จุดเน้นการดำเนินงาน ปีงบประมาณ ๒๕๖๘"
    assert texts(focus.items) == ["ยกระดับผลสัมฤทธิ์ทางการเรียน O-NET",
                                  "ลดภาระครู คืนครูสู่ห้องเรียน"]
    assert [item.number for item in focus.items] == ["1", "2"]
    assert not any("repaired" in w for w in plan.warnings)


def test_a_numbered_part_title_naming_sections_is_no_item_of_the_section_before():
    plan = doc(OUTLINED, AREA_FRONT)
    values = _section(plan, "values")
    assert values.items == [] and values.intro == ['"ทำงานเป็นทีม ยิ้มแย้มบริการ"']
    assert any("title line" in w and "๕. ยุทธศาสตร์" in w for w in plan.warnings)


def test_a_project_table_with_a_strategy_column_lists_projects():
    plan = doc(OUTLINED, AREA_FRONT)
    projects = _section(plan, "project")
    assert texts(projects.items) == ["โครงการยกระดับผลการทดสอบระดับชาติ",
                                     "โครงการจัดทำแผนปฏิบัติการประจำปี"]
    assert projects.items[1].cells["ยุทธศาสตร์"] == "๒"
    assert projects.items[1].cells["งบประมาณ (บาท)"] == "๔๘,๕๐๐"


def test_a_numbered_item_inside_an_issue_is_still_its_item():
    """Only the number after the outline's last ('๖.' after '๕.') leaves the issue."""
    plan = doc("""
        ๕. ยุทธศาสตร์และกลยุทธ์

        ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน
        จุดเน้น
        1. จุดเน้นด้านการอ่าน
        2. จุดเน้นด้านคณิตศาสตร์
        """, AREA_FRONT)
    issue = _section(plan, "strategic_issue").items[0]
    assert [(c.kind, c.text) for c in issue.children] == [
        ("focus", "จุดเน้นด้านการอ่าน"), ("focus", "จุดเน้นด้านคณิตศาสตร์")]


def test_a_heading_for_a_year_is_a_heading():
    plan = doc("""
        พันธกิจ
        1. จัดการศึกษาให้มีคุณภาพ

        จุดเน้นการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2568
        1. ลดภาระครู
        2. โรงเรียนปลอดภัย
        """)
    assert kinds(plan) == ["mission", "focus"]
    assert texts(_section(plan, "focus").items) == ["ลดภาระครู", "โรงเรียนปลอดภัย"]


def test_an_item_with_a_figure_is_still_an_item():
    plan = doc("""
        จุดเน้น
        1. จุดเน้นด้านผู้เรียน ร้อยละ 80 อ่านออก
        2. จุดเน้นด้านครู 2568 ทุกคน
        """)
    assert kinds(plan) == ["focus"]
    assert len(_section(plan, "focus").items) == 2


def test_items_written_kho_1_kho_2():
    plan = doc("""
        พันธกิจ :
        ข้อ 1 ส่งเสริมการจัดการศึกษาให้ผู้เรียนมีคุณภาพตามมาตรฐาน
        การศึกษาขั้นพื้นฐาน
        ข้อ 2 ส่งเสริมให้ผู้เรียนได้รับโอกาสทางการศึกษา
        ข้อที่ 3. พัฒนาครูให้เป็นมืออาชีพ
        """)
    mission = _section(plan, "mission")
    assert [item.number for item in mission.items] == ["1", "2", "3"]
    assert mission.items[0].text.startswith("ส่งเสริมการจัดการศึกษา")
    assert mission.items[0].text.endswith("การศึกษาขั้นพื้นฐาน")
    assert texts(mission.items)[1:] == ["ส่งเสริมให้ผู้เรียนได้รับโอกาสทางการศึกษา",
                                        "พัฒนาครูให้เป็นมืออาชีพ"]


def test_page_numbers_pasted_with_their_page_are_dropped_with_a_warning():
    plan = doc("""
        พันธกิจ
        1. จัดการศึกษาให้มีคุณภาพ
        2. ส่งเสริมโอกาสทางการศึกษา

        - 12 -

        3. พัฒนาครู
        หน้า ๑๓
        เป้าประสงค์
        - ผู้เรียนมีคุณภาพ
        """)
    assert texts(_section(plan, "mission").items) == [
        "จัดการศึกษาให้มีคุณภาพ", "ส่งเสริมโอกาสทางการศึกษา", "พัฒนาครู"]
    assert texts(_section(plan, "goal").items) == ["ผู้เรียนมีคุณภาพ"]
    dropped = [w for w in plan.warnings if "page number dropped" in w]
    assert len(dropped) == 2 and "line 8" in dropped[0] and "'- 12 -'" in dropped[0]


def test_a_chapter_titled_as_a_section_is_that_section():
    plan = doc("""
        ส่วนที่ 2 ผลการวิเคราะห์สภาพแวดล้อม
        โรงเรียนตั้งอยู่ในชุมชนเกษตรกรรม

        ส่วนที่ 3 โครงการ/กิจกรรม และงบประมาณ
        | ที่ | โครงการ | งบประมาณ (บาท) |
        |---|---|---|
        | 1 | โครงการส่งเสริมนิสัยรักการอ่าน | 25,000 |
        | 2 | โครงการโรงเรียนคุณธรรม | 15,000 |
        """)
    assert kinds(plan) == ["other", "project"]
    projects = _section(plan, "project")
    assert projects.heading == "ส่วนที่ 3 โครงการ/กิจกรรม และงบประมาณ"
    assert texts(projects.items) == ["โครงการส่งเสริมนิสัยรักการอ่าน", "โครงการโรงเรียนคุณธรรม"]


def test_a_chapter_titled_as_a_section_whose_headings_follow_leaves_no_empty_section():
    plan = doc("""
        ส่วนที่ 4 กลยุทธ์การพัฒนา
        ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน
        กลยุทธ์
        1. ส่งเสริมการเรียนรู้เชิงรุก
        """)
    assert kinds(plan) == ["strategic_issue"]
    assert plan.sections[0].chapter == "ส่วนที่ 4 กลยุทธ์การพัฒนา"
    assert not any("has no" in w for w in plan.warnings)


def test_items_listed_on_one_line_with_their_bullet_mark():
    plan = doc("""
        ค่านิยม
        ❖ ซื่อสัตย์ ❖ รับผิดชอบ ❖ บริการด้วยใจ

        เป้าหมาย
        - ปีการศึกษา 2565 - 2567 ผู้เรียนอ่านออก
        """)
    assert texts(_section(plan, "values").items) == ["ซื่อสัตย์", "รับผิดชอบ", "บริการด้วยใจ"]
    assert len(_section(plan, "goal").items) == 1  # a dash inside a sentence is no bullet


def test_a_section_opened_by_its_first_items_line_has_no_heading_of_its_own():
    """'ยุทธศาสตร์ที่ 1 ...' opens the section of every issue: quoting issue 2 under
    '(หัวข้อในแผน: ยุทธศาสตร์ที่ 1 ...)' named the wrong issue."""
    plan = doc("""
        พันธกิจของสถานศึกษา
        1. จัดการศึกษาให้มีคุณภาพ

        ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน
        ยุทธศาสตร์ที่ 2 พัฒนาครู
        """)
    assert plan.view("strategic_issue").heading == ""
    assert plan.view("mission").heading == "พันธกิจของสถานศึกษา"


def test_a_running_header_pasted_with_its_page_number_is_dropped_with_a_warning():
    """Copied from a PDF, the page's header came between strategy 4 and the indicators and
    was quoted as strategy 4's sub-line."""
    plan = doc("""
        กลยุทธ์
        กลยุทธ์ที่ 4 ส่งเสริมการมีส่วนร่วมของชุมชนและภาคีเครือข่าย

        แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2568                        หน้า 5

        ตัวชี้วัดความสำเร็จ
        1. ร้อยละของนักเรียนที่อ่านออกเขียนได้ ค่าเป้าหมาย ร้อยละ 90
        2. ผู้ปกครองร่วมกิจกรรมของโรงเรียนอย่างน้อยปีละ 2 ครั้ง ดูรายละเอียดหน้า 5
        """)
    strategy = _section(plan, "strategy").items[0]
    assert strategy.body == [] and strategy.text.endswith("ภาคีเครือข่าย")
    assert any("page header dropped" in w and "หน้า 5" in w for w in plan.warnings)
    assert texts(_section(plan, "indicator").items)[1].endswith("ดูรายละเอียดหน้า 5")


def test_a_list_number_alone_on_its_line_is_not_a_page_number():
    plan = doc("""
        พันธกิจ
        (1)
        จัดการศึกษาให้มีคุณภาพ
        (2)
        ส่งเสริมโอกาสทางการศึกษา
        """)
    assert texts(_section(plan, "mission").items) == ["จัดการศึกษาให้มีคุณภาพ",
                                                      "ส่งเสริมโอกาสทางการศึกษา"]
    assert not any("page number" in w for w in plan.warnings)


def test_a_projects_budget_line_under_it_is_not_glued_to_its_name():
    plan = doc("""
        โครงการสำคัญ
        • โครงการแนะแนวสัญจร
          งบประมาณ 85,000 บาท ผู้รับผิดชอบ กลุ่มส่งเสริมการจัดการศึกษา
        • โครงการพัฒนาทักษะการอ่านและการคิดวิเคราะห์ตามแนวทาง PISA ของนักเรียน
          ทุกระดับชั้น

        ตัวชี้วัดความสำเร็จ
        ข้อ 1 ร้อยละของนักเรียนที่มีผลการทดสอบ O-NET ม.3 และ ม.6 เพิ่มขึ้น
           ค่าเป้าหมาย ปี 2565 ร้อยละ 3 ปี 2566 ร้อยละ 4
        """)
    assert texts(_section(plan, "project").items) == [
        "โครงการแนะแนวสัญจร งบประมาณ 85,000 บาท ผู้รับผิดชอบ กลุ่มส่งเสริมการจัดการศึกษา",
        "โครงการพัฒนาทักษะการอ่านและการคิดวิเคราะห์ตามแนวทาง PISA ของนักเรียนทุกระดับชั้น",
    ]
    assert texts(_section(plan, "indicator").items) == [
        "ร้อยละของนักเรียนที่มีผลการทดสอบ O-NET ม.3 และ ม.6 เพิ่มขึ้น "
        "ค่าเป้าหมาย ปี 2565 ร้อยละ 3 ปี 2566 ร้อยละ 4"]


SUMMED_UP = """
กลยุทธ์
1. ยกระดับคุณภาพผู้เรียน
2. ส่งเสริมโอกาสทางการศึกษา

โครงการสำคัญ
• โครงการแนะแนวสัญจร
  งบประมาณ 85,000 บาท ผู้รับผิดชอบ กลุ่มอำนวยการ

สรุปงบประมาณตามกลยุทธ์
กลยุทธ์\tจำนวนโครงการ\tงบประมาณ (บาท)
กลยุทธ์ที่ 1\t1\t320,000
กลยุทธ์ที่ 2\t2\t145,000
รวม\t3\t465,000
"""


def test_a_line_after_a_blank_under_a_short_item_line_is_not_that_items_text():
    plan = doc(SUMMED_UP)
    assert texts(_section(plan, "project").items) == [
        "โครงการแนะแนวสัญจร งบประมาณ 85,000 บาท ผู้รับผิดชอบ กลุ่มอำนวยการ"]


def test_rows_pasted_from_a_spreadsheet_are_a_table():
    plan = doc(SUMMED_UP)
    summary = _section(plan, "other")
    assert summary.heading == "สรุปงบประมาณตามกลยุทธ์"
    assert [item.cells for item in summary.items] == [
        {"กลยุทธ์": "กลยุทธ์ที่ 1", "จำนวนโครงการ": "1", "งบประมาณ (บาท)": "320,000"},
        {"กลยุทธ์": "กลยุทธ์ที่ 2", "จำนวนโครงการ": "2", "งบประมาณ (บาท)": "145,000"}]
    assert summary.intro == ["รวม 3 465,000"]


@pytest.mark.parametrize("table", [
    SUMMED_UP,
    SUMMED_UP.replace("\t", " | ").replace("\nกลยุทธ์ |", "\n| กลยุทธ์ |")
    .replace("\nกลยุทธ์ที่", "\n| กลยุทธ์ที่").replace("\nรวม |", "\n| รวม |")
    .replace(" (บาท)\n", " (บาท) |\n").replace("320,000\n", "320,000 |\n")
    .replace("145,000\n", "145,000 |\n").replace("465,000\n", "465,000 |\n"),
])
def test_a_summary_by_strategy_is_no_second_list_of_strategies(table):
    plan = doc(table)
    assert texts(_section(plan, "strategy").items) == ["ยกระดับคุณภาพผู้เรียน",
                                                       "ส่งเสริมโอกาสทางการศึกษา"]
    assert [s.kind for s in plan.sections] == ["strategy", "project", "other"]


def test_items_with_a_tab_after_their_number_are_no_table():
    plan = doc("พันธกิจ\n1.\tส่งเสริมการเรียนรู้\n2.\tพัฒนาครู\n3.\tบริหารแบบมีส่วนร่วม\n")
    assert texts(_section(plan, "mission").items) == [
        "ส่งเสริมการเรียนรู้", "พัฒนาครู", "บริหารแบบมีส่วนร่วม"]
    plan = doc("วิสัยทัศน์\nโรงเรียนคุณภาพ\tมุ่งพัฒนาผู้เรียน\nสู่มาตรฐานสากล\tอย่างยั่งยืน\n")
    assert [s.kind for s in plan.sections] == ["vision"]  # two cells a line: words apart
    assert plan.sections[0].intro == ["โรงเรียนคุณภาพ มุ่งพัฒนาผู้เรียน",
                                      "สู่มาตรฐานสากล อย่างยั่งยืน"]


TITLED_WITH_SUB_ITEMS = """
ส่วนที่ II ทิศทางการพัฒนาการศึกษา
6. กลยุทธ์ (Strategies)
กลยุทธ์ที่ 1 ส่งเสริมความปลอดภัยของผู้เรียน
    1) พัฒนาระบบความปลอดภัยในสถานศึกษา
    2) ป้องกันและแก้ไขปัญหายาเสพติด
กลยุทธ์ที่ 2 สร้างโอกาสทางการศึกษา
    1) ติดตามเด็กออกกลางคัน
    2) จัดการศึกษาแบบยืดหยุ่น
ส่วนที่ III โครงการ
| ที่ | ชื่อโครงการ | งบประมาณ (บาท) | สนองกลยุทธ์ |
|---|---|---|---|
| 1 | โครงการพาน้องกลับมาเรียน | 85,000 | 2 |
ส่วนที่ IV การติดตามและประเมินผล
ติดตามรอบ 6 เดือน และ 12 เดือน
"""


def test_a_list_under_a_titled_strategy_is_its_own_sub_items():
    """'กลยุทธ์ที่ 1 …' then '1) …' '2) …': strategy 1's 1.1 and 1.2, not strategies 2 and 3
    (which a teacher would cite by the wrong number)."""
    plan = doc(TITLED_WITH_SUB_ITEMS)
    strategies = _section(plan, "strategy").items
    assert [item.number for item in strategies] == ["1", "2"]
    assert [child.number for child in strategies[1].children] == ["2.1", "2.2"]
    assert texts(strategies[1].children) == ["ติดตามเด็กออกกลางคัน", "จัดการศึกษาแบบยืดหยุ่น"]
    assert not any("repaired" in warning for warning in plan.warnings)


def test_chapters_numbered_in_roman_figures_are_chapters():
    plan = doc(TITLED_WITH_SUB_ITEMS)
    projects = _section(plan, "project")
    assert projects.heading == "ส่วนที่ III โครงการ"
    assert texts(projects.items) == ["โครงการพาน้องกลับมาเรียน"]
    assert "ส่วนที่ IV การติดตามและประเมินผล" not in projects.intro
    assert _section(plan, "other").heading == "ส่วนที่ IV การติดตามและประเมินผล"


PROJECT_BLOCKS = """
ส่วนที่ 3 โครงการและกิจกรรม ประจำปีการศึกษา 2568

โครงการที่ 1
ชื่อโครงการ  ส่งเสริมนิสัยรักการอ่าน
ผู้รับผิดชอบ  นางสาวพิมพ์ชนก แก้วมณี (กลุ่มสาระการเรียนรู้ภาษาไทย)
งบประมาณ  95,000 บาท (เงินอุดหนุนรายหัว 60,000 บาท เงินระดมทรัพยากร 35,000 บาท)
สอดคล้องกับกลยุทธ์ สพฐ. ข้อ 3, กลยุทธ์โรงเรียน ข้อ 1

โครงการที่ 2
ชื่อโครงการ  ห้องเรียนคุณภาพและแหล่งเรียนรู้ดิจิทัลเพื่อการเรียนรู้ตลอดชีวิต
ผู้รับผิดชอบ  นายกิตติศักดิ์ บุญมา (กลุ่มบริหารงานทั่วไป)
งบประมาณ  40,000 บาท
"""


def test_a_project_written_as_a_block_of_labelled_lines_is_named_by_its_name_line():
    projects = _section(doc(PROJECT_BLOCKS), "project").items
    assert texts(projects) == ["ส่งเสริมนิสัยรักการอ่าน",
                               "ห้องเรียนคุณภาพและแหล่งเรียนรู้ดิจิทัลเพื่อการเรียนรู้ตลอดชีวิต"]
    assert projects[0].body == [
        "ผู้รับผิดชอบ นางสาวพิมพ์ชนก แก้วมณี (กลุ่มสาระการเรียนรู้ภาษาไทย)",
        "งบประมาณ 95,000 บาท (เงินอุดหนุนรายหัว 60,000 บาท เงินระดมทรัพยากร 35,000 บาท)",
        "สอดคล้องกับกลยุทธ์ สพฐ. ข้อ 3, กลยุทธ์โรงเรียน ข้อ 1"]  # long lines, each its own
    assert projects[1].body[0].startswith("ผู้รับผิดชอบ")


def test_a_lists_total_on_the_line_after_its_last_item_is_no_part_of_that_item():
    plan = doc("""
        โครงการสำคัญ
        1. โครงการน่านอ่านได้ งบประมาณ 450,000 บาท
        2. โครงการประเมินคุณธรรมและความโปร่งใส (ITA) ไม่ใช้งบประมาณ ผู้รับผิดชอบ กลุ่มอำนวยการ
           รวมงบประมาณทั้งสิ้น 450,000 บาท
        """)
    projects = _section(plan, "project")
    assert texts(projects.items)[1].endswith("กลุ่มอำนวยการ")
    assert projects.intro == ["รวมงบประมาณทั้งสิ้น 450,000 บาท"]
    plan = doc("""
        พันธกิจ
        1. ส่งเสริมให้ผู้เรียนทุกคนได้รับการพัฒนาเต็มตามศักยภาพของแต่ละบุคคล
           รวมถึงผู้เรียนที่มีความต้องการพิเศษ 2 กลุ่ม
        """)
    assert texts(_section(plan, "mission").items)[0].endswith("รวมถึงผู้เรียนที่มีความต้องการพิเศษ 2 กลุ่ม")


@pytest.mark.parametrize("numbers", [("1.1", "1.2", "2.1"), ("๑.๑", "๑.๒", "๒.๑")])
def test_a_titled_strategy_numbered_under_its_issue_keeps_its_own_number(numbers):
    """"กลยุทธ์ที่ 2.1 …": the ".1" was read as a separator, so each of issue 2's
    strategies was numbered 2 and its text began "1 …"; the alignment cited "ข้อ 2" (2.2)."""
    plan = doc(f"""
        ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน
        กลยุทธ์ที่ {numbers[0]} ส่งเสริมการอ่าน การเขียน และการคิดคำนวณ
        กลยุทธ์ที่ {numbers[1]} พัฒนาทักษะดิจิทัล
        ยุทธศาสตร์ที่ 2 พัฒนาครู
        กลยุทธ์ที่ {numbers[2]} พัฒนาครูด้วยระบบวิทยฐานะ
        """)
    issues = _section(plan, "strategic_issue").items
    assert [[(c.path, c.text) for c in issue.children] for issue in issues] == [
        [("ยุทธศาสตร์ 1 / กลยุทธ์ 1", "ส่งเสริมการอ่าน การเขียน และการคิดคำนวณ"),
         ("ยุทธศาสตร์ 1 / กลยุทธ์ 2", "พัฒนาทักษะดิจิทัล")],
        [("ยุทธศาสตร์ 2 / กลยุทธ์ 1", "พัฒนาครูด้วยระบบวิทยฐานะ")]]


def test_a_titled_strategy_with_a_dotted_number_outside_an_issue_keeps_it_whole():
    plan = doc("""
        กลยุทธ์
        กลยุทธ์ที่ 1.1 ส่งเสริมการอ่าน
        กลยุทธ์ที่ 1.2 พัฒนาทักษะดิจิทัล
        """)
    assert [(i.number, i.text) for i in _section(plan, "strategy").items] == [
        ("1.1", "ส่งเสริมการอ่าน"), ("1.2", "พัฒนาทักษะดิจิทัล")]


def test_a_wrapped_project_line_naming_an_offices_strategy_is_no_strategy():
    """"…สนองกลยุทธ์ที่ 1 ของโรงเรียน /" over "กลยุทธ์ที่ 1 ของ สพป.แพร่ เขต 1 ผู้รับผิดชอบ …"
    opened a strategy section: the projects became strategies and the plan's 2 were 4."""
    plan = doc("""
        กลยุทธ์
        กลยุทธ์ที่ 1 พัฒนาคุณภาพผู้เรียนด้านการอ่าน
        กลยุทธ์ที่ 2 ปลูกฝังคุณธรรม จริยธรรม

        โครงการ / กิจกรรม
        1. โครงการพัฒนาการอ่านออกเขียนได้ งบประมาณ 12,000 บาท สนองกลยุทธ์ที่ 1 ของโรงเรียน /
        กลยุทธ์ที่ 1 ของ สพป.แพร่ เขต 1 ผู้รับผิดชอบ นางสาวกัญญา คำแสน
        2. โครงการคุณธรรมนำความรู้ งบประมาณ 4,000 บาท สนองกลยุทธ์ที่ 2 ของโรงเรียน
        """)
    assert len(_section(plan, "strategy").items) == 2
    projects = _section(plan, "project").items
    assert len(projects) == 2 and projects[0].text.endswith(
        "/ กลยุทธ์ที่ 1 ของ สพป.แพร่ เขต 1 ผู้รับผิดชอบ นางสาวกัญญา คำแสน")


def test_lines_linking_issues_to_the_national_strategy_are_no_second_list_of_issues():
    plan = doc("""
        ยุทธศาสตร์ที่ 1 การจัดการศึกษาเพื่อความปลอดภัย
        ยุทธศาสตร์ที่ 2 การพัฒนาคุณภาพผู้เรียน

        ความเชื่อมโยงกับยุทธศาสตร์ชาติ
        ยุทธศาสตร์ที่ 1 ของ สพม.ทดสอบ เชื่อมโยงกับยุทธศาสตร์ชาติด้านที่ 1 ด้านความมั่นคง
        ยุทธศาสตร์ที่ 2 ของ สพม.ทดสอบ เชื่อมโยงกับยุทธศาสตร์ชาติด้านที่ 3 ด้านการพัฒนาคน
        """)
    issues = _section(plan, "strategic_issue").items
    assert [(i.number, i.text, i.body) for i in issues] == [
        ("1", "การจัดการศึกษาเพื่อความปลอดภัย", []), ("2", "การพัฒนาคุณภาพผู้เรียน", [])]
    part = next(s for s in plan.sections if s.heading == "ความเชื่อมโยงกับยุทธศาสตร์ชาติ")
    assert part.kind == "other" and part.intro[0].startswith("ยุทธศาสตร์ที่ 1 ของ สพม.ทดสอบ")
    # each line its own statement, not glued on the long one above ("…มั่นคงยุทธศาสตร์ที่ 2")
    assert len(part.intro) == 2 and part.intro[1].startswith("ยุทธศาสตร์ที่ 2 ของ สพม.ทดสอบ")


def test_a_titled_strategy_cut_inside_its_last_words_is_joined():
    """A PDF's hard wrap: "…และการคิด" over "คำนวณ" was a body paragraph "คำนวณ", and the
    alignment quoted the strategy cut short."""
    plan = doc("""
        กลยุทธ์ของโรงเรียน
        กลยุทธ์ที่ 1 พัฒนาคุณภาพผู้เรียนด้านการอ่าน การเขียน และการคิด
        คำนวณ
        กลยุทธ์ที่ 2 ปลูกฝังคุณธรรม จริยธรรม
        ให้ผู้เรียนเป็นคนดี มีวินัย และรับผิดชอบต่อสังคม
        """)
    first, second = _section(plan, "strategy").items
    assert (first.text, first.body) == ("พัฒนาคุณภาพผู้เรียนด้านการอ่าน การเขียน และการคิดคำนวณ", [])
    assert second.body == ["ให้ผู้เรียนเป็นคนดี มีวินัย และรับผิดชอบต่อสังคม"]


def test_an_item_numbered_under_its_issue_keeps_the_number_the_plan_prints():
    """"กลยุทธ์ที่ ๑.๒" of issue 1 is its strategy 2 (path and number), printed "1.2": the bot
    quotes it so, as a teacher copies it; a number the plan prints alone has nothing more."""
    plan = doc("""
        ยุทธศาสตร์ที่ 1 พัฒนาคุณภาพผู้เรียน
        กลยุทธ์ที่ ๑.๑ ส่งเสริมการอ่าน
        กลยุทธ์ที่ ๑.๒ ส่งเสริมการเขียน
        ยุทธศาสตร์ที่ 2 พัฒนาครู
        กลยุทธ์ที่ 3 ลดภาระงานครู
        """)
    children = [c for issue in _section(plan, "strategic_issue").items for c in issue.children]
    assert [(c.path, c.printed) for c in children] == [
        ("ยุทธศาสตร์ 1 / กลยุทธ์ 1", "1.1"), ("ยุทธศาสตร์ 1 / กลยุทธ์ 2", "1.2"),
        ("ยุทธศาสตร์ 2 / กลยุทธ์ 3", "")]


def test_a_heading_tagged_as_the_plans_headings_are_opens_its_own_section():
    """"วัฒนธรรมองค์กร (Organizational Culture)" after the text of "ค่านิยมองค์กร (Core
    Values)", in a chapter: a section of its own holding its slogan. The heading had stayed a
    line of the values, and the slogan, read as a heading of prose, was lost."""
    plan = doc("""
        ส่วนที่ 3 ทิศทางการพัฒนา
        ค่านิยมองค์กร (Core Values)
        “TEAM CM3”
        T = Teamwork ทำงานเป็นทีม

        วัฒนธรรมองค์กร (Organizational Culture)
        “ยิ้มง่าย ไหว้สวย บริการด้วยใจ”

        ประเด็นกลยุทธ์ เป้าประสงค์ ตัวชี้วัด และกลยุทธ์ (Strategic Issues)
        ประเด็นกลยุทธ์ที่ ๑ พัฒนาคุณภาพผู้เรียนให้มีสมรรถนะและคุณลักษณะที่พึงประสงค์ตามหลักสูตร
        """)
    kinds = {s.kind: s for s in plan.sections}
    assert kinds["values"].intro == ["“TEAM CM3”", "T = Teamwork ทำงานเป็นทีม"]
    culture = [s for s in plan.sections if s.heading == "วัฒนธรรมองค์กร"]
    assert [s.intro for s in culture] == [["“ยิ้มง่าย ไหว้สวย บริการด้วยใจ”"]]


def test_an_issue_titled_with_the_plans_own_word_keeps_it():
    """"ประเด็นกลยุทธ์ที่ ๑": the plan's word for its issues, for the line a teacher pastes;
    "ยุทธศาสตร์ที่ 2", the usual word, needs none."""
    plan = doc("""
        ประเด็นกลยุทธ์ที่ ๑ พัฒนาคุณภาพผู้เรียน
        กลยุทธ์ที่ 1 ส่งเสริมการอ่าน
        ยุทธศาสตร์ที่ 2 พัฒนาครู
        กลยุทธ์ที่ 1 พัฒนาครูด้วยระบบวิทยฐานะ
        """)
    assert [i.word for i in _section(plan, "strategic_issue").items] == ["ประเด็นกลยุทธ์", ""]


def test_a_table_of_contents_is_skipped_with_a_warning():
    """"สารบัญ" and its lines ending in page numbers name the plan's parts: read as headings,
    "ส่วนที่ ๓ โครงการ… 9" over "ภาคผนวก 21" had opened a second project section, and every
    project list began with "ภาคผนวก 21"."""
    plan = doc("""
        สารบัญ
        เรื่อง\tหน้า
        ส่วนที่ ๒ ทิศทางการพัฒนาสถานศึกษา\t4
        ส่วนที่ ๓ โครงการ/กิจกรรม ตามแผนปฏิบัติการ\t9
        ภาคผนวก\t21

        ส่วนที่ ๓ โครงการ/กิจกรรม ตามแผนปฏิบัติการ
        1. โครงการห้องสมุดมีชีวิต
        2. โครงการค่ายคุณธรรม
        """)
    projects = [s for s in plan.sections if s.kind == "project"]
    assert [[i.text for i in s.items] for s in projects] == [
        ["โครงการห้องสมุดมีชีวิต", "โครงการค่ายคุณธรรม"]]
    assert not any("ภาคผนวก" in line for s in plan.sections for line in s.intro)
    assert any("table of contents skipped" in w for w in plan.warnings)
