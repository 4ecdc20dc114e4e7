"""Reading cohorts: every profile in answers files, folders, JSON Lines and CSV files, one row at a time.

Input kinds, chosen by file name:
- `*.jsonl` / `*.ndjson`: one JSON object per line. An object with an `answers` key is read as an
  answers file (`answers`, optional `name`, `notes`, plus `id`); any other object is a bare mapping
  of question ids to answers. Blank lines are skipped.
- `*.csv`: a header row of question ids, with optional `id` and `name` columns; one profile per row.
  An empty cell is not answered; multi-select values are separated by `;`; numbers and yes/no
  answers are read per the question's type. Rows whose every cell is empty are skipped.
- a folder: its `*.yaml`, `*.yml` and `*.json` answers files, sorted by name (not recursive).
- any other file: one answers file (YAML or JSON), read when the row is scored.

Nothing is collected: a file is read as its rows are taken.  What is wrong with a row is kept on
the row, located as `path:line: message`, and reading goes on.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from recommender.book import plainjson
from recommender.book.rulebook import RuleBook
from recommender.book.yamlio import (
    MAX_DIGITS,
    MAX_FILE_BYTES,
    NUMBER_RANGE,
    special_file,
)
from recommender.errors import Problem
from recommender.suggest import did_you_mean, show

ANSWERS_SUFFIXES = (".yaml", ".yml", ".json")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
MAX_LINE = MAX_FILE_BYTES  # one JSON Lines or CSV line may be as large as one answers file
CSV_EXTRA_COLUMNS = ("id", "name")
MAX_HEADER_PROBLEMS = 20  # a header of 60,000 wrong columns needs a few examples, not 60,000 lines
# A quoted value running over this many lines is taken for a quote never closed.
MAX_QUOTED_LINES = 100


@dataclass(frozen=True)
class Row:
    """One profile to score, as read: parsed data, a file to read, or what is wrong with it."""

    source: str
    line: int
    data: dict[str, Any] | None = None  # an answers object: {"answers": {...}, "name": ...}
    path: Path | None = None  # or an answers file, read by whoever scores the row
    text: str | None = None  # or a JSON Lines line, parsed (within limits) by whoever scores the row
    ident: str | None = None
    problems: tuple[str, ...] = ()


def read_rows(inputs: Iterable[Path], book: RuleBook) -> Iterator[Row]:
    """Every profile in the inputs, in order, one at a time."""
    for path in inputs:
        shown = str(path)
        kind = special_file(path)
        if path.is_dir():
            yield from _folder_rows(path, shown)
        elif kind is not None and path.suffix.lower() in JSONL_SUFFIXES + (".csv",) and kind != "a named pipe":
            # A device never ends (/dev/zero) and may have no lines to stop at: read only files and pipes.
            yield _bad(shown, 0, f"is {kind}; JSON Lines and CSV are read from files or pipes")
        elif path.suffix.lower() in JSONL_SUFFIXES:
            yield from _guarded(_jsonl_rows(path, shown), shown)
        elif path.suffix.lower() == ".csv":
            yield from _guarded(_csv_rows(path, shown, book), shown)
        else:
            yield Row(shown, 1, path=path)


def _folder_rows(folder: Path, shown: str) -> Iterator[Row]:
    try:
        # Only the names are held, never the files, so a large folder stays cheap.
        names = sorted(p.name for p in folder.iterdir()
                       if p.suffix.lower() in ANSWERS_SUFFIXES and not p.is_dir())
    except OSError as exc:
        yield Row(shown, 0, problems=(_problem(shown, 0, f"cannot read the folder: {exc.strerror or exc}"),))
        return
    for name in names:
        kind = special_file(folder / name)
        if kind is not None:  # a pipe would hang the batch, a device would never end
            yield _bad(str(folder / name), 0, f"is {kind}, not a regular file; only regular files are read "
                                              f"from a folder")
            continue
        yield Row(str(folder / name), 1, path=folder / name)


def _guarded(rows: Iterator[Row], shown: str) -> Iterator[Row]:
    """Turn a file that cannot be opened or read on into one bad row; rows already read stand."""
    line = 0
    try:
        for row in rows:
            line = row.line
            yield row
    except OSError as exc:
        message = "cannot read the file" + (f" after line {line}" if line else "")
        yield Row(shown, line, problems=(_problem(shown, line, f"{message}: {exc.strerror or exc}"),))


class _Lines:
    """Text lines of a binary file, each checked for length and UTF-8; problems wait in `problem`."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.number = 0
        self.problem: str | None = None

    def __iter__(self) -> Iterator[str]:
        while True:
            raw = self.handle.readline(MAX_LINE + 1)
            if not raw:
                return
            self.number += 1
            if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the line without keeping it
                    raw = self.handle.readline(MAX_LINE + 1)
                self.problem = self.problem or f"the line is longer than the limit of {MAX_LINE:,} bytes"
                yield "\n"
                continue
            if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                self.problem = self.problem or f"byte {exc.start + 1} of the line is not valid UTF-8; save the file as UTF-8"
                yield "\n"

    def take_problem(self) -> str | None:
        problem, self.problem = self.problem, None
        return problem


def _jsonl_rows(path: Path, shown: str) -> Iterator[Row]:
    with path.open("rb") as handle:
        lines = _Lines(handle)
        for text in lines:
            problem = lines.take_problem()
            if problem:
                yield Row(shown, lines.number, problems=(_problem(shown, lines.number, problem),))
            elif text.strip():
                # Parsed by whoever scores the row: in a worker with --jobs, so a fat line is only ever
                # text in the parent, and parsing costs memory once per worker, not once per row in flight.
                yield Row(shown, lines.number, text=text)


