"""This checkout against an earlier revision, side by side in one run, with the ratios.

The earlier revision (default: the commit before the speed work, `--old REV` for any other) is
extracted with `git archive` into a temporary folder and run from there by the same Python
with the same installed dependencies, so the only difference between the two sides is the
package's own code and rule book.  Every measurement alternates old and new, each in a fresh
process, and takes CPU time (user + system of the child), medians over the runs.

Measured: one `recommender recommend FILE` against `python -c "import pydantic, yaml, click"`;
loading the shipped book and a generated 10,000-rule book, cold (no snapshot) and warm (from the
snapshot; the old revision has none, so its two figures are one); `batch --format csv`,
`--format jsonl --summary` and full `--format jsonl` on random valid profiles.

Run: python bench/bench_release.py [--old REV] [--profiles 20000] [--rules 10000] [--runs 7] [--smoke]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import SHIPPED, generate_rules, random_raw_answers, write_book  # noqa: E402

#: The last commit before issue 17's second pass: the release the figures are compared with.
DEFAULT_OLD = "a2a61368551bc09d22459d03ff00a954db397d41"
PROFILE = ROOT / "profiles" / "02_fresh_graduate.yaml"
IMPORTS = "import pydantic, yaml, click"

LOAD = """
import sys, time
from pathlib import Path
root = Path(sys.argv[1])
try:
    from recommender.book.cache import load_cached as load
except ImportError:
    from recommender.book.loader import load_rulebook as load
start = time.process_time()
load(root)
end = time.process_time()
print(end - start, end)  # the load alone; the whole process so far (start-up and imports included)
"""


@dataclass(frozen=True)
class Side:
    name: str
    source: Path  # the folder holding the package and its rules/

    def env(self, cache: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "RECOMMENDER_NO_CACHE")}
        env["PYTHONPATH"] = str(self.source)
        env["RECOMMENDER_CACHE_DIR"] = str(cache)
        return env


def cpu_run(cmd: Sequence[str], env: dict[str, str], cwd: Path) -> float:
    """CPU seconds (user + system) a command took, in a fresh process; raise if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def reported(cmd: Sequence[str], env: dict[str, str], cwd: Path, field: int = 0) -> float:
    """A figure the command prints on its last line (`field`: which of its numbers)."""
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1].split()[field])


