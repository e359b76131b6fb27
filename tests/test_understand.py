"""Question understanding: which owner, which section kind, which items (bot.understand).

Every case is a `(question, expected)` row written the way a Thai teacher types: abbreviations
with and without dots and spaces, Thai digits, English, and common misspellings.
"""

from __future__ import annotations

import re

import pytest

from bot.reply import State
from bot.understand import ItemRef, OwnerMatcher, understand
from index.text import fold
from tests.conftest import ROOT

PHRAE = "spp-phrae-1"
LAMPANG = "spp-lampang-1"
SPM13 = "spm-13"
PLAN1 = "unidentified-plan-1"
PLAN2 = "unidentified-plan-2"


def _ask(engine, question):
    return understand(question, engine.matcher)


# --- owners ---------------------------------------------------------------------------------

OWNER_CASES = [
    # สพม.13, every way it is written
    ("สพม.13", SPM13),
    ("สพม13", SPM13),
    ("สพม. 13", SPM13),
    ("สพม 13", SPM13),
    ("สพม. เขต 13", SPM13),
    ("สพม.เขต13", SPM13),
    ("สพม เขต ๑๓", SPM13),
    ("สพม.๑๓", SPM13),
    ("SPM13", SPM13),
    ("มัธยม เขต 13", SPM13),
    ("มัธยม 13", SPM13),
    ("วิสัยทัศน์ มัธยม 13", SPM13),
    ("พันธกิจมัธยมศึกษา 13 ครับ", SPM13),
    ("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา เขต 13", SPM13),
    ("secondary area 13", SPM13),
    ("Secondary Area 13 mission", SPM13),
    ("วิสัยทัศน์ของ สพม.13 คืออะไรครับ", SPM13),
    # สพป.แพร่ เขต 1
    ("สพป.แพร่ เขต 1", PHRAE),
    ("สพปแพร่1", PHRAE),
    ("สพป แพร่ 1", PHRAE),
    ("สพป.แพร่ 1", PHRAE),
    ("สพป.แพร่ เขต ๑", PHRAE),
    ("สพป.พร.1", PHRAE),
    ("แพร่ เขต 1", PHRAE),
    ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 1", PHRAE),
    ("Phrae area 1", PHRAE),
    ("vision of Phrae area 1", PHRAE),
    ("Phrae primary area 1", PHRAE),
    # สพป.ลำปาง เขต 1, which calls itself สพป.ลป.1
    ("สพป.ลำปาง เขต 1", LAMPANG),
    ("สพป.ลป.1", LAMPANG),
    ("สพป.ลป. 1", LAMPANG),
    ("สพปลป1", LAMPANG),
    ("สพป ลป 1", LAMPANG),
    ("ลำปาง เขต 1", LAMPANG),
    ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาลำปาง เขต 1", LAMPANG),
    ("Lampang area 1", LAMPANG),
    ("goals Lampang area 1", LAMPANG),
    # the two plans that name no office
    ("แผนไม่ระบุหน่วยงาน 1", PLAN1),
    ("แผนไม่ระบุหน่วยงาน ๑", PLAN1),
    ("แผนไม่ระบุหน่วยงาน 2", PLAN2),
    ("แผนไม่ระบุหน่วยงาน ๒", PLAN2),
    ("แผนไม่ระบุหน่วยงาน2", PLAN2),
    ("แผนไม่ระบุหน่วยงานที่ 1 วิสัยทัศน์", PLAN1),
    ("แผนไม่ระบุ 2 แนวทางการพัฒนา", PLAN2),
]


@pytest.mark.parametrize(("question", "expected"), OWNER_CASES)
def test_owner_is_recognised(engine, question, expected):
    q = _ask(engine, question)
    assert q.owners == [expected]
    assert q.unknown_owner is None


UNKNOWN_OWNER_CASES = [
    # the traps: a prefix or extension of a known name is another office
    ("สพม.1", "1"),
    ("วิสัยทัศน์ สพม.1", "1"),
    ("สพม. เขต 1", "1"),
    ("สพม.14", "14"),
    ("วิสัยทัศน์ มัธยม 14", "14"),
    ("สพม.31", "31"),
    ("สพป.แพร่ เขต 13", "แพร่"),
    ("สพป.แพร่ เขต 2", "แพร่"),
    ("สพป.ลำปาง เขต 2", "ลำปาง"),
    ("สพป.ลำปาง เขต 12", "ลำปาง"),
    # offices and schools that are not in the corpus at all
    ("สพป.เชียงใหม่ เขต 1", "เชียงใหม่"),
    ("วิสัยทัศน์ สพป.เชียงใหม่ เขต 1", "เชียงใหม่"),
    ("สพม.เชียงใหม่", "เชียงใหม่"),
    ("สพม.ชลบุรี", "ชลบุรี"),
    ("สพม.กรุงเทพมหานคร เขต 1", "กรุงเทพ"),
    ("สพม.กรุงเทพ", "กรุงเทพ"),
    ("พันธกิจ สพม.กรุงเทพ", "กรุงเทพ"),
    ("โรงเรียนสวนกุหลาบวิทยาลัย", "สวนกุหลาบ"),
    ("วิสัยทัศน์โรงเรียนสวนกุหลาบวิทยาลัย", "สวนกุหลาบ"),
    ("สพฐ.", "สพฐ"),
    ("สพม.แพร่", "แพร่"),
    ("พันธกิจ สพม.ลำปาง", "ลำปาง"),
    ("วิสัยทัศน์โรงเรียนอนุบาลแพร่", "อนุบาลแพร่"),
    ("วิสัยทัศน์ของ รร.อนุบาลแพร่", "อนุบาลแพร่"),
]


