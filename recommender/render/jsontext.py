"""JSON text for reports: orjson when it is installed (the `fast` extra), else the standard library.

Both give the same bytes.  orjson is used only for data it writes exactly as `json.dumps` does:
plain dicts, lists, tuples, text, whole numbers, booleans and null, and floats Python writes without
an exponent (orjson writes 1e-05 as 0.00001, and NaN as null).  Anything else, and anything orjson
refuses (a key that is not text, a number past 64 bits, a lone surrogate), goes to `json`.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

_orjson: ModuleType | None
try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - depends on the `fast` extra
    _orjson = None

_ATOMS = frozenset({str, int, bool, type(None)})


def pretty(data: Any) -> str:
    """`json.dumps(data, indent=2, ensure_ascii=False)`, faster."""
    if _orjson is not None and _plain(data):
        try:
            return str(_orjson.dumps(data, option=_orjson.OPT_INDENT_2).decode("utf-8"))
        except _orjson.JSONEncodeError:
            pass
    return json.dumps(data, indent=2, ensure_ascii=False)


def compact(data: Any) -> str:
    """`json.dumps(data, ensure_ascii=False, separators=(",", ":"))`, faster."""
    if _orjson is not None and _plain(data):
        try:
            return str(_orjson.dumps(data).decode("utf-8"))
        except _orjson.JSONEncodeError:
            pass
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _plain(data: Any) -> bool:
    """Whether every value is of a type orjson writes exactly as json does (keys are checked by orjson)."""
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
        else:
            return False
    return True
