"""The plain-text report a student reads in a terminal."""

from __future__ import annotations

import textwrap

from recommender.conditions import join_words
from recommender.engine import answer_text
from recommender.render.common import KIND_TITLES, STATUS_WORDS, SourceNumbers, key_facts, step_line, totals
from recommender.result import Recommendation, Result
from recommender.rulebook import RuleBook

WIDTH = 88


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent, break_on_hyphens=False) or [first or indent]


def render_text(result: Result, book: RuleBook) -> str:
    cites = SourceNumbers(book)
    out: list[str] = []
    title = f"Recommendations for {result.name}" if result.name else "Your recommendations"
    out += [title, "=" * len(title), ""]
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
            out += _rec(rec, n, cites)
    if result.advice:
        out += ["GENERAL ADVICE", ""]
        for step in result.advice:
            out += _wrap(step.text, "    ", "  - ")
        out.append("")
    if result.pathways:
        out += ["PATHWAYS", ""]
        for path in result.pathways:
            out.append(f"  To become: {path.name}")
            for i, step in enumerate(path.steps, 1):
                out += _wrap(step_line(step), "       ", f"    {i}. ")
            out += _wrap(f"Total: {totals(path)}.", "    ", "    ")
            out.append("")
    shown_not = [n for n in result.not_recommended if n.reason != "low_score" or n.rules]
    if shown_not:
        out += ["NOT RECOMMENDED, AND WHAT WOULD CHANGE THAT", ""]
        for n in shown_not:
            out += _wrap(f"{_title(n.short_name, n.name)}: {n.why_not}", "      ", "  - ")
            for change in n.would_change[:2]:
                out += _wrap(change, "        ", "      > ")
        out.append("")
    unmatched = [n.short_name for n in result.not_recommended
                 if n.reason == "low_score" and not n.rules and n.kind == "certification"]
    if unmatched:
        out += ["OTHER CERTIFICATIONS", ""]
        out += _wrap(f"Your answers did not point to {join_words(unmatched)}. To see what would change "
                     "that for one of them, run: recommender explain ANSWERS ITEM", "  ", "  ")
        out.append("")
    facts = key_facts(book, result)
    if facts:
        out += ["KEY FACTS", ""]
        for fact in facts:
            mark = "" if fact.confidence == "confirmed" else " (uncertain)"
            out += _wrap(f"{fact.value}{mark} {cites.cite(fact.sources)}", "    ", "  - ")
        out.append("")
    listing = cites.listing()
    if listing:
        out += ["SOURCES", ""]
        for num, text in listing:
            out += _wrap(text, "       ", f"  [{num}] ")
        out.append("")
    return "\n".join(line.rstrip() for line in out).rstrip("\n") + "\n"


def _title(short: str, name: str) -> str:
    return name if short == name or short in name else f"{short}: {name}"


def _rec(rec: Recommendation, n: int, cites: SourceNumbers) -> list[str]:
    out = [f"  {n}. {_title(rec.short_name, rec.name)} {cites.cite(rec.sources[:3])}".rstrip(),
           f"     {STATUS_WORDS[rec.status].capitalize()} · fit {rec.score}"]
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
