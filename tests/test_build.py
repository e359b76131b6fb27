"""The index build: what the database holds, and that it is replaced atomically or not at all."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils

from index import build as build_module
from index import tokenize
from index.build import (
    SCHEMA_VERSION,
    BuildError,
    build,
    check,
    corpus_checksum,
    corpus_files,
    default_db,
)
from index.parse import PlanParseError, parse_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
OWNERS = ["spm-13", "spp-lampang-1", "spp-phrae-1", "unidentified-plan-1", "unidentified-plan-2"]
BROKEN = "---\noffice: โรงเรียนทดสอบ\n---\nวิสัยทัศน์\nดี\n\x00\n"  # NUL byte on line 6


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A writable copy of the bundled corpus."""
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


@pytest.fixture
def built(tmp_path, corpus) -> Path:
    """An index built from the copy, in its own folder."""
    db_path = tmp_path / "db" / "index.db"
    build(corpus, db_path)
    return db_path


def folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- what the index holds --------------------------------------------------------------------


def test_metadata_row(index_db):
    meta = {r["key"]: r["value"] for r in sqlite_utils.Database(index_db)["meta"].rows}
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    built_at = datetime.fromisoformat(meta["built_at"])
    assert built_at.tzinfo is not None
    assert meta["corpus_checksum"] == corpus_checksum(corpus_files(CORPUS))
    assert len(meta["corpus_checksum"]) == 64
    assert meta["tokenizer"] == tokenize.version()
    assert meta["owners"] == "5"


def test_owners_with_all_their_names(index_db):
    db = sqlite_utils.Database(index_db)
    owners = {row["id"]: row for row in db["owners"].rows}
    assert sorted(owners) == OWNERS
    phrae = owners["spp-phrae-1"]
    names = json.loads(phrae["names"])
    assert names[0] == "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 1"
    assert {"สพป.แพร่ เขต 1", "สพป.แพร่ 1", "แพร่ 1", "สพป.พร.1"} <= set(names)
    assert phrae["display"] == "สพป.แพร่ เขต 1"
    assert phrae["kind"] == "spp"
    assert json.loads(phrae["provinces"]) == ["แพร่"]
    assert phrae["source"] == "spp-phrae-1.txt"
    assert owners["spm-13"]["display"] == "สพม.13"
    assert owners["unidentified-plan-1"]["kind"] == "other"
    assert json.loads(owners["unidentified-plan-1"]["provinces"]) == []


@pytest.mark.parametrize(
    ("typed", "owner"),
    [
        ("สพปแพร่1", "spp-phrae-1"),
        ("สพปลป1", "spp-lampang-1"),
        ("สพม13", "spm-13"),
        ("แผนไม่ระบุหน่วยงาน2", "unidentified-plan-2"),
    ],
)
def test_names_table_maps_every_key_to_its_owner(index_db, typed, owner):
    db = sqlite_utils.Database(index_db)
    rows = list(db.query("select owner_id from names where key = ?", [typed]))
    assert [r["owner_id"] for r in rows] == [owner]


def test_no_name_key_belongs_to_two_owners(index_db):
    db = sqlite_utils.Database(index_db)
    shared = list(db.query(
        "select key from names group by key having count(distinct owner_id) > 1"
    ))
    assert shared == []


def test_sections_follow_the_parse(index_db):
    db = sqlite_utils.Database(index_db)
    for owner in OWNERS:
        plan = parse_file(CORPUS / f"{owner}.txt")
        rows = list(db.query(
            "select kind, seq, items from sections where owner_id = ? order by seq", [owner]
        ))
        assert [r["kind"] for r in rows] == [s.kind for s in plan.sections], owner
        assert [r["items"] for r in rows] == [sum(1 for _ in s.walk()) for s in plan.sections]


def test_passages_hold_path_exact_text_and_tokens(index_db):
    db = sqlite_utils.Database(index_db)
    rows = list(db.query(
        "select * from passages where owner_id = 'spp-lampang-1' order by id"
    ))
    by_path = {r["item_path"]: r for r in rows}
    strategy = by_path["ยุทธศาสตร์ 3 / กลยุทธ์ 4"]
    assert strategy["text"] == (
        "เสริมสร้างระบบแรงจูงใจ เพื่อให้ครูและบุคลากรทางการศึกษา มีขวัญกำลังใจในการทำงาน"
    )
    assert strategy["item_kind"] == "strategy"
    assert strategy["section_kind"] == "strategic_issue"
    assert strategy["line"] == 33
    assert strategy["tokens"] == " ".join(tokenize.tokenize(strategy["text"]))
    assert "แรงจูงใจ" in strategy["tokens"].split()


def test_every_item_and_intro_is_one_passage(index_db):
    db = sqlite_utils.Database(index_db)
    for owner in OWNERS:
        plan = parse_file(CORPUS / f"{owner}.txt")
        expected = sum(
            (1 if s.intro else 0) + sum(1 for _ in s.walk()) for s in plan.sections
        )
        assert db["passages"].count_where("owner_id = ?", [owner]) == expected, owner
    assert all(r["tokens"] for r in db["passages"].rows)


def test_titled_items_keep_their_body_in_the_passage(index_db):
    db = sqlite_utils.Database(index_db)
    (row,) = db.query(
        "select text from passages where owner_id = 'unidentified-plan-1' "
        "and section_kind = 'strategy' and item_path = '1'"
    )
    first, body = row["text"].split("\n")
    assert first == "ส่งเสริมการจัดการศึกษาให้ผู้เรียนมีความปลอดภัยจากภัยทุกรูปแบบ"
    assert body.startswith("พัฒนาสถานศึกษาให้เป็นพื้นที่ปลอดภัย")


