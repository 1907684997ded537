"""The data behind the daily, weekly and monthly digests and the leaderboards (issue 3).

Plain dataclasses, no Slack and no rendering: the Slack layer resolves rep IDs to names and a
template turns the data into messages and charts. The clock is passed in, and every day, week and
month is the team's (``process.calendar``): its timezone, working days and hours (DESIGN.md §4).

Each builder reads the logs with one GROUP BY query for the whole team, however many reps
(the periods a digest compares come back from one UNION ALL of GROUP BYs), so a 300-rep digest
costs one query.

Team numbers: for a KPI, the team's actual is the sum over the reps who have the KPI on their
scorecard, and the team's goal is the sum of those reps' goals scaled to the period (None when
none of them has one). A goal stated for a longer period than the digest's is shown at its own
scale, to date (rituals/scales.py): the daily digest shows 6 SAOs a month as the month so far. Reps are the active members whose role is in the process; a manager
without a role is nobody's rep. Past periods are judged with the ``process`` passed in: to use
the goals a team had back then, pass ``rituals.teams.process_in_effect(...)``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from rituals.pacing import (
    Pacing,
    Period,
    compute_pacing,
    elapsed_share,
    period_containing,
    previous_period,
)
from rituals.process import Goal, Kpi, Process, Role
from rituals.ranking import (
    BY_ATTAINMENT,
    RANK_BY,
    GoalScaler,
    Ranked,
    RepResult,
    Totals,
    fetch_totals,
    rank,
    results_from_totals,
    scaler_for,
    shown_percent,
    team_reps,
    windows,
)
from rituals.scales import Window, plan_line
from storage.models import Member
from storage.unit_of_work import Session

MOVERS = 3  # risers and fallers shown in the weekly digest, at most
TREND_MONTHS = 6  # months in the monthly trend, the digest's month included
_EPS = 1e-9


@dataclass(frozen=True)
class TeamLine:
    """The team's number for one KPI in a period."""

    kpi: str
    kind: str  # "leading" | "lagging"
    reps: int  # reps who have the KPI on their scorecard
    pacing: Pacing  # team actual, team goal (scaled), pace, projection, attainment, status


@dataclass(frozen=True)
class GoalHits:
    """A rep who met at least one goal in the period."""

    rep_id: str
    kpis: tuple[str, ...]  # the goals met, in scorecard order
    all_goals: bool  # every goal the rep has in the period is met


@dataclass(frozen=True)
class DailyDigest:
    team_id: int
    period: Period  # the team's local day of `generated_at`
    generated_at: datetime  # in the team's timezone
    timezone: str
    elapsed: float  # share of the working day gone (1.0 after hours)
    working: bool  # False on a day off: nothing is due, so there are no goals
    kpis: list[Kpi]  # the KPIs on the team's scorecards, in process order
    results: list[RepResult]  # one per rep, in the members' order
    team: list[TeamLine]  # per KPI of `kpis`: team pace today
    goal_hits: list[GoalHits]  # who hit which goals today
    rankings: Mapping[str, list[Ranked]] = field(hash=False)  # leading KPI -> ranking
    not_logged: list[str] = field(default_factory=list)  # reps with no counted log today
    away: list[str] = field(default_factory=list)  # reps away today (/away): not in not_logged

    @property
    def rep_ids(self) -> list[str]:
        return [r.rep_id for r in self.results]


@dataclass(frozen=True)
class Mover:
    rep_id: str
    before: float  # overall attainment the week before last
    after: float  # overall attainment last week

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class WeekGoal:
    kpi: str
    stated: Goal  # as written in the process, e.g. 60/day
    amount: float  # scaled to the week, e.g. 300; a monthly goal for its month, e.g. 6
    per: str = "week"  # "week", or "month" for a goal stated per month


@dataclass(frozen=True)
class WeeklyDigest:
    team_id: int
    period: Period  # last week: the week before the one containing `generated_at`
    previous: Period  # the week before last, for the movers
    this_week: Period
    generated_at: datetime
    timezone: str
    working: bool  # last week had working days
    kpis: list[Kpi]
    results: list[RepResult]  # last week, per rep, leading and lagging, against goal
    previous_results: list[RepResult]  # the week before last
    team: list[TeamLine]  # last week, per KPI
    ranking: list[Ranked]  # last week, by overall attainment
    risers: list[Mover]  # biggest rises in overall attainment first (at most MOVERS)
    fallers: list[Mover]  # biggest falls first (at most MOVERS)
    goals: Mapping[str, list[WeekGoal]] = field(hash=False)  # role key -> this week's goals
    # Reps whose own goals (overrides) differ from their role's: rep -> this week's goals.
    rep_goals: Mapping[str, list[WeekGoal]] = field(default_factory=dict, hash=False)

    @property
    def rep_ids(self) -> list[str]:
        return [r.rep_id for r in self.results]


