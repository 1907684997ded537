"""Every rep's numbers for one period, and stack rankings of them (DESIGN.md §4).

Rankings go by attainment (actual ÷ goal, fair across different quotas) unless raw counts are
asked for; ties share a rank (1, 2, 2, 4). Plain data: no Slack, the clock is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from rituals.pacing import Pacing, Period, compute_pacing, elapsed_share, scaled_goal
from rituals.process import Process, Role
from storage import log_queries
from storage.models import Member
from storage.unit_of_work import Session

BY_ATTAINMENT, BY_COUNT = "attainment", "count"
RANK_BY = (BY_ATTAINMENT, BY_COUNT)

# Values equal to this many decimals tie (so 2/3 and 0.66666667 share a rank).
TIE_DECIMALS = 4
# Same slack as rituals.pacing: 4.0 / 4.000000001 still hits its goal.
_EPS = 1e-9


@dataclass(frozen=True)
class RepResult:
    """One rep's numbers for one period: a Pacing per KPI on the rep's scorecard, in order."""

    rep_id: str
    role: str  # the role's key in the process
    lines: Mapping[str, Pacing] = field(hash=False)  # KPI key -> pacing for the period

    @property
    def overall(self) -> float | None:
        """Mean attainment over the scorecard KPIs that have a goal in the period (uncapped:
        a rep at 200% of one goal and 0% of another averages 100%). None without any goal."""
        values = [p.attainment for p in self.lines.values() if p.attainment is not None]
        return sum(values) / len(values) if values else None

    def hits(self) -> tuple[str, ...]:
        """The KPIs whose goal for the period is met (attainment ≥ 100%)."""
        return tuple(
            k
            for k, p in self.lines.items()
            if p.attainment is not None and p.attainment >= 1 - _EPS
        )

    def goals(self) -> tuple[str, ...]:
        """The KPIs that have a goal in the period."""
        return tuple(k for k, p in self.lines.items() if p.attainment is not None)


@dataclass(frozen=True)
class Ranked:
    """A place in a stack ranking. Reps without a value (no goal to attain) come last and all
    share the rank after the last ranked rep; ``ranked`` tells them apart."""

    rank: int
    rep_id: str
    value: float | None  # attainment (1.0 = 100%) or the raw count, by the ranking's `by`
    result: RepResult

    @property
    def ranked(self) -> bool:
        return self.value is not None


def team_reps(process: Process, members: Iterable[Member]) -> list[tuple[Member, Role]]:
    """The active members who are reps: a role that the process knows (a manager without a role,
    or a role deleted from the process, is nobody's rep). Each person once, in the given order."""
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
    """Goals scaled to periods, each (role, period) computed once, and once more for each rep
    with an override: a digest for 300 reps asks the same few questions thousands of times."""

    def __init__(self, process: Process):
        self.process = process
        self._cache: dict[tuple[str, str | None, Period], tuple[float | None, ...]] = {}

    def goals(self, role: Role, rep_id: str, period: Period) -> tuple[float | None, ...]:
        """The rep's goal for each KPI on the role's scorecard, in order, scaled to the period."""
        key = (role.key, rep_id if rep_id in self.process.overrides else None, period)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = tuple(
                None
                if (goal := self.process.goal_for(role.key, kpi, key[1])) is None
                else scaled_goal(goal.amount, goal.per, period, self.process.calendar)
                for kpi in role.scorecard
            )
        return found

    def goal(self, role: Role, kpi: str, rep_id: str, period: Period) -> float | None:
        if kpi not in role.scorecard:
            return None
        return self.goals(role, rep_id, period)[role.scorecard.index(kpi)]


def results_from_totals(
    process: Process,
    reps: list[tuple[Member, Role]],
    period: Period,
    elapsed: float,
    totals: Mapping[str, Mapping[str, int]],
    scaler: GoalScaler | None = None,
) -> list[RepResult]:
    """RepResults from totals already fetched (rep -> KPI -> total), without a query."""
    scaler = scaler or GoalScaler(process)
    thresholds = process.thresholds
    out = []
    for member, role in reps:
        rep_id = member.user_id
        mine = totals.get(rep_id, {})
        goals = scaler.goals(role, rep_id, period)
        lines = {
            kpi: compute_pacing(mine.get(kpi, 0), goal, elapsed, thresholds)
            for kpi, goal in zip(role.scorecard, goals, strict=True)
        }
        out.append(RepResult(rep_id, role.key, lines))
    return out


def team_results(
    session: Session,
    workspace_id: int,
    process: Process,
    members: list[Member],
    period: Period,
    now: datetime,
) -> list[RepResult]:
    """Every rep's scorecard numbers for a period from one query, in the members' order; goals are
    the process's (a rep's own override first) scaled to the period on the team's calendar."""
    reps = team_reps(process, members)
    if not reps:
        return []
    totals = log_queries.team_totals(
        session, workspace_id, [m.user_id for m, _ in reps], period.start, period.end
    )
    elapsed = elapsed_share(period, now, process.calendar)
    return results_from_totals(process, reps, period, elapsed, totals)


def _value(result: RepResult, kpi: str | None, by: str) -> float | None:
    if kpi is None:
        return result.overall
    line = result.lines[kpi]
    return line.attainment if by == BY_ATTAINMENT else float(line.actual)


def rank(
    results: Iterable[RepResult], kpi: str | None = None, by: str = BY_ATTAINMENT
) -> list[Ranked]:
    """A stack ranking, best first.

    ``kpi`` None ranks by overall attainment; otherwise only the reps with that KPI on their
    scorecard take part, by attainment (default) or by raw count (``by="count"``). Values equal
    to 4 decimals share a rank (1, 2, 2, 4) and are listed by rep ID; reps without a value (no
    goal) follow, by rep ID, sharing the rank after the last ranked rep.
    """
    if by not in RANK_BY:
        raise ValueError(f"rank by {by!r}? Use one of {', '.join(RANK_BY)}")
    if kpi is None and by == BY_COUNT:
        raise ValueError("a ranking by count needs a KPI: counts of different KPIs don't add up")
    entries = []
    for result in results:
        if kpi is not None and kpi not in result.lines:
            continue
        value = _value(result, kpi, by)
        entries.append((None if value is None else round(value, TIE_DECIMALS), value, result))
    valued = sorted((e for e in entries if e[0] is not None), key=lambda e: (-e[0], e[2].rep_id))
    unvalued = sorted((e for e in entries if e[0] is None), key=lambda e: e[2].rep_id)

    out: list[Ranked] = []
    previous: float | None = None
    place = 0
    for position, (key, value, result) in enumerate(valued, 1):
        if key != previous:
            place, previous = position, key
        out.append(Ranked(place, result.rep_id, value, result))
    last = len(valued) + 1
    out.extend(Ranked(last, result.rep_id, None, result) for _, _, result in unvalued)
    return out