def json_row(text: str, shown: str, line: int) -> Row:
    """A JSON Lines line parsed, within the limits of an answers file, into a row to score."""
    try:
        data = plainjson.loads(text.rstrip())
    except plainjson.JsonProblem as exc:
        return _bad(shown, line, str(exc))
    if not isinstance(data, dict):
        return _bad(shown, line, f"expected a JSON object (an answers object, or a mapping of question ids "
                                 f"to answers), got {show(data)}")
    if "answers" not in data:
        return Row(shown, line, {"answers": data})
    ident = data.pop("id", None)
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, (str, int))):
        return _bad(shown, line, f"'id' must be text or a whole number, got {show(ident)}")
    return Row(shown, line, data, ident=None if ident is None else str(ident))


def _csv_rows(path: Path, shown: str, book: RuleBook) -> Iterator[Row]:
    with path.open("rb") as handle:
        lines = _Lines(handle)
        reader = csv.reader(lines, strict=True)
        header: list[str] | None = None
        last = 0  # the line the previous row ended on; a row may span lines inside quotes
        while True:
            start = last + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                last = lines.number
                lines.take_problem()
                if last - start + 1 > MAX_QUOTED_LINES:
                    # The reader is lost inside an open quote: nothing after it can be trusted.
                    yield _bad(shown, start, _open_quote(start, last) + "; the rest of the file is not read")
                    return
                yield _bad(shown, start, f"not valid CSV: {exc}")
                if header is None:
                    return
                continue
            last = lines.number
            if last - start + 1 > MAX_QUOTED_LINES:
                yield _bad(shown, start, _open_quote(start, last))
                continue
            problem = lines.take_problem()
            if problem:
                yield _bad(shown, start, problem)
                if header is None:
                    return
                continue
            if header is None:
                if not cells:
                    continue  # blank lines before the header
                header = [c.strip() for c in cells]
                wrong = _header_problems(header, book)
                if wrong:
                    # Every row would fail the same way: say it once and skip the file.
                    yield Row(shown, start, problems=tuple(_problem(shown, start, w) for w in wrong))
                    return
                continue
            if not any(c.strip() for c in cells):
                continue
            yield _csv_row(header, cells, book, shown, start)


def _open_quote(start: int, end: int) -> str:
    return (f"lines {start:,}-{end:,}: a quoted value opens on line {start:,} and is not closed within "
            f"{MAX_QUOTED_LINES} lines, so {end - start + 1:,} lines were read as one row and none of them "
            f"was scored; close the quote (a quote inside a value is written twice: \"\")")


def _header_problems(header: list[str], book: RuleBook) -> list[str]:
    known = list(book.question_info) + list(CSV_EXTRA_COLUMNS)
    known_set = set(known)
    seen: set[str] = set()  # a set, not header.index(): one pass, linear in the number of columns
    wrong = []
    for index, column in enumerate(header):
        if not column:
            wrong.append(f"column {index + 1} of the header has no name; name it after a question id")
        elif column not in known_set:
            wrong.append(f"unknown column '{column}' in the header{did_you_mean(column, known)}; "
                         "columns are question ids, 'id' and 'name'")
        elif column in seen:
            wrong.append(f"column '{column}' appears twice in the header")
        seen.add(column)
        if len(wrong) >= MAX_HEADER_PROBLEMS and index + 1 < len(header):  # only when columns are left
            wrong.append(f"... and the header may have more problems; it has {len(header):,} columns")
            break
    return wrong


def _csv_row(header: list[str], cells: list[str], book: RuleBook, shown: str, line: int) -> Row:
    if len(cells) > len(header):
        return _bad(shown, line, f"the row has {len(cells)} values but the header has {len(header)} columns")
    answers: dict[str, Any] = {}
    data: dict[str, Any] = {"answers": answers}
    ident: str | None = None
    for column, cell in zip(header, cells):
        cell = cell.strip()
        if not cell:
            continue  # an empty cell is not answered: the question takes its default
        if column == "id":
            ident = cell
        elif column == "name":
            data["name"] = cell
        else:
            try:
                answers[column] = csv_value(book.question_info[column].type, cell)
            except ValueError as exc:
                return _bad(shown, line, f"column '{column}': {exc}")
    return Row(shown, line, data, ident=ident)


_INTEGER = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_BOOLEANS = {"true": True, "yes": True, "false": False, "no": False}


def csv_value(kind: str, cell: str) -> Any:
    """A CSV cell as the answer a question of this type takes; left as text when it does not parse.

    Text that does not parse reaches answer validation unchanged, so the message is the same one an
    answers file gets (for example "expected a number, got 'ten'").
    """
    if kind == "multi":
        return [part.strip() for part in cell.split(";") if part.strip()]
    if kind == "boolean":
        return _BOOLEANS.get(cell.lower(), cell)
    if kind == "number":
        if sum(ch.isdigit() for ch in cell.partition(".")[0]) > MAX_DIGITS and _DECIMAL.fullmatch(cell):
            raise ValueError(f"'{cell[:20]}…' is too long a number; {NUMBER_RANGE}")  # before int(): no 5,000-digit conversion
        if _INTEGER.fullmatch(cell):
            return int(cell)
        if _DECIMAL.fullmatch(cell):
            value = float(cell)
            return value if math.isfinite(value) else cell
    return cell


def _bad(shown: str, line: int, message: str) -> Row:
    return Row(shown, line, problems=(_problem(shown, line, message),))


def _problem(shown: str, line: int, message: str) -> str:
    return str(Problem(shown, line, message))
