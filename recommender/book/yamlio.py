"""Safe YAML (and JSON) reading that keeps each node's line and refuses hostile input.

Nothing here constructs arbitrary objects: nodes are composed with the safe
loader and converted by hand, so only str, int, float, bool, null, dates,
mappings and sequences ever come out.  Size, depth, node count and alias count
are bounded before anything is built, which defuses alias bombs and deep nesting.
"""

from __future__ import annotations

import datetime
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from recommender.book.yamlsyntax import excerpt, syntax_problem
from recommender.errors import Problem

try:  # libyaml is much faster and gives the same marks; its syntax errors are re-read by the pure-Python parser.
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 50
MAX_NODES = 200_000
MAX_ALIASES = 100
MAX_STRING = 20_000
# Numbers hold at most 15 digits before the point: every one is then exact as a float, and no
# conversion (to float, or to text for a message) can overflow or meet Python's int-to-str limit.
MAX_DIGITS = 15
MAX_NUMBER = 10**MAX_DIGITS
NUMBER_RANGE = f"numbers may have at most {MAX_DIGITS} digits before the decimal point"

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

Key = tuple[str | int, ...]


@dataclass
class Document:
    """Plain data from one file, with the line of every node by key path."""

    path: str
    data: Any
    lines: dict[Key, int] = field(default_factory=dict)
    # Position of each id in a top-level list, built once per section on first use: looking an
    # object up by scanning the list for every object made loading quadratic in the book's size.
    _ids: dict[str, dict[str, int]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def line(self, key: Key) -> int:
        """The line of the deepest node on `key` that the file has."""
        key = tuple(key)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)

    def position(self, section: str, obj_id: str) -> int:
        """The index of the first mapping with this `id` in the top-level list `section` (0 if none)."""
        ids = self._ids.get(section)
        if ids is None:
            raw = self.data.get(section, []) if isinstance(self.data, dict) else []
            ids = {}
            for i, element in enumerate(raw if isinstance(raw, list) else []):
                if isinstance(element, dict):
                    found = element.get("id")
                    if isinstance(found, str) and found not in ids:  # the first one wins, as before
                        ids[found] = i
            self._ids[section] = ids
        return ids.get(obj_id, 0)


class YamlProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_text(path: Path, shown: str, regular_only: bool = False) -> str:
    """Read a file as UTF-8 text within the size limit, or raise YamlProblem.

    The read is bounded (the limit plus one byte), so a device such as /dev/zero, whose size says 0,
    cannot fill memory.  With `regular_only` (files found by walking a folder) anything but a
    regular file is refused before it is read; the file is opened without blocking, so a named
    pipe can never hang the tool.
    """
    try:
        raw = _read_bounded(path, shown, regular_only)
    except YamlProblem:
        raise
    except FileNotFoundError:
        raise YamlProblem(Problem(shown, 0, "no such file")) from None
    except PermissionError:
        raise YamlProblem(Problem(shown, 0, "permission denied: cannot read the file")) from None
    except IsADirectoryError:
        raise YamlProblem(Problem(shown, 0, "is a folder, expected a file")) from None
    except OSError as exc:
        raise YamlProblem(Problem(shown, 0, f"cannot read the file: {exc.strerror or exc}")) from None
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        return raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: bom + exc.start].count(b"\n") + 1
        exc.start += bom
        raise YamlProblem(
            Problem(shown, line, f"byte {exc.start} is not valid UTF-8; save the file as UTF-8")
        ) from None