@dataclass(frozen=True)
class TrendPoint:
    """The team's lagging results in one month."""

    period: Period
    lagging: Mapping[str, TeamLine] = field(hash=False)  # lagging KPI -> team actual vs goal
    attainment: float | None = None  # mean team attainment over the lagging KPIs with a goal

    def actual(self, kpi: str) -> float:
        line = self.lagging.get(kpi)
        return line.pacing.actual if line else 0


@dataclass(frozen=True)
class MonthlyDigest:
    team_id: int
    period: Period  # last month: the calendar month before the one containing `generated_at`
    generated_at: datetime
    timezone: str
    kpis: list[Kpi]
    lagging: list[str]  # the lagging KPIs among `kpis`
    results: list[RepResult]  # the month, per rep (all scorecard lines; lagging ones by key)
    team: list[TeamLine]  # the month, per KPI: team total vs team goal
    ranking: list[Ranked]  # the month, by overall attainment
    trend: list[TrendPoint]  # TREND_MONTHS months, oldest first, ending with `period`

    @property
    def rep_ids(self) -> list[str]:
        return [r.rep_id for r in self.results]


@dataclass(frozen=True)
class Leaderboard:
    period: Period
    kpi: Kpi | None  # None: overall attainment
    by: str  # "attainment" | "count"
    generated_at: datetime
    timezone: str
    elapsed: float  # share of the period gone (1.0 for a past period)
    is_past: bool
    ranking: list[Ranked]

    @property
    def rep_ids(self) -> list[str]:
        return [r.rep_id for r in self.ranking]


# -- shared pieces ------------------------------------------------------------------------------


def team_kpis(process: Process, results: list[RepResult]) -> list[Kpi]:
    """The KPIs on any of these reps' scorecards, in the process's order."""
    on_cards = {k for r in results for k in r.lines}
    return [k for k in process.kpis if k.key in on_cards]


def team_lines(process: Process, results: list[RepResult], kpis: list[Kpi]) -> list[TeamLine]:
    """Per KPI, the team's line: the sum of its reps' lines, which share one period (the KPI's
    scale on the team: rituals.ranking.kpi_scales)."""
    lines = []
    for kpi in kpis:
        having = [r.lines[kpi.key] for r in results if kpi.key in r.lines]
        goals = [p.goal for p in having if p.goal is not None]
        goal = math.fsum(goals) if goals else None
        actual = sum(p.actual for p in having)
        first = having[0] if having else None
        pacing = compute_pacing(
            actual,
            goal,
            first.elapsed if first else 1.0,
            process.thresholds,
            final=first.final if first else False,
            period=first.period if first else None,
            decimals=max((p.decimals for p in having), default=0),
        )
        lines.append(TeamLine(kpi.key, kpi.kind, len(having), pacing))
    return lines


def ranking(
    results: list[RepResult], kpi: str | None = None, by: str = BY_ATTAINMENT
) -> list[Ranked]:
    """``rank`` of the reps who are there; a rep absent for the whole period (``absent``: away,
    not started, left) has no rank and follows, by rep ID, after every rep who has one (even
    by raw count): shown as "away", never as last."""
    present = [r for r in results if not r.absent]
    ranked = rank(present, kpi, by)
    after = len(present) + 1
    absent = sorted(
        (r for r in results if r.absent and (kpi is None or kpi in r.lines)),
        key=lambda r: r.rep_id,
    )
    return ranked + [Ranked(after, r.rep_id, None, r, by) for r in absent]


def goal_hits(results: list[RepResult]) -> list[GoalHits]:
    out = []
    for r in results:
        hit = r.hits()
        if hit:
            out.append(GoalHits(r.rep_id, hit, len(hit) == len(r.goals())))
    return out


