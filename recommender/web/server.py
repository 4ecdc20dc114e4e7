"""Start the site: load the rule book once, bind the socket, run uvicorn with one or more workers."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from recommender.book.cache import load_cached
from recommender.book.rulebook import RuleBook
from recommender.errors import RecommenderError
from recommender.i18n import LANGS

RULES_ENV = "RECOMMENDER_RULES"


def from_environment() -> FastAPI:
    """The app for `uvicorn --factory recommender.web.server:from_environment` (rule book from RECOMMENDER_RULES)."""
    from recommender.web.app import create_app

    folder = os.environ.get(RULES_ENV)
    books = load_books(Path(folder) if folder else None)
    app: FastAPI = create_app(books["en"], books)
    return app


def load_books(rules_dir: Path | None) -> dict[str, RuleBook]:
    """The rule book once per language the site speaks (each with its translations laid over the English)."""
    return {lang: load_cached(rules_dir, lang=lang) for lang in LANGS}


def run(rules_dir: Path | None, host: str, port: int, workers: int, say: Callable[[str], None]) -> int:
    """Serve until interrupted; the rule book is checked before the port is opened."""
    from recommender.web.app import create_app

    books = load_books(rules_dir)  # a broken book stops here, with the usual path:line messages
    book = books["en"]
    from recommender.advisor.workcopy import working_copy_warning

    warning = working_copy_warning(book.root)  # an advisor's unfinished edit would be live on this site
    if warning is not None:
        say(warning)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise RecommenderError(f"cannot listen on {host}:{port}: {(exc.strerror or str(exc)).lower()}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    say(f"Serving the questionnaire at http://{shown}:{bound}/ (API: /api, schema: /openapi.json). "
        f"Stop with Ctrl-C.")
    options: dict[str, Any] = {"fd": sock.fileno(), "log_level": "warning", "server_header": False,
                               "proxy_headers": False, "access_log": False}
    if workers == 1:
        uvicorn.run(create_app(book, books), **options)
    else:
        # Each worker process builds its own app from the same rule book folder, loaded once at its start.
        if rules_dir is not None:
            os.environ[RULES_ENV] = str(rules_dir.resolve())
        uvicorn.run("recommender.web.server:from_environment", factory=True, workers=workers, **options)
    sock.close()
    return 0
