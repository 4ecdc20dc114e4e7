"""Rule matching alone: our indexed, compiled rules against zen-engine and rule-engine.

For each size, the same generated rules become a rule-book folder (ours), one
decision table with hit policy "collect" (zen-engine, evaluated with evaluate_batch)
and one rule_engine.Rule per rule.  All engines first match the same random profiles
and must fire exactly the same rules as each other and as our compiled rules evaluated
one by one, without the index; only then are times printed.

Run: python bench/bench_matching.py [--sizes 10 100 1000 10000] [--profiles 2000] [--smoke]
                                    [--without zen-engine] [--without rule-engine]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import competitors  # noqa: E402
from bench.generate import SHIPPED, generate_rules, random_profiles, write_book  # noqa: E402
from bench.timing import timed_passes  # noqa: E402
from recommender.book.loader import load_rulebook  # noqa: E402
from recommender.engine.compiled import Env, plan  # noqa: E402
from recommender.engine.recommend import fired_rules  # noqa: E402


class Disagreement(Exception):
    """Two engines fired different rules for the same profile."""


@dataclass
class MatchRow:
    """Figures for one rule-book size; times are seconds per profile."""

    rules: int
    profiles: int
    ours: float
    zen: float | None = None
    zen_cpu: float | None = None
    rule_engine: float | None = None
    fired: float = 0.0  # rules fired per profile, on average
    candidates: float = 0.0  # rules whose indexed comparisons all hold, per profile, on average
    evaluated: float = 0.0  # rules the index hands to evaluation per profile, on average
    indexed: int = 0  # rules reachable through the index (the rest are always evaluated)
    load: float = 0.0
    compile: float = 0.0
    agreed: dict[str, int] = field(default_factory=dict)


def _compare(name: str, ours: list[list[str]], theirs: list[list[str]], profiles: list[dict[str, Any]]) -> int:
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if a != b:
            only_ours, only_theirs = sorted(set(a) - set(b)), sorted(set(b) - set(a))
            raise Disagreement(f"profile {i} {profiles[i]}: only ours fired {only_ours[:5]}, "
                               f"only {name} fired {only_theirs[:5]}" + ("" if only_ours or only_theirs
                                                                          else " (same rules, different order)"))
    return len(ours)


def match_size(n: int, profiles: list[dict[str, Any]], shipped: Any, workdir: Path,
               engines: dict[str, str | None]) -> MatchRow:
    """Generate N rules, check that every installed engine agrees with ours, then time each."""
    rules = generate_rules(shipped, n)
    folder = write_book(rules, workdir / f"book_{n}")
    start = time.perf_counter()
    book = load_rulebook(folder)
    load = time.perf_counter() - start
    start = time.perf_counter()
    compiled = plan(book)
    compile_s = time.perf_counter() - start
    for p in profiles[:20]:
        fired_rules(book, p)  # warm the caches as a long-running process would

    ours, wall, _, _ = timed_passes(lambda: [fired_rules(book, p) for p in profiles])
    row = MatchRow(n, len(profiles), wall / len(profiles), load=load, compile=compile_s,
                   indexed=compiled.index.indexed)
    row.fired = sum(map(len, ours)) / len(profiles)
    row.candidates = sum(len(compiled.index.candidates(p)) for p in profiles) / len(profiles)
    row.evaluated = sum(len(compiled.index.evaluated(p)) for p in profiles) / len(profiles)
    every = [[book.rules[i].id for i, test in enumerate(compiled.rules) if test(env)]
             for env in (Env(book, compiled, p) for p in profiles)]
    row.agreed["every rule evaluated"] = _compare("every rule evaluated", ours, every, profiles)

    if engines.get("zen-engine"):
        zen = competitors.ZenMatcher(rules)
        zen.fired_batch(profiles[:20])
        theirs, wall, cpu, _ = timed_passes(lambda: zen.fired_batch(profiles))
        row.agreed["zen-engine"] = _compare("zen-engine", ours, theirs, profiles)
        row.zen, row.zen_cpu = wall / len(profiles), cpu / len(profiles)
    if engines.get("rule-engine"):
        matcher = competitors.RuleEngineMatcher(rules)
        # One pass at most: at 10,000 rules a pass over 2,000 profiles takes minutes.
        theirs, wall, _, _ = timed_passes(lambda: [matcher.fired(p) for p in profiles], min_total=0.5, max_passes=3)
        row.agreed["rule-engine"] = _compare("rule-engine", ours, theirs, profiles)
        row.rule_engine = wall / len(profiles)
    return row


def run(sizes: list[int], n_profiles: int, echo: Any = print, without: tuple[str, ...] = ()) -> list[MatchRow]:
    """Match every size; raise Disagreement at the first profile where engines differ."""
    shipped = load_rulebook(SHIPPED)
    profiles = random_profiles(shipped, n_profiles)
    engines = {name: version for name, version in competitors.available().items() if name not in without}
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-books-") as tmp:
        for n in sizes:
            row = match_size(n, profiles, shipped, Path(tmp), engines)
            agreed = ", ".join(f"{name} {count}/{n_profiles}" for name, count in row.agreed.items())
            echo(f"  {n:>6} rules: same rules fired for every profile ({agreed or 'no other engine installed'})")
            rows.append(row)
    return rows


NOTE = ("Times are wall-clock per profile. zen CPU is the CPU time zen-engine used per profile, over all its "
        "threads;\nfired counts the rules that fired, per fired is ours divided by it; candidates counts the rules whose "
        "indexed\ncomparisons all held, evaluated those our index could not decide alone and handed to evaluation.")


def us(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e6:,.1f} µs"


def ratio(theirs: float | None, ours: float) -> str:
    return "-" if theirs is None else f"{theirs / ours:,.1f}×"


def table(rows: list[MatchRow]) -> str:
    """The figures as a plain-text table."""
    head = ("rules", "ours", "zen-engine", "(zen CPU)", "rule-engine", "zen/ours", "rule-engine/ours", "fired",
            "per fired", "candidates", "evaluated")
    lines = [head]
    for r in rows:
        lines.append((f"{r.rules:,}", us(r.ours), us(r.zen), us(r.zen_cpu), us(r.rule_engine), ratio(r.zen, r.ours),
                      ratio(r.rule_engine, r.ours), f"{r.fired:.1f}", us(r.ours / r.fired) if r.fired else "-",
                      f"{r.candidates:.1f}", f"{r.evaluated:.1f}"))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(line, widths)) for line in lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check the script works")
    parser.add_argument("--without", action="append", default=[], choices=("zen-engine", "rule-engine"),
                        help="leave out an installed engine (rule-engine takes minutes at 10,000 rules)")
    args = parser.parse_args()
    sizes, n = ([10, 100], 50) if args.smoke else (args.sizes, args.profiles)
    print(f"rule matching: {n} random profiles; checking agreement first")
    try:
        rows = run(sizes, n, without=tuple(args.without))
    except Disagreement as exc:
        print(f"engines disagree: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print("time per profile (median of timed passes):")
    print(table(rows))
    print(NOTE)


if __name__ == "__main__":
    main()
