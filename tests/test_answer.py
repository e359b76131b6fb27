"""The answer engine (bot.answer.Engine) and `python -m bot ask`: replies, state, postbacks.

Expected words are the plans' own (corpus/*.txt). Conversations pass `reply.state` on, the way
the webhook does between messages.
"""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner
from rank_bm25 import BM25Okapi

from bot.cli import cli
from bot.reply import State
from index.search import Passage, PassageIndex

SPM13_VISION = "เป็นผู้นำในการพัฒนาคุณภาพการศึกษาสู่ความเป็นเลิศ"
SPM13_MISSION_1 = "โดยเน้นผู้เรียนเป็นสำคัญ"
SPM13_MISSION_2 = "ส่งเสริม สนับสนุนให้โรงเรียนจัดการศึกษาอย่างมีคุณภาพ"
SPM13_MISSION_3 = "ระบบบริหารจัดการศึกษาแบบการมีส่วนร่วมจากภาคีเครือข่าย"


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _has(reply_text: str, fragment: str) -> bool:
    """Whether the reply quotes `fragment`, ignoring line breaks and spacing (as `bot eval`)."""
    return _squeeze(fragment) in _squeeze(reply_text)


def _talk(engine, *questions):
    """Replies to questions asked one after another in one conversation."""
    state, replies = State(), []
    for question in questions:
        reply = engine.answer(question, state)
        replies.append(reply)
        state = reply.state
    return replies


# --- questions that are not questions -------------------------------------------------------

ODD_QUESTIONS = [
    ("empty", ""),
    ("whitespace", "   \t\n  "),
    ("10,000 characters", "ก" * 10_000),
    ("10,000 mixed characters", ("วิสัยทัศน์ 😀 ? " * 700)[:10_000]),
    ("question marks", "???"),
    ("zero-width and control characters", "\u200b\u200c\x00\x07"),
]


@pytest.mark.parametrize(("name", "question"), ODD_QUESTIONS, ids=[n for n, _ in ODD_QUESTIONS])
def test_odd_question_gets_a_polite_unanswered_reply(engine, name, question):
    reply = engine.answer(question, State())
    assert reply.answered is False
    assert reply.text.strip()
    assert reply.state is not None


def test_none_question_does_not_raise(engine):
    reply = engine.answer(None, State())  # type: ignore[arg-type]
    assert reply.answered is False


def test_no_state_given(engine):
    reply = engine.answer("วิสัยทัศน์ สพม.13")
    assert reply.answered and _has(reply.text, SPM13_VISION)


def test_caller_state_is_not_changed(engine):
    state = State(owner="spm-13", section="vision")
    engine.answer("พันธกิจ สพป.แพร่ เขต 1", state)
    assert (state.owner, state.section) == ("spm-13", "vision")


# --- what a reply says -----------------------------------------------------------------------

def test_section_reply_names_owner_and_section_and_quotes_every_item(engine):
    reply = engine.answer("พันธกิจ สพม.13", State())
    assert reply.answered and reply.kind == "answer"
    assert (reply.owner, reply.section) == ("spm-13", "mission")
    assert _has(reply.text, "สพม.13") and _has(reply.text, "พันธกิจ")
    for fragment in (SPM13_MISSION_1, SPM13_MISSION_2, SPM13_MISSION_3):
        assert _has(reply.text, fragment)
    assert reply.items == []


def test_item_reply_quotes_only_that_item(engine):
    reply = engine.answer("พันธกิจข้อ 2 สพม.13", State())
    assert reply.items == ["2"]
    assert _has(reply.text, SPM13_MISSION_2)
    assert not _has(reply.text, SPM13_MISSION_1)
    assert not _has(reply.text, SPM13_MISSION_3)


def test_nested_item_reply(engine):
    reply = engine.answer("กลยุทธ์ที่ 4 ของยุทธศาสตร์ที่ 3 สพป.ลำปาง เขต 1", State())
    assert reply.owner == "spp-lampang-1"
    assert _has(reply.text, "เสริมสร้างระบบแรงจูงใจ")
    assert not _has(reply.text, "สนับสนุนกิจกรรมที่ส่งเสริมให้ครู")  # กลยุทธ์ที่ 5
    assert not _has(reply.text, "ส่งเสริมให้สถานศึกษาและสำนักงานเขตพื้นที่การศึกษา และองค์คณะบุคคล")


def test_guideline_item_1_is_not_item_11(engine):
    one = engine.answer("แนวทางการพัฒนา ข้อ 1 แผนไม่ระบุหน่วยงาน 2", State())
    eleven = engine.answer("แนวทางการพัฒนา ข้อ 11 แผนไม่ระบุหน่วยงาน 2", State())
    assert one.items == ["1"] and eleven.items == ["11"]
    assert _has(one.text, "คืนผู้บริหารสู่โรงเรียน") and not _has(one.text, "ศาสตร์พระราชา")
    assert _has(eleven.text, "ศาสตร์พระราชา") and not _has(eleven.text, "คืนผู้บริหารสู่โรงเรียน")


def test_section_the_plan_lacks_lists_what_it_has(engine):
    reply = engine.answer("วิสัยทัศน์ แผนไม่ระบุหน่วยงาน 2", State())
    assert reply.answered is False
    assert reply.owner == "unidentified-plan-2"
    assert _has(reply.text, "แนวทางการพัฒนา")
    for other_vision in ("ส่งเสริมการเรียนรู้ตลอดชีวิต", SPM13_VISION, "คนไทยทุกคนได้รับการศึกษา"):
        assert not _has(reply.text, other_vision)


def test_office_not_in_corpus_gets_no_other_office_answer(engine):
    reply = engine.answer("วิสัยทัศน์ สพม.1", State())
    assert reply.answered is False and reply.owner is None
    assert not _has(reply.text, SPM13_VISION)


