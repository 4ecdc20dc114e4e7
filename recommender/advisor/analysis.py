"""Static analysis of a loaded rule book: what loading alone cannot see.

Loading already refuses broken files, unknown ids, cycles and bad placeholders.  This
module looks for rule books that load but cannot work as written: conditions that can
never hold, rules that repeat or cancel each other, catalog items and questions nothing
uses, sources whose dates or kinds are wrong, figures too old to show, facts that claim more
certainty than their sources give, and texts that tell how the book was written rather than
what it knows.  Each finding is a Problem located at the line of the object or key concerned;
`warning=True` marks what only fails under --strict.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recommender.advisor.provenance import (
    DEFAULT_MAX_AGE_DAYS,
    Provenance,
    check_sources,
)
from recommender.advisor.reasons import check_reasons
from recommender.advisor.satisfy import Solver, book_conditions
from recommender.advisor.undecided import undecided_problems
from recommender.book import conditions as C
from recommender.book.plain import Plain
from recommender.book.rulebook import CompiledRule, RuleBook, Where
from recommender.book.runtime import Certification, Organization
from recommender.book.validation import key_text
from recommender.book.yamlio import Document, Key, YamlProblem, load_file
from recommender.engine.recommend import (
    HELD_QUESTION,
    RECOMMENDED_KINDS,
    condition_words,
)
from recommender.errors import Problem

__all__ = ["DEFAULT_MAX_AGE_DAYS", "analyse", "check_sources"]


def analyse(book: RuleBook, today: datetime.date, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> list[Problem]:
    """Every finding of the static analysis, errors and warnings, in file and line order."""
    return sorted(set(_Analysis(book, today, max_age_days).run()), key=_order)


def _order(p: Problem) -> tuple[str, int, str, str, str]:
    return (p.path, p.line, p.subject, p.key, p.message)


# ------------------------------------------------------------------ the book
@dataclass(frozen=True)
class _Part:
    """One conjunct of a condition: where it is written, and the facts expanded to reach it."""

    cond: C.Condition
    key: Key
    via: tuple[str, ...] = ()


class _Analysis:
    def __init__(self, book: RuleBook, today: datetime.date, max_age_days: int) -> None:
        self.book = book
        self.today = today
        self.max_age_days = max_age_days
        self.solver = Solver(book)
        self.docs: dict[str, Document | None] = {}
        self.problems: list[Problem] = []

    def run(self) -> list[Problem]:
        live = self._never_hold()
        self._identical(live)
        self._dead_points(live)
        self._unreachable(live)
        self._unread_questions()
        self._unused_facts()
        self._uncited_sources()
        self._provenance()
        check_reasons(self.book, self._add)
        self.problems.extend(undecided_problems(self.book, self.solver))
        return self.problems

    # ------------------------------------------------------------ locating
    def _doc(self, path: str) -> Document | None:
        if path not in self.docs:
            try:
                self.docs[path] = load_file(Path(path), path)
            except YamlProblem:
                self.docs[path] = None
        return self.docs[path]

    def _add(self, where: Where, section: str, obj_id: str, key: Key, subject: str, message: str,
             warning: bool = False, code: str = "") -> None:
        doc = self._doc(where.path)
        line = where.line
        if doc is not None and isinstance(doc.data, dict):
            raw = doc.data.get(section)
            for i, element in enumerate(raw if isinstance(raw, list) else []):
                if isinstance(element, dict) and element.get("id") == obj_id:
                    line = doc.line((section, i) + key)
                    break
        self.problems.append(Problem(where.path, line, message, subject, key_text(key), warning, code=code))

    def _words(self, cond: C.Condition) -> str:
        return condition_words(self.book, cond)

    # ------------------------------------------------------------ conditions that never hold
    def _never_hold(self) -> list[CompiledRule]:
        """Report conditions no answers can satisfy; return the rules that can fire."""
        book = self.book
        for q in book.questions:
            guard = book.ask_if.get(q.id)
            if guard is not None:
                why = self._unsatisfiable(guard, ("ask_if",))
                if why is not None:
                    self._add(book.where[("question", q.id)], "questions", q.id, why[0], f"question '{q.id}'",
                              f"is never asked: {why[1]}")
        for fid, fact in book.facts.items():
            why = self._unsatisfiable(fact.when, ("when",))
            if why is not None:
                self._add(fact.where, "facts", fid, why[0], f"fact '{fid}'", f"can never hold: {why[1]}")
        for item_id, routes in book.routes.items():
            item = book.items[item_id]
            for r_i, route in enumerate(routes):
                base: Key = ("eligibility", r_i)
                for name, cond, verb in (("when", route.when, "can never be met"),
                                         ("relevant_if", route.relevant_if, "is never offered")):
                    why = self._unsatisfiable(cond, base + (name,)) if cond is not None else None
                    if why is not None:
                        self._add(book.where[("item", item_id)], "items", item_id, why[0],
                                  f"{item.kind} '{item_id}'", f"route '{route.route.id}' {verb}: {why[1]}")
            for p_i, prov in enumerate(book.provisional.get(item_id, ())):
                why = self._unsatisfiable(prov.when, ("provisional", p_i, "when"))
                if why is not None:
                    self._add(book.where[("item", item_id)], "items", item_id, why[0], f"{item.kind} '{item_id}'",
                              f"the provisional status '{prov.provisional.name}' never applies: {why[1]}")
        live = []
        for rule in book.rules:
            why = self._unsatisfiable(rule.when, ("when",))
            if why is None:
                live.append(rule)
            else:
                self._add(rule.where, "rules", rule.id, why[0], f"rule '{rule.id}'", f"can never fire: {why[1]}")
        return live

    def _unsatisfiable(self, cond: C.Condition, key: Key) -> tuple[Key, str] | None:
        """None when some answers satisfy `cond`; else where to point and why it never holds."""
        if self.solver.satisfiable(cond):
            return None
        return self._explain(self._core(list(_parts(cond, key, (), self.book))))

    def _core(self, parts: list[_Part]) -> list[_Part]:
        """A smallest set of conjuncts that still cannot hold together (drop one at a time)."""
        i = 0
        while i < len(parts) and len(parts) > 1:
            trial = parts[:i] + parts[i + 1:]
            if self.solver.satisfiable(C.All(tuple(p.cond for p in trial))):
                i += 1
            else:
                parts = trial
        return parts

    def _explain(self, core: list[_Part]) -> tuple[Key, str]:
        """Where to point, and why these conjuncts cannot hold together, in the advisor's terms."""
        words = [self._words(p.cond) for p in core]
        via = sorted({f for p in core for f in p.via})
        through = f" (through fact{'s' if len(via) > 1 else ''} {', '.join(repr(f) for f in via)})" if via else ""
        compares = [p.cond for p in core if isinstance(p.cond, C.Compare)]
        if len(core) == 1:
            cond = core[0].cond
            if isinstance(cond, C.Compare) and self.book.question_info[cond.question].type == "number":
                return core[0].key, f"{words[0]} never holds: {self._bounds(cond.question)}{through}"
            return core[0].key, f"{words[0]} never holds{through}"
        for part in core:  # an answer to a question that is not asked under the rest
            cond = part.cond
            if not isinstance(cond, C.Compare) or cond.question not in self.book.ask_if:
                continue
            if C.OPERATORS[cond.op].test(None, cond.value, self.book.option_orders[cond.question]):
                continue  # holds without an answer, so being unasked is no conflict
            guard = self.book.ask_if[cond.question]
            rest = [p for p in core if p is not part]
            if not self.solver.satisfiable(C.All(tuple(p.cond for p in rest) + (guard,))):
                others = "; ".join(self._words(p.cond) for p in rest)
                return part.key, (f"it needs an answer to '{cond.question}', which is asked only when "
                                  f"{self._words(guard)}, and that cannot hold together with: {others}{through}")
        if len(compares) == len(core) and len({c.question for c in compares}) == 1:
            qid = compares[0].question
            kind = self.book.question_info[qid].type
            if kind in ("single", "boolean"):
                return core[0].key, f"'{qid}' has one answer, so these cannot all hold: {'; '.join(words)}{through}"
            if kind == "number":
                return core[0].key, (f"no value of '{qid}' satisfies all of: {'; '.join(words)} "
                                     f"({self._bounds(qid)}){through}")
        return core[0].key, f"these cannot all hold at once: {'; '.join(words)}{through}"

    def _bounds(self, qid: str) -> str:
        q = next(q for q in self.book.questions if q.id == qid)
        whole = "whole numbers " if q.integer else ""
        if q.min is not None and q.max is not None:
            return f"'{qid}' takes {whole}from {_num(q.min)} to {_num(q.max)}"
        if q.min is not None:
            return f"'{qid}' takes {whole}from {_num(q.min)} up"
        if q.max is not None:
            return f"'{qid}' takes {whole}up to {_num(q.max)}"
        return f"'{qid}' takes any {whole or 'number '}".rstrip()

    # ------------------------------------------------------------ rules that repeat or cancel out
    def _identical(self, live: Sequence[CompiledRule]) -> None:
        by_effect: dict[tuple[Any, ...], list[CompiledRule]] = {}
        for rule in live:
            r = rule.rule
            effect = (tuple(sorted(r.points.items())), tuple(sorted(r.exclude)),
                      tuple((s.item, s.text) for s in r.next_steps))
            by_effect.setdefault(effect, []).append(rule)
        for group in by_effect.values():
            for j, later in enumerate(group):
                for first in group[:j]:
                    if first.when == later.when or (self.solver.implies(first.when, later.when)
                                                    and self.solver.implies(later.when, first.when)):
                        self._add(later.where, "rules", later.id, ("when",), f"rule '{later.id}'",
                                  f"repeats rule '{first.id}' ({first.where}): the same condition and the same "
                                  "effects, so its points count twice; delete one of them")
                        break

    def _dead_points(self, live: Sequence[CompiledRule]) -> None:
        """Points and item steps that can never show: the item is excluded, already held, or never recommended."""
        book = self.book
        excluders = [r for r in live if r.rule.exclude]
        held = book.question_info.get(HELD_QUESTION)
        for rule in live:
            subject = f"rule '{rule.id}'"
            # A next step tied to an item shows only inside that item's recommendation.
            effects: list[tuple[Key, str, str]] = [(("points", i), i, "these points never count") for i in rule.rule.points]
            # (one tied to an organization is shown as general advice, so it always shows)
            effects += [(("next_steps", n), s.item, "this next step is never shown")
                        for n, s in enumerate(rule.rule.next_steps)
                        if s.item and book.items[s.item].kind in RECOMMENDED_KINDS]
            for key, item_id, never in effects:
                item = book.items[item_id]
                if item.kind not in RECOMMENDED_KINDS:
                    self._add(rule.where, "rules", rule.id, key, subject,
                              f"{never}: '{item_id}' is an {item.kind}, and only certifications, programs and "
                              "roles are recommended", warning=True, code="points-on-organization")
                    continue
                shadow = next((other for other in excluders if item_id in other.rule.exclude
                               and self.solver.implies(rule.when, other.when)), None)
                if shadow is rule:
                    self._add(rule.where, "rules", rule.id, key, subject,
                              f"{never}: the same rule excludes '{item_id}'", warning=True,
                              code="points-excluded-by-itself")
                elif shadow is not None:
                    self._add(rule.where, "rules", rule.id, key, subject,
                              f"{never}: whenever this rule fires, rule '{shadow.id}' fires too and excludes "
                              f"'{item_id}'", warning=True, code="points-excluded")
                elif (isinstance(item, Certification) and held is not None and item_id in held.options
                      and self.solver.implies(rule.when, C.Compare(HELD_QUESTION, "contains", item_id))):
                    self._add(rule.where, "rules", rule.id, key, subject,
                              f"{never}: the rule fires only for people who already hold '{item_id}', and a "
                              "credential a person holds is never recommended", warning=True,
                              code="points-for-holders")

    # ------------------------------------------------------------ things nothing uses
    def _unreachable(self, live: Sequence[CompiledRule]) -> None:
        book = self.book
        reached: set[str] = set()
        for rule in live:  # (a next step tied to an item shows only when the item is recommended)
            reached.update(i for i, pts in rule.rule.points.items() if pts > 0)
            # Next steps about organizations are shown as general advice.
            reached.update(s.item for s in rule.rule.next_steps
                           if s.item and book.items[s.item].kind not in RECOMMENDED_KINDS)
        for item_id, routes in book.routes.items():
            for route in routes:
                reached.update(s.step.item for s in route.steps if s.step.item)
            item = book.items[item_id]
            if isinstance(item, Certification):
                reached.add(item.issuer)
        for item_id, item in book.items.items():
            if item_id in reached:
                continue
            if isinstance(item, Organization):
                why = "no certification names it as its issuer and no step leads to it"
            else:
                why = "no rule that can fire gives it points, and no eligibility route leads to it"
            self._add(book.where[("item", item_id)], "items", item_id, (), f"{item.kind} '{item_id}'",
                      f"no report can show it: {why}", warning=True, code="item-unreachable")

    def _unread_questions(self) -> None:
        book = self.book
        read = {HELD_QUESTION}  # the engine reads it itself: held credentials are never recommended
        for cond in book_conditions(book):
            read.update(C.questions_read(cond))
        for rule in book.rules:
            read.update(rule.because.names)
            read.update(n for _, t in rule.next_steps for n in t.names)
        for q in book.questions:
            if q.id not in read:
                self._add(book.where[("question", q.id)], "questions", q.id, (), f"question '{q.id}'",
                          "no rule, fact, eligibility route or other question reads it, so its answer "
                          "changes nothing", warning=True, code="question-unread")

    def _unused_facts(self) -> None:
        book = self.book
        used: set[str] = set()
        for cond in book_conditions(book):
            used.update(C.facts_used(cond))
        for fid, fact in book.facts.items():
            if fid not in used:
                self._add(fact.where, "facts", fid, (), f"fact '{fid}'",
                          "no rule, eligibility route or other fact uses it", warning=True, code="fact-unused")

    def _uncited_sources(self) -> None:
        book = self.book
        cited: set[str] = set()
        for item in book.items.values():
            cited.update(_cited(item))
        for fact in book.market:
            cited.update(_cited(fact))
        for sid in book.sources:
            if sid not in cited:
                self._add(book.where[("source", sid)], "sources", sid, (), f"source '{sid}'",
                          "no fact cites it", warning=True, code="source-uncited")


    def _provenance(self) -> None:
        Provenance(self.book, self.today, self.max_age_days, self._add, self._doc, self.problems).run()


def _parts(cond: C.Condition, key: Key, via: tuple[str, ...], book: RuleBook) -> Iterator[_Part]:
    """Flatten `all` and derived facts into the conjuncts that must all hold."""
    if isinstance(cond, C.All):
        for i, part in enumerate(cond.items):
            # Inside a fact, point at the rule's reference to it: the fact's own lines are elsewhere.
            yield from _parts(part, key if via else key + ("all", i), via, book)
    elif isinstance(cond, C.Fact) and cond.id in book.facts and cond.id not in via:
        yield from _parts(book.facts[cond.id].when, key, via + (cond.id,), book)
    else:
        yield _Part(cond, key, via)


def _cited(obj: Any) -> Iterable[str]:
    if isinstance(obj, Plain):
        for name in obj.FIELDS:
            value = getattr(obj, name)
            if name == "sources" and isinstance(value, tuple):
                yield from value
            else:
                yield from _cited(value)
    elif isinstance(obj, tuple):
        for value in obj:
            yield from _cited(value)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
