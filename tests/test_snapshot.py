"""The rule book snapshot: the same book back, and never trusted when anything about it is off."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.book import cache
from recommender.book.answers import load_answers, profile_from
from recommender.book.cache import book_key, load_cached
from recommender.book.loader import load_rulebook
from recommender.book.rulebook import RuleBook, Where
from recommender.book.snapshot import ALLOWED, FORMAT, SnapshotError, dumps, loads
from recommender.engine.recommend import recommend
from recommender.render import render
from tests.conftest import PROFILES, ROOT
from tests.strategies import raw_answers

FIELDS = ("questions", "question_info", "ask_if", "facts", "items", "routes", "provisional", "rules", "sources",
          "market", "where", "report")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder of the test's own, and the shipped book copied where it may be edited."""
    snapshots = tmp_path / "cache"
    monkeypatch.setenv("RECOMMENDER_CACHE_DIR", str(snapshots))
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    yield tmp_path


def snapshot_of(root: Path) -> Path:
    key = book_key(root, "en")
    assert key is not None
    return Path(os.environ["RECOMMENDER_CACHE_DIR"]) / f"{key}.json"


def cached(root: Path) -> tuple[RuleBook, list[str], bool]:
    """Load through the cache: the book, what it said about the snapshot, and whether it loaded in full."""
    notes: list[str] = []
    full: list[bool] = []

    def counting(folder: Path, lang: str = "en") -> RuleBook:
        full.append(True)
        return load_rulebook(folder, lang=lang)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "load_rulebook", counting)
        book = load_cached(root, note=notes.append)
    return book, notes, bool(full)


def same_book(a: RuleBook, b: RuleBook) -> None:
    for name in FIELDS:
        assert getattr(a, name) == getattr(b, name), name
    assert a.root == b.root


# ------------------------------------------------------------------ the same book back
def test_a_second_load_comes_from_the_snapshot_and_equals_a_full_load(folder: Path) -> None:
    root = folder / "rules"
    first, notes, full = cached(root)
    assert full and notes == []
    assert snapshot_of(root).is_file()
    second, notes, full = cached(root)
    assert not full and notes == []
    same_book(second, load_rulebook(root))
    same_book(second, first)


def test_the_snapshot_file_and_folder_are_private(folder: Path) -> None:
    cached(folder / "rules")
    path = snapshot_of(folder / "rules")
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o077 == 0
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


def test_objects_the_loader_shares_stay_shared(folder: Path) -> None:
    cached(folder / "rules")
    book, _, full = cached(folder / "rules")
    assert not full
    rule = book.rules[0]
    assert rule.where is book.where[("rule", rule.id)]


def test_file_names_follow_the_current_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)
    cached(Path("rules"))
    (folder / "elsewhere").mkdir()
    monkeypatch.chdir(folder / "elsewhere")
    book, _, full = cached(Path("../rules"))
    assert not full
    assert book.where == load_rulebook(Path("../rules")).where
    assert next(iter(book.where.values())).path.startswith("../rules/")


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_every_shipped_profile_gets_the_same_report_from_a_snapshot(folder: Path, fmt: str) -> None:
    fresh = load_rulebook(folder / "rules")
    cached(folder / "rules")
    rebuilt, _, full = cached(folder / "rules")
    assert not full
    for path in PROFILES:
        profile = load_answers(path, fresh).profile
        for details in (False, True):
            assert render(recommend(rebuilt, profile), rebuilt, fmt, details) == \
                render(recommend(fresh, profile), fresh, fmt, details), path.name


@pytest.fixture(scope="module")
def both_books(tmp_path_factory: pytest.TempPathFactory) -> tuple[RuleBook, RuleBook]:
    root = ROOT / "rules"
    fresh = load_rulebook(root)
    header: list[Any] = ["test", FORMAT]
    return fresh, loads(dumps(fresh, header), root, header)


@given(data=st.data())
def test_random_profiles_get_the_same_report_from_a_snapshot(both_books: tuple[RuleBook, RuleBook],
                                                             data: st.DataObject) -> None:
    fresh, rebuilt = both_books
    profile = profile_from(fresh, data.draw(raw_answers(fresh)))
    fmt = data.draw(st.sampled_from(["text", "markdown", "json"]))
    assert render(recommend(rebuilt, profile), rebuilt, fmt) == render(recommend(fresh, profile), fresh, fmt)


# ------------------------------------------------------------------ never trusted when anything is off
def test_an_edited_rule_file_is_a_different_book(folder: Path) -> None:
    root = folder / "rules"
    cached(root)
    old = snapshot_of(root)
    path = next((root / "rules").glob("*.yaml"))
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert snapshot_of(root) != old
    _, notes, full = cached(root)
    assert full and notes == []


