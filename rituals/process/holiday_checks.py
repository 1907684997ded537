"""Checking the `holidays:` section: the country and subdivision whose public holidays the team
takes off, its company days off (`add`) and the public holidays it works (`remove`).

    holidays: {country: US, subdivision: NY,
               add: [{date: 2026-12-24, name: Christmas Eve}], remove: [2026-11-11]}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from rituals import dates
from rituals.holiday_rules import (
    COMPANY_DAY_OFF,
    NO_HOLIDAYS,
    HolidayRules,
    canonical_country,
    countries,
    country_names,
    public_holidays,
    subdivision_names,
    subdivisions,
)
from rituals.process.base_checks import MAX_NAME_LEN, BaseChecks
from rituals.process.problems import Problem
from rituals.process.values import FULL_DAY_NAMES
from rituals.process.words import did_you_mean, kind_of, one_of, quote

FIELDS = ("country", "subdivision", "add", "remove")
EXAMPLE = "{country: US, subdivision: NY, add: [{date: 2026-12-24, name: Christmas Eve}], remove: [2026-11-11]}"
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100  # a date outside is a typo, not a holiday
_OFF_WORDS = ("off", "none", "no")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_FIX = "write the date as YYYY-MM-DD, e.g. 2026-12-24"


def parse_day(raw: object) -> date | None:
    """A date written YYYY-MM-DD (or a date object), within the years Pacer accepts; None
    otherwise."""
    if isinstance(raw, date) and not hasattr(raw, "hour"):
        day = raw
    elif isinstance(raw, str) and _ISO_DATE.fullmatch(raw.strip()):
        try:
            day = date.fromisoformat(raw.strip())
        except ValueError:
            return None
    else:
        return None
    return day if EARLIEST_YEAR <= day.year <= LATEST_YEAR else None


def _is_off(value: object) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() in _OFF_WORDS)


class HolidayChecks(BaseChecks):
    """holidays: (after working_days:, whose weekdays say which days off change anything)."""

    def holidays(self, value: object, working_days: frozenset[int] | None) -> HolidayRules | None:
        if value is None or _is_off(value):
            return NO_HOLIDAYS
        if isinstance(value, str):  # `holidays: US`
            value = {"country": value}
        section = self.mapping(value, "holidays", what="holidays", example=EXAMPLE)
        if section is None:
            return None
        self.unknown_fields(section, FIELDS, "holidays")
        before = len(self.problems)
        country = self.country(section.get("country"))
        subdivision = self.subdivision(section.get("subdivision"), country)
        added = self.days_added(section.get("add"), working_days)
        removed = self.days_removed(section.get("remove"), added)
        if len(self.problems) > before or country is False or subdivision is False:
            return None
        assert added is not None and removed is not None
        rules = HolidayRules(country or None, subdivision or None, tuple(added.items()), removed)
        self.advise_removed(rules, section.get("remove"))
        return rules

    def country(self, raw: object) -> str | None | bool:
        """The canonical code; None when there is none; False (problem added) when wrong."""
        if raw is None or _is_off(raw):
            return None
        fix = "use the country's ISO code, e.g. US, GB, DE or CA (or leave country out for no public holidays)"
        if not isinstance(raw, str) or not raw.strip():
            self.add(
                "holidays.country", f"the country must be a code like US, got {kind_of(raw)}", fix
            )
            return False
        code = canonical_country(raw)
        if code is None:
            names = country_names()
            candidates = [*countries(), *names.values()]
            guess = did_you_mean(raw.strip().lower(), candidates)
            if guess:
                word = guess[len(" (did you mean '") : -len("'?)")]
                found = canonical_country(word)
                label = f"{found} ({names[found]})" if found in names else found
                guess = f" (did you mean {label}?)"
            self.add("holidays.country", f"unknown country {quote(raw)}", fix + guess)
            return False
        return code

    def subdivision(self, raw: object, country: str | None | bool) -> str | None | bool:
        if raw is None:
            return None
        path = "holidays.subdivision"
        if not isinstance(raw, str) or not raw.strip():
            self.add(
                path,
                f"the subdivision must be a code like NY, got {kind_of(raw)}",
                "write its code, e.g. NY",
            )
            return False
        if country is None:
            self.add(
                path,
                f"a subdivision ({quote(raw)}) needs a country",
                "add the country, e.g. {country: US, subdivision: NY}",
            )
            return False
        if country is False:
            return False  # the country's problem says it all
        known = subdivisions(country)
        if not known:
            self.add(
                path,
                f"{country} has no subdivisions in the holidays package",
                "leave subdivision out",
            )
            return False
        code = known.get(re.sub(r"[\s_.'-]+", "", raw).lower())
        if code is None:
            names = subdivision_names(country)
            guess = did_you_mean(raw.strip(), [*names, *names.values()])
            if guess:
                word = guess[len(" (did you mean '") : -len("'?)")]
                found = known.get(re.sub(r"[\s_.'-]+", "", word).lower(), word)
                guess = f" (did you mean {found}{f' ({names[found]})' if names.get(found, found) != found else ''}?)"
            self.add(
                path,
                f"unknown subdivision {quote(raw)} of {country}",
                f"use one of {one_of(sorted(names), 15)}{guess}",
            )
            return False
        return code

    def days_added(
        self, raw: object, working_days: frozenset[int] | None
    ) -> dict[date, str] | None:
        """Company days off: `add: [{date: 2026-12-24, name: Christmas Eve}, 2026-12-31]`."""
        if raw is None:
            return {}
        example = "add: [{date: 2026-12-24, name: Christmas Eve}]"
        if not isinstance(raw, list | tuple):
            self.add(
                "holidays.add",
                f"add must be a list of days off, got {kind_of(raw)}",
                f"write it like {example}",
            )
            return None
        out: dict[date, str] = {}
        first: dict[date, int] = {}
        ok = True
        for i, item in enumerate(raw):
            path = f"holidays.add[{i}]"
            if isinstance(item, Mapping):
                self.unknown_fields(item, ("date", "name"), path)
                when, name_raw, where = item.get("date"), item.get("name"), f"{path}.date"
            else:
                when, name_raw, where = item, None, path
            day = self.day(when, where)
            name = COMPANY_DAY_OFF
            if name_raw is not None:
                name = self.text(name_raw, f"{path}.name", what="the name", max_len=MAX_NAME_LEN)
            if day is None or name is None:
                ok = False
                continue
            if day in first:
                self.add(
                    where,
                    f"{day} is listed twice (also holidays.add[{first[day]}])",
                    "list each day off once",
                )
                ok = False
                continue
            first[day] = i
            out[day] = name
            if working_days is not None and day.weekday() not in working_days:
                self.warnings.append(
                    str(
                        Problem(
                            where,
                            f"{dates.long(day)} is not a working day (a "
                            f"{FULL_DAY_NAMES[day.weekday()].capitalize()}), so this day off "
                            "changes nothing",
                            "check the date",
                        )
                    )
                )
        return out if ok else None

    def days_removed(self, raw: object, added: dict[date, str] | None) -> tuple[date, ...] | None:
        """Public holidays the team works: `remove: [2026-11-11]`."""
        if raw is None:
            return ()
        if not isinstance(raw, list | tuple):
            self.add(
                "holidays.remove",
                f"remove must be a list of dates, got {kind_of(raw)}",
                "write it like remove: [2026-11-11]",
            )
            return None
        out: list[date] = []
        for i, item in enumerate(raw):
            path = f"holidays.remove[{i}]"
            day = self.day(item, path)
            if day is None:
                continue
            if added and day in added:
                self.add(
                    path,
                    f"{day} is both a company day off (add) and a worked holiday (remove)",
                    "keep it in one of the two lists",
                )
            elif day in out:
                self.add(path, f"{day} is listed twice", "list each worked holiday once")
            out.append(day)
        return tuple(out)

    def day(self, raw: object, path: str) -> date | None:
        day = parse_day(raw)
        if day is None:
            fix = DATE_FIX
            if raw is None:
                what = "the date is missing"
            elif isinstance(raw, str) and dates_like(raw):
                what = f"{quote(raw)} is not between {EARLIEST_YEAR} and {LATEST_YEAR}"
                fix = "check the year"
            else:
                what = f"{quote(raw.isoformat() if isinstance(raw, date) else raw)} is not a date"
            self.add(path, what, fix)
        return day

    def advise_removed(self, rules: HolidayRules, raw: object) -> None:
        """A worked day that isn't a public holiday changes nothing: say so, it's likely a typo."""
        for i, day in enumerate(rules.removed):
            if rules.public_holiday(day) is not None:
                continue
            where = f"holidays.remove[{_index_of(raw, day, i)}]"
            if not rules.country:
                message = f"{day} can't be a worked public holiday: no country is set"
                fix = "set the country (e.g. country: US) or remove the line"
            else:
                near = _nearest_public(rules, day)
                message = f"{day} is not a public holiday in {rules.where()}, so working it changes nothing"
                fix = f"check the date{f' (did you mean {near}?)' if near else ''}"
            self.warnings.append(str(Problem(where, message, fix)))


def dates_like(text: str) -> bool:
    """Whether text is a real calendar date written YYYY-MM-DD (whatever its year)."""
    if not _ISO_DATE.fullmatch(text.strip()):
        return False
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


def _index_of(raw: object, day: date, fallback: int) -> int:
    if isinstance(raw, list | tuple):
        for i, item in enumerate(raw):
            if parse_day(item) == day:
                return i
    return fallback


def _nearest_public(rules: HolidayRules, day: date) -> str | None:
    """The public holiday within a week of ``day``: "2026-11-11 (Veterans Day)"."""
    assert rules.country is not None
    near = [
        (abs((d - day).days), d, name)
        for year in (day.year - 1, day.year, day.year + 1)
        for d, name in public_holidays(rules.country, rules.subdivision, year).items()
        if abs((d - day).days) <= 7
    ]
    if not near:
        return None
    _, d, name = min(near)
    return f"{d} ({name})"