def test_two_builds_of_one_corpus_hold_the_same_rows(tmp_path, corpus):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    build(corpus, first)
    build(corpus, second)
    for table in ("owners", "names", "sections", "passages"):
        a = list(sqlite_utils.Database(first)[table].rows)
        b = list(sqlite_utils.Database(second)[table].rows)
        assert a == b, table


def test_build_returns_the_summary_figures(tmp_path, corpus):
    stats = build(corpus, tmp_path / "index.db")
    db = sqlite_utils.Database(tmp_path / "index.db")
    assert (stats.owners, stats.sections, stats.passages) == (
        db["owners"].count, db["sections"].count, db["passages"].count
    )
    assert stats.seconds > 0
    assert stats.summary().startswith(f"5 owners, {stats.sections} sections, ")
    assert any("repaired" in w for w in stats.warnings)


def test_build_reports_progress_once_per_document(tmp_path, corpus):
    steps = []
    build(corpus, tmp_path / "index.db", progress=steps.append)
    assert steps == [1] * 5


def test_default_db_follows_planbot_db(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANBOT_DB", str(tmp_path / "x.db"))
    assert default_db() == tmp_path / "x.db"
    monkeypatch.delenv("PLANBOT_DB")
    assert default_db().name == "index.db"


# --- atomic replace ----------------------------------------------------------------------------


def test_a_broken_document_stops_the_build_and_leaves_the_old_index(built, corpus):
    before = built.read_bytes()
    listing = folder_listing(built.parent)
    (corpus / "zz-broken.txt").write_text(BROKEN, encoding="utf-8")
    with pytest.raises(PlanParseError) as caught:
        build(corpus, built)
    assert caught.value.line == 6
    assert "zz-broken.txt line 6" in str(caught.value)
    assert built.read_bytes() == before
    assert folder_listing(built.parent) == listing  # no temporary file left behind


def test_a_failure_while_writing_leaves_no_temp_file_and_the_old_index(
    built, corpus, monkeypatch
):
    before = built.read_bytes()
    listing = folder_listing(built.parent)

    def fail(text, **options):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tokenize, "tokenize", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        build(corpus, built)
    assert built.read_bytes() == before
    assert folder_listing(built.parent) == listing


def test_an_interrupted_build_leaves_no_temp_file(built, corpus, monkeypatch):
    before = built.read_bytes()

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        build(corpus, built)
    assert built.read_bytes() == before
    assert folder_listing(built.parent) == ["index.db"]


def test_a_reader_of_the_old_index_is_not_disturbed_by_a_rebuild(built, corpus):
    """The new index is renamed into place: an open connection keeps reading the old one."""
    reader = sqlite3.connect(built)
    old = reader.execute("select count(*) from owners").fetchone()[0]
    extra = "---\noffice: โรงเรียนสวนกุหลาบวิทยาลัย\n---\nวิสัยทัศน์\nเป็นเลิศ\n"
    (corpus / "suankularb.txt").write_text(extra, encoding="utf-8")
    build(corpus, built)
    assert reader.execute("select count(*) from owners").fetchone()[0] == old
    reader.close()
    assert sqlite_utils.Database(built)["owners"].count == old + 1


def test_the_database_folder_is_created(tmp_path, corpus):
    db_path = tmp_path / "new" / "folder" / "index.db"
    build(corpus, db_path)
    assert sqlite_utils.Database(db_path)["owners"].count == 5


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o600])
def test_a_rebuild_keeps_the_replaced_files_mode(built, corpus, mode):
    """An admin who made the index readable by the web user's group keeps that after every
    rebuild (and one who made it private keeps that)."""
    built.chmod(mode)
    inode = built.stat().st_ino
    build(corpus, built)
    assert built.stat().st_ino != inode  # a new file, renamed into place
    assert stat.S_IMODE(built.stat().st_mode) == mode


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_a_first_index_is_0644_less_the_umask(tmp_path, corpus, umask, mode):
    """Not mkstemp's 0600: a web process running as another user can read a new index unless
    the umask of whoever built it says otherwise."""
    db_path = tmp_path / "db" / "index.db"
    previous = os.umask(umask)
    try:
        build(corpus, db_path)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(db_path.stat().st_mode) == mode
    assert folder_listing(db_path.parent) == ["index.db"]


# --- corpus problems ---------------------------------------------------------------------------


def test_missing_corpus_folder(tmp_path):
    with pytest.raises(BuildError, match="not found"):
        build(tmp_path / "nowhere", tmp_path / "index.db")
    assert not (tmp_path / "index.db").exists()


def test_empty_corpus_folder(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "README").write_text("not a plan")
    with pytest.raises(BuildError, match="no plan documents"):
        build(tmp_path / "corpus", tmp_path / "index.db")
    assert not (tmp_path / "index.db").exists()


def test_two_documents_with_one_owner_id(tmp_path, corpus):
    shutil.copy(corpus / "spm-13.txt", corpus / "spm-13.md")
    with pytest.raises(BuildError, match="same owner id"):
        build(corpus, tmp_path / "index.db")


def test_check_parses_without_writing(tmp_path, corpus):
    listing = folder_listing(corpus)
    plans, warnings = check(corpus)
    assert len(plans) == 5
    assert any("page noise dropped" in w for w in warnings)
    assert any("repaired" in w for w in warnings)
    assert folder_listing(corpus) == listing
    assert folder_listing(tmp_path) == ["corpus"]
