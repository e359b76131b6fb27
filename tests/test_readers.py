"""Readers: real damaged files and generated plans read into lines and tables, or refused."""

from __future__ import annotations

import re
import shutil

import pytest

from index.readers import docx, formats, html, odt, pdf, sidecar
from index.readers.base import ReaderError, Table
from tests.conftest import ROOT, SHARED

DOCUMENTS = SHARED / "documents"
FIXTURES = ROOT / "tests" / "fixtures" / "documents"
OFFICE = "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา เขต 13"


def shared(name: str):
    path = DOCUMENTS / name
    if not path.exists():
        pytest.skip(f"{path} is not beside this clone")
    return path


def with_sidecar(tmp_path, name: str, office: str = "วิทยาลัยเทคนิคเทิง"):
    """A copy of a shared document with a sidecar naming its owner."""
    copy = tmp_path / name
    shutil.copy(shared(name), copy)
    (tmp_path / f"{name}.yaml").write_text(f"office: {office}\nyear: 2568\n", encoding="utf-8")
    return copy


def texts(document) -> list[str]:
    return [line.text for line in document.lines()]


def tables(document) -> list[list[list[str]]]:
    return [block.rows for block in document.blocks if isinstance(block, Table)]


# --- real PDFs -----------------------------------------------------------------------------


def test_pdf_private_use_marks_and_decomposed_sara_am_are_repaired(tmp_path):
    document = pdf.read(with_sidecar(tmp_path, "thoeng-vec-act-2551.pdf"))
    assert document.pages == 24
    assert document.repairs["pua"] > 1000 and document.repairs["sara_am"] > 300
    joined = "\n".join(texts(document))
    assert "\uf70b" not in joined and "\u0e4d\u0e32" not in joined
    lines = texts(document)
    for expected in ("เป็นปีที่ ๖๓ ในรัชกาลปัจจุบัน", "มาตรา ๔ ในพระราชบัญญัตินี้",
                     "“กองทุน” หมายความว่า กองทุนเพื่อพัฒนาการอาชีวศึกษาและการฝึกอบรมวิชาชีพ",
                     "สภานิติบัญญัติแห่งชาติ ดังต่อไปนี้"):
        assert expected in lines
    assert document.meta == {"office": "วิทยาลัยเทคนิคเทิง", "year": "2568", "aliases": []}
    assert document.meta_from == "sidecar thoeng-vec-act-2551.pdf.yaml"


def test_pdf_running_header_is_dropped(tmp_path):
    document = pdf.read(with_sidecar(tmp_path, "thoeng-vec-act-2551.pdf"))
    assert document.repairs["running"] >= 24
    assert not any("ราชกิจจานุเบกษา" in t and "เล่ม" in t for t in texts(document))


def test_pdf_lost_nikhahit_is_repaired(tmp_path):
    document = pdf.read(with_sidecar(tmp_path, "thoeng-vec-standards-2561.pdf"))
    joined = "\n".join(texts(document))
    assert document.repairs["lost_nikhahit"] >= 30
    assert "ส าคัญ" not in joined and "จ านวน" not in joined
    assert "สำหรับการฝึกอบรมวิชาชีพระยะสั้น" in joined


def test_pdf_budget_table_and_font_swapping_aa_for_am():
    document = pdf.read(shared("ktltc-project-budget-2569.pdf"))
    assert document.meta["office"] == "วิทยาลัยเทคนิคกันทรลักษ์"
    assert document.meta_from.startswith("first page")
    assert document.repairs["aa_am_swap"] > 0
    rows = [row for table in tables(document) for row in table]
    assert ["จำนวน", "หน่วย", "บาท", "ส.ต.", "บาท", "ส.ต."] in rows
    assert ["3", "คีมเข้าหัว RJ 45", "2", "อัน", "300", "600"] in rows
    assert ["8", "เครื่องดูดฝุ่นขนาดเล็ก", "1", "เครื่อง", "500", "500"] in rows
    assert "บำท" not in str(rows)


