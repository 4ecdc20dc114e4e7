"""Parts of JSON Lines records encoded once per rule book and language, then spliced into every record.

Most of a full batch record is the same from one profile to the next: catalog texts, role cards,
eligibility routes, the steps a route still asks for, why an item is not recommended.  Each such
part is encoded to JSON text the first time it is met and kept, keyed by its value, for as long as
the book lives; later records splice the text in (see `jsontext.Encoded`).  A part whose value
depends on the person (an answer quoted in a reason) is still written out for each record.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from recommender.book.rulebook import RuleBook
from recommender.engine.memo import memo
from recommender.engine.result import NotRecommended, RoleCard, RouteCheck, Step
from recommender.render import json as report
from recommender.render.jsontext import Encoded, encoded

#: Parts kept per table; past it a table starts again, so a cohort of unusual profiles cannot grow it
#: without limit.  A usual book has a few hundred distinct parts of each kind.
LIMIT = 20_000


class Memo:
    """Encoded text by key, for one kind of part."""

    def __init__(self) -> None:
        self.table: dict[Hashable, Encoded] = {}
        self.same: dict[int, tuple[object, Encoded]] = {}  # by id(), holding the object so its id stays its own

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        try:
            found = self.table.get(key)
        except TypeError:  # a key that cannot be hashed (a list inside): written out in the record
            return build()
        if found is None:
            if len(self.table) >= LIMIT:
                self.table.clear()
            found = self.table[key] = encoded(build())
        return found

    def get_same(self, value: Hashable, build: Callable[[], Any]) -> Any:
        """As `get`, for a value the engine shares between profiles: found by identity before it is hashed."""
        hit = self.same.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        found = self.get(value, build)
        if type(found) is Encoded:
            if len(self.same) >= LIMIT:
                self.same.clear()
            self.same[id(value)] = (value, found)
        return found


class SplicedParts(report.Parts):
    """The shared parts of a report as encoded text, each encoded once per book and language."""

    def __init__(self) -> None:
        self.roles = Memo()
        self.routes = Memo()
        self.steps = Memo()
        self.sourcing = Memo()
        self.why_not = Memo()

    def role(self, card: RoleCard, cite: Callable[[tuple[str, ...]], list[str]]) -> Any:
        return self.roles.get(card, lambda: report.role_data(card, cite))

    def eligibility(self, checks: tuple[RouteCheck, ...]) -> Any:
        return self.routes.get_same(checks, lambda: report.Parts.eligibility(self, checks)) if checks else []

    def step(self, step: Step) -> Any:
        return self.steps.get_same(step, lambda: report.Parts.step(self, step))

    def sources(self, ids: tuple[str, ...], cite: Callable[[tuple[str, ...]], list[str]]) -> Any:
        return self.sourcing.get(ids, lambda: cite(ids)) if ids else []

    def not_recommended(self, n: NotRecommended) -> Any:
        return self.why_not.get(n, lambda: report.Parts.not_recommended(self, n))


def spliced_parts(book: RuleBook) -> SplicedParts:
    """The encoded parts of reports from `book` in the current language (the program's texts are in it)."""
    return memo(book).get("json", None, SplicedParts)
