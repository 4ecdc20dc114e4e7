"""What the engine returns: plain, frozen data that every renderer reads."""

from __future__ import annotations

from collections.abc import Mapping
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
    cites: tuple[str, ...] = field(default=(), kw_only=True)  # sources of a fact the advice states


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
class PlanStep(Step):
    """A pathway step: a Step plus the CTDL component it maps to and the answers it changes."""

    ctdl: str = "ceterms:BasicComponent"
    changes: tuple[tuple[str, Any], ...] = ()  # (question id, answer after the step)
    basis: str | None = None  # where `months` comes from: catalog | requirement | pace | program
    sources: tuple[str, ...] = ()  # sources of the duration and cost
    label: str = ""  # a short name for timelines and diagrams
    required: bool = True  # False: recommended, but no requirement asks for it


def step_label(step: Step) -> str:
    """A step's short name (a plan step's label), else its text."""
    return step.label if isinstance(step, PlanStep) and step.label else step.text


@dataclass(frozen=True)
class YearView:
    """Where a plan stands after a number of years, if its steps take their longest sourced time."""

    year: int
    summary: str
    done: tuple[str, ...] = ()  # step texts finished by then
    underway: tuple[str, ...] = ()  # steps that may or may not be finished by then
    working: bool = False  # in the target role by then
    open_roles: tuple[str, ...] = ()  # next roles whose requirements would be met by then


@dataclass(frozen=True)
class Pathway:
    role: str
    name: str
    steps: tuple[Step, ...]
    months: Span | None
    cost_usd: Span | None
    unknown_cost_steps: int = 0
    unknown_time_steps: int = 0
    label: str = "recommended"  # recommended | fastest | cheapest | within budget | less study | at your pace | sure route
    fits: bool = True  # the role is among the recommendations
    score: int = 0
    route: str | None = None  # the role's eligibility route followed (None: no route needed)
    credential: str | None = None  # the credential the plan earns
    credential_route: str | None = None
    verified: bool | None = None  # the steps make the routes' conditions hold; None: the answers cannot show it
    later: tuple[Step, ...] = ()  # after starting the role, e.g. removing CPC-A
    flags: tuple[str, ...] = ()  # over budget, over study time
    notes: tuple[str, ...] = ()
    alternatives: tuple[Pathway, ...] = ()
    years: tuple[YearView, ...] = ()
    unknown_time: tuple[str, ...] = ()  # texts of the steps counted in unknown_time_steps
    unknown_cost: tuple[str, ...] = ()  # texts of the steps counted in unknown_cost_steps
    job_first: bool = False  # the job is the first step; the credential (in `later`) comes from working in it

    @property
    def counted(self) -> tuple[Step, ...]:
        """The steps the totals add up: a job-first plan counts what comes after the job, up to the credential."""
        return self.steps + self.later if self.job_first else self.steps


@dataclass(frozen=True)
class PayFigure:
    """One pay figure of one kind and year, as the catalog gives it."""

    value_usd: float
    period: str  # year | hour
    year: int
    statistic: str  # median | mean
    sources: tuple[str, ...]
    p10_usd: float | None = None
    p90_usd: float | None = None
    group: str | None = None  # the occupation group the figure describes
    confirmed: bool = True  # False: the figure rests on sources that are not official, and says so


@dataclass(frozen=True)
class CitedText:
    text: str
    sources: tuple[str, ...]
    confidence: str = "confirmed"


@dataclass(frozen=True)
class RoleCard:
    """What the catalog knows about a recommended role, and whether the person can apply now."""

    id: str
    name: str
    fit: str  # the fit label in words
    description: str
    pay: PayFigure | None
    outlook: CitedText | None
    entry_education: CitedText | None
    apply_now: bool | None  # None: no plan was made for this role
    first: str | None  # what comes before applying, when something does


@dataclass(frozen=True)
class FirstStep:
    text: str
    kind: str  # the step's kind: program, assessment, job, experience ...
    item: str | None
    months: Span | None
    cost_usd: Span | None
    cost_unknown: bool  # the step costs money, and no source gives how much
    why: str
    why_rule: str | None  # the rule the reason comes from


@dataclass(frozen=True)
class Alternative:
    role: str
    name: str
    first_step: str


@dataclass(frozen=True)
class Summary:
    """The plan a report leads with: the best-fitting role, the first step, what follows, other roles."""

    best_role: RoleCard | None
    first_step: FirstStep | None
    then: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    fit_legend: str
    roles: tuple[RoleCard, ...] = ()  # every recommended role, best first
    firsts: Mapping[str, str] = field(default_factory=dict)  # credential id → the plan's first step toward it


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
    summary: Summary | None = None
    source: str | None = None  # the answers file, as the person named it
    ignored: tuple[str, ...] = ()  # questions not asked whose empty answers were dropped

    def by_kind(self, kind: str) -> list[Recommendation]:
        return [r for r in self.recommendations if r.kind == kind]

    def get(self, item_id: str) -> Recommendation | None:
        return next((r for r in self.recommendations if r.id == item_id), None)
