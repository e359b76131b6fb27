"""bench/RESULTS.md: the figures table, written between markers so the notes around it stay.

Everything between `<!-- figures:begin -->` and `<!-- figures:end -->` is replaced by each full
run; the analysis outside the markers (why a target was missed, what would fix it) is kept.
"""

from __future__ import annotations

import math
from pathlib import Path

BEGIN = "<!-- figures:begin -->"
END = "<!-- figures:end -->"

#: Targets from issue 6, per tier where they differ. Goals, not assertions.
ANSWER_P99_MS = {"S": 2.0, "M": 5.0, "L": 20.0}
BUILD_S = {"S": 5.0, "M": 60.0, "L": 600.0}
BUILD_PEAK_MB_L = 2048.0
RATIO_L = 10.0
TOP_AGREE_L = 0.99
WEBHOOK_P99_MS = 30.0
WEBHOOK_RATE = 300
WORKER_RSS_MB_L = 1024.0
COLD_START_S_S = 3.0


def _num(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("**met**" if ok else "**missed**")


def figure_rows(results: dict) -> list[list[str]]:
    """[figure, tier, median, p99, target, met] rows for every tier run."""
    rows = []
    for tier, f in results["tiers"].items():
        a = f["answer_ms"]
        rows.append(["(a) answer latency, in-process (ms)", tier, _num(a["p50"], 3),
                     _num(a["p99"], 3), f"p99 ≤ {ANSWER_P99_MS[tier]:g} ms",
                     _met(a["p99"] <= ANSWER_P99_MS[tier])])
    for tier, f in results["tiers"].items():
        b = f["baseline_ms"]
        rows.append([f"(b) naive BM25Okapi.get_top_n (ms), {f['baseline_questions']} questions",
                     tier, _num(b["p50"], 2), _num(b["p99"], 2), "—", "—"])
        rows.append(["(b) baseline ÷ engine latency, same questions", tier,
                     f"{_num(f['ratio_p50'], 2)}×", f"{_num(f['ratio_p99'], 2)}×",
                     f"≥ {RATIO_L:g}× at L" if tier == "L" else "—",
                     _met(f["ratio_p50"] >= RATIO_L) if tier == "L" and f["ratio_p50"] else "—"])
        agree = f["top_agree"]
        ties = f["top_agree_with_ties"]
        rows.append([f"(b) same top passage, {f['topic_questions']} topic questions", tier,
                     f"{_num(agree * 100 if agree is not None else None, 1)}% "
                     f"({_num(ties * 100 if ties is not None else None, 1)}% counting ties)",
                     "—", f"≥ {TOP_AGREE_L:.0%} at L" if tier == "L" else "—",
                     _met(agree >= TOP_AGREE_L) if tier == "L" and agree is not None else "—"])
        if f.get("source_found_engine") is not None:
            rows.append([f"(b) top passage from the plan and section the topic words came "
                         f"from: engine / baseline, {f['topic_questions']} topic questions", tier,
                         f"{f['source_found_engine'] * 100:.1f}% / "
                         f"{f['source_found_baseline'] * 100:.1f}%", "—", "—", "—"])
    for tier, f in results["tiers"].items():
        if "webhook_p50_ms" not in f:
            continue
        rows.append([f"(c) webhook, request → reply at fake, {f['webhook_rate0']} events/s (ms)",
                     tier, _num(f["webhook_p50_ms"], 1), _num(f["webhook_p99_ms"], 1),
                     f"p99 ≤ {WEBHOOK_P99_MS:g} ms",
                     _met(f["webhook_failures"] == 0 and f["webhook_p99_ms"] <= WEBHOOK_P99_MS)])
        rows.append(["(c) highest rate with p99 < 200 ms (events/s)", tier,
                     str(int(f["webhook_max_rate"])), "—", f"≥ {WEBHOOK_RATE}/s",
                     _met(f["webhook_max_rate"] >= WEBHOOK_RATE)])
    for tier, f in results["tiers"].items():
        rows.append(["(d) index build wall time (s), one build", tier, _num(f["build_s"], 1),
                     _num(f["build_s"], 1), f"≤ {BUILD_S[tier]:g} s",
                     _met(f["build_s"] <= BUILD_S[tier])])
        rows.append(["(d) index build peak memory (MB), one build", tier,
                     _num(f["build_peak_mb"], 0), _num(f["build_peak_mb"], 0),
                     "≤ 2 GB at L" if tier == "L" else "—",
                     _met(f["build_peak_mb"] <= BUILD_PEAK_MB_L) if tier == "L" else "—"])
    for tier, f in results["tiers"].items():
        rss = f["worker_rss_mb"]
        rows.append([f"(e) answering process RSS, index loaded (MB), {f['cold_start_runs']} runs",
                     tier, _num(rss["p50"], 0), _num(rss["p99"], 0),
                     "≤ 1 GB at L" if tier == "L" else "—",
                     _met(rss["p99"] <= WORKER_RSS_MB_L) if tier == "L" else "—"])
        if f.get("gunicorn_worker_rss_mb"):
            workers = f["gunicorn_worker_rss_mb"]
            rows.append(["(e) gunicorn worker RSS after the webhook run (MB), per worker", tier,
                         _num(sorted(workers)[len(workers) // 2], 0), _num(max(workers), 0),
                         "≤ 1 GB at L" if tier == "L" else "—",
                         _met(max(workers) <= WORKER_RSS_MB_L) if tier == "L" else "—"])
        cold = f["cold_start_s"]
        rows.append([f"(e) cold start, process start → first answer (s), "
                     f"{f['cold_start_runs']} runs", tier, _num(cold["p50"], 2),
                     _num(cold["p99"], 2), "≤ 3 s at S" if tier == "S" else "—",
                     _met(cold["p99"] <= COLD_START_S_S) if tier == "S" else "—"])
    return rows


def figures_markdown(results: dict) -> str:
    """The generated part of RESULTS.md."""
    m = results["machine"]
    lines = [
        BEGIN,
        "",
        f"- **Date**: {results['date']}",
        f"- **Command**: `{results['command']}` at commit `{results.get('commit')}`",
        f"- **Machine**: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, "
        f"Python {m['python']}; load average at start {m.get('load_avg_at_start')}",
        f"- **Total run time**: {results['seconds']:.0f} s",
        "",
        "| Tier | Plans | Passages | Questions | Index file (MB) |",
        "|---|---:|---:|---:|---:|",
    ]
    for tier, f in results["tiers"].items():
        lines.append(f"| {tier} | {f['owners']} | {f['passages']} | {f['questions']} | "
                     f"{f['db_mb']} |")
    lines += ["", "| Figure | Tier | Median | p99 | Target | Met? |",
              "|---|---|---:|---:|---|---|"]
    for row in figure_rows(results):
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Answer latency by question kind (ms, median / p99):", "",
              "| Tier | " + " | ".join(["owner_section", "item", "topic", "unanswerable"]) + " |",
              "|---|---:|---:|---:|---:|"]
    for tier, f in results["tiers"].items():
        cells = []
        for kind in ("owner_section", "item", "topic", "unanswerable"):
            s = f["answer_ms_by_kind"].get(kind)
            cells.append(f"{_num(s['p50'], 3)} / {_num(s['p99'], 3)}" if s else "—")
        lines.append(f"| {tier} | " + " | ".join(cells) + " |")
    lines += ["", "Webhook rate steps (events/s → p50 / p99 ms, failures):", ""]
    for tier, f in results["tiers"].items():
        steps = f.get("webhook_steps") or []
        if steps:
            text = "; ".join(f"{s['rate']}/s (sent at {s['achieved_rate']}/s) → "
                             f"{_num(s['p50_ms'], 1)} / {_num(s['p99_ms'], 1)}, "
                             f"{s['failures']} failed" for s in steps)
            lines.append(f"- {tier}: {text}")
    lines += ["", END]
    return "\n".join(lines)


def write_results(path: Path, results: dict) -> None:
    """Replace the figures block of RESULTS.md (creating the file if needed)."""
    block = figures_markdown(results)
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            head, _, rest = text.partition(BEGIN)
            _, _, tail = rest.partition(END)
            path.write_text(head + block + tail, encoding="utf-8")
            return
    path.write_text("# Benchmark results\n\n" + block + "\n", encoding="utf-8")


def write_block(path: Path, name: str, body: str, title: str = "Rebuild under load (issue 7, item 4)") -> None:
    """Replace the `<!-- NAME:begin -->` ... `<!-- NAME:end -->` block, or append it with a title."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n\n{body}\n\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if begin in text and end in text:
        head, _, rest = text.partition(begin)
        _, _, tail = rest.partition(end)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + f"\n\n## {title}\n\n{block}\n"
    path.write_text(text, encoding="utf-8")
