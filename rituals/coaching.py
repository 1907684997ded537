"""The numbers a coaching thread opens with (issue 4, "Coaching"; DESIGN.md §4).

For one rep: stage-to-stage conversion rates (calls → conversations → meetings → …, in the
journey's order) against the median of the reps of the same role, the KPIs furthest from goal
this week, the overall attainment over the last few weeks, and two or three talking points
derived from those numbers. Plain data: no Slack, no rendering, the clock is passed in. Every
number comes from a single ``team_period_totals`` statement for the whole role, never one
query per rep.

Also here: the agenda as JSON for the session row (``agenda_to_dict``), the previous session's
open action items (``previous_session``), and the coaching cadence per rep (``coaching_cadence``:
sessions in the last weeks, days since the last one, overdue after ``coaching_every_days``).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from rituals.pacing import Period, period_containing, previous_period
from rituals.process import Process
from rituals.ranking import (
    RepResult,
    fetch_totals,
    results_from_totals,
    scaler_for,
    shown_percent,
    team_reps,
    windows,
)
from storage import coaching_queries
from storage.models import Member
from storage.unit_of_work import Session

# A conversion rate becomes a talking point when the rep is at least this far below the team
# median, relative to it (20%: 11% against a median of 14% is 21% below and counts).
GAP_THRESHOLD = 0.2
# Same slack as rituals.pacing / the scorecard's percentages: 0.06 shows as 6%, not 5%.
_EPS = 1e-9


@dataclass(frozen=True)
class Window:
    """The dates the conversion rates are counted over, both inclusive."""

    start: date
    end: date


@dataclass(frozen=True)
class Conversion:
    """to_kpi ÷ from_kpi over the window; None when the from count is 0. The team median is
    over the role's reps (the rep included) whose rate is not None; None when none has one."""

    from_kpi: str
    to_kpi: str
    rep_rate: float | None
    team_median: float | None


@dataclass(frozen=True)
class TalkingPoint:
    kpi: str | None  # the KPI it is about (a conversion's to_kpi), None for the overall trend
    text: str  # plain text, no Slack markup


@dataclass(frozen=True)
class CoachingAgenda:
    rep_id: str
    role: str  # the role's key
    window: Window  # the last `weeks` full weeks and this week so far
    conversions: list[Conversion]  # in journey order
    # (KPI, attainment this week so far), lowest first: the KPIs judged on the week
    furthest_from_goal: list[tuple[str, float]]
    weekly_attainment: list[tuple[Period, float | None]]  # last `weeks` full weeks, oldest first
    talking_points: list[TalkingPoint]
    # The rep's own counts over the window, per KPI (the numerators and denominators above).
    totals: Mapping[str, int] = field(default_factory=dict)


def percent(value: float) -> str:
    """A share as a whole percent, rounded down like the scorecard: 0.149 is 14%."""
    return f"{math.floor(value * 100 + _EPS)}%"


def conversion_pairs(process: Process, role_key: str) -> list[tuple[str, str]]:
    """Consecutive KPIs of the role's scorecard in journey order (the process's cascade),
    lagging KPIs included at their stage: for the default SDR, calls → conversations →
    meetings_scheduled → sao. KPIs without an activity have no place in the journey and are
    left out."""
    role = process.role(role_key)
    ordered = [
        kpi.key
        for _stage, _activity, kpis in process.cascade()
        for kpi in kpis
        if kpi.key in role.scorecard
    ]
    return list(zip(ordered, ordered[1:], strict=False))


def _rate(totals: Mapping[str, int], from_kpi: str, to_kpi: str) -> float | None:
    base = totals.get(from_kpi, 0)
    return totals.get(to_kpi, 0) / base if base else None


