"""The sales process: buyer's journey -> seller activities -> KPIs -> role scorecards with goals.

A sales leader writes the process down in one YAML file (see ``default_process.yml`` beside this
module, which is the method's own example and doubles as the format's documentation). This module
parses and validates such a file into an immutable :class:`Process`, and answers the questions the
rest of Pacer asks of it: which KPI does the word "dials" mean for an SDR, what is this rep's goal
for calls, what does the cascade look like.

Validation never stops at the first mistake: every problem is collected, each names its place in
the file and how to fix it, and the loaders raise :class:`ProcessError` and nothing else, whatever
the input. Advice that is not an error (the method's "3 leading + 1 lagging" formula, a KPI nobody
has) ends up in :attr:`Process.warnings`.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import reprlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import yaml

from rituals.pacing import WEEKDAY_NAMES, Thresholds, WorkCalendar, parse_hhmm

__all__ = [
    "DEFAULT_PROCESS_PATH",
    "METHOD_QUOTE",
    "PERIODS",
    "Activity",
    "Goal",
    "Kpi",
    "LeaderboardSlot",
    "Problem",
    "Process",
    "ProcessError",
    "RITUALS",
    "RitualSchedule",
    "Role",
    "Stage",
    "default_process",
    "dump_process",
    "load_process_dict",
    "load_process_file",
    "load_process_text",
    "parse_goal",
    "render_cascade",
]

DEFAULT_PROCESS_PATH = Path(__file__).with_name("default_process.yml")

PERIODS = ("day", "week", "month")
KINDS = ("leading", "lagging")
VISIBILITIES = ("public", "managers")

METHOD_QUOTE = (
    "A good formula for assigning KPIs is to have 3 leading indicators (activities) and "
    "1 lagging indicator (results). Too many metrics creates a lack of focus."
)

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
SLACK_ID_RE = re.compile(r"^[UW][A-Z0-9]{2,}$")
_MENTION_RE = re.compile(r"^<@([A-Za-z0-9]+)(?:\|[^>]*)?>$")

MAX_KEY_LEN = 40
MAX_NAME_LEN = 75  # a KPI or role name ends up in Slack button text (75 characters at most)
MAX_PROCESS_NAME_LEN = 150  # Slack header text
MAX_ALIAS_LEN = 40
MAX_GOAL = 1e9

DEFAULTS: dict[str, Any] = {
    "timezone": "UTC",
    "working_days": ["mon", "tue", "wed", "thu", "fri"],
    "working_hours": {"start": "09:00", "end": "17:00"},
    "scorecard_visibility": "public",
    "pace_thresholds": {"on_pace": 1.0, "at_risk": 0.8},
    "limits": {"max_count": 500, "backdate_days": 14},
}

# The rituals a team can schedule (the `rituals:` section), and what a team gets without
# configuring anything. The leaderboards' default KPIs are derived from the process (the first
# role's leading KPIs), so a process without a `calls` KPI still gets valid defaults.
RITUALS = (
    "daily",
    "weekly",
    "monthly",
    "leaderboards",
    "nudges",
    "standings",
    "lag_check",
    "coaching",
)
RITUAL_DEFAULT_TIMES: dict[str, time] = {
    "daily": time(17, 30),  # working days, end of day
    "weekly": time(9, 0),  # last week's results, on DEFAULT_WEEKLY_DAY
    "monthly": time(9, 0),  # last month's results, on the first working day of the month
    "nudges": time(15, 0),  # a private reminder to reps who logged nothing today
    # Tuesday 11:00 is the first check with a quarter of a Mon–Fri 09:00–17:00 week gone.
    "lag_check": time(11, 0),
    "coaching": time(9, 30),  # a manager's private list of reps due a coaching session
}
DEFAULT_WEEKLY_DAY = 0  # Monday
# While a contest runs its standings post at these times on working days (besides the start,
# the midpoint, the last hour and the result).
DEFAULT_STANDINGS_TIMES = (time(11, 30), time(15, 30))
DEFAULT_LAG_THRESHOLD = 0.8  # a team KPI below 80% of its weekly pace lags…
DEFAULT_LAG_MIN_ELAPSED = 0.25  # …once at least a quarter of the week's working time is gone
DEFAULT_COACHING_EVERY_DAYS = 14  # a rep without a session for this long is due one
DEFAULT_LEADERBOARD_TIMES = (time(12, 0), time(16, 0))  # 2 then 1 of the first role's leading KPIs
MAX_LEADERBOARDS = 12
_OFF_WORDS = ("off", "no", "none", "false", "disabled", "disable", "never")
_ON_WORDS = ("on", "yes", "true", "enabled", "enable", "default")
_RITUAL_HINTS = {
    "daily_digest": "daily",
    "day": "daily",
    "weekly_digest": "weekly",
    "week": "weekly",
    "monthly_digest": "monthly",
    "month": "monthly",
    "leaderboard": "leaderboards",
    "leaders": "leaderboards",
    "rankings": "leaderboards",
    "nudge": "nudges",
    "reminder": "nudges",
    "reminders": "nudges",
    "contest_standings": "standings",
    "contests": "standings",
    "lag": "lag_check",
    "lagcheck": "lag_check",
    "lag_checks": "lag_check",
    "coach": "coaching",
    "coaching_reminders": "coaching",
}

# Top-level sections in the order they are written out.
SECTIONS = (
    "name",
    "timezone",
    "working_days",
    "working_hours",
    "scorecard_visibility",
    "pace_thresholds",
    "limits",
    "journey",
    "activities",
    "kpis",
    "roles",
    "overrides",
    "rituals",  # last: it refers to the KPIs above
)
REQUIRED_SECTIONS = ("name", "journey", "activities", "kpis", "roles")
# Words people plausibly write for a section; used only to suggest the right name.
_SECTION_HINTS = {
    "stages": "journey",
    "buyers_journey": "journey",
    "visibility": "scorecard_visibility",
    "thresholds": "pace_thresholds",
    "pace": "pace_thresholds",
    "tz": "timezone",
    "time_zone": "timezone",
    "days": "working_days",
    "hours": "working_hours",
    "metrics": "kpis",
    "kpi": "kpis",
    "teams": "roles",
    "goals": "roles",
    "reps": "overrides",
    "ritual": "rituals",
    "schedule": "rituals",
    "digests": "rituals",
    "daily": "rituals",
    "weekly": "rituals",
    "monthly": "rituals",
    "leaderboards": "rituals",
    "leaderboard": "rituals",
    "nudges": "rituals",
}

_PERIOD_WORDS = {
    "day": "day",
    "days": "day",
    "daily": "day",
    "d": "day",
    "week": "week",
    "weeks": "week",
    "weekly": "week",
    "wk": "week",
    "w": "week",
    "month": "month",
    "months": "month",
    "monthly": "month",
    "mo": "month",
    "mth": "month",
    "m": "month",
}
_GOAL_RE = re.compile(
    r"^\s*(?P<amount>[+-]?(?:\d[\d,_]*(?:\.\d+)?|\.\d+))\s*"
    r"(?:/|\bper\b|\ba\b|\ban\b|\beach\b|\bevery\b)?\s*(?P<per>[A-Za-z]+)\s*$"
)
_BARE_NUMBER_RE = re.compile(r"^\s*[+-]?(?:\d[\d,_]*(?:\.\d+)?|\.\d+)\s*$")

_repr = reprlib.Repr()
_repr.maxlevel = 2
_repr.maxstring = 40
_repr.maxother = 40
_repr.maxlist = 4
_repr.maxdict = 4


def _q(value: object) -> str:
    """A short, safe quotation of a user's value for a message."""
    try:
        return _repr.repr(value)
    except Exception:  # pragma: no cover - a value whose repr itself fails
        return f"<{type(value).__name__}>"


def _kind_of(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return f"a {type(value).__name__}"


def normalize_word(word: str) -> str:
    """The form words are matched in: lowercase, `_` and `-` as spaces, whitespace collapsed."""
    return " ".join(word.lower().replace("_", " ").replace("-", " ").split())


def _display_word(word: str) -> str:
    """The form words are stored and shown in: lowercase, whitespace collapsed."""
    return " ".join(word.lower().split())


def _number_variants(word: str) -> list[str]:
    """Simple singular/plural forms of a word's last part ("calls" <-> "call")."""
    parts = word.split(" ")
    last = parts[-1]
    head = " ".join(parts[:-1])
    out: list[str] = []

    def join(x: str) -> str:
        return f"{head} {x}" if head else x

    singular = None
    if last.endswith("ies") and len(last) > 4:
        singular = last[:-3] + "y"
    elif last.endswith(("ches", "shes", "xes", "sses")) and len(last) > 4:
        singular = last[:-2]
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")) and len(last) > 3:
        singular = last[:-1]
    if singular:
        out.append(join(singular))
    elif len(parts) == 1 and last.isalpha() and len(last) >= 3 and not last.endswith(("ed", "s")):
        if last.endswith("y") and last[-2] not in "aeiou":
            out.append(last[:-1] + "ies")
        elif last.endswith(("ch", "sh", "x", "ss")):
            out.append(last + "es")
        else:
            out.append(last + "s")
    return out


def _did_you_mean(word: object, candidates: Iterable[str], n: int = 1) -> str:
    if not isinstance(word, str) or not word or len(word) > 64:
        return ""
    cands = list(candidates)
    lowered = {c.lower(): c for c in cands}
    matches = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)
    if not matches:
        return ""
    return " (did you mean " + " or ".join(f"'{lowered[m]}'" for m in matches) + "?)"


def _one_of(options: Iterable[str], limit: int = 12) -> str:
    opts = list(options)
    if not opts:
        return "(none defined yet)"
    shown = ", ".join(opts[:limit])
    return shown + (", …" if len(opts) > limit else "")


# --------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Goal:
    """A target for a KPI: ``amount`` per ``day``, ``week`` or ``month``."""

    amount: float
    per: str

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int | float):
            raise ValueError(f"goal amount must be a number, got {_q(self.amount)}")
        amount = float(self.amount)
        if not math.isfinite(amount) or amount <= 0 or amount > MAX_GOAL:
            raise ValueError(f"goal amount must be above 0 (and sensible), got {_q(self.amount)}")
        if self.per not in PERIODS:
            raise ValueError(f"goal period must be one of {', '.join(PERIODS)}, got {_q(self.per)}")
        object.__setattr__(self, "amount", amount)

    def __str__(self) -> str:
        return f"{_fmt_amount(self.amount)}/{self.per}"

    @classmethod
    def parse(cls, value: object) -> Goal:
        return parse_goal(value)


def _fmt_amount(amount: float) -> str:
    if float(amount).is_integer() and abs(amount) < 1e15:
        return str(int(amount))
    return repr(float(amount))


