"""Pathway planning: from a person's answers to a target role, step by step, with time and cost.

Plans are simulated, not assumed. Every step records the answers it would change (finishing
a program raises `education` or sets `ma_training`, a year of work raises `experience_years`,
passing an exam adds to `certifications`), and the next step is chosen on the answers as
they would then stand, through the same eligibility routes the engine uses. So a plan's
"then you can sit for the CMAA" is checked against the rule book, not hoped for.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from recommender.book import conditions as C
from recommender.book.answers import resolve
from recommender.book.catalog import Certification, Program, Role
from recommender.engine.recommend import _Env  # the engine's memoised facts and eligibility, reused so both agree
from recommender.engine.recommend import plan as compile_book
from recommender.book.model import CitedRange
from recommender.engine.result import Pathway, PlanStep, Recommendation, Result, Span, Step, YearView
from recommender.book.rulebook import CompiledRoute, RuleBook

Answers = dict[str, Any]
Changes = dict[str, Any]

#: Full-time study in a clock-hour program means at least 24 clock hours a week (34 CFR 668.2(b),
#: "full-time student"). Catalog program lengths are quoted at full-time pace, so a person who
#: can study fewer hours takes proportionally longer.
FULL_TIME_HOURS = 24
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
#: Plain words for reaching each education level (option ids are a public contract).
EDUCATION_WORDS = {"high_school": "earn a high-school diploma or GED", "some_college": "take some college courses",
                   "associate": "earn an associate degree", "bachelor": "earn a bachelor's degree",
                   "graduate": "earn a master's degree or higher"}


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
        if level is not None and _has_option(book, "education", level):
            edu = C.Compare("education", "at_least", level)
            found[item.id] = C.All((found[item.id], edu)) if item.id in found else edu
        elif isinstance(item, Certification) and _has_option(book, "certifications", item.id):
            found[item.id] = C.Compare("certifications", "contains", item.id)
    _DONE[book] = found
    return found


def _has_option(book: RuleBook, qid: str, option: str) -> bool:
    info = book.question_info.get(qid)
    return info is not None and option in info.options


def _key(answers: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(answers.items()))


# ------------------------------------------------------------------ simulated answers
class State:
    """One set of answers, never changed once made, with its facts and eligibility memoised."""

    __slots__ = ("answers", "key", "env")

    def __init__(self, answers: Answers, key: tuple[tuple[str, Any], ...], env: _Env) -> None:
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


_SHAPES: "weakref.WeakKeyDictionary[RuleBook, _BookShape]" = weakref.WeakKeyDictionary()


def _shape(book: RuleBook) -> _BookShape:
    found = _SHAPES.get(book)
    if found is None:
        done = done_conditions(book)
        programs = [p for p in book.items.values() if isinstance(p, Program) and p.id in done]
        found = _SHAPES[book] = _BookShape(
            book.option_orders, {q.id: q.default for q in book.questions}, {q.id: q.max for q in book.questions},
            {c: tuple(p.id for p in programs if c in p.prepares_for) for c in book.items},
            frozenset(q for cond in book.ask_if.values() for q in C.questions_read(cond)) | frozenset(book.ask_if))
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
        self._states: dict[Any, State] = {}
        self._applied: dict[Any, State | None] = {}
        self._solved: dict[Any, Changes | None] = {}

    def state(self, answers: Mapping[str, Any]) -> State:
        key = _key(answers)
        found = self._states.get(key)
        if found is None:
            plain = dict(answers)
            found = self._states[key] = State(plain, key, _Env(self.book, self.compiled, plain))
        return found

    def holds(self, cond: C.Condition, state: State) -> bool:
        return C.evaluate(cond, state.answers, self.orders, state.env.fact, state.env.eligible)

    def eligible(self, item: str, state: State) -> bool:
        return state.env.eligible(item)

    def apply(self, state: State, changes: Mapping[str, Any]) -> State | None:
        """The answers after the changes, newly asked questions at their defaults; None if not valid."""
        if not changes:
            return state
        key = (state.key, _key(changes))
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
        key = (id(cond), negate, state.key)
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
            whens = tuple(r.when for r in self.book.routes.get(cond.item, ()) if r.when is not None)
            return self.satisfy(C.AnyOf(whens), state) if whens and not negate else None
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


# ------------------------------------------------------------------ changes in words
def describe_changes(book: RuleBook, before: Mapping[str, Any], changes: Mapping[str, Any]) -> str:
    """What a person would do to change their answers this way, in one plain sentence."""
    parts: list[str] = []
    info = book.question_info
    if "education" in changes:
        parts.append(EDUCATION_WORDS.get(changes["education"], f"reach '{changes['education']}' education"))
    training = changes.get("ma_training")
    if training is not None:
        accredited = changes.get("ma_training_accredited", before.get("ma_training_accredited"))
        kind = "a CAAHEP- or ABHES-accredited medical assisting program" if accredited else \
            "a medical assisting or medical office program"
        if training == "in_progress":
            parts.append(f"enrol in {kind}")
        elif before.get("ma_training") == "in_progress" and "ma_training_accredited" not in changes:
            parts.append("finish the program you are enrolled in")
        else:
            parts.append(f"finish {kind}" if before.get("ma_training") != "completed" else f"finish a new {kind[2:]}")
    elif "training_years_ago" in changes or "ma_training_accredited" in changes:
        parts.append("finish a new medical assisting program")
    years = changes.get("experience_years")
    added = [a for a in changes.get("experience_areas", ()) if a not in (before.get("experience_areas") or ())]
    area_words = C.join_words([info["experience_areas"].option_labels.get(a, a) for a in added]) if added else ""
    if years is not None:
        unit = "year" if years == 1 else "years"
        parts.append(f"work until you have {years:g} {unit} of supervised healthcare work"
                     + (f", including {area_words}" if area_words else ""))
    elif added:
        parts.append(f"take on {area_words} in your work")
    new_training = [t for t in changes.get("other_training", ()) if t not in (before.get("other_training") or ())]
    for t in new_training:
        label = info["other_training"].option_labels.get(t, t)
        parts.append(f"complete {label}")
    earned = [c for c in changes.get("certifications", ()) if c not in (before.get("certifications") or ())]
    if earned:
        parts.append(f"earn the {C.join_words([book.item_name(c) for c in earned])}")
    text = C.join_words(parts) if parts else "no change"
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------ steps
def _span(r: CitedRange | None) -> Span | None:
    return Span(r.min, r.max) if r is not None else None


def _sources(*ranges: CitedRange | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for r in ranges if r is not None for s in r.sources))


def _months_of_work(changes: Mapping[str, Any], before: State) -> Span | None:
    years = changes.get("experience_years")
    if not isinstance(years, (int, float)):
        return None
    gained = years - (before.get("experience_years") or 0)
    return Span(12.0 * gained, 12.0 * gained) if gained > 0 else None


def _ordered_changes(book: RuleBook, changes: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    order = {q.id: i for i, q in enumerate(book.questions)}
    return tuple((q, list(v) if isinstance(v, (list, tuple)) else v)
                 for q, v in sorted(changes.items(), key=lambda kv: order.get(kv[0], len(order))))


@dataclass(frozen=True)
class Way:
    """One way to become able to start an item: the route, its steps, and what follows."""

    route: str | None
    steps: tuple[PlanStep, ...]
    after: State
    verified: bool | None
    residual: int  # requirements met only by a 'meet the rest' step, not by the catalog's steps


@dataclass(frozen=True)
class Draft:
    """One complete way to a role, before plans are compared and dressed as Pathways."""

    steps: tuple[PlanStep, ...]
    later: tuple[PlanStep, ...]
    state: State
    verified: bool | None
    route: str | None
    credential: str | None
    credential_route: str | None
    residual: int
    order: int

    @property
    def shape(self) -> tuple[tuple[str, str], ...]:
        return tuple((s.kind, s.text) for s in self.steps)


@dataclass(frozen=True)
class Totals:
    months: Span | None
    cost: Span | None
    unknown_time: tuple[str, ...]
    unknown_cost: tuple[str, ...]
    study: Span | None
    heavy: int


def totals(steps: Sequence[Step]) -> Totals:
    """Add up the sourced time and cost of steps; name the ones that have none."""
    months = cost = study = None
    unknown_time: list[str] = []
    unknown_cost: list[str] = []
    heavy = 0
    for s in steps:
        if s.kind in TIME_KINDS:
            if s.months is not None:
                months = s.months if months is None else months + s.months
                if s.kind in STUDY_KINDS:
                    study = s.months if study is None else study + s.months
            elif not (isinstance(s, PlanStep) and s.basis == "program"):
                # An exam a program in the plan prepares for adds no time of its own.
                unknown_time.append(s.text)
        if s.kind in COST_KINDS:
            if s.cost_usd is not None:
                cost = s.cost_usd if cost is None else cost + s.cost_usd
            else:
                unknown_cost.append(s.text)
        heavy += s.kind in HEAVY_KINDS
    return Totals(months, cost, tuple(unknown_time), tuple(unknown_cost), study, heavy)


class Planner(Simulator):
    """Plans pathways to roles for one person."""

    def __init__(self, book: RuleBook, answers: Mapping[str, Any]) -> None:
        super().__init__(book)
        self.start = self.state(answers)
        self._ways: dict[Any, tuple[Way, ...]] = {}
        self._grown: dict[Any, State | None] = {}
        self._exams: dict[Any, tuple[tuple[PlanStep, ...], tuple[PlanStep, ...], State]] = {}

    def grown(self, state: State, years: int) -> State | None:
        """The answers after some more years of work (for the years-ahead view)."""
        key = (state.key, years)
        if key not in self._grown:
            now = _number(state.get("experience_years")) or 0
            top = self.maxima.get("experience_years")
            self._grown[key] = self.apply(state, {"experience_years": int(min(top if top is not None else 50,
                                                                              now + years))})
        return self._grown[key]

    # -------------------------------------------------------------- single steps
    def _route_step(self, step: Any, changes: Changes, state: State) -> PlanStep:
        book = self.book
        ordered = _ordered_changes(book, changes)
        months, cost = _span(step.duration_months), _span(step.cost_usd)
        sources = _sources(step.duration_months, step.cost_usd)
        if step.item is None:
            kind = step.type or "other"
            basis = "catalog" if months is not None else None
            if months is None and kind == "experience":
                months = _months_of_work(changes, state)
                basis = "requirement" if months is not None else None
            label = _work_label(months, step.action) if kind == "experience" else _short(step.action)
            return PlanStep(kind, step.action, None, months, cost, None, CTDL.get(kind, BASIC), ordered, basis,
                            sources, label)
        target = book.items[step.item]
        name = book.item_name(target.id)
        if isinstance(target, Program):
            kind = "bridge" if target.level == "bridge" else "program"
            ctdl = COURSE if target.level == "course" else CTDL[kind]
            own = (target.duration_months, target.cost_usd)
            text = f"Complete {name}"
        elif isinstance(target, Certification):
            kind, ctdl = "credential", CTDL["credential"]
            own = (target.duration_months, target.fee_usd)
            text = f"Earn {name}"
        else:
            kind, ctdl = "experience", CTDL["experience"]
            own = (None, None)
            text = f"Work as {name}"
        months = _span(own[0]) or months
        cost = _span(own[1]) or cost
        sources = tuple(dict.fromkeys(_sources(*own) + sources))
        return PlanStep(kind, text, target.id, months, cost, None, ctdl, ordered,
                        "catalog" if months is not None else None, sources, name)

    def follow(self, item_id: str, route: CompiledRoute, state: State) -> Way | None:
        """Walk one eligibility route from `state`: the steps still to take and the answers after."""
        steps: list[PlanStep] = []
        for cs in route.steps:
            if cs.unless is not None and self.holds(cs.unless, state):
                continue
            shows = cs.unless if cs.unless is not None else self.done.get(cs.step.item or "")
            changes = (self.satisfy(shows, state) if shows is not None else None) or {}
            after = self.apply(state, changes)
            if after is None:
                return None
            steps.append(self._route_step(cs.step, changes, state))
            state = after
        if route.when is None:
            return Way(route.route.id, tuple(steps), state, None, 0)
        if self.holds(route.when, state):
            return Way(route.route.id, tuple(steps), state, True, 0)
        # The route's own steps do not cover all it asks: meet the rest directly.
        rest = self.satisfy(route.when, state)
        after = self.apply(state, rest) if rest is not None else None
        if rest is None or after is None:
            return None
        work = set(rest) <= {"experience_years", "experience_areas"}
        months = _months_of_work(rest, state) if work else None
        what = describe_changes(self.book, state.answers, rest)
        lead = "this route also asks for it" if steps else f"for: {_lower(route.route.requirement.rstrip('.'))}"
        steps.append(PlanStep("experience" if work else "other", f"{what} ({lead})",
                              item_id, months, None, None, CTDL["experience"] if work else BASIC,
                              _ordered_changes(self.book, rest), "requirement" if months else None, (),
                              _work_label(months, what) if work else _short(what)))
        return Way(route.route.id, tuple(steps), after, True, 1)

    def ways(self, item_id: str, state: State) -> tuple[Way, ...]:
        """Every way to become able to start an item from `state` (just one when it is open already)."""
        key = (item_id, state.key)
        if key not in self._ways:
            self._ways[key] = self._find_ways(item_id, state)
        return self._ways[key]

    def _find_ways(self, item_id: str, state: State) -> tuple[Way, ...]:
        env = state.env
        routes = self.book.routes.get(item_id, ())
        compiled = self.compiled.routes.get(item_id, ())
        if env.eligible(item_id):
            met = next((r.route.id for r, (when, _, _) in zip(routes, compiled) if when is not None and when(env)), None)
            return (Way(met, (), state, True, 0),)
        # A route is offered when its relevant_if holds; without one, when it has a condition or
        # steps (routes with neither only describe a case the answers cannot show).
        offered = [r for r, (when, relevant, _) in zip(routes, compiled)
                   if (relevant(env) if relevant is not None else (when is not None or bool(r.steps)))]
        found = tuple(w for r in offered if (w := self.follow(item_id, r, state)) is not None)
        if found:
            return found
        name = self.book.item_name(item_id)
        text = f"Ask about the requirements for {name}; your answers do not show a way to qualify yet"
        return (Way(None, (PlanStep("other", text, item_id, label=f"{name} requirements"),), state, None, 1),)

    def exam(self, cert: Certification, state: State) -> tuple[tuple[PlanStep, ...], tuple[PlanStep, ...], State]:
        """Join the issuer if it asks, sit the exam; and what a provisional status asks afterwards."""
        key = (cert.id, state.key)
        if key not in self._exams:
            self._exams[key] = self._exam(cert, state)
        return self._exams[key]

    def _exam(self, cert: Certification, state: State) -> tuple[tuple[PlanStep, ...], tuple[PlanStep, ...], State]:
        book = self.book
        issuer = book.item_name(cert.issuer)
        name = book.item_name(cert.id)
        steps: list[PlanStep] = []
        if cert.membership is not None:
            steps.append(PlanStep("membership", f"Join {issuer}: {cert.membership.value}", cert.issuer,
                                  sources=cert.membership.sources, label=f"{issuer} membership"))
        prepared = any(self.holds(self.done[p], state) for p in self.prepared_by[cert.id])
        months = _span(cert.duration_months)
        basis = "catalog" if months is not None else ("program" if prepared else None)
        fee = f" (fee: {cert.fee.value})" if cert.fee is not None and cert.fee_usd is None else ""
        changes: Changes = {}
        if _has_option(book, "certifications", cert.id):
            held = list(state.get("certifications") or ())
            changes = {"certifications": [o for o in self.orders["certifications"] if o in held or o == cert.id]}
        steps.append(PlanStep("assessment", f"Register for the {name} exam with {issuer}{fee}", cert.id, months,
                              _span(cert.fee_usd), None, CTDL["assessment"], _ordered_changes(book, changes), basis,
                              _sources(cert.duration_months, cert.fee_usd), f"{name} exam"))
        after = self.apply(state, changes) or state
        later: list[PlanStep] = []
        for prov in book.provisional.get(cert.id, ()):
            if self.holds(prov.when, state):
                p = prov.provisional
                lift = self.satisfy(C.Not(prov.when), after) or {}
                work = _months_of_work(lift, after)
                ways = [r.rstrip(".") for r in p.removal]
                how = "; or ".join([ways[0]] + [w[:1].lower() + w[1:] for w in ways[1:]])
                later.append(PlanStep("provisional", f"Remove the {p.name} status: {how}",
                                      cert.id, work, None, None, BASIC, _ordered_changes(book, lift),
                                      "requirement" if work else None, p.sources, f"{p.name} removed"))
                break
        return tuple(steps), tuple(later), after

    # -------------------------------------------------------------- whole plans
    def drafts(self, role: Role, credentials: Sequence[str]) -> list[Draft]:
        """Every combination of a way to the role, a credential (or none) and a way to that credential."""
        out: list[Draft] = []
        name = self.book.item_name(role.id)
        job = PlanStep("job", f"Apply for {name} positions", role.id, ctdl=CTDL["job"], label=f"{name} job")
        for way in self.ways(role.id, self.start):
            if not credentials:
                out.append(Draft(way.steps + (job,), (), way.after, way.verified, way.route, None, None,
                                 way.residual, len(out)))
            for cred in credentials:
                cert = self.book.items[cred]
                assert isinstance(cert, Certification)
                for c_way in self.ways(cred, way.after):
                    exam, later, after = self.exam(cert, c_way.after)
                    out.append(Draft(way.steps + c_way.steps + exam + (job,), later, after,
                                     _both(way.verified, c_way.verified), way.route, cred, c_way.route,
                                     way.residual + c_way.residual, len(out)))
        return out


def _short(text: str) -> str:
    """A short label for a step written in words: its first clause."""
    for stop in (",", ";", " (", " if ", " until ", " within ", " and "):
        if stop in text:
            text = text[:text.index(stop)]
    return text


def _work_label(months: Span | None, text: str) -> str:
    if months is None or months.min != months.max:
        return _short(text)
    years = months.max / 12
    return f"{years:g} year{'' if years == 1 else 's'} of work"


def _lower(label: str) -> str:
    """Lower-case a label's first letter unless it starts an abbreviation (MA, CMAA)."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _both(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


