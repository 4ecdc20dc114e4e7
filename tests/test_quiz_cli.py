"""`recommender quiz`: piped input, every wrong entry re-asked, nothing lost, the review, the report."""

from __future__ import annotations

import errno
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.book.answers import load_answers
from recommender.book.rulebook import RuleBook
from recommender.cli import cli, main
from recommender.cli.quiz import Terminal
from recommender.quiz import savefile
from recommender.quiz.conversation import Plan, Stopped, run_quiz
from recommender.quiz.session import Session
from tests.conftest import ROOT
from tests.strategies import answer_for

# One short path: high school, no training, no experience, then the rest.
SHORT = ["2", "", "0", "1 3", "billing_coding, 7", "1", "", "", "", "", "", ""]  # the last one skips 'state'
SHORT_ANSWERS = {
    "education": "high_school", "ma_training": "none", "experience_years": 0, "certifications": ["CMAA", "CPC"],
    "interests": ["billing_coding", "technology"], "goals": ["first_job_fast"], "settings": [],
    "study_hours_per_week": 10, "budget_usd": 1000, "prefers_online": False, "other_training": [],
}
RESUME_HINT = "Continue later with: recommender quiz --resume my-answers.yaml"
# Every save syncs to disk; the many-example properties run in memory where that is cheap.
FAST_TMP = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
SIGHUP = getattr(signal, "SIGHUP", 1)  # the number, where the platform has no name for it
posix_only = pytest.mark.skipif(os.name != "posix", reason="sends POSIX signals to a child process")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    output: str  # both, as a terminal shows them


@pytest.fixture
def here(monkeypatch: pytest.MonkeyPatch, book: RuleBook) -> Iterator[Path]:
    """A fresh folder (in memory where possible), and the rule book loaded once for every command run in it."""
    with tempfile.TemporaryDirectory(dir=FAST_TMP) as folder:
        monkeypatch.chdir(folder)
        monkeypatch.setattr("recommender.book.cache.load_cached", lambda _root=None, **_kw: book)
        yield Path(folder)


def quiz(*args: str, entries: list[str], env: dict[str, str] | None = None) -> Run:
    """Run `recommender quiz ARGS` through CliRunner with `entries` typed one per line."""
    text = "".join(f"{entry}\n" for entry in entries)
    with CliRunner().isolation(input=text, env=env) as (out, err, both):
        code = main(["quiz", *args])
    return Run(code, out.getvalue().decode(), err.getvalue().decode(), both.getvalue().decode())


def saved(path: str | Path = "my-answers.yaml") -> dict[str, Any]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def tail(run: Run, n: int) -> list[str]:
    return run.stderr.splitlines()[-n:]


# ---------------------------------------------------------------- help
def test_help_speaks_to_a_student() -> None:
    result = CliRunner().invoke(cli, ["quiz", "--help"], prog_name="recommender")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for words in (
        "Usage: recommender quiz [OPTIONS]",
        "Answer a short questionnaire (about five minutes) and get your report.",
        "Each question lists numbered choices: type a number and press Enter. Where several choices are allowed, "
        "separate them with commas or spaces (for example: 1, 3 5). Pressing Enter alone accepts the answer "
        "offered. Type ? for help with a question, b to go back one question, or q to save and stop.",
        "Your answers are saved after every question: in my-answers.yaml in this folder (or my-answers-2.yaml "
        "and so on, if that file exists) unless you choose another file with --save. Stop at any time, and "
        "continue later with --resume.",
        "--save PATH Save your answers in this file (or, for a folder, in a new file inside it).",
        "--resume PATH Continue an unfinished questionnaire from its answers file, and keep saving to it.",
        "--answers PATH Start from an existing answers file to change some answers;",
        "--format [text|json|markdown] Output format. [default: text]",
        "--rules DIR",
    ):
        assert words in text


