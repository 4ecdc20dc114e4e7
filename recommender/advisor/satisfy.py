"""Can a condition ever hold? An exact search over the few answers that matter to it.

Every answer a condition can read takes finitely many *kinds* of value: single choices and
booleans have their options; a number only matters relative to the constants the rule book
compares it with; a multi-select only matters through the options conditions name.  The
search assigns those representative values in questionnaire order (so `ask_if` is always
decided before the question it guards), evaluates the condition in three-valued logic on
the partial answers, and backtracks as soon as the condition is decided false.  It follows
the engine's semantics exactly: an unasked question has no answer, a question with a
default always has one, derived facts and eligibility routes are expanded.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from recommender.book import conditions as C
from recommender.book.rulebook import RuleBook
from recommender.book.runtime import Question

_OTHER = "\x00other"  # stands for every option no condition names
Tri = bool | None
# Steps (answers tried) one search may take.  The shipped book's hardest condition takes a few
# dozen; a condition over many independent questions can take 2^n, so the search stops here and
# the condition is "undecided" (see Solver.decide) rather than hanging `rules check`.
MAX_STEPS = 20_000


class _OutOfSteps(Exception):
    pass


def book_conditions(book: RuleBook) -> Iterator[C.Condition]:
    """Every condition in a rule book: rules, facts, routes, steps, provisional statuses, ask_if."""
    yield from book.ask_if.values()
    yield from (f.when for f in book.facts.values())
    yield from (r.when for r in book.rules)
    for routes in book.routes.values():
        for route in routes:
            yield from (c for c in (route.when, route.relevant_if) if c is not None)
            yield from (s.unless for s in route.steps if s.unless is not None)
    for provs in book.provisional.values():
        yield from (p.when for p in provs)


def compares(cond: C.Condition) -> Iterator[C.Compare]:
    """The comparisons written in a condition (not through facts)."""
    if isinstance(cond, C.Compare):
        yield cond
    elif isinstance(cond, (C.All, C.AnyOf)):
        for part in cond.items:
            yield from compares(part)
    elif isinstance(cond, C.Not):
        yield from compares(cond.item)


class Solver:
    """Decides conditions over one rule book, and finds example answers that satisfy them."""

    def __init__(self, book: RuleBook, budget: int = MAX_STEPS) -> None:
        self.book = book
        self.budget = budget
        self.steps = 0  # over every search, for tests that count work instead of timing it
        self.undecided: list[C.Condition] = []  # conditions whose search ran out of steps, first seen first
        self.questions: dict[str, Question] = {q.id: q for q in book.questions}
        self.position = {q.id: i for i, q in enumerate(book.questions)}
        self.orders = book.option_orders
        self._facts = {k: f.when for k, f in book.facts.items()}
        self._routes = {item: [r.when for r in routes if r.when is not None] for item, routes in book.routes.items()}
        self._constants: dict[str, set[float]] = {}
        self._named: dict[str, set[str]] = {}
        for cond in book_conditions(book):
            self._note(cond)
        self._cache: dict[C.Condition, dict[str, Any] | None] = {}

    # ------------------------------------------------------------ public
    def satisfiable(self, cond: C.Condition) -> bool:
        """Whether some valid answers make the condition hold; an undecided condition may hold (True)."""
        return self.decide(cond) is not False

    def decide(self, cond: C.Condition) -> Tri:
        """True or False when the search settles it, None when it ran out of steps."""
        if self.example(cond) is not None:
            return True
        return None if cond in self.undecided else False

    def implies(self, a: C.Condition, b: C.Condition) -> bool:
        """Whether every answers that make `a` hold also make `b` hold."""
        return not self.satisfiable(C.All((a, C.Not(b))))

    def example(self, cond: C.Condition) -> dict[str, Any] | None:
        """Answers (as an answers file would hold them) under which `cond` holds, or None."""
        try:
            found = self._cache[cond] if cond in self._cache else None
            cached = cond in self._cache
        except TypeError:  # a hand-built condition holding a list: just do not cache it
            found, cached = None, False
        if not cached:
            search = _Search(self, cond)
            try:
                found = search.run()
            except _OutOfSteps:
                found = None
                if cond not in self.undecided:
                    self.undecided.append(cond)
            finally:
                self.steps += search.steps
            if found is not None:
                found = self._complete(found)
            try:
                self._cache[cond] = found
            except TypeError:
                pass
        return dict(found) if found is not None else None

    def _complete(self, answers: dict[str, Any]) -> dict[str, Any]:
        """Add any-valued answers to required questions the condition does not read."""
        for q in self.book.questions:
            if not q.required or q.id in answers:
                continue
            guard = self.book.ask_if.get(q.id)
            if guard is not None and not C.evaluate(guard, answers, self.orders, lambda _f: False,
                                                     lambda _i: False):
                continue
            info = self.book.question_info[q.id]
            if q.default is not None:
                answers[q.id] = q.default
            elif info.type in ("single", "multi"):
                answers[q.id] = info.options[0] if info.type == "single" else [info.options[0]]
            elif info.type == "boolean":
                answers[q.id] = False
            else:
                answers[q.id] = self.numbers(q.id, set())[0]
        return dict(sorted(answers.items(), key=lambda kv: self.position[kv[0]]))

    # ------------------------------------------------------------ what a condition needs
    def _note(self, cond: C.Condition) -> None:
        for cmp in compares(cond):
            info = self.book.question_info.get(cmp.question)
            if info is None:
                continue
            values = cmp.value if isinstance(cmp.value, tuple) else (cmp.value,)
            if info.type == "number":
                self._constants.setdefault(cmp.question, set()).update(
                    float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool))
            elif info.type == "multi":
                self._named.setdefault(cmp.question, set()).update(v for v in values if isinstance(v, str))

    def reads(self, cond: C.Condition) -> list[str]:
        """Questions the condition depends on, with those their ask_if reads, in questionnaire order."""
        found = set(C.questions_read(cond, self._facts, self._routes))
        todo = list(found)
        while todo:
            guard = self.book.ask_if.get(todo.pop())
            if guard is not None:
                for qid in C.questions_read(guard):
                    if qid not in found:
                        found.add(qid)
                        todo.append(qid)
        return sorted(found, key=self.position.__getitem__)

    def numbers(self, qid: str, extra: set[float]) -> list[float | int]:
        """One value from every stretch of a number question that the constants mark off."""
        q = self.questions[qid]
        points = set(self._constants.get(qid, set())) | extra
        points |= {b for b in (q.min, q.max) if b is not None}
        if not points:
            points = {0.0}
        ordered = sorted(points)
        candidates = set(ordered) | {ordered[0] - 1, ordered[-1] + 1}
        candidates |= {(a + b) / 2 for a, b in zip(ordered, ordered[1:])}
        if q.integer:
            candidates = {float(f(x)) for x in candidates for f in (math.floor, math.ceil)}
        inside = sorted(x for x in candidates
                        if (q.min is None or x >= q.min) and (q.max is None or x <= q.max))
        return [int(x) if x.is_integer() else x for x in inside]

    def members(self, qid: str, extra: set[str]) -> list[str]:
        """The options of a multi question that conditions name, plus one stand-in for the rest."""
        options = self.orders.get(qid, ())
        named = self._named.get(qid, set()) | extra
        out = [o for o in options if o in named]
        if len(out) < len(options):
            out.append(_OTHER)
        return out


class _Search:
    """One backtracking search for answers that make a condition hold."""

    def __init__(self, solver: Solver, cond: C.Condition) -> None:
        self.s = solver
        self.cond = cond
        book = solver.book
        extra_numbers: dict[str, set[float]] = {}
        extra_named: dict[str, set[str]] = {}
        for cmp in compares(cond):
            info = book.question_info.get(cmp.question)
            values = cmp.value if isinstance(cmp.value, tuple) else (cmp.value,)
            if info is not None and info.type == "number":
                extra_numbers.setdefault(cmp.question, set()).update(
                    float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool))
            elif info is not None and info.type == "multi":
                extra_named.setdefault(cmp.question, set()).update(v for v in values if isinstance(v, str))
        self.order = solver.reads(cond)
        self.domain: dict[str, list[Any]] = {}
        for qid in self.order:
            info = book.question_info[qid]
            if info.type == "number":
                self.domain[qid] = solver.numbers(qid, extra_numbers.get(qid, set()))
            elif info.type == "single":
                self.domain[qid] = list(info.options)
            elif info.type == "boolean":
                self.domain[qid] = [False, True]
            else:
                self.domain[qid] = solver.members(qid, extra_named.get(qid, set()))
        self.steps = 0
        self.scalar: dict[str, Any] = {}
        self.multi: dict[str, dict[str, bool]] = {}
        self.asked: dict[str, bool] = {}

    def run(self) -> dict[str, Any] | None:
        return self._answers() if self._step(0) else None

    # ------------------------------------------------------------ search
    def _count(self) -> None:
        self.steps += 1
        if self.steps > self.s.budget:
            raise _OutOfSteps

    def _step(self, i: int) -> bool:
        self._count()
        verdict = self.tri(self.cond)
        if verdict is not None or i == len(self.order):
            return verdict is True
        qid = self.order[i]
        q = self.s.questions[qid]
        guard = self.s.book.ask_if.get(qid)
        decided = self.tri(guard) if guard is not None else True
        for asked in ((decided,) if decided is not None else (False, True)):
            self.asked[qid] = asked
            if self.s.book.question_info[qid].type == "multi":
                self.multi[qid] = {}
                if self._members(qid, 0, asked, i):
                    return True
                del self.multi[qid]
                continue
            choices: list[Any] = list(self.domain[qid]) if asked else []
            if not asked or (q.default is None and not q.required):
                choices.insert(0, None)
            for value in choices:
                self.scalar[qid] = value
                if self._step(i + 1):
                    return True
            self.scalar.pop(qid, None)
        return False

    def _members(self, qid: str, k: int, asked: bool, i: int) -> bool:
        options = self.domain[qid]
        if k == len(options):
            return self._step(i + 1)
        self._count()
        for value in ((False, True) if asked else (False,)):
            self.multi[qid][options[k]] = value
            if self.tri(self.cond) is not False and self._members(qid, k + 1, asked, i):
                return True
        del self.multi[qid][options[k]]
        return False

    def _answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for qid in self.order:
            if not self.asked.get(qid):
                continue
            q = self.s.questions[qid]
            if qid in self.multi:
                chosen = self.multi[qid]
                options = self.s.orders[qid]
                rest = [o for o in options if o not in self.domain[qid]]
                value: Any = [o for o in options if chosen.get(o)] + (rest[:1] if chosen.get(_OTHER) else [])
            else:
                value = self.scalar.get(qid)
                if value is None:
                    continue
            if q.required or value != q.default:
                out[qid] = value
        return out

    # ------------------------------------------------------------ three-valued evaluation
    def tri(self, cond: C.Condition) -> Tri:
        """True, False, or None while the answers it reads are not all chosen yet."""
        if isinstance(cond, C.Compare):
            return self._compare(cond)
        if isinstance(cond, C.All):
            return _and(self.tri(c) for c in cond.items)
        if isinstance(cond, C.AnyOf):
            return _or(self.tri(c) for c in cond.items)
        if isinstance(cond, C.Not):
            inner = self.tri(cond.item)
            return None if inner is None else not inner
        if isinstance(cond, C.Fact):
            return self.tri(self.s.book.facts[cond.id].when)
        routes = self.s.book.routes.get(cond.item, ())
        if not routes:
            return True
        return _or(self.tri(r.when) if r.when is not None else False for r in routes)

    def _compare(self, cmp: C.Compare) -> Tri:
        info = self.s.book.question_info[cmp.question]
        if info.type != "multi":
            if cmp.question not in self.scalar:
                return None
            return bool(C.OPERATORS[cmp.op].test(self.scalar[cmp.question], cmp.value, self.s.orders[cmp.question]))
        chosen = self.multi.get(cmp.question)
        if chosen is None:
            return None
        if cmp.op == "answered":
            answered = _or(chosen.get(o) for o in self.domain[cmp.question])
            return None if answered is None else answered == cmp.value
        values = cmp.value if isinstance(cmp.value, tuple) else (cmp.value,)
        found = [chosen.get(v) for v in values]
        if cmp.op == "all_of":
            return _and(found)
        hit = _or(found)
        if cmp.op == "none_of":
            return None if hit is None else not hit
        return hit  # contains, any_of


def _and(values: Iterator[Tri] | list[Tri]) -> Tri:
    unknown = False
    for v in values:
        if v is False:
            return False
        unknown = unknown or v is None
    return None if unknown else True


def _or(values: Iterator[Tri] | list[Tri]) -> Tri:
    unknown = False
    for v in values:
        if v is True:
            return True
        unknown = unknown or v is None
    return None if unknown else False


def example_answers(book: RuleBook, cond: C.Condition) -> Mapping[str, Any] | None:
    """Shortcut: answers under which `cond` holds, or None when no answers can."""
    return Solver(book).example(cond)
