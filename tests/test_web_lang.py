"""The site and the API in each language: Accept-Language, the switch, the API's `lang`, Spanish pages."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from fastapi.testclient import TestClient

from recommender.book.loader import load_rulebook
from recommender.book.rulebook import RuleBook
from recommender.cli import cli
from recommender.i18n import use_lang
from recommender.web.app import create_app
from recommender.web.forms import number_hint
from recommender.web.lang import safe_next
from recommender.web.report import span
from recommender.web.server import load_books
from tests.conftest import PROFILES, ROOT
from tests.webclient import walk

SPANISH = {"accept-language": "es-MX,es;q=0.9,en;q=0.5"}
PROMPT = "PRUEBA: ¿Cuál es el nivel de estudios más alto que ha terminado?"
LABEL = "PRUEBA: diploma de escuela secundaria (high school) o GED"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, RuleBook]:
    """The shipped book in each language, with one Spanish question prompt and one option label filled in
    (whatever the translators have done so far), so a test can see the Spanish book reach the page."""
    root = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(ROOT / "rules", root)
    locale = root / "locales" / "es" / "questionnaire.yaml"
    text = locale.read_text(encoding="utf-8")
    for key, value in (("questions.education.prompt", PROMPT),
                       ("questions.education.options.high_school.label", LABEL)):
        text, found = re.subn(rf'^({re.escape(key)}:\n  en_sha: "[0-9a-f]+"\n  es: ).*$',
                              lambda m, v=value: m.group(1) + yaml.safe_dump(v, allow_unicode=True).split("\n")[0],
                              text, flags=re.M)
        assert found == 1, key
    locale.write_text(text, encoding="utf-8")
    return load_books(root)


@pytest.fixture(scope="module")
def web(books: dict[str, RuleBook]) -> Iterator[TestClient]:
    with TestClient(create_app(books["en"], books), base_url="http://testserver") as c:
        yield c


@pytest.fixture()
def fresh(books: dict[str, RuleBook]) -> Iterator[TestClient]:
    """A browser of its own (cookies are per client)."""
    with TestClient(create_app(books["en"], books), base_url="http://testserver") as c:
        yield c


def html_lang(html: str) -> str:
    found = re.search(r'<html lang="([a-z]+)">', html)
    assert found is not None
    return found.group(1)


def cli_json(*args: str) -> str:
    with use_lang("en"):  # the command's --lang sets the language for the rest of the context: keep it in here
        result = CliRunner().invoke(cli, [*args, "--rules", str(ROOT / "rules")])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_books_are_loaded_once_per_language(books: dict[str, RuleBook]) -> None:
    assert {lang: book.lang for lang, book in books.items()} == {"en": "en", "es": "es"}
    assert books["es"].questions[0].prompt == PROMPT
    assert books["en"].questions[0].prompt == "What is the highest level of education you have finished?"


def test_accept_language_picks_the_pages_language(web: TestClient) -> None:
    english = web.get("/").text
    assert html_lang(english) == "en" and "Start now" in english
    spanish = web.get("/", headers=SPANISH).text
    assert html_lang(spanish) == "es"
    assert "Empezar ahora" in spanish and "Start now" not in spanish
    assert "<title>Encuentre la carrera en administración médica adecuada para usted – Carreras en" in spanish
    assert html_lang(web.get("/", headers={"accept-language": "fr-FR,en;q=0.1"}).text) == "en"


def test_the_spanish_book_and_catalog_reach_a_question_page(web: TestClient) -> None:
    page = web.get("/questions/education", headers=SPANISH).text
    assert PROMPT in page and LABEL in page
    assert '<button type="submit" class="button">Continuar</button>' in page
    assert PROMPT not in web.get("/questions/education").text


def test_every_page_has_the_switch_coming_back_to_itself(web: TestClient) -> None:
    page = web.get("/questions/education?change=1", headers=SPANISH).text
    assert '<form method="post" action="/lang">' in page
    assert '<input type="hidden" name="next" value="/questions/education?change=1">' in page
    assert '<button type="submit" name="lang" value="en" class="lang-switch__button">English</button>' in page
    assert '<span class="lang-switch__current" aria-current="true">Español</span>' in page
    missing = web.get("/no-such-page", headers=SPANISH)
    assert missing.status_code == 404 and html_lang(missing.text) == "es"
    assert "No hay ninguna página en esta dirección." in missing.text
    assert '<li lang="en"><button type="submit" name="lang" value="en"' in missing.text


def test_the_switch_sets_a_cookie_that_wins_over_accept_language(fresh: TestClient) -> None:
    response = fresh.post("/lang", data={"lang": "es", "next": "/questions/education?change=1"},
                          follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/questions/education?change=1"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("lang=es;") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert html_lang(fresh.get("/").text) == "es"  # no Accept-Language at all: the cookie decides
    fresh.post("/lang", data={"lang": "en", "next": "/"})
    assert html_lang(fresh.get("/", headers=SPANISH).text) == "en"


def test_the_switch_keeps_the_answers(fresh: TestClient, books: dict[str, RuleBook]) -> None:
    walk(fresh, books["en"], {"education": "high_school"}, limit=2)
    before = fresh.cookies.get("answers")
    response = fresh.post("/lang", data={"lang": "es", "next": "/questions/experience_years"})
    assert response.url.path == "/questions/experience_years"
    assert "Escriba un número entero entre 0 y 50" in response.text
    assert fresh.cookies.get("answers") == before


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "evil",
                                    "/x\n", None, "/" + "a" * 600])
def test_the_switch_never_sends_a_person_to_another_site(fresh: TestClient, target: str | None) -> None:
    assert safe_next(target) == "/"
    data = {"lang": "es"} | ({"next": target} if target is not None else {})
    assert fresh.post("/lang", data=data, follow_redirects=False).headers["location"] == "/"


def test_an_unknown_language_changes_nothing(fresh: TestClient) -> None:
    response = fresh.post("/lang", data={"lang": "fr", "next": "/check"}, follow_redirects=False)
    assert response.headers["location"] == "/check" and "set-cookie" not in response.headers
    assert html_lang(fresh.get("/", headers={"cookie": "lang=fr"}).text) == "en"


def test_a_switch_posted_from_another_site_is_refused_in_the_persons_language(fresh: TestClient) -> None:
    response = fresh.post("/lang", data={"lang": "es", "next": "/"},
                          headers={"sec-fetch-site": "cross-site", **SPANISH}, follow_redirects=False)
    assert response.status_code == 403 and "set-cookie" not in response.headers
    assert '<html lang="es">' in response.text
    assert "Este formulario se envió desde otro sitio, por eso se rechazó." in response.text
    english = fresh.post("/lang", data={"lang": "es"}, headers={"origin": "https://evil.example"})
    assert english.status_code == 403 and "This form was sent from another site" in english.text


@pytest.fixture(scope="module")
def shipped() -> Iterator[TestClient]:
    """The site over the shipped book in both languages, as `recommender serve` loads it."""
    books = load_books(ROOT / "rules")
    with TestClient(create_app(books["en"], books), base_url="http://testserver") as c:
        yield c


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_the_spanish_api_is_exactly_the_clis_spanish_json(shipped: TestClient, path: Path) -> None:
    expected = cli_json("recommend", str(path), "--format", "json", "--lang", "es")
    assert '"lang": "es"' in expected
    by_query = shipped.post("/api/recommend?lang=es", content=path.read_bytes())
    assert by_query.status_code == 200 and by_query.text == expected
    assert shipped.post("/api/recommend", content=path.read_bytes(), headers=SPANISH).text == expected
    english = shipped.post("/api/recommend?lang=en", content=path.read_bytes(), headers=SPANISH)
    assert english.text == cli_json("recommend", str(path), "--format", "json", "--lang", "en")


def test_explain_and_path_take_lang_too(web: TestClient) -> None:
    body = (ROOT / "profiles" / "03_accredited_graduate.yaml").read_bytes()
    for url in ("/api/explain?item=CMA&lang=es", "/api/path?lang=es"):
        assert web.post(url, content=body).json()["lang"] == "es"
        assert web.post(url.replace("lang=es", "lang=en"), content=body, headers=SPANISH).json()["lang"] == "en"


def test_the_questionnaire_endpoint_answers_from_the_spanish_book(web: TestClient) -> None:
    spanish = web.get("/api/questionnaire?lang=es").json()["questions"][0]
    assert spanish["prompt"] == PROMPT
    assert {"id": "high_school", "label": LABEL} in [{k: o[k] for k in ("id", "label")} for o in spanish["options"]]
    assert web.get("/api/questionnaire", headers=SPANISH).json()["questions"][0]["prompt"] == PROMPT
    english = web.get("/api/questionnaire?lang=en", headers=SPANISH).json()["questions"][0]
    assert english["prompt"] == "What is the highest level of education you have finished?"
    assert english["id"] == spanish["id"] == "education"  # ids never change with the language


def test_an_unknown_api_language_is_a_located_422(web: TestClient) -> None:
    response = web.get("/api/questionnaire?lang=fr")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "lang"]
    assert web.get("/api/questionnaire").headers["vary"] == "Accept-Language"
    assert "lang" in {p["name"] for p in web.get("/openapi.json").json()["paths"]["/api/recommend"]["post"]
                      ["parameters"]}


def test_a_whole_questionnaire_and_report_in_spanish(fresh: TestClient, books: dict[str, RuleBook]) -> None:
    fresh.headers.update(SPANISH)
    answers = yaml.safe_load((ROOT / "profiles" / "02_fresh_graduate.yaml").read_text())["answers"]
    assert walk(fresh, books["es"], answers) == "/check"
    check = fresh.get("/check").text
    assert "<h1 class=\"heading-l\">Revise sus respuestas</h1>" in check and "Ver mi informe" in check
    report = fresh.get("/report").text
    assert html_lang(report) == "es"
    for heading in ("Su informe", "Su plan", "Certificaciones", "Fuentes"):
        assert f">{heading}</h" in report
    assert "Your plan" not in report and "Sources</h2>" not in report
    assert re.search(r"Salario: salario (mediano|promedio) de (alrededor de )?\$[\d,]+ (al año|por hora)", report)
    data = fresh.get("/report.json").json()
    expected = json.loads(cli_json("recommend", str(ROOT / "profiles" / "02_fresh_graduate.yaml"), "--format", "json",
                                   "--lang", "es"))
    assert data["lang"] == "es" and data["answers"] == expected["answers"]


def test_spans_pay_and_hints_in_each_language() -> None:
    with use_lang("es"):
        assert span([9, 12]) == "9–12 meses" and span({"min": 1, "max": 1}) == "1 mes"
        assert span([1200, 1500], dollars=True) == "$1,200–$1,500"
    with use_lang("en"):
        assert span([9, 12]) == "9–12 months" and span([1, 1]) == "1 month" and span([0.5, 0.5]) == "0.5 months"
    book = load_rulebook(ROOT / "rules")
    years = next(q for q in book.questions if q.id == "experience_years")
    with use_lang("es"):
        assert number_hint(years) == "Escriba un número entero entre 0 y 50 (years)."
    assert number_hint(years) == "Enter a whole number from 0 to 50 (years)."


def test_template_translations_keep_their_placeholders() -> None:
    """The catalog check compares {name} placeholders; the templates' %(name)s ones are compared here."""
    from babel.messages.pofile import read_po

    po = ROOT / "recommender" / "i18n" / "po" / "es" / "web.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="es")

    def names(text: Any) -> set[str]:
        return set(re.findall(r"%\((\w+)\)s", text))

    wrong = []
    for message in catalog:
        if not message.id:
            continue  # the header
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wrong += [s for s in strings if names(s) != names(ids[-1])]
        wrong += [s for s in strings if re.sub(r"%\(\w+\)s|%%", "", s).count("%")]  # a bare % breaks rendering
    assert wrong == []
