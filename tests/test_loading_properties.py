"""Properties of the loaders: whatever the input, a Document/Profile or a located problem, nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender.book.answers import profile_from
from recommender.book.loader import load_rulebook
from recommender.book.rulebook import RuleBook
from recommender.book.yamlio import EXPONENT_FLOAT as _EXPONENT
from recommender.book.yamlio import YamlProblem, load_text
from recommender.errors import AnswersError, RuleBookError
from tests.conftest import ROOT

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(min_value=-1e15, max_value=1e15, exclude_min=True, exclude_max=True)
    | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=10), kids, max_size=4),
    max_leaves=12,
)


@given(st.text(max_size=300))
def test_any_text_loads_or_gives_a_located_problem(text: str) -> None:
    try:
        load_text(text, "f.yaml")
    except YamlProblem as exc:
        assert exc.problem.path == "f.yaml"
        assert "\n" not in str(exc.problem)


def _plain_text(value: Any) -> bool:
    """False for text that YAML 1.2 reads as a number (1e3), which the loader deliberately does."""
    if isinstance(value, str):
        return not _EXPONENT.match(value)
    if isinstance(value, list):
        return all(_plain_text(v) for v in value)
    if isinstance(value, dict):
        return all(_plain_text(v) for v in value.values())
    return True


@given(json_values.filter(_plain_text))
def test_yaml_dumps_of_plain_data_load_back_the_same(value: Any) -> None:
    doc = load_text(yaml.safe_dump({"v": value}), "f.yaml")
    assert doc.data == {"v": value}


@given(st.dictionaries(st.sampled_from(["education", "ma_training", "ma_training_accredited",
                                        "training_years_ago", "experience_years", "experience_areas",
                                        "certifications", "interests", "goals", "settings",
                                        "study_hours_per_week", "budget_usd", "prefers_online",
                                        "other_training", "unknown_key"]), json_values, max_size=8))
def test_any_answers_give_a_profile_or_answers_errors(book: RuleBook, answers: dict[str, Any]) -> None:
    try:
        profile = profile_from(book, answers)
    except AnswersError as exc:
        assert exc.problems and all(p.key.startswith("answers.") for p in exc.problems)
    else:
        assert set(profile.answers) <= {q.id for q in book.questions}


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=json_values)
def test_any_data_as_a_rule_file_is_reported_against_that_file(tmp_path: Path, value: Any) -> None:
    rules = tmp_path / "rules"
    if not rules.exists():
        shutil.copytree(ROOT / "rules", rules)
    target = rules / "rules" / "zz_fuzz.yaml"
    target.write_text(yaml.safe_dump({"rules": [value]}))
    try:
        load_rulebook(rules)
    except RuleBookError as exc:
        assert all(str(p).startswith(str(target)) for p in exc.problems), exc.lines()
