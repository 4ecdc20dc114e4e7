"""Working copies: students' commands warn when the rule book they read has uncommitted edits."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from recommender.advisor import workcopy
from recommender.advisor.workcopy import uncommitted, working_copy_warning
from recommender.cli import main
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(cwd: Path, *args: str) -> None:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "checkout"
    shutil.copytree(ROOT / "rules", home / "rules")
    shutil.copy(ROOT / "profiles" / "01_no_diploma.yaml", home / "dana.yaml")
    git(home, "init", "-q")
    git(home, "add", "-A")
    git(home, "commit", "-qm", "shipped")
    monkeypatch.chdir(home)
    return home


def test_a_clean_checkout_has_nothing_uncommitted(checkout: Path) -> None:
    assert uncommitted(checkout / "rules") == [] and working_copy_warning(checkout / "rules") is None


def test_edited_added_and_deleted_rule_files_are_uncommitted(checkout: Path) -> None:
    with (checkout / "rules" / "facts.yaml").open("a") as f:
        f.write("# an edit\n")
    (checkout / "rules" / "rules" / "new.yaml").write_text("rules: []\n")
    (checkout / "rules" / "catalog" / "roles.yaml").unlink()
    (checkout / "rules" / "rules" / "notes.txt").write_text("not read by the loader\n")
    assert uncommitted(checkout / "rules") == ["rules/catalog/roles.yaml", "rules/facts.yaml", "rules/rules/new.yaml"]


def test_a_committed_edit_is_not_uncommitted(checkout: Path) -> None:
    with (checkout / "rules" / "facts.yaml").open("a") as f:
        f.write("# an edit\n")
    git(checkout, "commit", "-qam", "edit")
    assert uncommitted(checkout / "rules") == []


def test_outside_git_and_in_the_installed_package_nothing_is_checked(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "rules", tmp_path / "plain")
    calls: list[Any] = []
    monkeypatch.setattr(workcopy.subprocess, "run", lambda *a, **k: calls.append(a))
    assert uncommitted(tmp_path / "plain") is None and calls == []  # not even a git process
    monkeypatch.setattr(workcopy.recommender, "__file__", str(tmp_path / "pkg" / "__init__.py"))
    (tmp_path / "pkg" / "_rules").mkdir(parents=True)
    assert uncommitted(tmp_path / "pkg" / "_rules") is None and calls == []


def test_the_check_is_two_git_calls_that_run_nothing_from_the_repository(checkout: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "pwned"
    git(checkout, "config", "filter.evil.clean", f"touch {marker}; cat")
    git(checkout, "config", "core.fsmonitor", f"touch {marker}; false")
    (checkout / ".gitattributes").write_text("*.yaml filter=evil\n")
    with (checkout / "rules" / "facts.yaml").open("a") as f:
        f.write("# an edit\n")
    real = subprocess.run
    calls: list[list[str]] = []

    def counting(args: list[str], **kwargs: Any) -> Any:
        calls.append(args)
        return real(args, **kwargs)

    monkeypatch.setattr(workcopy.subprocess, "run", counting)
    assert uncommitted(checkout / "rules") == ["rules/facts.yaml"]
    assert len(calls) == 2 and not marker.exists()


def test_recommend_warns_on_stderr_in_one_line(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "dana.yaml", "--rules", "rules"]) == 0
    assert capsys.readouterr().err == ""
    with (checkout / "rules" / "facts.yaml").open("a") as f:
        f.write("# an edit\n")
    assert main(["recommend", "dana.yaml", "--rules", "rules"]) == 0
    out, err = capsys.readouterr()
    assert "CERTIFICATIONS" in out
    assert err == ("recommender: warning: the rule book in rules has uncommitted changes (rules/facts.yaml); "
                   "this report uses them, not the last committed book\n")
