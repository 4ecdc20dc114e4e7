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
    "source-kind-missing": "a source that does not say what kind of publisher it is",
    "fact-second-hand": "a fact marked confirmed that rests only on secondary or third-party sources",
    "fact-unread": "a fact marked confirmed whose sources were never read (no `checked` date)",
    "figure-undated": "a pay or outlook figure whose sources do not say what period it describes",
    "figure-old": "a pay or outlook figure that describes a period more than three years ago",
    "process-wording": "a text a person reads that tells how the rule book was written",
    "reason-names-another": "a reason shown for one item that speaks of another credential",
    "search-undecided": "a condition the satisfiability search could not decide within its budget",
    "untranslated": "a text a person reads with no translation into a language the book offers",
    "translation-stale": "a translation made from English that has since changed",
    "translation-orphan": "a translation whose key, or whole file, names no text of the rule book",
    "allow-unused": "an allow entry that no longer matches any warning (cannot itself be allowed)",
}

#: Warnings about translation files, which live outside the objects `allow:` is written on.
TRANSLATION_CODES: frozenset[str] = frozenset({"untranslated", "translation-stale", "translation-orphan"})

#: Codes an `allow:` entry may name.
ALLOWABLE: tuple[str, ...] = tuple(code for code in WARNING_CODES
                                   if code != "allow-unused" and code not in TRANSLATION_CODES)
