"""JSON text through orjson (the `fast` extra) or the standard library: the same bytes either way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.cli import main
from recommender.render import jsontext
from tests.conftest import PROFILES
from tests.strategies import json_data

orjson = pytest.importorskip("orjson")


def standard_pretty(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def standard_compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@given(json_data())
def test_both_encoders_write_the_same_text(data: Any) -> None:
    assert jsontext.pretty(data) == standard_pretty(data)
    assert jsontext.compact(data) == standard_compact(data)


@pytest.mark.parametrize("value", [1e-5, 1e16, float("nan"), float("inf"), 2**64, "\ud800", {1: "a"}, {True: 1}])
def test_what_orjson_writes_differently_goes_to_the_standard_library(value: Any) -> None:
    data = {"x": [value]}
    assert jsontext.pretty(data) == standard_pretty(data)
    assert jsontext.compact(data) == standard_compact(data)


@pytest.mark.parametrize("value", [0.0001, 0.5, 1.0, -0.0, 9999999999999998.0, 1e15, 0.1 + 0.2, 2**63 - 1, "é\u2028\x00\x1f\""])
def test_orjson_writes_what_it_writes_exactly(value: Any) -> None:
    data = {"x": [value, (1, {"y": None, "z": True}), {}, []]}
    assert jsontext._plain(data)
    assert jsontext.pretty(data) == orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() == standard_pretty(data)
    assert jsontext.compact(data) == orjson.dumps(data).decode() == standard_compact(data)


def test_an_unknown_type_is_left_to_the_standard_library() -> None:
    class Text(str):
        pass

    assert not jsontext._plain({"x": Text("a")})
    assert jsontext.compact({"x": Text("a")}) == '{"x":"a"}'
    with pytest.raises(TypeError):  # json's refusal, not orjson's dataclass support
        jsontext.compact({"x": Path("a")})


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().out


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.stem)
def test_every_shipped_profile_reads_the_same_without_orjson(profile: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    fast = run(["recommend", str(profile), "--format", "json"], capsys)
    monkeypatch.setattr(jsontext, "_orjson", None)
    assert run(["recommend", str(profile), "--format", "json"], capsys) == fast
    assert fast[1].startswith("{\n  ")


def test_batch_json_lines_read_the_same_without_orjson(capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["batch", *map(str, PROFILES)]
    fast = run(args, capsys)
    monkeypatch.setattr(jsontext, "_orjson", None)
    assert run(args, capsys) == fast
    assert len(fast[1].splitlines()) == len(PROFILES)


# ------------------------------------------------------------------ encoded parts, spliced in
def _encode_parts(data: Any, every: int, seen: list[int]) -> Any:
    """`data` with every `every`-th value (counted depth first) replaced by its Encoded text."""
    seen[0] += 1
    if seen[0] % every == 0:
        return jsontext.encoded(data)
    if isinstance(data, dict):
        return {k: _encode_parts(v, every, seen) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return type(data)(_encode_parts(v, every, seen) for v in data)
    return data


@given(json_data(), st.integers(1, 5))
def test_encoded_parts_read_as_if_written_in_place(data: Any, every: int) -> None:
    spliced = _encode_parts(data, every, [0])
    assert jsontext.compact(spliced) == standard_compact(data)


@given(json_data(), st.integers(1, 5))
def test_encoded_parts_read_the_same_without_orjson(data: Any, every: int) -> None:
    spliced = _encode_parts(data, every, [0])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsontext, "_orjson", None)
        assert jsontext.compact(spliced) == standard_compact(data)
        made_without = _encode_parts(data, every, [0])  # no orjson.Fragment inside: the text is spliced by hand
    assert jsontext.compact(made_without) == standard_compact(data)


@pytest.mark.parametrize("neighbour", [1e-5, float("nan"), 2**64, "\ud800", {1: "a"}, {None: 0.5, 2.5: True}])
def test_a_part_beside_what_orjson_cannot_write_is_spliced_by_hand(neighbour: Any) -> None:
    part = {"text": "é \"quoted\"", "sources": ["a", "b"], "n": 0.5}
    data = {"x": [neighbour, jsontext.encoded(part)], "y": jsontext.encoded([part])}
    assert jsontext.compact(data) == standard_compact({"x": [neighbour, part], "y": [part]})


def test_orjson_splices_an_encoded_part_as_a_fragment() -> None:
    part = jsontext.encoded({"a": [1, "é"]})
    assert part.fragment is not None and jsontext._plain({"x": part})
    assert jsontext.compact({"x": part}) == '{"x":{"a":[1,"é"]}}'


def test_pretty_text_never_splices_compact_parts() -> None:
    assert not jsontext._plain({"x": jsontext.encoded([1])}, spliced=False)
    with pytest.raises(TypeError, match="Encoded is not JSON serializable"):
        jsontext.pretty({"x": jsontext.encoded([1])})


def test_an_object_json_cannot_write_is_refused_as_before_beside_a_part() -> None:
    with pytest.raises(TypeError, match="Object of type PosixPath is not JSON serializable"):
        jsontext.compact({"x": jsontext.encoded([1]), "y": Path("a")})
