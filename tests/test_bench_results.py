"""Only a full benchmark run replaces the committed bench/RESULTS.md and RESULTS.json.

A smoke or partial run (one tier, no webhook) writes its figures into its work folder; the
committed record stays as the last full run left it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import bench.__main__ as bench_cli

REPO = Path(__file__).resolve().parent.parent
COMMITTED = REPO / "bench" / "RESULTS.json"


@pytest.mark.parametrize(
    ("tiers", "smoke", "webhook", "full"),
    [
        (("S", "M", "L"), False, True, True),
        (("L", "S", "M"), False, True, True),
        (("S",), False, True, False),
        (("S", "M"), False, True, False),
        (("S", "M", "L"), True, True, False),
        (("S", "M", "L"), False, False, False),
        (("S",), True, True, False),
    ],
)
def test_only_all_tiers_with_the_webhook_is_a_full_run(tiers, smoke, webhook, full, tmp_path):
    md, js = bench_cli.results_paths(tiers, smoke=smoke, webhook=webhook, work=tmp_path)
    assert bench_cli.is_full_run(tiers, smoke=smoke, webhook=webhook) is full
    if full:
        assert (md, js) == (bench_cli.RESULTS_MD, bench_cli.RESULTS_JSON)
    else:
        assert (md, js) == (tmp_path / "RESULTS.md", tmp_path / "RESULTS.json")


@pytest.fixture
def record(tmp_path, monkeypatch):
    """A copy of the committed results standing in for bench/RESULTS.*, and canned tier figures.

    The CLI is run for real; only the measuring (`run_tier`, minutes per tier) is replaced by
    the committed run's own figures, so the test is about where results go, and can never
    damage the real files.
    """
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    md, js = tmp_path / "record" / "RESULTS.md", tmp_path / "record" / "RESULTS.json"
    md.parent.mkdir()
    md.write_text((REPO / "bench" / "RESULTS.md").read_text(encoding="utf-8"), encoding="utf-8")
    js.write_text(COMMITTED.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(bench_cli, "RESULTS_MD", md)
    monkeypatch.setattr(bench_cli, "RESULTS_JSON", js)

    def run_tier(tier, smoke=False, webhook=True, baseline_limit=None, work=None):
        figures = dict(committed["tiers"][tier])
        figures["questions"] = 24 if smoke else figures["questions"]
        return figures

    monkeypatch.setattr(bench_cli, "run_tier", run_tier)
    return md, js


@pytest.mark.parametrize(
    "args",
    [["--tier", "S", "--json"], ["--tier", "S", "--smoke"], ["--no-webhook"],
     ["--tier", "S", "--tier", "M"]],
    ids=["one tier", "smoke", "no webhook", "two tiers"],
)
def test_a_partial_run_leaves_the_record_and_writes_its_work_folder(record, tmp_path, args):
    md, js = record
    before = md.read_bytes(), js.read_bytes()
    work = tmp_path / "work"
    result = CliRunner().invoke(bench_cli.main, [*args, "--work", str(work)])
    assert result.exit_code == 0, result.output
    assert (md.read_bytes(), js.read_bytes()) == before
    written = json.loads((work / "RESULTS.json").read_text(encoding="utf-8"))
    tiers = [a for i, a in enumerate(args) if i and args[i - 1] == "--tier"] or ["S", "M", "L"]
    assert list(written["tiers"]) == tiers
    assert "<!-- figures:begin -->" in (work / "RESULTS.md").read_text(encoding="utf-8")


def test_a_full_run_replaces_the_record(record, tmp_path):
    md, js = record
    before = md.read_text(encoding="utf-8")
    work = tmp_path / "work"
    result = CliRunner().invoke(bench_cli.main, ["--tier", "S", "--tier", "M", "--tier", "L",
                                                 "--work", str(work)])
    assert result.exit_code == 0, result.output
    written = json.loads(js.read_text(encoding="utf-8"))
    assert list(written["tiers"]) == ["S", "M", "L"]
    assert written["date"] != json.loads(COMMITTED.read_text(encoding="utf-8"))["date"]
    after = md.read_text(encoding="utf-8")
    assert after != before and written["date"] in after
    # The notes outside the figures block are kept.
    assert after.split("<!-- figures:begin -->")[0] == before.split("<!-- figures:begin -->")[0]
    assert not (work / "RESULTS.json").exists()


def test_no_results_writes_nothing(record, tmp_path):
    md, js = record
    before = md.read_bytes(), js.read_bytes()
    work = tmp_path / "work"
    result = CliRunner().invoke(bench_cli.main, ["--tier", "S", "--tier", "M", "--tier", "L",
                                                 "--no-results", "--work", str(work)])
    assert result.exit_code == 0, result.output
    assert (md.read_bytes(), js.read_bytes()) == before
    assert not (work / "RESULTS.json").exists()


def compare_results(anchor: int, project: int) -> dict:
    """A webhook comparison's results, shaped as `bench.compare.run_compare` returns them."""

    def run(rate):
        steps = [{"rate": r, "events": r * 3, "failures": 0, "achieved_rate": float(r),
                  "p50_ms": 5.0, "p99_ms": 20.0} for r in (50, 100) if r <= rate]
        return {"steps": steps, "max_rate": rate, "sender_limited": False,
                "load_avg": [0.5, 0.6]}

    setups = {"anchor": ("SDK echo anchor", anchor), "sqlite": ("project, SQLite state", project),
              "redis": ("project, Redis state", project)}
    return {"date": "2026-12-04T00:00:00+00:00", "command": "python -m bench --webhook-compare",
            "commit": "abc1234", "machine": {"cpu": "CPU", "cores": 2, "ram_gb": 4.0,
                                             "python": "3.11", "load_avg_at_start": [0.5]},
            "load_avg_at_end": [0.6], "tier": "S", "repeats": 1, "rates": [50, 100, 200, 400, 800, 1500],
            "index": {"owners": 5, "passages": 109},
            "setups": {key: {"name": name, "runs": [run(rate)], "max_rate": rate}
                       for key, (name, rate) in setups.items()}}


