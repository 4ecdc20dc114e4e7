"""A loaded rule book as JSON data, and back: only into the package's own classes, by an allow-list.

The text is plain JSON (never pickle or marshal), so reading it can build nothing but what this
module names.  Every JSON object in a snapshot is one tagged node: a class instance (`$c` with
exactly the class's fields), a reference to an instance seen before (`$r`, so objects the loader
shared stay shared), a tuple, a dict as key/value pairs, a date, or an unusual float.  Any other
object, an unknown class, a missing or extra field: the snapshot is refused as a whole.

File paths in `Where` are stored relative to the book's folder as the loader shows it, so the
same snapshot serves whatever the current folder is.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from recommender.book import conditions as C
from recommender.book.layout import shown_path
from recommender.book.plain import Plain
from recommender.book.rulebook import (
    CompiledFact,
    CompiledProvisional,
    CompiledRoute,
    CompiledRule,
    CompiledStep,
    RuleBook,
    Where,
)
from recommender.book.runtime import (
    Allow,
    Certification,
    Cited,
    CitedRange,
    DerivedFact,
    Exam,
    FitLabel,
    Link,
    MarketFact,
    NextStep,
    Option,
    Organization,
    Pay,
    Program,
    Provisional,
    Question,
    Renewal,
    ReportFile,
    Role,
    Route,
    Rule,
    Source,
    Step,
)
from recommender.book.template import Template

#: Raise it whenever the encoding or any class in ALLOWED changes shape.
FORMAT = 2

#: Every class a snapshot may name: nothing else is ever built from one.
ALLOWED: dict[str, type[Any]] = {cls.__qualname__: cls for cls in (
    RuleBook, CompiledStep, CompiledRoute, CompiledProvisional, CompiledRule, CompiledFact, Template,
    C.All, C.AnyOf, C.Not, C.Fact, C.Eligible, C.Compare, C.QuestionInfo,
    Question, Option, DerivedFact, NextStep, Rule, Certification, Program, Role, Organization, Route, Step,
    Exam, Renewal, Provisional, Pay, MarketFact, Link, Source, Allow, Cited, CitedRange, FitLabel, ReportFile,
)}
# Where is encoded by its own tag ($w), relative to the book's folder.


class SnapshotError(ValueError):
    """A snapshot that cannot be trusted: not written, or refused when read."""


def shown_root(root: Path) -> str:
    """The book's folder as the loader prints it (relative to the current folder where it can be)."""
    return shown_path(root)


def _prefix(root: Path) -> str:
    shown = shown_root(root)
    return "" if shown == "." else shown.rstrip("/") + "/"


def _fields(cls: type[Any]) -> tuple[str, ...]:
    if issubclass(cls, Plain):
        return cls.FIELDS
    return tuple(f.name for f in dataclasses.fields(cls))


_FIELDS: dict[type[Any], tuple[str, ...]] = {cls: _fields(cls) for cls in ALLOWED.values()}


# ------------------------------------------------------------------ writing
class _Encoder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.prefix = _prefix(root)
        self.seen: dict[int, int] = {}  # id() of an object already written → its number
        self.keep: list[Any] = []  # holds every numbered object alive, so no id() is reused meanwhile

    def value(self, obj: Any) -> Any:
        if obj is None or isinstance(obj, (bool, int, str)):
            return obj
        if isinstance(obj, float):
            return obj if math.isfinite(obj) else {"$f": repr(obj)}
        if isinstance(obj, tuple):
            return {"$t": [self.value(x) for x in obj]}
        if isinstance(obj, list):
            return [self.value(x) for x in obj]
        if type(obj) is dict:
            return {"$d": [[self.value(k), self.value(v)] for k, v in obj.items()]}
        if type(obj) is datetime.date:
            return {"$date": obj.isoformat()}
        if isinstance(obj, Path):
            if obj != self.root:
                raise SnapshotError(f"a path other than the book's folder: {obj}")
            return {"$root": 0}
        return self.instance(obj)

    def instance(self, obj: Any) -> Any:
        number = self.seen.get(id(obj))
        if number is not None:
            return {"$r": number}
        cls = type(obj)
        if cls is Where:
            if not obj.path.startswith(self.prefix) or (self.prefix == "" and Path(obj.path).is_absolute()):
                raise SnapshotError(f"a file outside the book's folder: {obj.path}")
            node: dict[str, Any] = {"$w": [obj.path[len(self.prefix):], obj.line]}
        elif ALLOWED.get(cls.__qualname__) is not cls:
            raise SnapshotError(f"a {cls.__module__}.{cls.__qualname__} is not allowed in a snapshot")
        else:
            node = {"$c": cls.__qualname__}
            for name in _FIELDS[cls]:
                node[name] = self.value(getattr(obj, name))
        self.seen[id(obj)] = len(self.keep)
        self.keep.append(obj)
        return node


