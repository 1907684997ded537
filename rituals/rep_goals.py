"""A rep's goal for a period, day by day (DESIGN.md §4): the sum over their available days of each
day's share of the goal in force that day, scaled by their ramp; and how much of it is due by now.

The team's calendar alone gives the common case (no changes, no days away, no tenure, no ramp)
exactly as rituals.pacing.scaled_goal and elapsed_share always have; anything else walks the days:

- a daily goal counts once per available working day;
- a weekly or monthly goal spreads evenly over the **team's** working days of that week or month,
  and the rep gets the shares of the days they are there (away on Wednesday of Thanksgiving week,
  8 meetings a week over 4 working days is 6);
- a ramp scales each day's share by the rep's month of tenure;
- "due by now" weighs each day by its own share, so a goal raised on Wednesday does not make
  Monday and Tuesday look behind: the share of the period elapsed is the goal due so far ÷ the
  whole goal, which is the working time elapsed whenever every day weighs the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rituals.availability import EVERY_DAY, RepDays
from rituals.pacing import (
    Period,
    WorkCalendar,
    daily_rate,
    day_done,
    elapsed_share,
    scaled_goal,
)
from rituals.process.goals import Goal, GoalTimeline


@dataclass(frozen=True)
class DayGoal:
    """One available working day's share of a goal (after the ramp), and what it came from."""

    day: date
    share: float
    goal: Goal
    ramp: float = 1.0


def day_goals(
    timeline: GoalTimeline, period: Period, cal: WorkCalendar, rep: RepDays = EVERY_DAY
) -> list[DayGoal]:
    """Each of the rep's available working days in ``period`` that has a goal, with its share."""
    out = []
    for day in period.days():
        if not cal.is_working_day(day) or not rep.available(day):
            continue
        goal = timeline.on(day)
        if goal is None:
            continue
        ramp = rep.ramp_share(day)
        share = daily_rate(goal.amount, goal.per, day, cal) * ramp
        out.append(DayGoal(day, share, goal, ramp))
    return out


def simple(timeline: GoalTimeline, period: Period, rep: RepDays) -> bool:
    """Whether the team's calendar alone gives the answer (no change, no rep days, no ramp)."""
    return (
        timeline.constant_over(period.start, period.end)
        and rep.plain
        and not rep.ramps(period.start, period.end)
    )


def period_goal(
    timeline: GoalTimeline, period: Period, cal: WorkCalendar, rep: RepDays = EVERY_DAY
) -> float | None:
    """The rep's goal for ``period`` (None: no goal on any of their days; 0 for a period
    without a working day, as scaled_goal says)."""
    if simple(timeline, period, rep):
        goal = timeline.on(period.start)
        return None if goal is None else scaled_goal(goal.amount, goal.per, period, cal)
    total = sum(d.share for d in day_goals(timeline, period, cal, rep))
    return total if total > 0 else None


def goal_and_elapsed(
    timeline: GoalTimeline,
    period: Period,
    now: datetime,
    cal: WorkCalendar,
    rep: RepDays = EVERY_DAY,
) -> tuple[float | None, float]:
    """The rep's goal for ``period`` (None: no goal on any of their days) and the share of it
    due by ``now`` (0..1)."""
    if simple(timeline, period, rep):
        return period_goal(timeline, period, cal, rep), elapsed_share(period, now, cal)
    days = day_goals(timeline, period, cal, rep)
    total = sum(d.share for d in days)
    if not days or total <= 0:
        return None, elapsed_share(period, now, cal)
    due = sum(d.share * day_done(d.day, now, cal) for d in days)
    return total, min(1.0, due / total)
