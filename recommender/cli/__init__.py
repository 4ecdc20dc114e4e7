"""The command line: a root group, shared options, and the one place errors become exit codes.

A front end: may import every other sub-package; nothing imports it. One module per command,
each imported only when that command runs.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import click

from recommender import __version__
from recommender.cli.helptext import HelpGroup
from recommender.cli.options import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_PROBLEMS,
    format_option,
    rules_option,
)
from recommender.cli.output import Guarded
from recommender.errors import OutputError, RecommenderError, one_line
from recommender.i18n import DEFAULT_LANG, LANGS, N_, _, use_lang
from recommender.safetext import escape_controls

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_OK", "EXIT_OUTPUT", "EXIT_PROBLEMS", "cli", "format_option", "main", "rules_option"]

class LazyGroup(HelpGroup):
    """A group that imports a command's module when the command runs, or when help lists it."""

    def __init__(self, *args: Any, lazy: Mapping[str, Callable[[], click.Command]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(self.lazy[cmd_name](), cmd_name)
        return self.commands.get(cmd_name)


# One function per command, so that each import stays written out (and checked) where it is used.
def _recommend() -> click.Command:
    from recommender.cli.recommend import recommend

    return recommend


def _path() -> click.Command:
    from recommender.cli.path import path

    return path


def _explain() -> click.Command:
    from recommender.cli.explain import explain

    return explain


def _rules() -> click.Command:
    from recommender.cli.rules import rules

    return rules


def _schema() -> click.Command:
    from recommender.cli.schema import schema

    return schema


def _quiz() -> click.Command:
    from recommender.cli.quiz import quiz

    return quiz


def _batch() -> click.Command:
    from recommender.cli.batch import batch

    return batch


def _serve() -> click.Command:
    from recommender.cli.serve import serve

    return serve


COMMANDS: dict[str, Callable[[], click.Command]] = {
    "recommend": _recommend, "path": _path, "explain": _explain, "rules": _rules, "schema": _schema,
    "quiz": _quiz, "batch": _batch, "serve": _serve,
}


# The advisor's commands keep their English help, but the list of commands says what each is in the
# reader's language: their first sentences, marked here for the catalog (a test checks they still match).
ADVISOR_SUMMARIES = {
    "batch": N_("Score many profiles: answers files, folders of them, JSON Lines (.jsonl) or CSV (.csv)."),
    "rules": N_("Check, test and compare rule books (for advisors)."),
    "schema": N_("Print or write JSON Schema (draft-07) for rule files and answers files."),
}


@click.group(cls=LazyGroup, lazy=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             help=N_("Find the medical administrative certifications, programs and roles that fit you.\n\n"
                     "Answer the questionnaire (recommender quiz) or write an answers file, then ask\n"
                     "for a report (recommender recommend ANSWERS)."))
@click.version_option(__version__, prog_name="recommender")
# Hidden: `recommender --lang es --help` (or `--help --lang es`) shows this help in Spanish, and a
# student's command run under it reads its texts in Spanish unless it is given its own --lang.
@click.option("--lang", type=click.Choice(LANGS), default=None, hidden=True, expose_value=False)
def cli() -> None:
    """The root group (its --help text is the help= above, marked for translation)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the only place that turns errors into messages and exit codes."""
    real_out, real_err = sys.stdout, sys.stderr
    # Every byte to stdout passes the output boundary; stderr only has its encoding fitted (the quiz
    # colours its prompts and batch redraws its counter there, and both escape what they quote).
    sys.stdout = Guarded(real_out)
    sys.stderr = Guarded(real_err, escape=False, raise_errors=False) if real_err is not None else None
    try:
        # Each run starts in English and leaves the language as it found it: --lang, or the locale
        # for a student's command, decides only inside the run.
        with use_lang(DEFAULT_LANG):
            code = _run(argv)
        if code != EXIT_OUTPUT:
            sys.stdout.flush()
    except OutputError as exc:
        code = _report_output(exc)
    finally:
        sys.stdout, sys.stderr = real_out, real_err
    return code


def _report_output(exc: OutputError) -> int:
    with contextlib.suppress(OSError, ValueError, OutputError):
        for line in exc.lines():
            click.echo(line, err=True)
    return EXIT_OUTPUT


def _run(argv: Sequence[str] | None) -> int:
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="recommender",
                          standalone_mode=False)
    except OutputError as exc:
        return _report_output(exc)
    except RecommenderError as exc:
        for line in exc.shown():
            click.echo(line, err=True)
        return EXIT_BAD_INPUT
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        shown = io.StringIO()
        exc.show(file=shown)  # usage errors quote what was typed: escape it like every other line
        click.echo(escape_controls(shown.getvalue()), err=True, nl=False)
        return int(exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo(_("Stopped."), err=True)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, never a traceback
        if os.environ.get("RECOMMENDER_DEBUG"):
            raise
        click.echo(one_line(_("recommender: internal error: {error}: {message} (set RECOMMENDER_DEBUG=1 to see the "
                              "traceback, and please report it)").format(error=type(exc).__name__, message=exc)),
                   err=True)
        return EXIT_INTERNAL
    return int(result) if isinstance(result, int) else EXIT_OK
