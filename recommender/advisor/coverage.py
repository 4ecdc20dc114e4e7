"""Coverage: which rules the example profiles fire, and which items they get recommended."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recommender.advisor.nearest import Suggestion, nearest, profile_text
from recommender.advisor.satisfy import Solver
from recommender.book.answers import Profile
from recommender.book.rulebook import RuleBook
from recommender.engine.recommend import RECOMMENDED_KINDS, recommend


@dataclass(frozen=True)
class RuleCoverage:
    id: str
    where: str
    fired_by: tuple[str, ...]  # profile labels
    example: Mapping[str, Any] | None = None  # answers that would fire it, when no profile does
    undecided: bool = False  # the search for such answers ran out of steps
    suggestion: Suggestion | None = None  # the nearest profile, changed to fire it


@dataclass(frozen=True)
class ItemCoverage:
    id: str
    kind: str
    recommended_to: tuple[str, ...]
    first_for: tuple[str, ...]  # profiles that get it ranked first among its kind


@dataclass(frozen=True)
class Coverage:
    profiles: tuple[str, ...]
    rules: tuple[RuleCoverage, ...]
    items: tuple[ItemCoverage, ...]

    @property
    def never_fired(self) -> list[RuleCoverage]:
        return [r for r in self.rules if not r.fired_by]

    @property
    def never_recommended(self) -> list[ItemCoverage]:
        return [i for i in self.items if not i.recommended_to]

    @property
    def percent(self) -> float:
        """Share of rules fired by at least one profile (100 for a book without rules)."""
        if not self.rules:
            return 100.0
        return 100.0 * (len(self.rules) - len(self.never_fired)) / len(self.rules)


def measure(book: RuleBook, profiles: Sequence[tuple[str, Profile]]) -> Coverage:
    """Run every profile and count, per rule and per item, the profiles it reaches."""
    fired: dict[str, list[str]] = {r.id: [] for r in book.rules}
    recommended: dict[str, list[str]] = {}
    first: dict[str, list[str]] = {}
    for label, profile in profiles:
        result = recommend(book, profile)
        for rule_id in result.fired:
            fired[rule_id].append(label)
        seen_kinds: set[str] = set()
        for rec in result.recommendations:
            recommended.setdefault(rec.id, []).append(label)
            if rec.kind not in seen_kinds:
                seen_kinds.add(rec.kind)
                first.setdefault(rec.id, []).append(label)
    solver = Solver(book)
    rules = []
    for r in book.rules:
        near = None if fired[r.id] else nearest(book, r, profiles, solver)
        example = dict(near.answers) if near is not None else None if fired[r.id] else solver.example(r.when)
        rules.append(RuleCoverage(r.id, str(r.where), tuple(fired[r.id]), example,
                                  not fired[r.id] and near is None and r.when in solver.undecided, near))
    items = tuple(ItemCoverage(i.id, i.kind, tuple(recommended.get(i.id, ())), tuple(first.get(i.id, ())))
                  for i in book.items.values() if i.kind in RECOMMENDED_KINDS)
    return Coverage(tuple(label for label, _ in profiles), tuple(rules), items)


def flow(answers: Mapping[str, Any]) -> str:
    """Answers in YAML flow style, ready to paste under `answers:`."""
    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return str(v)
    return "{" + ", ".join(f"{k}: {value(v)}" for k, v in answers.items()) + "}"


def coverage_text(cov: Coverage, fail_under: float | None = None) -> str:
    """The coverage report for a person: rules, then items, then what nothing reaches."""
    n = len(cov.profiles)
    fired = len(cov.rules) - len(cov.never_fired)
    lines = [f"Rules fired by at least one of {n} profile{'s' if n != 1 else ''}: "
             f"{fired} of {len(cov.rules)} ({cov.percent:.1f}%)", "", "RULES (profiles that fire it)"]
    width = max((len(r.id) for r in cov.rules), default=4)
    for r in cov.rules:
        lines.append(f"  {r.id:<{width}}  {len(r.fired_by):>3}  {', '.join(r.fired_by)}".rstrip())
    lines += ["", "ITEMS (profiles it is recommended to; first in its kind)"]
    width = max((len(f"{i.id} ({i.kind})") for i in cov.items), default=4)
    for i in cov.items:
        label = f"{i.id} ({i.kind})"
        lines.append(f"  {label:<{width}}  {len(i.recommended_to):>3}  {len(i.first_for):>3}")
    if cov.never_fired:
        lines += ["", f"NEVER FIRED ({len(cov.never_fired)})"]
        for r in cov.never_fired:
            if r.suggestion is not None:
                s = r.suggestion
                base = f"{s.based_on} with {', '.join(s.changed)} changed" if s.based_on else "a new profile"
                example = f"{base} fires it: {suggested_file(r.id)} below"
            elif r.example is not None:
                example = f"answers such as {flow(r.example)} would fire it"
            elif r.undecided:
                example = "could not find answers that fire it (the search gave up)"
            else:
                example = "no answers can fire it (see rules check)"
            lines.append(f"  {r.where}: rule '{r.id}': {example}")
        suggested = [r for r in cov.never_fired if r.suggestion is not None]
        if suggested:
            lines += ["", "SUGGESTED PROFILES (each fires one rule above; save it under the name shown, "
                          "then run rules test)"]
            for r in suggested:
                assert r.suggestion is not None
                lines += ["", f"# {suggested_file(r.id)}", profile_text(r.suggestion, r.where).rstrip("\n")]
    if cov.never_recommended:
        lines += ["", f"NEVER RECOMMENDED ({len(cov.never_recommended)})",
                  "  " + ", ".join(i.id for i in cov.never_recommended)]
    if fail_under is not None:
        verdict = "is below" if cov.percent < fail_under else "meets"
        lines += ["", f"Rule coverage {cov.percent:.1f}% {verdict} the required {fail_under:g}%."]
    return "\n".join(lines) + "\n"


def suggested_file(rule_id: str) -> str:
    """Where a suggested profile could be saved."""
    return f"profiles/fires_{rule_id}.yaml"


def coverage_json(cov: Coverage, fail_under: float | None = None) -> str:
    """The same as one JSON object."""
    data: dict[str, Any] = {
        "profiles": list(cov.profiles),
        "percent": round(cov.percent, 2),
        "rules": [{"id": r.id, "where": r.where, "fired": len(r.fired_by), "fired_by": list(r.fired_by),
                   "example": dict(r.example) if r.example is not None else None,
                   "suggestion": _suggestion_json(r)} for r in cov.rules],
        "items": [{"id": i.id, "kind": i.kind, "recommended": len(i.recommended_to),
                   "recommended_to": list(i.recommended_to), "first_for": list(i.first_for)} for i in cov.items],
        "never_fired": [r.id for r in cov.never_fired],
        "never_recommended": [i.id for i in cov.never_recommended],
    }
    if fail_under is not None:
        data["fail_under"] = fail_under
        data["ok"] = cov.percent >= fail_under
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _suggestion_json(r: RuleCoverage) -> dict[str, Any] | None:
    s = r.suggestion
    if s is None:
        return None
    return {"based_on": s.based_on, "changed": list(s.changed), "answers": dict(s.answers),
            "file": suggested_file(r.id), "text": profile_text(s, r.where)}