def test_section_without_owner_asks_which_office(engine):
    reply = engine.answer("วิสัยทัศน์", State())
    assert reply.answered is False and reply.kind == "which_owner"
    for name in ("สพป.แพร่ เขต 1", "สพม.13", "แผนไม่ระบุหน่วยงาน 1"):
        assert _has(reply.text, name)
    assert not _has(reply.text, "แผนไม่ระบุหน่วยงาน 2")  # it has no vision


def test_sources_match_the_quoted_items(engine):
    reply = engine.answer("เป้าประสงค์ข้อ 5 สพม.13", State())
    assert [s["item"] for s in reply.sources] == ["5"]
    assert all(s["owner"] == "spm-13" and s["section"] == "goal" for s in reply.sources)


# --- conversation state ------------------------------------------------------------------------

def test_follow_up_section_keeps_the_owner(engine):
    first, second = _talk(engine, "วิสัยทัศน์ สพม.13", "แล้วพันธกิจล่ะ")
    assert first.state.owner == "spm-13"
    assert (second.owner, second.section) == ("spm-13", "mission")
    assert _has(second.text, SPM13_MISSION_1)


def test_follow_up_item_gives_only_that_item(engine):
    *_, third = _talk(engine, "วิสัยทัศน์ สพม.13", "แล้วพันธกิจล่ะ", "ข้อ 2")
    assert (third.owner, third.section, third.items) == ("spm-13", "mission", ["2"])
    assert _has(third.text, SPM13_MISSION_2)
    assert not _has(third.text, SPM13_MISSION_1) and not _has(third.text, SPM13_MISSION_3)


def test_follow_up_owner_switches_the_owner(engine):
    first, second = _talk(engine, "เป้าประสงค์ สพม.13", "ของลำปาง เขต 1 ล่ะ")
    assert first.owner == "spm-13"
    assert (second.owner, second.section) == ("spp-lampang-1", "goal")
    assert second.state.owner == "spp-lampang-1"
    assert _has(second.text, "สพป.ลำปาง เขต 1")
    assert _has(second.text, "นักเรียนระดับก่อนประถมศึกษามีพัฒนาการที่เหมาะสมตามช่วงวัย")
    assert not _has(second.text, "ผู้เรียนทุกคนมีคุณภาพตามมาตรฐานการศึกษาขั้นพื้นฐาน")


def test_follow_up_owner_keeps_the_item(engine):
    *_, last = _talk(engine, "กลยุทธ์ สพป.แพร่ เขต 1", "ข้อ 2", "แล้วของ สพม.13 ล่ะ")
    assert (last.owner, last.section, last.items) == ("spm-13", "strategy", ["2"])
    assert _has(last.text, "ขยายโอกาสเข้าถึงบริการการศึกษาที่มีคุณภาพและเสมอภาค")


def test_follow_up_owner_without_that_section_says_so(engine):
    *_, last = _talk(engine, "พันธกิจ สพม.13", "ของลำปาง เขต 1 ล่ะ")
    assert last.answered is False and last.owner == "spp-lampang-1"
    assert not _has(last.text, SPM13_MISSION_1)


def test_which_office_then_owner_answers_the_pending_section(engine):
    first, second = _talk(engine, "วิสัยทัศน์", "สพม.13")
    assert first.kind == "which_owner" and first.state.pending_section == "vision"
    assert (second.owner, second.section) == ("spm-13", "vision")
    assert second.answered and _has(second.text, SPM13_VISION)
    assert second.state.pending_section is None


def test_which_office_then_owner_keeps_the_pending_item(engine):
    _, second = _talk(engine, "กลยุทธ์ที่ 2", "สพป.แพร่ เขต 1")
    assert (second.owner, second.section, second.items) == ("spp-phrae-1", "strategy", ["2"])
    assert _has(second.text, "การพัฒนาคุณภาพครูและบุคลากรทางการศึกษาในระดับรายสาระวิชา")


def test_follow_up_nested_item_stays_in_its_strategic_issue(engine):
    _, second = _talk(engine, "กลยุทธ์ที่ 4 ของยุทธศาสตร์ที่ 3 สพป.ลำปาง เขต 1", "แล้วกลยุทธ์ที่ 5 ล่ะ")
    assert second.items == ["ยุทธศาสตร์ 3 / กลยุทธ์ 5"]
    assert _has(second.text, "มีจิตวิญญาณของความเป็นครู")
    assert not _has(second.text, "เสริมสร้างระบบแรงจูงใจ")


def test_thanks_keeps_the_conversation(engine):
    *_, last = _talk(engine, "วิสัยทัศน์ สพม.13", "ขอบคุณค่ะ", "แล้วพันธกิจล่ะ")
    assert (last.owner, last.section) == ("spm-13", "mission")


def test_which_office_then_unknown_office_quotes_nothing(engine):
    _, second = _talk(engine, "วิสัยทัศน์", "สพม.1")
    assert second.answered is False
    assert not _has(second.text, SPM13_VISION)


def test_unknown_office_does_not_keep_the_old_owner_answer(engine):
    _, second = _talk(engine, "วิสัยทัศน์ สพม.13", "วิสัยทัศน์ สพม.1")
    assert second.answered is False
    assert not _has(second.text, SPM13_VISION)


def test_state_round_trips_through_a_dict(engine):
    reply = engine.answer("พันธกิจข้อ 2 สพม.13", State())
    again = State.from_dict(json.loads(json.dumps(reply.state.to_dict())))
    assert again == reply.state
    assert State.from_dict({"owner": 5, "items": "x", "junk": 1}) == State()
    assert State.from_dict(None) == State()


# --- BM25 IDF on a small corpus -----------------------------------------------------------------

def _tiny_index():
    """Four passages; ครู is in three of them (more than half)."""
    texts = [
        ["ครู", "พัฒนา", "หลักสูตร"],
        ["ครู", "นักเรียน", "กีฬา"],
        ["ครู", "โรงเรียน", "อาคาร"],
        ["นักเรียน", "โรงเรียน", "ดนตรี"],
    ]
    passages = [Passage(n, "o", "goal", str(n + 1), " ".join(t)) for n, t in enumerate(texts)]
    return texts, PassageIndex(passages, texts)


