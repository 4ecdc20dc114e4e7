"""Safe YAML reading: located problems, hostile input refused, never a traceback."""

from __future__ import annotations

import datetime
import os
import time
from pathlib import Path

import pytest

from recommender.book import yamlio
from recommender.book.yamlio import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_STRING,
    Document,
    YamlProblem,
    load_file,
    load_text,
)

SHOWN = "f.yaml"


def problem(text: str) -> str:
    """The one-line problem that load_text reports for `text`."""
    with pytest.raises(YamlProblem) as info:
        load_text(text, SHOWN)
    return str(info.value.problem)


def file_problem(path: Path, shown: str | None = None) -> str:
    with pytest.raises(YamlProblem) as info:
        load_file(path, shown)
    return str(info.value.problem)


# ---------------------------------------------------------------- what comes out
def test_plain_data_and_line_of_every_node() -> None:
    doc = load_text(
        "# a comment\n"
        "a:\n"
        "  b:\n"
        "    c: 1\n"
        "  d: [x, y]\n"
        "  e:\n"
        "    - f: true\n"
        "      g: ~\n"
        "    - 2.5\n",
        SHOWN,
    )
    assert doc.path == SHOWN
    assert doc.data == {"a": {"b": {"c": 1}, "d": ["x", "y"], "e": [{"f": True, "g": None}, 2.5]}}
    assert doc.lines == {
        (): 2,
        ("a",): 2,
        ("a", "b"): 3,
        ("a", "b", "c"): 4,
        ("a", "d"): 5,
        ("a", "d", 0): 5,
        ("a", "d", 1): 5,
        ("a", "e"): 6,
        ("a", "e", 0): 7,
        ("a", "e", 0, "f"): 7,
        ("a", "e", 0, "g"): 8,
        ("a", "e", 1): 9,
    }


def test_line_of_a_missing_key_is_that_of_its_deepest_present_parent() -> None:
    doc = load_text("a:\n  b:\n    c: 1\n", SHOWN)
    assert doc.line(("a", "b", "nope", 3)) == 2
    assert doc.line(("zzz",)) == 1
    assert doc.line(()) == 1
    assert Document("x", None).line(("a",)) == 1


def test_scalars_are_plain_python_values() -> None:
    doc = load_text("s: text\ni: 3\nf: 1.5\nb: yes\nn: null\nd: 2026-01-31\nt: 2026-01-31T10:00:00\n", SHOWN)
    assert doc.data == {"s": "text", "i": 3, "f": 1.5, "b": True, "n": None,
                        "d": datetime.date(2026, 1, 31), "t": datetime.date(2026, 1, 31)}
    assert type(doc.data["t"]) is datetime.date


def test_json_is_read_too() -> None:
    doc = load_text('{"a": 1, "b": [true, null, "x"], "c": {"d": 2.5}}', SHOWN)
    assert doc.data == {"a": 1, "b": [True, None, "x"], "c": {"d": 2.5}}


def test_json_numbers_with_an_exponent_are_numbers() -> None:
    # JSON (and YAML 1.2) read 1e3 as a number; PyYAML's YAML 1.1 resolver reads it as text.
    doc = load_text('{"a": 1e3, "b": 2.5E-1, "c": -1E+2}', SHOWN)
    assert doc.data == {"a": 1000.0, "b": 0.25, "c": -100.0}


# ---------------------------------------------------------------- duplicates and keys
def test_duplicate_key_names_both_lines() -> None:
    assert problem("a: 1\nb: 2\na: 3\n") == "f.yaml:3: duplicate key 'a' (first on line 1)"


def test_duplicate_nested_key_names_both_lines() -> None:
    assert problem("top:\n  x: 1\n  y: 2\n  x: 3\n") == "f.yaml:4: duplicate key 'x' (first on line 2)"


def test_same_key_in_different_mappings_is_fine() -> None:
    assert load_text("a: {x: 1}\nb: {x: 2}\n", SHOWN).data == {"a": {"x": 1}, "b": {"x": 2}}


def test_merge_keys_are_refused() -> None:
    assert problem("base: &b {x: 1}\nother:\n  <<: *b\n") == (
        "f.yaml:3: keys must be plain words (no lists, mappings or << merges)")


def test_complex_keys_are_refused() -> None:
    assert problem("? [a, b]\n: 1\n") == "f.yaml:1: keys must be plain words (no lists, mappings or << merges)"


# ---------------------------------------------------------------- tags
@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object:os.system {}\n", "!!python/object:os.system"),
        ("a: !!python/object/apply:os.system ['echo hi']\n", "!!python/object/apply:os.system"),
        ("a: !!python/name:os.system\n", "!!python/name:os.system"),
        ("!!python/object:collections.OrderedDict {}\n", "!!python/object:collections.OrderedDict"),
        ("a: !!binary aGVsbG8=\n", "!!binary"),
        ("a: !!set {x}\n", "!!set"),
        ("a: !!omap [x: 1]\n", "!!omap"),
        ("a: !tag text\n", "!tag"),
        ("a: !tag {b: 1}\n", "!tag"),
        ("a: !tag [1]\n", "!tag"),
    ],
)
def test_unsafe_and_custom_tags_are_refused(text: str, tag: str) -> None:
    assert problem(text) == f"f.yaml:1: unsupported tag {tag}; tags are not allowed"


