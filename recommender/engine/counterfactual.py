"""Why an item is or is not recommended, and the smallest changes a person could make that would change it.

The explanation walks every rule that touched the item and every eligibility route, quoting
the person's own answers. The counterfactual search tries only changes a person can make
(finish a program, gain experience, earn a credential; never a change of interests, goals
or limits), breadth-first by the number of changes, and keeps a set of changes only after
re-running recommender.engine.recommend on the changed answers confirms it.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recommender.book import conditions as C
from recommender.book.answers import Profile, profile_from
from recommender.book.rulebook import RuleBook
from recommender.book.runtime import Program
from recommender.engine.changewords import describe_changes
from recommender.engine.compiled import plan as compile_book
from recommender.engine.recommend import answer_text, condition_words, recommend
from recommender.engine.result import AFTER, READY, Result, Span, Status
from recommender.engine.simulate import (
    ACTIONABLE,
    ADD,
    LEVEL_EDUCATION,
    NEW_PROGRAM,
    Simulator,
    State,
    done_conditions,
    learnt_conditions,
)
from recommender.i18n import _

MAX_CHANGES = 3
MAX_CANDIDATES = 14
MAX_TRIES = 600  # combinations evaluated before the search gives up (each is a cheap re-score)


# ------------------------------------------------------------------ the person's answers, quoted
def quote(book: RuleBook, qid: str, value: Any) -> str:
    """The person's answer as something they said: 'you answered no to whether ...'."""
    info = book.question_info[qid]
    label = info.label
    if value is None:
        return _("you were not asked about {question}").format(question=label)
    if info.type == "boolean":
        return (_("you answered yes to {question}") if value else _("you answered no to {question}")).format(
            question=label)
    if info.type == "multi":
        return _("you listed {answer} as {question}").format(answer=answer_text(book, qid, value), question=label) \
            if value else _("you listed nothing for {question}").format(question=label)
    if info.type == "number":
        return _("you answered {answer} for {question}").format(answer=answer_text(book, qid, value), question=label)
    text = answer_text(book, qid, value)
    return _('you said {question} is "{answer}"').format(
        question=label, answer=text[:1].lower() + text[1:] if text[1:2].islower() else text)


@dataclass(frozen=True)
class Unmet:
    """One part of a condition that does not hold: what it asks, and what the person said."""

    needs: str
    said: tuple[str, ...]
    questions: tuple[str, ...] = ()  # the questions whose answers were quoted


def unmet(book: RuleBook, cond: C.Condition, state: State, sim: Simulator) -> tuple[Unmet, ...]:
    """The parts of a condition that fail for these answers, each with the answers it read.

    A part that fails only because its question was never asked (years since a program the
    person has not taken) follows from another part, so it is left out when others remain.
    """
    found = _unmet(book, cond, state, sim)
    # `said` quotes one answer per question read: all unasked means every question is unanswered.
    real = tuple(u for u in found if not u.said or not all(state.get(q) is None for q in u.questions))
    return real or found


def _unmet(book: RuleBook, cond: C.Condition, state: State, sim: Simulator) -> tuple[Unmet, ...]:
    if sim.holds(cond, state):
        return ()
    facts = {k: f.when for k, f in book.facts.items()}

    def said(c: C.Condition) -> tuple[str, ...]:
        return tuple(quote(book, q, state.get(q)) for q in C.questions_read(c, facts))

    def read(c: C.Condition) -> tuple[str, ...]:
        return C.questions_read(c, facts)

    if isinstance(cond, C.All):
        return tuple(dict.fromkeys(u for part in cond.items for u in _unmet(book, part, state, sim)))
    if isinstance(cond, C.Fact):
        inner = book.facts[cond.id].when
        if isinstance(inner, C.All) and inner.items:
            return _unmet(book, inner, state, sim)
        return (Unmet(book.facts[cond.id].fact.description, said(inner), read(inner)),)
    if isinstance(cond, C.Eligible):
        return (Unmet(_("you are eligible for {name}").format(name=book.item_name(cond.item)), ()),)
    return (Unmet(condition_words(book, cond), said(cond), read(cond)),)


def unmet_words(u: Unmet, who: str) -> str:
    """'you answered no to whether ...; CMA (AAMA) asks that your program is accredited ...'."""
    asks = _("{who} asks that {needs}").format(who=who, needs=u.needs) if who else \
        _("it asks that {needs}").format(needs=u.needs)
    return f"{'; '.join(u.said)}; {asks}" if u.said else asks