def test_idf_of_a_term_in_over_half_the_passages_stays_positive():
    texts, index = _tiny_index()
    n_docs, n_with = len(texts), sum("ครู" in t for t in texts)
    assert n_with > n_docs / 2
    okapi_raw = math.log((n_docs - n_with + 0.5) / (n_with + 0.5))
    assert okapi_raw < 0  # the trap is real: Okapi's IDF is negative before rank-bm25 floors it
    okapi = BM25Okapi(texts)
    assert okapi.idf["ครู"] == pytest.approx(okapi.epsilon * okapi.average_idf)  # floored
    assert index.idf("ครู") > 0


def test_idf_falls_as_a_term_gets_commoner():
    texts, index = _tiny_index()
    # นักเรียน is in exactly half the passages, ครู in three of four, ดนตรี in one.
    okapi = BM25Okapi(texts)
    assert okapi.idf["นักเรียน"] == 0 < okapi.idf["ครู"]  # Okapi's floor inverts the order
    assert index.idf("ดนตรี") > index.idf("นักเรียน") > index.idf("ครู") > 0


def test_common_term_still_ranks_passages_that_contain_it():
    _, index = _tiny_index()
    hits = index.search(["ครู"])
    assert sorted(p.item for p, _ in hits) == ["1", "2", "3"]
    assert all(score > 0 for _, score in hits)


def test_passage_with_the_common_term_outranks_one_without():
    _, index = _tiny_index()
    hits = index.search(["ครู", "นักเรียน"])
    ranked = [p.item for p, _ in hits]
    assert ranked.index("2") < ranked.index("4")  # ครู + นักเรียน beats นักเรียน alone


def test_engine_idf_is_positive_for_every_term(engine):
    assert min(engine.passages.idfs.values()) > 0


# --- postbacks -----------------------------------------------------------------------------------

def test_postback_section_uses_the_state_owner(engine):
    reply = engine.postback("section=goal", State(owner="spm-13"))
    assert (reply.owner, reply.section, reply.answered) == ("spm-13", "goal", True)
    assert _has(reply.text, "สถานศึกษามีคุณภาพผ่านเกณฑ์โรงเรียนมาตรฐานสากล")


def test_postback_owner_and_section(engine):
    reply = engine.postback("owner=spm-13&section=vision", State())
    assert (reply.owner, reply.section) == ("spm-13", "vision")
    assert _has(reply.text, SPM13_VISION)
    assert reply.state.owner == "spm-13"


def test_postback_section_without_owner_asks_which(engine):
    reply = engine.postback("section=goal", State())
    assert reply.kind == "which_owner" and reply.answered is False


def test_postback_choose_owner_lists_every_plan(engine):
    reply = engine.postback("action=choose_owner", State())
    for name in ("สพป.แพร่ เขต 1", "สพป.ลำปาง เขต 1", "สพม.13",
                 "แผนไม่ระบุหน่วยงาน 1", "แผนไม่ระบุหน่วยงาน 2"):
        assert _has(reply.text, name)
    assert reply.quick_replies


JUNK_POSTBACKS = [
    "",
    "foo=bar",
    "section=nonsense",
    "owner=nobody&section=vision",
    "owner=spm-13&section=",
    "%%%&&==",
    "action=explode",
    "section=" + "x" * 5000,
    "😀=😀",
]


@pytest.mark.parametrize("data", JUNK_POSTBACKS)
def test_junk_postback_gets_a_polite_reply(engine, data):
    reply = engine.postback(data, State(owner="spm-13"))
    assert reply.text.strip()
    assert not _has(reply.text, "Traceback")


def test_unknown_postback_owner_quotes_no_plan(engine):
    reply = engine.postback("owner=nobody&section=vision", State())
    assert reply.answered is False
    assert not _has(reply.text, SPM13_VISION)


# --- welcome, help, truncation -------------------------------------------------------------------

def test_welcome(engine):
    reply = engine.welcome()
    assert reply.kind == "greeting"
    assert "สวัสดี" in reply.text
    assert reply.quick_replies
    assert all(len(q.label) <= 20 for q in reply.quick_replies)


@pytest.mark.parametrize("question", ["ช่วยเหลือ", "สวัสดีครับ", "ขอบคุณค่ะ"])
def test_greeting_help_thanks_are_short_and_polite(engine, question):
    reply = engine.answer(question, State())
    assert reply.text.strip() and len(reply.text) < 600
    assert not _has(reply.text, SPM13_VISION)


def test_long_question_is_truncated_with_a_note(engine):
    limit = engine.max_question_chars
    reply = engine.answer("วิสัยทัศน์ สพม.13 " + "ก" * (limit + 100), State())
    assert f"{limit} ตัวอักษร" in reply.text
    assert _has(reply.text, SPM13_VISION)  # the question's start is still answered


def test_question_within_the_limit_has_no_note(engine):
    reply = engine.answer("วิสัยทัศน์ สพม.13", State())
    assert "ตัวอักษรแรก" not in reply.text


def test_custom_limit(index_db):
    from bot.answer import Engine

    small = Engine(index_db, max_question_chars=20)
    reply = small.answer("วิสัยทัศน์ สพม.13 และอีกหลายคำที่ยาวเกินไป", State())
    assert "20 ตัวอักษร" in reply.text


# --- python -m bot ask ---------------------------------------------------------------------------

JSON_FIELDS = {"question", "answered", "owner", "section", "items", "text", "sources"}


def _ask(index_db, *args, input=None):
    result = CliRunner().invoke(cli, ["ask", "--db", str(index_db), *args], input=input)
    assert result.exit_code == 0, result.output
    return result.output


