"""Expectations in example profiles (`expect:` blocks), checked against a Result."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, ValidationError

from recommender.book.model import ItemId, Model, RuleId, SInt, Text
from recommender.book.rulebook import RuleBook
from recommender.book.validation import known_keys, problems_from
from recommender.book.yamlio import Document
from recommender.engine.result import Result, Status
from recommender.errors import Problem
from recommender.suggest import did_you_mean

StepKind = Literal["job", "program", "bridge", "credential", "assessment", "experience", "membership", "other"]


class Expectation(Model):
    """What an advisor expects the report for a profile to say."""

    top: tuple[ItemId, ...] = Field(default=(), description="the first certifications, in this order")
    top_programs: tuple[ItemId, ...] = Field(default=(), description="the first programs, in this order")
    top_roles: tuple[ItemId, ...] = Field(default=(), description="the first roles, in this order")
    recommended: tuple[ItemId, ...] = Field(default=(), description="items that must be recommended")
    not_recommended: tuple[ItemId, ...] = Field(default=(), description="items that must not be recommended")
    excluded: tuple[ItemId, ...] = Field(default=(), description="items a rule must exclude")
    status: dict[ItemId, Status] = Field(default_factory=dict)
    rank_at_most: dict[ItemId, SInt] = Field(default_factory=dict, description="rank within the item's kind")
    fires: tuple[RuleId, ...] = ()
    does_not_fire: tuple[RuleId, ...] = ()
    best_role: ItemId | None = Field(default=None, description="the role the plan leads with")
    first_step: StepKind | None = Field(default=None, description="the kind of the plan's first step, e.g. job")
    first_step_item: ItemId | None = Field(default=None, description="the item the plan's first step is about")
    no_reason_says: tuple[Text, ...] = Field(
        default=(), description="words no reason shown may use, e.g. the name of a credential the person holds")


def parse_expectation(raw: Any, doc: Document, book: RuleBook) -> tuple[Expectation | None, list[Problem]]:
    """Validate an expect block and every id in it; problems point at its lines."""
    if raw is None:
        return Expectation(), []
    try:
        exp = Expectation.model_validate(raw)
    except ValidationError as exc:
        return None, problems_from(exc, doc, ("expect",), "expect", known_keys(Expectation))
    problems = []
    rule_ids = [r.id for r in book.rules]
    for field in ("best_role", "first_step_item"):
        item = getattr(exp, field)
        if item is not None and item not in book.items:
            problems.append(Problem(doc.path, doc.line(("expect", field)),
                                    f"unknown catalog item '{item}'{did_you_mean(item, book.items)}", "expect", field))
    for field in ("top", "top_programs", "top_roles", "recommended", "not_recommended", "excluded"):
        for i, item in enumerate(getattr(exp, field)):
            if item not in book.items:
                problems.append(Problem(doc.path, doc.line(("expect", field, i)),
                                        f"unknown catalog item '{item}'{did_you_mean(item, book.items)}",
                                        "expect", f"{field}[{i}]"))
    for field in ("status", "rank_at_most"):
        for item in getattr(exp, field):
            if item not in book.items:
                problems.append(Problem(doc.path, doc.line(("expect", field, item)),
                                        f"unknown catalog item '{item}'{did_you_mean(item, book.items)}",
                                        "expect", f"{field}.{item}"))
    for field in ("fires", "does_not_fire"):
        for i, rule in enumerate(getattr(exp, field)):
            if rule not in rule_ids:
                problems.append(Problem(doc.path, doc.line(("expect", field, i)),
                                        f"unknown rule '{rule}'{did_you_mean(rule, rule_ids)}",
                                        "expect", f"{field}[{i}]"))
    return (exp if not problems else None), problems


def check(exp: Expectation, result: Result) -> list[str]:
    """Every way the result differs from the expectation, as 'expected …, got …' lines."""
    failures: list[str] = []
    recommended = {r.id: r for r in result.recommendations}

    def ranked(kind: str) -> list[str]:
        return [r.id for r in result.recommendations if r.kind == kind]

    for field, kind in (("top", "certification"), ("top_programs", "program"), ("top_roles", "role")):
        want = list(getattr(exp, field))
        got = ranked(kind)[: len(want)]
        if want and got != want:
            failures.append(f"{field}: expected {', '.join(want)} first, got {', '.join(got) or 'nothing'}")
    for item in exp.recommended:
        if item not in recommended:
            why = next((n.why_not for n in result.not_recommended if n.id == item), "it scored no points")
            failures.append(f"recommended: expected {item} to be recommended, got not recommended ({why})")
    for item in exp.not_recommended:
        if item in recommended:
            failures.append(f"not_recommended: expected {item} not to be recommended, "
                            f"got rank {ranked(recommended[item].kind).index(item) + 1} with {recommended[item].score} points")
    excluded = {n.id for n in result.not_recommended if n.reason == "excluded"}
    for item in exp.excluded:
        if item not in excluded:
            failures.append(f"excluded: expected a rule to exclude {item}, got none")
    for item, status in exp.status.items():
        rec = recommended.get(item)
        status_now = rec.status if rec is not None else "not recommended"
        if status_now != status:
            failures.append(f"status: expected {item} to be {status}, got {status_now}")
    for item, limit in exp.rank_at_most.items():
        rec = recommended.get(item)
        if rec is None:
            failures.append(f"rank_at_most: expected {item} at rank {limit} or better, got not recommended")
            continue
        rank = ranked(rec.kind).index(item) + 1
        if rank > limit:
            failures.append(f"rank_at_most: expected {item} at rank {limit} or better, got rank {rank}")
    fired = set(result.fired)
    for rule in exp.fires:
        if rule not in fired:
            failures.append(f"fires: expected rule '{rule}' to fire, got it silent")
    for rule in exp.does_not_fire:
        if rule in fired:
            failures.append(f"does_not_fire: expected rule '{rule}' to stay silent, got it fired")
    failures += _plan_failures(exp, result)
    return failures


def _plan_failures(exp: Expectation, result: Result) -> list[str]:
    """The plan the report leads with, and what its reasons may name."""
    out: list[str] = []
    summary = result.summary
    best = summary.best_role.id if summary and summary.best_role else None
    first = summary.first_step if summary else None
    if exp.best_role is not None and best != exp.best_role:
        out.append(f"best_role: expected the plan to lead with {exp.best_role}, got {best or 'no plan'}")
    if exp.first_step is not None and (first is None or first.kind != exp.first_step):
        got = f"{first.kind} ({first.text})" if first else "no plan"
        out.append(f"first_step: expected a {exp.first_step} step first, got {got}")
    if exp.first_step_item is not None and (first is None or first.item != exp.first_step_item):
        out.append(f"first_step_item: expected the first step to be about {exp.first_step_item}, "
                   f"got {first.item if first else 'no plan'}")
    for words in exp.no_reason_says:
        pattern = re.compile(rf"(?<![\w-]){re.escape(words)}(?![\w-])")
        for rec in result.recommendations:
            for reason in rec.reasons:
                if pattern.search(reason.text):
                    out.append(f"no_reason_says: expected no reason to say '{words}', got one for {rec.id} "
                               f"(rule '{reason.rule}')")
    return out
