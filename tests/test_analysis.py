"""Static analysis: conditions that never hold, rules that repeat or cancel out, unused things, old sources."""

from __future__ import annotations

import datetime
from functools import lru_cache
from pathlib import Path

from recommender.advisor.analysis import analyse, check_sources
from recommender.book.loader import load_rulebook
from recommender.book.rulebook import RuleBook
from recommender.errors import Problem
from tests.conftest import ROOT
from tests.scratch import FOUNDATION, Scratch, scratch  # noqa: F401 - the fixture

TODAY = datetime.date(2026, 11, 29)
RULES = f"rules/rules/{FOUNDATION.split('/')[-1]}"


def test_the_shipped_book_has_no_errors(book: RuleBook) -> None:
    problems = analyse(book, TODAY)
    assert [str(p) for p in problems if not p.warning] == []
    assert all(p.line > 0 and p.path.endswith(".yaml") for p in problems)


Finding = tuple[str, str, str, str]


def _what(p: Problem, root: Path) -> Finding:
    # Not the line: edits above a finding move it.  The path relative to the book's parent folder.
    return (Path(p.path).resolve().relative_to(root.resolve().parent).as_posix(), p.subject, p.key, p.message)


@lru_cache(maxsize=1)
def _shipped() -> frozenset[Finding]:
    book = load_rulebook(ROOT / "rules")
    return frozenset(_what(p, book.root) for p in analyse(book, TODAY))


def baseline(s: Scratch) -> frozenset[Finding]:
    """What the copy of the shipped book already reports, before a test edits it."""
    return _shipped()


def new_findings(s: Scratch, before: frozenset[Finding]) -> list[str]:
    book = s.load()
    return [str(p) for p in analyse(book, TODAY) if _what(p, book.root) not in before]


# ---------------------------------------------------------------- rules that can never fire
def test_two_choices_of_one_single_question(scratch: Scratch) -> None:
    before = baseline(scratch)
    start = scratch.rule("clash", "{all: [{answer: education, equals: none}, {answer: education, at_least: associate}]}")
    assert new_findings(scratch, before) == [
        f"{RULES}:{start + 2}: rule 'clash' → when.all[0]: can never fire: 'education' has one answer, so these "
        "cannot all hold: your highest education is No high-school diploma or GED yet; your highest education "
        "is Associate degree or higher"
    ]


def test_number_ranges_that_do_not_overlap(scratch: Scratch) -> None:
    before = baseline(scratch)
    start = scratch.rule("gap", "\n      all:\n        - {fact: has_diploma}\n"
                                "        - {answer: experience_years, gt: 4}\n"
                                "        - {answer: experience_years, lt: 5}\n")
    assert new_findings(scratch, before) == [
        f"{RULES}:{start + 5}: rule 'gap' → when.all[1]: can never fire: no value of 'experience_years' satisfies "
        "all of: your years of supervised healthcare office work is more than 4; your years of supervised "
        "healthcare office work is less than 5 ('experience_years' takes whole numbers from 0 to 50)"
    ]


def test_a_value_beyond_the_questions_bounds(scratch: Scratch) -> None:
    before = baseline(scratch)
    start = scratch.rule("too-far", "{answer: study_hours_per_week, gte: 81}")
    assert new_findings(scratch, before) == [
        f"{RULES}:{start + 2}: rule 'too-far' → when: can never fire: the hours a week you can study is at "
        "least 81 never holds: 'study_hours_per_week' takes whole numbers from 0 to 80"
    ]


def test_questions_never_asked_together(scratch: Scratch) -> None:
    before = baseline(scratch)
    start = scratch.rule("unasked", "{all: [{answer: ma_training, equals: in_progress}, "
                                    "{answer: training_years_ago, lte: 2}]}")
    assert new_findings(scratch, before) == [
        f"{RULES}:{start + 2}: rule 'unasked' → when.all[1]: can never fire: it needs an answer to "
        "'training_years_ago', which is asked only when your medical assisting or medical office training is "
        "Completed a program, and that cannot hold together with: your medical assisting or medical office "
        "training is Enrolled now"
    ]


