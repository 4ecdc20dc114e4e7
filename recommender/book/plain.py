"""The base of the book's run-time classes: immutable plain objects with `__slots__`, no pydantic.

The models in catalog.py, rulefile.py and the rest validate what an advisor writes; once a book
is loaded, each validated model becomes its twin in runtime.py (generated from the models by
twins.py), so commands that only recommend never import pydantic's model machinery.  A twin
has the model's fields, in the model's order, and compares, hashes and prints as the frozen
model does.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Mapping
from typing import Any, ClassVar, TypeVar

P = TypeVar("P", bound="Plain")


class Plain:
    """An immutable record whose fields are listed, in order, in FIELDS."""

    __slots__ = ()
    FIELDS: ClassVar[tuple[str, ...]] = ()
    #: Values of fields that may be left out (shared: every default is immutable).
    DEFAULTS: ClassVar[Mapping[str, Any]] = {}
    #: Fields left out get a fresh value from these (a dict, for instance).
    FACTORIES: ClassVar[Mapping[str, Callable[[], Any]]] = {}

    def __init__(self, **values: Any) -> None:
        for name in self.FIELDS:
            if name in values:
                value = values.pop(name)
            elif name in self.DEFAULTS:
                value = self.DEFAULTS[name]
            elif name in self.FACTORIES:
                value = self.FACTORIES[name]()
            else:
                raise TypeError(f"{type(self).__name__}() needs the field '{name}'")
            object.__setattr__(self, name, value)
        if values:
            raise TypeError(f"{type(self).__name__}() has no field {', '.join(map(repr, sorted(values)))}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Plain):
            return NotImplemented
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self.FIELDS)

    def __hash__(self) -> int:
        return hash((type(self), *(getattr(self, n) for n in self.FIELDS)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.FIELDS)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), tuple(getattr(self, n) for n in self.FIELDS))


def _rebuild(cls: type[P], values: tuple[Any, ...]) -> P:
    made = cls.__new__(cls)
    for name, value in zip(cls.FIELDS, values, strict=True):
        object.__setattr__(made, name, value)
    return made


def values_of(obj: Plain) -> dict[str, Any]:
    """The fields of a plain object by name, in order (nested objects stay objects)."""
    return {n: getattr(obj, n) for n in obj.FIELDS}


def json_data(obj: Any, exclude_none: bool = False, exclude: Collection[str] = ()) -> Any:
    """An object as JSON-ready data, as pydantic's `model_dump(mode="json")` gives it for the model."""
    if isinstance(obj, Plain):
        out = {}
        for name in obj.FIELDS:
            value = getattr(obj, name)
            if name in exclude or (exclude_none and value is None):
                continue
            out[name] = json_data(value, exclude_none)
        return out
    if isinstance(obj, (tuple, list)):
        return [json_data(v, exclude_none) for v in obj]
    if isinstance(obj, dict):
        return {k: json_data(v, exclude_none) for k, v in obj.items()}
    if isinstance(obj, datetime.date):
        return obj.isoformat()
    return obj