def test_ask_json_shape(index_db):
    out = _ask(index_db, "--json", "พันธกิจข้อ 2 สพม.13")
    data = json.loads(out)
    assert set(data) == JSON_FIELDS
    assert data["question"] == "พันธกิจข้อ 2 สพม.13"
    assert data["answered"] is True
    assert (data["owner"], data["section"], data["items"]) == ("spm-13", "mission", ["2"])
    assert _has(data["text"], SPM13_MISSION_2)
    assert data["sources"] and set(data["sources"][0]) == {"owner", "section", "item", "score"}


def test_ask_reads_as_many_characters_as_the_webhook(index_db):
    """`python -m bot ask` honours PLANBOT_MAX_QUESTION_CHARS, as the webhook does."""
    question = "วิสัยทัศน์ สพม.13 และอีกหลายคำที่ยาวเกินไป"
    result = CliRunner().invoke(cli, ["ask", "--db", str(index_db), question],
                                env={"PLANBOT_MAX_QUESTION_CHARS": "20"})
    assert result.exit_code == 0, result.output
    assert "20 ตัวอักษร" in result.output
    result = CliRunner().invoke(cli, ["ask", "--db", str(index_db), question],
                                env={"PLANBOT_MAX_QUESTION_CHARS": "many"})
    assert result.exit_code != 0 and "PLANBOT_MAX_QUESTION_CHARS" in result.output


def test_ask_json_unanswered(index_db):
    data = json.loads(_ask(index_db, "--json", "วิสัยทัศน์ สพป.เชียงใหม่ เขต 1"))
    assert data["answered"] is False and data["owner"] is None


def test_ask_plain_prints_the_reply(index_db):
    out = _ask(index_db, "วิสัยทัศน์ สพม.13")
    assert _has(out, SPM13_VISION) and not out.lstrip().startswith("{")


def test_ask_stdin_lines_are_independent_without_user(index_db):
    out = _ask(index_db, "--json", input="วิสัยทัศน์ สพม.13\nแล้วพันธกิจล่ะ\n")
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["owner"] == "spm-13"
    assert second["owner"] is None and second["answered"] is False


def test_ask_user_makes_stdin_one_conversation(index_db):
    out = _ask(index_db, "--json", "--user", "teacher-1",
               input="วิสัยทัศน์ สพม.13\nแล้วพันธกิจล่ะ\nข้อ 2\n")
    replies = [json.loads(line) for line in out.splitlines()]
    assert [r["question"] for r in replies] == ["วิสัยทัศน์ สพม.13", "แล้วพันธกิจล่ะ", "ข้อ 2"]
    assert [(r["owner"], r["section"]) for r in replies] == [("spm-13", "vision"),
                                                             ("spm-13", "mission"),
                                                             ("spm-13", "mission")]
    assert replies[2]["items"] == ["2"]
    assert not _has(replies[2]["text"], SPM13_MISSION_1)


def test_ask_without_index_fails_clearly(tmp_path):
    result = CliRunner().invoke(cli, ["ask", "--db", str(tmp_path / "none.db"), "วิสัยทัศน์"])
    assert result.exit_code != 0
    assert "rebuild" in result.output


# --- one renderer ----------------------------------------------------------------------------

RENDER_CASES = [
    ("กลยุทธ์ สพป.แพร่ เขต 1", "1. "),  # numbered items with sub-items
    ("วิสัยทัศน์ สพม.13", ""),  # a paragraph
    ("กลยุทธ์ที่ 4 ของยุทธศาสตร์ที่ 3 สพป.ลำปาง เขต 1", "ยุทธศาสตร์ 3 / กลยุทธ์ 4: "),  # nested
    ("การพัฒนาครู", "【"),  # search hits under 【where】
]


@pytest.mark.parametrize(("question", "start"), RENDER_CASES)
def test_the_webhook_cuts_the_engines_own_text(engine, question, start):
    """A long reply sent in pieces shows each block exactly as the whole reply does."""
    from bot.messages import render_block, text_chunks

    reply = engine.answer(question, State())
    assert reply.blocks and reply.text == reply.render()
    assert any(render_block(b).startswith(start) for b in reply.blocks)
    for block in reply.blocks:
        assert render_block(block) in reply.text
    pieces = text_chunks(reply, limit=max(len(u) for u in map(render_block, reply.blocks)) + 200)
    assert "".join(pieces).replace("\n", "") == reply.text.replace("\n", "")


# --- issue 11: lists remembered, long lists paged, the questions around a plan ------------------


@pytest.fixture(scope="module")
def many_engine(tmp_path_factory):
    """An engine on 15 secondary offices (more than 13 quick replies), one with a year and a
    contact in its front matter."""
    from bot.answer import Engine
    from index.build import build

    corpus = tmp_path_factory.mktemp("many")
    for n in range(1, 16):
        extra = "year: 2566-2570\ncontact: โทร 0 5451 1234\n" if n == 7 else ""
        (corpus / f"spm-{n}.txt").write_text(
            f"---\noffice: สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา เขต {n}\n{extra}---\n"
            f"วิสัยทัศน์\nเขต {n} มุ่งพัฒนาผู้เรียนอย่างยั่งยืน\n\n"
            f"พันธกิจ\n1. พันธกิจแรกของเขต {n}\n2. พันธกิจที่สองของเขต {n}\n",
            encoding="utf-8")
    db = corpus / "index.db"
    build(corpus, db)
    return Engine(db)


def test_a_long_office_list_is_paged_and_every_number_still_works(many_engine):
    reply = many_engine.answer("เลือกเขต", State())
    labels = [q.label for q in reply.quick_replies]
    assert len(labels) == 13 and labels[-1] == "ถัดไป"
    assert reply.quick_replies[-1].data == "action=next_page"
    page2 = many_engine.postback("action=next_page", reply.state)
    assert "13. " in page2.text and "1. " not in page2.text.split("\n")[1]
    assert all(q.label != "ถัดไป" for q in page2.quick_replies)  # 12 + 3: the last page
    typed = many_engine.answer("ถัดไป", reply.state)
    assert typed.text == page2.text
    # the 15th office is typed by number on the first page, before it was ever shown
    fifteenth = many_engine.answer("15", reply.state)
    assert fifteenth.kind == "owner_chosen" and fifteenth.owner == "spm-9"  # display order


