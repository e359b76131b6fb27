"""The benchmark run: per tier, build the index, then measure figures (a) to (e).

(a) in-process answer latency, `Engine(db, answer_cache=0).answer(q)` (the engine's own work:
    no reply remembered from an earlier question);
(b) the naive baseline in the same run: rank-bm25 `BM25Okapi.get_top_n` over every passage's
    tokens (read from the index's `passages` table), the latency ratio, and how often the
    engine's top passage (`reply.sources[0]`) is the baseline's on topic questions;
(c) the webhook end to end (`bench.load`);
(d) index build wall time and peak memory, `python -m index rebuild` under `/usr/bin/time -v`;
(e) RSS of a process with the tier loaded, and cold start to the first answer (`bench.probe`).
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import corpus as corpus_mod
from bench.questions import make_questions
from bench.stats import summarize
from index import store

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "work"
QUESTIONS_PER_TIER = 1000
SMOKE_QUESTIONS = 24


def log(message: str) -> None:
    """Progress on stderr, so --json output stays clean."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def tier_corpus(tier: str, work: Path) -> Path:
    """The corpus folder of a tier: the bundled corpus for S, generated plans for M and L."""
    if tier == "S":
        return REPO / "corpus"
    out = work / tier / "corpus"
    started = time.perf_counter()
    corpus_mod.generate(tier, out)
    log(f"{tier}: generated {corpus_mod.TIER_SIZES[tier]} plans in "
        f"{time.perf_counter() - started:.1f} s -> {out}")
    return out


def build_index(corpus: Path, db: Path) -> dict:
    """(d): run the real `python -m index rebuild` and read its wall time and peak RSS."""
    db.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "index", "rebuild", "--corpus", str(corpus), "--db", str(db)]
    timer = shutil.which("time") or "/usr/bin/time"
    if os.path.exists(timer):
        command = [timer, "-v", *command]
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"index rebuild failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    meta = store.read_meta(db)
    return {"build_s": round(wall, 2),
            "build_peak_mb": round(int(peak.group(1)) / 1024, 1) if peak else None,
            "owners": int(meta.get("owners", 0)), "passages": int(meta.get("passages", 0)),
            "db_mb": round(db.stat().st_size / 2**20, 1),
            "build_output": proc.stdout.strip().splitlines()[-1:]}


def _source_key(source: dict | None):
    if not source:
        return None
    return (source.get("owner"), source.get("section"), source.get("item") or "")


def answer_latency(db: Path, questions) -> tuple[dict, list]:
    """(a): answer every question once with the engine loaded; latency in ms per question.
    Remembered replies are off: the warm-up's questions come round again, and (a) is the
    engine's own work."""
    from bot.answer import Engine

    engine = Engine(db, answer_cache=0)
    for question in questions[:20]:  # warm-up, not measured
        engine.answer(question.text)
    latencies, tops, by_kind, answered = [], [], {}, 0
    for question in questions:
        started = time.perf_counter()
        reply = engine.answer(question.text)
        elapsed = (time.perf_counter() - started) * 1000
        latencies.append(elapsed)
        by_kind.setdefault(question.kind, []).append(elapsed)
        tops.append(_source_key(reply.sources[0]) if reply.sources else None)
        answered += reply.answered
    figures = {"answer_ms": summarize(latencies),
               "answer_ms_by_kind": {k: summarize(v) for k, v in sorted(by_kind.items())},
               "answered_share": round(answered / len(questions), 3)}
    del engine
    gc.collect()
    return figures, tops, latencies


def baseline(db: Path, questions, engine_tops, engine_latencies, limit: int | None) -> dict:
    """(b): BM25Okapi.get_top_n over all passages, for the same questions (or every k-th).

    With `limit`, a deterministic every-k-th subset is measured and the ratio uses the
    engine's latencies on the same subset.
    """
    from rank_bm25 import BM25Okapi

    from index.tokenize import tokenize

    ids, keys, tokens = [], [], []
    for passage, words in store.passage_tokens(db):
        ids.append(passage.id)
        keys.append((passage.owner, passage.section, passage.item or ""))
        tokens.append(words)
    offices = {owner.office: owner.id for owner in store.owners(db)}
    position = {key: n for n, key in enumerate(keys)}
    started = time.perf_counter()
    bm25 = BM25Okapi(tokens)
    build_s = time.perf_counter() - started
    del tokens
    picked = list(range(len(questions)))
    if limit and len(picked) > limit:
        step = len(picked) / limit
        picked = [int(i * step) for i in range(limit)]
    latencies, agree, agree_ties, topic = [], 0, 0, 0
    source_engine = source_base = 0  # top passage from the plan and section the words came from
    for n in picked:
        question = questions[n]
        started = time.perf_counter()
        top = bm25.get_top_n(tokenize(question.text), ids, n=1)
        latencies.append((time.perf_counter() - started) * 1000)
        if question.kind != "topic":
            continue
        topic += 1
        # Outside the timing: the scores, to tell a different passage from a tied one.
        scores = bm25.get_scores(tokenize(question.text))
        best = int(top[0]) if top else None
        base_key = keys[best] if best is not None and scores[best] > 0 else None
        engine_key = engine_tops[n]
        source = (offices.get(question.owner), question.section)
        source_engine += engine_key is not None and tuple(engine_key[:2]) == source
        source_base += base_key is not None and tuple(base_key[:2]) == source
        if engine_key == base_key:
            agree += 1
            agree_ties += 1
        elif engine_key in position and base_key is not None:
            agree_ties += scores[position[engine_key]] >= scores[best] - 1e-9
    engine_subset = [engine_latencies[n] for n in picked]
    base = summarize(latencies)
    eng = summarize(engine_subset)
    del bm25
    gc.collect()
    return {"baseline_ms": base, "baseline_build_s": round(build_s, 2),
            "baseline_questions": len(picked), "engine_ms_same_questions": eng,
            "ratio_p50": round(base["p50"] / eng["p50"], 3) if eng["p50"] else None,
            "ratio_p99": round(base["p99"] / eng["p99"], 3) if eng["p99"] else None,
            "topic_questions": topic,
            "top_agree": round(agree / topic, 4) if topic else None,
            "top_agree_with_ties": round(agree_ties / topic, 4) if topic else None,
            "source_found_engine": round(source_engine / topic, 4) if topic else None,
            "source_found_baseline": round(source_base / topic, 4) if topic else None}


