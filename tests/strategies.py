"""Hypothesis strategies: random valid answers, random condition trees, rule files with planted mistakes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from recommender.book import conditions as C
from recommender.book.answers import is_asked
from recommender.book.rulebook import RuleBook
from recommender.book.rulefile import Question


def answer_for(question: Question, options: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """A valid answer to one question."""
    if question.type == "boolean":
        return st.booleans()
    if question.type == "number":
        lo = int(question.min if question.min is not None else 0)
        hi = int(question.max if question.max is not None else 10_000)
        return st.integers(min_value=lo, max_value=min(hi, lo + 60) if hi > 1000 else hi) | st.just(hi)
    if question.type == "single":
        return st.sampled_from(options)
    return st.lists(st.sampled_from(options), unique=True, max_size=len(options))


@st.composite
def raw_answers(draw: st.DrawFn, book: RuleBook) -> dict[str, Any]:
    """A valid answers mapping: asked questions answered or left to their defaults, unasked ones absent."""
    answers: dict[str, Any] = {}
    resolved: dict[str, Any] = {}
    for q in book.questions:
        if not is_asked(book, q.id, resolved):
            continue
        options = book.question_info[q.id].options
        if q.required or draw(st.booleans()):
            value = draw(answer_for(q, options))
            answers[q.id] = value
            resolved[q.id] = value
        elif q.default is not None:
            resolved[q.id] = q.default
    return answers


def compare(book: RuleBook) -> st.SearchStrategy[C.Condition]:
    """A random valid comparison on the book's questions."""
    def build(qid: str) -> st.SearchStrategy[C.Condition]:
        info = book.question_info[qid]
        ops = [name for name, op in C.OPERATORS.items() if info.type in op.types]

        def with_op(op_name: str) -> st.SearchStrategy[C.Condition]:
            arg = C.OPERATORS[op_name].arg
            if arg == "flag":
                value: st.SearchStrategy[Any] = st.booleans()
            elif arg in ("number",):
                value = st.integers(-5, 60)
            elif arg == "range":
                value = st.tuples(st.integers(0, 30), st.integers(0, 30)).map(lambda t: tuple(sorted(t)))
            elif arg == "option":
                value = st.sampled_from(info.options)
            elif arg == "options" or (arg == "values" and info.type == "single"):
                value = st.lists(st.sampled_from(info.options), min_size=1, max_size=3, unique=True).map(tuple)
            elif arg == "values":
                value = st.lists(st.integers(0, 30), min_size=1, max_size=3).map(tuple)
            elif info.type == "single":
                value = st.sampled_from(info.options)
            elif info.type == "boolean":
                value = st.booleans()
            else:
                value = st.integers(0, 30)
            return value.map(lambda v: C.Compare(qid, op_name, v))

        return st.sampled_from(ops).flatmap(with_op)

    return st.sampled_from(sorted(book.question_info)).flatmap(build)


def condition(book: RuleBook) -> st.SearchStrategy[C.Condition]:
    """Random condition trees over comparisons, facts and eligibility."""
    leaves = st.one_of(
        compare(book),
        st.sampled_from(sorted(book.facts)).map(C.Fact),
        st.sampled_from(sorted(book.routes)).map(C.Eligible),
    )
    return st.recursive(
        leaves,
        lambda kids: st.one_of(
            st.lists(kids, max_size=4).map(lambda xs: C.All(tuple(xs))),
            st.lists(kids, max_size=4).map(lambda xs: C.AnyOf(tuple(xs))),
            kids.map(C.Not),
        ),
        max_leaves=12,
    )


def to_raw(cond: C.Condition) -> Any:
    """A condition tree back to the YAML form (the inverse of parsing)."""
    if isinstance(cond, C.All):
        return {"all": [to_raw(c) for c in cond.items]}
    if isinstance(cond, C.AnyOf):
        return {"any": [to_raw(c) for c in cond.items]}
    if isinstance(cond, C.Not):
        return {"not": to_raw(cond.item)}
    if isinstance(cond, C.Fact):
        return {"fact": cond.id}
    if isinstance(cond, C.Eligible):
        return {"eligible": cond.item}
    value = list(cond.value) if isinstance(cond.value, tuple) else cond.value
    return {"answer": cond.question, cond.op: value}


