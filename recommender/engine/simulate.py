"""Pathway planning: from a person's answers to a target role, step by step, with time and cost.

Plans are simulated, not assumed. Every step records the answers it would change (finishing
a program raises `education` or sets `ma_training`, a year of work raises `experience_years`,
passing an exam adds to `certifications`), and the next step is chosen on the answers as
they would then stand, through the same eligibility routes the engine uses. So a plan's
"then you can sit for the CMAA" is checked against the rule book, not hoped for.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recommender.book import conditions as C
from recommender.book.rulebook import RuleBook
from recommender.book.runtime import Certification, Program
from recommender.engine.compiled import Env
from recommender.engine.compiled import plan as compile_book

Answers = dict[str, Any]
Changes = dict[str, Any]

#: Full-time study in a clock-hour program means at least 24 clock hours a week (34 CFR 668.2(b),
#: "full-time student"). Catalog program lengths are quoted at full-time pace, so a person who
#: can study fewer hours takes proportionally longer.
FULL_TIME_HOURS = 24
#: The answer that puts a job before a credential whenever the job itself gives the experience the
#: credential asks for (a contract option id of the 'goals' question).
JOB_FIRST_WISH = ("goals", "first_job_fast")
HORIZONS = (1, 3, 5)

#: CTDL pathway component types (Credential Engine); each step kind maps onto one.
CTDL = {
    "program": "ceterms:CredentialComponent",  # degrees, diplomas and certificates are credentials in CTDL
    "bridge": "ceterms:CredentialComponent",
    "credential": "ceterms:CredentialComponent",
    "assessment": "ceterms:AssessmentComponent",
    "experience": "ceterms:WorkExperienceComponent",
    "job": "ceterms:JobComponent",
}
COURSE = "ceterms:CourseComponent"
BASIC = "ceterms:BasicComponent"
TIME_KINDS = frozenset({"program", "bridge", "credential", "experience", "assessment", "other"})
COST_KINDS = frozenset({"program", "bridge", "credential", "assessment", "membership", "other"})
STUDY_KINDS = frozenset({"program", "bridge"})
HEAVY_KINDS = frozenset({"program", "bridge", "credential", "experience", "other"})

#: How a person can change an answer by doing something. Interests, goals, settings and limits
#: are never changed: a plan works with the person as they are.
RAISE, ADD, NEW_PROGRAM = "raise", "add", "new_program"
ACTIONABLE = {"education": RAISE, "ma_training": RAISE, "experience_years": RAISE,
              "experience_areas": ADD, "other_training": ADD, "certifications": ADD,
              "ma_training_accredited": NEW_PROGRAM, "training_years_ago": NEW_PROGRAM}
#: Answers only the person can change; no plan or counterfactual ever touches them.
PREFERENCES = frozenset({"interests", "goals", "settings", "study_hours_per_week", "budget_usd", "prefers_online"})
#: What the answers say right after finishing a (new) medical assisting program.
PROGRAM_DONE = {"ma_training": "completed", "training_years_ago": 0}
#: The education a finished program of each level gives.
LEVEL_EDUCATION = {"diploma": "high_school", "associate": "associate", "bachelor": "bachelor", "master": "graduate"}


# ------------------------------------------------------------------ what finishing an item shows
_DONE: "weakref.WeakKeyDictionary[RuleBook, dict[str, C.Condition]]" = weakref.WeakKeyDictionary()
_LEARNT: "weakref.WeakKeyDictionary[RuleBook, dict[str, C.Condition]]" = weakref.WeakKeyDictionary()


def learnt_conditions(book: RuleBook) -> dict[str, C.Condition]:
    """For each item some route step names, the `unless` condition that shows it is done."""
    cached = _LEARNT.get(book)
    if cached is None:
        cached = _LEARNT[book] = {}
        for routes in book.routes.values():
            for route in routes:
                for cs in route.steps:
                    if cs.step.item is not None and cs.unless is not None:
                        cached.setdefault(cs.step.item, cs.unless)
    return cached


def done_conditions(book: RuleBook) -> dict[str, C.Condition]:
    """For each catalog item, the condition on answers that shows it is done.

    Learnt from the catalog itself: a route step that names an item is skipped `unless` a
    condition holds, and that condition is what finishing the item shows. A program's level
    adds the education it gives; a certification shows in `certifications`.
    """
    cached = _DONE.get(book)
    if cached is not None:
        return cached
    found = dict(learnt_conditions(book))
    for item in book.items.values():
        level = LEVEL_EDUCATION.get(item.level) if isinstance(item, Program) else None
        if level is not None and has_option(book, "education", level):
            edu = C.Compare("education", "at_least", level)
            found[item.id] = C.All((found[item.id], edu)) if item.id in found else edu
        elif isinstance(item, Certification) and has_option(book, "certifications", item.id):
            found[item.id] = C.Compare("certifications", "contains", item.id)
    _DONE[book] = found
    return found


def has_option(book: RuleBook, qid: str, option: str) -> bool:
    info = book.question_info.get(qid)
    return info is not None and option in info.options


Key = frozenset[tuple[str, Any]]


def _key(answers: Mapping[str, Any]) -> Key:
    # A frozenset caches its hash and needs no sorting; it is only ever looked up, never listed.
    return frozenset((k, tuple(v) if v.__class__ is list else v) for k, v in answers.items())


# ------------------------------------------------------------------ simulated answers
class State:
    """One set of answers, never changed once made, with its facts and eligibility memoised.

    A Simulator makes one State per distinct set of answers, so within it a State is its own key:
    memo tables key on the object (identity hashing) rather than on the answers.
    """

    __slots__ = ("answers", "key", "env")

    def __init__(self, answers: Answers, key: Key, env: Env) -> None:
        self.answers = answers
        self.key = key
        self.env = env

    def get(self, qid: str) -> Any:
        return self.answers.get(qid)


@dataclass(frozen=True)
class _BookShape:
    """What planning needs of a book beyond the engine's compiled form, worked out once per book."""

    orders: Mapping[str, tuple[str, ...]]
    defaults: Mapping[str, Any]
    maxima: Mapping[str, float | None]
    prepared_by: Mapping[str, tuple[str, ...]]  # certification -> programs that prepare for it
    asking: frozenset[str]  # questions whose change can make another question asked or not
    # Conditions compiled for the simulator, by id() of a condition the book (or `derived`) keeps
    # alive; each entry holds its condition too, so an id is never reused while it is cached.
    compiled: dict[int, tuple[C.Condition, C.Compiled]]
    # Conditions the simulator builds from the book's (eligibility as one `any`, a provisional
    # status lifted), made once so that they live as long as the book and keep their ids.
    derived: dict[tuple[str, int | str], C.Condition | None]