def cold_start(db: Path, questions, work: Path, repeats: int) -> dict:
    """(e): seconds from process start to the first answer, and RSS with the index loaded."""
    qfile = work / "probe-questions.json"
    qfile.write_text(json.dumps([q.text for q in questions[:50]], ensure_ascii=False),
                     encoding="utf-8")
    colds, rss, hwm, loads = [], [], [], []
    for _ in range(repeats):
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "bench.probe", str(db), str(qfile)],
                                cwd=REPO, stdout=subprocess.PIPE, text=True)
        first = json.loads(proc.stdout.readline())
        colds.append(time.perf_counter() - started)
        loads.append(first["import_and_load_s"])
        memory = json.loads(proc.stdout.readline())
        proc.wait(timeout=600)
        rss.append(memory["rss_mb"])
        hwm.append(memory["hwm_mb"])
    return {"cold_start_s": summarize(colds), "engine_load_s": summarize(loads),
            "worker_rss_mb": summarize(rss), "worker_hwm_mb": summarize(hwm),
            "cold_start_runs": repeats}


def run_tier(tier: str, smoke: bool = False, webhook: bool = True,
             baseline_limit: int | None = None, work: Path = WORK) -> dict:
    """Every figure for one tier."""
    work = Path(work)
    tier_work = work / tier
    tier_work.mkdir(parents=True, exist_ok=True)
    corpus = tier_corpus(tier, work)
    db = tier_work / "index.db"
    log(f"{tier}: building the index from {corpus}")
    figures: dict = {"tier": tier}
    figures.update(build_index(corpus, db))
    log(f"{tier}: {figures['owners']} owners, {figures['passages']} passages, "
        f"build {figures['build_s']} s, peak {figures['build_peak_mb']} MB")
    count = SMOKE_QUESTIONS if smoke else QUESTIONS_PER_TIER
    questions = make_questions(corpus, count, tag=tier)
    figures["questions"] = len(questions)
    (tier_work / "questions.json").write_text(
        json.dumps([q.to_dict() for q in questions], ensure_ascii=False, indent=0),
        encoding="utf-8")
    log(f"{tier}: (a) answering {len(questions)} questions in-process")
    answer_figures, tops, latencies = answer_latency(db, questions)
    figures.update(answer_figures)
    log(f"{tier}: (a) p50 {figures['answer_ms']['p50']} ms, p99 {figures['answer_ms']['p99']} ms")
    log(f"{tier}: (b) naive baseline")
    figures.update(baseline(db, questions, tops, latencies, baseline_limit))
    log(f"{tier}: (b) baseline p50 {figures['baseline_ms']['p50']} ms, "
        f"ratio {figures['ratio_p50']}x, top agree {figures['top_agree']}")
    log(f"{tier}: (e) cold start and RSS")
    figures.update(cold_start(db, questions, tier_work, repeats=1 if smoke else 3))
    log(f"{tier}: (e) cold start p50 {figures['cold_start_s']['p50']} s, "
        f"RSS {figures['worker_rss_mb']['p50']} MB")
    if webhook:
        from bench.load import webhook_figures

        log(f"{tier}: (c) webhook")
        texts = [q.text for q in questions]
        if smoke:
            figures.update(webhook_figures(db, tier_work, texts, rates=(50,), base_seconds=1.0,
                                           warmup_seconds=0.5, drain_seconds=1.5))
        else:
            figures.update(webhook_figures(db, tier_work, texts))
        log(f"{tier}: (c) p50 {figures['webhook_p50_ms']} ms, p99 {figures['webhook_p99_ms']} ms "
            f"at 50/s; max rate {figures['webhook_max_rate']}/s")
    return figures


def machine() -> dict:
    """The machine the figures come from."""
    info = {"python": sys.version.split()[0], "cores": os.cpu_count()}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = re.search(r"Model name:\s*(.+)", lscpu)
        info["cpu"] = model.group(1).strip() if model else "unknown"
    except OSError:
        info["cpu"] = "unknown"
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
        info["ram_gb"] = round(kb / 2**20, 1)
    except (OSError, AttributeError):
        info["ram_gb"] = None
    info["load_avg_at_start"] = [round(x, 2) for x in os.getloadavg()]
    return info
