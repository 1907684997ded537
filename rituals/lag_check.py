"""The lag check (issue 4): at a checkpoint each working day, find the team KPIs that are behind
their weekly pace and propose a contest that would close the gap. Plain data and the storage it
needs: no Slack (bot/contests/lag_suggestions.py sends the suggestions, bot/contests/lag_buttons.py
answers their buttons).

**The numbers.** For a team at an instant ``now`` (the ritual's due time), in the team's
timezone, with ``week`` the Monday–Sunday week containing ``now`` and ``elapsed`` its elapsed
working share (rituals.pacing.elapsed_share):

- For each KPI of the process that at least one active rep has on the scorecard with a goal
  stated per day or per week (a monthly goal is the month's business: its share of a week is
  never shown, rituals/scales.py):
  ``actual`` = the week's counted total over every active rep whose role's scorecard has the KPI
  (the same team line as the digests); ``goal`` = the sum of those reps' weekly goals (each rep's
  own override first, scaled to the week by working days: rituals.ranking.GoalScaler);
  ``expected`` = goal × elapsed; ``pace`` = actual ÷ expected; ``gap`` = goal − actual.
- The check runs only while ``process.rituals.lag_min_elapsed`` ≤ elapsed < 1 (a quarter of the
  week by default: no verdict on a Monday morning, and nothing to rally for once the week's
  working time is over). A KPI **lags** when pace < ``process.rituals.lag_threshold`` (80%).
- Furthest behind: the reps with the KPI and a goal whose own pace (their actual ÷ their goal ×
  elapsed) is below 100%, lowest first (ties by user ID), at most three, with their numbers.
- All of it comes from one SQL statement for the whole team
  (storage.log_queries.team_period_totals: the week, and today to the week's end).
- Figures are shown with no more decimals than the goals are stated with (``decimals``): 81
  calls expected by now, not 81.25.

**The proposed contest** (a rituals.contests.ContestSpec): kind ``target``; the window is today
(team-local) to the week's last working day; the entrants are every rep with the KPI on their
scorecard; the name "<KPI name> catch-up" (at most 80 characters). The target is sized so that
if every entrant reaches it the team makes its weekly goal::

    remaining = goal − (the week's total logged on days before today)
    target    = ceil(remaining ÷ entrants), at least 1

Days before today, not the week-to-date total: a contest counts whole days, so what was logged
today before the check counts towards the contest as well, and must not be subtracted twice.
Example: 4 SDRs at 60 calls/day have a weekly goal of 1,200; on Tuesday at 11:00 (a quarter of
the week gone, 300 expected) they have 140 calls, 20 of them today: pace 46%, gap 1,060, and the
target is ceil((1,200 − 120) ÷ 4) = 270 calls each from Tuesday to Friday.

**Once a week.** Each lagging KPI becomes a ``LagSuggestion`` row, unique on (team, KPI, ISO
week, e.g. "2026-W48"), inserted before any message is sent with an insert-or-ignore that works
on SQLite and PostgreSQL: once a KPI has a row that week (open, launched or dismissed) it is not
suggested again until the next week. The row's ``proposal`` is JSON: the ContestSpec's fields,
plus ``lag`` (the numbers above, so a message is rendered the same whenever it is sent),
``run_id`` (the ritual run that found it, so a resumed run sends exactly its own suggestions)
and ``notify`` (the managers it is for, fixed when it was found).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from rituals.contests.spec import ContestSpec
from rituals.pacing import Period, elapsed_share, period_containing
from rituals.process import Process
from rituals.ranking import (
    fetch_totals,
    results_from_totals,
    scaler_for,
    team_reps,
    windows,
)
from storage import contest_queries, log_queries
from storage.models import LagSuggestion, Member
from storage.unit_of_work import Session

__all__ = [
    "DISMISSED",
    "LAUNCHED",
    "OPEN",
    "FURTHEST_BEHIND",
    "Lag",
    "LagCheck",
    "KpiPace",
    "RepLag",
    "StoredProposal",
    "check_lags",
    "contest_name",
    "decode_proposal",
    "dismiss",
    "encode_proposal",
    "get_suggestion",
    "proposal_at",
    "propose",
    "record_suggestions",
    "suggestions_for_week",
    "suggestions_of_run",
    "week_key",
]

OPEN, LAUNCHED, DISMISSED = (
    contest_queries.OPEN,
    contest_queries.LAUNCHED,
    contest_queries.DISMISSED,
)
FURTHEST_BEHIND = 3  # reps named in a suggestion
NAME_LIMIT = 80  # Contest.name
NAME_SUFFIX = " catch-up"
# Same slack as rituals.pacing: 4 / (10 × 0.4) must be exactly on pace, 0.25 a quarter.
_EPS = 1e-9


# A KPI is not called behind until the team is expected to have at least one by now: 0 deals
# against 0.7 expected on a Tuesday is a quiet start, not a reason for a contest.
MIN_EXPECTED = 1.0


def week_key(day: date) -> str:
    """The ISO week of a team-local date: "2026-W48"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class RepLag:
    """One rep's numbers for the lagging KPI this week."""

    rep_id: str
    actual: int
    expected: float  # their weekly goal × elapsed
    goal: float  # their weekly goal
    pace: float


