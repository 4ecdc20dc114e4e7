"""Keep the program's translations whole: extract, check and compile the PO catalogs.

    python -m recommender.i18n.catalogs check            # what is missing, fuzzy, stale or unsafe
    python -m recommender.i18n.catalogs update es FILE   # add new texts to po/es/FILE.po, untranslated
    python -m recommender.i18n.catalogs compile          # po/<lang>/*.po → locale/<lang>/LC_MESSAGES/recommender.mo

A maintainer's tool, not a runtime one: it needs Babel (the `i18n` extra, part of `test`).
Each language's texts may be split over several PO files (one per area of the program); they
are merged on compiling, and one text translated two ways is an error.  The compiled catalog is
committed, and a test compiles again and compares the bytes.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from recommender.i18n.core import DEFAULT_LANG, DOMAIN, LANGS, LOCALE_DIR

PACKAGE = Path(__file__).resolve().parent.parent
PO_DIR = Path(__file__).resolve().parent / "po"
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def placeholders(text: str) -> list[str]:
    """The names in braces in a program text ({{ and }} are literal braces)."""
    return sorted(m.group(1) for m in _PLACEHOLDER.finditer(text) if m.group(1) is not None)


def extract() -> dict[Any, list[str]]:
    """Every marked text in the package: msgid (a str, or a (singular, plural) pair) → where it is."""
    from babel.messages.extract import extract_from_dir

    found: dict[Any, list[str]] = {}
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(PACKAGE), METHODS, options_map=options, keywords=KEYWORDS, strip_comment_tags=True):
        if "/i18n/" in f"/{filename}" and filename.endswith("catalogs.py"):
            continue
        found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


def merged(lang: str) -> tuple[Any, list[str]]:
    """All of a language's PO files as one Babel catalog, and the conflicts found while merging."""
    from babel.messages.pofile import read_po

    catalog = _new_catalog(lang)
    problems: list[str] = []
    for path in sorted((PO_DIR / lang).glob("*.po")):
        with path.open("rb") as handle:
            part = read_po(handle, locale=lang)
        for message in part:
            if not message.id:
                continue
            known = catalog.get(message.id)
            if known is not None and known.string != message.string:
                problems.append(f"{path.name}: '{_first(message.id)}' is translated differently in another file")
                continue
            catalog[message.id] = message
            catalog[message.id].locations = [(path.name, 0)]
    return catalog, problems


def _new_catalog(lang: str) -> Any:
    """An empty catalog with a fixed header, so compiling twice gives the same bytes."""
    import datetime

    from babel.messages.catalog import Catalog

    fixed = datetime.datetime(2026, 11, 29, tzinfo=datetime.timezone.utc)
    return Catalog(locale=lang, domain=DOMAIN, project="medadmin-recommender", version="1", fuzzy=False,
                   creation_date=fixed, revision_date=fixed, language_team=f"{lang} <none>",
                   last_translator="medadmin-recommender maintainers")


def compiled_bytes(lang: str) -> bytes:
    from babel.messages.mofile import write_mo

    catalog, _ = merged(lang)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def check(langs: Iterable[str] = LANGS) -> list[str]:
    """Every problem with the catalogs, one line each; empty when all is well."""
    source = extract()
    problems: list[str] = []
    for lang in langs:
        if lang == DEFAULT_LANG:
            continue
        catalog, conflicts = merged(lang)
        problems += [f"po/{lang}/{p}" for p in conflicts]
        for msgid, where in sorted(source.items(), key=lambda kv: str(kv[0])):
            message = catalog.get(msgid)
            if message is None:
                problems.append(f"{where[0]}: [{lang}] no translation for '{_first(msgid)}'")
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                problems.append(f"{where[0]}: [{lang}] translation is fuzzy or empty for '{_first(msgid)}'")
                continue
            ids = msgid if isinstance(msgid, tuple) else (msgid,)
            wanted = placeholders(ids[-1])
            for s in strings:
                if placeholders(s) != wanted and placeholders(s) != placeholders(ids[0]):
                    problems.append(f"{where[0]}: [{lang}] the translation of '{_first(msgid)}' has placeholders "
                                    f"{placeholders(s)}; the English has {wanted}")
        for message in catalog:
            if message.id and message.id not in source:
                problems.append(f"po/{lang}: '{_first(message.id)}' is no longer in the program; remove it")
        if not mo_path(lang).is_file() or mo_path(lang).read_bytes() != compiled_bytes(lang):
            problems.append(f"{mo_path(lang).relative_to(PACKAGE.parent)} is out of date: run "
                            "python -m recommender.i18n.catalogs compile")
    return problems


def update(lang: str, name: str) -> int:
    """Add every marked text no PO file of `lang` has yet to po/<lang>/<name>.po, untranslated."""
    from babel.messages.pofile import read_po

    catalog, _ = merged(lang)
    path = PO_DIR / lang / f"{name}.po"
    if path.exists():
        with path.open("rb") as handle:
            target = read_po(handle, locale=lang)
    else:
        target = _new_catalog(lang)
    added = 0
    for msgid, where in extract().items():
        if catalog.get(msgid) is None:
            target.add(msgid, "" if not isinstance(msgid, tuple) else ("", ""),
                       locations=[(w.rsplit(":", 1)[0], int(w.rsplit(":", 1)[1])) for w in where[:3]])
            added += 1
    write(target, path)
    return added


def write(catalog: Any, path: Path) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False, include_lineno=False)
    path.write_bytes(out.getvalue())


def compile_all() -> None:
    for lang in LANGS:
        if lang != DEFAULT_LANG:
            mo_path(lang).parent.mkdir(parents=True, exist_ok=True)
            mo_path(lang).write_bytes(compiled_bytes(lang))


def _first(msgid: Any) -> str:
    text = msgid[0] if isinstance(msgid, tuple) else str(msgid)
    return text if len(text) <= 70 else text[:67] + "..."


def main(argv: Sequence[str]) -> int:
    if argv[:1] == ["check"]:
        problems = check()
        for line in problems:
            print(line)
        print(f"{len(problems)} problem(s)" if problems else "catalogs: complete and current")
        return 1 if problems else 0
    if argv[:1] == ["compile"]:
        compile_all()
        return 0
    if argv[:1] == ["update"] and len(argv) == 3 and argv[1] in LANGS:
        print(f"{update(argv[1], argv[2])} new text(s) added to po/{argv[1]}/{argv[2]}.po")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