def movers(
    before: list[RepResult], after: list[RepResult], n: int = MOVERS
) -> tuple[list[Mover], list[Mover]]:
    """(risers, fallers): the largest changes in overall attainment, at most n each, ties by rep
    ID. Reps without an overall attainment in either period, and those whose figure as shown did
    not change (100% → 100%), are neither."""
    earlier = {r.rep_id: r.overall for r in before}
    changes = []
    for r in after:
        old, new = earlier.get(r.rep_id), r.overall
        if old is None or new is None or shown_percent(new) == shown_percent(old):
            continue
        changes.append(Mover(r.rep_id, old, new))
    risers = sorted(
        (m for m in changes if m.change > 0), key=lambda m: (-round(m.change, 4), m.rep_id)
    )
    fallers = sorted(
        (m for m in changes if m.change < 0), key=lambda m: (round(m.change, 4), m.rep_id)
    )
    return risers[:n], fallers[:n]


def _week_goals(
    process: Process, role: Role, rep_id: str | None, week: Period, now: datetime
) -> list[WeekGoal]:
    """A week's goals as shown: a daily or weekly goal for the week, a monthly one for its month
    (never a week's share of it)."""
    out = []
    for kpi in role.scorecard:
        goal = process.goal_for(role.key, kpi, rep_id, on=process.calendar.local_date(now))
        if goal is not None:
            line = plan_line(goal, week, now, process.calendar)
            out.append(WeekGoal(kpi, goal, line.goal or 0.0, line.period.kind))
    return out


def _fetch(
    session: Session,
    workspace_id: int,
    process: Process,
    reps: list,
    views: list[Period],
    now: datetime,
    scaler: GoalScaler,
) -> dict[Window, Totals]:
    """Every range the views' numbers count (rituals.ranking.windows), in one statement."""
    ranges = [w for view in views for w in windows(process, reps, view, now, scaler)]
    return fetch_totals(session, workspace_id, reps, ranges)


# -- the digests --------------------------------------------------------------------------------


def daily_digest(
    session: Session,
    workspace_id: int,
    team_id: int,
    process: Process,
    members: list[Member],
    now: datetime,
) -> DailyDigest:
    """Today (the team's local date of `now`): team pace per KPI, who hit which goals, a ranking
    per leading KPI by attainment, and who has logged nothing today."""
    cal = process.calendar
    day = period_containing("day", cal.local_date(now))
    reps = team_reps(process, members)
    scaler = scaler_for(session, workspace_id, process, reps, [day])
    totals = _fetch(session, workspace_id, process, reps, [day], now, scaler)
    elapsed = elapsed_share(day, now, cal)
    results = results_from_totals(process, reps, day, now, totals, scaler)
    kpis = team_kpis(process, results)
    today = totals.get((day.start, day.end), {})
    return DailyDigest(
        team_id=team_id,
        period=day,
        generated_at=cal.local_now(now),
        timezone=cal.tz.key,
        elapsed=elapsed,
        working=cal.is_working_day(day.start),
        kpis=kpis,
        results=results,
        team=team_lines(process, results, kpis),
        goal_hits=goal_hits(results),
        rankings={k.key: ranking(results, k.key, BY_ATTAINMENT) for k in kpis if k.leading},
        # A rep whose every log today was undone has logged nothing that counts; a rep away
        # today had nothing to log.
        not_logged=[r.rep_id for r in results if r.rep_id not in today and not r.absent],
        away=[r.rep_id for r in results if r.absent == "away"],
    )


