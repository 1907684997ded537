"""A team's days off as managers change them from Slack (`/pacer holiday add|remove|list|country`)
and as `pacer calendar show` lists them. Each change is a new version of the team's process (the
`holidays:` section), checked like the process file; a change that would do nothing or is likely
a mistake is refused with a typed refusal (rituals/refusals.py), and nothing is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rituals.holiday_rules import COMPANY, COMPANY_DAY_OFF, PUBLIC, DayOff, HolidayRules
from rituals.pacing import WorkCalendar
from rituals.process import Process
from rituals.process.base_checks import MAX_NAME_LEN
from rituals.refusals import (
    AlreadyADayOff,
    DayOffNameRefused,
    DayOffOutOfRange,
    NotADayOff,
    NotAWorkingDay,
)

BACK = timedelta(days=366)  # a day off may be added or worked up to a year back (a snow day)…
AHEAD = timedelta(days=2 * 366)  # …and planned two years ahead
COMING = timedelta(days=365)  # `/pacer holiday list`: the coming year


@dataclass(frozen=True)
class Calendar:
    """The days off from ``start`` to ``end`` that fall on a working weekday, and the public
    holidays the team works in that span."""

    start: date
    end: date
    days_off: tuple[DayOff, ...]
    worked: tuple[DayOff, ...]
    rules: HolidayRules
    working_days: frozenset[int]


def calendar_between(cal: WorkCalendar, start: date, end: date) -> Calendar:
    return Calendar(
        start,
        end,
        tuple(cal.days_off(start, end)),
        tuple(
            off for off in cal.holidays.worked(start, end) if off.day.weekday() in cal.working_days
        ),
        cal.holidays,
        cal.working_days,
    )


def coming(process: Process, today: date) -> Calendar:
    """The coming year's days off, from today."""
    return calendar_between(process.calendar, today, today + COMING)


def _in_range(day: date, today: date) -> None:
    if not today - BACK <= day <= today + AHEAD:
        raise DayOffOutOfRange(day, today - BACK, today + AHEAD)


def _with(process: Process, rules: HolidayRules) -> Process:
    return process.with_settings(holidays=rules.to_dict())


def add_day_off(
    process: Process, day: date, name: str | None, today: date
) -> tuple[Process, DayOff]:
    """The process with ``day`` off: a company day off named ``name`` ("Company day off"
    without one), or — for a public holiday the team worked — that holiday back."""
    _in_range(day, today)
    name = " ".join((name or "").split()) or None
    if name is not None and (len(name) > MAX_NAME_LEN or "<" in name or ">" in name):
        raise DayOffNameRefused(name, MAX_NAME_LEN)
    cal = process.calendar
    rules = cal.holidays
    if day.weekday() not in cal.working_days:
        raise NotAWorkingDay(day, tuple(sorted(cal.working_days)))
    if day in rules.removed and (public := rules.public_holiday(day)) is not None:
        removed = tuple(d for d in rules.removed if d != day)
        added = rules.added
        if name is not None and name != public:  # the team's own name for it
            added = (*added, (day, name))
        updated = HolidayRules(rules.country, rules.subdivision, added, removed)
        off = updated.day_off(day)
        assert off is not None
        return _with(process, updated), off
    already = rules.day_off(day)
    if already is not None:
        raise AlreadyADayOff(day, already.name, already.source)
    added = (*rules.added, (day, name or COMPANY_DAY_OFF))
    updated = HolidayRules(rules.country, rules.subdivision, added, rules.removed)
    return _with(process, updated), DayOff(day, name or COMPANY_DAY_OFF, COMPANY)


def work_day_off(process: Process, day: date, today: date) -> tuple[Process, DayOff]:
    """The process with ``day`` a working day again: a company day off dropped, or a public
    holiday worked. Returns the day off that is gone."""
    _in_range(day, today)
    rules = process.calendar.holidays
    off = rules.day_off(day)
    if off is None:
        worked = rules.public_holiday(day) if day in rules.removed else None
        raise NotADayOff(day, worked)
    added = tuple((d, n) for d, n in rules.added if d != day)
    removed = rules.removed
    if rules.public_holiday(day) is not None:  # a public holiday (perhaps renamed): worked
        removed = (*removed, day)
    updated = HolidayRules(rules.country, rules.subdivision, added, removed)
    return _with(process, updated), off


def set_country(process: Process, country: str | None, subdivision: str | None) -> Process:
    """The process taking the public holidays of another country (and subdivision), or none;
    the company days off and worked holidays stay. Checked like the file (ProcessError)."""
    section = process.calendar.holidays.to_dict()
    section.pop("country", None)
    section.pop("subdivision", None)
    if country is not None:
        section["country"] = country
    if subdivision is not None:
        section["subdivision"] = subdivision
    return process.with_settings(holidays=section)


__all__ = [
    "COMPANY",
    "PUBLIC",
    "Calendar",
    "add_day_off",
    "calendar_between",
    "coming",
    "set_country",
    "work_day_off",
]
