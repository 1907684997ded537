"""What the schedule's tests share (tests/rituals/test_schedule*.py): timezones, a process with
chosen rituals, instants, and walking a trigger as APScheduler does."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from rituals.process import Process, default_process, load_process_dict
from rituals.schedule import Occurrence

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = frozenset(range(5))
SUN_THU = frozenset({6, 0, 1, 2, 3})


def make(tz: str = "America/New_York", days=None, holidays="off", **rituals) -> Process:
    """The default process in ``tz`` with ``days`` and these rituals. Without public holidays
    unless asked (``holidays={"country": "US"}``): these tests are about weekdays, times and
    DST, in teams the world over (holidays: test_schedule_holidays.py)."""
    data = copy.deepcopy(default_process().to_dict())
    data["timezone"] = tz
    data["holidays"] = holidays
    if days is not None:
        data["working_days"] = days
    # The digests' tests below are about the digests: the contest and coaching rituals are off
    # unless a test turns them on.
    data["rituals"].update({"lag_check": "off", "coaching": "off"})
    data["rituals"].update(rituals)
    return load_process_dict(data)


def local(tz: ZoneInfo, *args, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=tz, fold=fold)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def of(kind: str, occurrences: list[Occurrence]) -> list[Occurrence]:
    return [o for o in occurrences if o.kind == kind]


def fires(trigger: CronTrigger, start: datetime, end: datetime) -> list[datetime]:
    """Every fire time in [start, end], walking the trigger as APScheduler does."""
    out = []
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and fire.astimezone(UTC) <= end.astimezone(UTC):
        out.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)
    return out
