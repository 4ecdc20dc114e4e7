"""The quiz's conversation: questions, help, review and saving, through two line functions.

`ask(prompt) -> line` and `say(text, kind)` are all it needs of a terminal, so tests and any
other line-based front end drive the same code `recommender quiz` does.
"""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recommender.i18n import DEFAULT_LANG, N_, _, current_lang, ngettext, number
from recommender.quiz.typed import command

if TYPE_CHECKING:
    from recommender.book.rulebook import RuleBook
    from recommender.book.runtime import Question
    from recommender.quiz.savefile import SavedFile
    from recommender.quiz.session import Issue, Session

Ask = Callable[[str], str]  # shows a prompt, returns the line typed; raises EOFError when input ends
Say = Callable[[str, str], None]  # prints one line; the kind ("title", "question", "error", "note", "") styles it

COMMANDS = N_("At any question: ? explains it, b goes back, q saves your answers and stops.")


@dataclass(frozen=True)
class Plan:
    """Where the answers go, where they came from, and how the report is printed."""

    target: Path
    saved: SavedFile | None = None
    resume: bool = False
    in_place: bool = False  # the target is the file the answers were read from
    fmt: str = "text"
    rules_hint: str = ""  # repeated in the commands suggested to the person
    width: int = 88  # the report wraps to this many columns


