"""Goals at their own scale (DESIGN.md §4): a goal is never shown for a period shorter than the
one it is stated for, and shown figures carry no more decimals than the stated goal.

A view (a day, a week or a month) shows each KPI for a **line period**: the view itself when the
goal is stated per day or per the view's own period, else the goal's own week or month, to date.
6 SAOs a month on this week's scorecard is "month 2 of 6", never "2 of 1.43"; 8 meetings a week on
today's is "week 3 of 8", never "of 1.6". The week or month is the one holding the view's last
working day so far, so last week's digest shows the month that week belonged to.

Everything here is plain arithmetic on dates: the counts come from the caller, who fetches each
line's window (:func:`line_window`) with the view's own, in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from rituals.availability import EVERY_DAY, RepDays
from rituals.pacing import (
    Pacing,
    Period,
    Thresholds,
    WorkCalendar,
    compute_pacing,
    period_containing,
)
from rituals.process.goals import Goal, GoalTimeline
from rituals.rep_goals import goal_and_elapsed

SCALE = {"day": 0, "week": 1, "month": 2}  # period kinds, shortest first

_THRESHOLDS = Thresholds()
Window = tuple[date, date]  # the dates a line counts logs over, both inclusive


def longest(kinds) -> str:
    """The longest of some period kinds ("day" for none)."""
    return max(kinds, key=SCALE.__getitem__, default="day")


def as_of_date(view: Period, now: datetime, cal: WorkCalendar) -> date:
    """The last date of the view that has happened: today, or the view's end once it is over."""
    return max(view.start, min(cal.local_date(now), view.end))


def as_of(view: Period, now: datetime, cal: WorkCalendar) -> datetime:
    """The instant the view's numbers are taken at: now, or the end of its last day once over."""
    if cal.local_date(now) <= view.end:
        return now
    return datetime.combine(view.end + timedelta(days=1), time(0), cal.tz)


def line_period(per: str | None, view: Period, now: datetime, cal: WorkCalendar) -> Period:
    """The period a goal stated per ``per`` is shown for on ``view``: the view itself, unless the
    goal is stated for a longer period; then that week or month, the one holding the view's last
    working day so far (its last date so far when it has none)."""
    if per is None or SCALE[per] <= SCALE[view.kind]:
        return view
    last = as_of_date(view, now, cal)
    anchor = last
    day = last
    while day >= view.start:
        if cal.is_working_day(day):
            anchor = day
            break
        day -= timedelta(days=1)
    return period_containing(per, anchor)


def stated_goal(
    timeline: GoalTimeline, view: Period, now: datetime, cal: WorkCalendar
) -> Goal | None:
    """The goal that says a line's scale and decimals: the one in force on the view's last day
    so far, else the one on its first day (a goal dropped since)."""
    return timeline.on(as_of_date(view, now, cal)) or timeline.on(view.start)


def line_window(line: Period, view: Period) -> Window:
    """The dates a line counts: the view's, or its own week or month up to the view's end."""
    return line.start, min(line.end, view.end)


def shown_figure(value: float, decimals: int) -> float:
    """``value`` rounded half up to ``decimals`` decimals, as a goal stated with that many shows
    it (8 a week over a 21-day month is 33.6, shown 34). A positive value never rounds to 0: a
    goal that small keeps two decimals rather than vanish."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))
    if rounded == 0 and value > 0:
        return shown_figure(value, 2) if decimals < 2 else value
    return rounded


def number_decimals(value: float) -> int:
    """How many decimals Pacer prints a count or an average with (bot.messages.number): none for
    a whole number, 2 under 10 (0.95), 1 from 10 (183.4)."""
    if abs(value - round(value)) < 1e-6:
        return 0
    return 2 if abs(value) < 10 else 1


def shown_number(value: float) -> float:
    """A count or an average as printed: ties (a contest's group averages) are decided on it."""
    return round(float(value), number_decimals(float(value)))


@dataclass(frozen=True)
class Line:
    """How one KPI is shown on one view: its period, the dates it counts, its goal for that
    period (as shown: rounded to the stated goal's decimals) and where the period stands."""

    period: Period
    window: Window
    goal: float | None
    decimals: int
    elapsed: float
    final: bool

    def pacing(self, actual: float, thresholds: Thresholds = _THRESHOLDS) -> Pacing:
        return compute_pacing(
            actual,
            self.goal,
            self.elapsed,
            thresholds,
            final=self.final,
            period=self.period,
            decimals=self.decimals,
        )


def plan_line(
    timeline: GoalTimeline | Goal | None,
    view: Period,
    now: datetime,
    cal: WorkCalendar,
    shown_per: str | None = None,
    rep: RepDays = EVERY_DAY,
) -> Line:
    """The line for a KPI with this goal over time (a Goal: the same every day; None: no goal)
    on ``view`` at ``now``, for a rep with these days (tenure, days away, ramp). ``shown_per``
    shows it at a longer scale than its own goal's (a team view where another rep's goal for the
    KPI is monthly), never at a shorter one. The goal in force on the view's last day so far
    says the scale and the decimals."""
    if not isinstance(timeline, GoalTimeline):
        timeline = GoalTimeline.constant(timeline)
    stated = stated_goal(timeline, view, now, cal)
    per = longest(p for p in (stated.per if stated else None, shown_per) if p)
    period = line_period(per, view, now, cal)
    window = line_window(period, view)
    decimals = stated.decimals if stated else 0
    amount, elapsed = goal_and_elapsed(timeline, period, as_of(view, now, cal), cal, rep)
    if amount is not None:
        amount = shown_figure(amount, decimals)
    return Line(period, window, amount, decimals, elapsed, cal.local_date(now) > period.end)
