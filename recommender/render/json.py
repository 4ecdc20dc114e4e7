"""The JSON report (a public contract: keys may be added, never renamed)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from recommender.book.rulebook import RuleBook
from recommender.book.runtime import Source
from recommender.engine.result import (
    CitedText,
    NotRecommended,
    Pathway,
    PlanStep,
    Reason,
    Recommendation,
    Result,
    RoleCard,
    RouteCheck,
    Span,
    Step,
    Summary,
)
from recommender.render import jsontext

SCHEMA_VERSION = 1


def to_data(result: Result, book: RuleBook) -> dict[str, Any]:
    """The report as plain data, in a fixed key order."""
    used: list[str] = []

    def cite(ids: tuple[str, ...]) -> list[str]:
        for sid in ids:
            if sid not in used:
                used.append(sid)
        return list(ids)

    data = _report(result, book, cite, PLAIN, whole=True)
    data["sources"] = {sid: source_data(s) for sid in used if (s := book.sources.get(sid)) is not None}
    return data


def record_data(result: Result, book: RuleBook, parts: Parts) -> dict[str, Any]:
    """The report without its name and book-level parts (context, sources), for one line of a batch.

    `parts` builds the parts many reports share (see recommender.render.jsonparts), so they may be
    encoded JSON text to splice in; `jsontext.compact` writes them as if they were plain data.
    """
    return _report(result, book, _uncited, parts, whole=False)


def _uncited(ids: tuple[str, ...]) -> list[str]:
    return list(ids)


class Parts:
    """Builds each part of a report that many reports share, as plain data."""

    def role(self, card: RoleCard, cite: Callable[[tuple[str, ...]], list[str]]) -> Any:
        return role_data(card, cite)

    def eligibility(self, checks: tuple[RouteCheck, ...]) -> Any:
        return [_route(c) for c in checks]

    def step(self, step: Step) -> Any:
        return _step(step)

    def sources(self, ids: tuple[str, ...], cite: Callable[[tuple[str, ...]], list[str]]) -> Any:
        return cite(ids)

    def not_recommended(self, n: NotRecommended) -> Any:
        return {"id": n.id, "kind": n.kind, "name": n.name, "short_name": n.short_name, "why_not": n.why_not,
                "reason": n.reason, "score": n.score, "status": n.status, "rules": list(n.rules),
                "would_change": list(n.would_change)}


PLAIN = Parts()


def _report(result: Result, book: RuleBook, cite: Callable[[tuple[str, ...]], list[str]], parts: Parts,
            whole: bool) -> dict[str, Any]:
    """The report; `whole` adds its name and the labour-market context (the caller adds the sources)."""
    labels = book.report
    cards = {c.id: c for c in result.summary.roles} if result.summary else {}
    recs = [_rec(r, cite, labels.fit_label(r.score), cards.get(r.id), parts) for r in result.recommendations]
    # The order of cite() calls is the order of `sources`: recommendations, context, summary, pathways.
    context = [{"id": f.id, "topic": f.topic, "text": f.value, "confidence": f.confidence,
                "sources": cite(f.sources), **({"note": f.note} if f.note else {})} for f in book.market] if whole else []
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "lang": book.lang}
    if whole:
        data["name"] = result.name
    data.update({
        "answers": dict(result.answers),
        "answers_ignored": list(result.ignored),
        "summary": summary_data(result.summary, cite, parts) if result.summary else None,
        "recommendations": recs,
        "not_recommended": [parts.not_recommended(n) for n in result.not_recommended],
        "pathways": [pathway_data(p, cite) for p in result.pathways],
        "advice": [parts.step(s) for s in result.advice],
        "fired_rules": list(result.fired),
        "facts": list(result.facts),
    })
    if whole:
        data["context"] = context
    return data


def render_json(result: Result, book: RuleBook) -> str:
    return jsontext.pretty(to_data(result, book)) + "\n"


def summary_data(s: Summary, cite: Callable[[tuple[str, ...]], list[str]], parts: Parts = PLAIN) -> dict[str, Any]:
    """The plan a report leads with (the contract's `summary` object, plus `roles`)."""
    first = s.first_step
    return {
        "best_role": parts.role(s.best_role, cite) if s.best_role else None,
        "first_step": None if first is None else {
            "text": first.text, "item": first.item, "duration_months": _pair(first.months),
            "cost_usd": _pair(first.cost_usd), "cost_unknown": first.cost_unknown, "why": first.why,
            "why_rule": first.why_rule},
        "then": list(s.then),
        "alternatives": [{"role": a.role, "name": a.name, "first_step": a.first_step} for a in s.alternatives],
        "fit_legend": s.fit_legend,
        "roles": [parts.role(c, cite) for c in s.roles],
    }


def role_data(c: RoleCard, cite: Callable[[tuple[str, ...]], list[str]]) -> dict[str, Any]:
    pay = None if c.pay is None else {
        "value_usd": c.pay.value_usd, "period": c.pay.period, "year": c.pay.year, "statistic": c.pay.statistic,
        "p10_usd": c.pay.p10_usd, "p90_usd": c.pay.p90_usd, "group": c.pay.group, "confirmed": c.pay.confirmed,
        "sources": cite(c.pay.sources)}
    return {
        "id": c.id, "name": c.name, "fit": c.fit, "description": c.description, "pay": pay,
        "outlook": _cited_text(c.outlook, cite), "entry_education": _cited_text(c.entry_education, cite),
        "apply_now": c.apply_now, "first": c.first,
    }


def _cited_text(t: CitedText | None, cite: Callable[[tuple[str, ...]], list[str]]) -> dict[str, Any] | None:
    return None if t is None else {"text": t.text, "sources": cite(t.sources), "confidence": t.confidence}


def _pair(s: Span | None) -> list[float] | None:
    return None if s is None else [s.min, s.max]


def _rec(r: Recommendation, cite: Callable[[tuple[str, ...]], list[str]], fit: str, card: RoleCard | None,
         parts: Parts) -> dict[str, Any]:
    return {
        "id": r.id, "kind": r.kind, "name": r.name, "short_name": r.short_name, "score": r.score, "fit": fit,
        "status": r.status,
        "reasons": [_reason(x) for x in r.reasons],
        "next_steps": [parts.step(s) for s in r.next_steps],
        "route": r.route,
        "eligibility": parts.eligibility(r.routes),
        "provisional": r.provisional,
        "sources": parts.sources(r.sources, cite),
        **({"role": parts.role(card, cite)} if card is not None else {}),
    }


def _reason(r: Reason) -> dict[str, Any]:
    return {"rule": r.rule, "text": r.text, "points": r.points, "answers": dict(r.answers)}


def _span(s: Span | None) -> dict[str, float] | None:
    return None if s is None else {"min": s.min, "max": s.max}


def _step(s: Step) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": s.kind, "text": s.text, "item": s.item,
                           "duration_months": _span(s.months), "cost_usd": _span(s.cost_usd)}
    if s.rule:
        out["rule"] = s.rule
    if s.cites:
        out["sources"] = list(s.cites)
    return out


