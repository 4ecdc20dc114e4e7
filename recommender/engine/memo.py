"""What the engine builds from the rule book alone, memoised per book and language.

Many profiles meet the same route checks, steps, why-not texts and answer words; each is built
the first time it is needed and then shared.  The program's own words (`_()`) follow the current
language, which is per process or per context (a web request), so every table is kept per book
*and* language.  Values are frozen (tuples, frozen dataclasses, text): sharing them is safe.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from recommender.book.rulebook import RuleBook
from recommender.i18n import current_lang

T = TypeVar("T")

#: Entries kept per table; past it a table starts again, so unusual profiles cannot grow it without limit.
LIMIT = 20_000


class Memo:
    """Tables of values built from one book in one language, each value built once."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[Hashable, Any]] = {}

    def table(self, name: str) -> dict[Hashable, Any]:
        found = self.tables.get(name)
        if found is None:
            found = self.tables[name] = {}
        return found

    def get(self, name: str, key: Hashable, build: Callable[[], T]) -> T:
        """The value for `key` in table `name`, built by `build()` the first time."""
        table = self.table(name)
        try:
            if key in table:
                value: T = table[key]
                return value
        except TypeError:  # a key that cannot be hashed (a list inside): built each time
            return build()
        if len(table) >= LIMIT:
            table.clear()
        value = table[key] = build()
        return value


_MEMOS: weakref.WeakKeyDictionary[RuleBook, dict[str, Memo]] = weakref.WeakKeyDictionary()
# The tables last asked for, as one tuple swapped whole (threads may share it): a batch asks for the
# same book in the same language tens of times per profile.
_LAST: tuple[weakref.ref[RuleBook], str, Memo] | None = None


def memo(book: RuleBook) -> Memo:
    """The tables for `book` in the current language."""
    global _LAST
    lang = current_lang()
    last = _LAST
    if last is not None and last[0]() is book and last[1] == lang:
        return last[2]
    by_lang = _MEMOS.get(book)
    if by_lang is None:
        by_lang = _MEMOS[book] = {}
    found = by_lang.get(lang)
    if found is None:
        found = by_lang[lang] = Memo()
    _LAST = (weakref.ref(book), lang, found)
    return found
