"""Words every short report shares: pay, time and cost of the first step, readiness, one reason, links.

Plain strings only; the text and Markdown renderers add their own layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from recommender.book.rulebook import RuleBook
from recommender.book.runtime import PURPOSES, Link, MarketFact, Organization, Role
from recommender.engine.result import (
    FirstStep,
    NotRecommended,
    PayFigure,
    Recommendation,
    Result,
    RoleCard,
)
from recommender.engine.summary import pay_figure
from recommender.i18n import _
from recommender.i18n import money as usd
from recommender.render import labels as L
from recommender.render.common import money, months

#: Items of each kind in the short report; `--details` shows every one.
SHORT_LIST = 3
MAX_LINKS = 6
MAX_FACTS = 5
REASON_CHARS = 170
WISHES = frozenset({"goals", "interests"})


def pay_words(pay: PayFigure) -> str:
    """'median pay $50,250 a year (2024, for medical records specialists)', hedged when not official."""
    details = "; ".join([str(pay.year)] + ([pay.group] if pay.group else [])
                        + ([] if pay.confirmed else [_("not an official figure")]))
    text = _("average pay {amount} {period} ({details})") if pay.statistic == "mean" else \
        _("median pay {amount} {period} ({details})")
    return text.format(amount=_amount(pay), period=_period(pay), details=details)


def pay_short(pay: PayFigure) -> str:
    """'median $50,250 a year (2024)', for a list line; 'about' when the figure is not official."""
    text = _("average {amount} {period} ({year})") if pay.statistic == "mean" else \
        _("median {amount} {period} ({year})")
    return text.format(amount=_amount(pay), period=_period(pay), year=pay.year)


def _amount(pay: PayFigure) -> str:
    amount = usd(pay.value_usd, cents=pay.period == "hour")
    return amount if pay.confirmed else _("about {amount}").format(amount=amount)


def _period(pay: PayFigure) -> str:
    return _("an hour") if pay.period == "hour" else _("a year")


def wants_pay(result: Result) -> bool:
    """Whether the person said pay matters to them (a higher salary among their goals)."""
    goals = dict(result.answers).get("goals") or ()
    return "higher_salary" in goals


def step_facts(first: FirstStep, book: RuleBook) -> str:
    """'Time: about 9–12 months. Cost: unknown, ask the school.' for the step to take this month."""
    parts = []
    if first.kind == "job":
        parts.append(_("Time: you can start now"))
    elif first.months is not None:
        parts.append(_("Time: about {time}").format(time=months(first.months)))
    if first.cost_usd is not None:
        parts.append(_("Cost: {cost}").format(cost=money(first.cost_usd)))
    elif first.cost_unknown:
        item = book.items.get(first.item) if first.item is not None else None
        issuer = getattr(item, "issuer", None)  # an exam's price is the issuer's to give
        if first.kind in ("program", "bridge"):
            parts.append(_("Cost: unknown, ask the school"))
        elif item is None:
            parts.append(_("Cost: unknown, ask the organization"))
        else:
            who = book.item_name(issuer) if isinstance(issuer, str) and issuer in book.items else book.item_name(item.id)
            parts.append(_("Cost: unknown, ask {who}").format(who=who))
    elif first.kind == "job":
        parts.append(_("Cost: none"))
    return ". ".join(parts) + "." if parts else ""


def item_title(rec: Recommendation) -> str:
    """'CMAA: Certified Medical Administrative Assistant' for a credential, the name for the rest."""
    if rec.kind == "certification" and rec.short_name and rec.short_name not in rec.name:
        return f"{rec.short_name}: {rec.name}"
    return rec.name


def readiness(rec: Recommendation, card: RoleCard | None, firsts: Mapping[str, str] | None = None) -> str:
    """Whether the person can start now, in words; if not, what comes first (as the plan has it)."""
    if card is not None and card.apply_now is not None:
        return _("you can apply now") if card.apply_now else _first(card.first or "")
    planned = (firsts or {}).get(rec.id)
    if planned:
        return _first(planned)
    if rec.status == "ready":
        return _("you can apply now") if rec.kind == "role" else _("you can start now")
    first = rec.next_steps[0].text if rec.next_steps else _("meet its requirements")
    return _first(first)


def _first(step: str) -> str:
    return _("first: {step}").format(step=_lower(step))


def main_reason(rec: Recommendation, limit: int = REASON_CHARS) -> str:
    """The one reason a short report shows: drawn from what the person wants if one is, shortened."""
    if not rec.reasons:
        return ""
    reason = next((r for r in rec.reasons if any(q in WISHES for q, _ in r.answers)), rec.reasons[0])
    return shorten(reason.text, limit)


def shorten(text: str, limit: int) -> str:
    """The text up to its first sentence end that fits, else cut at a space with an ellipsis."""
    if len(text) <= limit:
        return text
    for stop in (". ", "; ", ": "):
        end = text.rfind(stop, 0, limit)
        if end > limit // 3:
            return text[:end] + ("." if stop == ". " else "…")
    cut = text.rfind(" ", 0, limit - 1)
    return text[:cut if cut > 0 else limit - 1].rstrip(",;:") + "…"


def short_list(result: Result, kind: str, size: int = SHORT_LIST) -> tuple[list[Recommendation], int]:
    """The first items of a kind and how many more there are."""
    recs = result.by_kind(kind)
    return recs[:size], max(0, len(recs) - size)


def links(book: RuleBook, result: Result, shown: Iterable[str]) -> list[Link]:
    """Where to act: the shown items' own links, then the general services, by purpose, each address once."""
    shown = list(shown)
    found: list[Link] = []
    for item_id in shown:
        found += book.items[item_id].links
    general = [i for i in book.items.values() if isinstance(i, Organization) and not i.offers]
    for org in general:
        found += org.links
    seen: set[str] = set()
    unique = []
    for link in sorted(found, key=lambda k: PURPOSES.index(k.purpose)):
        if link.url not in seen:
            seen.add(link.url)
            unique.append(link)
    return unique[:MAX_LINKS]