def parse_goal(value: object) -> Goal:
    """``"60/day"``, ``"60 / day"``, ``"60 per day"``, ``"8/week"``, ``{amount: 60, per: day}``.

    Raises ValueError with a message that says what to write instead.
    """
    if isinstance(value, Goal):
        return value
    if isinstance(value, Mapping):
        extra = sorted(str(k) for k in value if k not in ("amount", "per"))
        if extra:
            raise ValueError(f"a goal mapping has only 'amount' and 'per', not {', '.join(extra)}")
        if "amount" not in value or "per" not in value:
            raise ValueError("a goal mapping needs both 'amount' and 'per'")
        amount = value["amount"]
        if isinstance(amount, str) and _BARE_NUMBER_RE.match(amount):
            amount = _to_number(amount)
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            raise ValueError(f"goal amount must be a number, got {_q(amount)}")
        per = value["per"]
        period = _PERIOD_WORDS.get(per.strip().lower()) if isinstance(per, str) else None
        if period is None:
            raise ValueError(f"goal period {_q(per)} is not day, week or month")
        return _make_goal(amount, period)
    if isinstance(value, bool) or value is None:
        raise ValueError(f"a goal looks like '60/day', got {_kind_of(value)}")
    if isinstance(value, int | float):
        raise ValueError(
            f"{_fmt_goal_number(value)} per what? A goal needs a period, e.g. '{_fmt_goal_number(value)}/day'"
        )
    if not isinstance(value, str):
        raise ValueError(f"a goal looks like '60/day', got {_kind_of(value)}")
    if _BARE_NUMBER_RE.match(value):
        raise ValueError(
            f"{value.strip()} per what? A goal needs a period, e.g. '{value.strip()}/day'"
        )
    match = _GOAL_RE.match(value)
    if not match:
        raise ValueError(
            f"can't read the goal {_q(value)}; write it like '60/day', '8/week' or '6/month'"
        )
    period = _PERIOD_WORDS.get(match["per"].lower())
    if period is None:
        raise ValueError(f"goal period {match['per']!r} is not day, week or month")
    return _make_goal(_to_number(match["amount"]), period)


def _fmt_goal_number(value: float) -> str:
    try:
        return _fmt_amount(float(value))
    except (OverflowError, ValueError):
        return "N"


def _to_number(text: str) -> float:
    return float(text.strip().replace(",", "").replace("_", ""))


def _make_goal(amount: float, period: str) -> Goal:
    try:
        number = float(amount)
    except (OverflowError, ValueError):
        raise ValueError(f"goal amount {_q(amount)} is too large") from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError("goal amount must be a real number")
    if number <= 0:
        raise ValueError(f"goal amount must be above 0, got {_fmt_amount(number)}")
    if number > MAX_GOAL:
        raise ValueError(f"goal amount {_fmt_amount(number)} is implausibly large")
    return Goal(number, period)


@dataclass(frozen=True)
class Stage:
    key: str
    name: str


@dataclass(frozen=True)
class Activity:
    key: str
    name: str
    stage: str


@dataclass(frozen=True)
class Kpi:
    key: str
    name: str
    kind: str  # "leading" | "lagging"
    activity: str | None
    aliases: tuple[str, ...]  # lowercase; includes the key, the name and simple plural forms
    recorded_by: str | None  # a role whose members record it for the rep (e.g. an AE for SAOs)
    description: str = ""
    # The aliases as written in the file (what to_dict() writes back); not part of equality.
    declared_aliases: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def leading(self) -> bool:
        return self.kind == "leading"


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    scorecard: tuple[str, ...]
    goals: Mapping[str, Goal] = field(default_factory=dict, hash=False)
    aliases: Mapping[str, str] = field(default_factory=dict, hash=False)  # word -> KPI key


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


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    fix: str

    def __str__(self) -> str:
        message = self.message.rstrip(". ")
        fix = self.fix.rstrip(". ")
        lead = f"{self.path}: " if self.path else ""
        return f"{lead}{message}. Fix: {fix}." if fix else f"{lead}{message}."


class ProcessError(ValueError):
    """The process can't be used; ``problems`` lists every reason, each with its fix."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        return "\n".join(prefix + str(p) for p in self.problems) or f"{prefix}invalid process"


@dataclass(frozen=True)
class Process:
    name: str
    stages: tuple[Stage, ...]
    activities: tuple[Activity, ...]
    kpis: tuple[Kpi, ...]
    roles: tuple[Role, ...]
    overrides: Mapping[str, Mapping[str, Goal]] = field(hash=False)
    calendar: WorkCalendar = field(hash=False)
    timezone: str = "UTC"
    visibility: str = "public"
    thresholds: Thresholds = field(default_factory=Thresholds, hash=False)
    max_count: int = 500
    backdate_days: int = 14
    rituals: RitualSchedule = field(default_factory=RitualSchedule)
    warnings: tuple[str, ...] = ()

    # -- lookups ------------------------------------------------------------------------------

    @functools.cached_property
    def _kpi_index(self) -> dict[str, Kpi]:
        return {k.key: k for k in self.kpis}

    @functools.cached_property
    def _role_index(self) -> dict[str, Role]:
        return {r.key: r for r in self.roles}

    @functools.cached_property
    def _global_words(self) -> dict[str, str]:
        """normalized word -> KPI key, plus the display form of each word in order."""
        index: dict[str, str] = {}
        for kpi in self.kpis:
            for word in kpi.aliases:
                index.setdefault(normalize_word(word), kpi.key)
        return index

    @functools.cached_property
    def _role_words(self) -> dict[str, dict[str, str]]:
        return {
            r.key: {normalize_word(w): k for w, k in r.aliases.items() if k in self._kpi_index}
            for r in self.roles
        }

    def kpi(self, key: str) -> Kpi:
        """The KPI with this key (case-insensitive); KeyError if there is none."""
        if not isinstance(key, str):
            raise KeyError(key)
        found = self._kpi_index.get(key) or self._kpi_index.get(key.strip().lower())
        if found is None:
            raise KeyError(key)
        return found

    def role(self, key: str) -> Role:
        """The role with this key (case-insensitive); KeyError if there is none."""
        if not isinstance(key, str):
            raise KeyError(key)
        found = self._role_index.get(key) or self._role_index.get(key.strip().lower())
        if found is None:
            raise KeyError(key)
        return found

    def has_role(self, key: str | None) -> bool:
        try:
            self.role(key)  # type: ignore[arg-type]
        except KeyError:
            return False
        return True

    def has_kpi(self, key: str | None) -> bool:
        try:
            self.kpi(key)  # type: ignore[arg-type]
        except KeyError:
            return False
        return True

    def goal_for(self, role_key: str, kpi_key: str, user_id: str | None = None) -> Goal | None:
        """The goal for a KPI on a role's scorecard: the rep's own override first, then the
        role's goal. None when the KPI has no goal or is not on the role's scorecard."""
        role = self.role(role_key)
        kpi = self.kpi(kpi_key).key if self.has_kpi(kpi_key) else None
        if kpi is None or kpi not in role.scorecard:
            return None
        if user_id is not None:
            own = self.overrides.get(user_id, {})
            if kpi in own:
                return own[kpi]
        return role.goals.get(kpi)

    def resolve_word(self, word: str, role_key: str | None = None) -> list[Kpi]:
        """The KPIs a word a rep typed can mean.

        With a role: that role's own words first (``meeting`` is a scheduled meeting for an SDR and
        a held one for an AE), then the process-wide words. Without a role: the process-wide words,
        else every role's meaning of the word (possibly several: ask the user which). ``[]`` when
        the word means nothing.
        """
        if not isinstance(word, str):
            return []
        w = normalize_word(word)
        if not w:
            return []
        role_words = self._role_words
        if role_key is not None and self.has_role(role_key):
            key = role_words[self.role(role_key).key].get(w)
            if key is not None:
                return [self._kpi_index[key]]
        key = self._global_words.get(w)
        if key is not None:
            return [self._kpi_index[key]]
        if role_key is None or not self.has_role(role_key):
            found: list[Kpi] = []
            for role in self.roles:
                k = role_words[role.key].get(w)
                if k is not None and self._kpi_index[k] not in found:
                    found.append(self._kpi_index[k])
            return found
        return []

    def all_words(self, role_key: str | None = None) -> list[str]:
        """Every word that resolves (for "did you mean"), the role's own words first."""
        words: list[str] = []
        seen: set[str] = set()
        roles = [self.role(role_key)] if role_key is not None and self.has_role(role_key) else []
        if not roles:
            roles = list(self.roles)
        for role in roles:
            for w in role.aliases:
                if normalize_word(w) not in seen:
                    seen.add(normalize_word(w))
                    words.append(w)
        # A rep is offered their own scorecard's words, not another role's KPIs.
        on_card = set(roles[0].scorecard) if len(roles) == 1 else {k.key for k in self.kpis}
        for kpi in self.kpis:
            if kpi.key not in on_card:
                continue
            for w in kpi.aliases:
                if normalize_word(w) not in seen:
                    seen.add(normalize_word(w))
                    words.append(w)
        return words

    def suggest(
        self, word: str, role_key: str | None = None, n: int = 3, cutoff: float = 0.6
    ) -> list[str]:
        """Close matches for a mistyped word, at most one word per KPI, best first."""
        if not isinstance(word, str):
            return []
        w = normalize_word(word)
        if not w or len(w) > 64:
            return []
        words = self.all_words(role_key)
        by_norm: dict[str, str] = {}
        for candidate in words:
            by_norm.setdefault(normalize_word(candidate), candidate)
        matches = difflib.get_close_matches(w, list(by_norm), n=len(by_norm), cutoff=cutoff)
        out: list[str] = []
        kpis_seen: set[str] = set()
        for m in matches:
            kpis = self.resolve_word(m, role_key)
            ident = ",".join(sorted(k.key for k in kpis)) or m
            if ident in kpis_seen:
                continue
            kpis_seen.add(ident)
            out.append(by_norm[m])
            if len(out) >= n:
                break
        return out

    def cascade(self) -> list[tuple[Stage, Activity | None, list[Kpi]]]:
        """The journey in order: each stage with its activity and that activity's KPIs (a stage
        with several activities appears once per activity; one with none, once with None)."""
        out: list[tuple[Stage, Activity | None, list[Kpi]]] = []
        for stage in self.stages:
            acts = [a for a in self.activities if a.stage == stage.key]
            if not acts:
                out.append((stage, None, []))
            for act in acts:
                out.append((stage, act, [k for k in self.kpis if k.activity == act.key]))
        return out

    # -- plain data and edits -----------------------------------------------------------------

    def to_dict(self) -> dict:
        """Plain (JSON- and YAML-safe) data that load_process_dict() turns back into this."""
        kpis = []
        for k in self.kpis:
            item: dict[str, Any] = {"key": k.key, "name": k.name, "kind": k.kind}
            if k.activity is not None:
                item["activity"] = k.activity
            if k.declared_aliases:
                declared = list(k.declared_aliases)
            else:
                declared = [a for a in k.aliases if a not in (k.key, _display_word(k.name))]
            item["aliases"] = declared
            if k.recorded_by is not None:
                item["recorded_by"] = k.recorded_by
            if k.description:
                item["description"] = k.description
            kpis.append(item)
        return {
            "name": self.name,
            "timezone": self.timezone,
            "working_days": [WEEKDAY_NAMES[d] for d in sorted(self.calendar.working_days)],
            "working_hours": {
                "start": self.calendar.day_start.strftime("%H:%M"),
                "end": self.calendar.day_end.strftime("%H:%M"),
            },
            "scorecard_visibility": self.visibility,
            "pace_thresholds": {
                "on_pace": float(self.thresholds.on_pace),
                "at_risk": float(self.thresholds.at_risk),
            },
            "limits": {"max_count": self.max_count, "backdate_days": self.backdate_days},
            "journey": [{"key": s.key, "name": s.name} for s in self.stages],
            "activities": [
                {"key": a.key, "name": a.name, "stage": a.stage} for a in self.activities
            ],
            "kpis": kpis,
            "roles": [
                {
                    "key": r.key,
                    "name": r.name,
                    "scorecard": list(r.scorecard),
                    "aliases": dict(r.aliases),
                    "goals": {k: str(g) for k, g in r.goals.items()},
                }
                for r in self.roles
            ],
            "overrides": {
                user: {k: str(g) for k, g in goals.items()}
                for user, goals in self.overrides.items()
            },
            "rituals": self.rituals.to_dict(),
        }

    def with_goal(self, target: str, kpi_key: str, goal: Goal | str | Mapping | None) -> Process:
        """A new Process with one goal changed.

        ``target`` is a role key (the role's goal) or a Slack user ID / mention (that rep's own
        goal, an override). ``goal`` is a Goal or anything parse_goal() reads; None removes it.
        ``kpi_key`` may be any word that names the KPI. Raises ProcessError.
        """
        if goal is not None and not isinstance(goal, Goal):
            try:
                goal = parse_goal(goal)
            except ValueError as exc:
                raise ProcessError(
                    [Problem("goal", str(exc), "write it like '60/day', '8/week' or '6/month'")]
                ) from None
        if not isinstance(target, str) or not target.strip():
            raise ProcessError(
                [
                    Problem(
                        "target",
                        f"{_q(target)} is not a role or a Slack user",
                        f"name a role ({_one_of(r.key for r in self.roles)}) or a user ID like U0123ABCD",
                    )
                ]
            )
        raw = target.strip()
        mention = _MENTION_RE.match(raw)
        user = mention.group(1) if mention else raw
        data = self.to_dict()
        if self.has_role(raw):
            role = self.role(raw)
            key = self._kpi_key_for(kpi_key, role.key)
            entry = next(r for r in data["roles"] if r["key"] == role.key)
            if goal is None:
                entry["goals"].pop(key, None)
            else:
                entry["goals"][key] = str(goal)
        elif SLACK_ID_RE.match(user):
            key = self._kpi_key_for(kpi_key, None)
            mine = data["overrides"].setdefault(user, {})
            if goal is None:
                mine.pop(key, None)
                if not mine:
                    del data["overrides"][user]
            else:
                mine[key] = str(goal)
        else:
            raise ProcessError(
                [
                    Problem(
                        "target",
                        f"{_q(raw)} is neither a role nor a Slack user ID",
                        f"name a role ({_one_of(r.key for r in self.roles)}) or a user like U0123ABCD"
                        + _did_you_mean(raw, [r.key for r in self.roles]),
                    )
                ]
            )
        return load_process_dict(data)

    def _kpi_key_for(self, word: str, role_key: str | None) -> str:
        if not isinstance(word, str):
            return str(word)
        if self.has_kpi(word):
            return self.kpi(word).key
        found = self.resolve_word(word, role_key)
        if len(found) == 1:
            return found[0].key
        # Let validation report it with the usual suggestions.
        return word.strip().lower()

    _SETTINGS = {
        "name": "name",
        "timezone": "timezone",
        "working_days": "working_days",
        "working_hours": "working_hours",
        "visibility": "scorecard_visibility",
        "scorecard_visibility": "scorecard_visibility",
        "thresholds": "pace_thresholds",
        "pace_thresholds": "pace_thresholds",
        "limits": "limits",
        "max_count": ("limits", "max_count"),
        "backdate_days": ("limits", "backdate_days"),
        "on_pace": ("pace_thresholds", "on_pace"),
        "at_risk": ("pace_thresholds", "at_risk"),
        "rituals": "rituals",
    }

    def with_settings(self, **changes: Any) -> Process:
        """A new Process with settings changed: ``timezone``, ``working_days``,
        ``working_hours``, ``visibility``, ``pace_thresholds``, ``limits`` (or ``max_count``,
        ``backdate_days``, ``on_pace``, ``at_risk``), ``name``, ``rituals`` (the whole section;
        see with_ritual() for one ritual). Re-validated; raises ProcessError."""
        data = self.to_dict()
        problems = []
        for setting, value in changes.items():
            where = self._SETTINGS.get(setting)
            if where is None:
                problems.append(
                    Problem(
                        setting,
                        "is not a setting",
                        f"use one of {_one_of(self._SETTINGS)}"
                        + _did_you_mean(setting, self._SETTINGS),
                    )
                )
            elif isinstance(where, tuple):
                section, item = where
                data[section] = {**data[section], item: value}
            else:
                data[where] = value
        if problems:
            raise ProcessError(problems)
        return load_process_dict(data)

    def with_ritual(self, kind: str, value: object) -> Process:
        """A new Process with one ritual changed, for commands like `/pacer ritual daily 17:00`,
        `/pacer ritual weekly fri 16:00` or `/pacer ritual nudges off`.

        ``kind`` is daily, weekly, monthly, leaderboards or nudges (also leaderboard, nudge).
        ``value`` is anything the `rituals:` section accepts for it: "off" (or False), "on" (or
        True: the default time), a time ("17:00", "5:30pm", a datetime.time), a mapping
        ({at: "17:00"}, {day: fri, at: "16:00"}, {enabled: false}); for weekly also "fri" or
        "fri 16:00" (a time alone keeps the current day); for leaderboards the whole list, of
        {at, kpis} mappings or "12:00 calls conversations" strings. Re-validated; raises
        ProcessError, with problems under rituals.<kind>."""
        name = _ritual_name(kind)
        if name is None:
            raise ProcessError(
                [
                    Problem(
                        "ritual",
                        f"{_q(kind)} is not a ritual",
                        f"use one of {', '.join(RITUALS)}" + _did_you_mean(kind, RITUALS),
                    )
                ]
            )
        data = self.to_dict()
        current = data["rituals"].get(name)
        # A time alone keeps the rest: the weekly day, the lag check's threshold, …
        keeps_rest = name in ("weekly", "coaching", "lag_check") and isinstance(current, dict)
        if keeps_rest and isinstance(value, str) and _parse_clock(value):
            value = {**current, "at": value}
        data["rituals"] = {**data["rituals"], name: value}
        return load_process_dict(data)