@pytest.mark.parametrize(("question", "expected"), UNKNOWN_OWNER_CASES)
def test_office_not_in_corpus_is_named_not_guessed(engine, question, expected):
    q = _ask(engine, question)
    assert q.owners == []
    assert q.unknown_owner
    assert expected in q.unknown_owner


NO_OWNER_CASES = [
    "วิสัยทัศน์",
    "พันธกิจมีอะไรบ้าง",
    "ข้อ 2",
    "ขวัญกำลังใจ",
    "เผยแพร่ผลงาน",  # แพร่ inside a word is not the province
    "ก่อนประถมศึกษา",  # a plan's words, not an office
    "นักเรียนระดับก่อนประถมศึกษา",
    "โครงการสำหรับนักเรียนชั้นมัธยม 3",  # a grade, not สพม.3
    "กิจกรรมของเด็กมัธยม 1",
    "พรุ่งนี้ฝนตกไหม",
    "",
    "😀😀",
]


@pytest.mark.parametrize("question", NO_OWNER_CASES)
def test_no_owner_named(engine, question):
    q = _ask(engine, question)
    assert q.owners == []
    assert q.unknown_owner is None


# --- section kinds ----------------------------------------------------------------------------

KIND_CASES = [
    ("วิสัยทัศน์", "vision"),
    ("วิสัยทัศ", "vision"),
    ("วิสัยทรรศน์", "vision"),
    ("vision", "vision"),
    ("VISION", "vision"),
    ("พันธกิจ", "mission"),
    ("พันธกิต", "mission"),
    ("พันธะกิจ", "mission"),
    ("mission", "mission"),
    ("missions", "mission"),
    ("เป้าประสงค์", "goal"),
    ("เป้าประสง", "goal"),
    ("เป้าหมาย", "goal"),
    ("goals", "goal"),
    ("objectives", "goal"),
    ("กลยุทธ์", "strategy"),
    ("กลยุทธ", "strategy"),
    ("strategy", "strategy"),
    ("strategies", "strategy"),
    ("ยุทธศาสตร์", "strategic_issue"),
    ("ประเด็นยุทธศาสตร์", "strategic_issue"),
    ("ยุทศาสตร์", "strategic_issue"),
    ("strategic issues", "strategic_issue"),
    ("จุดเน้น", "focus"),
    ("focus", "focus"),
    ("ตัวชี้วัด", "indicator"),
    ("ตัวชี้วัดความสำเร็จ", "indicator"),
    ("เป้าหมายความสำเร็จ", "indicator"),  # not เป้าหมาย (goal) although it contains it
    ("KPI", "indicator"),
    ("indicators", "indicator"),
    ("อัตลักษณ์", "identity"),
    ("เอกลักษณ์", "identity"),
    ("identity", "identity"),
    ("แนวทางการพัฒนา", "guideline"),
    ("แนวทาง", "guideline"),
    ("guidelines", "guideline"),
    ("ติดต่อ", "signature"),
    ("ลงชื่อ", "signature"),
    ("ผู้ลงนาม", "signature"),
    ("ค่านิยม", "values"),
    ("คำขวัญ", "motto"),
    ("ปรัชญา", "philosophy"),
    ("วิสัยทัศ สพม13", "vision"),
    ("secondary area 13 mission", "mission"),
    ("goals Lampang area 1", "goal"),
    ("สพป.แพร่ เขต 1 มีจุดเน้นอะไรบ้าง", "focus"),
]


@pytest.mark.parametrize(("question", "expected"), KIND_CASES)
def test_section_kind_is_recognised(engine, question, expected):
    assert _ask(engine, question).kind == expected


NO_KIND_CASES = ["สพม.13", "สวัสดีครับ", "พรุ่งนี้ฝนตกไหม", "ราคาทองวันนี้", "asdfgh"]


@pytest.mark.parametrize("question", NO_KIND_CASES)
def test_no_section_kind(engine, question):
    assert _ask(engine, question).kind is None


# --- item references ----------------------------------------------------------------------------

def _refs(q):
    return [(r.kind, r.number, r.container) for r in q.refs]


