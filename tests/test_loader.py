"""The rule book loader: the shipped book loads; broken books give exact, located messages.

Each broken book is a copy of the shipped `rules/` folder with one or a few edits.  Edits
append new objects (rules, facts, items) rather than rewrite shipped ones, so these tests
do not break when the shipped rules are tuned; line numbers are counted from the appended
text.  The working folder is the copy's parent, so paths show as 'rules/...'.
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

import pytest

from recommender.book import loader as loader_module
from recommender.book.loader import default_rules_dir, load_rulebook
from recommender.book.rulebook import RuleBook
from recommender.book.yamlio import Document
from recommender.errors import RuleBookError

SHIPPED = default_rules_dir()
FOUNDATION = "rules/foundation.yaml"
OPERATORS = "equals, one_of, gt, gte, lt, lte, between, at_least, at_most, contains, any_of, all_of, none_of, answered"


@lru_cache(maxsize=1)
def shipped() -> RuleBook:
    return load_rulebook()


def options(qid: str) -> str:
    return ", ".join(shipped().question_info[qid].options)


_PARSED: dict[tuple[str, bytes], Document] = {}


@pytest.fixture(autouse=True)
def _reuse_parsed_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parse each distinct file once per session: the copies are mostly byte-identical.

    Only speed: a file is reused only when its shown path and its bytes are the same, so
    every edited file is parsed afresh (yamlio itself is tested in test_yamlio.py).
    """
    real = loader_module.load_file

    def load_file(path: Path, shown: str | None = None, regular_only: bool = False) -> Document:
        try:
            key = (shown or str(path), path.read_bytes()) if path.is_file() else None
        except OSError:
            key = None
        if key is None:
            return real(path, shown, regular_only)
        if key not in _PARSED:
            _PARSED[key] = real(path, shown, regular_only)
        return _PARSED[key]

    monkeypatch.setattr(loader_module, "load_file", load_file)


