from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.book import conditions as C
from recommender.book.answers import profile_from
from recommender.book.index import Key, RuleIndex, key_for, necessary_literals
from recommender.book.rulebook import CompiledRule, RuleBook, Where
from recommender.book.rulefile import Rule
from recommender.engine.compiled import Env as _Env
from recommender.engine.compiled import plan
from recommender.engine.recommend import fired_rules
from tests.strategies import compare, condition, raw_answers, to_raw

EDUCATION = C.Compare("education", "equals", "associate")
CODING = C.Compare("interests", "contains", "billing_coding")
EXPERIENCE = C.Compare("experience_years", "gte", 2)


# ------------------------------------------------------------------ a reference to compare with
def reference(book: RuleBook, answers: Mapping[str, Any]) -> Callable[[C.Condition], bool]:
    """Evaluate by walking trees: facts and eligibility too, with no compiled code and no index."""
    orders = book.option_orders
    facts: dict[str, bool] = {}
    eligible: dict[str, bool] = {}

    def fact(name: str) -> bool:
        if name not in facts:
            facts[name] = holds(book.facts[name].when)
        return facts[name]

    def can_sit(item: str) -> bool:
        if item not in eligible:
            routes = book.routes.get(item, ())
            eligible[item] = not routes or any(r.when is not None and holds(r.when) for r in routes)
        return eligible[item]

    def holds(cond: C.Condition) -> bool:
        return C.evaluate(cond, answers, orders, fact, can_sit)

    return holds


KEYED_OPS = {"single": ("equals", "one_of", "at_least", "at_most"), "boolean": ("equals",),
             "multi": ("contains", "any_of", "all_of")}


def keyable(book: RuleBook) -> st.SearchStrategy[C.Compare]:
    """Comparisons of the kinds the index keys on (random comparisons are mostly of other kinds)."""
    pairs = sorted((q, op) for q, info in book.question_info.items() for op in KEYED_OPS.get(info.type, ()))

    def value(pair: tuple[str, str]) -> st.SearchStrategy[C.Compare]:
        qid, op = pair
        info = book.question_info[qid]
        if info.type == "boolean":
            return st.booleans().map(lambda v: C.Compare(qid, op, v))
        if op in ("one_of", "any_of", "all_of"):
            return st.lists(st.sampled_from(info.options), min_size=1, max_size=3, unique=True).map(
                lambda vs: C.Compare(qid, op, tuple(vs)))
        return st.sampled_from(info.options).map(lambda v: C.Compare(qid, op, v))

    return st.sampled_from(pairs).flatmap(value)


def rule_condition(book: RuleBook) -> st.SearchStrategy[C.Condition]:
    """Random conditions, most of them conjunctions holding a comparison the index can key on."""
    return st.one_of(
        condition(book),
        st.tuples(keyable(book), condition(book)).map(C.All),
        st.tuples(st.sampled_from(sorted(book.facts)).map(C.Fact), keyable(book)).map(C.All),
        st.tuples(keyable(book), keyable(book), compare(book)).map(C.All),
    )


def profile_answers(book: RuleBook) -> st.SearchStrategy[Mapping[str, Any]]:
    """Answers as validated (defaults filled in) or as given (defaults left out)."""
    return raw_answers(book).flatmap(
        lambda raw: st.sampled_from([raw, dict(profile_from(book, raw).answers)]))


# ------------------------------------------------------------------ properties
@given(data=st.data())
def test_indexed_rules_fire_exactly_as_every_rule_evaluated(book: RuleBook, data: st.DataObject) -> None:
    conds = data.draw(st.lists(rule_condition(book), min_size=1, max_size=12))
    index = RuleIndex.build(conds, {k: f.when for k, f in book.facts.items()}, book.question_info)
    compiled = [C.compile_condition(c, book.option_orders) for c in conds]
    for answers in data.draw(st.lists(profile_answers(book), min_size=1, max_size=5)):
        env = _Env(book, plan(book), answers)
        holds = reference(book, answers)

        fast = [i for i in index.candidates(answers) if compiled[i](env)]

        assert fast == [i for i, cond in enumerate(conds) if holds(cond)]


@given(data=st.data())
def test_fired_rules_match_the_reference_on_random_rule_books(book: RuleBook, data: st.DataObject) -> None:
    conds = data.draw(st.lists(rule_condition(book), min_size=1, max_size=12))
    template = book.rules[0]
    rules = tuple(
        CompiledRule(Rule(id=f"r{i}", description="random", when=to_raw(c), points={"CMAA": 1}, because="random"),
                     c, template.because, (), (), Where("random.yaml", i + 1))
        for i, c in enumerate(conds))
    random_book = dataclasses.replace(book, rules=rules)
    for answers in data.draw(st.lists(profile_answers(book), min_size=1, max_size=5)):
        holds = reference(book, answers)

        assert fired_rules(random_book, answers) == [f"r{i}" for i, c in enumerate(conds) if holds(c)]


