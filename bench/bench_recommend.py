"""The full recommend (eligibility, ranking, explanations, pathways) per profile on the shipped rule book.

Profiles are random valid answers (seeded), validated before timing; the timed loop calls
recommender.engine.recommend in this process, after one call that compiles the book.

Run: python bench/bench_recommend.py [--profiles 5000] [--smoke]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import SHIPPED, random_raw_answers  # noqa: E402
from recommender.book.answers import profile_from  # noqa: E402
from recommender.book.loader import load_rulebook  # noqa: E402
from recommender.engine.recommend import recommend  # noqa: E402


@dataclass(frozen=True)
class RecommendFigure:
    profiles: int
    seconds: float
    fired: float  # rules fired per profile, on average

    @property
    def per_second(self) -> float:
        return self.profiles / self.seconds


def measure(n: int) -> RecommendFigure:
    book = load_rulebook(SHIPPED)
    rng = random.Random("recommend-7")
    profiles = [profile_from(book, random_raw_answers(book, rng)) for _ in range(n)]
    recommend(book, profiles[0])  # compile once, as a long-running process would
    fired = 0
    start = time.perf_counter()
    for profile in profiles:
        fired += len(recommend(book, profile).fired)
    return RecommendFigure(n, time.perf_counter() - start, fired / n)


def describe(fig: RecommendFigure) -> str:
    return (f"full recommend on the shipped rule book: {fig.profiles:,} profiles in {fig.seconds:.2f} s = "
            f"{fig.per_second:,.0f} profiles/s ({fig.seconds / fig.profiles * 1e6:,.0f} µs each, "
            f"{fig.fired:.1f} rules fired on average)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--smoke", action="store_true", help="50 profiles, to check the script works")
    args = parser.parse_args()
    print(describe(measure(50 if args.smoke else args.profiles)))


if __name__ == "__main__":
    main()
