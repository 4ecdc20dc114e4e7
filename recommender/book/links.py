"""Places to act: a link in the catalog, sourced like any other fact."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from recommender.book.model import Model, SourceId, Text

#: What a link lets a person do; the report groups and orders them by this.
Purpose = Literal["register", "find_program", "aid", "pay", "jobs", "state_rules", "learn"]
PURPOSES: tuple[str, ...] = ("register", "find_program", "aid", "pay", "jobs", "state_rules", "learn")


class Link(Model):
    """A page where a person can do something: register for an exam, find a program, look up pay."""

    label: Text = Field(max_length=120, description="what the person does there, e.g. 'Register for the CMA exam'")
    url: Annotated[str, Field(pattern=r"^https://\S+$", max_length=500)]
    purpose: Purpose
    sources: tuple[SourceId, ...] = Field(min_length=1, description="where this address was confirmed")
