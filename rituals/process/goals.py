"""Goals: a target per day, week or month ("60/day"), and reading one from what people write."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from rituals.process.words import kind_of, quote

PERIODS = ("day", "week", "month")
MAX_GOAL = 1e9
MAX_DECIMALS = 2  # a goal of 0.333/day is shown as 0.33, 1.67 for a week

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


@dataclass(frozen=True)
class Goal:
    """A target for a KPI: ``amount`` per ``day``, ``week`` or ``month``."""

    amount: float
    per: str

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int | float):
            raise ValueError(f"goal amount must be a number, got {quote(self.amount)}")
        amount = float(self.amount)
        if not math.isfinite(amount) or amount <= 0 or amount > MAX_GOAL:
            raise ValueError(
                f"goal amount must be above 0 (and sensible), got {quote(self.amount)}"
            )
        if self.per not in PERIODS:
            raise ValueError(
                f"goal period must be one of {', '.join(PERIODS)}, got {quote(self.per)}"
            )
        object.__setattr__(self, "amount", amount)

    def __str__(self) -> str:
        return f"{_fmt_amount(self.amount)}/{self.per}"

    @property
    def decimals(self) -> int:
        """Decimals of the amount as stated (60 → 0, 2.5 → 1, 0.25 → 2), at most MAX_DECIMALS:
        figures derived from the goal are shown with no more than this."""
        text = _fmt_amount(self.amount)
        if "e" in text or "." not in text:
            return 0
        return min(len(text.split(".")[1]), MAX_DECIMALS)

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
            raise ValueError(f"goal amount must be a number, got {quote(amount)}")
        per = value["per"]
        period = _PERIOD_WORDS.get(per.strip().lower()) if isinstance(per, str) else None
        if period is None:
            raise ValueError(f"goal period {quote(per)} is not day, week or month")
        return _make_goal(amount, period)
    if isinstance(value, bool) or value is None:
        raise ValueError(f"a goal looks like '60/day', got {kind_of(value)}")
    if isinstance(value, int | float):
        raise ValueError(
            f"{_fmt_goal_number(value)} per what? A goal needs a period, e.g. '{_fmt_goal_number(value)}/day'"
        )
    if not isinstance(value, str):
        raise ValueError(f"a goal looks like '60/day', got {kind_of(value)}")
    if _BARE_NUMBER_RE.match(value):
        raise ValueError(
            f"{value.strip()} per what? A goal needs a period, e.g. '{value.strip()}/day'"
        )
    match = _GOAL_RE.match(value)
    if not match:
        raise ValueError(
            f"can't read the goal {quote(value)}; write it like '60/day', '8/week' or '6/month'"
        )
    period = _PERIOD_WORDS.get(match["per"].lower())
    if period is None:
        raise ValueError(f"goal period {match['per']!r} is not day, week or month")
    if math.isinf(_to_number(match["amount"])):
        raise ValueError(f"goal amount {_digits(match['amount'])} is far too large")
    return _make_goal(_to_number(match["amount"]), period)


def _fmt_goal_number(value: float) -> str:
    try:
        return _fmt_amount(float(value))
    except (OverflowError, ValueError):
        return "N"


def _to_number(text: str) -> float:
    return float(text.strip().replace(",", "").replace("_", ""))


def _digits(amount) -> str:
    """A huge amount as typed, by its start and length: ``9999999999… (5,000 digits)``."""
    text = str(amount)
    if len(text) <= 16:
        return quote(text)
    return f"{quote(text[:12] + '…')} ({sum(c.isdigit() for c in text):,} digits)"


def _make_goal(amount: float, period: str) -> Goal:
    try:
        number = float(amount)
    except (OverflowError, ValueError):
        raise ValueError(f"goal amount {quote(amount)} is too large") from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError("goal amount must be a real number")
    if number <= 0:
        raise ValueError(f"goal amount must be above 0, got {_fmt_amount(number)}")
    if number > MAX_GOAL:
        raise ValueError(f"goal amount {_fmt_amount(number)} is implausibly large")
    return Goal(number, period)


@dataclass(frozen=True)
class GoalTimeline:
    """One rep's goal for one KPI over time (DESIGN.md §4: each day takes the goal in force that
    day): ``first`` until the first change, then each ``(effective date, goal)`` in date order
    from its date on. A goal of None: no goal from that day."""

    first: Goal | None
    changes: tuple[tuple[date, Goal | None], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", tuple(sorted(self.changes, key=lambda c: c[0])))

    @classmethod
    def constant(cls, goal: Goal | None) -> GoalTimeline:
        return cls(goal)

    def on(self, day: date) -> Goal | None:
        """The goal in force on ``day``."""
        found = self.first
        for effective, goal in self.changes:
            if effective > day:
                break
            found = goal
        return found

    def constant_over(self, first: date, last: date) -> bool:
        """Whether one goal is in force every day from ``first`` to ``last``."""
        return not any(first < effective <= last for effective, _ in self.changes)

    @property
    def latest(self) -> Goal | None:
        """The goal after every change (a change still to come included)."""
        return self.changes[-1][1] if self.changes else self.first


@dataclass(frozen=True)
class GoalChange:
    """A goal change with its effective date (the process file's ``goal_changes:``): from
    ``effective`` on, ``role``'s goal (or rep ``user``'s own goal) for ``kpi`` is ``goal``. None:
    for a role, no goal from that day; for a rep, back to the role's goal ("reset"). ``by`` (a
    Slack user ID, or "cli") and ``at`` (when it was typed, UTC) say who changed it and when."""

    effective: date
    kpi: str
    goal: Goal | None
    role: str | None = None
    user: str | None = None
    by: str | None = None
    at: datetime | None = None

    @property
    def target(self) -> str:
        return self.role if self.role is not None else str(self.user)

    def goal_word(self) -> str:
        if self.goal is not None:
            return str(self.goal)
        return "none" if self.role is not None else "reset"

    def to_dict(self) -> dict:
        out: dict = {"from": self.effective.isoformat()}
        out["role" if self.role is not None else "rep"] = self.target
        out["kpi"] = self.kpi
        out["goal"] = self.goal_word()
        if self.by:
            out["by"] = self.by
        if self.at is not None:
            out["at"] = self.at.isoformat(timespec="seconds")
        return out
