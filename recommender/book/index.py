"""Rule indexing: a profile evaluates only the rules that can fire for it.

Each rule's condition is searched for a *necessary literal*: a comparison that
must hold whenever the whole condition holds (a conjunct of an `all`, looked up
through derived facts).  Equality-like literals on choice and yes/no questions
are indexed by answer value, like the alpha memory of a Rete network or OPA's
rule index; a profile then collects candidates with one dictionary lookup per
answer.  Rules with no indexable literal are always evaluated, so the result is
exactly that of evaluating every rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recommender.book import conditions as C

#: Operators whose true set is a finite set of answer values (or options, for multi-choice).
_SINGLE_OPS = ("equals", "one_of", "at_least", "at_most")
_MULTI_OPS = ("contains", "any_of", "all_of")


@dataclass(frozen=True)
class Key:
    """An indexable literal: the rule can fire only if the answer is (or includes) one of `values`."""

    question: str
    multi: bool
    values: frozenset[Any]


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


def key_for(literal: C.Compare, info: C.QuestionInfo) -> Key | None:
    """The index key of a literal, or None if it cannot be indexed."""
    op, value = literal.op, literal.value
    if info.type == "multi" and op in _MULTI_OPS:
        options = (value,) if op == "contains" else tuple(value)
        # all_of needs every option; any one of them is still necessary, so keep the rarest: the first.
        return Key(info.id, True, frozenset(options[:1] if op == "all_of" else options))
    if info.type in ("single", "boolean") and op in _SINGLE_OPS:
        if op == "equals":
            values: Sequence[Any] = (value,)
        elif op == "one_of":
            values = tuple(value)
        else:
            order = info.options
            rank = order.index(value)
            values = order[rank:] if op == "at_least" else order[: rank + 1]
        return Key(info.id, False, frozenset(values))
    return None


@dataclass(frozen=True)
class RuleIndex:
    """Which rules a profile can fire, found without evaluating the others."""

    by_value: Mapping[str, Mapping[Any, tuple[int, ...]]]  # question -> answer value -> rule positions
    multi: frozenset[str]
    always: tuple[int, ...]
    size: int

    @classmethod
    def build(cls, conditions: Sequence[C.Condition], facts: Mapping[str, C.Condition],
              info: Mapping[str, C.QuestionInfo]) -> RuleIndex:
        table: dict[str, dict[Any, list[int]]] = {}
        multi: set[str] = set()
        always: list[int] = []
        for position, cond in enumerate(conditions):
            keys = [k for lit in necessary_literals(cond, facts)
                    if (k := key_for(lit, info[lit.question])) is not None]
            if not keys:
                always.append(position)
                continue
            # The most selective key: the fewest matching values.
            best = min(keys, key=lambda k: (len(k.values), k.question))
            if best.multi:
                multi.add(best.question)
            for value in best.values:
                table.setdefault(best.question, {}).setdefault(value, []).append(position)
        return cls({q: {v: tuple(ps) for v, ps in vs.items()} for q, vs in table.items()},
                   frozenset(multi), tuple(always), len(conditions))

    def candidates(self, answers: Mapping[str, Any]) -> list[int]:
        """Positions of the rules that may fire, in rule order."""
        found = set(self.always)
        for question, table in self.by_value.items():
            answer = answers.get(question)
            if answer is None:
                continue
            if question in self.multi:
                for option in answer:
                    found.update(table.get(option, ()))
            else:
                found.update(table.get(answer, ()))
        return sorted(found)

    @property
    def indexed(self) -> int:
        return self.size - len(self.always)
