"""The condition language: one registry of operators for parsing, evaluation and plain words.

A condition is plain YAML data: ``{all: [...]}``, ``{any: [...]}``, ``{not: ...}``,
``{fact: ID}``, ``{eligible: ITEM}`` or ``{answer: QUESTION, OP: VALUE}``.  Parsing checks
every id against the questionnaire, the derived facts and the catalog, so evaluation
never meets an unknown name.  Nothing is ever evaluated as code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, Union

ArgKind = Literal["value", "values", "number", "range", "flag", "option", "options"]
Answer = Any


@dataclass(frozen=True)
class Operator:
    """A comparison on one answer: which question types it takes, and what it means."""

    name: str
    types: frozenset[str]
    arg: ArgKind
    test: Callable[[Answer, Any, Sequence[str]], bool]
    words: str  # plain-language template: {q} is the question label, {v} the value
    summary: str


def _rank(order: Sequence[str], value: Any) -> int:
    return order.index(value) if value in order else -1


def _multi(answer: Answer) -> Sequence[Any]:
    return answer if isinstance(answer, (list, tuple)) else ()


OPERATORS: dict[str, Operator] = {
    op.name: op
    for op in (
        Operator("equals", frozenset({"single", "number", "boolean"}), "value",
                 lambda a, v, _o: a is not None and a == v, "{q} is {v}", "the answer equals the value"),
        Operator("one_of", frozenset({"single", "number"}), "values",
                 lambda a, v, _o: a is not None and a in v, "{q} is {v}",
                 "the answer is one of the listed values"),
        Operator("gt", frozenset({"number"}), "number",
                 lambda a, v, _o: a is not None and a > v, "{q} is more than {v}", "greater than"),
        Operator("gte", frozenset({"number"}), "number",
                 lambda a, v, _o: a is not None and a >= v, "{q} is at least {v}", "greater than or equal to"),
        Operator("lt", frozenset({"number"}), "number",
                 lambda a, v, _o: a is not None and a < v, "{q} is less than {v}", "less than"),
        Operator("lte", frozenset({"number"}), "number",
                 lambda a, v, _o: a is not None and a <= v, "{q} is at most {v}", "less than or equal to"),
        Operator("between", frozenset({"number"}), "range",
                 lambda a, v, _o: a is not None and v[0] <= a <= v[1], "{q} is between {v}",
                 "between two numbers, both included"),
        Operator("at_least", frozenset({"single"}), "option",
                 lambda a, v, o: a is not None and _rank(o, a) >= _rank(o, v), "{q} is {v} or higher",
                 "at or after the option in the question's order"),
        Operator("at_most", frozenset({"single"}), "option",
                 lambda a, v, o: a is not None and 0 <= _rank(o, a) <= _rank(o, v), "{q} is {v} or lower",
                 "at or before the option in the question's order"),
        Operator("contains", frozenset({"multi"}), "option",
                 lambda a, v, _o: v in _multi(a), "{q} include {v}", "the choices include the option"),
        Operator("any_of", frozenset({"multi"}), "options",
                 lambda a, v, _o: any(x in _multi(a) for x in v), "{q} include any of {v}",
                 "the choices include at least one of the options"),
        Operator("all_of", frozenset({"multi"}), "options",
                 lambda a, v, _o: all(x in _multi(a) for x in v), "{q} include all of {v}",
                 "the choices include every one of the options"),
        Operator("none_of", frozenset({"multi"}), "options",
                 lambda a, v, _o: not any(x in _multi(a) for x in v), "{q} include none of {v}",
                 "the choices include none of the options"),
        Operator("answered", frozenset({"single", "multi", "number", "boolean"}), "flag",
                 lambda a, v, _o: (a is not None and a != [] and a != ()) == v, "{q} {v}",
                 "true when the question has an answer, false when it has none"),
    )
}

COMBINATORS = ("all", "any", "not")
REFERENCES = ("fact", "eligible", "answer")


# ---------------------------------------------------------------- the tree
@dataclass(frozen=True)
class All:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


@dataclass(frozen=True)
class Fact:
    id: str


@dataclass(frozen=True)
class Eligible:
    item: str


@dataclass(frozen=True)
class Compare:
    question: str
    op: str
    value: Any


Condition = Union[All, AnyOf, Not, Fact, Eligible, Compare]
TRUE: Condition = All(())


# ---------------------------------------------------------------- parsing
@dataclass(frozen=True)
class QuestionInfo:
    """What parsing and wording need to know of a question."""

    id: str
    type: str
    label: str
    options: tuple[str, ...] = ()
    option_labels: Mapping[str, str] = field(default_factory=dict)
    integer: bool = False


@dataclass(frozen=True)
class Vocabulary:
    """The names a condition may use."""

    questions: Mapping[str, QuestionInfo]
    facts: frozenset[str]
    items: frozenset[str]


# ---------------------------------------------------------------- what a condition reads
def questions_read(cond: Condition, facts: Mapping[str, Condition] | None = None,
                   eligibility: Mapping[str, Sequence[Condition]] | None = None,
                   _seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Question ids a condition reads, through facts and eligibility, in first-use order."""
    out: list[str] = []

    def walk(c: Condition, seen: frozenset[str]) -> None:
        if isinstance(c, Compare):
            if c.question not in out:
                out.append(c.question)
        elif isinstance(c, (All, AnyOf)):
            for part in c.items:
                walk(part, seen)
        elif isinstance(c, Not):
            walk(c.item, seen)
        elif isinstance(c, Fact) and facts is not None and c.id in facts and c.id not in seen:
            walk(facts[c.id], seen | {c.id})
        elif isinstance(c, Eligible) and eligibility is not None and c.item not in seen:
            for route in eligibility.get(c.item, ()):
                walk(route, seen | {c.item})

    walk(cond, _seen)
    return tuple(out)


