"""The text report's details (`--details`): every reason with its rule and points, routes, why-nots, pathways."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from recommender.book.conditions import join_words
from recommender.book.rulebook import RuleBook
from recommender.engine.recommend import answer_text
from recommender.engine.result import (
    Pathway,
    Recommendation,
    Result,
    step_label,
)
from recommender.i18n import _
from recommender.render import labels as L
from recommender.render.common import (
    KIND_TITLES,
    STATUS_WORDS,
    SourceNumbers,
    plan_step_line,
    plan_summary,
    step_line,
    totals,
)
from recommender.render.plan_words import role_facts, worth_a_why_not
from recommender.render.wrap import DEFAULT_WIDTH, Wrap


def detail_lines(result: Result, book: RuleBook, cites: SourceNumbers, wrap: Wrap) -> list[str]:
    """Everything behind the plan, for a person or advisor who wants to check it."""
    out: list[str] = []
    _wrap = wrap
    answers = dict(result.answers)
    summary = [f"{book.question_info[q].label}: {answer_text(book, q, answers[q])}"
               for q in ("education", "ma_training", "experience_years", "goals") if q in answers]
    out += _wrap(_("Based on {answers}.").format(answers="; ".join(summary)), "")
    out.append("")

    for kind in ("certification", "program", "role"):
        recs = result.by_kind(kind)
        out += [_(KIND_TITLES[kind]).upper(), ""]
        if not recs:
            out += _wrap(_("None fits your answers yet; see 'Not recommended' below."), "  ", "  ") + [""]
            continue
        for n, rec in enumerate(recs, 1):
            out += _rec(rec, n, cites, wrap, book.report.fit_label(rec.score))
    if result.advice:
        out += [_(L.GENERAL_ADVICE).upper(), ""]
        for step in result.advice:
            step = replace(step, text=f"{step.text} {cites.cite(step.cites)}".rstrip())
            out += _wrap(step.text, "    ", "  - ")
        out.append("")
    if result.pathways:
        out += [_(L.PATHWAYS).upper(), ""]
        for path in result.pathways:
            out += pathway_lines(path, book, detail=False, wrap=wrap)
    shown_not = worth_a_why_not(book, result)
    if shown_not:
        out += [_(L.NOT_RECOMMENDED).upper(), ""]
        for item in shown_not:
            out += _wrap(f"{_title(item.short_name, item.name)}: {item.why_not}", "      ", "  - ")
            for change in item.would_change[:2]:
                out += _wrap(change, "        ", "      > ")
        out += [""] + _wrap(_("For the smallest changes you could make that would change one of these, each "
                              "checked by re-running the rules, run: {command}").format(
                                  command="recommender explain ANSWERS ITEM"), "  ", "  ")
        out.append("")
    unmatched = [n.short_name for n in result.not_recommended
                 if n.reason == "low_score" and not n.rules and n.kind == "certification"]
    if unmatched:
        out += [_(L.OTHER_CERTIFICATIONS).upper(), ""]
        out += _wrap(_("Your answers did not point to {items}. To see what would change that for one of them, run: "
                       "{command}").format(items=join_words(unmatched), command="recommender explain ANSWERS ITEM"),
                     "  ", "  ")
        out.append("")
    return out


# ------------------------------------------------------------------ pathways
def pathway_lines(path: Pathway, book: RuleBook, detail: bool = True, wrap: Wrap | None = None) -> list[str]:
    """A pathway as text: steps, totals, warnings, alternatives and the years ahead.

    The report shows each alternative on one line; `recommender path` (detail) lists their steps.
    """
    _wrap = wrap or Wrap()
    out = _wrap(f"{_(L.TO_BECOME)} {path.name}", "    ", "  ")
    out += _wrap(f"{fit_words(path, book)} {plan_summary(path, book)}", "    ", "    ")
    for i, step in enumerate(path.steps, 1):
        out += _wrap(plan_step_line(step), "       ", f"    {i}. ")
    for step in path.later:
        out += _wrap(plan_step_line(step), "       ", f"    {_(L.LATER)} ")
    out += _wrap(f"{_(L.TOTAL)} {totals(path)}.", "      ", "    ")
    for flag in path.flags:
        out += _wrap(flag, "      ", "    ! ")
    for note in path.notes:
        out += _wrap(note, "      ", f"    {_(L.NOTE)} ")
    for alt in path.alternatives:
        title = f"{alt.label[:1].upper()}{alt.label[1:]}"
        if detail:
            out += _wrap(f"{title}: {plan_summary(alt, book)}", "      ", "    ")
            for i, step in enumerate(alt.steps, 1):
                out += _wrap(plan_step_line(step), "          ", f"       {i}. ")
            out += _wrap(f"{_(L.TOTAL)} {totals(alt)}.", "         ", "       ")
            for note in alt.notes:
                out += _wrap(note, "         ", f"       {_(L.NOTE)} ")
        else:
            chain = " → ".join(step_label(s) for s in alt.steps if s.kind != "job") or _("no steps")
            out += _wrap(f"{title}: {chain} ({totals(alt)}).", "      ", "    ")
    for view in path.years:
        out += _wrap(view.summary, "      ", "    ")
    out.append("")
    return out



def render_pathways_text(pathways: Sequence[Pathway], book: RuleBook, name: str | None,
                         width: int = DEFAULT_WIDTH) -> str:
    """The output of `recommender path`: every pathway in full."""
    _wrap = Wrap(width)
    cites = SourceNumbers(book)
    title = _wrap(_("Pathways for {name}").format(name=name) if name else _("Your pathways"))
    out = title + ["=" * max(len(line) for line in title), ""]
    if not pathways:
        out += _wrap(no_pathway("--to ROLE"), "", "")
        out.append("")
    for path in pathways:
        lines = pathway_lines(path, book, detail=True, wrap=_wrap)
        about = [f"{text} {cites.cite(sources)}".rstrip() for text, sources in role_facts(book, path.role)]
        head = len(_wrap(f"{_(L.TO_BECOME)} {path.name}", "    ", "  "))  # a long role name takes two lines
        out += lines[:head] + [w for text in about for w in _wrap(text, "      ", "    ")] + lines[head:]
    listing = cites.listing(False)
    if listing:
        out += [_(L.SOURCES).upper()] + [w for num, text in listing for w in _wrap(text, " " * (len(str(num)) + 5),
                                                                          f"  [{num}] ")] + [""]
    return "\n".join(line.rstrip() for line in out).rstrip("\n") + "\n"


def fit_words(path: Pathway, book: RuleBook) -> str:
    """Whether a pathway's role fits the person, in words."""
    if path.fits:
        return _("Fits your answers ({fit}).").format(fit=book.report.fit_label(path.score))
    return _("Does not match your answers yet.")


