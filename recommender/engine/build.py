"""Pathways: choosing among a role's drafts, pricing them, and the 1-, 3- and 5-year view."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from recommender.book import conditions as C
from recommender.book.answers import resolve
from recommender.book.rulebook import RuleBook
from recommender.book.runtime import Certification, Program, Role
from recommender.engine.plan import Draft, Planner, Totals, totals
from recommender.engine.result import (
    Pathway,
    PlanStep,
    Recommendation,
    Result,
    Span,
    Step,
)
from recommender.engine.simulate import (
    COURSE,
    CTDL,
    FULL_TIME_HOURS,
    JOB_FIRST_WISH,
    STUDY_KINDS,
    number,
)
from recommender.engine.years import YearsAhead
from recommender.i18n import _, ngettext
from recommender.i18n import money as usd

Answers = dict[str, Any]
Changes = dict[str, Any]

# ------------------------------------------------------------------ choosing and dressing plans
def _top(span: Span | None) -> float:
    return span.max if span is not None else 0.0


def _bottom(span: Span | None) -> float:
    return span.min if span is not None else 0.0


def _usd(value: float) -> str:
    return usd(value)


def _usd_span(span: Span) -> str:
    return _usd(span.min) if span.min == span.max else f"{_usd(span.min)}–{_usd(span.max)}"


def _month_span(span: Span) -> str:
    count = 1 if span.max == 1 else 2
    if span.min == span.max:
        return ngettext("{n} month", "{n} months", count).format(n=f"{span.min:g}")
    return ngettext("{lo}–{hi} month", "{lo}–{hi} months", count).format(lo=f"{span.min:g}", hi=f"{span.max:g}")


class PathwayBuilder:
    """Chooses among a role's drafts and explains the choice: alternatives, limits, the years ahead."""

    def __init__(self, planner: Planner, role: Role, fits: bool, score: int) -> None:
        self.p = planner
        self.book = planner.book
        self.role = role
        self.fits = fits
        self.score = score
        self.budget = number(planner.start.get("budget_usd"))
        self.hours = number(planner.start.get("study_hours_per_week"))
        self._years = YearsAhead(planner, role, self.hours)
        qid, option = JOB_FIRST_WISH
        self.job_first = option in (planner.start.get(qid) or ())

    def build(self, drafts: list[Draft], preferred: Sequence[str], notes: Sequence[str],
              recommended: tuple[str, ...] = (), lean: bool = False) -> Pathway:
        """The recommended plan with its alternatives, limits and years ahead; with `lean`, the plan alone."""
        rank = {c: i for i, c in enumerate(preferred)}
        sums = {d.order: _totals(d) for d in drafts}

        def recommended_key(d: Draft) -> tuple[Any, ...]:
            # The credential ranked best, then routes through the programs recommended to the
            # person, then the lightest and quickest.
            # A plan that starts with the job leads only for a person who wants a first job soon.
            t = sums[d.order]
            uses = sum(1 for s in d.steps if s.kind in STUDY_KINDS and s.item in recommended)
            return (d.job_first != self.job_first, rank.get(d.credential or "", len(rank)), d.residual, -uses, t.heavy, len(t.unknown_time),
                    _top(t.months), _bottom(t.months), d.order)

        def fastest_key(d: Draft) -> tuple[Any, ...]:
            t = sums[d.order]
            return (d.residual, len(t.unknown_time), _top(t.months), _bottom(t.months), t.heavy, d.order)

        def cheapest_key(d: Draft) -> tuple[Any, ...]:
            t = sums[d.order]
            return (d.residual, len(t.unknown_cost), _top(t.cost), _bottom(t.cost), _top(t.months), d.order)

        def study_key(d: Draft) -> tuple[Any, ...]:
            t = sums[d.order]
            unknown = sum(1 for s in d.steps if s.kind in STUDY_KINDS and s.months is None)
            return (d.residual, unknown, _top(t.study), _top(t.months), d.order)

        main = self._with_course(min(drafts, key=recommended_key), recommended)
        if lean:
            return self._dress(main, _("recommended"))
        chosen: list[tuple[str, Draft]] = []

        def offer(label: str, draft: Draft) -> None:
            # One plan may be both the cheapest and the one with least study: name it once, for both.
            if draft.shape == main.shape:
                return
            for i, (old, d) in enumerate(chosen):
                if d.shape == draft.shape:
                    chosen[i] = (old if label in old else _("{first}, {second}").format(first=old, second=label), d)
                    return
            chosen.append((label, draft))

        def faster(d: Draft) -> bool:
            # Only claim what the sources show: sooner on sourced time, with no more unsourced steps.
            a, b = sums[d.order], sums[main.order]
            return len(a.unknown_time) <= len(b.unknown_time) and (
                _top(a.months) < _top(b.months) or (len(a.unknown_time) < len(b.unknown_time)
                                                    and _top(a.months) <= _top(b.months)))

        def cheaper(d: Draft) -> bool:
            a, b = sums[d.order], sums[main.order]
            return len(a.unknown_cost) <= len(b.unknown_cost) and (
                _top(a.cost) < _top(b.cost) or (len(a.unknown_cost) < len(b.unknown_cost)
                                                and _top(a.cost) <= _top(b.cost)))

        hired = [d for d in drafts if d.job_first]
        if hired:
            offer(_("job first"), min(hired, key=recommended_key))
        fastest = min(drafts, key=fastest_key)
        if not main.job_first and faster(fastest):  # nothing is faster than starting work now
            offer(_("fastest"), fastest)
        cheapest = min(drafts, key=cheapest_key)
        flags = self._budget_flags(sums[main.order])
        if self.budget is not None and not _fits(sums[main.order], self.budget):
            affordable = [d for d in drafts if _fits(sums[d.order], self.budget)]
            if affordable:
                best = min(affordable, key=cheapest_key)
                offer(_("cheapest, within your budget") if best is cheapest else _("within your budget"), best)
        if cheaper(cheapest):
            offer(_("cheapest"), cheapest)
        paced: Pathway | None = None
        study = self._study_flag(sums[main.order])
        slow = self._paced_draft(main) if study is not None and self.hours else None
        if study is not None:
            flags.append(study)
            least = min(drafts, key=study_key)
            if _top(sums[least.order].study) < _top(sums[main.order].study):
                offer(_("less study"), least)
            elif slow is not None:
                paced = self._paced(slow)
        if main.verified is None:
            sure = [d for d in drafts if d.verified and not d.residual]
            if sure:
                offer(_("sure route"), min(sure, key=recommended_key))
        alternatives = [self._dress(d, label) for label, d in chosen] + ([paced] if paced else [])
        # Below full-time study, the years ahead follow the person's own pace.
        years = self._years(slow, paced=True) if slow is not None else self._years(main)
        return replace(self._dress(main, _("recommended")), flags=tuple(flags),
                       notes=tuple(notes) + self._unshown(main) + self._credits(main),
                       alternatives=tuple(alternatives), years=years)

    def _with_course(self, d: Draft, recommended: tuple[str, ...]) -> Draft:
        """A recommended program that prepares for the plan's credential, put before its exam (not required).

        Some credentials ask for no training (the CPC), yet the rules may still recommend a
        course to someone with none; the plan then shows it, marked as recommended.
        """
        cred = d.credential
        if cred is None or d.job_first:
            return d
        cert = self.book.items[cred]
        ours = {cred, cert.issuer if isinstance(cert, Certification) else cred}
        exam = next((i for i, s in enumerate(d.steps) if s.kind in ("membership", "assessment") and s.item in ours),
                    None)
        if exam is None or any(s.kind != "membership" for s in d.steps[:exam]):
            return d  # the credential asks for something first, and the plan already does it
        taken = {s.item for s in d.steps + d.later}
        course = next((p for p in (self.book.items[i] for i in recommended if i in self.book.items)
                       if isinstance(p, Program) and cred in p.prepares_for and p.id not in taken), None)
        if course is None:
            return d
        name = self.book.item_name(course.id)
        months = Span(course.duration_months.min, course.duration_months.max) if course.duration_months else None
        cost = Span(course.cost_usd.min, course.cost_usd.max) if course.cost_usd else None
        sources = tuple(dict.fromkeys(s for r in (course.duration_months, course.cost_usd) if r for s in r.sources))
        step = PlanStep("program", _("Recommended, not required: complete {name}").format(name=name), course.id,
                        months, cost, None,
                        COURSE if course.level == "course" else CTDL["program"], (), "catalog" if months else None,
                        sources, _("{name} (recommended)").format(name=name), required=False)
        return replace(d, steps=d.steps[:exam] + (step,) + d.steps[exam:])

    def _dress(self, d: Draft, label: str) -> Pathway:
        t = _totals(d)
        return Pathway(self.role.id, self.role.name, d.steps, t.months, t.cost, len(t.unknown_cost),
                       len(t.unknown_time), label, self.fits, self.score, d.route, d.credential, d.credential_route,
                       d.verified, d.later, unknown_time=t.unknown_time, unknown_cost=t.unknown_cost,
                       job_first=d.job_first)

    def _credits(self, d: Draft) -> tuple[str, ...]:
        """A degree's length is quoted from scratch; college credit already earned may shorten it."""
        education = self.p.start.get("education")
        if education not in ("some_college", "associate"):
            return ()
        degrees = [s for s in d.steps if s.item is not None and s.item in self.book.items
                   and getattr(self.book.items[s.item], "level", None) == "bachelor"]
        if not degrees:
            return ()
        text = _("The {degree} is timed from the start; credits from your associate degree may transfer and shorten "
                 "it. How much transfers is up to the school, so ask before you enroll.") if education == "associate" \
            else _("The {degree} is timed from the start; credits from the college courses you have taken may "
                   "transfer and shorten it. How much transfers is up to the school, so ask before you enroll.")
        return (text.format(degree=degrees[0].label or degrees[0].text),)

    def _unshown(self, d: Draft) -> tuple[str, ...]:
        """Say which requirements the answers cannot confirm, and who decides them."""
        out = []
        for item_id, route_id in ((self.role.id, d.route), (d.credential, d.credential_route)):
            route = next((r.route for r in self.book.routes.get(item_id or "", ()) if r.route.id == route_id), None)
            if route is not None and route.when is None and item_id is not None:
                item = self.book.items[item_id]
                name, requirement = self.book.item_name(item_id), route.requirement.rstrip(".")
                if isinstance(item, Certification):
                    out.append(_("Your answers cannot show whether you meet this requirement for {name}, so {issuer} "
                                 "decides: {requirement}.").format(name=name, issuer=self.book.item_name(item.issuer),
                                                                   requirement=requirement))
                else:
                    out.append(_("Your answers cannot show whether you meet this requirement for {name}, so the "
                                 "school, employer or licensing board decides: {requirement}.").format(
                                     name=name, requirement=requirement))
        return tuple(out)

    def _budget_flags(self, t: Totals) -> list[str]:
        if self.budget is None:
            return []
        budget = _usd(self.budget)
        if t.cost is not None and t.cost.min > self.budget:
            return [_("Over your budget: the costs we can price come to {cost}, more than your {budget}.").format(
                cost=_usd_span(t.cost), budget=budget)]
        if t.cost is not None and t.cost.max > self.budget:
            return [_("May go over your budget: the costs we can price come to {cost}, against your {budget}.").format(
                cost=_usd_span(t.cost), budget=budget)]
        if t.unknown_cost:
            # Never a budget verdict that leaves out a cost: the unknown one may be the largest.
            steps = C.join_words([f"'{s}'" for s in t.unknown_cost])
            if t.cost:
                return [_("Cost unknown for {steps}: ask the school or issuer before you commit; the steps with a "
                          "known price come to {cost}.").format(steps=steps, cost=_usd_span(t.cost))]
            return [_("Cost unknown for {steps}: ask the school or issuer before you commit.").format(steps=steps)]
        return []

    def _study_flag(self, t: Totals) -> str | None:
        if self.hours is None or self.hours >= FULL_TIME_HOURS or t.study is None:
            return None
        if self.hours <= 0:
            return _("Study time: this plan includes {time} of programs, but you said you have no time to study each "
                     "week.").format(time=_month_span(t.study))
        return _("Study time: this plan includes {time} of programs quoted at full-time pace (at least {full} hours a "
                 "week, the federal definition of full-time study); at the {hours} hours a week you have, they will "
                 "take longer.").format(time=_month_span(t.study), full=FULL_TIME_HOURS, hours=f"{self.hours:g}")

    def _paced_draft(self, d: Draft) -> Draft:
        assert self.hours
        factor = FULL_TIME_HOURS / self.hours
        steps = tuple(replace(s, months=Span(float(math.ceil(s.months.min * factor)),
                                             float(math.ceil(s.months.max * factor))),
                              basis="pace")
                      if s.kind in STUDY_KINDS and s.months is not None else s for s in d.steps)
        return replace(d, steps=steps)

    def _paced(self, slow: Draft) -> Pathway:
        """The plan with its programs stretched to the person's study hours (an estimate)."""
        assert self.hours
        note = _("An estimate: program lengths multiplied by {full} ÷ {hours} (full-time hours over yours); part-time "
                 "schedules differ from school to school.").format(full=FULL_TIME_HOURS, hours=f"{self.hours:g}")
        return replace(self._dress(slow, _("at your pace")), notes=(note,))


