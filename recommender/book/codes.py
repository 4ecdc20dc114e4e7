"""Stable codes of the warnings `rules check` gives, which an object may accept with `allow:`.

A code names a kind of finding, never its wording, so messages can improve without
breaking an advisor's `allow` entries.  To give a new warning a code, add it here with a
one-line description and pass `code=` where the warning is made; the guide lists them all.
"""

from __future__ import annotations

WARNING_CODES: dict[str, str] = {
    "points-on-organization": "points or an item step for an organization, which is never recommended",
    "points-excluded-by-itself": "points for an item the same rule excludes",
    "points-excluded": "points for an item that another rule, firing whenever this one does, excludes",
    "points-for-holders": "points for a credential the rule gives only to people who already hold it",
    "item-unreachable": "a catalog item that no report can show",
    "question-unread": "a question whose answer nothing reads",
    "fact-unused": "a derived fact nothing uses",
    "source-uncited": "a source that no fact cites",
    "source-old": "a source last checked longer ago than --max-age",
    "allow-unused": "an allow entry that no longer matches any warning (cannot itself be allowed)",
}

#: Codes an `allow:` entry may name.
ALLOWABLE: tuple[str, ...] = tuple(code for code in WARNING_CODES if code != "allow-unused")
