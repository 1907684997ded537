"""rituals.schedule across daylight saving time changes, in several timezones: each ritual fires
exactly once on every scheduled local day, at its local time (the module notes say how)."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from rituals.process import default_process
from rituals.schedule import (
    RitualTrigger,
    next_occurrences,
    triggers,
)
from tests.rituals.schedule_support import BERLIN, NY, WEEKDAYS, fires, local, make, of, utc

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