def test_a_smoke_comparison_writes_only_its_work_folder(record, tmp_path, monkeypatch):
    from bench import compare

    md, js = record
    monkeypatch.setattr(compare, "RESULTS_MD", md)
    monkeypatch.setattr(compare, "RESULTS_JSON", tmp_path / "record" / "RESULTS-compare.json")
    before = md.read_bytes()
    written = compare.write_compare(compare_results(100, 100), smoke=True, work=tmp_path / "w")
    assert md.read_bytes() == before
    assert not (tmp_path / "record" / "RESULTS-compare.json").exists()
    assert written == (tmp_path / "w" / "RESULTS-compare.md",
                       tmp_path / "w" / "RESULTS-compare.json")
    assert "<!-- webhook-compare:begin -->" in written[0].read_text(encoding="utf-8")


def test_a_full_comparison_replaces_its_own_block_only(record, tmp_path, monkeypatch):
    from bench import compare

    md, js = record
    monkeypatch.setattr(compare, "RESULTS_MD", md)
    monkeypatch.setattr(compare, "RESULTS_JSON", tmp_path / "record" / "RESULTS-compare.json")
    figures_before = md.read_text(encoding="utf-8").split("<!-- figures:end -->")[0]
    compare.write_compare(compare_results(400, 300), smoke=False)
    compare.write_compare(compare_results(400, 360), smoke=False)
    text = md.read_text(encoding="utf-8")
    assert text.split("<!-- figures:end -->")[0] == figures_before
    assert text.count("<!-- webhook-compare:begin -->") == 1
    block = text.split("<!-- webhook-compare:begin -->")[1]
    assert "| project, SQLite state | 360 | 90% |" in block
    assert "**met** (360/s)" in block and "300/s" not in block
    saved = json.loads((tmp_path / "record" / "RESULTS-compare.json").read_text(encoding="utf-8"))
    assert saved["setups"]["redis"]["max_rate"] == 360


def test_the_comparison_says_when_the_project_falls_short_of_the_anchor():
    from bench.compare import compare_markdown

    text = compare_markdown(compare_results(500, 300))
    assert "| project, Redis state | 300 | 60% |" in text
    assert "≥ 80% of the anchor (400/s): **missed** (300/s)" in text
    assert "p99 < 200 ms" in text and "abc1234" in text
