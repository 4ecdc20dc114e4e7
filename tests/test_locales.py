"""The rule book's translations: keys by ids, fingerprints of the English, and the overlay."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.book.loader import load_rulebook
from recommender.book.locales import apply, fingerprint, placeholder_names, texts
from recommender.book.yamlio import load_file
from recommender.errors import RuleBookError
from tests.conftest import ROOT
from tests.scratch import Scratch, scratch  # noqa: F401 - the fixture


def keys(relative: str) -> list[str]:
    return [t.key for t in texts(load_file(ROOT / "rules" / relative).data)]


def test_a_fingerprint_ignores_how_a_paragraph_is_folded_but_not_its_words() -> None:
    assert fingerprint("Pay  about\n$44,460 a year.") == fingerprint("Pay about $44,460 a year.")
    assert fingerprint("Pay about $44,460 a year.") != fingerprint("Pay about $44,470 a year.")
    assert len(fingerprint("x")) == 8


def test_texts_are_keyed_by_ids_and_every_key_is_unique() -> None:
    for relative in ("questionnaire.yaml", "facts.yaml", "market.yaml", "report.yaml",
                     "catalog/certifications.yaml", "rules/foundation.yaml"):
        found = keys(relative)
        assert len(found) == len(set(found)), relative
    assert "questions.education.prompt" in keys("questionnaire.yaml")
    assert "questions.education.options.none.label" in keys("questionnaire.yaml")
    assert "items.CMA.name" in keys("catalog/certifications.yaml")
    assert "fit_labels.0.label" in keys("report.yaml")


def test_what_only_advisors_read_and_what_names_a_page_is_not_offered_for_translation() -> None:
    catalog = keys("catalog/certifications.yaml")
    assert not [k for k in catalog if k.endswith((".title", ".url", ".id", ".kind", ".publisher"))]
    assert not [k for k in catalog if ".when." in k or ".allow." in k]
    rules = keys("rules/foundation.yaml")
    assert rules and not [k for k in rules if k.endswith(".description")]  # a rule's description is for advisors
    assert [k for k in keys("facts.yaml") if k.endswith(".description")]  # a fact's is shown as a condition


nested = st.recursive(
    st.text(max_size=5) | st.integers(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "name", "note", "label", "when", "value", "items", "because_for", "x"]),
        inner, max_size=5),
    max_leaves=25,
)


@given(st.dictionaries(st.sampled_from(["items", "questions", "rules", "sources"]), nested, max_size=3),
       st.data())
def test_the_overlay_replaces_exactly_the_chosen_texts_and_never_changes_the_english(data: Any,
                                                                                   draw: st.DataObject) -> None:
    before = copy.deepcopy(data)
    found = list(texts(data))
    chosen = draw.draw(st.lists(st.sampled_from(found), unique_by=lambda t: t.path) if found else st.just([]))
    overlay = {t.path: f"«{t.english}»" for t in chosen}
    out = apply(data, overlay)
    assert data == before
    assert sorted(t.english for t in texts(out)) == sorted(
        (f"«{t.english}»" if t.path in overlay else t.english) for t in found)
    assert [t.key for t in texts(out)] == [t.key for t in found]


def test_placeholder_names_are_the_names_in_braces() -> None:
    assert placeholder_names("Usted indicó {education} y {goals}.") == ["education", "goals"]
    assert placeholder_names("{{literal}}") == []


# ------------------------------------------------------------------ loading a translated book
def spanish(scratch: Scratch, relative: str, text: str) -> None:
    path = scratch.root / "locales" / "es" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def english(scratch: Scratch, relative: str, key: str) -> str:
    return next(t.english for t in texts(load_file(scratch.root / relative).data) if t.key == key)


def entry(key: str, english_text: str, es: str) -> str:
    return f'{key}:\n  en_sha: "{fingerprint(english_text)}"\n  es: "{es}"\n'


def test_a_current_translation_replaces_its_english_in_the_spanish_book_only(scratch: Scratch) -> None:
    prompt = english(scratch, "questionnaire.yaml", "questions.education.prompt")
    spanish(scratch, "questionnaire.yaml", entry("questions.education.prompt", prompt, "¿Qué estudios terminó?"))
    es = load_rulebook(scratch.root, lang="es")
    en = load_rulebook(scratch.root)
    assert next(q for q in es.questions if q.id == "education").prompt == "¿Qué estudios terminó?"
    assert next(q for q in en.questions if q.id == "education").prompt == prompt
    assert es.lang == "es" and en.lang == "en"


def test_a_translation_of_since_changed_english_is_not_used(scratch: Scratch) -> None:
    spanish(scratch, "questionnaire.yaml", entry("questions.education.prompt", "An older question?", "¿Vieja?"))
    es = load_rulebook(scratch.root, lang="es")
    assert next(q for q in es.questions if q.id == "education").prompt == english(
        scratch, "questionnaire.yaml", "questions.education.prompt")


def test_a_translation_that_quotes_other_answers_is_refused_with_its_line(scratch: Scratch) -> None:
    rule = next(t for t in texts(load_file(scratch.root / "rules/foundation.yaml").data) if "{" in t.english)
    spanish(scratch, "rules/foundation.yaml",
            "# comment\n" + entry(rule.key, rule.english, "Usted dijo {salary_need}."))
    with pytest.raises(RuleBookError) as caught:
        load_rulebook(scratch.root, lang="es")
    line = str(caught.value).splitlines()[0]
    assert line.startswith("rules/locales/es/rules/foundation.yaml:4: ")
    assert "{salary_need}" in line and "placeholders" in line


def test_a_malformed_translation_file_is_an_error_with_its_line(scratch: Scratch) -> None:
    spanish(scratch, "report.yaml", 'fit_labels.0.label:\n  en_sha: "12"\n  es: "Encaja"\n  spanish: "x"\n')
    with pytest.raises(RuleBookError) as caught:
        load_rulebook(scratch.root, lang="es")
    lines = str(caught.value).splitlines()
    assert "rules/locales/es/report.yaml:4: fit_labels.0.label: unknown key 'spanish'" in lines[0] + lines[-1] \
        or any("unknown key 'spanish'" in x for x in lines)
    assert any("8-digit fingerprint" in x and ":2:" in x for x in lines)


def test_a_fit_label_translation_longer_than_the_field_allows_is_refused(scratch: Scratch) -> None:
    label = english(scratch, "report.yaml", "fit_labels.0.label")
    spanish(scratch, "report.yaml", entry("fit_labels.0.label", label, "x" * 41))
    with pytest.raises(RuleBookError, match="at most 40"):
        load_rulebook(scratch.root, lang="es")


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6) | st.integers(), inner,
                                                                max_size=3),
    max_leaves=12,
)


@given(yaml_values)
def test_any_translation_file_is_read_into_entries_or_located_problems_never_an_exception(data: Any) -> None:
    import json
    import tempfile
    from pathlib import Path

    from recommender.book.locales import read_locale

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.yaml"
        path.write_text(json.dumps(data), encoding="utf-8")  # JSON is YAML
        found = read_locale(path, "x.yaml", "es")
    assert all(p.path == "x.yaml" and p.line >= 0 for p in found.problems)
    assert all(isinstance(e.text, str) and len(e.en_sha) == 8 for e in found.entries.values())
