"""A team's days off (DESIGN.md §4): the public holidays of its country and subdivision, from
the `holidays` package, minus the ones the team works, plus its company days off.

HolidayRules is plain, immutable data (what the process file's `holidays:` section says); the
work calendar (rituals/pacing.py) asks it whether a date is a day off, so a holiday is a
non-working day for everything that counts working days: goals, elapsed time, pace, rituals,
contests. Public holidays are looked up once per country, subdivision and year.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

import holidays

PUBLIC, COMPANY = "public", "company"  # where a day off comes from
COMPANY_DAY_OFF = "Company day off"  # the name of a company day off added without one
_LANGUAGE = "en_US"  # Pacer speaks English: holiday names in English where the package has them


@dataclass(frozen=True)
class DayOff:
    day: date
    name: str
    source: str  # PUBLIC (from the country's calendar) or COMPANY (added by the team)


@dataclass(frozen=True)
class HolidayRules:
    """``country`` and ``subdivision`` name the public holidays (ISO codes as the `holidays`
    package spells them: US, NY); ``added`` are company days off (date, name); ``removed`` are
    public holidays the team works. Without a country there are no public holidays."""

    country: str | None = None
    subdivision: str | None = None
    added: tuple[tuple[date, str], ...] = ()
    removed: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        # Sorted, so equal rules compare equal and the lookups below can bisect.
        object.__setattr__(self, "added", tuple(sorted(dict(self.added).items())))
        object.__setattr__(self, "removed", tuple(sorted(set(self.removed))))

    @functools.cached_property
    def _added(self) -> dict[date, str]:
        return dict(self.added)

    @functools.cached_property
    def _removed(self) -> frozenset[date]:
        return frozenset(self.removed)

    @property
    def empty(self) -> bool:
        """No day off at all: no country and no company day off."""
        return not self.country and not self.added

    def public(self, year: int) -> Mapping[date, str]:
        """The country's public holidays in ``year`` (the worked ones included)."""
        if not self.country:
            return MappingProxyType({})
        return public_holidays(self.country, self.subdivision, year)

    def public_holiday(self, day: date) -> str | None:
        """The public holiday's name on ``day`` (even one the team works), else None."""
        return self.public(day.year).get(day)

    def day_off(self, day: date) -> DayOff | None:
        """Why ``day`` is off (whatever its weekday), or None when it is an ordinary day."""
        if self.empty:
            return None
        name = self._added.get(day)
        if name is not None:
            return DayOff(day, name, COMPANY)
        if day in self._removed:
            return None
        name = self.public_holiday(day)
        return DayOff(day, name, PUBLIC) if name is not None else None

    def days_off(self, start: date, end: date) -> list[DayOff]:
        """Every day off from ``start`` to ``end`` (inclusive), in date order, any weekday."""
        if self.empty or end < start:
            return []
        out: list[DayOff] = []
        for year in range(start.year, end.year + 1):
            days, offs, _ = self._in_year(year)
            out += offs[bisect_left(days, start) : bisect_right(days, end)]
        return out

    def is_off(self, day: date) -> bool:
        """Whether ``day`` is a day off (the question every working-day count asks)."""
        return not self.empty and day in self._in_year(day.year)[2]

    @functools.cached_property
    def _years(self) -> dict[int, tuple[list[date], list[DayOff], frozenset[date]]]:
        return {}  # year -> its days off, sorted, their dates (for bisecting) and as a set

    def _in_year(self, year: int) -> tuple[list[date], list[DayOff], frozenset[date]]:
        found = self._years.get(year)
        if found is None:
            days = set(self.public(year)) | {d for d, _ in self.added if d.year == year}
            offs = [off for day in sorted(days) if (off := self.day_off(day)) is not None]
            dates = [off.day for off in offs]
            found = self._years[year] = (dates, offs, frozenset(dates))
        return found

    def count_off(self, start: date, end: date, weekdays: Iterable[int]) -> int:
        """How many days off from ``start`` to ``end`` fall on one of ``weekdays``."""
        if self.empty or end < start:
            return 0
        wanted = set(weekdays)
        return sum(1 for off in self.days_off(start, end) if off.day.weekday() in wanted)

    def worked(self, start: date, end: date) -> list[DayOff]:
        """The public holidays the team works from ``start`` to ``end``."""
        if not self.country:
            return []
        lo, hi = bisect_left(self.removed, start), bisect_right(self.removed, end)
        return [
            DayOff(day, name, PUBLIC)
            for day in self.removed[lo:hi]
            if (name := self.public_holiday(day)) is not None
        ]

    def where(self) -> str:
        """Where the public holidays come from, in words: "US (NY)", or "" without a country."""
        if not self.country:
            return ""
        return f"{self.country} ({self.subdivision})" if self.subdivision else self.country

    def to_dict(self) -> dict:
        """The `holidays:` section of a process file."""
        out: dict = {}
        if self.country:
            out["country"] = self.country
        if self.subdivision:
            out["subdivision"] = self.subdivision
        if self.added:
            out["add"] = [{"date": d.isoformat(), "name": name} for d, name in self.added]
        if self.removed:
            out["remove"] = [d.isoformat() for d in self.removed]
        return out


