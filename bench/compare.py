"""`python -m bench --webhook-compare`: the webhook side by side, in one run (issue 15 item 7).

Five setups, each served by the Procfile's own gunicorn line, each answering through the fake
LINE platform in a process of its own (`bench.fakehost`), each loaded open-loop with signed
events by `bench.load`:

- the project with the SQLite state backend (the default, one host);
- the same with the engine's remembered replies off (PLANBOT_ANSWER_CACHE=0): the benchmark's
  1,000 questions come round again and again, which flatters a cache;
- the project with the Redis state backend (a real `redis-server`, appendonly as the README
  recommends);
- the anchor: a minimal Flask + line-bot-sdk v3 echo webhook (`bench.echo_app`);
- the project on two hosts sharing that Redis, the load alternating between them.

For each: p50/p99 at 50 and 100 events/s, then rising rates until p99 reaches 200 ms or an
event fails; the highest rate before that is the sustained rate. Then the two-host
conversation check at full size: many teachers' three-turn conversations alternating between
the hosts, every event redelivered to the other host at the same moment, one host killed
halfway: every turn must be answered exactly once, with its context.

A full run writes its block into bench/RESULTS.md (`<!-- webhook-compare:... -->`) and
bench/RESULTS-compare.json; a smoke run writes both into its work folder instead.
"""

from __future__ import annotations

import copy
import json
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from bench.load import (
    ACCESS_TOKEN,
    CHANNEL_SECRET,
    P99_LIMIT_MS,
    Servers,
    WebHost,
    sweep,
)
from bench.redis_server import RedisProcess
from bench.report import write_block
from bench.run import REPO, WORK, build_index, log, machine, tier_corpus
from linekit import events
from linekit.fake import LOCAL_OPENER, REPLY_PATH, FakeLinePlatform
from linekit.signing import signed_headers

RESULTS_MD = REPO / "bench" / "RESULTS.md"
RESULTS_JSON = REPO / "bench" / "RESULTS-compare.json"
BLOCK = "webhook-compare"
ECHO_APP = "bench.echo_app:create_app()"
RATES = (50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 1000, 1200, 1500)
SMOKE_RATES = (50, 100)
ANCHOR_SHARE = 0.8  # the project must sustain at least 80% of the anchor's rate

#: One teacher's conversation, (question, what the answer quotes, what it must not quote): the
#: second and third turns make sense only with the first's office and the second's section.
CONVERSATION = [
    ("วิสัยทัศน์ สพม.13", "เป็นผู้นำในการพัฒนาคุณภาพการศึกษาสู่ความเป็นเลิศ", None),
    ("แล้วพันธกิจล่ะ", "ส่งเสริม สนับสนุนให้โรงเรียนจัดการศึกษาอย่างมีคุณภาพ",
     "เป็นผู้นำในการพัฒนาคุณภาพการศึกษาสู่ความเป็นเลิศ"),
    ("ข้อ 2", "นักเรียนมีความรู้ มีคุณธรรม มีจริยธรรม และเป็นคนดีของสังคม",
     "ระบบบริหารจัดการศึกษาแบบการมีส่วนร่วมจากภาคีเครือข่าย"),
]
BOT_ID = "U" + "0" * 32


# -- delivering events as LINE does --------------------------------------------------------------


def deliver(url: str, body: bytes, secret: str = CHANNEL_SECRET, timeout: float = 30.0) -> int:
    """POST a signed webhook body to a host; the HTTP status, or 0 when it cannot be reached."""
    request = urllib.request.Request(url + "/callback", data=body, method="POST",
                                     headers=signed_headers(body, secret))
    try:
        with LOCAL_OPENER.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def redelivery(event: dict) -> dict:
    """The same event as LINE redelivers it: the same webhookEventId, isRedelivery true."""
    again = copy.deepcopy(event)
    again["deliveryContext"]["isRedelivery"] = True
    return again


def at_once(*deliveries: tuple[str, bytes], secret: str = CHANNEL_SECRET) -> list[int]:
    """Deliver several (url, body) pairs at the same moment; their statuses, in order."""
    gate = threading.Barrier(len(deliveries))

    def go(pair):
        gate.wait()
        return deliver(*pair, secret=secret)

    with ThreadPoolExecutor(len(deliveries)) as pool:
        return list(pool.map(go, deliveries))


