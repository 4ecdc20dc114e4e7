"""`--help` in the reader's language, for the commands a student runs and for the root group.

The help texts are marked with ``N_()`` where they are defined and looked up with ``_()`` when the
help is shown.  Click words its own parts of a help page ("Usage:", "Options", "[default: …]") with
the standard library's ``gettext``; the classes here write those parts themselves, looking up
click's English words in our catalog, so English help stays exactly click's and no process-wide
gettext domain changes.  The advisor's commands are plain click commands: their help stays English.
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Sequence

import click

from recommender.cli.options import LANG_KEY
from recommender.i18n import LANGS, N_, _, lang_from_env, use_lang

# Click's own words, in its English (its msgids), so that our catalog has them in Spanish.
USAGE, OPTIONS, COMMANDS, ARGUMENTS = N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments")
DEFAULT, REQUIRED, ENV_VAR = N_("default: {default}"), N_("required"), N_("env var: {var}")
CLICK_HELP = (N_("Show this message and exit."), N_("Show the version and exit."))


def asked_lang(command: click.Command, ctx: click.Context, args: Sequence[str]) -> str | None:
    """The --lang given in `args` (before or after --help), read without running any callback."""
    if not any(param.name == "lang" for param in command.params):
        return None
    try:
        opts, _rest, _order = command.make_parser(ctx).parse_args(args=list(args))
    except click.ClickException:
        return None  # the real parse reports it
    value = opts.get("lang")
    return value if isinstance(value, str) and value in LANGS else None


def help_lang(ctx: click.Context) -> str:
    """The language of a help page: --lang on the command line, else the locale's."""
    asked = ctx.meta.get(LANG_KEY)
    return asked if isinstance(asked, str) and asked in LANGS else lang_from_env(os.environ)


def option_record(param: click.Parameter, ctx: click.Context) -> tuple[str, str] | None:
    """An option's line of help in the active language, as click's Option.get_help_record words it."""
    if not isinstance(param, click.Option):
        return param.get_help_record(ctx)
    if param.hidden:
        return None
    extra = param.get_help_extra(ctx)
    items: list[str] = []
    if "envvars" in extra:
        items.append(_(ENV_VAR).format(var=", ".join(extra["envvars"])))
    if "default" in extra:
        items.append(_(DEFAULT).format(default=extra["default"]))
    if "range" in extra:
        items.append(extra["range"])
    if "required" in extra:
        items.append(_(REQUIRED))
    text = _(param.help) if param.help else ""
    if items:
        text = f"{text}  [{'; '.join(items)}]" if text else f"[{'; '.join(items)}]"
    return param.get_help_spec(ctx), text


def short_help(command: click.Command, limit: int) -> str:
    """A command's line in a group's list, in the active language where the catalog has it.

    A command of ours translates its own; for another (an advisor's), the catalog may have its first
    sentence, so a Spanish reader learns what it is even though its own help is English.
    """
    if isinstance(command, HelpCommand):
        return command.get_short_help_str(limit)
    sentence = command.get_short_help_str(sys.maxsize)
    said = _(sentence)
    if said == sentence:
        return command.get_short_help_str(limit)
    return click.Command(None, help=said).get_short_help_str(limit)


class HelpCommand(click.Command):
    """A command whose --help is in the reader's language (see the module's docstring)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # --help is eager and may run before --lang: note the language first.
        asked = asked_lang(self, ctx, args)
        if asked is not None:
            ctx.meta[LANG_KEY] = asked
        return super().parse_args(ctx, args)

    def get_help(self, ctx: click.Context) -> str:
        with use_lang(help_lang(ctx)):
            return super().get_help(ctx)

    def translated(self) -> click.Command:
        """A copy of this command with its help texts in the active language."""
        shown = copy.copy(self)
        shown.help = _(self.help) if self.help else self.help
        shown.short_help = _(self.short_help) if self.short_help else self.short_help
        shown.epilog = _(self.epilog) if self.epilog else self.epilog
        return shown

    def get_short_help_str(self, limit: int = 45) -> str:
        return click.Command.get_short_help_str(self.translated(), limit)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The usage line is translated here, not in format_usage: a usage error shows that line too,
        # followed by click's English message, and half a Spanish error reads worse than an English one.
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=f"{_(USAGE)} ")
        self.format_help_text(ctx, formatter)
        self.format_arguments(ctx, formatter)
        self.format_options(ctx, formatter)
        click.Command.format_epilog(self.translated(), ctx, formatter)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        click.Command.format_help_text(self.translated(), ctx, formatter)

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        args = [param for param in self.get_params(ctx) if isinstance(param, click.Argument)]
        if any(arg.help is not None for arg in args):
            with formatter.section(_(ARGUMENTS)):
                formatter.write_dl([(arg.get_help_record(ctx)[0], _(arg.help) if arg.help else "") for arg in args])

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.format_option_list(ctx, formatter)

    def format_option_list(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = [option_record(param, ctx) for param in self.get_params(ctx) if not isinstance(param, click.Argument)]
        shown = [record for record in records if record is not None]
        if shown:
            with formatter.section(_(OPTIONS)):
                formatter.write_dl(shown)


class HelpGroup(HelpCommand, click.Group):
    """A group whose --help, its list of commands included, is in the reader's language."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.format_option_list(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        commands = [(name, command) for name in self.list_commands(ctx)
                    if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _command in commands)
            with formatter.section(_(COMMANDS)):
                formatter.write_dl([(name, short_help(command, limit)) for name, command in commands])
