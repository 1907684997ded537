"""A rep's scorecard for a period: 3 leading + 1 lagging KPIs with actual, goal, attainment,
pace and projection (DESIGN.md §4), and the logs behind any one number.

Each KPI is shown at its own scale (rituals/scales.py): on this week's scorecard a goal of 6 SAOs
a month is the month to date, "month 2 of 6"."""

from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rituals import rep_days
from rituals.availability import EVERY_DAY, RepDays
from rituals.pacing import (
    Pacing,
    Period,
    WorkCalendar,
    elapsed_share,
    period_containing,
    previous_period,
)
from rituals.process import Goal, GoalTimeline, Kpi, Process, Role
from rituals.scales import Line, as_of_date, plan_line
from storage import log_queries
from storage.models import ActivityLog, Member
from storage.unit_of_work import Session

# What people may type after /scorecard, and the period each names (offset 0 = current).
PERIOD_WORDS = {
    "day": ("day", 0),
    "today": ("day", 0),
    "daily": ("day", 0),
    "yesterday": ("day", -1),
    "week": ("week", 0),
    "weekly": ("week", 0),
    "this-week": ("week", 0),
    "last-week": ("week", -1),
    "month": ("month", 0),
    "monthly": ("month", 0),
    "this-month": ("month", 0),
    "last-month": ("month", -1),
}


@dataclass(frozen=True)
class KpiLine:
    kpi: Kpi
    goal: Goal | None  # as stated (e.g. 60/day), before scaling to the period
    pacing: Pacing  # for pacing.period: the scorecard's, or the goal's own longer one


@dataclass(frozen=True)
class Scorecard:
    rep_id: str
    role: Role
    period: Period
    now: datetime  # in the calendar's timezone: the rep's own
    elapsed: float
    lines: list[KpiLine]
    timezone: str
    working: bool = True  # False for a period without working days (a Sunday)
    # Why the rep has none of the period's working days (rituals.rep_days: away, not_started,
    # left), and their days (tenure, days away) for saying so; None: they are there.
    absent: str | None = None
    days: RepDays = EVERY_DAY

    @property
    def is_past(self) -> bool:
        """Over by the calendar (a Friday evening's week is not: weekend logs still count)."""
        return self.now.date() > self.period.end


def rep_calendar(process: Process, tz_name: str | None) -> WorkCalendar:
    """A rep's own days: the team's working days and hours, in the rep's timezone from Slack
    (the team's when unknown), so "today" on a scorecard is the day the rep's logs count on."""
    if not tz_name or tz_name == process.timezone:
        return process.calendar
    try:
        return replace(process.calendar, tz=ZoneInfo(tz_name))
    except (KeyError, ValueError):
        return process.calendar


def period_for(
    process: Process, kind: str, now: datetime, offset: int = 0, cal: WorkCalendar | None = None
) -> Period:
    period = period_containing(kind, (cal or process.calendar).local_date(now))
    for _ in range(-offset):
        period = previous_period(period)
    return period


def build_scorecard(
    session: Session,
    workspace_id: int,
    process: Process,
    rep: Member,
    period: Period,
    now: datetime,
    cal: WorkCalendar | None = None,
) -> Scorecard:
    return build_scorecards(session, workspace_id, process, rep, [period], now, cal)[0]


def build_scorecards(
    session: Session,
    workspace_id: int,
    process: Process,
    rep: Member,
    periods: list[Period],
    now: datetime,
    cal: WorkCalendar | None = None,
) -> list[Scorecard]:
    """Several periods' scorecards for one rep from a single query (each KPI's own week or
    month to date included)."""
    return _build(session, workspace_id, process, rep, periods, now, cal)[0]


def _build(
    session: Session,
    workspace_id: int,
    process: Process,
    rep: Member,
    periods: list[Period],
    now: datetime,
    cal: WorkCalendar | None,
) -> tuple[list[Scorecard], dict[tuple[str, date], int]]:
    """The scorecards, and the counts per (KPI, date) they were made of."""
    cal = cal or process.calendar
    role = process.role(rep.role)
    days = rep_days.load(session, workspace_id, [(rep, role)], periods).get(rep.user_id, EVERY_DAY)
    timelines = [process.goal_timeline(role.key, key, rep.user_id) for key in role.scorecard]
    plans = [
        [plan_line(timeline, period, now, cal, None, days) for timeline in timelines]
        for period in periods
    ]
    start = min(line.window[0] for lines in plans for line in lines)
    end = max(line.window[1] for lines in plans for line in lines)
    daily = log_queries.kpi_daily_totals(session, workspace_id, rep.user_id, start, end)
    cards = [
        _scorecard(process, rep, period, now, lines, timelines, daily, cal, days)
        for period, lines in zip(periods, plans, strict=True)
    ]
    return cards, daily


def _scorecard(
    process: Process,
    rep: Member,
    period: Period,
    now: datetime,
    plans: list[Line],
    timelines: list[GoalTimeline],
    daily: dict[tuple[str, date], int],
    cal: WorkCalendar,
    days: RepDays = EVERY_DAY,
) -> Scorecard:
    role = process.role(rep.role)
    elapsed = elapsed_share(period, now, cal)
    on = as_of_date(period, now, cal)
    lines = []
    for key, plan, timeline in zip(role.scorecard, plans, timelines, strict=True):
        first, last = plan.window
        actual = sum(n for (kpi, day), n in daily.items() if kpi == key and first <= day <= last)
        pacing = plan.pacing(actual, process.thresholds)
        lines.append(KpiLine(process.kpi(key), timeline.on(on), pacing))
    working = cal.working_days_in(period.start, period.end) > 0
    absent = rep_days.absence(days, period, cal)
    local = cal.local_now(now)
    return Scorecard(
        rep.user_id, role, period, local, elapsed, lines, cal.tz.key, working, absent, days
    )


def basis(
    session: Session, workspace_id: int, rep_id: str, kpi_key: str, period: Period
) -> list[ActivityLog]:
    """The logs that make up one number, voided ones included (marked) so the trail is complete."""
    return log_queries.logs_for(session, workspace_id, rep_id, kpi_key, period.start, period.end)


@dataclass(frozen=True)
class Standing:
    """Where a rep stands on one KPI today and so far, for the reply to a log: ``today`` is the
    day's count, ``day`` the day's line (a goal per day is judged on it), ``so_far`` this week's
    line, or the goal's own month to date for a monthly goal."""

    kpi: Kpi
    today: int
    day: KpiLine
    so_far: KpiLine

    @property
    def daily_goal(self) -> float | None:
        """Today's goal, for a goal stated per day (a longer goal has no share of a day)."""
        if self.day.goal is None or self.day.goal.per != "day":
            return None
        return self.day.pacing.goal


def standings(
    session: Session,
    workspace_id: int,
    process: Process,
    rep: Member,
    kpi_keys: list[str],
    now: datetime,
    cal: WorkCalendar | None = None,
) -> list[Standing]:
    day_period = period_for(process, "day", now, cal=cal)
    periods = [day_period, period_for(process, "week", now, cal=cal)]
    (day, week), daily = _build(session, workspace_id, process, rep, periods, now, cal)
    by_key = {}
    for line, so_far in zip(day.lines, week.lines, strict=True):
        # The day's line is a longer goal's week or month to date: today's count is the day's.
        today = daily.get((line.kpi.key, day_period.start), 0)
        by_key[line.kpi.key] = Standing(line.kpi, today, line, so_far)
    return [by_key[k] for k in kpi_keys if k in by_key]
