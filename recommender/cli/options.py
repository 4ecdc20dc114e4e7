"""Options and exit codes shared by every command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 70
# The output could not be written (a closed stdout, a broken pipe, a full disk): sysexits EX_IOERR.
EXIT_OUTPUT = 74


def rules_option(func: F) -> F:
    """--rules DIR, shared by every command."""
    return click.option(
        "--rules", "rules_dir", type=click.Path(path_type=Path), default=None, metavar="DIR",
        help="Rule book folder (default: the rule book shipped with the package).",
    )(func)


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    def wrap(func: F) -> F:
        from recommender.cli.output import remember_format

        return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                            help="Output format.", callback=remember_format)(func)
    return wrap