def test_pdf_clean_text_is_not_repaired():
    document = pdf.read(shared("thoeng-project-evaluation-abstract.pdf"))
    assert not document.repairs
    assert ("ปีที่ประเมิน : ปีการศึกษา 2563") in texts(document)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("thoeng-procurement-plan-2568-scan.pdf", ("no text layer", "OCR")),
        ("thoeng-teacher-civil-service-act-2547.pdf", ("mojibake", "legacy")),
    ],
)
def test_scans_and_mojibake_are_refused_by_name(tmp_path, name, words):
    with pytest.raises(ReaderError) as error:
        pdf.read(with_sidecar(tmp_path, name))
    message = str(error.value)
    assert name in message
    for word in words:
        assert word in message


def test_pdf_without_owner_is_refused():
    with pytest.raises(ReaderError) as error:
        pdf.read(shared("thoeng-wage-regulation-2526.pdf"))
    assert "thoeng-wage-regulation-2526.pdf" in str(error.value)
    assert "thoeng-wage-regulation-2526.pdf.yaml" in str(error.value)


# --- real Word files -----------------------------------------------------------------------


def test_docx_automatic_numbering_is_rebuilt():
    document = docx.read(shared("ktltc-project-report-form-2569.docx"))
    lines = texts(document)
    # as Word and LibreOffice print them: a list opened at 4.1 goes on with 5, 6, 7
    for expected in ("3. การเบิกจ่ายงบประมาณ", "4. ผลการดำเนินงานตามตัวชี้วัด",
                     "4.1 ตัวชี้วัดความสำเร็จระดับผลลัพธ์", "5 การติดตามผลการนำความรู้ไปใช้ประโยชน์",
                     "7 ภาพกิจกรรม"):
        assert expected in lines
    assert document.meta["office"] == "วิทยาลัยเทคนิคกันทรลักษ์"
    assert ["ตอบแทน", "ใช้สอย", "วัสดุ", "สาธารณูปโภค", "รวม"] in tables(document)[0]


def test_doc_and_other_formats_are_refused_with_advice():
    with pytest.raises(ReaderError) as error:
        formats.read_binary(shared("ktltc-project-form.doc"))
    assert "ktltc-project-form.doc" in str(error.value)
    assert "save it as .docx or .pdf" in str(error.value)
    for suffix in (".xlsx", ".pptx", ".weird"):
        with pytest.raises(ReaderError, match=r"plan" + re.escape(suffix) + ".*(save|put)"):
            formats.read_binary(f"plan{suffix}")


# --- the same generated plan in every format -----------------------------------------------

GENERATED = ("docx", "pdf", "odt", "html")


@pytest.fixture(scope="module")
def plans():
    return {fmt: formats.read_binary(FIXTURES / f"plan.{fmt}") for fmt in GENERATED}


@pytest.mark.parametrize("fmt", GENERATED)
def test_generated_plan_items_and_owner(plans, fmt):
    document = plans[fmt]
    lines = texts(document)
    assert document.meta["office"] == OFFICE
    assert document.meta_from == f"first page: “{OFFICE}”"
    assert "วิสัยทัศน์" in lines
    assert "3. พัฒนาคุณภาพครูและบุคลากรทางการศึกษา" in lines
    assert "1. พัฒนาคุณภาพผู้เรียนทุกระดับทุกประเภท" in lines
    assert not any("หน้า" in t and len(t) < 10 for t in lines)  # footers gone
    assert "แผนพัฒนาการศึกษา พ.ศ. 2566-2570" in lines[:1]  # the title, not a running header
    assert lines.count("แผนพัฒนาการศึกษา พ.ศ. 2566-2570") == 1


@pytest.mark.parametrize("fmt", GENERATED)
def test_generated_plan_tables_row_by_row(plans, fmt):
    indicators, projects = tables(plans[fmt])
    assert [c for c in indicators[0] if c] == ["ตัวชี้วัด", "หน่วยนับ", "ค่าเป้าหมาย"]
    assert [c for c in indicators[1] if c] == ["2566", "2567", "2568", "2569", "2570"]
    assert indicators[2] == ["ร้อยละของนักเรียนที่มีผลสัมฤทธิ์ทางการเรียนระดับดีขึ้นไป", "ร้อยละ",
                             "70", "72", "75", "78", "80"]
    assert indicators[4][-1] == "๑๐๐"
    assert projects == [
        ["โครงการ", "งบประมาณ (บาท)", "ผู้รับผิดชอบ"],
        ["โครงการพัฒนาคุณภาพผู้เรียนสู่ความเป็นเลิศ", "250,000", "กลุ่มนิเทศ ติดตามและประเมินผล"],
        ["โครงการส่งเสริมการเรียนรู้ด้วยเทคโนโลยีดิจิทัล", "180,000", "กลุ่มส่งเสริมการจัดการศึกษา"],
        ["โครงการพัฒนาครูและบุคลากรทางการศึกษา", "๓๒๐,๐๐๐", "กลุ่มพัฒนาครูและบุคลากรทางการศึกษา"],
    ]


