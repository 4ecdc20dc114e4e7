"""YAML syntax mistakes read as plain words, with the offending line and a caret under the column."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from recommender.book import yamlio
from recommender.book.yamlio import YamlProblem, load_text
from recommender.book.yamlsyntax import excerpt
from recommender.cli import main
from tests.conftest import ROOT

PARSERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


@pytest.fixture(params=PARSERS, ids=lambda p: p.__name__)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml and the pure-Python parser word their errors differently; the advisor's words must not differ."""
    monkeypatch.setattr(yamlio, "_Loader", request.param)


def shown(text: str) -> list[str]:
    with pytest.raises(YamlProblem) as info:
        load_text(text, "rules/rules/x.yaml")
    return info.value.problem.shown()


RULE = "rules:\n  - id: a\n    description: d\n"


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize("text, expected", [
    pytest.param(RULE + "     because: y\n", [
        "rules/rules/x.yaml:4: this key is indented differently from the one above it (line 3); "
        "keys of one mapping must line up",
        "     4 |      because: y",
        "       |      ^"], id="key-indented-deeper"),
    pytest.param(RULE + "   because: y\n", [
        "rules/rules/x.yaml:4: this key is indented differently from the one above it (line 3); "
        "keys of one mapping must line up",
        "     4 |    because: y",
        "       |    ^"], id="key-indented-less"),
    pytest.param(RULE + "\twhen: x\n", [
        "rules/rules/x.yaml:4: this line is indented with a tab; YAML needs spaces: replace the tab with spaces",
        "     4 | \\twhen: x",
        "       | ^"], id="tab"),
    pytest.param(RULE + "    when x\n    because: y\n", [
        "rules/rules/x.yaml:4: this line has no ':' after its key: write it as 'key: value'",
        "     4 |     when x",
        "       |     ^"], id="missing-colon"),
    pytest.param("rules\n  - id: a\n", [
        "rules/rules/x.yaml:1: this line has no ':' after its key: write it as 'key: value'",
        "     1 | rules",
        "       | ^"], id="missing-colon-before-a-list"),
    pytest.param(RULE + '    because: "You like {interests}\n    when: x\n', [
        'rules/rules/x.yaml:4: this quote (") is never closed: end the text with a matching "',
        '     4 |     because: "You like {interests}',
        "       |              ^"], id="unclosed-quote"),
    pytest.param(RULE + "    exclude: [CPC, CMA\n    when: x\n", [
        "rules/rules/x.yaml:4: this '[' is never closed: add the matching ']' after the last value",
        "     4 |     exclude: [CPC, CMA",
        "       |              ^"], id="unclosed-bracket"),
    pytest.param(RULE + "    when: {fact: has_diploma\n    because: y\n", [
        "rules/rules/x.yaml:4: this '{' is never closed: add the matching '}' after the last value",
        "     4 |     when: {fact: has_diploma",
        "       |           ^"], id="unclosed-brace"),
    pytest.param(RULE + "   - id: b\n", [
        "rules/rules/x.yaml:4: this list item is indented differently from the one above it (line 2); "
        "items of one list must line up",
        "     4 |    - id: b",
        "       |    ^"], id="list-item-too-deep"),
    pytest.param(RULE + " - id: b\n", [
        "rules/rules/x.yaml:4: this list item is indented differently from the one above it (line 2); "
        "items of one list must line up",
        "     4 |  - id: b",
        "       |  ^"], id="list-item-too-shallow"),
    pytest.param("when:\n  all:\n    - {fact: a}\n   - {fact: b}\n", [
        "rules/rules/x.yaml:4: this list item is indented differently from the one above it (line 3); "
        "items of one list must line up",
        "     4 |    - {fact: b}",
        "       |    ^"], id="condition-list-item"),
    pytest.param("answers:\n  goals: [nursing, leadership\n", [
        "rules/rules/x.yaml:2: this '[' is never closed: add the matching ']' after the last value",
        "     2 |   goals: [nursing, leadership",
        "       |          ^"], id="unclosed-bracket-at-the-end"),
    pytest.param("a: [\n", [
        "rules/rules/x.yaml:1: this '[' is never closed: add the matching ']' after the last value",
        "     1 | a: [",
        "       |    ^"], id="empty-unclosed-bracket"),
])
def test_each_common_mistake_has_plain_words_and_a_caret(text: str, expected: list[str]) -> None:
    assert shown(text) == expected


