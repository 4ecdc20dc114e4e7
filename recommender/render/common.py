"""Pieces every renderer shares: money and time in words, source numbering, key facts."""

from __future__ import annotations

from recommender.book.catalog import MarketFact
from recommender.book.rulebook import RuleBook
from recommender.engine.result import Pathway, PlanStep, Result, Span, Step

STATUS_WORDS = {"ready": "ready now", "after_prerequisites": "after prerequisites"}
KIND_TITLES = {"certification": "Certifications", "program": "Programs and degrees", "role": "Roles"}
CONTEXT_TOPICS = ("growth", "openings", "certification_demand", "pay")


def money(span: Span | None) -> str:
    if span is None:
        return ""
    if span.min == span.max:
        return f"${span.min:,.0f}"
    return f"${span.min:,.0f}–${span.max:,.0f}"


def months(span: Span | None) -> str:
    if span is None:
        return ""
    lo, hi = span.min, span.max

    def fmt(v: float) -> str:
        return f"{v:g}"

    unit = "month" if hi == 1 else "months"
    return f"{fmt(lo)} {unit}" if lo == hi else f"{fmt(lo)}–{fmt(hi)} {unit}"


def step_line(step: Step) -> str:
    extra = [x for x in (months(step.months), money(step.cost_usd)) if x]
    return step.text + (f" ({', '.join(extra)})" if extra else "")


def totals(path: Pathway) -> str:
    """A pathway's total time and cost, saying how many steps our sources cannot time or price."""
    parts = []
    if path.months is not None:
        parts.append(f"about {months(path.months)}")
    if path.cost_usd is not None:
        parts.append(money(path.cost_usd))
    text = " and ".join(parts) if parts else "time and cost unknown"
    gaps = []
    if path.unknown_time_steps:
        gaps.append(f"the time of {_steps(path.unknown_time_steps)}")
    if path.unknown_cost_steps:
        gaps.append(f"the cost of {_steps(path.unknown_cost_steps)}")
    return text + (f", plus {' and '.join(gaps)} still unknown" if gaps and parts else "")


def _steps(n: int) -> str:
    return "1 step" if n == 1 else f"{n} steps"


def plan_step_line(step: Step) -> str:
    """A pathway step with its time and cost, saying so when no source gives them."""
    from recommender.engine.simulate import COST_KINDS, TIME_KINDS

    basis = step.basis if isinstance(step, PlanStep) else None
    extra = []
    if step.months is not None:
        extra.append(months(step.months) + (" at your pace, estimated" if basis == "pace" else ""))
    elif step.kind in TIME_KINDS and basis != "program":
        extra.append("time unknown")
    if step.cost_usd is not None:
        extra.append(money(step.cost_usd))
    elif step.kind in COST_KINDS:
        extra.append("cost unknown")
    return step.text + (f" ({'; '.join(extra)})" if extra else "")


def plan_summary(path: Pathway, book: RuleBook) -> str:
    """One line on what a plan earns and by which route."""
    if path.credential is not None:
        route = f", by its {path.credential_route.replace('_', ' ')} route" if path.credential_route else ""
        return f"Credential: {book.item_name(path.credential)}{route}."
    return "No new credential in this plan."


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
            dates = [f"figures for {s.as_of}"] if s.as_of else []
            dates += [f"read {s.checked.isoformat()}"] if s.checked is not None else []
            who = f", {s.publisher}" if s.publisher and s.publisher not in s.title else ""
            when = f" ({'; '.join(dates)})" if dates else ""
            note = f" {s.note.rstrip('.')}." if notes and s.note else ""
            out.append((i, f"{s.title}{who}{when}.{note} {s.url}"))
        return out
