from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.book import conditions as C
from recommender.book.answers import profile_from
from recommender.book.parse import parse
from recommender.book.rulebook import RuleBook
from recommender.engine.compiled import Env as _Env
from recommender.engine.compiled import plan
from tests.strategies import condition, raw_answers, to_raw


def vocab(book: RuleBook) -> C.Vocabulary:
    return C.Vocabulary(book.question_info, frozenset(book.facts), frozenset(book.items))


def env_for(book: RuleBook, answers: dict[str, Any]) -> _Env:
    return _Env(book, plan(book), profile_from(book, answers).answers)


def holds(book: RuleBook, raw: Any, answers: dict[str, Any]) -> bool:
    cond, errors = parse(raw, vocab(book))
    assert errors == []
    return C.compile_condition(cond, book.option_orders)(env_for(book, answers))


def test_empty_all_holds_and_empty_any_does_not(book: RuleBook) -> None:
    answers = {"education": "high_school"}
    assert holds(book, {"all": []}, answers) is True
    assert holds(book, {"any": []}, answers) is False


@pytest.mark.parametrize(("raw", "expected"), [
    ({"answer": "education", "equals": "associate"}, True),
    ({"answer": "education", "at_least": "high_school"}, True),
    ({"answer": "education", "at_least": "bachelor"}, False),
    ({"answer": "education", "at_most": "associate"}, True),
    ({"answer": "experience_years", "between": [2, 3]}, True),
    ({"answer": "experience_years", "gt": 3}, False),
    ({"answer": "experience_years", "gte": 3}, True),
    ({"answer": "experience_years", "one_of": [1, 3]}, True),
    ({"answer": "interests", "contains": "management"}, True),
    ({"answer": "interests", "all_of": ["management", "dental"]}, False),
    ({"answer": "interests", "any_of": ["dental", "technology"]}, True),
    ({"answer": "interests", "none_of": ["dental"]}, True),
    ({"answer": "training_years_ago", "answered": False}, True),
    ({"answer": "training_years_ago", "lte": 5}, False),  # unanswered: comparisons do not hold
    ({"not": {"answer": "training_years_ago", "lte": 5}}, True),
    ({"fact": "has_associate"}, True),
    ({"eligible": "RHIT"}, False),
    ({"eligible": "CPC"}, True),
])
def test_operators(book: RuleBook, raw: dict[str, Any], expected: bool) -> None:
    answers = {"education": "associate", "experience_years": 3, "experience_areas": ["front_desk"],
               "interests": ["management", "technology"]}
    assert holds(book, raw, answers) is expected


@pytest.mark.parametrize(("raw", "key", "message"), [
    ({"answer": "goal", "contains": "x"}, ("answer",), "unknown question 'goal'; did you mean 'goals'?"),
    ({"answer": "goals", "contains": "leader"}, ("contains",),
     "'leader' is not an option of 'goals'; did you mean 'leadership'?; options are first_job_fast, "
     "higher_salary, leadership, nursing, remote_work, specialize, job_security, further_degree"),
    ({"answer": "goals", "equals": "leadership"}, ("equals",),
     "'equals' does not apply to the multi question 'goals'; use one of contains, any_of, all_of, none_of, answered"),
    ({"answer": "experience_years", "gte": "two"}, ("gte",), "expected a number, got 'two'"),
    ({"answer": "experience_years", "between": [5, 2]}, ("between",), "the range [5, 2] is empty: low is above high"),
    ({"answer": "experience_years", "greater": 2}, ("greater",),
     "unknown operator 'greater'; did you mean 'gte'?; expected one of equals, one_of, gt, gte, lt, lte, between, at_least, at_most, "
     "contains, any_of, all_of, none_of, answered"),
    ({"fact": "has_diplma"}, ("fact",), "unknown derived fact 'has_diplma'; did you mean 'has_diploma'?"),
    ({"eligible": "cpc"}, ("eligible",), "unknown catalog item 'cpc'; did you mean 'CPC'?"),
    ({"alll": []}, ("alll",), "unknown condition 'alll'; did you mean 'all'?; expected one of all, any, not, fact, "
                              "eligible, answer"),
    ({"all": {"fact": "has_diploma"}}, ("all",), "expected a list of conditions, got a mapping"),
    ("has_diploma", (), "expected a condition (a mapping such as {fact: ...}), got 'has_diploma'"),
    ({}, (), "empty condition; write {all: []} for one that always holds"),
    ({"fact": "has_diploma", "not": {"fact": "has_diploma"}}, (),
     "a condition has exactly one of all, any, not, fact, eligible, answer; found fact, not"),
])
def test_parse_errors_say_where_and_what(book: RuleBook, raw: Any, key: tuple[Any, ...], message: str) -> None:
    _, errors = parse(raw, vocab(book))
    assert [(e.key, e.message) for e in errors] == [(key, message)]


def test_errors_inside_trees_carry_their_path(book: RuleBook) -> None:
    raw = {"all": [{"fact": "has_diploma"}, {"any": [{"answer": "education", "equals": "phd"}]}]}
    _, errors = parse(raw, vocab(book))
    assert [e.key for e in errors] == [("all", 1, "any", 0, "equals")]


@given(data=st.data())
def test_compiled_matches_reference_evaluator(book: RuleBook, data: st.DataObject) -> None:
    cond = data.draw(condition(book))
    answers = data.draw(raw_answers(book))
    env = env_for(book, answers)
    fast = C.compile_condition(cond, book.option_orders)(env)
    slow = C.evaluate(cond, env.answers, book.option_orders, env.fact, env.eligible)
    assert fast == slow


@given(data=st.data())
def test_parse_of_dumped_tree_is_the_same_tree(book: RuleBook, data: st.DataObject) -> None:
    cond = data.draw(condition(book))
    parsed, errors = parse(to_raw(cond), vocab(book))
    assert errors == []
    assert parsed == cond


@given(data=st.data())
def test_describe_never_fails_and_names_no_python(book: RuleBook, data: st.DataObject) -> None:
    cond = data.draw(condition(book))
    text = C.describe(cond, book.question_info, {}, {})
    assert isinstance(text, str) and "Compare(" not in text


def test_questions_read_follows_facts(book: RuleBook) -> None:
    facts = {k: f.when for k, f in book.facts.items()}
    cond, _ = parse({"fact": "accredited_ma_graduate"}, vocab(book))
    assert C.questions_read(cond, facts) == ("ma_training", "ma_training_accredited")


def test_join_words() -> None:
    assert C.join_words([]) == ""
    assert C.join_words(["a"]) == "a"
    assert C.join_words(["a", "b", "c"], "or") == "a, b or c"
