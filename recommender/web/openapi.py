"""What the API publishes about the questionnaire, and how its request bodies are described."""

from __future__ import annotations

from typing import Any

from recommender.book.rulebook import RuleBook
from recommender.quiz.session import Session

EXAMPLE = {"name": "Luis", "answers": {"education": "high_school", "ma_training": "none", "experience_years": 0,
                                       "interests": ["patient_contact", "scheduling"], "goals": ["first_job_fast"],
                                       "budget_usd": 800}}

#: The body of every POST: an answers file as JSON (read by the same loader as the command line's).
ANSWERS_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "An answers file as JSON: `answers` maps question ids (see GET /api/questionnaire) to "
                       "answers; `name`, `notes` and `status` are optional. Questions left out take their default.",
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["answers"], "additionalProperties": False,
            "properties": {
                "answers": {"type": "object", "additionalProperties": True},
                "name": {"type": "string"}, "notes": {"type": "string"},
                "status": {"type": "string", "enum": ["in_progress", "completed"]},
            },
        }, "example": EXAMPLE}},
    },
    "responses": {
        "422": {"description": "Bad answers: `{\"errors\": [{\"loc\": [...], \"message\": \"...\"}]}`"},
        "413": {"description": "The body is over the answers-file limit of 2,000,000 bytes"},
    },
}


def questionnaire_data(book: RuleBook) -> dict[str, Any]:
    """The questions in the order the quiz asks them, with everything a form needs to show and check them."""
    session = Session(book)
    questions = []
    for q in book.questions:
        entry: dict[str, Any] = {"id": q.id, "type": q.type, "prompt": q.prompt, "label": q.label, "help": q.help,
                                 "required": q.required, "default": q.default}
        if q.type in ("single", "multi"):
            entry["options"] = [{"id": cid, "label": label, "help": text} for cid, label, text in session.choices(q)]
        if q.type == "number":
            entry.update({"min": q.min, "max": q.max, "integer": q.integer, "unit": q.unit})
        entry["ask_if"] = q.ask_if
        entry["ask_if_text"] = session.condition_words(q.id) if q.ask_if is not None else None
        questions.append(entry)
    return {"questions": questions}
