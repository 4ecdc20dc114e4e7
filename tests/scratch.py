"""A copy of the shipped rule book (and profiles) in a temporary folder, to edit on purpose.

Edits append new objects rather than rewrite shipped ones, so tests keep working when the
shipped rules are tuned; line numbers are counted from the appended text.  The working
folder is the copy's parent, so paths show as 'rules/...' and 'profiles/...'.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from recommender.advisor import analysis as analysis_module
from recommender.book import loader as loader_module
from recommender.book.loader import load_rulebook
from recommender.book.rulebook import RuleBook
from recommender.book.yamlio import Document, load_file
from tests.conftest import ROOT

FOUNDATION = "rules/foundation.yaml"


class Scratch:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.root = home / "rules"
        self.profiles = home / "profiles"

    def append(self, rel: str, text: str) -> int:
        """Append text to a file under rules/; return the line its first line lands on."""
        path = self.root / rel
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if old and not old.endswith("\n"):
            old += "\n"
        path.write_text(old + text, encoding="utf-8")
        return old.count("\n") + 1

    def replace(self, rel: str, old: str, new: str) -> None:
        """Replace the only occurrence of `old` in a file under rules/."""
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is not unique in {rel}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def rule(self, id: str, when: str, points: str = "{CMAA: 5}", extra: str = "", rel: str = FOUNDATION) -> int:
        """Append a rule; return its first line (`when` is on the line after next)."""
        return self.append(rel, f"  - id: {id}\n    description: A rule added by a test.\n    when: {when}\n"
                                f"    points: {points}\n{extra}    because: A reason.\n")

    def load(self) -> RuleBook:
        return load_rulebook(self.root)


_PARSED: dict[tuple[str, bytes], Document] = {}


def _cached_load_file(path: Path, shown: str | None = None, regular_only: bool = False) -> Document:
    """Parse each distinct file once per session: the copies are mostly byte-identical.

    Only speed: a file is reused only when its shown path and its bytes are the same, so an
    edited file is always parsed afresh.  Documents are never modified after loading.
    """
    try:
        key = (shown or str(path), path.read_bytes()) if path.is_file() else None
    except OSError:
        key = None
    if key is None:
        return load_file(path, shown, regular_only)
    if key not in _PARSED:
        _PARSED[key] = load_file(path, shown, regular_only)
    return _PARSED[key]


def _top_level_locales(folder: str, names: list[str]) -> set[str]:
    return {"locales"} if Path(folder) == ROOT / "rules" else set()


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Scratch:
    # Without the translations: a test that adds a text would otherwise also add its "untranslated"
    # warning.  Tests of translations copy rules/locales themselves.
    shutil.copytree(ROOT / "rules", tmp_path / "rules", ignore=_top_level_locales)
    shutil.copytree(ROOT / "profiles", tmp_path / "profiles")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(loader_module, "load_file", _cached_load_file)
    monkeypatch.setattr(analysis_module, "load_file", _cached_load_file)
    return Scratch(tmp_path)
