"""Text that is safe to show a person: no terminal control sequences, and only what the output can encode.

Anything printed may quote a file (a name, a note, a rule-book text, a file name).  A control
character in it could move the cursor, retitle the window or write the clipboard (`ESC ] 52`),
and a bidirectional override could make a line read differently from what it holds.  Such
characters are written as `\\uXXXX` escapes: readable in a report, and inside a JSON string
the very same data, so one rule serves every format.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL and C1 controls, line and paragraph separators, the bidi
# embeddings, overrides and isolates, and lone surrogates (from undecodable file names).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# Typography the reports use, and what stands in for it where the output encoding cannot hold it.
ASCII_EQUIVALENTS = {
    "\u2013": "-", "\u2014": "--", "\u2192": "->", "\u2190": "<-", "\u2026": "...", "\u00b7": "-",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2022": "*", "\u00a0": " ",
    "\u2264": "<=", "\u2265": ">=", "\u00d7": "x", "\u2713": "ok", "\u2717": "x", "\u2248": "~",
    "\u2212": "-", "\u2011": "-", "\u2010": "-", "\u00a9": "(c)", "\u20ac": "EUR",
}


def first_unsafe(text: str) -> str | None:
    """The first character that would break a line or drive a terminal (newline and tab included), or None."""
    found = _UNSAFE_ONE_LINE.search(text)
    return found.group() if found else None


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_controls(text: str) -> str:
    """`text` with every unsafe character escaped; newlines and tabs are kept."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def one_line_text(text: str) -> str:
    """`text` with every unsafe character escaped, newlines and tabs too: a name stays on its line."""
    return _UNSAFE_ONE_LINE.sub(_escape, text) if _UNSAFE_ONE_LINE.search(text) else text


def encodable(text: str, encoding: str, lossless: bool = False) -> str:
    """`text` reduced to what `encoding` can hold.

    Characters the encoding lacks become their ASCII equivalents (`–` as `-`, `→` as `->`), or
    `\\uXXXX` escapes when `lossless` (JSON, where an escape is the same data) or when there is no
    equivalent.
    """
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    out = []
    for ch in text:
        try:
            ch.encode(encoding)
            out.append(ch)
            continue
        except (UnicodeEncodeError, LookupError):
            pass
        equivalent = None if lossless else ASCII_EQUIVALENTS.get(ch)
        if equivalent is None:
            code = ord(ch)
            equivalent = f"\\u{code:04x}" if code <= 0xFFFF else "\\u{:04x}\\u{:04x}".format(*_pair(code))
        out.append(equivalent)
    return "".join(out)


def _pair(code: int) -> tuple[int, int]:
    """The UTF-16 surrogate pair of a code point beyond the BMP, as JSON writes it."""
    code -= 0x10000
    return 0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)