def test_a_contradiction_hidden_in_facts_names_them(scratch: Scratch) -> None:
    before = baseline(scratch)
    start = scratch.rule("two-states", "{all: [{fact: accredited_ma_graduate}, {fact: accredited_ma_student}]}")
    assert new_findings(scratch, before) == [
        f"{RULES}:{start + 2}: rule 'two-states' → when.all[0]: can never fire: 'ma_training' has one answer, "
        "so these cannot all hold: your medical assisting or medical office training is Completed a program; "
        "your medical assisting or medical office training is Enrolled now (through facts "
        "'accredited_ma_graduate', 'accredited_ma_student', 'ma_training_done')"
    ]


def test_other_contradictions_are_listed_part_by_part(scratch: Scratch) -> None:
    before = baseline(scratch)
    start = scratch.rule("both-ways", "{all: [{answer: interests, all_of: [dental, management]}, "
                                      "{not: {answer: interests, contains: dental}}]}")
    assert new_findings(scratch, before) == [
        f"{RULES}:{start + 2}: rule 'both-ways' → when.all[0]: can never fire: these cannot all hold at once: "
        "your interests include all of dental offices and managing people and offices; it is not the case that "
        "your interests include dental offices"
    ]


def test_conditions_that_hold_without_an_answer_are_not_flagged(scratch: Scratch) -> None:
    before = baseline(scratch)
    scratch.rule("fine-1", "{all: [{answer: ma_training, equals: none}, {answer: training_years_ago, answered: false}]}")
    scratch.rule("fine-2", "{all: [{answer: experience_years, equals: 0}, {answer: experience_areas, none_of: [coding]}]}")
    scratch.rule("fine-3", "{all: [{answer: experience_years, gt: 4}, {answer: experience_years, lt: 6}]}")
    assert new_findings(scratch, before) == []


def test_a_fact_a_route_and_a_question_that_never_hold(scratch: Scratch) -> None:
    before = baseline(scratch)
    fact = scratch.append("facts.yaml", "  - id: impossible\n    description: never\n"
                                        "    when: {all: [{fact: no_experience}, {fact: experience_1yr}]}\n")
    scratch.rule("uses-impossible", "{fact: impossible}")
    question = scratch.append("questionnaire.yaml", "  - id: never_asked\n    type: boolean\n    label: x\n"
                                                    "    prompt: Never asked?\n    default: false\n"
                                                    "    ask_if: {answer: experience_years, lt: 0}\n")
    problems = new_findings(scratch, before)
    assert f"rules/facts.yaml:{fact + 2}: fact 'impossible' → when.all[0]: can never hold: no value of 'experience_years' " \
           "satisfies all of: your years of supervised healthcare office work is 0; your years of supervised " \
           "healthcare office work is at least 1 ('experience_years' takes whole numbers from 0 to 50) (through " \
           "facts 'experience_1yr', 'no_experience')" in problems
    assert f"rules/questionnaire.yaml:{question + 5}: question 'never_asked' → ask_if: is never asked: your years " \
           "of supervised healthcare office work is less than 0 never holds: 'experience_years' takes whole " \
           "numbers from 0 to 50" in problems
    assert any("rule 'uses-impossible' → when: can never fire:" in p for p in problems)


# ---------------------------------------------------------------- repeated and cancelled rules
def test_an_identical_rule_is_an_error(scratch: Scratch) -> None:
    before = baseline(scratch)
    start = scratch.rule("twin", "{fact: wants_front_office}",
                         "{CMAA: 30, medical_administrative_assistant: 30, patient_access_representative: 10}")
    where = str(scratch.load().where[("rule", "front-office-fit")])
    assert new_findings(scratch, before) == [
        f"{RULES}:{start + 2}: rule 'twin' → when: repeats rule 'front-office-fit' ({where}): the same condition "
        "and the same effects, so its points count twice; delete one of them"
    ]


