"""The Procfile's web line really serves the app under gunicorn (local mode, no LINE secrets)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.config import DEFAULT_DEV_SECRET, DEFAULTS
from tests.webhook_support import payload, sign, text_event

ROOT = Path(__file__).resolve().parent.parent


def procfile_line(kind: str) -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith(f"{kind}:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"Procfile has no {kind}: line")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_procfile_lines():
    web = procfile_line("web")
    assert web.startswith("gunicorn ") and "'bot:create_app()'" in web
    assert "0.0.0.0:$PORT" in web
    assert procfile_line("release") == "python -m index rebuild"


@pytest.mark.slow
def test_web_line_serves_healthz_and_a_signed_callback(tmp_path):
    db = tmp_path / "index.db"
    subprocess.run(
        [sys.executable, "-m", "index", "rebuild", "--corpus", str(ROOT / "corpus"), "--db", str(db)],
        cwd=ROOT, check=True, capture_output=True,
    )
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in DEFAULTS}
    env.update(
        PORT=str(port),
        WEB_CONCURRENCY="2",
        PLANBOT_DB=str(db),
        PLANBOT_STATE_DB=str(tmp_path / "state.db"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    log = (tmp_path / "server.log").open("w+")
    server = subprocess.Popen(
        ["sh", "-c", f"exec {procfile_line('web')}"], cwd=ROOT, env=env,
        stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        health = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=30) as response:
                    health = json.load(response)
                break
            except OSError:
                time.sleep(0.2)  # polling for the server to listen, not an assertion
        assert health is not None, (tmp_path / "server.log").read_text()
        assert health["status"] == "ok" and health["index"]["owners"] >= 1
        with urllib.request.urlopen(f"{base}/metrics", timeout=30) as response:
            threads = int(re.search(r"--threads (\d+)", procfile_line("web")).group(1))
            assert json.load(response)["inline_limit"] == threads - 1  # post_worker_init

        body = payload(text_event("พันธกิจ สพม.13"))
        request = urllib.request.Request(
            f"{base}/callback", data=body, method="POST",
            headers={"X-Line-Signature": sign(body, DEFAULT_DEV_SECRET),
                     "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
        bad = urllib.request.Request(
            f"{base}/callback", data=body, method="POST", headers={"X-Line-Signature": "x"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(bad, timeout=30)
        assert refused.value.code == 400
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        log.close()
    output = (tmp_path / "server.log").read_text()
    assert "LOCAL MODE" in output and DEFAULT_DEV_SECRET in output
    assert "not sent: reply kind=answer" in output
