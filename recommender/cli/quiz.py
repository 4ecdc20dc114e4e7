"""`recommender quiz`: the questionnaire in a terminal, saved after every answer, then the report.

The conversation is plain lines through two functions, `ask(prompt) -> line` and
`say(text, kind)`, so tests (and any other line-based front end) drive the same code the
terminal does.  Questions and messages go to stderr; only the report goes to stdout, so
`recommender quiz --format json > report.json` keeps the JSON clean.
"""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from recommender.cli.helptext import HelpCommand
from recommender.cli.options import (
    format_option,
    lang_option,
    rules_option,
    terminal_width,
)
from recommender.cli.signals import stop_on_signals
from recommender.i18n import N_, _
from recommender.quiz.conversation import (
    Plan,
    Stopped,
    issues_lines,
    run_quiz,
    shell_quote,
)
from recommender.quiz.lock import Busy, Lock, acquire
from recommender.render.wrap import Wrap
from recommender.safetext import escape_controls, one_line_text

if TYPE_CHECKING:  # imported where used, so `recommender --help` starts without pydantic or the engine
    pass


# What yamlio.special_file calls a file that is not a regular one, marked here so the message can say it
# in the person's language.
_FILE_KINDS = (N_("a folder"), N_("a named pipe"), N_("a device"), N_("a socket"), N_("not a regular file"))
MAX_LINE = 10_000
MAX_SKIP = 1_000_000  # bytes of one over-long line dropped before the input is taken to have ended
STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True},
    "question": {"bold": True},
    "prompt": {"fg": "cyan"},
    "error": {"fg": "red"},
    "note": {"fg": "yellow"},
}


@click.command(cls=HelpCommand, help=N_(
    "Answer a short questionnaire (about five minutes) and get your report.\n\n"
    "Each question lists numbered choices: type a number and press Enter. Where\n"
    "several choices are allowed, separate them with commas or spaces (for\n"
    "example: 1, 3 5). Pressing Enter alone accepts the answer offered. Type ?\n"
    "for help with a question, b to go back one question, or q to save and stop.\n\n"
    "\b\n"
    "Your answers are saved after every question: in my-answers.yaml in this\n"
    "folder (or my-answers-2.yaml and so on, if that file exists) unless you\n"
    "choose another file with --save. Stop at any time, and continue later\n"
    "with --resume. At the end you can review and change any answer before\n"
    "the report is shown."))
@click.option("--save", "save", type=click.Path(path_type=Path), default=None, metavar="PATH",
              help=N_("Save your answers in this file (or, for a folder, in a new file inside it)."))
@click.option("--resume", type=click.Path(path_type=Path), default=None, metavar="PATH",
              help=N_("Continue an unfinished questionnaire from its answers file, and keep saving to it."))
@click.option("--answers", "answers_path", type=click.Path(path_type=Path), default=None, metavar="PATH",
              help=N_("Start from an existing answers file to change some answers; saved to a new file "
                      "unless --save names that one."))
@format_option("text", "json", "markdown")
@rules_option
@lang_option
def quiz(save: Path | None, resume: Path | None, answers_path: Path | None, fmt: str,
         rules_dir: Path | None, lang: str) -> int:
    """`recommender quiz` (its --help is the help= above, marked for translation)."""
    from recommender.book.cache import load_cached
    from recommender.book.yamlio import special_file
    from recommender.errors import AnswersError, Problem
    from recommender.quiz.savefile import read_saved, same_file
    from recommender.quiz.session import Session

    if resume is not None and answers_path is not None:
        raise click.UsageError(_("use --resume to continue a file or --answers to start from one, not both"))
    book = load_cached(rules_dir, lang=lang)
    source = resume or answers_path
    saved = read_saved(source, book) if source is not None else None
    session, issues = Session.restore(book, saved.answers if saved else {}, resume=resume is not None,
                                      finished=saved is not None and saved.status == "completed")
    if save is not None and not save.is_dir():
        target = save
    elif save is None and resume is not None:
        target = resume
    else:
        target = None
    if target is None:
        target, lock = _claim_default(save or Path("."))
    else:
        kind = special_file(target)
        if kind is not None:
            raise AnswersError(Problem(str(target), 0, _("is {kind}; answers are saved only in regular files, so "
                                                         "choose a file with --save").format(kind=_(kind))))
        lock = _hold(target)
    try:
        if (target.exists() or target.is_symlink()) and not (source is not None and same_file(target, source)):
            # Another file is never replaced: it may be someone's only copy of something else.
            raise AnswersError(Problem(str(target), 0, _("already exists; continue it with --resume {path}, change "
                                                         "it with --answers {path}, or choose a new file with "
                                                         "--save").format(path=shell_quote(target))))
        terminal = Terminal(_binary(sys.stdin), sys.stderr)
        again = f" --rules {shell_quote(rules_dir)}" if rules_dir is not None else ""
        plan = Plan(target=target, saved=saved, resume=resume is not None,
                    in_place=source is not None and same_file(target, source), fmt=fmt, rules_hint=again,
                    width=terminal_width(sys.stdout))
        # A hang-up or a termination request is a clean stop: the answers are on disk already.
        with stop_on_signals(Stopped):
            return run_quiz(book, session, issues_lines(saved, issues), plan, terminal.ask, terminal.say,
                            lambda text: click.echo(text, nl=False))
    finally:
        if lock is not None:
            lock.release()


