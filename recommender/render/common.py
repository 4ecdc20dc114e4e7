"""Pieces every renderer shares: money and time in words, source numbering, key facts."""

from __future__ import annotations

from recommender.catalog import MarketFact
from recommender.result import Pathway, Result, Span, Step
from recommender.rulebook import RuleBook

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
    parts = []
    if path.months is not None:
        parts.append(f"about {months(path.months)} of programs")
    if path.cost_usd is not None:
        parts.append(f"{money(path.cost_usd)} in known costs")
    gaps = []
    if path.unknown_time_steps:
        gaps.append(f"{path.unknown_time_steps} step(s) without a sourced duration")
    if path.unknown_cost_steps:
        gaps.append(f"{path.unknown_cost_steps} step(s) without a sourced cost")
    text = "; ".join(parts) if parts else "no sourced time or cost"
    return text + (f" (plus {', '.join(gaps)})" if gaps else "")


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

    def cite(self, ids: tuple[str, ...] | list[str]) -> str:
        nums = []
        for sid in ids:
            if sid not in self.book.sources:
                continue
            if sid not in self.order:
                self.order.append(sid)
            nums.append(self.order.index(sid) + 1)
        return "".join(f"[{n}]" for n in nums)

    def listing(self) -> list[tuple[int, str]]:
        out = []
        for i, sid in enumerate(self.order, 1):
            s = self.book.sources[sid]
            note = f"; {s.note}" if s.note else ""
            out.append((i, f"{s.title}, {s.url} (checked {s.checked.isoformat()}{note})"))
        return out
