"""The questionnaire, answers-file errors and suggestions in Spanish (issue 15), and English left as it was.

The rule book's own Spanish texts are filled in by translators; these tests fill the few they
need in a copy of the book, so they test the quiz's reading of Spanish labels, not the book.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from click.testing import CliRunner

from recommender.book.loader import load_rulebook
from recommender.book.rulebook import RuleBook
from recommender.cli import main
from recommender.i18n import set_lang, use_lang
from recommender.i18n.catalogs import PO_DIR, placeholders
from recommender.quiz.session import Entry, Session
from tests.conftest import ROOT

# A few of the rule book's Spanish texts, chosen by the tests.
SPANISH = {
    "questions.education.prompt": "¿Cuál es el nivel de estudios más alto que ha terminado?",
    "questions.education.help": "Indique lo que ya terminó, no lo que estudia ahora.",
    "questions.education.options.high_school.label": "Secundaria",
    "questions.education.options.some_college.label": "Algo de universidad, sin título",
    "questions.ma_training.options.completed.label": "Terminé un programa",
    "questions.interests.options.billing_coding.label": "facturación y codificación",
    "questions.interests.options.technology.label": "tecnología de la salud y sistemas EHR",
    "questions.study_hours_per_week.unit": "horas a la semana",
    "questions.budget_usd.unit": "dólares estadounidenses",
}


def fill(locales: Path, texts: dict[str, str]) -> None:
    """Write these Spanish texts over the entries of a copy of rules/locales/es/questionnaire.yaml.

    The tests choose their own labels (a one-word one, a misspelling's target), so they test the
    quiz's reading of Spanish whatever the shipped translation says.
    """
    path = locales / "es" / "questionnaire.yaml"
    text = path.read_text(encoding="utf-8")
    for key, spanish in texts.items():
        entry = re.compile(rf'^({re.escape(key)}:\n  en_sha: "[0-9a-f]+"\n  es: )".*"$', re.M)
        text, n = entry.subn(lambda m: m.group(1) + f'"{spanish}"', text)
        assert n == 1, key
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def spanish_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("book") / "rules"
    shutil.copytree(ROOT / "rules", root)
    fill(root / "locales", SPANISH)
    return root


@pytest.fixture(scope="module")
def es_book(spanish_rules: Path) -> RuleBook:
    return load_rulebook(spanish_rules, lang="es")


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    # `--lang es` sets the language for the rest of the process, as it should for one command; a test
    # process runs many commands, so each test here ends in English again.
    yield
    set_lang("en")


def run(*args: str, entries: list[str] = (), env: dict[str, str] | None = None) -> tuple[int, str, str]:  # type: ignore[assignment]
    text = "".join(f"{entry}\n" for entry in entries)
    with CliRunner().isolation(input=text, env=env) as (out, err, _both):
        code = main(list(args))
    return code, out.getvalue().decode(), err.getvalue().decode()


def parse(book: RuleBook, qid: str, typed: str) -> Entry:
    session = Session(book)
    return session.parse(session.question(qid), typed)


def english_fragments() -> list[str]:
    """Every stretch of English of 15 characters or more in the quiz's catalog, between placeholders."""
    with (PO_DIR / "es" / "quiz.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    found = []
    for message in catalog:
        if message.id and isinstance(message.id, str):
            found += [part.strip() for part in re.split(r"\{[^{}]*\}", message.id) if len(part.strip()) >= 15]
    return found


# ---------------------------------------------------------------- the whole quiz through piped input
def test_the_quiz_completes_in_spanish_through_piped_input(spanish_rules: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    entries = ["secundaira", "?", "secundaria", "", "0", "1 3", "facturacion y codificacion, 7", "1", "", "",
               "1500 dólares", "sí", "", "", ""]
    code, out, err = run("quiz", "--lang", "es", "--rules", str(spanish_rules), entries=entries)
    assert code == 0, err
    lines = err.splitlines()
    assert lines[:4] == [
        "Cuestionario de carreras: administración médica",
        "Alrededor de 12 preguntas; la mayoría de las personas termina en menos de cinco minutos.",
        "Escriba el número de su opción y presione Enter. Enter por sí solo acepta la respuesta que se ofrece.",
        "Sus respuestas se guardan después de cada pregunta en my-answers.yaml.",
    ]
    assert "Pregunta 1 de alrededor de 12" in lines
    assert "¿Cuál es el nivel de estudios más alto que ha terminado?" in lines
    assert ("En cualquier pregunta: ? la explica, b vuelve a la anterior, q guarda sus respuestas y termina."
            in lines)
    assert ("No se aceptó: 'secundaira' no es una de las opciones; ¿quiso decir 'Secundaria'?; escriba un número "
            "del 1 al 6, o el nombre o el id de una opción." in lines)
    assert "Ayuda: Indique lo que ya terminó, no lo que estudia ahora." in lines
    assert "Escriba s para sí o n para no. Presione Enter para elegir: no." in lines
    assert "Revise sus respuestas" in lines
    assert "  1. Su nivel de estudios más alto: Secundaria" in lines
    assert "  5. Sus intereses: facturación y codificación y tecnología de la salud y sistemas EHR" in lines
    assert "  8. Las horas por semana que puede estudiar: 10 horas a la semana" in lines
    assert "  9. Su presupuesto para formación y exámenes: 1,500 dólares estadounidenses" in lines
    assert "  10. Si prefiere estudiar en línea: sí" in lines
    assert lines[-2:] == ["Sus respuestas están guardadas en my-answers.yaml.",
                          "Vea este informe otra vez con: recommender recommend my-answers.yaml --lang es "
                          f"--rules {spanish_rules}"]
    # Not one of the quiz's own English sentences is left (the rule book's untranslated prompts may be).
    left = [fragment for fragment in english_fragments() if fragment in err]
    assert left == []
    assert out.strip()  # the report
    # The answers file is the same in every language: ids; only its comments are Spanish.
    text = (tmp_path / "my-answers.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Respuestas al cuestionario de carreras en administración médica")
    answers = yaml.safe_load(text)["answers"]
    assert answers["education"] == "high_school"
    assert answers["interests"] == ["billing_coding", "technology"]
    assert answers["budget_usd"] == 1500 and answers["prefers_online"] is True


def test_a_stopped_spanish_quiz_says_how_to_continue_in_spanish(spanish_rules: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run("quiz", "--lang", "es", "--rules", str(spanish_rules), entries=["2", "q"])
    assert code == 0
    assert err.splitlines()[-2:] == [
        "Usted detuvo el cuestionario. Sus respuestas hasta ahora (1) están guardadas en my-answers.yaml.",
        f"Continúe más tarde con: recommender quiz --resume my-answers.yaml --lang es --rules {spanish_rules}",
    ]


def test_the_quiz_speaks_spanish_when_the_locale_is_spanish(spanish_rules: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "es_MX.UTF-8"}
    code, _out, err = run("quiz", "--rules", str(spanish_rules), entries=["q"], env=env)
    assert code == 0
    assert err.startswith("Cuestionario de carreras: administración médica\n")


# ---------------------------------------------------------------- what is typed, read in Spanish
@pytest.mark.parametrize("typed", ["sí", "Sí", "SI", "si", "s", "S", "y", "yes"])
def test_yes_in_spanish(es_book: RuleBook, typed: str) -> None:
    with use_lang("es"):
        assert parse(es_book, "prefers_online", typed) == Entry("answer", True)


@pytest.mark.parametrize("typed", ["no", "No", "n", "N"])
def test_no_in_spanish(es_book: RuleBook, typed: str) -> None:
    with use_lang("es"):
        assert parse(es_book, "prefers_online", typed) == Entry("answer", False)


def test_a_word_that_is_neither_is_refused_in_spanish(es_book: RuleBook) -> None:
    with use_lang("es"):
        entry = parse(es_book, "prefers_online", "quizás")
    assert entry == Entry("invalid", reason="'quizás' no es sí ni no; escriba s para sí o n para no")


def test_english_does_not_take_si_for_yes(book: RuleBook) -> None:
    assert parse(book, "prefers_online", "sí") == Entry(
        "invalid", reason="'sí' is not yes or no; type y for yes or n for no")


@pytest.mark.parametrize(("typed", "value"), [
    ("secundaria", "high_school"), ("SECUNDARIA", "high_school"), ("Secundaria", "high_school"),
    ("algo de universidad, sin titulo", "some_college"), ("2", "high_school"), ("high_school", "high_school"),
])
def test_spanish_labels_are_accepted_like_ids(es_book: RuleBook, typed: str, value: str) -> None:
    with use_lang("es"):
        assert parse(es_book, "education", typed) == Entry("answer", value)


def test_several_spanish_labels_between_commas(es_book: RuleBook) -> None:
    with use_lang("es"):
        entry = parse(es_book, "interests",
                      "Facturación y codificación, tecnologia de la salud y sistemas EHR")
    assert entry == Entry("answer", ["billing_coding", "technology"])


@pytest.mark.parametrize("typed", ["ninguna", "Ninguno", "none"])
def test_none_in_spanish(es_book: RuleBook, typed: str) -> None:
    with use_lang("es"):
        assert parse(es_book, "interests", typed) == Entry("answer", [])


def test_a_misspelled_spanish_label_gets_a_spanish_suggestion(es_book: RuleBook) -> None:
    with use_lang("es"):
        entry = parse(es_book, "education", "segundaria")
    assert entry == Entry("invalid", reason="'segundaria' no es una de las opciones; ¿quiso decir 'Secundaria'?; "
                                            "escriba un número del 1 al 6, o el nombre o el id de una opción")


def test_a_misspelled_label_of_several_words_gets_the_whole_label(es_book: RuleBook) -> None:
    with use_lang("es"):
        single = parse(es_book, "ma_training", "terimne un programa")
        several = parse(es_book, "interests", "factura y codificacion")
    assert single.kind == "invalid" and "¿quiso decir 'Terminé un programa'?" in single.reason
    assert several.kind == "invalid" and "¿quiso decir 'facturación y codificación'?" in several.reason


def test_numbers_may_carry_their_spanish_unit(es_book: RuleBook) -> None:
    with use_lang("es"):
        assert parse(es_book, "budget_usd", "$1,500 dólares") == Entry("answer", 1500)
        assert parse(es_book, "study_hours_per_week", "6 horas") == Entry("answer", 6)
        assert parse(es_book, "study_hours_per_week", "6 manzanas").kind == "invalid"


def test_spanish_command_words(es_book: RuleBook) -> None:
    with use_lang("es"):
        assert [parse(es_book, "education", word).kind for word in ("ayuda", "atrás", "salir", "?", "b", "q")] == [
            "help", "back", "quit", "help", "back", "quit"]


def test_english_suggestions_still_come_from_ids(book: RuleBook) -> None:
    entry = parse(book, "education", "high_scool")
    assert entry == Entry("invalid", reason="'high_scool' is not one of the choices; did you mean 'high_school'?; "
                                            "type one number from 1 to 6, or an option id")


# ---------------------------------------------------------------- answers files
def test_an_answers_file_error_is_in_spanish_with_file_and_line(spanish_rules: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("mine.yaml").write_text("answers: {education: high_school}\nnmae: Ana\n", encoding="utf-8")
    Path("wrong.yaml").write_text("answers:\n  education: secundaria\n  experiense_years: 2\n", encoding="utf-8")
    code, _out, err = run("recommend", "mine.yaml", "--lang", "es", "--rules", str(spanish_rules))
    assert code == 2
    assert err.splitlines() == ["mine.yaml:2: clave de primer nivel desconocida 'nmae'; ¿quiso decir 'name'?; "
                                "se esperaba una de estas: answers, name, notes, expect, status"]
    code, _out, err = run("recommend", "wrong.yaml", "--lang", "es", "--rules", str(spanish_rules))
    assert code == 2
    assert err.splitlines() == [
        "wrong.yaml:2: answers.education: opción desconocida 'secundaria'; las opciones son none, high_school, "
        "some_college, associate, bachelor, graduate",
        "wrong.yaml:3: answers.experiense_years: pregunta desconocida 'experiense_years'; ¿quiso decir "
        "'experience_years'?",
    ]


def test_the_same_answers_file_error_in_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("wrong.yaml").write_text("answers:\n  education: high_scool\n", encoding="utf-8")
    code, _out, err = run("recommend", "wrong.yaml", "--lang", "en")
    assert code == 2
    assert err.splitlines() == ["wrong.yaml:2: answers.education: unknown option 'high_scool'; did you mean "
                                "'high_school'?; options are none, high_school, some_college, associate, "
                                "bachelor, graduate"]


def test_resuming_a_file_that_is_not_an_answers_file_says_so_in_spanish(spanish_rules: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes.yaml").write_text("groceries: [milk]\n", encoding="utf-8")
    code, _out, err = run("quiz", "--lang", "es", "--rules", str(spanish_rules), "--resume", "notes.yaml")
    assert code == 2
    assert err.splitlines() == ["notes.yaml:1: este no es un archivo de respuestas: no tiene la clave 'answers' "
                                "(sus claves de primer nivel son groceries)"]


# ---------------------------------------------------------------- advisors' tools stay English
def test_rules_check_stays_english_under_a_spanish_locale(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", root, ignore=shutil.ignore_patterns("locales"))
    path = root / "rules" / "foundation.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - id: added-by-a-test\n    description: A test rule.\n"
                    "    when: {fact: has_diplom}\n    points: {CMAA: 5}\n"
                    "    because: A reason.\n", encoding="utf-8")
    env = {**os.environ, "LANG": "es_MX.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    done = subprocess.run([sys.executable, "-m", "recommender", "rules", "check", "--rules", str(root)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode != 0
    assert "did you mean 'has_diploma'?" in done.stdout + done.stderr
    assert "quiso decir" not in done.stdout + done.stderr


# ---------------------------------------------------------------- the catalog itself
def test_every_quiz_text_keeps_its_placeholders_in_spanish() -> None:
    with (PO_DIR / "es" / "quiz.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    wrong = []
    for m in catalog:
        if not m.id:
            continue
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        english = m.id[-1] if isinstance(m.id, tuple) else m.id  # a plural's forms follow the plural
        if not all(forms) or any(placeholders(f) != placeholders(english) for f in forms):
            wrong.append(m.id)
    assert wrong == []


def test_a_spanish_label_is_accepted_without_its_english_gloss_in_brackets() -> None:
    book = load_rulebook(ROOT / "rules", lang="es")
    session = Session(book)
    q = next(q for q in book.questions if q.id == "education")
    with use_lang("es"):
        assert session.parse(q, "licenciatura") == Entry("answer", "bachelor")
        assert session.parse(q, "Licenciatura (bachelor's degree)") == Entry("answer", "bachelor")
        wrong = session.parse(q, "licensiatura")
    assert wrong.kind == "invalid" and "¿quiso decir 'Licenciatura (bachelor's degree)'?" in (wrong.reason or "")


def test_a_spanish_reader_is_never_offered_an_english_id_as_a_suggestion() -> None:
    book = load_rulebook(ROOT / "rules", lang="es")
    q = next(q for q in book.questions if q.id == "ma_training")
    with use_lang("es"):
        entry = Session(book).parse(q, "nonee")
    assert entry.kind == "invalid" and "'none'" not in (entry.reason or "")
