"""Which strategy fits my project (issue 11): ranking against the bundled plans, the chained
answer over a nested corpus, and the alignment question's reading.

`tests/alignment.yaml` holds project descriptions and the items a careful teacher would cite
from each bundled plan. Top-1: the first item the bot says fits well is one of them (or, where
nothing fits, the bot says no item fits well); top-2: one of the first two is. The floors are
the figures measured when the ranking was written (README, "Which strategy fits my project");
`python -m tests.test_alignment` prints every miss.
"""

from __future__ import annotations

import gc
import shutil
import weakref
from pathlib import Path

import pytest
import yaml

from bot.align import rank
from bot.answer import Engine
from bot.reply import State
from bot.understand import understand
from bot.understand.align import (
    asked_kinds,
    concepts,
    is_alignment,
    mentions,
    project_text,
    purposes,
)
from index.build import build
from index.text import fold

HERE = Path(__file__).resolve().parent
CASES = yaml.safe_load((HERE / "alignment.yaml").read_text(encoding="utf-8"))
#: Written and judged before the ranking was tuned, and never tuned to (own commit).
HELD_OUT = yaml.safe_load((HERE / "alignment_heldout.yaml").read_text(encoding="utf-8"))
NESTED = HERE / "fixtures" / "nested-corpus"

#: Measured on tests/alignment.yaml when the ranking was written (README).
TOP1_FLOOR = 0.77  # measured: 77.3% (102 of 132 question-plan pairs); 76.5% before the project's
TOP2_FLOOR = 0.80  # measured: 80.3% (106 of 132); 78.0% before   purpose verb stopped counting
# as a topic word; 65.9% / 67.4% before issue 11's second pass
HELD_OUT_FLOOR = 0.69  # top-1 and top-2 on the held-out file: 69.2% (36 of 52); 67.3%, 44.2% before


def judge(engine: Engine, case: dict) -> list[tuple[str, list[str], list[str]]]:
    """(owner, items cited, items the bot says fit well, best first) for each plan judged."""
    q = understand(case["q"], engine.matcher)
    kind = (asked_kinds(q.text) or ["strategy"])[0]
    text = q.rest if not q.unknown_owner else q.text
    results = rank(engine.catalog, concepts(project_text(text)), kind, list(case["cite"]),
                   purposes(text))
    said = {r.owner: [f.entry.item.path for f in r.fits if f.offered] for r in results}
    return [(owner, cited, said[owner]) for owner, cited in case["cite"].items()]


def accuracy(engine: Engine, cases: list[dict] = CASES) -> tuple[float, float, list[str]]:
    """(top-1, top-2, misses) over every (question, plan) pair of the cases."""
    top1 = top2 = total = 0
    misses = []
    for case in cases:
        for owner, cited, said in judge(engine, case):
            total += 1
            hit1 = said[:1] == [] if not cited else bool(said[:1]) and said[0] in cited
            hit2 = said == [] if not cited else any(s in cited for s in said[:2])
            top1 += hit1
            top2 += hit2
            if not hit1:
                misses.append(f"{case['q']} | {owner}: cited {cited}, bot {said}")
    return top1 / total, top2 / total, misses


def test_the_bundled_plans_rank_as_a_teacher_would(engine):
    top1, top2, misses = accuracy(engine)
    assert len(CASES) >= 20
    assert top1 >= TOP1_FLOOR, "\n".join(misses)
    assert top2 >= TOP2_FLOOR, "\n".join(misses)


def test_projects_never_tuned_to_rank_as_a_teacher_would(engine):
    top1, top2, misses = accuracy(engine, HELD_OUT)
    assert len(HELD_OUT) >= 10
    assert min(top1, top2) >= HELD_OUT_FLOOR, "\n".join(misses)


def test_a_project_for_a_group_gets_that_groups_item_marked_as_closest(engine):
    reply = engine.answer("ครูอยากทำโครงการพัฒนาทักษะดิจิทัลของนักเรียน กลยุทธ์ข้อไหนของ สพม.13")
    assert reply.answered and reply.owner == "spm-13"
    assert "【สพม.13 · กลยุทธ์ ข้อ 1 · ใกล้เคียงที่สุด】\nพัฒนาคุณภาพผู้เรียนทุกระดับทุกประเภท" in reply.text
    assert "ตรงกับกลุ่มเป้าหมายของโครงการ (นักเรียน) ไม่ได้ตรงกับเรื่องของโครงการ" in reply.text
    assert "ยังไม่พบกลยุทธ์ที่พูดถึงเรื่อง" in reply.text  # said plainly: not by topic


def test_a_plan_of_guidelines_does_not_answer_for_a_project_it_does_not_cover(engine):
    reply = engine.answer("โครงการอาหารกลางวันและส่งเสริมสุขภาพนักเรียน สอดคล้องกับกลยุทธ์ไหนของแผนไม่ระบุหน่วยงาน 2")
    assert not reply.answered and "สนอง" not in reply.text


if __name__ == "__main__":  # python -m tests.test_alignment: the figures and every miss
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "index.db"
        build(HERE.parent / "corpus", db)
        engine = Engine(db)
        for name, cases in (("alignment.yaml", CASES), ("alignment_heldout.yaml", HELD_OUT)):
            top1, top2, misses = accuracy(engine, cases)
            print("\n".join(misses))
            print(f"{name}: top-1 {top1:.1%}  top-2 {top2:.1%}  ({len(cases)} questions)")


# --- reading the question -------------------------------------------------------------------