def load_file(path: Path, shown: str | None = None, regular_only: bool = False) -> Document:
    """Read and parse one YAML or JSON file into a Document."""
    shown = shown or str(path)
    return load_text(read_text(path, shown, regular_only), shown)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in a few words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def special_file(path: Path) -> str | None:
    """What `path` is when it exists but is not a regular file or a folder ("a named pipe"), else None."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # missing or unreadable: whoever reads it says so
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else file_kind(mode)


def _read_bounded(path: Path, shown: str, regular_only: bool) -> bytes:
    if path.is_dir():
        raise YamlProblem(Problem(shown, 0, "is a folder, expected a file"))
    if regular_only:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise YamlProblem(Problem(shown, 0, f"is {file_kind(mode)}, not a regular file; only regular "
                                                f"files are read from a folder"))
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if regular_only and not stat.S_ISREG(info.st_mode):  # replaced between the check and the open
            raise YamlProblem(Problem(shown, 0, f"is {file_kind(info.st_mode)}, not a regular file; only "
                                                f"regular files are read from a folder"))
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_FILE_BYTES:
            raise YamlProblem(Problem(shown, 0, f"file is {info.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,}"))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # named on the command line: a pipe is read as its writer writes
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        raise YamlProblem(Problem(shown, 0, f"more than {MAX_FILE_BYTES:,} bytes; the limit is {MAX_FILE_BYTES:,}"))
    return b"".join(chunks)



def load_text(text: str, shown: str) -> Document:
    """Parse YAML text (JSON is YAML) into a Document, or raise YamlProblem."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise YamlProblem(Problem(shown, 0, f"text is over the limit of {MAX_FILE_BYTES:,} bytes"))
    try:
        node = _compose(text, shown, _Loader)
    except _SyntaxProblem:
        if _Loader is yaml.SafeLoader:
            raise
        # libyaml words some errors its own way ("did not find expected hexdecimal number") and refuses
        # surrogate escapes the pure-Python parser reads; so the words, the line and the verdict are
        # always the pure-Python parser's, whichever is installed.  Only broken files pay for the re-read.
        node = _compose(text, shown, yaml.SafeLoader)
    doc = Document(shown, None)
    if node is None:
        raise YamlProblem(Problem(shown, 1, "the file is empty; expected a mapping"))
    if _expanded_size(node, {}) > MAX_NODES:
        # Aliases share nodes; counting the shared graph once per use finds a bomb before building it.
        raise YamlProblem(Problem(shown, node.start_mark.line + 1,
                                  f"expands to more than {MAX_NODES:,} values (aliases multiply the data)"))
    doc.data = _convert(node, (), doc, shown)
    return doc


class _SyntaxProblem(YamlProblem):
    """The parser refused the text (as opposed to one of our own limits or checks)."""


def _compose(text: str, shown: str, loader: type[Any]) -> yaml.Node | None:
    _precheck(text, shown, loader)
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        raise _SyntaxProblem(_marked(exc, shown, text)) from None
    except yaml.YAMLError as exc:
        raise _SyntaxProblem(_unmarked(exc, shown, text)) from None
    return node


def _unmarked(exc: yaml.YAMLError, shown: str, text: str) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text[: exc.position].count("\n") + 1
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        return Problem(shown, line, f"character U+{char:04X} is not allowed in YAML; remove it")
    return Problem(shown, 0, "not valid YAML: " + " ".join(str(exc).split()))


def _marked(exc: yaml.MarkedYAMLError, shown: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else 0
    what = exc.problem or exc.context or "invalid YAML"
    if "nesting depth" in what:  # libyaml's own guard, met before ours on very deep input
        return Problem(shown, line, f"nesting is deeper than the limit of {MAX_DEPTH} levels")
    return syntax_problem(exc, shown, text)


def _precheck(text: str, shown: str, loader: type[Any]) -> None:
    """Walk parser events (no objects built) to bound depth, size and aliases."""
    depth = nodes = aliases = 0
    pure = loader is yaml.SafeLoader  # libyaml refuses surrogate escapes itself
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                nodes += 1
                if depth > MAX_DEPTH:
                    raise YamlProblem(
                        Problem(shown, _event_line(event),
                                f"nesting is deeper than the limit of {MAX_DEPTH} levels")
                    )
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise YamlProblem(
                        Problem(shown, _event_line(event),
                                f"more than {MAX_ALIASES} aliases (*name); expand them by hand")
                    )
            elif isinstance(event, yaml.ScalarEvent):
                nodes += 1
                if len(event.value) > MAX_STRING:
                    raise YamlProblem(
                        Problem(shown, _event_line(event),
                                f"a value is {len(event.value):,} characters; "
                                f"the limit is {MAX_STRING:,}")
                    )
                if pure and (half := _SURROGATE.search(event.value)) is not None:
                    raise YamlProblem(_surrogate(ord(half.group()), event, shown, text))
            elif isinstance(event, yaml.DocumentStartEvent) and event.start_mark is not None and event.start_mark.index > 0 and nodes:
                raise YamlProblem(
                    Problem(shown, _event_line(event),
                            "more than one YAML document (---); keep one per file")
                )
            if nodes > MAX_NODES:
                raise YamlProblem(Problem(shown, 0, f"more than {MAX_NODES:,} values in one file"))
    except yaml.MarkedYAMLError as exc:
        raise _SyntaxProblem(_marked(exc, shown, text)) from None
    except yaml.YAMLError as exc:
        raise _SyntaxProblem(_unmarked(exc, shown, text)) from None


# An escape such as "\ud800" gives half of a UTF-16 pair: no character, and text that cannot be printed.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate(code: int, event: yaml.Event, shown: str, text: str) -> Problem:
    line = event.start_mark.line if event.start_mark is not None else 0
    column = event.start_mark.column if event.start_mark is not None else 0
    lines = text.splitlines()
    return Problem(shown, line + 1,
                   f"not valid YAML: the escape \\u{code:04x} is half of a UTF-16 surrogate pair, not a "
                   f"character; write the character itself, or its \\U escape with eight digits",
                   excerpt=excerpt(line + 1, lines[line] if line < len(lines) else "", column))


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many values the node becomes once every alias is expanded (memoised per shared node)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = MAX_NODES + 1  # a node inside itself (a recursive alias) can never be built
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(child, memo) for child in node.value)
    else:
        size = 1
    memo[key] = min(size, MAX_NODES + 1)
    return memo[key]


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_NODES


