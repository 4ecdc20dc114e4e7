"""The questionnaire as a state machine: what to ask next, answers, going back. No input or output.

A front end (the terminal quiz, later a web page) shows `current()`, turns what the person
typed into an `Entry` with `parse()`, and calls `answer()`, `back()` or `reopen()`.  The
machine keeps the answers consistent with the questionnaire's `ask_if` conditions at every
step, so whatever it hands out can be saved as an answers file.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from recommender.book.answers import check_answer, is_asked, is_empty
from recommender.book.conditions import describe, questions_read
from recommender.book.rulebook import RuleBook
from recommender.book.runtime import Question
from recommender.i18n import _
from recommender.quiz.typed import (
    Entry,
    EntryKind,
    command,
    number_words,
    parse_boolean,
    parse_choices,
    parse_number,
)
from recommender.suggest import did_you_mean, show

__all__ = ["Entry", "EntryKind", "InvalidAnswer", "Issue", "Progress", "Session", "Walk", "walk"]


class InvalidAnswer(ValueError):
    """An answer the current question does not accept; the message says why."""


@dataclass(frozen=True)
class Progress:
    """'Question `number` of (about) `total`'; `exact` once no open answer can change the total."""

    number: int
    total: int
    exact: bool

    def __str__(self) -> str:
        if self.exact:
            return _("Question {number} of {total}").format(number=self.number, total=self.total)
        return _("Question {number} of about {total}").format(number=self.number, total=self.total)


@dataclass(frozen=True)
class Issue:
    """An answer read from a file that could not be kept as it was."""

    question: str
    message: str
    reask: bool  # True: the question will be asked again; False: the answer was dropped


@dataclass(frozen=True)
class Walk:
    """The questionnaire walked in order with a set of answers (defaults fill the gaps)."""

    asked: tuple[str, ...]  # questions that are asked, in order
    open: frozenset[str]  # asked but not answered yet (or answered but held, see below)
    held: frozenset[str]  # answered, not asked now, but an unanswered earlier question may change that
    stale: tuple[str, ...]  # answered, and not asked: these answers must go


def walk(book: RuleBook, answers: Mapping[str, Any]) -> Walk:
    """Which questions are asked given `answers`, and which answers no longer belong."""
    resolved: dict[str, Any] = {}
    asked: list[str] = []
    pending: set[str] = set()
    held: set[str] = set()
    stale: list[str] = []
    for q in book.questions:
        if is_asked(book, q.id, resolved):
            asked.append(q.id)
            if q.id in answers:
                resolved[q.id] = answers[q.id]
            elif q.default is not None:
                pending.add(q.id)
                resolved[q.id] = copy.copy(q.default)
            elif q.required:
                pending.add(q.id)
            # else: an optional question with no default may stay unanswered; nothing waits for it
        elif q.id in answers:
            # Only an answer that can be decided is stale: while a question its ask_if reads
            # is still unanswered (e.g. re-asked after a resume), the answer waits.
            if pending & _reads(book, q.id):
                held.add(q.id)
                pending.add(q.id)
            else:
                stale.append(q.id)
    return Walk(tuple(asked), frozenset(pending), frozenset(held), tuple(stale))


def _reads(book: RuleBook, qid: str) -> set[str]:
    cond = book.ask_if.get(qid)
    return set(questions_read(cond)) if cond is not None else set()


class Session:
    """Where a person is in the questionnaire, and what they have answered so far."""

    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self._questions = {q.id: q for q in book.questions}
        self._answers: dict[str, Any] = {}
        self._confirmed: set[str] = set()  # answered in this session (or kept from a resumed file)

    # ------------------------------------------------------------ building
    @classmethod
    def restore(cls, book: RuleBook, raw: Mapping[str, Any], *, resume: bool,
                finished: bool = False, passed: Iterable[str] = ()) -> tuple[Session, list[Issue]]:
        """A session from answers read from a file: keep the valid ones, say what happened to the rest.

        With `resume` the kept answers count as given, so only the rest is asked; without it
        (amending a file) every question is asked again with the kept answer as its default.
        """
        session = cls(book)
        issues: list[Issue] = []
        invalid: dict[str, str] = {}
        for key in raw:
            if key not in session._questions:
                known = session._questions
                issues.append(Issue(str(key), _("'{question}' is not a question of this questionnaire{suggestion}; "
                                                "its answer was dropped").format(
                                                    question=key, suggestion=did_you_mean(key, known)), False))
        for q in book.questions:
            if q.id not in raw:
                continue
            value, problem = check_answer(q, raw[q.id], session.options(q))
            if problem:
                invalid[q.id] = _("your answer to '{question}' ({answer}) is not accepted: {problem}").format(
                    question=q.id, answer=_shown(raw[q.id]), problem=problem)
            else:
                session._answers[q.id] = value
        state = walk(book, session._answers)
        for qid in state.stale:
            del session._answers[qid]
        for q in book.questions:
            if q.id in invalid:
                later = q.id in state.asked or bool(state.open & _reads(book, q.id))
                if not later and is_empty(raw[q.id]):
                    continue  # an empty answer to a question that does not apply says nothing
                if later:
                    message = _("{problem}; the question will be asked again").format(problem=invalid[q.id])
                else:
                    message = _("{problem}; it was dropped, as the question does not apply").format(
                        problem=invalid[q.id])
                issues.append(Issue(q.id, message, later))
            elif q.id in state.stale and not is_empty(raw[q.id]):
                issues.append(Issue(q.id, _("your answer to '{question}' was dropped: the question applies only "
                                            "when {condition}").format(question=q.id,
                                                                       condition=session.condition_words(q.id)),
                                    False))
        if resume:
            session._confirmed = set(session._answers)
            optional = {q.id for q in session.asked() if session.optional(q)}
            # A finished file left its optional questions unanswered on purpose; a web page says which.
            session._confirmed |= optional if finished else optional & set(passed)
        return session, issues

    # ------------------------------------------------------------ reading the state
    @property
    def answers(self) -> dict[str, Any]:
        """The answers given so far, in questionnaire order (copies: changing them changes nothing)."""
        return {q.id: copy.copy(self._answers[q.id]) for q in self.book.questions if q.id in self._answers}

    @property
    def complete(self) -> bool:
        """Whether every question that is asked has an answer (the file's status is then `completed`)."""
        state = self._walk()
        # An optional question with no default counts once answered or passed over.
        left = [qid for qid in state.asked if qid not in self._answers and qid not in self._confirmed
                and self.optional(self._questions[qid])]
        return not state.open and not left

    def question(self, qid: str) -> Question:
        return self._questions[qid]

    def asked(self) -> list[Question]:
        """The questions asked with the answers so far, in order."""
        return [self._questions[qid] for qid in self._walk().asked]

    def current(self) -> Question | None:
        """The next question to ask, or None when every asked question has been answered."""
        for qid in self._walk().asked:
            if qid not in self._confirmed:
                return self._questions[qid]
        return None

    def progress(self) -> Progress | None:
        """How far the person is: the current question's place among those asked."""
        state = self._walk()
        q = self.current()
        if q is None:
            return None
        # The total can still change while an unconfirmed answer is read by some ask_if.
        unsure = {qid for qid in state.asked if qid not in self._confirmed}
        exact = not any(unsure & _reads(self.book, other) for other in self.book.ask_if)
        return Progress(state.asked.index(q.id) + 1, len(state.asked), exact)

    def has_answer(self, qid: str) -> bool:
        return qid in self._answers

    def default(self, q: Question) -> Any:
        """What an empty entry means: the answer already given, else the question's default."""
        if q.id in self._answers:
            return copy.copy(self._answers[q.id])
        return copy.copy(q.default)

    @staticmethod
    def optional(q: Question) -> bool:
        """A question that may be left unanswered: not required, and no default stands in for it."""
        return not q.required and q.default is None

    def passed_over(self) -> tuple[str, ...]:
        """Optional questions the person chose to leave unanswered."""
        return tuple(q.id for q in self.asked() if self.optional(q) and q.id in self._confirmed
                     and q.id not in self._answers)

    def skip(self) -> None:
        """Leave the current (optional) question unanswered and go on."""
        q = self.current()
        if q is None or not self.optional(q):
            raise LookupError("only an optional question can be skipped")
        self._answers.pop(q.id, None)
        self._confirmed.add(q.id)
        self._prune()

    def options(self, q: Question) -> tuple[str, ...]:
        return self.book.question_info[q.id].options

    def choices(self, q: Question) -> list[tuple[str, str, str | None]]:
        """(id, label, help) of each option, numbered from 1 in this order."""
        if q.options_from == "certifications":
            return [(c.id, f"{c.short_name or c.id}: {c.name}", None) for c in self.book.certifications()
                    if c.id in self.options(q)]
        return [(o.id, o.label, o.help) for o in q.options]

    def condition_words(self, qid: str) -> str:
        cond = self.book.ask_if.get(qid)
        return describe(cond, self.book.question_info, {}, {}) if cond is not None else _("always")

    # ------------------------------------------------------------ changing the state
    def answer(self, value: Any) -> list[str]:
        """Record an answer to the current question; return the ids of answers dropped as no longer asked."""
        q = self.current()
        if q is None:
            raise LookupError("every question has been answered")
        value, problem = check_answer(q, value, self.options(q))
        if problem:
            raise InvalidAnswer(problem)
        self._answers[q.id] = value
        self._confirmed.add(q.id)
        return self._prune()

    def back(self) -> bool:
        """Go back to the question before the current one (or the last one); False at the first."""
        asked = self._walk().asked
        q = self.current()
        before = asked[: asked.index(q.id)] if q is not None else asked
        if not before:
            return False
        self._confirmed.discard(before[-1])
        return True

    def reopen(self, qid: str) -> None:
        """Ask an answered question again (from the review); its answer stays as the default."""
        if qid not in self._walk().asked:
            raise LookupError(f"'{qid}' is not asked with the current answers")
        self._confirmed.discard(qid)

    def _prune(self) -> list[str]:
        stale = list(self._walk().stale)
        for qid in stale:
            del self._answers[qid]
            self._confirmed.discard(qid)
        return stale

    def _walk(self) -> Walk:
        return walk(self.book, self._answers)

    # ------------------------------------------------------------ typed input
    def parse(self, q: Question, text: str) -> Entry:
        """Understand one line typed for question `q`."""
        text = "".join(ch for ch in text if ch.isprintable()).strip()
        word = text.casefold()
        kind = command(word, {o.casefold() for o in self.options(q)})
        if kind is not None:
            return Entry(kind)
        if not text:
            default = self.default(q)
            if default is None and self.optional(q):
                return Entry("skip")
            if default is None:
                return Entry("invalid", reason=_("this question needs an answer; {how}").format(
                    how=self.how_to_answer(q)))
            return Entry("answer", default)
        if q.type == "boolean":
            return parse_boolean(word)
        if q.type == "number":
            return parse_number(self, q, word)
        return parse_choices(self, q, text)

    def how_to_answer(self, q: Question) -> str:
        """One instruction for the question's kind of answer."""
        if q.type == "boolean":
            return _("type y for yes or n for no")
        if q.type == "number":
            return number_words(q)
        count = len(self.options(q))
        if q.type == "single":
            return _("type one number from 1 to {count}, or an option id").format(count=count)
        return _("type the numbers (1 to {count}) or ids of all that apply, separated by commas or spaces, "
                 "or 'none'").format(count=count)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        inner = ", ".join(str(v) if isinstance(v, (str, int, float)) else show(v) for v in value)
        return f"[{inner[:80]}]"
    return show(value)
