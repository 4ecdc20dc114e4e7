"""The output boundary: what every command writes to stdout passes through here.

`Guarded` stands in for sys.stdout while a command runs.  It escapes control characters (so no
file can drive the terminal), fits the text to the output's encoding (ASCII equivalents such as
`->` for `→` in text, lossless `\\uXXXX` escapes in JSON), and turns a failed write (a closed
stdout, a reader that went away, a full disk) into one `OutputError`, which `main` reports with
its own exit code.  Ordinary exceptions are used, not OSError, so click cannot swallow a broken
pipe before `main` sees it.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
from typing import IO, Any

import click

from recommender.errors import OutputError
from recommender.safetext import encodable, escape_controls

FORMAT_KEY = "recommender.format"
LOSSLESS_FORMATS = ("json", "jsonl")


def remember_format(ctx: click.Context, _param: Any, value: str) -> str:
    """Click callback: note the output format, so the boundary knows whether JSON is being written."""
    ctx.meta[FORMAT_KEY] = value
    return value


def _lossless() -> bool:
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.meta.get(FORMAT_KEY) in LOSSLESS_FORMATS


def reason(exc: OSError) -> str:
    """A failed write in a few plain words."""
    if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
        return "the program reading the output stopped reading (broken pipe)"
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EBADF:
        return "standard output is closed"
    return (exc.strerror or str(exc)).rstrip(".").lower()


class Guarded(io.TextIOBase):
    """A text stream over another one that escapes, fits the encoding, and reports failures as OutputError."""

    def __init__(self, stream: IO[str] | None, escape: bool = True, raise_errors: bool = True) -> None:
        super().__init__()
        self.stream = stream
        self.escape = escape
        self.raise_errors = raise_errors
        self.broken: str | None = None  # why the first write failed; later writes fail the same way

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self.stream, "encoding", None) or "utf-8")

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return "strict"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        try:
            return self.stream is not None and bool(self.stream.isatty())
        except (AttributeError, ValueError, OSError):
            return False

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click probes streams with bytes to tell binary from text
            raise TypeError("write() argument must be str")
        if not text:  # click probes with empty writes; they must not touch (or fail on) the stream
            return 0
        if self.stream is None or self.broken:
            return self._fail(None)
        shown = escape_controls(text) if self.escape else text
        shown = encodable(shown, self.encoding, _lossless())
        try:
            self.stream.write(shown)
        except (OSError, ValueError) as exc:  # ValueError: the stream was closed under us
            self._fail(exc)
        return len(text)

    def flush(self) -> None:
        if self.stream is None or self.broken:
            return
        try:
            self.stream.flush()
        except (OSError, ValueError) as exc:
            self._fail(exc)

    def _fail(self, exc: OSError | ValueError | None) -> int:
        if not self.raise_errors:
            return 0
        if self.broken is None:
            if exc is None or isinstance(exc, ValueError):
                self.broken = "standard output is closed"
            else:
                self.broken = reason(exc)
                if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
                    _silence(self.stream)
        raise OutputError(f"cannot write the output: {self.broken}")


def _silence(stream: IO[str] | None) -> None:
    """Point a broken stdout at /dev/null, so the interpreter's last flush has nowhere to fail."""
    with contextlib.suppress(AttributeError, ValueError, OSError, io.UnsupportedOperation):
        assert stream is not None
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
