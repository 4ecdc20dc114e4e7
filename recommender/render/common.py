"""Pieces every renderer shares: money and time in words, source numbering, key facts."""

from __future__ import annotations

from recommender.book.rulebook import RuleBook
from recommender.book.runtime import MarketFact
from recommender.engine.result import Pathway, PlanStep, Result, Span, Step
from recommender.i18n import N_, _, ngettext
from recommender.i18n import money as usd

# Defined before the language is known: translate with _() where shown.
STATUS_WORDS = {"ready": N_("ready now"), "after_prerequisites": N_("after prerequisites")}
KIND_TITLES = {"certification": N_("Certifications"), "program": N_("Programs and degrees"), "role": N_("Roles")}
CONTEXT_TOPICS = ("growth", "openings", "certification_demand", "pay")


def money(span: Span | None) -> str:
    if span is None:
        return ""
    if span.min == span.max:
        return usd(span.min)
    return f"{usd(span.min)}–{usd(span.max)}"


def months(span: Span | None) -> str:
    if span is None:
        return ""
    lo, hi = span.min, span.max

    def fmt(v: float) -> str:
        return f"{v:g}"

    count = 1 if hi == 1 else 2
    if lo == hi:
        return ngettext("{n} month", "{n} months", count).format(n=fmt(lo))
    return ngettext("{lo}–{hi} month", "{lo}–{hi} months", count).format(lo=fmt(lo), hi=fmt(hi))


def step_line(step: Step) -> str:
    extra = [x for x in (months(step.months), money(step.cost_usd)) if x]
    return step.text + (f" ({', '.join(extra)})" if extra else "")


def totals(path: Pathway) -> str:
    """A pathway's total time and cost, saying how many steps our sources cannot time or price."""
    time = _("about {time}").format(time=months(path.months)) if path.months is not None else ""
    cost = money(path.cost_usd) if path.cost_usd is not None else ""
    if time and cost:
        text = _("{first} and {second}").format(first=time, second=cost)
    else:
        text = time or cost or _("time and cost unknown")
    gaps = []
    if path.unknown_time_steps:
        n = path.unknown_time_steps
        gaps.append(ngettext("the time of {n} step", "the time of {n} steps", n).format(n=n))
    if path.unknown_cost_steps:
        n = path.unknown_cost_steps
        gaps.append(ngettext("the cost of {n} step", "the cost of {n} steps", n).format(n=n))
    if not gaps or not (time or cost):
        return text
    unknown = gaps[0] if len(gaps) == 1 else _("{first} and {second}").format(first=gaps[0], second=gaps[1])
    return _("{total}, plus {unknown} still unknown").format(total=text, unknown=unknown)


def plan_step_line(step: Step) -> str:
    """A pathway step with its time and cost, saying so when no source gives them."""
    from recommender.engine.simulate import COST_KINDS, TIME_KINDS

    basis = step.basis if isinstance(step, PlanStep) else None
    extra = []
    if step.months is not None:
        time = months(step.months)
        extra.append(_("{time} at your pace, estimated").format(time=time) if basis == "pace" else time)
    elif step.kind in TIME_KINDS and basis != "program":
        extra.append(_("time unknown"))
    if step.cost_usd is not None:
        extra.append(money(step.cost_usd))
    elif step.kind in COST_KINDS:
        extra.append(_("cost unknown"))
    return step.text + (f" ({'; '.join(extra)})" if extra else "")


def plan_summary(path: Pathway, book: RuleBook) -> str:
    """One line on what a plan earns and by which route."""
    if path.credential is not None:
        name = book.item_name(path.credential)
        if path.credential_route:
            return _("Credential: {name}, by its {route} route.").format(
                name=name, route=book.route_label(path.credential, path.credential_route))
        return _("Credential: {name}.").format(name=name)
    return _("No new credential in this plan.")


def key_facts(book: RuleBook, result: Result, limit: int = 5) -> list[MarketFact]:
    """A few labour-market facts: those about recommended roles first, one per topic."""
    roles = {r.id for r in result.by_kind("role")}
    chosen: list[MarketFact] = []
    for topic in CONTEXT_TOPICS:
        candidates = [f for f in book.market if f.topic == topic]
        candidates.sort(key=lambda f: (not (set(f.roles) & roles), f.confidence != "confirmed"))
        if candidates:
            chosen.append(candidates[0])
    return chosen[:limit]


class SourceNumbers:
    """Numbers sources in order of first use, for footnotes."""

    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self.order: list[str] = []
        self.numbers: dict[str, int] = {}  # URL → footnote number

    def cite(self, ids: tuple[str, ...] | list[str]) -> str:
        """Footnote marks for sources, numbered in order of first citation; one page (URL) is one source."""
        nums: list[int] = []
        for sid in ids:
            source = self.book.sources.get(sid)
            if source is None:
                continue
            if source.url not in self.numbers:
                self.order.append(sid)
                self.numbers[source.url] = len(self.order)
            if self.numbers[source.url] not in nums:
                nums.append(self.numbers[source.url])
        return "".join(f"[{n}]" for n in nums)

    def listing(self, notes: bool = True) -> list[tuple[int, str]]:
        """Each cited source once: title, publisher, the period its figures describe, when it was read, address."""
        out = []
        for i, sid in enumerate(self.order, 1):
            s = self.book.sources[sid]
            # A source nobody read shows no date: a date that is not true is worse than none.
            dates = [_("figures for {period}").format(period=s.as_of)] if s.as_of else []
            dates += [_("read {date}").format(date=s.checked.isoformat())] if s.checked is not None else []
            who = f", {s.publisher}" if s.publisher and s.publisher not in s.title else ""
            when = f" ({'; '.join(dates)})" if dates else ""
            note = f" {s.note.rstrip('.')}." if notes and s.note else ""
            out.append((i, f"{s.title}{who}{when}.{note} {s.url}"))
        return out
