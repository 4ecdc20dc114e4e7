"""A question as a form, and a submitted form as an answer, through the quiz's own `Session`."""

from __future__ import annotations

from typing import Any

from recommender.book.runtime import Question
from recommender.i18n import _, number
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
            return text[:MAX_FIELD], None, _("that is not a number; {how}").format(how=session.how_to_answer(q))
        entry = session.parse(q, text)
        if entry.kind == "answer":
            return text, entry.value, None
        if entry.kind == "invalid":
            return text, None, entry.reason
        # '?', 'b' and 'q' are the terminal's commands; on a page they are just not numbers.
        return text, None, _("'{text}' is not a number; {how}").format(text=text.strip(),
                                                                         how=session.how_to_answer(q))
    chosen = [v for v in values if v]
    if not chosen:
        return None, None, _("this question needs an answer; choose one of the options")
    if len(chosen) > 1:
        return None, None, _("choose only one of the options")
    if q.type == "boolean":
        if chosen[0] not in ("yes", "no"):
            return None, None, _("choose yes or no")
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
            view["hint"] = _("Select all that apply. Leave every box empty if none applies.")
    elif q.type == "boolean":
        view["options"] = [{"id": "yes", "label": _("Yes"), "help": None, "checked": current is True},
                           {"id": "no", "label": _("No"), "help": None, "checked": current is False}]
    else:
        view["value"] = _number(current)
        view["unit"] = q.unit
        # Shown as a "$" before the box; the id says so in every language (the unit is translated).
        view["money"] = q.id.endswith("_usd") or "dollar" in (q.unit or "")
        view["integer"] = q.integer
        view["hint"] = number_hint(q)
    return view


def _number(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return str(value)
    return str(value)


def number_hint(q: Question) -> str:
    """What a number field takes, as a sentence: 'Enter a whole number from 0 to 50 (years).'"""
    unit = f" ({q.unit})" if q.unit else ""
    low, high = (_shown(q.min), _shown(q.max))
    if q.min is not None and q.max is not None:
        text = (_("Enter a whole number from {min} to {max}{unit}.") if q.integer
                else _("Enter a number from {min} to {max}{unit}."))
    elif q.min is not None:
        text = (_("Enter a whole number of at least {min}{unit}.") if q.integer
                else _("Enter a number of at least {min}{unit}."))
    else:
        text = _("Enter a whole number{unit}.") if q.integer else _("Enter a number{unit}.")
    return text.format(min=low, max=high, unit=unit)


def _shown(value: float | None) -> str:
    if value is None:
        return ""
    return number(value) if float(value).is_integer() else f"{value:g}"
