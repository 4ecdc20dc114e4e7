"""Load a rule book folder: safe YAML, per-object validation, every cross-reference checked.

Problems are collected, never raised one at a time: an advisor sees every broken
key of every file in one run.  Loading never executes anything from a file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from recommender.book import conditions as C
from recommender.book.catalog import Certification, Item, MarketFact, Organization, Program, Role, Step
from recommender.errors import Problem, RuleBookError
from recommender.book.model import Source
from recommender.book.rulebook import (
    CompiledFact,
    CompiledProvisional,
    CompiledRoute,
    CompiledRule,
    CompiledStep,
    RuleBook,
    Where,
)
from recommender.book.rulefile import DerivedFact, Question, Rule
from recommender.suggest import did_you_mean
from recommender.book.template import Template, parse_template
from recommender.book.validation import key_text, known_keys, problems_from
from recommender.book.yamlio import Document, Key, YamlProblem, load_file

T = TypeVar("T")

QUESTIONNAIRE = "questionnaire.yaml"
FACTS = "facts.yaml"
MARKET = "market.yaml"
CATALOG_DIR = "catalog"
RULES_DIR = "rules"

_ITEM = TypeAdapter(Item)
_KEYS = known_keys(Question, DerivedFact, Rule, Certification, Program, Role, Organization, Source, MarketFact)


def default_rules_dir() -> Path:
    """The shipped rule book: packaged inside a wheel, or ./rules beside the package in a checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "_rules"
    return packaged if packaged.is_dir() else package.parent / "rules"


