"""Renderers: one `Result`, three faces (text, JSON, Markdown).

May import `engine` and `book`; the front ends (`cli`, and the quiz's report) and `cohort` use it.
"""

from __future__ import annotations

from recommender.book.rulebook import RuleBook
from recommender.engine.result import Result
from recommender.render.wrap import DEFAULT_WIDTH


def render(result: Result, book: RuleBook, fmt: str, details: bool = False, width: int = DEFAULT_WIDTH) -> str:
    """The report in `fmt` (text, json or markdown), ending with a newline; JSON always has every detail."""
    if fmt == "json":
        from recommender.render.json import render_json

        return render_json(result, book)
    if fmt == "markdown":
        from recommender.render.markdown import render_markdown

        return render_markdown(result, book, details)
    from recommender.render.text import render_text

    return render_text(result, book, details, width)
