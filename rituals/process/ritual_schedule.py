"""When a team's rituals run: RitualSchedule (the `rituals:` section) and its defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from rituals.kinds import KINDS
from rituals.pacing import WEEKDAY_NAMES

# What a team gets without configuring anything, by `rituals:` field (rituals/kinds.py says why
# each time; the leaderboards' defaults are derived from the process: see
# ritual_checks.default_leaderboards_for, and the standings' are DEFAULT_STANDINGS_TIMES).
RITUAL_DEFAULT_TIMES: dict[str, time] = {
    k.field: k.default_at for k in KINDS if k.default_at is not None
}
DEFAULT_WEEKLY_DAY = 0  # Monday
# While a contest runs its standings post at these times on working days (besides the start,
# the midpoint, the last hour and the result).
DEFAULT_STANDINGS_TIMES = (time(11, 30), time(15, 30))
DEFAULT_LAG_THRESHOLD = 0.8  # a team KPI below 80% of its weekly pace lags…
DEFAULT_LAG_MIN_ELAPSED = 0.25  # …once at least a quarter of the week's working time is gone
DEFAULT_COACHING_EVERY_DAYS = 14  # a rep without a session for this long is due one


@dataclass(frozen=True)
class LeaderboardSlot:
    """A leaderboard posted at ``at`` (team-local) on working days, ranking these KPIs."""

    at: time
    kpis: tuple[str, ...]


@dataclass(frozen=True)
class RitualSchedule:
    """When a team's rituals run, in the team's timezone; a time is None when the ritual is off.

    - ``daily``: the daily digest, on working days.
    - ``weekly``: the weekly digest (last week's results), on ``weekly_day`` (Monday=0) whether
      or not that is a working day (a warning says so when it is not).
    - ``monthly``: the monthly digest (last month's results), on the first working day of the month.
    - ``leaderboards``: leaderboards posted on working days, in order of time (empty: off).
    - ``nudges``: the private reminder to reps who logged nothing today, on working days.
    - ``standings``: while a contest runs, its standings at these times on working days.
    - ``lag_check``: each working day, team KPIs below ``lag_threshold`` of their weekly pace
      (once ``lag_min_elapsed`` of the week is gone) get a contest suggested to the managers,
      or launched at once when ``auto_launch``.
    - ``coaching``: on ``coaching_day``, each manager hears privately which reps have had no
      coaching session for ``coaching_every_days`` days.
    """

    daily: time | None = RITUAL_DEFAULT_TIMES["daily"]
    weekly: time | None = RITUAL_DEFAULT_TIMES["weekly"]
    monthly: time | None = RITUAL_DEFAULT_TIMES["monthly"]
    leaderboards: tuple[LeaderboardSlot, ...] = ()
    nudges: time | None = RITUAL_DEFAULT_TIMES["nudges"]
    weekly_day: int = DEFAULT_WEEKLY_DAY  # reset to Monday while the weekly digest is off
    standings: tuple[time, ...] = DEFAULT_STANDINGS_TIMES
    lag_check: time | None = RITUAL_DEFAULT_TIMES["lag_check"]
    lag_threshold: float = DEFAULT_LAG_THRESHOLD
    lag_min_elapsed: float = DEFAULT_LAG_MIN_ELAPSED
    auto_launch: bool = False
    coaching: time | None = RITUAL_DEFAULT_TIMES["coaching"]
    coaching_day: int = DEFAULT_WEEKLY_DAY
    coaching_every_days: int = DEFAULT_COACHING_EVERY_DAYS

    @classmethod
    def off(cls) -> RitualSchedule:
        return cls(
            daily=None,
            weekly=None,
            monthly=None,
            leaderboards=(),
            nudges=None,
            standings=(),
            lag_check=None,
            coaching=None,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data as written in the `rituals:` section; a ritual that is off is "off"."""

        def hhmm(t: time) -> str:
            return t.strftime("%H:%M")

        return {
            "daily": {"at": hhmm(self.daily)} if self.daily is not None else "off",
            "weekly": (
                {"day": WEEKDAY_NAMES[self.weekly_day], "at": hhmm(self.weekly)}
                if self.weekly is not None
                else "off"
            ),
            "monthly": {"at": hhmm(self.monthly)} if self.monthly is not None else "off",
            "leaderboards": (
                [{"at": hhmm(s.at), "kpis": list(s.kpis)} for s in self.leaderboards]
                if self.leaderboards
                else "off"
            ),
            "nudges": {"at": hhmm(self.nudges)} if self.nudges is not None else "off",
            "standings": {"at": [hhmm(t) for t in self.standings]} if self.standings else "off",
            "lag_check": (
                {
                    "at": hhmm(self.lag_check),
                    "threshold": f"{self.lag_threshold * 100:g}%",
                    "min_elapsed": f"{self.lag_min_elapsed * 100:g}%",
                    "auto_launch": self.auto_launch,
                }
                if self.lag_check is not None
                else "off"
            ),
            "coaching": (
                {
                    "day": WEEKDAY_NAMES[self.coaching_day],
                    "at": hhmm(self.coaching),
                    "every_days": self.coaching_every_days,
                }
                if self.coaching is not None
                else "off"
            ),
        }

    def describe(self) -> str:
        """One line for people: "daily 17:30 · weekly Mon 09:00 · …"."""

        def at(t: time | None) -> str:
            return "off" if t is None else f"{t:%H:%M}"

        weekly = "off"
        if self.weekly is not None:
            weekly = f"{WEEKDAY_NAMES[self.weekly_day].capitalize()} {self.weekly:%H:%M}"
        first = " (first working day)" if self.monthly is not None else ""
        boards = ", ".join(f"{s.at:%H:%M} ({', '.join(s.kpis)})" for s in self.leaderboards)
        lag = "off"
        if self.lag_check is not None:
            lag = (
                f"{self.lag_check:%H:%M} (below {self.lag_threshold * 100:g}% of weekly pace, "
                f"{'launches a contest' if self.auto_launch else 'suggests a contest'})"
            )
        coaching = "off"
        if self.coaching is not None:
            coaching = (
                f"{WEEKDAY_NAMES[self.coaching_day].capitalize()} {self.coaching:%H:%M} "
                f"(no session in {self.coaching_every_days} days)"
            )
        standings = ", ".join(f"{t:%H:%M}" for t in self.standings) or "off"
        return (
            f"daily {at(self.daily)} · weekly {weekly} · monthly {at(self.monthly)}{first} · "
            f"leaderboards {boards or 'off'} · nudges {at(self.nudges)} · "
            f"contest standings {standings} · lag check {lag} · coaching reminders {coaching}"
        )
