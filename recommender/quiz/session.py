"""The questionnaire as a state machine: what to ask next, answers, going back. No input or output.

A front end (the terminal quiz, later a web page) shows `current()`, turns what the person
typed into an `Entry` with `parse()`, and calls `answer()`, `back()` or `reopen()`.  The
machine keeps the answers consistent with the questionnaire's `ask_if` conditions at every
step, so whatever it hands out can be saved as an answers file.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from recommender.book.answers import check_answer, is_asked, is_empty
from recommender.book.conditions import describe, questions_read
from recommender.book.rulebook import RuleBook
from recommender.book.rulefile import Question
from recommender.book.yamlio import MAX_DIGITS, NUMBER_RANGE
from recommender.suggest import did_you_mean, show

EntryKind = Literal["answer", "skip", "help", "back", "quit", "invalid"]

# Single letters always mean a command; the words only when no option has that id.
_COMMANDS: dict[str, EntryKind] = {"?": "help", "b": "back", "q": "quit"}
_COMMAND_WORDS: dict[str, EntryKind] = {"help": "help", "back": "back", "quit": "quit"}
_YES = frozenset({"y", "yes", "true"})
_NO = frozenset({"n", "no", "false"})
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SEPARATORS = re.compile(r"[,;\s]+")


class InvalidAnswer(ValueError):
    """An answer the current question does not accept; the message says why."""


@dataclass(frozen=True)
class Entry:
    """What a person typed, understood: an answer, a command, or a reason it was not accepted."""

    kind: EntryKind
    value: Any = None
    reason: str = ""


@dataclass(frozen=True)
class Progress:
    """'Question `number` of (about) `total`'; `exact` once no open answer can change the total."""

    number: int
    total: int
    exact: bool

    def __str__(self) -> str:
        return f"Question {self.number} of {'' if self.exact else 'about '}{self.total}"


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
                issues.append(Issue(str(key), f"'{key}' is not a question of this questionnaire"
                                              f"{did_you_mean(key, known)}; its answer was dropped", False))
        for q in book.questions:
            if q.id not in raw:
                continue
            value, problem = check_answer(q, raw[q.id], session.options(q))
            if problem:
                invalid[q.id] = f"your answer to '{q.id}' ({_shown(raw[q.id])}) is not accepted: {problem}"
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
                tail = "the question will be asked again" if later else "it was dropped, as the question does not apply"
                issues.append(Issue(q.id, f"{invalid[q.id]}; {tail}", later))
            elif q.id in state.stale and not is_empty(raw[q.id]):
                issues.append(Issue(q.id, f"your answer to '{q.id}' was dropped: the question applies only when "
                                          f"{session.condition_words(q.id)}", False))
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
        return describe(cond, self.book.question_info, {}, {}) if cond is not None else "always"

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
        ids = {o.casefold() for o in self.options(q)}
        if word in _COMMANDS:
            return Entry(_COMMANDS[word])
        if word in _COMMAND_WORDS and word not in ids:
            return Entry(_COMMAND_WORDS[word])
        if not text:
            default = self.default(q)
            if default is None and self.optional(q):
                return Entry("skip")
            if default is None:
                return Entry("invalid", reason=f"this question needs an answer; {self.how_to_answer(q)}")
            return Entry("answer", default)
        if q.type == "boolean":
            return self._parse_boolean(word)
        if q.type == "number":
            return self._parse_number(q, word)
        return self._parse_choices(q, text)

    def how_to_answer(self, q: Question) -> str:
        """One instruction for the question's kind of answer."""
        if q.type == "boolean":
            return "type y for yes or n for no"
        if q.type == "number":
            whole = "a whole number" if q.integer else "a number"
            unit = f" ({q.unit})" if q.unit else ""
            if q.min is not None and q.max is not None:
                return f"type {whole} from {_num(q.min)} to {_num(q.max)}{unit}"
            if q.min is not None:
                return f"type {whole} of at least {_num(q.min)}{unit}"
            return f"type {whole}{unit}"
        count = len(self.options(q))
        if q.type == "single":
            return f"type one number from 1 to {count}, or an option id"
        return (f"type the numbers (1 to {count}) or ids of all that apply, separated by commas or spaces, "
                f"or 'none'")

    def _parse_boolean(self, word: str) -> Entry:
        if word in _YES:
            return Entry("answer", True)
        if word in _NO:
            return Entry("answer", False)
        return Entry("invalid", reason=f"'{word[:40]}' is not yes or no; type y for yes or n for no")

    def _parse_number(self, q: Question, word: str) -> Entry:
        number = word.removeprefix("$").strip()
        rest = ""
        match = re.match(r"[+\-\d.,]+", number)
        if match:
            number, rest = match.group(), number[match.end():].strip()
        if rest and not _is_unit(rest, q.unit):
            return Entry("invalid", reason=f"'{word[:40]}' is not a number; {self.how_to_answer(q)}")
        if "," in number:
            if not _THOUSANDS.fullmatch(number):
                return Entry("invalid", reason=f"'{number}' is not a number; use commas only between "
                                               f"thousands (1,500), and a point for decimals")
            number = number.replace(",", "")
        if not _NUMBER.fullmatch(number):
            return Entry("invalid", reason=f"'{word[:40]}' is not a number; {self.how_to_answer(q)}")
        if sum(ch.isdigit() for ch in number.partition(".")[0]) > MAX_DIGITS:
            return Entry("invalid", reason=f"'{word[:20]}…' is too large; {NUMBER_RANGE}")
        value: int | float = float(number) if "." in number else int(number)
        value, problem = check_answer(q, value, ())
        if problem:
            return Entry("invalid", reason=f"{problem}; {self.how_to_answer(q)}")
        return Entry("answer", value)

    def _parse_choices(self, q: Question, text: str) -> Entry:
        choices = self.choices(q)
        by_id = {cid.casefold(): cid for cid, _label, _help in choices}
        by_label = {label.casefold(): cid for cid, label, _help in choices}
        if q.type == "multi" and text.casefold() == "none" and "none" not in by_id:
            return Entry("answer", [])
        if text.casefold() in by_label:  # a whole label typed out
            picked = by_label[text.casefold()]
            return Entry("answer", picked if q.type == "single" else [picked])
        tokens = [t for t in _SEPARATORS.split(text) if t]
        if q.type == "single" and len(tokens) > 1:
            return Entry("invalid", reason=f"choose only one option; {self.how_to_answer(q)}")
        picked_ids: list[str] = []
        for token in tokens:
            if token.isascii() and token.isdigit():  # not '²', whose int() fails; no 5,000-digit int()
                n = int(token) if len(token) <= MAX_DIGITS else 0
                if not 1 <= n <= len(choices):
                    return Entry("invalid", reason=f"there is no choice {token[:12]}; {self.how_to_answer(q)}")
                cid = choices[n - 1][0]
            elif token.casefold() in by_id:
                cid = by_id[token.casefold()]
            else:
                hint = did_you_mean(token, [c for c, _l, _h in choices])
                return Entry("invalid", reason=f"'{token[:40]}' is not one of the choices{hint}; "
                                               f"{self.how_to_answer(q)}")
            if cid not in picked_ids:
                picked_ids.append(cid)
        value: Any = picked_ids[0] if q.type == "single" else picked_ids
        value, problem = check_answer(q, value, self.options(q))
        if problem:  # pragma: no cover - every id above comes from the options
            return Entry("invalid", reason=problem)
        return Entry("answer", value)


def _is_unit(rest: str, unit: str | None) -> bool:
    """Whether trailing words such as 'years' or 'dollars' merely repeat the question's unit."""
    if not unit:
        return False
    known = {w.rstrip("s") for w in unit.casefold().split()}
    if "dollar" in known:
        known |= {"usd", "$"}
    return all(w.rstrip("s") in known for w in rest.split())


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _shown(value: Any) -> str:
    if isinstance(value, list):
        inner = ", ".join(str(v) if isinstance(v, (str, int, float)) else show(v) for v in value)
        return f"[{inner[:80]}]"
    return show(value)
