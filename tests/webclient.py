"""Helpers for the web tests: an app over the shipped rule book, and a person walking its pages."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from recommender.book.rulebook import RuleBook
from recommender.web.app import create_app


def client(book: RuleBook) -> TestClient:
    return TestClient(create_app(book), base_url="http://testserver")


def form_for(book: RuleBook, qid: str, value: Any) -> dict[str, Any]:
    """The form a browser posts for `value` as the answer to question `qid`."""
    q = next(q for q in book.questions if q.id == qid)
    if value is None:
        return {}  # nothing chosen: an optional question is passed over
    if q.type == "boolean":
        return {"answer": "yes" if value else "no"}
    if q.type == "multi":
        return {"answer": list(value)}
    return {"answer": str(value)}


def walk(web: TestClient, book: RuleBook, answers: dict[str, Any], limit: int | None = None) -> str:
    """Answer the questions the pages ask (all, or the next `limit`), from `answers`, else the question's
    default; return the path reached."""
    response = web.get("/check")  # sends a person to the first unanswered question
    for _ in range(limit if limit is not None else 40):
        path = response.url.path
        if not path.startswith("/questions/"):
            return path
        qid = path.rsplit("/", 1)[1]
        q = next(q for q in book.questions if q.id == qid)
        value = answers.get(qid, q.default)
        response = web.post(path, data=form_for(book, qid, value))
        assert response.status_code == 200, response.text
    if limit is not None:
        return str(response.url.path)
    raise AssertionError("the questionnaire did not end")
