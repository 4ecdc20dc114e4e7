"""Hostile and broken files against every command that reads files.

Each case must end in clear, located lines on stderr and the command's error exit code, within
2 seconds and 200 MB, with no traceback and nothing executed.  The small files live in
tests/hostile/; the big ones (deep nesting, oversized, very long strings) are made at test time.
"""

from __future__ import annotations

import gc
import os
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from recommender.book.yamlio import MAX_DEPTH, MAX_FILE_BYTES, MAX_STRING
from recommender.cli import COMMANDS, main
from tests.conftest import PROFILES, ROOT

HOSTILE = Path(__file__).resolve().parent / "hostile"
SECONDS = 2.0
MEGABYTES = 200

#: answers file -> the message after "path:line: "
ANSWERS_CASES = {
    "alias_bomb.yaml": "1: expands to more than 200,000 values (aliases multiply the data)",
    "python_object.yaml": "2: unsupported tag !!python/object/apply:os.system; tags are not allowed",
    "binary.yaml": "2: unsupported tag !!binary; tags are not allowed",
    "custom_tag.yaml": "1: unsupported tag !include; tags are not allowed",
    "not_utf8.yaml": "3: byte 51 is not valid UTF-8; save the file as UTF-8",
    "tabs.yaml": "2: this line is indented with a tab; YAML needs spaces: replace the tab with spaces\n"
                 "     2 | \\teducation: high_school\n       | ^",
    "duplicate_key.yaml": "3: duplicate key 'education' (first on line 2)",
    "nan.yaml": "3: '.nan' is not a finite number",
    "inf.yaml": "3: '.inf' is not a finite number",
    "huge_exponent.yaml": "3: '1e309' is not a finite number",
    "negative_years.yaml": "3: answers.experience_years: -2 is below the minimum of 0",
    "fractional_years.yaml": "3: answers.experience_years: expected a whole number, got 1.5",
    "yaml11_boolean.yaml": "3: answers.ma_training: expected one option id, got false (YAML reads yes/no/on/off "
                           "as true/false: put the option id in quotes)",
    "yaml11_on.yaml": "3: answers.interests: expected option ids, got true in the list (YAML reads yes/no/on/off "
                      "as true/false: put the option id in quotes)",
    "empty.yaml": "1: the file is empty; expected a mapping",
    # issue 13: names reach every report's first line; numbers must stay within what a float holds exactly
    "control_name.yaml": "1: 'name' must be one line of plain text, without control or text-direction "
                         "characters; it holds U+001B",
    "newline_name.yaml": "1: 'name' must be one line of plain text, without control or text-direction "
                         "characters; it holds U+000A",
    "huge_integer.yaml": "3: '99999999999999999999…' is too long a number; numbers may have at most 15 digits "
                         "before the decimal point",
    "out_of_range.yaml": "3: '1.5e300' is out of range; numbers may have at most 15 digits before the decimal point",
}