def test_paged_which_office_keeps_the_section(many_engine):
    reply = many_engine.answer("วิสัยทัศน์", State())
    assert reply.kind == "which_owner" and reply.quick_replies[-1].label == "ถัดไป"
    page2 = many_engine.postback("action=next_page", reply.state)
    assert page2.kind == "which_owner" and page2.quick_replies[0].text.startswith("วิสัยทัศน์ ")
    picked = many_engine.answer("อันสุดท้าย", page2.state)
    assert picked.section == "vision" and "มุ่งพัฒนาผู้เรียนอย่างยั่งยืน" in picked.text


def test_year_and_contact_come_from_the_front_matter(many_engine):
    state = many_engine.answer("วิสัยทัศน์ สพม.7", State()).state
    year = many_engine.answer("แผนนี้ปีไหน", state)
    assert "2566-2570" in year.text and year.owner == "spm-7"
    contact = many_engine.answer("เบอร์โทร", state)
    assert "0 5451 1234" in contact.text
    other = many_engine.answer("ติดต่อ สพม.8", state)
    assert "ไม่ได้ให้ช่องทางติดต่อ" in other.text and "0 5451 1234" not in other.text


def test_next_page_is_a_postback_tap_on_line(many_engine):
    from bot.messages import to_line_messages

    reply = many_engine.answer("เลือกเขต", State())
    items = to_line_messages(reply)[-1].quick_reply.items
    assert items[-1].action.type == "postback" and items[-1].action.data == "action=next_page"
    assert items[0].action.type == "message"


def test_list_memory_survives_the_state_round_trip(engine):
    state = engine.answer("เลือกเขต", State()).state
    again = State.from_dict(json.loads(json.dumps(state.to_dict())))
    assert again == state and again.listed_kind == "owner"
    assert engine.answer("3", again).owner == "spm-13"


def test_a_number_after_the_office_list_is_an_office(engine):
    reply = _talk(engine, "เลือกเขต", "1")[-1]
    assert reply.kind == "owner_chosen" and reply.owner == "spp-lampang-1"


def test_a_number_after_the_sections_listed_is_that_section(engine):
    reply = _talk(engine, "สพม.13", "2")[-1]
    assert reply.section == "mission" and _has(reply.text, SPM13_MISSION_1)


def test_a_section_answer_is_listed_and_its_last_item_picked(engine):
    reply = _talk(engine, "พันธกิจ สพม.13", "อันสุดท้าย")[-1]
    assert _has(reply.text, SPM13_MISSION_3) and not _has(reply.text, SPM13_MISSION_1)
    assert "last" not in reply.text


def test_items_of_a_nested_list_stay_in_their_issue(engine):
    replies = _talk(engine, "กลยุทธ์ของยุทธศาสตร์ที่ 3 สพป.ลำปาง เขต 1", "ข้อ 2", "ข้อสุดท้าย")
    assert replies[1].items == ["ยุทธศาสตร์ 3 / กลยุทธ์ 2"]
    assert replies[2].items == ["ยุทธศาสตร์ 3 / กลยุทธ์ 6"]


def test_side_by_side_names_every_office_and_what_one_lacks(engine):
    reply = engine.answer("วิสัยทัศน์ สพม.13 กับ สพป.ลำปาง เขต 1", State())
    assert _has(reply.text, SPM13_VISION)
    assert "สพป.ลำปาง เขต 1" in reply.text and "ไม่มีหัวข้อ" in reply.text


def test_which_office_offers_only_offices_with_the_section(engine):
    reply = engine.answer("วิสัยทัศน์เขต 1", State())
    assert reply.kind == "answer" and reply.owner == "spp-phrae-1"


def test_summary_is_marked_and_the_full_text_is_one_tap_away(engine):
    reply = engine.answer("สรุปพันธกิจ สพป.แพร่ เขต 1", State())
    assert "สรุปสั้นๆ" in reply.text and "…" in reply.text
    assert reply.quick_replies[0].text == "ขอทั้งหมด"
    full = engine.answer(reply.quick_replies[0].text, reply.state)
    assert _has(full.text, "มีขีดความสามารถในการแข่งขัน") and "สรุปสั้นๆ" not in full.text


@pytest.mark.parametrize("question", ["สรุปแผนทั้งแผน สพป.แพร่ เขต 1",
                                      "สรุปภาพรวมของ สพป.แพร่ เขต 1"])
def test_the_whole_plan_summarised_section_by_section(engine, question):
    reply = engine.answer(question, State())
    assert reply.kind == "answer" and reply.owner == "spp-phrae-1" and "สรุปสั้นๆ" in reply.text
    text = reply.text
    places = [text.index(f"▸ {name}") for name in ("วิสัยทัศน์", "พันธกิจ", "เป้าประสงค์", "กลยุทธ์")]
    assert places == sorted(places)  # in the plan's order
    assert "1. การพัฒนาคุณภาพผู้เรียนใน …" in text  # each item cut to its first clause
    # the full text of each section is one tap away, and the office is the one discussed
    assert "กลยุทธ์" in [r.label for r in reply.quick_replies]
    follow = engine.answer("กลยุทธ์", reply.state)
    assert follow.owner == "spp-phrae-1" and "ระดับการศึกษาขั้นพื้นฐาน" in follow.text


