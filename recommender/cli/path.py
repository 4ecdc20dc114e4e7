"""`recommender path`: step-by-step plans from a person's answers to the roles that fit them."""

from __future__ import annotations

from pathlib import Path

import click

from recommender.cli.helptext import HelpCommand
from recommender.cli.options import format_option, lang_option, rules_option
from recommender.i18n import N_


@click.command(cls=HelpCommand, help=N_(
    "Plan the steps from ANSWERS to each role that fits them, or to one role with --to: programs,\n"
    "exams, work experience and provisional statuses, with sourced time and cost, alternatives,\n"
    "budget and study-time warnings, and a 1-, 3- and 5-year view."))
@click.argument("answers", type=click.Path(path_type=Path), metavar="ANSWERS")
@click.option("--to", "role", default=None, metavar="ROLE",
              help=N_("Plan the way to this role (a role id such as medical_office_manager), even if it does "
                      "not fit your answers yet."))
@format_option("text", "json", "markdown")
@rules_option
@lang_option
def path(answers: Path, role: str | None, fmt: str, rules_dir: Path | None, lang: str) -> int:
    """`recommender path` (its --help is the help= above, marked for translation)."""
    from recommender.book.answers import load_answers
    from recommender.book.cache import load_cached
    from recommender.book.lookup import find_item
    from recommender.engine.build import plan_for
    from recommender.engine.recommend import recommend

    book = load_cached(rules_dir, lang=lang)
    target = find_item(book, role, ("role",), "role") if role is not None else None
    profile = load_answers(answers, book).profile
    result = recommend(book, profile)
    pathways = (plan_for(book, result, profile.answers, target),) if target else result.pathways
    if fmt == "json":
        from recommender.render.json import render_pathways_json

        click.echo(render_pathways_json(pathways, book, profile.name), nl=False)
    elif fmt == "markdown":
        from recommender.render.markdown import render_pathways_markdown

        click.echo(render_pathways_markdown(pathways, book, profile.name), nl=False)
    else:
        from recommender.render.text_details import render_pathways_text

        click.echo(render_pathways_text(pathways, book, profile.name), nl=False)
    return 0