REF_CASES = [
    # a minus names no item: kept, so the reply says there is no such item
    ("กลยุทธ์ที่ -1 สพป.แพร่ เขต 1", [("strategy", "-1", None)]),
    ("ข้อ -2", [(None, "-2", None)]),
    # ข้อ 1 is not ข้อ 11
    ("ข้อ 1", [(None, "1", None)]),
    ("ข้อ 11", [(None, "11", None)]),
    ("แนวทางการพัฒนา ข้อ 1 แผนไม่ระบุหน่วยงาน 2", [("guideline", "1", None)]),
    ("แนวทางการพัฒนา ข้อ 11 แผนไม่ระบุหน่วยงาน 2", [("guideline", "11", None)]),
    ("ข้อ 1 แนวทางการพัฒนา แผนไม่ระบุหน่วยงาน 2", [("guideline", "1", None)]),
    ("ข้อที่ 2", [(None, "2", None)]),
    ("ที่ 3", [(None, "3", None)]),
    ("2", [(None, "2", None)]),
    # chat particles after the number; a misspelt section word before it
    ("2 อ่ะ", [(None, "2", None)]),
    ("กลยุด 3.1 อ่ะ สพป.แพร่ เขต 1", [("strategy", "3.1", None)]),
    # Thai digits
    ("ข้อ ๓", [(None, "3", None)]),
    ("กลยุทธ์ที่ ๓", [("strategy", "3", None)]),
    ("เป้าประสงค์ที่ ๒ ของ สพป.แพร่ เขต ๑", [("goal", "2", None)]),
    # the kind named with the number
    ("กลยุทธ์ที่ 3", [("strategy", "3", None)]),
    ("กลยุทธ์ 3", [("strategy", "3", None)]),
    ("เป้าประสงค์ข้อ 5", [("goal", "5", None)]),
    ("พันธกิจ ที่ 3 สพม.13", [("mission", "3", None)]),
    ("goal 2", [("goal", "2", None)]),
    ("ยุทธศาสตร์ที่ 2", [("strategic_issue", "2", None)]),
    # nested: a strategy inside a strategic issue
    ("กลยุทธ์ที่ 4 ของยุทธศาสตร์ที่ 3", [("strategy", "4", ("strategic_issue", "3"))]),
    ("กลยุทธ์ที่ 4 ยุทธศาสตร์ที่ 3 สพป.ลำปาง เขต 1", [("strategy", "4", ("strategic_issue", "3"))]),
    ("ยุทธศาสตร์ที่ 3 กลยุทธ์ที่ 4", [("strategy", "4", ("strategic_issue", "3"))]),
    ("ยุทธศาสตร์ที่ 3 กลยุทธ์ข้อ 6", [("strategy", "6", ("strategic_issue", "3"))]),
    # sub-items, ordinals
    ("ข้อ 2.2", [(None, "2.2", None)]),
    ("ข้อแรก", [(None, "1", None)]),
    ("ข้อสุดท้าย", [(None, "last", None)]),
    ("กลยุทธ์ที่สองของ สพม.13", [("strategy", "2", None)]),
    ("ข้อที่สาม", [(None, "3", None)]),
    ("mission 3 secondary area 13", [("mission", "3", None)]),
    # ranges and lists
    ("ข้อ 1-3", [(None, "1", None), (None, "2", None), (None, "3", None)]),
    ("ข้อ 1 ถึง 3", [(None, "1", None), (None, "2", None), (None, "3", None)]),
    ("ข้อ 1 และ 3", [(None, "1", None), (None, "3", None)]),
    ("ข้อ 1, 2 และ 4", [(None, "1", None), (None, "2", None), (None, "4", None)]),
    (
        "แนวทางการพัฒนา แผนไม่ระบุหน่วยงาน 2 ข้อ 1 และ 3",
        [("guideline", "1", None), ("guideline", "3", None)],
    ),
]


@pytest.mark.parametrize(("question", "expected"), REF_CASES)
def test_item_reference(engine, question, expected):
    assert _refs(_ask(engine, question)) == expected


NO_REF_CASES = [
    "สพม.13 พันธกิจ",  # the 13 is the office's, not an item
    "สพป.แพร่ เขต 1",
    "แผนไม่ระบุหน่วยงาน 2",
    "ศตวรรษที่ 21",  # a number inside the plan's words
    "ร้อยละ 80",
    "วิสัยทัศน์",
]


@pytest.mark.parametrize("question", NO_REF_CASES)
def test_no_item_reference(engine, question):
    assert _ask(engine, question).refs == []


def test_item_and_owner_together(engine):
    q = _ask(engine, "เป้าประสงค์ข้อ 5 สพป.ลำปาง เขต 1")
    assert (q.owners, q.kind, _refs(q)) == ([LAMPANG], "goal", [("goal", "5", None)])


def test_english_item_with_owner_after_it(engine):
    q = _ask(engine, "goal 2 of Phrae area 1")
    assert (q.owners, q.kind, _refs(q)) == ([PHRAE], "goal", [("goal", "2", None)])


INTENT_CASES = [
    ("สวัสดีครับ", "greeting"),
    ("ขอบคุณค่ะ", "thanks"),
    ("ช่วยเหลือ", "help"),
    ("เลือกเขต", "choose_owner"),
    ("โอเคครับ", "ack"),
    ("555", "ack"),
    ("5555 ขำมาก", "ack"),
    ("👍", "ack"),
    ("อ๋อ เข้าใจแล้วค่ะ", "ack"),
    ("5", None),  # a number: an item, or an entry of the list shown
    ("โอเค แล้วพันธกิจล่ะ", None),  # a question after the "okay"
    ("ข้อต่อไป", "more"),
    ("แผนนี้ของเขตไหน", "whose"),
    ("ขอดูทุกหัวข้อของ สพม.13 แบบเต็ม", "sections"),
    ("ขอดูทั้งแผน", "sections"),
    ("มีแผนทั้งหมดกี่หน่วยงาน", "list_owners"),
    ("บอทมีแผนกี่เขต", "list_owners"),
    ("เป้าประสงค์มีกี่ข้อ", "count"),
    ("แผนนี้เป็นของใคร", "whose"),
    ("เป็นแผนของหน่วยงานใดคะ", "whose"),
    ("ข้อก่อนหน้า", "previous"),
]


@pytest.mark.parametrize(("question", "expected"), INTENT_CASES)
def test_intent(engine, question, expected):
    assert _ask(engine, question).intent == expected


def test_an_area_the_named_office_does_not_have_is_another_office():
    """สพม.ขอนแก่น has no areas: "สพม.ขอนแก่น เขต 2" must not get its answer."""
    from index.names import derive_names
    from index.store import Owner

    names = derive_names("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่น")
    owner = Owner("spm-kk", names.names[0], names.display, names.kind, tuple(names.provinces),
                  names.area, tuple(names.keys), frozenset())
    matcher = OwnerMatcher({"spm-kk": owner})
    assert matcher.find(fold("วิสัยทัศน์ สพม.ขอนแก่น"))[0] == ["spm-kk"]
    owners, unknown, _ = matcher.find(fold("วิสัยทัศน์ สพม.ขอนแก่น เขต 2"))
    assert owners == [] and unknown == "สพม.ขอนแก่น เขต 2"


def _matcher_of(**offices: str) -> OwnerMatcher:
    from index.names import derive_names
    from index.store import Owner

    owners = {}
    for owner_id, office in offices.items():
        names = derive_names(office)
        owners[owner_id] = Owner(owner_id, names.names[0], names.display, names.kind,
                                 tuple(names.provinces), names.area, tuple(names.keys),
                                 frozenset())
    return OwnerMatcher(owners)


