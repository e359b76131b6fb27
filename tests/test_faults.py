"""Issue 12's fault suite, short form: the Procfile's web process (gunicorn, 2 workers) and
the fake LINE platform in separate processes, and the faults LINE and the network bring.

`python -m bench.faults` runs the long form (10 s outage, 10 s of load per latency) and
prints the same table; bench/FAULTS.md has a full run's figures.
"""

from __future__ import annotations

import shutil

import pytest

from bench import faults


@pytest.mark.slow
def test_the_fault_suite(index_db, capsys):
    assert shutil.which("nginx"), "make test-deps installs Debian's nginx for this test"
    results = {r.name: r for r in faults.run(index_db, short=True)}
    with capsys.disabled():
        print("\n[faults] " + "\n[faults] ".join(r.line() for r in results.values()))
    required = [
        "kill -9 mid-answer",
        "reply 500/429 once then 200",
        "LINE unreachable 4 s",
        "LINE answering in 1 s",
        "LINE answering in 4 s",
        "16 slow clients, through deploy/nginx.conf",
    ]
    for name in required:
        result = results[name]
        assert result.ok, result.line()
        assert result.counts["lost"] == 0 and result.counts["twice"] == 0, result.line()
    assert results["kill -9 mid-answer"].counts["killed"] >= 1
    assert results["LINE answering in 4 s"].counts["p99_ms"] < 100
