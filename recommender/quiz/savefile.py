"""Answers files the quiz writes and reads back: the contract format, written atomically.

A save never leaves a half-written file: the text goes to a temporary file in the same
folder, is flushed and synced to disk, then renamed over the target in one step.  Reading
for --resume or --answers goes through recommender.book.answers, and only a file that is an
answers file is ever read back, or replaced.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from recommender.book.answers import STATUSES, answers_from_document
from recommender.book.rulebook import RuleBook
from recommender.book.yamlio import (
    EXPONENT_FLOAT,
    Document,
    YamlProblem,
    load_file,
    load_text,
)
from recommender.errors import AnswersError, Problem
from recommender.i18n import N_, _

DEFAULT_STEM = "my-answers"
# The comments follow the language of the run that writes the file; the answers are ids in every language.
HEADER = N_(
    "# Answers to the medical administration career questionnaire (written by `recommender quiz`).\n"
    "# See the report:       recommender recommend THIS_FILE\n"
    "# Finish or change it:  recommender quiz --resume THIS_FILE\n"
)


@dataclass
class SavedFile:
    """An answers file read for --resume or --answers: its answers as written, and the other keys."""

    path: Path
    shown: str
    answers: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)  # question id -> line of its answer
    name: str | None = None
    notes: str | None = None
    status: str | None = None
    expect: Any = None

    def where(self, qid: str) -> str:
        line = self.lines.get(qid, 0)
        return f"{self.shown}:{line}" if line else self.shown


def read_saved(path: Path, book: RuleBook, shown: str | None = None) -> SavedFile:
    """Read an answers file to continue or amend it; raise AnswersError if it is not one.

    Problems with single answers are not errors here: the quiz asks those questions again.
    """
    shown = shown or str(path)
    try:
        doc = load_file(path, shown)
    except YamlProblem as exc:
        raise AnswersError(exc.problem) from None
    return _saved(doc, book, path)


def read_saved_text(text: str, shown: str, book: RuleBook) -> SavedFile:
    """The same as read_saved, for the text of a file that came another way (an upload to the web page)."""
    try:
        doc = load_text(text, shown)
    except YamlProblem as exc:
        raise AnswersError(exc.problem) from None
    return _saved(doc, book, Path(shown))


def _saved(doc: Document, book: RuleBook, path: Path) -> SavedFile:
    shown = doc.path
    data = doc.data
    # A file without an 'answers' key is someone else's file: one line says so.
    if isinstance(data, dict) and "answers" not in data:
        keys = ", ".join(str(k) for k in list(data)[:5]) or _("nothing")
        raise AnswersError(Problem(shown, doc.line(()), _("this is not an answers file: it has no 'answers' key "
                                                          "(its top-level keys are {keys})").format(keys=keys)))
    try:
        answers_from_document(doc, book)
    except AnswersError as exc:
        structural = [p for p in exc.problems if not p.key.startswith("answers.")]
        if structural:
            raise AnswersError(structural) from None
    raw = data["answers"]
    return SavedFile(
        path=path, shown=shown, answers=dict(raw),
        lines={str(k): doc.line(("answers", k)) for k in raw},
        name=data.get("name"), notes=data.get("notes"), status=data.get("status"), expect=data.get("expect"),
    )


def render(answers: Mapping[str, Any], status: str, *, name: str | None = None, notes: str | None = None,
           expect: Any = None, as_json: bool = False) -> str:
    """The text of an answers file: name, status, notes, answers, then any expect block."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    data: dict[str, Any] = {}
    if name is not None:
        data["name"] = name
    data["status"] = status
    if notes is not None:
        data["notes"] = notes
    data["answers"] = dict(answers)
    if expect is not None:
        data["expect"] = expect
    if as_json:
        text = _NOT_YAML.sub(_escape, json.dumps(data, indent=2, ensure_ascii=False, default=str)) + "\n"
    else:
        body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True,
                         width=100)
        text = _(HEADER) + body
    # Whatever is written must read back as the same data, or it is not written at all.
    try:
        back = load_text(text, "answers").data
    except YamlProblem as exc:  # pragma: no cover - would be a bug in the dump above
        raise AssertionError(f"answers file does not read back: {exc}") from None
    if back != (json.loads(text) if as_json else data):  # pragma: no cover - same
        raise AssertionError("answers file does not read back the same")
    return text


# Characters YAML does not allow in a file, or reads as line breaks (NEL, U+2028): the reader would refuse
# or change them, so a JSON answers file writes them as escapes (inside JSON strings, the same text).
_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


_BaseDumper: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when PyYAML has it


class _Dumper(_BaseDumper):  # type: ignore[misc]
    """Block mappings, with short lists of ids on one line: `interests: [billing_coding, technology]`."""


def _represent_list(dumper: Any, data: list[Any]) -> yaml.Node:
    flat = all(not isinstance(v, (dict, list)) for v in data)
    node: yaml.Node = dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)
    return node


def _represent_str(dumper: Any, data: str) -> yaml.Node:
    # The reader takes `1e5` for a number, as YAML 1.2 and JSON do, where PyYAML's YAML 1.1 writer
    # leaves it bare: quote such text, or a name like "1e5" would come back as 100000.0.
    style = '"' if EXPONENT_FLOAT.match(data) else None
    node: yaml.Node = dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)
    return node


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step; on any error the old file is left as it was."""
    target = path.resolve()
    folder = target.parent
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(folder)


def check_folder(path: Path) -> None:
    """Raise OSError now if no file can be created next to `path` (rather than after the first answer)."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.resolve().parent)
    os.close(fd)
    os.unlink(temp)


def why(exc: OSError) -> str:
    """A save failure in a few plain words."""
    if isinstance(exc, PermissionError):
        return _("permission denied")
    if exc.errno == errno.ENOSPC:
        return _("the disk is full")
    if exc.errno == errno.EROFS:
        return _("the disk is read-only")
    if exc.errno == errno.ENOENT:
        return _("the folder does not exist")
    if exc.errno == errno.EISDIR:
        return _("it is a folder")
    return (exc.strerror or str(exc)).rstrip(".").lower()


def default_path(folder: Path = Path("."), skip: set[Path] | frozenset[Path] = frozenset()) -> Path:
    """my-answers.yaml in `folder`, or my-answers-2.yaml and so on if that file exists (or is in `skip`)."""
    candidate = folder / f"{DEFAULT_STEM}.yaml"
    n = 2
    while candidate.exists() or candidate.is_symlink() or candidate in skip:
        candidate = folder / f"{DEFAULT_STEM}-{n}.yaml"
        n += 1
    return candidate


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or a.samefile(b)
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not every system allows opening a folder, hence best effort.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
