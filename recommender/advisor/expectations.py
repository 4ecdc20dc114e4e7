"""Expectations in example profiles (`expect:` blocks), checked against a Result."""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationError

from recommender.book.model import ItemId, Model, RuleId, SInt
from recommender.book.rulebook import RuleBook
from recommender.book.validation import known_keys, problems_from
from recommender.book.yamlio import Document
from recommender.engine.result import Result, Status
from recommender.errors import Problem
from recommender.suggest import did_you_mean


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
    return failures
