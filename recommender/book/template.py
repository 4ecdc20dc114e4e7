"""Explanation texts that quote answers by name, and nothing else.

A text is split once, at load, into literal parts and question ids; rendering
only looks ids up in the answers.  There is no str.format, so no attribute,
index or conversion tricks are possible: anything in braces that is not a bare
question id is a load error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Template:
    """Literal strings and placeholders, alternating: parts[0] is text, then name, text, ..."""

    parts: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return self.parts[1::2]

    def render(self, words: Callable[[str], str]) -> str:
        parts = self.parts
        if len(parts) == 1:  # no placeholder: the text itself
            return parts[0]
        out = list(parts)
        for i in range(1, len(parts), 2):
            out[i] = words(parts[i])
        return "".join(out)


def parse_template(text: str, known: Sequence[str] | Mapping[str, Any]) -> tuple[Template, list[str]]:
    """Split a text into parts; return the problems found (unknown names, stray braces)."""
    from recommender.suggest import did_you_mean

    parts: list[str] = []
    literal: list[str] = []
    problems: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        literal.append(text[pos:match.start()])
        pos = match.end()
        token = match.group(0)
        if token == "{{":
            literal.append("{")
        elif token == "}}":
            literal.append("}")
        elif match.group(1) is None:
            problems.append(f"stray '{token}' in the text; write '{token * 2}' for a literal brace")
        else:
            name = match.group(1).strip()
            if not _NAME.match(name):
                problems.append(f"'{{{match.group(1)}}}' is not a placeholder: only a question id may stand in "
                                "braces, such as {education}")
            elif name not in known:
                problems.append(f"unknown placeholder '{{{name}}}': placeholders name questions"
                                f"{did_you_mean(name, known)}")
            else:
                parts.append("".join(literal))
                parts.append(name)
                literal = []
    literal.append(text[pos:])
    parts.append("".join(literal))
    return Template(tuple(parts)), problems