@dataclass(frozen=True)
class KpiPace:
    """A team KPI's week so far (every KPI checked, lagging or not)."""

    kpi: str
    actual: int
    expected: float
    goal: float
    pace: float
    reps: int  # reps with the KPI on their scorecard


@dataclass(frozen=True)
class Lag:
    """A team KPI behind its weekly pace, and the contest proposed to close the gap."""

    kpi: str
    kpi_name: str
    week_key: str
    pace: float  # actual ÷ expected
    actual: int  # the week so far
    expected: float  # by now
    goal: float  # the team's weekly goal
    before_window: int  # logged on the week's days before the contest's first day
    elapsed: float
    furthest_behind: tuple[RepLag, ...]
    proposal: ContestSpec
    as_of: datetime  # the instant checked (aware)
    decimals: int = 0  # the most decimals the reps' goals are stated with

    @property
    def gap(self) -> float:
        """What is left to the weekly goal: goal − actual."""
        return max(self.goal - self.actual, 0.0)

    @property
    def remaining(self) -> float:
        """What the contest has to bring in for the team to make its week."""
        return max(self.goal - self.before_window, 0.0)

    def to_dict(self) -> dict:
        return {
            "kpi": self.kpi,
            "kpi_name": self.kpi_name,
            "week_key": self.week_key,
            "pace": self.pace,
            "actual": self.actual,
            "expected": self.expected,
            "goal": self.goal,
            "before_window": self.before_window,
            "elapsed": self.elapsed,
            "furthest_behind": [
                [r.rep_id, r.actual, r.expected, r.goal, r.pace] for r in self.furthest_behind
            ],
            "as_of": self.as_of.isoformat(),
            "decimals": self.decimals,
        }

    @classmethod
    def from_dict(cls, data: dict, proposal: ContestSpec) -> Lag:
        return cls(
            kpi=data["kpi"],
            kpi_name=data["kpi_name"],
            week_key=data["week_key"],
            pace=float(data["pace"]),
            actual=int(data["actual"]),
            expected=float(data["expected"]),
            goal=float(data["goal"]),
            before_window=int(data["before_window"]),
            elapsed=float(data["elapsed"]),
            furthest_behind=tuple(
                RepLag(r[0], int(r[1]), float(r[2]), float(r[3]), float(r[4]))
                for r in data["furthest_behind"]
            ),
            proposal=proposal,
            as_of=datetime.fromisoformat(data["as_of"]),
            decimals=int(data.get("decimals", 0)),  # stored before it existed: whole numbers
        )


@dataclass(frozen=True)
class LagCheck:
    """What the check found for a team at an instant. ``checked`` False: too early in the week,
    the week's working time is over, or no rep has a goal (``reason`` says which)."""

    week: Period
    week_key: str
    elapsed: float
    checked: bool
    reason: str = ""
    paces: tuple[KpiPace, ...] = ()
    lags: tuple[Lag, ...] = field(default=())


def contest_name(kpi_name: str) -> str:
    """ "Calls catch-up", cut so the whole name fits a contest's 80 characters."""
    room = NAME_LIMIT - len(NAME_SUFFIX)
    name = kpi_name.strip()
    if len(name) > room:
        name = name[: room - 1].rstrip() + "…"
    return name + NAME_SUFFIX


def _last_working_day(process: Process, week: Period, today: date) -> date | None:
    cal = process.calendar
    day = week.end
    while day >= today:
        if cal.is_working_day(day):
            return day
        day -= timedelta(days=1)
    return None


