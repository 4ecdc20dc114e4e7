"""Property: any ordinary corruption of a valid rule file is reported at that file and line, never as a traceback.

Each example takes one shipped rule file, writes it back as plain block YAML with one
corruption - a required key dropped, an id misspelled, a value of the wrong type, or a key
written twice - and runs `recommender rules check` on the book.  Which keys are required
comes from the models, so the property does not lean on the loader it tests.
"""

from __future__ import annotations

import copy
import datetime
import re
import shutil
import typing
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from recommender.advisor import analysis as analysis_module
from recommender.book import conditions as C
from recommender.book import loader as loader_module
from recommender.book.catalog import CatalogFile, MarketFile
from recommender.book.loader import load_rulebook
from recommender.book.model import WordingFile
from recommender.book.reportfile import ReportFile
from recommender.book.rulefile import FactsFile, QuestionnaireFile, RulesFile
from recommender.book.yamlio import Key, load_text
from recommender.cli import main
from tests.conftest import ROOT
from tests.scratch import _cached_load_file

FILES = sorted(p.relative_to(ROOT / "rules").as_posix() for p in (ROOT / "rules").rglob("*.yaml")
               if not p.relative_to(ROOT / "rules").as_posix().startswith("locales/"))
KINDS = ("drop", "misspell", "wrong_type", "duplicate")

# Keys whose values name other objects, and what kind of id they hold.
REFERENCE_KEYS = {"fact", "eligible", "answer", "issuer", "item", "leads_to", "prepares_for", "credentials",
                  "next_roles", "offers", "roles", "settings", "sources", "exclude", "default", *C.OPERATORS}


def model_of(rel: str) -> type[BaseModel]:
    if rel.startswith("catalog/"):
        return CatalogFile
    if rel.startswith("rules/"):
        return RulesFile
    return {"questionnaire.yaml": QuestionnaireFile, "facts.yaml": FactsFile, "market.yaml": MarketFile,
            "report.yaml": ReportFile, "wording.yaml": WordingFile}[rel]


@lru_cache(maxsize=None)
def plain(rel: str) -> Any:
    """The shipped file's data, as block YAML would hold it."""
    return load_text((ROOT / "rules" / rel).read_text(encoding="utf-8"), rel).data


@lru_cache(maxsize=1)
def known_ids() -> frozenset[str]:
    book = load_rulebook(ROOT / "rules")
    ids = set(book.question_info) | set(book.facts) | set(book.items) | set(book.sources) | {r.id for r in book.rules}
    ids |= {o for info in book.question_info.values() for o in info.options}
    return frozenset(ids)


def dump(data: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: the same text, faster
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=10**9, default_flow_style=False)


