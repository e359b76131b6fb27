"""Rebuild under load (issue 7, item 4), as a scripted check: `python -m bench.rebuild`.

gunicorn runs as the Procfile says with several workers over an index file; a steady stream
of signed events goes to it; meanwhile `python -m index rebuild` replaces that file twice, each
time with a corpus that changes one answer (a plan added, then its vision rewritten), and then
two rebuilds fail halfway: one over a corpus with a broken document, one killed with SIGKILL in
the middle of a large build. The check passes when no request fails, every answer after a
rebuild comes from the new index, and the failed rebuilds leave the served index as it was.
Figures go to bench/RESULTS.md between `<!-- rebuild:begin -->` and `<!-- rebuild:end -->`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import click

from bench import corpus as corpus_mod
from bench.load import Servers, _send_all, text_event_body
from bench.report import write_block
from bench.run import REPO, WORK, log, machine
from bench.stats import summarize

RESULTS_MD = REPO / "bench" / "RESULTS.md"
PROBE_QUESTION = "วิสัยทัศน์ของสพป.น่าน เขต 2"
OTHER_QUESTIONS = ["วิสัยทัศน์ สพป.แพร่ เขต 1", "พันธกิจของสพม.13", "เป้าประสงค์ สพป.ลำปาง เขต 1",
                   "การเรียนรู้ตลอดชีวิต", "กลยุทธ์ข้อ 2 ของสพป.แพร่ เขต 1"]
NEW_PLAN = """---
office: สำนักงานเขตพื้นที่การศึกษาประถมศึกษาน่าน เขต 2
short: สพป.น่าน เขต 2
---
วิสัยทัศน์

ผู้เรียนมีคุณภาพ ครูมีคุณภาพ สถานศึกษามีคุณภาพ ฉบับ {marker}

พันธกิจ

1. พัฒนาคุณภาพผู้เรียนทุกระดับ
2. พัฒนาครูและบุคลากรทางการศึกษา
"""
BROKEN_PLAN = "this document has no front matter\n1. so the build must stop\n"


def _corpus(base: Path, target: Path, marker: str | None, broken: bool = False) -> Path:
    """The bundled corpus, plus the probe plan with `marker` in its vision, plus a broken doc."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for path in sorted(Path(base).glob("*.txt")):
        shutil.copy(path, target / path.name)
    if marker:
        (target / "zz-nan-2.txt").write_text(NEW_PLAN.format(marker=marker), encoding="utf-8")
    if broken:
        (target / "zz-broken.txt").write_text(BROKEN_PLAN, encoding="utf-8")
    return target


def _rebuild(corpus: Path, db: Path) -> dict:
    """Run `python -m index rebuild`; return its exit code, wall time and finish time."""
    started = time.time()
    proc = subprocess.run([sys.executable, "-m", "index", "rebuild", "--corpus", str(corpus),
                           "--db", str(db)], cwd=REPO, capture_output=True, text=True)
    return {"rc": proc.returncode, "seconds": round(time.time() - started, 2),
            "started_at": started, "done_at": time.time(),
            "message": (proc.stdout or proc.stderr).strip().splitlines()[-1:]}


def _killed_rebuild(corpus: Path, db: Path, after: float) -> dict:
    """Start a large rebuild and SIGKILL it `after` seconds in, before it can rename."""
    started = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "index", "rebuild", "--corpus", str(corpus),
                             "--db", str(db)], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    time.sleep(after)
    finished_first = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return {"rc": proc.returncode, "killed_after_s": after, "finished_before_kill": finished_first,
            "started_at": started, "done_at": time.time()}


def _version(text: str) -> str:
    for marker in ("REBUILD-C", "REBUILD-B"):
        if marker in text:
            return marker[-1]
    return "A"


