"""Every response's security headers, bounded request bodies, and no cross-site form posts.

Plain ASGI rather than a Starlette middleware class, so a body over the limit is refused while it
streams in, before anything is buffered or parsed.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from recommender.book.yamlio import MAX_FILE_BYTES
from recommender.i18n import _, current_lang, number, use_lang
from recommender.web.lang import choose

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

#: An API body is an answers file, so it has the answers file's limit; a page's upload form adds
#: multipart framing around such a file, and the upload handler itself refuses a file over the limit.
API_LIMIT = MAX_FILE_BYTES
PAGE_LIMIT = MAX_FILE_BYTES + 64 * 1024

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


class TooLarge(Exception):
    """The request body went over its limit while being read."""


def is_api(path: str) -> bool:
    return path.startswith("/api/") or path in ("/api", "/healthz", "/openapi.json")


class Guard:
    """Wraps the app: adds the headers, counts body bytes, refuses cross-site posts."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        api = is_api(path)
        limit = API_LIMIT if api else PAGE_LIMIT
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                have = {k.lower() for k, _v in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in have]
                if not api and not path.startswith("/static/"):
                    # Pages show a person's answers: never keep them in a shared or on-disk cache.
                    extra.append((b"cache-control", b"no-store"))
                elif api and b"vary" not in have:
                    extra.append((b"vary", b"Accept-Language"))  # the same address answers in either language
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        # The whole request is answered in one language, refusals included (see web/lang.py).
        with use_lang(choose(path, scope.get("query_string", b""), headers, api)):
            # Pages keep answers in a cookie, so a form posted from another site is refused; the API uses no
            # cookies and takes requests from anywhere that can reach it.
            if not api and scope["method"] not in ("GET", "HEAD", "OPTIONS") and _cross_site(headers):
                await _refuse(send_with_headers, api, 403,
                              _("This form was sent from another site, so it was refused."))
                return
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                await _refuse(send_with_headers, api, 413, _too_large(limit))
                return
            seen = 0

            async def counted() -> Message:
                nonlocal seen
                message = await receive()
                if message["type"] == "http.request":
                    seen += len(message.get("body", b""))
                    if seen > limit:
                        raise TooLarge
                return message

            try:
                await self.app(scope, counted, send_with_headers)
            except TooLarge:
                if started:  # pragma: no cover - the app answers only after reading the whole body
                    raise
                await _refuse(send_with_headers, api, 413, _too_large(limit))


def _cross_site(headers: dict[str, str]) -> bool:
    """A browser's post from another site (Sec-Fetch-Site, else an Origin naming another host)."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site == "cross-site"
    origin = headers.get("origin")
    if origin is None or origin == "null":
        return origin == "null"
    host = headers.get("host", "")
    return origin.split("://", 1)[-1] != host


def _too_large(limit: int) -> str:
    return _("The request is larger than the limit of {limit} bytes.").format(limit=number(limit))


async def _refuse(send: Send, api: bool, status: int, message: str) -> None:
    if api:
        body = json.dumps({"errors": [{"loc": ["body"], "message": message}]}).encode()
        kind = b"application/json"
    else:
        from markupsafe import escape

        title = _("Error: {message}").format(message=message)
        body = (f'<!DOCTYPE html><html lang="{current_lang()}"><head><meta charset="utf-8"><title>{escape(title)}'
                f'</title><link rel="stylesheet" href="/static/site.css"></head><body><main class="page">'
                f'<h1>{escape(_("Sorry, that could not be done"))}</h1><p>{escape(message)}</p>'
                f'<p><a href="/">{escape(_("Go to the start page"))}</a></p></main></body></html>').encode()
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