def test_every_file_under_the_folder_is_part_of_the_key(folder: Path) -> None:
    root = folder / "rules"
    before = book_key(root, "en")
    (root / "rules" / "locales").mkdir()
    (root / "rules" / "locales" / "es.yaml").write_text("texts: {}\n", encoding="utf-8")
    assert book_key(root, "en") != before
    assert book_key(root, "es") != book_key(root, "en")


def test_a_folder_with_a_named_pipe_is_never_cached(folder: Path) -> None:
    root = folder / "rules"
    os.mkfifo(root / "pipe.yaml")
    assert book_key(root, "en") is None


def test_a_corrupt_snapshot_is_ignored_and_rebuilt(folder: Path) -> None:
    root = folder / "rules"
    cached(root)
    path = snapshot_of(root)
    path.write_bytes(path.read_bytes()[:1000])
    book, notes, full = cached(root)
    assert full and notes == [f"snapshot: ignored {path}: unreadable: JSONDecodeError"]
    same_book(book, load_rulebook(root))
    assert not cached(root)[2]  # rebuilt: the next load is warm again


def edit(path: Path, change: Any) -> None:
    """Rewrite a snapshot's JSON through `change`, keeping the file's mode."""
    doc = json.loads(path.read_bytes())
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")


def nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from nodes(v)
    elif isinstance(value, list):
        for v in value:
            yield from nodes(v)


def first_node(doc: Any, cls: str) -> dict[str, Any]:
    return next(n for n in nodes(doc) if n.get("$c") == cls)


@pytest.mark.parametrize("change, why", [
    (lambda doc: doc.__setitem__(2, "0.0.0-other"), "made for another format, version or set of files"),
    (lambda doc: doc.__setitem__(1, FORMAT + 1), "made for another format, version or set of files"),
    (lambda doc: doc.__setitem__(4, "0" * 64), "made for another format, version or set of files"),
    (lambda doc: first_node(doc, "Template").__setitem__("$c", "Path"),
     "names a class that is not allowed: 'Path'"),
    (lambda doc: first_node(doc, "Template").__setitem__("$c", "posix.system"),
     "names a class that is not allowed: 'posix.system'"),
    (lambda doc: first_node(doc, "Template").__setitem__("$c", "_Loader"),
     "names a class that is not allowed: '_Loader'"),
    (lambda doc: first_node(doc, "Template").__setitem__("$c", "Where"),
     "names a class that is not allowed: 'Where'"),
    (lambda doc: first_node(doc, "Template").__setitem__("$c", "CompiledFact"),
     "fields of CompiledFact do not match the class"),
    (lambda doc: first_node(doc, "Rule").__setitem__("extra", 1), "fields of Rule do not match the class"),
    (lambda doc: first_node(doc, "Template").__setitem__("extra", 1), "fields of Template do not match the class"),
    (lambda doc: first_node(doc, "Rule").pop("because"), "fields of Rule do not match the class"),
    (lambda doc: first_node(doc, "Rule").__setitem__("$u", ["nonsense"]), "fields of Rule do not match the class"),
    (lambda doc: first_node(doc, "Rule").__setitem__("points", {"plain": "object"}),
     "an unknown snapshot node 'plain'"),
    (lambda doc: first_node(doc, "Rule").__setitem__("points", {"$r": 10**9}), "an unknown snapshot node '$r'"),
    (lambda doc: doc.__setitem__(5, {"$t": []}), "not a rule book"),
])
def test_an_edited_snapshot_is_refused_and_rebuilt(folder: Path, change: Any, why: str) -> None:
    root = folder / "rules"
    cached(root)
    path = snapshot_of(root)
    edit(path, change)
    book, notes, full = cached(root)
    assert full and notes == [f"snapshot: ignored {path}: {why}"]
    same_book(book, load_rulebook(root))
    assert json.loads(path.read_bytes())[2] != "0.0.0-other"  # written afresh


def test_a_snapshot_from_other_files_is_refused(folder: Path) -> None:
    root = folder / "rules"
    cached(root)
    other = folder / "other"
    shutil.copytree(root, other)
    (other / "questionnaire.yaml").write_text((root / "questionnaire.yaml").read_text(encoding="utf-8")
                                              + "\n# another book\n", encoding="utf-8")
    shutil.copy(snapshot_of(root), snapshot_of(other))
    _, notes, full = cached(other)
    assert full and notes == [f"snapshot: ignored {snapshot_of(other)}: "
                              "made for another format, version or set of files"]


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_a_snapshot_others_may_write_is_refused(folder: Path, mode: int) -> None:
    root = folder / "rules"
    cached(root)
    path = snapshot_of(root)
    path.chmod(mode)
    _, notes, full = cached(root)
    assert full and notes == [f"snapshot: ignored {path}: owned by another user or writable by others"]