def _convert(node: yaml.Node, key: Key, doc: Document, shown: str,
             budget: _Budget | None = None, depth: int = 0) -> Any:
    budget = budget or _Budget()
    budget.left -= 1
    line = node.start_mark.line + 1
    if budget.left < 0:
        # Aliases can multiply nodes past the event count: stop the expansion here.
        raise YamlProblem(Problem(shown, line, f"expands to more than {MAX_NODES:,} values (aliases multiply the data)"))
    if depth > MAX_DEPTH:
        raise YamlProblem(Problem(shown, line, f"nesting is deeper than the limit of {MAX_DEPTH} levels"))
    doc.lines.setdefault(key, line)
    if isinstance(node, yaml.MappingNode):
        _check_tag(node, "tag:yaml.org,2002:map", shown)
        out: dict[str, Any] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode) or knode.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(Problem(shown, knode.start_mark.line + 1,
                                          "keys must be plain words (no lists, mappings or << merges)"))
            name = str(_scalar(knode, shown, key=True))
            kline = knode.start_mark.line + 1
            if name in out:
                raise YamlProblem(Problem(
                    shown, kline, f"duplicate key '{name}' (first on line {doc.lines[key + (name,)]})"))
            doc.lines[key + (name,)] = kline
            out[name] = _convert(vnode, key + (name,), doc, shown, budget, depth + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        _check_tag(node, "tag:yaml.org,2002:seq", shown)
        return [
            _convert(child, key + (i,), doc, shown, budget, depth + 1)
            for i, child in enumerate(node.value)
        ]
    return _scalar(node, shown)


def _tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _check_tag(node: yaml.Node, tag: str, shown: str) -> None:
    if node.tag != tag:
        raise YamlProblem(Problem(shown, node.start_mark.line + 1,
                                  f"unsupported tag {_tag(node.tag)}; tags are not allowed"))


# YAML 1.1 (PyYAML) wants a dot in floats, so JSON's 1e3 would stay text; read it as YAML 1.2 does.
EXPONENT_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$")


def _scalar(node: yaml.Node, shown: str, key: bool = False) -> Any:
    line = node.start_mark.line + 1
    if node.tag not in _SCALAR_TAGS:
        raise YamlProblem(Problem(shown, line, f"unsupported tag {_tag(node.tag)}; tags are not allowed"))
    if not key and node.tag == "tag:yaml.org,2002:str" and not getattr(node, "style", None) \
            and EXPONENT_FLOAT.match(node.value):
        number = float(node.value)
        if not math.isfinite(number):
            raise YamlProblem(Problem(shown, line, f"'{node.value}' is not a finite number"))
        if abs(number) >= MAX_NUMBER:
            raise YamlProblem(Problem(shown, line, f"'{node.value[:40]}' is out of range; {NUMBER_RANGE}"))
        return number
    if node.tag == "tag:yaml.org,2002:int" and len(node.value) > 2 * MAX_DIGITS:
        raise YamlProblem(Problem(shown, line, f"'{node.value[:20]}…' is too long a number; {NUMBER_RANGE}"))
    try:
        # Call the safe scalar constructor directly: construct_object() would also remember every
        # node it ever built in the shared constructor, a leak that grows with each file read.
        value: Any = _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
    except (ValueError, OverflowError, KeyError, AttributeError, TypeError, yaml.YAMLError):
        what = {"tag:yaml.org,2002:timestamp": "date", "tag:yaml.org,2002:int": "whole number",
                "tag:yaml.org,2002:float": "number", "tag:yaml.org,2002:bool": "true or false",
                "tag:yaml.org,2002:null": "null"}.get(node.tag, "value")
        shown_value = node.value if len(node.value) <= 40 else node.value[:40] + "…"
        raise YamlProblem(Problem(shown, line, f"'{shown_value}' is not a valid {what}")) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise YamlProblem(Problem(shown, line, f"'{node.value}' is not a finite number"))
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= MAX_NUMBER:
        raise YamlProblem(Problem(shown, line, f"'{node.value[:40]}' is out of range; {NUMBER_RANGE}"))
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value


def _event_line(event: yaml.Event) -> int:
    """The 1-based line an event starts on (0 when the parser gave no position)."""
    return event.start_mark.line + 1 if event.start_mark is not None else 0


_CONSTRUCTOR = yaml.SafeLoader("")
