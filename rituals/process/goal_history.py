"""Goals over time: a goal change applies from its effective date (DESIGN.md §4), and the
process keeps every change (Process.goal_changes) so each day takes the goal in force that day.

- with_goal_change: a change typed in Slack (`/pacer goal sdr calls 80/day from 2026-12-01`).
- keep_goal_history: a file loaded without a goal_changes: section keeps the team's history,
  and each goal in it that differs from the one in force today applies from today.
- effective_range: how far back and ahead a change may be dated.
- goal_size: whether a goal is implausible enough to need `confirm` (10× the role's, or over the
  team's max_count a day).
- history: the changes as people read them, each with the goal it replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rituals.process.goals import Goal, GoalChange
from rituals.process.loader import load_edited_process, load_process_dict
from rituals.process.model import Process

FUTURE_DAYS = 366  # a change may be dated up to a year ahead
# A goal more than 10× the role's asks for `confirm`. A much lower goal does not: lowering a goal
# (a rep on reduced hours, a KPI paused) is an ordinary decision, and shows at once on scorecards.
SIZE_FACTOR = 10
MONTH_WEEKS = 52 / 12


def effective_range(today: date) -> tuple[date, date]:
    """The first and last day a change typed today may apply from: back to the first day of the
    previous month (a period that may still be judged: last month's digest), ahead a year."""
    first_of_month = today.replace(day=1)
    previous = (first_of_month - timedelta(days=1)).replace(day=1)
    return previous, today + timedelta(days=FUTURE_DAYS - 1)


def with_goal_change(
    process: Process,
    target: str,
    kpi_key: str,
    goal: Goal | None,
    effective: date,
    *,
    by: str | None,
    at: datetime | None,
) -> Process:
    """A new Process with one dated change added: ``target`` is a role key or a rep's Slack ID;
    ``goal`` None resets a rep to the role's goal. A change with the same date, target and KPI
    replaces the earlier one. Checked like a file (raises ProcessError)."""
    data = process.to_dict()
    is_role = process.has_role(target)
    change = GoalChange(
        effective,
        kpi_key,
        goal,
        role=process.role(target).key if is_role else None,
        user=None if is_role else target,
        by=by,
        at=at,
    )
    kept = [
        c
        for c in process.goal_changes
        if (c.effective, c.target, c.kpi) != (effective, change.target, kpi_key)
    ]
    data["goal_changes"] = [c.to_dict() for c in (*kept, change)]
    return load_edited_process(data)


def keep_goal_history(
    previous: Process, loaded: Process, today: date, *, by: str, at: datetime
) -> Process:
    """A file loaded over ``previous``. With a goal_changes: section it is taken as it stands.
    Without one it keeps previous's history (for the roles, KPIs and reps it still has), and each
    goal of the file that differs from the one in force today becomes a change from today: editing
    the file to raise a goal is no more retroactive than `/pacer goal`."""
    if loaded.goal_history_stated:
        return loaded
    data = loaded.to_dict()
    kpis = {k.key for k in loaded.kpis}
    on_card = {(r.key, k) for r in loaded.roles for k in r.scorecard}
    # The goals before any dated change stay the team's, for the KPIs its roles already had.
    for entry in data["roles"]:
        if previous.has_role(entry["key"]):
            old, new = previous.role(entry["key"]), loaded.role(entry["key"])
            entry["goals"] = {
                k: str(source[k])
                for k in entry["scorecard"]
                for source in [old.goals if k in old.scorecard else new.goals]
                if k in source
            }
    data["overrides"] = {
        user: {k: str(g) for k, g in own.items() if k in kpis}
        for user, own in previous.overrides.items()
        if any(k in kpis for k in own)
    }
    changes = [
        c
        for c in previous.goal_changes
        if ((c.role, c.kpi) in on_card if c.role is not None else c.kpi in kpis)
    ]
    for role in loaded.roles:
        for kpi in role.scorecard:
            stated = role.goals.get(kpi)
            had = previous.has_role(role.key) and kpi in previous.role(role.key).scorecard
            if had and previous.goal_for(role.key, kpi, on=today) != stated:
                changes.append(GoalChange(today, kpi, stated, role=role.key, by=by, at=at))
    for user in sorted(set(loaded.overrides) | previous.reps_with_own_goals):
        for kpi in sorted(kpis):
            stated = loaded.overrides.get(user, {}).get(kpi)
            if own_goal(previous, user, kpi, today) != stated:
                changes.append(GoalChange(today, kpi, stated, user=user, by=by, at=at))
    data["goal_changes"] = [c.to_dict() for c in changes]
    return load_process_dict(data)


def own_goal(process: Process, user: str, kpi: str, day: date) -> Goal | None:
    """A rep's own goal in force on ``day`` (None: they follow the role's)."""
    found = process.overrides.get(user, {}).get(kpi)
    for change in process.goal_changes:
        if change.user == user and change.kpi == kpi and change.effective <= day:
            found = change.goal
    return found


# --------------------------------------------------------------------------------------------
# Size: a goal that is probably a typo


@dataclass(frozen=True)
class GoalSize:
    """Why a goal asks for `confirm`: ``reason`` "times" (``factor``× the role's ``current``)
    or "max" (over ``limit`` a working day)."""

    reason: str
    per_day: float
    current: Goal | None = None
    factor: float = 0.0
    limit: int = 0


def per_working_day(goal: Goal, process: Process) -> float:
    """A goal per working day of a usual week: 600/week is 120 a day in a 5-day week."""
    days = max(len(process.calendar.working_days), 1)
    if goal.per == "day":
        return goal.amount
    if goal.per == "week":
        return goal.amount / days
    return goal.amount / (days * MONTH_WEEKS)


def goal_size(
    process: Process, role: str, kpi: str, goal: Goal | None, day: date
) -> GoalSize | None:
    """Whether ``goal`` for ``kpi`` is implausible next to the role's goal in force on ``day``
    (more than 10× it, compared per working day) or over the team's
    ``limits.max_count`` a working day (more than anyone can log in a day). None: it is fine."""
    if goal is None:
        return None
    per_day = per_working_day(goal, process)
    if per_day > process.max_count:
        return GoalSize("max", per_day, limit=process.max_count)
    current = process.goal_for(role, kpi, on=day)
    if current is None:
        return None
    ratio = per_day / per_working_day(current, process)
    if ratio > SIZE_FACTOR:
        return GoalSize("times", per_day, current, ratio)
    return None


# --------------------------------------------------------------------------------------------
# History as people read it


@dataclass(frozen=True)
class HistoryEntry:
    change: GoalChange
    before: Goal | None  # the target's goal the day before (for a rep: their own, None if none)
    # (the day before, with every change made, earlier or later)


def history(process: Process) -> list[HistoryEntry]:
    """Every dated change with the goal it replaced, newest effective date first (the latest
    made first within a day)."""
    out = []
    for index, change in enumerate(process.goal_changes):
        day = change.effective - timedelta(days=1)
        if change.role is not None:
            before = process.role(change.role).goals.get(change.kpi)
        else:
            before = process.overrides.get(change.target, {}).get(change.kpi)
        for c in sorted(process.goal_changes, key=lambda c: c.effective):
            if (c.target, c.kpi) == (change.target, change.kpi) and c.effective <= day:
                before = c.goal
        out.append((change.effective, index, HistoryEntry(change, before)))
    return [entry for _, _, entry in sorted(out, key=lambda t: (t[0], t[1]), reverse=True)]
