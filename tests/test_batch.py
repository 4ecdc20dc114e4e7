"""Batch core: rows are scored and formatted in input order, streamed, in one process or several."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from recommender.book.answers import load_answers
from recommender.book.rulebook import RuleBook
from recommender.cohort import batch
from recommender.cohort.batch import (
    CSV_COLUMNS,
    AtomicOutput,
    Record,
    csv_header,
    format_record,
    outcomes,
    record_data,
    score,
)
from recommender.cohort.read import Row
from recommender.engine.recommend import recommend
from recommender.errors import RecommenderError, RuleBookError
from recommender.render.json import to_data
from tests.conftest import PROFILES

EDUCATION = "options are none, high_school, some_college, associate, bachelor, graduate"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ scoring
def test_a_good_row_is_scored_like_recommend(book: RuleBook, here: Path) -> None:
    record = score(book, Row("cohort.csv", 7, {"answers": {"education": "bachelor", "goals": ["leadership"]},
                                               "name": "Ann"}, ident="s-1"))
    assert (record.source, record.line, record.ident, record.name, record.problems) == \
        ("cohort.csv", 7, "s-1", "Ann", ())
    expected = recommend(book, load_answers(write("ann.yaml", "name: Ann\nanswers:\n  education: bachelor\n"
                                                               "  goals: [leadership]\n"), book).profile)
    assert record.result == replace(expected, source="cohort.csv")  # the same, but from where it was read


def test_an_answers_file_row_is_read_and_scored(book: RuleBook) -> None:
    record = score(book, Row(str(PROFILES[0]), 1, path=PROFILES[0]), top=1)
    assert record.result == recommend(book, load_answers(PROFILES[0], book).profile, top=1)
    assert record.name == record.result.name and record.name


def test_bad_answers_are_located_on_their_row(book: RuleBook, here: Path) -> None:
    record = score(book, Row("cohort.jsonl", 9, {"answers": {"education": "hs", "goal": []}}))
    assert (record.result, record.name) == (None, None)
    assert record.problems == (
        "cohort.jsonl:9: answers.education: unknown option 'hs'; " + EDUCATION,
        "cohort.jsonl:9: answers.goal: unknown question 'goal'; did you mean 'goals'?",
    )
    record = score(book, Row("cohort.jsonl", 3, {"answers": {}, "nmae": "Ann"}))
    assert record.problems == (
        "cohort.jsonl:3: unknown top-level key 'nmae'; did you mean 'name'?; "
        "expected answers, name, notes, expect, status",
        "cohort.jsonl:3: answers.education: missing answer to the required question 'education'",
    )


def test_answers_file_problems_keep_their_own_lines(book: RuleBook, here: Path) -> None:
    path = write("ann.yaml", "name: Ann\nanswers:\n  education: hs\n")
    assert score(book, Row("ann.yaml", 1, path=path)).problems == \
        ("ann.yaml:3: answers.education: unknown option 'hs'; " + EDUCATION,)


def test_rows_bad_when_read_stay_bad(book: RuleBook) -> None:
    record = score(book, Row("a.jsonl", 2, problems=("a.jsonl:2: not valid JSON",), ident="x"))
    assert record == Record("a.jsonl", 2, "x", None, None, ("a.jsonl:2: not valid JSON",))


# ------------------------------------------------------------------ formatting
def _ann(book: RuleBook) -> Record:
    return score(book, Row("in.jsonl", 4, {"answers": {"education": "high_school", "interests": ["billing_coding"]},
                                           "name": "Ann"}, ident="7"))


def test_a_jsonl_record_is_the_json_report_without_book_level_parts(book: RuleBook) -> None:
    record = _ann(book)
    assert record.result is not None
    text = format_record(record, book, "jsonl")
    assert text.endswith("}\n") and text.count("\n") == 1 and ", " not in text[:60]
    data = json.loads(text)
    report = to_data(record.result, book)
    assert list(data) == ["source", "line", "id", "name", "ok", "schema_version", "lang", "answers", "answers_ignored",
                          "summary", "recommendations",
                          "not_recommended", "pathways", "advice", "fired_rules", "facts"]
    assert (data["source"], data["line"], data["id"], data["name"], data["ok"]) == ("in.jsonl", 4, "7", "Ann", True)
    for key in ("recommendations", "not_recommended", "pathways", "fired_rules"):
        assert data[key] == report[key]
    assert {"id", "kind", "name", "score", "status", "reasons", "next_steps"} <= set(data["recommendations"][0])


def test_a_bad_jsonl_record_holds_its_problems() -> None:
    record = Record("in.jsonl", 2, None, None, None, ("in.jsonl:2: not valid JSON", "in.jsonl:2: again"))
    assert record_data(record, None) == {  # type: ignore[arg-type]  # a bad record never reads the book
        "source": "in.jsonl", "line": 2, "id": None, "name": None, "ok": False,
        "errors": ["in.jsonl:2: not valid JSON", "in.jsonl:2: again"]}


def test_a_csv_record_names_the_top_items(book: RuleBook) -> None:
    record = _ann(book)
    assert record.result is not None
    line = format_record(record, book, "csv")
    assert csv_header() == ",".join(CSV_COLUMNS) + "\n"
    (cells,) = list(csv.DictReader(io.StringIO(csv_header() + line)))
    recs = record.result.recommendations
    expected = {"source": "in.jsonl", "line": "4", "id": "7", "name": "Ann", "ok": "true",
                "fired_rules": str(len(record.result.fired)), "errors": ""}
    for kind in ("certification", "program", "role"):
        of_kind = [r for r in recs if r.kind == kind]
        expected[kind] = of_kind[0].id if of_kind else ""
        expected[f"{kind}_status"] = of_kind[0].status if of_kind else ""
        expected[f"{kind}s"] = ";".join(r.id for r in of_kind)
    assert cells == expected
    assert cells["certification"] == "CPC" and cells["certification_status"] == "ready"


def test_a_bad_csv_record_has_only_where_and_why(book: RuleBook) -> None:
    record = Record("in.csv", 3, "s-9", None, None, ('in.csv:3: a "quoted" word', "in.csv:3: two"))
    assert format_record(record, book, "csv") == 'in.csv,3,s-9,,false,,,,,,,,,,,"in.csv:3: a ""quoted"" word | in.csv:3: two"\n'


# ------------------------------------------------------------------ streaming, in one process or several
def _counted(total: int, seen: list[int]) -> Iterator[Row]:
    for n in range(1, total + 1):
        seen[0] = n
        yield Row("gen.jsonl", n, problems=(f"gen.jsonl:{n}: bad",))


@pytest.mark.parametrize(("jobs", "lead"), [(1, 1), (2, 4 * 2 * 10)])
def test_rows_are_read_only_a_bounded_way_ahead_of_the_output(book: RuleBook, jobs: int, lead: int) -> None:
    seen = [0]
    done = 0
    most = 0
    for outcome in outcomes(_counted(2_000, seen), book, "jsonl", jobs=jobs, chunk=10):
        done += 1
        assert outcome.problems == (f"gen.jsonl:{done}: bad",)  # in input order
        most = max(most, seen[0] - done)
    assert done == 2_000 and most <= lead


def test_a_worker_that_cannot_load_the_book_fails_the_batch_once(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "_WORKER", {})
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    batch._start_worker(here / "gone", "jsonl", None)
    with pytest.raises(RuleBookError, match="rule book folder not found"):
        batch._work([])


# ------------------------------------------------------------------ output files
def test_output_appears_only_on_commit(here: Path) -> None:
    write("out.csv", "old\n")
    os.chmod("out.csv", 0o640)
    target = AtomicOutput(Path("out.csv"))
    target.stream.write("new\n")
    target.stream.flush()
    assert Path("out.csv").read_text() == "old\n"
    target.commit()
    assert Path("out.csv").read_text() == "new\n"
    assert stat.S_IMODE(Path("out.csv").stat().st_mode) == 0o640
    assert sorted(p.name for p in here.iterdir()) == ["out.csv"]


def test_a_discarded_output_leaves_nothing(here: Path) -> None:
    target = AtomicOutput(Path("out.jsonl"))
    target.stream.write("half\n")
    target.discard()
    assert list(here.iterdir()) == []


def test_a_new_output_gets_the_usual_permissions(here: Path) -> None:
    umask = os.umask(0o022)
    try:
        target = AtomicOutput(Path("out.jsonl"))
        target.commit()
    finally:
        os.umask(umask)
    assert stat.S_IMODE(Path("out.jsonl").stat().st_mode) == 0o644


def test_an_output_in_a_missing_folder_is_refused(here: Path) -> None:
    with pytest.raises(RecommenderError) as info:
        AtomicOutput(Path("nowhere/out.jsonl"))
    assert info.value.lines() == ["nowhere/out.jsonl: cannot write the output: No such file or directory"]
