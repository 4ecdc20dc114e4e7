"""Models of the questionnaire, derived facts and rule files."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from recommender.book.model import (
    Allowing,
    ItemId,
    Model,
    RawCondition,
    RuleId,
    SBool,
    SFloat,
    SInt,
    SnakeId,
    SourceId,
    Text,
)

QuestionType = Literal["single", "multi", "number", "boolean"]


class Option(Model):
    id: SnakeId
    label: Text
    help: Text | None = None


class Question(Allowing):
    """One question of the questionnaire."""

    id: SnakeId
    type: QuestionType
    prompt: Text
    label: Text = Field(description="a short noun phrase used in explanations, e.g. 'your highest education'")
    help: Text | None = None
    options: tuple[Option, ...] = ()
    options_from: Literal["certifications"] | None = Field(
        default=None, description="take the options from the catalog's certifications"
    )
    min: SFloat | None = None
    max: SFloat | None = None
    integer: SBool = False
    unit: Text | None = None
    default: SBool | SInt | SFloat | str | list[str] | None = None
    required: SBool = False
    ask_if: RawCondition | None = None

    @model_validator(mode="after")
    def _shape(self) -> Question:
        choice = self.type in ("single", "multi")
        if choice and not self.options and not self.options_from:
            raise ValueError(f"a {self.type} question needs options or options_from")
        if not choice and (self.options or self.options_from):
            raise ValueError(f"a {self.type} question takes no options")
        if self.type != "number" and (self.min is not None or self.max is not None or self.integer):
            raise ValueError("min, max and integer apply only to number questions")
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"max ({self.max:g}) is less than min ({self.min:g})")
        return self


class QuestionnaireFile(Model):
    questions: tuple[Question, ...] = Field(min_length=1)


class DerivedFact(Allowing):
    """A named condition over answers that rules and eligibility can use."""

    id: SnakeId
    description: Text
    when: RawCondition


class FactsFile(Model):
    facts: tuple[DerivedFact, ...] = ()


class NextStep(Model):
    text: Text
    item: ItemId | None = None
    sources: tuple[SourceId, ...] = Field(default=(), description="where a fact the text states comes from")


class Rule(Allowing):
    """When the condition holds: add points, exclude items, suggest steps, and say why."""

    id: RuleId
    description: Text
    when: RawCondition
    points: dict[ItemId, SInt] = Field(default_factory=dict)
    exclude: tuple[ItemId, ...] = ()
    next_steps: tuple[NextStep, ...] = ()
    because: Text = Field(description="the reason shown to the person; may quote answers as {question_id}")
    because_for: dict[ItemId, Text] = Field(
        default_factory=dict,
        description="a reason of its own for some of the items given points, when `because` speaks of another")

    @model_validator(mode="after")
    def _does_something(self) -> Rule:
        if not self.points and not self.exclude and not self.next_steps:
            raise ValueError("a rule needs at least one of points, exclude or next_steps")
        for item, pts in self.points.items():
            if pts == 0 or abs(pts) > 1000:
                raise ValueError(f"points for {item} must be between -1000 and 1000 and not 0")
        return self


class RulesFile(Model):
    rules: tuple[Rule, ...] = ()