def test_the_whole_plan_summary_leaves_who_signed_it_to_its_tap(engine):
    """สพม.13's plan ends with the name and post of who signed it: not the plan's content, so
    the summary of the whole plan does not quote it; its section is still a tap away."""
    reply = engine.answer("สรุปแผนทั้งแผน สพม.13", State())
    assert "▸ วิสัยทัศน์" in reply.text and "▸ จุดเน้น" in reply.text
    assert "ลัดดาวรรณ" not in reply.text and "ผู้ลงนาม" not in reply.text
    assert "signature" not in [source["section"] for source in reply.sources]
    tap = next(r for r in reply.quick_replies if r.label.startswith("ผู้ลงนาม"))
    assert "ลัดดาวรรณ" in engine.answer(tap.text, reply.state).text


def test_a_summary_of_a_plan_too_long_for_one_message_names_the_sections_left(engine,
                                                                              monkeypatch):
    from bot import quote

    monkeypatch.setattr(quote, "MAX_ANSWER_CHARS", 200)
    reply = engine.answer("สรุปแผนทั้งแผน สพม.13", State())
    assert "▸ วิสัยทัศน์" in reply.text and "▸ จุดเน้น" not in reply.text
    assert "หัวข้อที่เหลือ:" in reply.text and "จุดเน้น" in reply.text.split("หัวข้อที่เหลือ:")[1]


def test_a_topic_answer_does_not_confine_the_next_topic(engine):
    first = engine.answer("การพัฒนาครู", State())
    assert first.state.by_topic
    second = engine.answer("ความปลอดภัยของนักเรียนอยู่กลยุทธ์ไหน", first.state)
    assert second.owner == "unidentified-plan-1" and _has(second.text, "ความปลอดภัยจากภัยทุกรูปแบบ")


def test_rest_of_a_topic_answer(engine):
    first = engine.answer("การพัฒนาครู", State())
    rest = engine.answer("ต่อ", first.state)
    assert rest.kind == "answer" and "4)" in rest.text
    assert {b.text for b in rest.blocks}.isdisjoint({b.text for b in first.blocks})


def test_a_long_section_is_cut_and_continued(engine, monkeypatch):
    from bot import quote

    monkeypatch.setattr(quote, "MAX_ANSWER_CHARS", 300)
    first = engine.answer("เป้าประสงค์ สพม.13", State())
    assert "พิมพ์ “ต่อ”" in first.text and first.state.cut == "section"
    rest = engine.answer("ต่อ", first.state)
    shown = [b.label for b in first.blocks] + [b.label for b in rest.blocks]
    assert shown[: len(first.blocks) + len(rest.blocks)] == [str(n) for n in range(1, len(shown) + 1)]


def test_examples_name_the_office_being_discussed(engine):
    state = engine.answer("พันธกิจ สพป.แพร่ เขต 1", State()).state
    reply = engine.answer("ฮัลโหล", state)
    assert "สพป.แพร่ เขต 1" in reply.text and "สพป.ลำปาง เขต 1" not in reply.text


def test_state_to_dict_is_asdict_in_order_and_copies_lists():
    from dataclasses import asdict

    state = State(owner="spm-13", section="mission", items=["1", "2"], pending_items=["3"],
                  listed_kind="item", listed=["a", "b"], page=2, cut="hits", shown=3,
                  by_topic=True, project="อ่าน", scope=["spm-13"])
    data = state.to_dict()
    # Same keys in the same order: stored rows are compared as JSON text (compare-and-swap).
    assert json.dumps(data) == json.dumps(asdict(state))
    assert json.dumps(State().to_dict()) == json.dumps(asdict(State()))
    data["items"].append("9")
    data["scope"].clear()
    assert state.items == ["1", "2"] and state.scope == ["spm-13"]


def test_next_and_previous_step_through_the_items_of_the_section_shown(engine):
    replies = _talk(engine, "พันธกิจ สพม.13", "ข้อ 2", "ถัดไป", "ข้อต่อไป", "ข้อก่อนหน้า",
                    "ย้อนกลับ", "อันก่อน")
    assert [r.items for r in replies[1:3]] == [["2"], ["3"]]
    assert replies[3].kind == "dont_know" and "ข้อสุดท้าย" in replies[3].text
    assert replies[3].state.items == ["3"]  # still at the last item: "ข้อก่อนหน้า" is 2
    assert [r.items for r in replies[4:6]] == [["2"], ["1"]]
    assert replies[6].kind == "dont_know" and "ข้อแรก" in replies[6].text
    assert all(r.owner == "spm-13" and r.section == "mission" for r in replies)
    # The item quoted is the plan's own text.
    view = engine.catalog.view("spm-13", "mission")
    assert view[1][2].text in replies[2].text


def test_next_goes_on_across_nested_strategies_in_the_plans_order(engine):
    replies = _talk(engine, "กลยุทธ์ที่ 3 ลำปาง", "ถัดไป", "ย้อนกลับ")
    paths = [item.path for item in engine.catalog.view("spp-lampang-1", "strategy")[1]]
    last = paths.index(replies[0].items[-1])
    assert replies[1].items == [paths[last + 1]]
    assert replies[2].items == [paths[last]]


def test_next_after_a_whole_section_says_it_was_shown_whole(engine):
    replies = _talk(engine, "พันธกิจ สพม.13", "ถัดไป", "ข้อก่อนหน้า")
    assert replies[1].kind == "dont_know" and "แสดงครบแล้ว" in replies[1].text
    assert replies[2].kind == "dont_know" and "ข้อก่อนหน้า" in replies[2].text


def test_an_acknowledgement_gets_a_word_back_and_keeps_the_conversation(engine):
    replies = _talk(engine, "พันธกิจ สพม.13", "555", "โอเคครับ", "ข้อ 2")
    assert [r.kind for r in replies[1:3]] == ["ack", "ack"]
    assert not replies[1].answered  # nothing was asked: nothing from a plan was given
    assert "ข้อ 555" not in replies[1].text and "ไม่พบ" not in replies[2].text
    assert replies[3].owner == "spm-13" and replies[3].items == ["2"]  # still สพม.13's พันธกิจ
    emoji = engine.answer("😀😀🎉🙏", State())  # a sticker-like message: a word back too
    assert emoji.kind == "ack" and emoji.text.strip()