def generated(tmp: Path) -> dict[str, tuple[Path, str]]:
    """Big or special hostile inputs, made on the fly: name -> (path, expected message after 'path')."""
    out: dict[str, tuple[Path, str]] = {}
    deep = tmp / "deep.yaml"
    deep.write_text("answers: " + "[" * 10_000 + "]" * 10_000 + "\n")
    out["deep"] = (deep, f":1: nesting is deeper than the limit of {MAX_DEPTH} levels")
    big = tmp / "big.yaml"
    big.write_text("answers:\n  education: high_school\n" + "# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    out["oversized"] = (big, f": file is {big.stat().st_size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
    long = tmp / "long.yaml"
    long.write_text("answers:\n  education: " + "x" * (MAX_STRING + 1) + "\n")
    out["long string"] = (long, f":2: a value is {MAX_STRING + 1:,} characters; the limit is {MAX_STRING:,}")
    folder = tmp / "folder.yaml"
    folder.mkdir()
    out["folder"] = (folder, ": is a folder, expected a file")
    loop = tmp / "loop.yaml"
    loop.symlink_to(tmp / "loop2.yaml")
    (tmp / "loop2.yaml").symlink_to(loop)
    out["symlink loop"] = (loop, ": cannot read the file: Too many levels of symbolic links")
    return out


def run_measured(args: list[str], capsys: pytest.CaptureFixture[str],
                 memory: bool = True) -> tuple[int, str, str, float, float]:
    """Run a command timed and, when `memory`, again under tracemalloc (which slows it) for peak memory."""
    # CPU time, not wall time: the limit is about the work a file causes, whatever else the machine runs.
    # Freezing the heap keeps a garbage collection of the whole test session out of the measure.
    gc.collect()
    gc.freeze()
    try:
        start = time.process_time()
        code = main(args)
        elapsed = time.process_time() - start
    finally:
        gc.unfreeze()
    out, err = capsys.readouterr()
    if not memory:
        return code, out, err, elapsed, 0.0
    tracemalloc.start()
    try:
        main(args)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    capsys.readouterr()
    return code, out, err, elapsed, peak / 1e6


def answers_commands(path: str) -> list[tuple[list[str], int]]:
    """Every command that reads an answers file, with the exit code a bad file gives."""
    specs = [(["recommend", path], 2), (["recommend", path, "--format", "json"], 2)]
    if "explain" in COMMANDS:
        specs.append((["explain", path, "CMAA"], 2))
    if "path" in COMMANDS:
        specs.append((["path", path], 2))
    return specs


def quiz_commands(path: str) -> list[tuple[list[str], int]]:
    """The quiz refuses a corrupt file; an answer that is merely invalid is asked again instead."""
    if "quiz" not in COMMANDS:
        return []
    return [(["quiz", "--resume", path], 2), (["quiz", "--answers", path], 2)]


@pytest.mark.parametrize("name", sorted(ANSWERS_CASES))
def test_hostile_answers_files(name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HOSTILE)
    corrupt = "answers." not in ANSWERS_CASES[name]
    specs = answers_commands(name) + (quiz_commands(name) if corrupt else [])
    for i, (args, expected_code) in enumerate(specs):
        code, out, err, elapsed, peak = run_measured(args, capsys, memory=i == 0)
        assert (code, out, err) == (expected_code, "", f"{name}:{ANSWERS_CASES[name]}\n"), args
        assert elapsed < SECONDS and peak < MEGABYTES, (args, elapsed, peak)
    assert not Path("/tmp/pwned").exists()


def test_generated_hostile_answers_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, (path, message) in generated(tmp_path).items():
        specs = answers_commands(str(path)) + quiz_commands(str(path))
        for i, (args, expected_code) in enumerate(specs):
            code, out, err, elapsed, peak = run_measured(args, capsys, memory=i == 0)
            assert (code, out, err) == (expected_code, "", f"{path}{message}\n"), (name, args)
            assert elapsed < SECONDS and peak < MEGABYTES, (name, args, elapsed, peak)


def test_a_byte_order_mark_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = main(["recommend", str(HOSTILE / "bom.yaml")]), *capsys.readouterr()
    assert (code, err) == (0, "") and out.startswith("Your plan\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_answers_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("answers: {education: high_school}\n")
    path.chmod(0)
    assert main(["recommend", str(path)]) == 2
    assert capsys.readouterr().err == f"{path}: permission denied: cannot read the file\n"


# ------------------------------------------------------------------ rule files
@pytest.fixture()
def book_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", target)
    return target


def rules_commands(rules: Path) -> list[tuple[list[str], int]]:
    specs = [(["recommend", "--rules", str(rules), str(PROFILES[1])], 2)]
    if "rules" in COMMANDS:
        specs.append((["rules", "check", "--rules", str(rules)], 1))
    return specs


RULE_CASES = sorted(p.name for p in HOSTILE.glob("*.yaml") if p.name != "bom.yaml")


@pytest.mark.parametrize("name", RULE_CASES)
def test_hostile_rule_files(name: str, book_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = book_copy / "rules" / "foundation.yaml"
    shutil.copyfile(HOSTILE / name, target)
    for i, (args, expected_code) in enumerate(rules_commands(book_copy)):
        code, out, err, elapsed, peak = run_measured(args, capsys, memory=i == 0)
        assert code == expected_code, (args, err)
        # `rules check` prints its findings as its report (stdout); other commands use stderr.
        lines = [line for line in (out + err).splitlines() if line.startswith(str(book_copy))]
        assert lines and all(line.startswith(str(book_copy)) for line in lines), err
        assert any(line.startswith(f"{target}:") or line.startswith(f"{target} ") for line in lines), err
        assert "Traceback" not in err
        assert elapsed < SECONDS and peak < MEGABYTES, (args, elapsed, peak)
    assert not Path("/tmp/pwned").exists()


def test_format_string_tricks_are_refused_at_load(book_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = book_copy / "rules" / "zz_sneaky.yaml"
    shutil.copyfile(HOSTILE / "format_string_index.rules.yaml", target)
    assert main(["recommend", "--rules", str(book_copy), str(PROFILES[1])]) == 2
    prefix = f"{target}:6: rule 'sneaky-index' → because: "
    assert capsys.readouterr().err.splitlines() == [
        prefix + "'{0.__init__}' is not a placeholder: only a question id may stand in braces, such as {education}",
        prefix + "'{education!r:>10}' is not a placeholder: only a question id may stand in braces, such as "
                 "{education}",
        prefix + "'{education[0]}' is not a placeholder: only a question id may stand in braces, such as {education}",
    ]  # problems on one line come in the order of their messages


# ------------------------------------------------------------------ real processes: memory and time
@pytest.mark.parametrize("case", ["alias bomb", "deep", "oversized", "long string"])
def test_worst_cases_in_a_real_process_stay_within_limits(case: str, tmp_path: Path) -> None:
    files = generated(tmp_path)
    path = HOSTILE / "alias_bomb.yaml" if case == "alias bomb" else files[case][0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-c", PEAK_REPORTER, "recommend", str(path)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=30)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    *lines, peak_line = proc.stderr.splitlines()
    assert proc.returncode == 2
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert peak_line.startswith("VmHWM:") and int(peak_line.split()[1]) / 1024 < MEGABYTES, peak_line
    assert elapsed < SECONDS + 1.5  # interpreter start-up included


# The child reports its own high-water mark: exec starts a fresh address space, so VmHWM (unlike
# ru_maxrss, which keeps the forked parent's pages) measures the command alone.
PEAK_REPORTER = """
import atexit, sys
from recommender.cli import main
def report():
    with open("/proc/self/status") as status:
        sys.stderr.write(next(line for line in status if line.startswith("VmHWM:")))
atexit.register(report)
sys.exit(main(sys.argv[1:]))
"""