def check(seconds: float = 36.0, rate: float = 20.0, workers: int = 3,
          work: Path = WORK / "rebuild", gap: float = 5.0, kill_after: float = 3.0) -> dict:
    """Run the scenario and return its figures (see the module docstring).

    `gap` seconds of load pass before each rebuild; the killed build gets `kill_after` seconds.
    """
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    db = work / "index.db"
    corpus_a = _corpus(REPO / "corpus", work / "corpus-a", None)
    corpus_b = _corpus(REPO / "corpus", work / "corpus-b", "REBUILD-B")
    corpus_c = _corpus(REPO / "corpus", work / "corpus-c", "REBUILD-C")
    corpus_broken = _corpus(REPO / "corpus", work / "corpus-broken", "REBUILD-BROKEN", broken=True)
    big = work / "corpus-big"
    if not big.exists() or not any(big.glob("*.txt")):
        corpus_mod.generate("M", big, count=120)
    first = _rebuild(corpus_a, db)
    if first["rc"]:
        raise RuntimeError(f"initial build failed: {first['message']}")
    servers = Servers(db, work, env={"WEB_CONCURRENCY": str(workers)}).start()
    events, bodies = [], []
    for i in range(int(seconds * rate)):
        question = PROBE_QUESTION if i % 2 == 0 else OTHER_QUESTIONS[(i // 2) % len(OTHER_QUESTIONS)]
        token = uuid.uuid4().hex
        user = "U" + hashlib.md5(f"rebuild-user{i}".encode()).hexdigest()
        bodies.append((token, text_event_body(question, token, user)))
        events.append({"token": token, "probe": question == PROBE_QUESTION})
    sent: dict = {}

    def load():
        sent.update(asyncio.run(_send_all(servers.url, bodies, rate, timeout=10.0)))

    sender = threading.Thread(target=load, name="rebuild-load")
    steps = []
    try:
        load_started = time.time()
        sender.start()
        for name, action in (
            ("rebuild 1: a plan added (B)", lambda: _rebuild(corpus_b, db)),
            ("rebuild 2: its vision rewritten (C)", lambda: _rebuild(corpus_c, db)),
            ("failed rebuild: a broken document", lambda: _rebuild(corpus_broken, db)),
            ("failed rebuild: SIGKILL mid-build (120 plans)",
             lambda: _killed_rebuild(big, db, after=kill_after)),
        ):
            time.sleep(gap)
            log(f"rebuild check: {name}")
            step = action()
            step["name"] = name
            steps.append(step)
        sender.join(timeout=seconds + 60)
        time.sleep(3.0)
        records = servers.reply_records()
        leftovers = sorted(p.name for p in work.glob(".index-*.db"))
    finally:
        servers.stop()
        sent.pop("__send_seconds__", None)
    return _figures(events, sent, records, steps, leftovers, load_started, seconds, rate, workers)


def _figures(events, sent, records, steps, leftovers, load_started, seconds, rate, workers):
    """Failures, latency, and which index version each probe answer came from."""
    failures, latencies, probes = 0, [], []
    for event in events:
        sent_at, status = sent.get(event["token"], (None, 0))
        record = records.get(event["token"])
        if status != 200 or record is None:
            failures += 1
            continue
        latencies.append((record[0] - sent_at) * 1000)
        if event["probe"]:
            probes.append((sent_at, record[0], _version(record[1])))
    b_done, c_done = steps[0]["done_at"], steps[1]["done_at"]
    expected_min = [("B", b_done), ("C", c_done)]
    order = {"A": 0, "B": 1, "C": 2}
    stale = 0
    for sent_at, _, version in probes:
        # An event sent after a rebuild finished must be answered from that index or a newer one.
        need = max((order[v] for v, done in expected_min if sent_at >= done), default=0)
        stale += order[version] < need
    switch = {}
    for version, done in expected_min:
        first = [got for _, got, v in probes if order[v] >= order[version] and got >= done]
        switch[version] = round(min(first) - done, 3) if first else None
    after_failed = [v for s, _, v in probes if s >= steps[2]["started_at"]]
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "workers": workers, "rate": rate, "seconds": seconds,
        "events": len(events), "failures": failures, "latency_ms": summarize(latencies),
        "probe_answers": len(probes),
        "versions_seen": {v: sum(p[2] == v for p in probes) for v in "ABC"},
        "stale_answers": stale,
        "switch_delay_s": switch,
        "after_failed_rebuilds": {v: after_failed.count(v) for v in "ABC"},
        "rebuilds": [{k: v for k, v in s.items() if not k.endswith("_at")} for s in steps],
        "temp_files_left": leftovers,
        "started_at": load_started,
    }


def passed(f: dict) -> bool:
    """No failed request, no stale answer, and the failed rebuilds changed nothing."""
    return (f["failures"] == 0 and f["stale_answers"] == 0
            and f["after_failed_rebuilds"]["A"] == f["after_failed_rebuilds"]["B"] == 0
            and f["after_failed_rebuilds"]["C"] > 0
            and all(s["rc"] != 0 for s in f["rebuilds"][2:])
            and all(s["rc"] == 0 for s in f["rebuilds"][:2]))


def markdown(f: dict) -> str:
    """The RESULTS.md block for the rebuild check."""
    ok = passed(f)
    lat = f["latency_ms"]
    lines = [
        f"- **Date**: {f['date']}; command `python -m bench.rebuild`; {f['workers']} gunicorn "
        f"workers; {f['rate']:g} events/s for {f['seconds']:g} s; same machine as above "
        f"(load average at start {f['machine'].get('load_avg_at_start')})",
        f"- **Result**: {'PASS' if ok else 'FAIL'}: {f['events']} events, "
        f"**{f['failures']} failed**; latency median {lat['p50']} ms, p99 {lat['p99']} ms",
        f"- Probe answers (\"{PROBE_QUESTION}\", every other event): {f['probe_answers']}; "
        f"by index version A/B/C: {f['versions_seen']}; answered from an index older than the "
        f"one in place when the event was sent: **{f['stale_answers']}**",
        f"- First answer from the new index after the rename: B {f['switch_delay_s']['B']} s, "
        f"C {f['switch_delay_s']['C']} s",
        f"- After the two failed rebuilds, probe answers by version: "
        f"{f['after_failed_rebuilds']} (all should be C)",
        f"- Temporary index files left behind by the killed build: {f['temp_files_left'] or 'none'}",
        "",
        "| Step | Exit code | Seconds | Output |",
        "|---|---:|---:|---|",
    ]
    for step in f["rebuilds"]:
        seconds = step.get("seconds", step.get("killed_after_s"))
        output = " ".join(step.get("message", [])) or (
            "killed" if not step.get("finished_before_kill") else "finished before the kill")
        lines.append(f"| {step['name']} | {step['rc']} | {seconds} | {output[:120]} |")
    return "\n".join(lines)


@click.command()
@click.option("--seconds", default=36.0, show_default=True, help="Length of the load.")
@click.option("--rate", default=20.0, show_default=True, help="Events per second.")
@click.option("--workers", default=3, show_default=True, help="gunicorn workers.")
@click.option("--no-results", is_flag=True, help="Leave bench/RESULTS.md alone.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def main(seconds, rate, workers, no_results, as_json):
    """Rebuild the index twice under load, then fail two rebuilds; check nothing is lost.

    Example: python -m bench.rebuild --seconds 36 --rate 20 --workers 3
    """
    figures = check(seconds=seconds, rate=rate, workers=workers)
    log(f"rebuild check: {figures['failures']} failed of {figures['events']}, "
        f"stale {figures['stale_answers']}, versions {figures['versions_seen']}")
    if not no_results:
        write_block(RESULTS_MD, "rebuild", markdown(figures))
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=1))
    if not passed(figures):
        raise SystemExit(1)


if __name__ == "__main__":
    main(prog_name="python -m bench.rebuild")
