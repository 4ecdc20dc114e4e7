"""The impact of a rule change: what each example person would see differently, and which rules did it.

Both rule books run over the same answers files.  For each profile, each item that is
added to the recommendations, removed from them, moved in rank, changed in status or in
score is reported with the rules whose effect on it changed. 
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recommender.advisor.expectations import check, parse_expectation
from recommender.book.answers import AnswersFile, load_answers
from recommender.book.plain import values_of
from recommender.book.rulebook import RuleBook
from recommender.engine.recommend import RECOMMENDED_KINDS, recommend
from recommender.engine.result import NotRecommended, Recommendation, Result
from recommender.errors import AnswersError

CATEGORIES = ("added", "removed", "status", "reranked", "rescored")
CATEGORY_WORDS = {"added": "added", "removed": "removed", "reranked": "re-ranked",
                  "status": "changed in status", "rescored": "re-scored"}


@dataclass(frozen=True)
class RuleEffect:
    """How one rule's effect on one item differs: points before and after (None: none), or exclusion."""

    rule: str
    old: int | None = None
    new: int | None = None
    excluded: bool | None = None  # True: now excludes it; False: no longer does

    def text(self, fired_old: bool, fired_new: bool) -> str:
        if self.excluded is not None:
            return f"rule '{self.rule}' {'now excludes' if self.excluded else 'no longer excludes'} it"
        if self.old is None:
            return f"rule '{self.rule}' {'now fires' if not fired_old else 'now gives points'}: {self.new:+d}"
        if self.new is None:
            return f"rule '{self.rule}' {'no longer fires' if not fired_new else 'no longer gives points'} " \
                   f"(was {self.old:+d})"
        return f"rule '{self.rule}': {self.old:+d} → {self.new:+d}"


@dataclass(frozen=True)
class Change:
    """One item whose place in one profile's report differs."""

    item: str
    kind: str
    category: str  # added | removed | status | reranked | rescored
    old_rank: int | None
    new_rank: int | None
    old_score: int
    new_score: int
    old_status: str | None
    new_status: str | None
    rules: tuple[RuleEffect, ...]
    why: str = ""  # removed: why the new report leaves it out; re-ranked: which items moved past it
    old_route: str | None = None  # the eligibility route met or followed
    new_route: str | None = None


@dataclass
class ProfileImpact:
    path: str
    name: str | None = None
    changes: list[Change] = field(default_factory=list)
    fired_before: tuple[str, ...] = ()
    fired_after: tuple[str, ...] = ()
    problems_old: list[str] = field(default_factory=list)  # the profile is invalid under the old book
    problems_new: list[str] = field(default_factory=list)
    now_failing: list[str] = field(default_factory=list)  # expectations that held and no longer do
    now_passing: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes or self.problems_old or self.problems_new or self.now_failing or self.now_passing)


@dataclass
class Impact:
    old: str
    new: str
    book_changes: list[str]
    profiles: list[ProfileImpact]

    def totals(self) -> dict[str, int]:
        counts = {c: 0 for c in CATEGORIES}
        for p in self.profiles:
            for ch in p.changes:
                counts[ch.category] += 1
        return counts

    def profiles_with(self) -> dict[str, int]:
        """Per kind of change, the profiles with at least one item changed that way.

        Unlike `totals`, the kinds overlap as the per-profile lines do: an item that moved and
        changed score counts as re-ranked and as re-scored.
        """
        return {c: sum(any(c in facets(ch) for ch in p.changes) for p in self.profiles) for c in CATEGORIES}

    def responsible(self) -> list[tuple[str, int]]:
        """Rules behind the changes, with the number of profiles each touches, most first."""
        count: dict[str, int] = {}
        for p in self.profiles:
            for rule in sorted({e.rule for ch in p.changes for e in ch.rules}):
                count[rule] = count.get(rule, 0) + 1
        return sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))


def facets(c: Change) -> set[str]:
    """Every way an item changed, as its line shows it: added or removed, or status, rank and score."""
    if c.category in ("added", "removed"):
        return {c.category}
    out = set()
    if c.old_status != c.new_status:
        out.add("status")
    if c.old_rank != c.new_rank:
        out.add("reranked")
    if c.old_score != c.new_score:
        out.add("rescored")
    return out