# --------------------------------------------------------------------------------------------
# YAML reading: YAML 1.2-style scalars, so `17:00` stays text (YAML 1.1 reads it as 1020),
# `no`/`on` stay words and dates stay text; duplicate keys in a mapping are reported, not
# silently collapsed to the last one.

_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[Problem] = []

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], int] = {}
            for key_node, _ in node.value:
                if (
                    not isinstance(key_node, yaml.ScalarNode)
                    or key_node.tag == "tag:yaml.org,2002:merge"
                ):
                    continue
                ident = (key_node.tag, key_node.value)
                line = key_node.start_mark.line + 1
                if ident in seen:
                    self.duplicates.append(
                        Problem(
                            f"line {line}",
                            f"{key_node.value!r} appears twice in the same mapping (first on line {seen[ident]})",
                            "keep one of them; YAML would silently use only the last one",
                        )
                    )
                else:
                    seen[ident] = line
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in (_BOOL_TAG, _INT_TAG, _FLOAT_TAG, _TIMESTAMP_TAG)
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    _INT_TAG, re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*))$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    _FLOAT_TAG,
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?"
        r"|\.[0-9_]+(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)"
        r"|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _parse_yaml(text: str) -> tuple[object, list[Problem]]:
    loader = _Loader(text)
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


def load_process_text(text: str, *, source: str | None = None) -> Process:
    """Parse and validate a process from YAML text. Raises ProcessError, never anything else."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ProcessError(
                [Problem("(file)", "is not UTF-8 text", "save the file as UTF-8")], source
            ) from None
    if not isinstance(text, str):
        raise ProcessError(
            [
                Problem(
                    "(file)", f"expected YAML text, got {_kind_of(text)}", "pass the file's text"
                )
            ],
            source,
        )
    try:
        data, duplicates = _parse_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        what = exc.problem or exc.context or "invalid YAML"
        raise ProcessError(
            [Problem(where, f"YAML syntax error: {what}", _YAML_FIX)], source
        ) from None
    except yaml.YAMLError as exc:
        raise ProcessError([Problem("(file)", f"YAML error: {exc}", _YAML_FIX)], source) from None
    except RecursionError:
        raise ProcessError(
            [Problem("(file)", "the YAML is nested too deeply", _YAML_FIX)], source
        ) from None
    except Exception as exc:  # e.g. a value an explicit !!tag can't build
        raise ProcessError(
            [Problem("(file)", f"unreadable YAML: {_q(str(exc))}", _YAML_FIX)], source
        ) from None
    if data is None:
        raise ProcessError(
            [
                Problem(
                    "(file)", "the process file is empty", "start from rituals/default_process.yml"
                )
            ],
            source,
        )
    return _load(data, duplicates, source)


_YAML_FIX = (
    "check the indentation and quoting near that line: indent with spaces, and put text that "
    "contains ': ', '#' or starts with a symbol in quotes"
)


def load_process_dict(data: object, *, source: str | None = None) -> Process:
    """Validate plain data (as from YAML or JSON) into a Process. Raises ProcessError only."""
    return _load(data, [], source)


def load_process_file(path: str | Path) -> Process:
    """Read and validate a process file; every problem names the file."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ProcessError(
            [Problem("(file)", f"there is no file {name!r}", "check the path")], name
        ) from None
    except IsADirectoryError:
        raise ProcessError(
            [Problem("(file)", f"{name!r} is a directory", "give the path of the YAML file")], name
        ) from None
    except OSError as exc:
        raise ProcessError(
            [
                Problem(
                    "(file)",
                    f"can't read {name!r}: {exc.strerror or exc}",
                    "check the path and its permissions",
                )
            ],
            name,
        ) from None
    return load_process_text(raw, source=name)


def _load(data: object, early: list[Problem], source: str | None) -> Process:
    checker = _Checker()
    checker.problems.extend(early)
    try:
        process = checker.check(data)
    except ProcessError:
        raise
    except RecursionError:
        checker.problems.append(
            Problem("(file)", "the data is nested too deeply", "simplify the file")
        )
        process = None
    except Exception as exc:  # a bug in the checker must not escape as something else
        checker.problems.append(
            Problem(
                "(file)",
                f"internal error while checking the process: {exc!r}",
                "report this to the Pacer maintainers",
            )
        )
        process = None
    if checker.problems or process is None:
        raise ProcessError(checker.problems or [Problem("(file)", "invalid process", "")], source)
    return process


@functools.cache
def _all_timezones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


@functools.cache
def _timezones_by_lower() -> dict[str, str]:
    return {name.lower(): name for name in _all_timezones()}


