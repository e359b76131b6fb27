"""Rebuild under load: gunicorn keeps answering while the index is rebuilt, broken and killed.

A scripted check for issue 7 ("Rebuild under load"). It starts gunicorn exactly as the
Procfile's `web:` line says (several workers, bound to 127.0.0.1 instead of 0.0.0.0), with
LINE_API_HOST pointing at an in-process `linekit.fake.FakeLinePlatform` and a temporary
index and state database. A load generator sends signed "วิสัยทัศน์ สพม.13" events at a fixed
rate (open loop, bounded in count and time) while, one after the other:

1. `python -m index rebuild` runs on an unchanged copy of the corpus;
2. it runs again on a copy where สพม.13's vision text is changed, so answers visibly switch;
3. a rebuild is fed a broken document (front matter without `office:`): it must fail, naming
   file:line, and the served index must stay as it was;
4. a rebuild of a corpus with yet another vision text is killed with SIGKILL while it writes
   its temporary database: the served index must stay as it was, and that text never served.

A request fails if the webhook does not answer 200 or no reply for its token reaches the fake.

    python -m bench.rebuild_load            # markdown snippet, then the JSON summary
    python -m bench.rebuild_load --json     # the JSON summary only (it includes the snippet)

Exit status 0 when there were no failed requests, answers switched and both failed rebuilds
left the served index intact; 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import load
from bench.load import free_port, procfile_command

REPO = Path(__file__).resolve().parent.parent
CHANNEL_SECRET = "rebuild-load-channel-secret-0123"
ACCESS_TOKEN = "rebuild-load-access-token"
QUESTION = "วิสัยทัศน์ สพม.13"
PLAN_FILE = "spm-13.txt"
VISION_OLD = "เป็นผู้นำในการพัฒนาคุณภาพการศึกษาสู่ความเป็นเลิศ"
VISION_NEW = "เป็นองค์กรแห่งการเรียนรู้ที่ทดสอบการสร้างดัชนีใหม่ระหว่างมีผู้ใช้งาน"
VISION_KILLED = "ข้อความนี้มาจากการสร้างดัชนีที่ถูกหยุดกลางคันจึงต้องไม่ปรากฏ"
BROKEN_DOCUMENT = "---\nshort: ไม่มีชื่อเต็ม\n---\nวิสัยทัศน์\nเอกสารที่ไม่มี office\n"
DEFAULT_RATE = 20.0  # events per second
DEFAULT_WORKERS = 3
DEFAULT_PAUSE = 1.0  # seconds of load between steps
DEFAULT_MAX_SECONDS = 120.0  # hard bound on the whole load phase
DRAIN_SECONDS = 5.0  # how long replies may still arrive after the last request
STARTUP_SECONDS = 60.0




def sign(body: bytes) -> str:
    """X-Line-Signature for a body, with this check's channel secret."""
    return load.sign(body, CHANNEL_SECRET)


def event_body(reply_token: str, user_id: str) -> bytes:
    """One text-message webhook body asking QUESTION, as LINE sends it."""
    return load.text_event_body(QUESTION, reply_token, user_id)


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(round(fraction * len(ordered), 9)))
    return ordered[min(rank, len(ordered)) - 1]


def _texts(node, out: list[str]) -> None:
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "quickReply":
                _texts(value, out)
    elif isinstance(node, list):
        for value in node:
            _texts(value, out)


def classify(messages: list[dict]) -> str:
    """Which index a reply came from: old, new, killed (must never happen) or other."""
    out: list[str] = []
    _texts(messages, out)
    text = "\n".join(out)
    for name, vision in (("killed", VISION_KILLED), ("new", VISION_NEW), ("old", VISION_OLD)):
        if vision in text:
            return name
    return "other"


