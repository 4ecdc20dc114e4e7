"""Facts that use facts, items whose eligibility needs other items: order, cycles and depth, without recursion.

A rule book may chain a fact on a fact a thousand times.  Walking such a chain with recursion
ends in Python's RecursionError, an internal error a rule book must never cause; so the walks
here keep their own stack, and `too_deep` finds the chains the recursive engine could not follow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from recommender.book import conditions as C

# How deep a condition may nest once facts and eligibility are expanded: each level costs the
# evaluator a few stack frames, and Python allows about a thousand.
MAX_EXPANDED_DEPTH = 100


def topological(nodes: Iterable[str], uses: Callable[[str], Iterable[str]]) -> tuple[list[str], list[list[str]]]:
    """The nodes ordered so each comes after the nodes it uses, and every cycle met (as a closed path).

    A cycle is reported when the walk re-enters a node on its current path, as `[a, b, a]`.
    """
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    order: list[str] = []
    cycles: list[list[str]] = []
    for root in nodes:
        if root in state:
            continue
        path: list[str] = [root]
        state[root] = 1
        pending: list[list[str]] = [list(uses(root))[::-1]]  # reversed: pop() takes them in order
        while path:
            if pending[-1]:
                nxt = pending[-1].pop()
                if state.get(nxt) == 1:
                    cycles.append(path[path.index(nxt):] + [nxt])
                elif nxt not in state:
                    state[nxt] = 1
                    path.append(nxt)
                    pending.append(list(uses(nxt))[::-1])
                continue
            done = path.pop()
            pending.pop()
            state[done] = 2
            order.append(done)
    return order, cycles


def nesting(cond: C.Condition, fact_depth: Mapping[str, int], item_depth: Mapping[str, int]) -> int:
    """How deep `cond` nests once each fact and item is replaced by its own (already known) depth."""
    if isinstance(cond, (C.All, C.AnyOf)):
        return 1 + max((nesting(c, fact_depth, item_depth) for c in cond.items), default=0)
    if isinstance(cond, C.Not):
        return 1 + nesting(cond.item, fact_depth, item_depth)
    if isinstance(cond, C.Fact):
        return 1 + fact_depth.get(cond.id, 0)
    if isinstance(cond, C.Eligible):
        return 1 + item_depth.get(cond.item, 0)
    return 1


def too_deep(facts: Mapping[str, C.Condition], routes: Mapping[str, Iterable[C.Condition]],
             limit: int = MAX_EXPANDED_DEPTH) -> dict[tuple[str, str], int]:
    """("fact" | "item", id) -> depth, for each fact or item whose expanded conditions exceed `limit`.

    Expects no cycles (they are reported first); a node on a cycle is simply left out.
    """
    def uses(node: str) -> list[str]:
        kind, name = node.split(":", 1)
        conds = [facts[name]] if kind == "fact" and name in facts else list(routes.get(name, ())) if kind == "item" else []
        out: list[str] = []
        for cond in conds:
            out += [f"fact:{f}" for f in C.facts_used(cond) if f in facts]
            out += [f"item:{i}" for i in C.items_used(cond) if i in routes]
        return out

    nodes = [f"fact:{f}" for f in facts] + [f"item:{i}" for i in routes]
    order, _cycles = topological(nodes, uses)
    fact_depth: dict[str, int] = {}
    item_depth: dict[str, int] = {}
    for node in order:  # every node after those it uses, so their depths are known
        kind, name = node.split(":", 1)
        if kind == "fact":
            fact_depth[name] = nesting(facts[name], fact_depth, item_depth)
        else:
            item_depth[name] = max((nesting(c, fact_depth, item_depth) for c in routes[name]), default=0)
    found = {("fact", k): v for k, v in fact_depth.items() if v > limit}
    found.update({("item", k): v for k, v in item_depth.items() if v > limit})
    return found
