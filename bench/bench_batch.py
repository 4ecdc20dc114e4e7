"""Batch throughput and peak memory: `recommender batch` over a generated JSON Lines cohort.

The cohort is written to a temporary file first (random valid answers, seeded), then the
command runs in a subprocess with its records sent to /dev/null, so neither writing the
input nor the disk is timed.  Memory is the peak, over the run, of the summed proportional
set size (PSS) of the command and its worker processes, sampled from /proc every 50 ms;
the largest single process's own peak RSS (VmHWM, sampled likewise) is printed beside it.
(ru_maxrss is not used: a child started by fork inherits its parent's high-water mark.)

Without the `batch` command (an older checkout), a stand-in loop in a subprocess reads
the same file and calls recommender.engine.recommend for each line.

Run: python bench/bench_batch.py [--profiles 100000] [--format csv|jsonl] [--jobs N] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import SHIPPED, random_raw_answers  # noqa: E402
from bench.timing import run_measured  # noqa: E402


@dataclass(frozen=True)
class BatchFigure:
    profiles: int
    fmt: str
    jobs: int
    seconds: float
    peak_pss_mib: float
    max_rss_mib: float
    command: str  # "recommender batch" or the stand-in loop

    @property
    def per_second(self) -> float:
        return self.profiles / self.seconds


def recommender_command() -> list[str]:
    """The installed `recommender` script beside this Python, else `python -m recommender`."""
    script = Path(sys.executable).parent / "recommender"
    return [str(script)] if script.exists() else [sys.executable, "-m", "recommender"]


def has_batch() -> bool:
    done = subprocess.run(recommender_command() + ["batch", "--help"], capture_output=True, cwd=ROOT)
    return done.returncode == 0


def write_cohort(path: Path, n: int, seed: int = 3) -> Path:
    """N random answers objects, one per line, written as they are made (the cohort is never held)."""
    from recommender.book.loader import load_rulebook

    book = load_rulebook(SHIPPED)
    rng = random.Random(f"cohort-{seed}")
    with path.open("w", encoding="utf-8") as out:
        for _ in range(n):
            out.write(json.dumps(random_raw_answers(book, rng), separators=(",", ":")) + "\n")
    return path


STAND_IN = """
import json, sys
from recommender.book.answers import profile_from
from recommender.engine.recommend import recommend
from recommender.book.loader import load_rulebook
book = load_rulebook()
n = 0
with open(sys.argv[1], encoding="utf-8") as rows:
    for line in rows:
        recommend(book, profile_from(book, json.loads(line)))
        n += 1
print(n)
"""


def run_batch(cohort: Path, n: int, fmt: str = "csv", jobs: int = 1) -> BatchFigure:
    """Score a cohort file once; raise if the command fails or scores fewer rows than it was given."""
    if has_batch():
        cmd = recommender_command() + ["batch", str(cohort), "--format", fmt, "--jobs", str(jobs)]
        label = "recommender batch"
    else:
        cmd, label, fmt, jobs = [sys.executable, "-c", STAND_IN, str(cohort)], "loop over recommend()", "none", 1
    run = run_measured(cmd, cwd=ROOT, discard_stdout=True)
    if run.returncode != 0:
        raise RuntimeError(f"{label} failed ({run.returncode}): {run.stderr.strip()[-500:]}")
    return BatchFigure(n, fmt, jobs, run.seconds, run.peak_pss_mib, run.max_rss_mib, label)


def describe(fig: BatchFigure) -> str:
    how = f"{fig.command} --format {fig.fmt} --jobs {fig.jobs}" if fig.command == "recommender batch" else fig.command
    return (f"{fig.profiles:,} profiles, {how}: {fig.seconds:.1f} s = {fig.per_second:,.0f} profiles/s; "
            f"peak memory {fig.peak_pss_mib:.0f} MiB (PSS of all processes), "
            f"largest process {fig.max_rss_mib:.0f} MiB (peak RSS)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--format", dest="fmt", choices=("csv", "jsonl"), default="csv")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="a tiny cohort, to check the script works")
    args = parser.parse_args()
    n = 200 if args.smoke else args.profiles
    with tempfile.TemporaryDirectory(prefix="bench-cohort-") as tmp:
        cohort = write_cohort(Path(tmp) / "cohort.jsonl", n)
        print(describe(run_batch(cohort, n, args.fmt, args.jobs)))


if __name__ == "__main__":
    main()
