from __future__ import annotations

import operator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.book.slots import Choice, Includes, Number, bitmap, bound, positions

COMPARE = {"gte": operator.ge, "gt": operator.gt, "lte": operator.le, "lt": operator.lt}
numbers = st.integers(-5, 15) | st.floats(-5, 15, allow_nan=False) | st.booleans()


# ------------------------------------------------------------------ bitmaps
@given(st.sets(st.integers(0, 300)))
def test_positions_read_back_a_bitmap_in_order(found: set[int]) -> None:
    assert positions(bitmap(found, 301)) == sorted(found)


def test_an_empty_bitmap_has_no_positions() -> None:
    assert positions(0) == []
    assert bitmap([], 10) == 0


def test_bit_i_is_rule_i() -> None:
    assert bitmap([0, 3, 9], 10) == 0b1000001001


# ------------------------------------------------------------------ bounds
@given(op=st.sampled_from(sorted(COMPARE)), thresholds=st.lists(numbers, min_size=1, max_size=8), answer=numbers)
def test_a_bound_holds_for_exactly_the_rules_whose_comparison_holds(op: str, thresholds: list[Any],
                                                                    answer: Any) -> None:
    by_threshold: dict[Any, int] = {}
    for rule, t in enumerate(thresholds):  # rule i compares the answer with thresholds[i]
        by_threshold[t] = by_threshold.get(t, 0) | 1 << rule
    b = bound(op, by_threshold)

    found = b.cumulative[b.find(b.thresholds, answer)]

    assert positions(found) == [rule for rule, t in enumerate(thresholds) if COMPARE[op](answer, t)]


# ------------------------------------------------------------------ masks
def test_a_choice_knows_only_the_answers_it_was_built_for() -> None:
    choice = Choice("education", 0b10, {"associate": 0b11, None: 0b01})

    assert choice.mask("associate") == 0b11
    assert choice.mask(None) == 0b01
    assert choice.mask("doctorate") is None
    assert choice.mask(["associate"]) is None  # unhashable


def test_includes_reads_anything_but_a_list_as_no_choice() -> None:
    includes = Includes("interests", 0b110, 0b001, {"dental": 0b010, "billing": 0b100})

    assert includes.mask(["dental", "billing"]) == 0b111
    assert includes.mask(("billing", "unknown")) == 0b101
    assert includes.mask("dental") == 0b001
    assert includes.mask(None) == 0b001
    assert includes.mask([["dental"]]) is None


@pytest.mark.parametrize(("answer", "expected"), [
    (None, 0b001), (1, 0b011), (2, 0b111), (2.0, 0b111), (True, 0b011), (float("nan"), None), ("2", None)])
def test_a_number_needs_a_number(answer: Any, expected: int | None) -> None:
    number = Number("experience_years", 0b110, 0b001, (bound("gte", {1: 0b010}),), {2: 0b100})

    assert number.mask(answer) == expected