def write_corpus(target: Path, vision: str | None = None, broken: bool = False) -> Path:
    """A copy of corpus/ with สพม.13's vision replaced and/or a broken document added."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(REPO / "corpus", target)
    if vision is not None:
        plan = target / PLAN_FILE
        text = plan.read_text(encoding="utf-8")
        if VISION_OLD not in text:
            raise RuntimeError(f"{plan}: the vision text this check changes is not there")
        plan.write_text(text.replace(VISION_OLD, vision), encoding="utf-8")
    if broken:
        (target / "zz-broken.txt").write_text(BROKEN_DOCUMENT, encoding="utf-8")
    return target


def rebuild_command(corpus: Path, db: Path) -> list[str]:
    """`python -m index rebuild`, as an admin runs it."""
    return [sys.executable, "-m", "index", "rebuild", "--corpus", str(corpus), "--db", str(db)]


def run_rebuild(name: str, corpus: Path, db: Path) -> dict:
    """Run one rebuild to the end; its exit status, duration and last output line."""
    started = time.time()
    done = subprocess.run(rebuild_command(corpus, db), cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    finished = time.time()
    lines = (done.stdout + done.stderr).strip().splitlines()
    return {"name": name, "exit": done.returncode, "started": started, "finished": finished,
            "seconds": round(finished - started, 2), "output": lines[-1] if lines else ""}


def killed_rebuild(corpus: Path, db: Path, attempts: int = 5) -> dict:
    """Start a rebuild and SIGKILL it as soon as its temporary database appears beside `db`."""
    for attempt in range(1, attempts + 1):
        before = set(db.parent.glob(".index-*"))
        started = time.time()
        process = subprocess.Popen(rebuild_command(corpus, db), cwd=REPO,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        killed = False
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if set(db.parent.glob(".index-*")) - before:  # writing has begun: kill it now
                os.kill(process.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(0.001)
        process.wait(timeout=60)
        finished = time.time()
        if killed:
            leftovers = sorted(set(db.parent.glob(".index-*")) - before)
            for path in leftovers:  # what an admin would clean up after a crash
                path.unlink(missing_ok=True)
            return {"name": "killed mid-write (SIGKILL)", "exit": process.returncode,
                    "started": started, "finished": finished,
                    "seconds": round(finished - started, 2), "attempts": attempt,
                    "killed": True, "leftover_temp_files": len(leftovers)}
        if process.returncode == 0:
            # It finished before we saw its temporary file: the kill missed, and the
            # served index is now the "killed" corpus. Report that honestly.
            return {"name": "killed mid-write (SIGKILL)", "exit": 0, "started": started,
                    "finished": finished, "seconds": round(finished - started, 2),
                    "attempts": attempt, "killed": False}
    return {"name": "killed mid-write (SIGKILL)", "exit": None, "killed": False,
            "attempts": attempts, "started": started, "finished": time.time(), "seconds": 0}


class LoadGenerator:
    """Sends signed events at a fixed rate from a thread; records each request's outcome."""

    def __init__(self, url: str, rate: float, max_requests: int, max_seconds: float):
        self.url = url
        self.rate = rate
        self.max_requests = max_requests
        self.max_seconds = max_seconds
        self.records: list[dict] = []
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=32, thread_name_prefix="load")
        self._thread = threading.Thread(target=self._schedule, daemon=True)
        self._lock = threading.Lock()
        # Straight to 127.0.0.1, never through a proxy named in the environment.
        import urllib.request

        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def start(self) -> None:
        """Start sending."""
        self._thread.start()

    def stop(self) -> None:
        """Stop scheduling and wait for requests in flight."""
        self._stop.set()
        self._thread.join(timeout=60)
        self._pool.shutdown(wait=True)

    def _schedule(self) -> None:
        started = time.monotonic()
        for n in range(self.max_requests):
            due = started + n / self.rate
            if due - started > self.max_seconds:
                break
            if self._stop.wait(max(0.0, due - time.monotonic())):
                break
            self._pool.submit(self._send, n)

    def _send(self, n: int) -> None:
        import urllib.error
        import urllib.request

        token = uuid.uuid4().hex
        body = event_body(token, f"U{uuid.uuid4().hex}")  # a new user each time: no rate limit
        record = {"n": n, "token": token, "sent": time.time(), "status": None, "error": None}
        request = urllib.request.Request(
            f"{self.url}/callback", data=body, method="POST",
            headers={"Content-Type": "application/json", "X-Line-Signature": sign(body)},
        )
        clock = time.perf_counter()
        try:
            with self._opener.open(request, timeout=10) as response:
                response.read()
                record["status"] = response.status
        except urllib.error.HTTPError as error:
            record["status"] = error.code
        except Exception as error:  # refused, reset, timeout: a failed request
            record["error"] = type(error).__name__
        record["http_ms"] = (time.perf_counter() - clock) * 1000
        with self._lock:
            self.records.append(record)