@pytest.mark.parametrize("question", [
    "โครงการส่งเสริมการอ่าน สอดคล้องกับกลยุทธ์ไหนของ สพป.แพร่ เขต 1",
    "ทางโรงเรียนอยากทำโครงการรักการอ่าน ควรอ้างกลยุทธ์ข้อไหน",
    "กิจกรรมป้องกันยาเสพติด ตอบเป้าประสงค์ข้อไหน",
    "โรงเรียนจะทำโครงการรักการอ่าน เข้ากลยุทธ์ข้อไหน",
    "กลยุทธ์ไหนเหมาะกับโครงการพัฒนาครู",
    "โครงการค่ายคณิตศาสตร์สนองจุดเน้นอะไร",
    "โครงการนี้สอดคล้องกับแผนอย่างไร",
    "which strategy fits a reading project",
])
def test_alignment_questions_are_recognised(question):
    assert is_alignment(fold(question))


@pytest.mark.parametrize("question", [
    "กลยุทธ์ที่ 2 มีโครงการอะไรบ้าง",
    "ความปลอดภัยของนักเรียนอยู่กลยุทธ์ไหน",  # a topic question: searched, not aligned
    "เป้าประสงค์ สอดคล้องกับ วิสัยทัศน์ อย่างไร",
    "การเข้าถึงการศึกษา",
    "งบประมาณโครงการอาหารกลางวันเท่าไร",
    "กลยุทธ์ สพป.แพร่ เขต 1",
])
def test_other_questions_are_not_alignment(question):
    assert not is_alignment(fold(question))


@pytest.mark.parametrize("question, kinds", [
    ("โครงการรักการอ่าน สอดคล้องกับกลยุทธ์ไหน", ["strategy"]),
    ("กิจกรรมนี้ตอบเป้าประสงค์ข้อไหน", ["goal"]),
    ("โครงการนี้สนองจุดเน้นข้อใด", ["focus"]),
    ("โครงการนี้สนองยุทธศาสตร์ชาติด้านไหน", ["strategic_issue"]),
    ("โครงการนี้สอดคล้องกับนโยบายอะไร", ["policy"]),
    ("โครงการพัฒนาหลักสูตรตามวิสัยทัศน์ใหม่ เข้ากลยุทธ์ไหน", ["strategy"]),
])
def test_the_kind_asked_is_the_one_next_to_the_question_words(question, kinds):
    assert asked_kinds(fold(question)) == kinds


@pytest.mark.parametrize("question, topic", [
    ("ทางโรงเรียนอยากทำโครงการส่งเสริมการอ่าน ควรอ้างกลยุทธ์ข้อไหน", {"การอ่าน"}),
    ("ครูอยากทำวิจัยในชั้นเรียน ควรอ้างกลยุทธ์ไหน", {"วิจัยในชั้นเรียน"}),
    ("กลยุทธ์ไหนเหมาะกับโครงการพัฒนาครูด้านการวัดและประเมินผล",
     {"ครู", "การวัดและประเมินผล"}),
    # a long LINE message: its topic is the project's clause, not "ผอ", "รบกวน", "ขอบคุณ"
    ("ครับผม ตอนนี้กำลังทำแผนปฏิบัติการของโรงเรียนปีงบประมาณ 2568 อยู่ครับ ผอ.ให้เขียน"
     "โครงการพัฒนาครูด้านการใช้เทคโนโลยีดิจิทัลในการจัดการเรียนรู้ และต้องเขียนความสอดคล้อง"
     "กับกลยุทธ์ของ สพฐ. ให้ครบ รบกวนช่วยบอกหน่อยครับว่าควรเขียนว่าสอดคล้องกับข้อไหนบ้าง "
     "ขอบคุณมากครับ", {"ครู", "เทคโนโลยีดิจิทัล", "การจัดการเรียนรู้"}),
    # grades and money are no topic: a lone "ม" and "งบ" made nothing fit well
    ("ครูจะทำโครงการค่ายภาษาอังกฤษให้นักเรียน ม.1-ม.3 งบ 20,000 บาท สอดคล้องกับกลยุทธ์ไหน",
     {"นักเรียน", "ค่าย", "ภาษาอังกฤษ"}),
    ("โครงการส่งเสริมการอ่านชั้น ป.4-6 สอดคล้องกับกลยุทธ์ไหน", {"การอ่าน"}),
    # of two "โครงการ" clauses, the one naming the project ("เขียนโครงการเพื่อเสนอของบ…" is
    # the errand); "ม.ต้น" is a grade
    ("สวัสดีค่ะ พอดีครูกำลังเขียนโครงการเพื่อเสนอของบประมาณปี 2568 ค่ะ เป็นโครงการค่าย"
     "ภาษาอังกฤษสำหรับนักเรียน ม.ต้น ค่ะ อยากทราบว่าควรเขียนความสอดคล้องกับ"
     "กลยุทธ์ของโรงเรียนว่าข้อไหนบ้างคะ", {"นักเรียน", "ค่าย", "ภาษาอังกฤษ"}),
])
def test_only_the_topic_is_left_once_the_frame_is_taken_out(question, topic):
    assert {c.said for c in concepts(project_text(fold(question)))} == topic


def test_a_synonym_in_the_plan_counts_as_the_projects_word(engine):
    reply = engine.answer("โครงการพัฒนาบุคลากรด้านการวัดผล สอดคล้องกับกลยุทธ์ไหนของ สพป.ลำปาง เขต 1")
    assert "โดยเฉพาะด้านการวัดและประเมินผลและทักษะในการสื่อสารของครู" in reply.text


# --- answers on the bundled plans -----------------------------------------------------------