def test_tag_refused_on_its_own_line() -> None:
    assert problem("a: 1\nb:\n  c: !!python/object:os.system {}\n") == (
        "f.yaml:3: unsupported tag !!python/object:os.system; tags are not allowed")


@pytest.mark.parametrize(
    "text", ["a: !!float x\n", "a: !!int x\n", "a: !!bool x\n", "a: !!timestamp x\n"],
)
def test_standard_tag_on_a_wrong_value_is_a_located_problem_not_a_crash(text: str) -> None:
    with pytest.raises(YamlProblem) as info:
        load_text(text, SHOWN)
    assert info.value.problem.path == SHOWN
    assert info.value.problem.line == 1
    assert "'x'" in info.value.problem.message


# ---------------------------------------------------------------- numbers and dates
@pytest.mark.parametrize(
    "value", [".nan", ".NaN", ".inf", ".Inf", "-.inf", "+.inf", "1.0e+309", "-1.0e+309", "!!float 1e999"],
)
def test_non_finite_numbers_are_refused(value: str) -> None:
    shown = value.removeprefix("!!float ")
    assert problem(f"a: 1\nb: {value}\n") == f"f.yaml:2: '{shown}' is not a finite number"


@pytest.mark.parametrize("value", ["1e309", "-1e309", "1E999"])
def test_overflowing_exponent_numbers_are_refused(value: str) -> None:
    # Written as in JSON (no dot, no sign in the exponent): still a number, and infinite.
    assert problem(f"a: {value}\n") == f"f.yaml:1: '{value}' is not a finite number"


def test_largest_number_is_fine_and_one_more_digit_is_out_of_range() -> None:
    assert load_text("a: 999999999999999\nb: -999999999999999.9\n", SHOWN).data == \
        {"a": 999_999_999_999_999, "b": -999999999999999.9}
    for value in ("1000000000000000", "1.0e+15", "-1.0e+308"):
        assert problem(f"a: {value}\n") == \
            f"f.yaml:1: '{value}' is out of range; numbers may have at most 15 digits before the decimal point"


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "2026-01-31T25:00:00"])
def test_impossible_date_is_a_located_problem(value: str) -> None:
    assert problem(f"a: 1\nchecked: {value}\n") == f"f.yaml:2: '{value}' is not a valid date"


def test_huge_integer_is_a_located_problem_not_a_crash() -> None:
    # Python refuses to convert integers of more than 4300 digits.
    with pytest.raises(YamlProblem) as info:
        load_text("a: 1\nb: " + "9" * 5000 + "\n", SHOWN)
    assert (info.value.problem.path, info.value.problem.line) == (SHOWN, 2)


# ---------------------------------------------------------------- bombs and limits
BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)


def test_billion_laughs_is_refused_quickly() -> None:
    start = time.perf_counter()
    message = problem(BILLION_LAUGHS)
    assert time.perf_counter() - start < 5
    assert message == f"f.yaml:1: expands to more than {MAX_NODES:,} values (aliases multiply the data)"


def test_billion_laughs_with_many_aliases_is_refused_before_parsing_ends() -> None:
    text = BILLION_LAUGHS + "j: [" + ",".join(["*i"] * 40) + "]\n"
    start = time.perf_counter()
    message = problem(text)
    assert time.perf_counter() - start < 5
    assert message == f"f.yaml:10: more than {MAX_ALIASES} aliases (*name); expand them by hand"


def test_a_few_aliases_are_fine() -> None:
    doc = load_text("a: &x [1, 2]\nb: *x\n", SHOWN)
    assert doc.data == {"a": [1, 2], "b": [1, 2]}
    assert doc.lines[("b",)] == 2


def test_nesting_at_the_limit_is_fine() -> None:
    # The top mapping is one level; MAX_DEPTH - 1 lists inside it make MAX_DEPTH levels.
    inner = MAX_DEPTH - 1
    doc = load_text("a: " + "[" * inner + "]" * inner + "\n", SHOWN)
    assert doc.data is not None


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    inner = MAX_DEPTH
    text = "x: 1\na: " + "[" * inner + "]" * inner + "\n"
    assert problem(text) == f"f.yaml:2: nesting is deeper than the limit of {MAX_DEPTH} levels"


def test_very_deep_nesting_is_refused_without_recursion_error() -> None:
    assert problem("[" * 10_000 + "]" * 10_000) == f"f.yaml:1: nesting is deeper than the limit of {MAX_DEPTH} levels"


def test_overlong_value_is_refused() -> None:
    assert problem("a: 1\nb: " + "x" * (MAX_STRING + 1) + "\n") == (
        f"f.yaml:2: a value is {MAX_STRING + 1:,} characters; the limit is {MAX_STRING:,}")


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    size = MAX_FILE_BYTES + 3
    assert file_problem(path, "big.yaml") == (
        f"big.yaml: file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")


