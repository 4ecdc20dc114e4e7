"""The site in headless Chromium, with JavaScript on and off, checked with axe-core."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from recommender.book.loader import load_rulebook
from recommender.book.rulebook import RuleBook
from recommender.cli import cli
from recommender.quiz.session import Session
from tests.conftest import ROOT

BOOK = load_rulebook(ROOT / "rules")
GRADUATE = {"education": "high_school", "ma_training": "completed", "ma_training_accredited": True,
            "training_years_ago": 1, "experience_years": 0, "interests": ["patient_contact", "scheduling"],
            "goals": ["first_job_fast"], "budget_usd": 1500}


def labels(qid: str, book: RuleBook = BOOK, yes_no: tuple[str, str] = ("Yes", "No")) -> dict[Any, str]:
    q = next(q for q in book.questions if q.id == qid)
    if q.type == "boolean":
        return {True: yes_no[0], False: yes_no[1]}
    return {cid: label for cid, label, _help in Session(book).choices(q)}


def answer_page(page: Any, answers: dict[str, Any], book: RuleBook = BOOK, yes_no: tuple[str, str] = ("Yes", "No"),
                button: str = "Continue") -> str:
    """Answer the question on screen as a person would, by its labels in the book's language; return its id."""
    qid = page.locator("form[action^='/questions/']").get_attribute("action").rsplit("/", 1)[1]
    q = next(q for q in book.questions if q.id == qid)
    shown = labels(qid, book, yes_no) if q.type != "number" else {}
    if qid in answers:
        value = answers[qid]
        if q.type == "number":
            page.get_by_label(q.prompt, exact=True).fill(str(value))
        elif q.type == "multi":
            for box in page.locator("input[name=answer]").all():
                box.uncheck()
            for cid in value:
                page.get_by_label(shown[cid], exact=True).check()
        else:
            page.get_by_label(shown[value], exact=True).check()
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    return qid


def complete(page: Any, answers: dict[str, Any]) -> list[str]:
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    seen = []
    while "/questions/" in page.url and len(seen) < 30:
        seen.append(answer_page(page, answers))
    assert page.url.endswith("/check")
    return seen


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]]


@pytest.mark.parametrize("js", [True, pytest.param(False, marks=pytest.mark.no_js)], ids=["js-on", "js-off"])
def test_a_whole_questionnaire_then_the_report(page: Any, js: bool) -> None:
    asked = complete(page, GRADUATE)
    assert asked[:5] == ["education", "ma_training", "ma_training_accredited", "training_years_ago",
                         "experience_years"]
    assert "experience_areas" not in asked  # ask_if decided on the server, as in the quiz
    page.get_by_role("heading", name="Check your answers").wait_for()
    page.get_by_role("button", name="See my report").click()
    page.get_by_role("heading", name="Your report").wait_for()
    assert page.locator("svg.pathway-svg").count() >= 1
    print_button = page.get_by_role("button", name="Print or save as PDF")
    assert print_button.is_visible() == js  # JavaScript only adds the button; the hint says how without it
    report = page.request.get("/report.json").json()
    assert report["answers"]["training_years_ago"] == 1