# ------------------------------------------------------------------ comparing
def compare(old: RuleBook, new: RuleBook, files: Sequence[Path], shown: Mapping[Path, str],
            old_label: str, new_label: str, top: int | None = None) -> Impact:
    """Run every answers file under both books and collect the differences."""
    impacts = []
    for path in files:
        impact = ProfileImpact(shown[path])
        old_file = _load(path, old, shown[path], impact.problems_old)
        new_file = _load(path, new, shown[path], impact.problems_new)
        named = new_file or old_file
        impact.name = named.profile.name if named is not None else None
        if old_file is not None and new_file is not None:
            before, after = recommend(old, old_file.profile), recommend(new, new_file.profile)
            impact.fired_before, impact.fired_after = before.fired, after.fired
            impact.changes = _changes(old, new, before, after, top)
            impact.now_failing, impact.now_passing = _expectations(old, new, old_file, new_file, before, after)
        impacts.append(impact)
    return Impact(old_label, new_label, book_changes(old, new), impacts)


def _load(path: Path, book: RuleBook, shown: str, problems: list[str]) -> AnswersFile | None:
    try:
        return load_answers(path, book, shown)
    except AnswersError as exc:
        problems.extend(exc.lines())
        return None


def _expectations(old: RuleBook, new: RuleBook, old_file: AnswersFile, new_file: AnswersFile,
                  before: Result, after: Result) -> tuple[list[str], list[str]]:
    """Expectations of the profile's expect block that the change breaks, and those it mends."""
    if new_file.expect is None or new_file.doc is None or old_file.doc is None:
        return [], []
    was_exp, _ = parse_expectation(old_file.expect, old_file.doc, old)
    now_exp, _ = parse_expectation(new_file.expect, new_file.doc, new)
    was = check(was_exp, before) if was_exp is not None else []
    now = check(now_exp, after) if now_exp is not None else []

    def what(failure: str) -> str:  # the expectation itself, without what the report gave
        return failure.partition(", got ")[0]

    was_what, now_what = {what(f) for f in was}, {what(f) for f in now}
    return [f for f in now if what(f) not in was_what], [f for f in was if what(f) not in now_what]


def _ranked(result: Result, top: int | None) -> dict[str, tuple[int, Recommendation]]:
    out: dict[str, tuple[int, Recommendation]] = {}
    counts: dict[str, int] = {}
    for rec in result.recommendations:
        counts[rec.kind] = counts.get(rec.kind, 0) + 1
        if top is None or counts[rec.kind] <= top:
            out[rec.id] = (counts[rec.kind], rec)
    return out


def _contributions(book: RuleBook, fired: Sequence[str]) -> tuple[dict[str, dict[str, int]], dict[str, set[str]]]:
    points: dict[str, dict[str, int]] = {}
    excludes: dict[str, set[str]] = {}
    on = set(fired)
    for rule in book.rules:
        if rule.id in on:
            for item, pts in rule.rule.points.items():
                points.setdefault(item, {})[rule.id] = pts
            for item in rule.rule.exclude:
                excludes.setdefault(item, set()).add(rule.id)
    return points, excludes


def _changes(old: RuleBook, new: RuleBook, before: Result, after: Result, top: int | None) -> list[Change]:
    was, now = _ranked(before, top), _ranked(after, top)
    old_points, old_excl = _contributions(old, before.fired)
    new_points, new_excl = _contributions(new, after.fired)
    why_not: dict[str, NotRecommended] = {n.id: n for n in after.not_recommended}
    recommended_after = {r.id for r in after.recommendations}
    score_before = {n.id: n.score for n in before.not_recommended} | {r.id: r.score for r in before.recommendations}
    score_after = {n.id: n.score for n in after.not_recommended} | {r.id: r.score for r in after.recommendations}
    out = []
    for item in list(new.items) + [i for i in old.items if i not in new.items]:
        o, n = was.get(item), now.get(item)
        if o is None and n is None:
            continue
        if o is None:
            category = "added"
        elif n is None:
            category = "removed"
        elif o[1].status != n[1].status:
            category = "status"
        elif o[0] != n[0]:
            category = "reranked"
        elif o[1].score != n[1].score:
            category = "rescored"
        else:
            continue
        why = ""
        if category == "reranked":
            why = _moved(item, (new.items.get(item) or old.items[item]).kind, before, after)
        if category == "removed":
            if item in why_not:
                why = why_not[item].why_not
            elif item not in new.items:
                why = "it is no longer in the catalog"
            elif item in recommended_after:
                why = f"it is now below the top {top} of its kind"
        kind = (new.items.get(item) or old.items[item]).kind
        effects = _effects(old_points.get(item, {}), new_points.get(item, {}),
                           old_excl.get(item, set()), new_excl.get(item, set()))
        out.append(Change(item, kind, category, o[0] if o else None, n[0] if n else None,
                          score_before.get(item, 0), score_after.get(item, 0),
                          o[1].status if o else None, n[1].status if n else None, effects, why,
                          o[1].route if o else None, n[1].route if n else None))
    return sorted(out, key=lambda c: (RECOMMENDED_KINDS.index(c.kind), CATEGORIES.index(c.category),
                                      c.new_rank or c.old_rank or 0, c.item))


