"""`python -m bot eval`: the question file scores 100%, and a failure is printed with its reply."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from bot.cli import check_case, cli

QUESTIONS = Path(__file__).resolve().parent / "questions.yaml"


def _eval(index_db, path):
    return CliRunner().invoke(cli, ["eval", str(path), "--db", str(index_db)])


def test_question_file_is_well_formed():
    cases = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    assert len(cases) >= 90
    allowed = {"q", "expect", "expect_any", "forbid", "unanswered"}
    for case in cases:
        assert set(case) <= allowed, case
        assert isinstance(case["q"], str)
        assert set(case) - {"q"}, f"case checks nothing: {case['q']}"
    assert sum(1 for c in cases if c.get("unanswered")) >= 12
    questions = [c["q"] for c in cases]
    assert len(questions) == len(set(questions)), "duplicate questions"


def test_question_file_scores_100_percent(index_db):
    result = _eval(index_db, QUESTIONS)
    assert "accuracy: 100.0%" in result.output, result.output
    assert result.exit_code == 0


def test_wrong_expectation_fails_and_prints_the_reply(index_db, tmp_path):
    scratch = tmp_path / "wrong.yaml"
    scratch.write_text(
        "- q: วิสัยทัศน์ สพม.13\n"
        "  expect: [เป็นผู้นำในการพัฒนาคุณภาพการศึกษา]\n"
        "- q: วิสัยทัศน์ สพม.13\n"
        "  expect: [ส่งเสริมการเรียนรู้ตลอดชีวิต]\n",
        encoding="utf-8",
    )
    result = _eval(index_db, scratch)
    assert result.exit_code == 1
    assert "accuracy: 50.0% (1/2)" in result.output
    assert "FAIL #2: วิสัยทัศน์ สพม.13" in result.output
    assert "missing: ส่งเสริมการเรียนรู้ตลอดชีวิต" in result.output
    assert "reply:" in result.output
    assert "เป็นผู้นำในการพัฒนาคุณภาพการศึกษา" in result.output  # the reply that failed


def test_unanswered_expectation_is_checked(index_db, tmp_path):
    scratch = tmp_path / "answered.yaml"
    scratch.write_text("- q: วิสัยทัศน์ สพม.13\n  unanswered: true\n", encoding="utf-8")
    result = _eval(index_db, scratch)
    assert result.exit_code == 1
    assert "answered, but the plan cannot answer this" in result.output


def test_check_case_ignores_whitespace_and_checks_every_field():
    reply = {"text": "พันธกิจ ของ สพม.13\n1. ส่งเสริม  สนับสนุน", "answered": True}
    assert check_case({"q": "x", "expect": ["ส่งเสริม สนับสนุน", "สพม. 13"]}, reply) == []
    assert check_case({"q": "x", "expect_any": ["ไม่มี", "พันธกิจ"]}, reply) == []
    assert check_case({"q": "x", "expect_any": ["ไม่มี", "ไม่เจอ"]}, reply)
    assert check_case({"q": "x", "forbid": ["ส่งเสริมสนับสนุน"]}, reply)
    assert check_case({"q": "x", "unanswered": True}, reply)
    assert check_case({"q": "x", "unanswered": True}, {**reply, "answered": False}) == []
