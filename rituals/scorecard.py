"""A rep's scorecard for a period: 3 leading + 1 lagging KPIs with actual, goal, attainment,
pace and projection (DESIGN.md §4), and the logs behind any one number."""

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from rituals.pacing import (
    Pacing,
    Period,
    WorkCalendar,
    compute_pacing,
    elapsed_share,
    period_containing,
    previous_period,
    scaled_goal,
)
from rituals.process import Goal, Kpi, Process, Role
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
    pacing: Pacing


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
    totals = log_queries.kpi_totals(session, workspace_id, rep.user_id, period.start, period.end)
    return _scorecard(process, rep, period, now, totals, cal or process.calendar)


def build_scorecards(
    session: Session,
    workspace_id: int,
    process: Process,
    rep: Member,
    periods: list[Period],
    now: datetime,
    cal: WorkCalendar | None = None,
) -> list[Scorecard]:
    """Several periods' scorecards for one rep from a single query."""
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    daily = log_queries.kpi_daily_totals(session, workspace_id, rep.user_id, start, end)
    cards = []
    for period in periods:
        totals: dict[str, int] = {}
        for (kpi, day), count in daily.items():
            if period.start <= day <= period.end:
                totals[kpi] = totals.get(kpi, 0) + count
        cards.append(_scorecard(process, rep, period, now, totals, cal or process.calendar))
    return cards


def _scorecard(
    process: Process,
    rep: Member,
    period: Period,
    now: datetime,
    totals: dict[str, int],
    cal: WorkCalendar,
) -> Scorecard:
    role = process.role(rep.role)
    elapsed = elapsed_share(period, now, cal)
    lines = []
    for key in role.scorecard:
        goal = process.goal_for(role.key, key, rep.user_id)
        scaled = scaled_goal(goal.amount, goal.per, period, cal) if goal else None
        pacing = compute_pacing(totals.get(key, 0), scaled, elapsed, process.thresholds)
        lines.append(KpiLine(process.kpi(key), goal, pacing))
    working = cal.working_days_in(period.start, period.end) > 0
    return Scorecard(
        rep.user_id, role, period, cal.local_now(now), elapsed, lines, cal.tz.key, working
    )


def basis(
    session: Session, workspace_id: int, rep_id: str, kpi_key: str, period: Period
) -> list[ActivityLog]:
    """The logs that make up one number, voided ones included (marked) so the trail is complete."""
    return log_queries.logs_for(session, workspace_id, rep_id, kpi_key, period.start, period.end)


@dataclass(frozen=True)
class Standing:
    """Where a rep stands on one KPI today and this week, for the reply to a log."""

    kpi: Kpi
    day: KpiLine
    week: KpiLine


def standings(
    session: Session,
    workspace_id: int,
    process: Process,
    rep: Member,
    kpi_keys: list[str],
    now: datetime,
    cal: WorkCalendar | None = None,
) -> list[Standing]:
    periods = [period_for(process, "day", now, cal=cal), period_for(process, "week", now, cal=cal)]
    day, week = build_scorecards(session, workspace_id, process, rep, periods, now, cal)
    by_key = {line.kpi.key: (line, w) for line, w in zip(day.lines, week.lines, strict=True)}
    return [Standing(by_key[k][0].kpi, *by_key[k]) for k in kpi_keys if k in by_key]
