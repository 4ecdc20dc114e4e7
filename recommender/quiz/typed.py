"""What a person typed at a question, understood in the active language: yes or no, a number, choices.

English words always work; a language adds its own (under Spanish: 'sí', 's', 'ninguna', and
the option labels as the rule book shows them in Spanish), compared without case or accents,
because a keyboard without 'í' should not lock anyone out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from recommender.book.answers import check_answer
from recommender.book.runtime import Question
from recommender.book.yamlio import MAX_DIGITS
from recommender.i18n import DEFAULT_LANG, _, current_lang
from recommender.suggest import closest, did_you_mean, fold

EntryKind = Literal["answer", "skip", "help", "back", "quit", "invalid"]

# Single letters always mean a command; the words only when no option has that id.
COMMANDS: dict[str, EntryKind] = {"?": "help", "b": "back", "q": "quit"}
COMMAND_WORDS: dict[str, EntryKind] = {"help": "help", "back": "back", "quit": "quit"}
COMMAND_WORDS_IN: dict[str, dict[str, EntryKind]] = {"es": {"ayuda": "help", "atras": "back", "salir": "quit"}}
_YES = frozenset({"y", "yes", "true"})
_NO = frozenset({"n", "no", "false"})
_YES_IN: dict[str, frozenset[str]] = {"es": frozenset({"s", "si", "verdadero"})}
_NO_IN: dict[str, frozenset[str]] = {"es": frozenset({"falso"})}
_NONE_IN: dict[str, frozenset[str]] = {"es": frozenset({"ninguna", "ninguno", "nada"})}
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SEPARATORS = re.compile(r"[,;\s]+")
_LIST_SEPARATORS = re.compile(r"[,;]+")
_BRACKETS = re.compile(r"\([^()]*\)")


class Session(Protocol):
    """What reading needs of a quiz session (recommender.quiz.session.Session)."""

    def choices(self, q: Question) -> list[tuple[str, str, str | None]]: ...
    def options(self, q: Question) -> tuple[str, ...]: ...
    def how_to_answer(self, q: Question) -> str: ...


@dataclass(frozen=True)
class Entry:
    """What a person typed, understood: an answer, a command, or a reason it was not accepted."""

    kind: EntryKind
    value: Any = None
    reason: str = ""


def command(word: str, ids: set[str]) -> EntryKind | None:
    """The command a casefolded entry names, if any ('b', 'help', under Spanish 'atrás')."""
    if word in COMMANDS:
        return COMMANDS[word]
    folded = {fold(o) for o in ids}
    if word in COMMAND_WORDS and word not in ids:
        return COMMAND_WORDS[word]
    local = COMMAND_WORDS_IN.get(current_lang(), {})
    if fold(word) in local and fold(word) not in folded:
        return local[fold(word)]
    return None


def number_words(q: Question) -> str:
    """How to answer a number question: 'type a whole number from 0 to 50 (years)'."""
    unit = f" ({q.unit})" if q.unit else ""
    if q.min is not None and q.max is not None:
        low, high = _num(q.min), _num(q.max)
        if q.integer:
            return _("type a whole number from {min} to {max}{unit}").format(min=low, max=high, unit=unit)
        return _("type a number from {min} to {max}{unit}").format(min=low, max=high, unit=unit)
    if q.min is not None:
        if q.integer:
            return _("type a whole number of at least {min}{unit}").format(min=_num(q.min), unit=unit)
        return _("type a number of at least {min}{unit}").format(min=_num(q.min), unit=unit)
    if q.integer:
        return _("type a whole number{unit}").format(unit=unit)
    return _("type a number{unit}").format(unit=unit)


def parse_boolean(word: str) -> Entry:
    lang = current_lang()
    if word in _YES or fold(word) in _YES_IN.get(lang, ()):
        return Entry("answer", True)
    if word in _NO or fold(word) in _NO_IN.get(lang, ()):
        return Entry("answer", False)
    return Entry("invalid", reason=_("'{typed}' is not yes or no; type y for yes or n for no").format(
        typed=word[:40]))


def parse_number(session: Session, q: Question, word: str) -> Entry:
    number = word.removeprefix("$").strip()
    rest = ""
    match = re.match(r"[+\-\d.,]+", number)
    if match:
        number, rest = match.group(), number[match.end():].strip()
    not_a_number = _("'{typed}' is not a number; {how}")
    if rest and not is_unit(rest, q.unit):
        return Entry("invalid", reason=not_a_number.format(typed=word[:40], how=session.how_to_answer(q)))
    if "," in number:
        if not _THOUSANDS.fullmatch(number):
            return Entry("invalid", reason=_("'{typed}' is not a number; use commas only between thousands "
                                             "(1,500), and a point for decimals").format(typed=number))
        number = number.replace(",", "")
    if not _NUMBER.fullmatch(number):
        return Entry("invalid", reason=not_a_number.format(typed=word[:40], how=session.how_to_answer(q)))
    if sum(ch.isdigit() for ch in number.partition(".")[0]) > MAX_DIGITS:
        return Entry("invalid", reason=_("'{typed}…' is too large; numbers may have at most {digits} digits "
                                         "before the decimal point").format(typed=word[:20], digits=MAX_DIGITS))
    value: int | float = float(number) if "." in number else int(number)
    value, problem = check_answer(q, value, ())
    if problem:
        return Entry("invalid", reason=f"{problem}; {session.how_to_answer(q)}")
    return Entry("answer", value)


def parse_choices(session: Session, q: Question, text: str) -> Entry:
    """Numbers, option ids or whole option labels (as shown, in the active language)."""
    choices = session.choices(q)
    by_id = {fold(cid): cid for cid, _label, _help in choices}
    by_label = {**short_labels(choices), **{fold(label): cid for cid, label, _help in choices}}
    whole = fold(text)
    nothing = {"none"} | _NONE_IN.get(current_lang(), frozenset())
    if q.type == "multi" and whole in nothing and whole not in by_id:
        return Entry("answer", [])
    if whole in by_label:  # a whole label typed out
        picked = by_label[whole]
        return Entry("answer", picked if q.type == "single" else [picked])
    tokens = [t for t in _SEPARATORS.split(text) if t]
    if q.type == "single" and len(tokens) > 1:
        hint = _label_hint(session, q, text)
        if hint:
            return Entry("invalid", reason=_not_a_choice(session, q, text, hint))
        return Entry("invalid", reason=_("choose only one option; {how}").format(how=session.how_to_answer(q)))
    picked_ids: list[str] = []
    parts = [p.strip() for p in _LIST_SEPARATORS.split(text) if p.strip()] if q.type == "multi" else [text]
    for part in parts:
        if fold(part) in by_label:  # one of several labels, written out between commas
            if by_label[fold(part)] not in picked_ids:
                picked_ids.append(by_label[fold(part)])
            continue
        for token in (t for t in _SEPARATORS.split(part) if t):
            if token.isascii() and token.isdigit():  # not '²', whose int() fails; no 5,000-digit int()
                n = int(token) if len(token) <= MAX_DIGITS else 0
                if not 1 <= n <= len(choices):
                    return Entry("invalid", reason=_("there is no choice {typed}; {how}").format(
                        typed=token[:12], how=session.how_to_answer(q)))
                cid = choices[n - 1][0]
            elif fold(token) in by_id:
                cid = by_id[fold(token)]
            elif fold(token) in by_label:  # a one-word label
                cid = by_label[fold(token)]
            else:
                return Entry("invalid", reason=_misspelled(session, q, part, token))
            if cid not in picked_ids:
                picked_ids.append(cid)
    value: Any = picked_ids[0] if q.type == "single" else picked_ids
    value, problem = check_answer(q, value, session.options(q))
    if problem:  # pragma: no cover - every id above comes from the options
        return Entry("invalid", reason=problem)
    return Entry("answer", value)


def short_labels(choices: list[tuple[str, str, str | None]]) -> dict[str, str]:
    """Labels without their words in brackets ("Licenciatura" for "Licenciatura (bachelor's degree)").

    Outside English only, where labels gloss an English term in brackets; a short form two options
    share stands for neither.
    """
    if current_lang() == DEFAULT_LANG:
        return {}
    found: dict[str, list[str]] = {}
    for cid, label, _help in choices:
        short = fold(" ".join(_BRACKETS.sub(" ", label).split()))
        if short and short != fold(label):
            found.setdefault(short, []).append(cid)
    return {short: ids[0] for short, ids in found.items() if len(ids) == 1}


def _misspelled(session: Session, q: Question, part: str, token: str) -> str:
    """Not a choice: in English with the nearest option id; in another language with the nearest label."""
    if current_lang() != DEFAULT_LANG:
        for typed in dict.fromkeys((part, token)):
            hint = _label_hint(session, q, typed)
            if hint:
                return _not_a_choice(session, q, typed, hint)
        return _not_a_choice(session, q, token, "")  # an English id is no suggestion to a Spanish reader
    ids = [c for c, _l, _h in session.choices(q)]
    return _not_a_choice(session, q, token, did_you_mean(token, ids))


def _label_hint(session: Session, q: Question, typed: str) -> str:
    """'; did you mean 'Secundaria'?' for the label nearest to `typed` (not in English: its ids do that)."""
    if current_lang() == DEFAULT_LANG:
        return ""
    choices = session.choices(q)
    labels = {fold(label): label for _c, label, _h in choices}
    shown = {cid: label for cid, label, _h in choices}
    labels.update({short: shown[cid] for short, cid in short_labels(choices).items()})
    guess = closest(fold(typed), labels)
    return _("; did you mean '{guess}'?").format(guess=labels[guess]) if guess else ""


def _not_a_choice(session: Session, q: Question, typed: str, hint: str) -> str:
    return _("'{typed}' is not one of the choices{suggestion}; {how}").format(
        typed=typed[:40], suggestion=hint, how=session.how_to_answer(q))


def is_unit(rest: str, unit: str | None) -> bool:
    """Whether trailing words such as 'years' or 'dólares' merely repeat the question's unit."""
    if not unit:
        return False
    known: set[str] = set()
    for word in fold(unit).split():
        known |= _stems(word)
    if known & {"dollar", "dolar"}:
        known |= {"usd", "$"}
    return all(_stems(w) & known for w in fold(rest).split())


def _stems(word: str) -> set[str]:
    """A word without its plural ending, both ways: 'years' → 'year'; 'dólares' → 'dolar' (once folded)."""
    return {word.rstrip("s"), word[:-2] if word.endswith("es") and len(word) > 3 else word.rstrip("s")}


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"