# ---------------------------------------------------------------- a whole quiz
def test_a_whole_quiz_through_piped_input(here: Path) -> None:
    run = quiz(entries=[*SHORT, ""])
    assert run.code == 0
    assert Path("my-answers.yaml").read_text(encoding="utf-8") == savefile.render(SHORT_ANSWERS, "completed")
    assert run.stdout.startswith("Your plan\n=========\n")
    assert run.stderr.splitlines()[:21] == [
        "Career questionnaire: medical administration",
        "About 12 questions; most people finish in under five minutes.",
        "Type the number of your choice and press Enter. Enter on its own accepts the answer offered.",
        "Your answers are saved after each question in my-answers.yaml.",
        "",
        "Question 1 of about 12",
        "What is the highest level of education you have finished?",
        "  1. No high-school diploma or GED yet",
        "  2. High-school diploma or GED",
        "  3. Some college, no degree",
        "  4. Associate degree",
        "  5. Bachelor's degree",
        "  6. Master's degree or higher",
        "Type one number from 1 to 6, or an option id.",
        "At any question: ? explains it, b goes back, q saves your answers and stops.",
        "Your answer: 2",
        "",
        "Question 2 of about 12",
        "Have you trained in medical assisting or medical office administration?",
        "  1. No such training",
        "  2. Enrolled now",
    ]
    assert tail(run, 17) == [
        "Review your answers",
        "  1. Your highest education: High-school diploma or GED",
        "  2. Your medical assisting or medical office training: No such training",
        "  3. Your years of supervised healthcare office work: 0 years",
        "  4. The credentials you hold: CMAA and CPC",
        "  5. Your interests: billing and coding and health technology and EHR systems",
        "  6. Your goals: a first job soon",
        "  7. The workplaces you prefer: none",
        "  8. The hours a week you can study: 10 hours a week",
        "  9. Your budget for training and exams: 1,000 US dollars",
        "  10. Whether you prefer online study: no",
        "  11. Your other completed training: none",
        "  12. Your state: not answered",
        "To change an answer, type its number. Press Enter to see your report.",
        "Number to change, or Enter for your report: ",
        "Your answers are saved in my-answers.yaml.",
        "See this report again with: recommender recommend my-answers.yaml",
    ]
    # As a terminal shows it: the review, then the report, then where the answers are.
    assert run.output.index("Review your answers") < run.output.index("Your plan") \
        < run.output.index("Your answers are saved in my-answers.yaml.")
    # The report is the same one `recommend` prints for the saved file.
    with CliRunner().isolation() as (out, _err, _both):
        assert main(["recommend", "my-answers.yaml"]) == 0
    assert out.getvalue().decode() == run.stdout


def test_the_report_alone_goes_to_stdout_in_json(here: Path) -> None:
    run = quiz("--format", "json", entries=SHORT)  # input may simply end at the review
    assert run.code == 0
    report = json.loads(run.stdout)
    assert {"recommendations", "not_recommended", "pathways"} <= set(report)
    assert saved()["status"] == "completed"


def test_the_review_lists_every_answer_and_can_change_one(here: Path) -> None:
    run = quiz(entries=[*SHORT, "2", "3", "y", "4", "", ""])
    assert run.code == 0
    assert run.stderr.count("Review your answers") == 2
    assert "  2. Your medical assisting or medical office training: Completed a program" in run.stderr
    assert "  4. Years since you finished your program: 4 years" in run.stderr
    assert saved()["answers"] == {**SHORT_ANSWERS, "ma_training": "completed", "ma_training_accredited": True,
                                  "training_years_ago": 4}


def test_wrong_entries_in_the_review_are_re_asked(here: Path) -> None:
    run = quiz(entries=[*SHORT, "13", "two", "?", ""])
    assert run.code == 0
    assert run.stderr.count("Not accepted: '13' is not an answer number; type 1 to 12, "
                            "or press Enter for your report.") == 1
    assert "Not accepted: 'two' is not an answer number" in run.stderr
    assert ("Type the number of an answer to answer that question again, or press Enter for the report. "
            "b goes back to the last question, q saves and stops.") in run.stderr


@pytest.mark.parametrize(("entries", "asked"), [
    (["1", "1", "0", *[""] * 9], 12),  # the shortest path
    (["1", "3", "y", "2", "5", "1 2", *[""] * 9], 15),  # every branch open
])
def test_any_path_takes_at_most_16_prompts(here: Path, entries: list[str], asked: int) -> None:
    # 15 questions at most (the last, the optional state, skipped with Enter) and the review.
    run = quiz(entries=[*entries, ""])
    assert run.code == 0
    assert run.stderr.count("Your answer: ") == asked
    assert run.stderr.count("Your answer: ") + run.stderr.count("Number to change, or Enter") <= 16


