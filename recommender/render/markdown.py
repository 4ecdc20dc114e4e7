"""The Markdown report, for printing or sharing."""

from __future__ import annotations

from collections.abc import Sequence

from recommender.book.rulebook import RuleBook
from recommender.engine.recommend import answer_text
from recommender.engine.result import Pathway, Result, Step, step_label
from recommender.render.common import (
    KIND_TITLES,
    STATUS_WORDS,
    SourceNumbers,
    money,
    months,
    plan_step_line,
    plan_summary,
    step_line,
    totals,
)
from recommender.render.plan_words import (
    answers_file,
    cards,
    item_title,
    key_facts,
    links,
    main_reason,
    pay_words,
    readiness,
    role_facts,
    short_list,
    step_facts,
    worth_a_why_not,
)


def _esc(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(result: Result, book: RuleBook, details: bool = False) -> str:
    """The report in Markdown: the plan first, then short lists (or every detail), links, facts, sources."""
    cites = SourceNumbers(book)
    title = f"Your plan, {result.name}" if result.name else "Your plan"
    out = [f"# {_esc(title)}", ""]
    out += _plan(result, book, cites)
    if not details and result.advice:
        out += ["## Good to know", ""]
        out += [f"- {_esc(s.text)} {cites.cite(s.cites)}".rstrip() for s in result.advice] + [""]
    shown: list[str] = []
    if details:
        out += detail_markdown(result, book, cites)
        shown = [r.id for r in result.recommendations]
    else:
        role_cards = cards(result)
        firsts = result.summary.firsts if result.summary else {}
        for kind in ("certification", "program", "role"):
            recs, more = short_list(result, kind)
            if not recs:
                continue
            out += [f"## {KIND_TITLES[kind]}", ""]
            for rec in recs:
                shown.append(rec.id)
                ready = readiness(rec, role_cards.get(rec.id), firsts)
                out.append(f"- **{_esc(item_title(rec))}** · {book.report.fit_label(rec.score)} · {_esc(ready)}")
                reason = main_reason(rec)
                if reason:
                    out.append(f"  {_esc(reason)}")
            if more:
                out.append(f"- and {more} more (add `--details` to see them)")
            out.append("")
    found = links(book, result, shown)
    if found:
        out += ["## Where to go next", ""]
        out += [f"- [{_esc(k.label)}]({k.url})" + (f" {cites.cite(k.sources)}" if details else "")
                for k in found] + [""]
    facts = key_facts(book, result)
    if facts:
        out += ["## Key facts", ""]
        for fact in facts:
            out.append(f"- {_esc(fact.value)} {cites.cite(fact.sources)}".rstrip())
        out.append("")
    listing = cites.listing(details)
    if listing:
        out += ["## Sources", ""] + [f"{num}. {_esc(text)}" for num, text in cites.listing(details)] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


def _plan(result: Result, book: RuleBook, cites: SourceNumbers) -> list[str]:
    s = result.summary
    if s is None or s.best_role is None or s.first_step is None:
        if not result.recommendations:
            return ["Your answers do not point to a credential, program or role yet. Add what interests you and "
                    f"what you want from work (`recommender quiz --answers {answers_file(result)}`), then ask again.", ""]
        return ["No role fits your answers yet. The lists below show the credentials and programs that do; "
                f"`recommender explain {answers_file(result)} ITEM` says what would change that for one of them.", ""]
    role, first = s.best_role, s.first_step
    out = [f"## Best fit for you: {_esc(role.name)} · {role.fit}", ""]
    if role.description:
        out += [_esc(role.description), ""]
    if role.pay is not None:
        out.append(f"- **Pay:** {pay_words(role.pay)} {cites.cite(role.pay.sources)}".rstrip())
    if role.outlook is not None:
        out.append(f"- **Outlook:** {_esc(role.outlook.text)} {cites.cite(role.outlook.sources)}".rstrip())
    if role.entry_education is not None:
        out.append(f"- **To start:** {_esc(role.entry_education.text)} "
                   f"{cites.cite(role.entry_education.sources)}".rstrip())
    if role.pay is not None or role.outlook is not None or role.entry_education is not None:
        out.append("")
    facts = step_facts(first, book)
    out += [f"**This month:** {_esc(first.text.rstrip('.'))}." + (f" *{_esc(facts)}*" if facts else ""), ""]
    if first.why:
        out += [f"*Why:* {_esc(first.why)}", ""]
    if s.then:
        out += ["**Then:**", ""] + [f"{n}. {_esc(t.rstrip('.'))}." for n, t in enumerate(s.then, 2)] + [""]
    if s.alternatives:
        out += ["**Or instead:**", ""] + [f"- {_esc(a.name)}: {_esc(a.first_step.rstrip('.'))}."
                                          for a in s.alternatives] + [""]
    return out + [f"*Fit: {_esc(s.fit_legend)}*", ""]


def detail_markdown(result: Result, book: RuleBook, cites: SourceNumbers) -> list[str]:
    """Everything behind the plan (`--details`)."""
    out = ["## Your answers", ""]
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
            out += [f"### {n}. {_esc(rec.name)} `{rec.id}` {cites.cite(rec.sources[:3])}".rstrip(), "",
                    f"**Status:** {STATUS_WORDS[rec.status]} · **fit:** {book.report.fit_label(rec.score)} "
                    f"(score {rec.score})", ""]
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
        out += ["## General advice", ""] + [f"- {_esc(s.text)} {cites.cite(s.cites)}".rstrip()
                                            for s in result.advice] + [""]
    if result.pathways:
        out += ["## Pathways", ""]
        for path in result.pathways:
            out += pathway_markdown(path, book, "###")
    shown_not = worth_a_why_not(book, result)
    if shown_not:
        out += ["## Not recommended, and what would change that", ""]
        for item in shown_not:
            out.append(f"- **{_esc(item.name)}**: {_esc(item.why_not)}")
            out += [f"  - {_esc(c)}" for c in item.would_change[:2]]
        out += ["", "For the smallest changes you could make that would change one of these, each checked by "
                f"re-running the rules, run `recommender explain {answers_file(result)} ITEM`.", ""]
    return out


# ------------------------------------------------------------------ pathways
def pathway_markdown(path: Pathway, book: RuleBook, heading: str = "##") -> list[str]:
    """A pathway in Markdown: a Mermaid flowchart, the steps, totals, warnings, alternatives, years."""
    fit = f"Fits your answers ({book.report.fit_label(path.score)})." if path.fits else \
        "Does not match your answers yet."
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
            chain = " → ".join(_esc(step_label(s)) for s in alt.steps if s.kind != "job") or "no steps"
            out.append(f"- **{_esc(alt.label[:1].upper() + alt.label[1:])}:** {chain} ({_esc(totals(alt))}). "
                       f"{_esc(plan_summary(alt, book))}" + "".join(f" *{_esc(n)}*" for n in alt.notes))
        out.append("")
    if path.years:
        out += ["**The years ahead:**", ""] + [f"- {_esc(v.summary)}" for v in path.years] + [""]
    return out



def _node(step: Step) -> str:
    """A flowchart label: the step's short name and its sourced time or cost."""
    extra = [x for x in (months(step.months), money(step.cost_usd)) if x]
    text = step_label(step) + "".join(f"<br/>{x}" for x in extra)
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
    cites = SourceNumbers(book)
    out = [f"# {_esc(f'Pathways for {name}' if name else 'Your pathways')}", ""]
    if not pathways:
        out += ["No role fits your answers yet, so there is no pathway to plan. Name one with `--to ROLE`.", ""]
    for path in pathways:
        lines = pathway_markdown(path, book, "##")
        about = [f"- {_esc(text)} {cites.cite(sources)}".rstrip() for text, sources in role_facts(book, path.role)]
        out += lines[:2] + about + [""] + lines[2:]
    listing = cites.listing(False)
    if listing:
        out += ["## Sources", ""] + [f"{num}. {_esc(text)}" for num, text in listing] + [""]
    return "\n".join(out).rstrip("\n") + "\n"