def test_a_section_asked_of_another_sections_item_is_not_pinned_to_that_number(engine):
    """"ตัวชี้วัดของกลยุทธ์ที่ 2": Phrae's indicators are not organised by strategy, so
    indicator 2 is not strategy 2's; the reply says so and shows every indicator."""
    reply = engine.answer("ตัวชี้วัดของกลยุทธ์ที่ 2 สพป.แพร่ เขต 1", State())
    indicators = engine.catalog.view("spp-phrae-1", "indicator")[1]
    assert reply.section == "indicator" and reply.items == []
    assert "ไม่ได้ระบุตัวชี้วัดแยกตามกลยุทธ์ที่ 2" in reply.text
    assert all(_has(reply.text, item.text) for item in indicators)
    # The number still picks an item where the two share one section (a heading naming both).
    same = engine.answer("ตัวชี้วัดของจุดเน้นที่ 2 แพร่", State())
    assert same.items == ["2"] and "ไม่ได้ระบุ" not in same.text
    # And an item inside a strategic issue is still found through its container.
    nested = engine.answer("เป้าประสงค์ของยุทธศาสตร์ที่ 2 ลำปาง", State())
    assert nested.items and all(p.startswith("ยุทธศาสตร์ 2 /") for p in nested.items)


def test_projects_and_budgets_asked_where_no_plan_lists_them_are_said_to_be_missing(engine):
    assert not engine.catalog.lists_any("project")  # the bundled plans list no projects
    for question, missing in (("มีโครงการอะไรบ้าง", "ไม่มีรายการโครงการ"),
                              ("งบประมาณรวมเท่าไร", "ไม่มีรายการโครงการและงบประมาณ"),
                              ("โครงการรักการอ่านใครรับผิดชอบ", "และผู้รับผิดชอบ")):
        reply = engine.answer(question, State())
        assert not reply.answered and missing in reply.text, question
        assert not reply.sources  # no passage passed off as the answer
    named = engine.answer("งบประมาณรวม สพม.13", State())
    assert named.owner == "spm-13" and "แผนของ สพม.13 ไม่มีรายการโครงการและงบประมาณ" in named.text


def test_whose_plan_names_the_plan_being_discussed(engine):
    replies = _talk(engine, "วิสัยทัศน์ แพร่", "แผนนี้ของเขตไหน")
    assert replies[1].owner == "spp-phrae-1"
    assert "สพป.แพร่ เขต 1" in replies[1].text and "สพม.13" not in replies[1].text
    named = engine.answer("แผนไม่ระบุหน่วยงาน 2 เป็นของใคร", State())
    assert named.owner == "unidentified-plan-2" and "แผนไม่ระบุหน่วยงาน 2" in named.text
    # With no plan being discussed it asks which, rather than naming one.
    assert engine.answer("แผนนี้ของเขตไหน", State()).kind == "which_owner"


def test_every_example_the_bot_suggests_is_answered_from_that_plan(engine):
    """The welcome and "not found" replies suggest questions; each must work for the plan it
    names (Lampang's plan has no vision: it was once suggested "วิสัยทัศน์ สพป.ลำปาง เขต 1")."""
    from bot.wording import example_questions

    for owner in [None, *engine.catalog.order]:
        for question in example_questions(engine.catalog, owner):
            reply = engine.answer(question, State())
            assert reply.kind == "answer", (owner, question, reply.text[:80])
            assert reply.owner == (owner or engine.catalog.example_owner()), question
    welcome = engine.answer("สวัสดี", State()).text
    assert all(q in welcome for q in example_questions(engine.catalog, None))


def test_projects_under_an_item_where_no_plan_lists_projects_says_so(engine):
    reply = engine.answer("มีโครงการอะไรบ้างภายใต้กลยุทธ์ที่ 2", State())
    assert not reply.answered and "ไม่มีรายการโครงการ" in reply.text


def test_the_source_names_no_section_the_plan_does_not_have(engine):
    replies = _talk(engine, "เบอร์โทร สพม.13", "แผนลำปางเป็นแผนปีไหน", "ที่มาของข้อมูลนี้")
    assert replies[2].owner == "spp-lampang-1"
    assert "ผู้ลงนาม" not in replies[2].text and "spp-lampang-1" in replies[2].text
    kept = _talk(engine, "พันธกิจ สพม.13", "ข้อ 2", "ที่มาของข้อมูลนี้")[2]
    assert "หัวข้อ: พันธกิจ ข้อ 2" in kept.text
    # the source recorded whole, its note too (a note may say what the document is)
    assert "(the page names no province, so none is given)" in kept.text


def test_a_dotted_number_names_an_item_inside_its_strategic_issue(engine):
    """"กลยุทธ์ 3.2": Lampang's strategies sit under strategic issues and have no item 3.2 of
    their own, so it is strategy 2 of issue 3; a real sub-item 1.1 is still itself."""
    reply = engine.answer("กลยุทธ์ 3.2 ลำปาง", State())
    assert reply.kind == "answer" and reply.items == ["ยุทธศาสตร์ 3 / กลยุทธ์ 2"]
    assert engine.answer("กลยุทธ์ 9.9 ลำปาง", State()).kind == "item_absent"
    assert engine.answer("จุดเน้น 1.1 สพม.13", State()).items == ["1.1"]


def test_another_office_and_a_number_keep_the_section_being_discussed(engine):
    replies = _talk(engine, "พันธกิจข้อ 2 แพร่", "แล้วของ สพม. 13 ข้อ 3 ล่ะ", "ข้อ 5 สพม.13")
    assert (replies[1].owner, replies[1].section, replies[1].items) == ("spm-13", "mission", ["3"])
    assert replies[2].kind == "item_absent" and "ไม่มีข้อ 5" in replies[2].text


