"""The Jinja2 environment (autoescaping always on) and the one way a page is rendered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"

ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,  # every template, whatever its name: nothing a person typed reaches a page unescaped
    trim_blocks=True,
    lstrip_blocks=True,
    extensions=["jinja2.ext.do"],
)


def render_page(request: Request, template: str, context: dict[str, Any], *, status: int = 200,
                error: bool = False) -> HTMLResponse:
    """A whole page; `error` starts its title with 'Error:' (as screen readers announce it first)."""
    page = ENV.get_template(template)
    html = page.render(**context, error_title=error, path=request.url.path)
    return HTMLResponse(html, status_code=status)
