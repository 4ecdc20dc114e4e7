"""'Did you mean' suggestions for misspelled names, in the active language.

Advisors' commands never set a language, so their messages stay English; the quiz, answers
files and the web page follow the person's.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from typing import Any

from recommender.i18n import _


def closest(name: Any, known: Iterable[str]) -> str | None:
    """The known name most like `name`, if one is close enough."""
    if not isinstance(name, str) or len(name) > 200:  # no name that long is a typo of a short one
        return None
    choices = sorted(set(known))
    by_case = {c.lower(): c for c in choices}
    if name.lower() in by_case and by_case[name.lower()] != name:
        return by_case[name.lower()]
    match = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return match[0] if match else None


def did_you_mean(name: Any, known: Iterable[str]) -> str:
    """'; did you mean 'x'?' or nothing."""
    guess = closest(name, known)
    return _("; did you mean '{guess}'?").format(guess=guess) if guess else ""


def fold(text: str) -> str:
    """Text compared without case or accents: 'Sí' and 'si', 'Atrás' and 'atras' are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def show(value: Any) -> str:
    """A value from a file as a message quotes it: 'text', true, nothing, a list, 3."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value[:80]}'"
    if value is None:
        return _("nothing")
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, (list, tuple)):
        return _("a list")
    return repr(value)[:80]