def answers_to(fake: FakeLinePlatform, token: str, timeout: float = 20.0,
               settle: float = 1.0) -> list:
    """Every reply the fake received for `token`: waits up to `timeout` for the first, then
    `settle` seconds more, so a second (wrong) answer has time to arrive and be counted."""

    def answered(_):
        return [r for r in fake.requests_for(REPLY_PATH) if r.reply_token == token]

    fake.wait_until(answered, timeout=timeout)
    fake.wait_until(lambda records: len(answered(records)) > 1, timeout=settle)
    return answered(None)


def shown_text(record) -> str:
    """The text a reply shows (texts and alt texts of its messages)."""
    return "\n".join(m.get("text") or m.get("altText") or "" for m in record.messages)


# -- the two-host conversation check at full size --------------------------------------------


def conversation_check(db: Path, redis: RedisProcess, work: Path, users: int = 40,
                       reply_timeout: float = 20.0, settle: float = 2.0) -> dict:
    """`users` teachers hold CONVERSATION at once across two hosts on one Redis; each event
    goes to one host and, at the same moment, a redelivery to the other; once half the
    teachers are past their second turn, host B is killed, and deliveries it refuses are
    redelivered to A. Counts turns answered once, more than once, never, and with the wrong
    context. The fake LINE platform runs in this process (waiting per reply, not timing)."""
    redis.flush()
    counts = {"users": users, "turns": users * len(CONVERSATION), "answered_once": 0,
              "answered_twice_or_more": 0, "unanswered": 0, "wrong_context": 0,
              "refused_by_killed_host": 0}
    lock = threading.Lock()
    with FakeLinePlatform() as fake:
        env = {"LINE_CHANNEL_SECRET": CHANNEL_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
               "LINE_API_HOST": fake.url, "PLANBOT_DB": str(db), "PLANBOT_STATE_URL": redis.url}
        hosts = [WebHost(env, work, f"conversation-{name}") for name in "ab"]
        past_second = threading.Semaphore(0)
        try:
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(lambda host: host.start(), hosts))
            for host in hosts:
                host.warm()

            def teacher(n: int) -> None:
                user = f"U{n:032x}"
                for turn, (question, expected, unexpected) in enumerate(CONVERSATION):
                    first, other = hosts[(n + turn) % 2], hosts[(n + turn + 1) % 2]
                    event = events.event("message", events.source("user", user),
                                         events.new_reply_token(),
                                         message=events.text_message(question))
                    body = events.webhook_body([event], BOT_ID)
                    again = events.webhook_body([redelivery(event)], BOT_ID)
                    statuses = at_once((first.url, body), (other.url, again))
                    for _ in range(statuses.count(0)):
                        # A dead host refused it: LINE redelivers, the balancer picks a live one.
                        live = next(h for h in hosts if h.process.poll() is None)
                        with lock:
                            counts["refused_by_killed_host"] += 1
                        deliver(live.url, again)
                    answered = answers_to(fake, event["replyToken"], reply_timeout, settle)
                    with lock:
                        if not answered:
                            counts["unanswered"] += 1
                        elif len(answered) > 1:
                            counts["answered_twice_or_more"] += 1
                        else:
                            counts["answered_once"] += 1
                        text = shown_text(answered[0]) if answered else ""
                        if answered and (expected not in text
                                         or (unexpected and unexpected in text)):
                            counts["wrong_context"] += 1
                    if turn == 1:
                        past_second.release()

            with ThreadPoolExecutor(users) as pool:
                futures = [pool.submit(teacher, n) for n in range(users)]
                for _ in range(users // 2):
                    past_second.acquire(timeout=120)
                hosts[1].kill()
                counts["killed_after_second_turns"] = users // 2
                for future in futures:
                    future.result()
        finally:
            for host in hosts:
                host.stop()
    counts["ok"] = (counts["answered_once"] == counts["turns"] and not counts["wrong_context"])
    return counts


# -- the side-by-side run ----------------------------------------------------------------------


def setups(work: Path, redis_url: str) -> list[dict]:
    """The setups, as Servers arguments. The questions come round again (1,000 of them over
    thousands of events), so most answers come from the engine's remembered replies; the
    setup with them off shows what the engine's own work costs."""
    return [
        {"name": "SDK echo anchor", "key": "anchor", "app": ECHO_APP, "hosts": 1, "env": {}},
        {"name": "project, SQLite state", "key": "sqlite", "app": None, "hosts": 1,
         "env": {"PLANBOT_STATE_URL": f"sqlite:///{work / 'sqlite' / 'state.db'}"}},
        {"name": "project, SQLite state, answer cache off", "key": "sqlite_nocache",
         "app": None, "hosts": 1,
         "env": {"PLANBOT_STATE_URL": f"sqlite:///{work / 'sqlite_nocache' / 'state.db'}",
                 "PLANBOT_ANSWER_CACHE": "0"}},
        {"name": "project, Redis state", "key": "redis", "app": None, "hosts": 1,
         "env": {"PLANBOT_STATE_URL": redis_url}},
        {"name": "project, two hosts, Redis", "key": "two_hosts", "app": None, "hosts": 2,
         "env": {"PLANBOT_STATE_URL": redis_url}},
    ]


def run_compare(tier: str = "S", smoke: bool = False, work: Path | None = None,
                repeats: int = 1, users: int = 40, commit: str = "") -> dict:
    """Every setup's sweep (`repeats` times, setups interleaved), then the conversation check."""
    from bench.questions import make_questions

    work = Path(work or (WORK / "compare-smoke" if smoke else WORK / "compare"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
               "command": "python -m bench " + " ".join(sys.argv[1:]), "machine": machine(),
               "commit": commit, "smoke": smoke, "tier": tier, "repeats": repeats,
               "rates": list(SMOKE_RATES if smoke else RATES), "setups": {}}
    corpus = tier_corpus(tier, work)
    db = work / tier / "index.db"
    results["index"] = build_index(corpus, db)
    questions = [q.text for q in make_questions(corpus, 24 if smoke else 1000, tag=tier)]
    redis = RedisProcess(work / "redis").start()
    try:
        for repeat in range(repeats):
            for setup in setups(work, redis.url):
                redis.flush()
                log(f"compare: {setup['name']}, run {repeat + 1} of {repeats}")
                load_before = os.getloadavg()
                servers = Servers(db, work / setup["key"], env=setup["env"],
                                  hosts=setup["hosts"], app=setup["app"]).start()
                try:
                    if smoke:
                        sweep_result = sweep(servers, questions, SMOKE_RATES, base_rates=2,
                                             base_seconds=1.0, warmup_seconds=0.5,
                                             drain_seconds=1.5)
                    else:
                        sweep_result = sweep(servers, questions, RATES, base_rates=2)
                finally:
                    servers.stop()
                sweep_result["load_avg"] = [round(x, 2) for x in (*load_before[:1],
                                                                  os.getloadavg()[0])]
                entry = results["setups"].setdefault(setup["key"], {"name": setup["name"],
                                                                    "runs": []})
                entry["runs"].append(sweep_result)
                log(f"compare: {setup['name']}: sustained {sweep_result['max_rate']}/s")
        if tier == "S":  # the conversation's expected quotes are the bundled corpus's
            users = 4 if smoke else users
            log(f"compare: two-host conversation check, {users} teachers")
            results["conversation"] = conversation_check(db, redis, work / "conversation",
                                                         users=users)
    finally:
        redis.stop()
    for entry in results["setups"].values():
        entry["max_rate"] = statistics.median(run["max_rate"] for run in entry["runs"])
    results["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


def write_compare(results: dict, smoke: bool, work: Path | None = None) -> tuple[Path, Path]:
    """The block in RESULTS.md and the JSON: bench/ for a full run, the work folder otherwise."""
    if smoke:
        folder = Path(work or WORK / "compare-smoke")
        folder.mkdir(parents=True, exist_ok=True)
        md, js = folder / "RESULTS-compare.md", folder / "RESULTS-compare.json"
    else:
        md, js = RESULTS_MD, RESULTS_JSON
    js.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_block(md, BLOCK, compare_markdown(results),
                title="The webhook side by side: SQLite, Redis, the SDK anchor, two hosts "
                      "(issue 15 item 7)")
    return md, js


def _cell(step: dict | None) -> str:
    if step is None:
        return "—"
    cell = f"{step['p50_ms']:.1f} / {step['p99_ms']:.1f}"
    return cell + (f", {step['failures']} failed" if step["failures"] else "")


def _step_at(run: dict, rate: int) -> dict | None:
    return next((s for s in run["steps"] if s["rate"] == rate), None)


def compare_markdown(results: dict) -> str:
    """The generated block: command, machine, the table, the steps, the conversation check."""
    m, index = results["machine"], results["index"]
    anchor = results["setups"].get("anchor", {}).get("max_rate")
    lines = [
        f"- **Date**: {results['date']}",
        f"- **Command**: `{results['command']}` at commit `{results['commit']}`",
        f"- **Machine**: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python "
        f"{m['python']}; load average (1 min) at start {m['load_avg_at_start'][0]}, at end "
        f"{results['load_avg_at_end'][0]}",
        f"- **Setup**: tier {results['tier']} index ({index.get('owners')} plans, "
        f"{index.get('passages')} passages); every app under the Procfile's gunicorn "
        f"line; the fake LINE platform in its own process; open-loop signed text events; "
        f"{results['repeats']} run(s) per setup, interleaved; sustained = the highest step "
        f"rate with p99 < {P99_LIMIT_MS:g} ms and 0 failures (median over runs).",
        "",
        "| Setup | Sustained (events/s) | Share of the anchor | p50 / p99 at 50/s (ms) "
        "| p50 / p99 at 100/s (ms) |",
        "|---|---:|---:|---:|---:|",
    ]
    for key, entry in results["setups"].items():
        first = entry["runs"][0]
        share = (f"{entry['max_rate'] / anchor:.0%}" if anchor and key != "anchor" else "—")
        limited = ""
        if any(r["sender_limited"] for r in entry["runs"]):
            limited = " (the load generator's limit, not the server's)"
        elif entry["max_rate"] >= results["rates"][-1]:
            limited = " (the highest step: at least this)"
        lines.append(f"| {entry['name']} | {entry['max_rate']:g}{limited} | {share} | "
                     f"{_cell(_step_at(first, 50))} | {_cell(_step_at(first, 100))} |")
    lines += ["", "Steps (events/s → p50 / p99 ms, failures; 1-min load average before → "
              "after):", ""]
    for entry in results["setups"].values():
        for n, run in enumerate(entry["runs"], start=1):
            steps = "; ".join(f"{s['rate']}/s (sent {s['achieved_rate']}/s) → "
                              f"{s['p50_ms']:.1f} / {s['p99_ms']:.1f}, {s['failures']} failed"
                              for s in run["steps"])
            lines.append(f"- {entry['name']}, run {n} (load {run['load_avg'][0]} → "
                         f"{run['load_avg'][1]}): {steps}")
    if anchor:
        for key in ("sqlite", "redis"):
            entry = results["setups"].get(key)
            if entry:
                met = entry["max_rate"] >= ANCHOR_SHARE * anchor
                lines.append("")
                lines.append(f"Target, {entry['name']}: sustained ≥ {ANCHOR_SHARE:.0%} of the "
                             f"anchor ({ANCHOR_SHARE * anchor:g}/s): "
                             f"**{'met' if met else 'missed'}** ({entry['max_rate']:g}/s).")
    conversation = results.get("conversation")
    if conversation:
        c = conversation
        lines += ["", f"Two-host conversation check: {c['users']} teachers × "
                  f"{len(CONVERSATION)} turns ({c['turns']} turns) alternating between two "
                  f"hosts on one Redis, each event redelivered to the other host at the same "
                  f"moment, host B killed after {c['killed_after_second_turns']} teachers' "
                  f"second turns ({c['refused_by_killed_host']} deliveries refused by it and "
                  f"redelivered to A): answered once {c['answered_once']}, more than once "
                  f"{c['answered_twice_or_more']}, never {c['unanswered']}, wrong context "
                  f"{c['wrong_context']}: **{'passed' if c['ok'] else 'FAILED'}**."]
    return "\n".join(lines)

