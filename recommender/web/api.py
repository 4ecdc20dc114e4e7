"""The JSON API: the questionnaire, the report, explanations, pathways and the catalog.

Each answer is exactly what the command line prints for the same answers (`recommend
--format json`, `explain --format json`, `path --format json`): the same loader reads the body as an
answers file, the same engine and the same renderers make the JSON.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from recommender import __version__
from recommender.book.answers import AnswersFile, answers_from_document
from recommender.book.lookup import find_item
from recommender.book.plain import json_data
from recommender.book.rulebook import RuleBook
from recommender.book.yamlio import YamlProblem, load_text
from recommender.errors import AnswersError, UnknownItemError
from recommender.web.lang import Lang, LangParam
from recommender.web.lang import book_for as _book
from recommender.web.openapi import ANSWERS_BODY, questionnaire_data
from recommender.web.problems import error_body, problem_errors

router = APIRouter()
EXPLAIN_KINDS = ("certification", "program", "role")
ALL_KINDS = ("certification", "program", "role", "organization")


def _json_text(text: str, status: int = 200) -> Response:
    return Response(text, status_code=status, media_type="application/json")


class BadRequest(Exception):
    """A request the API answers with located errors instead of a result."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status)
        self.status, self.body = status, body

    def response(self) -> JSONResponse:
        return JSONResponse(self.body, status_code=self.status)


async def _answers(request: Request, book: RuleBook) -> AnswersFile:
    """The body read exactly as `recommender recommend` reads an answers file."""
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(422, error_body(["body"], f"byte {exc.start} is not valid UTF-8; send UTF-8 JSON")) from None
    if not text.strip():
        raise BadRequest(422, error_body(["body"], "the body is empty; send an answers object such as "
                                                   '{"answers": {"education": "high_school"}}'))
    try:
        return answers_from_document(load_text(text, "body"), book)
    except YamlProblem as exc:
        raise BadRequest(422, problem_errors([exc.problem])) from None
    except AnswersError as exc:
        raise BadRequest(422, problem_errors(exc.problems)) from None


def _item(book: RuleBook, name: str, kinds: tuple[str, ...], noun: str, loc: list[str]) -> str:
    try:
        return find_item(book, name, kinds, noun)
    except UnknownItemError as exc:
        raise BadRequest(404, error_body(loc, exc.problems[0].message)) from None


@router.get("/healthz", summary="Liveness check", tags=["service"])
def healthz(request: Request) -> dict[str, Any]:
    book = _book(request)
    return {"status": "ok", "version": __version__, "questions": len(book.questions), "items": len(book.items),
            "rules": len(book.rules)}


@router.get("/api/questionnaire", summary="The questions, in the order they are asked", tags=["questionnaire"])
def questionnaire(request: Request, lang: LangParam = Lang) -> dict[str, Any]:
    """Every question with its options, help, bounds, default and `ask_if` condition (as in the rule book)."""
    return questionnaire_data(_book(request))


@router.post("/api/recommend", summary="The report for an answers object", tags=["report"],
             openapi_extra=ANSWERS_BODY, response_class=JSONResponse)
async def recommend(request: Request, top: int | None = Query(None, ge=1, description="at most N of each kind"),
                    lang: LangParam = Lang) -> Response:
    """The same JSON as `recommender recommend ANSWERS --format json [--top N]`."""
    from recommender.engine.recommend import recommend as run
    from recommender.render.json import render_json

    book = _book(request)
    try:
        profile = (await _answers(request, book)).profile
    except BadRequest as exc:
        return exc.response()
    return _json_text(render_json(run(book, profile, top=top), book))


@router.post("/api/explain", summary="Why an item is or is not recommended", tags=["report"],
             openapi_extra=ANSWERS_BODY, response_class=JSONResponse)
async def explain(request: Request, item: str = Query(..., description="a certification, program or role id",
                                                      max_length=200),
                  lang: LangParam = Lang) -> Response:
    """The same JSON as `recommender explain ANSWERS ITEM --format json`."""
    from recommender.engine.explain import explain as run
    from recommender.render.explanation import render_json

    book = _book(request)
    try:
        item_id = _item(book, item, EXPLAIN_KINDS, "certification, program or role", ["query", "item"])
        profile = (await _answers(request, book)).profile
    except BadRequest as exc:
        return exc.response()
    return _json_text(render_json(run(book, profile, item_id)))


@router.post("/api/path", summary="Step-by-step pathways to the roles that fit, or to one role", tags=["report"],
             openapi_extra=ANSWERS_BODY, response_class=JSONResponse)
async def path(request: Request, to: str | None = Query(None, description="a role id", max_length=200),
               lang: LangParam = Lang) -> Response:
    """The same JSON as `recommender path ANSWERS [--to ROLE] --format json`."""
    from recommender.engine.build import plan_for
    from recommender.engine.recommend import recommend as run
    from recommender.render.json import render_pathways_json

    book = _book(request)
    try:
        target = _item(book, to, ("role",), "role", ["query", "to"]) if to is not None else None
        profile = (await _answers(request, book)).profile
    except BadRequest as exc:
        return exc.response()
    result = run(book, profile)
    pathways = (plan_for(book, result, profile.answers, target),) if target else result.pathways
    return _json_text(render_pathways_json(pathways, book, profile.name))


@router.get("/api/items", summary="The catalog: certifications, programs, roles and organizations",
            tags=["catalog"])
def items(request: Request,
          kind: Literal["certification", "program", "role", "organization"] | None = Query(None),
          lang: LangParam = Lang) -> dict[str, Any]:
    book = _book(request)
    return {"items": [{"id": i.id, "kind": i.kind, "name": i.name, "short_name": i.short_name or i.id,
                       "description": i.description}
                      for i in book.items.values() if kind is None or i.kind == kind]}


@router.get("/api/items/{item_id}", summary="One catalog item with every source it cites", tags=["catalog"])
def item(request: Request, item_id: str, lang: LangParam = Lang) -> Response:
    book = _book(request)
    try:
        found = _item(book, item_id, ALL_KINDS, "catalog item", ["path", "item_id"])
    except BadRequest as exc:
        return exc.response()
    data = json_data(book.items[found], exclude_none=True)
    cited = sorted(set(_source_ids(data)))
    data["sources_cited"] = {sid: json_data(s, exclude_none=True, exclude={"id"})
                             for sid in cited if (s := book.sources.get(sid)) is not None}
    return _json_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _source_ids(data: Any) -> list[str]:
    """Every source id an item's data cites, wherever it sits (facts, routes, exam, renewal ...)."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "sources" and isinstance(value, list):
                found += [v for v in value if isinstance(v, str)]
            else:
                found += _source_ids(value)
    elif isinstance(data, list):
        for value in data:
            found += _source_ids(value)
    return found
