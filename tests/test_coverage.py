"""Coverage: per rule and per item, the profiles reached; rules no profile fires, with answers that would."""

from __future__ import annotations

import json

import pytest

from recommender.advisor.coverage import (
    Coverage,
    coverage_json,
    coverage_text,
    flow,
    measure,
)
from recommender.book.answers import load_answers, profile_from
from recommender.book.rulebook import RuleBook
from recommender.engine.recommend import recommend
from tests.conftest import PROFILES


@pytest.fixture(scope="module")
def shipped(book: RuleBook) -> Coverage:
    return measure(book, [(p.stem, load_answers(p, book).profile) for p in PROFILES])


def test_counts_match_the_engine(book: RuleBook, shipped: Coverage) -> None:
    results = {p.stem: recommend(book, load_answers(p, book).profile) for p in PROFILES}
    for rule in shipped.rules:
        assert rule.fired_by == tuple(k for k, r in results.items() if rule.id in r.fired)
    for item in shipped.items:
        assert item.recommended_to == tuple(k for k, r in results.items() if r.get(item.id) is not None)
        assert item.first_for == tuple(k for k, r in results.items() if r.by_kind(item.kind)[:1]
                                       and r.by_kind(item.kind)[0].id == item.id)
    assert [r.id for r in shipped.rules] == [r.id for r in book.rules]
    assert {i.kind for i in shipped.items} == {"certification", "program", "role"}


def test_percent_counts_rules_fired_by_any_profile(shipped: Coverage) -> None:
    fired = sum(1 for r in shipped.rules if r.fired_by)
    assert shipped.percent == pytest.approx(100 * fired / len(shipped.rules))
    assert [r.id for r in shipped.never_fired] == [r.id for r in shipped.rules if not r.fired_by]


def test_a_rule_no_profile_fires_comes_with_answers_that_fire_it(book: RuleBook) -> None:
    cov = measure(book, [])
    assert cov.percent == 0 and len(cov.never_fired) == len(book.rules)
    for rule in cov.never_fired:
        assert rule.example is not None
        assert rule.id in recommend(book, profile_from(book, rule.example)).fired


def test_no_profiles_and_no_rules() -> None:
    assert Coverage((), (), ()).percent == 100.0


def test_text_report(book: RuleBook) -> None:
    profile = load_answers(PROFILES[0], book).profile
    text = coverage_text(measure(book, [("dana", profile)]), fail_under=50)
    fired = recommend(book, profile).fired
    lines = text.splitlines()
    assert lines[0] == f"Rules fired by at least one of 1 profile: {len(fired)} of {len(book.rules)} " \
                       f"({100 * len(fired) / len(book.rules):.1f}%)"
    width = max(len(r.id) for r in book.rules)
    assert f"  {'diploma-first':<{width}}    1  dana" in lines
    assert f"  {'coding-interest':<{width}}    0" in lines
    where = book.where[("rule", "coding-interest")]
    assert f"  {where}: rule 'coding-interest': dana with interests changed fires it: " \
           "profiles/fires_coding-interest.yaml below" in lines
    start = lines.index("# profiles/fires_coding-interest.yaml")
    assert lines[start + 1:start + 5] == [
        "# yaml-language-server: $schema=../schemas/answers.schema.json",
        f"# Fires rule 'coding-interest' ({where}).",
        "# Based on dana (Dana (no diploma yet)); changed: interests.",
        'name: "Dana (no diploma yet), changed to fire coding-interest"']
    assert lines[-1] == f"Rule coverage {100 * len(fired) / len(book.rules):.1f}% is below the required 50%."


def test_json_report(book: RuleBook, shipped: Coverage) -> None:
    data = json.loads(coverage_json(shipped, fail_under=10))
    assert data["ok"] is True and data["fail_under"] == 10
    assert data["profiles"] == [p.stem for p in PROFILES]
    assert data["never_fired"] == [r.id for r in shipped.never_fired]
    first = data["rules"][0]
    assert set(first) == {"id", "where", "fired", "fired_by", "example", "suggestion"}


def test_flow_writes_answers_as_yaml() -> None:
    assert flow({"education": "none", "prefers_online": True, "goals": ["a", "b"], "budget_usd": 5}) == \
        "{education: none, prefers_online: true, goals: [a, b], budget_usd: 5}"
