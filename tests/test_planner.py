from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.book import conditions as C
from recommender.book.answers import profile_from
from recommender.book.rulebook import RuleBook
from recommender.engine.build import plan_for, replay
from recommender.engine.changewords import describe_changes
from recommender.engine.plan import Planner
from recommender.engine.recommend import recommend
from recommender.engine.result import Pathway, PlanStep, Span
from recommender.engine.simulate import (
    COST_KINDS,
    CTDL,
    PREFERENCES,
    TIME_KINDS,
    Simulator,
    done_conditions,
)
from tests.strategies import raw_answers

# A share of the loaded profile's examples: fast by default, thorough under HYPOTHESIS_PROFILE=thorough.
SOME = max(10, settings.default.max_examples * 2 // 3)

LUIS = {"education": "high_school", "ma_training": "none", "experience_years": 0,
        "interests": ["patient_contact", "scheduling"], "goals": ["first_job_fast", "job_security"],
        "settings": ["physician_office", "outpatient_clinic"], "study_hours_per_week": 15, "budget_usd": 800}


def pathways(book: RuleBook, answers: dict[str, Any]) -> dict[str, Pathway]:
    return {p.role: p for p in recommend(book, profile_from(book, answers)).pathways}


def texts(path: Pathway) -> list[str]:
    return [s.text for s in path.steps]


def every_plan(path: Pathway) -> list[Pathway]:
    return [path, *path.alternatives]


# ------------------------------------------------------------------ what finishing an item shows
def test_done_conditions_are_learnt_from_the_catalogs_unless_clauses(book: RuleBook) -> None:
    done = done_conditions(book)
    assert done["hs_diploma_ged"] == C.All((C.Fact("has_diploma"), C.Compare("education", "at_least", "high_school")))
    assert done["ma_certificate_accredited"] == C.Fact("accredited_ma_graduate")
    assert done["billing_coding_program"] == C.Fact("billing_coding_trained")
    # No step names these, so their level says what they give.
    assert done["public_health_degree"] == C.Compare("education", "at_least", "bachelor")
    assert done["CMA"] == C.Compare("certifications", "contains", "CMA")
    assert "ma_lpn_bridge" not in done  # nothing in the answers can show a finished bridge


# ------------------------------------------------------------------ the smallest change
@pytest.mark.parametrize(("fact", "answers", "expected"), [
    ("has_diploma", {"education": "none"}, {"education": "high_school"}),
    ("has_bachelor", {"education": "associate"}, {"education": "bachelor"}),
    ("experience_2yr", {"education": "high_school"}, {"experience_years": 2}),
    # Areas of work are asked only after some work, so a year of it comes with them.
    ("coding_experience_1yr", {"education": "high_school"}, {"experience_years": 1, "experience_areas": ["coding"]}),
    ("accredited_ma_graduate", {"education": "high_school"},
     {"ma_training": "completed", "training_years_ago": 0, "ma_training_accredited": True}),
    # A program finished long ago is not undone: a new one is finished.
    ("recent_ma_training", {"education": "high_school", "ma_training": "completed", "training_years_ago": 8},
     {"ma_training": "completed", "training_years_ago": 0}),
    ("has_diploma", {"education": "bachelor"}, {}),
])
def test_satisfy_finds_the_smallest_change_a_person_could_make(book: RuleBook, fact: str, answers: dict[str, Any],
                                                               expected: dict[str, Any]) -> None:
    sim = Simulator(book)
    state = sim.state(profile_from(book, answers).answers)
    changes = sim.satisfy(C.Fact(fact), state)
    assert changes == expected
    after = sim.apply(state, changes)
    assert after is not None and sim.holds(C.Fact(fact), after)


@pytest.mark.parametrize(("cond", "answers"), [
    (C.Fact("wants_coding"), {"education": "high_school"}),  # interests are the person's to choose
    (C.Fact("small_budget"), {"education": "high_school", "budget_usd": 900}),  # so are limits
    (C.Fact("no_experience"), {"education": "high_school", "experience_years": 3}),  # work cannot be undone
    (C.Not(C.Fact("has_diploma")), {"education": "high_school"}),
])
def test_satisfy_never_changes_what_a_person_cannot(book: RuleBook, cond: C.Condition, answers: dict[str, Any]) -> None:
    sim = Simulator(book)
    assert sim.satisfy(cond, sim.state(profile_from(book, answers).answers)) is None


def test_changes_in_words(book: RuleBook) -> None:
    before = profile_from(book, {"education": "high_school"}).answers
    assert describe_changes(book, before, {"experience_years": 2, "experience_areas": ["coding"]}) == \
        "Work until you have 2 years of supervised healthcare work, including medical coding"
    assert describe_changes(book, before, {"ma_training": "completed", "ma_training_accredited": True}) == \
        "Finish a CAAHEP- or ABHES-accredited medical assisting program"
    assert describe_changes(book, before, {"education": "associate", "certifications": ["CPC"]}) == \
        "Earn an associate degree and earn the CPC"


# ------------------------------------------------------------------ plans for known people
def test_a_fresh_graduate_in_no_hurry_is_planned_through_a_program_with_the_work_route_offered(
        book: RuleBook) -> None:
    path = pathways(book, {**LUIS, "goals": ["job_security"]})["medical_administrative_assistant"]
    # Luis leans to the front office, so CMAA's training route sends him to the office certificate.
    assert texts(path) == ["Complete Medical office admin certificate", "Register for the CMAA exam with NHA",
                           "Apply for Medical admin assistant positions"]
    assert [s.kind for s in path.steps] == ["program", "assessment", "job"]
    assert [s.ctdl for s in path.steps if isinstance(s, PlanStep)] == [
        "ceterms:CredentialComponent", "ceterms:AssessmentComponent", "ceterms:JobComponent"]
    assert (path.credential, path.credential_route, path.verified) == ("CMAA", "training", True)
    assert (path.months, path.cost_usd) == (Span(8, 12), Span(1547, 8729))
    assert path.unknown_cost == () and path.unknown_time == ()
    assert path.flags == (
        "Over your budget: the costs we can price come to $1,547–$8,729, more than your $800.",
        "Study time: this plan includes 8–12 months of programs quoted at full-time pace (at least 24 hours a "
        "week, the federal definition of full-time study); at the 15 hours a week you have, they will take longer.")
    labels = [a.label for a in path.alternatives]
    assert labels[0] == "job first"
    work = path.alternatives[0]
    assert texts(work) == ["Apply for Medical admin assistant positions"] and work.credential_route == "work_experience"
    assert [v.year for v in path.years] == [1, 3, 5]
    # At 15 hours a week the certificate takes about 13-20 months, so two years of work come by year 5.
    assert [v.open_roles for v in path.years] == [(), (), ("medical_office_manager",)]


def test_a_first_job_soon_puts_the_job_first_and_the_credential_after_a_year_of_it(book: RuleBook) -> None:
    path = pathways(book, LUIS)["medical_administrative_assistant"]
    assert texts(path) == ["Apply for Medical admin assistant positions"]
    assert [s.kind for s in path.later] == ["experience", "assessment"]
    assert (path.credential, path.credential_route) == ("CMAA", "work_experience")
    assert path.later[0].months == Span(12, 12) and path.cost_usd == Span(117, 129)


def test_no_diploma_comes_first_and_is_priced_from_the_catalog(book: RuleBook) -> None:
    path = pathways(book, {**LUIS, "education": "none", "budget_usd": 300})["medical_administrative_assistant"]
    first = path.steps[0]
    assert (first.kind, first.item, first.months, first.cost_usd) == ("program", "hs_diploma_ged", None, Span(0, 120))
    assert isinstance(first, PlanStep) and first.changes == (("education", "high_school"),)
    assert path.unknown_time == ("Complete Diploma / GED",)


def test_an_unaffordable_plan_is_flagged_and_a_cheaper_one_offered(book: RuleBook) -> None:
    answers = {"education": "high_school", "interests": ["billing_coding"], "budget_usd": 350, "study_hours_per_week": 30}
    path = pathways(book, answers)["billing_coding_specialist"]
    assert path.credential == "CPC"
    assert path.flags == ("Over your budget: the costs we can price come to $399–$499, more than your $350.",)
    within = next(a for a in path.alternatives if "within your budget" in a.label)
    # Only a fully priced plan is called affordable: the CBCS through a year of billing work.
    assert (within.credential, within.credential_route) == ("CBCS", "work_experience")
    assert within.cost_usd == Span(117, 117) and within.unknown_cost == ()


def test_part_time_study_gets_an_estimate_at_the_persons_pace(book: RuleBook) -> None:
    answers = {"education": "high_school", "interests": ["health_records"], "goals": ["further_degree"],
               "study_hours_per_week": 12, "budget_usd": 5000}
    path = plan_for(book, recommend(book, profile_from(book, answers)), profile_from(book, answers).answers,
                    "health_information_technician")
    paced = next(a for a in path.alternatives if a.label == "at your pace")
    degree = next(s for s in paced.steps if s.item == "hit_associate")
    assert degree.months == Span(48, 48) and isinstance(degree, PlanStep) and degree.basis == "pace"
    assert path.years[0].summary.startswith("Year 1, at your 12 hours a week (estimated): Under way: HIT associate")


def test_a_nurse_to_be_is_led_through_the_bridge_with_the_faster_program_offered(book: RuleBook) -> None:
    answers = {"education": "high_school", "ma_training": "completed", "ma_training_accredited": True,
               "training_years_ago": 2, "experience_years": 2, "experience_areas": ["clinical"],
               "certifications": ["CCMA"], "interests": ["clinical_care"], "goals": ["nursing"],
               "study_hours_per_week": 30}
    path = pathways(book, answers)["licensed_practical_nurse"]
    assert texts(path)[0] == "Complete MA-to-LPN bridge" and path.steps[0].kind == "bridge"
    assert path.verified is None  # no answer can show a nursing licence
    assert path.notes[0].startswith("Your answers cannot show whether you meet this requirement for LPN")
    fastest = next(a for a in path.alternatives if a.label.startswith("fastest"))
    assert texts(fastest)[0] == "Complete a state-approved practical nursing program" and fastest.months == Span(12, 12)


def test_a_provisional_status_is_planned_after_starting_work(book: RuleBook) -> None:
    path = pathways(book, {"education": "high_school", "interests": ["billing_coding"], "budget_usd": 2000,
                           "study_hours_per_week": 30})["billing_coding_specialist"]
    (later,) = path.later
    assert later.kind == "provisional" and later.text.startswith("Remove the CPC-A status: Two years of work")
    assert later.months == Span(24, 24)
    assert isinstance(later, PlanStep) and later.changes == (("experience_years", 2), ("experience_areas", ["coding"]))
    assert path.steps[-1].kind == "job"


def test_a_role_the_person_names_is_planned_even_when_it_does_not_fit(book: RuleBook) -> None:
    profile = profile_from(book, {**LUIS, "goals": ["job_security"]})
    path = plan_for(book, recommend(book, profile), profile.answers, "billing_coding_specialist")
    assert not path.fits and path.notes[0].startswith("This role does not match your answers so far (fit score 0)")
    assert path.credential == "CPC"
    # Wanting a first job soon, the same person is planned into the job, with the CBCS after a year of it.
    hurried = profile_from(book, LUIS)
    path = plan_for(book, recommend(book, hurried), hurried.answers, "billing_coding_specialist")
    assert (path.credential, path.credential_route, path.steps[0].kind) == ("CBCS", "work_experience", "job")


def test_held_credentials_are_not_earned_again(book: RuleBook) -> None:
    path = pathways(book, {**LUIS, "certifications": ["CMAA"]})["medical_administrative_assistant"]
    assert texts(path) == ["Apply for Medical admin assistant positions"]
    assert path.notes == ("You already hold CMAA, which employers look for in this role.",)


# ------------------------------------------------------------------ properties
@settings(max_examples=SOME)
@given(data=st.data())
def test_doing_a_plans_steps_makes_the_role_reachable_as_the_plan_says(book: RuleBook, data: st.DataObject) -> None:
    profile = profile_from(book, data.draw(raw_answers(book)))
    sim = Simulator(book)
    for path in recommend(book, profile).pathways:
        for plan in every_plan(path):
            after = replay(book, profile.answers, plan.counted)  # every step leaves valid answers
            state = sim.state(after)
            routes = {r.route.id: r for r in book.routes.get(plan.role, ())}
            if plan.verified:
                assert sim.eligible(plan.role, state), (plan.role, plan.label)
                if plan.credential is not None:
                    assert plan.credential in after["certifications"]
                    exam = next(i for i, s in enumerate(plan.counted) if s.kind == "assessment"
                                and s.item == plan.credential)
                    assert sim.eligible(plan.credential, sim.state(replay(book, profile.answers, plan.counted[:exam])))
            elif plan.verified is None:
                chosen = [routes.get(plan.route or "")] + [
                    next((r for r in book.routes.get(plan.credential or "", ()) if r.route.id == plan.credential_route),
                         None)]
                assert any(r is not None and r.when is None for r in chosen) or plan.steps[0].kind == "other"
            else:
                pytest.fail(f"a plan that does not reach its role: {plan}")
            # Nothing a plan does touches what only the person can change.
            for step in (*plan.steps, *plan.later):
                assert isinstance(step, PlanStep)
                assert not {q for q, _ in step.changes} & PREFERENCES


@settings(max_examples=SOME)
@given(data=st.data())
def test_costs_and_durations_add_up(book: RuleBook, data: st.DataObject) -> None:
    profile = profile_from(book, data.draw(raw_answers(book)))
    for path in recommend(book, profile).pathways:
        for plan in every_plan(path):
            steps = plan.counted
            months = [s.months for s in steps if s.kind in TIME_KINDS and s.months is not None]
            costs = [s.cost_usd for s in steps if s.kind in COST_KINDS and s.cost_usd is not None]
            assert plan.months == (sum(months[1:], months[0]) if months else None)
            assert plan.cost_usd == (sum(costs[1:], costs[0]) if costs else None)
            unknown_cost = [s.text for s in steps if s.kind in COST_KINDS and s.cost_usd is None]
            assert plan.unknown_cost == tuple(unknown_cost) and plan.unknown_cost_steps == len(unknown_cost)
            unknown_time = [s.text for s in steps if s.kind in TIME_KINDS and s.months is None
                            and not (isinstance(s, PlanStep) and s.basis == "program")]
            assert plan.unknown_time == tuple(unknown_time) and plan.unknown_time_steps == len(unknown_time)
            for step in plan.steps:
                assert isinstance(step, PlanStep)
                course = step.item is not None and getattr(book.items[step.item], "level", None) == "course"
                assert step.ctdl == ("ceterms:CourseComponent" if course else CTDL.get(step.kind, step.ctdl))
                if step.months is not None and step.basis == "catalog":
                    assert step.sources, step  # a sourced duration names its source


@settings(max_examples=SOME)
@given(data=st.data())
def test_plans_are_deterministic(book: RuleBook, data: st.DataObject) -> None:
    answers = data.draw(raw_answers(book))
    first = recommend(book, profile_from(book, answers)).pathways
    again = recommend(book, profile_from(book, dict(reversed(list(answers.items()))))).pathways
    assert first == again
    # A planner's caches never leak from one person to the next.
    profile = profile_from(book, answers)
    warm = Planner(book, LUIS)
    warm.drafts(book.items["medical_administrative_assistant"], ["CMAA"])  # type: ignore[arg-type]
    assert recommend(book, profile).pathways == first


def test_a_bachelors_for_someone_with_an_associate_degree_says_credits_may_transfer(book: RuleBook) -> None:
    answers = {"education": "associate", "experience_years": 4, "experience_areas": ["front_desk"],
               "interests": ["management"], "goals": ["leadership", "further_degree"]}
    profile = profile_from(book, answers)
    path = plan_for(book, recommend(book, profile), profile.answers, "healthcare_administrator")
    assert any(s.item == "healthcare_admin_bachelor" for s in path.steps)
    assert any("credits from your associate degree may transfer" in n for n in path.notes)


def _recommended_plan(path: Pathway) -> Pathway:
    """A pathway without what a lean plan leaves out."""
    return replace(path, flags=(), notes=(), alternatives=(), years=())


@settings(max_examples=SOME)
@given(data=st.data())
def test_a_lean_plan_is_the_full_plans_recommended_steps(book: RuleBook, data: st.DataObject) -> None:
    from recommender.engine.build import plan_pathways

    answers = dict(data.draw(raw_answers(book)))
    if data.draw(st.booleans()):  # half the people want a first job soon, which changes which drafts can lead
        answers["goals"] = sorted(set(answers.get("goals") or ()) | {"first_job_fast"})
    profile = profile_from(book, answers)
    recs = recommend(book, profile).recommendations
    full = plan_pathways(book, profile.answers, recs)
    lean = plan_pathways(book, profile.answers, recs, lean=True)
    assert list(lean) == [_recommended_plan(p) for p in full]


def test_a_lean_plan_tries_credentials_only_until_one_can_lead(book: RuleBook) -> None:
    planner = Planner(book, profile_from(book, LUIS).answers)
    role = book.items["billing_coding_specialist"]
    creds = [c for c in role.credentials]  # type: ignore[union-attr]
    assert len(creds) > 1
    every = planner.drafts(role, creds)  # type: ignore[arg-type]
    first = planner.drafts(role, creds, job_first=False)  # type: ignore[arg-type]
    assert {d.credential for d in first} == {creds[0]} and len(first) < len(every)
    assert [d.order for d in first] == sorted(d.order for d in first)