# ---------------------------------------------------------------- wrong entries and commands
def test_every_wrong_entry_is_re_asked_with_the_reason(here: Path) -> None:
    run = quiz(entries=["", "7", "bachelors", "1 2", "2", "", "fifty", "51", "2.5", "0", *SHORT[3:], ""])
    assert run.code == 0
    lines = run.stderr.splitlines()
    start = lines.index("Your answer: ")
    assert lines[start:start + 11] == [
        "Your answer: ",
        "Not accepted: this question needs an answer; type one number from 1 to 6, or an option id.",
        "Your answer: 7",
        "Not accepted: there is no choice 7; type one number from 1 to 6, or an option id.",
        "Your answer: bachelors",
        "Not accepted: 'bachelors' is not one of the choices; did you mean 'bachelor'?; "
        "type one number from 1 to 6, or an option id.",
        "Your answer: 1 2",
        "Not accepted: choose only one option; type one number from 1 to 6, or an option id.",
        "Your answer: 2",
        "",
        "Question 2 of about 12",
    ]
    assert ("Your answer: 51\nNot accepted: 51 is above the maximum of 50; "
            "type a whole number from 0 to 50 (years).\n") in run.stderr
    assert ("Your answer: 2.5\nNot accepted: expected a whole number, got 2.5; "
            "type a whole number from 0 to 50 (years).\n") in run.stderr
    assert saved()["answers"] == SHORT_ANSWERS


def test_question_mark_shows_the_help(here: Path) -> None:
    run = quiz(entries=["2", "?", "q"])
    lines = run.stderr.splitlines()
    start = lines.index("Your answer: ?")
    assert lines[start + 1:start + 7] == [
        "Help: A certificate, diploma or degree program in medical assisting, medical office or medical "
        "administrative work.",
        "  1. none: No such training",
        "  2. in_progress: Enrolled now. You are currently taking classes in such a program.",
        "  3. completed: Completed a program. You finished a medical assisting or medical office program.",
        "Type one number from 1 to 3, or an option id. Press Enter to choose: No such training.",
        "At any question: ? explains it, b goes back, q saves your answers and stops.",
    ]


def test_back_at_the_first_question(here: Path) -> None:
    run = quiz(entries=["b", "q"])
    assert "Your answer: b\nThis is the first question; there is nothing before it.\nYour answer: q\n" in run.stderr
    assert run.code == 0 and not Path("my-answers.yaml").exists()
    assert tail(run, 2) == ["", "You stopped the questionnaire. Nothing was saved: no question had been "
                                "answered yet."]


def test_going_back_and_changing_an_answer_drops_stale_answers(here: Path) -> None:
    run = quiz(entries=["2", "3", "y", "1", "b", "b", "b", "1", "q"])
    assert [line for line in run.stderr.splitlines() if line.startswith("Question ")] == [
        "Question 1 of about 12", "Question 2 of about 12", "Question 3 of about 14", "Question 4 of about 14",
        "Question 5 of about 14", "Question 4 of about 14", "Question 3 of about 14", "Question 2 of about 14",
        "Question 3 of about 12",
    ]
    assert "Type one number from 1 to 3, or an option id. Press Enter to keep: Completed a program.\n" in run.stderr
    assert run.stderr.splitlines()[-11:-5] == [
        "Your answer: 1",
        "Removed your earlier answer about whether your program is accredited by CAAHEP or ABHES, "
        "which no longer applies.",
        "Removed your earlier answer about years since you finished your program, which no longer applies.",
        "",
        "Question 3 of about 12",
        "How many years have you worked under supervision in a medical office or healthcare administration?",
    ]
    assert saved() == {"status": "in_progress", "answers": {"education": "high_school", "ma_training": "none"}}


def test_back_keeps_the_answer_as_the_default(here: Path) -> None:
    run = quiz(entries=["5", "b", "q"])
    assert "Type one number from 1 to 6, or an option id. Press Enter to keep: Bachelor's degree.\n" in run.stderr


