"""The questionnaire pages: the quiz's own session behind plain HTML forms, state in the browser."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender.book.answers import load_answers
from recommender.book.rulebook import RuleBook
from recommender.book.yamlio import MAX_FILE_BYTES
from recommender.engine.recommend import recommend
from recommender.quiz.savefile import read_saved
from recommender.quiz.session import Session
from recommender.render.json import render_json
from tests.conftest import ROOT
from tests.strategies import form_fields
from tests.webclient import client, walk

GRADUATE = {"education": "high_school", "ma_training": "completed", "ma_training_accredited": True,
            "training_years_ago": 1, "experience_years": 0, "interests": ["patient_contact"],
            "goals": ["first_job_fast"]}


@pytest.fixture()
def web(book: RuleBook) -> Iterator[TestClient]:
    with client(book) as c:
        yield c


def cookie_answers(web: TestClient) -> dict[str, Any]:
    raw = web.cookies.get("answers") or ""
    return dict(json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))["a"])


def main_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('<main', 1)[1].split("</main>")[0])).strip()


@pytest.mark.parametrize("name", ["02_fresh_graduate", "06_aspiring_coder", "09_career_changer"])
def test_answering_every_page_gives_the_clis_report(web: TestClient, book: RuleBook, name: str) -> None:
    path = ROOT / "profiles" / f"{name}.yaml"
    answers = yaml.safe_load(path.read_text())["answers"]
    assert walk(web, book, answers) == "/check"
    profile = load_answers(path, book).profile
    expected = json.loads(render_json(recommend(book, profile), book))
    got = web.get("/report.json").json()
    assert got["answers"] == expected["answers"]
    assert {k: v for k, v in got.items() if k != "name"} == {k: v for k, v in expected.items() if k != "name"}
    page = web.get("/report")
    assert page.status_code == 200
    assert expected["recommendations"][0]["name"] in page.text


def test_progress_back_link_and_defaults_come_from_the_session(web: TestClient) -> None:
    page = web.get("/questions/education").text
    assert "Question 1 of about 12" in page
    assert 'href="/" class="back-link"' in page
    web.post("/questions/education", data={"answer": "high_school"})
    page = web.get("/questions/ma_training").text
    assert "Question 2 of about 12" in page
    assert 'href="/questions/education" class="back-link"' in page
    assert re.search(r'value="none"\s+checked', page)  # the question's default is offered


def test_a_wrong_number_shows_the_clis_message_beside_the_field_and_in_a_summary(web: TestClient,
                                                                                  book: RuleBook) -> None:
    walk(web, book, {"education": "high_school"}, limit=2)
    before = cookie_answers(web)
    response = web.post("/questions/experience_years", data={"answer": "60"})
    assert response.status_code == 422
    expected = Session(book).parse(book.questions[4], "60").reason
    assert expected == "60 is above the maximum of 50; type a whole number from 0 to 50 (years)"
    assert "<title>Error: " in response.text
    assert 'class="error-summary" role="alert"' in response.text and "autofocus" in response.text
    assert '<a href="#answer">60 is above the maximum of 50; type a whole number from 0 to 50 (years).</a>' \
        in response.text
    assert 'id="answer-error"' in response.text and 'value="60"' in response.text
    assert cookie_answers(web) == before  # the other answers are kept


def test_no_choice_is_an_error_and_unknown_options_are_refused(web: TestClient) -> None:
    response = web.post("/questions/education", data={})
    assert response.status_code == 422
    assert "This question needs an answer; choose one of the options." in response.text
    response = web.post("/questions/education", data={"answer": "<b>phd</b>"})
    assert response.status_code == 422
    assert "<b>phd" not in response.text
    assert "Unknown option &#39;&lt;b&gt;phd&lt;/b&gt;&#39;; options are none, high_school," in response.text


def test_a_later_question_cannot_be_answered_before_an_earlier_one(web: TestClient) -> None:
    response = web.get("/questions/goals", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/questions/education"
    assert web.get("/questions/nothing").status_code == 404
    assert web.get("/report", follow_redirects=False).headers["location"] == "/questions/education"


def test_changing_an_answer_drops_those_that_no_longer_apply_and_says_so(web: TestClient, book: RuleBook) -> None:
    assert walk(web, book, GRADUATE) == "/check"
    assert "training_years_ago" in cookie_answers(web)
    page = web.get("/check").text
    assert '<a href="/questions/ma_training?change=1">Change<span class="visually-hidden"> your medical' in page
    response = web.post("/questions/ma_training", data={"answer": "none", "change": "1"})
    assert response.url.path == "/check"
    assert "removed=ma_training_accredited%2Ctraining_years_ago" in str(response.url)
    assert "Your answer about whether your program is accredited by CAAHEP or ABHES was removed" in response.text
    assert not {"training_years_ago", "ma_training_accredited"} & set(cookie_answers(web))


def test_a_change_that_opens_a_question_asks_it_then_returns_to_the_check_page(web: TestClient,
                                                                               book: RuleBook) -> None:
    walk(web, book, GRADUATE)
    response = web.post("/questions/experience_years", data={"answer": "3", "change": "1"})
    assert response.url.path == "/questions/experience_areas" and "change=1" in str(response.url)
    assert 'href="/check" class="back-link"' in response.text
    response = web.post("/questions/experience_areas", data={"answer": ["billing"], "change": "1"})
    assert response.url.path == "/check"


def test_download_is_an_answers_file_quiz_resume_reads(web: TestClient, book: RuleBook, tmp_path: Path) -> None:
    walk(web, book, {"education": "bachelor", "ma_training": "none"}, limit=3)
    response = web.get("/my-answers.yaml")
    assert response.headers["content-disposition"] == 'attachment; filename="my-answers.yaml"'
    saved = tmp_path / "my-answers.yaml"
    saved.write_bytes(response.content)
    data = read_saved(saved, book)
    assert data.status == "in_progress"
    assert data.answers == {"education": "bachelor", "ma_training": "none", "experience_years": 0}


def test_upload_resumes_at_the_first_unanswered_question(web: TestClient, book: RuleBook) -> None:
    text = "name: Ana\nanswers:\n  education: associate\n  ma_training: in_progress\n"
    response = web.post("/upload", files={"answers_file": ("mine.yaml", text.encode(), "application/yaml")})
    assert response.url.path == "/questions/ma_training_accredited"
    assert cookie_answers(web) == {"education": "associate", "ma_training": "in_progress"}
    walk_rest = walk(web, book, {})  # the rest at their defaults
    assert walk_rest == "/check"
    assert "<title>Report for Ana" in web.get("/report").text


def test_a_downloaded_complete_file_uploads_to_the_check_page(web: TestClient, book: RuleBook) -> None:
    walk(web, book, GRADUATE)
    text = web.get("/my-answers.yaml").content
    assert b"status: completed" in text
    web.cookies.clear()
    response = web.post("/upload", files={"answers_file": ("my-answers.yaml", text, "application/yaml")})
    assert response.url.path == "/check"
    assert cookie_answers(web)["training_years_ago"] == 1


def test_answers_that_cannot_be_kept_are_listed_after_an_upload(web: TestClient) -> None:
    text = "answers:\n  education: high_school\n  favourite_colour: <i>blue</i>\n  experience_years: 99\n"
    response = web.post("/upload", files={"answers_file": ("a.yaml", text.encode(), "text/plain")})
    assert response.status_code == 200
    assert "a.yaml:3: &#39;favourite_colour&#39; is not a question of this questionnaire" in response.text
    assert "a.yaml:4: your answer to &#39;experience_years&#39; (99) is not accepted" in response.text
    assert cookie_answers(web) == {"education": "high_school"}


@pytest.mark.parametrize("content, message", [
    (b"answers: [unclosed", "bad.yaml:1: this &#39;[&#39; is never closed: add the matching &#39;]&#39; after the "
                            "last value"),
    (b"\xff\xfe", "bad.yaml: byte 0 is not valid UTF-8"),
    (b"", "bad.yaml is empty"),
    (b"colour: blue\n", "bad.yaml:1: this is not an answers file: it has no &#39;answers&#39; key"),
    (b"a: &a [x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"
     b"d: &d [*c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d]\n"
     b"f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n", "bad.yaml:1: expands to more than 200,000 values"),
    (b"#" * (MAX_FILE_BYTES + 1), "bad.yaml is larger than the limit of 2,000,000 bytes"),
])
def test_a_malformed_upload_is_one_message_and_keeps_the_answers(web: TestClient, book: RuleBook, content: bytes,
                                                                  message: str) -> None:
    walk(web, book, {"education": "graduate"}, limit=1)
    before = cookie_answers(web)
    response = web.post("/upload", files={"answers_file": ("bad.yaml", content, "application/yaml")})
    assert response.status_code == 422
    assert message in response.text
    assert '<a href="#answers_file">' in response.text
    assert cookie_answers(web) == before


def test_an_upload_without_a_file_says_so(web: TestClient) -> None:
    response = web.post("/upload", data={})
    assert response.status_code == 422
    assert "Choose an answers file to upload" in response.text


def test_a_cookie_that_is_not_ours_starts_afresh_with_a_note(web: TestClient) -> None:
    web.cookies.set("answers", "%%%not-base64")
    page = web.get("/questions/education")
    assert page.status_code == 200
    assert "could not be read, so the questionnaire starts afresh" in page.text


def test_an_edited_cookie_is_checked_like_a_file(web: TestClient) -> None:
    forged = {"a": {"education": "high_school", "experience_years": 500, "x": 1}, "n": "<script>x</script>"}
    web.cookies.set("answers", base64.urlsafe_b64encode(json.dumps(forged).encode()).decode())
    page = web.get("/questions/experience_years")
    assert "is not accepted: 500 is above the maximum of 50" in page.text
    assert "<script>x" not in page.text


def test_a_name_with_markup_is_escaped_on_the_report(web: TestClient, book: RuleBook) -> None:
    path = ROOT / "profiles" / "03_accredited_graduate.yaml"
    text = path.read_text().replace(yaml.safe_load(path.read_text())["name"], "<script>alert(1)</script>", 1)
    web.post("/upload", files={"answers_file": ("p.yaml", text.encode(), "text/plain")})
    walk(web, book, {})
    page = web.get("/report").text
    assert "<script>alert" not in page and "Report for &lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_form_from_another_site_is_refused(web: TestClient) -> None:
    response = web.post("/questions/education", data={"answer": "none"}, headers={"origin": "http://evil.example"})
    assert response.status_code == 403 and "answers" not in response.cookies
    assert web.post("/questions/education", data={"answer": "none"},
                    headers={"sec-fetch-site": "cross-site"}).status_code == 403


def test_start_again_forgets_the_answers(web: TestClient, book: RuleBook) -> None:
    walk(web, book, {"education": "graduate"}, limit=2)
    assert "Continue where you left off" in web.get("/").text
    response = web.post("/start-again")
    assert response.url.path == "/questions/education" and not web.cookies.get("answers")


def test_pages_load_nothing_from_outside_the_server(web: TestClient, book: RuleBook) -> None:
    walk(web, book, GRADUATE)
    for url in ("/", "/questions/education", "/check", "/report"):
        html = web.get(url).text
        assert '<html lang="en">' in html
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', html), url
        assert "<script>" not in html and " style=" not in html and " on" + "click=" not in html


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(qid=st.sampled_from(["education", "ma_training", "experience_years", "interests", "prefers_online",
                            "budget_usd", "nothing"]), fields=form_fields())
def test_any_form_post_is_an_answer_or_a_message(web: TestClient, book: RuleBook, qid: str,
                                                  fields: list[str]) -> None:
    web.cookies.clear()
    web.post("/upload", files={"answers_file": ("p.yaml", (ROOT / "profiles" / "09_career_changer.yaml").read_bytes(),
                                                "text/plain")})
    response = web.post(f"/questions/{qid}", data={"answer": fields})
    assert response.status_code in (200, 404, 422)
    if response.status_code == 422:
        assert 'class="error-summary"' in response.text


def test_the_report_page_draws_each_pathway_with_a_text_equivalent(web: TestClient, book: RuleBook) -> None:
    walk(web, book, GRADUATE)
    page = web.get("/report").text
    assert '<svg class="pathway-svg"' in page and 'role="img"' in page
    assert 'aria-describedby="path-1-steps"' in page and '<ol class="list list--number" id="path-1-steps">' in page
    assert 'id="source-1"' in page
    assert "Your plan" in page  # the plan from the JSON summary comes first
