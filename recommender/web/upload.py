"""An uploaded answers file: read as `quiz --resume` reads one, or one message saying what is wrong."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile

from recommender.book.rulebook import RuleBook
from recommender.book.yamlio import MAX_FILE_BYTES
from recommender.errors import AnswersError
from recommender.i18n import _, number
from recommender.quiz.savefile import read_saved_text
from recommender.quiz.session import Session
from recommender.web.state import MAX_NOTES, State, fits


async def upload_answers(file: Any, book: RuleBook) -> tuple[State | None, list[str]]:
    """(the new state and notes on answers that could not be kept) or (None, [why the file was refused])."""
    if not isinstance(file, UploadFile) or not file.filename:
        return None, [_("Choose an answers file to upload (one you downloaded here, or one `recommender quiz` saved).")]
    shown = _shown_name(file.filename)
    data = await file.read(MAX_FILE_BYTES + 1)
    if not data:
        return None, [_("{file} is empty; choose the answers file you downloaded.").format(file=shown)]
    if len(data) > MAX_FILE_BYTES:
        return None, [_("{file} is larger than the limit of {limit} bytes for an answers file.").format(
            file=shown, limit=number(MAX_FILE_BYTES))]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [_("{file}: byte {byte} is not valid UTF-8; this does not look like an answers file.").format(
            file=shown, byte=exc.start)]
    try:
        saved = read_saved_text(text, shown, book)
    except AnswersError as exc:
        return None, ["; ".join(exc.lines())]
    session, issues = Session.restore(book, saved.answers, resume=True, finished=saved.status == "completed")
    messages = [f"{saved.where(issue.question)}: {issue.message}" for issue in
                sorted(issues, key=lambda i: saved.lines.get(i.question, 0))]
    name = saved.name if isinstance(saved.name, str) else None
    notes = saved.notes if isinstance(saved.notes, str) else None
    if notes is not None and (len(notes) > MAX_NOTES or not fits(session, name, notes)):
        messages.append(_("{file}: its notes are too long to keep in your browser; the answers you download "
                          "from here will not have them.").format(file=shown))
        notes = None
    if name is not None and not fits(session, name, None):
        name = None
    return State(session, name, notes), messages


def _shown_name(filename: str) -> str:
    """The file's own name (no folders), printable and short, as messages quote it."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(ch for ch in base if ch.isprintable())[:80]
    return clean or _("the file")