@pytest.mark.parametrize(("question", "expected"), [
    ("วิสัยทัศน์ สพป.อุบล 1", ["spp-ubon-1"]),
    ("วิสัยทัศน์ สพป.อุบล1", ["spp-ubon-1"]),
    ("กลยุทธ์ที่ 2 สพป.อุบล เขต 1", ["spp-ubon-1"]),
    ("วิสัยทัศน์ สพป.อุดร 2", ["spp-udon-2"]),
    ("วิสัยทัศน์ สพป.อุบล 2", []),  # no area 2 of อุบลราชธานี is loaded
    ("วิสัยทัศน์ สพม.อุบล 1", []),  # nor a secondary office
    ("วิสัยทัศน์ สพม.อุดร", ["spm-udon"]),  # an office with no area, typed short
    ("วิสัยทัศน์ สพป.อุดร", []),  # every primary office has an area: which one is not said
])
def test_a_place_typed_short_is_the_loaded_office_it_begins(question, expected):
    """"สพป.อุดร 2" for สพป.อุดรธานี เขต 2: teachers cut long province names; the bot had said
    no plan of "สพป.อุดร" was loaded. The bare number after the place is its area, taken
    out of the question with the name (not read as item 2)."""
    matcher = _matcher_of(**{
        "spp-ubon-1": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาอุบลราชธานี เขต 1",
        "spp-udon-2": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาอุดรธานี เขต 2",
        "spm-udon": "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาอุดรธานี"})
    owners, _, rest = matcher.find(fold(question))
    assert owners == expected
    if owners:
        assert not re.search(r"(?<!ที่ )\d", rest)


def test_the_first_n_items(engine):
    question = understand("ขอ 3 ข้อแรกของพันธกิจ แผนไม่ระบุหน่วยงาน 1", engine.matcher)
    assert [r.number for r in question.refs] == ["1", "2", "3"]
    assert question.kind == "mission"


def test_every_rule_has_a_docstring_with_a_thai_example():
    """Rules are read by people adding the next one: each says what it does, with an example."""
    import re

    from bot import dialogue
    from bot.understand import intents, owners, reading

    rules = [*dialogue.RULES, *owners.STRUCTURED_RULES, *reading.REFERENCE_RULES]
    for rule in rules:
        assert rule.__doc__ and re.search(r"[\u0e00-\u0e7f]", rule.__doc__), rule.__name__
    assert all(re.search(r"[\u0e00-\u0e7f]", i.example) for i in intents.INTENTS)
    assert len({r.__name__ for r in rules}) == len(rules)


# --- issue 11: several offices, misspelt names, school words, ordinals, plan questions ----------

SEVERAL_OWNER_CASES = [
    ("เทียบพันธกิจ สพม.13 กับ สพป.แพร่ เขต 1", [[SPM13], [PHRAE]]),
    ("พันธกิจของ สพม.13 และ สพป.แพร่ เขต 1", [[SPM13], [PHRAE]]),
    ("วิสัยทัศน์ สพป.ลำปาง เขต 1 กับ สพม.13", [[LAMPANG], [SPM13]]),
    ("เป้าประสงค์แพร่ เขต 1 เทียบกับลำปาง เขต 1", [[PHRAE], [LAMPANG]]),
    ("วิสัยทัศน์ สพม.13", [[SPM13]]),
]


@pytest.mark.parametrize(("question", "expected"), SEVERAL_OWNER_CASES)
def test_every_office_named_in_the_order_written(engine, question, expected):
    q = _ask(engine, question)
    assert [q.owners, *q.others] == expected


MISSPELT_CASES = [
    ("วิสัยทัศน์ สพป.ลำปัง เขต 1", [LAMPANG]),
    ("ยุทธศาสตร์ ลำปัง เขต 1", [LAMPANG]),
    ("พันธกิจ สพป.แพร เขต 1", [PHRAE]),
    ("พันธกิจของแพรเขต 1", [PHRAE]),
    # a real other area is not a typo of the loaded one
    ("พันธกิจ สพป.ลำปาง เขต 2", []),
    ("กลยุทธ์ สพม.14", []),
]


@pytest.mark.parametrize(("question", "expected"), MISSPELT_CASES)
def test_misspelt_office_is_the_one_loaded_office_that_close(engine, question, expected):
    assert _ask(engine, question).owners == expected


SCHOOL_WORD_CASES = [
    ("โรงเรียนจะทำโครงการรักการอ่าน เข้ากลยุทธ์ข้อไหน", None),
    ("ทางโรงเรียนอยากทำโครงการพัฒนาครู", None),
    ("ครูอยากทำโครงการพัฒนาการอ่าน", None),
    ("โรงเรียนของเราควรส่งเสริมอะไร", None),
    ("วิสัยทัศน์โรงเรียนบ้านนาดีคืออะไร", "โรงเรียนบ้านนาดี"),
    ("พันธกิจ รร.สวนกุหลาบวิทยาลัย", "รร.สวนกุหลาบวิทยาลัย"),
]


@pytest.mark.parametrize(("question", "expected"), SCHOOL_WORD_CASES)
def test_a_school_word_starts_a_question_unless_a_name_follows(engine, question, expected):
    assert _ask(engine, question).unknown_owner == expected


def test_the_asker_is_not_the_topic(engine):
    q = _ask(engine, "ครูสงสัยว่าจุดเน้นด้านผู้เรียนของ สพม.13 มีอะไร")
    assert q.kind == "focus" and "ครู" not in q.terms and "ผู้เรียน" in q.terms
    assert "ครู" in _ask(engine, "การพัฒนาครู").terms


