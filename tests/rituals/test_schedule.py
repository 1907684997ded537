"""Tests for rituals.schedule: which ritual runs are due when, from APScheduler's own triggers,
with fixed instants (no sleeping, no wall clock): working days, first working days of months,
DST changes in several timezones, period keys, occurrence_at and the grace windows."""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from rituals.process import Process, default_process, load_process_dict
from rituals.schedule import (
    GRACE,
    RITUAL_KINDS,
    Occurrence,
    RitualTrigger,
    first_working_day,
    missed,
    next_occurrences,
    occurrence_at,
    period_key,
    ritual_kind,
    triggers,
)

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = frozenset(range(5))
SUN_THU = frozenset({6, 0, 1, 2, 3})


def make(tz: str = "America/New_York", days=None, **rituals) -> Process:
    data = copy.deepcopy(default_process().to_dict())
    data["timezone"] = tz
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


# --------------------------------------------------------------------------------------------
# The triggers


def test_triggers_of_the_default_schedule():
    p = default_process()
    found = triggers(p)
    assert [(kind, kpis) for kind, _, kpis in found] == [
        ("daily", ()),
        ("weekly", ()),
        ("monthly", ()),
        ("leaderboard", ("calls", "conversations", "meetings_held", "roi_discussions")),
        ("leaderboard", ("calls", "meetings_held")),
        ("nudge", ()),
        ("lag-check", ()),
        ("coaching", ()),
    ]
    for kind, trigger, _ in found:
        if kind == "nudge":  # a sweep every 30 minutes in UTC: see the nudge tests below
            assert isinstance(trigger, IntervalTrigger) and trigger.timezone == UTC
            continue
        assert isinstance(trigger, CronTrigger)
        assert trigger.timezone == ZoneInfo("America/New_York")
    fields = {kind + str(i): str(t) for i, (kind, t, _) in enumerate(found)}
    assert fields["daily0"] == (
        "cron[day_of_week='mon,tue,wed,thu,fri', hour='17', minute='30', second='0']"
    )
    assert fields["weekly1"] == "cron[day_of_week='mon', hour='9', minute='0', second='0']"
    assert "day='1-3'" in fields["monthly2"] and "first working day" in fields["monthly2"]


def test_rituals_that_are_off_have_no_trigger():
    p = make(daily="off", nudges={"enabled": False}, leaderboards="off")
    assert [kind for kind, _, _ in triggers(p)] == ["weekly", "monthly"]
    assert triggers(make().with_settings(rituals="off")) == []


def test_a_week_of_the_default_schedule():
    p = default_process()  # America/New_York, Mon–Fri
    week = next_occurrences(p, local(NY, 2026, 11, 22), local(NY, 2026, 11, 29))
    checks = [o for o in week if o.kind == "lag-check"]
    assert [o.due_at for o in checks] == [utc(2026, 11, d, 16) for d in range(23, 28)]
    coaching = [o for o in week if o.kind == "coaching"]
    assert [(o.due_at, o.period_key) for o in coaching] == [
        (utc(2026, 11, 23, 14, 30), "2026-11-23")
    ]
    sweeps = of("nudge", week)
    assert len(sweeps) == 7 * 48  # every half hour of every day: see the nudge tests below
    week = [o for o in week if o.kind not in ("lag-check", "coaching", "nudge")]
    assert len(week) == 5 * 3 + 1  # daily, 2 leaderboards per working day + the weekly
    assert {o.due_at.astimezone(NY).weekday() for o in week} == set(range(5))
    monday = [o for o in week if o.due_at.astimezone(NY).date() == date(2026, 11, 23)]
    assert [(o.kind, o.due_at, o.period_key, o.kpis) for o in monday] == [
        ("weekly", utc(2026, 11, 23, 14), "2026-W47", ()),
        (
            "leaderboard",
            utc(2026, 11, 23, 17),
            "2026-11-23T12:00",
            ("calls", "conversations", "meetings_held", "roi_discussions"),
        ),
        ("leaderboard", utc(2026, 11, 23, 21), "2026-11-23T16:00", ("calls", "meetings_held")),
        ("daily", utc(2026, 11, 23, 22, 30), "2026-11-23", ()),
    ]
    assert all(o.due_at.tzinfo is UTC for o in week)
    assert week == sorted(week, key=lambda o: o.due_at)


def test_the_window_is_after_exclusive_until_inclusive():
    p = make(leaderboards="off", nudges="off", weekly="off", monthly="off")
    due = utc(2026, 11, 24, 22, 30)  # Tue 17:30 in New York
    assert next_occurrences(p, due, due + timedelta(hours=1)) == []
    assert [o.due_at for o in next_occurrences(p, due - timedelta(hours=1), due)] == [due]
    just_before = due - timedelta(microseconds=1)
    assert [o.due_at for o in next_occurrences(p, just_before, due)] == [due]
    assert next_occurrences(p, due, due) == []


def test_same_instant_is_ordered_by_kind():
    p = make(nudges="off")
    # Monday 2 Nov 2026 at 09:00: the weekly digest and (1 Nov being a Sunday) the monthly one.
    due = next_occurrences(p, local(NY, 2026, 11, 2, 8), local(NY, 2026, 11, 2, 10))
    assert [(o.kind, o.period_key) for o in due] == [("weekly", "2026-W44"), ("monthly", "2026-10")]


