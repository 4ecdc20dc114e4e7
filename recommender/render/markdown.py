"""The Markdown report, for printing or sharing."""

from __future__ import annotations

from collections.abc import Sequence

from recommender.book.rulebook import RuleBook
from recommender.engine.recommend import answer_text
from recommender.engine.result import Pathway, PlanStep, Result, Step
from recommender.render.common import (
    KIND_TITLES,
    STATUS_WORDS,
    SourceNumbers,
    key_facts,
    money,
    months,
    plan_step_line,
    plan_summary,
    step_line,
    totals,
)


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
            out += pathway_markdown(path, book, "###")
    shown_not = [n for n in result.not_recommended if n.kind == "certification"]
    if shown_not:
        out += ["## Not recommended, and what would change that", ""]
        for item in shown_not:
            out.append(f"- **{_esc(item.name)}**: {_esc(item.why_not)}")
            out += [f"  - {_esc(c)}" for c in item.would_change[:2]]
        out += ["", "For the smallest changes you could make that would change one of these, each checked by "
                "re-running the rules, run `recommender explain ANSWERS ITEM`.", ""]
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


# ------------------------------------------------------------------ pathways
def pathway_markdown(path: Pathway, book: RuleBook, heading: str = "##") -> list[str]:
    """A pathway in Markdown: a Mermaid flowchart, the steps, totals, warnings, alternatives, years."""
    fit = f"Fits your answers (fit {path.score})." if path.fits else "Does not match your answers yet."
    out = [f"{heading} To become: {_esc(path.name)}", "", f"*{fit} {_esc(plan_summary(path, book))}*", ""]
    out += _mermaid(path)
    out += [f"{i}. {_esc(plan_step_line(s))}" for i, s in enumerate(path.steps, 1)]
    out += [f"- Later: {_esc(plan_step_line(s))}" for s in path.later]
    out += ["", f"**Total:** {_esc(totals(path))}.", ""]
    out += [f"> **Watch out:** {_esc(flag)}" + "\n>" for flag in path.flags]
    if path.flags:
        out[-1] = out[-1][:-2]
        out.append("")
    out += [f"*Note: {_esc(note)}*" for note in path.notes] + ([""] if path.notes else [])
    if path.alternatives:
        out += ["**Alternatives:**", ""]
        for alt in path.alternatives:
            chain = " → ".join(_esc(_label(s)) for s in alt.steps if s.kind != "job") or "no steps"
            out.append(f"- **{_esc(alt.label[:1].upper() + alt.label[1:])}:** {chain} ({_esc(totals(alt))}). "
                       f"{_esc(plan_summary(alt, book))}" + "".join(f" *{_esc(n)}*" for n in alt.notes))
        out.append("")
    if path.years:
        out += ["**The years ahead:**", ""] + [f"- {_esc(v.summary)}" for v in path.years] + [""]
    return out


def _label(step: Step) -> str:
    return step.label if isinstance(step, PlanStep) and step.label else step.text


def _node(step: Step) -> str:
    """A flowchart label: the step's short name and its sourced time or cost."""
    extra = [x for x in (months(step.months), money(step.cost_usd)) if x]
    text = _label(step) + "".join(f"<br/>{x}" for x in extra)
    return text.replace('"', "'")


def _mermaid(path: Pathway) -> list[str]:
    """The plan as a left-to-right flowchart; alternatives branch from the start, later steps follow the goal."""
    lines = ["```mermaid", "flowchart LR", '  start(["You now"])',
             f'  goal(["{_esc(path.name).replace(chr(34), chr(39))}"])']

    def chain(prefix: str, steps: tuple[Step, ...], edge: str) -> None:
        previous = "start"
        for i, step in enumerate(s for s in steps if s.kind != "job"):
            node = f"{prefix}{i + 1}"
            lines.append(f'  {node}["{_node(step)}"]')
            lines.append(f"  {previous} {edge if previous == 'start' else '-->'} {node}")
            previous = node
        lines.append(f"  {previous} {edge if previous == 'start' else '-->'} goal")

    chain("s", path.steps, "-->")
    for k, alt in enumerate(path.alternatives, 1):
        chain(f"a{k}_", alt.steps, f"-.->|{alt.label}|")
    for i, step in enumerate(path.later, 1):
        lines.append(f'  later{i}["{_node(step)}"]')
        lines.append(f"  goal -.->|later| later{i}")
    return lines + ["```", ""]


def render_pathways_markdown(pathways: Sequence[Pathway], book: RuleBook, name: str | None) -> str:
    """The Markdown output of `recommender path`."""
    out = [f"# {_esc(f'Pathways for {name}' if name else 'Your pathways')}", ""]
    if not pathways:
        out += ["No role fits your answers yet, so there is no pathway to plan. Name one with `--to ROLE`.", ""]
    for path in pathways:
        out += pathway_markdown(path, book, "##")
    return "\n".join(out).rstrip("\n") + "\n"
