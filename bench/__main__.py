"""`python -m bench`: run the benchmark tiers and write bench/RESULTS.md."""

from __future__ import annotations

import json
import math
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import click

from bench.report import write_results
from bench.run import WORK, log, machine, run_tier

RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"
RESULTS_JSON = Path(__file__).resolve().parent / "RESULTS.json"
#: The tiers of a full run: only a run of all of them (with the webhook) is the committed record.
FULL_TIERS = frozenset({"S", "M", "L"})


@click.command()
@click.option("--tier", "tiers", multiple=True, type=click.Choice(["S", "M", "L"]),
              help="Tier to run; repeat for several. Default: S, M and L.")
@click.option("--smoke", is_flag=True,
              help="A tiny run (few questions, one short webhook step); RESULTS.md untouched.")
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON on stdout.")
@click.option("--no-webhook", is_flag=True, help="Skip figure (c), the gunicorn run.")
@click.option("--baseline-max", "baseline_max", multiple=True, metavar="TIER=N",
              help="Measure the naive baseline on at most N of TIER's questions (every k-th), "
              "e.g. L=250. Default: all of them.")
@click.option("--no-results", is_flag=True,
              help="Write no results file at all (a diagnostic run).")
@click.option("--work", type=click.Path(path_type=Path), default=None,
              help="Scratch folder (default bench/work, bench/work/smoke for --smoke).")
@click.option("--webhook-compare", is_flag=True,
              help="Instead of the tiers: the webhook side by side (SQLite, Redis, the SDK "
              "echo anchor, two hosts) on the first --tier (default S), and the two-host "
              "conversation check. Writes its own block of RESULTS.md.")
@click.option("--repeats", type=click.IntRange(1, 10), default=1, show_default=True,
              help="With --webhook-compare: runs per setup (the median is reported).")
def main(tiers, smoke, as_json, no_webhook, baseline_max, no_results, work, webhook_compare,
         repeats):
    """Benchmark answer latency, the naive baseline, the webhook, index build and memory.

    Only a full run (tiers S, M and L with the webhook, not --smoke) replaces the committed
    bench/RESULTS.md and RESULTS.json; any other run writes RESULTS.md and RESULTS.json into
    its work folder (bench/work by default), so a partial run never overwrites the record.

    Example: python -m bench --tier S --tier M --tier L

    Example: python -m bench --webhook-compare --repeats 3
    """
    if webhook_compare:
        from bench.compare import run_compare, write_compare

        results = _finite(run_compare(tiers[0] if tiers else "S", smoke=smoke, work=work,
                                      repeats=repeats, commit=_commit()))
        if not no_results:
            md, js = write_compare(results, smoke=smoke, work=work)
            log(f"wrote {md} and {js}")
        if as_json:
            click.echo(json.dumps(results, ensure_ascii=False, indent=1))
        return
    tiers = tiers or ("S", "M", "L")
    limits = {}
    for spec in baseline_max:
        tier, _, n = spec.partition("=")
        if tier not in ("S", "M", "L") or not n.isdigit():
            raise click.BadParameter(f"{spec!r}: expected TIER=N, e.g. L=250")
        limits[tier] = int(n)
    work = Path(work or (WORK / "smoke" if smoke else WORK))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "commit": _commit(),
        "smoke": smoke,
        "tiers": {},
    }
    partial = work / "partial.json"
    for tier in tiers:
        results["tiers"][tier] = run_tier(tier, smoke=smoke, webhook=not no_webhook,
                                          baseline_limit=limits.get(tier), work=work)
        # Each finished tier is kept, so a run stopped later still has its figures.
        partial.write_text(json.dumps(_finite(results), ensure_ascii=False, indent=1),
                           encoding="utf-8")
    results["seconds"] = round(time.perf_counter() - started, 1)
    results = _finite(results)
    target = results_paths(tiers, smoke=smoke, webhook=not no_webhook, work=work)
    if not no_results:
        results_md, results_json = target
        results_json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n",
                                encoding="utf-8")
        write_results(results_md, results)
        log(f"wrote {results_md} and {results_json}")
    log(f"done in {results['seconds']} s")
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=1))


def is_full_run(tiers, smoke: bool = False, webhook: bool = True) -> bool:
    """True for the run whose figures are the committed record: S, M and L, webhook, no smoke."""
    return set(tiers) == FULL_TIERS and webhook and not smoke


def results_paths(tiers, smoke: bool, webhook: bool, work: Path) -> tuple[Path, Path]:
    """Where a run writes RESULTS.md and RESULTS.json: bench/ for a full run, else `work`."""
    if is_full_run(tiers, smoke=smoke, webhook=webhook):
        return RESULTS_MD, RESULTS_JSON
    work.mkdir(parents=True, exist_ok=True)
    return work / "RESULTS.md", work / "RESULTS.json"


def _commit() -> str:
    """The checked-out commit, with '+dirty' when the work tree has changes."""
    import subprocess

    def git(*args):
        return subprocess.run(["git", *args], cwd=RESULTS_MD.parent.parent,
                              capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + ("+dirty" if git("status", "--porcelain",
                                                                    "--untracked-files=no")
                                                  else "")


def _finite(value):
    """NaN and infinity (no samples, every event failed) as null, so the JSON is strict."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


if __name__ == "__main__":
    main(prog_name="python -m bench")