# --------------------------------------------------------------------------------------------
# Validation


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        # Every well-formed, unique key per section, valid or not otherwise: references to a
        # defined-but-broken item are not reported again as "unknown".
        self.defined: dict[str, list[str]] = {}

    def add(self, path: str, message: str, fix: str) -> None:
        self.problems.append(Problem(path, message, fix))

    # -- small readers ----------------------------------------------------------------------

    def text(
        self, value: object, path: str, *, what: str, max_len: int, required: bool = True
    ) -> str | None:
        if value is None:
            if required:
                self.add(path, f"{what} is missing", f"write {what}")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(path, f"{what} must be text, got {_kind_of(value)}", f"write {what} as text")
            return None
        text = " ".join(str(value).split())
        if not text:
            if required:
                self.add(path, f"{what} is empty", f"write {what}")
            return None
        if "<" in text or ">" in text:
            # Slack reads <...> as a mention or a link: a name must never be able to ping anyone.
            self.add(path, f"{what} contains < or >", f"write {what} without angle brackets")
            return None
        if len(text) > max_len:
            self.add(
                path,
                f"{what} is {len(text)} characters long",
                f"keep it to {max_len} characters (Slack shows it in tight places)",
            )
            return None
        return text

    def key(self, value: object, path: str, *, what: str) -> str | None:
        if value is None:
            self.add(
                path,
                f"the {what} key is missing",
                "give it a key: lowercase letters, digits and _, e.g. 'calls'",
            )
            return None
        if not isinstance(value, str) or isinstance(value, bool):
            self.add(
                path,
                f"the {what} key must be text, got {_kind_of(value)}",
                "use lowercase letters, digits and _, starting with a letter",
            )
            return None
        if len(value) > MAX_KEY_LEN:
            self.add(
                path,
                f"the {what} key is {len(value)} characters long",
                f"keep keys to {MAX_KEY_LEN} characters",
            )
            return None
        if not KEY_RE.match(value):
            better = re.sub(r"[^a-z0-9_]+", "_", value.strip().lower()).strip("_")
            if better and not better[0].isalpha():
                better = "k_" + better
            hint = f" (e.g. '{better}')" if better and KEY_RE.match(better) else ""
            self.add(
                path,
                f"the {what} key {_q(value)} is not a valid key",
                f"use lowercase letters, digits and _, starting with a letter{hint}",
            )
            return None
        return value

    def mapping(self, value: object, path: str, *, what: str, example: str) -> Mapping | None:
        if not isinstance(value, Mapping):
            self.add(
                path, f"{what} must be a mapping, got {_kind_of(value)}", f"write it like {example}"
            )
            return None
        return value

    def unknown_fields(self, item: Mapping, allowed: tuple[str, ...], path: str) -> None:
        for k in item:
            if k not in allowed:
                self.add(
                    f"{path}.{k}" if isinstance(k, str) else path,
                    f"unknown field {_q(k)}",
                    f"remove it; the fields here are {', '.join(allowed)}"
                    + _did_you_mean(k, allowed),
                )

    def ref(self, value: object) -> str | None:
        """A reference to a key, matched case-insensitively."""
        if isinstance(value, str) and not isinstance(value, bool):
            return value.strip().lower()
        return None

    # -- the whole file ---------------------------------------------------------------------

    def check(self, data: object) -> Process | None:
        if not isinstance(data, Mapping):
            self.add(
                "(top level)",
                f"a process must be a mapping of sections (name:, journey:, kpis:, ...), got {_kind_of(data)}",
                "start from rituals/default_process.yml and edit it",
            )
            return None
        for k in data:
            if k not in SECTIONS:
                hint = _SECTION_HINTS.get(k) if isinstance(k, str) else None
                mean = f" (did you mean '{hint}'?)" if hint else _did_you_mean(k, SECTIONS)
                self.add(
                    str(k) if isinstance(k, str) else "(top level)",
                    f"unknown section {_q(k)}",
                    f"remove it or rename it; the sections are {', '.join(SECTIONS)}{mean}",
                )
        for section in REQUIRED_SECTIONS:
            if section not in data or data[section] is None:
                self.add(section, "required section is missing", _MISSING_FIX[section])

        name = None
        if data.get("name") is not None:
            name = self.text(
                data["name"], "name", what="the process name", max_len=MAX_PROCESS_NAME_LEN
            )
        timezone, tz = self.timezone(data.get("timezone", DEFAULTS["timezone"]))
        days = self.working_days(data.get("working_days", DEFAULTS["working_days"]))
        hours = self.working_hours(data.get("working_hours", DEFAULTS["working_hours"]))
        visibility = self.visibility(
            data.get("scorecard_visibility", DEFAULTS["scorecard_visibility"])
        )
        thresholds = self.thresholds(data.get("pace_thresholds", DEFAULTS["pace_thresholds"]))
        limits = self.limits(data.get("limits", DEFAULTS["limits"]))

        stages = self.stages(data.get("journey"))
        stage_keys = self.defined.get("journey", [])
        activities = self.activities(data.get("activities"), stage_keys)
        activity_keys = self.defined.get("activities", [])
        role_keys = self.peek_role_keys(data.get("roles"))
        kpis = self.kpis(data.get("kpis"), activity_keys, role_keys)
        kpi_keys = self.defined.get("kpis", [])
        words = {normalize_word(k): k for k in kpi_keys}
        words.update({normalize_word(w): k.key for k in kpis for w in k.aliases})
        roles = self.roles(data.get("roles"), kpis, kpi_keys, words)
        overrides = self.overrides(data.get("overrides"), kpi_keys, words)
        rituals = self.rituals(
            data.get("rituals"), kpi_keys, words, _default_leaderboards(roles, kpis)
        )

        calendar = None
        if tz is not None and days is not None and hours is not None:
            try:
                calendar = WorkCalendar(
                    tz=tz, working_days=days, day_start=hours[0], day_end=hours[1]
                )
            except Exception as exc:
                self.add(
                    "working_hours",
                    f"can't build the work calendar: {exc}",
                    "check working_days and working_hours",
                )

        if self.problems:
            return None
        assert name is not None and timezone is not None and visibility is not None
        assert thresholds is not None and limits is not None and calendar is not None
        assert isinstance(rituals, RitualSchedule)
        self.advise(stages, activities, kpis, roles)
        self.advise_rituals(rituals, calendar)
        return Process(
            name=name,
            stages=tuple(stages),
            activities=tuple(activities),
            kpis=tuple(kpis),
            roles=tuple(roles),
            overrides=MappingProxyType(overrides),
            calendar=calendar,
            timezone=timezone,
            visibility=visibility,
            thresholds=thresholds,
            max_count=limits[0],
            backdate_days=limits[1],
            rituals=rituals,
            warnings=tuple(self.warnings),
        )

    # -- settings ---------------------------------------------------------------------------

    def timezone(self, value: object) -> tuple[str | None, ZoneInfo | None]:
        fix = "use an IANA timezone name such as America/New_York, Europe/London or UTC"
        if not isinstance(value, str) or not value.strip():
            self.add(
                "timezone",
                f"the timezone must be a name like America/New_York, got {_kind_of(value)}",
                fix,
            )
            return None, None
        name = value.strip()
        canonical = _timezones_by_lower().get(name.lower()) or (name if name == "UTC" else None)
        if canonical is None:
            guess = _did_you_mean(name, _all_timezones(), n=3)
            if not guess and "/" in name:
                guess = _did_you_mean(
                    name.rsplit("/", 1)[-1], [t.rsplit("/", 1)[-1] for t in _all_timezones()]
                )
                if guess:
                    city = guess[len(" (did you mean '") : -len("'?)")]
                    full = [t for t in _all_timezones() if t.endswith("/" + city)]
                    guess = " (did you mean " + " or ".join(f"'{t}'" for t in full[:3]) + "?)"
            self.add("timezone", f"unknown timezone {_q(name)}", fix + guess)
            return None, None
        try:
            return canonical, ZoneInfo(canonical)
        except Exception:
            self.add("timezone", f"timezone {_q(name)} can't be loaded", fix)
            return None, None

    def working_days(self, value: object) -> frozenset[int] | None:
        fix = "list weekdays like [mon, tue, wed, thu, fri] (or write 'mon-fri')"
        items: list[object]
        if isinstance(value, str):
            items = [p for p in re.split(r"[,\s]+", value) if p]
        elif isinstance(value, list | tuple):
            items = list(value)
        else:
            self.add(
                "working_days",
                f"working_days must be a list of weekdays, got {_kind_of(value)}",
                fix,
            )
            return None
        days: set[int] = set()
        ok = True
        for i, item in enumerate(items):
            parsed = _parse_day_range(item)
            if parsed is None:
                self.add(
                    f"working_days[{i}]",
                    f"{_q(item)} is not a weekday",
                    fix + _did_you_mean(item, WEEKDAY_NAMES),
                )
                ok = False
            else:
                days |= parsed
        if ok and not days:
            self.add("working_days", "no working days", fix)
            ok = False
        return frozenset(days) if ok else None

    def working_hours(self, value: object) -> tuple[time, time] | None:
        fix = 'write it like {start: "09:00", end: "17:00"} (24-hour clock)'
        if isinstance(value, str) and re.fullmatch(r"\s*\S+\s*[-–]\s*\S+\s*", value):
            start_raw, end_raw = re.split(r"\s*[-–]\s*", value.strip(), maxsplit=1)
            value = {"start": start_raw, "end": end_raw}
        hours = self.mapping(value, "working_hours", what="working_hours", example=fix[14:])
        if hours is None:
            return None
        self.unknown_fields(hours, ("start", "end"), "working_hours")
        times: list[time | None] = []
        for part in ("start", "end"):
            raw = hours.get(part)
            parsed: time | None = None
            if isinstance(raw, time):
                parsed = time(raw.hour, raw.minute)
            elif isinstance(raw, str):
                try:
                    parsed = parse_hhmm(raw)
                except ValueError:
                    parsed = None
            if parsed is None:
                what = "is missing" if raw is None else f"{_q(raw)} is not a time"
                self.add(
                    f"working_hours.{part}",
                    f"the {part} time {what}",
                    'use 24-hour HH:MM in quotes, e.g. "09:00" or "17:30"',
                )
            times.append(parsed)
        start, end = times
        if start is None or end is None:
            return None
        if end <= start:
            self.add(
                "working_hours.end",
                f"the working day ends ({end:%H:%M}) before or when it starts ({start:%H:%M})",
                "make end later than start on the same day, e.g. start 09:00 and end 17:00",
            )
            return None
        return start, end

    def visibility(self, value: object) -> str | None:
        v = value.strip().lower() if isinstance(value, str) else None
        if v not in VISIBILITIES:
            self.add(
                "scorecard_visibility",
                f"{_q(value)} is not a visibility",
                "use 'public' (everyone sees every scorecard, as the method recommends) or 'managers' (reps see only their own)"
                + _did_you_mean(value, VISIBILITIES),
            )
            return None
        return v

    def thresholds(self, value: object) -> Thresholds | None:
        fix = "write it like {on_pace: 1.0, at_risk: 0.8}: on pace at 100% of expected, at risk from 80%"
        th = self.mapping(
            value, "pace_thresholds", what="pace_thresholds", example="{on_pace: 1.0, at_risk: 0.8}"
        )
        if th is None:
            return None
        self.unknown_fields(th, ("on_pace", "at_risk"), "pace_thresholds")
        values: dict[str, float] = {}
        for part, default in (("on_pace", 1.0), ("at_risk", 0.8)):
            raw = th.get(part, default)
            number = _ratio(raw)
            if number is None or not (0 < number <= 10):
                self.add(f"pace_thresholds.{part}", f"{_q(raw)} is not a share above 0", fix)
            else:
                values[part] = number
        if len(values) < 2:
            return None
        if values["at_risk"] > values["on_pace"]:
            self.add(
                "pace_thresholds.at_risk",
                f"at_risk ({values['at_risk']:g}) is above on_pace ({values['on_pace']:g})",
                "at_risk must be at most on_pace, e.g. on_pace 1.0 and at_risk 0.8",
            )
            return None
        try:
            return Thresholds(on_pace=values["on_pace"], at_risk=values["at_risk"])
        except Exception as exc:
            self.add("pace_thresholds", f"invalid thresholds: {exc}", fix)
            return None

    def limits(self, value: object) -> tuple[int, int] | None:
        lim = self.mapping(
            value, "limits", what="limits", example="{max_count: 500, backdate_days: 14}"
        )
        if lim is None:
            return None
        self.unknown_fields(lim, ("max_count", "backdate_days"), "limits")
        out: list[int] = []
        for part, low, high, fix in (
            (
                "max_count",
                1,
                1_000_000,
                "a whole number of 1 or more, e.g. 500: the largest count one log may record",
            ),
            (
                "backdate_days",
                0,
                3660,
                "a whole number of days, 0 or more, e.g. 14: how far back a rep may log",
            ),
        ):
            raw = lim.get(part, DEFAULTS["limits"][part])
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
                self.add(
                    f"limits.{part}",
                    f"{_q(raw)} is not a valid {part}",
                    f"use {fix} (at most {high:,})",
                )
            else:
                out.append(raw)
        return (out[0], out[1]) if len(out) == 2 else None

    # -- rituals ----------------------------------------------------------------------------

    def rituals(
        self,
        value: object,
        kpi_keys: list[str],
        words: dict[str, str],
        default_leaderboards: tuple[LeaderboardSlot, ...],
    ) -> RitualSchedule | None:
        if value is None or _is_on(value):
            value = {}
        if _is_off(value):
            return RitualSchedule.off()
        if not isinstance(value, Mapping):
            self.add(
                "rituals",
                f"rituals must be a mapping of ritual: schedule, got {_kind_of(value)}",
                'write it like {daily: {at: "17:30"}, nudges: off} (see rituals/default_process.yml), or leave it out for the defaults',
            )
            return None
        for k in value:
            if k not in RITUALS:
                hint = _RITUAL_HINTS.get(k) if isinstance(k, str) else None
                mean = f" (did you mean '{hint}'?)" if hint else _did_you_mean(k, RITUALS)
                self.add(
                    f"rituals.{k}" if isinstance(k, str) else "rituals",
                    f"unknown ritual {_q(k)}",
                    f"remove it or rename it; the rituals are {', '.join(RITUALS)}{mean}",
                )
        daily = self.ritual(value.get("daily"), "daily")
        weekly = self.ritual(value.get("weekly"), "weekly")
        monthly = self.ritual(value.get("monthly"), "monthly")
        nudges = self.ritual(value.get("nudges"), "nudges")
        boards = self.leaderboards(value.get("leaderboards"), kpi_keys, words, default_leaderboards)
        standings = self.standings(value.get("standings"))
        lag = self.lag_check(value.get("lag_check"))
        coaching = self.coaching(value.get("coaching"))
        parts = (daily, weekly, monthly, nudges, boards, standings, lag, coaching)
        if any(part is None for part in parts):
            return None
        return RitualSchedule(
            daily=daily[0],
            weekly=weekly[0],
            monthly=monthly[0],
            leaderboards=boards,
            nudges=nudges[0],
            weekly_day=weekly[1] if weekly[0] is not None else DEFAULT_WEEKLY_DAY,
            standings=standings,
            **lag,
            **coaching,
        )

    def standings(self, raw: object) -> tuple[time, ...] | None:
        """Contest standings times: {at: ["11:30", "15:30"]}, "11:30 15:30", a list, or off."""
        path = "rituals.standings"
        fix = 'write it like {at: ["11:30", "15:30"]} (24-hour, quoted), or \'off\''
        if isinstance(raw, Mapping):
            self.unknown_fields(raw, ("at", "enabled"), path)
            enabled = self.enabled(raw.get("enabled", True), f"{path}.enabled", "the standings")
            if enabled is None or any(k not in ("at", "enabled") for k in raw):
                return None
            if not enabled:
                return ()
            raw = raw.get("at")
        if raw is None or _is_on(raw):
            return DEFAULT_STANDINGS_TIMES
        if _is_off(raw):
            return ()
        if isinstance(raw, str):
            raw = [w for w in re.split(r"[,;\s]+", raw.strip()) if w]
        if isinstance(raw, time):
            raw = [raw]
        if not isinstance(raw, list | tuple) or not raw:
            self.add(path, f"standings must be a list of times, got {_kind_of(raw)}", fix)
            return None
        times = [self.clock(t, f"{path}.at", "the contest standings") for t in raw]
        if any(t is None for t in times):
            return None
        if len(times) > MAX_LEADERBOARDS:
            self.add(
                path, f"{len(times)} standings a day is too many", f"keep it to {MAX_LEADERBOARDS}"
            )
            return None
        return tuple(sorted(set(times)))

    def lag_check(self, raw: object) -> dict[str, Any] | None:
        """{at, threshold, min_elapsed, auto_launch} as RitualSchedule fields; None if invalid."""
        path = "rituals.lag_check"
        default = {
            "lag_check": RITUAL_DEFAULT_TIMES["lag_check"],
            "lag_threshold": DEFAULT_LAG_THRESHOLD,
            "lag_min_elapsed": DEFAULT_LAG_MIN_ELAPSED,
            "auto_launch": False,
        }
        if not isinstance(raw, Mapping):
            found = self.ritual(raw, "lag_check")
            return None if found is None else {**default, "lag_check": found[0]}
        allowed = ("at", "threshold", "min_elapsed", "auto_launch", "enabled")
        self.unknown_fields(raw, allowed, path)
        ok = all(k in allowed for k in raw)
        found = self.ritual({k: v for k, v in raw.items() if k in ("at", "enabled")}, "lag_check")
        out = dict(default)
        for key, field_name, example in (
            ("threshold", "lag_threshold", "80%"),
            ("min_elapsed", "lag_min_elapsed", "25%"),
        ):
            if key not in raw:
                continue
            share = _ratio(raw[key])
            if share is None or not 0 < share <= 1:
                self.add(
                    f"{path}.{key}",
                    f"{_q(raw[key])} is not a share between 0 and 100%",
                    f"write it like {key}: {example}",
                )
                ok = False
            else:
                out[field_name] = share
        auto = self.enabled(raw.get("auto_launch", False), f"{path}.auto_launch", "auto launch")
        if found is None or auto is None or not ok:
            return None
        return {**out, "lag_check": found[0], "auto_launch": auto}

    def coaching(self, raw: object) -> dict[str, Any] | None:
        """{day, at, every_days} as RitualSchedule fields; None if invalid."""
        path = "rituals.coaching"
        every = DEFAULT_COACHING_EVERY_DAYS
        if isinstance(raw, Mapping) and "every_days" in raw:
            value = raw["every_days"]
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
                self.add(
                    f"{path}.every_days",
                    f"{_q(value)} is not a number of days",
                    "write it like every_days: 14 (1 to 365): a rep without a session this long is due one",
                )
                return None
            every = value
            raw = {k: v for k, v in raw.items() if k != "every_days"}
        found = self.ritual(raw, "coaching")
        if found is None:
            return None
        at, day = found
        return {
            "coaching": at,
            "coaching_day": day if at is not None else DEFAULT_WEEKLY_DAY,
            "coaching_every_days": every,
        }

    def ritual(self, raw: object, name: str) -> tuple[time | None, int] | None:
        """(time or None when off, weekday) for one ritual; None when it is invalid."""
        path = f"rituals.{name}"
        default = RITUAL_DEFAULT_TIMES[name]
        weekly = name in ("weekly", "coaching")
        what = _RITUAL_WHAT[name]
        example = f'{{day: mon, at: "{default:%H:%M}"}}' if weekly else f'{{at: "{default:%H:%M}"}}'
        fix = f"write it like {example} (24-hour clock, quoted), or 'off' to turn {what} off"
        if raw is None or _is_on(raw):
            return default, DEFAULT_WEEKLY_DAY
        if _is_off(raw):
            return None, DEFAULT_WEEKLY_DAY
        if isinstance(raw, time):
            return time(raw.hour, raw.minute), DEFAULT_WEEKLY_DAY
        if isinstance(raw, str):
            text = raw.strip()
            day = DEFAULT_WEEKLY_DAY
            if weekly:
                head, _, rest = text.partition(" ")
                index = _day_index(head.strip(",").lower())
                if index is not None:
                    day, text = index, rest.strip()
                    if text.lower().startswith("at "):
                        text = text[3:].strip()
                    if not text:
                        return default, day
            at = _parse_clock(text)
            if at is None:
                self.add(path, f"{_q(raw)} is not a time", _hour_hint(raw) or fix)
                return None
            return at, day
        if not isinstance(raw, Mapping):
            self.add(
                path,
                f"{what} must be a time or a mapping, got {_kind_of(raw)}",
                _hour_hint(raw) or fix,
            )
            return None
        allowed = ("day", "at", "enabled") if weekly else ("at", "enabled")
        self.unknown_fields(raw, allowed, path)
        ok = all(k in allowed for k in raw)
        at: time | None = default
        if raw.get("at") is not None:
            at = self.clock(raw.get("at"), f"{path}.at", what)
            ok = ok and at is not None
        day = DEFAULT_WEEKLY_DAY
        if weekly and raw.get("day") is not None:
            found = self.weekday(raw.get("day"), f"{path}.day")
            ok = ok and found is not None
            day = found if found is not None else day
        enabled = self.enabled(raw.get("enabled", True), f"{path}.enabled", what)
        if not ok or enabled is None:
            return None
        return (at, day) if enabled else (None, DEFAULT_WEEKLY_DAY)

    def clock(self, raw: object, path: str, what: str) -> time | None:
        at = _parse_clock(raw)
        if at is None:
            self.add(
                path,
                "the time is missing" if raw is None else f"{_q(raw)} is not a time",
                _hour_hint(raw)
                or f'say when {what} is posted: 24-hour HH:MM in quotes, e.g. "17:30" (or "5:30pm")',
            )
        return at

    def weekday(self, raw: object, path: str) -> int | None:
        index = _day_index(raw.strip().lower()) if isinstance(raw, str) else None
        if index is None:
            self.add(
                path,
                f"{_q(raw)} is not a day of the week",
                "use mon, tue, wed, thu, fri, sat or sun"
                + (_did_you_mean(raw, WEEKDAY_NAMES) or _did_you_mean(raw, _FULL_DAY_NAMES)),
            )
        return index

    def enabled(self, raw: object, path: str, what: str) -> bool | None:
        if isinstance(raw, bool):
            return raw
        if _is_on(raw):
            return True
        if _is_off(raw):
            return False
        self.add(
            path,
            f"enabled must be true or false, got {_q(raw)}",
            f"write 'enabled: false' to turn {what} off, or remove the line",
        )
        return None

    def leaderboards(
        self,
        raw: object,
        kpi_keys: list[str],
        words: dict[str, str],
        default: tuple[LeaderboardSlot, ...],
    ) -> tuple[LeaderboardSlot, ...] | None:
        path = "rituals.leaderboards"
        example = '- {at: "12:00", kpis: [calls, conversations]}'
        if isinstance(raw, Mapping) and list(raw) == ["enabled"]:  # {enabled: false}
            raw = self.enabled(raw["enabled"], f"{path}.enabled", "the leaderboards")
            if raw is None:
                return None
        if raw is None or _is_on(raw):
            return default
        if _is_off(raw):
            return ()
        if not isinstance(raw, list | tuple):
            self.add(
                path,
                f"leaderboards must be a list, got {_kind_of(raw)}",
                f"write one '{example}' line per leaderboard, or 'leaderboards: off'",
            )
            return None
        if len(raw) > MAX_LEADERBOARDS:
            self.add(
                path,
                f"{len(raw)} leaderboards a day is too many to read",
                f"keep it to {MAX_LEADERBOARDS}; one leaderboard can rank several KPIs",
            )
            return None
        slots: list[LeaderboardSlot] = []
        first: dict[time, int] = {}
        ok = True
        for i, item in enumerate(raw):
            where = f"{path}[{i}]"
            enabled: bool | None = True
            if isinstance(item, str):
                match = _BOARD_TEXT_RE.fullmatch(item.strip())
                if match is None or _parse_clock(match["at"]) is None:
                    self.add(
                        where,
                        f"can't read the leaderboard {_q(item)}",
                        f"write it like '{example[2:]}' or \"12:00 calls conversations\"",
                    )
                    ok = False
                    continue
                raw_at, raw_kpis = match["at"], match["kpis"]
            elif isinstance(item, Mapping):
                self.unknown_fields(item, ("at", "kpis", "enabled"), where)
                if any(k not in ("at", "kpis", "enabled") for k in item):
                    ok = False
                raw_at, raw_kpis = item.get("at"), item.get("kpis")
                enabled = self.enabled(item.get("enabled", True), f"{where}.enabled", "it")
            else:
                self.add(
                    where,
                    f"each leaderboard must be a mapping, got {_kind_of(item)} {_q(item)}",
                    f"write it like '{example}'",
                )
                ok = False
                continue
            at = self.clock(raw_at, f"{where}.at", "the leaderboard")
            kpis = self.board_kpis(raw_kpis, f"{where}.kpis", kpi_keys, words)
            if at is None or kpis is None or enabled is None:
                ok = False
                continue
            if not enabled:
                continue
            if at in first:
                other = next(s for s in slots if s.at == at)
                both = list(dict.fromkeys([*other.kpis, *kpis]))
                self.add(
                    f"{where}.at",
                    f"a second leaderboard at {at:%H:%M} (also {path}[{first[at]}])",
                    f'merge them into one, {{at: "{at:%H:%M}", kpis: [{", ".join(both)}]}}, or move one to another time',
                )
                ok = False
                continue
            first[at] = i
            slots.append(LeaderboardSlot(at, tuple(kpis)))
        return tuple(sorted(slots, key=lambda s: s.at)) if ok else None

    def board_kpis(
        self, raw: object, path: str, kpi_keys: list[str], words: dict[str, str]
    ) -> list[str] | None:
        fix = "list the KPIs to rank, e.g. kpis: [calls, conversations]"
        if isinstance(raw, str):
            raw = [w for w in re.split(r"[,\s]+", raw) if w]
        if raw is None or (isinstance(raw, list | tuple) and not raw):
            self.add(path, "the leaderboard names no KPI", fix)
            return None
        if not isinstance(raw, list | tuple):
            self.add(path, f"kpis must be a list of KPI keys, got {_kind_of(raw)}", fix)
            return None
        return self.kpi_list(raw, path, kpi_keys, words, "is listed twice")

    def advise_rituals(self, rituals: RitualSchedule, calendar: WorkCalendar) -> None:
        if rituals.weekly is not None and rituals.weekly_day not in calendar.working_days:
            day = _FULL_DAY_NAMES[rituals.weekly_day].capitalize()
            first = WEEKDAY_NAMES[min(calendar.working_days)]
            self.warnings.append(
                f"rituals.weekly: the weekly digest is posted on {day}, which is not a working "
                f"day; move it to a working day (e.g. 'day: {first}') unless that is intended."
            )

    # -- the cascade ------------------------------------------------------------------------

    def items(
        self, value: object, section: str, *, what: str, example: str
    ) -> list[tuple[int, Mapping]]:
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            self.add(
                section,
                f"{section} must be a list of {what}s, got {_kind_of(value)}",
                f"write one '- {example}' line per {what}",
            )
            return []
        if not value:
            self.add(section, f"{section} is empty", f"add at least one {what}, e.g. '- {example}'")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, Mapping):
                self.add(
                    f"{section}[{i}]",
                    f"each {what} must be a mapping, got {_kind_of(item)} {_q(item)}",
                    f"write it like '- {example}'",
                )
                continue
            out.append((i, item))
        return out

    def keyed(
        self, entries: list[tuple[int, Mapping]], section: str, what: str
    ) -> list[tuple[str, str, Mapping]]:
        """(key, path, item) for entries whose key is valid and not a duplicate."""
        out = []
        first: dict[str, int] = {}
        for i, item in entries:
            key = self.key(item.get("key"), f"{section}[{i}].key", what=what)
            if key is None:
                continue
            if key in first:
                self.add(
                    f"{section}[{i}].key",
                    f"duplicate {what} key '{key}' (also {section}[{first[key]}])",
                    f"give each {what} its own key, or merge the two",
                )
                continue
            first[key] = i
            out.append((key, f"{section}.{key}", item))
        self.defined[section] = list(first)
        return out

    def name(self, item: Mapping, key: str, path: str) -> str:
        if "name" not in item or item.get("name") is None:
            return key.replace("_", " ").capitalize()
        return (
            self.text(item.get("name"), f"{path}.name", what="the name", max_len=MAX_NAME_LEN)
            or key
        )

    def stages(self, value: object) -> list[Stage]:
        example = "{key: receives_call, name: Receives Call/Email}"
        entries = self.items(value, "journey", what="stage", example=example)
        out = []
        for key, path, item in self.keyed(entries, "journey", "stage"):
            self.unknown_fields(item, ("key", "name"), path)
            out.append(Stage(key, self.name(item, key, path)))
        return out

    def activities(self, value: object, stage_keys: list[str]) -> list[Activity]:
        example = "{key: call_lead, name: Call Lead, stage: receives_call}"
        entries = self.items(value, "activities", what="activity", example=example)
        out = []
        for key, path, item in self.keyed(entries, "activities", "activity"):
            self.unknown_fields(item, ("key", "name", "stage"), path)
            name = self.name(item, key, path)
            raw = item.get("stage")
            stage = self.ref(raw)
            if raw is None:
                self.add(
                    f"{path}.stage",
                    "the activity names no stage",
                    f"say which journey stage it moves a prospect to: one of {_one_of(stage_keys)}",
                )
                continue
            if stage not in stage_keys:
                if stage_keys:
                    self.add(
                        f"{path}.stage",
                        f"unknown stage {_q(raw)}",
                        f"use one of {_one_of(stage_keys)}" + _did_you_mean(raw, stage_keys),
                    )
                continue
            out.append(Activity(key, name, stage))
        return out

    def peek_role_keys(self, value: object) -> list[str]:
        if not isinstance(value, list | tuple):
            return []
        return [
            item["key"]
            for item in value
            if isinstance(item, Mapping)
            and isinstance(item.get("key"), str)
            and KEY_RE.match(item["key"])
        ]

    def aliases(self, value: object, path: str) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            self.add(
                path,
                f"aliases must be a list of words, got {_kind_of(value)}",
                "write them like [call, calls, dial]",
            )
            return []
        out: list[str] = []
        for i, raw in enumerate(value):
            word = self.word(raw, f"{path}[{i}]")
            if word is not None and word not in out:
                out.append(word)
        return out

    def word(self, raw: object, path: str) -> str | None:
        fix = "use a word or short phrase reps would type, e.g. 'dials' or 'roi discussion'"
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            self.add(path, f"an alias must be a word, got {_kind_of(raw)}", fix)
            return None
        word = _display_word(str(raw))
        if not word:
            self.add(path, "an alias is empty", fix)
            return None
        if len(word) > MAX_ALIAS_LEN:
            self.add(
                path,
                f"the alias {_q(word)} is {len(word)} characters long",
                f"keep aliases to {MAX_ALIAS_LEN} characters",
            )
            return None
        if not any(c.isalpha() for c in word):
            self.add(
                path,
                f"the alias {_q(word)} has no letters",
                "an alias can't be a number or symbols alone: reps type counts next to it, e.g. '/log call 12'",
            )
            return None
        if any(c in "<>@*`|" for c in word):
            self.add(path, f"the alias {_q(word)} contains one of < > @ * ` |", fix)
            return None
        return word

    def kpis(self, value: object, activity_keys: list[str], role_keys: list[str]) -> list[Kpi]:
        example = (
            "{key: calls, name: Calls, kind: leading, activity: call_lead, aliases: [call, dial]}"
        )
        entries = self.items(value, "kpis", what="KPI", example=example)
        drafts = []
        for key, path, item in self.keyed(entries, "kpis", "KPI"):
            self.unknown_fields(
                item,
                ("key", "name", "kind", "activity", "aliases", "recorded_by", "description"),
                path,
            )
            name = self.name(item, key, path)
            raw_kind = item.get("kind")
            kind = self.ref(raw_kind)
            if kind not in KINDS:
                self.add(
                    f"{path}.kind",
                    "the KPI has no kind"
                    if raw_kind is None
                    else f"kind {_q(raw_kind)} is not leading or lagging",
                    "use 'leading' (an activity the rep controls now, e.g. calls) or 'lagging' (a result, e.g. deals closed)"
                    + _did_you_mean(raw_kind, KINDS),
                )
            raw_activity = item.get("activity")
            activity = self.ref(raw_activity)
            if raw_activity is not None and activity not in activity_keys:
                self.add(
                    f"{path}.activity",
                    f"unknown activity {_q(raw_activity)}",
                    f"use one of {_one_of(activity_keys)}"
                    + _did_you_mean(raw_activity, activity_keys),
                )
            raw_by = item.get("recorded_by")
            recorded_by = self.ref(raw_by)
            if raw_by is not None and recorded_by not in role_keys:
                self.add(
                    f"{path}.recorded_by",
                    f"unknown role {_q(raw_by)}",
                    f"use one of {_one_of(role_keys)} (the role whose members record this KPI for the rep), or remove it"
                    + _did_you_mean(raw_by, role_keys),
                )
            description = ""
            if item.get("description") is not None:
                description = (
                    self.text(
                        item.get("description"),
                        f"{path}.description",
                        what="the description",
                        max_len=300,
                    )
                    or ""
                )
            declared = self.aliases(item.get("aliases"), f"{path}.aliases")
            drafts.append((key, path, name, kind, activity, recorded_by, description, declared))

        # Words: the key, the name and the declared aliases are claimed outright, and two KPIs
        # claiming the same word is an error. Singular/plural forms of the key are added only
        # where no other KPI uses the word.
        owner: dict[str, tuple[str, str]] = {}  # normalized word -> (KPI key, where it came from)
        words: dict[str, list[str]] = {d[0]: [] for d in drafts}
        for key, path, name, *_rest, declared in drafts:
            claims = [(key, f"{path}.key"), (_display_word(name), f"{path}.name")]
            claims += [(w, f"{path}.aliases") for w in declared]
            for word, where in claims:
                n = normalize_word(word)
                if not n:
                    continue
                if n in owner and owner[n][0] != key:
                    other_key, other_where = owner[n]
                    self.add(
                        where,
                        f"the word {word!r} names two KPIs: '{other_key}' ({other_where}) and '{key}'",
                        "remove it from one of them so every word means one KPI (use a role alias if it should mean different KPIs for different roles)",
                    )
                    continue
                if n not in owner:
                    owner[n] = (key, where)
                    words[key].append(word)
        derived: dict[str, set[str]] = {}
        for key, *_ in drafts:
            for variant in _number_variants(normalize_word(key)):
                derived.setdefault(variant, set()).add(key)
        for key, *_ in drafts:
            for variant, keys in derived.items():
                if keys == {key} and variant not in owner:
                    words[key].append(variant)

        out = []
        for key, _path, name, kind, activity, recorded_by, description, declared in drafts:
            if kind not in KINDS:
                continue
            if activity is not None and activity not in activity_keys:
                continue
            if recorded_by is not None and recorded_by not in role_keys:
                continue
            out.append(
                Kpi(
                    key,
                    name,
                    kind,
                    activity,
                    tuple(words[key]),
                    recorded_by,
                    description,
                    tuple(declared),
                )
            )
        return out

    def roles(
        self, value: object, kpis: list[Kpi], kpi_keys: list[str], words: dict[str, str]
    ) -> list[Role]:
        example = "{key: sdr, name: Sales Development Rep, scorecard: [calls, conversations, meetings_scheduled, sao]}"
        entries = self.items(value, "roles", what="role", example=example)
        by_key = {k.key: k for k in kpis}
        global_words = {normalize_word(w): k.key for k in kpis for w in k.aliases}
        out = []
        for key, path, item in self.keyed(entries, "roles", "role"):
            self.unknown_fields(item, ("key", "name", "scorecard", "aliases", "goals"), path)
            name = self.name(item, key, path)
            # For "did you mean": this role's own words first, then every KPI word.
            role_words = dict(words)
            raw_aliases = item.get("aliases")
            if isinstance(raw_aliases, Mapping):
                for w, target in raw_aliases.items():
                    ref = self.ref(target)
                    if isinstance(w, str) and ref in kpi_keys:
                        role_words[normalize_word(w)] = ref
            scorecard = self.scorecard(
                item.get("scorecard"), f"{path}.scorecard", kpi_keys, role_words
            )
            aliases = self.role_aliases(
                item.get("aliases"),
                f"{path}.aliases",
                key,
                scorecard,
                kpi_keys,
                role_words,
                global_words,
                by_key,
            )
            goals = self.goals(
                item.get("goals"), f"{path}.goals", key, scorecard, kpi_keys, role_words
            )
            if scorecard is None or aliases is None or goals is None:
                continue
            ordered = {k: goals[k] for k in scorecard if k in goals}
            out.append(
                Role(
                    key,
                    name,
                    tuple(scorecard),
                    MappingProxyType(ordered),
                    MappingProxyType(aliases),
                )
            )
        return out

    def kpi_ref(
        self,
        raw: object,
        path: str,
        kpi_keys: list[str],
        words: dict[str, str],
        options: list[str] | None = None,
    ) -> str | None:
        ref = self.ref(raw)
        if ref in kpi_keys:
            return ref
        if raw is None or not isinstance(raw, str):
            self.add(
                path,
                f"expected a KPI key, got {_kind_of(raw)}",
                f"use one of {_one_of(options or kpi_keys)}",
            )
            return None
        self.add(
            path,
            f"unknown KPI {_q(raw)}",
            f"use one of {_one_of(options or kpi_keys)}{_suggest_kpi(raw, words)}",
        )
        return None

    def scorecard(
        self, value: object, path: str, kpi_keys: list[str], words: dict[str, str]
    ) -> list[str] | None:
        if value is None:
            self.add(
                path,
                "the role has no scorecard",
                "list its KPIs, e.g. [calls, conversations, meetings_scheduled, sao]: 3 leading and 1 lagging",
            )
            return None
        if not isinstance(value, list | tuple):
            self.add(
                path,
                f"a scorecard must be a list of KPI keys, got {_kind_of(value)}",
                "write it like [calls, conversations, meetings_scheduled, sao]",
            )
            return None
        if not value:
            self.add(
                path, "the scorecard is empty", "list the role's KPIs: 3 leading and 1 lagging"
            )
            return None
        return self.kpi_list(value, path, kpi_keys, words, "is on the scorecard twice")

    def kpi_list(self, items, path: str, kpi_keys, words, twice: str) -> list[str] | None:
        """KPI references, each known and listed once; None (problems added) otherwise."""
        out: list[str] = []
        ok = True
        for i, item in enumerate(items):
            key = self.kpi_ref(item, f"{path}[{i}]", kpi_keys, words)
            if key is None:
                ok = False
            elif key in out:
                self.add(f"{path}[{i}]", f"'{key}' {twice}", "list each KPI once")
                ok = False
            else:
                out.append(key)
        return out if ok else None

    def role_aliases(
        self,
        value: object,
        path: str,
        role: str,
        scorecard: list[str] | None,
        kpi_keys: list[str],
        words: dict[str, str],
        global_words: dict[str, str],
        by_key: dict[str, Kpi],
    ) -> dict[str, str] | None:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.add(
                path,
                f"role aliases must be a mapping of word: KPI, got {_kind_of(value)}",
                "write them like {meeting: meetings_scheduled}",
            )
            return None
        out: dict[str, str] = {}
        seen: dict[str, str] = {}
        ok = True
        for raw_word, raw_kpi in value.items():
            where = f"{path}.{raw_word}"
            word = self.word(raw_word, where)
            target = self.kpi_ref(raw_kpi, where, kpi_keys, words, scorecard)
            if word is None or target is None:
                ok = False
                continue
            if scorecard is not None and target not in scorecard:
                self.add(
                    where,
                    f"'{word}' points to '{target}', which is not on the {role} scorecard",
                    f"point it to one of {_one_of(scorecard)}, or add '{target}' to the scorecard",
                )
                ok = False
                continue
            n = normalize_word(word)
            if n in seen and seen[n] != target:
                self.add(
                    where,
                    f"'{word}' already means '{seen[n]}' for this role",
                    "give each word one meaning per role",
                )
                ok = False
                continue
            owner = global_words.get(n)
            if (
                owner is not None
                and owner != target
                and scorecard is not None
                and owner in scorecard
            ):
                self.add(
                    where,
                    f"'{word}' already names '{owner}' ({by_key[owner].name}), which is also on the {role} scorecard",
                    f"use another word, or remove '{word}' from the aliases of KPI '{owner}'",
                )
                ok = False
                continue
            seen[n] = target
            out.setdefault(word, target)
        return out if ok else None

    def goals(
        self,
        value: object,
        path: str,
        role: str,
        scorecard: list[str] | None,
        kpi_keys: list[str],
        words: dict[str, str],
    ) -> dict[str, Goal] | None:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.add(
                path,
                f"goals must be a mapping of KPI: goal, got {_kind_of(value)}",
                "write them like {calls: 60/day, sao: 6/month}",
            )
            return None
        out: dict[str, Goal] = {}
        ok = True
        for raw_key, raw_goal in value.items():
            where = f"{path}.{raw_key}"
            key = self.kpi_ref(raw_key, where, kpi_keys, words, scorecard)
            if key is None:
                ok = False
                continue
            if scorecard is not None and key not in scorecard:
                self.add(
                    where,
                    f"a goal for '{key}', which is not on the {role} scorecard",
                    f"add '{key}' to the scorecard or remove this goal",
                )
                ok = False
                continue
            if key in out:
                self.add(where, f"a second goal for '{key}'", "give each KPI one goal")
                ok = False
                continue
            goal = self.goal(raw_goal, where)
            if goal is None:
                ok = False
            else:
                out[key] = goal
        return out if ok else None

    def goal(self, raw: object, path: str) -> Goal | None:
        try:
            return parse_goal(raw)
        except ValueError as exc:
            self.add(
                path,
                str(exc),
                "write a positive amount per day, week or month: '60/day', '8/week', '6/month' or {amount: 60, per: day}",
            )
            return None

    def overrides(
        self, value: object, kpi_keys: list[str], words: dict[str, str]
    ) -> dict[str, dict[str, Goal]]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.add(
                "overrides",
                f"overrides must be a mapping of Slack user ID: goals, got {_kind_of(value)}",
                "write them like U0123ABCD: {calls: 50/day}",
            )
            return {}
        out: dict[str, dict[str, Goal]] = {}
        for raw_user, goals in value.items():
            where = f"overrides.{raw_user}"
            user = raw_user.strip() if isinstance(raw_user, str) else None
            if user is None or not SLACK_ID_RE.match(user):
                hint = ""
                if user and SLACK_ID_RE.match(user.upper()):
                    hint = f" (Slack IDs are in capitals: '{user.upper()}')"
                elif user and _MENTION_RE.match(user):
                    hint = f" (write just the ID: '{_MENTION_RE.match(user).group(1)}')"
                self.add(
                    where,
                    f"{_q(raw_user)} doesn't look like a Slack user ID",
                    "use the member ID from the person's Slack profile (⋮ → Copy member ID), like U0123ABCD"
                    + hint,
                )
                continue
            if goals is None:
                continue
            if not isinstance(goals, Mapping):
                self.add(
                    where,
                    f"a rep's goals must be a mapping of KPI: goal, got {_kind_of(goals)}",
                    "write them like {calls: 50/day}",
                )
                continue
            mine: dict[str, Goal] = {}
            for raw_key, raw_goal in goals.items():
                path = f"{where}.{raw_key}"
                key = self.kpi_ref(raw_key, path, kpi_keys, words)
                if key is None:
                    continue
                if key in mine:
                    self.add(path, f"a second goal for '{key}'", "give each KPI one goal")
                    continue
                goal = self.goal(raw_goal, path)
                if goal is not None:
                    mine[key] = goal
            if mine:
                if user in out:
                    self.add(where, f"{user} is listed twice", "merge the two entries")
                    continue
                out[user] = mine
        return out

    # -- advice ---------------------------------------------------------------------------------

    def advise(
        self, stages: list[Stage], activities: list[Activity], kpis: list[Kpi], roles: list[Role]
    ) -> None:
        by_key = {k.key: k for k in kpis}
        quote = f'The method: "{METHOD_QUOTE}"'
        for role in roles:
            kinds = [by_key[k].kind for k in role.scorecard]
            leading, lagging = kinds.count("leading"), kinds.count("lagging")
            where = f"roles.{role.key}"
            if len(role.scorecard) > 4:
                self.warnings.append(
                    f"{where}: {role.name} has {len(role.scorecard)} KPIs ({leading} leading, {lagging} lagging); "
                    f"consider trimming to 4. {quote}"
                )
            if lagging == 0:
                self.warnings.append(
                    f"{where}: {role.name} has no lagging KPI, so its scorecard never shows a result; "
                    f"add one (e.g. deals closed). {quote}"
                )
            if leading == 0:
                self.warnings.append(
                    f"{where}: {role.name} has no leading KPI, nothing the rep controls today; "
                    f"add activities (e.g. calls). {quote}"
                )
            missing = [k for k in role.scorecard if k not in role.goals]
            if missing:
                self.warnings.append(
                    f"{where}.goals: no goal for {', '.join(missing)}; without a goal there is no pace "
                    f"to show. Add e.g. '{missing[0]}: 10/day' (or give every rep one under overrides)."
                )
        on_cards = {k for r in roles for k in r.scorecard}
        for kpi in kpis:
            if kpi.key not in on_cards:
                self.warnings.append(
                    f"kpis.{kpi.key}: {kpi.name} is on nobody's scorecard; add it to a role or remove it."
                )
        used_stages = {a.stage for a in activities}
        for stage in stages:
            if stage.key not in used_stages:
                self.warnings.append(
                    f"journey.{stage.key}: no activity moves prospects to '{stage.name}'; add one under activities."
                )
        measured = {k.activity for k in kpis}
        for act in activities:
            if act.key not in measured:
                self.warnings.append(
                    f"activities.{act.key}: '{act.name}' has no KPI, so nobody can track it; add one under kpis."
                )


