"""`recommender schema`: JSON Schema for rule files and answers files, for editors."""

from __future__ import annotations

from pathlib import Path

import click

from recommender.cli.options import EXIT_OK, rules_option


@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="Write one NAME.schema.json file per kind of file into DIR (created if needed).")
@rules_option
def schema(out_dir: Path | None, rules_dir: Path | None) -> int:
    """Print or write JSON Schema (draft-07) for rule files and answers files.

    Editors that read the first-line comment
    '# yaml-language-server: $schema=PATH' then complete and check the files.
    Without --out, prints every schema as one JSON object keyed by file name.
    """
    import json

    from recommender.advisor.profiles import shown
    from recommender.advisor.schema import dumps, schemas
    from recommender.book.loader import load_rulebook
    from recommender.errors import RecommenderError

    generated = schemas(load_rulebook(rules_dir))
    if out_dir is None:
        click.echo(json.dumps(generated, indent=2, ensure_ascii=False))
        return EXIT_OK
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, body in generated.items():
            path = out_dir / name
            text = dumps(body)
            if path.is_file() and path.read_text(encoding="utf-8") == text:
                click.echo(f"{shown(path)}: up to date")
                continue
            path.write_text(text, encoding="utf-8")
            click.echo(f"{shown(path)}: written")
    except OSError as exc:
        raise RecommenderError(f"{shown(out_dir)}: cannot write the schemas: {exc.strerror or exc}") from None
    return EXIT_OK