@pytest.mark.usefixtures("parser")
def test_other_syntax_errors_keep_the_parsers_words_with_a_caret() -> None:
    first, *rest = shown("a: 1\nb: *nope\n")
    assert first.startswith("rules/rules/x.yaml:2: not valid YAML: found undefined alias")  # libyaml adds the name
    assert rest == ["     2 | b: *nope", "       |    ^"]


def test_the_excerpt_escapes_what_a_terminal_would_obey() -> None:
    assert excerpt(3, "a: \x1b[31mred", 3) == ("     3 | a: \\x1b[31mred", "       |    ^")


def test_a_long_line_is_cut_around_the_caret() -> None:
    line, caret = excerpt(1, "x" * 300 + "!" + "y" * 300, 300)
    assert len(line) < 120 and line[caret.index("^")] == "!"


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="only libyaml refuses this escape")
def test_a_bad_escape_inside_quotes_is_not_called_an_unclosed_quote(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression (found by the fuzz test): any error inside a quoted text was called an unclosed quote."""
    monkeypatch.setattr(yamlio, "_Loader", yaml.CSafeLoader)
    first, *rest = shown('{"answers": {"\\ud800\\udc00": null}}\n')
    assert first.startswith("rules/rules/x.yaml:1: not valid YAML: ") and "never closed" not in first
    assert rest[0] == '     1 | {"answers": {"\\ud800\\udc00": null}}'


def test_rules_check_shows_the_caret_in_text_and_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules" / "rules" / "zz.yaml").write_text("rules:\n  - id: a\n\t description: tab\n")
    assert main(["rules", "check", "--rules", "rules"]) == 1
    assert capsys.readouterr().out.splitlines()[:3] == [
        "rules/rules/zz.yaml:3: this line is indented with a tab; YAML needs spaces: replace the tab with spaces",
        "     3 | \\t description: tab",
        "       | ^"]
    assert main(["rules", "check", "--rules", "rules", "--format", "json"]) == 1
    (error,) = json.loads(capsys.readouterr().out)["errors"]
    assert error["excerpt"] == ["     3 | \\t description: tab", "       | ^"] and error["code"] is None


BROKEN_FILES = sorted(p for folder in ("tests/hostile", "tests/fixtures") for p in (ROOT / folder).rglob("*")
                      if p.is_file())


def read_with(loader: type, path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    """What loading `path` gives with `loader`: its problem as shown, or its data and lines."""
    monkeypatch.setattr(yamlio, "_Loader", loader)
    try:
        doc = yamlio.load_file(path, path.name)
    except YamlProblem as exc:
        return exc.problem.shown()
    return doc.data, doc.lines


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="needs libyaml to compare with")
@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.name)
def test_libyaml_and_the_pure_python_parser_read_every_test_file_alike(path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert read_with(yaml.CSafeLoader, path, monkeypatch) == read_with(yaml.SafeLoader, path, monkeypatch)


def test_the_broken_files_include_parser_errors_that_libyaml_words_differently() -> None:
    """The comparison above means something only if some files stop either parser."""
    assert {"bad_rows.jsonl", "tabs.yaml", "binary.yaml"} <= {p.name for p in BROKEN_FILES}


SURROGATE = ("rules/rules/x.yaml:1: not valid YAML: the escape \\ud800 is half of a UTF-16 surrogate pair, not a "
             "character; write the character itself, or its \\U escape with eight digits")


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize("text, expected", [
    pytest.param('a: "\\x"\n', [
        "rules/rules/x.yaml:1: not valid YAML: expected escape sequence of 2 hexadecimal numbers, but found '\"'",
        '     1 | a: "\\x"',
        "       |       ^"], id="bad-escape"),
    pytest.param('a: "\\ud800"\n', [SURROGATE, '     1 | a: "\\ud800"', "       |    ^"], id="surrogate"),
    pytest.param('{"answers": {"\\ud800\\udc00": null}}\n', [
        SURROGATE, '     1 | {"answers": {"\\ud800\\udc00": null}}', "       |              ^"], id="surrogate-pair"),
    pytest.param('{"a": 1}\n{"b": 2}\n', [
        "rules/rules/x.yaml:2: not valid YAML: expected '<document start>', but found '{'",
        '     2 | {"b": 2}',
        "       | ^"], id="json-lines"),
])
def test_errors_libyaml_words_its_own_way_read_the_same_with_either_parser(text: str, expected: list[str]) -> None:
    """libyaml's own words for these differ, and it refuses surrogates the pure-Python parser reads:
    its errors are re-read by the pure-Python parser, and surrogates are refused by both."""
    assert shown(text) == expected


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="needs libyaml")
def test_libyaml_reads_files_when_it_is_installed() -> None:
    assert yamlio._Loader is yaml.CSafeLoader