def walk(data: Any, key: Key = ()) -> Iterator[tuple[Key, Any]]:
    yield key, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from walk(v, key + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from walk(v, key + (i,))


def get(data: Any, key: Key) -> Any:
    for part in key:
        data = data[part]
    return data


def model_at(model: type[BaseModel], key: Key, data: Any) -> type[BaseModel] | None:
    """The model that validates the mapping at `key`, read from the models' field types."""
    here: Any = data
    for part in key:
        here = here[part]
        if isinstance(part, int):
            continue
        info = model.model_fields.get(str(part))
        if info is None:
            return None
        models = _models(info.annotation)
        if len(models) > 1:  # the catalog's item union: pick by kind
            models = [m for m in models if isinstance(here, dict)
                      and typing.get_args(m.model_fields["kind"].annotation) == (here.get("kind"),)]
        if len(models) != 1:
            return None
        model = models[0]
    return model


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(m for m in _models(arg) if m not in found)
    return found


# ---------------------------------------------------------------- the corruptions
Corrupted = tuple[str, int]  # the file's new text, the line an error must name


def drop(rel: str, data: Any, pick: int) -> Corrupted | None:
    model = model_of(rel)
    spots = [(key, name) for key, value in walk(data) if isinstance(value, dict)
             for name in value if (m := model_at(model, key, data)) is not None
             and name in m.model_fields and m.model_fields[name].is_required()]
    if not spots:
        return None
    key, name = spots[pick % len(spots)]
    del get(data, key)[name]
    text = dump(data)
    return text, load_text(text, rel).line(key)


def misspell(rel: str, data: Any, pick: int) -> Corrupted | None:
    spots: list[tuple[Key, str]] = []
    for key, value in walk(data):
        names = [k for k in key if isinstance(k, str)]
        if not names or not isinstance(value, str) or value not in known_ids():
            continue
        if names[-1] in REFERENCE_KEYS and (names[-1] != "default" or rel == "questionnaire.yaml"):
            spots.append((key, "value"))
    for key, value in walk(data):
        if key[-1:] == ("points",) and isinstance(value, dict):
            spots.extend((key + (item,), "key") for item in value)
    if not spots:
        return None
    key, where = spots[pick % len(spots)]
    original = key[-1] if where == "key" else get(data, key)
    wrong = next((w for w in typos(str(original), pick) if w not in known_ids()), None)
    if wrong is None:
        return None
    parent = get(data, key[:-1])
    if where == "key":
        items = list(parent.items())
        parent.clear()
        parent.update((wrong if k == original else k, v) for k, v in items)
        key = key[:-1] + (wrong,)
    else:
        parent[key[-1]] = wrong
    text = dump(data)
    return text, load_text(text, rel).line(key)


def typos(word: str, pick: int) -> Iterator[str]:
    """Ordinary slips of the keyboard: a letter dropped, doubled or two swapped."""
    n = len(word)
    at = pick % n
    for i in [at] + list(range(n)):
        yield word[:i] + word[i + 1:]
        yield word[:i] + word[i] + word[i:]
        if i + 1 < n and word[i] != word[i + 1]:
            yield word[:i] + word[i + 1] + word[i] + word[i + 2:]


def wrong_type(rel: str, data: Any, pick: int) -> Corrupted | None:
    spots = [key for key, value in walk(data) if len(key) >= 2 and value is not None
             and not isinstance(value, (dict, list))]
    if not spots:
        return None
    key = spots[pick % len(spots)]
    value = get(data, key)
    get(data, key[:-1])[key[-1]] = 12345 if isinstance(value, (str, datetime.date)) else "abc"
    text = dump(data)
    return text, load_text(text, rel).line(key)


_KEY_LINE = re.compile(r"^(\s*)(- )?([A-Za-z_][\w-]*): (\S.*)$")


def duplicate(rel: str, data: Any, pick: int) -> Corrupted | None:
    lines = dump(data).splitlines()

    def column(line: str) -> int:
        m = _KEY_LINE.match(line)
        return len(m.group(1)) + (2 if m.group(2) else 0) if m else len(line) - len(line.lstrip())

    spots = [i for i, line in enumerate(lines) if _KEY_LINE.match(line)
             and (i + 1 == len(lines) or len(lines[i + 1]) - len(lines[i + 1].lstrip()) <= column(line))]
    if not spots:
        return None  # a file of plain lists has no key to repeat
    i = spots[pick % len(spots)]
    m = _KEY_LINE.match(lines[i])
    assert m is not None
    lines.insert(i + 1, " " * column(lines[i]) + f"{m.group(3)}: {m.group(4)}")
    return "\n".join(lines) + "\n", i + 2


CORRUPT = {"drop": drop, "misspell": misspell, "wrong_type": wrong_type, "duplicate": duplicate}


# ---------------------------------------------------------------- the property
@pytest.fixture(scope="module")
def book_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("corruption")
    shutil.copytree(ROOT / "rules", home / "rules")
    return home


@settings(max_examples=max(20, settings.default.max_examples // 2),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rel=st.sampled_from(FILES), kind=st.sampled_from(KINDS), pick=st.integers(0, 10**6))
def test_a_corrupted_rule_file_is_reported_at_its_line(book_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str], rel: str, kind: str,
                                                       pick: int) -> None:
    corrupted = CORRUPT[kind](rel, copy.deepcopy(plain(rel)), pick)
    assume(corrupted is not None)
    assert corrupted is not None
    text, line = corrupted
    monkeypatch.chdir(book_copy)
    monkeypatch.setattr(loader_module, "load_file", _cached_load_file)
    monkeypatch.setattr(analysis_module, "load_file", _cached_load_file)
    target = book_copy / "rules" / rel
    original = target.read_bytes()
    target.write_text(text, encoding="utf-8")
    try:
        code = main(["rules", "check", "--rules", "rules"])
    finally:
        target.write_bytes(original)
    out, err = capsys.readouterr()
    assert (code, err) == (1, ""), (kind, rel, err)
    assert any(found.startswith(f"rules/{rel}:{line}: ") for found in out.splitlines()), (kind, rel, line, out)


def test_regression_an_unknown_source_in_a_market_fact_alternative_is_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # Found by the property above: the loader checked a market fact's own sources but not those
    # of its `alternatives`, so a misspelled id there loaded silently.
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    monkeypatch.chdir(tmp_path)
    market = tmp_path / "rules" / "market.yaml"
    lines = market.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "alternatives:" in line) + 2
    assert lines[at].strip().startswith("sources: [")
    lines[at] = lines[at].replace("sources: [", "sources: [no-such-source, ")
    market.write_text("".join(lines), encoding="utf-8")
    assert main(["rules", "check", "--rules", "rules"]) == 1
    out = capsys.readouterr().out
    assert any(line.startswith(f"rules/market.yaml:{at + 1}: market fact '") and
               line.endswith("→ alternatives[0].sources[0]: unknown source 'no-such-source'")
               for line in out.splitlines()), out
