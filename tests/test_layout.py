"""The package's shape: imports flow one way between stages, no module imports itself in a circle.

Every import of every module under recommender/ is read with `ast` (including imports inside
functions and under TYPE_CHECKING: they are dependencies all the same).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "recommender"

#: Each stage and the stages it may import. Data flows one way:
#: front ends → tools (quiz, advisor, cohort) → render → engine → book → base.
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "book": {"base"},
    "engine": {"book", "base"},
    "render": {"engine", "book", "base"},
    "quiz": {"render", "engine", "book", "base"},
    "advisor": {"render", "engine", "book", "base"},
    "cohort": {"render", "engine", "book", "base"},
    # `recommender serve` (cli.serve) starts the web front end, and only when that command runs.
    "cli": {"web", "quiz", "advisor", "cohort", "render", "engine", "book", "base"},
    "web": {"quiz", "advisor", "cohort", "render", "engine", "book", "base"},
    "front": {"quiz", "advisor", "cohort", "render", "engine", "book", "base", "cli"},
}
BASE_MODULES = {"recommender", "recommender.errors", "recommender.suggest", "recommender.safetext"}
FRONT_MODULES = {"recommender.__main__", "recommender.api"}
MAX_LINES = 420


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def stage(module: str) -> str:
    if module in BASE_MODULES or module.startswith("recommender.i18n"):
        return "base"
    if module in FRONT_MODULES:
        return "front"
    return module.split(".")[1]


def imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules that `path` imports, resolved to module names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from recommender.book import conditions` imports a module; `from x import name`, a name.
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                     for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name.startswith("recommender"):
                found.add(name)
    return found


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(files)
    return {m: imports(p, modules) - {m} for m, p in files.items()}


def back_edges(edges: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in sorted(edges.items()):
        for target in sorted(targets):
            if target == "recommender" or target.startswith(f"{module}."):
                continue  # the package root holds only the version; a package may import its own modules
            a, b = stage(module), stage(target)
            if a != b and b not in ALLOWED[a]:
                wrong.append(f"{module} imports {target}: '{a}' may not import '{b}'")
    return wrong


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each reported once as the path that closes it (depth-first search)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    return found


def test_every_module_belongs_to_a_declared_stage() -> None:
    unknown = sorted(m for m in graph() if stage(m) not in ALLOWED)
    assert unknown == []


def test_imports_flow_one_way_between_stages() -> None:
    assert back_edges(graph()) == []


def test_no_import_cycles() -> None:
    assert [" → ".join(c) for c in cycles(graph())] == []


def test_no_module_is_much_over_four_hundred_lines() -> None:
    long = {module_name(p): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


# ------------------------------------------------------------------ the checks themselves can fail
def test_a_back_edge_names_both_modules() -> None:
    edges = {"recommender.book.loader": {"recommender.engine.recommend"}, "recommender.engine.recommend": set()}
    assert back_edges(edges) == ["recommender.book.loader imports recommender.engine.recommend: "
                                 "'book' may not import 'engine'"]


def test_a_cycle_is_found_and_named() -> None:
    edges = {"recommender.engine.a": {"recommender.engine.b"}, "recommender.engine.b": {"recommender.engine.c"},
             "recommender.engine.c": {"recommender.engine.a"}}
    assert cycles(edges) == [["recommender.engine.a", "recommender.engine.b", "recommender.engine.c",
                              "recommender.engine.a"]]


@pytest.mark.parametrize("source, expected", [
    ("from recommender.book import conditions as C", {"recommender.book.conditions"}),
    ("from recommender.book.loader import load_rulebook", {"recommender.book.loader"}),
    ("def f():\n    from recommender.engine.recommend import recommend", {"recommender.engine.recommend"}),
    ("import recommender.render.json", {"recommender.render.json"}),
    ("import json", set()),
])
def test_imports_are_resolved_to_modules(tmp_path: Path, source: str, expected: set[str]) -> None:
    path = tmp_path / "m.py"
    path.write_text(source)
    modules = {"recommender", "recommender.book", "recommender.book.conditions", "recommender.book.loader",
               "recommender.engine", "recommender.engine.recommend", "recommender.render",
               "recommender.render.json"}
    assert imports(path, modules) == expected