def test_text_over_the_size_limit_is_refused() -> None:
    assert problem("#" * (MAX_FILE_BYTES + 1)) == f"f.yaml: text is over the limit of {MAX_FILE_BYTES:,} bytes"


# ---------------------------------------------------------------- encoding and syntax
def test_non_utf8_bytes_give_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    assert file_problem(path, "latin1.yaml") == "latin1.yaml:2: byte 11 is not valid UTF-8; save the file as UTF-8"


def test_non_utf8_byte_offset_counts_the_bom(tmp_path: Path) -> None:
    # The offset is a position in the file as saved, BOM included.
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\nb: caf\xe9\n")
    assert file_problem(path, "latin1.yaml") == "latin1.yaml:2: byte 14 is not valid UTF-8; save the file as UTF-8"


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\nb:\n  c: caf\xc3\xa9\n")
    doc = load_file(path, "bom.yaml")
    assert doc.data == {"a": 1, "b": {"c": "café"}}
    assert doc.lines[("b", "c")] == 3


def test_tab_indentation_gets_a_hint() -> None:
    assert problem("a:\n\tb: 1\n") == (
        "f.yaml:2: this line is indented with a tab; YAML needs spaces: replace the tab with spaces")


def test_tab_inside_a_list_gets_a_hint() -> None:
    assert problem("a:\n  - b\n\t- c\n") == (
        "f.yaml:3: this line is indented with a tab; YAML needs spaces: replace the tab with spaces")


def test_syntax_error_without_tab_has_no_hint() -> None:
    assert problem("a: 'unclosed\n") == "f.yaml:1: this quote (') is never closed: end the text with a matching '"


def test_undefined_alias() -> None:
    # The pure-Python parser's words, which name the alias, whether or not libyaml is installed.
    assert problem("a: 1\nb: *nope\n") == "f.yaml:2: not valid YAML: found undefined alias 'nope'"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    assert problem(text) == "f.yaml:1: the file is empty; expected a mapping"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\n---\nb: 2\n", 2),
        ("---\na: 1\n---\nb: 2\n", 3),
        ("a: 1\n...\n---\nb: 2\n", 3),
        ("- 1\n---\n- 2\n", 2),
    ],
)
def test_more_than_one_document(text: str, line: int) -> None:
    assert problem(text) == f"f.yaml:{line}: more than one YAML document (---); keep one per file"


def test_one_document_with_explicit_start_is_fine() -> None:
    assert load_text("---\na: 1\n", SHOWN).data == {"a": 1}


# ---------------------------------------------------------------- files
def test_folder_instead_of_a_file(tmp_path: Path) -> None:
    assert file_problem(tmp_path, "somewhere") == "somewhere: is a folder, expected a file"


def test_missing_file(tmp_path: Path) -> None:
    assert file_problem(tmp_path / "nope.yaml", "nope.yaml") == "nope.yaml: no such file"


def test_shown_path_defaults_to_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    assert file_problem(path) == f"{path}: no such file"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root reads files whatever their permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n")
    path.chmod(0)
    try:
        assert file_problem(path, "secret.yaml") == "secret.yaml: permission denied: cannot read the file"
    finally:
        path.chmod(0o600)


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same message when the operating system refuses the read (works as root too)."""
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n")

    def refuse(path: Path, shown: str, regular_only: bool) -> bytes:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(yamlio, "_read_bounded", refuse)
    assert file_problem(path, "secret.yaml") == "secret.yaml: permission denied: cannot read the file"


def test_other_os_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("a: 1\n")

    def fail(path: Path, shown: str, regular_only: bool) -> bytes:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(yamlio, "_read_bounded", fail)
    assert file_problem(path, "f.yaml") == "f.yaml: cannot read the file: Input/output error"


def test_load_file_reads_a_real_file(tmp_path: Path) -> None:
    path = tmp_path / "ok.yml"
    path.write_text("a:\n  - 1\n  - two\n", encoding="utf-8")
    doc = load_file(path)
    assert doc.path == str(path)
    assert doc.data == {"a": [1, "two"]}
    assert doc.lines[("a", 1)] == 3


def test_position_finds_each_object_by_its_id() -> None:
    doc = load_text("rules:\n- id: a\n- just text\n- {id: 7}\n- id: b\n- id: a\n", SHOWN)
    assert [doc.position("rules", name) for name in ("a", "b")] == [0, 3]
    # Duplicates are reported elsewhere; their problems point at the first, as the list scan did.
    assert doc.position("rules", "missing") == 0
    assert doc.position("rules", "7") == 0  # an id that is not text names nothing
    assert doc.position("other", "a") == 0


def test_position_of_a_section_that_is_not_a_list() -> None:
    assert load_text("rules: {id: a}\n", SHOWN).position("rules", "a") == 0
    assert load_text("- id: a\n", SHOWN).position("rules", "a") == 0
