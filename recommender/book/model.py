"""Shared pydantic base and small value types used by every rule-file model."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator, model_validator

from recommender.book.codes import ALLOWABLE
from recommender.suggest import did_you_mean

Confidence = Literal["confirmed", "uncertain"]

#: Catalog ids: certifications use upper-case abbreviations, everything else snake_case.
ItemId = Annotated[str, Field(pattern=r"^(?:[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*|[a-z][a-z0-9_]*)$", max_length=60)]
#: Ids of questions, options, facts and sources.
SnakeId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
#: Rule ids may use dashes, as advisors like to write them.
RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=80)]
SourceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
#: Scalars never coerced ("5" is not 5, "yes" is not true); lists still become tuples.
SInt = Annotated[int, Strict()]
SFloat = Annotated[float, Strict()]
SBool = Annotated[bool, Strict()]
SDate = Annotated[datetime.date, Strict()]
#: A condition as written in YAML; parsed and checked by recommender.book.conditions.
RawCondition = Any


class Model(BaseModel):
    """Frozen, strict on scalars, and refusing keys it does not know."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Allow(Model):
    """One warning an object accepts on purpose, and why."""

    warning: str = Field(description="the code of the warning, as `rules check` prints it in brackets",
                         json_schema_extra={"enum": list(ALLOWABLE)})
    because: Text = Field(description="why this warning is accepted, for the next advisor who reads it")

    @field_validator("warning")
    @classmethod
    def _known(cls, code: str) -> str:
        if code == "allow-unused":
            raise ValueError("'allow-unused' cannot be allowed: remove the allow entry it was reported for")
        if code not in ALLOWABLE:
            raise ValueError(f"unknown warning code '{code}'{did_you_mean(code, ALLOWABLE)}; "
                             f"codes are {', '.join(ALLOWABLE)}")
        return code


class Allowing(Model):
    """An object that may accept some of its warnings with `allow:`."""

    allow: tuple[Allow, ...] = Field(default=(), description="warnings accepted on purpose, each with a reason")


class Source(Allowing):
    """Where facts came from, and when that was checked."""

    id: SourceId
    title: Text
    url: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=500)]
    publisher: Text | None = None
    checked: SDate
    note: Text | None = Field(default=None, description="e.g. a copy dated 2015, or a secondary source")


class Cited(Model):
    """One fact in plain words, with its sources and how sure we are."""

    value: Text
    sources: tuple[SourceId, ...] = Field(min_length=1)
    confidence: Confidence
    note: Text | None = None
    alternatives: tuple[Cited, ...] = Field(
        default=(), description="other values reported by other sources, when sources disagree"
    )


class CitedRange(Model):
    """A cited numeric range (money in US dollars or time in months)."""

    min: SFloat = Field(ge=0)
    max: SFloat = Field(ge=0)
    sources: tuple[SourceId, ...] = Field(min_length=1)
    confidence: Confidence
    note: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> CitedRange:
        if self.max < self.min:
            raise ValueError(f"max ({self.max:g}) is less than min ({self.min:g})")
        return self