_SHAPES: "weakref.WeakKeyDictionary[RuleBook, _BookShape]" = weakref.WeakKeyDictionary()


def _shape(book: RuleBook) -> _BookShape:
    found = _SHAPES.get(book)
    if found is None:
        done = done_conditions(book)
        programs = [p for p in book.items.values() if isinstance(p, Program) and p.id in done]
        found = _SHAPES[book] = _BookShape(
            book.option_orders, {q.id: q.default for q in book.questions}, {q.id: q.max for q in book.questions},
            {c: tuple(p.id for p in programs if c in p.prepares_for) for c in book.items},
            frozenset(q for cond in book.ask_if.values() for q in C.questions_read(cond)) | frozenset(book.ask_if),
            {}, {})
    return found


class Simulator:
    """Evaluates and changes a person's answers the way doing things would; caches what it computes."""

    def __init__(self, book: RuleBook) -> None:
        shape = _shape(book)
        self.book = book
        self.compiled = compile_book(book)
        self.done = done_conditions(book)
        self.orders = shape.orders
        self.defaults = shape.defaults
        self.maxima = shape.maxima
        self.prepared_by = shape.prepared_by
        self.asking = shape.asking
        self._compiled = shape.compiled
        self._derived = shape.derived
        self._states: dict[Any, State] = {}
        self._applied: dict[Any, State | None] = {}
        self._solved: dict[Any, Changes | None] = {}

    def state(self, answers: Mapping[str, Any]) -> State:
        key = _key(answers)
        found = self._states.get(key)
        if found is None:
            plain = dict(answers)
            found = self._states[key] = State(plain, key, Env(self.book, self.compiled, plain))
        return found

    def holds(self, cond: C.Condition, state: State) -> bool:
        found = self._compiled.get(id(cond))
        if found is None:
            found = self._compiled[id(cond)] = (cond, C.compile_condition(cond, self.orders))
        return found[1](state.env)

    def not_(self, cond: C.Condition) -> C.Condition:
        """`not cond`, made once per book condition (see _BookShape.derived)."""
        key = ("not", id(cond))
        found = self._derived.get(key)
        if found is None:
            self._compiled.setdefault(id(cond), (cond, C.compile_condition(cond, self.orders)))  # keeps cond alive
            found = self._derived[key] = C.Not(cond)
        return found

    def eligibility(self, item: str) -> C.Condition | None:
        """Eligibility for an item as one condition: any of its routes' conditions (None if it has none)."""
        key = ("eligible", item)
        if key not in self._derived:
            whens = tuple(r.when for r in self.book.routes.get(item, ()) if r.when is not None)
            self._derived[key] = C.AnyOf(whens) if whens else None
        return self._derived[key]

    def eligible(self, item: str, state: State) -> bool:
        return state.env.eligible(item)

    def apply(self, state: State, changes: Mapping[str, Any]) -> State | None:
        """The answers after the changes, newly asked questions at their defaults; None if not valid."""
        if not changes:
            return state
        key = (state, _key(changes))
        if key not in self._applied:
            self._applied[key] = self._apply(state, changes)
        return self._applied[key]

    def _apply(self, state: State, changes: Mapping[str, Any]) -> State | None:
        merged = dict(state.answers)
        merged.update({q: list(v) if isinstance(v, (list, tuple)) else v for q, v in changes.items()})
        # Only questions with an ask_if can appear or vanish, and only when a question they read
        # changes; the changes themselves are valid options by construction (tests check them
        # with recommender.book.answers.resolve).
        for qid in (self.book.ask_if if self.asking.intersection(changes) else ()):
            asked = self._is_asked(qid, merged)
            if asked and qid not in merged and self.defaults.get(qid) is not None:
                default = self.defaults[qid]
                merged[qid] = list(default) if isinstance(default, list) else default
            elif not asked and qid in merged:
                if qid in changes:
                    return None
                del merged[qid]
        return self.state(merged)

    def _is_asked(self, qid: str, answers: Mapping[str, Any]) -> bool:
        # Same as recommender.book.answers.is_asked, with the option orders computed once.
        return C.evaluate(self.book.ask_if[qid], answers, self.orders, lambda _f: False, lambda _i: False)

    # -------------------------------------------------------------- the smallest change that makes a condition hold
    def satisfy(self, cond: C.Condition, state: State, negate: bool = False) -> Changes | None:
        """The smallest change a person could make to their answers that makes `cond` hold (or fail).

        {} when it already does; None when nothing a person could do would (a change of
        interests, say, or fewer years of experience).
        """
        key = (id(cond), negate, state)
        if key not in self._solved:
            self._solved[key] = self._satisfy(cond, state, negate)
        found = self._solved[key]
        return None if found is None else dict(found)

    def _satisfy(self, cond: C.Condition, state: State, negate: bool) -> Changes | None:
        if self.holds(cond, state) != negate:
            return {}
        if isinstance(cond, C.Fact):
            return self.satisfy(self.book.facts[cond.id].when, state, negate)
        if isinstance(cond, C.Not):
            return self.satisfy(cond.item, state, not negate)
        if isinstance(cond, C.Eligible):
            whens = self.eligibility(cond.item)
            return self.satisfy(whens, state) if whens is not None and not negate else None
        if isinstance(cond, (C.All, C.AnyOf)):
            if isinstance(cond, C.All) != negate:  # every part must hold (or, negated, every part fail)
                return self._every(cond.items, state, negate)
            options = [c for part in cond.items if (c := self.satisfy(part, state, negate)) is not None]
            return min(options, key=lambda c: self.cost(c, state)) if options else None
        assert isinstance(cond, C.Compare)
        return self._compare(cond, state, negate)

    def _every(self, parts: Sequence[C.Condition], state: State, negate: bool) -> Changes | None:
        changes: Changes = {}
        now: State | None = state
        for part in parts:
            assert now is not None
            more = self.satisfy(part, now, negate)
            if more is None:
                return None
            changes.update(more)
            now = self.apply(state, changes)
            if now is None:
                return None
        assert now is not None
        # Changes only raise or add, so a later part never undoes an earlier one; check anyway.
        return changes if all(self.holds(p, now) != negate for p in parts) else None

    def _compare(self, c: C.Compare, state: State, negate: bool) -> Changes | None:
        mode = ACTIONABLE.get(c.question)
        info = self.book.question_info[c.question]
        order = self.orders.get(c.question, ())
        test = C.OPERATORS[c.op].test

        def ok(value: Any) -> bool:
            return bool(test(value, c.value, order)) != negate

        current = state.get(c.question)
        if mode == RAISE and info.type == "single":
            start = order.index(current) if current in order else 0
            return next((self._asked(state, {c.question: o}) for o in order[start:] if ok(o)), None)
        if mode == RAISE and info.type == "number":
            low = int(current or 0)
            top = self.maxima.get(c.question)
            high = int(top) if top is not None else low + 60
            return next((self._asked(state, {c.question: n}) for n in range(low, high + 1) if ok(n)), None)
        if mode == ADD:
            have = list(current or ())
            named = [v for v in (c.value if isinstance(c.value, tuple) else (c.value,)) if isinstance(v, str)]
            for option in dict.fromkeys(named + list(order)):
                if option not in have and self._can_add(c.question, option, state):
                    new = [o for o in order if o in have or o == option]
                    if ok(new):
                        return self._asked(state, {c.question: new})
            new = [o for o in order if o in have or o in named]
            addable = all(self._can_add(c.question, o, state) for o in named if o not in have)
            return self._asked(state, {c.question: new}) if addable and ok(new) else None
        if mode == NEW_PROGRAM:
            for value in ((True, False) if info.type == "boolean" else (0,)):
                if ok(value):
                    done = {q: v for q, v in PROGRAM_DONE.items() if q in self.book.question_info}
                    return self._asked(state, {**done, c.question: value})
        return None

    def _can_add(self, qid: str, option: str, state: State) -> bool:
        # A credential can be earned only by someone who may sit for it.
        return qid != "certifications" or (option in self.book.items and self.eligible(option, state))

    def _asked(self, state: State, changes: Changes) -> Changes | None:
        """Add what makes each changed question asked at all (areas of work need some work)."""
        for qid in list(changes):
            cond = self.book.ask_if.get(qid)
            if cond is not None and not self._is_asked(qid, {**state.answers, **changes}):
                before = self.satisfy(cond, state)
                if before is None:
                    return None
                changes = {**before, **changes}
        return changes if self.apply(state, changes) is not None else None

    def cost(self, changes: Mapping[str, Any], state: State) -> tuple[int, float]:
        """Fewer answers changed first, then the smaller change (years, levels, items added)."""
        distance = 0.0
        for qid, value in changes.items():
            old = state.get(qid)
            order = self.orders.get(qid, ())
            if isinstance(value, list):
                distance += len(value) - len(old or ())
            elif isinstance(value, bool) or value is None:
                distance += 1
            elif isinstance(value, (int, float)):
                distance += abs(value - (old if isinstance(old, (int, float)) and not isinstance(old, bool) else 0))
            elif value in order:
                distance += order.index(value) - (order.index(old) if old in order else 0)
        return len(changes), distance


def number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