class Book:
    """A copy of the shipped rule book under `root`, to break on purpose."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def append(self, rel: str, text: str) -> int:
        """Append text to a file; return the line number its first line lands on."""
        path = self.root / rel
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if old and not old.endswith("\n"):
            old += "\n"
        path.write_text(old + text, encoding="utf-8")
        return old.count("\n") + 1

    def errors(self) -> list[str]:
        with pytest.raises(RuleBookError) as info:
            load_rulebook(self.root)
        return info.value.lines()

    def rule(self, body: str, rel: str = FOUNDATION) -> int:
        """Append a rule (YAML lines indented as list items of `rules:`); return its first line."""
        return self.append(rel, body)


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Book:
    shutil.copytree(SHIPPED, tmp_path / "rules")
    monkeypatch.chdir(tmp_path)
    return Book(tmp_path / "rules")


def rule_text(*, id: str = "test-rule", when: str = "{fact: has_diploma}",
              points: str = "{hs_diploma_ged: 5}", because: str = "A reason.",
              extra: str = "") -> str:
    return (f"  - id: {id}\n"
            f"    description: A rule added by a test.\n"
            f"    when: {when}\n"
            f"    points: {points}\n"
            f"    because: {because}\n" + extra)


# ---------------------------------------------------------------- the shipped book
def test_shipped_rule_book_loads() -> None:
    book = load_rulebook()
    assert book.questions and book.rules and book.items and book.facts and book.sources
    assert [q.id for q in book.questions][:2] == ["education", "ma_training"]
    assert len({r.id for r in book.rules}) == len(book.rules)
    for rule in book.rules:
        assert rule.where.path.endswith(".yaml") and rule.where.line > 0


def test_shipped_rule_book_loads_from_an_explicit_path() -> None:
    assert len(load_rulebook(SHIPPED).rules) == len(shipped().rules)
    assert len(load_rulebook(str(SHIPPED)).rules) == len(shipped().rules)


def test_an_unchanged_copy_loads(scratch: Book) -> None:
    loaded = load_rulebook(scratch.root)
    assert len(loaded.rules) == len(shipped().rules)
    assert loaded.where[("rule", loaded.rules[0].id)].path.startswith("rules/rules/")


def test_an_appended_valid_rule_loads(scratch: Book) -> None:
    start = scratch.rule(rule_text(because="Your education is {education}."))
    loaded = load_rulebook(scratch.root)
    assert str(loaded.where[("rule", "test-rule")]) == f"rules/{FOUNDATION}:{start}"


# ---------------------------------------------------------------- conditions
def test_unknown_question_with_suggestion(scratch: Book) -> None:
    start = scratch.rule(rule_text(when="{answer: educaton, equals: none}"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 2}: rule 'test-rule' → when.answer: "
        "unknown question 'educaton'; did you mean 'education'?"
    ]


def test_unknown_question_deep_in_a_block_condition_has_its_own_line(scratch: Book) -> None:
    start = scratch.rule(rule_text(when="\n      all:\n        - {fact: has_diploma}\n"
                                     "        - any:\n            - {answer: educaton, equals: none}\n"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 6}: rule 'test-rule' → when.all[1].any[0].answer: "
        "unknown question 'educaton'; did you mean 'education'?"
    ]


def test_unknown_option_with_suggestion(scratch: Book) -> None:
    start = scratch.rule(rule_text(when="{answer: education, equals: highschool}"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 2}: rule 'test-rule' → when.equals: "
        f"'highschool' is not an option of 'education'; did you mean 'high_school'?; "
        f"options are {options('education')}"
    ]


def test_unknown_option_in_a_list_names_its_index(scratch: Book) -> None:
    start = scratch.rule(rule_text(when="{answer: interests, any_of: [billing_coding, managment]}"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 2}: rule 'test-rule' → when.any_of[1]: "
        f"'managment' is not an option of 'interests'; did you mean 'management'?; "
        f"options are {options('interests')}"
    ]


def test_operator_not_valid_for_the_question_type(scratch: Book) -> None:
    start = scratch.rule(rule_text(when="{answer: education, gt: 3}"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 2}: rule 'test-rule' → when.gt: "
        "'gt' does not apply to the single question 'education'; use one of equals, one_of, at_least, at_most, answered"
    ]


def test_operator_not_valid_for_a_multi_question(scratch: Book) -> None:
    start = scratch.rule(rule_text(when="{answer: interests, equals: billing_coding}"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 2}: rule 'test-rule' → when.equals: "
        "'equals' does not apply to the multi question 'interests'; use one of contains, any_of, all_of, none_of, answered"
    ]


def test_unknown_operator_with_suggestion(scratch: Book) -> None:
    start = scratch.rule(rule_text(when="{answer: education, equal: none}"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 2}: rule 'test-rule' → when.equal: "
        f"unknown operator 'equal'; did you mean 'equals'?; expected one of {OPERATORS}"
    ]


def test_wrong_value_for_a_number_operator(scratch: Book) -> None:
    start = scratch.rule(rule_text(when="{answer: experience_years, between: [5, 2]}"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 2}: rule 'test-rule' → when.between: "
        "the range [5, 2] is empty: low is above high"
    ]


def test_unknown_derived_fact_with_suggestion(scratch: Book) -> None:
    start = scratch.rule(rule_text(when="{not: {fact: has_diplomas}}"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 2}: rule 'test-rule' → when.not.fact: "
        "unknown derived fact 'has_diplomas'; did you mean 'has_diploma'?"
    ]


def test_unknown_condition_word(scratch: Book) -> None:
    start = scratch.rule(rule_text(when="{alll: [{fact: has_diploma}]}"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 2}: rule 'test-rule' → when.alll: "
        "unknown condition 'alll'; did you mean 'all'?; expected one of all, any, not, fact, eligible, answer"
    ]


def test_cycle_among_facts(scratch: Book) -> None:
    start = scratch.append("facts.yaml",
                           "  - id: test_cycle_a\n"
                           "    description: a\n"
                           "    when: {fact: test_cycle_b}\n"
                           "  - id: test_cycle_b\n"
                           "    description: b\n"
                           "    when: {all: [{fact: has_diploma}, {fact: test_cycle_a}]}\n")
    assert scratch.errors() == [
        f"rules/facts.yaml:{start + 2}: fact 'test_cycle_a' → when: "
        "facts form a cycle: test_cycle_a → test_cycle_b → test_cycle_a"
    ]


def test_fact_that_uses_itself(scratch: Book) -> None:
    start = scratch.append("facts.yaml",
                           "  - id: test_self\n"
                           "    description: itself\n"
                           "    when: {not: {fact: test_self}}\n")
    assert scratch.errors() == [
        f"rules/facts.yaml:{start + 2}: fact 'test_self' → when: facts form a cycle: test_self → test_self"
    ]


def test_ask_if_may_only_use_earlier_questions(scratch: Book) -> None:
    start = scratch.append("questionnaire.yaml",
                           "  - id: test_question\n"
                           "    type: boolean\n"
                           "    label: a test\n"
                           "    prompt: A test?\n"
                           "    default: false\n"
                           "    ask_if: {answer: test_later, equals: true}\n"
                           "  - id: test_later\n"
                           "    type: boolean\n"
                           "    label: a later test\n"
                           "    prompt: Later?\n"
                           "    default: false\n")
    assert scratch.errors() == [
        f"rules/questionnaire.yaml:{start + 5}: question 'test_question' → ask_if.answer: "
        # The suggester finds the questionnaire's last question, 'state', close enough to offer it.
        "unknown question 'test_later'; did you mean 'state'?"
    ]


# ---------------------------------------------------------------- rule contents
@pytest.mark.parametrize(
    ("points", "extra", "offset", "key", "bad", "guess"),
    [
        ("{hs_diploma_gde: 5}", "", 3, "points.hs_diploma_gde", "hs_diploma_gde", "hs_diploma_ged"),
        ("{hs_diploma_ged: 5}", "    exclude: [hs_diploma_gde]\n", 5, "exclude[0]", "hs_diploma_gde", "hs_diploma_ged"),
        ("{hs_diploma_ged: 5}", "    next_steps:\n      - text: Do it.\n        item: hs_diploma_gde\n", 7,
         "next_steps[0].item", "hs_diploma_gde", "hs_diploma_ged"),
    ],
)
def test_unknown_item_in_a_rule(scratch: Book, points: str, extra: str, offset: int, key: str, bad: str,
                                guess: str) -> None:
    start = scratch.rule(rule_text(points=points, extra=extra))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + offset}: rule 'test-rule' → {key}: "
        f"unknown catalog item '{bad}'; did you mean '{guess}'?"
    ]


def test_unknown_placeholder_with_suggestion(scratch: Book) -> None:
    start = scratch.rule(rule_text(because="Your education is {educaton}."))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 4}: rule 'test-rule' → because: "
        "unknown placeholder '{educaton}': placeholders name questions; did you mean 'education'?"
    ]


def test_unknown_placeholder_in_a_next_step(scratch: Book) -> None:
    start = scratch.rule(rule_text(extra="    next_steps:\n      - text: Think about {goal}.\n"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 6}: rule 'test-rule' → next_steps[0].text: "
        "unknown placeholder '{goal}': placeholders name questions; did you mean 'goals'?"
    ]


@pytest.mark.parametrize(
    "trick",
    ["{answers.__class__}", "{0.__init__}", "{education!r}", "{education:>10}", "{education[0]}", "{}"],
)
def test_format_string_tricks_in_because_are_refused(scratch: Book, trick: str) -> None:
    start = scratch.rule(rule_text(because=f'"Look: {trick} here."'))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 4}: rule 'test-rule' → because: "
        f"'{trick}' is not a placeholder: only a question id may stand in braces, such as {{education}}"
    ]


def test_stray_braces_in_because(scratch: Book) -> None:
    start = scratch.rule(rule_text(because='"Doubled {{braces}} are fine; } is not, nor is { alone."'))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 4}: rule 'test-rule' → because: "
        "stray '{' in the text; write '{{' for a literal brace",
        f"rules/{FOUNDATION}:{start + 4}: rule 'test-rule' → because: "
        "stray '}' in the text; write '}}' for a literal brace",
    ]


def test_unknown_key_in_a_rule_with_suggestion(scratch: Book) -> None:
    start = scratch.rule(rule_text(extra="    descripton: typo\n"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 5}: rule 'test-rule' → descripton: "
        "unknown key 'descripton'; did you mean 'description'?"
    ]


def test_misspelt_required_key_gives_both_problems(scratch: Book) -> None:
    start = scratch.rule("  - id: test-rule\n"
                         "    description: A rule added by a test.\n"
                         "    when: {fact: has_diploma}\n"
                         "    points: {hs_diploma_ged: 5}\n"
                         "    becuase: A reason.\n")
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start}: rule 'test-rule' → because: this key is required but missing",
        f"rules/{FOUNDATION}:{start + 4}: rule 'test-rule' → becuase: unknown key 'becuase'; did you mean 'because'?",
    ]


def test_missing_required_key(scratch: Book) -> None:
    start = scratch.rule("  - id: test-rule\n"
                         "    description: A rule added by a test.\n"
                         "    when: {fact: has_diploma}\n"
                         "    points: {hs_diploma_ged: 5}\n")
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start}: rule 'test-rule' → because: this key is required but missing"
    ]


def test_rule_without_an_id(scratch: Book) -> None:
    start = scratch.rule("  - description: A rule added by a test.\n"
                         "    when: {fact: has_diploma}\n"
                         "    points: {hs_diploma_ged: 5}\n"
                         "    because: A reason.\n")
    assert scratch.errors() == [f"rules/{FOUNDATION}:{start}: rule → id: this key is required but missing"]


@pytest.mark.parametrize(
    ("points", "shown"),
    [("{hs_diploma_ged: sixty}", "'sixty'"), ("{hs_diploma_ged: '5'}", "'5'"), ("{hs_diploma_ged: 2.5}", "2.5")],
)
def test_points_must_be_a_whole_number(scratch: Book, points: str, shown: str) -> None:
    start = scratch.rule(rule_text(points=points))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 3}: rule 'test-rule' → points.hs_diploma_ged: "
        f"expected a whole number, got {shown}"
    ]


def test_points_out_of_range(scratch: Book) -> None:
    start = scratch.rule(rule_text(points="{hs_diploma_ged: 0}"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start}: rule 'test-rule': "
        "points for hs_diploma_ged must be between -1000 and 1000 and not 0"
    ]


@pytest.mark.parametrize(("word", "shown"), [("no", "false"), ("yes", "true")])
def test_yaml_boolean_where_text_is_expected_gets_the_quoting_hint(scratch: Book, word: str, shown: str) -> None:
    start = scratch.rule(rule_text(because=word))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start + 4}: rule 'test-rule' → because: expected text, got {shown} "
        "(YAML reads yes/no/on/off as true/false: put the word in quotes)"
    ]


def test_number_where_text_is_expected(scratch: Book) -> None:
    start = scratch.rule(rule_text(because="42"))
    assert scratch.errors() == [f"rules/{FOUNDATION}:{start + 4}: rule 'test-rule' → because: expected text, got 42"]


def test_bad_rule_id(scratch: Book) -> None:
    start = scratch.rule(rule_text(id="Test_Rule"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{start}: rule 'Test_Rule' → id: "
        "'Test_Rule' is not a valid id or address here (expected the pattern ^[a-z][a-z0-9_-]*$)"
    ]


# ---------------------------------------------------------------- duplicates
def test_duplicate_rule_id_across_files_names_the_first(scratch: Book) -> None:
    first = scratch.rule(rule_text(id="test-dup"))
    second = scratch.rule(rule_text(id="test-dup"), rel="rules/records_access.yaml")
    assert scratch.errors() == [
        f"rules/rules/records_access.yaml:{second}: rule 'test-dup' → id: "
        f"duplicate id 'test-dup'; already defined at rules/{FOUNDATION}:{first}"
    ]


def test_duplicate_rule_id_in_one_file(scratch: Book) -> None:
    first = scratch.rule(rule_text(id="test-dup"))
    second = scratch.rule(rule_text(id="test-dup"))
    assert scratch.errors() == [
        f"rules/{FOUNDATION}:{second}: rule 'test-dup' → id: "
        f"duplicate id 'test-dup'; already defined at rules/{FOUNDATION}:{first}"
    ]


def test_duplicate_key_in_a_rule_file(scratch: Book) -> None:
    start = scratch.rule(rule_text(extra="    points: {CMA: 5}\n"))
    assert scratch.errors() == [f"rules/{FOUNDATION}:{start + 5}: duplicate key 'points' (first on line {start + 3})"]


# ---------------------------------------------------------------- catalog
ROLE = ("  - id: test_role\n"
        "    kind: role\n"
        "    name: Test role\n"
        "    description: A role added by a test.\n")


def test_appended_valid_role_loads(scratch: Book) -> None:
    scratch.append("catalog/roles.yaml", ROLE)
    assert "test_role" in load_rulebook(scratch.root).items


def test_unknown_source_on_a_catalog_fact(scratch: Book) -> None:
    start = scratch.append("catalog/roles.yaml", ROLE +
                           "    facts:\n"
                           "      - value: Something true\n"
                           "        sources: [site-nhaa]\n"
                           "        confidence: uncertain\n")
    assert scratch.errors() == [
        f"rules/catalog/roles.yaml:{start + 6}: role 'test_role' → facts[0].sources[0]: "
        "unknown source 'site-nhaa'; did you mean 'site-nha'?"
    ]


def test_unknown_source_on_an_eligibility_route(scratch: Book) -> None:
    start = scratch.append("catalog/roles.yaml", ROLE +
                           "    eligibility:\n"
                           "      - id: only\n"
                           "        requirement: Anyone.\n"
                           "        sources: [site-nha, site-nhaa]\n"
                           "        confidence: uncertain\n")
    assert scratch.errors() == [
        f"rules/catalog/roles.yaml:{start + 7}: role 'test_role' → eligibility[0].sources[1]: "
        "unknown source 'site-nhaa'; did you mean 'site-nha'?"
    ]


def test_item_step_naming_an_unknown_item(scratch: Book) -> None:
    start = scratch.append("catalog/roles.yaml", ROLE +
                           "    eligibility:\n"
                           "      - id: only\n"
                           "        requirement: A diploma.\n"
                           "        steps:\n"
                           "          - action: Apply\n"
                           "            type: application\n"
                           "          - item: hs_diploma_gde\n"
                           "        sources: [site-nha]\n"
                           "        confidence: uncertain\n")
    assert scratch.errors() == [
        f"rules/catalog/roles.yaml:{start + 10}: role 'test_role' → eligibility[0].steps[1].item: "
        "unknown catalog item 'hs_diploma_gde'; did you mean 'hs_diploma_ged'?"
    ]


def test_reference_to_an_item_of_the_wrong_kind(scratch: Book) -> None:
    start = scratch.append("catalog/roles.yaml", ROLE + "    credentials: [CMA, hs_diploma_ged]\n")
    assert scratch.errors() == [
        f"rules/catalog/roles.yaml:{start + 4}: role 'test_role' → credentials[1]: "
        "'hs_diploma_ged' is a program; expected a certification"
    ]


def test_unknown_catalog_kind_with_suggestion(scratch: Book) -> None:
    start = scratch.append("catalog/roles.yaml", ROLE.replace("kind: role", "kind: rol"))
    assert scratch.errors() == [
        f"rules/catalog/roles.yaml:{start + 1}: item 'test_role' → kind: "
        "unknown kind 'rol'; did you mean 'role'?; expected one of certification, program, role, organization"
    ]


def test_missing_catalog_kind(scratch: Book) -> None:
    start = scratch.append("catalog/roles.yaml", ROLE.replace("    kind: role\n", ""))
    assert scratch.errors() == [
        f"rules/catalog/roles.yaml:{start}: item 'test_role': "
        "missing key 'kind': expected certification, program, role or organization"
    ]


def test_an_invalid_item_does_not_cascade_into_unknown_item_errors(scratch: Book) -> None:
    """An item whose id is readable but whose body is invalid is still a known name."""
    item = scratch.append("catalog/roles.yaml", ROLE.replace("    name: Test role\n", ""))
    scratch.rule(rule_text(points="{test_role: 5}"))
    assert scratch.errors() == [
        f"rules/catalog/roles.yaml:{item}: role 'test_role' → name: this key is required but missing"
    ]


def test_unknown_setting_on_a_role(scratch: Book) -> None:
    start = scratch.append("catalog/roles.yaml", ROLE + "    settings: [hospitl]\n")
    assert scratch.errors() == [
        f"rules/catalog/roles.yaml:{start + 4}: role 'test_role' → settings[0]: "
        f"'hospitl' is not an option of 'settings'; did you mean 'hospital'?"
    ]


def test_eligibility_cycle(scratch: Book) -> None:
    start = scratch.append("catalog/roles.yaml",
                           ROLE + "    eligibility:\n"
                               "      - id: loop\n"
                               "        requirement: Be eligible for yourself.\n"
                               "        when: {eligible: test_role}\n"
                               "        sources: [site-nha]\n"
                               "        confidence: uncertain\n")
    assert scratch.errors() == [
        f"rules/catalog/roles.yaml:{start + 4}: role 'test_role' → eligibility: "
        "eligibility forms a cycle: test_role → test_role"
    ]


MARKET_FACT = ("  - id: test_market\n"
               "    topic: pay\n"
               "    value: Some pay figure.\n")


def test_unknown_source_on_a_market_fact(scratch: Book) -> None:
    start = scratch.append("market.yaml", MARKET_FACT +
                           "    confidence: uncertain\n"
                           "    sources: [site-nhaa]\n")
    assert scratch.errors() == [
        f"rules/market.yaml:{start + 4}: market fact 'test_market' → sources[0]: "
        "unknown source 'site-nhaa'; did you mean 'site-nha'?"
    ]


def test_unknown_role_on_a_market_fact(scratch: Book) -> None:
    start = scratch.append("market.yaml", MARKET_FACT +
                           "    sources: [site-nha]\n"
                           "    confidence: uncertain\n"
                           "    roles: [medical_administrative_asistant]\n")
    assert scratch.errors() == [
        f"rules/market.yaml:{start + 5}: market fact 'test_market' → roles[0]: "
        "unknown catalog item 'medical_administrative_asistant'; did you mean 'medical_administrative_assistant'?"
    ]


# ---------------------------------------------------------------- questionnaire
def test_question_default_outside_min_and_max(scratch: Book) -> None:
    start = scratch.append("questionnaire.yaml",
                           "  - id: test_number\n"
                           "    type: number\n"
                           "    label: a number\n"
                           "    prompt: A number?\n"
                           "    min: 0\n"
                           "    max: 10\n"
                           "    default: 11\n")
    assert scratch.errors() == [
        f"rules/questionnaire.yaml:{start + 6}: question 'test_number' → default: "
        "default 11: outside the question's min and max"
    ]


def test_choice_question_without_options(scratch: Book) -> None:
    start = scratch.append("questionnaire.yaml",
                           "  - id: test_choice\n"
                           "    type: single\n"
                           "    label: a choice\n"
                           "    prompt: Which?\n")
    assert scratch.errors() == [
        f"rules/questionnaire.yaml:{start}: question 'test_choice': a single question needs options or options_from"
    ]


def test_unknown_question_type_with_suggestion(scratch: Book) -> None:
    start = scratch.append("questionnaire.yaml",
                           "  - id: test_q\n"
                           "    type: numbr\n"
                           "    label: a number\n"
                           "    prompt: A number?\n")
    assert scratch.errors() == [
        f"rules/questionnaire.yaml:{start + 1}: question 'test_q' → type: "
        "'numbr' is not allowed; did you mean 'number'?; expected 'single', 'multi', 'number' or 'boolean'"
    ]


# ---------------------------------------------------------------- files and folders
def test_several_problems_in_several_files_are_all_reported(scratch: Book) -> None:
    rule = scratch.rule(rule_text(points="{hs_diploma_gde: 5}"))
    fact = scratch.append("facts.yaml",
                          "  - id: test_fact\n"
                          "    description: a\n"
                          "    when: {answer: education, at_least: asociate}\n")
    question = scratch.append("questionnaire.yaml",
                              "  - id: test_number\n"
                              "    type: number\n"
                              "    label: a number\n"
                              "    prompt: A number?\n"
                              "    max: 10\n"
                              "    default: 11\n")
    role = scratch.append("catalog/roles.yaml", ROLE +
                          "    facts:\n"
                          "      - value: Something true\n"
                          "        sources: [site-nhaa]\n"
                          "        confidence: uncertain\n")
    (scratch.root / "rules" / "zz_broken.yaml").write_text("rules:\n  - id: x\n\t description: tab\n")
    assert scratch.errors() == [
        f"rules/catalog/roles.yaml:{role + 6}: role 'test_role' → facts[0].sources[0]: "
        "unknown source 'site-nhaa'; did you mean 'site-nha'?",
        f"rules/facts.yaml:{fact + 2}: fact 'test_fact' → when.at_least: "
        f"'asociate' is not an option of 'education'; did you mean 'associate'?; options are {options('education')}",
        f"rules/questionnaire.yaml:{question + 5}: question 'test_number' → default: "
        "default 11: outside the question's min and max",
        f"rules/{FOUNDATION}:{rule + 3}: rule 'test-rule' → points.hs_diploma_gde: "
        "unknown catalog item 'hs_diploma_gde'; did you mean 'hs_diploma_ged'?",
        "rules/rules/zz_broken.yaml:3: this line is indented with a tab; YAML needs spaces: "
        "replace the tab with spaces",
    ]


def test_missing_questionnaire_is_reported(scratch: Book) -> None:
    (scratch.root / "questionnaire.yaml").unlink()
    assert "rules/questionnaire.yaml: no such file" in scratch.errors()


def test_missing_questionnaire_is_reported_alone(scratch: Book) -> None:
    """Without a questionnaire every condition would name an 'unknown question': that is noise."""
    (scratch.root / "questionnaire.yaml").unlink()
    assert scratch.errors() == ["rules/questionnaire.yaml: no such file"]


def test_questionnaire_that_is_a_list(scratch: Book) -> None:
    (scratch.root / "questionnaire.yaml").write_text("- id: education\n")
    assert "rules/questionnaire.yaml:1: expected a mapping of keys at the top of the file" in scratch.errors()


def test_unknown_top_level_key_in_a_rule_file(scratch: Book) -> None:
    (scratch.root / "rules" / "zz_extra.yaml").write_text("rule:\n  - id: x\n")
    assert scratch.errors() == [
        "rules/rules/zz_extra.yaml:1: missing top-level key 'rules'",
        "rules/rules/zz_extra.yaml:1: unknown top-level key 'rule'; did you mean 'rules'?; this file takes rules",
    ]


def test_top_level_value_that_is_not_a_list(scratch: Book) -> None:
    (scratch.root / "rules" / "zz_extra.yaml").write_text("# nothing yet\nrules: {}\n")
    assert scratch.errors() == ["rules/rules/zz_extra.yaml:2: 'rules' must be a list"]


def test_empty_rule_file(scratch: Book) -> None:
    (scratch.root / "rules" / "zz_empty.yaml").write_text("")
    assert scratch.errors() == ["rules/rules/zz_empty.yaml:1: the file is empty; expected a mapping"]


def test_hidden_and_non_yaml_files_are_ignored(scratch: Book) -> None:
    (scratch.root / "rules" / ".zz_hidden.yaml").write_text("not: [valid")
    (scratch.root / "rules" / "notes.txt").write_text("not: [valid")
    assert len(load_rulebook(scratch.root).rules) == len(shipped().rules)


def test_missing_rules_folder(scratch: Book) -> None:
    shutil.rmtree(scratch.root / "rules")
    assert scratch.errors() == ["rules/rules: missing folder"]


def test_rules_folder_without_rule_files(scratch: Book) -> None:
    for path in (scratch.root / "rules").iterdir():
        path.unlink()
    assert scratch.errors() == ["rules/rules: no rule files (*.yaml) in this folder"]


def test_rule_book_folder_not_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RuleBookError) as info:
        load_rulebook(tmp_path / "nowhere")
    assert info.value.lines() == ["nowhere: rule book folder not found"]


def test_paths_outside_the_working_folder_are_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "book" / "rules"
    shutil.copytree(SHIPPED, root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    start = Book(root).rule(rule_text(when="{fact: has_diplomas}"))
    with pytest.raises(RuleBookError) as info:
        load_rulebook(root)
    assert info.value.lines() == [
        f"{root / 'rules' / 'foundation.yaml'}:{start + 2}: rule 'test-rule' → when.fact: "
        "unknown derived fact 'has_diplomas'; did you mean 'has_diploma'?"
    ]


def test_error_message_is_all_the_lines(scratch: Book) -> None:
    scratch.rule(rule_text(points="{hs_diploma_gde: 5}"))
    scratch.rule(rule_text(id="test-two", when="{fact: nope_nope}"))
    with pytest.raises(RuleBookError) as info:
        load_rulebook(scratch.root)
    assert len(info.value.lines()) == 2
    assert str(info.value) == "\n".join(info.value.lines())