def _wait_healthy(url: str, server: subprocess.Popen, workers: int) -> None:
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            with opener.open(f"{url}/healthz", timeout=30) as response:
                if json.load(response).get("status") == "ok":
                    break
        except OSError:
            time.sleep(0.2)  # not listening yet
    else:
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def warm(_):
        with opener.open(f"{url}/healthz", timeout=30) as response:
            response.read()

    # Load the engine in (most likely) every worker before measuring.
    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        list(pool.map(warm, range(workers * 4)))


def run(rate: float = DEFAULT_RATE, workers: int = DEFAULT_WORKERS, pause: float = DEFAULT_PAUSE,
        max_seconds: float = DEFAULT_MAX_SECONDS, work: Path | None = None) -> dict:
    """The whole check; returns the summary (see the module docstring)."""
    sys.path.insert(0, str(REPO))
    from linekit.fake import REPLY_PATH, FakeLinePlatform

    own_work = work is None
    work = Path(tempfile.mkdtemp(prefix="rebuild-load-")) if own_work else Path(work)
    work.mkdir(parents=True, exist_ok=True)
    db = work / "index" / "index.db"
    db.parent.mkdir(exist_ok=True)
    initial = run_rebuild("initial", write_corpus(work / "corpus-old"), db)
    if initial["exit"] != 0:
        raise RuntimeError(f"the initial index build failed: {initial['output']}")

    steps: list[dict] = []
    checks: dict[str, object] = {}
    log_path = work / "gunicorn.log"
    with FakeLinePlatform() as fake, log_path.open("w") as log:
        port = free_port()
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PLANBOT_", "LINE_"))}
        env.update(
            PORT=str(port), WEB_CONCURRENCY=str(workers),
            LINE_CHANNEL_SECRET=CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN,
            LINE_API_HOST=fake.url, PLANBOT_DB=str(db),
            PLANBOT_STATE_DB=str(work / "state" / "state.db"),
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            PYTHAINLP_DATA=env.get("PYTHAINLP_DATA", str(REPO / ".pythainlp-data")),
        )
        server = subprocess.Popen(["sh", "-c", f"exec {procfile_command(port)}"], cwd=REPO,
                                  env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        load = None
        try:
            _wait_healthy(url, server, workers)
            load = LoadGenerator(url, rate, max_requests=int(rate * max_seconds) + 1,
                                 max_seconds=max_seconds)
            load_started = time.time()
            load.start()
            time.sleep(pause)
            steps.append(run_rebuild("same corpus", work / "corpus-old", db))
            time.sleep(pause)
            new_corpus = write_corpus(work / "corpus-new", VISION_NEW)
            steps.append(run_rebuild("changed vision text", new_corpus, db))

            def replies_of(kind: str) -> int:
                return sum(1 for r in fake.requests_for(REPLY_PATH) if classify(r.messages) == kind)

            # Bounded wait for the first answer from the new index.
            fake.wait_until(lambda _: replies_of("new") > 0, timeout=10)
            time.sleep(pause)
            inode = os.stat(db).st_ino
            broken = run_rebuild("broken document",
                                 write_corpus(work / "corpus-broken", VISION_KILLED, broken=True),
                                 db)
            broken["index_unchanged"] = os.stat(db).st_ino == inode
            steps.append(broken)
            time.sleep(pause)
            inode = os.stat(db).st_ino
            killed = killed_rebuild(write_corpus(work / "corpus-killed", VISION_KILLED), db)
            killed["index_unchanged"] = os.stat(db).st_ino == inode
            steps.append(killed)
            time.sleep(pause)
        finally:
            if load is not None:
                load.stop()
            load_finished = time.time()
            tokens = {r["token"] for r in (load.records if load else [])}
            fake.wait_until(
                lambda records: tokens <= {r.reply_token for r in records if r.status},
                timeout=DRAIN_SECONDS,
            )
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=30)
        replies = {r.reply_token: r for r in fake.requests_for(REPLY_PATH) if r.status}

    records = sorted(load.records, key=lambda r: r["sent"])
    for record in records:
        reply = replies.get(record["token"])
        record["reply_status"] = reply.status if reply else None
        record["reply_ms"] = (reply.received_at - record["sent"]) * 1000 if reply else None
        record["answer"] = classify(reply.messages) if reply else None
    failed_http = [r for r in records if r["status"] != 200]
    failed_reply = [r for r in records if r["status"] == 200 and r["reply_status"] != 200]
    answers = {kind: sum(1 for r in records if r["answer"] == kind)
               for kind in ("old", "new", "killed", "other")}

    switch = steps[1]
    # The switch point: the first request after which every answer came from the new index.
    switch_at = None
    for record in reversed(records):
        if record["answer"] == "new":
            switch_at = record["sent"]
        elif record["answer"] is not None:
            break
    checks["answers_switched"] = bool(switch_at) and answers["new"] > 0
    broken, killed = steps[2], steps[3]
    after = [r for r in records if switch_at and r["sent"] >= switch_at]

    def served_new_after(step: dict) -> bool:
        later = [r for r in records if r["sent"] >= step["finished"]]
        return bool(later) and all(r["answer"] == "new" for r in later)

    checks["broken_rebuild_failed_with_file_line"] = broken["exit"] not in (0, None) and bool(
        re.search(r"zz-broken\.txt.*\b\d+\b", broken["output"])
    )
    checks["broken_rebuild_left_index_intact"] = (
        broken["exit"] != 0 and broken["index_unchanged"] and served_new_after(broken)
    )
    checks["killed_rebuild_left_index_intact"] = (
        bool(killed.get("killed")) and killed["index_unchanged"] and served_new_after(killed)
    )
    checks["no_failed_requests"] = not failed_http and not failed_reply
    checks["killed_text_never_served"] = answers["killed"] == 0
    http_ms = [r["http_ms"] for r in records if r["status"] == 200]
    reply_ms = [r["reply_ms"] for r in records if r["reply_ms"] is not None]
    summary = {
        "workers": workers,
        "rate_per_s": rate,
        "load_seconds": round(load_finished - load_started, 1),
        "requests_sent": len(records),
        "failed": len(failed_http) + len(failed_reply),
        "failed_http": len(failed_http),
        "failed_no_reply": len(failed_reply),
        "http_latency_ms": {"p50": _round(percentile(http_ms, 0.5)),
                            "p99": _round(percentile(http_ms, 0.99)),
                            "max": _round(max(http_ms, default=None))},
        "reply_latency_ms": {"p50": _round(percentile(reply_ms, 0.5)),
                             "p99": _round(percentile(reply_ms, 0.99)),
                             "max": _round(max(reply_ms, default=None))},
        "answers": answers,
        "answers_after_switch": len(after),
        "switch_after_rebuild_start_s": _round(switch_at - switch["started"], 2)
        if switch_at else None,
        "switch_after_rebuild_exit_s": _round(switch_at - switch["finished"], 2)
        if switch_at else None,
        "rebuilds": [{k: v for k, v in step.items() if k not in ("started", "finished")}
                     for step in [initial, *steps]],
        "checks": checks,
        "ok": all(checks.values()),
        "machine": f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}",
    }
    if not summary["ok"]:
        summary["gunicorn_log_tail"] = log_path.read_text(errors="replace").splitlines()[-20:]
    if own_work:
        shutil.rmtree(work, ignore_errors=True)
    summary["markdown"] = markdown(summary)
    return summary