def _first_working_day(process: Process, today: date, end: date | None) -> date:
    """Where a proposed contest starts: today, or the next working day when today is a day
    off (a check run by hand on a holiday)."""
    day = today
    while end is not None and day < end and not process.calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def propose(
    kpi: str, kpi_name: str, entrants: tuple[str, ...], remaining: float, start: date, end: date
) -> ContestSpec:
    """The ready-made contest: everyone who reaches ceil(remaining ÷ entrants) between ``start``
    and ``end`` wins, so if all of them do the team makes its week."""
    per_rep = remaining / len(entrants) if entrants else remaining
    target = max(1, math.ceil(per_rep - _EPS))
    return ContestSpec(
        name=contest_name(kpi_name),
        kind="target",
        kpi=kpi,
        start_day=start,
        end_day=end,
        target=target,
        entrants=entrants,
    )


def check_lags(
    session: Session,
    workspace_id: int,
    process: Process,
    members: list[Member],
    now: datetime,
) -> LagCheck:
    """Every team KPI's pace for the week as of ``now``, and the ones that lag with their
    proposed contests (see the module notes). One query."""
    cal = process.calendar
    today = cal.local_date(now)
    week = period_containing("week", today)
    key = week_key(today)
    elapsed = elapsed_share(week, now, cal)
    rules = process.rituals
    if elapsed + _EPS < rules.lag_min_elapsed:
        return LagCheck(
            week,
            key,
            elapsed,
            False,
            f"only {elapsed:.0%} of the week's working time is gone; "
            f"the check starts at {rules.lag_min_elapsed:.0%}",
        )
    if elapsed >= 1 - _EPS:
        return LagCheck(week, key, elapsed, False, "the week's working time is over")
    end = _last_working_day(process, week, today)
    start = _first_working_day(process, today, end)
    reps = team_reps(process, members)
    if not reps or end is None:
        return LagCheck(week, key, elapsed, False, "no reps on the team")
    scaler = scaler_for(session, workspace_id, process, reps, [week])
    contest_days = (today, week.end)
    totals = fetch_totals(
        session, workspace_id, reps, windows(process, reps, week, now, scaler) + [contest_days]
    )
    window_totals = totals[contest_days]
    results = results_from_totals(process, reps, week, now, totals, scaler)
    paces: list[KpiPace] = []
    lags: list[Lag] = []
    for kpi in process.kpis:
        having = [(r.rep_id, r.lines[kpi.key]) for r in results if kpi.key in r.lines]
        if any(p.period != week for _, p in having):
            continue  # a monthly goal: judged on its month, not on a share of it
        goals = [p.goal for _, p in having if p.goal]
        if not goals:
            continue  # nobody has a goal for it: no pace to fall behind
        goal = math.fsum(goals)
        actual = sum(int(p.actual) for _, p in having)
        expected = goal * elapsed
        if expected <= 0:
            continue
        pace = actual / expected
        paces.append(KpiPace(kpi.key, actual, expected, goal, pace, len(having)))
        if pace >= rules.lag_threshold - _EPS or expected < MIN_EXPECTED - _EPS:
            continue  # on pace, or less than one whole unit expected yet: a quiet morning
        behind = sorted(
            (
                RepLag(rep, int(p.actual), p.expected, p.goal, p.pace)
                for rep, p in having
                if p.pace is not None and p.pace < 1 - _EPS and p.goal and p.expected
            ),
            key=lambda r: (round(r.pace, 4), r.rep_id),
        )[:FURTHEST_BEHIND]
        in_window = sum(window_totals.get(rep, {}).get(kpi.key, 0) for rep, _ in having)
        before = actual - in_window
        entrants = tuple(rep for rep, _ in having)
        lags.append(
            Lag(
                kpi=kpi.key,
                kpi_name=kpi.name,
                week_key=key,
                pace=pace,
                actual=actual,
                expected=expected,
                goal=goal,
                before_window=before,
                elapsed=elapsed,
                furthest_behind=tuple(behind),
                proposal=propose(kpi.key, kpi.name, entrants, goal - before, start, end),
                as_of=now,
                decimals=max(p.decimals for _, p in having),
            )
        )
    return LagCheck(week, key, elapsed, True, "", tuple(paces), tuple(lags))


