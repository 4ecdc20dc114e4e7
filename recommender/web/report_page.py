"""The report page, the same report as JSON, and the person's answers as a file to keep."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from recommender.book.answers import profile_from
from recommender.i18n import _
from recommender.quiz.savefile import render as answers_text
from recommender.web.lang import book_for as _book
from recommender.web.pages import next_url
from recommender.web.report import report_view
from recommender.web.state import read_state
from recommender.web.view import render_page

router = APIRouter(include_in_schema=False)


@router.get("/report")
def report(request: Request) -> Response:
    from recommender.engine.recommend import recommend
    from recommender.render.json import to_data

    book = _book(request)
    state = read_state(request, book)
    if not state.session.complete:
        return RedirectResponse(next_url(state.session), status_code=303)
    profile = profile_from(book, state.session.answers, name=state.name)
    view = report_view(to_data(recommend(book, profile), book), book)
    title = _("Report for {name}").format(name=state.name) if state.name else _("Your report")
    return render_page(request, "report.html", {"title": title, "r": view})


@router.get("/report.json")
def report_json(request: Request) -> Response:
    """Exactly what `recommender recommend ANSWERS --format json` prints for the answers held now."""
    from recommender.engine.recommend import recommend
    from recommender.render.json import render_json

    book = _book(request)
    state = read_state(request, book)
    if not state.session.complete:
        return RedirectResponse(next_url(state.session), status_code=303)
    profile = profile_from(book, state.session.answers, name=state.name)
    return Response(render_json(recommend(book, profile), book), media_type="application/json",
                    headers={"content-disposition": 'inline; filename="report.json"'})


@router.get("/my-answers.yaml")
def download(request: Request) -> Response:
    """The answers held now as the answers file `recommender quiz --resume` reads."""
    state = read_state(request, _book(request))
    session = state.session
    text = answers_text(session.answers, "completed" if session.complete else "in_progress",
                        name=state.name, notes=state.notes)
    return Response(text, media_type="application/yaml",
                    headers={"content-disposition": 'attachment; filename="my-answers.yaml"'})
