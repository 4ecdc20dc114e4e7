"""Realistic answers that fire a rule: the nearest example person, changed as little as possible.

Coverage suggests answers for each rule no profile fires.  Answers built from nothing
describe nobody (no diploma but a credential that needs one), so the search starts from each
shipped profile and changes the fewest answers it can: the profile's own value of every
question is tried first, and the number of answers allowed to differ grows one at a time.
The person must stay plausible (their answers show how they earned every credential they
hold) and valid (the answers validator accepts them, `ask_if`
included); each candidate is checked by the real validator and engine before it is offered.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recommender.advisor.satisfy import _OTHER, Solver, _Search
from recommender.book import conditions as C
from recommender.book.answers import Profile, is_asked, resolve
from recommender.book.rulebook import CompiledRule, RuleBook
from recommender.engine.compiled import Env, plan
from recommender.engine.recommend import HELD_QUESTION, fired_rules

MAX_CANDIDATES = 200  # candidates checked per rule before giving up on a plausible person
MAX_STEPS = 5_000  # search steps per rule over all profiles: far from every profile, build from nothing


class _OutOfSteps(Exception):
    pass


@dataclass(frozen=True)
class Suggestion:
    """Answers that fire `rule`, as a change of the profile `based_on` (None: built from nothing)."""

    rule: str
    answers: Mapping[str, Any]
    changed: tuple[str, ...]  # question ids whose answer differs from the profile's
    based_on: str | None = None
    name: str | None = None  # the profile's name


def plausible(book: RuleBook, answers: Mapping[str, Any]) -> bool:
    """Whether every credential held is one these answers could have earned (when answers can show it)."""
    env = Env(book, plan(book), answers)
    return all(_open(book, held) or env.eligible(held) for held in answers.get(HELD_QUESTION) or ())


def _open(book: RuleBook, item: str) -> bool:
    """An item no route of which answers can show (or with no route): holding it says nothing about them.

    Otherwise a holder must meet a route the answers can show: routes they cannot show (a
    military program, say) are real, but a suggested person should not lean on them.
    """
    routes = book.routes.get(item, ())
    return all(r.when is None for r in routes)


def _plausibility(book: RuleBook) -> C.Condition:
    """The plausibility test as a condition the search can use: holding X implies being eligible for X."""
    info = book.question_info.get(HELD_QUESTION)
    held = [x for x in (info.options if info is not None else ()) if x in book.routes and not _open(book, x)]
    return C.All(tuple(C.AnyOf((C.Not(C.Compare(HELD_QUESTION, "contains", x)), C.Eligible(x))) for x in held))


def nearest(book: RuleBook, rule: CompiledRule, bases: Sequence[tuple[str, Profile]],
            solver: Solver | None = None) -> Suggestion | None:
    """The valid, plausible answers closest to one of `bases` (fewest answers changed) that fire `rule`."""
    solver = solver or Solver(book)
    cond = C.All((rule.when, _plausibility(book)))
    steps = [MAX_STEPS]
    searches = [(label, profile, _Near(solver, cond, profile.answers, steps)) for label, profile in bases]
    checked = 0
    try:
        for limit in range(len(searches[0][2].order) + 1 if searches else 0):
            for label, profile, search in searches:
                for overrides in search.solutions(limit):
                    checked += 1
                    if checked > MAX_CANDIDATES:
                        raise _OutOfSteps
                    found = _checked(book, rule.id, profile, overrides)
                    if found is not None:
                        return Suggestion(rule.id, found[0], found[1], label, profile.name)
    except _OutOfSteps:
        pass
    # No profile is near enough (or none was given): a person built from nothing, still checked.
    example = solver.example(cond)
    found = _checked(book, rule.id, Profile({}), example) if example is not None else None
    return Suggestion(rule.id, found[0], found[1]) if found is not None else None


def _checked(book: RuleBook, rule_id: str, base: Profile, overrides: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]] | None:
    """The answers file's answers for a candidate, if the validator accepts them and the rule fires."""
    given = {q: v for q, v in base.answers.items() if q in base.given}
    for qid, value in overrides.items():
        if value is None:
            given.pop(qid, None)
        elif value != base.answers.get(qid) or qid in given:
            given[qid] = value
    answers: dict[str, Any] = {}
    for q in book.questions:  # in questionnaire order, dropping what would no longer be asked
        if q.id in given and is_asked(book, q.id, resolve(book, answers)[0]):
            answers[q.id] = given[q.id]
    resolved, problems = resolve(book, answers)
    if problems or rule_id not in fired_rules(book, resolved) or not plausible(book, resolved):
        return None
    changed = tuple(q.id for q in book.questions if resolved.get(q.id) != base.answers.get(q.id))
    return answers, changed