ORDINAL_CASES = [
    ("อันที่ 2", "2"),
    ("เอาอันที่สองค่ะ", "2"),
    ("ข้อแรก", "1"),
    ("อันแรก", "1"),
    ("ข้อสุดท้าย", "last"),
    ("อันสุดท้าย", "last"),
    ("3", "3"),
]


@pytest.mark.parametrize(("question", "expected"), ORDINAL_CASES)
def test_ordinals_name_an_entry(engine, question, expected):
    q = _ask(engine, question)
    assert [r.number for r in q.refs] == [expected] and q.refs[0].kind is None


PLAN_INTENT_CASES = [
    ("มีหัวข้ออะไรบ้าง", "sections"),
    ("สพม.13 มีหัวข้ออะไรบ้าง", "sections"),
    ("สรุปสั้นๆ", "summary"),
    ("สรุปกลยุทธ์ สพม.13", "summary"),
    ("ใครเป็นคนทำแผนนี้", "signer"),
    ("ใครลงนาม", "signer"),
    ("แผนนี้เป็นของปีไหน", "year"),
    ("ยังใช้อยู่ไหม", "year"),
    ("ขอลิงก์ต้นฉบับ", "source"),
    ("ที่มาของข้อมูลนี้คืออะไร", "source"),
    ("เบอร์โทร สพม.13", "contact"),
    ("ติดต่อ", "contact"),
    ("กลยุทธ์ทั้งหมดของทุกเขต", "every_owner"),
    ("ขอทั้งหมด", "all"),
    ("ต่อ", "more"),
    ("ถัดไป", "more"),
    ("ขอดูต่อหน่อยค่ะ", "more"),
    ("มีแผนของหน่วยงานไหนบ้าง", "list_owners"),
    ("มีข้อมูลของเขตไหนบ้างคะ", "list_owners"),
    ("ขอดูแผนทั้งหมดที่มี", "list_owners"),
    ("บอทมีแผนของที่ไหนบ้าง", "list_owners"),
    ("มีแผนของ สพป ไหนบ้างครับ", "list_owners"),
    ("แผนที่มีทั้งหมด", "list_owners"),
    ("Which plans do you have?", "list_owners"),
    ("บอทรู้จักเขตไหนบ้าง", "list_owners"),
    ("เป้าประสงค์มีกี่ข้อ", "count"),
    ("พันธกิจ สพม.13 มีกี่ข้อคะ", "count"),
    ("กลยุทธ์ทั้งหมดกี่ข้อ", "count"),
    ("ยุทธศาสตร์ชาติมีกี่ด้าน", "count"),
    ("how many goals does Phrae area 1 have", "count"),
    ("ใครเป็นผอ.เขต", "director"),
    ("ผู้อำนวยการ สพม.13 ชื่ออะไร", "director"),
    ("ผอ สพป.ลำปาง เขต1 คือใครคะ", "director"),
    ("who is the director of Phrae area 1", "director"),
    ("ตัวอย่างโครงการที่เข้ากับข้อนี้", "projects_under"),
    ("มีโครงการอะไรบ้างภายใต้กลยุทธ์ที่ 2", "projects_under"),
    ("โครงการในกลยุทธ์ข้อ 1 ของ สพม.13 มีอะไรบ้างคะ", "projects_under"),
    ("โครงการรักการอ่านสอดคล้องกับกลยุทธ์ไหน", "align"),
    ("อธิบายเพิ่มหน่อย", "explain"),
    ("ขยายความข้อนี้ค่ะ", "explain"),
    ("หมายความว่าอะไร", "explain"),
    ("ข้อนี้หมายถึงอะไรครับ", "explain"),
    ("explain strategy 2 of spm 13", "explain"),
    # not these: a topic that contains the words
    ("ขยายโอกาสทางการศึกษา", None),
    ("กลยุทธ์การพัฒนาผู้อำนวยการโรงเรียน", None),
    ("ทักษะการติดต่อสื่อสาร", None),
    ("แผนที่มีการอ่าน", None),
    ("กลยุทธ์ที่อยู่ในยุทธศาสตร์ที่ 3", None),
    ("การพัฒนาอย่างต่อเนื่อง", None),
]


@pytest.mark.parametrize(("question", "expected"), PLAN_INTENT_CASES)
def test_plan_question_intent(engine, question, expected):
    assert _ask(engine, question).intent == expected


def test_a_count_question_leaves_no_topic_words(engine):
    q = _ask(engine, "จุดเน้นมีกี่ด้านครับ")
    assert (q.intent, q.kind, q.terms) == ("count", "focus", [])


def _item(path, children=()):
    from index.model import Item
    return Item("goal", path.rsplit(" ", 1)[-1], f"ข้อความ {path}", 1, children=list(children),
                path=path)


@pytest.mark.parametrize(("items", "expected"), [
    ([_item("1"), _item("2"), _item("3")], "เป้าประสงค์ของ สพม.13 มี 3 ข้อค่ะ"),
    ([_item("1", [_item("1.1"), _item("1.2")]), _item("2")],
     "เป้าประสงค์ของ สพม.13 มี 2 ข้อหลัก (รวมข้อย่อยอีก 2 ข้อ) ค่ะ"),
    ([_item("ยุทธศาสตร์ 1 / กลยุทธ์ 1"), _item("ยุทธศาสตร์ 1 / กลยุทธ์ 2"),
      _item("ยุทธศาสตร์ 2 / กลยุทธ์ 1")], "เป้าประสงค์ของ สพม.13 มี 3 ข้อ อยู่ใน 2 ยุทธศาสตร์ค่ะ"),
    ([], "เป้าประสงค์ของ สพม.13 เป็นข้อความต่อเนื่อง ไม่ได้แบ่งเป็นข้อค่ะ"),
])
def test_count_line_counts_the_top_level(items, expected):
    from bot.wording import count_line
    assert count_line("สพม.13", "goal", items) == expected


