"""The years ahead: where a plan stands after 1, 3 and 5 years, and which next roles open by then."""

from __future__ import annotations

from recommender.book import conditions as C
from recommender.book.runtime import Role
from recommender.engine.memo import memo
from recommender.engine.plan import Draft, Planner, lower_first, totals
from recommender.engine.result import PlanStep, YearView
from recommender.engine.simulate import HORIZONS, TIME_KINDS, State, number
from recommender.i18n import _, ngettext


class YearsAhead:
    """The 1-, 3- and 5-year view of a role's plans."""

    def __init__(self, planner: Planner, role: Role, hours: float | None) -> None:
        self.p = planner
        self.book = planner.book
        self.role = role
        self.hours = hours
        self._memo = memo(planner.book)

    # -------------------------------------------------------------- the years ahead
    def __call__(self, d: Draft, paced: bool = False) -> tuple[YearView, ...]:
        """Where the plan stands after 1, 3 and 5 years if each step takes its longest sourced time.

        A step whose time no source gives (a GED, an EHR course) leaves everything after it
        uncertain: those steps are 'possibly' done, never 'done'. Exam preparation is the
        exception, as it runs alongside the rest.
        """
        ends: list[tuple[PlanStep, float, float, float, bool]] = []  # step, earliest start, earliest end, latest end
        low = high = 0.0
        certain = True
        for step in d.steps:
            start = low
            if step.months is not None:
                low, high = low + step.months.min, high + step.months.max
            elif step.kind in TIME_KINDS and step.kind != "assessment":
                certain = False
            ends.append((step, start, low, high, certain))
        unsourced = len(totals(d.steps).unknown_time)
        _, _, job_low, job_high, job_certain = ends[-1]
        out = []
        for year in HORIZONS:
            h = 12.0 * year
            done = tuple(s.label or s.text for s, _, _, hi, sure in ends[:-1] if sure and hi <= h)
            maybe = tuple(s.label or s.text for s, _, lo, hi, sure in ends[:-1] if lo <= h and not (sure and hi <= h))
            going = tuple(s.label or s.text for s, start, lo, _, _ in ends[:-1] if start <= h < lo)
            underway = maybe + going
            working = job_certain and job_high <= h
            years_in = int((h - job_high) // 12) if working else 0
            done += self._later_done(d, job_high, h) if working else ()
            open_roles = self._open_roles(d.state, years_in)
            summary = self._year_words(year, done, maybe, going, working, years_in, open_roles, job_low, unsourced,
                                       paced)
            out.append(YearView(year, summary, done, underway, working, open_roles))
        return tuple(out)

    @staticmethod
    def _later_done(d: Draft, start: float, horizon: float) -> tuple[str, ...]:
        """The steps after the job that are done by the horizon, one after another.

        An exam takes no time of its own (preparing runs alongside work); a step of unknown
        length stops the count. In a job-first plan the work itself is the job, so it is not
        listed again.
        """
        out = []
        elapsed = start
        for s in d.later:
            more = s.months.max if s.months is not None else (0.0 if s.kind == "assessment" else None)
            if more is None:
                break
            elapsed += more
            if elapsed > horizon:
                break
            if not (d.job_first and s.kind == "experience"):
                out.append(s.label or s.text)
        return tuple(out)

    def _open_roles(self, state: State, years_in: int) -> tuple[str, ...]:
        if years_in <= 0 or number(state.get("experience_years")) is None:
            return ()
        closed = [r for r in self.role.next_roles if not self.p.eligible(r, state)]
        if not closed:
            return ()
        grown = self.p.grown(state, years_in)
        return tuple(r for r in closed if grown is not None and self.p.eligible(r, grown))

    def _year_words(self, year: int, done: tuple[str, ...], maybe: tuple[str, ...], going: tuple[str, ...],
                    working: bool, years_in: int, open_roles: tuple[str, ...], job_low: float, unsourced: int,
                    paced: bool = False) -> str:
        # The same few sentences recur across a batch: remembered per book and language.
        key = (self.role.id, year, done, maybe, going, working, years_in, open_roles, job_low, unsourced,
               self.hours if paced else None)
        return self._memo.get("year-words", key, lambda: self._make_words(year, done, maybe, going, working,
                                                                          years_in, open_roles, job_low, unsourced,
                                                                          paced))

    def _make_words(self, year: int, done: tuple[str, ...], maybe: tuple[str, ...], going: tuple[str, ...],
                    working: bool, years_in: int, open_roles: tuple[str, ...], job_low: float, unsourced: int,
                    paced: bool) -> str:
        name = self.book.item_name(self.role.id)
        parts = []
        for label, steps in ((_("done: {steps}"), done), (_("possibly done: {steps}"), maybe),
                             (_("under way: {steps}"), going)):
            if steps:
                parts.append(label.format(steps=C.join_words([lower_first(x) for x in steps])))
        if working and years_in:
            if job_low == 0 and len(done) == 0:
                parts.append(ngettext("about {n} year of work as {role}, if you are hired now",
                                      "about {n} years of work as {role}, if you are hired now",
                                      years_in).format(n=years_in, role=name))
            else:
                parts.append(ngettext("about {n} year of work as {role}", "about {n} years of work as {role}",
                                      years_in).format(n=years_in, role=name))
        elif working:
            parts.append(_("ready to apply for {role} positions").format(role=name))
        elif job_low <= 12 * year:
            parts.append(_("possibly ready to apply for {role} positions").format(role=name))
        else:
            parts.append(_("not yet ready to apply for {role} positions").format(role=name))
        if open_roles:
            parts.append(_("that experience would also meet the requirements for {roles}").format(
                roles=C.join_words([self.book.item_name(r) for r in open_roles])))
        text = "; ".join(parts)
        if unsourced:
            text = ngettext("{text} (leaving out the time of {n} step whose length is unknown)",
                            "{text} (leaving out the time of {n} steps whose length is unknown)",
                            unsourced).format(text=text, n=unsourced)
        text = f"{text[:1].upper()}{text[1:]}"
        if paced:
            return _("Year {year}, at your {hours} hours a week (estimated): {text}.").format(
                year=year, hours=f"{self.hours:g}", text=text)
        return _("Year {year}: {text}.").format(year=year, text=text)
