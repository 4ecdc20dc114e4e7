"""The plain-text report a student reads in a terminal: the plan first, then short lists, links, facts, sources.

`details` adds everything behind the advice (every reason with its rule and points, route by
route eligibility, what is not recommended and what would change that, every pathway with
the years ahead), in place of the short lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from recommender.book.rulebook import RuleBook
from recommender.engine.result import Result
from recommender.i18n import _, ngettext
from recommender.render import labels as L
from recommender.render.common import KIND_TITLES, SourceNumbers
from recommender.render.plan_words import (
    MAX_LINKS,
    SHORT_LIST,
    answers_file,
    cards,
    item_title,
    key_facts,
    links,
    main_reason,
    no_role_yet,
    nothing_yet,
    pay_short,
    pay_words,
    readiness,
    short_list,
    shorten,
    step_facts,
    wants_pay,
)
from recommender.render.text_details import detail_lines
from recommender.render.wrap import DEFAULT_WIDTH, Wrap

ITEM_LINES = 3
MAX_LINES = 80


def render_text(result: Result, book: RuleBook, details: bool = False, width: int = DEFAULT_WIDTH) -> str:
    if details:
        return _render(result, book, details, width)
    # The short report aims at MAX_LINES at the usual width: when it runs over, it gives up, in
    # turn, the reasons of later items, key facts, list items, the remaining reasons and links.
    for level in LEVELS:
        text = _render(result, book, False, width, level)
        if text.count("\n") <= MAX_LINES:
            break
    return text


@dataclass(frozen=True)
class Level:
    """How much the short report shows."""

    later_reasons: bool = True  # a reason line for items after the first of each kind
    first_reasons: bool = True
    facts: int = 5
    items: int = SHORT_LIST
    links: int = MAX_LINKS
    advice_lines: int = 0  # at most this many lines for each piece of advice (0: all of it)


LEVELS = (Level(), Level(later_reasons=False), Level(later_reasons=False, facts=3),
          Level(later_reasons=False, facts=3, items=2), Level(False, False, 3, 2),
          Level(False, False, 2, 2, 4), Level(False, False, 2, 1, 3), Level(False, False, 1, 1, 2),
          Level(False, False, 1, 1, 2, advice_lines=2), Level(False, False, 0, 1, 2, advice_lines=2))


def _render(result: Result, book: RuleBook, details: bool, width: int, level: Level = Level()) -> str:
    wrap = Wrap(width)
    cites = SourceNumbers(book)
    title = wrap(_("Your plan, {name}").format(name=result.name) if result.name else _("Your plan"))
    out = title + ["=" * max(len(line) for line in title), ""]
    out += plan_lines(result, book, cites, wrap)
    if not details and result.advice:
        out.append(_(L.GOOD_TO_KNOW).upper())
        for step in result.advice:
            words = shorten(step.text, level.advice_lines * (wrap.width - 12)) if level.advice_lines else step.text
            out += wrap(f"{words} {cites.cite(step.cites)}".rstrip(), "    ", "  - ")
        out.append("")
    shown: list[str] = []
    if details:
        out += detail_lines(result, book, cites, wrap)
        shown = [r.id for r in result.recommendations]
    else:
        role_cards = cards(result)
        firsts = result.summary.firsts if result.summary else {}
        pay_wanted = wants_pay(result)
        for kind in ("certification", "program", "role"):
            recs, more = short_list(result, kind, level.items)
            if not recs:
                continue
            out += [_(KIND_TITLES[kind]).upper()]
            for n, rec in enumerate(recs):
                shown.append(rec.id)
                fit = book.report.fit_label(rec.score)
                ready = readiness(rec, role_cards.get(rec.id), firsts)
                card = role_cards.get(rec.id)
                pay = f" · {pay_short(card.pay)} {cites.cite(card.pay.sources)}" if pay_wanted and card and card.pay \
                    else ""
                head = wrap(f"{item_title(rec)} · {fit} · {ready}{pay}", "    ", "  - ")
                wanted = level.first_reasons if n == 0 else level.later_reasons
                room = max(0, ITEM_LINES - len(head)) if wanted else 0  # at most three lines an item
                reason = main_reason(rec, room * (wrap.width - 6))
                out += head + (wrap(reason, "    ", "    ")[:room] if reason and room else [])
            if more:
                out += wrap(ngettext("and {n} more (add --details to see them)",
                                     "and {n} more (add --details to see them)", more).format(n=more), "    ", "  ")
            out.append("")
    out += where_next(result, book, cites, wrap, shown, details, level.links)
    out += facts_lines(result, book, cites, wrap, level.facts)
    out += sources_lines(cites, wrap, notes=details)
    return "\n".join(line.rstrip() for line in out).rstrip("\n") + "\n"


def plan_lines(result: Result, book: RuleBook, cites: SourceNumbers, wrap: Wrap) -> list[str]:
    """The plan: best role with pay and outlook, this month's step, what follows, other roles, the legend."""
    s = result.summary
    if s is None or s.best_role is None or s.first_step is None:
        if not result.recommendations:
            return wrap(nothing_yet(f"recommender quiz --answers {answers_file(result)}")) + [""]
        return wrap(no_role_yet(f"`recommender explain {answers_file(result)} ITEM`")) + [""]
    role, first = s.best_role, s.first_step
    out = wrap(f"{_(L.BEST_FIT)} {role.name} · {role.fit}")
    if role.description:
        out += wrap(shorten(role.description, 2 * (wrap.width - 6)), "  ", "  ")
    if role.pay is not None:
        out += wrap(f"{_(L.PAY)} {pay_words(role.pay)} {cites.cite(role.pay.sources)}".rstrip(), "    ", "  ")
    if role.outlook is not None:
        out += wrap(f"{_(L.OUTLOOK)} {role.outlook.text} {cites.cite(role.outlook.sources)}".rstrip(), "    ", "  ")
    if role.entry_education is not None:
        out += wrap(f"{_(L.TO_START)} {role.entry_education.text} "
                    f"{cites.cite(role.entry_education.sources)}".rstrip(), "    ", "  ")
    out.append("")
    out += wrap(f"{_(L.THIS_MONTH)} {first.text.rstrip('.')}.", "  ")
    facts = step_facts(first, book)
    if facts:
        out += wrap(facts, "  ", "  ")
    if first.why:
        out += wrap(f"{_(L.WHY)} {shorten(first.why, 2 * (wrap.width - 6))}", "    ", "  ")
    if s.then:
        out += ["", _(L.THEN)]
        for n, text in enumerate(s.then, 2):
            out += wrap(shorten(text.rstrip(".") + ".", 2 * (wrap.width - 8)), "     ", f"  {n}. ")
    if s.alternatives:
        out += ["", _(L.OR_INSTEAD)]
        for alt in s.alternatives:
            out += wrap(f"{alt.name}: {alt.first_step.rstrip('.')}.", "    ", "  - ")
    out += [""] + wrap(f"{_(L.FIT)} {s.fit_legend}") + [""]
    return out


