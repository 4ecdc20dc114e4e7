"""The Markdown report, for printing or sharing."""

from __future__ import annotations

from recommender.engine import answer_text
from recommender.render.common import KIND_TITLES, STATUS_WORDS, SourceNumbers, key_facts, step_line, totals
from recommender.result import Pathway, Result
from recommender.rulebook import RuleBook


def _esc(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(result: Result, book: RuleBook) -> str:
    cites = SourceNumbers(book)
    title = f"Recommendations for {result.name}" if result.name else "Your recommendations"
    out = [f"# {_esc(title)}", "", "## Your answers", ""]
    out += ["| Question | Answer |", "|---|---|"]
    for qid, value in result.answers:
        label = book.question_info[qid].label
        out.append(f"| {_esc(label[:1].upper() + label[1:])} | {_esc(answer_text(book, qid, value))} |")
    out.append("")
    for kind in ("certification", "program", "role"):
        recs = result.by_kind(kind)
        out += [f"## {KIND_TITLES[kind]}", ""]
        if not recs:
            out += ["None fits your answers yet; see *Not recommended* below.", ""]
            continue
        for n, rec in enumerate(recs, 1):
            out += [f"### {n}. {_esc(rec.name)} {cites.cite(rec.sources[:3])}".rstrip(), "",
                    f"**Status:** {STATUS_WORDS[rec.status]} · **fit:** {rec.score}", ""]
            if rec.reasons:
                out += ["**Why:**", ""]
                out += [f"- {_esc(r.text)} *({'+' if r.points > 0 else ''}{r.points}, rule `{r.rule}`)*"
                        for r in rec.reasons]
                out.append("")
            if rec.provisional:
                out += [f"> {_esc(rec.provisional)}", ""]
            if rec.next_steps:
                out += ["**Next steps:**" if rec.status == "ready" else "**Before you can start:**", ""]
                out += [f"{i}. {_esc(step_line(s))}" for i, s in enumerate(rec.next_steps, 1)]
                out.append("")
    if result.advice:
        out += ["## General advice", ""] + [f"- {_esc(s.text)}" for s in result.advice] + [""]
    if result.pathways:
        out += ["## Pathways", ""]
        for path in result.pathways:
            out += [f"### To become: {_esc(path.name)}", ""]
            out += _mermaid(path)
            out += [f"{i}. {_esc(step_line(s))}" for i, s in enumerate(path.steps, 1)]
            out += ["", f"*Total: {totals(path)}.*", ""]
    shown_not = [n for n in result.not_recommended if n.kind == "certification"]
    if shown_not:
        out += ["## Not recommended, and what would change that", ""]
        for n in shown_not:
            out.append(f"- **{_esc(n.name)}**: {_esc(n.why_not)}")
            out += [f"  - {_esc(c)}" for c in n.would_change[:2]]
        out.append("")
    facts = key_facts(book, result)
    if facts:
        out += ["## Key facts", ""]
        for fact in facts:
            mark = "" if fact.confidence == "confirmed" else " *(uncertain)*"
            out.append(f"- {_esc(fact.value)}{mark} {cites.cite(fact.sources)}")
        out.append("")
    listing = cites.listing()
    if listing:
        out += ["## Sources", ""] + [f"{num}. {_esc(text)}" for num, text in listing] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


def _mermaid(path: Pathway) -> list[str]:
    lines = ["```mermaid", "flowchart LR"]
    for i, step in enumerate(path.steps):
        label = step.text.replace('"', "'")
        lines.append(f'  s{i}["{label}"]')
        if i:
            lines.append(f"  s{i - 1} --> s{i}")
    return lines + ["```", ""]