def test_a_named_plan_gets_its_item_with_the_line_to_paste(engine):
    reply = engine.answer("โครงการส่งเสริมการอ่าน สอดคล้องกับกลยุทธ์ไหนของ สพป.แพร่ เขต 1")
    assert reply.answered and reply.owner == "spp-phrae-1"
    assert "การพัฒนาคุณภาพผู้เรียนในระดับการศึกษาขั้นพื้นฐาน" in reply.text
    assert "สนองกลยุทธ์ สพป.แพร่ เขต 1 ข้อ 1" in reply.text
    assert "สพม.13" not in reply.text  # only the plan named


def test_nothing_fitting_is_said_plainly(engine):
    reply = engine.answer("โครงการซ่อมแซมหลังคาอาคารเรียน สอดคล้องกับกลยุทธ์ไหน")
    assert not reply.answered
    assert "ยังไม่พบกลยุทธ์" in reply.text and "สนอง" not in reply.text


def test_a_school_word_starting_the_question_is_the_asker(engine):
    reply = engine.answer("โรงเรียนจะทำโครงการรักการอ่าน เข้ากลยุทธ์ข้อไหน")
    assert reply.answered and "ยังไม่มีแผนของ" not in reply.text
    assert "พัฒนาคุณภาพผู้เรียนทุกระดับทุกประเภท" in reply.text


def test_the_school_of_the_asker_with_its_plans_year_is_no_office_not_loaded(engine):
    """"…แผนปฏิบัติการของโรงเรียนปีงบประมาณ 2568…" read "โรงเรียนปีงบประมาณ" as a school that
    is not loaded, and the alignment question was answered with a section instead."""
    reply = engine.answer("กำลังทำแผนปฏิบัติการของโรงเรียนปีงบประมาณ 2568 ครับ โครงการรักการอ่าน"
                          " สอดคล้องกับกลยุทธ์ไหนของ สพม.13")
    assert reply.answered and "ยังไม่มีแผนของ" not in reply.text
    assert "สนองกลยุทธ์ สพม.13" in reply.text


def test_an_office_that_is_not_loaded_is_not_answered_by_another(engine):
    reply = engine.answer("โครงการรักการอ่าน สอดคล้องกับกลยุทธ์ไหนของ สพป.เชียงใหม่ เขต 1")
    assert reply.kind == "not_in_corpus"


def test_a_question_without_a_topic_asks_for_one(engine):
    reply = engine.answer("โครงการนี้สอดคล้องกับกลยุทธ์ไหน")
    assert not reply.answered and "เกี่ยวกับเรื่องอะไร" in reply.text


# --- plans above plans: the nested test corpus ----------------------------------------------


@pytest.fixture(scope="module")
def nested(tmp_path_factory):
    """An engine over tests/fixtures/nested-corpus (school -> area -> OBEC -> national)."""
    db = tmp_path_factory.mktemp("nested") / "index.db"
    build(NESTED, db)
    return Engine(db)


def test_parents_are_resolved_by_any_name(nested):
    parents = {o: nested.owners[o].parent for o in nested.owners}
    assert parents == {"school": "area-office", "area-office": "obec",
                       "obec": "national-strategy", "national-strategy": None}


def test_a_school_teacher_gets_every_level_in_one_reply(nested):
    state = nested.answer("เลือกเขต บ้านดอยงาม").state
    reply = nested.answer("ทางโรงเรียนอยากทำโครงการรักการอ่าน ควรอ้างกลยุทธ์ข้อไหน", state)
    text = reply.text
    for quoted in ("ส่งเสริมนิสัยรักการอ่านและห้องสมุดมีชีวิต",
                   "พัฒนาคุณภาพผู้เรียนให้อ่านออก เขียนได้ และรักการอ่าน",
                   "ยกระดับคุณภาพผู้เรียนให้มีทักษะการอ่าน การเขียน",
                   "ยุทธศาสตร์ชาติด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์"):
        assert quoted in text
    assert ("สนองกลยุทธ์ โรงเรียนบ้านดอยงามวิทยา ข้อ 2, กลยุทธ์ สพป.น่าน เขต 3 ข้อ 2, "
            "กลยุทธ์ สพฐ. ข้อ 2, ยุทธศาสตร์ ยุทธศาสตร์ชาติ ข้อ 3") in text
    assert text.index("บ้านดอยงาม") < text.index("สพป.น่าน") < text.index("สพฐ.")
    assert reply.state.owner == "school"  # the teacher's own plan stays the one discussed


def test_the_chain_says_which_levels_have_nothing_that_fits(nested):
    state = nested.answer("เลือกเขต บ้านดอยงาม").state
    reply = nested.answer("โครงการพัฒนาครูด้วยชุมชนแห่งการเรียนรู้ สอดคล้องกับกลยุทธ์ไหน", state)
    assert "สนองกลยุทธ์ โรงเรียนบ้านดอยงามวิทยา ข้อ 3" in reply.text
    assert "ยุทธศาสตร์ชาติ: ไม่มียุทธศาสตร์ที่สอดคล้องชัดเจน" in reply.text


def _talk(engine, *questions):
    """Ask in turn, in one conversation; the replies."""
    state, replies = None, []
    for question in questions:
        reply = engine.answer(question, state)
        state = reply.state
        replies.append(reply)
    return replies


