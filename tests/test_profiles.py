"""Every example person in profiles/ gets the advice its expect block describes."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender.advisor.expectations import check, parse_expectation
from recommender.book.answers import load_answers
from recommender.book.rulebook import RuleBook
from recommender.engine.recommend import recommend
from tests.conftest import PROFILES


def test_there_are_enough_profiles() -> None:
    assert len(PROFILES) >= 10


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_profile_meets_its_expectations(book: RuleBook, path: Path) -> None:
    answers = load_answers(path, book)
    assert answers.expect, f"{path.name} has no expect block"
    expectation, problems = parse_expectation(answers.expect, answers.doc, book)  # type: ignore[arg-type]
    assert problems == []
    assert expectation is not None
    assert check(expectation, recommend(book, answers.profile)) == []


def test_a_failing_expectation_says_expected_and_got(book: RuleBook) -> None:
    answers = load_answers(PROFILES[0], book)
    exp, _ = parse_expectation({"top": ["CPC"], "fires": ["coding-interest"], "status": {"CMAA": "ready"}},
                               answers.doc, book)  # type: ignore[arg-type]
    assert exp is not None
    assert check(exp, recommend(book, answers.profile)) == [
        "top: expected CPC first, got CMAA",
        "status: expected CMAA to be ready, got after_prerequisites",
        "fires: expected rule 'coding-interest' to fire, got it silent",
    ]
