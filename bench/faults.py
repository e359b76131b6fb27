"""The fault suite (issue 12): the Procfile's web process against a fake LINE that fails.

The bot runs as the Procfile says (gunicorn, 2 workers, `bot.gunicorn_conf`), in its own
process group; the fake LINE platform (`linekit.fake`, with its fault controls) runs in this
process, so the two never share a GIL. Each scenario sends signed webhooks over real HTTP and
counts, per reply token, what reached LINE:

- ``kill9``: a worker is killed with SIGKILL while its reply is on the way (the fake holds
  the request, `hang`); LINE redelivers half of those events. Every event answered, 0 lost,
  none answered twice.
- ``retry``: a reply answered 500, another 429, once each, then 200: both answered.
- ``down``: LINE unreachable for a while (10 s; 4 s in the short run), webhooks keep coming:
  every reply token still alive is answered once LINE is back.
- ``slow_line``: LINE answering in 1 s and in 4 s at 20 webhooks/s: /callback p99 < 100 ms.
- ``slow_clients``: 16 connections trickling a body byte every 2 s, then signed requests:
  each answered within LINE's 2 s. Measured straight at gunicorn and through nginx (Debian's,
  with `deploy/nginx.conf`), the serving setup this suite chose by that measurement.

``python -m bench.faults`` runs the full suite and prints a table; ``--short`` is what
`make test` runs (tests/test_faults.py, about a minute and a half).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from linekit import events
from linekit.fake import REPLY_PATH, FakeLinePlatform
from linekit.signing import sign

REPO = Path(__file__).resolve().parent.parent
SECRET = "faults-channel-secret-0123456789"
ACCESS_TOKEN = "faults-access-token"
BOT_USER_ID = "U0b07fa4e0b07fa4e0b07fa4e0b07fa4e"
NGINX_CONF = REPO / "deploy" / "nginx.conf"
QUESTIONS = ("วิสัยทัศน์ สพม.13", "พันธกิจ สพม.13", "เป้าประสงค์ สพม.13", "กลยุทธ์ สพม.13")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def procfile_web() -> str:
    """The Procfile's web command."""
    for line in (REPO / "Procfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("web:"):
            return line.split(":", 1)[1].strip()
    raise RuntimeError("Procfile has no web: line")


def wait_listening(port: int, timeout: float, alive=lambda: True) -> None:
    """Return once 127.0.0.1:`port` accepts connections."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)  # polling for a server to listen
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


def stop_group(process: subprocess.Popen, timeout: float) -> None:
    """SIGTERM `process` (started in a session of its own), then SIGKILL its group if it
    lingers past `timeout`."""
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class Web:
    """The Procfile's web process on a free port, talking to the fake LINE platform."""

    def __init__(self, workdir: Path, index_db: Path, line_url: str, **env):
        self.port = free_port()
        self.workdir = workdir
        self.log_path = workdir / f"web-{self.port}.log"
        self.state_db = workdir / "state.db"
        settings = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
        settings.update(
            PORT=str(self.port),
            WEB_CONCURRENCY="2",
            LINE_CHANNEL_SECRET=SECRET,
            LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN,
            LINE_API_HOST=line_url,
            PLANBOT_DB=str(index_db),
            PLANBOT_STATE_DB=str(self.state_db),
            PLANBOT_RATE_LIMIT="100000",
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            **{key: str(value) for key, value in env.items()},
        )
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            ["sh", "-c", f"exec {procfile_web()}"], cwd=REPO, env=settings,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_listening(self.port, 60, lambda: self.process.poll() is None)
        # The first answer loads the index and the tokenizer in each worker: warm both up.
        for _ in range(6):
            post(self.port, [text_event("วิสัยทัศน์")])
        time.sleep(1.0)

    def stop(self) -> None:
        """SIGTERM the master, then SIGKILL the group if it lingers."""
        stop_group(self.process, 20)
        self._log.close()

    def log(self) -> str:
        """What gunicorn and the bot wrote so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


class Nginx:
    """Debian's nginx with the shipped `deploy/nginx.conf`, in front of `upstream_port`."""

    def __init__(self, workdir: Path, upstream_port: int):
        self.port = free_port()
        prefix = workdir / f"nginx-{self.port}"
        prefix.mkdir()
        conf = NGINX_CONF.read_text(encoding="utf-8")
        conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{self.port};")
        conf = conf.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
        conf = conf.replace("/var/log/nginx/planbot-", f"{prefix}/")
        main = prefix / "nginx.conf"
        main.write_text(
            f"worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
            f"events {{ worker_connections 1024; }}\n"
            f"http {{\n  client_body_temp_path {prefix}/body;\n"
            f"  proxy_temp_path {prefix}/proxy;\n  access_log off;\n{conf}\n}}\n",
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(prefix), "-c", str(main),
             "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )
        wait_listening(self.port, 10, lambda: self.process.poll() is None)

    def stop(self) -> None:
        """Stop nginx (SIGTERM; SIGKILL if it lingers)."""
        stop_group(self.process, 10)


def text_event(text: str, user: str | None = None) -> dict:
    """A text message event from a one-to-one chat, with a fresh reply token."""
    user = user or f"U{os.urandom(16).hex()}"
    return events.event("message", events.source("user", user), events.new_reply_token(),
                        message=events.text_message(text))


def post(port: int, event_list: list, timeout: float = 30.0) -> tuple[int, float]:
    """POST a signed webhook body to /callback; (HTTP status or 0, seconds until answered)."""
    body = events.webhook_body(event_list, BOT_USER_ID)
    headers = {"Content-Type": "application/json", "X-Line-Signature": sign(body, SECRET)}
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", "/callback", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    except OSError:
        return 0, time.monotonic() - started
    finally:
        connection.close()


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered))) - 1))]