def test_times_are_team_local():
    for tz, expected in (
        ("America/New_York", utc(2026, 11, 24, 22, 30)),
        ("Europe/Berlin", utc(2026, 11, 24, 16, 30)),
        ("Asia/Kolkata", utc(2026, 11, 24, 12, 0)),
        ("Australia/Sydney", utc(2026, 11, 24, 6, 30)),  # daylight time (AEDT, +11)
        ("UTC", utc(2026, 11, 24, 17, 30)),
    ):
        p = make(tz, leaderboards="off", nudges="off", weekly="off", monthly="off")
        zone = ZoneInfo(tz)
        due = next_occurrences(p, local(zone, 2026, 11, 24), local(zone, 2026, 11, 25))
        assert [(o.due_at, o.period_key) for o in due] == [(expected, "2026-11-24")], tz


def test_naive_instants_are_refused():
    p = default_process()
    with pytest.raises(ValueError, match="timezone-aware"):
        next_occurrences(p, datetime(2026, 11, 24), utc(2026, 11, 25))
    with pytest.raises(ValueError, match="timezone-aware"):
        occurrence_at(p, "daily", datetime(2026, 11, 24, 17))


# --------------------------------------------------------------------------------------------
# Working days


def test_daily_rituals_only_on_working_days():
    p = default_process()
    fortnight = next_occurrences(p, local(NY, 2026, 11, 1), local(NY, 2026, 11, 15))
    for kind in ("daily", "leaderboard"):
        days = {o.due_at.astimezone(NY).date() for o in of(kind, fortnight)}
        assert days == {date(2026, 11, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13)}, kind
    assert [o.period_key for o in of("weekly", fortnight)] == ["2026-W44", "2026-W45"]


def test_custom_working_days_sunday_to_thursday():
    riyadh = ZoneInfo("Asia/Riyadh")
    p = make("Asia/Riyadh", ["sun", "mon", "tue", "wed", "thu"], weekly={"day": "sun"})
    week = next_occurrences(p, local(riyadh, 2026, 11, 20), local(riyadh, 2026, 11, 27))
    daily = [o.due_at.astimezone(riyadh) for o in of("daily", week)]
    assert [d.strftime("%a %d %H:%M") for d in daily] == [
        "Sun 22 17:30",
        "Mon 23 17:30",
        "Tue 24 17:30",
        "Wed 25 17:30",
        "Thu 26 17:30",
    ]
    (weekly,) = of("weekly", week)
    assert weekly.due_at == utc(2026, 11, 22, 6)  # Sunday 09:00 (+03)
    # Weeks are Monday–Sunday (DESIGN.md §4) and Sunday 22 Nov is the last day of 16–22 Nov,
    # so the last complete week, the one reported on, is 9–15 Nov.
    assert weekly.period_key == "2026-W46"


def test_weekly_digest_on_its_own_day():
    p = make(weekly="fri 16:00")
    due = of("weekly", next_occurrences(p, local(NY, 2026, 11, 1), local(NY, 2026, 11, 30)))
    assert [o.due_at.astimezone(NY).strftime("%a %d %H:%M") for o in due] == [
        "Fri 06 16:00",
        "Fri 13 16:00",
        "Fri 20 16:00",
        "Fri 27 16:00",
    ]
    assert [o.period_key for o in due] == ["2026-W44", "2026-W45", "2026-W46", "2026-W47"]


# --------------------------------------------------------------------------------------------
# The first working day of the month


def monthly_days(p: Process, tz: ZoneInfo, year: int) -> list[date]:
    due = of("monthly", next_occurrences(p, local(tz, year, 1, 1), local(tz, year + 1, 1, 1)))
    return [o.due_at.astimezone(tz).date() for o in due]


def test_monthly_on_the_first_working_day_when_months_start_on_weekends():
    days = monthly_days(default_process(), NY, 2026)
    assert len(days) == 12
    assert date(2026, 2, 2) in days  # 1 Feb 2026 is a Sunday -> Monday the 2nd
    assert date(2026, 8, 3) in days  # 1 Aug 2026 is a Saturday -> Monday the 3rd
    assert date(2026, 11, 2) in days  # Sunday -> Monday
    assert date(2026, 3, 2) in days  # Sunday -> Monday
    assert date(2026, 12, 1) in days  # a Tuesday: the 1st itself
    assert date(2026, 5, 1) in days  # a Friday: the 1st itself
    assert all(d.weekday() < 5 and d.day <= 3 for d in days)


def test_monthly_period_key_is_the_month_reported_on():
    p = default_process()
    due = of("monthly", next_occurrences(p, local(NY, 2026, 11, 30), local(NY, 2027, 1, 31)))
    assert [(o.due_at, o.period_key) for o in due] == [
        (utc(2026, 12, 1, 14), "2026-11"),
        (utc(2027, 1, 1, 14), "2026-12"),  # 1 Jan 2027 is a Friday
    ]


def test_monthly_with_sunday_to_thursday():
    riyadh = ZoneInfo("Asia/Riyadh")
    p = make("Asia/Riyadh", "sun-thu")
    days = monthly_days(p, riyadh, 2026)
    assert date(2026, 5, 3) in days  # 1 May 2026 is a Friday -> Sunday the 3rd
    assert date(2026, 8, 2) in days  # 1 Aug 2026 is a Saturday -> Sunday the 2nd
    assert date(2026, 2, 1) in days  # a Sunday: a working day here
    assert all(d.weekday() in SUN_THU for d in days)


