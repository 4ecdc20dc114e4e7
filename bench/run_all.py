"""Every benchmark in one command: prints each figure, then the performance targets met or missed.

Run: python bench/run_all.py            (the full run: about an hour on 2 cores)
     python bench/run_all.py --smoke    (seconds; checks that every part still works)

Rule matching against zen-engine and rule-engine needs the optional extra:
pip install -e '.[bench]'.  Without it those columns are skipped, and said to be.
Exit status: 0 when every part ran (targets missed or not), 1 when the engines disagree
or a part fails.  Nothing here is a test; speed is never asserted.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import (  # noqa: E402
    bench_batch,
    bench_loading,
    bench_matching,
    bench_recommend,
    bench_release,
    bench_stages,
    bench_startup,
)
from bench.competitors import available  # noqa: E402

MB = 1_000_000 / 2**20  # MiB per MB


@dataclass(frozen=True)
class Target:
    what: str
    measured: str
    goal: str
    met: bool | None  # None: not measured
    shortfall: str = ""


def machine() -> str:
    """CPU model, cores, Python, date, and the load average (others' work on the machine skews times)."""
    model = platform.processor() or "unknown CPU"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        model = next(line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Model name"))
    except (OSError, subprocess.CalledProcessError, StopIteration):
        pass
    engines = ", ".join(f"{k} {v or 'not installed'}" for k, v in available().items())
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{model}, {os.cpu_count()} cores, Python {platform.python_version()} ({platform.system()}), "
            f"{datetime.date.today().isoformat()}; {engines}; load average {load}")


def at_least(what: str, value: float | None, goal: float, shown: str, unit: str = "×") -> Target:
    if value is None:
        return Target(what, "not measured", f"≥ {goal:g}{unit}", None)
    met = value >= goal
    return Target(what, shown, f"≥ {goal:,g}{unit}", met, "" if met else f"{goal / value:.1f}× short")


def at_most(what: str, value: float | None, goal: float, shown: str, goal_shown: str) -> Target:
    if value is None:
        return Target(what, "not measured", goal_shown, None)
    met = value <= goal
    return Target(what, shown, goal_shown, met, "" if met else f"{value / goal:.1f}× over")


def section(title: str) -> None:
    print(f"\n== {title}", flush=True)


def timed(label: str, fn: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = fn()
    print(f"   ({label}: {time.perf_counter() - start:.0f} s)", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the benchmarks run, in seconds")
    parser.add_argument("--profiles", type=int, default=2000, help="random profiles for rule matching")
    parser.add_argument("--batch", type=int, default=100_000, help="profiles for batch throughput")
    parser.add_argument("--stream", type=int, default=1_000_000, help="profiles for the streaming memory run (0: skip)")
    parser.add_argument("--stream-jobs", type=int, default=2, help="--jobs for the streaming run")
    args = parser.parse_args()
    smoke = args.smoke
    sizes = [10, 100] if smoke else [10, 100, 1000, 10000]
    n_match = 50 if smoke else args.profiles
    n_batch = 300 if smoke else args.batch
    n_stream = (1000 if smoke else args.stream) if args.stream else 0

    print(f"machine: {machine()}")
    if smoke:
        print("smoke mode: tiny sizes; the figures below say nothing about speed")

    section(f"rule matching alone ({n_match:,} random profiles; all engines must agree first)")
    try:
        rows = bench_matching.run(sizes, n_match, echo=lambda line: print(line, flush=True))
    except bench_matching.Disagreement as exc:
        print(f"engines disagree: {exc}", file=sys.stderr)
        return 1
    print(bench_matching.table(rows))
    print(bench_matching.NOTE)
    if any(r.zen_cpu is not None and r.zen is not None and r.zen_cpu > 1.2 * r.zen for r in rows):
        print("note: zen-engine used more CPU time than wall time: its evaluate_batch ran on several threads, "
              "ours on one")
    if not all(available().values()):
        print("note: install the bench extra (pip install -e '.[bench]') to compare with zen-engine and rule-engine")

    section("full recommend, in one process")
    rec = bench_recommend.measure(50 if smoke else 5000)
    print(bench_recommend.describe(rec))

    section("batch")
    with tempfile.TemporaryDirectory(prefix="bench-cohort-") as tmp:
        cohort = bench_batch.write_cohort(Path(tmp) / "cohort.jsonl", n_batch)
        batch_csv = bench_batch.run_batch(cohort, n_batch, "csv", 1)
        print(bench_batch.describe(batch_csv), flush=True)
        batch_jsonl = bench_batch.run_batch(cohort, n_batch, "jsonl", 1)
        print(bench_batch.describe(batch_jsonl), flush=True)
        cohort.unlink()
        stream = None
        if n_stream:
            big = timed("writing the cohort", lambda: bench_batch.write_cohort(Path(tmp) / "stream.jsonl", n_stream))
            assert isinstance(big, Path)
            stream = bench_batch.run_batch(big, n_stream, "csv", args.stream_jobs)
            print(bench_batch.describe(stream), flush=True)

    section("start-up")
    start = bench_startup.measure(2 if smoke else 15)
    print(bench_startup.describe(start))

    section("loading")
    loads = bench_loading.measure(100 if smoke else 10_000, 2 if smoke else 15, 1 if smoke else 3)
    for fig in loads:
        print(bench_loading.describe(fig))

    section("a batch record, stage by stage (bench/bench_stages.py)")
    print(bench_stages.table(bench_stages.run(20 if smoke else 2000, "en", 1 if smoke else 3)))

    section("against the previous release, side by side (bench/bench_release.py)")
    try:
        if smoke:
            bench_release.run(bench_release.DEFAULT_OLD, 200, 200, 1, 1)
        else:
            bench_release.run(bench_release.DEFAULT_OLD, 20_000, 10_000, 7, 2)
    except subprocess.CalledProcessError as exc:  # no git, or a shallow clone without that revision
        print(f"skipped: the previous release could not be extracted ({exc.cmd[0]} exited {exc.returncode})")

    by_size = {r.rules: r for r in rows}
    r100, r10k = by_size.get(100), by_size.get(10000)
    zen_ratio = r100.zen / r100.ours if r100 and r100.zen else None
    re_ratio = r100.rule_engine / r100.ours if r100 and r100.rule_engine else None
    growth = r10k.ours / r100.ours if r100 and r10k else None
    shipped, generated = loads
    targets = [
        at_least("matching at 100 rules vs zen-engine evaluate_batch", zen_ratio, 3,
                 f"{zen_ratio:.1f}× faster" if zen_ratio else ""),
        at_least("matching at 100 rules vs rule-engine", re_ratio, 100, f"{re_ratio:,.0f}× faster" if re_ratio else ""),
        at_most("matching cost per profile, 100 → 10,000 rules", growth, 10,
                f"grows {growth:.0f}×" if growth else "", "grows ≤ 10×"),
        at_least("full recommend in batch, one core (--jobs 1, csv)", batch_csv.per_second, 5000,
                 f"{batch_csv.per_second:,.0f}/s", "/s"),
        at_most(f"peak memory streaming {n_stream:,} profiles (--jobs {args.stream_jobs})",
                stream.peak_pss_mib / MB if stream else None, 200,
                f"{stream.peak_pss_mib / MB:.0f} MB" if stream else "", "< 200 MB"),
        at_most("`recommender recommend` start-up vs bare imports", start.ratio, 2, f"{start.ratio:.1f}×", "≤ 2×"),
        at_most("load the shipped rule book", shipped.median * 1000, 50, f"{shipped.median * 1000:.0f} ms", "< 50 ms"),
        at_most(f"load a generated {generated.rules:,}-rule book", generated.median, 2, f"{generated.median:.2f} s",
                "< 2 s"),
    ]
    section("targets")
    width = max(len(t.what) for t in targets)
    for t in targets:
        verdict = "not measured" if t.met is None else ("met" if t.met else f"MISSED ({t.shortfall})")
        print(f"{t.what.ljust(width)}  {t.measured:>14}  target {t.goal:<12}  {verdict}")
    if smoke:
        print("(smoke mode: sizes are tiny, so these verdicts mean nothing)")
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
