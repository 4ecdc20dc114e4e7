"""Ways to start an item and drafts of whole plans to a role, built on the simulator."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recommender.book.rulebook import CompiledRoute, RuleBook
from recommender.book.runtime import Certification, CitedRange, Program, Role
from recommender.engine.changewords import describe_changes, exam_words
from recommender.engine.result import PlanStep, Span, Step
from recommender.engine.simulate import (
    BASIC,
    COST_KINDS,
    COURSE,
    CTDL,
    HEAVY_KINDS,
    STUDY_KINDS,
    TIME_KINDS,
    Simulator,
    State,
    has_option,
    number,
)
from recommender.i18n import _, in_sentence, ngettext

Answers = dict[str, Any]
Changes = dict[str, Any]

# ------------------------------------------------------------------ steps
def _span(r: CitedRange | None) -> Span | None:
    return Span(r.min, r.max) if r is not None else None


def _sources(*ranges: CitedRange | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for r in ranges if r is not None for s in r.sources))


def _months_of_work(changes: Mapping[str, Any], before: State) -> Span | None:
    years = changes.get("experience_years")
    if not isinstance(years, (int, float)):
        return None
    gained = years - (before.get("experience_years") or 0)
    return Span(12.0 * gained, 12.0 * gained) if gained > 0 else None


def _ordered_changes(book: RuleBook, changes: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    order = {q.id: i for i, q in enumerate(book.questions)}
    return tuple((q, list(v) if isinstance(v, (list, tuple)) else v)
                 for q, v in sorted(changes.items(), key=lambda kv: order.get(kv[0], len(order))))


@dataclass(frozen=True)
class Way:
    """One way to become able to start an item: the route, its steps, and what follows."""

    route: str | None
    steps: tuple[PlanStep, ...]
    after: State
    verified: bool | None
    residual: int  # requirements met only by a 'meet the rest' step, not by the catalog's steps


@dataclass(frozen=True)
class Draft:
    """One complete way to a role, before plans are compared and dressed as Pathways."""

    steps: tuple[PlanStep, ...]
    later: tuple[PlanStep, ...]
    state: State
    verified: bool | None
    route: str | None
    credential: str | None
    credential_route: str | None
    residual: int
    order: int
    job_first: bool = False  # the job comes first and the credential after the work it gives

    @property
    def shape(self) -> tuple[tuple[str, str], ...]:
        return tuple((s.kind, s.text) for s in self.steps)


@dataclass(frozen=True)
class Totals:
    months: Span | None
    cost: Span | None
    unknown_time: tuple[str, ...]
    unknown_cost: tuple[str, ...]
    study: Span | None
    heavy: int


def totals(steps: Sequence[Step]) -> Totals:
    """Add up the sourced time and cost of steps; name the ones that have none."""
    months = cost = study = None
    unknown_time: list[str] = []
    unknown_cost: list[str] = []
    heavy = 0
    for s in steps:
        if s.kind in TIME_KINDS:
            if s.months is not None:
                months = s.months if months is None else months + s.months
                if s.kind in STUDY_KINDS:
                    study = s.months if study is None else study + s.months
            elif not (isinstance(s, PlanStep) and s.basis == "program"):
                # An exam a program in the plan prepares for adds no time of its own.
                unknown_time.append(s.text)
        if s.kind in COST_KINDS:
            if s.cost_usd is not None:
                cost = s.cost_usd if cost is None else cost + s.cost_usd
            else:
                unknown_cost.append(s.text)
        heavy += s.kind in HEAVY_KINDS
    return Totals(months, cost, tuple(unknown_time), tuple(unknown_cost), study, heavy)


class Planner(Simulator):
    """Plans pathways to roles for one person."""

    def __init__(self, book: RuleBook, answers: Mapping[str, Any]) -> None:
        super().__init__(book)
        self.start = self.state(answers)
        self._ways: dict[Any, tuple[Way, ...]] = {}
        self._grown: dict[Any, State | None] = {}
        self._exams: dict[Any, tuple[tuple[PlanStep, ...], tuple[PlanStep, ...], State]] = {}

    def grown(self, state: State, years: int) -> State | None:
        """The answers after some more years of work (for the years-ahead view)."""
        key = (state, years)
        if key not in self._grown:
            now = number(state.get("experience_years")) or 0
            top = self.maxima.get("experience_years")
            self._grown[key] = self.apply(state, {"experience_years": int(min(top if top is not None else 50,
                                                                              now + years))})
        return self._grown[key]

    # -------------------------------------------------------------- single steps
    def _route_step(self, step: Any, changes: Changes, state: State) -> PlanStep:
        book = self.book
        ordered = _ordered_changes(book, changes)
        months, cost = _span(step.duration_months), _span(step.cost_usd)
        sources = _sources(step.duration_months, step.cost_usd)
        if step.item is None:
            kind = step.type or "other"
            basis = "catalog" if months is not None else None
            if months is None and kind == "experience":
                months = _months_of_work(changes, state)
                basis = "requirement" if months is not None else None
            label = _work_label(months, step.action) if kind == "experience" else _short(step.action)
            return PlanStep(kind, step.action, None, months, cost, None, CTDL.get(kind, BASIC), ordered, basis,
                            sources, label)
        target = book.items[step.item]
        name = book.item_name(target.id)
        if isinstance(target, Program):
            kind = "bridge" if target.level == "bridge" else "program"
            ctdl = COURSE if target.level == "course" else CTDL[kind]
            own = (target.duration_months, target.cost_usd)
            text = _("Complete {name}").format(name=name)
        elif isinstance(target, Certification):
            kind, ctdl = "credential", CTDL["credential"]
            own = (target.duration_months, target.fee_usd)
            text = _("Earn {name}").format(name=name)
        else:
            kind, ctdl = "experience", CTDL["experience"]
            own = (None, None)
            text = _("Work as {name}").format(name=in_sentence(name))
        months = _span(own[0]) or months
        cost = _span(own[1]) or cost
        sources = tuple(dict.fromkeys(_sources(*own) + sources))
        return PlanStep(kind, text, target.id, months, cost, None, ctdl, ordered,
                        "catalog" if months is not None else None, sources, name)

    def follow(self, item_id: str, route: CompiledRoute, state: State) -> Way | None:
        """Walk one eligibility route from `state`: the steps still to take and the answers after."""
        steps: list[PlanStep] = []
        for cs in route.steps:
            if cs.unless is not None and self.holds(cs.unless, state):
                continue
            shows = cs.unless if cs.unless is not None else self.done.get(cs.step.item or "")
            changes = (self.satisfy(shows, state) if shows is not None else None) or {}
            after = self.apply(state, changes)
            if after is None:
                return None
            steps.append(self._route_step(cs.step, changes, state))
            state = after
        if route.when is None:
            return Way(route.route.id, tuple(steps), state, None, 0)
        if self.holds(route.when, state):
            return Way(route.route.id, tuple(steps), state, True, 0)
        # The route's own steps do not cover all it asks: meet the rest directly.
        rest = self.satisfy(route.when, state)
        after = self.apply(state, rest) if rest is not None else None
        if rest is None or after is None:
            return None
        work = set(rest) <= {"experience_years", "experience_areas"}
        months = _months_of_work(rest, state) if work else None
        what = describe_changes(self.book, state.answers, rest)
        text = _("{change} (this route also asks for it)").format(change=what) if steps else \
            _("{change} (for: {requirement})").format(change=what,
                                                       requirement=lower_first(route.route.requirement.rstrip(".")))
        steps.append(PlanStep("experience" if work else "other", text,
                              item_id, months, None, None, CTDL["experience"] if work else BASIC,
                              _ordered_changes(self.book, rest), "requirement" if months else None, (),
                              _work_label(months, what) if work else _short(what)))
        return Way(route.route.id, tuple(steps), after, True, 1)

    def ways(self, item_id: str, state: State) -> tuple[Way, ...]:
        """Every way to become able to start an item from `state` (just one when it is open already)."""
        key = (item_id, state)
        if key not in self._ways:
            self._ways[key] = self._find_ways(item_id, state)
        return self._ways[key]

    def _find_ways(self, item_id: str, state: State) -> tuple[Way, ...]:
        env = state.env
        routes = self.book.routes.get(item_id, ())
        compiled = self.compiled.routes.get(item_id, ())
        if env.eligible(item_id):
            met = next((r.route.id for r, (when, _, _) in zip(routes, compiled) if when is not None and when(env)), None)
            return (Way(met, (), state, True, 0),)
        # A route is offered when its relevant_if holds; without one, when it has a condition or
        # steps (routes with neither only describe a case the answers cannot show).
        offered = [r for r, (when, relevant, _) in zip(routes, compiled)
                   if (relevant(env) if relevant is not None else (when is not None or bool(r.steps)))]
        found = tuple(w for r in offered if (w := self.follow(item_id, r, state)) is not None)
        if found:
            return found
        name = self.book.item_name(item_id)
        text = _("Ask about the requirements for {name}; your answers do not show a way to qualify yet").format(name=name)
        label = _("{name} requirements").format(name=name)
        return (Way(None, (PlanStep("other", text, item_id, label=label),), state, None, 1),)

    def exam(self, cert: Certification, state: State) -> tuple[tuple[PlanStep, ...], tuple[PlanStep, ...], State]:
        """Join the issuer if it asks, sit the exam; and what a provisional status asks afterwards."""
        key = (cert.id, state)
        if key not in self._exams:
            self._exams[key] = self._exam(cert, state)
        return self._exams[key]

    def _exam(self, cert: Certification, state: State) -> tuple[tuple[PlanStep, ...], tuple[PlanStep, ...], State]:
        book = self.book
        issuer = book.item_name(cert.issuer)
        name = book.item_name(cert.id)
        steps: list[PlanStep] = []
        if cert.membership is not None:
            steps.append(PlanStep("membership", _("Join {issuer}: {membership}").format(
                issuer=issuer, membership=cert.membership.value), cert.issuer,
                                  sources=cert.membership.sources, label=_("{issuer} membership").format(issuer=issuer)))
        prepared = any(self.holds(self.done[p], state) for p in self.prepared_by[cert.id])
        months = _span(cert.duration_months)
        basis = "catalog" if months is not None else ("program" if prepared else None)
        changes: Changes = {}
        if has_option(book, "certifications", cert.id):
            held = list(state.get("certifications") or ())
            changes = {"certifications": [o for o in self.orders["certifications"] if o in held or o == cert.id]}
        steps.append(PlanStep("assessment", exam_words(name, issuer, cert), cert.id, months,
                              _span(cert.fee_usd), None, CTDL["assessment"], _ordered_changes(book, changes), basis,
                              _sources(cert.duration_months, cert.fee_usd), _("{name} exam").format(name=name)))
        after = self.apply(state, changes) or state
        later: list[PlanStep] = []
        for prov in book.provisional.get(cert.id, ()):
            if self.holds(prov.when, state):
                p = prov.provisional
                lift = self.satisfy(self.not_(prov.when), after) or {}
                work = _months_of_work(lift, after)
                ways = [r.rstrip(".") for r in p.removal]
                how = _("; or ").join([ways[0]] + [w[:1].lower() + w[1:] for w in ways[1:]])
                later.append(PlanStep("provisional", _("Remove the {status} status: {how}").format(status=p.name, how=how),
                                      cert.id, work, None, None, BASIC, _ordered_changes(book, lift),
                                      "requirement" if work else None, p.sources,
                                      _("{status} removed").format(status=p.name)))
                break
        return tuple(steps), tuple(later), after

    # -------------------------------------------------------------- whole plans
    def drafts(self, role: Role, credentials: Sequence[str], job_first: bool | None = None) -> list[Draft]:
        """Every combination of a way to the role, a credential (or none) and a way to that credential.

        With `job_first` (whether the person wants the job first), only the drafts the recommended
        plan can be among: the plan prefers a draft that puts the job first as wished, then the
        credential ranked first, so the credentials are tried in rank order and the rest are left
        once one has such a draft. Drafts keep their relative order (the last tie-break).
        """
        if job_first is None or len(credentials) <= 1:
            return self._drafts(role, credentials)
        out: list[Draft] = []
        for cred in credentials:
            found = self._drafts(role, (cred,), len(out))
            out += found
            if any(d.job_first == job_first for d in found):
                break
        return out

    def _drafts(self, role: Role, credentials: Sequence[str], first: int = 0) -> list[Draft]:
        out: list[Draft] = []
        name = self.book.item_name(role.id)
        job = PlanStep("job", _("Apply for {name} positions").format(name=in_sentence(name)), role.id,
                       ctdl=CTDL["job"], label=_("{name} job").format(name=in_sentence(name)))
        for way in self.ways(role.id, self.start):
            if not credentials:
                out.append(Draft(way.steps + (job,), (), way.after, way.verified, way.route, None, None,
                                 way.residual, first + len(out)))
            for cred in credentials:
                cert = self.book.items[cred]
                assert isinstance(cert, Certification)
                for c_way in self.ways(cred, way.after):
                    exam, later, after = self.exam(cert, c_way.after)
                    out.append(Draft(way.steps + c_way.steps + exam + (job,), later, after,
                                     _both(way.verified, c_way.verified), way.route, cred, c_way.route,
                                     way.residual + c_way.residual, first + len(out)))
                    if not way.steps and c_way.steps and all(s.kind == "experience" for s in c_way.steps):
                        # Hired now, the job itself gives the experience the credential asks for:
                        # apply first, sit the exam once the work is done.
                        out.append(Draft((job,), c_way.steps + exam + later, after,
                                         _both(way.verified, c_way.verified), way.route, cred, c_way.route,
                                         way.residual + c_way.residual, first + len(out), job_first=True))
        return out


def _short(text: str) -> str:
    """A short label for a step written in words: its first clause."""
    for stop in (",", ";", " (", " if ", " until ", " within ", " and "):
        if stop in text:
            text = text[:text.index(stop)]
    return text


def _work_label(months: Span | None, text: str) -> str:
    if months is None or months.min != months.max:
        return _short(text)
    years = months.max / 12
    return ngettext("{n} year of work", "{n} years of work", 1 if years == 1 else 2).format(n=f"{years:g}")


def lower_first(label: str) -> str:
    """Lower-case a label's first letter unless it starts an abbreviation (MA, CMAA)."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _both(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True
