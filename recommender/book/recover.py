"""Recovery after a failed validation, so one broken key does not hide the rest of an object's problems.

When an object fails its model, the loader has already reported every error pydantic found.
But the checks that come later (conditions, ids, placeholders) run only on valid objects, so
a misspelled key would hide them until it is fixed.  Here a copy of the object is repaired
just enough to pass: a misspelled key is read as the key it most looks like (`pionts` as
`points`), any other unknown key is dropped, a broken entry of a list is dropped whole, and
any other value that failed its own check is dropped when its field can do without it.  The repaired object is then checked like any
other; nothing repaired is ever loaded, since the first errors already stop the book.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import ValidationError

from recommender.book.validation import clean_loc
from recommender.book.yamlio import Document, Key
from recommender.suggest import closest

T = TypeVar("T")

ROUNDS = 3  # each round fixes what the previous one uncovered (a dropped value may reveal another)


def recover(element: Any, exc: ValidationError, adapter: Callable[[Any], T], keys: Iterable[str],
            doc: Document, prefix: Key) -> T | None:
    """A repaired copy of `element` that passes `adapter`, or None when it cannot be repaired.

    A key read under another name gets the other name's lines in `doc`, so later problems
    found under it point at the line the advisor wrote.
    """
    known = sorted(set(keys))
    data = copy.deepcopy(element)
    errors = exc.errors(include_url=False)
    for round_ in range(ROUNDS):
        changed = False
        entries: set[Key] = set()
        for err in errors:
            loc = clean_loc(err["loc"], err["type"])
            if err["type"] != "extra_forbidden" and any(isinstance(part, int) for part in loc):
                # A broken entry of a list (a route, a source id, an allow entry): drop the entry whole.
                last = max(i for i, part in enumerate(loc) if isinstance(part, int))
                entries.add(loc[:last + 1])
                continue
            parent = _at(data, loc[:-1]) if loc else None
            name = loc[-1] if loc else None
            if not isinstance(parent, dict) or name not in parent:
                continue  # a whole-object check: nothing to drop
            value = parent.pop(name)
            changed = True
            guess = closest(name, known) if err["type"] == "extra_forbidden" and round_ == 0 else None
            if isinstance(name, str) and guess is not None and guess not in parent:
                parent[guess] = value
                _alias(doc, prefix + loc, prefix + loc[:-1] + (guess,))
        for entry in sorted(entries, key=lambda k: (len(k), k[-1]), reverse=True):  # deeper, later first
            parent = _at(data, entry[:-1])
            index = entry[-1]
            if isinstance(parent, list) and isinstance(index, int) and 0 <= index < len(parent):
                del parent[index]
                changed = True
        if not changed:
            return None
        try:
            return adapter(data)
        except ValidationError as again:
            errors = again.errors(include_url=False)
    return None


def _at(data: Any, key: Key) -> Any:
    for part in key:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _alias(doc: Document, old: Key, new: Key) -> None:
    for key, line in list(doc.lines.items()):
        if key[:len(old)] == old:
            doc.lines.setdefault(new + key[len(old):], line)