def key_facts(book: RuleBook, result: Result) -> list[MarketFact]:
    """At most five labour-market facts about the recommended roles, one per topic first."""
    roles = {r.id for r in result.by_kind("role")}
    about = [f for f in book.market if set(f.roles) & roles]
    first: list[MarketFact] = []
    topics: set[str] = set()
    for fact in about:
        if fact.topic not in topics:
            topics.add(fact.topic)
            first.append(fact)
    rest = [f for f in about if f not in first]
    return (first + rest)[:MAX_FACTS]


def cards(result: Result) -> dict[str, RoleCard]:
    return {c.id: c for c in result.summary.roles} if result.summary else {}


def join_then(steps: Sequence[str]) -> list[str]:
    return [s.rstrip(".") + "." for s in steps]


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def role_facts(book: RuleBook, role_id: str) -> list[tuple[str, tuple[str, ...]]]:
    """What the catalog knows about a role, as (text, sources): description, pay, outlook, entry education."""
    role = book.items.get(role_id)
    if not isinstance(role, Role):
        return []
    out: list[tuple[str, tuple[str, ...]]] = [(shorten(" ".join(role.description.split()), 200), ())]
    pay = pay_figure(role)
    if pay is not None:
        out.append((f"{_(L.PAY)} {pay_words(pay)}.", pay.sources))
    if role.outlook is not None:
        out.append((f"{_(L.OUTLOOK)} {role.outlook.value}", tuple(role.outlook.sources)))
    entry = getattr(role, "entry_education", None)
    if entry is not None:
        out.append((f"{_(L.TO_START)} {entry.value}", tuple(entry.sources)))
    return out


def nothing_yet(command: str) -> str:
    """What to do when the answers point to nothing yet; `command` is the quiz command to run."""
    return _("Your answers do not point to a credential, program or role yet. Add what interests you and what you "
             "want from work ({command}), then ask again.").format(command=command)


def no_role_yet(command: str) -> str:
    """What to do when no role fits; `command` is the explain command to run."""
    return _("No role fits your answers yet. The lists below show the credentials and programs that do; {command} "
             "says what would change that for one of them.").format(command=command)


def answers_file(result: Result) -> str:
    """The person's own answers file, ready to paste into a command (or ANSWERS when there is none)."""
    if not result.source or result.source == "answers":
        return "ANSWERS"
    import shlex

    return shlex.quote(result.source)


def worth_a_why_not(book: RuleBook, result: Result) -> list[NotRecommended]:
    """The items a person would ask about: excluded ones, near misses, and kin of what is recommended.

    A near miss is an item some fired rule argued for, outweighed by others; kin share an issuer
    with a recommended credential. Items nothing in the answers pointed to are left out.
    """
    issuers = {getattr(book.items[r.id], "issuer", None) for r in result.by_kind("certification")} - {None}
    rules = {r.id: r for r in book.rules}
    out = []
    for n in result.not_recommended:
        if n.reason == "held":
            continue
        argued = any(rules[r].rule.points.get(n.id, 0) > 0 for r in n.rules if r in rules)
        kin = getattr(book.items[n.id], "issuer", None) in issuers
        if n.reason == "excluded" or argued or kin:
            out.append(n)
    return out