def _moved(item: str, kind: str, before: Result, after: Result) -> str:
    """Which items of the same kind passed this one, or fell behind it."""
    was = [r.id for r in before.by_kind(kind)]
    now = [r.id for r in after.by_kind(kind)]
    above_was, above_now = set(was[:was.index(item)]), set(now[:now.index(item)])
    parts = []
    overtaken = [x for x in now[:now.index(item)] if x not in above_was]
    behind = [x for x in was[:was.index(item)] if x not in above_now]
    if overtaken:
        parts.append(f"overtaken by {', '.join(overtaken)}")
    if behind:
        parts.append(f"now ahead of {', '.join(behind)}")
    return "; ".join(parts)


def _effects(old: Mapping[str, int], new: Mapping[str, int], old_ex: set[str], new_ex: set[str]) -> tuple[RuleEffect, ...]:
    out = [RuleEffect(rule, old.get(rule), new.get(rule)) for rule in sorted(set(old) | set(new))
           if old.get(rule) != new.get(rule)]
    out += [RuleEffect(rule, excluded=rule in new_ex) for rule in sorted(old_ex ^ new_ex)]
    return tuple(out)


def book_changes(old: RuleBook, new: RuleBook) -> list[str]:
    """Which rules, facts, items and questions were added, removed or edited, in words."""
    lines = []
    for label, a, b in (
        ("rule", {r.id: r.rule for r in old.rules}, {r.id: r.rule for r in new.rules}),
        ("fact", {k: f.fact for k, f in old.facts.items()}, {k: f.fact for k, f in new.facts.items()}),
        ("catalog item", dict(old.items), dict(new.items)),
        ("question", {q.id: q for q in old.questions}, {q.id: q for q in new.questions}),
    ):
        added = [k for k in b if k not in a]
        removed = [k for k in a if k not in b]
        edited = []
        for k in b:
            if k in a and a[k] != b[k]:
                before, after = values_of(a[k]), values_of(b[k])
                keys = [f for f in after if before.get(f) != after.get(f)] + [f for f in before if f not in after]
                edited.append(f"'{k}' ({', '.join(keys)})")
        for verb, names in (("edited", edited), ("added", [f"'{k}'" for k in added]),
                            ("removed", [f"'{k}'" for k in removed])):
            if names:
                lines.append(f"{label}{'s' if len(names) > 1 else ''} {verb}: {', '.join(names)}")
    return lines


# ------------------------------------------------------------------ rendering
def _rank(c: Change) -> str:
    return f"rank {c.new_rank}" if c.new_rank is not None else f"rank {c.old_rank}"


def _line(c: Change) -> str:
    head = f"{c.item} ({c.kind})"
    if c.category == "added":
        return f"+ {head}: now recommended at rank {c.new_rank}, {c.new_score} points, {c.new_status}"
    if c.category == "removed":
        why = f": {c.why}" if c.why else ""
        return f"- {head}: no longer recommended (was rank {c.old_rank}, {c.old_score} points){why}"
    if c.category == "reranked":
        points = f", {c.old_score} → {c.new_score} points" if c.old_score != c.new_score else ""
        return f"~ {head}: rank {c.old_rank} → {c.new_rank}{points}"
    if c.category == "status":
        moved = f"rank {c.old_rank} → {c.new_rank}" if c.old_rank != c.new_rank else f"rank {c.new_rank}"
        points = f", {c.old_score} → {c.new_score} points" if c.old_score != c.new_score else ""
        return f"! {head}: {c.old_status} → {c.new_status} ({moved}{points})"
    return f"~ {head}: {c.old_score} → {c.new_score} points ({_rank(c)})"


