"""Loading: the shipped rule book, and a generated 10,000-rule book, with the engine's compile step.

`load` is recommender.book.loader.load_rulebook (read, validate, cross-check); `compile` is the
engine's one-time step on first use (compiled conditions and the rule index).  Loads run
in this process; the first load is printed beside the median of the following ones.

Run: python bench/bench_loading.py [--rules 10000] [--smoke]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import SHIPPED, generate_rules, write_book  # noqa: E402
from recommender.book.loader import load_rulebook  # noqa: E402
from recommender.engine.compiled import plan  # noqa: E402


@dataclass(frozen=True)
class LoadFigure:
    name: str
    rules: int
    first: float
    median: float
    compile: float
    runs: int


def measure_folder(name: str, folder: Path, runs: int) -> LoadFigure:
    times = []
    book = None
    for _ in range(runs + 1):
        start = time.perf_counter()
        book = load_rulebook(folder)
        times.append(time.perf_counter() - start)
    assert book is not None
    start = time.perf_counter()
    plan(book)
    compile_s = time.perf_counter() - start
    return LoadFigure(name, len(book.rules), times[0], statistics.median(times[1:]), compile_s, runs)


def measure(generated_rules: int, runs_shipped: int, runs_generated: int) -> list[LoadFigure]:
    figures = [measure_folder("shipped rule book", SHIPPED, runs_shipped)]
    shipped = load_rulebook(SHIPPED)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        folder = write_book(generate_rules(shipped, generated_rules), Path(tmp) / "book")
        figures.append(measure_folder("generated book", folder, runs_generated))
    return figures


def describe(fig: LoadFigure) -> str:
    return (f"{fig.name} ({fig.rules:,} rules): load {fig.median * 1000:,.0f} ms median of {fig.runs} "
            f"(first {fig.first * 1000:,.0f} ms); compile on first use {fig.compile * 1000:,.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rules", type=int, default=10_000)
    parser.add_argument("--smoke", action="store_true", help="a 100-rule book, to check the script works")
    args = parser.parse_args()
    figures = measure(100, 2, 1) if args.smoke else measure(args.rules, 15, 3)
    for fig in figures:
        print(describe(fig))


if __name__ == "__main__":
    main()