_MISSING_FIX = {
    "name": "add a line like 'name: Inside sales'",
    "journey": "list the buyer's journey stages in order, e.g. '- {key: receives_call, name: Receives Call/Email}'",
    "activities": "list the seller activity for each stage, e.g. '- {key: call_lead, name: Call Lead, stage: receives_call}'",
    "kpis": "list the KPIs, e.g. '- {key: calls, name: Calls, kind: leading, activity: call_lead}'",
    "roles": "list the roles with their scorecards, e.g. '- {key: sdr, name: SDR, scorecard: [calls]}'",
}


def _suggest_kpi(raw: str, words: dict[str, str]) -> str:
    """ " (did you mean 'meetings_scheduled'?)" for a mistyped KPI key or word, else ""."""
    n = normalize_word(raw)
    if not n or len(n) > 64:
        return ""
    if n in words:
        return f" (did you mean '{words[n]}'?)"
    close = difflib.get_close_matches(n, list(words), n=1, cutoff=0.6)
    return f" (did you mean '{words[close[0]]}'?)" if close else ""


def _parse_day_range(item: object) -> set[int] | None:
    if not isinstance(item, str):
        return None
    text = item.strip().lower()
    if re.fullmatch(r"[a-z]+\s*[-–]\s*[a-z]+", text):
        first, last = (_day_index(p) for p in re.split(r"\s*[-–]\s*", text))
        if first is None or last is None:
            return None
        days = {first}
        d = first
        while d != last:
            d = (d + 1) % 7
            days.add(d)
        return days
    index = _day_index(text)
    return None if index is None else {index}


