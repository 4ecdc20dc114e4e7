"""The rule book's texts in other languages: `locales/<lang>/` beside the English files.

Each rule file may have a twin under `locales/<lang>/` at the same relative path, for example
`locales/es/catalog/certifications.yaml` for `catalog/certifications.yaml`.  The twin maps a
*key* to a translation:

    items.CMA.description:
      es: Certificación de asistente médico que otorga la AAMA ...
      en_sha: 3f2a9c1e

The key names the English text by ids, never by its words: the top-level section, then each
object's `id` (or its position in a list where objects have no id), then the field.  `en_sha`
is the fingerprint of the English text the translation was made from (the first 8 hex digits
of SHA-256 over the text with its runs of white space made single spaces).  When the English is
reworded, its fingerprint changes, the translation is reported as out of date, and the English
is shown until an advisor updates the translation and its fingerprint.

Which texts a person reads is decided here, once, by field name: `TEXT_FIELDS`.  Conditions,
ids, addresses and page titles (the names of the pages cited) are never translated.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recommender.book.yamlio import Document, Key, YamlProblem, load_file
from recommender.errors import Problem
from recommender.i18n import DEFAULT_LANG

LOCALES_DIR = "locales"
#: Fields whose text a person reads, wherever they appear in a rule file.
TEXT_FIELDS: frozenset[str] = frozenset({
    "prompt", "label", "help", "unit", "because", "text", "description", "name", "short_name",
    "requirement", "note", "action", "value", "group", "provider", "meaning", "removal",
})
#: Mappings whose every value a person reads (the keys are ids).
TEXT_MAPPINGS: frozenset[str] = frozenset({"because_for"})
#: Sub-trees with nothing to translate: conditions, advisors' notes, and lists of ids.
SKIPPED: frozenset[str] = frozenset({
    "when", "unless", "relevant_if", "ask_if", "allow", "points", "exclude", "process_phrases",
})
#: Texts only advisors read: a rule's description says what the rule is for.
ADVISOR_ONLY: frozenset[tuple[str, str]] = frozenset({("rules", "description")})
# Limits the English fields have (see the models), which a translation must keep too.
_LINK_LABEL_MAX = 120
_ROUTE_LABEL_MAX = 60
_FIT_LABEL_MAX = 40
_FIT_MEANING_MAX = 200
_TEXT_MAX = 4000
_SHA = re.compile(r"^[0-9a-f]{8}$")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def fingerprint(text: str) -> str:
    """The first 8 hex digits of SHA-256 over the text with white space runs made single spaces."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]


def placeholder_names(text: str) -> list[str]:
    return sorted(m.group(1).strip() for m in _PLACEHOLDER.finditer(text) if m.group(1) is not None)


@dataclass(frozen=True)
class Text:
    """One English text a person reads: its key, where it sits in the file's data, and the words."""

    key: str
    path: Key
    english: str


def texts(data: Any) -> Iterator[Text]:
    """Every text a person reads in one rule file's data, in file order."""
    if isinstance(data, dict):
        for section, value in data.items():
            if isinstance(section, str) and section not in SKIPPED:
                yield from _walk(value, (section,), section, section)


def _walk(node: Any, path: Key, key: str, section: str) -> Iterator[Text]:
    if isinstance(node, dict):
        for name, value in node.items():
            if not isinstance(name, str) or name in SKIPPED or name == "id":
                continue
            sub_path, sub_key = (*path, name), f"{key}.{name}"
            if (section, name) in ADVISOR_ONLY and len(path) == 2:
                continue
            if name in TEXT_MAPPINGS and isinstance(value, dict):
                for item_id, reason in value.items():
                    if isinstance(item_id, str) and isinstance(reason, str):
                        yield Text(f"{sub_key}.{item_id}", (*sub_path, item_id), reason)
            elif name in TEXT_FIELDS and isinstance(value, str):
                yield Text(sub_key, sub_path, value)
            elif name in TEXT_FIELDS and isinstance(value, list):
                for i, element in enumerate(value):
                    if isinstance(element, str):
                        yield Text(f"{sub_key}.{i}", (*sub_path, i), element)
            elif isinstance(value, (dict, list)) and not (section == "sources" and name == "sources"):
                yield from _walk(value, sub_path, sub_key, section)
    elif isinstance(node, list):
        for i, element in enumerate(node):
            ident = element.get("id") if isinstance(element, dict) else None
            segment = ident if isinstance(ident, str) and ident and "." not in ident else str(i)
            yield from _walk(element, (*path, i), f"{key}.{segment}", section)


@dataclass(frozen=True)
class Entry:
    """One translation as an advisor wrote it."""

    key: str
    text: str
    en_sha: str
    line: int


@dataclass
class LocaleFile:
    """The translations of one rule file into one language."""

    path: str  # as shown in messages
    entries: dict[str, Entry]
    problems: list[Problem]
    keys: frozenset[str] = frozenset()  # every key written, usable or not


def locale_path(root: Path, lang: str, relative: str) -> Path:
    return root / LOCALES_DIR / lang / relative


