"""Provenance checks: publisher kinds, read and data dates, shared addresses, what facts claim,
figures too old to show, and texts that tell how the rule book was written.

The phrase list lives in the rule book (rules/wording.yaml) so that advisors extend it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from recommender.book.layout import shown_path
from recommender.book.loader import CATALOG_DIR, MARKET
from recommender.book.model import (
    PUBLISHER_KINDS,
    SECOND_HAND_KINDS,
    WordingFile,
    as_of_end,
    as_of_start,
)
from recommender.book.plain import Plain
from recommender.book.rulebook import RuleBook, Where
from recommender.book.runtime import Certification, Pay, Role
from recommender.book.validation import key_text, problems_from
from recommender.book.yamlio import Document, Key, YamlProblem, load_file
from recommender.errors import Problem
from recommender.suggest import did_you_mean

DEFAULT_MAX_AGE_DAYS = 365
#: Pay and outlook figures describing a period that ended more than this many years ago are reported.
MAX_FIGURE_AGE_YEARS = 3
#: Market topics whose figures go out of date with each new edition.
DATED_TOPICS = frozenset({"pay", "growth", "openings"})
#: The rule-book file that lists phrases a person must never read (advisors extend it).
WORDING = "wording.yaml"

#: How the analysis reports a finding: where, section, object id, key, subject, message, warning.
Add = Callable[[Where, str, str, Key, str, str, bool, str], None]


# ------------------------------------------------------------------ sources, from the files
def check_sources(root: Path, today: datetime.date, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> list[Problem]:
    """Check dates of sources straight from the files, for a book that does not load."""
    files = sorted((root / CATALOG_DIR).glob("*.y*ml")) if (root / CATALOG_DIR).is_dir() else []
    files += [root / MARKET] if (root / MARKET).is_file() else []
    out: list[Problem] = []
    urls: dict[str, tuple[str, str, int]] = {}
    for path in files:
        try:
            doc = load_file(path, shown_path(path))
        except YamlProblem:
            continue  # the loader reports it
        raw = doc.data.get("sources") if isinstance(doc.data, dict) else None
        for i, src in enumerate(raw if isinstance(raw, list) else []):
            if not isinstance(src, dict):
                continue  # the loader reports it
            sid = src.get("id") if isinstance(src.get("id"), str) else None
            subject = f"source '{sid}'" if sid else "source"
            checked = src.get("checked") if isinstance(src.get("checked"), datetime.date) else None
            as_of = _as_of_or_none(src.get("as_of"))
            kind = src.get("kind") if isinstance(src.get("kind"), str) else None
            url = src.get("url") if isinstance(src.get("url"), str) else None
            for key, message, warning, code in _source_findings(kind, checked, as_of, today, max_age_days,
                                                          missing_kind=False):
                out.append(Problem(doc.path, doc.line(("sources", i, key)), message, subject, key, warning,
                                   code=code))
            if url is not None and sid is not None:
                found = _same_url(url, sid, urls, doc.path, doc.line(("sources", i)))
                if found is not None:
                    out.append(Problem(doc.path, doc.line(("sources", i, "url")), found, subject, "url"))
    return out


def _as_of_or_none(value: Any) -> str | None:
    """A well-formed `as_of` as text, or None (a malformed one is the loader's to report)."""
    if isinstance(value, bool):
        return None
    text = str(value) if isinstance(value, int) else value
    return text if isinstance(text, str) and re.fullmatch(r"(19|20)\d\d(-(0[1-9]|1[0-2]))?", text) else None


def _source_findings(kind: str | None, checked: datetime.date | None, as_of: str | None, today: datetime.date,
                     max_age_days: int, missing_kind: bool = True) -> Iterator[tuple[str, str, bool, str]]:
    """(key, message, warning, code) for what is wrong with one source's kind and dates."""
    if kind is None:
        if missing_kind:
            yield ("kind", "say what kind of publisher this is: one of " + ", ".join(PUBLISHER_KINDS), True,
                   "source-kind-missing")
    elif kind not in PUBLISHER_KINDS:
        yield ("kind", f"'{kind}' is not a kind of publisher{did_you_mean(kind, PUBLISHER_KINDS)}; expected "
                       f"one of {', '.join(PUBLISHER_KINDS)}", False, "")
    if checked is not None:
        found = _date_problem(checked, today, max_age_days)
        if found is not None:
            yield ("checked", found[0], found[1], "source-old" if found[1] else "")
    if as_of is not None:
        start = as_of_start(as_of)
        if checked is not None and start > checked:
            yield ("as_of", f"{as_of} is after the date the page was read ({checked}): a page cannot give "
                            "figures for a period that had not begun; correct one of the two dates", False, "")
        elif checked is None and start > today:
            yield ("as_of", f"{as_of} is after today ({today}); write the period the figures describe", False, "")


def _url_key(url: str) -> str:
    """An address without scheme, 'www.', case or trailing slash: two spellings of one page match."""
    bare = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    return bare.rstrip("/")


def _same_url(url: str, sid: str, seen: dict[str, tuple[str, str, int]], path: str, line: int) -> str | None:
    """A message when another source already has this address; else remember it."""
    key = _url_key(url)
    first = seen.get(key)
    if first is None:
        seen[key] = (sid, path, line)
        return None
    return (f"has the same address as source '{first[0]}' ({first[1]}:{first[2]}); cite that source instead, "
            "so that each page is listed once")


def _date_problem(checked: datetime.date, today: datetime.date, max_age_days: int) -> tuple[str, bool] | None:
    """What is wrong with a source's check date, and whether it is only a warning."""
    age = (today - checked).days
    if age < 0:
        return f"{checked} is after today ({today}); write the date the source was actually read", False
    if age > max_age_days:
        return (f"{checked} is {age} days ago, over the limit of {max_age_days}; read the source again and update "
                "the date, or the facts that cite it may be out of date"), True
    return None



class Provenance:
    """The provenance checks of one loaded book; findings go through the analysis's `add`."""

    def __init__(self, book: RuleBook, today: datetime.date, max_age_days: int, add: Add,
                 doc: Callable[[str], Document | None], problems: list[Problem]) -> None:
        self.book = book
        self.today = today
        self.max_age_days = max_age_days
        self._add_finding = add
        self._doc = doc
        self.problems = problems

    def run(self) -> None:
        self._source_dates()
        self._claims()
        self._dated_figures()
        self._wording()

    def _add(self, where: Where, section: str, obj_id: str, key: Key, subject: str, message: str,
             warning: bool = False, code: str = "") -> None:
        self._add_finding(where, section, obj_id, key, subject, message, warning, code)

    def _source_dates(self) -> None:
        """Kinds and dates of every source, and addresses that two sources share."""
        urls: dict[str, tuple[str, str, int]] = {}
        for sid, src in self.book.sources.items():
            where = self.book.where[("source", sid)]
            for key, message, warning, code in _source_findings(src.kind, src.checked, src.as_of, self.today,
                                                                self.max_age_days):
                self._add(where, "sources", sid, (key,), f"source '{sid}'", message, warning, code=code)
            found = _same_url(src.url, sid, urls, where.path, where.line)
            if found is not None:
                self._add(where, "sources", sid, ("url",), f"source '{sid}'", found)

    # ------------------------------------------------------------ what facts claim
    def _claims(self) -> None:
        """Facts marked confirmed that no source read first-hand supports."""
        for item_id, item in self.book.items.items():
            issuer = item.issuer if isinstance(item, Certification) else None
            for key, claim in _claims_in(item, ()):
                self._claim(self.book.where[("item", item_id)], "items", item_id, f"{item.kind} '{item_id}'",
                            key, claim, issuer)
        for fact in self.book.market:
            for key, claim in _claims_in(fact, ()):
                self._claim(self.book.where[("market", fact.id)], "facts", fact.id, f"market fact '{fact.id}'",
                            key, claim, None)

    def _claim(self, where: Where, section: str, obj_id: str, subject: str, key: Key, claim: _Claim,
               issuer: str | None) -> None:
        if claim.confidence != "confirmed":
            return
        sources = [self.book.sources[s] for s in claim.sources if s in self.book.sources]
        if sources and all(s.kind in SECOND_HAND_KINDS for s in sources):
            named = f" although the catalog names its issuer '{issuer}'" if issuer else ""
            self._add(where, section, obj_id, key + ("confidence",), subject,
                      f"is marked confirmed but rests only on secondary or third-party sources{named}; cite "
                      "the issuer's, accreditor's or government's own page, or mark it uncertain and word "
                      "its text with a hedge", warning=True, code="fact-second-hand")
        elif sources and all(s.checked is None for s in sources):
            self._add(where, section, obj_id, key + ("confidence",), subject,
                      "is marked confirmed but none of its sources has a `checked` date; read one of them and "
                      "date it, or mark the fact uncertain", warning=True, code="fact-unread")

    def _dated_figures(self) -> None:
        """Pay and outlook figures whose period ended more than MAX_FIGURE_AGE_YEARS ago, or is not given."""
        for item_id, item in self.book.items.items():
            if not isinstance(item, Role):
                continue
            where = self.book.where[("item", item_id)]
            subject = f"role '{item_id}'"
            for name in ("pay", "pay_usd", "outlook"):
                value = getattr(item, name)
                if value is not None:
                    as_of = value.as_of if isinstance(value, Pay) else self._as_of(value.sources)
                    self._dated(where, "items", item_id, (name,), subject, as_of)
        for fact in self.book.market:
            if fact.topic in DATED_TOPICS:
                self._dated(self.book.where[("market", fact.id)], "facts", fact.id, (), f"market fact '{fact.id}'",
                            self._as_of(fact.sources))

    def _as_of(self, sources: Sequence[str]) -> str | None:
        """The newest period the sources' figures describe."""
        periods = [src.as_of for s in sources if (src := self.book.sources.get(s)) is not None and src.as_of]
        return max(periods, key=as_of_end) if periods else None

    def _dated(self, where: Where, section: str, obj_id: str, key: Key, subject: str, as_of: str | None) -> None:
        if as_of is None:
            self._add(where, section, obj_id, key, subject,
                      "no source says what period this figure describes; give its source an `as_of` "
                      "(the year or month of the data)", warning=True, code="figure-undated")
            return
        end = as_of_end(as_of)
        try:
            limit = end.replace(year=end.year + MAX_FIGURE_AGE_YEARS)
        except ValueError:  # 29 February
            limit = end.replace(year=end.year + MAX_FIGURE_AGE_YEARS, day=28)
        if limit < self.today:
            self._add(where, section, obj_id, key, subject,
                      f"the figure describes {as_of}, more than {MAX_FIGURE_AGE_YEARS} years ago; cite the "
                      "newest edition and keep this one as a dated alternative", warning=True, code="figure-old")

    # ------------------------------------------------------------ how the book was written
    def _wording(self) -> None:
        """Texts a person reads that speak of how the rule book was made, by the phrases in wording.yaml."""
        phrases = self._phrases()
        if not phrases:
            return
        pattern = re.compile("|".join(rf"(?<!\w){re.escape(p)}(?!\w)" for p in phrases), re.IGNORECASE)
        for path in sorted({w.path for w in self.book.where.values()}):
            doc = self._doc(path)
            if doc is None or not isinstance(doc.data, dict):
                continue
            for section, value in doc.data.items():
                for i, element in enumerate(value if isinstance(value, list) else []):
                    subject = _subject(section, element, path)
                    for key, text in _texts(element, ()):
                        found = pattern.search(text)
                        if found is not None:
                            self.problems.append(Problem(
                                path, doc.line((section, i) + key),
                                f"'{found.group(0)}' tells how the rule book was written, and a person reads this "
                                "text; say what is known, or what the person should do to find out",
                                subject, key_text(key), True, code="process-wording"))

    def _phrases(self) -> tuple[str, ...]:
        path = self.book.root / WORDING
        if not path.is_file():
            return ()
        shown = shown_path(path)
        try:
            doc = load_file(path, shown)
        except YamlProblem as exc:
            self.problems.append(exc.problem)
            return ()
        try:
            return WordingFile.model_validate(doc.data).process_phrases
        except ValidationError as exc:
            self.problems.extend(problems_from(exc, doc, (), "", {"process_phrases"}))
            return ()


@dataclass(frozen=True)
class _Claim:
    """Anything that cites sources with a confidence: a fact, a range, a route, a pay figure."""

    sources: tuple[str, ...]
    confidence: str


def _claims_in(obj: Any, key: Key) -> Iterator[tuple[Key, _Claim]]:
    """Every cited claim inside a model, with the key that leads to it."""
    if isinstance(obj, Plain):
        if "confidence" in obj.FIELDS and "sources" in obj.FIELDS:
            yield key, _Claim(tuple(getattr(obj, "sources")), str(getattr(obj, "confidence")))
        for name in obj.FIELDS:
            if name != "sources":
                yield from _claims_in(getattr(obj, name), key + (name,))
    elif isinstance(obj, tuple):
        for i, value in enumerate(obj):
            yield from _claims_in(value, key + (i,))


#: Keys whose values are ids, addresses, codes or conditions: never text a person reads.
_NOT_TEXT = frozenset({
    "id", "url", "quoted_from", "kind", "issuer", "sources", "item", "type", "topic", "roles", "settings",
    "credentials", "next_roles", "leads_to", "offers", "prepares_for", "level", "confidence", "checked", "as_of",
    "statistic", "period", "options_from", "when", "ask_if", "unless", "relevant_if", "points", "exclude",
    "expect", "default",
})


def _texts(value: Any, key: Key) -> Iterator[tuple[Key, str]]:
    """Every string under a raw YAML element that a person may read, with its key."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str) and k not in _NOT_TEXT:
                yield from _texts(v, key + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _texts(v, key + (i,))


_SECTION_LABELS = {"questions": "question", "rules": "rule", "sources": "source", "items": "item"}


def _subject(section: str, element: Any, path: str) -> str:
    """How a problem names the object it is in: "certification 'CMAA'", "market fact 'x'"."""
    label = _SECTION_LABELS.get(section, "fact")
    if section == "facts" and Path(path).name == MARKET:
        label = "market fact"
    if isinstance(element, dict):
        if section == "items" and isinstance(element.get("kind"), str):
            label = element["kind"]
        if isinstance(element.get("id"), str):
            return f"{label} '{element['id']}'"
    return label
