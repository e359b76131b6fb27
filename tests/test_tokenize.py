"""The one tokenizer: the same tokens for plan passages at build time and questions at answer
time, domain terms kept whole, Thai digits and Latin case folded, stop words dropped, and no
network ever."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import tokenize as tok
from index.text import clean, fold, fold_clean, join_wrapped, squash

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("สพป.แพร่ เขต 1 มีวิสัยทัศน์อะไร", "สพป"),
        ("เป้าประสงค์ของ สพม.13", "สพม"),
        ("นโยบาย สพฐ. ปีนี้", "สพฐ"),
        ("ตัวชี้วัดความสำเร็จ", "ตัวชี้วัด"),
        ("คะแนน O-NET ร้อยละ 50", "o-net"),
        ("ผลการทดสอบ O-Net หรือ NT", "o-net"),
        ("จุดเน้นของเขต", "จุดเน้น"),
        ("ค่านิยมองค์กร", "ค่านิยม"),
        ("อัตลักษณ์โรงเรียน", "อัตลักษณ์"),
        ("เป้าประสงค์ที่ 6", "เป้าประสงค์"),
        ("กลยุทธ์ที่ 2", "กลยุทธ์"),
        ("ยุทธศาสตร์ที่ 3", "ยุทธศาสตร์"),
        ("พันธกิจข้อ 2", "พันธกิจ"),
        ("ตามหลักธรรมาภิบาล", "ธรรมาภิบาล"),
        ("เกณฑ์ ITA", "ita"),
        ("วงจร PDCA", "pdca"),
    ],
)
def test_domain_terms_are_kept_whole(text, kept):
    assert kept in tok.tokenize(text)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("ร้อยละ ๘๐", ["ร้อยละ", "80"]),
        ("ยุทธศาสตร์ที่ ๓", ["ยุทธศาสตร์", "3"]),
        ("สพป.แพร่ เขต ๑", ["สพป", "แพร่", "เขต", "1"]),
        ("VISION", ["vision"]),
        ("Vision", ["vision"]),
        ("O-NET o-net O-Net", ["o-net", "o-net", "o-net"]),
        ("ICT", ["ict"]),
    ],
)
def test_thai_digits_and_latin_case_are_folded(text, tokens):
    assert tok.tokenize(text) == tokens


@pytest.mark.parametrize("word", ["และ", "ของ", "ที่", "ใน", "การ", "มี"])
def test_stop_words_are_dropped(word):
    assert word in tok.stopwords()
    assert word not in tok.tokenize(f"วิสัยทัศน์{word}โรงเรียน")
    assert word in tok.words(word)  # words() keeps them, for callers that need every word


def test_spaces_and_punctuation_are_not_tokens():
    tokens = tok.tokenize("วิสัยทัศน์ (Vision) : “พันธกิจ” — กลยุทธ์, 1. • - ?")
    assert tokens == ["วิสัยทัศน์", "vision", "พันธกิจ", "กลยุทธ์", "1"]


def test_empty_and_blank_text():
    assert tok.tokenize("") == []
    assert tok.tokenize("   \n\t") == []
    assert tok.segment("") == []


@pytest.mark.parametrize(
    ("passage", "question"),
    [
        ("พันธกิจ (MISSION)", "พันธกิจ mission"),
        ("ร้อยละ  ๘๐", "ร้อยละ 80"),
        ("ส\u0e4d\u0e32นักงาน\u200bเขตพื้นที่", "สำนักงานเขตพื้นที่"),
        ("O-NET", "o-net"),
        ("สพป. แพร่ เขต ๑", "สพป.แพร่ เขต 1"),
    ],
)
def test_the_same_text_gives_the_same_tokens_however_it_is_typed(passage, question):
    assert tok.tokenize(passage) == tok.tokenize(question)


@pytest.mark.parametrize(
    ("passage", "question"),
    [
        ("ข้อ ① พัฒนาผู้เรียน", "ข้อ 1 พัฒนาผู้เรียน"),  # a circled digit
        ("พื้นที่ 100 ม²", "พื้นที่ 100 ม2"),  # a superscript
        ("ยุทธศาสตร์ที่ Ⅳ", "ยุทธศาสตร์ที่ IV"),  # a Roman numeral
        ("½ ของโรงเรียน", "1⁄2 ของโรงเรียน"),
        ("ﬁnance ＯＮＥＴ", "finance onet"),  # a ligature and full-width letters, as before
    ],
)
def test_a_clean_passage_and_a_question_fold_alike(passage, question):
    """The parser's passages go through `clean`, then tokenize(already_clean=True); questions
    through tokenize alone. Compatibility forms must fold the same way on both paths."""
    assert tok.tokenize(clean(passage), already_clean=True) == tok.tokenize(question)
    assert tok.tokenize(clean(passage), already_clean=True) == tok.tokenize(passage)


#: Any text, Thai and the characters that fold differently weighted up.
ANY_TEXT = st.text(st.one_of(
    st.characters(),
    st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F),
    st.sampled_from(" \u00a0\u200b\u0e33\u0e4d\u0e32①²Ⅳ½ﬁＡ๑"),
), max_size=60)


@given(ANY_TEXT)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_for_any_text_the_passage_path_gives_the_question_paths_tokens(text):
    assert tok.tokenize(clean(text), already_clean=True) == tok.tokenize(text)


@given(ANY_TEXT)
@settings(max_examples=1000, deadline=None)
def test_the_quick_fold_of_clean_text_is_a_full_nfkc_fold(text):
    """fold_clean skips NFKC for text that needs none: it must never skip what NFKC changes."""
    import unicodedata

    cleaned = clean(text)
    full = "\u0e33".join(unicodedata.normalize("NFKC", p) for p in cleaned.split("\u0e33"))
    assert fold_clean(cleaned) == clean(full).translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")).casefold()


def test_passages_in_the_index_carry_the_tokens_of_their_text(index_db):
    """Build time and question time use one function: re-tokenizing each stored text gives
    exactly the stored tokens."""
    db = sqlite_utils.Database(index_db)
    rows = list(db["passages"].rows)
    assert rows
    for row in rows:
        assert row["tokens"] == " ".join(tok.tokenize(row["text"])), row["item_path"]
    meta = {r["key"]: r["value"] for r in db["meta"].rows}
    assert meta["tokenizer"] == tok.version()


def test_a_question_finds_the_tokens_of_a_passage(index_db):
    db = sqlite_utils.Database(index_db)
    (row,) = db.query(
        "select tokens from passages where owner_id = 'spm-13' and section_kind = 'identity'"
    )
    passage = set(row["tokens"].split())
    assert set(tok.tokenize("สำนักงานมาตรฐาน")) <= passage
    assert set(tok.tokenize("บริการดี")) <= passage


def test_version_names_the_engine_and_pythainlp():
    version = tok.version()
    assert version.startswith(tok.ENGINE)
    assert "pythainlp" in version


def test_word_list_includes_every_domain_term():
    words = set(tok.word_list())
    assert set(tok.DOMAIN_TERMS) <= words
    assert len(words) > 10_000  # PyThaiNLP's own words are kept, not replaced


def test_pythainlp_data_is_set_for_the_tests():
    assert os.environ.get("PYTHAINLP_DATA")


NO_NETWORK = textwrap.dedent(
    """
    import socket

    def refuse(*args, **kwargs):
        raise OSError("network used")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    from index.names import derive_names
    from index.tokenize import tokenize

    assert tokenize("สพป.แพร่ เขต 1 มีตัวชี้วัดอะไร") == ["สพป", "แพร่", "เขต", "1", "ตัวชี้วัด"]
    names = derive_names("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาลำปาง เขต 1")
    assert "สพป.ลป.1" in names.names
    print("ok")
    """
)


def test_tokenizer_and_names_work_without_network_in_a_fresh_data_folder(tmp_path):
    """A fresh PYTHAINLP_DATA and every socket refused: nothing is downloaded."""
    env = dict(os.environ, PYTHAINLP_DATA=str(tmp_path / "pythainlp-data"))
    env.pop("HTTP_PROXY", None)
    done = subprocess.run(
        [sys.executable, "-c", NO_NETWORK], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


WITH_A_TERM = textwrap.dedent(
    """
    import sys

    import index.vocab

    index.vocab.DOMAIN_TERMS = (*index.vocab.DOMAIN_TERMS, sys.argv[1])
    from index.tokenize import segment

    print("|".join(segment(sys.argv[1])))
    """
)


def test_a_renamed_domain_term_is_not_read_from_the_old_dictionary_file(tmp_path):
    """The merged word list is cached as a file in PYTHAINLP_DATA: one term renamed (so just
    as many words) must give a new file, not the one written for the old term."""
    env = dict(os.environ, PYTHAINLP_DATA=str(tmp_path / "pythainlp-data"))

    def segmented(term: str) -> str:
        done = subprocess.run([sys.executable, "-c", WITH_A_TERM, term], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    before, after = "ห้องเรียนกลับด้านพิเศษ", "โรงเรียนคุณธรรมพิเศษ"
    assert segmented(before) == before
    assert segmented(after) == after  # a word of the dictionary now, not split
    assert len(list((tmp_path / "pythainlp-data").glob("planbot-words-*.txt"))) == 2


# --- the text normalisation underneath ---------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  สวัสดี   ครับ  ", "สวัสดี ครับ"),
        ("น\u0e4d\u0e32", "นำ"),
        ("วิสัย\u200bทัศน์", "วิสัยทัศน์"),
        ("\ufeffพันธกิจ", "พันธกิจ"),
        ("ก\u00a0ข\tค", "ก ข ค"),
        ("ก\x0bข", "ก ข"),
        ("", ""),
    ],
)
def test_clean_fixes_only_what_a_reader_cannot_see(raw, cleaned):
    assert clean(raw) == cleaned


def test_clean_keeps_thai_digits_and_case_but_fold_does_not():
    assert clean("เขต ๑ VISION") == "เขต ๑ VISION"
    assert fold("เขต ๑ VISION") == "เขต 1 vision"


def test_squash_drops_spaces_dots_and_dashes():
    assert squash("สพป. แพร่ เขต ๑") == "สพปแพร่เขต1"
    assert squash("O-NET") == "onet"


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("เด็กไทย", "ในศตวรรษที่ 21", "เด็กไทยในศตวรรษที่ 21"),
        ("ส่งเสริม Active", "Learning", "ส่งเสริม Active Learning"),
        ("ร้อยละ", "50", "ร้อยละ 50"),
        ("", "ข", "ข"),
        ("ก", "", "ก"),
    ],
)
def test_join_wrapped(left, right, joined):
    assert join_wrapped(left, right) == joined


@pytest.mark.parametrize(
    ("left", "right", "short", "joined"),
    [
        # a label with a figure or a colon after it starts a phrase, after any line
        ("ร้อยละของนักเรียนที่มีผลการทดสอบ O-NET เพิ่มขึ้น", "ค่าเป้าหมาย ปี 2565 ร้อยละ 3", False,
         "ร้อยละของนักเรียนที่มีผลการทดสอบ O-NET เพิ่มขึ้น ค่าเป้าหมาย ปี 2565 ร้อยละ 3"),
        ("โครงการแนะแนวสัญจร", "งบประมาณ: ๘๕,๐๐๐ บาท", False,
         "โครงการแนะแนวสัญจร งบประมาณ: ๘๕,๐๐๐ บาท"),
        # a label with a plain space after it, only after a line that ended on purpose
        ("โครงการแนะแนวสัญจร", "ผู้รับผิดชอบ กลุ่มส่งเสริม", True,
         "โครงการแนะแนวสัญจร ผู้รับผิดชอบ กลุ่มส่งเสริม"),
        ("การบริหารจัดการอย่างมีประสิทธิภาพและคุ้มค่าในการใช้", "งบประมาณ อย่างโปร่งใส", False,
         "การบริหารจัดการอย่างมีประสิทธิภาพและคุ้มค่าในการใช้งบประมาณ อย่างโปร่งใส"),
        # a word that only begins like a label is no label
        ("ส่งเสริมการบรรลุ", "เป้าหมายการพัฒนาที่ยั่งยืน", True,
         "ส่งเสริมการบรรลุเป้าหมายการพัฒนาที่ยั่งยืน"),
    ],
)
def test_a_continuation_labelling_a_value_keeps_a_space(left, right, short, joined):
    assert join_wrapped(left, right, short) == joined
