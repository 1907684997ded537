"""A team's scorecard for a period (`/scorecard team`): per role, the team's total for each KPI
against the sum of its reps' goals, with pace and projection like a rep's scorecard, then each
rep's numbers ordered by overall score as the rankings order them.

Every number comes from rituals.ranking.team_results (two queries for the whole team: the logs
and the reps' own days): each rep's line for a KPI is at the team's scale for it
(rituals.ranking.kpi_scales), so a monthly goal is the month to date for everyone and the lines
add up (rituals.digests.team_lines). Reps are
grouped by role, each role with its own totals: an SDR's calls and an AE's proposals don't add.
Within a role, reps are stack-ranked by overall score (ties share a rank and are listed by name
once the names are known: rituals.ranking.by_name); reps with no goal for the period follow,
with ``RepResult.absent`` saying why when it is known (away, not started, left).

Plain data: no Slack, no SQL of its own; the clock is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rituals.digests import TeamLine, team_lines
from rituals.pacing import Period, elapsed_share
from rituals.process import Process, Role
from rituals.ranking import Ranked, RepResult, rank, team_results
from storage.models import Member
from storage.unit_of_work import Session


@dataclass(frozen=True)
class RoleGroup:
    """One role's part of the team view: its KPI totals and its reps, best first."""

    role: Role
    lines: list[TeamLine]  # one per KPI on the role's scorecard, in its order
    rows: list[Ranked]  # by overall score; reps without one (no goal) last

    @property
    def ranked(self) -> int:
        return sum(1 for r in self.rows if r.ranked)


@dataclass(frozen=True)
class TeamScorecard:
    team_id: int
    period: Period
    now: datetime  # in the team's timezone
    timezone: str
    elapsed: float  # share of the period's working time gone (the team's calendar)
    working: bool  # False for a period without working days (a Sunday, a holiday)
    groups: list[RoleGroup]

    @property
    def is_past(self) -> bool:
        return self.now.date() > self.period.end

    @property
    def reps(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    def rep_ids(self) -> list[str]:
        return [r.rep_id for g in self.groups for r in g.rows]


def group_results(process: Process, results: list[RepResult]) -> list[RoleGroup]:
    """The results by role, in the process's order of roles; a role without reps is left out."""
    groups = []
    for role in process.roles:
        mine = [r for r in results if r.role == role.key]
        if not mine:
            continue
        kpis = [process.kpi(k) for k in role.scorecard]
        groups.append(RoleGroup(role, team_lines(process, mine, kpis), rank(mine)))
    return groups


def build_team_scorecard(
    session: Session,
    workspace_id: int,
    team_id: int,
    process: Process,
    members: list[Member],
    period: Period,
    now: datetime,
) -> TeamScorecard:
    """The team's scorecard for ``period`` at ``now`` on the team's calendar, as team_results
    computes it (each rep over their own days: tenure, days away, ramp). Pass the process in effect for a past period (rituals.teams.process_in_effect) to judge it
    on the goals it had."""
    cal = process.calendar
    results = team_results(session, workspace_id, process, members, period, now)
    return TeamScorecard(
        team_id=team_id,
        period=period,
        now=cal.local_now(now),
        timezone=cal.tz.key,
        elapsed=elapsed_share(period, now, cal),
        working=cal.working_days_in(period.start, period.end) > 0,
        groups=group_results(process, results),
    )
