"""The plain-text report a student reads in a terminal: the plan first, then short lists, links, facts, sources.

`details` adds everything behind the advice (every reason with its rule and points, route by
route eligibility, what is not recommended and what would change that, every pathway with
the years ahead), in place of the short lists.
"""

from __future__ import annotations

from recommender.book.rulebook import RuleBook
from recommender.engine.result import Result
from recommender.render.common import KIND_TITLES, SourceNumbers
from recommender.render.plan_words import (
    cards,
    item_title,
    key_facts,
    links,
    main_reason,
    pay_words,
    readiness,
    short_list,
    shorten,
    step_facts,
)
from recommender.render.text_details import detail_lines
from recommender.render.wrap import DEFAULT_WIDTH, Wrap

ITEM_LINES = 3
MAX_LINES = 80


def render_text(result: Result, book: RuleBook, details: bool = False, width: int = DEFAULT_WIDTH) -> str:
    if details:
        return _render(result, book, details, width, 0)
    # The short report aims at MAX_LINES at the usual width: when it runs over, later items in
    # each list lose their reason line first, then the key facts shrink to three.
    for level in range(3):
        text = _render(result, book, False, width, level)
        if text.count("\n") <= MAX_LINES:
            break
    return text


def _render(result: Result, book: RuleBook, details: bool, width: int, level: int) -> str:
    wrap = Wrap(width)
    cites = SourceNumbers(book)
    title = wrap(f"Your plan, {result.name}" if result.name else "Your plan")
    out = title + ["=" * max(len(line) for line in title), ""]
    out += plan_lines(result, book, cites, wrap)
    shown: list[str] = []
    if details:
        out += detail_lines(result, book, cites, wrap)
        shown = [r.id for r in result.recommendations]
    else:
        role_cards = cards(result)
        firsts = result.summary.firsts if result.summary else {}
        for kind in ("certification", "program", "role"):
            recs, more = short_list(result, kind)
            if not recs:
                continue
            out += [KIND_TITLES[kind].upper()]
            for n, rec in enumerate(recs):
                shown.append(rec.id)
                fit = book.report.fit_label(rec.score)
                ready = readiness(rec, role_cards.get(rec.id), firsts)
                head = wrap(f"{item_title(rec)} · {fit} · {ready}", "    ", "  - ")
                room = max(0, ITEM_LINES - len(head)) if n == 0 or level == 0 else 0  # at most three lines an item
                reason = main_reason(rec, room * (wrap.width - 6))
                out += head + (wrap(reason, "    ", "    ")[:room] if reason and room else [])
            if more:
                out += wrap(f"and {more} more (recommender recommend ANSWERS --details lists them)", "    ", "  ")
            out.append("")
    out += where_next(result, book, cites, wrap, shown)
    out += facts_lines(result, book, cites, wrap, 3 if level >= 2 else 5)
    out += sources_lines(cites, wrap, notes=details)
    return "\n".join(line.rstrip() for line in out).rstrip("\n") + "\n"


def plan_lines(result: Result, book: RuleBook, cites: SourceNumbers, wrap: Wrap) -> list[str]:
    """The plan: best role with pay and outlook, this month's step, what follows, other roles, the legend."""
    s = result.summary
    if s is None or s.best_role is None or s.first_step is None:
        if not result.recommendations:
            return wrap("Your answers do not point to a credential, program or role yet. Add what interests "
                        "you and what you want from work (recommender quiz --answers ANSWERS), then ask "
                        "again.") + [""]
        return wrap("No role fits your answers yet. The lists below show the credentials and programs that "
                    "do; `recommender explain ANSWERS ITEM` says what would change that for one of them.") + [""]
    role, first = s.best_role, s.first_step
    out = wrap(f"Best fit for you: {role.name} ({role.fit})")
    if role.description:
        out += wrap(shorten(role.description, 2 * (wrap.width - 6)), "  ", "  ")
    if role.pay is not None:
        out += wrap(f"Pay: {pay_words(role.pay)} {cites.cite(role.pay.sources)}".rstrip(), "    ", "  ")
    if role.outlook is not None:
        out += wrap(f"Outlook: {role.outlook.text} {cites.cite(role.outlook.sources)}".rstrip(), "    ", "  ")
    out.append("")
    out += wrap(f"This month: {first.text.rstrip('.')}.", "  ")
    facts = step_facts(first, book)
    if facts:
        out += wrap(facts, "  ", "  ")
    if first.why:
        out += wrap(f"Why: {shorten(first.why, 2 * (wrap.width - 6))}", "    ", "  ")
    if s.then:
        out += ["", "Then:"]
        for n, text in enumerate(s.then, 2):
            out += wrap(shorten(text.rstrip(".") + ".", 2 * (wrap.width - 8)), "     ", f"  {n}. ")
    if s.alternatives:
        out += ["", "Or instead:"]
        for alt in s.alternatives:
            out += wrap(f"{alt.name}: {alt.first_step.rstrip('.')}.", "    ", "  - ")
    out += [""] + wrap(f"Fit: {s.fit_legend}") + [""]
    return out


def where_next(result: Result, book: RuleBook, cites: SourceNumbers, wrap: Wrap, shown: list[str]) -> list[str]:
    found = links(book, result, shown)
    if not found:
        return []
    out = ["WHERE TO GO NEXT"]
    for link in found:
        out += wrap(f"{link.label}: {link.url} {cites.cite(link.sources)}".rstrip(), "    ", "  - ")
    return out + [""]


def facts_lines(result: Result, book: RuleBook, cites: SourceNumbers, wrap: Wrap, limit: int = 5) -> list[str]:
    facts = key_facts(book, result)[:limit]
    if not facts:
        return []
    out = ["KEY FACTS"]
    for fact in facts:
        # Facts that rest on weaker sources say so in their own words (a `rules check` rule).
        out += wrap(f"{fact.value} {cites.cite(fact.sources)}".rstrip(), "    ", "  - ")
    return out + [""]


def sources_lines(cites: SourceNumbers, wrap: Wrap, notes: bool = False) -> list[str]:
    listing = cites.listing(notes)
    if not listing:
        return []
    out = ["SOURCES"]
    for num, text in listing:
        lead = f"  [{num}] "
        out += wrap(text, " " * len(lead), lead)
    return out + [""]
