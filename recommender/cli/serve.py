"""`recommender serve`: the questionnaire, the report and the JSON API in a web browser."""

from __future__ import annotations

from pathlib import Path

import click

from recommender.cli.helptext import HelpCommand
from recommender.cli.options import rules_option
from recommender.i18n import N_


@click.command(cls=HelpCommand, help=N_(
    "Serve the questionnaire and the report as web pages, with a JSON API for schools.\n\n"
    "Needs the web extra: pip install 'medadmin-recommender[web]'. Nothing a person\n"
    "answers is stored on the server: answers stay in their browser until they\n"
    "download them. Pages are in English or Spanish, as the browser asks, with a\n"
    "switch on every page; the API takes ?lang=en|es. Stop with Ctrl-C."))
@click.option("--host", default="127.0.0.1", show_default=True,
              help=N_("Address to listen on. The default serves only this computer; use 0.0.0.0 only behind "
                      "a web server you control."))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help=N_("Port to listen on (0 picks a free one)."))
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help=N_("Worker processes; each loads the rule book once and all give the same answers."))
@rules_option
def serve(host: str, port: int, workers: int, rules_dir: Path | None) -> int:
    """`recommender serve` (its --help is the help= above, marked for translation)."""
    try:
        from recommender.web.server import run
    except ImportError as exc:
        raise click.ClickException(f"recommender serve needs the web extra ({exc.name} is not installed); "
                                   "install it with: pip install 'medadmin-recommender[web]'") from None
    return run(rules_dir, host, port, workers, lambda text: click.echo(text, err=True))
