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

from recommender.suggest import did_you_mean, show

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


@dataclass(frozen=True)
class ConditionError:
    key: tuple[str | int, ...]  # path inside the condition
    message: str


def parse(raw: Any, vocab: Vocabulary) -> tuple[Condition, list[ConditionError]]:
    """Turn YAML data into a condition tree, collecting every problem found."""
    errors: list[ConditionError] = []
    cond = _parse(raw, (), vocab, errors)
    return cond, errors


def _parse(raw: Any, key: tuple[str | int, ...], vocab: Vocabulary, errors: list[ConditionError]) -> Condition:
    if not isinstance(raw, dict):
        errors.append(ConditionError(key, f"expected a condition (a mapping such as {{fact: ...}}), got {show(raw)}"))
        return TRUE
    if not raw:
        errors.append(ConditionError(key, "empty condition; write {all: []} for one that always holds"))
        return TRUE
    heads = [k for k in raw if k in COMBINATORS or k in REFERENCES]
    if len(heads) != 1:
        known = COMBINATORS + REFERENCES
        if not heads:
            name = next(iter(raw))
            errors.append(ConditionError(key + (name,), f"unknown condition '{name}'{did_you_mean(name, known + tuple(OPERATORS))}; "
                                         f"expected one of {', '.join(known)}"))
        else:
            errors.append(ConditionError(key, f"a condition has exactly one of {', '.join(known)}; found {', '.join(heads)}"))
        return TRUE
    head = heads[0]
    if head in ("all", "any"):
        _only(raw, {head}, key, errors)
        items = raw[head]
        if not isinstance(items, list):
            errors.append(ConditionError(key + (head,), f"expected a list of conditions, got {show(items)}"))
            return TRUE
        parts = tuple(_parse(c, key + (head, i), vocab, errors) for i, c in enumerate(items))
        return All(parts) if head == "all" else AnyOf(parts)
    if head == "not":
        _only(raw, {head}, key, errors)
        return Not(_parse(raw["not"], key + ("not",), vocab, errors))
    if head == "fact":
        _only(raw, {head}, key, errors)
        name = raw["fact"]
        if not isinstance(name, str) or name not in vocab.facts:
            errors.append(ConditionError(key + ("fact",), f"unknown derived fact {show(name)}"
                                         f"{did_you_mean(name, vocab.facts)}"))
        return Fact(str(name))
    if head == "eligible":
        _only(raw, {head}, key, errors)
        name = raw["eligible"]
        if not isinstance(name, str) or name not in vocab.items:
            errors.append(ConditionError(key + ("eligible",), f"unknown catalog item {show(name)}"
                                         f"{did_you_mean(name, vocab.items)}"))
        return Eligible(str(name))
    return _parse_compare(raw, key, vocab, errors)


def _only(raw: dict[str, Any], allowed: set[str], key: tuple[str | int, ...], errors: list[ConditionError]) -> None:
    for extra in raw:
        if extra not in allowed:
            errors.append(ConditionError(key + (extra,), f"unexpected key '{extra}' beside '{next(iter(allowed))}'"))


def _parse_compare(raw: dict[str, Any], key: tuple[str | int, ...], vocab: Vocabulary,
                   errors: list[ConditionError]) -> Condition:
    qid = raw["answer"]
    question = vocab.questions.get(qid) if isinstance(qid, str) else None
    if question is None:
        errors.append(ConditionError(key + ("answer",), f"unknown question {show(qid)}"
                                     f"{did_you_mean(qid, vocab.questions)}"))
    ops = [k for k in raw if k != "answer"]
    if len(ops) != 1:
        if not ops:
            errors.append(ConditionError(key, "a comparison needs one operator, e.g. {answer: education, equals: high_school}"))
        else:
            errors.append(ConditionError(key, f"a comparison takes exactly one operator; found {', '.join(ops)}"))
        return TRUE
    op_name = ops[0]
    op = OPERATORS.get(op_name)
    if op is None:
        errors.append(ConditionError(key + (op_name,), f"unknown operator '{op_name}'"
                                     f"{did_you_mean(op_name, OPERATORS)}; expected one of {', '.join(OPERATORS)}"))
        return TRUE
    if question is None:
        return TRUE
    if question.type not in op.types:
        fits = [name for name, o in OPERATORS.items() if question.type in o.types]
        errors.append(ConditionError(key + (op_name,), f"'{op_name}' does not apply to the {question.type} question "
                                     f"'{question.id}'; use one of {', '.join(fits)}"))
        return TRUE
    value = _check_value(raw[op_name], op, question, key + (op_name,), errors)
    return Compare(question.id, op_name, value)


def _check_value(value: Any, op: Operator, q: QuestionInfo, key: tuple[str | int, ...],
                 errors: list[ConditionError]) -> Any:
    def bad(msg: str) -> Any:
        errors.append(ConditionError(key, msg))
        return value

    def option(v: Any, at: tuple[str | int, ...]) -> bool:
        if not isinstance(v, str) or v not in q.options:
            errors.append(ConditionError(at, f"{show(v)} is not an option of '{q.id}'{did_you_mean(v, q.options)}; "
                                         f"options are {', '.join(q.options)}"))
            return False
        return True

    def number(v: Any) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    if op.arg == "flag":
        return value if isinstance(value, bool) else bad(f"expected true or false, got {show(value)}")
    if op.arg == "number":
        return value if number(value) else bad(f"expected a number, got {show(value)}")
    if op.arg == "range":
        if not (isinstance(value, list) and len(value) == 2 and all(number(v) for v in value)):
            return bad(f"expected [low, high], two numbers, got {show(value)}")
        if value[0] > value[1]:
            return bad(f"the range [{value[0]}, {value[1]}] is empty: low is above high")
        return tuple(value)
    if op.arg == "option":
        option(value, key)
        return value
    if op.arg == "options" or (op.arg == "values" and q.type == "single"):
        if not isinstance(value, list) or not value:
            return bad(f"expected a non-empty list of options of '{q.id}', got {show(value)}")
        for i, v in enumerate(value):
            option(v, key + (i,))
        return tuple(value)
    if op.arg == "values":  # number question
        if not isinstance(value, list) or not value or not all(number(v) for v in value):
            return bad(f"expected a non-empty list of numbers, got {show(value)}")
        return tuple(value)
    # "value": depends on the question type
    if q.type == "single":
        option(value, key)
    elif q.type == "boolean" and not isinstance(value, bool):
        bad(f"expected true or false, got {show(value)}")
    elif q.type == "number" and not number(value):
        bad(f"expected a number, got {show(value)}")
    return value


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
    return tuple(leaf.id for leaf in _leaves(cond, Fact))  # type: ignore[attr-defined]


def items_used(cond: Condition) -> tuple[str, ...]:
    """Catalog items whose eligibility a condition tests."""
    return tuple(leaf.item for leaf in _leaves(cond, Eligible))  # type: ignore[attr-defined]


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
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"
