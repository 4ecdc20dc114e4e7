"""Catalog items: certifications, programs, roles and organizations."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from recommender.book.links import Link
from recommender.book.model import (
    Allowing,
    AsOf,
    Cited,
    CitedRange,
    Confidence,
    ItemId,
    Model,
    RawCondition,
    SFloat,
    SnakeId,
    Source,
    SourceId,
    Text,
)

Kind = Literal["certification", "program", "role", "organization"]
KINDS: tuple[Kind, ...] = ("certification", "program", "role", "organization")
StepType = Literal["program", "credential", "experience", "assessment", "membership", "application", "other"]


class Step(Model):
    """One thing to do on the way to an item: take a catalog item, or an action in words."""

    item: ItemId | None = Field(default=None, description="a catalog item to complete (its time and cost come from the catalog)")
    action: Text | None = Field(default=None, description="what to do, in plain words, when it is not a catalog item")
    type: StepType | None = Field(default=None, description="the kind of step, for actions (CTDL pathway component)")
    duration_months: CitedRange | None = None
    cost_usd: CitedRange | None = None
    unless: RawCondition | None = Field(default=None, description="skip this step when the condition holds")


class Route(Model):
    """One way to become eligible; any one route suffices."""

    id: SnakeId
    label: Text | None = Field(
        default=None, max_length=60,
        description="a short name for the route, as a person would say it (default: its id in words)",
    )
    requirement: Text = Field(description="the requirement in plain words")
    when: RawCondition | None = Field(
        default=None, description="holds when the answers show the route is met; omit when answers cannot show it"
    )
    relevant_if: RawCondition | None = Field(
        default=None, description="offer this route's steps only when this holds (default: always)"
    )
    steps: tuple[Step, ...] = ()
    sources: tuple[SourceId, ...] = Field(min_length=1)
    confidence: Confidence
    note: Text | None = None


class Exam(Model):
    questions: Cited | None = None
    time: Cited | None = None
    delivery: Cited | None = None
    passing: Cited | None = None
    content: Cited | None = None


class Renewal(Model):
    cycle: Cited
    continuing_education: Cited | None = None
    fee: Cited | None = None
    lapse: Cited | None = None


class Provisional(Model):
    """A provisional status a new holder starts with, such as CPC-A."""

    name: Text
    when: RawCondition = Field(description="a new holder starts in this status when this holds")
    description: Text
    removal: tuple[Text, ...] = Field(min_length=1, description="the ways to remove the provisional status")
    sources: tuple[SourceId, ...] = Field(min_length=1)
    confidence: Confidence


class ItemBase(Allowing):
    id: ItemId
    name: Text
    short_name: Text | None = None
    description: Text
    eligibility: tuple[Route, ...] = Field(default=(), description="any one route suffices; none means open to all")
    facts: tuple[Cited, ...] = Field(default=(), description="other cited facts shown with the item")
    links: tuple[Link, ...] = Field(default=(), description="pages where a person can act on this item")


class Certification(ItemBase):
    kind: Literal["certification"]
    issuer: ItemId = Field(description="the organization that awards it")
    exam: Exam
    fee: Cited | None = None
    fee_usd: CitedRange | None = None
    renewal: Renewal
    membership: Cited | None = Field(default=None, description="a membership the issuer requires")
    provisional: tuple[Provisional, ...] = ()
    leads_to: tuple[ItemId, ...] = Field(default=(), description="roles it prepares for")
    duration_months: CitedRange | None = Field(default=None, description="typical preparation time")


class Program(ItemBase):
    kind: Literal["program"]
    level: Literal["diploma", "certificate", "associate", "bachelor", "master", "bridge", "course"]
    provider: Text | None = None
    accreditation: Cited | None = None
    duration_months: CitedRange | None = None
    cost_usd: CitedRange | None = None
    online: Cited | None = None
    prepares_for: tuple[ItemId, ...] = ()


class Pay(Model):
    """One pay figure: one statistic for one occupation group and period, with the percentiles its source gives."""

    statistic: Literal["median", "mean"] = "median"
    value_usd: SFloat = Field(ge=0)
    period: Literal["year", "hour"] = "year"
    p10_usd: SFloat | None = Field(default=None, ge=0, description="the 10th percentile, when the source gives it")
    p90_usd: SFloat | None = Field(default=None, ge=0, description="the 90th percentile, when the source gives it")
    as_of: AsOf = Field(description="the year (2024) or month (2024-05) the figure describes")
    group: Text | None = Field(default=None, description="the occupation group the figure describes")
    sources: tuple[SourceId, ...] = Field(min_length=1)
    confidence: Confidence
    note: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Pay:
        if self.p10_usd is not None and self.p10_usd > self.value_usd:
            raise ValueError(f"p10_usd ({self.p10_usd:g}) is above value_usd ({self.value_usd:g})")
        if self.p90_usd is not None and self.p90_usd < self.value_usd:
            raise ValueError(f"p90_usd ({self.p90_usd:g}) is below value_usd ({self.value_usd:g})")
        return self


class Role(ItemBase):
    kind: Literal["role"]
    pay: Cited | None = Field(default=None, description="the pay figure in words, with older figures as alternatives")
    pay_usd: Pay | None = Field(default=None, description="the same figure as numbers: one statistic of one year")
    settings: tuple[SnakeId, ...] = Field(default=(), description="option ids of the 'settings' question")
    credentials: tuple[ItemId, ...] = Field(default=(), description="certifications employers look for")
    next_roles: tuple[ItemId, ...] = ()
    outlook: Cited | None = None
    entry_education: Cited | None = Field(default=None, description="the education most employers ask for to start")


class Organization(ItemBase):
    kind: Literal["organization"]
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]
    offers: tuple[ItemId, ...] = ()
    sources: tuple[SourceId, ...] = Field(min_length=1)


Item = Annotated[Union[Certification, Program, Role, Organization], Field(discriminator="kind")]


class CatalogFile(Model):
    """A file under rules/catalog/: items, and the sources they cite."""

    sources: tuple[Source, ...] = ()
    items: tuple[Item, ...] = ()


class MarketFact(Cited, Allowing):
    """A labour-market fact shown as context in reports."""

    id: SnakeId
    topic: Literal["pay", "growth", "employment", "openings", "certification_demand", "employers", "credential_holders"]
    roles: tuple[ItemId, ...] = ()


class MarketFile(Model):
    sources: tuple[Source, ...] = ()
    facts: tuple[MarketFact, ...] = ()
