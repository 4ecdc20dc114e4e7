"""Fuzzing through the command line: no exception other than a clean exit ever escapes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender.cli import main
from tests.conftest import PROFILES, ROOT

QUESTIONS = ["education", "ma_training", "ma_training_accredited", "training_years_ago", "experience_years",
             "experience_areas", "certifications", "interests", "goals", "settings", "study_hours_per_week",
             "budget_usd", "prefers_online", "other_training"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids, max_size=3),
    max_leaves=8,
)
FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(answers=st.dictionaries(st.sampled_from(QUESTIONS), json_values, max_size=len(QUESTIONS)),
       top=st.sampled_from([{}, {"name": 3}, {"notes": "x", "status": "done"}]))
def test_arbitrary_json_answers(tmp_path: Path, capsys: Any, answers: dict[str, Any], top: dict[str, Any]) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": answers, **top}))
    code = main(["recommend", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 2)
    if code == 0:
        assert json.loads(out)["recommendations"] is not None and err == ""
    else:
        # Each problem is a line naming the file; a YAML syntax error adds the file's line, indented.
        assert out == "" and err.startswith(f"{path}")
        assert all(line.startswith((f"{path}", " ")) for line in err.splitlines())


yaml_documents = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=12)
    | st.sampled_from(["CMAA", "has_diploma", "education", "all", "any", "not", "fact", "answer", "when"]),
    lambda kids: st.lists(kids, max_size=3)
    | st.dictionaries(st.sampled_from(["id", "when", "points", "because", "description", "exclude", "rules",
                                       "all", "any", "fact", "answer", "equals"]) | st.text(max_size=6),
                      kids, max_size=4),
    max_leaves=10,
)


@FUZZ
@given(document=yaml_documents, victim=st.sampled_from(["rules/foundation.yaml", "facts.yaml",
                                                         "catalog/roles.yaml", "questionnaire.yaml"]))
def test_arbitrary_yaml_as_a_rule_file(tmp_path: Path, capsys: Any, document: Any, victim: str) -> None:
    rules = tmp_path / "rules"
    if not rules.exists():
        shutil.copytree(ROOT / "rules", rules)
    target = rules / victim
    original = (ROOT / "rules" / victim).read_text()
    target.write_text(yaml.safe_dump(document))
    try:
        code = main(["recommend", "--rules", str(rules), str(PROFILES[1])])
        out, err = capsys.readouterr()
        assert code in (0, 2)
        if code == 2:  # e.g. {rules: []} is a valid, if empty, rule file
            assert out == "" and err and all(line.startswith(str(rules)) for line in err.splitlines())
    finally:
        target.write_text(original)
