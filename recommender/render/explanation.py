"""An explanation (`recommender explain`) as plain data and as JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recommender.engine.explain import Explanation


def to_data(e: Explanation) -> dict[str, Any]:
    """The explanation as plain data, keys in a fixed order."""
    from recommender.render.json import _plan_step

    def cite(ids: tuple[str, ...]) -> list[str]:
        return list(ids)

    def unmet(us: Any) -> list[dict[str, Any]]:
        return [{"needs": u.needs, "said": list(u.said), "questions": list(u.questions)} for u in us]

    return {
        "item": e.item, "kind": e.kind, "name": e.name, "short_name": e.short_name, "person": e.person,
        "verdict": e.verdict, "status": e.status, "score": e.score, "rank": e.rank, "shown": e.shown,
        "shown_scores": list(e.shown_scores) if e.shown_scores else None, "summary": e.summary,
        "rules": [{"rule": r.rule, "fired": r.fired, "points": r.points, "excludes": r.excludes, "text": r.text,
                   "answers": dict(r.answers)} for r in e.rules],
        "could_add": [{"rule": r.rule, "points": r.points, "when": r.text, "answers": dict(r.answers),
                       "unmet": unmet(r.unmet), "actionable": r.actionable} for r in e.could_add],
        "eligibility": [{"route": r.id, "requirement": r.requirement, "met": r.met, "offered": r.offered,
                         "described_only": r.described_only,
                         "unmet": unmet(r.unmet), "remaining": [_plan_step(s, cite) for s in r.remaining]}
                        for r in e.routes],
        "next_steps": [_plan_step(s, cite) for s in e.next_steps],
        "provisional": e.provisional,
        "goal": e.goal,
        "counterfactuals": [{"changes": [{"id": c.id, "text": c.text, "item": c.item,
                                          "answers": {q: v for q, v in c.changes},
                                          "duration_months": None if c.months is None else
                                          {"min": c.months.min, "max": c.months.max}} for c in cf.changes],
                             "status": cf.status, "score": cf.score, "recommended": cf.recommended,
                             "checked_answers": dict(cf.answers)} for cf in e.counterfactuals],
    }


def render_json(e: Explanation) -> str:
    from recommender.i18n import current_lang

    return json.dumps({"lang": current_lang(), **to_data(e)}, indent=2, ensure_ascii=False) + "\n"
