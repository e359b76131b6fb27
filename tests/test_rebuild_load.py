"""A short run of bench/rebuild_load.py: gunicorn answers through two rebuilds, a broken one
and a killed one, with no failed request, a visible switch and the served index intact."""

from __future__ import annotations

import pytest

from bench import rebuild_load


@pytest.mark.slow
def test_rebuild_under_load_short_run(tmp_path, capsys):
    summary = rebuild_load.run(rate=10, workers=2, pause=0.5, max_seconds=60, work=tmp_path)
    with capsys.disabled():
        print("\n" + summary["markdown"])
    log = summary.get("gunicorn_log_tail")
    assert summary["requests_sent"] >= 30
    assert summary["failed"] == 0, log
    assert summary["checks"]["answers_switched"], summary["answers"]
    assert summary["answers"]["old"] > 0 and summary["answers"]["new"] > 0
    assert summary["answers"]["other"] == 0 and summary["answers"]["killed"] == 0
    assert summary["checks"]["broken_rebuild_failed_with_file_line"], summary["rebuilds"]
    assert summary["checks"]["broken_rebuild_left_index_intact"], summary["rebuilds"]
    assert summary["checks"]["killed_rebuild_left_index_intact"], summary["rebuilds"]
    assert summary["ok"]


def test_replies_are_classified_by_the_vision_text_they_quote():
    quoted = [{"type": "text", "text": f"วิสัยทัศน์\n{rebuild_load.VISION_NEW}"}]
    assert rebuild_load.classify(quoted) == "new"
    flex = [{"type": "flex", "altText": "x", "contents": {"body": {"contents": [
        {"type": "text", "text": rebuild_load.VISION_OLD}]}}}]
    assert rebuild_load.classify(flex) == "old"
    assert rebuild_load.classify([{"type": "text", "text": rebuild_load.VISION_KILLED}]) == "killed"
    assert rebuild_load.classify([{"type": "text", "text": "ไม่ทราบ"}]) == "other"


def test_procfile_web_line_is_bound_to_loopback():
    command = rebuild_load.procfile_command(8123)
    assert command.startswith("gunicorn ") and "127.0.0.1:8123" in command
    assert "0.0.0.0" not in command and "$PORT" not in command


def test_percentile_is_nearest_rank():
    assert rebuild_load.percentile([], 0.5) is None
    assert rebuild_load.percentile([5.0], 0.99) == 5.0
    values = [float(v) for v in range(1, 101)]
    assert rebuild_load.percentile(values, 0.5) == 50.0
    assert rebuild_load.percentile(values, 0.99) == 99.0
