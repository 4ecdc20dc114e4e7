"""The language base: choosing a language, the program's catalogs, and numbers in each language."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.i18n import (
    DEFAULT_LANG,
    LANGS,
    _,
    catalogs,
    current_lang,
    lang_from_accept_language,
    lang_from_env,
    money,
    ngettext,
    normalize_lang,
    number,
    use_lang,
)


@pytest.mark.parametrize(("value", "lang"), [
    ("es", "es"), ("es_MX.UTF-8", "es"), ("es-419", "es"), ("ES_us", "es"), ("es_ES@euro", "es"),
    ("en_US.UTF-8", "en"), ("C", None), ("POSIX", None), ("fr_FR", None), ("", None), (None, None),
])
def test_locale_names_are_reduced_to_a_language_we_offer(value: str | None, lang: str | None) -> None:
    assert normalize_lang(value) == lang


def test_the_first_locale_variable_set_decides_as_posix_says() -> None:
    assert lang_from_env({"LANG": "es_MX.UTF-8"}) == "es"
    assert lang_from_env({"LC_MESSAGES": "es_US", "LANG": "en_US"}) == "es"
    assert lang_from_env({"LC_ALL": "C", "LANG": "es_MX"}) == "en"  # LC_ALL=C means English
    assert lang_from_env({"LC_ALL": "", "LANG": "es"}) == "es"  # an empty variable is not set
    assert lang_from_env({"LANG": "fr_FR"}) == "en"
    assert lang_from_env({}) == "en"


@pytest.mark.parametrize(("header", "lang"), [
    ("es-MX,es;q=0.9,en;q=0.8", "es"), ("en-US,en;q=0.9,es;q=0.8", "en"), ("fr-FR,es;q=0.5", "es"),
    ("fr, de", "en"), ("", "en"), (None, "en"), ("es;q=0, en;q=0.1", "en"), ("es;q=abc", "en"),
    ("en;q=0.5, es;q=0.7", "es"), ("*", "en"),
])
def test_accept_language_picks_the_most_wanted_language_we_offer(header: str | None, lang: str) -> None:
    assert lang_from_accept_language(header) == lang


@given(st.text(max_size=300))
def test_any_accept_language_header_gives_an_offered_language(header: str) -> None:
    assert lang_from_accept_language(header) in LANGS


def test_the_language_holds_inside_a_block_only() -> None:
    assert current_lang() == DEFAULT_LANG
    with use_lang("es"):
        assert current_lang() == "es"
        with use_lang("en"):
            assert current_lang() == "en"
        assert current_lang() == "es"
    assert current_lang() == DEFAULT_LANG


def test_an_unknown_language_falls_back_to_english() -> None:
    with use_lang("xx"):
        assert current_lang() == "en"


def test_english_texts_are_returned_as_written() -> None:
    assert _("No such text anywhere") == "No such text anywhere"
    assert ngettext("{n} month", "{n} months", 1) == "{n} month"
    assert ngettext("{n} month", "{n} months", 2) == "{n} months"


def test_a_text_with_no_spanish_translation_stays_english() -> None:
    with use_lang("es"):
        assert _("A text nobody marked for translation") == "A text nobody marked for translation"


def test_numbers_and_money_are_written_as_cldr_writes_them_for_us_readers() -> None:
    from babel.numbers import format_currency, format_decimal

    for lang, locale in (("en", "en_US"), ("es", "es_US")):
        with use_lang(lang):
            assert number(811000) == format_decimal(811000, locale=locale)
            assert money(1200.5, cents=True) == format_currency(1200.5, "USD", locale=locale)
            assert money(44460) == "$44,460"


def test_catalogs_are_complete_current_and_their_placeholders_match() -> None:
    assert catalogs.check() == []


def test_compiling_twice_gives_the_same_bytes() -> None:
    for lang in LANGS:
        if lang != DEFAULT_LANG:
            assert catalogs.compiled_bytes(lang) == catalogs.compiled_bytes(lang)


@pytest.mark.parametrize(("text", "names"), [
    ("Cost: {cost}", ["cost"]), ("{b} and {a}", ["a", "b"]), ("{{literal}}", []), ("none", []),
])
def test_placeholders_are_read_like_pythons_format(text: str, names: list[str]) -> None:
    assert catalogs.placeholders(text) == names


def test_a_name_inside_a_spanish_sentence_starts_lower_case_unless_it_is_an_acronym() -> None:
    from recommender.i18n import in_sentence

    with use_lang("es"):
        assert in_sentence("Asistente administrativo médico") == "asistente administrativo médico"
        assert in_sentence("CMAA") == "CMAA" and in_sentence("EHR specialist") == "EHR specialist"
    assert in_sentence("Medical administrative assistant") == "Medical administrative assistant"