def _round(value, digits: int = 1):
    return None if value is None else round(value, digits)


def markdown(summary: dict) -> str:
    """The snippet for bench/RESULTS.md."""
    http, reply = summary["http_latency_ms"], summary["reply_latency_ms"]
    checks = summary["checks"]

    def yes(flag) -> str:
        return "yes" if flag else "**NO**"

    rebuilds = "; ".join(
        f"{step['name']}: exit {step['exit']}, {step['seconds']} s" for step in summary["rebuilds"]
    )
    return "\n".join([
        "### Rebuild under load (`python -m bench.rebuild_load`)",
        "",
        f"gunicorn as in the Procfile, {summary['workers']} workers, fake LINE on 127.0.0.1, "
        f"{summary['rate_per_s']:g} signed events/s for {summary['load_seconds']} s "
        f"({summary['machine']}). Rebuilds during the load: {rebuilds}.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| requests sent | {summary['requests_sent']} |",
        f"| failed (non-200 or no reply at the fake) | {summary['failed']} |",
        f"| webhook response p50 / p99 / max | {http['p50']} / {http['p99']} / {http['max']} ms |",
        f"| reply at the fake p50 / p99 / max | {reply['p50']} / {reply['p99']} / {reply['max']} ms |",
        f"| answers old / new / other | {summary['answers']['old']} / "
        f"{summary['answers']['new']} / {summary['answers']['other']} |",
        f"| answers switched to the new index | {yes(checks['answers_switched'])}, "
        f"{summary['switch_after_rebuild_start_s']} s after the rebuild started "
        f"({summary['switch_after_rebuild_exit_s']} s after it exited) |",
        f"| broken document: rebuild failed naming file:line | "
        f"{yes(checks['broken_rebuild_failed_with_file_line'])} |",
        f"| broken document: served index intact | "
        f"{yes(checks['broken_rebuild_left_index_intact'])} |",
        f"| rebuild killed mid-write: served index intact | "
        f"{yes(checks['killed_rebuild_left_index_intact'])} |",
    ])


