"""YAML syntax errors in plain words, with the offending line and a caret under the column.

The parser's own words ("did not find expected '-' indicator") describe its state, not the
mistake, and libyaml and the pure-Python parser word them differently.  So the mistake is
diagnosed from the text around the place the parser stopped: a tab in the indentation, a
key without its colon, a quote or bracket never closed, a key or list item out of line with
the one above it.  Anything else keeps the parser's words, still with the caret.
"""

from __future__ import annotations

import yaml

from recommender.errors import Problem, one_line

_WINDOW = 100  # characters of a long line shown around the caret


def syntax_problem(exc: yaml.MarkedYAMLError, shown: str, text: str) -> Problem:
    """The located, plain-words problem for a YAML syntax error in `text`."""
    lines = text.splitlines()
    mark = exc.problem_mark or exc.context_mark
    line = min(mark.line, max(len(lines) - 1, 0)) if mark is not None else 0
    column = mark.column if mark is not None and mark.line < len(lines) else 0
    problem = exc.problem or ""
    context = exc.context or ""
    ctx = exc.context_mark

    def at(n: int, col: int, message: str) -> Problem:
        source = lines[n] if 0 <= n < len(lines) else ""
        return Problem(shown, n + 1, message, excerpt=excerpt(n + 1, source, col))

    # A tab is looked for on the line the parser stopped at, and above it when the parser names one.
    tab = _leading_tab(lines, ctx.line if ctx is not None and "tab" in problem else line, line)
    if tab is not None:
        return at(tab[0], tab[1], "this line is indented with a tab; YAML needs spaces: replace the tab with spaces")
    at_end = "end of stream" in problem or "stream end" in problem or (mark is not None and mark.line >= len(lines))
    if ctx is not None and "quoted scalar" in context and at_end:
        quote = _char_at(lines, ctx.line, ctx.column) or '"'
        return at(ctx.line, ctx.column, f"this quote ({quote}) is never closed: end the text with a matching {quote}")
    if ctx is not None and ("flow sequence" in context or "flow mapping" in context) and "expected ','" in problem:
        opening, closing = ("[", "]") if "sequence" in context else ("{", "}")
        return at(ctx.line, ctx.column, f"this '{opening}' is never closed: add the matching '{closing}' "
                                        "after the last value")
    unclosed = _unclosed(lines) if at_end and "quoted scalar" not in context else None
    if unclosed is not None:
        n, col, opening = unclosed
        closing = "]" if opening == "[" else "}"
        return at(n, col, f"this '{opening}' is never closed: add the matching '{closing}' after the last value")
    if ctx is not None and "simple key" in context:
        return at(ctx.line, _indent(lines[ctx.line]) if ctx.line < len(lines) else 0,
                  "this line has no ':' after its key: write it as 'key: value'")
    if 0 <= line < len(lines):
        current = lines[line]
        before = _previous(lines, line)
        if "mapping values" in problem and before is not None and _bare_word(lines[before]):
            return at(before, _indent(lines[before]), "this line has no ':' after its key: write it as 'key: value'")
        if _is_item(current):
            above = _previous(lines, line, items_only=True)
            if above is not None and _indent(lines[above]) != _indent(current):
                return at(line, _indent(current), f"this list item is indented differently from the one above it "
                                                  f"(line {above + 1}); items of one list must line up")
            return at(line, _indent(current), "this list item is not where a list can start: line it up with "
                                              "the other items, or put it under a key ending with ':'")
        if before is not None and ("mapping values" in problem or "expected" in problem) \
                and _key_column(lines[before]) != _indent(current):
            return at(line, _indent(current), f"this key is indented differently from the one above it "
                                              f"(line {before + 1}); keys of one mapping must line up")
    words = problem or context or "invalid YAML"
    return at(line, column, f"not valid YAML: {words}")


def excerpt(line: int, source: str, column: int) -> tuple[str, ...]:
    """Two lines to print under a problem: the file's line, escaped, and a caret under `column`."""
    shown = [one_line(ch) for ch in source.rstrip("\r\n")]
    column = max(0, min(column, len(shown)))
    start = max(0, column - _WINDOW // 2) if sum(map(len, shown)) > _WINDOW else 0
    window = shown[start:start + _WINDOW]
    head = ("…" if start else "") + "".join(window) + ("…" if start + _WINDOW < len(shown) else "")
    pad = (1 if start else 0) + sum(len(s) for s in shown[start:column])
    gutter = f"{line:>6} | "
    return (gutter + head).rstrip(), " " * (len(gutter) - 2) + "| " + " " * pad + "^"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_item(line: str) -> bool:
    body = line.lstrip(" ")
    return body == "-" or body.startswith("- ")


def _key_column(line: str) -> int:
    """Where the key of a line starts: after the dash of a list item."""
    col = _indent(line)
    while _is_item(line[col:]):
        col += 1
        col += len(line[col:]) - len(line[col:].lstrip(" "))
    return col


def _bare_word(line: str) -> bool:
    """A line that is only a word or two, with no ':' or '-': a key that lost its colon."""
    body = line.strip()
    return bool(body) and ":" not in body and not body.startswith(("-", "#", "[", "{", "'", '"'))


def _previous(lines: list[str], line: int, items_only: bool = False) -> int | None:
    """The nearest earlier line with content (a list item, with items_only), skipping comments."""
    for n in range(line - 1, -1, -1):
        body = lines[n].strip()
        if body and not body.startswith("#") and (not items_only or _is_item(lines[n])):
            return n
    return None


def _leading_tab(lines: list[str], first: int, last: int) -> tuple[int, int] | None:
    """The first tab in the indentation of lines first..last, as (line, column)."""
    for n in range(max(first, 0), min(last, len(lines) - 1) + 1):
        body = lines[n]
        lead = body[:len(body) - len(body.lstrip(" \t"))]
        if "\t" in lead:
            return n, lead.index("\t")
    return None


def _unclosed(lines: list[str]) -> tuple[int, int, str] | None:
    """The last '[' or '{' never closed, skipping quoted text and comments, as (line, column, bracket)."""
    stack: list[tuple[int, int, str]] = []
    for n, line in enumerate(lines):
        quote = ""
        col = 0
        while col < len(line):
            ch = line[col]
            if quote:
                if ch == "\\" and quote == '"':
                    col += 1
                elif ch == quote:
                    quote = ""
            elif ch in "'\"" and (col == 0 or line[col - 1] in " [{,:"):
                quote = ch
            elif ch == "#" and (col == 0 or line[col - 1] == " "):
                break
            elif ch in "[{":
                stack.append((n, col, ch))
            elif ch in "]}" and stack:
                stack.pop()
            col += 1
    return stack[-1] if stack else None


def _char_at(lines: list[str], line: int, column: int) -> str:
    return lines[line][column] if line < len(lines) and column < len(lines[line]) else ""