# ------------------------------------------------------------------ the explanation
@dataclass(frozen=True)
class Change:
    """One thing a person could do, and how their answers would then read."""

    id: str
    text: str
    changes: tuple[tuple[str, Any], ...]
    item: str | None = None  # the program or credential it stands for
    months: Span | None = None
    stage: int = 0  # order of doing: diploma and degrees, programs, work, credentials
    requires: str | None = None  # a catalog item the person must be able to start at that point


@dataclass(frozen=True)
class Counterfactual:
    """A set of changes that, re-run through the engine, makes the item ready or recommended."""

    changes: tuple[Change, ...]
    status: Status
    score: int
    recommended: bool
    answers: tuple[tuple[str, Any], ...]  # the changed answers the engine was re-run on


def plain(value: Any) -> Any:
    return list(value) if isinstance(value, (list, tuple)) else value


# ------------------------------------------------------------------ scoring one item quickly
def score_of(book: RuleBook, state: State, item_id: str) -> tuple[bool, Status, int]:
    """(recommended, status, score) for one item, as recommend() would compute them."""
    compiled = compile_book(book)
    score, excluded = 0, False
    for rule, test in zip(book.rules, compiled.rules):
        points = rule.rule.points.get(item_id, 0)
        if (points or item_id in rule.rule.exclude) and test(state.env):
            score += points
            excluded = excluded or item_id in rule.rule.exclude
    held = item_id in (state.get("certifications") or ())
    status: Status = READY if state.env.eligible(item_id) else AFTER
    return (not held and not excluded and score > 0), status, score


def reached(goal: str, recommended: bool, status: Status) -> bool:
    return recommended and (goal == "recommended" or status == READY)


# ------------------------------------------------------------------ candidate changes
#: Answers that one action changes together: a degree; a medical assisting program; work.
ACTIONS = (("education",), ("ma_training", "ma_training_accredited", "training_years_ago"),
           ("experience_years", "experience_areas"))


def candidates(book: RuleBook, sim: Simulator, state: State, item_id: str) -> list[Change]:
    """Single actions worth trying for an item: what its rules and routes ask, split into one action
    each, and the programs and credentials that change an answer those conditions read."""
    conds: list[C.Condition] = []
    for rule in book.rules:
        points = rule.rule.points.get(item_id, 0)
        fires = sim.holds(rule.when, state)
        if points > 0 and not fires:
            conds.append(rule.when)
        elif (points < 0 or item_id in rule.rule.exclude) and fires:
            conds.append(sim.not_(rule.when))
    if not sim.eligible(item_id, state):
        conds += [r.when for r in book.routes.get(item_id, ()) if r.when is not None]
    facts = {k: f.when for k, f in book.facts.items()}
    relevant = {q for c in conds for q in C.questions_read(c, facts) if q in ACTIONABLE}
    done = done_conditions(book)
    found: list[Change] = []
    seen: set[Any] = set()

    def add(change: Change | None) -> None:
        # The same action can come from a rule, a route and the catalog: keep it once.
        key = _key_text(sorted(change.changes)) if change else None
        if change and change.changes and key not in seen and item_id not in (change.item, change.requires) \
                and not (change.item and any(c.item == change.item for c in found)):
            seen.add(key)
            found.append(change)

    for cond in conds:
        for part in _split(sim, state, sim.satisfy(cond, state) or {}):
            add(_change(book, sim, state, part))
    for p in book.items.values():
        if isinstance(p, Program) and p.id in done and sim.eligible(p.id, state):
            changes = sim.satisfy(done[p.id], state)
            if changes and relevant & set(changes):
                add(_change(book, sim, state, changes, p.id))
    if "certifications" in relevant:
        named = {v for c in conds for leaf in _compares(c, facts) if leaf.question == "certifications"
                 for v in (leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)) if isinstance(v, str)}
        for cert in book.certifications():
            if (cert.id in named or not named) and sim.eligible(cert.id, state):
                held = list(state.get("certifications") or ())
                if cert.id not in held:
                    order = sim.orders["certifications"]
                    add(_change(book, sim, state, {"certifications": [o for o in order if o in held or o == cert.id]}))
    return found[:MAX_CANDIDATES]