class _Near(_Search):
    """The satisfiability search, trying a base profile's answers first and counting departures from them."""

    def __init__(self, solver: Solver, cond: C.Condition, base: Mapping[str, Any], steps: list[int]) -> None:
        super().__init__(solver, cond)
        self.base = base
        self.limit = 0
        self.budget = steps  # shared by the searches of one rule: what is left of MAX_STEPS

    def solutions(self, limit: int) -> Iterator[dict[str, Any]]:
        """Overrides of the base (None: no answer) under which the condition holds, exactly `limit` changes."""
        self.limit = limit
        self.scalar, self.multi, self.asked = {}, {}, {}
        yield from self._walk(0, 0)

    def _walk(self, i: int, cost: int) -> Iterator[dict[str, Any]]:
        self.budget[0] -= 1
        if self.budget[0] < 0:
            raise _OutOfSteps
        verdict = self.tri(self.cond)
        if verdict is False or cost > self.limit:
            return
        if verdict is True or i == len(self.order):
            if verdict is True and cost == self.limit:
                yield self._overrides(i)
            return
        qid = self.order[i]
        q = self.s.questions[qid]
        guard = self.s.book.ask_if.get(qid)
        decided = self.tri(guard) if guard is not None else True
        had = self.base.get(qid)
        for asked in ((decided,) if decided is not None else (had is not None, had is None)):
            self.asked[qid] = asked
            if self.s.book.question_info[qid].type == "multi":
                self.multi[qid] = {}
                yield from self._near_members(qid, 0, asked, i, cost, False)
                del self.multi[qid]
                continue
            choices: list[Any] = [v for v in self.domain[qid] if v != had] if asked else []
            if not asked or (q.default is None and not q.required):
                choices.insert(0, None)
            if asked and had is not None:
                choices.insert(0, had)
            for value in dict.fromkeys(choices):
                self.scalar[qid] = value
                yield from self._walk(i + 1, cost + (value != had))
            self.scalar.pop(qid, None)

    def _near_members(self, qid: str, k: int, asked: bool, i: int, cost: int, differs: bool) -> Iterator[dict[str, Any]]:
        options = self.domain[qid]
        if k == len(options):
            yield from self._walk(i + 1, cost + differs)
            return
        member = options[k]
        had = self._had(qid, member)
        for value in ((had, not had) if asked else (False,)):
            if cost + (differs or value != had) > self.limit:
                continue
            self.multi[qid][member] = value
            if self.tri(self.cond) is not False:
                yield from self._near_members(qid, k + 1, asked, i, cost, differs or value != had)
        self.multi[qid].pop(member, None)

    def _had(self, qid: str, member: str) -> bool:
        chosen = self.base.get(qid) or ()
        if member == _OTHER:
            return any(o not in self.domain[qid] for o in chosen)
        return member in chosen

    def _overrides(self, upto: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for qid in self.order[:upto]:
            if not self.asked.get(qid):
                out[qid] = None
            elif qid in self.multi:
                chosen = self.multi[qid]
                options = self.s.orders[qid]
                had = list(self.base.get(qid) or ())
                others = [o for o in had if o not in self.domain[qid]]
                if chosen.get(_OTHER) and not others:
                    others = [o for o in options if o not in self.domain[qid]][:1]
                elif not chosen.get(_OTHER):
                    others = []
                out[qid] = [o for o in options if chosen.get(o) or o in others]
            else:
                out[qid] = self.scalar.get(qid)
        return out


def profile_text(s: Suggestion, rule_where: str) -> str:
    """The suggestion as an answers file for profiles/, ready to save."""
    based = f"{s.based_on} ({s.name})" if s.name else s.based_on
    head = ["# yaml-language-server: $schema=../schemas/answers.schema.json",
            f"# Fires rule '{s.rule}' ({rule_where}).",
            f"# Based on {based}; changed: {', '.join(s.changed) or 'nothing'}." if s.based_on
            else "# Built from no profile: check that the answers describe a real person."]
    name = f"{s.name}, changed to fire {s.rule}" if s.name else f"Fires {s.rule}"
    lines = [*head, f"name: {json.dumps(name, ensure_ascii=False)}", "answers:"]
    lines += [f"  {qid}: {_flow(value)}" for qid, value in s.answers.items()]
    lines += ["expect:", f"  fires: [{s.rule}]"]
    return "\n".join(lines) + "\n"


def _flow(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, str):
        return value if value.isidentifier() else json.dumps(value, ensure_ascii=False)
    return str(value)
