"""Answers: validate them against the questionnaire and build a Profile."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from recommender.book.conditions import evaluate
from recommender.book.rulebook import RuleBook
from recommender.book.runtime import Question
from recommender.book.yamlio import (
    MAX_DIGITS,
    MAX_NUMBER,
    Document,
    YamlProblem,
    load_file,
)
from recommender.errors import AnswersError, Problem
from recommender.i18n import _
from recommender.safetext import first_unsafe
from recommender.suggest import did_you_mean, show

TOP_LEVEL_KEYS = ("answers", "name", "notes", "expect", "status")
STATUSES = ("in_progress", "completed")


@dataclass(frozen=True)
class Profile:
    """Validated answers, with defaults filled in for every question that is asked."""

    answers: Mapping[str, Any]
    given: frozenset[str] = frozenset()  # question ids the person answered explicitly
    name: str | None = None
    source: str | None = None
    ignored: tuple[str, ...] = ()  # questions not asked whose empty answers were dropped

    def __post_init__(self) -> None:
        object.__setattr__(self, "answers", MappingProxyType(dict(self.answers)))

    def get(self, qid: str) -> Any:
        return self.answers.get(qid)


@dataclass
class AnswersFile:
    """An answers file as read: the validated profile plus the optional extra blocks."""

    profile: Profile
    expect: Any = None
    status: str | None = None
    notes: str | None = None
    doc: Document | None = field(default=None, repr=False)


def check_answer(question: Question, value: Any, options: tuple[str, ...]) -> tuple[Any, str | None]:
    """Normalise one answer; return (value, None) or (value, what is wrong)."""
    t = question.type
    if t == "boolean":
        if not isinstance(value, bool):
            return value, _("expected true or false, got {value}").format(value=show(value))
        return value, None
    if t == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value, _("expected a number, got {value}").format(value=show(value))
        if isinstance(value, float) and not math.isfinite(value):
            return value, _("expected a finite number, got {value}").format(value=value)
        if abs(value) >= MAX_NUMBER:  # checked before any conversion: a huge int cannot become a float
            return value, out_of_range()
        if question.integer and value != int(value):
            return value, _("expected a whole number, got {value}").format(value=f"{value:g}")
        if question.integer:
            value = int(value)
        if question.min is not None and value < question.min:
            return value, _("{value} is below the minimum of {minimum}").format(value=_num(value),
                                                                                minimum=_num(question.min))
        if question.max is not None and value > question.max:
            return value, _("{value} is above the maximum of {maximum}").format(value=_num(value),
                                                                                maximum=_num(question.max))
        return value, None
    if t == "single":
        if not isinstance(value, str):
            if isinstance(value, bool):
                return value, _("expected one option id, got {value} (YAML reads yes/no/on/off as true/false: "
                                "put the option id in quotes)").format(value=show(value))
            return value, _("expected one option id, got {value}").format(value=show(value))
        if value not in options:
            return value, _unknown_option(value, options)
        return value, None
    # multi
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return value, _("expected a list of option ids, got {value}").format(value=show(value))
    for v in value:
        if not isinstance(v, str):
            if isinstance(v, bool):
                return value, _("expected option ids, got {value} in the list (YAML reads yes/no/on/off as "
                                "true/false: put the option id in quotes)").format(value=show(v))
            return value, _("expected option ids, got {value} in the list").format(value=show(v))
        if v not in options:
            return value, _unknown_option(v, options)
    seen: set[str] = set()
    twice: set[str] = set()
    for v in value:  # one pass with sets: linear, where list.count per element was quadratic
        (twice if v in seen else seen).add(v)
    if twice:
        return value, _("'{option}' is listed more than once").format(option=min(twice))
    return [o for o in options if o in value], None


def is_asked(book: RuleBook, qid: str, answers: Mapping[str, Any]) -> bool:
    """Whether a question is asked, given the answers to the questions before it."""
    cond = book.ask_if.get(qid)
    if cond is None:
        return True
    return evaluate(cond, answers, book.option_orders, lambda _f: False, lambda _i: False)


def is_empty(value: Any) -> bool:
    """An answer that says nothing: null, an empty list or empty text (forms and spreadsheets send them)."""
    return value is None or (isinstance(value, (str, list, tuple, dict)) and not value)


def resolve(book: RuleBook, raw: Mapping[str, Any],
            ignored: list[str] | None = None) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Walk the questionnaire in order: validate given answers, fill defaults, reject unasked ones.

    An empty answer to a question that would not be asked carries no information and is
    dropped (its id is added to `ignored`); a non-empty one is a problem. Returns the resolved
    answers and a list of (question id, message) problems.
    """
    problems: list[tuple[str, str]] = []
    resolved: dict[str, Any] = {}
    known = {q.id for q in book.questions}
    for qid in raw:
        if qid not in known:
            problems.append((qid, _("unknown question '{question}'{suggestion}").format(
                question=qid, suggestion=did_you_mean(qid, known))))
    for q in book.questions:
        asked = is_asked(book, q.id, resolved)
        if q.id in raw:
            if not asked and is_empty(raw[q.id]):
                if ignored is not None:
                    ignored.append(q.id)
                continue
            if not asked:
                problems.append((q.id, _("'{question}' is answered but would not be asked: it applies only when "
                                         "{condition}; remove it").format(question=q.id,
                                                                          condition=_ask_if_words(book, q.id))))
                continue
            value, problem = check_answer(q, raw[q.id], book.question_info[q.id].options)
            if problem:
                problems.append((q.id, problem))
                continue
            resolved[q.id] = value
        elif asked:
            if q.default is not None:
                resolved[q.id] = list(q.default) if isinstance(q.default, list) else q.default
            elif q.required:
                problems.append((q.id, _("missing answer to the required question '{question}'").format(question=q.id)))
    return resolved, problems