def dumps(book: RuleBook, header: list[Any]) -> bytes:
    """The snapshot of a book, after a header (format, versions, key) that a reader must match."""
    with _no_gc():
        body = _Encoder(book.root).value(book)
    try:
        import orjson
    except ImportError:  # the `fast` extra is optional
        return json.dumps([*header, body], separators=(",", ":"), allow_nan=False).encode("utf-8")
    return orjson.dumps([*header, body])


# ------------------------------------------------------------------ reading
def loads(data: bytes, root: Path, header: list[Any]) -> RuleBook:
    """Rebuild a book from a snapshot, or raise SnapshotError; the header must match exactly."""
    built: list[Any] = []
    prefix = _prefix(root)

    def node(obj: dict[str, Any]) -> Any:
        name = obj.get("$c")
        if name is not None:
            return _instance(obj, name, built)
        if len(obj) != 1:
            raise SnapshotError("an object that is not a snapshot node")
        (tag, value), = obj.items()
        if tag == "$t" and type(value) is list:
            return tuple(value)
        if tag == "$d" and type(value) is list:
            return {k: v for k, v in value}
        if tag == "$r" and type(value) is int and 0 <= value < len(built):
            return built[value]
        if tag == "$w" and type(value) is list and len(value) == 2 and type(value[0]) is str \
                and type(value[1]) is int:
            where = Where(prefix + value[0], value[1])
            built.append(where)
            return where
        if tag == "$date" and type(value) is str:
            return datetime.date.fromisoformat(value)
        if tag == "$f" and value in ("inf", "-inf", "nan"):
            return float(value)
        if tag == "$root" and value == 0:
            return root
        raise SnapshotError(f"an unknown snapshot node {tag!r}")

    try:
        with _no_gc():
            doc = json.loads(data, object_hook=node)
    except SnapshotError:
        raise
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise SnapshotError(f"unreadable: {type(exc).__name__}") from None
    if type(doc) is not list or len(doc) != len(header) + 1 or doc[:-1] != header:
        raise SnapshotError("made for another format, version or set of files")
    book = doc[-1]
    if type(book) is not RuleBook:
        raise SnapshotError("not a rule book")
    return book


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """No cycle collection while a book is built or walked: it makes only acyclic data, and
    collections over a heap that grows by millions of objects would double the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _instance(obj: dict[str, Any], name: Any, built: list[Any]) -> Any:
    cls = ALLOWED.get(name) if type(name) is str else None
    if cls is None:
        raise SnapshotError(f"names a class that is not allowed: {name!r}")
    names = _FIELDS[cls]
    if len(obj) != len(names) + 1 or any(n not in obj for n in names):
        raise SnapshotError(f"fields of {name} do not match the class")
    if issubclass(cls, Plain):
        made = _construct(cls, [obj[n] for n in names])
    else:
        values = {n: obj[n] for n in names}
        try:
            made = cls(**values)
        except TypeError as exc:
            raise SnapshotError(f"cannot rebuild {name}: {exc}") from None
    built.append(made)
    return made


def _construct(cls: type[Plain], values: list[Any]) -> Plain:
    # Every field is present already: no defaults to look up, no keywords to match.
    made = cls.__new__(cls)
    setattr_: Callable[[object, str, Any], None] = object.__setattr__
    for name, value in zip(cls.FIELDS, values):
        setattr_(made, name, value)
    return made