def test_alignment_follow_ups_move_along_the_chain_with_the_project(nested):
    """One project, then each level by its level word or name, then another project: each
    answer weighs the same project, in the plan the follow-up names."""
    first, area, obec, national, fire, area_again = _talk(
        nested,
        "โครงการรักการอ่านของโรงเรียนบ้านดอยงามวิทยา สอดคล้องกับกลยุทธ์ไหน",
        "แล้วของเขตล่ะ",
        "แล้วกลยุทธ์ของ สพฐ.ล่ะ",
        "แล้วสอดคล้องกับยุทธศาสตร์ชาติข้อไหน",
        "แล้วโครงการซ้อมหนีไฟล่ะ",
        "แล้วของเขตล่ะ",
    )
    assert "สนองกลยุทธ์ โรงเรียนบ้านดอยงามวิทยา ข้อ 2" in first.text
    assert "สนองกลยุทธ์ สพป.น่าน เขต 3 ข้อ 2" in area.text and "“รักการอ่าน”" in area.text
    assert "สนองกลยุทธ์ สพฐ. ข้อ 2" in obec.text and "บ้านดอยงาม" not in obec.text
    assert national.text.startswith("ยุทธศาสตร์ที่สอดคล้อง")  # the national plan's own word
    assert "สนองยุทธศาสตร์ ยุทธศาสตร์ชาติ ข้อ 3" in national.text
    # another project, the same question (the national strategy): safety, not learning
    assert "“ซ้อมหนีไฟ”" in fire.text and "สนองยุทธศาสตร์ ยุทธศาสตร์ชาติ ข้อ 1" in fire.text
    # the area office has no safety strategy: said so, naming the plan weighed
    assert not area_again.answered
    assert "ในแผนของ สพป.น่าน เขต 3 ที่สอดคล้องกับโครงการเรื่อง “ซ้อมหนีไฟ”" in area_again.text


def test_a_new_alignment_question_is_not_taken_for_a_list(nested):
    """Owner and section named without แล้ว…ล่ะ after an alignment answer: the list."""
    _, listed = _talk(nested, "โครงการรักการอ่านของโรงเรียนบ้านดอยงามวิทยา สอดคล้องกับกลยุทธ์ไหน",
                      "กลยุทธ์ สพฐ.")
    assert "สนอง" not in listed.text and "4. เพิ่มประสิทธิภาพการบริหารจัดการศึกษา" in listed.text


def test_level_words_name_the_plan_of_that_level_in_the_conversation(nested):
    """"แล้วของเขตล่ะ" after a school's plan is its area office's; "แล้วของโรงเรียนล่ะ"
    after OBEC's is the school under it; "กลยุทธ์ระดับเขต" with one area office is it."""
    school, area, obec, back = _talk(nested, "กลยุทธ์ โรงเรียนบ้านดอยงามวิทยา", "แล้วของเขตล่ะ",
                                     "กลยุทธ์ของ สพฐ.", "แล้วของโรงเรียนล่ะ")
    assert area.state.owner == "area-office" and area.section == "strategy"
    assert "พัฒนาคุณภาพผู้เรียนให้อ่านออก เขียนได้ และรักการอ่าน" in area.text
    assert back.state.owner == "school" and back.section == "strategy"
    assert "3. พัฒนาครูด้วยชุมชนแห่งการเรียนรู้ทางวิชาชีพ" in back.text
    (alone,) = _talk(nested, "กลยุทธ์ระดับเขต")
    assert alone.state.owner == "area-office"


def test_an_unknown_parent_is_a_warning_naming_the_file(tmp_path):
    from index.build import check

    for path in NESTED.iterdir():
        shutil.copy(path, tmp_path / path.name)
    orphan = tmp_path / "orphan.txt"
    orphan.write_text("---\noffice: โรงเรียนบ้านไกลสุด\nparent: สพป.แอตแลนติส\n---\n"
                      "กลยุทธ์\n1. ส่งเสริมการอ่าน\n", encoding="utf-8")
    _, warnings = check(tmp_path)
    assert [w for w in warnings if "parent" in w] == [
        f"{orphan}: parent 'สพป.แอตแลนติส' is not the name of any plan in the corpus "
        "(write its office:, short: or file name)"]


def test_index_show_names_the_parent(tmp_path):
    from click.testing import CliRunner

    from index.cli import cli

    db = tmp_path / "index.db"
    build(NESTED, db)
    result = CliRunner().invoke(cli, ["show", "บ้านดอยงาม", "--db", str(db)])
    assert result.exit_code == 0 and "parent: area-office" in result.output


def test_a_parent_that_is_not_text_is_refused_with_its_line(tmp_path):
    from index.parse import PlanParseError, parse_file

    bad = tmp_path / "bad.txt"
    bad.write_text("---\noffice: โรงเรียนบ้านนา\nparent: [a, b]\n---\nกลยุทธ์\n1. x\n",
                   encoding="utf-8")
    with pytest.raises(PlanParseError, match="line 3: 'parent' must be the name"):
        parse_file(bad)


def test_an_index_left_behind_by_a_reload_is_freed(index_db):
    """The per-index cache of items must not keep an old index alive: after the last reference
    to an engine goes (a rebuilt index replaces it), its catalog is collected."""
    old = Engine(index_db)
    assert rank(old.catalog, concepts("รักการอ่าน"), "strategy", None)  # fills the cache
    catalog = weakref.ref(old.catalog)
    del old
    gc.collect()
    assert catalog() is None


def test_the_purpose_verb_chooses_but_is_not_a_topic_word(engine):
    """"ลด" of "ลดความเหลื่อมล้ำ" says what the project does: an item about widening access
    that does not say ลด fits well, not partly."""
    reply = engine.answer("ทางโรงเรียนจะทำโครงการลดความเหลื่อมล้ำ ควรอ้างกลยุทธ์ข้อไหนของแพร่เขต1")
    assert reply.answered and "สนองกลยุทธ์ สพป.แพร่ เขต 1 ข้อ 1" in reply.text
    assert "ตรงเพียงบางส่วน" not in reply.text and "“ความเหลื่อมล้ำ”" in reply.text