@pytest.mark.parametrize("question", ["แผนของเขตไหนมีเรื่องความปลอดภัย",
                                      "ความปลอดภัยเป็นของเขตไหน"])
def test_which_plan_has_a_topic_is_a_search_not_whose_plan_this_is(engine, question):
    state = engine.answer("วิสัยทัศน์ สพม.13", State()).state
    reply = engine.answer(question, state)
    assert reply.kind == "answer" and "ความปลอดภัย" in reply.text
    assert "แผนที่กำลังคุยอยู่" not in reply.text


@pytest.mark.parametrize("between", ["เลือกเขต", "ความปลอดภัย"])
def test_next_after_a_list_or_search_hits_is_not_the_item_before_them(engine, between):
    """"ถัดไป" after an office list or search hits is about them, never the next item of the
    quote before them (found in review: it quoted strategy 3 of สพม.13 after "เลือกเขต")."""
    replies = _talk(engine, "กลยุทธ์ที่ 2 สพม.13", between, "ถัดไป")
    assert replies[2].items != ["3"] or replies[2].owner != "spm-13"


def test_asking_for_more_after_one_item_is_not_the_next_item(engine):
    replies = _talk(engine, "พันธกิจข้อ 2 สพม.13", "ขอเพิ่มเติม")
    assert replies[1].items != ["3"]


def test_two_sections_items_in_one_question_quote_the_first_and_offer_the_second(engine):
    reply = engine.answer("กลยุทธ์ที่ 2 และเป้าประสงค์ที่ 3 สพม.13", State())
    assert reply.section == "strategy" and reply.items == ["2"]
    assert "ไม่ได้ระบุ" not in reply.text and "“เป้าประสงค์ที่ 3”" in reply.text


def test_a_number_past_a_list_of_one_names_the_one_number(engine):
    from bot.wording import not_in_list

    assert "พิมพ์หมายเลข 1 ได้" in not_in_list(engine.catalog, State(), "2", 1).text
    assert "พิมพ์หมายเลข 1–5 ได้" in not_in_list(engine.catalog, State(), "9", 5).text


@pytest.mark.parametrize(("question", "kind"), [("เป้าประสงค์ของยุทธศาสตร์นี้ล่ะ", "goal"),
                                                ("กลยุทธ์ของยุทธศาสตร์นี้", "strategy")])
def test_this_issue_after_a_strategic_issue_is_that_issue(engine, question, kind):
    replies = _talk(engine, "ยุทธศาสตร์ที่ 3 ลำปาง", question)
    expected = engine.answer(f"{wording_label(kind)}ของยุทธศาสตร์ที่ 3 ลำปาง", State())
    assert replies[1].items and replies[1].items == expected.items
    assert all(p.startswith("ยุทธศาสตร์ 3 /") for p in replies[1].items)


def test_this_issue_again_after_its_goals_is_still_that_issue(engine):
    """"เป้าประสงค์ของยุทธศาสตร์นี้" then "กลยุทธ์ของยุทธศาสตร์นี้": the items shown all sit in
    issue 3, so it is still the issue meant; and the plan-wide section's heading is not shown
    over them."""
    replies = _talk(engine, "ยุทธศาสตร์ที่ 3 ลำปาง", "เป้าประสงค์ของยุทธศาสตร์นี้",
                    "กลยุทธ์ของยุทธศาสตร์นี้")
    expected = engine.answer("กลยุทธ์ของยุทธศาสตร์ที่ 3 ลำปาง", State())
    assert replies[2].items and replies[2].items == expected.items
    assert all(p.startswith("ยุทธศาสตร์ 3 /") for p in replies[2].items)
    assert "หัวข้อในแผน" not in replies[1].text


def wording_label(kind: str) -> str:
    from bot.wording import short_label

    return short_label(kind)


def test_a_missing_section_named_inside_another_item_is_quoted_as_such(engine):
    """Plan 2 has no ค่านิยม heading, but its guideline 3 names the ค่านิยมร่วม: the reply says
    there is no such section, and quotes where the plan does speak of it."""
    reply = engine.answer("ค่านิยมร่วมมีอะไรบ้าง แผนไม่ระบุหน่วยงาน 2", State())
    assert reply.kind == "section_absent" and not reply.answered
    assert "ไม่มีหัวข้อ “ค่านิยม”" in reply.text and "แนวทางการพัฒนา ข้อ 3" in reply.text
    assert "การตรงต่อเวลา เคารพกฎหมาย" in reply.text
    plain = engine.answer("วิสัยทัศน์ ลำปาง", State())  # named nowhere in that plan
    assert plain.kind == "section_absent" and not plain.blocks


def test_the_last_n_items(engine):
    goals = [i.path for i in engine.catalog.view("spm-13", "goal").items]
    replies = _talk(engine, "เป้าประสงค์ สพม.13", "สองข้อสุดท้าย", "3 ข้อสุดท้าย", "ข้อสุดท้าย")
    assert [r.items for r in replies[1:]] == [goals[-2:], goals[-3:], goals[-1:]]
    nested = engine.answer("2 ข้อสุดท้ายของกลยุทธ์ของยุทธศาสตร์ที่ 3 ลำปาง", State())
    assert nested.items == ["ยุทธศาสตร์ 3 / กลยุทธ์ 5", "ยุทธศาสตร์ 3 / กลยุทธ์ 6"]


def test_words_naming_items_of_the_section_just_shown_narrow_it(engine):
    replies = _talk(engine, "จุดเน้น สพม13", "ด้านครู")
    direct = engine.answer("จุดเน้นด้านครู สพม.13", State())
    assert replies[1].owner == "spm-13" and replies[1].items == direct.items
    # Words no item of that section is about are searched everywhere, as before.
    other = _talk(engine, "จุดเน้น สพม13", "ความปลอดภัย")[1]
    assert other.owner != "spm-13"