def no_pathway(option: str) -> str:
    """What `recommender path` says when no role fits; `option` is how to name one."""
    return _("No role fits your answers yet, so there is no pathway to plan. Name one with {option}.").format(
        option=option)


def _title(short: str, name: str) -> str:
    return name if short == name or short in name else f"{short}: {name}"


def _rec(rec: Recommendation, n: int, cites: SourceNumbers, _wrap: Wrap, fit: str) -> list[str]:
    out = _wrap(f"{_title(rec.short_name, rec.name)} [{rec.id}] {cites.cite(rec.sources[:3])}".rstrip(),
                "     ", f"  {n}. ")
    status = _(STATUS_WORDS[rec.status]).capitalize()
    out += _wrap(_("{status} · {fit} (score {score})").format(status=status, fit=fit, score=rec.score), "     ", "     ")
    if rec.reasons:
        out.append(f"     {_(L.WHY)}")
        for reason in rec.reasons:
            sign = f"+{reason.points}" if reason.points > 0 else str(reason.points)
            out += _wrap(_("{reason} ({points}, rule {rule})").format(reason=reason.text, points=sign, rule=reason.rule),
                         "         ", "       - ")
    if rec.provisional:
        out += _wrap(rec.provisional, "       ", f"     {_(L.NOTE)} ")
    if rec.next_steps:
        label = _(L.NEXT_STEPS) if rec.status == "ready" else _(L.BEFORE_START)
        out.append(f"     {label}")
        for i, step in enumerate(rec.next_steps, 1):
            out += _wrap(step_line(step), "          ", f"       {i}. ")
    out.append("")
    return out