def main(argv: list[str] | None = None) -> int:
    """Run the check and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.rebuild_load",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print only the JSON summary")
    parser.add_argument("--rate", type=float, default=DEFAULT_RATE,
                        help=f"events per second (default {DEFAULT_RATE:g})")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help=f"gunicorn workers, WEB_CONCURRENCY (default {DEFAULT_WORKERS})")
    parser.add_argument("--pause", type=float, default=DEFAULT_PAUSE,
                        help=f"seconds of load between steps (default {DEFAULT_PAUSE:g})")
    parser.add_argument("--max-seconds", type=float, default=DEFAULT_MAX_SECONDS,
                        help=f"upper bound on the load phase (default {DEFAULT_MAX_SECONDS:g})")
    parser.add_argument("--work", type=Path, help="keep files here instead of a temporary folder")
    parser.add_argument("--results", action="store_true",
                        help="also write the snippet into bench/RESULTS.md (its rebuild block)")
    args = parser.parse_args(argv)
    summary = run(args.rate, args.workers, args.pause, args.max_seconds, args.work)
    if args.results:
        from bench.report import write_block

        write_block(Path(__file__).resolve().parent / "RESULTS.md", "rebuild",
                    summary["markdown"])
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(summary["markdown"])
        print()
        print(json.dumps({k: v for k, v in summary.items() if k != "markdown"},
                         ensure_ascii=False, indent=2))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