def extract(rev: str, dest: Path) -> Path:
    """The revision's files (package, rules, profiles) in `dest`, as `git archive` gives them."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", rev, "recommender", "rules", "profiles"],
                             cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def write_cohort(path: Path, n: int) -> Path:
    import json
    import random

    from recommender.book.loader import load_rulebook

    book = load_rulebook(SHIPPED)
    rng = random.Random("release-cohort")
    with path.open("w", encoding="utf-8") as out:
        for _ in range(n):
            out.write(json.dumps(random_raw_answers(book, rng), separators=(",", ":")) + "\n")
    return path


def alternate(sides: Sequence[Side], runs: int, measure: Callable[[Side], float]) -> dict[str, float]:
    """Median of `measure(side)` over `runs` rounds, old and new taking turns."""
    times: dict[str, list[float]] = {s.name: [] for s in sides}
    for _ in range(runs):
        for side in sides:
            times[side.name].append(measure(side))
    return {name: statistics.median(values) for name, values in times.items()}


def copy_tree(dest: Path) -> Path:
    """This checkout's package, rules and profiles, outside git (a checkout's rule book gets a git check)."""
    import shutil

    for name in ("recommender", "rules", "profiles"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "_snapshot"))
    return dest


def run(old_rev: str, n_profiles: int, n_rules: int, runs: int, batch_runs: int) -> dict[str, float]:
    """Measure and print every comparison; return the ratios by name."""
    py = sys.executable
    ratios: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-release-") as tmp_name:
        tmp = Path(tmp_name)
        old = Side(f"old ({old_rev[:10]})", extract(old_rev, tmp / "old"))
        new = Side("new (this checkout)", copy_tree(tmp / "new"))
        sides = (old, new)
        cache = {s.name: tmp / f"cache-{i}" for i, s in enumerate(sides)}
        profile = str(tmp / "new" / PROFILE.relative_to(ROOT))
        print(f"comparing {old.name} with {new.name}; {py}", flush=True)

        fresh = count()

        def cold_cache(side: Side) -> dict[str, str]:
            env = side.env(tmp / "no-cache")
            env["RECOMMENDER_NO_CACHE"] = "1"
            return env

        def recommend(side: Side) -> float:
            return cpu_run([py, "-m", "recommender", "recommend", profile], side.env(cache[side.name]), tmp)

        for side in sides:  # untimed: compile both sides' bytecode, fill the new side's snapshot
            recommend(side)
        rec = alternate(sides, runs, recommend)
        bare = alternate(sides[:1], runs, lambda s: cpu_run([py, "-c", IMPORTS], s.env(cache[s.name]), tmp))[old.name]
        print("\n== one `recommender recommend FILE`, CPU time (new: warm snapshot)")
        for side in sides:
            print(f"{side.name:<24} {rec[side.name] * 1000:8.1f} ms  = {rec[side.name] / bare:.2f}× the bare imports")
        print(f"{IMPORTS:<24} {bare * 1000:8.1f} ms")
        ratios["recommend/imports old"] = rec[old.name] / bare
        ratios["recommend/imports new"] = rec[new.name] / bare
        print(f"new / old: {rec[new.name] / rec[old.name]:.2f}")

        generated = write_book(generate_rules(_book(), n_rules), tmp / "generated")
        print("\n== loading, CPU time in a fresh process (cold: no snapshot; warm: from the snapshot)")
        for label, folders, n in (("shipped book", (old.source / "rules", new.source / "rules"), runs),
                                  (f"{n_rules:,}-rule book", (generated, generated), max(1, runs // 2))):
            where = dict(zip((old.name, new.name), folders))

            def load(side: Side, env: dict[str, str], field: int = 0) -> float:
                return reported([py, "-c", LOAD, str(where[side.name])], env, tmp, field)

            # Cold, the whole process counts: pydantic's validators are now built on first use, not on import.
            cold = alternate(sides, n, lambda s: load(s, cold_cache(s), 1))
            write = alternate(sides[1:], n, lambda s: load(s, s.env(tmp / f"fresh-{next(fresh)}"), 1))
            for side in sides:  # fill the snapshot
                load(side, side.env(cache[side.name]))
            warm = alternate(sides, n, lambda s: load(s, s.env(cache[s.name])))
            warm_all = alternate(sides, n, lambda s: load(s, s.env(cache[s.name]), 1))
            print(f"{label}, start-up, imports and load: old {cold[old.name] * 1000:,.1f} ms; new without a snapshot "
                  f"{cold[new.name] * 1000:,.1f} ms ({cold[new.name] / cold[old.name]:.2f}×), new writing one "
                  f"{write[new.name] * 1000:,.1f} ms ({write[new.name] / cold[old.name]:.2f}×), new warm "
                  f"{warm_all[new.name] * 1000:,.1f} ms ({warm_all[new.name] / cold[old.name]:.2f}×)")
            print(f"{label}, the load call alone: old {warm[old.name] * 1000:,.1f} ms; new warm "
                  f"{warm[new.name] * 1000:,.1f} ms ({warm[new.name] / warm[old.name]:.3f}×)", flush=True)
            ratios[f"{label} cold"] = write[new.name] / cold[old.name]
            ratios[f"{label} warm ms"] = warm[new.name] * 1000

        cohort = write_cohort(tmp / "cohort.jsonl", n_profiles)
        print(f"\n== batch, {n_profiles:,} random valid profiles, one process, start-up included (CPU time)")
        rates: dict[str, dict[str, float]] = {}
        for label, extra in (("csv", ["--format", "csv"]), ("jsonl --summary", ["--format", "jsonl", "--summary"]),
                             ("jsonl (full)", ["--format", "jsonl"])):
            able = [s for s in sides if label != "jsonl --summary" or s is new]
            cpu = alternate(able, batch_runs, lambda s: cpu_run(
                [py, "-m", "recommender", "batch", str(cohort), *extra], s.env(cache[s.name]), tmp))
            rates[label] = {name: n_profiles / seconds for name, seconds in cpu.items()}
            shown = "; ".join(f"{name} {rate:,.0f}/s" for name, rate in rates[label].items())
            ratio = (f" (new/old {rates[label][new.name] / rates[label][old.name]:.2f}×)"
                     if old.name in rates[label] else " (the old revision has no --summary)")
            print(f"{label}: {shown}{ratio}", flush=True)
            ratios[f"{label} new/s"] = rates[label][new.name]
        ratios["jsonl full new/old"] = rates["jsonl (full)"][new.name] / rates["jsonl (full)"][old.name]
        ratios["csv new/old"] = rates["csv"][new.name] / rates["csv"][old.name]
    return ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", default=DEFAULT_OLD, help="the git revision to compare with")
    parser.add_argument("--profiles", type=int, default=20_000, help="random profiles for batch")
    parser.add_argument("--rules", type=int, default=10_000, help="rules in the generated book")
    parser.add_argument("--runs", type=int, default=7, help="runs of each short measurement, per side")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the script works, in seconds")
    args = parser.parse_args()
    if args.smoke:
        print("smoke mode: tiny sizes; the figures below say nothing about speed")
        run(args.old, 200, 200, 1, 1)
    else:
        run(args.old, args.profiles, args.rules, args.runs, 2)
    return 0


def _book() -> object:
    from recommender.book.loader import load_rulebook

    return load_rulebook(SHIPPED)


if __name__ == "__main__":
    raise SystemExit(main())