_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _day_index(word: str) -> int | None:
    for i, (short, full) in enumerate(zip(WEEKDAY_NAMES, _FULL_DAY_NAMES, strict=True)):
        if word in (short, full) or (len(word) >= 3 and full.startswith(word)):
            return i
    return None


def _ratio(raw: object) -> float | None:
    if isinstance(raw, str):
        text = raw.strip()
        try:
            number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            return None
    elif isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    else:
        try:
            number = float(raw)
        except OverflowError:
            return None
    return number if math.isfinite(number) else None


_RITUAL_WHAT = {
    "daily": "the daily digest",
    "weekly": "the weekly digest",
    "monthly": "the monthly digest",
    "nudges": "the nudges",
    "lag_check": "the lag check",
    "coaching": "the coaching reminders",
}
_AMPM_RE = re.compile(r"([0-9]{1,2})(?::([0-9]{2}))?\s*([AaPp])\.?[Mm]\.?")
_BOARD_TEXT_RE = re.compile(
    r"(?P<at>[0-9]{1,2}(?::[0-9]{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)\s+(?P<kpis>\S.*)", re.DOTALL
)


def _parse_clock(raw: object) -> time | None:
    """A time of day: a datetime.time, "17:30", "9:00", "5pm" or "5:30 pm"; None otherwise."""
    if isinstance(raw, time):
        return time(raw.hour, raw.minute)
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    try:
        return parse_hhmm(text)
    except ValueError:
        pass
    match = _AMPM_RE.fullmatch(text)
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        if 1 <= hour <= 12 and minute < 60:
            return time(hour % 12 + (12 if match[3] in "Pp" else 0), minute)
    return None