class Stopped(KeyboardInterrupt):
    """A hang-up or termination signal arrived (a KeyboardInterrupt, so a late one still stops cleanly)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def run_quiz(book: RuleBook, session: Session, issues: list[str], plan: Plan, ask: Ask, say: Say,
             emit: Callable[[str], None]) -> int:
    """Hold the whole conversation, save as it goes, and print the report; return the exit code."""
    from recommender.quiz.savefile import check_folder

    saver = Saver(plan, say)
    shown = str(plan.target)
    _intro(session, plan, issues, say)
    if session.answers and not plan.in_place:
        saver.save(session)  # the new file holds the answers carried over from the start
    else:
        try:
            check_folder(plan.target)
        except OSError as exc:
            saver.failed(exc)
    stop: str | None = None
    code = 0
    try:
        if not converse(session, ask, say, saver.save):
            stop = _("You stopped the questionnaire.")
    except EOFError:
        stop, code = _("The input ended before the questionnaire was finished."), 1
    except NotAccepted:
        # Piped input that can never be right (`yes | recommender quiz`) would otherwise loop forever.
        stop, code = ngettext("Stopped after {n} answer in a row that was not accepted.",
                              "Stopped after {n} answers in a row that were not accepted.",
                              MAX_NOT_ACCEPTED).format(n=MAX_NOT_ACCEPTED), 2
    except Stopped as exc:
        stop, code = _("Stopped by a signal."), 128 + exc.signum
    except KeyboardInterrupt:
        stop, code = _("Interrupted."), 130
    except OSError:
        # The terminal went away mid-sentence (e.g. a closed window): the answers are on disk.
        stop, code = _("Lost the terminal."), 1
    if stop is not None:
        saver.flush(session)
        with contextlib.suppress(OSError):
            _goodbye(session, saver, stop, plan, say)
        return code
    saver.finish(session)
    from recommender.book.answers import profile_from
    from recommender.engine.recommend import recommend
    from recommender.render import render

    name = plan.saved.name if plan.saved else None
    profile = profile_from(book, session.answers, name=name, source=shown)
    emit(render(recommend(book, profile), book, plan.fmt, width=plan.width))
    if saver.pending is None:
        say(_("Your answers are saved in {path}.").format(path=shown), "note")
        say(_("See this report again with: {command}").format(
            command=f"recommender recommend {shell_quote(plan.target)}{_lang_hint()}{plan.rules_hint}"), "")
    else:
        _by_hand(saver, say)
    return 0


# ---------------------------------------------------------------- the conversation
#: Answers in a row that are not accepted before the quiz stops (and saves what it has).
MAX_NOT_ACCEPTED = 25


class NotAccepted(Exception):
    """Too many answers in a row were not accepted: the input is not a person trying again."""


def converse(session: Session, ask: Ask, say: Say, changed: Callable[[Session], None]) -> bool:
    """Ask until every question is answered and reviewed (True), or the person quits (False)."""
    shown: str | None = None
    first = True
    refused = 0
    while True:
        q = session.current()
        if q is None:
            step = _review(session, ask, say)
            if step is not None:
                return step
            shown = None
            continue
        if q.id != shown:
            _show_question(session, q, say, first)
            shown, first = q.id, False
        entry = session.parse(q, ask(_("Your answer: ")))
        refused = refused + 1 if entry.kind == "invalid" else 0
        if entry.kind == "help":
            for line in _help_lines(session, q):
                say(line, "")
        elif entry.kind == "back":
            if session.back():
                shown = None
            else:
                say(_("This is the first question; there is nothing before it."), "error")
        elif entry.kind == "quit":
            return False
        elif entry.kind == "invalid":
            say(_("Not accepted: {reason}.").format(reason=entry.reason), "error")
            if refused >= MAX_NOT_ACCEPTED:
                raise NotAccepted
        elif entry.kind == "skip":
            session.skip()
            changed(session)
        else:
            dropped = session.answer(entry.value)
            changed(session)
            for qid in dropped:
                say(_("Removed your earlier answer about {question}, which no longer applies.").format(
                    question=session.question(qid).label), "note")


def _review(session: Session, ask: Ask, say: Say) -> bool | None:
    """Show every answer; True to go on to the report, False to quit, None after a change."""
    asked = session.asked()
    answers = session.answers
    say("", "")
    say(_("Review your answers"), "title")
    for n, q in enumerate(asked, 1):
        shown = answer_words(session, q.id, answers[q.id]) if q.id in answers else _("not answered")
        say(f"  {n}. {_capital(q.label)}: {shown}", "")
    say(_("To change an answer, type its number. Press Enter to see your report."), "")
    for _attempt in range(MAX_NOT_ACCEPTED):
        try:
            text = ask(_("Number to change, or Enter for your report: ")).strip()
        except EOFError:
            return True  # all answered: piped input may simply end here
        word = text.casefold()
        if not text:
            return True
        kind = command(word, set())
        if kind == "quit":
            return False
        if kind == "back":
            session.back()
            return None
        if kind == "help":
            say(_("Type the number of an answer to answer that question again, or press Enter for the report. "
                  "b goes back to the last question, q saves and stops."), "")
            continue
        if text.isdigit() and 1 <= int(text) <= len(asked):
            session.reopen(asked[int(text) - 1].id)
            return None
        say(_("Not accepted: '{typed}' is not an answer number; type 1 to {count}, or press Enter for your "
              "report.").format(typed=text[:40], count=len(asked)), "error")
    raise NotAccepted


def _show_question(session: Session, q: Question, say: Say, first: bool) -> None:
    say("", "")
    progress = session.progress()
    if progress is not None:
        say(str(progress), "title")
    say(q.prompt, "question")
    for n, (_cid, label, _help) in enumerate(session.choices(q) if q.type in ("single", "multi") else [], 1):
        say(f"  {n}. {label}", "")
    say(_capital(session.how_to_answer(q)) + "." + _default_words(session, q), "")
    if first:
        say(_(COMMANDS), "")


def _default_words(session: Session, q: Question) -> str:
    default = session.default(q)
    if default is None:
        return " " + _("Press Enter to skip it.") if session.optional(q) else ""
    if session.has_answer(q.id):
        return " " + _("Press Enter to keep: {answer}.").format(answer=answer_words(session, q.id, default))
    return " " + _("Press Enter to choose: {answer}.").format(answer=answer_words(session, q.id, default))


def _help_lines(session: Session, q: Question) -> list[str]:
    lines = [_("Help: {help}").format(help=q.help) if q.help else _("There is no more help for this question.")]
    for n, (cid, label, text) in enumerate(session.choices(q) if q.type in ("single", "multi") else [], 1):
        lines.append(f"  {n}. {cid}: {label}" + (f". {text}" if text else ""))
    lines.append(_capital(session.how_to_answer(q)) + "." + _default_words(session, q))
    lines.append(_(COMMANDS))
    return lines


def answer_words(session: Session, qid: str, value: Any) -> str:
    """An answer as the review shows it: labels, yes or no, numbers with their unit."""
    from recommender.engine.recommend import answer_text

    q = session.question(qid)
    if q.type == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        shown = number(value) if isinstance(value, int) else f"{value:,g}"
        return f"{shown} {_unit(q.unit, value)}" if q.unit else shown
    if current_lang() == DEFAULT_LANG:
        return answer_text(session.book, qid, value)
    # The same words as answer_text, in the person's language (the labels come translated in the book).
    labels = session.book.question_info[qid].option_labels
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list) and len(value) > 1:
        shown_labels = [labels.get(v, v) for v in value]
        return _("{items} and {last}").format(items=", ".join(shown_labels[:-1]), last=shown_labels[-1])
    if isinstance(value, list):
        return labels.get(value[0], value[0]) if value else _("none")
    return answer_text(session.book, qid, value)


def _unit(unit: str, value: float) -> str:
    """'years' -> '1 year': the first lower-case plural word of the unit goes singular for exactly one.

    In Spanish adjectives agree, so every plural word goes singular: 'dólares estadounidenses' ->
    'dólar estadounidense'.
    """
    if value != 1:
        return unit
    words = unit.split()
    spanish = current_lang() == "es"
    for i, word in enumerate(words):
        if word.islower() and word.endswith("s"):
            words[i] = _singular_es(word) if spanish else word[:-1]
            if not spanish:
                break
    return " ".join(words)


def _singular_es(word: str) -> str:
    """'años' -> 'año', 'dólares' -> 'dólar', 'meses' -> 'mes', 'estadounidenses' -> 'estadounidense'."""
    stem = word[:-2]
    vowels = "aeiouáéíóú"
    if word.endswith("es") and len(stem) > 1 and stem[-1] not in vowels and (
            stem[-1] != "s" or stem[-2] in vowels):
        return stem
    return word[:-1]


def _lang_hint() -> str:
    """' --lang es' in a suggested command, so it speaks the language this run spoke (nothing in English)."""
    return "" if current_lang() == DEFAULT_LANG else f" --lang {current_lang()}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- start and end
def issues_lines(saved: SavedFile | None, issues: list[Issue]) -> list[str]:
    """What happened to answers in a resumed or amended file that could not be kept as they were."""
    if saved is None:
        return []
    ordered = sorted(issues, key=lambda issue: saved.lines.get(issue.question, 0))
    return [f"{saved.where(issue.question)}: {issue.message}" for issue in ordered]


def _intro(session: Session, plan: Plan, issues: list[str], say: Say) -> None:
    shown = str(plan.target)
    say(_("Career questionnaire: medical administration"), "title")
    total = len(session.asked())
    if plan.saved is not None and plan.resume:
        done = sum(1 for q in session.asked() if session.has_answer(q.id))
        if session.current() is None:
            say(_("Every question in {path} is answered; review your answers below.").format(path=plan.saved.shown),
                "")
        else:
            say(_("Continuing {path}: {done} of about {total} questions answered.").format(
                path=plan.saved.shown, done=done, total=total), "")
    elif plan.saved is not None:
        say(_("Starting from the answers in {path}: press Enter at a question to keep the answer shown.").format(
            path=plan.saved.shown), "")
    else:
        say(_("About {total} questions; most people finish in under five minutes.").format(total=total), "")
    say(_("Type the number of your choice and press Enter. Enter on its own accepts the answer offered."), "")
    for line in issues:
        say(line, "note")
    say(_("Your answers are saved after each question in {path}.").format(path=shown), "")


def _goodbye(session: Session, saver: Saver, why: str, plan: Plan, say: Say) -> None:
    say("", "")
    answered = len(session.answers)
    if saver.pending is not None:
        say(why, "note")
        _by_hand(saver, say)
        return
    if saver.written is None and not plan.in_place:
        say(_("{why} Nothing was saved: no question had been answered yet.").format(why=why), "note")
        return
    say(_("{why} Your answers so far ({count}) are saved in {path}.").format(why=why, count=answered,
                                                                           path=plan.target), "note")
    say(_("Continue later with: {command}").format(
        command=f"recommender quiz --resume {shell_quote(plan.target)}{_lang_hint()}{plan.rules_hint}"), "")


def _by_hand(saver: Saver, say: Say) -> None:
    say(_("Your answers could not be saved to {path} ({problem}). To keep them, copy the lines between the two "
          "markers into a file:").format(path=saver.plan.target, problem=saver.problem), "error")
    say(_("----- answers start -----"), "")
    for line in (saver.pending or "").splitlines():
        say(line, "")
    say(_("----- answers end -----"), "")


class Saver:
    """Writes the answers file after every answer; on failure says so once and keeps the text."""

    def __init__(self, plan: Plan, say: Say) -> None:
        self.plan = plan
        self.say = say
        self.written: str | None = None  # the text on disk, once this run has written it
        self.pending: str | None = None  # the latest text, when it could not be written
        self.problem: str | None = None  # why the last write failed
        self.dirty = False  # the answers changed since the file was last written

    def text(self, session: Session) -> str:
        from recommender.quiz.savefile import render

        saved = self.plan.saved
        return render(session.answers, "completed" if session.complete else "in_progress",
                      name=saved.name if saved else None, notes=saved.notes if saved else None,
                      expect=saved.expect if saved else None, as_json=self.plan.target.suffix.lower() == ".json")

    def save(self, session: Session) -> None:
        from recommender.quiz.savefile import write_atomic

        self.dirty = True  # stays set if the write is interrupted, so the stop writes again
        text = self.text(session)
        if text != self.written:
            try:
                write_atomic(self.plan.target, text)
            except OSError as exc:
                self.pending = text
                self.failed(exc)
                return
            if self.problem is not None:
                self.say(_("Saved your answers to {path} after all.").format(path=self.plan.target), "note")
            self.written, self.pending, self.problem = text, None, None
        self.dirty = False

    def failed(self, exc: OSError) -> None:
        from recommender.quiz.savefile import why

        if self.problem is None:
            self.say(_("Cannot save your answers to {path}: {problem}. The questionnaire goes on; your answers are "
                       "kept in memory and shown at the end so you can save them by hand.").format(
                           path=self.plan.target, problem=why(exc)), "error")
        self.problem = why(exc)

    def flush(self, session: Session) -> None:
        """Write once more if the last write failed or was interrupted."""
        if self.dirty:
            self.save(session)

    def finish(self, session: Session) -> None:
        """Write the completed file, unless this run changed nothing in the file it read."""
        if self.dirty or not self.plan.in_place:
            self.save(session)
        if self.problem is not None and self.pending is None:
            self.pending = self.text(session)


# ---------------------------------------------------------------- the terminal


def shell_quote(path: Path | str) -> str:
    return shlex.quote(str(path))