@pytest.mark.parametrize(
    "working_days",
    [WEEKDAYS, SUN_THU, frozenset({1, 2, 3, 4, 5}), frozenset({2}), frozenset(range(7))],
    ids=["mon-fri", "sun-thu", "tue-sat", "wed-only", "every-day"],
)
def test_monthly_trigger_equals_the_first_working_day_and_an_or_of_cron_triggers(working_days):
    trigger = RitualTrigger(time(9), NY, working_days=working_days, first_working_day=True)
    got = fires(trigger, local(NY, 2026, 1, 1), local(NY, 2028, 12, 31))
    expected = [
        first_working_day(year, month, working_days)
        for year in (2026, 2027, 2028)
        for month in range(1, 13)
    ]
    assert [f.date() for f in got] == expected
    assert all(f.time() == time(9) for f in got)
    # The same, as APScheduler's own OrTrigger: per working weekday, the days of the month on
    # which it is the first working day (1 + the non-working days just before it).
    parts = []
    for weekday in sorted(working_days):
        gap = 0
        while gap < 7 and (weekday - gap - 1) % 7 not in working_days:
            gap += 1
        parts.append(
            CronTrigger(day=f"1-{1 + gap}", day_of_week=weekday, hour=9, minute=0, timezone=NY)
        )
    assert fires(OrTrigger(parts), local(NY, 2026, 1, 1), local(NY, 2028, 12, 31)) == got


# --------------------------------------------------------------------------------------------
# Daylight saving time


def test_new_york_spring_forward_keeps_local_times():
    p = default_process()
    due = next_occurrences(p, local(NY, 2026, 3, 6), local(NY, 2026, 3, 10))
    assert [o.due_at for o in of("daily", due)] == [
        utc(2026, 3, 6, 22, 30),  # Fri 17:30 EST (-5)
        utc(2026, 3, 9, 21, 30),  # Mon 17:30 EDT (-4)
    ]
    assert [o.due_at for o in of("weekly", due)] == [utc(2026, 3, 9, 13)]  # Mon 09:00 EDT
    assert [o.due_at for o in of("monthly", due)] == []


def test_new_york_fall_back_keeps_local_times():
    p = default_process()
    due = next_occurrences(p, local(NY, 2026, 10, 30), local(NY, 2026, 11, 3))
    assert [o.due_at for o in of("daily", due)] == [
        utc(2026, 10, 30, 21, 30),  # Fri 17:30 EDT
        utc(2026, 11, 2, 22, 30),  # Mon 17:30 EST
        # (Sunday 1 Nov, the change, is not a working day)
    ]
    assert [o.due_at for o in of("monthly", due)] == [utc(2026, 11, 2, 14)]


def test_a_ritual_at_0230_on_the_spring_forward_day_fires_once_an_hour_later():
    """02:30 does not exist on 2026-03-08 in New York (02:00 -> 03:00). APScheduler resolves it
    with the offset before the change: it fires once, at 03:30 EDT (07:30 UTC)."""
    p = make(days="sun-sat", daily="02:30", leaderboards=[{"at": "02:30", "kpis": ["calls"]}])
    due = next_occurrences(p, local(NY, 2026, 3, 6), local(NY, 2026, 3, 10))
    for kind in ("daily", "leaderboard"):
        assert [o.due_at for o in of(kind, due)] == [
            utc(2026, 3, 6, 7, 30),
            utc(2026, 3, 7, 7, 30),
            utc(2026, 3, 8, 7, 30),  # the change day: 03:30 by the new clock
            utc(2026, 3, 9, 6, 30),
        ], kind
    change_day = of("leaderboard", due)[2]
    assert change_day.due_at.astimezone(NY).strftime("%H:%M %Z") == "03:30 EDT"
    assert change_day.period_key == "2026-03-08T02:30"  # keyed by the time as written
    assert of("daily", due)[2].period_key == "2026-03-08"


def test_a_ritual_at_0230_on_the_berlin_spring_forward_day_fires_once():
    p = make("Europe/Berlin", "sun-sat", daily="02:30")
    due = of("daily", next_occurrences(p, local(BERLIN, 2026, 3, 28), local(BERLIN, 2026, 3, 31)))
    assert [(o.due_at, o.period_key) for o in due] == [
        (utc(2026, 3, 28, 1, 30), "2026-03-28"),  # CET, +1
        (utc(2026, 3, 29, 1, 30), "2026-03-29"),  # 02:30 CET = 03:30 CEST, once
        (utc(2026, 3, 30, 0, 30), "2026-03-30"),  # CEST, +2
    ]


def test_a_ritual_in_the_repeated_hour_fires_once_at_the_first_pass():
    """01:30 happens twice on 2026-11-01 in New York (EDT, then EST). A bare CronTrigger fires at
    both; the ritual trigger fires at the first (05:30 UTC) only."""
    p = make(days="sun-sat", daily="01:30")
    due = of("daily", next_occurrences(p, local(NY, 2026, 10, 31), local(NY, 2026, 11, 3)))
    assert [(o.due_at, o.period_key) for o in due] == [
        (utc(2026, 10, 31, 5, 30), "2026-10-31"),
        (utc(2026, 11, 1, 5, 30), "2026-11-01"),
        (utc(2026, 11, 2, 6, 30), "2026-11-02"),
    ]
    bare = CronTrigger(hour=1, minute=30, timezone=NY)
    assert len(fires(bare, local(NY, 2026, 11, 1), local(NY, 2026, 11, 1, 23))) == 2