def impact_text(impact: Impact) -> str:
    """The impact report for a person: the book's edits, each changed profile, then totals."""
    lines = [f"Impact of {impact.old} → {impact.new}"]
    lines += [f"  {line}" for line in impact.book_changes] or ["  no rule, fact, item or question differs"]
    for p in impact.profiles:
        if not p.changed:
            continue
        lines += ["", f"{p.path}" + (f"  {p.name}" if p.name else "")]
        for label, problems in (("old", p.problems_old), ("new", p.problems_new)):
            if problems:
                lines.append(f"  cannot be read with the {label} rule book:")
                lines += [f"    {x}" for x in problems]
        lines += [f"  expectation now fails: {f}" for f in p.now_failing]
        lines += [f"  expectation now holds: {f}" for f in p.now_passing]
        for c in p.changes:
            lines.append(f"  {_line(c)}")
            for e in c.rules:
                lines.append(f"      {e.text(e.rule in p.fired_before, e.rule in p.fired_after)}")
            if c.category == "status":
                lines.append(f"      eligibility route: {c.old_route or 'none'} → {c.new_route or 'none'}")
            if not c.rules and c.category in ("reranked", "added"):
                moved = f": {c.why}" if c.category == "reranked" and c.why else "; other items moved"
                lines.append(f"      its own points did not change{moved}")
    changed = sum(p.changed for p in impact.profiles)
    having = impact.profiles_with()
    failing = sum(len(p.now_failing) for p in impact.profiles)
    lines += ["", f"Totals: {_count(len(impact.profiles), 'profile')} compared, {changed} changed, "
                  f"{len(impact.profiles) - changed} unchanged. Profiles with items "
                  + ", ".join(f"{CATEGORY_WORDS[c]}: {having[c]}" for c in CATEGORIES) + ". "
                  f"Expectations: {failing} now failing, {sum(len(p.now_passing) for p in impact.profiles)} "
                  "now holding."]
    responsible = impact.responsible()
    if responsible:
        lines.append("Rules responsible: " + ", ".join(
            f"{rule} ({n} profile{'s' if n != 1 else ''})" for rule, n in responsible))
    return "\n".join(lines) + "\n"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def impact_json(impact: Impact) -> str:
    """The same as one JSON object."""
    def change(c: Change) -> dict[str, Any]:
        return {"item": c.item, "kind": c.kind, "change": c.category, "old_rank": c.old_rank,
                "new_rank": c.new_rank, "old_score": c.old_score, "new_score": c.new_score,
                "old_status": c.old_status, "new_status": c.new_status, "why": c.why or None,
                "old_route": c.old_route, "new_route": c.new_route,
                "rules": [{"rule": e.rule, "old_points": e.old, "new_points": e.new, "excludes": e.excluded}
                          for e in c.rules]}

    data = {
        "old": impact.old, "new": impact.new, "book_changes": impact.book_changes,
        "profiles": [{"path": p.path, "name": p.name, "changed": p.changed,
                      "changes": [change(c) for c in p.changes],
                      "now_fires": [r for r in p.fired_after if r not in p.fired_before],
                      "no_longer_fires": [r for r in p.fired_before if r not in p.fired_after],
                      "problems_old": p.problems_old, "problems_new": p.problems_new,
                      "expectations_now_failing": p.now_failing, "expectations_now_holding": p.now_passing}
                     for p in impact.profiles],
        "totals": {"profiles": len(impact.profiles), "changed": sum(p.changed for p in impact.profiles),
                   **impact.totals(), "profiles_with": impact.profiles_with(),
                   "expectations_now_failing": sum(len(p.now_failing) for p in impact.profiles),
                   "expectations_now_holding": sum(len(p.now_passing) for p in impact.profiles)},
        "responsible": [{"rule": r, "profiles": n} for r, n in impact.responsible()],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
