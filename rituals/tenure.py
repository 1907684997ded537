"""Start and end on a team (DESIGN.md §4, "tenure"): which start dates and last days a manager
may set, and whether a member is on the team on a given day.

A member's tenure runs from ``started_on`` (None: they were on the team before Pacer knew them)
to ``last_day`` (None: no last day set), both inclusive. ``Member.active`` is not about dates:
it stays True through the tenure and after the last day (the row keeps the tenure that their
numbers are judged by); it is False only for people removed before tenure dates existed, who
left on the date of ``removed_at``. So "on the team on a day" is always :func:`on_team`, never
``member.active`` alone.

Limits, what a sales manager would call sensible:

- a start date at most a year back (a rep added late, whose first months still ramp) or a year
  ahead (an offer signed early: the new hire appears on the team from that day);
- a last day no earlier than their start date, no more than a year ahead, and no earlier than
  the first day of the previous month: a manager correcting a departure last month can, but
  a finished quarter is not rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rituals import dates
from rituals.refusals import Refusal
from storage.models import Member

YEAR = timedelta(days=366)  # "up to a year": a year from 29 Feb still reaches the 28th/1st


def on_team(member: Member | None, day: date) -> bool:
    """Whether ``member`` is on their team on ``day``: within their tenure (and not a member
    removed before tenure dates existed)."""
    if member is None or not member.active:
        return False
    if member.started_on is not None and day < member.started_on:
        return False
    return member.last_day is None or day <= member.last_day


def not_started(member: Member | None, day: date) -> bool:
    """A future starter: on the roster, not on the team yet."""
    return (
        member is not None
        and member.active
        and member.started_on is not None
        and day < member.started_on
    )


def has_left(member: Member | None, day: date) -> bool:
    """Their last day is over (or they were removed before tenure dates existed)."""
    if member is None:
        return False
    if not member.active:
        return member.removed_at is not None
    return member.last_day is not None and day > member.last_day


def on_roster(member: Member | None, day: date) -> bool:
    """On the team, or starting later: everyone whose last day has not passed."""
    return member is not None and member.active and not has_left(member, day)


def earliest_last_day(today: date) -> date:
    """The first day of the previous month: a last day may be set back to then."""
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


@dataclass(eq=False)
class TenureDateRefused(Refusal):
    """A start date or last day out of bounds. ``what``: "start" or "last_day"; ``why``:
    "too_far_ahead", "too_far_back" or "before_start"; ``bound``: the nearest allowed date."""

    what: str
    why: str
    day: date
    bound: date

    def plain(self) -> str:
        label = "start date" if self.what == "start" else "last day"
        if self.why == "before_start":
            return f"the {label} {self.day} is before their start date {self.bound}"
        side = "after" if self.why == "too_far_ahead" else "before"
        return f"the {label} {self.day} is {side} the limit {self.bound}"


def check_start(start: date, today: date) -> date:
    """A start date a manager may set: within a year of ``today`` either way."""
    if start > today + YEAR:
        raise TenureDateRefused("start", "too_far_ahead", start, today + YEAR)
    if start < today - YEAR:
        raise TenureDateRefused("start", "too_far_back", start, today - YEAR)
    return start


def check_last_day(last: date, today: date, started_on: date | None) -> date:
    """A last day a manager may set: not before the start, not before the previous month,
    not more than a year ahead."""
    if started_on is not None and last < started_on:
        raise TenureDateRefused("last_day", "before_start", last, started_on)
    if last < earliest_last_day(today):
        raise TenureDateRefused("last_day", "too_far_back", last, earliest_last_day(today))
    if last > today + YEAR:
        raise TenureDateRefused("last_day", "too_far_ahead", last, today + YEAR)
    return last


def describe(member: Member, today: date) -> str | None:
    """ "starts Mon 30 Nov", "last day Fri 4 Dec", "started Mon 2 Nov": the roster's note on a
    member's tenure, or None when there is nothing to say."""
    parts = []
    if member.started_on is not None:
        verb = "starts" if member.started_on > today else "started"
        parts.append(f"{verb} {dates.relative(member.started_on, today)}")
    if member.last_day is not None:
        parts.append(f"last day {dates.relative(member.last_day, today)}")
    return ", ".join(parts) or None
