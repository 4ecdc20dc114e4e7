"""Warnings for the conditions the satisfiability search gave up on (see advisor.satisfy.MAX_STEPS).

An undecided condition is taken to be satisfiable, so no finding is ever made from a search that
did not finish; this module says where such conditions are, so that an advisor knows what the
static checks could not look at.
"""

from __future__ import annotations

from collections.abc import Iterator

from recommender.advisor.satisfy import Solver
from recommender.book import conditions as C
from recommender.book.rulebook import RuleBook, Where
from recommender.errors import Problem


def _owners(book: RuleBook) -> Iterator[tuple[C.Condition, Where, str, str]]:
    """Each condition written in the book, with where it is, the object that holds it and its key."""
    for rule in book.rules:
        yield rule.when, rule.where, f"rule '{rule.id}'", "when"
    for fid, fact in book.facts.items():
        yield fact.when, fact.where, f"fact '{fid}'", "when"
    for qid, guard in book.ask_if.items():
        yield guard, book.where[("question", qid)], f"question '{qid}'", "ask_if"
    for item_id, routes in book.routes.items():
        for i, route in enumerate(routes):
            if route.when is not None:
                where = book.where[("item", item_id)]
                yield route.when, where, f"{book.items[item_id].kind} '{item_id}'", f"eligibility[{i}].when"


def undecided_problems(book: RuleBook, solver: Solver) -> list[Problem]:
    """One warning per book condition whose search ran out of steps."""
    if not solver.undecided:
        return []
    out = []
    for cond, where, subject, key in _owners(book):
        if cond in solver.undecided:
            out.append(Problem(where.path, where.line,
                               f"could not decide whether this can hold: the search stopped after "
                               f"{solver.budget:,} steps (the condition combines many independent answers), so "
                               f"no check that needs it was made; split it into smaller rules or facts",
                               subject, key, warning=True, code="search-undecided"))
    return out
