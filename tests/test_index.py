from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from recommender.book import conditions as C
from recommender.book import slots
from recommender.book.answers import profile_from
from recommender.book.index import RuleIndex, conjunction, necessary_literals, parts
from recommender.book.rulebook import CompiledRule, RuleBook, Where
from recommender.book.rulefile import Rule
from recommender.book.slots import Choice, Includes, Number, bitmap
from recommender.engine.compiled import Env as _Env
from recommender.engine.compiled import plan
from recommender.engine.recommend import fired_rules
from tests.strategies import condition, raw_answers, to_raw

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


#: Comparisons the index takes whole: a conjunction of them is never evaluated.
EXACT_OPS = {"single": ("equals", "one_of", "at_least", "at_most", "answered"), "boolean": ("equals", "answered"),
             "multi": ("contains", "any_of", "all_of"),
             "number": ("gte", "gt", "lte", "lt", "between", "equals", "one_of")}
#: Comparisons the index cannot take: a rule holding one is evaluated.
OTHER_OPS = {"multi": ("none_of", "answered"), "number": ("answered",)}
#: Small numbers, so that answers often meet thresholds exactly.
small = st.integers(0, 8) | st.sampled_from([2.5, 0.0, 8.0])


def comparison(book: RuleBook, ops: Mapping[str, Sequence[str]]) -> st.SearchStrategy[C.Compare]:
    """Comparisons with the given operators for each question type."""
    pairs = sorted((q, op) for q, info in book.question_info.items() for op in ops.get(info.type, ()))

    def value(pair: tuple[str, str]) -> st.SearchStrategy[C.Compare]:
        qid, op = pair
        info = book.question_info[qid]
        arg = C.OPERATORS[op].arg
        if arg == "flag" or info.type == "boolean":
            v: st.SearchStrategy[Any] = st.booleans()
        elif info.type == "number":
            v = st.tuples(small, small) if arg == "range" else st.lists(small, max_size=3).map(tuple) \
                if arg == "values" else small
        elif arg in ("values", "options"):  # empty lists too: one_of and any_of of nothing never hold
            v = st.lists(st.sampled_from(info.options), max_size=3, unique=True).map(tuple)
        else:
            v = st.sampled_from(info.options)
        return v.map(lambda x: C.Compare(qid, op, x))

    return st.sampled_from(pairs).flatmap(value)


def exact_rule(book: RuleBook) -> st.SearchStrategy[C.Condition]:
    """Conjunctions, nested and through no facts, of comparisons the index takes whole."""
    return st.lists(comparison(book, EXACT_OPS), max_size=4).map(lambda cs: C.All(tuple(cs)))


def rule_condition(book: RuleBook) -> st.SearchStrategy[C.Condition]:
    """Random conditions, most of them conjunctions of comparisons the index can key on."""
    exact = comparison(book, EXACT_OPS)
    return st.one_of(
        condition(book),
        exact_rule(book),
        st.tuples(exact, condition(book)).map(C.All),
        st.tuples(st.sampled_from(sorted(book.facts)).map(C.Fact), exact).map(C.All),
        st.tuples(exact, exact, comparison(book, OTHER_OPS)).map(C.All),
        st.tuples(exact, exact.map(lambda c: C.All((c,)))).map(C.All),
    )


def odd_answers(book: RuleBook) -> st.SearchStrategy[dict[str, Any]]:
    """Answers evaluation reads without error that the index cannot or need not look up."""
    odd: dict[str, list[Any]] = {"single": ["doctorate"], "boolean": [1, 0], "number": [float("nan"), True, 2.5],
                                 "multi": ["dental", ["unknown"], ()]}
    return st.fixed_dictionaries({}, optional={
        q: st.sampled_from(odd[info.type]) for q, info in book.question_info.items() if info.type in odd})


def profile_answers(book: RuleBook) -> st.SearchStrategy[Mapping[str, Any]]:
    """Answers as validated (defaults filled in) or as given, with small numbers, some odd ones mixed in."""
    numbers = [q for q, info in book.question_info.items() if info.type == "number"]
    given_ = raw_answers(book).flatmap(lambda raw: st.sampled_from([raw, dict(profile_from(book, raw).answers)]))
    smaller = st.tuples(given_, st.fixed_dictionaries({}, optional={q: small for q in numbers}))
    return st.one_of(smaller.map(lambda t: {**t[0], **t[1]}),
                     st.tuples(given_, odd_answers(book)).map(lambda t: {**t[0], **t[1]}))


def fires(book: RuleBook, index: RuleIndex, conds: Sequence[C.Condition], answers: Mapping[str, Any]
          ) -> tuple[list[int], list[int]]:
    """(what the index fires, what evaluating every rule by walking its tree fires)."""
    env = _Env(book, plan(book), answers)
    compiled = [C.compile_condition(c, book.option_orders) for c in conds]
    holds = reference(book, answers)
    return index.fired(answers, lambda i: compiled[i](env)), [i for i, c in enumerate(conds) if holds(c)]


