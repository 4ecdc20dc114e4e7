"""Pydantic errors turned into located, plain-language problems."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from recommender.book.model import Cited, CitedRange, Source
from recommender.book.validation import key_text, known_keys, problems_from
from recommender.book.yamlio import load_text

KEYS = known_keys(Source, Cited, CitedRange)


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ((), ""),
        (("when",), "when"),
        (("when", "all", 1, "fact"), "when.all[1].fact"),
        (("points", "CMAA"), "points.CMAA"),
        (("eligibility", 0, "steps", 2, "item"), "eligibility[0].steps[2].item"),
        ((0, "id"), "[0].id"),
        (("a", 0, 1), "a[0][1]"),
    ],
)
def test_key_text(key: tuple[str | int, ...], text: str) -> None:
    assert key_text(key) == text


def test_known_keys_include_nested_models() -> None:
    assert {"id", "title", "url", "checked", "value", "sources", "confidence", "alternatives", "min", "max"} <= KEYS


def problems(model: type[BaseModel], yaml_text: str, subject: str = "thing") -> list[str]:
    doc = load_text(yaml_text, "t.yaml")
    data: Any = doc.data["it"]
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return sorted(str(p) for p in problems_from(info.value, doc, ("it",), subject, KEYS))


def test_source_messages() -> None:
    assert problems(Source, "it:\n  id: Bad Id\n  title: no\n  url: ftp://x\n  checked: yesterday\n"
                            "  publisher: 3\n  notes: typo\n", "source 'x'") == [
        "t.yaml:2: source 'x' → id: 'Bad Id' is not a valid id or address here "
        "(expected the pattern ^[a-z0-9][a-z0-9_.-]*$)",
        "t.yaml:3: source 'x' → title: expected text, got false "
        "(YAML reads yes/no/on/off as true/false: put the word in quotes)",
        "t.yaml:4: source 'x' → url: 'ftp://x' is not a valid id or address here (expected the pattern ^https?://\\S+$)",
        "t.yaml:5: source 'x' → checked: expected a date such as 2026-01-31, got 'yesterday'",
        "t.yaml:6: source 'x' → publisher: expected text, got 3",
        "t.yaml:7: source 'x' → notes: unknown key 'notes'; did you mean 'note'?",
    ]


def test_missing_key_is_located_at_the_key_holding_its_object() -> None:
    assert problems(Source, "other: 1\nit:\n  id: ok\n  url: https://x\n  checked: 2026-01-01\n") == [
        "t.yaml:2: thing → title: this key is required but missing"
    ]


def test_literal_choice_message() -> None:
    assert problems(Cited, "it:\n  value: x\n  sources: [a]\n  confidence: confirmd\n") == [
        "t.yaml:4: thing → confidence: 'confirmd' is not allowed; did you mean 'confirmed'?; "
        "expected 'confirmed' or 'uncertain'"
    ]


def test_nested_list_message_names_the_index() -> None:
    assert problems(Cited, "it:\n  value: x\n  sources: [a]\n  confidence: confirmed\n  alternatives:\n"
                           "    - value: y\n      sources: [a]\n      confidence: maybe\n") == [
        "t.yaml:8: thing → alternatives[0].confidence: 'maybe' is not allowed; expected 'confirmed' or 'uncertain'"
    ]


def test_model_level_check_is_located_at_the_object() -> None:
    assert problems(CitedRange, "it:\n  min: 5\n  max: 2\n  sources: [a]\n  confidence: confirmed\n") == [
        "t.yaml:1: thing: max (2) is less than min (5)"
    ]


def test_strict_scalars_are_not_coerced() -> None:
    assert problems(CitedRange, "it:\n  min: '5'\n  max: 10\n  sources: [a]\n  confidence: confirmed\n") == [
        "t.yaml:2: thing → min: expected a number, got '5'"
    ]


def test_empty_list_message_is_plain_language() -> None:
    # Not pydantic's "tuple should have at least 1 item after validation, not 0".
    assert problems(Cited, "it:\n  value: x\n  sources: []\n  confidence: confirmed\n") == [
        "t.yaml:3: thing → sources: expected at least 1 item, got 0"
    ]
