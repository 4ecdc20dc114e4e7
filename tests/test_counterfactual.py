from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.book.answers import profile_from
from recommender.book.rulebook import RuleBook
from recommender.engine.counterfactual import (
    candidates,
    counterfactuals,
    quote,
    unmet_words,
)
from recommender.engine.explain import explain
from recommender.engine.recommend import recommend
from recommender.engine.simulate import ACTIONABLE, PREFERENCES, Simulator
from tests.strategies import raw_answers

# A share of the loaded profile's examples: fast by default, thorough under HYPOTHESIS_PROFILE=thorough.
SOME = max(10, settings.default.max_examples * 2 // 5)

MARCUS = {"education": "high_school", "ma_training": "completed", "ma_training_accredited": False,
          "training_years_ago": 1, "interests": ["clinical_care", "patient_contact"], "goals": ["first_job_fast"],
          "settings": ["outpatient_clinic"], "budget_usd": 500}
LUIS = {"education": "high_school", "interests": ["patient_contact", "scheduling"],
        "goals": ["first_job_fast", "job_security"]}


@pytest.mark.parametrize(("qid", "value", "expected"), [
    ("ma_training_accredited", False, "you answered no to whether your program is accredited by CAAHEP or ABHES"),
    ("education", "high_school", 'you said your highest education is "high-school diploma or GED"'),
    ("experience_years", 0, "you answered 0 for your years of supervised healthcare office work"),
    ("interests", ["billing_coding"], "you listed billing and coding as your interests"),
    ("certifications", [], "you listed nothing for the credentials you hold"),
    ("experience_areas", None, "you were not asked about the areas you have worked in"),
])
def test_answers_are_quoted_as_the_person_gave_them(book: RuleBook, qid: str, value: Any, expected: str) -> None:
    assert quote(book, qid, value) == expected


def test_why_not_quotes_the_answer_that_stands_in_the_way(book: RuleBook) -> None:
    e = explain(book, profile_from(book, MARCUS), "CMA")
    assert (e.verdict, e.status, e.score, e.goal) == ("not recommended", "after_prerequisites", 0, "recommended")
    assert e.summary == (
        "Not recommended: its fit score is 0, 1 point short of being shown; the 3 certifications shown scored 20 "
        "to 65. Against it: You said your program was not accredited by CAAHEP or ABHES (no). The CMA (AAMA) "
        "normally requires such accreditation, while NHA's exams do not. You cannot sit for it yet: you answered "
        "no to whether your program is accredited by CAAHEP or ABHES; CMA (AAMA) asks that your program is "
        "accredited by CAAHEP or ABHES. Another route may apply that your answers cannot show: Graduate of a "
        "qualified postsecondary medical assisting program, or of a postsecondary medical assisting "
        "apprenticeship, that is not CAAHEP/ABHES-accredited (Category 4). AAMA reviews the program documents "
        "before you may register.")
    routes = {r.id: r for r in e.routes}
    assert (routes["accredited_graduate"].met, routes["alternative_pathway"].met) == (False, None)
    assert [s.text for s in routes["alternative_pathway"].remaining] == [
        "Ask AAMA to review your program documents under Category 4 before registering"]
    assert not routes["completing_student"].offered
    assert [(r.rule, r.points) for r in e.rules] == [("nonaccredited-graduate", -15), ("clinical-interest", 15)]
    assert e.rules[0].answers == (("ma_training", "completed"), ("ma_training_accredited", False),
                                  ("training_years_ago", 1))
    (cf,) = e.counterfactuals
    assert [c.text for c in cf.changes] == ["Complete Accredited MA certificate"]
    assert (cf.status, cf.score) == ("ready", 55)


def test_a_recommended_item_that_is_not_ready_is_shown_the_way_to_ready(book: RuleBook) -> None:
    e = explain(book, profile_from(book, LUIS), "CMAA")
    assert (e.verdict, e.rank, e.goal) == ("recommended", 1, "ready")
    assert e.summary.endswith('You cannot sit for it yet: you said your medical assisting or medical office training '
                              'is "no such training"; CMAA asks that you finished a medical assisting or office '
                              'training program.')
    assert [[c.text for c in cf.changes] for cf in e.counterfactuals] == [
        ["Complete Medical office admin certificate"],
        ["Complete Accredited MA certificate"],
        ["Work until you have 1 year of supervised healthcare work, including front desk and reception"],
    ]
    assert all(cf.status == "ready" for cf in e.counterfactuals)


def test_rules_that_only_interests_could_trigger_are_marked(book: RuleBook) -> None:
    e = explain(book, profile_from(book, LUIS), "CPC")
    coding = next(r for r in e.could_add if r.rule == "coding-interest")
    assert not coding.actionable
    assert unmet_words(coding.unmet[0], "") == ("you listed working with patients and scheduling and front office "
                                                "as your interests; it asks that you are interested in billing and "
                                                "coding")
    # What the person could do instead: train, or work in coding.
    assert [[c.text for c in cf.changes] for cf in e.counterfactuals] == [
        ["Complete Billing & coding program"],
        ["Work until you have 2 years of supervised healthcare work, including medical coding"]]


def test_held_and_excluded_items_have_nothing_to_change(book: RuleBook) -> None:
    answers = {"education": "associate", "certifications": ["CPC"], "interests": ["billing_coding"]}
    held = explain(book, profile_from(book, answers), "CPC")
    assert (held.verdict, held.goal, held.counterfactuals) == ("held", None, ())
    assert held.summary == "You already hold the CPC, so it is not recommended again."
    excluded = explain(book, profile_from(book, answers), "CCA")
    assert excluded.verdict == "excluded" and excluded.counterfactuals == ()
    assert excluded.summary.startswith("Not recommended: rule 'held-coding-credential' rules it out. You already "
                                       "hold CPC;")


def test_candidates_are_only_things_a_person_can_do(book: RuleBook) -> None:
    sim = Simulator(book)
    state = sim.state(profile_from(book, LUIS).answers)
    found = candidates(book, sim, state, "CPC")
    assert found and all(q in ACTIONABLE for c in found for q, _ in c.changes)
    assert all(c.item != "CPC" for c in found)


# ------------------------------------------------------------------ properties
@settings(max_examples=SOME)
@given(data=st.data())
def test_a_counterfactual_really_flips_the_status(book: RuleBook, data: st.DataObject) -> None:
    profile = profile_from(book, data.draw(raw_answers(book)))
    result = recommend(book, profile)
    item = data.draw(st.sampled_from([c.id for c in book.certifications()]))
    before = result.get(item)
    for cf in counterfactuals(book, profile, item, result):
        assert 1 <= len(cf.changes) <= 3
        changed = dict(cf.answers)
        assert {q for q, v in changed.items() if profile.answers.get(q) != v} <= set(ACTIONABLE)
        assert all(changed.get(q) == profile.answers.get(q) for q in PREFERENCES)
        after = recommend(book, profile_from(book, changed)).get(item)
        assert after is not None  # now recommended
        if before is not None:
            assert before.status == "after_prerequisites" and after.status == "ready"


@settings(max_examples=SOME)
@given(data=st.data())
def test_counterfactuals_are_minimal_and_deterministic(book: RuleBook, data: st.DataObject) -> None:
    profile = profile_from(book, data.draw(raw_answers(book)))
    item = data.draw(st.sampled_from([c.id for c in book.certifications()]))
    found = counterfactuals(book, profile, item)
    assert found == counterfactuals(book, profile, item)
    sizes = {len(cf.changes) for cf in found}
    assert len(sizes) <= 1  # breadth-first: only the smallest sets are offered
