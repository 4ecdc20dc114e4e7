"""Batch output built only as far as it needs: the same CSV, and a summary that agrees with the full report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.book.rulebook import RuleBook
from recommender.cli import main
from recommender.cohort.batch import (
    SUMMARY,
    Record,
    format_record,
    process,
    record_data,
)
from recommender.cohort.read import Row
from recommender.engine.recommend import DETAILS, recommend
from tests.conftest import PROFILES
from tests.strategies import raw_answers


def rows() -> list[Row]:
    return [Row(str(p), 1, path=p) for p in PROFILES]


def full_csv(book: RuleBook, row: Row, top: int | None = None) -> str:
    """A CSV line as it was written before the ranking-only path: from the whole report."""
    from recommender.book.answers import load_answers

    assert row.path is not None
    profile = load_answers(row.path, book, row.source).profile
    record = Record(row.source, row.line, row.ident, profile.name, recommend(book, profile, top))
    return format_record(record, book, "csv")


@pytest.mark.parametrize("top", [None, 1, 2])
def test_csv_from_the_ranking_alone_equals_csv_from_the_whole_report(book: RuleBook, top: int | None) -> None:
    for row in rows():
        assert process(book, row, "csv", top).text == full_csv(book, row, top), row.source


def expected_summary(book: RuleBook, full: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "kind", "name", "short_name", "score", "fit", "status")
    return {"summary": full["summary"], "recommendations": [{k: r[k] for k in keep} for r in full["recommendations"]],
            "fired_rules": full["fired_rules"]}


def check_profile(book: RuleBook, raw: dict[str, Any], top: int | None) -> None:
    row = Row("x.jsonl", 3, {"answers": raw, "name": "Ann"})
    full = process(book, row, "jsonl", top).text
    assert process(book, row, "csv", top).text == format_record(
        Record("x.jsonl", 3, None, "Ann", recommend(book, _profile(book, raw), top)), book, "csv")
    short = json.loads(process(book, row, SUMMARY, top).text)
    whole = json.loads(full)
    head = {k: whole[k] for k in ("source", "line", "id", "name", "ok")}
    assert short == {**head, **expected_summary(book, whole)}


def _profile(book: RuleBook, raw: dict[str, Any]) -> Any:
    from recommender.book.answers import profile_from

    return profile_from(book, raw, "Ann")


def test_every_shipped_profile_gets_the_same_summary_as_its_full_report(book: RuleBook) -> None:
    from recommender.book.answers import load_answers

    for path in PROFILES:
        raw = dict(load_answers(path, book).profile.answers)
        check_profile(book, raw, None)


@given(data=st.data())
def test_random_profiles_get_the_same_csv_and_summary_either_way(book: RuleBook, data: st.DataObject) -> None:
    raw = data.draw(raw_answers(book))
    top = data.draw(st.sampled_from([None, 1, 3]))
    check_profile(book, raw, top)


def test_the_ranking_leaves_out_what_no_output_of_it_prints(book: RuleBook) -> None:
    from recommender.book.answers import load_answers

    profile = load_answers(PROFILES[0], book).profile
    assert DETAILS == ("full", "summary", "ranking")
    ranking = recommend(book, profile, detail="ranking")
    assert ranking.pathways == () and ranking.not_recommended == () and ranking.summary is None
    assert all(r.reasons == () and r.next_steps == () for r in ranking.recommendations)
    summary = recommend(book, profile, detail="summary")
    assert summary.summary == recommend(book, profile).summary


def test_a_bad_row_reads_the_same_in_the_summary(book: RuleBook) -> None:
    bad = Row("x.jsonl", 2, problems=("x.jsonl:2: not JSON",))
    record = Record("x.jsonl", 2, None, None, None, bad.problems)
    assert record_data(record, book, summary=True) == record_data(record, book)


def test_batch_summary_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["batch", str(PROFILES[0]), "--format", "jsonl", "--summary"]) == 0
    out, err = capsys.readouterr()
    line = json.loads(out)
    assert list(line) == ["source", "line", "id", "name", "ok", "summary", "recommendations", "fired_rules"]
    assert err == "1 profile scored, 0 bad rows\n"
