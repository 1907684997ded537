"""What the channel rituals report — the daily, weekly and monthly digests and the scheduled
leaderboards — built from the numbers as of the moment the run was due, so a digest run late (or
retried after midnight) still reports its own day.

A finished period is reported with the goals it had and the people who were on the team (or who
logged in it): a goal changed or a rep added this morning does not rewrite last week. The Slack
side (names, rendering, posting) is bot/delivery/digests.py; the other kinds build their data in
their own modules (rituals/kinds.py says where)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from rituals.digests import (
    DailyDigest,
    Leaderboard,
    MonthlyDigest,
    WeeklyDigest,
    daily_digest,
    leaderboard,
    monthly_digest,
    weekly_digest,
)
from rituals.pacing import Period, period_containing, previous_period
from rituals.process import Process
from rituals.schedule import Occurrence
from rituals.teams import process_in_effect
from storage import log_queries, people_queries
from storage.models import Member, SalesTeam
from storage.unit_of_work import Session


@dataclass(frozen=True)
class Report:
    """What one run of a channel ritual reports."""

    data: DailyDigest | WeeklyDigest | MonthlyDigest | list[Leaderboard]
    process: Process  # the process in effect for the period reported on
    members: list[Member]  # the people reported on
    current: Process  # the process now (this week's goals, the coaching cadence)

    @property
    def rep_ids(self) -> list[str]:
        return [m.user_id for m in self.members if m.role]


def _past(
    session: Session, team: SalesTeam, process: Process, members: list[Member], period: Period
) -> tuple[Process, list[Member]]:
    """The process in effect at the end of ``period``, and the members on the team then or who
    logged in it."""
    end = datetime.combine(period.end + timedelta(days=1), time(0), process.calendar.tz)
    then = process_in_effect(session, team.id, end)
    # Everyone on the team during the period, a rep who has left since included: their logs
    # stay in the period's numbers.
    during = people_queries.members_during(session, team.id, period.start, period.end)
    active = log_queries.team_totals(
        session, team.workspace_id, [m.user_id for m in during], period.start, period.end
    )
    return then, [m for m in during if m.added_at <= end or m.user_id in active]


def _reported_period(process: Process, occurrence: Occurrence, unit: str) -> Period:
    """The week or month before the one the run was due in."""
    return previous_period(period_containing(unit, process.calendar.local_date(occurrence.due_at)))


def daily_report(
    session: Session,
    team: SalesTeam,
    process: Process,
    members: list[Member],
    occurrence: Occurrence,
) -> Report:
    digest = daily_digest(session, team.workspace_id, team.id, process, members, occurrence.due_at)
    return Report(digest, process, members, process)


def weekly_report(
    session: Session,
    team: SalesTeam,
    process: Process,
    members: list[Member],
    occurrence: Occurrence,
) -> Report:
    period = _reported_period(process, occurrence, "week")
    then, reported = _past(session, team, process, members, period)
    digest = weekly_digest(
        session, team.workspace_id, team.id, then, reported, occurrence.due_at, current=process
    )
    return Report(digest, then, reported, process)


def monthly_report(
    session: Session,
    team: SalesTeam,
    process: Process,
    members: list[Member],
    occurrence: Occurrence,
) -> Report:
    period = _reported_period(process, occurrence, "month")
    then, reported = _past(session, team, process, members, period)
    digest = monthly_digest(session, team.workspace_id, team.id, then, reported, occurrence.due_at)
    return Report(digest, then, reported, process)


def leaderboard_report(
    session: Session,
    team: SalesTeam,
    process: Process,
    members: list[Member],
    occurrence: Occurrence,
) -> Report:
    """One board per KPI of the slot (that the process still has), or overall attainment."""
    day = period_containing("day", process.calendar.local_date(occurrence.due_at))
    kpis = [k for k in occurrence.kpis if process.has_kpi(k)] or [None]
    boards = [
        leaderboard(session, team.workspace_id, process, members, kpi, day, occurrence.due_at)
        for kpi in kpis
    ]
    return Report(boards, process, members, process)