def _split(sim: Simulator, state: State, changes: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One change of answers as the separate actions it takes (a diploma, then a program, then work)."""
    parts: list[dict[str, Any]] = []
    rest = dict(changes)
    for group in ACTIONS:
        part = {q: rest.pop(q) for q in group if q in rest}
        if part:
            parts.append(part)
    for qid, value in rest.items():
        before = state.get(qid) or []
        if ACTIONABLE.get(qid) == ADD and isinstance(value, list):
            order = sim.orders.get(qid, ())
            parts += [{qid: [o for o in order if o in before or o == new]} for new in value if new not in before]
        else:
            parts.append({qid: value})
    return parts


def _compares(cond: C.Condition, facts: Mapping[str, C.Condition], seen: frozenset[str] = frozenset()
              ) -> list[C.Compare]:
    if isinstance(cond, C.Compare):
        return [cond]
    if isinstance(cond, (C.All, C.AnyOf)):
        return [x for part in cond.items for x in _compares(part, facts, seen)]
    if isinstance(cond, C.Not):
        return _compares(cond.item, facts, seen)
    if isinstance(cond, C.Fact) and cond.id not in seen:
        return _compares(facts[cond.id], facts, seen | {cond.id})
    return []


def _change(book: RuleBook, sim: Simulator, state: State, changes: Mapping[str, Any],
            program: str | None = None) -> Change | None:
    """Name one action: the catalog program it amounts to, the work, the credential, or a degree."""
    after = sim.apply(state, changes)
    if after is None:
        return None
    learnt = learnt_conditions(book)
    if program is None:
        # A program whose own completion these answers would show (not just the education it gives).
        program = next((p.id for p in book.items.values() if isinstance(p, Program) and p.id in learnt
                        and not sim.holds(learnt[p.id], state) and sim.holds(learnt[p.id], after)), None)
        if program is not None:
            changes = {**changes, **(sim.satisfy(done_conditions(book)[program], after) or {})}
    ordered = tuple((q, list(v) if isinstance(v, (list, tuple)) else v) for q, v in changes.items())
    text = describe_changes(book, state.answers, changes)
    if set(changes) <= {"experience_years", "experience_areas"}:
        gained = changes.get("experience_years", state.get("experience_years") or 0) - (state.get("experience_years") or 0)
        months = Span(12.0 * gained, 12.0 * gained) if gained > 0 else None
        return Change("work:" + _key_text(ordered), text, ordered, None, months, 2)
    if set(changes) == {"certifications"}:
        earned = [c for c in changes["certifications"] if c not in (state.get("certifications") or ())]
        return Change("earn:" + "+".join(earned), text, ordered, earned[0] if earned else None, None, 3,
                      earned[0] if earned else None)
    item = book.items.get(program or "")
    if isinstance(item, Program):
        span = Span(item.duration_months.min, item.duration_months.max) if item.duration_months else None
        stage = 0 if item.level in ("diploma", "associate", "bachelor", "master") else 1
        return Change(f"program:{item.id}", _("Complete {name}").format(name=book.item_name(item.id)), ordered,
                      item.id, span, stage,
                      item.id)
    level = changes.get("education")
    degree = next((p.id for p in book.items.values() if isinstance(p, Program)
                   and LEVEL_EDUCATION.get(p.level) == level), None) if level else None
    return Change("change:" + _key_text(ordered), text, ordered, None, None, 0 if level else 1, degree)


def _key_text(changes: Sequence[tuple[str, Any]] | Mapping[str, Any]) -> str:
    pairs = changes.items() if isinstance(changes, Mapping) else changes
    return ",".join(f"{q}={'+'.join(v) if isinstance(v, list) else v}" for q, v in pairs)


def _merge(sim: Simulator, state: State, change: Change) -> State | None:
    """Apply a change on top of others: lists grow, numbers and levels never go down."""
    merged: dict[str, Any] = {}
    for qid, value in change.changes:
        old = state.get(qid)
        order = sim.orders.get(qid, ())
        if ACTIONABLE.get(qid) == ADD and isinstance(value, list):
            merged[qid] = [o for o in order if o in value or o in (old or ())]
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and isinstance(old, (int, float)) \
                and qid == "experience_years":
            merged[qid] = max(value, old)
        elif isinstance(value, str) and value in order and old in order:
            merged[qid] = value if order.index(value) >= order.index(old) else old
        else:
            merged[qid] = value
    return sim.apply(state, merged)


def _weaker(sim: Simulator, a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether answers `a` ask no more than answers `b` (less education, fewer years, fewer items)."""
    for qid in ACTIONABLE:
        x, y = a.get(qid), b.get(qid)
        if x == y:
            continue
        order = sim.orders.get(qid, ())
        if isinstance(x, list) and isinstance(y, list):
            if not set(x) <= set(y):
                return False
        elif qid == "experience_years" and isinstance(x, (int, float)) and isinstance(y, (int, float)):
            if x > y:
                return False
        elif x in order and y in order and ACTIONABLE[qid] != NEW_PROGRAM:
            if order.index(x) > order.index(y):
                return False
        elif not (x is None or x == [] or x == 0 and qid == "experience_years"):
            return False
    return True


def _apply_all(book: RuleBook, sim: Simulator, state: State, changes: Sequence[Change]) -> State | None:
    """Do the changes in a sensible order; None if one of them is not open to the person at that point."""
    now: State | None = state
    for change in sorted(changes, key=lambda c: c.stage):
        assert now is not None
        if change.requires is not None and not sim.eligible(change.requires, now):
            return None
        now = _merge(sim, now, change)
        if now is None:
            return None
    return now


def _effort(changes: Sequence[Change]) -> tuple[float, float, int]:
    """Quickest first: the longest sourced time, then the shortest, then how many have no sourced time."""
    longest = sum(c.months.max for c in changes if c.months is not None)
    shortest = sum(c.months.min for c in changes if c.months is not None)
    return longest, shortest, sum(1 for c in changes if c.months is None and c.stage < 3)


# ------------------------------------------------------------------ the search
def counterfactuals(book: RuleBook, profile: Profile, item_id: str, result: Result | None = None,
                    limit: int = 3, max_changes: int = MAX_CHANGES) -> tuple[Counterfactual, ...]:
    """The smallest sets of actionable changes that would make the item ready (if recommended but not
    ready) or recommended (if not), each confirmed by re-running the engine on the changed answers."""
    result = result or recommend(book, profile)
    rec = result.get(item_id)
    if item_id in (profile.answers.get("certifications") or ()):
        return ()
    if rec is not None and rec.status == READY:
        return ()
    goal = "ready" if rec is not None else "recommended"
    sim = Simulator(book)
    start = sim.state(profile.answers)
    options = candidates(book, sim, start, item_id)
    hits: list[tuple[int, ...]] = []
    tries = 0
    for size in range(1, max_changes + 1):
        for combo in itertools.combinations(range(len(options)), size):
            if any(set(h) <= set(combo) for h in hits):
                continue
            tries += 1
            if tries > MAX_TRIES:
                break
            after = _apply_all(book, sim, start, [options[i] for i in combo])
            if after is not None and reached(goal, *score_of(book, after, item_id)[:2]):
                hits.append(combo)
        if hits or tries > MAX_TRIES:
            break
    ends = {h: _apply_all(book, sim, start, [options[i] for i in h]) for h in hits}
    # Keep only sets that no other found set beats by asking less (any associate degree, not a
    # particular one; two years of work, not three).
    kept = [h for h in hits if not any(o != h and _weaker(sim, ends[o].answers, ends[h].answers)  # type: ignore[union-attr]
                                       and not _weaker(sim, ends[h].answers, ends[o].answers)  # type: ignore[union-attr]
                                       for o in hits)]
    out = []
    for combo in sorted(kept, key=lambda h: (_effort([options[i] for i in h]), h)):
        chosen = tuple(sorted((options[i] for i in combo), key=lambda c: c.stage))
        after = ends[combo]
        assert after is not None
        # Confirm with the real engine, on answers validated like any answers file.
        changed = profile_from(book, after.answers, profile.name)
        check = recommend(book, changed)
        again = check.get(item_id)
        status: Status = again.status if again else next((n.status for n in check.not_recommended if n.id == item_id),
                                                         AFTER)
        if again is not None and reached(goal, True, again.status):
            out.append(Counterfactual(chosen, status, again.score, True,
                                      tuple((q, plain(v)) for q, v in changed.answers.items())))
        if len(out) == limit:
            break
    return tuple(out)
