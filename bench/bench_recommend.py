"""Benchmark: rule-book loading and full recommendations per second on the shipped rule book.

Run: python bench/bench_recommend.py [--profiles N] [--smoke]
Prints its figures; it asserts nothing (speed is measured here, never in tests).
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recommender.answers import is_asked, profile_from  # noqa: E402
from recommender.engine import recommend  # noqa: E402
from recommender.loader import load_rulebook  # noqa: E402
from recommender.rulebook import RuleBook  # noqa: E402


def random_answers(book: RuleBook, rng: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in book.questions:
        if not is_asked(book, q.id, answers):
            continue
        options = book.question_info[q.id].options
        if q.type == "single":
            answers[q.id] = rng.choice(options)
        elif q.type == "multi":
            answers[q.id] = [o for o in options if rng.random() < 0.25]
        elif q.type == "boolean":
            answers[q.id] = rng.random() < 0.5
        else:
            hi = int(q.max if q.max is not None else 100)
            answers[q.id] = rng.randint(int(q.min or 0), min(hi, 20))
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--smoke", action="store_true", help="tiny run to check the script works")
    args = parser.parse_args()
    n = 50 if args.smoke else args.profiles
    loads = []
    for _ in range(3 if args.smoke else 10):
        start = time.perf_counter()
        book = load_rulebook(ROOT / "rules")
        loads.append(time.perf_counter() - start)
    rng = random.Random(7)
    profiles = [profile_from(book, random_answers(book, rng)) for _ in range(n)]
    recommend(book, profiles[0])  # compile once, as a long-running process would
    start = time.perf_counter()
    for profile in profiles:
        recommend(book, profile)
    elapsed = time.perf_counter() - start
    print(f"machine: {platform.machine()}, {platform.processor() or 'unknown cpu'}, "
          f"Python {platform.python_version()}")
    print(f"rule book: {len(book.rules)} rules, {len(book.items)} items, {len(book.facts)} facts")
    print(f"load shipped rule book: median {statistics.median(loads) * 1000:.1f} ms over {len(loads)} runs")
    print(f"full recommend: {n} profiles in {elapsed:.3f} s = {n / elapsed:,.0f} profiles/s "
          f"({elapsed / n * 1e6:.0f} µs each)")


if __name__ == "__main__":
    main()
