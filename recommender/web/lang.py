"""Which language a request is answered in, the rule book in that language, and the language switch.

Pages: the `lang` cookie the switch sets, else the browser's Accept-Language, else English.
API: the `lang` query parameter, else Accept-Language, else English (the API uses no cookies).
The guard decides once per request and answers the whole request inside `use_lang`, so `_()`
everywhere (engine, renderers, templates) speaks the same language as the rule book it reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from recommender.book.rulebook import RuleBook
from recommender.i18n import (
    DEFAULT_LANG,
    LANG_NAMES,
    LANGS,
    current_lang,
    lang_from_accept_language,
)

COOKIE = "lang"
COOKIE_DAYS = 365  # a preference, not an answer: kept so a returning person is not asked again

router = APIRouter(include_in_schema=False)

#: The API's `lang` query parameter; the guard has already chosen the language, this validates and documents it.
Lang = Query(None, description="Language of the texts: en or es (default: the Accept-Language header, else en)")
LangParam = Literal["en", "es"] | None


def choose(path: str, query_string: bytes, headers: Mapping[str, str], is_api: bool) -> str:
    """The language for one request (see the module's docstring for the order)."""
    if is_api:
        asked = parse_qs(query_string.decode("latin-1"), max_num_fields=50).get("lang", [])
        if asked and asked[-1] in LANGS:
            return asked[-1]
    else:
        chosen = _cookie(headers.get("cookie", ""))
        if chosen is not None:
            return chosen
    return lang_from_accept_language(headers.get("accept-language"))


def _cookie(header: str) -> str | None:
    for part in header[:8000].split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE and value in LANGS:
            return value
    return None


def book_for(request: Request) -> RuleBook:
    """The rule book in the language this request is answered in."""
    books: Mapping[str, RuleBook] = request.app.state.books
    return books.get(current_lang()) or books[DEFAULT_LANG]


def safe_next(target: Any) -> str:
    """A place on this site to go back to: a path such as /questions/goals?change=1, never another site."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//") or "\\" in target \
            or len(target) > 500 or not target.isprintable():
        return "/"
    return target


def here(request: Request) -> str:
    """Where the switch brings the person back to: this page (a form's answer page shows its question)."""
    path = request.url.path
    if request.method not in ("GET", "HEAD"):
        return path if path.startswith("/questions/") else "/"
    query = request.url.query
    return safe_next(path + ("?" + query if query else ""))


def switch_links(request: Request) -> list[dict[str, Any]]:
    """The switch's entries: each language in its own name, the current one not a button."""
    return [{"lang": lang, "name": LANG_NAMES[lang], "current": lang == current_lang()} for lang in LANGS]


@router.post("/lang")
async def switch(request: Request) -> Response:
    """Set the language cookie and go back to the same place (a plain form: works without JavaScript)."""
    form = await request.form(max_files=0, max_fields=5)
    lang = form.get("lang")
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    if isinstance(lang, str) and lang in LANGS:
        response.set_cookie(COOKIE, lang, max_age=COOKIE_DAYS * 24 * 3600, httponly=True, samesite="lax",
                            path="/", secure=request.url.scheme == "https")
    return response
