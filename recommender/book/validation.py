"""Turn pydantic validation errors into located, plain-language problems."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from recommender.book.yamlio import Document, Key
from recommender.errors import Problem
from recommender.suggest import did_you_mean, show


def key_text(key: Iterable[str | int]) -> str:
    """('when', 'all', 1, 'fact') -> 'when.all[1].fact'."""
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def known_keys(*models: type[BaseModel]) -> set[str]:
    """Every field name of these models and the models nested in them."""
    seen: set[type[BaseModel]] = set()
    names: set[str] = set()

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            names.add(name)
            for sub in _models_in(info.annotation):
                walk(sub)

    for model in models:
        walk(model)
    return names


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_models_in(arg))
    for meta in getattr(annotation, "__metadata__", ()) or ():
        found.extend(_models_in(meta))
    return found


def problems_from(exc: ValidationError, doc: Document, prefix: Key, subject: str,
                  keys: set[str]) -> list[Problem]:
    """One Problem per pydantic error, each with the line of the key it concerns."""
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = clean_loc(err["loc"], err["type"])
        line = doc.line(prefix + loc)
        message = _message(err, loc, keys)
        out.append(Problem(doc.path, line, message, subject, key_text(loc)))
    return out


_UNION_TAGS = {"Certification", "Program", "Role", "Organization", "certification", "program", "role",
               "organization", "str", "int", "float", "bool", "list[str]", "none"}


def clean_loc(loc: tuple[Any, ...], kind: str) -> Key:
    """A pydantic error location as a key path into the file's data."""
    return _clean_loc(loc) + (("kind",) if kind == "union_tag_invalid" else ())


def _clean_loc(loc: tuple[Any, ...]) -> Key:
    out: list[str | int] = []
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, str) and (part in _UNION_TAGS or part.startswith(("function-", "tagged-union["))):
            continue
        out.append(part)
    return tuple(out)


def _message(err: Any, loc: Key, keys: set[str]) -> str:
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else "?"
        return f"unknown key '{name}'{did_you_mean(name, keys)}"
    if kind == "missing":
        return "this key is required but missing"
    if kind == "union_tag_invalid":
        tags = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",")]
        return (f"unknown kind {show(ctx.get('tag'))}{did_you_mean(ctx.get('tag'), tags)}; "
                f"expected one of {', '.join(tags)}")
    if kind == "union_tag_not_found":
        return "missing key 'kind': expected certification, program, role or organization"
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')} item, got {ctx.get('actual_length')}"
    if kind == "string_pattern_mismatch":
        return f"{show(value)} is not a valid id or address here (expected the pattern {ctx.get('pattern')})"
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        return f"{show(value)} is not allowed{did_you_mean(value, options)}; expected {expected}"
    if kind in ("string_type", "int_type", "float_type", "bool_type", "date_type", "list_type",
                "tuple_type", "dict_type", "model_type", "model_attributes_type", "int_from_float"):
        expected = {
            "string_type": "text", "int_type": "a whole number", "float_type": "a number",
            "bool_type": "true or false", "date_type": "a date such as 2026-01-31", "list_type": "a list",
            "tuple_type": "a list", "dict_type": "a mapping", "model_type": "a mapping",
            "model_attributes_type": "a mapping", "int_from_float": "a whole number",
        }[kind]
        hint = ""
        if kind == "string_type" and isinstance(value, bool):
            hint = " (YAML reads yes/no/on/off as true/false: put the word in quotes)"
        return f"expected {expected}, got {show(value)}{hint}"
    text = str(err.get("msg", "invalid value"))
    if text.startswith("Value error, "):
        text = text[len("Value error, "):]
    return text[:1].lower() + text[1:]