def _stream(document) -> str:
    """The text without spaces or line breaks, Thai digits as Arabic (LibreOffice prints Word's
    Thai list numbers as Arabic ones): what must agree across formats."""
    from pythainlp.util import thai_digit_to_arabic_digit

    return thai_digit_to_arabic_digit(re.sub(r"\s+", "", "".join(texts(document))))


def test_same_plan_gives_the_same_text_in_every_format(plans):
    streams = {fmt: _stream(plans[fmt]) for fmt in GENERATED}
    assert streams["docx"] == streams["html"]
    assert streams["docx"] == streams["odt"]
    assert streams["docx"] == streams["pdf"]


def test_html_drops_menu_banner_sidebar_and_footer(plans):
    joined = "\n".join(texts(plans["html"]))
    for boilerplate in ("เกี่ยวกับเรา", "ข่าวประชาสัมพันธ์", "ลิงก์ที่เกี่ยวข้อง", "©", "โทร 0"):
        assert boilerplate not in joined


def test_html_footer_glued_to_last_item(tmp_path):
    page = tmp_path / "page.htm"
    page.write_bytes(
        "<html><head><meta charset='windows-874'></head><body><h1>โรงเรียนบ้านทุ่ง</h1>"
        "<p>พันธกิจ</p><p>1. จัดการศึกษาแบบมีส่วนร่วม สงวนลิขสิทธิ์ 2566 โรงเรียนบ้านทุ่ง โทร 0 5451 1234</p>"
        "</body></html>".encode("cp874")
    )
    document = html.read(page)
    assert texts(document)[-1] == "1. จัดการศึกษาแบบมีส่วนร่วม"
    assert document.meta["office"] == "โรงเรียนบ้านทุ่ง"
    assert document.repairs["footer"] == 1


def test_odt_merged_cells_are_not_repeated(plans):
    header = tables(plans["odt"])[0][:2]
    assert header == [["ตัวชี้วัด", "หน่วยนับ", "ค่าเป้าหมาย"],
                      ["", "", "2566", "2567", "2568", "2569", "2570"]]
    assert odt.MAX_REPEAT > 0