@pytest.mark.no_js
def test_back_and_change_drop_answers_that_no_longer_apply(page: Any) -> None:
    complete(page, GRADUATE)
    page.get_by_role("link", name="Change your medical assisting or medical office training").click()
    page.get_by_role("link", name="Back").click()
    assert page.url.endswith("/check")
    page.get_by_role("link", name="Change your medical assisting or medical office training").click()
    page.get_by_label("No such training", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    assert page.url.split("?")[0].endswith("/check")
    page.get_by_text("Your answer about years since you finished your program was removed").wait_for()
    assert page.get_by_text("Years since you finished your program", exact=True).count() == 0


def test_a_validation_error_is_announced_focused_and_linked(page: Any) -> None:
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()  # nothing chosen
    assert page.title().startswith("Error: ")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    page.get_by_role("link", name="This question needs an answer; choose one of the options.").click()
    assert page.evaluate("document.activeElement.id") == "answer"
    assert axe_violations(page) == []


def test_keyboard_alone_answers_a_question(page: Any) -> None:
    page.goto("/questions/education")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # site name
    page.keyboard.press("Tab")  # the other language, in the header
    page.keyboard.press("Tab")  # back link
    page.keyboard.press("Tab")  # first radio
    page.keyboard.press("ArrowDown")  # second radio, selected
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url("**/questions/ma_training")


def test_download_then_upload_resumes_on_the_first_unanswered_question(page: Any, downloads: Path) -> None:
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    for _ in range(3):
        answer_page(page, GRADUATE)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download my answers").first.click()
    saved = downloads / "my-answers.yaml"
    info.value.save_as(saved)
    data = yaml.safe_load(saved.read_text())
    assert data["status"] == "in_progress"
    assert data["answers"] == {"education": "high_school", "ma_training": "completed", "ma_training_accredited": True}
    page.context.clear_cookies()
    page.goto("/")
    page.get_by_label("Upload an answers file", exact=True).set_input_files(str(saved))
    page.get_by_role("button", name="Upload and continue").click()
    assert page.url.endswith("/questions/training_years_ago")
    assert page.locator(".caption").inner_text() == "Question 4 of about 14"


def test_a_malformed_upload_is_one_message(page: Any, downloads: Path) -> None:
    bad = downloads / "notes.yaml"
    bad.write_text("shopping: [milk, eggs]\n")
    page.goto("/")
    page.get_by_label("Upload an answers file", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="Upload and continue").click()
    assert page.locator(".error-summary li").all_inner_texts() == [
        "notes.yaml:1: this is not an answers file: it has no 'answers' key (its top-level keys are shopping)"]
    assert axe_violations(page) == []


@pytest.mark.parametrize("name", ["02_fresh_graduate", "07_aspiring_manager", "11_records_technologist"])
def test_the_api_gives_the_clis_json_for_shipped_profiles(page: Any, name: str) -> None:
    path = ROOT / "profiles" / f"{name}.yaml"
    response = page.request.post("/api/recommend", data=path.read_bytes(),
                                 headers={"content-type": "application/json"})
    assert response.status == 200
    cli_out = CliRunner().invoke(cli, ["recommend", str(path), "--format", "json"]).output
    assert response.text() == cli_out
    assert json.loads(response.text())["recommendations"]


def test_no_page_has_an_accessibility_violation(page: Any, downloads: Path) -> None:
    problems: dict[str, list[str]] = {}
    csp: list[str] = []
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)

    def check(label: str) -> None:
        problems[label] = axe_violations(page)

    page.goto("/")
    check("start")
    page.get_by_role("button", name="Start now").click()
    check("radios")
    page.get_by_role("button", name="Continue").click()
    check("radios with an error")
    page.goto("/questions/education")
    answer_page(page, {"education": "high_school"})
    answer_page(page, {"ma_training": "none"})
    check("number")
    page.get_by_label(next(q.prompt for q in BOOK.questions if q.id == "experience_years"), exact=True).fill("99")
    page.get_by_role("button", name="Continue").click()
    check("number with an error")
    answer_page(page, {"experience_years": 2})
    check("checkboxes")
    while "/questions/" in page.url:
        answer_page(page, {})
    check("check your answers")
    page.get_by_role("button", name="See my report").click()
    page.locator("details").evaluate_all("(all) => all.forEach(d => d.open = true)")
    check("report")
    page.goto("/no-such-page")
    check("not found")
    odd = downloads / "odd.yaml"
    odd.write_text("answers:\n  education: high_school\n  colour: blue\n")
    page.goto("/")
    page.get_by_label("Upload an answers file", exact=True).set_input_files(str(odd))
    page.get_by_role("button", name="Upload and continue").click()
    check("upload notes")
    assert {k: v for k, v in problems.items() if v} == {}
    assert csp == []


def test_print_stylesheet_and_pdf(page: Any, downloads: Path) -> None:
    complete(page, GRADUATE)
    page.get_by_role("button", name="See my report").click()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("link", name="Back to your answers").is_visible()
    pdf = downloads / "report.pdf"
    page.pdf(path=str(pdf), format="Letter")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
