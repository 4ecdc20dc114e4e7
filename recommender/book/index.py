"""Rule indexing: a profile finds the rules that fire without evaluating them one by one.

Each rule's condition is read, through `all` and derived facts, as a conjunction of
comparisons.  Comparisons on single-choice and yes/no questions are tried at build time
against every possible answer; "includes" comparisons on multi-choice questions are indexed
by option; number comparisons by sorted thresholds.  Rule positions are bits of an int, and a
profile ANDs one bitmap per slot (see `slots`), as the counting algorithm for boolean
expression indexing counts satisfied conjuncts.  A rule that is nothing but indexed
comparisons fires exactly when all of them hold, so it is never evaluated; any other rule
(one with `any`, `not`, eligibility, or a comparison the index cannot take) is evaluated when
the comparisons it needs hold.  The result is exactly that of evaluating every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recommender.book import conditions as C
from recommender.book.slots import (
    Choice,
    Includes,
    Number,
    Slot,
    bitmap,
    bound,
    positions,
)

_BOUNDS = ("gte", "gt", "lte", "lt")


def necessary_literals(cond: C.Condition, facts: Mapping[str, C.Condition],
                       _seen: frozenset[str] = frozenset()) -> list[C.Compare]:
    """Comparisons that hold whenever `cond` holds."""
    if isinstance(cond, C.Compare):
        return [cond]
    if isinstance(cond, C.All):
        out: list[C.Compare] = []
        for part in cond.items:
            out.extend(necessary_literals(part, facts, _seen))
        return out
    if isinstance(cond, C.Fact) and cond.id in facts and cond.id not in _seen:
        return necessary_literals(facts[cond.id], facts, _seen | {cond.id})
    return []  # any, not, eligible: nothing is necessary on its own


def conjunction(cond: C.Condition, facts: Mapping[str, C.Condition],
                _seen: frozenset[str] = frozenset()) -> list[C.Compare] | None:
    """The comparisons `cond` is the conjunction of, or None if it is not one (any, not, eligible)."""
    if isinstance(cond, C.Compare):
        return [cond]
    if isinstance(cond, C.All):
        out: list[C.Compare] = []
        for part in cond.items:
            found = conjunction(part, facts, _seen)
            if found is None:
                return None
            out.extend(found)
        return out
    if isinstance(cond, C.Fact) and cond.id in facts and cond.id not in _seen:
        return conjunction(facts[cond.id], facts, _seen | {cond.id})
    return None


def _number(value: Any) -> bool:
    return type(value) in (int, float) and value == value


def parts(literal: C.Compare, info: C.QuestionInfo) -> list[tuple[str, Any]] | None:
    """What a comparison becomes in the index: one (kind, argument) per slot it takes, or None.

    Kinds: "choice" (the comparison itself, tried on every answer), "includes" (options, any of
    which will do), a bound operator with its threshold, or "equal" (numbers, any of which will do).
    """
    op, value = literal.op, literal.value
    operator = C.OPERATORS.get(op)
    if operator is None or info.type not in operator.types:
        return None
    if info.type in ("single", "boolean"):
        return [("choice", literal)]
    if info.type == "multi":
        if op == "contains":
            return [("includes", (value,))]
        if op == "any_of":
            return [("includes", tuple(value))]
        if op == "all_of":
            return [("includes", (option,)) for option in value]
        return None  # none_of, answered
    if info.type == "number":
        if op in _BOUNDS and _number(value):
            return [(op, value)]
        if op == "between" and all(_number(v) for v in value):
            return [("gte", value[0]), ("lte", value[1])]
        if op == "equals" and _number(value):
            return [("equal", (value,))]
        if op == "one_of" and all(_number(v) for v in value):
            return [("equal", tuple(value))]
    return None


def _domain(info: C.QuestionInfo) -> tuple[Any, ...]:
    return (True, False, None) if info.type == "boolean" else (*info.options, None)


def _holds(literals: Sequence[C.Compare], answer: Any, order: Sequence[str]) -> bool:
    return all(C.OPERATORS[lit.op].test(answer, lit.value, order) for lit in literals)


@dataclass(frozen=True)
class RuleIndex:
    """Which rules a profile fires, found with one bitmap per slot."""

    slots: tuple[Slot, ...]
    inexact: int  # the rules the index cannot decide alone: evaluated when the index lets them through
    size: int
    indexed: int  # rules with at least one comparison in the index

    @classmethod
    def build(cls, conditions: Sequence[C.Condition], facts: Mapping[str, C.Condition],
              info: Mapping[str, C.QuestionInfo]) -> RuleIndex:
        choices: dict[str, dict[int, list[C.Compare]]] = {}  # question -> rule -> its comparisons
        # (question, n) -> kind -> argument -> rules: the nth indexed comparison of each rule on a question
        others: dict[tuple[str, int], dict[str, dict[Any, list[int]]]] = {}
        held: dict[tuple[str, int], list[int]] = {}  # the rules with an nth comparison (some list no argument)
        inexact: list[int] = []
        indexed = 0
        for position, cond in enumerate(conditions):
            literals = conjunction(cond, facts)
            exact = literals is not None
            taken: dict[str, int] = {}
            placed = False
            for lit in literals if literals is not None else necessary_literals(cond, facts):
                q = info.get(lit.question)
                found = parts(lit, q) if q is not None else None
                if found is None:
                    exact = False
                    continue
                placed = True
                for kind, arg in found:
                    if kind == "choice":
                        choices.setdefault(lit.question, {}).setdefault(position, []).append(arg)
                        continue
                    n = taken[lit.question] = taken.get(lit.question, -1) + 1
                    held.setdefault((lit.question, n), []).append(position)
                    table = others.setdefault((lit.question, n), {}).setdefault(kind, {})
                    for key in arg if kind in ("includes", "equal") else (arg,):
                        table.setdefault(key, []).append(position)
            if placed:
                indexed += 1
            if not exact:
                inexact.append(position)
        size = len(conditions)
        slots: list[Slot] = [cls._choice(q, rules, info[q], size) for q, rules in choices.items()]
        slots.extend(cls._other(key[0], kinds, held[key], info[key[0]], size) for key, kinds in others.items())
        return cls(tuple(slots), bitmap(inexact, size), size, indexed)

    @staticmethod
    def _choice(question: str, rules: Mapping[int, list[C.Compare]], info: C.QuestionInfo, size: int) -> Choice:
        constrained = bitmap(rules, size)
        free = ((1 << size) - 1) ^ constrained
        alike: dict[tuple[C.Compare, ...], list[int]] = {}  # rules with the same comparisons: tried once
        for p, lits in rules.items():
            alike.setdefault(tuple(lits), []).append(p)
        table = {answer: free | bitmap((p for lits, ps in alike.items() if _holds(lits, answer, info.options)
                                        for p in ps), size)
                 for answer in _domain(info)}
        return Choice(question, constrained, table)

    @staticmethod
    def _other(question: str, kinds: Mapping[str, Mapping[Any, list[int]]], held: Sequence[int],
               info: C.QuestionInfo, size: int) -> Includes | Number:
        each = {kind: {key: bitmap(ps, size) for key, ps in table.items()} for kind, table in kinds.items()}
        constrained = bitmap(held, size)  # an empty one_of or any_of holds for no answer: constrained, listed nowhere
        free = ((1 << size) - 1) ^ constrained
        if info.type == "multi":
            return Includes(question, constrained, free, each.get("includes", {}))
        return Number(question, constrained, free, tuple(bound(op, each[op]) for op in _BOUNDS if op in each),
                      each.get("equal", {}))

    def _masks(self, answers: Mapping[str, Any]) -> tuple[int, int]:
        found = (1 << self.size) - 1
        check = self.inexact
        for slot in self.slots:
            mask = slot.mask(answers.get(slot.question))
            if mask is None:  # an answer the slot cannot judge: evaluation decides those rules
                check |= slot.constrained
            else:
                found &= mask
        return found, found & check

    def fired(self, answers: Mapping[str, Any], holds: Callable[[int], bool]) -> list[int]:
        """Positions of the rules that fire, in rule order; `holds` evaluates those the index cannot decide."""
        found, check = self._masks(answers)
        sure = positions(found & ~check)
        if not check:
            return sure
        return sorted(sure + [p for p in positions(check) if holds(p)])  # two sorted runs: a linear merge

    def candidates(self, answers: Mapping[str, Any]) -> list[int]:
        """Positions of the rules whose indexed comparisons all hold (a superset of those that fire), in order."""
        return positions(self._masks(answers)[0])

    def evaluated(self, answers: Mapping[str, Any]) -> list[int]:
        """Positions of the rules `fired` hands to evaluation, in order."""
        return positions(self._masks(answers)[1])