def _hour_hint(raw: object) -> str:
    """The fix for a bare hour such as 17: write "17:00"; "" for anything else."""
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        raw = int(raw.strip()) if len(raw.strip()) <= 2 else None
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < 24:
        return f'write the hour with its minutes, in quotes: "{raw:02d}:00" (24-hour clock)'
    return ""


def _is_off(value: object) -> bool:
    if value is False:
        return True
    return isinstance(value, str) and value.strip().lower() in _OFF_WORDS


def _is_on(value: object) -> bool:
    if value is True:
        return True
    return isinstance(value, str) and value.strip().lower() in _ON_WORDS


def _ritual_name(kind: object) -> str | None:
    """The `rituals:` field a word names: "daily", "leaderboard" -> "leaderboards", …"""
    if not isinstance(kind, str):
        return None
    word = normalize_word(kind).replace(" ", "_")
    if word in RITUALS:
        return word
    return _RITUAL_HINTS.get(word)


def _default_leaderboards(roles: list[Role], kpis: list[Kpi]) -> tuple[LeaderboardSlot, ...]:
    """The leaderboards a team gets without configuring any: at 12:00 every role's first two
    leading KPIs, at 16:00 every role's first, so each rep is on a board (in the default process:
    calls, conversations, meetings held, ROI discussions; then calls and meetings held)."""
    by_key = {k.key: k for k in kpis}
    noon_kpis: list[str] = []
    late_kpis: list[str] = []
    for role in roles:
        card = [k for k in role.scorecard if k in by_key]
        leading = [k for k in card if by_key[k].leading] or card
        noon_kpis += [k for k in leading[:2] if k not in noon_kpis]
        late_kpis += [k for k in leading[:1] if k not in late_kpis]
    if not noon_kpis:
        return ()
    noon, late = DEFAULT_LEADERBOARD_TIMES
    return (LeaderboardSlot(noon, tuple(noon_kpis)), LeaderboardSlot(late, tuple(late_kpis)))


