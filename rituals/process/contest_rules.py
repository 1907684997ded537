"""The process file's `contests:` section: how long after the end of a contest's last working day
its result waits for the day's logs (``settle``), and the durations people write for it.

A rep who logs the day's calls at 17:10 must not be left out of a contest they won: a contest's
result is frozen ``settle`` after the end of its last day's working hours (default 2 hours), and
never before that day's daily digest (rituals/contests/timing.py: settles_at_for)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from rituals.process.base_checks import BaseChecks
from rituals.process.words import quote

DEFAULT_SETTLE = timedelta(hours=2)
MAX_SETTLE = timedelta(hours=24)
CONTEST_FIELDS = ("settle",)
_FIX = (
    "write a duration like 2h, 90m or 1h30m (0 freezes the result at the end of the working "
    f"day, or at the daily digest if that is later), at most {MAX_SETTLE // timedelta(hours=1)}h"
)
_DURATION_RE = re.compile(
    r"(?:(?P<hours>\d{1,3})\s*(?:h|hr|hrs|hour|hours))?"
    r"\s*(?:(?P<minutes>\d{1,4})\s*(?:m|min|mins|minute|minutes))?"
)


@dataclass(frozen=True)
class ContestRules:
    """The `contests:` section. ``settle``: how long after the end of its last day's working
    hours a contest's result is frozen (logs of its days stored by then count)."""

    settle: timedelta = DEFAULT_SETTLE

    def to_dict(self) -> dict:
        return {"settle": format_duration(self.settle)}


def parse_duration(raw: object) -> timedelta | None:
    """A duration as people write it: "2h", "90m", "1h30m", "1h 30m", "2 hours", "0" (or the
    number 0); None for anything else (a bare number other than 0 has no unit)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int) and raw == 0:
        return timedelta(0)
    if not isinstance(raw, str):
        return None
    text = raw.strip().lower()
    if text == "0":
        return timedelta(0)
    match = _DURATION_RE.fullmatch(text)
    if not text or match is None or not (match["hours"] or match["minutes"]):
        return None
    return timedelta(hours=int(match["hours"] or 0), minutes=int(match["minutes"] or 0))


def format_duration(value: timedelta) -> str:
    """ "2h", "90m" as "1h30m", "45m", "0": what parse_duration reads back."""
    minutes = int(value.total_seconds() // 60)
    if minutes <= 0:
        return "0"
    hours, minutes = divmod(minutes, 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")


class ContestChecks(BaseChecks):
    """contests: {settle: 2h}."""

    def contest_rules(self, value: object) -> ContestRules | None:
        if value is None:
            return ContestRules()
        section = self.mapping(value, "contests", what="contests", example="{settle: 2h}")
        if section is None:
            return None
        self.unknown_fields(section, CONTEST_FIELDS, "contests")
        raw = section.get("settle", format_duration(DEFAULT_SETTLE))
        settle = parse_duration(raw)
        if settle is None:
            unitless = isinstance(raw, int | float) and not isinstance(raw, bool)
            what = "has no unit" if unitless else "is not a duration"
            self.add("contests.settle", f"{quote(raw)} {what}", _FIX)
            return None
        if settle > MAX_SETTLE:
            self.add("contests.settle", f"{quote(raw)} is longer than a day", _FIX)
            return None
        return ContestRules(settle=settle)
