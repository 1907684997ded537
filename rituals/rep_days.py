"""Each rep's own days (rituals.availability.RepDays) from what is stored: their tenure on the
member row, their days away, their role's ramp. One query for a whole team."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rituals.availability import EVERY_DAY, RepDays
from rituals.pacing import Period, WorkCalendar, period_containing
from rituals.process import Role
from storage import time_off_queries
from storage.models import Member
from storage.unit_of_work import Session

AWAY, NOT_STARTED, LEFT = "away", "not_started", "left"


def span(views: Iterable[Period]) -> tuple[date, date]:
    """The dates any line of these views can count: their own, and the weeks and months they
    touch (a monthly goal on a daily view counts its month to date)."""
    firsts, lasts = [], []
    for view in views:
        for kind in ("week", "month"):
            firsts.append(period_containing(kind, view.start).start)
            lasts.append(period_containing(kind, view.end).end)
        firsts.append(view.start)
        lasts.append(view.end)
    return min(firsts), max(lasts)


def days_of(member: Member, role: Role | None, away: frozenset[date] = frozenset()) -> RepDays:
    """One rep's days; EVERY_DAY when nothing sets them apart from the team's."""
    start = member.started_on
    ramp = role.ramp if role is not None and start is not None else ()
    days = RepDays(start, member.last_day, away, ramp)
    return EVERY_DAY if days == EVERY_DAY else days


def load(
    session: Session,
    workspace_id: int,
    reps: Iterable[tuple[Member, Role | None]],
    views: Iterable[Period],
) -> dict[str, RepDays]:
    """rep ID -> their days, for the reps whose days differ from the team's, over the views."""
    reps = list(reps)
    if not reps:
        return {}
    first, last = span(views)
    away = time_off_queries.days_away(
        session, workspace_id, [m.user_id for m, _ in reps], first, last
    )
    out = {}
    for member, role in reps:
        days = days_of(member, role, away.get(member.user_id, frozenset()))
        if days is not EVERY_DAY:
            out[member.user_id] = days
    return out


def absence(rep: RepDays, period: Period, cal: WorkCalendar) -> str | None:
    """Why a rep has none of the team's working days of ``period``: AWAY, NOT_STARTED or LEFT;
    None when they have one (or the period has no working day for anyone)."""
    if rep.plain:
        return None
    working = [d for d in period.days() if cal.is_working_day(d)]
    if not working or any(rep.available(d) for d in working):
        return None
    if rep.start is not None and all(d < rep.start for d in working):
        return NOT_STARTED
    if rep.last_day is not None and all(d > rep.last_day for d in working):
        return LEFT
    return AWAY
