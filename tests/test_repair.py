"""Thai text repair: each damage pattern repaired and counted, clean text left as it is."""

from __future__ import annotations

import pytest

from index.repair import cut_glued_footer, is_page_number, repair, running_lines, swapped_fonts
from tests.conftest import SHARED

DOCUMENTS = SHARED / "documents"


@pytest.mark.parametrize(
    ("damaged", "expected", "kind"),
    [
        ("หน\uf70bา ให\uf70bไว\uf70b", "หน้า ให้ไว้", "pua"),  # tones shifted low
        ("ฝ\uf703กอบรม เป\uf712น ป\uf710จจุบัน", "ฝึกอบรม เป็น ปัจจุบัน", "pua"),
        ("ส\u0e4d\u0e32นักงาน", "สำนักงาน", "sara_am"),  # decomposed SARA AM
        ("น\u0e4d\u0e49\u0e32", "น้ำ", "sara_am"),
        ("ส าคัญ จ านวน ก าหนด", "สำคัญ จำนวน กำหนด", "lost_nikhahit"),
        ("ที่ ก ำหนด", "ที่ กำหนด", "lost_nikhahit"),
        ("ยุทธศาสตร ์", "ยุทธศาสตร์", "space_before_mark"),
        ("เปูาหมาย ปูองกัน", "เป้าหมาย ป้องกัน", "tone_as_vowel"),
        ("กลอ่ง สญัญาณ", "กล่อง สัญญาณ", "mark_shift"),
        ("ผู้น ำ ด้ำนสุขภำพ", "ผู้นำ ด้านสุขภาพ", "aa_am_swap"),
        ("ก า ร พั ฒ น า คุณภาพ", "การพัฒนา คุณภาพ", "letter_spacing"),
    ],
)
def test_repairs_each_pattern_and_counts_it(damaged, expected, kind):
    text, counts = repair(damaged)
    assert text == expected
    assert counts[kind] >= 1


@pytest.mark.parametrize(
    "clean",
    [
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 1",
        "ปูนซีเมนต์ ปู่ย่า ฝูงนก",  # ป ฝ with a real lower vowel
        "1. พัฒนา ส่งเสริม และสนับสนุน ประชากร วัยเรียนทุกคนได้รับการศึกษาอย่างมีคุณภาพ",
        "งบประมาณ 250,000 บาท จำนวน ๓ รายการ",
        "Vision and Mission",
    ],
)
def test_clean_text_passes_unchanged(clean):
    text, counts = repair(clean)
    assert text == clean
    assert not counts


def test_corpus_plans_pass_unchanged():
    from tests.conftest import CORPUS

    for path in sorted(CORPUS.glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        for line in body.splitlines():
            assert repair(line) == (line, {}), f"{path.name}: {line!r}"


def test_aa_am_swap_is_decided_per_font():
    spans = [("THSarabunPSK-Bold", "บำท"), ("THSarabunPSK-Bold", "ด้ำน ผู้น ำ"),
             ("THSarabunPSK-Bold", "ส่วนลดรำคำ"), ("THSarabunPSK", "จำนวน กำหนด บาท")]
    assert swapped_fonts(spans) == {"THSarabunPSK-Bold"}


def test_running_headers_footers_and_page_numbers_are_found():
    items = ["พัฒนาคุณภาพผู้เรียน", "ขยายโอกาส", "พัฒนาครู", "บริหารจัดการ"]
    pages = [
        ["แผนพัฒนาการศึกษา พ.ศ. 2566-2570", f"ข้อ {n} {items[n - 1]}", "เนื้อหา", f"หน้า {n}"]
        for n in range(1, 5)
    ]
    pages[0].insert(1, "แผนพัฒนาการศึกษา พ.ศ. 2566-2570")  # the title under the header
    flat = [line for page in pages for line in page]
    dropped = {flat[i] for i in running_lines(pages)}
    assert "แผนพัฒนาการศึกษา พ.ศ. 2566-2570" in dropped
    assert 1 not in running_lines(pages)  # the page's own title stays
    assert {"หน้า 1", "หน้า 4"} <= dropped
    assert not any(line.startswith("ข้อ") for line in dropped)
    assert is_page_number("- 5 -") and is_page_number("หน้า ๑๒") and not is_page_number("5 ข้อ")


def test_footer_glued_to_the_last_item_is_cut():
    line = "3. บริหารจัดการแบบมีส่วนร่วม © 2566 สพป.แพร่ เขต 1 โทร 0 5451 1234"
    assert cut_glued_footer(line) == "3. บริหารจัดการแบบมีส่วนร่วม"


def test_clean_real_pdf_text_is_unchanged():
    path = DOCUMENTS / "thoeng-project-evaluation-abstract.pdf"
    if not path.exists():
        pytest.skip("shared documents are not beside this clone")
    from index.readers import pdf

    document = pdf.read(path)
    assert not document.repairs
    texts = [line.text for line in document.lines()]
    assert "บทคัดย่อ" in texts
    assert "ชื่อผู้ประเมิน : ว่าที่ร้อยตรี สมฤทธิ์ ไกลถิ่น" in texts


def test_quality_figure_tells_clean_from_damaged_text():
    from index.quality import is_mojibake, unknown_share, warning

    clean = ["1. พัฒนาคุณภาพผู้เรียนทุกระดับทุกประเภท", "2. ขยายโอกาสเข้าถึงบริการการศึกษา"]
    damaged = ["ก่ีขฃฅฆ ฌฒฬ ฮฑฒฌ", "ฎฏฐฑ ฒณ ฬฮฌฆ"]
    assert unknown_share(clean) < 0.05
    assert unknown_share(damaged) > 0.5
    assert warning(unknown_share(clean)) is None
    assert "poor" in warning(unknown_share(damaged))
    assert is_mojibake("Àπâ“ 22 √“™°‘®®“πÿ‡∫°…“ " * 3)
    assert not is_mojibake("วิสัยทัศน์ (VISION) café")
