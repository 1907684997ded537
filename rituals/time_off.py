"""Time off: a rep's days away, and who may say so (issue 12, DESIGN.md §4 "available days").

The rules, as a sales manager would call fair:

- A rep enters their own days away, from today on (a day already gone is their manager's to
  enter: it changes numbers that were already reported). A manager of the rep's team, or a
  Pacer admin, enters anyone's, and may go back to the first day of the previous month (the
  current and the previous period, week or month, whichever reaches further back).
- One day or an inclusive range, at most ``MAX_RANGE_DAYS`` calendar days, ending no more
  than ``MAX_AHEAD_DAYS`` after today. A range stores one row per *team working day* in it:
  weekends and the team's days off (holidays) are skipped, and the answer says which.
- A range where some working days are already away adds the others and says which were there
  already; a range where all of them are refuses, and changes nothing. So does a range without
  a single working day in it.
- Cancelling follows the same windows and permissions; cancelling a day not away is refused.
- A note is at most ``NOTE_LIMIT`` characters.

Refusals carry data; bot/away/replies.py words them for Slack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rituals import dates
from rituals.holiday_rules import DayOff
from rituals.pacing import WorkCalendar
from rituals.process import Process
from rituals.refusals import Refusal
from rituals.teams import Actor, team_process
from storage import people_queries, time_off_queries
from storage.models import Member, TimeOff
from storage.unit_of_work import Session

MAX_RANGE_DAYS = 60
MAX_AHEAD_DAYS = 365
NOTE_LIMIT = 200
RECENT_DAYS = 30  # `/away list` shows the days away of the last 30 days too


# -- refusals -----------------------------------------------------------------------------------


@dataclass(eq=False)
class NotARep(Refusal):
    """Days away are for a rep on a team (a member with a role)."""

    user_id: str
    is_self: bool

    def plain(self) -> str:
        who = "You're not" if self.is_self else f"{self.user_id} isn't"
        return f"{who} a rep on a Pacer team, so there are no days away to keep."


@dataclass(eq=False)
class NotTheirManager(Refusal):
    """Someone else's days away are for the rep's managers and Pacer admins."""

    user_id: str

    def plain(self) -> str:
        return f"Only {self.user_id}'s managers and Pacer admins can change their days away."


@dataclass(eq=False)
class DaysInWrongOrder(Refusal):
    first: date
    last: date

    def plain(self) -> str:
        return f"The last day {dates.long(self.last)} is before the first {dates.long(self.first)}."


@dataclass(eq=False)
class RangeTooLong(Refusal):
    first: date
    last: date
    limit: int = MAX_RANGE_DAYS

    def plain(self) -> str:
        days = (self.last - self.first).days + 1
        return f"{days} days is longer than the {self.limit} days one entry can cover."


@dataclass(eq=False)
class TooFarAhead(Refusal):
    day: date
    latest: date

    def plain(self) -> str:
        return (
            f"{dates.long(self.day)} is more than a year ahead (latest: {dates.long(self.latest)})."
        )


@dataclass(eq=False)
class AwayTooFarBack(Refusal):
    """A day before the window: today for a rep's own days, else the 1st of last month."""

    day: date
    earliest: date
    by_manager: bool

    def plain(self) -> str:
        return f"{dates.long(self.day)} is before {dates.long(self.earliest)}, the earliest day you can change."


@dataclass(eq=False)
class NoWorkingDays(Refusal):
    """Every day of the range is a weekend day or one of the team's days off."""

    first: date
    last: date
    days_off: tuple[DayOff, ...]

    def plain(self) -> str:
        return "There is no working day in that range to be away on; nothing changed."


@dataclass(eq=False)
class AlreadyAway(Refusal):
    user_id: str
    is_self: bool
    days: tuple[date, ...]

    def plain(self) -> str:
        return "Every working day of that range is already a day away; nothing changed."


@dataclass(eq=False)
class NotAway(Refusal):
    user_id: str
    is_self: bool
    first: date
    last: date

    def plain(self) -> str:
        return "There is no day away in that range to cancel; nothing changed."


@dataclass(eq=False)
class AwayNoteTooLong(Refusal):
    length: int
    limit: int = NOTE_LIMIT

    def plain(self) -> str:
        return f"A note is at most {self.limit} characters; this one has {self.length}."


# -- who and when -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Whose days away a request changes or reads, with their team's process and today."""

    rep: Member
    process: Process
    today: date
    is_self: bool
    earliest: date  # the first day this actor may change for this rep

    @property
    def calendar(self) -> WorkCalendar:
        return self.process.calendar


def first_of_last_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def target(session: Session, actor: Actor, rep_id: str, now: datetime) -> Target:
    """The rep whose days away ``actor`` asks about: themselves, or a rep of a team they manage
    (an admin: any team)."""
    is_self = rep_id == actor.user_id
    rep = (
        actor.member if is_self else people_queries.get_member(session, actor.workspace_id, rep_id)
    )
    if rep is None or not rep.active or not rep.role:
        raise NotARep(rep_id, is_self)
    manages = actor.is_manager and (actor.is_admin or actor.team_id == rep.team_id)
    if not is_self and not manages:
        raise NotTheirManager(rep_id)
    process = (
        actor.process if rep.team_id == actor.team_id else team_process(session, rep.team_id)[0]
    )
    today = process.calendar.local_date(now)
    earliest = first_of_last_month(today) if manages else today
    return Target(rep, process, today, is_self, earliest)