# ---------------------------------------------------------------- stopping and resuming
def test_q_saves_and_stops(here: Path) -> None:
    run = quiz(entries=["2", "", "4", "q"])
    assert run.code == 0 and run.stdout == ""
    assert saved() == {"status": "in_progress",
                       "answers": {"education": "high_school", "ma_training": "none", "experience_years": 4}}
    assert tail(run, 2) == ["You stopped the questionnaire. Your answers so far (3) are saved in my-answers.yaml.",
                            RESUME_HINT]


def test_end_of_input_saves_and_exits_1(here: Path) -> None:
    run = quiz(entries=["2", "2"])
    assert run.code == 1
    assert saved()["answers"] == {"education": "high_school", "ma_training": "in_progress"}
    assert tail(run, 3) == ["",
                            "The input ended before the questionnaire was finished. Your answers so far (2) are "
                            "saved in my-answers.yaml.", RESUME_HINT]


def test_resume_continues_where_it_stopped(here: Path) -> None:
    quiz(entries=[*SHORT[:4], "q"])
    run = quiz("--resume", "my-answers.yaml", entries=[*SHORT[4:], ""])
    assert run.code == 0
    assert run.stderr.splitlines()[:9] == [
        "Career questionnaire: medical administration",
        "Continuing my-answers.yaml: 4 of about 12 questions answered.",
        "Type the number of your choice and press Enter. Enter on its own accepts the answer offered.",
        "Your answers are saved after each question in my-answers.yaml.",
        "",
        "Question 5 of 12",
        "What kind of work interests you? (choose any)",
        "  1. working with patients",
        "  2. scheduling and front office",
    ]
    assert saved() == {"status": "completed", "answers": SHORT_ANSWERS}


def test_resume_of_a_finished_file_goes_to_the_review(here: Path) -> None:
    Path("my-answers.yaml").write_text(savefile.render(SHORT_ANSWERS, "completed"), encoding="utf-8")
    before = Path("my-answers.yaml").stat().st_mtime_ns
    run = quiz("--resume", "my-answers.yaml", entries=[""])
    assert run.code == 0
    assert "Every question in my-answers.yaml is answered; review your answers below." in run.stderr
    assert run.stderr.count("Your answer: ") == 0
    assert Path("my-answers.yaml").stat().st_mtime_ns == before  # nothing changed, nothing written


def test_resume_re_asks_only_answers_the_rule_book_no_longer_accepts(here: Path) -> None:
    Path("old.yaml").write_text(
        "name: Ana\n"
        "answers:\n"
        "  education: high_school\n"
        "  ma_training: complete\n"
        "  training_years_ago: 3\n"
        "  experience_years: 99\n"
        "  experience_areas: [billing]\n"
        "  hobby: chess\n"
        "  goals: [leadership]\n", encoding="utf-8")
    run = quiz("--resume", "old.yaml", entries=["3", "y", "2", *[""] * 8, ""])
    assert run.code == 0
    assert run.stderr.splitlines()[3:6] == [
        "old.yaml:4: your answer to 'ma_training' ('complete') is not accepted: unknown option 'complete'; "
        "did you mean 'completed'?; options are none, in_progress, completed; the question will be asked again",
        "old.yaml:6: your answer to 'experience_years' (99) is not accepted: 99 is above the maximum of 50; "
        "the question will be asked again",
        "old.yaml:8: 'hobby' is not a question of this questionnaire; its answer was dropped",
    ]
    asked = [line for line in run.stderr.splitlines() if line.startswith("Question ")]
    assert asked[:3] == ["Question 2 of about 12", "Question 3 of about 14", "Question 5 of about 14"]
    assert saved("old.yaml") == {"name": "Ana", "status": "completed", "answers": {
        "education": "high_school", "ma_training": "completed", "ma_training_accredited": True,
        "training_years_ago": 3, "experience_years": 2, "experience_areas": ["billing"], "certifications": [],
        "interests": [], "goals": ["leadership"], "settings": [], "study_hours_per_week": 10, "budget_usd": 1000,
        "prefers_online": False, "other_training": []}}


