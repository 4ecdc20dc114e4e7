"""The questionnaire as web pages: start, one question per page, check your answers, upload.

Every decision is the terminal quiz's own: `Session` says which question comes next, which
apply (`ask_if`), what an answer means and whether it is valid, and which answers to drop when
an earlier one changes. This module only turns forms into calls and calls into pages.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from recommender.book.runtime import Question
from recommender.i18n import _
from recommender.quiz.conversation import answer_words
from recommender.quiz.session import InvalidAnswer, Session
from recommender.web.forms import form_value, question_view
from recommender.web.lang import book_for as _book
from recommender.web.state import State, clear_state, read_state, write_state
from recommender.web.upload import upload_answers
from recommender.web.view import render_page

router = APIRouter(include_in_schema=False)


def _redirect(url: str, request: Request | None = None, state: State | None = None) -> Response:
    response = RedirectResponse(url, status_code=303)
    if request is not None and state is not None:
        write_state(request, response, state)
    return response


def next_url(session: Session, change: bool = False, removed: list[str] | None = None) -> str:
    """Where the person goes next: the first unanswered question, else the check-your-answers page."""
    q = session.current()
    params = []
    if removed:
        params.append("removed=" + quote(",".join(removed)))
    if q is not None and change:
        params.append("change=1")
    query = ("?" + "&".join(params)) if params else ""
    return (f"/questions/{q.id}" if q is not None else "/check") + query


@router.get("/")
def start(request: Request) -> Response:
    state = read_state(request, _book(request))
    return _start_page(request, state)


def _start_page(request: Request, state: State, error: str | None = None, status: int = 200) -> Response:
    session = state.session
    first = session.book.questions[0].id
    started = bool(session.answers)
    return render_page(request, "start.html", {
        "title": _("Find the medical administration career that fits you"),
        "total": len(session.asked()), "first": first, "started": started,
        "continue_url": next_url(session), "answered": len(session.answers),
        "upload_error": error, "notes": _issue_texts(state) if not error else [],
    }, status=status, error=error is not None)


def _issue_texts(state: State) -> list[str]:
    texts = [issue.message for issue in state.issues]
    if state.unreadable:
        texts.append(_("The answers saved in this browser could not be read, so the questionnaire starts afresh."))
    return texts


@router.post("/start-again")
def start_again(request: Request) -> Response:
    book = _book(request)
    response = _redirect(f"/questions/{book.questions[0].id}")
    clear_state(response)
    return response


@router.post("/upload")
async def upload(request: Request) -> Response:
    book = _book(request)
    state = read_state(request, book)
    form = await request.form(max_files=1, max_fields=5)
    try:
        new_state, messages = await upload_answers(form.get("answers_file"), book)
    finally:
        await form.close()
    if new_state is None:  # the file could not be read: say why, keep the answers held now
        return _start_page(request, state, error=messages[0], status=422)
    if messages:
        response = render_page(request, "uploaded.html", {
            "title": _("Your answers file was read"), "messages": messages,
            "continue_url": next_url(new_state.session)})
        write_state(request, response, new_state)
        return response
    return _redirect(next_url(new_state.session), request, new_state)


def _open(request: Request, state: State, qid: str) -> tuple[Question | None, Response | None]:
    """The question to show for `qid`, or the page to give instead (elsewhere, or not found)."""
    session = state.session
    if qid not in {q.id for q in session.book.questions}:
        return None, render_page(request, "error.html", {"title": _("Page not found"),
                                                         "message": _("There is no such question.")}, status=404)
    if qid not in {q.id for q in session.asked()}:
        return None, _redirect(next_url(session))
    if session.has_answer(qid):
        session.reopen(qid)
    current = session.current()
    if current is None or current.id != qid:  # an earlier question is still unanswered
        return None, _redirect(next_url(session))
    return current, None


@router.get("/questions/{qid}")
def question_page(request: Request, qid: str, change: str | None = None, removed: str | None = None) -> Response:
    state = read_state(request, _book(request))
    q, elsewhere = _open(request, state, qid)
    if elsewhere is not None or q is None:
        return elsewhere or _redirect(next_url(state.session))
    return _question(request, state, q, change=bool(change), removed=_removed_texts(state.session, removed))


def _removed_texts(session: Session, removed: str | None) -> list[str]:
    """What the quiz says when an answer goes: only for ids of questions (the query can be edited)."""
    known = {q.id for q in session.book.questions}
    return [_("Your answer about {question} was removed, as it no longer applies.").format(
        question=session.question(r).label)
            for r in (removed or "").split(",") if r in known]


def _question(request: Request, state: State, q: Question, *, change: bool, removed: list[str],
              error: str | None = None, typed: Any = None) -> Response:
    session = state.session
    asked = [x.id for x in session.asked()]
    index = asked.index(q.id)
    back = "/check" if change else (f"/questions/{asked[index - 1]}" if index else "/")
    progress = session.progress()
    view = question_view(session, q, typed if error else session.default(q))
    return render_page(request, "question.html", {
        "title": q.prompt, "q": view, "progress": str(progress) if progress else "", "back": back,
        "change": change, "error": error, "notes": _issue_texts(state),
        "removed": removed,
    }, status=422 if error else 200, error=error is not None)


@router.post("/questions/{qid}")
async def answer(request: Request, qid: str) -> Response:
    state = read_state(request, _book(request))
    q, elsewhere = _open(request, state, qid)
    if elsewhere is not None or q is None:
        return elsewhere or _redirect(next_url(state.session))
    form = await request.form(max_files=0, max_fields=200)
    change = form.get("change") == "1"
    typed, value, problem = form_value(state.session, q, form.getlist("answer"))
    dropped: list[str] = []
    if value is None and state.session.optional(q) and not [v for v in form.getlist("answer") if v]:
        state.session.skip()  # an optional question left empty is passed over
        return _redirect(next_url(state.session, change, dropped), request, state)
    if problem is None:
        try:
            dropped = state.session.answer(value)
        except InvalidAnswer as exc:
            problem = str(exc)
    if problem is not None:
        return _question(request, state, q, change=change, removed=[], error=_sentence(problem), typed=typed)
    return _redirect(next_url(state.session, change, dropped), request, state)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(problem: str) -> str:
    return problem[:1].upper() + problem[1:] + ("" if problem.endswith(".") else ".")


@router.get("/check")
def check(request: Request, removed: str | None = None) -> Response:
    state = read_state(request, _book(request))
    session = state.session
    if not session.complete:
        return _redirect(next_url(session))
    answers = session.answers
    rows = [{"id": q.id, "label": q.label[:1].upper() + q.label[1:],
             "value": _capital(answer_words(session, q.id, answers[q.id]) if q.id in answers else _("not answered"))}
            for q in session.asked()]
    return render_page(request, "check.html", {"title": _("Check your answers"), "rows": rows,
                                               "notes": _issue_texts(state),
                                               "removed": _removed_texts(session, removed)})
