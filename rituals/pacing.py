"""Pacing math (DESIGN.md section 4): periods, goal scaling, elapsed share, pace and status.

A working day is one of the team's working weekdays that is not a day off (a public holiday it
doesn't work, or a company day off: rituals/holiday_rules.py); everything below counts those.

Pure functions only: no Slack, no database, and the current time is always passed in.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rituals.holiday_rules import NO_HOLIDAYS, DayOff, HolidayRules

PERIOD_KINDS = ("day", "week", "month")
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Labels are for Slack messages; spelled out here so they never depend on the server's locale.
_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

STATUS_ON_PACE, STATUS_AT_RISK, STATUS_BEHIND = "on_pace", "at_risk", "behind"
STATUS_NOT_STARTED = "not_started"  # nothing expected yet and nothing done
STATUS_EARLY = "early"  # under EARLY_SHARE of the period gone: too soon to judge the pace
# A finished period, judged on attainment: hit, missed, or missed by less than the at-risk
# threshold says (97% of a week's goal is a near miss, not the same as 20%).
STATUS_HIT, STATUS_MISSED, STATUS_NEAR_MISS = "hit", "missed", "near_miss"
STATUS_NO_GOAL = "no_goal"  # goal is None or 0

# Before this share of a period's working time has gone, pace reads "early": on a Monday at
# 09:30 one call against a week's goal would otherwise read as a pace of 1680%.
EARLY_SHARE = 0.10

# Ratios such as 4 / (10 * 0.4) come out as 0.99999... in binary floating point; a rep who is
# exactly on pace must not be shown as at risk, so threshold comparisons allow this much slack.
_EPS = 1e-9


def _check_kind(kind: str) -> None:
    if kind not in PERIOD_KINDS:
        raise ValueError(f"unknown period kind {kind!r}; expected one of {PERIOD_KINDS}")


def _require_aware(instant: datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instant must be timezone-aware (a naive datetime has no team-local date)")


@dataclass(frozen=True)
class WorkCalendar:
    tz: ZoneInfo
    working_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # date.weekday(): Monday=0
    day_start: time = time(9, 0)
    day_end: time = time(17, 0)
    holidays: HolidayRules = NO_HOLIDAYS

    def __post_init__(self) -> None:
        # Accept any iterable of weekdays but store a frozenset so the calendar stays hashable.
        days = frozenset(self.working_days)
        if not days <= set(range(7)):
            raise ValueError(f"working_days must be weekday numbers 0..6, got {sorted(days)}")
        object.__setattr__(self, "working_days", days)
        if self.day_end <= self.day_start:
            raise ValueError("day_end must be after day_start (overnight hours are not supported)")

    def local_date(self, instant: datetime) -> date:
        return self.local_now(instant).date()

    def local_now(self, instant: datetime) -> datetime:
        _require_aware(instant)
        return instant.astimezone(self.tz)

    def is_working_day(self, d: date) -> bool:
        return d.weekday() in self.working_days and not self.holidays.is_off(d)

    def working_days_in(self, start: date, end: date) -> int:
        if end < start:
            return 0
        full_weeks, rest = divmod((end - start).days + 1, 7)
        first = start.weekday()
        extra = sum(1 for i in range(rest) if (first + i) % 7 in self.working_days)
        weekdays = full_weeks * len(self.working_days) + extra
        return weekdays - self.holidays.count_off(start, end, self.working_days)

    def days_off(self, start: date, end: date) -> list[DayOff]:
        """The days off that fall on a working weekday (a holiday on a Saturday changes
        nothing, so it is not one), from ``start`` to ``end``."""
        return [
            off
            for off in self.holidays.days_off(start, end)
            if off.day.weekday() in self.working_days
        ]

    def _day_length(self) -> timedelta:
        # Wall-clock length, so a DST change day has the same working hours as any other day.
        anchor = date(2000, 1, 3)
        return datetime.combine(anchor, self.day_end) - datetime.combine(anchor, self.day_start)


@dataclass(frozen=True)
class Period:
    kind: str  # "day" | "week" | "month"
    start: date  # inclusive
    end: date  # inclusive

    def __post_init__(self) -> None:
        _check_kind(self.kind)
        # A datetime is a date subclass and would silently make every boundary a moment in time.
        if isinstance(self.start, datetime) or isinstance(self.end, datetime):
            raise TypeError("Period start/end must be dates, not datetimes")
        if self.end < self.start:
            raise ValueError(f"period end {self.end} is before start {self.start}")

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def label(self) -> str:
        if self.kind == "month":
            return f"{_MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        if self.start == self.end:
            return _day_label(self.start)
        # Repeat month and year on the left only when they differ from the right.
        if self.start.year != self.end.year:
            left = _day_label(self.start)
        elif self.start.month != self.end.month:
            left = f"{_DAY_ABBR[self.start.weekday()]} {self.start.day} {_MONTH_ABBR[self.start.month - 1]}"
        else:
            left = f"{_DAY_ABBR[self.start.weekday()]} {self.start.day}"
        return f"{left} \u2013 {_day_label(self.end)}"


def _day_label(d: date) -> str:
    return f"{_DAY_ABBR[d.weekday()]} {d.day} {_MONTH_ABBR[d.month - 1]} {d.year}"


def _month_bounds(d: date) -> tuple[date, date]:
    return d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _week_bounds(d: date) -> tuple[date, date]:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def period_containing(kind: str, d: date) -> Period:
    _check_kind(kind)
    if kind == "day":
        return Period("day", d, d)
    if kind == "week":
        monday = d - timedelta(days=d.weekday())
        return Period("week", monday, monday + timedelta(days=6))
    return Period("month", *_month_bounds(d))


def previous_period(p: Period) -> Period:
    return period_containing(p.kind, p.start - timedelta(days=1))


def next_period(p: Period) -> Period:
    return period_containing(p.kind, p.end + timedelta(days=1))


def daily_rate(amount: float, per: str, d: date, cal: WorkCalendar) -> float:
    """Goal for one working day on date d (0 on non-working days)."""
    _check_kind(per)
    if not cal.is_working_day(d):
        return 0.0
    if per == "day":
        return amount
    # A weekly or monthly goal spreads over that week's or month's working days (a holiday
    # week's goal is done in its four days), so each week and month has its own rate.
    if per == "week":
        return amount / cal.working_days_in(*_week_bounds(d))
    return amount / cal.working_days_in(*_month_bounds(d))


def scaled_goal(amount: float, per: str, period: Period, cal: WorkCalendar) -> float:
    """The goal for `period`: daily_rate summed over its days."""
    _check_kind(per)
    working = [d for d in period.days() if cal.is_working_day(d)]
    if not working:
        return 0.0  # e.g. a weekend day, even for a per-day goal: nothing is due on days off
    if per == period.kind:
        return amount  # exact, no float drift
    if per == "day":
        return amount * len(working)
    # Weekly or monthly goal: count working days per week or month (a week can straddle two
    # months, a month holds parts of five weeks) and multiply once per week or month rather than
    # adding 1/n twenty times, which keeps the result free of rounding noise.
    bounds = _week_bounds if per == "week" else _month_bounds
    per_unit = Counter(bounds(d) for d in working)
    return sum(amount * n / cal.working_days_in(*unit) for unit, n in per_unit.items())


def _wall_clock(local: datetime) -> datetime:
    """Naive local wall-clock time that never runs backwards.

    When clocks fall back, an interval of wall time repeats (fold=1 on the second pass). The clock
    has already shown the later times by then, so hold at the end of the repeated interval; this
    keeps elapsed share non-decreasing even for working hours that span the change.
    """
    wall = local.replace(tzinfo=None, fold=0)
    if not local.fold:
        return wall
    tz = local.tzinfo
    step = timedelta(minutes=1)
    t = wall.replace(second=0, microsecond=0) + step
    # Ambiguous (repeated) wall times have a larger UTC offset on their first pass.
    while t.replace(tzinfo=tz).utcoffset() > t.replace(tzinfo=tz, fold=1).utcoffset():
        t += step
    return t


def elapsed_share(period: Period, now: datetime, cal: WorkCalendar) -> float:
    """Working time in `period` up to `now` divided by all working time in `period`, in [0, 1]."""
    wall = _wall_clock(cal.local_now(now))
    today = wall.date()
    total_days = cal.working_days_in(period.start, period.end)
    if total_days == 0:
        return 1.0 if today > period.end else 0.0
    length = cal._day_length()
    # Whole working days before today's date (within the period) count in full.
    full_days = cal.working_days_in(period.start, min(today - timedelta(days=1), period.end))
    done = full_days * length
    if period.contains(today) and cal.is_working_day(today):
        into_day = wall - datetime.combine(today, cal.day_start)
        done += min(max(into_day, timedelta(0)), length)
    # timedelta / timedelta divides whole microseconds, so 20h / 40h is exactly 0.5.
    return done / (total_days * length)


def day_done(day: date, now: datetime, cal: WorkCalendar) -> float:
    """The share of ``day``'s working hours gone at ``now``: 1 for a day before today, 0 for one
    after, the hours so far today (after hours, the whole day)."""
    wall = _wall_clock(cal.local_now(now))
    if day != wall.date():
        return 1.0 if day < wall.date() else 0.0
    length = cal._day_length()
    into_day = wall - datetime.combine(day, cal.day_start)
    return min(max(into_day, timedelta(0)), length) / length


@dataclass(frozen=True)
class Thresholds:
    on_pace: float = 1.0
    at_risk: float = 0.8


@dataclass(frozen=True)
class Pacing:
    actual: float
    goal: float | None  # scaled to the period
    elapsed: float  # elapsed share 0..1
    expected: float | None  # goal * elapsed
    pace: float | None  # actual / expected; None when expected is 0/None
    projection: float | None  # actual / elapsed; None when elapsed == 0
    attainment: float | None  # actual / goal; None when goal is 0/None
    status: str
    final: bool = False  # the period is over: judged on attainment (hit, missed), not on pace
    # The period these numbers are for: a goal's own week or month when it is shown on a
    # shorter view (rituals.scales); None when the caller did not say.
    period: Period | None = None
    decimals: int = 0  # goal, expected and projection are shown with at most this many decimals

    @property
    def early(self) -> bool:
        """Too soon in the period to read a pace (under EARLY_SHARE of its working time gone)."""
        return not self.final and self.elapsed < EARLY_SHARE - _EPS


def compute_pacing(
    actual: float,
    goal: float | None,
    elapsed: float,
    thresholds: Thresholds = Thresholds(),
    *,
    final: bool = False,
    period: Period | None = None,
    decimals: int = 0,
) -> Pacing:
    """The numbers of one KPI in one period. ``final``: the period is over, so the status says
    whether the goal was hit or missed (a near miss from the at-risk threshold of attainment);
    before that it comes from the pace (``early`` in the first EARLY_SHARE of the period, unless
    the goal is already met)."""
    if not 0.0 <= elapsed <= 1.0:
        raise ValueError(f"elapsed share must be within [0, 1], got {elapsed}")
    expected = None if goal is None else goal * elapsed
    pace = actual / expected if expected else None
    projection = actual / elapsed if elapsed else None
    attainment = actual / goal if goal else None

    if not goal:
        status = STATUS_NO_GOAL
    elif final:
        if attainment >= 1 - _EPS:  # type: ignore[operator]
            status = STATUS_HIT
        elif attainment >= thresholds.at_risk - _EPS:  # type: ignore[operator]
            status = STATUS_NEAR_MISS
        else:
            status = STATUS_MISSED
    elif attainment is not None and attainment >= 1 - _EPS:
        status = STATUS_ON_PACE  # the whole goal is already done, whatever the clock says
    elif pace is None and actual <= 0:  # nothing expected yet and nothing done
        status = STATUS_NOT_STARTED
    elif elapsed < EARLY_SHARE - _EPS:
        status = STATUS_EARLY
    elif pace >= thresholds.on_pace - _EPS:  # type: ignore[operator]
        status = STATUS_ON_PACE
    elif pace >= thresholds.at_risk - _EPS:  # type: ignore[operator]
        status = STATUS_AT_RISK
    else:
        status = STATUS_BEHIND
    return Pacing(
        actual,
        goal,
        elapsed,
        expected,
        pace,
        projection,
        attainment,
        status,
        final,
        period,
        decimals,
    )


def pace_for(
    actual: float,
    goal_amount: float | None,
    goal_per: str | None,
    period: Period,
    now: datetime,
    cal: WorkCalendar,
    thresholds: Thresholds = Thresholds(),
) -> Pacing:
    goal = None
    if goal_amount is not None and goal_per is not None:
        goal = scaled_goal(goal_amount, goal_per, period, cal)
    final = cal.local_date(now) > period.end
    return compute_pacing(
        actual, goal, elapsed_share(period, now, cal), thresholds, final=final, period=period
    )


_HHMM = re.compile(r"([0-9]{1,2}):([0-9]{2})")


def parse_hhmm(text: str) -> time:
    """Parse a 24-hour "H:MM" / "HH:MM" time such as "9:30" or "17:30"."""
    match = _HHMM.fullmatch(text.strip()) if isinstance(text, str) else None
    if match:
        hour, minute = int(match[1]), int(match[2])
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValueError(f"invalid time {text!r}: use 24-hour HH:MM, e.g. 09:00 or 17:30")
