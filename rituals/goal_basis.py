"""How a rep's goal for a period was computed (DESIGN.md §4: every number explains itself): the
days counted, each at the goal in force that day and its ramp, and the days left out with the
reason (a holiday's name, a company day off, a day away, before the start, after the last day).

Plain data for `/scorecard calls why`; the words are bot/scorecard's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby

from rituals.availability import EVERY_DAY, RepDays
from rituals.pacing import Period, WorkCalendar, period_containing
from rituals.process.goals import Goal, GoalTimeline
from rituals.rep_goals import day_goals, goal_and_elapsed
from rituals.scales import as_of, line_period, shown_figure, stated_goal

# Why a team working weekday is not one of the rep's days.
HOLIDAY, AWAY, BEFORE_START, AFTER_LAST_DAY, NO_GOAL = (
    "holiday",
    "away",
    "before_start",
    "after_last_day",
    "no_goal",
)


@dataclass(frozen=True)
class Part:
    """Consecutive-in-the-list days that share a goal and a ramp: ``goal`` (as stated) ×
    ``ramp`` over ``days``, each worth ``per_day`` (a weekly or monthly goal's share of one of
    the team's ``unit_days`` working days of its week or month)."""

    goal: Goal
    ramp: float
    per_day: float
    unit_days: int  # the team's working days of the goal's own period (1 for a daily goal)
    days: tuple[date, ...]

    @property
    def total(self) -> float:
        return self.per_day * len(self.days)


@dataclass(frozen=True)
class LeftOut:
    day: date
    reason: str  # HOLIDAY, AWAY, BEFORE_START, AFTER_LAST_DAY or NO_GOAL
    name: str = ""  # the holiday's name


@dataclass(frozen=True)
class GoalBasis:
    """A goal for one period, taken apart: ``total`` (as shown, rounded to the stated goal's
    decimals) = the sum of ``parts``; ``left_out`` are the team's working weekdays that don't
    count for this rep; ``due`` is the part of it due by ``at`` (goal × elapsed share)."""

    period: Period
    total: float | None
    decimals: int
    parts: tuple[Part, ...]
    left_out: tuple[LeftOut, ...]
    due: float | None
    elapsed: float
    at: datetime  # in the calendar's timezone


def _reason(day: date, cal: WorkCalendar, rep: RepDays) -> LeftOut:
    if cal.holidays.is_off(day):
        names = [off.name for off in cal.days_off(day, day)]
        return LeftOut(day, HOLIDAY, names[0] if names else "")
    if rep.start is not None and day < rep.start:
        return LeftOut(day, BEFORE_START)
    if rep.last_day is not None and day > rep.last_day:
        return LeftOut(day, AFTER_LAST_DAY)
    if day in rep.away:
        return LeftOut(day, AWAY)
    return LeftOut(day, NO_GOAL)


def explain(
    timeline: GoalTimeline,
    view: Period,
    now: datetime,
    cal: WorkCalendar,
    rep: RepDays = EVERY_DAY,
) -> GoalBasis:
    """The goal a KPI's line shows on ``view`` (at its own scale: a monthly goal on a week is
    the month's), taken apart."""
    stated = stated_goal(timeline, view, now, cal)
    period = line_period(stated.per if stated else None, view, now, cal)
    decimals = stated.decimals if stated else 0
    days = day_goals(timeline, period, cal, rep)
    counted = {d.day for d in days}
    weekdays = [d for d in period.days() if d.weekday() in cal.working_days]
    left_out = tuple(_reason(d, cal, rep) for d in weekdays if d not in counted)
    parts = []
    for (goal, ramp, per_day), run in groupby(days, key=lambda d: (d.goal, d.ramp, d.share)):
        run = list(run)
        unit = period_containing(goal.per, run[0].day)
        unit_days = 1 if goal.per == "day" else cal.working_days_in(unit.start, unit.end)
        parts.append(Part(goal, ramp, per_day, unit_days, tuple(d.day for d in run)))
    total, elapsed = goal_and_elapsed(timeline, period, as_of(view, now, cal), cal, rep)
    shown = None if total is None else shown_figure(total, decimals)
    due = None if total is None else total * elapsed
    local = cal.local_now(now)
    return GoalBasis(period, shown, decimals, tuple(parts), left_out, due, elapsed, local)
