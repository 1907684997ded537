"""When a contest starts, ends, settles and closes, in the team's working time (all instants in
UTC). It *ends* at the end of its last day's working hours; its result *settles* the process's
settle time later (`contests: {settle: 2h}`), never before that day's daily digest, so the day's
logs typed a little after the working day still count; it *closes* (stops counting, its result
frozen) when it settles, or at once when a manager ends it."""

from datetime import UTC, date, datetime, time, timedelta

from rituals.pacing import WorkCalendar
from rituals.process import Process
from storage.models import Contest


def at(day: date, clock: time, cal: WorkCalendar) -> datetime:
    """A team-local wall time as a UTC instant (a time skipped by DST resolves as the trigger
    does: by the offset before the change)."""
    local = datetime.combine(day, clock, tzinfo=cal.tz)
    return datetime.fromtimestamp(local.timestamp(), UTC)


def ends_at_for(process: Process, end_day: date) -> datetime:
    """When a contest ending on ``end_day`` ends: the end of that day's working hours, in UTC."""
    return at(end_day, process.calendar.day_end, process.calendar)


def settles_at_for(process: Process, end_day: date) -> datetime:
    """When the result of a contest ending on ``end_day`` is frozen: the process's settle time
    after the end of that day's working hours (elapsed time), and never before that day's daily
    digest when the digest is on and the day is a working day (the digest's time is resolved as
    its trigger resolves it, across DST too)."""
    settles = ends_at_for(process, end_day) + process.contests.settle
    digest = digest_at(process, end_day)
    return settles if digest is None else max(settles, digest)


def digest_at(process: Process, day: date) -> datetime | None:
    """When the daily digest is posted on ``day`` (None when it is off or the day is not a
    working day)."""
    cal, digest = process.calendar, process.rituals.daily
    if digest is None or not cal.is_working_day(day):
        return None
    return at(day, digest, cal)


def first_working_day(cal: WorkCalendar, day: date) -> date:
    """``day`` if it is a working day, else the next working day."""
    for _ in range(7):
        if cal.is_working_day(day):
            return day
        day += timedelta(days=1)
    return day  # a calendar without working days cannot be loaded; a guard


def start_day_for(process: Process, now: datetime) -> date:
    """The first day of a contest started now: today if it is a working day whose hours are not
    over, else the next working day."""
    cal = process.calendar
    today = cal.local_date(now)
    if cal.is_working_day(today) and now < ends_at_for(process, today):
        return today
    return first_working_day(cal, today + timedelta(days=1))


def after_working_days(cal: WorkCalendar, first: date, n: int) -> date:
    """The day on which ``n`` working days counted from ``first`` (included) are done."""
    day, counted = first, 0
    for _ in range(n * 7 + 7):
        if cal.is_working_day(day):
            counted += 1
            if counted >= n:
                return day
        day += timedelta(days=1)
    return day


def settles_at(contest: Contest) -> datetime:
    """When the contest's result is due to be frozen (a contest stored before settle times
    existed settles at its end)."""
    return contest.settles_at if contest.settles_at is not None else contest.ends_at


def after_weeks(cal: WorkCalendar, first: date, n: int) -> date:
    """The last working day of the ``n`` weeks from ``first`` (``1w`` from a Tuesday ends on
    Monday): a day off in them shortens the window, never lengthens it."""
    day = first + timedelta(days=7 * n - 1)
    while day > first and not cal.is_working_day(day):
        day -= timedelta(days=1)
    return day


def closes_at(contest: Contest) -> datetime:
    """When the contest stops counting and its result is frozen: when it settles, or the moment
    a manager ended it (early, or while it was settling)."""
    settles = settles_at(contest)
    if contest.ended_at is not None and contest.ended_at < settles:
        return contest.ended_at
    return settles


def is_over(contest: Contest, now: datetime) -> bool:
    """Whether its result is in (frozen, or due to be): it has closed."""
    return contest.result is not None or now >= closes_at(contest)


def is_settling(contest: Contest, now: datetime) -> bool:
    """Whether its days are over but its result is not yet due: logs of its days typed now
    still count."""
    return contest.ends_at <= now and not is_over(contest, now)


def _working_spans(
    process: Process, start_day: date, end_day: date, lo: datetime, hi: datetime
) -> list[tuple[datetime, datetime]]:
    cal = process.calendar
    spans = []
    day = max(start_day, cal.local_date(lo))
    while day <= end_day:
        if cal.is_working_day(day):
            a = max(at(day, cal.day_start, cal), lo)
            b = min(at(day, cal.day_end, cal), hi)
            if b > a:
                spans.append((a, b))
        day += timedelta(days=1)
    return spans


def working_midpoint(process: Process, contest: Contest) -> datetime:
    """Half way through the contest in working time (plain time if it has no working time)."""
    lo, hi = contest.starts_at, contest.ends_at
    spans = _working_spans(process, contest.start_day, contest.end_day, lo, hi)
    total = sum((b - a for a, b in spans), timedelta(0))
    if total <= timedelta(0):
        return lo + (hi - lo) / 2
    left = total / 2
    for a, b in spans:
        if b - a >= left:
            return a + left
        left -= b - a
    return hi  # pragma: no cover - the loop always lands
