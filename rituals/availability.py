"""A rep's own days (DESIGN.md §4): the team's working days within their tenure, minus their days
away, and the ramp that scales a new hire's goal in their first months.

The team's calendar (rituals.pacing.WorkCalendar) says which days are working days for everyone;
a rep's ``RepDays`` narrows that to the days they are there. A weekly or monthly goal still
spreads over the *team's* working days of its week or month, and a rep gets the shares of the days
they are available: away on Wednesday of a 4-day week, 8 meetings a week is 6 for them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, clamped to the month's end (31 Jan + 1 = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class RepDays:
    """What sets a rep's days apart from the team's: tenure (``start``, ``last_day``, both
    inclusive; None: open), days ``away`` and a ``ramp`` (the share of the goal in the 1st, 2nd…
    month of tenure; it applies only with a start date)."""

    start: date | None = None
    last_day: date | None = None
    away: frozenset[date] = frozenset()
    ramp: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "away", frozenset(self.away))
        object.__setattr__(self, "ramp", tuple(float(r) for r in self.ramp))
        if self.start and self.last_day and self.last_day < self.start:
            raise ValueError(f"last day {self.last_day} is before the start {self.start}")
        if any(not 0 < r <= 1 for r in self.ramp):
            raise ValueError("ramp shares must be above 0% and at most 100%")

    @property
    def plain(self) -> bool:
        """No tenure, no days away, no ramp: the rep's days are the team's."""
        return self.start is None and self.last_day is None and not self.away

    def in_tenure(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (
            self.last_day is None or day <= self.last_day
        )

    def available(self, day: date) -> bool:
        """On the team that day and not away (whether it is a working day is the team's say)."""
        return self.in_tenure(day) and day not in self.away

    def tenure_month(self, day: date) -> int | None:
        """1 for the first month of tenure (start to the day before the same date a month on),
        2 for the next…; None without a start date or before it."""
        if self.start is None or day < self.start:
            return None
        months = (day.year - self.start.year) * 12 + day.month - self.start.month
        if add_months(self.start, months) > day:
            months -= 1
        return months + 1

    def ramp_share(self, day: date) -> float:
        """The share of the goal due on ``day``: the ramp's for its month of tenure, else 1."""
        month = self.tenure_month(day) if self.ramp else None
        if month is None or month > len(self.ramp):
            return 1.0
        return self.ramp[month - 1]

    def ramps(self, first: date, last: date) -> bool:
        """Whether the ramp scales any day from ``first`` to ``last``."""
        if not self.ramp or self.start is None:
            return False
        return first < add_months(self.start, len(self.ramp)) and last >= self.start


EVERY_DAY = RepDays()
