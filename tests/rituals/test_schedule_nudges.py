"""rituals.schedule's nudge sweep: every 30 minutes on every day, in UTC; each rep is due at the
nudge time of their own day, inside their working hours, under a key of their own."""

from __future__ import annotations

import pickle
from datetime import UTC, date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from rituals.process import Process, default_process
from rituals.schedule import (
    Occurrence,
    missed,
    next_occurrences,
    nudge_due,
    nudge_key,
    nudge_sweep_trigger,
    occurrence_at,
    triggers,
)
from rituals.scorecard import rep_calendar
from tests.rituals.schedule_support import NY, fires, local, make, of, utc

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
    assert nudge_key(date(2026, 11, 26), "U0SDR0001") == "2026-11-26:U0SDR0001"
    assert nudge_key(date(2026, 11, 26), "W0123456789") == "2026-11-26:W0123456789"
    long_a, long_b = "U" + "A" * 30, "U" + "A" * 29 + "B"
    keys = {nudge_key(date(2026, 11, 26), u) for u in (long_a, long_b)}
    keys.add(nudge_key(date(2026, 11, 27), long_a))
    assert len(keys) == 3 and all(len(k) <= 32 for k in keys)


def test_the_nudge_sweep_trigger_survives_pickling():
    trigger = nudge_sweep_trigger(make("Asia/Kathmandu"))
    copy_ = pickle.loads(pickle.dumps(trigger))
    start, end = utc(2026, 11, 26), utc(2026, 11, 27)
    assert fires(copy_, start, end) == fires(trigger, start, end)
    assert len(fires(trigger, start, end)) == 48
