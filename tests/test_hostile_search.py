"""Issue 13, class 5 and the RecursionError of class 8: small files must not cost huge CPU or stack.

Nothing here is timed: the tests count the steps an algorithm takes (comparisons, search steps)
and hold them to a bound linear in the input.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.advisor.satisfy import Solver
from recommender.book.answers import check_answer
from recommender.book.graph import MAX_EXPANDED_DEPTH, topological
from recommender.book.loader import load_rulebook
from recommender.book.rulebook import RuleBook
from recommender.cli import main
from recommender.cohort.read import MAX_HEADER_PROBLEMS, _header_problems
from tests.conftest import PROFILES, ROOT


class Counted(str):
    """A string that counts how often it is compared for equality."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        Counted.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def counted(values: list[str]) -> list[str]:
    Counted.comparisons = 0
    return [Counted(v) for v in values]


@given(st.integers(1, 3000), st.integers(1, 10))
def test_duplicate_options_are_found_in_linear_comparisons(book: RuleBook, n: int, distinct: int) -> None:
    question = next(q for q in book.questions if q.type == "multi")
    options = book.question_info[question.id].options
    value = counted([options[i % min(distinct, len(options))] for i in range(n)])
    _value, problem = check_answer(question, value, options)
    assert (problem is not None) == (n > min(distinct, len(options)))
    # Each answer is checked against the question's options (a number fixed by the rule book), and
    # against those seen before through a set, which compares only on a hash match: linear in n.
    assert Counted.comparisons <= (len(options) + 4) * n


@given(st.integers(1, 5000))
def test_csv_header_checks_are_linear_in_the_columns(book: RuleBook, n: int) -> None:
    header = counted(["education"] * n)
    wrong = _header_problems(header, book)
    assert len(wrong) == min(n - 1, MAX_HEADER_PROBLEMS + 1)
    assert Counted.comparisons <= 4 * n + 100


def test_a_header_whose_last_column_is_the_last_problem_shown_says_no_more(book: RuleBook) -> None:
    # Regression: 21 columns, 20 of them repeats, ended with "may have more problems" though none were left.
    wrong = _header_problems(["education"] * (MAX_HEADER_PROBLEMS + 1), book)
    assert wrong == ["column 'education' appears twice in the header"] * MAX_HEADER_PROBLEMS


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=200))
def test_ordering_by_use_finds_every_cycle_without_recursion(edges: list[tuple[int, int]]) -> None:
    uses: dict[str, list[str]] = {}
    for a, b in edges:
        uses.setdefault(str(a), []).append(str(b))
    nodes = sorted({str(n) for e in edges for n in e})
    order, cycles = topological(nodes, lambda n: uses.get(n, []))
    assert sorted(order) == nodes
    position = {n: i for i, n in enumerate(order)}
    back = [(a, b) for a in nodes for b in uses.get(a, []) if position[b] >= position[a]]
    assert bool(back) == bool(cycles)  # an edge against the order exists exactly when there is a cycle
    for cycle in cycles:
        assert cycle[0] == cycle[-1] and all(b in uses[a] for a, b in zip(cycle, cycle[1:]))


def test_a_chain_of_thousands_of_facts_needs_no_recursion() -> None:
    chain = [f"f{i}" for i in range(50_000)]
    order, cycles = topological(reversed(chain), lambda n: [f"f{int(n[1:]) - 1}"] if n != "f0" else [])
    assert order == chain and cycles == []


# ------------------------------------------------------------------ rule books built to be expensive
def _book_with(tmp_path: Path, questions: str = "", facts: str = "", rules: str = "") -> Path:
    book = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", book)
    for name, extra in (("questionnaire.yaml", questions), ("facts.yaml", facts)):
        if extra:
            path = book / name
            path.write_text(path.read_text(encoding="utf-8").rstrip() + "\n" + extra, encoding="utf-8")
    if rules:
        (book / "rules" / "zz_hostile.yaml").write_text("rules:\n" + rules, encoding="utf-8")
    return book


def _flags(n: int) -> str:
    lines = [f"  - {{id: flag{i}, type: boolean, label: flag {i}, prompt: Flag {i}?, default: false}}"
             for i in range(n)]
    lines.append("  - {id: pick, type: single, label: pick, prompt: Pick?, default: a, "
                 "options: [{id: a, label: A}, {id: b, label: B}]}")
    return "\n".join(lines) + "\n"


