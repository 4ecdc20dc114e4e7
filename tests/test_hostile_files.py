"""Issue 13, class 3: files that are not regular files (devices, named pipes) never hang or fill memory.

Cases with a named pipe run in a child process with a timeout, so a regression fails the test
instead of hanging the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from recommender.book.yamlio import MAX_FILE_BYTES
from recommender.cli import main
from tests.conftest import PROFILES, ROOT

ZERO = Path("/dev/zero")
needs_dev_zero = pytest.mark.skipif(not ZERO.exists(), reason="needs /dev/zero")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


def run(args: list[str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "recommender", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})


@needs_dev_zero
@pytest.mark.parametrize("args", [["recommend", "/dev/zero"], ["path", "/dev/zero"], ["quiz", "--resume", "/dev/zero"],
                                  ["quiz", "--answers", "/dev/zero"]])
def test_a_device_is_read_only_up_to_the_limit(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert capsys.readouterr().err == f"/dev/zero: more than {MAX_FILE_BYTES:,} bytes; the limit is {MAX_FILE_BYTES:,}\n"


@needs_dev_zero
def test_a_batch_of_devices_reports_bad_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cohort.jsonl").symlink_to(ZERO)
    good = tmp_path / "good.yaml"
    shutil.copyfile(PROFILES[0], good)
    assert main(["batch", str(ZERO), str(tmp_path / "cohort.jsonl"), str(good)]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"/dev/zero: more than {MAX_FILE_BYTES:,} bytes; the limit is {MAX_FILE_BYTES:,}",
        f"{tmp_path / 'cohort.jsonl'}: is a device; JSON Lines and CSV are read from files or pipes",
        "1 profile scored, 2 bad rows",
    ]
    assert len(out.splitlines()) == 3


@needs_dev_zero
def test_a_rule_book_linking_to_a_device_is_refused_with_its_location(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", book)
    (book / "catalog" / "zero.yaml").symlink_to(ZERO)
    (book / "market.yaml").unlink()
    (book / "market.yaml").symlink_to(ZERO)
    assert main(["recommend", "--rules", str(book), str(PROFILES[0])]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{book / 'catalog' / 'zero.yaml'}: is a device, not a regular file; only regular files are read from a folder",
        f"{book / 'market.yaml'}: is a device, not a regular file; only regular files are read from a folder",
    ]


@needs_fifo
def test_a_named_pipe_in_a_rule_book_never_hangs_rules_check(tmp_path: Path) -> None:
    book = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", book)
    os.mkfifo(book / "rules" / "zz_pipe.yaml")
    os.unlink(book / "facts.yaml")
    os.mkfifo(book / "facts.yaml")
    proc = run(["rules", "check", "--rules", "rules"], tmp_path)
    assert proc.returncode == 1
    assert "rules/facts.yaml: is a named pipe, not a regular file; only regular files are read from a folder" \
        in proc.stdout.splitlines()
    assert "rules/rules/zz_pipe.yaml: is a named pipe, not a regular file; only regular files are read from a folder" \
        in proc.stdout.splitlines()


@needs_fifo
def test_a_named_pipe_among_profiles_or_a_cohort_folder_never_hangs(tmp_path: Path) -> None:
    folder = tmp_path / "people"
    folder.mkdir()
    shutil.copyfile(PROFILES[0], folder / "a.yaml")
    os.mkfifo(folder / "b.yaml")
    tested = run(["rules", "test", "people", "--rules", str(ROOT / "rules")], tmp_path)
    assert (tested.returncode, tested.stderr) == (
        2, "people/b.yaml: is a named pipe, not a regular file; only regular files are read from a folder\n")
    scored = run(["batch", "people", "--rules", str(ROOT / "rules")], tmp_path)
    assert scored.returncode == 1
    assert scored.stderr.splitlines() == [
        "people/b.yaml: is a named pipe, not a regular file; only regular files are read from a folder",
        "1 profile scored, 1 bad row",
    ]


@needs_fifo
def test_a_pipe_named_on_the_command_line_is_read_like_a_file(tmp_path: Path) -> None:
    # `recommend <(cat answers.yaml)` names a pipe: it is read (bounded) as its writer writes.
    proc = subprocess.run(["bash", "-c", f'"{sys.executable}" -m recommender recommend <(cat "{PROFILES[1]}")'],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    assert "CERTIFICATIONS" in proc.stdout
