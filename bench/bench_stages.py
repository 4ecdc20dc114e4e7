"""Where a batch record's time goes, stage by stage, and the rate each stage alone would allow.

For random valid profiles of the shipped book (seeded), in one process with the book loaded,
each stage is timed on its own over every profile (CPU time, best of several passes):

- read: parse the JSON line and check the answers against the questionnaire;
- ranking: matching, points, exclusions, statuses and the order (all `--format csv` needs);
- summary: the ranking plus the plans of the best roles and the plan summary (`--summary`);
- full: the whole report (`--format jsonl`);
- the plans alone, as each of those two builds them (its share of the line above);
- and the formatting of each output line from an already built result.

A stage's "cap" is 1 / (its time per profile): no batch that needs that stage can go faster on
one core, whatever the other stages cost. Start-up is left out (it is a fixed cost per run).

Run: python bench/bench_stages.py [--profiles 2000] [--lang en] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import random_raw_answers  # noqa: E402


@dataclass(frozen=True)
class Stage:
    name: str
    seconds: float  # per profile

    @property
    def cap(self) -> float:
        return 1 / self.seconds if self.seconds else float("inf")


def best_cpu(fn: Callable[[], Any], passes: int) -> float:
    """The least CPU time of `passes` runs of fn (after one untimed run to warm the caches)."""
    fn()
    best = float("inf")
    for _ in range(passes):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def run(n: int, lang: str = "en", passes: int = 3) -> list[Stage]:
    """Time each stage over n random profiles; times are per profile."""
    from recommender.book.answers import answers_from_document
    from recommender.book.cache import load_cached
    from recommender.book.layout import default_rules_dir
    from recommender.book.yamlio import Document
    from recommender.cohort.batch import SUMMARY, Record, format_record
    from recommender.cohort.read import json_row
    from recommender.engine.build import plan_pathways
    from recommender.engine.recommend import REPORT_PATHWAYS, recommend
    from recommender.i18n import use_lang

    with use_lang(lang):
        book = load_cached(default_rules_dir(), lang)
        rng = random.Random("stages")
        lines = [json.dumps(random_raw_answers(book, rng), separators=(",", ":")) for _ in range(n)]

        def read() -> list[Any]:
            out = []
            for i, line in enumerate(lines, 1):
                row = json_row(line, "bench", i)
                assert row.data is not None
                out.append(answers_from_document(Document("bench", row.data, {(): i}), book).profile)
            return out

        profiles = read()

        def results(detail: str) -> Callable[[], list[Any]]:
            return lambda: [recommend(book, p, detail=detail) for p in profiles]

        def formatted(fmt: str, built: list[Any]) -> Callable[[], None]:
            records = [Record("bench", i, None, p.name, r) for i, (p, r) in enumerate(zip(profiles, built), 1)]
            return lambda: [format_record(r, book, fmt) for r in records] and None

        ranked = [r.recommendations for r in results("ranking")()]

        def plans(lean: bool) -> Callable[[], list[Any]]:
            # The roles a report plans (the best REPORT_PATHWAYS), as recommend() chooses them.
            def run() -> list[Any]:
                out = []
                for p, recs in zip(profiles, ranked):
                    roles = [r for r in recs if r.kind == "role"][:REPORT_PATHWAYS]
                    out.append(plan_pathways(book, p.answers, [r for r in recs if r.kind != "role"] + roles, lean))
                return out
            return run

        stages = [Stage("read and check the answers", best_cpu(read, passes) / n)]
        for label, detail, fmt in (("ranking (csv)", "ranking", "csv"), ("summary (jsonl --summary)", "summary", SUMMARY),
                                   ("full report (jsonl)", "full", "jsonl")):
            stages.append(Stage(label, best_cpu(results(detail), passes) / n))
            if detail != "ranking":
                lean = detail == "summary"
                stages.append(Stage(f"  of which the plans ({'recommended steps only' if lean else 'in full'})",
                                    best_cpu(plans(lean), passes) / n))
            stages.append(Stage(f"  writing its line ({fmt})", best_cpu(formatted(fmt, results(detail)()), passes) / n))
        return stages


def table(stages: list[Stage]) -> str:
    width = max(len(s.name) for s in stages)
    lines = [f"{'stage':<{width}}  {'per profile':>12}  {'cap (profiles/s)':>16}"]
    lines += [f"{s.name:<{width}}  {s.seconds * 1e6:>9,.0f} µs  {s.cap:>16,.0f}" for s in stages]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--lang", default="en", choices=("en", "es"))
    parser.add_argument("--smoke", action="store_true", help="a few profiles, one pass: checks the script works")
    args = parser.parse_args()
    n, passes = (20, 1) if args.smoke else (args.profiles, 3)
    print(f"{n} random profiles, language {args.lang}, CPU time per profile (best of {passes} passes):")
    print(table(run(n, args.lang, passes)))


if __name__ == "__main__":
    main()