def _hard_rule(n: int) -> str:
    # n independent yes/no questions, then a conflict on a question asked after all of them: a search
    # that tries answers in questionnaire order meets the conflict only after 2^n combinations.
    anys = ", ".join(f"{{any: [{{answer: flag{i}, equals: true}}, {{answer: flag{i}, equals: false}}]}}"
                     for i in range(n))
    return (f"  - {{id: hard, description: h, when: {{all: [{anys}, {{answer: pick, equals: a}}, "
            f"{{answer: pick, equals: b}}]}}, points: {{CMAA: 5}}, because: hard}}\n")


@pytest.mark.parametrize("n", [22, 40])
def test_an_exponential_condition_is_undecided_within_the_budget(tmp_path: Path, n: int,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    book = load_rulebook(_book_with(tmp_path, _flags(n), rules=_hard_rule(n)))
    solver = Solver(book, budget=5_000)
    rule = next(r for r in book.rules if r.id == "hard")
    assert solver.decide(rule.when) is None and solver.satisfiable(rule.when)  # undecided is taken as "may hold"
    assert solver.steps <= 5_001
    assert main(["rules", "check", "--rules", str(tmp_path / "rules")]) == 0
    out = capsys.readouterr().out
    assert ("rules/zz_hostile.yaml:2: warning: rule 'hard' → when: could not decide whether this can hold: the "
            "search stopped after 20,000 steps (the condition combines many independent answers), so no check "
            "that needs it was made; split it into smaller rules or facts") in out.replace(str(tmp_path) + "/", "")
    assert "can never fire" not in out


@given(st.integers(1, 12))
def test_small_conditions_are_still_decided_exactly(n: int) -> None:
    book = load_rulebook(ROOT / "rules")
    solver = Solver(book, budget=10**9)
    from recommender.book import conditions as C

    parts: tuple[Any, ...] = tuple(C.Compare("experience_years", "gte", i) for i in range(n))
    assert solver.decide(C.All(parts + (C.Compare("experience_years", "lt", n - 1),))) is False
    assert solver.decide(C.All(parts)) is True
    assert solver.undecided == []


def _chain(n: int, reverse: bool = True) -> str:
    facts = [f"  - {{id: c{i}, description: chain, when: {{fact: c{i - 1}}}}}" for i in range(1, n)]
    facts.append("  - {id: c0, description: base, when: {answer: education, equals: high_school}}")
    return "\n".join(facts[::-1] if not reverse else facts) + "\n"


@pytest.mark.parametrize("n", [500, 3000])
def test_regression_long_chains_of_facts_are_a_located_problem_not_a_recursion_error(
        tmp_path: Path, n: int, capsys: pytest.CaptureFixture[str]) -> None:
    book = _book_with(tmp_path, facts=_chain(n), rules="  - {id: uses-chain, description: d, when: {fact: c%d}, "
                                                       "points: {CMAA: 1}, because: chained}\n" % (n - 1))
    for args, code in ((["rules", "check"], 1), (["recommend", str(PROFILES[0])], 2)):
        assert main([*args, "--rules", str(book)]) == code
        out, err = capsys.readouterr()
        lines = [line for line in (out + err).splitlines() if "facts.yaml" in line]
        assert len(lines) == 1 and "internal error" not in out + err
        assert lines[0].endswith(f"fact 'c{MAX_EXPANDED_DEPTH}' → when: nests {MAX_EXPANDED_DEPTH + 1} levels deep "
                                 f"through the facts it uses; the limit is {MAX_EXPANDED_DEPTH}, so shorten the "
                                 f"chain of facts")


def test_a_chain_just_within_the_limit_works_in_every_command(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    n = MAX_EXPANDED_DEPTH  # c0 has depth 1, so c{n-1} is exactly at the limit
    book = _book_with(tmp_path, facts=_chain(n), rules="  - {id: uses-chain, description: d, when: {all: [{fact: "
                                                       "c%d}, {not: {fact: c%d}}]}, points: {CMAA: 1}, because: c}\n"
                                                       % (n - 1, n - 1))
    for args in (["rules", "check"], ["recommend", str(PROFILES[0])], ["explain", str(PROFILES[0]), "CMAA"],
                 ["path", str(PROFILES[0])], ["rules", "coverage", str(ROOT / "profiles")]):
        code = main([*args, "--rules", str(book)])
        out, err = capsys.readouterr()
        assert code in (0, 1) and "internal error" not in err, (args, err)
