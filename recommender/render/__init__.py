"""Renderers: one Result, three faces (text, JSON, Markdown)."""

from __future__ import annotations

from recommender.engine.result import Result
from recommender.book.rulebook import RuleBook


def render(result: Result, book: RuleBook, fmt: str) -> str:
    """The report in `fmt` (text, json or markdown), ending with a newline."""
    if fmt == "json":
        from recommender.render.json import render_json

        return render_json(result, book)
    if fmt == "markdown":
        from recommender.render.markdown import render_markdown

        return render_markdown(result, book)
    from recommender.render.text import render_text

    return render_text(result, book)