@dataclass
class Result:
    """One scenario's counts and whether it met its bar."""

    name: str
    ok: bool
    counts: dict = field(default_factory=dict)

    def line(self) -> str:
        """The scenario as one line of the report."""
        figures = " ".join(f"{k}={v}" for k, v in self.counts.items())
        return f"{'PASS' if self.ok else 'FAIL'} {self.name}: {figures}"


def answered(fake: FakeLinePlatform, tokens: list[str]) -> dict:
    """Per token: accepted replies (200), refused reuses (400), others."""
    accepted = {token: 0 for token in tokens}
    for record in fake.replies():
        if record.reply_token in accepted and record.status == 200:
            accepted[record.reply_token] += 1
    return {
        "sent": len(tokens),
        "answered": sum(1 for n in accepted.values() if n >= 1),
        "lost": sum(1 for n in accepted.values() if n == 0),
        "twice": sum(1 for n in accepted.values() if n > 1),
    }


def wait_answered(fake: FakeLinePlatform, tokens: list[str], timeout: float) -> dict:
    """`answered` once every token has its reply, or at `timeout`."""
    wanted = set(tokens)
    fake.wait_until(
        lambda records: wanted <= {r.reply_token for r in records
                                   if r.path == REPLY_PATH and r.status == 200},
        timeout=timeout,
    )
    time.sleep(0.5)  # a second answer to one token would arrive about now
    return answered(fake, tokens)


# -- scenarios --------------------------------------------------------------------------------


