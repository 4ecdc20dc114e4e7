"""Coverage suggestions: the nearest shipped profile, changed as little as possible, valid and plausible."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.advisor.coverage import Coverage, measure
from recommender.advisor.nearest import nearest, plausible, profile_text
from recommender.advisor.profiles import run_tests
from recommender.book.answers import Profile, load_answers, profile_from
from recommender.book.rulebook import RuleBook
from recommender.engine.recommend import fired_rules
from tests.conftest import PROFILES
from tests.strategies import raw_answers


@pytest.fixture(scope="module")
def bases(book: RuleBook) -> list[tuple[str, Profile]]:
    return [(p.stem, load_answers(p, book).profile) for p in PROFILES]


@pytest.fixture(scope="module")
def shipped(book: RuleBook, bases: list[tuple[str, Profile]]) -> Coverage:
    return measure(book, bases)


def test_every_never_fired_rule_gets_a_suggestion_from_a_shipped_profile(shipped: Coverage) -> None:
    assert shipped.never_fired
    assert [r.id for r in shipped.never_fired if r.suggestion is None or r.suggestion.based_on is None] == []


def test_each_suggestion_saved_as_a_file_is_a_passing_profile(book: RuleBook, shipped: Coverage,
                                                              tmp_path: Path) -> None:
    files = []
    for r in shipped.never_fired:
        assert r.suggestion is not None
        path = tmp_path / f"{r.id}.yaml"
        path.write_text(profile_text(r.suggestion, r.where), encoding="utf-8")
        files.append(path)
    outcomes = run_tests(book, files)
    assert [o for o in outcomes if not o.passed] == []


def test_suggestions_are_plausible_and_change_only_what_they_name(book: RuleBook, shipped: Coverage,
                                                                   bases: list[tuple[str, Profile]]) -> None:
    by_label = dict(bases)
    for r in shipped.never_fired:
        s = r.suggestion
        assert s is not None and s.based_on is not None
        profile = profile_from(book, s.answers)
        assert plausible(book, profile.answers), r.id
        base = by_label[s.based_on].answers
        assert {q for q in set(base) | set(profile.answers) if base.get(q) != profile.answers.get(q)} == set(s.changed)
        assert 1 <= len(s.changed) <= 3, (r.id, s.changed)


def test_one_changed_answer_is_enough_when_one_is(book: RuleBook, bases: list[tuple[str, Profile]]) -> None:
    rule = next(r for r in book.rules if r.id == "nursing-start")
    s = nearest(book, rule, bases)
    assert s is not None and s.changed == ("goals",)
    assert "nursing" in s.answers["goals"] and s.answers["education"] == by_id(bases, s.based_on)["education"]


def by_id(bases: list[tuple[str, Profile]], label: str | None) -> Mapping[str, Any]:
    return dict(bases)[str(label)].answers


def test_no_diploma_and_a_credential_that_needs_one_is_never_suggested(book: RuleBook,
                                                                       bases: list[tuple[str, Profile]]) -> None:
    """Regression: the suggestion for 'held-ma-credential' was {education: none, certifications: [RMA]}."""
    rule = next(r for r in book.rules if r.id == "held-ma-credential")
    s = nearest(book, rule, bases)
    assert s is not None
    assert not plausible(book, {"education": "none", "certifications": ["RMA"]})
    assert plausible(book, profile_from(book, s.answers).answers)


@given(data=st.data())
def test_any_suggestion_from_any_valid_person_is_valid_plausible_and_fires(book: RuleBook, data: st.DataObject) -> None:
    raw = data.draw(raw_answers(book))
    person = profile_from(book, raw)
    rule = data.draw(st.sampled_from(book.rules))
    s = nearest(book, rule, [("someone", person)])
    if s is None:
        return
    profile = profile_from(book, s.answers)  # raises if the validator refuses them
    assert rule.id in fired_rules(book, profile.answers)
    assert plausible(book, profile.answers)


def test_a_multi_select_whose_every_choice_is_pruned_does_not_crash(book: RuleBook) -> None:
    """Regression (found by the property above): a member of a multi-select left unset was deleted."""
    person = profile_from(book, {
        "education": "none", "experience_years": 50,
        "experience_areas": ["scheduling", "coding", "management", "insurance", "billing", "clinical", "front_desk",
                             "records"],
        "certifications": ["CCA"], "interests": ["dental", "management", "billing_coding", "insurance"],
        "goals": ["leadership", "nursing", "remote_work", "job_security", "specialize"],
        "study_hours_per_week": 16, "budget_usd": 1000000, "prefers_online": False})
    rule = next(r for r in book.rules if r.id == "records-tech-interest")
    s = nearest(book, rule, [("someone", person)])
    assert s is not None and rule.id in fired_rules(book, profile_from(book, s.answers).answers)
