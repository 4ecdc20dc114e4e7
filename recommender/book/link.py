"""Cross-reference checks and compilation: loaded objects become the conditions, routes and rules of a RuleBook.

Every id a condition, route, step, template or source list names is checked here, so the
engine never meets an unknown one. Problems are collected with their file, line and key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from recommender.book import conditions as C
from recommender.book.graph import MAX_EXPANDED_DEPTH, too_deep, topological
from recommender.book.parse import parse as parse_condition
from recommender.book.plain import Plain
from recommender.book.rulebook import (
    CompiledFact,
    CompiledProvisional,
    CompiledRoute,
    CompiledRule,
    CompiledStep,
    Where,
)
from recommender.book.runtime import (
    Certification,
    DerivedFact,
    Item,
    Organization,
    Program,
    Question,
    Role,
    Rule,
    Source,
    Step,
)
from recommender.book.template import Template, parse_template
from recommender.book.validation import key_text
from recommender.book.yamlio import Document, Key
from recommender.errors import Problem
from recommender.suggest import did_you_mean


class Linker:
    """Checks and compiles what the loader read; subclassed by the loader, which owns the reading."""

    root: Path
    problems: list[Problem]
    where: dict[tuple[str, str], Where]
    docs: dict[str, Document]
    broken: set[str]
    unreadable: bool

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
        cond, errors = parse_condition(raw, vocab)
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
            cond = self._condition(fact.when, vocab, ("facts", object_index(self.docs, where, "facts", fact.id), "when"),
                                   f"fact '{fact.id}'", where.path, where.line)
            parsed[fact.id] = CompiledFact(fact, cond, where)
        # Order facts so each comes after the facts it uses; a cycle is an error.  The walk keeps its
        # own stack: a chain of a thousand facts must not reach Python's recursion limit.
        order, cycles = topological(parsed, lambda name: [u for u in C.facts_used(parsed[name].when) if u in parsed])
        for cycle in cycles:
            w = parsed[cycle[0]].where
            self._problem(w, ("facts", object_index(self.docs, w, "facts", cycle[0]), "when"), f"fact '{cycle[0]}'",
                          f"facts form a cycle: {' → '.join(cycle)}")
        ordered = {name: parsed[name] for name in order}
        deep = too_deep({name: f.when for name, f in ordered.items()}, {})
        for (_kind, name), depth in deep.items():
            if not any(("fact", used) in deep for used in C.facts_used(ordered[name].when)):
                w = ordered[name].where  # only the first fact over the limit on each chain is reported
                self._problem(w, ("facts", object_index(self.docs, w, "facts", name), "when"), f"fact '{name}'",
                              f"nests {depth} levels deep through the facts it uses; the limit is "
                              f"{MAX_EXPANDED_DEPTH}, so shorten the chain of facts")
        for _kind, name in deep:
            del ordered[name]  # never walked again: later checks recurse through facts
        return ordered

    def _check_depth(self, routes: Mapping[str, tuple[CompiledRoute, ...]],
                     facts: Mapping[str, CompiledFact], kinds: Mapping[str, str]) -> None:
        """Eligibility that needs eligibility that needs ...: bounded, as chains of facts are."""
        conds = {item: tuple(r.when for r in rs if r.when is not None) for item, rs in routes.items()}
        deep = too_deep({name: f.when for name, f in facts.items()}, conds)
        for (kind, name), depth in sorted(deep.items()):
            if kind != "item" or any(("item", used) in deep for c in conds[name] for used in C.items_used(c)):
                continue
            w = self.where[("item", name)]
            self._problem(w, ("items", object_index(self.docs, w, "items", name), "eligibility"),
                          f"{kinds[name]} '{name}'", f"eligibility nests {depth} levels deep through the items and "
                          f"facts it needs; the limit is {MAX_EXPANDED_DEPTH}, so shorten the chain")

    def _compile_items(self, items: Mapping[str, Item], vocab: C.Vocabulary, info: Mapping[str, C.QuestionInfo],
                       sources: Mapping[str, Source]) -> tuple[dict[str, tuple[CompiledRoute, ...]],
                                                                dict[str, tuple[CompiledProvisional, ...]]]:
        routes: dict[str, tuple[CompiledRoute, ...]] = {}
        provisional: dict[str, tuple[CompiledProvisional, ...]] = {}
        settings = info.get("settings")
        for item in items.values():
            where = self.where[("item", item.id)]
            subject = f"{item.kind} '{item.id}'"
            idx = object_index(self.docs, where, "items", item.id)
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
        if isinstance(obj, Plain):
            for name in obj.FIELDS:
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
                       facts: Mapping[str, CompiledFact],
                       sources: Mapping[str, Source] | None = None) -> list[CompiledRule]:
        out = []
        fact_conds = {k: f.when for k, f in facts.items()}
        for rule, where in rules_raw:
            subject = f"rule '{rule.id}'"
            base: Key = ("rules", object_index(self.docs, where, "rules", rule.id))
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
                if sources is not None and step.sources:
                    self._check_sources(step.sources, sources, where, subject, f"next_steps[{s_i}].sources",
                                        base + ("next_steps", s_i, "sources"))
                steps.append((step, self._template(step.text, info, where, base + ("next_steps", s_i, "text"), subject)))
            own = {}
            for item_id, text in rule.because_for.items():
                if item_id not in rule.points:
                    self._problem(where, base + ("because_for", item_id), subject,
                                  f"'{item_id}' gets no points from this rule, so it has no reason to give"
                                  f"{did_you_mean(item_id, rule.points)}")
                own[item_id] = self._template(text, info, where, base + ("because_for", item_id), subject)
            reads = C.questions_read(when, fact_conds)
            out.append(CompiledRule(rule, when, because, tuple(steps), reads, where, own))
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
        _order, cycles = topological(graph, lambda node: sorted(graph.get(node, ())))
        for cycle in cycles:
            node = cycle[0]
            w = self.where[("item", node)]
            self._problem(w, ("items", object_index(self.docs, w, "items", node), "eligibility"),
                          f"{kinds[node]} '{node}'", f"eligibility forms a cycle: {' → '.join(cycle)}")

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

def object_index(docs: Mapping[str, Document], where: Where, section: str, obj_id: str) -> int:
    """The index of object `obj_id` in `section` of the file `where` names (0 when it is not found)."""
    doc = docs.get(where.path)
    return doc.position(section, obj_id) if doc is not None else 0