def test_purpose_words_are_marked_and_topic_words_are_not():
    from bot.understand.align import concepts
    from index.text import fold
    found = {c.said: c.purpose for c in concepts(fold("ลดความเหลื่อมล้ำ ป้องกันยาเสพติด"))}
    assert found == {"ความเหลื่อมล้ำ": False, "ยาเสพติด": False, "ลด": True}


def test_items_from_offices_side_by_side_get_a_line_to_paste_per_office(engine):
    """No office named or discussed: the items come from several offices, and a teacher cites
    only their own office's, so each office gets its own line (a chain of plans keeps one)."""
    reply = engine.answer("โครงการรักการอ่านสอดคล้องกับกลยุทธ์ไหน")
    owners = list(dict.fromkeys(s["owner"] for s in reply.sources))
    assert len(owners) > 1
    lines = [line for line in reply.text.splitlines() if line.startswith("• สนอง")]
    assert len(lines) == len(owners)
    for owner, line in zip(owners, lines, strict=True):
        others = [engine.catalog.display(o) for o in owners if o != owner]
        assert engine.catalog.display(owner) in line and not any(o in line for o in others)


def test_suggested_examples_work_and_differ_for_plans_of_one_section(nested):
    """The national strategy has one section: its two examples were once the same question."""
    from bot.reply import State
    from bot.wording import example_questions

    for owner in nested.catalog.order:
        first, second = example_questions(nested.catalog, owner)
        assert first != second, owner
        for question in (first, second):
            reply = nested.answer(question, State())
            assert reply.owner == owner and reply.kind in ("answer", "owner_chosen"), question


def test_the_topic_echoed_back_has_no_pieces_of_the_question_words(engine):
    """"…ไหนคะ" after the section word was read off segmented as "ไห" and "นคะ", which the
    reply echoed as the project's topic."""
    reply = engine.answer("โครงการห้องสมุดมีชีวิตสอดคล้องกับกลยุทธ์ไหนคะ")
    echoed = reply.text.split("“", 1)[1].split("”", 1)[0]
    assert echoed == "ห้องสมุด, มีชีวิต"


def test_another_section_no_plan_has_is_said_and_answered_from_the_nearest(nested):
    """"เป้าประสงค์ล่ะ" where no plan in the chain has goals: said, then the nearest items,
    each under its own section's name."""
    _, goals = _talk(nested, "โครงการห้องสมุดมีชีวิต สอดคล้องกับกลยุทธ์ไหนคะ", "เป้าประสงค์ล่ะ")
    assert goals.text.startswith("แผนที่ค้นไม่มีหัวข้อ “เป้าประสงค์”")
    assert "\nข้อที่สอดคล้องกับโครงการ" in goals.text
    assert "【โรงเรียนบ้านดอยงามวิทยา · กลยุทธ์ ข้อ 2】" in goals.text


def test_a_project_named_after_a_school_stays_a_project(nested):
    """"โครงการโรงเรียนปลอดภัย": a project's name, not an office; the level named after the
    section is the plan, and a follow-up project so named keeps the conversation."""
    area, obec, moral = _talk(nested, "โครงการโรงเรียนปลอดภัยสอดคล้องกับกลยุทธ์ไหนของเขต",
                              "แล้วของ สพฐ. ล่ะ", "แล้วโครงการโรงเรียนคุณธรรมล่ะ")
    assert "ในแผนของ สพป.น่าน เขต 3 ที่สอดคล้อง" in area.text  # the area has no safety item
    assert "สนองกลยุทธ์ สพฐ. ข้อ 1" in obec.text
    assert moral.kind in ("answer", "dont_know") and "สพฐ." in moral.text
    assert "กับโครงการเรื่อง “" in moral.text  # still an alignment answer, not a search hit


def test_item_number_after_an_alignment_answer_is_the_plans_number(engine):
    """The answer shows goals 1 and 3: "ข้อ 2" is goal 2 of that plan, "อันที่ 2" the second
    shown (goal 3), "ข้อ 3" goal 3."""
    question = "โครงการ ส่งเสริมการอ่าน สอดคล้องกับเป้าประสงค์ไหนของ สพม.13"
    shown, by_number = _talk(engine, question, "ข้อ 2")
    assert "เป้าประสงค์ ข้อ 1】" in shown.text and "เป้าประสงค์ ข้อ 3】" in shown.text
    assert "2. ประชากรวัยเรียนทุกคนได้รับโอกาส" in by_number.text
    _, by_place = _talk(engine, question, "อันที่ 2")
    assert "3. ครูจัดการศึกษาเต็มศักยภาพ" in by_place.text
    _, three = _talk(engine, question, "ข้อ 3")
    assert "3. ครูจัดการศึกษาเต็มศักยภาพ" in three.text


