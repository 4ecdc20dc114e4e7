"""Reasons that speak of another item: a rule's reason for one item should be about that item.

A person reads each reason under the item it is attached to. A reason for the medical
administrative assistant role that argues from the CMAA exam is about the CMAA, and for a
person who already holds the CMAA it is dropped altogether (see
`recommender.engine.recommend.rests_on_held`). The cure is a reason of the item's own under
the rule's `because_for`.
"""

from __future__ import annotations

from typing import Protocol

from recommender.book.rulebook import RuleBook, Where
from recommender.book.runtime import Program
from recommender.book.yamlio import Key
from recommender.engine.compiled import plan


class Add(Protocol):
    def __call__(self, where: Where, section: str, obj_id: str, key: Key, subject: str, message: str,
                 warning: bool = False, code: str = "") -> None: ...


def check_reasons(book: RuleBook, add: Add) -> None:
    """Warn, for each rule and each item it gives points to, when the item's reason names another credential."""
    compiled = plan(book)
    for rule in book.rules:
        for item_id, points in rule.rule.points.items():
            if points <= 0:
                continue  # a reason against an item may well name the credential it points to instead
            item = book.items.get(item_id)
            named = set(compiled.mentions(rule, item_id))
            if isinstance(item, Program):
                named -= set(item.prepares_for)  # a program's reason may name what it prepares for
            if not named:
                continue
            names = ", ".join(sorted(named))
            key: Key = ("because_for", item_id) if item_id in rule.because_for else ("because",)
            add(rule.where, "rules", rule.id, key, f"rule '{rule.id}'",
                f"the reason shown for '{item_id}' speaks of {names}; give '{item_id}' a reason of its own "
                f"under because_for (a person who holds {names} would lose it)", warning=True,
                code="reason-names-another")