def where_next(result: Result, book: RuleBook, cites: SourceNumbers, wrap: Wrap, shown: list[str],
               details: bool = False, limit: int = MAX_LINKS) -> list[str]:
    found = links(book, result, shown)[:limit]
    if not found:
        return []
    out = [_(L.WHERE_NEXT).upper()]
    for link in found:
        # A link is its own source; where its address was confirmed shows only with the details.
        mark = f" {cites.cite(link.sources)}" if details else ""
        out += wrap(f"{link.label}: {link.url}{mark}", "    ", "  - ")
    return out + [""]


def facts_lines(result: Result, book: RuleBook, cites: SourceNumbers, wrap: Wrap, limit: int = 5) -> list[str]:
    facts = key_facts(book, result)[:limit]
    if not facts:  # limit 0 leaves the section out
        return []
    out = [_(L.KEY_FACTS).upper()]
    for fact in facts:
        # Facts that rest on weaker sources say so in their own words (a `rules check` rule).
        out += wrap(f"{fact.value} {cites.cite(fact.sources)}".rstrip(), "    ", "  - ")
    return out + [""]


def sources_lines(cites: SourceNumbers, wrap: Wrap, notes: bool = False) -> list[str]:
    listing = cites.listing(notes)
    if not listing:
        return []
    out = [_(L.SOURCES).upper()]
    for num, text in listing:
        lead = f"  [{num}] "
        out += wrap(text, " " * len(lead), lead)
    return out + [""]
