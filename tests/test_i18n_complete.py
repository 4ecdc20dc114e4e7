"""Every word a Spanish reader sees came from a translation: none is left in English by accident.

Not by guessing which words look English: every translated text, the program's (gettext) and
the rule book's (rules/locales/es), is wrapped in ⟦ ⟧ while the report is rendered.  Whatever is
left once the wrapped parts are removed must be numbers, punctuation, addresses, acronyms, the
person's name, and the titles and publishers of the pages cited (which name English pages).
"""

from __future__ import annotations

import gettext
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from recommender.book import locales
from recommender.book.answers import load_answers
from recommender.book.loader import load_rulebook
from recommender.book.rulebook import RuleBook
from recommender.engine.recommend import recommend
from recommender.i18n import core, use_lang
from recommender.render import render
from tests.conftest import PROFILES, ROOT

OPEN, CLOSE = "⟦", "⟧"
_INNER = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
_URL = re.compile(r"https?://\S+")
_WORD = re.compile(r"[^\W\d_]{3,}")


class Marked(gettext.GNUTranslations):
    """The Spanish catalog, with each translation it has wrapped in markers."""

    def gettext(self, message: str) -> str:
        found = super().gettext(message)
        return f"{OPEN}{found}{CLOSE}" if message in self._catalog else found  # type: ignore[attr-defined]

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = super().ngettext(singular, plural, n)
        return f"{OPEN}{found}{CLOSE}" if (singular, 0) in self._catalog else found  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def marked_book() -> Iterator[RuleBook]:
    with pytest.MonkeyPatch.context() as mp:
        real_apply = locales.apply
        mp.setattr(locales, "apply", lambda data, overlay: real_apply(
            data, {path: f"{OPEN}{text}{CLOSE}" for path, text in overlay.items()}))
        yield load_rulebook(ROOT / "rules", lang="es")


@pytest.fixture
def marked_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    with open(core.LOCALE_DIR / "es" / "LC_MESSAGES" / f"{core.DOMAIN}.mo", "rb") as handle:
        catalog = Marked(handle)
    monkeypatch.setattr(core, "_catalog", lambda lang: catalog if lang == "es" else gettext.NullTranslations())


#: Mermaid's own words, in the Markdown report's pathway diagrams.
MERMAID = {"mermaid", "flowchart", "start", "goal", "later"}


def allowed_words(book: RuleBook, name: str | None) -> set[str]:
    """Words that may stand untranslated: page titles and publishers, ids, the person's name.

    Ids appear where the details and JSON name an item, a rule or an answer for a script to use.
    """
    words = set(_WORD.findall(name or "")) | MERMAID
    for source in book.sources.values():
        words |= set(_WORD.findall(f"{source.title} {source.publisher or ''}"))
    ids = [*book.items, *(r.id for r in book.rules), *book.facts, *book.question_info,
           *(o for info in book.question_info.values() for o in info.options),
           *(r.route.id for routes in book.routes.values() for r in routes)]
    for ident in ids:
        words |= set(_WORD.findall(ident.replace("_", " ").replace("-", " ")))
    return words


def leftovers(text: str, allowed: set[str]) -> list[str]:
    """Words outside every translated part that are neither acronyms nor allowed names."""
    flat = _URL.sub(" ", text)
    while True:
        stripped = _INNER.sub(" ", flat)
        if stripped == flat:
            break
        flat = stripped
    # A translated text cut to fit ("…") or to its first sentence loses its closing marker: it
    # ends at the ellipsis, at the end of that sentence, or at the end of the value.
    flat = re.sub(f"{OPEN}[^{CLOSE}]*?(…|\\.(?=\\s)|\\.$|\\Z)", " ", flat, flags=re.S)
    flat = re.sub(r"ceterms:[A-Za-z]+", " ", flat)  # CTDL's names for kinds of step, in JSON
    return sorted({w for w in _WORD.findall(flat) if not w.isupper() and w not in allowed})


@pytest.mark.parametrize("profile", PROFILES, ids=[p.stem for p in PROFILES])
@pytest.mark.parametrize(("fmt", "details"), [("text", False), ("text", True), ("markdown", False),
                                              ("markdown", True)])
def test_every_word_of_a_spanish_report_came_from_a_translation(
        marked_book: RuleBook, marked_catalog: None, profile: Path, fmt: str, details: bool) -> None:
    with use_lang("es"):
        answers = load_answers(profile, marked_book)
        result = recommend(marked_book, answers.profile)
        out = render(result, marked_book, fmt, details, 88)
    assert leftovers(out, allowed_words(marked_book, result.name)) == []


#: JSON values that are ids, codes or addresses, never words for a person.
_CODES = {"id", "kind", "status", "url", "href", "confidence", "topic", "purpose", "type", "checked", "as_of",
          "title", "publisher", "rules", "fired_rules", "facts", "sources", "answers", "answers_ignored", "item",
          "items", "lang", "period", "statistic", "level", "changes", "checked_answers", "route", "rule",
          "quoted_from", "first_step", "short_name", "reason", "duration_basis"}


def json_words(data: Any, key: str = "") -> Iterator[str]:
    if isinstance(data, dict):
        for k, v in data.items():
            if k not in _CODES:
                yield from json_words(v, k)
    elif isinstance(data, list):
        for v in data:
            yield from json_words(v, key)
    elif isinstance(data, str):
        yield data


@pytest.mark.parametrize("profile", PROFILES, ids=[p.stem for p in PROFILES])
def test_every_text_of_a_spanish_json_report_came_from_a_translation(
        marked_book: RuleBook, marked_catalog: None, profile: Path) -> None:
    with use_lang("es"):
        answers = load_answers(profile, marked_book)
        result = recommend(marked_book, answers.profile)
        data = json.loads(render(result, marked_book, "json", False, 88))
    allowed = allowed_words(marked_book, result.name)
    assert data["lang"] == "es"
    assert {text: found for text in json_words(data) if (found := leftovers(text, allowed))} == {}
