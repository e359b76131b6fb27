"""`index check` and `index rebuild` on corpora with real plan documents: what is read, what is
indexed with warnings, what stops a build (see index/corpus.py for the rule), through CliRunner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.answer import Engine
from bot.reply import State
from index.cli import cli
from index.store import Store
from tests.conftest import CORPUS, ROOT, SHARED

FIXTURES = ROOT / "tests" / "fixtures"
DOCUMENTS = SHARED / "documents"
SPM13 = "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา เขต 13"


@pytest.fixture
def runner() -> CliRunner:
    """click's runner for the index CLI (the app's `runner` fixture is Flask's)."""
    return CliRunner()


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A copy of the bundled corpus to add documents to."""
    return Path(shutil.copytree(CORPUS, tmp_path / "corpus"))


def invoke(runner, *args):
    """Run an index command; exceptions are failures, not exit codes."""
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def rebuilt(runner, corpus: Path, db_path: Path):
    return invoke(runner, "rebuild", "--corpus", corpus, "--db", db_path)


def shared(name: str) -> Path:
    path = DOCUMENTS / name
    if not path.exists():
        pytest.skip(f"{path} is not beside this clone")
    return path


def test_a_headingless_page_is_indexed_with_a_warning(runner, tmp_path, corpus):
    (corpus / "school.txt").write_text(
        "---\noffice: โรงเรียนบ้านทดสอบ\n---\nโรงเรียนบ้านทดสอบ\n1. ร้อยละของนักเรียนที่อ่านคล่อง\n"
        "2. จำนวนครูที่ได้รับการพัฒนา\n", encoding="utf-8")
    result = invoke(runner, "check", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert (f"warning: {corpus / 'school.txt'} line 5: no heading found: read as an untitled "
            "list of 2 items, classified as ตัวชี้วัด") in result.output
    assert result.output.splitlines()[-1].startswith("6 documents parsed")
    db_path = tmp_path / "index.db"
    assert rebuilt(runner, corpus, db_path).exit_code == 0
    plan = Store(db_path).plan("school")
    assert [i.text for i in plan.section("indicator").items] == [
        "ร้อยละของนักเรียนที่อ่านคล่อง", "จำนวนครูที่ได้รับการพัฒนา"]


def test_two_files_of_one_office_are_one_owner(runner, tmp_path, corpus):
    (corpus / "spm-13-strategy.md").write_text(
        f"---\noffice: {SPM13}\naliases: [สพม.ตรัง]\n---\nวิสัยทัศน์\nผู้นำด้านคุณภาพการศึกษา\n"
        "ตัวชี้วัด\n1. ร้อยละของโรงเรียนที่ผ่านการประเมินคุณภาพภายนอก\n", encoding="utf-8")
    result = invoke(runner, "check", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    duplicate = [line for line in result.output.splitlines() if "is also in" in line]
    assert duplicate == [
        f"warning: {corpus / 'spm-13.txt'} line 9: section 'วิสัยทัศน์' is also in "
        f"{corpus / 'spm-13-strategy.md'} line 5 (same owner, {SPM13}); both are kept"]
    assert f"one owner, 2 documents: {SPM13}: spm-13-strategy.md, spm-13.txt" in result.output
    db_path = tmp_path / "index.db"
    assert " 5 owners" in rebuilt(runner, corpus, db_path).output
    store = Store(db_path)
    owner = next(o for o in store.owners.values() if o.office == SPM13)
    plan = store.plan(owner.id)
    assert [s.kind for s in plan.sections].count("vision") == 2
    assert plan.section("indicator").items[0].text == "ร้อยละของโรงเรียนที่ผ่านการประเมินคุณภาพภายนอก"
    answer = Engine(db_path).answer("ตัวชี้วัดของ สพม.ตรัง มีอะไรบ้าง", State())
    assert "ร้อยละของโรงเรียนที่ผ่านการประเมินคุณภาพภายนอก" in answer.text


def test_an_alias_that_is_another_owners_name_stops_the_build_naming_both(runner, tmp_path,
                                                                          corpus):
    db_path = tmp_path / "index.db"
    assert rebuilt(runner, corpus, db_path).exit_code == 0
    before = db_path.read_bytes()
    (corpus / "school.txt").write_text(
        "---\noffice: โรงเรียนบ้านทดสอบ\naliases: [สพม.13]\n---\nพันธกิจ\n1. สอนดี\n",
        encoding="utf-8")
    result = rebuilt(runner, corpus, db_path)
    assert result.exit_code != 0
    assert f"{corpus / 'school.txt'}: alias 'สพม.13'" in result.output
    assert str(corpus / "spm-13.txt") in result.output
    assert db_path.read_bytes() == before


def test_a_binary_plan_without_sidecar_names_where_its_owner_was_found(runner, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "documents" / "plan.pdf", corpus / "spm-13.pdf")
    shutil.copy(FIXTURES / "whole-plan" / "plan.docx", corpus / "suk-jai-2.docx")
    result = invoke(runner, "check", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    pdf_line = next(line for line in lines if line.startswith(str(corpus / "spm-13.pdf")))
    assert pdf_line.startswith(f"{corpus / 'spm-13.pdf'}: pdf, 5 pages; repaired: running 10; "
                               "quality: ")
    assert f"owner: {SPM13} (from first page: “{SPM13}”)" in pdf_line
    assert "6 sections, 26 items" in pdf_line
    assert any(line.startswith(f"{corpus / 'suk-jai-2.docx'}: docx; repaired: nothing")
               for line in lines)
    assert lines[-1] == "2 documents parsed, 0 warnings"
    db_path = tmp_path / "index.db"
    assert " 2 owners" in rebuilt(runner, corpus, db_path).output


def test_a_sidecar_names_the_owner_and_is_not_a_document(runner, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "documents" / "plan.docx", corpus / "plan.docx")
    (corpus / "plan.docx.yaml").write_text(
        "office: สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาตรัง กระบี่\nshort: สพม.ตรัง กระบี่\n"
        "year: 2566-2570\n", encoding="utf-8")
    for name in ("~$plan.docx", ".~lock.plan.docx#", "._plan.docx", ".#plan.md", "plan.md~",
                 ".plan.md.swp"):
        (corpus / name).write_bytes(b"\0junk")
    result = invoke(runner, "check", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert ("owner: สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาตรัง กระบี่ (from sidecar plan.docx.yaml)"
            in result.output)
    skipped = sorted(line.split(": ")[1] for line in result.output.splitlines()
                     if line.startswith("skipped: "))
    assert skipped == sorted(str(corpus / n) for n in (
        "~$plan.docx", ".~lock.plan.docx#", "._plan.docx", ".#plan.md", "plan.md~",
        ".plan.md.swp"))
    assert result.output.splitlines()[-1] == "1 documents parsed, 0 warnings"


def test_a_document_whose_owner_is_nowhere_is_refused_and_stops_the_build(runner, tmp_path,
                                                                         corpus):
    db_path = tmp_path / "index.db"
    assert rebuilt(runner, corpus, db_path).exit_code == 0
    before = db_path.read_bytes()
    shutil.copy(shared("thoeng-wage-regulation-2526.pdf"), corpus / "wages.pdf")
    result = rebuilt(runner, corpus, db_path)
    assert result.exit_code != 0
    assert f"{corpus / 'wages.pdf'}: no owner" in result.output
    assert "wages.pdf.yaml" in result.output
    assert db_path.read_bytes() == before
    check = invoke(runner, "check", "--corpus", corpus)
    assert check.exit_code != 0
    assert f"cannot read: {corpus / 'wages.pdf'}: no owner" in check.output
    assert "5 documents parsed" in check.output  # the others are still reported


@pytest.mark.parametrize(
    ("name", "source", "says"),
    [
        ("form.doc", "ktltc-project-form.doc", "cannot read '.doc' files: an old Word 97-2003 file: "
                                              "open it and save it as .docx or .pdf"),
        ("budget.xlsx", None, "cannot read '.xlsx' files: a spreadsheet"),
        ("scan.pdf", "thoeng-procurement-plan-2568-scan.pdf", "no text layer"),
        ("act.pdf", "thoeng-teacher-civil-service-act-2547.pdf", "mojibake"),
    ],
)
def test_unreadable_documents_stop_the_rebuild_by_name_and_keep_the_old_index(
        runner, tmp_path, corpus, name, source, says):
    db_path = tmp_path / "db" / "index.db"
    assert rebuilt(runner, corpus, db_path).exit_code == 0
    before = db_path.read_bytes()
    if source:
        shutil.copy(shared(source), corpus / name)
    else:
        (corpus / name).write_bytes(b"PK\x03\x04 not really a spreadsheet")
    (corpus / f"{name}.yaml").write_text("office: วิทยาลัยเทคนิคเทิง\n", encoding="utf-8")
    result = rebuilt(runner, corpus, db_path)
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert f"{corpus / name}: " in result.output and says in result.output
    assert "Traceback" not in result.output
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["index.db"]
    check = invoke(runner, "check", "--corpus", corpus)
    assert check.exit_code != 0 and f"cannot read: {corpus / name}: " in check.output


def test_several_unreadable_documents_are_all_named(runner, tmp_path, corpus):
    (corpus / "a.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (corpus / "b.txt").write_text("no front matter\n", encoding="utf-8")
    result = rebuilt(runner, corpus, tmp_path / "index.db")
    assert result.exit_code != 0
    assert f"{corpus / 'a.doc'}: cannot read '.doc' files" in result.output
    assert f"{corpus / 'b.txt'} line 1: no front matter" in result.output
    assert not (tmp_path / "index.db").exists()


FORMATS = ("docx", "pdf", "odt", "html")


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    """The generated plan built alone into an index, once per format."""
    out = {}
    for fmt in FORMATS:
        folder = tmp_path_factory.mktemp(fmt)
        shutil.copy(FIXTURES / "documents" / f"plan.{fmt}", folder / f"spm-13.{fmt}")
        result = CliRunner().invoke(cli, ["rebuild", "--corpus", str(folder), "--db",
                                          str(folder / "index.db")], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        out[fmt] = Engine(folder / "index.db")
    return out


@pytest.mark.parametrize("question", [
    "พันธกิจของ สพม.13", "เป้าประสงค์ข้อ 2 ของ สพม.13", "กลยุทธ์ของ สพม.13 มีอะไรบ้าง",
    "ตัวชี้วัดของ สพม.13", "วิสัยทัศน์ สพม.13",
])
def test_the_same_plan_in_every_format_gives_the_same_answers(engines, question):
    answers = {fmt: engines[fmt].answer(question, State()).text for fmt in FORMATS}
    assert answers["docx"] and "ไม่พบ" not in answers["docx"]
    for fmt in ("pdf", "odt", "html"):
        assert answers[fmt] == answers["docx"], fmt
