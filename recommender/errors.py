"""The one error root, and the located problems it carries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, with where it is."""

    path: str
    line: int
    message: str
    subject: str = ""  # e.g. "rule 'fast-start'"
    key: str = ""  # e.g. "when.all[1]"
    warning: bool = False
    code: str = ""  # a stable name for the kind of finding, e.g. "question-unread"; printed as [code]
    excerpt: tuple[str, ...] = ()  # the offending line and a caret under the column, shown below

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        head = " → ".join(part for part in (self.subject, self.key) if part)
        level = "warning: " if self.warning else ""
        text = f"{where}{level}{head}: {self.message}" if head else f"{where}{level}{self.message}"
        return one_line(text + (f" [{self.code}]" if self.code else ""))

    def shown(self) -> list[str]:
        """The problem's line, then its excerpt (the file's line with a caret), for a person to read."""
        return [str(self), *(one_line(line) for line in self.excerpt)]


def one_line(text: str) -> str:
    """Escape control and other unprintable characters, so one problem is always one line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


class RecommenderError(Exception):
    """Root of every error the tool reports to a person."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(path="recommender", line=0, message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = sorted(set(problems), key=_order)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]

    def shown(self) -> list[str]:
        """Every problem as a person reads it: its line, with the excerpt of the file where there is one."""
        return [line for p in self.problems for line in p.shown()]


def _order(problem: Problem) -> tuple[str, int, str, str, str]:
    return (problem.path, problem.line, problem.subject, problem.key, problem.message)


class RuleBookError(RecommenderError):
    """A rule file is missing, unreadable or invalid."""


class AnswersError(RecommenderError):
    """An answers file is missing, unreadable or invalid."""


class UnknownItemError(RecommenderError):
    """A command named a catalog item or role that does not exist."""


class OutputError(RecommenderError):
    """The output could not be written: stdout closed, the reader gone, the disk full."""