def weekly_digest(
    session: Session,
    workspace_id: int,
    team_id: int,
    process: Process,
    members: list[Member],
    now: datetime,
    current: Process | None = None,
) -> WeeklyDigest:
    """Last week against goal per rep, its ranking by overall attainment, the movers against the
    week before, and this week's goals per role."""
    cal = process.calendar
    this_week = period_containing("week", cal.local_date(now))
    last = previous_period(this_week)
    before = previous_period(last)
    reps = team_reps(process, members)
    scaler = scaler_for(session, workspace_id, process, reps, [before, last])
    totals = _fetch(session, workspace_id, process, reps, [last, before], now, scaler)
    results = results_from_totals(process, reps, last, now, totals, scaler)
    previous = results_from_totals(process, reps, before, now, totals, scaler)
    risers, fallers = movers(previous, results)
    kpis = team_kpis(process, results)

    # This week's goals come from the process in force now (``current``), last week's results
    # from the one it had (``process``), when the caller tells them apart.
    now_process = current or process
    goals: dict[str, list[WeekGoal]] = {}
    for _, role in reps:
        if role.key not in goals and now_process.has_role(role.key):
            goals[role.key] = _week_goals(
                now_process, now_process.role(role.key), None, this_week, now
            )
    rep_goals: dict[str, list[WeekGoal]] = {}
    for member, role in reps:
        if member.user_id in now_process.reps_with_own_goals and role.key in goals:  # may differ
            own = _week_goals(
                now_process, now_process.role(role.key), member.user_id, this_week, now
            )
            if own != goals[role.key]:
                rep_goals[member.user_id] = own

    return WeeklyDigest(
        team_id=team_id,
        period=last,
        previous=before,
        this_week=this_week,
        generated_at=cal.local_now(now),
        timezone=cal.tz.key,
        working=cal.working_days_in(last.start, last.end) > 0,
        kpis=kpis,
        results=results,
        previous_results=previous,
        team=team_lines(process, results, kpis),
        ranking=ranking(results),
        risers=risers,
        fallers=fallers,
        goals=goals,
        rep_goals=rep_goals,
    )


def monthly_digest(
    session: Session,
    workspace_id: int,
    team_id: int,
    process: Process,
    members: list[Member],
    now: datetime,
) -> MonthlyDigest:
    """Last month (the calendar month before now's local month, however late its first working
    day falls): lagging results per rep and for the team against the team goal, the trend over
    TREND_MONTHS months, and the month's stack ranking by overall attainment."""
    cal = process.calendar
    month = previous_period(period_containing("month", cal.local_date(now)))
    months = [month]
    for _ in range(TREND_MONTHS - 1):
        months.append(previous_period(months[-1]))
    months.reverse()  # oldest first, `month` last
    reps = team_reps(process, members)
    scaler = scaler_for(session, workspace_id, process, reps, months)
    totals = _fetch(session, workspace_id, process, reps, months, now, scaler)

    trend = []
    results: list[RepResult] = []
    kpis: list[Kpi] = []
    for period in months:
        period_results = results_from_totals(process, reps, period, now, totals, scaler)
        period_kpis = team_kpis(process, period_results)
        lagging = {
            line.kpi: line
            for line in team_lines(
                process, period_results, [k for k in period_kpis if not k.leading]
            )
        }
        rates = [line.pacing.attainment for line in lagging.values()]
        rates = [a for a in rates if a is not None]
        trend.append(TrendPoint(period, lagging, sum(rates) / len(rates) if rates else None))
        if period == month:
            results, kpis = period_results, period_kpis

    return MonthlyDigest(
        team_id=team_id,
        period=month,
        generated_at=cal.local_now(now),
        timezone=cal.tz.key,
        kpis=kpis,
        lagging=[k.key for k in kpis if not k.leading],
        results=results,
        team=team_lines(process, results, kpis),
        ranking=ranking(results),
        trend=trend,
    )


def leaderboard(
    session: Session,
    workspace_id: int,
    process: Process,
    members: list[Member],
    kpi: str | None,
    period: Period,
    now: datetime,
    by: str = BY_ATTAINMENT,
) -> Leaderboard:
    """A stack ranking for any period, current (so far) or past: one KPI (by attainment or raw
    count), or overall attainment when ``kpi`` is None."""
    if by not in RANK_BY:
        raise ValueError(f"rank by {by!r}? Use one of {', '.join(RANK_BY)}")
    if kpi is not None and not process.has_kpi(kpi):
        raise ValueError(f"the process has no KPI {kpi!r}")
    the_kpi = process.kpi(kpi) if kpi is not None else None
    cal = process.calendar
    reps = team_reps(process, members)
    scaler = scaler_for(session, workspace_id, process, reps, [period])
    totals = _fetch(session, workspace_id, process, reps, [period], now, scaler)
    elapsed = elapsed_share(period, now, cal)
    results = results_from_totals(process, reps, period, now, totals, scaler)
    local_now = cal.local_now(now)
    return Leaderboard(
        period=period,
        kpi=the_kpi,
        by=by,
        generated_at=local_now,
        timezone=cal.tz.key,
        elapsed=elapsed,
        is_past=local_now.date() > period.end,
        ranking=ranking(results, the_kpi.key if the_kpi else None, by),
    )
