from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.book.template import parse_template

KNOWN = ["education", "goals"]


def test_placeholders_render_from_answers_only() -> None:
    t, problems = parse_template("You said {education}; goals: {goals}.", KNOWN)
    assert problems == []
    assert t.names == ("education", "goals")
    assert t.render(lambda name: name.upper()) == "You said EDUCATION; goals: GOALS."


def test_doubled_braces_are_literal() -> None:
    t, problems = parse_template("a {{b}} c", KNOWN)
    assert problems == [] and t.render(str) == "a {b} c"


@pytest.mark.parametrize(("text", "problem"), [
    ("{answers.__class__}", "'{answers.__class__}' is not a placeholder: only a question id may stand in "
                            "braces, such as {education}"),
    ("{0.__init__}", "'{0.__init__}' is not a placeholder: only a question id may stand in braces, such as {education}"),
    ("{education[0]}", "'{education[0]}' is not a placeholder: only a question id may stand in braces, such as {education}"),
    ("{education!r}", "'{education!r}' is not a placeholder: only a question id may stand in braces, such as {education}"),
    ("{educaton}", "unknown placeholder '{educaton}': placeholders name questions; did you mean 'education'?"),
    ("open { brace", "stray '{' in the text; write '{{' for a literal brace"),
    ("close } brace", "stray '}' in the text; write '}}' for a literal brace"),
])
def test_anything_but_a_question_id_is_refused(text: str, problem: str) -> None:
    _, problems = parse_template(text, KNOWN)
    assert problems == [problem]


@given(st.text(max_size=80))
def test_any_text_parses_or_reports_and_renders_without_lookups_beyond_known(text: str) -> None:
    template, _ = parse_template(text, KNOWN)
    seen: list[str] = []
    template.render(lambda name: seen.append(name) or "")
    assert set(seen) <= set(KNOWN)