def test_answers_starts_from_a_file_and_saves_to_a_new_one(here: Path) -> None:
    Path("mine.yaml").write_text("# my notes\nname: Bo\nanswers: {education: associate, goals: [nursing]}\n",
                                 encoding="utf-8")
    run = quiz("--answers", "mine.yaml", entries=["", "", "", "", "", "2", "", "", "", "", "", ""])
    assert run.code == 0
    assert ("Starting from the answers in mine.yaml: press Enter at a question to keep the answer shown."
            in run.stderr)
    assert "Press Enter to keep: Associate degree." in run.stderr
    assert Path("mine.yaml").read_text(encoding="utf-8").startswith("# my notes\n")  # untouched
    data = saved()
    assert data["name"] == "Bo" and data["answers"]["goals"] == ["higher_salary"]
    assert data["answers"]["education"] == "associate"


# ---------------------------------------------------------------- files it refuses
@pytest.mark.parametrize(("text", "line"), [
    ("a: [\n", "f.yaml:1: this '[' is never closed: add the matching ']' after the last value\n"
               "     1 | a: [\n       |    ^"),
    ("rules:\n  - id: x\n", "f.yaml:1: this is not an answers file: it has no 'answers' key "
                            "(its top-level keys are rules)"),
    ("just text\n", "f.yaml:1: expected a mapping with an 'answers' key"),
])
@pytest.mark.parametrize("option", ["--resume", "--answers"])
def test_a_corrupt_or_foreign_file_is_one_line_exit_2_and_never_overwritten(here: Path, option: str, text: str,
                                                                             line: str) -> None:
    Path("f.yaml").write_text(text, encoding="utf-8")
    run = quiz(option, "f.yaml", "--save", "f.yaml", entries=SHORT)
    assert (run.code, run.stdout, run.stderr) == (2, "", line + "\n")
    assert Path("f.yaml").read_text(encoding="utf-8") == text


def test_an_existing_file_is_never_the_save_target_of_a_new_quiz(here: Path) -> None:
    Path("notes.yaml").write_text("precious\n", encoding="utf-8")
    run = quiz("--save", "notes.yaml", entries=SHORT)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == ("notes.yaml: already exists; continue it with --resume notes.yaml, change it with "
                          "--answers notes.yaml, or choose a new file with --save\n")
    assert Path("notes.yaml").read_text() == "precious\n"


def test_resume_and_answers_together_is_a_usage_error(here: Path) -> None:
    run = quiz("--resume", "a.yaml", "--answers", "b.yaml", entries=[])
    assert run.code == 2
    assert run.stderr.endswith("Error: use --resume to continue a file or --answers to start from one, not both\n")


def test_resume_of_a_missing_file(here: Path) -> None:
    assert quiz("--resume", "gone.yaml", entries=[]).stderr == "gone.yaml: no such file\n"


def test_the_default_name_never_replaces_a_file(here: Path) -> None:
    Path("my-answers.yaml").write_text("x\n")
    run = quiz(entries=["2", "q"])
    assert "Your answers are saved after each question in my-answers-2.yaml." in run.stderr
    assert saved("my-answers-2.yaml")["answers"] == {"education": "high_school"}
    assert Path("my-answers.yaml").read_text() == "x\n"


def test_save_into_a_folder_uses_the_default_name_there(here: Path) -> None:
    Path("out").mkdir()
    quiz("--save", "out", entries=["2", "q"])
    assert saved("out/my-answers.yaml")["answers"] == {"education": "high_school"}


def test_a_json_name_writes_json_and_resumes(here: Path) -> None:
    quiz("--save", "a.json", entries=[*SHORT[:3], "q"])
    assert json.loads(Path("a.json").read_text(encoding="utf-8")) == {
        "status": "in_progress", "answers": {k: SHORT_ANSWERS[k] for k in list(SHORT_ANSWERS)[:3]}}
    assert quiz("--resume", "a.json", entries=SHORT[3:]).code == 0
    assert json.loads(Path("a.json").read_text(encoding="utf-8")) == {"status": "completed",
                                                                     "answers": SHORT_ANSWERS}