def _totals(d: Draft) -> Totals:
    """A plan's time and cost; for a job-first plan, up to the credential it earns on the job."""
    return totals(d.steps + d.later if d.job_first else d.steps)


def _fits(t: Totals, budget: float) -> bool:
    """Surely within budget: every cost priced, and the highest total no more than the budget."""
    return not t.unknown_cost and (t.cost is None or t.cost.max <= budget)


# ------------------------------------------------------------------ public entry points
def plan_role(book: RuleBook, answers: Mapping[str, Any], role_id: str, recommendations: Sequence[Recommendation],
              excluded: Sequence[str] = (), fits: bool = True, score: int = 0,
              planner: Planner | None = None, lean: bool = False) -> Pathway:
    """The pathway to one role, with alternatives, limits and a 1-, 3- and 5-year view.

    With `lean`, the recommended steps alone: no alternatives, notes, flags or years ahead (what
    the plan summary reads).
    """
    planner = planner or Planner(book, answers)
    role = book.items[role_id]
    assert isinstance(role, Role)
    held = set(planner.start.get("certifications") or ())
    ranked = [r.id for r in recommendations if r.kind == "certification" and r.id in role.credentials]
    notes: list[str] = []
    already = [c for c in role.credentials if c in held]
    credentials: list[str] = []
    if already:
        notes.append(_("You already hold {credentials}, which employers look for in this role.").format(
            credentials=C.join_words([book.item_name(c) for c in already])))
    elif ranked:
        credentials = ranked
    elif fits:
        if role.credentials:
            names = C.join_words([book.item_name(c) for c in role.credentials], "or")
            notes.append(_("Employers in this role look for {credentials}; none of them fits your answers yet "
                           "({command} says why).").format(credentials=names, command="recommender explain ANSWERS ITEM"))
    else:
        credentials = [c for c in role.credentials if c not in excluded]
    if not fits:
        notes.insert(0, _("This role does not match your answers so far (fit score {score}); the plan shows what it "
                          "would take.").format(score=score))
    builder = PathwayBuilder(planner, role, fits, score)
    drafts = planner.drafts(role, credentials, builder.job_first if lean else None)
    # Best first, as ranked: the first recommended course that fits is the one the plan shows.
    recommended = tuple(dict.fromkeys(r.id for r in recommendations))
    return builder.build(drafts, credentials, notes, recommended, lean)


