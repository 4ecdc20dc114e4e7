"""The Python API for integrators: load a rule book and answers, get a result, render or explain it.

These names are stable; the modules behind them may move. Everything here is what the
command line itself uses. For Spanish, load the book with `load_rulebook(lang="es")` and run
`recommend`, `explain` and `render` inside `with use_lang("es"):`, so the program's own words
follow the book's.
"""

from __future__ import annotations

from recommender.book.answers import AnswersFile, Profile, load_answers, profile_from
from recommender.book.loader import default_rules_dir, load_rulebook
from recommender.book.rulebook import RuleBook
from recommender.engine.build import plan_for
from recommender.engine.explain import Explanation, explain
from recommender.engine.recommend import recommend
from recommender.engine.result import Result
from recommender.errors import AnswersError, RecommenderError, RuleBookError
from recommender.i18n import LANGS, use_lang
from recommender.render import render

__all__ = [
    "LANGS", "AnswersError", "AnswersFile", "Explanation", "Profile", "RecommenderError", "Result", "RuleBook",
    "RuleBookError", "default_rules_dir", "explain", "load_answers", "load_rulebook", "plan_for", "profile_from",
    "recommend", "render", "use_lang",
]
