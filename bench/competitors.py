"""The same generated rules for GoRules' zen-engine (a decision table) and for rule-engine (expressions).

Both are optional (`pip install -e '.[bench]'`); the functions here import them only when called.
Our semantics: a comparison on an unanswered question does not hold, and a multi-select
that is not answered contains nothing.  Both other engines refuse to compare null
(zen-engine raises "Unsupported type", rule-engine a type error), so each translated
comparison first checks that the answer is there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from bench.generate import GenRule, Literal

TABLE_KEY = "rules.json"


# ------------------------------------------------------------------ zen-engine
def _zen_cell(lit: Literal) -> str:
    """A unary test on the column's value `$`."""
    v = lit.value
    if lit.op == "equals":
        return ("true" if v else "false") if isinstance(v, bool) else json.dumps(v)
    if lit.op == "one_of":
        return ", ".join(json.dumps(x) for x in v)
    if lit.op == "contains":
        return f"$ != null and {json.dumps(v)} in $"
    return f"$ != null and $ {'>=' if lit.op == 'gte' else '<='} {v}"


def zen_decision(rules: Sequence[GenRule]) -> dict[str, Any]:
    """A JDM graph: input → one decision table (hit policy "collect", a column per question) → output."""
    questions = sorted({lit.question for r in rules for lit in r.literals})
    column = {q: f"in_{q}" for q in questions}
    rows = []
    for r in rules:
        row = {column[q]: "" for q in questions}  # an empty cell matches anything
        for lit in r.literals:
            row[column[lit.question]] = _zen_cell(lit)
        rows.append({"_id": r.id, **row, "out_rule": json.dumps(r.id)})
    table = {
        "hitPolicy": "collect",
        "inputs": [{"id": column[q], "name": q, "field": q} for q in questions],
        "outputs": [{"id": "out_rule", "name": "rule", "field": "rule"}],
        "rules": rows,
    }
    return {
        "contentType": "application/vnd.gorules.decision",
        "nodes": [
            {"id": "request", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
            {"id": "table", "type": "decisionTableNode", "name": "Rules", "position": {"x": 200, "y": 0},
             "content": table},
            {"id": "response", "type": "outputNode", "name": "Response", "position": {"x": 400, "y": 0}},
        ],
        "edges": [
            {"id": "e1", "type": "edge", "sourceId": "request", "targetId": "table"},
            {"id": "e2", "type": "edge", "sourceId": "table", "targetId": "response"},
        ],
    }


class ZenMatcher:
    """Rules as a zen-engine decision table, evaluated with `evaluate_batch`."""

    def __init__(self, rules: Sequence[GenRule]) -> None:
        import zen

        self.engine = zen.ZenEngine({"loader": {"type": "static", "content": {TABLE_KEY: zen_decision(rules)}}})

    def fired_batch(self, profiles: Sequence[Mapping[str, Any]]) -> list[list[str]]:
        """Ids of the rules each profile fires, in table order."""
        results = self.engine.evaluate_batch([{"key": TABLE_KEY, "context": dict(p)} for p in profiles])
        out = []
        for res in results:
            if not res.get("success"):
                raise RuntimeError(f"zen-engine failed: {res.get('error')}")
            out.append([row["rule"] for row in res["data"]["result"]])
        return out


# ------------------------------------------------------------------ rule-engine
def _re_term(lit: Literal) -> str:
    q, v = lit.question, lit.value
    if lit.op == "equals":
        return f"{q} == {'true' if v else 'false'}" if isinstance(v, bool) else f"{q} == {json.dumps(v)}"
    if lit.op == "one_of":
        return f"{q} in [{', '.join(json.dumps(x) for x in v)}]"
    if lit.op == "contains":
        return f"({q} != null and {json.dumps(v)} in {q})"
    return f"({q} != null and {q} {'>=' if lit.op == 'gte' else '<='} {v})"


def rule_engine_text(rule: GenRule) -> str:
    """The rule's condition in rule-engine's expression language."""
    return " and ".join(_re_term(lit) for lit in rule.literals)


class RuleEngineMatcher:
    """Rules as `rule_engine.Rule` objects, each asked `matches(profile)`."""

    def __init__(self, rules: Sequence[GenRule]) -> None:
        import rule_engine

        # Questions a profile leaves unanswered resolve to null instead of raising.
        context = rule_engine.Context(default_value=None)
        self.rules = [(r.id, rule_engine.Rule(rule_engine_text(r), context=context)) for r in rules]

    def fired(self, profile: Mapping[str, Any]) -> list[str]:
        return [rid for rid, rule in self.rules if rule.matches(profile)]


def available() -> dict[str, str | None]:
    """Installed version of each optional engine, or None."""
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str | None] = {}
    for name in ("zen-engine", "rule-engine"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found
