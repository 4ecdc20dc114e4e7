"""The report, the pathways and the explanations in Spanish: every program text translated, within the same limits.

Rule-book texts arrive translated from rules/locales/es; these tests are about the program's own
words (headings, labels, steps, reasons, money and time), which come from po/es/report.po.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from click.testing import CliRunner

from recommender.book.answers import load_answers
from recommender.book.loader import load_rulebook
from recommender.book.rulebook import RuleBook
from recommender.cli import cli
from recommender.engine.recommend import recommend
from recommender.i18n import use_lang
from recommender.i18n.catalogs import PO_DIR, placeholders
from recommender.render import render
from recommender.render.text_details import render_pathways_text
from tests.conftest import ROOT

PROFILES = sorted((ROOT / "profiles").glob("*.yaml"))
IDS = [p.stem for p in PROFILES]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@pytest.fixture(scope="module")
def es_book() -> Iterator[RuleBook]:
    # A book of its own: the engine caches words per book, so an English book must never see Spanish.
    with use_lang("es"):
        yield load_rulebook(ROOT / "rules", lang="es")


def report_es(book: RuleBook, path: Path, fmt: str = "text", details: bool = False, width: int = 88) -> str:
    with use_lang("es"):
        return render(recommend(book, load_answers(path, book).profile), book, fmt, details, width)


@lru_cache(maxsize=1)
def rulebook_english() -> str:
    """Every English text of the rule book, so a phrase it shares with the program is not blamed on the program."""
    texts: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            texts.append(" ".join(value.split()))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for path in (ROOT / "rules").rglob("*.yaml"):
        if "locales" not in path.parts:
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return "\n".join(texts)


@lru_cache(maxsize=1)
def program_phrases() -> tuple[str, ...]:
    """The English phrases of the report's catalog: each msgid's text between placeholders, two words or more."""
    with (PO_DIR / "es" / "report.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    found: set[str] = set()
    for message in catalog:
        for msgid in (message.id if isinstance(message.id, tuple) else (message.id,)):
            for part in re.split(r"\{[^{}]*\}", msgid):
                part = part.strip(" .,;:()*`'\"|")
                if len(part.split()) >= 2 and part not in rulebook_english():
                    found.add(part)
    return tuple(sorted(found))


def english_left(text: str) -> list[str]:
    return [phrase for phrase in program_phrases() if phrase in text]


def test_the_phrase_list_is_real() -> None:
    phrases = program_phrases()
    assert len(phrases) > 150
    assert "Where to go next" in phrases and "Your plan" in phrases and "not an official figure" in phrases


@pytest.mark.parametrize("path", PROFILES, ids=IDS)
def test_the_spanish_report_leads_with_the_plan_and_stays_short(es_book: RuleBook, path: Path) -> None:
    text = report_es(es_book, path)
    lines = text.splitlines()
    assert len(lines) <= 80
    assert lines[0].startswith("Su plan")
    assert lines[3].startswith("Su mejor opción: ") and "\n  Este mes: " in text
    assert "FUENTES" in lines and "SOURCES" not in lines
    assert not PLACEHOLDER.search(text)


@pytest.mark.parametrize("path", PROFILES, ids=IDS)
def test_narrow_terminals_hold_in_spanish(es_book: RuleBook, path: Path) -> None:
    for details in (False, True):
        long = [line for line in report_es(es_book, path, details=details, width=60).splitlines()
                if len(line) > 60 and "://" not in line]
        assert long == []


@pytest.mark.parametrize("path", PROFILES, ids=IDS)
def test_no_program_phrase_is_left_in_english(es_book: RuleBook, path: Path) -> None:
    for fmt in ("text", "markdown"):
        for details in (False, True):
            text = report_es(es_book, path, fmt, details)
            assert english_left(text) == [], (fmt, details)
            assert not PLACEHOLDER.search(text), (fmt, details)


@pytest.mark.parametrize("path", PROFILES, ids=IDS)
def test_pathways_speak_spanish(es_book: RuleBook, path: Path) -> None:
    with use_lang("es"):
        result = recommend(es_book, load_answers(path, es_book).profile)
        text = render_pathways_text(result.pathways, es_book, result.name)
    assert text.startswith("Caminos para ") or text.startswith("Sus caminos")
    assert english_left(text) == []
    if result.pathways:
        assert "Para llegar a ser: " in text and "Total: " in text and "Año 1" in text


def test_headings_and_pay_words_are_spanish(es_book: RuleBook) -> None:
    text = report_es(es_book, ROOT / "profiles" / "06_aspiring_coder.yaml")
    for english in ("Your plan", "This month", "WHERE TO GO NEXT", "KEY FACTS", "SOURCES", "GOOD TO KNOW",
                    "Fit:", "figures for", "not an official figure", "Cost: unknown", "Pay: "):
        assert english not in text, english
    for spanish in ("ADÓNDE IR AHORA", "DATOS CLAVE", "FUENTES", "CONVIENE SABER", "Encaje:", "cifras de 2024",
                    "consultada el 2026-", "al año", "alrededor de $50,250", "no es una cifra oficial",
                    "Costo: desconocido, consulte con"):
        assert spanish in text, spanish


def test_markdown_headings_are_spanish(es_book: RuleBook) -> None:
    text = report_es(es_book, ROOT / "profiles" / "06_aspiring_coder.yaml", "markdown", details=True)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[0] == "# Su plan, Priya (aspiring coder)"
    assert "## Sus respuestas" in headings and "## Fuentes" in headings and "## Caminos" in headings
    assert "| Pregunta | Respuesta |" in text and "**Estado:**" in text and "(puntaje " in text
    assert 'start(["Usted hoy"])' in text


def test_json_keeps_its_keys_and_speaks_spanish_in_its_values(book: RuleBook, es_book: RuleBook) -> None:
    path = ROOT / "profiles" / "17_first_job_small_budget.yaml"
    english = json.loads(render(recommend(book, load_answers(path, book).profile), book, "json"))
    spanish = json.loads(report_es(es_book, path, "json"))

    def keys(value: object) -> object:
        if isinstance(value, dict):
            return {k: keys(v) for k, v in value.items()}
        return [keys(v) for v in value] if isinstance(value, list) else None

    assert spanish["lang"] == "es" and keys(spanish["recommendations"]) == keys(english["recommendations"])
    assert [r["id"] for r in spanish["recommendations"]] == [r["id"] for r in english["recommendations"]]
    labels = {a["label"] for p in spanish["pathways"] for a in p["alternatives"]} | \
        {p["label"] for p in spanish["pathways"]}
    assert "recomendada" in labels and not labels & {"recommended", "fastest", "cheapest", "job first"}
    years = [y["summary"] for p in spanish["pathways"] for y in p["years"]]
    assert years and all(y.startswith("Año ") for y in years)
    assert english_left(json.dumps(spanish, ensure_ascii=False)) == []


def test_explain_speaks_spanish_from_the_command_line() -> None:
    runner = CliRunner()
    for item in ("CMA", "CPC", "medical_office_manager"):
        out = runner.invoke(cli, ["explain", str(ROOT / "profiles" / "01_no_diploma.yaml"), item, "--lang", "es"])
        assert out.exit_code == 0, out.output
        assert "REGLAS QUE LO AFECTARON" in out.output and "RULES THAT TOUCHED IT" not in out.output
        assert english_left(out.output) == [], item
        assert not PLACEHOLDER.search(out.output)


def test_path_and_recommend_speak_spanish_from_the_command_line() -> None:
    runner = CliRunner()
    answers = str(ROOT / "profiles" / "09_career_changer.yaml")
    path = runner.invoke(cli, ["path", answers, "--lang", "es", "--to", "medical_office_manager"])
    assert path.exit_code == 0, path.output
    assert "Para llegar a ser: " in path.output and english_left(path.output) == []
    report = runner.invoke(cli, ["recommend", answers, "--lang", "es", "--details"])
    assert report.exit_code == 0 and report.output.startswith("Su plan")
    assert english_left(report.output) == []
    english = runner.invoke(cli, ["recommend", answers, "--lang", "en"])
    assert english.output.startswith("Your plan")


def test_every_translation_keeps_the_placeholders_of_its_english() -> None:
    with (PO_DIR / "es" / "report.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert text and placeholders(text) == placeholders(ids[-1]), message.id
