"""`recommender recommend`: the report for one answers file."""

from __future__ import annotations

from pathlib import Path

import click

from recommender.cli.helptext import HelpCommand
from recommender.cli.options import (
    details_option,
    format_option,
    lang_option,
    rules_option,
    terminal_width,
)
from recommender.i18n import N_


@click.command(cls=HelpCommand, help=N_("Print the recommendations for an answers file (YAML or JSON)."))
@click.argument("answers", type=click.Path(path_type=Path), metavar="ANSWERS")
@format_option("text", "json", "markdown")
@click.option("--top", type=click.IntRange(min=1), default=None, metavar="N",
              help=N_("Show at most N certifications, N programs and N roles."))
@details_option
@rules_option
@lang_option
def recommend(answers: Path, fmt: str, top: int | None, details: bool, rules_dir: Path | None, lang: str) -> int:
    """`recommender recommend` (its --help is the help= above, marked for translation)."""
    from recommender.advisor.workcopy import working_copy_warning
    from recommender.book.answers import load_answers
    from recommender.book.cache import load_cached
    from recommender.engine.recommend import recommend as run
    from recommender.render import render

    book = load_cached(rules_dir, lang=lang)
    answers_file = load_answers(answers, book)
    warning = working_copy_warning(book.root)
    if warning is not None:
        click.echo(warning, err=True)
    result = run(book, answers_file.profile, top=top)
    click.echo(render(result, book, fmt, details, terminal_width()), nl=False)
    return 0
