"""A question as a form, and a submitted form as an answer, through the quiz's own `Session`."""

from __future__ import annotations

from typing import Any

from recommender.book.rulefile import Question
from recommender.quiz.session import Session

MAX_FIELD = 200  # a number field longer than this is not a number anyone typed


def form_value(session: Session, q: Question, fields: list[Any]) -> tuple[Any, Any, str | None]:
    """(what to show again in the form, the answer, or what is wrong) for the values posted as `answer`."""
    values = [v for v in fields if isinstance(v, str)]
    if q.type == "multi":
        picked = [v for v in values if v]
        return picked, picked, None  # ids the options do not have are refused by Session.answer
    if q.type == "number":
        text = values[0] if values else ""
        if len(text) > MAX_FIELD:
            return text[:MAX_FIELD], None, f"that is not a number; {session.how_to_answer(q)}"
        entry = session.parse(q, text)
        if entry.kind == "answer":
            return text, entry.value, None
        if entry.kind == "invalid":
            return text, None, entry.reason
        # '?', 'b' and 'q' are the terminal's commands; on a page they are just not numbers.
        return text, None, f"'{text.strip()}' is not a number; {session.how_to_answer(q)}"
    chosen = [v for v in values if v]
    if not chosen:
        return None, None, "this question needs an answer; choose one of the options"
    if len(chosen) > 1:
        return None, None, "choose only one of the options"
    if q.type == "boolean":
        if chosen[0] not in ("yes", "no"):
            return None, None, "choose yes or no"
        return chosen[0] == "yes", chosen[0] == "yes", None
    return chosen[0], chosen[0], None


def question_view(session: Session, q: Question, current: Any) -> dict[str, Any]:
    """What the question template needs: the prompt, hints, and each option with whether it is ticked."""
    view: dict[str, Any] = {"id": q.id, "type": q.type, "prompt": q.prompt, "help": q.help, "options": [],
                            "hint": None}
    if q.type in ("single", "multi"):
        chosen = set(current) if isinstance(current, list) else {current}
        view["options"] = [{"id": cid, "label": label, "help": text, "checked": cid in chosen}
                           for cid, label, text in session.choices(q)]
        if q.type == "multi":
            view["hint"] = "Select all that apply. Leave every box empty if none applies."
    elif q.type == "boolean":
        view["options"] = [{"id": "yes", "label": "Yes", "help": None, "checked": current is True},
                           {"id": "no", "label": "No", "help": None, "checked": current is False}]
    else:
        view["value"] = _number(current)
        view["unit"] = q.unit
        view["integer"] = q.integer
        view["hint"] = session.how_to_answer(q).replace("type ", "Enter ", 1) + "."
    return view


def _number(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return str(value)
    return str(value)
