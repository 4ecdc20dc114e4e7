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
    out += _wrap("Based on " + "; ".join(summary) + ".", "")
    out.append("")

    for kind in ("certification", "program", "role"):
        recs = result.by_kind(kind)
        out += [KIND_TITLES[kind].upper(), ""]
        if not recs:
            out += ["  None fits your answers yet; see 'Not recommended' below.", ""]
            continue
        for n, rec in enumerate(recs, 1):
            out += _rec(rec, n, cites, wrap, book.report.fit_label(rec.score))
    if result.advice:
        out += ["GENERAL ADVICE", ""]
        for step in result.advice:
            step = replace(step, text=f"{step.text} {cites.cite(step.cites)}".rstrip())
            out += _wrap(step.text, "    ", "  - ")
        out.append("")
    if result.pathways:
        out += ["PATHWAYS", ""]
        for path in result.pathways:
            out += pathway_lines(path, book, detail=False, wrap=wrap)
    shown_not = worth_a_why_not(book, result)
    if shown_not:
        out += ["NOT RECOMMENDED, AND WHAT WOULD CHANGE THAT", ""]
        for item in shown_not:
            out += _wrap(f"{_title(item.short_name, item.name)}: {item.why_not}", "      ", "  - ")
            for change in item.would_change[:2]:
                out += _wrap(change, "        ", "      > ")
        out += [""] + _wrap("For the smallest changes you could make that would change one of these, each "
                            "checked by re-running the rules, run: recommender explain ANSWERS ITEM", "  ", "  ")
        out.append("")
    unmatched = [n.short_name for n in result.not_recommended
                 if n.reason == "low_score" and not n.rules and n.kind == "certification"]
    if unmatched:
        out += ["OTHER CERTIFICATIONS", ""]
        out += _wrap(f"Your answers did not point to {join_words(unmatched)}. To see what would change "
                     "that for one of them, run: recommender explain ANSWERS ITEM", "  ", "  ")
        out.append("")
    return out


# ------------------------------------------------------------------ pathways
def pathway_lines(path: Pathway, book: RuleBook, detail: bool = True, wrap: Wrap | None = None) -> list[str]:
    """A pathway as text: steps, totals, warnings, alternatives and the years ahead.

    The report shows each alternative on one line; `recommender path` (detail) lists their steps.
    """
    _wrap = wrap or Wrap()
    fit = f"Fits your answers ({book.report.fit_label(path.score)})." if path.fits else \
        "Does not match your answers yet."
    out = _wrap(f"To become: {path.name}", "    ", "  ")
    out += _wrap(f"{fit} {plan_summary(path, book)}", "    ", "    ")
    for i, step in enumerate(path.steps, 1):
        out += _wrap(plan_step_line(step), "       ", f"    {i}. ")
    for step in path.later:
        out += _wrap(plan_step_line(step), "       ", "    Later: ")
    out += _wrap(f"Total: {totals(path)}.", "      ", "    ")
    for flag in path.flags:
        out += _wrap(flag, "      ", "    ! ")
    for note in path.notes:
        out += _wrap(note, "      ", "    Note: ")
    for alt in path.alternatives:
        title = f"{alt.label[:1].upper()}{alt.label[1:]}"
        if detail:
            out += _wrap(f"{title}: {plan_summary(alt, book)}", "      ", "    ")
            for i, step in enumerate(alt.steps, 1):
                out += _wrap(plan_step_line(step), "          ", f"       {i}. ")
            out += _wrap(f"Total: {totals(alt)}.", "         ", "       ")
            for note in alt.notes:
                out += _wrap(note, "         ", "       Note: ")
        else:
            chain = " → ".join(step_label(s) for s in alt.steps if s.kind != "job") or "no steps"
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
    title = _wrap(f"Pathways for {name}" if name else "Your pathways")
    out = title + ["=" * max(len(line) for line in title), ""]
    if not pathways:
        out += _wrap("No role fits your answers yet, so there is no pathway to plan. Name one with --to ROLE.",
                     "", "")
        out.append("")
    for path in pathways:
        lines = pathway_lines(path, book, detail=True, wrap=_wrap)
        about = [f"{text} {cites.cite(sources)}".rstrip() for text, sources in role_facts(book, path.role)]
        out += lines[:1] + [w for text in about for w in _wrap(text, "      ", "    ")] + lines[1:]
    listing = cites.listing(False)
    if listing:
        out += ["SOURCES"] + [w for num, text in listing for w in _wrap(text, " " * (len(str(num)) + 5),
                                                                          f"  [{num}] ")] + [""]
    return "\n".join(line.rstrip() for line in out).rstrip("\n") + "\n"


def _title(short: str, name: str) -> str:
    return name if short == name or short in name else f"{short}: {name}"


def _rec(rec: Recommendation, n: int, cites: SourceNumbers, _wrap: Wrap, fit: str) -> list[str]:
    out = _wrap(f"{_title(rec.short_name, rec.name)} [{rec.id}] {cites.cite(rec.sources[:3])}".rstrip(),
                "     ", f"  {n}. ")
    out += _wrap(f"{STATUS_WORDS[rec.status].capitalize()} · {fit} (score {rec.score})", "     ", "     ")
    if rec.reasons:
        out.append("     Why:")
        for reason in rec.reasons:
            sign = f"+{reason.points}" if reason.points > 0 else str(reason.points)
            out += _wrap(f"{reason.text} ({sign}, rule {reason.rule})", "         ", "       - ")
    if rec.provisional:
        out += _wrap(rec.provisional, "       ", "     Note: ")
    if rec.next_steps:
        label = "Next steps:" if rec.status == "ready" else "Before you can start:"
        out.append(f"     {label}")
        for i, step in enumerate(rec.next_steps, 1):
            out += _wrap(step_line(step), "          ", f"       {i}. ")
    out.append("")
    return out