def _ask_if_words(book: RuleBook, qid: str) -> str:
    from recommender.book.conditions import describe

    return describe(book.ask_if[qid], book.question_info, {}, {})


def profile_from(book: RuleBook, raw: Mapping[str, Any], name: str | None = None,
                 source: str | None = None) -> Profile:
    """Validate a plain mapping of answers (e.g. from the Python API); raise AnswersError."""
    ignored: list[str] = []
    resolved, problems = resolve(book, raw, ignored)
    if problems:
        shown = source or "answers"
        raise AnswersError([Problem(shown, 0, msg, "", f"answers.{qid}") for qid, msg in problems])
    return Profile(resolved, frozenset(k for k in raw if k in resolved), name, source, tuple(ignored))


def load_answers(path: Path, book: RuleBook, shown: str | None = None) -> AnswersFile:
    """Read and validate an answers file (YAML or JSON); raise AnswersError with every problem."""
    shown = shown or str(path)
    try:
        doc = load_file(path, shown)
    except YamlProblem as exc:
        raise AnswersError(exc.problem) from None
    return answers_from_document(doc, book)


def answers_from_document(doc: Document, book: RuleBook) -> AnswersFile:
    data = doc.data
    if not isinstance(data, dict):
        raise AnswersError(Problem(doc.path, doc.line(()), _("expected a mapping with an 'answers' key")))
    problems: list[Problem] = []
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problems.append(Problem(doc.path, doc.line((key,)),
                                    _("unknown top-level key '{key}'{suggestion}; expected {keys}").format(
                                        key=key, suggestion=did_you_mean(key, TOP_LEVEL_KEYS),
                                        keys=", ".join(TOP_LEVEL_KEYS))))
    raw = data.get("answers")
    if not isinstance(raw, dict):
        got = show(raw)
        problems.append(Problem(doc.path, doc.line(("answers",)),
                                _("'answers' must be a mapping of question ids to answers, got {value}").format(
                                    value=got)))
        raise AnswersError(problems)
    for key in ("name", "notes"):
        if key in data and not isinstance(data[key], str):
            problems.append(Problem(doc.path, doc.line((key,)), _("'{key}' must be text").format(key=key)))
    bad = first_unsafe(data["name"]) if isinstance(data.get("name"), str) else None
    if bad is not None:
        # A name heads every report: a newline would split it, an escape sequence would drive the terminal.
        problems.append(Problem(doc.path, doc.line(("name",)),
                                _("'name' must be one line of plain text, without control or text-direction "
                                  "characters; it holds {character}").format(character=f"U+{ord(bad):04X}")))
    status = data.get("status")
    if status is not None and status not in STATUSES:
        problems.append(Problem(doc.path, doc.line(("status",)),
                                _("'status' must be one of {statuses}, got {value}").format(
                                    statuses=", ".join(STATUSES), value=show(status))))
    ignored: list[str] = []
    resolved, found = resolve(book, raw, ignored)
    for qid, message in found:
        problems.append(Problem(doc.path, doc.line(("answers", qid)), message, "", f"answers.{qid}"))
    if problems:
        raise AnswersError(problems)
    name = data.get("name") if isinstance(data.get("name"), str) else None
    profile = Profile(resolved, frozenset(k for k in raw if k in resolved), name, doc.path, tuple(ignored))
    notes = data.get("notes") if isinstance(data.get("notes"), str) else None
    return AnswersFile(profile, data.get("expect"), status, notes, doc)


def out_of_range() -> str:
    """Why a number is refused for its length (the words of yamlio's NUMBER_RANGE, in the active language)."""
    return _("the number is out of range; numbers may have at most {digits} digits before the decimal "
             "point").format(digits=MAX_DIGITS)


def _unknown_option(value: Any, options: tuple[str, ...]) -> str:
    return _("unknown option {value}{suggestion}; options are {options}").format(
        value=show(value), suggestion=did_you_mean(value, options), options=", ".join(options))


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