NO_HOLIDAYS = HolidayRules()


@functools.lru_cache(maxsize=1024)
def public_holidays(country: str, subdivision: str | None, year: int) -> Mapping[date, str]:
    """A country's (and subdivision's) public holidays in one year, names in English where the
    package has them. Days observed in a neighbouring year's name (New Year's Day observed on
    31 Dec) are included: the package is asked for the years around it too."""
    cls = entity(country)
    kwargs: dict = {"subdiv": subdivision, "years": [year - 1, year, year + 1]}
    if _LANGUAGE in getattr(cls, "supported_languages", ()):
        kwargs["language"] = _LANGUAGE
    found = holidays.country_holidays(country, **kwargs)
    return MappingProxyType({d: name for d, name in sorted(found.items()) if d.year == year})


# -- what the `holidays` package knows: countries and subdivisions, for the process check --------


def entity(code: str):
    """The `holidays` class for a country code; AttributeError for one it doesn't know."""
    return getattr(holidays, code)


@functools.cache
def countries() -> dict[str, str]:
    """Every country the package knows, by code or name as people may write it (lowercase,
    without spaces: "us", "usa", "unitedstates", "uk") -> its canonical code ("US", "GB")."""
    out: dict[str, str] = {}
    for code in holidays.list_supported_countries():
        try:
            out[_squash(code)] = entity(code).country
        except AttributeError:  # pragma: no cover - listed but not importable
            continue
    for code, name in country_names().items():
        out.setdefault(_squash(name), code)
    return out


@functools.cache
def country_names() -> dict[str, str]:
    """Canonical code -> the country's name in words ("US" -> "United States"), from the
    package's registry of modules (united_states.py); empty where a version has none."""
    registry = getattr(holidays, "registry", None)
    modules = getattr(registry, "COUNTRIES", {})
    names: dict[str, str] = {}
    for module, entry in modules.items():
        if len(entry) > 1 and isinstance(entry[1], str):
            names[entry[1]] = module.replace("_", " ").title()
    return names


def canonical_country(text: str) -> str | None:
    """ "US" for "us", "USA", "United States"; None for a country the package doesn't know."""
    found = countries().get(_squash(text))
    code = text.strip().upper()
    if found is None and code.isalpha() and len(code) == 3:
        # An alpha-3 code: listed by newer versions of the package, an alias class in all.
        found = getattr(getattr(holidays, code, None), "country", None)
    return found


def subdivisions(country: str) -> dict[str, str]:
    """A country's subdivisions, as people may write them (lowercase, without spaces: "ny",
    "newyork") -> the code the package uses ("NY")."""
    cls = entity(country)
    out = {_squash(s): s for s in cls.subdivisions}
    for name, code in getattr(cls, "subdivisions_aliases", {}).items():
        out.setdefault(_squash(name), code)
    return out


def subdivision_names(country: str) -> dict[str, str]:
    """A subdivision's code -> its name where the package has one ("NY" -> "New York")."""
    cls = entity(country)
    names = {code: name for name, code in getattr(cls, "subdivisions_aliases", {}).items()}
    return {code: names.get(code, code) for code in cls.subdivisions}


def _squash(text: str) -> str:
    return re.sub(r"[\s_.'-]+", "", text).lower()
