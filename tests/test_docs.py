"""The guides' examples are run as written, and their output compared with what the guides show.

A guide marks what a reader would do with HTML comments, invisible once the Markdown is
rendered, each followed by the fenced block it applies to:

- `<!-- doc-test: write PATH -->` writes the block to PATH (relative to the reader's folder);
- `<!-- doc-test: replace PATH -->` applies a diff-like block to PATH: lines starting with a space
  are context, `-` lines are removed and `+` lines added (a line `...` starts another change);
- `<!-- doc-test: run -->` runs each `$ command` in the block and compares its output with the
  lines shown under it, where a line `...` stands for any number of lines;
- `<!-- doc-test: show -->` marks a block that only illustrates (not run).

Every `console` block must carry one of these, so a new example cannot escape the test. The
reader's folder is a fresh git repository holding a copy of the package, the shipped rules and
the profiles; only the temporary folder's path is normalised.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

DIRECTIVE = re.compile(r"<!-- doc-test: (write|replace|run|show)(?: (\S+))? -->")
FENCE = re.compile(r"^```(\w*)$")
GUIDES = ["docs/advisors.md", "README.md"]


@dataclass(frozen=True)
class Block:
    line: int  # of the opening fence, 1-based
    lang: str
    body: list[str]
    action: str | None
    arg: str | None


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown file, each with the directive just above it, if any."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    pending: tuple[str, str | None] | None = None
    while i < len(lines):
        d = DIRECTIVE.fullmatch(lines[i].strip())
        if d:
            pending = (d.group(1), d.group(2))
        m = FENCE.match(lines[i])
        if m:
            j = i + 1
            while j < len(lines) and lines[j] != "```":
                j += 1
            action, arg = pending if pending else (None, None)
            out.append(Block(i + 1, m.group(1), lines[i + 1:j], action, arg))
            pending = None
            i = j
        elif lines[i].strip() and not d:
            pending = None if not lines[i].startswith("<!--") else pending
        i += 1
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether `actual` fits `expected`, where a line '...' stands for any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[k:]) for k in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


def hunks(body: list[str]) -> list[tuple[str, str]]:
    """A diff-like block as (old, new) texts: ' ' lines are in both, '-' only old, '+' only new; '...' separates."""
    out: list[tuple[str, str]] = []
    old: list[str] = []
    new: list[str] = []
    for line in [*body, "..."]:
        if line == "...":
            if old or new:
                out.append(("".join(f"{line}\n" for line in old), "".join(f"{line}\n" for line in new)))
            old, new = [], []
            continue
        mark, text = line[:1], line[1:]
        if mark in (" ", "-", ""):
            old.append(text)
        if mark in (" ", "+", ""):
            new.append(text)
    return out


def commands(body: list[str]) -> list[tuple[str, list[str]]]:
    """Each `$ command` of a console block with the output lines shown under it."""
    out: list[tuple[str, list[str]]] = []
    for line in body:
        if line.startswith("$ "):
            out.append((line[2:], []))
        elif out:
            out[-1][1].append(line)
    return out


@pytest.fixture
def reader(tmp_path: Path) -> Path:
    """A reader's checkout: the package, the shipped rules and profiles in a fresh git repository.

    The tool runs as `python -m recommender` from the checkout, so, as in a real checkout, its
    default rule book is the checkout's own `./rules`.
    """
    home = tmp_path / "checkout"
    home.mkdir()
    for name in ("recommender", "rules", "profiles", "schemas"):
        shutil.copytree(ROOT / name, home / name, ignore=shutil.ignore_patterns("__pycache__", "_rules"))
    env = git_env()
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "shipped book"]):
        subprocess.run(["git", *args], cwd=home, check=True, env=env, capture_output=True)
    return home


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="Reader", GIT_AUTHOR_EMAIL="reader@example.org", GIT_COMMITTER_NAME="Reader",
               GIT_COMMITTER_EMAIL="reader@example.org", GIT_CONFIG_NOSYSTEM="1", HOME=str(Path.cwd()))
    return env


def run(command: str, home: Path) -> list[str]:
    """Run one command as the guide's reader would (the tool through this Python), output as shown."""
    argv = shlex.split(command)
    if argv[0] == "recommender":
        argv = [sys.executable, "-m", "recommender", *argv[1:]]
    env = {**git_env(), "COLUMNS": "88", "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(argv, cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False,
                          timeout=300)
    text = done.stdout.decode("utf-8").replace(str(home), "<checkout>")
    return text.rstrip("\n").splitlines()