def plan_pathways(book: RuleBook, answers: Mapping[str, Any],
                  recommendations: Sequence[Recommendation], lean: bool = False) -> tuple[Pathway, ...]:
    """A pathway to each recommended role, in the order the roles are ranked (`lean`: see plan_role)."""
    planner = Planner(book, answers)
    return tuple(plan_role(book, answers, r.id, recommendations, (), True, r.score, planner, lean)
                 for r in recommendations if r.kind == "role")


def plan_for(book: RuleBook, result: Result, answers: Mapping[str, Any], role_id: str) -> Pathway:
    """The pathway to a role the person names, recommended or not."""
    rec = result.get(role_id)
    if rec is not None:
        return plan_role(book, answers, role_id, result.recommendations, (), True, rec.score)
    low = next((n for n in result.not_recommended if n.id == role_id), None)
    excluded = [n.id for n in result.not_recommended if n.reason == "excluded"]
    return plan_role(book, answers, role_id, result.recommendations, excluded, False, low.score if low else 0)


def replay(book: RuleBook, answers: Mapping[str, Any], steps: Sequence[Step]) -> Answers:
    """The answers after doing the steps in order, each checked against the questionnaire."""
    state: Answers = dict(answers)
    for step in steps:
        changes = dict(step.changes) if isinstance(step, PlanStep) else {}
        resolved, problems = resolve(book, {**state, **changes})
        if problems:
            raise ValueError(f"step '{step.text}' leaves invalid answers: {problems}")
        state = resolved
    return state