def read_locale(path: Path, shown: str, lang: str) -> LocaleFile:
    """Read one translation file; every malformed entry is a problem with its line, none is fatal."""
    try:
        doc = load_file(path, shown, regular_only=True)
    except YamlProblem as exc:
        return LocaleFile(shown, {}, [exc.problem])
    out = LocaleFile(doc.path, {}, [])
    if doc.data is None:
        return out
    if not isinstance(doc.data, dict):
        out.problems.append(Problem(doc.path, doc.line(()), "expected a mapping of keys to translations"))
        return out
    out.keys = frozenset(k for k in doc.data if isinstance(k, str))
    for key, value in doc.data.items():
        line = doc.line((key,))
        if not isinstance(key, str):
            out.problems.append(Problem(doc.path, line, f"key {key!r}: expected text such as 'items.CMA.name'"))
            continue
        if not isinstance(value, dict):
            out.problems.append(Problem(doc.path, line, f"expected '{lang}:' and 'en_sha:' under the key", key=key))
            continue
        for extra in value:
            if extra not in (lang, "en_sha"):
                out.problems.append(Problem(doc.path, doc.line((key, extra)),
                                            f"unknown key '{extra}'; an entry takes '{lang}' and 'en_sha'", key=key))
        text, sha = value.get(lang), value.get("en_sha")
        if text is not None and not isinstance(text, str):
            out.problems.append(Problem(doc.path, doc.line((key, lang)), "expected the translation as text", key=key))
            continue
        if not isinstance(sha, str) or not _SHA.match(sha):
            out.problems.append(Problem(doc.path, doc.line((key, "en_sha")) if "en_sha" in value else line,
                                        "expected 'en_sha:' with the 8-digit fingerprint of the English text "
                                        "(recommender rules translate prints it)", key=key))
            continue
        out.entries[key] = Entry(key, text or "", sha, doc.line((key, lang)) if lang in value else line)
    return out


@dataclass(frozen=True)
class Finding:
    """What comparing one rule file with its translation found."""

    problems: tuple[Problem, ...]  # errors: the translation cannot be used as written
    missing: tuple[Text, ...]  # no translation (or an empty one)
    stale: tuple[tuple[Text, Entry], ...]  # translated from English that has since changed
    orphans: tuple[Entry, ...]  # keys that name no text of the file


def compare(doc: Document, locale: LocaleFile, lang: str) -> tuple[Finding, dict[Key, str]]:
    """Match a rule file's texts with their translations; return the findings and what to overlay."""
    problems = list(locale.problems)
    missing: list[Text] = []
    stale: list[tuple[Text, Entry]] = []
    overlay: dict[Key, str] = {}
    seen: set[str] = set()
    for text in texts(doc.data):
        seen.add(text.key)
        entry = locale.entries.get(text.key)
        if entry is None or not entry.text.strip():
            missing.append(text)
            continue
        if entry.en_sha != fingerprint(text.english):
            stale.append((text, entry))
            continue
        wrong = _unusable(text, entry)
        if wrong:
            problems.append(Problem(locale.path, entry.line, wrong, key=text.key))
            continue
        overlay[text.path] = entry.text
    orphans = tuple(e for k, e in locale.entries.items() if k not in seen)
    return Finding(tuple(problems), tuple(missing), tuple(stale), orphans), overlay


def _unusable(text: Text, entry: Entry) -> str:
    """Why a translation cannot stand in for its English, or ''."""
    want, got = placeholder_names(text.english), placeholder_names(entry.text)
    if want != got:
        shown = ", ".join("{" + n + "}" for n in want) or "none"
        return (f"the translation's placeholders ({', '.join('{' + n + '}' for n in got) or 'none'}) must be the "
                f"English text's ({shown}): only the question ids the English quotes")
    if len(entry.text) > _limit(text.path):
        return f"the translation is {len(entry.text)} characters; this field takes at most {_limit(text.path)}"
    return ""


def _limit(path: Key) -> int:
    if path[0] == "fit_labels":
        return _FIT_LABEL_MAX if path[-1] == "label" else _FIT_MEANING_MAX
    if "links" in path and path[-1] == "label":
        return _LINK_LABEL_MAX
    if "eligibility" in path and path[-1] == "label":
        return _ROUTE_LABEL_MAX
    return _TEXT_MAX


def apply(data: Any, overlay: Mapping[Key, str]) -> Any:
    """A copy of the file's data with each translation in place of its English.

    Only the lists and mappings on the way to a translated text are copied; the English data is
    never changed (parsed files may be shared).
    """
    if not overlay:
        return data
    copies: dict[int, Any] = {}

    def own(node: Any) -> Any:
        if id(node) not in copies:
            copies[id(node)] = dict(node) if isinstance(node, dict) else list(node)
        return copies[id(node)]

    top = own(data)
    for path, text in overlay.items():
        node = top
        for part in path[:-1]:
            child = own(node[part])
            node[part] = child
            node = child
        node[path[-1]] = text
    return top


def translate_document(doc: Document, root: Path, relative: str, lang: str,
                       shown: str) -> tuple[Document, list[Problem]]:
    """A rule file with its texts in `lang`, and the translation file's errors.

    Untranslated and out-of-date texts stay in English: a stale translation may state a fact the
    English no longer does, and a person is better served by the current English.
    """
    if lang == DEFAULT_LANG:
        return doc, []
    path = locale_path(root, lang, relative)
    if not path.exists():
        return doc, []
    finding, overlay = compare(doc, read_locale(path, shown, lang), lang)
    return Document(doc.path, apply(doc.data, overlay), doc.lines), list(finding.problems)