def test_a_cache_folder_others_may_write_is_neither_read_nor_written(folder: Path) -> None:
    root = folder / "rules"
    cached(root)
    path = snapshot_of(root)
    path.parent.chmod(0o777)
    try:
        _, notes, full = cached(root)
    finally:
        path.parent.chmod(0o700)
    assert full and notes == [f"snapshot: ignored {path.parent}: owned by another user or writable by others",
                              f"snapshot: not written: {path.parent} is owned by another user or writable by others"]


def test_a_snapshot_owned_by_someone_else_is_refused(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = folder / "rules"
    cached(root)
    path = snapshot_of(root)
    real = os.geteuid()
    monkeypatch.setattr(cache.os, "geteuid", lambda: real + 1)
    _, notes, full = cached(root)
    assert full and notes[0] == f"snapshot: ignored {path.parent}: owned by another user or writable by others"


def test_a_link_in_place_of_the_snapshot_is_refused(folder: Path) -> None:
    root = folder / "rules"
    cached(root)
    path = snapshot_of(root)
    path.rename(folder / "elsewhere.json")
    path.symlink_to(folder / "elsewhere.json")
    _, notes, full = cached(root)
    assert full and notes == [f"snapshot: ignored {path}: cannot be opened (a link, or not readable)"]


def test_no_cache_when_turned_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOMMENDER_NO_CACHE", "1")
    root = folder / "rules"
    for _ in range(2):
        _, notes, full = cached(root)
        assert full and notes == []
    assert not (folder / "cache").exists()


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("RECOMMENDER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "medadmin-recommender"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / ".cache" / "medadmin-recommender"


def test_a_broken_book_reports_its_problems_as_a_full_load_does(folder: Path) -> None:
    root = folder / "rules"
    (root / "facts.yaml").write_text("facts: [\n", encoding="utf-8")
    with pytest.raises(Exception) as cached_error:
        load_cached(root)
    with pytest.raises(Exception) as full_error:
        load_rulebook(root)
    assert str(cached_error.value) == str(full_error.value)
    assert not (folder / "cache").exists() or list((folder / "cache").iterdir()) == []


# ------------------------------------------------------------------ writing refuses what it cannot express
def test_only_allowed_classes_are_written(book: RuleBook) -> None:
    assert all(cls.__module__.startswith("recommender.book.") for cls in ALLOWED.values())
    odd = RuleBook(root=book.root, questions=book.questions, question_info=book.question_info, ask_if=book.ask_if,
                   facts=book.facts, items=book.items, routes=book.routes, provisional=book.provisional,
                   rules=book.rules, sources=book.sources, market=(object(),), where={})  # type: ignore[arg-type]
    with pytest.raises(SnapshotError, match="builtins.object is not allowed"):
        dumps(odd, [])


def test_a_file_outside_the_book_is_not_written(book: RuleBook) -> None:
    odd = RuleBook(root=book.root, questions=(), question_info={}, ask_if={}, facts={}, items={}, routes={},
                   provisional={}, rules=(), sources={}, market=(), where={("x", "y"): Where("/etc/passwd", 1)})
    with pytest.raises(SnapshotError, match="a file outside the book's folder"):
        dumps(odd, [])


# ------------------------------------------------------------------ the snapshot built into the wheel
def test_the_wheels_snapshot_is_used_for_the_book_it_was_built_from(folder: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = folder / "rules"
    shipped, shipped_es = cache.write_shipped(root, folder / "_snapshot")
    monkeypatch.setattr(cache, "_shipped", lambda _folder, name: folder / "_snapshot" / name)
    book, notes, full = cached(root)
    assert not full and notes == []
    same_book(book, load_rulebook(root))
    spanish = cache.load_cached(root, lang="es", note=notes.append)
    assert notes == [] and spanish.lang == "es" and shipped_es.name != shipped.name
    same_book(spanish, load_rulebook(root, lang="es"))
    assert not (folder / "cache").exists()  # nothing to write: the wheel's snapshot served


def test_a_wheels_snapshot_others_may_write_is_refused(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = folder / "rules"
    shipped = cache.write_shipped(root, folder / "_snapshot")[0]
    shipped.chmod(0o666)
    monkeypatch.setattr(cache, "_shipped", lambda _folder, _name: shipped)
    _, notes, full = cached(root)
    assert full and notes == [f"snapshot: ignored {shipped}: owned by another user or writable by others"]


def test_rules_check_always_loads_in_full(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from recommender.cli import main

    def refuse(*_args: object, **_kwargs: object) -> RuleBook:
        raise AssertionError("rules check must not read a snapshot")

    monkeypatch.setattr(cache, "load_cached", refuse)
    assert main(["rules", "check", "--rules", str(ROOT / "rules")]) == 0
    assert main(["rules", "test", "--rules", str(ROOT / "rules")]) == 0
    capsys.readouterr()