@pytest.mark.parametrize(("line", "directs_the_office"), [
    ("ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษามัธยมศึกษาแพร่", True),
    ("ผู้อำนวยการโรงเรียนบ้านนาจักร", True),
    ("ผอ.สพป.แพร่ เขต 1", True),
    ("ผู้อำนวยการกลุ่มนโยบายและแผน", False),
    ("รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", False),
    ("ผู้อำนวยการสำนักอำนวยการ", False),
])
def test_director_line_is_the_owner_s_director(line, directs_the_office):
    from bot.dialogue import DIRECTOR_LINE
    assert bool(DIRECTOR_LINE.search(line)) is directs_the_office


NATIONAL_CASES = [
    ("ยุทธศาสตร์ชาติมีกี่ด้าน", "ยุทธศาสตร์ชาติ"),
    ("ยุทธศาสตร์ชาติด้านที่ 3 คืออะไรคะ", "ยุทธศาสตร์ชาติ"),
    ("นโยบาย สพฐ. ปี 2568", "สพฐ."),
    ("นโยบายสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "สพฐ."),
    ("แผนการศึกษาแห่งชาติ", "แผนการศึกษาแห่งชาติ"),
    ("จุดเน้นกระทรวงศึกษาธิการ", "กระทรวงศึกษาธิการ"),
    ("national strategy goals", "ยุทธศาสตร์ชาติ"),
]


@pytest.mark.parametrize(("question", "expected"), NATIONAL_CASES)
def test_plans_above_the_offices_are_owners_by_name(engine, question, expected):
    q = _ask(engine, question)
    assert (q.owners, q.unknown_owner) == ([], expected)


def test_a_national_section_word_is_not_the_office_s_section(engine):
    q = _ask(engine, "ยุทธศาสตร์ชาติด้านที่ 3")
    assert q.kind is None and q.unknown_owner == "ยุทธศาสตร์ชาติ"
    assert _refs(q) == [(None, "3", None)]  # "ด้านที่ 3" names an item, as "ข้อ 3" does
    assert _refs(_ask(engine, "ยุทธศาสตร์ชาติ ด้าน 3")) == [(None, "3", None)]
    assert _ask(engine, "กลยุทธ์ด้านครู").refs == []  # a narrowing word, not an item


@pytest.mark.parametrize(("office", "question"), [
    ("ยุทธศาสตร์ชาติ", "ยุทธศาสตร์ชาติ 20 ปี มีกี่ด้าน"),
    ("สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "กลยุทธ์ สพฐ."),
    ("กระทรวงศึกษาธิการ", "นโยบาย ศธ."),
])
def test_a_loaded_plan_above_is_found_by_any_of_its_names(office, question):
    from index.names import derive_names
    from index.store import Owner

    names = derive_names(office)
    owner = Owner("above", names.names[0], names.display, names.kind, tuple(names.provinces),
                  names.area, tuple(names.keys), frozenset())
    owners, unknown, _ = OwnerMatcher({"above": owner}).find_all(fold(question))
    assert (owners, unknown) == ([["above"]], None)


@pytest.mark.parametrize(("question", "found"), [
    ("วิสัยทัศน์ จังหวัดน่าน", [["peo", "spp"]]),  # both serve น่าน: the bot asks which
    ("พันธกิจ น่าน", [["peo", "spp"]]),
    ("จุดเน้น ศธจ.น่าน", [["peo"]]),
    ("กลยุทธ์ สพป.น่าน เขต 1", [["spp"]]),  # the level named: the area office, not the province's
])
def test_a_provincial_office_is_found_by_its_province(question, found):
    """ศธจ.น่าน's plan was loaded, yet "วิสัยทัศน์ จังหวัดน่าน" said no plan of น่าน is (with
    no area office of น่าน loaded) or gave only the area office."""
    from index.names import derive_names
    from index.store import Owner

    owners = {}
    for owner_id, office in (("peo", "สำนักงานศึกษาธิการจังหวัดน่าน"),
                             ("spp", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาน่าน เขต 1")):
        names = derive_names(office)
        owners[owner_id] = Owner(owner_id, office, names.display, names.kind,
                                 tuple(names.provinces), names.area, tuple(names.keys), frozenset())
    assert OwnerMatcher(owners).find_all(fold(question))[:2] == (found, None)


def test_an_explain_question_leaves_no_topic_words(engine):
    q = _ask(engine, "ขยายความข้อนี้หน่อยค่ะ")
    assert (q.intent, q.kind, q.refs, q.terms) == ("explain", None, [], [])


def test_projects_under_an_item_are_nested_in_it_or_named_by_a_table_column():
    from bot.dialogue import _projects_of
    from index.model import Item

    nested = Item("project", "1", "โครงการห้องสมุด", 1, path="1")
    strategy = Item("strategy", "2", "พัฒนาผู้เรียน", 1, children=[nested], path="2")
    assert _projects_of(strategy, []) == [nested]
    rows = [Item("project", "", "โครงการ ก", 1, cells={"สนองกลยุทธ์": "1, 2"}),
            Item("project", "", "โครงการ ข", 1, cells={"สนองกลยุทธ์": "12"}),
            Item("project", "", "โครงการ ค", 1, cells={"งบประมาณ": "2"})]
    lone = Item("strategy", "2", "พัฒนาผู้เรียน", 1, path="2")
    assert [p.text for p in _projects_of(lone, rows)] == ["โครงการ ก"]


PROJECT_PLAN = """---
office: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาน่าน เขต 2
short: สพป.น่าน เขต 2
---
แผนปฏิบัติการ ประจำปีงบประมาณ พ.ศ. 2568

กลยุทธ์
1. พัฒนาคุณภาพผู้เรียนด้วยการอ่านและการเขียน
2. พัฒนาครูด้วยเทคโนโลยีดิจิทัล

แผนงาน/โครงการ
| โครงการ | สนองกลยุทธ์ | งบประมาณ (บาท) |
|---|---|---|
| โครงการห้องเรียนอ่านคล่อง | 1 | 20,000 |
| โครงการครูดิจิทัล | 2 | 35,000 |
| โครงการนิเทศออนไลน์ | 2 | 8,000 |
"""


def test_projects_a_plan_lists_under_an_item(tmp_path):
    """A project table whose column names the strategy: "โครงการภายใต้กลยุทธ์ที่ 2" lists its
    rows, and "อธิบายเพิ่ม" after strategy 1 names strategy 1's project under the quote."""
    from bot.answer import Engine
    from bot.reply import State
    from index.build import build

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "spp-nan-2.md").write_text(PROJECT_PLAN, encoding="utf-8")
    build(tmp_path / "corpus", tmp_path / "index.db")
    engine = Engine(tmp_path / "index.db")
    reply = engine.answer("มีโครงการอะไรบ้างภายใต้กลยุทธ์ที่ 2 สพป.น่าน เขต 2")
    assert reply.answered and "โครงการครูดิจิทัล" in reply.text and "โครงการนิเทศออนไลน์" in reply.text
    assert "โครงการห้องเรียนอ่านคล่อง" not in reply.text and "พร้อมคัดลอก" not in reply.text
    state = engine.answer("กลยุทธ์ข้อ 1 สพป.น่าน เขต 2", State()).state
    reply = engine.answer("อธิบายเพิ่มหน่อย", state)
    assert "โครงการภายใต้ข้อนี้ในแผน: โครงการห้องเรียนอ่านคล่อง" in reply.text
    assert "โครงการครูดิจิทัล" not in reply.text


NATIONAL_PLAN = """---
office: ยุทธศาสตร์ชาติ
---
ยุทธศาสตร์ชาติ (พ.ศ. 2561 - 2580)

วิสัยทัศน์
ประเทศไทยมีความมั่นคง มั่งคั่ง ยั่งยืน เป็นประเทศพัฒนาแล้ว

ยุทธศาสตร์
1. ด้านความมั่นคง
2. ด้านการสร้างความสามารถในการแข่งขัน
3. ด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์
"""


def test_a_loaded_national_plan_answers_by_any_of_its_names(tmp_path):
    """With ยุทธศาสตร์ชาติ loaded, its names find it (English too), "มีกี่ด้าน" counts its one
    list and "ด้านที่ 3" is item 3 of it, while another office is being discussed."""
    from bot.answer import Engine
    from bot.reply import State
    from index.build import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "national-strategy.md").write_text(NATIONAL_PLAN, encoding="utf-8")
    (corpus / "spm-13.txt").write_text((ROOT / "corpus" / "spm-13.txt").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    build(corpus, tmp_path / "index.db")
    engine = Engine(tmp_path / "index.db")
    assert "ประเทศไทยมีความมั่นคง" in engine.answer("national strategy vision").text
    state = engine.answer("เลือกเขต สพม.13", State()).state
    reply = engine.answer("ยุทธศาสตร์ชาติมีกี่ด้านคะ", state)
    assert "ยุทธศาสตร์ของ ยุทธศาสตร์ชาติ มี 3 ข้อ" in reply.text
    reply = engine.answer("ยุทธศาสตร์ชาติด้านที่ 3", reply.state)
    assert "ด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์" in reply.text
    assert "ด้านความมั่นคง" not in reply.text


@pytest.mark.parametrize(("question", "terms"), [
    ("ความปลอดภัยอยู่ตรงไหน", ["ความปลอดภัย"]),
    ("มีเรื่องความปลอดภัยไหม", ["ความปลอดภัย"]),
    ("เขตไหนมีเรื่องความปลอดภัยบ้าง", ["ความปลอดภัย"]),
    ("ITA อยู่ตรงไหน", ["ita"]),
    ("ศตวรรษที่ 21 มีที่ไหนบ้าง", ["ศตวรรษ"]),
])
def test_asking_words_joined_into_one_token_are_no_topic(engine, question, terms):
    """The tokenizer joins asking words ("มีเรื่อง", "ตรงไหน", "ที่ไหนบ้าง"): such a token is in
    no passage, and taking half the question's weight it kept every passage from answering."""
    assert _ask(engine, question).terms == terms
    assert engine.answer(question, State()).kind == "answer"


def test_a_joined_token_is_filler_only_when_made_of_asking_words():
    from bot.understand.question import is_filler

    assert is_filler("มีเรื่อง") and is_filler("ที่ไหนบ้าง") and is_filler("อยู่ตรงไหน")
    # Frame words alone, or with a topic word, stay words.
    assert not any(is_filler(w) for w in ("อยู่", "ตรง", "เขต", "ความปลอดภัย", "เรื่องเล่า"))


@pytest.mark.parametrize(("question", "kind"), [
    ("ยุทธสาด ที่ 2 ลำปาง", "strategic_issue"),  # spelt as it sounds
    ("กลยุด สพม.13", "strategy"),
    ("เป้าประสง แพร่", "goal"),
    ("วิสัยทัด สพม.13", "vision"),
    ("พันธะกิจ สพม13", "mission"),
    ("ยุทสาด สพม.13", "strategic_issue"),  # four silent letters short of ยุทธศาสตร์
])
def test_a_section_word_spelt_as_it_sounds_is_read(engine, question, kind):
    assert _ask(engine, question).kind == kind


@pytest.mark.parametrize(("question", "kind", "number"), [
    ("ยุทธสาดที่ 2 ลำปาง", "strategic_issue", "2"),  # the slip glued to its ที่
    ("กลยุดที่ 3 สพม.13", "strategy", "3"),
    ("ยุทธสาดที่ ๒ ลำปาง", "strategic_issue", "2"),
])
def test_a_misspelt_section_words_number_is_read(engine, question, kind, number):
    q = _ask(engine, question)
    assert q.kind == kind and [r.number for r in q.refs] == [number]


@pytest.mark.parametrize("question", ["วิทยาศาสตร์การกีฬา", "วิทยุสื่อสาร", "ความปลอดภัย",
                                      "การยึดมั่น", "พันธุกรรม", "ความปลอดภัย ปราจีนบุรีศึกษา",
                                      "วัดยโสธรวิทยา", "บางพระศึกษา"])
def test_real_words_that_sound_alike_are_not_section_words(engine, question):
    """MetaSound gives these the code of วิสัยทัศน์, กลยุทธ์ or พันธกิจ; they are real words."""
    assert _ask(engine, question).kind is None


def test_no_intent_pattern_hangs_on_long_repeats():
    """Every intent's pattern on long runs of the words it repeats: one that tries every
    split of "5555…" (it did: 50 fives took 27 s, holding the GIL) stalls a whole worker.
    Run apart, so a hang fails this test instead of stopping the suite."""
    import subprocess
    import sys

    script = (
        "from bot.understand.intents import INTENTS\n"
        "texts = ['5' * 480 + ' x', '555 ' * 120 + 'x', 'ha' * 240 + 'x', 'อืม' * 160 + 'x',\n"
        "         'ครับ' * 120 + 'x', 'ได้' * 160 + 'x', 'ขอ' * 240 + 'x', 'ก่อน' * 120 + 'x']\n"
        "for intent in INTENTS:\n"
        "    for text in texts:\n"
        "        intent.pattern.search(text)\n"
        "print('done')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.stdout.strip() == "done", done.stderr


LEVEL_ALONE_CASES = [
    ("แล้วของเขตล่ะ", ("spp", "spm")),
    ("กลยุทธ์ระดับเขต", ("spp", "spm")),
    ("ของเขตพื้นที่การศึกษาล่ะ", ("spp", "spm")),
    ("วิสัยทัศน์ของโรงเรียน", ("school",)),
    ("โรงเรียนล่ะ", ("school",)),
    ("ของรร.ล่ะคะ", ("school",)),
    ("พันธกิจของเขตมีอะไรบ้าง", ("spp", "spm")),
    ("แล้วของ สพป. ล่ะ", ("spp",)),
    ("สอดคล้องกับกลยุทธ์ของเขตข้อไหน", ("spp", "spm")),
]
NOT_LEVEL_ALONE = [
    "ผู้อำนวยการเขต",  # a topic
    "โรงเรียนปลอดภัย",
    "การพัฒนาโรงเรียน",
    "เขตการศึกษา",
    "มีข้อมูลของเขตไหนบ้างคะ",  # asks which
    "ทางโรงเรียนอยากทำโครงการรักการอ่าน",  # the asker
    "โครงการรักการอ่านของโรงเรียนสอดคล้องกับกลยุทธ์ไหน",  # the project's school, not a plan
    "วิสัยทัศน์ สพม.13",  # a name
    # a topic's words before it: about schools (or the level), not a school's plan
    "ความปลอดภัยของโรงเรียน",
    "การประกันคุณภาพภายในของสถานศึกษา",
    "ครูของโรงเรียน",
    "การศึกษาระดับประถม",
    "นักเรียนระดับมัธยม",
    "แล้วโครงการความปลอดภัยของโรงเรียนล่ะ",
    "กลยุทธ์ความปลอดภัยของโรงเรียน",
]


@pytest.mark.parametrize(("question", "expected"), LEVEL_ALONE_CASES)
def test_a_plan_named_by_its_level_alone(engine, question, expected):
    q = understand(question, engine.matcher)
    assert (q.level, q.owners, q.unknown_owner) == (expected, [], None)
    assert not {"เขต", "โรงเรียน", "ระดับ"} & set(q.terms)


@pytest.mark.parametrize("question", NOT_LEVEL_ALONE)
def test_a_level_word_that_names_no_plan(engine, question):
    assert understand(question, engine.matcher).level == ()


def test_a_level_with_no_plan_loaded_is_said_to_be_missing(engine):
    """The bundled corpus has no school plan: "วิสัยทัศน์ของโรงเรียน" says so, and does not
    quote an office's vision that mentions schools."""
    reply = engine.answer("วิสัยทัศน์ของโรงเรียน")
    assert reply.kind == "not_in_corpus" and "“โรงเรียน”" in reply.text


def test_a_level_among_several_plans_asks_which_of_that_level(engine):
    """Three area offices have strategies; the plans that name no owner are not offered."""
    reply = engine.answer("กลยุทธ์ระดับเขต")
    assert reply.kind == "which_owner"
    assert all(name in reply.text for name in ("สพป.แพร่ เขต 1", "สพป.ลำปาง เขต 1", "สพม.13"))
    assert "ไม่ระบุ" not in reply.text
    reply = engine.answer("กลยุทธ์ของ สพม.", reply.state)  # one of that level: it
    assert reply.kind == "answer" and reply.state.owner == "spm-13"


@pytest.mark.parametrize("question, refs", [
    ("กลยุทธ์ของประเด็นที่ 1", [ItemRef("strategy", "*", ("strategic_issue", "1"))]),
    ("ประเด็นที่ 2", [ItemRef("strategic_issue", "2")]),
    ("ประเด็น 3", [ItemRef("strategic_issue", "3")]),
])
def test_an_issue_word_alone_with_a_number_is_a_strategic_issue(engine, question, refs):
    """"กลยุทธ์ของประเด็นที่ 1" had listed every strategy of the plan: "ประเด็นที่ 1" was no
    item, so nothing said which issue."""
    assert understand(question, engine.matcher).refs == refs
