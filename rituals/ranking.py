"""Every rep's numbers for one period, and stack rankings of them (DESIGN.md §4).

Each KPI is shown at its own scale (rituals/scales.py): on a week, a monthly goal is a line for
the month to date. A rep's **overall** score weighs the KPIs whose goals are stated for the
period or a shorter one (a week is judged on its daily and weekly goals; the month's overall
adds the monthly ones), each attainment capped, by the role's ``scoring`` (cap 150% and weight 1
unless the process says otherwise). A rep whose goals are all longer than the period is scored
on them as shown, to date.

Rankings go by attainment (actual ÷ goal, fair across different quotas) unless raw counts are
asked for. Ties are decided on the figure as shown (a whole percent, rounded down like every
percentage Pacer prints): two reps shown at 100% share a rank (1, 2, 2, 4) and are listed by
name. Plain data: no Slack, the clock is passed in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from rituals import rep_days
from rituals.availability import EVERY_DAY, RepDays
from rituals.pacing import Pacing, Period
from rituals.process import Goal, GoalTimeline, Process, Role
from rituals.process.scoring import DEFAULT_SCORING, Scoring
from rituals.rep_goals import period_goal
from rituals.scales import SCALE, Line, Window, as_of_date, longest, plan_line, shown_figure
from storage import log_queries
from storage.models import Member
from storage.unit_of_work import Session

BY_ATTAINMENT, BY_COUNT = "attainment", "count"
RANK_BY = (BY_ATTAINMENT, BY_COUNT)

# Same slack as rituals.pacing: 4.0 / 4.000000001 still hits its goal, 0.29 shows as 29%.
_EPS = 1e-9

Totals = Mapping[str, Mapping[str, int]]  # rep -> KPI -> counted total


def shown_percent(value: float) -> int:
    """A share as the whole percent Pacer shows, rounded down (so 99.6% of pace is 99%, at risk,
    and a goal shows 100% only once it is reached). bot/messages.percent prints this."""
    return math.floor(value * 100 + _EPS)


@dataclass(frozen=True)
class RepResult:
    """One rep's numbers for one period: a Pacing per KPI on the rep's scorecard, in order, each
    at its own scale (``lines``); the attainments that make the overall score (``scores``:
    None takes every line's); and the role's scoring."""

    rep_id: str
    role: str  # the role's key in the process
    lines: Mapping[str, Pacing] = field(hash=False)  # KPI key -> pacing, as shown
    scores: Mapping[str, float] | None = field(default=None, hash=False)  # KPI -> attainment
    scoring: Scoring = field(default=DEFAULT_SCORING, hash=False)
    period: Period | None = None  # the period viewed; a line may be for a longer one
    # Why the rep has no goal for the period although their role has goals: "away" (every one of
    # their working days in it is a day away), "not_started" (a new hire starting later) or
    # "left" (after their last day). None: they are there. Such a rep has no rank.
    absent: str | None = None

    @property
    def overall(self) -> float | None:
        """The weighted mean of the capped attainments in ``scores`` (see the module notes);
        None without any goal."""
        return self.scoring.overall(self.scored())

    def scored(self) -> dict[str, float]:
        """KPI -> attainment, uncapped, of the KPIs the overall score weighs."""
        if self.scores is not None:
            return dict(self.scores)
        return {k: p.attainment for k, p in self.lines.items() if p.attainment is not None}

    def only(self, kpis: Iterable[str]) -> RepResult:
        """The same numbers for some KPIs only (the daily chart's leading KPIs)."""
        keep = set(kpis)
        scores = (
            None if self.scores is None else {k: v for k, v in self.scores.items() if k in keep}
        )
        lines = {k: p for k, p in self.lines.items() if k in keep}
        return replace(self, lines=lines, scores=scores)

    def _own(self, pacing: Pacing) -> bool:
        return self.period is None or pacing.period is None or pacing.period == self.period

    def hits(self) -> tuple[str, ...]:
        """The KPIs whose goal for the period is met (attainment ≥ 100%); a goal shown for its
        own longer period (a monthly goal on a day) is not the day's to hit."""
        return tuple(
            k
            for k, p in self.lines.items()
            if p.attainment is not None and p.attainment >= 1 - _EPS and self._own(p)
        )

    def goals(self) -> tuple[str, ...]:
        """The KPIs that have a goal for the period itself."""
        return tuple(k for k, p in self.lines.items() if p.attainment is not None and self._own(p))


@dataclass(frozen=True)
class Ranked:
    """A place in a stack ranking. Reps without a value (no goal to attain) come last and all
    share the rank after the last ranked rep; ``ranked`` tells them apart."""

    rank: int
    rep_id: str
    value: float | None  # attainment (1.0 = 100%) or the raw count, by the ranking's `by`
    result: RepResult
    by: str = BY_ATTAINMENT

    @property
    def ranked(self) -> bool:
        return self.value is not None

    @property
    def shown(self) -> int | float | None:
        """The value as shown: a whole percent (rounded down), or the count."""
        if self.value is None:
            return None
        return self.value if self.by == BY_COUNT else shown_percent(self.value)


def team_reps(process: Process, members: Iterable[Member]) -> list[tuple[Member, Role]]:
    """The members who are reps: a role that the process knows (a manager without a role, or a
    role deleted from the process, is nobody's rep), and not removed before tenure dates existed
    (``active`` False). Each person once, in the given order. Who is on the team for a period is
    the caller's list (rituals.teams); a rep whose tenure misses the period is in it with no goal
    (RepResult.absent)."""
    out: list[tuple[Member, Role]] = []
    seen: set[str] = set()
    for member in members:
        if not member.active or not member.role or member.user_id in seen:
            continue
        if not process.has_role(member.role):
            continue
        seen.add(member.user_id)
        out.append((member, process.role(member.role)))
    return out


class GoalScaler:
    """Each KPI's line (rituals.scales.Line) for a view, computed once per (goal over time, rep's
    days, view): a digest for 300 reps asks the same few questions thousands of times, and reps
    with the same goals and no days of their own share every answer. ``days``: rep ID -> their
    own days (tenure, days away, ramp: rituals/rep_days.py); a rep not in it has the team's."""

    def __init__(self, process: Process, days: Mapping[str, RepDays] | None = None):
        self.process = process
        self.days = dict(days or {})
        self._own = process.reps_with_own_goals
        self._timelines: dict[tuple[str, str | None], tuple[GoalTimeline, ...]] = {}
        self._lines: dict[tuple, Line] = {}

    def rep_days(self, rep_id: str) -> RepDays:
        return self.days.get(rep_id, EVERY_DAY)

    def timelines(self, role: Role, rep_id: str) -> tuple[GoalTimeline, ...]:
        """The rep's goal over time for each KPI on the role's scorecard, in order: the role's
        own (one tuple, shared) unless the rep has goals of their own."""
        key = (role.key, rep_id if rep_id in self._own else None)
        found = self._timelines.get(key)
        if found is None:
            found = self._timelines[key] = tuple(
                self.process.goal_timeline(role.key, kpi, key[1]) for kpi in role.scorecard
            )
        return found

    def stated(self, role: Role, rep_id: str, on: date) -> tuple[Goal | None, ...]:
        """The rep's goal for each KPI on the role's scorecard, in order, as stated on ``on``."""
        return tuple(t.on(on) for t in self.timelines(role, rep_id))

    def line(
        self,
        goal: GoalTimeline | Goal | None,
        view: Period,
        now: datetime,
        shown_per: str | None = None,
        rep: RepDays = EVERY_DAY,
    ) -> Line:
        key = (goal, view, now, shown_per, rep)
        found = self._lines.get(key)
        if found is None:
            cal = self.process.calendar
            found = self._lines[key] = plan_line(goal, view, now, cal, shown_per, rep)
        return found

    def goals(self, role: Role, rep_id: str, period: Period) -> tuple[float | None, ...]:
        """The rep's goal for each KPI on the role's scorecard, in order, for ``period`` itself,
        rounded as shown (a monthly goal's share of a week is never shown, only counted)."""
        cal = self.process.calendar
        rep = self.rep_days(rep_id)
        out = []
        for timeline in self.timelines(role, rep_id):
            amount = period_goal(timeline, period, cal, rep)
            stated = timeline.on(period.end) or timeline.on(period.start)
            decimals = stated.decimals if stated else 0
            out.append(None if amount is None else shown_figure(amount, decimals))
        return tuple(out)

    def goal(self, role: Role, kpi: str, rep_id: str, period: Period) -> float | None:
        if kpi not in role.scorecard:
            return None
        return self.goals(role, rep_id, period)[role.scorecard.index(kpi)]


def scaler_for(
    session: Session,
    workspace_id: int,
    process: Process,
    reps: list[tuple[Member, Role]],
    views: Iterable[Period],
) -> GoalScaler:
    """A GoalScaler that knows each rep's own days (tenure, days away, ramp) over the views."""
    return GoalScaler(process, rep_days.load(session, workspace_id, reps, views))


def kpi_scales(scaler: GoalScaler, reps: list[tuple[Member, Role]], on: date) -> dict[str, str]:
    """KPI -> the longest period any of these reps' goals for it is stated per (on ``on``): on a
    team view every rep's line for a KPI is shown at that scale, so the team's line adds up."""
    pers: dict[str, set[str]] = {}
    for member, role in reps:
        for kpi, goal in zip(role.scorecard, scaler.stated(role, member.user_id, on), strict=True):
            pers.setdefault(kpi, set()).add(goal.per if goal else "day")
    return {kpi: longest(found) for kpi, found in pers.items()}


def windows(
    process: Process,
    reps: list[tuple[Member, Role]],
    view: Period,
    now: datetime,
    scaler: GoalScaler | None = None,
) -> list[Window]:
    """The date ranges the view's numbers count: the view's own first, then each longer goal's
    week or month to date. Fetch them in one query (log_queries.team_period_totals)."""
    scaler = scaler or GoalScaler(process)
    out = [(view.start, view.end)]
    on = as_of_date(view, now, process.calendar)
    for per in sorted(set(kpi_scales(scaler, reps, on).values()), key=SCALE.__getitem__):
        window = scaler.line(None, view, now, per).window
        if window not in out:
            out.append(window)
    return out


def fetch_totals(
    session: Session,
    workspace_id: int,
    reps: list[tuple[Member, Role]],
    ranges: list[Window],
) -> dict[Window, Totals]:
    """rep -> KPI -> total for each range, from one statement (none for no rep)."""
    unique = list(dict.fromkeys(ranges))
    if not reps or not unique:
        return {r: {} for r in unique}
    found = log_queries.team_period_totals(
        session, workspace_id, [m.user_id for m, _ in reps], unique
    )
    return dict(zip(unique, found, strict=True))


def results_from_totals(
    process: Process,
    reps: list[tuple[Member, Role]],
    period: Period,
    now: datetime,
    totals: Mapping[Window, Totals],
    scaler: GoalScaler | None = None,
) -> list[RepResult]:
    """RepResults from totals already fetched for every range of ``windows(...)``, without a
    query. Each KPI is shown at the team's scale for it (kpi_scales); the overall score weighs
    each rep's goals stated for the period or a shorter one (module notes)."""
    scaler = scaler or GoalScaler(process)
    cal = process.calendar
    thresholds = process.thresholds
    on = as_of_date(period, now, cal)
    scales = kpi_scales(scaler, reps, on)
    own_window = (period.start, period.end)
    out = []
    for member, role in reps:
        rep_id = member.user_id
        rep = scaler.rep_days(rep_id)
        lines: dict[str, Pacing] = {}
        scores: dict[str, float] = {}
        own_scale = False  # a goal stated for the period or a shorter one (0 on a day off)
        timelines = scaler.timelines(role, rep_id)
        for kpi, timeline in zip(role.scorecard, timelines, strict=True):
            line = scaler.line(timeline, period, now, scales.get(kpi), rep)
            lines[kpi] = pacing = line.pacing(_count(totals, line.window, rep_id, kpi), thresholds)
            goal = timeline.on(on) or timeline.on(period.start)
            if goal is None or SCALE[goal.per] > SCALE[period.kind]:
                continue
            own_scale = True
            if line.period == period:
                if pacing.attainment is not None:
                    scores[kpi] = pacing.attainment
                continue
            # Shown at a teammate's longer scale: scored on the period itself all the same.
            own = scaler.line(timeline, period, now, None, rep)
            if own.goal:
                scores[kpi] = _count(totals, own_window, rep_id, kpi) / own.goal
        # Away (or not on the team) for all of the period: no goal of its own, so no score.
        absent = rep_days.absence(rep, period, cal)
        # Nothing stated for the period: scored on the longer goals as shown, so far.
        scored = {} if absent else scores if own_scale else None
        out.append(RepResult(rep_id, role.key, lines, scored, role.scoring, period, absent))
    return out


def _count(totals: Mapping[Window, Totals], window: Window, rep_id: str, kpi: str) -> int:
    return totals.get(window, {}).get(rep_id, {}).get(kpi, 0)


def team_results(
    session: Session,
    workspace_id: int,
    process: Process,
    members: list[Member],
    period: Period,
    now: datetime,
) -> list[RepResult]:
    """Every rep's scorecard numbers for a period from one query, in the members' order; goals are
    the process's (a rep's own override first) at their own scale on the team's calendar."""
    reps = team_reps(process, members)
    if not reps:
        return []
    scaler = scaler_for(session, workspace_id, process, reps, [period])
    totals = fetch_totals(session, workspace_id, reps, windows(process, reps, period, now, scaler))
    return results_from_totals(process, reps, period, now, totals, scaler)


def _value(result: RepResult, kpi: str | None, by: str) -> float | None:
    if kpi is None:
        return result.overall
    line = result.lines[kpi]
    return line.attainment if by == BY_ATTAINMENT else float(line.actual)


def _shown(value: float, by: str) -> float:
    return value if by == BY_COUNT else shown_percent(value)


def rank(
    results: Iterable[RepResult],
    kpi: str | None = None,
    by: str = BY_ATTAINMENT,
    names: Mapping[str, str] | None = None,
) -> list[Ranked]:
    """A stack ranking, best first.

    ``kpi`` None ranks by the overall score; otherwise only the reps with that KPI on their
    scorecard take part, by attainment (default) or by raw count (``by="count"``). Reps whose
    figures are the same as shown (a whole percent, or the count) share a rank (1, 2, 2, 4) and
    are listed by name (``names``: rep ID -> display name; the ID where it has none); reps
    without a value (no goal) follow, by name, sharing the rank after the last ranked rep.
    """
    if by not in RANK_BY:
        raise ValueError(f"rank by {by!r}? Use one of {', '.join(RANK_BY)}")
    if kpi is None and by == BY_COUNT:
        raise ValueError("a ranking by count needs a KPI: counts of different KPIs don't add up")
    order = _by_name(names)
    entries = []
    for result in results:
        if kpi is not None and kpi not in result.lines:
            continue
        value = _value(result, kpi, by)
        entries.append((None if value is None else _shown(value, by), value, result))
    valued = sorted(
        (e for e in entries if e[0] is not None), key=lambda e: (-e[0], order(e[2].rep_id))
    )
    unvalued = sorted((e for e in entries if e[0] is None), key=lambda e: order(e[2].rep_id))

    out: list[Ranked] = []
    previous: float | None = None
    place = 0
    for position, (key, value, result) in enumerate(valued, 1):
        if key != previous:
            place, previous = position, key
        out.append(Ranked(place, result.rep_id, value, result, by))
    last = len(valued) + 1
    out.extend(Ranked(last, result.rep_id, None, result, by) for _, _, result in unvalued)
    return out


def _by_name(names: Mapping[str, str] | None) -> Callable[[str], tuple[str, str]]:
    def key(rep_id: str) -> tuple[str, str]:
        return ((names or {}).get(rep_id) or rep_id).casefold(), rep_id

    return key


def by_name(ranking: list[Ranked], names: Mapping[str, str]) -> list[Ranked]:
    """The same ranking with each tie listed by display name: the names are known only once the
    ranking reaches Slack (bot/people.py), after it was built in order of rep ID."""
    order = _by_name(names)
    return sorted(ranking, key=lambda r: (r.rank, not r.ranked, order(r.rep_id)))
