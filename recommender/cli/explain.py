"""`recommender explain`: why an item is or is not recommended, and what would change that."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from recommender.book.lookup import find_item as find_item  # re-exported: it lived here
from recommender.cli.helptext import HelpCommand
from recommender.cli.options import format_option, lang_option, rules_option
from recommender.i18n import N_, _

if TYPE_CHECKING:
    from recommender.book.rulebook import RuleBook
    from recommender.engine.explain import Explanation, RouteWhy, RuleEffect

WIDTH = 88
KINDS = ("certification", "program", "role")
#: Why no change the person could make would do it, by verdict (translated where shown).
NO_CHANGE_WHY = {
    "excluded": N_("the rule that rules it out reads answers no step can undo, such as the credentials you already "
                   "hold"),
    "recommended": N_("its routes ask for something your answers cannot show, so the issuer, school or licensing "
                      "board decides"),
    "other": N_("what stands in the way turns on your interests, goals or limits"),
}


@click.command(cls=HelpCommand, help=N_(
    "Explain why ITEM (a certification, program or role id such as CMA) is or is not\n"
    "recommended for ANSWERS: every rule that touched it, its eligibility route by route, and the\n"
    "smallest changes you could make that would change the answer."))
@click.argument("answers", type=click.Path(path_type=Path), metavar="ANSWERS")
@click.argument("item", metavar="ITEM")
@format_option("text", "json")
@rules_option
@lang_option
def explain(answers: Path, item: str, fmt: str, rules_dir: Path | None, lang: str) -> int:
    """`recommender explain` (its --help is the help= above, marked for translation)."""
    from recommender.book.answers import load_answers
    from recommender.book.cache import load_cached
    from recommender.engine.explain import explain as run

    book = load_cached(rules_dir, lang=lang)
    item_id = find_item(book, item, KINDS, "certification, program or role")
    profile = load_answers(answers, book).profile
    explanation = run(book, profile, item_id)
    click.echo(render_json(explanation) if fmt == "json" else render_text(explanation, book), nl=False)
    return 0


# ------------------------------------------------------------------ text
def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent, break_on_hyphens=False) or [first or indent]


def _sign(points: int) -> str:
    return f"+{points}" if points > 0 else str(points)


def render_text(e: Explanation, book: RuleBook) -> str:
    """The explanation as a person reads it in a terminal."""
    from recommender.engine.counterfactual import unmet_words
    from recommender.render import labels as L
    from recommender.render.common import plan_step_line

    title = e.name if e.short_name == e.name or e.short_name in e.name else f"{e.short_name}: {e.name}"
    out = [title, "=" * len(title)]
    if e.person:
        out.append(_("For {name}").format(name=e.person))
    out += [""] + _wrap(e.summary, "") + [""]
    if e.kind == "role":
        # What the job is, what it pays and where it is heading, each with its source.
        from recommender.render.plan_words import role_facts

        for text, sources in role_facts(book, e.item):
            cited = "".join(f" [{book.sources[s].url}]" for s in sources if s in book.sources)
            out += _wrap(f"{text}{cited}", "    ", "  ")
        out.append("")
    if e.routes:
        out += _wrap(_("ELIGIBILITY, ROUTE BY ROUTE (any one route is enough)"), "")
        out.append("")
        for route in e.routes:
            out += _wrap(f"[{_route_state(route)}] {book.route_label(e.item, route.id)}: {route.requirement}",
                         "      ", "  ")
            for gap in route.unmet:
                out += _wrap(unmet_words(gap, e.short_name), "        ", "      - ")
            if route.remaining:
                out.append(f"      {_(L.STILL_TO_DO)}")
            for i, step in enumerate(route.remaining, 1):
                out += _wrap(plan_step_line(step), "           ", f"        {i}. ")
        out.append("")
    out.append(_("RULES THAT TOUCHED IT"))
    out.append("")
    if not e.rules:
        out += _wrap(_("None of the rules that score it matched your answers."), "  ", "  ")
    for rule in e.rules:
        effect = _("excludes it") if rule.excludes else (_("suggests a step for it") if not rule.points else
                                                         _("{points} points").format(points=_sign(rule.points)))
        out += _wrap(f"{rule.rule} ({effect}): {rule.text}", "      ", "  ")
        if rule.answers:
            read = "; ".join(f"{book.question_info[q].label} = {_answer(book, q, v)}" for q, v in rule.answers)
            out += _wrap(_("It read: {answers}.").format(answers=read), "      ", "      ")
    out.append("")
    if e.could_add:
        out += _wrap(_("RULES THAT WOULD ADD POINTS, AND WHY THEY DID NOT"), "") + [""]
        for rule in e.could_add:
            why = "; ".join(unmet_words(u, "") for u in rule.unmet)
            only = "" if rule.actionable else f" {_why_fixed(rule)}"
            out += _wrap(_("{rule} (+{points}) applies if {condition}: {why}.").format(
                rule=rule.rule, points=rule.points, condition=rule.text, why=why) + only, "      ", "  ")
        out.append("")
    if e.next_steps:
        out += [_("NEXT STEPS"), ""]
        for i, step in enumerate(e.next_steps, 1):
            out += _wrap(plan_step_line(step), "      ", f"  {i}. ")
        out.append("")
    if e.provisional:
        out += _wrap(e.provisional, "  ", f"  {_(L.NOTE)} ") + [""]
    out += _counterfactual_lines(e)
    return "\n".join(line.rstrip() for line in out).rstrip("\n") + "\n"


def _why_fixed(rule: RuleEffect) -> str:
    """Why no step a person could take would make a rule apply."""
    from recommender.engine.simulate import ACTIONABLE

    if not any(q in ACTIONABLE for u in rule.unmet for q in u.questions):
        return _("It turns only on your interests, goals or limits, which are yours to choose.")
    return _("No step you could take would make it apply (training or experience cannot be undone).")


def _route_state(route: RouteWhy) -> str:
    if route.met:
        return _("met")
    if route.described_only:
        return _("ask the issuer")
    if not route.offered:
        return _("not for you")
    return _("not met") if route.met is False else _("answers cannot show")


def _answer(book: RuleBook, qid: str, value: Any) -> str:
    from recommender.engine.recommend import answer_text

    return answer_text(book, qid, value)


def _counterfactual_lines(e: Explanation) -> list[str]:
    from recommender.render.common import months

    if e.goal is None:
        return []
    heading = _("WHAT WOULD MAKE IT READY NOW") if e.goal == "ready" else _("WHAT WOULD MAKE IT RECOMMENDED")
    out = _wrap(heading, "") + [""]
    if not e.counterfactuals:
        why = _(NO_CHANGE_WHY.get(e.verdict, NO_CHANGE_WHY["other"]))
        out += _wrap(_("No set of up to three changes you could make (finishing a program, gaining experience, "
                       "earning a credential) would do it: {why}.").format(why=why), "  ", "  ")
        return out + [""]
    out += _wrap(_("Each set below was checked by re-running the rules on your answers with the change made. Only "
                   "changes you could make count: finishing a program, gaining experience, earning a credential; "
                   "never a change of interests or goals."), "  ", "  ") + [""]
    for n, cf in enumerate(e.counterfactuals, 1):
        parts = [c.text + (f" ({months(c.months)})" if c.months else "") for c in cf.changes]
        text = _("{changes}: then recommended, ready now, fit {score}.") if cf.status == "ready" else \
            _("{changes}: then recommended, after prerequisites, fit {score}.")
        out += _wrap(text.format(changes=" + ".join(parts), score=cf.score), "     ", f"  {n}. ")
    return out + [""]


# ------------------------------------------------------------------ json (in render.explanation; imported
# only when used, so `recommender --help` starts without pydantic)
def to_data(e: Explanation) -> dict[str, Any]:
    """The explanation as plain data, keys in a fixed order."""
    from recommender.render.explanation import to_data as data

    return data(e)


def render_json(e: Explanation) -> str:
    from recommender.render.explanation import render_json as text

    return text(e)
