"""The application factory: one loaded rule book, the page and API routers, errors that never show a traceback."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartParser

from recommender import __version__
from recommender.book.rulebook import RuleBook
from recommender.i18n import LANGS, N_, _, use_lang
from recommender.web.guard import PAGE_LIMIT, Guard, is_api
from recommender.web.lang import choose
from recommender.web.problems import error_body
from recommender.web.view import STATIC, render_page

DESCRIPTION = (
    "Recommendations of medical administrative certifications, programs and roles from a person's answers. "
    "Bodies are answers files (JSON, as `recommender quiz` writes them); responses are the same JSON the "
    "command line prints. Errors are `{\"errors\": [{\"loc\": [...], \"message\": \"...\"}]}`."
)


def create_app(book: RuleBook, books: Mapping[str, RuleBook] | None = None) -> FastAPI:
    """The site for one loaded rule book (loaded once; never written), and that book in each language.

    `books` maps a language to the book loaded in it (`load_rulebook(root, lang=...)`); a language
    it leaves out is answered from `book`.
    """
    # An uploaded answers file must stay in memory (nothing a person sends is written to disk):
    # the guard bounds every body, so files up to that bound are never spooled to a temporary file.
    MultiPartParser.spool_max_size = max(MultiPartParser.spool_max_size, PAGE_LIMIT + 1)
    app = FastAPI(title="Medical administration career recommender", version=__version__,
                  description=DESCRIPTION, docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None)
    app.state.book = book
    app.state.books = {lang: (books or {}).get(lang, book) for lang in LANGS}
    app.add_middleware(Guard)
    from recommender.web import api, lang, pages, report_page

    app.include_router(api.router)
    app.include_router(lang.router)
    app.include_router(pages.router)
    app.include_router(report_page.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": [str(part) for part in e.get("loc", ())], "message": str(e.get("msg", ""))}
                  for e in exc.errors()]
        if is_api(request.url.path):
            return JSONResponse({"errors": errors}, status_code=422)
        return _page_error(request, 422, _("That request was not understood."))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if is_api(request.url.path):
            message = exc.detail if isinstance(exc.detail, str) else "That request could not be answered."
            if exc.status_code == 404:
                message = "there is nothing at this address; the API is described at /openapi.json"
            elif exc.status_code == 405:
                message = f"{request.method} is not allowed here; the API is described at /openapi.json"
            return JSONResponse(error_body([], message), status_code=exc.status_code, headers=exc.headers)
        # Starlette's own details ("Not Found") are English words for developers, not sentences for a person.
        message = {404: _("There is no page at this address."),
                   405: _("This address cannot be used that way. Go back and try again.")}.get(
            exc.status_code, _("That request could not be answered."))
        return _page_error(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        # The server's log gets the traceback (without the request body); the person gets one sentence.
        if is_api(request.url.path):
            return JSONResponse(error_body([], "internal error: the request could not be answered"),
                                status_code=500)
        # This handler runs outside the guard, so it picks the request's language again.
        path = request.url.path
        with use_lang(choose(path, request.url.query.encode("latin-1"), request.headers, is_api(path))):
            return _page_error(request, 500, _(CRASHED))

    return app


CRASHED = N_("Something went wrong on our side; your answers are still in your browser. Please try again.")


def _page_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render_page(request, "error.html", {"title": _("Sorry, that could not be done"), "message": message},
                       status=status, error=True)