# ------------------------------------------------------------------ the web front end
#: Any JSON value, small: what a stranger might post to the API or put in a cookie.
json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def junk_answers(draw: st.DrawFn, book: RuleBook) -> dict[str, Any]:
    """An answers object that mixes real question ids with wrong values and unknown keys."""
    ids = [q.id for q in book.questions]
    keys = st.sampled_from(ids) | st.text(min_size=1, max_size=12)
    answers = draw(st.dictionaries(keys, json_values | st.sampled_from(["none", "high_school", "completed"]),
                                   max_size=6))
    return {"answers": answers} if draw(st.booleans()) else draw(st.dictionaries(st.text(max_size=8), json_values,
                                                                                  max_size=3))


def form_fields() -> st.SearchStrategy[list[str]]:
    """What a browser (or someone who is not one) might post as a question's `answer` fields."""
    word = st.sampled_from(["", "yes", "no", "none", "high_school", "completed", "3", "-1", "1,500", "$800", "?",
                            "b", "abc", "1e9", "80 hours", "CPC"]) | st.text(max_size=30)
    return st.lists(word, max_size=4)


# ------------------------------------------------------------------ rule files with planted mistakes
#: Where a mistake can go in a rule, and the kinds of mistake each place takes.
MISTAKE_KINDS = {
    "description": ("misspelled_key",),
    "when": ("misspelled_key", "unknown_question", "unknown_fact", "unknown_option"),
    "points": ("misspelled_key", "unknown_item"),
    "because": ("misspelled_key", "unknown_placeholder"),
}


def _typos(word: str, keys: frozenset[str]) -> st.SearchStrategy[str]:
    """Misspellings of `word` (a letter dropped, doubled or two swapped) still closest to it."""
    from recommender.suggest import closest

    def make(i: int, how: int) -> str:
        i = i % len(word)
        if how == 0:
            return word[:i] + word[i + 1:]
        if how == 1:
            return word[:i] + word[i] + word[i:]
        j = min(i + 1, len(word) - 1)
        return word[:i] + word[j] + word[i] + word[j + 1:] if j > i else word[:-2] + word[-1] + word[-2]

    return st.builds(make, st.integers(0, 20), st.integers(0, 2)).filter(
        lambda t: t != word and t not in keys and closest(t, keys) == word)


@st.composite
def mistaken_rules(draw: st.DrawFn, source: Callable[[], tuple[list[dict[str, Any]], frozenset[str]]]
                   ) -> tuple[list[str], list[tuple[int, str]]]:
    """Some valid rules with mistakes planted in distinct places.

    `source` gives the valid rules and the known keys (a function, so the strategy's own
    description stays short). Returns the rule file's lines (each key of a rule on one line, its
    value in JSON, which is YAML) and, per mistake, the line it is on and what it is.
    """
    rules, keys = source()
    chosen = draw(st.lists(st.sampled_from(range(len(rules))), min_size=1, max_size=6, unique=True))
    lines = ["rules:"]
    planted: list[tuple[int, str]] = []
    for index in chosen:
        rule = dict(rules[index])
        places = [p for p in MISTAKE_KINDS if p in rule]
        hit = draw(st.lists(st.sampled_from(places), max_size=len(places), unique=True))
        lines.append(f"  - id: {rule.pop('id')}")
        for key, value in rule.items():
            name = key
            if key in hit:
                kind = draw(st.sampled_from(MISTAKE_KINDS[key]))
                if kind == "misspelled_key":
                    name = draw(_typos(key, keys))
                elif kind == "unknown_question":
                    value = {"all": [value, {"answer": "intrests", "contains": "billing_coding"}]}
                elif kind == "unknown_fact":
                    value = {"any": [value, {"fact": "has_diplomma"}]}
                elif kind == "unknown_option":
                    value = {"all": [value, {"answer": "education", "at_least": "asociate"}]}
                elif kind == "unknown_item":
                    value = {**value, "CPPC": 5}
                else:
                    value = value + " {intrests}"
                planted.append((len(lines) + 1, f"{kind} at {key}"))
            lines.append(f"    {name}: {json.dumps(value, default=str)}")
    assume(planted)
    return lines, planted


def json_data() -> st.SearchStrategy[Any]:
    """Data `json.dumps` can write, with the values where encoders differ: tiny, huge and non-finite
    floats, integers past 64 bits, lone surrogates, keys that are not text, tuples."""
    text = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()), max_size=8)
    floats = st.floats() | st.sampled_from([1e-5, 1e-4, 9.99e-5, 1e15, 1e16, 1e22, -0.0, 5e-324, 0.1 + 0.2])
    atoms = st.none() | st.booleans() | st.integers() | st.integers(-2**70, 2**70) | floats | text
    keys = text | st.integers(-3, 3) | st.booleans()
    return st.recursive(atoms, lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple)
                        | st.dictionaries(keys, inner, max_size=4), max_leaves=20)
