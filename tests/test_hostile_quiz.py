"""Issue 13, classes 1, 6, 8 and 11 for the quiz: shared answers files, files that must read back,
numbers typed by a person, and input that is not a person typing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.book.rulebook import RuleBook
from recommender.book.yamlio import load_text
from recommender.quiz.lock import Busy, acquire, lock_path
from recommender.quiz.savefile import render
from recommender.safetext import first_unsafe
from tests.conftest import ROOT
from tests.strategies import raw_answers
from tests.test_quiz_cli import here, quiz  # noqa: F401 - `here` is a fixture

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
FIRST = ["2", "1", "0"]  # education, training, experience: enough to have saved something


# ------------------------------------------------------------------ class 1: one run per answers file
def test_a_second_run_on_the_same_save_file_is_refused_naming_the_first(here: Path) -> None:
    held = acquire(here / "same.yaml")  # as a first `quiz --save same.yaml` holds it for its whole run
    assert held is not None
    try:
        run = quiz("--save", "same.yaml", entries=FIRST)
        assert run.code == 2
        assert run.stderr == (f"same.yaml: is being written by another recommender quiz (process {os.getpid()}, "
                              f"started {lock_path(here / 'same.yaml').read_text().split('started ')[1].strip()}); "
                              f"finish that one first, or choose another file with --save\n")
        assert not (here / "same.yaml").exists()
    finally:
        held.release()
    assert not lock_path(here / "same.yaml").exists()


def test_two_runs_started_together_pick_different_default_files(here: Path) -> None:
    held = acquire(here / "my-answers.yaml")  # a first run that has not saved its first answer yet
    assert held is not None
    try:
        run = quiz(entries=FIRST)
        assert "Your answers are saved after each question in my-answers-2.yaml." in run.stderr
        assert (here / "my-answers-2.yaml").exists() and not (here / "my-answers.yaml").exists()
    finally:
        held.release()


def test_the_lock_follows_links_and_is_exclusive(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text("answers: {}\n")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
    first = acquire(tmp_path / "real.yaml")
    assert first is not None
    with pytest.raises(Busy) as info:
        acquire(tmp_path / "link.yaml")
    assert info.value.holder.startswith(f"process {os.getpid()}, started ")
    first.release()
    second = acquire(tmp_path / "link.yaml")
    assert second is not None
    second.release()


# ------------------------------------------------------------------ class 8: what the quiz writes reads back
NAMES = st.text(max_size=40).filter(lambda t: first_unsafe(t) is None)


@given(data=st.data(), name=st.none() | NAMES, notes=st.none() | st.text(max_size=200),
       status=st.sampled_from(["in_progress", "completed"]), as_json=st.booleans())
def test_every_file_the_quiz_writes_reads_back_the_same(book: RuleBook, data: st.DataObject, name: str | None,
                                                         notes: str | None, status: str, as_json: bool) -> None:
    answers: dict[str, Any] = data.draw(raw_answers(book))
    text = render(answers, status, name=name, notes=notes, as_json=as_json)  # raises if it would not read back
    back = load_text(text, "a.yaml").data
    assert back["answers"] == answers and back.get("name") == name and back.get("notes") == notes


def test_regression_a_name_that_looks_like_a_number_survives_resume(here: Path) -> None:
    Path("a.yaml").write_text('name: "1e5"\nanswers:\n  education: high_school\n')
    first = quiz("--resume", "a.yaml", entries=["q"])
    assert first.code == 0, first.stderr
    again = quiz("--resume", "a.yaml", entries=["q"])
    assert again.code == 0 and "internal error" not in again.stderr
    assert load_text(Path("a.yaml").read_text(), "a.yaml").data["name"] == "1e5"


# ------------------------------------------------------------------ class 6: numbers a person types
@pytest.mark.parametrize("typed", ["9" * 5000, "1" * 16, "²", "9" * 400 + ".5"])
def test_a_huge_or_strange_number_is_asked_again(here: Path, typed: str) -> None:
    run = quiz("--save", "a.yaml", entries=["2", "1", typed, "q"])
    assert run.code == 0 and "internal error" not in run.stderr
    assert "Not accepted:" in run.stderr


def test_a_huge_choice_number_is_asked_again(here: Path) -> None:
    run = quiz("--save", "a.yaml", entries=["9" * 5000, "q"])
    assert run.code == 0 and "Not accepted: there is no choice 999999999999" in run.stderr


# ------------------------------------------------------------------ class 8 and 11: input that is not a person
def test_quiz_with_stdin_closed_stops_like_the_end_of_input(tmp_path: Path) -> None:
    proc = subprocess.run(["sh", "-c", 'exec "$@" <&-', "sh", sys.executable, "-m", "recommender", "quiz"],
                          capture_output=True, text=True, timeout=120, env=ENV, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == ("The input ended before the questionnaire was finished. Nothing was "
                                            "saved: no question had been answered yet.")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_quiz_from_dev_zero_ends_instead_of_reading_forever(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run([sys.executable, "-m", "recommender", "quiz"], stdin=zero, capture_output=True,
                              text=True, timeout=120, env=ENV, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1].startswith("The input ended before the questionnaire was finished.")


def test_endless_wrong_answers_stop_the_quiz_and_keep_what_was_answered(here: Path) -> None:
    # `yes | recommender quiz`: input that can never be right must not loop forever.
    run = quiz(entries=["2"] + ["y"] * 200)
    assert run.code == 2
    assert run.stderr.count("Not accepted:") == 25
    assert "Stopped after 25 answers in a row that were not accepted." in run.stderr
    assert "education: high_school" in (here / "my-answers.yaml").read_text(encoding="utf-8")


def test_a_right_answer_between_wrong_ones_starts_the_count_again(here: Path) -> None:
    run = quiz(entries=["y"] * 24 + ["2"] + ["y"] * 24 + ["q"])
    assert run.code == 0 and "Stopped after" not in run.stderr
