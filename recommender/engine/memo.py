"""Results that depend only on the book, the language and a few small values, kept across profiles.

A batch asks the same questions of the book again and again (the words for "done: CMAA exam"
in year 3 of a plan, say); a table per book remembers the answers. Each caller's key names
everything its result depends on, the language included. A table is emptied when it grows past
LIMIT entries, so memory stays bounded; what is forgotten is computed again, with the same result.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from recommender.book.rulebook import RuleBook

T = TypeVar("T")
LIMIT = 20_000
Table = dict[Hashable, Any]
_TABLES: "weakref.WeakKeyDictionary[RuleBook, dict[str, Table]]" = weakref.WeakKeyDictionary()


def table(book: RuleBook, name: str) -> Table:
    """The book's table called `name` (empty on first use)."""
    tables = _TABLES.get(book)
    if tables is None:
        tables = _TABLES[book] = {}
    found = tables.get(name)
    if found is None:
        found = tables[name] = {}
    return found


def remembered(memo: Table, key: Hashable, make: Callable[[], T]) -> T:
    """memo[key], made by `make` the first time it is asked for (and again once the table is emptied)."""
    if key in memo:
        found: T = memo[key]
        return found
    if len(memo) >= LIMIT:
        memo.clear()
    value = memo[key] = make()
    return value
