"""A rule book compiled for evaluation, and the memoised facts and eligibility of one evaluation.

Shared by matching (recommend), planning and counterfactuals, so all three agree.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from recommender.book.conditions import Compiled, compile_condition
from recommender.book.index import RuleIndex
from recommender.book.rulebook import CompiledRule, RuleBook
from recommender.engine.result import Step


# ------------------------------------------------------------------ compiled form of a book
@dataclass(frozen=True)
class Plan:
    facts: Mapping[str, Compiled]
    rules: tuple[Compiled, ...]
    routes: Mapping[str, tuple[tuple[Compiled | None, Compiled | None, tuple[Compiled | None, ...]], ...]]
    provisional: Mapping[str, tuple[Compiled, ...]]
    index: RuleIndex
    rule_mentions: Mapping[str, frozenset[str]]  # rule id → credentials it gives points to and its reason names
    # Texts that depend only on the book, filled on first use.
    rule_words: dict[str, str] = field(default_factory=dict)
    item_sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rules_for: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    steps: dict[int, Step] = field(default_factory=dict)  # by id() of the catalog step, which the book keeps alive


_PLANS: "weakref.WeakKeyDictionary[RuleBook, Plan]" = weakref.WeakKeyDictionary()


def plan(book: RuleBook) -> Plan:
    """Compile every condition of a book once; cached for the book's lifetime."""
    cached = _PLANS.get(book)
    if cached is not None:
        return cached
    orders = book.option_orders

    def c(cond: Any) -> Compiled | None:
        return compile_condition(cond, orders) if cond is not None else None

    compiled = Plan(
        facts={k: compile_condition(f.when, orders) for k, f in book.facts.items()},
        rules=tuple(compile_condition(r.when, orders) for r in book.rules),
        routes={item: tuple((c(r.when), c(r.relevant_if), tuple(c(s.unless) for s in r.steps)) for r in routes)
                for item, routes in book.routes.items()},
        provisional={item: tuple(compile_condition(p.when, orders) for p in provs)
                     for item, provs in book.provisional.items()},
        rule_mentions={r.id: _mentions(book, r) for r in book.rules},
        index=RuleIndex.build([r.when for r in book.rules], {k: f.when for k, f in book.facts.items()},
                              book.question_info),
    )
    _PLANS[book] = compiled
    return compiled


class Env:
    """Answers plus memoised facts and eligibility for one evaluation."""

    def __init__(self, book: RuleBook, compiled: Plan, answers: Mapping[str, Any]) -> None:
        self.book = book
        self.plan = compiled
        self.answers = answers
        self._facts: dict[str, bool] = {}
        self._eligible: dict[str, bool] = {}

    def fact(self, name: str) -> bool:
        value = self._facts.get(name)
        if value is None:
            value = self._facts[name] = bool(self.plan.facts[name](self))
        return value

    def eligible(self, item: str) -> bool:
        value = self._eligible.get(item)
        if value is None:
            routes = self.plan.routes.get(item, ())
            value = not routes or any(when is not None and when(self) for when, _, _ in routes)
            self._eligible[item] = value
        return value


def _mentions(book: RuleBook, rule: CompiledRule) -> frozenset[str]:
    """The credentials a rule gives points to that its reason names, by id or short name, as whole words."""
    text = "".join(rule.because.parts)
    found = set()
    for item_id in rule.rule.points:
        item = book.items.get(item_id)
        if item is None or item.kind != "certification":
            continue
        names = {item_id, getattr(item, "short_name", None) or item_id}
        if any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text) for n in names):
            found.add(item_id)
    return frozenset(found)