def _sum_totals(parts: Iterable[Mapping[str, Mapping[str, int]]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for part in parts:
        for rep, kpis in part.items():
            mine = out.setdefault(rep, {})
            for kpi, count in kpis.items():
                mine[kpi] = mine.get(kpi, 0) + count
    return out


def coaching_agenda(
    session: Session,
    workspace_id: int,
    process: Process,
    members: list[Member],
    rep_member: Member,
    now: datetime,
    weeks: int = 4,
) -> CoachingAgenda:
    """The coaching numbers for ``rep_member`` at ``now`` (dates on the team's calendar).

    Conversion rates count the last ``weeks`` full weeks and this week up to today; the team
    median is over the active members of the same role (and the rep). One statement in all."""
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    if not process.has_role(rep_member.role):
        raise ValueError(f"{rep_member.user_id} has no role in the process: not a rep to coach")
    role = process.role(rep_member.role)  # type: ignore[arg-type]
    # The rep first, then every other active rep of the same role.
    reps = [(rep_member, role)] + [
        (m, r)
        for m, r in team_reps(process, members)
        if r.key == role.key and m.user_id != rep_member.user_id
    ]

    today = process.calendar.local_date(now)
    this_week = period_containing("week", today)
    full_weeks = [previous_period(this_week)]
    while len(full_weeks) < weeks:
        full_weeks.append(previous_period(full_weeks[-1]))
    full_weeks.reverse()  # oldest first
    so_far = (this_week.start, today)
    window = Window(full_weeks[0].start, today)

    scaler = scaler_for(session, workspace_id, process, reps, [*full_weeks, this_week])
    mine = [(rep_member, role)]
    ranges = [(p.start, p.end) for p in full_weeks] + [so_far]
    # The weeks' numbers (each KPI at its own scale: rituals.ranking.windows) in the same query.
    for period in [*full_weeks, this_week]:
        ranges += windows(process, mine, period, now, scaler)
    found = fetch_totals(session, workspace_id, reps, ranges)
    per_range = [found[(p.start, p.end)] for p in full_weeks] + [found[so_far]]
    window_totals = _sum_totals(per_range)
    rep_id = rep_member.user_id

    conversions = []
    for from_kpi, to_kpi in conversion_pairs(process, role.key):
        rates = [_rate(window_totals.get(m.user_id, {}), from_kpi, to_kpi) for m, _ in reps]
        known = [r for r in rates if r is not None]
        median = statistics.median(known) if known else None
        conversions.append(Conversion(from_kpi, to_kpi, rates[0], median))

    weekly: list[tuple[Period, float | None]] = []
    # A week judges the rep only if they were on the team from its start, or logged in it right
    # after a week that counted (history imported or logged before they were added). The weeks
    # before they joined, and the week they joined in, are None: not 0%, which would read as a
    # slump and then a rise.
    joined = process.calendar.local_date(rep_member.added_at)
    counted = False
    for index, (period, totals) in enumerate(zip(full_weeks, per_range, strict=False)):
        logged = bool(totals.get(rep_id))
        counted = joined <= period.start or (logged and (index == 0 or counted))
        if not counted:
            weekly.append((period, None))
            continue
        [result] = results_from_totals(process, mine, period, now, found, scaler)
        weekly.append((period, result.overall))
    # This week so far: a log dated after today (an import) waits for its day.
    so_far_totals = {**found, (this_week.start, this_week.end): found[so_far]}
    [current] = results_from_totals(process, mine, this_week, now, so_far_totals, scaler)
    furthest = _furthest_from_goal(current)

    points = _talking_points(process, conversions, furthest, weekly)
    return CoachingAgenda(
        rep_id,
        role.key,
        window,
        conversions,
        furthest,
        weekly,
        points,
        dict(window_totals.get(rep_id, {})),
    )


def _furthest_from_goal(result: RepResult) -> list[tuple[str, float]]:
    """The KPIs judged on this week (a monthly goal is the month's: its scorecard line shows it
    month to date), lowest attainment so far first; those shown at the same percentage in
    scorecard order."""
    order = list(result.lines)
    lines = list(result.scored().items())
    return sorted(lines, key=lambda line: (shown_percent(line[1]), order.index(line[0])))


def _talking_points(
    process: Process,
    conversions: list[Conversion],
    furthest: list[tuple[str, float]],
    weekly: list[tuple[Period, float | None]],
) -> list[TalkingPoint]:
    points = []

    gaps = [
        ((c.team_median - c.rep_rate) / c.team_median, i, c)
        for i, c in enumerate(conversions)
        if c.rep_rate is not None and c.team_median  # a median of 0 leaves no room below it
    ]
    gaps = [g for g in gaps if g[0] >= GAP_THRESHOLD - _EPS]
    if gaps:
        _, _, worst = max(gaps, key=lambda g: (g[0], -g[1]))  # the earliest stage on a tie
        to_name = process.kpi(worst.to_kpi).name
        from_name = process.kpi(worst.from_kpi).name.lower()
        points.append(
            TalkingPoint(
                worst.to_kpi,
                f"{to_name} per {from_name} is {percent(worst.rep_rate)} against a team "  # type: ignore[arg-type]
                f"median of {percent(worst.team_median)}: go through two recent "  # type: ignore[arg-type]
                f"{from_name} together and find where they stall.",
            )
        )

    if furthest:
        kpi, attainment = furthest[0]
        points.append(
            TalkingPoint(
                kpi,
                f"{process.kpi(kpi).name} is at {percent(attainment)} of this week's goal so "
                "far, the furthest from goal on the scorecard: agree on a number for each "
                "remaining day.",
            )
        )

    known = [(p, a) for p, a in weekly if a is not None]
    if len(known) >= 2:
        first, last = percent(known[0][1]), percent(known[-1][1])  # type: ignore[arg-type]
        span = f"over the last {len(weekly)} weeks"
        if first == last:
            text = f"Overall attainment is steady at {first} {span}: pick one KPI to lift."
        elif known[-1][1] < known[0][1]:  # type: ignore[operator]
            text = (
                f"Overall attainment is falling, from {first} to {last} {span}: ask what changed."
            )
        else:
            text = (
                f"Overall attainment is rising, from {first} to {last} {span}: "
                "name what worked and keep doing it."
            )
        points.append(TalkingPoint(None, text))
    return points


# -- the agenda as stored on the session -----------------------------------------------------


def agenda_to_dict(agenda: CoachingAgenda) -> dict:
    """The agenda as JSON-ready data (stored on the coaching session: what the thread opened
    with, kept as it was even if logs change later)."""
    return {
        "rep_id": agenda.rep_id,
        "role": agenda.role,
        "window": {"start": agenda.window.start.isoformat(), "end": agenda.window.end.isoformat()},
        "conversions": [
            {
                "from": c.from_kpi,
                "to": c.to_kpi,
                "rep_rate": c.rep_rate,
                "team_median": c.team_median,
            }
            for c in agenda.conversions
        ],
        "totals": dict(agenda.totals),
        "furthest_from_goal": [[kpi, value] for kpi, value in agenda.furthest_from_goal],
        "weekly_attainment": [
            [period.start.isoformat(), value] for period, value in agenda.weekly_attainment
        ],
        "talking_points": [{"kpi": p.kpi, "text": p.text} for p in agenda.talking_points],
    }


# -- the previous session ---------------------------------------------------------------------


@dataclass(frozen=True)
class ActionItem:
    text: str
    author_id: str
    message_ts: str
    done: bool = False


@dataclass(frozen=True)
class PreviousSession:
    """The rep's last coaching session (its thread was posted) and its open action items."""

    session_id: int
    opened_at: datetime
    manager_id: str
    channel_id: str | None
    thread_ts: str | None
    actions: list[ActionItem]
    notes: int  # every reply saved, action items included


def previous_session(
    session: Session, workspace_id: int, rep_id: str, before: datetime | None = None
) -> PreviousSession | None:
    """The rep's newest posted session (opened before ``before``) with its action items not
    marked done; None for a rep never coached. Two statements."""
    last = coaching_queries.last_session(session, workspace_id, rep_id, before)
    if last is None:
        return None
    notes = coaching_queries.notes_for_sessions(session, [last.id])[last.id]
    actions = [
        ActionItem(n.text, n.author_id, n.message_ts)
        for n in notes
        if n.is_action and n.done_at is None
    ]
    return PreviousSession(
        last.id,
        last.opened_at,
        last.manager_id,
        last.channel_id,
        last.thread_ts,
        actions,
        len(notes),
    )


# -- cadence ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CadenceLine:
    """One rep's coaching cadence at a moment: sessions in the last ``weeks`` weeks, days since
    the last session (None: never coached), days on the team, and whether a session is due:
    ``every_days`` or more since the last one, or, never coached, since they joined."""

    rep_id: str
    recent: int
    last_at: datetime | None
    days_since: int | None
    days_on_team: int
    overdue: bool

    @property
    def waiting_days(self) -> int:
        """Days the rep has waited for a session: since the last one, else since joining."""
        return self.days_since if self.days_since is not None else self.days_on_team


def coaching_cadence(
    session: Session,
    workspace_id: int,
    process: Process,
    members: list[Member],
    now: datetime,
    weeks: int = 4,
) -> list[CadenceLine]:
    """Every rep's cadence at ``now`` (days counted on the team's calendar), most overdue first
    (longest wait first, then the team's order). One statement for the whole team."""
    reps = [m for m, _ in team_reps(process, members)]
    every = process.rituals.coaching_every_days
    found = coaching_queries.cadence(
        session, workspace_id, [m.user_id for m in reps], now - timedelta(weeks=weeks), now
    )
    today = process.calendar.local_date(now)
    lines = []
    for member in reps:
        row = found.get(member.user_id)
        on_team = max(0, (today - process.calendar.local_date(member.added_at)).days)
        since = None
        if row is not None and row.last_at is not None:
            since = max(0, (today - process.calendar.local_date(row.last_at)).days)
        waited = since if since is not None else on_team
        lines.append(
            CadenceLine(
                member.user_id,
                row.recent if row else 0,
                row.last_at if row else None,
                since,
                on_team,
                waited >= every,
            )
        )
    order = {line.rep_id: i for i, line in enumerate(lines)}
    return sorted(lines, key=lambda x: (not x.overdue, -x.waiting_days, order[x.rep_id]))


__all__ = [
    "GAP_THRESHOLD",
    "ActionItem",
    "CadenceLine",
    "CoachingAgenda",
    "Conversion",
    "PreviousSession",
    "TalkingPoint",
    "Window",
    "agenda_to_dict",
    "coaching_agenda",
    "coaching_cadence",
    "conversion_pairs",
    "percent",
    "previous_session",
]