def test_berlin_fall_back_fires_once():
    p = make("Europe/Berlin", "sun-sat", daily="02:30")
    due = of("daily", next_occurrences(p, local(BERLIN, 2026, 10, 24), local(BERLIN, 2026, 10, 27)))
    assert [o.due_at for o in due] == [
        utc(2026, 10, 24, 0, 30),
        utc(2026, 10, 25, 0, 30),  # 02:30 CEST, the first pass
        utc(2026, 10, 26, 1, 30),
    ]


def test_a_clock_started_inside_the_skipped_hour_still_fires_that_day():
    trigger = RitualTrigger(time(2, 30), NY)
    started = local(NY, 2026, 3, 8, 3, 10)  # 03:10 EDT: 02:30 "has not happened" yet
    assert trigger.get_next_fire_time(None, started) == utc(2026, 3, 8, 7, 30)
    assert CronTrigger(hour=2, minute=30, timezone=NY).get_next_fire_time(None, started) == (
        local(NY, 2026, 3, 9, 2, 30)  # what the bare trigger would do: skip the day
    )


def test_a_clock_started_between_the_two_passes_does_not_fire_again():
    trigger = RitualTrigger(time(1, 30), NY)
    started = local(NY, 2026, 11, 1, 1, 45)  # 01:45 EDT, first pass; 01:30 EST is still ahead
    assert trigger.get_next_fire_time(None, started) == local(NY, 2026, 11, 2, 1, 30)


def test_a_ritual_just_after_midnight_the_day_after_spring_forward_is_not_skipped():
    """Walking from one fire time to the next, APScheduler 3.x's CronTrigger adds a day as 24 h
    of UTC, lands on 01:00 after a 23-hour day and skips the next day's 00:30 (and a weekly
    job's whole week). RitualTrigger asks it from each day's midnight instead."""
    bare = CronTrigger(hour=0, minute=30, timezone=NY)
    walked = fires(bare, local(NY, 2026, 3, 7), local(NY, 2026, 3, 10, 23))
    assert [f.day for f in walked] == [7, 8, 10]  # the bug: Monday the 9th is missing
    ours = fires(RitualTrigger(time(0, 30), NY), local(NY, 2026, 3, 7), local(NY, 2026, 3, 10, 23))
    assert [f.day for f in ours] == [7, 8, 9, 10]

    bare_weekly = CronTrigger(day_of_week="mon", hour=0, minute=30, timezone=NY)
    walked = fires(bare_weekly, local(NY, 2026, 3, 1), local(NY, 2026, 3, 17))
    assert [f.day for f in walked] == [2, 16]  # a whole week lost
    p = make(weekly="mon 00:30")
    due = of("weekly", next_occurrences(p, local(NY, 2026, 3, 1), local(NY, 2026, 3, 17)))
    assert [o.due_at.astimezone(NY).day for o in due] == [2, 9, 16]


def test_instants_in_the_repeated_hour_are_compared_as_instants():
    """01:15 EST (second pass) is later than 01:30 EDT (first pass), though its wall time is
    earlier: a run at 01:30 is not due again after it."""
    p = make(days="sun-sat", daily="01:30")
    second_pass = local(NY, 2026, 11, 1, 1, 15, fold=1)
    due = of("daily", next_occurrences(p, second_pass, local(NY, 2026, 11, 2, 12)))
    assert [o.due_at for o in due] == [utc(2026, 11, 2, 6, 30)]
    first_pass = local(NY, 2026, 11, 1, 1, 15)
    due = of("daily", next_occurrences(p, first_pass, local(NY, 2026, 11, 1, 1, 45, fold=1)))
    assert [o.due_at for o in due] == [utc(2026, 11, 1, 5, 30)]


def test_fire_times_are_normalised():
    fire = RitualTrigger(time(2, 30), NY).get_next_fire_time(None, local(NY, 2026, 3, 8))
    assert (fire.hour, fire.minute, fire.utcoffset()) == (3, 30, timedelta(hours=-4))


TRANSITIONS = [
    ("America/New_York", date(2026, 3, 8)),
    ("America/New_York", date(2026, 11, 1)),
    ("Europe/Berlin", date(2026, 3, 29)),
    ("Europe/Berlin", date(2026, 10, 25)),
    ("Australia/Sydney", date(2026, 4, 5)),  # back, 03:00 -> 02:00
    ("Australia/Sydney", date(2026, 10, 4)),  # forward, 02:00 -> 03:00
    ("Australia/Lord_Howe", date(2026, 10, 4)),  # forward by 30 minutes
    ("America/Santiago", date(2026, 9, 6)),  # forward at midnight: 00:00 -> 01:00
    ("America/Santiago", date(2026, 4, 4)),  # back at midnight: 23:00–24:00 twice
    ("America/Havana", date(2026, 3, 8)),  # forward at midnight
    ("Africa/Cairo", date(2026, 4, 24)),  # forward at midnight
    ("Asia/Beirut", date(2026, 10, 24)),  # back at midnight
    ("Asia/Kolkata", date(2026, 3, 8)),  # no DST at all
]


