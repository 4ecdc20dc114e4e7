"""Issue 13, classes 9 and 10: what reaches a terminal, and output that cannot be written.

Real processes where the operating system is the point (a closed stdout, a broken pipe, a full
disk, a signal); `main` with captured streams elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.cli import EXIT_OUTPUT, main
from recommender.safetext import encodable, escape_controls, one_line_text
from tests.conftest import PROFILES, ROOT

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
UNSAFE = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))] + \
    ["\u2028", "\u2029", "\u202e", "\u2066", "\ud800"]


def child(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "recommender", *args], capture_output=True, text=True, timeout=120,
                          env={**ENV, **kwargs.pop("env", {})}, **kwargs)  # type: ignore[arg-type]


# ------------------------------------------------------------------ escaping
@given(st.text())
def test_escaped_text_holds_no_control_character_but_newlines_and_tabs(text: str) -> None:
    shown = escape_controls(text)
    assert not any(ch in shown for ch in UNSAFE)
    assert shown.count("\n") == text.count("\n")
    assert not any(ch in one_line_text(text) for ch in [*UNSAFE, "\n", "\t"])


@given(st.recursive(st.text() | st.integers(-99, 99) | st.none(),
                    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids, max_size=3),
                    max_leaves=8))
def test_escaping_json_text_keeps_the_same_data(data: object) -> None:
    # One rule for every format: in JSON, an escape is the same character.
    assert json.loads(escape_controls(json.dumps(data, ensure_ascii=False))) == data


@given(st.text(), st.sampled_from(["ascii", "latin-1", "cp1252", "utf-8"]), st.booleans())
def test_text_fitted_to_an_encoding_can_be_written_in_it(text: str, encoding: str, lossless: bool) -> None:
    encodable(escape_controls(text), encoding, lossless).encode(encoding)
    # Lossless (JSON): what is written, read back as JSON, is the data that was meant.
    written = encodable(escape_controls(json.dumps(text, ensure_ascii=False)), encoding, lossless=True)
    assert json.loads(written.encode(encoding).decode(encoding)) == text


def test_escape_sequences_in_a_rule_book_never_reach_the_report(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", book)
    (book / "rules" / "zz.yaml").write_text(
        'rules:\n  - id: noisy\n    description: "\\e]0;owned\\a"\n    when: {all: []}\n    points: {CMAA: 1}\n'
        '    because: "Title \\e]0;owned\\a and clipboard \\e]52;c;aGk=\\a \\x9b31m"\n')
    for fmt in ("text", "markdown", "json"):
        # --details prints every reason, this one included.
        assert main(["recommend", "--rules", str(book), str(PROFILES[1]), "--format", fmt, "--details"]) == 0
        out = capsys.readouterr().out
        assert not any(ch in out for ch in ("\x1b", "\x07", "\x9b")), fmt
        assert "\\u001b]0;owned\\u0007" in out or fmt == "json"
        if fmt == "json":
            texts = [r["text"] for rec in json.loads(out)["recommendations"] for r in rec["reasons"]]
            assert "Title \x1b]0;owned\x07 and clipboard \x1b]52;c;aGk=\x07 \x9b31m" in texts  # same data


def test_typed_text_echoed_by_the_quiz_is_escaped(tmp_path: Path) -> None:
    proc = child(["quiz", "--save", "a.yaml"], input="\x1b]52;c;aGk=\x07\n", cwd=tmp_path)
    assert "\x1b]52" not in proc.stderr and "\\u001b]52;c;aGk=\\u0007" in proc.stderr


# ------------------------------------------------------------------ encodings
def test_a_latin1_output_gets_ascii_equivalents_in_text_and_escapes_in_json() -> None:
    text = child(["recommend", str(PROFILES[1]), "--details"], env={"PYTHONIOENCODING": "latin-1"},
                 encoding="latin-1")
    assert (text.returncode, text.stderr) == (0, "")
    utf8 = child(["recommend", str(PROFILES[1]), "--details"])
    assert "–" in utf8.stdout and "–" not in text.stdout  # the crash of issue 13 was on this character
    assert text.stdout == encodable(utf8.stdout, "latin-1")
    assert "\\u" not in text.stdout  # every character the report uses has an ASCII equivalent
    as_json = child(["recommend", str(PROFILES[1]), "--format", "json"], env={"PYTHONIOENCODING": "ascii"})
    assert json.loads(as_json.stdout) == json.loads(child(["recommend", str(PROFILES[1]), "--format", "json"]).stdout)


# ------------------------------------------------------------------ write errors
@pytest.mark.parametrize("args", [["recommend", str(PROFILES[1])], ["schema"], ["batch", str(PROFILES[1])]])
def test_a_closed_stdout_is_a_write_error(args: list[str]) -> None:
    proc = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "recommender", *args],
                          capture_output=True, text=True, timeout=120, env=ENV)
    assert proc.returncode == EXIT_OUTPUT == 74
    assert proc.stderr.splitlines()[-1] == "recommender: cannot write the output: standard output is closed"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_a_write_error() -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "recommender", "recommend", str(PROFILES[1])], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120, env=ENV)
    assert (proc.returncode, proc.stderr) == (74, "recommender: cannot write the output: the disk is full\n")


def test_a_reader_that_goes_away_is_a_write_error_not_bad_rows(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort.jsonl"
    cohort.write_text('{"education": "bachelor"}\n' * 2000)
    proc = subprocess.Popen([sys.executable, "-m", "recommender", "batch", str(cohort)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(100)
    proc.stdout.close()  # as `| head -c 100` does
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 74
    assert err.splitlines() == ["recommender: cannot write the output: the program reading the output stopped "
                                "reading (broken pipe)"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_batch_out_leaves_no_temporary_file(tmp_path: Path, signum: int) -> None:
    cohort = tmp_path / "cohort.jsonl"
    cohort.write_text('{"education": "bachelor"}\n' * 20000)
    proc = subprocess.Popen([sys.executable, "-m", "recommender", "batch", "cohort.jsonl", "--out", "out.jsonl"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.jsonl.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signum)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    assert err.decode().splitlines()[-1].startswith("Stopped by a signal after ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.jsonl"]
