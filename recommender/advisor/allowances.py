"""Warnings accepted on purpose: each object's `allow:` entries, matched against what the analysis found.

An entry names a warning code and says why.  It silences that warning for that object only;
one that no longer matches any warning is itself reported (`allow-unused`), so accepted
warnings cannot pile up after the reason for them is gone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from recommender.book.rulebook import RuleBook, Where
from recommender.book.runtime import Allow
from recommender.book.yamlio import Document, YamlProblem, load_file
from recommender.errors import Problem


@dataclass(frozen=True)
class Allowed:
    """A warning an object accepts, with the reason it gives."""

    problem: Problem
    because: str


@dataclass(frozen=True)
class _Owner:
    subject: str  # as the analysis names the object, e.g. "rule 'fast-start'"
    where: Where
    section: str
    id: str
    allow: tuple[Allow, ...]


def settle(book: RuleBook, problems: Sequence[Problem]) -> tuple[list[Problem], list[Allowed]]:
    """The problems left once accepted warnings are set aside, plus one warning per allow that matches none."""
    owners = {(o.where.path, o.subject): o for o in _owners(book) if o.allow}
    kept: list[Problem] = []
    allowed: list[Allowed] = []
    used: set[tuple[str, str, int]] = set()
    for p in problems:
        owner = owners.get((p.path, p.subject)) if p.warning and p.code else None
        index = next((i for i, a in enumerate(owner.allow) if a.warning == p.code), None) if owner else None
        if owner is None or index is None:
            kept.append(p)
            continue
        used.add((owner.where.path, owner.subject, index))
        allowed.append(Allowed(p, owner.allow[index].because))
    docs: dict[str, Document | None] = {}
    for owner in owners.values():
        for i, entry in enumerate(owner.allow):
            if (owner.where.path, owner.subject, i) not in used:
                kept.append(Problem(owner.where.path, _line(docs, owner, i), f"allows '{entry.warning}', but no "
                                    "such warning is found here any more; remove this entry",
                                    owner.subject, f"allow[{i}]", warning=True, code="allow-unused"))
    return sorted(kept, key=_order), allowed


def _order(p: Problem) -> tuple[str, int, str, str, str]:
    return (p.path, p.line, p.subject, p.key, p.message)


def _owners(book: RuleBook) -> Iterator[_Owner]:
    for q in book.questions:
        yield _Owner(f"question '{q.id}'", book.where[("question", q.id)], "questions", q.id, q.allow)
    for fid, fact in book.facts.items():
        yield _Owner(f"fact '{fid}'", fact.where, "facts", fid, fact.fact.allow)
    for item_id, item in book.items.items():
        yield _Owner(f"{item.kind} '{item_id}'", book.where[("item", item_id)], "items", item_id, item.allow)
    for rule in book.rules:
        yield _Owner(f"rule '{rule.id}'", rule.where, "rules", rule.id, rule.rule.allow)
    for sid, src in book.sources.items():
        yield _Owner(f"source '{sid}'", book.where[("source", sid)], "sources", sid, src.allow)
    for market in book.market:
        yield _Owner(f"market fact '{market.id}'", book.where[("market", market.id)], "facts", market.id,
                     market.allow)


def _line(docs: dict[str, Document | None], owner: _Owner, entry: int) -> int:
    """The line of an allow entry, read from the object's file (the object's own line if unreadable)."""
    path = owner.where.path
    if path not in docs:
        try:
            docs[path] = load_file(Path(path), path)
        except YamlProblem:
            docs[path] = None
    doc = docs[path]
    raw = doc.data.get(owner.section) if doc is not None and isinstance(doc.data, dict) else None
    for i, element in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(element, dict) and element.get("id") == owner.id and doc is not None:
            return doc.line((owner.section, i, "allow", entry))
    return owner.where.line
