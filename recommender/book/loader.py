"""Load a rule book folder: safe YAML, per-object validation, every cross-reference checked.

Problems are collected, never raised one at a time: an advisor sees every broken
key of every file in one run.  Loading never executes anything from a file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, TypeAdapter, ValidationError

from recommender.book import catalog, model, reportfile, rulefile
from recommender.book import conditions as C
from recommender.book.layout import CATALOG_DIR as CATALOG_DIR
from recommender.book.layout import FACTS as FACTS
from recommender.book.layout import MARKET as MARKET
from recommender.book.layout import QUESTIONNAIRE as QUESTIONNAIRE
from recommender.book.layout import REPORT as REPORT
from recommender.book.layout import RULES_DIR as RULES_DIR
from recommender.book.layout import default_rules_dir as default_rules_dir
from recommender.book.layout import shown_path
from recommender.book.link import Linker, object_index
from recommender.book.locales import locale_path, translate_document
from recommender.book.recover import recover
from recommender.book.rulebook import (
    RuleBook,
    Where,
)
from recommender.book.runtime import (
    DerivedFact,
    Item,
    MarketFact,
    Question,
    ReportFile,
    Rule,
    Source,
)
from recommender.book.twins import to_plain
from recommender.book.validation import known_keys, problems_from
from recommender.book.yamlio import Document, Key, YamlProblem, load_file
from recommender.errors import Problem, RuleBookError
from recommender.i18n import DEFAULT_LANG
from recommender.suggest import did_you_mean

_ITEM = TypeAdapter(catalog.Item, config=ConfigDict(defer_build=True))  # built on first use: a snapshot needs none
_KEYS = known_keys(rulefile.Question, rulefile.DerivedFact, rulefile.Rule, catalog.Certification, catalog.Program,
                   catalog.Role, catalog.Organization, model.Source, catalog.MarketFact, reportfile.ReportFile,
                   reportfile.FitLabel)


def load_rulebook(root: Path | str | None = None, lang: str = DEFAULT_LANG) -> RuleBook:
    """Load and check a rule book folder, its texts in `lang`; raise RuleBookError listing every problem.

    Texts with no current translation stay in English (`rules check` reports them).
    """
    return _Loader(Path(root) if root is not None else default_rules_dir(), lang).load()


class _Loader(Linker):
    def __init__(self, root: Path, lang: str = DEFAULT_LANG) -> None:
        self.root = root
        self.lang = lang
        self.problems: list[Problem] = []
        self.where: dict[tuple[str, str], Where] = {}
        self.docs: dict[str, Document] = {}
        self.broken: set[str] = set()  # ids of objects that exist but failed validation
        self.unreadable = False  # a whole file could not be read: cross-checks would only echo that
        self.memo: dict[int, tuple[Any, Any]] = {}  # each validated model and its twin

    # ------------------------------------------------------------ reading
    def _shown(self, path: Path) -> str:
        return shown_path(path)

    def _read(self, path: Path) -> Document | None:
        try:
            doc = load_file(path, self._shown(path), regular_only=True)
        except YamlProblem as exc:
            self.problems.append(exc.problem)
            if path.name in (QUESTIONNAIRE, FACTS):
                self.unreadable = True
            return None
        if not isinstance(doc.data, dict):
            self.problems.append(Problem(doc.path, doc.line(()), "expected a mapping of keys at the top of the file"))
            return None
        if self.lang != DEFAULT_LANG:
            relative = path.relative_to(self.root).as_posix()
            doc, problems = translate_document(doc, self.root, relative, self.lang,
                                               self._shown(locale_path(self.root, self.lang, relative)))
            self.problems += problems
        self.docs[doc.path] = doc
        return doc

    def _section(self, doc: Document, allowed: Sequence[str], required: Sequence[str] = ()) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for key, value in doc.data.items():
            if key not in allowed:
                self.problems.append(Problem(doc.path, doc.line((key,)),
                                             f"unknown top-level key '{key}'{did_you_mean(key, allowed)}; "
                                             f"this file takes {', '.join(allowed)}"))
            elif not isinstance(value, list):
                self.problems.append(Problem(doc.path, doc.line((key,)), f"'{key}' must be a list"))
            else:
                out[key] = value
        for key in required:
            if key not in doc.data:
                self.problems.append(Problem(doc.path, doc.line(()), f"missing top-level key '{key}'"))
        return out

    def _validate(self, doc: Document, section: str, raw: list[Any], label: Callable[[Any], str],
                  adapter: Callable[[Any], object]) -> list[tuple[Any, Where]]:
        """The objects of a section that pass `adapter`, each as its run-time twin, with where it was written."""
        out: list[tuple[Any, Where]] = []
        for i, element in enumerate(raw):
            prefix: Key = (section, i)
            subject = label(element)
            try:
                obj = adapter(element)
            except ValidationError as exc:
                self.problems.extend(problems_from(exc, doc, prefix, subject, _KEYS))
                # Check the rest of the object all the same: one misspelled key must not hide the others.
                repaired = recover(element, exc, adapter, _KEYS, doc, prefix)
                if repaired is not None:
                    out.append((to_plain(repaired, self.memo), Where(doc.path, doc.line(prefix))))
                elif isinstance(element, dict) and isinstance(element.get("id"), str):
                    self.broken.add(element["id"])
                continue
            out.append((to_plain(obj, self.memo), Where(doc.path, doc.line(prefix))))
        return out

    def _register(self, kind: str, obj_id: str, where: Where, subject: str) -> bool:
        first = self.where.get((kind, obj_id))
        if first is not None:
            self.problems.append(Problem(where.path, where.line,
                                         f"duplicate id '{obj_id}'; already defined at {first}", subject, "id"))
            return False
        self.where[(kind, obj_id)] = where
        return True

    def _yaml_files(self, folder: Path) -> list[Path]:
        if not folder.is_dir():
            self.problems.append(Problem(self._shown(folder), 0, "missing folder"))
            return []
        return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))

    # ------------------------------------------------------------ the whole book
    def load(self) -> RuleBook:
        if not self.root.is_dir():
            raise RuleBookError(Problem(self._shown(self.root), 0, "rule book folder not found"))
        sources = self._load_sources_and_items()
        items, sources_map = sources
        questions = self._load_questions(items)
        facts_raw = self._load_facts()
        market = self._load_market(sources_map)
        rules_raw = self._load_rules()
        report = self._load_report()

        if self.unreadable:
            # Without the questionnaire or the facts, every condition would report the same loss.
            raise RuleBookError(self.problems)
        info = self._question_info(questions, items)
        vocab = C.Vocabulary(info, frozenset(f.id for f, _ in facts_raw) | self.broken,
                             frozenset(items) | self.broken)
        ask_if = self._compile_ask_if(questions, info)
        facts = self._compile_facts(facts_raw, vocab)
        routes, provisional = self._compile_items(items, vocab, info, sources_map)
        rules = self._compile_rules(rules_raw, vocab, info, items, facts, sources_map)
        self._check_eligibility_cycles(routes, facts, {k: v.kind for k, v in items.items()})
        if not self.problems:  # depth is only defined once there are no cycles
            self._check_depth(routes, facts, {k: v.kind for k, v in items.items()})
        for i, fact in enumerate(market):
            where = self.where[("market", fact.id)]
            idx = object_index(self.docs, where, "facts", fact.id)
            # Walk the whole fact: its `alternatives` cite sources too.
            self._check_cited(fact, where, ("facts", idx), f"market fact '{fact.id}'", sources_map)
            for k, role in enumerate(fact.roles):
                found = items.get(role)
                if found is None and role not in self.broken:
                    self._problem(where, ("facts", idx, "roles", k), f"market fact '{fact.id}'",
                                  f"unknown catalog item '{role}'{did_you_mean(role, items)}")
                elif found is not None and found.kind != "role":
                    self._problem(where, ("facts", idx, "roles", k), f"market fact '{fact.id}'",
                                  f"'{role}' is a {found.kind}; expected a role")
        if self.problems:
            raise RuleBookError(self.problems)
        return RuleBook(
            root=self.root, questions=tuple(questions), question_info=info, ask_if=ask_if, facts=facts,
            items=items, routes=routes, provisional=provisional, rules=tuple(rules), sources=sources_map,
            market=tuple(market), where=dict(self.where), report=report, lang=self.lang,
        )

    def _load_sources_and_items(self) -> tuple[dict[str, Item], dict[str, Source]]:
        items: dict[str, Item] = {}
        sources: dict[str, Source] = {}
        for path in self._yaml_files(self.root / CATALOG_DIR) + [self.root / MARKET]:
            if not path.exists() and path.name == MARKET:
                continue
            doc = self._read(path)
            if doc is None:
                continue
            is_market = path.name == MARKET
            section = self._section(doc, ("sources", "facts") if is_market else ("sources", "items"))
            for src, where in self._validate(doc, "sources", section.get("sources", []),
                                             _label("source"), model.Source.model_validate):
                if self._register("source", src.id, where, f"source '{src.id}'"):
                    sources[src.id] = src
            if is_market:
                continue
            for item, where in self._validate(doc, "items", section.get("items", []), _item_label,
                                              _ITEM.validate_python):
                if self._register("item", item.id, where, f"{item.kind} '{item.id}'"):
                    items[item.id] = item
        return items, sources

    def _load_report(self) -> ReportFile:
        """rules/report.yaml, optional: without it the report uses the default fit labels."""
        path = self.root / REPORT
        if not path.exists():
            return ReportFile()
        doc = self._read(path)
        if doc is None:
            return ReportFile()
        try:
            report: ReportFile = to_plain(reportfile.ReportFile.model_validate(doc.data), self.memo)
            return report
        except ValidationError as exc:
            self.problems.extend(problems_from(exc, doc, (), "report settings", _KEYS))
            return ReportFile()

    def _load_market(self, sources: Mapping[str, Source]) -> list[MarketFact]:
        path = self.root / MARKET
        doc = self.docs.get(self._shown(path))
        if doc is None:
            return []
        raw = doc.data.get("facts", [])
        out = []
        for fact, where in self._validate(doc, "facts", raw if isinstance(raw, list) else [],
                                          _label("market fact"), catalog.MarketFact.model_validate):
            if self._register("market", fact.id, where, f"market fact '{fact.id}'"):
                out.append(fact)
        return out

    def _load_questions(self, items: Mapping[str, Item]) -> list[Question]:
        doc = self._read(self.root / QUESTIONNAIRE)
        if doc is None:
            return []
        section = self._section(doc, ("questions",), ("questions",))
        out = []
        for q, where in self._validate(doc, "questions", section.get("questions", []), _label("question"),
                                       rulefile.Question.model_validate):
            if self._register("question", q.id, where, f"question '{q.id}'"):
                out.append(q)
                self._check_default(q, where)
        return out

    def _check_default(self, q: Question, where: Where) -> None:
        subject = f"question '{q.id}'"
        d = q.default
        if d is None:
            return
        bad = None
        if q.type == "boolean" and not isinstance(d, bool):
            bad = "expected true or false"
        elif q.type == "number":
            if isinstance(d, bool) or not isinstance(d, (int, float)):
                bad = "expected a number"
            elif (q.min is not None and d < q.min) or (q.max is not None and d > q.max):
                bad = "outside the question's min and max"
        elif q.type == "single" and q.options and d not in [o.id for o in q.options]:
            bad = f"not one of the options{did_you_mean(d, [o.id for o in q.options])}"
        elif q.type == "multi" and (not isinstance(d, list) or
                                    (q.options and any(x not in [o.id for o in q.options] for x in d))):
            bad = "expected a list of the question's option ids"
        if bad:
            key = ("questions", object_index(self.docs, where, "questions", q.id), "default")
            self._problem(where, key, subject, f"default {d!r}: {bad}")

    def _load_facts(self) -> list[tuple[DerivedFact, Where]]:
        doc = self._read(self.root / FACTS)
        if doc is None:
            return []
        section = self._section(doc, ("facts",), ("facts",))
        out = []
        for fact, where in self._validate(doc, "facts", section.get("facts", []), _label("fact"),
                                          rulefile.DerivedFact.model_validate):
            if self._register("fact", fact.id, where, f"fact '{fact.id}'"):
                out.append((fact, where))
        return out

    def _load_rules(self) -> list[tuple[Rule, Where]]:
        out = []
        files = self._yaml_files(self.root / RULES_DIR)
        if not files and (self.root / RULES_DIR).is_dir():
            self.problems.append(Problem(self._shown(self.root / RULES_DIR), 0, "no rule files (*.yaml) in this folder"))
        for path in files:
            doc = self._read(path)
            if doc is None:
                continue
            section = self._section(doc, ("rules",), ("rules",))
            for rule, where in self._validate(doc, "rules", section.get("rules", []), _label("rule"),
                                              rulefile.Rule.model_validate):
                if self._register("rule", rule.id, where, f"rule '{rule.id}'"):
                    out.append((rule, where))
        return out

    # ------------------------------------------------------------ conditions


def _label(kind: str) -> Callable[[Any], str]:
    def label(element: Any) -> str:
        if isinstance(element, dict) and isinstance(element.get("id"), str):
            return f"{kind} '{element['id']}'"
        return kind
    return label


def _item_label(element: Any) -> str:
    if isinstance(element, dict):
        kind = element.get("kind") if element.get("kind") in ("certification", "program", "role", "organization") else "item"
        if isinstance(element.get("id"), str):
            return f"{kind} '{element['id']}'"
        return str(kind)
    return "item"
