"""The benchmark: a deterministic generator and question mix, and a smoke run of every figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import corpus
from bench.load import procfile_command, sign, text_event_body
from bench.questions import MIX, make_questions

REPO = Path(__file__).resolve().parent.parent


def test_generator_is_deterministic(tmp_path):
    """Same seed, same bytes; another seed, other plans."""
    corpus.generate("M", tmp_path / "a", count=30)
    corpus.generate("M", tmp_path / "b", count=30)
    corpus.generate("M", tmp_path / "c", count=30, seed=7)
    assert len(list((tmp_path / "a").glob("*.txt"))) == 30
    assert corpus.digest(tmp_path / "a") == corpus.digest(tmp_path / "b")
    assert corpus.digest(tmp_path / "a") != corpus.digest(tmp_path / "c")


def test_generated_plans_parse_cleanly(tmp_path):
    """The real parser reads every generated plan without a warning, ~60 passages each."""
    from index.parse import parse_file

    corpus.generate("M", tmp_path, count=20)
    passages = 0
    for path in sorted(tmp_path.glob("*.txt")):
        plan = parse_file(path)
        assert plan.warnings == [], path.name
        assert plan.meta["office"].startswith(("สำนักงานเขตพื้นที่การศึกษา", "โรงเรียน"))
        passages += sum(1 for s in plan.sections for _ in s.walk())
        passages += sum(1 for s in plan.sections if s.intro)
    assert 45 <= passages / 20 <= 75


def test_owner_names_are_distinct_and_mixed():
    """L's 5,000 owners are all different; both area offices and schools are there."""
    import random

    owners = corpus.make_owners(random.Random(1), 5000)
    assert len({office for _, office, _, _ in owners}) == 5000
    kinds = {kind for kind, _, _, _ in owners}
    assert kinds == {"primary", "secondary", "school"}


def test_questions_are_deterministic_with_the_mix():
    """The same corpus and seed give the same questions, in the fixed proportions."""
    first = make_questions(REPO / "corpus", 100, tag="t")
    second = make_questions(REPO / "corpus", 100, tag="t")
    assert [q.text for q in first] == [q.text for q in second]
    counts = {kind: sum(q.kind == kind for q in first) for kind, _ in MIX}
    assert counts == {kind: round(100 * share) for kind, share in MIX}


def test_signature_is_what_the_sdk_checks():
    """Events are signed the way line-bot-sdk validates them."""
    from linebot.v3.webhook import SignatureValidator

    body = text_event_body("วิสัยทัศน์ สพป.แพร่ เขต 1", "r" * 32, "U" + "1" * 32)
    assert SignatureValidator("s3cret").validate(body.decode(), sign(body, "s3cret"))
    assert json.loads(body)["events"][0]["message"]["text"] == "วิสัยทัศน์ สพป.แพร่ เขต 1"


def test_procfile_command_listens_on_loopback():
    """gunicorn starts as the Procfile says, with the port filled in and bound to 127.0.0.1."""
    command = procfile_command(8123)
    assert "gunicorn" in command and "127.0.0.1:8123" in command
    assert "0.0.0.0" not in command


@pytest.mark.slow
def test_smoke_run_produces_every_figure(tmp_path):
    """`python -m bench --tier S --smoke --json` reports every figure with sane values."""
    results_md = REPO / "bench" / "RESULTS.md"
    before = results_md.read_bytes() if results_md.exists() else None
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--tier", "S", "--smoke", "--json", "--work",
         str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(proc.stdout)
    f = results["tiers"]["S"]
    assert f["owners"] >= 1 and f["passages"] > 0 and f["questions"] > 0
    for key in ("answer_ms", "baseline_ms", "cold_start_s", "worker_rss_mb"):
        assert 0 < f[key]["p50"] <= f[key]["p99"], key
    assert f["ratio_p50"] > 0 and f["baseline_questions"] == f["questions"]
    assert 0 <= f["top_agree"] <= f["top_agree_with_ties"] <= 1
    assert f["build_s"] > 0 and f["build_peak_mb"] > 0
    assert f["webhook_failures"] == 0
    assert 0 < f["webhook_p50_ms"] <= f["webhook_p99_ms"] < 10_000
    assert f["webhook_max_rate"] in (0, 50)
    assert results["machine"]["cores"] >= 1
    after = results_md.read_bytes() if results_md.exists() else None
    assert before == after, "a smoke run must not touch RESULTS.md"
