"""The Jinja2 environment (autoescaping always on, texts through gettext) and the one way a page is rendered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from recommender.i18n import current_lang, gettext, ngettext
from recommender.web.lang import here, switch_links

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"

ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,  # every template, whatever its name: nothing a person typed reaches a page unescaped
    trim_blocks=True,
    lstrip_blocks=True,
    extensions=["jinja2.ext.i18n"],
)
# The texts are looked up when a page is rendered, in the request's language (a context variable);
# `trimmed` as Babel extracts them (recommender/i18n/catalogs.py), so the msgids are the same.
ENV.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
ENV.policies["ext.i18n.trimmed"] = True


def render_page(request: Request, template: str, context: dict[str, Any], *, status: int = 200,
                error: bool = False) -> HTMLResponse:
    """A whole page; `error` starts its title with 'Error:' (as screen readers announce it first)."""
    page = ENV.get_template(template)
    html = page.render(**context, error_title=error, path=request.url.path, lang=current_lang(),
                       languages=switch_links(request), here=here(request))
    return HTMLResponse(html, status_code=status)
