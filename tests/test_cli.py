"""The admin CLI through click's CliRunner: rebuild, show, check, and help on every command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SUMMARY = re.compile(r"^.+: (\d+) owners, (\d+) sections, (\d+) passages in (\d+\.\d) s$")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


def invoke(runner, *args, **kwargs):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)


# --- rebuild -------------------------------------------------------------------------------------


def test_rebuild_the_bundled_corpus_prints_its_summary_and_which_files_have_warnings(
        runner, tmp_path):
    """One summary line, then how many warnings each file was indexed with (the bundled
    plans carry a few: an unknown heading, plans that name no owner), pointing to `check`."""
    db_path = tmp_path / "index.db"
    result = invoke(runner, "rebuild", "--corpus", CORPUS, "--db", db_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    check = invoke(runner, "check", "--corpus", CORPUS)
    warned = [w.removeprefix("warning: ").split(": ", 1)[0].rsplit(" line ", 1)[0]
              for w in check.output.splitlines() if w.startswith("warning: ")]
    assert warned  # the bundled corpus has warnings, so this test can see them
    assert lines[1] == (f"indexed with {len(warned)} warning(s); read them with: "
                        "python -m index check")
    assert lines[2:] == [f"warnings: {name}: {warned.count(name)}" for name in dict.fromkeys(warned)]
    match = SUMMARY.match(lines[0])
    assert match, lines[0]
    owners, sections, passages, _seconds = match.groups()
    assert int(owners) == 5
    assert int(sections) >= 19
    assert int(passages) >= 100
    assert str(db_path) in lines[0]
    assert db_path.exists()


def test_rebuild_defaults_to_the_bundled_corpus_and_planbot_db(runner, tmp_path):
    db_path = tmp_path / "env" / "index.db"
    result = invoke(runner, "rebuild", env={"PLANBOT_DB": str(db_path)})
    assert result.exit_code == 0, result.output
    assert SUMMARY.match(result.output.splitlines()[0])
    assert " 5 owners" in result.output
    assert db_path.exists()


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("no-front-matter.txt", "วิสัยทัศน์\nดี\n", 1),
        ("no-office.txt", "---\nshort: x\n---\nวิสัยทัศน์\nดี\n", 2),
        ("bad-yaml.txt", "---\noffice: ก\nshort: [x\n---\nวิสัยทัศน์\n", 3),
        ("no-sections.txt", "---\noffice: ก\n---\nสวัสดี\n", 4),
        ("nul.txt", "---\noffice: ก\n---\nวิสัยทัศน์\nดี\n\x00\n", 6),
    ],
    ids=["no-front-matter", "no-office", "bad-yaml", "no-sections", "nul-byte"],
)
def test_a_broken_document_fails_naming_file_and_line_and_keeps_the_old_index(
    runner, tmp_path, corpus, name, content, line
):
    db_path = tmp_path / "db" / "index.db"
    assert invoke(runner, "rebuild", "--corpus", corpus, "--db", db_path).exit_code == 0
    before = db_path.read_bytes()
    (corpus / name).write_text(content, encoding="utf-8")

    result = invoke(runner, "rebuild", "--corpus", corpus, "--db", db_path)

    assert result.exit_code != 0
    assert f"{name} line {line}:" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["index.db"]


def test_a_document_that_is_not_utf8_fails_naming_file_and_line(runner, tmp_path, corpus):
    db_path = tmp_path / "index.db"
    assert invoke(runner, "rebuild", "--corpus", corpus, "--db", db_path).exit_code == 0
    before = db_path.read_bytes()
    (corpus / "latin1.txt").write_bytes(b"---\noffice: x\n---\ncaf\xe9\n")
    result = invoke(runner, "rebuild", "--corpus", corpus, "--db", db_path)
    assert result.exit_code != 0
    assert "latin1.txt line 4:" in result.output
    assert "UTF-8" in result.output
    assert db_path.read_bytes() == before


def test_a_missing_corpus_folder_fails_cleanly(runner, tmp_path):
    result = invoke(runner, "rebuild", "--corpus", tmp_path / "nowhere", "--db",
                    tmp_path / "index.db")
    assert result.exit_code != 0
    assert "nowhere" in result.output and "not found" in result.output
    assert not (tmp_path / "index.db").exists()


# --- show ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "owner", "shows"),
    [
        ("สพป.แพร่ 1", "spp-phrae-1", "ทั่วถึงครอบคลุมให้ได้รับโอกาสในการพัฒนาเต็มศักยภาพ"),
        ("สพป.แพร่ เขต 1", "spp-phrae-1", "กลุ่มเครือข่ายการศึกษา"),
        ("สพป.แพร่1", "spp-phrae-1", "วิสัยทัศน์"),
        ("แพร่ 1", "spp-phrae-1", "พันธกิจ"),
        ("สพป.ลป.1", "spp-lampang-1", "ยุทธศาสตร์ 3 / กลยุทธ์ 4"),
        ("สพป.ลำปาง เขต 1", "spp-lampang-1", "ยุทธศาสตร์ 4 / เป้าประสงค์ 6"),
        ("สพม13", "spm-13", "1.1"),
        ("สพม.13", "spm-13", "อัตลักษณ์"),
        ("spm-13", "spm-13", "ผู้อำนวยการกลุ่มนโยบายและแผน"),
        ("แผนไม่ระบุหน่วยงาน 2", "unidentified-plan-2", "3.1"),
    ],
)
def test_show_finds_an_owner_by_any_name_and_prints_its_tree(runner, index_db, name, owner,
                                                             shows):
    result = invoke(runner, "show", name, "--db", index_db)
    assert result.exit_code == 0, result.output
    assert f"[{owner}]" in result.output.splitlines()[0]
    assert shows in result.output


def test_show_prints_sections_in_order_with_nested_items(runner, index_db):
    result = invoke(runner, "show", "สพม13", "--db", index_db)
    out = result.output
    order = ["[vision]", "[mission]", "[identity]", "[goal]", "[strategy]", "[focus]",
             "[signature]"]
    positions = [out.index(kind) for kind in order]
    assert positions == sorted(positions)
    lines = out.splitlines()
    parent = next(line for line in lines if "จุดเน้นด้านผู้เรียน" in line)
    child = next(line for line in lines if "นักเรียนมีสมรรถนะสู่มาตรฐานสากล" in line)
    assert child.lstrip().startswith("1.1")
    indent = len(child) - len(child.lstrip())
    assert indent > len(parent) - len(parent.lstrip())  # the sub-item is indented under 1
    assert "Google Calendar" in out  # only in the warning line, which names the noise dropped
    assert all("Google" not in line for line in out.splitlines() if not line.startswith(
        "warning:"))


def test_show_an_unknown_name_fails(runner, index_db):
    result = invoke(runner, "show", "สพป.น่าน 9", "--db", index_db)
    assert result.exit_code != 0
    assert "no owner called" in result.output


def test_show_without_an_index_says_to_rebuild(runner, tmp_path):
    result = invoke(runner, "show", "สพม13", "--db", tmp_path / "none.db")
    assert result.exit_code != 0
    assert "rebuild" in result.output
    assert not (tmp_path / "none.db").exists()


# --- check ---------------------------------------------------------------------------------------


def test_check_lists_warnings_without_writing(runner, tmp_path, corpus):
    db_path = tmp_path / "never.db"
    listing = sorted(p.name for p in tmp_path.rglob("*"))
    result = invoke(runner, "check", "--corpus", corpus, env={"PLANBOT_DB": str(db_path)})
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert any("repaired" in w and "spp-phrae-1.txt line 31" in w for w in warnings)
    assert any("page noise dropped" in w and "Google Calendar" in w for w in warnings)
    assert result.output.splitlines()[-1] == f"5 documents parsed, {len(warnings)} warnings"
    assert sorted(p.name for p in tmp_path.rglob("*")) == listing
    assert not db_path.exists()


def test_check_lists_sections_with_no_items(runner, corpus):
    (corpus / "empty.txt").write_text(
        "---\noffice: โรงเรียนทดสอบ\n---\nวิสัยทัศน์\nดี\nพันธกิจ\n", encoding="utf-8"
    )
    result = invoke(runner, "check", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "empty.txt line 6" in result.output


def test_check_lists_unknown_headings(runner, corpus):
    (corpus / "policy.txt").write_text(
        "---\noffice: โรงเรียนทดสอบ\n---\nวิสัยทัศน์\nดี\nประวัติโรงเรียน (History)\n1. ข้อหนึ่ง\n",
        encoding="utf-8",
    )
    result = invoke(runner, "check", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert any(
        "policy.txt line 6" in line and "unknown heading" in line
        for line in result.output.splitlines()
    )


def test_check_a_broken_document_fails_naming_file_and_line(runner, corpus):
    (corpus / "broken.txt").write_text("---\noffice: ก\n---\nสวัสดี\n", encoding="utf-8")
    result = invoke(runner, "check", "--corpus", corpus)
    assert result.exit_code != 0
    assert "broken.txt line 4:" in result.output


# --- help ----------------------------------------------------------------------------------------


def test_every_command_has_help(runner):
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    assert set(cli.commands) == {"rebuild", "show", "check"}
    for name, command in cli.commands.items():
        assert command.help, name
        result = invoke(runner, name, "--help")
        assert result.exit_code == 0, name
        assert "Usage:" in result.output and "Example:" in result.output, name
        assert name in result.output


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    for key in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN"):
        env.pop(key, None)
    return subprocess.run(
        list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, **kwargs
    )


def test_python_dash_m_index_help():
    done = run(sys.executable, "-m", "index", "--help")
    assert done.returncode == 0, done.stderr
    for name in ("rebuild", "show", "check"):
        assert name in done.stdout


@pytest.mark.skipif(not (ROOT / "bot" / "__init__.py").exists(), reason="no Flask app yet")
def test_flask_app_mounts_the_same_group():
    flask = Path(sys.executable).with_name("flask")
    done = run(str(flask), "--app", "bot", "index", "--help")
    assert done.returncode == 0, done.stderr
    assert "Build and inspect the plan index." in done.stdout
    for name in ("rebuild", "show", "check"):
        assert name in done.stdout
