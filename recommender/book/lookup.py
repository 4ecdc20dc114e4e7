"""Catalog ids as people type them: the id, or one clear error with a suggestion."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recommender.book.rulebook import RuleBook


def find_item(book: RuleBook, name: str, kinds: tuple[str, ...], noun: str) -> str:
    """The catalog id a person typed, or an UnknownItemError with a suggestion."""
    from recommender.errors import UnknownItemError
    from recommender.suggest import closest

    item = book.items.get(name)
    if item is not None and item.kind in kinds:
        return name
    wanted = [i for i in book.items.values() if i.kind in kinds]
    ids = [i.id for i in wanted]
    listing = f"; {noun} ids are {', '.join(ids)}" if len(ids) <= 12 else \
        f"; ids look like {', '.join(ids[:2])} or {ids[-1]}"
    if item is not None:
        related = [r for r in (*getattr(item, "leads_to", ()), *getattr(item, "prepares_for", ()),
                               *getattr(item, "offers", ())) if book.items[r].kind in kinds]
        article = "an" if item.kind[0] in "aeiou" else "a"
        hint = f"; did you mean '{related[0]}'?" if related else listing
        raise UnknownItemError(f"'{name}' is {article} {item.kind}, not a {noun}{hint}")
    aliases: dict[str, str] = {}
    clashes: set[str] = set()
    for i in wanted:
        for alias in (i.id, i.short_name, i.name):
            if alias:
                key = " ".join(alias.casefold().replace("_", " ").split())
                if aliases.setdefault(key, i.id) != i.id:
                    clashes.add(key)
    typed = " ".join(name.casefold().replace("_", " ").split())
    # An id or a short name in any case ('cmaa', 'office manager') is the item it names.
    if typed in aliases and typed not in clashes:
        return aliases[typed]
    guess = aliases.get(typed)
    if guess is None:
        near = closest(typed, aliases)
        within = {i for alias, i in aliases.items() if typed and typed in alias}
        guess = aliases[near] if near is not None else (within.pop() if len(within) == 1 else None)
    raise UnknownItemError(f"unknown {noun} '{name}'" + (f"; did you mean '{guess}'?" if guess else listing))
