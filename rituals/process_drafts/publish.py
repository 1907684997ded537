"""Publishing a draft: what stops it, and the version it becomes.

Some things can't be published at all (a KPI the logs use removed instead of archived, a role
people hold dropped, a date in the past); others only ask for `confirm` (suggestions still open,
fewer approvals than the file's review: {min_approvals: N}, a version stored since the draft was
copied). A later `from` date schedules the draft: the clock publishes it at the start of that
day in the team's timezone (``starts_at``), so the journey, activities, KPIs and scorecards
change on the day the announcement names, not before. The published process keeps the team's goal history: every goal of the draft that
differs from the one in force on the effective date becomes a change from that date
(rituals/process/goal_history.keep_goal_history), so no past period's figures move.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from rituals.pacing import WorkCalendar
from rituals.process import Process, ProcessError, load_process_dict
from rituals.process.goal_history import FUTURE_DAYS, keep_goal_history
from rituals.process.loader import SECTIONS


@dataclass(frozen=True)
class ReviewState:
    """What the reviews of a draft say, from the answers that count (newest per reviewer)."""

    approvers: frozenset[str] = frozenset()
    open_suggestions: int = 0
    reviewers: frozenset[str] = frozenset()  # everyone asked, in any round
    answered: frozenset[str] = frozenset()


def review_state(answers: Iterable, reviewers: Iterable[str]) -> ReviewState:
    """``answers``: objects with reviewer_id, verdict (approve | suggest) and status."""
    answers = list(answers)
    return ReviewState(
        approvers=frozenset(a.reviewer_id for a in answers if a.verdict == "approve"),
        open_suggestions=sum(1 for a in answers if a.verdict == "suggest" and a.status == "open"),
        reviewers=frozenset(reviewers),
        answered=frozenset(a.reviewer_id for a in answers),
    )


@dataclass
class Blockers:
    """Why a draft is not published: ``refused`` can't be overridden; ``ask`` needs `confirm`."""

    refused: list[str] = field(default_factory=list)
    ask: list[str] = field(default_factory=list)


def blockers(
    current: Process,
    draft: Process,
    *,
    effective: date,
    today: date,
    state: ReviewState,
    kpis_in_use: Iterable[str],
    roles_held: Iterable[str],
    moved_on: str | None = None,
) -> Blockers:
    out = Blockers()
    if effective < today:
        out.refused.append(
            f"{effective:%Y-%m-%d} is in the past: publishing never changes a past period's "
            "figures. Publish from today or a later day"
        )
    elif (effective - today).days >= FUTURE_DAYS:
        out.refused.append(f"{effective:%Y-%m-%d} is more than a year ahead")
    removed = sorted(set(kpis_in_use) - {k.key for k in draft.kpis})
    if removed:
        names = ", ".join(current.kpi(k).name if current.has_kpi(k) else k for k in removed)
        out.refused.append(
            f"the draft removes {names}, which logs refer to. Archive it instead, so its "
            "history stays readable: the draft no longer has it, so `/pacer process discard` "
            "and make the change again in a new draft, typing 'archive' for it in the KPIs form"
        )
    dropped = sorted(set(roles_held) - {r.key for r in draft.roles})
    if dropped:
        out.refused.append(
            f"the draft drops roles people hold: {', '.join(dropped)}. Keep them, or first move "
            "the people to another role (`/pacer team add @user ROLE`)"
        )
    if state.open_suggestions:
        n = state.open_suggestions
        out.ask.append(
            f"{n} suggestion{'s are' if n != 1 else ' is'} still open: accept or dismiss "
            f"{'them' if n != 1 else 'it'} (`/pacer process feedback`)"
        )
    need = draft.review_min_approvals
    if len(state.approvers) < need:
        out.ask.append(
            f"{len(state.approvers)} of the {need} approvals the process asks for "
            "(review: min_approvals)"
        )
    if moved_on:
        out.ask.append(moved_on)
    return out


# The parts of a process that are settings, changed by their own commands (`/pacer timezone`,
# `/pacer holiday`, `/pacer ritual`, the settings form…) while a draft waits: every section but
# the cascade and its goals, which are what a draft edits, and the review requirement, which a
# draft is checked against as it is its own. The rituals are merged one ritual at a time.
_DRAFTED = {"journey", "activities", "kpis", "roles", "overrides", "goal_changes", "review"}
SETTINGS = tuple(section for section in SECTIONS if section not in _DRAFTED)


def with_settings_kept(current: Process, draft: Process, base: Process | None) -> Process:
    """The draft as it would be published: each setting (each ritual) it left as it was copied
    from ``base`` takes what is in force in ``current``, so a `/pacer timezone` or a holiday
    added while the draft waits is not undone; what the draft changed is the draft's. A setting
    whose current value doesn't fit the draft (a leaderboard of a KPI the draft removed) stays
    the draft's, alone. Without ``base``, the draft's settings whole."""
    data = draft.to_dict()
    data.pop("goal_changes", None)  # a draft shows today's goals, never history
    loaded = load_process_dict(data)
    if base is None:
        return loaded
    was, now = base.to_dict(), current.to_dict()
    for key, sub in _setting_paths(data, was, now):
        mine, copied, theirs = (_at(d, key, sub) for d in (data, was, now))
        if mine != copied or theirs == mine:
            continue
        trial = _with(data, key, sub, theirs)
        try:
            loaded, data = load_process_dict(trial), trial
        except ProcessError:
            continue  # it doesn't fit what the draft changed: the draft's
    return loaded


def _setting_paths(*dicts: dict) -> list[tuple[str, str | None]]:
    paths: list[tuple[str, str | None]] = []
    for key in SETTINGS:
        if key == "rituals":
            subs = sorted({s for d in dicts for s in (d.get(key) or {})})
            paths += [(key, sub) for sub in subs]
        else:
            paths.append((key, None))
    return paths


def _at(data: dict, key: str, sub: str | None):
    return data.get(key) if sub is None else (data.get(key) or {}).get(sub)


def _with(data: dict, key: str, sub: str | None, value) -> dict:
    out = dict(data)
    if sub is not None:
        inner = dict(out.get(key) or {})
        if value is None:
            inner.pop(sub, None)
        else:
            inner[sub] = value
        value = inner
    if value is None:
        out.pop(key, None)
    else:
        out[key] = value
    return out


def published(
    current: Process,
    draft: Process,
    effective: date,
    *,
    by: str,
    at: datetime,
    base: Process | None = None,
) -> Process:
    """The version the draft becomes: its content (with ``base``, the version it was copied
    from: the settings it left alone as they are now, :func:`with_settings_kept`), with the
    team's goal history kept and every goal it changes dated from ``effective``."""
    loaded = with_settings_kept(current, draft, base)
    return keep_goal_history(current, loaded, effective, by=by, at=at)


def starts_at(calendar: WorkCalendar, day: date) -> datetime:
    """The first instant of ``day`` in the team's timezone, in UTC: when a draft scheduled for
    that day is published (and so the instant its version is loaded at)."""
    return datetime.combine(day, time(0), tzinfo=calendar.tz).astimezone(UTC)


def reviewed_by(reviewers: Iterable[str], managers: Iterable[str]) -> str:
    """ "reviewed by 5 reps and 2 managers" ("" when nobody answered)."""
    people = set(reviewers)
    bosses = len(people & set(managers))
    reps = len(people) - bosses
    parts = []
    if reps:
        parts.append(f"{reps} rep{'s' if reps != 1 else ''}")
    if bosses:
        parts.append(f"{bosses} manager{'s' if bosses != 1 else ''}")
    return "reviewed by " + " and ".join(parts) if parts else ""
