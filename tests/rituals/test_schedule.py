"""Tests for rituals.schedule: which ritual runs are due when, from APScheduler's own triggers,
with fixed instants (no sleeping, no wall clock): working days, first working days of months,
period keys, occurrence_at and the grace windows. Daylight saving time: test_schedule_dst.py;
the nudge sweep: test_schedule_nudges.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from rituals.process import Process, default_process
from rituals.schedule import (
    GRACE,
    Occurrence,
    RitualTrigger,
    first_working_day,
    missed,
    next_occurrences,
    occurrence_at,
    period_key,
    triggers,
)
from tests.rituals.schedule_support import NY, SUN_THU, WEEKDAYS, fires, local, make, of, utc

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
    # With the team's holidays, the weekly digest's trigger looks at every day and keeps its
    # Monday, or the day a holiday moves it to (test_schedule_holidays.py); without any, the
    # plain cron of the configured day.
    assert fields["weekly1"] == "cron[hour='9', minute='0', second='0']"
    assert fields["monthly2"] == (
        "cron[day_of_week='mon,tue,wed,thu,fri', hour='9', minute='0', second='0', "
        "first working day]"
    )
    plain = {kind + str(i): str(t) for i, (kind, t, _) in enumerate(triggers(make()))}
    assert plain["weekly1"] == "cron[day_of_week='mon', hour='9', minute='0', second='0']"
    assert "day='1-3'" in plain["monthly2"] and "first working day" in plain["monthly2"]


def test_rituals_that_are_off_have_no_trigger():
    p = make(daily="off", nudges={"enabled": False}, leaderboards="off")
    assert [kind for kind, _, _ in triggers(p)] == ["weekly", "monthly"]
    assert triggers(make().with_settings(rituals="off")) == []


def test_a_week_of_the_default_schedule():
    # America/New_York, Mon–Fri, US public holidays: Thursday 26 Nov 2026 is Thanksgiving.
    p = default_process()
    week = next_occurrences(p, local(NY, 2026, 11, 22), local(NY, 2026, 11, 29))
    checks = [o for o in week if o.kind == "lag-check"]
    assert [o.due_at for o in checks] == [utc(2026, 11, d, 16) for d in (23, 24, 25, 27)]
    coaching = [o for o in week if o.kind == "coaching"]
    assert [(o.due_at, o.period_key) for o in coaching] == [
        (utc(2026, 11, 23, 14, 30), "2026-11-23")
    ]
    sweeps = of("nudge", week)
    assert len(sweeps) == 7 * 48  # every half hour of every day: see the nudge tests below
    week = [o for o in week if o.kind not in ("lag-check", "coaching", "nudge")]
    assert len(week) == 4 * 3 + 1  # daily, 2 leaderboards per working day + the weekly
    assert {o.due_at.astimezone(NY).weekday() for o in week} == {0, 1, 2, 4}  # not Thanksgiving
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
        # Wed 11 Nov 2026 is Veterans Day, a US public holiday: not a working day.
        assert days == {date(2026, 11, d) for d in (2, 3, 4, 5, 6, 9, 10, 12, 13)}, kind
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


DECEMBER = (local(NY, 2026, 11, 30), local(NY, 2027, 1, 31))


def test_monthly_period_key_is_the_month_reported_on():
    p = default_process()
    due = of("monthly", next_occurrences(p, local(NY, 2026, 11, 30), local(NY, 2027, 1, 31)))
    assert [(o.due_at, o.period_key) for o in due] == [
        (utc(2026, 12, 1, 14), "2026-11"),
        # 1 Jan 2027 is a Friday and New Year's Day: the first working day is Monday the 4th.
        (utc(2027, 1, 4, 14), "2026-12"),
    ]
    assert [o.due_at for o in of("monthly", next_occurrences(make(), *DECEMBER))] == [
        utc(2026, 12, 1, 14),
        utc(2027, 1, 1, 14),  # a team without holidays: Friday the 1st
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
    # The kinds' names and words: tests/rituals/test_kinds.py.


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
