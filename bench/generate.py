"""Generated rule books and profiles for the benchmarks: seeded, so every run sees the same data.

A generated book is a real rule-book folder: the shipped questionnaire, facts, market
facts and catalog, plus `rules/*.yaml` holding N generated rules.  Every generated
condition is a conjunction of comparisons that zen-engine's decision tables and
rule-engine's expressions can also state: equals or one-of on a single choice,
contains on a multi-select, >= or <= on a number, equals on a yes/no question.

Run: python bench/generate.py N DEST   (writes a book of N rules into DEST)
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from recommender.book.answers import is_asked, profile_from  # noqa: E402
from recommender.book.rulebook import RuleBook  # noqa: E402

SHIPPED = ROOT / "rules"

#: The answer vocabulary that DESIGN.md makes a public contract.
CONTRACT = ("education", "ma_training", "ma_training_accredited", "training_years_ago", "experience_years",
            "experience_areas", "certifications", "interests", "goals", "settings", "study_hours_per_week",
            "budget_usd", "prefers_online")

#: Plausible ranges for numbers, used both for rule thresholds and for profiles, so rules are selective.
NUMBER_RANGES = {"training_years_ago": (0, 10), "experience_years": (0, 15),
                 "study_hours_per_week": (0, 40), "budget_usd": (0, 5000)}

#: Rules per generated file: keeps every file well inside the loader's size and value limits.
RULES_PER_FILE = 500


@dataclass(frozen=True)
class Literal:
    """One comparison: `{answer: question, op: value}`."""

    question: str
    op: str  # equals, one_of, contains, gte, lte
    value: Any


@dataclass(frozen=True)
class GenRule:
    """A generated rule: a conjunction of literals and the points it gives."""

    id: str
    literals: tuple[Literal, ...]
    points: Mapping[str, int]


def _literal(book: RuleBook, qid: str, rng: random.Random) -> Literal:
    info = book.question_info[qid]
    if info.type == "single":
        if rng.random() < 0.6:
            return Literal(qid, "equals", rng.choice(info.options))
        return Literal(qid, "one_of", tuple(rng.sample(info.options, 2)))
    if info.type == "multi":
        return Literal(qid, "contains", rng.choice(info.options))
    if info.type == "boolean":
        return Literal(qid, "equals", rng.random() < 0.5)
    lo, hi = NUMBER_RANGES[qid]
    return Literal(qid, rng.choice(("gte", "lte")), rng.randint(lo, hi))


def generate_rules(book: RuleBook, n: int, seed: int = 0) -> list[GenRule]:
    """N rules, each a conjunction of one to three literals on different contract questions."""
    rng = random.Random(f"rules-{seed}-{n}")
    by_type: dict[str, list[str]] = {}
    for qid in CONTRACT:
        by_type.setdefault(book.question_info[qid].type, []).append(qid)
    kinds, weights = zip(*(("single", 35), ("multi", 35), ("number", 20), ("boolean", 10)))
    targets = [i for i, item in book.items.items() if item.kind in ("certification", "program", "role")]
    rules = []
    for i in range(n):
        size = rng.choices((1, 2, 3), (20, 45, 35))[0]
        chosen: list[str] = []
        while len(chosen) < size:
            qid = rng.choice(by_type[rng.choices(kinds, weights)[0]])
            if qid not in chosen:
                chosen.append(qid)
        literals = tuple(_literal(book, qid, rng) for qid in chosen)
        points = {item: rng.choice((-10, 5, 10, 20)) for item in rng.sample(targets, rng.randint(1, 2))}
        rules.append(GenRule(f"gen-{i:05d}", literals, points))
    return rules


def rule_data(rule: GenRule) -> dict[str, Any]:
    """The rule as it is written in a rule file."""
    parts = [{"answer": lit.question, lit.op: list(lit.value) if isinstance(lit.value, tuple) else lit.value}
             for lit in rule.literals]
    return {
        "id": rule.id,
        "description": f"Generated rule {rule.id}.",
        "when": parts[0] if len(parts) == 1 else {"all": parts},
        "points": dict(rule.points),
        "because": f"Generated rule {rule.id} read your answer {{{rule.literals[0].question}}}.",
    }


def write_book(rules: Sequence[GenRule], dest: Path, source: Path = SHIPPED) -> Path:
    """Write a rule-book folder: the shipped questionnaire, facts and catalog, and the generated rules."""
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in ("questionnaire.yaml", "facts.yaml", "market.yaml"):
        if (source / name).exists():
            shutil.copy2(source / name, dest / name)
    shutil.copytree(source / "catalog", dest / "catalog")
    (dest / "rules").mkdir()
    for start in range(0, max(len(rules), 1), RULES_PER_FILE):
        chunk = [rule_data(r) for r in rules[start:start + RULES_PER_FILE]]
        text = yaml.safe_dump({"rules": chunk}, sort_keys=False, width=200)
        (dest / "rules" / f"generated_{start // RULES_PER_FILE:03d}.yaml").write_text(text, encoding="utf-8")
    return dest


def random_raw_answers(book: RuleBook, rng: random.Random) -> dict[str, Any]:
    """Random valid answers to the contract questions, as a person would give them (defaults left out)."""
    answers: dict[str, Any] = {}
    for q in book.questions:
        if q.id not in CONTRACT or not is_asked(book, q.id, answers):
            continue
        if not q.required and rng.random() < 0.15:
            continue  # left to its default
        options = book.question_info[q.id].options
        if q.type == "single":
            answers[q.id] = rng.choice(options)
        elif q.type == "multi":
            share = 0.08 if q.id == "certifications" else 0.25
            answers[q.id] = [o for o in options if rng.random() < share]
        elif q.type == "boolean":
            answers[q.id] = rng.random() < 0.5
        else:
            lo, hi = NUMBER_RANGES.get(q.id, (int(q.min or 0), int(q.min or 0) + 10))
            answers[q.id] = rng.randint(lo, hi)
    return answers


def random_profiles(book: RuleBook, n: int, seed: int = 1) -> list[dict[str, Any]]:
    """N validated profiles (defaults filled in), as plain dicts."""
    rng = random.Random(f"profiles-{seed}")
    return [dict(profile_from(book, random_raw_answers(book, rng)).answers) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a generated rule book folder.")
    parser.add_argument("rules", type=int, help="how many rules to generate")
    parser.add_argument("dest", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    from recommender.book.loader import load_rulebook

    book = load_rulebook(SHIPPED)
    write_book(generate_rules(book, args.rules, args.seed), args.dest)
    print(f"wrote {args.rules} generated rules to {args.dest}")


if __name__ == "__main__":
    main()