def build(book: RuleBook, conds: Sequence[C.Condition]) -> RuleIndex:
    return RuleIndex.build(conds, {k: f.when for k, f in book.facts.items()}, book.question_info)


# ------------------------------------------------------------------ properties
@given(data=st.data())
def test_indexed_rules_fire_exactly_as_every_rule_evaluated(book: RuleBook, data: st.DataObject) -> None:
    conds = data.draw(st.lists(rule_condition(book), min_size=1, max_size=12))
    index = build(book, conds)
    for answers in data.draw(st.lists(profile_answers(book), min_size=1, max_size=5)):
        fast, slow = fires(book, index, conds, answers)

        assert fast == slow


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
def test_candidates_hold_what_fires_and_what_is_evaluated_in_rule_order(book: RuleBook, data: st.DataObject) -> None:
    conds = data.draw(st.lists(rule_condition(book), min_size=1, max_size=12))
    answers = data.draw(profile_answers(book))
    index = build(book, conds)

    found, evaluated = index.candidates(answers), index.evaluated(answers)

    assert found == sorted(set(found))
    assert evaluated == sorted(set(evaluated))
    assert set(evaluated) <= set(found)
    assert set(fires(book, index, conds, answers)[1]) <= set(found)


@given(data=st.data())
def test_a_conjunction_of_indexed_comparisons_is_never_evaluated(book: RuleBook, data: st.DataObject) -> None:
    conds = data.draw(st.lists(exact_rule(book), min_size=1, max_size=12))
    answers = data.draw(raw_answers(book).flatmap(
        lambda raw: st.sampled_from([raw, dict(profile_from(book, raw).answers)])))
    index = build(book, conds)
    holds = reference(book, answers)

    def evaluate(position: int) -> bool:
        raise AssertionError(f"rule {position} evaluated: {conds[position]}")

    assert index.inexact == 0
    assert index.fired(answers, evaluate) == [i for i, c in enumerate(conds) if holds(c)]


# ------------------------------------------------------------------ the properties catch a broken index
def _off_by_one(monkeypatch: pytest.MonkeyPatch) -> Callable[[RuleIndex], RuleIndex]:
    monkeypatch.setitem(slots._CUTS, "gte", (bisect_left, True))  # "at least 3" no longer takes 3
    return lambda index: index


def _trusts_every_rule(monkeypatch: pytest.MonkeyPatch) -> Callable[[RuleIndex], RuleIndex]:
    return lambda index: dataclasses.replace(index, inexact=0)  # any, not, eligible: never evaluated


def _drops_a_slot(monkeypatch: pytest.MonkeyPatch) -> Callable[[RuleIndex], RuleIndex]:
    return lambda index: dataclasses.replace(index, slots=index.slots[1:])


def _trusts_odd_answers(monkeypatch: pytest.MonkeyPatch) -> Callable[[RuleIndex], RuleIndex]:
    monkeypatch.setattr(Choice, "mask", lambda self, answer: self.table.get(answer, 0))  # "doctorate": no rule
    return lambda index: index


@pytest.mark.parametrize("breakage", [_off_by_one, _trusts_every_rule, _drops_a_slot, _trusts_odd_answers],
                         ids=lambda f: f.__name__.strip("_"))
def test_a_broken_index_is_caught(book: RuleBook, monkeypatch: pytest.MonkeyPatch,
                                  breakage: Callable[[pytest.MonkeyPatch], Callable[[RuleIndex], RuleIndex]]) -> None:
    broken = breakage(monkeypatch)

    def wrong(example: tuple[list[C.Condition], Mapping[str, Any]]) -> bool:
        conds, answers = example
        fast, slow = fires(book, broken(build(book, conds)), conds, answers)
        return fast != slow

    conds, answers = find(st.tuples(st.lists(rule_condition(book), min_size=1, max_size=12), profile_answers(book)),
                          wrong, settings=settings(max_examples=5000, database=None, derandomize=True, phases=[Phase.generate]))
    monkeypatch.undo()
    fast, slow = fires(book, build(book, conds), conds, answers)

    assert fast == slow  # the example shows the breakage, not a fault of the real index


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




# ------------------------------------------------------------------ conjunction
def test_a_conjunction_is_read_through_nested_all_and_facts() -> None:
    facts: dict[str, C.Condition] = {"coder": C.All((CODING, C.Fact("experienced"))), "experienced": EXPERIENCE}
    assert conjunction(C.All((C.Fact("coder"), C.All((EDUCATION,)))), facts) == [CODING, EXPERIENCE, EDUCATION]


@pytest.mark.parametrize("cond", [
    C.All((EDUCATION, C.AnyOf((CODING, EXPERIENCE)))),
    C.All((EDUCATION, C.Not(CODING))),
    C.All((EDUCATION, C.Eligible("CPC"))),
    C.All((EDUCATION, C.Fact("unknown"))),
], ids=["any", "not", "eligible", "unknown-fact"])
def test_anything_but_comparisons_is_no_conjunction(cond: C.Condition) -> None:
    assert conjunction(cond, {}) is None