def proposal_at(
    session: Session, workspace_id: int, process: Process, stored: StoredProposal, now: datetime
) -> ContestSpec:
    """The proposal as it can start at ``now``. On the day it was made: unchanged. On a later
    day of its week (a contest cannot start in the past): from today, with the target sized by
    the same rule from what the entrants logged before today (one query). The caller refuses a
    proposal whose week is over (``end_day`` before today)."""
    spec = stored.spec
    today = process.calendar.local_date(now)
    if spec.start_day >= today or spec.end_day < today:
        return spec
    week = period_containing("week", spec.start_day)
    (before,) = log_queries.team_period_totals(
        session, workspace_id, spec.entrants, [(week.start, today - timedelta(days=1))]
    )
    logged = sum(before.get(rep, {}).get(spec.kpi, 0) for rep in spec.entrants)
    fresh = propose(
        spec.kpi, stored.lag.kpi_name, spec.entrants, stored.lag.goal - logged, today, spec.end_day
    )
    return replace(fresh, name=spec.name, prize=spec.prize)


# -- stored suggestions ---------------------------------------------------------------------


@dataclass(frozen=True)
class StoredProposal:
    """A LagSuggestion's ``proposal`` read back: the contest, the numbers that led to it, the
    run that found it and the managers it is for."""

    spec: ContestSpec
    lag: Lag
    run_id: int | None
    notify: tuple[str, ...]


def _spec_dict(spec: ContestSpec) -> dict:
    return {
        "name": spec.name,
        "kind": spec.kind,
        "kpi": spec.kpi,
        "start_day": spec.start_day.isoformat(),
        "end_day": spec.end_day.isoformat(),
        "target": spec.target,
        "entrants": list(spec.entrants),
        "groups": [[name, list(users)] for name, users in spec.groups],
        "scoring": spec.scoring,
        "prize": spec.prize,
    }


def encode_proposal(lag: Lag, *, run_id: int | None, notify: list[str] | tuple[str, ...]) -> str:
    """The JSON stored in LagSuggestion.proposal: the ContestSpec's fields at the top level, plus
    ``lag``, ``run_id`` and ``notify``."""
    data = _spec_dict(lag.proposal) | {
        "lag": lag.to_dict(),
        "run_id": run_id,
        "notify": list(notify),
    }
    return json.dumps(data, sort_keys=True)


def decode_proposal(text: str) -> StoredProposal:
    data = json.loads(text)
    spec = ContestSpec(
        name=data["name"],
        kind=data["kind"],
        kpi=data["kpi"],
        start_day=date.fromisoformat(data["start_day"]),
        end_day=date.fromisoformat(data["end_day"]),
        target=data.get("target"),
        entrants=tuple(data.get("entrants") or ()),
        groups=tuple((g[0], tuple(g[1])) for g in data.get("groups") or ()),
        scoring=data.get("scoring") or "sum",
        prize=data.get("prize") or "",
    )
    return StoredProposal(
        spec=spec,
        lag=Lag.from_dict(data["lag"], spec),
        run_id=data.get("run_id"),
        notify=tuple(data.get("notify") or ()),
    )


def record_suggestions(
    session: Session,
    *,
    workspace_id: int,
    team_id: int,
    lags: list[Lag] | tuple[Lag, ...],
    run_id: int | None,
    notify: list[str] | tuple[str, ...],
    now: datetime,
) -> list[LagSuggestion]:
    """Store a suggestion per lagging KPI that has none this week yet (flushed: the caller's
    unit of work commits them before any message is sent) and return the ones this run stored
    (``run_id``), oldest first. A KPI another check stored meanwhile keeps that check's."""
    rows = [
        {
            "workspace_id": workspace_id,
            "team_id": team_id,
            "kpi": lag.kpi,
            "week_key": lag.week_key,
            "pace": lag.pace,
            "proposal": encode_proposal(lag, run_id=run_id, notify=notify),
            "status": OPEN,
            "created_at": now,
        }
        for lag in lags
    ]
    contest_queries.add_suggestions(session, rows)
    if not lags:
        return []
    return suggestions_of_run(session, team_id, lags[0].week_key, run_id)


suggestions_for_week = contest_queries.suggestions_for_week  # oldest first, fresh


def suggestions_of_run(
    session: Session, team_id: int, week: str, run_id: int | None
) -> list[LagSuggestion]:
    """The suggestions a ritual run stored, in the order it stored them."""
    return [
        row
        for row in suggestions_for_week(session, team_id, week)
        if json.loads(row.proposal).get("run_id") == run_id
    ]


get_suggestion = contest_queries.get_suggestion  # fresh from the database (populate_existing)


dismiss = contest_queries.dismiss_suggestion  # compare-and-set open -> dismissed
