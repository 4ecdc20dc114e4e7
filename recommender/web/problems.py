"""API errors as `{"errors": [{"loc": [...], "message": "..."}]}`, from the tool's own located problems."""

from __future__ import annotations

from typing import Any

from recommender.errors import Problem


def error_body(loc: list[str], message: str) -> dict[str, Any]:
    return {"errors": [{"loc": loc, "message": message}]}


def problem_errors(problems: list[Problem], root: str = "body") -> dict[str, Any]:
    """Each problem with where it is: the key path under `root`, and the line when the body had lines."""
    errors: list[dict[str, Any]] = []
    for p in problems:
        loc = [root, *p.key.split(".")] if p.key else [root]
        entry: dict[str, Any] = {"loc": loc, "message": p.message}
        if p.line:
            entry["line"] = p.line
        errors.append(entry)
    return {"errors": errors}
