"""JSON Schema for editors: valid draft-07, accepts every shipped file, refuses broken ones, committed up to date."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from recommender.advisor.schema import ANSWERS, RULE_FILES, dumps, schemas
from recommender.book import conditions as C
from recommender.book.rulebook import RuleBook
from recommender.book.yamlio import load_file
from tests.conftest import PROFILES, ROOT

SCHEMAS = ROOT / "schemas"


def kind_of(path: Path) -> str:
    rel = path.relative_to(ROOT).as_posix()
    if rel.startswith("profiles/"):
        return ANSWERS
    if rel.startswith("rules/catalog/"):
        return "catalog.schema.json"
    if rel.startswith("rules/rules/"):
        return "rules.schema.json"
    return f"{path.stem}.schema.json"


SHIPPED = sorted(p for p in (ROOT / "rules").rglob("*.yaml") if "locales" not in p.relative_to(ROOT / "rules").parts) + PROFILES


def as_json(value: Any) -> Any:
    """Data as an editor sees a YAML file: dates are text in YAML 1.2."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def generated(book: RuleBook) -> dict[str, dict[str, Any]]:
    return schemas(book)


def validator(generated: dict[str, dict[str, Any]], name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(generated[name])


def errors(generated: dict[str, dict[str, Any]], name: str, data: Any) -> list[str]:
    return sorted(e.message for e in validator(generated, name).iter_errors(data))


def test_one_schema_per_kind_of_file(generated: dict[str, dict[str, Any]]) -> None:
    assert sorted(generated) == sorted([*RULE_FILES, ANSWERS])
    for schema in generated.values():
        jsonschema.Draft7Validator.check_schema(schema)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert "$defs" not in dumps(schema) and "discriminator" not in dumps(schema)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.relative_to(ROOT).as_posix() for p in SHIPPED])
def test_every_shipped_file_validates(generated: dict[str, dict[str, Any]], path: Path) -> None:
    assert errors(generated, kind_of(path), as_json(load_file(path).data)) == []


@pytest.mark.parametrize("path", SHIPPED, ids=[p.relative_to(ROOT).as_posix() for p in SHIPPED])
def test_every_shipped_file_names_its_schema_on_its_first_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    target = (path.parent / first[len(prefix):]).resolve()
    assert target == (SCHEMAS / kind_of(path)).resolve() and target.is_file()


def test_the_committed_schemas_are_up_to_date(generated: dict[str, dict[str, Any]]) -> None:
    stale = [name for name, schema in generated.items()
             if not (SCHEMAS / name).is_file() or (SCHEMAS / name).read_text(encoding="utf-8") != dumps(schema)]
    extra = sorted(p.name for p in SCHEMAS.glob("*.json") if p.name not in generated)
    assert (stale, extra) == ([], []), "run: recommender schema --out schemas"


def test_the_condition_language_comes_from_the_operator_registry(generated: dict[str, dict[str, Any]]) -> None:
    comparison = generated["rules.schema.json"]["definitions"]["Comparison"]
    assert set(comparison["properties"]) == {"answer", *C.OPERATORS}
    for name, op in C.OPERATORS.items():
        assert comparison["properties"][name]["description"].startswith(op.summary)
    education = next(rule["then"] for rule in comparison["allOf"]
                     if rule["if"]["properties"]["answer"]["const"] == "education")
    assert education["propertyNames"]["enum"] == ["answer", "equals", "one_of", "at_least", "at_most", "answered"]


def test_every_condition_field_refers_to_the_condition_language(generated: dict[str, dict[str, Any]]) -> None:
    found = set()
    for schema in generated.values():
        for name, definition in schema.get("definitions", {}).items():
            for field, sub in definition.get("properties", {}).items():
                text = dumps(sub)
                if '"#/definitions/Condition"' in text and name not in ("All", "Any", "Not"):
                    found.add(f"{name}.{field}")
    assert found == {"Rule.when", "DerivedFact.when", "Question.ask_if", "Route.when", "Route.relevant_if",
                     "Step.unless", "Provisional.when"}


def rule(**changes: Any) -> dict[str, Any]:
    base = {"id": "r", "description": "d", "when": {"fact": "has_diploma"}, "points": {"CMAA": 5}, "because": "b"}
    return {"rules": [{**base, **changes}]}


def test_rule_files_with_mistakes_are_refused(generated: dict[str, dict[str, Any]]) -> None:
    name = "rules.schema.json"
    assert errors(generated, name, rule()) == []
    assert errors(generated, name, rule(when={"all": [{"fact": "has_diploma"}, {"any": []}]})) == []
    assert errors(generated, name, rule(when={"answer": "education", "gt": 3})) != []  # not for single questions
    assert errors(generated, name, rule(when={"answer": "education", "equal": "none"})) != []  # unknown operator
    assert errors(generated, name, rule(when={"answer": "education", "equals": "none", "one_of": ["none"]})) != []
    assert errors(generated, name, rule(when={"answer": "experience_years", "between": [1]})) != []
    assert errors(generated, name, rule(when="has_diploma")) != []
    assert errors(generated, name, rule(points={"CMAA": "5"})) != []
    assert errors(generated, name, rule(points={"CMAA": 0})) != []
    assert errors(generated, name, rule(becuase="x")) != []
    assert errors(generated, name, {"rule": []}) != []


def test_ids_of_the_book_are_offered_but_new_ones_pass(generated: dict[str, dict[str, Any]]) -> None:
    facts = generated["rules.schema.json"]["definitions"]["FactId"]["anyOf"]
    assert {"const": "has_diploma", "description": "you have a high-school diploma or GED"} in facts
    assert errors(generated, "rules.schema.json", rule(when={"fact": "a_fact_added_a_minute_ago"})) == []
    assert errors(generated, "rules.schema.json", rule(when={"fact": "Not An Id"})) != []


def test_answers_files_are_checked_strictly(generated: dict[str, dict[str, Any]]) -> None:
    def check(answers: dict[str, Any], **top: Any) -> list[str]:
        return errors(generated, ANSWERS, {"answers": answers, **top})

    assert check({"education": "high_school", "interests": ["billing_coding"], "budget_usd": 800}) == []
    assert check({"education": "high_school", "interests": "billing_coding"}) == []  # one choice may be bare
    assert check({"education": "highschool"}) != []
    assert check({"education": "high_school", "experience_years": 2.5}) != []
    assert check({"education": "high_school", "experience_years": 51}) != []
    assert check({"education": "high_school", "colour": "red"}) != []
    assert check({"interests": ["billing_coding"]}) != []  # education is required
    assert check({"education": "none"}, expect={"top": ["CPC"], "fires": ["diploma-first"]}) == []
    assert check({"education": "none"}, expect={"tops": ["CPC"]}) != []
    assert check({"education": "none"}, status="done") != []