def load_rulebook(root: Path | str | None = None) -> RuleBook:
    """Load and check a rule book folder; raise RuleBookError listing every problem."""
    return _Loader(Path(root) if root is not None else default_rules_dir()).load()


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.where: dict[tuple[str, str], Where] = {}
        self.docs: dict[str, Document] = {}
        self.broken: set[str] = set()  # ids of objects that exist but failed validation
        self.unreadable = False  # a whole file could not be read: cross-checks would only echo that

    # ------------------------------------------------------------ reading
    def _shown(self, path: Path) -> str:
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    def _read(self, path: Path) -> Document | None:
        try:
            doc = load_file(path, self._shown(path))
        except YamlProblem as exc:
            self.problems.append(exc.problem)
            if path.name in (QUESTIONNAIRE, FACTS):
                self.unreadable = True
            return None
        if not isinstance(doc.data, dict):
            self.problems.append(Problem(doc.path, doc.line(()), "expected a mapping of keys at the top of the file"))
            return None
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
                  adapter: Callable[[Any], T]) -> list[tuple[T, Where]]:
        out: list[tuple[T, Where]] = []
        for i, element in enumerate(raw):
            prefix: Key = (section, i)
            subject = label(element)
            try:
                obj = adapter(element)
            except ValidationError as exc:
                self.problems.extend(problems_from(exc, doc, prefix, subject, _KEYS))
                if isinstance(element, dict) and isinstance(element.get("id"), str):
                    self.broken.add(element["id"])
                continue
            out.append((obj, Where(doc.path, doc.line(prefix))))
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

        if self.unreadable:
            # Without the questionnaire or the facts, every condition would report the same loss.
            raise RuleBookError(self.problems)
        info = self._question_info(questions, items)
        vocab = C.Vocabulary(info, frozenset(f.id for f, _ in facts_raw) | self.broken,
                             frozenset(items) | self.broken)
        ask_if = self._compile_ask_if(questions, info)
        facts = self._compile_facts(facts_raw, vocab)
        routes, provisional = self._compile_items(items, vocab, info, sources_map)
        rules = self._compile_rules(rules_raw, vocab, info, items, facts)
        self._check_eligibility_cycles(routes, facts, {k: v.kind for k, v in items.items()})
        for i, fact in enumerate(market):
            where = self.where[("market", fact.id)]
            idx = _index(self.docs, where, "facts", fact.id)
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
            market=tuple(market), where=dict(self.where),
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
                                             _label("source"), Source.model_validate):
                if self._register("source", src.id, where, f"source '{src.id}'"):
                    sources[src.id] = src
            if is_market:
                continue
            for item, where in self._validate(doc, "items", section.get("items", []), _item_label,
                                              _ITEM.validate_python):
                if self._register("item", item.id, where, f"{item.kind} '{item.id}'"):
                    items[item.id] = item
        return items, sources

    def _load_market(self, sources: Mapping[str, Source]) -> list[MarketFact]:
        path = self.root / MARKET
        doc = self.docs.get(self._shown(path))
        if doc is None:
            return []
        raw = doc.data.get("facts", [])
        out = []
        for fact, where in self._validate(doc, "facts", raw if isinstance(raw, list) else [],
                                          _label("market fact"), MarketFact.model_validate):
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
                                       Question.model_validate):
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
            key = ("questions", _index(self.docs, where, "questions", q.id), "default")
            self._problem(where, key, subject, f"default {d!r}: {bad}")

    def _load_facts(self) -> list[tuple[DerivedFact, Where]]:
        doc = self._read(self.root / FACTS)
        if doc is None:
            return []
        section = self._section(doc, ("facts",), ("facts",))
        out = []
        for fact, where in self._validate(doc, "facts", section.get("facts", []), _label("fact"),
                                          DerivedFact.model_validate):
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
                                              Rule.model_validate):
                if self._register("rule", rule.id, where, f"rule '{rule.id}'"):
                    out.append((rule, where))
        return out

    # ------------------------------------------------------------ conditions
    def _question_info(self, questions: Sequence[Question], items: Mapping[str, Item]) -> dict[str, C.QuestionInfo]:
        certs = [i for i in items.values() if isinstance(i, Certification)]
        info = {}
        for q in questions:
            if q.options_from == "certifications":
                options = tuple(c.id for c in certs)
                labels = {c.id: c.short_name or c.id for c in certs}
            else:
                options = tuple(o.id for o in q.options)
                labels = {o.id: o.label for o in q.options}
            info[q.id] = C.QuestionInfo(q.id, q.type, q.label, options, labels, q.integer)
        return info

    def _condition(self, raw: Any, vocab: C.Vocabulary, where_key: Key, subject: str,
                   doc_path: str, fallback_line: int) -> C.Condition:
        cond, errors = C.parse(raw, vocab)
        doc = self.docs.get(doc_path)
        for err in errors:
            key = where_key + err.key
            line = doc.line(key) if doc is not None else fallback_line
            self.problems.append(Problem(doc_path, line, err.message, subject, key_text(_relative(key))))
        return cond

    def _compile_ask_if(self, questions: Sequence[Question], info: Mapping[str, C.QuestionInfo]) -> dict[str, C.Condition]:
        out: dict[str, C.Condition] = {}
        earlier: dict[str, C.QuestionInfo] = {}
        for i, q in enumerate(questions):
            where = self.where[("question", q.id)]
            if q.ask_if is not None:
                vocab = C.Vocabulary(earlier, frozenset(), frozenset())
                cond = self._condition(q.ask_if, vocab, ("questions", i, "ask_if"), f"question '{q.id}'",
                                       where.path, where.line)
                out[q.id] = cond
            earlier[q.id] = info[q.id]
        return out

    def _compile_facts(self, facts_raw: Sequence[tuple[DerivedFact, Where]], vocab: C.Vocabulary) -> dict[str, CompiledFact]:
        parsed: dict[str, CompiledFact] = {}
        for i, (fact, where) in enumerate(facts_raw):
            cond = self._condition(fact.when, vocab, ("facts", _index(self.docs, where, "facts", fact.id), "when"),
                                   f"fact '{fact.id}'", where.path, where.line)
            parsed[fact.id] = CompiledFact(fact, cond, where)
        # Order facts so each comes after the facts it uses; a cycle is an error.
        ordered: dict[str, CompiledFact] = {}
        state: dict[str, int] = {}

        def visit(name: str, trail: list[str]) -> None:
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                cycle = trail[trail.index(name):] + [name]
                w = parsed[name].where
                self._problem(w, ("facts", _index(self.docs, w, "facts", name), "when"), f"fact '{name}'",
                              f"facts form a cycle: {' → '.join(cycle)}")
                return
            state[name] = 1
            for used in C.facts_used(parsed[name].when):
                if used in parsed:
                    visit(used, trail + [name])
            state[name] = 2
            ordered[name] = parsed[name]

        for name in parsed:
            visit(name, [])
        return ordered

    def _compile_items(self, items: Mapping[str, Item], vocab: C.Vocabulary, info: Mapping[str, C.QuestionInfo],
                       sources: Mapping[str, Source]) -> tuple[dict[str, tuple[CompiledRoute, ...]],
                                                                dict[str, tuple[CompiledProvisional, ...]]]:
        routes: dict[str, tuple[CompiledRoute, ...]] = {}
        provisional: dict[str, tuple[CompiledProvisional, ...]] = {}
        settings = info.get("settings")
        for item in items.values():
            where = self.where[("item", item.id)]
            subject = f"{item.kind} '{item.id}'"
            idx = _index(self.docs, where, "items", item.id)
            base: Key = ("items", idx)

            def cond(raw: Any, key: Key) -> C.Condition:
                return self._condition(raw, vocab, base + key, subject, where.path, where.line)

            def ref(target: str, kinds: Sequence[str], key: Key) -> None:
                found = items.get(target)
                if found is None and target in self.broken:
                    return
                if found is None:
                    self._problem(where, base + key, subject, f"unknown catalog item '{target}'{did_you_mean(target, items)}")
                elif found.kind not in kinds:
                    self._problem(where, base + key, subject, f"'{target}' is a {found.kind}; expected a {' or '.join(kinds)}")

            compiled_routes = []
            ids_seen: set[str] = set()
            for r_i, route in enumerate(item.eligibility):
                rkey: Key = ("eligibility", r_i)
                if route.id in ids_seen:
                    self._problem(where, base + rkey + ("id",), subject, f"duplicate route id '{route.id}'")
                ids_seen.add(route.id)
                steps = []
                for s_i, step in enumerate(route.steps):
                    skey = rkey + ("steps", s_i)
                    self._check_step(step, where, base + skey, subject, items, sources)
                    unless = cond(step.unless, skey + ("unless",)) if step.unless is not None else None
                    steps.append(CompiledStep(step, unless))
                compiled_routes.append(CompiledRoute(
                    route,
                    cond(route.when, rkey + ("when",)) if route.when is not None else None,
                    cond(route.relevant_if, rkey + ("relevant_if",)) if route.relevant_if is not None else None,
                    tuple(steps)))
                self._check_sources(route.sources, sources, where, subject, key_text(rkey + ("sources",)),
                                   base + rkey + ("sources",))
            routes[item.id] = tuple(compiled_routes)
            self._check_cited(item, where, base, subject, sources)
            if isinstance(item, Certification):
                ref(item.issuer, ("organization",), ("issuer",))
                for k, target in enumerate(item.leads_to):
                    ref(target, ("role",), ("leads_to", k))
                provisional[item.id] = tuple(
                    CompiledProvisional(p, cond(p.when, ("provisional", p_i, "when")))
                    for p_i, p in enumerate(item.provisional))
            elif isinstance(item, Program):
                for k, target in enumerate(item.prepares_for):
                    ref(target, ("certification", "role", "program"), ("prepares_for", k))
            elif isinstance(item, Role):
                for k, target in enumerate(item.credentials):
                    ref(target, ("certification",), ("credentials", k))
                for k, target in enumerate(item.next_roles):
                    ref(target, ("role",), ("next_roles", k))
                if settings is not None:
                    for k, opt in enumerate(item.settings):
                        if opt not in settings.options:
                            self._problem(where, base + ("settings", k), subject,
                                          f"'{opt}' is not an option of 'settings'{did_you_mean(opt, settings.options)}")
            elif isinstance(item, Organization):
                for k, target in enumerate(item.offers):
                    ref(target, ("certification",), ("offers", k))
        return routes, provisional

    def _check_step(self, step: Step, where: Where, key: Key, subject: str, items: Mapping[str, Item],
                    sources: Mapping[str, Source]) -> None:
        if (step.item is None) == (step.action is None):
            self._problem(where, key, subject, "a step names either an item or an action, not both or neither")
        if step.item is not None and step.item not in items and step.item not in self.broken:
            self._problem(where, key + ("item",), subject, f"unknown catalog item '{step.item}'{did_you_mean(step.item, items)}")
        if step.action is not None and step.type is None:
            self._problem(where, key, subject, "an action step needs a type (program, credential, experience, "
                          "assessment, membership, application or other)")

    def _check_cited(self, obj: Any, where: Where, key: Key, subject: str, sources: Mapping[str, Source]) -> None:
        """Walk a model and check every `sources` list it holds."""
        if isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                value = getattr(obj, name)
                if name == "sources" and isinstance(value, tuple) and not key[-2:-1] == ("eligibility",):
                    self._check_sources(value, sources, where, subject, key_text(_relative(key + (name,))), key + (name,))
                elif name not in ("sources", "eligibility"):
                    self._check_cited(value, where, key + (name,), subject, sources)
        elif isinstance(obj, tuple):
            for i, value in enumerate(obj):
                self._check_cited(value, where, key + (i,), subject, sources)

    def _check_sources(self, ids: Sequence[str], sources: Mapping[str, Source], where: Where, subject: str,
                       key: str, full_key: Key | None = None) -> None:
        for i, sid in enumerate(ids):
            if sid not in sources:
                line = where.line
                doc = self.docs.get(where.path)
                if doc is not None and full_key is not None:
                    line = doc.line(full_key + (i,))
                self.problems.append(Problem(where.path, line, f"unknown source '{sid}'{did_you_mean(sid, sources)}",
                                             subject, f"{key}[{i}]"))

    def _compile_rules(self, rules_raw: Sequence[tuple[Rule, Where]], vocab: C.Vocabulary,
                       info: Mapping[str, C.QuestionInfo], items: Mapping[str, Item],
                       facts: Mapping[str, CompiledFact]) -> list[CompiledRule]:
        out = []
        fact_conds = {k: f.when for k, f in facts.items()}
        for rule, where in rules_raw:
            subject = f"rule '{rule.id}'"
            base: Key = ("rules", _index(self.docs, where, "rules", rule.id))
            when = self._condition(rule.when, vocab, base + ("when",), subject, where.path, where.line)
            for item_id in list(rule.points) + list(rule.exclude):
                if item_id not in items and item_id not in self.broken:
                    key = ("points", item_id) if item_id in rule.points else ("exclude", rule.exclude.index(item_id))
                    self._problem(where, base + key, subject, f"unknown catalog item '{item_id}'{did_you_mean(item_id, items)}")
            because = self._template(rule.because, info, where, base + ("because",), subject)
            steps = []
            for s_i, step in enumerate(rule.next_steps):
                if step.item is not None and step.item not in items and step.item not in self.broken:
                    self._problem(where, base + ("next_steps", s_i, "item"), subject,
                                  f"unknown catalog item '{step.item}'{did_you_mean(step.item, items)}")
                steps.append((step, self._template(step.text, info, where, base + ("next_steps", s_i, "text"), subject)))
            reads = C.questions_read(when, fact_conds)
            out.append(CompiledRule(rule, when, because, tuple(steps), reads, where))
        return out

    def _template(self, text: str, info: Mapping[str, C.QuestionInfo], where: Where, key: Key, subject: str) -> Template:
        template, problems = parse_template(text, info)
        for message in problems:
            self._problem(where, key, subject, message)
        return template

    def _check_eligibility_cycles(self, routes: Mapping[str, tuple[CompiledRoute, ...]],
                                  facts: Mapping[str, CompiledFact], kinds: Mapping[str, str]) -> None:
        """An item's eligibility may depend on another's, through facts too, but never on itself."""
        def deps(item: str) -> set[str]:
            out: set[str] = set()
            for r in routes.get(item, ()):
                if r.when is not None:
                    out.update(_eligible_through(r.when, facts))
            return out

        graph = {item: deps(item) for item in routes}
        state: dict[str, int] = {}

        def visit(node: str, trail: list[str]) -> None:
            if state.get(node) == 2:
                return
            if state.get(node) == 1:
                cycle = trail[trail.index(node):] + [node]
                w = self.where[("item", node)]
                self._problem(w, ("items", _index(self.docs, w, "items", node), "eligibility"),
                              f"{kinds[node]} '{node}'", f"eligibility forms a cycle: {' → '.join(cycle)}")
                return
            state[node] = 1
            for nxt in sorted(graph.get(node, ())):
                visit(nxt, trail + [node])
            state[node] = 2

        for node in graph:
            visit(node, [])

    def _problem(self, where: Where, key: Key, subject: str, message: str) -> None:
        doc = self.docs.get(where.path)
        line = doc.line(key) if doc is not None else where.line
        self.problems.append(Problem(where.path, line, message, subject, key_text(_relative(key))))


def _eligible_through(cond: C.Condition, facts: Mapping[str, CompiledFact], seen: frozenset[str] = frozenset()) -> set[str]:
    out = set(C.items_used(cond))
    for name in C.facts_used(cond):
        if name in facts and name not in seen:
            out |= _eligible_through(facts[name].when, facts, seen | {name})
    return out


def _relative(key: Key) -> Key:
    """Drop the file-level (section, index) prefix: the subject already names the object."""
    return key[2:] if len(key) >= 2 and isinstance(key[1], int) else key


def _index(docs: Mapping[str, Document], where: Where, section: str, obj_id: str) -> int:
    doc = docs.get(where.path)
    raw = doc.data.get(section, []) if doc is not None and isinstance(doc.data, dict) else []
    for i, element in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(element, dict) and element.get("id") == obj_id:
            return i
    return 0


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