def _hold(target: Path) -> Lock | None:
    """Lock the answers file for this run, or say which run is writing it (exit 2)."""
    from recommender.errors import AnswersError, Problem

    try:
        return acquire(target)
    except Busy as exc:
        raise AnswersError(Problem(str(target), 0, _("is being written by another recommender quiz ({holder}); "
                                                     "finish that one first, or choose another file with "
                                                     "--save").format(holder=exc.holder))) from None


def _claim_default(folder: Path) -> tuple[Path, Lock | None]:
    """The first my-answers*.yaml in `folder` that neither exists nor is being written by another run."""
    from recommender.quiz.savefile import default_path

    taken: set[Path] = set()
    while True:
        candidate = default_path(folder, skip=taken)
        try:
            lock = acquire(candidate)
        except Busy:
            taken.add(candidate)  # another run starting at the same moment took it: take the next name
            continue
        if candidate.exists() or candidate.is_symlink():  # saved by a run that ended meanwhile
            if lock is not None:
                lock.release()
            taken.add(candidate)
            continue
        return candidate, lock


class Terminal:
    """Reads lines from stdin and prints the conversation to stderr; colour only on a terminal."""

    def __init__(self, stdin: IO[bytes], stderr: IO[str], environ: dict[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self._in = stdin
        self._err = stderr
        self.interactive = _isatty(stdin)
        # https://no-color.org: any non-empty NO_COLOR turns colour off.
        self.color = _isatty(stderr) and not env.get("NO_COLOR") and env.get("TERM") != "dumb"
        # On a terminal (or with COLUMNS set) the conversation wraps to its width; piped into a
        # log or another program, each message stays whole on its line.
        wraps = _isatty(stderr) or env.get("COLUMNS", "").strip().isdigit()
        self.wrap = Wrap(terminal_width(stderr)) if wraps else None

    def say(self, text: str, kind: str = "") -> None:
        text = escape_controls(text)  # rule-book texts, file names and echoed answers may hold escape sequences
        for line in self._lines(text):
            if self.color and line and kind in STYLES:
                line = click.style(line, **STYLES[kind])
            click.echo(line, file=self._err, color=self.color)

    def _lines(self, text: str) -> list[str]:
        """A line wrapped to the terminal, its continuation indented under its text ('  3. ' lists too)."""
        if self.wrap is None or len(text) <= self.wrap.width:
            return [text]
        lead = re.match(r"\s*(?:\d+\.\s+|-\s+)?", text)
        indent = " " * (lead.end() if lead else 0)
        return self.wrap(text[len(indent):], indent, text[:len(indent)])

    def ask(self, prompt: str) -> str:
        prompt = escape_controls(prompt)
        shown = click.style(prompt, **STYLES["prompt"]) if self.color else prompt
        click.echo(shown, file=self._err, nl=False, color=self.color)
        line = self._in.readline(MAX_LINE + 1)
        if not line:
            click.echo("", file=self._err)  # end the prompt's line before whatever is said next
            raise EOFError
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            skipped = 0
            while (more := self._in.readline(MAX_LINE)) and not more.endswith(b"\n"):
                skipped += len(more)  # the rest of an over-long line is dropped, not read as further answers
                if skipped > MAX_SKIP:
                    # No line ends (`quiz < /dev/zero`): this is not a person typing, so the input has ended.
                    click.echo("", file=self._err)
                    raise EOFError
            line = line[:MAX_LINE]
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if not self.interactive:
            # Piped input is not echoed by a terminal; echoing it makes the output read as a transcript.
            click.echo(one_line_text(text), file=self._err)
        return text


def _binary(stream: Any) -> IO[bytes]:
    """The bytes under a text stream, so undecodable input is replaced rather than fatal."""
    if stream is None:  # stdin closed (`quiz <&-`): no answers will come, as at the end of input
        return io.BytesIO(b"")
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
