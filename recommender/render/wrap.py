"""Wrapping lines to a width: only at spaces, never inside a word or an address."""

from __future__ import annotations

import textwrap

DEFAULT_WIDTH = 88
MIN_WIDTH, MAX_WIDTH = 40, 100


def clamp(width: int) -> int:
    return max(MIN_WIDTH, min(MAX_WIDTH, width))


class Wrap:
    """Wraps paragraphs to one width; a word longer than the line (an address) stays whole on its own line."""

    def __init__(self, width: int = DEFAULT_WIDTH) -> None:
        self.width = clamp(width)

    def __call__(self, text: str, indent: str = "", first: str | None = None) -> list[str]:
        head = first if first is not None else indent
        return textwrap.wrap(text, self.width, initial_indent=head, subsequent_indent=indent,
                             break_long_words=False, break_on_hyphens=False) or [head.rstrip()]
