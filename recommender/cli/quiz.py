"""`recommender quiz`: the questionnaire in a terminal, saved after every answer, then the report.

The conversation is plain lines through two functions, `ask(prompt) -> line` and
`say(text, kind)`, so tests (and any other line-based front end) drive the same code the
terminal does.  Questions and messages go to stderr; only the report goes to stdout, so
`recommender quiz --format json > report.json` keeps the JSON clean.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from recommender.cli import format_option, rules_option

if TYPE_CHECKING:  # imported where used, so `recommender --help` starts without pydantic or the engine
    from recommender.book.rulebook import RuleBook
    from recommender.book.rulefile import Question
    from recommender.quiz.savefile import SavedFile
    from recommender.quiz.session import Issue, Session

Ask = Callable[[str], str]  # shows a prompt, returns the line typed; raises EOFError when input ends
Say = Callable[[str, str], None]  # prints one line; the kind ("title", "question", "error", "note", "") styles it

MAX_LINE = 10_000
STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True},
    "question": {"bold": True},
    "prompt": {"fg": "cyan"},
    "error": {"fg": "red"},
    "note": {"fg": "yellow"},
}
COMMANDS = "At any question: ? explains it, b goes back, q saves your answers and stops."


@click.command()
@click.option("--save", "save", type=click.Path(path_type=Path), default=None, metavar="PATH",
              help="Save your answers in this file (or, for a folder, in a new file inside it).")
@click.option("--resume", type=click.Path(path_type=Path), default=None, metavar="PATH",
              help="Continue an unfinished questionnaire from its answers file, and keep saving to it.")
@click.option("--answers", "answers_path", type=click.Path(path_type=Path), default=None, metavar="PATH",
              help="Start from an existing answers file to change some answers; saved to a new file "
                   "unless --save names that one.")
@format_option("text", "json", "markdown")
@rules_option
def quiz(save: Path | None, resume: Path | None, answers_path: Path | None, fmt: str,
         rules_dir: Path | None) -> int:
    """Answer a short questionnaire (about five minutes) and get your report.

    Each question lists numbered choices: type a number and press Enter. Where
    several choices are allowed, separate them with commas or spaces (for
    example: 1, 3 5). Pressing Enter alone accepts the answer offered. Type ?
    for help with a question, b to go back one question, or q to save and stop.

    \b
    Your answers are saved after every question: in my-answers.yaml in this
    folder (or my-answers-2.yaml and so on, if that file exists) unless you
    choose another file with --save. Stop at any time, and continue later
    with --resume. At the end you can review and change any answer before
    the report is shown.
    """
    from recommender.errors import AnswersError, Problem
    from recommender.book.loader import load_rulebook
    from recommender.quiz.savefile import default_path, read_saved, same_file
    from recommender.quiz.session import Session

    if resume is not None and answers_path is not None:
        raise click.UsageError("use --resume to continue a file or --answers to start from one, not both")
    book = load_rulebook(rules_dir)
    source = resume or answers_path
    saved = read_saved(source, book) if source is not None else None
    session, issues = Session.restore(book, saved.answers if saved else {}, resume=resume is not None)
    if save is not None:
        target = default_path(save) if save.is_dir() else save
    else:
        target = resume if resume is not None else default_path()
    if (target.exists() or target.is_symlink()) and not (source is not None and same_file(target, source)):
        # Another file is never replaced: it may be someone's only copy of something else.
        raise AnswersError(Problem(str(target), 0, f"already exists; continue it with --resume {_q(target)}, "
                                                   f"change it with --answers {_q(target)}, or choose a new "
                                                   f"file with --save"))
    terminal = Terminal(_binary(sys.stdin), sys.stderr)
    again = f" --rules {_q(rules_dir)}" if rules_dir is not None else ""
    plan = Plan(target=target, saved=saved, resume=resume is not None,
                in_place=source is not None and same_file(target, source), fmt=fmt, rules_hint=again)
    with _signals_stop():
        return run_quiz(book, session, issues_lines(saved, issues), plan, terminal.ask, terminal.say,
                        lambda text: click.echo(text, nl=False))


@dataclass(frozen=True)
class Plan:
    """Where the answers go, where they came from, and how the report is printed."""

    target: Path
    saved: SavedFile | None = None
    resume: bool = False
    in_place: bool = False  # the target is the file the answers were read from
    fmt: str = "text"
    rules_hint: str = ""  # repeated in the commands suggested to the person


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
            stop = "You stopped the questionnaire."
    except EOFError:
        stop, code = "The input ended before the questionnaire was finished.", 1
    except Stopped as exc:
        stop, code = "Stopped by a signal.", 128 + exc.signum
    except KeyboardInterrupt:
        stop, code = "Interrupted.", 130
    except OSError:
        # The terminal went away mid-sentence (e.g. a closed window): the answers are on disk.
        stop, code = "Lost the terminal.", 1
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
    emit(render(recommend(book, profile), book, plan.fmt))
    if saver.pending is None:
        say(f"Your answers are saved in {shown}.", "note")
        say(f"See this report again with: recommender recommend {_q(plan.target)}{plan.rules_hint}", "")
    else:
        _by_hand(saver, say)
    return 0


# ---------------------------------------------------------------- the conversation
def converse(session: Session, ask: Ask, say: Say, changed: Callable[[Session], None]) -> bool:
    """Ask until every question is answered and reviewed (True), or the person quits (False)."""
    shown: str | None = None
    first = True
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
        entry = session.parse(q, ask("Your answer: "))
        if entry.kind == "help":
            for line in _help_lines(session, q):
                say(line, "")
        elif entry.kind == "back":
            if session.back():
                shown = None
            else:
                say("This is the first question; there is nothing before it.", "error")
        elif entry.kind == "quit":
            return False
        elif entry.kind == "invalid":
            say(f"Not accepted: {entry.reason}.", "error")
        else:
            dropped = session.answer(entry.value)
            changed(session)
            for qid in dropped:
                say(f"Removed your earlier answer about {session.question(qid).label}, which no longer applies.",
                    "note")


def _review(session: Session, ask: Ask, say: Say) -> bool | None:
    """Show every answer; True to go on to the report, False to quit, None after a change."""
    asked = session.asked()
    answers = session.answers
    say("", "")
    say("Review your answers", "title")
    for n, q in enumerate(asked, 1):
        say(f"  {n}. {_capital(q.label)}: {answer_words(session, q.id, answers[q.id])}", "")
    say("To change an answer, type its number. Press Enter to see your report.", "")
    while True:
        try:
            text = ask("Number to change, or Enter for your report: ").strip()
        except EOFError:
            return True  # all answered: piped input may simply end here
        word = text.casefold()
        if not text:
            return True
        if word in ("q", "quit"):
            return False
        if word in ("b", "back"):
            session.back()
            return None
        if word in ("?", "help"):
            say("Type the number of an answer to answer that question again, or press Enter for the report. "
                "b goes back to the last question, q saves and stops.", "")
            continue
        if text.isdigit() and 1 <= int(text) <= len(asked):
            session.reopen(asked[int(text) - 1].id)
            return None
        say(f"Not accepted: '{text[:40]}' is not an answer number; type 1 to {len(asked)}, "
            f"or press Enter for your report.", "error")


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
        say(COMMANDS, "")


def _default_words(session: Session, q: Question) -> str:
    default = session.default(q)
    if default is None:
        return ""
    verb = "keep" if session.has_answer(q.id) else "choose"
    return f" Press Enter to {verb}: {answer_words(session, q.id, default)}."


def _help_lines(session: Session, q: Question) -> list[str]:
    lines = [f"Help: {q.help}" if q.help else "There is no more help for this question."]
    for n, (cid, label, text) in enumerate(session.choices(q) if q.type in ("single", "multi") else [], 1):
        lines.append(f"  {n}. {cid}: {label}" + (f". {text}" if text else ""))
    lines.append(_capital(session.how_to_answer(q)) + "." + _default_words(session, q))
    lines.append(COMMANDS)
    return lines


def answer_words(session: Session, qid: str, value: Any) -> str:
    """An answer as the review shows it: labels, yes or no, numbers with their unit."""
    from recommender.engine.recommend import answer_text

    q = session.question(qid)
    if q.type == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        number = f"{value:,}" if isinstance(value, int) else f"{value:,g}"
        return f"{number} {_unit(q.unit, value)}" if q.unit else number
    return answer_text(session.book, qid, value)


def _unit(unit: str, value: float) -> str:
    """'years' -> '1 year': the first lower-case plural word of the unit goes singular for exactly one."""
    if value != 1:
        return unit
    words = unit.split()
    for i, word in enumerate(words):
        if word.islower() and word.endswith("s"):
            words[i] = word[:-1]
            break
    return " ".join(words)


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
    say("Career questionnaire: medical administration", "title")
    total = len(session.asked())
    if plan.saved is not None and plan.resume:
        done = sum(1 for q in session.asked() if session.has_answer(q.id))
        if session.current() is None:
            say(f"Every question in {plan.saved.shown} is answered; review your answers below.", "")
        else:
            say(f"Continuing {plan.saved.shown}: {done} of about {total} questions answered.", "")
    elif plan.saved is not None:
        say(f"Starting from the answers in {plan.saved.shown}: press Enter at a question to keep the answer "
            f"shown.", "")
    else:
        say(f"About {total} questions; most people finish in under five minutes.", "")
    say("Type the number of your choice and press Enter. Enter on its own accepts the answer offered.", "")
    for line in issues:
        say(line, "note")
    say(f"Your answers are saved after each question in {shown}.", "")


def _goodbye(session: Session, saver: Saver, why: str, plan: Plan, say: Say) -> None:
    say("", "")
    answered = len(session.answers)
    if saver.pending is not None:
        say(why, "note")
        _by_hand(saver, say)
        return
    if saver.written is None and not plan.in_place:
        say(f"{why} Nothing was saved: no question had been answered yet.", "note")
        return
    say(f"{why} Your answers so far ({answered}) are saved in {plan.target}.", "note")
    say(f"Continue later with: recommender quiz --resume {_q(plan.target)}{plan.rules_hint}", "")


def _by_hand(saver: Saver, say: Say) -> None:
    say(f"Your answers could not be saved to {saver.plan.target} ({saver.problem}). "
        f"To keep them, copy the lines between the two markers into a file:", "error")
    say("----- answers start -----", "")
    for line in (saver.pending or "").splitlines():
        say(line, "")
    say("----- answers end -----", "")


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
                self.say(f"Saved your answers to {self.plan.target} after all.", "note")
            self.written, self.pending, self.problem = text, None, None
        self.dirty = False

    def failed(self, exc: OSError) -> None:
        from recommender.quiz.savefile import why

        if self.problem is None:
            self.say(f"Cannot save your answers to {self.plan.target}: {why(exc)}. The questionnaire goes on; "
                     f"your answers are kept in memory and shown at the end so you can save them by hand.",
                     "error")
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
class Terminal:
    """Reads lines from stdin and prints the conversation to stderr; colour only on a terminal."""

    def __init__(self, stdin: IO[bytes], stderr: IO[str], environ: dict[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self._in = stdin
        self._err = stderr
        self.interactive = _isatty(stdin)
        # https://no-color.org: any non-empty NO_COLOR turns colour off.
        self.color = _isatty(stderr) and not env.get("NO_COLOR") and env.get("TERM") != "dumb"

    def say(self, text: str, kind: str = "") -> None:
        if self.color and text and kind in STYLES:
            text = click.style(text, **STYLES[kind])
        click.echo(text, file=self._err, color=self.color)

    def ask(self, prompt: str) -> str:
        shown = click.style(prompt, **STYLES["prompt"]) if self.color else prompt
        click.echo(shown, file=self._err, nl=False, color=self.color)
        line = self._in.readline(MAX_LINE + 1)
        if not line:
            click.echo("", file=self._err)  # end the prompt's line before whatever is said next
            raise EOFError
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            while (more := self._in.readline(MAX_LINE)) and not more.endswith(b"\n"):
                pass  # the rest of an over-long line is dropped, not read as further answers
            line = line[:MAX_LINE]
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if not self.interactive:
            # Piped input is not echoed by a terminal; echoing it makes the output read as a transcript.
            click.echo(text, file=self._err)
        return text


def _binary(stream: Any) -> IO[bytes]:
    """The bytes under a text stream, so undecodable input is replaced rather than fatal."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return buffer  # type: ignore[no-any-return]
    text = stream.read()  # pragma: no cover - only when something replaced stdin with a plain text object
    return io.BytesIO(text.encode("utf-8", "replace"))  # pragma: no cover


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _q(path: Path | str) -> str:
    return shlex.quote(str(path))


@contextlib.contextmanager
def _signals_stop() -> Iterator[None]:
    """Turn a hang-up or a termination request into a clean stop (the file is saved already)."""
    wanted = [getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: Any) -> None:
        raise Stopped(signum)

    old = {sig: signal.signal(sig, stop) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
