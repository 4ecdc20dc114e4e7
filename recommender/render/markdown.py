"""The Markdown report, for printing or sharing."""

from __future__ import annotations

from collections.abc import Sequence

from recommender.book.rulebook import RuleBook
from recommender.engine.recommend import answer_text
from recommender.engine.result import Pathway, Result, Step, step_label
from recommender.i18n import _, ngettext
from recommender.render import labels as L
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
    no_role_yet,
    nothing_yet,
    pay_words,
    readiness,
    role_facts,
    short_list,
    step_facts,
    worth_a_why_not,
)
from recommender.render.text_details import fit_words, no_pathway


def _esc(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(result: Result, book: RuleBook, details: bool = False) -> str:
    """The report in Markdown: the plan first, then short lists (or every detail), links, facts, sources."""
    cites = SourceNumbers(book)
    title = _("Your plan, {name}").format(name=result.name) if result.name else _("Your plan")
    out = [f"# {_esc(title)}", ""]
    out += _plan(result, book, cites)
    if not details and result.advice:
        out += [f"## {_(L.GOOD_TO_KNOW)}", ""]
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
            out += [f"## {_(KIND_TITLES[kind])}", ""]
            for rec in recs:
                shown.append(rec.id)
                ready = readiness(rec, role_cards.get(rec.id), firsts)
                out.append(f"- **{_esc(item_title(rec))}** · {book.report.fit_label(rec.score)} · {_esc(ready)}")
                reason = main_reason(rec)
                if reason:
                    out.append(f"  {_esc(reason)}")
            if more:
                out.append("- " + ngettext("and {n} more (add `--details` to see them)",
                                           "and {n} more (add `--details` to see them)", more).format(n=more))
            out.append("")
    found = links(book, result, shown)
    if found:
        out += [f"## {_(L.WHERE_NEXT)}", ""]
        out += [f"- [{_esc(k.label)}]({k.url})" + (f" {cites.cite(k.sources)}" if details else "")
                for k in found] + [""]
    facts = key_facts(book, result)
    if facts:
        out += [f"## {_(L.KEY_FACTS)}", ""]
        for fact in facts:
            out.append(f"- {_esc(fact.value)} {cites.cite(fact.sources)}".rstrip())
        out.append("")
    listing = cites.listing(details)
    if listing:
        out += [f"## {_(L.SOURCES)}", ""] + [f"{num}. {_esc(text)}" for num, text in cites.listing(details)] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


def _plan(result: Result, book: RuleBook, cites: SourceNumbers) -> list[str]:
    s = result.summary
    if s is None or s.best_role is None or s.first_step is None:
        if not result.recommendations:
            return [nothing_yet(f"`recommender quiz --answers {answers_file(result)}`"), ""]
        return [no_role_yet(f"`recommender explain {answers_file(result)} ITEM`"), ""]
    role, first = s.best_role, s.first_step
    out = [f"## {_(L.BEST_FIT)} {_esc(role.name)} · {role.fit}", ""]
    if role.description:
        out += [_esc(role.description), ""]
    if role.pay is not None:
        out.append(f"- **{_(L.PAY)}** {pay_words(role.pay)} {cites.cite(role.pay.sources)}".rstrip())
    if role.outlook is not None:
        out.append(f"- **{_(L.OUTLOOK)}** {_esc(role.outlook.text)} {cites.cite(role.outlook.sources)}".rstrip())
    if role.entry_education is not None:
        out.append(f"- **{_(L.TO_START)}** {_esc(role.entry_education.text)} "
                   f"{cites.cite(role.entry_education.sources)}".rstrip())
    if role.pay is not None or role.outlook is not None or role.entry_education is not None:
        out.append("")
    facts = step_facts(first, book)
    out += [f"**{_(L.THIS_MONTH)}** {_esc(first.text.rstrip('.'))}." + (f" *{_esc(facts)}*" if facts else ""), ""]
    if first.why:
        out += [f"*{_(L.WHY)}* {_esc(first.why)}", ""]
    if s.then:
        out += [f"**{_(L.THEN)}**", ""] + [f"{n}. {_esc(t.rstrip('.'))}." for n, t in enumerate(s.then, 2)] + [""]
    if s.alternatives:
        out += [f"**{_(L.OR_INSTEAD)}**", ""] + [f"- {_esc(a.name)}: {_esc(a.first_step.rstrip('.'))}."
                                          for a in s.alternatives] + [""]
    return out + [f"*{_(L.FIT)} {_esc(s.fit_legend)}*", ""]


def detail_markdown(result: Result, book: RuleBook, cites: SourceNumbers) -> list[str]:
    """Everything behind the plan (`--details`)."""
    out = [f"## {_(L.YOUR_ANSWERS)}", ""]
    out += [f"| {_(L.QUESTION)} | {_(L.ANSWER)} |", "|---|---|"]
    for qid, value in result.answers:
        label = book.question_info[qid].label
        out.append(f"| {_esc(label[:1].upper() + label[1:])} | {_esc(answer_text(book, qid, value))} |")
    out.append("")
    for kind in ("certification", "program", "role"):
        recs = result.by_kind(kind)
        out += [f"## {_(KIND_TITLES[kind])}", ""]
        if not recs:
            out += [_("None fits your answers yet; see *Not recommended* below."), ""]
            continue
        for n, rec in enumerate(recs, 1):
            out += [f"### {n}. {_esc(rec.name)} `{rec.id}` {cites.cite(rec.sources[:3])}".rstrip(), "",
                    _("**Status:** {status} · **fit:** {fit} (score {score})").format(
                        status=_(STATUS_WORDS[rec.status]), fit=book.report.fit_label(rec.score), score=rec.score), ""]
            if rec.reasons:
                out += [f"**{_(L.WHY)}**", ""]
                out += [f"- {_esc(r.text)} *" + _("({points}, rule {rule})").format(
                    points=f"{'+' if r.points > 0 else ''}{r.points}", rule=f"`{r.rule}`") + "*" for r in rec.reasons]
                out.append("")
            if rec.provisional:
                out += [f"> {_esc(rec.provisional)}", ""]
            if rec.next_steps:
                out += [f"**{_(L.NEXT_STEPS) if rec.status == 'ready' else _(L.BEFORE_START)}**", ""]
                out += [f"{i}. {_esc(step_line(s))}" for i, s in enumerate(rec.next_steps, 1)]
                out.append("")
    if result.advice:
        out += [f"## {_(L.GENERAL_ADVICE)}", ""] + [f"- {_esc(s.text)} {cites.cite(s.cites)}".rstrip()
                                            for s in result.advice] + [""]
    if result.pathways:
        out += [f"## {_(L.PATHWAYS)}", ""]
        for path in result.pathways:
            out += pathway_markdown(path, book, "###")
    shown_not = worth_a_why_not(book, result)
    if shown_not:
        out += [f"## {_(L.NOT_RECOMMENDED)}", ""]
        for item in shown_not:
            out.append(f"- **{_esc(item.name)}**: {_esc(item.why_not)}")
            out += [f"  - {_esc(c)}" for c in item.would_change[:2]]
        out += ["", _("For the smallest changes you could make that would change one of these, each checked by "
                      "re-running the rules, run {command}.").format(
                          command=f"`recommender explain {answers_file(result)} ITEM`"), ""]
    return out


# ------------------------------------------------------------------ pathways
def pathway_markdown(path: Pathway, book: RuleBook, heading: str = "##") -> list[str]:
    """A pathway in Markdown: a Mermaid flowchart, the steps, totals, warnings, alternatives, years."""
    fit = fit_words(path, book)
    out = [f"{heading} {_(L.TO_BECOME)} {_esc(path.name)}", "", f"*{fit} {_esc(plan_summary(path, book))}*", ""]
    out += _mermaid(path)
    out += [f"{i}. {_esc(plan_step_line(s))}" for i, s in enumerate(path.steps, 1)]
    out += [f"- {_(L.LATER)} {_esc(plan_step_line(s))}" for s in path.later]
    out += ["", f"**{_(L.TOTAL)}** {_esc(totals(path))}.", ""]
    out += [f"> **{_(L.WATCH_OUT)}** {_esc(flag)}" + "\n>" for flag in path.flags]
    if path.flags:
        out[-1] = out[-1][:-2]
        out.append("")
    out += [f"*{_(L.NOTE)} {_esc(note)}*" for note in path.notes] + ([""] if path.notes else [])
    if path.alternatives:
        out += [f"**{_(L.ALTERNATIVES)}**", ""]
        for alt in path.alternatives:
            chain = " → ".join(_esc(step_label(s)) for s in alt.steps if s.kind != "job") or _("no steps")
            out.append(f"- **{_esc(alt.label[:1].upper() + alt.label[1:])}:** {chain} ({_esc(totals(alt))}). "
                       f"{_esc(plan_summary(alt, book))}" + "".join(f" *{_esc(n)}*" for n in alt.notes))
        out.append("")
    if path.years:
        out += [f"**{_(L.YEARS_AHEAD)}**", ""] + [f"- {_esc(v.summary)}" for v in path.years] + [""]
    return out



def _node(step: Step) -> str:
    """A flowchart label: the step's short name and its sourced time or cost."""
    extra = [x for x in (months(step.months), money(step.cost_usd)) if x]
    text = step_label(step) + "".join(f"<br/>{x}" for x in extra)
    return text.replace('"', "'")


def _mermaid(path: Pathway) -> list[str]:
    """The plan as a left-to-right flowchart; alternatives branch from the start, later steps follow the goal."""
    lines = ["```mermaid", "flowchart LR", f'  start(["{_(L.YOU_NOW)}"])',
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
        lines.append(f"  goal -.->|{_(L.LATER_EDGE)}| later{i}")
    return lines + ["```", ""]


def render_pathways_markdown(pathways: Sequence[Pathway], book: RuleBook, name: str | None) -> str:
    """The Markdown output of `recommender path`."""
    cites = SourceNumbers(book)
    title = _("Pathways for {name}").format(name=name) if name else _("Your pathways")
    out = [f"# {_esc(title)}", ""]
    if not pathways:
        out += [no_pathway("`--to ROLE`"), ""]
    for path in pathways:
        lines = pathway_markdown(path, book, "##")
        about = [f"- {_esc(text)} {cites.cite(sources)}".rstrip() for text, sources in role_facts(book, path.role)]
        out += lines[:2] + about + [""] + lines[2:]
    listing = cites.listing(False)
    if listing:
        out += [f"## {_(L.SOURCES)}", ""] + [f"{num}. {_esc(text)}" for num, text in listing] + [""]
    return "\n".join(out).rstrip("\n") + "\n"
