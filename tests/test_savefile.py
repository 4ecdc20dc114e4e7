"""Answers files the quiz writes: the contract format, atomic replacement, and careful reading back."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from recommender.book.answers import load_answers
from recommender.book.rulebook import RuleBook
from recommender.errors import AnswersError
from recommender.quiz import savefile
from recommender.quiz.savefile import (
    default_path,
    read_saved,
    render,
    same_file,
    why,
    write_atomic,
)

ANSWERS: dict[str, Any] = {"education": "high_school", "ma_training": "none", "experience_years": 0,
                           "interests": ["billing_coding", "technology"], "prefers_online": False}


# ---------------------------------------------------------------- the format
def test_render_writes_the_contract_format() -> None:
    assert render(ANSWERS, "completed", name="Luis") == (
        savefile.HEADER
        + "name: Luis\n"
        "status: completed\n"
        "answers:\n"
        "  education: high_school\n"
        "  ma_training: none\n"
        "  experience_years: 0\n"
        "  interests: [billing_coding, technology]\n"
        "  prefers_online: false\n"
    )


def test_an_empty_file_in_progress() -> None:
    assert render({}, "in_progress").endswith("\nstatus: in_progress\nanswers: {}\n")


def test_render_keeps_notes_and_expect_blocks(book: RuleBook, tmp_path: Path) -> None:
    expect = {"top": ["CMAA"], "status": {"CMAA": "ready"}}
    path = tmp_path / "a.yaml"
    path.write_text(render(ANSWERS, "in_progress", name="Zoë: «x»", notes="two\nlines", expect=expect),
                    encoding="utf-8")
    loaded = load_answers(path, book)
    assert (loaded.profile.name, loaded.notes, loaded.status, loaded.expect) == ("Zoë: «x»", "two\nlines",
                                                                                 "in_progress", expect)
    assert {k: loaded.profile.answers[k] for k in ANSWERS} == ANSWERS


def test_words_yaml_would_misread_are_quoted(book: RuleBook, tmp_path: Path) -> None:
    text = render({"yes": "no", "on": ["off", "null"]}, "in_progress")
    assert "  'yes': 'no'\n  'on': ['off', 'null']\n" in text


def test_render_json(book: RuleBook, tmp_path: Path) -> None:
    text = render(ANSWERS, "completed", as_json=True)
    assert json.loads(text) == {"status": "completed", "answers": ANSWERS}
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    assert load_answers(path, book).status == "completed"


def test_render_refuses_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="status must be one of in_progress, completed"):
        render({}, "done")


# ---------------------------------------------------------------- writing
def test_write_atomic_creates_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    write_atomic(path, "one\n")
    write_atomic(path, "two\n")
    assert path.read_text(encoding="utf-8") == "two\n"
    assert os.listdir(tmp_path) == ["a.yaml"]  # no temporary file left behind


def test_write_atomic_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("old\n")
    path.chmod(0o640)
    write_atomic(path, "new\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_write_atomic_follows_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    write_atomic(link, "new\n")
    assert link.is_symlink() and real.read_text() == "new\n"


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             failing: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("old\n")

    def boom(*_args: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, failing, boom)
    with pytest.raises(OSError) as info:
        write_atomic(path, "new\n")
    monkeypatch.undo()
    assert why(info.value) == "the disk is full"
    assert path.read_text() == "old\n" and os.listdir(tmp_path) == ["a.yaml"]


def test_an_interrupted_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("old\n")

    def interrupt(*_args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "new\n")
    monkeypatch.undo()
    assert path.read_text() == "old\n" and os.listdir(tmp_path) == ["a.yaml"]


def test_writing_into_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(OSError) as info:
        write_atomic(tmp_path / "nope" / "a.yaml", "x\n")
    assert why(info.value) == "the folder does not exist"
    with pytest.raises(OSError):
        savefile.check_folder(tmp_path / "nope" / "a.yaml")
    savefile.check_folder(tmp_path / "a.yaml")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(("exc", "words"), [
    (PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
    (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
    (OSError(errno.EROFS, "Read-only file system"), "the disk is read-only"),
    (OSError(errno.EISDIR, "Is a directory"), "it is a folder"),
    (OSError(errno.EIO, "Input/output error"), "input/output error"),
])
def test_why(exc: OSError, words: str) -> None:
    assert why(exc) == words


def test_default_path_never_picks_an_existing_file(tmp_path: Path) -> None:
    assert default_path(tmp_path) == tmp_path / "my-answers.yaml"
    (tmp_path / "my-answers.yaml").write_text("x")
    (tmp_path / "my-answers-2.yaml").symlink_to(tmp_path / "gone")
    assert default_path(tmp_path) == tmp_path / "my-answers-3.yaml"


def test_same_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_text("x")
    assert same_file(Path("a.yaml"), tmp_path / "a.yaml")
    assert not same_file(Path("a.yaml"), Path("b.yaml"))


# ---------------------------------------------------------------- reading back
def read(book: RuleBook, tmp_path: Path, text: str) -> savefile.SavedFile:
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    return read_saved(path, book, "a.yaml")


def refused(book: RuleBook, tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(AnswersError) as info:
        read(book, tmp_path, text)
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8") == text  # never touched
    return info.value.lines()


def test_read_saved_keeps_every_key(book: RuleBook, tmp_path: Path) -> None:
    saved = read(book, tmp_path, "name: Ana\nnotes: hi\nstatus: in_progress\nanswers:\n  education: none\n"
                                 "  experience_years: 99\n  colour: blue\nexpect: {top: [CMAA]}\n")
    assert saved.answers == {"education": "none", "experience_years": 99, "colour": "blue"}
    assert (saved.name, saved.notes, saved.status, saved.expect) == ("Ana", "hi", "in_progress", {"top": ["CMAA"]})
    assert saved.where("experience_years") == "a.yaml:6" and saved.where("missing") == "a.yaml"


@pytest.mark.parametrize(("text", "lines"), [
    ("questions:\n  - id: x\n", ["a.yaml:1: this is not an answers file: it has no 'answers' key "
                                 "(its top-level keys are questions)"]),
    ("- 1\n- 2\n", ["a.yaml:1: expected a mapping with an 'answers' key"]),
    ("answers: [1\n", ["a.yaml:1: this '[' is never closed: add the matching ']' after the last value"]),
    ("", ["a.yaml:1: the file is empty; expected a mapping"]),
    ("answers: 3\n", ["a.yaml:1: 'answers' must be a mapping of question ids to answers, got 3"]),
    ("answers: {}\nstatus: done\nrules: 1\n", [
        "a.yaml:2: 'status' must be one of in_progress, completed, got 'done'",
        "a.yaml:3: unknown top-level key 'rules'; expected answers, name, notes, expect, status",
    ]),
])
def test_a_file_that_is_not_an_answers_file_is_refused(book: RuleBook, tmp_path: Path, text: str,
                                                        lines: list[str]) -> None:
    assert refused(book, tmp_path, text) == lines


def test_bytes_that_are_not_utf8_are_refused(book: RuleBook, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"answers:\n  education: \xff\n")
    with pytest.raises(AnswersError) as info:
        read_saved(path, book, "a.yaml")
    assert info.value.lines() == ["a.yaml:2: byte 22 is not valid UTF-8; save the file as UTF-8"]


def _hammer(path_text: str, label: str, rounds: int) -> None:
    path = Path(path_text)
    for i in range(rounds):
        answers = {"education": "high_school", "experience_years": i % 50, "interests": ["scheduling"]}
        write_atomic(path, render(answers, "in_progress", name=f"{label} {i}"))


def test_two_quizzes_saving_to_one_file_never_leave_it_corrupt(tmp_path: Path, book: RuleBook) -> None:
    # Each save is a rename of a complete temporary file, so a reader sees one whole version or the
    # other, never a mixture, however the two writers interleave.
    import multiprocessing

    path = tmp_path / "shared.yaml"
    _hammer(str(path), "start", 1)
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_hammer, args=(str(path), label, 150)) for label in ("first", "second")]
    for writer in writers:
        writer.start()
    seen = 0
    while any(w.is_alive() for w in writers) or seen == 0:
        saved = read_saved(path, book)
        assert saved.answers["education"] == "high_school"
        seen += 1
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    final = read_saved(path, book)
    assert final.name in ("first 149", "second 149")
    assert not list(tmp_path.glob(".shared.yaml.*.tmp"))
