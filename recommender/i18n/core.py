"""The active language, the gettext catalogs, and numbers and money in that language.

The language lives in a context variable, so a web server answering two people at once gives
each their own; the command line sets it once.  Catalogs are compiled ``.mo`` files read with the
standard library's ``gettext``; a missing catalog means English, never an error.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

#: The languages a person can read the product in; English is the rule book's own language.
LANGS: tuple[str, ...] = ("en", "es")
DEFAULT_LANG = "en"
#: Each language's name in itself, for the language switch.
LANG_NAMES: Mapping[str, str] = {"en": "English", "es": "Español"}
DOMAIN = "recommender"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_ACTIVE: ContextVar[str] = ContextVar("recommender_lang", default=DEFAULT_LANG)


def normalize_lang(value: str | None) -> str | None:
    """'es', 'es_MX.UTF-8', 'es-419' or 'ES' → 'es'; None for anything not offered ('C', 'fr_FR', '')."""
    if not value:
        return None
    code = value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGS else None


def lang_from_env(environ: Mapping[str, str]) -> str:
    """The language the locale settings ask for: LC_ALL, then LC_MESSAGES, then LANG; else English.

    The first variable that is set decides, as in POSIX: LC_ALL=C means English even when LANG is
    Spanish.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return normalize_lang(value) or DEFAULT_LANG
    return DEFAULT_LANG


def lang_from_accept_language(header: str | None) -> str:
    """The best offered language in an Accept-Language header (RFC 9110 weights); else English."""
    best, best_q = DEFAULT_LANG, 0.0
    for part in (header or "")[:1000].split(",")[:30]:
        tag, _, params = part.strip().partition(";")
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:].strip()[:5])
            except ValueError:
                q = 0.0
        lang = normalize_lang(tag)
        # Earlier entries win ties, as the header lists them in the person's order of preference.
        if lang is not None and 0.0 < q <= 1.0 and q > best_q:
            best, best_q = lang, q
    return best


def current_lang() -> str:
    return _ACTIVE.get()


def set_lang(lang: str) -> None:
    """Make `lang` the language for the rest of this context (the command line calls it once)."""
    _ACTIVE.set(lang if lang in LANGS else DEFAULT_LANG)


@contextlib.contextmanager
def use_lang(lang: str) -> Iterator[None]:
    """Speak `lang` inside the block (a web request, a test)."""
    token = _ACTIVE.set(lang if lang in LANGS else DEFAULT_LANG)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


@lru_cache(maxsize=None)
def _catalog(lang: str) -> _gettext.NullTranslations:
    if lang == DEFAULT_LANG:
        return _gettext.NullTranslations()
    try:
        with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as handle:
            return _gettext.GNUTranslations(handle)
    except (OSError, _gettext.error):  # type: ignore[attr-defined]
        return _gettext.NullTranslations()


def gettext(message: str) -> str:
    """`message` in the active language (itself where no translation exists)."""
    return _catalog(_ACTIVE.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the active language."""
    return _catalog(_ACTIVE.get()).ngettext(singular, plural, n)


def in_sentence(name: str) -> str:
    """A catalog name as it reads inside a sentence in the active language.

    Spanish writes a job's name in lower case mid-sentence ("puestos de asistente médico"); names
    that open with an acronym (CMAA, EHR) and every English name are left as they are.
    """
    if _ACTIVE.get() == "es" and len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def N_(message: str) -> str:
    """Mark a text for translation where it is defined; translate it with _() where it is shown."""
    return message


# Digits and money as each language writes them for a US reader.  CLDR's es-US locale groups
# digits and marks decimals exactly as en-US does ("$1,200.50"), which tests/i18n checks against
# Babel's copy of CLDR, so one format serves both languages today.
_SEPARATORS: Mapping[str, tuple[str, str]] = {"en": (",", "."), "es": (",", ".")}


def number(value: float, decimals: int = 0) -> str:
    """A number with digit grouping in the active language: 811,000."""
    group, point = _SEPARATORS[_ACTIVE.get()]
    text = f"{value:,.{decimals}f}"
    if (group, point) == (",", "."):
        return text
    return "".join(group if ch == "," else point if ch == "." else ch for ch in text)


def money(value: float, cents: bool = False) -> str:
    """US dollars in the active language: $1,200 (or $18.25 with cents)."""
    return "$" + number(value, 2 if cents else 0)
