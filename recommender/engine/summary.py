"""The plan a report leads with, built from the ranked result and its pathways.

The best-fitting role is the first recommended role that has a pathway; its first step is
what to do this month, the rest of its steps (and what comes after the job starts) follow,
and the next roles are the alternatives. Every text comes from the catalog, a rule or a
planned step: nothing here writes advice of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from recommender.book.rulebook import RuleBook
from recommender.book.runtime import Role
from recommender.engine.memo import memo
from recommender.engine.result import (
    Alternative,
    CitedText,
    FirstStep,
    Pathway,
    PayFigure,
    Reason,
    Recommendation,
    RoleCard,
    Step,
    Summary,
    step_label,
)
from recommender.engine.simulate import COST_KINDS

MAX_ALTERNATIVES = 2
WISHES = frozenset({"goals", "interests"})


#: The reason to give for an item, when the recommendations were built without their reasons
#: (None: no rule gave it points).
ReasonFor = Callable[[str], "Reason | None"]


def summarize(book: RuleBook, recs: Sequence[Recommendation], pathways: Sequence[Pathway],
              reason_for: ReasonFor | None = None) -> Summary:
    """The plan for a result: best role, first step, then, alternatives, and a card per role."""
    planned = {p.role: p for p in pathways if p.fits}
    cards = tuple(role_card(book, r, planned.get(r.id)) for r in recs if r.kind == "role")
    best = next((c for c in cards if c.id in planned), None)
    legend: str = memo(book).get("legend", None, book.report.legend)
    firsts = _firsts(pathways)
    if best is None:
        return Summary(None, None, (), (), legend, cards, firsts)
    path = planned[best.id]
    first = _first_step(book, recs, path, reason_for)
    then = tuple(_step_text(s) for s in path.steps[1:]) + tuple(_step_text(s) for s in path.later)
    alternatives = tuple(Alternative(c.id, c.name, _step_text(planned[c.id].steps[0]))
                         for c in cards if c.id in planned and c.id != best.id)[:MAX_ALTERNATIVES]
    return Summary(best, first, then, alternatives, legend, cards, firsts)


def _firsts(pathways: Sequence[Pathway]) -> dict[str, str]:
    """For each credential a plan earns, the plan's first step toward it, when one comes before its exam."""
    out: dict[str, str] = {}
    for path in pathways:
        if path.credential is None or path.credential in out:
            continue
        steps = path.steps + path.later
        exam = next((i for i, s in enumerate(steps) if s.kind == "assessment" and s.item == path.credential), None)
        before = [s for s in steps[:exam] if s.kind != "job"] if exam is not None else []
        if before:
            out[path.credential] = step_label(before[0])
    return out



def role_card(book: RuleBook, rec: Recommendation, path: Pathway | None) -> RoleCard:
    """A recommended role as a person should see it: fit, pay, outlook, entry education, readiness."""
    before = [s for s in path.steps if s.kind != "job"] if path is not None else []
    first = step_label(before[0]) if before else None
    # What the catalog says of the role is the same in every card: made once per book and language.
    name, description, pay, outlook, entry = memo(book).get("role-card", rec.id, lambda: _role_facts(book, rec.id))
    return RoleCard(rec.id, name, book.report.fit_label(rec.score), description, pay, outlook, entry,
                    None if path is None else not before, first)


def _role_facts(book: RuleBook, role_id: str) -> tuple[str, str, PayFigure | None, CitedText | None, CitedText | None]:
    role = book.items[role_id]
    assert isinstance(role, Role)
    return (role.name, _first_sentence(role.description), pay_figure(role), _cited(role.outlook),
            _cited(getattr(role, "entry_education", None)))


def pay_figure(role: Role) -> PayFigure | None:
    """The role's one pay figure, if the catalog gives one."""
    pay: Any = role.pay_usd
    if pay is None or not hasattr(pay, "value_usd"):
        return None
    return PayFigure(float(pay.value_usd), str(pay.period), int(str(pay.as_of)[:4]), str(pay.statistic),
                     tuple(pay.sources), pay.p10_usd, pay.p90_usd, pay.group, pay.confidence == "confirmed")


def _cited(fact: Any) -> CitedText | None:
    if fact is None:
        return None
    return CitedText(str(fact.value), tuple(fact.sources), str(fact.confidence))


def _first_step(book: RuleBook, recs: Sequence[Recommendation], path: Pathway,
                reason_for: ReasonFor | None = None) -> FirstStep:
    step = path.steps[0]
    # Why this step: the strongest reason of the item it works toward (the step's own item if
    # it is recommended, else the credential the plan earns, else the role).
    by_id = {r.id: r for r in recs}
    reason = None
    for item_id in (step.item, path.credential, path.role):
        rec = by_id.get(item_id or "")
        if rec is None:
            continue
        if reason_for is not None:
            reason = reason_for(rec.id)
        elif rec.reasons:
            # A reason drawn from what the person wants explains a first step best.
            reason = next((r for r in rec.reasons if any(q in WISHES for q, _ in r.answers)), rec.reasons[0])
        if reason is not None:
            break
    unknown = step.kind in COST_KINDS and step.cost_usd is None
    return FirstStep(_step_text(step), step.kind, step.item, step.months, step.cost_usd, unknown,
                     reason.text if reason else "", reason.rule if reason else None)


def _step_text(step: Step) -> str:
    return step.text


def _first_sentence(text: str) -> str:
    """The description's first sentence: one line in a short report."""
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end < 0 else text[:end + 1]
