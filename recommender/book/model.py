"""Shared pydantic base and small value types used by every rule-file model."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from recommender.book.codes import ALLOWABLE
from recommender.suggest import did_you_mean

Confidence = Literal["confirmed", "uncertain"]

#: The kinds of publisher a source may be; `rules check` reports any other word.
PUBLISHER_KINDS: tuple[str, ...] = (
    "issuer", "accreditor", "government", "school", "association", "secondary", "third_party",
)
#: Kinds whose pages report what others decided or measured, so a fact resting only on them
#: is second-hand.
SECOND_HAND_KINDS: frozenset[str] = frozenset({"secondary", "third_party"})

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
#: A two-letter US state or territory code, as the `state` question will use.
StateCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Url = Annotated[str, Field(pattern=r"^https?://\S+$", max_length=500)]


def _as_of_text(value: Any) -> str:
    """A year (2024, read by YAML as a number) or a month ('2024-05') as text; anything else is refused."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if isinstance(text, str) and re.fullmatch(r"(19|20)\d\d(-(0[1-9]|1[0-2]))?", text):
        return text
    raise ValueError(f"expected a year such as 2024 or a month such as 2024-05, got {value!r}")


#: The year, or year and month, that a figure describes: 2024 or 2024-05.
AsOf = Annotated[str, BeforeValidator(_as_of_text), WithJsonSchema({
    "anyOf": [{"type": "integer", "minimum": 1900, "maximum": 2099},
              {"type": "string", "pattern": r"^(19|20)\d\d(-(0[1-9]|1[0-2]))?$"}],
    "description": "a year (2024) or a month (2024-05)",
})]


def as_of_end(as_of: str) -> datetime.date:
    """The last day of the period an `as_of` names (a year ends on 31 December)."""
    year, _, month = as_of.partition("-")
    if not month:
        return datetime.date(int(year), 12, 31)
    first_of_next = datetime.date(int(year) + (month == "12"), int(month) % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def as_of_start(as_of: str) -> datetime.date:
    """The first day of the period an `as_of` names."""
    year, _, month = as_of.partition("-")
    return datetime.date(int(year), int(month or 1), 1)


class Model(BaseModel):
    """Frozen, strict on scalars, and refusing keys it does not know."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


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
    """A page facts come from: who publishes it, when it was read, and what period its figures describe."""

    id: SourceId
    title: Text
    url: Url
    publisher: Text | None = Field(default=None, description="the publisher's name")
    kind: Annotated[str, Field(min_length=1, max_length=40)] | None = Field(
        default=None,
        description="what kind of publisher: issuer, accreditor, government, school, association, "
                    "secondary (reports what another body published) or third_party",
    )
    checked: SDate | None = Field(
        default=None, description="the date this page was actually read; leave it out when it was not read"
    )
    as_of: AsOf | None = Field(
        default=None, description="the year (2024) or month (2024-05) the page's figures describe"
    )
    quoted_from: Url | None = Field(
        default=None, description="for a page that repeats another publisher's figures: the original's address"
    )
    note: Text | None = Field(
        default=None, description="for the reader: what the page is and why it is trusted (or how far)"
    )


class Cited(Model):
    """One fact in plain words, with its sources and how sure we are."""

    value: Text
    sources: tuple[SourceId, ...] = Field(min_length=1)
    confidence: Confidence
    note: Text | None = None
    alternatives: tuple[Cited, ...] = Field(
        default=(), description="other values reported by other sources, when sources disagree"
    )
    states: tuple[StateCode, ...] = Field(
        default=(), description="two-letter codes of the US states the fact applies to; none means everywhere"
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


class WordingFile(Model):
    """rules/wording.yaml: phrases that tell how the rule book was written, which no person may read."""

    process_phrases: tuple[Annotated[str, Field(min_length=2, max_length=200)], ...] = Field(
        default=(), description="matched as whole words, ignoring case, in every text a person can read"
    )