def test_a_fact_cycle_is_no_conjunction() -> None:
    facts = {"a": C.All((EDUCATION, C.Fact("b"))), "b": C.All((CODING, C.Fact("a")))}
    assert conjunction(C.Fact("a"), facts) is None


# ------------------------------------------------------------------ parts
@pytest.mark.parametrize(("literal", "expected"), [
    (C.Compare("education", "at_least", "associate"), [("choice", C.Compare("education", "at_least", "associate"))]),
    (C.Compare("education", "answered", True), [("choice", C.Compare("education", "answered", True))]),
    (C.Compare("prefers_online", "equals", True), [("choice", C.Compare("prefers_online", "equals", True))]),
    (C.Compare("interests", "contains", "dental"), [("includes", ("dental",))]),
    (C.Compare("interests", "any_of", ("dental", "management")), [("includes", ("dental", "management"))]),
    (C.Compare("interests", "all_of", ("dental", "management")), [("includes", ("dental",)),
                                                                  ("includes", ("management",))]),
    (C.Compare("interests", "none_of", ("dental",)), None),
    (C.Compare("interests", "answered", True), None),
    (C.Compare("experience_years", "gte", 2), [("gte", 2)]),
    (C.Compare("experience_years", "lt", 2.5), [("lt", 2.5)]),
    (C.Compare("experience_years", "between", (1, 3)), [("gte", 1), ("lte", 3)]),
    (C.Compare("experience_years", "equals", 2), [("equal", (2,))]),
    (C.Compare("experience_years", "one_of", (2, 4)), [("equal", (2, 4))]),
    (C.Compare("experience_years", "gte", float("nan")), None),
    (C.Compare("experience_years", "answered", True), None),
    (C.Compare("experience_years", "contains", "x"), None),
], ids=lambda v: v.op if isinstance(v, C.Compare) else "")
def test_parts(book: RuleBook, literal: C.Compare, expected: list[tuple[str, Any]] | None) -> None:
    assert parts(literal, book.question_info[literal.question]) == expected


# ------------------------------------------------------------------ RuleIndex
def test_build_gives_each_answer_its_slots(book: RuleBook) -> None:
    wide = C.Compare("education", "at_least", "high_school")
    between = C.Compare("experience_years", "between", (1, 3))
    index = RuleIndex.build([C.All((wide, CODING)), between, C.AnyOf((EDUCATION,))], {}, book.question_info)

    assert [(type(s).__name__, s.question, s.constrained) for s in index.slots] == [
        ("Choice", "education", 0b001), ("Includes", "interests", 0b001),
        ("Number", "experience_years", 0b010), ("Number", "experience_years", 0b010)]
    education = index.slots[0]
    assert isinstance(education, Choice)
    assert education.table["none"] == 0b110 and education.table["associate"] == 0b111
    assert index.inexact == 0b100
    assert index.indexed == 2


def test_fired_evaluates_only_the_rules_the_index_cannot_decide(book: RuleBook) -> None:
    rules: list[C.Condition] = [EDUCATION, C.All((CODING, EXPERIENCE)), C.AnyOf((EDUCATION, CODING)),
                                C.Not(EDUCATION)]
    index = RuleIndex.build(rules, {}, book.question_info)
    asked: list[int] = []

    def holds(position: int) -> bool:
        asked.append(position)
        return position == 2

    answers = {"education": "associate", "interests": ["billing_coding"], "experience_years": 2}
    assert index.fired(answers, holds) == [0, 1, 2]
    assert asked == [2, 3]
    assert index.candidates(answers) == [0, 1, 2, 3]
    assert index.evaluated(answers) == [2, 3]


def test_an_empty_one_of_holds_for_no_answer(book: RuleBook) -> None:
    # Regression: a rule listed under no value was once left out of its slot's rules, so it always fired.
    rules = [C.Compare("experience_years", "one_of", ()), C.Compare("interests", "any_of", ())]
    index = RuleIndex.build(rules, {}, book.question_info)

    assert index.fired({"experience_years": 2, "interests": ["dental"]}, lambda _: True) == []


def test_answers_outside_the_options_are_evaluated(book: RuleBook) -> None:
    rules = [EDUCATION, C.Compare("education", "answered", True), EXPERIENCE]
    index = RuleIndex.build(rules, {}, book.question_info)

    assert index.evaluated({"education": "doctorate", "experience_years": float("nan")}) == [0, 1, 2]
    assert index.fired({"education": "doctorate"}, lambda p: p == 1) == [1]


def test_every_kind_of_slot_is_built(book: RuleBook) -> None:
    index = RuleIndex.build([EDUCATION, CODING, EXPERIENCE], {}, book.question_info)
    assert [type(s) for s in index.slots] == [Choice, Includes, Number]
    assert bitmap([0, 2], 3) == 0b101
