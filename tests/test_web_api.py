"""The JSON API: the command line's JSON for the same answers, and located errors for bad ones."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.book.rulebook import RuleBook
from recommender.book.yamlio import MAX_FILE_BYTES
from recommender.cli import cli
from tests.conftest import PROFILES, ROOT
from tests.strategies import junk_answers, raw_answers
from tests.webclient import client


@pytest.fixture(scope="module")
def web(book: RuleBook) -> Iterator[TestClient]:
    with client(book) as c:
        yield c


def cli_json(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--rules", str(ROOT / "rules")])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_recommend_is_exactly_the_cli_json(web: TestClient, path: Path) -> None:
    response = web.post("/api/recommend", content=path.read_bytes())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.text == cli_json("recommend", str(path), "--format", "json")


def test_a_json_body_gives_the_same_report_as_the_yaml_file(web: TestClient) -> None:
    path = ROOT / "profiles" / "06_aspiring_coder.yaml"
    body = yaml.safe_load(path.read_text())
    response = web.post("/api/recommend", json=body)
    assert response.text == cli_json("recommend", str(path), "--format", "json")


def test_top_limits_each_kind_as_the_cli_does(web: TestClient) -> None:
    path = ROOT / "profiles" / "02_fresh_graduate.yaml"
    response = web.post("/api/recommend?top=1", content=path.read_bytes())
    assert response.text == cli_json("recommend", str(path), "--format", "json", "--top", "1")


def test_explain_and_path_are_the_cli_json(web: TestClient) -> None:
    path = ROOT / "profiles" / "03_accredited_graduate.yaml"
    body = path.read_bytes()
    assert web.post("/api/explain?item=CMA", content=body).text == \
        cli_json("explain", str(path), "CMA", "--format", "json")
    assert web.post("/api/path", content=body).text == cli_json("path", str(path), "--format", "json")
    assert web.post("/api/path?to=medical_office_manager", content=body).text == \
        cli_json("path", str(path), "--to", "medical_office_manager", "--format", "json")


@pytest.mark.parametrize("body, errors", [
    ({"answers": {"education": "hs"}},
     [{"loc": ["body", "answers", "education"], "line": 1,
       "message": "unknown option 'hs'; options are none, high_school, some_college, associate, bachelor, graduate"}]),
    ({"answers": {"educaton": "none", "experience_years": 99}},
     [{"loc": ["body", "answers", "education"], "line": 1,
       "message": "missing answer to the required question 'education'"},
      {"loc": ["body", "answers", "educaton"], "line": 1, "message": "unknown question 'educaton'; did you mean "
                                                                     "'education'?"},
      {"loc": ["body", "answers", "experience_years"], "line": 1, "message": "99 is above the maximum of 50"}]),
    ({"answer": {}},
     [{"loc": ["body"], "line": 1, "message": "'answers' must be a mapping of question ids to answers, got nothing"},
      {"loc": ["body"], "line": 1, "message": "unknown top-level key 'answer'; did you mean 'answers'?; expected "
                                              "answers, name, notes, expect, status"}]),
    ([1, 2], [{"loc": ["body"], "line": 1, "message": "expected a mapping with an 'answers' key"}]),
])
def test_bad_answers_are_422_with_located_errors(web: TestClient, body: Any, errors: list[dict[str, Any]]) -> None:
    response = web.post("/api/recommend", json=body)
    assert response.status_code == 422
    assert response.json() == {"errors": errors}


@pytest.mark.parametrize("content, message", [
    (b"", "the body is empty; send an answers object such as {\"answers\": {\"education\": \"high_school\"}}"),
    (b"\xff\xfe{}", "byte 0 is not valid UTF-8; send UTF-8 JSON"),
    (b"{\"answers\": ", "this '{' is never closed: add the matching '}' after the last value"),
])
def test_a_body_that_is_not_an_answers_object_is_422(web: TestClient, content: bytes, message: str) -> None:
    response = web.post("/api/recommend", content=content)
    assert response.status_code == 422
    assert [e["message"] for e in response.json()["errors"]] == [message]


def test_an_alias_bomb_is_refused_before_it_is_built(web: TestClient) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 10)]
    response = web.post("/api/recommend", content="\n".join(lines).encode())
    assert response.status_code == 422
    assert "aliases" in response.json()["errors"][0]["message"]


def test_a_body_over_the_limit_is_413_whether_declared_or_streamed(web: TestClient) -> None:
    big = b" " * (MAX_FILE_BYTES + 1)
    declared = web.post("/api/recommend", content=big)
    assert declared.status_code == 413
    assert declared.json() == {"errors": [{"loc": ["body"],
                                           "message": "The request is larger than the limit of 2,000,000 bytes."}]}

    def chunks() -> Iterator[bytes]:
        for _ in range(3):
            yield b" " * (MAX_FILE_BYTES // 2)

    streamed = web.post("/api/recommend", content=chunks())
    assert streamed.status_code == 413


@pytest.mark.parametrize("url, message", [
    ("/api/explain?item=CMX", "unknown certification, program or role 'CMX'; did you mean 'CMA'?"),
    ("/api/path?to=CMA", "'CMA' is a certification, not a role; did you mean 'clinical_medical_assistant'?"),
])
def test_an_unknown_item_is_404_with_a_suggestion(web: TestClient, url: str, message: str) -> None:
    response = web.post(url, content=(ROOT / "profiles" / "02_fresh_graduate.yaml").read_bytes())
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == message


def test_explain_needs_an_item(web: TestClient) -> None:
    response = web.post("/api/explain", json={"answers": {"education": "none"}})
    assert response.status_code == 422
    assert response.json() == {"errors": [{"loc": ["query", "item"], "message": "Field required"}]}


def test_items_list_the_catalog_in_order_and_filter_by_kind(web: TestClient, book: RuleBook) -> None:
    every = web.get("/api/items").json()["items"]
    assert [i["id"] for i in every] == list(book.items)
    roles = web.get("/api/items?kind=role").json()["items"]
    assert roles and {i["kind"] for i in roles} == {"role"}
    assert web.get("/api/items?kind=robot").status_code == 422


def test_an_item_comes_with_every_source_it_cites(web: TestClient, book: RuleBook) -> None:
    data = web.get("/api/items/CPC").json()
    assert data["id"] == "CPC" and data["issuer"] == "aapc"
    cited = {sid for route in data["eligibility"] for sid in route["sources"]}
    assert cited and cited <= set(data["sources_cited"])
    assert all(s["url"].startswith("http") for s in data["sources_cited"].values())
    missing = web.get("/api/items/cpc-x")
    assert missing.status_code == 404
    assert missing.json() == {"errors": [{"loc": ["path", "item_id"],
                                          "message": "unknown catalog item 'cpc-x'; did you mean 'CPC'?"}]}


def test_the_questionnaire_is_the_rule_books_in_order(web: TestClient, book: RuleBook) -> None:
    data = web.get("/api/questionnaire").json()["questions"]
    assert [q["id"] for q in data] == [q.id for q in book.questions]
    by_id = {q["id"]: q for q in data}
    assert by_id["ma_training_accredited"]["ask_if"] == {"answer": "ma_training", "one_of": ["in_progress", "completed"]}
    assert by_id["experience_years"]["max"] == 50 and by_id["experience_years"]["integer"] is True
    assert "CMAA" in [o["id"] for o in by_id["certifications"]["options"]]


def test_health_openapi_and_no_docs_from_a_cdn(web: TestClient) -> None:
    assert web.get("/healthz").json()["status"] == "ok"
    schema = web.get("/openapi.json").json()
    assert {"/api/questionnaire", "/api/recommend", "/api/explain", "/api/path", "/api/items",
            "/api/items/{item_id}", "/healthz"} <= set(schema["paths"])
    assert not any(p.startswith(("/questions", "/report", "/check")) for p in schema["paths"])
    assert web.get("/docs").status_code == 404 and web.get("/redoc").status_code == 404


def test_api_errors_are_json_never_html(web: TestClient) -> None:
    for response in (web.get("/api/nothing"), web.delete("/api/recommend"), web.get("/api/recommend")):
        assert response.headers["content-type"] == "application/json"
        assert "errors" in response.json()


def test_every_response_carries_the_security_headers(web: TestClient) -> None:
    for url in ("/healthz", "/", "/static/site.css", "/api/nothing"):
        headers = web.get(url).headers
        assert "'unsafe-inline'" not in headers["content-security-policy"]
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
    assert web.get("/").headers["cache-control"] == "no-store"


@settings(max_examples=25)
@given(data=st.data())
def test_random_valid_answers_give_the_engines_json(web: TestClient, book: RuleBook, data: st.DataObject) -> None:
    from recommender.book.answers import profile_from
    from recommender.engine.recommend import recommend
    from recommender.render.json import render_json

    answers = data.draw(raw_answers(book))
    response = web.post("/api/recommend", json={"answers": answers})
    assert response.text == render_json(recommend(book, profile_from(book, answers)), book)


@settings(max_examples=60)
@given(data=st.data())
def test_junk_is_422_never_an_internal_error(web: TestClient, book: RuleBook, data: st.DataObject) -> None:
    body = data.draw(junk_answers(book))
    response = web.post("/api/recommend", content=json.dumps(body))
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert all(set(e) <= {"loc", "message", "line"} and e["message"] for e in response.json()["errors"])
