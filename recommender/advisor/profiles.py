"""Example people: finding answers files, and running the `expect` blocks of profiles as tests."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from recommender.advisor.expectations import Expectation, check, parse_expectation
from recommender.book.answers import AnswersFile, load_answers
from recommender.book.rulebook import RuleBook
from recommender.book.yamlio import special_file
from recommender.engine.recommend import recommend
from recommender.errors import AnswersError, Problem, RecommenderError

SUFFIXES = (".yaml", ".yml", ".json")


def shown(path: Path) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def default_profiles_dir(rules_root: Path) -> Path:
    """The profiles/ folder beside the rule book (ROOT/profiles in a checkout)."""
    return rules_root.resolve().parent / "profiles"


def profile_files(paths: Sequence[Path], rules_root: Path) -> list[Path]:
    """The answers files named, with folders expanded (sorted); the default profiles folder if none."""
    if not paths:
        folder = default_profiles_dir(rules_root)
        if not folder.is_dir():
            raise RecommenderError(Problem(shown(folder), 0, "no profiles folder beside the rule book; "
                                           "name the answers files or folders to use"))
        paths = [folder]
    out: list[Path] = []
    problems = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and not p.name.startswith("."))
            special = [(p, kind) for p in found if (kind := special_file(p)) is not None]
            for p, kind in special:  # a pipe would hang the run, a device would never end
                problems.append(Problem(shown(p), 0, f"is {kind}, not a regular file; only regular files are "
                                                     f"read from a folder"))
            if not found:
                problems.append(Problem(shown(path), 0, f"no answers files ({', '.join(SUFFIXES)}) in this folder"))
            out.extend(found)
        elif path.exists():
            out.append(path)
        else:
            problems.append(Problem(shown(path), 0, "no such file or folder"))
    if problems:
        raise RecommenderError(problems)
    return list(dict.fromkeys(out))


def load_profiles(book: RuleBook, files: Sequence[Path]) -> list[AnswersFile]:
    """Load every answers file; raise one AnswersError listing the problems of all of them."""
    loaded, problems = [], []
    for path in files:
        try:
            loaded.append(load_answers(path, book, shown(path)))
        except AnswersError as exc:
            problems.extend(exc.problems)
    if problems:
        raise AnswersError(problems)
    return loaded


# ------------------------------------------------------------------ rules test
@dataclass
class Outcome:
    """One profile's test: problems reading it, or the expectations that failed."""

    path: str
    name: str | None = None
    has_expectations: bool = False
    errors: list[Problem] = field(default_factory=list)  # the file or its expect block is invalid
    failures: list[Problem] = field(default_factory=list)  # the report differs from the expectation

    @property
    def passed(self) -> bool:
        return not self.errors and not self.failures


def run_tests(book: RuleBook, files: Sequence[Path]) -> list[Outcome]:
    """Check every profile's expect block; never stop at the first failure."""
    return [_run_one(book, path) for path in files]


def _run_one(book: RuleBook, path: Path) -> Outcome:
    outcome = Outcome(shown(path))
    try:
        answers = load_answers(path, book, outcome.path)
    except AnswersError as exc:
        outcome.errors = list(exc.problems)
        return outcome
    outcome.name = answers.profile.name
    if answers.expect is None or answers.doc is None:
        return outcome
    outcome.has_expectations = True
    expectation, problems = parse_expectation(answers.expect, answers.doc, book)
    if expectation is None:
        outcome.errors = problems
        return outcome
    doc = answers.doc
    for message in check(expectation, recommend(book, answers.profile)):
        name, _, rest = message.partition(": ")
        key = name if name in Expectation.model_fields else ""
        line = doc.line(("expect", key)) if key else doc.line(("expect",))
        outcome.failures.append(Problem(outcome.path, line, rest if key else message, "expect", key))
    return outcome


def tests_text(outcomes: Sequence[Outcome]) -> str:
    """One line per profile, each failure under it, and the closing 'N passed, M failed' line."""
    lines = []
    for o in outcomes:
        label = f"  {o.name}" if o.name else ""
        if o.passed:
            note = "" if o.has_expectations or o.errors else "  (no expect block: only checked that it runs)"
            lines.append(f"PASS  {o.path}{label}{note}")
            continue
        lines.append(f"FAIL  {o.path}{label}")
        lines.extend(f"      {p}" for p in o.errors + o.failures)
    passed = sum(o.passed for o in outcomes)
    lines.append(f"{passed} passed, {len(outcomes) - passed} failed")
    return "\n".join(lines) + "\n"


def tests_json(outcomes: Sequence[Outcome]) -> str:
    """The same as one JSON object, for CI."""
    def problem(p: Problem, split: bool = False) -> dict[str, object]:
        out: dict[str, object] = {"path": p.path, "line": p.line, "key": p.key, "message": p.message}
        expected, sep, got = p.message.removeprefix("expected ").partition(", got ")
        if split and p.message.startswith("expected ") and sep:
            out.update(expected=expected, got=got)
        return out

    passed = sum(o.passed for o in outcomes)
    data = {
        "passed": passed,
        "failed": len(outcomes) - passed,
        "profiles": [{"path": o.path, "name": o.name, "passed": o.passed, "has_expectations": o.has_expectations,
                      "errors": [problem(p) for p in o.errors], "failures": [problem(p, True) for p in o.failures]}
                     for o in outcomes],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
