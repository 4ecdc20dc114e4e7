"""A pathway as an SVG diagram drawn on the server: one box per step, top to bottom, joined by arrows.

Only presentation attributes and classes from the site's stylesheet (the Content-Security-Policy
allows no inline styles), and every text escaped. The page lists the same steps as text beside it.
"""

from __future__ import annotations

import textwrap
from typing import Any

from markupsafe import Markup, escape

from recommender.i18n import ngettext

WIDTH = 560
BOX_X, BOX_W = 20, 520
LINE_H = 18
GAP = 28
CHARS = 58  # characters per line inside a box at the stylesheet's font size


def pathway_svg(path: dict[str, Any], key: str, facts: list[str]) -> Markup:
    """The diagram for one pathway; `facts[i]` is the time and cost line of step i (may be empty)."""
    steps = path.get("steps", [])
    parts: list[str] = []
    y = 10
    for i, step in enumerate(steps):
        lines = textwrap.wrap(f"{i + 1}. {_label(step)}", CHARS)[:3] or [f"{i + 1}."]
        extra = [facts[i]] if i < len(facts) and facts[i] else []
        height = 16 + LINE_H * (len(lines) + len(extra))
        kind = "job" if step.get("kind") == "job" else "step"
        parts.append(f'<rect class="svg-{kind}" x="{BOX_X}" y="{y}" width="{BOX_W}" height="{height}" rx="6"/>')
        ty = y + 8 + LINE_H - 4
        for line in lines:
            parts.append(f'<text class="svg-label" x="{BOX_X + 14}" y="{ty}">{escape(line)}</text>')
            ty += LINE_H
        for line in extra:
            parts.append(f'<text class="svg-fact" x="{BOX_X + 14}" y="{ty}">{escape(line[:CHARS + 20])}</text>')
            ty += LINE_H
        y += height
        if i < len(steps) - 1:
            mid = BOX_X + BOX_W // 2
            parts.append(f'<path class="svg-arrow" d="M{mid} {y + 2} V{y + GAP - 6} M{mid - 6} {y + GAP - 12} '
                         f'L{mid} {y + GAP - 4} L{mid + 6} {y + GAP - 12}"/>')
            y += GAP
    height = y + 10
    title = ngettext("Diagram: {count} step to become {role}", "Diagram: {count} steps to become {role}",
                     len(steps)).format(count=len(steps), role=path.get("name", ""))
    return Markup(
        f'<svg class="pathway-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{key}-title" '
        f'aria-describedby="{key}-steps" focusable="false"><title id="{key}-title">{escape(title)}</title>'
        + "".join(parts) + "</svg>"
    )


def _label(step: dict[str, Any]) -> str:
    return str(step.get("label") or step.get("text") or "")