def test_an_equivalent_condition_written_differently_is_still_a_repeat(scratch: Scratch) -> None:
    before = baseline(scratch)
    scratch.rule("first", "{all: [{fact: wants_coding}, {fact: has_diploma}]}", "{CPB: 7}")
    start = scratch.rule("second", "{not: {any: [{not: {fact: has_diploma}}, {not: {fact: wants_coding}}]}}",
                         "{CPB: 7}")
    assert [p.split(": repeats")[0] for p in new_findings(scratch, before)] == [
        f"{RULES}:{start + 2}: rule 'second' → when"]


def test_points_that_can_never_count(scratch: Scratch) -> None:
    before = baseline(scratch)
    start = scratch.rule("dead-points", "{answer: certifications, contains: CPC}", "{CPC: 10, CCA: 5, aapc: 3}")
    line = f"{RULES}:{start + 3}: warning: rule 'dead-points' → points"
    assert new_findings(scratch, before) == [
        f"{line}.CCA: these points never count: whenever this rule fires, rule 'held-coding-credential' fires too "
        "and excludes 'CCA' [points-excluded]",
        f"{line}.CPC: these points never count: the rule fires only for people who already hold 'CPC', and a "
        "credential a person holds is never recommended [points-for-holders]",
        f"{line}.aapc: these points never count: 'aapc' is an organization, and only certifications, programs "
        "and roles are recommended [points-on-organization]",
    ]


def test_points_for_an_item_that_is_never_recommended(scratch: Scratch) -> None:
    before = baseline(scratch)
    start = scratch.rule("score-mgma", "{fact: management_experience}", "{mgma: 5}")
    assert new_findings(scratch, before) == [
        f"{RULES}:{start + 3}: warning: rule 'score-mgma' → points.mgma: these points never count: 'mgma' is "
        "an organization, and only certifications, programs and roles are recommended [points-on-organization]"
    ]


def test_a_next_step_about_an_organization_is_general_advice(scratch: Scratch) -> None:
    # Regression: such steps used to be dropped; they are now shown among the general advice.
    before = baseline(scratch)
    scratch.rule("join-mgma", "{fact: management_experience}", "{CMOM: 5}",
                 extra="    next_steps:\n      - {item: mgma, text: Join MGMA.}\n")
    assert new_findings(scratch, before) == []


def test_a_rule_that_excludes_what_it_scores(scratch: Scratch) -> None:
    before = baseline(scratch)
    start = scratch.rule("self-defeating", "{all: [{fact: wants_coding}, {fact: small_budget}]}", "{CPB: 5}",
                         extra="    exclude: [CPB]\n")
    assert new_findings(scratch, before) == [
        f"{RULES}:{start + 3}: warning: rule 'self-defeating' → points.CPB: these points never count: the same "
        "rule excludes 'CPB' [points-excluded-by-itself]"
    ]


def test_points_under_a_narrower_condition_than_the_exclusion_still_count(scratch: Scratch) -> None:
    before = baseline(scratch)
    scratch.rule("sometimes-held", "{answer: certifications, any_of: [CPC, CMAA]}", "{CCA: 5}")
    assert new_findings(scratch, before) == []


# ---------------------------------------------------------------- unused things
def test_an_item_nothing_reaches(scratch: Scratch) -> None:
    before = baseline(scratch)
    start = scratch.append("catalog/programs.yaml", "  - id: orphan_course\n    kind: program\n    level: course\n"
                                                    "    name: An orphan\n    description: Nobody points here.\n")
    assert new_findings(scratch, before) == [
        f"rules/catalog/programs.yaml:{start}: warning: program 'orphan_course': no report can show it: no rule "
        "that can fire gives it points, and no eligibility route leads to it [item-unreachable]"
    ]


def test_an_item_only_a_rule_that_never_fires_reaches(scratch: Scratch) -> None:
    scratch.append("catalog/programs.yaml", "  - id: orphan_course\n    kind: program\n    level: course\n"
                                            "    name: An orphan\n    description: Only a dead rule points here.\n")
    scratch.rule("dead", "{answer: experience_years, gt: 99}", "{orphan_course: 5}")
    assert any("program 'orphan_course': no report can show it" in str(p) for p in analyse(scratch.load(), TODAY))


