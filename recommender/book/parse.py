"""Parsing the condition language: YAML data to a checked condition tree.

Every question, option, fact and item a condition names is checked against the book's
vocabulary here, with every problem collected and located by its key inside the condition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from recommender.book.conditions import (
    COMBINATORS,
    OPERATORS,
    REFERENCES,
    TRUE,
    All,
    AnyOf,
    Compare,
    Condition,
    Eligible,
    Fact,
    Not,
    Operator,
    QuestionInfo,
    Vocabulary,
)
from recommender.suggest import did_you_mean, show


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
