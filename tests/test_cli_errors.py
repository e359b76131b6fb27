"""CLI errors are one clear line and a non-zero exit (issue 12, item 6): `--db` pointing at a
file that is not an index, for `index show`, `index rebuild`, `bot ask` and `bot eval`, and
`bot eval` of a file with no cases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli as bot_cli
from index.cli import cli as index_cli
from tests.conftest import CORPUS, ROOT

QUESTION = "- q: วิสัยทัศน์ สพม.13\n  expect: [วิสัยทัศน์]\n"


def not_an_index(kind: str, folder: Path, index_db: Path) -> Path:
    """A file where an index should be: a text file, an empty file, a truncated index, or
    another program's SQLite database."""
    path = folder / f"{kind}.db"
    if kind == "text":
        path.write_text("วิสัยทัศน์ สพม.13\n", encoding="utf-8")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":  # a copy cut short, as an interrupted cp leaves it
        path.write_bytes(index_db.read_bytes()[: index_db.stat().st_size // 3])
    elif kind == "other sqlite":
        import sqlite3

        with sqlite3.connect(path) as db:
            db.execute("create table meta (key text, value text)")
        db.close()
    return path


KINDS = ("text", "empty", "truncated", "other sqlite")


def one_line_error(result, path: Path) -> str:
    """The result failed with exit 1 and exactly one line naming the file; that line."""
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"Error: {path}: not a planbot index ("), lines[0]
    return lines[0]


@pytest.mark.parametrize("kind", KINDS)
def test_index_show_on_a_file_that_is_not_an_index(kind, tmp_path, index_db):
    path = not_an_index(kind, tmp_path, index_db)
    before = path.read_bytes()
    result = CliRunner().invoke(index_cli, ["show", "สพม.13", "--db", str(path)])
    one_line_error(result, path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("kind", KINDS)
def test_index_rebuild_never_replaces_a_file_that_is_not_an_index(kind, tmp_path, index_db):
    """Rebuild over a text file (a typo in --db) would destroy it: refused in one line, the
    file left as it was. A damaged index has to be removed first, knowingly."""
    path = not_an_index(kind, tmp_path, index_db)
    before = path.read_bytes()
    result = CliRunner().invoke(index_cli, ["rebuild", "--corpus", str(CORPUS), "--db", str(path)])
    line = one_line_error(result, path)
    assert "remove the file" in line
    assert path.read_bytes() == before


def test_index_rebuild_still_replaces_an_index(tmp_path, index_db):
    path = tmp_path / "index.db"
    path.write_bytes(index_db.read_bytes())
    result = CliRunner().invoke(index_cli, ["rebuild", "--corpus", str(CORPUS), "--db", str(path)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("kind", KINDS)
def test_bot_ask_on_a_file_that_is_not_an_index(kind, tmp_path, index_db):
    path = not_an_index(kind, tmp_path, index_db)
    result = CliRunner().invoke(bot_cli, ["ask", "วิสัยทัศน์ สพม.13", "--db", str(path)])
    one_line_error(result, path)


def test_bot_eval_on_a_file_that_is_not_an_index(tmp_path, index_db):
    path = not_an_index("truncated", tmp_path, index_db)
    cases = tmp_path / "cases.yaml"
    cases.write_text(QUESTION, encoding="utf-8")
    result = CliRunner().invoke(bot_cli, ["eval", str(cases), "--db", str(path)])
    one_line_error(result, path)


def test_a_real_process_prints_no_traceback(tmp_path, index_db):
    """The same through `python -m`, as an admin runs it: one line on stderr, exit 1."""
    path = not_an_index("text", tmp_path, index_db)
    for command in (["index", "show", "x"], ["bot", "ask", "x"]):
        done = subprocess.run([sys.executable, "-m", *command, "--db", str(path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 1
        assert done.stdout == ""
        assert done.stderr.strip().splitlines() == [
            f"Error: {path}: not a planbot index (file is not a database); build one with "
            f"python -m index rebuild --db {path}"]


NO_CASES = ": no cases: expected a YAML list of cases such as '- q: วิสัยทัศน์ สพม.13', found "


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", NO_CASES + "nothing"),
        ("# only a comment\n\n# and another\n", NO_CASES + "nothing"),
        ("q: วิสัยทัศน์ สพม.13\nexpect: [วิสัยทัศน์]\n", NO_CASES + "a dict"),
        ("[]\n", NO_CASES + "an empty list"),
        ("just a line of text\n", NO_CASES + "a str"),
        ("- q: วิสัยทัศน์ สพม.13\n- just text\n", ": case #2 has no question ('q: ...')"),
        ("- expect: [x]\n", ": case #1 has no question ('q: ...')"),
        ("- q: [unclosed\n", " line 2: not valid YAML: "),
    ],
)
def test_bot_eval_of_a_file_without_good_cases_is_one_line(content, message, tmp_path, index_db):
    """A file with no cases used to print 'accuracy: 0.0% (0/0)' and exit 0, so a CI step
    scoring nothing passed; a malformed case was a traceback."""
    cases = tmp_path / "cases.yaml"
    cases.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(bot_cli, ["eval", str(cases), "--db", str(index_db)])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {cases}{message}"), result.output