def test_a_question_fact_and_source_nothing_uses(scratch: Scratch) -> None:
    before = baseline(scratch)
    question = scratch.append("questionnaire.yaml", "  - id: favourite_colour\n    type: single\n    label: x\n"
                                                    "    prompt: Favourite colour?\n    default: red\n"
                                                    "    options: [{id: red, label: Red}]\n")
    fact = scratch.append("facts.yaml", "  - id: likes_red\n    description: you like red\n"
                                        "    when: {answer: education, equals: none}\n")
    scratch.replace("catalog/organizations.yaml", "sources:\n", "sources:\n  - id: uncited-page\n"
                    "    title: A page nobody cites\n    url: https://example.org\n    kind: issuer\n    checked: 2026-11-01\n")
    assert new_findings(scratch, before) == [
        f"rules/catalog/organizations.yaml:{_line_of(scratch, 'catalog/organizations.yaml', 'uncited-page')}: "
        "warning: source 'uncited-page': no fact cites it [source-uncited]",
        f"rules/facts.yaml:{fact}: warning: fact 'likes_red': no rule, eligibility route or other fact uses it [fact-unused]",
        f"rules/questionnaire.yaml:{question}: warning: question 'favourite_colour': no rule, fact, eligibility "
        "route or other question reads it, so its answer changes nothing [question-unread]",
    ]


def _line_of(s: Scratch, rel: str, text: str) -> int:
    lines = (s.root / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


# ---------------------------------------------------------------- sources
def test_source_dates_in_the_future_and_too_old(scratch: Scratch) -> None:
    scratch.replace("catalog/organizations.yaml", "sources:\n", "sources:\n"
                    "  - {id: from-the-future, title: T, url: 'https://example.org/a', checked: 2026-11-30}\n"
                    "  - {id: just-in-time, title: T, url: 'https://example.org/b', checked: 2025-11-29}\n"
                    "  - {id: one-day-late, title: T, url: 'https://example.org/c', checked: 2025-11-28}\n")
    problems = [str(p) for p in check_sources(scratch.root, TODAY, 365)]
    first = _line_of(scratch, "catalog/organizations.yaml", "from-the-future")
    assert problems == [
        f"rules/catalog/organizations.yaml:{first}: source 'from-the-future' → checked: 2026-11-30 is after today "
        "(2026-11-29); write the date the source was actually read",
        f"rules/catalog/organizations.yaml:{first + 2}: warning: source 'one-day-late' → checked: 2025-11-28 is "
        "366 days ago, over the limit of 365; read the source again and update the date, or the facts that "
        "cite it may be out of date [source-old]",
    ]


def test_source_dates_of_a_loaded_book(scratch: Scratch) -> None:
    scratch.replace("catalog/organizations.yaml", "sources:\n", "sources:\n"
                    "  - {id: from-the-future, title: T, url: 'https://example.org/a', checked: 2026-12-25}\n")
    line = _line_of(scratch, "catalog/organizations.yaml", "from-the-future")
    assert f"rules/catalog/organizations.yaml:{line}: source 'from-the-future' → checked: 2026-12-25 is after " \
           "today (2026-11-29); write the date the source was actually read" in map(str, analyse(scratch.load(), TODAY))


def test_source_age_limit_is_configurable(book: RuleBook) -> None:
    later = TODAY + datetime.timedelta(days=31)
    old = [p for p in analyse(book, later, max_age_days=30) if p.key == "checked"]
    read = [s for s in book.sources.values() if s.checked is not None]
    assert read and len(old) == len(read) and all(p.warning for p in old)
    assert [p for p in analyse(book, later, max_age_days=31) if p.key == "checked"] == []


def test_source_dates_are_checked_when_the_book_does_not_load(scratch: Scratch) -> None:
    scratch.replace("catalog/organizations.yaml", "sources:\n", "sources:\n"
                    "  - {id: future, title: T, url: 'https://example.org/a', checked: 2030-01-01}\n")
    scratch.append("rules/advancement.yaml", "  - id: broken\n")
    assert [p.subject for p in check_sources(scratch.root, TODAY)] == ["source 'future'"]
