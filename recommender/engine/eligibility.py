"""What a person still needs for an item: each eligibility route checked, the steps left, the exam.

The conditions are tested for each person; the route checks and steps that follow from their
outcomes are built once per book and language (recommender.engine.memo) and shared.
"""

from __future__ import annotations

from typing import Any

from recommender.book.conditions import join_words
from recommender.book.plain import Plain
from recommender.book.rulebook import CompiledRoute, RuleBook
from recommender.book.runtime import Certification, CitedRange, Item
from recommender.engine.changewords import exam_words
from recommender.engine.compiled import Env, plan
from recommender.engine.memo import memo
from recommender.engine.result import AFTER, READY, RouteCheck, Span, Status, Step
from recommender.i18n import _, in_sentence


def item_label(item: Item) -> str:
    """The name a report uses for an item: its short name, else its name."""
    return item.short_name or item.name


def eligibility(book: RuleBook, env: Env, item: Item) -> tuple[Status, str | None, tuple[RouteCheck, ...],
                                                              tuple[Step, ...]]:
    """Status, the route met or followed, every route checked, and the steps still to take.

    The conditions are tested for each person; what follows from their outcomes is the same for
    everyone with the same outcomes, so it is built once per book and language (recommender.engine.memo).
    """
    routes = book.routes.get(item.id, ())
    if not routes:
        return READY, None, (), ()
    outcomes = []
    for when, relevant, unless in env.plan.routes.get(item.id, ()):
        met = bool(when(env)) if when is not None else None
        offered = bool(relevant(env)) if relevant is not None else when is not None
        skipped = () if met else tuple(skip is not None and bool(skip(env)) for skip in unless)
        outcomes.append((met, offered, skipped))
    found: tuple[Status, str | None, tuple[RouteCheck, ...], tuple[Step, ...]] = memo(book).get(
        "eligibility", (item.id, tuple(outcomes)), lambda: _checked(book, routes, outcomes))
    return found


def _checked(book: RuleBook, routes: tuple[CompiledRoute, ...],
             outcomes: list[tuple[bool | None, bool, tuple[bool, ...]]]) -> tuple[Status, str | None,
                                                                                  tuple[RouteCheck, ...], tuple[Step, ...]]:
    """What `_eligibility` returns for routes whose conditions came out as `outcomes` (met, offered, steps skipped)."""
    checks: list[RouteCheck] = []
    best: tuple[int, int, RouteCheck] | None = None
    met_route: str | None = None
    for index, (route, (met, offered, skipped)) in enumerate(zip(routes, outcomes)):
        remaining = tuple(_cached_step(book, s.step) for s, skip in zip(route.steps, skipped)
                          if not skip) if not met else ()
        if not met and offered and not remaining:
            remaining = (Step("other", _("Meet this requirement: {requirement}").format(
                requirement=route.route.requirement)),)
        check = RouteCheck(route.route.id, route.route.requirement, met, offered, remaining)
        checks.append(check)
        if met and met_route is None:
            met_route = route.route.id
        if offered and not met and (best is None or _effort(remaining) < best[0]):
            best = (_effort(remaining), index, check)
    if met_route is not None:
        return READY, met_route, tuple(checks), ()
    if best is None:
        return AFTER, None, tuple(checks), (Step("other", _("Check the requirements with the issuer; "
                                                   "your answers do not show a way to qualify yet.")),)
    return AFTER, best[2].id, tuple(checks), best[2].remaining


HEAVY_STEPS = ("program", "credential", "experience")


def _effort(steps: tuple[Step, ...]) -> int:
    """How much a route still asks: programs, credentials and work weigh more than an application."""
    return sum(10 if s.kind in HEAVY_STEPS else 1 for s in steps)


def _cached_step(book: RuleBook, step: Any) -> Step:
    # Keyed by id(): the book keeps its catalog steps alive as long as the memo.
    found: Step = memo(book).get("step", id(step), lambda: _step(book, step))
    return found


def _step(book: RuleBook, step: Any) -> Step:
    if step.item is not None:
        target = book.items[step.item]
        text = {"certification": _("Earn {name}"), "role": _("Work as {name}")}.get(target.kind, _("Complete {name}"))
        kind = {"certification": "credential", "program": "program", "role": "experience"}.get(target.kind, "other")
        months = _span(getattr(target, "duration_months", None)) or _span(step.duration_months)
        cost = _span(getattr(target, "cost_usd", None)) or _span(getattr(target, "fee_usd", None)) or _span(step.cost_usd)
        name = in_sentence(item_label(target)) if target.kind == "role" else item_label(target)
        return Step(kind, text.format(name=name), step.item, months, cost)
    return Step(step.type or "other", step.action, None, _span(step.duration_months), _span(step.cost_usd))


def _span(r: CitedRange | None) -> Span | None:
    return Span(r.min, r.max) if r is not None else None


def ready_steps(book: RuleBook, env: Env, item: Item, status: Status) -> list[Step]:
    if not isinstance(item, Certification):
        return []
    steps: tuple[Step, ...] = memo(book).get("ready", (item.id, status), lambda: _exam_steps(book, item, status))
    return list(steps)


def _exam_steps(book: RuleBook, item: Certification, status: Status) -> tuple[Step, ...]:
    """Joining the issuer where it asks for membership, then registering for the exam."""
    issuer = book.item_name(item.issuer)
    steps = []
    if item.membership is not None:
        steps.append(Step("membership", _("Join {issuer}: {membership}").format(
            issuer=issuer, membership=item.membership.value), item.issuer))
    steps.append(Step("assessment", exam_words(item_label(item), issuer, item, then=status != READY), item.id,
                      None, _span(item.fee_usd)))
    return tuple(steps)


def provisional_text(book: RuleBook, env: Env, item: Item) -> str | None:
    for index, (prov, test) in enumerate(zip(book.provisional.get(item.id, ()), env.plan.provisional.get(item.id, ()))):
        if test(env):
            p = prov.provisional
            text: str = memo(book).get("provisional", (item.id, index), lambda: _(
                "You would start as {status}: {description} To remove it: {removal}").format(
                status=p.name, description=p.description, removal=join_words(list(p.removal), "or")))
            return text
    return None


def sources_for(book: RuleBook, item: Item, route_id: str | None) -> tuple[str, ...]:
    def build() -> tuple[str, ...]:
        first = _route_sources(book, item, route_id)
        return first + tuple(s for s in _cached_sources(book, item) if s not in first)

    found: tuple[str, ...] = memo(book).get("sources", (item.id, route_id), build)
    return found


def _route_sources(book: RuleBook, item: Item, route_id: str | None) -> tuple[str, ...]:
    for route in item.eligibility:
        if route.id == route_id:
            return tuple(route.sources)
    return ()


def _cached_sources(book: RuleBook, item: Item) -> tuple[str, ...]:
    cache = plan(book).item_sources
    if item.id not in cache:
        cache[item.id] = _item_sources(item)
    return cache[item.id]


def _item_sources(item: Item) -> tuple[str, ...]:
    found: list[str] = []

    def walk(obj: Any) -> None:
        if isinstance(obj, Plain):
            for name in obj.FIELDS:
                value = getattr(obj, name)
                if name == "sources" and isinstance(value, tuple):
                    found.extend(v for v in value if v not in found)
                else:
                    walk(value)
        elif isinstance(obj, tuple):
            for v in obj:
                walk(v)

    walk(item)
    return tuple(found)
