"""Batch scoring: score each row of a cohort and format one output record per profile, streaming.

Rows come from recommender.cohort.read one at a time and are scored and formatted one at a time (or a
few chunks at a time with several processes), so memory does not grow with the input.  A bad row
becomes an error record and never stops the batch.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import signal
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from recommender.book.answers import AnswersFile, answers_from_document, load_answers
from recommender.book.rulebook import RuleBook
from recommender.book.yamlio import Document
from recommender.cohort.read import Row, json_row
from recommender.engine.result import Result
from recommender.errors import AnswersError, Problem, RecommenderError
from recommender.render import jsontext

FORMATS = ("jsonl", "csv")
#: How far each output needs a result built (recommender.engine.recommend.DETAILS): CSV prints the
#: ranking alone, `--format jsonl --summary` the ranking and the plan summary.
SUMMARY = "jsonl-summary"
DETAIL = {"jsonl": "full", SUMMARY: "summary", "csv": "ranking"}
CSV_COLUMNS = ("source", "line", "id", "name", "ok",
               "certification", "certification_status", "program", "program_status", "role", "role_status",
               "certifications", "programs", "roles", "fired_rules", "errors")
CHUNK = 64
CHUNK_BYTES = 1_000_000  # text of JSON Lines rows in one chunk; a chunk holds at least one row


@dataclass(frozen=True)
class Record:
    """One scored profile, or why it could not be scored (`problems`, as `path:line: message` lines)."""

    source: str
    line: int
    ident: str | None
    name: str | None
    result: Result | None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """A formatted output record and the problems to report for it."""

    text: str
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


# ------------------------------------------------------------------ scoring
def score(book: RuleBook, row: Row, top: int | None = None, detail: str = "full") -> Record:
    """Validate and score one row, building the result as far as `detail`; a bad row becomes a record
    with its problems."""
    from recommender.engine.recommend import recommend

    if row.text is not None:
        row = json_row(row.text, row.source, row.line)
    if row.problems:
        return Record(row.source, row.line, row.ident, None, None, row.problems)
    try:
        if row.path is not None:
            answers: AnswersFile = load_answers(row.path, book, row.source)
        else:
            assert row.data is not None
            answers = answers_from_document(Document(row.source, row.data, {(): row.line}), book)
        profile = answers.profile
        return Record(row.source, row.line, row.ident, profile.name, recommend(book, profile, top, detail=detail))
    except AnswersError as exc:
        return Record(row.source, row.line, row.ident, None, None, tuple(exc.lines()))
    except Exception as exc:  # noqa: BLE001 - one row's failure must not end the batch
        return Record(row.source, row.line, row.ident, None, None,
                      (str(Problem(row.source, row.line, f"internal error while scoring this row: "
                                                         f"{type(exc).__name__}: {exc}; please report it")),))


# ------------------------------------------------------------------ formatting
def csv_header() -> str:
    """The header line of CSV output."""
    return _csv_line(CSV_COLUMNS)


def record_data(record: Record, book: RuleBook, summary: bool = False, spliced: bool = False) -> dict[str, Any]:
    """A record as the plain data of one JSON Lines line (with `summary`, its short form).

    With `spliced`, parts that many records share are `jsontext.Encoded` text for `jsontext.compact`.
    """
    head: dict[str, Any] = {"source": record.source, "line": record.line, "id": record.ident,
                            "name": record.name, "ok": record.result is not None}
    if record.result is None:
        head["errors"] = list(record.problems)
        return head
    if summary:
        return {**head, **summary_data(record.result, book)}
    from recommender.render import json as report
    from recommender.render.jsonparts import spliced_parts

    # The parts every profile shares are encoded once per book and spliced in (see render.jsonparts).
    head.update(report.record_data(record.result, book, spliced_parts(book) if spliced else report.PLAIN))
    return head


def summary_data(result: Result, book: RuleBook) -> dict[str, Any]:
    """The short form of a report: the plan summary, then what is recommended with fit and status."""
    from recommender.render.json import summary_data as plan_data

    labels = book.report
    return {
        "summary": plan_data(result.summary, lambda ids: list(ids)) if result.summary else None,
        "recommendations": [{"id": r.id, "kind": r.kind, "name": r.name, "short_name": r.short_name,
                             "score": r.score, "fit": labels.fit_label(r.score), "status": r.status}
                            for r in result.recommendations],
        "fired_rules": list(result.fired),
    }


def format_record(record: Record, book: RuleBook, fmt: str, raw: bool = False) -> str:
    """One output line (with its newline) for a record, in jsonl, jsonl-summary or csv.

    CSV cells are neutralised against formula injection unless `raw` (see `spreadsheet_safe`).
    """
    if fmt in ("jsonl", SUMMARY):
        return jsontext.compact(record_data(record, book, fmt == SUMMARY, spliced=True)) + "\n"
    result = record.result
    cells: list[Any] = [record.source, record.line, record.ident or "", record.name or "",
                        "true" if result is not None else "false"]
    if result is None:
        cells += [""] * (len(CSV_COLUMNS) - len(cells) - 1) + [" | ".join(record.problems)]
        return _csv_line(cells, raw)
    for kind in ("certification", "program", "role"):
        first = next((r for r in result.recommendations if r.kind == kind), None)
        cells += [first.id, first.status] if first is not None else ["", ""]
    for kind in ("certification", "program", "role"):
        cells.append(";".join(r.id for r in result.recommendations if r.kind == kind))
    cells += [len(result.fired), ""]
    return _csv_line(cells, raw)


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, with a leading apostrophe so it stays text."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _csv_line(cells: Iterable[Any], raw: bool = True) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells if raw else [spreadsheet_safe(c) for c in cells])
    return buffer.getvalue()


def process(book: RuleBook, row: Row, fmt: str, top: int | None = None, raw: bool = False) -> Outcome:
    """Score one row and format its output record."""
    record = score(book, row, top, DETAIL.get(fmt, "full"))
    try:
        return Outcome(format_record(record, book, fmt, raw), record.problems)
    except Exception as exc:  # noqa: BLE001 - as in score(): the row is reported, the batch goes on
        problem = str(Problem(row.source, row.line, f"internal error while writing this row: "
                                                    f"{type(exc).__name__}: {exc}; please report it"))
        failed = Record(row.source, row.line, record.ident, None, None, (problem,))
        return Outcome(format_record(failed, book, fmt, raw), failed.problems)


# ------------------------------------------------------------------ running, in one process or several
def outcomes(rows: Iterable[Row], book: RuleBook, fmt: str, top: int | None = None,
             jobs: int = 1, chunk: int | None = None, raw: bool = False) -> Iterator[Outcome]:
    """Process rows in input order, with `jobs` worker processes when more than one.

    Only a few chunks per worker are in flight at once: `Pool.imap` would read results ahead of a
    slow consumer without limit, and memory must not grow with the input.
    """
    if jobs <= 1:
        for row in rows:
            yield process(book, row, fmt, top, raw)
        return
    with multiprocessing.get_context().Pool(jobs, initializer=_start_worker,
                                            initargs=(book.root, fmt, top, raw, book.lang)) as pool:
        pending: deque[Any] = deque()
        for part in _chunks(rows, chunk or CHUNK):
            pending.append(pool.apply_async(_work, (part,)))
            if len(pending) >= 4 * jobs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    """Rows in chunks of `size`, cut early at CHUNK_BYTES of text, so fat lines never pile up in flight."""
    part: list[Row] = []
    held = 0
    for row in rows:
        part.append(row)
        held += len(row.text or "")
        if len(part) >= size or held >= CHUNK_BYTES:
            yield part
            part, held = [], 0
    if part:
        yield part


_WORKER: dict[str, Any] = {}


def _start_worker(root: Path, fmt: str, top: int | None, raw: bool = False, lang: str = "en") -> None:
    """Load the rule book once per worker process, in the parent's language."""
    from recommender.book.cache import load_cached
    from recommender.i18n import set_lang

    set_lang(lang)
    # Ctrl-C is the parent's to handle; it stops the pool.  The parent's handlers for SIGTERM and
    # SIGHUP were inherited by fork: a worker must die of them, as the pool's terminate() expects.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    _WORKER.update(fmt=fmt, top=top, raw=raw)
    try:
        _WORKER["book"] = load_cached(root, lang=lang)
    except RecommenderError as exc:  # raising here would make the pool restart the worker forever
        _WORKER["error"] = exc


def _work(rows: list[Row]) -> list[Outcome]:
    if "error" in _WORKER:
        raise _WORKER["error"]
    return [process(_WORKER["book"], row, _WORKER["fmt"], _WORKER["top"], _WORKER["raw"]) for row in rows]


# ------------------------------------------------------------------ output
class AtomicOutput:
    """A text file written under a temporary name beside `path` and renamed into place on commit."""

    def __init__(self, path: Path, shown: str | None = None) -> None:
        self.path = path  # links already followed (see recommender.cohort.target)
        self.shown = shown or str(path)  # as the person named it
        folder = path.parent
        try:
            fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as exc:
            raise RecommenderError(Problem(self.shown, 0, f"cannot write the output: {exc.strerror or exc}")) from None
        self.temp = Path(name)
        self.stream: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        self.stream.close()
        try:
            os.chmod(self.temp, _mode_for(self.path))
            os.replace(self.temp, self.path)
        except OSError as exc:
            self.discard()
            raise RecommenderError(Problem(self.shown, 0, f"cannot write the output: {exc.strerror or exc}")) from None

    def discard(self) -> None:
        self.stream.close()
        self.temp.unlink(missing_ok=True)


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (mkstemp makes it private)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