def test_a_plan_without_the_section_quotes_the_one_it_has_in_its_place(nested, engine):
    """"กลยุทธ์ของยุทธศาสตร์ชาติ": the national strategy has ยุทธศาสตร์ only; said, then those
    quoted (by number too), still logged as a section the plan lacks."""
    whole, second, obec = _talk(nested, "กลยุทธ์ของยุทธศาสตร์ชาติ", "กลยุทธ์ที่ 2 ของยุทธศาสตร์ชาติ",
                                "ยุทธศาสตร์ สพฐ.")
    assert whole.text.startswith("แผนของ ยุทธศาสตร์ชาติ ไม่มีหัวข้อ “กลยุทธ์”")
    assert "3. ยุทธศาสตร์ชาติด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์" in whole.text
    assert whole.kind == "section_absent" and not whole.answered
    assert "2. ยุทธศาสตร์ชาติด้าน" in second.text and "3. ยุทธศาสตร์ชาติด้าน" not in second.text
    assert "ไม่มีหัวข้อ “ยุทธศาสตร์”" in obec.text and "4. เพิ่มประสิทธิภาพการบริหาร" in obec.text
    (absent,) = _talk(engine, "พันธกิจ สพป.ลำปาง เขต 1")  # no stand-in: said, nothing quoted
    assert absent.kind == "section_absent" and "1." not in absent.text


def test_where_it_came_from_after_nothing_fits_says_nothing_was_quoted(engine):
    """No item quoted (no closest either): "ที่มาของข้อมูลนี้" says so and where it looked,
    rather than naming a section as the source of a quote that was never given."""
    nothing, source = _talk(engine, "โครงการหุ่นยนต์ สอดคล้องกับเป้าประสงค์ไหนของ สพม.13",
                            "ที่มาของข้อมูลนี้")
    assert not nothing.answered and "【" not in nothing.text
    assert source.text.startswith("คำตอบก่อนหน้าไม่ได้ยกข้อความจากแผนใด")
    assert "แผนที่ค้น: สพม.13" in source.text and "หัวข้อ:" not in source.text


def test_plans_found_across_every_plan_are_cited_in_chain_order(nested):
    """No plan chosen: the plans found are the school and plans above it, shown (and put on
    one paste line) school first, as a proposal cites them, not by how well each fits."""
    (reply,) = _talk(nested, "โครงการโรงเรียนปลอดภัย สอดคล้องกับกลยุทธ์ไหน")
    text = reply.text
    assert text.index("【โรงเรียนบ้านดอยงามวิทยา") < text.index("【สพฐ.") < text.index("【ยุทธศาสตร์ชาติ")
    assert "พร้อมคัดลอก: สนองกลยุทธ์ โรงเรียนบ้านดอยงามวิทยา ข้อ 1, กลยุทธ์ สพฐ. ข้อ 1" in text


def test_a_level_word_meaning_several_plans_asks_which_then_aligns(engine):
    """Every plan weighed, then "แล้วของเขตล่ะ": three area offices, so the bot asks which
    (it does not weigh them all, nor take the first as the teacher's); the office chosen gets
    the same project aligned."""
    _, which, chosen = _talk(engine, "โครงการส่งเสริมการอ่าน สอดคล้องกับกลยุทธ์ไหน",
                             "แล้วของเขตล่ะ", "สพป.แพร่ เขต 1")
    assert which.kind == "which_owner" and "【" not in which.text
    assert "สนองกลยุทธ์ สพป.แพร่ เขต 1 ข้อ 1" in chosen.text and "“การอ่าน”" in chosen.text
    assert "สพม.13" not in chosen.text


def test_the_missing_section_note_only_when_no_plan_weighed_has_it(nested):
    """Policies asked in the chain: OBEC's plan has นโยบาย, so no "no plan has นโยบาย" note,
    whatever the items offered."""
    _, policy = _talk(nested, "กลยุทธ์ โรงเรียนบ้านดอยงามวิทยา",
                      "โครงการพัฒนาระบบสารสนเทศ สอดคล้องกับนโยบายข้อไหน")
    assert "แผนที่ค้นไม่มีหัวข้อ" not in policy.text


# --- the plan's own word: a project table that says which strategy each project serves --------

STATED_PLAN = """---
office: โรงเรียนบ้านทดสอบสนอง
short: รร.บ้านทดสอบสนอง
---
กลยุทธ์ของสถานศึกษา
กลยุทธ์ที่ 1 ยกระดับคุณภาพผู้เรียนตามหลักสูตรและส่งเสริมทักษะการอ่าน การเขียน
กลยุทธ์ที่ 2 ปลูกฝังคุณธรรม ความเป็นไทย และวิถีชีวิตตามหลักปรัชญาของเศรษฐกิจพอเพียง
กลยุทธ์ที่ 3 พัฒนาครูและบุคลากรทางการศึกษาให้มีสมรรถนะตามมาตรฐานวิชาชีพ
กลยุทธ์ที่ 4 พัฒนาระบบบริหารจัดการและสภาพแวดล้อมให้เอื้อต่อการเรียนรู้

โครงการ/กิจกรรม และงบประมาณ
| ที่ | โครงการ/กิจกรรม | สนองกลยุทธ์ | งบประมาณ (บาท) |
|---|---|---|---|
| 1 | โครงการปรับปรุงภูมิทัศน์และห้องน้ำนักเรียน | 4 | 150,000 |
| 2 | โครงการทัศนศึกษาแหล่งเรียนรู้ | 1, 2 | 82,000 |
| 3 | โครงการพัฒนาครูสู่มืออาชีพ | 9 | 20,000 |
"""


