"""JSON text for reports: orjson when it is installed (the `fast` extra), else the standard library.

Both give the same bytes.  orjson is used only for data it writes exactly as `json.dumps` does:
plain dicts, lists, tuples, text, whole numbers, booleans and null, and floats Python writes without
an exponent (orjson writes 1e-05 as 0.00001, and NaN as null).  Anything else, and anything orjson
refuses (a key that is not text, a number past 64 bits, a lone surrogate), goes to `json`.

A part that many records share can be encoded once with `encoded` and placed in the data of each
record: `compact` splices its text in as it is (orjson.Fragment from orjson 3.9; the standard
library's text is spliced by hand), so the record reads exactly as if the part had been written in it.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from types import ModuleType
from typing import Any

_orjson: ModuleType | None
try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - depends on the `fast` extra
    _orjson = None

_ATOMS = frozenset({str, int, bool, type(None)})


class Encoded:
    """A part's compact JSON text, encoded once and spliced into every record that holds it."""

    __slots__ = ("fragment", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        make = getattr(_orjson, "Fragment", None)  # orjson 3.9 and later
        self.fragment: Any = make(text) if make is not None else None

    def __repr__(self) -> str:
        return f"Encoded({self.text!r})"


def encoded(data: Any) -> Encoded:
    """`data` as compact JSON text, ready to splice (see `compact`)."""
    return data if type(data) is Encoded else Encoded(compact(data))


def pretty(data: Any) -> str:
    """`json.dumps(data, indent=2, ensure_ascii=False)`, faster."""
    if _orjson is not None and _plain(data, spliced=False):
        try:
            return str(_orjson.dumps(data, option=_orjson.OPT_INDENT_2).decode("utf-8"))
        except _orjson.JSONEncodeError:
            pass
    return json.dumps(data, indent=2, ensure_ascii=False)


def compact(data: Any) -> str:
    """`json.dumps(data, ensure_ascii=False, separators=(",", ":"))`, faster; `Encoded` parts are spliced in."""
    if _orjson is not None and _plain(data):
        try:
            return str(_orjson.dumps(data, default=_fragment).decode("utf-8"))
        except _orjson.JSONEncodeError:
            pass
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_refuse)
    except _Spliced:
        return "".join(_splice(data, []))


def _fragment(value: Any) -> Any:
    """orjson's `default`: an Encoded part's fragment; nothing else (`_plain` lets nothing else through)."""
    if type(value) is Encoded and value.fragment is not None:
        return value.fragment
    raise TypeError


class _Spliced(Exception):
    """The data holds an Encoded part, which `json.dumps` cannot write."""


def _refuse(value: Any) -> Any:
    if type(value) is Encoded:
        raise _Spliced
    return json.JSONEncoder.default(None, value)  # type: ignore[arg-type]  # json's own TypeError


def _splice(value: Any, out: list[str]) -> list[str]:
    """The compact text of `value` as `json.dumps` writes it, with Encoded parts' text in place."""
    if type(value) is Encoded:
        out.append(value.text)
    elif isinstance(value, dict):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            out.append(',' if i else "")
            # json turns a number, boolean or null key into text; only a text key is written here by hand.
            out.append(encode_basestring(key) if isinstance(key, str) else _dumps({key: 0})[1:-3])
            out.append(":")
            _splice(item, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            out.append("," if i else "")
            _splice(item, out)
        out.append("]")
    else:
        out.append(_dumps(value))
    return out


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _plain(data: Any, spliced: bool = True) -> bool:
    """Whether every value is of a type orjson writes exactly as json does (keys are checked by orjson).

    An Encoded part counts as plain when orjson can splice it (`spliced`, and orjson 3.9 or later).
    """
    stack = [data]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind in _ATOMS:
            continue
        if kind is float:
            # repr() switches to an exponent below 1e-4 and from 1e16; NaN and infinities fail too.
            if value != 0.0 and not 1e-4 <= abs(value) < 1e16:
                return False
        elif kind is dict:
            stack.extend(value.values())
        elif kind is list or kind is tuple:
            stack.extend(value)
        elif not (kind is Encoded and spliced and value.fragment is not None):
            return False
    return True