def follow(guide: str, home: Path) -> list[str]:
    """Do everything the guide marks, in order; return a message for each example that differs."""
    problems: list[str] = []
    for block in blocks(ROOT / guide):
        where = f"{guide}:{block.line}"
        if block.action == "write":
            assert block.arg, where
            target = home / block.arg
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(block.body) + "\n", encoding="utf-8")
        elif block.action == "replace":
            assert block.arg, where
            target = home / block.arg
            text = target.read_text(encoding="utf-8")
            for old, new in hunks(block.body):
                assert old in text, f"{where}: this text is not in {block.arg}:\n{old}"
                text = text.replace(old, new, 1)
            target.write_text(text, encoding="utf-8")
        elif block.action == "run":
            for command, expected in commands(block.body):
                actual = run(command, home)
                if not matches(expected, actual):
                    problems.append(f"{where}: `{command}` printed:\n" + "\n".join(actual))
    return problems


def test_every_console_example_is_run_or_marked_as_an_illustration() -> None:
    unmarked = [f"{guide}:{b.line}" for guide in GUIDES for b in blocks(ROOT / guide)
                if b.lang == "console" and b.action not in ("run", "show")]
    assert unmarked == []


@pytest.mark.skipif(shutil.which("git") is None, reason="the guide's reader works in a git checkout")
@pytest.mark.parametrize("guide", GUIDES)
def test_the_guide_runs_as_written(guide: str, reader: Path) -> None:
    problems = follow(guide, reader)
    assert not problems, "\n\n".join(problems)


@pytest.mark.skipif(shutil.which("git") is None, reason="the guide's reader works in a git checkout")
def test_the_worked_example_leaves_nothing_behind(reader: Path) -> None:
    follow("docs/advisors.md", reader)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=reader,
                            capture_output=True, check=True, env=git_env()).stdout.decode()
    assert status == ""


# ------------------------------------------------------------------ the comparison can fail
@pytest.mark.parametrize("expected, actual, ok", [
    (["a", "...", "z"], ["a", "b", "c", "z"], True),
    (["a", "...", "z"], ["a", "z"], True),
    (["a", "z"], ["a", "b", "z"], False),
    (["...", "c"], ["a", "b"], False),
    (["0 errors and 4 warnings"], ["0 errors and 1 warning"], False),
    ([], [], True),
])
def test_ellipsis_stands_for_any_lines(expected: list[str], actual: list[str], ok: bool) -> None:
    assert matches(expected, actual) is ok


def test_a_diff_block_becomes_old_and_new_texts() -> None:
    body = ["   - {fact: no_experience}", "-  - {answer: x, gte: 1}", "...", "-a: 1", "+a: 2", "...", "-gone"]
    assert hunks(body) == [("  - {fact: no_experience}\n  - {answer: x, gte: 1}\n", "  - {fact: no_experience}\n"),
                           ("a: 1\n", "a: 2\n"), ("gone\n", "")]


def test_directives_attach_to_the_next_block(tmp_path: Path) -> None:
    guide = tmp_path / "g.md"
    guide.write_text("<!-- doc-test: write a.yaml -->\n\n```yaml\nx: 1\n```\n\ntext\n\n```console\n$ ls\n```\n")
    (first, second) = blocks(guide)
    assert (first.action, first.arg, first.body) == ("write", "a.yaml", ["x: 1"])
    assert second.action is None and second.lang == "console"
