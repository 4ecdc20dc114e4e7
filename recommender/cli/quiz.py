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
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from recommender.cli.options import format_option, rules_option
from recommender.quiz.conversation import (
    Plan,
    Stopped,
    issues_lines,
    run_quiz,
    shell_quote,
)

if TYPE_CHECKING:  # imported where used, so `recommender --help` starts without pydantic or the engine
    pass


MAX_LINE = 10_000
STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True},
    "question": {"bold": True},
    "prompt": {"fg": "cyan"},
    "error": {"fg": "red"},
    "note": {"fg": "yellow"},
}


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
    from recommender.book.loader import load_rulebook
    from recommender.errors import AnswersError, Problem
    from recommender.quiz.savefile import default_path, read_saved, same_file
    from recommender.quiz.session import Session

    if resume is not None and answers_path is not None:
        raise click.UsageError("use --resume to continue a file or --answers to start from one, not both")
    book = load_rulebook(rules_dir)
    source = resume or answers_path
    saved = read_saved(source, book) if source is not None else None
    session, issues = Session.restore(book, saved.answers if saved else {}, resume=resume is not None,
                                      finished=saved is not None and saved.status == "completed")
    if save is not None:
        target = default_path(save) if save.is_dir() else save
    else:
        target = resume if resume is not None else default_path()
    if (target.exists() or target.is_symlink()) and not (source is not None and same_file(target, source)):
        # Another file is never replaced: it may be someone's only copy of something else.
        raise AnswersError(Problem(str(target), 0, f"already exists; continue it with --resume {shell_quote(target)}, "
                                                   f"change it with --answers {shell_quote(target)}, or choose a new "
                                                   f"file with --save"))
    terminal = Terminal(_binary(sys.stdin), sys.stderr)
    again = f" --rules {shell_quote(rules_dir)}" if rules_dir is not None else ""
    plan = Plan(target=target, saved=saved, resume=resume is not None,
                in_place=source is not None and same_file(target, source), fmt=fmt, rules_hint=again)
    with _signals_stop():
        return run_quiz(book, session, issues_lines(saved, issues), plan, terminal.ask, terminal.say,
                        lambda text: click.echo(text, nl=False))


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