def check_range(who: Target, first: date, last: date) -> None:
    if last < first:
        raise DaysInWrongOrder(first, last)
    if first < who.earliest:
        raise AwayTooFarBack(first, who.earliest, who.earliest != who.today)
    latest = who.today + timedelta(days=MAX_AHEAD_DAYS)
    if last > latest:
        raise TooFarAhead(last, latest)
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise RangeTooLong(first, last)


@dataclass(frozen=True)
class Split:
    """A range's days: the team's working days, its days off (holidays on working weekdays)
    and the other days skipped (weekends)."""

    working: tuple[date, ...]
    days_off: tuple[DayOff, ...]
    weekend: tuple[date, ...]


def split_range(cal: WorkCalendar, first: date, last: date) -> Split:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return Split(
        tuple(d for d in days if cal.is_working_day(d)),
        tuple(cal.days_off(first, last)),
        tuple(d for d in days if d.weekday() not in cal.working_days),
    )


# -- adding and cancelling ----------------------------------------------------------------------


@dataclass(frozen=True)
class Added:
    who: Target
    first: date
    last: date
    added: tuple[date, ...]  # the working days stored now
    already: tuple[date, ...]  # working days that were away already
    split: Split
    note: str


def add_time_off(
    session: Session, actor: Actor, rep_id: str, first: date, last: date, note: str, now: datetime
) -> Added:
    note = note.strip()
    if len(note) > NOTE_LIMIT:
        raise AwayNoteTooLong(len(note))
    who = target(session, actor, rep_id, now)
    check_range(who, first, last)
    split = split_range(who.calendar, first, last)
    if not split.working:
        raise NoWorkingDays(first, last, split.days_off)
    added = time_off_queries.add_days(
        session,
        actor.workspace_id,
        rep_id,
        split.working,
        note=note,
        entered_by=actor.user_id,
        now=now,
    )
    already = tuple(d for d in split.working if d not in set(added))
    if not added:  # nothing new: refused, so nothing changes (and a repeat says so)
        raise AlreadyAway(rep_id, who.is_self, already)
    return Added(who, first, last, tuple(added), already, split, note)


@dataclass(frozen=True)
class Cancelled:
    who: Target
    first: date
    last: date
    days: tuple[date, ...]


def cancel_time_off(
    session: Session, actor: Actor, rep_id: str, first: date, last: date, now: datetime
) -> Cancelled:
    who = target(session, actor, rep_id, now)
    check_range(who, first, last)
    days = time_off_queries.cancel_days(
        session, actor.workspace_id, rep_id, first, last, cancelled_by=actor.user_id, now=now
    )
    if not days:
        raise NotAway(rep_id, who.is_self, first, last)
    return Cancelled(who, first, last, tuple(days))


# -- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stretch:
    """Consecutive days away of one rep with one note (days off between them don't break it)."""

    user_id: str
    first: date
    last: date
    days: int  # working days away in it
    note: str


def stretches(rows: list[TimeOff], cal: WorkCalendar) -> list[Stretch]:
    """Rows (by person and day) grouped into stretches: the next working day after one row's
    day, with the same note, continues it."""
    out: list[Stretch] = []
    for row in rows:
        last = out[-1] if out else None
        if (
            last is not None
            and last.user_id == row.user_id
            and last.note == row.note
            and _next_working(cal, last.last) == row.day
        ):
            out[-1] = Stretch(row.user_id, last.first, row.day, last.days + 1, row.note)
        else:
            out.append(Stretch(row.user_id, row.day, row.day, 1, row.note))
    return out


def _next_working(cal: WorkCalendar, day: date) -> date:
    for ahead in range(1, 15):
        candidate = day + timedelta(days=ahead)
        if cal.is_working_day(candidate):
            return candidate
    return day + timedelta(days=1)


@dataclass(frozen=True)
class Listing:
    who: Target
    recent: list[Stretch]  # the last RECENT_DAYS days, before today
    coming: list[Stretch]  # today on


def rep_time_off(session: Session, actor: Actor, rep_id: str, now: datetime) -> Listing:
    """A rep's coming days away and those of the last RECENT_DAYS days (theirs, or their
    manager's or an admin's to see)."""
    who = target(session, actor, rep_id, now)
    start = who.today - timedelta(days=RECENT_DAYS)
    end = who.today + timedelta(days=MAX_AHEAD_DAYS)
    rows = time_off_queries.entries(session, actor.workspace_id, [rep_id], start, end)
    found = stretches(rows, who.calendar)
    return Listing(
        who,
        [s for s in found if s.last < who.today],
        [s for s in found if s.last >= who.today],
    )


def team_time_off(
    session: Session, actor: Actor, now: datetime, members: list[Member]
) -> list[Stretch]:
    """The coming days away of a team's reps (today on), by first day then person."""
    cal = actor.process.calendar
    today = cal.local_date(now)
    reps = [m.user_id for m in members if m.active and m.role]
    rows = time_off_queries.entries(
        session, actor.workspace_id, reps, today, today + timedelta(days=MAX_AHEAD_DAYS)
    )
    return sorted(stretches(rows, cal), key=lambda s: (s.first, s.user_id))