def facts_used(cond: Condition) -> tuple[str, ...]:
    """Derived facts named directly in a condition."""
    return tuple(leaf.id for leaf in _leaves(cond, Fact) if isinstance(leaf, Fact))


def items_used(cond: Condition) -> tuple[str, ...]:
    """Catalog items whose eligibility a condition tests."""
    return tuple(leaf.item for leaf in _leaves(cond, Eligible) if isinstance(leaf, Eligible))


def _leaves(cond: Condition, kind: type) -> list[Condition]:
    out: list[Condition] = []

    def walk(c: Condition) -> None:
        if isinstance(c, kind):
            if c not in out:
                out.append(c)
        elif isinstance(c, (All, AnyOf)):
            for part in c.items:
                walk(part)
        elif isinstance(c, Not):
            walk(c.item)

    walk(cond)
    return out


# ---------------------------------------------------------------- evaluation
Answers = Mapping[str, Any]


class Env(Protocol):
    """What evaluation reads: the answers, derived facts and eligibility (both lazy)."""

    answers: Answers

    def fact(self, name: str) -> bool: ...

    def eligible(self, item: str) -> bool: ...


Compiled = Callable[[Env], bool]


def compile_condition(cond: Condition, orders: Mapping[str, Sequence[str]]) -> Compiled:
    """Compile a condition once into a plain function of an Env."""
    if isinstance(cond, Compare):
        test = OPERATORS[cond.op].test
        qid, value, order = cond.question, cond.value, tuple(orders.get(cond.question, ()))
        return lambda env: bool(test(env.answers.get(qid), value, order))
    if isinstance(cond, All):
        parts = tuple(compile_condition(c, orders) for c in cond.items)
        if not parts:
            return lambda env: True
        return lambda env: all(p(env) for p in parts)
    if isinstance(cond, AnyOf):
        parts = tuple(compile_condition(c, orders) for c in cond.items)
        return lambda env: any(p(env) for p in parts)
    if isinstance(cond, Not):
        inner = compile_condition(cond.item, orders)
        return lambda env: not inner(env)
    if isinstance(cond, Fact):
        name = cond.id
        return lambda env: env.fact(name)
    item = cond.item
    return lambda env: env.eligible(item)


def evaluate(cond: Condition, answers: Answers, orders: Mapping[str, Sequence[str]],
             fact: Callable[[str], bool], eligible: Callable[[str], bool]) -> bool:
    """The reference evaluator: walks the tree directly (used to check compiled code)."""
    if isinstance(cond, Compare):
        return bool(OPERATORS[cond.op].test(answers.get(cond.question), cond.value, orders.get(cond.question, ())))
    if isinstance(cond, All):
        return all(evaluate(c, answers, orders, fact, eligible) for c in cond.items)
    if isinstance(cond, AnyOf):
        return any(evaluate(c, answers, orders, fact, eligible) for c in cond.items)
    if isinstance(cond, Not):
        return not evaluate(cond.item, answers, orders, fact, eligible)
    if isinstance(cond, Fact):
        return fact(cond.id)
    return eligible(cond.item)


# ---------------------------------------------------------------- plain words
def describe(cond: Condition, questions: Mapping[str, QuestionInfo],
             fact_text: Mapping[str, str], item_names: Mapping[str, str]) -> str:
    """The condition in plain words, for explanations and advisors."""
    if isinstance(cond, Compare):
        q = questions[cond.question]
        op = OPERATORS[cond.op]
        return op.words.format(q=q.label, v=_words_value(cond, q))
    if isinstance(cond, (All, AnyOf)):
        if not cond.items:
            return "always" if isinstance(cond, All) else "never"
        parts = [describe(c, questions, fact_text, item_names) for c in cond.items]
        if len(parts) == 1:
            return parts[0]
        joiner = " and " if isinstance(cond, All) else " or "
        return "(" + joiner.join(parts) + ")"
    if isinstance(cond, Not):
        inner = describe(cond.item, questions, fact_text, item_names)
        return f"it is not the case that {inner}"
    if isinstance(cond, Fact):
        return fact_text.get(cond.id, cond.id)
    return f"eligible for {item_names.get(cond.item, cond.item)}"


def _words_value(cond: Compare, q: QuestionInfo) -> str:
    v = cond.value
    if cond.op == "answered":
        return "is answered" if v else "is not answered"
    if cond.op == "between":
        return f"{_num(v[0])} and {_num(v[1])}"
    if isinstance(v, tuple):
        names = [q.option_labels.get(x, str(x)) if isinstance(x, str) else _num(x) for x in v]
        return join_words(names, "or" if cond.op in ("one_of", "any_of", "none_of") else "and")
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, str):
        return q.option_labels.get(v, v)
    return _num(v)


def _num(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def join_words(words: Sequence[str], last: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    from recommender.i18n import _

    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    template = {"and": _("{items} and {last}"), "or": _("{items} or {last}")}.get(last, f"{{items}} {last} {{last}}")
    return template.format(items=", ".join(words[:-1]), last=words[-1])
