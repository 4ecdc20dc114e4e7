"""The engine: answers in, ranked and explained advice out. Pure: no I/O, no clock, no randomness.

Stages: derived facts and eligibility (both lazy and memoised), then rules
(points, exclusions, advice), then ranking, then explanations and pathways.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from recommender.book.answers import Profile
from recommender.book.conditions import describe, join_words
from recommender.book.rulebook import CompiledRule, RuleBook
from recommender.book.runtime import Certification, Item
from recommender.engine.build import plan_pathways
from recommender.engine.compiled import Env, plan
from recommender.engine.eligibility import (
    eligibility,
    item_label,
    provisional_text,
    ready_steps,
    sources_for,
)
from recommender.engine.memo import memo
from recommender.engine.result import (
    AFTER,
    READY,
    NotRecommended,
    Pathway,
    Reason,
    Recommendation,
    Result,
    Status,
    Step,
)
from recommender.engine.summary import summarize
from recommender.i18n import _

HELD_QUESTION = "certifications"
RECOMMENDED_KINDS = ("certification", "program", "role")
#: Questions that say what a person wants (rather than what they have done); they break ties.
WISH_QUESTIONS = frozenset({"goals", "interests"})


# ------------------------------------------------------------------ the engine
def fired_rules(book: RuleBook, answers: Mapping[str, Any]) -> list[str]:
    """Ids of the rules whose conditions hold, in rule order (matching alone, no scoring)."""
    compiled = plan(book)
    env = Env(book, compiled, answers)
    rules, tests = book.rules, compiled.rules
    return [rules[i].id for i in compiled.index.fired(answers, lambda i: tests[i](env))]


def rests_on_held(book: RuleBook, rule: CompiledRule, item_id: str, held: set[str]) -> bool:
    """Whether the rule's reason for an item argues from a credential the person already holds.

    Such a reason is void for this person ("the CMA exam asks for your training" to a CMA
    holder), so neither it nor its points count for that item. A rule whose condition reads the
    credentials held is exempt: its author has already taken them into account.
    """
    if not held or HELD_QUESTION in rule.reads:
        return False
    return bool(held & plan(book).mentions(rule, item_id))


#: How far `recommend` builds a result: everything; the ranking and the plan summary (with the
#: pathways it rests on); or the ranking alone (ids, kinds, scores, statuses, the rules fired).
DETAILS = ("full", "summary", "ranking")


def recommend(book: RuleBook, profile: Profile, top: int | None = None, *, detail: str = "full") -> Result:
    """Evaluate a profile against a rule book. `top` limits recommendations of each kind.

    With `detail` "summary" or "ranking" (see DETAILS) the parts no output of that kind prints are
    left empty: why-nots, eligibility route by route, next steps and, for "ranking", pathways.
    """
    full, ranking = detail == "full", detail == "ranking"
    compiled = plan(book)
    env = Env(book, compiled, profile.answers)
    held = set(profile.answers.get(HELD_QUESTION) or ())
    words = _answer_words(book, profile.answers)

    scores: dict[str, int] = {}
    wish: dict[str, int] = {}  # points from rules that read the person's goals or interests
    reasons: dict[str, list[Reason]] = {}
    # The summary names one reason, for its first step: it keeps each item's (rule, points) and
    # makes only that one reason, when it is asked for (see `reason_for`).
    counted: dict[str, list[tuple[CompiledRule, int]]] = {}
    excluded: dict[str, list[tuple[str, str]]] = {}
    item_advice: dict[str, list[Step]] = {}
    advice: list[Step] = []
    fired: list[str] = []
    for position in compiled.index.fired(profile.answers, lambda i: compiled.rules[i](env)):
        rule = book.rules[position]
        fired.append(rule.id)
        # The ranking needs points and exclusions only: no texts.
        text = rule.because.render(words) if full else ""
        read = tuple((q, _plain(profile.answers.get(q))) for q in rule.reads) if full else ()
        wished = not WISH_QUESTIONS.isdisjoint(rule.reads)
        for item_id, points in rule.rule.points.items():
            if points > 0 and held and rests_on_held(book, rule, item_id, held):
                continue
            scores[item_id] = scores.get(item_id, 0) + points
            if wished:
                wish[item_id] = wish.get(item_id, 0) + points
            if full:
                own = rule.because_for.get(item_id)
                reasons.setdefault(item_id, []).append(Reason(rule.id, own.render(words) if own else text, points,
                                                              read))
            elif not ranking:
                counted.setdefault(item_id, []).append((rule, points))
        for item_id in rule.rule.exclude:
            excluded.setdefault(item_id, []).append((rule.id, text))
        for step, template in rule.next_steps if full else ():
            s = Step("advice", template.render(words), step.item, rule=rule.id, cites=step.sources)
            # Advice about an item that is never recommended itself (an organization) is general advice.
            tied = step.item is not None and book.items[step.item].kind in RECOMMENDED_KINDS
            (item_advice.setdefault(step.item, []) if tied and step.item else advice).append(s)

    recs: list[Recommendation] = []
    not_recs: list[NotRecommended] = []
    order = compiled.item_order
    for item_id, item in book.items.items():
        if item.kind not in RECOMMENDED_KINDS:
            continue
        score = scores.get(item_id, 0)
        if not full:  # what is recommended, and its status; none of the texts around it
            if item_id not in held and item_id not in excluded and score > 0:
                recs.append(Recommendation(
                    item_id, item.kind, item.name, item_label(item), score, READY if env.eligible(item_id) else AFTER,
                    (), (), None, (), None, ()))
            continue
        # Steps and route checks are built only for recommended items; others need the status alone.
        status = READY if env.eligible(item_id) else AFTER
        if item_id in held:
            not_recs.append(NotRecommended(item_id, item.kind, item.name, item_label(item),
                                           _("You already hold this credential."), "held", score, READY))
        elif item_id in excluded:
            rules = tuple(r for r, _ in excluded[item_id])
            why = " ".join(dict.fromkeys(t for _, t in excluded[item_id]))
            change = tuple(_("Rule '{rule}' excludes it because {condition}.").format(
                rule=r, condition=_when_words(book, r)) for r in rules)
            not_recs.append(NotRecommended(item_id, item.kind, item.name, item_label(item), why, "excluded", score, status,
                                           rules, change))
        elif score > 0:
            status, chosen, checks, steps = eligibility(book, env, item)
            next_steps = list(steps) + ready_steps(book, env, item, status) + item_advice.get(item_id, [])
            provisional = provisional_text(book, env, item) if status == READY else None
            ranked_reasons = sorted(reasons.get(item_id, ()), key=lambda r: -r.points)
            recs.append(Recommendation(
                item_id, item.kind, item.name, item_label(item), score, status, tuple(ranked_reasons),
                tuple(next_steps), chosen, checks, provisional, sources_for(book, item, chosen)))
        elif isinstance(item, Certification) or reasons.get(item_id):
            not_recs.append(_low_score(book, env, item, score, status, reasons.get(item_id, [])))

    # Ties go to what the person said they want: points from rules reading goals or interests.
    recs.sort(key=lambda r: (-r.score, -wish.get(r.id, 0), order[r.id], r.id))
    if top is not None:
        kept: dict[str, int] = {}
        limited = []
        for r in recs:
            kept[r.kind] = kept.get(r.kind, 0) + 1
            if kept[r.kind] <= top:
                limited.append(r)
        recs = limited
    not_recs.sort(key=lambda n: (("excluded", "low_score", "held").index(n.reason), order[n.id], n.id))
    pathways = () if ranking else _pathways(book, env, recs, lean=not full)

    def reason_for(item_id: str) -> Reason | None:
        """The reason a summary gives for an item: the strongest, preferring one from what the person wants."""
        ranked = sorted(counted.get(item_id, ()), key=lambda c: -c[1])
        if not ranked:
            return None
        rule, points = next((c for c in ranked if not WISH_QUESTIONS.isdisjoint(c[0].reads)), ranked[0])
        text = (rule.because_for.get(item_id) or rule.because).render(words)
        return Reason(rule.id, text, points, tuple((q, _plain(profile.answers.get(q))) for q in rule.reads))

    true_facts = tuple(name for name in book.facts if env.fact(name)) if full else ()
    return Result(tuple(recs), tuple(not_recs), pathways, tuple(advice), tuple(fired), true_facts,
                  tuple((q, _plain(v)) for q, v in profile.answers.items()), profile.name,
                  None if ranking else summarize(book, recs, pathways, None if full else reason_for),
                  source=profile.source,
                  ignored=profile.ignored)



# ------------------------------------------------------------------ why not
def _low_score(book: RuleBook, env: Env, item: Item, score: int, status: Status,
               against: list[Reason]) -> NotRecommended:
    words = memo(book)
    if against:
        why = " ".join(dict.fromkeys(r.text for r in against if r.points < 0)) or words.get("too-few", score, lambda: _(
            "The rules that matched gave it {score} points in all, not enough to recommend it.").format(score=score))
    else:
        why = words.get("text", "no rule", lambda: _("No rule matched your answers for it."))
    # What would change it: the first three rules that would add points but did not fire.
    fired = {r.rule for r in against}
    changes: list[str] = []
    for rid, text in words.get("would-add", item.id, lambda: _would_add(book, item)):
        if rid not in fired:
            changes.append(text)
            if len(changes) == 3:
                break
    return NotRecommended(item.id, item.kind, item.name, item_label(item), why, "low_score", score, status,
                          tuple(r.rule for r in against), tuple(changes))


def _would_add(book: RuleBook, item: Item) -> tuple[tuple[str, str], ...]:
    """The rules that give an item points, most points first, each with what it would take to fire it."""
    ranked = sorted((-r.rule.points[item.id], r.id) for r in book.rules if r.rule.points.get(item.id, 0) > 0)
    return tuple((rid, _("Rule '{rule}' would add {points} points if {condition}.").format(
        rule=rid, points=-p, condition=_when_words(book, rid))) for p, rid in ranked)


def _when_words(book: RuleBook, rule_id: str) -> str:
    def build() -> str:
        rule = next(r for r in book.rules if r.id == rule_id)
        return condition_words(book, rule.when)

    found: str = memo(book).get("when", rule_id, build)
    return found


def condition_words(book: RuleBook, cond: Any) -> str:
    """A condition in plain words, naming facts by their descriptions."""
    facts = {k: f.fact.description for k, f in book.facts.items()}
    names = {k: book.item_name(k) for k in book.items}
    text = describe(cond, book.question_info, facts, names)
    return text[1:-1] if text.startswith("(") and text.endswith(")") else text


# ------------------------------------------------------------------ pathways
#: The report plans the best-fitting roles only; `recommender path` plans every one.
REPORT_PATHWAYS = 3


def _pathways(book: RuleBook, env: Env, recs: list[Recommendation], lean: bool = False) -> tuple[Pathway, ...]:
    """For the best-fitting recommended roles, the planned steps (see recommender.engine.build)."""
    roles = [r for r in recs if r.kind == "role"][:REPORT_PATHWAYS]
    others = [r for r in recs if r.kind != "role"]
    return plan_pathways(book, env.answers, others + roles, lean)


# ------------------------------------------------------------------ words for answers
def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, (list, tuple)) else value


def _answer_words(book: RuleBook, answers: Mapping[str, Any]) -> Callable[[str], str]:
    said: dict[str, str] = {}  # one person's answers, each put in words once

    def words(qid: str) -> str:
        text = said.get(qid)
        if text is None:
            text = said[qid] = answer_text(book, qid, answers.get(qid))
        return text
    return words


def answer_text(book: RuleBook, qid: str, value: Any) -> str:
    """An answer as a person would say it: option labels, 'yes'/'no', numbers."""
    info = book.question_info[qid]
    if value is None:
        return _("not answered")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, tuple)):
        if not value:
            return _("none")
        listed: str = memo(book).get("listed", (qid, tuple(value)),
                                     lambda: join_words([info.option_labels.get(v, v) for v in value]))
        return listed
    if isinstance(value, str):
        return info.option_labels.get(value, value)
    return f"{value:g}" if isinstance(value, float) else str(value)