# --- sidecars -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("office: &a x\nshort: *a\n", "anchors or aliases"),
        ("short: สพม.13\n", "no 'office:'"),
        ("office: x\nyear: next year\n", "'year'"),
        ("office: [a, [b, [c, [d, [e]]]]]\n", "nested too deeply"),
        ("office: x\n  bad: : :\n", "not valid YAML"),
        ("- a list\n", "'key: value'"),
    ],
)
def test_bad_sidecars_are_refused_by_name(tmp_path, content, message):
    path = tmp_path / "plan.pdf.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReaderError) as error:
        sidecar.load(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_oversized_sidecar_is_refused_before_reading(tmp_path):
    path = tmp_path / "plan.pdf.yaml"
    path.write_text("office: x\n" + "#" * sidecar.MAX_SIDECAR_BYTES, encoding="utf-8")
    with pytest.raises(ReaderError, match="larger than"):
        sidecar.load(path)


def test_sidecar_keys(tmp_path):
    path = tmp_path / "plan.pdf.yaml"
    path.write_text("office: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 1\nshort: สพป.แพร่ 1\n"
                    "aliases: [สพป.พร.1]\nyear: 2566-2570\nsource: https://example.go.th/plan.pdf\n"
                    "contact: โทร 0 5451 1234\n", encoding="utf-8")
    meta = sidecar.load(path)
    assert meta["aliases"] == ["สพป.พร.1"] and meta["year"] == "2566-2570"
    assert meta["short"] == "สพป.แพร่ 1" and meta["contact"] == "โทร 0 5451 1234"


def test_a_sidecars_unknown_key_is_a_warning_naming_its_line(tmp_path):
    """A typo in a sidecar ("shrot") would silently lose the short name: warned, with the
    key it was probably meant to be, as in a text plan's front matter."""
    (tmp_path / "plan.pdf.yaml").write_text(
        "office: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 1\nshrot: สพป.แพร่ 1\n",
        encoding="utf-8")
    meta, where, warnings = sidecar.owner(str(tmp_path / "plan.pdf"), [])
    assert where == "sidecar plan.pdf.yaml" and "short" not in meta
    assert warnings == [f"{tmp_path / 'plan.pdf.yaml'} line 2: unknown key 'shrot' in the "
                        "sidecar is ignored (did you mean 'short'?)"]


def test_a_first_page_naming_several_offices_warns_which_was_taken(tmp_path):
    """With no line that is just the name, the most named office is taken; when others are
    named too the admin is told which was taken and how to say otherwise. A line that is
    the name alone is no guess."""
    school = "โรงเรียนบ้านทดสอบ"
    office = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาลำปาง เขต 1"
    page = [f"แผนปฏิบัติการประจำปี 2568 {school}", f"{school} สังกัด{office}",
            f"อนุมัติโดย {office} และ {school}"]
    meta, where, warnings = sidecar.owner(str(tmp_path / "plan.pdf"), page)
    assert meta["office"] == school and where == f"first page: “{school}”"
    assert len(warnings) == 1 and f"“{office}”" in warnings[0]
    assert "plan.pdf.yaml" in warnings[0] and str(tmp_path / "plan.pdf") in warnings[0]
    assert sidecar.owner(str(tmp_path / "plan.pdf"), [school, *page])[2] == []
    assert sidecar.owner(str(tmp_path / "plan.pdf"), page[:1])[2] == []


@pytest.mark.parametrize(("data", "looks_like"), [
    ("---\noffice: สพม.13\n---\nวิสัยทัศน์\n".encode(), "it looks like text"),
    (b"PK\x03\x04" + b"\x00" * 40, "it looks like a Word or OpenDocument file"),
    (bytes(range(256)), "it looks like another kind of file"),
])
def test_a_file_named_pdf_that_is_not_one_says_what_it_looks_like(tmp_path, data, looks_like):
    """A text plan or a Word file renamed .pdf is not 'damaged or password-protected': the
    message says it is not a PDF and what it seems to be."""
    path = tmp_path / "plan.pdf"
    path.write_bytes(data)
    with pytest.raises(ReaderError) as caught:
        pdf.read(path)
    assert caught.value.reason.startswith("not a PDF: ") and looks_like in caught.value.reason
    assert "password" not in caught.value.reason


def test_a_broken_pdf_is_still_said_to_be_damaged(tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<<")
    with pytest.raises(ReaderError) as caught:
        pdf.read(path)
    assert "damaged or password-protected" in caught.value.reason


def test_docx_line_breaks_that_start_list_items_are_lines_of_their_own(tmp_path):
    """"(1) …", "(2) …" typed with Shift+Enter in one Word paragraph were one item; a break
    that only wraps a sentence still joins it with a space."""
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("พันธกิจ")
    listed = document.add_paragraph("(1) จัดการศึกษาให้ผู้เรียนมีความรู้")
    listed.add_run().add_break()
    listed.add_run("(2) สร้างโอกาสทางการศึกษา")
    wrapped = document.add_paragraph("วิสัยทัศน์ สพม.ทดสอบ เป็นองค์กรแห่งคุณภาพ")
    wrapped.add_run().add_break()
    wrapped.add_run("มุ่งสู่มาตรฐานสากล")
    path = tmp_path / "plan.docx"
    document.save(path)
    (tmp_path / "plan.docx.yaml").write_text("office: สพม.ทดสอบ\n", encoding="utf-8")
    lines = [block.text for block in docx.read(path).blocks]
    assert lines == ["พันธกิจ", "(1) จัดการศึกษาให้ผู้เรียนมีความรู้", "(2) สร้างโอกาสทางการศึกษา",
                     "วิสัยทัศน์ สพม.ทดสอบ เป็นองค์กรแห่งคุณภาพ มุ่งสู่มาตรฐานสากล"]
