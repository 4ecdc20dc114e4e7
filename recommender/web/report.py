"""The report page's content, built from the JSON report (`render.json.to_data`) and nothing else.

The plan at the top comes from the report's `summary` when it has one; without it the page
starts with the lists. Texts a person reads are in the templates; this module only arranges data.
"""

from __future__ import annotations

from typing import Any

from recommender.book.rulebook import RuleBook
from recommender.book.runtime import Certification, Organization
from recommender.i18n import N_, _, money, ngettext
from recommender.web.svg import pathway_svg

KINDS = (("certification", N_("Certifications")), ("program", N_("Programs and degrees")), ("role", N_("Roles")))
STATUS = {"ready": N_("Ready to start now"), "after_prerequisites": N_("After the steps that must come first")}
#: A role's pay as one phrase: (statistic, period, confirmed) → words around the amount and what it is about.
PAY = {
    ("median", "year", True): N_("median pay {amount} a year ({about})"),
    ("median", "year", False): N_("median pay about {amount} a year ({about})"),
    ("median", "hour", True): N_("median pay {amount} an hour ({about})"),
    ("median", "hour", False): N_("median pay about {amount} an hour ({about})"),
    ("mean", "year", True): N_("average pay {amount} a year ({about})"),
    ("mean", "year", False): N_("average pay about {amount} a year ({about})"),
    ("mean", "hour", True): N_("average pay {amount} an hour ({about})"),
    ("mean", "hour", False): N_("average pay about {amount} an hour ({about})"),
}


def span(value: Any, dollars: bool = False) -> str:
    """{min, max} or [lo, hi] as words: '9–12 months', '$117–$129'; empty when unknown."""
    if isinstance(value, dict):
        lo, hi = value.get("min"), value.get("max")
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        lo, hi = value
    else:
        return ""
    if not isinstance(lo, (int, float)) or not isinstance(hi, (int, float)):
        return ""
    if dollars:
        return money(lo) if lo == hi else _("{low}–{high}").format(low=money(lo), high=money(hi))
    # Whole counts pick the plural form; a fraction of a month reads as plural in both languages.
    count = int(hi) if float(hi).is_integer() else 2
    if lo == hi:
        return ngettext("{n} month", "{n} months", count).format(n=f"{lo:g}")
    return ngettext("{low}–{high} month", "{low}–{high} months", count).format(low=f"{lo:g}", high=f"{hi:g}")


def step_facts(step: dict[str, Any]) -> str:
    """A step's time and cost, as far as the sources give them."""
    parts = [span(step.get("duration_months")), span(step.get("cost_usd"), dollars=True)]
    return ", ".join(p for p in parts if p)


class Citations:
    """Numbers the report's sources in order of first use on the page."""

    def __init__(self, sources: dict[str, Any]) -> None:
        self.sources = sources
        self.order: list[str] = []

    def __call__(self, ids: Any) -> list[int]:
        numbers = []
        for sid in ids or ():
            if sid not in self.sources:
                continue
            if sid not in self.order:
                self.order.append(sid)
            numbers.append(self.order.index(sid) + 1)
        return numbers

    def listing(self) -> list[dict[str, Any]]:
        return [{"n": n, **self.sources[sid], "href": safe_url(self.sources[sid].get("url"))}
                for n, sid in enumerate(self.order, 1)]


def safe_url(url: Any) -> str | None:
    """A link only for web addresses: a rule book's text never becomes a javascript: or data: link."""
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else None


def report_view(data: dict[str, Any], book: RuleBook) -> dict[str, Any]:
    """Everything the report template shows, in the order it shows it."""
    cite = Citations(data.get("sources", {}))
    summary = data.get("summary")
    recs = data.get("recommendations", [])
    lists = []
    for kind, title in KINDS:
        items = [dict(r, status_words=_(STATUS[r["status"]]) if r.get("status") in STATUS else r.get("status", ""),
                      steps=[dict(s, facts=step_facts(s)) for s in r.get("next_steps", [])],
                      cites=cite(r.get("sources", [])[:3]))
                 for r in recs if r.get("kind") == kind]
        lists.append({"kind": kind, "title": _(title), "entries": items})
    pathways = []
    for n, p in enumerate(data.get("pathways", []), 1):
        facts = [step_facts(s) for s in p.get("steps", [])]
        steps = [dict(s, facts=facts[i], cites=cite(s.get("sources", []))) for i, s in enumerate(p.get("steps", []))]
        pathways.append(dict(p, key=f"path-{n}", steps=steps, svg=pathway_svg(p, f"path-{n}", facts),
                             total=_total(p)))
    context = [dict(f, cites=cite(f.get("sources", []))) for f in data.get("context", [])]
    return {
        "name": data.get("name"),
        "summary": _summary(summary) if isinstance(summary, dict) else None,
        "lists": lists,
        "advice": data.get("advice", []),
        "pathways": pathways,
        "not_recommended": [n for n in data.get("not_recommended", []) if n.get("reason") != "low_score"
                            or n.get("rules")],
        "links": links(book, [r.get("id") for r in recs]),
        "context": context,
        "sources": cite.listing(),
    }


def _summary(summary: dict[str, Any]) -> dict[str, Any]:
    """The plan, with spans as words; any part the report leaves out stays out."""
    out = dict(summary)
    first = summary.get("first_step")
    if isinstance(first, dict):
        out["first_step"] = dict(first, time=span(first.get("duration_months")),
                                 cost=span(first.get("cost_usd"), dollars=True))
    role = summary.get("best_role")
    if isinstance(role, dict) and isinstance(role.get("pay"), dict):
        pay = role["pay"]
        value = pay.get("value_usd")
        amount = money(value) if isinstance(value, (int, float)) else ""
        confirmed = pay.get("confirmed", True) is True
        what = "mean" if pay.get("statistic") == "mean" else "median"
        per = "hour" if pay.get("period") == "hour" else "year"
        about = [str(pay.get("year") or "")] + ([str(pay["group"])] if pay.get("group") else []) + \
            ([] if confirmed else [_("not an official figure")])
        out["best_role"] = dict(role, pay_words=_(PAY[what, per, confirmed]).format(
            amount=amount, about="; ".join(a for a in about if a)))
    return out


def _total(p: dict[str, Any]) -> str:
    parts = []
    months, cost = span(p.get("total_months")), span(p.get("total_cost_usd"), dollars=True)
    if months:
        parts.append(_("about {time}").format(time=months))
    if cost:
        parts.append(_("{cost} in costs our sources give").format(cost=cost))
    return "; ".join(parts) or _("no sourced time or cost")


def links(book: RuleBook, ids: list[Any]) -> list[dict[str, str | None]]:
    """Where to act: the organizations that award the recommended certifications, in report order."""
    seen: list[str] = []
    for item_id in ids:
        item = book.items.get(str(item_id))
        if isinstance(item, Certification) and item.issuer not in seen:
            seen.append(item.issuer)
    out = []
    for org_id in seen:
        org = book.items.get(org_id)
        if isinstance(org, Organization):
            awards = [book.item_name(i) for i in ids if isinstance(book.items.get(str(i)), Certification)
                      and getattr(book.items[str(i)], "issuer", None) == org_id]
            out.append({"name": org.name, "url": safe_url(org.url), "awards": ", ".join(awards)})
    return out