@pytest.mark.parametrize(("tz_name", "change_day"), TRANSITIONS)
def test_every_time_of_day_fires_exactly_once_a_day_around_dst_changes(tz_name, change_day):
    tz = ZoneInfo(tz_name)
    start = datetime.combine(change_day - timedelta(days=2), time(0), tzinfo=tz)
    end = datetime.combine(change_day + timedelta(days=2), time(23, 59), tzinfo=tz)
    expected_days = [change_day + timedelta(days=d) for d in range(-2, 3)]
    for minutes in range(0, 24 * 60, 15):
        at = time(minutes // 60, minutes % 60)
        got = fires(RitualTrigger(at, tz), start, end)
        assert [f.date() for f in got] == expected_days, (tz_name, at)
        for fire in got:
            written = datetime.combine(fire.date(), at, tzinfo=tz)
            exists = written.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == (
                written.replace(tzinfo=None)
            )
            if exists:
                assert fire.time() == at and fire.fold == 0, (tz_name, at, fire)
            else:  # in the skipped hour: once, at the instant the old offset gives it,
                # which the new wall clock shows later by the size of the jump
                jump = written.replace(fold=1).utcoffset() - written.utcoffset()
                assert jump > timedelta(0)
                assert fire.astimezone(UTC) == written.astimezone(UTC), (tz_name, at, fire)
                wall = fire.replace(tzinfo=None) - written.replace(tzinfo=None)
                assert wall == jump, (tz_name, at, fire)


def test_apschedulers_own_job_loop_sees_the_same_fire_times():
    """A job added to a scheduler catches up with Job._get_run_times, which walks the trigger
    with previous fire times: across both DST changes it yields exactly next_occurrences."""
    p = make(days="sun-sat", daily="02:30", leaderboards="off", nudges="off")
    (kind, trigger, _), *_ = triggers(p)
    assert kind == "daily"
    start, end = local(NY, 2026, 3, 1), local(NY, 2026, 11, 30)
    first = trigger.get_next_fire_time(None, start)
    job = Job(
        BackgroundScheduler(timezone=UTC),
        id="daily-1",
        func=print,
        args=(),
        kwargs={},
        trigger=trigger,
        executor="default",
        name="daily",
        misfire_grace_time=None,
        coalesce=False,
        max_instances=1,
        next_run_time=first,
    )
    run_times = job._get_run_times(end)
    assert run_times == [o.due_at for o in of("daily", next_occurrences(p, start, end))]
    assert len(run_times) == (date(2026, 11, 30) - date(2026, 3, 1)).days
    assert len({t.astimezone(NY).date() for t in run_times}) == len(run_times)


def test_triggers_survive_pickling():
    trigger = RitualTrigger(time(9), NY, working_days=WEEKDAYS, first_working_day=True)
    copy_ = pickle.loads(pickle.dumps(trigger))
    start, end = local(NY, 2026, 1, 1), local(NY, 2026, 12, 31)
    assert fires(copy_, start, end) == fires(trigger, start, end)
    assert copy_.at == time(9) and copy_.working_days == WEEKDAYS


# --------------------------------------------------------------------------------------------
# Period keys and occurrence_at


def test_period_keys():
    assert period_key("daily", date(2026, 11, 26)) == "2026-11-26"
    with pytest.raises(ValueError, match="nudge_sweep_key"):
        period_key("nudge", date(2026, 11, 26))
    assert period_key("weekly", date(2026, 11, 30)) == "2026-W48"  # the week before
    assert period_key("weekly", date(2026, 12, 6)) == "2026-W48"  # any day of the next week
    assert period_key("weekly", date(2027, 1, 4)) == "2026-W53"  # 2026 has 53 ISO weeks
    assert period_key("weekly", date(2026, 1, 5)) == "2026-W01"
    assert period_key("weekly", date(2027, 1, 11)) == "2027-W01"
    assert period_key("monthly", date(2026, 12, 1)) == "2026-11"  # the month before
    assert period_key("monthly", date(2027, 1, 1)) == "2026-12"
    assert period_key("leaderboard", date(2026, 11, 26), time(12)) == "2026-11-26T12:00"
    with pytest.raises(ValueError):
        period_key("leaderboard", date(2026, 11, 26))
    with pytest.raises(ValueError):
        period_key("contest", date(2026, 11, 26))


def test_occurrence_at_daily_uses_the_local_day():
    p = default_process()
    at = utc(2026, 11, 27, 3)  # 22:00 on Thursday 26 Nov in New York
    assert occurrence_at(p, "daily", at) == Occurrence("daily", at, "2026-11-26")
    berlin = make("Europe/Berlin")
    assert occurrence_at(berlin, "daily", at).period_key == "2026-11-27"
    on_a_saturday = local(NY, 2026, 11, 28, 17, 30)  # not scheduled, but may be run by hand
    assert occurrence_at(p, "daily", on_a_saturday).period_key == "2026-11-28"
    assert occurrence_at(p, "daily", on_a_saturday).due_at == utc(2026, 11, 28, 22, 30)


def test_occurrence_at_weekly_and_monthly_report_on_the_period_before():
    p = default_process()
    assert occurrence_at(p, "weekly", local(NY, 2026, 11, 30, 9)).period_key == "2026-W48"
    assert occurrence_at(p, "weekly", local(NY, 2026, 12, 3, 15)).period_key == "2026-W48"
    assert occurrence_at(p, "weekly", local(NY, 2026, 11, 29, 23)).period_key == "2026-W47"
    assert occurrence_at(p, "monthly", local(NY, 2026, 12, 1, 9)).period_key == "2026-11"
    # Sunday 30 Nov 23:30 in New York is already 1 Dec in UTC: the team's day counts.
    assert occurrence_at(p, "monthly", local(NY, 2026, 11, 30, 23, 30)).period_key == "2026-10"


def test_occurrence_at_leaderboard_finds_the_slot():
    p = default_process()
    at = local(NY, 2026, 11, 26, 12, 5)
    assert occurrence_at(p, "leaderboard", at) == Occurrence(
        "leaderboard",
        at.astimezone(UTC),
        "2026-11-26T12:00",
        ("calls", "conversations", "meetings_held", "roi_discussions"),
    )
    assert occurrence_at(p, "leaderboards", local(NY, 2026, 11, 26, 16)).period_key == (
        "2026-11-26T16:00"
    )
    assert occurrence_at(p, "leaderboard", local(NY, 2026, 11, 26, 23, 59)).kpis == (
        "calls",
        "meetings_held",
    )
    early = occurrence_at(p, "leaderboard", local(NY, 2026, 11, 26, 9, 15, 30))
    assert (early.period_key, early.kpis) == (
        "2026-11-26T09:15",
        ("calls", "conversations", "meetings_held", "roi_discussions"),
    )
    off = occurrence_at(make(leaderboards="off"), "leaderboard", local(NY, 2026, 11, 26, 12))
    assert (off.period_key, off.kpis) == ("2026-11-26T12:00", ())


def test_occurrence_at_unknown_kind():
    with pytest.raises(ValueError, match="unknown ritual"):
        occurrence_at(default_process(), "concert", utc(2026, 11, 26))
    assert ritual_kind("Nudges") == "nudge" and ritual_kind("daily-digest") == "daily"
    assert ritual_kind("lag_check") == "lag-check" and ritual_kind("contest") == "standings"
    assert RITUAL_KINDS == (
        "daily",
        "weekly",
        "monthly",
        "leaderboard",
        "nudge",
        "standings",
        "lag-check",
        "coaching",
    )
    assert set(GRACE) == set(RITUAL_KINDS)


@pytest.mark.parametrize("tz_name", ["America/New_York", "Europe/Berlin", "Asia/Kolkata"])
def test_occurrence_at_a_fire_time_is_that_occurrence(tz_name):
    """What the clock does when a trigger fires: occurrence_at(kind, fire time) names exactly
    the run next_occurrences predicted, including on DST change days."""
    tz = ZoneInfo(tz_name)
    p = make(
        tz_name,
        "sun-sat",
        leaderboards=[
            {"at": "02:30", "kpis": ["calls"]},
            {"at": "03:00", "kpis": ["deals"]},
            {"at": "12:00", "kpis": ["calls", "conversations"]},
        ],
    )
    due = next_occurrences(p, local(tz, 2026, 3, 1), local(tz, 2026, 4, 5))
    due += next_occurrences(p, local(tz, 2026, 10, 20), local(tz, 2026, 11, 5))
    assert due
    for o in due:
        assert occurrence_at(p, o.kind, o.due_at) == o


# --------------------------------------------------------------------------------------------
# Missed runs and grace


def test_missed_after_a_weekend_outage():
    p = make(nudges="off")
    down, up = local(NY, 2026, 11, 20, 15, 30), local(NY, 2026, 11, 23, 10)
    late, skipped = missed(p, down, up)
    assert [(o.kind, o.period_key) for o in late] == [("weekly", "2026-W47")]  # 1 h late
    assert [(o.kind, o.period_key) for o in skipped] == [
        ("leaderboard", "2026-11-20T16:00"),
        ("daily", "2026-11-20"),
    ]


@pytest.mark.parametrize(
    ("kind", "due", "grace"),
    [
        ("leaderboard", local(NY, 2026, 11, 24, 12), timedelta(minutes=90)),
        ("nudge", local(NY, 2026, 11, 24, 15), timedelta(minutes=30)),
        ("daily", local(NY, 2026, 11, 24, 17, 30), timedelta(hours=4)),
        ("weekly", local(NY, 2026, 11, 23, 9), timedelta(hours=24)),
        ("monthly", local(NY, 2026, 12, 1, 9), timedelta(days=3)),
        ("lag-check", local(NY, 2026, 11, 24, 11), timedelta(hours=3)),
        ("coaching", local(NY, 2026, 11, 23, 9, 30), timedelta(hours=24)),
    ],
)
def test_grace_windows(kind, due, grace):
    assert GRACE[kind] == grace
    p = make(
        daily="off" if kind != "daily" else {"at": "17:30"},
        weekly="off" if kind != "weekly" else {"day": "mon", "at": "09:00"},
        monthly="off" if kind != "monthly" else {"at": "09:00"},
        nudges="off" if kind != "nudge" else {"at": "15:00"},
        leaderboards="off" if kind != "leaderboard" else [{"at": "12:00", "kpis": ["calls"]}],
        lag_check="off" if kind != "lag-check" else {"at": "11:00"},
        coaching="off" if kind != "coaching" else {"day": "mon", "at": "09:30"},
    )
    before = due - timedelta(minutes=1)
    late, skipped = missed(p, before, due + grace)
    if kind == "nudge":  # the next sweep is due by then: only it runs, nothing is skipped
        assert [o.due_at for o in late] == [(due + grace).astimezone(UTC)] and skipped == []
        late, skipped = missed(p, before, due + grace - timedelta(seconds=1))
    assert [o.kind for o in late] == [kind] and skipped == []
    late, skipped = missed(p, before, due + grace + timedelta(seconds=1))
    if kind == "nudge":  # a missed sweep is not owed: the next one nudges whoever is due
        assert [o.due_at for o in late] == [(due + grace).astimezone(UTC)] and skipped == []
    else:
        assert late == [] and [o.kind for o in skipped] == [kind]
    late, skipped = missed(p, before, due)  # exactly on time
    assert [o.due_at for o in late] == [due.astimezone(UTC)]


def test_missed_runs_each_run_once():
    p = make(nudges="off", lag_check={"at": "11:00"})
    start, end = local(NY, 2026, 11, 24, 11), local(NY, 2026, 11, 24, 13)
    late, skipped = missed(p, start, end)
    assert [o.period_key for o in late] == ["2026-11-24T12:00"] and skipped == []
    # The next check starts where this one ended: nothing comes back twice.
    assert missed(p, end, local(NY, 2026, 11, 24, 14)) == ([], [])


def test_a_late_leaderboard_superseded_by_a_later_one_is_skipped():
    boards = [{"at": "12:00", "kpis": ["calls"]}, {"at": "12:30", "kpis": ["calls", "deals"]}]
    p = make(leaderboards=boards, nudges="off")
    late, skipped = missed(p, local(NY, 2026, 11, 24, 11), local(NY, 2026, 11, 24, 13))
    assert [o.period_key for o in late] == ["2026-11-24T12:30"]
    assert [o.period_key for o in skipped] == ["2026-11-24T12:00"]
    # A later leaderboard that does not rank the same KPIs supersedes nothing.
    boards = [
        {"at": "12:00", "kpis": ["calls", "conversations"]},
        {"at": "12:30", "kpis": ["calls"]},
    ]
    p = make(leaderboards=boards, nudges="off")
    late, skipped = missed(p, local(NY, 2026, 11, 24, 11), local(NY, 2026, 11, 24, 13))
    assert [o.period_key for o in late] == ["2026-11-24T12:00", "2026-11-24T12:30"]
    assert skipped == []


# --------------------------------------------------------------------------------------------
# Nudges: a sweep every 30 minutes; each rep is due at the nudge time of their own day


TOKYO, LA = ZoneInfo("Asia/Tokyo"), ZoneInfo("America/Los_Angeles")


def test_the_nudge_sweep_runs_every_half_hour_of_every_day_in_utc():
    p = default_process()  # nudges at 15:00 New York, Mon–Fri
    (trigger,) = [t for kind, t, _ in triggers(p) if kind == "nudge"]
    assert isinstance(trigger, IntervalTrigger) and trigger.timezone == UTC
    # A weekend and a DST change day (1 Nov 2026 in New York has 25 hours) included.
    sweeps = of("nudge", next_occurrences(p, local(NY, 2026, 10, 31), local(NY, 2026, 11, 2)))
    assert len(sweeps) == 49 * 2  # 48 hours of wall clock + the repeated hour
    assert {(o.due_at.minute, o.due_at.second) for o in sweeps} == {(0, 0), (30, 0)}
    assert [o.period_key for o in sweeps[:2]] == ["2026-10-31T04:30Z", "2026-10-31T05:00Z"]
    assert len({o.period_key for o in sweeps}) == len(sweeps)
    assert all(len(o.period_key) <= 32 for o in sweeps)


@pytest.mark.parametrize(
    ("tz", "at", "minutes"),
    [
        ("America/New_York", "15:10", {10, 40}),  # lined up with the team's own nudge time
        ("Asia/Kolkata", "15:00", {0, 30}),  # +05:30
        ("Asia/Kathmandu", "15:00", {15, 45}),  # +05:45
    ],
)
def test_the_sweep_lines_up_with_the_teams_nudge_time(tz, at, minutes):
    p = make(tz, nudges={"at": at})
    zone = ZoneInfo(tz)
    sweeps = of("nudge", next_occurrences(p, local(zone, 2026, 7, 1), local(zone, 2026, 7, 2)))
    assert {o.due_at.minute for o in sweeps} == minutes
    hh, mm = map(int, at.split(":"))
    assert local(zone, 2026, 7, 1, hh, mm).astimezone(UTC) in [o.due_at for o in sweeps]


def test_occurrence_at_nudge_is_the_latest_sweep_slot():
    p = default_process()
    at = local(NY, 2026, 11, 26, 15, 7, 30)  # a manual run at 15:07:30
    assert occurrence_at(p, "nudge", at) == Occurrence(
        "nudge", at.astimezone(UTC), "2026-11-26T20:00Z"
    )
    assert occurrence_at(p, "nudge", local(NY, 2026, 11, 26, 15, 30)).period_key == (
        "2026-11-26T20:30Z"
    )
    # Nudges off: `pacer rituals run nudge` still sweeps, at the default 15:00.
    off = make(nudges="off")
    assert [k for k, _, _ in triggers(off)].count("nudge") == 0
    assert occurrence_at(off, "nudge", at).period_key == "2026-11-26T20:00Z"


def test_a_missed_sweep_is_not_owed_only_the_latest_late_one_runs():
    p = make(daily="off", weekly="off", monthly="off", leaderboards="off")
    late, skipped = missed(p, local(NY, 2026, 11, 24, 9), local(NY, 2026, 11, 24, 15, 10))
    assert [(o.kind, o.period_key) for o in late] == [("nudge", "2026-11-24T20:00Z")]
    assert skipped == []  # 12 sweeps missed, nothing recorded for them
    late, skipped = missed(p, local(NY, 2026, 11, 24, 9), local(NY, 2026, 11, 24, 15, 40))
    assert [o.period_key for o in late] == ["2026-11-24T20:30Z"] and skipped == []
    late, skipped = missed(p, local(NY, 2026, 11, 24, 15, 30), local(NY, 2026, 11, 24, 15, 59))
    assert late == [] and skipped == []  # the 15:30 sweep was checked already


def ny_team(**settings) -> Process:
    return make("America/New_York", nudges={"at": settings.pop("at", "15:00")}, **settings)


def rep_cal(process: Process, tz: str):
    from rituals.scorecard import rep_calendar

    return rep_calendar(process, tz)


@pytest.mark.parametrize(
    ("tz", "due_local"),
    [
        (NY, local(NY, 2026, 11, 26, 15)),
        (TOKYO, local(TOKYO, 2026, 11, 26, 15)),  # Thu 01:00 in New York
        (LA, local(LA, 2026, 11, 26, 15)),  # Thu 18:00 in New York: after the team's hours
    ],
)
def test_a_rep_is_due_at_the_nudge_time_of_their_own_day(tz, due_local):
    from rituals.schedule import nudge_due

    cal, at = rep_cal(ny_team(), tz.key), time(15)
    day = due_local.date()
    assert nudge_due(cal, at, due_local) == day
    assert nudge_due(cal, at, due_local.astimezone(UTC)) == day  # the instant, any zone
    assert nudge_due(cal, at, due_local - timedelta(minutes=1)) is None  # not yet
    assert nudge_due(cal, at, due_local + timedelta(hours=1, minutes=59)) == day
    assert nudge_due(cal, at, due_local + timedelta(hours=2)) is None  # 17:00: quiet hours
    assert nudge_due(cal, at, due_local + timedelta(hours=9)) is None  # evening
    # Saturday in the rep's own timezone is a day off, whatever day it is in New York.
    assert nudge_due(cal, at, due_local + timedelta(days=2)) is None
    assert nudge_due(cal, at, due_local + timedelta(days=4)) == day + timedelta(days=4)  # Mon


def test_quiet_hours_bound_a_nudge_time_set_outside_them():
    from rituals.schedule import nudge_due

    cal = rep_cal(ny_team(), "Asia/Tokyo")
    early, late = time(8), time(18)
    assert nudge_due(cal, early, local(TOKYO, 2026, 11, 26, 8, 30)) is None  # before 09:00
    assert nudge_due(cal, early, local(TOKYO, 2026, 11, 26, 9)) == date(2026, 11, 26)
    assert all(
        nudge_due(cal, late, local(TOKYO, 2026, 11, 26, 0, 0) + timedelta(minutes=30 * i)) is None
        for i in range(48)
    )
    # A team working Sun–Thu 08:00–16:00: its days and hours, in the rep's own timezone.
    riyadh = make("Asia/Riyadh", ["sun", "mon", "tue", "wed", "thu"])
    riyadh = riyadh.with_settings(working_hours={"start": "08:00", "end": "16:00"})
    cal = rep_cal(riyadh, "Europe/London")
    assert nudge_due(cal, time(15), local(ZoneInfo("Europe/London"), 2026, 11, 29, 15)) == (
        date(2026, 11, 29)  # Sunday
    )
    assert nudge_due(cal, time(15), local(ZoneInfo("Europe/London"), 2026, 11, 27, 15)) is None


def test_nudge_keys_fit_the_run_table_and_differ_per_rep_and_day():
    from rituals.schedule import nudge_key

    assert nudge_key(date(2026, 11, 26), "U0SDR0001") == "2026-11-26:U0SDR0001"
    assert nudge_key(date(2026, 11, 26), "W0123456789") == "2026-11-26:W0123456789"
    long_a, long_b = "U" + "A" * 30, "U" + "A" * 29 + "B"
    keys = {nudge_key(date(2026, 11, 26), u) for u in (long_a, long_b)}
    keys.add(nudge_key(date(2026, 11, 27), long_a))
    assert len(keys) == 3 and all(len(k) <= 32 for k in keys)


def test_the_nudge_sweep_trigger_survives_pickling():
    from rituals.schedule import nudge_sweep_trigger

    trigger = nudge_sweep_trigger(make("Asia/Kathmandu"))
    copy_ = pickle.loads(pickle.dumps(trigger))
    start, end = utc(2026, 11, 26), utc(2026, 11, 27)
    assert fires(copy_, start, end) == fires(trigger, start, end)
    assert len(fires(trigger, start, end)) == 48
