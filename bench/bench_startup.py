"""Start-up: `recommender recommend` on one profile against the bare import of its dependencies.

Each command runs in a fresh process several times after one untimed run; the median wall
time is printed.  Bytecode caching is left on for these runs (PYTHONDONTWRITEBYTECODE is
removed from their environment), as for an installed package, so neither side pays for
compiling sources.

Run: python bench/bench_startup.py [--runs 15] [--smoke]
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_batch import recommender_command  # noqa: E402
from bench.timing import median_run_seconds  # noqa: E402

PROFILE = ROOT / "profiles" / "02_fresh_graduate.yaml"
IMPORTS = "import pydantic, yaml, click"


@dataclass(frozen=True)
class StartupFigure:
    recommend: float
    imports: float
    bare_python: float
    runs: int

    @property
    def ratio(self) -> float:
        return self.recommend / self.imports


def measure(runs: int) -> StartupFigure:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    recommend, _ = median_run_seconds(recommender_command() + ["recommend", str(PROFILE)], runs, env=env, cwd=ROOT)
    imports, _ = median_run_seconds([sys.executable, "-c", IMPORTS], runs, env=env, cwd=ROOT)
    bare, _ = median_run_seconds([sys.executable, "-c", "pass"], runs, env=env, cwd=ROOT)
    return StartupFigure(recommend, imports, bare, runs)


def describe(fig: StartupFigure) -> str:
    return (f"`recommender recommend {PROFILE.name}`: {fig.recommend * 1000:.0f} ms; "
            f"`python -c \"{IMPORTS}\"`: {fig.imports * 1000:.0f} ms ({fig.ratio:.1f}×); "
            f"`python -c pass`: {fig.bare_python * 1000:.0f} ms (medians of {fig.runs} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--smoke", action="store_true", help="two runs each, to check the script works")
    args = parser.parse_args()
    print(describe(measure(2 if args.smoke else args.runs)))


if __name__ == "__main__":
    main()