@given(data=st.data())
def test_candidates_are_in_rule_order_without_repeats(book: RuleBook, data: st.DataObject) -> None:
    conds = data.draw(st.lists(rule_condition(book), min_size=1, max_size=12))
    answers = data.draw(profile_answers(book))
    index = RuleIndex.build(conds, {k: f.when for k, f in book.facts.items()}, book.question_info)

    found = index.candidates(answers)

    assert found == sorted(set(found))
    assert set(index.always) <= set(found)


# ------------------------------------------------------------------ necessary_literals
def test_a_comparison_is_its_own_necessary_literal() -> None:
    assert necessary_literals(EDUCATION, {}) == [EDUCATION]


def test_every_conjunct_of_nested_all_is_necessary() -> None:
    cond = C.All((EDUCATION, C.All((CODING, C.All(())))))
    assert necessary_literals(cond, {}) == [EDUCATION, CODING]


def test_facts_are_looked_through() -> None:
    facts = {"coder": C.All((CODING, C.Fact("experienced"))), "experienced": EXPERIENCE}
    assert necessary_literals(C.All((C.Fact("coder"), EDUCATION)), facts) == [CODING, EXPERIENCE, EDUCATION]


@pytest.mark.parametrize("cond", [
    C.AnyOf((EDUCATION, CODING)),
    C.AnyOf((EDUCATION,)),
    C.Not(EDUCATION),
    C.Eligible("CPC"),
    C.Fact("unknown"),
    C.All(()),
], ids=["any", "any-of-one", "not", "eligible", "unknown-fact", "empty-all"])
def test_nothing_is_necessary_under_any_not_or_eligibility(cond: C.Condition) -> None:
    assert necessary_literals(cond, {}) == []


def test_a_fact_cycle_ends_the_search() -> None:
    facts = {"a": C.All((EDUCATION, C.Fact("b"))), "b": C.All((CODING, C.Fact("a")))}
    assert necessary_literals(C.Fact("a"), facts) == [EDUCATION, CODING]


# ------------------------------------------------------------------ key_for
@pytest.mark.parametrize(("literal", "expected"), [
    (C.Compare("education", "equals", "associate"), Key("education", False, frozenset({"associate"}))),
    (C.Compare("education", "one_of", ("none", "bachelor")), Key("education", False, frozenset({"none", "bachelor"}))),
    (C.Compare("education", "at_least", "associate"),
     Key("education", False, frozenset({"associate", "bachelor", "graduate"}))),
    (C.Compare("education", "at_most", "high_school"), Key("education", False, frozenset({"none", "high_school"}))),
    (C.Compare("prefers_online", "equals", True), Key("prefers_online", False, frozenset({True}))),
    (C.Compare("interests", "contains", "dental"), Key("interests", True, frozenset({"dental"}))),
    (C.Compare("interests", "any_of", ("dental", "management")),
     Key("interests", True, frozenset({"dental", "management"}))),
    (C.Compare("interests", "all_of", ("dental", "management")), Key("interests", True, frozenset({"dental"}))),
    (C.Compare("interests", "none_of", ("dental",)), None),
    (C.Compare("interests", "answered", True), None),
    (C.Compare("education", "answered", True), None),
    (C.Compare("experience_years", "gte", 2), None),
    (C.Compare("experience_years", "equals", 2), None),
], ids=lambda v: v.op if isinstance(v, C.Compare) else "")
def test_key_for(book: RuleBook, literal: C.Compare, expected: Key | None) -> None:
    assert key_for(literal, book.question_info[literal.question]) == expected


# ------------------------------------------------------------------ RuleIndex
def test_build_keys_each_rule_on_its_most_selective_literal(book: RuleBook) -> None:
    wide = C.Compare("education", "at_least", "high_school")  # five values
    index = RuleIndex.build([C.All((wide, CODING)), EXPERIENCE, C.AnyOf((EDUCATION,))], {}, book.question_info)

    assert index.by_value == {"interests": {"billing_coding": (0,)}}
    assert index.multi == frozenset({"interests"})
    assert index.always == (1, 2)
    assert index.indexed == 1


def test_candidates_read_one_entry_per_answer(book: RuleBook) -> None:
    rules = [EDUCATION, CODING, C.Compare("education", "one_of", ("associate", "bachelor")), EXPERIENCE]
    index = RuleIndex.build(rules, {}, book.question_info)

    assert index.candidates({"education": "associate", "interests": ["billing_coding", "dental"]}) == [0, 1, 2, 3]
    assert index.candidates({"education": "bachelor", "interests": ["dental"]}) == [2, 3]
    assert index.candidates({}) == [3]