# ------------------------------------------------------------------ choosing and dressing plans
def _top(span: Span | None) -> float:
    return span.max if span is not None else 0.0


def _bottom(span: Span | None) -> float:
    return span.min if span is not None else 0.0


def _usd(value: float) -> str:
    return f"${value:,.0f}"


def _usd_span(span: Span) -> str:
    return _usd(span.min) if span.min == span.max else f"{_usd(span.min)}–{_usd(span.max)}"


def _month_span(span: Span) -> str:
    unit = "month" if span.max == 1 else "months"
    return f"{span.min:g} {unit}" if span.min == span.max else f"{span.min:g}–{span.max:g} {unit}"


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


class PathwayBuilder:
    """Chooses among a role's drafts and explains the choice: alternatives, limits, the years ahead."""

    def __init__(self, planner: Planner, role: Role, fits: bool, score: int) -> None:
        self.p = planner
        self.book = planner.book
        self.role = role
        self.fits = fits
        self.score = score
        self.budget = _number(planner.start.get("budget_usd"))
        self.hours = _number(planner.start.get("study_hours_per_week"))

    def build(self, drafts: list[Draft], preferred: Sequence[str], notes: Sequence[str],
              recommended: frozenset[str] = frozenset()) -> Pathway:
        rank = {c: i for i, c in enumerate(preferred)}
        sums = {d.order: totals(d.steps) for d in drafts}

        def recommended_key(d: Draft) -> tuple[Any, ...]:
            # The credential ranked best, then routes through the programs recommended to the
            # person, then the lightest and quickest.
            t = sums[d.order]
            uses = sum(1 for s in d.steps if s.kind in STUDY_KINDS and s.item in recommended)
            return (rank.get(d.credential or "", len(rank)), d.residual, -uses, t.heavy, len(t.unknown_time),
                    _top(t.months), _bottom(t.months), d.order)

        def fastest_key(d: Draft) -> tuple[Any, ...]:
            t = sums[d.order]
            return (d.residual, len(t.unknown_time), _top(t.months), _bottom(t.months), t.heavy, d.order)

        def cheapest_key(d: Draft) -> tuple[Any, ...]:
            t = sums[d.order]
            return (d.residual, len(t.unknown_cost), _top(t.cost), _bottom(t.cost), _top(t.months), d.order)

        def study_key(d: Draft) -> tuple[Any, ...]:
            t = sums[d.order]
            unknown = sum(1 for s in d.steps if s.kind in STUDY_KINDS and s.months is None)
            return (d.residual, unknown, _top(t.study), _top(t.months), d.order)

        main = min(drafts, key=recommended_key)
        chosen: list[tuple[str, Draft]] = []

        def offer(label: str, draft: Draft) -> None:
            # One plan may be both the cheapest and the one with least study: name it once, for both.
            if draft.shape == main.shape:
                return
            for i, (old, d) in enumerate(chosen):
                if d.shape == draft.shape:
                    chosen[i] = (old if label in old else f"{old}, {label}", d)
                    return
            chosen.append((label, draft))

        def faster(d: Draft) -> bool:
            # Only claim what the sources show: sooner on sourced time, with no more unsourced steps.
            a, b = sums[d.order], sums[main.order]
            return len(a.unknown_time) <= len(b.unknown_time) and (
                _top(a.months) < _top(b.months) or (len(a.unknown_time) < len(b.unknown_time)
                                                    and _top(a.months) <= _top(b.months)))

        def cheaper(d: Draft) -> bool:
            a, b = sums[d.order], sums[main.order]
            return len(a.unknown_cost) <= len(b.unknown_cost) and (
                _top(a.cost) < _top(b.cost) or (len(a.unknown_cost) < len(b.unknown_cost)
                                                and _top(a.cost) <= _top(b.cost)))

        fastest = min(drafts, key=fastest_key)
        if faster(fastest):
            offer("fastest", fastest)
        cheapest = min(drafts, key=cheapest_key)
        flags = self._budget_flags(sums[main.order])
        if self.budget is not None and not _fits(sums[main.order], self.budget):
            affordable = [d for d in drafts if _fits(sums[d.order], self.budget)]
            if affordable:
                best = min(affordable, key=cheapest_key)
                offer("cheapest, within your budget" if best is cheapest else "within your budget", best)
        if cheaper(cheapest):
            offer("cheapest", cheapest)
        paced: Pathway | None = None
        study = self._study_flag(sums[main.order])
        slow = self._paced_draft(main) if study is not None and self.hours else None
        if study is not None:
            flags.append(study)
            least = min(drafts, key=study_key)
            if _top(sums[least.order].study) < _top(sums[main.order].study):
                offer("less study", least)
            elif slow is not None:
                paced = self._paced(slow)
        if main.verified is None:
            sure = [d for d in drafts if d.verified and not d.residual]
            if sure:
                offer("sure route", min(sure, key=recommended_key))
        alternatives = [self._dress(d, label) for label, d in chosen] + ([paced] if paced else [])
        # Below full-time study, the years ahead follow the person's own pace.
        years = self._years(slow, paced=True) if slow is not None else self._years(main)
        return replace(self._dress(main, "recommended"), flags=tuple(flags),
                       notes=tuple(notes) + self._unshown(main), alternatives=tuple(alternatives), years=years)

    def _dress(self, d: Draft, label: str) -> Pathway:
        t = totals(d.steps)
        return Pathway(self.role.id, self.role.name, d.steps, t.months, t.cost, len(t.unknown_cost),
                       len(t.unknown_time), label, self.fits, self.score, d.route, d.credential, d.credential_route,
                       d.verified, d.later, unknown_time=t.unknown_time, unknown_cost=t.unknown_cost)

    def _unshown(self, d: Draft) -> tuple[str, ...]:
        """Say which requirements the answers cannot confirm, and who decides them."""
        out = []
        for item_id, route_id in ((self.role.id, d.route), (d.credential, d.credential_route)):
            route = next((r.route for r in self.book.routes.get(item_id or "", ()) if r.route.id == route_id), None)
            if route is not None and route.when is None and item_id is not None:
                item = self.book.items[item_id]
                who = self.book.item_name(item.issuer) if isinstance(item, Certification) else \
                    "the school, employer or licensing board"
                out.append(f"Your answers cannot show whether you meet this requirement for "
                           f"{self.book.item_name(item_id)}, so {who} decides: {route.requirement.rstrip('.')}.")
        return tuple(out)

    def _budget_flags(self, t: Totals) -> list[str]:
        if self.budget is None:
            return []
        budget = _usd(self.budget)
        if t.cost is not None and t.cost.min > self.budget:
            return [f"Over your budget: the costs we can price come to {_usd_span(t.cost)}, more than your {budget}."]
        if t.cost is not None and t.cost.max > self.budget:
            return [f"May go over your budget: the costs we can price come to {_usd_span(t.cost)}, against your "
                    f"{budget}."]
        if t.unknown_cost:
            fits = f"the {_usd_span(t.cost)} we can price fits your {budget}" if t.cost else \
                "our sources give no price for any of it"
            steps = C.join_words([f"'{s}'" for s in t.unknown_cost])
            have = "1 step has" if len(t.unknown_cost) == 1 else f"{len(t.unknown_cost)} steps have"
            return [f"Check prices before you commit: {have} no sourced cost ({steps}); {fits}."]
        return []

    def _study_flag(self, t: Totals) -> str | None:
        if self.hours is None or self.hours >= FULL_TIME_HOURS or t.study is None:
            return None
        if self.hours <= 0:
            return (f"Study time: this plan includes {_month_span(t.study)} of programs, but you said you have no "
                    "time to study each week.")
        return (f"Study time: this plan includes {_month_span(t.study)} of programs quoted at full-time pace (at "
                f"least {FULL_TIME_HOURS} hours a week, the federal definition of full-time study); at the "
                f"{self.hours:g} hours a week you have, they will take longer.")

    def _paced_draft(self, d: Draft) -> Draft:
        assert self.hours
        factor = FULL_TIME_HOURS / self.hours
        steps = tuple(replace(s, months=Span(float(math.ceil(s.months.min * factor)),
                                             float(math.ceil(s.months.max * factor))),
                              basis="pace")
                      if s.kind in STUDY_KINDS and s.months is not None else s for s in d.steps)
        return replace(d, steps=steps)

    def _paced(self, slow: Draft) -> Pathway:
        """The plan with its programs stretched to the person's study hours (an estimate)."""
        assert self.hours
        note = (f"An estimate: program lengths multiplied by {FULL_TIME_HOURS} ÷ {self.hours:g} (full-time hours "
                "over yours); part-time schedules differ from school to school.")
        return replace(self._dress(slow, "at your pace"), notes=(note,))

    # -------------------------------------------------------------- the years ahead
    def _years(self, d: Draft, paced: bool = False) -> tuple[YearView, ...]:
        """Where the plan stands after 1, 3 and 5 years if each step takes its longest sourced time.

        A step whose time no source gives (a GED, an EHR course) leaves everything after it
        uncertain: those steps are 'possibly' done, never 'done'. Exam preparation is the
        exception, as it runs alongside the rest.
        """
        ends: list[tuple[PlanStep, float, float, float, bool]] = []  # step, earliest start, earliest end, latest end
        low = high = 0.0
        certain = True
        for step in d.steps:
            start = low
            if step.months is not None:
                low, high = low + step.months.min, high + step.months.max
            elif step.kind in TIME_KINDS and step.kind != "assessment":
                certain = False
            ends.append((step, start, low, high, certain))
        unsourced = len(totals(d.steps).unknown_time)
        _, _, job_low, job_high, job_certain = ends[-1]
        out = []
        for year in HORIZONS:
            h = 12.0 * year
            done = tuple(s.label or s.text for s, _, _, hi, sure in ends[:-1] if sure and hi <= h)
            maybe = tuple(s.label or s.text for s, _, lo, hi, sure in ends[:-1] if lo <= h and not (sure and hi <= h))
            going = tuple(s.label or s.text for s, start, lo, _, _ in ends[:-1] if start <= h < lo)
            underway = maybe + going
            working = job_certain and job_high <= h
            years_in = int((h - job_high) // 12) if working else 0
            done += tuple(s.label or s.text for s in d.later
                          if working and s.months is not None and job_high + s.months.max <= h)
            open_roles = self._open_roles(d.state, years_in)
            summary = self._year_words(year, done, maybe, going, working, years_in, open_roles, job_low, unsourced)
            if paced:
                summary = summary.replace(f"Year {year}:", f"Year {year}, at your {self.hours:g} hours a week "
                                          "(estimated):", 1)
            out.append(YearView(year, summary, done, underway, working, open_roles))
        return tuple(out)

    def _open_roles(self, state: State, years_in: int) -> tuple[str, ...]:
        if years_in <= 0 or _number(state.get("experience_years")) is None:
            return ()
        closed = [r for r in self.role.next_roles if not self.p.eligible(r, state)]
        if not closed:
            return ()
        grown = self.p.grown(state, years_in)
        return tuple(r for r in closed if grown is not None and self.p.eligible(r, grown))

    def _year_words(self, year: int, done: tuple[str, ...], maybe: tuple[str, ...], going: tuple[str, ...],
                    working: bool, years_in: int, open_roles: tuple[str, ...], job_low: float, unsourced: int) -> str:
        name = self.book.item_name(self.role.id)
        parts = []
        for label, steps in (("done", done), ("possibly done", maybe), ("under way", going)):
            if steps:
                parts.append(f"{label}: {C.join_words([_lower(x) for x in steps])}")
        if working and years_in:
            now = ", if you are hired now" if job_low == 0 and len(done) == 0 else ""
            parts.append(f"about {years_in} year{'s' if years_in > 1 else ''} of work as {name}{now}")
        elif working:
            parts.append(f"ready to apply for {name} positions")
        elif job_low <= 12 * year:
            parts.append(f"possibly ready to apply for {name} positions")
        else:
            parts.append(f"not yet ready to apply for {name} positions")
        if open_roles:
            parts.append("that experience would also meet the requirements for "
                         f"{C.join_words([self.book.item_name(r) for r in open_roles])}")
        text = "; ".join(parts)
        if unsourced:
            count = "1 step" if unsourced == 1 else f"{unsourced} steps"
            text += f" (leaving out the time of {count} whose duration is not sourced)"
        return f"Year {year}: {text[:1].upper()}{text[1:]}."


def _fits(t: Totals, budget: float) -> bool:
    """Surely within budget: every cost priced, and the highest total no more than the budget."""
    return not t.unknown_cost and (t.cost is None or t.cost.max <= budget)


# ------------------------------------------------------------------ public entry points
def plan_role(book: RuleBook, answers: Mapping[str, Any], role_id: str, recommendations: Sequence[Recommendation],
              excluded: Sequence[str] = (), fits: bool = True, score: int = 0,
              planner: Planner | None = None) -> Pathway:
    """The pathway to one role, with alternatives, limits and a 1-, 3- and 5-year view."""
    planner = planner or Planner(book, answers)
    role = book.items[role_id]
    assert isinstance(role, Role)
    held = set(planner.start.get("certifications") or ())
    ranked = [r.id for r in recommendations if r.kind == "certification" and r.id in role.credentials]
    notes: list[str] = []
    already = [c for c in role.credentials if c in held]
    credentials: list[str] = []
    if already:
        notes.append(f"You already hold {C.join_words([book.item_name(c) for c in already])}, which employers "
                     "look for in this role.")
    elif ranked:
        credentials = ranked
    elif fits:
        if role.credentials:
            names = C.join_words([book.item_name(c) for c in role.credentials], "or")
            notes.append(f"Employers in this role look for {names}; none of them fits your answers yet "
                         "(recommender explain ANSWERS ITEM says why).")
    else:
        credentials = [c for c in role.credentials if c not in excluded]
    if not fits:
        notes.insert(0, f"This role does not match your answers so far (fit score {score}); the plan shows what "
                        "it would take.")
    drafts = planner.drafts(role, credentials)
    recommended = frozenset(r.id for r in recommendations)
    return PathwayBuilder(planner, role, fits, score).build(drafts, credentials, notes, recommended)


def plan_pathways(book: RuleBook, answers: Mapping[str, Any],
                  recommendations: Sequence[Recommendation]) -> tuple[Pathway, ...]:
    """A pathway to each recommended role, in the order the roles are ranked."""
    planner = Planner(book, answers)
    return tuple(plan_role(book, answers, r.id, recommendations, (), True, r.score, planner)
                 for r in recommendations if r.kind == "role")


def plan_for(book: RuleBook, result: Result, answers: Mapping[str, Any], role_id: str) -> Pathway:
    """The pathway to a role the person names, recommended or not."""
    rec = result.get(role_id)
    if rec is not None:
        return plan_role(book, answers, role_id, result.recommendations, (), True, rec.score)
    low = next((n for n in result.not_recommended if n.id == role_id), None)
    excluded = [n.id for n in result.not_recommended if n.reason == "excluded"]
    return plan_role(book, answers, role_id, result.recommendations, excluded, False, low.score if low else 0)


def replay(book: RuleBook, answers: Mapping[str, Any], steps: Sequence[Step]) -> Answers:
    """The answers after doing the steps in order, each checked against the questionnaire."""
    state: Answers = dict(answers)
    for step in steps:
        changes = dict(step.changes) if isinstance(step, PlanStep) else {}
        resolved, problems = resolve(book, {**state, **changes})
        if problems:
            raise ValueError(f"step '{step.text}' leaves invalid answers: {problems}")
        state = resolved
    return state
