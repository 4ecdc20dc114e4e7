"""Options and exit codes shared by every command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from recommender.i18n import N_

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 70
# The output could not be written (a closed stdout, a broken pipe, a full disk): sysexits EX_IOERR.
EXIT_OUTPUT = 74
#: Where the --lang asked for on the command line is kept: ctx.meta is shared by a command and its
#: group, so `recommender --lang es recommend …` reaches the command, and --help sees it before --lang runs.
LANG_KEY = "recommender.lang"


def rules_option(func: F) -> F:
    """--rules DIR, shared by every command."""
    return click.option(
        "--rules", "rules_dir", type=click.Path(path_type=Path), default=None, metavar="DIR",
        help=N_("Rule book folder (default: the rule book shipped with the package)."),
    )(func)


def lang_option(func: F) -> F:
    """--lang en|es: the language a person reads; by default the locale's (LC_ALL, LC_MESSAGES, LANG)."""

    def chosen(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
        import os

        from recommender.i18n import lang_from_env, set_lang

        asked = ctx.meta.get(LANG_KEY)
        lang = value if value is not None else asked if isinstance(asked, str) else lang_from_env(os.environ)
        set_lang(lang)
        return lang

    from recommender.i18n import LANGS

    return click.option(
        "--lang", "lang", type=click.Choice(LANGS), default=None, callback=chosen, is_eager=True,
        help=N_("Language of the texts: en (English) or es (Spanish).  [default: from LC_ALL, LC_MESSAGES "
                "or LANG, else en]"),
    )(func)


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    def wrap(func: F) -> F:
        from recommender.cli.output import remember_format

        return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                            help=N_("Output format."), callback=remember_format)(func)
    return wrap


def details_option(func: F) -> F:
    """--details: everything behind the advice (text and Markdown; JSON always has it)."""
    return click.option(
        "--details", is_flag=True, default=False,
        help=N_("Also show every reason with its rule and points, eligibility route by route, what is not "
                "recommended and what would change that, and every pathway in full. JSON always has all of it."),
    )(func)


def terminal_width(stream: Any = None) -> int:
    """The width to wrap text to: COLUMNS, else the terminal's width, kept within 40–100; 88 off a terminal."""
    import os
    import shutil
    import sys

    from recommender.render.wrap import DEFAULT_WIDTH, clamp

    raw = os.environ.get("COLUMNS", "")
    if raw.strip().isdigit() and len(raw.strip()) < 6:
        return clamp(int(raw))
    stream = stream if stream is not None else sys.stdout
    try:
        if stream.isatty():
            return clamp(shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)
    except (AttributeError, ValueError, OSError):
        pass
    return DEFAULT_WIDTH
