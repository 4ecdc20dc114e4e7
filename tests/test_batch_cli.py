"""`recommender batch`: records on stdout or in a file, bad rows on stderr, a summary, and the exit code."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from recommender.book.answers import load_answers
from recommender.book.rulebook import RuleBook
from recommender.cli import main
from recommender.cli.batch import Progress, summary
from recommender.cohort import batch as core
from recommender.cohort.read import Row
from tests.conftest import PROFILES, ROOT

EDUCATION = "options are none, high_school, some_college, associate, bachelor, graduate"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["batch", *args])
    out, err = capsys.readouterr()
    return code, out, err


def write(name: str, text: str) -> str:
    Path(name).write_text(text, encoding="utf-8")
    return name


def records(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def cohort(book: RuleBook, size: int) -> str:
    """A JSON Lines cohort: the shipped people, renamed, over and over."""
    people = [load_answers(p, book).profile for p in PROFILES]
    lines = []
    for n in range(size):
        person = people[n % len(people)]
        lines.append(json.dumps({"name": f"{person.name} #{n}", "answers": {k: person.answers[k] for k in person.given}}))
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ every input kind
def test_every_input_kind_is_scored_in_order(book: RuleBook, here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("people").mkdir()
    for path in PROFILES[:2]:
        shutil.copy(path, Path("people") / path.name)
    write("one.yaml", "name: Solo\nanswers: {education: associate}\n")
    write("cohort.jsonl", '{"education": "bachelor"}\n{"name": "Ann", "answers": {"education": "none"}}\n')
    write("cohort.csv", "id,education,interests\ns-1,high_school,billing_coding;technology\n")
    code, out, err = run(["people", "one.yaml", "cohort.jsonl", "cohort.csv"], capsys)
    assert (code, err) == (0, "6 profiles scored, 0 bad rows\n")
    got = [(r["source"], r["line"], r["id"], r["ok"]) for r in records(out)]
    assert got == [(f"people/{PROFILES[0].name}", 1, None, True), (f"people/{PROFILES[1].name}", 1, None, True),
                   ("one.yaml", 1, None, True), ("cohort.jsonl", 1, None, True), ("cohort.jsonl", 2, None, True),
                   ("cohort.csv", 2, "s-1", True)]
    names = [r["name"] for r in records(out)]
    assert names[2:5] == ["Solo", None, "Ann"]
    assert records(out)[-1]["answers"]["interests"] == ["billing_coding", "technology"]


def test_csv_output_has_a_header_and_one_row_per_profile(book: RuleBook, here: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    write("cohort.jsonl", '{"education": "bachelor"}\n{"education": "hs"}\n')
    code, out, err = run(["cohort.jsonl", "--format", "csv", "--top", "1"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == ",".join(core.CSV_COLUMNS)
    assert lines[1].startswith("cohort.jsonl,1,,,true,")
    assert ";" not in lines[1]  # --top 1 keeps one item of each kind
    assert lines[2] == f'cohort.jsonl,2,,,false,,,,,,,,,,,"cohort.jsonl:2: answers.education: unknown option \'hs\'; {EDUCATION}"'
    assert len(lines) == 3


# ------------------------------------------------------------------ bad input
def test_bad_rows_are_reported_as_they_come_and_good_rows_are_still_scored(
        book: RuleBook, here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write("cohort.jsonl", '{"education": "bachelor"}\n{"education": "hs"}\nnot json\n{"education": "none"}\n')
    write("cohort.csv", "name,education,experience_years\nAnn,associate,two\nBo,high_school,1\n")
    write("bad.yaml", "answers:\n  education: graduate\n  goal: [leadership]\n")
    code, out, err = run(["cohort.jsonl", "bad.yaml", "cohort.csv"], capsys)
    assert code == 1
    assert err.splitlines() == [
        "cohort.jsonl:2: answers.education: unknown option 'hs'; " + EDUCATION,
        "cohort.jsonl:3: not valid JSON: Expecting value (column 1)",
        "bad.yaml:3: answers.goal: unknown question 'goal'; did you mean 'goals'?",
        "cohort.csv:2: answers.experience_years: expected a number, got 'two'",
        "3 profiles scored, 4 bad rows",
    ]
    got = [(r["source"], r["line"], r["ok"]) for r in records(out)]
    assert got == [("cohort.jsonl", 1, True), ("cohort.jsonl", 2, False), ("cohort.jsonl", 3, False),
                   ("cohort.jsonl", 4, True), ("bad.yaml", 1, False), ("cohort.csv", 2, False),
                   ("cohort.csv", 3, True)]
    assert records(out)[2]["errors"] == ["cohort.jsonl:3: not valid JSON: Expecting value (column 1)"]


def test_a_bad_csv_header_is_one_bad_row(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write("cohort.csv", "name,educaton\nAnn,bachelor\nBo,none\n")
    code, out, err = run(["cohort.csv"], capsys)
    assert (code, err) == (1, "cohort.csv:1: unknown column 'educaton' in the header; did you mean 'education'?; "
                              "columns are question ids, 'id' and 'name'\n0 profiles scored, 1 bad row\n")
    assert [r["ok"] for r in records(out)] == [False]


@pytest.mark.parametrize(("scored", "bad", "line"), [
    (0, 0, "0 profiles scored, 0 bad rows"),
    (1, 1, "1 profile scored, 1 bad row"),
    (12_345, 2, "12,345 profiles scored, 2 bad rows"),
])
def test_the_summary_counts(scored: int, bad: int, line: str) -> None:
    assert summary(scored, bad) == line


def test_an_empty_folder_scores_nothing_and_succeeds(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("empty").mkdir()
    assert run(["empty"], capsys) == (0, "", "0 profiles scored, 0 bad rows\n")


@pytest.mark.parametrize(("args", "message"), [
    (["missing.jsonl"], "Error: Invalid value for 'INPUT...': Path 'missing.jsonl' does not exist."),
    ([], "Error: Missing argument 'INPUT...'."),
    (["ok.jsonl", "--jobs", "0"], "Error: Invalid value for '--jobs': 0 is not in the range 1<=x<=32."),
    (["ok.jsonl", "--format", "xml"], "Error: Invalid value for '--format': 'xml' is not one of 'jsonl', 'csv'."),
    (["ok.jsonl", "--out", "."], "Error: Invalid value for '--out': File '.' is a directory."),
])
def test_usage_errors_exit_2(args: list[str], message: str, here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write("ok.jsonl", '{"education": "bachelor"}\n')
    code, out, err = run(args, capsys)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == message


def test_an_unreadable_rule_book_exits_2(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write("ok.jsonl", '{"education": "bachelor"}\n')
    assert run(["ok.jsonl", "--rules", "nope", "--out", "out.jsonl"], capsys) == \
        (2, "", "nope: rule book folder not found\n")
    assert not Path("out.jsonl").exists()


def test_an_output_in_a_missing_folder_exits_2(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write("ok.jsonl", '{"education": "bachelor"}\n')
    assert run(["ok.jsonl", "--out", "no/out.jsonl"], capsys) == \
        (2, "", "no/out.jsonl: cannot write the output: No such file or directory\n")


# ------------------------------------------------------------------ output file
def test_out_writes_the_records_to_a_file(book: RuleBook, here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write("cohort.jsonl", cohort(book, 3))
    code, out, err = run(["cohort.jsonl"], capsys)
    write("out.jsonl", "old\n")
    assert run(["cohort.jsonl", "--out", "out.jsonl"], capsys) == (0, "", err)
    assert Path("out.jsonl").read_text(encoding="utf-8") == out
    assert sorted(p.name for p in here.iterdir()) == ["cohort.jsonl", "out.jsonl"]


def test_a_batch_that_breaks_leaves_the_old_output(book: RuleBook, here: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    write("cohort.jsonl", cohort(book, 3))
    write("out.jsonl", "old\n")

    def broken(*args: Any, **kwargs: Any) -> Any:
        yield core.Outcome("half\n")
        raise OSError("disk full")

    monkeypatch.setattr(core, "outcomes", broken)
    code, _, err = run(["cohort.jsonl", "--out", "out.jsonl"], capsys)
    assert code == 70 and err.startswith("recommender: internal error: OSError: disk full")
    assert Path("out.jsonl").read_text() == "old\n"
    assert sorted(p.name for p in here.iterdir()) == ["cohort.jsonl", "out.jsonl"]


# ------------------------------------------------------------------ several processes
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_jobs_give_byte_identical_output(fmt: str, book: RuleBook, here: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core, "CHUNK", 4)  # many chunks, shared between the workers
    write("cohort.jsonl", cohort(book, 20) + '{"education": "hs"}\n' + cohort(book, 20))
    one = run(["cohort.jsonl", "--format", fmt, "--jobs", "1"], capsys)
    two = run(["cohort.jsonl", "--format", fmt, "--jobs", "2"], capsys)
    assert one == two
    assert one[0] == 1 and one[2].endswith("40 profiles scored, 1 bad row\n")
    assert len(one[1].splitlines()) == 41 + (fmt == "csv")


def test_a_real_run_with_stderr_not_a_terminal_shows_no_progress(book: RuleBook, here: Path) -> None:
    write("cohort.jsonl", cohort(book, 20) + "[]\n")
    done = subprocess.run([sys.executable, "-m", "recommender", "batch", "cohort.jsonl", "--jobs", "2",
                           "--rules", str(ROOT / "rules"), "--format", "csv"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr == ("cohort.jsonl:21: expected a JSON object (an answers object, or a mapping of question ids "
                           "to answers), got a list\n20 profiles scored, 1 bad row\n")
    assert len(done.stdout.splitlines()) == 22


# ------------------------------------------------------------------ progress
class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_and_cleared() -> None:
    stream = _Terminal()
    progress = Progress(stream, stream.isatty())
    progress.update(2, 1)
    progress.update(3, 1)  # too soon to redraw
    progress.clear()
    progress.clear()
    assert stream.getvalue() == "\r\x1b[K3 rows read: 2 scored, 1 bad\r\x1b[K"


def test_progress_is_silent_elsewhere(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stream = io.StringIO()
    progress = Progress(stream, stream.isatty())
    progress.update(2, 1)
    progress.clear()
    assert stream.getvalue() == ""
    write("cohort.jsonl", '{"education": "bachelor"}\n' * 3)
    assert run(["cohort.jsonl", "--out", "out.jsonl"], capsys) == (0, "", "3 profiles scored, 0 bad rows\n")


# ------------------------------------------------------------------ streaming
def test_memory_does_not_grow_with_the_input(book: RuleBook, here: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # Scoring one row is pure and tested above; a real score per row would make this test slow.
    # What must not grow is the pipeline: reading, formatting and writing 20,000 rows.
    scored = core.score(book, Row("x", 1, {"answers": {"education": "bachelor"}}))
    monkeypatch.setattr(core, "score", lambda _book, row, top=None, detail="full": core.Record(
        row.source, row.line, row.ident, "Ann", scored.result))
    monkeypatch.setattr("recommender.book.cache.load_cached", lambda _dir=None, **_kw: book)
    line = json.dumps({"name": "Ann", "notes": "x" * 200,
                       "answers": {"education": "bachelor", "interests": ["management"]}}) + "\n"
    Path("big.jsonl").write_text(line * 20_000, encoding="utf-8")
    tracemalloc.start()
    try:
        code, out, err = run(["big.jsonl", "--format", "csv", "--out", "out.csv"], capsys)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (code, out, err) == (0, "", "20,000 profiles scored, 0 bad rows\n")
    assert len(Path("out.csv").read_text().splitlines()) == 20_001
    size = Path("big.jsonl").stat().st_size
    assert size > 5_000_000 and peak < 1_000_000  # under a fifth of the input