def _route(c: RouteCheck) -> dict[str, Any]:
    return {"route": c.id, "requirement": c.requirement, "met": c.met, "offered": c.offered,
            "remaining": [_step(s) for s in c.remaining]}


def pathway_data(p: Pathway, cite: Callable[[tuple[str, ...]], list[str]] | None = None) -> dict[str, Any]:
    """A pathway as plain data; each step says its kind, CTDL component, item, time, cost and answer changes."""
    cite = cite or (lambda ids: list(ids))
    data: dict[str, Any] = {
        "role": p.role, "name": p.name, "steps": [_plan_step(s, cite) for s in p.steps],
        "total_months": _span(p.months), "total_cost_usd": _span(p.cost_usd),
        "steps_without_duration": p.unknown_time_steps, "steps_without_cost": p.unknown_cost_steps,
        "label": p.label, "job_first": p.job_first, "fits": p.fits, "score": p.score, "route": p.route, "credential": p.credential,
        "credential_route": p.credential_route, "verified": p.verified,
        "later": [_plan_step(s, cite) for s in p.later],
        "unsourced_duration": list(p.unknown_time), "unsourced_cost": list(p.unknown_cost),
        "flags": list(p.flags), "notes": list(p.notes),
        "alternatives": [pathway_data(a, cite) for a in p.alternatives],
        "years": [{"year": v.year, "summary": v.summary, "done": list(v.done), "underway": list(v.underway),
                   "working": v.working, "open_roles": list(v.open_roles)} for v in p.years],
    }
    return data


def _plan_step(s: Step, cite: Callable[[tuple[str, ...]], list[str]]) -> dict[str, Any]:
    out = _step(s)
    if isinstance(s, PlanStep):
        out.update({"label": s.label, "required": s.required, "ctdl": s.ctdl, "duration_basis": s.basis,
                    "changes": {q: v for q, v in s.changes}, "sources": cite(s.sources)})
    return out


def render_pathways_json(pathways: Sequence[Pathway], book: RuleBook, name: str | None) -> str:
    """The JSON output of `recommender path`: the pathways and the sources their steps cite."""
    used: list[str] = []

    def cite(ids: tuple[str, ...]) -> list[str]:
        used.extend(sid for sid in ids if sid not in used)
        return list(ids)

    paths = [pathway_data(p, cite) for p in pathways]
    data = {"schema_version": SCHEMA_VERSION, "lang": book.lang, "name": name, "pathways": paths,
            "sources": {sid: source_data(s) for sid in used if (s := book.sources.get(sid)) is not None}}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def source_data(s: Source) -> dict[str, object]:
    """A source as JSON: `checked` is null when the page was never read."""
    return {"title": s.title, "url": s.url, "checked": s.checked.isoformat() if s.checked is not None else None,
            **({"publisher": s.publisher} if s.publisher else {}), **({"kind": s.kind} if s.kind else {}),
            **({"as_of": s.as_of} if s.as_of else {}), **({"quoted_from": s.quoted_from} if s.quoted_from else {}),
            **({"note": s.note} if s.note else {})}
