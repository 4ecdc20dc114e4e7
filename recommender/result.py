"""What the engine returns: plain, frozen data that every renderer reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["ready", "after_prerequisites"]
READY: Status = "ready"
AFTER: Status = "after_prerequisites"


@dataclass(frozen=True)
class Span:
    """A range of months or dollars; either end may be unknown only together."""

    min: float
    max: float

    def __add__(self, other: Span) -> Span:
        return Span(self.min + other.min, self.max + other.max)


@dataclass(frozen=True)
class Reason:
    rule: str
    text: str
    points: int
    answers: tuple[tuple[str, Any], ...] = ()  # (question id, answer) the rule read


@dataclass(frozen=True)
class Step:
    """One thing to do, modelled on CTDL pathway components."""

    kind: str  # program | credential | experience | assessment | membership | application | other | advice
    text: str
    item: str | None = None
    months: Span | None = None
    cost_usd: Span | None = None
    rule: str | None = None  # the rule that suggested it, for advice


@dataclass(frozen=True)
class RouteCheck:
    id: str
    requirement: str
    met: bool | None  # None: the answers cannot show it
    offered: bool
    remaining: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    id: str
    kind: str
    name: str
    short_name: str
    score: int
    status: Status
    reasons: tuple[Reason, ...]
    next_steps: tuple[Step, ...]
    route: str | None  # the route met, or the one the steps follow
    routes: tuple[RouteCheck, ...] = ()
    provisional: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class NotRecommended:
    id: str
    kind: str
    name: str
    short_name: str
    why_not: str
    reason: Literal["excluded", "held", "low_score"]
    score: int
    status: Status
    rules: tuple[str, ...] = ()
    would_change: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pathway:
    role: str
    name: str
    steps: tuple[Step, ...]
    months: Span | None
    cost_usd: Span | None
    unknown_cost_steps: int = 0
    unknown_time_steps: int = 0


@dataclass(frozen=True)
class Result:
    recommendations: tuple[Recommendation, ...]
    not_recommended: tuple[NotRecommended, ...]
    pathways: tuple[Pathway, ...]
    advice: tuple[Step, ...]  # general next steps from rules, not tied to one item
    fired: tuple[str, ...]  # rule ids that fired, in rule order
    facts: tuple[str, ...]  # derived facts that hold
    answers: tuple[tuple[str, Any], ...] = field(default=())
    name: str | None = None

    def by_kind(self, kind: str) -> list[Recommendation]:
        return [r for r in self.recommendations if r.kind == kind]

    def get(self, item_id: str) -> Recommendation | None:
        return next((r for r in self.recommendations if r.id == item_id), None)
