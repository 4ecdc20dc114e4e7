"""Answers files: the shipped profiles load; every mistake is one located line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recommender.book.answers import AnswersFile, load_answers, profile_from
from recommender.book.rulebook import RuleBook
from recommender.errors import AnswersError

PROFILES = sorted((Path(__file__).resolve().parent.parent / "profiles").glob("*.y*ml"))


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


def errors(book: RuleBook, name: str, text: str | None = None) -> list[str]:
    path = write(name, text) if text is not None else Path(name)
    with pytest.raises(AnswersError) as info:
        load_answers(path, book)
    return info.value.lines()


def load(book: RuleBook, name: str, text: str) -> AnswersFile:
    return load_answers(write(name, text), book)


def options(book: RuleBook, qid: str) -> str:
    return ", ".join(book.question_info[qid].options)


# ---------------------------------------------------------------- shipped profiles
def test_there_are_shipped_profiles() -> None:
    assert len(PROFILES) >= 10


@pytest.mark.parametrize("path", PROFILES, ids=[p.name for p in PROFILES])
def test_every_shipped_profile_loads(book: RuleBook, path: Path) -> None:
    loaded = load_answers(path, book)
    assert loaded.profile.source == str(path)
    assert "education" in loaded.profile.given
    assert set(loaded.profile.answers) <= {q.id for q in book.questions}


# ---------------------------------------------------------------- the file itself
def test_missing_file(book: RuleBook, here: Path) -> None:
    assert errors(book, "nope.yaml") == ["nope.yaml: no such file"]


def test_folder_instead_of_a_file(book: RuleBook, here: Path) -> None:
    (here / "answers.yaml").mkdir()
    assert errors(book, "answers.yaml") == ["answers.yaml: is a folder, expected a file"]


def test_empty_file(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "") == ["a.yaml:1: the file is empty; expected a mapping"]


def test_invalid_yaml(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answers:\n  education: [high_school\n") == [
        "a.yaml:2: this '[' is never closed: add the matching ']' after the last value"
    ]


@pytest.mark.parametrize("text", ["- education: none\n", "just some words\n", "42\n"])
def test_not_a_mapping(book: RuleBook, here: Path, text: str) -> None:
    assert errors(book, "a.yaml", text) == ["a.yaml:1: expected a mapping with an 'answers' key"]


def test_no_answers_key(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "name: Sam\n") == [
        "a.yaml:1: 'answers' must be a mapping of question ids to answers, got nothing"
    ]


def test_empty_answers_key(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "name: Sam\nanswers:\n") == [
        "a.yaml:2: 'answers' must be a mapping of question ids to answers, got nothing"
    ]


@pytest.mark.parametrize(("value", "shown"), [("[education]", "a list"), ("high_school", "'high_school'"), ("3", "3")])
def test_answers_that_are_not_a_mapping(book: RuleBook, here: Path, value: str, shown: str) -> None:
    # Said as in every other message ('a list', the value quoted), not as a Python type name.
    assert errors(book, "a.yaml", f"name: Sam\nanswers: {value}\n") == [
        f"a.yaml:2: 'answers' must be a mapping of question ids to answers, got {shown}"
    ]


def test_unknown_top_level_key_with_suggestion(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answers:\n  education: high_school\nnaem: Sam\n") == [
        "a.yaml:3: unknown top-level key 'naem'; did you mean 'name'?; expected answers, name, notes, expect, status"
    ]


def test_misspelt_answers_key(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answer:\n  education: high_school\n") == [
        "a.yaml:1: 'answers' must be a mapping of question ids to answers, got nothing",
        "a.yaml:1: unknown top-level key 'answer'; did you mean 'answers'?; expected answers, name, notes, expect, status",
    ]


def test_name_status_and_notes_are_checked(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answers:\n  education: high_school\nname: 3\nnotes: [a]\nstatus: done\n") == [
        "a.yaml:3: 'name' must be text",
        "a.yaml:4: 'notes' must be text",
        "a.yaml:5: 'status' must be one of in_progress, completed, got 'done'",
    ]


def test_name_notes_status_and_expect_are_kept(book: RuleBook, here: Path) -> None:
    loaded = load(book, "a.yaml", "name: Sam\nnotes: Some notes.\nstatus: completed\n"
                                  "answers:\n  education: high_school\nexpect:\n  top: [CMAA]\n")
    assert (loaded.profile.name, loaded.notes, loaded.status, loaded.expect) == (
        "Sam", "Some notes.", "completed", {"top": ["CMAA"]})
    assert loaded.profile.source == "a.yaml"


# ---------------------------------------------------------------- answers
def test_unknown_question_with_suggestion(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answers:\n  education: none\n  experiance_years: 3\n") == [
        "a.yaml:3: answers.experiance_years: unknown question 'experiance_years'; did you mean 'experience_years'?"
    ]


def test_unknown_option_with_suggestion(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answers:\n  education: highschool\n") == [
        "a.yaml:2: answers.education: unknown option 'highschool'; did you mean 'high_school'?; "
        f"options are {options(book, 'education')}"
    ]


def test_unknown_option_in_a_multi_select(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answers:\n  education: high_school\n  interests: [billing_codng]\n") == [
        "a.yaml:3: answers.interests: unknown option 'billing_codng'; did you mean 'billing_coding'?; "
        f"options are {options(book, 'interests')}"
    ]


def test_certification_ids_are_options_with_case_suggestion(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answers:\n  education: high_school\n  certifications: [CMAA, cpc]\n") == [
        "a.yaml:3: answers.certifications: unknown option 'cpc'; did you mean 'CPC'?; "
        f"options are {options(book, 'certifications')}"
    ]


@pytest.mark.parametrize(
    ("qid", "value", "message"),
    [
        ("experience_years", "three", "expected a number, got 'three'"),
        ("experience_years", "true", "expected a number, got true"),
        ("experience_years", "[1]", "expected a number, got a list"),
        ("prefers_online", "'yes'", "expected true or false, got 'yes'"),
        ("prefers_online", "1", "expected true or false, got 1"),
        ("education", "3", "expected one option id, got 3"),
        ("interests", "{a: 1}", "expected a list of option ids, got a mapping"),
        ("interests", "[1]", "expected option ids, got 1 in the list"),
    ],
)
def test_wrong_type(book: RuleBook, here: Path, qid: str, value: str, message: str) -> None:
    text = "answers:\n  education: high_school\n" if qid != "education" else "answers:\n"
    line = text.count("\n") + 1
    assert errors(book, "a.yaml", f"{text}  {qid}: {value}\n") == [f"a.yaml:{line}: answers.{qid}: {message}"]


@pytest.mark.parametrize(
    ("qid", "value", "message"),
    [
        ("experience_years", "51", "51 is above the maximum of 50"),
        ("experience_years", "-1", "-1 is below the minimum of 0"),
        ("study_hours_per_week", "81", "81 is above the maximum of 80"),
        ("budget_usd", "2000000", "2000000 is above the maximum of 1000000"),
        ("budget_usd", "-5", "-5 is below the minimum of 0"),
    ],
)
def test_number_out_of_range(book: RuleBook, here: Path, qid: str, value: str, message: str) -> None:
    assert errors(book, "a.yaml", f"answers:\n  education: high_school\n  {qid}: {value}\n") == [
        f"a.yaml:3: answers.{qid}: {message}"
    ]


def test_fractional_years(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answers:\n  education: high_school\n  experience_years: 2.5\n") == [
        "a.yaml:3: answers.experience_years: expected a whole number, got 2.5"
    ]


def test_negative_years(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answers:\n  education: high_school\n  experience_years: -2\n") == [
        "a.yaml:3: answers.experience_years: -2 is below the minimum of 0"
    ]


def test_whole_float_is_a_whole_number(book: RuleBook, here: Path) -> None:
    loaded = load(book, "a.yaml", "answers:\n  education: high_school\n  experience_years: 3.0\n")
    assert loaded.profile.get("experience_years") == 3
    assert type(loaded.profile.get("experience_years")) is int


def test_answer_to_a_question_that_would_not_be_asked(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answers:\n  education: high_school\n  ma_training: none\n"
                                  "  ma_training_accredited: true\n") == [
        "a.yaml:4: answers.ma_training_accredited: 'ma_training_accredited' is answered but would not be asked: "
        "it applies only when your medical assisting or medical office training is Enrolled now or "
        "Completed a program; remove it"
    ]


def test_answer_not_asked_because_of_a_default(book: RuleBook, here: Path) -> None:
    # experience_years defaults to 0, so experience_areas is not asked.
    assert errors(book, "a.yaml", "answers:\n  education: high_school\n  experience_areas: [billing]\n") == [
        "a.yaml:3: answers.experience_areas: 'experience_areas' is answered but would not be asked: "
        "it applies only when your years of supervised healthcare office work is more than 0; remove it"
    ]


@pytest.mark.parametrize(("word", "shown"), [("yes", "true"), ("no", "false"), ("on", "true")])
def test_yaml_boolean_where_an_option_id_is_expected(book: RuleBook, here: Path, word: str, shown: str) -> None:
    assert errors(book, "a.yaml", f"answers:\n  education: {word}\n") == [
        f"a.yaml:2: answers.education: expected one option id, got {shown} "
        "(YAML reads yes/no/on/off as true/false: put the option id in quotes)"
    ]


def test_quoted_option_id_none_is_fine(book: RuleBook, here: Path) -> None:
    loaded = load(book, "a.yaml", "answers:\n  education: 'none'\n  ma_training: none\n")
    assert loaded.profile.get("education") == "none"


def test_multi_select_with_a_duplicate(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answers:\n  education: high_school\n  interests:\n"
                                  "    - billing_coding\n    - management\n    - billing_coding\n") == [
        "a.yaml:3: answers.interests: 'billing_coding' is listed more than once"
    ]


def test_multi_select_is_kept_in_option_order(book: RuleBook, here: Path) -> None:
    loaded = load(book, "a.yaml", "answers:\n  education: high_school\n  interests: [management, billing_coding]\n")
    assert loaded.profile.get("interests") == ["billing_coding", "management"]


def test_missing_required_answer(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answers:\n  experience_years: 1\n") == [
        "a.yaml:1: answers.education: missing answer to the required question 'education'"
    ]


def test_every_problem_is_reported_in_line_order(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answers:\n  education: hs\n  experience_years: 2.5\n"
                                  "  interests: [billing_coding, billing_coding]\n  favourite_colour: blue\n"
                                  "naem: x\n") == [
        f"a.yaml:2: answers.education: unknown option 'hs'; options are {options(book, 'education')}",
        "a.yaml:3: answers.experience_years: expected a whole number, got 2.5",
        "a.yaml:4: answers.interests: 'billing_coding' is listed more than once",
        "a.yaml:5: answers.favourite_colour: unknown question 'favourite_colour'",
        "a.yaml:6: unknown top-level key 'naem'; did you mean 'name'?; expected answers, name, notes, expect, status",
    ]


def test_duplicate_answer_is_refused(book: RuleBook, here: Path) -> None:
    assert errors(book, "a.yaml", "answers:\n  education: none\n  education: high_school\n") == [
        "a.yaml:3: duplicate key 'education' (first on line 2)"
    ]


# ---------------------------------------------------------------- defaults
def test_defaults_are_filled_for_asked_questions_only(book: RuleBook, here: Path) -> None:
    profile = load(book, "a.yaml", "answers:\n  education: high_school\n").profile
    assert profile.given == frozenset({"education"})
    asked_by_default = {"education", "ma_training", "experience_years", "certifications", "interests", "goals",
                        "settings", "study_hours_per_week", "budget_usd", "prefers_online", "other_training"}
    assert asked_by_default <= set(profile.answers)
    for qid in ("ma_training_accredited", "training_years_ago", "experience_areas"):
        assert qid not in profile.answers
    for question in book.questions:
        if question.id in profile.answers and question.id != "education":
            assert profile.answers[question.id] == question.default
    assert profile.get("ma_training") == "none"
    assert profile.get("experience_years") == 0
    assert profile.get("interests") == []


def test_follow_up_defaults_appear_once_their_question_is_asked(book: RuleBook, here: Path) -> None:
    profile = load(book, "a.yaml", "answers:\n  education: high_school\n  ma_training: completed\n"
                                   "  experience_years: 2\n").profile
    assert profile.get("ma_training_accredited") is False
    assert profile.get("training_years_ago") == 0
    assert profile.get("experience_areas") == []
    assert profile.given == frozenset({"education", "ma_training", "experience_years"})


def test_in_progress_training_asks_about_accreditation_but_not_years(book: RuleBook, here: Path) -> None:
    profile = load(book, "a.yaml", "answers:\n  education: high_school\n  ma_training: in_progress\n").profile
    assert profile.get("ma_training_accredited") is False
    assert "training_years_ago" not in profile.answers


def test_profile_answers_are_read_only(book: RuleBook, here: Path) -> None:
    profile = load(book, "a.yaml", "answers:\n  education: high_school\n").profile
    with pytest.raises(TypeError):
        profile.answers["education"] = "none"  # type: ignore[index]


# ---------------------------------------------------------------- JSON and the API
def test_json_answers_file(book: RuleBook, here: Path) -> None:
    data = {"name": "Jo", "answers": {"education": "associate", "experience_years": 2,
                                      "experience_areas": ["billing", "coding"], "prefers_online": True}}
    loaded = load(book, "jo.json", json.dumps(data, indent=2))
    assert loaded.profile.name == "Jo"
    assert loaded.profile.get("experience_areas") == ["billing", "coding"]
    assert loaded.profile.get("prefers_online") is True
    assert loaded.profile.given == frozenset({"education", "experience_years", "experience_areas", "prefers_online"})


def test_json_answers_file_errors_have_lines(book: RuleBook, here: Path) -> None:
    text = json.dumps({"answers": {"education": "associate", "experience_years": 2.5}}, indent=2)
    assert errors(book, "jo.json", text) == ["jo.json:4: answers.experience_years: expected a whole number, got 2.5"]


def test_json_number_with_an_exponent(book: RuleBook, here: Path) -> None:
    loaded = load(book, "jo.json", '{"answers": {"education": "associate", "budget_usd": 1e3}}')
    assert loaded.profile.get("budget_usd") == 1000


def test_json_infinite_number_is_refused(book: RuleBook, here: Path) -> None:
    assert errors(book, "jo.json", '{"answers": {"education": "associate", "budget_usd": 1e999}}') == [
        "jo.json:1: '1e999' is not a finite number"
    ]


def test_profile_from_a_mapping(book: RuleBook) -> None:
    profile = profile_from(book, {"education": "bachelor", "goals": ["leadership"]}, name="API")
    assert profile.name == "API"
    assert profile.get("goals") == ["leadership"]
    assert profile.given == frozenset({"education", "goals"})


def test_profile_from_a_mapping_reports_every_problem(book: RuleBook) -> None:
    with pytest.raises(AnswersError) as info:
        profile_from(book, {"education": "phd", "experience_years": 1.5})
    assert info.value.lines() == [
        f"answers: answers.education: unknown option 'phd'; options are {options(book, 'education')}",
        "answers: answers.experience_years: expected a whole number, got 1.5",
    ]