@pytest.fixture(scope="module")
def stated(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("stated")
    (folder / "corpus").mkdir()
    (folder / "corpus" / "school.txt").write_text(STATED_PLAN, encoding="utf-8")
    build(folder / "corpus", folder / "index.db")
    return Engine(folder / "index.db")


def test_the_strategy_the_plans_project_table_names_is_the_answer(stated):
    """Word-fitting found no strategy about a landscape; the plan's table says 4."""
    reply = stated.answer("โครงการปรับปรุงภูมิทัศน์ รร.บ้านทดสอบสนอง สอดคล้องกับกลยุทธ์ไหน",
                          State())
    assert reply.kind == "answer" and reply.items == ["4"]
    assert "กลยุทธ์ ข้อ 4 · ตามที่แผนระบุ" in reply.text
    assert "ระบุไว้เอง: โครงการปรับปรุงภูมิทัศน์และห้องน้ำนักเรียน · สนองกลยุทธ์: 4" in reply.text
    assert "พร้อมคัดลอก: สนองกลยุทธ์ รร.บ้านทดสอบสนอง ข้อ 4" in reply.text


def test_every_strategy_a_project_row_names_is_cited(stated):
    reply = stated.answer("โครงการทัศนศึกษา รร.บ้านทดสอบสนอง สนองกลยุทธ์ข้อไหน", State())
    assert [s["item"] for s in reply.sources] == ["1", "2"]
    assert "สนองกลยุทธ์ รร.บ้านทดสอบสนอง ข้อ 1, กลยุทธ์ รร.บ้านทดสอบสนอง ข้อ 2" in reply.text


def test_a_row_naming_a_strategy_the_plan_lacks_is_weighed_as_usual(stated):
    """"สนองกลยุทธ์ 9" in a plan of 4 strategies: a misprint, not a citation; the fit decides."""
    reply = stated.answer("โครงการพัฒนาครูสู่มืออาชีพ รร.บ้านทดสอบสนอง สอดคล้องกับกลยุทธ์ไหน",
                          State())
    assert "ตามที่แผนระบุ" not in reply.text and "ระบุไว้เอง" not in reply.text
    assert reply.items == ["3"]


def test_a_project_of_a_school_not_loaded_is_weighed_in_the_plan_named(nested):
    """The teacher's own school has no plan here, the plan asked about has: its item, and a
    word that the school's plan was not weighed. It had quoted every strategy of สพฐ."""
    reply = nested.answer("โครงการส่งเสริมการอ่านของ รร.บ้านสวนทดสอบ สอดคล้องกับกลยุทธ์ไหน"
                          "ของ สพฐ.", State())
    assert [(s["owner"], s["item"]) for s in reply.sources] == [("obec", "2")]
    assert "ยังไม่มีแผนของ “รร.บ้านสวนทดสอบ”" in reply.text
    alone = nested.answer("โครงการส่งเสริมการอ่านของ รร.บ้านสวนทดสอบ สอดคล้องกับกลยุทธ์ไหน",
                          State())
    assert alone.kind == "not_in_corpus"  # no plan named to weigh instead


def test_a_level_asked_about_after_the_fit_word_is_no_topic_word(nested):
    """"…สอดคล้องกับกลยุทธ์ไหนของเขตและ สพฐ.": เขต names the plans asked about; it had been a
    topic word that no strategy held ("ครู, plc, เขต"), and the area level went unsaid."""
    assert "เขต" not in project_text(fold("โครงการพัฒนาครูด้วย PLC สอดคล้องกับกลยุทธ์ไหนของเขตและ"))
    reply = nested.answer("โครงการพัฒนาครูด้วย PLC สอดคล้องกับกลยุทธ์ไหนของเขตและ สพฐ.", State())
    assert "“ครู, plc”" in reply.text and reply.items == ["3"]
    assert "ยังไม่ทราบว่าเป็นเขตไหน" in reply.text
    assert "เขต" in project_text(fold("โครงการพัฒนาโรงเรียนของเขตพื้นที่สูง สอดคล้องกับกลยุทธ์ไหน"))
    # "กลยุทธ์โรงเรียนข้อไหน": the school's strategies are asked about; โรงเรียน is no topic
    assert "โรงเรียน" not in project_text(fold("โครงการพัฒนาครูด้วย PLC สนองกลยุทธ์โรงเรียนข้อไหน"))
    assert "โรงเรียน" not in project_text(fold("โครงการพัฒนาครูด้วย PLC สนอง โรงเรียนข้อไหน"))
    assert "โรงเรียน" in project_text(fold("โครงการโรงเรียนสีขาว สนองกลยุทธ์ข้อไหน"))
    abbreviated = nested.answer("โครงการส่งเสริมการอ่าน สอดคล้องกับกลยุทธ์ไหนของ สพป. และ สพฐ.",
                                State())
    assert "ยังไม่ทราบว่าเป็น สพป. ไหน" in abbreviated.text  # not "เป็นสพปไหน"


TIED_PLAN = """---
office: สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาทดสอบเสมอ
short: สพม.ทดสอบเสมอ
---
กลยุทธ์
1. ลดภาระงานครูที่ไม่เกี่ยวข้องกับการจัดการเรียนรู้
2. พัฒนาครูด้วยระบบการพัฒนาวิชาชีพที่เชื่อมโยงกับวิทยฐานะ
"""


def test_of_two_items_that_fit_alike_the_one_doing_what_the_project_does_comes_first(tmp_path):
    """Both strategies are about teachers and neither names PLC: the one that develops
    (พัฒนา, as the project does) comes first; the plain score had put the other first for
    its "การเรียนรู้", a word of PLC's synonym "ชุมชนแห่งการเรียนรู้"."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "spm.txt").write_text(TIED_PLAN, encoding="utf-8")
    build(tmp_path / "corpus", tmp_path / "index.db")
    reply = Engine(tmp_path / "index.db").answer(
        "โครงการพัฒนาครูด้วย PLC สอดคล้องกับกลยุทธ์ไหนของ สพม.ทดสอบเสมอ", State())
    assert reply.items[:1] == ["2"]
    assert mentions("พัฒนา", fold("โครงการพัฒนาครูด้วย plc"))  # in "การพัฒนา" as segmented
    assert not mentions("อาชีพ", fold("พัฒนาครูมืออาชีพ"))


@pytest.mark.parametrize("question", ["โครงการโรงเรียนสีขาว ปลอดยาเสพติด สอดคล้องกับกลยุทธ์ไหน",
                                      "โครงการห่างไกลยาเสพติด สอดคล้องกับกลยุทธ์ไหน"])
def test_free_of_and_far_from_are_no_topic_of_their_own(question):
    """"ปลอดยาเสพติด", "ห่างไกลยาเสพติด": the topic is drugs; "ปลอด" had been a second topic
    word no strategy holds, which halved the fit of the one naming ยาเสพติด."""
    topic = concepts(project_text(fold(question)))
    assert len(topic) == 1 and "ยาเสพติด" in topic[0].words


def test_a_fit_word_after_โรงเรียน_is_no_schools_name(nested):
    """"…ในโรงเรียน สอดคล้องกับกลยุทธ์ สพฐ. ข้อไหน": "โรงเรียนสอดคล้อง" had been read as a
    school not loaded, so the whole question, office name and all, became the topic."""
    question = "โครงการป้องกันการกลั่นแกล้งในโรงเรียน สอดคล้องกับกลยุทธ์ สพฐ. ข้อไหน"
    assert understand(question, nested.catalog.matcher).unknown_owner is None
    reply = nested.answer(question, State())
    assert "“กลั่นแกล้ง”" in reply.text and [s["owner"] for s in reply.sources][:1] == ["obec"]


def test_a_teacher_introducing_themselves_asks_for_every_level_of_their_school(nested):
    """"ผมเป็นครู รร.X จะทำโครงการ… ทุกระดับ": the school's plan and every plan above it, and
    ครู is who asks, not whom the project is for (it had given only the school's teachers'
    strategy, "closest by group")."""
    reply = nested.answer("ผมเป็นครู โรงเรียนบ้านดอยงามวิทยา จะทำโครงการส่งเสริมการอ่าน "
                          "ควรอ้างกลยุทธ์อะไรบ้างทุกระดับ", State())
    owners = [s["owner"] for s in reply.sources]
    assert {"school", "area-office", "obec"} <= set(owners)
    assert "“การอ่าน”" in reply.text and "ใกล้เคียงที่สุด" not in reply.text


FOCUS_PLAN = """---
office: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบจุดเน้น เขต 1
short: สพป.ทดสอบจุดเน้น เขต 1
---
จุดเน้น
1. ส่งเสริมให้นักเรียนทุกคนอ่านออกเขียนได้
2. โรงเรียนปลอดภัย ปลอดยาเสพติด
3. ลดภาระครู คืนครูสู่ห้องเรียน
"""


def test_an_item_saying_the_projects_very_topic_is_not_marked_down_for_its_group(tmp_path):
    """"โรงเรียนปลอดภัย ปลอดยาเสพติด" says the project's topic whole; naming schools, not the
    students a drugs project is taken to be for, had halved its fit, and the reading focus
    was offered beside it as nearly as good."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "spp.txt").write_text(FOCUS_PLAN, encoding="utf-8")
    build(tmp_path / "corpus", tmp_path / "index.db")
    reply = Engine(tmp_path / "index.db").answer(
        "โครงการป้องกันยาเสพติดในโรงเรียน สนองจุดเน้นไหนของ สพป.ทดสอบจุดเน้น เขต 1", State())
    assert reply.items == ["2"] and [s["item"] for s in reply.sources] == ["2"]


GROUPS_PLAN = """---
office: สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาทดสอบกลุ่ม
short: สพม.ทดสอบกลุ่ม
---
กลยุทธ์
1. ส่งเสริมความปลอดภัยในสถานศึกษา
2. พัฒนาคุณภาพผู้เรียนให้มีสมรรถนะตามหลักสูตรและทักษะดิจิทัล
3. พัฒนาระบบบริหารจัดการสู่องค์กรดิจิทัล
กลยุทธ์ที่ 4 พัฒนาครูและบุคลากรทางการศึกษาด้วยกระบวนการชุมชนแห่งการเรียนรู้ทางวิชาชีพ (PLC)
1) ส่งเสริมให้สถานศึกษาใช้กระบวนการ PLC และการนิเทศแบบกัลยาณมิตร
2) ส่งเสริมความก้าวหน้าในวิชาชีพตามเกณฑ์การประเมินวิทยฐานะ
"""


def test_a_second_item_about_no_one_is_not_offered_beside_one_about_the_projects_group(
        tmp_path):
    """A students' digital-skills project: the learners' strategy, not also the office's own
    digital administration (it names digital, but no one the project is for), which had been
    put in the line to paste."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "spm.txt").write_text(GROUPS_PLAN, encoding="utf-8")
    build(tmp_path / "corpus", tmp_path / "index.db")
    engine = Engine(tmp_path / "index.db")
    reply = engine.answer(
        "โครงการพัฒนาทักษะดิจิทัลของนักเรียน สอดคล้องกับกลยุทธ์ไหนของ สพม.ทดสอบกลุ่ม", State())
    assert [s["item"] for s in reply.sources] == ["2"]
    # an item holding a topic of the group's own (PLC, the teachers') is about them: kept
    plc = engine.answer("โครงการพัฒนาครูด้วย PLC สอดคล้องกับกลยุทธ์ไหนของ สพม.ทดสอบกลุ่ม", State())
    assert sorted(s["item"] for s in plc.sources) == ["4", "4.1"]