# ---------------------------------------------------------------- when the file cannot be written
def test_a_folder_that_does_not_exist_is_reported_at_the_start(here: Path) -> None:
    run = quiz("--save", "nope/a.yaml", entries=["2", "q"])
    assert run.code == 0
    assert run.stderr.splitlines()[4] == (
        "Cannot save your answers to nope/a.yaml: the folder does not exist. The questionnaire goes on; your "
        "answers are kept in memory and shown at the end so you can save them by hand.")
    assert run.stderr.splitlines()[-11:-7] == [
        "",
        "You stopped the questionnaire.",
        "Your answers could not be saved to nope/a.yaml (the folder does not exist). To keep them, copy the "
        "lines between the two markers into a file:",
        "----- answers start -----",
    ]
    assert tail(run, 1) == ["----- answers end -----"]
    block = run.stderr.split("----- answers start -----\n")[1].split("----- answers end -----")[0]
    assert block == savefile.render({"education": "high_school"}, "in_progress")


def test_a_full_disk_is_said_once_and_the_answers_printed_at_the_end(here: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(savefile, "write_atomic", full)
    run = quiz(entries=[*SHORT, ""])
    assert run.code == 0 and run.stdout.startswith("Your plan")
    assert run.stderr.count("Cannot save your answers to my-answers.yaml: the disk is full.") == 1
    block = run.stderr.split("----- answers start -----\n")[1].split("----- answers end -----")[0]
    assert block == savefile.render(SHORT_ANSWERS, "completed")
    assert "Your answers are saved in" not in run.stderr


def test_saving_that_works_again_says_so(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = savefile.write_atomic
    calls: list[str] = []

    def flaky(path: Path, text: str) -> None:
        calls.append(text)
        if len(calls) == 1:
            raise PermissionError(errno.EACCES, "Permission denied")
        real(path, text)

    monkeypatch.setattr(savefile, "write_atomic", flaky)
    run = quiz(entries=["2", "3", "q"])
    assert "Cannot save your answers to my-answers.yaml: permission denied." in run.stderr
    assert "Saved your answers to my-answers.yaml after all." in run.stderr
    assert saved()["answers"] == {"education": "high_school", "ma_training": "completed"}


# ---------------------------------------------------------------- the terminal
class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


class TtyIn(io.BytesIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("tty", "environ", "coloured"), [
    (True, {}, True),
    (True, {"NO_COLOR": "1"}, False),
    (True, {"NO_COLOR": ""}, True),  # https://no-color.org: only a non-empty value counts
    (True, {"TERM": "dumb"}, False),
    (False, {}, False),
])
def test_colour_only_on_a_terminal_and_never_with_no_color(tty: bool, environ: dict[str, str],
                                                           coloured: bool) -> None:
    err = Tty() if tty else io.StringIO()
    terminal = Terminal(TtyIn(b"2\n"), err, environ)
    terminal.say("Question 1 of 12", "title")
    assert terminal.ask("Your answer: ") == "2"
    assert ("\x1b[" in err.getvalue()) is coloured
    assert click.unstyle(err.getvalue()) == "Question 1 of 12\nYour answer: "  # a terminal echoes the entry


def test_piped_input_is_echoed_so_the_output_reads_as_a_transcript() -> None:
    err = io.StringIO()
    terminal = Terminal(io.BytesIO(b"2\r\n\xff\n" + b"x" * 20_000 + b"\n3\n"), err, {})
    assert [terminal.ask("> ") for _ in range(4)] == ["2", "\ufffd", "x" * 10_000, "3"]
    with pytest.raises(EOFError):
        terminal.ask("> ")
    assert err.getvalue().endswith("> 3\n> \n")


# ---------------------------------------------------------------- interruptions, in process
def scripted(entries: list[str], then: BaseException | None = None) -> Callable[[str], str]:
    queue = iter(entries)

    def ask(_prompt: str) -> str:
        try:
            return next(queue)
        except StopIteration:
            raise then if then is not None else EOFError from None

    return ask


@pytest.mark.parametrize(("stop", "code", "words"), [
    (KeyboardInterrupt(), 130, "Interrupted."),
    (Stopped(SIGHUP), 129, "Stopped by a signal."),
    (Stopped(signal.SIGTERM), 143, "Stopped by a signal."),
])
def test_an_interrupted_quiz_keeps_every_answer(book: RuleBook, tmp_path: Path, stop: BaseException, code: int,
                                                words: str) -> None:
    lines: list[str] = []
    plan = Plan(target=tmp_path / "a.yaml")
    result = run_quiz(book, Session(book), [], plan, scripted(["2", "3", "n"], stop),
                      lambda text, _kind: lines.append(text), lambda _text: None)
    assert result == code
    assert saved(plan.target)["answers"] == {"education": "high_school", "ma_training": "completed",
                                             "ma_training_accredited": False}
    assert lines[-2:] == [f"{words} Your answers so far (3) are saved in {plan.target}.",
                          f"Continue later with: recommender quiz --resume {plan.target}"]


def test_a_lost_terminal_keeps_every_answer(book: RuleBook, tmp_path: Path) -> None:
    said: list[str] = []

    def say(text: str, _kind: str) -> None:
        if text.startswith("Question 3"):
            raise OSError(errno.EIO, "Input/output error")
        said.append(text)

    plan = Plan(target=tmp_path / "a.yaml")
    assert run_quiz(book, Session(book), [], plan, scripted(["2", "1"]), say, lambda _t: None) == 1
    assert saved(plan.target)["answers"] == {"education": "high_school", "ma_training": "none"}


# ---------------------------------------------------------------- properties
@given(st.data())
@settings(max_examples=max(settings().max_examples // 2, 10))
def test_a_random_walk_ends_in_a_file_recommend_accepts(book: RuleBook, data: st.DataObject) -> None:
    """Random valid answers, random wrong entries and random `b`: the file has every answer and nothing stale."""
    session = Session(book)
    budget = [data.draw(st.integers(0, 25), label="detours")]

    def ask(prompt: str) -> str:
        q = session.current()
        if q is None:  # the review: sometimes change an answer, else see the report
            if budget[0] > 0 and data.draw(st.booleans(), label="change"):
                budget[0] -= 1
                return str(data.draw(st.integers(1, len(session.asked())), label="which"))
            return ""
        if budget[0] > 0 and data.draw(st.integers(0, 4), label="detour") == 0:
            budget[0] -= 1
            return data.draw(st.sampled_from(["b", "?", "nonsense", "99", "-1", "1 2 x"]), label="entry")
        return typed(session, q, data.draw(answer_for(q, session.options(q)), label="value"), data)

    with tempfile.TemporaryDirectory(dir=FAST_TMP) as folder:
        plan = Plan(target=Path(folder) / "a.yaml")
        code = run_quiz(book, session, [], plan, ask, lambda _text, _kind: None, lambda _text: None)
        assert code == 0
        loaded = load_answers(plan.target, book)  # what `recommend` reads
        assert loaded.status == "completed"
        assert saved(plan.target)["answers"] == session.answers
        assert set(loaded.profile.given) == set(session.answers)  # every answer asked: nothing stale
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("recommender.book.cache.load_cached", lambda _root=None, **_kw: book)
            with CliRunner().isolation() as (out, _err, _both):
                assert main(["recommend", str(plan.target), "--format", "json"]) == 0
        assert "recommendations" in json.loads(out.getvalue())


def typed(session: Session, q: Any, value: Any, data: st.DataObject) -> str:
    """A valid value as a person might type it: numbers or ids, commas or spaces, y/n."""
    if q.type == "boolean":
        return "y" if value else "n"
    if q.type == "number":
        return str(value)
    options = session.options(q)
    if q.type == "single":
        return str(data.draw(st.sampled_from([value, str(options.index(value) + 1)]), label="form"))
    if not value:
        return "none"
    parts = [data.draw(st.sampled_from([v, str(options.index(v) + 1)]), label="form") for v in value]
    return data.draw(st.sampled_from([", ", " "]), label="sep").join(parts)


@given(st.data())
@settings(max_examples=max(settings().max_examples // 3, 10))
def test_an_interrupted_quiz_resumes_with_no_answer_lost(book: RuleBook, data: st.DataObject) -> None:
    """Stop anywhere (q or end of input), resume, finish: the same file as going straight through."""
    model = Session(book)
    entries: list[str] = []
    while (q := model.current()) is not None:
        value = data.draw(answer_for(q, model.options(q)), label=q.id)
        entries.append(typed(model, q, value, data))
        model.answer(value)
    cut = data.draw(st.integers(0, len(entries)), label="cut")
    stop = data.draw(st.sampled_from([["q"], []]), label="stop")
    with tempfile.TemporaryDirectory(dir=FAST_TMP) as folder, pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setattr("recommender.book.cache.load_cached", lambda _root=None, **_kw: book)
        first = quiz("--save", "a.yaml", entries=[*entries[:cut], *stop])
        finished = cut == len(entries)  # input that ends at the review still gets the report
        assert first.code == (0 if stop or finished else 1)
        if cut:
            assert saved("a.yaml")["answers"] == {k: v for k, v in model.answers.items()
                                                  if k in saved("a.yaml")["answers"]}
            assert len(saved("a.yaml")["answers"]) == cut
            second = quiz("--resume", "a.yaml", entries=entries[cut:] if not finished else [])
        else:
            assert not Path("a.yaml").exists()
            second = quiz("--save", "a.yaml", entries=entries)
        assert second.code == 0
        assert saved("a.yaml") == {"status": "completed", "answers": model.answers}


# ---------------------------------------------------------------- interruptions, in a real process
@pytest.fixture
def process(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start `python -m recommender quiz ARGS` in tmp_path, fed through a pipe; stderr goes to a file."""
    started: list[subprocess.Popen[bytes]] = []
    with (tmp_path / "stderr.txt").open("wb") as err:

        def start(*args: str) -> subprocess.Popen[bytes]:
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            proc = subprocess.Popen([sys.executable, "-m", "recommender", "quiz", "--rules", str(ROOT / "rules"),
                                     *args], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err,
                                    cwd=tmp_path, env=env)
            started.append(proc)
            return proc

        yield start
        for proc in started:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            if proc.stdin is not None:
                proc.stdin.close()


def type_and_wait(proc: subprocess.Popen[bytes], path: Path, entry: str, answers: int) -> None:
    """Type one entry, then wait until the file holds `answers` answers."""
    assert proc.stdin is not None
    proc.stdin.write(f"{entry}\n".encode())
    proc.stdin.flush()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if path.exists() and len(saved(path)["answers"]) == answers:
            return
        time.sleep(0.02)
    raise AssertionError(f"the file never held {answers} answers")


@posix_only
@pytest.mark.parametrize(("signum", "code", "words"), [
    (signal.SIGINT, 130, "Interrupted."),  # Ctrl-C
    (SIGHUP, 129, "Stopped by a signal."),  # the terminal was closed
])
def test_a_signal_between_answers_leaves_every_answer(process: Callable[..., subprocess.Popen[bytes]],
                                                      tmp_path: Path, signum: int, code: int, words: str) -> None:
    path = tmp_path / "a.yaml"
    proc = process("--save", str(path))
    for n, entry in enumerate(["2", "3", "y"], 1):
        type_and_wait(proc, path, entry, n)
    proc.send_signal(signum)
    assert proc.wait(timeout=20) == code
    assert saved(path) == {"status": "in_progress", "answers": {
        "education": "high_school", "ma_training": "completed", "ma_training_accredited": True}}
    assert (tmp_path / "stderr.txt").read_text().splitlines()[-2:] == [
        f"{words} Your answers so far (3) are saved in {path}.",
        f"Continue later with: recommender quiz --resume {path} --rules {ROOT / 'rules'}",
    ]
    assert sorted(os.listdir(tmp_path)) == ["a.yaml", "stderr.txt"]  # no temporary file left


@posix_only
def test_a_killed_quiz_leaves_a_whole_file(process: Callable[..., subprocess.Popen[bytes]], tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    proc = process("--save", str(path))
    type_and_wait(proc, path, "4", 1)
    type_and_wait(proc, path, "1", 2)
    assert proc.stdin is not None
    proc.stdin.write(b"7\n")  # killed while this answer may or may not be written
    proc.stdin.flush()
    proc.kill()
    proc.wait(timeout=20)
    answers = saved(path)["answers"]
    assert answers in ({"education": "associate", "ma_training": "none"},
                       {"education": "associate", "ma_training": "none", "experience_years": 7})


def test_the_conversation_wraps_to_the_terminal_at_spaces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    err = io.StringIO()
    terminal = Terminal(TtyIn(b""), err, {"COLUMNS": "50"})
    terminal.say("  3. completed: Completed a program. You finished a medical assisting or medical office program.")
    lines = err.getvalue().splitlines()
    assert lines == ["  3. completed: Completed a program. You finished",
                     "     a medical assisting or medical office",
                     "     program."]
