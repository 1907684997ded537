"""Checking the `rituals:` section: digests, leaderboards, nudges, standings, lag check, coaching.

The names a ritual goes by (its field, the words people write for it, how messages call it) are
the registry's, rituals/kinds.py: RITUALS and ritual_name read it here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time
from typing import Any, Protocol

from rituals.kinds import RITUAL_FIELDS, kind_for
from rituals.pacing import WEEKDAY_NAMES, WorkCalendar
from rituals.process.base_checks import BaseChecks
from rituals.process.problems import Problem
from rituals.process.ritual_schedule import (
    DEFAULT_COACHING_EVERY_DAYS,
    DEFAULT_LAG_MIN_ELAPSED,
    DEFAULT_LAG_THRESHOLD,
    DEFAULT_STANDINGS_TIMES,
    DEFAULT_WEEKLY_DAY,
    RITUAL_DEFAULT_TIMES,
    LeaderboardSlot,
    RitualSchedule,
)
from rituals.process.values import FULL_DAY_NAMES, day_index, parse_clock, parse_share
from rituals.process.words import did_you_mean, kind_of, quote


# What default_leaderboards_for reads of model's Role and Kpi (model imports this module, so
# this one does not import model).
class _Role(Protocol):
    scorecard: tuple[str, ...]


class _Kpi(Protocol):
    key: str

    @property
    def leading(self) -> bool: ...


# The rituals a team can schedule: the `rituals:` section's fields, from the one registry.
RITUALS = RITUAL_FIELDS


def ritual_name(kind: object) -> str | None:
    """The `rituals:` field a word names: "daily", "leaderboard" -> "leaderboards", … (any of
    the kind's words: rituals/kinds.py)."""
    found = kind_for(kind)
    return found.field if found else None


def _hint(key: object) -> str:
    """ " (did you mean 'nudges'?)" for a key that names a ritual by another of its words."""
    found = kind_for(key)
    if found is not None:
        return f" (did you mean '{found.field}'?)"
    return did_you_mean(key, RITUALS)


DEFAULT_LEADERBOARD_TIMES = (time(12, 0), time(16, 0))  # 2 then 1 of the first role's leading KPIs
MAX_LEADERBOARDS = 12
_OFF_WORDS = ("off", "no", "none", "false", "disabled", "disable", "never")
_ON_WORDS = ("on", "yes", "true", "enabled", "enable", "default")
_BOARD_TEXT_RE = re.compile(
    r"(?P<at>[0-9]{1,2}(?::[0-9]{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)\s+(?P<kpis>\S.*)", re.DOTALL
)


class RitualChecks(BaseChecks):
    """rituals:, each ritual's time, day and options, then the advice on them."""

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
                f"rituals must be a mapping of ritual: schedule, got {kind_of(value)}",
                'write it like {daily: {at: "17:30"}, nudges: off} (see rituals/default_process.yml), or leave it out for the defaults',
            )
            return None
        for k in value:
            if k not in RITUALS:
                mean = _hint(k)
                self.add(
                    f"rituals.{k}" if isinstance(k, str) else "rituals",
                    f"unknown ritual {quote(k)}",
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
            self.add(path, f"standings must be a list of times, got {kind_of(raw)}", fix)
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
            share = parse_share(raw[key])
            if share is None or not 0 < share <= 1:
                self.add(
                    f"{path}.{key}",
                    f"{quote(raw[key])} is not a share between 0 and 100%",
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
                    f"{quote(value)} is not a number of days",
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
        kind = kind_for(name)
        weekly = kind.has_weekday
        what = kind.what
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
                index = day_index(head.strip(",").lower())
                if index is not None:
                    day, text = index, rest.strip()
                    if text.lower().startswith("at "):
                        text = text[3:].strip()
                    if not text:
                        return default, day
            at = parse_clock(text)
            if at is None:
                self.add(path, f"{quote(raw)} is not a time", _hour_hint(raw) or fix)
                return None
            return at, day
        if not isinstance(raw, Mapping):
            self.add(
                path,
                f"{what} must be a time or a mapping, got {kind_of(raw)}",
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
        at = parse_clock(raw)
        if at is None:
            self.add(
                path,
                "the time is missing" if raw is None else f"{quote(raw)} is not a time",
                _hour_hint(raw)
                or f'say when {what} is posted: 24-hour HH:MM in quotes, e.g. "17:30" (or "5:30pm")',
            )
        return at

    def weekday(self, raw: object, path: str) -> int | None:
        index = day_index(raw.strip().lower()) if isinstance(raw, str) else None
        if index is None:
            self.add(
                path,
                f"{quote(raw)} is not a day of the week",
                "use mon, tue, wed, thu, fri, sat or sun"
                + (did_you_mean(raw, WEEKDAY_NAMES) or did_you_mean(raw, FULL_DAY_NAMES)),
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
            f"enabled must be true or false, got {quote(raw)}",
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
                f"leaderboards must be a list, got {kind_of(raw)}",
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
                if match is None or parse_clock(match["at"]) is None:
                    self.add(
                        where,
                        f"can't read the leaderboard {quote(item)}",
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
                    f"each leaderboard must be a mapping, got {kind_of(item)} {quote(item)}",
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
            self.add(path, f"kpis must be a list of KPI keys, got {kind_of(raw)}", fix)
            return None
        return self.kpi_list(raw, path, kpi_keys, words, "is listed twice")

    def advise_rituals(self, rituals: RitualSchedule, calendar: WorkCalendar) -> None:
        # A stored process or a file may say so (it loads, with a warning); an edit may not.
        self.warnings += [str(problem) for problem in never_sent(rituals, calendar)]
        if rituals.weekly is not None and rituals.weekly_day not in calendar.working_days:
            day = FULL_DAY_NAMES[rituals.weekly_day].capitalize()
            first = WEEKDAY_NAMES[min(calendar.working_days)]
            self.warnings.append(
                f"rituals.weekly: the weekly digest is posted on {day}, which is not a working "
                f"day; move it to a working day (e.g. 'day: {first}') unless that is intended."
            )


def never_sent(rituals: RitualSchedule, calendar: WorkCalendar) -> list[Problem]:
    """Rituals whose time means they would never be sent: nudges go out only inside working
    hours, so a nudge time at or after the end of the working day reaches nobody."""
    at, end = rituals.nudges, calendar.day_end
    if at is None or at < end:
        return []
    return [
        Problem(
            "rituals.nudges",
            f"{at:%H:%M} is at or after the end of the working day ({end:%H:%M}) and nudges "
            "are only sent in working hours, so no nudge would ever be sent",
            f"pick a time from {calendar.day_start:%H:%M} to before {end:%H:%M}, or turn nudges off",
        )
    ]


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


def default_leaderboards_for(roles: list[_Role], kpis: list[_Kpi]) -> tuple[LeaderboardSlot, ...]:
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
