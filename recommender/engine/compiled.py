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
    credential_names: Mapping[str, tuple[re.Pattern[str], ...]]  # certification id → its names as whole words
    item_order: Mapping[str, int]  # catalog position of each item, the ranking's last tie-break
    # Texts that depend only on the book, filled on first use.
    rule_words: dict[str, str] = field(default_factory=dict)
    item_sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rules_for: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    steps: dict[int, Step] = field(default_factory=dict)  # by id() of the catalog step, which the book keeps alive
    reason_mentions: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)

    def mentions(self, rule: CompiledRule, item_id: str) -> frozenset[str]:
        """The credentials (other than the item) that a rule's reason for an item names."""
        key = (rule.id, item_id)
        found = self.reason_mentions.get(key)
        if found is None:
            text = "".join(rule.reason(item_id).parts)
            found = frozenset(c for c, names in self.credential_names.items()
                              if c != item_id and any(n.search(text) for n in names))
            self.reason_mentions[key] = found
        return found


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
        credential_names={c.id: _names(c.id, c.short_name) for c in book.certifications()},
        item_order={item_id: i for i, item_id in enumerate(book.items)},
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


def _names(item_id: str, short_name: str | None) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"(?<![\w-]){re.escape(n)}(?![\w-])") for n in dict.fromkeys((item_id, short_name or item_id)))
