"""The satisfiability search agrees with the engine: its examples hold, and 'never' means never."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender.advisor.satisfy import Solver
from recommender.book import conditions as C
from recommender.book.answers import profile_from
from recommender.book.rulebook import RuleBook
from recommender.engine.recommend import recommend
from tests.strategies import condition, raw_answers


def holds(book: RuleBook, cond: C.Condition, answers: Mapping[str, Any]) -> bool:
    """The reference evaluator, with facts and eligibility as the engine defines them."""
    orders = book.option_orders

    def fact(name: str) -> bool:
        return C.evaluate(book.facts[name].when, answers, orders, fact, eligible)

    def eligible(item: str) -> bool:
        routes = book.routes.get(item, ())
        return not routes or any(r.when is not None and C.evaluate(r.when, answers, orders, fact, eligible)
                                 for r in routes)

    return C.evaluate(cond, answers, orders, fact, eligible)


@pytest.fixture(scope="module")
def solver(book: RuleBook) -> Solver:
    return Solver(book)


def test_every_shipped_rule_has_answers_that_fire_it(book: RuleBook, solver: Solver) -> None:
    for rule in book.rules:
        example = solver.example(rule.when)
        assert example is not None, rule.id
        assert rule.id in recommend(book, profile_from(book, example)).fired, (rule.id, example)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_an_example_always_satisfies_the_condition(book: RuleBook, solver: Solver, data: st.DataObject) -> None:
    cond = data.draw(condition(book))
    example = solver.example(cond)
    if example is not None:
        profile = profile_from(book, example)  # a valid answers file, as written
        assert holds(book, cond, profile.answers), example


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_answers_satisfy_a_condition_found_unsatisfiable(book: RuleBook, solver: Solver,
                                                            data: st.DataObject) -> None:
    cond = data.draw(condition(book))
    if solver.satisfiable(cond):
        return
    for _ in range(5):
        answers = profile_from(book, data.draw(raw_answers(book))).answers
        assert not holds(book, cond, answers)


def test_single_choices_exclude_each_other(solver: Solver) -> None:
    none = C.Compare("education", "equals", "none")
    assert not solver.satisfiable(C.All((none, C.Compare("education", "at_least", "high_school"))))
    assert solver.example(C.All((none, C.Not(C.Compare("education", "equals", "bachelor"))))) == {"education": "none"}


def test_whole_numbers_leave_no_room_between_neighbours(solver: Solver) -> None:
    assert not solver.satisfiable(C.All((C.Compare("experience_years", "gt", 4), C.Compare("experience_years", "lt", 5))))
    example = solver.example(C.All((C.Compare("experience_years", "gt", 3.5), C.Compare("experience_years", "lt", 5))))
    assert example is not None and example["experience_years"] == 4


def test_bounds_of_a_number_question_hold(solver: Solver) -> None:
    assert not solver.satisfiable(C.Compare("experience_years", "gt", 50))
    assert not solver.satisfiable(C.Compare("experience_years", "between", (-5, -1)))
    assert solver.satisfiable(C.Compare("experience_years", "between", (50, 60)))


def test_an_unasked_question_has_no_answer(solver: Solver) -> None:
    in_progress = C.Compare("ma_training", "equals", "in_progress")
    assert not solver.satisfiable(C.All((in_progress, C.Compare("training_years_ago", "gte", 0))))
    assert solver.satisfiable(C.All((in_progress, C.Compare("training_years_ago", "answered", False))))
    # A multi-select that is not asked counts as an empty list: 'none of' holds, 'answered' does not.
    no_work = C.Compare("experience_years", "equals", 0)
    assert solver.satisfiable(C.All((no_work, C.Compare("experience_areas", "none_of", ("coding",)))))
    assert not solver.satisfiable(C.All((no_work, C.Compare("experience_areas", "answered", True))))


def test_a_question_with_a_default_is_always_answered(solver: Solver) -> None:
    assert not solver.satisfiable(C.Compare("experience_years", "answered", False))


def test_facts_and_eligibility_are_expanded(solver: Solver, book: RuleBook) -> None:
    assert not solver.satisfiable(C.All((C.Fact("no_experience"), C.Fact("experience_1yr"))))
    assert solver.implies(C.Fact("accredited_ma_graduate"), C.Fact("ma_training_done"))
    assert not solver.implies(C.Fact("ma_training_done"), C.Fact("accredited_ma_graduate"))
    example = solver.example(C.Eligible("CMA"))
    assert example is not None and holds(book, C.Eligible("CMA"), profile_from(book, example).answers)


def test_examples_name_only_what_matters_and_stay_valid(solver: Solver) -> None:
    example = solver.example(C.Compare("interests", "all_of", ("dental", "management")))
    assert example == {"education": "none", "interests": ["management", "dental"]}
