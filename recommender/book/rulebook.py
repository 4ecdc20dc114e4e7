"""The compiled rule book: everything loaded, cross-checked and ready for the engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from recommender.book.conditions import Condition, QuestionInfo
from recommender.book.runtime import (
    Certification,
    DerivedFact,
    Item,
    MarketFact,
    NextStep,
    Provisional,
    Question,
    ReportFile,
    Route,
    Rule,
    Source,
    Step,
)
from recommender.book.template import Template


@dataclass(frozen=True)
class Where:
    """The file and line an object was defined at."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class CompiledStep:
    step: Step
    unless: Condition | None


@dataclass(frozen=True)
class CompiledRoute:
    route: Route
    when: Condition | None
    relevant_if: Condition | None
    steps: tuple[CompiledStep, ...]


@dataclass(frozen=True)
class CompiledProvisional:
    provisional: Provisional
    when: Condition


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    when: Condition
    because: Template
    next_steps: tuple[tuple[NextStep, Template], ...]
    reads: tuple[str, ...]
    where: Where
    because_for: Mapping[str, Template] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.rule.id

    def reason(self, item_id: str) -> Template:
        """The reason the rule gives for one item: its own, or the rule's."""
        return self.because_for.get(item_id, self.because)


@dataclass(frozen=True)
class CompiledFact:
    fact: DerivedFact
    when: Condition
    where: Where


@dataclass(frozen=True, eq=False)
class RuleBook:
    """A loaded rule book. Build it with recommender.book.loader.load_rulebook."""

    root: Path
    questions: tuple[Question, ...]
    question_info: Mapping[str, QuestionInfo]
    ask_if: Mapping[str, Condition]
    facts: Mapping[str, CompiledFact]  # in dependency order
    items: Mapping[str, Item]  # in catalog order
    routes: Mapping[str, tuple[CompiledRoute, ...]]
    provisional: Mapping[str, tuple[CompiledProvisional, ...]]
    rules: tuple[CompiledRule, ...]
    sources: Mapping[str, Source]
    market: tuple[MarketFact, ...]
    where: Mapping[tuple[str, str], Where] = field(default_factory=dict)
    report: ReportFile = field(default_factory=ReportFile)
    lang: str = "en"  # the language of the book's texts (English where a text has no translation)

    @property
    def option_orders(self) -> dict[str, tuple[str, ...]]:
        return {qid: info.options for qid, info in self.question_info.items()}

    def certifications(self) -> list[Certification]:
        return [i for i in self.items.values() if isinstance(i, Certification)]

    def catalog_index(self, item_id: str) -> int:
        return list(self.items).index(item_id)

    def item_name(self, item_id: str) -> str:
        item = self.items.get(item_id)
        return (item.short_name or item.name) if item is not None else item_id

    def route_label(self, item_id: str, route_id: str) -> str:
        """What a person calls one of an item's eligibility routes: its label, else its id in words."""
        for compiled in self.routes.get(item_id, ()):
            if compiled.route.id == route_id and compiled.route.label:
                return compiled.route.label
        return route_id.replace("_", " ")
