"""Where a person's answers live between pages: a cookie in their own browser, never on the server.

The cookie holds the answers as compact JSON (base64url), plus the name and notes of an uploaded
file. It is not signed: every request rebuilds the questionnaire `Session` from it and checks
every answer again, as an uploaded answers file is checked, so an edited cookie can only say
what a person could have typed anyway; and a key shared by every worker and kept across
restarts would be one more secret for a school to manage. It lasts until the browser closes.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response

from recommender.book.rulebook import RuleBook
from recommender.quiz.session import Issue, Session

COOKIE = "answers"
MAX_COOKIE = 3800  # browsers keep at least 4,096 bytes per cookie, name and attributes included
MAX_NAME = 200
MAX_NOTES = 1000


@dataclass
class State:
    """The session rebuilt from the cookie, and what could not be kept of it."""

    session: Session
    name: str | None = None
    notes: str | None = None
    issues: list[Issue] = field(default_factory=list)
    unreadable: bool = False  # a cookie was there but was not ours to read


def read_state(request: Request, book: RuleBook) -> State:
    raw = request.cookies.get(COOKIE)
    data = _decode(raw) if raw else {}
    if data is None:
        return State(Session(book), unreadable=True)
    answers = data.get("a")
    name, notes = data.get("n"), data.get("o")
    passed = data.get("s")
    session, issues = Session.restore(book, answers if isinstance(answers, dict) else {}, resume=True,
                                      passed=[q for q in passed if isinstance(q, str)] if isinstance(passed, list) else ())
    return State(session, name if isinstance(name, str) else None, notes if isinstance(notes, str) else None,
                 issues)


def encode(session: Session, name: str | None, notes: str | None) -> str:
    data: dict[str, Any] = {"a": session.answers}
    if session.passed_over():
        data["s"] = list(session.passed_over())
    if name:
        data["n"] = name[:MAX_NAME]
    if notes and len(notes) <= MAX_NOTES:
        data["o"] = notes
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def fits(session: Session, name: str | None, notes: str | None) -> bool:
    return len(encode(session, name, notes)) <= MAX_COOKIE


def write_state(request: Request, response: Response, state: State) -> None:
    value = encode(state.session, state.name, state.notes)
    if len(value) > MAX_COOKIE:
        value = encode(state.session, None, None)
    response.set_cookie(COOKIE, value, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")


def clear_state(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")


def _decode(raw: str) -> dict[str, Any] | None:
    if len(raw) > MAX_COOKIE * 2:
        return None
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("utf-8")
        data = json.loads(text)
    except (binascii.Error, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None
