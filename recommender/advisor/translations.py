"""Translations of the rule book: what is missing, out of date or misplaced, and skeletons to fill.

A book offers a language by having a `locales/<lang>/` folder; only the languages it offers are
checked.  Every finding names a file and a line: a missing translation points at the English text,
an out-of-date or misplaced one at the translation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from recommender.book.layout import (
    CATALOG_DIR,
    FACTS,
    MARKET,
    QUESTIONNAIRE,
    REPORT,
    RULES_DIR,
    shown_path,
)
from recommender.book.locales import (
    LOCALES_DIR,
    Entry,
    Finding,
    LocaleFile,
    Text,
    compare,
    fingerprint,
    locale_path,
    read_locale,
    texts,
)
from recommender.book.yamlio import Document, YamlProblem, load_file
from recommender.errors import Problem
from recommender.i18n import DEFAULT_LANG, LANGS
from recommender.suggest import did_you_mean


def offered(root: Path) -> list[str]:
    """The languages other than English that the book has a locales folder for."""
    return [lang for lang in LANGS if lang != DEFAULT_LANG and (root / LOCALES_DIR / lang).is_dir()]


def rule_files(root: Path) -> list[str]:
    """Every rule file with texts a person reads, relative to the book's folder."""
    out = [name for name in (QUESTIONNAIRE, FACTS, MARKET, REPORT) if (root / name).is_file()]
    for folder in (CATALOG_DIR, RULES_DIR):
        if (root / folder).is_dir():
            out += sorted(f"{folder}/{p.name}" for p in (root / folder).iterdir()
                          if p.suffix in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file())
    return out


@dataclass(frozen=True)
class Compared:
    relative: str
    doc: Document
    locale: LocaleFile
    finding: Finding


def compared(root: Path, lang: str) -> Iterator[Compared]:
    """Each readable rule file with its translation file (empty when there is none)."""
    for relative in rule_files(root):
        try:
            doc = load_file(root / relative, shown_path(root / relative), regular_only=True)
        except YamlProblem:
            continue  # loading reports it
        target = locale_path(root, lang, relative)
        locale_shown = shown_path(target)
        locale = read_locale(target, locale_shown, lang) if target.exists() else LocaleFile(locale_shown, {}, [])
        finding, _ = compare(doc, locale, lang)
        yield Compared(relative, doc, locale, finding)


def translation_problems(root: Path) -> list[Problem]:
    """Errors in translation files, and warnings for every text untranslated, stale or misplaced."""
    out: list[Problem] = []
    for lang in offered(root):
        known = set(rule_files(root))
        for c in compared(root, lang):
            out += c.finding.problems
            for text in c.finding.missing:
                out.append(Problem(c.doc.path, c.doc.line(text.path), f"no {lang} translation "
                                   f"(add it to {c.locale.path})", key=text.key, warning=True, code="untranslated"))
            for text, entry in c.finding.stale:
                out.append(Problem(c.locale.path, entry.line,
                                   f"the English has changed since this was translated; it now reads "
                                   f"'{_short(text.english)}'; update the translation and set en_sha: "
                                   f"{fingerprint(text.english)}", key=text.key, warning=True,
                                   code="translation-stale"))
            keys = [t.key for t in texts(c.doc.data)]
            for entry in c.finding.orphans:
                out.append(_orphan(c.locale.path, entry, keys))
        folder = root / LOCALES_DIR / lang
        for path in sorted(folder.rglob("*.y*ml")):
            relative = path.relative_to(folder).as_posix()
            if relative not in known:
                out.append(Problem(shown_path(path), 0,
                                   f"translates '{relative}', which the rule book does not have"
                                   f"{did_you_mean(relative, sorted(known))}", warning=True,
                                   code="translation-orphan"))
    return out


def _orphan(path: str, entry: Entry, keys: list[str]) -> Problem:
    return Problem(path, entry.line, f"no text has this key{did_you_mean(entry.key, keys)}; "
                   "keys name a text by ids, such as items.CMA.description", key=entry.key, warning=True,
                   code="translation-orphan")


def _short(text: str, width: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def skeleton(root: Path, lang: str, absent_only: bool = False) -> dict[str, str]:
    """For each translation file that lacks something: YAML entries to add, English as comments.

    Missing and out-of-date texts by default (to read); with `absent_only`, only texts whose key the
    file does not have at all (to append: an entry already there is edited in place, never doubled).
    """
    out: dict[str, str] = {}
    for c in compared(root, lang):
        blocks = []
        for text in c.finding.missing:
            if not (absent_only and text.key in c.locale.keys):
                blocks.append(_block(text, "", lang))
        for text, entry in () if absent_only else c.finding.stale:
            blocks.append(_block(text, entry.text, lang))
        if blocks:
            out[c.locale.path] = "\n".join(blocks)
    return out


def _block(text: Text, current: str, lang: str) -> str:
    import json

    english = "\n".join(f"#   {line}" for line in _wrapped(" ".join(text.english.split())))
    # JSON strings are valid YAML double-quoted scalars, and keep every character safe.
    return (f"# English:\n{english}\n{text.key}:\n  en_sha: \"{fingerprint(text.english)}\"\n"
            f"  {lang}: {json.dumps(current, ensure_ascii=False)}\n")


def _wrapped(text: str, width: int = 96) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]
