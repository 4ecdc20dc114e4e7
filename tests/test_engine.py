from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from recommender.book.answers import profile_from
from recommender.book.rulebook import RuleBook
from recommender.engine.recommend import recommend
from recommender.engine.result import Recommendation, Result
from recommender.render.json import render_json
from tests.strategies import raw_answers


def run(book: RuleBook, answers: dict[str, Any]) -> Result:
    return recommend(book, profile_from(book, answers))


BASE = {"education": "high_school", "interests": ["patient_contact"]}


@given(data=st.data())
def test_any_valid_profile_evaluates_deterministically(book: RuleBook, data: st.DataObject) -> None:
    answers = data.draw(raw_answers(book))
    first = run(book, answers)
    second = run(book, dict(reversed(list(answers.items()))))
    assert render_json(first, book) == render_json(second, book)


@given(data=st.data())
def test_no_certification_is_ready_when_every_route_fails(book: RuleBook, data: st.DataObject) -> None:
    result = run(book, data.draw(raw_answers(book)))
    for rec in result.recommendations:
        if rec.status == "ready" and book.routes.get(rec.id):
            assert any(check.met for check in rec.routes), rec.id
        if rec.status == "after_prerequisites":
            assert not any(check.met for check in rec.routes), rec.id
            assert rec.next_steps, rec.id


@given(data=st.data())
def test_held_credentials_are_never_recommended(book: RuleBook, data: st.DataObject) -> None:
    answers = data.draw(raw_answers(book))
    result = run(book, answers)
    held = set(answers.get("certifications", ()))
    assert held.isdisjoint(r.id for r in result.recommendations)
    assert held <= {n.id for n in result.not_recommended if n.reason == "held"}


@given(data=st.data())
def test_every_reason_traces_to_a_fired_rule_that_scores_the_item(book: RuleBook, data: st.DataObject) -> None:
    answers = data.draw(raw_answers(book))
    result = run(book, answers)
    rules = {r.id: r for r in book.rules}
    for rec in result.recommendations:
        assert rec.score == sum(r.points for r in rec.reasons) > 0
        for reason in rec.reasons:
            assert reason.rule in result.fired
            assert rules[reason.rule].rule.points[rec.id] == reason.points
            assert {q for q, _ in reason.answers} == set(rules[reason.rule].reads)


@given(data=st.data())
def test_excluded_items_are_never_recommended_and_name_their_rule(book: RuleBook, data: st.DataObject) -> None:
    result = run(book, data.draw(raw_answers(book)))
    recommended = {r.id for r in result.recommendations}
    for item in result.not_recommended:
        assert item.id not in recommended
        if item.reason == "excluded":
            assert item.rules and set(item.rules) <= set(result.fired)


@given(data=st.data())
def test_ranking_is_by_score_then_wishes_then_catalog_order(book: RuleBook, data: st.DataObject) -> None:
    result = run(book, data.draw(raw_answers(book)))
    order = list(book.items)

    def wished(r: Recommendation) -> int:
        # Points from rules that read what the person wants: their goals and interests.
        return sum(x.points for x in r.reasons if {q for q, _ in x.answers} & {"goals", "interests"})

    keys = [(-r.score, -wished(r), order.index(r.id)) for r in result.recommendations]
    assert keys == sorted(keys)


def test_a_tie_goes_to_what_the_person_wants(book: RuleBook) -> None:
    # Regression: a future office manager got the CMAA above the CMOM on a tie, by catalog order.
    result = run(book, {"education": "associate", "ma_training": "completed", "ma_training_accredited": True,
                        "training_years_ago": 5, "experience_years": 4,
                        "experience_areas": ["clinical", "front_desk", "scheduling"], "certifications": ["CMA"],
                        "interests": ["management"], "goals": ["leadership"]})
    ids = [r.id for r in result.by_kind("certification")]
    assert "CMOM" in ids and ids.index("CMOM") < (ids.index("CMAA") if "CMAA" in ids else len(ids))


def test_eligibility_is_separate_from_fit(book: RuleBook) -> None:
    result = run(book, {"education": "none", "interests": ["patient_contact", "scheduling"]})
    cmaa = result.get("CMAA")
    assert cmaa is not None and cmaa.status == "after_prerequisites"
    assert cmaa.next_steps[0].item == "hs_diploma_ged"
    assert cmaa.next_steps[-1].kind == "assessment"


def test_the_fewest_steps_route_is_chosen(book: RuleBook) -> None:
    # A non-accredited graduate is one application away from the CMA's alternative pathway,
    # rather than a whole accredited program away.
    answers = {"education": "high_school", "ma_training": "completed", "ma_training_accredited": False,
               "training_years_ago": 1, "interests": ["clinical_care"], "goals": ["nursing"]}
    result = run(book, answers)
    cma = result.get("CMA")
    assert cma is not None and cma.status == "after_prerequisites"
    followed = next(c for c in cma.routes if c.id == cma.route)
    assert len(followed.remaining) == 1 and followed.remaining[0].kind == "application"


def test_provisional_status_is_announced_for_cpc_without_coding_experience(book: RuleBook) -> None:
    result = run(book, {"education": "high_school", "interests": ["billing_coding"]})
    cpc = result.get("CPC")
    assert cpc is not None and cpc.status == "ready"
    assert cpc.provisional is not None and "CPC-A" in cpc.provisional
    experienced = run(book, {"education": "high_school", "interests": ["billing_coding"], "experience_years": 3,
                             "experience_areas": ["coding"]}).get("CPC")
    assert experienced is not None and experienced.provisional is None


def test_exclusion_reports_the_rule_and_what_it_tested(book: RuleBook) -> None:
    result = run(book, {"education": "associate", "certifications": ["CPC"], "interests": ["billing_coding"]})
    cca = next(n for n in result.not_recommended if n.id == "CCA")
    assert cca.reason == "excluded" and cca.rules == ("held-coding-credential",)
    assert cca.would_change == ("Rule 'held-coding-credential' excludes it because the credentials you hold "
                                "include any of CPC, CCS or RHIT.",)
    assert "CCA" not in {r.id for r in result.recommendations}


def test_reasons_quote_the_persons_answers(book: RuleBook) -> None:
    result = run(book, {**BASE, "interests": ["patient_contact", "scheduling"]})
    reason = next(r for r in result.get("CMAA").reasons if r.rule == "front-office-fit")  # type: ignore[union-attr]
    assert reason.text.startswith("You are interested in working with patients and scheduling and front office.")
    assert reason.answers == (("interests", ["patient_contact", "scheduling"]),)


def test_top_limits_each_kind(book: RuleBook) -> None:
    result = recommend(book, profile_from(book, {"education": "associate", "interests": ["billing_coding",
                                                                                         "health_records"]}), top=1)
    kinds = [r.kind for r in result.recommendations]
    assert all(kinds.count(k) <= 1 for k in set(kinds))


def test_pathways_end_in_the_role(book: RuleBook) -> None:
    result = run(book, {**BASE, "interests": ["patient_contact", "scheduling"]})
    assert result.pathways
    for path in result.pathways:
        assert path.steps[-1].item == path.role


def test_advice_about_an_organization_is_general_advice(book: RuleBook) -> None:
    result = run(book, {"education": "associate", "experience_years": 6, "experience_areas": ["management"],
                        "interests": ["management"], "goals": ["leadership"]})
    assert [(s.item, s.rule) for s in result.advice if s.item == "mgma"] == [("mgma", "experienced-manager")]