def kill9(web: Web, fake: FakeLinePlatform, count: int) -> Result:
    """Kill -9 the workers holding replies on the way; redeliver half; all answered once."""
    from bot.state.sqlite import SqliteStateStore

    fake.fail_next("hang", times=count, delay=60, path=REPLY_PATH)
    sent = [text_event(QUESTIONS[n % len(QUESTIONS)]) for n in range(count)]
    for event in sent:
        post(web.port, [event])
    fake.wait_until(lambda records: sum(r.path == REPLY_PATH and r.status == 0
                                        for r in records) >= count, timeout=20)
    journal = SqliteStateStore(web.state_db, b"any key: journal_get reads by event id")
    holders = {journal.journal_get(e["webhookEventId"]).worker for e in sent} - {None}
    pids = {int(name.rsplit(":", 1)[1]) for name in holders}
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.5)
    redelivered = sent[: count // 2]
    for event in redelivered:
        post(web.port, [dict(event, deliveryContext={"isRedelivery": True})])
    counts = wait_answered(fake, [e["replyToken"] for e in sent], timeout=40)
    counts.update(killed=len(pids), redelivered=len(redelivered))
    journal.close()
    ok = counts["killed"] >= 1 and counts["lost"] == 0 and counts["twice"] == 0
    return Result("kill -9 mid-answer", ok, counts)


def retry(web: Web, fake: FakeLinePlatform) -> Result:
    """A 500 and a 429, once each, then 200: both answered, on their second try."""
    tokens = []
    for failure in ("500", "429"):
        fake.fail_next(failure, path=REPLY_PATH)
        event = text_event(QUESTIONS[0])
        tokens.append(event["replyToken"])
        post(web.port, [event])
        fake.wait_until(lambda records, t=event["replyToken"]: any(
            r.reply_token == t and r.status == 200 for r in records), timeout=10)
    counts = answered(fake, tokens)
    tries = [r.status for r in fake.replies() if r.reply_token in tokens]
    counts["tries"] = "/".join(map(str, tries))
    ok = counts["answered"] == 2 and counts["twice"] == 0 and tries == [500, 200, 429, 200]
    return Result("reply 500/429 once then 200", ok, counts)


def down(web: Web, fake: FakeLinePlatform, seconds: float, rate: float) -> Result:
    """LINE unreachable for `seconds` while webhooks keep coming at `rate`/s."""
    fake.down()
    sent, statuses = [], []
    started = time.monotonic()
    try:
        while time.monotonic() - started < seconds:
            event = text_event(QUESTIONS[len(sent) % len(QUESTIONS)])
            sent.append(event)
            statuses.append(post(web.port, [event])[0])
            time.sleep(max(0.0, started + len(sent) / rate - time.monotonic()))
    finally:
        fake.up()
    counts = wait_answered(fake, [e["replyToken"] for e in sent], timeout=20)
    counts["down_s"] = seconds
    counts["callback_200"] = statuses.count(200)
    ok = counts["lost"] == 0 and counts["twice"] == 0 and counts["callback_200"] == len(sent)
    return Result(f"LINE unreachable {seconds:g} s", ok, counts)


def slow_line(web: Web, fake: FakeLinePlatform, latency: float, rate: float,
              seconds: float) -> Result:
    """Open-loop webhooks at `rate`/s while LINE takes `latency` s per reply."""
    fake.latency = latency
    timings: list[float] = []
    statuses: list[int] = []
    sent: list[dict] = []
    lock = threading.Lock()

    def one(event):
        status, took = post(web.port, [event])
        with lock:
            statuses.append(status)
            timings.append(took)

    threads = []
    started = time.monotonic()
    try:
        for n in range(int(rate * seconds)):
            time.sleep(max(0.0, started + n / rate - time.monotonic()))
            event = text_event(QUESTIONS[n % len(QUESTIONS)])
            sent.append(event)
            thread = threading.Thread(target=one, args=(event,))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join(30)
        counts = wait_answered(fake, [e["replyToken"] for e in sent],
                               timeout=latency * len(sent) / 32 + 15)
    finally:
        fake.latency = 0.0
    counts.update(
        rate=rate,
        p50_ms=round(percentile(timings, 0.50) * 1000, 1),
        p99_ms=round(percentile(timings, 0.99) * 1000, 1),
        max_ms=round(max(timings) * 1000, 1),
        callback_200=statuses.count(200),
    )
    ok = counts["p99_ms"] < 100 and counts["callback_200"] == len(sent)
    return Result(f"LINE answering in {latency:g} s", ok, counts)


def slow_clients(port: int, fake: FakeLinePlatform, clients: int, probes: int,
                 label: str) -> Result:
    """`clients` connections trickling a body byte every 2 s; then signed requests."""
    stop = threading.Event()
    sockets = []

    def trickle(sock):
        with contextlib.suppress(OSError):
            while not stop.wait(2.0):
                sock.sendall(b"x")

    for _ in range(clients):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"POST /callback HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
                     b"X-Line-Signature: x\r\nContent-Length: 100000\r\n\r\n{")
        sockets.append(sock)
        threading.Thread(target=trickle, args=(sock,), daemon=True).start()
    time.sleep(1.0)
    timings, statuses, tokens = [], [], []
    try:
        for _ in range(probes):
            event = text_event(QUESTIONS[1])
            tokens.append(event["replyToken"])
            status, took = post(port, [event], timeout=15)
            statuses.append(status)
            timings.append(took)
    finally:
        stop.set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.close()
    counts = wait_answered(fake, tokens, timeout=15)
    counts.update(
        slow_clients=clients,
        callback_200=statuses.count(200),
        max_ms=round(max(timings) * 1000, 1),
    )
    ok = counts["callback_200"] == probes and max(timings) < 2.0 and counts["lost"] == 0
    return Result(f"{clients} slow clients, {label}", ok, counts)


# -- the suite --------------------------------------------------------------------------------


def run(index_db: Path, short: bool, out=sys.stdout) -> list[Result]:
    """Run every scenario against fresh web processes; print and return the results."""
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="planbot-faults-") as tmp, \
            FakeLinePlatform() as fake:
        workdir = Path(tmp)

        def report(result: Result) -> None:
            results.append(result)
            print(result.line(), file=out, flush=True)

        web = Web(workdir, index_db, fake.url)
        try:
            report(kill9(web, fake, count=4 if short else 8))
            report(retry(web, fake))
            report(down(web, fake, seconds=4 if short else 10, rate=2 if short else 4))
            for latency in (1.0, 4.0):
                report(slow_line(web, fake, latency, rate=20, seconds=3 if short else 10))
            report(slow_clients(web.port, fake, 16, 3 if short else 10, "straight at gunicorn"))
            nginx = Nginx(workdir, web.port)
            try:
                report(slow_clients(nginx.port, fake, 16, 3 if short else 10,
                                    "through deploy/nginx.conf"))
            finally:
                nginx.stop()
        except Exception:
            print(web.log()[-4000:], file=sys.stderr)
            raise
        finally:
            web.stop()
    return results


def main(argv: list[str] | None = None) -> int:
    """Build the index, run the suite, print a summary; exit 1 if a required bar is missed."""
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--short", action="store_true", help="the short run of make test")
    parser.add_argument("--json", help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="planbot-faults-index-") as tmp:
        index_db = Path(tmp) / "index.db"
        subprocess.run([sys.executable, "-m", "index", "rebuild", "--corpus",
                        str(REPO / "corpus"), "--db", str(index_db)],
                       cwd=REPO, check=True, capture_output=True)
        results = run(index_db, args.short)
    if args.json:
        Path(args.json).write_text(json.dumps(
            [{"name": r.name, "ok": r.ok, **r.counts} for r in results],
            ensure_ascii=False, indent=1), encoding="utf-8")
    required = [r for r in results if "straight at gunicorn" not in r.name]
    return 0 if all(r.ok for r in required) else 1


if __name__ == "__main__":
    sys.exit(main())
