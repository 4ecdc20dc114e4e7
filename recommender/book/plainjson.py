"""JSON text read under the same limits as an answers file, for JSON Lines rows (and any JSON body).

`json.loads` alone accepts what the YAML reader refuses: NaN and infinities, duplicate keys,
numbers of thousands of digits (whose conversion fails), lone surrogates (`"\\ud800"`, which no
UTF-8 output can hold), and any number of values.  `loads` refuses each with one sentence.
"""

from __future__ import annotations

import json
import math
from typing import Any

from recommender.book.yamlio import (
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_NUMBER,
    MAX_STRING,
    NUMBER_RANGE,
)


class JsonProblem(ValueError):
    """What is wrong with a JSON text, as one sentence (no location: the caller knows the line)."""


def loads(text: str) -> Any:
    """Parse JSON text within the limits, or raise JsonProblem."""
    if len(text) > MAX_FILE_BYTES:
        raise JsonProblem(f"the text is over the limit of {MAX_FILE_BYTES:,} bytes")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant,
                          parse_int=_int, parse_float=_float)
    except json.JSONDecodeError as exc:
        raise JsonProblem(f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise JsonProblem(f"nesting is deeper than the limit of {MAX_DEPTH} levels") from None
    check(data)
    return data


def check(data: Any) -> None:
    """Raise JsonProblem if parsed data is nested too deeply, too big, or holds text no output can write."""
    count = 0
    todo: list[tuple[Any, int]] = [(data, 0)]
    while todo:  # iterative: depth cannot reach Python's recursion limit here
        value, depth = todo.pop()
        count += 1
        if count > MAX_NODES:
            raise JsonProblem(f"more than {MAX_NODES:,} values")
        if isinstance(value, (dict, list)):
            if depth >= MAX_DEPTH:
                raise JsonProblem(f"nesting is deeper than the limit of {MAX_DEPTH} levels")
            if isinstance(value, dict):
                for key in value:
                    _text(key)
                todo.extend((v, depth + 1) for v in value.values())
            else:
                todo.extend((v, depth + 1) for v in value)
        elif isinstance(value, str):
            _text(value)


def _text(value: str) -> None:
    if len(value) > MAX_STRING:
        raise JsonProblem(f"a value is {len(value):,} characters; the limit is {MAX_STRING:,}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise JsonProblem(f"a text holds a lone surrogate (\\u{ord(value[exc.start]):04x}), which is not a "
                          f"character; write the character itself") from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise JsonProblem(f"duplicate key '{key[:40]}'")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise JsonProblem(f"'{name}' is not a number JSON allows; write a finite number")


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:  # before int(): thousands of digits would fail or crawl
        raise JsonProblem(f"'{text[:20]}…' is too long a number; {NUMBER_RANGE}")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonProblem(f"'{text[:40]}' is not a finite number")
    if abs(value) >= MAX_NUMBER:
        raise JsonProblem(f"'{text[:40]}' is out of range; {NUMBER_RANGE}")
    return value
