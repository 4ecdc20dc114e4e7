"""Reading cohorts: every input kind gives its rows in order, and a bad row is located and skipped."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from recommender.book.rulebook import RuleBook
from recommender.cohort import read as cohort
from recommender.cohort.read import Row, csv_value, json_row, read_rows


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(name: str, text: str | bytes) -> Path:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def rows(book: RuleBook, *paths: Path) -> list[Row]:
    """Rows as the scorer sees them: JSON Lines text is parsed where the row is scored."""
    return [json_row(r.text, r.source, r.line) if r.text is not None else r for r in read_rows(paths, book)]


def problems(book: RuleBook, *paths: Path) -> list[tuple[int, tuple[str, ...]]]:
    return [(r.line, r.problems) for r in rows(book, *paths) if r.problems]


# ------------------------------------------------------------------ answers files and folders
def test_an_answers_file_is_one_row_read_when_scored(book: RuleBook, here: Path) -> None:
    path = write("luis.yaml", "answers: {education: high_school}\n")
    assert rows(book, path) == [Row("luis.yaml", 1, path=path)]


def test_a_folder_gives_its_answers_files_sorted_by_name(book: RuleBook, here: Path) -> None:
    for name in ("b.yaml", "a.json", "c.YML", "notes.txt", "cohort.jsonl", "sub/d.yaml"):
        write(f"people/{name}", "{}")
    Path("people/e.yaml").mkdir()  # a folder named like a file is not an answers file
    assert [(r.source, r.line, r.path) for r in rows(book, Path("people"))] == [
        (str(Path("people/a.json")), 1, Path("people/a.json")),
        (str(Path("people/b.yaml")), 1, Path("people/b.yaml")),
        (str(Path("people/c.YML")), 1, Path("people/c.YML")),
    ]


# ------------------------------------------------------------------ JSON Lines
def test_jsonl_takes_answers_objects_and_bare_answers(book: RuleBook, here: Path) -> None:
    path = write("cohort.jsonl", "\n".join([
        '{"name": "Ann", "id": "s-1", "answers": {"education": "bachelor"}}',
        "",
        "   ",
        '{"education": "none", "goals": ["nursing"]}',
        '{"answers": {"education": "associate"}, "id": 42, "notes": "evening class"}',
    ]) + "\n")
    assert rows(book, path) == [
        Row("cohort.jsonl", 1, {"name": "Ann", "answers": {"education": "bachelor"}}, ident="s-1"),
        Row("cohort.jsonl", 4, {"answers": {"education": "none", "goals": ["nursing"]}}),
        Row("cohort.jsonl", 5, {"answers": {"education": "associate"}, "notes": "evening class"}, ident="42"),
    ]


def test_jsonl_bad_lines_are_located_and_reading_goes_on(book: RuleBook, here: Path) -> None:
    path = write("cohort.jsonl", b"\n".join([
        b'{"education": "bachelor"',
        b'["education"]',
        b'{"education": "none", "education": "bachelor"}',
        b'{"budget_usd": NaN}',
        b'{"answers": {}, "id": true}',
        b'{"education": "caf\xe9"}',
        b'{"education": "associate"}',
    ]) + b"\n")
    found = rows(book, path)
    assert [(r.line, r.problems) for r in found] == [
        (1, ("cohort.jsonl:1: not valid JSON: Expecting ',' delimiter (column 25)",)),
        (2, ("cohort.jsonl:2: expected a JSON object (an answers object, or a mapping of question ids to answers), "
             "got a list",)),
        (3, ("cohort.jsonl:3: duplicate key 'education'",)),
        (4, ("cohort.jsonl:4: 'NaN' is not a number JSON allows; write a finite number",)),
        (5, ("cohort.jsonl:5: 'id' must be text or a whole number, got true",)),
        (6, ("cohort.jsonl:6: byte 19 of the line is not valid UTF-8; save the file as UTF-8",)),
        (7, ()),
    ]
    assert found[-1].data == {"answers": {"education": "associate"}}


def test_jsonl_line_over_the_limit_is_skipped_without_being_kept(book: RuleBook, here: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cohort, "MAX_LINE", 40)
    long = '{"education": "bachelor", "notes": "' + "x" * 200 + '"}'
    path = write("cohort.jsonl", "\ufeff" + '{"education": "none"}\n' + long + '\n{"education": "associate"}\n')
    assert [(r.line, r.data, r.problems) for r in rows(book, path)] == [
        (1, {"answers": {"education": "none"}}, ()),
        (2, None, ("cohort.jsonl:2: the line is longer than the limit of 40 bytes",)),
        (3, {"answers": {"education": "associate"}}, ()),
    ]


def test_a_file_that_cannot_be_read_is_one_bad_row(book: RuleBook, here: Path) -> None:
    os.symlink("gone.jsonl", "cohort.jsonl")
    os.symlink("gone.csv", "cohort.csv")
    assert problems(book, Path("cohort.jsonl"), Path("cohort.csv")) == [
        (0, ("cohort.jsonl: cannot read the file: No such file or directory",)),
        (0, ("cohort.csv: cannot read the file: No such file or directory",)),
    ]


# ------------------------------------------------------------------ CSV
def test_csv_reads_one_profile_per_row(book: RuleBook, here: Path) -> None:
    path = write("cohort.csv", "\ufeff" + "\n".join([
        "id,name,education,interests,experience_years,prefers_online,ma_training",
        "s-1,Ann,bachelor,billing_coding; technology,3,Yes,",
        'S-2," Bo ",none,,0,no,completed',
        ",,,,,,",
        "",
        "s-3,,associate,management,,,",
    ]) + "\n")
    assert rows(book, path) == [
        Row("cohort.csv", 2, {"answers": {"education": "bachelor", "interests": ["billing_coding", "technology"],
                                          "experience_years": 3, "prefers_online": True}, "name": "Ann"},
            ident="s-1"),
        Row("cohort.csv", 3, {"answers": {"education": "none", "experience_years": 0, "prefers_online": False,
                                          "ma_training": "completed"}, "name": "Bo"}, ident="S-2"),
        Row("cohort.csv", 6, {"answers": {"education": "associate", "interests": ["management"]}}, ident="s-3"),
    ]


@pytest.mark.parametrize(("kind", "cell", "value"), [
    ("multi", "billing_coding;technology", ["billing_coding", "technology"]),
    ("multi", " coding ; ;billing;", ["coding", "billing"]),
    ("multi", "coding", ["coding"]),
    ("boolean", "true", True),
    ("boolean", "YES", True),
    ("boolean", "False", False),
    ("boolean", "no", False),
    ("boolean", "maybe", "maybe"),
    ("boolean", "1", "1"),
    ("number", "12", 12),
    ("number", "-3", -3),
    ("number", "+4", 4),
    ("number", "2.5", 2.5),
    ("number", ".5", 0.5),
    ("number", "1e3", 1000.0),
    ("number", "ten", "ten"),
    ("number", "1,000", "1,000"),
    ("number", "1_000", "1_000"),
    ("number", "nan", "nan"),
    ("number", "inf", "inf"),
    ("single", "high_school", "high_school"),
    ("single", "yes", "yes"),
])
def test_csv_cells_are_read_per_question_type(kind: str, cell: str, value: Any) -> None:
    assert csv_value(kind, cell) == value


def test_csv_line_numbers_count_lines_inside_quotes(book: RuleBook, here: Path) -> None:
    path = write("cohort.csv", 'name,education\n"Ann\nLee",bachelor\nBo,none\n"Cy"x,none\nDee,associate,extra\nEd,hs\n')
    found = rows(book, path)
    assert [(r.line, r.problems) for r in found] == [
        (2, ()),
        (4, ()),
        (5, ("cohort.csv:5: not valid CSV: ',' expected after '\"'",)),
        (6, ("cohort.csv:6: the row has 3 values but the header has 2 columns",)),
        (7, ()),
    ]
    assert found[0].data == {"answers": {"education": "bachelor"}, "name": "Ann\nLee"}


def test_csv_header_problems_are_reported_once_and_skip_the_file(book: RuleBook, here: Path) -> None:
    path = write("cohort.csv", "\n\nname,educaton,,goals,goals,Name\nAnn,bachelor,,,\nBo,none,,,\n")
    assert [(r.line, r.problems) for r in rows(book, path)] == [(3, (
        "cohort.csv:3: unknown column 'educaton' in the header; did you mean 'education'?; "
        "columns are question ids, 'id' and 'name'",
        "cohort.csv:3: column 3 of the header has no name; name it after a question id",
        "cohort.csv:3: column 'goals' appears twice in the header",
        "cohort.csv:3: unknown column 'Name' in the header; did you mean 'name'?; "
        "columns are question ids, 'id' and 'name'",
    ))]


def test_csv_bad_bytes_and_long_lines_spoil_only_their_row(book: RuleBook, here: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cohort, "MAX_LINE", 30)
    path = write("cohort.csv", b"name,education\nZo\xeb,none\n" + b"Al," + b"x" * 50 + b"\nBo,bachelor\n")
    assert [(r.line, r.problems) for r in rows(book, path)] == [
        (2, ("cohort.csv:2: byte 3 of the line is not valid UTF-8; save the file as UTF-8",)),
        (3, ("cohort.csv:3: the line is longer than the limit of 30 bytes",)),
        (4, ()),
    ]


def test_an_empty_csv_or_jsonl_has_no_rows(book: RuleBook, here: Path) -> None:
    assert rows(book, write("a.csv", ""), write("b.csv", "education,goals\n"), write("c.jsonl", "\n\n")) == []
