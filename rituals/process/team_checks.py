"""Checking the team's settings: timezone, working days and hours, visibility, pace, limits."""

from __future__ import annotations

import functools
import re
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from rituals.pacing import WEEKDAY_NAMES, Thresholds, parse_hhmm
from rituals.process.base_checks import BaseChecks
from rituals.process.values import parse_day_range, parse_share
from rituals.process.words import did_you_mean, kind_of, quote

VISIBILITIES = ("public", "managers")

# What a team gets for a setting it leaves out.
DEFAULTS: dict[str, Any] = {
    "timezone": "UTC",
    "working_days": ["mon", "tue", "wed", "thu", "fri"],
    "working_hours": {"start": "09:00", "end": "17:00"},
    "scorecard_visibility": "public",
    "pace_thresholds": {"on_pace": 1.0, "at_risk": 0.8},
    "limits": {"max_count": 500, "backdate_days": 14},
}


@functools.cache
def _all_timezones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


@functools.cache
def _timezones_by_lower() -> dict[str, str]:
    return {name.lower(): name for name in _all_timezones()}


class TeamChecks(BaseChecks):
    """timezone:, working_days:, working_hours:, scorecard_visibility:, pace_thresholds:, limits:."""

    def timezone(self, value: object) -> tuple[str | None, ZoneInfo | None]:
        fix = "use an IANA timezone name such as America/New_York, Europe/London or UTC"
        if not isinstance(value, str) or not value.strip():
            self.add(
                "timezone",
                f"the timezone must be a name like America/New_York, got {kind_of(value)}",
                fix,
            )
            return None, None
        name = value.strip()
        canonical = _timezones_by_lower().get(name.lower()) or (name if name == "UTC" else None)
        if canonical is None:
            guess = did_you_mean(name, _all_timezones(), n=3)
            if not guess and "/" in name:
                guess = did_you_mean(
                    name.rsplit("/", 1)[-1], [t.rsplit("/", 1)[-1] for t in _all_timezones()]
                )
                if guess:
                    city = guess[len(" (did you mean '") : -len("'?)")]
                    full = [t for t in _all_timezones() if t.endswith("/" + city)]
                    guess = " (did you mean " + " or ".join(f"'{t}'" for t in full[:3]) + "?)"
            self.add("timezone", f"unknown timezone {quote(name)}", fix + guess)
            return None, None
        try:
            return canonical, ZoneInfo(canonical)
        except Exception:
            self.add("timezone", f"timezone {quote(name)} can't be loaded", fix)
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
                f"working_days must be a list of weekdays, got {kind_of(value)}",
                fix,
            )
            return None
        days: set[int] = set()
        ok = True
        for i, item in enumerate(items):
            parsed = parse_day_range(item)
            if parsed is None:
                self.add(
                    f"working_days[{i}]",
                    f"{quote(item)} is not a weekday",
                    fix + did_you_mean(item, WEEKDAY_NAMES),
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
                what = "is missing" if raw is None else f"{quote(raw)} is not a time"
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
                f"{quote(value)} is not a visibility",
                "use 'public' (everyone sees every scorecard, as the method recommends) or 'managers' (reps see only their own)"
                + did_you_mean(value, VISIBILITIES),
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
            number = parse_share(raw)
            if number is None or not (0 < number <= 10):
                self.add(f"pace_thresholds.{part}", f"{quote(raw)} is not a share above 0", fix)
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
                    f"{quote(raw)} is not a valid {part}",
                    f"use {fix} (at most {high:,})",
                )
            else:
                out.append(raw)
        return (out[0], out[1]) if len(out) == 2 else None
