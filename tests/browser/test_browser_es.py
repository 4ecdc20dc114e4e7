"""The site in Spanish in headless Chromium: a Spanish browser gets Spanish pages, the switch, axe-core.

The Spanish rule book is read like the site reads it, so the test answers by whatever labels the
translators have written so far; the program's own words are checked in Spanish.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from recommender.book.loader import load_rulebook
from tests.browser.test_browser import GRADUATE, answer_page, axe_violations
from tests.conftest import ROOT

BOOK_ES = load_rulebook(ROOT / "rules", lang="es")
SHOTS = Path(os.environ.get("SCREENSHOTS", "/tmp/recommender-screens"))
PHONE = {"width": 375, "height": 812}


@pytest.fixture()
def es_page(browser: Any, site: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser whose language is Mexican Spanish (its Accept-Language says so), phone-sized."""
    js = request.node.get_closest_marker("no_js") is None
    context = browser.new_context(base_url=site, java_script_enabled=js, locale="es-MX", viewport=PHONE)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def answer_page_es(page: Any, answers: dict[str, Any]) -> str:
    """Answer the question on screen by its Spanish labels, as a person reading Spanish would."""
    return answer_page(page, answers, BOOK_ES, ("Sí", "No"), "Continuar")


def wider_than_the_phone(page: Any) -> list[str]:
    """What makes the page scroll sideways at phone width, if anything (Spanish words are longer)."""
    if page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]:
        return []
    return list(page.evaluate(f"""() => [...document.querySelectorAll('main *, header *, footer *')]
        .filter(e => e.getBoundingClientRect().right > {PHONE["width"]})
        .map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40))"""))


def test_a_whole_questionnaire_in_spanish_then_the_report(es_page: Any) -> None:
    page = es_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "es"
    problems = {"inicio": axe_violations(page)}
    page.screenshot(path=str(SHOTS / "es-start.png"), full_page=True)
    assert wider_than_the_phone(page) == [], "es-start"
    page.get_by_role("button", name="Empezar ahora").click()
    problems["pregunta"] = axe_violations(page)
    page.screenshot(path=str(SHOTS / "es-question.png"), full_page=True)
    assert wider_than_the_phone(page) == [], "es-question"
    page.get_by_role("button", name="Continuar").click()  # nothing chosen
    assert page.title().startswith("Error: ")
    page.get_by_role("link", name="Esta pregunta necesita una respuesta; elija una de las opciones.").wait_for()
    problems["error"] = axe_violations(page)
    asked = []
    while "/questions/" in page.url and len(asked) < 30:
        if "experience_years" in page.url:
            page.screenshot(path=str(SHOTS / "es-number.png"), full_page=True)
            assert wider_than_the_phone(page) == []
        asked.append(answer_page_es(page, GRADUATE))
    assert asked[:3] == ["education", "ma_training", "ma_training_accredited"]
    page.get_by_role("heading", name="Revise sus respuestas").wait_for()
    problems["revisar"] = axe_violations(page)
    page.screenshot(path=str(SHOTS / "es-check.png"), full_page=True)
    assert wider_than_the_phone(page) == [], "es-check"
    # Each answer gets a line of its own, not a column squeezed beside the question and "Cambiar".
    narrowest = page.locator(".summary-list__value").evaluate_all(
        "(all) => Math.min(...all.map(e => e.getBoundingClientRect().width))")
    assert narrowest >= PHONE["width"] / 2
    page.get_by_role("button", name="Ver mi informe").click()
    page.get_by_role("heading", name="Su informe").wait_for()
    page.get_by_role("heading", name="Su plan").wait_for()
    assert page.locator("svg.pathway-svg title").first.text_content().startswith("Diagrama: ")
    page.locator("details").evaluate_all("(all) => all.forEach(d => d.open = true)")
    problems["informe"] = axe_violations(page)
    page.screenshot(path=str(SHOTS / "es-report.png"), full_page=True)
    assert wider_than_the_phone(page) == [], "es-report"
    assert {k: v for k, v in problems.items() if v} == {}
    page.goto("/report.json")  # the browser's own request, with its Accept-Language
    assert json.loads(page.locator("body").inner_text())["lang"] == "es"


@pytest.mark.parametrize("js", [True, pytest.param(False, marks=pytest.mark.no_js)], ids=["js-on", "js-off"])
def test_the_switch_changes_the_language_and_keeps_the_place(es_page: Any, js: bool) -> None:
    page = es_page
    page.goto("/")
    page.get_by_role("button", name="Empezar ahora").click()
    answer_page_es(page, {"education": "high_school"})
    assert page.url.endswith("/questions/ma_training")
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/questions/ma_training")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Continue").wait_for()
    page.get_by_role("link", name="Back").click()  # the answer given in Spanish is still there
    assert page.locator("input[value=high_school]").is_checked()
    page.get_by_role("button", name="Español").click()
    page.wait_for_url("**/questions/education")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("navigation", name="Idioma").is_visible()