# --------------------------------------------------------------------------------------------
# The default process, writing out, and the cascade as text


@functools.cache
def default_process() -> Process:
    """The method's own example (rituals/default_process.yml), loaded once."""
    return load_process_file(DEFAULT_PROCESS_PATH)


class _Flow(dict):
    """A mapping written on one line: {key: a, name: B}."""


class _FlowList(list):
    """A list written on one line: [a, b, c]."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True)
)
_Dumper.add_representer(
    _FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)


def dump_process(p: Process) -> str:
    """YAML text of p.to_dict(), laid out like default_process.yml (without its comments)."""
    data = p.to_dict()
    out: dict[str, Any] = {}
    for section in SECTIONS:
        value = data[section]
        if section == "working_days":
            value = _FlowList(value)
        elif section in ("working_hours", "pace_thresholds", "limits"):
            value = _Flow(value)
        elif section == "rituals":
            value = {
                name: (
                    [_Flow({**item, "kpis": _FlowList(item["kpis"])}) for item in entry]
                    if isinstance(entry, list)
                    else _Flow(entry)
                    if isinstance(entry, dict)
                    else entry
                )
                for name, entry in value.items()
            }
        elif section in ("journey", "activities"):
            value = [_Flow(item) for item in value]
        elif section == "kpis":
            value = [{**item, "aliases": _FlowList(item["aliases"])} for item in value]
        elif section == "roles":
            value = [
                {
                    **item,
                    "scorecard": _FlowList(item["scorecard"]),
                    "aliases": _Flow(item["aliases"]),
                    "goals": _Flow(item["goals"]),
                }
                for item in value
            ]
        elif section == "overrides":
            value = {user: _Flow(goals) for user, goals in value.items()}
        out[section] = value
    return yaml.dump(
        out,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def render_cascade(p: Process) -> str:
    """Plain text for `pacer process show`: the journey, then per role stage → activity → KPI."""
    days = [WEEKDAY_NAMES[d].capitalize() for d in sorted(p.calendar.working_days)]
    lines = [
        p.name,
        f"Timezone {p.timezone} · working days {' '.join(days)} · "
        f"{p.calendar.day_start:%H:%M}–{p.calendar.day_end:%H:%M} · scorecards {p.visibility}",
        f"Pace: on pace from {p.thresholds.on_pace:.0%} of expected, at risk from {p.thresholds.at_risk:.0%}",
        f"Rituals ({p.timezone}): {p.rituals.describe()}",
        "",
        "Buyer's journey → seller activity → KPIs:",
    ]
    stage_number = {s.key: i for i, s in enumerate(p.stages, 1)}
    for stage, act, kpis in p.cascade():
        kpi_text = ", ".join(f"{k.name} ({k.kind})" for k in kpis) or "no KPI"
        act_text = act.name if act else "no activity"
        lines.append(f"  {stage_number[stage.key]}. {stage.name} ← {act_text} → {kpi_text}")

    act_by_key = {a.key: a for a in p.activities}
    stage_by_key = {s.key: s for s in p.stages}
    for role in p.roles:
        kinds = [p.kpi(k).kind for k in role.scorecard]
        lines += [
            "",
            f"{role.name} ({role.key}): {kinds.count('leading')} leading + {kinds.count('lagging')} lagging",
        ]
        for key in role.scorecard:
            kpi = p.kpi(key)
            act = act_by_key.get(kpi.activity) if kpi.activity else None
            if act is not None:
                stage = stage_by_key[act.stage]
                chain = f"{stage_number[stage.key]}. {stage.name} → {act.name} → "
            else:
                chain = "   (no activity) → "
            goal = role.goals.get(key)
            extra = f"goal {goal}" if goal else "no goal"
            if kpi.recorded_by and p.has_role(kpi.recorded_by):
                extra += f"; recorded by {p.role(kpi.recorded_by).name}"
            lines.append(f"  {chain}{kpi.name} [{kpi.key}, {kpi.kind}] · {extra}")
        if role.aliases:
            words = ", ".join(f"{w} = {k}" for w, k in role.aliases.items())
            lines.append(f"  Words for this role: {words}")

    if p.overrides:
        lines += ["", "Per-rep goals:"]
        for user, goals in p.overrides.items():
            lines.append(f"  {user}: " + ", ".join(f"{k} {g}" for k, g in goals.items()))

    lines += ["", "Words reps can type:"]
    for kpi in p.kpis:
        lines.append(f"  {kpi.key}: {', '.join(kpi.aliases)}")
    if p.warnings:
        lines += ["", "Warnings:"]
        lines += [f"  - {w}" for w in p.warnings]
    return "\n".join(lines) + "\n"
