"""The Procfile's web process and its index (issue 12, item 4), as real gunicorn processes:
it refuses to start without an index (one line naming the path and the command, exit status
non-zero) unless PLANBOT_BUILD_INDEX tells it to build one; every worker loads the index as it
starts, so every worker's /healthz says the same thing when the file goes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.config import DEFAULTS
from tests.test_procfile import free_port, procfile_line

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def web_env(tmp_path: Path, db: Path, **settings) -> dict:
    """The Procfile's environment: no planbot setting from the caller's shell, then these."""
    env = {k: v for k, v in os.environ.items() if k not in DEFAULTS}
    env.update(
        PORT=str(free_port()),
        PLANBOT_DB=str(db),
        PLANBOT_STATE_DB=str(tmp_path / "state.db"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        **settings,
    )
    return env


def start_web(env: dict, log: Path, umask: int | None = None) -> subprocess.Popen:
    """The Procfile's web line, as `make run` and a platform run it."""
    return subprocess.Popen(
        ["sh", "-c", f"exec {procfile_line('web')}"], cwd=ROOT, env=env,
        stdout=log.open("w"), stderr=subprocess.STDOUT,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


@contextmanager
def running(env: dict, log: Path, umask: int | None = None):
    """The web process, stopped (SIGTERM) at the end."""
    server = start_web(env, log, umask)
    try:
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def healthz(port: str) -> tuple[int, dict]:
    """(HTTP status, JSON) of one GET /healthz on a new connection."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def wait_for(condition, server: subprocess.Popen, log: Path, seconds: float = 60):
    """Poll `condition()` until it returns something true (the server still running)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            found = condition()
        except OSError:
            found = None  # not listening yet
        if found:
            return found
        time.sleep(0.2)  # polling for the server, not an assertion
    raise AssertionError(f"gave up waiting; server log:\n{log.read_text()}")


def test_the_web_line_refuses_to_start_without_an_index(tmp_path):
    db = tmp_path / "instance" / "index.db"
    log = tmp_path / "server.log"
    started = time.monotonic()
    server = start_web(web_env(tmp_path, db), log)
    try:
        status = server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    took = time.monotonic() - started
    output = log.read_text()
    assert status != 0, output
    assert took < 15, output  # before any worker boots: no wait for a timeout
    [line] = [line for line in output.splitlines() if line.startswith("planbot:")]
    assert f"no index at {db}" in line
    assert f"python -m index rebuild --db {db}" in line and "PLANBOT_BUILD_INDEX=1" in line
    assert "Booting worker" not in output and "Traceback" not in output
    assert not db.exists()


def test_told_to_build_it_builds_the_index_then_serves(tmp_path):
    db = tmp_path / "instance" / "index.db"
    log = tmp_path / "server.log"
    env = web_env(tmp_path, db, PLANBOT_BUILD_INDEX="1")
    with running(env, log, umask=0o027) as server:
        status, data = wait_for(lambda: healthz(env["PORT"]), server, log)
    assert status == 200 and data["status"] == "ok", log.read_text()
    assert data["index"]["owners"] == 5
    assert db.stat().st_mode & 0o777 == 0o640  # 0644 less the process's umask 027
    assert "building one from the corpus" in log.read_text()


def test_every_worker_loads_at_start_and_says_the_same_when_the_file_goes(tmp_path, index_db):
    db = tmp_path / "index.db"
    db.write_bytes(index_db.read_bytes())
    log = tmp_path / "server.log"
    env = web_env(tmp_path, db, WEB_CONCURRENCY="2")
    with running(env, log) as server:
        # Both workers load the index as they boot, before anyone asks them anything.
        wait_for(lambda: log.read_text().count(f"index: loaded {db}") == 2, server, log)
        db.unlink()
        seen = [healthz(env["PORT"]) for _ in range(30)]
    assert all(status == 200 for status, _ in seen), seen
    assert {(d["status"], d["reason"]) for _, d in seen} == {("degraded", "index file missing")}
    assert all(d["index"]["owners"] == 5 for _, d in seen)
