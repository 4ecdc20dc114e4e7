"""Why an item is or is not recommended: every rule that touched it, its routes, and what would change it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from recommender.book.answers import Profile
from recommender.book.rulebook import RuleBook
from recommender.engine.compiled import plan as compile_book
from recommender.engine.counterfactual import (
    Counterfactual,
    Unmet,
    counterfactuals,
    plain,
    unmet,
    unmet_words,
)
from recommender.engine.plan import Planner
from recommender.engine.recommend import answer_text, condition_words, recommend
from recommender.engine.result import (
    AFTER,
    READY,
    NotRecommended,
    Recommendation,
    Result,
    Status,
    Step,
)
from recommender.engine.simulate import (
    State,
)
from recommender.i18n import N_, _, ngettext

#: Each kind's plural, its 'can start' and its 'cannot start yet' words (translated where shown).
PLURALS = {"certification": N_("certifications"), "program": N_("programs and degrees"), "role": N_("roles")}
CAN = {"certification": N_("You can sit for it now"), "program": N_("You can enroll now"), "role": N_("You can apply now")}
KIND_WORDS = {"certification": N_("certification"), "program": N_("program"), "role": N_("role")}
CANNOT = {"certification": N_("You cannot sit for it yet"), "program": N_("You cannot enroll yet"),
          "role": N_("You cannot apply yet")}


@dataclass(frozen=True)
class RuleEffect:
    """A rule that touched the item (fired) or could have (would add points)."""

    rule: str
    fired: bool
    points: int
    excludes: bool
    text: str  # the rule's reason if it fired; its condition in words if not
    answers: tuple[tuple[str, Any], ...]  # (question id, answer) the rule read
    unmet: tuple[Unmet, ...] = ()
    actionable: bool = True  # False: only a change of interests, goals or limits would make it apply


@dataclass(frozen=True)
class RouteWhy:
    id: str
    requirement: str
    met: bool | None  # None: the answers cannot show it
    offered: bool
    unmet: tuple[Unmet, ...]
    remaining: tuple[Step, ...]
    described_only: bool = False  # no condition and no steps: the catalog only describes this case


@dataclass(frozen=True)
class Explanation:
    item: str
    kind: str
    name: str
    short_name: str
    verdict: str  # recommended | not recommended | excluded | held
    status: Status
    score: int
    rank: int | None  # among the recommended items of its kind
    shown: int  # how many items of its kind are recommended
    shown_scores: tuple[int, int] | None  # lowest and highest score shown for its kind
    summary: str
    rules: tuple[RuleEffect, ...]
    could_add: tuple[RuleEffect, ...]
    routes: tuple[RouteWhy, ...]
    next_steps: tuple[Step, ...]
    provisional: str | None
    counterfactuals: tuple[Counterfactual, ...]
    goal: str | None  # what the counterfactuals aim at: 'ready' or 'recommended'
    person: str | None = None


def explain(book: RuleBook, profile: Profile, item_id: str, result: Result | None = None,
            search: bool = True) -> Explanation:
    """Why an item is or is not recommended for a person, and what they could change."""
    result = result or recommend(book, profile)
    item = book.items[item_id]
    sim = Planner(book, profile.answers)
    state = sim.start
    rec = result.get(item_id)
    low = next((n for n in result.not_recommended if n.id == item_id), None)
    name = book.item_name(item_id)
    fired = set(result.fired)
    words = {q: answer_text(book, q, profile.answers.get(q)) for q in book.question_info}
    rules, could = [], []
    for rule in book.rules:
        points = rule.rule.points.get(item_id, 0)
        excludes = item_id in rule.rule.exclude
        steps = any(s.item == item_id for s, _ in rule.next_steps)
        if not (points or excludes or steps):
            continue
        read = tuple((q, plain(profile.answers.get(q))) for q in rule.reads)
        if rule.id in fired:
            rules.append(RuleEffect(rule.id, True, points, excludes, rule.reason(item_id).render(words.__getitem__), read))
        elif points > 0:
            could.append(RuleEffect(rule.id, False, points, False, condition_words(book, rule.when), read,
                                    unmet(book, rule.when, state, sim), sim.satisfy(rule.when, state) is not None))
    could.sort(key=lambda r: -r.points)
    routes = _routes(book, item_id, state, sim)
    same = result.by_kind(item.kind)
    scores = [r.score for r in same]
    verdict = "recommended" if rec else (low.reason.replace("low_score", "not recommended") if low else
                                         "not recommended")
    status: Status = rec.status if rec else (low.status if low else (READY if sim.eligible(item_id, state) else AFTER))
    score = rec.score if rec else (low.score if low else 0)
    rank = next((i for i, r in enumerate(same, 1) if r.id == item_id), None)
    goal = None if verdict == "held" or (rec is not None and rec.status == READY) else \
        ("ready" if rec is not None else "recommended")
    found = counterfactuals(book, profile, item_id, result) if search and goal else ()
    summary = _summary(book, item_id, name, verdict, status, score, rank, len(same), scores, rec, low, routes,
                       rules)
    return Explanation(item_id, item.kind, item.name, name, verdict, status, score, rank, len(same),
                       (min(scores), max(scores)) if scores else None, summary, tuple(rules), tuple(could),
                       routes, rec.next_steps if rec else (), rec.provisional if rec else None, found, goal,
                       result.name)


def _routes(book: RuleBook, item_id: str, state: State, planner: Planner) -> tuple[RouteWhy, ...]:
    compiled = compile_book(book).routes.get(item_id, ())
    out = []
    for route, (when, relevant, _steps) in zip(book.routes.get(item_id, ()), compiled):
        met = bool(when(state.env)) if when is not None else None
        offered = bool(relevant(state.env)) if relevant is not None else (when is not None or bool(route.steps))
        gaps = unmet(book, route.when, state, planner) if route.when is not None and not met else ()
        way = planner.follow(item_id, route, state) if offered and not met else None
        out.append(RouteWhy(route.route.id, route.route.requirement, met, offered, gaps, way.steps if way else (),
                            route.when is None and not route.steps and route.relevant_if is None))
    return tuple(out)


def _summary(book: RuleBook, item_id: str, name: str, verdict: str, status: Status, score: int, rank: int | None,
             shown: int, scores: Sequence[int], rec: Recommendation | None, low: NotRecommended | None,
             routes: Sequence[RouteWhy], rules: Sequence[RuleEffect]) -> str:
    kind = book.items[item_id].kind
    plural = _(PLURALS[kind]) if kind in PLURALS else _("items")
    if verdict == "held":
        return _("You already hold the {name}, so it is not recommended again.").format(name=name)
    parts: list[str] = []
    if verdict == "excluded":
        rule_ids = ", ".join(f"'{r}'" for r in (low.rules if low else ()))
        parts.append(_("Not recommended: rule {rules} rules it out. {why}").format(
            rules=rule_ids, why=low.why_not if low else "").strip())
    elif verdict == "recommended":
        parts.append(_("Recommended: number {rank} of {shown} {kinds}, with a fit score of {score}.").format(
            rank=rank, shown=shown, kinds=plural, score=score))
    else:
        shown_words = (_("the {n} {kinds} shown scored {low} to {high}").format(
                           n=shown, kinds=plural, low=min(scores), high=max(scores)) if shown > 1 else
                       _("the one shown scored {score}").format(score=scores[0]) if shown else
                       _("no {kind} was shown").format(kind=_(KIND_WORDS[kind]) if kind in KIND_WORDS else kind))
        if score < 1:
            gap = ngettext("{n} point short of being shown", "{n} points short of being shown", 1 - score).format(
                n=1 - score)
            parts.append(_("Not recommended: its fit score is {score}, {gap}; {shown}.").format(
                score=score, gap=gap, shown=shown_words))
        else:
            parts.append(_("Not recommended: its fit score is {score}; {shown}.").format(score=score, shown=shown_words))
        against = [r for r in rules if r.points < 0]
        if against:
            parts.append(_("Against it: {reasons}").format(reasons=" ".join(r.text for r in against)))
        elif not any(r.points > 0 for r in rules):
            parts.append(_("No rule that favors it matched your answers."))
    if status == READY:
        met = next((r for r in routes if r.met), None)
        can = _(CAN[kind]) if kind in CAN else _("You can start it now")
        parts.append(_("{can} ({requirement}).").format(can=can, requirement=met.requirement.rstrip(".")) if met else
                     _("Nothing stands between you and starting it."))
    else:
        offered = [r for r in routes if r.offered]
        closest = min((r for r in offered if r.met is False), key=lambda r: len(r.unmet), default=None)
        no = _(CANNOT[kind]) if kind in CANNOT else _("You cannot start it yet")
        if closest is not None and closest.unmet:
            parts.append(_("{cannot}: {unmet}.").format(
                cannot=no, unmet=_("; and ").join(unmet_words(u, name) for u in closest.unmet)))
            unshown = [r for r in offered if r.met is None]
            if unshown:
                parts.append(_("Another route may apply that your answers cannot show: {requirement}.").format(
                    requirement=unshown[0].requirement.rstrip(".")))
        elif offered:
            parts.append(_("{cannot} as far as your answers show: they cannot show whether you meet its requirements, "
                           "so the issuer, school or licensing board decides (see the routes below).").format(cannot=no))
        else:
            parts.append(_("{cannot}: none of its routes applies to your answers.").format(cannot=no))
    return " ".join(parts)
